//! Assets in full and the Transparency Code: the council's real CSV files imported, every row
//! accounted for; the export at `/exports/transparency.csv` re-imported with nothing changed;
//! the new asset fields through the API with field-named errors; an asset's spaces on its page.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly by design

mod common;

use axum::http::StatusCode;
use common::TestApp;
use common::imports::{accounted, csv_rows, find_by_name, run, shared, versions};
use junction::domain::vocab::{Tenure, TenureDetail};
use junction::domain::{Asset, Organisation};
use junction::import::{self, Parsed, Report, Status, transparency};
use serde_json::json;

const CSV_2021: &str = "data/land-assets/cheltenham_land_and_assets_2021.csv";
const CSV_2023: &str = "data/land-assets/cheltenham_land_and_assets_2023.csv";

fn parse(path: &str) -> Parsed {
    let bytes = std::fs::read(shared(path)).unwrap();
    transparency::read(&bytes, path, None).unwrap()
}

async fn import_file(app: &TestApp, parsed: Parsed) -> Report {
    run(app, parsed, transparency::default_source(), false).await
}

/// Every row is in the report once, and every rejection says why.
fn assert_every_row_accounted(report: &Report, path: &str) {
    let rows = csv_rows(&shared(path));
    assert_eq!(report.total(), rows, "{report}");
    assert_eq!(accounted(report), rows, "{report}");
    for e in &report.entries {
        if e.status == Status::Rejected || e.status == Status::Flagged {
            assert!(
                e.reason.as_deref().is_some_and(|r| !r.is_empty()),
                "{} has no reason: {report}",
                e.place
            );
        }
    }
}

fn entry<'a>(report: &'a Report, source_id: &str) -> &'a import::Entry {
    report
        .entries
        .iter()
        .find(|e| e.source_id.as_deref() == Some(source_id))
        .unwrap_or_else(|| panic!("{source_id} not in {report}"))
}

async fn one_asset(app: &TestApp, name: &str) -> Asset {
    let found: Vec<Asset> = find_by_name(app, name).await;
    assert_eq!(found.len(), 1, "{name}: {found:?}");
    found.into_iter().next().unwrap()
}

both_dbs!(both_cheltenham_files_import_and_the_export_reimports_unchanged);
async fn both_cheltenham_files_import_and_the_export_reimports_unchanged(app: &TestApp) {
    // 2021: Windows-1252, repeated headers, line breaks in cells.
    let parsed = parse(CSV_2021);
    assert!(parsed.input.contains("Windows1252"), "{}", parsed.input);
    let first = import_file(app, parsed).await;
    assert_every_row_accounted(&first, CSV_2021);
    assert!(first.count(Status::Created) > 450, "{first}");
    // Four asset codes are on two rows each for the same asset again: the second is rejected,
    // naming the first. A fifth code is on two different assets: both come in, keyed by UPRN.
    let text = first.to_string();
    assert_eq!(
        text.matches(": rejected: a duplicate of row ").count(),
        4,
        "{text}"
    );
    assert!(
        first.entries.iter().any(|e| e.source_id.as_deref()
            == Some("cheltenham borough council | UPRN 10012809443 | elmfield estate")
            && e.status == Status::Created),
        "{text}"
    );
    let car_park = entry(&first, "cheltenham borough council | 09/00069/Land");
    assert_eq!(car_park.status, Status::Created, "{text}");
    // A UPRN with a leading zero survives as text.
    let middle = one_asset(app, "Middle Section of the car park lease in").await;
    assert_eq!(middle.uprn.as_deref(), Some("010012809547"));
    assert_eq!(middle.easting, Some(395_308.0));
    let owner: Organisation = app
        .state
        .store
        .get(middle.owner_organisation_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(owner.name, "Cheltenham Borough Council");
    assert_eq!(owner.identifier.as_deref(), Some("23UB"));
    // "Freehold" followed by a no-break space (0xA0 in Windows-1252) is still freehold.
    let fountain = one_asset(app, "Boots Fountain").await;
    assert_eq!(fountain.tenure, Some(Tenure::Freehold));
    assert_eq!(fountain.tenure_detail, Some(TenureDetail::OccupiedByOwner));

    // 2023: UTF-8, a site address instead of name and street, typos and chattels, two empty rows.
    let second = import_file(app, parse(CSV_2023)).await;
    assert_every_row_accounted(&second, CSV_2023);
    assert_eq!(
        second
            .entries
            .iter()
            .filter(|e| e.reason.as_deref() == Some("an empty row"))
            .count(),
        2,
        "{second}"
    );
    // Codes that were in the 2021 file are the same assets: updated, not created again.
    assert!(second.count(Status::Updated) > 0, "{second}");
    let holte = entry(&second, "cheltenham borough council | 10/00218/BLDG");
    assert!(
        holte
            .notes
            .iter()
            .any(|n| n == "tenure detail 'Leashold' read as leasehold"),
        "{holte:?}"
    );
    let kiosks = entry(&second, "cheltenham borough council | 13/00034/STRUC");
    assert!(
        kiosks
            .notes
            .iter()
            .any(|n| n.contains("tenure 'Chattel' is not freehold or leasehold")),
        "{kiosks:?}"
    );
    // The Holte's building row shares its name, point and UPRN with the land row before it, so
    // the duplicate check holds it for review; the typo was still read.
    let holte_entry = entry(&second, "cheltenham borough council | 10/00218/BLDG");
    assert_eq!(holte_entry.status, Status::Flagged, "{holte_entry:?}");
    let holte = parse(CSV_2023)
        .items
        .into_iter()
        .flatten()
        .find(|o| o.source_id == "cheltenham borough council | 10/00218/BLDG")
        .unwrap();
    let import::Primary::Asset(holte) = holte.primary else {
        panic!("not an asset")
    };
    assert_eq!(holte.tenure_detail, Some(TenureDetail::Leasehold));
    assert_eq!(
        holte.tenure_detail_as_published.as_deref(),
        Some("Leashold")
    );
    assert_eq!(holte.postcode.as_deref(), Some("GL51 7BH"));
    let high_street = one_asset(
        app,
        "272 - 284 High Street Cheltenham Gloucestershire GL50 3HQ",
    )
    .await;
    assert_eq!(
        high_street.tenure_detail,
        Some(TenureDetail::GroundLeasehold)
    );
    let kiosks = one_asset(
        app,
        "Six Telephone Kiosks Outside 23 Promenade Cheltenham Gloucestershire",
    )
    .await;
    assert_eq!(kiosks.tenure, None, "Chattel is not guessed");
    assert_eq!(kiosks.tenure_as_published.as_deref(), Some("Chattel"));
    let street_record = one_asset(
        app,
        "Street Record Pittville Crescent Cheltenham Gloucestershire",
    )
    .await;
    assert_eq!(street_record.uprn.as_deref(), Some("010000480247"));

    // The export: the Code's columns, one row per published asset.
    let reply = app.get("/exports/transparency.csv").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"),
        "{:?}",
        reply.headers
    );
    let body = String::from_utf8(reply.bytes.clone()).unwrap();
    assert_eq!(
        body.lines().next(),
        Some(
            "Organisation,OrganisationLabel,UPRN,AssetCode,PropertyName,StreetNumber,StreetName,PostTown,PostCode,GeoX,GeoY,TenureType,TenureDetail,HoldingType"
        )
    );
    let assets = app.state.store.all_ids::<Asset>().await.unwrap().len();
    let rows = csv::Reader::from_reader(reply.bytes.as_slice())
        .records()
        .count();
    assert_eq!(rows, assets);
    assert!(
        body.contains("Cheltenham Borough Council,23UB,010000480247,10/00022/LAND,"),
        "{body}"
    );
    assert!(
        body.contains(",Groundlease,Commercial"),
        "a typo goes back as published"
    );
    assert!(body.contains(",Chattel,Licence,"), "{body}");

    // Importing the export changes nothing.
    let before = versions(app).await;
    let parsed = transparency::read(&reply.bytes, "transparency.csv", None).unwrap();
    let again = import_file(app, parsed).await;
    assert_eq!(again.total(), assets);
    assert!(
        again.summary().starts_with("created 0, updated 0, "),
        "{again}"
    );
    assert_eq!(again.count(Status::Rejected), 0, "{again}");
    // One known exception: 09/00996/SITE is on two different assets in 2021 (keyed by UPRN and
    // name there) and on one in 2023 (keyed by the reference); in the export it is on all three,
    // so the 2023 one is keyed by UPRN and name and, not found by that key, is held as a likely
    // duplicate of itself rather than created.
    for e in &again.entries {
        if e.status != Status::Unchanged {
            assert_eq!(e.status, Status::Flagged, "{again}");
            assert!(
                e.source_id.as_deref().unwrap().contains("| UPRN "),
                "{again}"
            );
        }
    }
    assert!(again.count(Status::Flagged) <= 1, "{again}");
    assert_eq!(versions(app).await, before);
}

both_dbs!(new_asset_fields_through_the_api);
async fn new_asset_fields_through_the_api(app: &TestApp) {
    let (org, loc, _) = app.seed().await;
    let square = json!({"type": "Polygon", "coordinates": [[
        [-2.10, 53.54], [-2.09, 53.54], [-2.09, 53.545], [-2.10, 53.545], [-2.10, 53.54]
    ]]});
    let body = json!({
        "owner_organisation_id": org, "name": "Oakfield Depot", "uprn": "000123",
        "asset_reference": "OAK-1", "street_number": "2", "street_name": "Oakfield Walk",
        "town": "Millbrook", "postcode": "OL4 2QB", "latitude": 53.542, "longitude": -2.095,
        "site_outline": square, "tenure": "freehold", "tenure_detail": "vacant",
        "holding_type": "Depot", "size": {"value": 0.4, "unit": "hectares"},
        "services_delivered": "None since 2024", "reason_for_holding": "Surplus",
        "annual_running_cost": 9500, "maintenance_backlog": 120000, "energy_rating": "g",
        "facilities": ["parking", "storage"], "capacity": 40,
        "community_use": "offered_for_transfer", "transfer_closing_date": "2027-03-31"
    });
    let created = app.post("/api/v1/assets", body.clone()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json);
    let id = created.json["id"].as_str().unwrap().to_owned();
    let got = app.get(&format!("/api/v1/assets/{id}")).await;
    assert_eq!(got.status, StatusCode::OK);
    for field in [
        "uprn",
        "site_outline",
        "size",
        "annual_running_cost",
        "maintenance_backlog",
        "energy_rating",
        "facilities",
        "capacity",
        "transfer_closing_date",
        "tenure_detail",
    ] {
        assert_eq!(got.json[field], body[field], "{field} in {}", got.json);
    }

    // Bad values are refused naming the field.
    for (change, field) in [
        (
            json!({"site_outline": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}),
            "site_outline",
        ),
        (
            json!({"size": {"value": 0, "unit": "hectares"}}),
            "size.value",
        ),
        (json!({"annual_running_cost": -1}), "annual_running_cost"),
        (json!({"community_use": "in_use"}), "transfer_closing_date"),
        (json!({"easting": 395_000.0}), "northing"),
        (
            json!({"community_use": "transferred", "transfer_closing_date": null,
                "transfer": {"recipient": "Oakfield Tenants", "terms": "lease"}}),
            "transfer.lease_years",
        ),
    ] {
        let r = app
            .edit(&format!("/api/v1/assets/{id}"), |v| {
                for (k, val) in change.as_object().unwrap() {
                    v[k] = val.clone();
                }
            })
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{change}: {}",
            r.json
        );
        assert_eq!(r.field(), field, "{change}: {}", r.json);
    }

    // Transferred, with its terms: public, on the page.
    let r = app
        .edit(&format!("/api/v1/assets/{id}"), |v| {
            v["community_use"] = json!("transferred");
            v["transfer"] = json!({"recipient": "Oakfield Tenants Association",
                "recipient_organisation_id": org, "completed_on": "2027-06-01",
                "terms": "lease", "lease_years": 25});
        })
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);

    // A space inside the asset: the link is on the space, checked, shown on the asset's page,
    // and it keeps the asset from being deleted.
    let bad = app
        .post(
            "/api/v1/spaces",
            json!({"organisation_id": org, "location_id": loc, "name": "Yard",
                   "asset_id": uuid::Uuid::new_v4()}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.json);
    assert_eq!(bad.field(), "asset_id");
    let space = app
        .post(
            "/api/v1/spaces",
            json!({"organisation_id": org, "location_id": loc, "name": "Depot Yard",
                   "asset_id": id, "capacity": 40}),
        )
        .await;
    assert_eq!(space.status, StatusCode::CREATED, "{}", space.json);
    let page = app.get(&format!("/assets/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = String::from_utf8(page.bytes.clone()).unwrap();
    for want in [
        "Depot Yard",
        "£120,000",
        "£9,500",
        "0.4 hectares",
        "Vacant",
        "Oakfield Tenants Association",
        "25-year lease",
        "1 June 2027",
        "2 Oakfield Walk",
    ] {
        assert!(html.contains(want), "{want} missing from the asset page");
    }
    let refused = app.delete(&format!("/api/v1/assets/{id}")).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.json);
    assert!(
        refused.json.to_string().contains("Depot Yard"),
        "{}",
        refused.json
    );

    // The export computes a grid reference for an asset that has none as published.
    let csv = app.get("/exports/transparency.csv").await;
    let text = String::from_utf8(csv.bytes).unwrap();
    let line = text.lines().find(|l| l.contains("OAK-1")).unwrap();
    assert!(
        line.starts_with("Oakfield Tenants Association,,000123,OAK-1,Oakfield Depot,2,Oakfield Walk,Millbrook,OL4 2QB,"),
        "{line}"
    );
    assert!(line.ends_with(",Freehold,Vacant,Depot"), "{line}");
}

both_dbs!(the_demo_register_shows_assets_in_full, demo);
async fn the_demo_register_shows_assets_in_full(app: &TestApp) {
    let hall = one_asset(app, "Millbrook Town Hall").await;
    let page = app.get(&format!("/assets/{}", hall.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = String::from_utf8(page.bytes).unwrap();
    for want in [
        "Assembly Hall",
        "£412,000",
        "Occupied by the owner",
        "3400 m²",
    ] {
        assert!(
            html.contains(want),
            "{want} missing from the town hall's page"
        );
    }
    let depot = one_asset(app, "Former Brookside Highways Depot").await;
    let page = app.get(&format!("/assets/{}", depot.id)).await;
    let html = String::from_utf8(page.bytes).unwrap();
    assert!(html.contains("Expressions of interest close on 31 March 2027"));
}
