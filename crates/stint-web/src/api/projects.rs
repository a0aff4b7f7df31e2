//! `/projects`: search open projects; employer members create, edit, publish,
//! close and cancel their organization's projects.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use stint_domain::project::ProjectAction;
use stint_domain::search::encode_cursor;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::views::{ProjectCardView, ProjectList, ProjectRequest, ProjectView, SearchQuery};
use super::{ApiError, ApiId, ApiJson};
use crate::AppState;
use crate::app::projects;
use crate::auth::ApiUser;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search, create))
        .routes(routes!(show, update))
        .routes(routes!(publish))
        .routes(routes!(close))
        .routes(routes!(cancel))
        .routes(routes!(restriction))
        .routes(routes!(mine))
}

/// Who a draft is for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RestrictionRequest {
    /// A verified university's slug: once published, only its confirmed
    /// students see the project (on the university's pages, not in search)
    /// and may apply. Null or absent: every student.
    #[serde(default)]
    pub university: Option<String>,
    /// Only the students the organization invites from its talent pool see
    /// the project, and may apply or be offered it directly; it is listed
    /// nowhere. Not together with `university` (422).
    #[serde(default)]
    pub invite_only: bool,
}

/// Arrange a draft with a university for its students only, make it
/// invite-only, or open it to every student again. Only while the project is a draft (409
/// `not_editable` after); an unknown or unverified university is 422
/// (field `university`).
#[utoipa::path(put, path = "/projects/{id}/restriction", tag = "projects", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = RestrictionRequest,
    responses((status = 200, body = ProjectView), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 404, body = super::Problem), (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
async fn restriction(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(r): ApiJson<RestrictionRequest>,
) -> Result<Json<ProjectView>, ApiError> {
    let p = projects::restrict(
        &state,
        &caller.user,
        id,
        r.university.as_deref().unwrap_or(""),
        r.invite_only,
    )
    .await?;
    Ok(Json(ProjectView::from(&p)))
}

/// Every project of the caller's organization, newest first, in every
/// status (drafts, open, filled, closed, completed, cancelled).
#[utoipa::path(get, path = "/me/projects", tag = "projects", security(("bearer" = [])),
    responses((status = 200, body = Vec<ProjectCardView>), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 409, body = super::Problem, description = "no_organization")))]
async fn mine(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<ProjectCardView>>, ApiError> {
    let list = projects::of_my_organization(&state, &caller.user).await?;
    Ok(Json(list.iter().map(ProjectCardView::from).collect()))
}

/// Search open projects. With a student's credentials, each result carries
/// the student's match, and the default order is relevance, then match.
#[utoipa::path(get, path = "/projects", tag = "projects", params(SearchQuery),
    responses((status = 200, body = ProjectList), (status = 422, body = super::Problem)))]
async fn search(
    State(state): State<AppState>,
    caller: Option<ApiUser>,
    super::ApiQuery(q): super::ApiQuery<SearchQuery>,
) -> Result<Json<ProjectList>, ApiError> {
    let results =
        projects::search(&state, caller.as_ref().map(|c| &c.user), &q.to_params()).await?;
    let page = &results.page;
    Ok(Json(ProjectList {
        items: page
            .items
            .iter()
            .map(|c| ProjectCardView::from(c).with_match(results.match_of(c.id)))
            .collect(),
        total: page.total,
        total_is_lower_bound: page.total_capped,
        next_cursor: page.next_offset.map(encode_cursor),
    }))
}

/// Create a draft project for the caller's organization. A draft needs
/// every required field in the right shape; the rules for going live are
/// checked by `POST /projects/{id}/publish`.
#[utoipa::path(post, path = "/projects", tag = "projects", security(("bearer" = [])), request_body = ProjectRequest,
    responses((status = 201, body = ProjectView), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 409, body = super::Problem, description = "no_organization"), (status = 422, body = super::Problem)))]
async fn create(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(r): ApiJson<ProjectRequest>,
) -> Result<(StatusCode, Json<ProjectView>), ApiError> {
    let p = projects::create(&state, &caller.user, &r.to_form()).await?;
    Ok((StatusCode::CREATED, Json(ProjectView::from(&p))))
}

/// A project. Drafts are visible to their organization's members only.
#[utoipa::path(get, path = "/projects/{id}", tag = "projects", params(("id" = i64, Path)),
    responses((status = 200, body = ProjectView), (status = 404, body = super::Problem)))]
async fn show(
    State(state): State<AppState>,
    caller: Option<ApiUser>,
    ApiId(id): ApiId,
) -> Result<Json<ProjectView>, ApiError> {
    let p = projects::get(&state, caller.as_ref().map(|c| &c.user), id).await?;
    Ok(Json(ProjectView::from(&p)))
}

/// Replace a draft's content.
#[utoipa::path(put, path = "/projects/{id}", tag = "projects", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = ProjectRequest,
    responses((status = 200, body = ProjectView), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 404, body = super::Problem), (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
async fn update(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(r): ApiJson<ProjectRequest>,
) -> Result<Json<ProjectView>, ApiError> {
    let p = projects::update(&state, &caller.user, id, &r.to_form()).await?;
    Ok(Json(ProjectView::from(&p)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublishResponse {
    project: ProjectView,
    /// Things worth checking that did not stop publishing.
    warnings: Vec<String>,
}

/// Publish a draft. Every rule that fails is listed in `errors`, each under
/// its field:
///
/// - the organization is verified by Stint (`organization`);
/// - a brief of at least 50 characters, deliverables and acceptance
///   criteria are written, and at least one required skill is chosen;
/// - 1–80 estimated hours (outside 5–40 publishes with a warning);
/// - the hourly rate (price / hours) clears the currency's floor (`price`);
/// - the application deadline is not in the past, and it and the
///   decision-by date are within 90 days of today;
/// - deadline ≤ decision-by ≤ start ≤ due; the work starts within 30 days
///   of the decision-by date and runs at most six weeks (42 days);
/// - hybrid and in-person work names a location.
///
/// When the decision-by date passes, undecided applications are closed and
/// their students told.
#[utoipa::path(post, path = "/projects/{id}/publish", tag = "projects", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = PublishResponse), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 404, body = super::Problem), (status = 409, body = super::Problem), (status = 422, body = super::Problem)))]
async fn publish(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<PublishResponse>, ApiError> {
    let (p, w) = projects::publish(&state, &caller.user, id).await?;
    Ok(Json(PublishResponse {
        project: ProjectView::from(&p),
        warnings: w.0,
    }))
}

/// Close an open project to new applications.
#[utoipa::path(post, path = "/projects/{id}/close", tag = "projects", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ProjectView), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 404, body = super::Problem), (status = 409, body = super::Problem)))]
async fn close(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<ProjectView>, ApiError> {
    Ok(Json(ProjectView::from(
        &projects::change_status(&state, &caller.user, id, ProjectAction::Close).await?,
    )))
}

/// Cancel a draft or open project.
#[utoipa::path(post, path = "/projects/{id}/cancel", tag = "projects", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ProjectView), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 404, body = super::Problem), (status = 409, body = super::Problem)))]
async fn cancel(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<ProjectView>, ApiError> {
    Ok(Json(ProjectView::from(
        &projects::change_status(&state, &caller.user, id, ProjectAction::Cancel).await?,
    )))
}
