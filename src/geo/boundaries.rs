//! Area boundaries (wards, districts, neighbourhoods) in memory: an R-tree over their bounding
//! boxes narrows a point to a few candidates, and an exact point-in-polygon test decides.
//! Also name look-ups for "in St Mary's" style searches, and the GeoJSON → `geo` conversion
//! every boundary goes through, which checks the coordinates instead of trusting the file.

use std::{
    collections::HashMap,
    sync::{Arc, PoisonError, RwLock, RwLockReadGuard},
};

use ::geo::{BoundingRect, Contains, Coord, LineString, MultiPolygon, Point, Polygon};
use geojson::{GeometryValue, PolygonType, Position};
use rstar::{RTree, primitives::GeomWithData, primitives::Rectangle};

/// One area: a GSS code such as `E05000735`, its name and its type (`ward`, `district`, …).
#[derive(Debug, Clone, PartialEq)]
pub struct Boundary {
    pub code: String,
    pub name: String,
    pub boundary_type: String,
    /// WGS84; `x` is longitude and `y` latitude.
    pub geometry: MultiPolygon<f64>,
}

impl Boundary {
    /// `(min_lon, min_lat, max_lon, max_lat)`, or `None` for an empty geometry.
    pub fn bbox(&self) -> Option<(f64, f64, f64, f64)> {
        self.geometry
            .bounding_rect()
            .map(|r| (r.min().x, r.min().y, r.max().x, r.max().y))
    }

    /// Whether `(lon, lat)` lies inside the area (a point exactly on its edge does not).
    pub fn contains(&self, lon: f64, lat: f64) -> bool {
        self.geometry.contains(&Point::new(lon, lat))
    }
}

type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// Every boundary, indexed by bounding box, code and name. Rebuilt whole when boundaries are
/// imported; cheap to query from many threads at once.
#[derive(Default)]
pub struct BoundaryIndex {
    boundaries: Vec<Boundary>,
    tree: RTree<Entry>,
    by_code: HashMap<String, usize>,
    /// `name_key(name)` of each boundary, in the same order as `boundaries`.
    keys: Vec<String>,
}

/// The index shared by the store (which refreshes `location_boundaries` on every location
/// write) and the request handlers.
pub type SharedBoundaries = Arc<RwLock<BoundaryIndex>>;

/// Reads the shared index. A panic while it was being replaced cannot leave it half-built
/// (replacement is one assignment), so a poisoned lock is still safe to read.
pub fn read(shared: &RwLock<BoundaryIndex>) -> RwLockReadGuard<'_, BoundaryIndex> {
    shared.read().unwrap_or_else(PoisonError::into_inner)
}

/// Swaps in a new index.
pub fn replace(shared: &RwLock<BoundaryIndex>, index: BoundaryIndex) {
    *shared.write().unwrap_or_else(PoisonError::into_inner) = index;
}

impl BoundaryIndex {
    /// Builds the index. A boundary with an empty geometry is kept (it can be listed and
    /// found by name) but never contains a point.
    pub fn new(mut boundaries: Vec<Boundary>) -> BoundaryIndex {
        boundaries.sort_by(|a, b| (&a.boundary_type, &a.code).cmp(&(&b.boundary_type, &b.code)));
        let entries = boundaries
            .iter()
            .enumerate()
            .filter_map(|(i, b)| {
                let (min_lon, min_lat, max_lon, max_lat) = b.bbox()?;
                let rect = Rectangle::from_corners([min_lon, min_lat], [max_lon, max_lat]);
                Some(GeomWithData::new(rect, i))
            })
            .collect();
        let by_code = boundaries
            .iter()
            .enumerate()
            .map(|(i, b)| (b.code.clone(), i))
            .collect();
        let keys = boundaries.iter().map(|b| name_key(&b.name)).collect();
        BoundaryIndex {
            tree: RTree::bulk_load(entries),
            by_code,
            keys,
            boundaries,
        }
    }

    /// The boundaries that contain `(lon, lat)`, ordered by type and code.
    pub fn containing(&self, lon: f64, lat: f64) -> Vec<&Boundary> {
        let mut hits: Vec<usize> = self
            .tree
            .locate_all_at_point(&[lon, lat])
            .map(|e| e.data)
            .filter(|&i| self.boundaries[i].contains(lon, lat))
            .collect();
        hits.sort_unstable();
        hits.into_iter().map(|i| &self.boundaries[i]).collect()
    }

    /// The codes of [`BoundaryIndex::containing`].
    pub fn codes_at(&self, lon: f64, lat: f64) -> Vec<String> {
        self.containing(lon, lat)
            .into_iter()
            .map(|b| b.code.clone())
            .collect()
    }

    pub fn get(&self, code: &str) -> Option<&Boundary> {
        self.by_code.get(code).map(|&i| &self.boundaries[i])
    }

    /// Boundaries whose name is `name`, ignoring case, spacing and punctuation: "st marys"
    /// finds "St Mary's". Several when areas of different types share a name.
    pub fn find_by_name(&self, name: &str) -> Vec<&Boundary> {
        let key = name_key(name);
        if key.is_empty() {
            return Vec::new();
        }
        self.matching(|k| k == key)
    }

    /// Boundaries whose name contains `text` (compared like [`BoundaryIndex::find_by_name`]),
    /// for "did you mean": whole-name matches first, then names starting with it, then the
    /// rest, each alphabetically.
    pub fn suggest(&self, text: &str) -> Vec<&Boundary> {
        let key = name_key(text);
        if key.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<(u8, usize)> = self
            .keys
            .iter()
            .enumerate()
            .filter(|(_, k)| k.contains(&key))
            .map(|(i, k)| {
                let rank = if *k == key {
                    0
                } else if k.starts_with(&key) {
                    1
                } else {
                    2
                };
                (rank, i)
            })
            .collect();
        hits.sort_by(|a, b| (a.0, &self.keys[a.1], a.1).cmp(&(b.0, &self.keys[b.1], b.1)));
        hits.into_iter().map(|(_, i)| &self.boundaries[i]).collect()
    }

    fn matching(&self, pred: impl Fn(&str) -> bool) -> Vec<&Boundary> {
        self.keys
            .iter()
            .enumerate()
            .filter(|(_, k)| pred(k))
            .map(|(i, _)| &self.boundaries[i])
            .collect()
    }

    pub fn len(&self) -> usize {
        self.boundaries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.boundaries.is_empty()
    }

    /// Every boundary, ordered by type and code.
    pub fn iter(&self) -> impl Iterator<Item = &Boundary> {
        self.boundaries.iter()
    }
}

/// A name reduced for comparison: lower case, apostrophes and full stops dropped, `&` read
/// as "and", any other run of punctuation or space as one space.
pub fn name_key(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        match c {
            '\'' | '’' | '‘' | '`' | '.' => {}
            '&' => out.push_str(" and "),
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => out.push(' '),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn coord(position: &Position) -> Result<Coord<f64>, String> {
    let [x, y, ..] = *position.as_slice() else {
        return Err("a position has fewer than two numbers".into());
    };
    if !super::is_wgs84(x, y) {
        return Err(format!(
            "the position [{x}, {y}] is not a WGS84 longitude/latitude (if the file uses British National Grid, convert it first, e.g. `ogr2ogr -t_srs EPSG:4326`)"
        ));
    }
    Ok(Coord { x, y })
}

fn polygon(rings: &PolygonType, n: usize) -> Result<Polygon<f64>, String> {
    let mut lines = Vec::with_capacity(rings.len());
    for (r, ring) in rings.iter().enumerate() {
        if ring.len() < 4 {
            return Err(format!(
                "ring {r} of polygon {n} has {} positions; a closed ring needs at least 4",
                ring.len()
            ));
        }
        let coords = ring.iter().map(coord).collect::<Result<Vec<_>, _>>()?;
        lines.push(LineString::new(coords));
    }
    if lines.is_empty() {
        return Err(format!("polygon {n} has no rings"));
    }
    let exterior = lines.remove(0);
    Ok(Polygon::new(exterior, lines))
}

/// Converts a GeoJSON Polygon or MultiPolygon to a `MultiPolygon`, checking every position
/// is a WGS84 point. The error says what is wrong, for import reports.
pub fn multipolygon_from_geojson(value: &GeometryValue) -> Result<MultiPolygon<f64>, String> {
    let polygons: Vec<&PolygonType> = match value {
        GeometryValue::Polygon { coordinates } => vec![coordinates],
        GeometryValue::MultiPolygon { coordinates } => coordinates.iter().collect(),
        other => {
            return Err(format!(
                "the geometry is a {}; only Polygon and MultiPolygon are accepted",
                other.type_name()
            ));
        }
    };
    if polygons.is_empty() {
        return Err("the MultiPolygon has no polygons".into());
    }
    let polygons = polygons
        .into_iter()
        .enumerate()
        .map(|(n, rings)| polygon(rings, n))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(MultiPolygon::new(polygons))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(code: &str, name: &str, kind: &str, x0: f64, y0: f64, size: f64) -> Boundary {
        let ring = vec![
            [x0, y0],
            [x0 + size, y0],
            [x0 + size, y0 + size],
            [x0, y0 + size],
            [x0, y0],
        ];
        let value = GeometryValue::new_polygon([ring]);
        Boundary {
            code: code.into(),
            name: name.into(),
            boundary_type: kind.into(),
            geometry: multipolygon_from_geojson(&value).unwrap(),
        }
    }

    fn index() -> BoundaryIndex {
        BoundaryIndex::new(vec![
            square("W2", "St Mary's", "ward", 1.0, 0.0, 1.0),
            square("W1", "Alexandra", "ward", 0.0, 0.0, 1.0),
            square("D1", "Oldham", "district", 0.0, 0.0, 2.0),
            square("W3", "Oldham Central", "ward", 0.0, 1.0, 1.0),
        ])
    }

    #[test]
    fn a_point_is_in_every_area_that_contains_it() {
        let idx = index();
        let codes = |lon, lat| idx.codes_at(lon, lat);
        assert_eq!(codes(0.5, 0.5), ["D1", "W1"]);
        assert_eq!(codes(1.5, 0.5), ["D1", "W2"]);
        assert_eq!(codes(1.5, 1.5), ["D1"]);
        assert!(codes(5.0, 5.0).is_empty());
        assert_eq!(idx.len(), 4);
        assert_eq!(idx.get("W2").map(|b| b.name.as_str()), Some("St Mary's"));
        assert!(idx.get("nope").is_none());
        assert!(BoundaryIndex::default().codes_at(0.5, 0.5).is_empty());
    }

    #[test]
    fn names_match_without_case_or_punctuation() {
        let idx = index();
        let codes = |v: Vec<&Boundary>| v.into_iter().map(|b| b.code.clone()).collect::<Vec<_>>();
        assert_eq!(codes(idx.find_by_name("st marys")), ["W2"]);
        assert_eq!(codes(idx.find_by_name("ST. MARY’S")), ["W2"]);
        assert!(idx.find_by_name("St Mary").is_empty());
        assert!(idx.find_by_name("  ").is_empty());
        assert_eq!(codes(idx.suggest("oldham")), ["D1", "W3"]);
        assert_eq!(codes(idx.suggest("mary")), ["W2"]);
        assert_eq!(
            name_key("Gorse Hill & Cornbrook"),
            "gorse hill and cornbrook"
        );
    }

    #[test]
    fn geometries_are_checked() {
        let point = GeometryValue::new_point([0.0, 0.0]);
        assert!(
            multipolygon_from_geojson(&point)
                .unwrap_err()
                .contains("Point")
        );
        let bng = GeometryValue::new_polygon([vec![
            [393_482.0, 404_988.0],
            [393_500.0, 404_988.0],
            [393_500.0, 405_000.0],
            [393_482.0, 404_988.0],
        ]]);
        assert!(
            multipolygon_from_geojson(&bng)
                .unwrap_err()
                .contains("WGS84")
        );
        let short = GeometryValue::new_polygon([vec![[0.0, 0.0], [1.0, 0.0], [0.0, 0.0]]]);
        assert!(
            multipolygon_from_geojson(&short)
                .unwrap_err()
                .contains("at least 4")
        );
        let empty = GeometryValue::MultiPolygon {
            coordinates: vec![],
        };
        assert!(multipolygon_from_geojson(&empty).is_err());
    }
}
