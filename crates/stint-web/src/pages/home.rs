//! The home page.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use stint_domain::search::SearchParams;

use super::projects::CardView;
use super::{NoticeQuery, PageError, render};
use crate::AppState;
use crate::auth::MaybeUser;
use crate::view::Layout;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    latest: Vec<CardView>,
    open_count: String,
    /// For a signed-in student.
    mine: Option<ForYou>,
}

struct Suggested {
    id: i64,
    title: String,
    org_name: String,
    facts: String,
    m: super::discovery::MatchView,
    exploration: bool,
}

/// A row of the student's record by field: (name, applied, hired, completed).
type FieldRow = (String, i64, i64, i64);

struct ForYou {
    top: Vec<Suggested>,
    categories: Vec<FieldRow>,
    skills: Vec<FieldRow>,
    profile_empty: bool,
}

async fn for_you(
    state: &AppState,
    user: &stint_store::User,
) -> Result<ForYou, crate::error::AppError> {
    let s = crate::app::matching::suggestions(state, user).await?;
    let row =
        |t: &stint_store::Tried, name: &str| (name.to_string(), t.applied, t.hired, t.completed);
    Ok(ForYou {
        top: s
            .top
            .iter()
            .map(|x| {
                let p = &x.project;
                Suggested {
                    id: p.id,
                    title: p.title.clone(),
                    org_name: p.org_name.clone(),
                    facts: format!(
                        "{} · {} hours · {} · apply by {}",
                        p.price,
                        p.estimated_hours,
                        p.work_mode.label(),
                        crate::view::date(&p.application_deadline)
                    ),
                    m: super::discovery::MatchView::from(&x.m),
                    exploration: x.exploration,
                }
            })
            .collect(),
        categories: s
            .categories
            .iter()
            .map(|t| row(t, stint_domain::taxonomy::category_name(&t.slug)))
            .collect(),
        skills: s
            .skills
            .iter()
            .map(|t| row(t, stint_domain::taxonomy::skill_name(&t.slug)))
            .collect(),
        profile_empty: s.profile_empty,
    })
}

async fn home(
    State(state): State<AppState>,
    user: MaybeUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let layout = Layout::new("Paid micro-internships", user.user(), state.config.demo)
        .with_notice(n.notice.as_deref());
    let params = SearchParams {
        sort: "newest".into(),
        limit: "6".into(),
        ..Default::default()
    };
    let page = crate::app::projects::search(&state, None, &params)
        .await
        .map_err(|e| PageError(e, layout.clone()))?
        .page;
    let mine = match user.user() {
        Some(u) if u.role == stint_domain::account::Role::Student => Some(
            for_you(&state, u)
                .await
                .map_err(|e| PageError(e, layout.clone()))?,
        ),
        _ => None,
    };
    Ok(render(&HomePage {
        mine,
        latest: page.items.iter().map(CardView::from).collect(),
        open_count: if page.total_capped {
            format!("{}+", page.total)
        } else {
            page.total.to_string()
        },
        layout,
    }))
}
