//! Stored answers for `Idempotency-Key` retries. The first request with a
//! key claims it with an insert that only one request can win; the answer is
//! stored when it is ready, and a retry gets that answer back.

use chrono::{DateTime, Utc};

use crate::{Store, StoreResult, with_db};

/// A response kept for replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// What claiming a key found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// This request owns the key and runs.
    Claimed,
    /// Another request with this key is still running.
    InProgress,
    /// The key was used for a different request (method, path or body).
    Mismatch,
    /// The key's request finished; here is its answer.
    Done(StoredResponse),
}

#[derive(sqlx::FromRow)]
struct Row {
    fingerprint: String,
    status: Option<i32>,
    content_type: Option<String>,
    body: Option<Vec<u8>>,
}

impl Store {
    /// Claims `(scope, key)` for a request with `fingerprint`. A claim older
    /// than `expired_before` is forgotten first, so keys can be reused a day
    /// later.
    pub async fn claim_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        fingerprint: &str,
        now: DateTime<Utc>,
        expired_before: DateTime<Utc>,
    ) -> StoreResult<Claim> {
        let inserted = with_db!(self, write, |p| {
            async {
                sqlx::query("DELETE FROM idempotency_keys WHERE scope = $1 AND idem_key = $2 AND created_at < $3")
                    .bind(scope)
                    .bind(key)
                    .bind(expired_before)
                    .execute(p)
                    .await?;
                sqlx::query(
                    "INSERT INTO idempotency_keys (scope, idem_key, fingerprint, created_at) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (scope, idem_key) DO NOTHING",
                )
                .bind(scope)
                .bind(key)
                .bind(fingerprint)
                .bind(now)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
            }
            .await
        })?;
        if inserted == 1 {
            return Ok(Claim::Claimed);
        }
        let row: Row = with_db!(self, write, |p| {
            sqlx::query_as(
                "SELECT fingerprint, status, content_type, body FROM idempotency_keys WHERE scope = $1 AND idem_key = $2",
            )
            .bind(scope)
            .bind(key)
            .fetch_one(p)
            .await
        })?;
        Ok(if row.fingerprint != fingerprint {
            Claim::Mismatch
        } else {
            match row.status {
                None => Claim::InProgress,
                Some(status) => Claim::Done(StoredResponse {
                    status: u16::try_from(status).unwrap_or(500),
                    content_type: row.content_type,
                    body: row.body.unwrap_or_default(),
                }),
            }
        })
    }

    /// Stores the answer of a claimed key.
    pub async fn finish_idempotency_key(
        &self,
        scope: &str,
        key: &str,
        response: &StoredResponse,
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE idempotency_keys SET status = $1, content_type = $2, body = $3 WHERE scope = $4 AND idem_key = $5",
            )
            .bind(i32::from(response.status))
            .bind(&response.content_type)
            .bind(&response.body)
            .bind(scope)
            .bind(key)
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Gives a claimed key up (the request failed on our side), so a retry
    /// runs again.
    pub async fn release_idempotency_key(&self, scope: &str, key: &str) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query("DELETE FROM idempotency_keys WHERE scope = $1 AND idem_key = $2 AND status IS NULL")
                .bind(scope)
                .bind(key)
                .execute(p)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// Forgets every key claimed before `before`; returns how many.
    pub async fn purge_idempotency_keys(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        Ok(with_db!(self, write, |p| {
            sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1")
                .bind(before)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?)
    }
}
