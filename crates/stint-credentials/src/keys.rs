//! Ed25519 keys as Multikey multibase strings: public `z6Mk…` (multicodec
//! `ed25519-pub`, 0xed01), secret `z3u2…` (multicodec `ed25519-priv`,
//! 0x8026), both base58btc.

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};

const PUB_PREFIX: [u8; 2] = [0xed, 0x01];
const SECRET_PREFIX: [u8; 2] = [0x80, 0x26];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum KeyError {
    #[error("not a base58btc multibase string (it should start with 'z')")]
    NotMultibase,
    #[error("not an Ed25519 {0} key")]
    WrongKind(&'static str),
    #[error("no randomness available: {0}")]
    Random(String),
}

/// The platform's signing key.
pub struct IssuerKey {
    signing: SigningKey,
}

impl std::fmt::Debug for IssuerKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret.
        write!(f, "IssuerKey({})", self.public_multibase())
    }
}

fn decode(multibase: &str, prefix: [u8; 2], kind: &'static str) -> Result<[u8; 32], KeyError> {
    let rest = multibase.strip_prefix('z').ok_or(KeyError::NotMultibase)?;
    let bytes = bs58::decode(rest)
        .into_vec()
        .map_err(|_| KeyError::NotMultibase)?;
    match bytes.split_first_chunk::<2>() {
        Some((p, key)) if *p == prefix => key.try_into().map_err(|_| KeyError::WrongKind(kind)),
        _ => Err(KeyError::WrongKind(kind)),
    }
}

fn encode(prefix: [u8; 2], key: &[u8; 32]) -> String {
    let mut bytes = prefix.to_vec();
    bytes.extend_from_slice(key);
    format!("z{}", bs58::encode(bytes).into_string())
}

impl IssuerKey {
    pub fn generate() -> Result<IssuerKey, KeyError> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(IssuerKey {
            signing: SigningKey::from_bytes(&seed),
        })
    }

    pub fn from_secret_multibase(secret: &str) -> Result<IssuerKey, KeyError> {
        let seed = decode(secret.trim(), SECRET_PREFIX, "secret")?;
        Ok(IssuerKey {
            signing: SigningKey::from_bytes(&seed),
        })
    }

    pub fn secret_multibase(&self) -> String {
        encode(SECRET_PREFIX, &self.signing.to_bytes())
    }

    pub fn public_multibase(&self) -> String {
        public_multibase(&self.signing.verifying_key())
    }

    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.signing.sign(message).to_bytes()
    }
}

pub fn public_multibase(key: &VerifyingKey) -> String {
    encode(PUB_PREFIX, key.as_bytes())
}

/// A `z6Mk…` public key.
pub fn decode_public(multibase: &str) -> Result<VerifyingKey, KeyError> {
    let bytes = decode(multibase, PUB_PREFIX, "public")?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| KeyError::WrongKind("public"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multibase_round_trips_and_rejects_other_kinds() {
        let key = IssuerKey::generate().unwrap_or_else(|e| panic!("{e}"));
        let again = IssuerKey::from_secret_multibase(&key.secret_multibase());
        assert_eq!(
            again.map(|k| k.public_multibase()),
            Ok(key.public_multibase())
        );
        assert!(key.public_multibase().starts_with("z6Mk"));
        assert_eq!(
            IssuerKey::from_secret_multibase(&key.public_multibase()).err(),
            Some(KeyError::WrongKind("secret"))
        );
        assert_eq!(decode_public("6Mk").err(), Some(KeyError::NotMultibase));
        assert!(!format!("{key:?}").contains(&key.secret_multibase()));
    }
}
