//! An employer's talent pool (migration 29): the students who completed
//! work for the organization, were hired or shortlisted by it (kept by
//! triggers as those facts happen), and the members' private tags and
//! notes. Every query here is scoped by the organization: nothing about one
//! organization's pool is read for another.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;
use stint_domain::talent::PoolFilter;

use crate::error::OptionalExt;
use crate::{Store, StoreError, StoreResult, push_in, split_list, with_db};

/// A student in the pool, as its organization sees them.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PoolStudent {
    pub student_id: i64,
    pub name: String,
    pub headline: Option<String>,
    #[serde(skip)]
    pub skills_text: Option<String>,
    #[sqlx(skip)]
    pub skills: Vec<String>,
    pub availability_hours: Option<i32>,
    pub location: Option<String>,
    /// "shortlisted", "hired" or "completed".
    pub reason: String,
    pub added_at: DateTime<Utc>,
    /// The university, only when the affiliation is confirmed.
    pub university: Option<String>,
    /// Engagements with this organization that were approved.
    pub completed: i64,
    /// The organization's mean rating of the student's work (the mean of
    /// each review's three ratings), if it has reviewed them.
    pub rating: Option<f64>,
    pub notes: i64,
    #[sqlx(skip)]
    pub tags: Vec<String>,
}

/// A member's note about a student in the pool.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct TalentNote {
    pub id: i64,
    pub author_id: Option<i64>,
    /// `None` when the author's account is gone.
    pub author_name: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// One project of a pooled student's history with the organization: an
/// engagement, or an application that did not lead to one.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct PoolWork {
    pub project_id: i64,
    pub title: String,
    /// The engagement, when the student was hired.
    pub engagement_id: Option<i64>,
    /// The engagement's status when hired, else the application's.
    pub status: String,
    /// When the engagement began, or the application was sent.
    pub started_at: DateTime<Utc>,
    pub approved_at: Option<DateTime<Utc>>,
    /// The organization's rating of this work (mean of its three ratings).
    pub rating: Option<f64>,
}

/// The columns of a `PoolStudent`, over `talent_pool tp`, `users u` and
/// `student_profiles s`.
macro_rules! pool_select {
    () => {
        "SELECT tp.student_id, u.name, s.headline, s.skills AS skills_text, s.availability_hours, s.location,
           tp.reason, tp.added_at,
           (SELECT o.name FROM affiliations af JOIN organizations o ON o.id = af.university_id
             WHERE af.student_id = tp.student_id AND af.status = 'confirmed') AS university,
           CAST((SELECT COUNT(*) FROM engagements e WHERE e.org_id = tp.org_id AND e.student_id = tp.student_id
                   AND e.status IN ('approved', 'paid')) AS BIGINT) AS completed,
           CAST((SELECT AVG((r.rating_1 + r.rating_2 + r.rating_3) / 3.0) FROM reviews r
                   JOIN engagements e ON e.id = r.engagement_id
                  WHERE r.direction = 'of_student' AND e.org_id = tp.org_id AND e.student_id = tp.student_id)
                AS DOUBLE PRECISION) AS rating,
           CAST((SELECT COUNT(*) FROM talent_notes n WHERE n.org_id = tp.org_id AND n.student_id = tp.student_id)
                AS BIGINT) AS notes
         FROM talent_pool tp JOIN users u ON u.id = tp.student_id
         LEFT JOIN student_profiles s ON s.user_id = tp.student_id"
    };
}

/// The organization's mean rating of a student, for filtering.
const RATING: &str = "(SELECT AVG((r.rating_1 + r.rating_2 + r.rating_3) / 3.0) FROM reviews r
    JOIN engagements e ON e.id = r.engagement_id
   WHERE r.direction = 'of_student' AND e.org_id = tp.org_id AND e.student_id = tp.student_id)";

impl Store {
    /// The organization's pool through `f`, strongest reason first, then the
    /// most recently added, one page at a time (`limit` + 1 rows tell
    /// whether another page follows), and how many match in all.
    pub async fn talent_pool(
        &self,
        org_id: i64,
        f: &PoolFilter,
        limit: i64,
        offset: i64,
    ) -> StoreResult<(Vec<PoolStudent>, i64)> {
        macro_rules! filtered {
            ($qb:expr) => {{
                $qb.push(" WHERE tp.org_id = ").push_bind(org_id);
                // Accounts a directory deactivated are not offered.
                $qb.push(
                    " AND NOT EXISTS (SELECT 1 FROM users d WHERE d.id = tp.student_id AND d.deactivated_at IS NOT NULL)",
                );
                if let Some(skill) = &f.skill {
                    // Skills are stored as "a,b,c"; the slug is from the taxonomy.
                    $qb.push(" AND (',' || COALESCE(s.skills, '') || ',') LIKE ")
                        .push_bind(format!("%,{skill},%"));
                }
                if let Some(tag) = &f.tag {
                    $qb.push(
                        " AND EXISTS (SELECT 1 FROM talent_tags t WHERE t.org_id = tp.org_id
                           AND t.student_id = tp.student_id AND t.tag = ",
                    )
                    .push_bind(tag.clone())
                    .push(")");
                }
                if let Some(r) = f.min_rating {
                    $qb.push(format!(" AND {RATING} >= "))
                        .push_bind(f64::from(r));
                }
                if let Some(h) = f.min_hours {
                    $qb.push(" AND s.availability_hours >= ").push_bind(h);
                }
                if let Some(u) = f.university_id {
                    $qb.push(
                        " AND EXISTS (SELECT 1 FROM affiliations af WHERE af.student_id = tp.student_id
                           AND af.status = 'confirmed' AND af.university_id = ",
                    )
                    .push_bind(u)
                    .push(")");
                }
                if let Some(reason) = f.reason {
                    $qb.push(" AND tp.reason = ").push_bind(reason.as_str());
                }
            }};
        }
        let mut rows: Vec<PoolStudent> = with_db!(self, read, |p| {
            let mut qb = sqlx::QueryBuilder::new(pool_select!());
            filtered!(qb);
            qb.push(
                " ORDER BY CASE tp.reason WHEN 'completed' THEN 0 WHEN 'hired' THEN 1 ELSE 2 END,
                   tp.added_at DESC, tp.student_id LIMIT ",
            )
            .push_bind(limit + 1)
            .push(" OFFSET ")
            .push_bind(offset);
            qb.build_query_as().fetch_all(p).await
        })?;
        let total: i64 = with_db!(self, read, |p| {
            let mut qb = sqlx::QueryBuilder::new(
                "SELECT COUNT(*) FROM talent_pool tp LEFT JOIN student_profiles s ON s.user_id = tp.student_id",
            );
            filtered!(qb);
            qb.build_query_scalar().fetch_one(p).await
        })?;
        self.fill_talent(org_id, &mut rows).await?;
        Ok((rows, total))
    }

    /// One student of the organization's pool (`None`: not in it).
    pub async fn talent_student(
        &self,
        org_id: i64,
        student_id: i64,
    ) -> StoreResult<Option<PoolStudent>> {
        let row: Option<PoolStudent> = with_db!(self, read, |p| {
            sqlx::query_as(concat!(
                pool_select!(),
                " WHERE tp.org_id = $1 AND tp.student_id = $2"
            ))
            .bind(org_id)
            .bind(student_id)
            .fetch_one(p)
            .await
            .optional()
        })?;
        let mut rows: Vec<PoolStudent> = row.into_iter().collect();
        self.fill_talent(org_id, &mut rows).await?;
        Ok(rows.pop())
    }

    /// Splits the skills and reads the tags of these students.
    async fn fill_talent(&self, org_id: i64, rows: &mut [PoolStudent]) -> StoreResult<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = rows.iter().map(|r| r.student_id).collect();
        let tags: Vec<(i64, String)> = with_db!(self, read, |p| {
            let mut qb =
                sqlx::QueryBuilder::new("SELECT student_id, tag FROM talent_tags WHERE org_id = ");
            qb.push_bind(org_id).push(" AND student_id");
            push_in!(qb, &ids);
            qb.push(" ORDER BY tag");
            qb.build_query_as().fetch_all(p).await
        })?;
        let mut by_student: HashMap<i64, Vec<String>> = HashMap::new();
        for (id, tag) in tags {
            by_student.entry(id).or_default().push(tag);
        }
        for r in rows {
            r.skills = split_list(r.skills_text.as_deref().unwrap_or(""));
            r.tags = by_student.remove(&r.student_id).unwrap_or_default();
        }
        Ok(())
    }

    /// The student's projects with the organization, newest first (the
    /// caller has checked the student is in its pool).
    pub async fn talent_history(&self, org_id: i64, student_id: i64) -> StoreResult<Vec<PoolWork>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT e.project_id, p.title, e.id AS engagement_id, e.status, e.created_at AS started_at,
                        e.approved_at,
                        CAST((SELECT (r.rating_1 + r.rating_2 + r.rating_3) / 3.0 FROM reviews r
                               WHERE r.engagement_id = e.id AND r.direction = 'of_student') AS DOUBLE PRECISION) AS rating
                   FROM engagements e JOIN projects p ON p.id = e.project_id
                  WHERE e.org_id = $1 AND e.student_id = $2
                 UNION ALL
                 SELECT a.project_id, p.title, NULL, a.status, a.created_at, NULL, NULL
                   FROM applications a JOIN projects p ON p.id = a.project_id
                  WHERE p.org_id = $1 AND a.student_id = $2
                    AND NOT EXISTS (SELECT 1 FROM engagements e
                                     WHERE e.project_id = a.project_id AND e.student_id = a.student_id)
                 ORDER BY 5 DESC, 1 DESC",
            )
            .bind(org_id)
            .bind(student_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// The skills on the pooled students' profiles, most common first:
    /// (slug, students).
    pub async fn talent_skills(&self, org_id: i64) -> StoreResult<Vec<(String, i64)>> {
        let lists: Vec<Option<String>> = with_db!(self, read, |p| {
            sqlx::query_scalar(
                "SELECT s.skills FROM talent_pool tp JOIN student_profiles s ON s.user_id = tp.student_id
                  WHERE tp.org_id = $1",
            )
            .bind(org_id)
            .fetch_all(p)
            .await
        })?;
        let mut counts: HashMap<String, i64> = HashMap::new();
        for list in lists.iter().flatten() {
            for skill in split_list(list) {
                *counts.entry(skill).or_default() += 1;
            }
        }
        let mut out: Vec<(String, i64)> = counts.into_iter().collect();
        out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(out)
    }

    /// Every tag the organization uses, with how many students carry it.
    pub async fn talent_tags(&self, org_id: i64) -> StoreResult<Vec<(String, i64)>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT tag, CAST(COUNT(*) AS BIGINT) FROM talent_tags WHERE org_id = $1 GROUP BY tag ORDER BY tag",
            )
            .bind(org_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// The universities (confirmed affiliations) among the pool, for the
    /// filter: (id, name).
    pub async fn talent_universities(&self, org_id: i64) -> StoreResult<Vec<(i64, String)>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT DISTINCT o.id, o.name FROM talent_pool tp
                   JOIN affiliations af ON af.student_id = tp.student_id AND af.status = 'confirmed'
                   JOIN organizations o ON o.id = af.university_id
                  WHERE tp.org_id = $1 ORDER BY o.name",
            )
            .bind(org_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// Replaces a pooled student's tags; `NotFound` when the student is not
    /// in the organization's pool.
    pub async fn set_talent_tags(
        &self,
        org_id: i64,
        student_id: i64,
        tags: &[String],
    ) -> StoreResult<()> {
        Ok(with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                // Setting a column to itself locks the pool row (PostgreSQL;
                // SQLite has one writer), so two replacements at once end
                // with the later list, not a mix of both.
                let pooled = sqlx::query(
                    "UPDATE talent_pool SET reason = reason WHERE org_id = $1 AND student_id = $2",
                )
                .bind(org_id)
                .bind(student_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if pooled == 0 {
                    return Err(StoreError::NotFound);
                }
                sqlx::query("DELETE FROM talent_tags WHERE org_id = $1 AND student_id = $2")
                    .bind(org_id)
                    .bind(student_id)
                    .execute(&mut *tx)
                    .await?;
                for tag in tags {
                    sqlx::query(
                        "INSERT INTO talent_tags (org_id, student_id, tag) VALUES ($1, $2, $3)
                         ON CONFLICT DO NOTHING",
                    )
                    .bind(org_id)
                    .bind(student_id)
                    .bind(tag)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                Ok::<(), StoreError>(())
            }
            .await
        })?)
    }

    /// The members' notes about a pooled student, newest first.
    pub async fn talent_notes(&self, org_id: i64, student_id: i64) -> StoreResult<Vec<TalentNote>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT n.id, n.author_id, u.name AS author_name, n.body, n.created_at
                   FROM talent_notes n LEFT JOIN users u ON u.id = n.author_id
                  WHERE n.org_id = $1 AND n.student_id = $2 ORDER BY n.created_at DESC, n.id DESC",
            )
            .bind(org_id)
            .bind(student_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// Adds a note; `NotFound` when the student is not in the pool.
    pub async fn add_talent_note(
        &self,
        org_id: i64,
        student_id: i64,
        author_id: i64,
        body: &str,
    ) -> StoreResult<i64> {
        let now = Utc::now();
        let id: Option<i64> = with_db!(self, write, |p| {
            sqlx::query_scalar(
                "INSERT INTO talent_notes (org_id, student_id, author_id, body, created_at)
                 SELECT org_id, student_id, $3, $4, $5 FROM talent_pool WHERE org_id = $1 AND student_id = $2
                 RETURNING id",
            )
            .bind(org_id)
            .bind(student_id)
            .bind(author_id)
            .bind(body)
            .bind(now)
            .fetch_one(p)
            .await
            .optional()
        })?;
        id.ok_or(StoreError::NotFound)
    }

    /// Deletes a note its author wrote; `NotFound` otherwise (another
    /// organization's note, another member's, or none).
    pub async fn delete_talent_note(
        &self,
        org_id: i64,
        note_id: i64,
        author_id: i64,
    ) -> StoreResult<()> {
        let n = with_db!(self, write, |p| {
            sqlx::query("DELETE FROM talent_notes WHERE id = $1 AND org_id = $2 AND author_id = $3")
                .bind(note_id)
                .bind(org_id)
                .bind(author_id)
                .execute(p)
                .await
                .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        Ok(())
    }
}
