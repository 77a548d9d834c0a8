//! Geography: distances, postcode look-ups and area boundaries (wards, districts).
//!
//! Points are passed as `(longitude, latitude)` pairs in WGS84 degrees, the order GeoJSON
//! uses; inside the code `x` is always longitude and `y` latitude (the `geo` crate's
//! convention). Reference data — postcodes, outward-code centroids and boundaries — is loaded
//! with `junction import` ([`postcode_import`], [`boundary_import`]); it is not part of the
//! register, so it has no change log.

pub mod boundaries;
pub mod boundary_import;
pub mod boundary_store;
pub mod postcode_import;
pub mod postcodes;

use ::geo::{Distance, Haversine, Point};
use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbErr, SqliteTransactionMode, TransactionOptions,
    TransactionTrait,
};

/// Great-circle distance in metres between two `(longitude, latitude)` points, by the
/// haversine formula on a sphere of the GRS80 mean radius (error up to about 0.5 %, which is
/// well inside the precision of a postcode point).
pub fn haversine_m(a: (f64, f64), b: (f64, f64)) -> f64 {
    Haversine.distance(Point::new(a.0, a.1), Point::new(b.0, b.1))
}

/// A `(min_lon, min_lat, max_lon, max_lat)` box that contains every point within `radius_m`
/// metres (haversine distance) of `(lon, lat)`. Use it as a cheap pre-filter and check the
/// exact distance afterwards: the box is a superset of the circle, never a subset.
///
/// The longitude half-width is the true extent of a spherical cap,
/// `asin(sin(d) / cos(lat))`, so it widens correctly towards the poles. When the circle
/// reaches a pole, or crosses the ±180° meridian, the box spans every longitude instead of
/// wrapping: over-inclusive, but never wrong, and irrelevant for Great Britain.
pub fn bbox_around((lon, lat): (f64, f64), radius_m: f64) -> (f64, f64, f64, f64) {
    let angle = radius_m.max(0.0) / Haversine.radius();
    let dlat = angle.to_degrees();
    let min_lat = (lat - dlat).max(-90.0);
    let max_lat = (lat + dlat).min(90.0);
    let whole_world = (-180.0, min_lat, 180.0, max_lat);
    if min_lat <= -90.0 || max_lat >= 90.0 || angle >= std::f64::consts::FRAC_PI_2 {
        return whole_world;
    }
    let ratio = angle.sin() / lat.to_radians().cos();
    if ratio.is_nan() || ratio >= 1.0 {
        return whole_world;
    }
    let dlon = ratio.asin().to_degrees();
    let (min_lon, max_lon) = (lon - dlon, lon + dlon);
    if min_lon < -180.0 || max_lon > 180.0 {
        return whole_world;
    }
    (min_lon, min_lat, max_lon, max_lat)
}

/// Whether `(lon, lat)` is a usable WGS84 point.
pub fn is_wgs84(lon: f64, lat: f64) -> bool {
    lon.is_finite()
        && lat.is_finite()
        && (-180.0..=180.0).contains(&lon)
        && (-90.0..=90.0).contains(&lat)
}

/// A write transaction for bulk loads. On SQLite it begins `IMMEDIATE`, like the register's
/// own writes, so a concurrent writer waits (`busy_timeout`) instead of failing mid-way.
pub(crate) async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::geo::Destination;

    const OLDHAM: (f64, f64) = (-2.099826, 53.541494);

    #[test]
    fn haversine_takes_longitude_first() {
        // Oldham to Manchester Piccadilly is about 11.2 km as the crow flies.
        let piccadilly = (-2.2309, 53.4774);
        let d = haversine_m(OLDHAM, piccadilly);
        assert!((11_000.0..11_500.0).contains(&d), "{d}");
        // With the pairs the wrong way round the answer is very different.
        let swapped = haversine_m((OLDHAM.1, OLDHAM.0), (piccadilly.1, piccadilly.0));
        assert!((swapped - d).abs() > 1_000.0, "{swapped}");
        assert_eq!(haversine_m(OLDHAM, OLDHAM), 0.0);
        // One degree of latitude is about 111.2 km anywhere.
        let d = haversine_m((0.0, 50.0), (0.0, 51.0));
        assert!((d - 111_195.0).abs() < 10.0, "{d}");
    }

    fn contains(b: (f64, f64, f64, f64), (lon, lat): (f64, f64)) -> bool {
        b.0 <= lon && lon <= b.2 && b.1 <= lat && lat <= b.3
    }

    #[test]
    fn the_box_holds_the_whole_circle_and_little_more() {
        for centre in [OLDHAM, (0.0, 0.0), (-1.5, 60.8), (170.0, -45.0)] {
            let radius = 5_000.0;
            let b = bbox_around(centre, radius);
            for bearing in (0..360).step_by(5) {
                let p = Haversine.destination(
                    Point::new(centre.0, centre.1),
                    f64::from(bearing),
                    radius * 0.999_999,
                );
                assert!(contains(b, (p.x(), p.y())), "{centre:?} {bearing}: {b:?}");
            }
            // Tight: the box's edges are at about the radius, not far beyond.
            let north = haversine_m(centre, (centre.0, b.3));
            assert!((north - radius).abs() < 1.0, "{north}");
            let east = haversine_m(centre, (b.2, centre.1));
            assert!(east >= radius && east < radius * 1.01, "{east}");
        }
    }

    #[test]
    fn near_a_pole_or_the_antimeridian_the_box_spans_every_longitude() {
        let polar = bbox_around((10.0, 89.99), 5_000.0);
        assert_eq!((polar.0, polar.2, polar.3), (-180.0, 180.0, 90.0));
        let dateline = bbox_around((179.99, 0.0), 5_000.0);
        assert_eq!((dateline.0, dateline.2), (-180.0, 180.0));
        let zero = bbox_around(OLDHAM, 0.0);
        assert_eq!(zero, (OLDHAM.0, OLDHAM.1, OLDHAM.0, OLDHAM.1));
    }

    #[test]
    fn wgs84_points_are_in_range() {
        assert!(is_wgs84(-2.1, 53.5));
        assert!(!is_wgs84(393_482.0, 404_988.0));
        assert!(!is_wgs84(f64::NAN, 0.0));
    }
}
