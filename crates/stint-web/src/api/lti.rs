//! `/organization/lti`: the learning platforms (LTI 1.3) a university's
//! owners register, as on the page `/organization/learning-platforms`:
//! Stint's values to enter in the platform, the registrations, a test of
//! each. Every change is in the audit log.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::sso::SsoTestView;
use super::{ApiError, ApiId, ApiJson, Problem};
use crate::AppState;
use crate::app::lti::{self, PlatformForm};
use crate::auth::ApiUser;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_settings))
        .routes(routes!(create_platform))
        .routes(routes!(put_platform, delete_platform))
        .routes(routes!(test_platform))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LtiPlatformView {
    id: i64,
    name: String,
    /// The `iss` of the platform's launches.
    issuer: String,
    client_id: String,
    /// The platform's authentication request URL.
    auth_url: String,
    /// The platform's public key set.
    jwks_url: String,
    deployment_ids: Vec<String>,
    /// A test passed since the last change.
    tested_ok: bool,
    last_test: Option<SsoTestView>,
    last_launch_at: Option<DateTime<Utc>>,
    /// When the last launch was refused, and why (the exact reason, with
    /// its code in brackets).
    last_refusal_at: Option<DateTime<Utc>>,
    last_refusal: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<stint_store::LtiPlatform> for LtiPlatformView {
    fn from(p: stint_store::LtiPlatform) -> Self {
        LtiPlatformView {
            tested_ok: p.tested_ok(),
            last_test: p.tested_at.map(|at| {
                SsoTestView::new(
                    at,
                    p.test_error.as_deref() == Some(""),
                    p.test_error.clone().filter(|e| !e.is_empty()),
                    p.test_detail.clone().unwrap_or_default(),
                )
            }),
            id: p.id,
            name: p.name,
            issuer: p.issuer,
            client_id: p.client_id,
            auth_url: p.auth_url,
            jwks_url: p.jwks_url,
            deployment_ids: p.deployments,
            last_launch_at: p.last_launch_at,
            last_refusal_at: p.last_refusal_at,
            last_refusal: p.last_refusal,
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LtiSettingsView {
    organization_id: i64,
    /// Enter in the platform as the tool's login initiation URL (the
    /// university's own).
    login_url: String,
    /// Enter in the platform as the redirect URI and the target link URI.
    launch_url: String,
    /// Enter in the platform as the tool's public keyset URL.
    jwks_url: String,
    platforms: Vec<LtiPlatformView>,
}

impl From<lti::Settings> for LtiSettingsView {
    fn from(s: lti::Settings) -> Self {
        LtiSettingsView {
            organization_id: s.membership.org.id,
            login_url: s.login_url,
            launch_url: s.launch_url,
            jwks_url: s.jwks_url,
            platforms: s.platforms.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LtiPlatformRequest {
    /// What the university calls it, e.g. "Moodle".
    #[schema(max_length = 100)]
    name: String,
    /// The `iss` of the platform's launches, e.g. `https://moodle.example.edu`.
    #[schema(max_length = 2000)]
    issuer: String,
    /// The client id the platform gave Stint.
    #[schema(max_length = 255)]
    client_id: String,
    /// The platform's authentication request URL.
    #[schema(max_length = 2000)]
    auth_url: String,
    /// The platform's public keyset URL.
    #[schema(max_length = 2000)]
    jwks_url: String,
    /// The deployment ids launches may name (at least one).
    #[schema(max_items = 50)]
    deployment_ids: Vec<String>,
}

impl From<LtiPlatformRequest> for PlatformForm {
    fn from(b: LtiPlatformRequest) -> Self {
        PlatformForm {
            name: b.name,
            issuer: b.issuer,
            client_id: b.client_id,
            auth_url: b.auth_url,
            jwks_url: b.jwks_url,
            deployment_ids: b.deployment_ids,
        }
    }
}

/// Stint's values for the platforms and the registered platforms (owners
/// of the caller's university).
#[utoipa::path(get, path = "/organization/lti", tag = "sign-in", security(("bearer" = [])),
    responses((status = 200, body = LtiSettingsView), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn get_settings(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<LtiSettingsView>, ApiError> {
    Ok(Json(lti::settings(&state, &caller.user).await?.into()))
}

async fn one(state: &AppState, caller: &ApiUser, id: i64) -> Result<LtiPlatformView, ApiError> {
    Ok(lti::platform(state, &caller.user, id).await?.into())
}

/// Register a platform (owners of a verified university). An issuer and
/// client id the university registered already is a field error on
/// `client_id`.
#[utoipa::path(post, path = "/organization/lti/platforms", tag = "sign-in", security(("bearer" = [])),
    request_body = LtiPlatformRequest,
    responses((status = 201, body = LtiPlatformView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create_platform(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<LtiPlatformRequest>,
) -> Result<(StatusCode, Json<LtiPlatformView>), ApiError> {
    let id = lti::register(&state, &caller.user, &body.into()).await?;
    Ok((StatusCode::CREATED, Json(one(&state, &caller, id).await?)))
}

/// Change a platform (owners).
#[utoipa::path(put, path = "/organization/lti/platforms/{id}", tag = "sign-in", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = LtiPlatformRequest,
    responses((status = 200, body = LtiPlatformView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn put_platform(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<LtiPlatformRequest>,
) -> Result<Json<LtiPlatformView>, ApiError> {
    lti::update(&state, &caller.user, id, &body.into()).await?;
    Ok(Json(one(&state, &caller, id).await?))
}

/// Remove a platform (owners): its launches stop opening Stint. Accounts
/// made by it stay.
#[utoipa::path(delete, path = "/organization/lti/platforms/{id}", tag = "sign-in", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204, description = "Removed"), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem)))]
async fn delete_platform(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<StatusCode, ApiError> {
    lti::remove(&state, &caller.user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Test a platform (owners): Stint reads its key set and checks that its
/// authentication request URL answers, and says exactly what failed. A
/// failed test is an answer: 200 with `passed: false` and its `code`.
#[utoipa::path(post, path = "/organization/lti/platforms/{id}/test", tag = "sign-in", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = SsoTestView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem)))]
async fn test_platform(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<SsoTestView>, ApiError> {
    let outcome = lti::test(&state, &caller.user, id).await?;
    let at = lti::platform(&state, &caller.user, id)
        .await?
        .tested_at
        .unwrap_or_else(Utc::now);
    Ok(Json(SsoTestView::new(
        at,
        outcome.passed,
        (!outcome.passed).then(|| outcome.code.to_string()),
        outcome.detail,
    )))
}
