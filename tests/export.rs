//! The HSDS 3.0 tabular datapackage at `/api/v1/export/datapackage.zip` over the demo register,
//! on SQLite and PostgreSQL: every CSV is described in datapackage.json with the fields of its
//! header, the row counts are the published records', a row has the ORUK API's values, and
//! nothing private is in it.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly by design

mod common;

use std::collections::HashMap;
use std::io::{Cursor, Read};

use axum::http::StatusCode;
use common::TestApp;
use serde_json::Value;

/// Each file of the zip by name.
fn unzip(bytes: &[u8]) -> HashMap<String, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut files = HashMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut text = String::new();
        file.read_to_string(&mut text).unwrap();
        files.insert(file.name().unwrap().into_owned(), text);
    }
    files
}

/// A CSV's header and rows, each row as column → value.
fn table(text: &str) -> (Vec<String>, Vec<HashMap<String, String>>) {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_owned))
                .collect()
        })
        .collect();
    (header, rows)
}

async fn total(app: &TestApp, uri: &str, field: &str) -> usize {
    let r = app.get(uri).await;
    assert_eq!(r.status, StatusCode::OK, "{uri}");
    r.json[field].as_u64().unwrap() as usize
}

async fn export(app: &TestApp) -> HashMap<String, String> {
    let r = app.get("/api/v1/export/datapackage.zip").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "application/zip");
    unzip(&r.bytes)
}

both_dbs!(
    the_datapackage_describes_its_csvs_and_counts_published_records,
    demo
);
async fn the_datapackage_describes_its_csvs_and_counts_published_records(app: &TestApp) {
    let files = export(app).await;
    let package: Value = serde_json::from_str(&files["datapackage.json"]).unwrap();
    assert_eq!(package["profile"], "tabular-data-package");
    assert_eq!(
        package["licenses"][0]["path"],
        junction::config::DEFAULT_DATA_LICENCE
    );
    let resources = package["resources"].as_array().unwrap();
    assert_eq!(files.len(), resources.len() + 1, "one CSV per resource");
    let mut counts = HashMap::new();
    for resource in resources {
        let path = resource["path"].as_str().unwrap();
        let (header, rows) = table(files.get(path).unwrap_or_else(|| panic!("{path} in zip")));
        let fields: Vec<&str> = resource["schema"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(header, fields, "{path}: header = schema fields");
        // The same columns, in the same order, as the HSDS example's CSV (record_licences.csv
        // is Junction's own).
        if path != "record_licences.csv" {
            let example = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/standards/hsds/3.0/examples/csv")
                .join(path);
            let example = std::fs::read_to_string(example).unwrap();
            assert_eq!(header, table(&example).0, "{path}: the example's columns");
        }
        let mut ids: Vec<&String> = rows.iter().map(|r| &r["id"]).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), rows.len(), "{path}: ids are unique");
        counts.insert(path.to_owned(), rows.len());
    }
    assert_eq!(
        counts["services.csv"],
        total(app, "/oruk/services", "total_items").await
    );
    assert_eq!(
        counts["service_at_location.csv"],
        total(app, "/oruk/service_at_locations", "total_items").await
    );
    assert_eq!(
        counts["taxonomy_terms.csv"],
        total(app, "/oruk/taxonomy_terms", "total_items").await
    );
    assert_eq!(
        counts["organizations.csv"],
        total(app, "/api/v1/organisations", "total").await
    );
    assert_eq!(
        counts["locations.csv"],
        total(app, "/api/v1/locations", "total").await
    );
    assert!(counts["services.csv"] > 100);
    for path in [
        "addresses.csv",
        "phones.csv",
        "schedules.csv",
        "attributes.csv",
    ] {
        assert!(counts[path] > 0, "{path} has rows");
    }
}

/// The CSV text of a JSON value, as the export writes it.
fn cell(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

both_dbs!(a_row_has_the_oruk_apis_values, demo);
async fn a_row_has_the_oruk_apis_values(app: &TestApp) {
    let files = export(app).await;
    let (_, services) = table(&files["services.csv"]);
    let (_, schedules) = table(&files["schedules.csv"]);
    let (_, addresses) = table(&files["addresses.csv"]);
    let mut checked_schedule = false;
    for row in services.iter().step_by(17) {
        let id = &row["id"];
        let oruk = app.get(&format!("/oruk/services/{id}")).await.json;
        for (column, value) in row {
            assert_eq!(value, &cell(oruk.get(column)), "service {id}: {column}");
        }
        for s in oruk["schedules"].as_array().into_iter().flatten() {
            let exported = schedules
                .iter()
                .find(|r| r["id"] == s["id"].as_str().unwrap())
                .expect("schedule exported");
            for (column, value) in exported {
                assert_eq!(value, &cell(s.get(column)), "schedule of {id}: {column}");
            }
            checked_schedule = true;
        }
        for sal in oruk["service_at_locations"]
            .as_array()
            .into_iter()
            .flatten()
        {
            for a in sal["location"]["addresses"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let exported = addresses
                    .iter()
                    .find(|r| r["id"] == a["id"].as_str().unwrap())
                    .expect("address exported");
                assert_eq!(exported["address_1"], cell(a.get("address_1")));
                assert_eq!(exported["postal_code"], cell(a.get("postal_code")));
            }
        }
    }
    assert!(checked_schedule);
}

both_dbs!(private_data_never_reaches_the_export, demo);
async fn private_data_never_reaches_the_export(app: &TestApp) {
    let register: Value = serde_json::from_str(include_str!("../data/demo/register.json")).unwrap();
    let files = export(app).await;
    let all: String = files.values().cloned().collect();
    let (_, locations) = table(&files["locations.csv"]);
    let mut hidden = 0;
    for l in register["locations"].as_array().unwrap() {
        if l["hide_address"] != true {
            continue;
        }
        hidden += 1;
        for field in ["address_1", "postcode"] {
            let v = l[field].as_str().unwrap();
            assert!(!all.contains(v), "hidden {field} {v} exported");
        }
        let id = l["id"].as_str().unwrap();
        let row = locations.iter().find(|r| r["id"] == id).expect("listed");
        let public = app.get(&format!("/api/v1/locations/{id}")).await.json;
        assert_eq!(row["latitude"], cell(public.get("latitude")), "coarsened");
        assert_ne!(row["latitude"], cell(l.get("latitude")));
    }
    assert!(hidden > 0);
    common::assert_no_contact_people(&register, &all);
}

both_dbs!(drafts_are_left_out, demo);
async fn drafts_are_left_out(app: &TestApp) {
    let (_, _, service) = app.seed().await;
    let r = app
        .edit(&format!("/api/v1/services/{service}"), |s| {
            s["publication"] = "draft".into()
        })
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let files = export(app).await;
    assert!(!files["services.csv"].contains(&service));
    assert!(!files["service_at_location.csv"].contains(&service));
}
