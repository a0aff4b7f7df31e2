//! `/me/data-requests`: the caller's requests about their data, and
//! downloads of it (as on the page `/account/data`); `/admin/data-requests`
//! for admins.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiError, ApiId, ApiJson, Problem};
use crate::AppState;
use crate::app::privacy;
use crate::auth::ApiUser;
use crate::auth::authz::require_admin;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_mine, ask))
        .routes(routes!(request_export))
        .routes(routes!(archive))
        .routes(routes!(list_all))
        .routes(routes!(answer))
        .routes(routes!(deletion_check))
        .routes(routes!(delete_me))
        .routes(routes!(closure_check, close_org))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClosureCheckView {
    organization_id: i64,
    name: String,
    /// Whether the organization can be closed now.
    can_close: bool,
    /// What must be finished first, with the page to do it on.
    blockers: Vec<privacy::Blocker>,
}

/// Whether the caller's organization (which they own) can be closed now,
/// and what must be finished first.
#[utoipa::path(get, path = "/org/closure", tag = "organizations", security(("bearer" = [])),
    responses((status = 200, body = ClosureCheckView), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn closure_check(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<ClosureCheckView>, ApiError> {
    let (org, blockers) = privacy::closing(&state, &caller.user).await?;
    Ok(Json(ClosureCheckView {
        organization_id: org.id,
        name: org.name,
        can_close: blockers.is_empty(),
        blockers,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClosureBody {
    /// The organization's name, exactly, to confirm.
    #[schema(min_length = 1, max_length = 200)]
    name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ClosedView {
    organization_id: i64,
    name: String,
    closed_at: Option<DateTime<Utc>>,
}

/// Close the caller's organization (owners only). Irreversible: open
/// projects are cancelled and their applicants told, open applications,
/// invitations and offers closed, the talent list and every setting
/// deleted, and every member leaves. Refused (409 `closure_blocked`) while
/// `GET /org/closure` lists anything.
#[utoipa::path(post, path = "/org/closure", tag = "organizations", security(("bearer" = [])),
    request_body = ClosureBody,
    responses((status = 200, body = ClosedView), (status = 401, body = Problem), (status = 403, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn close_org(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<ClosureBody>,
) -> Result<Json<ClosedView>, ApiError> {
    let org = privacy::close_organization(&state, &caller.user, &body.name).await?;
    Ok(Json(ClosedView {
        organization_id: org.id,
        name: org.name,
        closed_at: org.closed_at,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeletionCheckView {
    /// Whether the account can be deleted now.
    can_delete: bool,
    /// What must be finished first, with the page to do it on.
    blockers: Vec<privacy::Blocker>,
}

/// Whether the caller's account can be deleted now, and what must be
/// finished first (open engagements, money not yet paid out, credit in
/// progress, organizations the caller is the only owner of).
#[utoipa::path(get, path = "/me/deletion", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = DeletionCheckView), (status = 401, body = Problem)))]
async fn deletion_check(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<DeletionCheckView>, ApiError> {
    let blockers = privacy::blockers(&state, &caller.user).await?;
    Ok(Json(DeletionCheckView {
        can_delete: blockers.is_empty(),
        blockers,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeletionBody {
    /// The caller's password, to confirm it is them. Accounts that sign in
    /// through their organization have none and delete from the page.
    #[schema(min_length = 1, max_length = 1024)]
    password: String,
}

/// Delete the caller's account. Irreversible: the name, email, profile,
/// texts and delivered files are erased; what others must keep (payments,
/// employers' records, a university's credit record) stays under the
/// pseudonym "Former student" or "Former member"; credentials are revoked;
/// every session and token ends. Refused (409 `deletion_blocked`) while
/// `GET /me/deletion` lists anything.
#[utoipa::path(post, path = "/me/deletion", tag = "me", security(("bearer" = [])),
    request_body = DeletionBody,
    responses((status = 200, body = DataRequestView), (status = 401, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn delete_me(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<DeletionBody>,
) -> Result<Json<DataRequestView>, ApiError> {
    let r = privacy::delete_account(
        &state,
        &caller.user,
        privacy::Confirmation::Password(&body.password),
    )
    .await?;
    Ok(Json(DataRequestView::new(r, state.clock.now())))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DataRequestView {
    id: i64,
    /// export | correction | deletion
    kind: String,
    /// open | preparing | ready | done | refused | expired | failed
    status: String,
    /// self | admin | cli: who made the request.
    channel: String,
    /// What the person asked for (corrections, deletions).
    detail: String,
    /// The answer given.
    answer: String,
    created_at: DateTime<Utc>,
    /// The latest date it must be answered by (30 days on).
    due_at: DateTime<Utc>,
    completed_at: Option<DateTime<Utc>>,
    /// Until when a ready download can be fetched.
    expires_at: Option<DateTime<Utc>>,
    /// The archive's size, once ready.
    archive_bytes: Option<i64>,
    /// Where to fetch the archive while it can be.
    archive_url: Option<String>,
}

impl DataRequestView {
    fn new(r: stint_store::DataRequest, now: DateTime<Utc>) -> Self {
        let ready = r.status == "ready" && r.expires_at.is_some_and(|t| t > now);
        DataRequestView {
            archive_url: ready.then(|| format!("/api/v1/me/data-exports/{}/archive", r.id)),
            id: r.id,
            kind: r.kind,
            status: r.status,
            channel: r.channel,
            detail: r.detail,
            answer: r.answer,
            created_at: r.created_at,
            due_at: r.due_at,
            completed_at: r.completed_at,
            expires_at: r.expires_at,
            archive_bytes: r.archive_bytes,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AdminDataRequestView {
    #[serde(flatten)]
    request: DataRequestView,
    /// The person's name and email when they asked.
    subject: String,
    user_id: Option<i64>,
    /// Still to answer after its deadline.
    overdue: bool,
}

/// The caller's requests about their data, newest first.
#[utoipa::path(get, path = "/me/data-requests", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = Vec<DataRequestView>), (status = 401, body = Problem)))]
async fn list_mine(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<DataRequestView>>, ApiError> {
    let now = state.clock.now();
    Ok(Json(
        privacy::requests(&state, &caller.user)
            .await?
            .into_iter()
            .map(|r| DataRequestView::new(r, now))
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DataRequestBody {
    /// `correction`: ask Stint's team to correct something the caller
    /// cannot change themselves. (Downloads: `POST /me/data-exports`.)
    #[schema(value_type = String, pattern = "^correction$")]
    kind: String,
    /// What is wrong and what it should say.
    #[schema(min_length = 10, max_length = 2000)]
    detail: String,
}

/// Ask Stint's team to correct data the caller cannot change themselves.
/// Answered within 30 days (`due_at`); the caller is notified (`data`).
#[utoipa::path(post, path = "/me/data-requests", tag = "me", security(("bearer" = [])),
    request_body = DataRequestBody,
    responses((status = 201, body = DataRequestView), (status = 401, body = Problem), (status = 422, body = Problem)))]
async fn ask(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(body): ApiJson<DataRequestBody>,
) -> Result<(StatusCode, Json<DataRequestView>), ApiError> {
    if body.kind != "correction" {
        return Err(crate::error::AppError::invalid(
            "kind",
            "Only correction requests are made here; ask for a download with POST /api/v1/me/data-exports.",
        )
        .into());
    }
    let r = privacy::request_correction(&state, &caller.user, &body.detail).await?;
    Ok((
        StatusCode::CREATED,
        Json(DataRequestView::new(r, state.clock.now())),
    ))
}

/// Ask for a download of everything Stint holds about the caller. It is
/// prepared in the background (`status` `preparing`, then `ready` with an
/// `archive_url` for 7 days); the caller is notified (`data`). Asking
/// again while one is being prepared answers that one.
#[utoipa::path(post, path = "/me/data-exports", tag = "me", security(("bearer" = [])),
    responses((status = 202, body = DataRequestView), (status = 401, body = Problem)))]
async fn request_export(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<(StatusCode, Json<DataRequestView>), ApiError> {
    let r = privacy::request_export(&state, &caller.user, "self").await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(DataRequestView::new(r, state.clock.now())),
    ))
}

/// The archive of a ready download of the caller's: a .zip with a JSON
/// file per kind of record, `index.json`, `README.txt` and the files the
/// caller delivered. 409 `export_not_ready` while it is prepared,
/// `export_expired` after 7 days.
#[utoipa::path(get, path = "/me/data-exports/{id}/archive", tag = "me", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/zip", body = Vec<u8>, description = "The archive"),
              (status = 401, body = Problem), (status = 404, body = Problem), (status = 409, body = Problem)))]
async fn archive(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Response, ApiError> {
    let (name, bytes) = privacy::download(&state, &caller.user, id).await?;
    Ok(crate::pages::download(bytes, "application/zip", &name).into_response())
}

/// Every data request, those to answer first by deadline (admins).
#[utoipa::path(get, path = "/admin/data-requests", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<AdminDataRequestView>), (status = 401, body = Problem), (status = 403, body = Problem)))]
async fn list_all(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<AdminDataRequestView>>, ApiError> {
    require_admin(&caller.user)?;
    let now = state.clock.now();
    Ok(Json(
        state
            .store
            .all_data_requests(500)
            .await?
            .into_iter()
            .map(|r| AdminDataRequestView {
                subject: r.subject.clone(),
                user_id: r.user_id,
                overdue: matches!(r.status.as_str(), "open" | "preparing") && r.due_at < now,
                request: DataRequestView::new(r, now),
            })
            .collect(),
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    /// done | refused
    #[schema(value_type = String, pattern = "^(done|refused)$")]
    status: String,
    /// What the person reads; required to refuse.
    #[schema(max_length = 2000)]
    #[serde(default)]
    answer: String,
}

/// Answer an open correction or deletion request (admins); the person is
/// notified. 409 `already_answered`, `not_answerable` (downloads).
#[utoipa::path(post, path = "/admin/data-requests/{id}/answer", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = AnswerBody,
    responses((status = 200, body = DataRequestView), (status = 401, body = Problem), (status = 403, body = Problem),
              (status = 404, body = Problem), (status = 409, body = Problem), (status = 422, body = Problem)))]
async fn answer(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(body): ApiJson<AnswerBody>,
) -> Result<Json<DataRequestView>, ApiError> {
    let r = privacy::answer(&state, &caller.user, id, &body.status, &body.answer).await?;
    Ok(Json(DataRequestView::new(r, state.clock.now())))
}
