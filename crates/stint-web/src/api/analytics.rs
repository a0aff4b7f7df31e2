//! An employer's analytics over a period, for the organization or one of
//! its projects (employer members).

use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiError, ApiQuery, Problem};
use crate::AppState;
use crate::app::analytics::{self, Funnel};
use crate::auth::ApiUser;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(org_analytics))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct AnalyticsParams {
    /// First day, YYYY-MM-DD (blank: twelve months before `to`).
    from: String,
    /// Last day, YYYY-MM-DD, inclusive (blank: today). At most five years
    /// after `from`.
    to: String,
    /// One of the organization's published projects (blank: all of them).
    project: String,
}

/// The applications sent in the period and how far they went; views are
/// the project pages opened in the period by people outside the
/// organization.
#[derive(Debug, Serialize, ToSchema)]
pub struct FunnelView {
    views: i64,
    applications: i64,
    shortlisted: i64,
    hired: i64,
    completed: i64,
}

impl From<Funnel> for FunnelView {
    fn from(f: Funnel) -> Self {
        FunnelView {
            views: f.views,
            applications: f.applications,
            shortlisted: f.shortlisted,
            hired: f.hired,
            completed: f.completed,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectAnalyticsView {
    project_id: i64,
    title: String,
    status: String,
    funnel: FunnelView,
    /// Projects published in the period: hours from publishing to the first
    /// application.
    hours_to_first_applicant: Option<i64>,
    median_hours_to_decide: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MonthSpendView {
    /// YYYY-MM
    month: String,
    currency: String,
    /// Prices secured in escrow at hiring (minor units).
    price_minor: i64,
    fees_minor: i64,
    /// Escrow returned on cancellations.
    refunds_minor: i64,
    net_minor: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CriterionView {
    criterion: String,
    /// Mean of 1–5, absent without reviews.
    mean: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OfferCountsView {
    made: i64,
    accepted: i64,
    accepted_elsewhere: i64,
    declined: i64,
    withdrawn: i64,
    waiting: i64,
    /// Accepted (in Stint or outside) of those answered (0–1).
    acceptance_rate: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnalyticsView {
    organization: String,
    from: NaiveDate,
    to: NaiveDate,
    /// The project the report is limited to (absent: all).
    project_id: Option<i64>,
    funnel: FunnelView,
    projects_published: i64,
    projects_without_applicant: i64,
    median_hours_to_first_applicant: Option<i64>,
    applications_decided: i64,
    median_hours_to_decide: Option<i64>,
    projects: Vec<ProjectAnalyticsView>,
    spend_by_month: Vec<MonthSpendView>,
    /// Students' reviews of the organization written in the period and
    /// already visible.
    reviews: i64,
    ratings: Vec<CriterionView>,
    /// Offers of roles recorded in the period (organization-wide).
    offers: OfferCountsView,
}

/// The caller's organization's analytics over a period (employer members).
/// A project of another organization is 404. CSV of each table:
/// `/employer/analytics.csv?table=funnel|projects|spend|ratings|offers`
/// with the same parameters, signed in.
#[utoipa::path(get, path = "/analytics", tag = "analytics", security(("bearer" = [])), params(AnalyticsParams),
    responses((status = 200, body = AnalyticsView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn org_analytics(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiQuery(q): ApiQuery<AnalyticsParams>,
) -> Result<Json<AnalyticsView>, ApiError> {
    // Who may look comes before what the period says.
    crate::auth::authz::require_employer_member(&state.store, &caller.user).await?;
    let period = crate::app::outcomes::period(&state, &q.from, &q.to)?;
    let project = analytics::parse_project(&q.project)?;
    let r = analytics::report(&state, &caller.user, period, project).await?;
    Ok(Json(AnalyticsView {
        organization: r.org_name,
        from: period.from,
        to: period.to,
        project_id: r.project.map(|p| p.0),
        funnel: r.funnel.into(),
        projects_published: r.published,
        projects_without_applicant: r.without_applicant,
        median_hours_to_first_applicant: r.first_applicant_hours,
        applications_decided: r.decided,
        median_hours_to_decide: r.decide_hours,
        projects: r
            .projects
            .into_iter()
            .map(|p| ProjectAnalyticsView {
                project_id: p.id,
                title: p.title,
                status: p.status,
                funnel: p.funnel.into(),
                hours_to_first_applicant: p.first_applicant_hours,
                median_hours_to_decide: p.decide_hours,
            })
            .collect(),
        spend_by_month: r
            .months
            .iter()
            .map(|m| MonthSpendView {
                month: m.month.clone(),
                currency: m.currency.clone(),
                price_minor: m.price_minor,
                fees_minor: m.fees_minor,
                refunds_minor: m.refunds_minor,
                net_minor: m.net_minor(),
            })
            .collect(),
        reviews: r.ratings.reviews,
        ratings: r
            .ratings
            .criteria
            .iter()
            .map(|(c, m)| CriterionView {
                criterion: c.to_string(),
                mean: m.map(|m| f64::from(m) / 10.0),
            })
            .collect(),
        offers: OfferCountsView {
            made: r.offers.made,
            accepted: r.offers.accepted,
            accepted_elsewhere: r.offers.accepted_elsewhere,
            declined: r.offers.declined,
            withdrawn: r.offers.withdrawn,
            waiting: r.offers.open,
            acceptance_rate: r.offers.acceptance_rate(),
        },
    }))
}
