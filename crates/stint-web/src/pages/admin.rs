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

/// The newest messages of a disputed engagement shown to the admin.
const DISPUTE_THREAD: i64 = 200;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/verifications", get(queue))
        .route(
            "/admin/organizations/{id}/verify",
            get(verify_page).post(verify),
        )
        .route("/admin/disputes", get(disputes))
        .route("/admin/engagements/{id}/resolve", post(resolve))
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
        .with_notice(n.notice.as_deref())
        .at("/admin/verifications");
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

/// Verifying lets an organization publish and take students' work (and
/// money): the page says so and shows what to check first.
async fn verify_page(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let mut layout = Layout::new(
        "Verify an organization",
        Some(user.user()),
        state.config.demo,
    );
    layout.noindex = true;
    let err = |e: crate::error::AppError| PageError(e, layout.clone());
    require_admin(user.user()).map_err(err)?;
    let o = state.store.org(id).await.map_err(|e| err(e.into()))?;
    if o.verified {
        return Ok(Redirect::to("/admin/verifications?notice=org_verified").into_response());
    }
    Ok(super::money::confirm(super::money::ConfirmPage {
        heading: format!("Verify {}?", o.name),
        lead: format!(
            "{} · {} · {}",
            o.kind.as_str(),
            o.country,
            o.website.as_deref().unwrap_or("no website given")
        ),
        rows: Vec::new(),
        total: None,
        then: vec![
            "Its projects can go live at once, and students will apply and work for it.".into(),
            "Its members are emailed that the organization is verified.".into(),
            "Check first that the website is real and matches the name and description.".into(),
        ],
        action: format!("/admin/organizations/{id}/verify"),
        hidden: Vec::new(),
        reason: None,
        errors: stint_domain::FieldErrors::default(),
        button: format!("Verify {}", o.name),
        danger: false,
        back: "/admin/verifications".into(),
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

struct Dispute {
    id: i64,
    title: String,
    price: String,
    student: String,
    org: String,
    messages: Vec<(String, String)>,
    submissions: Vec<String>,
}

#[derive(Template)]
#[template(path = "admin/disputes.html")]
struct DisputesPage {
    layout: Layout,
    items: Vec<Dispute>,
}

async fn disputes(
    State(state): State<AppState>,
    user: PageUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let mut layout = Layout::new("Disputes", Some(user.user()), state.config.demo)
        .with_notice(n.notice.as_deref())
        .at("/admin/disputes");
    layout.noindex = true;
    let err = |e: crate::error::AppError| PageError(e, layout.clone());
    require_admin(user.user()).map_err(err)?;
    let mut items = Vec::new();
    for (e, title) in state
        .store
        .disputed_engagements()
        .await
        .map_err(|e| err(e.into()))?
    {
        items.push(Dispute {
            id: e.id,
            title,
            price: e.price.to_string(),
            student: state
                .store
                .user(e.student_id)
                .await
                .map_err(|x| err(x.into()))?
                .name,
            org: state
                .store
                .org(e.org_id)
                .await
                .map_err(|x| err(x.into()))?
                .name,
            messages: state
                .store
                .messages_page(e.id, None, DISPUTE_THREAD)
                .await
                .map_err(|x| err(x.into()))?
                .0
                .into_iter()
                .map(|m| (m.author_name, m.body))
                .collect(),
            submissions: state
                .store
                .submissions(e.id)
                .await
                .map_err(|x| err(x.into()))?
                .into_iter()
                .map(|s| format!("Version {}: {} {}", s.version, s.note, s.links.join(" ")))
                .collect(),
        });
    }
    Ok(render(&DisputesPage { items, layout }))
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct ResolveForm {
    outcome: String,
    amount: String,
    note: String,
}

async fn resolve(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    crate::form::HtmlForm(f): crate::form::HtmlForm<ResolveForm>,
) -> Result<Response, PageError> {
    let layout = Layout::new("Disputes", Some(user.user()), state.config.demo);
    let err = |e: crate::error::AppError| PageError(e, layout.clone());
    require_admin(user.user()).map_err(err)?;
    let e = state
        .store
        .engagement(id)
        .await
        .map_err(|e| err(e.into()))?;
    let resolution =
        crate::app::engagements::Resolution::parse(&f.outcome, &f.amount, e.price).map_err(err)?;
    crate::app::engagements::resolve(&state, user.user(), id, resolution, &f.note)
        .await
        .map_err(err)?;
    Ok(Redirect::to("/admin/disputes?notice=resolved").into_response())
}
