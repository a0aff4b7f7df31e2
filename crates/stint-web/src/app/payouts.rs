//! Where students are paid (manual provider). A student saves their
//! details; they are checked by the domain, sealed at rest, and shown
//! masked everywhere. Only an admin paying out sees them whole, and each
//! time they do it is written to the audit log.

use stint_domain::account::Role;
use stint_domain::payout::{PayoutDetails, PayoutForm};
use stint_store::{PayoutAccount, User};

use crate::AppState;
use crate::auth::authz::{require_admin, require_role};
use crate::error::AppError;

fn purpose(user_id: i64) -> String {
    format!("payout:{user_id}")
}

/// The student's saved details, masked.
pub async fn mine(state: &AppState, user: &User) -> Result<Option<PayoutAccount>, AppError> {
    require_role(user, Role::Student)?;
    Ok(state.store.payout_account(user.id).await?)
}

/// Saves (or replaces) the student's details.
pub async fn save(
    state: &AppState,
    user: &User,
    form: &PayoutForm,
) -> Result<PayoutAccount, AppError> {
    require_role(user, Role::Student)?;
    let details = form.parse()?;
    let json = serde_json::to_vec(&details)
        .map_err(|e| AppError::Internal(format!("payout details: {e}")))?;
    let sealed = state
        .config
        .sealer
        .seal(&purpose(user.id), &json)
        .map_err(|e| AppError::Internal(format!("sealing payout details: {e}")))?;
    let account = state
        .store
        .save_payout_account(user.id, details.method(), &details.masked(), &sealed)
        .await?;
    state
        .store
        .audit(
            Some(user.id),
            "payout_details.saved",
            "user",
            user.id,
            &account.masked,
        )
        .await?;
    Ok(account)
}

/// An admin opens the payout details of engagement `id`'s student to send
/// the money; the audit log records who looked, when and for which payout.
pub async fn reveal(
    state: &AppState,
    admin: &User,
    engagement_id: i64,
) -> Result<PayoutDetails, AppError> {
    require_admin(admin)?;
    let e = state.store.engagement(engagement_id).await?;
    let Some(account) = state.store.payout_account(e.student_id).await? else {
        return Err(AppError::conflict(
            "no_payout_details",
            "This student has not said where to be paid yet; Stint has asked them to add their payout details.",
        ));
    };
    let plain = state
        .config
        .sealer
        .open(&purpose(e.student_id), &account.sealed)
        .map_err(|err| {
            AppError::Internal(format!(
                "payout details of user {} do not open: {err}",
                e.student_id
            ))
        })?;
    let details: PayoutDetails = serde_json::from_slice(&plain)
        .map_err(|err| AppError::Internal(format!("payout details: {err}")))?;
    state
        .store
        .audit(
            Some(admin.id),
            "payout_details.revealed",
            "engagement",
            engagement_id,
            &format!("{} of student {}", account.masked, e.student_id),
        )
        .await?;
    Ok(details)
}
