//! The open data settings: the ORUK API's mount (`JUNCTION_ORUK_PATH`) and the register's
//! licence and attribution (`JUNCTION_DATA_LICENCE`, `JUNCTION_DATA_ATTRIBUTION`), as the
//! API, the feeds, the export and the data sources page use them.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly by design

mod common;

use axum::http::StatusCode;
use common::{Backend, TestApp};

const LICENCE: &str = "https://creativecommons.org/licenses/by/4.0/";
const CREDIT: &str = "Millbrook Council and partners";

async fn configured(backend: Backend) -> TestApp {
    TestApp::configured(backend, true, |c| {
        c.oruk_path = "/openreferral/v3".into();
        c.data_licence = LICENCE.into();
        c.data_attribution = CREDIT.into();
    })
    .await
}

async fn settings_are_used_everywhere(app: &TestApp) {
    // The ORUK API answers at the configured mount, and only there.
    let meta = app.get("/openreferral/v3/").await;
    assert_eq!(meta.status, StatusCode::OK);
    assert_eq!(meta.json["version"], "3.0");
    let page = app.get("/openreferral/v3/services?per_page=2").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.json);
    assert_eq!(page.headers["access-control-allow-origin"], "*");
    let id = page.json["contents"][0]["id"].as_str().unwrap();
    let one = app.get(&format!("/openreferral/v3/services/{id}")).await;
    assert_eq!(one.json["id"], id);
    let sal = app
        .get("/openreferral/v3/service_at_locations?per_page=1")
        .await;
    let sal_id = sal.json["contents"][0]["id"].as_str().unwrap();
    let found = app
        .get(&format!("/openreferral/v3/service_at_locations/{sal_id}"))
        .await;
    assert_eq!(found.status, StatusCode::OK);
    assert_eq!(found.json["id"], sal_id);
    assert_eq!(
        app.get("/oruk/services").await.status,
        StatusCode::NOT_FOUND
    );
    let doc = app.get("/api/openapi.json").await.json;
    assert!(doc["paths"]["/openreferral/v3/services"].is_object());
    assert!(doc["paths"]["/oruk/services"].is_null());

    // The licence and credit.
    let feed = app.get("/feeds/services?limit=1").await;
    assert_eq!(feed.json["license"], LICENCE);
    let zip = app.get("/api/v1/export/datapackage.zip").await;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.bytes)).unwrap();
    let package: serde_json::Value =
        serde_json::from_reader(archive.by_name("datapackage.json").unwrap()).unwrap();
    assert_eq!(package["licenses"][0]["path"], LICENCE);
    assert_eq!(package["licenses"][0]["title"], CREDIT);
    let page = app.get("/data").await;
    let html = page.json.as_str().unwrap();
    assert!(html.contains(LICENCE), "the data page links the licence");
    assert!(html.contains(CREDIT), "the data page gives the credit");
}

async fn the_settings_are_used_everywhere(backend: Backend) {
    let app = configured(backend).await;
    settings_are_used_everywhere(&app).await;
    app.finish().await;
}

both_backends!(the_settings_are_used_everywhere);
