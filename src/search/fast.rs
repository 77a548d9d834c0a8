//! What each document carries in fast fields for the collector to read per match: packed
//! points, a flags word, ages, the last check, a hash of the opening hours, top categories.

use tantivy::{TantivyDocument, schema::Field};

use super::Card;
use super::open_cache::hours_key;

pub const TOP_CATEGORY: &str = "top_category";
pub const POINT: &str = "point";
pub const FLAGS: &str = "flags";
pub const MIN_AGE: &str = "min_age";
pub const MAX_AGE: &str = "max_age";
pub const VERIFIED: &str = "verified";
pub const HOURS_KEY: &str = "hours_key";
pub const CAPACITY: &str = "capacity";
pub const RATE: &str = "rate";

pub const FREE: u64 = 1;
pub const REMOTE: u64 = 2;
pub const HAS_AREA: u64 = 4;
pub const HAS_HOURS: u64 = 8;
/// Not active (inactive, defunct, temporarily closed): excluded unless asked for.
pub const CLOSED: u64 = 16;
pub const UNPUBLISHED: u64 = 32;

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
    /// How many people a space (or an asset, or its largest space) holds; 0 when unknown.
    /// Filtered by range (`capacity=`).
    pub capacity: Field,
    /// The usual hourly rate in pence: 0 when free, `i64::MAX` when unknown (`max_price=`).
    pub rate: Field,
    /// Where the record is, as a key the index is sorted by (see [`super::spatial`]).
    pub place: Field,
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

/// Whether a record is not active: the `closed` term and the [`CLOSED`] flag.
pub fn is_closed(c: &Card) -> bool {
    c.status.as_deref().is_some_and(|s| s != "active")
}

/// Adds the fast-field copies of a card's values to its document.
pub fn add_fast_values(f: &FastFields, d: &mut TantivyDocument, c: &Card, published: bool) {
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
    if is_closed(c) {
        flags |= CLOSED;
    }
    if !published {
        flags |= UNPUBLISHED;
    }
    d.add_u64(f.flags, flags);
    d.add_i64(f.min_age, c.min_age.map_or(i64::MIN, i64::from));
    d.add_i64(f.max_age, c.max_age.map_or(i64::MAX, i64::from));
    d.add_i64(f.verified, c.last_verified_at.map_or(0, |t| t.timestamp()));
    d.add_u64(f.hours_key, c.opening_hours.as_deref().map_or(0, hours_key));
    d.add_i64(f.capacity, c.capacity.map_or(0, i64::from));
    d.add_i64(f.rate, rate_pence(c));
    d.add_u64(f.place, super::spatial::record_key(&c.points));
}

/// A card's hourly rate in whole pence as the `rate` column keeps it.
pub fn rate_pence(c: &Card) -> i64 {
    if c.free {
        0
    } else {
        c.hourly_rate.map_or(i64::MAX, pence)
    }
}

/// Pounds to whole pence (negative and non-finite amounts are not rates: 0).
pub fn pence(pounds: f64) -> i64 {
    if pounds.is_finite() && pounds > 0.0 {
        (pounds * 100.0).round() as i64
    } else {
        0
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
