//! The best page of a plain text search, found without scoring every match.
//!
//! A plain text search — every word an indexed term or a synonym, ranked by relevance,
//! narrowed only by kind, publication and status — is answered in two parts:
//! - **how many, and their facets**: every match is visited *without scoring* (the collector
//!   in `collect`), with common words' bitsets ANDed where they have them (see `dense`);
//! - **the best `keep`**: sums of term scores run with block-max pruning (tantivy's
//!   `for_each_pruning`, block-max WAND over an intersection of terms), which skips blocks of
//!   128 documents that cannot beat the worst of the best so far. A record's full score is the
//!   words' AND, plus the boosted name-pairs clause when its name holds the words side by side,
//!   plus the boosted exact-name clause when its name is the query. So each set of those
//!   clauses (none, exact, pairs, both) is one sum of boosted terms, and the best `keep` by
//!   each sum are the candidates. They are scored again with the full query, with the records
//!   a synonym group's other phrases ("foodbank" for "food bank") match, which score
//!   differently and are scored in full.
//!
//! Why that is exact: take a record the other phrases don't match, and the set of name
//! clauses it matches. Its full score is that set's sum. If it is not among the best `keep` by
//! that sum, `keep` others match the set and score at least as much by the sum, and at least
//! as much in full (a sum never exceeds a full score), so it is not among the best in full
//! either (ties break on the document address, in the order every pass visits documents).

use std::{
    cmp::Ordering,
    collections::{BinaryHeap, HashMap},
    sync::Arc,
};

use tantivy::{
    DocAddress, DocId, Score, Searcher, SegmentReader, Term,
    index::SegmentId,
    query::{
        BooleanQuery, BoostQuery, ConstScorer, EnableScoring, Explanation, Occur, Query, Scorer,
        TermQuery, Weight,
    },
    schema::IndexRecordOption,
};

use super::collect::{Checks, MatchCollector, Survivor};
use super::text::{EXACT_BOOST, PAIRS_BOOST, PlainText};

/// What a plain text search keeps besides its words.
pub struct Plain<'a> {
    pub terms: &'a [Term],
    /// Kinds a result may be; `None` for any.
    pub kinds: Option<&'a [String]>,
    /// Flags (`fast::CLOSED`, `fast::UNPUBLISHED`) that exclude a record.
    pub excluded_flags: u64,
}

/// A candidate in the heap: the worst is the greatest, so the heap's top is the one to drop.
#[derive(Clone, Copy, PartialEq)]
struct Candidate {
    score: Score,
    address: DocAddress,
}

impl Eq for Candidate {}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        // Lower score is worse; at equal score the later address is worse.
        other
            .score
            .total_cmp(&self.score)
            .then_with(|| self.address.cmp(&other.address))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

pub(super) fn and_query(terms: &[Term]) -> Box<dyn Query> {
    let weighted: Vec<(Term, Score)> = terms.iter().map(|t| (t.clone(), 1.0)).collect();
    sum_query(&weighted)
}

/// Matches the records holding every term; scores the sum of each term's score times its
/// boost. All term queries, so tantivy can prune it block by block.
fn sum_query(terms: &[(Term, Score)]) -> Box<dyn Query> {
    let term = |(t, boost): &(Term, Score)| -> Box<dyn Query> {
        let q = Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs));
        if *boost == 1.0 {
            q
        } else {
            Box::new(BoostQuery::new(q, *boost))
        }
    };
    match terms {
        [one] => term(one),
        many => Box::new(BooleanQuery::new(
            many.iter().map(|t| (Occur::Must, term(t))).collect(),
        )),
    }
}

/// The best `checks.keep` records by `query`'s score, skipping what cannot make it.
fn best_by(
    searcher: &Searcher,
    query: &dyn Query,
    plain: &Plain,
    checks: &Checks,
) -> tantivy::Result<Vec<Candidate>> {
    let keep = checks.keep;
    let mut heap: BinaryHeap<Candidate> = BinaryHeap::with_capacity(keep + 1);
    if keep == 0 {
        return Ok(Vec::new());
    }
    let weight = query.weight(EnableScoring::enabled_from_searcher(searcher))?;
    for (ordinal, reader) in searcher.segment_readers().iter().enumerate() {
        let cols = checks.columns.get(reader)?;
        let allowed: Option<Vec<bool>> = plain.kinds.map(|kinds| {
            cols.kind.as_ref().map_or_else(Vec::new, |k| {
                k.names.iter().map(|n| kinds.contains(n)).collect()
            })
        });
        let alive = reader.alive_bitset();
        let fresh = checks.freshness.as_ref().map(|f| f.for_segment(&cols));
        let threshold = |heap: &BinaryHeap<Candidate>| match heap.peek() {
            Some(worst) if heap.len() >= keep => worst.score,
            _ => Score::MIN,
        };
        let start = threshold(&heap);
        weight.for_each_pruning(start, reader, &mut |doc, score| {
            let passes = alive.is_none_or(|a| a.is_alive(doc))
                && cols.flags.first(doc).unwrap_or(0) & plain.excluded_flags == 0
                && allowed.as_ref().is_none_or(|allowed| {
                    cols.kind
                        .as_ref()
                        .and_then(|k| k.column.ords().first(doc))
                        .is_some_and(|o| allowed.get(o as usize).copied().unwrap_or(false))
                });
            // Overdue records' scores are demoted (never raised), stale ones dropped: the
            // threshold stays a bound on every skipped record's demoted score.
            let factor = if passes {
                fresh.as_ref().map_or(Some(1.0), |f| f.factor(doc))
            } else {
                None
            };
            if let Some(factor) = factor {
                heap.push(Candidate {
                    score: score * factor,
                    address: DocAddress::new(ordinal as u32, doc),
                });
                if heap.len() > keep {
                    heap.pop();
                }
            }
            threshold(&heap)
        })?;
    }
    Ok(heap.into_vec())
}

/// The best `checks.keep` matches of `full` (the whole query) for a plain text search,
/// unordered, with their full scores.
///
/// Each set of the name clauses a record's name may match — none, the exact name, the pairs,
/// both — adds its boosted terms to the words' AND; a record that matches that set and none
/// of the synonym groups' other phrases scores exactly that sum, so the best by each sum,
/// found with pruning, hold every record that can make the page. They are scored again in
/// full, with the records the other phrases match.
pub fn best(
    searcher: &Searcher,
    full: &dyn Query,
    text: &PlainText,
    plain: &Plain,
    checks: &Checks,
) -> tantivy::Result<Vec<Survivor>> {
    let words: Vec<(Term, Score)> = plain.terms.iter().map(|t| (t.clone(), 1.0)).collect();
    let exact = (text.exact.clone(), EXACT_BOOST);
    let pairs: Vec<(Term, Score)> = text
        .pairs
        .iter()
        .map(|t| (t.clone(), PAIRS_BOOST))
        .collect();
    let mut sums = vec![
        words.clone(),
        [words.as_slice(), std::slice::from_ref(&exact)].concat(),
    ];
    if !pairs.is_empty() {
        sums.push([words.as_slice(), &pairs].concat());
        sums.push([words.as_slice(), &pairs, &[exact]].concat());
    }
    let mut listed: HashMap<SegmentId, Vec<DocId>> = HashMap::new();
    for sum in &sums {
        for c in best_by(searcher, sum_query(sum).as_ref(), plain, checks)? {
            let segment = searcher.segment_reader(c.address.segment_ord).segment_id();
            listed.entry(segment).or_default().push(c.address.doc_id);
        }
    }
    for docs in listed.values_mut() {
        docs.sort_unstable();
        docs.dedup();
    }
    // Scored in full: the full query, restricted to them by a clause that adds nothing.
    let in_full = |only: Box<dyn Query>| -> tantivy::Result<Vec<Survivor>> {
        let query = BooleanQuery::new(vec![
            (Occur::Must, full.box_clone()),
            (Occur::Must, Box::new(BoostQuery::new(only, 0.0))),
        ]);
        let ranking = MatchCollector {
            checks: Arc::new(checks.ranking_only()),
        };
        Ok(searcher.search(&query, &ranking)?.survivors)
    };
    let mut survivors = in_full(Box::new(Listed {
        docs: Arc::new(listed),
    }))?;
    if let Some(others) = &text.others {
        for s in in_full(others.box_clone())? {
            if !survivors.iter().any(|k| k.address == s.address) {
                survivors.push(s);
            }
        }
    }
    Ok(survivors)
}

/// Matches the listed documents of each segment.
#[derive(Clone, Debug)]
struct Listed {
    docs: Arc<HashMap<SegmentId, Vec<DocId>>>,
}

impl Query for Listed {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for Listed {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let runs = self
            .docs
            .get(&reader.segment_id())
            .map(|docs| docs.iter().map(|&d| (d, d + 1)).collect())
            .unwrap_or_default();
        Ok(Box::new(ConstScorer::new(
            super::spatial::Runs::new(runs),
            boost,
        )))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        super::dense::explain_constant(self, reader, doc, "a candidate for the page")
    }
}
