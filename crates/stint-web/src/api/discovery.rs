//! Discovery over the API: a student's matches with reasons, hiding one,
//! the match for one project, and comparing two to four projects.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use stint_store::Candidate;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::applications::ReasonView;
use super::{ApiError, ApiId};
use crate::AppState;
use crate::app::matching;
use crate::auth::ApiUser;
use crate::error::AppError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(matches))
        .routes(routes!(hide))
        .routes(routes!(unhide))
        .routes(routes!(project_match))
        .routes(routes!(compare))
        .routes(routes!(searches, save_search))
        .routes(routes!(delete_search))
        .routes(routes!(facets))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CountView {
    value: String,
    count: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FacetsView {
    total: i64,
    /// Per category slug, largest first.
    category: Vec<CountView>,
    /// Per work mode.
    mode: Vec<CountView>,
    /// Cumulative: projects paying at least this many US dollars (pass as `min_price` without `currency`).
    min_price: Vec<CountView>,
    /// Cumulative: projects of at most this many hours (pass as `max_hours`).
    max_hours: Vec<CountView>,
    for_credit: i64,
}

/// Counts per facet value for a search (the same parameters as `GET /projects`).
#[utoipa::path(get, path = "/projects/facets", tag = "discovery", params(super::views::SearchQuery),
    responses((status = 200, body = FacetsView), (status = 422, body = super::Problem)))]
async fn facets(
    State(state): State<AppState>,
    super::ApiQuery(q): super::ApiQuery<super::views::SearchQuery>,
) -> Result<Json<FacetsView>, ApiError> {
    let query = q.to_params().parse()?;
    let f = state.store.search_facets(&query).await?;
    let counts = |v: &[(String, i64)]| {
        v.iter()
            .map(|(value, count)| CountView {
                value: value.clone(),
                count: *count,
            })
            .collect()
    };
    let bands = |v: &[(i64, i64)]| {
        v.iter()
            .map(|(value, count)| CountView {
                value: value.to_string(),
                count: *count,
            })
            .collect()
    };
    Ok(Json(FacetsView {
        total: f.total,
        category: counts(&f.categories),
        mode: counts(&f.modes),
        min_price: bands(&f.price_from_usd),
        max_hours: bands(&f.hours_up_to),
        for_credit: f.for_credit,
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SavedSearchView {
    id: i64,
    name: String,
    /// The search as the query string of `GET /api/v1/projects`.
    params: String,
    /// The search in words.
    description: String,
    /// instant | daily
    frequency: String,
    created_at: chrono::DateTime<chrono::Utc>,
}

impl From<&stint_store::SavedSearch> for SavedSearchView {
    fn from(s: &stint_store::SavedSearch) -> Self {
        SavedSearchView {
            id: s.id,
            name: s.name.clone(),
            params: s.params.clone(),
            description: crate::app::saved_searches::params_of(s).describe(),
            frequency: s.frequency.clone(),
            created_at: s.created_at,
        }
    }
}

#[derive(Debug, Default, serde::Deserialize, ToSchema)]
#[serde(default)]
pub struct SaveSearchRequest {
    /// Optional; the search in words when left out (at most 80 characters).
    #[schema(max_length = 80)]
    name: String,
    /// instant (default) | daily
    #[schema(value_type = Option<Frequency>)]
    frequency: String,
    /// The same parameters as `GET /api/v1/projects`.
    #[serde(flatten)]
    search: super::views::SearchQuery,
}

/// The caller's saved searches (students).
#[utoipa::path(get, path = "/me/searches", tag = "discovery", security(("bearer" = [])),
    responses((status = 200, body = Vec<SavedSearchView>), (status = 401, body = super::Problem), (status = 403, body = super::Problem)))]
async fn searches(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Vec<SavedSearchView>>, ApiError> {
    let list = crate::app::saved_searches::list(&state, &caller.user).await?;
    Ok(Json(list.iter().map(SavedSearchView::from).collect()))
}

/// Save a search; new matching projects alert at once or in a daily digest (students, at most 10).
#[utoipa::path(post, path = "/me/searches", tag = "discovery", security(("bearer" = [])),
    request_body = SaveSearchRequest,
    responses((status = 201, body = SavedSearchView), (status = 401, body = super::Problem), (status = 403, body = super::Problem),
              (status = 409, body = super::Problem, description = "saved_search_limit"), (status = 422, body = super::Problem)))]
async fn save_search(
    State(state): State<AppState>,
    caller: ApiUser,
    super::ApiJson(r): super::ApiJson<SaveSearchRequest>,
) -> Result<(StatusCode, Json<SavedSearchView>), ApiError> {
    let s = crate::app::saved_searches::save(
        &state,
        &caller.user,
        &r.search.to_params(),
        &r.name,
        &r.frequency,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(SavedSearchView::from(&s))))
}

/// Delete one of the caller's saved searches.
#[utoipa::path(delete, path = "/me/searches/{id}", tag = "discovery", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = super::Problem), (status = 403, body = super::Problem), (status = 404, body = super::Problem)))]
async fn delete_search(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<StatusCode, ApiError> {
    crate::app::saved_searches::delete(&state, &caller.user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MatchView {
    /// 0–100: the sum of the reasons' points.
    score: u8,
    reasons: Vec<ReasonView>,
    /// The project's category is one the student has not tried.
    new_field: bool,
}

impl From<&stint_domain::matching::Match> for MatchView {
    fn from(m: &stint_domain::matching::Match) -> Self {
        MatchView {
            score: m.score,
            reasons: m.reasons.iter().map(ReasonView::from).collect(),
            new_field: m.new_field,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SuggestedProject {
    id: i64,
    title: String,
    summary: String,
    org_name: String,
    org_slug: String,
    category: String,
    required_skills: Vec<String>,
    estimated_hours: u16,
    price_minor: i64,
    currency: String,
    work_mode: String,
    location: Option<String>,
    application_deadline: chrono::NaiveDate,
    start_date: chrono::NaiveDate,
    due_date: chrono::NaiveDate,
}

impl From<&Candidate> for SuggestedProject {
    fn from(c: &Candidate) -> Self {
        SuggestedProject {
            id: c.id,
            title: c.title.clone(),
            summary: c.summary.clone(),
            org_name: c.org_name.clone(),
            org_slug: c.org_slug.clone(),
            category: c.category.clone(),
            required_skills: c.required_skills.clone(),
            estimated_hours: c.estimated_hours,
            price_minor: c.price.minor,
            currency: c.price.currency.code().into(),
            work_mode: c.work_mode.as_str().into(),
            location: c.location.clone(),
            application_deadline: c.application_deadline,
            start_date: c.start_date,
            due_date: c.due_date,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Suggestion {
    project: SuggestedProject,
    #[serde(rename = "match")]
    m: MatchView,
    /// Picked to widen the student's range: a field they have not tried.
    exploration: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldHistory {
    slug: String,
    applied: i64,
    hired: i64,
    completed: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Matches {
    /// At most five, best first.
    suggestions: Vec<Suggestion>,
    /// Categories the student has applied to, been hired in, completed.
    categories: Vec<FieldHistory>,
    /// Required skills of the projects applied to.
    skills: Vec<FieldHistory>,
}

fn history(t: &stint_store::Tried) -> FieldHistory {
    FieldHistory {
        slug: t.slug.clone(),
        applied: t.applied,
        hired: t.hired,
        completed: t.completed,
    }
}

/// The caller's best open projects now, with reasons (students).
#[utoipa::path(get, path = "/me/matches", tag = "discovery", security(("bearer" = [])),
    responses((status = 200, body = Matches), (status = 401, body = super::Problem), (status = 403, body = super::Problem)))]
async fn matches(
    State(state): State<AppState>,
    caller: ApiUser,
) -> Result<Json<Matches>, ApiError> {
    let s = matching::suggestions(&state, &caller.user).await?;
    Ok(Json(Matches {
        suggestions: s
            .top
            .iter()
            .map(|x| Suggestion {
                project: SuggestedProject::from(&x.project),
                m: MatchView::from(&x.m),
                exploration: x.exploration,
            })
            .collect(),
        categories: s.categories.iter().map(history).collect(),
        skills: s.skills.iter().map(history).collect(),
    }))
}

/// "Not interested": the project leaves the caller's matches (students).
#[utoipa::path(post, path = "/me/matches/{id}/hide", tag = "discovery", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = super::Problem), (status = 403, body = super::Problem), (status = 404, body = super::Problem)))]
async fn hide(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<StatusCode, ApiError> {
    matching::hide(&state, &caller.user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Undo "not interested" (students).
#[utoipa::path(post, path = "/me/matches/{id}/unhide", tag = "discovery", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 204), (status = 401, body = super::Problem), (status = 403, body = super::Problem)))]
async fn unhide(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<StatusCode, ApiError> {
    matching::unhide(&state, &caller.user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How well one project matches the caller, and why (students).
#[utoipa::path(get, path = "/projects/{id}/match", tag = "discovery", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = MatchView), (status = 401, body = super::Problem), (status = 403, body = super::Problem), (status = 404, body = super::Problem)))]
async fn project_match(
    State(state): State<AppState>,
    caller: ApiUser,
    ApiId(id): ApiId,
) -> Result<Json<MatchView>, ApiError> {
    crate::auth::authz::require_role(&caller.user, stint_domain::account::Role::Student)?;
    let p = crate::app::projects::get(&state, Some(&caller.user), id).await?;
    let m = matching::explain(&state, Some(&caller.user), &p)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(MatchView::from(&m)))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ComparedView {
    project: SuggestedProject,
    /// The effective hourly rate, in minor units.
    hourly_minor: i64,
    /// For a student caller.
    #[serde(rename = "match")]
    m: Option<MatchView>,
    /// The employer's record in words (answered share, decision speed, approvals, ratings).
    employer_record: Vec<String>,
    /// Students' average ratings of the employer (brief, support, payment) in tenths of a star.
    employer_ratings: Option<[u32; 3]>,
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareParams {
    /// Two to four project ids, comma-separated: `ids=12,40,7`.
    ids: String,
}

/// Two to four projects side by side, with the caller's match when a student.
#[utoipa::path(get, path = "/projects/compare", tag = "discovery", params(CompareParams),
    responses((status = 200, body = Vec<ComparedView>), (status = 404, body = super::Problem), (status = 422, body = super::Problem)))]
async fn compare(
    State(state): State<AppState>,
    caller: Option<ApiUser>,
    super::ApiQuery(q): super::ApiQuery<CompareParams>,
) -> Result<Json<Vec<ComparedView>>, ApiError> {
    let mut ids = Vec::new();
    for raw in q.ids.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        ids.push(
            raw.parse::<i64>()
                .map_err(|_| AppError::invalid("ids", format!("'{raw}' is not a project id.")))?,
        );
    }
    let list = matching::compare(&state, caller.as_ref().map(|c| &c.user), &ids).await?;
    Ok(Json(
        list.iter()
            .map(|c| ComparedView {
                project: SuggestedProject::from(&c.project),
                hourly_minor: c.project.price.per_hour(c.project.estimated_hours).minor,
                m: c.m.as_ref().map(MatchView::from),
                employer_record: c.record.clone(),
                employer_ratings: c.ratings,
            })
            .collect(),
    ))
}

/// How often a saved search alerts.
#[derive(utoipa::ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
enum Frequency {
    Instant,
    Daily,
}
