//! The manual payment provider's two queues: money an employer still has to
//! send (a `deposit` not yet recorded for an engagement funded manually) and
//! money to pay out to students (a `release` without a `payout`). An admin
//! records each with its bank reference; the ledger's idempotency keys make
//! each recording happen once.

use chrono::{DateTime, Utc};
use serde::Serialize;
use stint_domain::ledger::{EntryKind, employer_account};

use crate::{Movement, Store, StoreError, StoreResult, with_db};

/// One payment an admin has to see to.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PaymentDue {
    pub engagement_id: i64,
    pub project_title: String,
    pub org_id: i64,
    pub org_name: String,
    pub student_id: i64,
    pub student_name: String,
    /// In minor units of `currency`.
    pub amount_minor: i64,
    pub currency: String,
    /// Since when it is due: the hire for deposits, the release for payouts.
    pub since: DateTime<Utc>,
}

impl Movement {
    /// The employer's money arrived at Stint (manual provider).
    pub fn deposit(org_id: i64, amount: i64) -> Movement {
        Movement {
            kind: EntryKind::Deposit,
            from: "external:deposits".into(),
            to: employer_account(org_id),
            amount,
            reference: None,
        }
    }

    /// The bank or transfer reference recorded with the entry.
    pub fn with_reference(mut self, reference: &str) -> Movement {
        self.reference = Some(reference.to_string());
        self
    }
}

impl Store {
    /// Engagements funded with the manual provider whose employer payment has
    /// not been recorded, oldest first. Cancelled ones are left out.
    pub async fn deposits_due(&self) -> StoreResult<Vec<PaymentDue>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT e.id AS engagement_id, p.title AS project_title, o.id AS org_id, o.name AS org_name,
                        u.id AS student_id, u.name AS student_name, e.price_minor + e.fee_minor AS amount_minor,
                        e.currency, e.created_at AS since
                 FROM engagements e
                 JOIN projects p ON p.id = e.project_id
                 JOIN organizations o ON o.id = e.org_id
                 JOIN users u ON u.id = e.student_id
                 WHERE e.status <> 'cancelled'
                   AND EXISTS (SELECT 1 FROM ledger_entries f WHERE f.engagement_id = e.id AND f.kind = 'fund' AND f.provider = 'manual')
                   AND NOT EXISTS (SELECT 1 FROM ledger_entries d WHERE d.engagement_id = e.id AND d.kind = 'deposit')
                 ORDER BY e.created_at, e.id",
            )
            .fetch_all(p)
            .await
        })?)
    }

    /// Engagements whose released money has not been paid out, oldest
    /// release first.
    pub async fn payouts_due(&self) -> StoreResult<Vec<PaymentDue>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT e.id AS engagement_id, p.title AS project_title, o.id AS org_id, o.name AS org_name,
                        u.id AS student_id, u.name AS student_name, CAST(SUM(l.amount_minor) AS BIGINT) AS amount_minor,
                        e.currency, MIN(l.created_at) AS since
                 FROM ledger_entries l
                 JOIN engagements e ON e.id = l.engagement_id
                 JOIN projects p ON p.id = e.project_id
                 JOIN organizations o ON o.id = e.org_id
                 JOIN users u ON u.id = e.student_id
                 WHERE l.kind = 'release'
                   AND NOT EXISTS (SELECT 1 FROM ledger_entries x WHERE x.engagement_id = e.id AND x.kind = 'payout')
                 GROUP BY e.id, p.title, o.id, o.name, u.id, u.name, e.currency
                 ORDER BY MIN(l.created_at), e.id",
            )
            .fetch_all(p)
            .await
        })?)
    }

    /// Writes one movement that goes with no status change (a deposit, or a
    /// payout after a dispute was settled). `Conflict("already_recorded")`
    /// when that movement exists already.
    pub async fn record_movement(
        &self,
        engagement_id: i64,
        currency: &str,
        provider: &str,
        m: &Movement,
    ) -> StoreResult<()> {
        let r = with_db!(self, write, |p| {
            sqlx::query(crate::workspace::INSERT_LEDGER_ENTRY)
                .bind(engagement_id)
                .bind(m.kind.as_str())
                .bind(&m.from)
                .bind(&m.to)
                .bind(m.amount)
                .bind(currency)
                .bind(provider)
                .bind(format!("{}:{engagement_id}", m.kind.as_str()))
                .bind(Utc::now())
                .bind(&m.reference)
                .execute(p)
                .await
                .map(|_| ())
        });
        match r.map_err(StoreError::from) {
            Ok(_) => Ok(()),
            Err(StoreError::Conflict(_)) => Err(StoreError::Conflict("already_recorded")),
            Err(e) => Err(e),
        }
    }
}
