//! Private calendar feeds and the dates they carry beyond the agendas.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use crate::error::OptionalExt;
use crate::{Store, StoreResult, with_db};

/// A project's dates, for its organization's calendar.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ProjectDates {
    pub project_id: i64,
    pub title: String,
    pub application_deadline: NaiveDate,
    pub decision_by: NaiveDate,
}

/// An engagement whose review window is open and whose review from this
/// side is not written yet.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ReviewWindow {
    pub engagement_id: i64,
    pub project_title: String,
    pub released_at: DateTime<Utc>,
}

impl Store {
    /// The person's feed: the sealed token, if they made one.
    pub async fn calendar_feed(&self, user_id: i64) -> StoreResult<Option<String>> {
        with_db!(self, read, |p| {
            sqlx::query_scalar("SELECT token_sealed FROM calendar_feeds WHERE user_id = $1")
                .bind(user_id)
                .fetch_one(p)
                .await
                .optional()
        })
    }

    /// Makes (or replaces) the person's feed token; the old address stops
    /// working at once.
    pub async fn set_calendar_feed(
        &self,
        user_id: i64,
        token_hash: &str,
        token_sealed: &str,
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO calendar_feeds (user_id, token_hash, token_sealed, created_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash,
                   token_sealed = excluded.token_sealed, created_at = excluded.created_at",
            )
            .bind(user_id)
            .bind(token_hash)
            .bind(token_sealed)
            .bind(Utc::now())
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Turns the person's feed off.
    pub async fn delete_calendar_feed(&self, user_id: i64) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1")
                .bind(user_id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Whose feed a token hash opens.
    pub async fn calendar_feed_owner(&self, token_hash: &str) -> StoreResult<Option<i64>> {
        with_db!(self, read, |p| {
            sqlx::query_scalar("SELECT user_id FROM calendar_feeds WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_one(p)
                .await
                .optional()
        })
    }

    /// The organization's open projects and their dates.
    pub async fn org_open_project_dates(&self, org_id: i64) -> StoreResult<Vec<ProjectDates>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT id AS project_id, title, application_deadline, decision_by FROM projects
                 WHERE org_id = $1 AND status = 'open' ORDER BY application_deadline, id",
            )
            .bind(org_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// Review windows open after `since` (money released then or later)
    /// where `direction`'s review is missing: the student's engagements
    /// (`of_employer`) or the organization's (`of_student`).
    pub async fn open_review_windows(
        &self,
        student_id: Option<i64>,
        org_id: Option<i64>,
        since: DateTime<Utc>,
    ) -> StoreResult<Vec<ReviewWindow>> {
        let direction = if student_id.is_some() {
            "of_employer"
        } else {
            "of_student"
        };
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT e.id AS engagement_id, pr.title AS project_title, l.created_at AS released_at
                 FROM engagements e JOIN projects pr ON pr.id = e.project_id
                 JOIN ledger_entries l ON l.engagement_id = e.id AND l.kind = 'release'
                 WHERE (e.student_id = $1 OR e.org_id = $2) AND l.created_at > $3
                   AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.engagement_id = e.id AND r.direction = $4)
                 ORDER BY l.created_at",
            )
            .bind(student_id.unwrap_or(-1))
            .bind(org_id.unwrap_or(-1))
            .bind(since)
            .bind(direction)
            .fetch_all(p)
            .await
        })?)
    }
}
