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

/// What an asset offers a space search: its own capacity and facilities, or its spaces'.
fn asset_offers(asset: &Value, spaces: &[Value], n: i64, facility: &str) -> bool {
    let mine: Vec<&Value> = spaces
        .iter()
        .filter(|s| s["asset_id"] == asset["id"])
        .collect();
    let holds_n = holds(asset, n) || mine.iter().any(|s| holds(s, n));
    let has_it = has(asset, facility) || mine.iter().any(|s| has(s, facility));
    holds_n && has_it
}

both_dbs!(
    spaces_and_assets_come_back_together_by_capacity_facility_and_distance,
    demo
);
async fn spaces_and_assets_come_back_together_by_capacity_facility_and_distance(app: &TestApp) {
    let register = register();
    let spaces = register["spaces"].as_array().unwrap().clone();
    let assets = register["assets"].as_array().unwrap().clone();
    let expected_assets: BTreeSet<String> = assets
        .iter()
        .filter(|a| asset_offers(a, &spaces, 30, "kitchen"))
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect();
    // Assets match through their spaces alone (no figures of their own) as well as their own.
    let own_figures = |id: &String| {
        let a = assets.iter().find(|a| a["id"] == id.as_str()).unwrap();
        !a["capacity"].is_null()
    };
    assert!(expected_assets.iter().any(own_figures));
    assert!(!expected_assets.iter().all(own_figures));
    let expected_spaces = spaces_where(|s| holds(s, 30) && has(s, "kitchen"));
    let r = search(
        app,
        "kind=space&kind=asset&capacity=30&facility=kitchen&per_page=200",
    )
    .await;
    let mut expected = expected_assets.clone();
    expected.extend(expected_spaces.iter().cloned());
    assert_eq!(ids(&r), expected);

    // Near a point: the same, within the radius, nearest first, both kinds present.
    let town_hall = assets
        .iter()
        .find(|a| a["name"] == "Millbrook Town Hall")
        .unwrap();
    let (lat, lon) = (
        town_hall["latitude"].as_f64().unwrap(),
        town_hall["longitude"].as_f64().unwrap(),
    );
    let r = search(
        app,
        &format!(
            "kind=space&kind=asset&capacity=30&facility=kitchen&near={lat},{lon}&radius=3000&sort=distance&per_page=200"
        ),
    )
    .await;
    let items = r["items"].as_array().unwrap();
    let kinds: BTreeSet<&str> = items.iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, BTreeSet::from(["asset", "space"]), "{r}");
    let mut last = 0.0;
    for item in items {
        assert!(expected.contains(item["id"].as_str().unwrap()), "{item}");
        let d = item["distance_m"].as_f64().unwrap();
        assert!(d <= 3000.0 && d >= last, "{item}");
        last = d;
    }
    // The town hall itself (300, with a kitchen) and how to ask for it.
    let hall = items
        .iter()
        .find(|i| i["id"] == town_hall["id"])
        .expect("the town hall is found");
    assert_eq!(hall["capacity"], 300);
    assert_eq!(hall["how_to_ask"]["action"], "hire_enquiry");

    // An asset offered for community asset transfer says so.
    let offered = assets
        .iter()
        .find(|a| a["community_use"] == "offered_for_transfer")
        .unwrap();
    let r = search(app, "kind=asset&per_page=200").await;
    let item = r["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == offered["id"])
        .unwrap();
    assert_eq!(item["how_to_ask"]["action"], "expression_of_interest");
    assert_eq!(
        item["how_to_ask"]["url"],
        format!("/assets/{}/interest", offered["id"].as_str().unwrap())
    );
}

both_dbs!(an_asset_follows_its_spaces, demo);
async fn an_asset_follows_its_spaces(app: &TestApp) {
    // A space joins an asset with no figures of its own: the asset now matches through it.
    let register = register();
    let depot = register["assets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Former Brookside Highways Depot")
        .unwrap()
        .clone();
    let depot_id = depot["id"].as_str().unwrap();
    let found = |r: &Value| {
        r["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == depot_id)
    };
    assert!(!found(
        &search(app, "kind=asset&facility=piano&per_page=200").await
    ));
    let space = register["spaces"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "St Aidan's Main Hall")
        .unwrap()
        .clone();
    let uri = format!("/api/v1/spaces/{}", space["id"].as_str().unwrap());
    let r = app
        .edit(&uri, |s| s["asset_id"] = depot["id"].clone())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert!(
        app.eventually(|| async {
            found(&search(app, "kind=asset&facility=piano&capacity=150&per_page=200").await)
        })
        .await,
        "the depot matches through its new space"
    );
    // The space moves away again: the depot no longer matches.
    let r = app.edit(&uri, |s| s["asset_id"] = Value::Null).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert!(
        app.eventually(|| async {
            !found(&search(app, "kind=asset&facility=piano&per_page=200").await)
        })
        .await,
        "the depot no longer matches once the space has left it"
    );
}
