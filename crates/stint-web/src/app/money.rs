//! What money actions cost and move, shown before anyone confirms them: the
//! employer's total at hire, what approval releases, and where the escrow
//! goes on cancellation. Pages and the API show the same numbers, and the
//! actions charge exactly these.

use chrono::NaiveDate;
use serde::Serialize;
use stint_domain::engagement::EngagementStatus;
use stint_domain::ledger::{CancelSplit, HireQuote, cancel_split};
use stint_domain::money::Money;
use stint_store::{Application, Engagement, Project, User};

use super::engagements::Side;
use crate::AppState;
use crate::auth::authz::require_application_member;
use crate::error::AppError;

/// The employer's price, fee and total for hiring the applicant of
/// application `id`, as charged if they confirm now.
pub async fn hire_quote(state: &AppState, user: &User, id: i64) -> Result<HireQuote, AppError> {
    Ok(hire_preview(state, user, id).await?.quote)
}

/// What the hire confirmation shows.
pub struct HirePreview {
    pub application: Application,
    pub project: Project,
    pub quote: HireQuote,
}

pub async fn hire_preview(state: &AppState, user: &User, id: i64) -> Result<HirePreview, AppError> {
    let (application, project) = require_application_member(&state.store, user, id).await?;
    let quote = HireQuote::new(project.input.price, state.config.fee_basis_points);
    Ok(HirePreview {
        application,
        project,
        quote,
    })
}

/// What the next money step of an engagement would move, for the side
/// asking: approval releases what escrow holds; cancellation splits it.
#[derive(Debug, Clone, Serialize)]
pub struct EngagementQuote {
    /// Released to the student if the employer approves now.
    pub on_approval: Option<Money>,
    /// Where the escrow goes if this side cancels now.
    pub on_cancellation: Option<CancelSplit>,
}

/// Whether cancelling by `side` today counts as the employer cancelling
/// work already started.
pub fn employer_after_start(state: &AppState, side: Side, start_date: NaiveDate) -> bool {
    side == Side::Employer && state.clock.today() >= start_date
}

/// Where the escrow of `e` goes if `side` cancels today.
pub fn cancellation(
    state: &AppState,
    e: &Engagement,
    side: Side,
    start_date: NaiveDate,
) -> CancelSplit {
    cancel_split(
        e.price,
        state.config.cancellation_share_basis_points,
        employer_after_start(state, side, start_date),
    )
}

pub fn engagement_quote(
    state: &AppState,
    e: &Engagement,
    side: Side,
    start_date: NaiveDate,
) -> EngagementQuote {
    EngagementQuote {
        on_approval: (e.status == EngagementStatus::Submitted && side == Side::Employer)
            .then_some(e.price),
        on_cancellation: (e.status == EngagementStatus::Active)
            .then(|| cancellation(state, e, side, start_date)),
    }
}

/// The rule as a sentence, for every project page before anyone applies.
pub fn cancellation_rule(state: &AppState) -> String {
    let pct = state.config.cancellation_share_basis_points;
    format!(
        "If the employer cancels on or after the start date, the student keeps {}% of the price for the work started and the rest is refunded. Once work is submitted, only a dispute can stop payment.",
        f64::from(pct) / 100.0
    )
}
