//! An OpenID provider on loopback for tests of what a real provider does
//! not do on purpose: a wrong audience, an expired token, a bad signature,
//! a missing nonce. It speaks real HTTP (discovery, JWKS, authorization
//! endpoint, token endpoint with HTTP Basic and PKCE checked) and signs
//! with a real Ed25519 key; the browser test signs in through the real
//! `oidc-provider` package instead.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use ring::signature::KeyPair;
use serde::Deserialize;
use serde_json::json;

use crate::oidc::Pkce;

/// What the next token gets wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Fault {
    #[default]
    None,
    WrongAudience,
    Expired,
    BadSignature,
    NoNonce,
    OtherIssuer,
    /// The ID token carries only `sub` (as issuers that follow Core §5.4
    /// do); email and name come from the userinfo endpoint.
    ClaimsInUserinfo,
    /// As `ClaimsInUserinfo`, but the userinfo answer is about someone else.
    UserinfoOtherSubject,
}

/// Who signs in next.
#[derive(Debug, Clone)]
pub struct Person {
    pub subject: String,
    pub email: String,
    pub name: String,
}

struct Pending {
    client_id: String,
    redirect_uri: String,
    nonce: Option<String>,
    challenge: String,
    person: Person,
}

struct Inner {
    base: String,
    client_id: String,
    client_secret: String,
    key: Vec<u8>,
    other_key: Vec<u8>,
    next: Mutex<(Person, Fault)>,
    codes: Mutex<HashMap<String, Pending>>,
    /// Access tokens given out, and whom they are for.
    access: Mutex<HashMap<String, Person>>,
}

/// The running provider. Dropping it does not stop the server; tests end
/// with the process.
#[derive(Clone)]
pub struct TestIssuer {
    inner: Arc<Inner>,
}

fn pkcs8() -> Vec<u8> {
    let rng = ring::rand::SystemRandom::new();
    ring::signature::Ed25519KeyPair::generate_pkcs8(&rng)
        .map(|d| d.as_ref().to_vec())
        .unwrap_or_default()
}

impl TestIssuer {
    /// Starts on 127.0.0.1 with a random port, for `client_id` and
    /// `client_secret`.
    pub async fn start(client_id: &str, client_secret: &str) -> std::io::Result<TestIssuer> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let issuer = TestIssuer {
            inner: Arc::new(Inner {
                base,
                client_id: client_id.into(),
                client_secret: client_secret.into(),
                key: pkcs8(),
                other_key: pkcs8(),
                next: Mutex::new((
                    Person {
                        subject: "person-1".into(),
                        email: "person@example.edu".into(),
                        name: "Test Person".into(),
                    },
                    Fault::None,
                )),
                codes: Mutex::new(HashMap::new()),
                access: Mutex::new(HashMap::new()),
            }),
        };
        let app = axum::Router::new()
            .route("/.well-known/openid-configuration", get(discovery))
            .route("/jwks", get(jwks))
            .route("/authorize", get(authorize))
            .route("/token", post(token))
            .route("/userinfo", get(userinfo))
            .with_state(issuer.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(issuer)
    }

    /// The issuer identifier (its base address).
    pub fn issuer(&self) -> String {
        self.inner.base.clone()
    }

    /// Who the next authorization signs in, and what their token gets wrong.
    pub fn next(&self, person: Person, fault: Fault) {
        if let Ok(mut n) = self.inner.next.lock() {
            *n = (person, fault);
        }
    }
}

async fn discovery(State(s): State<TestIssuer>) -> Response {
    let b = &s.inner.base;
    axum::Json(json!({
        "issuer": b,
        "authorization_endpoint": format!("{b}/authorize"),
        "token_endpoint": format!("{b}/token"),
        "jwks_uri": format!("{b}/jwks"),
        "userinfo_endpoint": format!("{b}/userinfo"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["EdDSA"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic"],
    }))
    .into_response()
}

fn public_x(pkcs8: &[u8]) -> String {
    ring::signature::Ed25519KeyPair::from_pkcs8(pkcs8)
        .map(|k| URL_SAFE_NO_PAD.encode(k.public_key().as_ref()))
        .unwrap_or_default()
}

async fn jwks(State(s): State<TestIssuer>) -> Response {
    axum::Json(json!({"keys": [{
        "kty": "OKP", "crv": "Ed25519", "use": "sig", "alg": "EdDSA", "kid": "test-1",
        "x": public_x(&s.inner.key),
    }]}))
    .into_response()
}

#[derive(Deserialize)]
struct AuthorizeQuery {
    client_id: String,
    redirect_uri: String,
    state: String,
    nonce: Option<String>,
    code_challenge: String,
    code_challenge_method: String,
    response_type: String,
}

async fn authorize(State(s): State<TestIssuer>, Query(q): Query<AuthorizeQuery>) -> Response {
    if q.response_type != "code" || q.code_challenge_method != "S256" {
        return (StatusCode::BAD_REQUEST, "code flow with S256 only").into_response();
    }
    let (person, _) = match s.inner.next.lock() {
        Ok(n) => n.clone(),
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let code = crate::oidc::random_token(16).unwrap_or_default();
    if let Ok(mut codes) = s.inner.codes.lock() {
        codes.insert(
            code.clone(),
            Pending {
                client_id: q.client_id,
                redirect_uri: q.redirect_uri.clone(),
                nonce: q.nonce,
                challenge: q.code_challenge,
                person,
            },
        );
    }
    let state: String = url::form_urlencoded::byte_serialize(q.state.as_bytes()).collect();
    Redirect::to(&format!("{}?code={code}&state={state}", q.redirect_uri)).into_response()
}

#[derive(Deserialize)]
struct TokenForm {
    grant_type: String,
    code: String,
    redirect_uri: String,
    code_verifier: String,
}

fn oauth_error(error: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        axum::Json(json!({ "error": error })),
    )
        .into_response()
}

async fn token(
    State(s): State<TestIssuer>,
    headers: HeaderMap,
    Form(f): Form<TokenForm>,
) -> Response {
    let expected = format!(
        "Basic {}",
        STANDARD.encode(format!("{}:{}", s.inner.client_id, s.inner.client_secret))
    );
    if headers.get("authorization").and_then(|v| v.to_str().ok()) != Some(expected.as_str()) {
        return (
            StatusCode::UNAUTHORIZED,
            axum::Json(json!({"error": "invalid_client"})),
        )
            .into_response();
    }
    if f.grant_type != "authorization_code" {
        return oauth_error("unsupported_grant_type");
    }
    let pending = match s.inner.codes.lock() {
        Ok(mut codes) => codes.remove(&f.code),
        Err(_) => None,
    };
    let Some(p) = pending else {
        return oauth_error("invalid_grant");
    };
    if p.redirect_uri != f.redirect_uri
        || p.client_id != s.inner.client_id
        || Pkce::from_verifier(f.code_verifier).challenge != p.challenge
    {
        return oauth_error("invalid_grant");
    }
    let fault = s.inner.next.lock().map(|n| n.1).unwrap_or_default();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let mut claims = json!({
        "iss": if fault == Fault::OtherIssuer { "https://elsewhere.example".to_string() } else { s.inner.base.clone() },
        "sub": p.person.subject,
        "aud": if fault == Fault::WrongAudience { "someone-else".to_string() } else { p.client_id },
        "iat": now,
        "exp": if fault == Fault::Expired { now - 600 } else { now + 300 },
    });
    let in_userinfo = matches!(fault, Fault::ClaimsInUserinfo | Fault::UserinfoOtherSubject);
    if let (false, Some(obj)) = (in_userinfo, claims.as_object_mut()) {
        obj.insert("email".into(), json!(p.person.email));
        obj.insert("email_verified".into(), json!(true));
        obj.insert("name".into(), json!(p.person.name));
    }
    let access_token = crate::oidc::random_token(16).unwrap_or_default();
    let mut holder = p.person.clone();
    if fault == Fault::UserinfoOtherSubject {
        holder.subject = format!("{}-other", holder.subject);
    }
    if let Ok(mut access) = s.inner.access.lock() {
        access.insert(access_token.clone(), holder);
    }
    if fault != Fault::NoNonce
        && let (Some(n), Some(obj)) = (p.nonce, claims.as_object_mut())
    {
        obj.insert("nonce".into(), json!(n));
    }
    let key = if fault == Fault::BadSignature {
        &s.inner.other_key
    } else {
        &s.inner.key
    };
    let mut header = Header::new(Algorithm::EdDSA);
    header.kid = Some("test-1".into());
    match jsonwebtoken::encode(&header, &claims, &EncodingKey::from_ed_der(key)) {
        Ok(id_token) => axum::Json(json!({
            "access_token": access_token, "token_type": "Bearer", "expires_in": 300, "id_token": id_token,
        }))
        .into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}

/// Claims of the person the bearer token was given for (Core §5.3).
async fn userinfo(State(s): State<TestIssuer>, headers: HeaderMap) -> Response {
    let token = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    let person = s
        .inner
        .access
        .lock()
        .ok()
        .and_then(|a| a.get(token).cloned());
    match person {
        Some(p) => axum::Json(json!({
            "sub": p.subject, "email": p.email, "email_verified": true, "name": p.name,
        }))
        .into_response(),
        None => (
            StatusCode::UNAUTHORIZED,
            [("www-authenticate", "Bearer error=\"invalid_token\"")],
        )
            .into_response(),
    }
}

/// What a test launch from [`TestPlatform`] gets wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LaunchFault {
    #[default]
    None,
    WrongAudience,
    Expired,
    BadSignature,
    NoNonce,
    /// A message other than a resource link launch (deep linking).
    DeepLinking,
    /// No `sub`: an anonymous launch.
    Anonymous,
}

/// A launch to sign: who, in which course, as what.
#[derive(Debug, Clone)]
pub struct LaunchSpec {
    pub subject: String,
    pub email: Option<String>,
    pub name: String,
    /// Full role URIs.
    pub roles: Vec<String>,
    /// The course's label (its code) and title.
    pub course: Option<(String, String)>,
    pub deployment_id: String,
    pub nonce: String,
    pub target_link_uri: String,
    pub fault: LaunchFault,
}

/// The role URI of a course's instructor.
pub const INSTRUCTOR: &str = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor";
/// The role URI of a course's learner.
pub const LEARNER: &str = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner";

struct PlatformInner {
    base: String,
    client_id: String,
    key: Vec<u8>,
    other_key: Vec<u8>,
}

/// An LTI 1.3 platform on loopback: it publishes its key set at `/jwks`,
/// answers at `/auth` (the authentication request URL; a test reads the
/// `state` and `nonce` from Stint's redirect and signs the launch with
/// [`TestPlatform::launch`]), and signs with a real Ed25519 key. The
/// browser test launches from a real platform library instead.
#[derive(Clone)]
pub struct TestPlatform {
    inner: Arc<PlatformInner>,
}

impl TestPlatform {
    pub async fn start(client_id: &str) -> std::io::Result<TestPlatform> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let platform = TestPlatform {
            inner: Arc::new(PlatformInner {
                base,
                client_id: client_id.into(),
                key: pkcs8(),
                other_key: pkcs8(),
            }),
        };
        let app = axum::Router::new()
            .route("/jwks", get(platform_jwks))
            .route(
                "/auth",
                get(|| async { (StatusCode::BAD_REQUEST, "launch from a course") }),
            )
            .with_state(platform.clone());
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(platform)
    }

    /// The platform's issuer (its base address).
    pub fn issuer(&self) -> String {
        self.inner.base.clone()
    }

    pub fn auth_url(&self) -> String {
        format!("{}/auth", self.inner.base)
    }

    pub fn jwks_url(&self) -> String {
        format!("{}/jwks", self.inner.base)
    }

    /// A signed launch (`id_token`).
    pub fn launch(&self, spec: &LaunchSpec) -> String {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        let claim = |n: &str| format!("https://purl.imsglobal.org/spec/lti/claim/{n}");
        let fault = spec.fault;
        let mut claims = json!({
            "iss": self.inner.base,
            "aud": if fault == LaunchFault::WrongAudience { "someone-else".to_string() } else { self.inner.client_id.clone() },
            "iat": now,
            "exp": if fault == LaunchFault::Expired { now - 600 } else { now + 300 },
            "name": spec.name,
            claim("message_type"): if fault == LaunchFault::DeepLinking { "LtiDeepLinkingRequest" } else { "LtiResourceLinkRequest" },
            claim("version"): "1.3.0",
            claim("deployment_id"): spec.deployment_id,
            claim("target_link_uri"): spec.target_link_uri,
            claim("resource_link"): {"id": "link-1", "title": "Stint"},
            claim("roles"): spec.roles,
        });
        if let Some(obj) = claims.as_object_mut() {
            if fault != LaunchFault::Anonymous {
                obj.insert("sub".into(), json!(spec.subject));
            }
            if fault != LaunchFault::NoNonce {
                obj.insert("nonce".into(), json!(spec.nonce));
            }
            if let Some(email) = &spec.email {
                obj.insert("email".into(), json!(email));
            }
            if let Some((label, title)) = &spec.course {
                obj.insert(
                    claim("context"),
                    json!({"id": format!("ctx-{label}"), "label": label, "title": title}),
                );
            }
        }
        let key = if fault == LaunchFault::BadSignature {
            &self.inner.other_key
        } else {
            &self.inner.key
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some("platform-1".into());
        jsonwebtoken::encode(&header, &claims, &EncodingKey::from_ed_der(key)).unwrap_or_default()
    }
}

async fn platform_jwks(State(s): State<TestPlatform>) -> Response {
    axum::Json(json!({"keys": [{
        "kty": "OKP", "crv": "Ed25519", "use": "sig", "alg": "EdDSA", "kid": "platform-1",
        "x": public_x(&s.inner.key),
    }]}))
    .into_response()
}
