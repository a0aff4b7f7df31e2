//! Verifiable credentials: the caller's list, one credential as JSON-LD,
//! checking a credential file, and revocation (admins).

use axum::Json;
use axum::extract::{Path, State};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiError, ApiJson};
use crate::AppState;
use crate::app::credentials::{self as creds, Check};
use crate::auth::ApiUser;
use crate::error::AppError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(mine))
        .routes(routes!(one))
        .routes(routes!(verify))
        .routes(routes!(revoke))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CredentialView {
    /// The credential's id, as in its URL.
    id: String,
    /// The page that shows and checks it; also its JSON-LD `id`.
    url: String,
    achievement_id: i64,
    title: String,
    organization: String,
    issued_at: chrono::DateTime<chrono::Utc>,
    revoked_at: Option<chrono::DateTime<chrono::Utc>>,
    revoked_reason: Option<String>,
    /// LinkedIn's add-to-profile link (certification), for credentials in force.
    linkedin_url: Option<String>,
}

fn view(state: &AppState, c: &stint_store::Credential) -> CredentialView {
    let doc: Value = serde_json::from_str(&c.document).unwrap_or_default();
    let a = &doc["credentialSubject"]["achievement"];
    let title = a["name"].as_str().unwrap_or_default().to_string();
    let organization = a["creator"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let url = creds::url(state, &c.public_id);
    CredentialView {
        id: c.public_id.clone(),
        linkedin_url: c
            .revoked_at
            .is_none()
            .then(|| creds::linkedin_url(c, &title, &organization, &url)),
        url,
        achievement_id: c.achievement_id,
        title,
        organization,
        issued_at: c.issued_at,
        revoked_at: c.revoked_at,
        revoked_reason: c.revoked_reason.clone(),
    }
}

/// The caller's credentials, newest first, revoked ones included (students).
#[utoipa::path(get, path = "/me/credentials", tag = "credentials", security(("bearer" = [])),
    responses((status = 200, body = Vec<CredentialView>), (status = 401, body = super::Problem), (status = 403, body = super::Problem)))]
async fn mine(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<CredentialView>>, ApiError> {
    crate::auth::authz::require_role(&caller.user, stint_domain::account::Role::Student)?;
    let list = state.store.student_credentials(caller.user.id).await?;
    Ok(Json(list.iter().map(|c| view(&state, c)).collect()))
}

/// One credential as issued: an Open Badges 3.0 `OpenBadgeCredential` with
/// its Data Integrity proof. Its student and admins may read it; anyone may
/// once the student's portfolio is public.
#[utoipa::path(get, path = "/credentials/{id}", tag = "credentials", params(("id" = String, Path)),
    responses((status = 200, body = Object), (status = 404, body = super::Problem)))]
async fn one(
    State(state): State<AppState>,
    caller: Option<ApiUser>,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let c = creds::get(&state, caller.as_ref().map(|c| &c.user), &id).await?;
    Ok(Json(
        serde_json::from_str(&c.document).map_err(|e| AppError::Internal(e.to_string()))?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct VerifyRequest {
    /// The credential, as downloaded.
    #[schema(value_type = Object)]
    credential: Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VerifyView {
    /// Signed by a key this instance published, and not revoked.
    verified: bool,
    revoked: bool,
    /// Why not, in words a person can act on.
    reason: Option<String>,
}

/// Check a credential: its signature against the keys this instance has
/// published, and the revocation list. Anyone may ask.
#[utoipa::path(post, path = "/credentials/verify", tag = "credentials", request_body = VerifyRequest,
    responses((status = 200, body = VerifyView), (status = 422, body = super::Problem)))]
async fn verify(
    State(state): State<AppState>,
    ApiJson(r): ApiJson<VerifyRequest>,
) -> Result<Json<VerifyView>, ApiError> {
    Ok(Json(match creds::check(&state, &r.credential).await? {
        Check::Valid => VerifyView {
            verified: true,
            revoked: false,
            reason: None,
        },
        Check::Revoked(reason) => VerifyView {
            verified: false,
            revoked: true,
            reason: Some(reason),
        },
        Check::Invalid(reason) => VerifyView {
            verified: false,
            revoked: false,
            reason: Some(reason),
        },
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct RevokeRequest {
    /// Shown on the credential's page (5–500 characters).
    #[schema(required = true, min_length = 5, max_length = 500)]
    reason: String,
}

/// Revoke a credential (admins). Its page and the status list say so at once.
#[utoipa::path(post, path = "/admin/credentials/{id}/revoke", tag = "credentials", security(("bearer" = [])), params(("id" = String, Path)),
    request_body = RevokeRequest,
    responses((status = 200, body = CredentialView), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 404, body = super::Problem), (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
async fn revoke(
    State(state): State<AppState>,
    caller: ApiUser,
    Path(id): Path<String>,
    ApiJson(r): ApiJson<RevokeRequest>,
) -> Result<Json<CredentialView>, ApiError> {
    let c = creds::revoke(&state, &caller.user, &id, &r.reason).await?;
    Ok(Json(view(&state, &c)))
}
