//! Per-person email choices, by topic. A missing row means the topic's
//! default, so new topics need no backfill.

use crate::{Store, StoreResult, with_db};

impl Store {
    /// The topics this person has chosen for, with their choice.
    pub async fn email_preferences(&self, user_id: i64) -> StoreResult<Vec<(String, bool)>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT topic, enabled FROM email_preferences WHERE user_id = $1 ORDER BY topic",
            )
            .bind(user_id)
            .fetch_all(p)
            .await
        })?)
    }

    pub async fn set_email_preference(
        &self,
        user_id: i64,
        topic: &str,
        enabled: bool,
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO email_preferences (user_id, topic, enabled) VALUES ($1, $2, $3)
                 ON CONFLICT (user_id, topic) DO UPDATE SET enabled = excluded.enabled",
            )
            .bind(user_id)
            .bind(topic)
            .bind(enabled)
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }
}
