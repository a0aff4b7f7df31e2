//! Organizations (employers, universities) and their members.

use chrono::{DateTime, Utc};
use serde::Serialize;
use stint_domain::organization::{MemberRole, OrgInput, OrgKind, slugify};
use stint_domain::university::StaffRole;

use crate::error::OptionalExt;
use crate::{Store, StoreError, StoreResult, with_db};

#[derive(Debug, Clone, sqlx::FromRow)]
struct OrgRow {
    id: i64,
    kind: String,
    name: String,
    slug: String,
    website: Option<String>,
    country: String,
    description: String,
    invite_code: String,
    verified_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Organization {
    pub id: i64,
    pub kind: OrgKind,
    pub name: String,
    pub slug: String,
    pub website: Option<String>,
    pub country: String,
    pub description: String,
    /// Shown to members only: others join with it.
    #[serde(skip)]
    pub invite_code: String,
    pub verified: bool,
    pub created_at: DateTime<Utc>,
    /// When its owners closed it.
    pub closed_at: Option<DateTime<Utc>>,
}

impl From<OrgRow> for Organization {
    fn from(r: OrgRow) -> Self {
        Organization {
            id: r.id,
            kind: OrgKind::parse(&r.kind).unwrap_or(OrgKind::Employer),
            name: r.name,
            slug: r.slug,
            website: r.website,
            country: r.country,
            description: r.description,
            invite_code: r.invite_code,
            verified: r.verified_at.is_some(),
            created_at: r.created_at,
            closed_at: r.closed_at,
        }
    }
}

/// A person's place in an organization.
#[derive(Debug, Clone, Serialize)]
pub struct Membership {
    pub org: Organization,
    pub role: MemberRole,
    /// At a university: career staff or faculty.
    pub staff_role: Option<StaffRole>,
}

const ORG_COLS: &str = "o.id, o.kind, o.name, o.slug, o.website, o.country, o.description, o.invite_code, o.verified_at, o.created_at, o.closed_at";

impl Store {
    /// Creates an organization with `owner` as its first member. The slug is
    /// made from the name, with a number added while it is taken.
    #[tracing::instrument(skip(self, input, invite_code))]
    pub async fn create_org(
        &self,
        kind: OrgKind,
        input: &OrgInput,
        owner: i64,
        invite_code: &str,
    ) -> StoreResult<Organization> {
        let base = slugify(&input.name);
        let now = Utc::now();
        let _ = ORG_COLS;
        for attempt in 0..20 {
            let slug = if attempt == 0 {
                base.clone()
            } else {
                format!("{base}-{}", attempt + 1)
            };
            let result: StoreResult<OrgRow> = with_db!(self, write, |p| {
                async {
                    let mut tx = p.begin().await?;
                    let row: OrgRow = sqlx::query_as(
                        "INSERT INTO organizations (kind, name, slug, website, country, description, invite_code, created_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                         RETURNING id, kind, name, slug, website, country, description, invite_code, verified_at, created_at, closed_at",
                    )
                    .bind(kind.as_str())
                    .bind(&input.name)
                    .bind(&slug)
                    .bind(&input.website)
                    .bind(&input.country)
                    .bind(&input.description)
                    .bind(invite_code)
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await?;
                    sqlx::query("INSERT INTO memberships (org_id, user_id, role, staff_role, created_at) VALUES ($1, $2, 'owner', $3, $4)")
                        .bind(row.id)
                        .bind(owner)
                        .bind((kind == OrgKind::University).then_some(StaffRole::Career.as_str()))
                        .bind(now)
                        .execute(&mut *tx)
                        .await?;
                    for d in &input.email_domains {
                        sqlx::query("INSERT INTO org_domains (domain, org_id) VALUES ($1, $2)")
                            .bind(d)
                            .bind(row.id)
                            .execute(&mut *tx)
                            .await?;
                    }
                    tx.commit().await?;
                    Ok::<OrgRow, StoreError>(row)
                }
                .await
            });
            match result {
                Err(StoreError::Conflict("slug")) => continue,
                other => return other.map(Organization::from),
            }
        }
        Err(StoreError::Conflict("slug"))
    }

    pub async fn org(&self, id: i64) -> StoreResult<Organization> {
        let row: OrgRow = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT o.id, o.kind, o.name, o.slug, o.website, o.country, o.description, o.invite_code, o.verified_at, o.created_at, o.closed_at
                 FROM organizations o WHERE o.id = $1",
            )
            .bind(id)
            .fetch_one(p)
            .await
        })?;
        Ok(row.into())
    }

    pub async fn org_by_slug(&self, slug: &str) -> StoreResult<Organization> {
        let row: OrgRow = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT o.id, o.kind, o.name, o.slug, o.website, o.country, o.description, o.invite_code, o.verified_at, o.created_at, o.closed_at
                 FROM organizations o WHERE o.slug = $1",
            )
            .bind(slug)
            .fetch_one(p)
            .await
        })?;
        Ok(row.into())
    }

    /// The organization `user_id` belongs to, if any.
    pub async fn membership(&self, user_id: i64) -> StoreResult<Option<Membership>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            member_role: String,
            staff_role: Option<String>,
            #[sqlx(flatten)]
            org: OrgRow,
        }
        let row: Option<Row> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT m.role AS member_role, m.staff_role, o.id, o.kind, o.name, o.slug, o.website, o.country, o.description, o.invite_code, o.verified_at, o.created_at, o.closed_at
                 FROM memberships m JOIN organizations o ON o.id = m.org_id WHERE m.user_id = $1",
            )
            .bind(user_id)
            .fetch_one(p)
            .await
            .optional()
        })?;
        Ok(row.map(|r| Membership {
            role: MemberRole::parse(&r.member_role).unwrap_or(MemberRole::Member),
            staff_role: r.staff_role.as_deref().and_then(StaffRole::parse),
            org: r.org.into(),
        }))
    }

    /// Joins the organization of `kind` whose invite code this is.
    pub async fn join_org(
        &self,
        user_id: i64,
        kind: OrgKind,
        invite_code: &str,
    ) -> StoreResult<Organization> {
        let row: Option<OrgRow> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT o.id, o.kind, o.name, o.slug, o.website, o.country, o.description, o.invite_code, o.verified_at, o.created_at, o.closed_at
                 FROM organizations o WHERE o.invite_code = $1 AND o.kind = $2 AND o.closed_at IS NULL",
            )
            .bind(invite_code)
            .bind(kind.as_str())
            .fetch_one(p)
            .await
            .optional()
        })?;
        let org = row.ok_or(StoreError::NotFound)?;
        // At a university, an invitation to the person's address sets their
        // role; without one they start as faculty, who see only what names them.
        let staff_role = (kind == OrgKind::University).then_some(StaffRole::Faculty.as_str());
        with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                sqlx::query(
                    "INSERT INTO memberships (org_id, user_id, role, staff_role, created_at)
                     SELECT $1, u.id, 'member', COALESCE((SELECT i.staff_role FROM org_invitations i WHERE i.org_id = $1 AND i.email = u.email), $3), $4
                     FROM users u WHERE u.id = $2",
                )
                .bind(org.id)
                .bind(user_id)
                .bind(staff_role)
                .bind(Utc::now())
                .execute(&mut *tx)
                .await?;
                sqlx::query(
                    "DELETE FROM org_invitations WHERE org_id = $1 AND email = (SELECT email FROM users WHERE id = $2)",
                )
                .bind(org.id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok::<(), StoreError>(())
            }
            .await
        })?;
        Ok(org.into())
    }

    /// Members of an organization as (user id, name, email, role), owners first.
    pub async fn org_members(
        &self,
        org_id: i64,
    ) -> StoreResult<Vec<(i64, String, String, String)>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT u.id, u.name, u.email, m.role FROM memberships m JOIN users u ON u.id = m.user_id
                 WHERE m.org_id = $1 ORDER BY m.role DESC, u.name",
            )
            .bind(org_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// Organizations waiting for an admin to verify them, oldest first.
    pub async fn unverified_orgs(&self) -> StoreResult<Vec<Organization>> {
        let rows: Vec<OrgRow> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT o.id, o.kind, o.name, o.slug, o.website, o.country, o.description, o.invite_code, o.verified_at, o.created_at, o.closed_at
                 FROM organizations o WHERE o.verified_at IS NULL ORDER BY o.created_at, o.id",
            )
            .fetch_all(p)
            .await
        })?;
        Ok(rows.into_iter().map(Organization::from).collect())
    }

    /// Marks an organization verified; `Ok(false)` when it already was.
    pub async fn verify_org(&self, org_id: i64) -> StoreResult<bool> {
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE organizations SET verified_at = $1 WHERE id = $2 AND verified_at IS NULL",
            )
            .bind(Utc::now())
            .bind(org_id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        if n == 1 {
            return Ok(true);
        }
        self.org(org_id).await.map(|_| false)
    }

    pub async fn universities(&self) -> StoreResult<Vec<Organization>> {
        let rows: Vec<OrgRow> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT o.id, o.kind, o.name, o.slug, o.website, o.country, o.description, o.invite_code, o.verified_at, o.created_at, o.closed_at
                 FROM organizations o WHERE o.kind = 'university' AND o.closed_at IS NULL ORDER BY o.name",
            )
            .fetch_all(p)
            .await
        })?;
        Ok(rows.into_iter().map(Organization::from).collect())
    }

    /// The university whose email domain (or a parent of it) `domain` is.
    pub async fn university_for_domain(&self, domain: &str) -> StoreResult<Option<i64>> {
        for d in domain_and_parents(domain) {
            let found: Option<i64> = with_db!(self, read, |p| {
                sqlx::query_scalar(
                    "SELECT d.org_id FROM org_domains d JOIN organizations o ON o.id = d.org_id
                      WHERE d.domain = $1 AND o.kind = 'university'",
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

    pub async fn org_domains(&self, org_id: i64) -> StoreResult<Vec<String>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_scalar("SELECT domain FROM org_domains WHERE org_id = $1 ORDER BY domain")
                .bind(org_id)
                .fetch_all(p)
                .await
        })?)
    }
}

/// `domain`, then each parent that still has a dot: `cs.uni.example`,
/// `uni.example` (never the bare top-level domain).
pub(crate) fn domain_and_parents(domain: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(domain), |d| {
        d.split_once('.')
            .map(|(_, parent)| parent)
            .filter(|p| p.contains('.'))
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_domain_and_its_parents_stop_before_the_top_level() {
        let all: Vec<&str> = super::domain_and_parents("cs.uni.example").collect();
        assert_eq!(all, ["cs.uni.example", "uni.example"]);
        assert_eq!(super::domain_and_parents("example").count(), 1);
    }
}
