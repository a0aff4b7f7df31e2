//! Application functions: what Stint does, called alike by the pages and the
//! JSON API. Each takes parsed input and the acting user, applies the
//! authorization rule first, then the domain rules, then the store.

pub mod accounts;
pub mod achievements;
pub mod analytics;
pub mod applications;
pub mod calendar;
pub mod credentials;
pub mod credit;
pub mod engagements;
pub mod exports;
pub mod invitations;
pub mod jobs;
pub mod lti;
pub mod matching;
pub mod money;
pub mod notify;
pub mod offers;
pub mod orgs;
pub mod outcomes;
pub mod payments;
pub mod payouts;
pub mod preferences;
pub mod privacy;
pub mod profiles;
pub mod projects;
pub mod records;
pub mod reviews;
pub mod saved_searches;
pub mod scim;
pub mod scim_groups;
pub mod sso;
pub mod stripe;
pub mod talent;
pub mod universities;
pub mod webhooks;

use chrono::{Datelike, Utc};

pub(crate) fn this_year() -> i32 {
    Utc::now().year()
}
