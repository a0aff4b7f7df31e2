//! `/auth`: register, exchange a password for a token, list and revoke tokens.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::views::UserView;
use super::{ApiError, ApiId, ApiJson};
use crate::AppState;
use crate::app::accounts::{self, Registration};
use crate::auth::ApiUser;
use crate::security::ClientIp;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register))
        .routes(routes!(token))
        .routes(routes!(list_tokens))
        .routes(routes!(revoke_token))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterRequest {
    #[schema(format = Email, max_length = 254)]
    email: String,
    /// 10–128 characters; common passwords are refused.
    #[schema(min_length = 10, max_length = 128)]
    password: String,
    #[schema(min_length = 1, max_length = 80)]
    name: String,
    #[schema(value_type = SignupRole)]
    role: String,
}

/// Who an account is for; admins are made on the command line.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
enum SignupRole {
    Student,
    Employer,
    University,
}

/// Create an account. A confirmation link is emailed.
#[utoipa::path(post, path = "/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = UserView), (status = 409, body = super::Problem, description = "email_taken"),
              (status = 422, body = super::Problem), (status = 429, body = super::Problem)))]
async fn register(
    State(state): State<AppState>,
    ip: ClientIp,
    ApiJson(r): ApiJson<RegisterRequest>,
) -> Result<(StatusCode, Json<UserView>), ApiError> {
    state.rate_limit("register", ip)?;
    let user = accounts::register(
        &state,
        Registration {
            email: &r.email,
            password: &r.password,
            name: &r.name,
            role: &r.role,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(UserView::from(&user))))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    #[schema(max_length = 254)]
    email: String,
    #[schema(max_length = 1024)]
    password: String,
    /// A label to recognise the token by later.
    #[serde(default)]
    name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    id: i64,
    /// Shown once; Stint keeps only a hash.
    token: String,
    token_type: &'static str,
    user: UserView,
}

/// Exchange email and password for a bearer token.
#[utoipa::path(post, path = "/auth/token", tag = "auth", request_body = TokenRequest,
    responses((status = 201, body = TokenResponse), (status = 401, body = super::Problem, description = "invalid_credentials"),
              (status = 409, body = super::Problem, description = "sso_required: the address's organization signs its people in itself"),
              (status = 422, body = super::Problem), (status = 429, body = super::Problem)))]
async fn token(
    State(state): State<AppState>,
    ip: ClientIp,
    ApiJson(r): ApiJson<TokenRequest>,
) -> Result<(StatusCode, Json<TokenResponse>), ApiError> {
    state.rate_limit("login", ip)?;
    let user = accounts::authenticate(&state, &r.email, &r.password).await?;
    let (id, token) =
        accounts::issue_api_token(&state, &user, r.name.as_deref().unwrap_or("API token")).await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenResponse {
            id,
            token,
            token_type: "Bearer",
            user: UserView::from(&user),
        }),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenInfo {
    id: i64,
    name: String,
    created_at: chrono::DateTime<chrono::Utc>,
    /// Whether this is the token making the request.
    current: bool,
}

/// The caller's live tokens.
#[utoipa::path(get, path = "/auth/tokens", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Vec<TokenInfo>), (status = 401, body = super::Problem)))]
async fn list_tokens(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<TokenInfo>>, ApiError> {
    let tokens = state.store.api_tokens(caller.user.id).await?;
    Ok(Json(
        tokens
            .into_iter()
            .map(|t| TokenInfo {
                current: t.id == caller.token_id,
                id: t.id,
                name: t.name,
                created_at: t.created_at,
            })
            .collect(),
    ))
}

/// Revoke one of the caller's tokens (including the current one).
#[utoipa::path(delete, path = "/auth/tokens/{id}", tag = "auth", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = super::Problem), (status = 404, body = super::Problem)))]
async fn revoke_token(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<StatusCode, ApiError> {
    accounts::revoke_api_token(&state, &caller.user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
