//! `/engagements`: the shared workspace of a hired student and the employer.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use stint_domain::engagement::SubmissionForm;
use stint_store::{Message, Submission};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::applications::EngagementView;
use super::{ApiError, ApiId, ApiJson};
use crate::AppState;
use crate::app::engagements as eng;
use crate::auth::ApiUser;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(show))
        .routes(routes!(post_message))
        .routes(routes!(submit))
        .routes(routes!(approve))
        .routes(routes!(request_revision))
        .routes(routes!(cancel))
        .routes(routes!(mine))
        .routes(routes!(earnings))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MessageView {
    id: i64,
    author_id: i64,
    author_name: String,
    /// message | question | update | feedback | system
    kind: String,
    body: String,
    created_at: DateTime<Utc>,
}

impl From<&Message> for MessageView {
    fn from(m: &Message) -> Self {
        MessageView {
            id: m.id,
            author_id: m.author_id,
            author_name: m.author_name.clone(),
            kind: m.kind.clone(),
            body: m.body.clone(),
            created_at: m.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionView {
    id: i64,
    version: i32,
    note: String,
    links: Vec<String>,
    created_at: DateTime<Utc>,
}

impl From<&Submission> for SubmissionView {
    fn from(s: &Submission) -> Self {
        SubmissionView {
            id: s.id,
            version: s.version,
            note: s.note.clone(),
            links: s.links.clone(),
            created_at: s.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkspaceView {
    #[serde(flatten)]
    engagement: EngagementView,
    project_title: String,
    deliverables: String,
    acceptance_criteria: String,
    student_name: String,
    /// student | employer: which side the caller is on.
    your_side: String,
    messages: Vec<MessageView>,
    submissions: Vec<SubmissionView>,
}

/// The workspace: the engagement, its thread and its submissions (the two sides only).
#[utoipa::path(get, path = "/engagements/{id}", tag = "engagements", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = WorkspaceView), (status = 401, body = super::Problem), (status = 404, body = super::Problem)))]
async fn show(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<WorkspaceView>, ApiError> {
    let w = eng::get(&state, &caller.user, id).await?;
    Ok(Json(WorkspaceView {
        engagement: EngagementView::from(&w.engagement),
        project_title: w.project.input.title.clone(),
        deliverables: w.project.input.deliverables.clone(),
        acceptance_criteria: w.project.input.acceptance_criteria.clone(),
        student_name: w.student_name,
        your_side: match w.side {
            eng::Side::Student => "student".into(),
            eng::Side::Employer => "employer".into(),
        },
        messages: w.messages.iter().map(MessageView::from).collect(),
        submissions: w.submissions.iter().map(SubmissionView::from).collect(),
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct MessageRequest {
    /// message (default) | question | update
    kind: Option<String>,
    body: String,
}

/// Post to the workspace thread.
#[utoipa::path(post, path = "/engagements/{id}/messages", tag = "engagements", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = MessageRequest,
    responses((status = 201, body = MessageView), (status = 401, body = super::Problem), (status = 404, body = super::Problem),
              (status = 422, body = super::Problem)))]
async fn post_message(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(r): ApiJson<MessageRequest>,
) -> Result<(StatusCode, Json<MessageView>), ApiError> {
    let m = eng::post_message(
        &state,
        &caller.user,
        id,
        r.kind.as_deref().unwrap_or(""),
        &r.body,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(MessageView::from(&m))))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct SubmissionRequest {
    /// What is delivered and how it meets the acceptance criteria.
    note: String,
    /// Up to five links to the work.
    links: Vec<String>,
}

/// Submit (or resubmit) the work (the hired student).
#[utoipa::path(post, path = "/engagements/{id}/submissions", tag = "engagements", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = SubmissionRequest,
    responses((status = 201, body = SubmissionView), (status = 401, body = super::Problem), (status = 404, body = super::Problem),
              (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
async fn submit(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(r): ApiJson<SubmissionRequest>,
) -> Result<(StatusCode, Json<SubmissionView>), ApiError> {
    let s = eng::submit(
        &state,
        &caller.user,
        id,
        &SubmissionForm {
            note: r.note,
            links: r.links,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(SubmissionView::from(&s))))
}

/// Approve the submitted work: the price is released to the student, exactly once (employer members).
#[utoipa::path(post, path = "/engagements/{id}/approve", tag = "engagements", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = EngagementView), (status = 401, body = super::Problem), (status = 404, body = super::Problem),
              (status = 409, body = super::Problem)))]
async fn approve(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<EngagementView>, ApiError> {
    Ok(Json(EngagementView::from(
        &eng::approve(&state, &caller.user, id).await?,
    )))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct RevisionRequest {
    /// What to change: at least 10 characters.
    feedback: String,
}

/// Ask for a revision of the submitted work, with written feedback (employer members).
#[utoipa::path(post, path = "/engagements/{id}/request-revision", tag = "engagements", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = RevisionRequest,
    responses((status = 200, body = EngagementView), (status = 401, body = super::Problem), (status = 404, body = super::Problem),
              (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
async fn request_revision(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(r): ApiJson<RevisionRequest>,
) -> Result<Json<EngagementView>, ApiError> {
    Ok(Json(EngagementView::from(
        &eng::request_revision(&state, &caller.user, id, &r.feedback).await?,
    )))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct CancelRequest {
    reason: String,
}

/// Cancel before any submission, with a reason; the escrow is refunded (either side).
#[utoipa::path(post, path = "/engagements/{id}/cancel", tag = "engagements", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = CancelRequest,
    responses((status = 200, body = EngagementView), (status = 401, body = super::Problem), (status = 404, body = super::Problem),
              (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
async fn cancel(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(r): ApiJson<CancelRequest>,
) -> Result<Json<EngagementView>, ApiError> {
    Ok(Json(EngagementView::from(
        &eng::cancel(&state, &caller.user, id, &r.reason).await?,
    )))
}

/// The caller's engagements as a student, newest first.
#[utoipa::path(get, path = "/me/engagements", tag = "engagements", security(("bearer" = [])),
    responses((status = 200, body = Vec<EngagementView>), (status = 401, body = super::Problem)))]
async fn mine(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<EngagementView>>, ApiError> {
    let list = state.store.student_engagements(caller.user.id).await?;
    Ok(Json(
        list.iter().map(|(e, _)| EngagementView::from(e)).collect(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EarningsView {
    currency: String,
    /// Secured in escrow for work not yet approved, in minor units.
    pending_minor: i64,
    /// Released on approval, not yet paid out.
    released_minor: i64,
    paid_out_minor: i64,
}

/// What the caller has earned, per currency (students).
#[utoipa::path(get, path = "/me/earnings", tag = "engagements", security(("bearer" = [])),
    responses((status = 200, body = Vec<EarningsView>), (status = 401, body = super::Problem), (status = 403, body = super::Problem)))]
async fn earnings(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<EarningsView>>, ApiError> {
    let list = eng::earnings(&state, &caller.user).await?;
    Ok(Json(
        list.into_iter()
            .map(|e| EarningsView {
                currency: e.currency,
                pending_minor: e.pending,
                released_minor: e.released,
                paid_out_minor: e.paid_out,
            })
            .collect(),
    ))
}
