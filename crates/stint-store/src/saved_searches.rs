//! Saved searches: a student's query string of `/projects` with how often
//! new matches should reach them.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Store, StoreError, StoreResult, with_db};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SavedSearch {
    pub id: i64,
    pub student_id: i64,
    pub name: String,
    /// The query string, as `/projects` takes it.
    pub params: String,
    /// `instant` or `daily`.
    pub frequency: String,
    pub last_sent_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

macro_rules! select {
    ($rest:literal) => {
        concat!(
            "SELECT id, student_id, name, params, frequency, last_sent_at, created_at FROM saved_searches ",
            $rest
        )
    };
}

impl Store {
    /// Saves a search unless the student has `max` already
    /// (`Conflict("saved_search_limit")`); counted under the student's row
    /// lock, so concurrent saves cannot pass the limit together.
    pub async fn save_search(
        &self,
        student_id: i64,
        name: &str,
        params: &str,
        frequency: &str,
        max: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<SavedSearch> {
        let id: Option<i64> = with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                sqlx::query(crate::LOCK_PERSON)
                    .bind(student_id)
                    .execute(&mut *tx)
                    .await?;
                let id: Option<i64> = sqlx::query_scalar(
                    "INSERT INTO saved_searches (student_id, name, params, frequency, last_sent_at, created_at)
                     SELECT $1, $2, $3, $4, $5, $5
                     WHERE (SELECT COUNT(*) FROM saved_searches WHERE student_id = $1) < $6
                     RETURNING id",
                )
                .bind(student_id)
                .bind(name)
                .bind(params)
                .bind(frequency)
                .bind(now)
                .bind(max)
                .fetch_optional(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok::<_, sqlx::Error>(id)
            }
            .await
        })?;
        let id = id.ok_or(StoreError::Conflict("saved_search_limit"))?;
        self.saved_search(id).await
    }

    pub async fn saved_search(&self, id: i64) -> StoreResult<SavedSearch> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(select!("WHERE id = $1"))
                .bind(id)
                .fetch_one(p)
                .await
        })?)
    }

    pub async fn saved_searches(&self, student_id: i64) -> StoreResult<Vec<SavedSearch>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(select!("WHERE student_id = $1 ORDER BY id"))
                .bind(student_id)
                .fetch_all(p)
                .await
        })?)
    }

    /// All searches that alert at once, for checking a newly published project.
    pub async fn instant_searches(&self) -> StoreResult<Vec<SavedSearch>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(select!("WHERE frequency = 'instant' ORDER BY id"))
                .fetch_all(p)
                .await
        })?)
    }

    /// Deletes one of the student's searches; `NotFound` for anyone else's.
    pub async fn delete_saved_search(&self, student_id: i64, id: i64) -> StoreResult<()> {
        let n = with_db!(self, write, |p| {
            sqlx::query("DELETE FROM saved_searches WHERE id = $1 AND student_id = $2")
                .bind(id)
                .bind(student_id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    pub async fn mark_search_sent(&self, id: i64, at: DateTime<Utc>) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query("UPDATE saved_searches SET last_sent_at = $1 WHERE id = $2")
                .bind(at)
                .bind(id)
                .execute(p)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }
}
