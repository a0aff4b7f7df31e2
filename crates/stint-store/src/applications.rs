//! Applications, and hiring: the one transaction that turns an application
//! into an engagement, funds its escrow, and fills the project when its last
//! place is taken. The database enforces what concurrency could break: one
//! application per student and project (unique key), never more hires than
//! places (a conditional update of `hired_count`), each money movement once
//! (unique idempotency keys).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use stint_domain::application::{ApplicationInput, ApplicationStatus};
use stint_domain::engagement::EngagementStatus;
use stint_domain::ledger::{EntryKind, PLATFORM_FEES, employer_account, escrow_account};
use stint_domain::money::{Currency, Money};

use crate::error::OptionalExt;
use crate::search_index::feed_search;
use crate::{Db, Store, StoreError, StoreResult, push_in, split_list, with_db};

#[derive(Debug, Clone, sqlx::FromRow)]
struct ApplicationRow {
    id: i64,
    project_id: i64,
    student_id: i64,
    status: String,
    pitch: String,
    answer: Option<String>,
    links: String,
    match_percent: i32,
    reject_reason: Option<String>,
    created_at: DateTime<Utc>,
    decided_at: Option<DateTime<Utc>>,
    project_title: String,
    org_id: i64,
    org_name: String,
    student_name: String,
}

/// An application with the names a list needs.
#[derive(Debug, Clone, Serialize)]
pub struct Application {
    pub id: i64,
    pub project_id: i64,
    pub student_id: i64,
    pub status: ApplicationStatus,
    pub pitch: String,
    pub answer: Option<String>,
    pub links: Vec<String>,
    /// Share of the project's required skills the student had when applying.
    pub match_percent: u8,
    pub reject_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub project_title: String,
    pub org_id: i64,
    pub org_name: String,
    pub student_name: String,
}

impl From<ApplicationRow> for Application {
    fn from(r: ApplicationRow) -> Self {
        Application {
            id: r.id,
            project_id: r.project_id,
            student_id: r.student_id,
            status: ApplicationStatus::parse(&r.status).unwrap_or(ApplicationStatus::Closed),
            pitch: r.pitch,
            answer: r.answer,
            links: r
                .links
                .split('\n')
                .filter(|l| !l.is_empty())
                .map(String::from)
                .collect(),
            match_percent: u8::try_from(r.match_percent).unwrap_or(0),
            reject_reason: r.reject_reason,
            created_at: r.created_at,
            decided_at: r.decided_at,
            project_title: r.project_title,
            org_id: r.org_id,
            org_name: r.org_name,
            student_name: r.student_name,
        }
    }
}

/// What the employer sees of an applicant's profile beside the application.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ApplicantProfile {
    pub student_id: i64,
    pub headline: Option<String>,
    pub university: Option<String>,
    /// Proved by a university address or by its career staff; otherwise
    /// the university is only what the student declared.
    pub university_confirmed: bool,
    pub area_of_study: Option<String>,
    pub graduation_year: Option<i32>,
    pub skills: String,
    pub interests: String,
    pub availability_hours: Option<i32>,
    pub location: Option<String>,
    pub portfolio_url: Option<String>,
    pub linkedin_url: Option<String>,
    pub github_url: Option<String>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct FactsRow {
    id: i64,
    status: String,
    created_at: DateTime<Utc>,
    skills: String,
    interests: String,
    area_of_study: Option<String>,
    availability_hours: Option<i32>,
    location: Option<String>,
}

/// An application and the profile facts its match is scored from.
#[derive(Debug, Clone)]
pub struct ApplicantFacts {
    pub application_id: i64,
    pub status: ApplicationStatus,
    pub created_at: DateTime<Utc>,
    pub skills: Vec<String>,
    pub interests: Vec<String>,
    pub area_of_study: Option<String>,
    pub availability_hours: Option<i32>,
    pub location: Option<String>,
}

impl From<FactsRow> for ApplicantFacts {
    fn from(r: FactsRow) -> Self {
        ApplicantFacts {
            application_id: r.id,
            status: ApplicationStatus::parse(&r.status).unwrap_or(ApplicationStatus::Submitted),
            created_at: r.created_at,
            skills: split_list(&r.skills),
            interests: split_list(&r.interests),
            area_of_study: r.area_of_study,
            availability_hours: r.availability_hours,
            location: r.location,
        }
    }
}

impl ApplicantProfile {
    pub fn skill_list(&self) -> Vec<String> {
        split_list(&self.skills)
    }

    pub fn interest_list(&self) -> Vec<String> {
        split_list(&self.interests)
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
struct EngagementRow {
    id: i64,
    project_id: i64,
    application_id: i64,
    student_id: i64,
    org_id: i64,
    status: String,
    price_minor: i64,
    currency: String,
    fee_minor: i64,
    due_date: NaiveDate,
    created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Engagement {
    pub id: i64,
    pub project_id: i64,
    pub application_id: i64,
    pub student_id: i64,
    pub org_id: i64,
    pub status: EngagementStatus,
    pub price: Money,
    pub fee: Money,
    pub due_date: NaiveDate,
    pub created_at: DateTime<Utc>,
}

impl From<EngagementRow> for Engagement {
    fn from(r: EngagementRow) -> Self {
        let currency: Currency = r.currency.parse().unwrap_or(Currency::Usd);
        Engagement {
            id: r.id,
            project_id: r.project_id,
            application_id: r.application_id,
            student_id: r.student_id,
            org_id: r.org_id,
            status: EngagementStatus::parse(&r.status).unwrap_or(EngagementStatus::Active),
            price: Money::new(r.price_minor, currency),
            fee: Money::new(r.fee_minor, currency),
            due_date: r.due_date,
            created_at: r.created_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct LedgerEntry {
    pub id: i64,
    pub engagement_id: i64,
    pub kind: String,
    pub from_account: String,
    pub to_account: String,
    pub amount_minor: i64,
    pub currency: String,
    pub provider: String,
    pub idempotency_key: String,
}

/// What hiring did.
#[derive(Debug, Clone)]
pub struct Hire {
    pub engagement: Engagement,
    /// The project's last place was taken: it is now filled.
    pub filled: bool,
    /// Students whose undecided applications were closed because it filled.
    pub closed_students: Vec<i64>,
}

/// An application with its project, organization and student names; a
/// literal, so queries can `concat!` their conditions to it.
macro_rules! app_select {
    () => {
        "SELECT a.id, a.project_id, a.student_id, a.status, a.pitch, a.answer, a.links, a.match_percent,
                a.reject_reason, a.created_at, a.decided_at, p.title AS project_title, p.org_id, o.name AS org_name, u.name AS student_name
            FROM applications a JOIN projects p ON p.id = a.project_id JOIN organizations o ON o.id = p.org_id
            JOIN users u ON u.id = a.student_id"
    };
}

/// What a hire hires: an application already sent, or a student accepting
/// a direct offer.
#[derive(Debug, Clone, Copy)]
enum HireOf<'a> {
    Application(i64),
    Direct {
        invitation_id: i64,
        student_id: i64,
        pitch: &'a str,
        match_percent: u8,
    },
}

impl Store {
    /// Records an application, unless the student already holds `quota`
    /// undecided ones (`Conflict("quota")`) or applied before
    /// (`Conflict("duplicate")`).
    #[tracing::instrument(skip(self, input))]
    pub async fn apply(
        &self,
        project_id: i64,
        student_id: i64,
        input: &ApplicationInput,
        match_percent: u8,
        quota: i64,
    ) -> StoreResult<Application> {
        let now = Utc::now();
        let id: StoreResult<i64> = with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                sqlx::query(crate::LOCK_PERSON)
                    .bind(student_id)
                    .execute(&mut *tx)
                    .await?;
                let open: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM applications WHERE student_id = $1 AND status IN ('submitted', 'shortlisted')",
                )
                .bind(student_id)
                .fetch_one(&mut *tx)
                .await?;
                if open >= quota {
                    return Err(StoreError::Conflict("quota"));
                }
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO applications (project_id, student_id, status, pitch, answer, links, match_percent, created_at, updated_at, category)
                     VALUES ($1, $2, 'submitted', $3, $4, $5, $6, $7, $7, (SELECT category FROM projects WHERE id = $1)) RETURNING id",
                )
                .bind(project_id)
                .bind(student_id)
                .bind(&input.pitch)
                .bind(&input.answer)
                .bind(input.links.join("\n"))
                .bind(i32::from(match_percent))
                .bind(now)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| match StoreError::from(e) {
                    StoreError::Conflict(_) => StoreError::Conflict("duplicate"),
                    other => other,
                })?;
                tx.commit().await?;
                Ok(id)
            }
            .await
        });
        self.application(id?).await
    }

    pub async fn application(&self, id: i64) -> StoreResult<Application> {
        let row: ApplicationRow = with_db!(self, read, |p| {
            sqlx::query_as(concat!(app_select!(), " WHERE a.id = $1"))
                .bind(id)
                .fetch_one(p)
                .await
        })?;
        Ok(row.into())
    }

    /// A student's application to a project, if any.
    pub async fn application_of(
        &self,
        project_id: i64,
        student_id: i64,
    ) -> StoreResult<Option<Application>> {
        let id: Option<i64> = with_db!(self, read, |p| {
            sqlx::query_scalar(
                "SELECT id FROM applications WHERE project_id = $1 AND student_id = $2",
            )
            .bind(project_id)
            .bind(student_id)
            .fetch_one(p)
            .await
            .optional()
        })?;
        match id {
            Some(id) => self.application(id).await.map(Some),
            None => Ok(None),
        }
    }

    /// A student's applications, newest first.
    pub async fn student_applications(&self, student_id: i64) -> StoreResult<Vec<Application>> {
        let rows: Vec<ApplicationRow> = with_db!(self, read, |p| {
            sqlx::query_as(concat!(
                app_select!(),
                " WHERE a.student_id = $1 ORDER BY a.id DESC"
            ))
            .bind(student_id)
            .fetch_all(p)
            .await
        })?;
        Ok(rows.into_iter().map(Application::from).collect())
    }

    /// A project's applications, best skill match first, then oldest.
    pub async fn project_applications(&self, project_id: i64) -> StoreResult<Vec<Application>> {
        let rows: Vec<ApplicationRow> = with_db!(self, read, |p| {
            sqlx::query_as(concat!(
                app_select!(),
                " WHERE a.project_id = $1 ORDER BY a.match_percent DESC, a.id"
            ))
            .bind(project_id)
            .fetch_all(p)
            .await
        })?;
        Ok(rows.into_iter().map(Application::from).collect())
    }

    /// Some of a project's applications, by id (one page of the employer's
    /// list), in no particular order.
    pub async fn project_applications_in(
        &self,
        project_id: i64,
        ids: &[i64],
    ) -> StoreResult<Vec<Application>> {
        let rows: Vec<ApplicationRow> = with_db!(self, read, |p| {
            let mut qb = sqlx::QueryBuilder::new(concat!(app_select!(), " WHERE a.project_id = "));
            qb.push_bind(project_id).push(" AND a.id");
            push_in!(qb, ids);
            qb.build_query_as().fetch_all(p).await
        })?;
        Ok(rows.into_iter().map(Application::from).collect())
    }

    /// What ranking a project's applicants needs of each, and no more: one
    /// narrow row per application. Reading every applicant's full row costs
    /// more than scoring them; the full rows are read for one page only.
    pub async fn applicant_facts(&self, project_id: i64) -> StoreResult<Vec<ApplicantFacts>> {
        let rows: Vec<FactsRow> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT a.id, a.status, a.created_at, COALESCE(s.skills, '') AS skills, COALESCE(s.interests, '') AS interests,
                    s.area_of_study, s.availability_hours, s.location
                 FROM applications a LEFT JOIN student_profiles s ON s.user_id = a.student_id WHERE a.project_id = $1",
            )
            .bind(project_id)
            .fetch_all(p)
            .await
        })?;
        Ok(rows.into_iter().map(ApplicantFacts::from).collect())
    }

    /// Profiles of some of a project's applicants (by student id), for the
    /// employer's list.
    pub async fn applicant_profiles(
        &self,
        project_id: i64,
        student_ids: &[i64],
    ) -> StoreResult<Vec<ApplicantProfile>> {
        Ok(with_db!(self, read, |p| {
            let mut qb = sqlx::QueryBuilder::new(
                "SELECT a.student_id, s.headline, o.name AS university,
                    COALESCE(af.status = 'confirmed' AND af.university_id = s.university_id, FALSE) AS university_confirmed,
                    s.area_of_study, s.graduation_year,
                    COALESCE(s.skills, '') AS skills, COALESCE(s.interests, '') AS interests, s.availability_hours, s.location, s.portfolio_url, s.linkedin_url, s.github_url
                 FROM applications a LEFT JOIN student_profiles s ON s.user_id = a.student_id
                 LEFT JOIN organizations o ON o.id = s.university_id
                 LEFT JOIN affiliations af ON af.student_id = a.student_id WHERE a.project_id = ",
            );
            qb.push_bind(project_id).push(" AND a.student_id");
            push_in!(qb, student_ids);
            qb.build_query_as().fetch_all(p).await
        })?)
    }

    /// Moves an application from one of `from` to `to`, only if it is still
    /// there; `Conflict("status_changed")` otherwise.
    pub async fn decide_application(
        &self,
        id: i64,
        from: &[ApplicationStatus],
        to: ApplicationStatus,
        reason: Option<&str>,
    ) -> StoreResult<Application> {
        let now = Utc::now();
        let (a, b) = (
            from.first().map(|s| s.as_str()).unwrap_or(""),
            from.get(1).map(|s| s.as_str()).unwrap_or(""),
        );
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE applications SET status = $1, reject_reason = COALESCE($2, reject_reason), updated_at = $3, decided_at = $3
                 WHERE id = $4 AND status IN ($5, $6)",
            )
            .bind(to.as_str())
            .bind(reason)
            .bind(now)
            .bind(id)
            .bind(a)
            .bind(b)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            self.application(id).await?;
            return Err(StoreError::Conflict("status_changed"));
        }
        self.application(id).await
    }

    /// Hires the student of an undecided application, in one transaction:
    /// the application becomes `hired`; the project's `hired_count` rises only
    /// while below its places (`Conflict("slots_full")` otherwise); an active
    /// engagement is created; escrow is funded and the fee charged; and when
    /// the last place is taken the project is filled and every other
    /// undecided application closed.
    #[tracing::instrument(skip(self))]
    pub async fn hire(
        &self,
        application_id: i64,
        fee_minor: i64,
        provider: &str,
    ) -> StoreResult<Hire> {
        self.hire_of(HireOf::Application(application_id), fee_minor, provider)
            .await
    }

    /// The student accepts a direct offer (an invitation of kind `direct`
    /// still `sent`, else `Conflict("answered")`): in one transaction the
    /// invitation is answered, an application with `pitch` is written, and
    /// it is hired exactly as [`Store::hire`] hires (`Conflict("duplicate")`
    /// if the student had applied).
    #[tracing::instrument(skip(self, pitch))]
    pub async fn hire_direct(
        &self,
        invitation_id: i64,
        student_id: i64,
        pitch: &str,
        match_percent: u8,
        fee_minor: i64,
        provider: &str,
    ) -> StoreResult<Hire> {
        let direct = HireOf::Direct {
            invitation_id,
            student_id,
            pitch,
            match_percent,
        };
        self.hire_of(direct, fee_minor, provider).await
    }

    async fn hire_of(&self, of: HireOf<'_>, fee_minor: i64, provider: &str) -> StoreResult<Hire> {
        let now = Utc::now();
        let result: StoreResult<(i64, bool, Vec<i64>, i64)> = with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                let project_id: Option<i64> = match of {
                    HireOf::Application(application_id) => sqlx::query_scalar("SELECT project_id FROM applications WHERE id = $1")
                        .bind(application_id)
                        .fetch_one(&mut *tx)
                        .await
                        .optional()?,
                    // Answering first: a second acceptance, or one after the
                    // offer was withdrawn or declined, finds it answered.
                    HireOf::Direct { invitation_id, student_id, .. } => {
                        let project_id = sqlx::query_scalar(
                            "UPDATE invitations SET status = 'applied', answered_at = $1
                              WHERE id = $2 AND student_id = $3 AND kind = 'direct' AND status = 'sent' RETURNING project_id",
                        )
                        .bind(now)
                        .bind(invitation_id)
                        .bind(student_id)
                        .fetch_one(&mut *tx)
                        .await
                        .optional()?;
                        if project_id.is_none() {
                            return Err(StoreError::Conflict("answered"));
                        }
                        project_id
                    }
                };
                let Some(project_id) = project_id else { return Err(StoreError::NotFound) };
                // The project row first: every hire on a project queues here
                // before touching any application, so concurrent hires never
                // hold application rows that the filling hire must close.
                let slot: Option<(i64, i32, i32, i64, String, NaiveDate)> = sqlx::query_as(
                    "UPDATE projects SET hired_count = hired_count + 1, updated_at = $1
                     WHERE id = $2 AND status = 'open' AND hired_count < slots
                     RETURNING org_id, hired_count, slots, price_minor, currency, due_date",
                )
                .bind(now)
                .bind(project_id)
                .fetch_one(&mut *tx)
                .await
                .optional()?;
                let Some((org_id, hired_count, slots, price_minor, currency, due_date)) = slot else {
                    return Err(StoreError::Conflict("slots_full"));
                };
                let application_id = match of {
                    HireOf::Application(id) => id,
                    HireOf::Direct { student_id, pitch, match_percent, .. } => sqlx::query_scalar(
                        "INSERT INTO applications (project_id, student_id, status, pitch, answer, links, match_percent, created_at, updated_at, category)
                         VALUES ($1, $2, 'submitted', $3, '', '', $4, $5, $5, (SELECT category FROM projects WHERE id = $1)) RETURNING id",
                    )
                    .bind(project_id)
                    .bind(student_id)
                    .bind(pitch)
                    .bind(i32::from(match_percent))
                    .bind(now)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(|e| match StoreError::from(e) {
                        StoreError::Conflict(_) => StoreError::Conflict("duplicate"),
                        other => other,
                    })?,
                };
                let student_id: Option<i64> = sqlx::query_scalar(
                    "UPDATE applications SET status = 'hired', updated_at = $1, decided_at = $1
                     WHERE id = $2 AND status IN ('submitted', 'shortlisted') RETURNING student_id",
                )
                .bind(now)
                .bind(application_id)
                .fetch_one(&mut *tx)
                .await
                .optional()?;
                // Dropping the transaction rolls the slot back.
                let Some(student_id) = student_id else { return Err(StoreError::Conflict("status_changed")) };
                let engagement_id: i64 = sqlx::query_scalar(
                    "INSERT INTO engagements (project_id, application_id, student_id, org_id, status, price_minor, currency, fee_minor,
                        due_date, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, 'active', $5, $6, $7, $8, $9, $9) RETURNING id",
                )
                .bind(project_id)
                .bind(application_id)
                .bind(student_id)
                .bind(org_id)
                .bind(price_minor)
                .bind(&currency)
                .bind(fee_minor)
                .bind(due_date)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                let mut entries = vec![(EntryKind::Fund, employer_account(org_id), escrow_account(engagement_id), price_minor)];
                if fee_minor > 0 {
                    entries.push((EntryKind::Fee, employer_account(org_id), PLATFORM_FEES.to_string(), fee_minor));
                }
                for (kind, from, to, amount) in entries {
                    sqlx::query(
                        "INSERT INTO ledger_entries (engagement_id, kind, from_account, to_account, amount_minor, currency, provider,
                            idempotency_key, created_at)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    )
                    .bind(engagement_id)
                    .bind(kind.as_str())
                    .bind(from)
                    .bind(to)
                    .bind(amount)
                    .bind(&currency)
                    .bind(provider)
                    .bind(format!("{}:{engagement_id}", kind.as_str()))
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                }
                // The employer's charge gets its numbered receipt.
                sqlx::query(
                    "INSERT INTO receipts (engagement_id, org_id, price_minor, fee_minor, currency, issued_at)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(engagement_id)
                .bind(org_id)
                .bind(price_minor)
                .bind(fee_minor)
                .bind(&currency)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                let filled = hired_count >= slots;
                let mut closed = Vec::new();
                if filled {
                    sqlx::query("UPDATE projects SET status = 'filled' WHERE id = $1 AND status = 'open'")
                        .bind(project_id)
                        .execute(&mut *tx)
                        .await?;
                    closed = sqlx::query_scalar(
                        "UPDATE applications SET status = 'closed', closed_reason = 'filled', updated_at = $1, decided_at = $1
                         WHERE project_id = $2 AND status IN ('submitted', 'shortlisted') RETURNING student_id",
                    )
                    .bind(now)
                    .bind(project_id)
                    .fetch_all(&mut *tx)
                    .await?;
                    // Last before the commit: it takes the feed's lock.
                    feed_search!(tx, [project_id], now);
                }
                tx.commit().await?;
                Ok((engagement_id, filled, closed, project_id))
            }
            .await
        });
        let (engagement_id, filled, closed_students, project_id) = result?;
        if filled {
            self.search_touched();
        }
        if filled && let Db::Sqlite { write, .. } = &self.db {
            // Filled projects leave the search index (PostgreSQL filters by status).
            sqlx::query("DELETE FROM projects_fts WHERE rowid = $1")
                .bind(project_id)
                .execute(write)
                .await?;
        }
        Ok(Hire {
            engagement: self.engagement(engagement_id).await?,
            filled,
            closed_students,
        })
    }

    pub async fn engagement(&self, id: i64) -> StoreResult<Engagement> {
        let row: EngagementRow = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT id, project_id, application_id, student_id, org_id, status, price_minor, currency, fee_minor, due_date, created_at
                 FROM engagements WHERE id = $1",
            )
            .bind(id)
            .fetch_one(p)
            .await
        })?;
        Ok(row.into())
    }

    pub async fn project_engagements(&self, project_id: i64) -> StoreResult<Vec<Engagement>> {
        let rows: Vec<EngagementRow> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT id, project_id, application_id, student_id, org_id, status, price_minor, currency, fee_minor, due_date, created_at
                 FROM engagements WHERE project_id = $1 ORDER BY id",
            )
            .bind(project_id)
            .fetch_all(p)
            .await
        })?;
        Ok(rows.into_iter().map(Engagement::from).collect())
    }

    pub async fn count_engagements(&self) -> StoreResult<i64> {
        Ok(with_db!(self, read, |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM engagements"
        )
        .fetch_one(p)
        .await)?)
    }

    pub async fn ledger_entries(&self, engagement_id: i64) -> StoreResult<Vec<LedgerEntry>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT id, engagement_id, kind, from_account, to_account, amount_minor, currency, provider, idempotency_key
                 FROM ledger_entries WHERE engagement_id = $1 ORDER BY id",
            )
            .bind(engagement_id)
            .fetch_all(p)
            .await
        })?)
    }

    /// Every account's balance per currency: money in minus money out. The
    /// balances of all accounts sum to zero in each currency.
    pub async fn ledger_balances(&self) -> StoreResult<Vec<(String, String, i64)>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT account, currency, CAST(SUM(amount) AS BIGINT) FROM (
                    SELECT to_account AS account, currency, amount_minor AS amount FROM ledger_entries
                    UNION ALL
                    SELECT from_account AS account, currency, -amount_minor AS amount FROM ledger_entries
                 ) m GROUP BY account, currency ORDER BY account, currency",
            )
            .fetch_all(p)
            .await
        })?)
    }
}

impl Store {
    pub async fn post_application_message(
        &self,
        application_id: i64,
        author_id: i64,
        body: &str,
    ) -> StoreResult<i64> {
        Ok(with_db!(self, write, |p| {
            sqlx::query_scalar(
                "INSERT INTO application_messages (application_id, author_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(application_id)
            .bind(author_id)
            .bind(body)
            .bind(Utc::now())
            .fetch_one(p)
            .await
        })?)
    }

    /// The thread of an application, oldest first.
    pub async fn application_messages(
        &self,
        application_id: i64,
    ) -> StoreResult<Vec<crate::Message>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT m.id, m.author_id, u.name AS author_name, 'message' AS kind, m.body, m.created_at
                 FROM application_messages m JOIN users u ON u.id = m.author_id WHERE m.application_id = $1 ORDER BY m.id",
            )
            .bind(application_id)
            .fetch_all(p)
            .await
        })?)
    }
}
