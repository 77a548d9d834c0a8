//! Where the time goes: the same core query Junction builds (text, filters, the place runs
//! around a radius; `SearchIndex::core_query`) run straight on tantivy, only counting matches,
//! keeping the top 20 by score, and keeping the top 20 and reading their stored documents, to
//! set beside the full `SearchIndex::search`, which also checks every match exactly, counts
//! facets and ranks. Also the cost of reading and decoding one card.

use std::{path::Path, time::Instant};

use junction::search::{Card, SearchIndex};
use tantivy::{
    DocAddress, TantivyDocument,
    collector::{Count, TopDocs},
};

use crate::cases::{Case, PAGE};
use crate::stats::{Limits, Samples};

/// A read-only view of the benchmark's index.
pub struct Matcher {
    index: SearchIndex,
}

impl Matcher {
    pub fn open(dir: &Path) -> anyhow::Result<Matcher> {
        let index = SearchIndex::open_read_only(dir)?
            .ok_or_else(|| anyhow::anyhow!("no usable index in {}", dir.display()))?;
        Ok(Matcher { index })
    }

    /// Times counting the matches of the core query.
    pub fn count(&self, cases: &[Case], limits: Limits) -> anyhow::Result<Samples> {
        limits.time(cases, |case| {
            let (searcher, query) = self.index.core_query(&case.search_query());
            Ok(match query {
                Some(q) => searcher.search(&q, &Count)?,
                None => 0,
            })
        })
    }

    /// Times keeping the best 20 matches by score (tantivy's top-k, which can skip blocks
    /// of documents that cannot make the page), then, with `documents`, reading the page's
    /// stored documents (their cards) as Junction does.
    pub fn top_k(
        &self,
        cases: &[Case],
        limits: Limits,
        documents: bool,
    ) -> anyhow::Result<Samples> {
        limits.time(cases, |case| {
            let (searcher, query) = self.index.core_query(&case.search_query());
            let Some(query) = query else { return Ok(0) };
            let top = searcher.search(&query, &TopDocs::with_limit(PAGE).order_by_score())?;
            if documents {
                for (_, address) in &top {
                    let doc: TantivyDocument = searcher.doc(*address)?;
                    std::hint::black_box(doc);
                }
            }
            Ok(top.len())
        })
    }

    /// Mean time to read one stored document (its card) from the document
    /// store, in microseconds, over documents spread through every segment.
    pub fn card_read_us(&self) -> anyhow::Result<f64> {
        let (searcher, _) = self.index.core_query(&Default::default());
        let mut n = 0usize;
        let start = Instant::now();
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let step = (segment.max_doc() as usize / 2000).max(1);
            for doc in (0..segment.max_doc()).step_by(step) {
                let d: TantivyDocument = searcher.doc(DocAddress::new(ord as u32, doc))?;
                std::hint::black_box(d);
                n += 1;
            }
        }
        Ok(start.elapsed().as_secs_f64() * 1e6 / n.max(1) as f64)
    }
}

/// Mean time to decode one JSON card, in microseconds.
pub fn card_decode_us(cards: &[Card]) -> anyhow::Result<f64> {
    let encoded: Vec<Vec<u8>> = cards
        .iter()
        .map(serde_json::to_vec)
        .collect::<Result<_, _>>()?;
    let rounds = (200_000 / encoded.len().max(1)).max(1);
    let start = Instant::now();
    let mut n = 0usize;
    for _ in 0..rounds {
        for bytes in &encoded {
            let card: Card = serde_json::from_slice(bytes)?;
            n += card.points.len();
        }
    }
    let per = start.elapsed().as_secs_f64() * 1e6 / (rounds * encoded.len()).max(1) as f64;
    std::hint::black_box(n);
    Ok(per)
}

/// Mean time to evaluate one opening-hours string at a time, in microseconds: what
/// `src/search/query.rs` does for every match whose card has hours (to fill `open_now`).
pub fn hours_eval_us(hours: &[String]) -> f64 {
    let at = crate::cases::open_at();
    let rounds = 2000 / hours.len().max(1) + 1;
    let start = Instant::now();
    let mut open = 0usize;
    for _ in 0..rounds {
        for h in hours {
            open += usize::from(junction::domain::hours::is_open_at(h, at) == Some(true));
        }
    }
    std::hint::black_box(open);
    start.elapsed().as_secs_f64() * 1e6 / (rounds * hours.len()).max(1) as f64
}
