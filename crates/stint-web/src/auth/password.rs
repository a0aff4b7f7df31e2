//! Password hashing with argon2id. Hashing is CPU-heavy, so it runs on the
//! blocking pool and never stalls the request executor.

use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::error::AppError;

/// How expensive hashing is. `Standard` is argon2id with OWASP's
/// recommended parameters; `Fast` exists only so test suites that create
/// hundreds of accounts finish quickly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordCost {
    Standard,
    Fast,
}

fn hasher(cost: PasswordCost) -> Argon2<'static> {
    let params = match cost {
        // 19 MiB, 2 passes, 1 lane.
        PasswordCost::Standard => Params::new(19 * 1024, 2, 1, None),
        PasswordCost::Fast => Params::new(256, 1, 1, None),
    };
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        params.unwrap_or_default(),
    )
}

pub async fn hash(password: String, cost: PasswordCost) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        hasher(cost)
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| AppError::Internal(format!("hash: {e}")))
    })
    .await
    .map_err(|e| AppError::Internal(format!("hash task: {e}")))?
}

/// Whether `password` matches the stored hash. The hash carries its own
/// parameters, so changing the cost never locks anyone out.
pub async fn verify(password: String, stored: String) -> bool {
    tokio::task::spawn_blocking(move || {
        hasher(PasswordCost::Standard)
            .verify_password(password.as_bytes(), stored.as_str())
            .is_ok()
    })
    .await
    .unwrap_or(false)
}

/// A valid hash of a random password: checking it costs the same as a real
/// check, so a missing account cannot be told apart by timing.
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c3RpbnRkdW1teXNhbHQ$2v9Jm8Cq3wQ0Vb7mX1mYk7dM7m3mZ9f1c0b2d8QF6k0";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ() {
        let a = hash("correct horse battery".into(), PasswordCost::Fast)
            .await
            .unwrap_or_default();
        let b = hash("correct horse battery".into(), PasswordCost::Fast)
            .await
            .unwrap_or_default();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "salted");
        assert!(verify("correct horse battery".into(), a.clone()).await);
        assert!(!verify("wrong horse battery".into(), a).await);
        assert!(!verify("anything".into(), DUMMY_HASH.into()).await);
        assert!(!verify("anything".into(), "not a hash".into()).await);
    }

    #[test]
    fn dummy_hash_parses_so_it_costs_a_real_check() {
        assert!(argon2::password_hash::phc::PasswordHash::new(DUMMY_HASH).is_ok());
    }
}
