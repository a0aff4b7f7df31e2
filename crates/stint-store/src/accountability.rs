//! An employer's record, computed from what happened: how fast it decides
//! applications, how many it answers, and whether it pays without Stint
//! having to approve for it.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::{Store, StoreResult, with_db};

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Accountability {
    /// Applications the employer decided (shortlisted, hired or rejected).
    pub decided: i64,
    /// Applications closed because the decision-by date passed without a
    /// decision (not those closed because the project filled).
    pub closed_undecided: i64,
    /// Median hours from application to the employer's decision.
    pub median_decision_hours: Option<i64>,
    /// Approvals made by the employer, and those Stint made after silence.
    pub approved_by_employer: i64,
    pub auto_approved: i64,
    /// Median hours from approval to the student's payout, over the last
    /// 200 payouts.
    pub median_payout_hours: Option<i64>,
}

impl Accountability {
    /// Share of finished applications the employer answered, 0–100.
    pub fn answered_percent(&self) -> Option<i64> {
        let total = self.decided + self.closed_undecided;
        (total > 0).then(|| self.decided * 100 / total)
    }

    /// Share of approvals made in time by the employer, 0–100.
    pub fn on_time_percent(&self) -> Option<i64> {
        let total = self.approved_by_employer + self.auto_approved;
        (total > 0).then(|| self.approved_by_employer * 100 / total)
    }
}

impl Store {
    pub async fn accountability(&self, org_id: i64) -> StoreResult<Accountability> {
        let times: Vec<(DateTime<Utc>, DateTime<Utc>)> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT a.created_at, a.decided_at FROM applications a JOIN projects p ON p.id = a.project_id
                 WHERE p.org_id = $1 AND a.status IN ('shortlisted', 'hired', 'rejected') AND a.decided_at IS NOT NULL",
            )
            .bind(org_id)
            .fetch_all(p)
            .await
        })?;
        let closed: i64 = with_db!(self, read, |p| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM applications a JOIN projects p ON p.id = a.project_id WHERE p.org_id = $1 AND a.status = 'closed' AND a.closed_reason = 'no_decision'",
            )
            .bind(org_id)
            .fetch_one(p)
            .await
        })?;
        let approvals: Vec<(String, i64)> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT l.action, COUNT(*) FROM audit_log l JOIN engagements e ON e.id = l.object_id
                 WHERE l.object_type = 'engagement' AND e.org_id = $1 AND l.action IN ('engagement.approved', 'engagement.auto_approved')
                 GROUP BY l.action",
            )
            .bind(org_id)
            .fetch_all(p)
            .await
        })?;
        let mut payout_hours: Vec<i64> = self
            .payout_times(Some(org_id), 200)
            .await?
            .iter()
            .map(|t| (t.paid_at - t.released_at).num_hours())
            .collect();
        payout_hours.sort_unstable();
        let mut hours: Vec<i64> = times.iter().map(|(a, d)| (*d - *a).num_hours()).collect();
        hours.sort_unstable();
        let count = |action: &str| {
            approvals
                .iter()
                .find(|(a, _)| a == action)
                .map(|(_, n)| *n)
                .unwrap_or(0)
        };
        Ok(Accountability {
            decided: i64::try_from(hours.len()).unwrap_or(0),
            closed_undecided: closed,
            median_decision_hours: (!hours.is_empty()).then(|| hours[hours.len() / 2]),
            approved_by_employer: count("engagement.approved"),
            auto_approved: count("engagement.auto_approved"),
            median_payout_hours: payout_hours.get(payout_hours.len() / 2).copied(),
        })
    }

    /// Reviews students wrote of this organization, newest first.
    pub async fn reviews_of_org(&self, org_id: i64) -> StoreResult<Vec<crate::Review>> {
        let ids: Vec<i64> = with_db!(self, read, |p| {
            sqlx::query_scalar("SELECT id FROM engagements WHERE org_id = $1 ORDER BY id DESC")
                .bind(org_id)
                .fetch_all(p)
                .await
        })?;
        let mut out = Vec::new();
        for id in ids {
            out.extend(
                self.reviews(id)
                    .await?
                    .into_iter()
                    .filter(|r| r.direction == stint_domain::review::Direction::OfEmployer),
            );
        }
        Ok(out)
    }
}
