//! What Stint keeps of Stripe: students' connected accounts and their
//! readiness, each engagement's charge, and the webhook events handled.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Store, StoreResult, with_db};

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StripeAccount {
    pub user_id: i64,
    pub account_id: String,
    pub details_submitted: bool,
    /// Stripe will pay this account out: transfers can go to it.
    pub payouts_enabled: bool,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StripeCharge {
    pub engagement_id: i64,
    pub session_id: String,
    pub payment_intent_id: Option<String>,
    /// `open`, `paid` or `expired`.
    pub status: String,
    pub updated_at: DateTime<Utc>,
}

impl Store {
    pub async fn stripe_account(&self, user_id: i64) -> StoreResult<Option<StripeAccount>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT user_id, account_id, details_submitted, payouts_enabled, updated_at FROM stripe_accounts WHERE user_id = $1",
            )
            .bind(user_id)
            .fetch_optional(p)
            .await
        })?)
    }

    /// Saves a student's account (first creation, or readiness read back).
    pub async fn save_stripe_account(
        &self,
        user_id: i64,
        account_id: &str,
        details_submitted: bool,
        payouts_enabled: bool,
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO stripe_accounts (user_id, account_id, details_submitted, payouts_enabled, updated_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (user_id) DO UPDATE SET details_submitted = excluded.details_submitted,
                    payouts_enabled = excluded.payouts_enabled, updated_at = excluded.updated_at",
            )
            .bind(user_id)
            .bind(account_id)
            .bind(details_submitted)
            .bind(payouts_enabled)
            .bind(Utc::now())
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Readiness from an `account.updated` event; the student it belongs
    /// to, if the account is one of Stint's.
    pub async fn update_stripe_account(
        &self,
        account_id: &str,
        details_submitted: bool,
        payouts_enabled: bool,
    ) -> StoreResult<Option<i64>> {
        Ok(with_db!(self, write, |p| {
            sqlx::query_scalar(
                "UPDATE stripe_accounts SET details_submitted = $1, payouts_enabled = $2, updated_at = $3
                 WHERE account_id = $4 RETURNING user_id",
            )
            .bind(details_submitted)
            .bind(payouts_enabled)
            .bind(Utc::now())
            .bind(account_id)
            .fetch_optional(p)
            .await
        })?)
    }

    pub async fn stripe_charge(&self, engagement_id: i64) -> StoreResult<Option<StripeCharge>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT engagement_id, session_id, payment_intent_id, status, updated_at FROM stripe_charges WHERE engagement_id = $1",
            )
            .bind(engagement_id)
            .fetch_optional(p)
            .await
        })?)
    }

    /// Saves the engagement's Checkout Session, or what became of it.
    pub async fn save_stripe_charge(
        &self,
        engagement_id: i64,
        session_id: &str,
        payment_intent_id: Option<&str>,
        status: &str,
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO stripe_charges (engagement_id, session_id, payment_intent_id, status, updated_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (engagement_id) DO UPDATE SET session_id = excluded.session_id,
                    payment_intent_id = COALESCE(excluded.payment_intent_id, stripe_charges.payment_intent_id),
                    status = excluded.status, updated_at = excluded.updated_at",
            )
            .bind(engagement_id)
            .bind(session_id)
            .bind(payment_intent_id)
            .bind(status)
            .bind(Utc::now())
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Whether webhook event `id` was handled already.
    pub async fn stripe_event_seen(&self, id: &str) -> StoreResult<bool> {
        let n: i64 = with_db!(self, read, |p| {
            sqlx::query_scalar("SELECT COUNT(*) FROM stripe_events WHERE id = $1")
                .bind(id)
                .fetch_one(p)
                .await
        })?;
        Ok(n > 0)
    }

    /// Marks event `id` handled; `false` if another delivery got there first.
    pub async fn record_stripe_event(&self, id: &str, kind: &str) -> StoreResult<bool> {
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO stripe_events (id, kind, received_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
            )
            .bind(id)
            .bind(kind)
            .bind(Utc::now())
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }

    /// A student's Stripe engagements with money released and not yet
    /// transferred (to settle once their account can be paid).
    pub async fn stripe_unsettled_for_student(&self, student_id: i64) -> StoreResult<Vec<i64>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_scalar(
                "SELECT e.id FROM engagements e
                 WHERE e.student_id = $1
                   AND EXISTS (SELECT 1 FROM ledger_entries f WHERE f.engagement_id = e.id AND f.kind = 'fund' AND f.provider = 'stripe')
                   AND EXISTS (SELECT 1 FROM ledger_entries r WHERE r.engagement_id = e.id AND r.kind = 'release')
                   AND NOT EXISTS (SELECT 1 FROM ledger_entries x WHERE x.engagement_id = e.id AND x.kind = 'payout')
                 ORDER BY e.id",
            )
            .bind(student_id)
            .fetch_all(p)
            .await
        })?)
    }
}
