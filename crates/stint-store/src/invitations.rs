//! Students who chose to be found by employers, and employers' invitations
//! to apply (migration 30). A student's reach is theirs alone; an
//! invitation is read by the organization that sent it and the student it
//! names, nobody else.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use stint_domain::talent::FindFilter;

use crate::error::OptionalExt;
use crate::{Store, StoreError, StoreResult, split_list, with_db};

/// A student's choices about being found and invited, with when each was
/// last made (`None`: never chosen, so the default holds).
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Reach {
    pub discoverable: bool,
    pub discoverable_changed_at: Option<DateTime<Utc>>,
    pub invitations: bool,
    pub invitations_changed_at: Option<DateTime<Utc>>,
}

impl Default for Reach {
    fn default() -> Self {
        Reach {
            discoverable: false,
            discoverable_changed_at: None,
            invitations: true,
            invitations_changed_at: None,
        }
    }
}

/// A discoverable student as employers find them.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct FoundStudent {
    pub student_id: i64,
    pub name: String,
    pub headline: Option<String>,
    #[serde(skip)]
    pub skills_text: Option<String>,
    #[sqlx(skip)]
    pub skills: Vec<String>,
    #[serde(skip)]
    pub interests_text: Option<String>,
    #[sqlx(skip)]
    pub interests: Vec<String>,
    pub area_of_study: Option<String>,
    pub availability_hours: Option<i32>,
    pub location: Option<String>,
    /// The university, only when the affiliation is confirmed.
    pub university: Option<String>,
    /// Engagements on Stint that were approved, with any employer.
    pub completed: i64,
    /// Whether the student takes invitations.
    pub invitations: bool,
}

/// An invitation to apply, as either side reads it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ProjectInvitation {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub project_id: i64,
    pub project_title: String,
    pub student_id: i64,
    pub student_name: String,
    /// `None` when the sender's account is gone.
    pub sender_name: Option<String>,
    pub note: String,
    /// apply (to apply as anyone would) | direct (the place itself, on an
    /// invite-only project)
    pub kind: String,
    /// What the employer confirmed paying for a direct offer, in minor
    /// units of the project's currency.
    pub quoted_total_minor: Option<i64>,
    /// sent | applied (for a direct offer: accepted, and hired) | declined |
    /// withdrawn (direct offers only)
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// The columns of a `ProjectInvitation`, over `invitations i`.
macro_rules! invitation_select {
    () => {
        "SELECT i.id, i.org_id, o.name AS org_name, i.project_id, p.title AS project_title,
        i.student_id, su.name AS student_name, se.name AS sender_name, i.note, i.kind, i.quoted_total_minor, i.status, i.created_at, i.answered_at
   FROM invitations i JOIN organizations o ON o.id = i.org_id JOIN projects p ON p.id = i.project_id
   JOIN users su ON su.id = i.student_id LEFT JOIN users se ON se.id = i.sender_id"
    };
}

/// An invitation about to be sent.
#[derive(Debug, Clone, Copy)]
pub struct NewInvitation<'a> {
    pub org_id: i64,
    pub project_id: i64,
    pub student_id: i64,
    pub sender_id: i64,
    pub note: &'a str,
    /// `Some(total)`: a direct offer of the place, at this total the
    /// employer confirmed; `None`: an invitation to apply.
    pub direct_total_minor: Option<i64>,
}

/// Candidates read for one search before ranking.
pub const FIND_CANDIDATES: i64 = 500;

impl Store {
    /// The student's choices (the defaults when they made none).
    pub async fn reach(&self, student_id: i64) -> StoreResult<Reach> {
        let row: Option<Reach> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT discoverable, discoverable_changed_at, invitations, invitations_changed_at
                   FROM student_reach WHERE student_id = $1",
            )
            .bind(student_id)
            .fetch_one(p)
            .await
            .optional()
        })?;
        Ok(row.unwrap_or_default())
    }

    /// Records the student's choices; each one's time changes only when the
    /// choice does (a first choice is recorded either way).
    pub async fn set_reach(
        &self,
        student_id: i64,
        discoverable: bool,
        invitations: bool,
    ) -> StoreResult<Reach> {
        let now = Utc::now();
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO student_reach (student_id, discoverable, discoverable_changed_at, invitations, invitations_changed_at)
                 VALUES ($1, $2, $4, $3, $4)
                 ON CONFLICT (student_id) DO UPDATE SET
                   discoverable_changed_at = CASE WHEN student_reach.discoverable = excluded.discoverable
                       THEN student_reach.discoverable_changed_at ELSE excluded.discoverable_changed_at END,
                   discoverable = excluded.discoverable,
                   invitations_changed_at = CASE WHEN student_reach.invitations = excluded.invitations
                       THEN student_reach.invitations_changed_at ELSE excluded.invitations_changed_at END,
                   invitations = excluded.invitations",
            )
            .bind(student_id)
            .bind(discoverable)
            .bind(invitations)
            .bind(now)
            .execute(p)
            .await
            .map(|_| ())
        })?;
        self.reach(student_id).await
    }

    /// Discoverable students through `f`, the most recently updated profiles
    /// first, at most [`FIND_CANDIDATES`]; the caller ranks them.
    pub async fn find_students(&self, f: &FindFilter) -> StoreResult<Vec<FoundStudent>> {
        let mut rows: Vec<FoundStudent> = with_db!(self, read, |p| {
            let mut qb = sqlx::QueryBuilder::new(
                "SELECT u.id AS student_id, u.name, s.headline, s.skills AS skills_text, s.interests AS interests_text,
                        s.area_of_study, s.availability_hours, s.location,
                        (SELECT o.name FROM affiliations af JOIN organizations o ON o.id = af.university_id
                          WHERE af.student_id = u.id AND af.status = 'confirmed') AS university,
                        CAST((SELECT COUNT(*) FROM engagements e WHERE e.student_id = u.id
                               AND e.status IN ('approved', 'paid')) AS BIGINT) AS completed,
                        r.invitations
                   FROM student_reach r JOIN users u ON u.id = r.student_id
                   JOIN student_profiles s ON s.user_id = u.id
                  WHERE r.discoverable AND u.role = 'student' AND u.deactivated_at IS NULL",
            );
            if let Some(skill) = &f.skill {
                qb.push(" AND (',' || s.skills || ',') LIKE ")
                    .push_bind(format!("%,{skill},%"));
            }
            if let Some(field) = &f.field {
                qb.push(" AND (',' || s.interests || ',') LIKE ")
                    .push_bind(format!("%,{field},%"));
            }
            if let Some(h) = f.min_hours {
                qb.push(" AND s.availability_hours >= ").push_bind(h);
            }
            if let Some(u) = f.university_id {
                qb.push(
                    " AND EXISTS (SELECT 1 FROM affiliations af WHERE af.student_id = u.id
                       AND af.status = 'confirmed' AND af.university_id = ",
                )
                .push_bind(u)
                .push(")");
            }
            if let Some(loc) = &f.location {
                // Typed words are matched literally: LIKE's wildcards escaped.
                let escaped = loc
                    .to_lowercase()
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                qb.push(" AND LOWER(COALESCE(s.location, '')) LIKE ")
                    .push_bind(format!("%{escaped}%"))
                    .push(" ESCAPE '\\'");
            }
            qb.push(" ORDER BY s.updated_at DESC, u.id LIMIT ")
                .push_bind(FIND_CANDIDATES);
            qb.build_query_as().fetch_all(p).await
        })?;
        for r in &mut rows {
            r.skills = split_list(r.skills_text.as_deref().unwrap_or(""));
            r.interests = split_list(r.interests_text.as_deref().unwrap_or(""));
        }
        Ok(rows)
    }

    /// Sends an invitation unless the organization sent `per_day` in the
    /// last 24 hours (`Conflict("daily_limit")`) or already invited the
    /// student to this project (`Conflict("duplicate")`). Counting and
    /// inserting hold the organization's row lock, so two members sending at
    /// once cannot pass the limit together.
    pub async fn send_invitation(&self, new: &NewInvitation<'_>, per_day: i64) -> StoreResult<i64> {
        let NewInvitation {
            org_id,
            project_id,
            student_id,
            sender_id,
            note,
            direct_total_minor,
        } = *new;
        let now = Utc::now();
        let since = now - Duration::hours(24);
        with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                sqlx::query("UPDATE organizations SET id = id WHERE id = $1")
                    .bind(org_id)
                    .execute(&mut *tx)
                    .await?;
                let sent: i64 = sqlx::query_scalar(
                    "SELECT CAST(COUNT(*) AS BIGINT) FROM invitations WHERE org_id = $1 AND created_at > $2",
                )
                .bind(org_id)
                .bind(since)
                .fetch_one(&mut *tx)
                .await?;
                if sent >= per_day {
                    return Err(StoreError::Conflict("daily_limit"));
                }
                let id: Option<i64> = sqlx::query_scalar(
                    "INSERT INTO invitations (org_id, project_id, student_id, sender_id, note, status, created_at, kind, quoted_total_minor)
                     VALUES ($1, $2, $3, $4, $5, 'sent', $6, $7, $8)
                     ON CONFLICT (project_id, student_id) DO NOTHING RETURNING id",
                )
                .bind(org_id)
                .bind(project_id)
                .bind(student_id)
                .bind(sender_id)
                .bind(note)
                .bind(now)
                .bind(if direct_total_minor.is_some() { "direct" } else { "apply" })
                .bind(direct_total_minor)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(id) = id else {
                    return Err(StoreError::Conflict("duplicate"));
                };
                tx.commit().await?;
                Ok::<i64, StoreError>(id)
            }
            .await
        })
    }

    /// Invitations the organization sent in the last 24 hours.
    pub async fn invitations_sent_today(&self, org_id: i64) -> StoreResult<i64> {
        let since = Utc::now() - Duration::hours(24);
        Ok(with_db!(self, read, |p| {
            sqlx::query_scalar(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM invitations WHERE org_id = $1 AND created_at > $2",
            )
            .bind(org_id)
            .bind(since)
            .fetch_one(p)
            .await
        })?)
    }

    /// One invitation, whoever it concerns (callers check who asks).
    pub async fn invitation(&self, id: i64) -> StoreResult<ProjectInvitation> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(concat!(invitation_select!(), " WHERE i.id = $1"))
                .bind(id)
                .fetch_one(p)
                .await
        })?)
    }

    /// The student's invitation to a project, if any.
    pub async fn invitation_to(
        &self,
        project_id: i64,
        student_id: i64,
    ) -> StoreResult<Option<ProjectInvitation>> {
        with_db!(self, read, |p| {
            sqlx::query_as(concat!(
                invitation_select!(),
                " WHERE i.project_id = $1 AND i.student_id = $2"
            ))
            .bind(project_id)
            .bind(student_id)
            .fetch_one(p)
            .await
            .optional()
        })
    }

    /// The student's invitations, newest first.
    pub async fn student_invitations(
        &self,
        student_id: i64,
    ) -> StoreResult<Vec<ProjectInvitation>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(concat!(
                invitation_select!(),
                " WHERE i.student_id = $1 ORDER BY i.created_at DESC, i.id DESC LIMIT 200"
            ))
            .bind(student_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// The organization's invitations, newest first; only those to
    /// `student_id` when given.
    pub async fn org_invitations(
        &self,
        org_id: i64,
        student_id: Option<i64>,
        limit: i64,
    ) -> StoreResult<Vec<ProjectInvitation>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(concat!(
                invitation_select!(),
                " WHERE i.org_id = $1 AND ($2 IS NULL OR i.student_id = $2)
                  ORDER BY i.created_at DESC, i.id DESC LIMIT $3"
            ))
            .bind(org_id)
            .bind(student_id)
            .bind(limit)
            .fetch_all(p)
            .await
        })?)
    }

    /// The student declines an invitation still open; `NotFound` when it is
    /// not theirs, `Conflict("answered")` when they applied already.
    pub async fn decline_invitation(&self, id: i64, student_id: i64) -> StoreResult<()> {
        let now = Utc::now();
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE invitations SET status = 'declined', answered_at = $3
                  WHERE id = $1 AND student_id = $2 AND status = 'sent'",
            )
            .bind(id)
            .bind(student_id)
            .bind(now)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        if n == 1 {
            return Ok(());
        }
        let found = self.invitation(id).await.optional_store()?;
        match found {
            Some(i) if i.student_id == student_id && i.status == "declined" => Ok(()),
            Some(i) if i.student_id == student_id => Err(StoreError::Conflict("answered")),
            _ => Err(StoreError::NotFound),
        }
    }

    /// The organization withdraws a direct offer the student has not
    /// answered; `NotFound` when it is not the organization's direct offer,
    /// `Conflict("answered")` when the student answered first.
    pub async fn withdraw_invitation(&self, id: i64, org_id: i64) -> StoreResult<()> {
        let now = Utc::now();
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE invitations SET status = 'withdrawn', answered_at = $3
                  WHERE id = $1 AND org_id = $2 AND kind = 'direct' AND status = 'sent'",
            )
            .bind(id)
            .bind(org_id)
            .bind(now)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        if n == 1 {
            return Ok(());
        }
        match self.invitation(id).await.optional_store()? {
            Some(i) if i.org_id == org_id && i.kind == "direct" && i.status == "withdrawn" => {
                Ok(())
            }
            Some(i) if i.org_id == org_id && i.kind == "direct" => {
                Err(StoreError::Conflict("answered"))
            }
            _ => Err(StoreError::NotFound),
        }
    }
}

/// `Ok(None)` for `NotFound`, for store results.
trait OptionalStore<T> {
    fn optional_store(self) -> StoreResult<Option<T>>;
}

impl<T> OptionalStore<T> for StoreResult<T> {
    fn optional_store(self) -> StoreResult<Option<T>> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
