//! SCIM provisioning (migration 37): an organization's bearer tokens, the
//! User resources its directory manages, and accounts turned off by it.
//! Every read and change names the organization; tokens arrive hashed.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::error::OptionalExt;
use crate::{Store, StoreError, StoreResult, with_db};

/// A token as its organization's owners see it (never the secret).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ScimToken {
    pub id: i64,
    pub label: String,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// A User resource a directory manages, tied to one account.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ScimUser {
    /// The SCIM `id`.
    pub id: String,
    pub org_id: i64,
    pub user_id: i64,
    /// The SCIM document as last written (JSON, canonical form).
    pub resource: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const USER_COLUMNS: &str = "id, org_id, user_id, resource, version, created_at, updated_at";

impl Store {
    // --- tokens ---

    pub async fn create_scim_token(
        &self,
        org_id: i64,
        label: &str,
        token_hash: &str,
        by: i64,
    ) -> StoreResult<i64> {
        Ok(with_db!(self, write, |p| {
            sqlx::query_scalar(
                "INSERT INTO scim_tokens (org_id, label, token_hash, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(org_id)
            .bind(label)
            .bind(token_hash)
            .bind(by)
            .bind(Utc::now())
            .fetch_one(p)
            .await
        })?)
    }

    /// The organization's live tokens, newest first.
    pub async fn scim_tokens(&self, org_id: i64) -> StoreResult<Vec<ScimToken>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT id, label, created_by, created_at, last_used_at FROM scim_tokens
                  WHERE org_id = $1 AND revoked_at IS NULL ORDER BY id DESC",
            )
            .bind(org_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// Revokes one of the organization's tokens; `NotFound` for another's.
    pub async fn revoke_scim_token(&self, org_id: i64, id: i64) -> StoreResult<()> {
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE scim_tokens SET revoked_at = $1 WHERE id = $2 AND org_id = $3 AND revoked_at IS NULL",
            )
            .bind(Utc::now())
            .bind(id)
            .bind(org_id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        if n == 1 {
            Ok(())
        } else {
            Err(StoreError::NotFound)
        }
    }

    /// The organization a live token belongs to. Its last use is noted at
    /// most once a minute, so a sync of many requests writes little.
    pub async fn scim_token_org(&self, token_hash: &str) -> StoreResult<Option<i64>> {
        let row: Option<(i64, i64, Option<DateTime<Utc>>)> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT id, org_id, last_used_at FROM scim_tokens WHERE token_hash = $1 AND revoked_at IS NULL",
            )
            .bind(token_hash)
            .fetch_one(p)
            .await
            .optional()
        })?;
        let Some((id, org_id, last)) = row else {
            return Ok(None);
        };
        let now = Utc::now();
        if last.is_none_or(|l| l < now - Duration::minutes(1)) {
            with_db!(self, write, |p| {
                sqlx::query("UPDATE scim_tokens SET last_used_at = $1 WHERE id = $2")
                    .bind(now)
                    .bind(id)
                    .execute(p)
                    .await
                    .map(|r| r.rows_affected())
            })?;
        }
        Ok(Some(org_id))
    }

    // --- users ---

    pub async fn scim_user(&self, org_id: i64, id: &str) -> StoreResult<Option<ScimUser>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM scim_users WHERE org_id = $1 AND id = $2");
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(org_id)
                .bind(id)
                .fetch_one(p)
                .await
                .optional()
        })?)
    }

    /// The resource with this userName (lower-cased) in the organization.
    pub async fn scim_user_by_name(
        &self,
        org_id: i64,
        user_name_key: &str,
    ) -> StoreResult<Option<ScimUser>> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM scim_users WHERE org_id = $1 AND user_name_key = $2"
        );
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(org_id)
                .bind(user_name_key)
                .fetch_one(p)
                .await
                .optional()
        })?)
    }

    /// The resource that manages an account, in whichever organization.
    pub async fn scim_user_for_account(&self, user_id: i64) -> StoreResult<Option<ScimUser>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM scim_users WHERE user_id = $1");
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(user_id)
                .fetch_one(p)
                .await
                .optional()
        })?)
    }

    /// Every resource of the organization, oldest first (filters are
    /// evaluated over them by the web tier).
    pub async fn scim_users(&self, org_id: i64) -> StoreResult<Vec<ScimUser>> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM scim_users WHERE org_id = $1 ORDER BY created_at, id"
        );
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(org_id)
                .fetch_all(p)
                .await
        })?)
    }

    /// One page of the organization's resources, oldest first, and how
    /// many there are: an unfiltered list reads only its page.
    pub async fn scim_users_page(
        &self,
        org_id: i64,
        offset: i64,
        limit: i64,
    ) -> StoreResult<(i64, Vec<ScimUser>)> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM scim_users WHERE org_id = $1 ORDER BY created_at, id LIMIT $2 OFFSET $3"
        );
        let rows = with_db!(self, read, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(org_id)
                .bind(limit)
                .bind(offset)
                .fetch_all(p)
                .await
        })?;
        let total: i64 = with_db!(self, read, |p| {
            sqlx::query_scalar("SELECT COUNT(*) FROM scim_users WHERE org_id = $1")
                .bind(org_id)
                .fetch_one(p)
                .await
        })?;
        Ok((total, rows))
    }

    /// How many resources the organization's directory manages, how many
    /// of their accounts are off, and its last change.
    pub async fn scim_user_counts(
        &self,
        org_id: i64,
    ) -> StoreResult<(i64, i64, Option<DateTime<Utc>>)> {
        let row: (i64, Option<i64>, Option<DateTime<Utc>>) = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT COUNT(*), SUM(CASE WHEN u.deactivated_at IS NULL THEN 0 ELSE 1 END), MAX(s.updated_at)
                   FROM scim_users s JOIN users u ON u.id = s.user_id WHERE s.org_id = $1",
            )
            .bind(org_id)
            .fetch_one(p)
            .await
        })?;
        Ok((row.0, row.1.unwrap_or(0), row.2))
    }

    pub async fn insert_scim_user(&self, u: &ScimUser, user_name_key: &str) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO scim_users (id, org_id, user_id, user_name_key, resource, version, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
            )
            .bind(&u.id)
            .bind(u.org_id)
            .bind(u.user_id)
            .bind(user_name_key)
            .bind(&u.resource)
            .bind(u.created_at)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Stores a changed resource; `Conflict` when its userName is taken.
    pub async fn update_scim_user(
        &self,
        org_id: i64,
        id: &str,
        user_name_key: &str,
        resource: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE scim_users SET user_name_key = $1, resource = $2, version = version + 1, updated_at = $3
                  WHERE org_id = $4 AND id = $5",
            )
            .bind(user_name_key)
            .bind(resource)
            .bind(now)
            .bind(org_id)
            .bind(id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        if n == 1 {
            Ok(())
        } else {
            Err(StoreError::NotFound)
        }
    }

    pub async fn delete_scim_user(&self, org_id: i64, id: &str) -> StoreResult<()> {
        let n = with_db!(self, write, |p| {
            sqlx::query("DELETE FROM scim_users WHERE org_id = $1 AND id = $2")
                .bind(org_id)
                .bind(id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        if n == 1 {
            Ok(())
        } else {
            Err(StoreError::NotFound)
        }
    }

    // --- accounts turned off ---

    /// Turns an account off: no session, API token or sign-in works for it
    /// from now on; its history stays. Sessions and tokens are ended in the
    /// same transaction.
    pub async fn deactivate_user(&self, user_id: i64, now: DateTime<Utc>) -> StoreResult<()> {
        with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                sqlx::query(
                    "UPDATE users SET deactivated_at = $1 WHERE id = $2 AND deactivated_at IS NULL",
                )
                .bind(now)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
                sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
                )
                .bind(now)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
                tx.commit().await
            }
            .await
        })?;
        Ok(())
    }

    pub async fn reactivate_user(&self, user_id: i64) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query("UPDATE users SET deactivated_at = NULL WHERE id = $1")
                .bind(user_id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// When the account was turned off, if it was.
    pub async fn user_deactivated_at(&self, user_id: i64) -> StoreResult<Option<DateTime<Utc>>> {
        let at: Option<Option<DateTime<Utc>>> = with_db!(self, read, |p| {
            sqlx::query_scalar("SELECT deactivated_at FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_one(p)
                .await
                .optional()
        })?;
        Ok(at.flatten())
    }

    /// Changes an account's name and address, as its directory says;
    /// `Conflict("email")` when another account has the address.
    pub async fn set_user_name_and_email(
        &self,
        user_id: i64,
        name: &str,
        email: &str,
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query("UPDATE users SET name = $1, email = $2 WHERE id = $3")
                .bind(name)
                .bind(email)
                .bind(user_id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }
}
