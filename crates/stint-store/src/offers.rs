//! Offers beyond Stint (migration 31): an employer's offer of a role to a
//! student it worked with, and the student's answer. Read by the
//! organization that made it and the student it names; the employer's
//! public record and a portfolio see only what they are allowed to.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use stint_domain::offer::{OfferInput, OfferStatus};

use crate::error::OptionalExt;
use crate::{Store, StoreError, StoreResult, with_db};

/// An offer as either side reads it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Offer {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub org_slug: String,
    pub student_id: i64,
    pub student_name: String,
    /// `None` when the sender's account is gone.
    pub sender_name: Option<String>,
    /// internship | part_time | full_time
    pub kind: String,
    pub title: String,
    pub start_date: NaiveDate,
    pub pay_min_minor: Option<i64>,
    pub pay_max_minor: Option<i64>,
    pub pay_currency: Option<String>,
    pub pay_period: Option<String>,
    pub message: String,
    /// open | accepted | accepted_elsewhere | declined | withdrawn
    pub status: String,
    /// The student shows it on their portfolio.
    pub on_profile: bool,
    pub created_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// The columns of an `Offer`, over `offers f`.
macro_rules! offer_select {
    () => {
        "SELECT f.id, f.org_id, o.name AS org_name, o.slug AS org_slug, f.student_id, su.name AS student_name,
                se.name AS sender_name, f.kind, f.title, f.start_date, f.pay_min_minor, f.pay_max_minor,
                f.pay_currency, f.pay_period, f.message, f.status, f.on_profile, f.created_at, f.answered_at
           FROM offers f JOIN organizations o ON o.id = f.org_id JOIN users su ON su.id = f.student_id
           LEFT JOIN users se ON se.id = f.sender_id"
    };
}

impl Store {
    /// Records an offer to a student the organization hired or whose work
    /// it approved (its pool's `hired` or `completed`); `NotFound`
    /// otherwise.
    pub async fn create_offer(
        &self,
        org_id: i64,
        student_id: i64,
        sender_id: i64,
        o: &OfferInput,
    ) -> StoreResult<i64> {
        let now = Utc::now();
        let id: Option<i64> = with_db!(self, write, |p| {
            sqlx::query_scalar(
                "INSERT INTO offers (org_id, student_id, sender_id, kind, title, start_date, pay_min_minor,
                                     pay_max_minor, pay_currency, pay_period, message, status, created_at)
                 SELECT tp.org_id, tp.student_id, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'open', $12
                   FROM talent_pool tp
                  WHERE tp.org_id = $1 AND tp.student_id = $2 AND tp.reason IN ('hired', 'completed')
                 RETURNING id",
            )
            .bind(org_id)
            .bind(student_id)
            .bind(sender_id)
            .bind(o.kind.as_str())
            .bind(&o.title)
            .bind(o.start_date)
            .bind(o.pay.as_ref().map(|b| b.min.minor))
            .bind(o.pay.as_ref().map(|b| b.max.minor))
            .bind(o.pay.as_ref().map(|b| b.min.currency.code()))
            .bind(o.pay.as_ref().map(|b| b.period.as_str()))
            .bind(&o.message)
            .bind(now)
            .fetch_one(p)
            .await
            .optional()
        })?;
        id.ok_or(StoreError::NotFound)
    }

    pub async fn offer(&self, id: i64) -> StoreResult<Offer> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(concat!(offer_select!(), " WHERE f.id = $1"))
                .bind(id)
                .fetch_one(p)
                .await
        })?)
    }

    /// The organization's offers, newest first; only those to `student_id`
    /// when given.
    pub async fn org_offers(
        &self,
        org_id: i64,
        student_id: Option<i64>,
    ) -> StoreResult<Vec<Offer>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(concat!(
                offer_select!(),
                " WHERE f.org_id = $1 AND ($2 IS NULL OR f.student_id = $2)
                  ORDER BY f.created_at DESC, f.id DESC LIMIT 500"
            ))
            .bind(org_id)
            .bind(student_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// The student's offers, newest first.
    pub async fn student_offers(&self, student_id: i64) -> StoreResult<Vec<Offer>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(concat!(
                offer_select!(),
                " WHERE f.student_id = $1 ORDER BY f.created_at DESC, f.id DESC LIMIT 200"
            ))
            .bind(student_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// Moves an offer from `from` to `to`; `Conflict("answered")` when it
    /// is no longer in `from` (answered or withdrawn meanwhile).
    pub async fn move_offer(&self, id: i64, from: OfferStatus, to: OfferStatus) -> StoreResult<()> {
        let now = Utc::now();
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE offers SET status = $3, answered_at = $4 WHERE id = $1 AND status = $2",
            )
            .bind(id)
            .bind(from.as_str())
            .bind(to.as_str())
            .bind(now)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            return Err(StoreError::Conflict("answered"));
        }
        Ok(())
    }

    /// Whether the student shows the offer on their portfolio.
    pub async fn set_offer_on_profile(
        &self,
        id: i64,
        student_id: i64,
        on: bool,
    ) -> StoreResult<()> {
        let n = with_db!(self, write, |p| {
            sqlx::query("UPDATE offers SET on_profile = $3 WHERE id = $1 AND student_id = $2")
                .bind(id)
                .bind(student_id)
                .bind(on)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }

    /// Offers the student chose to show, accepted ones first, withdrawn
    /// ones never.
    pub async fn portfolio_offers(&self, student_id: i64) -> StoreResult<Vec<Offer>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(concat!(
                offer_select!(),
                " WHERE f.student_id = $1 AND f.on_profile AND f.status <> 'withdrawn'
                  ORDER BY CASE WHEN f.status IN ('accepted', 'accepted_elsewhere') THEN 0 ELSE 1 END,
                           f.created_at DESC"
            ))
            .bind(student_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// For an employer's record: students it made offers to (withdrawn ones
    /// left out), and those who accepted one.
    pub async fn org_offer_counts(&self, org_id: i64) -> StoreResult<(i64, i64)> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT CAST(COUNT(DISTINCT student_id) AS BIGINT),
                        CAST(COUNT(DISTINCT CASE WHEN status IN ('accepted', 'accepted_elsewhere')
                                                 THEN student_id END) AS BIGINT)
                   FROM offers WHERE org_id = $1 AND status <> 'withdrawn'",
            )
            .bind(org_id)
            .fetch_one(p)
            .await
        })?)
    }

    /// For a university's outcomes: offers made in `[start, end)` to its
    /// confirmed students (withdrawn ones left out), those accepted, and
    /// the students they went to.
    pub async fn university_offer_counts(
        &self,
        university_id: i64,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> StoreResult<(i64, i64, i64)> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT CAST(COUNT(*) AS BIGINT),
                        CAST(COUNT(CASE WHEN f.status IN ('accepted', 'accepted_elsewhere') THEN 1 END) AS BIGINT),
                        CAST(COUNT(DISTINCT f.student_id) AS BIGINT)
                   FROM offers f JOIN affiliations af ON af.student_id = f.student_id
                  WHERE af.university_id = $1 AND af.status = 'confirmed' AND f.status <> 'withdrawn'
                    AND f.created_at >= $2 AND f.created_at < $3",
            )
            .bind(university_id)
            .bind(start)
            .bind(end)
            .fetch_one(p)
            .await
        })?)
    }
}
