//! Saved searches: a student keeps a search (words and filters) and hears
//! about new projects that match it, at once or in a daily digest.

use stint_domain::account::Role;
use stint_domain::search::SearchParams;
use stint_store::{Project, SavedSearch, StoreError, User};

use super::notify::{self, Kind};
use crate::AppState;
use crate::auth::authz::require_role;
use crate::error::AppError;

/// Most saved searches one student keeps.
pub const MAX_SAVED: i64 = 10;

fn parse_frequency(raw: &str) -> Result<&'static str, AppError> {
    match raw.trim() {
        "" | "instant" => Ok("instant"),
        "daily" => Ok("daily"),
        _ => Err(AppError::invalid(
            "frequency",
            "Choose instant alerts or a daily digest.",
        )),
    }
}

/// The parameters a saved search stores, read back.
pub fn params_of(s: &SavedSearch) -> SearchParams {
    serde_html_form::from_str(&s.params).unwrap_or_default()
}

pub async fn save(
    state: &AppState,
    user: &User,
    params: &SearchParams,
    name: &str,
    frequency: &str,
) -> Result<SavedSearch, AppError> {
    require_role(user, Role::Student)?;
    let frequency = parse_frequency(frequency)?;
    params.parse()?;
    let name = match name.trim() {
        "" => params.describe().chars().take(80).collect::<String>(),
        n if n.chars().count() > 80 => {
            return Err(AppError::invalid("name", "Keep the name to 80 characters."));
        }
        n => n.to_string(),
    };
    let now = state.clock.now();
    let s = state
        .store
        .save_search(
            user.id,
            &name,
            &params.to_query_string(),
            frequency,
            MAX_SAVED,
            now,
        )
        .await
        .map_err(|e| match e {
            StoreError::Conflict("saved_search_limit") => AppError::conflict(
                "saved_search_limit",
                format!("You already keep {MAX_SAVED} saved searches. Delete one first."),
            ),
            other => other.into(),
        })?;
    if frequency == "daily" {
        state
            .store
            .schedule_job(
                super::jobs::SEARCH_DIGEST,
                s.id,
                now + chrono::Duration::days(1),
            )
            .await?;
    }
    Ok(s)
}

pub async fn list(state: &AppState, user: &User) -> Result<Vec<SavedSearch>, AppError> {
    require_role(user, Role::Student)?;
    Ok(state.store.saved_searches(user.id).await?)
}

pub async fn delete(state: &AppState, user: &User, id: i64) -> Result<(), AppError> {
    require_role(user, Role::Student)?;
    Ok(state.store.delete_saved_search(user.id, id).await?)
}

/// At publish: every instant search the new project matches alerts its
/// student once (shared with match alerts: one alert per student and
/// project). A search that fails is recorded and the others still run.
pub async fn on_publish(state: &AppState, project: &Project) -> Result<(), AppError> {
    let now = state.clock.now();
    for s in state.store.instant_searches().await? {
        let result = alert_one(state, project, &s, now).await;
        super::jobs::for_each_recipient(
            state,
            super::jobs::MATCH_ALERTS,
            project.id,
            format!("saved search {} of student {}", s.id, s.student_id),
            result,
        )
        .await;
    }
    Ok(())
}

/// Alerts the student of one instant search if `project` matches it.
async fn alert_one(
    state: &AppState,
    project: &Project,
    s: &SavedSearch,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), AppError> {
    // A search that no longer parses (saved under older rules) alerts nobody.
    let Ok(mut q) = params_of(s).parse() else {
        return Ok(());
    };
    // Cheap checks first; the words go to the engine's full-text search.
    if q.category
        .as_ref()
        .is_some_and(|c| *c != project.input.category)
        || q.mode.is_some_and(|m| m != project.input.work_mode)
        || (q.for_credit && !project.input.for_credit)
    {
        return Ok(());
    }
    q.project_id = Some(project.id);
    q.limit = 1;
    q.offset = 0;
    if state.store.search_projects(&q).await?.total == 0 {
        return Ok(());
    }
    if !state
        .store
        .record_alert(project.id, s.student_id, 0, now)
        .await?
    {
        return Ok(());
    }
    notify::send(
        state,
        s.student_id,
        Kind::SavedSearch,
        &format!("New for your search “{}”: {}", s.name, project.input.title),
        &format!(
            "{} posted \"{}\" ({}, {} hours). Applications close on {}.",
            project.org_name,
            project.input.title,
            project.input.price,
            project.input.estimated_hours,
            crate::view::date(&project.input.application_deadline)
        ),
        &format!("/projects/{}", project.id),
    )
    .await
}

/// Job: the daily digest of one saved search, then the next one scheduled.
pub async fn digest(state: &AppState, id: i64) -> Result<(), AppError> {
    let s = match state.store.saved_search(id).await {
        Ok(s) if s.frequency == "daily" => s,
        Ok(_) | Err(StoreError::NotFound) => return Ok(()),
        Err(e) => return Err(e.into()),
    };
    let now = state.clock.now();
    if let Ok(mut q) = params_of(&s).parse() {
        q.published_after = Some(s.last_sent_at);
        q.sort = stint_domain::search::Sort::Newest;
        q.limit = 5;
        q.offset = 0;
        let page = state.store.search_projects(&q).await?;
        if page.total > 0 {
            let titles = page
                .items
                .iter()
                .map(|c| format!("• {} ({})", c.title, c.org_name))
                .collect::<Vec<_>>()
                .join("\n");
            let more = if page.total > page.items.len() as i64 {
                format!("\n…and {} more.", page.total - page.items.len() as i64)
            } else {
                String::new()
            };
            notify::send(
                state,
                s.student_id,
                Kind::SavedSearch,
                &format!(
                    "{} new project{} for “{}”",
                    page.total,
                    if page.total == 1 { "" } else { "s" },
                    s.name
                ),
                &format!("{titles}{more}"),
                &format!("/projects?{}", s.params),
            )
            .await?;
        }
    }
    state.store.mark_search_sent(id, now).await?;
    state
        .store
        .schedule_job(
            super::jobs::SEARCH_DIGEST,
            id,
            now + chrono::Duration::days(1),
        )
        .await?;
    Ok(())
}
