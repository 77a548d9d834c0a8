//! The collector behind every search. It visits each match once and reads only fast fields —
//! packed points, ages, flags and the facet keywords — to apply the exact checks, count the
//! facets and keep what ranking needs. A record's card (JSON) is parsed only for the page that
//! is shown, or for the rare match whose check needs more: a service area, opening hours.

use std::{collections::HashMap, sync::Arc};

use chrono::{DateTime, Utc};
use tantivy::{
    DocAddress, DocId, Score, SegmentOrdinal, SegmentReader, TantivyDocument,
    collector::{Collector, SegmentCollector},
    columnar::{BytesColumn, Column, StrColumn},
    schema::Field,
};

use super::Card;
use super::query::Facets;
use crate::domain::hours;

pub const TOP_CATEGORY: &str = "top_category";
pub const POINT: &str = "point";
pub const FLAGS: &str = "flags";
pub const MIN_AGE: &str = "min_age";
pub const MAX_AGE: &str = "max_age";
pub const VERIFIED: &str = "verified";
pub const HOURS_KEY: &str = "hours_key";

const FREE: u64 = 1;
const REMOTE: u64 = 2;
const HAS_AREA: u64 = 4;
const HAS_HOURS: u64 = 8;

/// Fields that exist to be read per match.
#[derive(Clone, Copy)]
pub struct FastFields {
    pub top_category: Field,
    /// Each point packed into one u64 (latitude high, longitude low), so a record with several
    /// points keeps its pairs together.
    pub point: Field,
    pub flags: Field,
    pub min_age: Field,
    pub max_age: Field,
    /// Last "still correct" check, seconds since 1970 (0 when never).
    pub verified: Field,
    /// A hash of the opening-hours text: matches with the same hours share one evaluation.
    pub hours_key: Field,
}

/// A stable 64-bit hash (FNV-1a) of opening-hours text.
pub fn hours_key(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

const SCALE: f64 = 1e7;

/// Packs a WGS84 point into a u64 with 1e-7° (about 1 cm) resolution.
pub fn pack(lon: f64, lat: f64) -> u64 {
    let la = ((lat + 90.0) * SCALE).round().clamp(0.0, u32::MAX as f64) as u64;
    let lo = ((lon + 180.0) * SCALE).round().clamp(0.0, u32::MAX as f64) as u64;
    (la << 32) | lo
}

/// The (longitude, latitude) of a packed point.
pub fn unpack(v: u64) -> (f64, f64) {
    let lat = (v >> 32) as f64 / SCALE - 90.0;
    let lon = (v & 0xffff_ffff) as f64 / SCALE - 180.0;
    (lon, lat)
}

/// Adds the fast-field copies of a card's values to its document.
pub fn add_fast_values(f: &FastFields, d: &mut TantivyDocument, c: &Card) {
    for t in &c.top_categories {
        d.add_text(f.top_category, t);
    }
    for [lon, lat] in &c.points {
        d.add_u64(f.point, pack(*lon, *lat));
    }
    let mut flags = 0;
    if c.free {
        flags |= FREE;
    }
    if c.remote {
        flags |= REMOTE;
    }
    if !c.area_codes.is_empty() || !c.area_extents.is_empty() {
        flags |= HAS_AREA;
    }
    if c.opening_hours.is_some() {
        flags |= HAS_HOURS;
    }
    d.add_u64(f.flags, flags);
    d.add_i64(f.min_age, c.min_age.map_or(i64::MIN, i64::from));
    d.add_i64(f.max_age, c.max_age.map_or(i64::MAX, i64::from));
    d.add_i64(f.verified, c.last_verified_at.map_or(0, |t| t.timestamp()));
    d.add_u64(f.hours_key, c.opening_hours.as_deref().map_or(0, hours_key));
}

/// The exact checks a match must pass, and what the ranking will need.
pub struct Checks {
    pub near: Option<(f64, f64)>,
    pub radius_m: Option<f64>,
    pub bbox: Option<[f64; 4]>,
    pub age: Option<i32>,
    pub open_at: Option<DateTime<Utc>>,
    pub include_remote: bool,
    pub near_boundaries: Vec<String>,
    pub want_names: bool,
    pub card: Field,
    pub kind: Field,
    pub access: Field,
    pub name_exact: Field,
}

/// A match that passed every check.
#[derive(Debug, Clone)]
pub struct Survivor {
    pub score: Score,
    pub address: DocAddress,
    pub distance_m: Option<f64>,
    pub covers_area: bool,
    /// Normalised name, when sorting by name.
    pub name: Option<String>,
    pub verified: i64,
}

pub struct Fruit {
    pub survivors: Vec<Survivor>,
    pub facets: Facets,
}

pub struct SegmentState {
    checks: Arc<Checks>,
    segment: SegmentOrdinal,
    card: Option<BytesColumn>,
    kind: Option<StrColumn>,
    top: Option<StrColumn>,
    access: Option<StrColumn>,
    name: Option<StrColumn>,
    point: Column<u64>,
    flags: Column<u64>,
    min_age: Column<i64>,
    max_age: Column<i64>,
    verified: Column<i64>,
    hours_key: Column<u64>,
    kind_counts: HashMap<u64, u64>,
    top_counts: HashMap<u64, u64>,
    access_counts: HashMap<u64, u64>,
    free: u64,
    /// Open-at results by hours key, so each distinct opening-hours text is read and
    /// evaluated once per segment.
    hours: HashMap<u64, Option<bool>>,
    buf: Vec<u8>,
    survivors: Vec<Survivor>,
}

/// Reads one card from a bytes column.
pub fn read_card(column: &BytesColumn, doc: DocId, buf: &mut Vec<u8>) -> Option<Card> {
    let ord = column.term_ords(doc).next()?;
    buf.clear();
    column.ord_to_bytes(ord, buf).ok()?.then_some(())?;
    serde_json::from_slice(buf).ok()
}

fn field_name(reader: &SegmentReader, field: Field) -> String {
    reader.schema().get_field_name(field).to_owned()
}

impl Checks {
    fn segment(
        self: &Arc<Self>,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentState> {
        let ff = reader.fast_fields();
        Ok(SegmentState {
            checks: Arc::clone(self),
            segment,
            card: ff.bytes(&field_name(reader, self.card))?,
            kind: ff.str(&field_name(reader, self.kind))?,
            top: ff.str(TOP_CATEGORY)?,
            access: ff.str(&field_name(reader, self.access))?,
            name: if self.want_names {
                ff.str(&field_name(reader, self.name_exact))?
            } else {
                None
            },
            point: ff.u64(POINT)?,
            flags: ff.u64(FLAGS)?,
            min_age: ff.i64(MIN_AGE)?,
            max_age: ff.i64(MAX_AGE)?,
            verified: ff.i64(VERIFIED)?,
            hours_key: ff.u64(HOURS_KEY)?,
            kind_counts: HashMap::new(),
            top_counts: HashMap::new(),
            access_counts: HashMap::new(),
            free: 0,
            hours: HashMap::new(),
            buf: Vec::new(),
            survivors: Vec::new(),
        })
    }
}

impl SegmentState {
    fn card(&mut self, doc: DocId) -> Option<Card> {
        let column = self.card.as_ref()?;
        read_card(column, doc, &mut self.buf)
    }

    fn check(&mut self, doc: DocId, score: Score) -> Option<Survivor> {
        let c = Arc::clone(&self.checks);
        let flags = self.flags.first(doc).unwrap_or(0);
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
                .card(doc)
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
                    let open = self
                        .card(doc)?
                        .opening_hours
                        .and_then(|h| hours::is_open_at(&h, at));
                    self.hours.insert(key, open);
                    open
                }
            };
            if open != Some(true) {
                return None;
            }
        }
        // Facets count every survivor.
        if let Some(k) = &self.kind {
            for ord in k.term_ords(doc) {
                *self.kind_counts.entry(ord).or_default() += 1;
            }
        }
        if let Some(t) = &self.top {
            for ord in t.term_ords(doc) {
                *self.top_counts.entry(ord).or_default() += 1;
            }
        }
        if let Some(a) = &self.access {
            for ord in a.term_ords(doc) {
                *self.access_counts.entry(ord).or_default() += 1;
            }
        }
        if flags & FREE != 0 {
            self.free += 1;
        }
        let name = self.name.as_ref().and_then(|n| {
            let ord = n.term_ords(doc).next()?;
            let mut s = String::new();
            n.ord_to_str(ord, &mut s).ok()?.then_some(s)
        });
        Some(Survivor {
            score,
            address: DocAddress::new(self.segment, doc),
            distance_m,
            covers_area,
            name,
            verified: self.verified.first(doc).unwrap_or(0),
        })
    }
}

fn names(
    column: Option<&StrColumn>,
    counts: HashMap<u64, u64>,
    into: &mut std::collections::BTreeMap<String, u64>,
) {
    let Some(column) = column else { return };
    for (ord, n) in counts {
        let mut s = String::new();
        if column.ord_to_str(ord, &mut s).unwrap_or(false) {
            *into.entry(s).or_default() += n;
        }
    }
}

/// Collects every match that passes the checks.
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
        true
    }

    fn merge_fruits(&self, fruits: Vec<Fruit>) -> tantivy::Result<Fruit> {
        let mut all = Fruit {
            survivors: Vec::new(),
            facets: Facets::default(),
        };
        for f in fruits {
            all.survivors.extend(f.survivors);
            for (k, v) in f.facets.kind {
                *all.facets.kind.entry(k).or_default() += v;
            }
            for (k, v) in f.facets.category {
                *all.facets.category.entry(k).or_default() += v;
            }
            for (k, v) in f.facets.accessibility {
                *all.facets.accessibility.entry(k).or_default() += v;
            }
            all.facets.free += f.facets.free;
        }
        Ok(all)
    }
}

impl SegmentCollector for MatchSegmentCollector {
    type Fruit = Fruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        if let Some(s) = self.state.check(doc, score) {
            self.state.survivors.push(s);
        }
    }

    fn harvest(self) -> Fruit {
        let st = self.state;
        let mut facets = Facets {
            free: st.free,
            ..Facets::default()
        };
        names(st.kind.as_ref(), st.kind_counts, &mut facets.kind);
        names(st.top.as_ref(), st.top_counts, &mut facets.category);
        names(
            st.access.as_ref(),
            st.access_counts,
            &mut facets.accessibility,
        );
        Fruit {
            survivors: st.survivors,
            facets,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_points_round_trip_to_a_centimetre() {
        for (lon, lat) in [
            (-2.099826, 53.541494),
            (0.0, 0.0),
            (-180.0, -90.0),
            (179.9999999, 89.9999999),
            (1.2345678, -45.6789012),
        ] {
            let (x, y) = unpack(pack(lon, lat));
            assert!(
                (x - lon).abs() < 1e-7 && (y - lat).abs() < 1e-7,
                "{lon},{lat} → {x},{y}"
            );
        }
    }
}
