//! Money over the API: what hiring costs before the employer confirms, and
//! for admins the manual provider's queues of money to receive and to pay
//! out, recording each with its reference.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use stint_store::PaymentDue;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::applications::EngagementView;
use super::{ApiError, ApiId, ApiJson};
use crate::AppState;
use crate::app::payments;
use crate::auth::ApiUser;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(hire_quote))
        .routes(routes!(my_payout_details, save_payout_details))
        .routes(routes!(reveal_payout_details))
        .routes(routes!(queues))
        .routes(routes!(deposit))
        .routes(routes!(payout))
        .routes(routes!(send_back))
        .routes(routes!(checkout))
        .routes(routes!(stripe_onboarding))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HireQuoteView {
    /// The agreed price, secured in escrow at hire.
    price: super::views::MoneyView,
    /// Stint's fee, charged to the employer on top of the price.
    fee: super::views::MoneyView,
    /// What the employer is charged: price plus fee.
    total: super::views::MoneyView,
    /// The fee rate in basis points of the price (1000 = 10%).
    fee_basis_points: u32,
}

/// What hiring this applicant costs, as charged if the employer hires now
/// (employer members of the project's organization).
#[utoipa::path(get, path = "/applications/{id}/hire-quote", tag = "payments", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = HireQuoteView), (status = 401, body = super::Problem), (status = 404, body = super::Problem)))]
async fn hire_quote(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<HireQuoteView>, ApiError> {
    let q = crate::app::money::hire_quote(&state, &caller.user, id).await?;
    Ok(Json(HireQuoteView {
        price: q.price.into(),
        fee: q.fee.into(),
        total: q.total.into(),
        fee_basis_points: q.fee_basis_points,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentDueView {
    engagement_id: i64,
    project_title: String,
    org_name: String,
    student_name: String,
    amount_minor: i64,
    currency: String,
    /// The hire (money to receive) or the release (payout).
    since: chrono::DateTime<chrono::Utc>,
    /// A payout that cannot be recorded yet: the employer's money has not
    /// been received.
    waiting_for_deposit: bool,
    /// Payouts: where the student is paid, masked; absent when they have
    /// not said yet. `POST /admin/engagements/{id}/payout-details` shows
    /// the details whole (and records that in the audit log).
    payout_details: Option<String>,
}

impl From<PaymentDue> for PaymentDueView {
    fn from(p: PaymentDue) -> Self {
        PaymentDueView {
            engagement_id: p.engagement_id,
            project_title: p.project_title,
            org_name: p.org_name,
            student_name: p.student_name,
            amount_minor: p.amount_minor,
            currency: p.currency,
            since: p.since,
            waiting_for_deposit: p.waiting_for_deposit,
            payout_details: p.payout_masked,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentQueues {
    /// Employers' payments (price plus fee) not yet received.
    to_receive: Vec<PaymentDueView>,
    /// Money released to students and not yet paid out.
    to_pay_out: Vec<PaymentDueView>,
    /// Refunds to send back to employers whose payment had arrived.
    to_return: Vec<PaymentDueView>,
}

/// What the manual provider still has to move (admins).
#[utoipa::path(get, path = "/admin/payments", tag = "payments", security(("bearer" = [])),
    responses((status = 200, body = PaymentQueues), (status = 401, body = super::Problem), (status = 403, body = super::Problem)))]
async fn queues(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<PaymentQueues>, ApiError> {
    let q = payments::queues(&state, &caller.user).await?;
    Ok(Json(PaymentQueues {
        to_receive: q.deposits.into_iter().map(Into::into).collect(),
        to_pay_out: q.payouts.into_iter().map(Into::into).collect(),
        to_return: q.returns.into_iter().map(Into::into).collect(),
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ReferenceRequest {
    /// The bank or transfer reference (3–100 characters).
    #[schema(required = true, min_length = 3, max_length = 100)]
    reference: String,
}

/// Record the employer's payment for an engagement as received (admins). Once only.
#[utoipa::path(post, path = "/engagements/{id}/deposit", tag = "payments", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = ReferenceRequest,
    responses((status = 200, body = EngagementView), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 404, body = super::Problem), (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
async fn deposit(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(r): ApiJson<ReferenceRequest>,
) -> Result<Json<EngagementView>, ApiError> {
    Ok(Json(EngagementView::from(
        &payments::record_deposit(&state, &caller.user, id, &r.reference).await?,
    )))
}

/// Record the payout of released money to the student (admins); an approved engagement becomes paid. Once only.
#[utoipa::path(post, path = "/engagements/{id}/payout", tag = "payments", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = ReferenceRequest,
    responses((status = 200, body = EngagementView), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 404, body = super::Problem), (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
async fn payout(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(r): ApiJson<ReferenceRequest>,
) -> Result<Json<EngagementView>, ApiError> {
    Ok(Json(EngagementView::from(
        &payments::record_payout(&state, &caller.user, id, &r.reference).await?,
    )))
}

/// Record that refunded money Stint held for the employer (their payment
/// had arrived before a cancellation or dispute) was sent back (admins).
/// Once only; 409 `nothing_to_return` otherwise.
#[utoipa::path(post, path = "/engagements/{id}/return", tag = "payments", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = ReferenceRequest,
    responses((status = 200, body = EngagementView), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 404, body = super::Problem), (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
async fn send_back(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(r): ApiJson<ReferenceRequest>,
) -> Result<Json<EngagementView>, ApiError> {
    Ok(Json(EngagementView::from(
        &payments::record_return(&state, &caller.user, id, &r.reference).await?,
    )))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PayoutDetailsView {
    /// in_bank | in_upi | uk_bank | us_bank | iban
    method: String,
    /// Enough to recognise the account, never enough to use it.
    masked: String,
    updated_at: chrono::DateTime<chrono::Utc>,
}

impl From<stint_store::PayoutAccount> for PayoutDetailsView {
    fn from(a: stint_store::PayoutAccount) -> Self {
        PayoutDetailsView {
            method: a.method,
            masked: a.masked,
            updated_at: a.updated_at,
        }
    }
}

/// Where the caller (a student) is paid, masked; 404 `not_found` when they
/// have not said yet.
#[utoipa::path(get, path = "/me/payout-details", tag = "payments", security(("bearer" = [])),
    responses((status = 200, body = PayoutDetailsView), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 404, body = super::Problem)))]
async fn my_payout_details(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<PayoutDetailsView>, ApiError> {
    crate::app::payouts::mine(&state, &caller.user)
        .await?
        .map(|a| Json(a.into()))
        .ok_or_else(|| crate::error::AppError::NotFound.into())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct PayoutDetailsRequest {
    /// in_bank (account_number, ifsc) | in_upi (upi_id) | uk_bank
    /// (sort_code, account_number) | us_bank (routing_number,
    /// account_number) | iban (iban)
    #[schema(required = true)]
    method: String,
    /// The account holder's name, as the bank knows it (2–140 characters).
    #[schema(required = true)]
    holder_name: String,
    account_number: String,
    ifsc: String,
    upi_id: String,
    sort_code: String,
    routing_number: String,
    iban: String,
}

/// Saves (or replaces) where the caller (a student) is paid. Checked per
/// method (IBAN check digits, the ABA checksum of a routing number, IFSC
/// and UPI formats, UK lengths), stored encrypted, answered masked.
#[utoipa::path(put, path = "/me/payout-details", tag = "payments", security(("bearer" = [])), request_body = PayoutDetailsRequest,
    responses((status = 200, body = PayoutDetailsView), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 422, body = super::Problem)))]
async fn save_payout_details(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(r): ApiJson<PayoutDetailsRequest>,
) -> Result<Json<PayoutDetailsView>, ApiError> {
    let form = stint_domain::payout::PayoutForm {
        method: r.method,
        holder_name: r.holder_name,
        account_number: r.account_number,
        ifsc: r.ifsc,
        upi_id: r.upi_id,
        sort_code: r.sort_code,
        routing_number: r.routing_number,
        iban: r.iban,
    };
    Ok(Json(
        crate::app::payouts::save(&state, &caller.user, &form)
            .await?
            .into(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PayoutFieldView {
    label: String,
    value: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RevealedPayoutDetails {
    method: String,
    /// Everything needed to send the money, in order.
    fields: Vec<PayoutFieldView>,
}

/// The whole payout details of an engagement's student, to send the money
/// (admins). Each call is written to the audit log. 409
/// `no_payout_details` when the student has not said where to be paid.
#[utoipa::path(post, path = "/admin/engagements/{id}/payout-details", tag = "payments", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = RevealedPayoutDetails), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 404, body = super::Problem), (status = 409, body = super::Problem)))]
async fn reveal_payout_details(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<RevealedPayoutDetails>, ApiError> {
    let d = crate::app::payouts::reveal(&state, &caller.user, id).await?;
    Ok(Json(RevealedPayoutDetails {
        method: d.method().into(),
        fields: d
            .full()
            .into_iter()
            .map(|(label, value)| PayoutFieldView {
                label: label.into(),
                value,
            })
            .collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RedirectView {
    /// Stripe's hosted page to send the person to.
    url: String,
}

/// Where the employer pays for an engagement through Stripe (price and fee,
/// less any refund before payment): a Checkout Session, reused while open.
/// The engagement is funded when Stripe confirms the payment by webhook.
/// 409 `nothing_to_pay` when paid already or another provider is used,
/// `stripe_not_configured` without Stripe; 502/503 when Stripe refuses or
/// cannot be reached.
#[utoipa::path(post, path = "/engagements/{id}/checkout", tag = "payments", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = RedirectView), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 404, body = super::Problem), (status = 409, body = super::Problem), (status = 502, body = super::Problem),
              (status = 503, body = super::Problem)))]
async fn checkout(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<RedirectView>, ApiError> {
    Ok(Json(RedirectView {
        url: crate::app::stripe::checkout(&state, &caller.user, id).await?,
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct OnboardingRequest {
    /// ISO 3166 country of the student's bank account (two letters); used
    /// when the account is first created.
    #[schema(required = true)]
    country: String,
}

/// A link into Stripe's onboarding for the caller's (a student's) connected
/// account, created on first use. 409 `stripe_not_configured` without
/// Stripe.
#[utoipa::path(post, path = "/me/stripe/onboarding", tag = "payments", security(("bearer" = [])), request_body = OnboardingRequest,
    responses((status = 200, body = RedirectView), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 409, body = super::Problem), (status = 422, body = super::Problem), (status = 502, body = super::Problem),
              (status = 503, body = super::Problem)))]
async fn stripe_onboarding(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(r): ApiJson<OnboardingRequest>,
) -> Result<Json<RedirectView>, ApiError> {
    Ok(Json(RedirectView {
        url: crate::app::stripe::onboarding_link(&state, &caller.user, &r.country).await?,
    }))
}
