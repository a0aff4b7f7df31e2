//! Achievements and portfolios.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use stint_domain::achievement::AchievementForm;
use stint_store::Achievement;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{ApiError, ApiId, ApiJson};
use crate::AppState;
use crate::app::achievements as ach;
use crate::auth::ApiUser;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(mine))
        .routes(routes!(edit))
        .routes(routes!(confirm))
        .routes(routes!(portfolio))
        .routes(routes!(visibility))
        .routes(routes!(resume))
        .routes(routes!(resume_pdf))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OutcomeView {
    /// "500"
    value: String,
    /// "survey responses analysed"
    metric: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AchievementView {
    id: i64,
    engagement_id: i64,
    title: String,
    organization: String,
    summary: String,
    outcomes: Vec<OutcomeView>,
    skills: Vec<String>,
    hours: i32,
    completed_on: chrono::NaiveDate,
    /// The employer confirmed the outcomes.
    verified: bool,
}

impl From<&Achievement> for AchievementView {
    fn from(a: &Achievement) -> Self {
        AchievementView {
            id: a.id,
            engagement_id: a.engagement_id,
            title: a.title.clone(),
            organization: a.org_name.clone(),
            summary: a.summary.clone(),
            outcomes: a
                .outcomes
                .iter()
                .map(|o| OutcomeView {
                    value: o.value.clone(),
                    metric: o.metric.clone(),
                })
                .collect(),
            skills: a.skills.clone(),
            hours: a.hours,
            completed_on: a.completed_on,
            verified: a.confirmed,
        }
    }
}

/// The caller's achievements, confirmed or not (students).
#[utoipa::path(get, path = "/me/achievements", tag = "portfolio", security(("bearer" = [])),
    responses((status = 200, body = Vec<AchievementView>), (status = 401, body = super::Problem), (status = 403, body = super::Problem)))]
async fn mine(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<AchievementView>>, ApiError> {
    Ok(Json(
        ach::mine(&state, &caller.user)
            .await?
            .iter()
            .map(AchievementView::from)
            .collect(),
    ))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(default)]
pub struct AchievementRequest {
    #[schema(required = true, min_length = 10, max_length = 600)]
    summary: String,
    /// Quantified outcomes, each with a number: "500 survey responses analysed" (3–100 characters each).
    #[schema(max_items = 8)]
    outcomes: Vec<String>,
}

/// Describe an achievement's outcomes (its student). Editing clears the employer's confirmation.
#[utoipa::path(put, path = "/achievements/{id}", tag = "portfolio", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = AchievementRequest,
    responses((status = 200, body = AchievementView), (status = 401, body = super::Problem), (status = 404, body = super::Problem),
              (status = 422, body = super::Problem)))]
async fn edit(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
    ApiJson(r): ApiJson<AchievementRequest>,
) -> Result<Json<AchievementView>, ApiError> {
    let form = AchievementForm {
        summary: r.summary,
        outcomes: r.outcomes.join("\n"),
    };
    Ok(Json(AchievementView::from(
        &ach::edit(&state, &caller.user, id, &form).await?,
    )))
}

/// Confirm the outcomes (employer members); the achievement shows as verified.
#[utoipa::path(post, path = "/achievements/{id}/confirm", tag = "portfolio", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = AchievementView), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 404, body = super::Problem), (status = 409, body = super::Problem)))]
async fn confirm(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<AchievementView>, ApiError> {
    Ok(Json(AchievementView::from(
        &ach::confirm(&state, &caller.user, id).await?,
    )))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecommendationView {
    author: String,
    text: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PortfolioView {
    student_id: i64,
    name: String,
    headline: Option<String>,
    /// Verified achievements only.
    achievements: Vec<AchievementView>,
    /// Average employer ratings (quality, communication, timeliness), 1.0–5.0.
    ratings: Option<[f32; 3]>,
    review_count: usize,
    recommendations: Vec<RecommendationView>,
}

/// A student's public portfolio (404 unless they made it public).
#[utoipa::path(get, path = "/students/{id}/portfolio", tag = "portfolio", params(("id" = i64, Path)),
    responses((status = 200, body = PortfolioView), (status = 404, body = super::Problem)))]
async fn portfolio(
    State(state): State<AppState>,
    caller: Option<ApiUser>,
    ApiId(id): ApiId,
) -> Result<Json<PortfolioView>, ApiError> {
    let p = ach::portfolio(&state, caller.as_ref().map(|c| &c.user), id).await?;
    Ok(Json(PortfolioView {
        student_id: p.student_id,
        name: p.name,
        headline: p.headline,
        achievements: p.achievements.iter().map(AchievementView::from).collect(),
        ratings: p.ratings.map(|r| r.map(|v| v as f32 / 10.0)),
        review_count: p.review_count,
        recommendations: p
            .recommendations
            .into_iter()
            .map(|r| RecommendationView {
                author: r.author,
                text: r.text,
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct VisibilityRequest {
    public: bool,
}

/// Make the caller's portfolio public, or private again (students).
#[utoipa::path(put, path = "/me/portfolio", tag = "portfolio", security(("bearer" = [])), request_body = VisibilityRequest,
    responses((status = 204), (status = 401, body = super::Problem), (status = 403, body = super::Problem)))]
async fn visibility(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiJson(r): ApiJson<VisibilityRequest>,
) -> Result<StatusCode, ApiError> {
    ach::set_public(&state, &caller.user, r.public).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's résumé in the JSON Resume format (schema v1.0.0): profile,
/// verified projects as work with the confirmed outcomes as highlights, and
/// credentials as certificates (students).
#[utoipa::path(get, path = "/me/resume", tag = "portfolio", security(("bearer" = [])),
    responses((status = 200, body = Object), (status = 401, body = super::Problem), (status = 403, body = super::Problem)))]
async fn resume(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<serde_json::Value>, ApiError> {
    Ok(Json(
        crate::app::exports::resume(&state, &caller.user).await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct PaperQuery {
    /// `a4` or `letter`; without it, Letter in the United States and Canada, A4 elsewhere.
    paper: Option<String>,
    /// `resume` (one or two pages, the default) or `portfolio` (every
    /// verified project in full).
    document: Option<String>,
}

/// The caller's résumé or portfolio document as a PDF (students), with the content of `/me/resume`.
#[utoipa::path(get, path = "/me/resume/pdf", tag = "portfolio", security(("bearer" = [])), params(PaperQuery),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>, description = "The résumé"),
              (status = 401, body = super::Problem), (status = 403, body = super::Problem), (status = 422, body = super::Problem)))]
async fn resume_pdf(
    State(state): State<AppState>,
    caller: ApiUser,
    super::ApiQuery(q): super::ApiQuery<PaperQuery>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let paper = match q.paper.as_deref() {
        None => None,
        Some("a4") => Some(stint_pdf::Paper::A4),
        Some("letter") => Some(stint_pdf::Paper::Letter),
        Some(_) => {
            let mut e = stint_domain::FieldErrors::new();
            e.add("paper", "Choose a4 or letter.");
            return Err(e.into());
        }
    };
    let kind = match q.document.as_deref() {
        None | Some("resume") => crate::app::exports::Printed::Resume,
        Some("portfolio") => crate::app::exports::Printed::Portfolio,
        Some(_) => {
            let mut e = stint_domain::FieldErrors::new();
            e.add("document", "Choose resume or portfolio.");
            return Err(e.into());
        }
    };
    let bytes = crate::app::exports::resume_pdf(&state, &caller.user, kind, paper).await?;
    let mut res = bytes.into_response();
    res.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/pdf"),
    );
    Ok(res)
}
