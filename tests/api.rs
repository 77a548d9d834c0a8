//! The JSON API as a client uses it: reads, writes, concurrency control, validation,
//! private data and deletes — on SQLite and PostgreSQL.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly by design

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use serde_json::{Value, json};

both_dbs!(demo_register_is_listed_and_searchable, demo);
async fn demo_register_is_listed_and_searchable(app: &TestApp) {
    let r = app.get("/api/v1/services?per_page=5").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["items"].as_array().map(Vec::len), Some(5));
    assert!(
        r.json["total"].as_u64().unwrap_or(0) > 50,
        "{}",
        r.json["total"]
    );
    assert_eq!(r.json["per_page"], 5);

    // Every kind has demo records.
    for resource in [
        "organisations",
        "locations",
        "spaces",
        "assets",
        "taxonomy-terms",
    ] {
        let r = app.get(&format!("/api/v1/{resource}")).await;
        assert!(
            r.json["total"].as_u64().unwrap_or(0) > 0,
            "{resource}: {}",
            r.json
        );
    }

    // A word from a description finds the service (stemmed: "parcels" → "parcel").
    let r = app.get("/api/v1/services?q=parcel").await;
    assert_eq!(r.status, StatusCode::OK);
    let names: Vec<&str> = r.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["name"].as_str())
        .collect();
    assert!(!names.is_empty(), "no service found for 'parcel'");
    for item in r.json["items"].as_array().expect("items") {
        let text = format!("{} {}", item["name"], item["description"]).to_lowercase();
        assert!(text.contains("parcel"), "unrelated hit: {text}");
    }

    // Paging: page 2 differs from page 1 and totals agree.
    let p1 = app.get("/api/v1/services?per_page=10&page=1").await;
    let p2 = app.get("/api/v1/services?per_page=10&page=2").await;
    assert_eq!(p1.json["total"], p2.json["total"]);
    assert_ne!(p1.json["items"][0]["id"], p2.json["items"][0]["id"]);
}

both_dbs!(paging_parameters_are_checked);
async fn paging_parameters_are_checked(app: &TestApp) {
    let r = app.get("/api/v1/services?per_page=500").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.field(), "per_page");
    let r = app.get("/api/v1/services?page=0").await;
    assert_eq!(r.field(), "page");
    let r = app.get("/api/v1/services?per_page=200").await;
    assert_eq!(r.status, StatusCode::OK);
}

both_dbs!(create_update_delete_round_trip);
async fn create_update_delete_round_trip(app: &TestApp) {
    let (_org, _loc, svc) = app.seed().await;
    let uri = format!("/api/v1/services/{svc}");

    let got = app.get_auth(&uri).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.etag(), "\"1\"");
    assert_eq!(
        got.json["categories"].as_array().map(Vec::len),
        Some(1),
        "slug resolved to a term id"
    );

    // Edit the body a GET returned and send it back with its ETag.
    let mut edited = got.json.clone();
    edited["description"] =
        json!("Soup, tea and board games in a heated room, every winter afternoon");
    let put = app.put(&uri, edited.clone(), Some(&got.etag())).await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.json);
    assert_eq!(put.etag(), "\"2\"");
    assert_eq!(put.json["version"], 2);
    assert_eq!(
        put.json["created_at"], got.json["created_at"],
        "created_at is kept"
    );

    // A stale If-Match changes nothing.
    let mut stale = edited.clone();
    stale["name"] = json!("Overwritten");
    let r = app.put(&uri, stale.clone(), Some("\"1\"")).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(r.code(), "version_mismatch");
    let now = app.get_auth(&uri).await;
    assert_eq!(now.json["name"], "Oakfield Warm Welcome");
    assert_eq!(now.json["version"], 2);

    // No If-Match at all: 428.
    let r = app.put(&uri, stale, None).await;
    assert_eq!(r.status, StatusCode::PRECONDITION_REQUIRED);
    assert_eq!(r.code(), "if_match_required");

    // Delete, then it is gone.
    let r = app.delete(&uri).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(app.get_auth(&uri).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.delete(&uri).await.status, StatusCode::NOT_FOUND);

    // The history shows each write once, newest first, and survives the delete.
    let h = app.get_auth(&format!("{uri}/history")).await;
    assert_eq!(h.status, StatusCode::OK, "{}", h.json);
    let ops: Vec<&str> = h.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|c| c["op"].as_str())
        .collect();
    assert_eq!(ops, ["delete", "update", "create"]);
    assert_eq!(h.json["items"][2]["actor"], "token:test");
    // History needs a token.
    assert_eq!(
        app.get(&format!("{uri}/history")).await.status,
        StatusCode::UNAUTHORIZED
    );
}

both_dbs!(writes_need_a_valid_token);
async fn writes_need_a_valid_token(app: &TestApp) {
    let body = json!({"name": "No token", "description": "should not be created"});
    let r = app
        .request(
            Method::POST,
            "/api/v1/organisations",
            None,
            Some(&body),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.code(), "unauthorized");
    // Checked before the body: an invalid body without a token is still 401.
    let r = app
        .request(
            Method::POST,
            "/api/v1/organisations",
            None,
            Some(&json!({})),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let r = app
        .request(
            Method::POST,
            "/api/v1/organisations",
            Some("jct_0000"),
            Some(&body),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    // A bad token is refused on reads too, rather than silently treated as anonymous.
    let r = app
        .request(
            Method::GET,
            "/api/v1/organisations",
            Some("nonsense"),
            None,
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let list = app.get("/api/v1/organisations?q=token").await;
    assert_eq!(list.json["total"], 0);
}

both_dbs!(validation_errors_name_the_field);
async fn validation_errors_name_the_field(app: &TestApp) {
    let (org, loc, _svc) = app.seed().await;
    let location = json!({"name": "Hall", "address_1": "1 High Street", "town": "Millbrook", "postcode": "OL1 1AA", "latitude": 53.5, "longitude": -2.1});
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "locations",
            with(&location, "postcode", json!("not a postcode")),
            "postcode",
        ),
        (
            "locations",
            with(&location, "latitude", json!(95.0)),
            "latitude",
        ),
        (
            "locations",
            with(&location, "longitude", json!(-200.0)),
            "longitude",
        ),
        ("locations", without(&location, "town"), "town"),
        ("locations", with(&location, "name", json!("   ")), "name"),
        (
            "locations",
            with(&location, "accessibility", json!(["lift", "teleporter"])),
            "accessibility[1]",
        ),
        ("locations", with(&location, "uprn", json!("12ab")), "uprn"),
        (
            "locations",
            with(
                &location,
                "organisation_id",
                json!("7b1c3f5e-0000-4000-8000-000000000000"),
            ),
            "organisation_id",
        ),
        (
            "locations",
            with(&location, "colour", json!("red")),
            "colour",
        ),
        (
            "organisations",
            json!({"name": "X", "description": "Y", "email": "not-an-email"}),
            "email",
        ),
        (
            "organisations",
            json!({"name": "X", "description": "Y", "website": "www.example"}),
            "website",
        ),
        (
            "organisations",
            json!({"name": "X".repeat(201), "description": "Y"}),
            "name",
        ),
        (
            "organisations",
            json!({"name": "X", "description": "Y", "org_type": "cult"}),
            "org_type",
        ),
        (
            "services",
            json!({"name": "S", "description": "D", "organisation_id": org, "opening_hours": "nine till five"}),
            "opening_hours",
        ),
        (
            "services",
            json!({"name": "S", "description": "D", "organisation_id": org, "min_age": 18, "max_age": 11}),
            "max_age",
        ),
        (
            "services",
            json!({"name": "S", "description": "D", "organisation_id": org, "languages": ["english"]}),
            "languages[0]",
        ),
        (
            "services",
            json!({"name": "S", "description": "D", "organisation_id": org, "categories": ["no-such-category"]}),
            "categories[0]",
        ),
        (
            "services",
            json!({"name": "S", "description": "D", "organisation_id": org, "location_ids": [loc, "7b1c3f5e-0000-4000-8000-000000000000"]}),
            "location_ids[1]",
        ),
        (
            "services",
            json!({"name": "S", "description": "D", "organisation_id": org, "contact_person": {"name": "Sam", "email": "sam@"}}),
            "contact_person.email",
        ),
        (
            "services",
            json!({"name": "S", "description": "D"}),
            "organisation_id",
        ),
        (
            "spaces",
            json!({"name": "Room", "organisation_id": org, "location_id": loc, "capacity": 0}),
            "capacity",
        ),
    ];
    let before = app.change_count().await;
    for (resource, body, field) in cases {
        let r = app.post(&format!("/api/v1/{resource}"), body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{resource} {body}: {}",
            r.json
        );
        assert_eq!(r.code(), "validation_failed");
        assert_eq!(r.field(), field, "{resource} {body}: {}", r.json);
        assert!(
            !r.json["error"]["message"]
                .as_str()
                .unwrap_or_default()
                .is_empty()
        );
    }
    assert_eq!(
        app.change_count().await,
        before,
        "a refused write leaves no change-log row"
    );

    // Postcodes are normalised on the way in.
    let r = app
        .post(
            "/api/v1/locations",
            with(&location, "postcode", json!("ol11aa")),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json["postcode"], "OL1 1AA");

    // Broken JSON is a 400 with a code, not a 500.
    let r = app
        .request(
            Method::POST,
            "/api/v1/locations",
            Some(&app.token),
            None,
            &[("content-type", "application/json")],
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "invalid_json");
}

fn with(base: &Value, key: &str, value: Value) -> Value {
    let mut v = base.clone();
    v[key] = value;
    v
}

fn without(base: &Value, key: &str) -> Value {
    let mut v = base.clone();
    v.as_object_mut().map(|o| o.remove(key));
    v
}

both_dbs!(hidden_addresses_and_personal_data_stay_private);
async fn hidden_addresses_and_personal_data_stay_private(app: &TestApp) {
    let (org, _, _) = app.seed().await;
    let refuge = app
        .post(
            "/api/v1/locations",
            json!({"name": "Oakfield Refuge", "address_1": "17 Hidden Lane", "town": "Millbrook", "postcode": "OL8 4QT", "uprn": "100012345678", "latitude": 53.52871, "longitude": -2.11653, "hide_address": true, "organisation_id": org}),
        )
        .await;
    assert_eq!(refuge.status, StatusCode::CREATED);
    let loc = refuge.json["id"].as_str().expect("id").to_owned();
    let svc = app
        .post(
            "/api/v1/services",
            json!({"name": "Oakfield Refuge Support", "description": "Safe accommodation and support for women leaving domestic abuse", "organisation_id": org, "location_ids": [loc],
                   "contact_person": {"name": "Priya Example", "email": "priya@oakfield.example", "phone": "0161 496 0999"}}),
        )
        .await;
    let svc = svc.json["id"].as_str().expect("id").to_owned();

    // The public sees only the district and a coarsened point...
    let public = app.get(&format!("/api/v1/locations/{loc}")).await;
    assert_eq!(public.json["postcode"], "OL8");
    assert!(public.json.get("address_1").is_none());
    assert!(public.json.get("uprn").is_none());
    assert!((public.json["latitude"].as_f64().unwrap_or(0.0) - 53.52871).abs() > 0.0001);
    let svc_public = app.get(&format!("/api/v1/services/{svc}")).await;
    assert!(svc_public.json.get("contact_person").is_none());
    // ...in lists and search results too.
    for uri in [
        "/api/v1/locations?per_page=200",
        "/api/v1/services?per_page=200",
    ] {
        let text = app.get(uri).await.json.to_string();
        for secret in ["Hidden Lane", "4QT", "100012345678", "Priya", "priya@"] {
            assert!(!text.contains(secret), "{uri} leaks {secret}");
        }
    }
    assert!(
        app.eventually(|| async { app.get("/api/v1/locations?q=refuge").await.json["total"] == 1 })
            .await
    );
    let searched = app.get("/api/v1/locations?q=refuge").await.json.to_string();
    assert!(!searched.contains("Hidden Lane"));
    // Searching by the hidden street finds nothing: it is not in the public index.
    assert_eq!(
        app.get("/api/v1/locations?q=hidden%20lane").await.json["total"],
        0
    );

    // A token holder sees the full record, and GET → PUT keeps it intact.
    let full = app.get_auth(&format!("/api/v1/locations/{loc}")).await;
    assert_eq!(full.json["address_1"], "17 Hidden Lane");
    let mut edited = full.json.clone();
    edited["name"] = json!("Oakfield Safe House");
    let put = app
        .put(
            &format!("/api/v1/locations/{loc}"),
            edited,
            Some(&full.etag()),
        )
        .await;
    assert_eq!(put.status, StatusCode::OK);
    assert_eq!(put.json["address_1"], "17 Hidden Lane");
    assert_eq!(put.json["postcode"], "OL8 4QT");
    let full_svc = app.get_auth(&format!("/api/v1/services/{svc}")).await;
    assert_eq!(full_svc.json["contact_person"]["name"], "Priya Example");
}

both_dbs!(drafts_are_not_public);
async fn drafts_are_not_public(app: &TestApp) {
    let r = app
        .post(
            "/api/v1/organisations",
            json!({"name": "Draft Group", "description": "Not ready yet", "publication": "draft"}),
        )
        .await;
    let id = r.json["id"].as_str().expect("id").to_owned();
    assert_eq!(
        app.get(&format!("/api/v1/organisations/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get_auth(&format!("/api/v1/organisations/{id}"))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(app.get("/api/v1/organisations").await.json["total"], 0);
    assert_eq!(app.get_auth("/api/v1/organisations").await.json["total"], 1);
}

both_dbs!(deletes_never_cascade_silently);
async fn deletes_never_cascade_silently(app: &TestApp) {
    let (org, loc, svc) = app.seed().await;
    let r = app.delete(&format!("/api/v1/organisations/{org}")).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "has_dependants");
    let kinds: Vec<&str> = r.json["error"]["dependants"]
        .as_array()
        .expect("dependants")
        .iter()
        .filter_map(|d| d["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["location", "service"]);
    let r = app.delete(&format!("/api/v1/locations/{loc}")).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.json["error"]["dependants"][0]["id"], svc.as_str());
    // A term in use cannot go either: "Warm spaces", the seeded service's.
    let terms = app.get("/api/v1/taxonomy-terms?q=warm").await;
    let term = terms.json["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|t| t["name"] == "Warm spaces")
        .and_then(|t| t["id"].as_str())
        .expect("the term 'Warm spaces'")
        .to_owned();
    assert_eq!(
        app.delete(&format!("/api/v1/taxonomy-terms/{term}"))
            .await
            .status,
        StatusCode::CONFLICT
    );
    // Everything is still there.
    assert_eq!(
        app.get(&format!("/api/v1/organisations/{org}"))
            .await
            .status,
        StatusCode::OK
    );
    // Deleting in dependency order works.
    assert_eq!(
        app.delete(&format!("/api/v1/services/{svc}")).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.delete(&format!("/api/v1/locations/{loc}")).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        app.delete(&format!("/api/v1/organisations/{org}"))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
}

both_dbs!(taxonomy_terms_form_a_tree_with_unique_slugs);
async fn taxonomy_terms_form_a_tree_with_unique_slugs(app: &TestApp) {
    let parent = app
        .post("/api/v1/taxonomy-terms", json!({"name": "Repair Cafés"}))
        .await;
    assert_eq!(parent.status, StatusCode::CREATED, "{}", parent.json);
    assert_eq!(parent.json["slug"], "repair-cafes");
    let pid = parent.json["id"].as_str().expect("id").to_owned();
    let child = app
        .post(
            "/api/v1/taxonomy-terms",
            json!({"name": "Bike repair", "slug": "bike-repair", "parent_id": pid}),
        )
        .await;
    assert_eq!(child.status, StatusCode::CREATED);
    let cid = child.json["id"].as_str().expect("id").to_owned();
    let dup = app
        .post(
            "/api/v1/taxonomy-terms",
            json!({"name": "Bikes", "slug": "bike-repair"}),
        )
        .await;
    assert_eq!(dup.status, StatusCode::CONFLICT);
    assert_eq!(dup.field(), "slug");
    // Filing the parent under its own child would make a loop.
    let mut p = app.get_auth(&format!("/api/v1/taxonomy-terms/{pid}")).await;
    let etag = p.etag();
    p.json["parent_id"] = json!(cid);
    let r = app
        .put(
            &format!("/api/v1/taxonomy-terms/{pid}"),
            p.json,
            Some(&etag),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field(), "parent_id");
    // The default taxonomy is there, with its top-level terms.
    let t = app.get("/api/v1/taxonomies").await;
    assert_eq!(t.json["total"], 1);
    let food = app.get("/api/v1/taxonomy-terms?q=food&per_page=50").await;
    assert!(
        food.json["items"]
            .as_array()
            .expect("items")
            .iter()
            .any(|t| t["slug"] == "food-banks")
    );
}

both_dbs!(health_and_readiness);
async fn health_and_readiness(app: &TestApp) {
    assert_eq!(app.get("/healthz").await.status, StatusCode::OK);
    let r = app.get("/readyz").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["status"], "ready");
    let r = app.get("/api/v1/nothing-here").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.code(), "not_found");
    let r = app.get("/api/v1/services/not-a-uuid").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}
