//! `/me/searches`: a student's saved searches, saving one from the search
//! page, and deleting one.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use stint_domain::search::SearchParams;

use super::{NoticeQuery, PageError, render};
use crate::AppState;
use crate::app::saved_searches as saved;
use crate::auth::PageUser;
use crate::form::{HtmlForm, PageId};
use crate::view::{Layout, date};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/searches", get(list).post(save))
        .route("/me/searches/{id}/delete", post(delete))
}

struct Row {
    id: i64,
    name: String,
    describe: String,
    link: String,
    frequency: &'static str,
    since: String,
}

#[derive(Template)]
#[template(path = "student/searches.html")]
struct SearchesPage {
    layout: Layout,
    rows: Vec<Row>,
    max: i64,
}

async fn list(
    State(state): State<AppState>,
    user: PageUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let mut layout = Layout::new("Saved searches", Some(user.user()), state.config.demo)
        .with_notice(n.notice.as_deref());
    layout.noindex = true;
    let list = saved::list(&state, user.user())
        .await
        .map_err(|e| PageError(e, layout.clone()))?;
    Ok(render(&SearchesPage {
        rows: list
            .iter()
            .map(|s| Row {
                id: s.id,
                name: s.name.clone(),
                describe: saved::params_of(s).describe(),
                link: format!("/projects?{}", s.params),
                frequency: if s.frequency == "daily" {
                    "Daily digest"
                } else {
                    "Instant alerts"
                },
                since: date(&s.created_at.date_naive()),
            })
            .collect(),
        max: saved::MAX_SAVED,
        layout,
    }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SaveForm {
    name: String,
    frequency: String,
    q: String,
    category: String,
    skill: String,
    mode: String,
    location: String,
    currency: String,
    min_price: String,
    max_hours: String,
    max_days: String,
    for_credit: String,
    sort: String,
}

async fn save(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<SaveForm>,
) -> Result<Response, PageError> {
    let params = SearchParams {
        q: f.q,
        category: f.category,
        skill: f.skill,
        mode: f.mode,
        location: f.location,
        currency: f.currency,
        min_price: f.min_price,
        max_hours: f.max_hours,
        max_days: f.max_days,
        for_credit: f.for_credit,
        sort: f.sort,
        ..Default::default()
    };
    saved::save(&state, user.user(), &params, &f.name, &f.frequency)
        .await
        .map_err(|e| {
            PageError(
                e,
                Layout::new("Saved searches", Some(user.user()), state.config.demo),
            )
        })?;
    Ok(Redirect::to("/me/searches?notice=search_saved").into_response())
}

async fn delete(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    saved::delete(&state, user.user(), id).await.map_err(|e| {
        PageError(
            e,
            Layout::new("Saved searches", Some(user.user()), state.config.demo),
        )
    })?;
    Ok(Redirect::to("/me/searches?notice=search_deleted").into_response())
}
