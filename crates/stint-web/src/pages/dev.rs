//! The demo mailbox (demo mode only) and the browsable API docs page, which
//! is rendered from the same OpenAPI document the API serves.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use utoipa::openapi::path::Operation;

use super::{PageError, render};
use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::AppError;
use crate::view::Layout;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dev/outbox", get(outbox))
        .route("/api/docs", get(api_docs))
}

struct Mail {
    to: String,
    subject: String,
    body: String,
    when: String,
    links: Vec<String>,
}

#[derive(Template)]
#[template(path = "dev/outbox.html")]
struct OutboxPage {
    layout: Layout,
    mails: Vec<Mail>,
}

/// Only in demo mode: a real deployment never shows mail to anyone.
async fn outbox(State(state): State<AppState>, user: MaybeUser) -> Result<Response, PageError> {
    let mut layout = Layout::new("Demo mailbox", user.user(), state.config.demo);
    layout.noindex = true;
    if !state.config.demo {
        return Err(PageError(AppError::NotFound, layout));
    }
    let mails = state
        .store
        .recent_email(50)
        .await
        .map_err(|e| PageError(e.into(), layout.clone()))?;
    let base = state.config.base_url.clone();
    Ok(render(&OutboxPage {
        mails: mails
            .into_iter()
            .map(|m| Mail {
                links: m
                    .body
                    .split_whitespace()
                    .filter(|w| w.starts_with(&base))
                    .map(|w| w.trim_start_matches(&base).to_string())
                    .collect(),
                to: m.to_addr,
                subject: m.subject,
                body: m.body,
                when: m.created_at.format("%-d %b %Y %H:%M UTC").to_string(),
            })
            .collect(),
        layout,
    }))
}

struct Op {
    method: &'static str,
    path: String,
    summary: String,
    auth: bool,
    responses: String,
}

struct Group {
    tag: String,
    ops: Vec<Op>,
}

#[derive(Template)]
#[template(path = "api/docs.html")]
struct DocsPage {
    layout: Layout,
    description: String,
    groups: Vec<Group>,
}

async fn api_docs(State(state): State<AppState>, user: MaybeUser) -> Response {
    let doc = state.openapi_doc();
    let mut groups: Vec<Group> = Vec::new();
    for (path, item) in &doc.paths.paths {
        let ops: [(&'static str, &Option<Operation>); 5] = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("PATCH", &item.patch),
            ("DELETE", &item.delete),
        ];
        for (method, op) in ops {
            let Some(op) = op else { continue };
            let tag = op
                .tags
                .as_ref()
                .and_then(|t| t.first().cloned())
                .unwrap_or_else(|| "other".into());
            let entry = Op {
                method,
                path: path.clone(),
                summary: op
                    .summary
                    .clone()
                    .or_else(|| op.description.clone())
                    .unwrap_or_default(),
                auth: op.security.as_ref().is_some_and(|s| !s.is_empty()),
                responses: op
                    .responses
                    .responses
                    .keys()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            match groups.iter_mut().find(|g| g.tag == tag) {
                Some(g) => g.ops.push(entry),
                None => groups.push(Group {
                    tag,
                    ops: vec![entry],
                }),
            }
        }
    }
    render(&DocsPage {
        layout: Layout::new("API", user.user(), state.config.demo),
        description: doc.info.description.clone().unwrap_or_default(),
        groups,
    })
}
