//! In-app notifications.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Store, StoreError, StoreResult, with_db};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Notification {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

impl Store {
    pub async fn notify(
        &self,
        user_id: i64,
        kind: &str,
        title: &str,
        body: &str,
        link: Option<&str>,
    ) -> StoreResult<i64> {
        Ok(with_db!(self, write, |p| {
            sqlx::query_scalar(
                "INSERT INTO notifications (user_id, kind, title, body, link, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(user_id)
            .bind(kind)
            .bind(title)
            .bind(body)
            .bind(link)
            .bind(Utc::now())
            .fetch_one(p)
            .await
        })?)
    }

    /// A user's newest notifications.
    pub async fn notifications(&self, user_id: i64, limit: i64) -> StoreResult<Vec<Notification>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT id, kind, title, body, link, created_at, read_at FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2",
            )
            .bind(user_id)
            .bind(limit)
            .fetch_all(p)
            .await
        })?)
    }

    pub async fn unread_notifications(&self, user_id: i64) -> StoreResult<i64> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
            )
            .bind(user_id)
            .fetch_one(p)
            .await
        })?)
    }

    /// Marks one of the user's notifications read, or all of them with `None`.
    /// `NotFound` for someone else's notification.
    pub async fn mark_read(&self, user_id: i64, id: Option<i64>) -> StoreResult<u64> {
        let now = Utc::now();
        let n = with_db!(self, write, |p| {
            sqlx::query("UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE user_id = $2 AND ($3 IS NULL OR id = $3)")
                .bind(now)
                .bind(user_id)
                .bind(id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        if id.is_some() && n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(n)
    }
}
