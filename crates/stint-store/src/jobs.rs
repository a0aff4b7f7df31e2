//! The job queue: timed work stored in the database. Any number of `stint
//! serve` processes may run the worker; a job is claimed for a lease with
//! re-checked conditions (as the outbox is), so each runs once, and a failed
//! job is retried when its lease runs out, up to `max_attempts` times.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Store, StoreResult, with_db};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub subject_id: i64,
    pub run_at: DateTime<Utc>,
    pub attempts: i32,
}

impl Store {
    /// Schedules `kind` for `subject_id` at `run_at`; scheduling it again
    /// moves the time and makes it due once more.
    pub async fn schedule_job(
        &self,
        kind: &str,
        subject_id: i64,
        run_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO jobs (kind, subject_id, run_at, created_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (kind, subject_id) DO UPDATE SET run_at = excluded.run_at, done_at = NULL, attempts = 0,
                    claimed_until = NULL, last_error = NULL",
            )
            .bind(kind)
            .bind(subject_id)
            .bind(run_at)
            .bind(Utc::now())
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Claims up to `limit` jobs due at `now` for `lease`. Webhook messages
    /// are left to their own worker (see `claim_webhook_jobs`).
    pub async fn claim_jobs(
        &self,
        now: DateTime<Utc>,
        max_attempts: i32,
        limit: i64,
        lease: chrono::Duration,
    ) -> StoreResult<Vec<Job>> {
        Ok(with_db!(self, write, |p| {
            sqlx::query_as(
                "UPDATE jobs SET claimed_until = $1, attempts = attempts + 1
                 WHERE id IN (SELECT id FROM jobs
                              WHERE done_at IS NULL AND run_at <= $2 AND attempts < $3 AND (claimed_until IS NULL OR claimed_until < $2)
                                AND kind <> 'webhook'
                              ORDER BY run_at, id LIMIT $4)
                   AND done_at IS NULL AND run_at <= $2 AND attempts < $3 AND (claimed_until IS NULL OR claimed_until < $2)
                 RETURNING id, kind, subject_id, run_at, attempts",
            )
            .bind(now + lease)
            .bind(now)
            .bind(max_attempts)
            .bind(limit)
            .fetch_all(p)
            .await
        })?)
    }

    /// Marks a claimed job done, unless it was rescheduled while it ran (a
    /// recurring job moves its own `run_at`), in which case it stays due.
    pub async fn finish_job(&self, job: &Job) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE jobs SET done_at = $1, last_error = NULL WHERE id = $2 AND run_at = $3",
            )
            .bind(Utc::now())
            .bind(job.id)
            .bind(job.run_at)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Removes `kind` for `subject_id`, for jobs made per item that will
    /// never run again (a webhook message delivered or given up); the
    /// runner's `finish_job` then changes nothing.
    pub async fn forget_job(&self, kind: &str, subject_id: i64) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query("DELETE FROM jobs WHERE kind = $1 AND subject_id = $2")
                .bind(kind)
                .bind(subject_id)
                .execute(p)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    pub async fn fail_job(&self, id: i64, error: &str) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query("UPDATE jobs SET last_error = $1 WHERE id = $2")
                .bind(error)
                .bind(id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Jobs not yet done, soonest first (operators and tests).
    pub async fn pending_jobs(&self) -> StoreResult<Vec<Job>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as("SELECT id, kind, subject_id, run_at, attempts FROM jobs WHERE done_at IS NULL ORDER BY run_at, id")
                .fetch_all(p)
                .await
        })?)
    }

    /// Closes every undecided application of a project; returns the students
    /// whose applications this call closed (another process closing at the
    /// same moment gets the others, never the same ones).
    pub async fn close_undecided(&self, project_id: i64) -> StoreResult<Vec<i64>> {
        self.close_undecided_for(project_id, "no_decision").await
    }

    /// Closes a cancelled project's undecided applications; unlike
    /// [`Store::close_undecided`] this does not count as a missed decision.
    pub async fn close_cancelled(&self, project_id: i64) -> StoreResult<Vec<i64>> {
        self.close_undecided_for(project_id, "cancelled").await
    }

    async fn close_undecided_for(&self, project_id: i64, reason: &str) -> StoreResult<Vec<i64>> {
        let now = Utc::now();
        Ok(with_db!(self, write, |p| {
            sqlx::query_scalar(
                "UPDATE applications SET status = 'closed', closed_reason = $3, updated_at = $1, decided_at = $1
                 WHERE project_id = $2 AND status IN ('submitted', 'shortlisted') RETURNING student_id",
            )
            .bind(now)
            .bind(project_id)
            .bind(reason)
            .fetch_all(p)
            .await
        })?)
    }
}

/// One recipient a job could not serve, kept so an admin can see it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct JobFailure {
    pub id: i64,
    pub job_kind: String,
    pub subject_id: i64,
    /// Who or what the job was serving (`student 42`, `saved search 7`).
    pub item: String,
    pub error: String,
    pub created_at: DateTime<Utc>,
}

impl Store {
    /// Records that `kind` for `subject_id` failed for `item` and went on.
    pub async fn record_job_failure(
        &self,
        kind: &str,
        subject_id: i64,
        item: &str,
        error: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        // The error text may quote the very input that failed (a NUL byte
        // cannot be stored on PostgreSQL), so only printable text is kept.
        let clean = |s: &str| -> String {
            s.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .take(1000)
                .collect()
        };
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO job_failures (job_kind, subject_id, item, error, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(kind)
            .bind(subject_id)
            .bind(clean(item))
            .bind(clean(error))
            .bind(at)
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// The newest recorded failures, newest first.
    pub async fn job_failures(&self, limit: i64) -> StoreResult<Vec<JobFailure>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT id, job_kind, subject_id, item, error, created_at FROM job_failures ORDER BY id DESC LIMIT $1",
            )
            .bind(limit)
            .fetch_all(p)
            .await
        })?)
    }
}
