//! `/engagements`: the shared workspace of a hired student and the employer.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
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
        .routes(routes!(thread, post_message))
        .routes(routes!(submit))
        .routes(routes!(download))
        .routes(routes!(approve))
        .routes(routes!(request_revision))
        .routes(routes!(cancel))
        .routes(routes!(mine))
        .routes(routes!(earnings))
        .routes(routes!(reviews, write_review))
        .routes(routes!(dispute))
        .routes(routes!(resolve))
        .routes(routes!(disputes))
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
pub struct FileView {
    id: i64,
    /// The sanitised file name.
    name: String,
    content_type: String,
    size_bytes: i64,
    /// Hex SHA-256 of the bytes, to check a download.
    sha256: String,
    /// Where the two sides download it (bearer token).
    url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SubmissionView {
    id: i64,
    version: i32,
    note: String,
    links: Vec<String>,
    files: Vec<FileView>,
    created_at: DateTime<Utc>,
}

impl From<&Submission> for SubmissionView {
    fn from(s: &Submission) -> Self {
        SubmissionView {
            id: s.id,
            version: s.version,
            note: s.note.clone(),
            links: s.links.clone(),
            files: s
                .files
                .iter()
                .map(|f| FileView {
                    id: f.id,
                    name: f.name.clone(),
                    content_type: f.content_type.clone(),
                    size_bytes: f.size_bytes,
                    sha256: f.sha256.clone(),
                    url: format!("/api/v1/engagements/{}/files/{}", f.engagement_id, f.id),
                })
                .collect(),
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
    /// The newest messages of the thread (up to 30), oldest first.
    messages: Vec<MessageView>,
    /// The portfolio entry drafted at approval, once there is one: the
    /// employer confirms its outcomes with `POST /achievements/{id}/confirm`.
    achievement_id: Option<i64>,
    /// When the thread has earlier messages: pass as `cursor` to
    /// `GET /engagements/{id}/messages` to read them.
    messages_earlier_cursor: Option<String>,
    submissions: Vec<SubmissionView>,
    /// Manual payments: the employer's money has not been received yet.
    awaiting_employer_payment: bool,
    /// For the student: they have not said where to be paid
    /// (`PUT /me/payout-details`).
    payout_details_missing: bool,
    /// For the employer while a submission waits: what approving releases
    /// to the student.
    on_approval: Option<super::views::MoneyView>,
    /// While the work is in progress: where the escrow goes if the caller
    /// cancels now.
    on_cancellation: Option<CancelView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CancelView {
    /// Kept by the student for work already started (an employer cancelling
    /// on or after the start date).
    to_student: super::views::MoneyView,
    /// Back to the employer.
    refund: super::views::MoneyView,
}

/// The workspace: the engagement, its thread and its submissions (the two sides only).
#[utoipa::path(get, path = "/engagements/{id}", tag = "engagements", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = WorkspaceView), (status = 401, body = super::Problem), (status = 404, body = super::Problem)))]
async fn show(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<WorkspaceView>, ApiError> {
    let w = eng::get(&state, &caller.user, id, "").await?;
    let quote = crate::app::money::engagement_quote(
        &state,
        &w.engagement,
        w.side,
        w.project.input.start_date,
    );
    Ok(Json(WorkspaceView {
        on_approval: quote.on_approval.map(Into::into),
        on_cancellation: quote.on_cancellation.map(|c| CancelView {
            to_student: c.to_student.into(),
            refund: c.refund.into(),
        }),
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
        messages_earlier_cursor: w.earlier.clone(),
        achievement_id: state.store.achievement_for(id).await?.map(|a| a.id),
        submissions: w.submissions.iter().map(SubmissionView::from).collect(),
        awaiting_employer_payment: w.awaiting_deposit,
        payout_details_missing: w.payout_missing,
    }))
}

/// Paging back through a thread.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ThreadQuery {
    /// From a previous page's `earlier_cursor` (or the workspace's
    /// `messages_earlier_cursor`); absent for the newest messages.
    pub cursor: Option<String>,
    /// 1–100, default 30.
    pub limit: Option<String>,
}

/// One page of a workspace thread, oldest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct ThreadPage {
    pub items: Vec<MessageView>,
    /// Pass as `cursor` for the messages before these; absent at the start
    /// of the thread.
    pub earlier_cursor: Option<String>,
}

/// The workspace thread, newest page first: each page is oldest first, and
/// `earlier_cursor` leads further back (the two sides only).
#[utoipa::path(get, path = "/engagements/{id}/messages", tag = "engagements", security(("bearer" = [])),
    params(("id" = i64, Path), ThreadQuery),
    responses((status = 200, body = ThreadPage), (status = 401, body = super::Problem), (status = 404, body = super::Problem),
              (status = 422, body = super::Problem)))]
async fn thread(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    super::ApiQuery(q): super::ApiQuery<ThreadQuery>,
) -> Result<Json<ThreadPage>, ApiError> {
    use stint_domain::engagement::{THREAD_PAGE, THREAD_PAGE_MAX};
    let limit = match q.limit.as_deref().map(str::trim) {
        None | Some("") => THREAD_PAGE,
        Some(l) => l
            .parse::<u32>()
            .ok()
            .filter(|v| (1..=THREAD_PAGE_MAX).contains(v))
            .ok_or_else(|| {
                crate::error::AppError::invalid(
                    "limit",
                    format!("Limit must be from 1 to {THREAD_PAGE_MAX}."),
                )
            })?,
    };
    let (items, earlier) = eng::thread(
        &state,
        &caller.user,
        id,
        q.cursor.as_deref().unwrap_or(""),
        limit,
    )
    .await?;
    Ok(Json(ThreadPage {
        items: items.iter().map(MessageView::from).collect(),
        earlier_cursor: earlier,
    }))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct MessageRequest {
    /// message (default) | question | update (students only)
    #[schema(value_type = Option<MessageKind>)]
    kind: Option<String>,
    #[schema(required = true, min_length = 1, max_length = 4000)]
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

/// The multipart form of a submission with files.
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct SubmissionUploadRequest {
    note: String,
    /// Repeat the field for each link (up to five).
    links: Vec<String>,
    /// Repeat the field for each file: up to 5 files, 10 MB each and 25 MB
    /// in all; PDF, PNG, JPEG, GIF, WebP, DOCX, XLSX, PPTX, ODT, ODS, ODP,
    /// ZIP, CSV, TXT, MD or JSON, checked against their contents.
    #[schema(value_type = Vec<String>, format = Binary)]
    files: Vec<Vec<u8>>,
}

/// Submit (or resubmit) the work (the hired student): JSON with a note and
/// links, or `multipart/form-data` with files too.
#[utoipa::path(post, path = "/engagements/{id}/submissions", tag = "engagements", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body(content(
        (SubmissionRequest = "application/json"),
        (SubmissionUploadRequest = "multipart/form-data"),
    )),
    responses((status = 201, body = SubmissionView), (status = 401, body = super::Problem), (status = 404, body = super::Problem),
              (status = 409, body = super::Problem), (status = 413, body = super::Problem), (status = 422, body = super::Problem)))]
async fn submit(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    req: axum::extract::Request,
) -> Result<(StatusCode, Json<SubmissionView>), ApiError> {
    let u = crate::upload::read_submission_body(req, &state).await?;
    let s = eng::submit(&state, &caller.user, id, &u.form, &u.files).await?;
    Ok((StatusCode::CREATED, Json(SubmissionView::from(&s))))
}

/// Download a delivered file (the two sides only). Always an attachment.
#[utoipa::path(get, path = "/engagements/{id}/files/{file_id}", tag = "engagements", security(("bearer" = [])),
    params(("id" = i64, Path), ("file_id" = i64, Path)),
    responses((status = 200, description = "The file's bytes", content_type = "application/octet-stream"),
              (status = 401, body = super::Problem), (status = 404, body = super::Problem)))]
async fn download(
    State(state): State<AppState>,
    caller: ApiUser,
    axum::extract::Path((id, file_id)): axum::extract::Path<(String, String)>,
) -> Result<axum::response::Response, ApiError> {
    let (Ok(id), Ok(file_id)) = (id.parse::<i64>(), file_id.parse::<i64>()) else {
        return Err(crate::error::AppError::NotFound.into());
    };
    let (f, bytes) = eng::file(&state, &caller.user, id, file_id).await?;
    Ok(crate::upload::download(&f, bytes))
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
    #[schema(required = true, min_length = 10, max_length = 4000)]
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
    #[schema(required = true, min_length = 5, max_length = 500)]
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

/// An engagement in a list, with what a list needs to name it.
#[derive(Debug, Serialize, ToSchema)]
pub struct EngagementItem {
    #[serde(flatten)]
    engagement: EngagementView,
    project_title: String,
    student_name: String,
    /// The portfolio entry drafted at approval: the employer confirms its
    /// outcomes with `POST /achievements/{id}/confirm`.
    achievement_id: Option<i64>,
}

/// The caller's engagements, newest first: a student's own, or all of an
/// employer's organization.
#[utoipa::path(get, path = "/me/engagements", tag = "engagements", security(("bearer" = [])),
    responses((status = 200, body = Vec<EngagementItem>), (status = 401, body = super::Problem),
              (status = 403, body = super::Problem), (status = 409, body = super::Problem, description = "no_organization")))]
async fn mine(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<EngagementItem>>, ApiError> {
    let list = eng::mine(&state, &caller.user).await?;
    Ok(Json(
        list.iter()
            .map(|l| EngagementItem {
                engagement: EngagementView::from(&l.engagement),
                project_title: l.project_title.clone(),
                student_name: l.student_name.clone(),
                achievement_id: l.achievement_id,
            })
            .collect(),
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

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewView {
    /// of_student | of_employer
    direction: String,
    author_name: String,
    /// Quality, communication, timeliness (of a student); clarity of brief,
    /// support, payment speed (of an employer). 1–5 each.
    ratings: [u8; 3],
    body: String,
    recommendation: Option<String>,
    created_at: DateTime<Utc>,
}

impl From<&stint_store::Review> for ReviewView {
    fn from(r: &stint_store::Review) -> Self {
        ReviewView {
            direction: r.direction.as_str().into(),
            author_name: r.author_name.clone(),
            ratings: r.ratings,
            body: r.body.clone(),
            recommendation: r.recommendation.clone(),
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReviewsView {
    /// The caller's own review, if written.
    mine: Option<ReviewView>,
    /// The other side's review, once both are in or the window has closed.
    theirs: Option<ReviewView>,
    /// The other side has reviewed (its content may still be hidden).
    theirs_written: bool,
    can_write: bool,
    window_closes_at: Option<DateTime<Utc>>,
}

impl From<crate::app::reviews::Reviews> for ReviewsView {
    fn from(r: crate::app::reviews::Reviews) -> Self {
        ReviewsView {
            mine: r.mine.as_ref().map(ReviewView::from),
            theirs: r.theirs.as_ref().map(ReviewView::from),
            theirs_written: r.theirs_in,
            can_write: r.can_write,
            window_closes_at: r.closes,
        }
    }
}

/// The engagement's reviews as the caller may see them (double-blind).
#[utoipa::path(get, path = "/engagements/{id}/reviews", tag = "engagements", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ReviewsView), (status = 401, body = super::Problem), (status = 404, body = super::Problem)))]
async fn reviews(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<ReviewsView>, ApiError> {
    Ok(Json(
        crate::app::reviews::get(&state, &caller.user, id)
            .await?
            .into(),
    ))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ReviewRequest {
    /// Three ratings from 1 to 5, in the order of the direction's criteria.
    #[schema(required = true, min_items = 3, max_items = 3, value_type = Vec<Rating>)]
    ratings: Vec<u8>,
    #[schema(required = true, min_length = 10, max_length = 2000)]
    body: String,
    /// Employers only: a recommendation the student may show.
    #[schema(max_length = 1000)]
    recommendation: Option<String>,
}

/// Review the other side, once, after approval and within the window.
#[utoipa::path(post, path = "/engagements/{id}/reviews", tag = "engagements", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = ReviewRequest,
    responses((status = 201, body = ReviewsView), (status = 401, body = super::Problem), (status = 404, body = super::Problem),
              (status = 409, body = super::Problem, description = "not_approved, window_closed or already_reviewed"),
              (status = 422, body = super::Problem)))]
async fn write_review(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(r): ApiJson<ReviewRequest>,
) -> Result<(StatusCode, Json<ReviewsView>), ApiError> {
    let rating = |i: usize| r.ratings.get(i).map(|v| v.to_string()).unwrap_or_default();
    let form = stint_domain::review::ReviewForm {
        rating_1: rating(0),
        rating_2: rating(1),
        rating_3: rating(2),
        text: r.body.clone(),
        recommendation: r.recommendation.clone().unwrap_or_default(),
    };
    let out = crate::app::reviews::write(&state, &caller.user, id, &form).await?;
    Ok((StatusCode::CREATED, Json(out.into())))
}

/// Raise a dispute after a submission, with a reason (either side).
#[utoipa::path(post, path = "/engagements/{id}/dispute", tag = "engagements", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = CancelRequest,
    responses((status = 200, body = EngagementView), (status = 401, body = super::Problem), (status = 404, body = super::Problem),
              (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
async fn dispute(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(r): ApiJson<CancelRequest>,
) -> Result<Json<EngagementView>, ApiError> {
    Ok(Json(EngagementView::from(
        &eng::dispute(&state, &caller.user, id, &r.reason).await?,
    )))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct ResolveRequest {
    #[schema(required = true, value_type = Outcome)]
    outcome: String,
    /// For `partial`: what the student is paid, in minor units.
    #[schema(minimum = 1)]
    amount_minor: Option<i64>,
    /// The reasons for the decision (at least 10 characters).
    #[schema(required = true, min_length = 10, max_length = 4000)]
    note: String,
}

/// Settle a dispute (admins): pay the student in full or in part, or refund the employer.
#[utoipa::path(post, path = "/engagements/{id}/resolve", tag = "engagements", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = ResolveRequest,
    responses((status = 200, body = EngagementView), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 404, body = super::Problem), (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
async fn resolve(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(r): ApiJson<ResolveRequest>,
) -> Result<Json<EngagementView>, ApiError> {
    crate::auth::authz::require_admin(&caller.user)?;
    let e = state.store.engagement(id).await?;
    let amount = r
        .amount_minor
        .map(|m| format!("{}.{:02}", m / 100, (m % 100).abs()))
        .unwrap_or_default();
    let resolution = eng::Resolution::parse(&r.outcome, &amount, e.price)?;
    Ok(Json(EngagementView::from(
        &eng::resolve(&state, &caller.user, id, resolution, &r.note).await?,
    )))
}

/// Engagements in dispute, oldest first (admins).
#[utoipa::path(get, path = "/disputes", tag = "engagements", security(("bearer" = [])),
    responses((status = 200, body = Vec<EngagementView>), (status = 401, body = super::Problem), (status = 403, body = super::Problem)))]
async fn disputes(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<EngagementView>>, ApiError> {
    crate::auth::authz::require_admin(&caller.user)?;
    Ok(Json(
        state
            .store
            .disputed_engagements()
            .await?
            .iter()
            .map(|(e, _)| EngagementView::from(e))
            .collect(),
    ))
}

/// What a workspace message is.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
enum MessageKind {
    Message,
    Question,
    Update,
}

/// A rating from 1 to 5 stars.
#[derive(ToSchema)]
#[schema(value_type = u8, minimum = 1, maximum = 5)]
#[allow(dead_code)]
struct Rating(u8);

/// How an admin settles a dispute: release everything to the student, pay
/// part and refund the rest, or refund the employer.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
enum Outcome {
    Release,
    Partial,
    Refund,
}
