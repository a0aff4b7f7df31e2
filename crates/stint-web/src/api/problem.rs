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
/// answer with a problem naming what was wrong.
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rejection) if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE => {
                Err(ApiError(AppError::TooLarge(format!(
                    "The request body is larger than the {} this endpoint accepts.",
                    stint_domain::upload::human_size(crate::security::BODY_LIMIT)
                ))))
            }
            Err(rejection) => {
                let message = match &rejection {
                    JsonRejection::MissingJsonContentType(_) => {
                        "Send the body as JSON with Content-Type: application/json.".to_string()
                    }
                    JsonRejection::JsonSyntaxError(_) => "The body is not valid JSON.".to_string(),
                    JsonRejection::JsonDataError(e) => format!(
                        "The JSON does not have the expected shape: {}",
                        e.body_text()
                    ),
                    other => other.body_text(),
                };
                Err(ApiError(AppError::conflict_like_bad_request(message)))
            }
        }
    }
}

impl AppError {
    /// A malformed request body, reported as a validation problem on `body`.
    fn conflict_like_bad_request(message: String) -> AppError {
        AppError::invalid("body", message)
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
