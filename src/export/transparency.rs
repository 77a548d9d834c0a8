//! The Local Government Transparency Code 2015 land and building assets CSV of the published
//! assets (`GET /exports/transparency.csv`).
//!
//! Columns: the owner (`Organisation`, `OrganisationLabel`: name and identifier), then the
//! Code's mandatory columns in its order — UPRN, unique asset identity, name of the building or
//! land, street number, street name, post town, postcode, map reference easting and northing,
//! tenure and tenure detail — under the LGA schema's header names that councils' own files use
//! (the 2021 Cheltenham file's header, with `StreetNumber`), and `HoldingType` last.
//!
//! So that a re-import of the export changes nothing, a value kept as the owner published it
//! is written back as published: the easting and northing while they still convert to the
//! asset's point, the tenure and tenure detail while they still read as the asset's values.
//! Otherwise eastings and northings are computed from the point (to the metre) and tenures
//! written in words ([`crate::import::tenure::detail_text`]).
//!
//! A place has thousands of assets, not millions: the file is built in memory, reading the
//! assets 500 at a time in id order.

use std::collections::HashMap;

use uuid::Uuid;

use crate::domain::{Asset, Organisation, Publication};
use crate::error::Result;
use crate::import::{bng, tenure};
use crate::store::Store;

/// The header row.
pub const HEADER: [&str; 14] = [
    "Organisation",
    "OrganisationLabel",
    "UPRN",
    "AssetCode",
    "PropertyName",
    "StreetNumber",
    "StreetName",
    "PostTown",
    "PostCode",
    "GeoX",
    "GeoY",
    "TenureType",
    "TenureDetail",
    "HoldingType",
];

const BATCH: usize = 500;

/// The CSV of every published asset.
pub async fn csv(store: &Store) -> Result<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(HEADER).map_err(anyhow::Error::from)?;
    let ids = store.all_ids::<Asset>().await?;
    let mut owners: HashMap<Uuid, Option<Organisation>> = HashMap::new();
    for chunk in ids.chunks(BATCH) {
        let mut assets: Vec<Asset> = store.get_many(chunk).await?;
        assets.retain(|a| a.publication == Publication::Published);
        assets.sort_by_key(|a| a.id);
        let missing: Vec<Uuid> = assets
            .iter()
            .map(|a| a.owner_organisation_id)
            .filter(|id| !owners.contains_key(id))
            .collect();
        for org in store.get_many::<Organisation>(&missing).await? {
            owners.insert(org.id, Some(org));
        }
        for asset in &assets {
            let owner = owners
                .entry(asset.owner_organisation_id)
                .or_insert(None)
                .as_ref();
            out.write_record(row(asset, owner))
                .map_err(anyhow::Error::from)?;
        }
    }
    Ok(out.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?)
}

/// One asset's row.
pub fn row(a: &Asset, owner: Option<&Organisation>) -> [String; 14] {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let (number, street) = street_parts(a);
    let (easting, northing) = grid_reference(a)
        .map(|(e, n)| (e.to_string(), n.to_string()))
        .unwrap_or_default();
    let tenure = match (&a.tenure_as_published, a.tenure) {
        (Some(p), t) if tenure::tenure(p).value() == t => p.clone(),
        (_, Some(t)) => t.label().to_owned(),
        (_, None) => String::new(),
    };
    let detail = match (&a.tenure_detail_as_published, a.tenure_detail) {
        (Some(p), d) if tenure::detail(p).value() == d => p.clone(),
        (_, Some(d)) => tenure::detail_text(d).to_owned(),
        (_, None) => String::new(),
    };
    [
        owner.map(|o| o.name.clone()).unwrap_or_default(),
        owner.and_then(|o| o.identifier.clone()).unwrap_or_default(),
        text(&a.uprn),
        text(&a.asset_reference),
        a.name.clone(),
        number,
        street,
        text(&a.town),
        text(&a.postcode),
        easting,
        northing,
        tenure,
        detail,
        text(&a.holding_type),
    ]
}

/// The street number and name: as recorded, else split from the first address line
/// ("174 Market Street" → "174", "Market Street").
fn street_parts(a: &Asset) -> (String, String) {
    if a.street_number.is_some() || a.street_name.is_some() {
        return (
            a.street_number.clone().unwrap_or_default(),
            a.street_name.clone().unwrap_or_default(),
        );
    }
    let Some(line) = &a.address_1 else {
        return Default::default();
    };
    match line.split_once(' ') {
        Some((first, rest)) if first.starts_with(|c: char| c.is_ascii_digit()) => {
            (first.to_owned(), rest.trim().to_owned())
        }
        _ => (String::new(), line.clone()),
    }
}

/// The easting and northing to publish: as published while they still give the asset's
/// point, else computed from the point, rounded to the metre.
fn grid_reference(a: &Asset) -> Option<(f64, f64)> {
    let point = a.latitude.zip(a.longitude);
    if let (Some(e), Some(n)) = (a.easting, a.northing) {
        let agrees = match (bng::to_wgs84(e, n), point) {
            (Some((lat, lon)), Some((alat, alon))) => {
                (lat - alat).abs() < 1e-7 && (lon - alon).abs() < 1e-7
            }
            (_, None) => true,
            (None, Some(_)) => false,
        };
        if agrees {
            return Some((e, n));
        }
    }
    let (lat, lon) = point?;
    let (e, n) = bng::from_wgs84(lat, lon)?;
    Some((e.round(), n.round()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asset(json: serde_json::Value) -> Asset {
        let mut base = serde_json::json!({"owner_organisation_id": Uuid::nil(), "name": "Depot"});
        if let (Some(o), Some(e)) = (base.as_object_mut(), json.as_object()) {
            o.extend(e.clone());
        }
        serde_json::from_value(base).unwrap()
    }

    #[test]
    fn published_values_are_written_back_while_they_still_hold() {
        let (lat, lon) = bng::to_wgs84(395_522.0, 223_084.0).unwrap();
        let a = asset(serde_json::json!({
            "latitude": lat, "longitude": lon, "easting": 395_522.0, "northing": 223_084.0,
            "tenure": "leasehold", "tenure_as_published": "Leashold",
            "tenure_detail_as_published": "Chattel",
        }));
        let r = row(&a, None);
        assert_eq!((r[9].as_str(), r[10].as_str()), ("395522", "223084"));
        assert_eq!((r[11].as_str(), r[12].as_str()), ("Leashold", "Chattel"));

        // Edited since: the point moved and the tenure changed, so the published values no
        // longer describe the asset and are not written.
        let moved = asset(serde_json::json!({
            "latitude": lat + 0.001, "longitude": lon, "easting": 395_522.0, "northing": 223_084.0,
            "tenure": "freehold", "tenure_as_published": "Leashold",
            "tenure_detail": "occupied_by_owner", "tenure_detail_as_published": "Chattel",
        }));
        let r = row(&moved, None);
        let n: f64 = r[10].parse().unwrap();
        assert!((n - 223_195.0).abs() < 2.0, "{n}");
        assert_eq!(
            (r[11].as_str(), r[12].as_str()),
            ("Freehold", "Occupied by owner")
        );
    }

    #[test]
    fn the_street_number_is_split_from_the_address_when_not_recorded() {
        let a = asset(serde_json::json!({"address_1": "174 Market Street"}));
        let r = row(&a, None);
        assert_eq!((r[5].as_str(), r[6].as_str()), ("174", "Market Street"));
        let b = asset(serde_json::json!({"address_1": "Land off Lodge Lane"}));
        let r = row(&b, None);
        assert_eq!((r[5].as_str(), r[6].as_str()), ("", "Land off Lodge Lane"));
    }
}
