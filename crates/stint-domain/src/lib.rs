//! Stint's domain: the types, rules and state machines that every other layer
//! relies on. Nothing here does I/O, so every rule can be unit-tested and read
//! in one place. Input is parsed into these newtypes at the boundary ("parse,
//! don't validate"); functions here take only parsed values.

pub mod account;
pub mod achievement;
pub mod application;
pub mod credit;
pub mod engagement;
pub mod error;
pub mod ledger;
pub mod matching;
pub mod money;
pub mod notice;
pub mod offer;
pub mod organization;
pub mod outcomes;
pub mod payout;
pub mod profile;
pub mod project;
pub mod review;
pub mod search;
pub mod talent;
pub mod taxonomy;
pub mod text;
pub mod university;
pub mod upload;

pub use error::{FieldError, FieldErrors};
pub use money::{Currency, HourlyFloors, Money};
