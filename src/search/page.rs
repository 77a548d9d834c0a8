//! One page of a search: each hit's card from its stored document, whether it is open now,
//! and its summary with the matched words marked.

use anyhow::Context;
use chrono::{DateTime, Utc};
use tantivy::{
    Searcher, TantivyDocument,
    schema::{Field, Value},
};

use super::collect::{Survivor, hours_key, remember_open, remembered_open};
use super::query::SearchHit;
use super::{Card, SearchIndex, analyzer, highlight};
use crate::domain::hours;

/// The hits for `page` (survivors in page order), open or not at `now`, with `highlight`
/// (terms, and phrases as terms) marked in their summaries.
pub(super) fn hits(
    index: &SearchIndex,
    searcher: &Searcher,
    page: Vec<Survivor>,
    highlight: Vec<Vec<String>>,
    now: DateTime<Utc>,
) -> anyhow::Result<Vec<SearchHit>> {
    let highlight = highlight::Wanted::new(highlight);
    let mut analyzer = (!highlight.is_empty())
        .then(|| {
            index
                .index
                .tokenizers()
                .get(analyzer::ENGLISH)
                .context("the English analyzer is registered")
        })
        .transpose()?;
    let mut hits = Vec::with_capacity(page.len());
    for s in &page {
        let Some(mut hit) = hit(searcher, index.fields.card, s, now)? else {
            continue;
        };
        hit.summary_html = analyzer
            .as_mut()
            .and_then(|a| highlight::mark(a, &hit.card.summary, &highlight));
        hits.push(hit);
    }
    Ok(hits)
}

/// One survivor as a hit, its card read from its stored document (`None` when it has none),
/// open or not at `now`, with no summary marked.
pub(super) fn hit(
    searcher: &Searcher,
    card_field: Field,
    s: &Survivor,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<SearchHit>> {
    let doc: TantivyDocument = searcher.doc(s.address)?;
    let Some(card) = doc
        .get_first(card_field)
        .and_then(|v| v.as_bytes())
        .and_then(|b| serde_json::from_slice::<Card>(b).ok())
    else {
        return Ok(None);
    };
    let open_now = card.opening_hours.as_deref().and_then(|h| {
        let key = hours_key(h);
        remembered_open(key, now).unwrap_or_else(|| {
            let open = hours::is_open_at(h, now);
            remember_open(key, now, open);
            open
        })
    });
    Ok(Some(SearchHit {
        card,
        score: s.score,
        distance_m: s.distance_m,
        covers_area: s.covers_area,
        open_now,
        summary_html: None,
    }))
}
