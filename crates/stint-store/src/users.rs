//! Accounts and everything that proves who someone is: sessions, API tokens
//! and one-time email tokens. Secrets are stored only as hashes; the caller
//! hashes them.

use chrono::{DateTime, Utc};
use serde::Serialize;
use stint_domain::account::Role;

use crate::error::OptionalExt;
use crate::{Store, StoreError, StoreResult, with_db};

#[derive(Debug, Clone, sqlx::FromRow)]
struct UserRow {
    id: i64,
    email: String,
    password_hash: String,
    name: String,
    role: String,
    email_verified_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    /// Only the session lookup reads it.
    #[sqlx(default)]
    unread: i64,
    /// Only the session lookup reads it: the account's zone, else the
    /// student profile's.
    #[sqlx(default)]
    zone: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    #[serde(skip)]
    pub password_hash: String,
    pub name: String,
    pub role: Role,
    pub email_verified: bool,
    pub created_at: DateTime<Utc>,
    /// Unread notifications, counted when a session is looked up (for the
    /// navigation); zero where the user was read another way.
    #[serde(skip)]
    pub unread_notifications: i64,
    /// The zone times are shown in (IANA name or "UTC+05:30"), when known;
    /// read with the session.
    #[serde(skip)]
    pub time_zone: Option<String>,
}

impl TryFrom<UserRow> for User {
    type Error = StoreError;
    fn try_from(r: UserRow) -> StoreResult<User> {
        Ok(User {
            id: r.id,
            role: r
                .role
                .parse()
                .map_err(|_| StoreError::Config(format!("unknown role {}", r.role)))?,
            email: r.email,
            password_hash: r.password_hash,
            name: r.name,
            email_verified: r.email_verified_at.is_some(),
            created_at: r.created_at,
            unread_notifications: r.unread,
            time_zone: r.zone,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailPurpose {
    Verify,
    Reset,
}

impl EmailPurpose {
    fn as_str(self) -> &'static str {
        match self {
            EmailPurpose::Verify => "verify",
            EmailPurpose::Reset => "reset",
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ApiTokenInfo {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

const USER_COLS: &str = "id, email, password_hash, name, role, email_verified_at, created_at";

impl Store {
    // The span keeps the role only: an email or a name is personal data,
    // and logs keep none.
    #[tracing::instrument(skip(self, email, password_hash, name))]
    pub async fn create_user(
        &self,
        email: &str,
        password_hash: &str,
        name: &str,
        role: Role,
    ) -> StoreResult<User> {
        let now = Utc::now();
        let row: UserRow = with_db!(self, write, |p| {
            sqlx::query_as(
                "INSERT INTO users (email, password_hash, name, role, created_at) VALUES ($1, $2, $3, $4, $5)
                 RETURNING id, email, password_hash, name, role, email_verified_at, created_at",
            )
            .bind(email)
            .bind(password_hash)
            .bind(name)
            .bind(role.as_str())
            .bind(now)
            .fetch_one(p)
            .await
        })?;
        row.try_into()
    }

    pub async fn user_by_email(&self, email: &str) -> StoreResult<Option<User>> {
        let _ = USER_COLS;
        let row: Option<UserRow> = with_db!(self, read, |p| {
            sqlx::query_as("SELECT id, email, password_hash, name, role, email_verified_at, created_at FROM users WHERE email = $1")
                .bind(email)
                .fetch_one(p)
                .await
                .optional()
        })?;
        row.map(User::try_from).transpose()
    }

    pub async fn user(&self, id: i64) -> StoreResult<User> {
        let row: UserRow = with_db!(self, read, |p| {
            sqlx::query_as("SELECT id, email, password_hash, name, role, email_verified_at, created_at FROM users WHERE id = $1")
                .bind(id)
                .fetch_one(p)
                .await
        })?;
        row.try_into()
    }

    #[tracing::instrument(skip(self, password_hash))]
    pub async fn set_password(&self, user_id: i64, password_hash: &str) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(password_hash)
                .bind(user_id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn mark_email_verified(&self, user_id: i64) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query("UPDATE users SET email_verified_at = $1 WHERE id = $2 AND email_verified_at IS NULL")
                .bind(Utc::now())
                .bind(user_id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    // --- sessions ---

    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
                .bind(token_hash)
                .bind(user_id)
                .bind(Utc::now())
                .bind(expires_at)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// When a session began (for asking people without a password to have
    /// signed in recently before something irreversible).
    pub async fn session_started(&self, token_hash: &str) -> StoreResult<Option<DateTime<Utc>>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_scalar("SELECT created_at FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(p)
                .await
        })?)
    }

    /// The user a live session belongs to.
    pub async fn session_user(&self, token_hash: &str) -> StoreResult<Option<User>> {
        let row: Option<UserRow> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT u.id, u.email, u.password_hash, u.name, u.role, u.email_verified_at, u.created_at,
                        (SELECT COUNT(*) FROM notifications n WHERE n.user_id = u.id AND n.read_at IS NULL) AS unread,
                        COALESCE(u.time_zone, (SELECT p.time_zone FROM student_profiles p WHERE p.user_id = u.id)) AS zone
                 FROM sessions s JOIN users u ON u.id = s.user_id
                 WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.deactivated_at IS NULL",
            )
            .bind(token_hash)
            .bind(Utc::now())
            .fetch_one(p)
            .await
            .optional()
        })?;
        row.map(User::try_from).transpose()
    }

    /// Changes the name other people see.
    pub async fn set_name(&self, user_id: i64, name: &str) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query("UPDATE users SET name = $1 WHERE id = $2")
                .bind(name)
                .bind(user_id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Sets (or with `None` clears) a person's time zone.
    pub async fn set_time_zone(&self, user_id: i64, zone: Option<&str>) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query("UPDATE users SET time_zone = $1 WHERE id = $2")
                .bind(zone)
                .bind(user_id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Ends every session of a user except `keep` (after a password change).
    pub async fn delete_other_sessions(&self, user_id: i64, keep: Option<&str>) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                .bind(user_id)
                .bind(keep.unwrap_or(""))
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    // --- API tokens ---

    pub async fn create_api_token(
        &self,
        user_id: i64,
        name: &str,
        token_hash: &str,
    ) -> StoreResult<i64> {
        let id: i64 = with_db!(self, write, |p| {
            sqlx::query_scalar(
                "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(user_id)
            .bind(name)
            .bind(token_hash)
            .bind(Utc::now())
            .fetch_one(p)
            .await
        })?;
        Ok(id)
    }

    /// The owner of a live token, and the token's id.
    pub async fn token_user(&self, token_hash: &str) -> StoreResult<Option<(i64, User)>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            token_id: i64,
            #[sqlx(flatten)]
            user: UserRow,
        }
        let row: Option<Row> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT t.id AS token_id, u.id, u.email, u.password_hash, u.name, u.role, u.email_verified_at, u.created_at
                 FROM api_tokens t JOIN users u ON u.id = t.user_id
                 WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.deactivated_at IS NULL",
            )
            .bind(token_hash)
            .fetch_one(p)
            .await
            .optional()
        })?;
        row.map(|r| Ok((r.token_id, User::try_from(r.user)?)))
            .transpose()
    }

    pub async fn api_tokens(&self, user_id: i64) -> StoreResult<Vec<ApiTokenInfo>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT id, name, created_at, last_used_at FROM api_tokens
                 WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id DESC",
            )
            .bind(user_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// Revokes a token of `user_id`'s; `NotFound` for anyone else's.
    pub async fn revoke_api_token(&self, user_id: i64, token_id: i64) -> StoreResult<()> {
        let done = with_db!(self, write, |p| {
            sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
                .bind(Utc::now())
                .bind(token_id)
                .bind(user_id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        if done == 1 {
            Ok(())
        } else {
            Err(StoreError::NotFound)
        }
    }

    // --- one-time email tokens ---

    pub async fn create_email_token(
        &self,
        token_hash: &str,
        user_id: i64,
        purpose: EmailPurpose,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO email_tokens (token_hash, user_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(token_hash)
            .bind(user_id)
            .bind(purpose.as_str())
            .bind(Utc::now())
            .bind(expires_at)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Uses a token once: returns its user if it was live, and marks it used
    /// in the same statement so two clicks cannot both succeed.
    pub async fn consume_email_token(
        &self,
        token_hash: &str,
        purpose: EmailPurpose,
    ) -> StoreResult<Option<i64>> {
        let now = Utc::now();
        Ok(with_db!(self, write, |p| {
            sqlx::query_scalar(
                "UPDATE email_tokens SET used_at = $1
                 WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1
                 RETURNING user_id",
            )
            .bind(now)
            .bind(token_hash)
            .bind(purpose.as_str())
            .fetch_one(p)
            .await
            .optional()
        })?)
    }
}
