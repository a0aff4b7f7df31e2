//! Stint's storage. One [`Store`] serves both engines: each query is written
//! once in SQL that SQLite and PostgreSQL both accept (`$N` placeholders,
//! `RETURNING`, `ON CONFLICT`) and the [`with_db!`] macro expands it for the
//! pool of the engine in use. Only what truly differs — full-text search — has
//! engine-specific code, next to its shared sibling.
//!
//! The store is split by area (users, organizations, profiles, projects,
//! applications and hiring, outbox, audit); each file adds methods to [`Store`].

mod accountability;
mod achievements;
mod agenda;
mod analytics;
mod applications;
mod audit;
mod calendar;
mod copy;
mod credentials;
mod credit;
mod discovery;
mod error;
mod files;
mod idempotency;
mod invitations;
mod jobs;
mod lti;
mod notifications;
mod offers;
mod orgs;
mod outbox;
mod outcomes;
mod payments;
mod payout_accounts;
mod preferences;
mod privacy;
mod profiles;
mod projects;
mod receipts;
mod reviews;
mod saved_searches;
mod scim;
mod scim_groups;
mod search_index;
mod seed;
mod sso;
mod stripe;
mod talent;
mod universities;
mod users;
mod webhooks;
mod workspace;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

pub use accountability::Accountability;
pub use achievements::Achievement;
pub use agenda::{
    DecisionsDue, DepositDue, OrgAgenda, PendingApplication, ProjectCounts, QuestionDue, ReplyDue,
    ReviewDue, StudentAgenda, WorkInProgress,
};
pub use analytics::{AnalyticsRows, ApplicationFact, MoneyFact, OfferFact, ProjectFact};
pub use applications::{
    ApplicantFacts, ApplicantProfile, Application, Engagement, Hire, LedgerEntry,
};
pub use audit::AuditEntry;
pub use calendar::{ProjectDates, ReviewWindow};
pub use copy::{CopiedTable, CopyProgress, CopyReport};
pub use credentials::{Credential, IssuerKeyRecord, NewCredential, TrackRecord};
pub use credit::{CreditHours, CreditRequest, CreditScope, CreditSet, NewCredit};
pub use discovery::{AlertCandidate, Candidate, Pool, Tried};
pub use error::{StoreError, StoreResult};
pub use files::{Blobs, BoxFuture, FileStorage, NewFile, SubmissionFile};
pub use idempotency::{Claim, StoredResponse};
pub use invitations::{FIND_CANDIDATES, FoundStudent, NewInvitation, ProjectInvitation, Reach};
pub use jobs::{Job, JobFailure};
pub use lti::{LtiLogin, LtiPlatform, LtiPlatformInput, LtiToolKey};
pub use notifications::Notification;
pub use offers::Offer;
pub use orgs::{Membership, Organization};
pub use outbox::{OutboxMessage, OutboxStatus};
pub use outcomes::{
    OpenAnswers, OutcomeData, OutcomeEmployer, OutcomeMonth, PlainAnswers, RatingSummary,
};
pub use payments::PaymentDue;
pub use payout_accounts::PayoutAccount;
pub use privacy::{
    ANSWER_DAYS, DataRequest, DeletionBlocker, ERASE, Erased, Erasure, HOLDINGS,
    KEPT_AFTER_DELETION, MESSAGE_RETIRED, RetentionCutoffs, RetentionDone, SECTIONS, Section,
};
pub use projects::{Audience, COUNT_CAP, Facets, Project, ProjectCard, Restriction, SearchPage};
pub use receipts::{PayoutTime, Receipt, StatementLine};
pub use reviews::Review;
pub use saved_searches::SavedSearch;
pub use scim::{ScimToken, ScimUser};
pub use scim_groups::{MemberChange, RoleProblem, ScimGroup, ScimGroupSummary, ScimMember};
pub use search_index::{CHECK_EVERY, FEED_DAYS, IndexStorage, Progress};
pub use seed::{SeedAffiliate, SeedHire, SeedProject, SeedStudent, SeedWork};
pub use sso::{DomainConnection, SsoConnection, SsoInput, SsoLogin};
pub use stripe::{StripeAccount, StripeCharge};
pub use talent::{PoolStudent, PoolWork, TalentNote};
pub use universities::{
    Affiliation, AffiliationRequest, FeaturedProject, Invitation, PortalProject, PortalStudent,
    StaffMember, StudentFilter, TimelineApplication, TimelineEngagement,
};
pub use users::{ApiTokenInfo, EmailPurpose, User};
pub use webhooks::{
    AttemptRecord, EndpointInput, OutgoingWebhook, WebhookAttempt, WebhookEndpoint, WebhookMessage,
};
pub use workspace::{Earnings, EngagementListing, Message, Movement, Submission};

/// Which database engine a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
enum Db {
    /// SQLite allows one writer at a time, so writes go through a pool of one
    /// connection and never wait on each other's locks; reads use their own.
    Sqlite {
        read: SqlitePool,
        write: SqlitePool,
    },
    Postgres(PgPool),
}

/// The handle every layer above uses. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    db: Db,
    /// This process's search index, once attached
    /// ([`Store::with_search_index`]); without one, searches run in SQL.
    search: Option<std::sync::Arc<search_index::Attached>>,
}

/// PostgreSQL's weighted text of a `projects` row for its `search` column
/// (written by `set_project_status`, the seeders and `copy_to_postgres`).
macro_rules! pg_search_text {
    () => {
        "setweight(to_tsvector('english', title), 'A') || \
         setweight(to_tsvector('english', summary), 'B') || \
         setweight(to_tsvector('english', replace(required_skills || ',' || preferred_skills, ',', ' ') || ' ' || replace(category, '-', ' ')), 'B') || \
         setweight(to_tsvector('english', brief || ' ' || deliverables), 'D')"
    };
}

/// Which projects PostgreSQL's `search` column is filled for: open, and
/// neither arranged with a university nor invite-only.
macro_rules! pg_search_findable {
    () => {
        "status = 'open' AND restricted_to IS NULL AND NOT invite_only"
    };
}
pub(crate) use {pg_search_findable, pg_search_text};

/// Runs `$body` with `$p` bound to the pool for the engine in use. `read` or
/// `write` picks the SQLite pool; PostgreSQL has one pool for both.
macro_rules! with_db {
    ($store:expr, $mode:ident, |$p:ident| $body:expr) => {
        match &$store.db {
            $crate::Db::Sqlite { read: _r, write: _w } => {
                let $p = $crate::with_db!(@pick $mode, _r, _w);
                $body
            }
            $crate::Db::Postgres(pool) => {
                let $p = pool;
                $body
            }
        }
    };
    (@pick read, $r:expr, $w:expr) => { $r };
    (@pick write, $r:expr, $w:expr) => { $w };
}
pub(crate) use with_db;

/// Takes the person's row lock for the rest of the transaction. Limits that
/// are counted and then inserted (open applications, saved searches) run
/// after it, so two requests of one person cannot both count below the limit
/// at READ COMMITTED. Setting the key to itself is a `FOR NO KEY UPDATE` lock
/// on PostgreSQL (foreign-key checks of other inserts do not wait on it) and a
/// write that starts the transaction's write lock on SQLite.
pub(crate) const LOCK_PERSON: &str = "UPDATE users SET id = id WHERE id = $1";

/// Pushes `IN ($a, $b, …)` for `items`, or a list that matches nothing.
macro_rules! push_in {
    ($qb:expr, $items:expr) => {{
        let items = $items;
        if items.is_empty() {
            $qb.push(" IN (NULL)");
        } else {
            $qb.push(" IN (");
            let mut sep = $qb.separated(", ");
            for i in items.iter() {
                sep.push_bind(i.clone());
            }
            $qb.push(")");
        }
    }};
}
pub(crate) use push_in;

impl Store {
    /// Opens the database named by `url`: `sqlite:` (a file, created if
    /// missing) or `postgres://` / `postgresql://`. Any other scheme is refused.
    pub async fn connect(url: &str) -> StoreResult<Store> {
        match engine_of(url)? {
            Engine::Sqlite => {
                let opts = SqliteConnectOptions::from_str(url)
                    .map_err(|e| StoreError::Config(format!("bad SQLite URL: {e}")))?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10));
                // SQLite's page cache is per connection and the operating
                // system caches the file for all of them: the one writer
                // (bulk loads, migrations) keeps 32 MB, each reader 4 MB.
                // Nine connections of 32 MB grew a server past 350 MB under
                // varied searches without serving them faster.
                let write = SqlitePoolOptions::new()
                    .max_connections(1)
                    .connect_with(opts.clone().pragma("cache_size", "-32000"))
                    .await?;
                let read = SqlitePoolOptions::new()
                    .max_connections(8)
                    .connect_with(opts.read_only(true).pragma("cache_size", "-4000"))
                    .await?;
                Ok(Store {
                    db: Db::Sqlite { read, write },
                    search: None,
                })
            }
            Engine::Postgres => {
                let opts = PgConnectOptions::from_str(url)
                    .map_err(|e| StoreError::Config(format!("bad PostgreSQL URL: {e}")))?;
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(opts)
                    .await?;
                Ok(Store {
                    db: Db::Postgres(pool),
                    search: None,
                })
            }
        }
    }

    /// A SQLite database in a file under `dir`, created with the directory.
    pub async fn open_sqlite_dir(dir: &Path) -> StoreResult<Store> {
        std::fs::create_dir_all(dir).map_err(|e| {
            StoreError::Config(format!(
                "cannot create data directory {}: {e}",
                dir.display()
            ))
        })?;
        let file = dir.join("stint.db");
        Store::connect(&format!("sqlite://{}", file.display())).await
    }

    pub fn engine(&self) -> Engine {
        match self.db {
            Db::Sqlite { .. } => Engine::Sqlite,
            Db::Postgres(_) => Engine::Postgres,
        }
    }

    /// Applies pending migrations for this engine.
    pub async fn migrate(&self) -> StoreResult<()> {
        match &self.db {
            Db::Sqlite { write, .. } => sqlx::migrate!("./migrations/sqlite").run(write).await?,
            Db::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// Names of the migrations this build carries, per engine, in order.
    pub fn migration_names(engine: Engine) -> Vec<(i64, String)> {
        let m = match engine {
            Engine::Sqlite => sqlx::migrate!("./migrations/sqlite"),
            Engine::Postgres => sqlx::migrate!("./migrations/postgres"),
        };
        m.iter()
            .map(|m| (m.version, m.description.to_string()))
            .collect()
    }

    /// A cheap round trip, for health checks.
    pub async fn ping(&self) -> StoreResult<()> {
        with_db!(self, read, |p| sqlx::query("SELECT 1")
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    pub async fn close(&self) {
        match &self.db {
            Db::Sqlite { read, write } => {
                read.close().await;
                write.close().await;
            }
            Db::Postgres(p) => p.close().await,
        }
    }
}

/// The engine a database URL names, or a message saying what is accepted.
pub fn engine_of(url: &str) -> StoreResult<Engine> {
    let scheme = url.split(':').next().unwrap_or("");
    match scheme {
        "sqlite" => Ok(Engine::Sqlite),
        "postgres" | "postgresql" => Ok(Engine::Postgres),
        _ => Err(StoreError::Config(format!(
            "unsupported database URL scheme '{scheme}': use sqlite:PATH or postgres://USER@HOST/DB"
        ))),
    }
}

/// Comma-separated slugs as stored, back to a list.
pub(crate) fn split_list(s: &str) -> Vec<String> {
    s.split(',')
        .filter(|x| !x.is_empty())
        .map(String::from)
        .collect()
}

#[cfg(feature = "testing")]
pub mod testing;
