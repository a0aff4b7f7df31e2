//! Posting projects and finding them.

use stint_domain::project::{
    ProjectAction, ProjectForm, ProjectStatus, PublishWarnings, check_publish, transition,
};
use stint_domain::search::SearchParams;
use stint_store::{Project, SearchPage, User};

use crate::AppState;
use crate::auth::authz::{can_view_project, require_employer_member, require_project_member};
use crate::error::AppError;

/// Saves a new draft for the user's organization.
pub async fn create(
    state: &AppState,
    user: &User,
    form: &ProjectForm,
) -> Result<Project, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    let input = form.parse()?;
    let p = state
        .store
        .create_project(m.org.id, user.id, &input)
        .await?;
    state
        .store
        .audit(Some(user.id), "project.created", "project", p.id, "")
        .await?;
    Ok(p)
}

pub async fn update(
    state: &AppState,
    user: &User,
    id: i64,
    form: &ProjectForm,
) -> Result<Project, AppError> {
    let (project, _) = require_project_member(&state.store, user, id).await?;
    transition(project.status, ProjectAction::Edit)
        .map_err(|e| AppError::conflict("not_editable", e.to_string()))?;
    let input = form.parse()?;
    let p = state.store.update_draft(id, &input).await?;
    state
        .store
        .audit(Some(user.id), "project.edited", "project", id, "")
        .await?;
    Ok(p)
}

/// Checks every publishing rule and, if all pass, opens the project.
pub async fn publish(
    state: &AppState,
    user: &User,
    id: i64,
) -> Result<(Project, PublishWarnings), AppError> {
    let (project, m) = require_project_member(&state.store, user, id).await?;
    let to = transition(project.status, ProjectAction::Publish)
        .map_err(|e| AppError::conflict("not_publishable", e.to_string()))?;
    let warnings = check_publish(
        &project.input,
        m.org.verified,
        &state.config.floors,
        state.clock.today(),
    )?;
    let p = state
        .store
        .set_project_status(id, project.status, to)
        .await?;
    state
        .store
        .audit(Some(user.id), "project.published", "project", id, "")
        .await?;
    super::jobs::schedule_for(state, &p).await?;
    Ok((p, warnings))
}

/// Closes an open project to new applications, or cancels it.
pub async fn change_status(
    state: &AppState,
    user: &User,
    id: i64,
    action: ProjectAction,
) -> Result<Project, AppError> {
    let (project, _) = require_project_member(&state.store, user, id).await?;
    let to = transition(project.status, action)
        .map_err(|e| AppError::conflict("invalid_transition", e.to_string()))?;
    let p = state
        .store
        .set_project_status(id, project.status, to)
        .await?;
    let what = match to {
        ProjectStatus::Cancelled => "project.cancelled",
        _ => "project.closed",
    };
    state
        .store
        .audit(Some(user.id), what, "project", id, "")
        .await?;
    Ok(p)
}

/// A project as `viewer` may see it; drafts are hidden from outsiders.
pub async fn get(state: &AppState, viewer: Option<&User>, id: i64) -> Result<Project, AppError> {
    let p = state.store.project(id).await?;
    if can_view_project(&state.store, viewer, &p).await? {
        Ok(p)
    } else {
        Err(AppError::NotFound)
    }
}

pub async fn search(state: &AppState, params: &SearchParams) -> Result<SearchPage, AppError> {
    let q = params.parse()?;
    Ok(state.store.search_projects(&q).await?)
}
