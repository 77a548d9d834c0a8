//! Geography with real open data: postcode files in every accepted layout, Oldham's ward
//! boundaries, locations placed in wards (hidden addresses by their public point only), the
//! geography API and `junction import` — on SQLite and PostgreSQL.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly by design

mod common;

use std::{path::Path, process::Command, time::Instant};

use axum::http::StatusCode;
use common::TestApp;
use junction::domain::Location;
use junction::domain::Record;
use junction::geo::{
    boundaries,
    boundary_import::{BoundaryImportReport, import_boundaries},
    haversine_m,
    postcode_import::{ImportReport, Layout, import_postcodes},
};
use serde_json::{Value, json};

macro_rules! data {
    ($file:literal) => {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/", $file)
    };
}

const OL: &str = data!("postcodes/codepoint_open_2014_ol_latlon.csv");
const ONSPD: &str = data!("postcodes/onspd_sample_AB1_postcodesio_seed.csv");
const OUTCODES: &str = data!("postcodes/outcode_centroids_gb_codepoint2014.csv");
const TRAFFORD: &str = data!("postcodes/trafford_postcodes_onspd_feb2025.csv");
const OLDHAM_WARDS: &str = data!("boundaries/wards2013_E08000004.geojson");
const GM_WARDS: &str = data!("boundaries/gm_wards_2023_generalised.geojson");

/// OL1 1AA as Code-Point Open places it: in St Mary's ward, Oldham.
const OL1_1AA: (f64, f64) = (-2.099826, 53.541494);
const ST_MARYS: &str = "E05000735";

async fn postcodes(app: &TestApp, path: &str) -> ImportReport {
    import_postcodes(&app.state.store, Path::new(path), &|_| {})
        .await
        .expect("import postcodes")
}

async fn oldham_wards(app: &TestApp) -> BoundaryImportReport {
    import_boundaries(
        &app.state.store,
        Path::new(OLDHAM_WARDS),
        "WD13CD",
        "WD13NM",
        "ward",
        &|_, _| {},
    )
    .await
    .expect("import wards")
}

async fn create_location(app: &TestApp, name: &str, (lon, lat): (f64, f64), hide: bool) -> String {
    let r = app
        .post(
            "/api/v1/locations",
            json!({"name": name, "address_1": "1 Union Street", "town": "Oldham",
                   "postcode": "OL1 1AA", "latitude": lat, "longitude": lon, "hide_address": hide}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    r.json["id"].as_str().unwrap().to_owned()
}

async fn wards_of(app: &TestApp, id: &str) -> Vec<String> {
    app.state
        .store
        .location_boundaries(id.parse().unwrap())
        .await
        .unwrap()
}

/// A postcode of the OL file with the ward Code-Point puts it in.
struct Sampled {
    postcode: String,
    ward: String,
    point: (f64, f64),
}

/// Every `step`th Oldham (E08000004) postcode in the OL file, in file order.
fn oldham_sample(step: usize) -> Vec<Sampled> {
    let mut reader = csv::Reader::from_path(OL).unwrap();
    reader
        .records()
        .map(Result::unwrap)
        .filter(|r| &r[8] == "E08000004")
        .step_by(step)
        .map(|r| Sampled {
            postcode: r[0].to_owned(),
            ward: r[9].to_owned(),
            point: (r[5].parse().unwrap(), r[4].parse().unwrap()),
        })
        .collect()
}

fn validator(doc: &Value, schema: &str) -> jsonschema::Validator {
    jsonschema::validator_for(&json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("#/components/schemas/{schema}"),
        "components": doc["components"],
    }))
    .expect("schema compiles")
}

fn assert_valid(doc: &Value, schema: &str, value: &Value) {
    let v = validator(doc, schema);
    let errors: Vec<String> = v.iter_errors(value).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{schema}: {errors:?}\n{value}");
}

both_dbs!(oldham_postcodes_wards_and_locations);
async fn oldham_postcodes_wards_and_locations(app: &TestApp) {
    let store = &app.state.store;

    // Code-Point Open: every row of the OL file has coordinates.
    let started = Instant::now();
    let report = postcodes(app, OL).await;
    eprintln!(
        "{:?}: imported {} OL postcodes in {:.2} s",
        app.backend,
        report.loaded,
        started.elapsed().as_secs_f64()
    );
    assert_eq!(report.layout, Layout::CodePointOpen);
    assert_eq!(report.loaded, 13_047);
    assert_eq!(
        (report.skipped_terminated, report.skipped_no_coordinates),
        (0, 0)
    );
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert_eq!(app.table_count("postcodes").await, 13_047);

    // Any spacing, any case, the same point.
    let a = store.postcode("ol11aa").await.unwrap().expect("OL1 1AA");
    let b = store.postcode(" OL1  1AA").await.unwrap().expect("OL1 1AA");
    assert_eq!(a, b);
    assert_eq!(a.postcode, "OL1 1AA");
    assert_eq!(a.lon_lat(), OL1_1AA);
    assert_eq!(a.ward_code.as_deref(), Some(ST_MARYS));
    assert_eq!(a.la_code.as_deref(), Some("E08000004"));
    // Seven-character Code-Point postcodes ("OL101AA") are normalised too.
    assert!(store.postcode("OL10 1AA").await.unwrap().is_some());

    // Through the API.
    let doc = app.get("/api/openapi.json").await.json;
    let r = app.get("/api/v1/postcodes/ol11aa").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.json,
        json!({"postcode": "OL1 1AA", "latitude": 53.541494, "longitude": -2.099826,
               "ward_code": ST_MARYS, "la_code": "E08000004"})
    );
    assert_valid(&doc, "PostcodePoint", &r.json);
    assert_eq!(app.get("/api/v1/postcodes/OL1%201AA").await.json, r.json);
    let r = app.get("/api/v1/postcodes/not-a-postcode").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!((r.code(), r.field()), ("invalid_postcode", "postcode"));
    assert_valid(&doc, "ErrorBody", &r.json);
    let r = app.get("/api/v1/postcodes/SW1A%201AA").await;
    assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "not_found"));

    // An outward code is the mean of its postcodes until centroids are loaded.
    let mean = store.outcode("ol1").await.unwrap().expect("OL1");
    assert!(haversine_m(mean, OL1_1AA) < 3_000.0, "{mean:?}");
    let report = postcodes(app, OUTCODES).await;
    assert_eq!(report.layout, Layout::OutcodeCentroids);
    assert_eq!((report.loaded, report.skipped_no_coordinates), (2_880, 2));
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert_eq!(
        store.outcode("OL1").await.unwrap(),
        Some((-2.106848, 53.549505))
    );
    assert_eq!(store.outcode("EN77").await.unwrap(), None);

    // A location that exists before the wards do is placed when they are imported.
    let early = create_location(app, "Union Street Centre", OL1_1AA, false).await;
    assert!(wards_of(app, &early).await.is_empty());
    let report = oldham_wards(app).await;
    assert_eq!((report.loaded, report.boundaries_total), (20, 20));
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    assert_eq!(report.locations_placed, 1);
    assert_eq!(wards_of(app, &early).await, [ST_MARYS]);

    // Code-Point's own ward codes agree with the ward polygons for nearly every postcode
    // (the polygons are generalised, so a few points near an edge fall next door).
    let sample = oldham_sample(20);
    assert!(sample.len() >= 200, "{}", sample.len());
    let mut misses = Vec::new();
    for Sampled { postcode, ward, .. } in &sample {
        let p = store.postcode(postcode).await.unwrap().expect("loaded");
        let found = boundaries::read(&app.state.boundaries).codes_at(p.longitude, p.latitude);
        if !found.contains(ward) {
            misses.push(format!(
                "{postcode} {:?}: file {ward}, polygons {found:?}",
                p.lon_lat()
            ));
        }
    }
    eprintln!(
        "{} of {} sampled postcodes outside their ward polygon: {misses:#?}",
        misses.len(),
        sample.len()
    );
    assert!(misses.len() * 100 <= sample.len() * 3, "{misses:#?}");

    // A location created through the API is placed at once, in its write transaction.
    let union_street = create_location(app, "Union Street Hall", OL1_1AA, false).await;
    assert_eq!(wards_of(app, &union_street).await, [ST_MARYS]);
    // ...and moved when its point moves.
    let url = format!("/api/v1/locations/{union_street}");
    let mut body = app.get_auth(&url).await.json;
    let coldhurst = store.postcode("OL1 1AD").await.unwrap().unwrap();
    body["latitude"] = json!(coldhurst.latitude);
    body["longitude"] = json!(coldhurst.longitude);
    let r = app.put(&url, body, Some("\"1\"")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(wards_of(app, &union_street).await, ["E05000723"]);

    // A hidden address is placed by its published, coarsened point, never its true one:
    // find a postcode whose coarsened point lies in another ward than the true point.
    let (true_point, public_ward) = {
        let index = boundaries::read(&app.state.boundaries);
        sample
            .iter()
            .find_map(
                |Sampled {
                     postcode,
                     ward,
                     point,
                 }| {
                    let mut loc: Location = serde_json::from_value(json!({
                    "name": "x", "address_1": "x", "town": "x", "postcode": postcode,
                    "latitude": point.1, "longitude": point.0, "hide_address": true}))
                    .unwrap();
                    loc.make_public();
                    let exact = index.codes_at(point.0, point.1);
                    let coarse = index.codes_at(loc.longitude, loc.latitude);
                    (exact == [ward.clone()] && coarse.len() == 1 && coarse != exact)
                        .then(|| (*point, coarse[0].clone()))
                },
            )
            .expect("a postcode whose coarse point is in another ward")
    };
    let refuge = create_location(app, "Safe house", true_point, true).await;
    assert_eq!(
        wards_of(app, &refuge).await,
        std::slice::from_ref(&public_ward)
    );

    // The boundaries API.
    let r = app.get("/api/v1/boundaries").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["total"], 20);
    assert_valid(&doc, "BoundaryList", &r.json);
    let st_marys = r.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["code"] == ST_MARYS)
        .expect("St Mary's listed");
    assert_eq!(st_marys["name"], "St Mary's");
    assert_eq!(st_marys["type"], "ward");
    let bbox: Vec<f64> = serde_json::from_value(st_marys["bbox"].clone()).unwrap();
    assert!(
        bbox[0] < OL1_1AA.0 && OL1_1AA.0 < bbox[2] && bbox[1] < OL1_1AA.1 && OL1_1AA.1 < bbox[3]
    );
    assert_eq!(
        app.get("/api/v1/boundaries?type=ward").await.json["total"],
        20
    );
    assert_eq!(
        app.get("/api/v1/boundaries?type=county").await.json["total"],
        0
    );
    let r = app.get(&format!("/api/v1/boundaries/{ST_MARYS}")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "application/geo+json");
    assert_eq!(r.json["type"], "Feature");
    assert_eq!(r.json["geometry"]["type"], "Polygon");
    assert_eq!(
        r.json["properties"],
        json!({"code": ST_MARYS, "name": "St Mary's", "type": "ward"})
    );
    assert_valid(&doc, "BoundaryFeature", &r.json);
    let r = app.get("/api/v1/boundaries/E05999999").await;
    assert_eq!((r.status, r.code()), (StatusCode::NOT_FOUND, "not_found"));

    // Names for "in St Mary's" searches.
    {
        let index = boundaries::read(&app.state.boundaries);
        let found: Vec<&str> = index
            .find_by_name("st marys")
            .iter()
            .map(|b| b.code.as_str())
            .collect();
        assert_eq!(found, [ST_MARYS]);
        let suggested: Vec<&str> = index
            .suggest("saddleworth")
            .iter()
            .map(|b| b.name.as_str())
            .collect();
        assert_eq!(
            suggested,
            [
                "Saddleworth North",
                "Saddleworth South",
                "Saddleworth West and Lees"
            ]
        );
    }

    // Re-importing changes nothing, and every location keeps its wards.
    let before = app.table_count("location_boundaries").await;
    assert_eq!(before, 3);
    assert_eq!(postcodes(app, OL).await.loaded, 13_047);
    assert_eq!(app.table_count("postcodes").await, 13_047);
    assert_eq!(store.postcode("OL1 1AA").await.unwrap(), Some(a));
    let again = oldham_wards(app).await;
    assert_eq!((again.loaded, again.boundaries_total), (20, 20));
    assert_eq!(app.table_count("boundaries").await, 20);
    assert_eq!(app.table_count("location_boundaries").await, before);
    assert_eq!(wards_of(app, &early).await, [ST_MARYS]);
    assert_eq!(wards_of(app, &union_street).await, ["E05000723"]);
    assert_eq!(wards_of(app, &refuge).await, [public_ward]);

    // Deleting a location removes its rows.
    assert_eq!(app.delete(&url).await.status, StatusCode::NO_CONTENT);
    assert_eq!(app.table_count("location_boundaries").await, before - 1);
}

both_dbs!(onspd_files_skip_terminated_postcodes);
async fn onspd_files_skip_terminated_postcodes(app: &TestApp) {
    let store = &app.state.store;
    let report = postcodes(app, ONSPD).await;
    assert_eq!(report.layout, Layout::Onspd);
    // 8,048 rows: 3,811 terminated, JE2 4WD without a grid reference, the rest live.
    assert_eq!(report.skipped_terminated, 3_811);
    assert_eq!(report.skipped_no_coordinates, 1);
    assert_eq!(report.loaded, 4_236);
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    let p = store
        .postcode("m11ad")
        .await
        .unwrap()
        .expect("live postcode");
    assert_eq!(p.lon_lat(), (-2.244866, 53.483784));
    assert_eq!(
        (p.ward_code.as_deref(), p.la_code.as_deref()),
        (Some("E05011361"), Some("E08000003"))
    );
    assert_eq!(store.postcode("AB1 0AA").await.unwrap(), None, "terminated");
    assert_eq!(store.postcode("JE2 4WD").await.unwrap(), None, "no point");

    // The Trafford extract: postcode, ward_code, …, la_code, …, lon, lat.
    let report = postcodes(app, TRAFFORD).await;
    assert_eq!(report.layout, Layout::OnspdExtract);
    assert_eq!(report.loaded, 11_264);
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    let p = store.postcode("M15 4AB").await.unwrap().expect("Trafford");
    assert_eq!(p.lon_lat(), (-2.26046, 53.465578));
    assert_eq!(p.ward_code.as_deref(), Some("E05015247"));
    assert_eq!(p.la_code.as_deref(), Some("E08000009"));
    assert_eq!(app.table_count("postcodes").await, 4_236 + 11_264);
}

both_dbs!(bad_rows_and_features_are_reported_and_the_rest_load);
async fn bad_rows_and_features_are_reported_and_the_rest_load(app: &TestApp) {
    let store = &app.state.store;
    let dir = app.dir.path();

    let csv = dir.join("postcodes.csv");
    std::fs::write(
        &csv,
        "postcode,positional_quality,eastings,northings,latitude,longitude,country_code,admin_county_code,admin_district_code,admin_ward_code\n\
         OL1 1AA,10,393482,404988,53.541494,-2.099826,E92000001,,E08000004,E05000735\n\
         OL1 XXX,10,393482,404988,53.541494,-2.099826,E92000001,,E08000004,E05000735\n\
         OL1 1AD,10,392764,404929,north,-2.110659,E92000001,,E08000004,E05000723\n\
         OL1 1AE,10,393482\n\
         OL1 1AF,90,,,,,E92000001,,E08000004,E05000735\n\
         OL1 1AG,10,0,0,404988,393482,E92000001,,E08000004,E05000735\n",
    )
    .unwrap();
    let report = postcodes(app, csv.to_str().unwrap()).await;
    assert_eq!((report.loaded, report.skipped_no_coordinates), (1, 1));
    let lines: Vec<u64> = report.rejected.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [3, 4, 5, 7], "{:?}", report.rejected);
    assert!(
        report.rejected[0]
            .1
            .contains("'OL1 XXX' is not a UK postcode")
    );
    assert!(report.rejected[1].1.contains("north"));
    assert!(report.rejected[3].1.contains("not a WGS84 point"));

    let unknown = dir.join("assets.csv");
    std::fs::write(&unknown, "name,address,town\nHall,1 Road,Oldham\n").unwrap();
    let err = import_postcodes(store, &unknown, &|_| {})
        .await
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("name,address,town") && err.contains("Code-Point") && err.contains("ONSPD"),
        "{err}"
    );

    // GeoJSON: each feature stands or falls on its own.
    let square = |x: f64, y: f64| {
        json!([[
            [x, y],
            [x + 0.01, y],
            [x + 0.01, y + 0.01],
            [x, y + 0.01],
            [x, y]
        ]])
    };
    let file = json!({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"code": "X1", "name": "Good"}, "geometry": {"type": "Polygon", "coordinates": square(-2.1, 53.5)}},
        {"type": "Feature", "properties": {"code": "X2", "name": "A point"}, "geometry": {"type": "Point", "coordinates": [-2.1, 53.5]}},
        {"type": "Feature", "properties": {"name": "No code", "other": 1}, "geometry": {"type": "Polygon", "coordinates": square(-2.0, 53.5)}},
        {"type": "Feature", "properties": {"code": "X4", "name": "Grid"}, "geometry": {"type": "Polygon", "coordinates": [[[393482.0, 404988.0], [393582.0, 404988.0], [393582.0, 405088.0], [393482.0, 404988.0]]]}},
        {"type": "Feature", "properties": {"code": "X1", "name": "Duplicate"}, "geometry": {"type": "Polygon", "coordinates": square(-2.3, 53.5)}},
        {"type": "Feature", "properties": {"code": "X6", "name": "Nothing"}, "geometry": null},
        "not a feature",
        {"type": "Feature", "properties": {"code": "X8", "name": "Two parts"}, "geometry": {"type": "MultiPolygon", "coordinates": [square(-2.5, 53.5), square(-2.4, 53.5)]}}
    ]});
    let path = dir.join("areas.geojson");
    std::fs::write(&path, file.to_string()).unwrap();
    let report = import_boundaries(store, &path, "code", "name", "neighbourhood", &|_, _| {})
        .await
        .unwrap();
    assert_eq!(report.loaded, 2);
    let rejected: Vec<usize> = report.rejected.iter().map(|(i, _)| *i).collect();
    assert_eq!(rejected, [1, 2, 3, 4, 5, 6], "{:?}", report.rejected);
    let reason = |i: usize| report.rejected[i].1.as_str();
    assert!(reason(0).contains("Point"), "{}", reason(0));
    assert!(
        reason(1).contains("no property 'code'") && reason(1).contains("other"),
        "{}",
        reason(1)
    );
    assert!(reason(2).contains("WGS84"), "{}", reason(2));
    assert!(
        reason(3).contains("already used by feature 0"),
        "{}",
        reason(3)
    );
    assert!(reason(4).contains("no geometry"), "{}", reason(4));
    assert!(reason(5).contains("not a GeoJSON Feature"), "{}", reason(5));
    {
        let index = boundaries::read(&app.state.boundaries);
        assert_eq!(index.len(), 2);
        assert_eq!(index.codes_at(-2.395, 53.505), ["X8"]);
        assert_eq!(
            index.get("X1").map(|b| b.boundary_type.as_str()),
            Some("neighbourhood")
        );
    }

    // Files that are not WGS84 FeatureCollections are refused whole.
    let bng = dir.join("bng.geojson");
    std::fs::write(&bng, json!({"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}, "features": []}).to_string()).unwrap();
    let err = import_boundaries(store, &bng, "code", "name", "ward", &|_, _| {})
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("27700"), "{err:#}");
    let err = import_boundaries(store, Path::new(ONSPD), "code", "name", "ward", &|_, _| {})
        .await
        .unwrap_err();
    assert!(format!("{err:#}").contains("not JSON"), "{err:#}");
}

both_dbs!(demo_postcodes_resolve_except_hidden_ones, demo);
async fn demo_postcodes_resolve_except_hidden_ones(app: &TestApp) {
    let r = app.get("/api/v1/postcodes/OL1%201HT").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["latitude"], 53.539051);
    // A hidden address's postcode would give its exact point away.
    assert_eq!(
        app.get("/api/v1/postcodes/OL2%206HH").await.status,
        StatusCode::NOT_FOUND
    );
    // Imported data replaces demo points.
    let file = app.dir.path().join("ol1.csv");
    std::fs::write(&file, "postcode,lon,lat\nOL1 1HT,-2.1075,53.5391\n").unwrap();
    assert_eq!(postcodes(app, file.to_str().unwrap()).await.loaded, 1);
    let p = app.state.store.postcode("OL1 1HT").await.unwrap().unwrap();
    assert_eq!(p.lon_lat(), (-2.1075, 53.5391));
}

fn junction(data_dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_junction"))
        .args(args)
        .env("JUNCTION_DATA_DIR", data_dir)
        .env_remove("DATABASE_URL")
        .env("JUNCTION_LOG", "warn")
        .output()
        .expect("run junction");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_import_command_prints_what_it_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();

    let (ok, out, err) = junction(dir, &["import", "postcodes", ONSPD]);
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("ONS Postcode Directory"), "{out}");
    assert!(
        out.contains("loaded:                   4236 postcodes"),
        "{out}"
    );
    assert!(out.contains("skipped (terminated):     3811"), "{out}");
    assert!(out.contains("skipped (no coordinates): 1"), "{out}");
    assert!(out.contains("rejected:                 0"), "{out}");

    let (ok, out, _) = junction(dir, &["import", "postcodes", OUTCODES]);
    assert!(
        ok && out.contains("loaded:                   2880 outward codes"),
        "{out}"
    );

    let wards = [
        "import",
        "boundaries",
        OLDHAM_WARDS,
        "--code-property",
        "WD13CD",
        "--name-property",
        "WD13NM",
    ];
    let (ok, out, err) = junction(dir, &wards);
    assert!(ok, "{out}\n{err}");
    assert!(
        out.contains("loaded:                   20 boundaries (type ward)"),
        "{out}"
    );

    // A wrong property name: every feature is rejected, the first 20 are listed, and the
    // command still succeeds (the file itself was fine).
    let (ok, out, err) = junction(
        dir,
        &[
            "import",
            "boundaries",
            GM_WARDS,
            "--code-property",
            "WD13CD",
            "--name-property",
            "area_name",
            "--type",
            "ward",
        ],
    );
    assert!(ok, "{out}\n{err}");
    assert!(out.contains("rejected:                 215"), "{out}");
    assert_eq!(out.matches("no property 'WD13CD'").count(), 20, "{out}");
    assert!(out.contains("… and 195 more"), "{out}");
    assert!(out.contains("boundaries now known:     20"), "{out}");

    // Unreadable or unrecognised files fail.
    let (ok, _, err) = junction(dir, &["import", "postcodes", "/no/such/file.csv"]);
    assert!(
        !ok && err.contains("cannot read /no/such/file.csv"),
        "{err}"
    );
    let assets = data!("land-assets/cheltenham_land_and_assets_2023.csv");
    let (ok, _, err) = junction(dir, &["import", "postcodes", assets]);
    assert!(!ok && err.contains("Accepted layouts"), "{err}");
}
