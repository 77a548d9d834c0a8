//! Finding a space to use: capacity, facilities and price filters over the demo register's
//! spaces (and assets), checked against what `data/demo/register.json` itself says, and each
//! result saying how to ask to use it.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly by design

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::Value;

fn register() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/data/demo/register.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

async fn search(app: &TestApp, params: &str) -> Value {
    let r = app.get(&format!("/api/v1/search?{params}")).await;
    assert_eq!(r.status, StatusCode::OK, "{params}: {}", r.json);
    r.json
}

fn ids(r: &Value) -> BTreeSet<String> {
    r["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

/// The demo spaces for which `keep` holds, by id.
fn spaces_where(keep: impl Fn(&Value) -> bool) -> BTreeSet<String> {
    register()["spaces"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| keep(s))
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

fn holds(s: &Value, n: i64) -> bool {
    s["capacity"].as_i64().is_some_and(|c| c >= n)
}

fn has(s: &Value, facility: &str) -> bool {
    s["facilities"]
        .as_array()
        .is_some_and(|f| f.iter().any(|x| x == facility))
}

fn costs_at_most(s: &Value, pounds: f64) -> bool {
    s["free"].as_bool() == Some(true) || s["hourly_rate"].as_f64().is_some_and(|r| r <= pounds)
}

both_dbs!(capacity_facility_and_price_match_the_register, demo);
async fn capacity_facility_and_price_match_the_register(app: &TestApp) {
    let big_kitchens = spaces_where(|s| holds(s, 50) && has(s, "kitchen"));
    assert!(
        big_kitchens.len() >= 3,
        "the demo register has several halls for 50 with a kitchen"
    );
    let r = search(app, "kind=space&capacity=50&facility=kitchen&per_page=200").await;
    assert_eq!(ids(&r), big_kitchens);
    assert_eq!(r["total"], big_kitchens.len());
    for item in r["items"].as_array().unwrap() {
        assert!(item["capacity"].as_i64().unwrap() >= 50, "{item}");
        assert!(
            item["facilities"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f == "kitchen")
        );
    }

    // Free or cheap: free spaces, and those at most £15 an hour; spaces with no hourly rate
    // (priced by the match or the day) are left out rather than guessed.
    let cheap = spaces_where(|s| holds(s, 50) && has(s, "kitchen") && costs_at_most(s, 15.0));
    assert!(!cheap.is_empty() && cheap.len() < big_kitchens.len());
    let r = search(
        app,
        "kind=space&capacity=50&facility=kitchen&max_price=15&per_page=200",
    )
    .await;
    assert_eq!(ids(&r), cheap);

    // Several facilities: all of them.
    let staged = spaces_where(|s| has(s, "stage") && has(s, "piano") && has(s, "kitchen"));
    assert!(!staged.is_empty());
    let r = search(
        app,
        "kind=space&facility=stage,piano&facility=kitchen&per_page=200",
    )
    .await;
    assert_eq!(ids(&r), staged);

    // With words: "hall" and the filters together.
    let r = search(app, "q=hall&kind=space&capacity=100&per_page=200").await;
    assert!(r["total"].as_u64().unwrap() > 0);
    for item in r["items"].as_array().unwrap() {
        assert!(item["capacity"].as_i64().unwrap() >= 100, "{item}");
    }
}

both_dbs!(results_say_how_to_ask, demo);
async fn results_say_how_to_ask(app: &TestApp) {
    let r = search(app, "kind=space&per_page=200").await;
    let by_id: std::collections::BTreeMap<String, Value> = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["id"].as_str().unwrap().to_owned(), i.clone()))
        .collect();
    let spaces = register()["spaces"].as_array().unwrap().clone();
    assert_eq!(by_id.len(), spaces.len());
    for s in &spaces {
        let item = &by_id[s["id"].as_str().unwrap()];
        let ask = &item["how_to_ask"];
        match s["booking_url"].as_str() {
            Some(url) => {
                assert_eq!(ask["action"], "book", "{item}");
                assert_eq!(ask["url"], url);
            }
            None => assert_eq!(ask["action"], "hire_enquiry", "{item}"),
        }
        assert_eq!(item["hourly_rate"].as_f64(), s["hourly_rate"].as_f64());
    }
}

both_dbs!(bad_space_filters_are_named, demo);
async fn bad_space_filters_are_named(app: &TestApp) {
    for (params, field) in [
        ("capacity=0", "capacity"),
        ("capacity=lots", "capacity"),
        ("facility=jacuzzi", "facility"),
        ("max_price=-1", "max_price"),
        ("max_price=cheap", "max_price"),
    ] {
        let r = app.get(&format!("/api/v1/search?{params}")).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{params}");
        assert_eq!(r.code(), "invalid_parameter", "{params}");
        assert_eq!(r.field(), field, "{params}");
    }
    // The page shows the mistake against its filter.
    let r = app.get("/search?kind=space&capacity=0").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let page = String::from_utf8(r.bytes).unwrap();
    assert!(page.contains("href=\"#filter-capacity\""), "{page}");
}

both_dbs!(the_results_page_shows_space_filters_and_details, demo);
async fn the_results_page_shows_space_filters_and_details(app: &TestApp) {
    let r = app
        .get("/search?kind=space&capacity=50&facility=kitchen&max_price=15")
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let page = &String::from_utf8(r.bytes).unwrap();
    assert!(page.contains("id=\"filter-capacity\""));
    assert!(
        page.contains("Room for 50"),
        "the chosen filters are listed"
    );
    assert!(page.contains("Up to £15 an hour"));
    assert!(page.contains("Holds up to "));
    assert!(page.contains("Ask to hire it") || page.contains("Book online"));
    // Filters for spaces are not offered when looking for services.
    let r = app.get("/search?kind=service").await;
    assert!(
        !String::from_utf8(r.bytes)
            .unwrap()
            .contains("id=\"filter-capacity\"")
    );
}
