//! Who is asking: password hashing, secret tokens, the extractors that turn a
//! session cookie or bearer token into a user, and the authorization rules.

pub mod authz;
mod extract;
pub mod password;
pub mod tokens;

pub(crate) use extract::cookie_value;
pub use extract::{
    ApiUser, MaybeUser, PageUser, SESSION_COOKIE, SessionUser, caller_id, session_cookie,
};
