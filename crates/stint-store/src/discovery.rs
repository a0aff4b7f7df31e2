//! What discovery reads: open projects that could match a student (by the
//! indexed category and skills), students who could match a new project (by
//! `student_match_keys`), the projects a student hid, the alerts already
//! sent, and what a student has tried so far. Scoring itself is the domain's
//! (`stint_domain::matching`); the store only narrows the candidates.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use stint_domain::money::Money;
use stint_domain::profile::StudentProfile;
use stint_domain::project::WorkMode;

use crate::projects::{currency_of, mode_of};
use crate::{Store, StoreResult, push_in, split_list, with_db};

/// The fields matching needs, and what a suggestion card shows.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub id: i64,
    pub title: String,
    pub summary: String,
    pub category: String,
    pub required_skills: Vec<String>,
    pub preferred_skills: Vec<String>,
    pub estimated_hours: u16,
    pub start_date: NaiveDate,
    pub due_date: NaiveDate,
    pub application_deadline: NaiveDate,
    pub price: Money,
    pub work_mode: WorkMode,
    pub location: Option<String>,
    pub org_name: String,
    pub org_slug: String,
}

#[derive(sqlx::FromRow)]
struct CandidateRow {
    id: i64,
    title: String,
    summary: String,
    category: String,
    required_skills: String,
    preferred_skills: String,
    estimated_hours: i32,
    start_date: NaiveDate,
    due_date: NaiveDate,
    application_deadline: NaiveDate,
    price_minor: i64,
    currency: String,
    work_mode: String,
    location: Option<String>,
    org_name: String,
    org_slug: String,
}

impl From<CandidateRow> for Candidate {
    fn from(r: CandidateRow) -> Self {
        Candidate {
            id: r.id,
            title: r.title,
            summary: r.summary,
            category: r.category,
            required_skills: split_list(&r.required_skills),
            preferred_skills: split_list(&r.preferred_skills),
            estimated_hours: u16::try_from(r.estimated_hours).unwrap_or(1),
            start_date: r.start_date,
            due_date: r.due_date,
            application_deadline: r.application_deadline,
            price: Money::new(r.price_minor, currency_of(&r.currency)),
            work_mode: mode_of(&r.work_mode),
            location: r.location,
            org_name: r.org_name,
            org_slug: r.org_slug,
        }
    }
}

/// Which open projects to consider for a student.
#[derive(Debug, Clone)]
pub enum Pool<'a> {
    /// In one of these categories, or requiring one of these skills.
    Related {
        categories: &'a [String],
        skills: &'a [String],
    },
    /// Outside these categories (career exploration).
    Outside { categories: &'a [String] },
    /// Exactly these projects (comparing).
    Ids(&'a [i64]),
}

/// One category's history for a student.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Tried {
    /// A category or skill slug.
    pub slug: String,
    pub applied: i64,
    pub hired: i64,
    pub completed: i64,
}

/// A student to consider alerting, with what matching needs.
#[derive(Debug, Clone)]
pub struct AlertCandidate {
    pub user_id: i64,
    pub profile: StudentProfile,
}

#[derive(sqlx::FromRow)]
struct AlertRow {
    user_id: i64,
    skills: String,
    interests: String,
    area_of_study: Option<String>,
    availability_hours: Option<i32>,
    location: Option<String>,
}

const CANDIDATE_COLS: &str = "SELECT p.id, p.title, p.summary, p.category, p.required_skills, p.preferred_skills,
        p.estimated_hours, p.start_date, p.due_date, p.application_deadline, p.price_minor, p.currency, p.work_mode,
        p.location, o.name AS org_name, o.slug AS org_slug
    FROM projects p JOIN organizations o ON o.id = p.org_id";

impl Store {
    /// Open projects a student has not applied to nor hidden, still taking
    /// applications on `today`, from `pool`, newest first, at most `limit`.
    pub async fn match_candidates(
        &self,
        student_id: i64,
        pool: Pool<'_>,
        today: NaiveDate,
        limit: i64,
    ) -> StoreResult<Vec<Candidate>> {
        let rows: Vec<CandidateRow> = with_db!(self, read, |p| {
            let mut qb = sqlx::QueryBuilder::new(CANDIDATE_COLS);
            match &pool {
                Pool::Ids(ids) => {
                    qb.push(" WHERE p.status <> 'draft' AND p.id");
                    push_in!(qb, ids);
                }
                Pool::Related { categories, skills } => {
                    qb.push(" WHERE p.status = 'open' AND p.application_deadline >= ")
                        .push_bind(today)
                        .push(" AND (p.category");
                    push_in!(qb, categories);
                    // The skills are tested on the row's own skill lists, not
                    // with a subquery: PostgreSQL would hash every project's
                    // skills (closed ones too) before walking the newest open
                    // projects; this way the walk stops after `limit` hits.
                    for skill in skills.iter() {
                        let pattern = skill
                            .replace('\\', "\\\\")
                            .replace('%', "\\%")
                            .replace('_', "\\_");
                        qb.push(" OR (',' || p.required_skills || ',' || p.preferred_skills || ',') LIKE ")
                            .push_bind(format!("%,{pattern},%"))
                            .push(" ESCAPE '\\'");
                    }
                    qb.push(")");
                }
                Pool::Outside { categories } => {
                    qb.push(" WHERE p.status = 'open' AND p.application_deadline >= ")
                        .push_bind(today);
                    if !categories.is_empty() {
                        qb.push(" AND p.category NOT");
                        push_in!(qb, categories);
                    }
                }
            }
            // A project arranged with a university: only for its own
            // confirmed students.
            qb.push(" AND (p.restricted_to IS NULL OR p.restricted_to IN (SELECT af.university_id FROM affiliations af WHERE af.student_id = ")
                .push_bind(student_id)
                .push(" AND af.status = 'confirmed'))");
            // An invite-only project: only for the students it invited.
            qb.push(" AND (NOT p.invite_only OR EXISTS (SELECT 1 FROM invitations iv WHERE iv.project_id = p.id AND iv.student_id = ")
                .push_bind(student_id)
                .push(" AND iv.status <> 'withdrawn'))");
            if !matches!(pool, Pool::Ids(_)) {
                qb.push(" AND NOT EXISTS (SELECT 1 FROM hidden_projects h WHERE h.student_id = ")
                    .push_bind(student_id)
                    .push(" AND h.project_id = p.id) AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.student_id = ")
                    .push_bind(student_id)
                    .push(" AND a.project_id = p.id) ORDER BY p.published_at DESC, p.id DESC LIMIT ")
                    .push_bind(limit);
            }
            qb.build_query_as().fetch_all(p).await
        })?;
        Ok(rows.into_iter().map(Candidate::from).collect())
    }

    /// Hides a project from a student's matches ("not interested"); hiding
    /// twice is harmless.
    pub async fn hide_project(&self, student_id: i64, project_id: i64) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO hidden_projects (student_id, project_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(student_id)
            .bind(project_id)
            .bind(Utc::now())
            .execute(p)
            .await
            .map(|_| ())
        })?;
        Ok(())
    }

    pub async fn unhide_project(&self, student_id: i64, project_id: i64) -> StoreResult<()> {
        with_db!(self, write, |p| {
            sqlx::query("DELETE FROM hidden_projects WHERE student_id = $1 AND project_id = $2")
                .bind(student_id)
                .bind(project_id)
                .execute(p)
                .await
                .map(|_| ())
        })?;
        Ok(())
    }

    /// Per category, how often the student applied, was hired and completed
    /// (approved or paid), most applied first.
    pub async fn tried_categories(&self, student_id: i64) -> StoreResult<Vec<Tried>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT p.category AS slug, CAST(COUNT(*) AS BIGINT) AS applied,
                    CAST(SUM(CASE WHEN a.status = 'hired' THEN 1 ELSE 0 END) AS BIGINT) AS hired,
                    CAST(SUM(CASE WHEN e.status IN ('approved', 'paid') THEN 1 ELSE 0 END) AS BIGINT) AS completed
                 FROM applications a JOIN projects p ON p.id = a.project_id
                 LEFT JOIN engagements e ON e.application_id = a.id
                 WHERE a.student_id = $1 GROUP BY p.category ORDER BY applied DESC, p.category",
            )
            .bind(student_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// The same per required skill of the projects applied to.
    pub async fn tried_skills(&self, student_id: i64) -> StoreResult<Vec<Tried>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT ps.skill AS slug, CAST(COUNT(*) AS BIGINT) AS applied,
                    CAST(SUM(CASE WHEN a.status = 'hired' THEN 1 ELSE 0 END) AS BIGINT) AS hired,
                    CAST(SUM(CASE WHEN e.status IN ('approved', 'paid') THEN 1 ELSE 0 END) AS BIGINT) AS completed
                 FROM applications a JOIN project_skills ps ON ps.project_id = a.project_id AND ps.required = TRUE
                 LEFT JOIN engagements e ON e.application_id = a.id
                 WHERE a.student_id = $1 GROUP BY ps.skill ORDER BY applied DESC, ps.skill LIMIT 20",
            )
            .bind(student_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// Students with any of `keys` (`skill:…`, `cat:…`), with the profile
    /// fields matching needs; with `university`, only its confirmed
    /// students (a project arranged for them).
    pub async fn alert_candidates(
        &self,
        keys: &[String],
        university: Option<i64>,
    ) -> StoreResult<Vec<AlertCandidate>> {
        let rows: Vec<AlertRow> = with_db!(self, read, |p| {
            let mut qb = sqlx::QueryBuilder::new(
                "SELECT s.user_id, s.skills, s.interests, s.area_of_study, s.availability_hours, s.location
                 FROM student_profiles s JOIN users u ON u.id = s.user_id
                 WHERE u.role = 'student' AND s.user_id IN (SELECT k.user_id FROM student_match_keys k WHERE k.match_key",
            );
            push_in!(qb, keys);
            qb.push(")");
            if let Some(u) = university {
                qb.push(" AND s.user_id IN (SELECT af.student_id FROM affiliations af WHERE af.university_id = ")
                    .push_bind(u)
                    .push(" AND af.status = 'confirmed')");
            }
            qb.build_query_as().fetch_all(p).await
        })?;
        Ok(rows
            .into_iter()
            .map(|r| AlertCandidate {
                user_id: r.user_id,
                profile: StudentProfile {
                    skills: split_list(&r.skills),
                    interests: split_list(&r.interests),
                    area_of_study: r.area_of_study,
                    availability_hours: r.availability_hours,
                    location: r.location,
                    ..Default::default()
                },
            })
            .collect())
    }

    /// Records one alert for (project, student); `false` when it was sent
    /// before, so each student hears about a project once.
    pub async fn record_alert(
        &self,
        project_id: i64,
        student_id: i64,
        score: u8,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "INSERT INTO project_alerts (project_id, student_id, score, created_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT DO NOTHING",
            )
            .bind(project_id)
            .bind(student_id)
            .bind(i32::from(score))
            .bind(at)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        Ok(n == 1)
    }

    /// How many alerts a student has had since `since`.
    pub async fn alerts_since(&self, student_id: i64, since: DateTime<Utc>) -> StoreResult<i64> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_scalar(
                "SELECT COUNT(*) FROM project_alerts WHERE student_id = $1 AND created_at >= $2",
            )
            .bind(student_id)
            .bind(since)
            .fetch_one(p)
            .await
        })?)
    }
}
