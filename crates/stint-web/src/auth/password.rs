//! Password hashing with argon2id, behind a gate that bounds what it costs.
//!
//! Each check or hash needs 19 MiB of working memory and tens of
//! milliseconds of a core. Unbounded, a burst of wrong passwords from many
//! addresses (the per-address rate limit bounds one address only) would run
//! hundreds at once: gigabytes of memory that the allocator then keeps in
//! its per-thread arenas. So [`PasswordGate`] runs at most one hash per
//! core, lets a short queue wait for a turn, and answers `503 busy` (with
//! `Retry-After`) beyond it.
//!
//! The working memory goes back to the system after each hash: it is
//! allocated with a capacity above the allocator's largest threshold for
//! serving memory from its arenas (32 MiB in glibc on 64-bit systems; musl
//! maps far smaller blocks directly), so it is always a fresh mapping, and
//! freeing it unmaps it. Only the 19 MiB the hash touches is ever resident.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::Semaphore;

use crate::error::AppError;

/// How expensive hashing is. `Standard` is argon2id with OWASP's
/// recommended parameters; `Fast` exists only so test suites that create
/// hundreds of accounts finish quickly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordCost {
    Standard,
    Fast,
}

fn params(cost: PasswordCost) -> Params {
    match cost {
        // 19 MiB, 2 passes, 1 lane.
        PasswordCost::Standard => Params::new(19 * 1024, 2, 1, Some(32)),
        PasswordCost::Fast => Params::new(256, 1, 1, Some(32)),
    }
    .unwrap_or_default()
}

/// Largest memory cost a stored hash may ask for (64 MiB); anything larger
/// is not one of ours and is refused rather than allocated.
const MAX_BLOCKS: usize = 64 * 1024;
/// How long a request waits in the queue before it is told to come back.
const MAX_WAIT: Duration = Duration::from_secs(5);
/// Capacity of each working buffer, in 1 KiB blocks: over 32 MiB, so the
/// allocator maps it afresh and unmaps it when it is dropped (see the module
/// documentation); untouched capacity is never resident.
const MAPPED_BLOCKS: usize = 33 * 1024;

/// Bounds concurrent hashing; see the module documentation.
pub struct PasswordGate {
    turns: Semaphore,
    waiting: AtomicUsize,
    max_waiting: usize,
}

impl std::fmt::Debug for PasswordGate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordGate")
            .field("available", &self.turns.available_permits())
            .field("waiting", &self.waiting.load(Ordering::Relaxed))
            .finish()
    }
}

impl PasswordGate {
    /// `workers` hashes at once, and at most `queue` more waiting.
    pub fn new(workers: usize, queue: usize) -> PasswordGate {
        PasswordGate {
            turns: Semaphore::new(workers.max(1)),
            waiting: AtomicUsize::new(0),
            max_waiting: queue,
        }
    }

    /// One hash per core, and a queue of eight per core.
    pub fn for_this_machine() -> PasswordGate {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        PasswordGate::new(cores, 8 * cores)
    }

    /// Runs `work` with a fresh working-memory buffer on the blocking pool,
    /// once a turn is free; `AppError::Busy` when the queue is full or the
    /// wait too long.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Vec<Block>) -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let turn = match self.turns.try_acquire() {
            Ok(t) => t,
            Err(_) => {
                if self.waiting.fetch_add(1, Ordering::AcqRel) >= self.max_waiting {
                    self.waiting.fetch_sub(1, Ordering::AcqRel);
                    return Err(AppError::Busy);
                }
                let got = tokio::time::timeout(MAX_WAIT, self.turns.acquire()).await;
                self.waiting.fetch_sub(1, Ordering::AcqRel);
                match got {
                    Ok(Ok(t)) => t,
                    _ => return Err(AppError::Busy),
                }
            }
        };
        let out = tokio::task::spawn_blocking(move || {
            let mut buf = Vec::with_capacity(MAPPED_BLOCKS);
            work(&mut buf)
        })
        .await
        .map_err(|e| AppError::Internal(format!("password task: {e}")))?;
        drop(turn);
        Ok(out)
    }

    /// A PHC string (`$argon2id$v=19$m=…`) for a new password.
    pub async fn hash(&self, password: String, cost: PasswordCost) -> Result<String, AppError> {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|e| AppError::Internal(format!("salt: {e}")))?;
        self.run(move |buf| {
            let params = params(cost);
            let mut out = [0u8; 32];
            compute(
                Algorithm::Argon2id,
                Version::V0x13,
                params.clone(),
                password.as_bytes(),
                &salt,
                &mut out,
                buf,
            )?;
            let phc = PasswordHash {
                algorithm: argon2::ARGON2ID_IDENT,
                version: Some(Version::V0x13.into()),
                params: ParamsString::try_from(&params)
                    .map_err(|e| AppError::Internal(format!("hash params: {e}")))?,
                salt: Some(Salt::new(&salt).map_err(|e| AppError::Internal(format!("salt: {e}")))?),
                hash: Some(
                    Output::new(&out).map_err(|e| AppError::Internal(format!("hash: {e}")))?,
                ),
            };
            Ok(phc.to_string())
        })
        .await?
    }

    /// Whether `password` matches the stored hash. The hash carries its own
    /// parameters, so changing the cost never locks anyone out. A stored
    /// value that is not a usable argon2 hash matches nothing.
    pub async fn verify(&self, password: String, stored: String) -> Result<bool, AppError> {
        self.run(move |buf| matches(&password, &stored, buf).unwrap_or(false))
            .await
    }
}

/// Fills `out` with the hash, growing `buf` to the blocks it needs.
fn compute(
    algorithm: Algorithm,
    version: Version,
    params: Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
    buf: &mut Vec<Block>,
) -> Result<(), AppError> {
    let blocks = params.block_count();
    if blocks > MAX_BLOCKS {
        return Err(AppError::Internal(format!(
            "argon2 memory of {blocks} KiB refused"
        )));
    }
    if buf.len() < blocks {
        buf.resize(blocks, Block::new());
    }
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password, salt, out, &mut buf[..blocks])
        .map_err(|e| AppError::Internal(format!("argon2: {e}")))
}

fn matches(password: &str, stored: &str, buf: &mut Vec<Block>) -> Option<bool> {
    let phc = PasswordHash::new(stored).ok()?;
    let algorithm = Algorithm::try_from(phc.algorithm.as_str()).ok()?;
    let version = match phc.version {
        Some(v) => Version::try_from(v).ok()?,
        None => Version::default(),
    };
    let params = Params::try_from(&phc).ok()?;
    let salt = phc.salt.as_ref()?;
    let expected = phc.hash.as_ref()?;
    let mut out = vec![0u8; expected.len()];
    compute(
        algorithm,
        version,
        params,
        password.as_bytes(),
        salt.as_ref(),
        &mut out,
        buf,
    )
    .ok()?;
    // Constant time: every byte is compared whatever the first difference.
    let diff = out
        .iter()
        .zip(expected.as_ref())
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    Some(diff == 0 && out.len() == expected.len())
}

/// A valid hash of a random password: checking it costs the same as a real
/// check, so a missing account cannot be told apart by timing.
pub const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c3RpbnRkdW1teXNhbHQ$2v9Jm8Cq3wQ0Vb7mX1mYk7dM7m3mZ9f1c0b2d8QF6k0";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ() {
        let gate = PasswordGate::new(2, 4);
        let a = gate
            .hash("correct horse battery".into(), PasswordCost::Fast)
            .await
            .unwrap_or_default();
        let b = gate
            .hash("correct horse battery".into(), PasswordCost::Fast)
            .await
            .unwrap_or_default();
        assert!(a.starts_with("$argon2id$v=19$m=256,t=1,p=1$"), "{a}");
        assert_ne!(a, b, "salted");
        assert_eq!(
            gate.verify("correct horse battery".into(), a.clone())
                .await
                .ok(),
            Some(true)
        );
        assert_eq!(
            gate.verify("wrong horse battery".into(), a).await.ok(),
            Some(false)
        );
        assert_eq!(
            gate.verify("anything".into(), DUMMY_HASH.into()).await.ok(),
            Some(false)
        );
        assert_eq!(
            gate.verify("anything".into(), "not a hash".into())
                .await
                .ok(),
            Some(false)
        );
    }

    /// Hashes made by the library's own hasher (every hash stored before
    /// the gate) still verify, and ours verify with the library.
    #[tokio::test]
    async fn compatible_with_the_library_both_ways() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        let lib = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            params(PasswordCost::Standard),
        );
        let old = lib
            .hash_password(b"a long test password")
            .map(|h| h.to_string())
            .unwrap_or_default();
        let gate = PasswordGate::new(1, 1);
        assert_eq!(
            gate.verify("a long test password".into(), old.clone())
                .await
                .ok(),
            Some(true)
        );
        assert_eq!(
            gate.verify("a long test passwore".into(), old).await.ok(),
            Some(false)
        );
        let ours = gate
            .hash("another password".into(), PasswordCost::Standard)
            .await
            .unwrap_or_default();
        assert!(
            ours.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{ours}"
        );
        assert!(
            lib.verify_password(b"another password", ours.as_str())
                .is_ok()
        );
    }

    /// Beyond the turns and the queue, a request is told to come back.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_answers_busy() {
        let gate = std::sync::Arc::new(PasswordGate::new(1, 2));
        let stored = gate
            .hash("pw".into(), PasswordCost::Standard)
            .await
            .unwrap_or_default();
        let mut set = tokio::task::JoinSet::new();
        for _ in 0..12 {
            let (g, s) = (gate.clone(), stored.clone());
            set.spawn(async move { g.verify("nope".into(), s).await });
        }
        let results = set.join_all().await;
        let busy = results
            .iter()
            .filter(|r| matches!(r, Err(AppError::Busy)))
            .count();
        let checked = results.iter().filter(|r| matches!(r, Ok(false))).count();
        assert_eq!(busy + checked, 12, "{results:?}");
        assert!(busy >= 1 && checked >= 3, "busy {busy}, checked {checked}");
    }

    #[test]
    fn dummy_hash_parses_so_it_costs_a_real_check() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }
}
