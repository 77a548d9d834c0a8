//! Public corrections through the real router, on SQLite and PostgreSQL: the form on a record
//! page (honeypot, minimum fill time, rate limit, error summary), the moderation queue (accept
//! into the record as a credited edit that the history page shows, reject with a reason,
//! forward to the organisation's editors by email), and the submitter's email kept out of
//! every public output.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use common::TestApp;
use common::accounts::*;
use junction::auth::signing::{LinkKey, form_stamp};
use junction::domain::suggestion::Status;
use junction::domain::{RecordKind, Role, Service};
use uuid::Uuid;

const CONTACT: &str = "resident.contact@example.net";

/// A form stamp from `secs` seconds ago, as the page would have given then.
fn stamp(app: &TestApp, svc: Uuid, secs: i64) -> String {
    let key = LinkKey::for_config(&app.state.config).unwrap();
    form_stamp(
        &key,
        &format!("suggest:service:{svc}"),
        Utc::now() - Duration::seconds(secs),
    )
}

async fn suggest(app: &TestApp, svc: Uuid, fields: &[(&str, &str)], address: &str) -> Page {
    let stamp = stamp(app, svc, 20);
    let mut all: Vec<(&str, &str)> = vec![("stamp", stamp.as_str())];
    all.extend_from_slice(fields);
    post_from(
        app,
        &format!("/services/{svc}/suggest"),
        &all,
        None,
        Some(address),
    )
    .await
}

async fn a_public_suggestion_goes_through_moderation_into_the_record(app: &TestApp) {
    let (org, _, svc) = app.seed().await;
    let (org, svc): (Uuid, Uuid) = (org.parse().unwrap(), svc.parse().unwrap());
    let page = get(app, &format!("/services/{svc}"), None).await;
    assert!(
        page.body
            .contains(&format!("href=\"/services/{svc}/suggest\"")),
        "no suggestion link on the record page"
    );
    assert!(page.body.contains("Report a problem or suggest a change"));

    // The form, then sent at once: too quick to be a person, so shown again; nothing kept.
    let form = get(app, &format!("/services/{svc}/suggest"), None).await;
    assert_eq!(form.status, StatusCode::OK);
    let at = form.body.find("name=\"stamp\" value=\"").unwrap() + 20;
    let own = form.body[at..].split('"').next().unwrap().to_owned();
    let quick = post_from(
        app,
        &format!("/services/{svc}/suggest"),
        &[
            ("stamp", &own),
            ("field", "phone"),
            ("value", "0161 496 0999"),
        ],
        None,
        Some("203.0.113.5"),
    )
    .await;
    assert_eq!(quick.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(quick.body.contains("That was very quick"), "{}", quick.body);
    assert_eq!(app.table_count("suggestions").await, 0);

    // Bad input: every problem in the summary, linked to its field.
    let bad = suggest(app, svc, &[("email", "not an email")], "203.0.113.5").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for (anchor, words) in [
        ("#field", "Select what is wrong"),
        (
            "#value",
            "Enter the correct information, or explain what is wrong",
        ),
        ("#email", "Enter an email address in the correct format"),
    ] {
        assert!(bad.body.contains(&format!("href=\"{anchor}\"")), "{anchor}");
        assert!(bad.body.contains(words), "{words}");
    }
    assert!(bad.body.contains("There is a problem"));
    assert_eq!(app.table_count("suggestions").await, 0);

    // A robot fills the honeypot: thanked, nothing kept.
    let robot = suggest(
        app,
        svc,
        &[
            ("field", "phone"),
            ("value", "buy pills"),
            ("homepage", "http://spam.example"),
        ],
        "203.0.113.5",
    )
    .await;
    assert_eq!(robot.status, StatusCode::OK);
    assert_eq!(app.table_count("suggestions").await, 0);

    // A person.
    let sent = suggest(
        app,
        svc,
        &[
            ("field", "phone"),
            ("value", "0161 496 0999"),
            ("message", "The number on the door has changed"),
            ("email", CONTACT),
        ],
        "203.0.113.5",
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(sent.body.contains("Thank you for your suggestion"));
    assert_eq!(app.table_count("suggestions").await, 1);

    // The email never reaches a public output.
    for path in [
        format!("/services/{svc}"),
        format!("/api/v1/services/{svc}"),
        "/feeds/services".to_owned(),
        "/api/v1/search?q=oakfield".to_owned(),
        "/sitemap.xml".to_owned(),
    ] {
        let reply = app.get(&path).await;
        let text = String::from_utf8_lossy(&reply.bytes);
        assert!(
            !text.contains(CONTACT),
            "{path} shows the submitter's email"
        );
    }

    // Moderation: editors can't see the queue; moderators can.
    let editor = invite_and_sign_in(app, "ed@example.org", Role::Editor, &[org]).await;
    let moderator = invite_and_sign_in(app, "mod@example.org", Role::Moderator, &[]).await;
    let mod_id = app
        .state
        .store
        .user_by_email("mod@example.org")
        .await
        .unwrap()
        .unwrap()
        .id;
    assert_eq!(
        get(app, "/admin/suggestions", Some(&editor)).await.status,
        StatusCode::FORBIDDEN
    );
    let queue = get(app, "/admin/suggestions", Some(&moderator)).await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
    assert!(queue.body.contains("Suggestion #1"), "{}", queue.body);
    assert!(queue.body.contains("Oakfield Warm Welcome"));
    assert!(queue.body.contains("0161 496 0999"));
    assert!(queue.body.contains("The number on the door has changed"));
    assert!(queue.body.contains(CONTACT), "moderators may write back");

    // Accept without the CSRF token: refused, nothing changes.
    let changes = app.change_count().await;
    let refused = post(app, "/admin/suggestions/1/accept", &[], Some(&moderator)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(app.change_count().await, changes);

    let accepted = post(
        app,
        "/admin/suggestions/1/accept",
        &[("csrf_token", &queue.csrf())],
        Some(&moderator),
    )
    .await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    let record: Service = app.state.store.get(svc).await.unwrap().unwrap();
    assert_eq!(record.phone.as_deref(), Some("0161 496 0999"));
    assert_eq!(record.version, 2);
    assert_eq!(app.change_count().await, changes + 1);
    let history = app
        .state
        .store
        .history(RecordKind::Service, svc)
        .await
        .unwrap();
    assert_eq!(history[0].op, "update");
    assert_eq!(history[0].actor, format!("user:{mod_id} (suggestion #1)"));
    let s = app.state.store.suggestion(1).await.unwrap().unwrap();
    assert_eq!(s.status, Status::Accepted);
    assert_eq!(s.handled_by, Some(mod_id));
    assert!(s.closed_at.is_some());
    // The public page has the new number.
    let public = get(app, &format!("/services/{svc}"), None).await;
    assert!(public.body.contains("0161 496 0999"));

    // The record's history shows who, when and what.
    let page = get(
        app,
        &format!("/admin/history/service/{svc}"),
        Some(&moderator),
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("mod@example.org (suggestion #1)"),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("<td>phone</td><td>(empty)</td><td>0161 496 0999</td>"),
        "{}",
        page.body
    );

    // Reject: a reason is needed.
    suggest(
        app,
        svc,
        &[
            ("field", "other"),
            ("message", "It has moved to the library"),
        ],
        "203.0.113.5",
    )
    .await;
    let queue = get(app, "/admin/suggestions", Some(&moderator)).await;
    assert!(queue.body.contains("Suggestion #2"));
    let no_reason = post(
        app,
        "/admin/suggestions/2/reject",
        &[("csrf_token", &queue.csrf()), ("reason", " ")],
        Some(&moderator),
    )
    .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_reason.body.contains("href=\"#reason-2\""),
        "{}",
        no_reason.body
    );
    assert!(
        no_reason
            .body
            .contains("Enter why suggestion #2 is rejected")
    );
    let rejected = post(
        app,
        "/admin/suggestions/2/reject",
        &[
            ("csrf_token", &queue.csrf()),
            ("reason", "It has not moved"),
        ],
        Some(&moderator),
    )
    .await;
    assert_eq!(rejected.status, StatusCode::SEE_OTHER);
    let s = app.state.store.suggestion(2).await.unwrap().unwrap();
    assert_eq!(
        (s.status, s.reason.as_deref()),
        (Status::Rejected, Some("It has not moved"))
    );

    // Forward: emailed to the organisation's editor, without the submitter's email.
    suggest(
        app,
        svc,
        &[
            ("field", "cost"),
            ("value", "£2 a session"),
            ("email", CONTACT),
        ],
        "203.0.113.5",
    )
    .await;
    let queue = get(app, "/admin/suggestions", Some(&moderator)).await;
    let forwarded = post(
        app,
        "/admin/suggestions/3/forward",
        &[("csrf_token", &queue.csrf())],
        Some(&moderator),
    )
    .await;
    assert_eq!(
        forwarded.status,
        StatusCode::SEE_OTHER,
        "{}",
        forwarded.body
    );
    let mails: Vec<(String, String)> = mail(app)
        .into_iter()
        .filter(|(_, t)| t.contains("Someone suggested a change"))
        .collect();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].0, "ed@example.org");
    assert!(!mails[0].1.contains(CONTACT));
    assert_eq!(
        app.state.store.suggestion(3).await.unwrap().unwrap().status,
        Status::Forwarded
    );
    assert!(
        get(app, "/admin/suggestions", Some(&moderator))
            .await
            .body
            .contains("There are no open suggestions")
    );

    // Rate limit: ten suggestions from one address in 15 minutes, then a wait.
    for i in 0..10 {
        let ok = suggest(
            app,
            svc,
            &[("field", "other"), ("message", "Something")],
            "198.51.100.20",
        )
        .await;
        assert_eq!(ok.status, StatusCode::OK, "suggestion {i}");
    }
    let limited = suggest(
        app,
        svc,
        &[("field", "other"), ("message", "Something")],
        "198.51.100.20",
    )
    .await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.body.contains("Too many suggestions"));
    // Another address is unaffected.
    let other = suggest(
        app,
        svc,
        &[("field", "other"), ("message", "Something")],
        "198.51.100.21",
    )
    .await;
    assert_eq!(other.status, StatusCode::OK);
}
both_dbs!(a_public_suggestion_goes_through_moderation_into_the_record);
