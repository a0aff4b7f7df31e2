//! Integration tests through the real router, each on SQLite and PostgreSQL.

mod accountability;
mod api_accounts;
mod api_applications;
mod api_document;
mod api_engagements;
mod api_portfolio;
mod api_projects;
mod api_reviews;
mod application_messages;
mod common;
mod discovery;
mod disputes;
mod hardening_input;
mod hardening_limits;
mod idempotency;
mod jobs_notifications;
mod ledger_rules;
mod money_flows;
mod pages_accounts;
mod pages_applications;
mod pages_engagements;
mod pages_projects;
mod payments;
mod preferences;
mod search_quality;
mod uploads;
