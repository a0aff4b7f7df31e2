//! The search index over open projects: words, filters, sorts and facet
//! counts, answered in memory-mapped columns instead of by the database.
//!
//! The database stays the source of truth. This crate only knows documents
//! ([`ProjectDoc`]) and the feed position they were read at ([`Position`]);
//! `stint-store` feeds it from the `search_changes` table, written in the same
//! transaction as every change that makes a project findable or not, and
//! reads the rows it shows from the database by the ids found here.
//!
//! Words are matched the same way whatever the database: split on anything
//! not a letter or digit, lower-cased, accents folded, English stems; no stop
//! words (a search for "the" finds the projects that say "the"). The last
//! word also matches as a prefix, as typed (at half weight). Relevance is
//! where the words are: each word scores the weight of every field it is in
//! (title 10, skills and category 6, summary 4, brief and deliverables 1),
//! and ties go to the newest project. Postings are short and alike; BM25's
//! per-field rarity made one rare field outweigh a title match (a category
//! word found in one project's skills field outscored the same two words in
//! another's title by 40 %), which reordered what people see as equals.

mod words;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use stint_domain::search::{ProjectQuery, Sort, search_terms};
use tantivy::collector::{Collector, Count, SegmentCollector, TopDocs};
use tantivy::columnar::{Column, StrColumn};
use tantivy::directory::MmapDirectory;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer,
};
use words::{Word, WordsQuery};

use tantivy::{
    DocId, Index, IndexReader, IndexWriter, ReloadPolicy, Score, SegmentReader, TantivyDocument,
    Term,
};

#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    #[error("search index directory: {0}")]
    Directory(String),
}

pub type SearchResult<T> = Result<T, SearchError>;

/// What the index holds of one open project anyone may find.
#[derive(Debug, Clone, Default)]
pub struct ProjectDoc {
    pub id: i64,
    pub title: String,
    pub summary: String,
    /// Skill slugs (required and preferred) and the category, as words.
    pub skills_text: String,
    /// The brief and the deliverables.
    pub brief: String,
    pub category: String,
    /// Skill slugs, required and preferred.
    pub skills: Vec<String>,
    pub work_mode: String,
    pub location: Option<String>,
    pub currency: String,
    pub price_minor: i64,
    pub price_usd_cents: i64,
    pub estimated_hours: i64,
    pub duration_days: i64,
    pub for_credit: bool,
    /// Microseconds since the Unix epoch.
    pub published_at: i64,
    /// Days since the Unix epoch.
    pub application_deadline: i64,
}

/// Where in the database's change feed the index stands: every change up to
/// `seq` of the feed named `epoch` is in it. A new epoch (a bulk load, a
/// copied database) means every index must be rebuilt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub epoch: String,
    pub seq: i64,
}

/// One page of ids, best first, and how many match in all.
#[derive(Debug, Clone, Default)]
pub struct Hits {
    /// (project id, relevance score; higher is more relevant, 0 without words).
    pub ids: Vec<(i64, f32)>,
    pub total: u64,
}

/// Counts of matching projects per facet value.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacetCounts {
    pub categories: Vec<(String, u64)>,
    pub modes: Vec<(String, u64)>,
    /// Projects paying at least 100, 250 and 500 US dollars.
    pub price_from_usd: [u64; 3],
    /// Projects of at most 10, 20 and 40 hours.
    pub hours_up_to: [u64; 3],
    pub for_credit: u64,
    pub total: u64,
}

/// The price bands (US cents) and hour bands [`FacetCounts`] counts.
pub const PRICE_BANDS_USD_CENTS: [i64; 3] = [10_000, 25_000, 50_000];
pub const HOUR_BANDS: [i64; 3] = [10, 20, 40];

const STEMMED: &str = "stint_en";
const UNSTEMMED: &str = "stint_plain";
/// Longest word indexed, in bytes; longer ones are not words people search.
const LONGEST_WORD: usize = 40;
/// A last word this short matches exactly only: as a prefix it would match a
/// large part of the dictionary.
const SHORTEST_PREFIX: usize = 2;

#[derive(Clone, Copy)]
struct Fields {
    id: Field,
    title: Field,
    summary: Field,
    skills_text: Field,
    brief: Field,
    category: Field,
    skill: Field,
    work_mode: Field,
    location: Field,
    currency: Field,
    price_minor: Field,
    price_usd_cents: Field,
    estimated_hours: Field,
    duration_days: Field,
    for_credit: Field,
    published_at: Field,
    application_deadline: Field,
}

/// Text fields and their weight in relevance.
const WEIGHTS: [(&str, Score); 4] = [
    ("title", 10.0),
    ("skills_text", 6.0),
    ("summary", 4.0),
    ("brief", 1.0),
];

fn schema() -> Schema {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(STEMMED)
            .set_index_option(IndexRecordOption::Basic),
    );
    b.add_i64_field("id", INDEXED | FAST);
    for (name, _) in WEIGHTS {
        b.add_text_field(name, text.clone());
    }
    b.add_text_field("category", STRING | FAST);
    b.add_text_field("skill", STRING);
    b.add_text_field("work_mode", STRING | FAST);
    b.add_text_field("location", STRING);
    b.add_text_field("currency", STRING);
    b.add_i64_field("price_minor", INDEXED);
    b.add_i64_field("price_usd_cents", INDEXED | FAST);
    b.add_i64_field("estimated_hours", INDEXED | FAST);
    b.add_i64_field("duration_days", INDEXED);
    b.add_bool_field("for_credit", INDEXED | FAST);
    b.add_i64_field("published_at", INDEXED | FAST);
    b.add_i64_field("application_deadline", FAST);
    b.build()
}

fn fields(s: &Schema) -> SearchResult<Fields> {
    let f = |name: &str| s.get_field(name).map_err(SearchError::from);
    Ok(Fields {
        id: f("id")?,
        title: f("title")?,
        summary: f("summary")?,
        skills_text: f("skills_text")?,
        brief: f("brief")?,
        category: f("category")?,
        skill: f("skill")?,
        work_mode: f("work_mode")?,
        location: f("location")?,
        currency: f("currency")?,
        price_minor: f("price_minor")?,
        price_usd_cents: f("price_usd_cents")?,
        estimated_hours: f("estimated_hours")?,
        duration_days: f("duration_days")?,
        for_credit: f("for_credit")?,
        published_at: f("published_at")?,
        application_deadline: f("application_deadline")?,
    })
}

fn analyzer(stem: bool) -> TextAnalyzer {
    let b = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(LONGEST_WORD))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter);
    if stem {
        b.filter(Stemmer::new(Language::English)).build()
    } else {
        b.build()
    }
}

/// How an index was opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Storage {
    /// In the directory given, kept between runs.
    OnDisk,
    /// In memory: no directory was given, or another process holds it (the
    /// reason); rebuilt at every start.
    InMemory(Option<String>),
}

/// The index, its one writer and its reader. Searches never wait on writes:
/// they see the last commit.
pub struct ProjectIndex {
    index: Index,
    f: Fields,
    writer: Mutex<IndexWriter>,
    reader: IndexReader,
    storage: Storage,
}

impl std::fmt::Debug for ProjectIndex {
    fn fmt(&self, fm: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        fm.debug_struct("ProjectIndex")
            .field("storage", &self.storage)
            .field("documents", &self.len())
            .finish()
    }
}

/// Memory the writer may buffer before it writes a segment.
const WRITER_MEMORY: usize = 20_000_000;

impl ProjectIndex {
    /// Opens the index in `dir` (created if missing), or one in memory when
    /// `dir` is `None` or another process already writes the one in `dir`.
    /// An index written with another schema is started over.
    pub fn open(dir: Option<&Path>) -> SearchResult<ProjectIndex> {
        let Some(dir) = dir else {
            return Self::in_memory(None);
        };
        std::fs::create_dir_all(dir)
            .map_err(|e| SearchError::Directory(format!("{}: {e}", dir.display())))?;
        let mmap = MmapDirectory::open(dir)
            .map_err(|e| SearchError::Directory(format!("{}: {e}", dir.display())))?;
        let index = match Index::open_or_create(mmap.clone(), schema()) {
            Ok(i) => i,
            // Another version's schema: this index is ours to rebuild.
            Err(tantivy::TantivyError::SchemaError(_)) => {
                for entry in std::fs::read_dir(dir)
                    .map_err(|e| SearchError::Directory(format!("{}: {e}", dir.display())))?
                    .flatten()
                {
                    let _ = std::fs::remove_file(entry.path());
                }
                Index::create(mmap, schema(), Default::default())?
            }
            Err(e) => return Err(e.into()),
        };
        match index.writer_with_num_threads(1, WRITER_MEMORY) {
            Ok(w) => Self::assemble(index, w, Storage::OnDisk),
            Err(tantivy::TantivyError::LockFailure(..)) => Self::in_memory(Some(format!(
                "{} is in use by another process",
                dir.display()
            ))),
            Err(e) => Err(e.into()),
        }
    }

    fn in_memory(why: Option<String>) -> SearchResult<ProjectIndex> {
        let index = Index::create_in_ram(schema());
        let w = index.writer_with_num_threads(1, WRITER_MEMORY)?;
        Self::assemble(index, w, Storage::InMemory(why))
    }

    fn assemble(index: Index, writer: IndexWriter, storage: Storage) -> SearchResult<ProjectIndex> {
        index.tokenizers().register(STEMMED, analyzer(true));
        index.tokenizers().register(UNSTEMMED, analyzer(false));
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(ProjectIndex {
            f: fields(&index.schema())?,
            index,
            writer: Mutex::new(writer),
            reader,
            storage,
        })
    }

    pub fn storage(&self) -> &Storage {
        &self.storage
    }

    /// Documents searchable now.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The feed position of the last commit, if any.
    pub fn position(&self) -> Option<Position> {
        let metas = self.index.load_metas().ok()?;
        serde_json::from_str(metas.payload.as_deref()?).ok()
    }

    fn writer(&self) -> MutexGuard<'_, IndexWriter> {
        // A panic while writing leaves nothing half-committed: use it again.
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Replaces these projects' documents and removes `deletes`, then
    /// commits at `at`: searches see all of it or none.
    pub fn apply(
        &self,
        upserts: &[ProjectDoc],
        deletes: &[i64],
        at: &Position,
    ) -> SearchResult<()> {
        let mut w = self.writer();
        for id in deletes.iter().chain(upserts.iter().map(|d| &d.id)) {
            w.delete_term(Term::from_field_i64(self.f.id, *id));
        }
        for d in upserts {
            w.add_document(self.document(d))?;
        }
        self.commit_locked(&mut w, at)
    }

    /// Starts a rebuild: nothing is searchable differently until
    /// [`ProjectIndex::finish_rebuild`] commits.
    pub fn start_rebuild(&self) -> SearchResult<()> {
        self.writer().delete_all_documents()?;
        Ok(())
    }

    /// Adds documents during a rebuild.
    pub fn add(&self, docs: &[ProjectDoc]) -> SearchResult<()> {
        let w = self.writer();
        for d in docs {
            w.add_document(self.document(d))?;
        }
        Ok(())
    }

    pub fn finish_rebuild(&self, at: &Position) -> SearchResult<()> {
        let mut w = self.writer();
        self.commit_locked(&mut w, at)
    }

    fn commit_locked(&self, w: &mut IndexWriter, at: &Position) -> SearchResult<()> {
        let payload = serde_json::to_string(at).unwrap_or_default();
        let mut prepared = w.prepare_commit()?;
        prepared.set_payload(&payload);
        prepared.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    fn document(&self, d: &ProjectDoc) -> TantivyDocument {
        let f = &self.f;
        let mut doc = TantivyDocument::default();
        doc.add_i64(f.id, d.id);
        doc.add_text(f.title, &d.title);
        doc.add_text(f.summary, &d.summary);
        doc.add_text(f.skills_text, &d.skills_text);
        doc.add_text(f.brief, &d.brief);
        doc.add_text(f.category, &d.category);
        for s in &d.skills {
            doc.add_text(f.skill, s);
        }
        doc.add_text(f.work_mode, &d.work_mode);
        if let Some(l) = &d.location {
            doc.add_text(f.location, l.to_lowercase());
        }
        doc.add_text(f.currency, &d.currency);
        doc.add_i64(f.price_minor, d.price_minor);
        doc.add_i64(f.price_usd_cents, d.price_usd_cents);
        doc.add_i64(f.estimated_hours, d.estimated_hours);
        doc.add_i64(f.duration_days, d.duration_days);
        doc.add_bool(f.for_credit, d.for_credit);
        doc.add_i64(f.published_at, d.published_at);
        doc.add_i64(f.application_deadline, d.application_deadline);
        doc
    }

    /// The words of `text` as the index holds them.
    fn tokens(&self, analyzer: &str, text: &str) -> Vec<String> {
        let Some(mut a) = self.index.tokenizers().get(analyzer) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut stream = a.token_stream(text);
        while let Some(t) = stream.next() {
            out.push(t.text.clone());
        }
        out
    }

    /// The query for `q`: its words (each must match in some text field) and
    /// its filters (which do not change relevance).
    fn query(&self, q: &ProjectQuery) -> SearchResult<(Box<dyn Query>, bool)> {
        let f = &self.f;
        let schema = self.index.schema();
        let weighted: Vec<(Field, Score)> = WEIGHTS
            .iter()
            .filter_map(|(name, w)| schema.get_field(name).ok().map(|f| (f, *w)))
            .collect();
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let terms = q.text.as_deref().map(search_terms).unwrap_or_default();
        let mut words = Vec::new();
        for (i, word) in terms.iter().enumerate() {
            let last = i + 1 == terms.len();
            let stems = self.tokens(STEMMED, word);
            let prefixes: Vec<String> = if last {
                self.tokens(UNSTEMMED, word)
                    .into_iter()
                    .filter(|p| p.chars().count() >= SHORTEST_PREFIX)
                    .collect()
            } else {
                Vec::new()
            };
            if (stems.is_empty() && prefixes.is_empty()) || weighted.is_empty() {
                // A word the index cannot hold (too long) matches nothing.
                return Ok((Box::new(tantivy::query::EmptyQuery), true));
            }
            words.push(Word { stems, prefixes });
        }
        let has_text = !words.is_empty();
        if has_text {
            must.push((
                Occur::Must,
                Box::new(WordsQuery {
                    fields: weighted,
                    words,
                }),
            ));
        }
        let mut filter = |q: Box<dyn Query>| {
            must.push((Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0))));
        };
        let term = |field: Field, v: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, v),
                IndexRecordOption::Basic,
            ))
        };
        let at_least = |field: Field, v: i64| -> Box<dyn Query> {
            Box::new(RangeQuery::new(
                std::ops::Bound::Included(Term::from_field_i64(field, v)),
                std::ops::Bound::Unbounded,
            ))
        };
        let at_most = |field: Field, v: i64| -> Box<dyn Query> {
            Box::new(RangeQuery::new(
                std::ops::Bound::Unbounded,
                std::ops::Bound::Included(Term::from_field_i64(field, v)),
            ))
        };
        if let Some(c) = &q.category {
            filter(term(f.category, c));
        }
        if let Some(s) = &q.skill {
            filter(term(f.skill, s));
        }
        if let Some(m) = q.mode {
            filter(term(f.work_mode, m.as_str()));
        }
        if let Some(l) = &q.location {
            let pattern = format!(".*{}.*", escape(&l.to_lowercase()));
            filter(Box::new(RegexQuery::from_pattern(&pattern, f.location)?));
        }
        match (q.currency, q.min_price_minor) {
            (Some(c), min) => {
                filter(term(f.currency, c.code()));
                if let Some(min) = min {
                    filter(at_least(f.price_minor, min));
                }
            }
            (None, Some(min)) => filter(at_least(f.price_usd_cents, min)),
            (None, None) => {}
        }
        if let Some(h) = q.max_hours {
            filter(at_most(f.estimated_hours, i64::from(h)));
        }
        if let Some(d) = q.max_days {
            filter(at_most(f.duration_days, i64::from(d)));
        }
        if q.for_credit {
            filter(Box::new(TermQuery::new(
                Term::from_field_bool(f.for_credit, true),
                IndexRecordOption::Basic,
            )));
        }
        if let Some(id) = q.project_id {
            filter(Box::new(TermQuery::new(
                Term::from_field_i64(f.id, id),
                IndexRecordOption::Basic,
            )));
        }
        if let Some(t) = q.published_after {
            filter(at_least(
                f.published_at,
                t.timestamp_micros().saturating_add(1),
            ));
        }
        if must.is_empty() {
            return Ok((Box::new(AllQuery), false));
        }
        Ok((Box::new(BooleanQuery::new(must)), has_text))
    }

    /// One page of matches for `q` (`q.limit + 1` ids, so the caller knows
    /// whether there is a next page) and how many match in all.
    pub fn search(&self, q: &ProjectQuery) -> SearchResult<Hits> {
        Ok(self.run(q, Count)?.0)
    }

    /// [`ProjectIndex::search`] and [`ProjectIndex::facets`] in one pass
    /// over the matches, as a search page shows both.
    pub fn search_with_facets(&self, q: &ProjectQuery) -> SearchResult<(Hits, FacetCounts)> {
        self.run(q, FacetCollector)
    }

    /// Facet counts over every match of `q` (paging and sort ignored).
    pub fn facets(&self, q: &ProjectQuery) -> SearchResult<FacetCounts> {
        let (query, _) = self.query(q)?;
        let searcher = self.reader.searcher();
        Ok(searcher.search(&query, &FacetCollector)?)
    }

    /// The page of `q` in its order, and what `also` collects over every
    /// match (which counts them).
    fn run<C>(&self, q: &ProjectQuery, also: C) -> SearchResult<(Hits, C::Fruit)>
    where
        C: Collector,
        C::Fruit: Total,
    {
        let (query, has_text) = self.query(q)?;
        let searcher = self.reader.searcher();
        let n = q.limit as usize + 1;
        let offset = q.offset as usize;
        let top = TopDocs::with_limit(n).and_offset(offset);
        // Every order ends with the project id, so pages never overlap.
        let (ids, fruit): (Vec<(i64, f32)>, C::Fruit) = match q.sort {
            Sort::Relevance if has_text => {
                let c = top.tweak_score(|seg: &SegmentReader| {
                    let id = i64_column(seg, "id");
                    move |doc: DocId, score: Score| (score, first(&id, doc))
                });
                let (hits, fruit) = searcher.search(&query, &(c, also))?;
                (
                    hits.into_iter().map(|((s, id), _)| (id, s)).collect(),
                    fruit,
                )
            }
            sort => {
                let key = match sort {
                    Sort::Price => "price_usd_cents",
                    Sort::Deadline => "application_deadline",
                    _ => "published_at",
                };
                let ascending = sort == Sort::Deadline;
                // The score is not used; scoring words costs little.
                let c = top.tweak_score(move |seg: &SegmentReader| {
                    let id = i64_column(seg, "id");
                    let k = i64_column(seg, key);
                    move |doc: DocId, _: Score| {
                        let (k, id) = (first(&k, doc), first(&id, doc));
                        if ascending { (-k, -id) } else { (k, id) }
                    }
                });
                let (hits, fruit) = searcher.search(&query, &(c, also))?;
                let ids = hits
                    .into_iter()
                    .map(|((_, id), _)| (if ascending { -id } else { id }, 0.0))
                    .collect();
                (ids, fruit)
            }
        };
        let total = fruit.total();
        Ok((Hits { ids, total }, fruit))
    }
}

/// What a collector run beside the page counts: every match.
trait Total {
    fn total(&self) -> u64;
}

impl Total for usize {
    fn total(&self) -> u64 {
        *self as u64
    }
}

impl Total for FacetCounts {
    fn total(&self) -> u64 {
        self.total
    }
}

/// Escapes a word for the regular expression of a location match.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 4);
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~\"".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn i64_column(seg: &SegmentReader, name: &str) -> Option<Column<i64>> {
    seg.fast_fields().i64(name).ok()
}

fn first(c: &Option<Column<i64>>, doc: DocId) -> i64 {
    c.as_ref().and_then(|c| c.first(doc)).unwrap_or(0)
}

struct FacetCollector;

struct SegmentFacets {
    category: Option<StrColumn>,
    work_mode: Option<StrColumn>,
    price: Option<Column<i64>>,
    hours: Option<Column<i64>>,
    credit: Option<Column<bool>>,
    /// Counts per term ordinal of this segment.
    by_category: Vec<u64>,
    by_mode: Vec<u64>,
    price_from: [u64; 3],
    hours_up_to: [u64; 3],
    for_credit: u64,
    total: u64,
}

impl Collector for FacetCollector {
    type Fruit = FacetCounts;
    type Child = SegmentFacets;

    fn for_segment(&self, _: u32, seg: &SegmentReader) -> tantivy::Result<SegmentFacets> {
        let ff = seg.fast_fields();
        let category = ff.str("category")?;
        let work_mode = ff.str("work_mode")?;
        let ords = |c: &Option<StrColumn>| c.as_ref().map_or(0, |c| c.num_terms());
        Ok(SegmentFacets {
            by_category: vec![0; ords(&category)],
            by_mode: vec![0; ords(&work_mode)],
            category,
            work_mode,
            price: ff.i64("price_usd_cents").ok(),
            hours: ff.i64("estimated_hours").ok(),
            credit: ff.bool("for_credit").ok(),
            price_from: [0; 3],
            hours_up_to: [0; 3],
            for_credit: 0,
            total: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<FacetCounts>) -> tantivy::Result<FacetCounts> {
        let mut out = FacetCounts::default();
        let add = |list: &mut Vec<(String, u64)>, from: Vec<(String, u64)>| {
            for (k, n) in from {
                match list.iter_mut().find(|(l, _)| *l == k) {
                    Some(e) => e.1 += n,
                    None => list.push((k, n)),
                }
            }
        };
        for f in fruits {
            add(&mut out.categories, f.categories);
            add(&mut out.modes, f.modes);
            for i in 0..3 {
                out.price_from_usd[i] += f.price_from_usd[i];
                out.hours_up_to[i] += f.hours_up_to[i];
            }
            out.for_credit += f.for_credit;
            out.total += f.total;
        }
        // Largest first, then by name.
        out.categories
            .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out.modes.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        Ok(out)
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = FacetCounts;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.total += 1;
        if let Some(c) = &self.category
            && let Some(o) = c.term_ords(doc).next()
            && let Some(n) = self.by_category.get_mut(o as usize)
        {
            *n += 1;
        }
        if let Some(c) = &self.work_mode
            && let Some(o) = c.term_ords(doc).next()
            && let Some(n) = self.by_mode.get_mut(o as usize)
        {
            *n += 1;
        }
        if let Some(p) = self.price.as_ref().and_then(|c| c.first(doc)) {
            for (i, band) in PRICE_BANDS_USD_CENTS.iter().enumerate() {
                if p >= *band {
                    self.price_from[i] += 1;
                }
            }
        }
        if let Some(h) = self.hours.as_ref().and_then(|c| c.first(doc)) {
            for (i, band) in HOUR_BANDS.iter().enumerate() {
                if h <= *band {
                    self.hours_up_to[i] += 1;
                }
            }
        }
        if self
            .credit
            .as_ref()
            .and_then(|c| c.first(doc))
            .unwrap_or(false)
        {
            self.for_credit += 1;
        }
    }

    fn harvest(self) -> FacetCounts {
        let named = |col: &Option<StrColumn>, counts: Vec<u64>| -> Vec<(String, u64)> {
            let Some(col) = col else {
                return Vec::new();
            };
            counts
                .into_iter()
                .enumerate()
                .filter(|(_, n)| *n > 0)
                .filter_map(|(ord, n)| {
                    let mut s = String::new();
                    col.ord_to_str(ord as u64, &mut s).ok()?.then_some((s, n))
                })
                .collect()
        };
        FacetCounts {
            categories: named(&self.category, self.by_category),
            modes: named(&self.work_mode, self.by_mode),
            price_from_usd: self.price_from,
            hours_up_to: self.hours_up_to,
            for_credit: self.for_credit,
            total: self.total,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(id: i64, title: &str, price: i64) -> ProjectDoc {
        ProjectDoc {
            id,
            title: title.into(),
            summary: format!("{title}: a short, well scoped project."),
            category: "data-analysis".into(),
            work_mode: "remote".into(),
            currency: "USD".into(),
            price_minor: price,
            price_usd_cents: price,
            estimated_hours: 10,
            duration_days: 10,
            published_at: id * 1_000,
            application_deadline: 20_000 - id,
            ..Default::default()
        }
    }

    fn query(text: &str, sort: Sort) -> ProjectQuery {
        ProjectQuery {
            text: (!text.is_empty()).then(|| text.to_string()),
            sort,
            limit: 10,
            ..Default::default()
        }
    }

    #[test]
    fn every_sort_orders_the_matches_and_ends_with_the_id() {
        let ix = ProjectIndex::open(None).unwrap_or_else(|e| panic!("{e}"));
        let at = Position {
            epoch: "t".into(),
            seq: 1,
        };
        ix.apply(
            &[
                doc(1, "Survey", 300),
                doc(2, "Survey survey", 100),
                doc(3, "Other", 300),
            ],
            &[],
            &at,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ix.position(), Some(at));
        let ids = |text: &str, sort: Sort| -> Vec<i64> {
            ix.search(&query(text, sort))
                .unwrap_or_else(|e| panic!("{e}"))
                .ids
                .into_iter()
                .map(|(id, _)| id)
                .collect()
        };
        assert_eq!(ids("scoped", Sort::Price), vec![3, 1, 2]);
        assert_eq!(ids("scoped", Sort::Newest), vec![3, 2, 1]);
        assert_eq!(ids("scoped", Sort::Deadline), vec![3, 2, 1]);
        assert_eq!(ids("", Sort::Deadline), vec![3, 2, 1]);
        assert_eq!(ids("survey", Sort::Relevance), vec![2, 1]);
        assert_eq!(ids("surv", Sort::Relevance), vec![2, 1]);
        let f = ix
            .facets(&query("", Sort::Relevance))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(f.total, 3);
        assert_eq!(f.price_from_usd, [0, 0, 0]);
        assert_eq!(f.categories, vec![("data-analysis".to_string(), 3)]);
    }

    /// The query the index used before [`WordsQuery`], from tantivy's own
    /// parts: per word, a union over the fields of the best of the word
    /// and (last word) its beginnings as typed.
    fn reference(ix: &ProjectIndex, text: &str) -> Box<dyn Query> {
        let schema = ix.index.schema();
        let terms = search_terms(text);
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (i, word) in terms.iter().enumerate() {
            let stems = ix.tokens(STEMMED, word);
            let prefixes: Vec<String> = if i + 1 == terms.len() {
                ix.tokens(UNSTEMMED, word)
                    .into_iter()
                    .filter(|p| p.chars().count() >= SHORTEST_PREFIX)
                    .collect()
            } else {
                Vec::new()
            };
            let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for (name, w) in WEIGHTS {
                let field = schema.get_field(name).unwrap_or_else(|e| panic!("{e}"));
                let mut ways: Vec<Box<dyn Query>> = Vec::new();
                for stem in &stems {
                    let t = TermQuery::new(
                        Term::from_field_text(field, stem),
                        IndexRecordOption::Basic,
                    );
                    ways.push(Box::new(ConstScoreQuery::new(Box::new(t), w)));
                }
                for plain in &prefixes {
                    let r = RegexQuery::from_pattern(&format!("{}.*", escape(plain)), field)
                        .unwrap_or_else(|e| panic!("{e}"));
                    ways.push(Box::new(ConstScoreQuery::new(Box::new(r), w * 0.5)));
                }
                any.push((
                    Occur::Should,
                    Box::new(tantivy::query::DisjunctionMaxQuery::new(ways)),
                ));
            }
            must.push((Occur::Must, Box::new(BooleanQuery::new(any))));
        }
        Box::new(BooleanQuery::new(must))
    }

    #[test]
    fn words_score_as_the_union_of_tantivy_queries_did() {
        let ix = ProjectIndex::open(None).unwrap_or_else(|e| panic!("{e}"));
        let vocab = [
            "survey",
            "surveys",
            "surface",
            "data",
            "database",
            "dashboard",
            "design",
            "designer",
            "market",
            "marketing",
            "research",
            "for",
            "form",
            "format",
            "forecast",
            "café",
            "cafe",
            "the",
            "brand",
            "branding",
            "pricing",
            "price",
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut phrase = |n: usize| -> String {
            (0..n)
                .map(|_| vocab[next(vocab.len())])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let mut docs = Vec::new();
        for id in 1..=400 {
            let mut d = doc(id, &phrase(1 + id as usize % 3), 100 * id);
            d.summary = phrase(id as usize % 4);
            d.skills_text = phrase(id as usize % 2);
            d.brief = phrase(2 + id as usize % 5);
            docs.push(d);
        }
        // Three segments, and deletions in the first.
        for (n, batch) in docs.chunks(150).enumerate() {
            let at = Position {
                epoch: "t".into(),
                seq: n as i64 + 1,
            };
            let gone: Vec<i64> = if n == 2 {
                (1..40).step_by(3).collect()
            } else {
                Vec::new()
            };
            ix.apply(batch, &gone, &at)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let searcher = ix.reader.searcher();
        assert!(searcher.segment_readers().len() > 1);
        let queries = [
            "survey",
            "surv",
            "su",
            "data dash",
            "for",
            "fo",
            "the for",
            "market research",
            "research market",
            "café",
            "cafe",
            "caf",
            "price pricing",
            "design for the",
            "brand surveys data",
            "zzz",
            "for zzz",
            "designers",
        ];
        for text in queries {
            let q = ProjectQuery {
                text: Some(text.into()),
                limit: 500,
                ..Default::default()
            };
            let mine = ix.search(&q).unwrap_or_else(|e| panic!("{e}"));
            let top = TopDocs::with_limit(501).tweak_score(|seg: &SegmentReader| {
                let id = i64_column(seg, "id");
                move |doc: DocId, score: Score| (score, first(&id, doc))
            });
            let (theirs, n) = searcher
                .search(&reference(&ix, text), &(top, Count))
                .unwrap_or_else(|e| panic!("{e}"));
            let theirs: Vec<(i64, f32)> = theirs.into_iter().map(|((s, id), _)| (id, s)).collect();
            assert_eq!(mine.ids, theirs, "{text}");
            assert_eq!(mine.total, n as u64, "{text}");
            assert!(n > 0 || text.contains("zzz"), "{text} matches nothing");
        }
    }

    #[test]
    fn the_last_word_matches_as_typed_and_one_pass_gives_page_and_facets() {
        let ix = ProjectIndex::open(None).unwrap_or_else(|e| panic!("{e}"));
        let at = Position {
            epoch: "t".into(),
            seq: 1,
        };
        let docs = [
            doc(1, "Surveys of cafés", 300),
            doc(2, "Surface design", 20_000),
            doc(3, "Sur", 60_000),
            doc(4, "Sus", 300),
            doc(5, "Café menu", 300),
        ];
        ix.apply(&docs, &[], &at).unwrap_or_else(|e| panic!("{e}"));
        let ids = |text: &str| -> Vec<i64> {
            let mut v: Vec<i64> = ix
                .search(&query(text, Sort::Newest))
                .unwrap_or_else(|e| panic!("{e}"))
                .ids
                .into_iter()
                .map(|(id, _)| id)
                .collect();
            v.sort_unstable();
            v
        };
        // Every word that starts with what was typed, and no other.
        assert_eq!(ids("sur"), vec![1, 2, 3]);
        assert_eq!(ids("surv"), vec![1]);
        assert_eq!(ids("surx"), Vec::<i64>::new());
        // Accents fold before the prefix is taken.
        assert_eq!(ids("caf"), vec![1, 5]);
        assert_eq!(ids("CAFÉ"), vec![1, 5]);
        for text in ["", "sur", "design", "caf"] {
            for sort in [Sort::Relevance, Sort::Price] {
                let q = query(text, sort);
                let (hits, facets) = ix.search_with_facets(&q).unwrap_or_else(|e| panic!("{e}"));
                let alone = ix.search(&q).unwrap_or_else(|e| panic!("{e}"));
                assert_eq!(hits.ids, alone.ids, "{text}");
                assert_eq!(hits.total, alone.total, "{text}");
                assert_eq!(
                    facets,
                    ix.facets(&q).unwrap_or_else(|e| panic!("{e}")),
                    "{text}"
                );
            }
        }
    }
}
