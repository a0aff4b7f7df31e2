//! The employer's analytics at `/employer/analytics`: a period and project
//! form, the funnel and spend charts drawn on the server with their data
//! tables, the per-project table, ratings and offers, a CSV link per table.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Response;
use axum::routing::get;
use serde::Deserialize;
use stint_charts::{Scale, Series};
use stint_domain::FieldErrors;
use stint_domain::outcomes::Period;
use stint_store::User;

use super::{PageError, render};
use crate::AppState;
use crate::app::analytics::{self, Funnel, Report, Table, duration_text};
use crate::app::universities::money;
use crate::error::AppError;
use crate::view::{Choice, Layout};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/employer/analytics", get(page))
        .route("/employer/analytics.csv", get(csv))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ReportQuery {
    from: String,
    to: String,
    project: String,
    table: String,
}

fn layout(state: &AppState, user: &User) -> Layout {
    let mut l = Layout::new("Analytics", Some(user), state.config.demo);
    l.noindex = true;
    l.at("/employer/analytics")
}

struct Step {
    label: &'static str,
    count: i64,
    /// Share of the step before, as text ("" for the first two: views are
    /// not people).
    share: String,
}

struct ProjectRow {
    id: i64,
    title: String,
    status: String,
    views: i64,
    applications: i64,
    shortlisted: i64,
    hired: i64,
    completed: i64,
    first: String,
    decide: String,
}

struct MonthRow {
    month: String,
    price: String,
    fees: String,
    refunds: String,
    net: String,
}

struct ReportView {
    steps: Vec<Step>,
    funnel_chart: Option<String>,
    spend_chart: Option<String>,
    published: i64,
    without_applicant: i64,
    first: String,
    decided: i64,
    decide: String,
    projects: Vec<ProjectRow>,
    months: Vec<MonthRow>,
    /// The months' currencies, when more than one (each chart shows one).
    currencies: Vec<String>,
    reviews: i64,
    ratings: Vec<(&'static str, String)>,
    offers: analytics::OfferCounts,
    acceptance: String,
    csv: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "employer/analytics.html")]
struct AnalyticsPage {
    layout: Layout,
    org: String,
    from: String,
    to: String,
    projects: Vec<Choice>,
    scope: String,
    period_text: String,
    errors: FieldErrors,
    report: Option<ReportView>,
}

fn query(p: &Period, project: Option<i64>) -> String {
    let mut q = format!("from={}&to={}", p.from, p.to);
    if let Some(id) = project {
        q.push_str(&format!("&project={id}"));
    }
    q
}

fn short_month(m: &str) -> String {
    chrono::NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d")
        .map(|d| d.format("%b %Y").to_string())
        .unwrap_or_else(|_| m.to_string())
}

fn view(r: &Report) -> ReportView {
    let values = r.funnel.values();
    let steps: Vec<Step> = Funnel::STEPS
        .iter()
        .zip(values)
        .enumerate()
        .map(|(i, (label, count))| Step {
            label,
            count,
            share: match i {
                0 | 1 => String::new(),
                _ if values[i - 1] > 0 => {
                    format!("{:.0}%", count as f64 * 100.0 / values[i - 1] as f64)
                }
                _ => "–".into(),
            },
        })
        .collect();
    let labels: Vec<String> = Funnel::STEPS.iter().map(|s| s.to_string()).collect();
    let counts: Vec<Option<f64>> = values.iter().map(|v| Some(*v as f64)).collect();
    let funnel_chart = (r.funnel != Funnel::default())
        .then(|| {
            stint_charts::bars(
                "Funnel: page views, applications, shortlisted, hired and completed",
                &labels,
                &counts,
                Scale::Count,
            )
        })
        .flatten();
    let mut currencies: Vec<String> = r.months.iter().map(|m| m.currency.clone()).collect();
    currencies.dedup();
    currencies.sort();
    currencies.dedup();
    // The chart shows the currency most months are in; the table has all.
    let main = currencies.first().cloned().unwrap_or_default();
    let shown: Vec<_> = r.months.iter().filter(|m| m.currency == main).collect();
    let month_labels: Vec<String> = shown.iter().map(|m| short_month(&m.month)).collect();
    let whole = |minor: i64| minor as f64 / 100.0;
    let prices: Vec<f64> = shown.iter().map(|m| whole(m.price_minor)).collect();
    let fees: Vec<f64> = shown.iter().map(|m| whole(m.fees_minor)).collect();
    let refunds: Vec<f64> = shown.iter().map(|m| whole(m.refunds_minor)).collect();
    let spend_chart = stint_charts::columns(
        &format!("Spend by month in {main}: prices, fees and refunds"),
        &month_labels,
        &[
            Series {
                name: "Prices",
                values: &prices,
            },
            Series {
                name: "Fees",
                values: &fees,
            },
            Series {
                name: "Refunds",
                values: &refunds,
            },
        ],
        Scale::Count,
    );
    let q = query(&r.period, r.project.as_ref().map(|p| p.0));
    ReportView {
        steps,
        funnel_chart,
        spend_chart,
        published: r.published,
        without_applicant: r.without_applicant,
        first: duration_text(r.first_applicant_hours),
        decided: r.decided,
        decide: duration_text(r.decide_hours),
        projects: r
            .projects
            .iter()
            .map(|p| ProjectRow {
                id: p.id,
                title: p.title.clone(),
                status: stint_domain::project::ProjectStatus::parse(&p.status)
                    .map_or(p.status.clone(), |s| s.label().to_string()),
                views: p.funnel.views,
                applications: p.funnel.applications,
                shortlisted: p.funnel.shortlisted,
                hired: p.funnel.hired,
                completed: p.funnel.completed,
                first: duration_text(p.first_applicant_hours),
                decide: duration_text(p.decide_hours),
            })
            .collect(),
        months: r
            .months
            .iter()
            .map(|m| MonthRow {
                month: short_month(&m.month),
                price: money(&m.currency, m.price_minor),
                fees: money(&m.currency, m.fees_minor),
                refunds: money(&m.currency, m.refunds_minor),
                net: money(&m.currency, m.net_minor()),
            })
            .collect(),
        currencies: if currencies.len() > 1 {
            currencies
        } else {
            Vec::new()
        },
        reviews: r.ratings.reviews,
        ratings: r
            .ratings
            .criteria
            .iter()
            .map(|(l, m)| {
                (
                    *l,
                    m.map(|m| format!("{:.1} of 5", f64::from(m) / 10.0))
                        .unwrap_or_else(|| "–".into()),
                )
            })
            .collect(),
        offers: r.offers,
        acceptance: r
            .offers
            .acceptance_rate()
            .map(|a| format!("{:.0}%", a * 100.0))
            .unwrap_or_else(|| "–".into()),
        csv: Table::ALL
            .iter()
            .map(|t| {
                (
                    t.label(),
                    format!("/employer/analytics.csv?table={}&{q}", t.as_str()),
                )
            })
            .collect(),
    }
}

async fn page(
    State(state): State<AppState>,
    user: crate::auth::PageUser,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, u);
    let err = |e: AppError| PageError(e, l.clone());
    let m = crate::auth::authz::require_employer_member(&state.store, u)
        .await
        .map_err(err)?;
    let mut errors = FieldErrors::new();
    let period = match crate::app::outcomes::period(&state, &q.from, &q.to) {
        Ok(p) => Some(p),
        Err(AppError::Invalid(e)) => {
            errors.0.extend(e.0);
            None
        }
        Err(e) => return Err(err(e)),
    };
    let project = match analytics::parse_project(&q.project) {
        Ok(p) => p,
        Err(AppError::Invalid(e)) => {
            errors.0.extend(e.0);
            None
        }
        Err(e) => return Err(err(e)),
    };
    let report = match (period, errors.is_empty()) {
        (Some(p), true) => Some(
            analytics::report(&state, u, p, project)
                .await
                .map_err(err)?,
        ),
        _ => None,
    };
    let choices = match &report {
        Some(r) => r.choices.clone(),
        None => Vec::new(),
    };
    let failed = !errors.is_empty();
    let mut res = render(&AnalyticsPage {
        layout: l.clone(),
        org: m.org.name,
        from: period.map(|p| p.from.to_string()).unwrap_or(q.from.clone()),
        to: period.map(|p| p.to.to_string()).unwrap_or(q.to.clone()),
        projects: choices
            .iter()
            .map(|(id, title)| Choice::new(&id.to_string(), title, project == Some(*id)))
            .collect(),
        scope: report
            .as_ref()
            .and_then(|r| r.project.as_ref())
            .map_or_else(|| "All projects".to_string(), |p| p.1.clone()),
        period_text: period
            .map(|p| {
                format!(
                    "{} to {}",
                    p.from.format("%-d %B %Y"),
                    p.to.format("%-d %B %Y")
                )
            })
            .unwrap_or_default(),
        errors,
        report: report.as_ref().map(view),
    });
    if failed {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

async fn csv(
    State(state): State<AppState>,
    user: crate::auth::PageUser,
    Query(q): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let u = user.user();
    let l = layout(&state, u);
    let err = |e: AppError| PageError(e, l.clone());
    let table = Table::parse(&q.table).map_err(err)?;
    let period = crate::app::outcomes::period(&state, &q.from, &q.to).map_err(err)?;
    let project = analytics::parse_project(&q.project).map_err(err)?;
    let r = analytics::report(&state, u, period, project)
        .await
        .map_err(err)?;
    let (name, body) = analytics::csv(&r, table);
    Ok(super::csv_download(body, &name))
}
