//! Stripe webhook signatures, checked the way Stripe documents them: the
//! `Stripe-Signature` header carries a timestamp `t` and one or more `v1`
//! signatures, each the hex HMAC-SHA256 of `"{t}.{payload}"` under the
//! endpoint's signing secret. An event is accepted when one `v1` matches
//! (compared in constant time) and `t` is within the tolerance of now, so
//! a captured request cannot be replayed later.

use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;

/// Stripe's own libraries accept events up to five minutes old.
pub const DEFAULT_TOLERANCE_SECS: i64 = 300;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WebhookError {
    #[error("the Stripe-Signature header is malformed")]
    Malformed,
    #[error("the signature's timestamp is outside the tolerance")]
    Stale,
    #[error("no signature in the header matches the payload")]
    Mismatch,
    #[error("the payload is not a Stripe event: {0}")]
    Payload(String),
}

fn mac(secret: &str, timestamp: i64, payload: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length.
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(secret.as_bytes())
        .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
    m.update(timestamp.to_string().as_bytes());
    m.update(b".");
    m.update(payload);
    m
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| s.get(i..i + 2).and_then(|p| u8::from_str_radix(p, 16).ok()))
        .collect()
}

/// A `Stripe-Signature` header value for `payload` at `timestamp`, as
/// Stripe computes it (used by tests and by tools that replay events).
pub fn sign(payload: &[u8], secret: &str, timestamp: i64) -> String {
    let sig: String = mac(secret, timestamp, payload)
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("t={timestamp},v1={sig}")
}

/// Checks `header` for `payload` at `now` (Unix seconds).
pub fn verify(
    payload: &[u8],
    header: &str,
    secret: &str,
    now: i64,
    tolerance_secs: i64,
) -> Result<(), WebhookError> {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", s)) => signatures.push(s),
            // Other schemes (v0 is Stripe's test scheme) are ignored.
            Some(_) => {}
            None => return Err(WebhookError::Malformed),
        }
    }
    let Some(t) = timestamp else {
        return Err(WebhookError::Malformed);
    };
    if signatures.is_empty() {
        return Err(WebhookError::Malformed);
    }
    if (now - t).abs() > tolerance_secs {
        return Err(WebhookError::Stale);
    }
    let expected = mac(secret, t, payload);
    let ok = signatures
        .iter()
        .filter_map(|s| unhex(s))
        .any(|sig| expected.clone().verify_slice(&sig).is_ok());
    if ok {
        Ok(())
    } else {
        Err(WebhookError::Mismatch)
    }
}

/// The parts of a Stripe event Stint reads.
#[derive(Debug, Clone, Deserialize)]
pub struct Event {
    /// `evt_…`: each is handled once.
    pub id: String,
    /// e.g. `checkout.session.completed`, `account.updated`.
    #[serde(rename = "type")]
    pub kind: String,
    pub created: i64,
    #[serde(default)]
    pub livemode: bool,
    pub data: EventData,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EventData {
    /// The object the event is about, as Stripe sent it.
    pub object: serde_json::Value,
}

/// Verifies the signature, then reads the event.
pub fn construct_event(
    payload: &[u8],
    header: &str,
    secret: &str,
    now: i64,
    tolerance_secs: i64,
) -> Result<Event, WebhookError> {
    verify(payload, header, secret, now, tolerance_secs)?;
    serde_json::from_slice(payload).map_err(|e| WebhookError::Payload(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "whsec_test_secret";
    const PAYLOAD: &[u8] = br#"{"id":"evt_1","type":"account.updated","created":1700000000,"livemode":false,"data":{"object":{"id":"acct_1","payouts_enabled":true}}}"#;

    #[test]
    fn a_signature_stripe_would_send_is_accepted() {
        let header = sign(PAYLOAD, SECRET, 1_700_000_000);
        // The HMAC-SHA256 of "1700000000.<payload>" under the secret, hex.
        assert!(header.starts_with("t=1700000000,v1="));
        assert_eq!(header.len(), "t=1700000000,v1=".len() + 64);
        let e = construct_event(
            PAYLOAD,
            &header,
            SECRET,
            1_700_000_100,
            DEFAULT_TOLERANCE_SECS,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (e.id.as_str(), e.kind.as_str()),
            ("evt_1", "account.updated")
        );
        assert_eq!(e.data.object["payouts_enabled"], true);
    }

    #[test]
    fn several_signatures_any_may_match() {
        // During a secret roll Stripe signs with both secrets.
        let good = sign(PAYLOAD, SECRET, 1_700_000_000);
        let old = sign(PAYLOAD, "whsec_old", 1_700_000_000);
        let header = format!("{old},v1={},v0=deadbeef", &good["t=1700000000,v1=".len()..]);
        assert_eq!(verify(PAYLOAD, &header, SECRET, 1_700_000_000, 300), Ok(()));
    }

    #[test]
    fn refusals() {
        let header = sign(PAYLOAD, SECRET, 1_700_000_000);
        assert_eq!(
            verify(PAYLOAD, &header, "whsec_other", 1_700_000_000, 300),
            Err(WebhookError::Mismatch)
        );
        let mut tampered = PAYLOAD.to_vec();
        tampered[10] ^= 1;
        assert_eq!(
            verify(&tampered, &header, SECRET, 1_700_000_000, 300),
            Err(WebhookError::Mismatch)
        );
        assert_eq!(
            verify(PAYLOAD, &header, SECRET, 1_700_000_301, 300),
            Err(WebhookError::Stale),
            "a replay after five minutes"
        );
        assert_eq!(
            verify(PAYLOAD, "v1=abc", SECRET, 0, 300),
            Err(WebhookError::Malformed)
        );
        assert_eq!(
            verify(PAYLOAD, "t=1700000000", SECRET, 1_700_000_000, 300),
            Err(WebhookError::Malformed)
        );
        assert_eq!(
            verify(PAYLOAD, "garbage", SECRET, 0, 300),
            Err(WebhookError::Malformed)
        );
        let header = sign(b"[1,2]", SECRET, 5);
        assert!(matches!(
            construct_event(b"[1,2]", &header, SECRET, 5, 300),
            Err(WebhookError::Payload(_))
        ));
    }
}
