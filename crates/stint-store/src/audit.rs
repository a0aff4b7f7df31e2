//! The audit log: who did what to which object, for every state change.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Store, StoreResult, with_db};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub actor_id: Option<i64>,
    pub action: String,
    pub object_type: String,
    pub object_id: i64,
    pub detail: String,
    pub created_at: DateTime<Utc>,
}

impl Store {
    pub async fn audit(
        &self,
        actor_id: Option<i64>,
        action: &str,
        object_type: &str,
        object_id: i64,
        detail: &str,
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO audit_log (actor_id, action, object_type, object_id, detail, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(actor_id)
            .bind(action)
            .bind(object_type)
            .bind(object_id)
            .bind(detail)
            .bind(Utc::now())
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn audit_for(
        &self,
        object_type: &str,
        object_id: i64,
    ) -> StoreResult<Vec<AuditEntry>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT id, actor_id, action, object_type, object_id, detail, created_at FROM audit_log
                 WHERE object_type = $1 AND object_id = $2 ORDER BY id",
            )
            .bind(object_type)
            .bind(object_id)
            .fetch_all(p)
            .await
        })?)
    }
}
