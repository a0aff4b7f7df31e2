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

use super::{PageError, render};
use crate::app::payouts;
use crate::auth::PageUser;
use crate::error::AppError;
use crate::form::HtmlForm;
use crate::view::{Layout, date};
use crate::{AppState, PaymentProvider};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/payout", get(show).post(save))
        .route("/me/payout/stripe", axum::routing::post(stripe_onboarding))
}

/// Countries a student can open a Stripe Express account in, for the form.
const STRIPE_COUNTRIES: [(&str, &str); 12] = [
    ("IN", "India"),
    ("GB", "United Kingdom"),
    ("US", "United States"),
    ("IE", "Ireland"),
    ("DE", "Germany"),
    ("FR", "France"),
    ("NL", "Netherlands"),
    ("ES", "Spain"),
    ("IT", "Italy"),
    ("CA", "Canada"),
    ("AU", "Australia"),
    ("SG", "Singapore"),
];

/// The Stripe part of the page: where the student's account stands.
struct StripeBox {
    has_account: bool,
    ready: bool,
    countries: Vec<(&'static str, &'static str)>,
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
    /// Stripe is the provider: onboarding instead of bank details.
    stripe: Option<StripeBox>,
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
    let stripe = if state.config.payment_provider == PaymentProvider::Stripe {
        let account = state
            .store
            .stripe_account(user.user().id)
            .await
            .map_err(|e| PageError(e.into(), layout.clone()))?;
        Some(StripeBox {
            has_account: account.is_some(),
            ready: account.is_some_and(|a| a.payouts_enabled),
            countries: STRIPE_COUNTRIES.to_vec(),
        })
    } else {
        None
    };
    let failed = !errors.is_empty();
    let mut res = render(&PayoutPage {
        stripe,
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

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ShowQuery {
    notice: Option<String>,
    /// `return` or `refresh`: back from Stripe's onboarding.
    stripe: Option<String>,
}

async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<ShowQuery>,
) -> Result<Response, PageError> {
    let mut notice = q.notice;
    if q.stripe.is_some() && state.config.payment_provider == PaymentProvider::Stripe {
        // Back from onboarding: read the account's state from Stripe.
        crate::app::stripe::refresh_account(&state, user.user())
            .await
            .map_err(|e| {
                PageError(
                    e,
                    Layout::new("Payout details", Some(user.user()), state.config.demo),
                )
            })?;
        if crate::app::stripe::student_ready(&state, user.user().id)
            .await
            .unwrap_or(false)
        {
            notice = Some("stripe_ready".into());
        }
    }
    page(
        &state,
        &user,
        notice.as_deref(),
        PageForm::default(),
        FieldErrors::default(),
    )
    .await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CountryForm {
    country: String,
}

/// Opens (or continues) the student's Stripe onboarding.
async fn stripe_onboarding(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<CountryForm>,
) -> Result<Response, PageError> {
    match crate::app::stripe::onboarding_link(&state, user.user(), &f.country).await {
        Ok(url) => Ok(Redirect::to(&url).into_response()),
        Err(AppError::Invalid(errors)) => {
            page(&state, &user, None, PageForm::default(), errors).await
        }
        Err(e) => Err(PageError(
            e,
            Layout::new("Payout details", Some(user.user()), state.config.demo),
        )),
    }
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
