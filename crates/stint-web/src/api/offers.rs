//! Offers beyond Stint: an employer's members record an offer of a role to
//! a student the organization worked with; the student answers it.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use stint_domain::offer::OfferForm;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiError, ApiId, ApiJson, ApiQuery, Problem};
use crate::AppState;
use crate::app::offers;
use crate::auth::ApiUser;
use crate::error::AppError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(make_offer))
        .routes(routes!(sent_offers))
        .routes(routes!(withdraw_offer))
        .routes(routes!(my_offers))
        .routes(routes!(answer_offer))
        .routes(routes!(offer_on_profile))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PayBandView {
    /// In minor units (cents, paise, pence).
    min_minor: i64,
    max_minor: i64,
    /// ISO 4217: INR, USD, GBP or EUR.
    currency: String,
    /// hour | month | year
    period: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferView {
    id: i64,
    org_id: i64,
    org_name: String,
    student_id: i64,
    student_name: String,
    /// The member who made it (`null` when their account is gone).
    sender: Option<String>,
    /// internship | part_time | full_time
    kind: String,
    title: String,
    start_date: NaiveDate,
    pay: Option<PayBandView>,
    message: String,
    /// open | accepted | accepted_elsewhere | declined | withdrawn
    status: String,
    /// The student shows it on their portfolio (their choice).
    on_profile: bool,
    created_at: DateTime<Utc>,
    answered_at: Option<DateTime<Utc>>,
}

impl From<stint_store::Offer> for OfferView {
    fn from(o: stint_store::Offer) -> Self {
        let pay = match (
            o.pay_min_minor,
            o.pay_max_minor,
            o.pay_currency,
            o.pay_period,
        ) {
            (Some(min_minor), Some(max_minor), Some(currency), Some(period)) => Some(PayBandView {
                min_minor,
                max_minor,
                currency,
                period,
            }),
            _ => None,
        };
        OfferView {
            id: o.id,
            org_id: o.org_id,
            org_name: o.org_name,
            student_id: o.student_id,
            student_name: o.student_name,
            sender: o.sender_name,
            kind: o.kind,
            title: o.title,
            start_date: o.start_date,
            pay,
            message: o.message,
            status: o.status,
            on_profile: o.on_profile,
            created_at: o.created_at,
            answered_at: o.answered_at,
        }
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct OfferRequest {
    /// internship | part_time | full_time
    kind: String,
    /// The role's title, 2–120 characters.
    title: String,
    /// YYYY-MM-DD, from a year ago to three years ahead.
    start_date: String,
    /// Optional pay band, as typed amounts ("45000", "22.50"): give one or
    /// both ends, with `currency` and `pay_period`.
    pay_min: String,
    pay_max: String,
    /// INR | USD | GBP | EUR (with a pay band).
    currency: String,
    /// hour | month | year (with a pay band).
    pay_period: String,
    /// Up to 1,000 characters to the student.
    message: String,
}

/// Record an offer of a role to a student the organization hired or whose
/// work it approved (employer members). The student is notified.
#[utoipa::path(post, path = "/talent/{id}/offers", tag = "talent", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = OfferRequest,
    responses((status = 201, body = OfferView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn make_offer(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<OfferRequest>,
) -> Result<(StatusCode, Json<OfferView>), ApiError> {
    let form = OfferForm {
        kind: body.kind,
        title: body.title,
        start_date: body.start_date,
        pay_min: body.pay_min,
        pay_max: body.pay_max,
        currency: body.currency,
        pay_period: body.pay_period,
        message: body.message,
    };
    let o = offers::make(&state, &caller.user, id, &form).await?;
    Ok((StatusCode::CREATED, Json(o.into())))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct SentOffersParams {
    /// Only the offers to this student.
    student: String,
}

/// The organization's offers, newest first (employer members).
#[utoipa::path(get, path = "/offers", tag = "talent", security(("bearer" = [])), params(SentOffersParams),
    responses((status = 200, body = Vec<OfferView>), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn sent_offers(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiQuery(q): ApiQuery<SentOffersParams>,
) -> Result<Json<Vec<OfferView>>, ApiError> {
    let student = match q.student.trim() {
        "" => None,
        s => Some(s.parse::<i64>().map_err(|_| {
            AppError::invalid("student", "The student is a number (a student's id).")
        })?),
    };
    let list = offers::sent(&state, &caller.user, student).await?;
    Ok(Json(list.into_iter().map(OfferView::from).collect()))
}

/// Withdraw an offer that waits for an answer (employer members).
#[utoipa::path(post, path = "/offers/{id}/withdraw", tag = "talent", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = OfferView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn withdraw_offer(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<OfferView>, ApiError> {
    let o = offers::act(&state, &caller.user, id, "withdraw").await?;
    Ok(Json(o.into()))
}

/// The caller's offers, newest first (students).
#[utoipa::path(get, path = "/me/offers", tag = "talent", security(("bearer" = [])),
    responses((status = 200, body = Vec<OfferView>), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn my_offers(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<OfferView>>, ApiError> {
    let list = offers::mine(&state, &caller.user).await?;
    Ok(Json(list.into_iter().map(OfferView::from).collect()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AnswerRequest {
    /// accept | accept_elsewhere (accepted outside Stint) | decline
    action: String,
}

/// Answer an offer that waits (the student it names; 409 once answered or
/// withdrawn).
#[utoipa::path(post, path = "/me/offers/{id}/answer", tag = "talent", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = AnswerRequest,
    responses((status = 200, body = OfferView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn answer_offer(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<AnswerRequest>,
) -> Result<Json<OfferView>, ApiError> {
    if body.action.trim() == "withdraw" {
        return Err(AppError::invalid(
            "action",
            "The action is one of accept, accept_elsewhere or decline.",
        )
        .into());
    }
    let o = offers::act(&state, &caller.user, id, &body.action).await?;
    Ok(Json(o.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OnProfileRequest {
    on_profile: bool,
}

/// Show an offer on the caller's portfolio, or stop showing it (students).
#[utoipa::path(put, path = "/me/offers/{id}/profile", tag = "talent", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = OnProfileRequest,
    responses((status = 200, body = OfferView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 422, body = Problem)))]
async fn offer_on_profile(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<OnProfileRequest>,
) -> Result<Json<OfferView>, ApiError> {
    let o = offers::show_on_profile(&state, &caller.user, id, body.on_profile).await?;
    Ok(Json(o.into()))
}
