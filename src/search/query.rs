//! Answering a search: one tantivy query for text and the filters the index can answer
//! (kind, category, accessibility, language, free, boundary, closed, the bounding box of a
//! radius), then exact checks on each match's card (geodesic distance, bounding box, age,
//! open at a time), facets over what survives, ranking and one page.
//!
//! Ranking with a place: `relevance` blends text score and distance as
//! `score / (1 + distance_m / 2000)`, so a strong match 3 km away can beat a weak one 300 m
//! away; with no text it is nearest first. Ties break on kind and id, so pages never repeat
//! or skip a record.

use std::{cmp::Ordering, collections::BTreeMap, ops::Bound, sync::Arc};

use chrono::{DateTime, Utc};
use serde::Serialize;
use tantivy::{
    TantivyDocument, Term,
    query::{AllQuery, BooleanQuery, Occur, Query, RangeQuery, TermQuery},
    schema::{Field, IndexRecordOption},
    snippet::SnippetGenerator,
};
use utoipa::ToSchema;

use super::collect::{Checks, Fruit, MatchCollector, Survivor, read_card};
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
    // Filters that keep nearly every document are written as exclusions of the few they
    // drop: a MustNot over a short posting list is cheap, a Must over one that lists every
    // document is not.
    if !q.include_unpublished {
        clauses.push((Occur::MustNot, term(f.publication, "unpublished")));
    }
    if !q.kinds.is_empty() {
        let excluded: Vec<RecordKind> = RecordKind::ALL
            .into_iter()
            .filter(|k| !q.kinds.contains(k))
            .collect();
        if excluded.len() <= 2 {
            for k in excluded {
                clauses.push((Occur::MustNot, term(f.kind, k.as_str())));
            }
        } else {
            let kinds: Vec<String> = q.kinds.iter().map(|k| k.as_str().to_owned()).collect();
            clauses.push((Occur::Must, any_of(f.kind, &kinds)));
        }
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
    let checks = Arc::new(Checks {
        near: q.near,
        radius_m: q.radius_m,
        bbox: q.bbox,
        age: q.age,
        open_at: q.open_at,
        include_remote: q.include_remote,
        near_boundaries: q.near_boundaries.clone(),
        want_names: matches!(q.sort, Sort::Name)
            || (q.sort == Sort::Relevance && !has_text && q.near.is_none()),
        card: f.card,
        kind: f.kind,
        access: f.access,
        name_exact: f.text.name_exact,
    });
    let Fruit {
        mut survivors,
        facets,
    } = searcher.search(&query, &MatchCollector { checks })?;

    let rank = |h: &Survivor| -> f64 {
        let s = if has_text { f64::from(h.score) } else { 1.0 };
        match h.distance_m {
            Some(d) => s / (1.0 + d / DISTANCE_HALF_SCORE_M),
            // Remote records have no distance: they rank by text alone, below local ties.
            None if q.near.is_some() => s / 2.0,
            None => s,
        }
    };
    let by_distance = |a: &Survivor, b: &Survivor| match (a.distance_m, b.distance_m) {
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
    // Ties break on the document address: stable for one index snapshot, so pages of the same
    // search never repeat or skip a record.
    let order = |a: &Survivor, b: &Survivor| {
        let primary = match sort {
            Sort::Relevance => rank(b).total_cmp(&rank(a)),
            Sort::Distance => by_distance(a, b).then_with(|| b.score.total_cmp(&a.score)),
            Sort::Name => a.name.cmp(&b.name),
            Sort::RecentlyVerified => b.verified.cmp(&a.verified),
        };
        primary.then_with(|| a.address.cmp(&b.address))
    };
    let total = survivors.len();
    let end = q.offset.saturating_add(q.limit).min(total);
    if q.offset < total {
        // Only the first `end` need to be in order.
        if end < total {
            survivors.select_nth_unstable_by(end, order);
            survivors.truncate(end);
        }
        survivors.sort_by(order);
    }
    let page: Vec<Survivor> = survivors.into_iter().skip(q.offset).take(q.limit).collect();
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

    // The page: cards, open now, highlighted summaries.
    let now = q.open_at.unwrap_or_else(Utc::now);
    let mut generator = match &text_query {
        Some(tq) => {
            let mut g = SnippetGenerator::create(&searcher, tq.as_ref(), f.text.description)?;
            g.set_max_num_chars(super::card::SUMMARY_CHARS);
            Some(g)
        }
        None => None,
    };
    let card_field = searcher.schema().get_field_name(f.card).to_owned();
    let mut hits = Vec::with_capacity(page.len());
    let mut buf = Vec::new();
    for s in page {
        let segment = searcher.segment_reader(s.address.segment_ord);
        let Some(column) = segment.fast_fields().bytes(&card_field)? else {
            continue;
        };
        let Some(card) = read_card(&column, s.address.doc_id, &mut buf) else {
            continue;
        };
        let open_now = card
            .opening_hours
            .as_deref()
            .and_then(|h| hours::is_open_at(h, now));
        let mut summary_html = None;
        if let Some(g) = generator.as_mut() {
            let doc: TantivyDocument = searcher.doc(s.address)?;
            let mut snippet = g.snippet_from_doc(&doc);
            snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
            if !snippet.highlighted().is_empty() {
                summary_html = Some(snippet.to_html());
            }
        }
        hits.push(SearchHit {
            card,
            score: s.score,
            distance_m: s.distance_m,
            covers_area: s.covers_area,
            open_now,
            summary_html,
        });
    }
    Ok(SearchResults {
        hits,
        total,
        facets,
        notices,
    })
}
