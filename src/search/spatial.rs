//! Documents in spatial order, so a box is a few runs of consecutive documents.
//!
//! Every document carries a place key in a fast field: the 0.01° latitude stripe (about
//! 1.1 km) of its first public point in the high 32 bits, its longitude in the low 32 (1e-7°
//! steps); a document with no point has [`NO_PLACE`]. The index is sorted by that key
//! (`IndexSettings::sort_by_field`), and tantivy keeps every segment sorted when it writes it
//! and when it merges segments, so the order holds through incremental updates, deletes and
//! merges with no work of ours.
//!
//! A box `[min_lon, min_lat, max_lon, max_lat]` is then one key interval per stripe it
//! crosses, and in each segment each interval is one run of consecutive document ids, found
//! by two binary searches over the key column. [`PlaceQuery`] matches exactly the documents
//! in those runs: an intersection with the text seeks from run to run, and nothing is read
//! for documents elsewhere. The runs cover the box plus at most a stripe above and below; the
//! collector checks the box or radius exactly.
//!
//! A record with several sites is in the runs by its first point only. Its other points are
//! filed under grid cells (see [`super::cells`]), which the search adds to the runs.

use std::{fmt, sync::Arc};

use tantivy::{
    DocId, DocSet, Score, SegmentReader, TERMINATED,
    columnar::Column,
    query::{BooleanQuery, ConstScorer, EnableScoring, Explanation, Occur, Query, Scorer, Weight},
    schema::Field,
};

use super::segments::SegmentCache;

/// Name of the place-key fast field, which the index is sorted by.
pub const KEY: &str = "place_key";
/// The key of a document with no public point: after every place.
pub const NO_PLACE: u64 = u64::MAX;
/// Height of a stripe, in degrees of latitude.
const STRIPE: f64 = 0.01;
const LON_SCALE: f64 = 1e7;
/// Most stripes a box is looked up with; a taller box (about 1,100 km) filters little, and
/// the collector's exact check is enough.
const MAX_STRIPES: u64 = 10_000;

fn stripe(lat: f64) -> u64 {
    ((lat.clamp(-90.0, 90.0) + 90.0) / STRIPE).floor() as u64
}

fn lon_steps(lon: f64) -> u64 {
    ((lon.clamp(-180.0, 180.0) + 180.0) * LON_SCALE).round() as u64
}

/// The place key of a point.
pub fn key(lon: f64, lat: f64) -> u64 {
    (stripe(lat) << 32) | lon_steps(lon)
}

/// The key of a record: its first point's, or [`NO_PLACE`].
pub fn record_key(points: &[[f64; 2]]) -> u64 {
    points
        .first()
        .map_or(NO_PLACE, |[lon, lat]| key(*lon, *lat))
}

/// The key intervals (inclusive) covering a box, one per stripe, in ascending order; `None`
/// when the box crosses more than [`MAX_STRIPES`] stripes.
pub fn box_keys(b: [f64; 4]) -> Option<Vec<(u64, u64)>> {
    let [min_lon, min_lat, max_lon, max_lat] = b;
    if min_lon > max_lon || min_lat > max_lat {
        return Some(Vec::new());
    }
    let (s0, s1) = (stripe(min_lat), stripe(max_lat));
    if s1 - s0 + 1 > MAX_STRIPES {
        return None;
    }
    let (w, e) = (lon_steps(min_lon), lon_steps(max_lon));
    Some((s0..=s1).map(|s| ((s << 32) | w, (s << 32) | e)).collect())
}

/// The box both boxes cover, when both are given; either one alone.
pub fn both(a: Option<[f64; 4]>, b: Option<[f64; 4]>) -> Option<[f64; 4]> {
    match (a, b) {
        (Some(a), Some(b)) => Some([
            a[0].max(b[0]),
            a[1].max(b[1]),
            a[2].min(b[2]),
            a[3].min(b[3]),
        ]),
        (a, b) => a.or(b),
    }
}

/// The documents that may lie in box `b`: its runs, and the records with several sites filed
/// under the grid cells (`cell` field) that cover it. `None` when the box is too big to
/// narrow by: the collector's exact check then does it all.
pub fn in_box(b: [f64; 4], columns: SegmentCache, cell: Field) -> Option<Box<dyn Query>> {
    let runs: Box<dyn Query> = Box::new(PlaceQuery::new(box_keys(b)?, columns));
    let cells = super::cells::box_terms(b)?;
    Some(match cells.is_empty() {
        true => runs,
        false => Box::new(BooleanQuery::new(vec![
            (Occur::Should, runs),
            (Occur::Should, super::query::any_of(cell, &cells)),
        ])),
    })
}

/// The runs of documents `[start, end)` whose keys fall in `keys`, in a segment sorted by key.
fn runs(column: &Column<u64>, max_doc: DocId, keys: &[(u64, u64)]) -> Vec<(DocId, DocId)> {
    let key_of = |doc: DocId| column.first(doc).unwrap_or(NO_PLACE);
    // The first document at or after `from` whose key is at least `k`.
    let first_at_least = |from: DocId, k: u64| -> DocId {
        let (mut lo, mut hi) = (from, max_doc);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if key_of(mid) < k {
                lo = mid + 1
            } else {
                hi = mid
            }
        }
        lo
    };
    let mut out = Vec::with_capacity(keys.len());
    let mut from = 0;
    for &(lo, hi) in keys {
        let start = first_at_least(from, lo);
        let end = match hi.checked_add(1) {
            Some(next) => first_at_least(start, next),
            None => max_doc,
        };
        if start < end {
            out.push((start, end));
        }
        from = end;
    }
    out
}

/// Matches the documents whose place key falls in one of its intervals.
#[derive(Clone)]
pub struct PlaceQuery {
    keys: Arc<Vec<(u64, u64)>>,
    columns: SegmentCache,
}

impl PlaceQuery {
    /// `keys` ascending and disjoint, as [`box_keys`] gives them.
    pub fn new(keys: Vec<(u64, u64)>, columns: SegmentCache) -> PlaceQuery {
        PlaceQuery {
            keys: Arc::new(keys),
            columns,
        }
    }
}

impl fmt::Debug for PlaceQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PlaceQuery({} stripes)", self.keys.len())
    }
}

impl Query for PlaceQuery {
    fn weight(&self, _scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

impl Weight for PlaceQuery {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let cols = self.columns.get(reader)?;
        let runs = runs(&cols.place, reader.max_doc(), &self.keys);
        Ok(Box::new(ConstScorer::new(Runs::new(runs), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        super::dense::explain_constant(self, reader, doc, "in the box's stripes")
    }
}

/// Runs of consecutive documents as a doc set.
pub(super) struct Runs {
    runs: Vec<(DocId, DocId)>,
    /// The run `doc` is in.
    at: usize,
    doc: DocId,
    len: u32,
}

impl Runs {
    /// `runs` as `[start, end)`, ascending and disjoint.
    pub(super) fn new(runs: Vec<(DocId, DocId)>) -> Runs {
        let len = runs.iter().map(|(s, e)| e - s).sum();
        let doc = runs.first().map_or(TERMINATED, |r| r.0);
        Runs {
            runs,
            at: 0,
            doc,
            len,
        }
    }
}

impl DocSet for Runs {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.doc += 1;
        if self.doc >= self.runs[self.at].1 {
            self.at += 1;
            self.doc = self.runs.get(self.at).map_or(TERMINATED, |r| r.0);
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc == TERMINATED || target <= self.doc {
            return self.doc;
        }
        let rest = &self.runs[self.at..];
        self.at += rest.partition_point(|r| r.1 <= target);
        self.doc = match self.runs.get(self.at) {
            Some(&(start, _)) => start.max(target),
            None => TERMINATED,
        };
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sort_by_stripe_then_longitude() {
        let south_east = key(1.0, 51.001);
        let north_west = key(-3.0, 51.011);
        assert!(south_east < north_west);
        assert!(key(-3.0, 51.001) < south_east);
        assert!(record_key(&[]) == NO_PLACE && key(180.0, 90.0) < NO_PLACE);
    }

    #[test]
    fn a_point_in_a_box_has_a_key_in_its_intervals() {
        let b = [-2.15, 53.50, -2.05, 53.58];
        let keys = box_keys(b).unwrap();
        assert!((8..=10).contains(&keys.len()), "{}", keys.len());
        for (lon, lat) in [(-2.15, 53.50), (-2.05, 53.58), (-2.1, 53.54)] {
            let k = key(lon, lat);
            assert!(
                keys.iter().any(|&(lo, hi)| lo <= k && k <= hi),
                "{lon},{lat}"
            );
        }
        for (lon, lat) in [(-2.16, 53.54), (-2.04, 53.54), (-2.1, 53.48), (-2.1, 53.60)] {
            let k = key(lon, lat);
            assert!(
                !keys.iter().any(|&(lo, hi)| lo <= k && k <= hi),
                "{lon},{lat}"
            );
        }
        assert!(box_keys([-180.0, -90.0, 180.0, 90.0]).is_none());
        assert_eq!(box_keys([1.0, 1.0, 0.0, 0.0]), Some(Vec::new()));
    }

    #[test]
    fn runs_seek_and_advance_through_every_document_once() {
        let mut r = Runs::new(vec![(2, 4), (10, 11), (20, 23)]);
        let mut seen = vec![r.doc()];
        while r.advance() != TERMINATED {
            seen.push(r.doc());
        }
        assert_eq!(seen, [2, 3, 10, 20, 21, 22]);
        let mut r = Runs::new(vec![(2, 4), (10, 11), (20, 23)]);
        assert_eq!(r.seek(3), 3);
        assert_eq!(r.seek(5), 10);
        assert_eq!(r.seek(11), 20);
        assert_eq!(r.seek(22), 22);
        assert_eq!(r.seek(23), TERMINATED);
        assert_eq!(Runs::new(Vec::new()).doc(), TERMINATED);
    }
}
