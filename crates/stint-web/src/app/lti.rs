//! LTI 1.3: a university's learning platform (Moodle, Canvas, Blackboard,
//! Brightspace…) launches Stint from a course (`crates/stint-sso`, module
//! `lti`).
//!
//! - Owners of a verified university register each platform: its issuer,
//!   the client id it gave Stint, its authorization endpoint, its key set
//!   and the deployment ids it may launch with; they test it (the key set
//!   is read, the endpoint answers). Every change is in the audit log.
//! - A launch: the platform sends the browser to the university's own
//!   `/lti/login/<org>`; `start` finds the registration among the
//!   university's by issuer and client id, keeps the launch in
//!   flight (hash of `state`, `nonce`, 10 minutes), and sends the browser
//!   to the platform's endpoint with `state` also in a cookie. The platform
//!   posts the signed `id_token` to `/lti/launch` from its own site, which
//!   carries no cookies; that page re-posts it to `/lti/launch/finish` from
//!   Stint's origin, where `finish` takes the launch back once, checks the
//!   cookie, the token against the platform's key set and the deployment,
//!   then finds the account and where it lands.
//! - Who launched: the account the platform's subject launched as before;
//!   else the account of the `email` the platform sends, which must be in
//!   the university's domains. A learner with no account gets a student
//!   account of the university (affiliated with proof, as by its
//!   sign-in); faculty must have been added to the university on Stint.
//!   An account of another university, of an employer or of Stint's
//!   administrators is never signed in by a platform.
//! - Where: faculty land on the university's credit requests for the
//!   course (the context's label); a student on their credit request for
//!   it, or on the form to ask for credit in it.

use chrono::{Duration, Utc};
use stint_domain::account::{Email, Role};
use stint_domain::organization::OrgKind;
use stint_domain::university::domain_matches;
use stint_sso::lti::{Launch, LoginInitiation};
use stint_store::{LtiLogin, LtiPlatform, LtiPlatformInput, LtiToolKey, Membership, User};

use crate::AppState;
use crate::auth::tokens::hash_token;
use crate::error::AppError;

/// How long a launch may take at the platform.
pub const LOGIN_MINUTES: i64 = 10;

/// The cookie that binds a launch to the browser that started it.
pub const STATE_COOKIE: &str = "stint_lti";

/// The most platforms a university registers, and deployments a platform.
const MAX_PLATFORMS: usize = 20;
const MAX_DEPLOYMENTS: usize = 50;

/// Sealing context of Stint's tool key.
const KEY_SEAL: &str = "lti-tool-key";

/// A university's login initiation address (the platform's "initiate
/// login URL"): its own, so a launch is looked up among its registrations
/// only.
pub fn login_url(state: &AppState, org_id: i64) -> String {
    format!("{}/lti/login/{org_id}", state.config.base_url)
}

/// Where platforms post launches: the redirect URI and target link URI.
pub fn launch_url(state: &AppState) -> String {
    format!("{}/lti/launch", state.config.base_url)
}

/// Stint's public key set as a tool.
pub fn jwks_url(state: &AppState) -> String {
    format!("{}/lti/jwks", state.config.base_url)
}

fn refused(e: stint_sso::SsoError) -> AppError {
    AppError::conflict(e.code(), e.to_string())
}

/// Stint's key set: its tool key, made (and kept sealed) on first use.
pub async fn tool_jwks(state: &AppState) -> Result<serde_json::Value, AppError> {
    let mut keys = state.store.lti_tool_keys().await?;
    if keys.is_empty() {
        let key = tokio::task::spawn_blocking(stint_sso::lti::ToolKey::generate)
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?
            .map_err(AppError::Internal)?;
        let sealed = state
            .config
            .sealer
            .seal(KEY_SEAL, key.private_der())
            .map_err(|e| AppError::Internal(e.to_string()))?;
        state
            .store
            .add_first_lti_tool_key(
                &LtiToolKey {
                    kid: key.kid(),
                    private_sealed: sealed,
                    public_jwk: key.public_jwk().to_string(),
                },
                state.clock.now(),
            )
            .await?;
        keys = state.store.lti_tool_keys().await?;
    }
    let keys = keys
        .iter()
        .map(|k| serde_json::from_str(&k.public_jwk))
        .collect::<Result<Vec<serde_json::Value>, _>>()
        .map_err(|e| AppError::Internal(format!("tool key: {e}")))?;
    Ok(serde_json::json!({ "keys": keys }))
}

// --- registration, by the university's owners ---

async fn owner_of_university(state: &AppState, user: &User) -> Result<Membership, AppError> {
    let m = super::sso::owner(state, user).await?;
    if m.org.kind != OrgKind::University {
        return Err(AppError::Forbidden(
            "Learning platforms launch Stint for universities; an employer has none to register.",
        ));
    }
    Ok(m)
}

/// The settings as an owner sees them.
pub struct Settings {
    pub membership: Membership,
    pub platforms: Vec<LtiPlatform>,
    pub login_url: String,
    pub launch_url: String,
    pub jwks_url: String,
}

pub async fn settings(state: &AppState, user: &User) -> Result<Settings, AppError> {
    let membership = owner_of_university(state, user).await?;
    let org_id = membership.org.id;
    Ok(Settings {
        platforms: state.store.lti_platforms(org_id).await?,
        membership,
        login_url: login_url(state, org_id),
        launch_url: launch_url(state),
        jwks_url: jwks_url(state),
    })
}

/// What an owner types.
#[derive(Debug, Default, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PlatformForm {
    /// What the university calls it, e.g. "Moodle".
    pub name: String,
    /// The platform's issuer (`iss` of its launches), e.g.
    /// `https://moodle.example.edu`.
    pub issuer: String,
    /// The client id the platform gave Stint.
    pub client_id: String,
    /// The platform's authentication request URL (OpenID Connect
    /// authorization endpoint).
    pub auth_url: String,
    /// The platform's public key set URL.
    pub jwks_url: String,
    /// The deployment ids the platform launches with.
    pub deployment_ids: Vec<String>,
}

fn plain(s: &str, max: usize) -> bool {
    !s.is_empty() && s.chars().count() <= max && !s.chars().any(|c| c.is_control())
}

/// Checks a form; the values to save.
fn check(state: &AppState, f: &PlatformForm) -> Result<(String, Vec<String>), AppError> {
    let mut errors = stint_domain::FieldErrors::new();
    if !plain(f.name.trim(), 100) {
        errors.add(
            "name",
            "Name the platform as your staff know it, such as Moodle (at most 100 characters).",
        );
    }
    if let Err(e) = state.config.sso.check_issuer(f.issuer.trim()) {
        errors.add(
            "issuer",
            format!("Enter the platform's issuer exactly as its launches give it. {e}"),
        );
    }
    let client_id = f.client_id.trim();
    if !plain(client_id, 255) || client_id.chars().any(char::is_whitespace) {
        errors.add(
            "client_id",
            "Enter the client id the platform gave Stint (no spaces, at most 255 characters).",
        );
    }
    for (field, value, what) in [
        ("auth_url", &f.auth_url, "authentication request URL"),
        ("jwks_url", &f.jwks_url, "public keyset URL"),
    ] {
        if let Err(e) = state.config.sso.check_address(value.trim()) {
            errors.add(field, format!("The platform's {what} is not usable: {e}"));
        }
    }
    let mut deployments: Vec<String> = f
        .deployment_ids
        .iter()
        .flat_map(|d| d.split(['\n', ',']))
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty())
        .collect();
    deployments.sort();
    deployments.dedup();
    if deployments.is_empty() {
        errors.add(
            "deployment_ids",
            "Enter the deployment id the platform shows for Stint (one per line when there are several).",
        );
    } else if deployments.len() > MAX_DEPLOYMENTS {
        errors.add(
            "deployment_ids",
            format!("At most {MAX_DEPLOYMENTS} deployment ids."),
        );
    } else if deployments.iter().any(|d| !plain(d, 255)) {
        errors.add(
            "deployment_ids",
            "A deployment id is at most 255 characters, one per line.",
        );
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok((client_id.to_string(), deployments))
}

fn duplicate(e: stint_store::StoreError) -> AppError {
    match e {
        stint_store::StoreError::Conflict(_) => AppError::invalid(
            "client_id",
            "Your university has registered this platform's issuer and client id already; change that registration instead.",
        ),
        other => other.into(),
    }
}

/// Registers a platform; its id.
pub async fn register(state: &AppState, user: &User, f: &PlatformForm) -> Result<i64, AppError> {
    let m = owner_of_university(state, user).await?;
    if !m.org.verified {
        return Err(AppError::conflict(
            "org_not_verified",
            "Stint verifies your university and its email domains first; then you can register its learning platform.",
        ));
    }
    let (client_id, deployments) = check(state, f)?;
    if state.store.lti_platforms(m.org.id).await?.len() >= MAX_PLATFORMS {
        return Err(AppError::conflict(
            "lti_too_many",
            format!("A university registers at most {MAX_PLATFORMS} platforms; remove one first."),
        ));
    }
    let id = state
        .store
        .create_lti_platform(
            m.org.id,
            user.id,
            &input(f, &client_id, &deployments),
            state.clock.now(),
        )
        .await
        .map_err(duplicate)?;
    audit_change(
        state,
        user,
        &m,
        "lti.registered",
        f,
        &client_id,
        &deployments,
    )
    .await?;
    Ok(id)
}

fn input<'a>(
    f: &'a PlatformForm,
    client_id: &'a str,
    deployments: &'a [String],
) -> LtiPlatformInput<'a> {
    LtiPlatformInput {
        name: f.name.trim(),
        issuer: f.issuer.trim(),
        client_id,
        auth_url: f.auth_url.trim(),
        jwks_url: f.jwks_url.trim(),
        deployments,
    }
}

async fn audit_change(
    state: &AppState,
    user: &User,
    m: &Membership,
    action: &str,
    f: &PlatformForm,
    client_id: &str,
    deployments: &[String],
) -> Result<(), AppError> {
    let what = format!(
        "{} ({} client {client_id}), auth {}, keys {}, deployments {}",
        f.name.trim(),
        f.issuer.trim(),
        f.auth_url.trim(),
        f.jwks_url.trim(),
        deployments.join(" ")
    );
    state
        .store
        .audit(Some(user.id), action, "organization", m.org.id, &what)
        .await?;
    Ok(())
}

/// Changes a platform of the owner's university.
pub async fn update(
    state: &AppState,
    user: &User,
    id: i64,
    f: &PlatformForm,
) -> Result<(), AppError> {
    let m = owner_of_university(state, user).await?;
    let (client_id, deployments) = check(state, f)?;
    let found = state
        .store
        .update_lti_platform(
            m.org.id,
            id,
            user.id,
            &input(f, &client_id, &deployments),
            state.clock.now(),
        )
        .await
        .map_err(duplicate)?;
    if !found {
        return Err(AppError::NotFound);
    }
    audit_change(state, user, &m, "lti.updated", f, &client_id, &deployments).await
}

/// One platform of the owner's university.
pub async fn platform(state: &AppState, user: &User, id: i64) -> Result<LtiPlatform, AppError> {
    let m = owner_of_university(state, user).await?;
    state
        .store
        .lti_platform(m.org.id, id)
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn remove(state: &AppState, user: &User, id: i64) -> Result<(), AppError> {
    let m = owner_of_university(state, user).await?;
    let p = state
        .store
        .lti_platform(m.org.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    state.store.delete_lti_platform(m.org.id, id).await?;
    state
        .store
        .audit(
            Some(user.id),
            "lti.removed",
            "organization",
            m.org.id,
            &format!("{} ({} client {})", p.name, p.issuer, p.client_id),
        )
        .await?;
    Ok(())
}

/// A test: the key set is read and has keys, and the authentication
/// request URL answers.
pub async fn test(
    state: &AppState,
    user: &User,
    id: i64,
) -> Result<super::sso::TestResult, AppError> {
    let m = owner_of_university(state, user).await?;
    let p = state
        .store
        .lti_platform(m.org.id, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let sso = &state.config.sso;
    let (code, detail) = match sso.jwks(&p.jwks_url).await {
        Err(e) => (e.code(), e.to_string()),
        Ok(keys) => match sso.reachable(&p.auth_url).await {
            Err(e) => (e.code(), e.to_string()),
            Ok(()) => (
                "",
                format!(
                    "Stint read the platform's key set ({} {}) and its authentication address answers. Launch Stint from a course once to check the whole way.",
                    keys.keys.len(),
                    if keys.keys.len() == 1 { "key" } else { "keys" }
                ),
            ),
        },
    };
    state
        .store
        .record_lti_test(m.org.id, id, Utc::now(), code, &detail)
        .await?;
    state
        .store
        .audit(
            Some(user.id),
            "lti.tested",
            "organization",
            m.org.id,
            &format!(
                "{}: {}",
                p.name,
                if code.is_empty() { "passed" } else { code }
            ),
        )
        .await?;
    Ok(super::sso::TestResult {
        passed: code.is_empty(),
        code,
        detail,
    })
}

// --- the launch ---

/// Where to send the browser, and the `state` for its cookie.
pub struct Started {
    pub url: String,
    pub state: String,
}

fn invalid(detail: impl Into<String>) -> AppError {
    AppError::conflict("lti_launch_invalid", detail.into())
}

/// Answers a platform's login initiation at the university's address.
pub async fn start(
    state: &AppState,
    org_id: i64,
    login: &LoginInitiation,
) -> Result<Started, AppError> {
    login.check().map_err(refused)?;
    let client_id = login
        .client_id
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty());
    let found = state
        .store
        .lti_platforms_for_issuer(org_id, login.iss.trim(), client_id)
        .await?;
    let platform = match found.as_slice() {
        [one] => one,
        [] => {
            return Err(AppError::conflict(
                "lti_platform_unknown",
                format!(
                    "Stint does not know this learning platform ({}{}). Your university's owners on Stint register it under Organization, Learning platforms.",
                    login.iss.chars().take(200).collect::<String>(),
                    client_id
                        .map(|c| format!(", client id {}", c.chars().take(100).collect::<String>()))
                        .unwrap_or_default()
                ),
            ));
        }
        _ => {
            return Err(invalid(
                "the platform did not send its client id, and the university has several registrations of it",
            ));
        }
    };
    let org = state.store.org(platform.org_id).await?;
    if !org.verified {
        return Err(AppError::NotFound);
    }
    if let Some(d) = login.lti_deployment_id.as_deref()
        && !platform.deployments.iter().any(|x| x == d)
    {
        return Err(unknown_deployment(&org.name, d));
    }
    if !login
        .target_link_uri
        .starts_with(&format!("{}/", state.config.base_url))
    {
        return Err(invalid(format!(
            "the launch is for {}, which is not an address of this Stint",
            login.target_link_uri.chars().take(200).collect::<String>()
        )));
    }
    let token = stint_sso::random_token(32).map_err(AppError::Internal)?;
    let nonce = stint_sso::random_token(32).map_err(AppError::Internal)?;
    let now = state.clock.now();
    state
        .store
        .create_lti_login(
            &hash_token(&token),
            &LtiLogin {
                platform_id: platform.id,
                nonce: nonce.clone(),
                expires_at: now + Duration::minutes(LOGIN_MINUTES),
            },
            now,
        )
        .await?;
    Ok(Started {
        url: stint_sso::lti::auth_url(
            &platform.auth_url,
            &platform.client_id,
            &launch_url(state),
            login,
            &token,
            &nonce,
        ),
        state: token,
    })
}

fn unknown_deployment(org: &str, d: &str) -> AppError {
    AppError::conflict(
        "lti_deployment_unknown",
        format!(
            "The platform launched with deployment {}, which {org} has not registered on Stint. Its owners add it under Organization, Learning platforms.",
            d.chars().take(100).collect::<String>()
        ),
    )
}

/// What the platform posted, re-posted by the browser.
pub struct LaunchPost<'a> {
    pub id_token: &'a str,
    pub state: &'a str,
    /// The `state` cookie of this browser.
    pub cookie: Option<&'a str>,
}

fn stale() -> AppError {
    AppError::conflict(
        "lti_state",
        "This launch expired or was used already. Open Stint again from your course.",
    )
}

/// Finishes a launch: the account and the page it lands on.
pub async fn finish(state: &AppState, post: LaunchPost<'_>) -> Result<(User, String), AppError> {
    if post.state.is_empty() || post.state.len() > 200 {
        return Err(stale());
    }
    let login = state
        .store
        .take_lti_login(&hash_token(post.state))
        .await?
        .ok_or_else(stale)?;
    let Some(cookie) = post.cookie else {
        return Err(AppError::conflict(
            "lti_cookie",
            "Your browser did not keep Stint's launch cookie. This happens when the course shows Stint inside its own page: ask for the link to open Stint in a new window, then open it again.",
        ));
    };
    if !super::sso::same_secret(cookie, post.state) || login.expires_at < state.clock.now() {
        return Err(stale());
    }
    let platform = state
        .store
        .lti_platform_by_id(login.platform_id)
        .await?
        .ok_or_else(stale)?;
    let result = finish_checked(state, &post, &login, &platform).await;
    if let Err(e) = &result {
        let what = match e {
            AppError::Conflict { code, message } => format!("{}: {code}: {message}", platform.name),
            other => format!("{}: {other}", platform.name),
        };
        state
            .store
            .audit(None, "lti.refused", "organization", platform.org_id, &what)
            .await?;
        let why = match e {
            AppError::Conflict { code, message } => format!("{message} ({code})"),
            other => other.to_string(),
        };
        state
            .store
            .record_lti_refusal(platform.id, state.clock.now(), &why)
            .await?;
    }
    result
}

async fn finish_checked(
    state: &AppState,
    post: &LaunchPost<'_>,
    login: &LtiLogin,
    platform: &LtiPlatform,
) -> Result<(User, String), AppError> {
    let org = state.store.org(platform.org_id).await?;
    if !org.verified || org.kind != OrgKind::University {
        return Err(stale());
    }
    let keys = state
        .config
        .sso
        .jwks(&platform.jwks_url)
        .await
        .map_err(refused)?;
    let launch = stint_sso::lti::verify_launch(
        &keys,
        post.id_token,
        &stint_sso::Expected {
            issuer: &platform.issuer,
            client_id: &platform.client_id,
            nonce: &login.nonce,
            now: state.clock.now().timestamp(),
        },
    )
    .map_err(refused)?;
    if !platform.deployments.contains(&launch.deployment_id) {
        return Err(unknown_deployment(&org.name, &launch.deployment_id));
    }
    let user = account_for(state, &org, platform, &launch).await?;
    let next = landing(state, &user, &launch).await?;
    state
        .store
        .audit(
            Some(user.id),
            "lti.launched",
            "organization",
            org.id,
            &format!(
                "{} course {}",
                platform.name,
                launch
                    .context
                    .as_ref()
                    .and_then(|c| c.label.clone())
                    .unwrap_or_default()
            ),
        )
        .await?;
    Ok((user, next))
}

/// The account a launch signs in (see the module's notes).
async fn account_for(
    state: &AppState,
    org: &stint_store::Organization,
    platform: &LtiPlatform,
    launch: &Launch,
) -> Result<User, AppError> {
    let now = state.clock.now();
    let known = match state
        .store
        .lti_identity(platform.id, &launch.subject)
        .await?
    {
        Some(id) => Some(state.store.user(id).await?),
        None => None,
    };
    let user = match known {
        Some(u) => u,
        None => {
            let email = launch
                .email
                .as_deref()
                .filter(|_| launch.email_verified != Some(false))
                .ok_or_else(|| {
                    AppError::conflict(
                        "lti_email_missing",
                        format!(
                            "{} did not send your email address, so Stint cannot tell who you are. Ask your university to let the platform share names and email addresses with Stint (its privacy setting for this tool), then open Stint again.",
                            platform.name
                        ),
                    )
                })?;
            let email = Email::parse(email).map_err(|_| {
                AppError::conflict(
                    "lti_email_invalid",
                    "Your learning platform sent an email address Stint cannot use.",
                )
            })?;
            let domains = state.store.org_domains(org.id).await?;
            if !domain_matches(email.domain(), &domains) {
                return Err(AppError::conflict(
                    "lti_domain",
                    format!(
                        "Your learning platform says you are {}, which is not an address of {}'s domains on Stint.",
                        email.as_str(),
                        org.name
                    ),
                ));
            }
            match state.store.user_by_email(email.as_str()).await? {
                Some(u) => u,
                None if launch.role == stint_sso::lti::Role::Learner => {
                    super::sso::new_account(
                        state,
                        &email,
                        launch.name.as_deref(),
                        Role::Student,
                        "lti",
                    )
                    .await?
                }
                None => {
                    return Err(AppError::conflict(
                        "lti_no_account",
                        format!(
                            "{} has not added you to Stint yet. Ask its career centre to add you as faculty, then open Stint again from your course.",
                            org.name
                        ),
                    ));
                }
            }
        }
    };
    let foreign = || {
        AppError::conflict(
            "lti_account",
            format!(
                "Your Stint account is not a student's or staff member's account of {}, so its learning platform cannot sign you in. Sign in to Stint directly.",
                org.name
            ),
        )
    };
    match user.role {
        Role::Student => {
            let profile = state.store.profile(user.id).await?;
            if profile.university_id.is_some_and(|u| u != org.id) {
                return Err(foreign());
            }
        }
        Role::University => match state.store.membership(user.id).await? {
            Some(m) if m.org.id == org.id => {}
            _ => return Err(foreign()),
        },
        Role::Employer | Role::Admin => return Err(foreign()),
    }
    super::scim::check_active(state, &user).await?;
    if user.role == Role::Student {
        super::sso::attach(state, org, &user, &user.email, "lti").await?;
    }
    state
        .store
        .link_lti_identity(platform.id, &launch.subject, user.id, now)
        .await?;
    state
        .store
        .audit(
            Some(user.id),
            "user.signed_in",
            "organization",
            org.id,
            "lti",
        )
        .await?;
    Ok(state.store.user(user.id).await?)
}

/// Course codes as people type them: case and spaces aside.
pub fn same_course(a: &str, b: &str) -> bool {
    let key = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect::<String>()
    };
    !a.trim().is_empty() && key(a) == key(b)
}

fn query(pairs: &[(&str, &String)]) -> Result<String, AppError> {
    serde_urlencoded::to_string(pairs).map_err(|e| AppError::Internal(e.to_string()))
}

/// The page a launch lands on.
async fn landing(state: &AppState, user: &User, launch: &Launch) -> Result<String, AppError> {
    let context = launch.context.clone().unwrap_or_default();
    let code = context
        .label
        .clone()
        .filter(|l| !l.trim().is_empty())
        .or(context.title.clone())
        .unwrap_or_default();
    let code: String = code.trim().chars().take(40).collect();
    match user.role {
        Role::Student => {
            let mine: Vec<_> = super::credit::list(state, user)
                .await?
                .into_iter()
                .filter(|c| same_course(&c.course_code, &code))
                .collect();
            if let [one] = mine.as_slice() {
                return Ok(format!("/credit/{}", one.id));
            }
            if code.is_empty() {
                return Ok("/me/credit".into());
            }
            let title: String = context
                .title
                .unwrap_or_default()
                .trim()
                .chars()
                .take(120)
                .collect();
            Ok(format!(
                "/me/credit?{}#ask-h",
                query(&[("course", &code), ("title", &title)])?
            ))
        }
        _ if code.is_empty() => Ok("/university/credit".into()),
        _ => Ok(format!(
            "/university/credit?{}",
            query(&[("course", &code)])?
        )),
    }
}
