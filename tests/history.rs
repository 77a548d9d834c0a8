//! A record's history page on SQLite and PostgreSQL: who changed what, field by field, and
//! restoring an earlier version as a new change (moderators and administrators, with the CSRF
//! token); editors see only their organisations' records' history and cannot restore.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::TestApp;
use common::accounts::*;
use junction::domain::{RecordKind, Role, Service};
use uuid::Uuid;

async fn history_shows_each_change_and_restores_an_earlier_version(app: &TestApp) {
    let (org, _, svc) = app.seed().await;
    let (org, svc): (Uuid, Uuid) = (org.parse().unwrap(), svc.parse().unwrap());
    let uri = format!("/api/v1/services/{svc}");
    let r = app
        .edit(&uri, |b| b["name"] = "Oakfield Warm Room".into())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    let r = app
        .edit(&uri, |b| b["description"] = "Closed for the summer".into())
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);

    let admin = invite_and_sign_in(app, "admin@example.org", Role::Admin, &[]).await;
    let editor = invite_and_sign_in(app, "ed@example.org", Role::Editor, &[org]).await;
    let other_org = app
        .post(
            "/api/v1/organisations",
            serde_json::json!({"name": "Elsewhere Trust", "description": "Another organisation"}),
        )
        .await;
    let other_org: Uuid = other_org.json["id"].as_str().unwrap().parse().unwrap();
    let outsider = invite_and_sign_in(app, "out@example.org", Role::Editor, &[other_org]).await;

    let path = format!("/admin/history/service/{svc}");
    let page = get(app, &path, Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("History of Oakfield Warm Room"));
    assert!(page.body.contains("By token:test"), "{}", page.body);
    assert!(
        page.body
            .contains("<td>name</td><td>Oakfield Warm Welcome</td><td>Oakfield Warm Room</td>")
    );
    assert!(page.body.contains("<td>description</td>"));
    assert!(page.body.contains("Restore this version"));

    // Editors: their own organisation's record only, and no restoring.
    let theirs = get(app, &path, Some(&editor)).await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(!theirs.body.contains("Restore this version"));
    assert_eq!(
        get(app, &path, Some(&outsider)).await.status,
        StatusCode::FORBIDDEN
    );
    let history = app
        .state
        .store
        .history(RecordKind::Service, svc)
        .await
        .unwrap();
    let created = history.last().unwrap().seq;
    let refused = post(
        app,
        &format!("{path}/restore"),
        &[
            ("csrf_token", &theirs.csrf()),
            ("seq", &created.to_string()),
            ("version", "3"),
        ],
        Some(&editor),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // A stale version is caught, not overwritten.
    let stale = post(
        app,
        &format!("{path}/restore"),
        &[
            ("csrf_token", &page.csrf()),
            ("seq", &created.to_string()),
            ("version", "2"),
        ],
        Some(&admin),
    )
    .await;
    assert_eq!(
        stale.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        stale.body
    );
    assert!(
        stale
            .body
            .contains("has changed since this page was opened")
    );
    // Without the CSRF token: refused.
    let no_csrf = post(
        app,
        &format!("{path}/restore"),
        &[("seq", &created.to_string()), ("version", "3")],
        Some(&admin),
    )
    .await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
    let unchanged: Service = app.state.store.get(svc).await.unwrap().unwrap();
    assert_eq!(unchanged.version, 3);

    // Restore the first version: a new change with its content.
    let restored = post(
        app,
        &format!("{path}/restore"),
        &[
            ("csrf_token", &page.csrf()),
            ("seq", &created.to_string()),
            ("version", "3"),
        ],
        Some(&admin),
    )
    .await;
    assert_eq!(restored.status, StatusCode::SEE_OTHER, "{}", restored.body);
    let now: Service = app.state.store.get(svc).await.unwrap().unwrap();
    assert_eq!(now.name, "Oakfield Warm Welcome");
    assert_eq!(
        now.description,
        "A heated room with soup, tea and board games on winter afternoons"
    );
    assert_eq!(now.version, 4);
    let history = app
        .state
        .store
        .history(RecordKind::Service, svc)
        .await
        .unwrap();
    assert_eq!(history.len(), 4);
    let admin_id = app
        .state
        .store
        .user_by_email("admin@example.org")
        .await
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(
        history[0].actor,
        format!("user:{admin_id} (restored change #{created})")
    );
    let page = get(app, &format!("{path}?done=restored"), Some(&admin)).await;
    assert!(page.body.contains("admin@example.org (restored change #"));
    assert!(
        page.body
            .contains("<td>name</td><td>Oakfield Warm Room</td><td>Oakfield Warm Welcome</td>")
    );

    // Unknown records and kinds: not found.
    assert_eq!(
        get(
            app,
            &format!("/admin/history/service/{}", Uuid::new_v4()),
            Some(&admin)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(app, &format!("/admin/history/planet/{svc}"), Some(&admin))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
both_dbs!(history_shows_each_change_and_restores_an_earlier_version);

/// A deleted record comes back from its history, with its id, as a new change; the search
/// finds it again. Editors cannot do it.
async fn a_deleted_record_is_brought_back_from_its_history(app: &TestApp) {
    let (org, _, svc) = app.seed().await;
    let (org, svc): (Uuid, Uuid) = (org.parse().unwrap(), svc.parse().unwrap());
    let admin = invite_and_sign_in(app, "admin@example.org", Role::Admin, &[]).await;
    let editor = invite_and_sign_in(app, "ed@example.org", Role::Editor, &[org]).await;
    let deleted = app.delete(&format!("/api/v1/services/{svc}")).await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);

    let path = format!("/admin/history/service/{svc}");
    let page = get(app, &path, Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("This record has been deleted."));
    assert!(page.body.contains("Bring the record back as this version"));
    assert!(
        !get(app, &path, Some(&editor))
            .await
            .body
            .contains("Bring the record back")
    );
    let history = app
        .state
        .store
        .history(RecordKind::Service, svc)
        .await
        .unwrap();
    let created = history.last().unwrap().seq.to_string();

    // An editor's post is refused and brings nothing back.
    let refused = post(
        app,
        &format!("{path}/restore"),
        &[
            ("csrf_token", &get(app, &path, Some(&editor)).await.csrf()),
            ("seq", &created),
            ("version", "deleted"),
        ],
        Some(&editor),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(app.state.store.get::<Service>(svc).await.unwrap().is_none());

    let back = post(
        app,
        &format!("{path}/restore"),
        &[
            ("csrf_token", &page.csrf()),
            ("seq", &created),
            ("version", "deleted"),
        ],
        Some(&admin),
    )
    .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.body);
    let now: Service = app.state.store.get(svc).await.unwrap().expect("back");
    assert_eq!(now.name, "Oakfield Warm Welcome");
    assert_eq!(now.version, 1);
    let history = app
        .state
        .store
        .history(RecordKind::Service, svc)
        .await
        .unwrap();
    assert_eq!(
        history.iter().map(|c| c.op.as_str()).collect::<Vec<_>>(),
        ["create", "delete", "create"]
    );
    assert!(
        app.eventually(|| async {
            app.get("/api/v1/search?q=Oakfield%20Warm%20Welcome")
                .await
                .json["total"]
                == 1
        })
        .await,
        "the search finds it again"
    );

    // A second "bring back" from the same page: it exists now, so it is a conflict.
    let again = post(
        app,
        &format!("{path}/restore"),
        &[
            ("csrf_token", &page.csrf()),
            ("seq", &created),
            ("version", "deleted"),
        ],
        Some(&admin),
    )
    .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        again.body
    );
    assert!(
        again
            .body
            .contains("The record has changed since this page was opened")
    );
}
both_dbs!(a_deleted_record_is_brought_back_from_its_history);
