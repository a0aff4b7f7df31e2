//! What admins watch besides verification and payments: the recipients that
//! timed jobs (alerts, closing notices) could not serve.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ApiError;
use crate::AppState;
use crate::app::jobs;
use crate::auth::ApiUser;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(job_failures))
}

/// One recipient a job went past after failing to serve it.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobFailureView {
    id: i64,
    /// The job: `match_alerts`, `close_undecided`, …
    job_kind: String,
    /// The job's subject, such as the project published.
    subject_id: i64,
    /// Who or what was not served: `student 42`, `saved search 7 of student 42`.
    item: String,
    error: String,
    created_at: chrono::DateTime<chrono::Utc>,
}

/// The newest 200 recipients that jobs could not serve (admins). A job that
/// works through many people records each failure here and goes on.
#[utoipa::path(get, path = "/admin/job-failures", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<JobFailureView>), (status = 401, body = super::Problem), (status = 403, body = super::Problem)))]
async fn job_failures(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<JobFailureView>>, ApiError> {
    let list = jobs::failures(&state, &caller.user, 200).await?;
    Ok(Json(
        list.into_iter()
            .map(|f| JobFailureView {
                id: f.id,
                job_kind: f.job_kind,
                subject_id: f.subject_id,
                item: f.item,
                error: f.error,
                created_at: f.created_at,
            })
            .collect(),
    ))
}
