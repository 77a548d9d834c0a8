//! The OpenAPI document describes what the server really does: every route it mounts is in
//! the document, and real responses validate against the document's schemas.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly by design

mod common;

use axum::http::StatusCode;
use common::{Backend, TestApp};
use serde_json::{Value, json};

/// A validator for one schema of the document: the components are embedded so `$ref`s
/// to `#/components/schemas/...` resolve inside it.
fn validator(doc: &Value, schema: &str) -> jsonschema::Validator {
    let wrapper = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("#/components/schemas/{schema}"),
        "components": doc["components"],
    });
    jsonschema::validator_for(&wrapper).expect("schema compiles")
}

fn assert_valid(v: &jsonschema::Validator, value: &Value, what: &str) {
    let errors: Vec<String> = v
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} does not match the OpenAPI schema: {errors:?}\n{value}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_match_the_openapi_document() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let r = app.get("/api/openapi.json").await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));

    for (resource, schema) in [
        ("organisations", "Organisation"),
        ("locations", "Location"),
        ("services", "Service"),
        ("spaces", "Space"),
        ("assets", "Asset"),
        ("taxonomy-terms", "TaxonomyTerm"),
    ] {
        let base = format!("/api/v1/{resource}");
        let paths = &doc["paths"];
        for (path, methods) in [
            (base.clone(), vec!["get", "post"]),
            (format!("{base}/{{id}}"), vec!["get", "put", "delete"]),
            (format!("{base}/{{id}}/history"), vec!["get"]),
        ] {
            for m in methods {
                assert!(
                    paths[&path][m].is_object(),
                    "{m} {path} missing from the document"
                );
            }
        }
        let v = validator(&doc, schema);
        // Public and full views both match.
        for page in [
            app.get(&format!("{base}?per_page=200")).await,
            app.get_auth(&format!("{base}?per_page=200")).await,
        ] {
            let items = page.json["items"].as_array().expect("items");
            assert!(!items.is_empty(), "{resource} has demo records");
            for item in items {
                assert_valid(&v, item, &format!("{resource} item"));
            }
        }
    }

    // Search results, with and without a place.
    for params in [
        "q=food",
        "near=OL1&radius=3000&per_page=50",
        "q=advice&near=53.54,-2.11&open_at=2026-11-25T10:00:00Z",
    ] {
        let r = app.get(&format!("/api/v1/search?{params}")).await;
        assert_eq!(r.status, StatusCode::OK, "{params}");
        assert_valid(
            &validator(&doc, "SearchBody"),
            &r.json,
            &format!("search {params}"),
        );
    }
    for path in [
        "/api/v1/search",
        "/api/v1/search.geojson",
        "/api/v1/boundaries",
        "/api/v1/postcodes/{postcode}",
    ] {
        assert!(
            doc["paths"][path]["get"].is_object(),
            "{path} missing from the document"
        );
    }

    // Writes: the record sent back after a create validates too, and so does an error body.
    let created = app
        .post(
            "/api/v1/organisations",
            json!({"name": "Schema check", "description": "d"}),
        )
        .await;
    assert_valid(
        &validator(&doc, "Organisation"),
        &created.json,
        "created organisation",
    );
    let err = app
        .post("/api/v1/organisations", json!({"name": "x"}))
        .await;
    assert_eq!(err.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_valid(&validator(&doc, "ErrorBody"), &err.json, "error body");
    let id = created.json["id"].as_str().unwrap();
    let history = app
        .get_auth(&format!("/api/v1/organisations/{id}/history"))
        .await;
    for change in history.json["items"].as_array().unwrap() {
        assert_valid(&validator(&doc, "Change"), change, "change");
    }

    // What the schema marks required, the server really requires: drop each in turn from a
    // valid body and the server names it.
    let org = app
        .post(
            "/api/v1/organisations",
            json!({"name": "Req", "description": "d"}),
        )
        .await
        .json["id"]
        .clone();
    let loc = app
        .post("/api/v1/locations", json!({"name": "L", "address_1": "1 A St", "town": "T", "postcode": "OL1 1AA", "latitude": 53.5, "longitude": -2.1}))
        .await
        .json["id"]
        .clone();
    let valid = [
        (
            "organisations",
            "Organisation",
            json!({"name": "N", "description": "D"}),
        ),
        (
            "locations",
            "Location",
            json!({"name": "N", "address_1": "1 A St", "town": "T", "postcode": "OL1 1AA", "latitude": 53.5, "longitude": -2.1}),
        ),
        (
            "services",
            "Service",
            json!({"name": "N", "description": "D", "organisation_id": org}),
        ),
        (
            "spaces",
            "Space",
            json!({"name": "N", "location_id": loc, "organisation_id": org}),
        ),
    ];
    for (resource, schema, body) in valid {
        let required: Vec<&str> = doc["components"]["schemas"][schema]["required"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        assert!(required.contains(&"name"), "{schema}: {required:?}");
        for field in required {
            let mut partial = body.clone();
            partial.as_object_mut().unwrap().remove(field);
            let r = app.post(&format!("/api/v1/{resource}"), partial).await;
            assert_eq!(
                r.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{resource} accepted a body without {field}"
            );
            assert_eq!(r.field(), field);
        }
        assert_eq!(
            app.post(&format!("/api/v1/{resource}"), body).await.status,
            StatusCode::CREATED
        );
    }
    app.finish().await;
}
