//! What a university's outcomes report reads: one row of counts per
//! confirmed student within a period, and aggregates (ratings, employers,
//! months) computed by the database. Students who share only aggregates are
//! counted like everyone else; nothing here names a student. Also the
//! student's optional equity answers, which only these aggregates read.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use stint_domain::outcomes::{Answers, StudentRow};

use crate::error::OptionalExt;
use crate::{Db, Store, StoreResult, with_db};

/// The employer's ratings of a university's students, over the period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct RatingSummary {
    pub reviews: i64,
    /// Mean quality, communication and timeliness.
    pub means: Option<[f64; 3]>,
    /// Reviews whose rounded mean of the three is 1, 2, 3, 4 and 5.
    pub distribution: [i64; 5],
}

/// An employer a university's students worked for in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct OutcomeEmployer {
    pub name: String,
    pub slug: String,
    pub engagements: i64,
    pub students: i64,
}

/// One month of activity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OutcomeMonth {
    /// "YYYY-MM"
    pub month: String,
    pub applications: i64,
    pub hires: i64,
    pub completed: i64,
}

/// A student's four answers as stored.
type AnswerRow = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

#[derive(sqlx::FromRow)]
struct CohortRow {
    student_id: i64,
    created_at: DateTime<Utc>,
    first_generation: Option<String>,
    need_based_aid: Option<String>,
    gender: Option<String>,
    disability: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ApplicationCounts {
    student_id: i64,
    applications: i64,
    hired: i64,
    fields: i64,
}

#[derive(sqlx::FromRow)]
struct EngagementCounts {
    student_id: i64,
    currency: String,
    started: i64,
    completed: i64,
    earned: i64,
    cancelled: i64,
    first_started: Option<DateTime<Utc>>,
}

/// Confirmed students of university `$1`.
macro_rules! cohort {
    () => {
        "affiliations af WHERE af.university_id = $1 AND af.status = 'confirmed'"
    };
}

macro_rules! months_sql {
    ($applied:literal, $released:literal) => {
        concat!(
            "SELECT ",
            $applied,
            " AS month, COUNT(*) AS applications,
               SUM(CASE WHEN a.status = 'hired' THEN 1 ELSE 0 END) AS hires
             FROM applications a
             WHERE a.student_id IN (SELECT af.student_id FROM ",
            cohort!(),
            ")
               AND a.created_at >= $2 AND a.created_at < $3
             GROUP BY 1",
            ";",
            "SELECT ",
            $released,
            " AS month, COUNT(*) AS completed
             FROM engagements e
             WHERE e.student_id IN (SELECT af.student_id FROM ",
            cohort!(),
            ")
               AND e.approved_at >= $2 AND e.approved_at < $3
             GROUP BY 1"
        )
    };
}

const MONTHS_SQLITE: &str =
    months_sql!("substr(a.created_at, 1, 7)", "substr(e.approved_at, 1, 7)");
const MONTHS_POSTGRES: &str = months_sql!(
    "to_char(a.created_at AT TIME ZONE 'UTC', 'YYYY-MM')",
    "to_char(e.approved_at AT TIME ZONE 'UTC', 'YYYY-MM')"
);

impl Store {
    /// A student's equity answers, as stored (`None`: not answered).
    pub async fn equity_answers(&self, student_id: i64) -> StoreResult<Answers> {
        let row: Option<AnswerRow> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT first_generation, need_based_aid, gender, disability
                     FROM equity_attributes WHERE student_id = $1",
            )
            .bind(student_id)
            .fetch_one(p)
            .await
            .optional()
        })?;
        Ok(match row {
            Some((a, b, c, d)) => {
                Answers::from_stored([a.as_deref(), b.as_deref(), c.as_deref(), d.as_deref()])
            }
            None => Answers::default(),
        })
    }

    /// Records a student's answers; with none answered, the row goes.
    pub async fn set_equity_answers(&self, student_id: i64, answers: &Answers) -> StoreResult<()> {
        let now = Utc::now();
        let [a, b, c, d] = answers.0;
        if answers.0.iter().all(Option::is_none) {
            with_db!(self, write, |p| {
                sqlx::query("DELETE FROM equity_attributes WHERE student_id = $1")
                    .bind(student_id)
                    .execute(p)
                    .await
                    .map(|_| ())
            })?;
            return Ok(());
        }
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO equity_attributes (student_id, first_generation, need_based_aid, gender, disability, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (student_id) DO UPDATE SET first_generation = excluded.first_generation,
                   need_based_aid = excluded.need_based_aid, gender = excluded.gender,
                   disability = excluded.disability, updated_at = excluded.updated_at",
            )
            .bind(student_id)
            .bind(a)
            .bind(b)
            .bind(c)
            .bind(d)
            .bind(now)
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// One row per confirmed student of the university, with their activity
    /// in `[start, end)`.
    pub async fn outcome_rows(
        &self,
        university_id: i64,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> StoreResult<Vec<StudentRow>> {
        let cohort = async {
            let rows: Vec<CohortRow> = with_db!(self, read, |p| {
                sqlx::query_as(
                    "SELECT af.student_id, u.created_at, q.first_generation, q.need_based_aid, q.gender, q.disability
                     FROM affiliations af JOIN users u ON u.id = af.student_id
                     LEFT JOIN equity_attributes q ON q.student_id = af.student_id
                     WHERE af.university_id = $1 AND af.status = 'confirmed'"
                )
                .bind(university_id)
                .fetch_all(p)
                .await
            })?;
            StoreResult::Ok(rows)
        };
        let applications = async {
            let rows: Vec<ApplicationCounts> = with_db!(self, read, |p| {
                sqlx::query_as(concat!(
                    "SELECT a.student_id, COUNT(*) AS applications,
                       SUM(CASE WHEN a.status = 'hired' THEN 1 ELSE 0 END) AS hired,
                       COUNT(DISTINCT a.category) AS fields
                     FROM applications a
                     WHERE a.student_id IN (SELECT af.student_id FROM ",
                    cohort!(),
                    ")
                       AND a.created_at >= $2 AND a.created_at < $3
                     GROUP BY a.student_id"
                ))
                .bind(university_id)
                .bind(start)
                .bind(end)
                .fetch_all(p)
                .await
            })?;
            StoreResult::Ok(rows)
        };
        let engagements = async {
            let rows: Vec<EngagementCounts> = with_db!(self, read, |p| {
                sqlx::query_as(concat!(
                    "SELECT e.student_id, e.currency,
                       SUM(CASE WHEN e.created_at >= $2 THEN 1 ELSE 0 END) AS started,
                       SUM(CASE WHEN e.approved_at >= $2 AND e.approved_at < $3 THEN 1 ELSE 0 END) AS completed,
                       CAST(SUM(CASE WHEN e.approved_at >= $2 AND e.approved_at < $3 THEN e.price_minor ELSE 0 END) AS BIGINT) AS earned,
                       SUM(CASE WHEN e.status = 'cancelled' AND e.updated_at >= $2 AND e.updated_at < $3 THEN 1 ELSE 0 END) AS cancelled,
                       MIN(e.created_at) AS first_started
                     FROM engagements e
                     WHERE e.student_id IN (SELECT af.student_id FROM ", cohort!(), ")
                       AND e.created_at < $3
                     GROUP BY e.student_id, e.currency"
                ))
                .bind(university_id)
                .bind(start)
                .bind(end)
                .fetch_all(p)
                .await
            })?;
            StoreResult::Ok(rows)
        };
        let (cohort, applications, engagements) =
            tokio::try_join!(cohort, applications, engagements)?;

        let mut at: HashMap<i64, usize> = HashMap::with_capacity(cohort.len());
        let mut rows: Vec<StudentRow> = Vec::with_capacity(cohort.len());
        for c in cohort {
            at.insert(c.student_id, rows.len());
            rows.push(StudentRow {
                signed_up: Some(c.created_at),
                answers: Answers::from_stored([
                    c.first_generation.as_deref(),
                    c.need_based_aid.as_deref(),
                    c.gender.as_deref(),
                    c.disability.as_deref(),
                ]),
                ..StudentRow::default()
            });
        }
        for a in applications {
            if let Some(r) = at.get(&a.student_id).map(|&i| &mut rows[i]) {
                r.applications = a.applications;
                r.hired = a.hired;
                r.fields = a.fields;
            }
        }
        for e in engagements {
            if let Some(r) = at.get(&e.student_id).map(|&i| &mut rows[i]) {
                r.started += e.started;
                r.completed += e.completed;
                r.cancelled += e.cancelled;
                r.first_started = match (r.first_started, e.first_started) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                };
                if e.earned > 0 {
                    r.earned.push((e.currency, e.earned));
                }
            }
        }
        Ok(rows)
    }

    /// Employers' ratings of the university's students on work approved in
    /// `[start, end)`, as far as the double-blind rule shows them: both sides
    /// have reviewed, or the window (approval before `window_closed_before`)
    /// has closed.
    pub async fn outcome_ratings(
        &self,
        university_id: i64,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        window_closed_before: DateTime<Utc>,
    ) -> StoreResult<RatingSummary> {
        let rows: Vec<(i64, i64, i64, i64, i64)> = with_db!(self, read, |p| {
            sqlx::query_as(concat!(
                "SELECT CAST((r.rating_1 + r.rating_2 + r.rating_3 + 1) / 3 AS BIGINT) AS overall, COUNT(*) AS n,
                   CAST(SUM(r.rating_1) AS BIGINT), CAST(SUM(r.rating_2) AS BIGINT), CAST(SUM(r.rating_3) AS BIGINT)
                 FROM engagements e
                 JOIN reviews r ON r.engagement_id = e.id AND r.direction = 'of_student'
                 WHERE e.student_id IN (SELECT af.student_id FROM ", cohort!(), ")
                   AND e.approved_at >= $2 AND e.approved_at < $3
                   AND (e.approved_at < $4 OR EXISTS (
                       SELECT 1 FROM reviews o WHERE o.engagement_id = e.id AND o.direction = 'of_employer'))
                 GROUP BY 1"
            ))
            .bind(university_id)
            .bind(start)
            .bind(end)
            .bind(window_closed_before)
            .fetch_all(p)
            .await
        })?;
        let mut out = RatingSummary::default();
        let mut sums = [0_i64; 3];
        for (overall, n, a, b, c) in rows {
            out.reviews += n;
            if let Some(slot) = out.distribution.get_mut((overall.clamp(1, 5) - 1) as usize) {
                *slot += n;
            }
            sums[0] += a;
            sums[1] += b;
            sums[2] += c;
        }
        if out.reviews > 0 {
            let n = out.reviews as f64;
            out.means = Some(sums.map(|s| s as f64 / n));
        }
        Ok(out)
    }

    /// Employers whose engagements with the university's students started in
    /// `[start, end)`, most engagements first (at most `limit`), and how many
    /// there were in all.
    pub async fn outcome_employers(
        &self,
        university_id: i64,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        limit: i64,
    ) -> StoreResult<(Vec<OutcomeEmployer>, i64)> {
        let rows: Vec<OutcomeEmployer> = with_db!(self, read, |p| {
            sqlx::query_as(concat!(
                "SELECT o.name, o.slug, x.engagements, x.students
                 FROM (SELECT e.org_id, COUNT(*) AS engagements, COUNT(DISTINCT e.student_id) AS students
                       FROM engagements e
                       WHERE e.student_id IN (SELECT af.student_id FROM ", cohort!(), ")
                         AND e.created_at >= $2 AND e.created_at < $3
                       GROUP BY e.org_id) x
                 JOIN organizations o ON o.id = x.org_id
                 ORDER BY x.engagements DESC, o.name, o.id"
            ))
            .bind(university_id)
            .bind(start)
            .bind(end)
            .fetch_all(p)
            .await
        })?;
        let total = rows.len() as i64;
        Ok((
            rows.into_iter().take(limit.max(0) as usize).collect(),
            total,
        ))
    }

    /// Applications, hires and approvals per month ("YYYY-MM", UTC), for the
    /// months that had any.
    pub async fn outcome_months(
        &self,
        university_id: i64,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> StoreResult<Vec<OutcomeMonth>> {
        let sql = match &self.db {
            Db::Sqlite { .. } => MONTHS_SQLITE,
            Db::Postgres(_) => MONTHS_POSTGRES,
        };
        let (applied_sql, released_sql) = sql.split_once(';').unwrap_or((sql, ""));
        let applied = async {
            let rows: Vec<(String, i64, i64)> = with_db!(self, read, |p| {
                sqlx::query_as(applied_sql)
                    .bind(university_id)
                    .bind(start)
                    .bind(end)
                    .fetch_all(p)
                    .await
            })?;
            StoreResult::Ok(rows)
        };
        let released = async {
            let rows: Vec<(String, i64)> = with_db!(self, read, |p| {
                sqlx::query_as(released_sql)
                    .bind(university_id)
                    .bind(start)
                    .bind(end)
                    .fetch_all(p)
                    .await
            })?;
            StoreResult::Ok(rows)
        };
        let (applied, released) = tokio::try_join!(applied, released)?;
        let mut months: std::collections::BTreeMap<String, OutcomeMonth> = Default::default();
        for (month, applications, hires) in applied {
            let m = months.entry(month.clone()).or_default();
            m.month = month;
            m.applications = applications;
            m.hires = hires;
        }
        for (month, completed) in released {
            let m = months.entry(month.clone()).or_default();
            m.month = month;
            m.completed = completed;
        }
        Ok(months.into_values().collect())
    }
}
