//! British National Grid (EPSG:27700) eastings and northings to WGS84 latitude and longitude,
//! and back ([`from_wgs84`], for exports of records that have no published grid reference).
//!
//! The inverse transverse Mercator projection on the Airy 1830 ellipsoid gives OSGB36
//! latitude and longitude; a seven-parameter Helmert transformation then moves the point to
//! WGS84 (and the same steps reversed, with the published WGS84 → OSGB36 parameters, go back) (the Ordnance Survey's "A guide to coordinate systems in Great Britain", sections 6
//! and B). The Helmert step is good to a few metres across Great Britain — enough for a map
//! pin and for the 100 m duplicate check — where the OSTN15 grid would give centimetres; the
//! crate that ships OSTN15 (`lonlat_bng`) brings a grid table and a C-header generator we
//! don't need, so this is done here in a page of arithmetic.

// Airy 1830 ellipsoid and the National Grid's projection.
const AIRY_A: f64 = 6_377_563.396;
const AIRY_B: f64 = 6_356_256.909;
const F0: f64 = 0.999_601_271_7;
const LAT0_DEG: f64 = 49.0;
const LON0_DEG: f64 = -2.0;
const E0: f64 = 400_000.0;
const N0: f64 = -100_000.0;

// GRS80 / WGS84 ellipsoid.
const WGS84_A: f64 = 6_378_137.0;
const WGS84_B: f64 = 6_356_752.314_245;

// OSGB36 → WGS84 Helmert parameters (metres, seconds of arc, parts per million): the negated
// WGS84 → OSGB36 set the Ordnance Survey publishes.
const TX: f64 = 446.448;
const TY: f64 = -125.157;
const TZ: f64 = 542.060;
const RX_SEC: f64 = 0.1502;
const RY_SEC: f64 = 0.2470;
const RZ_SEC: f64 = 0.8421;
const S_PPM: f64 = -20.4894;

/// Eastings and northings that can be on the National Grid at all.
pub fn in_range(easting: f64, northing: f64) -> bool {
    (0.0..=700_000.0).contains(&easting) && (0.0..=1_300_000.0).contains(&northing)
}

/// Converts a National Grid easting and northing (metres) to WGS84 `(latitude, longitude)`
/// in degrees. `None` when the point is off the grid.
pub fn to_wgs84(easting: f64, northing: f64) -> Option<(f64, f64)> {
    if !easting.is_finite() || !northing.is_finite() || !in_range(easting, northing) {
        return None;
    }
    let (lat, lon) = osgb36_lat_lon(easting, northing);
    let (x, y, z) = to_cartesian(lat, lon, AIRY_A, AIRY_B);
    let (x, y, z) = helmert(x, y, z, 1.0);
    let (lat, lon) = from_cartesian(x, y, z, WGS84_A, WGS84_B);
    Some((lat.to_degrees(), lon.to_degrees()))
}

/// Converts WGS84 latitude and longitude (degrees) to a National Grid `(easting, northing)`
/// in metres, rounded to the millimetre. `None` when the result is off the grid.
pub fn from_wgs84(latitude: f64, longitude: f64) -> Option<(f64, f64)> {
    if !latitude.is_finite() || !longitude.is_finite() || latitude.abs() > 90.0 {
        return None;
    }
    let (x, y, z) = to_cartesian(
        latitude.to_radians(),
        longitude.to_radians(),
        WGS84_A,
        WGS84_B,
    );
    let (x, y, z) = helmert(x, y, z, -1.0);
    let (lat, lon) = from_cartesian(x, y, z, AIRY_A, AIRY_B);
    let (e, n) = osgb36_grid(lat, lon);
    let mm = |v: f64| (v * 1000.0).round() / 1000.0;
    let (e, n) = (mm(e), mm(n));
    in_range(e, n).then_some((e, n))
}

/// The meridional arc from the true origin's latitude to `lat` (radians), scaled by F0.
fn meridional(lat: f64) -> f64 {
    let (a, b) = (AIRY_A, AIRY_B);
    let n = (a - b) / (a + b);
    let (n2, n3) = (n * n, n * n * n);
    let lat0 = LAT0_DEG.to_radians();
    let (d, s) = (lat - lat0, lat + lat0);
    b * F0
        * ((1.0 + n + 1.25 * n2 + 1.25 * n3) * d
            - (3.0 * n + 3.0 * n2 + 2.625 * n3) * d.sin() * s.cos()
            + (1.875 * n2 + 1.875 * n3) * (2.0 * d).sin() * (2.0 * s).cos()
            - (35.0 / 24.0) * n3 * (3.0 * d).sin() * (3.0 * s).cos())
}

/// Transverse Mercator on Airy 1830: OSGB36 latitude and longitude (radians) to easting and
/// northing (the OS guide, C.1).
fn osgb36_grid(lat: f64, lon: f64) -> (f64, f64) {
    let (a, b) = (AIRY_A, AIRY_B);
    let e2 = 1.0 - (b * b) / (a * a);
    let (sin, cos, tan) = (lat.sin(), lat.cos(), lat.tan());
    let nu = a * F0 / (1.0 - e2 * sin * sin).sqrt();
    let rho = a * F0 * (1.0 - e2) / (1.0 - e2 * sin * sin).powf(1.5);
    let eta2 = nu / rho - 1.0;
    let (t2, t4) = (tan * tan, tan.powi(4));
    let i = meridional(lat) + N0;
    let ii = nu / 2.0 * sin * cos;
    let iii = nu / 24.0 * sin * cos.powi(3) * (5.0 - t2 + 9.0 * eta2);
    let iiia = nu / 720.0 * sin * cos.powi(5) * (61.0 - 58.0 * t2 + t4);
    let iv = nu * cos;
    let v = nu / 6.0 * cos.powi(3) * (nu / rho - t2);
    let vi = nu / 120.0 * cos.powi(5) * (5.0 - 18.0 * t2 + t4 + 14.0 * eta2 - 58.0 * t2 * eta2);
    let dl = lon - LON0_DEG.to_radians();
    let north = i + ii * dl.powi(2) + iii * dl.powi(4) + iiia * dl.powi(6);
    let east = E0 + iv * dl + v * dl.powi(3) + vi * dl.powi(5);
    (east, north)
}

/// Inverse transverse Mercator on Airy 1830: OSGB36 latitude and longitude in radians.
fn osgb36_lat_lon(e: f64, north: f64) -> (f64, f64) {
    let (a, b) = (AIRY_A, AIRY_B);
    let lat0 = LAT0_DEG.to_radians();
    let lon0 = LON0_DEG.to_radians();
    let e2 = 1.0 - (b * b) / (a * a);
    let mut lat = lat0;
    let mut m = 0.0;
    // Iterate until the meridional arc matches the northing to 0.01 mm.
    for _ in 0..100 {
        lat += (north - N0 - m) / (a * F0);
        m = meridional(lat);
        if (north - N0 - m).abs() < 1e-5 {
            break;
        }
    }
    let (sin, cos, tan) = (lat.sin(), lat.cos(), lat.tan());
    let nu = a * F0 / (1.0 - e2 * sin * sin).sqrt();
    let rho = a * F0 * (1.0 - e2) / (1.0 - e2 * sin * sin).powf(1.5);
    let eta2 = nu / rho - 1.0;
    let (t2, t4, t6) = (tan * tan, tan.powi(4), tan.powi(6));
    let sec = 1.0 / cos;
    let vii = tan / (2.0 * rho * nu);
    let viii = tan / (24.0 * rho * nu.powi(3)) * (5.0 + 3.0 * t2 + eta2 - 9.0 * t2 * eta2);
    let ix = tan / (720.0 * rho * nu.powi(5)) * (61.0 + 90.0 * t2 + 45.0 * t4);
    let x = sec / nu;
    let xi = sec / (6.0 * nu.powi(3)) * (nu / rho + 2.0 * t2);
    let xii = sec / (120.0 * nu.powi(5)) * (5.0 + 28.0 * t2 + 24.0 * t4);
    let xiia = sec / (5040.0 * nu.powi(7)) * (61.0 + 662.0 * t2 + 1320.0 * t4 + 720.0 * t6);
    let de = e - E0;
    let lat = lat - vii * de.powi(2) + viii * de.powi(4) - ix * de.powi(6);
    let lon = lon0 + x * de - xi * de.powi(3) + xii * de.powi(5) - xiia * de.powi(7);
    (lat, lon)
}

fn to_cartesian(lat: f64, lon: f64, a: f64, b: f64) -> (f64, f64, f64) {
    let e2 = 1.0 - (b * b) / (a * a);
    let nu = a / (1.0 - e2 * lat.sin().powi(2)).sqrt();
    (
        nu * lat.cos() * lon.cos(),
        nu * lat.cos() * lon.sin(),
        (1.0 - e2) * nu * lat.sin(),
    )
}

/// The OSGB36 → WGS84 Helmert transformation (`sign` 1.0), or WGS84 → OSGB36 with every
/// parameter negated (`sign` -1.0), as the Ordnance Survey publishes the pair.
fn helmert(x: f64, y: f64, z: f64, sign: f64) -> (f64, f64, f64) {
    let sec = |s: f64| (sign * s / 3600.0).to_radians();
    let (rx, ry, rz) = (sec(RX_SEC), sec(RY_SEC), sec(RZ_SEC));
    let s = 1.0 + sign * S_PPM * 1e-6;
    (
        sign * TX + s * x - rz * y + ry * z,
        sign * TY + rz * x + s * y - rx * z,
        sign * TZ - ry * x + rx * y + s * z,
    )
}

fn from_cartesian(x: f64, y: f64, z: f64, a: f64, b: f64) -> (f64, f64) {
    let e2 = 1.0 - (b * b) / (a * a);
    let p = (x * x + y * y).sqrt();
    let mut lat = z.atan2(p * (1.0 - e2));
    for _ in 0..10 {
        let nu = a / (1.0 - e2 * lat.sin().powi(2)).sqrt();
        let next = (z + e2 * nu * lat.sin()).atan2(p);
        if (next - lat).abs() < 1e-12 {
            lat = next;
            break;
        }
        lat = next;
    }
    (lat, y.atan2(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Metres between two WGS84 points, flat-earth (fine over a few metres).
    fn metres((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
        let dy = (lat2 - lat1).to_radians() * 6_371_000.0;
        let dx = (lon2 - lon1).to_radians() * 6_371_000.0 * lat1.to_radians().cos();
        (dx * dx + dy * dy).sqrt()
    }

    #[test]
    fn the_ordnance_surveys_worked_example_projects_back() {
        // OS guide, C.2: E 651409.903, N 313177.270 is OSGB36 52°39'27.2531"N 1°43'4.5177"E.
        let (lat, lon) = osgb36_lat_lon(651_409.903, 313_177.270);
        let want_lat = 52.0 + 39.0 / 60.0 + 27.2531 / 3600.0;
        let want_lon = 1.0 + 43.0 / 60.0 + 4.5177 / 3600.0;
        assert!(
            (lat.to_degrees() - want_lat).abs() < 1e-7,
            "{}",
            lat.to_degrees()
        );
        assert!(
            (lon.to_degrees() - want_lon).abs() < 1e-7,
            "{}",
            lon.to_degrees()
        );
    }

    #[test]
    fn cheltenham_points_match_the_councils_own_wgs84_within_a_few_metres() {
        // Pairs from the council's 2023 register: GeoX/GeoY in its CSV and the WGS84 point its
        // GeoJSON (made with ogr2ogr) gives for the same asset: 10/00022, 09/04861, 09/05393.
        let cases = [
            ((395_522.0, 223_084.0), (51.906_282_723, -2.066_490_826)),
            ((394_989.0, 222_738.0), (51.903_167_128, -2.074_233_386)),
            ((395_164.0, 223_066.0), (51.906_117_796, -2.071_694_484)),
        ];
        for ((e, n), want) in cases {
            let got = to_wgs84(e, n).unwrap();
            assert!(metres(got, want) < 5.0, "{e},{n} → {got:?}, want {want:?}");
        }
    }

    #[test]
    fn the_ordnance_surveys_worked_example_projects_forward() {
        // OS guide, C.1: the same point the other way, to the millimetre.
        let lat = (52.0 + 39.0 / 60.0 + 27.2531 / 3600.0_f64).to_radians();
        let lon = (1.0 + 43.0 / 60.0 + 4.5177 / 3600.0_f64).to_radians();
        let (e, n) = osgb36_grid(lat, lon);
        assert!((e - 651_409.903).abs() < 0.001, "{e}");
        assert!((n - 313_177.270).abs() < 0.001, "{n}");
    }

    #[test]
    fn grid_references_round_trip_through_wgs84() {
        // Cheltenham, Land's End, John o' Groats, Lowestoft: each back within a few centimetres
        // (the Helmert pair is not an exact inverse), and a WGS84 point off the grid refused.
        for (e, n) in [
            (395_522.0, 223_084.0),
            (134_000.0, 25_000.0),
            (338_000.0, 972_000.0),
            (655_000.0, 293_000.0),
        ] {
            let (lat, lon) = to_wgs84(e, n).unwrap();
            let (e2, n2) = from_wgs84(lat, lon).unwrap();
            assert!(
                (e2 - e).abs() < 0.05 && (n2 - n).abs() < 0.05,
                "{e},{n} → {e2},{n2}"
            );
        }
        let (lat, lon) = to_wgs84(395_522.0, 223_084.0).unwrap();
        let (e, n) = from_wgs84(lat + 0.001, lon).unwrap();
        assert!(
            (n - 223_195.0).abs() < 2.0 && (e - 395_522.0).abs() < 2.0,
            "{e},{n}"
        );
        assert_eq!(
            from_wgs84(40.7, -74.0),
            None,
            "New York is not on the National Grid"
        );
        assert_eq!(from_wgs84(f64::NAN, 0.0), None);
    }

    #[test]
    fn points_off_the_grid_are_refused() {
        assert_eq!(to_wgs84(-5.0, 100.0), None);
        // Degrees mistaken for metres: a negative northing is not on the grid.
        assert_eq!(to_wgs84(51.9, -2.07), None);
        assert_eq!(to_wgs84(f64::NAN, 100.0), None);
    }
}
