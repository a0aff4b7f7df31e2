//! Outgoing email waits in the outbox table; a sender job delivers it over
//! SMTP when one is configured, and the demo mailbox page shows it otherwise.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Store, StoreResult, with_db};

/// Delivery state of one message, for operators and tests.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct OutboxStatus {
    pub id: i64,
    pub attempts: i32,
    pub sent: bool,
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct OutboxMessage {
    pub id: i64,
    pub to_addr: String,
    pub subject: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl Store {
    pub async fn enqueue_email(&self, to: &str, subject: &str, body: &str) -> StoreResult<i64> {
        Ok(with_db!(self, write, |p| {
            sqlx::query_scalar("INSERT INTO outbox (to_addr, subject, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
                .bind(to)
                .bind(subject)
                .bind(body)
                .bind(Utc::now())
                .fetch_one(p)
                .await
        })?)
    }

    /// Newest first.
    pub async fn recent_email(&self, limit: i64) -> StoreResult<Vec<OutboxMessage>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as("SELECT id, to_addr, subject, body, created_at, sent_at FROM outbox ORDER BY id DESC LIMIT $1")
                .bind(limit)
                .fetch_all(p)
                .await
        })?)
    }

    pub async fn email_to(&self, to: &str) -> StoreResult<Vec<OutboxMessage>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as("SELECT id, to_addr, subject, body, created_at, sent_at FROM outbox WHERE to_addr = $1 ORDER BY id DESC")
                .bind(to)
                .fetch_all(p)
                .await
        })?)
    }

    /// Claims up to `limit` unsent messages for `lease`, oldest first, and
    /// counts the attempt. A message claimed by another sender is skipped
    /// until its lease runs out (then it is retried, up to `max_attempts`).
    /// The outer conditions are re-checked on each row as it is locked, so two
    /// senders racing for one message cannot both win it.
    pub async fn claim_email(
        &self,
        max_attempts: i32,
        limit: i64,
        lease: chrono::Duration,
    ) -> StoreResult<Vec<OutboxMessage>> {
        let now = Utc::now();
        Ok(with_db!(self, write, |p| {
            sqlx::query_as(
                "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1
                 WHERE id IN (SELECT id FROM outbox
                              WHERE sent_at IS NULL AND attempts < $2 AND (claimed_until IS NULL OR claimed_until < $3)
                              ORDER BY id LIMIT $4)
                   AND sent_at IS NULL AND attempts < $2 AND (claimed_until IS NULL OR claimed_until < $3)
                 RETURNING id, to_addr, subject, body, created_at, sent_at",
            )
            .bind(now + lease)
            .bind(max_attempts)
            .bind(now)
            .bind(limit)
            .fetch_all(p)
            .await
        })?)
    }

    pub async fn mark_email_sent(&self, id: i64) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query("UPDATE outbox SET sent_at = $1, last_error = NULL WHERE id = $2")
                .bind(Utc::now())
                .bind(id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Records why sending failed; the claim's lease is the back-off.
    pub async fn mark_email_failed(&self, id: i64, error: &str) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query("UPDATE outbox SET last_error = $1 WHERE id = $2")
                .bind(error)
                .bind(id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn email_status(&self, id: i64) -> StoreResult<OutboxStatus> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT id, attempts, CASE WHEN sent_at IS NULL THEN FALSE ELSE TRUE END AS sent, last_error FROM outbox WHERE id = $1",
            )
            .bind(id)
            .fetch_one(p)
            .await
        })?)
    }
}
