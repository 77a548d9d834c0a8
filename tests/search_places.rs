//! Search by real places: after importing Oldham's postcodes and wards from ../shared/data,
//! `near=<postcode>` and `within=<ward>` return exactly the records they should.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly by design

mod common;

use std::{collections::BTreeSet, path::PathBuf};

use axum::http::StatusCode;
use common::TestApp;
use junction::geo::{
    boundary_import::import_boundaries, haversine_m, postcode_import::import_postcodes,
};
use serde_json::{Value, json};

fn shared(file: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/")).join(file)
}

async fn search(app: &TestApp, params: &str) -> Value {
    let r = app.get(&format!("/api/v1/search?{params}")).await;
    assert_eq!(r.status, StatusCode::OK, "{params}: {}", r.json);
    r.json
}

fn points(r: &Value) -> Vec<(String, f64, f64)> {
    r["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| {
            Some((
                i["id"].as_str()?.to_owned(),
                i["point"][0].as_f64()?,
                i["point"][1].as_f64()?,
            ))
        })
        .collect()
}

/// Loads Oldham's postcodes and 2013 wards from ../shared/data.
async fn import_oldham(app: &TestApp) {
    let store = &app.state.store;
    import_postcodes(
        store,
        &shared("postcodes/codepoint_open_2014_ol_latlon.csv"),
        &|_| {},
    )
    .await
    .unwrap();
    import_boundaries(
        store,
        &shared("boundaries/wards2013_E08000004.geojson"),
        "WD13CD",
        "WD13NM",
        "ward",
        &|_, _| {},
    )
    .await
    .unwrap();
}

both_dbs!(near_a_postcode_and_within_a_ward, demo);
async fn near_a_postcode_and_within_a_ward(app: &TestApp) {
    import_oldham(app).await;

    // OL1 1AA is a real postcode now: only records within 2 km, nearest first.
    let r = search(
        app,
        "near=OL1%201AA&radius=2000&sort=distance&remote=false&per_page=200",
    )
    .await;
    assert!(
        r["notices"].as_array().unwrap().is_empty(),
        "{}",
        r["notices"]
    );
    let ol1 = (-2.099826, 53.541494);
    let found = points(&r);
    assert!(!found.is_empty());
    let mut last = 0.0;
    for (id, lon, lat) in &found {
        let d = haversine_m(ol1, (*lon, *lat));
        assert!(d <= 2000.5, "{id} is {d} m away");
        assert!(d + 1.0 >= last, "not nearest first");
        last = d;
    }
    // Brute force over everything with a point (each item's point is then its point nearest
    // to OL1 1AA): the same set.
    let mut all = Vec::new();
    for page in 1..=3 {
        all.extend(points(
            &search(
                app,
                &format!("near=OL1%201AA&radius=100000&remote=false&per_page=200&page={page}"),
            )
            .await,
        ));
    }
    assert!(all.len() > 150, "{}", all.len());
    let expected: BTreeSet<&String> = all
        .iter()
        .filter(|(_, lon, lat)| haversine_m(ol1, (*lon, *lat)) <= 2000.0)
        .map(|(id, _, _)| id)
        .collect();
    let got: BTreeSet<&String> = found.iter().map(|(id, _, _)| id).collect();
    assert_eq!(
        got.symmetric_difference(&expected).collect::<Vec<_>>(),
        Vec::<&&String>::new()
    );

    // within= a ward: exactly the records whose public point lies in St Mary's. The import
    // re-places records through the change log, so poll until the index has caught up.
    let ward = {
        let index = junction::geo::boundaries::read(&app.state.boundaries);
        index.get("E05000735").cloned().expect("St Mary's ward")
    };
    let inside: BTreeSet<String> = all
        .iter()
        .filter(|(_, lon, lat)| ward.contains(*lon, *lat))
        .map(|(id, _, _)| id.clone())
        .collect();
    assert!(
        !inside.is_empty(),
        "the demo register has records in St Mary's"
    );
    assert!(
        app.eventually(|| async {
            let r = search(app, "within=E05000735&per_page=200").await;
            points(&r)
                .into_iter()
                .map(|(id, _, _)| id)
                .collect::<BTreeSet<_>>()
                == inside
        })
        .await,
        "within=E05000735 does not return exactly the records inside the ward"
    );
    // A ward's name works as a place, and a near-miss is answered with suggestions.
    assert!(
        search(app, "near=St%20Mary%27s&radius=1000").await["total"]
            .as_u64()
            .unwrap()
            > 0
    );
    let r = app.get("/api/v1/search?near=St%20Marys%20Ward").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("St Mary"),
        "{}",
        r.json
    );
    // An unknown boundary code is a 400 naming `within`.
    assert_eq!(
        app.get("/api/v1/search?within=E99999999").await.field(),
        "within"
    );
    // Gibberish is a 400 naming `near`.
    assert_eq!(
        app.get("/api/v1/search?near=%21%21%21").await.field(),
        "near"
    );
}

both_dbs!(service_areas_are_found_from_inside_them);
async fn service_areas_are_found_from_inside_them(app: &TestApp) {
    import_oldham(app).await;
    let org = app
        .post(
            "/api/v1/organisations",
            json!({"name": "Area Trust", "description": "Covers places"}),
        )
        .await
        .json["id"]
        .clone();
    // Covers the whole of St Mary's ward, with no site of its own.
    let ward_service = app
        .post(
            "/api/v1/services",
            json!({"name": "St Mary's Home Visits", "description": "carers visit you at home", "organisation_id": org,
                   "service_areas": [{"boundary_code": "e05000735", "name": "St Mary's ward"}]}),
        )
        .await;
    assert_eq!(
        ward_service.status,
        StatusCode::CREATED,
        "{}",
        ward_service.json
    );
    assert_eq!(
        ward_service.json["service_areas"][0]["boundary_code"],
        "E05000735"
    );
    // Covers a small square of its own around Oldham town centre.
    let square = json!({"type": "Polygon", "coordinates": [[[-2.12, 53.535], [-2.09, 53.535], [-2.09, 53.545], [-2.12, 53.545], [-2.12, 53.535]]]});
    let polygon_service = app
        .post(
            "/api/v1/services",
            json!({"name": "Centre Street Outreach", "description": "outreach workers walk the town centre", "organisation_id": org,
                   "service_areas": [{"extent": square}]}),
        )
        .await;
    assert_eq!(
        polygon_service.status,
        StatusCode::CREATED,
        "{}",
        polygon_service.json
    );

    // From OL1 1AA (inside both): found at distance 0, marked covers_area.
    let inside = app
        .eventually(|| async {
            search(app, "near=OL1%201AA&radius=500&q=visits%20").await["total"] == 1
        })
        .await;
    assert!(
        inside,
        "the ward-covering service is not found from inside the ward"
    );
    // The second service was written after the first: wait until the index has it too.
    let polygon_inside = app
        .eventually(|| async {
            search(app, "near=OL1%201AA&radius=500&q=outreach%20").await["total"] == 1
        })
        .await;
    assert!(
        polygon_inside,
        "the polygon-covering service is not found from inside its polygon"
    );
    let r = search(app, "near=OL1%201AA&radius=500&kind=service&per_page=200").await;
    for name in ["St Mary's Home Visits", "Centre Street Outreach"] {
        let item = r["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["name"] == name)
            .unwrap_or_else(|| panic!("{name} missing"));
        assert_eq!(item["covers_area"], true);
        assert_eq!(item["distance_m"], 0.0);
        assert!(
            item["remote"].is_null(),
            "a service with an area is not remote"
        );
    }
    // From far outside both (Saddleworth, OL3), neither is found.
    let far = search(app, "near=OL3%207AA&radius=2000&kind=service&per_page=200").await;
    assert!(
        far["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["name"] != "St Mary's Home Visits" && i["name"] != "Centre Street Outreach"),
        "{far}"
    );
    // within= the ward includes the service that covers it.
    assert!(search(app, "within=E05000735&q=visits%20").await["total"] == 1);

    // Bad areas are refused, naming the field.
    for (areas, field) in [
        (
            json!([{"boundary_code": "E99999999"}]),
            "service_areas[0].boundary_code",
        ),
        (json!([{"name": "nowhere"}]), "service_areas[0]"),
        (
            json!([{"extent": {"type": "Point", "coordinates": [-2.1, 53.5]}}]),
            "service_areas[0].extent",
        ),
        (
            json!([{"extent": {"type": "Polygon", "coordinates": [[[400000.0, 400000.0], [400100.0, 400000.0], [400100.0, 400100.0], [400000.0, 400000.0]]]}}]),
            "service_areas[0].extent",
        ),
    ] {
        let r = app.post("/api/v1/services", json!({"name": "Bad", "description": "bad", "organisation_id": org, "service_areas": areas})).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.json);
        assert_eq!(r.field(), field);
    }
}
