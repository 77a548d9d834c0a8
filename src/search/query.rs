//! Answering a search: one tantivy query for text and the filters the index can answer
//! (kind, category, accessibility, language, free, boundary, closed, the grid cells around a
//! radius or box), then exact checks on each match (geodesic distance, box, age, open at a
//! time), facets over what survives, the best page's worth kept, and one page (`page`).
//!
//! Ranking with a place: `relevance` blends text score and distance as
//! `score / (1 + distance_m / 2000)`, so a strong match 3 km away can beat a weak one 300 m
//! away; with no text it is nearest first. Ties break on the document address, so pages
//! never repeat or skip a record.

use std::{collections::BTreeMap, ops::Bound, sync::Arc};

use chrono::{DateTime, Utc};
use serde::Serialize;
use tantivy::{
    Searcher, Term,
    query::{AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery},
    schema::{Field, IndexRecordOption},
};
use utoipa::ToSchema;

use super::collect::{Checks, Fruit, MatchCollector, Order, Survivor};
use super::dense::TextMatches;
use super::{Card, SearchIndex, spatial, text};
use crate::domain::RecordKind;

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
    /// Holds at least this many people (spaces, and assets through their spaces).
    pub min_capacity: Option<i32>,
    /// Has every one of these facilities.
    pub facilities: Vec<String>,
    /// Free, or at most this many pounds an hour.
    pub max_hourly_rate: Option<f64>,
    pub include_closed: bool,
    /// Include records with no site (phone, online) when searching near a point.
    pub include_remote: bool,
    pub include_unpublished: bool,
    pub sort: Sort,
    /// Leave the facets out: count and rank only (the API's `facets=false`).
    pub skip_facets: bool,
    /// Review dates: overdue records rank lower, stale ones are left out (see
    /// [`super::freshness`]). `None`: every record as it is (API lists, tools).
    pub freshness: Option<super::Freshness>,
    pub offset: usize,
    pub limit: usize,
}

impl SearchQuery {
    /// Whether anything besides text, kind, publication and status narrows the search.
    pub fn narrowed(&self) -> bool {
        self.near.is_some()
            || self.bbox.is_some()
            || self.within.is_some()
            || !self.categories.is_empty()
            || !self.accessibility.is_empty()
            || !self.languages.is_empty()
            || self.free
            || self.age.is_some()
            || self.open_at.is_some()
            || self.min_capacity.is_some()
            || !self.facilities.is_empty()
            || self.max_hourly_rate.is_some()
    }
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

/// Counts over every record that matched, before paging. `kind` ignores the `kinds` filter
/// when it asks only for some of service, space, organisation and asset.
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

/// A filter: it narrows the matches and adds nothing to their score, so which kinds,
/// categories or grid cells a search asks for never changes how its text ranks.
fn filter(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

pub(super) fn any_of(field: Field, values: &[String]) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        values
            .iter()
            .map(|v| (Occur::Should, term(field, v)))
            .collect(),
    ))
}

/// The kinds counted in the kind facet whatever kinds are asked for.
const FACETED_KINDS: [RecordKind; 4] = [
    RecordKind::Service,
    RecordKind::Space,
    RecordKind::Organisation,
    RecordKind::Asset,
];

fn disjunctive_kinds(q: &SearchQuery) -> bool {
    !q.skip_facets
        && !q.kinds.is_empty()
        && q.kinds.len() < FACETED_KINDS.len()
        && q.kinds.iter().all(|k| FACETED_KINDS.contains(k))
}

/// The tantivy query for a search: text and every filter the index can answer. `None` when
/// the text can match nothing.
pub struct Planned {
    pub query: Option<BooleanQuery>,
    pub has_text: bool,
    /// Analysed terms to highlight in summaries (see `text::TextPlan::highlight`).
    pub highlight: Vec<Vec<String>>,
    pub notices: Vec<String>,
    /// The text as plain terms, when it is (see `text::PlainText`).
    pub plain: Option<text::PlainText>,
    /// For plain text narrowed by nothing else: the same matches as `query`, for counting
    /// them on bitsets (see `dense`).
    pub counting: Option<TextMatches>,
}

/// Builds the query for `q` against the index `searcher` reads.
pub fn plan(index: &SearchIndex, searcher: &Searcher, q: &SearchQuery) -> Planned {
    let f = &index.fields;
    let mut notices = Vec::new();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let mut highlight = Vec::new();
    let text = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let mut has_text = false;
    let mut plain = None;
    if let Some(t) = text {
        let plan = text::plan(searcher, &f.text, t, q.typing);
        notices.extend(plan.notices);
        if !plan.can_match {
            notices.push(format!("Nothing in the register matches '{t}'. Check the spelling, or try a more general word."));
            return Planned {
                query: None,
                has_text: true,
                highlight,
                notices,
                plain: None,
                counting: None,
            };
        }
        highlight = plan.highlight;
        plain = plan.plain;
        if let Some(tq) = plan.query {
            has_text = true;
            clauses.push((Occur::Must, tq));
        }
    }
    // Filters that keep nearly every document are written as exclusions of the few they
    // drop: a MustNot over a short posting list is cheap, a Must over one that lists every
    // document is not.
    if !q.include_unpublished {
        clauses.push((Occur::MustNot, term(f.publication, "unpublished")));
    }
    if !q.categories.is_empty() {
        clauses.push((Occur::Must, filter(any_of(f.category, &q.categories))));
    }
    for a in &q.accessibility {
        clauses.push((Occur::Must, filter(term(f.access, a))));
    }
    if !q.languages.is_empty() {
        clauses.push((Occur::Must, filter(any_of(f.language, &q.languages))));
    }
    if q.free {
        clauses.push((Occur::Must, filter(term(f.free, super::facets::FREE_TERM))));
    }
    for x in &q.facilities {
        clauses.push((Occur::Must, filter(term(f.facility, x))));
    }
    if let Some(n) = q.min_capacity {
        let at_least = Term::from_field_i64(f.fast.capacity, i64::from(n));
        clauses.push((
            Occur::Must,
            filter(Box::new(RangeQuery::new(
                Bound::Included(at_least),
                Bound::Unbounded,
            ))),
        ));
    }
    if let Some(max) = q.max_hourly_rate {
        let at_most = Term::from_field_i64(f.fast.rate, super::fast::pence(max));
        clauses.push((
            Occur::Must,
            filter(Box::new(RangeQuery::new(
                Bound::Unbounded,
                Bound::Included(at_most),
            ))),
        ));
    }
    if let Some(code) = &q.within {
        clauses.push((Occur::Must, filter(term(f.boundary, code))));
    }
    if !q.include_closed {
        clauses.push((Occur::MustNot, term(f.closed, "yes")));
    }
    // Where: the box around the radius (and any bbox, both when both are given) is a few runs
    // of documents in the index's spatial order, plus the records with several sites filed
    // under the grid cells that cover it; the collector checks distance and box exactly.
    // Records with no site are kept when remote results are wanted, and services whose area
    // covers the point wherever their sites are.
    let radius_box = match (q.near, q.radius_m) {
        (Some(p), Some(r)) => {
            let (min_lon, min_lat, max_lon, max_lat) = crate::geo::bbox_around(p, r);
            Some([min_lon, min_lat, max_lon, max_lat])
        }
        _ => None,
    };
    let inside = spatial::both(radius_box, q.bbox)
        .and_then(|b| spatial::in_box(b, index.columns.clone(), f.cell));
    let remote_ok = q.include_remote && q.near.is_some() && q.within.is_none() && q.bbox.is_none();
    if let Some(inside) = inside {
        let mut either: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, inside)];
        if remote_ok {
            either.push((Occur::Should, term(f.remote, "yes")));
        }
        if q.near.is_some() {
            either.push((Occur::Should, term(f.area, super::AREA_EXTENT)));
            for code in &q.near_boundaries {
                either.push((Occur::Should, term(f.area, code)));
            }
        }
        let geo: Box<dyn Query> = match either.len() {
            1 => either.remove(0).1,
            _ => Box::new(BooleanQuery::new(either)),
        };
        clauses.push((Occur::Must, filter(geo)));
    } else if q.near.is_some() && !q.include_remote {
        clauses.push((Occur::MustNot, term(f.remote, "yes")));
    }
    // Kinds are faceted disjunctively: when only faceted kinds are asked for, the query keeps
    // all of them and the collector counts each kind before dropping those not asked for, so
    // ticking "services" still shows how many spaces there are.
    let kind_scope: &[RecordKind] = if disjunctive_kinds(q) {
        &FACETED_KINDS
    } else {
        &q.kinds
    };
    let narrowed = clauses.iter().any(|(o, _)| *o == Occur::Must);
    if !kind_scope.is_empty() {
        let excluded: Vec<RecordKind> = RecordKind::ALL
            .into_iter()
            .filter(|k| !kind_scope.contains(k))
            .collect();
        // With other clauses to lead, excluding a kind or two is a cheap check per match; with
        // none (browsing the whole register) the kinds' own posting lists are the matches, far
        // fewer than every document (locations and taxonomy terms are documents too).
        if narrowed && excluded.len() <= 2 {
            for k in excluded {
                clauses.push((Occur::MustNot, term(f.kind, k.as_str())));
            }
        } else if !excluded.is_empty() {
            let kinds: Vec<String> = kind_scope.iter().map(|k| k.as_str().to_owned()).collect();
            clauses.push((Occur::Must, filter(any_of(f.kind, &kinds))));
        }
    }
    if clauses.iter().all(|(o, _)| *o == Occur::MustNot) {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    // Counting a plain text search narrowed by nothing else: its matches, less what the
    // clauses above exclude (publication, status, other kinds), on bitsets (see `dense`).
    let counting = plain
        .as_ref()
        .filter(|_| has_text && !q.narrowed())
        .map(|p| {
            // A match holds every word, and of each synonym phrase typed, every typed term or
            // one of the group's other phrases.
            let matches: super::dense::Matches = p
                .words
                .iter()
                .map(|w| vec![vec![w.clone()]])
                .chain(p.synonyms.iter().map(|s| {
                    std::iter::once(s.typed.clone())
                        .chain(s.others.iter().map(|o| vec![o.clone()]))
                        .collect()
                }))
                .collect();
            let mut excluded = Vec::new();
            if !q.include_unpublished {
                excluded.push(Term::from_field_text(f.publication, "unpublished"));
            }
            if !q.include_closed {
                excluded.push(Term::from_field_text(f.closed, "yes"));
            }
            if !kind_scope.is_empty() {
                excluded.extend(
                    RecordKind::ALL
                        .into_iter()
                        .filter(|k| !kind_scope.contains(k))
                        .map(|k| Term::from_field_text(f.kind, k.as_str())),
                );
            }
            TextMatches::new(matches, excluded, index.columns.bits.clone())
        });
    Planned {
        query: Some(BooleanQuery::new(clauses)),
        has_text,
        highlight,
        notices,
        plain,
        counting,
    }
}

/// The exact checks and order for `q`, keeping its best `keep` matches. The sort asked for
/// is resolved: relevance with no text is nearest first near a point, else by name.
pub(super) fn checks(index: &SearchIndex, q: &SearchQuery, has_text: bool, keep: usize) -> Checks {
    let f = &index.fields;
    let sort = match q.sort {
        Sort::Relevance if !has_text && q.near.is_some() => Sort::Distance,
        Sort::Relevance if !has_text => Sort::Name,
        sort => sort,
    };
    Checks {
        near: q.near,
        radius_m: q.radius_m,
        bbox: q.bbox,
        age: q.age,
        open_at: q.open_at,
        include_remote: q.include_remote,
        near_boundaries: q.near_boundaries.clone(),
        order: Order {
            sort,
            has_text,
            near: q.near.is_some(),
        },
        keep,
        card: f.card,
        facet_fields: super::facets::FacetFields {
            kind: f.kind,
            top_category: f.fast.top_category,
            access: f.access,
            free: f.free,
        },
        columns: index.columns.clone(),
        facets: !q.skip_facets,
        kinds: disjunctive_kinds(q)
            .then(|| q.kinds.iter().map(|k| k.as_str().to_owned()).collect()),
        scoring: has_text,
        freshness: q.freshness.clone().map(Arc::new),
    }
}

/// Runs `q` against `index`.
pub fn run(index: &SearchIndex, q: &SearchQuery) -> anyhow::Result<SearchResults> {
    run_with(index, q, true)
}

/// Runs `q`; `prune` lets a plain text search rank with pruning (tests compare both ways).
pub(crate) fn run_with(
    index: &SearchIndex,
    q: &SearchQuery,
    prune: bool,
) -> anyhow::Result<SearchResults> {
    let searcher = index.reader.searcher();
    let Planned {
        query,
        has_text,
        highlight,
        mut notices,
        plain,
        counting,
    } = plan(index, &searcher, q);
    let Some(query) = query else {
        return Ok(SearchResults {
            notices,
            ..SearchResults::default()
        });
    };
    let checks = Arc::new(checks(index, q, has_text, q.offset.saturating_add(q.limit)));
    let (order, sort) = (checks.order, checks.order.sort);
    // A plain text search ranked by relevance and narrowed by nothing the collector must check
    // finds its best page with pruning and counts the rest without scoring (see `top`).
    let only_text = prune && sort == Sort::Relevance && !q.narrowed();
    let Fruit {
        mut survivors,
        total,
        facets,
    } = match plain.filter(|_| only_text) {
        Some(plain) => {
            let kinds: Vec<String> = q.kinds.iter().map(|k| k.as_str().to_owned()).collect();
            let mut excluded_flags = 0;
            if !q.include_closed {
                excluded_flags |= super::fast::CLOSED;
            }
            if !q.include_unpublished {
                excluded_flags |= super::fast::UNPUBLISHED;
            }
            let counted = super::tally::count(
                &searcher,
                &query,
                counting.as_ref(),
                &checks,
                &index.columns,
            )?;
            let best = super::top::best(
                &searcher,
                &query,
                &plain,
                &super::top::Plain {
                    kinds: (!kinds.is_empty()).then_some(kinds.as_slice()),
                    excluded_flags,
                },
                &checks,
            )?;
            Fruit {
                survivors: best,
                ..counted
            }
        }
        None => searcher.search(&query, &MatchCollector { checks })?,
    };
    survivors.sort_by(|a, b| order.cmp(a, b));
    let page: Vec<Survivor> = survivors.into_iter().skip(q.offset).take(q.limit).collect();
    if total == 0 {
        notices.push(match (has_text, q.narrowed()) {
            (_, true) => "Nothing matches all of that: try removing a filter or searching a wider area.".to_owned(),
            (true, false) => format!(
                "Nothing in the register matches '{}'. Check the spelling, or try a more general word.",
                q.text.as_deref().unwrap_or_default().trim()
            ),
            (false, false) => "The register has nothing to show yet.".to_owned(),
        });
    }

    let now = q.open_at.unwrap_or_else(Utc::now);
    let hits = super::page::hits(index, &searcher, page, highlight, now)?;
    Ok(SearchResults {
        hits,
        total,
        facets,
        notices,
    })
}
