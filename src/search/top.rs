//! The best page of a plain text search, found without scoring every match.
//!
//! A plain text search — every word an indexed term or a synonym, ranked by relevance,
//! narrowed only by kind, publication and status — is answered in two parts:
//! - **how many, and their facets**: every match is visited *without scoring* (the collector
//!   in `collect`), with common words' bitsets ANDed where they have them (see `dense`);
//! - **the best `keep`**: sums of term scores run with block-max pruning (tantivy's
//!   `for_each_pruning`, block-max WAND over an intersection of terms), which skips blocks of
//!   128 documents that cannot beat the worst of the best so far. A record's full score is the
//!   sum of the clauses it matches: the plain words; of each synonym phrase typed, the typed
//!   words' AND and each of the group's other phrases ("foodbank" for "food bank") it holds;
//!   the boosted name-pairs clause when its name holds the words side by side; the boosted
//!   exact-name clause when its name is the query. So each set of clauses a record can match
//!   is one sum of boosted terms, run as an AND of them. All the sums share one list of the
//!   best so far (each record once, at its best sum), and its threshold.
//!
//! Why that is exact: a record scores, by the sum of the set of clauses it matches exactly,
//! its full score; by any other sum that matches it, less. A record the sums skipped scored
//! below the threshold by its own set's sum, so in full; and the threshold is never above the
//! `keep`-th best full score, since each record in the list is there at a score it reaches at
//! least. So the list ends holding the best `keep` in full, and they are scored again in full
//! for the page. (Ties break on the document address: the threshold lets equal scores through
//! and the list orders them by address.) When the synonyms' sets have too many combinations
//! ([`MOST_SUMS`]), the sums hold only the typed phrases and the records the other phrases
//! match are scored in full.

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

/// The best `keep` distinct records seen so far, each at the best score any sum gave it.
struct Best {
    keep: usize,
    heap: BinaryHeap<Candidate>,
    held: HashMap<DocAddress, Score>,
    /// Every record offered from now on comes after every record held (the first sum, which
    /// visits documents in address order): an equal score cannot win on its address.
    in_order: bool,
}

impl Best {
    fn new(keep: usize) -> Best {
        Best {
            keep,
            heap: BinaryHeap::with_capacity(keep + 1),
            held: HashMap::with_capacity(keep + 1),
            in_order: true,
        }
    }

    fn offer(&mut self, c: Candidate) {
        // Most offers lose to the worst kept: no need to look them up.
        if self.heap.len() >= self.keep && self.heap.peek().is_some_and(|worst| c >= *worst) {
            return;
        }
        if let Some(&held) = self.held.get(&c.address) {
            if c.score <= held {
                return;
            }
            self.heap.retain(|x| x.address != c.address);
        }
        self.heap.push(c);
        self.held.insert(c.address, c.score);
        if self.heap.len() > self.keep
            && let Some(out) = self.heap.pop()
        {
            self.held.remove(&out.address);
        }
    }

    /// What a record must beat to be worth offering (tantivy passes on scores above its
    /// threshold): the worst kept score once `keep` are held. Records alike tie a lot, and
    /// skipping the blocks that can only tie is most of what pruning saves on them; but an
    /// equal score wins on an earlier address, so once records can come out of address order
    /// (the second sum on), the threshold is the float just below.
    fn threshold(&self) -> Score {
        match self.heap.peek() {
            Some(worst) if self.heap.len() >= self.keep => {
                if self.in_order {
                    worst.score
                } else {
                    worst.score.next_down()
                }
            }
            _ => Score::MIN,
        }
    }
}

/// Offers `best` the records `query` matches, by its score, skipping what cannot make it.
fn best_by(
    searcher: &Searcher,
    query: &dyn Query,
    plain: &Plain,
    checks: &Checks,
    best: &mut Best,
) -> tantivy::Result<()> {
    if best.keep == 0 {
        return Ok(());
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
        weight.for_each_pruning(best.threshold(), reader, &mut |doc, score| {
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
                best.offer(Candidate {
                    score: score * factor,
                    address: DocAddress::new(ordinal as u32, doc),
                });
            }
            best.threshold()
        })?;
    }
    Ok(())
}

/// A set of a synonym's phrases, as weighted terms, and whether it holds the typed one.
type Set = (Vec<(Term, Score)>, bool);

/// Most sums [`best`] runs. A text with more combinations of synonym phrases ranks the
/// records its other phrases match in full instead.
const MOST_SUMS: usize = 40;

/// The sums of boosted terms that, between them, score every record the way the full query
/// does, each with the terms a record must hold to be scored by it; and whether they cover
/// the synonyms' other phrases (false: too many combinations, the typed phrases only).
///
/// A record matches, of each synonym phrase typed, a non-empty set of its group's phrases
/// (the typed one, others), and scores each it matches. A record whose name holds the query's
/// pairs, or is the query, holds every typed term, so those clauses go only with the sets
/// that hold every typed phrase. Sums with a term no record holds are left out; the highest
/// scoring sums come first, so the threshold rises early.
fn sums(searcher: &Searcher, text: &PlainText) -> (Vec<Vec<(Term, Score)>>, bool) {
    // A term whose lookup fails counts as held: its sum runs (and fails the search there)
    // rather than being skipped, which could leave records off the page.
    let exists = |t: &Term| !searcher.doc_freq(t).is_ok_and(|n| n == 0);
    let weighted =
        |terms: &[Term]| -> Vec<(Term, Score)> { terms.iter().map(|t| (t.clone(), 1.0)).collect() };
    // Per synonym: each set of its phrases, as terms, and whether it holds the typed one.
    let sets = |with_others: bool| -> Vec<Vec<Set>> {
        text.synonyms
            .iter()
            .map(|s| {
                let mut phrases = vec![weighted(&s.typed)];
                if with_others {
                    phrases.extend(
                        s.others
                            .iter()
                            .filter(|t| exists(t))
                            .map(|t| vec![(t.clone(), 1.0)]),
                    );
                }
                (1..1u32 << phrases.len())
                    .map(|mask| {
                        let terms = phrases
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| mask & (1 << i) != 0)
                            .flat_map(|(_, p)| p.iter().cloned())
                            .collect();
                        (terms, mask & 1 == 1)
                    })
                    .collect()
            })
            .collect()
    };
    let mut per_synonym = sets(true);
    let count: usize = per_synonym
        .iter()
        .map(|s| {
            s.iter()
                .map(|(_, typed)| if *typed { 4 } else { 1 })
                .sum::<usize>()
        })
        .product();
    let covered = count <= MOST_SUMS;
    if !covered {
        per_synonym = sets(false);
    }
    // Every combination of one set per synonym, with the plain words.
    let mut combos: Vec<(Vec<(Term, Score)>, bool)> = vec![(weighted(&text.words), true)];
    for options in &per_synonym {
        combos = combos
            .iter()
            .flat_map(|(terms, typed)| {
                options.iter().map(move |(more, has_typed)| {
                    ([terms.as_slice(), more].concat(), *typed && *has_typed)
                })
            })
            .collect();
    }
    let exact = (text.exact.clone(), EXACT_BOOST);
    let pairs: Vec<(Term, Score)> = text
        .pairs
        .iter()
        .map(|t| (t.clone(), PAIRS_BOOST))
        .collect();
    let with_exact = exists(&exact.0);
    let with_pairs = !pairs.is_empty() && pairs.iter().all(|(t, _)| exists(t));
    let mut ranked: Vec<(u8, Vec<(Term, Score)>)> = Vec::new();
    for (terms, typed) in combos {
        if typed && with_exact && with_pairs {
            ranked.push((
                3,
                [terms.as_slice(), &pairs, std::slice::from_ref(&exact)].concat(),
            ));
        }
        if typed && with_exact {
            ranked.push((2, [terms.as_slice(), std::slice::from_ref(&exact)].concat()));
        }
        if typed && with_pairs {
            ranked.push((1, [terms.as_slice(), &pairs].concat()));
        }
        ranked.push((0, terms));
    }
    ranked.sort_by_key(|(rank, _)| std::cmp::Reverse(*rank));
    (
        ranked.into_iter().map(|(_, terms)| terms).collect(),
        covered,
    )
}

/// The best `checks.keep` matches of `full` (the whole query) for a plain text search,
/// unordered, with their full scores.
///
/// Each set of clauses a record may match (see [`sums`]) is one sum of boosted terms, and a
/// record that matches exactly that set scores exactly that sum. So the sums, run with
/// pruning against one shared list of the best so far, find every record that can make the
/// page; those are scored again in full. When the synonyms have too many combinations, the
/// records their other phrases match are scored in full too.
pub fn best(
    searcher: &Searcher,
    full: &dyn Query,
    text: &PlainText,
    plain: &Plain,
    checks: &Checks,
) -> tantivy::Result<Vec<Survivor>> {
    let (sums, covered) = sums(searcher, text);
    let mut kept = Best::new(checks.keep);
    for sum in &sums {
        best_by(searcher, sum_query(sum).as_ref(), plain, checks, &mut kept)?;
        kept.in_order = false;
    }
    let mut listed: HashMap<SegmentId, Vec<DocId>> = HashMap::new();
    for c in kept.heap.into_vec() {
        let segment = searcher.segment_reader(c.address.segment_ord).segment_id();
        listed.entry(segment).or_default().push(c.address.doc_id);
    }
    for docs in listed.values_mut() {
        docs.sort_unstable();
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
    if let (false, Some(others)) = (covered, &text.others) {
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
