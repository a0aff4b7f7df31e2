//! Applications: students apply and withdraw; employer members shortlist,
//! reject and hire.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use stint_domain::application::ApplicationForm;
use stint_store::{Application, Engagement};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::views::MoneyView;
use super::{ApiError, ApiId, ApiJson};
use crate::AppState;
use crate::app::applications::{self as apps, Applicant};
use crate::auth::ApiUser;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(apply, list_for_project))
        .routes(routes!(mine))
        .routes(routes!(show))
        .routes(routes!(shortlist))
        .routes(routes!(reject))
        .routes(routes!(withdraw))
        .routes(routes!(hire))
        .routes(routes!(messages, post_message))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationView {
    pub id: i64,
    pub project_id: i64,
    pub project_title: String,
    pub organization: String,
    /// submitted | shortlisted | hired | rejected | withdrawn | closed
    pub status: String,
    pub pitch: String,
    pub answer: Option<String>,
    pub links: Vec<String>,
    /// The match score (0–100) when the student applied.
    pub match_percent: u8,
    pub reject_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

impl From<&Application> for ApplicationView {
    fn from(a: &Application) -> Self {
        ApplicationView {
            id: a.id,
            project_id: a.project_id,
            project_title: a.project_title.clone(),
            organization: a.org_name.clone(),
            status: a.status.as_str().into(),
            pitch: a.pitch.clone(),
            answer: a.answer.clone(),
            links: a.links.clone(),
            match_percent: a.match_percent,
            reject_reason: a.reject_reason.clone(),
            created_at: a.created_at,
            decided_at: a.decided_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicantView {
    #[serde(flatten)]
    pub application: ApplicationView,
    /// Absent while blind screening hides it.
    pub name: Option<String>,
    pub headline: Option<String>,
    /// The university's name, followed by "(not confirmed)" unless the
    /// student proved it (a university address, or its career staff).
    pub university: Option<String>,
    pub area_of_study: Option<String>,
    pub graduation_year: Option<i32>,
    pub availability_hours: Option<i32>,
    pub location: Option<String>,
    /// Required skills the applicant has now, and those missing.
    pub matched_skills: Vec<String>,
    pub missing_skills: Vec<String>,
    /// True while blind screening hides identity (until shortlisted).
    pub identity_hidden: bool,
    /// The match now, 0–100, and why (strongest first).
    pub match_score: u8,
    pub match_reasons: Vec<ReasonView>,
    /// Their verified record on Stint.
    pub track_record: TrackRecordView,
}

/// What a student has done on Stint, as counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrackRecordView {
    /// Engagements approved (and paid).
    pub completed_projects: i64,
    /// Employers' reviews already visible under the double-blind rule.
    pub reviews: i64,
    /// The average of their ratings, out of 5 (one decimal).
    pub average_rating: Option<f64>,
    /// Verifiable credentials in force.
    pub credentials: i64,
}

/// One part of a match score and its reason.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReasonView {
    /// required | preferred | hours | interests | studies | place | pay
    pub part: String,
    pub points: f64,
    pub max: f64,
    pub text: String,
    /// Counts for (true) or against (false).
    pub good: bool,
    /// Neither for nor against (pages do not show it); its points still
    /// count.
    pub neutral: bool,
}

impl From<&stint_domain::matching::Reason> for ReasonView {
    fn from(r: &stint_domain::matching::Reason) -> Self {
        ReasonView {
            part: serde_json::to_value(r.part)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
                .unwrap_or_default(),
            points: (r.points * 10.0).round() / 10.0,
            max: r.max,
            text: r.text.clone(),
            good: r.good,
            neutral: r.neutral,
        }
    }
}

impl From<&Applicant> for ApplicantView {
    fn from(a: &Applicant) -> Self {
        let mut application = ApplicationView::from(&a.application);
        application.links = a.links.clone();
        ApplicantView {
            application,
            name: a.name.clone(),
            headline: a.headline.clone(),
            university: a.university.clone(),
            area_of_study: a.area_of_study.clone(),
            graduation_year: a.graduation_year,
            availability_hours: a.availability_hours,
            location: a.location.clone(),
            matched_skills: a.skill_match.matched.clone(),
            missing_skills: a.skill_match.missing.clone(),
            identity_hidden: a.hidden,
            match_score: a.m.score,
            match_reasons: a.m.reasons.iter().map(ReasonView::from).collect(),
            track_record: TrackRecordView {
                completed_projects: a.record.completed,
                reviews: a.record.reviews,
                average_rating: crate::app::applications::average_rating(&a.record)
                    .map(|t| t as f64 / 10.0),
                credentials: a.record.credentials,
            },
        }
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ApplyRequest {
    /// Why you can deliver this exact task: 50–1,200 characters.
    #[schema(required = true, min_length = 50, max_length = 1200)]
    pitch: String,
    /// The answer to the project's screening question, when it has one.
    #[schema(max_length = 1000)]
    answer: Option<String>,
    /// Up to 3 links (http or https) to relevant work or coursework.
    #[schema(max_items = 3)]
    links: Vec<String>,
}

/// Apply to an open project (students).
#[utoipa::path(post, path = "/projects/{id}/applications", tag = "applications", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = ApplyRequest,
    responses((status = 201, body = ApplicationView), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 404, body = super::Problem),
              (status = 409, body = super::Problem, description = "not_accepting, already_applied or quota_reached"),
              (status = 422, body = super::Problem)))]
async fn apply(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(r): ApiJson<ApplyRequest>,
) -> Result<(StatusCode, Json<ApplicationView>), ApiError> {
    let form = ApplicationForm {
        pitch: r.pitch,
        answer: r.answer.unwrap_or_default(),
        links: r.links,
    };
    let a = apps::apply(&state, &caller.user, id, &form).await?;
    Ok((StatusCode::CREATED, Json(ApplicationView::from(&a))))
}

/// Paging for a list: pass the previous page's `next_cursor` as `cursor`.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    pub cursor: Option<String>,
    /// 1–200, default 50.
    pub limit: Option<String>,
}

/// One page of a project's applicants, best match first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicantList {
    pub items: Vec<ApplicantView>,
    /// All applicants of the project, in every status.
    pub total: usize,
    /// Applicants still waiting for a decision.
    pub waiting: usize,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

/// A project's applicants, best match first with the reasons, 50 to a page
/// (the project's organization only). All are scored and sorted on each
/// request, so the order follows profile changes at once.
#[utoipa::path(get, path = "/projects/{id}/applications", tag = "applications", security(("bearer" = [])),
    params(("id" = i64, Path), PageQuery),
    responses((status = 200, body = ApplicantList), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 404, body = super::Problem), (status = 422, body = super::Problem)))]
async fn list_for_project(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    super::ApiQuery(q): super::ApiQuery<PageQuery>,
) -> Result<Json<ApplicantList>, ApiError> {
    let mut e = stint_domain::FieldErrors::new();
    let (offset, limit) = stint_domain::search::parse_paging(
        q.cursor.as_deref().unwrap_or_default(),
        q.limit.as_deref().unwrap_or_default(),
        apps::APPLICANTS_PAGE,
        apps::MAX_APPLICANTS_PAGE,
        &mut e,
    );
    if !e.is_empty() {
        // Who may see the list is answered before what was wrong with the
        // paging: a stranger learns nothing from a 422.
        crate::auth::authz::require_project_member(&state.store, &caller.user, id).await?;
        return Err(e.into());
    }
    let page = apps::for_project(&state, &caller.user, id, offset, limit).await?;
    Ok(Json(ApplicantList {
        items: page.items.iter().map(ApplicantView::from).collect(),
        total: page.total,
        waiting: page.waiting,
        next_cursor: page.next_offset.map(stint_domain::search::encode_cursor),
    }))
}

/// The caller's applications, newest first (students).
#[utoipa::path(get, path = "/me/applications", tag = "applications", security(("bearer" = [])),
    responses((status = 200, body = Vec<ApplicationView>), (status = 401, body = super::Problem), (status = 403, body = super::Problem)))]
async fn mine(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<ApplicationView>>, ApiError> {
    Ok(Json(
        apps::mine(&state, &caller.user)
            .await?
            .iter()
            .map(ApplicationView::from)
            .collect(),
    ))
}

/// One application, for the student who made it or the employer it was sent to.
#[utoipa::path(get, path = "/applications/{id}", tag = "applications", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ApplicationView), (status = 401, body = super::Problem), (status = 404, body = super::Problem)))]
async fn show(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<ApplicationView>, ApiError> {
    Ok(Json(ApplicationView::from(
        &apps::get(&state, &caller.user, id).await?,
    )))
}

/// Shortlist an application (employer members).
#[utoipa::path(post, path = "/applications/{id}/shortlist", tag = "applications", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ApplicationView), (status = 401, body = super::Problem), (status = 404, body = super::Problem),
              (status = 409, body = super::Problem)))]
async fn shortlist(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<ApplicationView>, ApiError> {
    Ok(Json(ApplicationView::from(
        &apps::shortlist(&state, &caller.user, id).await?,
    )))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct RejectRequest {
    /// An optional short reason, shown to the student.
    reason: Option<String>,
}

/// Reject an application, optionally with a short reason (employer members).
#[utoipa::path(post, path = "/applications/{id}/reject", tag = "applications", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = RejectRequest,
    responses((status = 200, body = ApplicationView), (status = 401, body = super::Problem), (status = 404, body = super::Problem),
              (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
async fn reject(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    body: axum::body::Bytes,
) -> Result<Json<ApplicationView>, ApiError> {
    // The body is optional: no body means no reason.
    let r: RejectRequest = if body.iter().all(u8::is_ascii_whitespace) {
        RejectRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            ApiError(crate::error::AppError::invalid(
                "body",
                format!("The JSON does not have the expected shape: {e}"),
            ))
        })?
    };
    let reason = r.reason.unwrap_or_default();
    Ok(Json(ApplicationView::from(
        &apps::reject(&state, &caller.user, id, &reason).await?,
    )))
}

/// Withdraw an undecided application (the student who made it).
#[utoipa::path(post, path = "/applications/{id}/withdraw", tag = "applications", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ApplicationView), (status = 401, body = super::Problem), (status = 404, body = super::Problem),
              (status = 409, body = super::Problem)))]
async fn withdraw(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<ApplicationView>, ApiError> {
    Ok(Json(ApplicationView::from(
        &apps::withdraw(&state, &caller.user, id).await?,
    )))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EngagementView {
    pub id: i64,
    pub project_id: i64,
    pub application_id: i64,
    /// active | submitted | revision_requested | approved | paid | cancelled | disputed
    pub status: String,
    /// The agreed price, secured in escrow.
    pub price: MoneyView,
    /// Stint's fee, charged to the employer on top of the price.
    pub fee: MoneyView,
    pub due_date: chrono::NaiveDate,
}

impl From<&Engagement> for EngagementView {
    fn from(e: &Engagement) -> Self {
        EngagementView {
            id: e.id,
            project_id: e.project_id,
            application_id: e.application_id,
            status: e.status.as_str().into(),
            price: e.price.into(),
            fee: e.fee.into(),
            due_date: e.due_date,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct HireResponse {
    pub(crate) engagement: EngagementView,
    /// The last place was taken: the project is filled and other undecided
    /// applications are closed.
    pub(crate) project_filled: bool,
}

/// Hire the applicant: creates the engagement and secures the price in escrow
/// (employer members). Never exceeds the project's places.
#[utoipa::path(post, path = "/applications/{id}/hire", tag = "applications", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 201, body = HireResponse), (status = 401, body = super::Problem), (status = 404, body = super::Problem),
              (status = 409, body = super::Problem, description = "slots_full or invalid_transition")))]
async fn hire(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<(StatusCode, Json<HireResponse>), ApiError> {
    let h = apps::hire(&state, &caller.user, id, None).await?;
    Ok((
        StatusCode::CREATED,
        Json(HireResponse {
            engagement: EngagementView::from(&h.engagement),
            project_filled: h.filled,
        }),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ApplicationMessageView {
    id: i64,
    author_name: String,
    body: String,
    created_at: DateTime<Utc>,
}

/// The questions and answers of an application (its two sides).
#[utoipa::path(get, path = "/applications/{id}/messages", tag = "applications", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = Vec<ApplicationMessageView>), (status = 401, body = super::Problem), (status = 404, body = super::Problem)))]
async fn messages(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<Vec<ApplicationMessageView>>, ApiError> {
    let (_, list) = apps::thread(&state, &caller.user, id).await?;
    Ok(Json(
        list.into_iter()
            .map(|m| ApplicationMessageView {
                id: m.id,
                author_name: m.author_name,
                body: m.body,
                created_at: m.created_at,
            })
            .collect(),
    ))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ApplicationMessageRequest {
    #[schema(required = true, min_length = 1, max_length = 4000)]
    body: String,
}

/// Employers ask an applicant a question; the applicant answers once asked.
#[utoipa::path(post, path = "/applications/{id}/messages", tag = "applications", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = ApplicationMessageRequest,
    responses((status = 201, body = ApplicationMessageView), (status = 401, body = super::Problem), (status = 404, body = super::Problem),
              (status = 409, body = super::Problem, description = "not_contacted"), (status = 422, body = super::Problem)))]
async fn post_message(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(r): ApiJson<ApplicationMessageRequest>,
) -> Result<(StatusCode, Json<ApplicationMessageView>), ApiError> {
    let m = if caller.user.role == stint_domain::account::Role::Student {
        apps::answer(&state, &caller.user, id, &r.body).await?
    } else {
        apps::ask(&state, &caller.user, id, &r.body).await?
    };
    Ok((
        StatusCode::CREATED,
        Json(ApplicationMessageView {
            id: m.id,
            author_name: m.author_name,
            body: m.body,
            created_at: m.created_at,
        }),
    ))
}
