//! `/organization/provisioning`: an organization's owners create and revoke
//! the tokens their directory uses at `/scim/v2`, see what it did, and map
//! its groups to roles (universities: career staff, faculty).

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use stint_domain::organization::OrgKind;
use stint_store::User;

use super::account::home_for;
use super::{NoticeQuery, PageError, render};
use crate::AppState;
use crate::app::{scim, scim_groups};
use crate::auth::PageUser;
use crate::error::AppError;
use crate::form::HtmlForm;
use crate::view::{Layout, moment};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/organization/provisioning", get(show))
        .route("/organization/provisioning/tokens", post(create))
        .route(
            "/organization/provisioning/tokens/{id}/revoke",
            post(revoke),
        )
        .route("/organization/provisioning/groups/{id}", post(map_group))
}

fn layout(state: &AppState, user: &User, notice: Option<&str>) -> Layout {
    let mut l = Layout::new("Provisioning", Some(user), state.config.demo).with_notice(notice);
    l.noindex = true;
    l
}

struct TokenLine {
    id: i64,
    label: String,
    created: String,
    last_used: String,
}

struct GroupLine {
    id: String,
    name: String,
    role: String,
    members: i64,
    updated: String,
    /// Why mapping it just failed.
    error: Option<String>,
}

struct ProblemLine {
    name: String,
    email: String,
    problem: String,
}

#[derive(Template)]
#[template(path = "org/provisioning.html")]
struct ProvisioningPage {
    layout: Layout,
    org: String,
    verified: bool,
    university: bool,
    back: &'static str,
    domains: Vec<String>,
    base_url: String,
    tokens: Vec<TokenLine>,
    users: i64,
    deactivated: i64,
    last_change: Option<String>,
    /// A token just made, shown this once.
    new_secret: Option<String>,
    label: String,
    error: Option<String>,
    groups: Vec<GroupLine>,
    problems: Vec<ProblemLine>,
    /// The roles groups can map to here, as (value, label).
    role_options: Vec<(&'static str, &'static str)>,
}

async fn page(
    state: &AppState,
    user: &User,
    notice: Option<&str>,
    new_secret: Option<String>,
    label: &str,
    error: Option<String>,
) -> Result<Response, PageError> {
    page_with(state, user, notice, new_secret, label, error, None).await
}

async fn page_with(
    state: &AppState,
    user: &User,
    notice: Option<&str>,
    new_secret: Option<String>,
    label: &str,
    error: Option<String>,
    group_error: Option<(String, String)>,
) -> Result<Response, PageError> {
    let fail = |e: AppError| PageError(e, layout(state, user, None));
    let p = scim::overview(state, user).await.map_err(fail)?;
    let zone = user.time_zone.as_deref();
    let domains = state
        .store
        .org_domains(p.membership.org.id)
        .await
        .map_err(|e| fail(e.into()))?;
    Ok(render(&ProvisioningPage {
        layout: layout(state, user, notice),
        org: p.membership.org.name.clone(),
        verified: p.membership.org.verified,
        university: p.membership.org.kind == OrgKind::University,
        back: home_for(user),
        domains,
        base_url: p.base_url,
        tokens: p
            .tokens
            .into_iter()
            .map(|t| TokenLine {
                id: t.id,
                label: t.label,
                created: moment(t.created_at, zone),
                last_used: t
                    .last_used_at
                    .map(|at| moment(at, zone))
                    .unwrap_or_else(|| "never".into()),
            })
            .collect(),
        users: p.users,
        deactivated: p.deactivated,
        last_change: p.last_change.map(|at| moment(at, zone)),
        new_secret,
        label: label.to_string(),
        error,
        groups: p
            .groups
            .groups
            .into_iter()
            .map(|g| GroupLine {
                name: g.display_name,
                role: g.role.unwrap_or_default(),
                members: g.members,
                updated: moment(g.updated_at, zone),
                error: group_error
                    .as_ref()
                    .filter(|(id, _)| *id == g.id)
                    .map(|(_, m)| m.clone()),
                id: g.id,
            })
            .collect(),
        problems: p
            .groups
            .problems
            .into_iter()
            .map(|r| ProblemLine {
                name: r.name,
                email: r.email,
                problem: r.problem,
            })
            .collect(),
        role_options: scim_groups::GroupRole::all_for(p.membership.org.kind)
            .into_iter()
            .map(|r| (r.as_str(), r.label()))
            .collect(),
    }))
}

async fn show(
    State(state): State<AppState>,
    user: PageUser,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    page(&state, user.user(), q.notice.as_deref(), None, "", None).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct TokenForm {
    label: String,
}

/// Makes a token and shows it on the answer itself (never stored).
async fn create(
    State(state): State<AppState>,
    user: PageUser,
    HtmlForm(f): HtmlForm<TokenForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    match scim::create_token(&state, u, &f.label).await {
        Ok((_, secret)) => page(&state, u, None, Some(secret), "", None).await,
        Err(AppError::Invalid(errors)) => {
            let msg = errors.0.first().map(|e| e.message.clone());
            let mut res = page(&state, u, None, None, &f.label, msg).await?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(PageError(e, layout(&state, u, None))),
    }
}

async fn revoke(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let u = user.user();
    match scim::revoke_token(&state, u, id).await {
        Ok(()) => Ok(
            Redirect::to("/organization/provisioning?notice=scim_token_revoked").into_response(),
        ),
        Err(e) => Err(PageError(e, layout(&state, u, None))),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RoleForm {
    role: String,
}

/// Maps a group to a role; its members' roles follow at once.
async fn map_group(
    State(state): State<AppState>,
    user: PageUser,
    Path(id): Path<String>,
    HtmlForm(f): HtmlForm<RoleForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    let result = match scim_groups::parse_role(Some(&f.role)) {
        Ok(role) => scim_groups::map_group(&state, u, &id, role).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => {
            Ok(Redirect::to("/organization/provisioning?notice=scim_group_mapped").into_response())
        }
        Err(AppError::Invalid(errors)) => {
            let msg = errors
                .0
                .first()
                .map(|e| e.message.clone())
                .unwrap_or_default();
            let mut res = page_with(&state, u, None, None, "", None, Some((id, msg))).await?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(PageError(e, layout(&state, u, None))),
    }
}
