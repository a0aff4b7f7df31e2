//! Universities as partners: students' affiliations (declared, requested,
//! confirmed), what each shares, the career-centre portal's lists, staff
//! roles and invitations.

use chrono::{DateTime, Utc};
use serde::Serialize;
use stint_domain::university::{
    AffiliationAction, AffiliationProof, AffiliationStatus, Sharing, StaffRole, Stage,
};

use crate::error::OptionalExt;
use crate::{Store, StoreError, StoreResult, with_db};

#[derive(Debug, Clone, sqlx::FromRow)]
struct AffiliationRow {
    student_id: i64,
    university_id: i64,
    university_name: String,
    university_slug: String,
    status: String,
    proof: Option<String>,
    proof_email: Option<String>,
    sharing: String,
    requested_at: Option<DateTime<Utc>>,
    decided_at: Option<DateTime<Utc>>,
}

/// A student's affiliation with the university on their profile.
#[derive(Debug, Clone, Serialize)]
pub struct Affiliation {
    pub student_id: i64,
    pub university_id: i64,
    pub university_name: String,
    pub university_slug: String,
    pub status: AffiliationStatus,
    pub proof: Option<AffiliationProof>,
    /// The university address confirmed, when proved by email.
    pub proof_email: Option<String>,
    pub sharing: Sharing,
    pub requested_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
}

impl From<AffiliationRow> for Affiliation {
    fn from(r: AffiliationRow) -> Self {
        Affiliation {
            student_id: r.student_id,
            university_id: r.university_id,
            university_name: r.university_name,
            university_slug: r.university_slug,
            status: AffiliationStatus::parse(&r.status).unwrap_or(AffiliationStatus::Declared),
            proof: r.proof.as_deref().and_then(AffiliationProof::parse),
            proof_email: r.proof_email,
            sharing: Sharing::parse(&r.sharing).unwrap_or_default(),
            requested_at: r.requested_at,
            decided_at: r.decided_at,
        }
    }
}

impl Affiliation {
    pub fn confirmed(&self) -> bool {
        self.status == AffiliationStatus::Confirmed
    }
}

/// The portal's filters over a university's students.
#[derive(Debug, Clone, Default)]
pub struct StudentFilter {
    /// Part of a name or email, lower-cased.
    pub q: Option<String>,
    pub area: Option<String>,
    pub year: Option<i32>,
    pub stage: Option<Stage>,
}

/// One student in the portal's list.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PortalStudent {
    pub student_id: i64,
    pub name: String,
    pub email: String,
    pub area_of_study: Option<String>,
    pub graduation_year: Option<i32>,
    pub sharing: String,
    pub proof: Option<String>,
    pub applications: i64,
    pub working: i64,
    pub completed: i64,
    pub decided_at: Option<DateTime<Utc>>,
}

impl PortalStudent {
    pub fn stage(&self) -> Stage {
        Stage::of(self.applications, self.working, self.completed)
    }
}

/// A request waiting for career staff.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AffiliationRequest {
    pub student_id: i64,
    pub name: String,
    pub email: String,
    pub area_of_study: Option<String>,
    pub graduation_year: Option<i32>,
    pub requested_at: Option<DateTime<Utc>>,
}

/// One line of a student's timeline of applications.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TimelineApplication {
    pub application_id: i64,
    pub project_id: i64,
    pub project_title: String,
    pub org_name: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// One engagement on a student's timeline.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TimelineEngagement {
    pub engagement_id: i64,
    pub project_id: i64,
    pub project_title: String,
    pub org_name: String,
    pub org_slug: String,
    pub status: String,
    pub price_minor: i64,
    pub currency: String,
    pub created_at: DateTime<Utc>,
    pub approved_at: Option<DateTime<Utc>>,
}

/// A member of a university, with their role.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct StaffMember {
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub member_role: String,
    pub staff_role: Option<String>,
}

/// A colleague invited by email, not yet joined.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Invitation {
    pub email: String,
    pub staff_role: String,
    pub created_at: DateTime<Utc>,
}

/// The columns of a `PortalStudent`: the student, what they share, and
/// counts their stage is made of.
macro_rules! portal_select {
    () => {
        "SELECT u.id AS student_id, u.name, u.email, s.area_of_study, s.graduation_year, af.sharing, af.proof, af.decided_at,
           (SELECT COUNT(*) FROM applications a WHERE a.student_id = af.student_id) AS applications,
           (SELECT COUNT(*) FROM engagements e WHERE e.student_id = af.student_id AND e.status IN ('active', 'submitted', 'revision_requested', 'disputed')) AS working,
           (SELECT COUNT(*) FROM engagements e WHERE e.student_id = af.student_id AND e.status IN ('approved', 'paid')) AS completed"
    };
}

const STAGE_WORKING: &str = "EXISTS (SELECT 1 FROM engagements e WHERE e.student_id = af.student_id AND e.status IN ('active', 'submitted', 'revision_requested', 'disputed'))";
const STAGE_COMPLETED: &str = "EXISTS (SELECT 1 FROM engagements e WHERE e.student_id = af.student_id AND e.status IN ('approved', 'paid'))";
const STAGE_APPLIED: &str =
    "EXISTS (SELECT 1 FROM applications a WHERE a.student_id = af.student_id)";

impl Store {
    /// The student's affiliation, if they named a university.
    pub async fn affiliation(&self, student_id: i64) -> StoreResult<Option<Affiliation>> {
        let row: Option<AffiliationRow> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT af.student_id, af.university_id, o.name AS university_name, o.slug AS university_slug,
                    af.status, af.proof, af.proof_email, af.sharing, af.requested_at, af.decided_at
                 FROM affiliations af JOIN organizations o ON o.id = af.university_id WHERE af.student_id = $1",
            )
                .bind(student_id)
                .fetch_one(p)
                .await
                .optional()
        })?;
        Ok(row.map(Affiliation::from))
    }

    /// Records the university a student names on their profile. The same
    /// university keeps its status; another starts over as declared (or
    /// confirmed, when `proof_email` is an address in its domains); none
    /// removes the row.
    pub async fn declare_affiliation(
        &self,
        student_id: i64,
        university_id: Option<i64>,
        proof_email: Option<&str>,
    ) -> StoreResult<()> {
        let now = Utc::now();
        Ok(with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                let Some(uni) = university_id else {
                    sqlx::query("DELETE FROM affiliations WHERE student_id = $1")
                        .bind(student_id)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                    return Ok::<(), StoreError>(());
                };
                let current: Option<(i64, String)> = sqlx::query_as(
                    "SELECT university_id, status FROM affiliations WHERE student_id = $1",
                )
                .bind(student_id)
                .fetch_one(&mut *tx)
                .await
                .optional()?;
                let unchanged = current.as_ref().is_some_and(|(u, _)| *u == uni);
                if !unchanged {
                    sqlx::query(
                        "INSERT INTO affiliations (student_id, university_id, status, created_at) VALUES ($1, $2, 'declared', $3)
                         ON CONFLICT (student_id) DO UPDATE SET university_id = excluded.university_id, status = 'declared',
                           proof = NULL, proof_email = NULL, requested_at = NULL, decided_at = NULL, decided_by = NULL,
                           created_at = excluded.created_at",
                    )
                    .bind(student_id)
                    .bind(uni)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                let confirmed = current.is_some_and(|(u, s)| u == uni && s == "confirmed");
                if let (Some(email), false) = (proof_email, confirmed) {
                    sqlx::query(
                        "UPDATE affiliations SET status = 'confirmed', proof = 'email', proof_email = $1, decided_at = $2, decided_by = NULL
                         WHERE student_id = $3",
                    )
                    .bind(email)
                    .bind(now)
                    .bind(student_id)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok(())
            }
            .await
        })?)
    }

    /// Confirms the student's affiliation with `university_id` by a
    /// university address they proved; `NotFound` when they no longer name
    /// that university.
    pub async fn confirm_affiliation_by_email(
        &self,
        student_id: i64,
        university_id: i64,
        email: &str,
    ) -> StoreResult<()> {
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE affiliations SET status = 'confirmed', proof = 'email', proof_email = $1, decided_at = $2, decided_by = NULL
                 WHERE student_id = $3 AND university_id = $4",
            )
            .bind(email)
            .bind(Utc::now())
            .bind(student_id)
            .bind(university_id)
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

    /// Moves an affiliation by `action` if it is still in one of the
    /// statuses the action starts from, at `university_id`.
    /// `Conflict("status_changed")` when it is not; `NotFound` when the
    /// student does not name this university.
    pub async fn move_affiliation(
        &self,
        student_id: i64,
        university_id: i64,
        action: AffiliationAction,
        by: i64,
    ) -> StoreResult<()> {
        let from: Vec<&str> = action.from().iter().map(|s| s.as_str()).collect();
        let to = action.to();
        let now = Utc::now();
        let n = with_db!(self, write, |p| {
            let mut qb = sqlx::QueryBuilder::new("UPDATE affiliations SET status = ");
            qb.push_bind(to.as_str());
            if action.by_student() {
                qb.push(", requested_at = ").push_bind(now);
            } else {
                qb.push(", decided_at = ")
                    .push_bind(now)
                    .push(", decided_by = ")
                    .push_bind(by)
                    .push(", proof = ")
                    .push_bind((to == AffiliationStatus::Confirmed).then_some("staff"))
                    .push(", proof_email = NULL");
            }
            qb.push(" WHERE student_id = ")
                .push_bind(student_id)
                .push(" AND university_id = ")
                .push_bind(university_id)
                .push(" AND status");
            crate::push_in!(qb, &from);
            qb.build().execute(p).await.map(|r| r.rows_affected())
        })?;
        if n == 1 {
            return Ok(());
        }
        match self.affiliation(student_id).await? {
            Some(a) if a.university_id == university_id => {
                Err(StoreError::Conflict("status_changed"))
            }
            _ => Err(StoreError::NotFound),
        }
    }

    pub async fn set_sharing(&self, student_id: i64, sharing: Sharing) -> StoreResult<()> {
        let n = with_db!(self, write, |p| {
            sqlx::query("UPDATE affiliations SET sharing = $1 WHERE student_id = $2")
                .bind(sharing.as_str())
                .bind(student_id)
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

    // --- links sent to university addresses ---

    pub async fn create_affiliation_token(
        &self,
        token_hash: &str,
        student_id: i64,
        university_id: i64,
        email: &str,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO affiliation_tokens (token_hash, student_id, university_id, email, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(token_hash)
            .bind(student_id)
            .bind(university_id)
            .bind(email)
            .bind(Utc::now())
            .bind(expires_at)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    /// Links the student asked for since `since`, to bound how many they send.
    pub async fn affiliation_tokens_since(
        &self,
        student_id: i64,
        since: DateTime<Utc>,
    ) -> StoreResult<i64> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM affiliation_tokens WHERE student_id = $1 AND created_at >= $2",
            )
            .bind(student_id)
            .bind(since)
            .fetch_one(p)
            .await
        })?)
    }

    /// Uses a link once: (student, university, address) if it was live.
    pub async fn consume_affiliation_token(
        &self,
        token_hash: &str,
    ) -> StoreResult<Option<(i64, i64, String)>> {
        let now = Utc::now();
        Ok(with_db!(self, write, |p| {
            sqlx::query_as(
                "UPDATE affiliation_tokens SET used_at = $1
                 WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1
                 RETURNING student_id, university_id, email",
            )
            .bind(now)
            .bind(token_hash)
            .fetch_one(p)
            .await
            .optional()
        })?)
    }

    // --- the portal ---

    /// The university's students who let it see them by name, by name, one
    /// page at a time (`limit` + 1 rows tell whether another page follows),
    /// and how many match in all.
    pub async fn portal_students(
        &self,
        university_id: i64,
        f: &StudentFilter,
        limit: i64,
        offset: i64,
    ) -> StoreResult<(Vec<PortalStudent>, i64)> {
        macro_rules! filtered {
            ($qb:expr) => {{
                $qb.push(
                    " FROM affiliations af JOIN users u ON u.id = af.student_id
                      LEFT JOIN student_profiles s ON s.user_id = af.student_id
                      WHERE af.status = 'confirmed' AND af.sharing <> 'aggregate' AND af.university_id = ",
                )
                .push_bind(university_id);
                if let Some(q) = &f.q {
                    let like = format!("%{}%", q.replace(['%', '_', '\\'], ""));
                    $qb.push(" AND (lower(u.name) LIKE ")
                        .push_bind(like.clone())
                        .push(" OR lower(u.email) LIKE ")
                        .push_bind(like)
                        .push(")");
                }
                if let Some(a) = &f.area {
                    $qb.push(" AND s.area_of_study = ").push_bind(a.clone());
                }
                if let Some(y) = f.year {
                    $qb.push(" AND s.graduation_year = ").push_bind(y);
                }
                match f.stage {
                    Some(Stage::Working) => {
                        $qb.push(format!(" AND {STAGE_WORKING}"));
                    }
                    Some(Stage::Completed) => {
                        $qb.push(format!(" AND NOT {STAGE_WORKING} AND {STAGE_COMPLETED}"));
                    }
                    Some(Stage::Applied) => {
                        $qb.push(format!(
                            " AND NOT {STAGE_WORKING} AND NOT {STAGE_COMPLETED} AND {STAGE_APPLIED}"
                        ));
                    }
                    Some(Stage::NotYetApplied) => {
                        $qb.push(format!(" AND NOT {STAGE_APPLIED}"));
                    }
                    None => {}
                }
            }};
        }
        let rows: Vec<PortalStudent> = with_db!(self, read, |p| {
            let mut qb = sqlx::QueryBuilder::new(concat!(portal_select!(), " "));
            filtered!(qb);
            qb.push(" ORDER BY u.name, u.id LIMIT ")
                .push_bind(limit + 1)
                .push(" OFFSET ")
                .push_bind(offset);
            qb.build_query_as().fetch_all(p).await
        })?;
        let total: i64 = with_db!(self, read, |p| {
            let mut qb = sqlx::QueryBuilder::new("SELECT COUNT(*)");
            filtered!(qb);
            qb.build_query_scalar().fetch_one(p).await
        })?;
        Ok((rows, total))
    }

    /// One student of the portal, if they are confirmed at this university
    /// and let it see them by name.
    pub async fn portal_student(
        &self,
        university_id: i64,
        student_id: i64,
    ) -> StoreResult<Option<PortalStudent>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(concat!(
                portal_select!(),
                " FROM affiliations af JOIN users u ON u.id = af.student_id
                 LEFT JOIN student_profiles s ON s.user_id = af.student_id
                 WHERE af.status = 'confirmed' AND af.sharing <> 'aggregate' AND af.university_id = $1 AND af.student_id = $2",
            ))
            .bind(university_id)
            .bind(student_id)
            .fetch_one(p)
            .await
            .optional()
        })?)
    }

    /// The areas of study and graduation years among the university's named
    /// students, for the filters.
    pub async fn portal_facets(&self, university_id: i64) -> StoreResult<(Vec<String>, Vec<i32>)> {
        let areas: Vec<String> = with_db!(self, read, |p| {
            sqlx::query_scalar(
                "SELECT DISTINCT s.area_of_study FROM affiliations af JOIN student_profiles s ON s.user_id = af.student_id
                 WHERE af.university_id = $1 AND af.status = 'confirmed' AND af.sharing <> 'aggregate' AND s.area_of_study IS NOT NULL
                 ORDER BY s.area_of_study",
            )
            .bind(university_id)
            .fetch_all(p)
            .await
        })?;
        let years: Vec<i32> = with_db!(self, read, |p| {
            sqlx::query_scalar(
                "SELECT DISTINCT s.graduation_year FROM affiliations af JOIN student_profiles s ON s.user_id = af.student_id
                 WHERE af.university_id = $1 AND af.status = 'confirmed' AND af.sharing <> 'aggregate' AND s.graduation_year IS NOT NULL
                 ORDER BY s.graduation_year",
            )
            .bind(university_id)
            .fetch_all(p)
            .await
        })?;
        Ok((areas, years))
    }

    /// How many students name the university, by affiliation status, and
    /// how many confirmed ones keep to totals.
    pub async fn affiliation_counts(
        &self,
        university_id: i64,
    ) -> StoreResult<Vec<(String, String, i64)>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT status, sharing, COUNT(*) FROM affiliations WHERE university_id = $1 GROUP BY status, sharing",
            )
            .bind(university_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// Requests waiting for the university's career staff, oldest first.
    pub async fn affiliation_requests(
        &self,
        university_id: i64,
    ) -> StoreResult<Vec<AffiliationRequest>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT u.id AS student_id, u.name, u.email, s.area_of_study, s.graduation_year, af.requested_at
                 FROM affiliations af JOIN users u ON u.id = af.student_id
                 LEFT JOIN student_profiles s ON s.user_id = af.student_id
                 WHERE af.university_id = $1 AND af.status = 'requested' ORDER BY af.requested_at, u.id",
            )
            .bind(university_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// A student's applications with projects and employers, newest first.
    pub async fn timeline_applications(
        &self,
        student_id: i64,
    ) -> StoreResult<Vec<TimelineApplication>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT a.id AS application_id, a.project_id, p.title AS project_title, o.name AS org_name, a.status, a.created_at, a.decided_at
                 FROM applications a JOIN projects p ON p.id = a.project_id JOIN organizations o ON o.id = p.org_id
                 WHERE a.student_id = $1 ORDER BY a.created_at DESC, a.id DESC",
            )
            .bind(student_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// A student's engagements with projects, employers and the moment each
    /// was approved (its release entry), newest first.
    pub async fn timeline_engagements(
        &self,
        student_id: i64,
    ) -> StoreResult<Vec<TimelineEngagement>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT e.id AS engagement_id, e.project_id, p.title AS project_title, o.name AS org_name, o.slug AS org_slug,
                   e.status, e.price_minor, e.currency, e.created_at, e.approved_at
                 FROM engagements e JOIN projects p ON p.id = e.project_id JOIN organizations o ON o.id = e.org_id
                 WHERE e.student_id = $1 ORDER BY e.created_at DESC, e.id DESC",
            )
            .bind(student_id)
            .fetch_all(p)
            .await
        })?)
    }

    // --- staff ---

    /// A university's members with their roles, career staff first.
    pub async fn university_staff(&self, org_id: i64) -> StoreResult<Vec<StaffMember>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT u.id AS user_id, u.name, u.email, m.role AS member_role, m.staff_role
                 FROM memberships m JOIN users u ON u.id = m.user_id
                 WHERE m.org_id = $1 ORDER BY m.staff_role, u.name, u.id",
            )
            .bind(org_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// Sets a member's role, keeping at least one career staff member:
    /// `Conflict("last_career_staff")` otherwise; `NotFound` when they are
    /// not a member.
    pub async fn set_staff_role(
        &self,
        org_id: i64,
        user_id: i64,
        role: StaffRole,
    ) -> StoreResult<()> {
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE memberships SET staff_role = $1 WHERE org_id = $2 AND user_id = $3
                   AND ($1 = 'career' OR EXISTS (SELECT 1 FROM memberships o WHERE o.org_id = $2 AND o.user_id <> $3 AND o.staff_role = 'career'))",
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
            Some(_) => Err(StoreError::Conflict("last_career_staff")),
            None => Err(StoreError::NotFound),
        }
    }

    /// Invites a colleague by email with a role (replacing an earlier invitation).
    pub async fn invite_staff(
        &self,
        org_id: i64,
        email: &str,
        role: StaffRole,
        by: i64,
    ) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO org_invitations (org_id, email, staff_role, invited_by, created_at) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (org_id, email) DO UPDATE SET staff_role = excluded.staff_role,
                   invited_by = excluded.invited_by, created_at = excluded.created_at",
            )
            .bind(org_id)
            .bind(email)
            .bind(role.as_str())
            .bind(by)
            .bind(Utc::now())
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(())
    }

    pub async fn invitations(&self, org_id: i64) -> StoreResult<Vec<Invitation>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT email, staff_role, created_at FROM org_invitations WHERE org_id = $1 ORDER BY created_at DESC, email",
            )
            .bind(org_id)
            .fetch_all(p)
            .await
        })?)
    }
}

/// A project as the career centre's portal lists it: how many of the
/// university's confirmed students applied and were hired, and whether
/// staff feature it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PortalProject {
    pub project_id: i64,
    pub title: String,
    pub org_id: i64,
    pub org_name: String,
    pub org_slug: String,
    pub status: String,
    pub category: String,
    pub price_minor: i64,
    pub currency: String,
    pub application_deadline: chrono::NaiveDate,
    pub applicants: i64,
    pub hired: i64,
    pub featured: bool,
    /// Arranged with this university for its students only.
    pub restricted: bool,
    pub note: Option<String>,
}

/// A project a university features, or one arranged for its students only,
/// as its students see it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FeaturedProject {
    pub project_id: i64,
    pub title: String,
    pub summary: String,
    pub org_name: String,
    pub price_minor: i64,
    pub currency: String,
    pub estimated_hours: i32,
    pub application_deadline: chrono::NaiveDate,
    pub note: Option<String>,
    /// Only for this university's students.
    pub restricted: bool,
}

impl Store {
    /// Projects the university's confirmed students applied to, those it
    /// features and those arranged for its students: featured or arranged
    /// and open first, then most applicants from the university. At most
    /// `limit`.
    pub async fn portal_projects(
        &self,
        university_id: i64,
        limit: i64,
    ) -> StoreResult<Vec<PortalProject>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "WITH mine AS (
                    SELECT a.project_id, COUNT(*) AS applicants,
                      SUM(CASE WHEN a.status = 'hired' THEN 1 ELSE 0 END) AS hired
                    FROM applications a JOIN affiliations af ON af.student_id = a.student_id
                    WHERE af.university_id = $1 AND af.status = 'confirmed'
                    GROUP BY a.project_id)
                 SELECT p.id AS project_id, p.title, o.id AS org_id, o.name AS org_name, o.slug AS org_slug, p.status, p.category,
                   p.price_minor, p.currency, p.application_deadline,
                   COALESCE(m.applicants, 0) AS applicants, COALESCE(m.hired, 0) AS hired,
                   (f.project_id IS NOT NULL) AS featured, (p.restricted_to IS NOT NULL) AS restricted, f.note
                 FROM projects p JOIN organizations o ON o.id = p.org_id
                 LEFT JOIN mine m ON m.project_id = p.id
                 LEFT JOIN featured_projects f ON f.project_id = p.id AND f.university_id = $1
                 WHERE p.id IN (SELECT project_id FROM mine
                                UNION SELECT project_id FROM featured_projects WHERE university_id = $1
                                UNION SELECT id FROM projects WHERE restricted_to = $1)
                   AND p.status <> 'draft'
                 ORDER BY (CASE WHEN (f.project_id IS NOT NULL OR p.restricted_to IS NOT NULL) AND p.status = 'open' THEN 0 ELSE 1 END),
                   (CASE WHEN p.status = 'open' THEN 0 ELSE 1 END), COALESCE(m.applicants, 0) DESC, p.id DESC
                 LIMIT $2",
            )
            .bind(university_id)
            .bind(limit)
            .fetch_all(p)
            .await
        })?)
    }

    /// Features a project for the university's students (again: updates
    /// the note).
    pub async fn feature_project(
        &self,
        university_id: i64,
        project_id: i64,
        by: i64,
        note: Option<&str>,
    ) -> StoreResult<()> {
        let now = Utc::now();
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO featured_projects (university_id, project_id, note, featured_by, created_at)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (university_id, project_id) DO UPDATE SET note = excluded.note,
                   featured_by = excluded.featured_by",
            )
            .bind(university_id)
            .bind(project_id)
            .bind(note)
            .bind(by)
            .bind(now)
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    /// Stops featuring a project; whether it was featured.
    pub async fn unfeature_project(
        &self,
        university_id: i64,
        project_id: i64,
    ) -> StoreResult<bool> {
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "DELETE FROM featured_projects WHERE university_id = $1 AND project_id = $2",
            )
            .bind(university_id)
            .bind(project_id)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(n > 0)
    }

    /// Whether the university features the project.
    pub async fn is_featured(&self, university_id: i64, project_id: i64) -> StoreResult<bool> {
        let n: i64 = with_db!(self, read, |p| {
            sqlx::query_scalar("SELECT COUNT(*) FROM featured_projects WHERE university_id = $1 AND project_id = $2")
                .bind(university_id)
                .bind(project_id)
                .fetch_one(p)
                .await
        })?;
        Ok(n > 0)
    }

    /// The open projects arranged for the university's students (first) and
    /// those it features, newest first.
    pub async fn featured_projects(&self, university_id: i64) -> StoreResult<Vec<FeaturedProject>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT p.id AS project_id, p.title, p.summary, o.name AS org_name, p.price_minor, p.currency,
                   p.estimated_hours, p.application_deadline, f.note, (p.restricted_to IS NOT NULL) AS restricted
                 FROM projects p JOIN organizations o ON o.id = p.org_id
                 LEFT JOIN featured_projects f ON f.project_id = p.id AND f.university_id = $1
                 WHERE p.status = 'open'
                   AND p.id IN (SELECT project_id FROM featured_projects WHERE university_id = $1
                                UNION SELECT id FROM projects WHERE restricted_to = $1 AND status = 'open')
                 ORDER BY (CASE WHEN p.restricted_to IS NULL THEN 1 ELSE 0 END),
                   COALESCE(f.created_at, p.published_at) DESC, p.id DESC LIMIT 50",
            )
            .bind(university_id)
            .fetch_all(p)
            .await
        })?)
    }
}
