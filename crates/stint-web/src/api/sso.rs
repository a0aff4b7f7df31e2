//! `/organization/sso`: an organization's own sign-in (OpenID Connect), as
//! its owners set it up on the settings page: the settings, a test of
//! them, requiring it, removing it. `/organization/provisioning`: the
//! tokens its directory uses for SCIM. Every change is in the audit log;
//! secrets go in and never come out (a new token's, once).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiError, ApiId, ApiJson, Problem};
use crate::AppState;
use crate::app::sso::{self, Settings, SsoForm};
use crate::auth::ApiUser;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_settings, put_settings, delete_settings))
        .routes(routes!(run_test))
        .routes(routes!(put_required))
        .routes(routes!(get_provisioning))
        .routes(routes!(create_scim_token))
        .routes(routes!(revoke_scim_token))
        .routes(routes!(map_scim_group))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SsoTestView {
    at: DateTime<Utc>,
    passed: bool,
    /// What failed, e.g. `sso_discovery_unreachable`, `sso_issuer_mismatch`,
    /// `sso_jwks_unreachable`; null when the test passed.
    code: Option<String>,
    /// What the test found, in a sentence.
    detail: String,
}

impl SsoTestView {
    pub fn new(at: DateTime<Utc>, passed: bool, code: Option<String>, detail: String) -> Self {
        SsoTestView {
            at,
            passed,
            code,
            detail,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SsoConnectionView {
    /// `oidc` or `saml`.
    protocol: String,
    /// OpenID Connect: the issuer. SAML: the IdP's entity ID.
    issuer: String,
    /// OpenID Connect only (empty for SAML).
    client_id: String,
    /// SAML: the IdP's sign-in address (HTTP-Redirect binding).
    idp_sso_url: Option<String>,
    /// SAML: the SHA-256 fingerprint of the IdP's certificate.
    idp_certificate_sha256: Option<String>,
    /// Passwords stop working for the organization's email domains.
    required: bool,
    /// A test passed since the last change: needed before `required`.
    tested_ok: bool,
    last_test: Option<SsoTestView>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SsoSettingsView {
    organization_id: i64,
    /// OpenID Connect: register this address with the provider as the
    /// redirect URI.
    redirect_uri: String,
    /// SAML: Stint's entity ID for the organization, which is also the
    /// address of its metadata.
    saml_entity_id: String,
    /// SAML: Stint's assertion consumer service (HTTP-POST).
    saml_acs_url: String,
    /// The email domains whose people are sent to the provider.
    domains: Vec<String>,
    /// Null until the sign-in is set up.
    connection: Option<SsoConnectionView>,
    /// Accounts that signed in through it.
    accounts: i64,
    last_sign_in: Option<DateTime<Utc>>,
}

impl From<Settings> for SsoSettingsView {
    fn from(s: Settings) -> Self {
        SsoSettingsView {
            organization_id: s.membership.org.id,
            redirect_uri: s.redirect_uri,
            saml_entity_id: s.sp_entity_id,
            saml_acs_url: s.acs_url,
            domains: s.domains,
            connection: s.connection.map(|c| SsoConnectionView {
                tested_ok: c.tested_ok(),
                last_test: c.tested_at.map(|at| SsoTestView {
                    at,
                    passed: c.test_error.as_deref() == Some(""),
                    code: c.test_error.clone().filter(|e| !e.is_empty()),
                    detail: c.test_detail.clone().unwrap_or_default(),
                }),
                idp_certificate_sha256: c
                    .saml_certificate
                    .as_deref()
                    .and_then(|p| stint_saml::Certificate::parse(p).ok())
                    .map(|c| c.fingerprint()),
                idp_sso_url: c.saml_sso_url,
                protocol: c.protocol,
                issuer: c.issuer,
                client_id: c.client_id,
                required: c.required,
                created_at: c.created_at,
                updated_at: c.updated_at,
            }),
            accounts: s.accounts,
            last_sign_in: s.last_sign_in,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SsoRequest {
    /// `oidc` (the default) or `saml`.
    #[serde(default)]
    protocol: Option<String>,
    /// OpenID Connect: the provider's issuer, e.g.
    /// `https://login.example.edu`: Stint reads
    /// `/.well-known/openid-configuration` under it.
    #[serde(default)]
    #[schema(max_length = 2000)]
    issuer: Option<String>,
    /// OpenID Connect: the client id the provider gave Stint.
    #[serde(default)]
    #[schema(max_length = 255)]
    client_id: Option<String>,
    /// OpenID Connect: required the first time; left out or empty keeps
    /// the stored one.
    #[serde(default)]
    #[schema(max_length = 1000)]
    client_secret: Option<String>,
    /// SAML: the IdP's metadata (XML); fills the three fields below when
    /// they are left out.
    #[serde(default)]
    #[schema(max_length = 200000)]
    idp_metadata: Option<String>,
    /// SAML: the IdP's entity ID.
    #[serde(default)]
    #[schema(max_length = 500)]
    idp_entity_id: Option<String>,
    /// SAML: the IdP's sign-in address for the HTTP-Redirect binding.
    #[serde(default)]
    #[schema(max_length = 2000)]
    idp_sso_url: Option<String>,
    /// SAML: the certificate the IdP signs assertions with (PEM or base64).
    #[serde(default)]
    #[schema(max_length = 20000)]
    idp_certificate: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SsoRequiredRequest {
    /// True: only the provider signs in the organization's people (needs a
    /// test passed since the last change). False: passwords work again.
    required: bool,
}

/// The organization's sign-in settings (owners of the caller's
/// organization). The client secret is never shown.
#[utoipa::path(get, path = "/organization/sso", tag = "sign-in", security(("bearer" = [])),
    responses((status = 200, body = SsoSettingsView), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn get_settings(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<SsoSettingsView>, ApiError> {
    Ok(Json(sso::settings(&state, &caller.user).await?.into()))
}

/// Set up or change the sign-in (owners of a verified organization):
/// OpenID Connect (issuer, client id and secret) or SAML 2.0 (the IdP's
/// metadata, or its entity ID, sign-in address and certificate). A change
/// of protocol, issuer, client, address or certificate ends `required`
/// until a new test passes.
#[utoipa::path(put, path = "/organization/sso", tag = "sign-in", security(("bearer" = [])),
    request_body = SsoRequest,
    responses((status = 200, body = SsoSettingsView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn put_settings(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<SsoRequest>,
) -> Result<Json<SsoSettingsView>, ApiError> {
    let form = SsoForm {
        protocol: body.protocol.unwrap_or_default(),
        issuer: body.issuer.unwrap_or_default(),
        client_id: body.client_id.unwrap_or_default(),
        client_secret: body.client_secret.unwrap_or_default(),
        idp_metadata: body.idp_metadata.unwrap_or_default(),
        idp_entity_id: body.idp_entity_id.unwrap_or_default(),
        idp_sso_url: body.idp_sso_url.unwrap_or_default(),
        idp_certificate: body.idp_certificate.unwrap_or_default(),
    };
    sso::configure(&state, &caller.user, &form).await?;
    Ok(Json(sso::settings(&state, &caller.user).await?.into()))
}

/// Remove the sign-in (owners). Accounts made by it stay; their people can
/// set a password with "Forgot your password?".
#[utoipa::path(delete, path = "/organization/sso", tag = "sign-in", security(("bearer" = [])),
    responses((status = 204, description = "Removed"), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem)))]
async fn delete_settings(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<StatusCode, ApiError> {
    sso::remove(&state, &caller.user).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Test the settings (owners): Stint reads the provider's discovery
/// document and signing keys and says exactly what failed. A failed test
/// is an answer, not an error: 200 with `passed: false` and its `code`.
#[utoipa::path(post, path = "/organization/sso/test", tag = "sign-in", security(("bearer" = [])),
    responses((status = 200, body = SsoTestView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem)))]
async fn run_test(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<SsoTestView>, ApiError> {
    let outcome = sso::test(&state, &caller.user).await?;
    let at = sso::settings(&state, &caller.user)
        .await?
        .connection
        .and_then(|c| c.tested_at)
        .unwrap_or_else(Utc::now);
    Ok(Json(SsoTestView {
        at,
        passed: outcome.passed,
        code: (!outcome.passed).then(|| outcome.code.to_string()),
        detail: outcome.detail,
    }))
}

/// Require the sign-in, or let passwords work again (owners). Requiring it
/// needs a test passed since the last change (409 `sso_untested`).
#[utoipa::path(put, path = "/organization/sso/required", tag = "sign-in", security(("bearer" = [])),
    request_body = SsoRequiredRequest,
    responses((status = 200, body = SsoSettingsView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn put_required(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<SsoRequiredRequest>,
) -> Result<Json<SsoSettingsView>, ApiError> {
    sso::set_required(&state, &caller.user, body.required).await?;
    Ok(Json(sso::settings(&state, &caller.user).await?.into()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScimTokenView {
    id: i64,
    /// The directory that uses it, as named by its maker.
    label: String,
    created_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
}

impl From<stint_store::ScimToken> for ScimTokenView {
    fn from(t: stint_store::ScimToken) -> Self {
        ScimTokenView {
            id: t.id,
            label: t.label,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProvisioningView {
    /// The SCIM 2.0 base address to give the directory.
    base_url: String,
    /// Live tokens (at most 10).
    tokens: Vec<ScimTokenView>,
    /// User resources the directory manages, and how many are turned off.
    users: i64,
    deactivated: i64,
    last_change: Option<DateTime<Utc>>,
    /// The groups the directory pushed, with the role each maps to.
    groups: Vec<ScimGroupView>,
    /// People in a mapped group whose role could not be applied, and why.
    role_problems: Vec<RoleProblemView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScimGroupView {
    /// The SCIM id of the group.
    id: String,
    display_name: String,
    /// `career` or `faculty` (universities), or null: the group gives no role.
    role: Option<String>,
    members: i64,
    updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleProblemView {
    user_id: i64,
    name: String,
    email: String,
    problem: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ScimGroupRoleRequest {
    /// `career` (career staff), `faculty`, or null for no role.
    role: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ScimTokenCreated {
    token: ScimTokenView,
    /// The bearer token for the directory; shown this once.
    secret: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ScimTokenRequest {
    /// The directory that will use it, e.g. "Entra ID".
    #[schema(min_length = 1, max_length = 100)]
    label: String,
}

/// What the organization's directory may do and did (owners): the SCIM
/// base address, the live tokens, the people provisioned.
#[utoipa::path(get, path = "/organization/provisioning", tag = "sign-in", security(("bearer" = [])),
    responses((status = 200, body = ProvisioningView), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn get_provisioning(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<ProvisioningView>, ApiError> {
    let p = crate::app::scim::overview(&state, &caller.user).await?;
    Ok(Json(ProvisioningView {
        base_url: p.base_url,
        tokens: p.tokens.into_iter().map(ScimTokenView::from).collect(),
        users: p.users,
        deactivated: p.deactivated,
        last_change: p.last_change,
        groups: p
            .groups
            .groups
            .into_iter()
            .map(|g| ScimGroupView {
                id: g.id,
                display_name: g.display_name,
                role: g.role,
                members: g.members,
                updated_at: g.updated_at,
            })
            .collect(),
        role_problems: p
            .groups
            .problems
            .into_iter()
            .map(|r| RoleProblemView {
                user_id: r.user_id,
                name: r.name,
                email: r.email,
                problem: r.problem,
            })
            .collect(),
    }))
}

/// Map a group of the directory to a role on Stint (owners of a
/// university): its members become career staff or faculty, or, with
/// null, lose the role it gave them. The answer is the provisioning state.
#[utoipa::path(put, path = "/organization/provisioning/groups/{id}", tag = "sign-in", security(("bearer" = [])),
    params(("id" = String, Path, description = "The group's SCIM id")),
    request_body = ScimGroupRoleRequest,
    responses((status = 200, body = ProvisioningView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn map_scim_group(
    State(state): State<AppState>,
    caller: ApiUser,
    axum::extract::Path(id): axum::extract::Path<String>,
    ApiJson(body): ApiJson<ScimGroupRoleRequest>,
) -> Result<Json<ProvisioningView>, ApiError> {
    let role = crate::app::scim_groups::parse_role(body.role.as_deref())?;
    crate::app::scim_groups::map_group(&state, &caller.user, &id, role).await?;
    get_provisioning(State(state), caller).await
}

/// A token for the organization's directory (owners of a verified
/// organization; at most 10 live). The answer carries the secret once.
#[utoipa::path(post, path = "/organization/provisioning/tokens", tag = "sign-in", security(("bearer" = [])),
    request_body = ScimTokenRequest,
    responses((status = 201, body = ScimTokenCreated), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_scim_token(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<ScimTokenRequest>,
) -> Result<(StatusCode, Json<ScimTokenCreated>), ApiError> {
    let (id, secret) = crate::app::scim::create_token(&state, &caller.user, &body.label).await?;
    let p = crate::app::scim::overview(&state, &caller.user).await?;
    let token = p
        .tokens
        .into_iter()
        .find(|t| t.id == id)
        .map(ScimTokenView::from)
        .ok_or(crate::error::AppError::NotFound)?;
    Ok((
        StatusCode::CREATED,
        Json(ScimTokenCreated { token, secret }),
    ))
}

/// Revoke a token (owners): the directory that uses it is refused at once.
#[utoipa::path(delete, path = "/organization/provisioning/tokens/{id}", tag = "sign-in", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204, description = "Revoked"), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem)))]
async fn revoke_scim_token(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<StatusCode, ApiError> {
    crate::app::scim::revoke_token(&state, &caller.user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
