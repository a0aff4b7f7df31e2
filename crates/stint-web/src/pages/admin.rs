//! Admin pages: the organization verification queue.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::{NoticeQuery, PageError, render};
use crate::AppState;
use crate::app::orgs;
use crate::auth::PageUser;
use crate::auth::authz::require_admin;
use crate::form::PageId;
use crate::view::{Layout, date};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/verifications", get(queue))
        .route("/admin/organizations/{id}/verify", post(verify))
}

struct OrgRow {
    id: i64,
    name: String,
    kind: &'static str,
    country: String,
    website: Option<String>,
    description: String,
    since: String,
}

#[derive(Template)]
#[template(path = "admin/verifications.html")]
struct QueuePage {
    layout: Layout,
    orgs: Vec<OrgRow>,
}

async fn queue(
    State(state): State<AppState>,
    user: PageUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let mut layout = Layout::new("Verification queue", Some(user.user()), state.config.demo)
        .with_notice(n.notice.as_deref());
    layout.noindex = true;
    require_admin(user.user()).map_err(|e| PageError(e, layout.clone()))?;
    let orgs = state
        .store
        .unverified_orgs()
        .await
        .map_err(|e| PageError(e.into(), layout.clone()))?;
    Ok(render(&QueuePage {
        orgs: orgs
            .into_iter()
            .map(|o| OrgRow {
                id: o.id,
                kind: o.kind.as_str(),
                since: date(&o.created_at.date_naive()),
                name: o.name,
                country: o.country,
                website: o.website,
                description: o.description,
            })
            .collect(),
        layout,
    }))
}

async fn verify(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let layout = Layout::new("Verification queue", Some(user.user()), state.config.demo);
    orgs::verify(&state, user.user(), id)
        .await
        .map_err(|e| PageError(e, layout))?;
    Ok(Redirect::to("/admin/verifications?notice=org_verified").into_response())
}
