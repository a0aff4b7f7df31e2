//! The manual payment provider's bookkeeping. With `payment_provider =
//! manual` hiring records the escrow as owed by the employer; an admin then
//! records the employer's money as it arrives (`deposit`) and each payout to
//! a student once sent, with the bank reference. Each is a ledger entry
//! whose idempotency key makes a second recording a harmless conflict.

use stint_domain::engagement::{EngagementAction, EngagementActor, EngagementStatus, transition};
use stint_domain::ledger::parse_reference;
use stint_domain::money::Money;
use stint_store::{Engagement, Movement, PaymentDue, User};

use super::notify::{self, Kind};
use crate::AppState;
use crate::auth::authz::require_admin;
use crate::error::AppError;

/// What the admin has to see to.
pub struct Queues {
    /// Employers' payments not yet received.
    pub deposits: Vec<PaymentDue>,
    /// Released money not yet paid out to students.
    pub payouts: Vec<PaymentDue>,
    /// Refunds to send back to employers whose payment had arrived.
    pub returns: Vec<PaymentDue>,
}

pub async fn queues(state: &AppState, admin: &User) -> Result<Queues, AppError> {
    require_admin(admin)?;
    Ok(Queues {
        deposits: state.store.deposits_due().await?,
        payouts: state.store.payouts_due().await?,
        returns: state.store.returns_due().await?,
    })
}

/// Refuses recording by hand what Stripe moves itself.
async fn by_hand(state: &AppState, id: i64) -> Result<(), AppError> {
    let stripe = state
        .store
        .ledger_entries(id)
        .await?
        .iter()
        .any(|l| l.kind == "fund" && l.provider == "stripe");
    if stripe {
        return Err(AppError::conflict(
            "paid_through_stripe",
            "This engagement's money moves through Stripe, which records it; there is nothing to record by hand.",
        ));
    }
    Ok(())
}

/// Whether the employer's money for `e` is still to be received: funded
/// as owed (manual provider or Stripe) and no deposit recorded (for a
/// cancelled engagement, only when the student kept a share).
pub async fn awaiting_deposit(state: &AppState, e: &Engagement) -> Result<bool, AppError> {
    Ok(awaits_deposit(&state.store.book(e.id).await?, e))
}

/// [`awaiting_deposit`] from a book already read.
pub fn awaits_deposit(book: &stint_domain::ledger::Book, e: &Engagement) -> bool {
    book.deposit_due() > 0 && (e.status != EngagementStatus::Cancelled || book.released > 0)
}

/// An admin records the employer's payment for an engagement (the price and
/// Stint's fee).
pub async fn record_deposit(
    state: &AppState,
    admin: &User,
    id: i64,
    reference: &str,
) -> Result<Engagement, AppError> {
    require_admin(admin)?;
    by_hand(state, id).await?;
    let e = state.store.engagement(id).await?;
    let reference = parse_reference(reference)?;
    let book = state.store.book(id).await?;
    if !awaits_deposit(&book, &e) {
        return Err(AppError::conflict(
            "nothing_to_receive",
            "No payment is due from the employer for this engagement: it is recorded already, cancelled, or funded through another provider.",
        ));
    }
    // The store checks again under the engagement's lock.
    let total = Money::new(book.deposit_due(), e.price.currency);
    let m = Movement::deposit(e.org_id, total.minor).with_reference(&reference);
    state
        .store
        .record_movement(id, e.price.currency.code(), "manual", &m, state.clock.now())
        .await?;
    state
        .store
        .audit(
            Some(admin.id),
            "payment.received",
            "engagement",
            id,
            &format!("{total} received, reference {reference}"),
        )
        .await?;
    notify::members(
        state,
        e.org_id,
        Kind::Payment,
        "Payment received",
        &format!("Stint received {total} (reference {reference}); the price is secured in escrow."),
        &format!("/engagements/{id}"),
    )
    .await?;
    Ok(e)
}

/// An admin records that the money released to the student has been paid
/// out. An approved engagement becomes paid; a cancelled one (whose student
/// kept a share) only gains the payout entry. Refused while the employer's
/// deposit is not recorded (manual provider).
pub async fn record_payout(
    state: &AppState,
    admin: &User,
    id: i64,
    reference: &str,
) -> Result<Engagement, AppError> {
    require_admin(admin)?;
    by_hand(state, id).await?;
    let e = state.store.engagement(id).await?;
    let reference = parse_reference(reference)?;
    // What is owed now; the store re-checks it (and, with the manual
    // provider, the employer's deposit) under the engagement's lock.
    let released = state.store.book(id).await?.owed_to_student();
    if released == 0 {
        return Err(AppError::conflict(
            "nothing_to_pay",
            "Nothing is waiting to be paid out for this engagement: no money is released yet, or the payout is recorded already.",
        ));
    }
    let m = Movement::payout(e.student_id, released).with_reference(&reference);
    let provider = state.config.payment_provider.as_str();
    let currency = e.price.currency.code();
    if e.status == EngagementStatus::Approved {
        let to = transition(e.status, EngagementActor::Admin, EngagementAction::Release)
            .map_err(|err| AppError::conflict("invalid_transition", err.to_string()))?;
        state
            .store
            .move_engagement(
                id,
                e.status,
                to,
                currency,
                provider,
                &[m],
                state.clock.now(),
            )
            .await?;
    } else {
        state
            .store
            .record_movement(id, currency, provider, &m, state.clock.now())
            .await?;
    }
    let amount = Money::new(released, e.price.currency);
    state
        .store
        .audit(
            Some(admin.id),
            "engagement.paid",
            "engagement",
            id,
            &format!("{amount} paid out, reference {reference}"),
        )
        .await?;
    notify::send(
        state,
        e.student_id,
        Kind::Payment,
        "You have been paid",
        &format!("Stint paid out {amount} to you (reference {reference})."),
        &format!("/engagements/{id}"),
    )
    .await?;
    Ok(state.store.engagement(id).await?)
}

/// An admin records that refunded money Stint held for the employer (their
/// payment had arrived before the cancellation or dispute) was sent back.
pub async fn record_return(
    state: &AppState,
    admin: &User,
    id: i64,
    reference: &str,
) -> Result<Engagement, AppError> {
    require_admin(admin)?;
    by_hand(state, id).await?;
    let e = state.store.engagement(id).await?;
    let reference = parse_reference(reference)?;
    // What is owed now; the store checks again under the engagement's lock.
    let owed = state.store.book(id).await?.owed_to_employer();
    if owed <= 0 {
        return Err(AppError::conflict(
            "nothing_to_return",
            "Nothing is owed back to the employer for this engagement: no refund came after their payment, or it is sent already.",
        ));
    }
    let m = Movement::returned(e.org_id, owed).with_reference(&reference);
    state
        .store
        .record_movement(id, e.price.currency.code(), "manual", &m, state.clock.now())
        .await?;
    let amount = Money::new(owed, e.price.currency);
    state
        .store
        .audit(
            Some(admin.id),
            "payment.returned",
            "engagement",
            id,
            &format!("{amount} sent back, reference {reference}"),
        )
        .await?;
    notify::members(
        state,
        e.org_id,
        Kind::Payment,
        "Your refund is on its way",
        &format!("Stint sent {amount} back to you (reference {reference})."),
        &format!("/engagements/{id}"),
    )
    .await?;
    Ok(e)
}
