//! Single sign-on: an organization signs its people in with its own
//! OpenID Connect provider (`crates/stint-sso`).
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

fn sealed_for(org_id: i64) -> String {
    format!("sso:{org_id}")
}

fn refused(e: stint_sso::SsoError) -> AppError {
    AppError::conflict(e.code(), e.to_string())
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
    if cb.state.is_empty() || cb.state.len() > 200 {
        return Err(stale());
    }
    // Taken (deleted) first, so a replay finds nothing whatever follows.
    let login = state
        .store
        .take_sso_login(&hash_token(cb.state))
        .await?
        .ok_or_else(stale)?;
    let cookie_ok = cb.cookie.is_some_and(|c| {
        c.len() == cb.state.len()
            && c.bytes()
                .zip(cb.state.bytes())
                .fold(0u8, |a, (x, y)| a | (x ^ y))
                == 0
    });
    if !cookie_ok || login.expires_at < state.clock.now() {
        return Err(stale());
    }
    let org_id = login.org_id;
    let result = finish_checked(state, &cb, login).await;
    if let Err(e) = &result {
        let what = match e {
            AppError::Conflict { code, message } => format!("{code}: {message}"),
            other => other.to_string(),
        };
        state
            .store
            .audit(None, "sso.refused", "organization", org_id, &what)
            .await?;
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
        Some(c) if org.verified => c,
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
            let fallback = email.as_str().split('@').next().unwrap_or("New member");
            let name = identity
                .name
                .as_deref()
                .and_then(|n| DisplayName::parse(n).ok())
                .or_else(|| DisplayName::parse(fallback).ok())
                .ok_or_else(|| AppError::Internal("no usable name".into()))?;
            let role = match org.kind {
                OrgKind::University => Role::Student,
                OrgKind::Employer => Role::Employer,
            };
            let u = state
                .store
                .create_user(email.as_str(), NO_PASSWORD, name.as_str(), role)
                .await?;
            state
                .store
                .audit(Some(u.id), "user.registered", "user", u.id, "sso")
                .await?;
            u
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
    })
}

/// What an owner types.
#[derive(Debug, Default, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SsoForm {
    /// The issuer's address, e.g. `https://login.example.edu`.
    pub issuer: String,
    pub client_id: String,
    /// Required the first time; empty keeps the stored one.
    pub client_secret: String,
}

pub async fn configure(state: &AppState, user: &User, form: &SsoForm) -> Result<(), AppError> {
    let m = owner(state, user).await?;
    if !m.org.verified {
        return Err(AppError::conflict(
            "org_not_verified",
            "Stint verifies your organization and its email domains first; then you can set up its sign-in.",
        ));
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
                issuer: &issuer,
                client_id,
                client_secret_sealed: sealed.as_deref(),
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

/// A test of the settings: discovery, the issuer's name and its keys.
/// `Ok(None)` when it passed, `Ok(Some(error))` with what failed.
pub async fn test(state: &AppState, user: &User) -> Result<Option<stint_sso::SsoError>, AppError> {
    let m = owner(state, user).await?;
    let conn = state
        .store
        .sso_connection(m.org.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let outcome = state.config.sso.discover(&conn.issuer).await.err();
    let (code, detail) = match &outcome {
        None => ("", "Discovery and signing keys read.".to_string()),
        Some(e) => (e.code(), e.to_string()),
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
    Ok(outcome)
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
