//! SCIM 2.0 provisioning: an organization's directory (Entra ID, Okta,
//! Google Workspace, …) creates, changes and turns off its people's Stint
//! accounts through `/scim/v2`, with a bearer token the organization's
//! owners create and revoke here.
//!
//! A User resource is kept as the directory wrote it (canonical JSON, see
//! `stint-scim`) and tied to one account: its address (the primary email,
//! else the first, else a userName that is an address) must be in the
//! organization's domains, as for single sign-on. Creating one makes the
//! account (a student of a university, affiliated with proof; or a member
//! of an employer), or takes over an existing one of that address if it
//! fits the organization. `active: false` or DELETE turns the account off:
//! its sessions and API tokens end at once and no sign-in works, while its
//! history stays. Every change is in the organization's audit log.

use chrono::Utc;
use serde_json::{Map, Value, json};
use stint_domain::account::{DisplayName, Email, Role};
use stint_domain::organization::OrgKind;
use stint_domain::university::domain_matches;
use stint_scim::{Filter, PatchRequest, ScimError, schema};
use stint_store::{Membership, Organization, ScimToken, ScimUser, User};

use crate::AppState;
use crate::auth::tokens::hash_token;
use crate::error::AppError;

/// Tokens start so, so a leaked one is recognisable.
pub const TOKEN_PREFIX: &str = "stint_scim_";

/// Live tokens an organization may hold at once.
pub const MAX_TOKENS: usize = 10;

/// The most resources one list answer carries.
pub const MAX_PAGE: usize = 200;

/// Where the directory is pointed.
pub fn base_url(state: &AppState) -> String {
    format!("{}/scim/v2", state.config.base_url)
}

// --- owners: tokens and what the directory did ---

pub struct Provisioning {
    pub membership: Membership,
    pub tokens: Vec<ScimToken>,
    pub users: i64,
    pub deactivated: i64,
    pub last_change: Option<chrono::DateTime<Utc>>,
    pub base_url: String,
    /// The directory's groups, and people whose mapped role is not applied.
    pub groups: super::scim_groups::GroupsOverview,
}

pub async fn overview(state: &AppState, user: &User) -> Result<Provisioning, AppError> {
    let membership = super::sso::owner(state, user).await?;
    let org_id = membership.org.id;
    let (users, deactivated, last_change) = state.store.scim_user_counts(org_id).await?;
    Ok(Provisioning {
        tokens: state.store.scim_tokens(org_id).await?,
        groups: super::scim_groups::overview(state, org_id).await?,
        membership,
        users,
        deactivated,
        last_change,
        base_url: base_url(state),
    })
}

/// A new token; the secret is shown once.
pub async fn create_token(
    state: &AppState,
    user: &User,
    label: &str,
) -> Result<(i64, String), AppError> {
    let m = super::sso::owner(state, user).await?;
    if !m.org.verified {
        return Err(AppError::conflict(
            "org_not_verified",
            "Stint verifies your organization and its email domains first; then your directory can provision accounts.",
        ));
    }
    let label = label.trim();
    if label.is_empty() || label.chars().count() > 100 {
        return Err(AppError::invalid(
            "label",
            "Name the token after the directory that uses it, such as \"Entra ID\" (up to 100 characters).",
        ));
    }
    if stint_domain::text::has_control(label) {
        return Err(AppError::invalid(
            "label",
            stint_domain::text::control_message("The name"),
        ));
    }
    if state.store.scim_tokens(m.org.id).await?.len() >= MAX_TOKENS {
        return Err(AppError::conflict(
            "scim_token_limit",
            format!("An organization holds at most {MAX_TOKENS} tokens; revoke one first."),
        ));
    }
    let secret = format!(
        "{TOKEN_PREFIX}{}",
        stint_sso::random_token(32).map_err(AppError::Internal)?
    );
    let id = state
        .store
        .create_scim_token(m.org.id, label, &hash_token(&secret), user.id)
        .await?;
    state
        .store
        .audit(
            Some(user.id),
            "scim.token_created",
            "organization",
            m.org.id,
            &format!("token {id} {label}"),
        )
        .await?;
    Ok((id, secret))
}

pub async fn revoke_token(state: &AppState, user: &User, id: i64) -> Result<(), AppError> {
    let m = super::sso::owner(state, user).await?;
    state.store.revoke_scim_token(m.org.id, id).await?;
    state
        .store
        .audit(
            Some(user.id),
            "scim.token_revoked",
            "organization",
            m.org.id,
            &format!("token {id}"),
        )
        .await?;
    Ok(())
}

/// Refuses a sign-in to an account its directory turned off.
pub async fn check_active(state: &AppState, user: &User) -> Result<(), AppError> {
    if state.store.user_deactivated_at(user.id).await?.is_some() {
        return Err(AppError::conflict(
            "account_deactivated",
            "Your organization turned this Stint account off. Ask its administrators if you think that is wrong.",
        ));
    }
    Ok(())
}

// --- the service ---

/// An application error as a SCIM error (internal causes are logged).
pub fn scim_error(e: AppError) -> ScimError {
    e.log();
    let status = e.status().as_u16();
    ScimError {
        status: if status == 422 { 400 } else { status },
        scim_type: match status {
            409 => Some("uniqueness"),
            400 | 422 => Some("invalidValue"),
            _ => None,
        },
        detail: e.detail(),
    }
}

pub(crate) fn store_error(e: stint_store::StoreError) -> ScimError {
    scim_error(e.into())
}

/// The organization a bearer token speaks for: verified, with the token live.
pub async fn org_for_token(
    state: &AppState,
    bearer: Option<&str>,
) -> Result<Organization, ScimError> {
    let token = bearer
        .filter(|t| t.starts_with(TOKEN_PREFIX) && t.len() < 200)
        .ok_or_else(|| {
            ScimError::unauthorized(
                "Send the organization's provisioning token as Authorization: Bearer stint_scim_….",
            )
        })?;
    let org_id = state
        .store
        .scim_token_org(&hash_token(token))
        .await
        .map_err(store_error)?
        .ok_or_else(|| ScimError::unauthorized("This token is not valid, or was revoked."))?;
    let org = state.store.org(org_id).await.map_err(store_error)?;
    if !org.verified {
        return Err(ScimError::forbidden(
            "The organization is not verified on Stint yet, so it cannot provision accounts.",
        ));
    }
    Ok(org)
}

/// What a resource asks of the account.
struct Wanted {
    email: Email,
    name: DisplayName,
    active: bool,
    user_name_key: String,
}

fn text<'a>(doc: &'a Map<String, Value>, path: &[&str]) -> Option<&'a str> {
    let mut v = doc.get(path[0])?;
    for p in &path[1..] {
        v = v.get(*p)?;
    }
    v.as_str().map(str::trim).filter(|s| !s.is_empty())
}

fn wanted(
    org: &Organization,
    domains: &[String],
    doc: &Map<String, Value>,
) -> Result<Wanted, ScimError> {
    let user_name = text(doc, &["userName"])
        .ok_or_else(|| ScimError::invalid_value("userName is required."))?;
    if user_name.chars().count() > 255 {
        return Err(ScimError::invalid_value(
            "userName is at most 255 characters.",
        ));
    }
    let emails = doc.get("emails").and_then(Value::as_array);
    let email = emails
        .and_then(|e| {
            e.iter()
                .find(|x| x.get("primary").and_then(Value::as_bool) == Some(true))
                .or_else(|| e.first())
        })
        .and_then(|x| x.get("value"))
        .and_then(Value::as_str)
        .or_else(|| user_name.contains('@').then_some(user_name))
        .ok_or_else(|| {
            ScimError::invalid_value(
                "Stint needs the person's email address: give it in emails (or as a userName that is one).",
            )
        })?;
    let email = Email::parse(email).map_err(|_| {
        ScimError::invalid_value(format!("{email} is not an email address Stint can use."))
    })?;
    if !domain_matches(email.domain(), domains) {
        return Err(ScimError::invalid_value(format!(
            "{} is not an address of {}'s domains on Stint ({}).",
            email.as_str(),
            org.name,
            domains.join(", ")
        )));
    }
    let given = [
        text(doc, &["name", "givenName"]),
        text(doc, &["name", "familyName"]),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" ");
    let name = [
        text(doc, &["displayName"]),
        text(doc, &["name", "formatted"]),
        Some(given.as_str()).filter(|g| !g.is_empty()),
        email.as_str().split('@').next(),
    ]
    .into_iter()
    .flatten()
    .find_map(|n| DisplayName::parse(n).ok())
    .ok_or_else(|| ScimError::invalid_value("The person's name is not one Stint can show."))?;
    Ok(Wanted {
        active: doc.get("active").and_then(Value::as_bool) != Some(false),
        user_name_key: user_name.to_lowercase(),
        email,
        name,
    })
}

/// The resource as returned: the document with `id`, `schemas` and `meta`.
fn resource(state: &AppState, row: &ScimUser, doc: &Map<String, Value>) -> Value {
    let mut out = Map::new();
    out.insert("schemas".into(), json!([stint_scim::USER_URN]));
    out.insert("id".into(), json!(row.id));
    for (k, v) in doc {
        out.insert(k.clone(), v.clone());
    }
    out.insert(
        "meta".into(),
        json!({
            "resourceType": "User",
            "created": row.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "lastModified": row.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            "location": format!("{}/Users/{}", base_url(state), row.id),
            "version": format!("W/\"{}\"", row.version),
        }),
    );
    Value::Object(out)
}

fn parse_doc(row: &ScimUser) -> Map<String, Value> {
    match serde_json::from_str(&row.resource) {
        Ok(Value::Object(o)) => o,
        _ => Map::new(),
    }
}

async fn load(state: &AppState, org: &Organization, id: &str) -> Result<ScimUser, ScimError> {
    state
        .store
        .scim_user(org.id, id)
        .await
        .map_err(store_error)?
        .ok_or_else(|| ScimError::not_found(format!("No User {id} in this directory.")))
}

pub(crate) async fn audit(
    state: &AppState,
    org: &Organization,
    action: &str,
    detail: &str,
) -> Result<(), ScimError> {
    state
        .store
        .audit(None, action, "organization", org.id, detail)
        .await
        .map_err(store_error)
}

/// Turns the account off or on, as the resource says.
async fn set_active(
    state: &AppState,
    org: &Organization,
    user_id: i64,
    active: bool,
    label: &str,
) -> Result<(), ScimError> {
    let off = state
        .store
        .user_deactivated_at(user_id)
        .await
        .map_err(store_error)?
        .is_some();
    match (active, off) {
        (false, false) => {
            state
                .store
                .deactivate_user(user_id, Utc::now())
                .await
                .map_err(store_error)?;
            audit(state, org, "scim.user_deactivated", label).await
        }
        (true, true) => {
            state
                .store
                .reactivate_user(user_id)
                .await
                .map_err(store_error)?;
            audit(state, org, "scim.user_reactivated", label).await
        }
        _ => Ok(()),
    }
}

/// The account a new resource ties to: an existing one of its address, if
/// it fits the organization and no directory manages it, else a new one.
async fn account_for_new(
    state: &AppState,
    org: &Organization,
    w: &Wanted,
) -> Result<User, ScimError> {
    let existing = state
        .store
        .user_by_email(w.email.as_str())
        .await
        .map_err(store_error)?;
    let user = match existing {
        Some(u) => {
            if state
                .store
                .scim_user_for_account(u.id)
                .await
                .map_err(store_error)?
                .is_some()
            {
                return Err(ScimError::uniqueness(format!(
                    "A directory manages the account of {} already.",
                    w.email.as_str()
                )));
            }
            let membership = state.store.membership(u.id).await.map_err(store_error)?;
            let fits = match (org.kind, u.role, &membership) {
                (OrgKind::University, Role::Student, _) => true,
                (_, Role::University | Role::Employer, Some(m)) => m.org.id == org.id,
                (OrgKind::Employer, Role::Employer, None) => true,
                _ => false,
            };
            if !fits {
                return Err(ScimError::invalid_value(format!(
                    "{} belongs to a Stint account this directory cannot manage (another organization's, or an administrator's).",
                    w.email.as_str()
                )));
            }
            u
        }
        None => {
            let role = match org.kind {
                OrgKind::University => Role::Student,
                OrgKind::Employer => Role::Employer,
            };
            let u = state
                .store
                .create_user(
                    w.email.as_str(),
                    super::sso::NO_PASSWORD,
                    w.name.as_str(),
                    role,
                )
                .await
                .map_err(store_error)?;
            state
                .store
                .audit(Some(u.id), "user.registered", "user", u.id, "scim")
                .await
                .map_err(store_error)?;
            u
        }
    };
    super::sso::attach(state, org, &user, w.email.as_str(), "scim")
        .await
        .map_err(scim_error)?;
    Ok(user)
}

pub async fn create_user(
    state: &AppState,
    org: &Organization,
    body: &Value,
) -> Result<Value, ScimError> {
    let s = schema::user();
    let doc = s.normalize(body)?;
    s.check_required(&doc)?;
    let domains = state.store.org_domains(org.id).await.map_err(store_error)?;
    let w = wanted(org, &domains, &doc)?;
    if state
        .store
        .scim_user_by_name(org.id, &w.user_name_key)
        .await
        .map_err(store_error)?
        .is_some()
    {
        return Err(ScimError::uniqueness(format!(
            "A User with the userName {} exists already.",
            text(&doc, &["userName"]).unwrap_or_default()
        )));
    }
    let user = account_for_new(state, org, &w).await?;
    if user.name != w.name.as_str() {
        // The directory's name for the person wins over the one typed here.
        state
            .store
            .set_user_name_and_email(user.id, w.name.as_str(), &user.email)
            .await
            .map_err(store_error)?;
    }
    let now = Utc::now();
    let row = ScimUser {
        id: stint_sso::random_token(16).map_err(|e| scim_error(AppError::Internal(e)))?,
        org_id: org.id,
        user_id: user.id,
        resource: Value::Object(doc.clone()).to_string(),
        version: 1,
        created_at: now,
        updated_at: now,
    };
    state
        .store
        .insert_scim_user(&row, &w.user_name_key)
        .await
        .map_err(|e| match e {
            stint_store::StoreError::Conflict(_) => {
                ScimError::uniqueness("The userName or the account is provisioned already.")
            }
            other => store_error(other),
        })?;
    let label = format!("user {} {}", row.id, w.email.as_str());
    audit(state, org, "scim.user_created", &label).await?;
    set_active(state, org, user.id, w.active, &label).await?;
    Ok(resource(state, &row, &doc))
}

pub async fn get_user(state: &AppState, org: &Organization, id: &str) -> Result<Value, ScimError> {
    let row = load(state, org, id).await?;
    let mut one = [resource(state, &row, &parse_doc(&row))];
    super::scim_groups::add_groups(state, &mut one).await?;
    let [v] = one;
    Ok(v)
}

/// One page of the organization's resources that match `filter`:
/// `startIndex` from 1, at most `count` (RFC 7644 §3.4.2.4). Returns the
/// total that match and the page.
pub async fn list_users(
    state: &AppState,
    org: &Organization,
    filter: Option<&str>,
    start_index: usize,
    count: usize,
) -> Result<(usize, Vec<Value>), ScimError> {
    let s = schema::user();
    let filter = filter
        .filter(|f| !f.trim().is_empty())
        .map(|f| Filter::parse(s, f))
        .transpose()?;
    let count = count.min(MAX_PAGE);
    if filter.is_none() {
        // No filter: the page is read from the database, not the whole list.
        let (total, rows) = state
            .store
            .scim_users_page(org.id, start_index.saturating_sub(1) as i64, count as i64)
            .await
            .map_err(store_error)?;
        let mut page: Vec<Value> = rows
            .iter()
            .map(|r| resource(state, r, &parse_doc(r)))
            .collect();
        super::scim_groups::add_groups(state, &mut page).await?;
        return Ok((usize::try_from(total).unwrap_or(0), page));
    }
    let rows = match filter.as_ref().and_then(Filter::user_name_eq) {
        // The lookup directories make before every create: by index.
        Some(name) => state
            .store
            .scim_user_by_name(org.id, &name.to_lowercase())
            .await
            .map_err(store_error)?
            .into_iter()
            .collect(),
        None => state.store.scim_users(org.id).await.map_err(store_error)?,
    };
    let all: Vec<Value> = rows
        .iter()
        .map(|r| resource(state, r, &parse_doc(r)))
        .filter(|v| filter.as_ref().is_none_or(|f| f.matches(s, v)))
        .collect();
    let total = all.len();
    let mut page: Vec<Value> = all
        .into_iter()
        .skip(start_index.saturating_sub(1))
        .take(count)
        .collect();
    super::scim_groups::add_groups(state, &mut page).await?;
    Ok((total, page))
}

/// Stores a changed document and brings the account in line with it.
async fn save(
    state: &AppState,
    org: &Organization,
    row: ScimUser,
    doc: Map<String, Value>,
) -> Result<Value, ScimError> {
    let s = schema::user();
    s.check_required(&doc)?;
    let domains = state.store.org_domains(org.id).await.map_err(store_error)?;
    let w = wanted(org, &domains, &doc)?;
    if let Some(other) = state
        .store
        .scim_user_by_name(org.id, &w.user_name_key)
        .await
        .map_err(store_error)?
        && other.id != row.id
    {
        return Err(ScimError::uniqueness(
            "Another User of this directory has that userName.",
        ));
    }
    let user = state.store.user(row.user_id).await.map_err(store_error)?;
    if user.email != w.email.as_str() || user.name != w.name.as_str() {
        if user.email != w.email.as_str()
            && state
                .store
                .user_by_email(w.email.as_str())
                .await
                .map_err(store_error)?
                .is_some()
        {
            return Err(ScimError::uniqueness(format!(
                "Another Stint account has the address {}.",
                w.email.as_str()
            )));
        }
        state
            .store
            .set_user_name_and_email(user.id, w.name.as_str(), w.email.as_str())
            .await
            .map_err(|e| match e {
                stint_store::StoreError::Conflict(_) => {
                    ScimError::uniqueness("Another Stint account has that address.")
                }
                other => store_error(other),
            })?;
    }
    let now = Utc::now();
    state
        .store
        .update_scim_user(
            org.id,
            &row.id,
            &w.user_name_key,
            &Value::Object(doc).to_string(),
            now,
        )
        .await
        .map_err(store_error)?;
    let label = format!("user {} {}", row.id, w.email.as_str());
    audit(state, org, "scim.user_updated", &label).await?;
    set_active(state, org, user.id, w.active, &label).await?;
    get_user(state, org, &row.id).await
}

/// PUT: the resource replaced by what was sent.
pub async fn replace_user(
    state: &AppState,
    org: &Organization,
    id: &str,
    body: &Value,
) -> Result<Value, ScimError> {
    let row = load(state, org, id).await?;
    let doc = schema::user().normalize(body)?;
    save(state, org, row, doc).await
}

/// PATCH: the operations applied in order; nothing is stored unless all
/// succeed and the result is a valid resource.
pub async fn patch_user(
    state: &AppState,
    org: &Organization,
    id: &str,
    body: &Value,
) -> Result<Value, ScimError> {
    let s = schema::user();
    let req = PatchRequest::parse(s, body)?;
    let row = load(state, org, id).await?;
    let mut doc = parse_doc(&row);
    req.apply(s, &mut doc)?;
    save(state, org, row, doc).await
}

/// DELETE: the resource goes; the account is turned off and keeps its
/// history (applications, work, payments, reviews).
pub async fn delete_user(state: &AppState, org: &Organization, id: &str) -> Result<(), ScimError> {
    let row = load(state, org, id).await?;
    state
        .store
        .delete_scim_user(org.id, &row.id)
        .await
        .map_err(store_error)?;
    let label = format!("user {}", row.id);
    audit(state, org, "scim.user_deleted", &label).await?;
    set_active(state, org, row.user_id, false, &label).await
}
