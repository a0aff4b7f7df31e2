//! Application pages: the student's list (and withdrawing), and the
//! employer's applicants page with shortlist and reject (hiring, with its
//! confirmation, is in `money.rs`).

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use stint_domain::FieldErrors;
use stint_domain::application::ApplicationStatus;
use stint_domain::taxonomy::skill_name;

use super::{NoticeQuery, PageError, render};
use crate::AppState;
use crate::app::applications as apps;
use crate::auth::PageUser;
use crate::error::AppError;
use crate::form::{HtmlForm, PageId};
use crate::view::{Layout, date};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/applications", get(mine))
        .route(
            "/me/applications/{id}/withdraw",
            get(withdraw_page).post(withdraw),
        )
        .route("/employer/projects/{id}/applicants", get(applicants))
        .route(
            "/employer/projects/{id}/applicants/reject",
            post(reject_many),
        )
        .route("/employer/applications/{id}/shortlist", post(shortlist))
        .route("/employer/applications/{id}/reject", post(reject))
        .route("/applications/{id}", get(thread))
        .route("/applications/{id}/messages", post(post_message))
}

fn layout(state: &AppState, title: &str, user: &PageUser, notice: Option<&str>) -> Layout {
    let mut l = Layout::new(title, Some(user.user()), state.config.demo).with_notice(notice);
    l.noindex = true;
    l
}

struct Row {
    id: i64,
    project_id: i64,
    project_title: String,
    org_name: String,
    sent: String,
    status: &'static str,
    reason: Option<String>,
    can_withdraw: bool,
    /// The workspace a hire opened.
    engagement_id: Option<i64>,
}

#[derive(Template)]
#[template(path = "student/applications.html")]
struct MinePage {
    layout: Layout,
    apps: Vec<Row>,
    open_count: usize,
    quota: u32,
}

async fn mine(
    State(state): State<AppState>,
    user: PageUser,
    Query(n): Query<NoticeQuery>,
) -> Result<Response, PageError> {
    let l = layout(&state, "Your applications", &user, n.notice.as_deref()).at("/me/applications");
    let list = apps::mine(&state, user.user())
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    let applied = state
        .store
        .student_applied(user.user().id)
        .await
        .map_err(|e| PageError(e.into(), l.clone()))?;
    Ok(render(&MinePage {
        open_count: list.iter().filter(|a| a.status.is_undecided()).count(),
        quota: state.config.max_open_applications,
        apps: list
            .into_iter()
            .map(|a| Row {
                can_withdraw: a.status.is_undecided(),
                engagement_id: applied
                    .iter()
                    .find(|(p, _, _)| *p == a.project_id)
                    .and_then(|x| x.2),
                id: a.id,
                project_id: a.project_id,
                project_title: a.project_title,
                org_name: a.org_name,
                sent: date(&a.created_at.date_naive()),
                status: a.status.label(),
                reason: a.reject_reason,
            })
            .collect(),
        layout: l,
    }))
}

/// Withdrawing cannot be undone: the page says so before the button.
async fn withdraw_page(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let l = layout(&state, "Withdraw your application", &user, None);
    let a = apps::withdrawable(&state, user.user(), id)
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    Ok(super::money::confirm(super::money::ConfirmPage {
        heading: format!("Withdraw your application to “{}”?", a.project_title),
        lead: format!(
            "{} stops considering you for this project. You sent it on {}.",
            a.org_name,
            date(&a.created_at.date_naive())
        ),
        rows: Vec::new(),
        total: None,
        then: vec![
            "You cannot apply to this project again.".into(),
            format!(
                "It frees one of your {} open application places.",
                state.config.max_open_applications
            ),
        ],
        action: format!("/me/applications/{id}/withdraw"),
        hidden: Vec::new(),
        reason: None,
        errors: FieldErrors::default(),
        button: "Withdraw application".into(),
        danger: true,
        back: "/me/applications".into(),
        layout: l,
    }))
}

async fn withdraw(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let l = layout(&state, "Your applications", &user, None);
    apps::withdraw(&state, user.user(), id)
        .await
        .map_err(|e| PageError(e, l))?;
    Ok(Redirect::to("/me/applications?notice=withdrawn").into_response())
}

struct Card {
    id: i64,
    name: String,
    hidden: bool,
    status: &'static str,
    headline: Option<String>,
    university: Option<String>,
    area: Option<String>,
    hours: Option<i32>,
    matched: Vec<String>,
    required_count: usize,
    m: super::discovery::MatchView,
    pitch: String,
    answer: Option<String>,
    links: Vec<String>,
    undecided: bool,
    can_shortlist: bool,
    workspace: Option<i64>,
    sent: String,
    record: String,
}

#[derive(Template)]
#[template(path = "employer/applicants.html")]
struct ApplicantsPage {
    layout: Layout,
    project_id: i64,
    title: String,
    hired: u16,
    slots: u16,
    places_left: bool,
    waiting: usize,
    oldest_wait: Option<String>,
    decision_by: String,
    blind: bool,
    /// All applicants, and the positions of those on this page.
    total: usize,
    shown: (usize, usize),
    prev_link: Option<String>,
    next_link: Option<String>,
    list: Vec<Card>,
    /// The compact list instead of cards.
    compact: bool,
    /// Filter chips: (label, count, link, current).
    filters: Vec<(&'static str, usize, String, bool)>,
    /// Links to the other view, keeping the filter.
    other_view: String,
    status: &'static str,
}

/// "3 days", "5 hours": how long something has waited.
fn waited(since: chrono::DateTime<chrono::Utc>, now: chrono::DateTime<chrono::Utc>) -> String {
    let d = now - since;
    match (d.num_days(), d.num_hours()) {
        (0, 0) => "less than an hour".into(),
        (0, 1) => "1 hour".into(),
        (0, h) => format!("{h} hours"),
        (1, _) => "1 day".into(),
        (n, _) => format!("{n} days"),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ApplicantsQuery {
    notice: Option<String>,
    cursor: String,
    /// all | undecided | shortlisted | hired | closed
    status: String,
    /// `list` for the compact list; cards otherwise.
    view: String,
}

async fn applicants(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    Query(q): Query<ApplicantsQuery>,
) -> Result<Response, PageError> {
    let l = layout(&state, "Applicants", &user, q.notice.as_deref());
    // A stale page link falls back to the first page.
    let (offset, limit) = stint_domain::search::parse_paging(
        &q.cursor,
        "",
        apps::APPLICANTS_PAGE,
        apps::APPLICANTS_PAGE,
        &mut stint_domain::FieldErrors::new(),
    );
    let filter = apps::StatusFilter::parse(&q.status);
    let compact = q.view == "list";
    let page = apps::for_project_where(&state, user.user(), id, filter, offset, limit)
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    let project = page.project;
    let engagements = state
        .store
        .project_engagements(id)
        .await
        .map_err(|e| PageError(e.into(), l.clone()))?;
    let now = state.clock.now();
    let open = project.status == stint_domain::project::ProjectStatus::Open;
    let base = |f: apps::StatusFilter, list: bool| {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        if f != apps::StatusFilter::All {
            pairs.push(("status", f.as_str()));
        }
        if list {
            pairs.push(("view", "list"));
        }
        let query = serde_urlencoded::to_string(pairs).unwrap_or_default();
        if query.is_empty() {
            format!("/employer/projects/{id}/applicants")
        } else {
            format!("/employer/projects/{id}/applicants?{query}")
        }
    };
    let link = |o: u32| {
        let b = base(filter, compact);
        let sep = if b.contains('?') { '&' } else { '?' };
        format!("{b}{sep}cursor={}", stint_domain::search::encode_cursor(o))
    };
    Ok(render(&ApplicantsPage {
        project_id: project.id,
        title: project.input.title.clone(),
        hired: project.hired_count,
        slots: project.input.slots,
        places_left: open && project.hired_count < project.input.slots,
        waiting: page.waiting,
        oldest_wait: page.oldest_waiting.map(|t| waited(t, now)),
        decision_by: date(&project.input.decision_by),
        blind: project.input.blind_screening,
        total: page.matching,
        shown: (offset as usize + 1, offset as usize + page.items.len()),
        compact,
        filters: page
            .counts
            .iter()
            .map(|(f, n)| (f.label(), *n, base(*f, compact), *f == filter))
            .collect(),
        other_view: base(filter, !compact),
        status: filter.as_str(),
        prev_link: (offset > 0).then(|| link(offset.saturating_sub(limit))),
        next_link: page.next_offset.map(link),
        list: page
            .items
            .into_iter()
            .map(|a| Card {
                id: a.application.id,
                name: a
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("Applicant #{}", a.application.id)),
                hidden: a.hidden,
                status: a.application.status.label(),
                headline: a.headline,
                university: a.university,
                area: a.area_of_study,
                hours: a.availability_hours,
                matched: a
                    .skill_match
                    .matched
                    .iter()
                    .map(|s| skill_name(s).to_string())
                    .collect(),
                required_count: project.input.required_skills.len(),
                m: super::discovery::MatchView::from(&a.m),
                pitch: a.application.pitch.clone(),
                answer: a.application.answer.clone(),
                links: a.links,
                undecided: a.application.status.is_undecided(),
                can_shortlist: a.application.status == ApplicationStatus::Submitted,
                workspace: engagements
                    .iter()
                    .find(|e| e.application_id == a.application.id)
                    .map(|e| e.id),
                sent: crate::view::ago(now, a.application.created_at),
                record: crate::app::applications::record_line(&a.record),
            })
            .collect(),
        layout: l,
    }))
}

/// After a decision, back to the project's applicants.
async fn back(
    state: &AppState,
    user: &PageUser,
    result: Result<stint_store::Application, AppError>,
    notice: &str,
) -> Result<Response, PageError> {
    let a = result.map_err(|e| PageError(e, layout(state, "Applicants", user, None)))?;
    Ok(Redirect::to(&format!(
        "/employer/projects/{}/applicants?notice={notice}",
        a.project_id
    ))
    .into_response())
}

async fn shortlist(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    let r = apps::shortlist(&state, user.user(), id).await;
    back(&state, &user, r, "shortlisted").await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RejectForm {
    reason: String,
}

async fn reject(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<RejectForm>,
) -> Result<Response, PageError> {
    let r = apps::reject(&state, user.user(), id, &f.reason).await;
    back(&state, &user, r, "rejected").await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RejectManyForm {
    ids: Vec<String>,
    reason: String,
    /// The list's filter, to come back to.
    status: String,
}

/// Rejects the ticked applicants of a project with one note. Each is
/// checked and told as if rejected one by one; none from another project.
async fn reject_many(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<RejectManyForm>,
) -> Result<Response, PageError> {
    let l = layout(&state, "Applicants", &user, None);
    let err = |e: AppError| PageError(e, l.clone());
    crate::auth::authz::require_project_member(&state.store, user.user(), id)
        .await
        .map_err(err)?;
    stint_domain::application::parse_reject_reason(&f.reason)
        .map_err(|e| err(AppError::Invalid(e.into())))?;
    let ids: Vec<i64> = f.ids.iter().filter_map(|i| i.trim().parse().ok()).collect();
    let back = format!(
        "/employer/projects/{id}/applicants?view=list&status={}",
        apps::StatusFilter::parse(&f.status).as_str()
    );
    if ids.is_empty() {
        return Ok(Redirect::to(&format!("{back}&notice=none_ticked")).into_response());
    }
    for aid in ids {
        let a = state
            .store
            .application(aid)
            .await
            .map_err(|e| err(e.into()))?;
        if a.project_id != id {
            return Err(err(AppError::NotFound));
        }
        // Already decided (by a colleague, a moment ago): leave it.
        if a.status.is_undecided() {
            apps::reject(&state, user.user(), aid, &f.reason)
                .await
                .map_err(err)?;
        }
    }
    Ok(Redirect::to(&format!("{back}&notice=rejected_many")).into_response())
}

#[derive(Template)]
#[template(path = "student/application.html")]
struct ThreadPage {
    layout: Layout,
    id: i64,
    title: String,
    org: String,
    student: String,
    status: &'static str,
    pitch: String,
    /// (author, when, body)
    messages: Vec<(String, String, String)>,
    is_student: bool,
    can_write: bool,
    back: String,
    error: String,
}

async fn thread_page(
    state: &AppState,
    user: &PageUser,
    id: i64,
    error: String,
) -> Result<Response, PageError> {
    let l = layout(state, "Application", user, None);
    let (a, messages) = apps::thread(state, user.user(), id)
        .await
        .map_err(|e| PageError(e, l.clone()))?;
    let is_student = user.user().role == stint_domain::account::Role::Student;
    let contacted = messages.iter().any(|m| m.author_id != user.user().id);
    let failed = !error.is_empty();
    let mut res = render(&ThreadPage {
        id,
        title: a.project_title.clone(),
        org: a.org_name.clone(),
        student: a.student_name.clone(),
        status: a.status.label(),
        pitch: a.pitch.clone(),
        messages: messages
            .into_iter()
            .map(|m| {
                (
                    m.author_name,
                    crate::view::moment(m.created_at, user.user().time_zone.as_deref()),
                    m.body,
                )
            })
            .collect(),
        can_write: a.status.is_undecided() && (!is_student || contacted),
        back: if is_student {
            "/me/applications".into()
        } else {
            format!("/employer/projects/{}/applicants", a.project_id)
        },
        is_student,
        error,
        layout: l,
    });
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn thread(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
) -> Result<Response, PageError> {
    thread_page(&state, &user, id, String::new()).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MessageForm {
    body: String,
}

async fn post_message(
    State(state): State<AppState>,
    user: PageUser,
    PageId(id): PageId,
    HtmlForm(f): HtmlForm<MessageForm>,
) -> Result<Response, PageError> {
    let u = user.user();
    let r = if u.role == stint_domain::account::Role::Student {
        apps::answer(&state, u, id, &f.body).await
    } else {
        apps::ask(&state, u, id, &f.body).await
    };
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/applications/{id}")).into_response()),
        Err(e @ AppError::Invalid(_)) => thread_page(&state, &user, id, e.detail()).await,
        Err(e) => Err(PageError(e, layout(&state, "Application", &user, None))),
    }
}
