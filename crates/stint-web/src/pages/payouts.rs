//! The student's payout page (`/me/payout`): where Stint sends their money
//! when an admin pays out by hand. What is saved is shown masked; the form
//! replaces it.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;
use stint_domain::FieldErrors;
use stint_domain::payout::{METHODS, PayoutForm};

use super::{NoticeQuery, PageError, render};
use crate::app::payouts;
use crate::auth::PageUser;
use crate::error::AppError;
use crate::form::HtmlForm;
use crate::view::{Layout, date};
use crate::{AppState, PaymentProvider};

pub fn router() -> Router<AppState> {
    Router::new().route("/me/payout", get(show).post(save))
}

/// The form as posted: each method has its own account-number input, so
/// the names differ here and meet in [`PayoutForm`].
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct PageForm {
    method: String,
    holder_name: String,
    in_account_number: String,
    ifsc: String,
    upi_id: String,
    sort_code: String,
    uk_account_number: String,
    routing_number: String,
    us_account_number: String,
    iban: String,
}

impl PageForm {
    fn into_form(self) -> PayoutForm {
        let account_number = match self.method.as_str() {
            "in_bank" => self.in_account_number,
            "uk_bank" => self.uk_account_number,
            "us_bank" => self.us_account_number,
            _ => String::new(),
        };
        PayoutForm {
            method: self.method,
            holder_name: self.holder_name,
            account_number,
            ifsc: self.ifsc,
            upi_id: self.upi_id,
            sort_code: self.sort_code,
            routing_number: self.routing_number,
            iban: self.iban,
        }
    }
}

#[derive(Template)]
#[template(path = "student/payout.html")]
struct PayoutPage {
    layout: Layout,
    /// What is saved, masked, and since when.
    saved: Option<(String, String)>,
    methods: Vec<(&'static str, &'static str)>,
    f: PageForm,
    errors: FieldErrors,
    /// The account-number input of the chosen method, for the error summary.
    acc_anchor: &'static str,
    manual: bool,
}

async fn page(
    state: &AppState,
    user: &PageUser,
    notice: Option<&str>,
    f: PageForm,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let mut layout =
        Layout::new("Payout details", Some(user.user()), state.config.demo).with_notice(notice);
    layout.noindex = true;
    let saved = payouts::mine(state, user.user())
        .await
        .map_err(|e| PageError(e, layout.clone()))?;
    let failed = !errors.is_empty();
    let mut res = render(&PayoutPage {
        saved: saved.map(|a| (a.masked, date(&a.updated_at.date_naive()))),
        methods: METHODS.to_vec(),
        acc_anchor: match f.method.as_str() {
            "uk_bank" => "uk_account_number",
            "us_bank" => "us_account_number",
            _ => "in_account_number",
        },
        f,
        errors,
        manual: state.config.payment_provider == PaymentProvider::Manual,
        layout,
    });
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    page(
        &state,
        &user,
        n.notice.as_deref(),
        PageForm::default(),
        FieldErrors::default(),
    )
    .await
}

async fn save(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<PageForm>,
) -> Result<Response, PageError> {
    match payouts::save(&state, user.user(), &f.clone().into_form()).await {
        Ok(_) => Ok(Redirect::to("/me/payout?notice=payout_saved").into_response()),
        // What they typed comes back to them to correct, and only to them.
        Err(AppError::Invalid(errors)) => page(&state, &user, None, f, errors).await,
        Err(e) => Err(PageError(
            e,
            Layout::new("Payout details", Some(user.user()), state.config.demo),
        )),
    }
}
