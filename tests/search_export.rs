//! `all=true` on `/api/v1/search.csv` and `/api/v1/search.geojson` over the demo register, on
//! SQLite and PostgreSQL: every match of the search exactly once, in the order the paged API
//! gives them across all its pages, with the same points (hidden addresses coarsened as there);
//! `all=true` with `page` is refused with a JSON error naming `all`; without `all` the formats
//! still return one page.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly by design

mod common;

use std::collections::HashSet;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::Value;

/// Every item of a search, walking the paged API: (id, point).
async fn paged(app: &TestApp, query: &str) -> (Vec<(String, Value)>, u64) {
    let mut items = Vec::new();
    let mut total = 0;
    for page in 1.. {
        let r = app
            .get(&format!("/api/v1/search?{query}&per_page=200&page={page}"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
        total = r.json["total"].as_u64().unwrap();
        let page_items = r.json["items"].as_array().unwrap();
        if page_items.is_empty() {
            break;
        }
        for i in page_items {
            items.push((i["id"].as_str().unwrap().to_owned(), i["point"].clone()));
        }
    }
    (items, total)
}

async fn a_search_exports_every_match_once(app: &TestApp) {
    let mut largest = 0;
    for query in [
        "",
        "kind=service",
        "q=advice",
        "near=OL1+1AA&radius=3000",
        "sort=name&kind=space,organisation",
    ] {
        let (want, total) = paged(app, query).await;
        assert_eq!(
            want.len() as u64,
            total,
            "{query}: the pages hold the total"
        );
        largest = largest.max(want.len());

        let r = app
            .get(&format!("/api/v1/search.csv?{query}&all=true"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{query}");
        assert!(
            r.headers["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/csv")
        );
        let mut reader = csv::Reader::from_reader(r.bytes.as_slice());
        assert_eq!(reader.headers().unwrap().get(1), Some("id"));
        let rows: Vec<(String, Value)> = reader
            .records()
            .map(|row| {
                let row = row.unwrap();
                let point = match (row.get(11).unwrap(), row.get(12).unwrap()) {
                    ("", "") => Value::Null,
                    (lon, lat) => serde_json::json!([
                        lon.parse::<f64>().unwrap(),
                        lat.parse::<f64>().unwrap()
                    ]),
                };
                (row.get(1).unwrap().to_owned(), point)
            })
            .collect();
        let unique: HashSet<&String> = rows.iter().map(|(id, _)| id).collect();
        assert_eq!(unique.len(), rows.len(), "{query}: each match once");
        assert_eq!(
            rows, want,
            "{query}: every match, in page order, same points"
        );

        let r = app
            .get(&format!("/api/v1/search.geojson?{query}&all=true"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{query}");
        assert_eq!(r.json["type"], "FeatureCollection", "{query}");
        assert_eq!(r.json["total"].as_u64(), Some(total), "{query}");
        let features: Vec<(String, Value)> = r.json["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["id"].as_str().unwrap().to_owned(),
                    f["geometry"]["coordinates"].clone(),
                )
            })
            .collect();
        let with_points: Vec<(String, Value)> =
            want.into_iter().filter(|(_, p)| !p.is_null()).collect();
        assert_eq!(features, with_points, "{query}: every match with a point");
    }
    assert!(largest > 200, "the demo register is more than one chunk");
}

async fn all_and_page_do_not_mix(app: &TestApp) {
    for uri in [
        "/api/v1/search.csv?all=true&page=2",
        "/api/v1/search.geojson?per_page=5&all=yes",
    ] {
        let r = app.get(uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(r.field(), "all", "{uri}");
    }
    let r = app.get("/api/v1/search.csv?all=maybe").await;
    assert_eq!(r.field(), "all");
    // Without `all`, one page as before.
    let r = app.get("/api/v1/search.csv?per_page=5").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        csv::Reader::from_reader(r.bytes.as_slice())
            .records()
            .count(),
        5
    );
    let r = app.get("/api/v1/search.geojson").await;
    assert!(r.json["features"].as_array().unwrap().len() <= 20);
}

async fn search_exports(app: &TestApp) {
    a_search_exports_every_match_once(app).await;
    all_and_page_do_not_mix(app).await;
}

both_dbs!(search_exports, demo);
