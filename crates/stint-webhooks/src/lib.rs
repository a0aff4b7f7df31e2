//! Outgoing webhooks for Stint, following the Standard Webhooks
//! specification: messages signed with HMAC-SHA256 under a `whsec_` secret
//! ([`signature`]), sent by an HTTP client that refuses addresses inside
//! private networks ([`address`], [`send`]). Storage, retries and what the
//! events say live in the web tier; this crate knows only HTTP and bytes.

pub mod address;
pub mod send;
pub mod signature;

pub use address::{AddressError, check_url, is_forbidden};
pub use send::{Attempt, GuardedResolver, Message, Sender};
pub use signature::{Secret, SignatureError, new_message_id, signature_header, verify};
