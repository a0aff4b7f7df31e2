//! Server-rendered pages. One file per area; each exports its `router()`.
//! Templates under `templates/` mirror these files.

mod account;
mod admin;
mod admin_payments;
mod analytics;
mod applications;
mod apply;
mod credentials;
mod credit;
mod dev;
mod discovery;
mod employer;
mod engagements;
mod home;
mod money;
mod payouts;
mod privacy;
mod projects;
mod records;
pub(crate) use records::csv_download;
mod lti;
mod outcomes;
mod provisioning;
mod saved_searches;
mod sso;
mod student;
mod talent;
mod university;
mod webhooks;

use askama::Template;
use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::AppState;
use crate::error::AppError;
use crate::view::Layout;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(home::router())
        .merge(projects::router())
        .merge(apply::router())
        .merge(account::router())
        .merge(applications::router())
        .merge(engagements::router())
        .merge(money::router())
        .merge(payouts::router())
        .merge(records::router())
        .merge(credentials::router())
        .merge(student::router())
        .merge(employer::router())
        .merge(talent::router())
        .merge(university::router())
        .merge(outcomes::router())
        .merge(analytics::router())
        .merge(webhooks::router())
        .merge(sso::router())
        .merge(lti::router())
        .merge(provisioning::router())
        .merge(credit::router())
        .merge(admin::router())
        .merge(admin_payments::router())
        .merge(dev::router())
        .merge(discovery::router())
        .merge(saved_searches::router())
        .merge(privacy::router())
        .route("/static/stint.css", get(css))
        .route("/static/search.js", get(search_js))
        .route("/static/forms.js", get(forms_js))
        .route("/static/favicon.svg", get(favicon))
        .route("/healthz", get(healthz))
        .fallback(not_found)
}

/// `?notice=code` on any page shows a known message (see `view::notice_text`).
#[derive(Debug, Default, Deserialize)]
pub struct NoticeQuery {
    pub notice: Option<String>,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    heading: String,
    detail: String,
}

/// Renders an error as a page. Internal errors are logged; people see only
/// what they can act on.
pub fn error_page(e: AppError, layout: Option<Layout>) -> Response {
    e.log();
    if matches!(e, AppError::Unauthenticated) {
        return axum::response::Redirect::to("/login").into_response();
    }
    let status = e.status();
    let page = ErrorPage {
        layout: layout.unwrap_or_else(|| Layout::new(e.title(), None, false)),
        heading: e.title().to_string(),
        detail: e.detail(),
    };
    (status, render(&page)).into_response()
}

/// Renders a template, or a plain error if the template itself fails.
/// A private file download: its media type, an attachment name, never cached.
pub fn download(body: impl IntoResponse, content_type: &'static str, filename: &str) -> Response {
    use axum::http::{HeaderValue, header};
    let mut res = body.into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    res
}

/// A page answering a form with errors says so in its status (422).
fn failed(mut res: Response, errors: &stint_domain::FieldErrors) -> Response {
    if !errors.is_empty() {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong on our side.",
            )
                .into_response()
        }
    }
}

/// A page-handler error that knows the layout to render it in.
pub struct PageError(pub AppError, pub Layout);

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        error_page(self.0, Some(self.1))
    }
}

async fn not_found(
    user: crate::auth::MaybeUser,
    axum::extract::State(state): axum::extract::State<AppState>,
) -> Response {
    error_page(
        AppError::NotFound,
        Some(Layout::new("Not found", user.user(), state.config.demo)),
    )
}

async fn css() -> Response {
    static_asset(
        include_str!("../../static/stint.css"),
        "text/css; charset=utf-8",
    )
}

async fn search_js() -> Response {
    static_asset(
        include_str!("../../static/search.js"),
        "text/javascript; charset=utf-8",
    )
}

async fn forms_js() -> Response {
    static_asset(
        include_str!("../../static/forms.js"),
        "text/javascript; charset=utf-8",
    )
}

async fn favicon() -> Response {
    static_asset(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="#0d6b62"/><text x="16" y="23" font-family="sans-serif" font-size="19" font-weight="700" text-anchor="middle" fill="#fff">S</text></svg>"##,
        "image/svg+xml",
    )
}

fn static_asset(body: &'static str, content_type: &'static str) -> Response {
    let mut res = body.into_response();
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=3600"),
    );
    res
}

async fn healthz(axum::extract::State(state): axum::extract::State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => "ok".into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}
