//! Single sign-on for Stint. [`oidc`] is OpenID Connect as a relying
//! party: the issuer's discovery document and signing keys, the
//! authorization code flow with PKCE, `state` and `nonce`, and the ID
//! token checked (signature against the issuer's keys, `iss`, `aud`, `azp`,
//! `exp`, `nbf`, `nonce`) before anything is believed.
//!
//! [`lti`] is LTI 1.3 as a tool: the platform's login initiation, the
//! authentication request, the launch's `id_token` checked the same way
//! against the platform's registered keys, and Stint's own tool key.
//!
//! This crate knows HTTP and tokens only: which organization uses which
//! issuer, pending sign-ins and accounts live in the store and the web tier.
//! Every failure is an [`SsoError`] with a stable code and a sentence an
//! organization's admin can act on (the settings page's test button shows
//! it as it is).

pub mod lti;
pub mod oidc;
#[cfg(feature = "testing")]
pub mod testing;

pub use oidc::{
    Client, Expected, Identity, Pkce, Provider, SsoError, Tokens, random_token, verify_jwt,
};
