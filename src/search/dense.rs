//! Common words as bitsets, so counting the matches of a plain text search is a few thousand
//! machine-word ANDs instead of a walk through long posting lists.
//!
//! A plain text search (see `top`) counts every record that holds all of its words.
//! Intersecting the words' posting lists reads every document of the shorter list: for two
//! common words at a million records that is a hundred thousand documents or more, and it was
//! the largest part of such a search. A word held by at least one document in
//! [`DENSE`] of a segment is kept as a bitset of the segment's documents, built from its
//! posting list the first time a search needs it (a bit per document: 125 KB per million),
//! and when every word is common the matches are the AND of their bitsets. A search with a
//! rarer word walks its short posting list as before, which is already cheap.
//!
//! Bitsets are derived from a segment's postings, which never change; deleted documents are
//! left to the collector, as for every query. [`TermBits`] keeps them while their segment
//! lives, [`BUDGET`] bytes at most, dropping the least recently used first.

use std::{
    collections::HashMap,
    fmt,
    sync::{Arc, Mutex},
};

use tantivy::{
    COLLECT_BLOCK_BUFFER_LEN, DocId, DocSet, Score, SegmentReader, TERMINATED, TantivyError, Term,
    index::SegmentId,
    query::{ConstScorer, EnableScoring, Explanation, Query, Scorer, Weight},
    schema::IndexRecordOption,
};

/// A word is common in a segment when at least one document in this many holds it.
pub const DENSE: u64 = 128;
/// Most bytes of bitsets kept, over all segments.
pub const BUDGET: usize = 64 << 20;

/// A set of a segment's documents, one bit each.
pub struct Bits {
    words: Vec<u64>,
}

impl Bits {
    fn empty(max_doc: DocId) -> Bits {
        Bits {
            words: vec![0; (max_doc as usize).div_ceil(64)],
        }
    }

    fn insert(&mut self, doc: DocId) {
        if let Some(w) = self.words.get_mut(doc as usize / 64) {
            *w |= 1 << (doc % 64);
        }
    }

    pub fn contains(&self, doc: DocId) -> bool {
        self.words
            .get(doc as usize / 64)
            .is_some_and(|w| w & (1 << (doc % 64)) != 0)
    }

    fn bytes(&self) -> usize {
        self.words.len() * 8
    }
}

struct Entry {
    bits: Arc<Bits>,
    used: u64,
}

#[derive(Default)]
struct Kept {
    entries: HashMap<(SegmentId, Term), Entry>,
    bytes: usize,
    clock: u64,
}

/// Common words' bitsets, per segment, shared by every search. Cheap to clone.
#[derive(Clone, Default)]
pub struct TermBits {
    kept: Arc<Mutex<Kept>>,
}

impl TermBits {
    /// The bitset of `term` in `reader`'s segment, when the term is common there; `None` when
    /// it is rarer than that (walk its posting list instead).
    pub fn get(&self, reader: &SegmentReader, term: &Term) -> tantivy::Result<Option<Arc<Bits>>> {
        let key = (reader.segment_id(), term.clone());
        if let Ok(mut kept) = self.kept.lock() {
            kept.clock += 1;
            let now = kept.clock;
            if let Some(e) = kept.entries.get_mut(&key) {
                e.used = now;
                return Ok(Some(Arc::clone(&e.bits)));
            }
        }
        let max_doc = reader.max_doc();
        let inverted = reader.inverted_index(term.field())?;
        let info = inverted.get_term_info(term)?;
        let doc_freq = info.as_ref().map_or(0, |i| u64::from(i.doc_freq));
        if doc_freq * DENSE < u64::from(max_doc) {
            return Ok(None);
        }
        let bits = postings_bits(reader, term)?;
        let bits = Arc::new(bits);
        if let Ok(mut kept) = self.kept.lock() {
            kept.keep(key, Arc::clone(&bits));
        }
        Ok(Some(bits))
    }

    /// Forgets the bitsets of segments that are no longer in the index.
    pub fn retain(&self, live: &[SegmentId]) {
        if let Ok(mut kept) = self.kept.lock() {
            kept.entries.retain(|(id, _), _| live.contains(id));
            kept.bytes = kept.entries.values().map(|e| e.bits.bytes()).sum();
        }
    }
}

impl Kept {
    fn keep(&mut self, key: (SegmentId, Term), bits: Arc<Bits>) {
        let size = bits.bytes();
        if size > BUDGET {
            return;
        }
        while self.bytes + size > BUDGET {
            let Some(oldest) = self
                .entries
                .iter()
                .min_by_key(|(_, e)| e.used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some(e) = self.entries.remove(&oldest) {
                self.bytes -= e.bits.bytes();
            }
        }
        self.clock += 1;
        let used = self.clock;
        if let Some(old) = self.entries.insert(key, Entry { bits, used }) {
            self.bytes -= old.bits.bytes();
        }
        self.bytes += size;
    }
}

/// What a plain text search matches, for counting: every word, and of each synonym phrase
/// typed, one of its group's phrases. Each is a list of alternatives, each an AND of terms.
pub type Matches = Vec<Vec<Vec<Term>>>;

/// Matches the documents a plain text search matches (its score is constant), as bitsets:
/// common terms' kept ones, a rarer term's made from its short posting list.
#[derive(Clone)]
pub struct TextMatches {
    matches: Arc<Matches>,
    /// Documents holding any of these are left out (unpublished, closed, other kinds).
    excluded: Arc<Vec<Term>>,
    bits: TermBits,
}

impl TextMatches {
    pub fn new(matches: Matches, excluded: Vec<Term>, bits: TermBits) -> TextMatches {
        TextMatches {
            matches: Arc::new(matches),
            excluded: Arc::new(excluded),
            bits,
        }
    }
}

impl fmt::Debug for TextMatches {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TextMatches({:?})", self.matches)
    }
}

impl Query for TextMatches {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl TextMatches {
    /// The term's bitset: kept when it is common, else made from its posting list.
    fn term_bits(&self, reader: &SegmentReader, term: &Term) -> tantivy::Result<Arc<Bits>> {
        match self.bits.get(reader, term)? {
            Some(bits) => Ok(bits),
            None => Ok(Arc::new(postings_bits(reader, term)?)),
        }
    }

    /// The words of the documents holding every term of `all` (none when it has no terms).
    fn all_of(&self, reader: &SegmentReader, all: &[Term]) -> tantivy::Result<Vec<u64>> {
        let mut words: Option<Vec<u64>> = None;
        for term in all {
            let bits = self.term_bits(reader, term)?;
            match &mut words {
                None => words = Some(bits.words.clone()),
                Some(w) => and_into(w, &bits.words),
            }
        }
        Ok(words.unwrap_or_default())
    }
}

fn and_into(words: &mut Vec<u64>, other: &[u64]) {
    words.truncate(other.len());
    for (w, o) in words.iter_mut().zip(other) {
        *w &= o;
    }
}

impl TextMatches {
    /// The segment's matching documents, as bitset words.
    pub(super) fn words(&self, reader: &SegmentReader) -> tantivy::Result<Vec<u64>> {
        let mut words: Option<Vec<u64>> = None;
        for alternatives in self.matches.iter() {
            let mut any: Option<Vec<u64>> = None;
            for all in alternatives {
                let these = self.all_of(reader, all)?;
                match &mut any {
                    None => any = Some(these),
                    Some(a) => {
                        if a.len() < these.len() {
                            a.resize(these.len(), 0);
                        }
                        for (w, o) in a.iter_mut().zip(&these) {
                            *w |= o;
                        }
                    }
                }
            }
            let any = any.unwrap_or_default();
            match &mut words {
                None => words = Some(any),
                Some(w) => and_into(w, &any),
            }
        }
        let mut words = words.unwrap_or_default();
        // Excluded terms are mostly rare (closed, unpublished): their few documents are
        // cleared one by one; a common one's bitset is cleared word by word.
        for term in self.excluded.iter() {
            match self.bits.get(reader, term)? {
                Some(out) => {
                    for (w, o) in words.iter_mut().zip(&out.words) {
                        *w &= !o;
                    }
                }
                None => for_each_posting(reader, term, |doc| {
                    if let Some(w) = words.get_mut(doc as usize / 64) {
                        *w &= !(1 << (doc % 64));
                    }
                })?,
            }
        }
        Ok(words)
    }
}

impl Weight for TextMatches {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ConstScorer::new(
            BitsDocs::new(self.words(reader)?),
            boost,
        )))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        explain_constant(self, reader, doc, "holds every word, or a synonym of it")
    }
}

/// A term's documents in a segment as a bitset, read from its posting list.
fn postings_bits(reader: &SegmentReader, term: &Term) -> tantivy::Result<Bits> {
    let mut bits = Bits::empty(reader.max_doc());
    for_each_posting(reader, term, |doc| bits.insert(doc))?;
    Ok(bits)
}

/// Calls `f` with each document of the term's posting list in a segment.
fn for_each_posting(
    reader: &SegmentReader,
    term: &Term,
    mut f: impl FnMut(DocId),
) -> tantivy::Result<()> {
    let inverted = reader.inverted_index(term.field())?;
    if let Some(info) = inverted.get_term_info(term)? {
        let mut postings = inverted.read_postings_from_terminfo(&info, IndexRecordOption::Basic)?;
        let mut buffer = [0; COLLECT_BLOCK_BUFFER_LEN];
        loop {
            let n = postings.fill_buffer(&mut buffer);
            for &doc in &buffer[..n] {
                f(doc);
            }
            if n < COLLECT_BLOCK_BUFFER_LEN {
                break;
            }
        }
    }
    Ok(())
}

/// The explanation of a constant-score match: `what` the weight asks for, or an error when
/// `doc` does not match.
pub(super) fn explain_constant(
    weight: &dyn Weight,
    reader: &SegmentReader,
    doc: DocId,
    what: &'static str,
) -> tantivy::Result<Explanation> {
    let mut scorer = weight.scorer(reader, 1.0)?;
    if scorer.seek(doc) == doc {
        Ok(Explanation::new(what, scorer.score()))
    } else {
        Err(TantivyError::InvalidArgument(format!(
            "document {doc} does not match: {what}"
        )))
    }
}

/// The documents in a bitset, as a doc set.
struct BitsDocs {
    words: Vec<u64>,
    /// The word `doc` is in, and its bits after `doc`.
    at: usize,
    rest: u64,
    doc: DocId,
    len: u32,
}

impl BitsDocs {
    /// The documents whose bits are set in `words`.
    fn new(words: Vec<u64>) -> BitsDocs {
        let len = words.iter().map(|w| w.count_ones()).sum();
        let rest = words.first().copied().unwrap_or(0);
        let mut docs = BitsDocs {
            words,
            at: 0,
            rest,
            doc: 0,
            len,
        };
        docs.settle();
        docs
    }

    /// Moves to the lowest bit left in `rest`, or in the words after it.
    fn settle(&mut self) {
        loop {
            if self.rest != 0 {
                self.doc = (self.at * 64) as DocId + self.rest.trailing_zeros();
                self.rest &= self.rest - 1;
                return;
            }
            self.at += 1;
            match self.words.get(self.at) {
                Some(&w) => self.rest = w,
                None => {
                    self.doc = TERMINATED;
                    return;
                }
            }
        }
    }
}

impl DocSet for BitsDocs {
    fn advance(&mut self) -> DocId {
        if self.doc != TERMINATED {
            self.settle();
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc != TERMINATED && target > self.doc {
            self.at = target as usize / 64;
            match self.words.get(self.at) {
                Some(&w) => {
                    self.rest = w & (u64::MAX << (target % 64));
                    self.settle();
                }
                None => self.doc = TERMINATED,
            }
        }
        self.doc
    }

    /// Word by word, without a call per document.
    fn fill_buffer(&mut self, buffer: &mut [DocId; COLLECT_BLOCK_BUFFER_LEN]) -> usize {
        let mut n = 0;
        while self.doc != TERMINATED && n < buffer.len() {
            // The current document, then the rest of its word.
            buffer[n] = self.doc;
            n += 1;
            let base = (self.at * 64) as DocId;
            while self.rest != 0 && n < buffer.len() {
                buffer[n] = base + self.rest.trailing_zeros();
                self.rest &= self.rest - 1;
                n += 1;
            }
            self.settle();
        }
        n
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bits(max_doc: DocId, docs: &[DocId]) -> Arc<Bits> {
        let mut b = Bits::empty(max_doc);
        for &d in docs {
            b.insert(d);
        }
        Arc::new(b)
    }

    fn all(mut d: BitsDocs) -> Vec<DocId> {
        let mut out = Vec::new();
        while d.doc() != TERMINATED {
            out.push(d.doc());
            d.advance();
        }
        out
    }

    fn and(sets: &[Arc<Bits>]) -> BitsDocs {
        let mut words = sets[0].words.clone();
        for set in &sets[1..] {
            and_into(&mut words, &set.words);
        }
        BitsDocs::new(words)
    }

    #[test]
    fn filling_a_buffer_gives_the_documents_one_by_one_would() {
        let docs: Vec<DocId> = (0..5000u32)
            .filter(|d| d % 3 == 0 || d % 7 == 1 || (1000..1300).contains(d))
            .collect();
        let set = bits(5000, &docs);
        let mut filled = Vec::new();
        let mut d = BitsDocs::new(set.words.clone());
        let mut buffer = [0; COLLECT_BLOCK_BUFFER_LEN];
        loop {
            let n = d.fill_buffer(&mut buffer);
            filled.extend_from_slice(&buffer[..n]);
            if n < buffer.len() {
                break;
            }
        }
        assert_eq!(filled, docs);
        assert_eq!(all(BitsDocs::new(set.words.clone())), docs);
        // Filling after a seek starts where the seek landed.
        let mut d = BitsDocs::new(set.words.clone());
        d.seek(1001);
        let n = d.fill_buffer(&mut buffer);
        assert_eq!(buffer[..3], [1001, 1002, 1003]);
        assert_eq!(
            d.doc(),
            docs[docs.iter().position(|&x| x == 1001).unwrap_or(0) + n]
        );
    }

    #[test]
    fn an_and_of_bitsets_lists_each_common_document_once_in_order() {
        let a = bits(300, &[0, 3, 63, 64, 65, 128, 200, 299]);
        let b = bits(300, &[3, 4, 63, 65, 199, 200, 299]);
        let docs = and(&[a.clone(), b.clone()]);
        assert_eq!(docs.size_hint(), 5);
        assert_eq!(all(docs), [3, 63, 65, 200, 299]);
        let mut docs = and(&[a, b]);
        assert_eq!(docs.seek(64), 65);
        assert_eq!(docs.seek(65), 65);
        assert_eq!(docs.seek(201), 299);
        assert_eq!(docs.advance(), TERMINATED);
        assert_eq!(docs.seek(400), TERMINATED);
        assert_eq!(all(BitsDocs::new(Vec::new())), Vec::<DocId>::new());
        assert!(bits(10, &[9]).contains(9) && !bits(10, &[9]).contains(8));
    }
}
