//! Posting projects and finding them.

use stint_domain::account::Role;
use stint_domain::matching::{Match, relevance_then_match};
use stint_domain::organization::OrgKind;
use stint_domain::project::{
    ProjectAction, ProjectForm, ProjectStatus, PublishWarnings, check_publish, transition,
};
use stint_domain::search::{ProjectQuery, SearchParams, Sort};
use stint_store::{Facets, Project, ProjectCard, SearchPage, User};

use super::matching;

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

/// Arranges a draft with a verified university (`university` is its slug):
/// once published, only that university's confirmed students see it and may
/// apply, and it is listed on the university's pages instead of in search.
/// Blank opens the draft to everyone again. With `invite_only` (and no
/// university) only the students the organization invites see it, and it
/// is listed nowhere.
pub async fn restrict(
    state: &AppState,
    user: &User,
    id: i64,
    university: &str,
    invite_only: bool,
) -> Result<Project, AppError> {
    let (project, _) = require_project_member(&state.store, user, id).await?;
    transition(project.status, ProjectAction::Edit).map_err(|_| {
        AppError::conflict(
            "not_editable",
            "Who a project is for is set before it is published.",
        )
    })?;
    let slug = university.trim();
    if invite_only && !slug.is_empty() {
        return Err(AppError::invalid(
            "university",
            "A project is either for one university's students or invite-only, not both.",
        ));
    }
    let target = if slug.is_empty() {
        None
    } else {
        match state.store.org_by_slug(slug).await {
            Ok(o) if o.kind == OrgKind::University && o.verified => Some(o),
            Ok(_) | Err(stint_store::StoreError::NotFound) => {
                return Err(AppError::invalid(
                    "university",
                    "Pick a verified university on Stint from the list.",
                ));
            }
            Err(e) => return Err(e.into()),
        }
    };
    let p = state
        .store
        .set_project_audience(
            id,
            match (&target, invite_only) {
                (Some(o), _) => stint_store::Audience::University(o.id),
                (None, true) => stint_store::Audience::Invited,
                (None, false) => stint_store::Audience::Everyone,
            },
        )
        .await
        .map_err(|e| match e {
            stint_store::StoreError::Conflict(_) => AppError::conflict(
                "not_editable",
                "Who a project is for is set before it is published.",
            ),
            other => other.into(),
        })?;
    let detail = match (target, invite_only) {
        (Some(o), _) => o.name,
        (None, true) => "invite only".to_string(),
        (None, false) => String::new(),
    };
    state
        .store
        .audit(Some(user.id), "project.restricted", "project", id, &detail)
        .await?;
    Ok(p)
}

/// Verified universities an employer can arrange a project with, by name.
pub async fn universities_to_arrange_with(
    state: &AppState,
) -> Result<Vec<stint_store::Organization>, AppError> {
    Ok(state
        .store
        .universities()
        .await?
        .into_iter()
        .filter(|o| o.verified)
        .collect())
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
    if to == ProjectStatus::Cancelled {
        // Nobody is left waiting on a project that will not happen.
        let title = format!("{} is cancelled", p.input.title);
        let body = format!(
            "{} cancelled \"{}\", so your application is closed. It does not count against you, and it frees one of your open application places.",
            p.org_name, p.input.title
        );
        let closed = state.store.close_cancelled(id).await?;
        super::credit::applications_closed(state, id).await?;
        for student in closed {
            super::notify::send(
                state,
                student,
                super::notify::Kind::Closed,
                &title,
                &body,
                "/projects",
            )
            .await?;
        }
    }
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

/// Results re-ranked by match for a signed-in student: the first this many
/// by relevance (or newest, without words). Later pages keep the engine's
/// order, so paging never repeats or skips a project.
pub const RERANK_WINDOW: u32 = 100;

/// One page of search results and, for a signed-in student, their matches.
pub struct Results {
    pub page: SearchPage,
    /// Each shown project's match, by id; empty for anyone but a student.
    pub matches: Vec<(i64, Match)>,
}

impl Results {
    pub fn match_of(&self, id: i64) -> Option<&Match> {
        self.matches.iter().find(|(i, _)| *i == id).map(|(_, m)| m)
    }
}

/// Searches open projects. For a signed-in student sorting by relevance
/// (the default), results rank by relevance, then match
/// ([`stint_domain::matching::relevance_then_match`]) within the first
/// [`RERANK_WINDOW`].
pub async fn search(
    state: &AppState,
    viewer: Option<&User>,
    params: &SearchParams,
) -> Result<Results, AppError> {
    let q = params.parse()?;
    search_query(state, viewer, &q).await
}

pub async fn search_query(
    state: &AppState,
    viewer: Option<&User>,
    q: &ProjectQuery,
) -> Result<Results, AppError> {
    Ok(results(state, viewer, q, false).await?.0)
}

/// [`search_query`] and the facet counts of the search, counted in the
/// same pass as its first page.
pub async fn search_with_facets(
    state: &AppState,
    viewer: Option<&User>,
    q: &ProjectQuery,
) -> Result<(Results, Facets), AppError> {
    match results(state, viewer, q, true).await? {
        (r, Some(f)) => Ok((r, f)),
        (r, None) => Ok((r, state.store.search_facets(q).await?)),
    }
}

async fn results(
    state: &AppState,
    viewer: Option<&User>,
    q: &ProjectQuery,
    facets: bool,
) -> Result<(Results, Option<Facets>), AppError> {
    let first = |q: ProjectQuery| async move {
        if facets {
            let (page, f) = state.store.search_projects_with_facets(&q).await?;
            Ok::<_, AppError>((page, Some(f)))
        } else {
            Ok((state.store.search_projects(&q).await?, None))
        }
    };
    let student = viewer.filter(|u| u.role == Role::Student);
    let rerank = student.is_some() && q.sort == Sort::Relevance && q.offset < RERANK_WINDOW;
    if !rerank {
        let (page, facets) = first(q.clone()).await?;
        let ids: Vec<i64> = page.items.iter().map(|c| c.id).collect();
        let matches = matching::explain_many(state, student, &ids).await?;
        return Ok((Results { page, matches }, facets));
    }
    // Facets ignore paging: the window's are the page's.
    let (window, facets) = first(ProjectQuery {
        offset: 0,
        limit: RERANK_WINDOW,
        ..q.clone()
    })
    .await?;
    let ids: Vec<i64> = window.items.iter().map(|c| c.id).collect();
    let mut matches = matching::explain_many(state, student, &ids).await?;
    let score = |id: i64| {
        matches
            .iter()
            .find(|(i, _)| *i == id)
            .map_or(0, |(_, m)| m.score)
    };
    let keys: Vec<(Option<f64>, u8)> = window.items.iter().map(|c| (c.rank, score(c.id))).collect();
    let mut ranked: Vec<Option<ProjectCard>> = window.items.into_iter().map(Some).collect();
    let mut items: Vec<ProjectCard> = relevance_then_match(&keys)
        .into_iter()
        .filter_map(|i| ranked[i].take())
        .skip(q.offset as usize)
        .take(q.limit as usize)
        .collect();
    let end = q.offset + q.limit;
    let mut next_offset = window.next_offset.map(|_| end);
    if end > RERANK_WINDOW && window.next_offset.is_some() {
        // The page runs past the window: the rest comes in the engine's order.
        let rest = state
            .store
            .search_projects(&ProjectQuery {
                offset: RERANK_WINDOW,
                limit: end - RERANK_WINDOW,
                ..q.clone()
            })
            .await?;
        let ids: Vec<i64> = rest.items.iter().map(|c| c.id).collect();
        matches.extend(matching::explain_many(state, student, &ids).await?);
        next_offset = rest.next_offset.map(|_| end);
        items.extend(rest.items);
    } else if window.next_offset.is_none() && (end as usize) < keys.len() {
        next_offset = Some(end);
    }
    matches.retain(|(id, _)| items.iter().any(|c| c.id == *id));
    let page = SearchPage {
        items,
        next_offset,
        ..window
    };
    Ok((Results { page, matches }, facets))
}

/// Every project of the caller's organization, newest first, in every
/// status (drafts included): an employer's own list.
pub async fn of_my_organization(
    state: &AppState,
    user: &User,
) -> Result<Vec<ProjectCard>, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    Ok(state.store.org_projects(m.org.id).await?)
}
