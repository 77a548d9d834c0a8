//! Erasure requests (UK GDPR) through the real router and the real binary, on SQLite and
//! PostgreSQL: a person named as a service's contact (in two versions of it), who sent a
//! suggestion, applied for a community asset transfer, nominated an Asset of Community Value
//! and had a staff account is found by an administrator, erased everywhere — every column of
//! every table and every mail file is searched afterwards — and the change log keeps each
//! version with a note of the redaction. Someone else's data is left alone.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly by design

mod common;

use std::process::Command;

use axum::http::StatusCode;
use chrono::Utc;
use common::accounts::{PASSWORD, get, invite_and_sign_in, login, post};
use common::{Backend, TestApp};
use junction::domain::suggestion::Draft;
use junction::domain::{RecordKind, Role};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;
use uuid::Uuid;

const NAME: &str = "Jane Smith-Okoro";
const EMAIL: &str = "jane.smith-okoro@example.net";
const PHONE: &str = "0161 496 0123";
const OTHER_NAME: &str = "Tom Abernathy";
const OTHER_EMAIL: &str = "tom.abernathy@example.net";

/// Every value of every column of every table, as text, with its table and column.
async fn every_value(app: &TestApp) -> Vec<(String, String, String)> {
    let db = &app.state.store.db;
    let backend = app.state.store.backend();
    let columns_sql = match app.backend {
        Backend::Sqlite => {
            "SELECT m.name AS t, p.name AS c FROM sqlite_master m \
             JOIN pragma_table_info(m.name) p WHERE m.type = 'table'"
        }
        Backend::Postgres => {
            "SELECT table_name::text AS t, column_name::text AS c FROM information_schema.columns \
             WHERE table_schema = current_schema()"
        }
    };
    let columns = db
        .query_all_raw(Statement::from_string(backend, columns_sql))
        .await
        .unwrap();
    let mut values = Vec::new();
    for col in columns {
        let t: String = col.try_get("", "t").unwrap();
        let c: String = col.try_get("", "c").unwrap();
        // quote() turns every SQLite value, blobs included, into valid text.
        let sql = match app.backend {
            Backend::Sqlite => format!("SELECT quote(\"{c}\") AS v FROM \"{t}\""),
            Backend::Postgres => format!("SELECT CAST(\"{c}\" AS TEXT) AS v FROM \"{t}\""),
        };
        for row in db
            .query_all_raw(Statement::from_string(backend, sql))
            .await
            .unwrap()
        {
            if let Some(v) = row.try_get::<Option<String>>("", "v").unwrap() {
                values.push((t.clone(), c.clone(), v));
            }
        }
    }
    assert!(values.len() > 100, "the dump read the database");
    values
}

/// Where in the database `needle` (any case) still appears.
async fn places_holding(app: &TestApp, needle: &str) -> Vec<String> {
    let needle = needle.to_lowercase();
    every_value(app)
        .await
        .into_iter()
        .filter(|(_, _, v)| v.to_lowercase().contains(&needle))
        .map(|(t, c, _)| format!("{t}.{c}"))
        .collect()
}

/// Posts a form of the erasure pages as the signed-in `cookie`, with its CSRF token.
async fn send_form(
    app: &TestApp,
    uri: &str,
    fields: &[(&str, &str)],
    cookie: &str,
) -> common::accounts::Page {
    let csrf = get(app, "/admin/erasure", Some(cookie)).await.csrf();
    let mut all = vec![("csrf_token", csrf.as_str())];
    all.extend_from_slice(fields);
    post(app, uri, &all, Some(cookie)).await
}

/// The person's traces, and someone else's, set down through the register's own routes.
async fn record_a_person(app: &TestApp) -> (Uuid, Uuid, Uuid) {
    let (org, loc, svc) = app.seed().await;
    let org: Uuid = org.parse().unwrap();
    // Two versions of the service name her as its contact person.
    let r = app
        .edit(&format!("/api/v1/services/{svc}"), |v| {
            v["contact_person"] = json!({"name": NAME, "job_title": "Volunteer lead", "email": EMAIL, "phone": PHONE});
        })
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let r = app
        .edit(&format!("/api/v1/services/{svc}"), |v| {
            v["description"] = json!("Soup, tea, board games and a warm room on winter afternoons");
        })
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    // Someone else's service and contact person.
    let other = app
        .post(
            "/api/v1/services",
            json!({"name": "Oakfield Homework Club", "description": "Help with homework after school",
                   "organisation_id": org, "location_ids": [loc],
                   "contact_person": {"name": OTHER_NAME, "email": OTHER_EMAIL}}),
        )
        .await;
    assert_eq!(other.status, StatusCode::CREATED, "{}", other.json);
    let other: Uuid = other.json["id"].as_str().unwrap().parse().unwrap();
    let svc: Uuid = svc.parse().unwrap();

    // A suggestion she sent, with her address and her number in the message.
    app.state
        .store
        .create_suggestion(
            RecordKind::Service,
            svc,
            &Draft {
                field: "other".into(),
                suggested_value: String::new(),
                message: format!("The hours are wrong; ring me on {}", "0161-496-0123"),
                contact_email: Some(EMAIL.to_uppercase()),
            },
            Utc::now(),
        )
        .await
        .unwrap();

    // An expression of interest in an asset offered for transfer.
    let asset = app
        .post(
            "/api/v1/assets",
            json!({"name": "Oakfield Lodge", "owner_organisation_id": org,
                   "community_use": "offered_for_transfer", "town": "Millbrook",
                   "latitude": 53.54, "longitude": -2.09}),
        )
        .await;
    assert_eq!(asset.status, StatusCode::CREATED, "{}", asset.json);
    let asset = asset.json["id"].as_str().unwrap().to_owned();
    let eoi = post(
        app,
        &format!("/assets/{asset}/interest"),
        &[
            ("group_name", "Friends of Oakfield Lodge"),
            ("contact_name", NAME),
            ("contact_email", EMAIL),
            ("contact_phone", PHONE),
            ("proposal", "A community café run by volunteers"),
            ("website", ""),
        ],
        None,
    )
    .await;
    assert_eq!(eoi.status, StatusCode::OK, "{}", eoi.body);

    // An Asset of Community Value nomination giving her as the contact.
    let acv = app
        .post(
            "/api/v1/acv",
            json!({"reference": "ACV/2026/31", "name": "The Oakfield Arms",
                   "nominating_group": "Oakfield Tenants Association", "received": "2026-10-01",
                   "reasons": "The last pub on the estate",
                   "nominator_contact": format!("{NAME}, {PHONE}")}),
        )
        .await;
    assert_eq!(acv.status, StatusCode::CREATED, "{}", acv.json);
    (org, svc, other)
}

both_dbs!(an_administrator_erases_a_person_everywhere);
async fn an_administrator_erases_a_person_everywhere(app: &TestApp) {
    let (org, svc, other) = record_a_person(app).await;
    // Her staff account (an editor for the organisation): signed in, with mail sent to her.
    let hers = invite_and_sign_in(app, EMAIL, Role::Editor, &[org]).await;
    let admin = invite_and_sign_in(app, "dpo@millbrook.example", Role::Admin, &[]).await;
    assert!(!places_holding(app, EMAIL).await.is_empty());
    assert!(!places_holding(app, NAME).await.is_empty());

    // Administrators only.
    assert_eq!(
        get(app, "/admin/erasure", Some(&hers)).await.status,
        StatusCode::FORBIDDEN
    );
    let start = get(app, "/admin/erasure", Some(&admin)).await;
    assert_eq!(start.status, StatusCode::OK);
    assert!(start.body.contains("Find their data"));

    // Nothing to go on: the form again, with an error summary naming the field.
    let empty = send_form(
        app,
        "/admin/erasure/find",
        &[("email", ""), ("phone", ""), ("name", "")],
        &admin,
    )
    .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("There is a problem"));
    assert!(empty.body.contains("href=\"#email\""));

    // The list first: every kind of place she is in.
    let person = [
        ("email", EMAIL),
        ("phone", "+44 161 496 0123"),
        ("name", "jane  smith-okoro"),
    ];
    let found = send_form(app, "/admin/erasure/find", &person, &admin).await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    for what in [
        "Contact person of the service",
        "Version of service",
        "Email address on suggestion",
        "Message (a public suggestion)",
        "community asset transfer case",
        "Nominator",
        "Staff account (Organisation editor)",
    ] {
        assert!(found.body.contains(what), "the list lacks '{what}'");
    }
    assert!(!found.body.contains(OTHER_NAME));

    // No reference: refused with the field named, and nothing changed.
    let before = app.change_count().await;
    let mut no_ref = person.to_vec();
    no_ref.push(("reference", " "));
    let refused = send_form(app, "/admin/erasure", &no_ref, &admin).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("href=\"#reference\""));
    assert_eq!(app.change_count().await, before);
    assert!(!places_holding(app, EMAIL).await.is_empty());

    // Erased.
    let mut with_ref = person.to_vec();
    with_ref.push(("reference", "DSAR-2026-014"));
    let done = send_form(app, "/admin/erasure", &with_ref, &admin).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = get(app, done.location(), Some(&admin)).await;
    assert!(page.body.contains("DSAR-2026-014"));
    assert!(page.body.contains("is done"));

    // Nowhere in the database, in any form; nor in any mail file.
    for needle in [EMAIL, NAME, "496 0123", "496-0123", "4960123"] {
        assert_eq!(
            places_holding(app, needle).await,
            Vec::<String>::new(),
            "'{needle}' is still stored"
        );
    }
    for (file, text) in common::accounts::mail(app) {
        assert!(
            !text.to_lowercase().contains(EMAIL),
            "mail file {file} still mentions her"
        );
    }

    // Someone else's data stays, in the record and in its history.
    let kept = app.get_auth(&format!("/api/v1/services/{other}")).await;
    assert_eq!(kept.json["contact_person"]["name"], OTHER_NAME);
    assert!(!places_holding(app, OTHER_EMAIL).await.is_empty());

    // The service lost its contact person through a normal edit by the erasure; every
    // earlier version is still there, without her, and says it was redacted.
    let now = app.get_auth(&format!("/api/v1/services/{svc}")).await;
    assert!(now.json["contact_person"].is_null(), "{}", now.json);
    assert_eq!(now.json["version"], 4);
    let history = app
        .get_auth(&format!("/api/v1/services/{svc}/history"))
        .await;
    let versions = history.json["items"].as_array().expect("history items");
    assert_eq!(versions.len(), 4, "{}", history.json);
    assert_eq!(versions[0]["actor"], "erasure:DSAR-2026-014");
    let page = get(app, &format!("/admin/history/service/{svc}"), Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.body
            .matches("Personal data removed from <code>contact_person</code>")
            .count(),
        2,
        "the two versions that named her say so"
    );
    assert!(page.body.contains("By the erasure request DSAR-2026-014"));

    // Her account is closed: no session, no sign-in.
    assert_eq!(
        get(app, "/admin", Some(&hers)).await.status,
        StatusCode::SEE_OTHER
    );
    assert_ne!(
        login(app, EMAIL, PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );

    // Recorded once, with the count, and nothing more is found.
    let erasures = app.state.store.erasures().await.unwrap();
    assert_eq!(erasures.len(), 1);
    assert_eq!(erasures[0].reference, "DSAR-2026-014");
    assert_eq!(
        i64::from(erasures[0].redacted),
        app.table_count("redactions").await
    );
    let again = send_form(app, "/admin/erasure/find", &person, &admin).await;
    assert!(again.body.contains("Nothing was found"), "{}", again.body);
}

/// `junction erase` lists without changing anything, then erases with `--apply`.
#[test]
fn the_command_line_lists_then_erases() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_junction"))
            .args(args)
            .env("JUNCTION_DATA_DIR", dir.path())
            .env_remove("DATABASE_URL")
            .env("JUNCTION_LOG", "warn")
            .output()
            .expect("run junction")
    };
    // The demo register names contact persons; take the first one's email.
    let demo = run(&["demo", "load"]);
    assert!(
        demo.status.success(),
        "{}",
        String::from_utf8_lossy(&demo.stderr)
    );
    let register: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/demo/register.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let email = register["services"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|s| s["contact_person"]["email"].as_str())
        .expect("a demo contact person with an email")
        .to_owned();

    let listed = run(&["erase", "--email", &email]);
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let out = String::from_utf8_lossy(&listed.stdout);
    assert!(out.contains("services\t"), "{out}");
    assert!(String::from_utf8_lossy(&listed.stderr).contains("nothing changed"));

    let no_ref = run(&["erase", "--email", &email, "--apply"]);
    assert!(!no_ref.status.success());
    assert!(String::from_utf8_lossy(&no_ref.stderr).contains("--reference"));

    let erased = run(&[
        "erase",
        "--email",
        &email,
        "--apply",
        "--reference",
        "REQ-7",
    ]);
    assert!(
        erased.status.success(),
        "{}",
        String::from_utf8_lossy(&erased.stderr)
    );
    assert!(String::from_utf8_lossy(&erased.stderr).contains("recorded as erasure"));

    let after = run(&["erase", "--email", &email]);
    assert!(String::from_utf8_lossy(&after.stderr).contains("found 0 item(s)"));
    let bad = run(&["erase", "--phone", "12"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--phone"));
}
