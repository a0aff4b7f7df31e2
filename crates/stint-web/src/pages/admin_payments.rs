//! `/admin/payments`: the manual provider's two queues, money to receive from
//! employers and payouts to make to students, each recorded with its bank
//! reference.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use stint_domain::FieldErrors;
use stint_domain::money::{Currency, Money};
use stint_store::PaymentDue;

use super::{NoticeQuery, PageError, render};
use crate::AppState;
use crate::app::payments;
use crate::auth::PageUser;
use crate::error::AppError;
use crate::form::{HtmlForm, PageId};
use crate::view::{Layout, date};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/payments", get(show))
        .route("/admin/engagements/{id}/deposit", post(deposit))
        .route("/admin/engagements/{id}/payout", post(payout))
        .route("/admin/engagements/{id}/payout-details", post(reveal))
        .route("/admin/engagements/{id}/return", post(send_back))
}

struct Row {
    id: i64,
    title: String,
    org: String,
    student: String,
    amount: String,
    since: String,
    waiting_for_deposit: bool,
    payout_masked: Option<String>,
}

fn row(p: PaymentDue) -> Row {
    let currency: Currency = p.currency.parse().unwrap_or(Currency::Usd);
    Row {
        id: p.engagement_id,
        amount: Money::new(p.amount_minor, currency).to_string(),
        since: date(&p.since.date_naive()),
        waiting_for_deposit: p.waiting_for_deposit,
        payout_masked: p.payout_masked,
        title: p.project_title,
        org: p.org_name,
        student: p.student_name,
    }
}

#[derive(Template)]
#[template(path = "admin/payments.html")]
struct PaymentsPage {
    layout: Layout,
    deposits: Vec<Row>,
    payouts: Vec<Row>,
    returns: Vec<Row>,
    provider: &'static str,
    /// The engagement whose form failed, and why.
    failed: Option<(i64, FieldErrors)>,
    /// The payout whose details the admin asked to see, whole.
    revealed: Option<(i64, Vec<(&'static str, String)>)>,
    /// Recent payouts: (engagement, title, student, approved, paid, took).
    speed: Vec<(i64, String, String, String, String, String)>,
    median_speed: Option<String>,
}

async fn page(
    state: &AppState,
    user: &PageUser,
    notice: Option<&str>,
    failed: Option<(i64, FieldErrors)>,
    revealed: Option<(i64, Vec<(&'static str, String)>)>,
) -> Result<Response, PageError> {
    let mut layout = Layout::new("Payments", Some(user.user()), state.config.demo)
        .with_notice(notice)
        .at("/admin/payments");
    layout.noindex = true;
    let q = payments::queues(state, user.user())
        .await
        .map_err(|e| PageError(e, layout.clone()))?;
    let times = crate::app::records::payout_times(state, user.user())
        .await
        .map_err(|e| PageError(e, layout.clone()))?;
    let mut took: Vec<chrono::Duration> = times.iter().map(|t| t.paid_at - t.released_at).collect();
    took.sort();
    let median_speed = took
        .get(took.len() / 2)
        .map(|d| crate::app::records::duration_words(*d));
    let speed = times
        .into_iter()
        .map(|t| {
            (
                t.engagement_id,
                t.project_title,
                t.student_name,
                date(&t.released_at.date_naive()),
                date(&t.paid_at.date_naive()),
                crate::app::records::duration_words(t.paid_at - t.released_at),
            )
        })
        .collect();
    let status = if failed.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let mut res = render(&PaymentsPage {
        deposits: q.deposits.into_iter().map(row).collect(),
        payouts: q.payouts.into_iter().map(row).collect(),
        returns: q.returns.into_iter().map(row).collect(),
        provider: state.config.payment_provider.as_str(),
        failed,
        revealed,
        speed,
        median_speed,
        layout,
    });
    *res.status_mut() = status;
    Ok(res)
}

async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    page(&state, &user, n.notice.as_deref(), None, None).await
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ReferenceForm {
    reference: String,
}

async fn after(
    state: &AppState,
    user: &PageUser,
    id: i64,
    r: Result<stint_store::Engagement, AppError>,
    notice: &str,
) -> Result<Response, PageError> {
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/admin/payments?notice={notice}")).into_response()),
        Err(AppError::Invalid(errors)) => page(state, user, None, Some((id, errors)), None).await,
        Err(e) => Err(PageError(
            e,
            Layout::new("Payments", Some(user.user()), state.config.demo),
        )),
    }
}

async fn deposit(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<ReferenceForm>,
) -> Result<Response, PageError> {
    let r = payments::record_deposit(&state, user.user(), id, &f.reference).await;
    after(&state, &user, id, r, "deposit_recorded").await
}

async fn payout(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<ReferenceForm>,
) -> Result<Response, PageError> {
    let r = payments::record_payout(&state, user.user(), id, &f.reference).await;
    after(&state, &user, id, r, "payout_recorded").await
}

async fn send_back(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<ReferenceForm>,
) -> Result<Response, PageError> {
    let r = payments::record_return(&state, user.user(), id, &f.reference).await;
    after(&state, &user, id, r, "return_recorded").await
}

/// Shows one student's payout details whole, to send the money; the audit
/// log records it (a POST, so a page load never reveals by accident).
async fn reveal(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let details = crate::app::payouts::reveal(&state, user.user(), id)
        .await
        .map_err(|e| {
            PageError(
                e,
                Layout::new("Payments", Some(user.user()), state.config.demo),
            )
        })?;
    page(&state, &user, None, None, Some((id, details.full()))).await
}
