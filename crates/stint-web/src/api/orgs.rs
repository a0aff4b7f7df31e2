//! `/organizations`: create, join, look up, and (admins) verify.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::views::OrgView;
use super::{ApiError, ApiId, ApiJson};
use crate::AppState;
use crate::app::orgs::{self, OrgForm};
use crate::auth::ApiUser;
use crate::auth::authz::require_admin;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list_unverified))
        .routes(routes!(join))
        .routes(routes!(show))
        .routes(routes!(verify))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct OrgRequest {
    #[schema(required = true, min_length = 2, max_length = 120)]
    name: String,
    /// An http(s) address.
    #[schema(max_length = 300)]
    website: Option<String>,
    /// ISO 3166-1 alpha-2, e.g. IN.
    #[schema(
        required = true,
        min_length = 2,
        max_length = 2,
        pattern = "^[A-Za-z]{2}$"
    )]
    country: String,
    #[schema(max_length = 2000)]
    description: Option<String>,
    /// The email domains of the organization's people (a university's
    /// students and staff; an employer's staff, for single sign-on and
    /// provisioning). At most 10; public mail services are refused for
    /// employers.
    #[serde(default)]
    email_domains: Vec<String>,
}

/// Create an organization (employer accounts make employers, university staff
/// make universities). It must be verified by Stint before its projects go live.
#[utoipa::path(post, path = "/organizations", tag = "organizations", security(("bearer" = [])), request_body = OrgRequest,
    responses((status = 201, body = OrgView), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
async fn create(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(r): ApiJson<OrgRequest>,
) -> Result<(StatusCode, Json<OrgView>), ApiError> {
    let domains = r.email_domains.join(",");
    let org = orgs::create(
        &state,
        &caller.user,
        OrgForm {
            name: &r.name,
            website: r.website.as_deref().unwrap_or(""),
            country: &r.country,
            description: r.description.as_deref().unwrap_or(""),
            email_domains: &domains,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(OrgView::new(&org, true))))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct JoinRequest {
    invite_code: String,
}

/// Join an organization with the invite code a member shared.
#[utoipa::path(post, path = "/organizations/join", tag = "organizations", security(("bearer" = [])), request_body = JoinRequest,
    responses((status = 200, body = OrgView), (status = 401, body = super::Problem), (status = 409, body = super::Problem),
              (status = 422, body = super::Problem)))]
async fn join(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(r): ApiJson<JoinRequest>,
) -> Result<Json<OrgView>, ApiError> {
    let org = orgs::join(&state, &caller.user, &r.invite_code).await?;
    Ok(Json(OrgView::new(&org, true)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecordView {
    /// Applications decided (shortlisted, hired or rejected).
    decided: i64,
    /// Applications closed because the decision-by date passed undecided.
    closed_without_decision: i64,
    /// Share answered before the decision date, 0–100.
    answered_percent: Option<i64>,
    median_decision_hours: Option<i64>,
    /// Median hours from the employer's approval to the student's payout.
    median_payout_hours: Option<i64>,
    /// Share of delivered work approved by the employer rather than after silence, 0–100.
    on_time_approval_percent: Option<i64>,
    /// Students' average ratings (clarity of brief, support, payment speed), 1.0–5.0.
    ratings: Option<[f32; 3]>,
    review_count: usize,
    /// Students who went on to offers of roles from this employer, and
    /// those who accepted one; shown from 3 students on.
    students_with_offers: Option<i64>,
    students_accepted_offers: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrgProfileView {
    #[serde(flatten)]
    organization: OrgView,
    /// Employers only: how this organization has treated students on Stint.
    record: Option<RecordView>,
}

/// An organization's public profile, with an employer's record.
#[utoipa::path(get, path = "/organizations/{slug}", tag = "organizations", params(("slug" = String, Path)),
    responses((status = 200, body = OrgProfileView), (status = 404, body = super::Problem)))]
async fn show(
    State(state): State<AppState>,
    caller: Option<ApiUser>,
    Path(slug): Path<String>,
) -> Result<Json<OrgProfileView>, ApiError> {
    let org = state.store.org_by_slug(&slug).await?;
    let member = match caller {
        Some(c) => state
            .store
            .membership(c.user.id)
            .await?
            .is_some_and(|m| m.org.id == org.id),
        None => false,
    };
    let view = OrgView::new(&org, member);
    let record = if org.kind == stint_domain::organization::OrgKind::Employer {
        let p = orgs::profile(&state, org).await?;
        Some(RecordView {
            decided: p.record.decided,
            closed_without_decision: p.record.closed_undecided,
            answered_percent: p.record.answered_percent(),
            median_decision_hours: p.record.median_decision_hours,
            median_payout_hours: p.record.median_payout_hours,
            on_time_approval_percent: p.record.on_time_percent(),
            ratings: p.ratings.map(|r| r.map(|v| v as f32 / 10.0)),
            review_count: p.reviews.len(),
            students_with_offers: p.offers.map(|o| o.0),
            students_accepted_offers: p.offers.map(|o| o.1),
        })
    } else {
        None
    };
    Ok(Json(OrgProfileView {
        organization: view,
        record,
    }))
}

/// Admins: organizations waiting for verification, oldest first.
#[utoipa::path(get, path = "/organizations", tag = "organizations", security(("bearer" = [])),
    params(("status" = Option<String>, Query, description = "Only `unverified` is supported.")),
    responses((status = 200, body = Vec<OrgView>), (status = 401, body = super::Problem), (status = 403, body = super::Problem)))]
async fn list_unverified(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<OrgView>>, ApiError> {
    require_admin(&caller.user)?;
    let orgs = state.store.unverified_orgs().await?;
    Ok(Json(orgs.iter().map(|o| OrgView::new(o, false)).collect()))
}

/// Admins: verify an organization so its projects can go live.
#[utoipa::path(post, path = "/organizations/{id}/verify", tag = "organizations", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = OrgView), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 404, body = super::Problem)))]
async fn verify(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<OrgView>, ApiError> {
    let org = orgs::verify(&state, &caller.user, id).await?;
    Ok(Json(OrgView::new(&org, false)))
}
