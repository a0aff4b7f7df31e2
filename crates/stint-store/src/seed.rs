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

/// One application from the past, and when it was a hire, the engagement
/// that followed: for demo history and the outcomes benchmark.
#[derive(Debug, Clone)]
pub struct SeedWork {
    pub project_id: i64,
    pub org_id: i64,
    pub student_id: i64,
    pub applied_at: DateTime<Utc>,
    /// submitted | shortlisted | rejected | withdrawn | closed | hired
    pub status: &'static str,
    /// For a hire.
    pub hire: Option<SeedHire>,
}

/// An engagement from the past, with the ledger a real one would have.
#[derive(Debug, Clone)]
pub struct SeedHire {
    pub hired_at: DateTime<Utc>,
    /// active | paid | cancelled
    pub status: &'static str,
    /// Approval (paid) or cancellation.
    pub ended_at: Option<DateTime<Utc>>,
    pub price_minor: i64,
    pub currency: &'static str,
    pub fee_minor: i64,
    /// The employer's ratings of the student (both sides review, so they
    /// show) and who wrote them.
    pub ratings: Option<([i32; 3], i64)>,
}

/// (engagement, kind, from, to, amount, currency, at)
type SeedEntry<'a> = (i64, &'a str, String, String, i64, &'a str, DateTime<Utc>);
/// (student, signed up, equity answers sealed by the caller)
pub type SeedAffiliate = (i64, DateTime<Utc>, Option<String>);
/// (engagement, direction, author, ratings, at)
type SeedReview = (i64, &'static str, i64, [i32; 3], DateTime<Utc>);

impl Store {
    /// Loads past applications and engagements with their ledger (funded
    /// and fee at hire; released and paid out at approval, or refunded at
    /// cancellation; sandbox provider) and both sides' reviews, in one
    /// transaction per batch. The applications must be new (one per
    /// project and student).
    pub async fn seed_work(&self, rows: &[SeedWork]) -> StoreResult<()> {
        use stint_domain::ledger::{
            PLATFORM_FEES, employer_account, escrow_account, student_account,
        };
        for chunk in rows.chunks(400) {
            crate::with_db!(self, write, |p| {
                async {
                    let mut tx = p.begin().await?;
                    let mut qb = sqlx::QueryBuilder::new(
                        "INSERT INTO applications (project_id, student_id, status, pitch, links, match_percent, created_at, updated_at, decided_at, category) ",
                    );
                    qb.push_values(chunk, |mut b, w| {
                        let decided = (w.status != "submitted")
                            .then(|| w.hire.as_ref().map(|h| h.hired_at).unwrap_or(w.applied_at + chrono::Duration::days(4)));
                        b.push_bind(w.project_id)
                            .push_bind(w.student_id)
                            .push_bind(w.status)
                            .push_bind("I have done this kind of work in my coursework and can deliver it on time.")
                            .push_bind("")
                            .push_bind(60_i32)
                            .push_bind(w.applied_at)
                            .push_bind(decided.unwrap_or(w.applied_at))
                            .push_bind(decided)
                            .push("(SELECT category FROM projects WHERE id = ")
                            .push_bind_unseparated(w.project_id)
                            .push_unseparated(")");
                    });
                    qb.push(" RETURNING id");
                    let apps: Vec<i64> = qb.build_query_scalar().fetch_all(&mut *tx).await?;
                    let hires: Vec<(i64, &SeedWork, &SeedHire)> = apps
                        .iter()
                        .zip(chunk)
                        .filter_map(|(a, w)| w.hire.as_ref().map(|h| (*a, w, h)))
                        .collect();
                    if hires.is_empty() {
                        tx.commit().await?;
                        return Ok::<_, sqlx::Error>(());
                    }
                    let mut qb = sqlx::QueryBuilder::new(
                        "INSERT INTO engagements (project_id, application_id, student_id, org_id, status, price_minor, currency, fee_minor, due_date, created_at, updated_at, approved_at) ",
                    );
                    qb.push_values(&hires, |mut b, (a, w, h)| {
                        b.push_bind(w.project_id)
                            .push_bind(*a)
                            .push_bind(w.student_id)
                            .push_bind(w.org_id)
                            .push_bind(h.status)
                            .push_bind(h.price_minor)
                            .push_bind(h.currency)
                            .push_bind(h.fee_minor)
                            .push_bind((h.hired_at + chrono::Duration::days(14)).date_naive())
                            .push_bind(h.hired_at)
                            .push_bind(h.ended_at.unwrap_or(h.hired_at))
                            .push_bind(h.ended_at.filter(|_| h.status == "paid"));
                    });
                    qb.push(" RETURNING id");
                    let ids: Vec<i64> = qb.build_query_scalar().fetch_all(&mut *tx).await?;
                    // (engagement, kind, from, to, amount, currency, at)
                    let mut entries: Vec<SeedEntry> = Vec::new();
                    let mut reviews: Vec<SeedReview> = Vec::new();
                    for (id, (_, w, h)) in ids.iter().zip(&hires) {
                        let id = *id;
                        entries.push((id, "fund", employer_account(w.org_id), escrow_account(id), h.price_minor, h.currency, h.hired_at));
                        if h.fee_minor > 0 {
                            entries.push((id, "fee", employer_account(w.org_id), PLATFORM_FEES.to_string(), h.fee_minor, h.currency, h.hired_at));
                        }
                        match (h.status, h.ended_at) {
                            ("paid", Some(at)) => {
                                entries.push((id, "release", escrow_account(id), student_account(w.student_id), h.price_minor, h.currency, at));
                                entries.push((id, "payout", student_account(w.student_id), "external:payouts".into(), h.price_minor, h.currency, at));
                                if let Some((ratings, author)) = h.ratings {
                                    let written = at + chrono::Duration::days(2);
                                    reviews.push((id, "of_student", author, ratings, written));
                                    reviews.push((id, "of_employer", w.student_id, [5, 4, 5], written));
                                }
                            }
                            ("cancelled", Some(at)) => {
                                entries.push((id, "refund", escrow_account(id), employer_account(w.org_id), h.price_minor, h.currency, at));
                            }
                            _ => {}
                        }
                    }
                    for batch in entries.chunks(1_000) {
                        let mut qb = sqlx::QueryBuilder::new(
                            "INSERT INTO ledger_entries (engagement_id, kind, from_account, to_account, amount_minor, currency, provider, idempotency_key, created_at) ",
                        );
                        qb.push_values(batch, |mut b, (id, kind, from, to, amount, currency, at)| {
                            b.push_bind(*id)
                                .push_bind(*kind)
                                .push_bind(from)
                                .push_bind(to)
                                .push_bind(*amount)
                                .push_bind(*currency)
                                .push_bind("sandbox")
                                .push_bind(format!("{kind}:{id}"))
                                .push_bind(*at);
                        });
                        qb.build().execute(&mut *tx).await?;
                    }
                    for batch in reviews.chunks(1_000) {
                        let mut qb = sqlx::QueryBuilder::new(
                            "INSERT INTO reviews (engagement_id, direction, author_id, rating_1, rating_2, rating_3, body, created_at) ",
                        );
                        qb.push_values(batch, |mut b, (id, direction, author, r, at)| {
                            b.push_bind(*id)
                                .push_bind(*direction)
                                .push_bind(*author)
                                .push_bind(r[0])
                                .push_bind(r[1])
                                .push_bind(r[2])
                                .push_bind(if *direction == "of_student" {
                                    "Did what the brief asked, kept us posted and delivered on time."
                                } else {
                                    "A clear brief and quick answers to my questions."
                                })
                                .push_bind(*at);
                        });
                        qb.build().execute(&mut *tx).await?;
                    }
                    tx.commit().await
                }
                .await
            })?;
        }
        Ok(())
    }

    /// Confirms `students` as affiliated with the university (proved by
    /// email), with when they signed up and their optional equity answers
    /// (sealed).
    pub async fn seed_affiliations(
        &self,
        university_id: i64,
        students: &[SeedAffiliate],
    ) -> StoreResult<()> {
        for chunk in students.chunks(500) {
            crate::with_db!(self, write, |p| {
                async {
                    let mut tx = p.begin().await?;
                    for (id, signed_up, _) in chunk {
                        sqlx::query("UPDATE users SET created_at = $1 WHERE id = $2")
                            .bind(*signed_up)
                            .bind(*id)
                            .execute(&mut *tx)
                            .await?;
                    }
                    let mut qb = sqlx::QueryBuilder::new("UPDATE student_profiles SET university_id = ");
                    qb.push_bind(university_id).push(" WHERE user_id");
                    crate::push_in!(qb, chunk.iter().map(|(id, _, _)| *id).collect::<Vec<i64>>());
                    qb.build().execute(&mut *tx).await?;
                    let mut qb = sqlx::QueryBuilder::new(
                        "INSERT INTO affiliations (student_id, university_id, status, proof, sharing, decided_at, created_at) ",
                    );
                    qb.push_values(chunk, |mut b, (id, at, _)| {
                        b.push_bind(*id)
                            .push_bind(university_id)
                            .push_bind("confirmed")
                            .push_bind("email")
                            .push_bind(["completed", "all", "completed", "aggregate"][(*id % 4) as usize])
                            .push_bind(*at)
                            .push_bind(*at);
                    });
                    qb.push(" ON CONFLICT (student_id) DO NOTHING");
                    qb.build().execute(&mut *tx).await?;
                    let answered: Vec<_> = chunk.iter().filter(|(_, _, a)| a.is_some()).collect();
                    if !answered.is_empty() {
                        let mut qb = sqlx::QueryBuilder::new(
                            "INSERT INTO equity_attributes (student_id, sealed, updated_at) ",
                        );
                        qb.push_values(&answered, |mut b, (id, at, a)| {
                            b.push_bind(*id).push_bind(a.as_deref()).push_bind(*at);
                        });
                        qb.push(" ON CONFLICT (student_id) DO NOTHING");
                        qb.build().execute(&mut *tx).await?;
                    }
                    tx.commit().await
                }
                .await
            })?;
        }
        Ok(())
    }

    /// A verified university with one career-staff member and one email
    /// domain; returns (org id, staff user id).
    pub async fn seed_university(
        &self,
        name: &str,
        slug: &str,
        domain: &str,
        staff_email: &str,
        password_hash: &str,
    ) -> StoreResult<(i64, i64)> {
        let now = Utc::now();
        Ok(crate::with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                let user: i64 = sqlx::query_scalar(
                    "INSERT INTO users (email, password_hash, name, role, email_verified_at, created_at)
                     VALUES ($1, $2, 'Career Centre', 'university', $3, $3) RETURNING id",
                )
                .bind(staff_email)
                .bind(password_hash)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                let org: i64 = sqlx::query_scalar(
                    "INSERT INTO organizations (kind, name, slug, website, country, description, invite_code, verified_at, created_at)
                     VALUES ('university', $1, $2, $3, 'IN', 'A university made up for the benchmark.', $4, $5, $5) RETURNING id",
                )
                .bind(name)
                .bind(slug)
                .bind(format!("https://{domain}"))
                .bind(format!("{slug}-invite"))
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                sqlx::query("INSERT INTO memberships (org_id, user_id, role, staff_role, created_at) VALUES ($1, $2, 'owner', 'career', $3)")
                    .bind(org)
                    .bind(user)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("INSERT INTO org_domains (org_id, domain) VALUES ($1, $2)")
                    .bind(org)
                    .bind(domain)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok::<_, sqlx::Error>((org, user))
            }
            .await
        })?)
    }

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
                sqlx::query(concat!(
                    "UPDATE projects SET search = ",
                    crate::pg_search_text!(),
                    " WHERE status = 'open' AND id BETWEEN $1 AND $2"
                ))
                .bind(lo)
                .bind(hi)
                .execute(pool)
                .await?;
            }
        }
        // Loaded in bulk, outside the feed: every search index starts over.
        self.restart_search_feed().await?;
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
                        "INSERT INTO applications (project_id, student_id, status, pitch, answer, links, match_percent, created_at, updated_at, category) ",
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
                            .push_bind(now)
                            .push("(SELECT category FROM projects WHERE id = ")
                            .push_bind_unseparated(project_id)
                            .push_unseparated(")");
                    });
                    qb.build().execute(&mut *tx).await?;
                }
                tx.commit().await
            }
            .await
        })?;
        Ok(())
    }

    /// Refreshes the planner's statistics after a bulk load; on PostgreSQL
    /// also vacuums, so the visibility map is set (index-only scans) and the
    /// first reads of the new rows do not each write their hint bits.
    pub async fn analyze(&self) -> StoreResult<()> {
        match &self.db {
            crate::Db::Sqlite { write, .. } => {
                sqlx::query("ANALYZE").execute(write).await?;
            }
            crate::Db::Postgres(p) => {
                sqlx::query("VACUUM (ANALYZE)").execute(p).await?;
            }
        }
        Ok(())
    }
}
