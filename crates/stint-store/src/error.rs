//! The one place engine errors become store errors.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule or a concurrent change refused the write; `what`
    /// names it in words a person can act on.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// A money movement would break a rule of the ledger; nothing was written.
    #[error("ledger: {0}")]
    Ledger(stint_domain::ledger::LedgerRule),
    #[error("configuration: {0}")]
    Config(String),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Other(sqlx::Error),
    /// The file storage failed (disk full, permissions, a missing object).
    #[error("file storage: {0}")]
    Files(String),
    /// The search index failed (its directory, a query it could not build).
    #[error("{0}")]
    Search(#[from] stint_search::SearchError),
}

pub type StoreResult<T> = Result<T, StoreError>;

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(d) if d.is_unique_violation() => {
                let c = d.constraint().unwrap_or("").to_string() + d.message();
                if c.contains("email") {
                    StoreError::Conflict("email")
                } else if c.contains("slug") {
                    StoreError::Conflict("slug")
                } else if c.contains("memberships") || c.contains("user_id") {
                    StoreError::Conflict("membership")
                } else if c.contains("domain") {
                    StoreError::Conflict("domain")
                } else {
                    StoreError::Conflict("duplicate")
                }
            }
            _ => StoreError::Other(e),
        }
    }
}

/// `Ok(None)` for a missing row instead of an error.
pub(crate) trait OptionalExt<T> {
    fn optional(self) -> StoreResult<Option<T>>;
}

impl<T> OptionalExt<T> for Result<T, sqlx::Error> {
    fn optional(self) -> StoreResult<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(sqlx::Error::RowNotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}
