//! Discovery pages: matches with reasons (on cards and project pages),
//! hiding a suggestion, and comparing projects side by side.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use stint_domain::matching::Match;
use stint_domain::taxonomy::{category_name, skill_name};

use super::projects::CardView;
use super::{PageError, render};
use crate::AppState;
use crate::app::matching;
use crate::auth::{MaybeUser, PageUser};
use crate::form::PageId;
use crate::view::{Layout, date};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/compare", get(compare))
        .route("/me/suggestions/{id}/hide", post(hide))
        .route("/me/suggestions/{id}/unhide", post(unhide))
}

/// A match as pages show it.
#[derive(Debug, Clone)]
pub struct MatchView {
    pub score: u8,
    /// What counts for the student.
    pub good: Vec<String>,
    /// What counts against.
    pub gaps: Vec<String>,
    pub new_field: bool,
}

impl From<&Match> for MatchView {
    fn from(m: &Match) -> Self {
        MatchView {
            score: m.score,
            good: m
                .reasons
                .iter()
                .filter(|r| r.good && !r.neutral)
                .map(|r| r.text.clone())
                .collect(),
            gaps: m
                .reasons
                .iter()
                .filter(|r| !r.good && !r.neutral)
                .map(|r| r.text.clone())
                .collect(),
            new_field: m.new_field,
        }
    }
}

impl MatchView {
    /// The one-line summary a card shows: the strongest reason for, and
    /// the biggest gap (a missing required skill first), so a card never
    /// shows only the positives.
    pub fn summary(&self) -> String {
        let mut out: Vec<&str> = Vec::with_capacity(2);
        out.extend(self.good.first().map(String::as_str));
        out.extend(self.gaps.first().map(String::as_str));
        if out.len() < 2 {
            out.extend(self.good.get(1).map(String::as_str));
        }
        out.join(" · ")
    }
}

/// Adds the signed-in student's match to a card, and the compare box.
pub fn with_match(mut card: CardView, m: Option<&stint_domain::matching::Match>) -> CardView {
    card.compare = true;
    card.m = m.map(MatchView::from);
    card
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CompareQuery {
    ids: Vec<String>,
}

struct Column {
    id: i64,
    title: String,
    org_name: String,
    org_slug: String,
    category: String,
    price: String,
    hourly: String,
    hours: u16,
    dates: String,
    deadline: String,
    mode: String,
    skills: Vec<String>,
    m: Option<MatchView>,
    record: Vec<String>,
}

#[derive(Template)]
#[template(path = "projects/compare.html")]
struct ComparePage {
    layout: Layout,
    columns: Vec<Column>,
    is_student: bool,
    /// Fewer than two were picked: the one picked, if any (id, title).
    too_few: Option<Option<(i64, String)>>,
}

async fn compare(
    State(state): State<AppState>,
    user: MaybeUser,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
) -> Result<Response, PageError> {
    let mut layout = Layout::new("Compare projects", user.user(), state.config.demo);
    layout.noindex = true;
    let q: CompareQuery =
        serde_html_form::from_str(raw.as_deref().unwrap_or("")).unwrap_or_default();
    // `ids=1&ids=2` from the search form, or `ids=1,2` as the API takes.
    let mut ids: Vec<i64> = Vec::new();
    for id in q.ids.iter().flat_map(|i| i.split(',')) {
        match id.trim().parse() {
            Ok(id) if !ids.contains(&id) => ids.push(id),
            Ok(_) => {}
            Err(_) => {
                return Err(PageError(
                    crate::error::AppError::invalid("ids", "Project ids are numbers."),
                    layout,
                ));
            }
        }
    }
    let is_student = user
        .user()
        .is_some_and(|u| u.role == stint_domain::account::Role::Student);
    if ids.len() < 2 {
        // Not an error page: say what is missing and keep what was picked.
        let picked = match ids.first() {
            Some(id) => crate::app::projects::get(&state, user.user(), *id)
                .await
                .ok()
                .map(|p| (p.id, p.input.title)),
            None => None,
        };
        return Ok(render(&ComparePage {
            columns: Vec::new(),
            is_student,
            too_few: Some(picked),
            layout,
        }));
    }
    let list = matching::compare(&state, user.user(), &ids)
        .await
        .map_err(|e| PageError(e, layout.clone()))?;
    let columns = list
        .into_iter()
        .map(|c| {
            let p = c.project;
            Column {
                id: p.id,
                hourly: p.price.per_hour(p.estimated_hours).to_string(),
                price: p.price.to_string(),
                hours: p.estimated_hours,
                dates: format!("{} – {}", date(&p.start_date), date(&p.due_date)),
                deadline: date(&p.application_deadline),
                mode: match &p.location {
                    Some(l) => format!("{} · {l}", p.work_mode.label()),
                    None => p.work_mode.label().to_string(),
                },
                skills: p
                    .required_skills
                    .iter()
                    .map(|s| skill_name(s).to_string())
                    .collect(),
                category: category_name(&p.category).to_string(),
                m: c.m.as_ref().map(MatchView::from),
                record: c.record,
                title: p.title,
                org_name: p.org_name,
                org_slug: p.org_slug,
            }
        })
        .collect();
    Ok(render(&ComparePage {
        is_student,
        columns,
        too_few: None,
        layout,
    }))
}

async fn hide(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    matching::hide(&state, user.user(), id).await.map_err(|e| {
        PageError(
            e,
            Layout::new("Suggestions", Some(user.user()), state.config.demo),
        )
    })?;
    // The home page offers to undo it.
    Ok(Redirect::to(&format!("/?notice=suggestion_hidden&hidden={id}")).into_response())
}

async fn unhide(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    matching::unhide(&state, user.user(), id)
        .await
        .map_err(|e| {
            PageError(
                e,
                Layout::new("Suggestions", Some(user.user()), state.config.demo),
            )
        })?;
    Ok(Redirect::to("/?notice=suggestion_restored").into_response())
}
