//! Extractors: the signed-in person from a session cookie (pages) or a bearer
//! token (API).

use axum::extract::{FromRef, FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use stint_store::User;

use super::tokens::{API_TOKEN_PREFIX, hash_token};
use crate::AppState;
use crate::api::ApiError;
use crate::error::AppError;

pub const SESSION_COOKIE: &str = "stint_session";

/// A signed-in person and the hash of their session token.
#[derive(Debug, Clone)]
pub struct SessionUser {
    pub user: User,
    pub session_hash: String,
}

pub(crate) fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The `Set-Cookie` value for a session; an empty token with max-age 0 clears it.
pub fn session_cookie(token: &str, secure: bool, max_age_secs: i64) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let value = format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    );
    HeaderValue::from_str(&value)
        .unwrap_or_else(|_| HeaderValue::from_static("stint_session=; Path=/; Max-Age=0"))
}

async fn session_user(parts: &Parts, state: &AppState) -> Result<Option<SessionUser>, AppError> {
    let Some(token) = cookie_value(&parts.headers, SESSION_COOKIE).filter(|t| t.len() == 64) else {
        return Ok(None);
    };
    let hash = hash_token(token);
    Ok(state
        .store
        .session_user(&hash)
        .await?
        .map(|user| SessionUser {
            user,
            session_hash: hash,
        }))
}

/// The signed-in person, if any. Pages use this to adapt navigation.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<SessionUser>);

impl MaybeUser {
    pub fn user(&self) -> Option<&User> {
        self.0.as_ref().map(|s| &s.user)
    }
}

impl<S> FromRequestParts<S> for MaybeUser
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        session_user(parts, &state)
            .await
            .map(MaybeUser)
            .map_err(|e| crate::pages::error_page(e, None))
    }
}

/// A page that needs a signed-in person; others are sent to sign in and
/// brought back afterwards.
#[derive(Debug, Clone)]
pub struct PageUser(pub SessionUser);

impl PageUser {
    pub fn user(&self) -> &User {
        &self.0.user
    }
}

impl<S> FromRequestParts<S> for PageUser
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        match session_user(parts, &state).await {
            Ok(Some(s)) => Ok(PageUser(s)),
            Ok(None) => {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/");
                let next = if parts.method == axum::http::Method::GET {
                    next
                } else {
                    "/"
                };
                let q = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
                Err(Redirect::to(&format!("/login?{q}")).into_response())
            }
            Err(e) => Err(crate::pages::error_page(e, None)),
        }
    }
}

impl<S> OptionalFromRequestParts<S> for PageUser
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        let state = AppState::from_ref(state);
        session_user(parts, &state)
            .await
            .map(|s| s.map(PageUser))
            .map_err(|e| crate::pages::error_page(e, None))
    }
}

/// The API token in `Authorization: Bearer stint_…`, if it has that shape.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| t.starts_with(API_TOKEN_PREFIX) && t.len() < 200)
}

/// The id of the person a request's credentials (bearer token, else session
/// cookie) belong to, or `None` when they name nobody. For middleware that
/// must know who is asking before a handler runs.
pub async fn caller_id(headers: &HeaderMap, state: &AppState) -> Result<Option<i64>, AppError> {
    if let Some(token) = bearer(headers) {
        return Ok(state
            .store
            .token_user(&hash_token(token))
            .await?
            .map(|(_, u)| u.id));
    }
    let Some(token) = cookie_value(headers, SESSION_COOKIE).filter(|t| t.len() == 64) else {
        return Ok(None);
    };
    Ok(state
        .store
        .session_user(&hash_token(token))
        .await?
        .map(|u| u.id))
}

/// An API caller authenticated by `Authorization: Bearer stint_…`.
#[derive(Debug, Clone)]
pub struct ApiUser {
    pub user: User,
    pub token_id: i64,
}

impl<S> FromRequestParts<S> for ApiUser
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let token = bearer(&parts.headers).ok_or(ApiError(AppError::Unauthenticated))?;
        match state.store.token_user(&hash_token(token)).await {
            Ok(Some((token_id, user))) => Ok(ApiUser { user, token_id }),
            Ok(None) => Err(ApiError(AppError::Unauthenticated)),
            Err(e) => Err(ApiError(e.into())),
        }
    }
}

impl<S> OptionalFromRequestParts<S> for ApiUser
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    /// No `Authorization` header means anonymous; a bad one is still a 401.
    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        if parts.headers.get(header::AUTHORIZATION).is_none() {
            return Ok(None);
        }
        <ApiUser as FromRequestParts<S>>::from_request_parts(parts, state)
            .await
            .map(Some)
    }
}
