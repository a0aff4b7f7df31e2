//! Stripe's webhook: the signature checked first, each event handled once,
//! and the ledger moved only from confirmed events.

use serde_json::Value;
use stint_domain::money::Money;
use stint_store::{Movement, StoreError};
use stint_stripe::webhook;

use super::super::notify::{self, Kind};
use super::{config, settle_soon};
use crate::AppState;
use crate::error::AppError;
use axum::http::StatusCode;

/// Handles one webhook delivery: the signature first (401 if it is not
/// Stripe's, or is older than five minutes), then each event once.
pub async fn webhook(
    state: &AppState,
    signature: &str,
    body: &[u8],
) -> Result<&'static str, AppError> {
    let cfg = config(state)?;
    let event = webhook::construct_event(
        body,
        signature,
        &cfg.webhook_secret,
        state.clock.now().timestamp(),
        webhook::DEFAULT_TOLERANCE_SECS,
    )
    .map_err(|e| AppError::Http {
        status: StatusCode::BAD_REQUEST,
        code: "bad_signature",
        message: format!("Not a webhook from Stripe: {e}."),
    })?;
    if state.store.stripe_event_seen(&event.id).await? {
        return Ok("already handled");
    }
    let object = &event.data.object;
    match event.kind.as_str() {
        "checkout.session.completed" | "checkout.session.async_payment_succeeded" => {
            paid(state, object).await?
        }
        "account.updated" => account_updated(state, object).await?,
        _ => {}
    }
    state
        .store
        .record_stripe_event(&event.id, &event.kind)
        .await?;
    Ok("handled")
}

fn engagement_of(object: &Value) -> Option<i64> {
    object["metadata"]["engagement_id"]
        .as_str()
        .or_else(|| object["client_reference_id"].as_str())
        .and_then(|s| s.parse().ok())
}

/// The employer's payment is confirmed: it is the deposit that funds escrow.
async fn paid(state: &AppState, session: &Value) -> Result<(), AppError> {
    if session["payment_status"].as_str() != Some("paid") {
        // Paid later by a delayed method: `async_payment_succeeded` follows.
        return Ok(());
    }
    let Some(id) = engagement_of(session) else {
        tracing::warn!("checkout session without an engagement");
        return Ok(());
    };
    let e = match state.store.engagement(id).await {
        Ok(e) => e,
        Err(StoreError::NotFound) => return Ok(()),
        Err(err) => return Err(err.into()),
    };
    let due = state.store.book(id).await?.deposit_due();
    let amount = session["amount_total"].as_i64().unwrap_or(0);
    let currency = session["currency"]
        .as_str()
        .unwrap_or("")
        .to_ascii_uppercase();
    let pi = session["payment_intent"].as_str();
    let session_id = session["id"].as_str().unwrap_or("");
    if due == 0 {
        return Ok(()); // recorded already
    }
    if amount != due || currency != e.price.currency.code() {
        // Paid for an amount that is no longer due (cancelled meanwhile):
        // an admin settles it by hand; nothing is recorded as funded.
        state
            .store
            .audit(
                None,
                "stripe.amount_mismatch",
                "engagement",
                id,
                &format!("paid {amount} {currency}, due {due}; session {session_id}"),
            )
            .await?;
        return Ok(());
    }
    let m = Movement::deposit(e.org_id, due).with_reference(pi.unwrap_or(session_id));
    match state
        .store
        .record_movement(id, e.price.currency.code(), "stripe", &m, state.clock.now())
        .await
    {
        Ok(()) => {}
        // Another delivery recorded it first.
        Err(StoreError::Ledger(_)) | Err(StoreError::Conflict(_)) => return Ok(()),
        Err(err) => return Err(err.into()),
    }
    state
        .store
        .save_stripe_charge(id, session_id, pi, "paid")
        .await?;
    let total = Money::new(due, e.price.currency);
    state
        .store
        .audit(
            None,
            "payment.received",
            "engagement",
            id,
            &format!("{total} through Stripe"),
        )
        .await?;
    notify::members(
        state,
        e.org_id,
        Kind::Payment,
        "Payment received",
        &format!("Stripe confirmed your payment of {total}; the price is secured in escrow."),
        &format!("/engagements/{id}"),
    )
    .await?;
    notify::send(
        state,
        e.student_id,
        Kind::Payment,
        "The price is secured",
        &format!(
            "The employer's payment arrived: {} is in escrow for your work.",
            e.price
        ),
        &format!("/engagements/{id}"),
    )
    .await?;
    settle_soon(state, id).await;
    Ok(())
}

async fn account_updated(state: &AppState, account: &Value) -> Result<(), AppError> {
    let Some(account_id) = account["id"].as_str() else {
        return Ok(());
    };
    let ready = account["payouts_enabled"].as_bool().unwrap_or(false);
    let submitted = account["details_submitted"].as_bool().unwrap_or(false);
    if let Some(student) = state
        .store
        .update_stripe_account(account_id, submitted, ready)
        .await?
        && ready
    {
        for id in state.store.stripe_unsettled_for_student(student).await? {
            settle_soon(state, id).await;
        }
    }
    Ok(())
}
