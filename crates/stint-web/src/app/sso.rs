//! Single sign-on: an organization signs its people in with its own
//! OpenID Connect provider (`crates/stint-sso`) or SAML 2.0 identity
//! provider (`crates/stint-saml`).
//!
//! SAML: Stint publishes its metadata per organization (its entity ID is
//! the metadata's address), sends an AuthnRequest by HTTP-Redirect with
//! the pending sign-in's token as RelayState, and takes the answer at
//! `/sso/saml/acs`. Browsers do not send Stint's cookies with that
//! cross-site POST, so the page there re-posts the answer to
//! `/sso/saml/finish` from Stint's own origin, where the state cookie
//! binds it to the browser that started, as for OpenID Connect. The
//! Response must answer that AuthnRequest, and an assertion is accepted
//! once.
//!
//! - Owners of a verified organization set the issuer, client id and
//!   secret (sealed for `sso:<org>`), test them (discovery and keys), and
//!   may then require the provider for the organization's email domains,
//!   which stops password sign-in and API tokens by password for those
//!   addresses. Every change is in the audit log.
//! - Sign-in: `start` stores a pending sign-in (hash of `state`, `nonce`,
//!   PKCE verifier, 10 minutes) and sends the browser to the issuer, with
//!   `state` also in a short cookie; `finish` takes the pending row back
//!   once (a replayed callback finds nothing), requires the cookie to match,
//!   trades the code and checks the ID token, then finds or creates the
//!   account: a student of a university (affiliated with proof `sso`), or
//!   a member of an employer.

use chrono::{Duration, Utc};
use stint_domain::account::{DisplayName, Email, Role};
use stint_domain::organization::OrgKind;
use stint_domain::university::domain_matches;
use stint_store::{DomainConnection, Membership, SsoConnection, SsoInput, SsoLogin, User};

use crate::AppState;
use crate::auth::authz::require_owner;
use crate::auth::tokens::hash_token;
use crate::error::AppError;

/// How long a sign-in may take at the provider.
pub const LOGIN_MINUTES: i64 = 10;

/// The cookie that binds a sign-in to the browser that started it.
pub const STATE_COOKIE: &str = "stint_sso";

/// Stored as the password hash of accounts made by sign-in: it never
/// matches a password (not a PHC string), until the person sets one.
pub(crate) const NO_PASSWORD: &str = "!sso";

/// The address the provider sends people back to (registered there).
pub fn redirect_uri(state: &AppState) -> String {
    format!("{}/sso/callback", state.config.base_url)
}

/// SAML: where IdPs post their answers (one for every organization).
pub fn acs_url(state: &AppState) -> String {
    format!("{}/sso/saml/acs", state.config.base_url)
}

/// SAML: Stint's entity ID for an organization, which is also the address
/// of its metadata.
pub fn sp_entity_id(state: &AppState, org_id: i64) -> String {
    format!("{}/sso/saml/metadata/{org_id}", state.config.base_url)
}

/// SAML: Stint's metadata for a verified organization (public: IdPs read
/// it, often before the organization's connection is saved here).
pub async fn sp_metadata(state: &AppState, org_id: i64) -> Result<String, AppError> {
    let org = state.store.org(org_id).await?;
    if !org.verified {
        return Err(AppError::NotFound);
    }
    Ok(stint_saml::sp_metadata(
        &sp_entity_id(state, org_id),
        &acs_url(state),
        &org.name,
    ))
}

fn saml_refused(e: stint_saml::SamlError) -> AppError {
    AppError::conflict(e.code(), e.to_string())
}

fn sealed_for(org_id: i64) -> String {
    format!("sso:{org_id}")
}

fn refused(e: stint_sso::SsoError) -> AppError {
    AppError::conflict(e.code(), e.to_string())
}

/// Codes of refusals that only an organization's IT team can mend: the
/// provider's or platform's settings, keys or clocks.
const TECHNICAL: [&str; 17] = [
    "sso_issuer_invalid",
    "sso_discovery_unreachable",
    "sso_discovery_invalid",
    "sso_issuer_mismatch",
    "sso_jwks_unreachable",
    "sso_token_refused",
    "sso_signature",
    "sso_audience",
    "sso_issuer",
    "sso_expired",
    "sso_not_yet_valid",
    "sso_nonce",
    "sso_token_malformed",
    "sso_claim_missing",
    "sso_userinfo",
    "sso_unreachable",
    "lti_launch_invalid",
];

/// A refused sign-in or launch in words for the person it happened to:
/// what they can do themselves stays as it is; a technical reason gets a
/// sentence they can act on, with the exact reason kept for their IT team
/// (and in the organization's audit log). `from` names where the answer
/// came from ("Your organization's sign-in").
pub fn for_people(code: &str, detail: &str, from: &str) -> String {
    let technical =
        TECHNICAL.contains(&code) || (code.starts_with("saml_") && code != "saml_replay");
    if technical {
        format!(
            "{from} sent an answer Stint could not accept, so Stint did not sign you in. Try once more; if it happens again, give your IT team this detail: {detail}"
        )
    } else {
        detail.to_string()
    }
}

/// The connection for `email`'s domain, if its organization has one.
pub async fn for_email(
    state: &AppState,
    email: &str,
) -> Result<Option<DomainConnection>, AppError> {
    let Ok(email) = Email::parse(email) else {
        return Ok(None);
    };
    Ok(state.store.sso_for_domain(email.domain()).await?)
}

/// Refuses password sign-in (and tokens by password) for an address whose
/// organization requires its own sign-in. Stint's administrators are never
/// locked out by an organization.
pub async fn check_password_allowed(state: &AppState, user: &User) -> Result<(), AppError> {
    if user.role == Role::Admin {
        return Ok(());
    }
    if let Some(c) = for_email(state, &user.email).await?
        && c.connection.required
    {
        return Err(AppError::conflict(
            "sso_required",
            format!(
                "{} signs you in with its own account. Choose \"Continue with {}\" to sign in.",
                c.org_name, c.org_name
            ),
        ));
    }
    Ok(())
}

/// Where to send the browser, and the `state` for its cookie.
pub struct Started {
    pub url: String,
    pub state: String,
}

/// Starts a sign-in with the organization's provider.
pub async fn start(
    state: &AppState,
    org_id: i64,
    next: &str,
    login_hint: Option<&str>,
) -> Result<Started, AppError> {
    let org = state.store.org(org_id).await?;
    let conn = match state.store.sso_connection(org_id).await? {
        Some(c) if org.verified => c,
        _ => return Err(AppError::NotFound),
    };
    if conn.protocol == "saml" {
        return start_saml(state, &conn, next).await;
    }
    let provider = state
        .config
        .sso
        .discover(&conn.issuer)
        .await
        .map_err(refused)?;
    let token = stint_sso::random_token(32).map_err(AppError::Internal)?;
    let nonce = stint_sso::random_token(32).map_err(AppError::Internal)?;
    let pkce = stint_sso::Pkce::new().map_err(AppError::Internal)?;
    let now = state.clock.now();
    state
        .store
        .create_sso_login(
            &hash_token(&token),
            &SsoLogin {
                org_id,
                nonce: nonce.clone(),
                verifier: pkce.verifier.clone(),
                next: next.chars().take(500).collect(),
                expires_at: now + Duration::minutes(LOGIN_MINUTES),
            },
            now,
        )
        .await?;
    let hint = login_hint.and_then(|h| Email::parse(h).ok());
    Ok(Started {
        url: provider.authorize_url(
            &conn.client_id,
            &redirect_uri(state),
            &token,
            &nonce,
            &pkce.challenge,
            hint.as_ref().map(|e| e.as_str()),
        ),
        state: token,
    })
}

async fn start_saml(
    state: &AppState,
    conn: &SsoConnection,
    next: &str,
) -> Result<Started, AppError> {
    let token = stint_sso::random_token(32).map_err(AppError::Internal)?;
    let request_id = stint_sso::random_token(20).map_err(AppError::Internal)?;
    let now = state.clock.now();
    let sso_url = conn.saml_sso_url.as_deref().unwrap_or("");
    let request = stint_saml::authn_request(
        sso_url,
        &sp_entity_id(state, conn.org_id),
        &acs_url(state),
        &request_id,
        &token,
        now,
    )
    .map_err(saml_refused)?;
    state
        .store
        .create_sso_login(
            &hash_token(&token),
            &SsoLogin {
                org_id: conn.org_id,
                nonce: request.id.clone(),
                verifier: String::new(),
                next: next.chars().take(500).collect(),
                expires_at: now + Duration::minutes(LOGIN_MINUTES),
            },
            now,
        )
        .await?;
    Ok(Started {
        url: request.redirect_url,
        state: token,
    })
}

/// What the IdP posted, re-posted by the browser to `/sso/saml/finish`.
pub struct SamlCallback<'a> {
    pub relay_state: &'a str,
    pub response: &'a str,
    /// The `state` cookie of this browser.
    pub cookie: Option<&'a str>,
}

/// The pending sign-in `state` names, taken once, if this browser started it.
async fn take_login(
    state: &AppState,
    token: &str,
    cookie: Option<&str>,
) -> Result<SsoLogin, AppError> {
    if token.is_empty() || token.len() > 200 {
        return Err(stale());
    }
    // Taken (deleted) first, so a replay finds nothing whatever follows.
    let login = state
        .store
        .take_sso_login(&hash_token(token))
        .await?
        .ok_or_else(stale)?;
    let cookie_ok = cookie.is_some_and(|c| same_secret(c, token));
    if !cookie_ok || login.expires_at < state.clock.now() {
        return Err(stale());
    }
    Ok(login)
}

/// Finishes a SAML sign-in: the account and where to go next.
pub async fn finish_saml(
    state: &AppState,
    cb: SamlCallback<'_>,
) -> Result<(User, String), AppError> {
    let login = take_login(state, cb.relay_state, cb.cookie).await?;
    let org_id = login.org_id;
    let result = finish_saml_checked(state, &cb, login).await;
    if let Err(e) = &result {
        audit_refusal(state, org_id, e).await?;
    }
    result
}

async fn finish_saml_checked(
    state: &AppState,
    cb: &SamlCallback<'_>,
    login: SsoLogin,
) -> Result<(User, String), AppError> {
    let org = state.store.org(login.org_id).await?;
    let conn = match state.store.sso_connection(org.id).await? {
        Some(c) if org.verified && c.protocol == "saml" => c,
        _ => return Err(stale()),
    };
    let certificate =
        stint_saml::Certificate::parse(conn.saml_certificate.as_deref().unwrap_or(""))
            .map_err(saml_refused)?;
    let now = state.clock.now();
    let sp = sp_entity_id(state, org.id);
    let acs = acs_url(state);
    let got = stint_saml::read_response(
        cb.response,
        &stint_saml::Expect {
            idp_entity_id: &conn.issuer,
            certificate: &certificate,
            sp_entity_id: &sp,
            acs_url: &acs,
            request_id: Some(&login.nonce),
            now,
        },
    )
    .map_err(saml_refused)?;
    if !state
        .store
        .use_saml_assertion(org.id, &got.assertion_id, got.not_on_or_after, now)
        .await?
    {
        return Err(AppError::conflict(
            "saml_replay",
            "This assertion was used to sign in already; Stint accepts each once. Start again from the sign-in page.",
        ));
    }
    let identity = stint_sso::Identity {
        subject: got.name_id,
        email: got.email,
        email_verified: None,
        name: got.name,
    };
    let user = account_for(state, &org, &identity).await?;
    Ok((user, login.next))
}

async fn audit_refusal(state: &AppState, org_id: i64, e: &AppError) -> Result<(), AppError> {
    let what = match e {
        AppError::Conflict { code, message } => format!("{code}: {message}"),
        other => other.to_string(),
    };
    state
        .store
        .audit(None, "sso.refused", "organization", org_id, &what)
        .await?;
    Ok(())
}

/// What the provider sent back to `/sso/callback`.
pub struct Callback<'a> {
    pub state: &'a str,
    pub code: &'a str,
    /// `error` (and its description) when the provider did not sign in.
    pub error: Option<String>,
    /// The `state` cookie of this browser.
    pub cookie: Option<&'a str>,
}

fn stale() -> AppError {
    AppError::conflict(
        "sso_state",
        "This sign-in expired, was used already or was started in another browser. Start again from the sign-in page.",
    )
}

/// Finishes a sign-in: the account and where to go next.
pub async fn finish(state: &AppState, cb: Callback<'_>) -> Result<(User, String), AppError> {
    let login = take_login(state, cb.state, cb.cookie).await?;
    let org_id = login.org_id;
    let result = finish_checked(state, &cb, login).await;
    if let Err(e) = &result {
        audit_refusal(state, org_id, e).await?;
    }
    result
}

async fn finish_checked(
    state: &AppState,
    cb: &Callback<'_>,
    login: SsoLogin,
) -> Result<(User, String), AppError> {
    if let Some(error) = &cb.error {
        return Err(AppError::conflict(
            "sso_cancelled",
            format!(
                "Your organization's sign-in did not sign you in ({}).",
                error.chars().take(200).collect::<String>()
            ),
        ));
    }
    let org = state.store.org(login.org_id).await?;
    let conn = match state.store.sso_connection(org.id).await? {
        Some(c) if org.verified && c.protocol == "oidc" => c,
        _ => return Err(stale()),
    };
    let secret = state
        .config
        .sealer
        .open(&sealed_for(org.id), &conn.client_secret_sealed)
        .map_err(|e| AppError::Internal(format!("sso secret of organization {}: {e}", org.id)))?;
    let secret = String::from_utf8(secret)
        .map_err(|_| AppError::Internal("sso secret is not text".into()))?;
    let sso = &state.config.sso;
    let provider = sso.discover(&conn.issuer).await.map_err(refused)?;
    let tokens = sso
        .exchange(
            &provider,
            &conn.client_id,
            &secret,
            cb.code,
            &redirect_uri(state),
            &login.verifier,
        )
        .await
        .map_err(refused)?;
    let identity = provider
        .verify_id_token(
            &tokens.id_token,
            &conn.client_id,
            &login.nonce,
            state.clock.now().timestamp(),
        )
        .map_err(refused)?;
    let identity = sso
        .complete(&provider, &tokens, identity)
        .await
        .map_err(refused)?;
    let user = account_for(state, &org, &identity).await?;
    Ok((user, login.next))
}

/// The account `identity` signs in to, made on first sign-in.
async fn account_for(
    state: &AppState,
    org: &stint_store::Organization,
    identity: &stint_sso::Identity,
) -> Result<User, AppError> {
    let now = state.clock.now();
    let email = identity
        .email
        .as_deref()
        .ok_or_else(|| refused(stint_sso::SsoError::MissingClaim("email")))?;
    if identity.email_verified == Some(false) {
        return Err(AppError::conflict(
            "sso_email_unverified",
            "Your organization's sign-in says your email address is not verified there.",
        ));
    }
    let email = Email::parse(email).map_err(|_| {
        AppError::conflict(
            "sso_email_invalid",
            "Your organization's sign-in sent an email address Stint cannot use.",
        )
    })?;
    // A provider speaks only for its organization's own domains.
    let domains = state.store.org_domains(org.id).await?;
    if !domain_matches(email.domain(), &domains) {
        return Err(AppError::conflict(
            "sso_domain",
            format!(
                "{} signed you in as {}, which is not an address of its domains on Stint.",
                org.name,
                email.as_str()
            ),
        ));
    }
    let known = match state.store.sso_identity(org.id, &identity.subject).await? {
        Some(id) => Some(state.store.user(id).await?),
        None => state.store.user_by_email(email.as_str()).await?,
    };
    let user = match known {
        Some(u) => u,
        None => {
            let role = match org.kind {
                OrgKind::University => Role::Student,
                OrgKind::Employer => Role::Employer,
            };
            new_account(state, &email, identity.name.as_deref(), role, "sso").await?
        }
    };
    super::scim::check_active(state, &user).await?;
    attach(state, org, &user, email.as_str(), "sso").await?;
    state
        .store
        .link_sso_identity(org.id, &identity.subject, user.id, now)
        .await?;
    state
        .store
        .audit(
            Some(user.id),
            "user.signed_in",
            "organization",
            org.id,
            "sso",
        )
        .await?;
    Ok(state.store.user(user.id).await?)
}

/// An account made by an organization's sign-in (`how`: `sso`, `lti`):
/// no password until the person sets one, named as the organization says
/// (else after the address).
pub(crate) async fn new_account(
    state: &AppState,
    email: &Email,
    name: Option<&str>,
    role: Role,
    how: &str,
) -> Result<User, AppError> {
    let fallback = email.as_str().split('@').next().unwrap_or("New member");
    let name = name
        .and_then(|n| DisplayName::parse(n).ok())
        .or_else(|| DisplayName::parse(fallback).ok())
        .ok_or_else(|| AppError::Internal("no usable name".into()))?;
    let u = state
        .store
        .create_user(email.as_str(), NO_PASSWORD, name.as_str(), role)
        .await?;
    state
        .store
        .audit(Some(u.id), "user.registered", "user", u.id, how)
        .await?;
    Ok(u)
}

/// Compares a secret from the browser with the one kept, in constant time.
pub(crate) fn same_secret(given: &str, kept: &str) -> bool {
    given.len() == kept.len()
        && given
            .bytes()
            .zip(kept.bytes())
            .fold(0u8, |a, (x, y)| a | (x ^ y))
            == 0
}

/// Ties an account the organization vouches for (by its sign-in, or its
/// directory: `how`) to it: the address counts as verified; a student is
/// the university's, affiliated with proof; an employer account with no
/// organization joins it.
pub(crate) async fn attach(
    state: &AppState,
    org: &stint_store::Organization,
    user: &User,
    email: &str,
    how: &str,
) -> Result<(), AppError> {
    if !user.email_verified {
        state.store.mark_email_verified(user.id).await?;
    }
    match (org.kind, user.role) {
        (OrgKind::University, Role::Student) => {
            let mut profile = state.store.profile(user.id).await?;
            if profile.university_id != Some(org.id) {
                profile.university_id = Some(org.id);
                state.store.save_profile(user.id, &profile).await?;
            }
            state
                .store
                .confirm_affiliation_by_sso(user.id, org.id, email)
                .await?;
        }
        (OrgKind::Employer, Role::Employer) if state.store.membership(user.id).await?.is_none() => {
            state
                .store
                .join_org(user.id, OrgKind::Employer, &org.invite_code)
                .await?;
            state
                .store
                .audit(Some(user.id), "org.joined", "organization", org.id, how)
                .await?;
        }
        _ => {}
    }
    Ok(())
}

/// The settings as an owner sees them.
pub struct Settings {
    pub membership: Membership,
    pub connection: Option<SsoConnection>,
    pub domains: Vec<String>,
    /// Accounts that signed in through it, and the last time one did.
    pub accounts: i64,
    pub last_sign_in: Option<chrono::DateTime<Utc>>,
    pub redirect_uri: String,
    /// SAML: Stint's entity ID (its metadata's address) and its ACS.
    pub sp_entity_id: String,
    pub acs_url: String,
}

pub(crate) async fn owner(state: &AppState, user: &User) -> Result<Membership, AppError> {
    let m = state
        .store
        .membership(user.id)
        .await?
        .ok_or(AppError::Forbidden(
            "Only owners of an organization can set up its sign-in.",
        ))?;
    require_owner(&m)?;
    Ok(m)
}

pub async fn settings(state: &AppState, user: &User) -> Result<Settings, AppError> {
    let membership = owner(state, user).await?;
    let org_id = membership.org.id;
    let (accounts, last_sign_in) = state.store.sso_sign_in_counts(org_id).await?;
    Ok(Settings {
        connection: state.store.sso_connection(org_id).await?,
        domains: state.store.org_domains(org_id).await?,
        membership,
        accounts,
        last_sign_in,
        redirect_uri: redirect_uri(state),
        sp_entity_id: sp_entity_id(state, org_id),
        acs_url: acs_url(state),
    })
}

/// What an owner types.
#[derive(Debug, Default, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SsoForm {
    /// `oidc` (OpenID Connect, the default) or `saml` (SAML 2.0).
    pub protocol: String,
    /// OpenID Connect: the issuer's address, e.g. `https://login.example.edu`.
    pub issuer: String,
    pub client_id: String,
    /// Required the first time; empty keeps the stored one.
    pub client_secret: String,
    /// SAML: the IdP's metadata (XML), which fills the three fields below
    /// when they are left empty.
    pub idp_metadata: String,
    /// SAML: the IdP's entity ID.
    pub idp_entity_id: String,
    /// SAML: its sign-in address for the HTTP-Redirect binding.
    pub idp_sso_url: String,
    /// SAML: the certificate its assertions are signed with (PEM or base64).
    pub idp_certificate: String,
}

pub async fn configure(state: &AppState, user: &User, form: &SsoForm) -> Result<(), AppError> {
    let m = owner(state, user).await?;
    if !m.org.verified {
        return Err(AppError::conflict(
            "org_not_verified",
            "Stint verifies your organization and its email domains first; then you can set up its sign-in.",
        ));
    }
    match form.protocol.trim() {
        "" | "oidc" => {}
        "saml" => return configure_saml(state, user, &m, form).await,
        _ => {
            return Err(AppError::invalid(
                "protocol",
                "Choose OpenID Connect (oidc) or SAML 2.0 (saml).",
            ));
        }
    }
    let mut errors = stint_domain::FieldErrors::new();
    let issuer = match state.config.sso.check_issuer(&form.issuer) {
        Ok(i) => Some(i),
        Err(e) => {
            errors.add("issuer", e.to_string());
            None
        }
    };
    let client_id = form.client_id.trim();
    if client_id.is_empty() || client_id.len() > 255 || client_id.chars().any(char::is_whitespace) {
        errors.add(
            "client_id",
            "Enter the client id your provider gave Stint (no spaces, at most 255 characters).",
        );
    }
    let secret = form.client_secret.trim();
    let existing = state.store.sso_connection(m.org.id).await?;
    if secret.is_empty() && existing.is_none() {
        errors.add(
            "client_secret",
            "Enter the client secret your provider gave Stint.",
        );
    } else if secret.len() > 1000 {
        errors.add(
            "client_secret",
            "The client secret is at most 1,000 characters.",
        );
    }
    let Some(issuer) = issuer.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let sealed = if secret.is_empty() {
        None
    } else {
        Some(
            state
                .config
                .sealer
                .seal(&sealed_for(m.org.id), secret.as_bytes())
                .map_err(|e| AppError::Internal(e.to_string()))?,
        )
    };
    state
        .store
        .save_sso_connection(
            m.org.id,
            user.id,
            &SsoInput {
                protocol: "oidc",
                issuer: &issuer,
                client_id,
                client_secret_sealed: sealed.as_deref(),
                saml_sso_url: None,
                saml_certificate: None,
            },
        )
        .await?;
    let what = format!(
        "oidc {issuer} client {client_id}{}",
        if sealed.is_some() { ", new secret" } else { "" }
    );
    state
        .store
        .audit(
            Some(user.id),
            "sso.configured",
            "organization",
            m.org.id,
            &what,
        )
        .await?;
    Ok(())
}

async fn configure_saml(
    state: &AppState,
    user: &User,
    m: &Membership,
    form: &SsoForm,
) -> Result<(), AppError> {
    let mut errors = stint_domain::FieldErrors::new();
    let (mut entity_id, mut sso_url, mut certificate) = (
        form.idp_entity_id.trim().to_string(),
        form.idp_sso_url.trim().to_string(),
        form.idp_certificate.trim().to_string(),
    );
    let metadata = form.idp_metadata.trim();
    if metadata.len() > 200_000 {
        errors.add("idp_metadata", "The metadata is at most 200 KB.");
    } else if !metadata.is_empty() {
        match stint_saml::idp_metadata(metadata) {
            Ok(md) => {
                if entity_id.is_empty() {
                    entity_id = md.entity_id;
                }
                if sso_url.is_empty() {
                    sso_url = md.sso_url;
                }
                if certificate.is_empty() {
                    certificate = md.certificate;
                }
            }
            Err(e) => errors.add("idp_metadata", e.to_string()),
        }
    }
    if entity_id.is_empty()
        || entity_id.len() > 500
        || entity_id
            .chars()
            .any(|c| c.is_whitespace() || c.is_control())
    {
        errors.add(
            "idp_entity_id",
            "Enter the identity provider's entity ID (its Issuer, often an https:// address), or paste its metadata.",
        );
    }
    let sso_url = match state.config.sso.check_address(&sso_url) {
        Ok(u) => Some(u),
        Err(e) => {
            errors.add(
                "idp_sso_url",
                format!("The sign-in address is not usable: {e}"),
            );
            None
        }
    };
    let pem = if certificate.len() > 20_000 {
        errors.add("idp_certificate", "The certificate is at most 20 KB.");
        None
    } else {
        match stint_saml::Certificate::parse(&certificate) {
            Ok(_) => Some(certificate),
            Err(e) => {
                errors.add("idp_certificate", e.to_string());
                None
            }
        }
    };
    let (Some(sso_url), Some(pem)) = (sso_url, pem) else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    state
        .store
        .save_sso_connection(
            m.org.id,
            user.id,
            &SsoInput {
                protocol: "saml",
                issuer: &entity_id,
                client_id: "",
                client_secret_sealed: Some(""),
                saml_sso_url: Some(&sso_url),
                saml_certificate: Some(&pem),
            },
        )
        .await?;
    let fingerprint = stint_saml::Certificate::parse(&pem)
        .map(|c| c.fingerprint())
        .unwrap_or_default();
    state
        .store
        .audit(
            Some(user.id),
            "sso.configured",
            "organization",
            m.org.id,
            &format!("saml {entity_id} at {sso_url}, certificate {fingerprint}"),
        )
        .await?;
    Ok(())
}

/// What a test of the settings found.
pub struct TestResult {
    pub passed: bool,
    /// What failed (`sso_discovery_unreachable`, `saml_certificate`…);
    /// empty when it passed.
    pub code: &'static str,
    /// The finding, in a sentence.
    pub detail: String,
}

/// A test of the settings. OpenID Connect: discovery, the issuer's name
/// and its keys. SAML: the certificate, and that the sign-in address
/// answers.
pub async fn test(state: &AppState, user: &User) -> Result<TestResult, AppError> {
    let m = owner(state, user).await?;
    let conn = state
        .store
        .sso_connection(m.org.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let (code, detail) = if conn.protocol == "saml" {
        let cert = stint_saml::Certificate::parse(conn.saml_certificate.as_deref().unwrap_or(""));
        let url = conn.saml_sso_url.as_deref().unwrap_or("");
        match (cert, state.config.sso.reachable(url).await) {
            (Err(e), _) => (e.code(), e.to_string()),
            (_, Err(e)) => (e.code(), e.to_string()),
            (Ok(c), Ok(())) => (
                "",
                format!(
                    "The sign-in address answers and the certificate is readable (SHA-256 {}). Sign in once to check the whole way.",
                    c.fingerprint()
                ),
            ),
        }
    } else {
        match state.config.sso.discover(&conn.issuer).await.err() {
            None => (
                "",
                "Stint read the discovery document and the signing keys.".to_string(),
            ),
            Some(e) => (e.code(), e.to_string()),
        }
    };
    state
        .store
        .record_sso_test(m.org.id, Utc::now(), code, &detail)
        .await?;
    state
        .store
        .audit(
            Some(user.id),
            "sso.tested",
            "organization",
            m.org.id,
            if code.is_empty() { "passed" } else { code },
        )
        .await?;
    Ok(TestResult {
        passed: code.is_empty(),
        code,
        detail,
    })
}

pub async fn set_required(state: &AppState, user: &User, required: bool) -> Result<(), AppError> {
    let m = owner(state, user).await?;
    state
        .store
        .set_sso_required(m.org.id, required)
        .await
        .map_err(|e| match e {
            stint_store::StoreError::Conflict("sso_untested") => AppError::conflict(
                "sso_untested",
                "Test the settings first: sign-in can be required only after a test passed since the last change.",
            ),
            other => other.into(),
        })?;
    state
        .store
        .audit(
            Some(user.id),
            if required {
                "sso.required"
            } else {
                "sso.optional"
            },
            "organization",
            m.org.id,
            "",
        )
        .await?;
    Ok(())
}

pub async fn remove(state: &AppState, user: &User) -> Result<(), AppError> {
    let m = owner(state, user).await?;
    state.store.delete_sso_connection(m.org.id).await?;
    state
        .store
        .audit(Some(user.id), "sso.removed", "organization", m.org.id, "")
        .await?;
    Ok(())
}
