//! Keeps this process's search index ([`stint_search::ProjectIndex`]) in
//! step with the database, and answers searches and facets from it.
//!
//! Every change that makes a project findable or not writes the project's id
//! to `search_changes` in the same transaction ([`feed_search`]), under the
//! next number of the one `search_feed` row; that row's lock, taken last in
//! each such transaction, makes the numbers commit in order. Before a search
//! the index is brought up to the feed's number: at once when this process
//! changed a project (or the search is one a job relies on: a saved-search
//! alert, a digest), otherwise when the last look is older than
//! [`CHECK_EVERY`], so changes made by another process sharing the database
//! are searchable within that time. Catching up re-reads the changed
//! projects and replaces their documents; an index at another epoch, or
//! older than the changes still kept, is rebuilt from the projects.
//!
//! The rows shown are read from the database by the ids the index found, and
//! only while still open: a project closed a moment ago is never shown.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::QueryBuilder;
use stint_domain::search::{ProjectQuery, search_terms};
pub use stint_search::Storage as IndexStorage;
use stint_search::{Position, ProjectDoc, ProjectIndex};

use crate::projects::{CARD_COLS, COUNT_CAP, CardRow, Facets, ProjectCard, SearchPage};
use crate::{Store, StoreResult, push_in, split_list, with_db};

/// Longest a search may use an index that has not looked at the feed, when
/// nothing in this process changed a project.
pub const CHECK_EVERY: Duration = Duration::from_millis(250);
/// Projects read per statement while rebuilding or catching up.
const BATCH: i64 = 2_000;
/// Changes kept in the feed; an index further behind is rebuilt.
pub const FEED_DAYS: i64 = 7;

/// Which projects the index holds: open ones anyone may find.
const FINDABLE: &str = "p.status = 'open' AND p.restricted_to IS NULL AND NOT p.invite_only";

/// Rebuild progress: (projects indexed, projects to index).
pub type Progress = Box<dyn Fn(u64, u64) + Send + Sync>;

pub(crate) struct Attached {
    index: Arc<ProjectIndex>,
    /// Held while catching up; holds when the feed was last read.
    sync: tokio::sync::Mutex<()>,
    checked: std::sync::Mutex<Option<Instant>>,
    /// Counts this process's project changes (each after its commit).
    touched: AtomicU64,
    /// The count a finished look at the feed started from: while it is
    /// behind `touched`, a change of this process may be missing. (A flag
    /// cleared when a look starts would let a search pass while that look
    /// is still applying the change.)
    synced: AtomicU64,
}

impl std::fmt::Debug for Attached {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.index.fmt(f)
    }
}

/// Writes `ids` to the search feed inside an open transaction; call it last
/// before the commit (it takes the feed row's lock until then).
macro_rules! feed_search {
    ($tx:ident, $ids:expr, $now:expr) => {{
        let seq: i64 =
            sqlx::query_scalar("UPDATE search_feed SET seq = seq + 1 WHERE id = 1 RETURNING seq")
                .fetch_one(&mut *$tx)
                .await?;
        for id in $ids {
            sqlx::query(
                "INSERT INTO search_changes (seq, project_id, changed_at) VALUES ($1, $2, $3)
                 ON CONFLICT DO NOTHING",
            )
            .bind(seq)
            .bind(id)
            .bind($now)
            .execute(&mut *$tx)
            .await?;
        }
    }};
}
pub(crate) use feed_search;

#[derive(sqlx::FromRow)]
struct DocRow {
    id: i64,
    title: String,
    summary: String,
    brief: String,
    deliverables: String,
    category: String,
    required_skills: String,
    preferred_skills: String,
    work_mode: String,
    location: Option<String>,
    currency: String,
    price_minor: i64,
    price_usd_cents: i64,
    estimated_hours: i32,
    duration_days: i32,
    for_credit: bool,
    published_at: Option<DateTime<Utc>>,
    application_deadline: NaiveDate,
}

const DOC_COLS: &str = "p.id, p.title, p.summary, p.brief, p.deliverables, p.category, p.required_skills,
    p.preferred_skills, p.work_mode, p.location, p.currency, p.price_minor, p.price_usd_cents, p.estimated_hours,
    p.duration_days, p.for_credit, p.published_at, p.application_deadline";

impl From<DocRow> for ProjectDoc {
    fn from(r: DocRow) -> Self {
        let mut skills = split_list(&r.required_skills);
        skills.extend(split_list(&r.preferred_skills));
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
        ProjectDoc {
            id: r.id,
            skills_text: format!("{} {}", skills.join(" "), r.category),
            title: r.title,
            summary: r.summary,
            brief: format!("{} {}", r.brief, r.deliverables),
            category: r.category,
            skills,
            work_mode: r.work_mode,
            location: r.location,
            currency: r.currency,
            price_minor: r.price_minor,
            price_usd_cents: r.price_usd_cents,
            estimated_hours: i64::from(r.estimated_hours),
            duration_days: i64::from(r.duration_days),
            for_credit: r.for_credit,
            published_at: r.published_at.map_or(0, |t| t.timestamp_micros()),
            application_deadline: (r.application_deadline - epoch).num_days(),
        }
    }
}

impl Store {
    /// Gives this store a search index (in `dir`, or in memory) and brings
    /// it up to date, rebuilding it if it is missing or stale; `progress`
    /// hears how a rebuild goes. From then on searches and facets are
    /// answered by the index.
    pub async fn with_search_index(
        mut self,
        dir: Option<&Path>,
        progress: Option<Progress>,
    ) -> StoreResult<Store> {
        let index = ProjectIndex::open(dir)?;
        let attached = Arc::new(Attached {
            index: Arc::new(index),
            sync: tokio::sync::Mutex::new(()),
            checked: std::sync::Mutex::new(None),
            touched: AtomicU64::new(1),
            synced: AtomicU64::new(0),
        });
        self.search = Some(attached.clone());
        self.sync_search(&attached, true, progress.as_ref()).await?;
        Ok(self)
    }

    /// Where the index lives and how many projects it holds, if there is one.
    pub fn search_index_state(&self) -> Option<(IndexStorage, u64)> {
        self.search
            .as_ref()
            .map(|a| (a.index.storage().clone(), a.index.len()))
    }

    /// Tells this process's index that a project changed (after the commit).
    pub(crate) fn search_touched(&self) {
        if let Some(a) = &self.search {
            a.touched.fetch_add(1, Ordering::AcqRel);
        }
    }

    /// Brings the index up to the feed. `force` reads the feed even if it was
    /// read less than [`CHECK_EVERY`] ago.
    async fn sync_search(
        &self,
        a: &Arc<Attached>,
        force: bool,
        progress: Option<&Progress>,
    ) -> StoreResult<()> {
        let recent = |a: &Attached| {
            a.synced.load(Ordering::Acquire) == a.touched.load(Ordering::Acquire)
                && a.checked
                    .lock()
                    .ok()
                    .and_then(|c| *c)
                    .is_some_and(|t| t.elapsed() < CHECK_EVERY)
        };
        if !force && recent(a) {
            return Ok(());
        }
        let _one = a.sync.lock().await;
        if !force && recent(a) {
            return Ok(());
        }
        let from = a.touched.load(Ordering::Acquire);
        let (epoch, seq, purged_to): (String, i64, i64) = with_db!(self, read, |p| {
            sqlx::query_as("SELECT epoch, seq, purged_to FROM search_feed WHERE id = 1")
                .fetch_one(p)
                .await
        })?;
        let at = Position { epoch, seq };
        match a.index.position() {
            Some(p) if p == at => {}
            Some(p) if p.epoch == at.epoch && p.seq < at.seq && p.seq >= purged_to => {
                self.catch_up(a, p.seq, &at).await?;
            }
            _ => self.rebuild_search(a, &at, progress).await?,
        }
        if let Ok(mut c) = a.checked.lock() {
            *c = Some(Instant::now());
        }
        a.synced.store(from, Ordering::Release);
        Ok(())
    }

    /// Applies the changes after `from` up to `to`.
    async fn catch_up(&self, a: &Arc<Attached>, from: i64, to: &Position) -> StoreResult<()> {
        let ids: Vec<i64> = with_db!(self, read, |p| {
            sqlx::query_scalar(
                "SELECT DISTINCT project_id FROM search_changes WHERE seq > $1 AND seq <= $2",
            )
            .bind(from)
            .bind(to.seq)
            .fetch_all(p)
            .await
        })?;
        let mut upserts = Vec::new();
        for chunk in ids.chunks(BATCH as usize) {
            upserts.extend(self.findable_docs(Some(chunk), 0).await?);
        }
        let deletes: Vec<i64> = ids
            .iter()
            .copied()
            .filter(|id| !upserts.iter().any(|d| d.id == *id))
            .collect();
        let (index, to) = (a.index.clone(), to.clone());
        blocking(move || index.apply(&upserts, &deletes, &to)).await
    }

    /// Reads every findable project into a fresh index, committed at `at`.
    async fn rebuild_search(
        &self,
        a: &Arc<Attached>,
        at: &Position,
        progress: Option<&Progress>,
    ) -> StoreResult<()> {
        let total: i64 = with_db!(self, read, |p| {
            let mut qb = QueryBuilder::new("SELECT COUNT(*) FROM projects p WHERE ");
            qb.push(FINDABLE);
            qb.build_query_scalar().fetch_one(p).await
        })?;
        tracing::info!(projects = total, "building the search index");
        let index = a.index.clone();
        blocking(move || index.start_rebuild()).await?;
        let (mut after, mut done) = (0_i64, 0_u64);
        loop {
            let docs = self.findable_docs(None, after).await?;
            let Some(last) = docs.last() else { break };
            after = last.id;
            done += docs.len() as u64;
            let index = a.index.clone();
            blocking(move || index.add(&docs)).await?;
            if let Some(p) = progress {
                p(done, total.max(0) as u64);
            }
        }
        let (index, at) = (a.index.clone(), at.clone());
        blocking(move || index.finish_rebuild(&at)).await
    }

    /// Findable projects: those of `ids`, or the next [`BATCH`] after id
    /// `after`.
    async fn findable_docs(&self, ids: Option<&[i64]>, after: i64) -> StoreResult<Vec<ProjectDoc>> {
        let rows: Vec<DocRow> = with_db!(self, read, |p| {
            let mut qb = QueryBuilder::new("SELECT ");
            qb.push(DOC_COLS)
                .push(" FROM projects p WHERE ")
                .push(FINDABLE);
            match ids {
                Some(ids) => {
                    qb.push(" AND p.id");
                    push_in!(qb, ids);
                }
                None => {
                    qb.push(" AND p.id > ")
                        .push_bind(after)
                        .push(" ORDER BY p.id LIMIT ")
                        .push_bind(BATCH);
                }
            }
            qb.build_query_as().fetch_all(p).await
        })?;
        Ok(rows.into_iter().map(ProjectDoc::from).collect())
    }

    /// A search answered by the index, its rows read from the database, and
    /// with `facets` its facet counts from the same pass.
    pub(crate) async fn search_indexed(
        &self,
        a: &Arc<Attached>,
        q: &ProjectQuery,
        facets: bool,
    ) -> StoreResult<(SearchPage, Option<Facets>)> {
        // Jobs ask about one new project, or what is new since a time: they
        // must see every change already committed.
        let exact = q.project_id.is_some() || q.published_after.is_some();
        self.sync_search(a, exact, None).await?;
        let has_text = q
            .text
            .as_deref()
            .is_some_and(|t| !search_terms(t).is_empty());
        let (hits, counts) = if facets {
            let (h, c) = a.index.search_with_facets(q)?;
            (h, Some(facets_of(c)))
        } else {
            (a.index.search(q)?, None)
        };
        let ids: Vec<i64> = hits.ids.iter().map(|(id, _)| *id).collect();
        let rows: Vec<CardRow> = if ids.is_empty() {
            Vec::new()
        } else {
            with_db!(self, read, |p| {
                let mut qb = QueryBuilder::new("SELECT ");
                qb.push(CARD_COLS)
                    .push(" FROM projects p JOIN organizations o ON o.id = p.org_id WHERE ")
                    .push(FINDABLE)
                    .push(" AND p.id");
                push_in!(qb, &ids);
                qb.build_query_as().fetch_all(p).await
            })?
        };
        let limit = q.limit as usize;
        let more = hits.ids.len() > limit;
        let mut rows: HashMap<i64, CardRow> = rows.into_iter().map(|r| (r.id, r)).collect();
        let mut items: Vec<ProjectCard> = Vec::with_capacity(limit);
        for (id, score) in hits.ids.iter().take(limit) {
            // In the index's order; a project closed since is left out.
            if let Some(r) = rows.remove(id) {
                let mut card = ProjectCard::from(r);
                card.rank = has_text.then_some(-f64::from(*score));
                items.push(card);
            }
        }
        let total = i64::try_from(hits.total).unwrap_or(i64::MAX);
        let page = SearchPage {
            items,
            total: total.min(COUNT_CAP),
            total_capped: total > COUNT_CAP,
            next_offset: more.then(|| q.offset + q.limit),
        };
        Ok((page, counts))
    }

    pub(crate) async fn facets_indexed(
        &self,
        a: &Arc<Attached>,
        q: &ProjectQuery,
    ) -> StoreResult<Facets> {
        self.sync_search(a, false, None).await?;
        Ok(facets_of(a.index.facets(q)?))
    }

    /// Drops feed entries older than `before`; an index that had not read
    /// them is rebuilt when it next looks.
    pub async fn purge_search_feed(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        let n = with_db!(self, write, |p| {
            async {
                let mut tx = p.begin().await?;
                let upto: Option<i64> =
                    sqlx::query_scalar("SELECT MAX(seq) FROM search_changes WHERE changed_at < $1")
                        .bind(before)
                        .fetch_one(&mut *tx)
                        .await?;
                let Some(upto) = upto else {
                    return Ok::<u64, sqlx::Error>(0);
                };
                let n = sqlx::query("DELETE FROM search_changes WHERE seq <= $1")
                    .bind(upto)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                sqlx::query(
                    "UPDATE search_feed SET purged_to = $1 WHERE id = 1 AND purged_to < $1",
                )
                .bind(upto)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(n)
            }
            .await
        })?;
        Ok(n)
    }

    /// Starts a new feed epoch: every index rebuilds when it next looks.
    /// For bulk loads, which write projects without feeding the index.
    pub async fn restart_search_feed(&self) -> StoreResult<()> {
        let epoch = format!("{:x}", Utc::now().timestamp_micros());
        with_db!(self, write, |p| {
            sqlx::query("UPDATE search_feed SET epoch = $1, seq = seq + 1 WHERE id = 1")
                .bind(epoch)
                .execute(p)
                .await
                .map(|_| ())
        })?;
        self.search_touched();
        Ok(())
    }
}

/// The index's facet counts as the store gives them.
fn facets_of(c: stint_search::FacetCounts) -> Facets {
    let n = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    let named = |v: Vec<(String, u64)>| v.into_iter().map(|(k, c)| (k, n(c))).collect();
    Facets {
        categories: named(c.categories),
        modes: named(c.modes),
        price_from_usd: stint_search::PRICE_BANDS_USD_CENTS
            .iter()
            .zip(c.price_from_usd)
            .map(|(b, c)| (b / 100, n(c)))
            .collect(),
        hours_up_to: stint_search::HOUR_BANDS
            .iter()
            .zip(c.hours_up_to)
            .map(|(b, c)| (*b, n(c)))
            .collect(),
        for_credit: n(c.for_credit),
        total: n(c.total),
    }
}

/// Runs index work (CPU and disk) off the async threads.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> stint_search::SearchResult<T> + Send + 'static,
) -> StoreResult<T> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => Ok(r?),
        Err(e) => Err(crate::StoreError::Config(format!("search index task: {e}"))),
    }
}
