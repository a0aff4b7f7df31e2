//! Single sign-on (migration 36): an organization's connection to its own
//! identity provider, sign-ins in flight and the identities tied to
//! accounts. Every read and change of a connection names the organization;
//! the client secret arrives sealed from the web tier.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::error::OptionalExt;
use crate::{Store, StoreError, StoreResult, with_db};

/// An organization's connection as stored.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct SsoConnection {
    pub org_id: i64,
    /// `oidc` or `saml`.
    pub protocol: String,
    /// OpenID Connect: the issuer. SAML: the IdP's entity ID.
    pub issuer: String,
    /// Empty for SAML.
    pub client_id: String,
    #[serde(skip)]
    pub client_secret_sealed: String,
    /// SAML: the IdP's sign-in address (HTTP-Redirect binding).
    pub saml_sso_url: Option<String>,
    /// SAML: the certificate (PEM) its assertions are signed with.
    pub saml_certificate: Option<String>,
    /// Passwords stop working for the organization's domains.
    pub required: bool,
    pub tested_at: Option<DateTime<Utc>>,
    /// The last test's error code; empty when it passed.
    pub test_error: Option<String>,
    /// The last test's sentence.
    pub test_detail: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl SsoConnection {
    /// Whether the last test, made after the last change, passed.
    pub fn tested_ok(&self) -> bool {
        self.test_error.as_deref() == Some("")
            && self.tested_at.is_some_and(|t| t >= self.updated_at)
    }
}

/// A connection found for an email domain, with its organization.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DomainConnection {
    #[sqlx(flatten)]
    pub connection: SsoConnection,
    pub org_name: String,
    /// `employer` or `university`.
    pub org_kind: String,
}

/// What is saved: everything but the secret, which is kept when `None`.
#[derive(Debug, Clone)]
pub struct SsoInput<'a> {
    /// `oidc` or `saml`.
    pub protocol: &'a str,
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub client_secret_sealed: Option<&'a str>,
    pub saml_sso_url: Option<&'a str>,
    pub saml_certificate: Option<&'a str>,
}

/// A sign-in in flight, taken back when the person returns.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SsoLogin {
    pub org_id: i64,
    pub nonce: String,
    pub verifier: String,
    pub next: String,
    pub expires_at: DateTime<Utc>,
}

impl Store {
    pub async fn sso_connection(&self, org_id: i64) -> StoreResult<Option<SsoConnection>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT c.org_id, c.protocol, c.issuer, c.client_id, c.client_secret_sealed, c.saml_sso_url, c.saml_certificate, c.required, c.tested_at,
                        c.test_error, c.test_detail, c.created_at, c.updated_at
                   FROM sso_connections c WHERE c.org_id = $1",
            )
            .bind(org_id)
            .fetch_one(p)
            .await
            .optional()
        })?)
    }

    /// The connection of the verified organization whose email domain (or a
    /// parent of it) `domain` is.
    pub async fn sso_for_domain(&self, domain: &str) -> StoreResult<Option<DomainConnection>> {
        let domain = domain.trim().to_ascii_lowercase();
        for d in crate::orgs::domain_and_parents(&domain) {
            let found: Option<DomainConnection> = with_db!(self, read, |p| {
                sqlx::query_as(
                    "SELECT c.org_id, c.protocol, c.issuer, c.client_id, c.client_secret_sealed, c.saml_sso_url, c.saml_certificate, c.required, c.tested_at,
                            c.test_error, c.test_detail, c.created_at, c.updated_at, o.name AS org_name, o.kind AS org_kind
                       FROM org_domains d
                       JOIN organizations o ON o.id = d.org_id AND o.verified_at IS NOT NULL
                       JOIN sso_connections c ON c.org_id = d.org_id
                      WHERE d.domain = $1",
                )
                .bind(d)
                .fetch_one(p)
                .await
                .optional()
            })?;
            if found.is_some() {
                return Ok(found);
            }
        }
        Ok(None)
    }

    /// Creates or replaces the organization's connection. A change of
    /// protocol, issuer, client, SAML address or certificate turns
    /// `required` off until a new test passes.
    pub async fn save_sso_connection(
        &self,
        org_id: i64,
        by: i64,
        input: &SsoInput<'_>,
    ) -> StoreResult<()> {
        let now = Utc::now();
        with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                let n = sqlx::query(
                    "UPDATE sso_connections
                        SET required = CASE WHEN protocol = $7 AND issuer = $2 AND client_id = $3
                                             AND COALESCE(saml_sso_url, '') = COALESCE($8, '')
                                             AND COALESCE(saml_certificate, '') = COALESCE($9, '')
                                            THEN required ELSE FALSE END,
                            protocol = $7, issuer = $2, client_id = $3,
                            client_secret_sealed = COALESCE($4, client_secret_sealed),
                            saml_sso_url = $8, saml_certificate = $9,
                            updated_by = $5, updated_at = $6
                      WHERE org_id = $1",
                )
                .bind(org_id)
                .bind(input.issuer)
                .bind(input.client_id)
                .bind(input.client_secret_sealed)
                .bind(by)
                .bind(now)
                .bind(input.protocol)
                .bind(input.saml_sso_url)
                .bind(input.saml_certificate)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n == 0 {
                    let Some(secret) = input.client_secret_sealed else {
                        return Err(StoreError::Conflict("sso_secret_required"));
                    };
                    sqlx::query(
                        "INSERT INTO sso_connections (org_id, protocol, issuer, client_id, client_secret_sealed, updated_by,
                                                      created_at, updated_at, saml_sso_url, saml_certificate)
                         VALUES ($1, $7, $2, $3, $4, $5, $6, $6, $8, $9)",
                    )
                    .bind(org_id)
                    .bind(input.issuer)
                    .bind(input.client_id)
                    .bind(secret)
                    .bind(by)
                    .bind(now)
                    .bind(input.protocol)
                    .bind(input.saml_sso_url)
                    .bind(input.saml_certificate)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok::<(), StoreError>(())
            }
            .await
        })
    }

    /// Records a test of the settings; `error` is empty when it passed.
    pub async fn record_sso_test(
        &self,
        org_id: i64,
        at: DateTime<Utc>,
        error: &str,
        detail: &str,
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE sso_connections SET tested_at = $2, test_error = $3, test_detail = $4 WHERE org_id = $1",
            )
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

    /// Turns password sign-in off (or on) for the organization's domains.
    /// Turning it off needs a passing test after the last change
    /// (`Conflict("sso_untested")`).
    pub async fn set_sso_required(&self, org_id: i64, required: bool) -> StoreResult<()> {
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE sso_connections SET required = $2
                  WHERE org_id = $1
                    AND ($2 = FALSE OR (test_error = '' AND tested_at IS NOT NULL AND tested_at >= updated_at))",
            )
            .bind(org_id)
            .bind(required)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        if n == 1 {
            return Ok(());
        }
        match self.sso_connection(org_id).await? {
            Some(_) => Err(StoreError::Conflict("sso_untested")),
            None => Err(StoreError::NotFound),
        }
    }

    /// Removes the connection; accounts and their identities stay, so the
    /// people can set a password with "Forgot your password?".
    pub async fn delete_sso_connection(&self, org_id: i64) -> StoreResult<()> {
        let n = with_db!(self, write, |p| {
            sqlx::query("DELETE FROM sso_connections WHERE org_id = $1")
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

    /// Starts a sign-in; sign-ins that expired are cleared on the way.
    pub async fn create_sso_login(
        &self,
        state_hash: &str,
        login: &SsoLogin,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                sqlx::query("DELETE FROM sso_logins WHERE expires_at < $1")
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO sso_logins (state_hash, org_id, nonce, verifier, next, expires_at)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(state_hash)
                .bind(login.org_id)
                .bind(&login.nonce)
                .bind(&login.verifier)
                .bind(&login.next)
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

    /// Takes a sign-in back, once: the row is deleted as it is read, so a
    /// second callback with the same `state` finds nothing. Expired ones
    /// are taken too and refused by the caller.
    pub async fn take_sso_login(&self, state_hash: &str) -> StoreResult<Option<SsoLogin>> {
        Ok(with_db!(self, write, |p| {
            sqlx::query_as(
                "DELETE FROM sso_logins WHERE state_hash = $1
                 RETURNING org_id, nonce, verifier, next, expires_at",
            )
            .bind(state_hash)
            .fetch_one(p)
            .await
            .optional()
        })?)
    }

    /// Notes a SAML assertion as used until it expires; `false` when it
    /// was used already (a replay). Expired ones are cleared on the way.
    pub async fn use_saml_assertion(
        &self,
        org_id: i64,
        assertion_id: &str,
        expires_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let inserted = with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                sqlx::query("DELETE FROM saml_assertions WHERE expires_at < $1")
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                let n = sqlx::query(
                    "INSERT INTO saml_assertions (org_id, assertion_id, expires_at) VALUES ($1, $2, $3)
                     ON CONFLICT (org_id, assertion_id) DO NOTHING",
                )
                .bind(org_id)
                .bind(assertion_id)
                .bind(expires_at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                tx.commit().await?;
                Ok::<bool, sqlx::Error>(n == 1)
            }
            .await
        })?;
        Ok(inserted)
    }

    /// The account tied to the issuer's `subject` at the organization.
    pub async fn sso_identity(&self, org_id: i64, subject: &str) -> StoreResult<Option<i64>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_scalar(
                "SELECT user_id FROM sso_identities WHERE org_id = $1 AND subject = $2",
            )
            .bind(org_id)
            .bind(subject)
            .fetch_one(p)
            .await
            .optional()
        })?)
    }

    /// Ties `subject` to `user_id` (or notes another sign-in).
    pub async fn link_sso_identity(
        &self,
        org_id: i64,
        subject: &str,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO sso_identities (org_id, subject, user_id, created_at, last_sign_in_at)
                 VALUES ($1, $2, $3, $4, $4)
                 ON CONFLICT (org_id, subject) DO UPDATE SET last_sign_in_at = excluded.last_sign_in_at",
            )
            .bind(org_id)
            .bind(subject)
            .bind(user_id)
            .bind(now)
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// How many accounts have signed in through the organization's
    /// connection, and when the last did.
    pub async fn sso_sign_in_counts(
        &self,
        org_id: i64,
    ) -> StoreResult<(i64, Option<DateTime<Utc>>)> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT CAST(COUNT(*) AS BIGINT), MAX(last_sign_in_at) FROM sso_identities WHERE org_id = $1",
            )
            .bind(org_id)
            .fetch_one(p)
            .await
        })?)
    }

    /// Confirms a student's affiliation with `university_id` by its own
    /// sign-in: declared and confirmed in one step, or moved to this proof
    /// from any other state but a confirmation already held there.
    pub async fn confirm_affiliation_by_sso(
        &self,
        student_id: i64,
        university_id: i64,
        email: &str,
    ) -> StoreResult<()> {
        let now = Utc::now();
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO affiliations (student_id, university_id, status, proof, proof_email, decided_at, created_at)
                 VALUES ($1, $2, 'confirmed', 'sso', $3, $4, $4)
                 ON CONFLICT (student_id) DO UPDATE
                    SET university_id = excluded.university_id, status = 'confirmed', proof = 'sso',
                        proof_email = excluded.proof_email, decided_at = excluded.decided_at, decided_by = NULL,
                        requested_at = NULL
                  WHERE NOT (affiliations.university_id = excluded.university_id AND affiliations.status = 'confirmed')",
            )
            .bind(student_id)
            .bind(university_id)
            .bind(email)
            .bind(now)
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }
}
