//! Assets of Community Value through the real router, on SQLite and PostgreSQL: the staff API
//! (nomination → decision → disposal notices → bidder requests → removal) with its errors and
//! change-log rows, the public `/acv` page, the asset page's link, and `/exports/acv.csv`.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly by design

mod common;

use axum::http::{Method, StatusCode};
use chrono::NaiveDate;
use common::{Reply, TestApp};
use junction::domain::Role;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

/// The private contact of the nominator: must never be published.
const PRIVATE_CONTACT: &str = "Jo Private, 07700 900999, jo.private@example.org";

const CSV_HEADER: &str = "reference,name,address-text,point,nomination-date,nominating-group,decision,decision-date,expiry-date,notification-to-sell-date,interested-group,protected-period-start-date,notes,entry-date,start-date,end-date";

fn today() -> NaiveDate {
    junction::store::acv::today()
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

async fn post(app: &TestApp, uri: &str, body: Value) -> Reply {
    app.post(uri, body).await
}

async fn acv_changes(app: &TestApp) -> i64 {
    let row = app
        .state
        .store
        .db
        .query_one_raw(sea_orm::Statement::from_string(
            app.state.store.backend(),
            "SELECT COUNT(*) AS n FROM changes WHERE record_kind = 'acv_entry'",
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

/// An organisation and an asset of the register; returns the asset id.
async fn asset(app: &TestApp) -> String {
    let org = post(
        app,
        "/api/v1/organisations",
        json!({"name": "Millbrook Council", "description": "The council"}),
    )
    .await;
    assert_eq!(org.status, StatusCode::CREATED, "{}", org.json);
    let asset = post(
        app,
        "/api/v1/assets",
        json!({"name": "Oakfield Community Centre", "owner_organisation_id": org.json["id"],
               "address_1": "2 Oakfield Walk", "town": "Millbrook", "postcode": "OL4 2QB",
               "latitude": 53.54, "longitude": -2.09}),
    )
    .await;
    assert_eq!(asset.status, StatusCode::CREATED, "{}", asset.json);
    asset.json["id"].as_str().unwrap().to_owned()
}

/// The entries the page and CSV tests look at:
/// - A: the asset, listed on 29 February 2024, two disposal episodes (a full moratorium in
///   the first, the second after the first protected period);
/// - B: a pub not in the register, unsuccessful, with a private nominator contact;
/// - C: listed then removed on appeal;
/// - D: nominated, undecided (not published).
///
/// Returns (A, B, C, D) ids.
async fn build(app: &TestApp, asset_id: &str) -> (String, String, String, String) {
    let a = post(
        app,
        "/api/v1/acv",
        json!({"reference": "ACV/2024/01", "asset_id": asset_id,
               "nominating_group": "Oakfield Tenants Association",
               "received": "2024-01-05", "reasons": "Our only hall"}),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json);
    let a_id = a.json["id"].as_str().unwrap().to_owned();
    let r = post(
        app,
        &format!("/api/v1/acv/{a_id}/decision"),
        json!({"decision": "listed", "decided": "2024-02-29"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let r = post(
        app,
        &format!("/api/v1/acv/{a_id}/disposals"),
        json!({"received": "2024-03-01"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let first = r.json["disposals"][0]["id"].as_str().unwrap().to_owned();
    let r = post(
        app,
        &format!("/api/v1/acv/{a_id}/disposals/{first}/bidder-request"),
        json!({"received": "2024-04-11", "group": "Oakfield Community Benefit Society"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let r = post(
        app,
        &format!("/api/v1/acv/{a_id}/disposals"),
        json!({"received": "2025-09-01"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);

    let b = post(
        app,
        "/api/v1/acv",
        json!({"reference": "ACV/2024/02", "name": "The Plough Inn",
               "address_text": "1 High Street, Millbrook", "latitude": 53.5412, "longitude": -2.1177,
               "nominating_group": "Friends of the Plough", "nominator_contact": PRIVATE_CONTACT,
               "received": "2024-06-03", "reasons": "The last pub in the village"}),
    )
    .await;
    assert_eq!(b.status, StatusCode::CREATED, "{}", b.json);
    let b_id = b.json["id"].as_str().unwrap().to_owned();
    let r = post(
        app,
        &format!("/api/v1/acv/{b_id}/decision"),
        json!({"decision": "unsuccessful", "decided": "2024-07-15",
               "reason": "Its main use is private functions"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);

    let c = post(
        app,
        "/api/v1/acv",
        json!({"reference": "ACV/2023/07", "name": "Mill Lane Playing Field",
               "nominating_group": "Mill Lane Residents", "received": "2023-05-02",
               "reasons": "Children's football"}),
    )
    .await;
    let c_id = c.json["id"].as_str().unwrap().to_owned();
    let r = post(
        app,
        &format!("/api/v1/acv/{c_id}/decision"),
        json!({"decision": "listed", "decided": "2023-06-20"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let r = post(
        app,
        &format!("/api/v1/acv/{c_id}/removal"),
        json!({"reason": "appeal_upheld", "removed": "2024-01-31", "note": "Tribunal decision"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);

    let d = post(
        app,
        "/api/v1/acv",
        json!({"reference": "ACV/2026/09", "name": "Undecided Chapel",
               "nominating_group": "Chapel Friends", "received": "2025-01-06",
               "reasons": "Concerts"}),
    )
    .await;
    assert_eq!(d.status, StatusCode::CREATED, "{}", d.json);
    let d_id = d.json["id"].as_str().unwrap().to_owned();
    (a_id, b_id, c_id, d_id)
}

both_dbs!(staff_record_an_acv_entry_and_every_date_is_computed);
async fn staff_record_an_acv_entry_and_every_date_is_computed(app: &TestApp) {
    let asset_id = asset(app).await;
    let body = json!({"asset_id": asset_id, "nominating_group": "Oakfield Tenants Association",
                      "received": "2024-01-05", "reasons": "Our only hall"});

    // Only council staff: no token 401, an editor's token 403, a moderator's token is fine.
    let r = app
        .request(Method::POST, "/api/v1/acv", None, Some(&body), &[])
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    let editor = app
        .state
        .store
        .create_token("editor", Role::Editor, None)
        .await
        .unwrap();
    let r = app
        .request(Method::POST, "/api/v1/acv", Some(&editor), Some(&body), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.json);
    assert_eq!(r.code(), "forbidden");
    assert_eq!(
        app.get("/api/v1/acv").await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(acv_changes(app).await, 0);

    // Bad input names the field, and writes nothing.
    for (change, field, status) in [
        (json!({"nominating_group": null}), "nominating_group", 422),
        (json!({"nominating_group": "  "}), "nominating_group", 422),
        (json!({"received": "2024-02-30"}), "received", 422),
        (
            json!({"received": (today() + chrono::Days::new(1)).to_string()}),
            "received",
            422,
        ),
        (json!({"asset_id": uuid::Uuid::new_v4()}), "asset_id", 422),
        (json!({"latitude": 95.0, "longitude": 1.0}), "latitude", 422),
        (json!({"colour": "red"}), "colour", 422),
    ] {
        let mut b = body.clone();
        for (k, v) in change.as_object().unwrap() {
            if v.is_null() {
                b.as_object_mut().unwrap().remove(k);
            } else {
                b[k] = v.clone();
            }
        }
        let r = post(app, "/api/v1/acv", b).await;
        assert_eq!(r.status.as_u16(), status, "{change}: {}", r.json);
        assert_eq!(r.field(), field, "{change}: {}", r.json);
    }
    assert_eq!(acv_changes(app).await, 0, "a refused write logs nothing");

    let moderator = app
        .state
        .store
        .create_token("moderator", Role::Moderator, None)
        .await
        .unwrap();
    let r = app
        .request(
            Method::POST,
            "/api/v1/acv",
            Some(&moderator),
            Some(&body),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let id = r.json["id"].as_str().unwrap().to_owned();
    assert_eq!(
        r.headers.get("location").unwrap().to_str().unwrap(),
        format!("/api/v1/acv/{id}")
    );
    // The asset's name, address and point fill the nomination.
    assert_eq!(r.json["name"], "Oakfield Community Centre");
    assert_eq!(
        r.json["address_text"],
        "2 Oakfield Walk, Millbrook, OL4 2QB"
    );
    assert_eq!(r.json["longitude"], -2.09);
    // 8 weeks beginning with 5 January 2024 end on 29 February 2024 (a leap year).
    assert_eq!(r.json["decision_due"], "2024-02-29");
    assert_eq!(r.json["decision_overdue"], true);
    assert_eq!(r.json["stage"], "nominated");
    assert_eq!(acv_changes(app).await, 1);

    let uri = format!("/api/v1/acv/{id}");
    let r = post(
        app,
        &format!("{uri}/decision"),
        json!({"decision": "unsuccessful", "decided": "2024-02-29"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field(), "reason");
    let r = post(
        app,
        &format!("{uri}/decision"),
        json!({"decision": "listed", "decided": "2024-01-04"}),
    )
    .await;
    assert_eq!(r.field(), "decided", "{}", r.json);
    let r = post(
        app,
        &format!("{uri}/decision"),
        json!({"decision": "maybe", "decided": "2024-02-29"}),
    )
    .await;
    assert_eq!(
        (r.status, r.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "decision")
    );
    let r = post(
        app,
        &format!("{uri}/decision"),
        json!({"decision": "listed", "decided": "2024-02-29"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    // 5 years beginning with 29 February 2024: the anniversary falls on 1 March 2029.
    assert_eq!(r.json["list_ends"], "2029-02-28");
    assert_eq!(r.json["decision_overdue"], false);
    let expected_stage = if today() <= day("2029-02-28") {
        "listed"
    } else {
        "lapsed"
    };
    assert_eq!(r.json["stage"], expected_stage);
    let r = post(
        app,
        &format!("{uri}/decision"),
        json!({"decision": "unsuccessful", "decided": "2024-03-01", "reason": "x"}),
    )
    .await;
    assert_eq!(
        (r.status, r.code(), r.field()),
        (StatusCode::CONFLICT, "conflict", "decision")
    );

    // The owner's notice: 1 March → interim moratorium to 11 April.
    let r = post(
        app,
        &format!("{uri}/disposals"),
        json!({"received": "2024-03-01"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let episode = &r.json["disposals"][0];
    assert_eq!(episode["interim_moratorium_ends"], "2024-04-11");
    assert_eq!(episode["moratorium_ends"], "2024-04-11");
    assert!(episode.get("full_moratorium_ends").is_none());
    assert_eq!(episode["protected_period_starts"], "2024-03-01");
    assert_eq!(episode["protected_period_ends"], "2025-08-31");
    let first = episode["id"].as_str().unwrap().to_owned();

    // A request the day after the interim period is too late; on its last day, in time.
    let bid = format!("{uri}/disposals/{first}/bidder-request");
    let r = post(
        app,
        &bid,
        json!({"received": "2024-04-12", "group": "Late Group"}),
    )
    .await;
    assert_eq!(
        (r.status, r.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "received")
    );
    let r = post(app, &bid, json!({"received": "2024-04-11"})).await;
    assert_eq!(r.field(), "group", "{}", r.json);
    let r = post(
        app,
        &bid,
        json!({"received": "2024-04-11", "group": "Oakfield Community Benefit Society"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let episode = &r.json["disposals"][0];
    assert_eq!(episode["full_moratorium_ends"], "2024-08-31");
    assert_eq!(episode["moratorium_ends"], "2024-08-31");
    assert_eq!(
        episode["bidder_request"]["group"],
        "Oakfield Community Benefit Society"
    );
    let r = post(
        app,
        &format!("{uri}/disposals/{}/bidder-request", uuid::Uuid::new_v4()),
        json!({"received": "2024-04-01", "group": "G"}),
    )
    .await;
    assert_eq!(r.field(), "disposal_id", "{}", r.json);

    // A second notice inside the first protected period starts nothing; the day after it
    // ends, a second episode.
    let r = post(
        app,
        &format!("{uri}/disposals"),
        json!({"received": "2025-08-31"}),
    )
    .await;
    assert_eq!((r.status, r.field()), (StatusCode::CONFLICT, "received"));
    let r = post(
        app,
        &format!("{uri}/disposals"),
        json!({"received": "2025-09-01"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let disposals = r.json["disposals"].as_array().unwrap();
    assert_eq!(disposals.len(), 2);
    assert_eq!(disposals[1]["interim_moratorium_ends"], "2025-10-12");
    assert_eq!(disposals[1]["protected_period_ends"], "2027-02-28");
    assert_eq!(disposals[0]["full_moratorium_ends"], "2024-08-31");

    // Removal: the reason must fit the rules.
    let r = post(
        app,
        &format!("{uri}/removal"),
        json!({"reason": "expired", "removed": "2025-10-01"}),
    )
    .await;
    assert_eq!(
        (r.status, r.field()),
        (StatusCode::UNPROCESSABLE_ENTITY, "removed")
    );
    let r = post(
        app,
        &format!("{uri}/removal"),
        json!({"reason": "sold", "removed": "2025-10-01"}),
    )
    .await;
    assert_eq!(r.field(), "reason", "{}", r.json);
    let r = post(
        app,
        &format!("{uri}/removal"),
        json!({"reason": "disposal", "removed": "2025-10-20", "note": "Sold to the society"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["stage"], "removed");
    assert_eq!(r.json["moratorium"], "none");
    assert_eq!(r.json["version"], 6);

    // Each accepted write is one change-log row, in the same transaction; refused ones none.
    assert_eq!(acv_changes(app).await, 6);
    let read = app.get_auth(&uri).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json["removal_reason"], "disposal");
    assert_eq!(read.json["disposals"].as_array().unwrap().len(), 2);
    let list = app.get_auth("/api/v1/acv").await;
    assert_eq!(list.json["total"], 1);
    assert_eq!(
        app.get_auth(&format!("/api/v1/acv/{}", uuid::Uuid::new_v4()))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // A second nomination may not reuse a reference.
    let r = post(
        app,
        "/api/v1/acv",
        json!({"reference": read.json["reference"], "name": "Other", "nominating_group": "G",
               "received": "2024-01-05", "reasons": "R"}),
    )
    .await;
    assert_eq!((r.status, r.field()), (StatusCode::CONFLICT, "reference"));
}

both_dbs!(the_acv_page_and_csv_show_the_lists_without_private_details);
async fn the_acv_page_and_csv_show_the_lists_without_private_details(app: &TestApp) {
    let asset_id = asset(app).await;
    let (a, b, c, d) = build(app, &asset_id).await;

    let page = app.get("/acv").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = String::from_utf8(page.bytes.clone()).unwrap();
    assert!(
        !html.contains("Jo Private") && !html.contains("07700"),
        "private contact on /acv"
    );
    assert!(
        !html.contains("Undecided Chapel"),
        "an undecided nomination was published"
    );
    for expected in [
        "Oakfield Community Centre",
        &format!("href=\"/assets/{asset_id}\""),
        &format!("id=\"acv-{a}\""),
        "Oakfield Tenants Association",
        "29 February 2024", // decision due, and listed on
        "28 February 2029", // listed until
        "11 April 2024",    // first interim moratorium
        "31 August 2024",   // first full moratorium
        "31 August 2025",   // first protected period
        "12 October 2025",  // second interim moratorium
        "28 February 2027", // second protected period
        "Oakfield Community Benefit Society",
        "Unsuccessful nominations (1)",
        "The Plough Inn",
        "Its main use is private functions",
        "14 July 2029", // the unsuccessful list's five years
        "Mill Lane Playing Field",
        "appeal was upheld",
        "/exports/acv.csv",
    ] {
        assert!(html.contains(expected), "/acv lacks {expected}");
    }
    // Where the asset stands today follows from the second episode's dates.
    let t = today();
    let status = if t <= day("2025-10-12") {
        "Interim moratorium"
    } else if t <= day("2027-02-28") {
        "Protected period"
    } else {
        "No notice of intended sale in force"
    };
    assert!(html.contains(status), "/acv lacks the status {status}");

    // The asset's own page links to its entry.
    let asset_page = app.get(&format!("/assets/{asset_id}")).await;
    let asset_html = String::from_utf8(asset_page.bytes).unwrap();
    assert!(
        asset_html.contains(&format!("href=\"/acv#acv-{a}\"")),
        "{asset_html}"
    );
    assert!(asset_html.contains("Asset of Community Value"));

    let r = app.get("/exports/acv.csv").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = String::from_utf8(r.bytes).unwrap();
    assert!(
        !text.contains("Jo Private") && !text.contains("07700"),
        "private contact in the CSV"
    );
    assert_eq!(text.lines().next(), Some(CSV_HEADER));
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows: Vec<std::collections::HashMap<String, String>> = reader
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
    // One row per decided entry; the undecided one is not there.
    assert_eq!(rows.len(), 3, "{text}");
    let by_ref = |reference: &str| {
        rows.iter()
            .find(|r| r["reference"] == reference)
            .unwrap_or_else(|| panic!("no row {reference} in {text}"))
    };
    let row = by_ref("ACV/2024/01");
    assert_eq!(row["name"], "Oakfield Community Centre");
    assert_eq!(row["address-text"], "2 Oakfield Walk, Millbrook, OL4 2QB");
    assert_eq!(row["point"], "POINT(-2.09 53.54)");
    assert_eq!(row["nomination-date"], "2024-01-05");
    assert_eq!(row["nominating-group"], "Oakfield Tenants Association");
    assert_eq!(row["decision"], "listed");
    assert_eq!(row["decision-date"], "2024-02-29");
    assert_eq!(row["expiry-date"], "2029-02-28");
    // The latest episode in the disposal columns; the earlier one in the notes.
    assert_eq!(row["notification-to-sell-date"], "2025-09-01");
    assert_eq!(row["interested-group"], "");
    assert_eq!(row["protected-period-start-date"], "2025-09-01");
    assert!(
        row["notes"].contains("Owner's notice received 2024-03-01")
            && row["notes"].contains("full moratorium to 2024-08-31")
            && row["notes"].contains("protected period to 2027-02-28"),
        "{}",
        row["notes"]
    );
    assert_eq!(row["start-date"], "2024-02-29");
    assert_eq!(row["entry-date"], today().to_string());
    let expect_end = if today() > day("2029-02-28") {
        "2029-02-28"
    } else {
        ""
    };
    assert_eq!(row["end-date"], expect_end);

    let row = by_ref("ACV/2024/02");
    assert_eq!(row["decision"], "unsuccessful");
    assert_eq!(row["expiry-date"], "2029-07-14");
    assert_eq!(row["point"], "POINT(-2.1177 53.5412)");
    assert!(row["notes"].contains("Its main use is private functions"));
    let row = by_ref("ACV/2023/07");
    assert_eq!(row["end-date"], "2024-01-31");
    assert!(
        row["notes"].contains("appeal was upheld"),
        "{}",
        row["notes"]
    );
    assert_eq!(row["point"], "");

    // Staff still see the private contact and the undecided, overdue nomination.
    let r = app.get_auth(&format!("/api/v1/acv/{b}")).await;
    assert_eq!(r.json["nominator_contact"], PRIVATE_CONTACT);
    let r = app.get_auth(&format!("/api/v1/acv/{d}")).await;
    assert_eq!(r.json["decision_due"], "2025-03-02");
    assert_eq!(r.json["decision_overdue"], true);
    let r = app.get_auth(&format!("/api/v1/acv/{c}")).await;
    assert_eq!(r.json["stage"], "removed");
}

both_dbs!(the_demo_register_has_acv_entries, demo);
async fn the_demo_register_has_acv_entries(app: &TestApp) {
    let page = app.get("/acv").await;
    let html = String::from_utf8(page.bytes).unwrap();
    assert!(html.contains("The Brookside Arms"), "{html}");
    // Notice 20 days ago, a request 9 days after it: a full moratorium now.
    assert!(html.contains("Full moratorium"), "{html}");
    assert!(html.contains("Hollins Green Library"));
    assert!(html.contains("Kiln Croft garages"));
    assert!(!html.contains("Sam Taylor") && !html.contains("0161 496 0000"));
    let list = app.get_auth("/api/v1/acv").await;
    assert_eq!(list.json["total"], 4);
    let overdue: Vec<&str> = list.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["decision_overdue"] == true)
        .filter_map(|i| i["name"].as_str())
        .collect();
    assert_eq!(overdue, ["Fernlea Library"]);
    let csv = app.get("/exports/acv.csv").await;
    let text = String::from_utf8(csv.bytes).unwrap();
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(!text.contains("Sam Taylor"));
}

/// The OpenAPI document lists the ACV paths, and real answers match its schemas.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acv_answers_match_the_openapi_document() {
    let app = TestApp::with_demo(common::Backend::Sqlite).await;
    let doc = app.get("/api/openapi.json").await.json;
    for (path, method) in [
        ("/api/v1/acv", "get"),
        ("/api/v1/acv", "post"),
        ("/api/v1/acv/{id}", "get"),
        ("/api/v1/acv/{id}/decision", "post"),
        ("/api/v1/acv/{id}/disposals", "post"),
        (
            "/api/v1/acv/{id}/disposals/{disposal_id}/bidder-request",
            "post",
        ),
        ("/api/v1/acv/{id}/removal", "post"),
        ("/exports/acv.csv", "get"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} missing from the document"
        );
    }
    let validator = |schema: &str| {
        jsonschema::validator_for(&json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$ref": format!("#/components/schemas/{schema}"),
            "components": doc["components"],
        }))
        .expect("schema compiles")
    };
    let list = app.get_auth("/api/v1/acv").await;
    let errors: Vec<String> = validator("AcvList")
        .iter_errors(&list.json)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    // Every field the schema requires of a nomination, the server requires too.
    let required: Vec<&str> = doc["components"]["schemas"]["Nomination"]["required"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(required.contains(&"nominating_group"), "{required:?}");
    let body =
        json!({"name": "N", "nominating_group": "G", "received": "2024-01-05", "reasons": "R"});
    for field in required {
        let mut partial = body.clone();
        partial.as_object_mut().unwrap().remove(field);
        let r = app.post("/api/v1/acv", partial).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(r.field(), field);
        let errors: Vec<String> = validator("ErrorBody")
            .iter_errors(&r.json)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{errors:?}");
    }
    app.finish().await;
}

/// "1 March 2024", as the staff pages write days.
fn written(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

both_dbs!(staff_pages_record_an_entry_through_forms);
async fn staff_pages_record_an_entry_through_forms(app: &TestApp) {
    use common::accounts::{get, invite_and_sign_in, post as send_form};
    use junction::domain::acv::{
        decision_due, full_moratorium_ends, interim_moratorium_ends, listing_ends,
        protected_period_ends,
    };
    let asset_id = asset(app).await;

    // Signed out: to the sign-in page. An editor: refused. A moderator: the list, linked from
    // the signed-in area's navigation.
    let anon = get(app, "/admin/acv", None).await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
    let org: uuid::Uuid = app.seed().await.0.parse().unwrap();
    let editor = invite_and_sign_in(app, "ed@example.org", Role::Editor, &[org]).await;
    assert_eq!(
        get(app, "/admin/acv", Some(&editor)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        get(app, "/admin/acv/new", Some(&editor)).await.status,
        StatusCode::FORBIDDEN
    );
    let cookie = invite_and_sign_in(app, "officer@council.example", Role::Moderator, &[]).await;
    let dashboard = get(app, "/admin", Some(&cookie)).await;
    assert!(
        dashboard.body.contains("href=\"/admin/acv\""),
        "{}",
        dashboard.body
    );
    let list = get(app, "/admin/acv", Some(&cookie)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(list.body.contains("There are no nominations yet"));

    // A nomination: without the CSRF token nothing happens; missing fields are all named.
    let form = get(app, "/admin/acv/new", Some(&cookie)).await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = form.csrf();
    let r = send_form(
        app,
        "/admin/acv/new",
        &[("name", "Oakfield Community Hall")],
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = send_form(
        app,
        "/admin/acv/new",
        &[("csrf_token", csrf.as_str()), ("received", "5 Jan")],
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("There is a problem"));
    for field in ["name", "nominating_group", "reasons", "received"] {
        assert!(r.body.contains(&format!("href=\"#{field}\"")), "{field}");
    }
    assert!(r.body.contains("Enter a real date"));
    assert!(r.body.contains("value=\"5 Jan\""), "what was typed is kept");
    // A date in the future is refused by the rules, at its field.
    let nomination = |received: &'static str| {
        vec![
            ("csrf_token", csrf.clone()),
            ("reference", "ACV/2024/11".to_owned()),
            (
                "asset_id",
                format!("http://127.0.0.1:8080/assets/{asset_id}"),
            ),
            (
                "nominating_group",
                "Oakfield Tenants Association".to_owned(),
            ),
            ("nominator_contact", PRIVATE_CONTACT.to_owned()),
            ("received", received.to_owned()),
            ("reasons", "Our only hall".to_owned()),
        ]
    };
    let future = nomination("2999-01-01");
    let future: Vec<(&str, &str)> = future.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = send_form(app, "/admin/acv/new", &future, Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("href=\"#received\""));
    assert_eq!(acv_changes(app).await, 0, "nothing written");

    let good = nomination("2024-01-05");
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = send_form(app, "/admin/acv/new", &good, Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page_path = r.location().split('?').next().unwrap().to_owned();
    assert!(page_path.starts_with("/admin/acv/"), "{page_path}");
    let id = page_path.trim_start_matches("/admin/acv/").to_owned();
    // The same reference again: a conflict at its field.
    let r = send_form(app, "/admin/acv/new", &good, Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("href=\"#reference\""));

    // The list: every computed date and the overdue decision.
    let received = day("2024-01-05");
    let list = get(app, "/admin/acv", Some(&cookie)).await;
    assert!(list.body.contains("ACV/2024/11"));
    assert!(
        list.body.contains("Oakfield Community Centre"),
        "the asset's name filled in"
    );
    assert!(list.body.contains(&written(decision_due(received))));
    assert!(list.body.contains("Decision overdue"));
    let entry = get(app, &page_path, Some(&cookie)).await;
    assert_eq!(entry.status, StatusCode::OK);
    assert!(
        entry.body.contains(PRIVATE_CONTACT),
        "staff see the contact"
    );
    assert!(entry.body.contains("Decision overdue"));

    // The decision: unsuccessful needs a reason; a good one is recorded through the store.
    let post_to = |what: &str| format!("{page_path}/{what}");
    let r = send_form(
        app,
        &post_to("decision"),
        &[
            ("csrf_token", csrf.as_str()),
            ("decision", "unsuccessful"),
            ("decided", "2024-02-20"),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("href=\"#decision_reason\""), "{}", r.body);
    assert!(r.body.contains("id=\"decision_reason-error\""));
    let r = send_form(
        app,
        &post_to("decision"),
        &[("csrf_token", csrf.as_str()), ("decided", "")],
        Some(&cookie),
    )
    .await;
    assert!(r.body.contains("href=\"#decision\"") && r.body.contains("href=\"#decided\""));
    let r = send_form(
        app,
        &post_to("decision"),
        &[
            ("csrf_token", csrf.as_str()),
            ("decision", "listed"),
            ("decided", "2024-02-29"),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let listed = day("2024-02-29");
    assert_eq!(r.location(), format!("{page_path}?done=decided"));
    let entry = get(app, r.location(), Some(&cookie)).await;
    assert!(entry.body.contains("The decision was recorded"));
    assert!(entry.body.contains(&written(listing_ends(listed))));
    assert!(!entry.body.contains("Decision overdue"));
    assert!(!entry.body.contains("Record the decision"));

    // The owner's notice: the interim moratorium and the protected period are computed.
    let r = send_form(
        app,
        &post_to("disposals"),
        &[
            ("csrf_token", csrf.as_str()),
            ("notice_received", "2024-02-01"),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "before the listing"
    );
    assert!(r.body.contains("href=\"#notice_received\""));
    let r = send_form(
        app,
        &post_to("disposals"),
        &[
            ("csrf_token", csrf.as_str()),
            ("notice_received", "2024-03-01"),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let notice = day("2024-03-01");
    let entry = get(app, &page_path, Some(&cookie)).await;
    assert!(
        entry
            .body
            .contains(&written(interim_moratorium_ends(notice)))
    );
    assert_eq!(written(interim_moratorium_ends(notice)), "11 April 2024");
    assert!(entry.body.contains(&written(protected_period_ends(notice))));
    // A second notice inside the protected period is not allowed now (409).
    let r = send_form(
        app,
        &post_to("disposals"),
        &[
            ("csrf_token", csrf.as_str()),
            ("notice_received", "2024-06-03"),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("href=\"#notice_received\""));

    // A request to be treated as a bidder: after the interim moratorium it is refused.
    let entry = get(app, &page_path, Some(&cookie)).await;
    let marker = "name=\"disposal_id\" value=\"";
    let at = entry.body.find(marker).unwrap() + marker.len();
    let disposal = entry.body[at..at + 36].to_owned();
    let bid = |received: &'static str, group: &'static str| {
        vec![
            ("csrf_token", csrf.clone()),
            ("disposal_id", disposal.clone()),
            ("bidder_group", group.to_owned()),
            ("bidder_received", received.to_owned()),
        ]
    };
    for (received, group, field) in [
        ("2024-04-10", "", "bidder_group"),
        (
            "2024-04-12",
            "Oakfield Community Benefit Society",
            "bidder_received",
        ),
    ] {
        let f = bid(received, group);
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let r = send_form(app, &post_to("bidder-request"), &f, Some(&cookie)).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            r.body
        );
        assert!(
            r.body.contains(&format!("href=\"#{field}\"")),
            "{field}: {}",
            r.body
        );
    }
    let f = bid("2024-04-11", "Oakfield Community Benefit Society");
    let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = send_form(app, &post_to("bidder-request"), &f, Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let entry = get(app, &page_path, Some(&cookie)).await;
    assert!(entry.body.contains("Oakfield Community Benefit Society"));
    assert!(entry.body.contains(&written(full_moratorium_ends(notice))));
    assert!(
        !entry
            .body
            .contains("Record a request to be treated as a bidder")
    );

    // The removal: the reason is required, and the date may not precede the decision.
    let r = send_form(
        app,
        &post_to("removal"),
        &[("csrf_token", csrf.as_str()), ("removed", "2025-01-31")],
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("href=\"#removal_reason\""));
    let r = send_form(
        app,
        &post_to("removal"),
        &[
            ("csrf_token", csrf.as_str()),
            ("removal_reason", "appeal_upheld"),
            ("removed", "2024-01-31"),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("href=\"#removed\""));
    let r = send_form(
        app,
        &post_to("removal"),
        &[
            ("csrf_token", csrf.as_str()),
            ("removal_reason", "appeal_upheld"),
            ("removed", "2025-01-31"),
            ("removal_note", "Tribunal decision"),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);

    // The same write path as the API: the API reads what the forms wrote, and each write
    // (nomination, decision, notice, request, removal) is one change-log row.
    let read = app.get_auth(&format!("/api/v1/acv/{id}")).await;
    assert_eq!(read.json["decision"], "listed");
    assert_eq!(read.json["decided"], "2024-02-29");
    assert_eq!(read.json["asset_id"], asset_id.as_str());
    assert_eq!(
        read.json["disposals"][0]["bidder_request"]["group"],
        "Oakfield Community Benefit Society"
    );
    assert_eq!(read.json["removal_reason"], "appeal_upheld");
    assert_eq!(read.json["stage"], "removed");
    assert_eq!(acv_changes(app).await, 5);
    // Staff saw the nominator's contact; the public register does not.
    let public = get(app, "/acv", None).await;
    assert!(!public.body.contains(PRIVATE_CONTACT));
}
