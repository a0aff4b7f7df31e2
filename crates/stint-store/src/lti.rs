//! LTI 1.3 (migration 40): the learning platforms a university registered,
//! their deployments, launches in flight, the platform subjects tied to
//! accounts, and Stint's own tool key. Every read and change of a
//! registration by its owners names the organization.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::OptionalExt;
use crate::{Store, StoreResult, push_in, with_db};

/// A platform as registered.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct LtiPlatform {
    pub id: i64,
    pub org_id: i64,
    /// What the owners call it ("Moodle", "Canvas for the business school").
    pub name: String,
    pub issuer: String,
    pub client_id: String,
    /// The platform's OpenID Connect authorization endpoint.
    pub auth_url: String,
    /// The platform's key set.
    pub jwks_url: String,
    /// The deployment ids launches may name.
    #[sqlx(skip)]
    pub deployments: Vec<String>,
    pub tested_at: Option<DateTime<Utc>>,
    /// The last test's error code; empty when it passed.
    pub test_error: Option<String>,
    /// The last test's sentence.
    pub test_detail: Option<String>,
    pub last_launch_at: Option<DateTime<Utc>>,
    /// The last launch refused, and why.
    pub last_refusal_at: Option<DateTime<Utc>>,
    pub last_refusal: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl LtiPlatform {
    /// Whether the last test, made after the last change, passed.
    pub fn tested_ok(&self) -> bool {
        self.test_error.as_deref() == Some("")
            && self.tested_at.is_some_and(|t| t >= self.updated_at)
    }
}

/// What owners save.
#[derive(Debug, Clone)]
pub struct LtiPlatformInput<'a> {
    pub name: &'a str,
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub auth_url: &'a str,
    pub jwks_url: &'a str,
    pub deployments: &'a [String],
}

/// A launch in flight.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LtiLogin {
    pub platform_id: i64,
    pub nonce: String,
    pub expires_at: DateTime<Utc>,
}

/// Stint's tool key as kept: the private part sealed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LtiToolKey {
    pub kid: String,
    pub private_sealed: String,
    pub public_jwk: String,
}

const COLUMNS: &str =
    "id, org_id, name, issuer, client_id, auth_url, jwks_url, tested_at, test_error,
                       test_detail, last_launch_at, last_refusal_at, last_refusal, created_at,
                       updated_at";

impl Store {
    async fn with_deployments(&self, mut list: Vec<LtiPlatform>) -> StoreResult<Vec<LtiPlatform>> {
        if list.is_empty() {
            return Ok(list);
        }
        let ids: Vec<i64> = list.iter().map(|p| p.id).collect();
        let rows: Vec<(i64, String)> = with_db!(self, read, |p| {
            let mut q = sqlx::QueryBuilder::new(
                "SELECT platform_id, deployment_id FROM lti_deployments WHERE platform_id",
            );
            push_in!(q, ids);
            q.push(" ORDER BY platform_id, deployment_id");
            q.build_query_as().fetch_all(p).await
        })?;
        for platform in &mut list {
            platform.deployments = rows
                .iter()
                .filter(|(id, _)| *id == platform.id)
                .map(|(_, d)| d.clone())
                .collect();
        }
        Ok(list)
    }

    /// The organization's platforms, oldest first.
    pub async fn lti_platforms(&self, org_id: i64) -> StoreResult<Vec<LtiPlatform>> {
        let sql = format!("SELECT {COLUMNS} FROM lti_platforms WHERE org_id = $1 ORDER BY id");
        let list = with_db!(self, read, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(org_id)
                .fetch_all(p)
                .await
        })?;
        self.with_deployments(list).await
    }

    /// One of the organization's platforms (`None` for another's).
    pub async fn lti_platform(&self, org_id: i64, id: i64) -> StoreResult<Option<LtiPlatform>> {
        Ok(self
            .lti_platforms(org_id)
            .await?
            .into_iter()
            .find(|p| p.id == id))
    }

    /// A platform by its id alone, for a launch already tied to it.
    pub async fn lti_platform_by_id(&self, id: i64) -> StoreResult<Option<LtiPlatform>> {
        let sql = format!("SELECT {COLUMNS} FROM lti_platforms WHERE id = $1");
        let one: Option<LtiPlatform> = with_db!(self, read, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(id)
                .fetch_one(p)
                .await
                .optional()
        })?;
        Ok(self
            .with_deployments(one.into_iter().collect())
            .await?
            .pop())
    }

    /// The organization's registrations of an issuer: the one for
    /// `client_id`, or all of them when the platform did not send its
    /// client id.
    pub async fn lti_platforms_for_issuer(
        &self,
        org_id: i64,
        issuer: &str,
        client_id: Option<&str>,
    ) -> StoreResult<Vec<LtiPlatform>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM lti_platforms
              WHERE org_id = $1 AND issuer = $2 AND ($3 IS NULL OR client_id = $3) ORDER BY id LIMIT 10"
        );
        let list = with_db!(self, read, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(org_id)
                .bind(issuer)
                .bind(client_id)
                .fetch_all(p)
                .await
        })?;
        self.with_deployments(list).await
    }

    /// Registers a platform; `Conflict("duplicate")` when the organization
    /// has registered its issuer and client id already.
    pub async fn create_lti_platform(
        &self,
        org_id: i64,
        by: i64,
        input: &LtiPlatformInput<'_>,
        now: DateTime<Utc>,
    ) -> StoreResult<i64> {
        let id = with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO lti_platforms (org_id, name, issuer, client_id, auth_url, jwks_url,
                                                updated_by, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
                )
                .bind(org_id)
                .bind(input.name)
                .bind(input.issuer)
                .bind(input.client_id)
                .bind(input.auth_url)
                .bind(input.jwks_url)
                .bind(by)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                for d in input.deployments {
                    sqlx::query(
                        "INSERT INTO lti_deployments (platform_id, deployment_id) VALUES ($1, $2)",
                    )
                    .bind(id)
                    .bind(d)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok::<i64, sqlx::Error>(id)
            }
            .await
        })?;
        Ok(id)
    }

    /// Replaces a platform's settings and deployments; `false` when the
    /// organization has no such platform.
    pub async fn update_lti_platform(
        &self,
        org_id: i64,
        id: i64,
        by: i64,
        input: &LtiPlatformInput<'_>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let found = with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                let n = sqlx::query(
                    "UPDATE lti_platforms
                        SET name = $3, issuer = $4, client_id = $5, auth_url = $6, jwks_url = $7,
                            updated_by = $8, updated_at = $9
                      WHERE id = $1 AND org_id = $2",
                )
                .bind(id)
                .bind(org_id)
                .bind(input.name)
                .bind(input.issuer)
                .bind(input.client_id)
                .bind(input.auth_url)
                .bind(input.jwks_url)
                .bind(by)
                .bind(now)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n == 0 {
                    return Ok::<bool, sqlx::Error>(false);
                }
                sqlx::query("DELETE FROM lti_deployments WHERE platform_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                for d in input.deployments {
                    sqlx::query(
                        "INSERT INTO lti_deployments (platform_id, deployment_id) VALUES ($1, $2)",
                    )
                    .bind(id)
                    .bind(d)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(true)
            }
            .await
        })?;
        Ok(found)
    }

    /// Removes a platform with its deployments, launches in flight and the
    /// subjects tied to accounts (the accounts stay).
    pub async fn delete_lti_platform(&self, org_id: i64, id: i64) -> StoreResult<bool> {
        let n = with_db!(self, write, |p| {
            sqlx::query("DELETE FROM lti_platforms WHERE id = $1 AND org_id = $2")
                .bind(id)
                .bind(org_id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(n > 0)
    }

    pub async fn record_lti_test(
        &self,
        org_id: i64,
        id: i64,
        at: DateTime<Utc>,
        error: &str,
        detail: &str,
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE lti_platforms SET tested_at = $3, test_error = $4, test_detail = $5
                  WHERE id = $1 AND org_id = $2",
            )
            .bind(id)
            .bind(org_id)
            .bind(at)
            .bind(error)
            .bind(detail)
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Notes why the platform's last launch was refused.
    pub async fn record_lti_refusal(
        &self,
        id: i64,
        at: DateTime<Utc>,
        why: &str,
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE lti_platforms SET last_refusal_at = $2, last_refusal = $3 WHERE id = $1",
            )
            .bind(id)
            .bind(at)
            .bind(why)
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Keeps a launch in flight; expired ones are cleared on the way.
    pub async fn create_lti_login(
        &self,
        state_hash: &str,
        login: &LtiLogin,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                sqlx::query("DELETE FROM lti_logins WHERE expires_at < $1")
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO lti_logins (state_hash, platform_id, nonce, expires_at)
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(state_hash)
                .bind(login.platform_id)
                .bind(&login.nonce)
                .bind(login.expires_at)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok::<(), sqlx::Error>(())
            }
            .await
        })?;
        Ok(())
    }

    /// Takes a launch back, once (deleted as it is read).
    pub async fn take_lti_login(&self, state_hash: &str) -> StoreResult<Option<LtiLogin>> {
        Ok(with_db!(self, write, |p| {
            sqlx::query_as(
                "DELETE FROM lti_logins WHERE state_hash = $1
                 RETURNING platform_id, nonce, expires_at",
            )
            .bind(state_hash)
            .fetch_one(p)
            .await
            .optional()
        })?)
    }

    /// The account a platform's subject launched as before.
    pub async fn lti_identity(&self, platform_id: i64, subject: &str) -> StoreResult<Option<i64>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_scalar(
                "SELECT user_id FROM lti_identities WHERE platform_id = $1 AND subject = $2",
            )
            .bind(platform_id)
            .bind(subject)
            .fetch_one(p)
            .await
            .optional()
        })?)
    }

    /// Ties `subject` to `user_id` (or notes another launch), and notes
    /// the platform's last launch.
    pub async fn link_lti_identity(
        &self,
        platform_id: i64,
        subject: &str,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                sqlx::query(
                    "INSERT INTO lti_identities (platform_id, subject, user_id, created_at, last_launch_at)
                     VALUES ($1, $2, $3, $4, $4)
                     ON CONFLICT (platform_id, subject) DO UPDATE SET last_launch_at = excluded.last_launch_at",
                )
                .bind(platform_id)
                .bind(subject)
                .bind(user_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                sqlx::query("UPDATE lti_platforms SET last_launch_at = $2 WHERE id = $1")
                    .bind(platform_id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok::<(), sqlx::Error>(())
            }
            .await
        })?;
        Ok(())
    }

    /// Stint's tool keys, oldest first (the first signs; all are published).
    pub async fn lti_tool_keys(&self) -> StoreResult<Vec<LtiToolKey>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT kid, private_sealed, public_jwk FROM lti_tool_keys ORDER BY created_at, kid",
            )
            .fetch_all(p)
            .await
        })?)
    }

    /// Keeps a new tool key, unless one exists already (two processes
    /// starting at once keep the first).
    pub async fn add_first_lti_tool_key(
        &self,
        key: &LtiToolKey,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO lti_tool_keys (kid, private_sealed, public_jwk, created_at)
                 SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM lti_tool_keys)",
            )
            .bind(&key.kid)
            .bind(&key.private_sealed)
            .bind(&key.public_jwk)
            .bind(now)
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }
}
