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
        .routes(routes!(queues))
        .routes(routes!(deposit))
        .routes(routes!(payout))
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
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentQueues {
    /// Employers' payments (price plus fee) not yet received.
    to_receive: Vec<PaymentDueView>,
    /// Money released to students and not yet paid out.
    to_pay_out: Vec<PaymentDueView>,
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
