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
    open_count: i64,
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
    let page = crate::app::projects::search(&state, &params)
        .await
        .map_err(|e| PageError(e, layout.clone()))?;
    Ok(render(&HomePage {
        latest: page.items.iter().map(CardView::from).collect(),
        open_count: page.total,
        layout,
    }))
}
