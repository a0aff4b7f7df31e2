//! Standard Webhooks signatures: `webhook-signature` carries one or more
//! space-separated `v1,<base64 HMAC-SHA256>` of `"{id}.{timestamp}.{body}"`,
//! keyed with the base64-decoded part of a `whsec_` secret. Several
//! signatures are sent while a rotated secret is still honoured.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Random bytes in a new secret (the specification asks for 24 to 64).
const SECRET_BYTES: usize = 32;
/// Receivers usually accept messages up to five minutes old or ahead.
pub const DEFAULT_TOLERANCE_SECS: i64 = 300;

/// A signing secret. `Display` gives the `whsec_…` form people paste into
/// their receiver; `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "whsec_{}", STANDARD.encode(&self.0))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("a secret is `whsec_` followed by base64 of 24 to 64 bytes")]
    BadSecret,
    #[error("no randomness for a secret: {0}")]
    NoRandomness(String),
    #[error(
        "the webhook-id, webhook-timestamp or webhook-signature header is missing or malformed"
    )]
    Malformed,
    #[error("the webhook-timestamp is outside the tolerance")]
    Stale,
    #[error("no signature in the header matches the message")]
    Mismatch,
}

impl Secret {
    pub fn generate() -> Result<Secret, SignatureError> {
        let mut bytes = vec![0u8; SECRET_BYTES];
        getrandom::fill(&mut bytes).map_err(|e| SignatureError::NoRandomness(e.to_string()))?;
        Ok(Secret(bytes))
    }

    /// From the `whsec_…` form (the prefix may be left off, as the
    /// reference libraries allow).
    pub fn parse(s: &str) -> Result<Secret, SignatureError> {
        let b64 = s.trim().strip_prefix("whsec_").unwrap_or(s.trim());
        let bytes = STANDARD
            .decode(b64)
            .map_err(|_| SignatureError::BadSecret)?;
        if !(24..=64).contains(&bytes.len()) {
            return Err(SignatureError::BadSecret);
        }
        Ok(Secret(bytes))
    }

    fn mac(&self, id: &str, timestamp: i64, body: &[u8]) -> Hmac<Sha256> {
        let mut m = <Hmac<Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC accepts any key length"));
        m.update(id.as_bytes());
        m.update(b".");
        m.update(timestamp.to_string().as_bytes());
        m.update(b".");
        m.update(body);
        m
    }

    /// `v1,<base64>` for one message attempt.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        format!(
            "v1,{}",
            STANDARD.encode(self.mac(id, timestamp, body).finalize().into_bytes())
        )
    }
}

/// The `webhook-signature` value: one signature per secret, space-separated
/// (the newest first).
pub fn signature_header(secrets: &[&Secret], id: &str, timestamp: i64, body: &[u8]) -> String {
    secrets
        .iter()
        .map(|s| s.sign(id, timestamp, body))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Checks a message as a receiver would: one `v1` signature in `signature`
/// matches (in constant time) and `timestamp` is within `tolerance_secs` of
/// `now`. Stint's own tests use it; receivers use their own library.
pub fn verify(
    secret: &Secret,
    id: &str,
    timestamp: &str,
    signature: &str,
    body: &[u8],
    now: i64,
    tolerance_secs: i64,
) -> Result<(), SignatureError> {
    let ts: i64 = timestamp
        .trim()
        .parse()
        .map_err(|_| SignatureError::Malformed)?;
    if id.is_empty() || signature.trim().is_empty() {
        return Err(SignatureError::Malformed);
    }
    if (now - ts).abs() > tolerance_secs {
        return Err(SignatureError::Stale);
    }
    let matches = signature.split(' ').any(|part| {
        let Some(("v1", b64)) = part.split_once(',') else {
            return false;
        };
        let Ok(given) = STANDARD.decode(b64) else {
            return false;
        };
        secret.mac(id, ts, body).verify_slice(&given).is_ok()
    });
    if matches {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// A new message id: `msg_` and 26 characters of base 32 (no `.`, as the
/// specification asks, so the signed string splits unambiguously).
pub fn new_message_id() -> Result<String, SignatureError> {
    const ALPHABET: &[u8] = b"0123456789abcdefghjkmnpqrstvwxyz";
    let mut bytes = [0u8; 26];
    getrandom::fill(&mut bytes).map_err(|e| SignatureError::NoRandomness(e.to_string()))?;
    let tail: String = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(b % 32)]))
        .collect();
    Ok(format!("msg_{tail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const VECTOR_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const VECTOR_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const VECTOR_TS: i64 = 1_614_265_330;
    const VECTOR_BODY: &[u8] = br#"{"test": 2432232314}"#;
    const VECTOR_SIG: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    #[test]
    fn the_specification_test_vector_reproduces() {
        let s = Secret::parse(VECTOR_SECRET).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.sign(VECTOR_ID, VECTOR_TS, VECTOR_BODY), VECTOR_SIG);
        assert_eq!(s.to_string(), VECTOR_SECRET);
        assert_eq!(
            verify(
                &s,
                VECTOR_ID,
                "1614265330",
                VECTOR_SIG,
                VECTOR_BODY,
                VECTOR_TS + 10,
                300
            ),
            Ok(())
        );
    }

    #[test]
    fn verification_refuses_what_it_should() {
        let s = Secret::parse(VECTOR_SECRET).unwrap_or_else(|e| panic!("{e}"));
        let other = Secret::generate().unwrap_or_else(|e| panic!("{e}"));
        let ts = "1614265330";
        let now = VECTOR_TS;
        assert_eq!(
            verify(
                &s,
                VECTOR_ID,
                ts,
                VECTOR_SIG,
                br#"{"test": 2432232315}"#,
                now,
                300
            ),
            Err(SignatureError::Mismatch),
            "a changed body"
        );
        assert_eq!(
            verify(&s, "msg_other", ts, VECTOR_SIG, VECTOR_BODY, now, 300),
            Err(SignatureError::Mismatch),
            "another id"
        );
        assert_eq!(
            verify(&s, VECTOR_ID, ts, VECTOR_SIG, VECTOR_BODY, now + 301, 300),
            Err(SignatureError::Stale)
        );
        assert_eq!(
            verify(&other, VECTOR_ID, ts, VECTOR_SIG, VECTOR_BODY, now, 300),
            Err(SignatureError::Mismatch),
            "another secret"
        );
        assert_eq!(
            verify(&s, VECTOR_ID, "soon", VECTOR_SIG, VECTOR_BODY, now, 300),
            Err(SignatureError::Malformed)
        );
        // During a rotation both signatures are sent; either secret verifies.
        let both = signature_header(&[&other, &s], VECTOR_ID, VECTOR_TS, VECTOR_BODY);
        assert!(both.contains(' ') && both.ends_with(VECTOR_SIG));
        assert_eq!(
            verify(&s, VECTOR_ID, ts, &both, VECTOR_BODY, now, 300),
            Ok(())
        );
        assert_eq!(
            verify(&other, VECTOR_ID, ts, &both, VECTOR_BODY, now, 300),
            Ok(())
        );
    }

    #[test]
    fn secrets_and_ids_have_their_forms() {
        let s = Secret::generate().unwrap_or_else(|e| panic!("{e}"));
        let text = s.to_string();
        assert!(text.starts_with("whsec_"));
        assert_eq!(Secret::parse(&text), Ok(s.clone()));
        assert_ne!(Secret::generate().ok(), Some(s.clone()));
        assert!(!format!("{s:?}").contains(&text[6..]));
        assert_eq!(
            Secret::parse("whsec_c2hvcnQ="),
            Err(SignatureError::BadSecret)
        );
        assert_eq!(Secret::parse("whsec_***"), Err(SignatureError::BadSecret));
        let id = new_message_id().unwrap_or_default();
        assert!(id.starts_with("msg_") && id.len() == 30 && !id.contains('.'));
        assert_ne!(new_message_id().ok(), Some(id));
    }
}
