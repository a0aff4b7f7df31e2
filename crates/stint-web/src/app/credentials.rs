//! Verifiable credentials: an Open Badges 3.0 credential, signed by this
//! instance (`did:web` of its base URL), for each confirmed achievement;
//! revocation through a Bitstring Status List; and verification of a
//! credential against the keys this instance has published.

use chrono::{SecondsFormat, Utc};
use serde_json::Value;
use stint_credentials::badge::{self, Claim, Issuer};
use stint_credentials::keys::decode_public;
use stint_credentials::{proof, status};
use stint_domain::account::Role;
use stint_domain::taxonomy;
use stint_store::{Achievement, Credential, NewCredential, StoreError, User};

use crate::AppState;
use crate::error::AppError;

/// The one status list (131,072 entries) every credential points into.
pub const STATUS_LIST_PATH: &str = "/credentials/status/1";
pub const ISSUER_NAME: &str = "Stint";

pub fn issuer(state: &AppState) -> Issuer {
    Issuer::for_base_url(ISSUER_NAME, &state.config.base_url)
}

pub fn url(state: &AppState, public_id: &str) -> String {
    format!("{}/credentials/{public_id}", state.config.base_url)
}

fn now() -> String {
    Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn random_hex(bytes: usize) -> Result<String, AppError> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

fn random_index() -> Result<i32, AppError> {
    let mut buf = [0u8; 4];
    getrandom::fill(&mut buf).map_err(|e| AppError::Internal(e.to_string()))?;
    // Random, not sequential, so an index says nothing about when or to
    // whom a credential was issued.
    Ok((u32::from_le_bytes(buf) % status::LIST_SIZE as u32) as i32)
}

/// Signs `doc` with the current key, publishing that key first.
async fn sign(state: &AppState, doc: &Value) -> Result<Value, AppError> {
    let key = &state.config.issuer_key;
    state
        .store
        .register_issuer_key(&key.public_multibase())
        .await?;
    let method = issuer(state).method(&key.public_multibase());
    proof::sign(doc, key, &method, &now()).map_err(AppError::Internal)
}

/// Issues the credential for a confirmed achievement. A credential issued
/// before for the same achievement (the outcomes were edited and confirmed
/// again) is revoked as replaced.
pub async fn issue(state: &AppState, a: &Achievement) -> Result<Credential, AppError> {
    if !a.confirmed {
        return Err(AppError::conflict(
            "not_confirmed",
            "A credential is issued once the employer confirms the outcomes.",
        ));
    }
    let store = &state.store;
    let e = store.engagement(a.engagement_id).await?;
    let project = store.project(e.project_id).await?;
    let org = store.org(e.org_id).await?;
    let student = store.user(a.student_id).await?;
    let base = &state.config.base_url;
    let input = &project.input;
    let skills: Vec<(String, String)> = input
        .required_skills
        .iter()
        .chain(&input.preferred_skills)
        .map(|s| {
            (
                taxonomy::skill_name(s).to_string(),
                format!("{base}/projects?skill={s}"),
            )
        })
        .collect();
    let issuer = issuer(state);
    let mut last_conflict = None;
    for _ in 0..5 {
        let public_id = random_hex(16)?;
        let status_index = random_index()?;
        let claim = Claim {
            id: url(state, &public_id),
            valid_from: now(),
            student_name: student.name.clone(),
            student_email: student.email.clone(),
            salt: random_hex(8)?,
            project_url: format!("{base}/projects/{}", project.id),
            title: a.title.clone(),
            summary: a.summary.clone(),
            criteria: input.acceptance_criteria.clone(),
            category: taxonomy::category_name(&input.category).to_string(),
            skills: skills.clone(),
            employer_name: org.name.clone(),
            employer_url: format!("{base}/organizations/{}", org.slug),
            hours: u32::from(input.estimated_hours),
            // From the hire, when the work could begin, to the approval.
            started: e.created_at.date_naive().to_string(),
            ended: a.completed_on.to_string(),
            outcomes: a
                .outcomes
                .iter()
                .map(|o| (o.value.clone(), o.metric.clone()))
                .collect(),
            evidence_url: format!("{base}/students/{}/portfolio", a.student_id),
            status_list: format!("{base}{STATUS_LIST_PATH}"),
            status_index: status_index as usize,
        };
        let signed = sign(state, &badge::achievement_credential(&issuer, &claim)).await?;
        let document =
            serde_json::to_string(&signed).map_err(|e| AppError::Internal(e.to_string()))?;
        let previous = store.current_credential(a.id).await?;
        match store
            .insert_credential(&NewCredential {
                public_id: &public_id,
                achievement_id: a.id,
                student_id: a.student_id,
                status_index,
                document: &document,
                issued_at: Utc::now(),
            })
            .await
        {
            Ok(c) => {
                if let Some(p) = previous {
                    let _ = store
                        .revoke_credential(
                            &p.public_id,
                            "Replaced: the employer confirmed changed outcomes, and a new credential was issued.",
                        )
                        .await;
                }
                store
                    .audit(None, "credential.issued", "credential", c.id, &c.public_id)
                    .await?;
                return Ok(c);
            }
            // An index or id already taken: draw again.
            Err(StoreError::Conflict(what)) => last_conflict = Some(what),
            Err(other) => return Err(other.into()),
        }
    }
    Err(AppError::Internal(format!(
        "no free status index after five draws ({last_conflict:?})"
    )))
}

/// An admin revokes a credential, with a reason the credential page shows.
pub async fn revoke(
    state: &AppState,
    admin: &User,
    public_id: &str,
    reason: &str,
) -> Result<Credential, AppError> {
    crate::auth::authz::require_admin(admin)?;
    let reason = reason.trim();
    let mut errs = stint_domain::FieldErrors::new();
    let len = reason.chars().count();
    if !(5..=500).contains(&len) {
        errs.add(
            "reason",
            "Say why the credential is revoked, in 5 to 500 characters; the credential page shows it.",
        );
    } else if stint_domain::text::has_control(reason) {
        errs.add("reason", stint_domain::text::control_message("The reason"));
    }
    errs.into_result()?;
    let c = state
        .store
        .revoke_credential(public_id, reason)
        .await
        .map_err(|e| match e {
            StoreError::Conflict(_) => {
                AppError::conflict("already_revoked", "This credential is already revoked.")
            }
            other => other.into(),
        })?;
    state
        .store
        .audit(
            Some(admin.id),
            "credential.revoked",
            "credential",
            c.id,
            reason,
        )
        .await?;
    Ok(c)
}

/// Whether `viewer` may see the credential: the student, an admin, or
/// anyone once the student's portfolio is public.
pub async fn visible(
    state: &AppState,
    viewer: Option<&User>,
    c: &Credential,
) -> Result<bool, AppError> {
    if viewer.is_some_and(|v| v.id == c.student_id || v.role == Role::Admin) {
        return Ok(true);
    }
    Ok(state.store.portfolio_public(c.student_id).await?)
}

/// A credential as `viewer` may see it; `NotFound` otherwise.
pub async fn get(
    state: &AppState,
    viewer: Option<&User>,
    public_id: &str,
) -> Result<Credential, AppError> {
    let c = state.store.credential(public_id).await?;
    // Emptied when its holder deleted their account; the revocation list
    // still lists it.
    if c.document == "{}" {
        return Err(AppError::NotFound);
    }
    if visible(state, viewer, &c).await? {
        Ok(c)
    } else {
        Err(AppError::NotFound)
    }
}

/// The issuer's DID document: every key ever published.
pub async fn did_document(state: &AppState) -> Result<Value, AppError> {
    let current = state.config.issuer_key.public_multibase();
    let mut keys: Vec<String> = state
        .store
        .issuer_keys()
        .await?
        .into_iter()
        .map(|k| k.public_multibase)
        .collect();
    if !keys.contains(&current) {
        keys.push(current);
    }
    Ok(issuer(state).did_document(&keys))
}

/// The signed revocation list.
pub async fn status_list(state: &AppState) -> Result<Value, AppError> {
    let revoked = state.store.revoked_status_indexes().await?;
    let encoded = status::encode(revoked.into_iter().map(|i| i as usize))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let url = format!("{}{STATUS_LIST_PATH}", state.config.base_url);
    let unsigned = badge::status_list_credential(&issuer(state), &url, &encoded, &now());
    sign(state, &unsigned).await
}

/// What checking a credential found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    /// Signed by a key this instance published, and not revoked.
    Valid,
    /// Signed correctly, but revoked.
    Revoked(String),
    /// Why it does not verify.
    Invalid(String),
}

/// Checks a credential's signature against the keys this instance has
/// published, and its status against the revocation list.
pub async fn check(state: &AppState, doc: &Value) -> Result<Check, AppError> {
    let did = did_document(state).await?;
    let keys: Vec<(String, String)> = did["verificationMethod"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|m| {
            Some((
                m["id"].as_str()?.to_string(),
                m["publicKeyMultibase"].as_str()?.to_string(),
            ))
        })
        .collect();
    let key_for = |method: &str| {
        keys.iter()
            .find(|(id, _)| id == method)
            .and_then(|(_, k)| decode_public(k).ok())
    };
    if let Err(e) = proof::verify(doc, key_for) {
        return Ok(Check::Invalid(e.to_string()));
    }
    let Some(id) = doc["id"].as_str() else {
        return Ok(Check::Invalid("the credential has no id".into()));
    };
    let prefix = format!("{}/credentials/", state.config.base_url);
    let Some(public_id) = id.strip_prefix(&prefix) else {
        return Ok(Check::Invalid(format!(
            "the credential was not issued by this Stint ({id})"
        )));
    };
    match state.store.credential(public_id).await {
        Ok(c) => Ok(match (c.revoked_at, c.revoked_reason) {
            (Some(_), reason) => Check::Revoked(reason.unwrap_or_default()),
            _ => Check::Valid,
        }),
        Err(StoreError::NotFound) => Ok(Check::Invalid(
            "no credential with this id was issued here".into(),
        )),
        Err(e) => Err(e.into()),
    }
}

/// LinkedIn's "Add to profile" link for a certification.
pub fn linkedin_url(c: &Credential, title: &str, employer: &str, link: &str) -> String {
    let enc = |s: &str| {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                    (b as char).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect::<String>()
    };
    format!(
        "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME&name={}&organizationName={}&issueYear={}&issueMonth={}&certUrl={}&certId={}",
        enc(title),
        enc(&format!("{employer} (via {ISSUER_NAME})")),
        c.issued_at.format("%Y"),
        c.issued_at.format("%-m"),
        enc(link),
        enc(&c.public_id),
    )
}
