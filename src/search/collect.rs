//! The collector behind every search. It visits each match once and reads only fast fields —
//! packed points, ages, flags and the facet keywords — to apply the exact checks, count the
//! survivors and their facets (by term ordinal), and keep the best page's worth of them. A
//! record's card (JSON, in the document store) is read only for the page that is shown, or for
//! the rare match whose check needs more: a service area, opening hours.

use std::{cmp::Ordering, collections::HashMap, sync::Arc};

use chrono::{DateTime, Utc};
use tantivy::{
    DocAddress, DocId, Score, SegmentOrdinal, SegmentReader, TantivyDocument,
    collector::{Collector, SegmentCollector},
    columnar::{Column, StrColumn},
    schema::{Field, Value},
    store::StoreReader,
};

use super::Card;
use super::facets::{FacetColumns, FacetFields, SegmentFacets};
use super::fast::{FREE, HAS_AREA, HAS_HOURS, REMOTE, unpack};
use super::freshness::SegmentFreshness;
pub use super::open_cache::{hours_key, remember_open, remembered_open};
pub use super::order::{Order, Survivor};
use super::query::{Facets, Sort};
use super::segments::SegmentCache;
use crate::domain::hours;

/// The exact checks a match must pass, and how survivors are ordered.
#[derive(Clone)]
pub struct Checks {
    pub near: Option<(f64, f64)>,
    pub radius_m: Option<f64>,
    pub bbox: Option<[f64; 4]>,
    pub age: Option<i32>,
    pub open_at: Option<DateTime<Utc>>,
    pub include_remote: bool,
    pub near_boundaries: Vec<String>,
    pub order: Order,
    /// How many of the best survivors to keep: the page's offset plus its length.
    pub keep: usize,
    pub card: Field,
    pub facet_fields: FacetFields,
    /// Each segment's columns, opened once.
    pub columns: SegmentCache,
    /// Count facets (kind, top category, accessibility, free) over the survivors.
    pub facets: bool,
    /// Kinds to keep after counting the kind facet (the query itself keeps all faceted kinds).
    pub kinds: Option<Vec<String>>,
    /// Score the matches (text ranks them); a pass that only counts leaves scores out.
    pub scoring: bool,
    /// Review cut-offs: overdue records' scores demoted, stale ones dropped.
    pub freshness: Option<Arc<super::Freshness>>,
}

impl Checks {
    /// The same checks for a pass that only ranks: no facets.
    pub fn ranking_only(&self) -> Checks {
        Checks {
            facets: false,
            ..self.clone()
        }
    }

    /// The same checks for a pass that only counts and facets: nothing kept, nothing scored.
    pub fn counting_only(&self) -> Checks {
        Checks {
            keep: 0,
            scoring: false,
            ..self.clone()
        }
    }
}

pub struct Fruit {
    /// The best `keep` survivors, unordered.
    pub survivors: Vec<Survivor>,
    /// Every survivor, counted.
    pub total: usize,
    pub facets: Facets,
}

/// One segment's fruit: counting its facets reads posting lists, which can fail.
pub struct SegmentFruit {
    pub survivors: Vec<Survivor>,
    pub total: usize,
    pub facets: tantivy::Result<Facets>,
}

pub struct SegmentState {
    checks: Arc<Checks>,
    segment: SegmentOrdinal,
    reader: SegmentReader,
    /// The segment's document store, opened the first time a card is needed.
    cards: Cards,
    /// By kind term ordinal: kept after the kind facet is counted (see `Checks::kinds`).
    kind_allowed: Option<Vec<bool>>,
    /// The columns facets and the kind check read; `flags` is here too.
    columns: FacetColumns,
    /// Survivors to count facets over, when facets are asked for.
    facets: Option<SegmentFacets>,
    fresh: Option<SegmentFreshness>,
    name: Option<StrColumn>,
    point: Column<u64>,
    min_age: Column<i64>,
    max_age: Column<i64>,
    verified: Column<i64>,
    hours_key: Column<u64>,
    total: usize,
    /// Open-at results by hours key, so each distinct opening-hours text is read and
    /// evaluated once per segment.
    hours: HashMap<u64, Option<bool>>,
    survivors: Vec<Survivor>,
    /// The worst survivor kept when the buffer was last cut back: a match that ranks after it
    /// can never be among the best, so it is counted but not kept.
    worst_kept: Option<Survivor>,
}

/// A segment's cards, read from its document store on demand.
struct Cards {
    reader: SegmentReader,
    store: Option<StoreReader>,
    field: Field,
}

impl Cards {
    fn get(&mut self, doc: DocId) -> Option<Card> {
        if self.store.is_none() {
            self.store = self.reader.get_store_reader(4).ok();
        }
        read_card(self.store.as_ref()?, self.field, doc)
    }
}

/// Reads one record's card from the document store.
pub fn read_card(store: &StoreReader, card: Field, doc: DocId) -> Option<Card> {
    let d: TantivyDocument = store.get(doc).ok()?;
    let bytes = d.get_first(card)?.as_bytes()?;
    serde_json::from_slice(bytes).ok()
}

impl Checks {
    fn segment(
        self: &Arc<Self>,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentState> {
        let cols = self.columns.get(reader)?;
        let (kind, top, access) = match (self.facets, self.kinds.is_some()) {
            (true, _) => (cols.kind.clone(), cols.top.clone(), cols.access.clone()),
            (false, true) => (cols.kind.clone(), None, None),
            (false, false) => (None, None, None),
        };
        let kind_allowed = self.kinds.as_ref().map(|allowed| {
            kind.as_ref().map_or_else(Vec::new, |k| {
                k.names.iter().map(|n| allowed.contains(n)).collect()
            })
        });
        let name = if self.order.sort == Sort::Name {
            cols.name.clone()
        } else {
            None
        };
        Ok(SegmentState {
            checks: Arc::clone(self),
            segment,
            reader: reader.clone(),
            cards: Cards {
                reader: reader.clone(),
                store: None,
                field: self.card,
            },
            kind_allowed,
            columns: FacetColumns {
                fields: self.facet_fields,
                kind,
                top,
                access,
                flags: cols.flags.clone(),
                free_flag: FREE,
            },
            facets: self
                .facets
                .then(|| SegmentFacets::new(self.kinds.is_some())),
            fresh: self.freshness.as_ref().map(|f| f.for_segment(&cols)),
            name,
            point: cols.point.clone(),
            min_age: cols.min_age.clone(),
            max_age: cols.max_age.clone(),
            verified: cols.verified.clone(),
            hours_key: cols.hours_key.clone(),
            total: 0,
            hours: HashMap::new(),
            survivors: Vec::new(),
            worst_kept: None,
        })
    }
}

impl SegmentState {
    fn check(&mut self, doc: DocId, score: Score) -> Option<Survivor> {
        // Stale records are out before anything counts them; overdue ones rank lower.
        let score = match &self.fresh {
            Some(fresh) => score * fresh.factor(doc)?,
            None => score,
        };
        let c = &self.checks;
        // The flags matter only near a point (areas, remote records) or at a time (hours).
        let flags = if c.near.is_some() || c.open_at.is_some() {
            self.columns.flags.first(doc).unwrap_or(0)
        } else {
            0
        };
        if let Some(age) = c.age {
            let age = i64::from(age);
            if self.min_age.first(doc).is_some_and(|m| m > age)
                || self.max_age.first(doc).is_some_and(|m| m < age)
            {
                return None;
            }
        }
        let mut covers_area = false;
        if let Some(near) = c.near
            && flags & HAS_AREA != 0
        {
            covers_area = self
                .cards
                .get(doc)
                .is_some_and(|card| card.covers(near, &c.near_boundaries));
        }
        let mut distance_m = if covers_area { Some(0.0) } else { None };
        if let Some(b) = c.bbox {
            let inside = self
                .point
                .values_for_doc(doc)
                .map(unpack)
                .any(|(lon, lat)| lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3]);
            if !inside {
                return None;
            }
        }
        if let (Some(near), false) = (c.near, covers_area) {
            distance_m = self
                .point
                .values_for_doc(doc)
                .map(|p| crate::geo::haversine_m(near, unpack(p)))
                .min_by(f64::total_cmp);
            if let (Some(r), Some(d)) = (c.radius_m, distance_m)
                && d > r
            {
                return None;
            }
            let remote = flags & REMOTE != 0;
            if distance_m.is_none() && !(remote && c.include_remote) {
                return None;
            }
        }
        if let Some(at) = c.open_at {
            if flags & HAS_HOURS == 0 {
                return None;
            }
            let key = self.hours_key.first(doc).unwrap_or(0);
            let open = match self.hours.get(&key) {
                Some(open) => *open,
                None => {
                    let open = match remembered_open(key, at) {
                        Some(open) => open,
                        None => {
                            let open = self
                                .cards
                                .get(doc)?
                                .opening_hours
                                .and_then(|h| hours::is_open_at(&h, at));
                            remember_open(key, at, open);
                            open
                        }
                    };
                    self.hours.insert(key, open);
                    open
                }
            };
            if open != Some(true) {
                return None;
            }
        }
        // Facets count every survivor; the kind facet also those of kinds not asked for.
        if let Some(f) = &mut self.facets
            && f.kinds_dropped
        {
            f.before_kinds.push(doc);
        }
        if let (Some(allowed), Some(k)) = (&self.kind_allowed, &self.columns.kind) {
            let ord = k.column.ords().first(doc);
            if !ord.is_some_and(|o| allowed.get(o as usize).copied().unwrap_or(false)) {
                return None;
            }
        }
        if let Some(f) = &mut self.facets {
            f.survivors.push(doc);
        }
        let name_ord = self
            .name
            .as_ref()
            .and_then(|n| n.ords().first(doc))
            .unwrap_or(u64::MAX);
        Some(Survivor {
            score,
            address: DocAddress::new(self.segment, doc),
            distance_m,
            covers_area,
            name_ord,
            name: None,
            verified: if c.order.sort == Sort::RecentlyVerified {
                self.verified.first(doc).unwrap_or(0)
            } else {
                0
            },
        })
    }
}

/// Collects every match that passes the checks: counts them all, facets them all, and keeps
/// the best `keep`.
pub struct MatchCollector {
    pub checks: Arc<Checks>,
}

pub struct MatchSegmentCollector {
    state: SegmentState,
}

impl Collector for MatchCollector {
    type Fruit = Fruit;
    type Child = MatchSegmentCollector;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        Ok(MatchSegmentCollector {
            state: self.checks.segment(segment, reader)?,
        })
    }

    fn requires_scoring(&self) -> bool {
        self.checks.scoring
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<Fruit> {
        let mut all = Fruit {
            survivors: Vec::new(),
            total: 0,
            facets: Facets::default(),
        };
        for f in fruits {
            all.survivors.extend(f.survivors);
            all.total += f.total;
            let facets = f.facets?;
            for (k, v) in facets.kind {
                *all.facets.kind.entry(k).or_default() += v;
            }
            for (k, v) in facets.category {
                *all.facets.category.entry(k).or_default() += v;
            }
            for (k, v) in facets.accessibility {
                *all.facets.accessibility.entry(k).or_default() += v;
            }
            all.facets.free += facets.free;
        }
        Ok(all)
    }
}

impl SegmentCollector for MatchSegmentCollector {
    type Fruit = SegmentFruit;

    fn collect_block(&mut self, docs: &[DocId]) {
        // A pass that only counts, with nothing to check per match, just counts.
        let st = &self.state;
        let c = &st.checks;
        let nothing_to_check = c.keep == 0
            && st.fresh.is_none()
            && c.near.is_none()
            && c.bbox.is_none()
            && c.age.is_none()
            && c.open_at.is_none()
            && st.kind_allowed.is_none()
            && st.facets.is_none();
        if nothing_to_check {
            self.state.total += docs.len();
        } else {
            for &doc in docs {
                self.collect(doc, 0.0);
            }
        }
    }

    fn collect(&mut self, doc: DocId, score: Score) {
        let st = &mut self.state;
        if let Some(s) = st.check(doc, score) {
            st.total += 1;
            if st.checks.keep == 0 {
                return;
            }
            let order = st.checks.order;
            if st
                .worst_kept
                .as_ref()
                .is_some_and(|w| order.cmp(&s, w) == Ordering::Greater)
            {
                return;
            }
            st.survivors.push(s);
            let keep = st.checks.keep;
            if st.survivors.len() >= keep.max(64) * 2 {
                order.keep_best(&mut st.survivors, keep);
                st.worst_kept = st.survivors.get(keep.wrapping_sub(1)).cloned();
            }
        }
    }

    fn harvest(self) -> SegmentFruit {
        let mut st = self.state;
        let order = st.checks.order;
        order.keep_best(&mut st.survivors, st.checks.keep);
        if let Some(n) = &st.name {
            // One pass over the dictionary for the kept survivors' names.
            st.survivors.sort_by_key(|s| s.name_ord);
            let ords: Vec<u64> = st.survivors.iter().map(|s| s.name_ord).collect();
            let mut names = Vec::with_capacity(ords.len());
            let _ = n.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                names.push(String::from_utf8_lossy(bytes).into_owned());
            });
            for (s, name) in st.survivors.iter_mut().zip(names) {
                s.name = Some(name);
            }
            for s in &mut st.survivors {
                s.name.get_or_insert_with(String::new);
            }
        }
        let facets = match &st.facets {
            Some(f) => f.count(&st.reader, &st.columns),
            None => Ok(Facets::default()),
        };
        SegmentFruit {
            survivors: st.survivors,
            total: st.total,
            facets,
        }
    }
}
