//! The manual payment provider's two queues: money an employer still has to
//! send (a `deposit` not yet recorded for an engagement funded manually) and
//! money to pay out to students (a `release` without a `payout`). An admin
//! records each with its bank reference; the ledger's idempotency keys make
//! each recording happen once.

use chrono::{DateTime, Utc};
use serde::Serialize;
use stint_domain::engagement::EngagementStatus;
use stint_domain::ledger::{AuditedEngagement, AuditedEntry, Book, EntryKind, employer_account};

use crate::error::OptionalExt;
use crate::workspace::{LOCK_ENGAGEMENT, write_checked};
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
    /// A payout that must wait: the employer's money (manual provider) has
    /// not been recorded yet.
    pub waiting_for_deposit: bool,
    /// Payouts: where the student is paid, masked (none saved yet: `None`).
    pub payout_masked: Option<String>,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    engagement_id: i64,
    id: i64,
    kind: String,
    from_account: String,
    to_account: String,
    amount_minor: i64,
    currency: String,
    provider: String,
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

    /// Refunded money sent back to the employer by hand.
    pub fn returned(org_id: i64, amount: i64) -> Movement {
        Movement {
            kind: EntryKind::Returned,
            from: employer_account(org_id),
            to: "external:returns".into(),
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
    /// not been recorded, oldest first: the price and fee, less what a
    /// cancellation refunded. Cancelled ones are left out unless the student
    /// kept a share (which must be received before it is paid out).
    pub async fn deposits_due(&self) -> StoreResult<Vec<PaymentDue>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT e.id AS engagement_id, p.title AS project_title, o.id AS org_id, o.name AS org_name,
                        u.id AS student_id, u.name AS student_name,
                        e.price_minor + e.fee_minor - CAST(COALESCE((SELECT SUM(r.amount_minor) FROM ledger_entries r
                            WHERE r.engagement_id = e.id AND r.kind = 'refund'), 0) AS BIGINT) AS amount_minor,
                        e.currency, e.created_at AS since, FALSE AS waiting_for_deposit,
                        CAST(NULL AS TEXT) AS payout_masked
                 FROM engagements e
                 JOIN projects p ON p.id = e.project_id
                 JOIN organizations o ON o.id = e.org_id
                 JOIN users u ON u.id = e.student_id
                 WHERE (e.status <> 'cancelled'
                        OR EXISTS (SELECT 1 FROM ledger_entries s WHERE s.engagement_id = e.id AND s.kind = 'release'))
                   AND EXISTS (SELECT 1 FROM ledger_entries f WHERE f.engagement_id = e.id AND f.kind = 'fund' AND f.provider = 'manual')
                   AND NOT EXISTS (SELECT 1 FROM ledger_entries d WHERE d.engagement_id = e.id AND d.kind = 'deposit')
                 ORDER BY e.created_at, e.id",
            )
            .fetch_all(p)
            .await
        })?)
    }

    /// Refunds Stint holds for employers whose payment had arrived (manual
    /// provider) and has not sent back yet, oldest refund first.
    pub async fn returns_due(&self) -> StoreResult<Vec<PaymentDue>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "WITH sums AS (
                    SELECT engagement_id,
                        SUM(CASE WHEN kind = 'deposit' THEN amount_minor ELSE 0 END) AS dep,
                        SUM(CASE WHEN kind = 'refund' THEN amount_minor ELSE 0 END) AS ref,
                        SUM(CASE WHEN kind = 'returned' THEN amount_minor ELSE 0 END) AS ret,
                        SUM(CASE WHEN kind = 'fund' THEN amount_minor ELSE 0 END) AS fund,
                        SUM(CASE WHEN kind = 'fee' THEN amount_minor ELSE 0 END) AS fee,
                        MAX(CASE WHEN kind = 'refund' THEN created_at END) AS refunded_at
                    FROM ledger_entries GROUP BY engagement_id)
                 SELECT e.id AS engagement_id, p.title AS project_title, o.id AS org_id, o.name AS org_name,
                        u.id AS student_id, u.name AS student_name,
                        CAST(s.dep - (s.fund + s.fee - s.ref) - s.ret AS BIGINT) AS amount_minor,
                        e.currency, s.refunded_at AS since, FALSE AS waiting_for_deposit,
                        CAST(NULL AS TEXT) AS payout_masked
                 FROM sums s
                 JOIN engagements e ON e.id = s.engagement_id
                 JOIN projects p ON p.id = e.project_id
                 JOIN organizations o ON o.id = e.org_id
                 JOIN users u ON u.id = e.student_id
                 WHERE s.dep > 0 AND s.dep - (s.fund + s.fee - s.ref) - s.ret > 0
                   AND NOT EXISTS (SELECT 1 FROM ledger_entries f WHERE f.engagement_id = e.id AND f.kind = 'fund' AND f.provider = 'stripe')
                 ORDER BY s.refunded_at, e.id",
            )
            .fetch_all(p)
            .await
        })?)
    }

    /// Engagements whose released money has not been paid out by hand,
    /// oldest release first (Stripe's transfer themselves); those still
    /// waiting for the employer's deposit say so.
    pub async fn payouts_due(&self) -> StoreResult<Vec<PaymentDue>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT e.id AS engagement_id, p.title AS project_title, o.id AS org_id, o.name AS org_name,
                        u.id AS student_id, u.name AS student_name, CAST(SUM(l.amount_minor) AS BIGINT) AS amount_minor,
                        e.currency, MIN(l.created_at) AS since,
                        (EXISTS (SELECT 1 FROM ledger_entries f WHERE f.engagement_id = e.id AND f.kind = 'fund' AND f.provider = 'manual')
                         AND NOT EXISTS (SELECT 1 FROM ledger_entries d WHERE d.engagement_id = e.id AND d.kind = 'deposit')) AS waiting_for_deposit,
                        pa.masked AS payout_masked
                 FROM ledger_entries l
                 JOIN engagements e ON e.id = l.engagement_id
                 JOIN projects p ON p.id = e.project_id
                 JOIN organizations o ON o.id = e.org_id
                 JOIN users u ON u.id = e.student_id
                 LEFT JOIN payout_accounts pa ON pa.user_id = e.student_id
                 WHERE l.kind = 'release'
                   AND NOT EXISTS (SELECT 1 FROM ledger_entries x WHERE x.engagement_id = e.id AND x.kind = 'payout')
                   AND NOT EXISTS (SELECT 1 FROM ledger_entries s WHERE s.engagement_id = e.id AND s.kind = 'fund' AND s.provider = 'stripe')
                 GROUP BY e.id, p.title, o.id, o.name, u.id, u.name, e.currency, pa.masked
                 ORDER BY MIN(l.created_at), e.id",
            )
            .fetch_all(p)
            .await
        })?)
    }

    /// Every engagement with its entries in the order written, for
    /// `stint ledger check`: one pass over each table.
    pub async fn ledger_audit_rows(
        &self,
    ) -> StoreResult<Vec<(AuditedEngagement, Vec<AuditedEntry>)>> {
        let engagements: Vec<(i64, i64, i64, String, i64, i64, String)> = with_db!(
            self,
            read,
            |p| {
                sqlx::query_as(
                "SELECT id, org_id, student_id, status, price_minor, fee_minor, currency FROM engagements ORDER BY id",
            )
            .fetch_all(p)
            .await
            }
        )?;
        let entries: Vec<EntryRow> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT engagement_id, id, kind, from_account, to_account, amount_minor, currency, provider
                 FROM ledger_entries ORDER BY engagement_id, id",
            )
            .fetch_all(p)
            .await
        })?;
        let mut by_engagement: std::collections::HashMap<i64, Vec<AuditedEntry>> =
            std::collections::HashMap::new();
        for r in entries {
            by_engagement
                .entry(r.engagement_id)
                .or_default()
                .push(AuditedEntry {
                    id: r.id,
                    kind: r.kind,
                    from: r.from_account,
                    to: r.to_account,
                    amount: r.amount_minor,
                    currency: r.currency,
                    provider: r.provider,
                });
        }
        Ok(engagements
            .into_iter()
            .map(
                |(id, org_id, student_id, status, price_minor, fee_minor, currency)| {
                    let entries = by_engagement.remove(&id).unwrap_or_default();
                    (
                        AuditedEngagement {
                            id,
                            org_id,
                            student_id,
                            // An unknown status fails every status rule below.
                            status: EngagementStatus::parse(&status)
                                .unwrap_or(EngagementStatus::Disputed),
                            price_minor,
                            fee_minor,
                            currency,
                        },
                        entries,
                    )
                },
            )
            .collect())
    }

    /// An engagement's ledger summed by kind (what quotes, queues and
    /// checks read; writes re-read it inside their transaction).
    pub async fn book(&self, engagement_id: i64) -> StoreResult<Book> {
        let rows: Vec<(String, String, i64)> = with_db!(self, read, |p| {
            sqlx::query_as(crate::workspace::READ_BOOK)
                .bind(engagement_id)
                .fetch_all(p)
                .await
        })?;
        let mut book = Book::default();
        for (kind, provider, amount) in &rows {
            if let Some(kind) = EntryKind::parse(kind) {
                book.add(kind, *amount, provider);
            }
        }
        Ok(book)
    }

    /// Writes one movement that goes with no status change (a deposit, or a
    /// payout of money already released), checked against the ledger's
    /// rules under the engagement's row lock. `Conflict("already_recorded")`
    /// when that movement exists already; `Ledger` when it breaks a rule.
    pub async fn record_movement(
        &self,
        engagement_id: i64,
        currency: &str,
        provider: &str,
        m: &Movement,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let r: StoreResult<()> = with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                let status: Option<String> = sqlx::query_scalar(LOCK_ENGAGEMENT)
                    .bind(engagement_id)
                    .fetch_one(&mut *tx)
                    .await
                    .optional()?;
                let Some(status) = status else {
                    return Err(StoreError::NotFound);
                };
                // An approved engagement's payout is its move to paid
                // (`move_engagement`), never a bare entry.
                if status == "approved" && m.kind == EntryKind::Payout {
                    return Err(StoreError::Conflict("status_changed"));
                }
                write_checked!(
                    tx,
                    engagement_id,
                    currency,
                    provider,
                    std::slice::from_ref(m),
                    now
                )?;
                tx.commit().await?;
                Ok(())
            }
            .await
        });
        match r {
            // The entry's idempotency key is taken: it was written before.
            Err(StoreError::Conflict("duplicate")) => Err(StoreError::Conflict("already_recorded")),
            other => other,
        }
    }
}
