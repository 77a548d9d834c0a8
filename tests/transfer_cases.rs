//! Community asset transfer cases through the real router, on SQLite and PostgreSQL: a case
//! from expression of interest to completion (public form, staff pages and the API), what the
//! asset's public page and the applicant's private link show at each stage, uploads refused
//! for size and type, and the applicant's private details never reaching a public page or API.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly by design

mod common;

use axum::{
    body::Body,
    http::{Request, StatusCode},
};
use common::TestApp;
use common::accounts::{Page, get, invite_and_sign_in, mail, post, send};
use junction::domain::Role;
use serde_json::{Value, json};

const GROUP: &str = "Friends of Oakfield Park";
const CONTACT: &str = "Marjorie Pettigrew-Okafor";
const EMAIL: &str = "marjorie.p@oakfield-friends.example";
const PHONE: &str = "01632 960 417";
const PROPOSAL: &str = "A community garden and tool library run by volunteers";
const PRIVATE_NOTE: &str = "Structural survey flagged asbestos in the east wing";
const PUBLIC_NOTE: &str = "Please send your business case by the deadline";

/// An organisation and a published asset with the given community use; returns the asset id.
async fn asset(app: &TestApp, name: &str, community_use: &str) -> String {
    let org = app
        .post(
            "/api/v1/organisations",
            json!({"name": format!("Owner of {name}"), "description": "A council", "org_type": "council"}),
        )
        .await;
    assert_eq!(org.status, StatusCode::CREATED, "{}", org.json);
    let a = app
        .post(
            "/api/v1/assets",
            json!({"name": name, "owner_organisation_id": org.json["id"], "community_use": community_use,
                   "address_1": "1 Park Road", "town": "Millbrook", "postcode": "OL4 2QB",
                   "latitude": 53.54, "longitude": -2.09}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json);
    a.json["id"].as_str().unwrap().to_owned()
}

fn interest_form() -> Vec<(&'static str, &'static str)> {
    vec![
        ("group_name", GROUP),
        ("contact_name", CONTACT),
        ("contact_email", EMAIL),
        ("contact_phone", PHONE),
        ("proposal", PROPOSAL),
        ("website", ""),
    ]
}

/// The token in the private link a page shows.
fn token_in(body: &str) -> String {
    let at = body.find("/transfer-cases/").expect("a private link") + "/transfer-cases/".len();
    body[at..at + 64].to_owned()
}

/// Everything that must never be published about the applicant.
fn assert_private_details_absent(text: &str, where_: &str) {
    for secret in [CONTACT, EMAIL, PHONE, PRIVATE_NOTE, PROPOSAL, "plan.pdf"] {
        assert!(!text.contains(secret), "{where_} shows '{secret}'");
    }
}

/// Every public page and API that could show something of the asset or its cases.
async fn assert_nothing_private_published(app: &TestApp, asset: &str) {
    app.eventually(|| async {
        app.get(&format!("/api/v1/search?kind=asset&q={}", "Oakfield"))
            .await
            .json["total"]
            .as_u64()
            .unwrap_or(0)
            > 0
    })
    .await;
    for path in [
        format!("/assets/{asset}"),
        format!("/api/v1/assets/{asset}"),
        format!("/api/v1/assets/{asset}/transfer-status"),
        "/api/v1/assets".to_owned(),
        "/api/v1/search?kind=asset".to_owned(),
        "/api/v1/search.csv?kind=asset".to_owned(),
        "/feeds/assets".to_owned(),
        "/search?kind=asset".to_owned(),
        "/sitemap.xml".to_owned(),
    ] {
        let r = app.get(&path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_private_details_absent(&String::from_utf8_lossy(&r.bytes), &path);
    }
    // Without a staff token the cases themselves are not readable.
    for path in [
        format!("/api/v1/assets/{asset}/transfer-cases"),
        "/api/v1/transfer-cases".to_owned(),
    ] {
        let r = app.get(&path).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path}");
        assert_private_details_absent(&String::from_utf8_lossy(&r.bytes), &path);
    }
}

fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> (String, Vec<u8>) {
    let boundary = "----junction-test-boundary-7d3f";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n")
                .as_bytes(),
        );
    }
    if let Some((name, bytes)) = file {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"document\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn upload(
    app: &TestApp,
    uri: &str,
    cookie: Option<&str>,
    fields: &[(&str, &str)],
    file: (&str, &[u8]),
) -> Page {
    let (content_type, body) = multipart(fields, Some(file));
    let mut b = Request::builder()
        .method("POST")
        .uri(uri)
        .header("content-type", content_type);
    if let Some(c) = cookie {
        b = b.header("cookie", c);
    }
    send(app, b.body(Body::from(body)).unwrap(), None).await
}

fn pdf() -> Vec<u8> {
    let mut b = b"%PDF-1.7\n".to_vec();
    b.extend_from_slice(&[0x25, 0xE2, 0xE3, 0xCF, 0xD3, b'\n']);
    b.extend_from_slice(b"1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");
    b
}

/// Fails unless `value` matches the OpenAPI document's schema `schema`.
fn assert_schema(doc: &Value, schema: &str, value: &Value) {
    let wrapper = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("#/components/schemas/{schema}"),
        "components": doc["components"],
    });
    let v = jsonschema::validator_for(&wrapper).expect("schema compiles");
    let errors: Vec<String> = v.iter_errors(value).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{schema}: {errors:?}\n{value}");
}

async fn asset_page(app: &TestApp, asset: &str) -> String {
    let page = get(app, &format!("/assets/{asset}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    page.body
}

async fn stage_via_api(app: &TestApp, case: &str, body: Value) -> Value {
    let r = app
        .post(&format!("/api/v1/transfer-cases/{case}/stages"), body)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    r.json
}

both_dbs!(a_case_goes_from_interest_to_completion);
async fn a_case_goes_from_interest_to_completion(app: &TestApp) {
    let asset = asset(app, "Oakfield Park Pavilion", "offered_for_transfer").await;

    // On offer: the page invites interest, and nothing is under consideration yet.
    let page = asset_page(app, &asset).await;
    assert!(
        page.contains(&format!("/assets/{asset}/interest")),
        "{page}"
    );
    assert!(!page.contains("Under consideration"));

    // The form names every missing field in its error summary.
    let form = get(app, &format!("/assets/{asset}/interest"), None).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("name=\"group_name\""));
    let empty = post(
        app,
        &format!("/assets/{asset}/interest"),
        &[("group_name", GROUP)],
        None,
    )
    .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("There is a problem"));
    for (field, message) in [
        ("contact_name", "Enter your name"),
        ("contact_email", "Enter your email address"),
        ("proposal", "Say what your group would do with it"),
    ] {
        assert!(
            empty.body.contains(&format!("href=\"#{field}\"")),
            "{field}"
        );
        assert!(empty.body.contains(message), "{message}");
    }
    let mut bad_email = interest_form();
    bad_email[2] = ("contact_email", "not an email");
    let r = post(app, &format!("/assets/{asset}/interest"), &bad_email, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("href=\"#contact_email\""));
    // A robot that fills the hidden field is turned away, and no case is made.
    let mut robot = interest_form();
    robot[5] = ("website", "http://spam.example");
    let r = post(app, &format!("/assets/{asset}/interest"), &robot, None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.table_count("transfer_cases").await, 0);

    // The expression of interest: the private link shown once and emailed.
    let sent = post(
        app,
        &format!("/assets/{asset}/interest"),
        &interest_form(),
        None,
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(sent.body.contains("Expression of interest sent"));
    assert_eq!(sent.headers["cache-control"], "no-store");
    let token = token_in(&sent.body);
    let mailed: Vec<_> = mail(app)
        .into_iter()
        .filter(|(to, _)| to == EMAIL)
        .collect();
    assert_eq!(mailed.len(), 1, "one email to the applicant");
    assert!(mailed[0].1.contains(&format!("/transfer-cases/{token}")));
    // Only the token's hash is stored.
    let stored = common::accounts::count(
        app,
        &format!("SELECT COUNT(*) AS n FROM transfer_cases WHERE token_hash = '{token}'"),
    )
    .await;
    assert_eq!(stored, 0, "the token itself is not stored");

    let private = format!("/transfer-cases/{token}");
    let mine = get(app, &private, None).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert!(mine.body.contains("Expression of interest"));
    assert!(mine.body.contains(GROUP));
    assert!(mine.body.contains("noindex"));
    assert_eq!(mine.headers["referrer-policy"], "no-referrer");
    // A wrong or malformed token finds nothing.
    let wrong = format!("/transfer-cases/{}", "0".repeat(64));
    assert_eq!(get(app, &wrong, None).await.status, StatusCode::NOT_FOUND);

    let page = asset_page(app, &asset).await;
    assert!(
        page.contains("Under consideration for community asset transfer"),
        "{page}"
    );
    assert!(page.contains("stage: Expression of interest"));
    assert!(
        !page.contains(GROUP),
        "the group is named only once decided"
    );
    assert_nothing_private_published(app, &asset).await;

    // Staff: a moderator signed in sees the case and moves it on through the pages.
    let cookie = invite_and_sign_in(app, "officer@council.example", Role::Moderator, &[]).await;
    let list = get(app, "/admin/transfer-cases", Some(&cookie)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(list.body.contains(GROUP));
    let case_id = app.get_auth("/api/v1/transfer-cases").await.json["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let case_path = format!("/admin/transfer-cases/{case_id}");
    let case_page = get(app, &case_path, Some(&cookie)).await;
    assert!(
        case_page.body.contains(EMAIL),
        "staff see the contact details"
    );
    let csrf = case_page.csrf();

    // A deadline before the stage's date is refused, naming the field.
    let r = post(
        app,
        &format!("{case_path}/advance"),
        &[
            ("csrf_token", csrf.as_str()),
            ("stage", "availability-confirmed"),
            ("entered_on", "2026-12-01"),
            ("deadline", "2026-11-01"),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("href=\"#deadline\""));
    // Without the CSRF token nothing happens.
    let r = post(
        app,
        &format!("{case_path}/advance"),
        &[("stage", "availability-confirmed")],
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    let r = post(
        app,
        &format!("{case_path}/advance"),
        &[
            ("csrf_token", csrf.as_str()),
            ("stage", "availability-confirmed"),
            ("officer", "P. Okonjo, Estates"),
            ("deadline", "2020-01-31"),
            ("notes", PRIVATE_NOTE),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The deadline has passed: the list flags it.
    let list = get(app, "/admin/transfer-cases", Some(&cookie)).await;
    assert!(list.body.contains("Overdue"), "{}", list.body);
    let staff_view = get(app, &case_path, Some(&cookie)).await;
    assert!(staff_view.body.contains(PRIVATE_NOTE));
    assert!(staff_view.body.contains("Staff only"));

    let mine = get(app, &private, None).await;
    assert!(mine.body.contains("Availability confirmed"));
    assert!(mine.body.contains("31 January 2020"));
    assert!(
        !mine.body.contains(PRIVATE_NOTE),
        "a staff note is not shown to the applicant"
    );

    // Staff upload a document through their page; it is listed, downloadable by staff only.
    let r = upload(
        app,
        &format!("{case_path}/documents"),
        Some(&cookie),
        &[("csrf_token", csrf.as_str())],
        ("site plan.pdf", &pdf()),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let staff_view = get(app, &case_path, Some(&cookie)).await;
    let at = staff_view
        .body
        .find(&format!("{case_path}/documents/"))
        .unwrap();
    let href = &staff_view.body[at..at + case_path.len() + "/documents/".len() + 36];
    let file = get(app, href, Some(&cookie)).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.headers["content-type"], "application/pdf");
    assert!(
        file.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(
        get(app, href, None).await.status,
        StatusCode::SEE_OTHER,
        "signed out: to the sign-in page"
    );

    // Through the API, with public notes for the applicant.
    for (stage, label) in [
        ("business-case-submitted", "Business case submitted"),
        ("assessment", "Assessment"),
        ("decision", "Decision"),
        ("heads-of-terms-agreed", "Heads of terms agreed"),
    ] {
        let case = stage_via_api(
            app,
            &case_id,
            json!({"stage": stage, "officer": "P. Okonjo", "notes": PUBLIC_NOTE, "notes_public": true, "deadline": "2099-03-31"}),
        )
        .await;
        assert_eq!(case["stage"], stage);
        assert_eq!(case["state"], "open");
        let page = asset_page(app, &asset).await;
        assert!(page.contains("Under consideration for community asset transfer"));
        assert!(page.contains(&format!("stage: {label}")), "{label}");
        assert_private_details_absent(&page, "the asset page");
        let mine = get(app, &private, None).await;
        assert!(mine.body.contains(label), "{label}");
        assert!(mine.body.contains(PUBLIC_NOTE));
        assert!(mine.body.contains("31 March 2099"));
    }
    // Completing needs the terms, and a stage can't go backwards.
    let r = app
        .post(
            &format!("/api/v1/transfer-cases/{case_id}/stages"),
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field(), "terms");
    let r = app
        .post(
            &format!("/api/v1/transfer-cases/{case_id}/stages"),
            json!({"stage": "assessment"}),
        )
        .await;
    assert_eq!(r.field(), "stage");
    let r = app
        .post(
            &format!("/api/v1/transfer-cases/{case_id}/stages"),
            json!({"terms": "rent-free"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.field(), "terms");

    let done = stage_via_api(
        app,
        &case_id,
        json!({"entered_on": "2027-03-03", "terms": "lease", "terms_detail": "25 years", "officer": "P. Okonjo"}),
    )
    .await;
    assert_eq!(done["state"], "completed");
    assert_eq!(done["stage"], "completed");

    let page = asset_page(app, &asset).await;
    assert!(
        page.contains(&format!(
            "Transferred to {GROUP} on a lease (25 years), 3 March 2027"
        )),
        "{page}"
    );
    assert!(!page.contains("Under consideration"));
    assert!(
        !page.contains(&format!("/assets/{asset}/interest")),
        "no longer on offer"
    );
    let a = app.get(&format!("/api/v1/assets/{asset}")).await;
    assert_eq!(a.json["community_use"], "transferred");
    let status = app
        .get(&format!("/api/v1/assets/{asset}/transfer-status"))
        .await;
    assert_eq!(status.json["items"][0]["status"], "transferred");
    assert_eq!(status.json["items"][0]["group_name"], GROUP);
    let mine = get(app, &private, None).await;
    assert!(mine.body.contains("Completed"));
    assert!(
        mine.body.contains("site plan.pdf"),
        "the applicant sees the documents' names"
    );
    assert!(
        !mine.body.contains(&format!("{case_path}/documents/")),
        "but no download link"
    );
    assert_nothing_private_published(app, &asset).await;

    // A closed case changes no more, and an asset no longer on offer takes no new interest.
    let r = app
        .post(
            &format!("/api/v1/transfer-cases/{case_id}/close"),
            json!({"outcome": "declined", "reason": "x"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = post(
        app,
        &format!("/assets/{asset}/interest"),
        &interest_form(),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // The asset keeps its case history: it cannot be deleted.
    let r = app.delete(&format!("/api/v1/assets/{asset}")).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.json);
}

both_dbs!(uploads_are_limited_by_size_and_type);
async fn uploads_are_limited_by_size_and_type(app: &TestApp) {
    let asset = asset(app, "Oakfield Depot", "offered_for_transfer").await;
    let sent = post(
        app,
        &format!("/assets/{asset}/interest"),
        &interest_form(),
        None,
    )
    .await;
    let private = format!("/transfer-cases/{}", token_in(&sent.body));
    let docs = format!("{private}/documents");

    // Too large: one byte over 10 MiB.
    let mut big = pdf();
    big.resize(10 * 1024 * 1024 + 1, b' ');
    let r = upload(app, &docs, None, &[], ("business case.pdf", &big)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("The file is larger than 10 MB"),
        "{}",
        r.body
    );
    assert!(r.body.contains("href=\"#document\""));
    // Far too large: refused while reading, with the same message.
    let mut huge = pdf();
    huge.resize(12 * 1024 * 1024, b' ');
    let r = upload(app, &docs, None, &[], ("business case.pdf", &huge)).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.body.contains("The file is larger than 10 MB"));
    // The wrong type by name, and the right name on the wrong contents.
    let r = upload(app, &docs, None, &[], ("setup.exe", b"MZ\x90\x00\x03")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("The file must be a PDF"), "{}", r.body);
    let r = upload(
        app,
        &docs,
        None,
        &[],
        ("plan.pdf", b"MZ\x90\x00\x03 not a pdf"),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("its contents do not match its name"),
        "{}",
        r.body
    );
    assert_eq!(app.table_count("transfer_case_documents").await, 0);
    let dir = app.dir.path().join("transfer-documents");
    let files = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
    assert_eq!(files, 0, "nothing refused was kept");

    // A real PNG from the applicant is kept under a generated name, never served publicly.
    let png =
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00";
    let r = upload(app, &docs, None, &[], ("../../photo of hall.png", png)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(app.table_count("transfer_case_documents").await, 1);
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1);
    assert_eq!(names[0].len(), 32, "a generated name: {names:?}");
    assert_eq!(std::fs::read(dir.join(&names[0])).unwrap(), png);
    let mine = get(app, &private, None).await;
    assert!(mine.body.contains("photo of hall.png"), "{}", mine.body);
    for path in [
        format!("/transfer-documents/{}", names[0]),
        format!("/static/{}", names[0]),
    ] {
        assert_eq!(app.get(&path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
}

both_dbs!(declined_cases_and_api_errors);
async fn declined_cases_and_api_errors(app: &TestApp) {
    let offered = asset(app, "Oakfield Library", "offered_for_transfer").await;
    let in_use = asset(app, "Oakfield Town Hall", "in_use").await;
    let base = format!("/api/v1/assets/{offered}/transfer-cases");
    let body = json!({"group_name": GROUP, "contact_name": CONTACT, "contact_email": EMAIL, "contact_phone": PHONE, "proposal": PROPOSAL});

    // Errors name the field; no token is needed to express interest.
    for (change, field) in [
        (json!({"contact_email": "nope"}), "contact_email"),
        (json!({"contact_phone": "call me"}), "contact_phone"),
        (json!({"group_name": "  "}), "group_name"),
        (json!({"favourite_colour": "green"}), "favourite_colour"),
    ] {
        let mut b = body.clone();
        for (k, v) in change.as_object().unwrap() {
            b[k] = v.clone();
        }
        let r = app
            .request(axum::http::Method::POST, &base, None, Some(&b), &[])
            .await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            r.json
        );
        assert_eq!(r.code(), "validation_failed");
        assert_eq!(r.field(), field);
    }
    let mut missing = body.clone();
    missing.as_object_mut().unwrap().remove("proposal");
    let r = app
        .request(axum::http::Method::POST, &base, None, Some(&missing), &[])
        .await;
    assert_eq!(r.field(), "proposal");
    let r = app
        .request(
            axum::http::Method::POST,
            &format!("/api/v1/assets/{in_use}/transfer-cases"),
            None,
            Some(&body),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.field(), "asset_id");
    assert_eq!(app.table_count("transfer_cases").await, 0);

    let r = app
        .request(axum::http::Method::POST, &base, None, Some(&body), &[])
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    assert_eq!(r.json["stage"], "expression-of-interest");
    let link = r.json["private_link"].as_str().unwrap().to_owned();
    assert!(!r.bytes.windows(EMAIL.len()).any(|w| w == EMAIL.as_bytes()));
    let case_id = r.json["id"].as_str().unwrap().to_owned();

    // Only staff tokens see or change cases.
    let editor = app
        .state
        .store
        .create_token("editor", Role::Editor, None)
        .await
        .unwrap();
    for (method, path, b) in [
        (
            axum::http::Method::GET,
            "/api/v1/transfer-cases".to_owned(),
            None,
        ),
        (
            axum::http::Method::GET,
            format!("/api/v1/transfer-cases/{case_id}"),
            None,
        ),
        (
            axum::http::Method::POST,
            format!("/api/v1/transfer-cases/{case_id}/stages"),
            Some(json!({})),
        ),
    ] {
        let r = app
            .request(
                method.clone(),
                &path,
                Some(editor.as_str()),
                b.as_ref(),
                &[],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(r.code(), "forbidden");
        let r = app.request(method, &path, None, b.as_ref(), &[]).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path}");
    }
    let full = app
        .get_auth(&format!("/api/v1/transfer-cases/{case_id}"))
        .await;
    assert_eq!(full.json["contact_email"], EMAIL);

    // The answers match the OpenAPI document, which lists every route.
    let doc = app.get("/api/openapi.json").await.json;
    for (path, method) in [
        ("/api/v1/assets/{id}/transfer-cases", "post"),
        ("/api/v1/assets/{id}/transfer-cases", "get"),
        ("/api/v1/assets/{id}/transfer-status", "get"),
        ("/api/v1/transfer-cases", "get"),
        ("/api/v1/transfer-cases/{id}", "get"),
        ("/api/v1/transfer-cases/{id}/stages", "post"),
        ("/api/v1/transfer-cases/{id}/close", "post"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
    assert_schema(&doc, "TransferCase", &full.json);
    let created = app
        .request(axum::http::Method::POST, &base, None, Some(&body), &[])
        .await;
    assert_schema(&doc, "CreatedCase", &created.json);
    assert_schema(
        &doc,
        "ErrorBody",
        &app.get_auth("/api/v1/transfer-cases/nope").await.json,
    );

    // Declined, with a reason the applicant sees and the public doesn't.
    let r = app
        .post(
            &format!("/api/v1/transfer-cases/{case_id}/close"),
            json!({"outcome": "completed", "reason": "r"}),
        )
        .await;
    assert_eq!(r.field(), "outcome");
    let r = app
        .post(
            &format!("/api/v1/transfer-cases/{case_id}/close"),
            json!({"outcome": "declined", "reason": "  "}),
        )
        .await;
    assert_eq!(r.field(), "reason");
    let reason = "The building is needed for the new school";
    let r = app
        .post(
            &format!("/api/v1/transfer-cases/{case_id}/close"),
            json!({"outcome": "declined", "reason": reason, "entered_on": "2027-01-15"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    assert_eq!(r.json["state"], "declined");
    let status = app
        .get(&format!("/api/v1/assets/{offered}/transfer-status"))
        .await;
    for item in status.json["items"].as_array().unwrap() {
        assert_schema(&doc, "PublicTransferStatus", item);
    }
    assert_eq!(status.json["items"][0]["status"], "declined");
    assert!(status.json["items"][0].get("group_name").is_none());
    let page = asset_page(app, &offered).await;
    assert!(page.contains("Declined"), "{page}");
    assert!(page.contains("15 January 2027"));
    assert!(!page.contains(reason));
    assert!(!page.contains(GROUP));
    assert_private_details_absent(&page, "the asset page");
    let token = link.rsplit('/').next().unwrap();
    let mine = get(app, &format!("/transfer-cases/{token}"), None).await;
    assert!(mine.body.contains("Declined"));
    assert!(mine.body.contains(reason));
    assert!(
        !mine.body.contains("type=\"file\""),
        "a closed case takes no uploads"
    );
}

both_backends!(stages_come_from_the_configuration);
async fn stages_come_from_the_configuration(backend: common::Backend) {
    let app = TestApp::configured(backend, false, |c| {
        c.transfer_stages = Some("Interest received; Site visit; Handed over".into());
    })
    .await;
    let asset = asset(&app, "Oakfield Allotments", "offered_for_transfer").await;
    let body = json!({"group_name": GROUP, "contact_name": CONTACT, "contact_email": EMAIL, "proposal": PROPOSAL});
    let r = app
        .request(
            axum::http::Method::POST,
            &format!("/api/v1/assets/{asset}/transfer-cases"),
            None,
            Some(&body),
            &[],
        )
        .await;
    assert_eq!(r.json["stage_label"], "Interest received");
    let id = r.json["id"].as_str().unwrap();
    let r = app
        .post(
            &format!("/api/v1/transfer-cases/{id}/stages"),
            json!({"stage": "decision"}),
        )
        .await;
    assert_eq!(r.field(), "stage");
    assert!(
        r.json["error"]["message"]
            .as_str()
            .unwrap()
            .contains("site-visit")
    );
    stage_via_api(&app, id, json!({})).await;
    let done = stage_via_api(&app, id, json!({"terms": "freehold"})).await;
    assert_eq!(done["state"], "completed");
    assert_eq!(done["stage_label"], "Handed over");
    app.finish().await;
}

/// A published council asset offered for transfer with the given closing date; returns its id.
async fn offered_until(app: &TestApp, name: &str, closing: &str) -> String {
    let org = app
        .post(
            "/api/v1/organisations",
            json!({"name": format!("Owner of {name}"), "description": "A council", "org_type": "council"}),
        )
        .await;
    assert_eq!(org.status, StatusCode::CREATED, "{}", org.json);
    let a = app
        .post(
            "/api/v1/assets",
            json!({"name": name, "owner_organisation_id": org.json["id"],
                   "community_use": "offered_for_transfer", "transfer_closing_date": closing,
                   "address_1": "2 Mill Lane", "town": "Millbrook", "postcode": "OL4 2QB",
                   "latitude": 53.54, "longitude": -2.09}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json);
    a.json["id"].as_str().unwrap().to_owned()
}

both_dbs!(interest_after_the_closing_date_is_refused);
async fn interest_after_the_closing_date_is_refused(app: &TestApp) {
    let closed = offered_until(app, "Mill Lane Depot", "2026-03-12").await;
    let open = offered_until(app, "Riverside Lodge", "2099-12-31").await;
    let message = "Expressions of interest for this asset closed on 12 March 2026";

    // The page says interest has closed, and no longer offers the form.
    let page = asset_page(app, &closed).await;
    assert!(
        page.contains("Expressions of interest closed on 12 March 2026"),
        "{page}"
    );
    assert!(
        !page.contains(&format!("/assets/{closed}/interest")),
        "{page}"
    );
    let form = get(app, &format!("/assets/{closed}/interest"), None).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Expressions of interest have closed"));
    assert!(form.body.contains("closed on 12 March 2026"));
    assert!(!form.body.contains("name=\"group_name\""));

    // A form opened before the date and sent after it: shown again with the error, nothing kept.
    let sent = post(
        app,
        &format!("/assets/{closed}/interest"),
        &interest_form(),
        None,
    )
    .await;
    assert_eq!(sent.status, StatusCode::CONFLICT, "{}", sent.body);
    assert!(sent.body.contains("There is a problem"));
    assert!(sent.body.contains("href=\"#asset\""), "{}", sent.body);
    assert!(sent.body.contains(message), "{}", sent.body);
    assert!(sent.body.contains(GROUP), "what was typed is kept");
    // Even a form with fields missing gets the closing date first, not a list of fields.
    let empty = post(app, &format!("/assets/{closed}/interest"), &[], None).await;
    assert_eq!(empty.status, StatusCode::CONFLICT);
    assert!(empty.body.contains(message));
    assert!(!empty.body.contains("href=\"#contact_name\""));

    // The API: 409 with a stable code naming the field.
    let api = app
        .post(
            &format!("/api/v1/assets/{closed}/transfer-cases"),
            json!({"group_name": GROUP, "contact_name": CONTACT, "contact_email": EMAIL,
                   "proposal": PROPOSAL}),
        )
        .await;
    assert_eq!(api.status, StatusCode::CONFLICT, "{}", api.json);
    assert_eq!(api.code(), "interest_closed");
    assert_eq!(api.field(), "asset");
    assert_eq!(api.json["error"]["message"], message);

    // Nothing was written and nobody was emailed.
    assert_eq!(app.table_count("transfer_cases").await, 0);
    assert_eq!(app.table_count("transfer_case_stages").await, 0);
    assert!(mail(app).iter().all(|(to, _)| to != EMAIL));

    // An offer still open names its closing date on the page and the form, and takes interest.
    let page = asset_page(app, &open).await;
    assert!(
        page.contains("Expressions of interest close on 31 December 2099"),
        "{page}"
    );
    assert!(page.contains(&format!("/assets/{open}/interest")));
    let form = get(app, &format!("/assets/{open}/interest"), None).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("name=\"group_name\""));
    assert!(
        form.body
            .contains("Expressions of interest close on 31 December 2099")
    );
    let sent = post(
        app,
        &format!("/assets/{open}/interest"),
        &interest_form(),
        None,
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let api = app
        .post(
            &format!("/api/v1/assets/{open}/transfer-cases"),
            json!({"group_name": "Riverside Rowing Club", "contact_name": CONTACT,
                   "contact_email": EMAIL, "proposal": PROPOSAL}),
        )
        .await;
    assert_eq!(api.status, StatusCode::CREATED, "{}", api.json);
    assert_eq!(app.table_count("transfer_cases").await, 2);
}
