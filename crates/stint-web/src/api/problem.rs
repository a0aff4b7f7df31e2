//! API errors as RFC 9457 problem+json, and a JSON body extractor whose
//! rejections are problems too.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use stint_domain::FieldError;
use utoipa::ToSchema;

use crate::error::AppError;

/// The body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Stable, snake_case: clients branch on this.
    pub code: String,
    /// For `validation_failed`: each field and what is wrong with it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(value_type = Vec<FieldProblem>)]
    pub errors: Vec<FieldError>,
}

/// One field's problem.
#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl From<stint_store::StoreError> for ApiError {
    fn from(e: stint_store::StoreError) -> Self {
        ApiError(e.into())
    }
}

impl From<stint_domain::FieldErrors> for ApiError {
    fn from(e: stint_domain::FieldErrors) -> Self {
        ApiError(AppError::Invalid(e))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        e.log();
        let status = e.status();
        let body = Problem {
            kind: format!("https://stint.example/problems/{}", e.code()),
            title: e.title().to_string(),
            status: status.as_u16(),
            detail: e.detail(),
            code: e.code().to_string(),
            errors: match &e {
                AppError::Invalid(f) => f.0.clone(),
                _ => Vec::new(),
            },
        };
        let mut res = (status, Json(body)).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if matches!(e, AppError::Busy | AppError::RateLimited) {
            let secs = if matches!(e, AppError::Busy) {
                "2"
            } else {
                "60"
            };
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static(secs));
        }
        if status == axum::http::StatusCode::UNAUTHORIZED {
            res.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"stint\""),
            );
        }
        res
    }
}

/// `Json<T>` whose failures (wrong content type, bad syntax, wrong shape)
/// answer with a problem naming what was wrong. Every body the API takes is
/// a JSON object: an array or a scalar is refused before it reaches a
/// handler (serde would otherwise read `[null, null]` as a struct of empty
/// fields). Text anywhere in the body must be free of control characters.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let value = match Json::<serde_json::Value>::from_request(req, state).await {
            Ok(Json(v)) => v,
            Err(rejection) if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(ApiError(AppError::TooLarge(format!(
                    "The request body is larger than the {} this endpoint accepts.",
                    stint_domain::upload::human_size(crate::security::BODY_LIMIT)
                ))));
            }
            Err(rejection) => {
                let message = match &rejection {
                    JsonRejection::MissingJsonContentType(_) => {
                        "Send the body as JSON with Content-Type: application/json.".to_string()
                    }
                    JsonRejection::JsonSyntaxError(_) => "The body is not valid JSON.".to_string(),
                    other => other.body_text(),
                };
                return Err(ApiError(AppError::invalid("body", message)));
            }
        };
        if !value.is_object() {
            return Err(ApiError(AppError::invalid(
                "body",
                "The body must be a JSON object, like {\"field\": \"value\"}.",
            )));
        }
        if let Some(path) = control_in(&value, String::new()) {
            return Err(ApiError(AppError::invalid(
                "body",
                stint_domain::text::control_message(&format!("The text at `{path}`")),
            )));
        }
        serde_json::from_value(value).map(ApiJson).map_err(|e| {
            ApiError(AppError::invalid(
                "body",
                format!("The JSON does not have the expected shape: {e}"),
            ))
        })
    }
}

/// The path (`links[2]`, `pitch`) of the first string in `v`, key or value,
/// that holds a control character.
fn control_in(v: &serde_json::Value, at: String) -> Option<String> {
    use stint_domain::text::has_control;
    match v {
        serde_json::Value::String(s) => has_control(s).then_some(at),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, x)| control_in(x, format!("{at}[{i}]"))),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, x)| {
            let here = if at.is_empty() {
                k.clone()
            } else {
                format!("{at}.{k}")
            };
            if has_control(k) {
                Some(here)
            } else {
                control_in(x, here)
            }
        }),
        _ => None,
    }
}

/// `Query<T>` whose failures are problems: a missing or malformed query
/// parameter is a 422 naming the parameter, never axum's plain-text 400.
pub struct ApiQuery<T>(pub T);

impl<T, S> axum::extract::FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        serde_html_form::from_str(query).map(ApiQuery).map_err(|e| {
            ApiError(AppError::invalid(
                "query",
                format!("The query string could not be read: {e}."),
            ))
        })
    }
}

/// A numeric id from the path; anything else is a 404 problem, as no such
/// object exists.
pub struct ApiId(pub i64);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ApiId {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| ApiError(AppError::NotFound))?;
        raw.parse()
            .map(ApiId)
            .map_err(|_| ApiError(AppError::NotFound))
    }
}
