//! Secrets at rest: payout details (and, later, provider and SSO secrets)
//! are sealed with ChaCha20-Poly1305 under a key from the settings
//! (`secrets_key`) or, without one, a key file created in the data
//! directory on first start. Each sealed value is bound to what it is for
//! (`payout:<user id>`), so a value copied to another row does not open,
//! and names the key that sealed it, so a rotated key is reported plainly.

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use sha2::{Digest, Sha256};

/// Seals and opens values under one key. Its `Debug` never shows the key.
#[derive(Clone)]
pub struct Sealer {
    cipher: ChaCha20Poly1305,
    /// The first 8 hex digits of the key's SHA-256: stored with each value.
    key_id: String,
}

impl std::fmt::Debug for Sealer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Sealer(key {})", self.key_id)
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SealError {
    #[error("the value was sealed with key {0}, not the key in use")]
    OtherKey(String),
    #[error("the value is damaged or was moved from where it was sealed")]
    Damaged,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
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

impl Sealer {
    pub fn new(key: [u8; 32]) -> Sealer {
        Sealer {
            key_id: hex(&Sha256::digest(key)[..4]),
            cipher: ChaCha20Poly1305::new(&Key::from(key)),
        }
    }

    /// From 64 hex digits (the `secrets_key` setting or the key file).
    pub fn from_hex(s: &str) -> Result<Sealer, String> {
        let bytes = unhex(s.trim()).filter(|b| b.len() == 32).ok_or_else(|| {
            "a secrets key is 64 hex digits (32 random bytes), e.g. from `openssl rand -hex 32`"
                .to_string()
        })?;
        let mut key = [0u8; 32];
        key.copy_from_slice(&bytes);
        Ok(Sealer::new(key))
    }

    /// A new random key, as 64 hex digits.
    pub fn generate_hex() -> Result<String, String> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|e| format!("no randomness: {e}"))?;
        Ok(hex(&key))
    }

    /// A sealer with a random key (tests and demos).
    pub fn random() -> Sealer {
        let mut key = [0u8; 32];
        // A failure leaves zeros, which still seals and opens consistently
        // within this process; real keys come from `from_hex`.
        let _ = getrandom::fill(&mut key);
        Sealer::new(key)
    }

    /// `v1:<key id>:<hex nonce and ciphertext>`, bound to `purpose`.
    pub fn seal(&self, purpose: &str, plain: &[u8]) -> Result<String, SealError> {
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut nonce).map_err(|_| SealError::Damaged)?;
        let sealed = self
            .cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: plain,
                    aad: purpose.as_bytes(),
                },
            )
            .map_err(|_| SealError::Damaged)?;
        Ok(format!(
            "v1:{}:{}{}",
            self.key_id,
            hex(&nonce),
            hex(&sealed)
        ))
    }

    pub fn open(&self, purpose: &str, sealed: &str) -> Result<Vec<u8>, SealError> {
        let mut parts = sealed.splitn(3, ':');
        let (Some("v1"), Some(key_id), Some(body)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(SealError::Damaged);
        };
        if key_id != self.key_id {
            return Err(SealError::OtherKey(key_id.to_string()));
        }
        let bytes = unhex(body)
            .filter(|b| b.len() > 12)
            .ok_or(SealError::Damaged)?;
        let (n, body) = bytes.split_at(12);
        let mut nonce = [0u8; 12];
        nonce.copy_from_slice(n);
        self.cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: body,
                    aad: purpose.as_bytes(),
                },
            )
            .map_err(|_| SealError::Damaged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_open_only_where_they_were_sealed() {
        let s = Sealer::random();
        let sealed = s
            .seal("payout:7", b"DE89370400440532013000")
            .unwrap_or_default();
        assert!(!sealed.contains("DE89"));
        assert_eq!(
            s.open("payout:7", &sealed),
            Ok(b"DE89370400440532013000".to_vec())
        );
        assert_eq!(
            s.open("payout:8", &sealed),
            Err(SealError::Damaged),
            "moved to another person"
        );
        let other = Sealer::random();
        assert!(matches!(
            other.open("payout:7", &sealed),
            Err(SealError::OtherKey(_))
        ));
        let mut tampered = sealed.clone();
        tampered.pop();
        tampered.push(if sealed.ends_with('0') { '1' } else { '0' });
        assert_eq!(s.open("payout:7", &tampered), Err(SealError::Damaged));
        assert_ne!(
            sealed,
            s.seal("payout:7", b"DE89370400440532013000")
                .unwrap_or_default(),
            "fresh nonce"
        );
        assert!(Sealer::from_hex("abc").is_err());
        let k = Sealer::generate_hex().unwrap_or_default();
        assert_eq!(Sealer::from_hex(&k).map(|s| s.key_id.len()), Ok(8));
        assert!(!format!("{s:?}").contains(&k));
    }
}
