//! SCIM Groups (migration 38): the groups an organization's directory
//! pushes, their members (the organization's own User resources only, so
//! a group can never hold another organization's people), the role an
//! owner maps a group to, turning a university's student account into a
//! staff account when its directory says so, and an employer's members
//! into owners.

use chrono::{DateTime, Utc};
use stint_domain::organization::MemberRole;
use stint_domain::university::StaffRole;

use crate::error::OptionalExt;
use crate::{Store, StoreError, StoreResult, push_in, with_db};

/// A Group resource. Its members are read apart ([`Store::scim_group_members`]).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ScimGroup {
    pub id: String,
    pub org_id: i64,
    pub display_name: String,
    /// The SCIM document without `members` (JSON, canonical form).
    pub resource: String,
    /// The role its members hold on Stint, when an owner mapped it.
    pub role: Option<String>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A member of a group: a User resource of the same organization.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ScimMember {
    pub scim_user_id: String,
    /// What the directory sent as the member's `display`, if anything.
    pub display: Option<String>,
}

/// A group as its organization's owners see it on Stint.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct ScimGroupSummary {
    pub id: String,
    pub display_name: String,
    pub role: Option<String>,
    pub members: i64,
    pub updated_at: DateTime<Utc>,
}

/// A provisioned person whose mapped role could not be applied, and why.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct RoleProblem {
    pub scim_user_id: String,
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub problem: String,
}

const GROUP_COLUMNS: &str =
    "id, org_id, display_name, resource, role, version, created_at, updated_at";

/// What a change to a group's members does: who leaves, who joins or has
/// a new `display` (in order).
#[derive(Debug, Default, Clone)]
pub struct MemberChange {
    pub removed: Vec<String>,
    pub upserted: Vec<ScimMember>,
}

impl Store {
    pub async fn scim_group(&self, org_id: i64, id: &str) -> StoreResult<Option<ScimGroup>> {
        let sql = format!("SELECT {GROUP_COLUMNS} FROM scim_groups WHERE org_id = $1 AND id = $2");
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(org_id)
                .bind(id)
                .fetch_one(p)
                .await
                .optional()
        })?)
    }

    /// The organization's groups of this displayName (lower-cased).
    pub async fn scim_groups_by_name(
        &self,
        org_id: i64,
        display_name_key: &str,
    ) -> StoreResult<Vec<ScimGroup>> {
        let sql = format!(
            "SELECT {GROUP_COLUMNS} FROM scim_groups WHERE org_id = $1 AND display_name_key = $2 ORDER BY created_at, id"
        );
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(org_id)
                .bind(display_name_key)
                .fetch_all(p)
                .await
        })?)
    }

    /// Every group of the organization, oldest first.
    pub async fn scim_groups(&self, org_id: i64) -> StoreResult<Vec<ScimGroup>> {
        let sql = format!(
            "SELECT {GROUP_COLUMNS} FROM scim_groups WHERE org_id = $1 ORDER BY created_at, id"
        );
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(org_id)
                .fetch_all(p)
                .await
        })?)
    }

    /// The groups with their member counts, for the owners' page.
    pub async fn scim_group_summaries(&self, org_id: i64) -> StoreResult<Vec<ScimGroupSummary>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT g.id, g.display_name, g.role, g.updated_at,
                        (SELECT COUNT(*) FROM scim_group_members m WHERE m.group_id = g.id) AS members
                   FROM scim_groups g WHERE g.org_id = $1 ORDER BY g.display_name_key, g.id",
            )
            .bind(org_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// A group's members, in the order they joined.
    pub async fn scim_group_members(&self, group_id: &str) -> StoreResult<Vec<ScimMember>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT scim_user_id, display FROM scim_group_members WHERE group_id = $1 ORDER BY seq",
            )
            .bind(group_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// The groups of these User resources (one page of a list), as
    /// (User id, group id, displayName), in one query.
    pub async fn scim_user_groups(
        &self,
        scim_user_ids: &[String],
    ) -> StoreResult<Vec<(String, String, String)>> {
        Ok(with_db!(self, read, |p| {
            let mut qb = sqlx::QueryBuilder::new(
                "SELECT m.scim_user_id, g.id, g.display_name FROM scim_group_members m
                   JOIN scim_groups g ON g.id = m.group_id WHERE m.scim_user_id",
            );
            push_in!(qb, scim_user_ids);
            qb.push(" ORDER BY g.display_name_key, g.id");
            qb.build_query_as().fetch_all(p).await
        })?)
    }

    /// The roles of the mapped groups a User resource is in.
    pub async fn scim_roles_of(&self, scim_user_id: &str) -> StoreResult<Vec<String>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_scalar(
                "SELECT g.role FROM scim_group_members m JOIN scim_groups g ON g.id = m.group_id
                  WHERE m.scim_user_id = $1 AND g.role IS NOT NULL",
            )
            .bind(scim_user_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// Stores a new group with its members. A member that is not one of
    /// the organization's User resources is not added (the web tier checks
    /// them first, and this keeps the rule in SQL too).
    pub async fn insert_scim_group(
        &self,
        g: &ScimGroup,
        display_name_key: &str,
        members: &[ScimMember],
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                sqlx::query(
                    "INSERT INTO scim_groups (id, org_id, display_name, display_name_key, resource, version, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, 1, $6, $6)",
                )
                .bind(&g.id)
                .bind(g.org_id)
                .bind(&g.display_name)
                .bind(display_name_key)
                .bind(&g.resource)
                .bind(g.created_at)
                .execute(&mut *tx)
                .await?;
                for m in members {
                    sqlx::query(
                        "INSERT INTO scim_group_members (group_id, scim_user_id, display)
                         SELECT $1, id, $2 FROM scim_users WHERE id = $3 AND org_id = $4",
                    )
                    .bind(&g.id)
                    .bind(&m.display)
                    .bind(&m.scim_user_id)
                    .bind(g.org_id)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await
            }
            .await
        })?;
        Ok(())
    }

    /// Stores a changed group (its name, document and `updated_at` as in
    /// `g`) and who left and joined, in one transaction.
    pub async fn update_scim_group(
        &self,
        g: &ScimGroup,
        display_name_key: &str,
        change: &MemberChange,
    ) -> StoreResult<()> {
        let (org_id, id) = (g.org_id, g.id.as_str());
        let n = with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                let n = sqlx::query(
                    "UPDATE scim_groups SET display_name = $1, display_name_key = $2, resource = $3,
                            version = version + 1, updated_at = $4
                      WHERE org_id = $5 AND id = $6",
                )
                .bind(&g.display_name)
                .bind(display_name_key)
                .bind(&g.resource)
                .bind(g.updated_at)
                .bind(org_id)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n == 1 {
                    for r in &change.removed {
                        sqlx::query(
                            "DELETE FROM scim_group_members WHERE group_id = $1 AND scim_user_id = $2",
                        )
                        .bind(id)
                        .bind(r)
                        .execute(&mut *tx)
                        .await?;
                    }
                    for m in &change.upserted {
                        sqlx::query(
                            "INSERT INTO scim_group_members (group_id, scim_user_id, display)
                             SELECT $1, id, $2 FROM scim_users WHERE id = $3 AND org_id = $4
                             ON CONFLICT (group_id, scim_user_id) DO UPDATE SET display = excluded.display",
                        )
                        .bind(id)
                        .bind(&m.display)
                        .bind(&m.scim_user_id)
                        .bind(org_id)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
                tx.commit().await?;
                Ok::<u64, sqlx::Error>(n)
            }
            .await
        })?;
        if n == 1 {
            Ok(())
        } else {
            Err(StoreError::NotFound)
        }
    }

    pub async fn delete_scim_group(&self, org_id: i64, id: &str) -> StoreResult<()> {
        let n = with_db!(self, write, |p| {
            sqlx::query("DELETE FROM scim_groups WHERE org_id = $1 AND id = $2")
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

    /// Maps a group to a role (`career`, `faculty`, `owner`) or none;
    /// `NotFound` for another's group.
    pub async fn set_scim_group_role(
        &self,
        org_id: i64,
        id: &str,
        role: Option<&str>,
    ) -> StoreResult<()> {
        let n = with_db!(self, write, |p| {
            sqlx::query("UPDATE scim_groups SET role = $1 WHERE org_id = $2 AND id = $3")
                .bind(role)
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

    /// Notes (or clears, with `None`) why a mapped role could not be applied.
    pub async fn set_scim_role_problem(
        &self,
        scim_user_id: &str,
        problem: Option<&str>,
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query("UPDATE scim_users SET role_problem = $1 WHERE id = $2")
                .bind(problem)
                .bind(scim_user_id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// People of the organization whose mapped role is not applied.
    pub async fn scim_role_problems(&self, org_id: i64) -> StoreResult<Vec<RoleProblem>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT s.id AS scim_user_id, u.id AS user_id, u.name, u.email, s.role_problem AS problem
                   FROM scim_users s JOIN users u ON u.id = s.user_id
                  WHERE s.org_id = $1 AND s.role_problem IS NOT NULL ORDER BY u.name, u.id",
            )
            .bind(org_id)
            .fetch_all(p)
            .await
        })?)
    }

    // --- student accounts that become staff ---

    /// Whether a student account has anything others rely on: applications,
    /// work, achievements, credentials, credit, payouts, an employer's
    /// invitations, offers or talent pool.
    pub async fn student_has_history(&self, user_id: i64) -> StoreResult<bool> {
        const TABLES: [(&str, &str); 10] = [
            ("applications", "student_id"),
            ("engagements", "student_id"),
            ("achievements", "student_id"),
            ("credentials", "student_id"),
            ("credit_requests", "student_id"),
            ("talent_pool", "student_id"),
            ("invitations", "student_id"),
            ("offers", "student_id"),
            ("payout_accounts", "user_id"),
            ("stripe_accounts", "user_id"),
        ];
        let sql = TABLES
            .iter()
            .map(|(t, c)| format!("EXISTS (SELECT 1 FROM {t} WHERE {c} = $1)"))
            .collect::<Vec<_>>()
            .join(" OR ");
        let sql = format!("SELECT CASE WHEN {sql} THEN 1 ELSE 0 END");
        let n: i32 = with_db!(self, read, |p| {
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(user_id)
                .fetch_one(p)
                .await
        })?;
        Ok(n == 1)
    }

    /// Makes an account staff of a university with `role`: a student
    /// account without history (the caller checks) becomes a university
    /// account, its student-only records going with it; an account already
    /// of the university gets the role. One transaction.
    pub async fn make_university_staff(
        &self,
        org_id: i64,
        user_id: i64,
        role: StaffRole,
    ) -> StoreResult<()> {
        const STUDENT_ONLY: [(&str, &str); 10] = [
            ("student_profiles", "user_id"),
            ("affiliations", "student_id"),
            ("affiliation_tokens", "student_id"),
            ("student_match_keys", "user_id"),
            ("hidden_projects", "student_id"),
            ("project_alerts", "student_id"),
            ("saved_searches", "student_id"),
            ("student_reach", "student_id"),
            ("equity_attributes", "student_id"),
            ("outcome_histories", "student_id"),
        ];
        let now = Utc::now();
        with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                let was_student = sqlx::query(
                    "UPDATE users SET role = 'university' WHERE id = $1 AND role = 'student'",
                )
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                    == 1;
                if was_student {
                    for (t, c) in STUDENT_ONLY {
                        let sql = format!("DELETE FROM {t} WHERE {c} = $1");
                        sqlx::query(sqlx::AssertSqlSafe(sql))
                            .bind(user_id)
                            .execute(&mut *tx)
                            .await?;
                    }
                }
                sqlx::query(
                    "INSERT INTO memberships (org_id, user_id, role, staff_role, created_at)
                     VALUES ($1, $2, 'member', $3, $4)
                     ON CONFLICT (user_id) DO UPDATE SET staff_role = excluded.staff_role
                     WHERE memberships.org_id = excluded.org_id",
                )
                .bind(org_id)
                .bind(user_id)
                .bind(role.as_str())
                .bind(now)
                .execute(&mut *tx)
                .await?;
                tx.commit().await
            }
            .await
        })?;
        Ok(())
    }

    /// Makes a member an owner or a member of their organization, keeping
    /// at least one owner: `Conflict("last_owner")` otherwise; `NotFound`
    /// when they are not a member.
    pub async fn set_member_role(
        &self,
        org_id: i64,
        user_id: i64,
        role: MemberRole,
    ) -> StoreResult<()> {
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE memberships SET role = $1 WHERE org_id = $2 AND user_id = $3
                   AND ($1 = 'owner' OR EXISTS (SELECT 1 FROM memberships o
                        WHERE o.org_id = $2 AND o.user_id <> $3 AND o.role = 'owner'))",
            )
            .bind(role.as_str())
            .bind(org_id)
            .bind(user_id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        if n == 1 {
            return Ok(());
        }
        let member: Option<i64> = with_db!(self, read, |p| {
            sqlx::query_scalar("SELECT user_id FROM memberships WHERE org_id = $1 AND user_id = $2")
                .bind(org_id)
                .bind(user_id)
                .fetch_one(p)
                .await
                .optional()
        })?;
        match member {
            Some(_) => Err(StoreError::Conflict("last_owner")),
            None => Err(StoreError::NotFound),
        }
    }

    /// Takes a member's place at a university away (owners keep theirs),
    /// keeping at least one career staff member:
    /// `Conflict("last_career_staff")` otherwise.
    pub async fn remove_university_staff(&self, org_id: i64, user_id: i64) -> StoreResult<()> {
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "DELETE FROM memberships WHERE org_id = $1 AND user_id = $2 AND role <> 'owner'
                   AND (staff_role <> 'career' OR EXISTS (SELECT 1 FROM memberships o
                        WHERE o.org_id = $1 AND o.user_id <> $2 AND o.staff_role = 'career'))",
            )
            .bind(org_id)
            .bind(user_id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        if n == 1 {
            return Ok(());
        }
        let left: Option<String> = with_db!(self, read, |p| {
            sqlx::query_scalar("SELECT role FROM memberships WHERE org_id = $1 AND user_id = $2")
                .bind(org_id)
                .bind(user_id)
                .fetch_one(p)
                .await
                .optional()
        })?;
        match left.as_deref() {
            None | Some("owner") => Ok(()),
            Some(_) => Err(StoreError::Conflict("last_career_staff")),
        }
    }
}
