//! An employer's analytics over a chosen period, for the organization or
//! one of its projects: the funnel (page views, applications, shortlisted,
//! hired, completed), how long the first applicant takes and how long
//! decisions take, spend by month (price, fees, refunds), the ratings
//! students gave, and the offers made and how they were answered.
//!
//! The funnel follows the applications sent in the period: of those, how
//! many were shortlisted, hired and completed (whenever that happened), so
//! each step is a share of the one before. Views are the project pages
//! opened in the period by anyone outside the organization.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use chrono::NaiveDate;
use serde::Serialize;
use stint_domain::outcomes::{Period, median};
use stint_domain::review::Direction;
use stint_store::{AnalyticsRows, User};

use crate::AppState;
use crate::auth::authz::require_employer_member;
use crate::csv::{Cell, Csv, amount};
use crate::error::AppError;

/// Page views counted in memory and added to the store every few seconds
/// (by the job runner's pass) and before a report is read, so opening a
/// project page never waits on a write.
#[derive(Debug, Default)]
pub struct ViewCounter {
    pending: Mutex<HashMap<(i64, NaiveDate), i64>>,
}

impl ViewCounter {
    pub fn record(&self, project_id: i64, day: NaiveDate) {
        if let Ok(mut m) = self.pending.lock() {
            *m.entry((project_id, day)).or_insert(0) += 1;
        }
    }

    fn take(&self) -> Vec<(i64, NaiveDate, i64)> {
        match self.pending.lock() {
            Ok(mut m) => m.drain().map(|((p, d), n)| (p, d, n)).collect(),
            Err(_) => Vec::new(),
        }
    }

    fn put_back(&self, counts: Vec<(i64, NaiveDate, i64)>) {
        if let Ok(mut m) = self.pending.lock() {
            for (p, d, n) in counts {
                *m.entry((p, d)).or_insert(0) += n;
            }
        }
    }
}

/// Adds this process's counted views to the store; kept for the next pass
/// if the store cannot take them now.
pub async fn flush_views(state: &AppState) -> Result<(), AppError> {
    let counts = state.views.take();
    if let Err(e) = state.store.add_project_views(&counts).await {
        state.views.put_back(counts);
        return Err(e.into());
    }
    Ok(())
}

/// The funnel's five steps.
#[derive(Debug, Clone, Copy, Default, Serialize, PartialEq, Eq)]
pub struct Funnel {
    pub views: i64,
    pub applications: i64,
    pub shortlisted: i64,
    pub hired: i64,
    pub completed: i64,
}

impl Funnel {
    pub const STEPS: [&'static str; 5] = [
        "Page views",
        "Applications",
        "Shortlisted",
        "Hired",
        "Completed",
    ];

    pub fn values(&self) -> [i64; 5] {
        [
            self.views,
            self.applications,
            self.shortlisted,
            self.hired,
            self.completed,
        ]
    }
}

/// One project's line of the report.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectLine {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub funnel: Funnel,
    /// Hours from publishing to the first application (projects published
    /// in the period).
    pub first_applicant_hours: Option<i64>,
    /// Median hours from an application to the decision on it.
    pub decide_hours: Option<i64>,
}

/// What the organization paid and got back in one month and currency.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MonthSpend {
    /// YYYY-MM
    pub month: String,
    pub currency: String,
    /// Prices secured in escrow at hiring, in minor units.
    pub price_minor: i64,
    pub fees_minor: i64,
    /// Escrow returned on cancellations.
    pub refunds_minor: i64,
}

impl MonthSpend {
    pub fn net_minor(&self) -> i64 {
        self.price_minor + self.fees_minor - self.refunds_minor
    }
}

/// The ratings students gave the organization (reviews already visible).
#[derive(Debug, Clone, Serialize, Default)]
pub struct RatingsReceived {
    pub reviews: i64,
    /// The three criteria's labels with their mean, in tenths (45 = 4.5).
    pub criteria: Vec<(&'static str, Option<u32>)>,
}

/// Offers made in the period, by how they stand.
#[derive(Debug, Clone, Copy, Serialize, Default, PartialEq, Eq)]
pub struct OfferCounts {
    pub made: i64,
    pub accepted: i64,
    pub accepted_elsewhere: i64,
    pub declined: i64,
    pub withdrawn: i64,
    pub open: i64,
}

impl OfferCounts {
    /// Accepted (in Stint or outside it) of those answered.
    pub fn acceptance_rate(&self) -> Option<f64> {
        let answered = self.accepted + self.accepted_elsewhere + self.declined;
        (answered > 0).then(|| (self.accepted + self.accepted_elsewhere) as f64 / answered as f64)
    }
}

pub struct Report {
    pub org_name: String,
    pub period: Period,
    /// The project the report is limited to.
    pub project: Option<(i64, String)>,
    /// Every published project of the organization, to choose from.
    pub choices: Vec<(i64, String)>,
    pub funnel: Funnel,
    /// Projects published in the period, and of them those with no
    /// applicant yet.
    pub published: i64,
    pub without_applicant: i64,
    pub first_applicant_hours: Option<i64>,
    /// Applications decided (hired or not selected), and the median time.
    pub decided: i64,
    pub decide_hours: Option<i64>,
    pub projects: Vec<ProjectLine>,
    pub months: Vec<MonthSpend>,
    pub ratings: RatingsReceived,
    pub offers: OfferCounts,
}

/// Reads the period as typed (blank: the last twelve months) and the
/// project (blank: the whole organization).
pub fn parse_project(raw: &str) -> Result<Option<i64>, AppError> {
    match raw.trim() {
        "" => Ok(None),
        s => s.parse::<i64>().map(Some).map_err(|_| {
            AppError::invalid("project", "Choose one of your projects, or all of them.")
        }),
    }
}

/// The organization's report (employer members only). A project of
/// another organization is "not found".
pub async fn report(
    state: &AppState,
    user: &User,
    period: Period,
    project: Option<i64>,
) -> Result<Report, AppError> {
    let m = require_employer_member(&state.store, user).await?;
    let choices: Vec<(i64, String)> = state
        .store
        .org_projects(m.org.id)
        .await?
        .into_iter()
        .filter(|p| p.status != stint_domain::project::ProjectStatus::Draft)
        .map(|p| (p.id, p.title))
        .collect();
    let chosen = match project {
        None => None,
        Some(id) => Some(
            choices
                .iter()
                .find(|(p, _)| *p == id)
                .cloned()
                .ok_or(AppError::NotFound)?,
        ),
    };
    flush_views(state).await?;
    let rows = state
        .store
        .analytics_rows(m.org.id, project, period.start(), period.end())
        .await?;
    let ratings = ratings(state, m.org.id, &period, project).await?;
    Ok(build(m.org.name, period, chosen, choices, &rows, ratings))
}

async fn ratings(
    state: &AppState,
    org_id: i64,
    period: &Period,
    project: Option<i64>,
) -> Result<RatingsReceived, AppError> {
    let shown = super::reviews::shown(state, state.store.reviews_of_org(org_id).await?).await?;
    let mut kept = Vec::new();
    for r in shown {
        if r.created_at < period.start() || r.created_at >= period.end() {
            continue;
        }
        if let Some(p) = project
            && state.store.engagement(r.engagement_id).await?.project_id != p
        {
            continue;
        }
        kept.push(r);
    }
    let averages = super::reviews::averages(&kept);
    Ok(RatingsReceived {
        reviews: kept.len() as i64,
        criteria: Direction::OfEmployer
            .criteria()
            .iter()
            .enumerate()
            .map(|(i, l)| (*l, averages.map(|a| a[i])))
            .collect(),
    })
}

fn hours(from: chrono::DateTime<chrono::Utc>, to: chrono::DateTime<chrono::Utc>) -> i64 {
    (to - from).num_hours().max(0)
}

fn build(
    org_name: String,
    period: Period,
    project: Option<(i64, String)>,
    choices: Vec<(i64, String)>,
    rows: &AnalyticsRows,
    ratings: RatingsReceived,
) -> Report {
    let (start, end) = (period.start(), period.end());
    let mut per: BTreeMap<i64, (Funnel, Vec<i64>)> = BTreeMap::new();
    let mut funnel = Funnel::default();
    let mut decide_all = Vec::new();
    for (project_id, _, n) in &rows.views {
        funnel.views += n;
        per.entry(*project_id).or_default().0.views += n;
    }
    for a in &rows.applications {
        let (f, decide) = per.entry(a.project_id).or_default();
        for f in [&mut funnel, f] {
            f.applications += 1;
            f.shortlisted += i64::from(a.shortlisted);
            f.hired += i64::from(a.status == "hired");
            f.completed += i64::from(a.completed);
        }
        if matches!(a.status.as_str(), "hired" | "rejected")
            && let Some(d) = a.decided_at
        {
            decide.push(hours(a.created_at, d));
            decide_all.push(hours(a.created_at, d));
        }
    }
    let mut firsts = Vec::new();
    let mut published = 0;
    let mut projects = Vec::new();
    for p in &rows.projects {
        let in_period = p.published_at.is_some_and(|t| t >= start && t < end);
        let first = match (in_period, p.published_at, p.first_application_at) {
            (true, Some(pub_at), Some(first)) => Some(hours(pub_at, first)),
            _ => None,
        };
        if in_period {
            published += 1;
            firsts.extend(first);
        }
        let (f, mut decide) = per.remove(&p.id).unwrap_or_default();
        if !in_period && f == Funnel::default() {
            continue;
        }
        projects.push(ProjectLine {
            id: p.id,
            title: p.title.clone(),
            status: p.status.clone(),
            funnel: f,
            first_applicant_hours: first,
            decide_hours: median(&mut decide),
        });
    }
    let without_applicant = published - firsts.len() as i64;
    let mut months: BTreeMap<(String, String), MonthSpend> = BTreeMap::new();
    for m in &rows.money {
        let month = m.created_at.format("%Y-%m").to_string();
        let line = months
            .entry((month.clone(), m.currency.clone()))
            .or_insert_with(|| MonthSpend {
                month,
                currency: m.currency.clone(),
                price_minor: 0,
                fees_minor: 0,
                refunds_minor: 0,
            });
        match m.kind.as_str() {
            "fund" => line.price_minor += m.amount_minor,
            "fee" => line.fees_minor += m.amount_minor,
            _ => line.refunds_minor += m.amount_minor,
        }
    }
    let mut offers = OfferCounts::default();
    for o in &rows.offers {
        offers.made += 1;
        match o.status.as_str() {
            "accepted" => offers.accepted += 1,
            "accepted_elsewhere" => offers.accepted_elsewhere += 1,
            "declined" => offers.declined += 1,
            "withdrawn" => offers.withdrawn += 1,
            _ => offers.open += 1,
        }
    }
    Report {
        org_name,
        period,
        project,
        choices,
        funnel,
        published,
        without_applicant,
        first_applicant_hours: median(&mut firsts),
        decided: decide_all.len() as i64,
        decide_hours: median(&mut decide_all),
        projects,
        months: months.into_values().collect(),
        ratings,
        offers,
    }
}

/// Hours as people read them: "5 h" under two days, else whole days.
pub fn duration_text(hours: Option<i64>) -> String {
    match hours {
        None => "–".into(),
        Some(0) => "under 1 h".into(),
        Some(h) if h < 48 => format!("{h} h"),
        Some(h) => format!("{} days", h / 24),
    }
}

/// The tables a report exports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Funnel,
    Projects,
    Spend,
    Ratings,
    Offers,
}

impl Table {
    pub const ALL: [Table; 5] = [
        Table::Funnel,
        Table::Projects,
        Table::Spend,
        Table::Ratings,
        Table::Offers,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Table::Funnel => "funnel",
            Table::Projects => "projects",
            Table::Spend => "spend",
            Table::Ratings => "ratings",
            Table::Offers => "offers",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Table::Funnel => "Funnel",
            Table::Projects => "Projects",
            Table::Spend => "Spend by month",
            Table::Ratings => "Ratings",
            Table::Offers => "Offers",
        }
    }

    pub fn parse(raw: &str) -> Result<Table, AppError> {
        Table::ALL
            .into_iter()
            .find(|t| t.as_str() == raw.trim())
            .ok_or_else(|| {
                AppError::invalid(
                    "table",
                    "Choose one of: funnel, projects, spend, ratings, offers.",
                )
            })
    }
}

fn opt(v: Option<i64>) -> Cell<'static> {
    Cell::Number(v.map(|v| v.to_string()).unwrap_or_default())
}

/// One table of the report as CSV, with its file name.
pub fn csv(r: &Report, table: Table) -> (String, String) {
    let body = match table {
        Table::Funnel => {
            let mut c = Csv::new(&["step", "count", "share_of_previous"]);
            let values = r.funnel.values();
            for (i, (step, n)) in Funnel::STEPS.iter().zip(values).enumerate() {
                let share = match i {
                    // Views are not people: no share from views to applications.
                    0 | 1 => String::new(),
                    _ if values[i - 1] > 0 => format!("{:.3}", n as f64 / values[i - 1] as f64),
                    _ => String::new(),
                };
                c.row(&[
                    Cell::Text(step),
                    Cell::Number(n.to_string()),
                    Cell::Number(share),
                ]);
            }
            c.row(&[
                Cell::Text("Projects published"),
                Cell::Number(r.published.to_string()),
                Cell::Number(String::new()),
            ]);
            c.row(&[
                Cell::Text("Median hours to first applicant"),
                opt(r.first_applicant_hours),
                Cell::Number(String::new()),
            ]);
            c.row(&[
                Cell::Text("Median hours to decide"),
                opt(r.decide_hours),
                Cell::Number(String::new()),
            ]);
            c
        }
        Table::Projects => {
            let mut c = Csv::new(&[
                "project_id",
                "title",
                "status",
                "views",
                "applications",
                "shortlisted",
                "hired",
                "completed",
                "hours_to_first_applicant",
                "median_hours_to_decide",
            ]);
            for p in &r.projects {
                let f = p.funnel;
                c.row(&[
                    Cell::Number(p.id.to_string()),
                    Cell::Text(&p.title),
                    Cell::Text(&p.status),
                    Cell::Number(f.views.to_string()),
                    Cell::Number(f.applications.to_string()),
                    Cell::Number(f.shortlisted.to_string()),
                    Cell::Number(f.hired.to_string()),
                    Cell::Number(f.completed.to_string()),
                    opt(p.first_applicant_hours),
                    opt(p.decide_hours),
                ]);
            }
            c
        }
        Table::Spend => {
            let mut c = Csv::new(&["month", "currency", "price", "fees", "refunds", "net"]);
            for m in &r.months {
                c.row(&[
                    Cell::Text(&m.month),
                    Cell::Text(&m.currency),
                    amount(m.price_minor),
                    amount(m.fees_minor),
                    amount(m.refunds_minor),
                    amount(m.net_minor()),
                ]);
            }
            c
        }
        Table::Ratings => {
            let mut c = Csv::new(&["criterion", "mean", "reviews"]);
            for (label, mean) in &r.ratings.criteria {
                c.row(&[
                    Cell::Text(label),
                    Cell::Number(
                        mean.map(|m| format!("{:.1}", f64::from(m) / 10.0))
                            .unwrap_or_default(),
                    ),
                    Cell::Number(r.ratings.reviews.to_string()),
                ]);
            }
            c
        }
        Table::Offers => {
            let o = r.offers;
            let mut c = Csv::new(&["measure", "value"]);
            for (k, v) in [
                ("offers_made", o.made.to_string()),
                ("accepted", o.accepted.to_string()),
                ("accepted_elsewhere", o.accepted_elsewhere.to_string()),
                ("declined", o.declined.to_string()),
                ("withdrawn", o.withdrawn.to_string()),
                ("waiting", o.open.to_string()),
                (
                    "acceptance_rate",
                    o.acceptance_rate()
                        .map(|r| format!("{r:.3}"))
                        .unwrap_or_default(),
                ),
            ] {
                c.row(&[Cell::Text(k), Cell::Number(v)]);
            }
            c
        }
    };
    let scope = match &r.project {
        Some((id, _)) => format!("project-{id}"),
        None => "all-projects".into(),
    };
    (
        format!(
            "stint-analytics-{}-{scope}-{}-to-{}.csv",
            table.as_str(),
            r.period.from,
            r.period.to
        ),
        body.finish(),
    )
}
