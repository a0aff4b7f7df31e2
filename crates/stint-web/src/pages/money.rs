//! Money actions ask first. Hiring, approving and cancelling each open a
//! confirmation page that states the consequence in money (price, fee and
//! total; what is released; what is refunded and what the student keeps)
//! and a form that does it. Plain links and forms: keyboard- and
//! JavaScript-free.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use stint_domain::FieldErrors;
use stint_domain::engagement::EngagementStatus;

use super::{PageError, render};
use crate::app::engagements::{self as eng, Side};
use crate::app::{applications as apps, money};
use crate::auth::PageUser;
use crate::error::AppError;
use crate::form::{HtmlForm, PageId};
use crate::view::{Layout, date};
use crate::{AppState, PaymentProvider};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/employer/applications/{id}/hire",
            get(hire_page).post(hire),
        )
        .route("/engagements/{id}/approve", get(approve_page).post(approve))
        .route("/engagements/{id}/cancel", get(cancel_page).post(cancel))
        .route("/engagements/{id}/pay", axum::routing::post(pay))
}

/// The employer pays on Stripe's Checkout page (the form's POST answers
/// with a redirect there; the CSP allows Stripe's pages as form targets
/// when Stripe is the provider).
async fn pay(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let l = layout(&state, "Pay", &user);
    let url = crate::app::stripe::checkout(&state, user.user(), id)
        .await
        .map_err(|e| PageError(e, l))?;
    Ok(Redirect::to(&url).into_response())
}

fn layout(state: &AppState, title: &str, user: &PageUser) -> Layout {
    let mut l = Layout::new(title, Some(user.user()), state.config.demo);
    l.noindex = true;
    l
}

/// One confirmation: what happens, in money, and the button that does it.
#[derive(Template)]
#[template(path = "money/confirm.html")]
pub(super) struct ConfirmPage {
    pub(super) layout: Layout,
    pub(super) heading: String,
    pub(super) lead: String,
    /// (label, amount, note) rows of the money table.
    pub(super) rows: Vec<(String, String, String)>,
    /// The row that sums up, shown bold.
    pub(super) total: Option<(String, String)>,
    /// What follows, in sentences.
    pub(super) then: Vec<String>,
    pub(super) action: String,
    /// Hidden form fields (name, value).
    pub(super) hidden: Vec<(String, String)>,
    /// A reason the person must give (cancelling).
    pub(super) reason: Option<String>,
    pub(super) errors: FieldErrors,
    pub(super) button: String,
    pub(super) danger: bool,
    pub(super) back: String,
}

/// Renders a confirmation; with errors it answers 422, like any form.
pub(super) fn confirm(page: ConfirmPage) -> Response {
    let failed = !page.errors.is_empty();
    let mut res = render(&page);
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    res
}

fn provider_line(state: &AppState) -> Option<String> {
    match state.config.payment_provider {
        PaymentProvider::Sandbox => Some(
            "Sandbox payments: nothing is charged and no real money moves; every step confirms at once."
                .into(),
        ),
        PaymentProvider::Manual | PaymentProvider::Stripe => None,
    }
}

async fn hire_page(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    hire_confirm(&state, &user, id, FieldErrors::default()).await
}

async fn hire_confirm(
    state: &AppState,
    user: &PageUser,
    id: i64,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let l = layout(state, "Confirm the hire", user);
    let p = money::hire_preview(state, user.user(), id)
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    let q = p.quote;
    let hidden_name = p.project.input.blind_screening
        && p.application.status == stint_domain::application::ApplicationStatus::Submitted;
    let who = if hidden_name {
        "this applicant".to_string()
    } else {
        p.application.student_name.clone()
    };
    let mut then = vec![
        format!(
            "The price is held in escrow for {who} and released only when you approve the work (or, if you stay silent for {} days after a submission, automatically).",
            state.config.auto_approve_days
        ),
        money::cancellation_rule(state),
    ];
    match state.config.payment_provider {
        PaymentProvider::Manual => then.push(format!(
            "Stint sends you payment instructions for {}; the engagement shows “awaiting the employer's payment” until it arrives, and a numbered receipt follows.",
            q.total
        )),
        PaymentProvider::Stripe => then.push(format!(
            "Next you pay {} by card on Stripe's secure page; the work starts once Stripe confirms the payment, and a numbered receipt follows.",
            q.total
        )),
        PaymentProvider::Sandbox => {}
    }
    then.extend(provider_line(state));
    Ok(confirm(ConfirmPage {
        layout: l,
        heading: format!("Hire {who}?"),
        lead: format!(
            "For “{}”, due {}.",
            p.project.input.title,
            date(&p.project.input.due_date)
        ),
        rows: vec![
            (
                "Price".into(),
                q.price.to_string(),
                "paid to the student on approval".into(),
            ),
            (
                "Stint's fee".into(),
                q.fee.to_string(),
                format!("{}% of the price", f64::from(q.fee_basis_points) / 100.0),
            ),
        ],
        total: Some(("You pay".into(), q.total.to_string())),
        then,
        action: format!("/employer/applications/{id}/hire"),
        hidden: vec![("total_minor".into(), q.total.minor.to_string())],
        reason: None,
        errors,
        button: format!("Hire and pay {}", q.total),
        danger: false,
        back: format!("/employer/projects/{}/applicants", p.project.id),
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct HireForm {
    total_minor: String,
}

async fn hire(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<HireForm>,
) -> Result<Response, PageError> {
    let l = layout(&state, "Applicants", &user);
    let expected = f.total_minor.trim().parse::<i64>().ok();
    match apps::hire(&state, user.user(), id, expected).await {
        // With Stripe the next step is paying, from the workspace.
        Ok(h) if state.config.payment_provider == PaymentProvider::Stripe => Ok(Redirect::to(
            &format!("/engagements/{}?notice=hired_pay_now", h.engagement.id),
        )
        .into_response()),
        Ok(h) => Ok(Redirect::to(&format!(
            "/employer/projects/{}/applicants?notice={}",
            h.engagement.project_id,
            if h.filled { "hired_filled" } else { "hired" }
        ))
        .into_response()),
        Err(AppError::Conflict {
            code: "quote_changed",
            message,
        }) => {
            hire_confirm(
                &state,
                &user,
                id,
                FieldErrors::from(stint_domain::FieldError::new("total_minor", message)),
            )
            .await
        }
        Err(e) => Err(PageError(e, l)),
    }
}

async fn approve_page(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let l = layout(&state, "Approve the work", &user);
    let w = eng::get(&state, user.user(), id, "")
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    let e = &w.engagement;
    if w.side != Side::Employer || e.status != EngagementStatus::Submitted {
        return Err(PageError(
            AppError::conflict(
                "invalid_transition",
                "There is no submission waiting for your approval on this engagement.",
            ),
            l,
        ));
    }
    let mut then = vec![
        format!(
            "{} is released from escrow to {}; this cannot be undone.",
            e.price, w.student_name
        ),
        match state.config.payment_provider {
            PaymentProvider::Sandbox => "It is paid out to the student at once.".to_string(),
            PaymentProvider::Manual => {
                "Stint pays it out to the student's account; you see the payout on the engagement."
                    .into()
            }
            PaymentProvider::Stripe => {
                "It is transferred to the student's Stripe account; you see the payout on the engagement."
                    .into()
            }
        },
        "Both of you can then review each other, and you confirm the outcomes for the student's portfolio.".into(),
    ];
    then.extend(provider_line(&state));
    Ok(confirm(ConfirmPage {
        layout: l,
        heading: "Approve and release the payment?".into(),
        lead: format!(
            "“{}” by {}: version {} submitted.",
            w.project.input.title,
            w.student_name,
            w.submissions.last().map(|s| s.version).unwrap_or(1)
        ),
        rows: vec![],
        total: Some(("Released to the student".into(), e.price.to_string())),
        then,
        action: format!("/engagements/{id}/approve"),
        hidden: vec![],
        reason: None,
        errors: FieldErrors::default(),
        button: format!("Approve and release {}", e.price),
        danger: false,
        back: format!("/engagements/{id}"),
    }))
}

async fn approve(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let l = layout(&state, "Workspace", &user);
    eng::approve(&state, user.user(), id)
        .await
        .map_err(|e| PageError(e, l))?;
    Ok(Redirect::to(&format!("/engagements/{id}?notice=approved")).into_response())
}

async fn cancel_page(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    cancel_confirm(&state, &user, id, String::new(), FieldErrors::default()).await
}

async fn cancel_confirm(
    state: &AppState,
    user: &PageUser,
    id: i64,
    reason: String,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let l = layout(state, "Cancel the engagement", user);
    let w = eng::get(state, user.user(), id, "")
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    let e = &w.engagement;
    let q = money::engagement_quote(state, e, w.side, w.project.input.start_date);
    let Some(split) = q.on_cancellation else {
        return Err(PageError(
            AppError::conflict(
                "invalid_transition",
                "This engagement can no longer be cancelled: work has been submitted (raise a dispute instead) or it has ended.",
            ),
            l,
        ));
    };
    let mut rows = Vec::new();
    if split.to_student.minor > 0 {
        rows.push((
            format!("{} keeps", w.student_name),
            split.to_student.to_string(),
            format!(
                "for the work started ({}% of the price: the work was due to start on {})",
                f64::from(state.config.cancellation_share_basis_points) / 100.0,
                date(&w.project.input.start_date)
            ),
        ));
    }
    rows.push((
        format!("Refunded to {}", w.project.org_name),
        split.refund.to_string(),
        String::new(),
    ));
    let mut then = vec![
        "The engagement ends for both of you and the other side is told, with your reason."
            .to_string(),
    ];
    if w.side == Side::Employer && split.to_student.minor == 0 {
        then.push(money::cancellation_rule(state));
    }
    if w.side == Side::Student {
        then.push("Withdrawing before you submit costs the employer nothing: the whole price goes back to them.".into());
    }
    then.extend(provider_line(state));
    Ok(confirm(ConfirmPage {
        layout: l,
        heading: "Cancel this engagement?".into(),
        lead: format!("“{}”, price {}.", w.project.input.title, e.price),
        rows,
        total: None,
        then,
        action: format!("/engagements/{id}/cancel"),
        hidden: vec![],
        reason: Some(reason),
        errors,
        button: "Cancel the engagement".into(),
        danger: true,
        back: format!("/engagements/{id}"),
    }))
}

async fn cancel(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<super::engagements::CancelForm>,
) -> Result<Response, PageError> {
    let l = layout(&state, "Workspace", &user);
    match eng::cancel(&state, user.user(), id, &f.reason).await {
        Ok(_) => Ok(
            Redirect::to(&format!("/engagements/{id}?notice=engagement_cancelled")).into_response(),
        ),
        Err(AppError::Invalid(errors)) => cancel_confirm(&state, &user, id, f.reason, errors).await,
        Err(e) => Err(PageError(e, l)),
    }
}
