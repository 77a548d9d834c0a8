//! RPDE change feeds at `/feeds/{kind}` over the demo register, on SQLite and PostgreSQL:
//! walking to the empty last page sees every record exactly once at its latest state, changes
//! made after a walk show up on the next, deletions as `deleted` with no data, and nothing
//! private is published.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly by design

mod common;

use std::collections::HashMap;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::{Value, json};

/// Follows `next` from `start` to the last page; returns the items and the last page's URL.
async fn walk(app: &TestApp, start: &str) -> (Vec<Value>, String) {
    let base = app.state.config.public_url();
    let mut url = start.to_owned();
    let mut items = Vec::new();
    let mut last_modified = 0;
    for _ in 0..1000 {
        let r = app.get(&url).await;
        assert_eq!(r.status, StatusCode::OK, "{url}: {}", r.json);
        assert_eq!(r.headers["access-control-allow-origin"], "*");
        assert!(r.json["license"].as_str().unwrap().starts_with("https://"));
        let next = r.json["next"].as_str().unwrap();
        assert!(next.starts_with(&base), "next is absolute: {next}");
        let page = r.json["items"].as_array().unwrap();
        if page.is_empty() {
            assert_eq!(r.headers["cache-control"], "public, max-age=8");
            assert_eq!(
                next,
                format!("{base}{url}"),
                "the last page's next is its own URL"
            );
            return (items, url);
        }
        assert_eq!(r.headers["cache-control"], "public, max-age=3600");
        for item in page {
            let m = item["modified"].as_i64().unwrap();
            assert!(m > last_modified, "ordered by modified");
            last_modified = m;
            match item["state"].as_str().unwrap() {
                "updated" => assert!(item["data"].is_object()),
                "deleted" => assert!(item.get("data").is_none(), "{item}"),
                other => panic!("state {other}"),
            }
        }
        items.extend(page.iter().cloned());
        url = next.strip_prefix(&base).unwrap().to_owned();
    }
    panic!("no last page");
}

fn by_id(items: &[Value]) -> HashMap<String, Value> {
    let mut map = HashMap::new();
    for item in items {
        let id = item["id"].as_str().unwrap().to_owned();
        assert!(
            map.insert(id.clone(), item.clone()).is_none(),
            "{id} appears twice"
        );
    }
    map
}

both_dbs!(walking_the_service_feed_sees_every_service_once, demo);
async fn walking_the_service_feed_sees_every_service_once(app: &TestApp) {
    let services = app.get("/api/v1/services?per_page=200").await.json;
    let expected: Vec<String> = services["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect();
    assert!(expected.len() > 100);

    // Small pages so the walk crosses many of them.
    let (items, last_url) = walk(app, "/feeds/services?limit=25").await;
    let seen = by_id(&items);
    assert_eq!(seen.len(), expected.len());
    for id in &expected {
        let item = &seen[id];
        assert_eq!(item["state"], "updated");
        assert_eq!(item["kind"], "service");
        assert_eq!(item["data"]["id"], id.as_str());
        assert!(
            item["data"].get("contact_person").is_none(),
            "private data in the feed"
        );
    }

    // The last page again: still empty.
    let again = app.get(&last_url).await;
    assert_eq!(again.json["items"], json!([]));

    // Change one service and delete another: the next walk from where the last ended sees
    // exactly those two, once each, at their latest state.
    let (_, _, made) = app.seed().await;
    let edit_id = &expected[0];
    let current = app.get_auth(&format!("/api/v1/services/{edit_id}")).await;
    let mut body = current.json.clone();
    body["name"] = json!("Renamed for the feed test");
    let r = app
        .put(
            &format!("/api/v1/services/{edit_id}"),
            body,
            Some(&current.etag()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let r = app.delete(&format!("/api/v1/services/{made}")).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.json);

    let (more, _) = walk(app, &last_url).await;
    let more = by_id(&more);
    assert_eq!(more.len(), 2, "{more:?}");
    assert_eq!(more[edit_id]["data"]["name"], "Renamed for the feed test");
    assert_eq!(more[&made]["state"], "deleted");
    assert!(more[&made].get("data").is_none());

    // A fresh walk: the deleted service once, as deleted; every other service once.
    let (all, _) = walk(app, "/feeds/services").await;
    let all = by_id(&all);
    assert_eq!(all.len(), expected.len() + 1);
    assert_eq!(all[&made]["state"], "deleted");
}

both_dbs!(hidden_addresses_and_drafts_stay_private_in_feeds, demo);
async fn hidden_addresses_and_drafts_stay_private_in_feeds(app: &TestApp) {
    let register: Value = serde_json::from_str(include_str!("../data/demo/register.json")).unwrap();
    let (items, _) = walk(app, "/feeds/locations").await;
    let text = serde_json::to_string(&items).unwrap();
    for l in register["locations"].as_array().unwrap() {
        if l["hide_address"] == true {
            assert!(!text.contains(l["address_1"].as_str().unwrap()));
            assert!(!text.contains(l["postcode"].as_str().unwrap()));
        }
    }
    for kind in ["services", "spaces"] {
        let (items, _) = walk(app, &format!("/feeds/{kind}")).await;
        let text = serde_json::to_string(&items).unwrap();
        for r in register[kind].as_array().unwrap() {
            if let Some(name) = r["contact_person"]["name"].as_str() {
                assert!(!text.contains(name), "{name} in /feeds/{kind}");
            }
        }
    }
    for kind in ["organisations", "assets"] {
        let (items, _) = walk(app, &format!("/feeds/{kind}")).await;
        assert!(!items.is_empty(), "{kind}");
    }

    // A record made a draft leaves the public feed as deleted.
    let (_, _, svc) = app.seed().await;
    let current = app.get_auth(&format!("/api/v1/services/{svc}")).await;
    let mut body = current.json.clone();
    body["publication"] = json!("draft");
    let r = app
        .put(
            &format!("/api/v1/services/{svc}"),
            body,
            Some(&current.etag()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let (items, _) = walk(app, "/feeds/services").await;
    let item = &by_id(&items)[&svc];
    assert_eq!(item["state"], "deleted");

    // Bad cursors are refused with the parameter named; unknown feeds are 404.
    for (uri, field) in [
        ("/feeds/services?afterTimestamp=yesterday", "afterTimestamp"),
        ("/feeds/services?afterTimestamp=3&afterId=x", "afterId"),
        (
            "/feeds/services?afterId=6815fcf3-0759-4df8-94ab-fc5d80e3f041",
            "afterId",
        ),
        ("/feeds/services?limit=0", "limit"),
    ] {
        let r = app.get(uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert_eq!(r.field(), field, "{uri}");
    }
    let r = app.get("/feeds/tokens").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.code(), "not_found");
}
