//! Academic credit requests: asking, the learning agreement, acknowledging,
//! approving or returning it, hours, the reflection and the sign-off; the
//! registrar's export of credits granted in a term.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use stint_domain::credit::{CreditResult, Reflection, credits_text, hours_text};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiError, ApiId, ApiJson, ApiQuery, Problem};
use crate::AppState;
use crate::app::credit::{self as credit, NewRequest, Viewer};
use crate::auth::ApiUser;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(one))
        .routes(routes!(agreement))
        .routes(routes!(act))
        .routes(routes!(log_hours))
        .routes(routes!(reflect))
        .routes(routes!(sign_off))
        .routes(routes!(export))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HoursView {
    day: NaiveDate,
    /// Decimal hours, such as "1.25".
    hours: String,
    note: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReflectionView {
    did: String,
    learnt: String,
    skills: String,
    differently: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CreditView {
    id: i64,
    /// draft | submitted | returned | active | reflected | signed_off | withdrawn | ended
    status: String,
    status_label: String,
    student_id: i64,
    student: String,
    university: String,
    application_id: i64,
    project_id: i64,
    project: String,
    organization: String,
    engagement_id: Option<i64>,
    engagement_status: Option<String>,
    faculty_id: i64,
    supervisor: String,
    course_code: String,
    course_title: String,
    /// Decimal credits, such as "7.5".
    credits: String,
    goals: Vec<String>,
    expected_hours: Option<i32>,
    assessment: String,
    /// The supervisor's comments when the agreement was returned.
    faculty_comment: Option<String>,
    employer_acknowledged_at: Option<DateTime<Utc>>,
    approved_at: Option<DateTime<Utc>>,
    /// Total hours logged; absent for the employer.
    hours_logged: Option<String>,
    /// The hours log; absent for the employer.
    hours: Option<Vec<HoursView>>,
    /// The reflection; only for the student and the supervisor.
    reflection: Option<ReflectionView>,
    reflected_at: Option<DateTime<Utc>>,
    /// "Pass", "Fail" or the grade, once signed off; not for the employer.
    result: Option<String>,
    signoff_comment: Option<String>,
    signed_off_at: Option<DateTime<Utc>>,
    ended_reason: Option<String>,
    created_at: DateTime<Utc>,
}

async fn view(
    state: &AppState,
    c: stint_store::CreditRequest,
    viewer: Viewer,
) -> Result<CreditView, ApiError> {
    let hours = if viewer.sees_hours() {
        Some(
            state
                .store
                .credit_hours(c.id)
                .await?
                .into_iter()
                .map(|h| HoursView {
                    day: h.day,
                    hours: hours_text(i64::from(h.quarters)),
                    note: h.note,
                })
                .collect(),
        )
    } else {
        None
    };
    let reflection = if viewer.sees_reflection() {
        c.reflection
            .as_deref()
            .and_then(|j| serde_json::from_str::<Reflection>(j).ok())
            .map(|r| ReflectionView {
                did: r.did,
                learnt: r.learnt,
                skills: r.skills,
                differently: r.differently,
            })
    } else {
        None
    };
    let employer = viewer == Viewer::Employer;
    Ok(CreditView {
        id: c.id,
        status: c.status.as_str().into(),
        status_label: c.status.label().into(),
        student_id: c.student_id,
        student: c.student_name,
        university: c.university_name,
        application_id: c.application_id,
        project_id: c.project_id,
        project: c.project_title,
        organization: c.org_name,
        engagement_id: c.engagement_id,
        engagement_status: c.engagement_status,
        faculty_id: c.faculty_id,
        supervisor: c.faculty_name,
        course_code: c.course_code,
        course_title: c.course_title,
        credits: credits_text(c.credits_tenths),
        goals: c.goals,
        expected_hours: c.expected_hours,
        assessment: c.assessment,
        faculty_comment: c.faculty_comment,
        employer_acknowledged_at: c.employer_ack_at,
        approved_at: c.approved_at,
        hours_logged: (!employer).then(|| hours_text(c.quarters)),
        hours,
        reflection,
        reflected_at: c.reflected_at,
        result: if employer {
            None
        } else {
            c.result
                .as_deref()
                .and_then(CreditResult::from_stored)
                .map(|r| r.text())
        },
        signoff_comment: if employer { None } else { c.signoff_comment },
        signed_off_at: c.signed_off_at,
        ended_reason: c.ended_reason,
        created_at: c.created_at,
    })
}

async fn answer(
    state: &AppState,
    user: &stint_store::User,
    id: i64,
) -> Result<Json<CreditView>, ApiError> {
    let (c, v) = credit::get(state, user, id).await?;
    Ok(Json(view(state, c, v).await?))
}

/// The caller's credit requests: a student's own; a supervisor's; an
/// employer's, once sent; all of the university's for its career staff.
#[utoipa::path(get, path = "/credit-requests", tag = "credit", security(("bearer" = [])),
    responses((status = 200, body = Vec<CreditView>), (status = 401, body = Problem), (status = 403, body = Problem), (status = 409, body = Problem)))]
async fn list(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<CreditView>>, ApiError> {
    let mut out = Vec::new();
    for c in credit::list(&state, &caller.user).await? {
        let (c, v) = credit::get(&state, &caller.user, c.id).await?;
        out.push(view(&state, c, v).await?);
    }
    Ok(Json(out))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateCredit {
    /// One of the caller's applications, hired or shortlisted, on a project
    /// eligible for credit.
    application_id: i64,
    course_code: String,
    course_title: String,
    /// Decimal credits from 0.5 to 60, such as "7.5".
    credits: String,
    /// A faculty member of the caller's (confirmed) university.
    faculty_id: i64,
}

/// Ask for academic credit (students with a confirmed university).
#[utoipa::path(post, path = "/credit-requests", tag = "credit", security(("bearer" = [])), request_body = CreateCredit,
    responses((status = 201, body = CreditView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn create(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(r): ApiJson<CreateCredit>,
) -> Result<(StatusCode, Json<CreditView>), ApiError> {
    let c = credit::create(
        &state,
        &caller.user,
        NewRequest {
            application_id: &r.application_id.to_string(),
            course_code: &r.course_code,
            course_title: &r.course_title,
            credits: &r.credits,
            faculty_id: &r.faculty_id.to_string(),
        },
    )
    .await?;
    let id = c.id;
    Ok((StatusCode::CREATED, answer(&state, &caller.user, id).await?))
}

/// One credit request, as far as the caller may see it.
#[utoipa::path(get, path = "/credit-requests/{id}", tag = "credit", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = CreditView), (status = 401, body = Problem), (status = 404, body = Problem)))]
async fn one(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<CreditView>, ApiError> {
    answer(&state, &caller.user, id).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AgreementBody {
    /// 2–5 learning goals of 10–200 characters.
    goals: Vec<String>,
    /// 1–400.
    expected_hours: i32,
    /// How it will be assessed, 20–1,000 characters.
    assessment: String,
}

/// The student saves the learning agreement (while a draft or returned).
#[utoipa::path(put, path = "/credit-requests/{id}/agreement", tag = "credit", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = AgreementBody,
    responses((status = 200, body = CreditView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn agreement(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(r): ApiJson<AgreementBody>,
) -> Result<Json<CreditView>, ApiError> {
    credit::save_agreement(
        &state,
        &caller.user,
        id,
        &r.goals.join("\n"),
        &r.expected_hours.to_string(),
        &r.assessment,
    )
    .await?;
    answer(&state, &caller.user, id).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ActBody {
    /// submit | withdraw (the student), acknowledge (the employer), approve |
    /// return (the supervisor).
    action: String,
    /// The supervisor's comments, to return the agreement.
    comment: Option<String>,
}

/// Move a request one step: the student submits or withdraws; the employer
/// acknowledges; the supervisor approves or returns with comments.
#[utoipa::path(post, path = "/credit-requests/{id}/actions", tag = "credit", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ActBody,
    responses((status = 200, body = CreditView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn act(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(r): ApiJson<ActBody>,
) -> Result<Json<CreditView>, ApiError> {
    let u = &caller.user;
    match r.action.trim() {
        "submit" => credit::submit(&state, u, id).await?,
        "withdraw" => credit::withdraw(&state, u, id).await?,
        "acknowledge" => credit::acknowledge(&state, u, id).await?,
        "approve" => credit::approve(&state, u, id).await?,
        "return" => {
            credit::send_back(&state, u, id, r.comment.as_deref().unwrap_or_default()).await?
        }
        _ => {
            // Who may see the request is answered first.
            credit::get(&state, u, id).await?;
            return Err(crate::error::AppError::invalid(
                "action",
                "Choose submit, withdraw, acknowledge, approve or return.",
            )
            .into());
        }
    };
    answer(&state, u, id).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct HoursBody {
    /// YYYY-MM-DD, today or earlier.
    day: String,
    /// 0.25 to 16, in quarter hours.
    hours: f64,
    /// What was done, 5–500 characters.
    note: String,
}

/// The student logs hours (once the agreement is approved).
#[utoipa::path(post, path = "/credit-requests/{id}/hours", tag = "credit", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = HoursBody,
    responses((status = 201, body = CreditView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn log_hours(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(r): ApiJson<HoursBody>,
) -> Result<(StatusCode, Json<CreditView>), ApiError> {
    credit::log_hours(
        &state,
        &caller.user,
        id,
        &r.day,
        &r.hours.to_string(),
        &r.note,
    )
    .await?;
    Ok((StatusCode::CREATED, answer(&state, &caller.user, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReflectBody {
    /// What I did (50–3,000 characters).
    did: String,
    /// What I learnt, against each goal (50–5,000).
    learnt: String,
    /// Skills I used (20–3,000).
    skills: String,
    /// What I would do differently (50–3,000). At least 300 characters in all.
    differently: String,
}

/// The student hands in the reflection, after the employer approved the work.
#[utoipa::path(post, path = "/credit-requests/{id}/reflection", tag = "credit", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ReflectBody,
    responses((status = 200, body = CreditView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn reflect(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(r): ApiJson<ReflectBody>,
) -> Result<Json<CreditView>, ApiError> {
    credit::reflect(
        &state,
        &caller.user,
        id,
        &r.did,
        &r.learnt,
        &r.skills,
        &r.differently,
    )
    .await?;
    answer(&state, &caller.user, id).await
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SignOffBody {
    /// pass | fail | grade
    result: String,
    /// With `grade`: the grade on the university's scale (A-, 72, 2:1…).
    grade: Option<String>,
    /// A comment for the student, 10–2,000 characters.
    comment: String,
}

/// The supervisor signs off after the reflection.
#[utoipa::path(post, path = "/credit-requests/{id}/sign-off", tag = "credit", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = SignOffBody,
    responses((status = 200, body = CreditView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn sign_off(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(r): ApiJson<SignOffBody>,
) -> Result<Json<CreditView>, ApiError> {
    credit::sign_off(
        &state,
        &caller.user,
        id,
        &r.result,
        r.grade.as_deref().unwrap_or_default(),
        &r.comment,
    )
    .await?;
    answer(&state, &caller.user, id).await
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct TermParams {
    /// The term's first day, YYYY-MM-DD.
    from: String,
    /// The term's last day, YYYY-MM-DD.
    to: String,
}

/// Credits granted in a term, as CSV for the registrar (career staff).
#[utoipa::path(get, path = "/university/credits.csv", tag = "credit", security(("bearer" = [])), params(TermParams),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn export(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiQuery(q): ApiQuery<TermParams>,
) -> Result<Response, ApiError> {
    let (name, body) = credit::granted_csv(&state, &caller.user, &q.from, &q.to).await?;
    Ok(crate::pages::csv_download(body, &name))
}
