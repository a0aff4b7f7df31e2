//! Money records as pages: the employer's billing page (tax id, receipts,
//! statement download), a printable receipt, and the student's earnings
//! CSV.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::Datelike;
use serde::Deserialize;
use stint_domain::FieldErrors;
use stint_domain::money::{Currency, Money};
use stint_store::Receipt;

use super::{NoticeQuery, PageError, render};
use crate::AppState;
use crate::app::records;
use crate::auth::PageUser;
use crate::error::AppError;
use crate::form::{HtmlForm, PageId};
use crate::view::{Layout, date};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/employer/billing", get(billing).post(save_tax_id))
        .route("/employer/statement.csv", get(statement))
        .route("/receipts/{id}", get(receipt))
        .route("/me/earnings.csv", get(earnings_csv))
}

fn layout(state: &AppState, title: &str, user: &PageUser, notice: Option<&str>) -> Layout {
    let mut l = Layout::new(title, Some(user.user()), state.config.demo).with_notice(notice);
    l.noindex = true;
    l
}

/// A CSV download that is never cached.
pub fn csv_download(body: String, filename: &str) -> Response {
    super::download(body, "text/csv; charset=utf-8", filename)
}

pub(crate) fn money(minor: i64, currency: &str) -> String {
    Money::new(minor, currency.parse().unwrap_or(Currency::Usd)).to_string()
}

struct ReceiptRow {
    id: i64,
    issued: String,
    project: String,
    student: String,
    total: String,
    paid: &'static str,
}

#[derive(Template)]
#[template(path = "employer/billing.html")]
struct BillingPage {
    layout: Layout,
    org_name: String,
    tax_id: String,
    receipts: Vec<ReceiptRow>,
    /// Default period: this month so far.
    from: String,
    to: String,
    median_payout: Option<String>,
    errors: FieldErrors,
}

fn paid_label(r: &Receipt) -> &'static str {
    match (r.provider.as_str(), r.paid_at) {
        ("sandbox", _) => "Paid (sandbox)",
        (_, None) => "Awaiting your payment",
        _ => "Paid",
    }
}

async fn billing_page(
    state: &AppState,
    user: &PageUser,
    notice: Option<&str>,
    tax_input: Option<String>,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let l = layout(state, "Billing and receipts", user, notice);
    let fail = |e: AppError| PageError(e, l.clone());
    let m = crate::auth::authz::require_employer_member(&state.store, user.user())
        .await
        .map_err(fail)?;
    let list = records::receipts(state, user.user()).await.map_err(fail)?;
    let saved = records::tax_id(state, user.user()).await.map_err(fail)?;
    let median = records::median_payout_time(state, m.org.id)
        .await
        .map_err(fail)?;
    let today = state.clock.today();
    let failed = !errors.is_empty();
    let mut res = render(&BillingPage {
        org_name: m.org.name.clone(),
        tax_id: tax_input.unwrap_or_else(|| saved.unwrap_or_default()),
        receipts: list
            .iter()
            .map(|r| ReceiptRow {
                id: r.id,
                issued: date(&r.issued_at.date_naive()),
                project: r.project_title.clone(),
                student: r.student_name.clone(),
                total: money(r.price_minor + r.fee_minor, &r.currency),
                paid: paid_label(r),
            })
            .collect(),
        from: today.with_day(1).unwrap_or(today).to_string(),
        to: today.to_string(),
        median_payout: median.map(records::duration_words),
        errors,
        layout: l,
    });
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn billing(
    State(state): State<AppState>,
    user: PageUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    billing_page(
        &state,
        &user,
        n.notice.as_deref(),
        None,
        FieldErrors::default(),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TaxForm {
    tax_id: String,
}

async fn save_tax_id(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<TaxForm>,
) -> Result<Response, PageError> {
    match records::set_tax_id(&state, user.user(), &f.tax_id).await {
        Ok(_) => Ok(Redirect::to("/employer/billing?notice=tax_id_saved").into_response()),
        Err(AppError::Invalid(errors)) => {
            billing_page(&state, &user, None, Some(f.tax_id), errors).await
        }
        Err(e) => Err(PageError(
            e,
            layout(&state, "Billing and receipts", &user, None),
        )),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PeriodQuery {
    from: String,
    to: String,
}

async fn statement(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    match records::org_statement(&state, user.user(), &q.from, &q.to).await {
        Ok((csv, f, t)) => Ok(csv_download(
            csv,
            &format!("stint-statement-{f}-to-{t}.csv"),
        )),
        Err(AppError::Invalid(errors)) => billing_page(&state, &user, None, None, errors).await,
        Err(e) => Err(PageError(e, layout(&state, "Statement", &user, None))),
    }
}

#[derive(Template)]
#[template(path = "money/receipt.html")]
struct ReceiptPage {
    layout: Layout,
    r: Receipt,
    issued: String,
    price: String,
    fee: String,
    total: String,
    refunded: Option<String>,
    paid: String,
}

async fn receipt(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let l = layout(&state, &format!("Receipt {id}"), &user, None);
    let r = records::receipt(&state, user.user(), id)
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    let reference = r
        .paid_reference
        .as_deref()
        .map(|x| format!(", reference {x}"))
        .unwrap_or_default();
    let paid = match (r.provider.as_str(), r.paid_at) {
        ("sandbox", _) => "Sandbox payment: no real money moved.".to_string(),
        ("stripe", None) => "Awaiting payment by card through Stripe.".to_string(),
        ("stripe", Some(at)) => format!(
            "Paid by card through Stripe on {}{reference}.",
            date(&at.date_naive())
        ),
        (_, None) => "Awaiting payment by bank transfer.".to_string(),
        (_, Some(at)) => format!(
            "Paid by bank transfer on {}{reference}.",
            date(&at.date_naive())
        ),
    };
    Ok(render(&ReceiptPage {
        issued: date(&r.issued_at.date_naive()),
        price: money(r.price_minor, &r.currency),
        fee: money(r.fee_minor, &r.currency),
        total: money(r.price_minor + r.fee_minor, &r.currency),
        refunded: (r.refunded_minor > 0).then(|| money(r.refunded_minor, &r.currency)),
        paid,
        r,
        layout: l,
    }))
}

async fn earnings_csv(
    State(state): State<AppState>,
    user: PageUser,
) -> Result<Response, PageError> {
    let csv = records::student_statement(&state, user.user())
        .await
        .map_err(|e| PageError(e, layout(&state, "Earnings", &user, None)))?;
    Ok(csv_download(csv, "stint-earnings.csv"))
}
