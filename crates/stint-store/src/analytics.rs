//! What an employer's analytics are computed from: one organization's
//! projects, the applications sent in a period, their engagements, the
//! project pages' daily views, the money the organization put in and got
//! back, and its offers. The store reads the rows; the web crate's
//! `app::analytics` turns them into the funnel, the times and the months.
//! Every query names the organization, so no row of another one is read.

use chrono::{DateTime, NaiveDate, Utc};

use crate::{Store, StoreResult, with_db};

/// A project of the organization.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProjectFact {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub published_at: Option<DateTime<Utc>>,
    /// When its first application arrived, whenever that was.
    pub first_application_at: Option<DateTime<Utc>>,
}

/// An application sent in the period.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApplicationFact {
    pub project_id: i64,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    /// It was shortlisted at some point (it may have moved on since).
    pub shortlisted: bool,
    /// Its engagement's work was approved.
    pub completed: bool,
}

/// One movement of the organization's money in the period.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MoneyFact {
    pub project_id: i64,
    /// fund (the price into escrow) | fee | refund (escrow back to the
    /// organization on cancellation)
    pub kind: String,
    pub amount_minor: i64,
    pub currency: String,
    pub created_at: DateTime<Utc>,
}

/// An offer the organization made in the period.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OfferFact {
    pub status: String,
    pub created_at: DateTime<Utc>,
}

/// Everything a report over `[start, end)` reads.
#[derive(Debug, Clone, Default)]
pub struct AnalyticsRows {
    pub projects: Vec<ProjectFact>,
    pub applications: Vec<ApplicationFact>,
    /// (project, day, views)
    pub views: Vec<(i64, NaiveDate, i64)>,
    pub money: Vec<MoneyFact>,
    pub offers: Vec<OfferFact>,
}

impl Store {
    /// Adds page views counted in memory: (project, day, views).
    pub async fn add_project_views(&self, counts: &[(i64, NaiveDate, i64)]) -> StoreResult<()> {
        if counts.is_empty() {
            return Ok(());
        }
        with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                for (project, day, n) in counts {
                    // A project deleted meanwhile has nothing to count.
                    sqlx::query(
                        "INSERT INTO project_views (project_id, day, views)
                         SELECT id, $2, $3 FROM projects WHERE id = $1
                         ON CONFLICT (project_id, day) DO UPDATE SET views = project_views.views + excluded.views",
                    )
                    .bind(project)
                    .bind(day)
                    .bind(n)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await
            }
            .await
        })?;
        Ok(())
    }

    /// Whether any page view was ever counted (the demo adds its own once).
    pub async fn has_project_views(&self) -> StoreResult<bool> {
        let n: i64 = with_db!(self, read, |p| {
            sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT 1 FROM project_views LIMIT 1) v",
            )
            .fetch_one(p)
            .await
        })?;
        Ok(n > 0)
    }

    /// The rows of one organization's report over `[start, end)`, for all
    /// its projects or only `project`.
    pub async fn analytics_rows(
        &self,
        org_id: i64,
        project: Option<i64>,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> StoreResult<AnalyticsRows> {
        let (from_day, to_day) = (start.date_naive(), end.date_naive());
        let projects: Vec<ProjectFact> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT p.id, p.title, p.status, p.published_at,
                        (SELECT MIN(a.created_at) FROM applications a WHERE a.project_id = p.id) AS first_application_at
                   FROM projects p WHERE p.org_id = $1 AND ($2 IS NULL OR p.id = $2) AND p.status <> 'draft'
                  ORDER BY p.id DESC",
            )
            .bind(org_id)
            .bind(project)
            .fetch_all(p)
            .await
        })?;
        let applications: Vec<ApplicationFact> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT a.project_id, a.status, a.created_at, a.decided_at,
                        (a.status IN ('shortlisted', 'hired') OR EXISTS (SELECT 1 FROM audit_log l
                            WHERE l.object_type = 'application' AND l.object_id = a.id AND l.action = 'application.shortlisted')) AS shortlisted,
                        EXISTS (SELECT 1 FROM engagements e WHERE e.application_id = a.id AND e.approved_at IS NOT NULL) AS completed
                   FROM applications a JOIN projects p ON p.id = a.project_id
                  WHERE p.org_id = $1 AND ($2 IS NULL OR p.id = $2) AND a.created_at >= $3 AND a.created_at < $4",
            )
            .bind(org_id)
            .bind(project)
            .bind(start)
            .bind(end)
            .fetch_all(p)
            .await
        })?;
        let views: Vec<(i64, NaiveDate, i64)> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT v.project_id, v.day, CAST(v.views AS BIGINT) FROM project_views v JOIN projects p ON p.id = v.project_id
                  WHERE p.org_id = $1 AND ($2 IS NULL OR p.id = $2) AND v.day >= $3 AND v.day < $4",
            )
            .bind(org_id)
            .bind(project)
            .bind(from_day)
            .bind(to_day)
            .fetch_all(p)
            .await
        })?;
        let account = stint_domain::ledger::employer_account(org_id);
        let money: Vec<MoneyFact> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT e.project_id, l.kind, l.amount_minor, l.currency, l.created_at
                   FROM ledger_entries l JOIN engagements e ON e.id = l.engagement_id
                  WHERE e.org_id = $1 AND ($2 IS NULL OR e.project_id = $2) AND l.created_at >= $3 AND l.created_at < $4
                    AND ((l.kind IN ('fund', 'fee') AND l.from_account = $5) OR (l.kind = 'refund' AND l.to_account = $5))",
            )
            .bind(org_id)
            .bind(project)
            .bind(start)
            .bind(end)
            .bind(&account)
            .fetch_all(p)
            .await
        })?;
        let offers: Vec<OfferFact> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT status, created_at FROM offers WHERE org_id = $1 AND created_at >= $2 AND created_at < $3",
            )
            .bind(org_id)
            .bind(start)
            .bind(end)
            .fetch_all(p)
            .await
        })?;
        Ok(AnalyticsRows {
            projects,
            applications,
            views,
            money,
            offers,
        })
    }
}
