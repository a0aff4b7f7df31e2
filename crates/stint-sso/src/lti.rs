//! LTI 1.3 (1EdTech Learning Tools Interoperability Core 1.3 with the
//! Security Framework 1.0), with Stint as the tool.
//!
//! The launch is an OpenID Connect third-party-initiated login: the
//! platform (a learning management system) sends the browser to Stint's
//! login initiation address ([`LoginInitiation`]); Stint answers with a
//! redirect to the platform's authorization endpoint ([`auth_url`]) with
//! `state` and `nonce`; the platform posts a signed `id_token` back, which
//! [`verify_launch`] checks against the platform's registered key set
//! (signature, `iss`, `aud`, `azp`, `exp`, `nonce`) before reading the LTI
//! claims. [`ToolKey`] is Stint's own RSA key, published as a JWKS for
//! platforms to register.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::JwkSet;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::oidc::{Expected, SsoError, verified, verify_jwt};

/// The LTI version Stint speaks.
pub const VERSION: &str = "1.3.0";
/// The one message Stint takes: a launch from a link in a course.
pub const RESOURCE_LINK: &str = "LtiResourceLinkRequest";

const CLAIM: &str = "https://purl.imsglobal.org/spec/lti/claim/";
const MEMBERSHIP: &str = "http://purl.imsglobal.org/vocab/lis/v2/membership#";
const INSTITUTION: &str = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#";

/// What the platform sent to start a launch (Core §4.1 of the Security
/// Framework's third-party-initiated login), by GET or POST.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LoginInitiation {
    pub iss: String,
    pub login_hint: String,
    pub target_link_uri: String,
    pub lti_message_hint: Option<String>,
    pub client_id: Option<String>,
    pub lti_deployment_id: Option<String>,
}

impl LoginInitiation {
    /// The parameters a platform must send, each present and of a sane
    /// length.
    pub fn check(&self) -> Result<(), SsoError> {
        for (name, value) in [
            ("iss", &self.iss),
            ("login_hint", &self.login_hint),
            ("target_link_uri", &self.target_link_uri),
        ] {
            if value.trim().is_empty() {
                return Err(SsoError::Lti(format!(
                    "the login initiation has no `{name}`"
                )));
            }
            if value.len() > 2048 {
                return Err(SsoError::Lti(format!("`{name}` is too long")));
            }
        }
        for value in [
            &self.lti_message_hint,
            &self.client_id,
            &self.lti_deployment_id,
        ]
        .into_iter()
        .flatten()
        {
            if value.len() > 2048 {
                return Err(SsoError::Lti("a parameter is too long".into()));
            }
        }
        Ok(())
    }
}

/// The authentication request Stint sends the browser to (Security
/// Framework §5.1.1.2): an implicit-flow ID token posted back
/// (`form_post`), no prompt, with the platform's hints echoed.
pub fn auth_url(
    auth_endpoint: &str,
    client_id: &str,
    redirect_uri: &str,
    login: &LoginInitiation,
    state: &str,
    nonce: &str,
) -> String {
    let mut q = url::form_urlencoded::Serializer::new(String::new());
    q.append_pair("scope", "openid")
        .append_pair("response_type", "id_token")
        .append_pair("response_mode", "form_post")
        .append_pair("prompt", "none")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("login_hint", &login.login_hint)
        .append_pair("state", state)
        .append_pair("nonce", nonce);
    if let Some(hint) = &login.lti_message_hint {
        q.append_pair("lti_message_hint", hint);
    }
    let sep = if auth_endpoint.contains('?') {
        '&'
    } else {
        '?'
    };
    format!("{auth_endpoint}{sep}{}", q.finish())
}

/// The course a launch came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Context {
    pub id: String,
    pub label: Option<String>,
    pub title: Option<String>,
}

/// What the launching person is in the course, as far as Stint cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Teaches it (membership Instructor, or institution Faculty).
    Instructor,
    /// Takes it (membership Learner, or institution Student).
    Learner,
    /// Anything else (a mentor, an administrator, a guest).
    Other,
}

/// A verified launch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Launch {
    /// `sub`: stable for this person at this platform.
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: Option<bool>,
    pub name: Option<String>,
    pub deployment_id: String,
    pub role: Role,
    pub context: Option<Context>,
    pub resource_link_id: String,
    pub target_link_uri: String,
}

#[derive(Deserialize)]
struct LaunchClaims {
    sub: Option<String>,
    email: Option<String>,
    email_verified: Option<serde_json::Value>,
    name: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
}

#[derive(Deserialize)]
struct ResourceLink {
    id: Option<String>,
}

fn claim<'a>(claims: &'a serde_json::Value, name: &str) -> Option<&'a serde_json::Value> {
    claims.get(format!("{CLAIM}{name}"))
}

fn claim_str(claims: &serde_json::Value, name: &'static str) -> Result<String, SsoError> {
    match claim(claims, name) {
        Some(serde_json::Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        Some(_) => Err(SsoError::Lti(format!("the `{name}` claim is not text"))),
        None => Err(SsoError::Lti(format!("the launch has no `{name}` claim"))),
    }
}

/// The role that decides where the person lands: an instructor's role
/// wins over a learner's. Roles are full URIs; the short names LTI 1.1
/// used ("Instructor", "Learner") are read too.
pub fn role(roles: &[String]) -> Role {
    let has = |names: &[&str]| {
        roles.iter().any(|r| {
            let r = r.as_str();
            names.iter().any(|n| {
                r == *n
                    || r.strip_prefix(MEMBERSHIP) == Some(n)
                    || (r.strip_prefix(INSTITUTION) == Some(n))
            })
        })
    };
    if has(&["Instructor", "Faculty"]) {
        Role::Instructor
    } else if has(&["Learner", "Student"]) {
        Role::Learner
    } else {
        Role::Other
    }
}

/// Checks a launch's `id_token` against the platform's key set (as any ID
/// token: signature, `iss`, `aud` naming `client_id`, `azp`, `exp`, `nbf`,
/// this launch's `nonce`), then the LTI claims: a resource link launch of
/// version 1.3.0 with a deployment, a resource link and a subject (an
/// anonymous launch has no one to sign in).
pub fn verify_launch(
    keys: &JwkSet,
    token: &str,
    expected: &Expected<'_>,
) -> Result<Launch, SsoError> {
    let claims = verify_jwt(keys, token, expected)?;
    let message_type = claim_str(&claims, "message_type")?;
    if message_type != RESOURCE_LINK {
        return Err(SsoError::Lti(format!(
            "the message is {message_type}; Stint takes only {RESOURCE_LINK} (a link in a course)"
        )));
    }
    let version = claim_str(&claims, "version")?;
    if version != VERSION {
        return Err(SsoError::Lti(format!(
            "the launch is LTI version {version}; Stint speaks {VERSION}"
        )));
    }
    let deployment_id = claim_str(&claims, "deployment_id")?;
    let target_link_uri = claim_str(&claims, "target_link_uri")?;
    let link: ResourceLink = claim(&claims, "resource_link")
        .cloned()
        .map(serde_json::from_value)
        .transpose()
        .map_err(|e| SsoError::Lti(format!("the `resource_link` claim is not usable ({e})")))?
        .ok_or_else(|| SsoError::Lti("the launch has no `resource_link` claim".into()))?;
    let resource_link_id = link
        .id
        .filter(|i| !i.is_empty())
        .ok_or_else(|| SsoError::Lti("the resource link has no `id`".into()))?;
    let roles: Vec<String> = match claim(&claims, "roles") {
        Some(v) => serde_json::from_value(v.clone())
            .map_err(|_| SsoError::Lti("the `roles` claim is not a list of text".into()))?,
        None => return Err(SsoError::Lti("the launch has no `roles` claim".into())),
    };
    let context: Option<Context> = claim(&claims, "context")
        .cloned()
        .map(serde_json::from_value)
        .transpose()
        .map_err(|e| SsoError::Lti(format!("the `context` claim is not usable ({e})")))?;
    let c: LaunchClaims =
        serde_json::from_value(claims).map_err(|e| SsoError::Malformed(e.to_string()))?;
    let subject = c.sub.filter(|s| !s.is_empty()).ok_or_else(|| {
        SsoError::Lti(
            "the launch is anonymous (no `sub`); the platform must say who is launching".into(),
        )
    })?;
    let name = c.name.filter(|n| !n.trim().is_empty()).or_else(|| {
        let joined = format!(
            "{} {}",
            c.given_name.unwrap_or_default(),
            c.family_name.unwrap_or_default()
        );
        let joined = joined.trim();
        (!joined.is_empty()).then(|| joined.to_string())
    });
    Ok(Launch {
        subject,
        email: c.email.filter(|e| !e.is_empty()),
        email_verified: verified(c.email_verified),
        name,
        deployment_id,
        role: role(&roles),
        context: context.filter(|c| !c.id.is_empty()),
        resource_link_id,
        target_link_uri,
    })
}

/// Stint's own key as a tool: RSA 2048 (platforms take RS256 tool keys),
/// kept as PKCS#1 DER, named by the SHA-256 thumbprint of its public part.
#[derive(Clone)]
pub struct ToolKey {
    der: Vec<u8>,
    n: Vec<u8>,
    e: Vec<u8>,
}

impl std::fmt::Debug for ToolKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the private part.
        write!(f, "ToolKey({})", self.kid())
    }
}

impl ToolKey {
    /// A new key (about a second of work).
    pub fn generate() -> Result<ToolKey, String> {
        use rsa::pkcs1::EncodeRsaPrivateKey;
        use rsa::traits::PublicKeyParts;
        let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048)
            .map_err(|e| format!("no RSA key: {e}"))?;
        let der = key
            .to_pkcs1_der()
            .map_err(|e| format!("RSA key not encodable: {e}"))?;
        Ok(ToolKey {
            der: der.as_bytes().to_vec(),
            n: key.n().to_bytes_be(),
            e: key.e().to_bytes_be(),
        })
    }

    /// The key kept by [`ToolKey::private_der`].
    pub fn from_private_der(der: &[u8]) -> Result<ToolKey, String> {
        use rsa::pkcs1::DecodeRsaPrivateKey;
        use rsa::traits::PublicKeyParts;
        let key = rsa::RsaPrivateKey::from_pkcs1_der(der)
            .map_err(|e| format!("not an RSA private key: {e}"))?;
        Ok(ToolKey {
            der: der.to_vec(),
            n: key.n().to_bytes_be(),
            e: key.e().to_bytes_be(),
        })
    }

    /// The private key, PKCS#1 DER, to be kept sealed.
    pub fn private_der(&self) -> &[u8] {
        &self.der
    }

    /// RFC 7638 thumbprint of the public key.
    pub fn kid(&self) -> String {
        let canonical = format!(
            r#"{{"e":"{}","kty":"RSA","n":"{}"}}"#,
            URL_SAFE_NO_PAD.encode(&self.e),
            URL_SAFE_NO_PAD.encode(&self.n)
        );
        URL_SAFE_NO_PAD.encode(Sha256::digest(canonical.as_bytes()))
    }

    /// The public key as a JWK for the tool's key set.
    pub fn public_jwk(&self) -> serde_json::Value {
        serde_json::json!({
            "kty": "RSA",
            "alg": "RS256",
            "use": "sig",
            "kid": self.kid(),
            "n": URL_SAFE_NO_PAD.encode(&self.n),
            "e": URL_SAFE_NO_PAD.encode(&self.e),
        })
    }

    /// Signs `claims` as a JWT with RS256 (with ring, through
    /// jsonwebtoken), naming this key.
    pub fn sign(&self, claims: &serde_json::Value) -> Result<String, String> {
        let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
        header.kid = Some(self.kid());
        jsonwebtoken::encode(
            &header,
            claims,
            &jsonwebtoken::EncodingKey::from_rsa_der(&self.der),
        )
        .map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_pick_the_landing() {
        let r = |v: &[&str]| role(&v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        assert_eq!(
            r(&["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"]),
            Role::Learner
        );
        assert_eq!(
            r(&[
                "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner",
                "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor",
            ]),
            Role::Instructor
        );
        assert_eq!(
            r(&["http://purl.imsglobal.org/vocab/lis/v2/institution/person#Faculty"]),
            Role::Instructor
        );
        assert_eq!(r(&["Learner"]), Role::Learner);
        // A teaching assistant is a sub-role, not an instructor.
        assert_eq!(
            r(&["http://purl.imsglobal.org/vocab/lis/v2/membership/Instructor#TeachingAssistant"]),
            Role::Other
        );
        assert_eq!(r(&[]), Role::Other);
    }

    #[test]
    fn the_auth_request_carries_what_platforms_check() -> Result<(), String> {
        let login = LoginInitiation {
            iss: "https://lms.example.edu".into(),
            login_hint: "u-1".into(),
            target_link_uri: "https://stint.example/lti/launch".into(),
            lti_message_hint: Some("m 1".into()),
            client_id: Some("c1".into()),
            lti_deployment_id: Some("d1".into()),
        };
        login.check().map_err(|e| e.to_string())?;
        let url = auth_url(
            "https://lms.example.edu/auth?x=1",
            "c1",
            "https://stint.example/lti/launch",
            &login,
            "st",
            "no",
        );
        let parsed = url::Url::parse(&url).map_err(|e| e.to_string())?;
        let q: std::collections::HashMap<_, _> = parsed.query_pairs().into_owned().collect();
        for (k, v) in [
            ("x", "1"),
            ("scope", "openid"),
            ("response_type", "id_token"),
            ("response_mode", "form_post"),
            ("prompt", "none"),
            ("client_id", "c1"),
            ("redirect_uri", "https://stint.example/lti/launch"),
            ("login_hint", "u-1"),
            ("lti_message_hint", "m 1"),
            ("state", "st"),
            ("nonce", "no"),
        ] {
            assert_eq!(q.get(k).map(String::as_str), Some(v), "{k}");
        }
        let missing = LoginInitiation {
            login_hint: String::new(),
            ..login
        };
        assert!(missing.check().is_err());
        Ok(())
    }

    #[test]
    fn the_tool_key_round_trips_and_signs() -> Result<(), String> {
        let key = ToolKey::generate()?;
        let again = ToolKey::from_private_der(key.private_der())?;
        assert_eq!(key.kid(), again.kid());
        let jwk: jsonwebtoken::jwk::Jwk =
            serde_json::from_value(key.public_jwk()).map_err(|e| e.to_string())?;
        let token = again.sign(&serde_json::json!({"iss": "stint", "aud": "lms"}))?;
        let header = jsonwebtoken::decode_header(&token).map_err(|e| e.to_string())?;
        assert_eq!(header.kid, Some(key.kid()));
        let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::RS256);
        v.required_spec_claims.clear();
        v.validate_exp = false;
        v.validate_aud = false;
        let decoding = jsonwebtoken::DecodingKey::from_jwk(&jwk).map_err(|e| e.to_string())?;
        jsonwebtoken::decode::<serde_json::Value>(&token, &decoding, &v)
            .map_err(|e| e.to_string())?;
        Ok(())
    }
}
