//! The words of a search as one query, counted a term at a time.
//!
//! Built from tantivy's own parts, a search of three words over four fields
//! is a union per field and word (the word, and the last word as typed),
//! a union over the fields per word and an intersection over the words:
//! every matching document passes through some twenty scorers. A common
//! word matches most of the 100,000 projects, and these unions cost 11 ms
//! of CPU for `q=project+for`. Here each term's postings are read once, in
//! blocks, into bit sets of the segment's documents and an array of scores;
//! the matches are what every word's set holds. The scores are the same as
//! the union of constant scores gave (see the crate's documentation): a
//! word scores each field's weight where it is a word of the field, half of
//! it where the field has a word it begins, and nothing else.

use tantivy::index::InvertedIndexReader;
use tantivy::postings::TermInfo;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term};

/// One word of a search: the stems it matches exactly, and, for the last
/// word, the beginnings it matches as a prefix.
#[derive(Clone, Debug)]
pub(crate) struct Word {
    pub stems: Vec<String>,
    pub prefixes: Vec<String>,
}

#[derive(Clone, Debug)]
pub(crate) struct WordsQuery {
    /// The text fields and their weights, whole numbers or halves.
    pub fields: Vec<(Field, Score)>,
    pub words: Vec<Word>,
}

impl Query for WordsQuery {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for WordsQuery {
    fn scorer(&self, reader: &SegmentReader, _boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let max = reader.max_doc();
        // Scores in halves of a weight, so every sum is exact.
        let mut halves = vec![0_u16; max as usize];
        let mut all: Option<Bits> = None;
        for word in &self.words {
            let mut any = Bits::new(max);
            for (field, weight) in &self.fields {
                let inv = reader.inverted_index(*field)?;
                let mut exact = Bits::new(max);
                for stem in &word.stems {
                    let term = Term::from_field_text(*field, stem);
                    if let Some(info) = inv.get_term_info(&term)? {
                        each_doc(&inv, &info, |d| exact.insert(d))?;
                    }
                }
                let mut begun = Bits::new(max);
                for prefix in &word.prefixes {
                    // Every term from the prefix up to the prefix followed
                    // by 0xFF, a byte no UTF-8 text holds: those it begins.
                    let mut end = prefix.as_bytes().to_vec();
                    end.push(0xFF);
                    let mut terms = inv
                        .terms()
                        .range()
                        .ge(prefix.as_bytes())
                        .lt(&end)
                        .into_stream()?;
                    while terms.advance() {
                        each_doc(&inv, terms.value(), |d| begun.insert(d))?;
                    }
                }
                let full = (weight * 2.0) as u16;
                let half = *weight as u16;
                exact.each(|d| add(&mut halves, d, full));
                begun.each(|d| {
                    if !exact.contains(d) {
                        add(&mut halves, d, half);
                    }
                });
                any.union(&exact);
                any.union(&begun);
            }
            all = Some(match all {
                None => any,
                Some(mut a) => {
                    a.intersect(&any);
                    a
                }
            });
        }
        let mut docs = Vec::new();
        if let Some(all) = all {
            all.each(|d| docs.push(d));
        }
        let points = docs
            .iter()
            .map(|d| halves.get(*d as usize).copied().unwrap_or(0))
            .collect();
        Ok(Box::new(WordsScorer {
            docs,
            halves: points,
            at: 0,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut s = self.scorer(reader, 1.0)?;
        if s.seek(doc) != doc {
            return Err(TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("words", s.score()))
    }
}

fn add(halves: &mut [u16], doc: DocId, n: u16) {
    if let Some(h) = halves.get_mut(doc as usize) {
        *h = h.saturating_add(n);
    }
}

/// Calls `f` with every document of a term's postings, in order.
fn each_doc(
    inv: &InvertedIndexReader,
    info: &TermInfo,
    mut f: impl FnMut(DocId),
) -> tantivy::Result<()> {
    let mut block = inv.read_block_postings_from_terminfo(info, IndexRecordOption::Basic)?;
    loop {
        let docs = block.docs();
        if docs.is_empty() {
            return Ok(());
        }
        for d in docs {
            f(*d);
        }
        block.advance();
    }
}

/// A set of a segment's documents, a bit each.
struct Bits(Vec<u64>);

impl Bits {
    fn new(max: DocId) -> Bits {
        Bits(vec![0; (max as usize).div_ceil(64)])
    }

    fn insert(&mut self, d: DocId) {
        if let Some(w) = self.0.get_mut(d as usize / 64) {
            *w |= 1 << (d % 64);
        }
    }

    fn contains(&self, d: DocId) -> bool {
        self.0
            .get(d as usize / 64)
            .is_some_and(|w| w & (1 << (d % 64)) != 0)
    }

    fn union(&mut self, o: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&o.0) {
            *a |= b;
        }
    }

    fn intersect(&mut self, o: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&o.0) {
            *a &= b;
        }
    }

    /// Calls `f` with every member, smallest first.
    fn each(&self, mut f: impl FnMut(DocId)) {
        for (i, w) in self.0.iter().enumerate() {
            let mut w = *w;
            while w != 0 {
                let bit = w.trailing_zeros();
                f((i as u32) * 64 + bit);
                w &= w - 1;
            }
        }
    }
}

/// The matches of a segment, in order, with their scores.
struct WordsScorer {
    docs: Vec<DocId>,
    halves: Vec<u16>,
    at: usize,
}

impl DocSet for WordsScorer {
    fn advance(&mut self) -> DocId {
        self.at = (self.at + 1).min(self.docs.len());
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let rest = self.docs.get(self.at..).unwrap_or(&[]);
        self.at += rest.partition_point(|d| *d < target);
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.docs.get(self.at).copied().unwrap_or(TERMINATED)
    }

    fn size_hint(&self) -> u32 {
        (self.docs.len() - self.at.min(self.docs.len())) as u32
    }
}

impl Scorer for WordsScorer {
    fn score(&mut self) -> Score {
        Score::from(self.halves.get(self.at).copied().unwrap_or(0)) * 0.5
    }
}
