//! Students' payout details: stored sealed (the web tier seals and opens
//! them), with a masked form that pages may show.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Store, StoreResult, with_db};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PayoutAccount {
    pub user_id: i64,
    /// `in_bank`, `in_upi`, `uk_bank`, `us_bank` or `iban`.
    pub method: String,
    pub masked: String,
    /// The details, sealed; never shown.
    #[serde(skip)]
    pub sealed: String,
    pub updated_at: DateTime<Utc>,
}

impl Store {
    pub async fn payout_account(&self, user_id: i64) -> StoreResult<Option<PayoutAccount>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT user_id, method, masked, sealed, updated_at FROM payout_accounts WHERE user_id = $1",
            )
            .bind(user_id)
            .fetch_optional(p)
            .await
        })?)
    }

    /// Saves (or replaces) a student's payout details.
    pub async fn save_payout_account(
        &self,
        user_id: i64,
        method: &str,
        masked: &str,
        sealed: &str,
    ) -> StoreResult<PayoutAccount> {
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO payout_accounts (user_id, method, masked, sealed, updated_at) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (user_id) DO UPDATE SET method = excluded.method, masked = excluded.masked,
                    sealed = excluded.sealed, updated_at = excluded.updated_at",
            )
            .bind(user_id)
            .bind(method)
            .bind(masked)
            .bind(sealed)
            .bind(Utc::now())
            .execute(p)
            .await
            .map(|_| ())
        })?;
        self.payout_account(user_id)
            .await?
            .ok_or(crate::StoreError::NotFound)
    }
}
