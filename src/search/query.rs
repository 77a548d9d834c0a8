//! Answering a search: one tantivy query for text and the filters the index can answer
//! (kind, category, accessibility, language, free, boundary, closed, the bounding box of a
//! radius), then exact checks on each match's card (geodesic distance, bounding box, age,
//! open at a time), facets over what survives, ranking and one page.
//!
//! Ranking with a place: `relevance` blends text score and distance as
//! `score / (1 + distance_m / 2000)`, so a strong match 3 km away can beat a weak one 300 m
//! away; with no text it is nearest first. Ties break on kind and id, so pages never repeat
//! or skip a record.

use std::{cmp::Ordering, collections::BTreeMap, ops::Bound};

use chrono::{DateTime, Utc};
use serde::Serialize;
use tantivy::{
    DocAddress, DocId, Score, SegmentOrdinal, SegmentReader, TantivyDocument, Term,
    collector::{Collector, SegmentCollector},
    columnar::BytesColumn,
    query::{AllQuery, BooleanQuery, Occur, Query, RangeQuery, TermQuery},
    schema::{Field, IndexRecordOption},
    snippet::SnippetGenerator,
};
use utoipa::ToSchema;

use super::{Card, SearchIndex, text};
use crate::domain::{RecordKind, hours};

/// Distance at which a match's score is halved when ranking by relevance near a point.
pub const DISTANCE_HALF_SCORE_M: f64 = 2000.0;

/// Result order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    #[default]
    Relevance,
    Distance,
    Name,
    RecentlyVerified,
}

/// Everything a search can ask. All filters combine with AND; values of one repeatable
/// filter (kinds, categories, languages) combine with OR, accessibility features with AND.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub text: Option<String>,
    /// The last word may be unfinished (search as you type).
    pub typing: bool,
    pub kinds: Vec<RecordKind>,
    /// Term ids or slugs; a term includes its descendants.
    pub categories: Vec<String>,
    /// (longitude, latitude).
    pub near: Option<(f64, f64)>,
    /// Codes of the boundaries containing `near`: services covering them match at distance 0.
    pub near_boundaries: Vec<String>,
    pub radius_m: Option<f64>,
    /// min_lon, min_lat, max_lon, max_lat.
    pub bbox: Option<[f64; 4]>,
    pub within: Option<String>,
    pub open_at: Option<DateTime<Utc>>,
    pub free: bool,
    pub accessibility: Vec<String>,
    pub age: Option<i32>,
    pub languages: Vec<String>,
    pub include_closed: bool,
    /// Include records with no site (phone, online) when searching near a point.
    pub include_remote: bool,
    pub include_unpublished: bool,
    pub sort: Sort,
    pub offset: usize,
    pub limit: usize,
}

/// One result.
#[derive(Debug, Clone)]
pub struct SearchHit {
    pub card: Card,
    pub score: f32,
    pub distance_m: Option<f64>,
    /// Found because one of its service areas covers `near`.
    pub covers_area: bool,
    pub open_now: Option<bool>,
    /// The summary with matched words wrapped in `<mark>`, HTML-escaped.
    pub summary_html: Option<String>,
}

/// Counts over every record that matched, before paging.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct Facets {
    pub kind: BTreeMap<String, u64>,
    pub category: BTreeMap<String, u64>,
    pub accessibility: BTreeMap<String, u64>,
    pub free: u64,
}

#[derive(Debug, Clone, Default)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    pub total: usize,
    pub facets: Facets,
    pub notices: Vec<String>,
}

fn term(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

fn any_of(field: Field, values: &[String]) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        values
            .iter()
            .map(|v| (Occur::Should, term(field, v)))
            .collect(),
    ))
}

fn f64_range(field: Field, min: f64, max: f64) -> Box<dyn Query> {
    Box::new(RangeQuery::new(
        Bound::Included(Term::from_field_f64(field, min)),
        Bound::Included(Term::from_field_f64(field, max)),
    ))
}

/// Collects every match with its score and card.
struct CardCollector {
    card: Field,
}

struct CardSegmentCollector {
    segment: SegmentOrdinal,
    column: Option<BytesColumn>,
    buf: Vec<u8>,
    out: Vec<(Score, DocAddress, Card)>,
}

impl Collector for CardCollector {
    type Fruit = Vec<(Score, DocAddress, Card)>;
    type Child = CardSegmentCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        let name = reader.schema().get_field_name(self.card).to_owned();
        Ok(CardSegmentCollector {
            segment,
            column: reader.fast_fields().bytes(&name)?,
            buf: Vec::new(),
            out: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for CardSegmentCollector {
    type Fruit = Vec<(Score, DocAddress, Card)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let Some(column) = &self.column else { return };
        let Some(ord) = column.term_ords(doc).next() else {
            return;
        };
        self.buf.clear();
        if column.ord_to_bytes(ord, &mut self.buf).unwrap_or(false)
            && let Ok(card) = serde_json::from_slice::<Card>(&self.buf)
        {
            self.out
                .push((score, DocAddress::new(self.segment, doc), card));
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.out
    }
}

fn tie_break(a: &Card, b: &Card) -> Ordering {
    a.kind.cmp(&b.kind).then(a.id.cmp(&b.id))
}

/// Runs `q` against `index`.
pub fn run(index: &SearchIndex, q: &SearchQuery) -> anyhow::Result<SearchResults> {
    let f = &index.fields;
    let searcher = index.reader.searcher();
    let mut notices = Vec::new();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();

    let text_query = match q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => {
            let plan = text::plan(&searcher, &f.text, t, q.typing);
            notices.extend(plan.notices);
            if !plan.can_match {
                notices.push(format!("Nothing in the register matches '{t}'. Check the spelling, or try a more general word."));
                return Ok(SearchResults {
                    notices,
                    ..SearchResults::default()
                });
            }
            plan.query
        }
        None => None,
    };
    let has_text = text_query.is_some();
    if let Some(tq) = text_query.as_ref() {
        clauses.push((Occur::Must, tq.box_clone()));
    }
    if !q.include_unpublished {
        clauses.push((Occur::Must, term(f.publication, "published")));
    }
    if !q.kinds.is_empty() {
        let kinds: Vec<String> = q.kinds.iter().map(|k| k.as_str().to_owned()).collect();
        clauses.push((Occur::Must, any_of(f.kind, &kinds)));
    }
    if !q.categories.is_empty() {
        clauses.push((Occur::Must, any_of(f.category, &q.categories)));
    }
    for a in &q.accessibility {
        clauses.push((Occur::Must, term(f.access, a)));
    }
    if !q.languages.is_empty() {
        clauses.push((Occur::Must, any_of(f.language, &q.languages)));
    }
    if q.free {
        clauses.push((Occur::Must, term(f.free, "yes")));
    }
    if let Some(code) = &q.within {
        clauses.push((Occur::Must, term(f.boundary, code)));
    }
    if !q.include_closed {
        clauses.push((Occur::MustNot, term(f.closed, "yes")));
    }
    // Where: the radius's bounding box (and any bbox) as range pre-filters. Records with no
    // site are kept when remote results are wanted.
    let radius_box = match (q.near, q.radius_m) {
        (Some(p), Some(r)) => {
            let (min_lon, min_lat, max_lon, max_lat) = crate::geo::bbox_around(p, r);
            Some([min_lon, min_lat, max_lon, max_lat])
        }
        _ => None,
    };
    let geo_boxes: Vec<[f64; 4]> = radius_box.into_iter().chain(q.bbox).collect();
    let remote_ok = q.include_remote && q.near.is_some() && q.within.is_none() && q.bbox.is_none();
    if !geo_boxes.is_empty() {
        let mut inside: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for b in &geo_boxes {
            inside.push((Occur::Must, f64_range(f.longitude, b[0], b[2])));
            inside.push((Occur::Must, f64_range(f.latitude, b[1], b[3])));
        }
        let inside: Box<dyn Query> = Box::new(BooleanQuery::new(inside));
        let mut either: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, inside)];
        if remote_ok {
            either.push((Occur::Should, term(f.remote, "yes")));
        }
        if q.near.is_some() {
            // Services whose area covers the point, wherever their sites are.
            either.push((Occur::Should, term(f.area, super::AREA_EXTENT)));
            for code in &q.near_boundaries {
                either.push((Occur::Should, term(f.area, code)));
            }
        }
        let geo: Box<dyn Query> = Box::new(BooleanQuery::new(either));
        clauses.push((Occur::Must, geo));
    } else if q.near.is_some() && !q.include_remote {
        clauses.push((Occur::MustNot, term(f.remote, "yes")));
    }
    if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    let query = BooleanQuery::new(clauses);
    let matches = searcher.search(&query, &CardCollector { card: f.card })?;

    // Exact checks on each card.
    let open_at = q.open_at;
    let mut hits: Vec<(SearchHit, DocAddress)> = Vec::with_capacity(matches.len());
    for (score, address, card) in matches {
        let covers_area = q.near.is_some_and(|p| card.covers(p, &q.near_boundaries));
        let distance_m = if covers_area {
            Some(0.0)
        } else {
            q.near.and_then(|p| card.distance_m(p))
        };
        if let (Some(r), Some(d)) = (q.radius_m, distance_m)
            && d > r
        {
            continue;
        }
        // Near a point, a record with neither a site nor a covering area is only kept when
        // it is remote (available anywhere).
        if q.near.is_some() && distance_m.is_none() && !(card.remote && q.include_remote) {
            continue;
        }
        if let Some(b) = q.bbox
            && !card
                .points
                .iter()
                .any(|[lon, lat]| *lon >= b[0] && *lon <= b[2] && *lat >= b[1] && *lat <= b[3])
        {
            continue;
        }
        if let Some(age) = q.age
            && !card.fits_age(age)
        {
            continue;
        }
        let now = open_at.unwrap_or_else(Utc::now);
        let open_now = card
            .opening_hours
            .as_deref()
            .and_then(|h| hours::is_open_at(h, now));
        if open_at.is_some() && open_now != Some(true) {
            continue;
        }
        hits.push((
            SearchHit {
                card,
                score,
                distance_m,
                covers_area,
                open_now,
                summary_html: None,
            },
            address,
        ));
    }

    let mut facets = Facets::default();
    for (h, _) in &hits {
        *facets.kind.entry(h.card.kind.clone()).or_default() += 1;
        for c in &h.card.top_categories {
            *facets.category.entry(c.clone()).or_default() += 1;
        }
        for a in &h.card.accessibility {
            *facets.accessibility.entry(a.clone()).or_default() += 1;
        }
        if h.card.free {
            facets.free += 1;
        }
    }

    let rank = |h: &SearchHit| -> f64 {
        let s = if has_text { f64::from(h.score) } else { 1.0 };
        match h.distance_m {
            Some(d) => s / (1.0 + d / DISTANCE_HALF_SCORE_M),
            // Remote records have no distance: they rank by text alone, below local ties.
            None if q.near.is_some() => s / 2.0,
            None => s,
        }
    };
    let by_distance = |a: &SearchHit, b: &SearchHit| match (a.distance_m, b.distance_m) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    };
    let sort = if q.sort == Sort::Relevance && !has_text && q.near.is_some() {
        Sort::Distance
    } else if q.sort == Sort::Relevance && !has_text {
        Sort::Name
    } else {
        q.sort
    };
    hits.sort_by(|(a, _), (b, _)| {
        let primary = match sort {
            Sort::Relevance => rank(b).total_cmp(&rank(a)),
            Sort::Distance => by_distance(a, b).then_with(|| b.score.total_cmp(&a.score)),
            Sort::Name => a.card.name.to_lowercase().cmp(&b.card.name.to_lowercase()),
            Sort::RecentlyVerified => b.card.last_verified_at.cmp(&a.card.last_verified_at),
        };
        primary.then_with(|| tie_break(&a.card, &b.card))
    });
    let total = hits.len();
    if total == 0 {
        let filtered = !q.categories.is_empty()
            || !q.accessibility.is_empty()
            || !q.languages.is_empty()
            || q.free
            || q.age.is_some()
            || q.open_at.is_some()
            || q.within.is_some()
            || q.bbox.is_some()
            || q.near.is_some();
        notices.push(match (has_text, filtered) {
            (_, true) => "Nothing matches all of that: try removing a filter or searching a wider area.".to_owned(),
            (true, false) => format!(
                "Nothing in the register matches '{}'. Check the spelling, or try a more general word.",
                q.text.as_deref().unwrap_or_default().trim()
            ),
            (false, false) => "The register has nothing to show yet.".to_owned(),
        });
    }
    let mut page: Vec<(SearchHit, DocAddress)> =
        hits.into_iter().skip(q.offset).take(q.limit).collect();

    // Highlight the matched words in each page item's description.
    if let Some(tq) = text_query {
        let mut generator = SnippetGenerator::create(&searcher, tq.as_ref(), f.text.description)?;
        generator.set_max_num_chars(super::card::SUMMARY_CHARS);
        for (hit, address) in &mut page {
            let doc: TantivyDocument = searcher.doc(*address)?;
            let mut snippet = generator.snippet_from_doc(&doc);
            snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
            if !snippet.highlighted().is_empty() {
                hit.summary_html = Some(snippet.to_html());
            }
        }
    }
    Ok(SearchResults {
        hits: page.into_iter().map(|(h, _)| h).collect(),
        total,
        facets,
        notices,
    })
}
