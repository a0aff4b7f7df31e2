//! Records of money for the people it concerns: employers' numbered
//! receipts (one per hire) and statements for a period, students' earnings
//! and payouts, and how long payouts take after approval.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Store, StoreResult, with_db};

/// A numbered receipt for one employer charge.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Receipt {
    /// The receipt number.
    pub id: i64,
    pub engagement_id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub org_country: String,
    pub org_tax_id: Option<String>,
    pub project_title: String,
    pub student_name: String,
    pub price_minor: i64,
    pub fee_minor: i64,
    pub currency: String,
    pub issued_at: DateTime<Utc>,
    /// `manual`, `sandbox` or `stripe`: how the charge is paid.
    pub provider: String,
    /// Manual provider: the employer's payment, once recorded.
    pub paid_at: Option<DateTime<Utc>>,
    pub paid_reference: Option<String>,
    /// What went back to the employer (a cancellation or a dispute).
    pub refunded_minor: i64,
}

macro_rules! receipt_sql {
    () => {
        "SELECT r.id, r.engagement_id, r.org_id, o.name AS org_name, o.country AS org_country,
        o.tax_id AS org_tax_id, p.title AS project_title, u.name AS student_name, r.price_minor, r.fee_minor,
        r.currency, r.issued_at,
        COALESCE((SELECT f.provider FROM ledger_entries f WHERE f.engagement_id = r.engagement_id AND f.kind = 'fund'), 'manual') AS provider,
        (SELECT d.created_at FROM ledger_entries d WHERE d.engagement_id = r.engagement_id AND d.kind = 'deposit') AS paid_at,
        (SELECT d.reference FROM ledger_entries d WHERE d.engagement_id = r.engagement_id AND d.kind = 'deposit') AS paid_reference,
        CAST(COALESCE((SELECT SUM(x.amount_minor) FROM ledger_entries x WHERE x.engagement_id = r.engagement_id AND x.kind = 'refund'), 0) AS BIGINT) AS refunded_minor
     FROM receipts r
     JOIN organizations o ON o.id = r.org_id
     JOIN engagements e ON e.id = r.engagement_id
     JOIN projects p ON p.id = e.project_id
     JOIN users u ON u.id = e.student_id"
    };
}

/// One line of a statement: a ledger entry as its reader sees it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StatementLine {
    pub created_at: DateTime<Utc>,
    pub engagement_id: i64,
    pub receipt_id: Option<i64>,
    pub project_title: String,
    pub org_name: String,
    pub student_name: String,
    /// The ledger kind: fund, fee, deposit, release, refund, payout.
    pub kind: String,
    pub amount_minor: i64,
    pub currency: String,
    pub reference: Option<String>,
}

macro_rules! statement_sql {
    () => {
        "SELECT l.created_at, l.engagement_id, r.id AS receipt_id, p.title AS project_title,
        o.name AS org_name, u.name AS student_name, l.kind, l.amount_minor, l.currency, l.reference
     FROM ledger_entries l
     JOIN engagements e ON e.id = l.engagement_id
     JOIN projects p ON p.id = e.project_id
     JOIN organizations o ON o.id = e.org_id
     JOIN users u ON u.id = e.student_id
     LEFT JOIN receipts r ON r.engagement_id = e.id"
    };
}

/// How long one payout took after the work was approved.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PayoutTime {
    pub engagement_id: i64,
    pub project_title: String,
    pub student_name: String,
    pub released_at: DateTime<Utc>,
    pub paid_at: DateTime<Utc>,
}

macro_rules! payout_times_sql {
    () => {
        "SELECT e.id AS engagement_id, p.title AS project_title, u.name AS student_name,
        rl.created_at AS released_at, po.created_at AS paid_at
     FROM engagements e
     JOIN projects p ON p.id = e.project_id
     JOIN users u ON u.id = e.student_id
     JOIN ledger_entries rl ON rl.engagement_id = e.id AND rl.kind = 'release'
     JOIN ledger_entries po ON po.engagement_id = e.id AND po.kind = 'payout'"
    };
}

impl Store {
    pub async fn receipt(&self, id: i64) -> StoreResult<Receipt> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(concat!(receipt_sql!(), " WHERE r.id = $1"))
                .bind(id)
                .fetch_one(p)
                .await
        })?)
    }

    /// An organization's receipts, newest first.
    pub async fn org_receipts(&self, org_id: i64, limit: i64) -> StoreResult<Vec<Receipt>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(concat!(
                receipt_sql!(),
                " WHERE r.org_id = $1 ORDER BY r.id DESC LIMIT $2"
            ))
            .bind(org_id)
            .bind(limit)
            .fetch_all(p)
            .await
        })?)
    }

    /// Every ledger entry of an organization's engagements written in
    /// `[from, to)`, in order.
    pub async fn org_statement(
        &self,
        org_id: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<StatementLine>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(concat!(
                statement_sql!(),
                " WHERE e.org_id = $1 AND l.created_at >= $2 AND l.created_at < $3 ORDER BY l.created_at, l.id"
            ))
            .bind(org_id)
            .bind(from)
            .bind(to)
            .fetch_all(p)
            .await
        })?)
    }

    /// Every ledger entry of a student's engagements, in order.
    pub async fn student_statement(&self, student_id: i64) -> StoreResult<Vec<StatementLine>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(concat!(
                statement_sql!(),
                " WHERE e.student_id = $1 ORDER BY l.created_at, l.id"
            ))
            .bind(student_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// Payouts and when their work was approved, newest payout first; for
    /// one organization or (admins) all.
    pub async fn payout_times(
        &self,
        org_id: Option<i64>,
        limit: i64,
    ) -> StoreResult<Vec<PayoutTime>> {
        Ok(with_db!(self, read, |p| {
            match org_id {
                Some(org) => {
                    sqlx::query_as(concat!(
                        payout_times_sql!(),
                        " WHERE e.org_id = $1 ORDER BY po.created_at DESC LIMIT $2"
                    ))
                    .bind(org)
                    .bind(limit)
                    .fetch_all(p)
                    .await
                }
                None => {
                    sqlx::query_as(concat!(
                        payout_times_sql!(),
                        " ORDER BY po.created_at DESC LIMIT $1"
                    ))
                    .bind(limit)
                    .fetch_all(p)
                    .await
                }
            }
        })?)
    }

    pub async fn org_tax_id(&self, org_id: i64) -> StoreResult<Option<String>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_scalar("SELECT tax_id FROM organizations WHERE id = $1")
                .bind(org_id)
                .fetch_one(p)
                .await
        })?)
    }

    pub async fn set_org_tax_id(&self, org_id: i64, tax_id: Option<&str>) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query("UPDATE organizations SET tax_id = $1 WHERE id = $2")
                .bind(tax_id)
                .bind(org_id)
                .execute(p)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }
}
