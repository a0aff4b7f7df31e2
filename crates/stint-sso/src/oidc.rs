//! OpenID Connect Core 1.0 and Discovery 1.0, as a confidential client.
//!
//! The flow: [`Client::discover`] reads the issuer's discovery document
//! and its JWKS; [`Provider::authorize_url`] sends the person to the issuer
//! with `state`, `nonce` and a PKCE challenge (S256); the issuer sends them
//! back with a code, which [`Client::exchange`] trades for an ID token at
//! the token endpoint (client secret in HTTP Basic, or in the form when the
//! issuer supports only that); [`Provider::verify_id_token`] checks it.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// Clock skew allowed on `exp`, `nbf` and `iat`, in seconds.
pub const LEEWAY_SECS: i64 = 60;

/// The most of a discovery document, key set or token answer read.
const MAX_BODY: usize = 256 * 1024;

/// Signature algorithms accepted for ID tokens: asymmetric only, so a token
/// signed with the client secret (HS256) or unsigned (`none`) is refused.
const ALGORITHMS: [Algorithm; 9] = [
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
];

/// What failed, for the person signing in (a short sentence) and for the
/// admin testing the settings (the same sentence, with the detail).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SsoError {
    #[error("The issuer address is not usable: {0}")]
    BadIssuer(String),
    #[error("Stint could not reach the discovery document at {url}: {why}")]
    DiscoveryUnreachable { url: String, why: String },
    #[error("The discovery document at {url} is not usable: {why}")]
    DiscoveryInvalid { url: String, why: String },
    #[error(
        "The discovery document names the issuer {found}, not {expected} as configured; use the issuer exactly as the document gives it"
    )]
    IssuerMismatch { expected: String, found: String },
    #[error("Stint could not read the issuer's signing keys at {url}: {why}")]
    JwksUnreachable { url: String, why: String },
    #[error("The issuer's token endpoint refused the sign-in: {0}")]
    TokenRefused(String),
    #[error("The ID token's signature does not check out against the issuer's keys: {0}")]
    Signature(String),
    #[error(
        "The ID token is for another application (audience {found}), not for the client id {expected}"
    )]
    Audience { expected: String, found: String },
    #[error("The ID token was issued by {found}, not by {expected}")]
    Issuer { expected: String, found: String },
    #[error("The ID token expired at {0} (Unix time); sign in again")]
    Expired(i64),
    #[error("The ID token is not valid yet (not before {0}, Unix time); check the clocks")]
    NotYet(i64),
    #[error("The ID token does not carry the nonce of this sign-in, so it may be replayed")]
    Nonce,
    #[error("The ID token is malformed: {0}")]
    Malformed(String),
    #[error("The ID token has no `{0}` claim")]
    MissingClaim(&'static str),
    #[error("Stint could not read who signed in from the issuer's userinfo endpoint: {0}")]
    Userinfo(String),
    #[error("Stint could not reach {url}: {why}")]
    Unreachable { url: String, why: String },
    #[error("The LTI launch is not usable: {0}")]
    Lti(String),
}

impl SsoError {
    /// A stable code for the API and the logs.
    pub fn code(&self) -> &'static str {
        match self {
            SsoError::BadIssuer(_) => "sso_issuer_invalid",
            SsoError::DiscoveryUnreachable { .. } => "sso_discovery_unreachable",
            SsoError::DiscoveryInvalid { .. } => "sso_discovery_invalid",
            SsoError::IssuerMismatch { .. } => "sso_issuer_mismatch",
            SsoError::JwksUnreachable { .. } => "sso_jwks_unreachable",
            SsoError::TokenRefused(_) => "sso_token_refused",
            SsoError::Signature(_) => "sso_signature",
            SsoError::Audience { .. } => "sso_audience",
            SsoError::Issuer { .. } => "sso_issuer",
            SsoError::Expired(_) => "sso_expired",
            SsoError::NotYet(_) => "sso_not_yet_valid",
            SsoError::Nonce => "sso_nonce",
            SsoError::Malformed(_) => "sso_token_malformed",
            SsoError::MissingClaim(_) => "sso_claim_missing",
            SsoError::Userinfo(_) => "sso_userinfo",
            SsoError::Unreachable { .. } => "sso_unreachable",
            SsoError::Lti(_) => "lti_launch_invalid",
        }
    }
}

/// `n` random bytes as unpadded base64url (43 characters for 32 bytes).
pub fn random_token(n: usize) -> Result<String, String> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness: {e}"))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// A PKCE pair (RFC 7636): the verifier stays with Stint, the S256
/// challenge goes to the issuer.
#[derive(Debug, Clone)]
pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

impl Pkce {
    pub fn new() -> Result<Pkce, String> {
        Ok(Pkce::from_verifier(random_token(32)?))
    }

    pub fn from_verifier(verifier: String) -> Pkce {
        let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
        Pkce {
            verifier,
            challenge,
        }
    }
}

/// The HTTP client for issuers: no redirects, no proxy, a timeout, and
/// (unless private addresses are allowed, for development and tests) a
/// resolver that drops private, loopback and link-local addresses, since
/// organizations type the issuer's address. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Client {
    http: reqwest::Client,
    allow_private: bool,
}

/// The issuer as discovered: its endpoints and current signing keys.
#[derive(Debug, Clone)]
pub struct Provider {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
    /// Where the claims of `email` and `profile` are when the ID token
    /// leaves them out (OpenID Connect Core §5.4 allows that).
    pub userinfo_endpoint: Option<String>,
    pub keys: JwkSet,
    /// Send the client secret in the form rather than HTTP Basic.
    secret_in_form: bool,
}

/// Who the issuer says signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// `sub`: stable for this person at this issuer.
    pub subject: String,
    pub email: Option<String>,
    /// `email_verified`, when the issuer says.
    pub email_verified: Option<bool>,
    pub name: Option<String>,
}

#[derive(Deserialize)]
struct Discovery {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
    #[serde(default)]
    userinfo_endpoint: Option<String>,
    #[serde(default)]
    token_endpoint_auth_methods_supported: Option<Vec<String>>,
    #[serde(default)]
    code_challenge_methods_supported: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct TokenAnswer {
    id_token: Option<String>,
    access_token: Option<String>,
}

/// What the token endpoint gave: the ID token, and the access token for
/// the userinfo endpoint (used only there, and not kept).
#[derive(Debug, Clone)]
pub struct Tokens {
    pub id_token: String,
    pub access_token: Option<String>,
}

#[derive(Deserialize)]
struct UserinfoClaims {
    sub: Option<String>,
    email: Option<String>,
    email_verified: Option<serde_json::Value>,
    name: Option<String>,
}

#[derive(Deserialize, Default)]
struct TokenError {
    #[serde(default)]
    error: String,
    #[serde(default)]
    error_description: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Audience {
    One(String),
    Many(Vec<String>),
}

/// The claims every signed token is checked on.
#[derive(Deserialize)]
struct Checked {
    iss: Option<String>,
    aud: Option<Audience>,
    azp: Option<String>,
    exp: Option<i64>,
    nbf: Option<i64>,
    nonce: Option<String>,
}

/// The claims of an ID token about who signed in.
#[derive(Deserialize)]
struct Claims {
    sub: Option<String>,
    email: Option<String>,
    email_verified: Option<serde_json::Value>,
    name: Option<String>,
}

fn form_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

impl Client {
    /// `allow_private` lets issuers live on loopback or a private network.
    pub fn new(allow_private: bool, timeout: Duration) -> Result<Client, String> {
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .user_agent(format!("Stint-SSO/{}", env!("CARGO_PKG_VERSION")));
        if !allow_private {
            builder = builder.dns_resolver(Arc::new(stint_webhooks::GuardedResolver));
        }
        Ok(Client {
            http: builder.build().map_err(|e| e.to_string())?,
            allow_private,
        })
    }

    pub fn allows_private(&self) -> bool {
        self.allow_private
    }

    /// Checks an issuer as typed: an `https://` URL (any when private
    /// addresses are allowed), no user name, query or fragment. Returns it
    /// without a trailing slash.
    pub fn check_issuer(&self, raw: &str) -> Result<String, SsoError> {
        let url = self.check_url(raw)?;
        if url.query().is_some() || url.fragment().is_some() {
            return Err(SsoError::BadIssuer(
                "an issuer has no query (?) or fragment (#)".into(),
            ));
        }
        Ok(url.as_str().trim_end_matches('/').to_string())
    }

    /// Checks an address of the organization's provider as typed (a SAML
    /// sign-in address): the same rules as an issuer, a query allowed.
    pub fn check_address(&self, raw: &str) -> Result<String, SsoError> {
        let url = self.check_url(raw)?;
        if url.fragment().is_some() {
            return Err(SsoError::BadIssuer(
                "the address has no fragment (#)".into(),
            ));
        }
        Ok(url.to_string())
    }

    /// Whether `url` answers over HTTP at all (any status below 500: a
    /// sign-in page without its request may well say 400).
    pub async fn reachable(&self, url: &str) -> Result<(), SsoError> {
        let unreachable = |why: String| SsoError::Unreachable {
            url: url.to_string(),
            why,
        };
        let res = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| unreachable(describe(&e)))?;
        if res.status().is_server_error() {
            return Err(unreachable(format!("it answered {}", res.status())));
        }
        Ok(())
    }

    fn check_url(&self, raw: &str) -> Result<url::Url, SsoError> {
        stint_webhooks::check_url(raw, self.allow_private).map_err(|e| {
            SsoError::BadIssuer(match e {
                stint_webhooks::AddressError::Invalid => {
                    "enter the full address, such as https://login.example.edu".into()
                }
                stint_webhooks::AddressError::NotHttps => {
                    "the address must start with https://".into()
                }
                other => other.to_string(),
            })
        })
    }

    async fn get_json(&self, url: &str) -> Result<serde_json::Value, String> {
        let res = self
            .http
            .get(url)
            .header("accept", "application/json")
            .send()
            .await
            .map_err(|e| describe(&e))?;
        let status = res.status();
        if !status.is_success() {
            return Err(format!("it answered {status}"));
        }
        let bytes = read_limited(res).await?;
        serde_json::from_slice(&bytes).map_err(|e| format!("the answer is not JSON ({e})"))
    }

    /// Reads a JSON Web Key Set (an LTI platform's, at the address its
    /// registration gives): at least one key.
    pub async fn jwks(&self, url: &str) -> Result<JwkSet, SsoError> {
        let unreachable = |why: String| SsoError::JwksUnreachable {
            url: url.to_string(),
            why,
        };
        self.check_url(url)
            .map_err(|e| unreachable(e.to_string()))?;
        let keys = self.get_json(url).await.map_err(unreachable)?;
        let keys: JwkSet = serde_json::from_value(keys)
            .map_err(|e| unreachable(format!("it is not a JSON Web Key Set ({e})")))?;
        if keys.keys.is_empty() {
            return Err(unreachable("the key set is empty".into()));
        }
        Ok(keys)
    }

    /// Reads the issuer's discovery document and signing keys. The
    /// document must name the configured issuer (Discovery 1.0 §4.3), and
    /// its endpoints must pass the same address rules as the issuer.
    pub async fn discover(&self, issuer: &str) -> Result<Provider, SsoError> {
        let issuer = self.check_issuer(issuer)?;
        let url = format!("{issuer}/.well-known/openid-configuration");
        let doc = self
            .get_json(&url)
            .await
            .map_err(|why| SsoError::DiscoveryUnreachable {
                url: url.clone(),
                why,
            })?;
        let d: Discovery = serde_json::from_value(doc).map_err(|e| SsoError::DiscoveryInvalid {
            url: url.clone(),
            why: e.to_string(),
        })?;
        if d.issuer.trim_end_matches('/') != issuer {
            return Err(SsoError::IssuerMismatch {
                expected: issuer,
                found: d.issuer,
            });
        }
        for (name, endpoint) in [
            ("authorization_endpoint", Some(&d.authorization_endpoint)),
            ("token_endpoint", Some(&d.token_endpoint)),
            ("jwks_uri", Some(&d.jwks_uri)),
            ("userinfo_endpoint", d.userinfo_endpoint.as_ref()),
        ]
        .into_iter()
        .filter_map(|(n, e)| e.map(|e| (n, e)))
        {
            self.check_url(endpoint)
                .map_err(|e| SsoError::DiscoveryInvalid {
                    url: url.clone(),
                    why: format!("{name}: {e}"),
                })?;
        }
        if let Some(methods) = &d.code_challenge_methods_supported
            && !methods.iter().any(|m| m == "S256")
        {
            return Err(SsoError::DiscoveryInvalid {
                url,
                why: "the issuer does not support PKCE with S256".into(),
            });
        }
        let secret_in_form = d
            .token_endpoint_auth_methods_supported
            .as_ref()
            .is_some_and(|m| {
                !m.iter().any(|x| x == "client_secret_basic")
                    && m.iter().any(|x| x == "client_secret_post")
            });
        let keys = self
            .get_json(&d.jwks_uri)
            .await
            .map_err(|why| SsoError::JwksUnreachable {
                url: d.jwks_uri.clone(),
                why,
            })?;
        let keys: JwkSet = serde_json::from_value(keys).map_err(|e| SsoError::JwksUnreachable {
            url: d.jwks_uri.clone(),
            why: format!("it is not a JSON Web Key Set ({e})"),
        })?;
        if keys.keys.is_empty() {
            return Err(SsoError::JwksUnreachable {
                url: d.jwks_uri,
                why: "the key set is empty".into(),
            });
        }
        Ok(Provider {
            issuer: d.issuer,
            authorization_endpoint: d.authorization_endpoint,
            token_endpoint: d.token_endpoint,
            jwks_uri: d.jwks_uri,
            userinfo_endpoint: d.userinfo_endpoint,
            keys,
            secret_in_form,
        })
    }

    /// Trades an authorization code for the ID token, and the access
    /// token when the issuer gives one (for [`Client::complete`]).
    pub async fn exchange(
        &self,
        provider: &Provider,
        client_id: &str,
        client_secret: &str,
        code: &str,
        redirect_uri: &str,
        verifier: &str,
    ) -> Result<Tokens, SsoError> {
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier),
        ];
        let mut req = self
            .http
            .post(&provider.token_endpoint)
            .header("accept", "application/json");
        if provider.secret_in_form {
            form.push(("client_id", client_id));
            form.push(("client_secret", client_secret));
        } else {
            // RFC 6749 §2.3.1: both parts form-encoded before Basic.
            let pair = format!("{}:{}", form_encode(client_id), form_encode(client_secret));
            req = req.header(
                "authorization",
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                ),
            );
        }
        let body: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        let res = req
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .map_err(|e| SsoError::TokenRefused(describe(&e)))?;
        let status = res.status();
        let bytes = read_limited(res).await.map_err(SsoError::TokenRefused)?;
        if !status.is_success() {
            let e: TokenError = serde_json::from_slice(&bytes).unwrap_or_default();
            let what = match (e.error.as_str(), e.error_description.as_str()) {
                ("", _) => format!("it answered {status}"),
                (code, "") => code.to_string(),
                (code, d) => format!("{code}: {d}"),
            };
            return Err(SsoError::TokenRefused(what));
        }
        let answer: TokenAnswer = serde_json::from_slice(&bytes)
            .map_err(|e| SsoError::TokenRefused(format!("the answer is not JSON ({e})")))?;
        let id_token = answer
            .id_token
            .ok_or_else(|| SsoError::TokenRefused("the answer has no id_token".into()))?;
        Ok(Tokens {
            id_token,
            access_token: answer.access_token.filter(|t| !t.is_empty()),
        })
    }

    /// Fills in the email address (and name) from the userinfo endpoint
    /// when the ID token has none, as issuers that follow Core §5.4 to the
    /// letter do. The answer must be about the same `sub` (Core §5.3.2);
    /// its address still passes the caller's checks. An identity that has
    /// its address already is returned as it is.
    pub async fn complete(
        &self,
        provider: &Provider,
        tokens: &Tokens,
        identity: Identity,
    ) -> Result<Identity, SsoError> {
        if identity.email.is_some() {
            return Ok(identity);
        }
        let (Some(url), Some(access)) = (&provider.userinfo_endpoint, &tokens.access_token) else {
            return Ok(identity);
        };
        let res = self
            .http
            .get(url)
            .header("accept", "application/json")
            .bearer_auth(access)
            .send()
            .await
            .map_err(|e| SsoError::Userinfo(describe(&e)))?;
        let status = res.status();
        if !status.is_success() {
            return Err(SsoError::Userinfo(format!("it answered {status}")));
        }
        let signed = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("application/jwt"));
        if signed {
            return Err(SsoError::Userinfo(
                "it answers with a signed JWT; configure the issuer to answer with JSON".into(),
            ));
        }
        let bytes = read_limited(res).await.map_err(SsoError::Userinfo)?;
        let c: UserinfoClaims = serde_json::from_slice(&bytes)
            .map_err(|e| SsoError::Userinfo(format!("the answer is not JSON claims ({e})")))?;
        if c.sub.as_deref() != Some(identity.subject.as_str()) {
            return Err(SsoError::Userinfo(format!(
                "it is about {}, not the subject {} of the ID token",
                c.sub.as_deref().unwrap_or("no subject"),
                identity.subject
            )));
        }
        Ok(Identity {
            email: c.email,
            email_verified: verified(c.email_verified).or(identity.email_verified),
            name: identity.name.or(c.name.filter(|n| !n.trim().is_empty())),
            subject: identity.subject,
        })
    }
}

async fn read_limited(mut res: reqwest::Response) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    while let Some(chunk) = res.chunk().await.map_err(|e| describe(&e))? {
        if out.len() + chunk.len() > MAX_BODY {
            return Err("the answer is too large".into());
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// A client error in a few words (reqwest's own texts nest their causes).
fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        return "it did not answer in time".into();
    }
    if e.is_connect() {
        let mut cause: Option<&dyn std::error::Error> = Some(e);
        let mut last = String::new();
        while let Some(c) = cause {
            last = c.to_string();
            cause = c.source();
        }
        return format!("the connection failed ({last})");
    }
    if e.is_redirect() || e.status().is_some_and(|s| s.is_redirection()) {
        return "it answered with a redirect, which Stint does not follow".into();
    }
    e.to_string()
}

impl Provider {
    /// Where to send the person: the authorization endpoint with the code
    /// flow's parameters (`openid email profile`).
    pub fn authorize_url(
        &self,
        client_id: &str,
        redirect_uri: &str,
        state: &str,
        nonce: &str,
        challenge: &str,
        login_hint: Option<&str>,
    ) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.append_pair("response_type", "code")
            .append_pair("client_id", client_id)
            .append_pair("redirect_uri", redirect_uri)
            .append_pair("scope", "openid email profile")
            .append_pair("state", state)
            .append_pair("nonce", nonce)
            .append_pair("code_challenge", challenge)
            .append_pair("code_challenge_method", "S256");
        if let Some(hint) = login_hint {
            q.append_pair("login_hint", hint);
        }
        let sep = if self.authorization_endpoint.contains('?') {
            '&'
        } else {
            '?'
        };
        format!("{}{sep}{}", self.authorization_endpoint, q.finish())
    }

    /// Checks an ID token: an asymmetric signature by one of the issuer's
    /// keys, `iss` equal to the issuer, `aud` naming `client_id` (and `azp`
    /// equal to it when there are several audiences or `azp` is given),
    /// `exp` and `nbf` around `now` (Unix seconds) within [`LEEWAY_SECS`],
    /// `nonce` equal to this sign-in's, and a `sub`.
    pub fn verify_id_token(
        &self,
        token: &str,
        client_id: &str,
        nonce: &str,
        now: i64,
    ) -> Result<Identity, SsoError> {
        let claims = verify_jwt(
            &self.keys,
            token,
            &Expected {
                issuer: &self.issuer,
                client_id,
                nonce,
                now,
            },
        )?;
        let c: Claims =
            serde_json::from_value(claims).map_err(|e| SsoError::Malformed(e.to_string()))?;
        let subject = c
            .sub
            .filter(|s| !s.is_empty())
            .ok_or(SsoError::MissingClaim("sub"))?;
        Ok(Identity {
            subject,
            email: c.email,
            email_verified: verified(c.email_verified),
            name: c.name.filter(|n| !n.trim().is_empty()),
        })
    }
}

/// What a signed token must say: who issued it, for which client, with
/// which nonce, and the time now (Unix seconds).
pub struct Expected<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub nonce: &'a str,
    pub now: i64,
}

/// The key the token names (`kid`), or the only key of its kind.
fn key_for<'k>(keys: &'k JwkSet, kid: Option<&str>, alg: Algorithm) -> Option<&'k Jwk> {
    let fits = |k: &&Jwk| {
        DecodingKey::from_jwk(k).is_ok()
            && k.common
                .public_key_use
                .as_ref()
                .is_none_or(|u| *u == jsonwebtoken::jwk::PublicKeyUse::Signature)
            && family(&k.algorithm) == family_of(alg)
    };
    match kid {
        Some(kid) => keys
            .keys
            .iter()
            .filter(fits)
            .find(|k| k.common.key_id.as_deref() == Some(kid)),
        None => {
            let mut candidates = keys.keys.iter().filter(fits);
            let one = candidates.next();
            if candidates.next().is_some() {
                None
            } else {
                one
            }
        }
    }
}

/// Checks a token signed as OpenID Connect signs ID tokens (an LTI launch
/// is one too): an asymmetric signature by one of `keys`, `iss`, `aud`
/// (and `azp`), `exp`, `nbf` and `nonce` as [`Provider::verify_id_token`]
/// says. Returns all its claims.
pub fn verify_jwt(
    keys: &JwkSet,
    token: &str,
    expected: &Expected<'_>,
) -> Result<serde_json::Value, SsoError> {
    let header =
        jsonwebtoken::decode_header(token).map_err(|e| SsoError::Malformed(e.to_string()))?;
    if !ALGORITHMS.contains(&header.alg) {
        return Err(SsoError::Signature(format!(
            "the algorithm {:?} is not accepted (only asymmetric signatures are)",
            header.alg
        )));
    }
    let jwk = key_for(keys, header.kid.as_deref(), header.alg).ok_or_else(|| {
        SsoError::Signature(match &header.kid {
            Some(kid) => format!("no key {kid} for {:?} in the issuer's key set", header.alg),
            None => "the token names no key and the key set has no single key for it".into(),
        })
    })?;
    let key = DecodingKey::from_jwk(jwk).map_err(|e| SsoError::Signature(e.to_string()))?;
    let mut validation = Validation::new(header.alg);
    validation.validate_exp = false;
    validation.validate_nbf = false;
    validation.validate_aud = false;
    validation.required_spec_claims.clear();
    let data =
        jsonwebtoken::decode::<serde_json::Value>(token, &key, &validation).map_err(|e| match e
            .kind()
        {
            jsonwebtoken::errors::ErrorKind::InvalidSignature => {
                SsoError::Signature("the signature is wrong".into())
            }
            _ => SsoError::Malformed(e.to_string()),
        })?;
    let c: Checked = serde_json::from_value(data.claims.clone())
        .map_err(|e| SsoError::Malformed(e.to_string()))?;
    let iss = c.iss.ok_or(SsoError::MissingClaim("iss"))?;
    if iss != expected.issuer {
        return Err(SsoError::Issuer {
            expected: expected.issuer.to_string(),
            found: iss,
        });
    }
    let client_id = expected.client_id;
    let aud = match c.aud.ok_or(SsoError::MissingClaim("aud"))? {
        Audience::One(a) => vec![a],
        Audience::Many(a) => a,
    };
    if !aud.iter().any(|a| a == client_id) {
        return Err(SsoError::Audience {
            expected: client_id.to_string(),
            found: aud.join(", "),
        });
    }
    if (aud.len() > 1 || c.azp.is_some()) && c.azp.as_deref() != Some(client_id) {
        return Err(SsoError::Audience {
            expected: client_id.to_string(),
            found: format!(
                "{} (authorized party {})",
                aud.join(", "),
                c.azp.as_deref().unwrap_or("missing")
            ),
        });
    }
    let exp = c.exp.ok_or(SsoError::MissingClaim("exp"))?;
    if exp + LEEWAY_SECS < expected.now {
        return Err(SsoError::Expired(exp));
    }
    if let Some(nbf) = c.nbf
        && nbf - LEEWAY_SECS > expected.now
    {
        return Err(SsoError::NotYet(nbf));
    }
    // Compared in constant time: the nonce is a secret of this sign-in.
    let given = c.nonce.ok_or(SsoError::Nonce)?;
    if !constant_eq(given.as_bytes(), expected.nonce.as_bytes()) {
        return Err(SsoError::Nonce);
    }
    Ok(data.claims)
}

/// `email_verified` as a boolean; some issuers send "true"/"false" as text.
pub(crate) fn verified(v: Option<serde_json::Value>) -> Option<bool> {
    match v {
        Some(serde_json::Value::Bool(b)) => Some(b),
        Some(serde_json::Value::String(s)) => Some(s == "true"),
        _ => None,
    }
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[derive(PartialEq, Eq, Debug)]
enum Family {
    Rsa,
    Ec,
    Okp,
    Other,
}

fn family(params: &jsonwebtoken::jwk::AlgorithmParameters) -> Family {
    use jsonwebtoken::jwk::AlgorithmParameters as P;
    match params {
        P::RSA(_) => Family::Rsa,
        P::EllipticCurve(_) => Family::Ec,
        P::OctetKeyPair(_) => Family::Okp,
        P::OctetKey(_) => Family::Other,
    }
}

fn family_of(alg: Algorithm) -> Family {
    match alg {
        Algorithm::RS256
        | Algorithm::RS384
        | Algorithm::RS512
        | Algorithm::PS256
        | Algorithm::PS384
        | Algorithm::PS512 => Family::Rsa,
        Algorithm::ES256 | Algorithm::ES384 => Family::Ec,
        Algorithm::EdDSA => Family::Okp,
        _ => Family::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pkce_matches_rfc_7636_appendix_b() {
        let p = Pkce::from_verifier("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk".into());
        assert_eq!(p.challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    #[test]
    fn issuers_are_checked_as_typed() -> Result<(), String> {
        let strict = Client::new(false, Duration::from_secs(1))?;
        assert!(strict.check_issuer("http://login.example.edu").is_err());
        assert!(strict.check_issuer("https://127.0.0.1").is_err());
        assert!(
            strict
                .check_issuer("https://login.example.edu?x=1")
                .is_err()
        );
        assert_eq!(
            strict.check_issuer(" https://login.example.edu/ "),
            Ok("https://login.example.edu".to_string())
        );
        let open = Client::new(true, Duration::from_secs(1))?;
        assert_eq!(
            open.check_issuer("http://127.0.0.1:4000"),
            Ok("http://127.0.0.1:4000".to_string())
        );
        Ok(())
    }

    #[test]
    fn every_error_has_its_own_code() {
        let all = [
            SsoError::BadIssuer(String::new()),
            SsoError::DiscoveryUnreachable {
                url: String::new(),
                why: String::new(),
            },
            SsoError::DiscoveryInvalid {
                url: String::new(),
                why: String::new(),
            },
            SsoError::IssuerMismatch {
                expected: String::new(),
                found: String::new(),
            },
            SsoError::JwksUnreachable {
                url: String::new(),
                why: String::new(),
            },
            SsoError::TokenRefused(String::new()),
            SsoError::Signature(String::new()),
            SsoError::Audience {
                expected: String::new(),
                found: String::new(),
            },
            SsoError::Issuer {
                expected: String::new(),
                found: String::new(),
            },
            SsoError::Expired(0),
            SsoError::NotYet(0),
            SsoError::Nonce,
            SsoError::Malformed(String::new()),
            SsoError::MissingClaim("sub"),
            SsoError::Userinfo(String::new()),
            SsoError::Unreachable {
                url: String::new(),
                why: String::new(),
            },
            SsoError::Lti(String::new()),
        ];
        let codes: std::collections::HashSet<_> = all.iter().map(SsoError::code).collect();
        assert_eq!(codes.len(), all.len());
    }
}
