//! The land and building assets CSV councils publish under the Local Government Transparency
//! Code 2015, read into assets (`junction import transparency-csv`).
//!
//! Columns are found by header, compared without case, spaces or punctuation, the first of
//! a repeated name winning: `Organisation`, `OrganisationLabel`, `UPRN`, `AssetCode` (or
//! `Unique Asset ID`), `PropertyName` (or `Site Address`, which the 2023 Cheltenham file has
//! instead of a name and a street), `StreetNumber`, `StreetName`, `PostTown`, `PostCode`,
//! `GeoX`/`GeoY` (National Grid, kept as published and converted to WGS84), `TenureType`,
//! `TenureDetail` (or `Tenure Detail`, `Tenure Category`) and `HoldingType`. Cells may hold
//! line breaks (read as one line); the file may be Windows-1252 ([`super::table`]).
//!
//! **Natural key** (the source id, under one source `transparency-csv` whatever the file is
//! called, so next year's file and Junction's own export find the same records): the owner and
//! the asset reference, `cheltenham borough council | 09/00025/Land and Building`. Where one
//! reference is on several rows of the file that are different assets (another UPRN or name),
//! those rows are keyed by owner, UPRN and name instead; where the rows are the same asset
//! again, the first is kept and the others are rejected as duplicates naming it. A row with
//! neither a usable reference nor a UPRN can't be found again and is rejected.
//!
//! Tenure values are read by [`super::tenure`]: typos map (with a note); a value that is no
//! tenure (`Chattel`) or a blank is reported in the row's notes and left empty, never
//! guessed; the value as published is kept either way.

use std::collections::HashMap;

use anyhow::bail;
use uuid::Uuid;

use super::table::Table;
use super::tenure::{self, Reading};
use super::{Object, Parsed, Part, Place, Primary, Rejected, bng, one_line, tidy::tidy};
use crate::domain::vocab::{OrgType, Tenure, TenureDetail};
use crate::domain::{Asset, Record, validate as v};
use crate::store::SourceRef;

/// The source every Transparency Code file is imported under, unless `--source` says otherwise.
pub fn default_source() -> SourceRef {
    SourceRef {
        key: "transparency-csv".into(),
        name: "Land and building assets (Local Government Transparency Code)".into(),
        licence: Some("OGL-UK-3.0".into()),
        attribution: Some(
            "Contains public sector information licensed under the Open Government Licence v3.0."
                .into(),
        ),
        url: None,
    }
}

/// An organisation already in the register that owns every asset of the file
/// (`--organisation`), instead of the file's `Organisation` column.
#[derive(Debug, Clone)]
pub struct FixedOwner {
    pub id: Uuid,
    pub name: String,
}

/// The columns the reader uses: (normalised header names it accepts, what it is).
const COLUMNS: &[(&[&str], Col)] = &[
    (
        &["organisation", "organisationname", "localauthority"],
        Col::Organisation,
    ),
    (
        &["organisationlabel", "organisationcode"],
        Col::OrganisationLabel,
    ),
    (&["uprn", "uniquepropertyreferencenumber"], Col::Uprn),
    (
        &[
            "assetcode",
            "uniqueassetid",
            "uniqueassetidentity",
            "assetid",
            "assetreference",
        ],
        Col::Reference,
    ),
    (
        &[
            "propertyname",
            "nameofbuildingland",
            "buildingname",
            "name",
            "sitename",
        ],
        Col::Name,
    ),
    (&["siteaddress", "address"], Col::SiteAddress),
    (&["streetnumber", "no", "number"], Col::StreetNumber),
    (&["streetname", "street"], Col::StreetName),
    (&["posttown", "town"], Col::Town),
    (&["postcode"], Col::Postcode),
    (
        &["geox", "easting", "mapreferenceeasting", "xcoordinate"],
        Col::Easting,
    ),
    (
        &["geoy", "northing", "mapreferencenorthing", "ycoordinate"],
        Col::Northing,
    ),
    (&["tenuretype", "tenure"], Col::Tenure),
    (&["tenuredetail", "tenurecategory"], Col::TenureDetail),
    (&["holdingtype"], Col::HoldingType),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Col {
    Organisation,
    OrganisationLabel,
    Uprn,
    Reference,
    Name,
    SiteAddress,
    StreetNumber,
    StreetName,
    Town,
    Postcode,
    Easting,
    Northing,
    Tenure,
    TenureDetail,
    HoldingType,
}

/// A header compared as the reader compares them: lower case, letters and digits only.
fn normalise_header(h: &str) -> String {
    h.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

struct Columns(HashMap<Col, usize>);

impl Columns {
    fn find(headers: &[String]) -> Columns {
        let mut found = HashMap::new();
        for (i, h) in headers.iter().enumerate() {
            let h = normalise_header(h);
            if let Some((_, col)) = COLUMNS
                .iter()
                .find(|(names, _)| names.contains(&h.as_str()))
            {
                found.entry(*col).or_insert(i);
            }
        }
        Columns(found)
    }

    fn has(&self, col: Col) -> bool {
        self.0.contains_key(&col)
    }

    /// A cell on one line, trimmed; empty and `N/A` as missing.
    fn get(&self, row: &[String], col: Col) -> Option<String> {
        let raw = row.get(*self.0.get(&col)?)?;
        let v = one_line(raw);
        (!v.is_empty() && !v.eq_ignore_ascii_case("n/a")).then_some(v)
    }
}

/// One row, read but not yet keyed.
struct Row {
    place: Place,
    owner: String,
    owner_label: Option<String>,
    reference: Option<String>,
    uprn: Option<String>,
    name: String,
    asset: serde_json::Value,
    notes: Vec<String>,
}

impl Row {
    fn owner_key(&self) -> String {
        self.owner
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    }

    fn by_reference(&self) -> Option<String> {
        let r = self.reference.as_ref()?;
        Some(format!("{} | {r}", self.owner_key()))
    }

    fn by_uprn_and_name(&self) -> Option<String> {
        let u = self.uprn.as_ref()?;
        Some(format!(
            "{} | UPRN {u} | {}",
            self.owner_key(),
            self.name.to_lowercase()
        ))
    }
}

/// Reads a Transparency Code land and building assets CSV.
pub fn read(bytes: &[u8], input: &str, owner: Option<&FixedOwner>) -> anyhow::Result<Parsed> {
    let table = Table::parse(bytes)?;
    let cols = Columns::find(&table.headers);
    if !cols.has(Col::Reference) && !cols.has(Col::Uprn) {
        bail!(
            "not a Transparency Code land and assets file: it has neither an AssetCode nor a UPRN column (its columns: {})",
            table.headers.join(", ")
        );
    }
    if !cols.has(Col::Name) && !cols.has(Col::SiteAddress) && !cols.has(Col::StreetName) {
        bail!(
            "not a Transparency Code land and assets file: it has no PropertyName, Site Address or StreetName column (its columns: {})",
            table.headers.join(", ")
        );
    }
    if owner.is_none() && !cols.has(Col::Organisation) {
        bail!("the file has no Organisation column: say whose assets they are with --organisation");
    }
    let rows: Vec<Result<Row, Rejected>> = table
        .rows
        .iter()
        .map(|r| read_row(&cols, Place::row(r.number, r.line), &r.cells, owner))
        .collect();
    let keys = keys(&rows);
    let items = rows
        .into_iter()
        .zip(keys)
        .map(|(row, key)| {
            let row = row?;
            let source_id = key.map_err(|reason| {
                Rejected::new(
                    row.place.clone(),
                    row.by_reference().or_else(|| row.by_uprn_and_name()),
                    reason,
                )
            })?;
            build(row, source_id, owner)
        })
        .collect();
    Ok(Parsed {
        input: format!("{input} (Transparency Code CSV, {:?})", table.encoding),
        items,
        ..Parsed::default()
    })
}

/// Each row's source id, or why it has none: see the module's note on the natural key.
fn keys(rows: &[Result<Row, Rejected>]) -> Vec<Result<String, String>> {
    // Per owner and reference: the rows, and the different assets (UPRN and name) among them.
    let mut groups: HashMap<String, Vec<&Row>> = HashMap::new();
    for row in rows.iter().flatten() {
        if let Some(k) = row.by_reference() {
            groups.entry(k).or_default().push(row);
        }
    }
    let mut first: HashMap<String, &Place> = HashMap::new();
    rows.iter()
        .map(|row| {
            let Ok(row) = row else {
                return Err(String::new());
            };
            let same = |a: &Row, b: &Row| {
                a.uprn == b.uprn && a.name.to_lowercase() == b.name.to_lowercase()
            };
            let key = match row.by_reference() {
                Some(k) => {
                    let group = &groups[&k];
                    if group.iter().all(|other| same(row, other)) {
                        k
                    } else {
                        let places: Vec<String> =
                            group.iter().map(|r| r.place.to_string()).collect();
                        row.by_uprn_and_name().ok_or_else(|| {
                            format!(
                                "the asset reference '{}' is on {} for different assets, and this row has no UPRN to tell it apart",
                                row.reference.as_deref().unwrap_or_default(),
                                places.join(", ")
                            )
                        })?
                    }
                }
                None => row.by_uprn_and_name().ok_or_else(|| {
                    "no asset reference and no UPRN: nothing to recognise the asset by on a later import"
                        .to_owned()
                })?,
            };
            if let Some(place) = first.get(&key) {
                return Err(format!(
                    "a duplicate of {place}: the same owner, asset reference, UPRN and name"
                ));
            }
            first.insert(key.clone(), &row.place);
            Ok(key)
        })
        .collect()
}

fn read_row(
    cols: &Columns,
    place: Place,
    cells: &[String],
    fixed: Option<&FixedOwner>,
) -> Result<Row, Rejected> {
    let get = |c: Col| cols.get(cells, c);
    let reference = get(Col::Reference);
    let reject = |reason: &str| Rejected::new(place.clone(), reference.clone(), reason);
    if cells.iter().all(|c| c.trim().is_empty()) {
        return Err(reject("an empty row"));
    }
    let (owner, owner_label) = match fixed {
        Some(f) => (f.name.clone(), None),
        None => match get(Col::Organisation) {
            Some(o) => (o, get(Col::OrganisationLabel)),
            None => {
                return Err(reject(
                    "no Organisation: the owner is needed (or give --organisation)",
                ));
            }
        },
    };
    let site_address = get(Col::SiteAddress);
    let street_name = get(Col::StreetName);
    let Some(name) = get(Col::Name)
        .or_else(|| site_address.clone())
        .or_else(|| street_name.clone())
    else {
        return Err(reject(
            "no name: PropertyName (or Site Address, or StreetName) is empty",
        ));
    };
    let mut notes = Vec::new();
    // A site address may end with the postcode, when the file has no postcode of its own.
    let postcode = get(Col::Postcode).or_else(|| {
        let words: Vec<&str> = site_address.as_deref()?.split_whitespace().collect();
        let tail = words.get(words.len().checked_sub(2)?..)?.join(" ");
        v::normalise_postcode(&tail)
    });
    let number = |c: Col| {
        get(c).map(|s| {
            s.replace(',', "")
                .parse::<f64>()
                .map_err(|_| format!("'{s}' is not a number"))
        })
    };
    let (mut point, mut grid) = (None, None);
    match (number(Col::Easting), number(Col::Northing)) {
        (Some(Ok(e)), Some(Ok(n))) => match bng::to_wgs84(e, n) {
            Some(p) => {
                point = Some(p);
                grid = Some((e, n));
            }
            None => notes.push(format!(
                "no point: easting {e}, northing {n} is not on the British National Grid"
            )),
        },
        (None, None) => notes.push("no point: no easting and northing".into()),
        (e, n) => {
            let why = [("easting", e), ("northing", n)]
                .into_iter()
                .filter_map(|(what, v)| match v {
                    None => Some(format!("no {what}")),
                    Some(Err(e)) => Some(format!("{what} {e}")),
                    Some(Ok(_)) => None,
                })
                .collect::<Vec<_>>()
                .join(", ");
            notes.push(format!("no point: {why}"));
        }
    }
    let tenure_published = get(Col::Tenure);
    let tenure = reading(
        "tenure",
        tenure_published.as_deref(),
        tenure::tenure,
        |t: Tenure| t.as_str(),
        "freehold or leasehold",
        &mut notes,
    );
    let detail_published = get(Col::TenureDetail);
    let detail = reading(
        "tenure detail",
        detail_published.as_deref(),
        tenure::detail,
        |d: TenureDetail| d.as_str(),
        "a tenure detail Junction knows",
        &mut notes,
    );
    let asset = serde_json::json!({
        "owner_organisation_id": fixed.map_or(Uuid::nil(), |f| f.id),
        "name": name.clone(),
        "uprn": get(Col::Uprn),
        "asset_reference": reference.clone(),
        "street_number": get(Col::StreetNumber),
        "street_name": street_name,
        "town": get(Col::Town),
        "postcode": postcode,
        "latitude": point.map(|p| p.0),
        "longitude": point.map(|p| p.1),
        "easting": grid.map(|g| g.0),
        "northing": grid.map(|g| g.1),
        "tenure": tenure,
        "tenure_as_published": tenure_published,
        "tenure_detail": detail,
        "tenure_detail_as_published": detail_published,
        "holding_type": get(Col::HoldingType),
    });
    Ok(Row {
        uprn: get(Col::Uprn),
        place,
        owner,
        owner_label,
        reference,
        name,
        asset,
        notes,
    })
}

/// Reads one published vocabulary value, noting a correction, an unknown value or a blank.
fn reading<T: Copy>(
    what: &str,
    published: Option<&str>,
    read: impl Fn(&str) -> Reading<T>,
    wire: impl Fn(T) -> &'static str,
    known: &str,
    notes: &mut Vec<String>,
) -> Option<&'static str> {
    let Some(p) = published else {
        notes.push(format!("no {what} given"));
        return None;
    };
    match read(p) {
        Reading::Exact(v) => Some(wire(v)),
        Reading::Corrected(v) => {
            notes.push(format!("{what} '{p}' read as {}", wire(v)));
            Some(wire(v))
        }
        Reading::Unknown => {
            notes.push(format!(
                "{what} '{p}' is not {known}: left empty, kept as published"
            ));
            None
        }
    }
}

fn build(row: Row, source_id: String, fixed: Option<&FixedOwner>) -> Result<Object, Rejected> {
    let reject = |reason: String| Rejected::new(row.place.clone(), Some(source_id.clone()), reason);
    let mut notes = row.notes;
    let mut asset: Asset = serde_json::from_value(row.asset).map_err(|e| reject(e.to_string()))?;
    notes.extend(tidy(&mut asset).map_err(reject)?);
    // Normalised here as the store would on write, so the object — and its hash — is the same
    // whether it was read from the council's file or from Junction's export of it.
    asset.validate().map_err(|e| reject(e.to_string()))?;
    let organisation = fixed.is_none().then(|| {
        let mut org = super::organisation(
            &row.owner,
            format!(
                "{}: owner of land and building assets published under the Local Government Transparency Code.",
                row.owner
            ),
            OrgType::Council,
        );
        org.identifier = row.owner_label.clone();
        let mut part = Part::new(format!("organisation:{}", row.owner), org);
        part.reuse_by_name = true;
        part
    });
    Ok(Object {
        place: row.place,
        source_id,
        preferred_id: None,
        organisation,
        locations: Vec::new(),
        primary: Primary::Asset(asset),
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "Organisation,OrganisationLabel,Organisation,UPRN,AssetCode,PropertyName,StreetName,PostTown,PostCode,GeoX,GeoY,TenureType,TenureDetail,HoldingType\n\
Millbrook Council,MB,Other,010000480247,A/1,Depot,\"Mill Lane\r\n\",Millbrook,\"ol1 1aa\n\",395522,223084,Freehold,Leashold,Land\n\
Millbrook Council,MB,Other,0100,A/2,Kiosks,Market Street,Millbrook,,395522,223084,Chattel,Occupied by Local Authority,Structure\n\
Millbrook Council,MB,Other,0100,A/2,Kiosks,Market Street,Millbrook,,395522,223084,Chattel,Occupied by Local Authority,Structure\n\
Millbrook Council,MB,Other,7,A/3,Hall,,,,,,,Groundlease,\n\
Millbrook Council,MB,Other,8,A/3,Yard,,,,,,,,\n\
Millbrook Council,MB,Other,,A/3,Shed,,,,,,,,\n\
,,,,,,,,,,,,,\n\
Millbrook Council,MB,Other,,,Nameless,,,,,,,,\n";

    fn objects() -> Vec<Result<Object, Rejected>> {
        read(CSV.as_bytes(), "t.csv", None).unwrap().items
    }

    fn asset(o: &Object) -> &Asset {
        match &o.primary {
            Primary::Asset(a) => a,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn rows_become_assets_keyed_by_owner_and_reference() {
        let items = objects();
        assert_eq!(items.len(), 8);
        let depot = items[0].as_ref().unwrap();
        assert_eq!(depot.source_id, "millbrook council | A/1");
        let a = asset(depot);
        assert_eq!(a.uprn.as_deref(), Some("010000480247"), "leading zero kept");
        assert_eq!(a.postcode.as_deref(), Some("OL1 1AA"));
        assert_eq!(a.street_name.as_deref(), Some("Mill Lane"));
        assert_eq!((a.easting, a.northing), (Some(395_522.0), Some(223_084.0)));
        assert!((a.latitude.unwrap() - 51.9063).abs() < 0.001);
        assert_eq!(a.tenure, Some(Tenure::Freehold));
        assert_eq!(a.tenure_detail, Some(TenureDetail::Leasehold));
        assert_eq!(a.tenure_detail_as_published.as_deref(), Some("Leashold"));
        assert!(
            depot
                .notes
                .iter()
                .any(|n| n.contains("'Leashold' read as leasehold"))
        );
        let org = depot.organisation.as_ref().unwrap();
        assert_eq!(org.record.name, "Millbrook Council");
        assert_eq!(org.record.identifier.as_deref(), Some("MB"));
    }

    #[test]
    fn unknown_tenures_are_reported_not_guessed_and_duplicates_are_rejected() {
        let items = objects();
        let kiosks = items[1].as_ref().unwrap();
        let a = asset(kiosks);
        assert_eq!(a.tenure, None);
        assert_eq!(a.tenure_as_published.as_deref(), Some("Chattel"));
        assert!(
            kiosks
                .notes
                .iter()
                .any(|n| n.contains("tenure 'Chattel' is not freehold or leasehold")),
            "{:?}",
            kiosks.notes
        );
        let dup = items[2].as_ref().unwrap_err();
        assert!(
            dup.reason.contains("a duplicate of row 2"),
            "{}",
            dup.reason
        );
        // One reference on three different assets: keyed by UPRN and name, or rejected.
        let hall = items[3].as_ref().unwrap();
        assert_eq!(hall.source_id, "millbrook council | UPRN 7 | hall");
        assert_eq!(
            asset(hall).tenure_detail,
            Some(TenureDetail::GroundLeasehold)
        );
        assert!(hall.notes.iter().any(|n| n == "no tenure given"));
        assert_eq!(
            items[4].as_ref().unwrap().source_id,
            "millbrook council | UPRN 8 | yard"
        );
        let shed = items[5].as_ref().unwrap_err();
        assert!(
            shed.reason.contains("no UPRN to tell it apart"),
            "{}",
            shed.reason
        );
        assert!(
            shed.reason.contains("is on row 4 (line 7), row 5"),
            "{}",
            shed.reason
        );
        assert_eq!(items[6].as_ref().unwrap_err().reason, "an empty row");
        assert!(
            items[7]
                .as_ref()
                .unwrap_err()
                .reason
                .contains("no asset reference and no UPRN")
        );
    }

    #[test]
    fn a_fixed_owner_replaces_the_files_and_files_that_are_not_registers_are_refused() {
        let owner = FixedOwner {
            id: Uuid::from_u128(5),
            name: "Millbrook NHS Trust".into(),
        };
        let parsed = read(CSV.as_bytes(), "t.csv", Some(&owner)).unwrap();
        let first = parsed.items[0].as_ref().unwrap();
        assert!(first.organisation.is_none());
        assert_eq!(asset(first).owner_organisation_id, owner.id);
        assert_eq!(first.source_id, "millbrook nhs trust | A/1");
        let err = read(b"name,town\nx,y\n", "t.csv", None).unwrap_err();
        assert!(
            err.to_string().contains("neither an AssetCode nor a UPRN"),
            "{err}"
        );
    }

    #[test]
    fn a_site_address_names_the_asset_and_gives_its_postcode() {
        let csv = "Organisation,UPRN,AssetCode,Site Address,GeoX,GeoY,TenureType,Tenure Detail,Holding Type\n\
Cheltenham Borough Council,100,X/1,3 - 4 Lynworth Exchange Mendip Road Cheltenham GL52 5EH,395522,223084,Freehold,Vacant,Commercial\n";
        let parsed = read(csv.as_bytes(), "t.csv", None).unwrap();
        let o = parsed.items[0].as_ref().unwrap();
        let a = asset(o);
        assert_eq!(
            a.name,
            "3 - 4 Lynworth Exchange Mendip Road Cheltenham GL52 5EH"
        );
        assert_eq!(a.postcode.as_deref(), Some("GL52 5EH"));
        assert_eq!(a.tenure_detail, Some(TenureDetail::Vacant));
        assert_eq!(a.holding_type.as_deref(), Some("Commercial"));
    }
}
