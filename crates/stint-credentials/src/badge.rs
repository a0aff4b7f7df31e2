//! The documents Stint publishes: the Open Badges 3.0 credential for a
//! confirmed achievement, the Bitstring Status List credential, the
//! issuer's profile and its DID document (`did:web`).

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::contexts::{OB_V3, VC_V2};

/// The platform instance that issues: a `did:web` identifier and the
/// address people know it by.
#[derive(Debug, Clone)]
pub struct Issuer {
    pub did: String,
    pub name: String,
    /// The instance's public base URL, without a trailing slash.
    pub url: String,
}

impl Issuer {
    /// `did:web` for a base URL: the host (with `%3A` before a port) and
    /// any path, colon-separated.
    pub fn for_base_url(name: &str, base_url: &str) -> Issuer {
        let url = base_url.trim_end_matches('/').to_string();
        let rest = url.split_once("://").map(|(_, r)| r).unwrap_or(&url);
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let mut did = format!("did:web:{}", host.replace(':', "%3A"));
        for part in path.split('/').filter(|p| !p.is_empty()) {
            did.push(':');
            did.push_str(part);
        }
        Issuer {
            did,
            name: name.into(),
            url,
        }
    }

    /// The verification method id of a published key.
    pub fn method(&self, public_multibase: &str) -> String {
        format!("{}#{public_multibase}", self.did)
    }

    fn profile(&self) -> Value {
        json!({ "id": self.did, "type": ["Profile"], "name": self.name, "url": self.url })
    }

    /// The issuer profile document (`/issuer`).
    pub fn profile_document(&self) -> Value {
        let mut p = self.profile();
        p["@context"] = json!([VC_V2, OB_V3]);
        p["description"] = json!(format!(
            "{} issues a credential for each paid project whose outcomes the employer confirmed.",
            self.name
        ));
        p
    }

    /// The DID document (`/.well-known/did.json`): every key the issuer
    /// has signed with, current and retired, so credentials signed before a
    /// rotation still verify.
    pub fn did_document(&self, public_keys: &[String]) -> Value {
        let methods: Vec<Value> = public_keys
            .iter()
            .map(|k| {
                json!({
                    "id": self.method(k),
                    "type": "Multikey",
                    "controller": self.did,
                    "publicKeyMultibase": k,
                })
            })
            .collect();
        let ids: Vec<Value> = public_keys.iter().map(|k| json!(self.method(k))).collect();
        json!({
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": self.did,
            "verificationMethod": methods,
            "assertionMethod": ids,
        })
    }
}

/// What a confirmed achievement says.
#[derive(Debug, Clone)]
pub struct Claim {
    /// The credential's URL (`{base}/credentials/{id}`).
    pub id: String,
    pub valid_from: String,
    pub student_name: String,
    /// The student's email, included only as a salted SHA-256 hash.
    pub student_email: String,
    pub salt: String,
    pub project_url: String,
    pub title: String,
    pub summary: String,
    pub criteria: String,
    pub category: String,
    /// (name, URL) of each skill the project required or preferred.
    pub skills: Vec<(String, String)>,
    pub employer_name: String,
    pub employer_url: String,
    pub hours: u32,
    pub started: String,
    pub ended: String,
    /// (value, what it counts) of each confirmed outcome.
    pub outcomes: Vec<(String, String)>,
    pub evidence_url: String,
    /// The status list's URL and this credential's index in it.
    pub status_list: String,
    pub status_index: usize,
}

/// The unsigned `OpenBadgeCredential` for `claim`.
pub fn achievement_credential(issuer: &Issuer, c: &Claim) -> Value {
    let hours_id = format!("{}#achievement-hours", c.project_url);
    let mut descriptions = vec![json!({
        "id": hours_id,
        "type": ["ResultDescription"],
        "name": "Hours of work agreed",
        "resultType": "ext:Hours",
    })];
    let mut results = vec![json!({
        "type": ["Result"],
        "resultDescription": hours_id,
        "value": c.hours.to_string(),
    })];
    for (n, (value, metric)) in c.outcomes.iter().enumerate() {
        let id = format!("{}#outcome-{}", c.id, n + 1);
        descriptions.push(json!({
            "id": id,
            "type": ["ResultDescription"],
            "name": metric,
            "resultType": "ext:ConfirmedOutcome",
        }));
        results.push(json!({ "type": ["Result"], "resultDescription": id, "value": value }));
    }
    let alignments: Vec<Value> = c
        .skills
        .iter()
        .map(|(name, url)| json!({ "type": ["Alignment"], "targetName": name, "targetUrl": url, "targetType": "ext:Skill" }))
        .collect();
    let email_hash = format!(
        "sha256${:x}",
        Sha256::digest(format!("{}{}", c.student_email.to_lowercase(), c.salt).as_bytes())
    );
    json!({
        "@context": [VC_V2, OB_V3],
        "id": c.id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": format!("{} — {}", c.title, c.employer_name),
        "description": format!("{} completed this paid project for {} on {}; the employer confirmed the outcomes.", c.student_name, c.employer_name, issuer.name),
        "issuer": issuer.profile(),
        "validFrom": c.valid_from,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                { "type": "IdentityObject", "identityType": "name", "hashed": false, "identityHash": c.student_name },
                { "type": "IdentityObject", "identityType": "emailAddress", "hashed": true, "identityHash": email_hash, "salt": c.salt },
            ],
            "activityStartDate": c.started,
            "activityEndDate": c.ended,
            "achievement": {
                "id": format!("{}#achievement", c.project_url),
                "type": ["Achievement"],
                "achievementType": "Assignment",
                "name": c.title,
                "description": c.summary,
                "criteria": { "narrative": c.criteria },
                "tag": [c.category],
                "alignment": alignments,
                "creator": { "id": c.employer_url, "type": ["Profile"], "name": c.employer_name, "url": c.employer_url },
                "resultDescription": descriptions,
            },
            "result": results,
        },
        "evidence": [{
            "id": c.evidence_url,
            "type": ["Evidence"],
            "name": "Portfolio entry",
            "description": "The student's portfolio entry for this project, with the outcomes the employer confirmed.",
        }],
        "credentialStatus": {
            "id": format!("{}#{}", c.status_list, c.status_index),
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": c.status_index.to_string(),
            "statusListCredential": c.status_list,
        },
    })
}

/// The unsigned `BitstringStatusListCredential` at `url`.
pub fn status_list_credential(
    issuer: &Issuer,
    url: &str,
    encoded: &str,
    valid_from: &str,
) -> Value {
    json!({
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer.did,
        "validFrom": valid_from,
        "credentialSubject": {
            "id": format!("{url}#list"),
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_web_follows_the_base_url() {
        assert_eq!(
            Issuer::for_base_url("S", "https://stint.example/").did,
            "did:web:stint.example"
        );
        assert_eq!(
            Issuer::for_base_url("S", "http://127.0.0.1:8080").did,
            "did:web:127.0.0.1%3A8080"
        );
        assert_eq!(
            Issuer::for_base_url("S", "https://uni.example/stint").did,
            "did:web:uni.example:stint"
        );
    }
}
