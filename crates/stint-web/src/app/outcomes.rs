//! A university's outcomes over a period its career staff pick: the figures,
//! month by month, fields tried, earnings, ratings, employers and equity
//! breakdowns, each also as CSV. Every figure counts the university's
//! confirmed students, whatever they share (those who share only totals are
//! in the totals); equity groups under five students are hidden. Also the
//! student's own optional answers to the equity questions, sealed at rest
//! under the instance's secrets key, bound to the student.

use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Duration;
use stint_domain::FieldErrors;
use stint_domain::account::Role;
use stint_domain::outcomes::{Answers, Attribute, Breakdown, Period, Summary};
use stint_store::{OutcomeData, OutcomeEmployer, OutcomeMonth, RatingSummary, User};

use super::universities::career_staff;
use crate::AppState;
use crate::auth::authz::require_role;
use crate::csv::{Cell, Csv};
use crate::error::AppError;
use crate::secrets::{SealError, Sealer};

/// Employers listed on the page (the CSV has them all).
pub const EMPLOYERS_SHOWN: usize = 25;

/// The report for one university and period.
pub struct Outcomes {
    pub university: String,
    pub period: Period,
    pub summary: Summary,
    /// Every month of the period, in order, zero where nothing happened.
    pub months: Vec<OutcomeMonth>,
    pub ratings: RatingSummary,
    pub employers: Vec<OutcomeEmployer>,
    pub employers_total: i64,
    pub breakdowns: Vec<Breakdown>,
    /// Offers of roles to the university's confirmed students made in the
    /// period: (offers, accepted, students); withdrawn ones left out.
    pub offers: (i64, i64, i64),
}

/// The tables of the report, each downloadable as CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    Summary,
    Months,
    Fields,
    Earnings,
    Ratings,
    Employers,
    Equity,
}

impl Table {
    pub const ALL: [Table; 7] = [
        Table::Summary,
        Table::Months,
        Table::Fields,
        Table::Earnings,
        Table::Ratings,
        Table::Employers,
        Table::Equity,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Table::Summary => "summary",
            Table::Months => "months",
            Table::Fields => "fields",
            Table::Earnings => "earnings",
            Table::Ratings => "ratings",
            Table::Employers => "employers",
            Table::Equity => "equity",
        }
    }

    pub fn parse(raw: &str) -> Result<Table, AppError> {
        Table::ALL
            .into_iter()
            .find(|t| t.as_str() == raw.trim())
            .ok_or_else(|| {
                AppError::invalid(
                    "table",
                    "Choose one of: summary, months, fields, earnings, ratings, employers, equity.",
                )
            })
    }
}

/// Parses the period as typed (blank: the last twelve months).
pub fn period(state: &AppState, from: &str, to: &str) -> Result<Period, AppError> {
    Period::parse(from, to, state.clock.now().date_naive()).map_err(AppError::Invalid)
}

/// The caller's university's outcomes (career staff of a verified
/// university).
pub async fn outcomes(state: &AppState, user: &User, period: Period) -> Result<Outcomes, AppError> {
    report(state, user, period, EMPLOYERS_SHOWN).await
}

/// The report with at most `employers_limit` employers listed.
async fn report(
    state: &AppState,
    user: &User,
    period: Period,
    employers_limit: usize,
) -> Result<Outcomes, AppError> {
    let m = career_staff(state, user).await?;
    let window = Duration::days(i64::from(state.config.review_window_days));
    let unopened = AtomicUsize::new(0);
    let open = |student: i64, sealed: &str| {
        open_answers(&state.config.sealer, student, sealed).unwrap_or_else(|_| {
            unopened.fetch_add(1, Ordering::Relaxed);
            Answers::default()
        })
    };
    let OutcomeData {
        rows,
        months,
        ratings,
        employers,
        employers_total,
    } = state
        .store
        .outcome_report(
            &open,
            m.org.id,
            period.start(),
            period.end(),
            state.clock.now() - window,
            employers_limit,
        )
        .await?;
    let unopened = unopened.into_inner();
    if unopened > 0 {
        // Counted as not answered; the values themselves are never logged.
        tracing::warn!(
            university = m.org.id,
            unopened,
            "equity answers that do not open with the secrets key in use"
        );
    }
    let summary = Summary::of(&rows, &period);
    let offers = state
        .store
        .university_offer_counts(m.org.id, period.start(), period.end())
        .await?;
    let breakdowns = Attribute::ALL
        .into_iter()
        .map(|a| Breakdown::of(a, &rows, &period))
        .collect();
    let months = period
        .months()
        .into_iter()
        .map(|month| {
            months
                .iter()
                .find(|m| m.month == month)
                .cloned()
                .unwrap_or(OutcomeMonth {
                    month,
                    ..OutcomeMonth::default()
                })
        })
        .collect();
    Ok(Outcomes {
        university: m.org.name,
        period,
        summary,
        months,
        ratings,
        employers,
        employers_total,
        breakdowns,
        offers,
    })
}

pub use super::universities::money;

/// A share as a percentage, or a dash when there is nothing to divide.
pub fn percent(v: Option<f64>) -> String {
    v.map(|v| format!("{:.0}%", v * 100.0))
        .unwrap_or_else(|| "–".into())
}

/// A mean with one decimal, or a dash.
pub fn decimal(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}")).unwrap_or_else(|| "–".into())
}

fn share(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.4}")).unwrap_or_default()
}

/// The ratings' names, in the order stored.
pub const RATING_NAMES: [&str; 3] = ["Quality", "Communication", "Timeliness"];

/// Fields-tried buckets, in order.
pub const FIELDS_TRIED: [&str; 3] = ["One field", "Two fields", "Three or more"];

/// One table as CSV: (file name, body). Hidden equity groups are written as
/// "suppressed", never as a number.
pub async fn csv(
    state: &AppState,
    user: &User,
    period: Period,
    table: Table,
) -> Result<(String, String), AppError> {
    let limit = match table {
        Table::Employers => usize::MAX,
        _ => EMPLOYERS_SHOWN,
    };
    let o = report(state, user, period, limit).await?;
    let s = &o.summary;
    let csv = match table {
        Table::Summary => {
            let mut c = Csv::new(&["measure", "value"]);
            let days = s
                .median_days_to_first
                .map(|d| d.to_string())
                .unwrap_or_default();
            let rows: [(&str, String); 18] = [
                ("confirmed_students", s.students.to_string()),
                ("students_taking_part", s.taking_part.to_string()),
                ("applications", s.applications.to_string()),
                (
                    "applications_per_student",
                    decimal_raw(s.applications_per_student),
                ),
                ("hires", s.hires.to_string()),
                ("hire_rate", share(s.hire_rate)),
                ("engagements_started", s.started.to_string()),
                ("engagements_completed", s.completed.to_string()),
                ("engagements_cancelled", s.cancelled.to_string()),
                ("completion_rate", share(s.completion_rate)),
                ("fields_per_student", decimal_raw(s.fields_per_student)),
                ("students_working", s.working_students.to_string()),
                ("repeat_rate", share(s.repeat_rate)),
                ("first_projects", s.first_projects.to_string()),
                ("median_days_signup_to_first_project", days),
                ("offers_of_roles", o.offers.0.to_string()),
                ("offers_accepted", o.offers.1.to_string()),
                ("students_with_offers", o.offers.2.to_string()),
            ];
            for (k, v) in &rows {
                c.row(&[Cell::Text(k), Cell::Number(v.clone())]);
            }
            c
        }
        Table::Months => {
            let mut c = Csv::new(&["month", "applications", "hires", "completed"]);
            for m in &o.months {
                c.row(&[
                    Cell::Text(&m.month),
                    Cell::Number(m.applications.to_string()),
                    Cell::Number(m.hires.to_string()),
                    Cell::Number(m.completed.to_string()),
                ]);
            }
            c
        }
        Table::Fields => {
            let mut c = Csv::new(&["fields_tried", "students"]);
            for (label, n) in FIELDS_TRIED.iter().zip(s.fields_tried) {
                c.row(&[Cell::Text(label), Cell::Number(n.to_string())]);
            }
            c
        }
        Table::Earnings => {
            let mut c = Csv::new(&["currency", "total", "median_per_student", "students"]);
            for e in &s.earnings {
                c.row(&[
                    Cell::Text(&e.currency),
                    Cell::Number(minor_text(e.total_minor)),
                    Cell::Number(minor_text(e.median_minor)),
                    Cell::Number(e.students.to_string()),
                ]);
            }
            c
        }
        Table::Ratings => {
            let mut c = Csv::new(&["measure", "value"]);
            c.row(&[
                Cell::Text("reviews"),
                Cell::Number(o.ratings.reviews.to_string()),
            ]);
            if let Some(means) = o.ratings.means {
                for (name, v) in RATING_NAMES.iter().zip(means) {
                    let key = format!("mean_{}", name.to_lowercase());
                    c.row(&[Cell::Text(&key), Cell::Number(format!("{v:.2}"))]);
                }
            }
            for (i, n) in o.ratings.distribution.iter().enumerate() {
                let key = format!("overall_{}_stars", i + 1);
                c.row(&[Cell::Text(&key), Cell::Number(n.to_string())]);
            }
            c
        }
        Table::Employers => {
            let mut c = Csv::new(&["employer", "engagements", "students"]);
            for e in &o.employers {
                c.row(&[
                    Cell::Text(&e.name),
                    Cell::Number(e.engagements.to_string()),
                    Cell::Number(e.students.to_string()),
                ]);
            }
            c
        }
        Table::Equity => {
            let mut c = Csv::new(&[
                "attribute",
                "group",
                "students",
                "participation_rate",
                "hire_rate",
                "completion_rate",
            ]);
            for b in &o.breakdowns {
                for g in &b.groups {
                    let hidden = "suppressed".to_string();
                    let n = if g.suppressed {
                        hidden.clone()
                    } else {
                        g.students.map(|n| n.to_string()).unwrap_or_default()
                    };
                    let rate = |v: Option<f64>| {
                        if g.suppressed {
                            hidden.clone()
                        } else {
                            share(v)
                        }
                    };
                    c.row(&[
                        Cell::Text(b.label),
                        Cell::Text(g.label),
                        Cell::Number(n),
                        Cell::Number(rate(g.participation_rate)),
                        Cell::Number(rate(g.hire_rate)),
                        Cell::Number(rate(g.completion_rate)),
                    ]);
                }
            }
            c
        }
    };
    Ok((
        format!(
            "outcomes-{}-{}-{}.csv",
            table.as_str(),
            o.period.from,
            o.period.to
        ),
        csv.finish(),
    ))
}

fn decimal_raw(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.2}")).unwrap_or_default()
}

/// Minor units as a plain decimal ("8000.00"); every currency Stint takes
/// has cents.
fn minor_text(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", minor.abs() / 100, minor.abs() % 100)
}

// --- the student's answers ---

/// What a student's answers are sealed for: a sealed value copied to
/// another student's row does not open.
fn purpose(student_id: i64) -> String {
    format!("equity:{student_id}")
}

/// A student's answers sealed for storage: the four values in
/// [`Attribute::ALL`]'s order, comma-separated (`None`: none answered).
pub fn seal_answers(
    sealer: &Sealer,
    student_id: i64,
    answers: &Answers,
) -> Result<Option<String>, SealError> {
    if answers.0.iter().all(Option::is_none) {
        return Ok(None);
    }
    let plain = answers.0.map(|a| a.unwrap_or("")).join(",");
    sealer
        .seal(&purpose(student_id), plain.as_bytes())
        .map(Some)
}

/// Opens what [`seal_answers`] sealed; unknown values read as not answered.
pub fn open_answers(sealer: &Sealer, student_id: i64, sealed: &str) -> Result<Answers, SealError> {
    let plain = sealer.open(&purpose(student_id), sealed)?;
    let text = String::from_utf8_lossy(&plain);
    let mut raw = [None; 4];
    for (slot, value) in raw.iter_mut().zip(text.split(',')) {
        *slot = Some(value).filter(|v| !v.is_empty());
    }
    Ok(Answers::from_stored(raw))
}

/// Seals answers stored before they were sealed (migration 43) and clears
/// their plain columns; run by `stint serve` (and the commands that read
/// people's data) when they start. Returns how many were sealed.
pub async fn seal_stored_answers(state: &AppState) -> Result<usize, AppError> {
    let mut done = 0;
    loop {
        let plain = state.store.plain_equity_answers(500).await?;
        if plain.is_empty() {
            return Ok(done);
        }
        let mut sealed = Vec::with_capacity(plain.len());
        for (student, raw) in &plain {
            let answers = Answers::from_stored(raw.each_ref().map(Option::as_deref));
            let value = seal_answers(&state.config.sealer, *student, &answers)
                .map_err(|e| AppError::Internal(format!("sealing equity answers: {e}")))?;
            // A row with nothing answered keeps an empty sealed value, so
            // it is not read again; it reads as not answered.
            sealed.push((*student, value.unwrap_or_default()));
        }
        state.store.seal_plain_equity(&sealed).await?;
        done += plain.len();
    }
}

/// The student's answers to the equity questions.
pub async fn answers(state: &AppState, user: &User) -> Result<Answers, AppError> {
    require_role(user, Role::Student)?;
    let Some(sealed) = state.store.equity_sealed(user.id).await? else {
        return Ok(Answers::default());
    };
    // Answers sealed under a key no longer in use read as not answered
    // (the student can give them again), as in the report.
    Ok(
        open_answers(&state.config.sealer, user.id, &sealed).unwrap_or_else(|e| {
            tracing::warn!(user = user.id, error = %e, "equity answers do not open");
            Answers::default()
        }),
    )
}

/// Saves the student's answers (each optional; blank clears it).
pub async fn set_answers(
    state: &AppState,
    user: &User,
    raw: [&str; 4],
) -> Result<Answers, AppError> {
    require_role(user, Role::Student)?;
    let answers = Answers::parse(raw).map_err(|e: FieldErrors| AppError::Invalid(e))?;
    let sealed = seal_answers(&state.config.sealer, user.id, &answers)
        .map_err(|e| AppError::Internal(format!("sealing equity answers: {e}")))?;
    state
        .store
        .set_equity_sealed(user.id, sealed.as_deref())
        .await?;
    state
        .store
        .record_consent(
            user.id,
            "equity answers for your university's outcome reports",
            answers.0.iter().any(Option::is_some),
            "self",
            state.clock.now(),
        )
        .await?;
    Ok(answers)
}
