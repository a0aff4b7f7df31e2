//! `HtmlForm<T>`: a urlencoded form body that may repeat keys (checkbox
//! groups such as skills), parsed with `serde_html_form`. A body that does not
//! parse, or that carries control characters, gets a friendly error page
//! instead of axum's plain-text rejection.

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::response::Response;
use serde::de::DeserializeOwned;

use crate::error::AppError;

pub struct HtmlForm<T>(pub T);

impl<T, S> FromRequest<S> for HtmlForm<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(req, state).await.map_err(|_| {
            crate::pages::error_page(
                AppError::invalid(
                    "body",
                    "The form was too large or incomplete. Go back and try again.",
                ),
                None,
            )
        })?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
        if pairs
            .iter()
            .any(|(k, v)| stint_domain::text::has_control(k) || stint_domain::text::has_control(v))
        {
            return Err(crate::pages::error_page(
                AppError::invalid("body", stint_domain::text::control_message("The form")),
                None,
            ));
        }
        serde_html_form::from_bytes(&bytes)
            .map(HtmlForm)
            .map_err(|e| {
                crate::pages::error_page(
                    AppError::invalid(
                        "body",
                        format!("The form could not be read ({e}). Go back and try again."),
                    ),
                    None,
                )
            })
    }
}

/// A numeric id from a page's path; anything else is the not-found page.
pub struct PageId(pub i64);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for PageId {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &S,
    ) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| crate::pages::error_page(AppError::NotFound, None))?;
        raw.parse()
            .map(PageId)
            .map_err(|_| crate::pages::error_page(AppError::NotFound, None))
    }
}
