//! Webhooks (migration 34): an organization's endpoints, the messages made
//! for them and every delivery attempt. Every read and change of an
//! endpoint names the organization, so one organization never reaches
//! another's; secrets are stored sealed by the web tier.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::OptionalExt;
use crate::{Store, StoreError, StoreResult, with_db};

/// An endpoint as its organization reads it (sealed secrets included; the
/// web tier opens them only for owners).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct WebhookEndpoint {
    pub id: i64,
    pub org_id: i64,
    pub url: String,
    pub description: String,
    /// Event types, space-separated and sorted.
    pub events: String,
    #[serde(skip)]
    pub secret_sealed: String,
    #[serde(skip)]
    pub previous_secret_sealed: Option<String>,
    pub previous_until: Option<DateTime<Utc>>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The newest message's status and time, if any was made.
    pub last_status: Option<String>,
    pub last_at: Option<DateTime<Utc>>,
    /// Messages that finally failed in the last 7 days.
    pub failed_recently: i64,
}

/// What an endpoint is set to.
#[derive(Debug, Clone)]
pub struct EndpointInput {
    pub url: String,
    pub description: String,
    pub events: Vec<String>,
    pub active: bool,
}

/// One message to one endpoint, with the newest attempt's outcome.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct WebhookMessage {
    pub id: i64,
    pub endpoint_id: i64,
    pub msg_id: String,
    pub event_type: String,
    pub payload: String,
    /// pending | delivered | failed
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub last_duration_ms: Option<i64>,
}

/// A message with what sending it needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutgoingWebhook {
    pub id: i64,
    pub org_id: i64,
    pub endpoint_id: i64,
    pub msg_id: String,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub url: String,
    pub active: bool,
    pub secret_sealed: String,
    pub previous_secret_sealed: Option<String>,
    pub previous_until: Option<DateTime<Utc>>,
}

/// One attempt, for the delivery log.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct WebhookAttempt {
    pub id: i64,
    pub attempt: i32,
    /// scheduled | manual
    pub kind: String,
    pub at: DateTime<Utc>,
    pub status_code: Option<i32>,
    pub duration_ms: i64,
    pub error: Option<String>,
    pub response: String,
}

/// What an attempt found, and what follows for the message.
#[derive(Debug, Clone)]
pub struct AttemptRecord<'a> {
    pub kind: &'a str,
    pub at: DateTime<Utc>,
    pub status_code: Option<i32>,
    pub duration_ms: i64,
    pub error: Option<&'a str>,
    pub response: &'a str,
    /// delivered | pending (retried at `next_attempt_at`) | failed
    pub status: &'a str,
    pub next_attempt_at: Option<DateTime<Utc>>,
}

macro_rules! endpoint_select {
    () => {
        "SELECT e.id, e.org_id, e.url, e.description, e.events, e.secret_sealed, e.previous_secret_sealed,
                e.previous_until, e.active, e.created_at, e.updated_at,
                (SELECT m.status FROM webhook_messages m WHERE m.endpoint_id = e.id ORDER BY m.id DESC LIMIT 1) AS last_status,
                (SELECT m.created_at FROM webhook_messages m WHERE m.endpoint_id = e.id ORDER BY m.id DESC LIMIT 1) AS last_at,
                (SELECT CAST(COUNT(*) AS BIGINT) FROM webhook_messages m
                  WHERE m.endpoint_id = e.id AND m.status = 'failed' AND m.created_at >= $2) AS failed_recently
           FROM webhook_endpoints e"
    };
}

macro_rules! message_select {
    () => {
        "SELECT m.id, m.endpoint_id, m.msg_id, m.event_type, m.payload, m.status, m.attempts, m.next_attempt_at,
                m.created_at, m.delivered_at,
                (SELECT a.status_code FROM webhook_attempts a WHERE a.message_id = m.id ORDER BY a.id DESC LIMIT 1) AS last_status_code,
                (SELECT a.error FROM webhook_attempts a WHERE a.message_id = m.id ORDER BY a.id DESC LIMIT 1) AS last_error,
                (SELECT a.duration_ms FROM webhook_attempts a WHERE a.message_id = m.id ORDER BY a.id DESC LIMIT 1) AS last_duration_ms
           FROM webhook_messages m JOIN webhook_endpoints e ON e.id = m.endpoint_id"
    };
}

impl Store {
    /// The organization's endpoints, oldest first.
    pub async fn webhook_endpoints(&self, org_id: i64) -> StoreResult<Vec<WebhookEndpoint>> {
        let week = Utc::now() - chrono::Duration::days(7);
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(concat!(
                endpoint_select!(),
                " WHERE e.org_id = $1 ORDER BY e.id"
            ))
            .bind(org_id)
            .bind(week)
            .fetch_all(p)
            .await
        })?)
    }

    /// One of the organization's endpoints; `NotFound` for another's.
    pub async fn webhook_endpoint(&self, org_id: i64, id: i64) -> StoreResult<WebhookEndpoint> {
        let week = Utc::now() - chrono::Duration::days(7);
        with_db!(self, read, |p| {
            sqlx::query_as(concat!(
                endpoint_select!(),
                " WHERE e.org_id = $1 AND e.id = $3"
            ))
            .bind(org_id)
            .bind(week)
            .bind(id)
            .fetch_one(p)
            .await
        })
        .optional()?
        .ok_or(StoreError::NotFound)
    }

    pub async fn create_webhook_endpoint(
        &self,
        org_id: i64,
        created_by: i64,
        input: &EndpointInput,
        secret_sealed: &str,
        max_per_org: i64,
    ) -> StoreResult<i64> {
        let now = Utc::now();
        let events = input.events.join(" ");
        let id: Option<i64> = with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                // The organization's row first, so two creations queue and
                // both count what the other wrote.
                sqlx::query("UPDATE organizations SET id = id WHERE id = $1")
                    .bind(org_id)
                    .execute(&mut *tx)
                    .await?;
                let id: Option<i64> = sqlx::query_scalar(
                    "INSERT INTO webhook_endpoints (org_id, url, description, events, secret_sealed, active, created_by,
                                                    created_at, updated_at)
                     SELECT $1, $2, $3, $4, $5, $6, $7, $8, $8
                      WHERE (SELECT COUNT(*) FROM webhook_endpoints WHERE org_id = $1) < $9
                     RETURNING id",
                )
                .bind(org_id)
                .bind(&input.url)
                .bind(&input.description)
                .bind(&events)
                .bind(secret_sealed)
                .bind(input.active)
                .bind(created_by)
                .bind(now)
                .bind(max_per_org)
                .fetch_optional(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok::<_, sqlx::Error>(id)
            }
            .await
        })?;
        id.ok_or(StoreError::Conflict("too_many_endpoints"))
    }

    pub async fn update_webhook_endpoint(
        &self,
        org_id: i64,
        id: i64,
        input: &EndpointInput,
    ) -> StoreResult<()> {
        let events = input.events.join(" ");
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE webhook_endpoints SET url = $3, description = $4, events = $5, active = $6, updated_at = $7
                  WHERE org_id = $1 AND id = $2",
            )
            .bind(org_id)
            .bind(id)
            .bind(&input.url)
            .bind(&input.description)
            .bind(&events)
            .bind(input.active)
            .bind(Utc::now())
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Replaces the secret; the one it replaces keeps signing beside it
    /// until `previous_until`.
    pub async fn rotate_webhook_secret(
        &self,
        org_id: i64,
        id: i64,
        new_sealed: &str,
        previous_until: DateTime<Utc>,
    ) -> StoreResult<()> {
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE webhook_endpoints SET previous_secret_sealed = secret_sealed, previous_until = $4,
                        secret_sealed = $3, updated_at = $5
                  WHERE org_id = $1 AND id = $2",
            )
            .bind(org_id)
            .bind(id)
            .bind(new_sealed)
            .bind(previous_until)
            .bind(Utc::now())
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Deletes an endpoint with its messages and their attempts.
    pub async fn delete_webhook_endpoint(&self, org_id: i64, id: i64) -> StoreResult<()> {
        let n = with_db!(self, write, |p| {
            sqlx::query("DELETE FROM webhook_endpoints WHERE org_id = $1 AND id = $2")
                .bind(org_id)
                .bind(id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Writes one message of `event_type` for each of the organization's
    /// active endpoints subscribed to it, in one transaction; `msg_id` makes
    /// each message's id. Returns the messages' row ids.
    pub async fn enqueue_webhook_messages(
        &self,
        org_id: i64,
        event_type: &str,
        payload: &str,
        only_endpoint: Option<i64>,
        mut msg_id: impl FnMut() -> String,
    ) -> StoreResult<Vec<i64>> {
        let now = Utc::now();
        Ok(with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                let endpoints: Vec<i64> = sqlx::query_scalar(
                    "SELECT id FROM webhook_endpoints
                      WHERE org_id = $1 AND active AND ($3 IS NULL OR id = $3)
                        AND ($3 IS NOT NULL OR (' ' || events || ' ') LIKE ('% ' || $2 || ' %'))
                      ORDER BY id",
                )
                .bind(org_id)
                .bind(event_type)
                .bind(only_endpoint)
                .fetch_all(&mut *tx)
                .await?;
                let mut ids = Vec::with_capacity(endpoints.len());
                for endpoint in endpoints {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO webhook_messages (endpoint_id, msg_id, event_type, payload, status, attempts,
                                                       next_attempt_at, created_at)
                         VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5) RETURNING id",
                    )
                    .bind(endpoint)
                    .bind(msg_id())
                    .bind(event_type)
                    .bind(payload)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                    ids.push(id);
                }
                tx.commit().await?;
                Ok::<_, sqlx::Error>(ids)
            }
            .await
        })?)
    }

    /// A message with its endpoint's address and secrets; `None` once the
    /// endpoint (and so the message) is deleted.
    pub async fn outgoing_webhook(&self, id: i64) -> StoreResult<Option<OutgoingWebhook>> {
        with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT m.id, e.org_id, m.endpoint_id, m.msg_id, m.payload, m.status, m.attempts, e.url, e.active,
                        e.secret_sealed, e.previous_secret_sealed, e.previous_until
                   FROM webhook_messages m JOIN webhook_endpoints e ON e.id = m.endpoint_id
                  WHERE m.id = $1",
            )
            .bind(id)
            .fetch_one(p)
            .await
        })
        .optional()
    }

    /// Whether a webhook message is due and unclaimed at `now` (a read, so
    /// an idle worker does not take the write lock to find nothing).
    pub async fn webhook_jobs_due(&self, now: DateTime<Utc>) -> StoreResult<bool> {
        let n: i64 = with_db!(self, read, |p| {
            sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM (SELECT 1 FROM jobs
                  WHERE kind = 'webhook' AND done_at IS NULL AND run_at <= $1
                    AND (claimed_until IS NULL OR claimed_until < $1) LIMIT 1) d",
            )
            .bind(now)
            .fetch_one(p)
            .await
        })?;
        Ok(n > 0)
    }

    /// Claims up to `limit` due webhook jobs for `lease`, oldest first, but
    /// at most `per_endpoint` in flight for any one endpoint (counting the
    /// claims already out), so a slow receiver never takes every sender.
    pub async fn claim_webhook_jobs(
        &self,
        now: DateTime<Utc>,
        max_attempts: i32,
        limit: i64,
        per_endpoint: i64,
        lease: chrono::Duration,
    ) -> StoreResult<Vec<crate::Job>> {
        Ok(with_db!(self, write, |p| {
            sqlx::query_as(
                "WITH busy AS (
                     SELECT m.endpoint_id, COUNT(*) AS n FROM jobs j JOIN webhook_messages m ON m.id = j.subject_id
                      WHERE j.kind = 'webhook' AND j.done_at IS NULL AND j.claimed_until >= $2
                      GROUP BY m.endpoint_id),
                 due AS (
                     SELECT j.id, j.run_at, m.endpoint_id,
                            ROW_NUMBER() OVER (PARTITION BY m.endpoint_id ORDER BY j.run_at, j.id) AS k
                       FROM jobs j JOIN webhook_messages m ON m.id = j.subject_id
                      WHERE j.kind = 'webhook' AND j.done_at IS NULL AND j.run_at <= $2 AND j.attempts < $3
                        AND (j.claimed_until IS NULL OR j.claimed_until < $2))
                 UPDATE jobs SET claimed_until = $1, attempts = attempts + 1
                  WHERE id IN (SELECT d.id FROM due d LEFT JOIN busy b ON b.endpoint_id = d.endpoint_id
                                WHERE d.k + COALESCE(b.n, 0) <= $4
                                ORDER BY d.run_at, d.id LIMIT $5)
                    AND done_at IS NULL AND (claimed_until IS NULL OR claimed_until < $2)
                  RETURNING id, kind, subject_id, run_at, attempts",
            )
            .bind(now + lease)
            .bind(now)
            .bind(max_attempts)
            .bind(per_endpoint)
            .bind(limit)
            .fetch_all(p)
            .await
        })?)
    }

    /// Records an attempt and moves the message; returns the attempt's number.
    pub async fn record_webhook_attempt(
        &self,
        message_id: i64,
        a: &AttemptRecord<'_>,
    ) -> StoreResult<i32> {
        // Receivers' answers and errors are shown as text; NUL cannot be
        // stored on PostgreSQL.
        let clean = |s: &str| -> String { s.chars().filter(|c| *c != '\0').take(500).collect() };
        let error = a.error.map(clean);
        let response = clean(a.response);
        Ok(with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                let n: i32 = sqlx::query_scalar(
                    "UPDATE webhook_messages
                        SET attempts = attempts + 1,
                            status = CASE WHEN status = 'delivered' THEN status ELSE $2 END,
                            next_attempt_at = CASE WHEN status = 'delivered' OR $2 = 'delivered' THEN NULL ELSE $3 END,
                            delivered_at = CASE WHEN $2 = 'delivered' THEN COALESCE(delivered_at, $4) ELSE delivered_at END
                      WHERE id = $1 RETURNING attempts",
                )
                .bind(message_id)
                .bind(a.status)
                .bind(a.next_attempt_at)
                .bind(a.at)
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query(
                    "INSERT INTO webhook_attempts (message_id, attempt, kind, at, status_code, duration_ms, error, response)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(message_id)
                .bind(n)
                .bind(a.kind)
                .bind(a.at)
                .bind(a.status_code)
                .bind(a.duration_ms)
                .bind(error.as_deref())
                .bind(&response)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok::<_, sqlx::Error>(n)
            }
            .await
        })?)
    }

    /// Counts scheduled attempts of a message (its place in the back-off).
    pub async fn scheduled_webhook_attempts(&self, message_id: i64) -> StoreResult<i64> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM webhook_attempts WHERE message_id = $1 AND kind = 'scheduled'",
            )
            .bind(message_id)
            .fetch_one(p)
            .await
        })?)
    }

    /// One page of an endpoint's messages, newest first, before the message
    /// `before` (a row id), optionally of one status.
    pub async fn webhook_messages(
        &self,
        org_id: i64,
        endpoint_id: i64,
        status: Option<&str>,
        before: Option<i64>,
        limit: i64,
    ) -> StoreResult<Vec<WebhookMessage>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(concat!(
                message_select!(),
                " WHERE e.org_id = $1 AND m.endpoint_id = $2 AND ($3 IS NULL OR m.status = $3)
                    AND ($4 IS NULL OR m.id < $4)
                  ORDER BY m.id DESC LIMIT $5"
            ))
            .bind(org_id)
            .bind(endpoint_id)
            .bind(status)
            .bind(before)
            .bind(limit)
            .fetch_all(p)
            .await
        })?)
    }

    /// One message of the organization's; `NotFound` for another's.
    pub async fn webhook_message(&self, org_id: i64, id: i64) -> StoreResult<WebhookMessage> {
        with_db!(self, read, |p| {
            sqlx::query_as(concat!(
                message_select!(),
                " WHERE e.org_id = $1 AND m.id = $2"
            ))
            .bind(org_id)
            .bind(id)
            .fetch_one(p)
            .await
        })
        .optional()?
        .ok_or(StoreError::NotFound)
    }

    /// Deletes messages made before `before` that are no longer pending
    /// (their attempts go with them; their jobs went when they finished).
    pub async fn purge_webhook_log(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        Ok(with_db!(self, write, |p| {
            sqlx::query(
                "DELETE FROM webhook_messages WHERE created_at < $1 AND status <> 'pending'",
            )
            .bind(before)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?)
    }

    /// Messages to an endpoint given up since `since`.
    pub async fn failed_webhook_messages(
        &self,
        endpoint_id: i64,
        since: DateTime<Utc>,
    ) -> StoreResult<i64> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM webhook_messages
                  WHERE endpoint_id = $1 AND status = 'failed' AND created_at >= $2",
            )
            .bind(endpoint_id)
            .bind(since)
            .fetch_one(p)
            .await
        })?)
    }

    /// A message's attempts, oldest first.
    pub async fn webhook_attempts(&self, message_id: i64) -> StoreResult<Vec<WebhookAttempt>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT id, attempt, kind, at, status_code, duration_ms, error, response
                   FROM webhook_attempts WHERE message_id = $1 ORDER BY id",
            )
            .bind(message_id)
            .fetch_all(p)
            .await
        })?)
    }
}
