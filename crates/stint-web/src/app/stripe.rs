//! The Stripe provider: Connect with separate charges and transfers.
//!
//! - Hiring records the price and fee as owed (as with the manual provider);
//!   the employer pays on a Stripe Checkout page, and only Stripe's signed
//!   `checkout.session.completed` records the deposit that funds escrow.
//! - Students onboard to a connected Express account from `/me/payout`;
//!   `account.updated` keeps its readiness.
//! - [`settle`] moves at Stripe what the ledger says is owed: released money
//!   is transferred to the student's account (then paid), refunded money
//!   the employer had paid goes back as a Stripe refund. Each call carries
//!   an idempotency key and each result is one ledger entry whose rules
//!   refuse a second, so retries, doubled webhooks and two instances never
//!   move money twice. A transient failure is retried by a job.

use axum::http::StatusCode;
use stint_domain::engagement::{EngagementAction, EngagementActor, EngagementStatus, transition};
use stint_domain::money::Money;
use stint_store::{Engagement, Movement, StoreError, User};
use stint_stripe::{CheckoutRequest, StripeError};

use super::notify::{self, Kind};
use crate::auth::authz::require_role;
use crate::error::AppError;
use crate::{AppState, PaymentProvider, StripeConfig};

mod events;
pub use events::webhook;

/// The job that retries [`settle`] after a transient failure.
pub const STRIPE_SETTLE: &str = "stripe_settle";

fn config(state: &AppState) -> Result<&StripeConfig, AppError> {
    state.config.stripe.as_ref().ok_or_else(|| {
        AppError::conflict(
            "stripe_not_configured",
            "Payments through Stripe are not set up on this instance.",
        )
    })
}

/// A Stripe failure as the caller sees it: retry later, or a refusal.
fn failed(e: StripeError) -> AppError {
    tracing::warn!(error = %e, "stripe call failed");
    if e.is_transient() {
        AppError::Http {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "payment_provider_unavailable",
            message: "Stripe cannot be reached just now; nothing was charged or moved. Try again in a minute.".into(),
        }
    } else {
        AppError::Http {
            status: StatusCode::BAD_GATEWAY,
            code: "payment_provider_refused",
            message: format!("Stripe refused the request: {e}"),
        }
    }
}

/// Whether the engagement's money goes through Stripe.
async fn on_stripe(state: &AppState, id: i64) -> Result<bool, AppError> {
    Ok(state
        .store
        .ledger_entries(id)
        .await?
        .iter()
        .any(|l| l.kind == "fund" && l.provider == "stripe"))
}

/// Where the employer pays for engagement `id`: a Checkout Session for what
/// is due (price and fee, less any refund before payment), reused while it
/// is open. Employer members only.
pub async fn checkout(state: &AppState, user: &User, id: i64) -> Result<String, AppError> {
    let cfg = config(state)?;
    let (e, side) = super::engagements::require_party(state, user, id).await?;
    if side != super::engagements::Side::Employer {
        return Err(AppError::Forbidden(
            "Only the employer pays for an engagement.",
        ));
    }
    let due = state.store.book(id).await?.deposit_due();
    let awaited = super::payments::awaiting_deposit(state, &e).await?;
    if !on_stripe(state, id).await? || due == 0 || !awaited {
        return Err(AppError::conflict(
            "nothing_to_pay",
            "Nothing is due for this engagement: it is paid already, or paid another way.",
        ));
    }
    if let Some(c) = state.store.stripe_charge(id).await?
        && c.status == "open"
    {
        let s = cfg
            .client
            .checkout_session(&c.session_id)
            .await
            .map_err(failed)?;
        if s.status.as_deref() == Some("open")
            && let Some(url) = s.url
        {
            return Ok(url);
        }
    }
    let project = state.store.project(e.project_id).await?;
    let total = Money::new(due, e.price.currency);
    let base = &state.config.base_url;
    let session = cfg
        .client
        .create_checkout_session(&CheckoutRequest {
            amount: due,
            currency: &e.price.currency.code().to_ascii_lowercase(),
            description: &format!(
                "{}: price {} and Stint's fee {}",
                project.input.title, e.price, e.fee
            ),
            engagement_id: id,
            success_url: &format!("{base}/engagements/{id}?notice=payment_sent"),
            cancel_url: &format!("{base}/engagements/{id}"),
        })
        .await
        .map_err(failed)?;
    state
        .store
        .save_stripe_charge(id, &session.id, session.payment_intent.as_deref(), "open")
        .await?;
    state
        .store
        .audit(
            Some(user.id),
            "stripe.checkout",
            "engagement",
            id,
            &format!("{total}, {}", session.id),
        )
        .await?;
    session.url.ok_or_else(|| {
        failed(StripeError::Decode(
            "a new Checkout Session without a url".into(),
        ))
    })
}

/// A student's connected account: created on first use, then a fresh
/// onboarding link into Stripe. Students only.
pub async fn onboarding_link(
    state: &AppState,
    user: &User,
    country: &str,
) -> Result<String, AppError> {
    require_role(user, stint_domain::account::Role::Student)?;
    let cfg = config(state)?;
    let account = match state.store.stripe_account(user.id).await? {
        Some(a) => a.account_id,
        None => {
            let country = stint_domain::organization::parse_country(country)?;
            let a = cfg
                .client
                .create_express_account(&user.email, &country, user.id)
                .await
                .map_err(failed)?;
            state
                .store
                .save_stripe_account(user.id, &a.id, a.details_submitted, a.payouts_enabled)
                .await?;
            state
                .store
                .audit(
                    Some(user.id),
                    "stripe.account_created",
                    "user",
                    user.id,
                    &a.id,
                )
                .await?;
            a.id
        }
    };
    let base = &state.config.base_url;
    let link = cfg
        .client
        .onboarding_link(
            &account,
            &format!("{base}/me/payout?stripe=refresh"),
            &format!("{base}/me/payout?stripe=return"),
            &state.clock.now().timestamp().to_string(),
        )
        .await
        .map_err(failed)?;
    Ok(link.url)
}

/// Reads the student's account back from Stripe (after onboarding) and
/// settles what waited for it.
pub async fn refresh_account(state: &AppState, user: &User) -> Result<(), AppError> {
    let cfg = config(state)?;
    let Some(a) = state.store.stripe_account(user.id).await? else {
        return Ok(());
    };
    let fresh = cfg.client.account(&a.account_id).await.map_err(failed)?;
    state
        .store
        .save_stripe_account(
            user.id,
            &fresh.id,
            fresh.details_submitted,
            fresh.payouts_enabled,
        )
        .await?;
    if fresh.payouts_enabled {
        for id in state.store.stripe_unsettled_for_student(user.id).await? {
            settle_soon(state, id).await;
        }
    }
    Ok(())
}

/// Whether the student can be paid through Stripe now.
pub async fn student_ready(state: &AppState, student_id: i64) -> Result<bool, AppError> {
    Ok(state
        .store
        .stripe_account(student_id)
        .await?
        .is_some_and(|a| a.payouts_enabled))
}

/// [`settle`] now; after a failure, again from the job queue.
pub async fn settle_soon(state: &AppState, id: i64) {
    if let Err(e) = settle(state, id).await {
        tracing::warn!(engagement = id, error = %e, "stripe settlement deferred");
        let at = state.clock.now() + chrono::Duration::minutes(2);
        if let Err(e) = state.store.schedule_job(STRIPE_SETTLE, id, at).await {
            tracing::error!(engagement = id, error = %e, "cannot schedule stripe settlement");
        }
    }
}

/// Moves at Stripe what the ledger owes for engagement `id`: a refund of
/// money the employer paid and had refunded; a transfer of released money
/// to the student's account once it can be paid out. Does nothing for
/// other providers or when nothing is owed.
pub async fn settle(state: &AppState, id: i64) -> Result<(), AppError> {
    if state.config.payment_provider != PaymentProvider::Stripe || !on_stripe(state, id).await? {
        return Ok(());
    }
    let cfg = config(state)?;
    let e = state.store.engagement(id).await?;
    let book = state.store.book(id).await?;
    let charge = state.store.stripe_charge(id).await?;
    let pi = charge.as_ref().and_then(|c| c.payment_intent_id.clone());
    let currency = e.price.currency.code();
    // An unpaid session for an amount no longer due (a cancellation before
    // payment) is closed, so it cannot be paid; a new one asks for what is due.
    if book.deposited == 0
        && let Some(c) = &charge
        && c.status == "open"
        && (e.status == EngagementStatus::Cancelled || book.deposit_due() == 0)
    {
        cfg.client
            .expire_checkout_session(&c.session_id)
            .await
            .map_err(failed)?;
        state
            .store
            .save_stripe_charge(id, &c.session_id, None, "expired")
            .await?;
    }
    if book.owed_to_employer() > 0
        && let Some(pi) = &pi
    {
        let owed = book.owed_to_employer();
        let r = cfg.client.refund(id, pi, owed).await.map_err(failed)?;
        let m = Movement::returned(e.org_id, owed).with_reference(&r.id);
        record_once(state, &e, &m).await?;
        let amount = Money::new(owed, e.price.currency);
        state
            .store
            .audit(
                None,
                "payment.returned",
                "engagement",
                id,
                &format!("{amount} refunded through Stripe, {}", r.id),
            )
            .await?;
        notify::members(
            state,
            e.org_id,
            Kind::Payment,
            "Your refund is on its way",
            &format!("Stripe is refunding {amount} to your card."),
            &format!("/engagements/{id}"),
        )
        .await?;
    }
    let owed = book.owed_to_student();
    if owed > 0 && book.deposited > 0 {
        let Some(account) = state.store.stripe_account(e.student_id).await? else {
            return Ok(()); // waits for the student's onboarding
        };
        if !account.payouts_enabled {
            return Ok(());
        }
        let source = match &pi {
            Some(pi) => cfg
                .client
                .payment_intent(pi)
                .await
                .map_err(failed)?
                .latest_charge_id()
                .map(String::from),
            None => None,
        };
        let t = cfg
            .client
            .transfer(
                id,
                owed,
                &currency.to_ascii_lowercase(),
                &account.account_id,
                source.as_deref(),
            )
            .await
            .map_err(failed)?;
        let m = Movement::payout(e.student_id, owed).with_reference(&t.id);
        let fresh = state.store.engagement(id).await?;
        if fresh.status == EngagementStatus::Approved {
            let to = transition(
                fresh.status,
                EngagementActor::System,
                EngagementAction::Release,
            )
            .map_err(|err| AppError::conflict("invalid_transition", err.to_string()))?;
            match state
                .store
                .move_engagement(
                    id,
                    fresh.status,
                    to,
                    currency,
                    "stripe",
                    &[m],
                    state.clock.now(),
                )
                .await
            {
                Ok(()) => {}
                Err(StoreError::Conflict(_)) | Err(StoreError::Ledger(_)) => return Ok(()),
                Err(err) => return Err(err.into()),
            }
        } else {
            record_once(state, &e, &m).await?;
        }
        let amount = Money::new(owed, e.price.currency);
        state
            .store
            .audit(
                None,
                "engagement.paid",
                "engagement",
                id,
                &format!("{amount} transferred through Stripe, {}", t.id),
            )
            .await?;
        notify::send(
            state,
            e.student_id,
            Kind::Payment,
            "You have been paid",
            &format!(
                "Stint sent {amount} to your Stripe account; Stripe pays it out to your bank."
            ),
            &format!("/engagements/{id}"),
        )
        .await?;
    }
    Ok(())
}

/// Writes a movement that another delivery or instance may have written
/// already: the ledger refusing it again is success.
async fn record_once(state: &AppState, e: &Engagement, m: &Movement) -> Result<(), AppError> {
    match state
        .store
        .record_movement(
            e.id,
            e.price.currency.code(),
            "stripe",
            m,
            state.clock.now(),
        )
        .await
    {
        Ok(()) | Err(StoreError::Ledger(_)) | Err(StoreError::Conflict(_)) => Ok(()),
        Err(err) => Err(err.into()),
    }
}
