//! Signed credentials and the public keys they were signed with.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::OptionalExt;
use crate::{Store, StoreError, StoreResult, push_in, with_db};

/// A public key the platform signs (or signed) credentials with.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct IssuerKeyRecord {
    pub public_multibase: String,
    pub created_at: DateTime<Utc>,
    pub retired_at: Option<DateTime<Utc>>,
}

/// A signed credential as issued.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Credential {
    pub id: i64,
    pub public_id: String,
    pub achievement_id: i64,
    pub student_id: i64,
    pub status_index: i32,
    /// The signed JSON-LD document, exactly as issued.
    pub document: String,
    pub issued_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_reason: Option<String>,
}

/// A student's verified record on Stint, for employers weighing an
/// application.
#[derive(Debug, Clone, Default, Serialize, sqlx::FromRow)]
pub struct TrackRecord {
    pub student_id: i64,
    /// Engagements approved (and paid).
    pub completed: i64,
    /// Employers' reviews the double-blind rule already shows.
    pub reviews: i64,
    /// The sum of their three ratings each (average = sum / (3 × reviews)).
    pub rating_sum: i64,
    /// Credentials in force.
    pub credentials: i64,
}

/// A new credential to keep.
pub struct NewCredential<'a> {
    pub public_id: &'a str,
    pub achievement_id: i64,
    pub student_id: i64,
    pub status_index: i32,
    pub document: &'a str,
    pub issued_at: DateTime<Utc>,
}

macro_rules! select {
    () => {
        "SELECT id, public_id, achievement_id, student_id, status_index, document, issued_at, revoked_at, revoked_reason FROM credentials"
    };
}

impl Store {
    /// Publishes a signing key (once; registering it again changes nothing).
    pub async fn register_issuer_key(&self, public_multibase: &str) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO issuer_keys (public_multibase, created_at) VALUES ($1, $2)
                 ON CONFLICT (public_multibase) DO NOTHING",
            )
            .bind(public_multibase)
            .bind(Utc::now())
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Marks a key as no longer used for signing. It stays published.
    pub async fn retire_issuer_key(&self, public_multibase: &str) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE issuer_keys SET retired_at = $2 WHERE public_multibase = $1 AND retired_at IS NULL",
            )
            .bind(public_multibase)
            .bind(Utc::now())
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Every key ever published, oldest first.
    pub async fn issuer_keys(&self) -> StoreResult<Vec<IssuerKeyRecord>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT public_multibase, created_at, retired_at FROM issuer_keys ORDER BY id",
            )
            .fetch_all(p)
            .await
        })?)
    }

    /// Keeps a signed credential. A taken `status_index` or `public_id`
    /// answers `Conflict("duplicate")`: draw another and sign again.
    pub async fn insert_credential(&self, c: &NewCredential<'_>) -> StoreResult<Credential> {
        let id: i64 = with_db!(self, write, |p| {
            sqlx::query_scalar(
                "INSERT INTO credentials (public_id, achievement_id, student_id, status_index, document, issued_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(c.public_id)
            .bind(c.achievement_id)
            .bind(c.student_id)
            .bind(c.status_index)
            .bind(c.document)
            .bind(c.issued_at)
            .fetch_one(p)
            .await
        })?;
        self.credential_by_id(id).await
    }

    async fn credential_by_id(&self, id: i64) -> StoreResult<Credential> {
        Ok(with_db!(self, write, |p| {
            sqlx::query_as(concat!(select!(), " WHERE id = $1"))
                .bind(id)
                .fetch_one(p)
                .await
        })?)
    }

    /// The credential at `/credentials/{public_id}`.
    pub async fn credential(&self, public_id: &str) -> StoreResult<Credential> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(concat!(select!(), " WHERE public_id = $1"))
                .bind(public_id)
                .fetch_one(p)
                .await
        })?)
    }

    /// The achievement's credential in force (the newest not revoked).
    pub async fn current_credential(&self, achievement_id: i64) -> StoreResult<Option<Credential>> {
        with_db!(self, read, |p| {
            sqlx::query_as(concat!(
                select!(),
                " WHERE achievement_id = $1 AND revoked_at IS NULL ORDER BY id DESC LIMIT 1"
            ))
            .bind(achievement_id)
            .fetch_one(p)
            .await
            .optional()
        })
    }

    /// A student's credentials, newest first, revoked ones included.
    pub async fn student_credentials(&self, student_id: i64) -> StoreResult<Vec<Credential>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(concat!(
                select!(),
                " WHERE student_id = $1 ORDER BY id DESC"
            ))
            .bind(student_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// The newest credentials, for the admin's list.
    pub async fn recent_credentials(&self, limit: i64) -> StoreResult<Vec<Credential>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(concat!(select!(), " ORDER BY id DESC LIMIT $1"))
                .bind(limit)
                .fetch_all(p)
                .await
        })?)
    }

    /// Revokes a credential; `Conflict("already_revoked")` if it was.
    pub async fn revoke_credential(
        &self,
        public_id: &str,
        reason: &str,
    ) -> StoreResult<Credential> {
        let done = with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE credentials SET revoked_at = $2, revoked_reason = $3 WHERE public_id = $1 AND revoked_at IS NULL",
            )
            .bind(public_id)
            .bind(Utc::now())
            .bind(reason)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        let c = self.credential(public_id).await?;
        if done == 0 {
            return Err(StoreError::Conflict("already_revoked"));
        }
        Ok(c)
    }

    /// The track records of `student_ids`. A review counts once both sides
    /// have written theirs, or once its window closed: money was released
    /// before `window_closed_before`.
    pub async fn track_records(
        &self,
        student_ids: &[i64],
        window_closed_before: DateTime<Utc>,
    ) -> StoreResult<Vec<TrackRecord>> {
        Ok(with_db!(self, read, |p| {
            let mut qb = sqlx::QueryBuilder::new(
                "WITH shown AS (
                   SELECT e.student_id, r.rating_1 + r.rating_2 + r.rating_3 AS total
                   FROM reviews r JOIN engagements e ON e.id = r.engagement_id
                   WHERE r.direction = 'of_student'
                     AND ((SELECT COUNT(*) FROM reviews r2 WHERE r2.engagement_id = r.engagement_id) = 2
                          OR EXISTS (SELECT 1 FROM ledger_entries l WHERE l.engagement_id = r.engagement_id
                                     AND l.kind = 'release' AND l.created_at <= ",
            );
            qb.push_bind(window_closed_before);
            qb.push(
                ")))
                 SELECT u.id AS student_id,
                   CAST((SELECT COUNT(*) FROM engagements e WHERE e.student_id = u.id AND e.status IN ('approved', 'paid')) AS BIGINT) AS completed,
                   CAST((SELECT COUNT(*) FROM shown s WHERE s.student_id = u.id) AS BIGINT) AS reviews,
                   CAST(COALESCE((SELECT SUM(s.total) FROM shown s WHERE s.student_id = u.id), 0) AS BIGINT) AS rating_sum,
                   CAST((SELECT COUNT(*) FROM credentials c WHERE c.student_id = u.id AND c.revoked_at IS NULL) AS BIGINT) AS credentials
                 FROM users u WHERE u.id",
            );
            push_in!(qb, student_ids);
            qb.build_query_as().fetch_all(p).await
        })?)
    }

    /// The status-list bits of revoked credentials.
    pub async fn revoked_status_indexes(&self) -> StoreResult<Vec<i32>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_scalar(
                "SELECT status_index FROM credentials WHERE revoked_at IS NOT NULL ORDER BY status_index",
            )
            .fetch_all(p)
            .await
        })?)
    }
}
