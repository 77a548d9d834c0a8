//! `junction import postcodes FILE`: loads postcode points (or outward-code centroids) from a
//! CSV file whose layout is recognised from its header. Rows are upserted in transactions of
//! [`BATCH`] rows, so re-importing a file (or a newer release of it) replaces what was there and
//! a file of a million rows never holds a long lock.

use std::{collections::HashMap, fs::File, io::BufReader, path::Path};

use anyhow::Context;
use csv::StringRecord;

use super::postcodes::{
    PostcodePoint, PostcodeRow, normalise_outward, upsert_outcodes, upsert_postcodes,
};
use crate::domain::validate::normalise_postcode;
use crate::store::Store;

/// Rows per transaction.
pub const BATCH: usize = 1000;

/// The layouts `import postcodes` accepts, for error messages and `--help`.
pub const ACCEPTED_LAYOUTS: &str = concat!(
    "  - OS Code-Point Open with latitude/longitude: postcode,positional_quality,eastings,northings,latitude,longitude,…,admin_district_code,admin_ward_code\n",
    "    (any CSV with postcode,latitude,longitude columns works)\n",
    "  - ONS Postcode Directory (ONSPD): pcds (or pcd7/pcd), doterm, lat, long, osward, oslaua, …\n",
    "  - ONSPD extracts: postcode,ward_code,…,la_code,…,lon,lat\n",
    "  - outward-code centroids: outcode,…,latitude,longitude,…",
);

/// A recognised CSV layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    CodePointOpen,
    Onspd,
    OnspdExtract,
    OutcodeCentroids,
}

impl Layout {
    /// Stored in the `source` column of every row it loads.
    pub fn source(self) -> &'static str {
        match self {
            Layout::CodePointOpen => "codepoint_open",
            Layout::Onspd => "onspd",
            Layout::OnspdExtract => "onspd_extract",
            Layout::OutcodeCentroids => "outcode_centroids",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Layout::CodePointOpen => "OS Code-Point Open (postcode, latitude, longitude)",
            Layout::Onspd => "ONS Postcode Directory",
            Layout::OnspdExtract => "ONSPD extract (postcode, lon, lat)",
            Layout::OutcodeCentroids => "outward-code centroids",
        }
    }
}

/// What an import did. `rejected` lists every row that could not be loaded, with its line
/// number in the file (the header is line 1) and the reason.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    pub layout: Layout,
    pub loaded: u64,
    /// ONSPD rows with a termination date: the postcode is no longer in use.
    pub skipped_terminated: u64,
    /// Rows the source itself gives no point for (Code-Point positional quality 90, ONSPD
    /// 99.999999 latitude, empty coordinates).
    pub skipped_no_coordinates: u64,
    pub rejected: Vec<(u64, String)>,
}

/// Where each field is in a row of a recognised layout.
#[derive(Debug, Clone, PartialEq)]
struct Columns {
    layout: Layout,
    code: usize,
    lat: usize,
    lon: usize,
    ward: Option<usize>,
    la: Option<usize>,
    quality: Option<usize>,
    terminated: Option<usize>,
}

/// Recognises the layout from the header; the error says what was found and what is accepted.
fn detect(header: &[String]) -> Result<Columns, String> {
    let find = |names: &[&str]| {
        names
            .iter()
            .find_map(|n| header.iter().position(|h| h == n))
    };
    // A GSS code column named by its vintage: `wd13cd`, `lad25cd`.
    let vintage = |prefix: &str| {
        header.iter().position(|h| {
            h.strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix("cd"))
                .is_some_and(|year| year.len() == 2 && year.chars().all(|c| c.is_ascii_digit()))
        })
    };
    let columns = |layout, code, lat, lon| Columns {
        layout,
        code,
        lat,
        lon,
        ward: None,
        la: None,
        quality: None,
        terminated: None,
    };
    let has_postcodes = find(&["postcode", "pcds", "pcd7", "pcd", "pcd8"]).is_some();
    if let (false, Some(code), Some(lat), Some(lon)) = (
        has_postcodes,
        find(&["outcode", "outward"]),
        find(&["latitude", "lat"]),
        find(&["longitude", "long", "lon"]),
    ) {
        return Ok(columns(Layout::OutcodeCentroids, code, lat, lon));
    }
    if let (Some(code), Some(lat), Some(lon)) = (
        find(&["pcds", "pcd7", "pcd", "pcd8"]),
        find(&["lat"]),
        find(&["long"]),
    ) {
        return Ok(Columns {
            // Releases that name columns by vintage call them e.g. `wd25cd` and `lad25cd`.
            ward: find(&["osward"]).or_else(|| vintage("wd")),
            la: find(&["oslaua"]).or_else(|| vintage("lad")),
            terminated: find(&["doterm"]),
            ..columns(Layout::Onspd, code, lat, lon)
        });
    }
    if let (Some(code), Some(lat), Some(lon)) = (
        find(&["postcode"]),
        find(&["latitude"]),
        find(&["longitude"]),
    ) {
        return Ok(Columns {
            ward: find(&["admin_ward_code"]),
            la: find(&["admin_district_code"]),
            quality: find(&["positional_quality"]),
            ..columns(Layout::CodePointOpen, code, lat, lon)
        });
    }
    if let (Some(code), Some(lat), Some(lon)) =
        (find(&["postcode"]), find(&["lat"]), find(&["lon", "long"]))
    {
        return Ok(Columns {
            ward: find(&["ward_code"]),
            la: find(&["la_code"]),
            ..columns(Layout::OnspdExtract, code, lat, lon)
        });
    }
    Err(format!(
        "the header is not a postcode layout Junction knows (found: {}). Accepted layouts:\n{ACCEPTED_LAYOUTS}",
        header.join(",")
    ))
}

/// What one data row turned into.
#[derive(Debug, Clone, PartialEq)]
enum Parsed {
    Postcode(PostcodePoint),
    Outcode(String, f64, f64),
    Terminated,
    NoCoordinates,
    Rejected(String),
}

/// An area code, or `None` for empty fields and ONS "no area" pseudo-codes (`E99999999`).
fn area_code(raw: Option<&str>) -> Option<String> {
    let s = raw?.trim();
    (!s.is_empty() && !s.ends_with("99999999") && s.len() <= 32).then(|| s.to_owned())
}

fn parse_row(cols: &Columns, row: &StringRecord) -> Parsed {
    let field = |i: usize| row.get(i).map(str::trim).unwrap_or_default();
    if cols.terminated.is_some_and(|i| !field(i).is_empty()) {
        return Parsed::Terminated;
    }
    if cols.quality.is_some_and(|i| field(i) == "90") {
        return Parsed::NoCoordinates;
    }
    let (raw_lat, raw_lon) = (field(cols.lat), field(cols.lon));
    if raw_lat.is_empty() || raw_lon.is_empty() {
        return Parsed::NoCoordinates;
    }
    let (lat, lon) = match (raw_lat.parse::<f64>(), raw_lon.parse::<f64>()) {
        (Ok(lat), Ok(lon)) => (lat, lon),
        _ => {
            return Parsed::Rejected(format!(
                "the coordinates '{raw_lat}', '{raw_lon}' are not numbers"
            ));
        }
    };
    // ONSPD marks postcodes without a grid reference with latitude 99.999999.
    if lat == 99.999_999 || (lat == 0.0 && lon == 0.0) {
        return Parsed::NoCoordinates;
    }
    if !super::is_wgs84(lon, lat) {
        return Parsed::Rejected(format!(
            "latitude {lat}, longitude {lon} is not a WGS84 point"
        ));
    }
    let raw_code = field(cols.code);
    if cols.layout == Layout::OutcodeCentroids {
        return match normalise_outward(raw_code) {
            Some(outward) => Parsed::Outcode(outward, lon, lat),
            None => Parsed::Rejected(format!("'{raw_code}' is not an outward code")),
        };
    }
    match normalise_postcode(raw_code) {
        Some(postcode) => Parsed::Postcode(PostcodePoint {
            postcode,
            latitude: lat,
            longitude: lon,
            ward_code: area_code(cols.ward.map(field)),
            la_code: area_code(cols.la.map(field)),
        }),
        None => Parsed::Rejected(format!("'{raw_code}' is not a UK postcode")),
    }
}

/// Rows waiting for the next transaction, de-duplicated (the last row for a code wins).
#[derive(Default)]
struct Pending {
    postcodes: Vec<PostcodeRow>,
    outcodes: Vec<(String, f64, f64)>,
    seen: HashMap<String, usize>,
}

impl Pending {
    fn len(&self) -> usize {
        self.postcodes.len() + self.outcodes.len()
    }

    fn push_postcode(&mut self, row: PostcodeRow) {
        match self.seen.get(&row.point.postcode) {
            Some(&i) => self.postcodes[i] = row,
            None => {
                self.seen
                    .insert(row.point.postcode.clone(), self.postcodes.len());
                self.postcodes.push(row);
            }
        }
    }

    fn push_outcode(&mut self, outward: String, lon: f64, lat: f64) {
        match self.seen.get(&outward) {
            Some(&i) => self.outcodes[i] = (outward, lon, lat),
            None => {
                self.seen.insert(outward.clone(), self.outcodes.len());
                self.outcodes.push((outward, lon, lat));
            }
        }
    }

    /// Writes the pending rows in one transaction; returns how many.
    async fn flush(&mut self, store: &Store, source: &str) -> anyhow::Result<u64> {
        let n = self.len();
        if n == 0 {
            return Ok(0);
        }
        let txn = super::begin_write(&store.db).await?;
        upsert_postcodes(&txn, &self.postcodes).await?;
        upsert_outcodes(&txn, &self.outcodes, source).await?;
        txn.commit().await?;
        *self = Pending::default();
        Ok(n as u64)
    }
}

/// Imports a postcode CSV file. `progress` is called after each transaction with the number
/// of bytes read so far. Fails only when the file can't be read or its header is not a
/// recognised layout; bad rows are listed in the report and the rest load.
pub async fn import_postcodes(
    store: &Store,
    path: &Path,
    progress: &(dyn Fn(u64) + Sync),
) -> anyhow::Result<ImportReport> {
    let file = File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(BufReader::with_capacity(1 << 16, file));
    let header: Vec<String> = reader
        .headers()
        .with_context(|| format!("cannot read the header of {}", path.display()))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase())
        .collect();
    let cols = detect(&header).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let source = cols.layout.source();
    let mut report = ImportReport {
        layout: cols.layout,
        loaded: 0,
        skipped_terminated: 0,
        skipped_no_coordinates: 0,
        rejected: Vec::new(),
    };
    let mut pending = Pending::default();
    let mut row = StringRecord::new();
    loop {
        match reader.read_record(&mut row) {
            Ok(false) => break,
            Ok(true) => {
                let line = row.position().map_or(0, |p| p.line());
                match parse_row(&cols, &row) {
                    Parsed::Postcode(point) => pending.push_postcode(PostcodeRow { point, source }),
                    Parsed::Outcode(outward, lon, lat) => pending.push_outcode(outward, lon, lat),
                    Parsed::Terminated => report.skipped_terminated += 1,
                    Parsed::NoCoordinates => report.skipped_no_coordinates += 1,
                    Parsed::Rejected(reason) => report.rejected.push((line, reason)),
                }
            }
            Err(e) if matches!(e.kind(), csv::ErrorKind::Io(_)) => {
                return Err(e).with_context(|| format!("reading {}", path.display()));
            }
            // A malformed row (wrong number of fields, bad UTF-8): report it and go on.
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                report.rejected.push((line, e.to_string()));
            }
        }
        if pending.len() >= BATCH {
            report.loaded += pending.flush(store, source).await?;
            progress(reader.position().byte());
        }
    }
    report.loaded += pending.flush(store, source).await?;
    progress(reader.position().byte());
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(s: &str) -> Vec<String> {
        s.split(',').map(str::to_owned).collect()
    }

    fn row(s: &str) -> StringRecord {
        StringRecord::from(s.split(',').collect::<Vec<_>>())
    }

    #[test]
    fn layouts_are_recognised_from_the_header() {
        let cp = detect(&header("postcode,positional_quality,eastings,northings,latitude,longitude,country_code,admin_county_code,admin_district_code,admin_ward_code")).unwrap();
        assert_eq!(cp.layout, Layout::CodePointOpen);
        assert_eq!((cp.ward, cp.la, cp.quality), (Some(9), Some(8), Some(1)));
        let onspd = detect(&header(
            "pcd7,pcd8,pcds,dointr,doterm,oscty,oslaua,osward,lat,long",
        ))
        .unwrap();
        assert_eq!((onspd.layout, onspd.code), (Layout::Onspd, 2));
        let by_vintage = detect(&header("pcds,doterm,lad25cd,wd25cd,lat,long")).unwrap();
        assert_eq!((by_vintage.ward, by_vintage.la), (Some(3), Some(2)));
        let extract = detect(&header(
            "postcode,ward_code,ward_name,la_code,la_name,lon,lat",
        ))
        .unwrap();
        assert_eq!(extract.layout, Layout::OnspdExtract);
        let out = detect(&header("outcode,postcode_area,latitude,longitude")).unwrap();
        assert_eq!(out.layout, Layout::OutcodeCentroids);
        let err = detect(&header("name,address,town")).unwrap_err();
        assert!(
            err.contains("name,address,town") && err.contains("ONSPD"),
            "{err}"
        );
    }

    #[test]
    fn rows_are_loaded_skipped_or_rejected_with_a_reason() {
        let cols = detect(&header("pcds,doterm,lat,long,osward,oslaua")).unwrap();
        let ok = parse_row(&cols, &row("ab1 0aa,,57.1,-2.2,S13002843,S99999999"));
        let Parsed::Postcode(p) = ok else {
            panic!("{ok:?}")
        };
        assert_eq!(p.postcode, "AB1 0AA");
        assert_eq!(
            (p.ward_code.as_deref(), p.la_code),
            (Some("S13002843"), None)
        );
        assert_eq!(
            parse_row(&cols, &row("AB1 0AB,199606,57.1,-2.2,,")),
            Parsed::Terminated
        );
        assert_eq!(
            parse_row(&cols, &row("JE2 4WD,,99.999999,0.000000,,")),
            Parsed::NoCoordinates
        );
        assert!(
            matches!(parse_row(&cols, &row("NOT A PC,,57.1,-2.2,,")), Parsed::Rejected(r) if r.contains("NOT A PC"))
        );
        assert!(
            matches!(parse_row(&cols, &row("AB1 0AA,,north,-2.2,,")), Parsed::Rejected(r) if r.contains("north"))
        );
        assert!(matches!(
            parse_row(&cols, &row("AB1 0AA,,404988,393482,,")),
            Parsed::Rejected(_)
        ));
    }
}
