//! The shared vocabulary: categories and skills, with the slugs every
//! other operation takes and the names people read.

use axum::Json;
use serde::{Deserialize, Serialize};
use stint_domain::taxonomy::{CATEGORIES, SKILLS, category};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::ApiError;
use crate::AppState;
use crate::error::AppError;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(categories))
        .routes(routes!(skills))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryView {
    #[schema(value_type = super::doc::CategorySlug)]
    slug: &'static str,
    name: &'static str,
    /// How many skills belong to it.
    skill_count: usize,
}

/// Every category of work, in the order pages show them.
#[utoipa::path(get, path = "/categories", tag = "taxonomy", responses((status = 200, body = Vec<CategoryView>)))]
async fn categories() -> Json<Vec<CategoryView>> {
    Json(
        CATEGORIES
            .iter()
            .map(|c| CategoryView {
                slug: c.slug,
                name: c.name,
                skill_count: SKILLS.iter().filter(|s| s.category == c.slug).count(),
            })
            .collect(),
    )
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SkillView {
    #[schema(value_type = super::doc::SkillSlug)]
    slug: &'static str,
    name: &'static str,
    /// The category it belongs to.
    #[schema(value_type = super::doc::CategorySlug)]
    category: &'static str,
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct SkillsQuery {
    /// Only the skills of this category.
    #[param(value_type = Option<super::doc::CategorySlug>)]
    category: Option<String>,
}

/// Every skill, grouped by category, or one category's skills.
#[utoipa::path(get, path = "/skills", tag = "taxonomy", params(SkillsQuery),
    responses((status = 200, body = Vec<SkillView>), (status = 422, body = super::Problem)))]
async fn skills(
    super::ApiQuery(q): super::ApiQuery<SkillsQuery>,
) -> Result<Json<Vec<SkillView>>, ApiError> {
    let only = match q.category.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(c) => Some(
            category(c)
                .ok_or_else(|| {
                    AppError::invalid(
                        "category",
                        "Unknown category; GET /api/v1/categories lists them.",
                    )
                })?
                .slug,
        ),
    };
    Ok(Json(
        CATEGORIES
            .iter()
            .flat_map(|c| SKILLS.iter().filter(move |s| s.category == c.slug))
            .filter(|s| only.is_none_or(|c| s.category == c))
            .map(|s| SkillView {
                slug: s.slug,
                name: s.name,
                category: s.category,
            })
            .collect(),
    ))
}
