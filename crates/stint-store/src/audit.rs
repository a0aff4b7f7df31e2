//! The audit log: who did what to which object, for every state change.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Store, StoreResult, push_in, with_db};

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

    /// The logs of several objects of one type in one query, each in order.
    pub async fn audit_for_each(
        &self,
        object_type: &str,
        object_ids: &[i64],
    ) -> StoreResult<Vec<AuditEntry>> {
        Ok(with_db!(self, read, |p| {
            let mut qb = sqlx::QueryBuilder::new(
                "SELECT id, actor_id, action, object_type, object_id, detail, created_at FROM audit_log WHERE object_type = ",
            );
            qb.push_bind(object_type);
            qb.push(" AND object_id");
            push_in!(qb, object_ids);
            qb.push(" ORDER BY object_id, id");
            qb.build_query_as().fetch_all(p).await
        })?)
    }
}
