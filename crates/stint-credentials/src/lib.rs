//! Verifiable credentials for Stint.
//!
//! - [`badge`] builds the Open Badges 3.0 `OpenBadgeCredential` for a
//!   confirmed achievement.
//! - [`proof`] signs and verifies W3C Data Integrity proofs with the
//!   `eddsa-rdfc-2022` cryptosuite: the document and the proof options are
//!   turned into RDF ([`rdf`], with the embedded [`contexts`]), canonicalized
//!   with RDFC-1.0, hashed with SHA-256 and signed with Ed25519 ([`keys`]).
//! - [`status`] encodes and reads Bitstring Status Lists (revocation).
//!
//! Nothing here does I/O: contexts are compiled in, and keys and documents
//! come from the caller.

pub mod badge;
pub mod contexts;
pub mod keys;
pub mod proof;
pub mod rdf;
pub mod status;

pub use keys::IssuerKey;
pub use proof::{VerifyError, sign, verify};
