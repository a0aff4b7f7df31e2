//! The home page.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use chrono::NaiveDate;
use stint_domain::account::Role;
use stint_domain::application::ApplicationStatus;
use stint_domain::engagement::EngagementStatus;
use stint_domain::money::{Currency, Money};
use stint_domain::search::SearchParams;

use super::projects::CardView;
use super::{PageError, render};
use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::AppError;
use crate::view::{Layout, ago, date, until};

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    latest: Vec<CardView>,
    open_count: String,
    /// For a signed-in student.
    mine: Option<ForYou>,
    /// A suggestion the student just hid: the notice offers to undo it.
    undo: Option<i64>,
}

struct Suggested {
    id: i64,
    title: String,
    org_name: String,
    facts: String,
    m: super::discovery::MatchView,
    exploration: bool,
}

/// A row of the student's record by field: (name, applied, hired, completed).
type FieldRow = (String, i64, i64, i64);

struct ForYou {
    today: Today,
    top: Vec<Suggested>,
    categories: Vec<FieldRow>,
    skills: Vec<FieldRow>,
    profile_empty: bool,
}

/// A student's day: what is due next, work in progress, applications
/// waiting, and money.
struct Today {
    first_name: String,
    next: Vec<NextStep>,
    work: Vec<WorkLine>,
    applications: Vec<ApplicationLine>,
    earnings: Vec<String>,
    /// Invitations and direct offers still open: (project id, what, organization).
    invitations: Vec<(i64, String, String)>,
    /// Offers of roles waiting for an answer: (title, organization).
    offers: Vec<(String, String)>,
}

/// One dated thing, soonest first.
struct NextStep {
    day: NaiveDate,
    when: String,
    text: String,
    href: String,
    urgent: bool,
}

struct WorkLine {
    id: i64,
    title: String,
    org: String,
    status: &'static str,
    due: String,
    price: String,
}

struct ApplicationLine {
    id: i64,
    project_id: i64,
    title: String,
    org: String,
    status: &'static str,
    sent: String,
    decide: String,
}

async fn today(state: &AppState, user: &stint_store::User) -> Result<Today, AppError> {
    let a = state.store.student_agenda(user.id).await?;
    let earnings = crate::app::engagements::earnings(state, user).await?;
    let now = state.clock.now();
    let day = now.date_naive();
    let money = |minor: i64, currency: &str| {
        Money::new(minor, currency.parse().unwrap_or(Currency::Usd)).to_string()
    };
    let mut next = Vec::new();
    let mut work = Vec::new();
    for w in a.work {
        let status = EngagementStatus::parse(&w.status).unwrap_or(EngagementStatus::Active);
        let text = match status {
            EngagementStatus::Active => {
                Some(format!("Deliver “{}” to {}", w.project_title, w.org_name))
            }
            EngagementStatus::RevisionRequested => Some(format!(
                "Send the revision of “{}” to {}",
                w.project_title, w.org_name
            )),
            _ => None,
        };
        if let Some(text) = text {
            next.push(NextStep {
                day: w.due_date,
                when: format!("{} ({})", date(&w.due_date), until(day, w.due_date)),
                text,
                href: format!("/engagements/{}", w.engagement_id),
                urgent: (w.due_date - day).num_days() <= 2,
            });
        }
        work.push(WorkLine {
            id: w.engagement_id,
            status: status.label(),
            due: format!("{} ({})", date(&w.due_date), until(day, w.due_date)),
            price: money(w.price_minor, &w.currency),
            title: w.project_title,
            org: w.org_name,
        });
    }
    let mut applications = Vec::new();
    for p in a.applications {
        let status = ApplicationStatus::parse(&p.status).unwrap_or(ApplicationStatus::Submitted);
        let decide = format!("{} ({})", date(&p.decision_by), until(day, p.decision_by));
        next.push(NextStep {
            day: p.decision_by,
            when: decide.clone(),
            text: format!("{} decides on “{}”", p.org_name, p.project_title),
            href: format!("/applications/{}", p.application_id),
            urgent: false,
        });
        applications.push(ApplicationLine {
            id: p.application_id,
            project_id: p.project_id,
            status: status.label(),
            sent: ago(now, p.sent_at),
            decide,
            title: p.project_title,
            org: p.org_name,
        });
    }
    next.sort_by_key(|n| n.day);
    next.truncate(6);
    let invitations = crate::app::invitations::mine(state, user)
        .await?
        .into_iter()
        .filter(|i| i.status == "sent")
        .map(|i| {
            let what = if i.kind == "direct" {
                "Project offered to you"
            } else {
                "Invitation to apply"
            };
            (
                i.project_id,
                format!("{what}: {}", i.project_title),
                i.org_name,
            )
        })
        .collect();
    let offers = crate::app::offers::mine(state, user)
        .await?
        .into_iter()
        .filter(|o| o.status == "open")
        .map(|o| (o.title, o.org_name))
        .collect();
    Ok(Today {
        invitations,
        offers,
        first_name: user
            .name
            .split_whitespace()
            .next()
            .unwrap_or(&user.name)
            .to_string(),
        next,
        work,
        applications,
        earnings: earnings
            .iter()
            .filter(|e| e.pending + e.released + e.paid_out > 0)
            .map(|e| {
                let parts = [
                    (e.paid_out, "paid out to you"),
                    (e.released, "released, on its way to you"),
                    (e.pending, "in escrow for work in progress"),
                ];
                parts
                    .iter()
                    .filter(|(n, _)| *n > 0)
                    .map(|(n, what)| format!("{} {what}", money(*n, &e.currency)))
                    .collect::<Vec<_>>()
                    .join(" · ")
            })
            .collect(),
    })
}

async fn for_you(
    state: &AppState,
    user: &stint_store::User,
) -> Result<ForYou, crate::error::AppError> {
    let today = today(state, user).await?;
    let s = crate::app::matching::suggestions(state, user).await?;
    let row =
        |t: &stint_store::Tried, name: &str| (name.to_string(), t.applied, t.hired, t.completed);
    Ok(ForYou {
        today,
        top: s
            .top
            .iter()
            .map(|x| {
                let p = &x.project;
                Suggested {
                    id: p.id,
                    title: p.title.clone(),
                    org_name: p.org_name.clone(),
                    facts: format!(
                        "{} · {} hours · {} · apply by {}",
                        p.price,
                        p.estimated_hours,
                        p.work_mode.label(),
                        crate::view::date(&p.application_deadline)
                    ),
                    m: super::discovery::MatchView::from(&x.m),
                    exploration: x.exploration,
                }
            })
            .collect(),
        categories: s
            .categories
            .iter()
            .map(|t| row(t, stint_domain::taxonomy::category_name(&t.slug)))
            .collect(),
        skills: s
            .skills
            .iter()
            .map(|t| row(t, stint_domain::taxonomy::skill_name(&t.slug)))
            .collect(),
        profile_empty: s.profile_empty,
    })
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct HomeQuery {
    notice: Option<String>,
    /// A suggestion just hidden, to offer an undo.
    hidden: Option<String>,
}

async fn home(
    State(state): State<AppState>,
    user: MaybeUser,
    Query(n): Query<HomeQuery>,
) -> Result<Response, PageError> {
    let student = user.user().filter(|u| u.role == Role::Student);
    let mut layout = Layout::new(
        if student.is_some() {
            "Home"
        } else {
            "Paid micro-internships"
        },
        user.user(),
        state.config.demo,
    )
    .with_notice(n.notice.as_deref());
    if student.is_some() {
        layout = layout.at("/");
        layout.noindex = true;
    }
    let params = SearchParams {
        sort: "newest".into(),
        limit: "6".into(),
        ..Default::default()
    };
    let page = crate::app::projects::search(&state, None, &params)
        .await
        .map_err(|e| PageError(e, layout.clone()))?
        .page;
    let mine = match student {
        Some(u) => Some(
            for_you(&state, u)
                .await
                .map_err(|e| PageError(e, layout.clone()))?,
        ),
        _ => None,
    };
    Ok(render(&HomePage {
        undo: student
            .and(n.hidden.as_deref())
            .and_then(|h| h.trim().parse().ok()),
        mine,
        latest: page.items.iter().map(CardView::from).collect(),
        open_count: if page.total_capped {
            format!("{}+", page.total)
        } else {
            page.total.to_string()
        },
        layout,
    }))
}
