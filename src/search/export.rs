//! Every match of a search, for the CSV and GeoJSON exports (`all=true`): the same plan and
//! collector as a page (`query::plan`, `MatchCollector`), keeping every survivor instead of the
//! best page's worth, ordered as the pages are. Only the survivors' addresses and sort keys
//! (under a hundred bytes each) are held; cards are read a chunk at a time, on demand, from the
//! one index snapshot the search ran on, so the export neither holds every record in memory
//! nor mixes two states of the index. Facets are not counted.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tantivy::Searcher;

use super::SearchIndex;
use super::collect::{Fruit, MatchCollector, Survivor};
use super::query::{Planned, SearchHit, SearchQuery, checks, plan};

/// A search's every match, in page order, read in chunks.
pub struct Export {
    searcher: Searcher,
    card: tantivy::schema::Field,
    survivors: std::vec::IntoIter<Survivor>,
    /// How many records match.
    pub total: usize,
    pub notices: Vec<String>,
    now: DateTime<Utc>,
}

impl SearchIndex {
    /// Runs `q` for an export: every match, ordered as its pages would be (`offset`, `limit`
    /// and facets are ignored).
    pub fn export(&self, q: &SearchQuery) -> anyhow::Result<Export> {
        let f = &self.fields;
        let searcher = self.reader.searcher();
        // No facets: the query then keeps only the kinds asked for (see `query::plan`).
        let q = &SearchQuery {
            skip_facets: true,
            ..q.clone()
        };
        let Planned {
            query,
            has_text,
            notices,
            ..
        } = plan(self, &searcher, q);
        let now = q.open_at.unwrap_or_else(Utc::now);
        let Some(query) = query else {
            return Ok(Export {
                searcher,
                card: f.card,
                survivors: Vec::new().into_iter(),
                total: 0,
                notices,
                now,
            });
        };
        // Keep every survivor: there can't be more than there are documents.
        let keep = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX / 4);
        let checks = Arc::new(checks(self, q, has_text, keep));
        let order = checks.order;
        let Fruit {
            mut survivors,
            total,
            ..
        } = searcher.search(&query, &MatchCollector { checks })?;
        survivors.sort_by(|a, b| order.cmp(a, b));
        Ok(Export {
            searcher,
            card: f.card,
            survivors: survivors.into_iter(),
            total,
            notices,
            now,
        })
    }
}

impl Export {
    /// The next `n` matches (fewer at the end; none only when done), their cards read now.
    pub fn next_chunk(&mut self, n: usize) -> anyhow::Result<Vec<SearchHit>> {
        let mut hits = Vec::with_capacity(n);
        while hits.len() < n {
            let Some(s) = self.survivors.next() else {
                break;
            };
            if let Some(hit) = super::page::hit(&self.searcher, self.card, &s, self.now)? {
                hits.push(hit);
            }
        }
        Ok(hits)
    }
}
