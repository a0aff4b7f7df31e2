//! An employer's talent pool: the students who completed work for the
//! organization, were hired or shortlisted by it, with the members' private
//! tags and notes (employer members; nothing of it reaches anyone else).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use stint_domain::talent::PoolFilterForm;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiError, ApiId, ApiJson, ApiQuery, Problem};
use crate::AppState;
use crate::app::talent;
use crate::auth::ApiUser;
use crate::error::AppError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(pool))
        .routes(routes!(pooled_student))
        .routes(routes!(set_tags))
        .routes(routes!(add_note))
        .routes(routes!(delete_note))
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
pub struct PooledStudentDetail {
    student: PooledStudentView,
    /// Newest first.
    notes_written: Vec<TalentNoteView>,
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
        student: PooledStudentView::from(&e.student),
        notes_written: e
            .notes
            .iter()
            .map(|n| note_view(n, caller.user.id))
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
