//! An employer's talent pool: the students who completed work for the
//! organization, were hired or shortlisted by it, with the members' private
//! tags and notes (employer members; nothing of it reaches anyone else).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use stint_domain::talent::{FindForm, PoolFilterForm};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiError, ApiId, ApiJson, ApiQuery, Problem};
use crate::AppState;
use crate::app::{invitations, talent};
use crate::auth::ApiUser;
use crate::error::AppError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(pool))
        .routes(routes!(pooled_student))
        .routes(routes!(set_tags))
        .routes(routes!(add_note))
        .routes(routes!(delete_note))
        .routes(routes!(find))
        .routes(routes!(invite, sent_invitations))
        .routes(routes!(my_invitations))
        .routes(routes!(decline_invitation))
        .routes(routes!(accept_invitation))
        .routes(routes!(withdraw_invitation))
        .routes(routes!(my_reach, set_my_reach))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct PoolParams {
    /// A skill slug (see `/taxonomy`) on the student's profile.
    skill: String,
    /// One of the organization's tags.
    tag: String,
    /// The organization's mean rating of the student's work, at least this (1–5).
    min_rating: String,
    /// Hours a week the student says they have, at least this (1–60).
    min_hours: String,
    /// A university id: students whose affiliation with it is confirmed.
    university: String,
    /// shortlisted | hired | completed
    reason: String,
    /// 1, 2, … (50 students a page).
    page: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PooledStudentView {
    id: i64,
    name: String,
    headline: Option<String>,
    /// Skill slugs from the student's profile.
    skills: Vec<String>,
    /// Hours a week the student says they have.
    availability_hours: Option<i32>,
    location: Option<String>,
    /// Why they are in the pool, the strongest so far: shortlisted | hired | completed
    reason: String,
    added_at: DateTime<Utc>,
    /// Only when the student's affiliation is confirmed.
    university: Option<String>,
    /// Engagements with this organization that were approved.
    completed_projects: i64,
    /// The organization's mean rating of the student's work (1–5), if it reviewed them.
    rating: Option<f64>,
    /// The organization's private tags.
    tags: Vec<String>,
    /// How many notes the members wrote.
    notes: i64,
}

impl From<&stint_store::PoolStudent> for PooledStudentView {
    fn from(s: &stint_store::PoolStudent) -> Self {
        PooledStudentView {
            id: s.student_id,
            name: s.name.clone(),
            headline: s.headline.clone(),
            skills: s.skills.clone(),
            availability_hours: s.availability_hours,
            location: s.location.clone(),
            reason: s.reason.clone(),
            added_at: s.added_at,
            university: s.university.clone(),
            completed_projects: s.completed,
            rating: s.rating.map(|r| (r * 100.0).round() / 100.0),
            tags: s.tags.clone(),
            notes: s.notes,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PoolTagCount {
    tag: String,
    students: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PoolUniversity {
    id: i64,
    name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TalentPool {
    students: Vec<PooledStudentView>,
    /// Matching students in all.
    total: i64,
    page: i64,
    next_page: Option<i64>,
    /// Every tag the organization uses.
    tags: Vec<PoolTagCount>,
    /// The universities among the pool, to filter by.
    universities: Vec<PoolUniversity>,
    /// The skills among the pool, most common first, to filter by.
    skills: Vec<PoolSkillCount>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PoolSkillCount {
    /// A skill slug (see `/taxonomy`).
    skill: String,
    students: i64,
}

/// The organization's talent pool: completed work first, then hires and
/// shortlists, newest first (employer members).
#[utoipa::path(get, path = "/talent", tag = "talent", security(("bearer" = [])), params(PoolParams),
    responses((status = 200, body = TalentPool), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn pool(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiQuery(q): ApiQuery<PoolParams>,
) -> Result<Json<TalentPool>, ApiError> {
    let form = PoolFilterForm {
        skill: q.skill,
        tag: q.tag,
        min_rating: q.min_rating,
        min_hours: q.min_hours,
        university: q.university,
        reason: q.reason,
    };
    let list = talent::pool(&state, &caller.user, &form, &q.page).await?;
    Ok(Json(TalentPool {
        students: list.students.iter().map(PooledStudentView::from).collect(),
        total: list.total,
        page: list.page,
        next_page: list.more.then_some(list.page + 1),
        tags: list
            .tags
            .into_iter()
            .map(|(tag, students)| PoolTagCount { tag, students })
            .collect(),
        universities: list
            .universities
            .into_iter()
            .map(|(id, name)| PoolUniversity { id, name })
            .collect(),
        skills: list
            .skills
            .into_iter()
            .map(|(skill, students)| PoolSkillCount { skill, students })
            .collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TalentNoteView {
    id: i64,
    /// The member who wrote it (`null` when their account is gone).
    author: Option<String>,
    /// Written by the caller (only they can delete it).
    mine: bool,
    body: String,
    created_at: DateTime<Utc>,
}

fn note_view(n: &stint_store::TalentNote, caller: i64) -> TalentNoteView {
    TalentNoteView {
        id: n.id,
        author: n.author_name.clone(),
        mine: n.author_id == Some(caller),
        body: n.body.clone(),
        created_at: n.created_at,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PoolWorkView {
    project_id: i64,
    project_title: String,
    /// Set when the student was hired for the project.
    engagement_id: Option<i64>,
    /// The engagement's status when hired (active, submitted, approved, paid, …),
    /// else the application's (submitted, shortlisted, rejected, withdrawn, closed).
    status: String,
    /// When the engagement began, or the application was sent.
    started_at: DateTime<Utc>,
    approved_at: Option<DateTime<Utc>>,
    /// The organization's rating of this work (1–5), once reviewed.
    rating: Option<f64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PooledStudentDetail {
    student: PooledStudentView,
    /// Newest first.
    notes_written: Vec<TalentNoteView>,
    /// The student's projects with the organization, newest first.
    work: Vec<PoolWorkView>,
    /// The student's portfolio is public, at `/students/{id}/portfolio`.
    portfolio_public: bool,
}

/// One student of the pool with the members' notes (employer members; 404
/// for a student outside the organization's pool).
#[utoipa::path(get, path = "/talent/{id}", tag = "talent", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = PooledStudentDetail), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn pooled_student(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<PooledStudentDetail>, ApiError> {
    let e = talent::student(&state, &caller.user, id).await?;
    Ok(Json(PooledStudentDetail {
        portfolio_public: e.portfolio_public,
        student: PooledStudentView::from(&e.student),
        notes_written: e
            .notes
            .iter()
            .map(|n| note_view(n, caller.user.id))
            .collect(),
        work: e
            .work
            .into_iter()
            .map(|w| PoolWorkView {
                project_id: w.project_id,
                project_title: w.title,
                engagement_id: w.engagement_id,
                status: w.status,
                started_at: w.started_at,
                approved_at: w.approved_at,
                rating: w.rating.map(|r| (r * 100.0).round() / 100.0),
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TagsRequest {
    /// At most 10 tags of up to 30 characters: letters, digits, spaces, '-' and '+'.
    tags: Vec<String>,
}

/// Replace a pooled student's tags (employer members).
#[utoipa::path(put, path = "/talent/{id}/tags", tag = "talent", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = TagsRequest,
    responses((status = 200, body = PooledStudentView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn set_tags(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<TagsRequest>,
) -> Result<Json<PooledStudentView>, ApiError> {
    talent::set_tags(
        &state,
        &caller.user,
        id,
        body.tags.iter().map(String::as_str),
    )
    .await?;
    let e = talent::student(&state, &caller.user, id).await?;
    Ok(Json(PooledStudentView::from(&e.student)))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct NoteRequest {
    /// 1–2,000 characters, private to the organization.
    body: String,
}

/// Write a private note about a pooled student (employer members).
#[utoipa::path(post, path = "/talent/{id}/notes", tag = "talent", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = NoteRequest,
    responses((status = 201, body = TalentNoteView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn add_note(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<NoteRequest>,
) -> Result<(StatusCode, Json<TalentNoteView>), ApiError> {
    let n = talent::add_note(&state, &caller.user, id, &body.body).await?;
    Ok((StatusCode::CREATED, Json(note_view(&n, caller.user.id))))
}

/// Delete a note you wrote about a pooled student (its author only).
#[utoipa::path(delete, path = "/talent/{id}/notes/{note_id}", tag = "talent", security(("bearer" = [])),
    params(("id" = i64, Path), ("note_id" = i64, Path)),
    responses((status = 204, description = "Deleted"), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn delete_note(
    State(state): State<AppState>,
    caller: ApiUser,
    axum::extract::Path((id, note_id)): axum::extract::Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let (Ok(id), Ok(note_id)) = (id.parse::<i64>(), note_id.parse::<i64>()) else {
        return Err(AppError::NotFound.into());
    };
    talent::delete_note(&state, &caller.user, id, note_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct FindParams {
    /// One of the organization's projects open for applications, to rank
    /// against (the newest open one when left out).
    project: String,
    /// A skill slug (see `/taxonomy`) on the student's profile.
    skill: String,
    /// A category slug (see `/taxonomy`) among the student's interests.
    field: String,
    /// A university id: students whose affiliation with it is confirmed.
    university: String,
    /// Hours a week the student says they have, at least this (1–60).
    min_hours: String,
    /// Words the student's location contains.
    location: String,
    /// 1, 2, … (20 students a page).
    page: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FoundStudentView {
    id: i64,
    name: String,
    headline: Option<String>,
    /// Skill slugs.
    skills: Vec<String>,
    /// Category slugs.
    interests: Vec<String>,
    area_of_study: Option<String>,
    availability_hours: Option<i32>,
    location: Option<String>,
    /// Only when the student's affiliation is confirmed.
    university: Option<String>,
    /// Projects the student completed on Stint, with any employer.
    completed_projects: i64,
    /// Whether the student takes invitations.
    takes_invitations: bool,
    /// The match against the chosen project, with its reasons.
    #[serde(rename = "match")]
    matched: super::discovery::MatchView,
    /// The invitation to the chosen project, if sent: sent | applied | declined
    invitation: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FoundStudents {
    /// The project the students are ranked against (`null`: the
    /// organization has no project open for applications).
    project_id: Option<i64>,
    /// Best match first.
    students: Vec<FoundStudentView>,
    total: i64,
    page: i64,
    next_page: Option<i64>,
    /// Invitations the organization can still send in the next 24 hours.
    invitations_left_today: i64,
}

/// Search the students who chose to be discoverable, ranked by the
/// explained match against one of the organization's open projects
/// (employer members).
#[utoipa::path(get, path = "/talent/find", tag = "talent", security(("bearer" = [])), params(FindParams),
    responses((status = 200, body = FoundStudents), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn find(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiQuery(q): ApiQuery<FindParams>,
) -> Result<Json<FoundStudents>, ApiError> {
    let form = FindForm {
        skill: q.skill,
        field: q.field,
        university: q.university,
        min_hours: q.min_hours,
        location: q.location,
    };
    let r = invitations::find(&state, &caller.user, &form, &q.project, &q.page).await?;
    let page = r.page as i64;
    Ok(Json(FoundStudents {
        project_id: r.project.as_ref().map(|p| p.id),
        students: r
            .found
            .into_iter()
            .map(|f| FoundStudentView {
                matched: super::discovery::MatchView::from(&f.m),
                id: f.student.student_id,
                name: f.student.name,
                headline: f.student.headline,
                skills: f.student.skills,
                interests: f.student.interests,
                area_of_study: f.student.area_of_study,
                availability_hours: f.student.availability_hours,
                location: f.student.location,
                university: f.student.university,
                completed_projects: f.student.completed,
                takes_invitations: f.student.invitations,
                invitation: f.invited,
            })
            .collect(),
        total: r.total as i64,
        page,
        next_page: r.more.then_some(page + 1),
        invitations_left_today: r.left_today,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectInvitationView {
    id: i64,
    org_id: i64,
    org_name: String,
    project_id: i64,
    project_title: String,
    student_id: i64,
    student_name: String,
    /// The member who sent it (`null` when their account is gone).
    sender: Option<String>,
    note: String,
    /// `apply`: an invitation to apply as anyone would; `direct`: the place
    /// on an invite-only project, offered without applying.
    kind: String,
    /// For a direct offer: what the organization pays if the student
    /// accepts (price plus fee, minor units of the project's currency).
    quoted_total_minor: Option<i64>,
    /// sent | applied (a direct offer: accepted, the student is hired) |
    /// declined | withdrawn (direct offers only)
    status: String,
    created_at: DateTime<Utc>,
    answered_at: Option<DateTime<Utc>>,
}

impl From<stint_store::ProjectInvitation> for ProjectInvitationView {
    fn from(i: stint_store::ProjectInvitation) -> Self {
        ProjectInvitationView {
            id: i.id,
            org_id: i.org_id,
            org_name: i.org_name,
            project_id: i.project_id,
            project_title: i.project_title,
            student_id: i.student_id,
            student_name: i.student_name,
            sender: i.sender_name,
            note: i.note,
            kind: i.kind,
            quoted_total_minor: i.quoted_total_minor,
            status: i.status,
            created_at: i.created_at,
            answered_at: i.answered_at,
        }
    }
}

#[derive(Debug, Default, Deserialize, ToSchema, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum InvitationKind {
    /// Invite the student to apply.
    #[default]
    Apply,
    /// Offer the student the place on an invite-only project directly.
    Direct,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct InviteToApplyRequest {
    /// One of the organization's projects open for applications.
    project_id: i64,
    /// A discoverable student, or one in the organization's pool (only the
    /// pool for an invite-only project).
    student_id: i64,
    /// Up to 600 characters; the student reads it with the project.
    #[serde(default)]
    note: String,
    /// `apply` (the default) or `direct`.
    #[serde(default)]
    kind: InvitationKind,
    /// For a direct offer, the total (price plus fee, minor units) the
    /// organization agrees to pay: refused as 409 `quote_changed` if the
    /// total is no longer this. `GET /projects/{id}` gives the price;
    /// leave it out to accept the current total.
    #[serde(default)]
    expected_total_minor: Option<i64>,
}

/// Invite a student to apply to one of the organization's open projects,
/// or (`kind: direct`) offer a student of the pool the place on an
/// invite-only project (employer members; 20 an organization in any 24
/// hours, once per project and student). The student is notified and
/// applies, or accepts the offer, if they want to. 409 codes:
/// `invitations_off`, `not_accepting`, `not_in_pool`, `not_invite_only`,
/// `not_eligible`, `already_applied`, `already_invited`,
/// `invitation_limit`, `quote_changed`.
#[utoipa::path(post, path = "/invitations", tag = "talent", security(("bearer" = [])),
    request_body = InviteToApplyRequest,
    responses((status = 201, body = ProjectInvitationView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn invite(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<InviteToApplyRequest>,
) -> Result<(StatusCode, Json<ProjectInvitationView>), ApiError> {
    let i = if body.kind == InvitationKind::Direct {
        invitations::offer_place(
            &state,
            &caller.user,
            body.project_id,
            body.student_id,
            &body.note,
            body.expected_total_minor,
        )
        .await?
    } else {
        invitations::invite(
            &state,
            &caller.user,
            body.project_id,
            body.student_id,
            &body.note,
        )
        .await?
    };
    Ok((StatusCode::CREATED, Json(i.into())))
}

/// Withdraw a direct offer the student has not answered (employer members
/// of the organization that made it; 409 `invitation_answered` after).
#[utoipa::path(post, path = "/invitations/{id}/withdraw", tag = "talent", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = ProjectInvitationView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn withdraw_invitation(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<ProjectInvitationView>, ApiError> {
    let i = invitations::withdraw(&state, &caller.user, id).await?;
    Ok(Json(i.into()))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptOfferRequest {
    /// Up to 600 characters for the employer (optional).
    #[serde(default)]
    message: String,
}

/// Accept a direct offer (the student it names): the student is hired
/// through the same hire as any applicant, the price secured in escrow
/// and the fee charged, at the total the organization confirmed. 409
/// codes: `not_direct`, `invitation_answered`, `offer_withdrawn`,
/// `quote_changed`, `slots_full`. The body is optional.
#[utoipa::path(post, path = "/me/invitations/{id}/accept", tag = "talent", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = AcceptOfferRequest,
    responses((status = 201, body = super::applications::HireResponse), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn accept_invitation(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<super::applications::HireResponse>), ApiError> {
    // The body is optional: no body means no message.
    let body: AcceptOfferRequest = if body.iter().all(u8::is_ascii_whitespace) {
        AcceptOfferRequest::default()
    } else {
        serde_json::from_slice(&body).map_err(|e| {
            ApiError(crate::error::AppError::invalid(
                "body",
                format!("The JSON does not have the expected shape: {e}"),
            ))
        })?
    };
    let h = invitations::accept(&state, &caller.user, id, &body.message).await?;
    Ok((
        StatusCode::CREATED,
        Json(super::applications::HireResponse {
            engagement: super::applications::EngagementView::from(&h.engagement),
            project_filled: h.filled,
        }),
    ))
}

/// The organization's invitations, newest first (employer members).
#[utoipa::path(get, path = "/invitations", tag = "talent", security(("bearer" = [])),
    responses((status = 200, body = Vec<ProjectInvitationView>), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 409, body = Problem)))]
async fn sent_invitations(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<ProjectInvitationView>>, ApiError> {
    let list = invitations::sent(&state, &caller.user).await?;
    Ok(Json(
        list.into_iter().map(ProjectInvitationView::from).collect(),
    ))
}

/// The caller's invitations to apply, newest first (students).
#[utoipa::path(get, path = "/me/invitations", tag = "talent", security(("bearer" = [])),
    responses((status = 200, body = Vec<ProjectInvitationView>), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn my_invitations(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<ProjectInvitationView>>, ApiError> {
    let list = invitations::mine(&state, &caller.user).await?;
    Ok(Json(
        list.into_iter().map(ProjectInvitationView::from).collect(),
    ))
}

/// Decline an invitation to apply or a direct offer (the student it names;
/// 409 once applied or accepted, or after the offer was withdrawn).
#[utoipa::path(post, path = "/me/invitations/{id}/decline", tag = "talent", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = ProjectInvitationView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn decline_invitation(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<ProjectInvitationView>, ApiError> {
    let i = invitations::decline(&state, &caller.user, id).await?;
    Ok(Json(i.into()))
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReachView {
    /// Employers can find the student by search (off until turned on).
    discoverable: bool,
    /// Employers can invite the student to apply (on until turned off).
    invitations: bool,
}

/// The caller's choices about being found and invited (students).
#[utoipa::path(get, path = "/me/reach", tag = "talent", security(("bearer" = [])),
    responses((status = 200, body = ReachView), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn my_reach(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<ReachView>, ApiError> {
    let r = invitations::reach(&state, &caller.user).await?;
    Ok(Json(ReachView {
        discoverable: r.discoverable,
        invitations: r.invitations,
    }))
}

/// Set the caller's choices about being found and invited (students);
/// each change is recorded with its time.
#[utoipa::path(put, path = "/me/reach", tag = "talent", security(("bearer" = [])),
    request_body = ReachView,
    responses((status = 200, body = ReachView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 422, body = Problem)))]
async fn set_my_reach(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<ReachView>,
) -> Result<Json<ReachView>, ApiError> {
    let r =
        invitations::set_reach(&state, &caller.user, body.discoverable, body.invitations).await?;
    Ok(Json(ReachView {
        discoverable: r.discoverable,
        invitations: r.invitations,
    }))
}
