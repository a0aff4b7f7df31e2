//! Two-way, double-blind reviews after approval.

use chrono::{DateTime, Duration, Utc};
use stint_domain::engagement::EngagementStatus;
use stint_domain::review::{Direction, ReviewForm, visible};
use stint_store::{Review, StoreError, User};

use super::engagements::{Side, require_party};
use super::notify::{self, Kind};
use crate::AppState;
use crate::error::AppError;

/// What one side sees of an engagement's reviews.
pub struct Reviews {
    /// The direction this person writes in.
    pub direction: Direction,
    pub mine: Option<Review>,
    /// The other side's review, once visible.
    pub theirs: Option<Review>,
    /// The other side has written theirs (its content may still be hidden).
    pub theirs_in: bool,
    pub can_write: bool,
    /// When the window closes and everything written is shown.
    pub closes: Option<DateTime<Utc>>,
}

fn direction_for(side: Side) -> Direction {
    match side {
        Side::Student => Direction::OfEmployer,
        Side::Employer => Direction::OfStudent,
    }
}

pub async fn get(state: &AppState, user: &User, id: i64) -> Result<Reviews, AppError> {
    let (e, side) = require_party(state, user, id).await?;
    let direction = direction_for(side);
    let closes = state
        .store
        .approved_at(id)
        .await?
        .map(|t| t + Duration::days(i64::from(state.config.review_window_days)));
    let window_closed = closes.is_some_and(|c| state.clock.now() >= c);
    let all = state.store.reviews(id).await?;
    let mine = all.iter().find(|r| r.direction == direction).cloned();
    let theirs = all.iter().find(|r| r.direction != direction).cloned();
    let both_in = mine.is_some() && theirs.is_some();
    let approved = matches!(
        e.status,
        EngagementStatus::Approved | EngagementStatus::Paid
    );
    Ok(Reviews {
        can_write: approved && mine.is_none() && !window_closed && closes.is_some(),
        theirs_in: theirs.is_some(),
        theirs: theirs.filter(|_| visible(both_in, window_closed)),
        direction,
        mine,
        closes,
    })
}

pub async fn write(
    state: &AppState,
    user: &User,
    id: i64,
    form: &ReviewForm,
) -> Result<Reviews, AppError> {
    let (e, side) = require_party(state, user, id).await?;
    if !matches!(
        e.status,
        EngagementStatus::Approved | EngagementStatus::Paid
    ) {
        return Err(AppError::conflict(
            "not_approved",
            "Reviews open once the work is approved.",
        ));
    }
    let Some(approved) = state.store.approved_at(id).await? else {
        return Err(AppError::conflict(
            "not_approved",
            "Reviews open once the work is approved.",
        ));
    };
    if state.clock.now() >= approved + Duration::days(i64::from(state.config.review_window_days)) {
        return Err(AppError::conflict(
            "window_closed",
            "The review window for this engagement has closed.",
        ));
    }
    let direction = direction_for(side);
    let input = form.parse(direction)?;
    state
        .store
        .add_review(id, direction, user.id, &input)
        .await
        .map_err(|err| match err {
            StoreError::Conflict("duplicate") => AppError::conflict(
                "already_reviewed",
                "You have already reviewed this engagement.",
            ),
            other => other.into(),
        })?;
    state
        .store
        .audit(
            Some(user.id),
            "review.written",
            "engagement",
            id,
            direction.as_str(),
        )
        .await?;
    let link = format!("/engagements/{id}");
    let both = state.store.reviews(id).await?.len() == 2;
    let body = if both {
        "Both reviews are in, so both are now visible.".to_string()
    } else {
        "You will see it once you have written yours, or when the review window closes.".to_string()
    };
    let title = format!("{} reviewed you", user.name);
    match side {
        Side::Student => {
            notify::members(state, e.org_id, Kind::ReviewReceived, &title, &body, &link).await?
        }
        Side::Employer => {
            notify::send(
                state,
                e.student_id,
                Kind::ReviewReceived,
                &title,
                &body,
                &link,
            )
            .await?
        }
    }
    get(state, user, id).await
}

/// The reviews among `all` that the double-blind rule already shows: both
/// sides of their engagement are in, or its window has closed.
pub async fn shown(state: &AppState, all: Vec<Review>) -> Result<Vec<Review>, AppError> {
    let window = Duration::days(i64::from(state.config.review_window_days));
    let mut out = Vec::new();
    for r in all {
        let both = state.store.reviews(r.engagement_id).await?.len() == 2;
        let closed = state
            .store
            .approved_at(r.engagement_id)
            .await?
            .is_some_and(|t| state.clock.now() >= t + window);
        if visible(both, closed) {
            out.push(r);
        }
    }
    Ok(out)
}

/// Averages of the three ratings, in tenths (45 = 4.5).
pub fn averages(reviews: &[Review]) -> Option<[u32; 3]> {
    if reviews.is_empty() {
        return None;
    }
    let n = reviews.len() as u32;
    let avg = |i: usize| reviews.iter().map(|r| u32::from(r.ratings[i])).sum::<u32>() * 10 / n;
    Some([avg(0), avg(1), avg(2)])
}

/// When the window closes: whatever was written becomes visible; tell both sides.
pub async fn reveal(state: &AppState, id: i64) -> Result<(), AppError> {
    let e = state.store.engagement(id).await?;
    if state.store.reviews(id).await?.is_empty() {
        return Ok(());
    }
    let link = format!("/engagements/{id}");
    let body =
        "The review window has closed; the reviews written for this engagement are now visible.";
    notify::send(
        state,
        e.student_id,
        Kind::ReviewReceived,
        "Reviews are visible",
        body,
        &link,
    )
    .await?;
    notify::members(
        state,
        e.org_id,
        Kind::ReviewReceived,
        "Reviews are visible",
        body,
        &link,
    )
    .await
}
