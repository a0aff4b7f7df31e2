//! Bulk loading for benchmarks: many organizations, projects, students and
//! applications in large multi-row inserts, one transaction per batch, with
//! the search index filled for the open projects. Nothing here is used to
//! serve requests; the benchmark's data generator (`stint bench-data`) calls
//! it so that a million projects load in minutes, not hours.

use chrono::{DateTime, NaiveDate, Utc};

use crate::{Db, Store, StoreResult};

/// One project to load, already valid.
#[derive(Debug, Clone)]
pub struct SeedProject {
    pub org_id: i64,
    pub created_by: i64,
    /// `open` or `closed`.
    pub status: &'static str,
    pub title: String,
    pub summary: String,
    pub brief: String,
    pub deliverables: String,
    pub acceptance_criteria: String,
    pub category: &'static str,
    pub required: Vec<&'static str>,
    pub preferred: Vec<&'static str>,
    pub hours: i32,
    pub start: NaiveDate,
    pub due: NaiveDate,
    pub price_minor: i64,
    pub currency: &'static str,
    pub price_usd_cents: i64,
    pub work_mode: &'static str,
    pub location: Option<String>,
    pub deadline: NaiveDate,
    pub decision_by: NaiveDate,
    pub for_credit: bool,
    pub published_at: DateTime<Utc>,
}

/// One student to load.
#[derive(Debug, Clone)]
pub struct SeedStudent {
    pub email: String,
    pub name: String,
    pub skills: Vec<&'static str>,
    pub interests: Vec<&'static str>,
    pub area_of_study: &'static str,
    pub hours: i32,
    pub location: &'static str,
}

impl Store {
    /// Verified employer organizations, each with one owner; returns
    /// (org id, owner id) pairs.
    pub async fn seed_orgs(
        &self,
        n: usize,
        password_hash: &str,
        prefix: &str,
    ) -> StoreResult<Vec<(i64, i64)>> {
        let now = Utc::now();
        let mut out = Vec::with_capacity(n);
        for chunk in (0..n).collect::<Vec<_>>().chunks(500) {
            let pairs: Vec<(i64, i64)> = crate::with_db!(self, write, |p| {
                async {
                    let mut tx = p.begin().await?;
                    let mut qb = sqlx::QueryBuilder::new(
                        "INSERT INTO users (email, password_hash, name, role, email_verified_at, created_at) ",
                    );
                    qb.push_values(chunk, |mut b, i| {
                        b.push_bind(format!("owner{i}@{prefix}.bench"))
                            .push_bind(password_hash)
                            .push_bind(format!("Owner {i}"))
                            .push_bind("employer")
                            .push_bind(now)
                            .push_bind(now);
                    });
                    qb.push(" RETURNING id");
                    let users: Vec<i64> = qb.build_query_scalar().fetch_all(&mut *tx).await?;
                    let mut qb = sqlx::QueryBuilder::new(
                        "INSERT INTO organizations (kind, name, slug, website, country, description, invite_code, verified_at, created_at) ",
                    );
                    qb.push_values(chunk, |mut b, i| {
                        b.push_bind("employer")
                            .push_bind(format!("Bench Company {i}"))
                            .push_bind(format!("{prefix}-company-{i}"))
                            .push_bind(format!("https://company{i}.example"))
                            .push_bind(["IN", "US", "GB"][i % 3])
                            .push_bind("A company made up for the benchmark.")
                            .push_bind(format!("{prefix}{i:08}"))
                            .push_bind(now)
                            .push_bind(now);
                    });
                    qb.push(" RETURNING id");
                    let orgs: Vec<i64> = qb.build_query_scalar().fetch_all(&mut *tx).await?;
                    let pairs: Vec<(i64, i64)> = orgs.into_iter().zip(users).collect();
                    let mut qb = sqlx::QueryBuilder::new("INSERT INTO memberships (org_id, user_id, role, created_at) ");
                    qb.push_values(&pairs, |mut b, (o, u)| {
                        b.push_bind(*o).push_bind(*u).push_bind("owner").push_bind(now);
                    });
                    qb.build().execute(&mut *tx).await?;
                    tx.commit().await?;
                    Ok::<_, sqlx::Error>(pairs)
                }
                .await
            })?;
            out.extend(pairs);
        }
        Ok(out)
    }

    /// Loads one batch of projects with their skills, and indexes the open
    /// ones for search, in one transaction. Batches of up to 500.
    pub async fn seed_projects(&self, rows: &[SeedProject]) -> StoreResult<Vec<i64>> {
        let now = Utc::now();
        let ids: Vec<i64> = crate::with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                let mut qb = sqlx::QueryBuilder::new(
                    "INSERT INTO projects (org_id, created_by, status, title, summary, brief, deliverables, acceptance_criteria,
                        category, required_skills, preferred_skills, estimated_hours, start_date, due_date, duration_days,
                        price_minor, currency, price_usd_cents, work_mode, location, slots, application_deadline, decision_by,
                        screening_question, for_credit, created_at, updated_at, published_at) ",
                );
                qb.push_values(rows, |mut b, r| {
                    b.push_bind(r.org_id)
                        .push_bind(r.created_by)
                        .push_bind(r.status)
                        .push_bind(&r.title)
                        .push_bind(&r.summary)
                        .push_bind(&r.brief)
                        .push_bind(&r.deliverables)
                        .push_bind(&r.acceptance_criteria)
                        .push_bind(r.category)
                        .push_bind(r.required.join(","))
                        .push_bind(r.preferred.join(","))
                        .push_bind(r.hours)
                        .push_bind(r.start)
                        .push_bind(r.due)
                        .push_bind(i32::try_from((r.due - r.start).num_days()).unwrap_or(0))
                        .push_bind(r.price_minor)
                        .push_bind(r.currency)
                        .push_bind(r.price_usd_cents)
                        .push_bind(r.work_mode)
                        .push_bind(&r.location)
                        .push_bind(1_i32)
                        .push_bind(r.deadline)
                        .push_bind(r.decision_by)
                        .push_bind(Option::<String>::None)
                        .push_bind(r.for_credit)
                        .push_bind(now)
                        .push_bind(now)
                        .push_bind(r.published_at);
                });
                qb.push(" RETURNING id");
                let ids: Vec<i64> = qb.build_query_scalar().fetch_all(&mut *tx).await?;
                let skills: Vec<(i64, &str, bool)> = ids
                    .iter()
                    .zip(rows)
                    .flat_map(|(id, r)| {
                        r.required
                            .iter()
                            .map(move |s| (*id, *s, true))
                            .chain(r.preferred.iter().filter(|s| !r.required.contains(s)).map(move |s| (*id, *s, false)))
                    })
                    .collect();
                for chunk in skills.chunks(2_000) {
                    let mut qb = sqlx::QueryBuilder::new("INSERT INTO project_skills (project_id, skill, required) ");
                    qb.push_values(chunk, |mut b, (id, s, req)| {
                        b.push_bind(*id).push_bind(*s).push_bind(*req);
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok::<_, sqlx::Error>(ids)
            }
            .await
        })?;
        let (Some(lo), Some(hi)) = (ids.iter().min(), ids.iter().max()) else {
            return Ok(ids);
        };
        // The same index text `set_project_status` writes, for the open ones.
        match &self.db {
            Db::Sqlite { write, .. } => {
                sqlx::query(
                    "INSERT INTO projects_fts (rowid, title, summary, skills, brief)
                     SELECT id, title, summary, REPLACE(required_skills || ',' || preferred_skills, ',', ' ') || ' ' || category,
                            brief || ' ' || deliverables
                     FROM projects WHERE status = 'open' AND id BETWEEN $1 AND $2",
                )
                .bind(lo)
                .bind(hi)
                .execute(write)
                .await?;
            }
            Db::Postgres(pool) => {
                sqlx::query(
                    "UPDATE projects SET search =
                        setweight(to_tsvector('english', title), 'A') ||
                        setweight(to_tsvector('english', summary), 'B') ||
                        setweight(to_tsvector('english', replace(required_skills || ',' || preferred_skills, ',', ' ') || ' ' || replace(category, '-', ' ')), 'B') ||
                        setweight(to_tsvector('english', brief || ' ' || deliverables), 'D')
                     WHERE status = 'open' AND id BETWEEN $1 AND $2",
                )
                .bind(lo)
                .bind(hi)
                .execute(pool)
                .await?;
            }
        }
        Ok(ids)
    }

    /// Loads one batch of students with profiles and match keys; returns
    /// their ids. Batches of up to 500.
    pub async fn seed_students(
        &self,
        rows: &[SeedStudent],
        password_hash: &str,
    ) -> StoreResult<Vec<i64>> {
        let now = Utc::now();
        Ok(crate::with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                let mut qb = sqlx::QueryBuilder::new(
                    "INSERT INTO users (email, password_hash, name, role, email_verified_at, created_at) ",
                );
                qb.push_values(rows, |mut b, r| {
                    b.push_bind(&r.email)
                        .push_bind(password_hash)
                        .push_bind(&r.name)
                        .push_bind("student")
                        .push_bind(now)
                        .push_bind(now);
                });
                qb.push(" RETURNING id");
                let ids: Vec<i64> = qb.build_query_scalar().fetch_all(&mut *tx).await?;
                let mut qb = sqlx::QueryBuilder::new(
                    "INSERT INTO student_profiles (user_id, headline, area_of_study, skills, availability_hours, interests, location, updated_at) ",
                );
                qb.push_values(ids.iter().zip(rows), |mut b, (id, r)| {
                    b.push_bind(*id)
                        .push_bind(format!("{} student", r.area_of_study))
                        .push_bind(r.area_of_study)
                        .push_bind(r.skills.join(","))
                        .push_bind(r.hours)
                        .push_bind(r.interests.join(","))
                        .push_bind(r.location)
                        .push_bind(now);
                });
                qb.build().execute(&mut *tx).await?;
                let keys: Vec<(i64, String)> = ids
                    .iter()
                    .zip(rows)
                    .flat_map(|(id, r)| {
                        r.skills
                            .iter()
                            .map(move |s| (*id, format!("skill:{s}")))
                            .chain(r.interests.iter().map(move |c| (*id, format!("cat:{c}"))))
                    })
                    .collect();
                for chunk in keys.chunks(2_000) {
                    let mut qb = sqlx::QueryBuilder::new("INSERT INTO student_match_keys (user_id, match_key) ");
                    qb.push_values(chunk, |mut b, (id, k)| {
                        b.push_bind(*id).push_bind(k);
                    });
                    qb.push(" ON CONFLICT DO NOTHING");
                    qb.build().execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok::<_, sqlx::Error>(ids)
            }
            .await
        })?)
    }

    /// Applications from `students` to one project (the applicant-ranking
    /// benchmark). Batches of up to 1,000.
    pub async fn seed_applications(&self, project_id: i64, students: &[i64]) -> StoreResult<()> {
        let now = Utc::now();
        crate::with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                for chunk in students.chunks(1_000) {
                    let mut qb = sqlx::QueryBuilder::new(
                        "INSERT INTO applications (project_id, student_id, status, pitch, answer, links, match_percent, created_at, updated_at) ",
                    );
                    qb.push_values(chunk, |mut b, s| {
                        b.push_bind(project_id)
                            .push_bind(*s)
                            .push_bind("submitted")
                            .push_bind("I have done this kind of work for my coursework and can deliver it on time.")
                            .push_bind(Option::<String>::None)
                            .push_bind("")
                            .push_bind(0_i32)
                            .push_bind(now)
                            .push_bind(now);
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                tx.commit().await
            }
            .await
        })?;
        Ok(())
    }

    /// Refreshes the planner's statistics after a bulk load.
    pub async fn analyze(&self) -> StoreResult<()> {
        crate::with_db!(self, write, |p| sqlx::query("ANALYZE")
            .execute(p)
            .await
            .map(|_| ()))?;
        Ok(())
    }
}
