//! Achievements and the portfolio they build.

use stint_domain::account::Role;
use stint_domain::achievement::AchievementForm;
use stint_domain::review::Direction;
use stint_store::{Achievement, StoreError, User};

use super::engagements::{Side, require_party};
use super::notify::{self, Kind};
use crate::AppState;
use crate::error::AppError;

/// The student whose achievement `id` is; anyone else gets `NotFound`.
async fn require_owner(state: &AppState, user: &User, id: i64) -> Result<Achievement, AppError> {
    let a = state.store.achievement(id).await?;
    if user.role == Role::Student && a.student_id == user.id {
        Ok(a)
    } else {
        Err(AppError::NotFound)
    }
}

pub async fn edit(
    state: &AppState,
    user: &User,
    id: i64,
    form: &AchievementForm,
) -> Result<Achievement, AppError> {
    let a = require_owner(state, user, id).await?;
    let (summary, outcomes) = form.parse()?;
    let a2 = state
        .store
        .edit_achievement(id, &summary, &outcomes)
        .await?;
    state
        .store
        .audit(Some(user.id), "achievement.edited", "achievement", id, "")
        .await?;
    if !outcomes.is_empty() {
        let e = state.store.engagement(a.engagement_id).await?;
        let body = format!(
            "{} described the outcomes of \"{}\". Confirm them so they show as verified on their portfolio.",
            user.name, a.title
        );
        notify::members(
            state,
            e.org_id,
            Kind::ConfirmOutcomes,
            "Please confirm outcomes",
            &body,
            &format!("/engagements/{}", e.id),
        )
        .await?;
    }
    Ok(a2)
}

/// A member of the employer confirms the outcomes the student wrote.
pub async fn confirm(state: &AppState, user: &User, id: i64) -> Result<Achievement, AppError> {
    let a = state.store.achievement(id).await?;
    let (e, side) = require_party(state, user, a.engagement_id).await?;
    if side != Side::Employer {
        return Err(AppError::Forbidden("Only the employer confirms outcomes."));
    }
    let was_confirmed = a.confirmed;
    let a = state
        .store
        .confirm_achievement(id)
        .await
        .map_err(|err| match err {
            StoreError::Conflict(_) => AppError::conflict(
                "nothing_to_confirm",
                "The student has not listed any outcomes yet.",
            ),
            other => other.into(),
        })?;
    state
        .store
        .audit(
            Some(user.id),
            "achievement.confirmed",
            "achievement",
            id,
            "",
        )
        .await?;
    // The signed credential: for a new confirmation, or if an earlier one
    // did not get its credential (confirming again issues it).
    if !was_confirmed || state.store.current_credential(a.id).await?.is_none() {
        super::credentials::issue(state, &a).await?;
    }
    let body = format!(
        "{} confirmed the outcomes of \"{}\". It shows as verified on your portfolio, with a signed credential you can share.",
        user.name, a.title
    );
    notify::send(
        state,
        e.student_id,
        Kind::ConfirmOutcomes,
        "Outcomes confirmed",
        &body,
        "/me/work",
    )
    .await?;
    Ok(a)
}

pub async fn mine(state: &AppState, user: &User) -> Result<Vec<Achievement>, AppError> {
    crate::auth::authz::require_role(user, Role::Student)?;
    Ok(state.store.student_achievements(user.id).await?)
}

pub async fn set_public(state: &AppState, user: &User, public: bool) -> Result<(), AppError> {
    crate::auth::authz::require_role(user, Role::Student)?;
    state.store.set_portfolio_public(user.id, public).await?;
    Ok(())
}

/// A recommendation an employer gave, for the portfolio.
pub struct Recommendation {
    pub author: String,
    pub text: String,
}

pub struct Portfolio {
    pub student_id: i64,
    pub name: String,
    pub headline: Option<String>,
    pub public: bool,
    /// Confirmed (verified) achievements only.
    pub achievements: Vec<Achievement>,
    /// Average ratings from visible employer reviews: quality, communication,
    /// timeliness, in tenths (45 = 4.5).
    pub ratings: Option<[u32; 3]>,
    pub review_count: usize,
    pub recommendations: Vec<Recommendation>,
}

/// A student's portfolio: shown to anyone once they opt in, and always to
/// themselves; otherwise it does not exist.
pub async fn portfolio(
    state: &AppState,
    viewer: Option<&User>,
    student_id: i64,
) -> Result<Portfolio, AppError> {
    let student = state.store.user(student_id).await?;
    if student.role != Role::Student {
        return Err(AppError::NotFound);
    }
    let public = state.store.portfolio_public(student_id).await?;
    if !public && viewer.is_none_or(|v| v.id != student_id) {
        return Err(AppError::NotFound);
    }
    let profile = state.store.profile(student_id).await?;
    let achievements: Vec<Achievement> = state
        .store
        .student_achievements(student_id)
        .await?
        .into_iter()
        .filter(|a| a.confirmed)
        .collect();
    // Only reviews the double-blind rule already shows.
    let of_student = state
        .store
        .reviews_of_student(student_id)
        .await?
        .into_iter()
        .filter(|r| r.direction == Direction::OfStudent)
        .collect();
    let shown = super::reviews::shown(state, of_student).await?;
    let ratings = super::reviews::averages(&shown);
    Ok(Portfolio {
        student_id,
        name: student.name,
        headline: profile.headline,
        public,
        achievements,
        ratings,
        review_count: shown.len(),
        recommendations: shown
            .iter()
            .filter_map(|r| {
                r.recommendation.clone().map(|text| Recommendation {
                    author: r.author_name.clone(),
                    text,
                })
            })
            .collect(),
    })
}
