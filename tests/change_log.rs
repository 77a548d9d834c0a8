//! The change log: one row per write, written atomically with it, and gap-safe for readers
//! that tail it by seq while writers commit concurrently.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers fail loudly by design

mod common;

use std::collections::BTreeSet;

use axum::http::StatusCode;
use common::TestApp;
use junction::domain::{Organisation, Publication};
use junction::store::Actor;
use serde_json::json;
use uuid::Uuid;

both_dbs!(every_write_has_exactly_one_change_row);
async fn every_write_has_exactly_one_change_row(app: &TestApp) {
    let start = app.change_count().await;
    let (org, loc, svc) = app.seed().await;
    assert_eq!(app.change_count().await, start + 3);

    let got = app.get_auth(&format!("/api/v1/services/{svc}")).await;
    let r = app
        .put(
            &format!("/api/v1/services/{svc}"),
            got.json.clone(),
            Some(&got.etag()),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(app.change_count().await, start + 4);

    // Refused writes leave no row: stale version, failed validation, dependants.
    let r = app
        .put(
            &format!("/api/v1/services/{svc}"),
            got.json.clone(),
            Some(&got.etag()),
        )
        .await;
    assert_eq!(r.status, StatusCode::PRECONDITION_FAILED);
    let r = app.post("/api/v1/locations", json!({"name": "x"})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app.delete(&format!("/api/v1/organisations/{org}")).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(app.change_count().await, start + 4);

    assert_eq!(
        app.delete(&format!("/api/v1/services/{svc}")).await.status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.change_count().await, start + 5);

    // Each row carries the full record as written (the private view), and who wrote it.
    let history = app
        .state
        .store
        .history(
            junction::domain::RecordKind::Location,
            loc.parse().expect("uuid"),
        )
        .await
        .expect("history");
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].op, "create");
    assert_eq!(history[0].actor, "token:test");
    let record = history[0].record.as_ref().expect("record json");
    assert_eq!(record["address_1"], "2 Oakfield Walk");
    assert_eq!(record["version"], 1);
}

both_dbs!(a_failed_write_leaves_neither_record_nor_change);
async fn a_failed_write_leaves_neither_record_nor_change(app: &TestApp) {
    // A write that fails inside its transaction (here: the id is taken) rolls back whole.
    let store = &app.state.store;
    let org: Organisation =
        serde_json::from_value(json!({"name": "First", "description": "d"})).expect("org");
    let id = Uuid::new_v4();
    store
        .create(org.clone(), Some(id), &Actor::new("test"))
        .await
        .expect("first create");
    let before = app.change_count().await;
    let mut second = org;
    second.name = "Second".into();
    let err = store.create(second, Some(id), &Actor::new("test")).await;
    assert!(err.is_err());
    assert_eq!(app.change_count().await, before);
    let kept = store
        .get::<Organisation>(id)
        .await
        .expect("get")
        .expect("exists");
    assert_eq!(kept.name, "First");
    assert_eq!(kept.publication, Publication::Published);
}

both_dbs!(readers_tailing_the_log_never_skip_a_committed_change);
async fn readers_tailing_the_log_never_skip_a_committed_change(app: &TestApp) {
    const WRITERS: usize = 8;
    const EACH: usize = 25;
    let store = app.state.store.clone();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));

    // The reader tails by seq the way the indexer and feeds do, remembering what it saw.
    let start = store.last_seq().await.expect("seq");
    let reader = {
        let store = store.clone();
        let done = done.clone();
        tokio::spawn(async move {
            let mut seen: Vec<i64> = Vec::new();
            let mut last = start;
            loop {
                let finished = done.load(std::sync::atomic::Ordering::SeqCst);
                let batch = store.changes_after(last, 1000).await.expect("tail");
                for c in &batch {
                    seen.push(c.seq);
                    last = c.seq;
                }
                if finished && batch.is_empty() {
                    return (start, seen);
                }
                tokio::task::yield_now().await;
            }
        })
    };

    let mut writers = Vec::new();
    for w in 0..WRITERS {
        let store = store.clone();
        writers.push(tokio::spawn(async move {
            for i in 0..EACH {
                let org: Organisation = serde_json::from_value(
                    json!({"name": format!("Writer {w} record {i}"), "description": "concurrency"}),
                )
                .expect("org");
                store
                    .create(org, None, &Actor::new(format!("writer-{w}")))
                    .await
                    .expect("create");
            }
        }));
    }
    for w in writers {
        w.await.expect("writer");
    }
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let (start, seen) = reader.await.expect("reader");

    let all: BTreeSet<i64> = store
        .changes_after(start, 100_000)
        .await
        .expect("all")
        .into_iter()
        .map(|c| c.seq)
        .collect();
    assert_eq!(all.len(), WRITERS * EACH);
    let seen_set: BTreeSet<i64> = seen.iter().copied().collect();
    assert_eq!(seen_set.len(), seen.len(), "a change was delivered twice");
    let missed: Vec<&i64> = all.difference(&seen_set).collect();
    assert!(
        missed.is_empty(),
        "the tailing reader skipped committed changes {missed:?}"
    );
}
