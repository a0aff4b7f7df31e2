//! The outcomes report at `/university/outcomes`: a period form, headline
//! figures, charts drawn on the server with their data tables, a CSV link
//! per table, and a print layout.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use chrono::Datelike;
use serde::Deserialize;
use stint_charts::{Scale, Series};
use stint_domain::FieldErrors;
use stint_domain::outcomes::{MIN_GROUP, Period};
use stint_store::User;

use super::{PageError, render};
use crate::AppState;
use crate::app::outcomes::{
    self, FIELDS_TRIED, Outcomes, RATING_NAMES, Table, decimal, money, percent,
};
use crate::error::AppError;
use crate::view::Layout;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/university/outcomes", get(page))
        .route("/university/outcomes.csv", get(csv))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PeriodQuery {
    from: String,
    to: String,
    table: String,
}

fn layout(state: &AppState, user: &User) -> Layout {
    let mut l = Layout::new("Outcomes", Some(user), state.config.demo);
    l.noindex = true;
    l.at("/university")
}

struct Stat {
    value: String,
    label: &'static str,
    note: String,
}

struct Chart {
    svg: Option<String>,
}

struct GroupLine {
    label: &'static str,
    suppressed: bool,
    students: String,
    participation: String,
    hire: String,
    completion: String,
}

struct BreakdownView {
    id: &'static str,
    label: &'static str,
    chart: Chart,
    groups: Vec<GroupLine>,
}

struct Preset {
    label: &'static str,
    href: String,
    current: bool,
}

#[derive(Template)]
#[template(path = "university/outcomes.html")]
struct OutcomesPage {
    layout: Layout,
    university: String,
    from: String,
    to: String,
    period_text: String,
    presets: Vec<Preset>,
    errors: FieldErrors,
    report: Option<Report>,
    min_group: usize,
}

struct Report {
    stats: Vec<Stat>,
    months_chart: Chart,
    months: Vec<(String, i64, i64, i64)>,
    fields_chart: Chart,
    fields: Vec<(&'static str, usize)>,
    fields_per_student: String,
    earnings: Vec<(String, String, String, usize)>,
    ratings_chart: Chart,
    ratings: i64,
    rating_means: Vec<(&'static str, String)>,
    rating_distribution: Vec<(String, i64)>,
    employers: Vec<(String, String, i64, i64)>,
    employers_total: i64,
    breakdowns: Vec<BreakdownView>,
    csv: Vec<(&'static str, String)>,
}

fn query(p: &Period) -> String {
    format!("from={}&to={}", p.from, p.to)
}

fn report(o: &Outcomes) -> Report {
    let s = &o.summary;
    let q = query(&o.period);
    let stats = vec![
        Stat {
            value: s.taking_part.to_string(),
            label: "students taking part",
            note: format!("of {} confirmed students applied at least once", s.students),
        },
        Stat {
            value: decimal(s.applications_per_student),
            label: "applications per student",
            note: format!("{} applications in all", s.applications),
        },
        Stat {
            value: percent(s.hire_rate),
            label: "hire rate",
            note: format!(
                "{} of {} applications led to a hire",
                s.hires, s.applications
            ),
        },
        Stat {
            value: percent(s.completion_rate),
            label: "completion rate",
            note: format!("{} approved, {} cancelled", s.completed, s.cancelled),
        },
        Stat {
            value: decimal(s.fields_per_student),
            label: "fields tried per student",
            note: format!(
                "{} tried two or more fields",
                s.fields_tried[1] + s.fields_tried[2]
            ),
        },
        Stat {
            value: percent(s.repeat_rate),
            label: "came back for more",
            note: format!(
                "{} of {} students hired started two or more projects",
                s.repeat_students, s.working_students
            ),
        },
        Stat {
            value: s
                .median_days_to_first
                .map(|d| format!("{d} day{}", if d == 1 { "" } else { "s" }))
                .unwrap_or_else(|| "–".into()),
            label: "sign-up to first project",
            note: format!("median, {} first projects", s.first_projects),
        },
        Stat {
            value: o.offers.0.to_string(),
            label: "job offers from employers",
            note: format!(
                "{} accepted, to {} student{}",
                o.offers.1,
                o.offers.2,
                if o.offers.2 == 1 { "" } else { "s" }
            ),
        },
    ];
    let labels: Vec<String> = o.months.iter().map(|m| short_month(&m.month)).collect();
    let apps: Vec<f64> = o.months.iter().map(|m| m.applications as f64).collect();
    let hires: Vec<f64> = o.months.iter().map(|m| m.hires as f64).collect();
    let done: Vec<f64> = o.months.iter().map(|m| m.completed as f64).collect();
    let months_chart = Chart {
        svg: stint_charts::columns(
            "Applications, hires and completed projects per month",
            &labels,
            &[
                Series {
                    name: "Applications",
                    values: &apps,
                },
                Series {
                    name: "Hires",
                    values: &hires,
                },
                Series {
                    name: "Completed",
                    values: &done,
                },
            ],
            Scale::Count,
        ),
    };
    let fields_labels: Vec<String> = FIELDS_TRIED.iter().map(|l| l.to_string()).collect();
    let fields_values: Vec<Option<f64>> = s.fields_tried.iter().map(|n| Some(*n as f64)).collect();
    let fields_chart = Chart {
        svg: stint_charts::bars(
            "Students by number of fields tried",
            &fields_labels,
            &fields_values,
            Scale::Count,
        ),
    };
    let star_labels: Vec<String> = (1..=5)
        .rev()
        .map(|n| format!("{n} star{}", if n == 1 { "" } else { "s" }))
        .collect();
    let star_values: Vec<Option<f64>> = o
        .ratings
        .distribution
        .iter()
        .rev()
        .map(|n| Some(*n as f64))
        .collect();
    let ratings_chart = Chart {
        svg: (o.ratings.reviews > 0)
            .then(|| {
                stint_charts::bars(
                    "Employers' reviews by overall rating",
                    &star_labels,
                    &star_values,
                    Scale::Count,
                )
            })
            .flatten(),
    };
    let breakdowns = o
        .breakdowns
        .iter()
        .map(|b| {
            let labels: Vec<String> = b.groups.iter().map(|g| g.label.to_string()).collect();
            let values: Vec<Option<f64>> = b.groups.iter().map(|g| g.participation_rate).collect();
            BreakdownView {
                id: b.attribute.as_str(),
                label: b.label,
                chart: Chart {
                    svg: stint_charts::bars(
                        &format!("Share taking part, by {}", b.label.to_lowercase()),
                        &labels,
                        &values,
                        Scale::Share,
                    ),
                },
                groups: b
                    .groups
                    .iter()
                    .map(|g| GroupLine {
                        label: g.label,
                        suppressed: g.suppressed,
                        students: g.students.map(|n| n.to_string()).unwrap_or_default(),
                        participation: percent(g.participation_rate),
                        hire: percent(g.hire_rate),
                        completion: percent(g.completion_rate),
                    })
                    .collect(),
            }
        })
        .collect();
    Report {
        stats,
        months_chart,
        months: o
            .months
            .iter()
            .map(|m| (long_month(&m.month), m.applications, m.hires, m.completed))
            .collect(),
        fields_chart,
        fields: FIELDS_TRIED.iter().copied().zip(s.fields_tried).collect(),
        fields_per_student: decimal(s.fields_per_student),
        earnings: s
            .earnings
            .iter()
            .map(|e| {
                (
                    e.currency.clone(),
                    money(&e.currency, e.total_minor),
                    money(&e.currency, e.median_minor),
                    e.students,
                )
            })
            .collect(),
        ratings_chart,
        ratings: o.ratings.reviews,
        rating_means: match o.ratings.means {
            Some(m) => RATING_NAMES
                .iter()
                .copied()
                .zip(m.iter().map(|v| format!("{v:.1} / 5")))
                .collect(),
            None => Vec::new(),
        },
        rating_distribution: star_labels
            .into_iter()
            .zip(o.ratings.distribution.iter().rev().copied())
            .collect(),
        employers: o
            .employers
            .iter()
            .map(|e| (e.name.clone(), e.slug.clone(), e.engagements, e.students))
            .collect(),
        employers_total: o.employers_total,
        breakdowns,
        csv: Table::ALL
            .iter()
            .map(|t| {
                (
                    t.as_str(),
                    format!("/university/outcomes.csv?table={}&{q}", t.as_str()),
                )
            })
            .collect(),
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "2026-03" → "Mar 26".
fn short_month(m: &str) -> String {
    let (y, n) = m.split_once('-').unwrap_or((m, "1"));
    let n: usize = n.parse().unwrap_or(1);
    format!(
        "{} {}",
        MONTHS[(n.clamp(1, 12)) - 1],
        y.get(2..).unwrap_or(y)
    )
}

/// "2026-03" → "Mar 2026".
fn long_month(m: &str) -> String {
    let (y, n) = m.split_once('-').unwrap_or((m, "1"));
    let n: usize = n.parse().unwrap_or(1);
    format!("{} {y}", MONTHS[(n.clamp(1, 12)) - 1])
}

fn presets(state: &AppState, current: Option<&Period>) -> Vec<Preset> {
    let today = state.clock.now().date_naive();
    let year_start = today.with_ordinal(1).unwrap_or(today);
    // Academic years start on 1 September.
    let academic = chrono::NaiveDate::from_ymd_opt(
        if today.month() >= 9 {
            today.year()
        } else {
            today.year() - 1
        },
        9,
        1,
    )
    .unwrap_or(year_start);
    [
        ("Last 12 months", Period::last_year(today)),
        (
            "This academic year",
            Period {
                from: academic,
                to: today,
            },
        ),
        (
            "This calendar year",
            Period {
                from: year_start,
                to: today,
            },
        ),
        (
            "Last 3 years",
            Period {
                from: today - chrono::Duration::days(3 * 365),
                to: today,
            },
        ),
    ]
    .into_iter()
    .map(|(label, p)| Preset {
        label,
        current: current == Some(&p),
        href: format!("/university/outcomes?{}", query(&p)),
    })
    .collect()
}

async fn page(
    State(state): State<AppState>,
    user: crate::auth::PageUser,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, u);
    let err = |e: AppError| PageError(e, l.clone());
    // Staff only, before anything about the period is said.
    let m = crate::app::universities::career_staff(&state, u)
        .await
        .map_err(err)?;
    let (period, errors) = match outcomes::period(&state, &q.from, &q.to) {
        Ok(p) => (Some(p), FieldErrors::new()),
        Err(AppError::Invalid(e)) => (None, e),
        Err(e) => return Err(err(e)),
    };
    let o = match period {
        Some(p) => Some(outcomes::outcomes(&state, u, p).await.map_err(err)?),
        None => None,
    };
    let failed = !errors.is_empty();
    let mut res = render(&OutcomesPage {
        layout: l.clone(),
        university: m.org.name,
        from: period.map(|p| p.from.to_string()).unwrap_or(q.from.clone()),
        to: period.map(|p| p.to.to_string()).unwrap_or(q.to.clone()),
        period_text: period
            .map(|p| {
                format!(
                    "{} to {}",
                    p.from.format("%-d %B %Y"),
                    p.to.format("%-d %B %Y")
                )
            })
            .unwrap_or_default(),
        presets: presets(&state, period.as_ref()),
        errors,
        report: o.as_ref().map(report),
        min_group: MIN_GROUP,
    });
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn csv(
    State(state): State<AppState>,
    user: crate::auth::PageUser,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, u);
    let err = |e: AppError| PageError(e, l.clone());
    let table = Table::parse(&q.table).map_err(err)?;
    let period = outcomes::period(&state, &q.from, &q.to).map_err(err)?;
    let (name, body) = outcomes::csv(&state, u, period, table).await.map_err(err)?;
    Ok(super::csv_download(body, &name))
}
