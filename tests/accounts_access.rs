//! Accounts' defences and scope through the real router, on SQLite and PostgreSQL: repeated
//! wrong passwords lock an account (and a client address) for a while, reset links work once
//! and expire, and an editor sees only their organisations' records.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::TestApp;
use common::accounts::*;
use junction::domain::Role;
use sea_orm::{ConnectionTrait, Statement};
use uuid::Uuid;

async fn wrong_passwords_lock_the_account_for_a_while(app: &TestApp) {
    let admin = invite_and_sign_in(app, "admin@example.org", Role::Admin, &[]).await;
    invite_and_sign_in(app, "ed@example.org", Role::Moderator, &[]).await;
    // Nine wrong passwords (from several addresses) are only wrong.
    for i in 0..9 {
        let addr = format!("192.0.2.{}", i % 3 + 1);
        let page = post_from(
            app,
            "/login",
            &[("email", "ed@example.org"), ("password", "nope")],
            None,
            Some(&addr),
        )
        .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "attempt {i}");
        assert!(page.body.contains("Email or password is wrong"));
        assert!(!page.body.contains("Too many"));
    }
    // The tenth locks the account, and says for how long.
    let tenth = post_from(
        app,
        "/login",
        &[("email", "ed@example.org"), ("password", "nope")],
        None,
        Some("192.0.2.9"),
    )
    .await;
    assert_eq!(tenth.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        tenth
            .body
            .contains("Too many failed attempts to sign in. Try again in 15 minutes."),
        "{}",
        tenth.body
    );
    // Now even the right password, from a fresh address, is refused.
    let right = post_from(
        app,
        "/login",
        &[("email", "ED@example.org"), ("password", PASSWORD)],
        None,
        Some("198.51.100.7"),
    )
    .await;
    assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(right.headers.get("set-cookie").is_none());
    // The lock is in the database (it survives a restart) and visible to an administrator.
    let locked = count(
        app,
        "SELECT COUNT(*) AS n FROM sign_in_failures WHERE locked_until IS NOT NULL",
    )
    .await;
    assert!(locked >= 1);
    let users = get(app, "/admin/users", Some(&admin)).await;
    assert!(users.body.contains("Locked until"), "{}", users.body);
    // Other accounts are unaffected.
    sign_in(app, "admin@example.org").await;

    // An address with no account locks just the same: the lock says nothing about accounts.
    let mut last = None;
    for _ in 0..10 {
        last = Some(
            post_from(
                app,
                "/login",
                &[("email", "nobody@example.org"), ("password", "nope")],
                None,
                Some("203.0.113.5"),
            )
            .await,
        );
    }
    assert_eq!(last.unwrap().status, StatusCode::TOO_MANY_REQUESTS);

    // One address failing across many accounts is locked out too.
    for i in 0..50 {
        let email = format!("guess{i}@example.org");
        let page = post_from(
            app,
            "/login",
            &[("email", &email), ("password", "nope")],
            None,
            Some("203.0.113.99"),
        )
        .await;
        if i < 49 {
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "attempt {i}");
        } else {
            assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
        }
    }
    // Expire the lock (as time would): the right password works again.
    app.state
        .store
        .db
        .execute_raw(Statement::from_string(
            app.state.store.backend(),
            "UPDATE sign_in_failures SET locked_until = first_at, first_at = first_at",
        ))
        .await
        .unwrap();
    sign_in(app, "ed@example.org").await;
}
both_dbs!(wrong_passwords_lock_the_account_for_a_while);

async fn reset_links_work_once_and_expire(app: &TestApp) {
    invite_and_sign_in(app, "rosa@example.org", Role::Moderator, &[]).await;
    // The same answer whether or not the address has an account; mail only for the known one.
    let before = mail(app).len();
    let known = post(
        app,
        "/password-reset",
        &[("email", "Rosa@example.org")],
        None,
    )
    .await;
    let unknown = post(
        app,
        "/password-reset",
        &[("email", "nobody@example.org")],
        None,
    )
    .await;
    assert_eq!(known.status, StatusCode::OK);
    assert_eq!(unknown.status, StatusCode::OK);
    assert_eq!(
        known.body.replace("Rosa@example.org", "X"),
        unknown.body.replace("nobody@example.org", "X")
    );
    assert_eq!(mail(app).len(), before + 1);
    let empty = post(app, "/password-reset", &[("email", "")], None).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Enter your email address"));

    let token = link_token(app, "rosa@example.org", before).await;
    assert!(
        mail(app)
            .iter()
            .any(|(_, t)| t.contains("expires in 1 hour"))
    );
    let new_password = "a brand new passphrase";
    // A mismatched confirmation re-shows the form, and does not spend the link.
    let mismatch = choose_password(app, &token, new_password, "other").await;
    assert_eq!(mismatch.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.body.contains("The passwords do not match"));
    let ok = choose_password(app, &token, new_password, new_password).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let reuse = choose_password(app, &token, PASSWORD, PASSWORD).await;
    assert_eq!(reuse.status, StatusCode::GONE);
    let signed = login(app, "rosa@example.org", new_password).await;
    assert_eq!(
        signed.status,
        StatusCode::SEE_OTHER,
        "the new password works"
    );
    let old = login(app, "rosa@example.org", PASSWORD).await;
    assert_eq!(
        old.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the old one does not"
    );

    // An expired link (its expiry moved into the past) is refused and changes nothing.
    let before = mail(app).len();
    post(
        app,
        "/password-reset",
        &[("email", "rosa@example.org")],
        None,
    )
    .await;
    let token = link_token(app, "rosa@example.org", before).await;
    app.state
        .store
        .db
        .execute_raw(Statement::from_string(
            app.state.store.backend(),
            "UPDATE password_tokens SET expires_at = created_at WHERE used_at IS NULL",
        ))
        .await
        .unwrap();
    assert_eq!(
        get(app, &format!("/password/new?token={token}"), None)
            .await
            .status,
        StatusCode::GONE
    );
    let late = choose_password(app, &token, PASSWORD, PASSWORD).await;
    assert_eq!(late.status, StatusCode::GONE);
    let still = login(app, "rosa@example.org", new_password).await;
    assert_eq!(still.status, StatusCode::SEE_OTHER);
}
both_dbs!(reset_links_work_once_and_expire);

/// Each reset request can send a mail: three for one address in 15 minutes, then a wait (the
/// same for an address without an account); ten from one connection.
async fn reset_requests_are_rate_limited(app: &TestApp) {
    invite_and_sign_in(app, "rosa@example.org", Role::Moderator, &[]).await;
    let before = mail(app).len();
    for email in ["rosa@example.org", "nobody@example.org"] {
        for i in 0..3 {
            let r = post_from(
                app,
                "/password-reset",
                &[("email", email)],
                None,
                Some("198.51.100.7"),
            )
            .await;
            assert_eq!(r.status, StatusCode::OK, "{email} request {i}");
        }
        let r = post_from(
            app,
            "/password-reset",
            &[("email", email)],
            None,
            Some("198.51.100.7"),
        )
        .await;
        assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{email}");
        assert!(r.body.contains("Try again in"), "{}", r.body);
    }
    assert_eq!(mail(app).len(), before + 3, "no mail once limited");
    // Another address from the same connection, up to ten requests in all; then it waits.
    for i in 0..4 {
        let email = format!("someone{i}@example.org");
        let r = post_from(
            app,
            "/password-reset",
            &[("email", &email)],
            None,
            Some("198.51.100.7"),
        )
        .await;
        assert_eq!(r.status, StatusCode::OK, "request {i}");
    }
    let r = post_from(
        app,
        "/password-reset",
        &[("email", "late@example.org")],
        None,
        Some("198.51.100.7"),
    )
    .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    let r = post_from(
        app,
        "/password-reset",
        &[("email", "late@example.org")],
        None,
        Some("198.51.100.8"),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "another connection is unaffected");
}
both_dbs!(reset_requests_are_rate_limited);

async fn editors_see_only_their_organisations_records(app: &TestApp) {
    let (org_a, _, _) = app.seed().await;
    let org_b = app
        .post("/api/v1/organisations", serde_json::json!({"name": "Riverside Allotment Society", "description": "Growing food by the river"}))
        .await;
    assert_eq!(org_b.status, StatusCode::CREATED);
    let org_b_id = org_b.json["id"].as_str().unwrap().to_owned();
    let svc_b = app
        .post(
            "/api/v1/services",
            serde_json::json!({"name": "Riverside Seed Swap", "description": "Swap seeds every spring", "organisation_id": org_b_id}),
        )
        .await;
    assert_eq!(svc_b.status, StatusCode::CREATED, "{}", svc_b.json);

    let org_a: Uuid = org_a.parse().unwrap();
    let editor = invite_and_sign_in(app, "editor@example.org", Role::Editor, &[org_a]).await;
    let dash = get(app, "/admin", Some(&editor)).await;
    assert_eq!(dash.status, StatusCode::OK);
    for mine in [
        "Oakfield Tenants Association",
        "Oakfield Warm Welcome",
        "Oakfield Community Room",
    ] {
        assert!(dash.body.contains(mine), "{mine} missing: {}", dash.body);
    }
    for theirs in ["Riverside Allotment Society", "Riverside Seed Swap"] {
        assert!(
            !dash.body.contains(theirs),
            "{theirs} shown to another organisation's editor"
        );
    }
    // Just created: checked now, due in 6 months, not yet due.
    assert!(dash.body.contains("Due "), "{}", dash.body);
    assert!(!dash.body.contains("Review due"));
    // Editors have no users page.
    let users = get(app, "/admin/users", Some(&editor)).await;
    assert_eq!(users.status, StatusCode::FORBIDDEN);

    // An administrator sees every record; one not checked for 7 months is due for review.
    app.state
        .store
        .db
        .execute_raw(Statement::from_string(
            app.state.store.backend(),
            "UPDATE services SET last_verified_at = NULL, created_at = '2020-01-01T00:00:00Z' WHERE name = 'Riverside Seed Swap'",
        ))
        .await
        .unwrap();
    let admin = invite_and_sign_in(app, "admin@example.org", Role::Admin, &[]).await;
    let all = get(app, "/admin", Some(&admin)).await;
    assert!(all.body.contains("Riverside Seed Swap") && all.body.contains("Oakfield Warm Welcome"));
    assert!(all.body.contains("Review due"), "{}", all.body);
    // Most overdue first.
    assert!(all.body.find("Riverside Seed Swap") < all.body.find("Oakfield Warm Welcome"));
    // An editor needs an organisation.
    let form = get(app, "/admin/users/new", Some(&admin)).await;
    let page = post(
        app,
        "/admin/users/new",
        &[
            ("email", "e2@example.org"),
            ("role", "editor"),
            ("csrf_token", &form.csrf()),
        ],
        Some(&admin),
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.body
            .contains("Select at least one organisation the editor may edit")
    );
}
both_dbs!(editors_see_only_their_organisations_records);
