//! A university's outcomes over a period (career staff), and a student's own
//! optional answers to the equity questions.

use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiError, ApiJson, ApiQuery, Problem};
use crate::AppState;
use crate::app::outcomes;
use crate::auth::ApiUser;
use stint_domain::outcomes::{Answers, Attribute};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(university_outcomes))
        .routes(routes!(my_answers, set_my_answers))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct PeriodParams {
    /// First day, YYYY-MM-DD (blank: twelve months before `to`).
    from: String,
    /// Last day, YYYY-MM-DD, inclusive (blank: today). At most five years
    /// after `from`.
    to: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeEarningsView {
    currency: String,
    total_minor: i64,
    /// Per student who earned in this currency.
    median_minor: i64,
    students: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryView {
    /// Confirmed students, whatever they share.
    students: usize,
    /// Applied at least once in the period.
    taking_part: usize,
    applications: i64,
    applications_per_student: Option<f64>,
    hires: i64,
    /// Hires per application sent in the period (0–1).
    hire_rate: Option<f64>,
    engagements_started: i64,
    engagements_completed: i64,
    engagements_cancelled: i64,
    /// Approved of those that ended in the period (0–1).
    completion_rate: Option<f64>,
    earnings: Vec<OutcomeEarningsView>,
    fields_per_student: Option<f64>,
    /// Students taking part who tried one field, two, three or more.
    fields_tried: [usize; 3],
    students_working: usize,
    /// Of those, the share who started two or more projects.
    repeat_rate: Option<f64>,
    first_projects: usize,
    median_days_signup_to_first_project: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MonthView {
    /// YYYY-MM (UTC)
    month: String,
    applications: i64,
    hires: i64,
    completed: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RatingsView {
    reviews: i64,
    /// Mean quality, communication and timeliness; absent without reviews.
    means: Option<RatingMeans>,
    /// Reviews whose rounded overall rating is 1, 2, 3, 4 and 5.
    distribution: [i64; 5],
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RatingMeans {
    quality: f64,
    communication: f64,
    timeliness: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmployerView {
    name: String,
    slug: String,
    engagements: i64,
    students: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupView {
    /// The answer (absent: not answered).
    value: Option<String>,
    label: String,
    /// Hidden: fewer than five students (or the next smallest beside the
    /// only such group). Its figures are then absent.
    suppressed: bool,
    students: Option<usize>,
    participation_rate: Option<f64>,
    /// Absent when fewer than five of the group took part.
    hire_rate: Option<f64>,
    completion_rate: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct BreakdownView {
    /// first_generation | need_based_aid | gender | disability
    attribute: String,
    label: String,
    groups: Vec<GroupView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomesView {
    university: String,
    from: NaiveDate,
    to: NaiveDate,
    summary: SummaryView,
    /// Every month of the period, zero where nothing happened.
    months: Vec<MonthView>,
    ratings: RatingsView,
    /// The employers with most projects started (25 at most).
    employers: Vec<EmployerView>,
    employers_total: i64,
    equity: Vec<BreakdownView>,
}

/// The caller's university's outcomes over a period (career staff of a
/// verified university). Every confirmed student counts; no student is named.
#[utoipa::path(get, path = "/university/outcomes", tag = "universities", security(("bearer" = [])), params(PeriodParams),
    responses((status = 200, body = OutcomesView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn university_outcomes(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiQuery(q): ApiQuery<PeriodParams>,
) -> Result<Json<OutcomesView>, ApiError> {
    // Who may look comes before what the period says.
    crate::app::universities::career_staff(&state, &caller.user).await?;
    let period = outcomes::period(&state, &q.from, &q.to)?;
    let o = outcomes::outcomes(&state, &caller.user, period).await?;
    let s = o.summary;
    Ok(Json(OutcomesView {
        university: o.university,
        from: period.from,
        to: period.to,
        summary: SummaryView {
            students: s.students,
            taking_part: s.taking_part,
            applications: s.applications,
            applications_per_student: s.applications_per_student,
            hires: s.hires,
            hire_rate: s.hire_rate,
            engagements_started: s.started,
            engagements_completed: s.completed,
            engagements_cancelled: s.cancelled,
            completion_rate: s.completion_rate,
            earnings: s
                .earnings
                .into_iter()
                .map(|e| OutcomeEarningsView {
                    currency: e.currency,
                    total_minor: e.total_minor,
                    median_minor: e.median_minor,
                    students: e.students,
                })
                .collect(),
            fields_per_student: s.fields_per_student,
            fields_tried: s.fields_tried,
            students_working: s.working_students,
            repeat_rate: s.repeat_rate,
            first_projects: s.first_projects,
            median_days_signup_to_first_project: s.median_days_to_first,
        },
        months: o
            .months
            .into_iter()
            .map(|m| MonthView {
                month: m.month,
                applications: m.applications,
                hires: m.hires,
                completed: m.completed,
            })
            .collect(),
        ratings: RatingsView {
            reviews: o.ratings.reviews,
            means: o.ratings.means.map(|[q, c, t]| RatingMeans {
                quality: q,
                communication: c,
                timeliness: t,
            }),
            distribution: o.ratings.distribution,
        },
        employers: o
            .employers
            .into_iter()
            .map(|e| EmployerView {
                name: e.name,
                slug: e.slug,
                engagements: e.engagements,
                students: e.students,
            })
            .collect(),
        employers_total: o.employers_total,
        equity: o
            .breakdowns
            .into_iter()
            .map(|b| BreakdownView {
                attribute: b.attribute.as_str().into(),
                label: b.label.into(),
                groups: b
                    .groups
                    .into_iter()
                    .map(|g| GroupView {
                        value: g.value.map(String::from),
                        label: g.label.into(),
                        suppressed: g.suppressed,
                        students: g.students,
                        participation_rate: g.participation_rate,
                        hire_rate: g.hire_rate,
                        completion_rate: g.completion_rate,
                    })
                    .collect(),
            })
            .collect(),
    }))
}

/// A student's answers to the optional equity questions. Each is absent when
/// not answered. Only ever counted in the university's totals of five or
/// more; never shown to employers.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(default)]
pub struct EquityAnswers {
    /// yes | no | prefer_not
    first_generation: Option<String>,
    /// yes | no | prefer_not
    need_based_aid: Option<String>,
    /// woman | man | non_binary | another | prefer_not
    gender: Option<String>,
    /// yes | no | prefer_not
    disability: Option<String>,
}

impl From<&Answers> for EquityAnswers {
    fn from(a: &Answers) -> Self {
        let get = |at| a.get(at).map(String::from);
        EquityAnswers {
            first_generation: get(Attribute::FirstGeneration),
            need_based_aid: get(Attribute::NeedBasedAid),
            gender: get(Attribute::Gender),
            disability: get(Attribute::Disability),
        }
    }
}

/// The caller's answers to the optional equity questions (students).
#[utoipa::path(get, path = "/me/equity", tag = "universities", security(("bearer" = [])),
    responses((status = 200, body = EquityAnswers), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn my_answers(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<EquityAnswers>, ApiError> {
    let a = outcomes::answers(&state, &caller.user).await?;
    Ok(Json(EquityAnswers::from(&a)))
}

/// Replace the caller's answers (students). An absent or empty answer clears
/// it; anything else must be one of the values listed.
#[utoipa::path(put, path = "/me/equity", tag = "universities", security(("bearer" = [])), request_body = EquityAnswers,
    responses((status = 200, body = EquityAnswers), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 422, body = Problem)))]
async fn set_my_answers(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(r): ApiJson<EquityAnswers>,
) -> Result<Json<EquityAnswers>, ApiError> {
    let raw = [
        r.first_generation.as_deref().unwrap_or(""),
        r.need_based_aid.as_deref().unwrap_or(""),
        r.gender.as_deref().unwrap_or(""),
        r.disability.as_deref().unwrap_or(""),
    ];
    let a = outcomes::set_answers(&state, &caller.user, raw).await?;
    Ok(Json(EquityAnswers::from(&a)))
}
