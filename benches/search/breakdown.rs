//! Where the time goes: the same core query Junction builds (text, filters, the radius's
//! bounding box) run straight on tantivy, only counting matches, keeping the top 20 by score,
//! and keeping the top 20 and highlighting them, to set beside the full `SearchIndex::search`,
//! which gathers every match and decodes its JSON card. Also the cost of decoding one card.

use std::{ops::Bound, path::Path, time::Instant};

use junction::search::{Card, card::SUMMARY_CHARS, text};
use tantivy::{
    Index, Searcher, TantivyDocument, Term,
    collector::{Count, TopDocs},
    query::{AllQuery, BooleanQuery, Occur, Query, RangeQuery, TermQuery},
    schema::{Field, IndexRecordOption},
    snippet::SnippetGenerator,
};

use crate::cases::{Case, PAGE};
use crate::stats::{Limits, Samples};

/// A read-only view of the benchmark's index with the fields the core query needs.
pub struct Matcher {
    searcher: Searcher,
    text: text::TextFields,
    publication: Field,
    closed: Field,
    category: Field,
    boundary: Field,
    latitude: Field,
    longitude: Field,
}

fn term(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

fn range(field: Field, min: f64, max: f64) -> Box<dyn Query> {
    Box::new(RangeQuery::new(
        Bound::Included(Term::from_field_f64(field, min)),
        Bound::Included(Term::from_field_f64(field, max)),
    ))
}

impl Matcher {
    pub fn open(dir: &Path) -> anyhow::Result<Matcher> {
        let index = Index::open_in_dir(dir)?;
        junction::search::register_analyzers(&index);
        let schema = index.schema();
        let field = |name: &str| schema.get_field(name);
        let searcher = index.reader()?.searcher();
        Ok(Matcher {
            text: text::TextFields {
                name: field("name")?,
                categories: field("categories")?,
                description: field("description")?,
                extra: field("extra")?,
                name_exact: field("name_exact")?,
            },
            publication: field("publication")?,
            closed: field("closed")?,
            category: field("category")?,
            boundary: field("boundary")?,
            latitude: field("latitude")?,
            longitude: field("longitude")?,
            searcher,
        })
    }

    /// The boolean query `src/search/query.rs` builds for `case` (no remote records here),
    /// and its text part.
    fn query(&self, case: &Case) -> (Box<dyn Query>, Option<Box<dyn Query>>) {
        let q = case.search_query();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
            (Occur::Must, term(self.publication, "published")),
            (Occur::MustNot, term(self.closed, "yes")),
        ];
        let text_query = q
            .text
            .as_deref()
            .and_then(|t| text::plan(&self.searcher, &self.text, t, q.typing).query);
        if let Some(tq) = &text_query {
            clauses.push((Occur::Must, tq.box_clone()));
        }
        if !q.categories.is_empty() {
            clauses.push((Occur::Must, term(self.category, &q.categories[0])));
        }
        if let Some(w) = &q.within {
            clauses.push((Occur::Must, term(self.boundary, w)));
        }
        if let (Some(p), Some(r)) = (q.near, q.radius_m) {
            let (min_lon, min_lat, max_lon, max_lat) = junction::geo::bbox_around(p, r);
            let inside: Vec<(Occur, Box<dyn Query>)> = vec![
                (Occur::Must, range(self.longitude, min_lon, max_lon)),
                (Occur::Must, range(self.latitude, min_lat, max_lat)),
            ];
            clauses.push((Occur::Must, Box::new(BooleanQuery::new(inside))));
        }
        if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        (Box::new(BooleanQuery::new(clauses)), text_query)
    }

    /// Times counting the matches of the core query.
    pub fn count(&self, cases: &[Case], limits: Limits) -> anyhow::Result<Samples> {
        limits.time(cases, |case| {
            Ok(self.searcher.search(self.query(case).0.as_ref(), &Count)?)
        })
    }

    /// Times keeping the best 20 matches by score (tantivy's top-k, which can skip blocks
    /// of documents that cannot make the page), then, with `snippets`, highlighting the page's
    /// descriptions as Junction does (loading each stored document).
    pub fn top_k(&self, cases: &[Case], limits: Limits, snippets: bool) -> anyhow::Result<Samples> {
        limits.time(cases, |case| {
            let (query, text_query) = self.query(case);
            let top = self
                .searcher
                .search(query.as_ref(), &TopDocs::with_limit(PAGE).order_by_score())?;
            if let (true, Some(tq)) = (snippets, text_query) {
                let mut generator =
                    SnippetGenerator::create(&self.searcher, tq.as_ref(), self.text.description)?;
                generator.set_max_num_chars(SUMMARY_CHARS);
                for (_, address) in &top {
                    let doc: TantivyDocument = self.searcher.doc(*address)?;
                    std::hint::black_box(generator.snippet_from_doc(&doc).to_html());
                }
            }
            Ok(top.len())
        })
    }
}

impl Matcher {
    /// Mean time to fetch one card's bytes from the FAST bytes field (a dictionary-encoded
    /// column: an ordinal, then a dictionary lookup), in microseconds, over documents spread
    /// through every segment.
    pub fn card_read_us(&self) -> anyhow::Result<f64> {
        let mut buf = Vec::new();
        let (mut n, mut bytes) = (0usize, 0usize);
        let start = Instant::now();
        for segment in self.searcher.segment_readers() {
            let Some(column) = segment.fast_fields().bytes("card")? else {
                continue;
            };
            let step = (segment.max_doc() as usize / 2000).max(1);
            for doc in (0..segment.max_doc()).step_by(step) {
                if let Some(ord) = column.term_ords(doc).next() {
                    buf.clear();
                    column.ord_to_bytes(ord, &mut buf)?;
                    bytes += buf.len();
                    n += 1;
                }
            }
        }
        std::hint::black_box(bytes);
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
