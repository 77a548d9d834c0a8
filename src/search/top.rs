//! The best page of a plain text search, found without scoring every match.
//!
//! A plain text search — every word an indexed term, ranked by relevance, narrowed only by
//! kind, publication and status — is answered in two parts:
//! - **how many, and their facets**: the full query visits every match *without scoring*
//!   (the collector in `collect`), which is cheap;
//! - **the best `keep`**: the words' AND alone runs with block-max pruning (tantivy's
//!   `for_each_pruning`, block-max WAND over an intersection), which skips blocks of 128
//!   documents that cannot beat the worst of the best so far. A record's full score adds the
//!   name-pairs and exact-name clauses to its AND score; the records those clauses match are
//!   few, so they are found with the full query and join the candidates.
//!
//! Why that is exact: a record outside both sets scores its AND score alone. If it is not
//! among the best `keep` by AND score, `keep` others score at least as much by AND alone, and
//! at least as much in full, so it is not among the best in full either (ties break on the
//! document address, in the order both parts visit documents).

use std::{cmp::Ordering, collections::BinaryHeap};

use tantivy::{
    DocAddress, Score, Searcher, Term,
    query::{BooleanQuery, BoostQuery, EnableScoring, Occur, Query, TermQuery},
    schema::IndexRecordOption,
};

use super::collect::{Checks, Survivor};

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

fn and_query(terms: &[Term]) -> Box<dyn Query> {
    let term = |t: &Term| -> Box<dyn Query> {
        Box::new(TermQuery::new(t.clone(), IndexRecordOption::WithFreqs))
    };
    match terms {
        [one] => term(one),
        many => Box::new(BooleanQuery::new(
            many.iter().map(|t| (Occur::Must, term(t))).collect(),
        )),
    }
}

/// The best `checks.keep` records by the words' AND score, skipping what cannot make it.
fn best_by_words(
    searcher: &Searcher,
    plain: &Plain,
    checks: &Checks,
) -> tantivy::Result<Vec<Candidate>> {
    let keep = checks.keep;
    let mut heap: BinaryHeap<Candidate> = BinaryHeap::with_capacity(keep + 1);
    if keep == 0 {
        return Ok(Vec::new());
    }
    let weight = and_query(plain.terms).weight(EnableScoring::enabled_from_searcher(searcher))?;
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
/// unordered. `name_boosts` matches the records whose name clauses add to their score.
pub fn best(
    searcher: &Searcher,
    full: &dyn Query,
    name_boosts: &dyn Query,
    plain: &Plain,
    checks: &Checks,
) -> tantivy::Result<Vec<Survivor>> {
    let by_words = best_by_words(searcher, plain, checks)?;
    // The few records the name clauses reach, scored in full: the full query, restricted to
    // them by a clause that adds nothing to the score.
    let boosted_query = BooleanQuery::new(vec![
        (Occur::Must, full.box_clone()),
        (
            Occur::Must,
            Box::new(BoostQuery::new(name_boosts.box_clone(), 0.0)),
        ),
    ]);
    let boosted = searcher
        .search(
            &boosted_query,
            &super::collect::MatchCollector {
                checks: std::sync::Arc::new(checks.ranking_only()),
            },
        )?
        .survivors;
    let mut survivors = boosted;
    for c in by_words {
        if !survivors.iter().any(|s| s.address == c.address) {
            survivors.push(Survivor::scored(c.score, c.address));
        }
    }
    Ok(survivors)
}
