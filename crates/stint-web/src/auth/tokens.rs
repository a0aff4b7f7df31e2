//! Random secrets (session cookies, API tokens, email links, invite codes)
//! and the hashes stored in their place.

use sha2::{Digest, Sha256};

use crate::error::AppError;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 32 random bytes from the operating system, hex-encoded.
pub fn random_token() -> Result<String, AppError> {
    let mut buf = [0u8; 32];
    getrandom::fill(&mut buf).map_err(|e| AppError::Internal(format!("getrandom: {e}")))?;
    Ok(hex(&buf))
}

/// A short code people can paste: 10 characters without look-alikes.
pub fn invite_code() -> Result<String, AppError> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut buf = [0u8; 10];
    getrandom::fill(&mut buf).map_err(|e| AppError::Internal(format!("getrandom: {e}")))?;
    Ok(buf
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect())
}

/// What the database keeps instead of the secret.
pub fn hash_token(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// API tokens carry a prefix so they are recognisable in logs and scanners.
pub const API_TOKEN_PREFIX: &str = "stint_";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashes_stable() {
        let a = random_token().unwrap_or_default();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token().unwrap_or_default());
        assert_eq!(hash_token("x"), hash_token("x"));
        assert_ne!(hash_token("x"), hash_token("y"));
        assert_eq!(invite_code().unwrap_or_default().len(), 10);
    }
}
