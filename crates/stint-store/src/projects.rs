//! Projects: drafts, their state changes, and search over open ones.
//!
//! Full-text search is the one place the engines differ: SQLite keeps an FTS5
//! table (`projects_fts`, rowid = project id) holding the open projects anyone may find (not those arranged with a university);
//! PostgreSQL keeps a weighted `tsvector` column with a GIN index. Both are
//! updated here whenever a project is saved or changes status.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sqlx::QueryBuilder;
use stint_domain::money::{Currency, Money};
use stint_domain::project::{ProjectInput, ProjectStatus, WorkMode};
use stint_domain::search::{ProjectQuery, Sort, search_terms};

use crate::error::OptionalExt;
use crate::search_index::feed_search;
use crate::{Db, Store, StoreError, StoreResult, split_list, with_db};

#[derive(Debug, Clone, sqlx::FromRow)]
struct ProjectRow {
    id: i64,
    org_id: i64,
    org_name: String,
    org_slug: String,
    org_verified: bool,
    created_by: i64,
    status: String,
    title: String,
    summary: String,
    brief: String,
    deliverables: String,
    acceptance_criteria: String,
    category: String,
    required_skills: String,
    preferred_skills: String,
    estimated_hours: i32,
    start_date: NaiveDate,
    due_date: NaiveDate,
    price_minor: i64,
    currency: String,
    work_mode: String,
    location: Option<String>,
    slots: i32,
    application_deadline: NaiveDate,
    decision_by: NaiveDate,
    screening_question: Option<String>,
    for_credit: bool,
    blind_screening: bool,
    #[sqlx(default)]
    weekly_hours: Option<i32>,
    hired_count: i32,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    published_at: Option<DateTime<Utc>>,
    restricted_to: Option<i64>,
    restricted_name: Option<String>,
    restricted_slug: Option<String>,
    invite_only: bool,
}

/// The university a project is arranged with: only its confirmed students
/// (and its staff) see the project and may apply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Restriction {
    pub university_id: i64,
    pub name: String,
    pub slug: String,
}

/// Who a project is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Every student on Stint.
    Everyone,
    /// The confirmed students of this university.
    University(i64),
    /// The students the organization invites.
    Invited,
}

/// A project with its organization's name and standing.
#[derive(Debug, Clone, Serialize)]
pub struct Project {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub org_slug: String,
    pub org_verified: bool,
    pub created_by: i64,
    pub status: ProjectStatus,
    #[serde(flatten)]
    pub input: ProjectInput,
    /// Students hired so far; never more than `input.slots`.
    pub hired_count: u16,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    /// Only for the students of this university, when set.
    pub restricted_to: Option<Restriction>,
    /// Only for the students the organization invites (never with
    /// `restricted_to`).
    pub invite_only: bool,
}

impl Project {
    /// Whether anyone may find the project: published to every student, not
    /// arranged with a university nor invite-only.
    pub fn is_public(&self) -> bool {
        self.status == ProjectStatus::Open && self.restricted_to.is_none() && !self.invite_only
    }
}

pub(crate) fn currency_of(code: &str) -> Currency {
    code.parse().unwrap_or(Currency::Usd)
}

pub(crate) fn mode_of(s: &str) -> WorkMode {
    WorkMode::parse(s).unwrap_or(WorkMode::Remote)
}

impl From<ProjectRow> for Project {
    fn from(r: ProjectRow) -> Self {
        Project {
            id: r.id,
            org_id: r.org_id,
            org_name: r.org_name,
            org_slug: r.org_slug,
            org_verified: r.org_verified,
            created_by: r.created_by,
            status: ProjectStatus::parse(&r.status).unwrap_or(ProjectStatus::Draft),
            input: ProjectInput {
                title: r.title,
                summary: r.summary,
                brief: r.brief,
                deliverables: r.deliverables,
                acceptance_criteria: r.acceptance_criteria,
                category: r.category,
                required_skills: split_list(&r.required_skills),
                preferred_skills: split_list(&r.preferred_skills),
                estimated_hours: u16::try_from(r.estimated_hours).unwrap_or(1),
                start_date: r.start_date,
                due_date: r.due_date,
                price: Money::new(r.price_minor, currency_of(&r.currency)),
                work_mode: mode_of(&r.work_mode),
                location: r.location,
                slots: u16::try_from(r.slots).unwrap_or(1),
                application_deadline: r.application_deadline,
                decision_by: r.decision_by,
                screening_question: r.screening_question,
                for_credit: r.for_credit,
                blind_screening: r.blind_screening,
                weekly_hours: r.weekly_hours.and_then(|w| u16::try_from(w).ok()),
            },
            hired_count: u16::try_from(r.hired_count).unwrap_or(0),
            created_at: r.created_at,
            updated_at: r.updated_at,
            published_at: r.published_at,
            restricted_to: match (r.restricted_to, r.restricted_name, r.restricted_slug) {
                (Some(university_id), Some(name), Some(slug)) => Some(Restriction {
                    university_id,
                    name,
                    slug,
                }),
                _ => None,
            },
            invite_only: r.invite_only,
        }
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub(crate) struct CardRow {
    pub(crate) id: i64,
    status: String,
    title: String,
    summary: String,
    category: String,
    required_skills: String,
    estimated_hours: i32,
    price_minor: i64,
    currency: String,
    work_mode: String,
    location: Option<String>,
    application_deadline: NaiveDate,
    start_date: NaiveDate,
    due_date: NaiveDate,
    for_credit: bool,
    published_at: Option<DateTime<Utc>>,
    org_id: i64,
    org_name: String,
    org_slug: String,
    org_verified: bool,
    /// Text relevance, lower is better; absent without search words.
    #[sqlx(default)]
    rank: Option<f64>,
    /// Matches counted up to [`COUNT_CAP`] + 1, the same on every row
    /// (searches only).
    #[sqlx(default)]
    total: i64,
    /// Read by the organization's listing only (searches leave these out).
    #[sqlx(default)]
    restricted_to: Option<i64>,
    #[sqlx(default)]
    invite_only: bool,
}

/// What a listing shows of a project.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectCard {
    pub id: i64,
    pub status: ProjectStatus,
    pub title: String,
    pub summary: String,
    pub category: String,
    pub required_skills: Vec<String>,
    pub estimated_hours: u16,
    pub price: Money,
    pub work_mode: WorkMode,
    pub location: Option<String>,
    pub application_deadline: NaiveDate,
    pub start_date: NaiveDate,
    pub due_date: NaiveDate,
    pub for_credit: bool,
    pub published_at: Option<DateTime<Utc>>,
    pub org_id: i64,
    pub org_name: String,
    pub org_slug: String,
    pub org_verified: bool,
    /// Arranged with a university for its own students (organization
    /// listings only; searches never hold these).
    pub restricted: bool,
    /// Only for the students the organization invites (organization
    /// listings only).
    pub invite_only: bool,
    /// Text relevance (lower is more relevant, comparable within one
    /// search only); `None` when the search had no words.
    #[serde(skip)]
    pub rank: Option<f64>,
}

impl From<CardRow> for ProjectCard {
    fn from(r: CardRow) -> Self {
        ProjectCard {
            id: r.id,
            status: ProjectStatus::parse(&r.status).unwrap_or(ProjectStatus::Draft),
            title: r.title,
            summary: r.summary,
            category: r.category,
            required_skills: split_list(&r.required_skills),
            estimated_hours: u16::try_from(r.estimated_hours).unwrap_or(1),
            price: Money::new(r.price_minor, currency_of(&r.currency)),
            work_mode: mode_of(&r.work_mode),
            location: r.location,
            application_deadline: r.application_deadline,
            start_date: r.start_date,
            due_date: r.due_date,
            for_credit: r.for_credit,
            published_at: r.published_at,
            org_id: r.org_id,
            org_name: r.org_name,
            org_slug: r.org_slug,
            org_verified: r.org_verified,
            restricted: r.restricted_to.is_some(),
            invite_only: r.invite_only,
            rank: r.rank,
        }
    }
}

/// One page of search results.
#[derive(Debug, Clone, Serialize)]
pub struct SearchPage {
    pub items: Vec<ProjectCard>,
    /// All matches, across pages, counted up to [`COUNT_CAP`].
    pub total: i64,
    /// More than [`COUNT_CAP`] match: `total` is a lower bound.
    pub total_capped: bool,
    /// Offset of the next page, when there is one.
    pub next_offset: Option<u32>,
}

const PROJECT_SELECT: &str = "SELECT p.id, p.org_id, o.name AS org_name, o.slug AS org_slug,
        CASE WHEN o.verified_at IS NULL THEN FALSE ELSE TRUE END AS org_verified, p.created_by, p.status, p.title,
        p.summary, p.brief, p.deliverables, p.acceptance_criteria, p.category, p.required_skills, p.preferred_skills,
        p.estimated_hours, p.start_date, p.due_date, p.price_minor, p.currency, p.work_mode, p.location, p.slots,
        p.application_deadline, p.decision_by, p.screening_question, p.for_credit, p.blind_screening, p.weekly_hours, p.hired_count, p.created_at, p.updated_at, p.published_at,
        p.restricted_to, ru.name AS restricted_name, ru.slug AS restricted_slug, p.invite_only
    FROM projects p JOIN organizations o ON o.id = p.org_id LEFT JOIN organizations ru ON ru.id = p.restricted_to";

pub(crate) const CARD_COLS: &str = "p.id, p.status, p.title, p.summary, p.category, p.required_skills, p.estimated_hours,
    p.price_minor, p.currency, p.work_mode, p.location, p.application_deadline, p.start_date, p.due_date, p.for_credit,
    p.published_at, p.org_id, o.name AS org_name, o.slug AS org_slug,
    CASE WHEN o.verified_at IS NULL THEN FALSE ELSE TRUE END AS org_verified";

/// Pushes the WHERE conditions shared by both engines' search queries.
macro_rules! push_filters {
    ($qb:expr, $q:expr) => {{
        let q: &ProjectQuery = $q;
        // Projects arranged with a university are found on its pages only;
        // invite-only projects by the students invited only.
        $qb.push(" WHERE p.status = 'open' AND p.restricted_to IS NULL AND NOT p.invite_only");
        if let Some(c) = &q.category {
            $qb.push(" AND p.category = ").push_bind(c.clone());
        }
        if let Some(s) = &q.skill {
            $qb.push(" AND EXISTS (SELECT 1 FROM project_skills ps WHERE ps.project_id = p.id AND ps.skill = ")
                .push_bind(s.clone())
                .push(")");
        }
        if let Some(m) = q.mode {
            $qb.push(" AND p.work_mode = ").push_bind(m.as_str());
        }
        if let Some(l) = &q.location {
            let escaped = l.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
            $qb.push(" AND LOWER(COALESCE(p.location, '')) LIKE ")
                .push_bind(format!("%{escaped}%"))
                .push(" ESCAPE '\\'");
        }
        match (q.currency, q.min_price_minor) {
            (Some(c), Some(min)) => {
                $qb.push(" AND p.currency = ").push_bind(c.code()).push(" AND p.price_minor >= ").push_bind(min);
            }
            (Some(c), None) => {
                $qb.push(" AND p.currency = ").push_bind(c.code());
            }
            (None, Some(min)) => {
                $qb.push(" AND p.price_usd_cents >= ").push_bind(min);
            }
            (None, None) => {}
        }
        if let Some(h) = q.max_hours {
            $qb.push(" AND p.estimated_hours <= ").push_bind(i32::from(h));
        }
        if let Some(d) = q.max_days {
            $qb.push(" AND p.duration_days <= ").push_bind(i32::from(d));
        }
        if q.for_credit {
            $qb.push(" AND p.for_credit = TRUE");
        }
        if let Some(id) = q.project_id {
            $qb.push(" AND p.id = ").push_bind(id);
        }
        if let Some(t) = q.published_after {
            $qb.push(" AND p.published_at > ").push_bind(t);
        }
    }};
}

fn order_by(sort: Sort, has_text: bool) -> &'static str {
    match sort {
        Sort::Relevance if has_text => " ORDER BY rank, p.id DESC",
        Sort::Relevance | Sort::Newest => " ORDER BY p.published_at DESC, p.id DESC",
        Sort::Price => " ORDER BY p.price_usd_cents DESC, p.id DESC",
        Sort::Deadline => " ORDER BY p.application_deadline ASC, p.id ASC",
    }
}

/// Most text matches considered before filters and ranking: the newest this
/// many open projects containing the words. Bounds the work a very common
/// word can cause; rarer words (fewer matches) are ranked in full.
const MAX_TEXT_CANDIDATES: i64 = 5000;

/// On PostgreSQL the capped count without words walks the open projects
/// newest first, by index. Unordered, PostgreSQL chose a sequential scan
/// "until 1,001 open rows", which reads every closed project stored before
/// them: 280 ms instead of 2 ms at 900,000 closed projects, and only on some
/// runs, because synchronized scans start where the previous scan of the
/// table stopped. SQLite counts through an index either way, faster unordered
/// (9 against 14 ms for `currency=INR&min_price=5000`).
const COUNT_ORDER: &str = " ORDER BY p.published_at DESC";

/// Matches are counted up to this many; past it a search says "1,000+".
/// An exact count of 100,000 rows costs more than the page itself.
pub const COUNT_CAP: i64 = 1000;

/// A placement's hours a week, written in the same transaction as the rest.
macro_rules! set_weekly_hours {
    ($tx:ident, $id:expr, $input:expr) => {
        sqlx::query("UPDATE projects SET weekly_hours = $1 WHERE id = $2")
            .bind($input.weekly_hours.map(i32::from))
            .bind($id)
            .execute(&mut *$tx)
            .await?;
    };
}

impl Store {
    #[tracing::instrument(skip(self, input))]
    pub async fn create_project(
        &self,
        org_id: i64,
        user_id: i64,
        input: &ProjectInput,
    ) -> StoreResult<Project> {
        let now = Utc::now();
        let id: i64 = with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                let q = sqlx::query_scalar(
                    "INSERT INTO projects (title, summary, brief, deliverables, acceptance_criteria, category, required_skills,
                        preferred_skills, estimated_hours, start_date, due_date, duration_days, price_minor, currency,
                        price_usd_cents, work_mode, location, slots, application_deadline, decision_by, screening_question,
                        for_credit, blind_screening, org_id, created_by, status, created_at, updated_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
                        $22, $23, $24, $25, 'draft', $26, $26)
                     RETURNING id",
                );
                let id: i64 = bind_content!(q, input)
                .bind(org_id)
                .bind(user_id)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
                write_skills!(tx, id, input);
                set_weekly_hours!(tx, id, input);
                tx.commit().await?;
                Ok::<i64, StoreError>(id)
            }
            .await
        })?;
        self.project(id).await
    }

    /// Replaces a draft's content. `Conflict("not_draft")` if it is no longer
    /// a draft (someone published it meanwhile).
    #[tracing::instrument(skip(self, input))]
    pub async fn update_draft(&self, id: i64, input: &ProjectInput) -> StoreResult<Project> {
        let now = Utc::now();
        let n: u64 = with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                let q = sqlx::query(
                    "UPDATE projects SET title = $1, summary = $2, brief = $3, deliverables = $4, acceptance_criteria = $5,
                        category = $6, required_skills = $7, preferred_skills = $8, estimated_hours = $9, start_date = $10,
                        due_date = $11, duration_days = $12, price_minor = $13, currency = $14, price_usd_cents = $15,
                        work_mode = $16, location = $17, slots = $18, application_deadline = $19, decision_by = $20,
                        screening_question = $21, for_credit = $22, blind_screening = $23, updated_at = $24
                     WHERE id = $25 AND status = 'draft'",
                );
                let n = bind_content!(q, input)
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n == 1 {
                    sqlx::query("DELETE FROM project_skills WHERE project_id = $1").bind(id).execute(&mut *tx).await?;
                    write_skills!(tx, id, input);
                    set_weekly_hours!(tx, id, input);
                }
                tx.commit().await?;
                Ok::<u64, StoreError>(n)
            }
            .await
        })?;
        if n == 0 {
            self.project(id).await?;
            return Err(StoreError::Conflict("not_draft"));
        }
        self.project(id).await
    }

    pub async fn project(&self, id: i64) -> StoreResult<Project> {
        let _ = PROJECT_SELECT;
        let row: ProjectRow = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT p.id, p.org_id, o.name AS org_name, o.slug AS org_slug,
                    CASE WHEN o.verified_at IS NULL THEN FALSE ELSE TRUE END AS org_verified, p.created_by, p.status, p.title,
                    p.summary, p.brief, p.deliverables, p.acceptance_criteria, p.category, p.required_skills, p.preferred_skills,
                    p.estimated_hours, p.start_date, p.due_date, p.price_minor, p.currency, p.work_mode, p.location, p.slots,
                    p.application_deadline, p.decision_by, p.screening_question, p.for_credit, p.blind_screening, p.weekly_hours, p.hired_count, p.created_at, p.updated_at, p.published_at,
                    p.restricted_to, ru.name AS restricted_name, ru.slug AS restricted_slug, p.invite_only
                 FROM projects p JOIN organizations o ON o.id = p.org_id LEFT JOIN organizations ru ON ru.id = p.restricted_to
                 WHERE p.id = $1",
            )
            .bind(id)
            .fetch_one(p)
            .await
        })?;
        Ok(row.into())
    }

    /// Every project of an organization, newest first.
    pub async fn org_projects(&self, org_id: i64) -> StoreResult<Vec<ProjectCard>> {
        let _ = CARD_COLS;
        let rows: Vec<CardRow> = with_db!(self, read, |p| {
            sqlx::query_as(
                "SELECT p.id, p.status, p.title, p.summary, p.category, p.required_skills, p.estimated_hours,
                    p.price_minor, p.currency, p.work_mode, p.location, p.application_deadline, p.start_date, p.due_date, p.for_credit,
                    p.published_at, p.org_id, o.name AS org_name, o.slug AS org_slug,
                    CASE WHEN o.verified_at IS NULL THEN FALSE ELSE TRUE END AS org_verified, p.restricted_to, p.invite_only
                 FROM projects p JOIN organizations o ON o.id = p.org_id WHERE p.org_id = $1 ORDER BY p.id DESC",
            )
            .bind(org_id)
            .fetch_all(p)
            .await
        })?;
        Ok(rows.into_iter().map(ProjectCard::from).collect())
    }

    /// Sets who a draft is for: every student, the students of one
    /// university, or only the students the organization invites.
    /// `Conflict("not_draft")` once published: who a live project is for
    /// does not change under the students who applied.
    pub async fn set_project_audience(&self, id: i64, audience: Audience) -> StoreResult<Project> {
        let now = Utc::now();
        let (university_id, invite_only) = match audience {
            Audience::Everyone => (None, false),
            Audience::University(u) => (Some(u), false),
            Audience::Invited => (None, true),
        };
        let n = with_db!(self, write, |p| {
            sqlx::query(
                "UPDATE projects SET restricted_to = $2, invite_only = $4, updated_at = $3 WHERE id = $1 AND status = 'draft'",
            )
            .bind(id)
            .bind(university_id)
            .bind(now)
            .bind(invite_only)
            .execute(p)
            .await
            .map(|r| r.rows_affected())
        })?;
        if n == 0 {
            return Err(StoreError::Conflict("not_draft"));
        }
        self.project(id).await
    }

    /// Moves a project from `from` to `to` only if it is still in `from`, so
    /// two people acting at once cannot both succeed. Keeps the search index
    /// in step: only open projects are searchable, and of those not the ones
    /// arranged with a university.
    #[tracing::instrument(skip(self))]
    pub async fn set_project_status(
        &self,
        id: i64,
        from: ProjectStatus,
        to: ProjectStatus,
    ) -> StoreResult<Project> {
        let now = Utc::now();
        let published = (to == ProjectStatus::Open).then_some(now);
        let n: u64 = match &self.db {
            Db::Sqlite { write, .. } => {
                let mut tx = write.begin().await?;
                let n = sqlx::query(
                    "UPDATE projects SET status = $1, updated_at = $2, published_at = COALESCE($3, published_at)
                     WHERE id = $4 AND status = $5",
                )
                .bind(to.as_str())
                .bind(now)
                .bind(published)
                .bind(id)
                .bind(from.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n == 1 {
                    sqlx::query("DELETE FROM projects_fts WHERE rowid = $1")
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    if to == ProjectStatus::Open {
                        sqlx::query(
                            "INSERT INTO projects_fts (rowid, title, summary, skills, brief)
                             SELECT id, title, summary, REPLACE(required_skills || ',' || preferred_skills, ',', ' ') || ' ' || category,
                                    brief || ' ' || deliverables
                             FROM projects WHERE id = $1 AND restricted_to IS NULL AND NOT invite_only",
                        )
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    }
                    feed_search!(tx, [id], now);
                }
                tx.commit().await?;
                n
            }
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let n = sqlx::query(
                    concat!(
                        "UPDATE projects SET status = $1, updated_at = $2, published_at = COALESCE($3, published_at),
                            search = CASE WHEN $1 = 'open' AND restricted_to IS NULL AND NOT invite_only THEN ",
                        crate::pg_search_text!(),
                        " ELSE NULL END
                         WHERE id = $4 AND status = $5"
                    ),
                )
                .bind(to.as_str())
                .bind(now)
                .bind(published)
                .bind(id)
                .bind(from.as_str())
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if n == 1 {
                    feed_search!(tx, [id], now);
                }
                tx.commit().await?;
                n
            }
        };
        if n == 0 {
            self.project(id).await?;
            return Err(StoreError::Conflict("status_changed"));
        }
        self.search_touched();
        self.project(id).await
    }

    /// Open projects matching `q`, one page of them, with the number of
    /// matches (up to [`COUNT_CAP`]) counted in the same statement.
    #[tracing::instrument(skip(self))]
    pub async fn search_projects(&self, q: &ProjectQuery) -> StoreResult<SearchPage> {
        if let Some(a) = &self.search {
            return Ok(self.search_indexed(a, q, false).await?.0);
        }
        let terms = q.text.as_deref().map(search_terms).unwrap_or_default();
        let has_text = !terms.is_empty();
        let limit = i64::from(q.limit);
        let offset = i64::from(q.offset);
        let rows: Vec<CardRow> = match &self.db {
            Db::Sqlite { read, .. } => {
                // Quoted terms are literal to FTS5; the last one matches as a prefix.
                let fts = terms
                    .iter()
                    .map(|t| format!("\"{t}\""))
                    .collect::<Vec<_>>()
                    .join(" ")
                    + "*";
                let mut qb = QueryBuilder::<sqlx::Sqlite>::new("");
                if has_text {
                    // `hits`: ORDER BY rowid walks the index newest first and
                    // stops at the cap, so bm25 runs only for the candidates.
                    // `found`: the candidates that pass the filters, kept once
                    // for the page and the count. `page`: ordered and cut
                    // before the wide project rows are read, so only the shown
                    // ones are. The index holds open projects only: words
                    // alone, by relevance, need no project row to rank.
                    qb.push(
                        "WITH hits AS MATERIALIZED (SELECT rowid AS pid, bm25(projects_fts, 10.0, 4.0, 6.0, 1.0) AS rank
                         FROM projects_fts WHERE projects_fts MATCH ",
                    )
                    .push_bind(fts)
                    .push(" ORDER BY rowid DESC LIMIT ")
                    .push_bind(MAX_TEXT_CANDIDATES)
                    .push("), found AS MATERIALIZED (");
                    if q.has_filters() || q.sort != Sort::Relevance {
                        qb.push(
                            "SELECT p.id AS id, hits.rank AS rank, p.published_at AS published_at,
                             p.price_usd_cents AS price_usd_cents, p.application_deadline AS application_deadline
                             FROM hits JOIN projects p ON p.id = hits.pid",
                        );
                        push_filters!(qb, q);
                    } else {
                        qb.push("SELECT pid AS id, rank FROM hits");
                    }
                    qb.push("), page AS MATERIALIZED (SELECT p.id AS fid, p.rank AS rank FROM found p")
                        .push(order_by(q.sort, has_text))
                        .push(" LIMIT ")
                        .push_bind(limit + 1)
                        .push(" OFFSET ")
                        .push_bind(offset)
                        .push(") SELECT ")
                        .push(CARD_COLS)
                        .push(", page.rank AS rank, (SELECT COUNT(*) FROM (SELECT 1 FROM found LIMIT ")
                        .push_bind(COUNT_CAP + 1)
                        .push(")) AS total FROM page JOIN projects p ON p.id = page.fid JOIN organizations o ON o.id = p.org_id")
                        .push(order_by(q.sort, has_text));
                } else {
                    qb.push("SELECT ")
                        .push(CARD_COLS)
                        .push(", NULL AS rank, (SELECT COUNT(*) FROM (SELECT 1 FROM projects p");
                    push_filters!(qb, q);
                    qb.push(" LIMIT ").push_bind(COUNT_CAP + 1).push(
                        ")) AS total FROM projects p JOIN organizations o ON o.id = p.org_id",
                    );
                    push_filters!(qb, q);
                    qb.push(order_by(q.sort, has_text))
                        .push(" LIMIT ")
                        .push_bind(limit + 1)
                        .push(" OFFSET ")
                        .push_bind(offset);
                }
                qb.build_query_as().fetch_all(read).await?
            }
            Db::Postgres(pool) => {
                let tsq = terms.join(" & ") + ":*";
                let text_filter = |qb: &mut QueryBuilder<sqlx::Postgres>| {
                    if has_text {
                        qb.push(" AND p.search @@ to_tsquery('english', ")
                            .push_bind(tsq.clone())
                            .push(")");
                    }
                };
                let mut qb = QueryBuilder::<sqlx::Postgres>::new("SELECT ");
                qb.push(CARD_COLS);
                if has_text {
                    qb.push(", (-ts_rank(p.search, to_tsquery('english', ")
                        .push_bind(tsq.clone())
                        .push(")))::float8 AS rank");
                } else {
                    qb.push(", NULL::float8 AS rank");
                }
                // An uncorrelated subquery: run once for the statement.
                qb.push(", (SELECT COUNT(*) FROM (SELECT 1 FROM projects p");
                push_filters!(qb, q);
                text_filter(&mut qb);
                if !has_text {
                    // Text matches come from the GIN index; see COUNT_ORDER.
                    qb.push(COUNT_ORDER);
                }
                qb.push(" LIMIT ").push_bind(COUNT_CAP + 1).push(
                    ") counted) AS total FROM projects p JOIN organizations o ON o.id = p.org_id",
                );
                push_filters!(qb, q);
                text_filter(&mut qb);
                qb.push(order_by(q.sort, has_text))
                    .push(" LIMIT ")
                    .push_bind(limit + 1)
                    .push(" OFFSET ")
                    .push_bind(offset);
                qb.build_query_as().fetch_all(pool).await?
            }
        };
        let total = match rows.first() {
            Some(r) => r.total,
            // Past the last page the rows carry no count: count on their own.
            None if offset > 0 => {
                let mut unpaged = q.clone();
                unpaged.offset = 0;
                unpaged.limit = 1;
                return Box::pin(self.search_projects(&unpaged))
                    .await
                    .map(|p| SearchPage {
                        items: Vec::new(),
                        next_offset: None,
                        ..p
                    });
            }
            None => 0,
        };
        let more = rows.len() as i64 > limit;
        let items: Vec<ProjectCard> = rows
            .into_iter()
            .take(q.limit as usize)
            .map(ProjectCard::from)
            .collect();
        Ok(SearchPage {
            items,
            total: total.min(COUNT_CAP),
            total_capped: total > COUNT_CAP,
            next_offset: more.then(|| q.offset + q.limit),
        })
    }

    /// Counts projects by status, for dashboards and health.
    pub async fn count_open_projects(&self) -> StoreResult<i64> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_scalar("SELECT COUNT(*) FROM projects WHERE status = 'open'")
                .fetch_one(p)
                .await
        })?)
    }

    /// The project with this title in this organization, if any (demo loading).
    pub async fn project_id_by_title(&self, org_id: i64, title: &str) -> StoreResult<Option<i64>> {
        Ok(with_db!(self, read, |p| {
            sqlx::query_scalar("SELECT id FROM projects WHERE org_id = $1 AND title = $2")
                .bind(org_id)
                .bind(title)
                .fetch_one(p)
                .await
                .optional()
        })?)
    }
}

/// Binds a project's content columns as `$1`…`$23`, in the order both the
/// INSERT and the UPDATE list them.
macro_rules! bind_content {
    ($q:expr, $input:expr) => {{
        let input: &ProjectInput = $input;
        $q.bind(&input.title)
            .bind(&input.summary)
            .bind(&input.brief)
            .bind(&input.deliverables)
            .bind(&input.acceptance_criteria)
            .bind(&input.category)
            .bind(input.required_skills.join(","))
            .bind(input.preferred_skills.join(","))
            .bind(i32::from(input.estimated_hours))
            .bind(input.start_date)
            .bind(input.due_date)
            .bind(i32::try_from(input.duration_days()).unwrap_or(i32::MAX))
            .bind(input.price.minor)
            .bind(input.price.currency.code())
            .bind(input.price.approx_usd_cents())
            .bind(input.work_mode.as_str())
            .bind(input.location.clone())
            .bind(i32::from(input.slots))
            .bind(input.application_deadline)
            .bind(input.decision_by)
            .bind(input.screening_question.clone())
            .bind(input.for_credit)
            .bind(input.blind_screening)
    }};
}
use bind_content;

/// Writes a project's skill rows inside an open transaction.
macro_rules! write_skills {
    ($tx:ident, $id:expr, $input:expr) => {
        for (skill, required) in $input
            .required_skills
            .iter()
            .map(|s| (s, true))
            .chain($input.preferred_skills.iter().map(|s| (s, false)))
        {
            sqlx::query(
                "INSERT INTO project_skills (project_id, skill, required) VALUES ($1, $2, $3)",
            )
            .bind($id)
            .bind(skill)
            .bind(required)
            .execute(&mut *$tx)
            .await?;
        }
    };
}
use write_skills;

/// Counts of open projects matching a search, per facet value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facets {
    /// (category slug, count), largest first.
    pub categories: Vec<(String, i64)>,
    /// (work mode, count).
    pub modes: Vec<(String, i64)>,
    /// (at least this many US dollars, count), cumulative.
    pub price_from_usd: Vec<(i64, i64)>,
    /// (at most this many hours, count), cumulative.
    pub hours_up_to: Vec<(i64, i64)>,
    pub for_credit: i64,
    pub total: i64,
}

/// Price bands in US cents and hour bands the facets count.
const PRICE_BANDS_USD: [i64; 3] = [100, 250, 500];
const HOUR_BANDS: [i64; 3] = [10, 20, 40];

#[derive(sqlx::FromRow)]
struct FacetRow {
    category: String,
    work_mode: String,
    price_band: i32,
    hours_band: i32,
    for_credit: bool,
    n: i64,
}

const FACET_SELECT: &str = "p.category, p.work_mode,
    CAST(CASE WHEN p.price_usd_cents >= 50000 THEN 3 WHEN p.price_usd_cents >= 25000 THEN 2 WHEN p.price_usd_cents >= 10000 THEN 1 ELSE 0 END AS INTEGER) AS price_band,
    CAST(CASE WHEN p.estimated_hours <= 10 THEN 0 WHEN p.estimated_hours <= 20 THEN 1 WHEN p.estimated_hours <= 40 THEN 2 ELSE 3 END AS INTEGER) AS hours_band,
    p.for_credit, CAST(COUNT(*) AS BIGINT) AS n";
const FACET_GROUP: &str = " GROUP BY p.category, p.work_mode, price_band, hours_band, p.for_credit";

impl Store {
    /// A page of a search and its facet counts: with the index, from one
    /// pass over the matches.
    pub async fn search_projects_with_facets(
        &self,
        q: &ProjectQuery,
    ) -> StoreResult<(SearchPage, Facets)> {
        if let Some(a) = &self.search
            && let (page, Some(facets)) = self.search_indexed(a, q, true).await?
        {
            return Ok((page, facets));
        }
        Ok((self.search_projects(q).await?, self.search_facets(q).await?))
    }

    /// Facet counts for a search: one grouped pass over the matching open
    /// projects, summed per facet here.
    #[tracing::instrument(skip(self))]
    pub async fn search_facets(&self, q: &ProjectQuery) -> StoreResult<Facets> {
        if let Some(a) = &self.search {
            return self.facets_indexed(a, q).await;
        }
        let terms = q.text.as_deref().map(search_terms).unwrap_or_default();
        let has_text = !terms.is_empty();
        let rows: Vec<FacetRow> = match &self.db {
            Db::Sqlite { read, .. } => {
                let fts = terms
                    .iter()
                    .map(|t| format!("\"{t}\""))
                    .collect::<Vec<_>>()
                    .join(" ")
                    + "*";
                let mut qb: QueryBuilder<sqlx::Sqlite> = QueryBuilder::new("");
                if has_text {
                    qb.push("WITH hits AS MATERIALIZED (SELECT rowid AS pid FROM projects_fts WHERE projects_fts MATCH ")
                        .push_bind(fts)
                        .push(" ORDER BY rowid DESC LIMIT ")
                        .push_bind(MAX_TEXT_CANDIDATES)
                        .push(") SELECT ")
                        .push(FACET_SELECT)
                        .push(" FROM hits JOIN projects p ON p.id = hits.pid");
                } else {
                    qb.push("SELECT ")
                        .push(FACET_SELECT)
                        .push(" FROM projects p");
                }
                push_filters!(qb, q);
                qb.push(FACET_GROUP);
                qb.build_query_as().fetch_all(read).await?
            }
            Db::Postgres(pool) => {
                let mut qb: QueryBuilder<sqlx::Postgres> = QueryBuilder::new("SELECT ");
                qb.push(FACET_SELECT).push(" FROM projects p");
                push_filters!(qb, q);
                if has_text {
                    qb.push(" AND p.search @@ to_tsquery('english', ")
                        .push_bind(terms.join(" & ") + ":*")
                        .push(")");
                }
                qb.push(FACET_GROUP);
                qb.build_query_as().fetch_all(pool).await?
            }
        };
        let mut f = Facets::default();
        let add = |list: &mut Vec<(String, i64)>, key: &str, n: i64| match list
            .iter_mut()
            .find(|(k, _)| k == key)
        {
            Some(e) => e.1 += n,
            None => list.push((key.to_string(), n)),
        };
        f.price_from_usd = PRICE_BANDS_USD.iter().map(|b| (*b, 0)).collect();
        f.hours_up_to = HOUR_BANDS.iter().map(|b| (*b, 0)).collect();
        for r in rows {
            f.total += r.n;
            add(&mut f.categories, &r.category, r.n);
            add(&mut f.modes, &r.work_mode, r.n);
            for (i, e) in f.price_from_usd.iter_mut().enumerate() {
                if r.price_band > i as i32 {
                    e.1 += r.n;
                }
            }
            for (i, e) in f.hours_up_to.iter_mut().enumerate() {
                if r.hours_band <= i as i32 {
                    e.1 += r.n;
                }
            }
            if r.for_credit {
                f.for_credit += r.n;
            }
        }
        f.categories
            .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        f.modes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(f)
    }
}
