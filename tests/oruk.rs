//! The Open Referral UK 3.0 API at `/oruk` over the demo register, on SQLite and PostgreSQL:
//! every page and every record validated against the published schemas (the ORUK UK profile
//! and HSDS 3.0, read in place from ../shared/standards), the filters, NDJSON, minimal
//! output, CORS, and no private data.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly by design

mod common;

use std::collections::HashSet;
use std::path::PathBuf;

use axum::http::StatusCode;
use common::TestApp;
use serde_json::{Value, json};

fn standards() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/standards")
}

/// A validator for one schema file, read in place; its relative `$ref`s resolve beside it.
fn schema(rel: &str) -> jsonschema::Validator {
    let path = standards().join(rel).canonicalize().expect(rel);
    let text = std::fs::read_to_string(&path).expect(rel);
    let value: Value = serde_json::from_str(&text).expect(rel);
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .with_base_uri(format!("file://{}", path.display()))
        .build(&value)
        .unwrap_or_else(|e| panic!("{rel} compiles: {e}"))
}

/// The `Page` schema of the ORUK 3.0 OpenAPI document.
fn page_schema() -> jsonschema::Validator {
    let path = standards().join("oruk/specifications/3.0/openapi.json");
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&json!({
            "$ref": "#/components/schemas/Page",
            "components": doc["components"],
            "required": ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"],
            "properties": {"contents": {"type": "array"}},
        }))
        .unwrap()
}

/// The same schema from the ORUK profile and from HSDS 3.0.
struct Both(jsonschema::Validator, jsonschema::Validator, &'static str);

impl Both {
    fn compiled(name: &'static str) -> Both {
        Both(
            schema(&format!("oruk/uk-profile/schema/compiled/{name}")),
            schema(&format!("hsds/3.0/schema/compiled/{name}")),
            name,
        )
    }

    fn object(name: &'static str) -> Both {
        Both(
            schema(&format!("oruk/uk-profile/schema/{name}")),
            schema(&format!("hsds/3.0/schema/{name}")),
            name,
        )
    }

    fn check(&self, value: &Value) {
        for (which, v) in [("ORUK profile", &self.0), ("HSDS 3.0", &self.1)] {
            let errors: Vec<String> = v
                .iter_errors(value)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            assert!(
                errors.is_empty(),
                "{} ({which}): {errors:?}\n{value}",
                self.2
            );
        }
        no_empty_values(value, self.2);
    }
}

/// Optional fields with no value are omitted: no `null`, `""` or `[]` anywhere.
fn no_empty_values(value: &Value, what: &str) {
    match value {
        Value::Null => panic!("{what}: null value"),
        Value::String(s) if s.trim().is_empty() => panic!("{what}: empty string"),
        Value::Array(a) => {
            assert!(!a.is_empty(), "{what}: empty array");
            a.iter().for_each(|v| no_empty_values(v, what));
        }
        Value::Object(o) => o.values().for_each(|v| no_empty_values(v, what)),
        _ => {}
    }
}

/// Walks every page of a list endpoint, checking each envelope; returns the items.
async fn walk(app: &TestApp, path: &str, per_page: u64) -> Vec<Value> {
    let page = page_schema();
    let sep = if path.contains('?') { '&' } else { '?' };
    let mut items = Vec::new();
    let mut n = 1;
    loop {
        let r = app
            .get(&format!("{path}{sep}page={n}&per_page={per_page}"))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.json);
        assert_eq!(r.headers["access-control-allow-origin"], "*");
        let errors: Vec<String> = page.iter_errors(&r.json).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{path} page {n}: {errors:?}");
        assert_eq!(r.json["page_number"], n);
        assert_eq!(r.json["first_page"], n == 1);
        let contents = r.json["contents"].as_array().unwrap().clone();
        assert_eq!(r.json["empty"], contents.is_empty());
        assert!(contents.len() as u64 <= per_page);
        items.extend(contents);
        if r.json["last_page"] == true {
            assert_eq!(r.json["total_pages"], n);
            assert_eq!(r.json["total_items"], items.len(), "{path}");
            return items;
        }
        n += 1;
        assert!(n < 1000, "{path}: no last page");
    }
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

both_dbs!(every_endpoint_matches_the_oruk_and_hsds_schemas, demo);
async fn every_endpoint_matches_the_oruk_and_hsds_schemas(app: &TestApp) {
    let r = app.get("/oruk/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["version"], "3.0");
    assert_eq!(
        r.json["openapi_url"],
        "https://openreferraluk.org/specifications/3.0/openapi.json"
    );
    assert!(r.json["profile"].as_str().unwrap().starts_with("https://"));

    let public_total = app.get("/api/v1/services?per_page=1").await.json["total"]
        .as_u64()
        .unwrap();

    // Services: every page, every item, then every record in full.
    let list = Both::compiled("service_list.json");
    let full = Both::compiled("service.json");
    let services = walk(app, "/oruk/services", 17).await;
    assert_eq!(services.len() as u64, public_total);
    let service_ids = ids(&services);
    assert_eq!(
        service_ids.iter().collect::<HashSet<_>>().len(),
        services.len(),
        "a service repeated across pages"
    );
    let mut sal_in_services = 0;
    for item in &services {
        list.check(item);
        let id = item["id"].as_str().unwrap();
        let r = app.get(&format!("/oruk/services/{id}")).await;
        assert_eq!(r.status, StatusCode::OK);
        full.check(&r.json);
        assert_eq!(r.json["organization"]["id"], item["organization_id"]);
        sal_in_services += r.json["service_at_locations"]
            .as_array()
            .map_or(0, Vec::len);
    }

    // Service at locations.
    let sal_list = Both::compiled("service_at_location_list.json");
    let sal_full = Both::compiled("service_at_location.json");
    let sals = walk(app, "/oruk/service_at_locations", 23).await;
    assert_eq!(sals.len(), sal_in_services);
    for item in &sals {
        sal_list.check(item);
        let r = app
            .get(&format!(
                "/oruk/service_at_locations/{}",
                item["id"].as_str().unwrap()
            ))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
        sal_full.check(&r.json);
        assert_eq!(r.json["location"]["id"], item["location_id"]);
        assert_eq!(r.json["service"]["id"], item["service_id"]);
    }

    // Taxonomies and terms.
    let taxonomy = Both::object("taxonomy.json");
    let term = Both::object("taxonomy_term.json");
    let taxonomies = walk(app, "/oruk/taxonomies", 10).await;
    assert!(!taxonomies.is_empty());
    for t in &taxonomies {
        taxonomy.check(t);
        let r = app
            .get(&format!("/oruk/taxonomies/{}", t["id"].as_str().unwrap()))
            .await;
        taxonomy.check(&r.json);
    }
    let terms = walk(app, "/oruk/taxonomy_terms", 40).await;
    let api_terms = app.get("/api/v1/taxonomy-terms?per_page=1").await.json["total"]
        .as_u64()
        .unwrap();
    assert_eq!(terms.len() as u64, api_terms);
    for t in &terms {
        term.check(t);
        let r = app
            .get(&format!(
                "/oruk/taxonomy_terms/{}",
                t["id"].as_str().unwrap()
            ))
            .await;
        term.check(&r.json);
    }
}

/// Everything the ORUK API can publish, as one string.
async fn everything(app: &TestApp) -> String {
    let mut out = String::new();
    for item in walk(app, "/oruk/services", 200).await {
        let id = item["id"].as_str().unwrap();
        out.push_str(
            &app.get(&format!("/oruk/services/{id}"))
                .await
                .json
                .to_string(),
        );
    }
    for item in walk(app, "/oruk/service_at_locations", 200).await {
        let id = item["id"].as_str().unwrap();
        out.push_str(&item.to_string());
        out.push_str(
            &app.get(&format!("/oruk/service_at_locations/{id}"))
                .await
                .json
                .to_string(),
        );
    }
    out
}

both_dbs!(private_data_never_reaches_oruk, demo);
async fn private_data_never_reaches_oruk(app: &TestApp) {
    let register: Value = serde_json::from_str(include_str!("../data/demo/register.json")).unwrap();
    let all = everything(app).await;
    let hidden: Vec<&Value> = register["locations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["hide_address"] == true)
        .collect();
    assert!(!hidden.is_empty());
    for l in hidden {
        let address = l["address_1"].as_str().unwrap();
        let postcode = l["postcode"].as_str().unwrap();
        assert!(!all.contains(address), "hidden address {address} published");
        assert!(
            !all.contains(postcode),
            "hidden postcode {postcode} published"
        );
        // The location itself is still there, at its coarsened point.
        let id = l["id"].as_str().unwrap();
        assert!(all.contains(id), "hidden location {id} left out entirely");
        let lat = l["latitude"].as_f64().unwrap();
        assert!(
            !all.contains(&format!("{lat}")),
            "exact latitude {lat} published"
        );
    }
    common::assert_no_contact_people(&register, &all);
}

both_dbs!(filters_combine_and_answer_what_they_say, demo);
async fn filters_combine_and_answer_what_they_say(app: &TestApp) {
    let register: Value = serde_json::from_str(include_str!("../data/demo/register.json")).unwrap();
    let services = register["services"].as_array().unwrap();
    let expect = |pred: &dyn Fn(&Value) -> bool| -> HashSet<String> {
        services
            .iter()
            .filter(|s| pred(s))
            .map(|s| s["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let got = |items: Vec<Value>| -> HashSet<String> { ids(&items).into_iter().collect() };

    // organization_id
    let org = services[0]["organisation_id"].as_str().unwrap().to_owned();
    let want = expect(&|s| s["organisation_id"] == org.as_str());
    assert!(!want.is_empty());
    let have = got(walk(app, &format!("/oruk/services?organization_id={org}"), 50).await);
    assert_eq!(have, want);

    // minimum_age / maximum_age, and both combined with AND.
    let want = expect(&|s| s["min_age"].as_i64().is_some_and(|a| a >= 16));
    assert!(!want.is_empty());
    assert_eq!(
        got(walk(app, "/oruk/services?minimum_age=16", 50).await),
        want
    );
    let want = expect(&|s| s["max_age"].as_i64().is_some_and(|a| a <= 18));
    assert!(!want.is_empty());
    assert_eq!(
        got(walk(app, "/oruk/services?maximum_age=18", 50).await),
        want
    );
    let want = expect(&|s| {
        s["min_age"].as_i64().is_some_and(|a| a >= 5)
            && s["max_age"].as_i64().is_some_and(|a| a <= 18)
    });
    assert_eq!(
        got(walk(app, "/oruk/services?minimum_age=5&maximum_age=18", 50).await),
        want
    );

    // taxonomy_term_id: the term and the terms under it.
    let slug = services[0]["categories"][0].as_str().unwrap();
    let terms = app.get("/api/v1/taxonomy-terms?per_page=200").await.json;
    let term_id = terms["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["slug"] == slug)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let want = expect(&|s| {
        s["categories"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == slug)
    });
    assert_eq!(
        got(walk(
            app,
            &format!("/oruk/services?taxonomy_term_id={term_id}"),
            50
        )
        .await),
        want
    );
    // taxonomy_id: every categorised service is in the default taxonomy.
    let tax = app.get("/oruk/taxonomies").await.json["contents"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let want = expect(&|s| !s["categories"].as_array().unwrap().is_empty());
    assert_eq!(
        got(walk(app, &format!("/oruk/services?taxonomy_id={tax}"), 50).await),
        want
    );

    // day / start_time / end_time, read from the opening hours.
    let saturday = got(walk(app, "/oruk/services?day=SA", 50).await);
    let library = services
        .iter()
        .find(|s| s["name"] == "Millbrook Central Library")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(saturday.contains(&library));
    for id in &saturday {
        let full = app.get(&format!("/oruk/services/{id}")).await.json;
        assert!(
            full["schedules"]
                .as_array()
                .unwrap()
                .iter()
                .any(|s| s["byday"].as_str().is_some_and(|d| d.contains("SA"))),
            "{full}"
        );
    }
    let office = expect(&|s| s["opening_hours"] == "Mo-Fr 09:00-17:00; PH off");
    let early = got(walk(
        app,
        "/oruk/services?day=Monday&start_time=09:00&end_time=17:00",
        50,
    )
    .await);
    assert!(office.is_subset(&early), "{office:?} ⊄ {early:?}");
    assert!(!early.contains(&library), "the library closes at 18:00");

    // search, combined with a filter.
    let food = got(walk(app, "/oruk/services?search=food", 50).await);
    assert!(!food.is_empty());
    let food_org = got(walk(
        app,
        &format!("/oruk/services?search=food&organization_id={org}"),
        50,
    )
    .await);
    let org_all = expect(&|s| s["organisation_id"] == org.as_str());
    assert_eq!(
        food_org,
        food.intersection(&org_all).cloned().collect::<HashSet<_>>()
    );

    // modified_after: everything now, nothing tomorrow.
    assert_eq!(
        walk(app, "/oruk/services?modified_after=2000-01-01", 200)
            .await
            .len(),
        services.len()
    );
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).format("%Y-%m-%d");
    assert!(
        walk(
            app,
            &format!("/oruk/services?modified_after={tomorrow}"),
            200
        )
        .await
        .is_empty()
    );

    // postcode + proximity: nearest first, all within the distance.
    let town_hall = register["locations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "Millbrook Town Hall")
        .unwrap();
    let postcode = town_hall["postcode"].as_str().unwrap().replace(' ', "+");
    let near = walk(
        app,
        &format!("/oruk/service_at_locations?postcode={postcode}&proximity=1000"),
        50,
    )
    .await;
    let all = walk(app, "/oruk/service_at_locations", 200).await;
    assert!(!near.is_empty() && near.len() < all.len());
    let (lat0, lon0) = (
        town_hall["latitude"].as_f64().unwrap(),
        town_hall["longitude"].as_f64().unwrap(),
    );
    let mut last = 0.0;
    for item in &near {
        let (lat, lon) = (
            item["location"]["latitude"].as_f64().unwrap(),
            item["location"]["longitude"].as_f64().unwrap(),
        );
        let d = junction::geo::haversine_m((lon0, lat0), (lon, lat));
        assert!(d <= 1000.0 + 1.0, "{d} m away");
        assert!(d + 1.0 >= last, "not nearest first");
        last = d;
    }
}

both_dbs!(ndjson_minimal_errors_and_cors, demo);
async fn ndjson_minimal_errors_and_cors(app: &TestApp) {
    let total = app.get("/oruk/services?per_page=1").await.json["total_items"]
        .as_u64()
        .unwrap();
    let r = app.get("/oruk/services?format=ndjson").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "application/x-ndjson");
    assert_eq!(r.headers["access-control-allow-origin"], "*");
    let text = r.json.as_str().unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len() as u64,
        total,
        "ndjson streams every service, unpaged"
    );
    let list = Both::compiled("service_list.json");
    lines.iter().for_each(|l| list.check(l));

    let r = app.get("/oruk/services?minimal=true&per_page=5").await;
    for item in r.json["contents"].as_array().unwrap() {
        let keys: Vec<&String> = item.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["id", "modified_date"]);
    }

    for (uri, field) in [
        ("/oruk/services?per_page=0", "per_page"),
        ("/oruk/services?page=x", "page"),
        ("/oruk/services?organization_id=nope", "organization_id"),
        ("/oruk/services?minimum_age=old", "minimum_age"),
        ("/oruk/services?day=someday", "day"),
        ("/oruk/services?start_time=25:00", "start_time"),
        ("/oruk/services?modified_after=yesterday", "modified_after"),
        ("/oruk/services?format=xml", "format"),
        ("/oruk/service_at_locations?proximity=100", "postcode"),
        ("/oruk/service_at_locations?postcode=ZZ99+9ZZ", "postcode"),
    ] {
        let r = app.get(uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}: {}", r.json);
        let code = if uri.contains("ZZ99") {
            "invalid_postcode"
        } else {
            "invalid_parameter"
        };
        assert_eq!(r.code(), code, "{uri}");
        assert_eq!(r.field(), field, "{uri}");
        assert_eq!(r.headers["access-control-allow-origin"], "*", "{uri}");
    }
    for uri in [
        "/oruk/services/00000000-0000-0000-0000-000000000000",
        "/oruk/services/not-an-id",
        "/oruk/service_at_locations/00000000-0000-0000-0000-000000000000",
        "/oruk/taxonomy_terms/00000000-0000-0000-0000-000000000000",
        "/oruk/nothing-here",
    ] {
        let r = app.get(uri).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(r.code(), "not_found", "{uri}");
        assert_eq!(r.headers["access-control-allow-origin"], "*", "{uri}");
    }

    // A draft service is not published.
    let (_, _, svc) = app.seed().await;
    let draft = app.get_auth(&format!("/api/v1/services/{svc}")).await;
    let mut body = draft.json.clone();
    body["publication"] = json!("draft");
    let r = app
        .put(
            &format!("/api/v1/services/{svc}"),
            body,
            Some(&draft.etag()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(
        app.get(&format!("/oruk/services/{svc}")).await.status,
        StatusCode::NOT_FOUND
    );
    let after = app.get("/oruk/services?per_page=1").await.json["total_items"]
        .as_u64()
        .unwrap();
    assert_eq!(after, total);
}

both_dbs!(search_csv_matches_the_json_search, demo);
async fn search_csv_matches_the_json_search(app: &TestApp) {
    let json = app.get("/api/v1/search?q=library&per_page=50").await.json;
    let r = app.get("/api/v1/search.csv?q=library&per_page=50").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "text/csv; charset=utf-8");
    let text = r.json.as_str().unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[1], "id");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let items = json["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert_eq!(rows.len(), items.len());
    for (row, item) in rows.iter().zip(items) {
        assert_eq!(&row[1], item["id"].as_str().unwrap());
        assert_eq!(&row[2], item["name"].as_str().unwrap());
    }
    let r = app.get("/api/v1/search.csv?near=nowhere-at-all").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.field(), "near");
}
