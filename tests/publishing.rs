//! Who may change what, through the API and the admin pages, on SQLite and PostgreSQL: an
//! organisation editor cannot change another organisation's records (403, and nothing
//! changes: not the row, not the change log); the record forms save, validate, and catch an
//! edit made against an old version. Reads of full records (drafts, contact persons, history)
//! follow the same scope.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use common::accounts::*;
use junction::domain::Role;
use serde_json::{Value, json};
use uuid::Uuid;

/// Two organisations, each with a location, a service and an asset: (org, location, service,
/// asset) ids of A (the seed) and of B.
struct World {
    a: [String; 4],
    b: [String; 4],
}

async fn world(app: &TestApp) -> World {
    let (org_a, loc_a, svc_a) = app.seed().await;
    let asset = |org: &str, name: &str| json!({"name": name, "owner_organisation_id": org, "town": "Millbrook"});
    let asset_a = app
        .post("/api/v1/assets", asset(&org_a, "Oakfield Pavilion"))
        .await;
    assert_eq!(asset_a.status, StatusCode::CREATED, "{}", asset_a.json);
    let org_b = app
        .post("/api/v1/organisations", json!({"name": "Riverside Allotment Society", "description": "Growing food by the river"}))
        .await;
    let org_b = org_b.json["id"].as_str().unwrap().to_owned();
    let loc_b = app
        .post(
            "/api/v1/locations",
            json!({"name": "Riverside Allotments", "address_1": "Mill Lane", "town": "Millbrook", "postcode": "OL4 2QB", "latitude": 53.541, "longitude": -2.095, "organisation_id": org_b}),
        )
        .await;
    let loc_b = loc_b.json["id"].as_str().unwrap().to_owned();
    let svc_b = app
        .post(
            "/api/v1/services",
            json!({"name": "Riverside Seed Swap", "description": "Swap seeds every spring", "organisation_id": org_b, "location_ids": [loc_b]}),
        )
        .await;
    assert_eq!(svc_b.status, StatusCode::CREATED, "{}", svc_b.json);
    let svc_b = svc_b.json["id"].as_str().unwrap().to_owned();
    let asset_b = app
        .post("/api/v1/assets", asset(&org_b, "Riverside Shed"))
        .await;
    let asset_b = asset_b.json["id"].as_str().unwrap().to_owned();
    World {
        a: [
            org_a,
            loc_a,
            svc_a,
            asset_a.json["id"].as_str().unwrap().to_owned(),
        ],
        b: [org_b, loc_b, svc_b, asset_b],
    }
}

async fn put_as(
    app: &TestApp,
    token: &str,
    uri: &str,
    change: impl FnOnce(&mut Value),
) -> common::Reply {
    let current = app.get_auth(uri).await;
    let mut body = current.json.clone();
    change(&mut body);
    let etag = current.etag();
    app.request(
        Method::PUT,
        uri,
        Some(token),
        Some(&body),
        &[("if-match", etag.as_str())],
    )
    .await
}

/// A refused write: 403 `forbidden` naming `field`, and neither the record nor the change log
/// moved.
async fn assert_refused(
    app: &TestApp,
    reply: common::Reply,
    field: &str,
    uri: Option<&str>,
    before: (i64, Option<Value>),
) {
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{}", reply.json);
    assert_eq!(reply.code(), "forbidden", "{}", reply.json);
    assert_eq!(reply.field(), field, "{}", reply.json);
    assert_eq!(app.change_count().await, before.0, "the change log moved");
    if let (Some(uri), Some(record)) = (uri, before.1) {
        assert_eq!(app.get_auth(uri).await.json, record, "the record changed");
    }
}

async fn snapshot(app: &TestApp, uri: Option<&str>) -> (i64, Option<Value>) {
    let record = match uri {
        Some(u) => Some(app.get_auth(u).await.json),
        None => None,
    };
    (app.change_count().await, record)
}

async fn editor_tokens_write_only_their_organisations_records(app: &TestApp) {
    let w = world(app).await;
    let store = &app.state.store;
    let org_a: Uuid = w.a[0].parse().unwrap();
    // `junction token create` refuses an editor token without an organisation, or with one
    // that does not exist, and an organisation on a token that covers every organisation.
    use junction::cli::token::create;
    let no_org = create(store, "ed", Role::Editor, None).await.unwrap_err();
    assert!(no_org.to_string().contains("--organisation"), "{no_org}");
    let unknown = create(store, "ed", Role::Editor, Some(Uuid::new_v4()))
        .await
        .unwrap_err();
    assert!(unknown.to_string().contains("no organisation"), "{unknown}");
    assert!(
        create(store, "m", Role::Moderator, Some(org_a))
            .await
            .is_err()
    );
    let editor = create(store, "Oakfield editor", Role::Editor, Some(org_a))
        .await
        .unwrap();
    let moderator = create(store, "moderator", Role::Moderator, None)
        .await
        .unwrap();

    let svc_b = format!("/api/v1/services/{}", w.b[2]);
    let svc_a = format!("/api/v1/services/{}", w.a[2]);
    // Another organisation's service: not changed, not deleted, not verified.
    let before = snapshot(app, Some(&svc_b)).await;
    let r = put_as(app, &editor, &svc_b, |b| b["name"] = json!("Taken over")).await;
    assert_refused(app, r, "organisation_id", Some(&svc_b), before.clone()).await;
    let r = app
        .request(Method::DELETE, &svc_b, Some(&editor), None, &[])
        .await;
    assert_refused(app, r, "organisation_id", Some(&svc_b), before.clone()).await;
    let r = app
        .request(
            Method::POST,
            &format!("{svc_b}/verify"),
            Some(&editor),
            None,
            &[],
        )
        .await;
    assert_refused(app, r, "organisation_id", Some(&svc_b), before).await;
    // Its own service cannot be moved to the other organisation…
    let before = snapshot(app, Some(&svc_a)).await;
    let r = put_as(app, &editor, &svc_a, |b| {
        b["organisation_id"] = json!(w.b[0])
    })
    .await;
    assert_refused(app, r, "organisation_id", Some(&svc_a), before).await;
    // …nor a new one made for it, nor a new organisation, nor a category.
    let services = app.table_count("services").await;
    let before = snapshot(app, None).await;
    let r = app
        .request(
            Method::POST,
            "/api/v1/services",
            Some(&editor),
            Some(&json!({"name": "Sneaky", "description": "Not ours", "organisation_id": w.b[0]})),
            &[],
        )
        .await;
    assert_refused(app, r, "organisation_id", None, before.clone()).await;
    assert_eq!(app.table_count("services").await, services);
    let r = app
        .request(
            Method::POST,
            "/api/v1/organisations",
            Some(&editor),
            Some(&json!({"name": "New group", "description": "Anyone"})),
            &[],
        )
        .await;
    assert_refused(app, r, "id", None, before.clone()).await;
    let r = app
        .request(
            Method::POST,
            "/api/v1/taxonomy-terms",
            Some(&editor),
            Some(&json!({"name": "Bees"})),
            &[],
        )
        .await;
    assert_refused(app, r, "kind", None, before).await;
    // The other organisation itself, and its asset and location.
    for (uri, field) in [
        (format!("/api/v1/organisations/{}", w.b[0]), "id"),
        (
            format!("/api/v1/assets/{}", w.b[3]),
            "owner_organisation_id",
        ),
        (format!("/api/v1/locations/{}", w.b[1]), "organisation_id"),
    ] {
        let before = snapshot(app, Some(&uri)).await;
        let r = put_as(app, &editor, &uri, |b| b["name"] = json!("Taken over")).await;
        assert_refused(app, r, field, Some(&uri), before).await;
    }

    // Its own records it may change, create, check and delete.
    let r = put_as(app, &editor, &svc_a, |b| {
        b["name"] = json!("Oakfield Warm Welcome (winter)")
    })
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let r = put_as(
        app,
        &editor,
        &format!("/api/v1/organisations/{}", w.a[0]),
        |b| b["phone"] = json!("0161 496 0000"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let made = app
        .request(Method::POST, "/api/v1/services", Some(&editor), Some(&json!({"name": "Oakfield Toddler Group", "description": "Play and songs", "organisation_id": w.a[0]})), &[])
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.json);
    let made_uri = format!("/api/v1/services/{}", made.json["id"].as_str().unwrap());
    let before = app.get_auth(&made_uri).await;
    let checked = app
        .request(
            Method::POST,
            &format!("{made_uri}/verify"),
            Some(&editor),
            None,
            &[],
        )
        .await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.json);
    // "Still correct" moves the check, not the version.
    assert_eq!(checked.etag(), before.etag());
    assert_eq!(checked.json["updated_at"], before.json["updated_at"]);
    let at = |v: &Value| {
        v["last_verified_at"]
            .as_str()
            .unwrap()
            .parse::<chrono::DateTime<chrono::Utc>>()
            .unwrap()
    };
    assert!(at(&checked.json) > at(&before.json));
    let history = app.get_auth(&format!("{made_uri}/history")).await;
    assert_eq!(history.json["items"][0]["op"], "verify");
    assert_eq!(history.json["items"][0]["actor"], "token:Oakfield editor");
    let gone = app
        .request(Method::DELETE, &made_uri, Some(&editor), None, &[])
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);

    // A moderator may change any organisation's records, but not the categories.
    let r = put_as(app, &moderator, &svc_b, |b| {
        b["name"] = json!("Riverside Seed Swap and Share")
    })
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let before = snapshot(app, None).await;
    let r = app
        .request(
            Method::POST,
            "/api/v1/taxonomy-terms",
            Some(&moderator),
            Some(&json!({"name": "Bees"})),
            &[],
        )
        .await;
    assert_refused(app, r, "kind", None, before).await;
}
both_dbs!(editor_tokens_write_only_their_organisations_records);

/// Reads follow the same scope: an editor's token sees its own organisation's records in full
/// (drafts and contact persons), and another organisation's only as the public does; its
/// history is refused. A moderator's token sees everything.
async fn editor_tokens_read_other_organisations_records_as_the_public_does(app: &TestApp) {
    let w = world(app).await;
    let (org_a, org_b): (Uuid, Uuid) = (w.a[0].parse().unwrap(), w.b[0].parse().unwrap());
    let store = &app.state.store;
    use junction::cli::token::create;
    let editor = create(store, "Oakfield editor", Role::Editor, Some(org_a))
        .await
        .unwrap();
    let moderator = create(store, "moderator", Role::Moderator, None)
        .await
        .unwrap();
    let person = json!({"name": "Riya Chaudhry", "email": "riya.c@riverside.example"});
    for svc in [&w.a[2], &w.b[2]] {
        let r = app
            .edit(&format!("/api/v1/services/{svc}"), |v| {
                v["contact_person"] = person.clone();
            })
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    }
    // A draft in each organisation.
    let mut drafts = Vec::new();
    for (org, loc) in [(&w.a[0], &w.a[1]), (&w.b[0], &w.b[1])] {
        let d = app
            .post(
                "/api/v1/services",
                json!({"name": format!("Draft plans {org}"), "description": "Not ready yet",
                       "organisation_id": org, "location_ids": [loc], "publication": "draft",
                       "contact_person": person}),
            )
            .await;
        assert_eq!(d.status, StatusCode::CREATED, "{}", d.json);
        assert_eq!(d.json["publication"], "draft");
        drafts.push(d.json["id"].as_str().unwrap().to_owned());
    }
    let read = |token: &str, uri: String| {
        let token = token.to_owned();
        async move {
            app.request(Method::GET, &uri, Some(&token), None, &[])
                .await
        }
    };

    // Own records in full, drafts included.
    let own = read(&editor, format!("/api/v1/services/{}", w.a[2])).await;
    assert_eq!(own.json["contact_person"]["name"], "Riya Chaudhry");
    let own_draft = read(&editor, format!("/api/v1/services/{}", drafts[0])).await;
    assert_eq!(own_draft.status, StatusCode::OK, "{}", own_draft.json);
    let own_history = read(&editor, format!("/api/v1/services/{}/history", w.a[2])).await;
    assert_eq!(own_history.status, StatusCode::OK, "{}", own_history.json);

    // Another organisation's: the public view, no draft, no history.
    let theirs = read(&editor, format!("/api/v1/services/{}", w.b[2])).await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(
        theirs.json.get("contact_person").is_none_or(Value::is_null),
        "{}",
        theirs.json
    );
    assert_eq!(
        theirs.json,
        app.get(&format!("/api/v1/services/{}", w.b[2])).await.json
    );
    let their_draft = read(&editor, format!("/api/v1/services/{}", drafts[1])).await;
    assert_eq!(their_draft.status, StatusCode::NOT_FOUND);
    let their_history = read(&editor, format!("/api/v1/services/{}/history", w.b[2])).await;
    assert_eq!(
        their_history.status,
        StatusCode::FORBIDDEN,
        "{}",
        their_history.json
    );
    assert_eq!(their_history.code(), "forbidden");
    assert_eq!(their_history.field(), "organisation_id");
    assert!(!String::from_utf8_lossy(&their_history.bytes).contains("Riya"));

    // Lists: the editor's own draft, not the other's; contact persons of its own only.
    let list = read(&editor, "/api/v1/services?per_page=200".to_owned()).await;
    let items = list.json["items"].as_array().unwrap();
    let ids: Vec<&str> = items.iter().filter_map(|i| i["id"].as_str()).collect();
    assert!(ids.contains(&drafts[0].as_str()));
    assert!(!ids.contains(&drafts[1].as_str()));
    assert_eq!(list.json["total"], items.len());
    for item in items {
        let named = !item.get("contact_person").is_none_or(Value::is_null);
        assert_eq!(
            named,
            item["organisation_id"] == org_a.to_string()
                && item["contact_person"]["name"] == "Riya Chaudhry",
            "{item}"
        );
        if item["organisation_id"] == org_b.to_string() {
            assert!(!named, "another organisation's contact person: {item}");
        }
    }

    // A moderator's token: everything.
    let list = read(&moderator, "/api/v1/services?per_page=200".to_owned()).await;
    let ids: Vec<&str> = list.json["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["id"].as_str())
        .collect();
    assert!(ids.contains(&drafts[0].as_str()) && ids.contains(&drafts[1].as_str()));
    let theirs = read(&moderator, format!("/api/v1/services/{}", w.b[2])).await;
    assert_eq!(theirs.json["contact_person"]["name"], "Riya Chaudhry");
    let history = read(&moderator, format!("/api/v1/services/{}/history", w.b[2])).await;
    assert_eq!(history.status, StatusCode::OK);
}
both_dbs!(editor_tokens_read_other_organisations_records_as_the_public_does);

/// The fields of the service form for `record` (its JSON), as a browser would post them.
fn service_fields(record: &Value, csrf: &str) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = vec![("csrf_token".into(), csrf.into())];
    for k in [
        "name",
        "description",
        "organisation_id",
        "status",
        "publication",
    ] {
        f.push((k.into(), record[k].as_str().unwrap_or_default().into()));
    }
    f.push(("version".into(), record["version"].to_string()));
    for k in ["location_ids", "categories"] {
        for v in record[k].as_array().into_iter().flatten() {
            f.push((k.into(), v.as_str().unwrap().into()));
        }
    }
    f
}

async fn post_fields(app: &TestApp, uri: &str, fields: &[(String, String)], cookie: &str) -> Page {
    let pairs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    post(app, uri, &pairs, Some(cookie)).await
}

fn set(fields: &mut [(String, String)], key: &str, value: &str) {
    for (k, v) in fields.iter_mut() {
        if k == key {
            *v = value.to_owned();
        }
    }
}

async fn editors_cannot_change_other_organisations_records_through_the_pages(app: &TestApp) {
    let w = world(app).await;
    let org_a: Uuid = w.a[0].parse().unwrap();
    let editor = invite_and_sign_in(app, "editor@example.org", Role::Editor, &[org_a]).await;
    let svc_b_api = format!("/api/v1/services/{}", w.b[2]);
    let svc_b_page = format!("/admin/records/service/{}", w.b[2]);

    // Another organisation's record: no form, and a post (with a valid CSRF token) is refused.
    let page = get(app, &svc_b_page, Some(&editor)).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("You cannot change this record"));
    assert!(
        !page.body.contains("Riverside Seed Swap"),
        "the record is not shown"
    );
    let own = get(
        app,
        &format!("/admin/records/service/{}", w.a[2]),
        Some(&editor),
    )
    .await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    let csrf = own.csrf();
    let before = snapshot(app, Some(&svc_b_api)).await;
    let mut fields = service_fields(before.1.as_ref().unwrap(), &csrf);
    set(&mut fields, "name", "Taken over");
    let refused = post_fields(app, &svc_b_page, &fields, &editor).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let refused = post(
        app,
        &format!("{svc_b_page}/verify"),
        &[("csrf_token", &csrf)],
        Some(&editor),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Nor can a service of its own be given away, or a new one made for the other organisation.
    let services = app.table_count("services").await;
    set(&mut fields, "organisation_id", &w.b[0]);
    let refused = post_fields(app, "/admin/records/service/new", &fields, &editor).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let svc_a_api = format!("/api/v1/services/{}", w.a[2]);
    let a_before = app.get_auth(&svc_a_api).await.json;
    let mut give = service_fields(&a_before, &csrf);
    set(&mut give, "organisation_id", &w.b[0]);
    let refused = post_fields(
        app,
        &format!("/admin/records/service/{}", w.a[2]),
        &give,
        &editor,
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let refused = get(app, "/admin/records/organisation/new", Some(&editor)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // Nothing changed.
    assert_eq!(app.table_count("services").await, services);
    assert_eq!(app.change_count().await, before.0);
    assert_eq!(app.get_auth(&svc_b_api).await.json, before.1.unwrap());
    assert_eq!(app.get_auth(&svc_a_api).await.json, a_before);

    // Its own service it changes through the form (links and categories kept).
    let mut mine = service_fields(&a_before, &csrf);
    set(&mut mine, "name", "Oakfield Warm Welcome (winter)");
    let saved = post_fields(
        app,
        &format!("/admin/records/service/{}", w.a[2]),
        &mine,
        &editor,
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        saved.location(),
        format!("/admin/records/service/{}?done=saved", w.a[2])
    );
    let after = app.get_auth(&svc_a_api).await.json;
    assert_eq!(after["name"], "Oakfield Warm Welcome (winter)");
    assert_eq!(after["version"], 2);
    assert_eq!(after["location_ids"], a_before["location_ids"]);
    assert_eq!(after["categories"], a_before["categories"]);
    assert_eq!(
        after["last_verified_at"], a_before["last_verified_at"],
        "a save is not a check"
    );
    let history = app.get_auth(&format!("{svc_a_api}/history")).await;
    assert!(
        history.json["items"][0]["actor"]
            .as_str()
            .unwrap()
            .starts_with("user:")
    );
}
both_dbs!(editors_cannot_change_other_organisations_records_through_the_pages);

async fn forms_validate_create_and_catch_an_edit_against_an_old_version(app: &TestApp) {
    let w = world(app).await;
    let admin = invite_and_sign_in(app, "admin@example.org", Role::Admin, &[]).await;
    let svc = format!("/api/v1/services/{}", w.a[2]);
    let page_uri = format!("/admin/records/service/{}", w.a[2]);
    let form = get(app, &page_uri, Some(&admin)).await;
    assert_eq!(form.status, StatusCode::OK);
    for label in [
        "for=\"name\"",
        "name=\"version\" value=\"1\"",
        "Still correct",
        "Draft",
    ] {
        assert!(form.body.contains(label), "{label} missing");
    }
    let opened = app.get_auth(&svc).await.json;
    let csrf = form.csrf();

    // A required field left empty and a number that isn't: the form again, with an error
    // summary linking to each field; nothing saved.
    let changes = app.change_count().await;
    let mut bad = service_fields(&opened, &csrf);
    set(&mut bad, "name", "  ");
    bad.push(("min_age".into(), "ten".into()));
    let page = post_fields(app, &page_uri, &bad, &admin).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("There is a problem"));
    assert!(page.body.contains("href=\"#name\""), "{}", page.body);
    assert!(page.body.contains("Enter the name"));
    assert!(page.body.contains("Minimum age must be a whole number"));
    assert!(
        page.body.contains("value=\"ten\""),
        "what was typed is kept"
    );
    // A rule of the record itself (a bad website), named on its field.
    let mut bad = service_fields(&opened, &csrf);
    bad.push(("website".into(), "not a website".into()));
    let page = post_fields(app, &page_uri, &bad, &admin).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("href=\"#website\""), "{}", page.body);
    assert_eq!(app.change_count().await, changes);

    // Someone saves through the API while the form is open…
    let moved = app
        .edit(&svc, |b| {
            b["description"] = json!("Soup and tea on winter afternoons")
        })
        .await;
    assert_eq!(moved.status, StatusCode::OK);
    let changes = app.change_count().await;
    // …so saving the form opened at version 1 shows the conflict and saves nothing.
    let mut late = service_fields(&opened, &csrf);
    set(&mut late, "name", "Oakfield Winter Welcome");
    let page = post_fields(app, &page_uri, &late, &admin).await;
    assert_eq!(page.status, StatusCode::CONFLICT, "{}", page.body);
    assert!(page.body.contains("Someone else changed this service"));
    assert!(page.body.contains("href=\"#conflict\""));
    let row = |label: &str| {
        let at = page
            .body
            .find(&format!("<th scope=\"row\">{label}</th>"))
            .unwrap_or_else(|| panic!("no {label} row: {}", page.body));
        page.body[at..].chars().take(400).collect::<String>()
    };
    let name_row = row("Name");
    assert!(
        name_row.contains("Oakfield Winter Welcome") && name_row.contains("Oakfield Warm Welcome"),
        "{name_row}"
    );
    let description_row = row("Description");
    assert!(
        description_row.contains("Soup and tea on winter afternoons"),
        "{description_row}"
    );
    assert!(
        !page.body.contains("<th scope=\"row\">Organisation</th>"),
        "unchanged fields are not listed"
    );
    let now = app.get_auth(&svc).await.json;
    assert_eq!(now["name"], "Oakfield Warm Welcome");
    assert_eq!(now["version"], 2);
    assert_eq!(app.change_count().await, changes);
    // The form comes back at the current version: saving again is a deliberate choice.
    assert!(page.body.contains("name=\"version\" value=\"2\""));
    set(&mut late, "version", "2");
    let saved = post_fields(app, &page_uri, &late, &admin).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        app.get_auth(&svc).await.json["name"],
        "Oakfield Winter Welcome"
    );

    // An administrator adds an organisation as a draft, then publishes and archives it.
    let new = get(app, "/admin/records/organisation/new", Some(&admin)).await;
    assert_eq!(new.status, StatusCode::OK);
    let fields = [
        ("csrf_token", csrf.as_str()),
        ("name", "Wrenfield Bee Keepers"),
        ("description", "Hives, honey and swarm collection"),
        ("org_type", "community_group"),
        ("publication", "draft"),
    ];
    let made = post(
        app,
        "/admin/records/organisation/new",
        &fields,
        Some(&admin),
    )
    .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let id = made
        .location()
        .trim_start_matches("/admin/records/organisation/")
        .trim_end_matches("?done=created")
        .to_owned();
    let org = app
        .get_auth(&format!("/api/v1/organisations/{id}"))
        .await
        .json;
    assert_eq!(org["publication"], "draft");
    assert_eq!(
        app.get(&format!("/api/v1/organisations/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    for (state, version) in [("published", "1"), ("archived", "2")] {
        let mut f = fields.to_vec();
        f[4] = ("publication", state);
        f.push(("version", version));
        let saved = post(
            app,
            &format!("/admin/records/organisation/{id}"),
            &f,
            Some(&admin),
        )
        .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let org = app
            .get_auth(&format!("/api/v1/organisations/{id}"))
            .await
            .json;
        assert_eq!(org["publication"], state);
    }
    // Taxonomy terms are administrators' alone.
    let cats = get(app, "/admin/categories", Some(&admin)).await;
    assert!(cats.body.contains("Warm spaces"), "{}", cats.body);
}
both_dbs!(forms_validate_create_and_catch_an_edit_against_an_old_version);
