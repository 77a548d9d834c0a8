//! Counting a plain text search's matches without visiting them one by one.
//!
//! A plain text search narrowed by nothing else and asking for no facets needs only its
//! total. Its matches are already a bitset per segment (`dense`), less unpublished, closed and
//! other kinds' records; what the collector would still drop is deleted documents and, under
//! review freshness, stale records. Both are cleared from the bitset here, and the total is the
//! count of bits left: a few thousand machine words per million documents, where visiting every
//! match (filling buffers of document ids, checking each is alive) was about a fifth of such a
//! search at a million records.
//!
//! Each segment's deleted documents are listed once per state of its deletes; its records are
//! listed once by kind in order of their last check, so the stale ones under any cut-off are a
//! prefix of each list. A unit test compares totals with visiting every match (`tests/mod.rs`).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use tantivy::{
    DocId, Searcher, SegmentReader,
    index::SegmentId,
    query::{BooleanQuery, Query},
};

use super::collect::{Checks, Fruit, MatchCollector};
use super::dense::TextMatches;
use super::freshness::Freshness;
use super::query::Facets;
use super::segments::{SegmentCache, SegmentColumns};

/// The total (and facets, when asked for) of a plain text search whose page is found
/// elsewhere (`top`): from the bits of its matches (`counting`, when the plan has them) when
/// there are no facets and no kinds to drop after counting; otherwise by visiting every match
/// of `counting` (or of `query`) without scoring.
pub(super) fn count(
    searcher: &Searcher,
    query: &BooleanQuery,
    counting: Option<&TextMatches>,
    checks: &Checks,
    cache: &SegmentCache,
) -> tantivy::Result<Fruit> {
    match counting.filter(|_| !checks.facets && checks.kinds.is_none()) {
        Some(matches) => Ok(Fruit {
            survivors: Vec::new(),
            total: total(searcher, matches, checks.freshness.as_deref(), cache)?,
            facets: Facets::default(),
        }),
        None => searcher.search(
            counting.map_or(query as &dyn Query, |c| c as &dyn Query),
            &MatchCollector {
                checks: Arc::new(checks.counting_only()),
            },
        ),
    }
}

/// Per segment: its records by kind term ordinal, each list in order of last check.
type ByChecked = Vec<Vec<(i64, DocId)>>;

/// What counting keeps of each segment while it lives.
#[derive(Clone, Default)]
pub struct TallyCache {
    /// Deleted documents. A segment's deletes only ever grow, so a list as long as its count
    /// of deleted documents is current.
    deleted: Arc<Mutex<HashMap<SegmentId, Arc<Vec<DocId>>>>>,
    by_checked: Arc<Mutex<HashMap<SegmentId, Arc<ByChecked>>>>,
}

impl TallyCache {
    fn deleted(&self, reader: &SegmentReader) -> Arc<Vec<DocId>> {
        let id = reader.segment_id();
        let n = reader.num_deleted_docs() as usize;
        if let Some(d) = self.lock_deleted().and_then(|m| m.get(&id).cloned())
            && d.len() == n
        {
            return d;
        }
        let mut docs = Vec::with_capacity(n);
        if let Some(alive) = reader.alive_bitset() {
            let mut next = 0;
            for doc in alive.iter_alive() {
                docs.extend(next..doc);
                next = doc + 1;
            }
            docs.extend(next..reader.max_doc());
        }
        let docs = Arc::new(docs);
        if let Some(mut m) = self.lock_deleted() {
            m.insert(id, Arc::clone(&docs));
        }
        docs
    }

    fn lock_deleted(
        &self,
    ) -> Option<std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<Vec<DocId>>>>> {
        self.deleted.lock().ok()
    }

    fn by_checked(&self, reader: &SegmentReader, cols: &SegmentColumns) -> Arc<ByChecked> {
        let id = reader.segment_id();
        if let Some(b) = self
            .by_checked
            .lock()
            .ok()
            .and_then(|m| m.get(&id).cloned())
        {
            return b;
        }
        let mut lists: ByChecked = Vec::new();
        if let Some(kind) = &cols.kind {
            lists.resize(kind.names.len(), Vec::new());
            for doc in 0..reader.max_doc() {
                if let Some(list) = kind
                    .column
                    .ords()
                    .first(doc)
                    .and_then(|ord| lists.get_mut(ord as usize))
                {
                    // As `SegmentFreshness::factor` reads it: never checked is checked at 0.
                    list.push((cols.verified.first(doc).unwrap_or(0), doc));
                }
            }
            for list in &mut lists {
                list.sort_unstable();
            }
        }
        let lists = Arc::new(lists);
        if let Ok(mut m) = self.by_checked.lock() {
            m.insert(id, Arc::clone(&lists));
        }
        lists
    }

    /// Forgets segments that are no longer in the index.
    pub fn retain(&self, live: &[SegmentId]) {
        if let Some(mut m) = self.lock_deleted() {
            m.retain(|id, _| live.contains(id));
        }
        if let Ok(mut m) = self.by_checked.lock() {
            m.retain(|id, _| live.contains(id));
        }
    }
}

fn clear(words: &mut [u64], doc: DocId) {
    if let Some(w) = words.get_mut(doc as usize / 64) {
        *w &= !(1 << (doc % 64));
    }
}

/// How many live, non-stale documents `matches` holds: what visiting every match with no
/// facets and no kinds to drop would count.
fn total(
    searcher: &Searcher,
    matches: &TextMatches,
    freshness: Option<&Freshness>,
    cache: &SegmentCache,
) -> tantivy::Result<usize> {
    let mut total = 0;
    for reader in searcher.segment_readers() {
        let mut words = matches.words(reader)?;
        if reader.has_deletes() {
            for &doc in cache.tally.deleted(reader).iter() {
                clear(&mut words, doc);
            }
        }
        if let Some(freshness) = freshness.filter(|f| !f.include_stale) {
            let cols = cache.get(reader)?;
            let cutoffs = freshness.for_segment(&cols);
            for (ord, list) in cache.tally.by_checked(reader, &cols).iter().enumerate() {
                let Some(stale) = cutoffs.stale_before(ord) else {
                    continue;
                };
                for &(_, doc) in list.iter().take_while(|(checked, _)| *checked <= stale) {
                    clear(&mut words, doc);
                }
            }
        }
        total += words.iter().map(|w| w.count_ones() as usize).sum::<usize>();
    }
    Ok(total)
}
