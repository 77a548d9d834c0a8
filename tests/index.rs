//! The search index is derived from the change log: writes become searchable, deletes
//! disappear, and after a restart (or a lost index) it catches up from the database.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly by design

mod common;

use axum::http::StatusCode;
use common::{Backend, TestApp};
use junction::cli::check;
use junction::domain::Organisation;
use junction::search::{SearchIndex, indexer};
use junction::store::Actor;
use serde_json::json;

both_dbs!(writes_become_searchable_and_deletes_vanish);
async fn writes_become_searchable_and_deletes_vanish(app: &TestApp) {
    let (_, _, svc) = app.seed().await;
    // Polled with a deadline: the indexer is woken by the write itself.
    assert!(
        app.eventually(|| async { app.get("/api/v1/services?q=soup").await.json["total"] == 1 })
            .await,
        "the new service never became searchable"
    );
    // Category names are searchable too ("Warm spaces").
    assert!(
        app.eventually(|| async {
            app.get("/api/v1/services?q=warm%20spaces").await.json["total"] == 1
        })
        .await
    );

    // An edit replaces the document.
    let got = app.get_auth(&format!("/api/v1/services/{svc}")).await;
    let mut edited = got.json.clone();
    edited["description"] = json!("Hot drinks and a library of jigsaws in a heated room");
    assert_eq!(
        app.put(
            &format!("/api/v1/services/{svc}"),
            edited,
            Some(&got.etag())
        )
        .await
        .status,
        StatusCode::OK
    );
    assert!(
        app.eventually(|| async { app.get("/api/v1/services?q=jigsaw").await.json["total"] == 1 })
            .await
    );
    assert!(
        app.eventually(|| async { app.get("/api/v1/services?q=soup").await.json["total"] == 0 })
            .await
    );

    // A deleted record is gone from lists and search.
    assert_eq!(
        app.delete(&format!("/api/v1/services/{svc}")).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.get("/api/v1/services").await.json["total"], 0);
    assert!(
        app.eventually(|| async { app.get("/api/v1/services?q=jigsaw").await.json["total"] == 0 })
            .await
    );
    let report = check::compare(&app.state.store, &app.state.search)
        .await
        .expect("check");
    assert!(
        report.missing_from_index.is_empty() && report.stale_in_index.is_empty(),
        "{report:?}"
    );
}

both_dbs!(the_index_catches_up_after_a_restart, no_indexer);
async fn the_index_catches_up_after_a_restart(app: &TestApp) {
    // Writes land in the database while no indexer runs (as if the process died right
    // after committing them).
    let store = &app.state.store;
    let org: Organisation = serde_json::from_value(json!({"name": "Kestrel Lane Allotment Society", "description": "Plots, seed swaps and a tool library"})).expect("org");
    store
        .create(org, None, &Actor::new("test"))
        .await
        .expect("create");
    assert_eq!(
        app.get("/api/v1/organisations?q=allotment").await.json["total"],
        0
    );
    let report = check::compare(store, &app.state.search)
        .await
        .expect("check");
    assert!(
        !report.consistent(),
        "check must notice the index is behind"
    );
    assert_eq!(report.missing_from_index.len(), 1);

    // "Restart": reopen the index from disk and catch up from its recorded seq.
    let dir = app.state.search.path().expect("on disk").to_owned();
    let applied_before = app.state.search.applied_seq();
    let n = indexer::catch_up(store, &app.state.search)
        .await
        .expect("catch up");
    assert_eq!(
        n, 1,
        "only the change after seq {applied_before} is replayed"
    );
    assert_eq!(
        app.get("/api/v1/organisations?q=allotment").await.json["total"],
        1
    );
    let reopened = SearchIndex::open_read_only(&dir)
        .expect("open")
        .expect("usable index");
    assert_eq!(reopened.applied_seq(), store.last_seq().await.expect("seq"));
    assert!(
        check::compare(store, &reopened)
            .await
            .expect("check")
            .consistent()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_or_outdated_index_is_rebuilt_at_start_up() {
    let app = TestApp::with_demo(Backend::Sqlite).await;
    let config = (*app.state.config).clone();
    let dir = app.dir.path().to_owned();
    let total = app.get("/api/v1/services?q=food").await.json["total"].clone();
    assert!(total.as_u64().unwrap_or(0) > 0);
    let _dir = app.finish().await;

    // Lose the index entirely.
    std::fs::remove_dir_all(dir.join("index")).expect("remove index");
    let state = junction::start(config.clone(), false)
        .await
        .expect("restart");
    let router = junction::app(state.clone());
    let again = TestApp::get_with(&router, "/api/v1/services?q=food").await;
    assert_eq!(again["total"], total);
    drop((state, router));

    // Replace it with garbage: start-up rebuilds rather than failing.
    std::fs::remove_dir_all(dir.join("index")).expect("remove index");
    std::fs::create_dir_all(dir.join("index")).expect("mkdir");
    std::fs::write(dir.join("index/meta.json"), b"{ not json").expect("write");
    let state = junction::start(config, false)
        .await
        .expect("restart over a broken index");
    let router = junction::app(state.clone());
    assert_eq!(
        TestApp::get_with(&router, "/api/v1/services?q=food").await["total"],
        total
    );
}
