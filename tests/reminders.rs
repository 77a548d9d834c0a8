//! Review reminders through the outbox, on SQLite and PostgreSQL: a due record's editors get
//! one reminder each, exactly once even when the process dies between writing the `.eml` and
//! recording it and is started again; its "still correct" link verifies the record without a
//! session and then stops working; the "update it" link leads through sign-in; a record left
//! overdue gets one last call before it leaves search; closed
//! suggestions lose their contact email after 30 days.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use common::accounts::*;
use common::{Backend, TestApp};
use junction::auth::signing::LinkKey;
use junction::domain::suggestion::Draft;
use junction::domain::{RecordKind, Role, Service};
use junction::store::entities::{outbox, service};
use junction::{AppState, reminders};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use uuid::Uuid;

async fn pass(state: &AppState, now: DateTime<Utc>) -> reminders::Summary {
    let key = LinkKey::for_config(&state.config).unwrap();
    reminders::run_pass(&state.store, &state.mailer, &state.config, &key, now)
        .await
        .unwrap()
}

/// The outbox files the file transport wrote.
fn outbox_files(app: &TestApp) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(app.dir.path().join("mail"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("outbox-"))
        .collect();
    names.sort();
    names
}

/// The first link in `text` starting with `prefix`, up to the end of its line.
fn link_in(text: &str, prefix: &str) -> String {
    let at = text
        .find(prefix)
        .unwrap_or_else(|| panic!("no {prefix} in {text}"));
    text[at..]
        .split(|c: char| c.is_whitespace())
        .next()
        .unwrap()
        .to_owned()
}

fn query_pairs(link: &str) -> Vec<(String, String)> {
    let (_, q) = link.split_once('?').unwrap();
    form_urlencoded::parse(q.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

async fn set_checked(app: &TestApp, id: Uuid, at: DateTime<Utc>) {
    service::Entity::update_many()
        .col_expr(service::Column::LastVerifiedAt, Expr::value(at))
        .col_expr(service::Column::CreatedAt, Expr::value(at))
        .filter(service::Column::Id.eq(id))
        .exec(&app.state.store.db)
        .await
        .unwrap();
}

async fn a_due_reminder_is_sent_exactly_once_across_a_crash(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (org, _, svc) = app.seed().await;
    let (org, svc): (Uuid, Uuid) = (org.parse().unwrap(), svc.parse().unwrap());
    let other = app
        .post(
            "/api/v1/organisations",
            serde_json::json!({"name": "Elsewhere Trust", "description": "Another organisation"}),
        )
        .await;
    let other: Uuid = other.json["id"].as_str().unwrap().parse().unwrap();
    let editor = invite_and_sign_in(&app, "ed@example.org", Role::Editor, &[org]).await;
    invite_and_sign_in(&app, "someone@example.org", Role::Editor, &[other]).await;
    invite_and_sign_in(&app, "mod@example.org", Role::Moderator, &[]).await;
    let ed = app
        .state
        .store
        .user_by_email("ed@example.org")
        .await
        .unwrap()
        .unwrap();

    // Nothing is due yet: nothing is queued.
    let now = Utc::now();
    assert_eq!(pass(&app.state, now).await.queued, 0);

    // The service was last checked eight months ago: due.
    let checked = now - Duration::days(240);
    set_checked(&app, svc, checked).await;
    let first = pass(&app.state, now).await;
    assert_eq!((first.queued, first.sent), (1, 1), "{first}");
    let files = outbox_files(&app);
    assert_eq!(files.len(), 1, "{files:?}");
    let row = outbox::Entity::find()
        .one(&app.state.store.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(files[0], format!("outbox-{}.eml", row.id));
    assert_eq!(row.recipient, "ed@example.org");
    let due = (checked + chrono::Months::new(6)).date_naive();
    assert_eq!(
        row.dedupe_key,
        format!("review:service:{svc}:{due}:{}", ed.id)
    );
    assert!(row.sent_at.is_some());

    // Run again: the dedupe key holds, nothing is queued or written.
    let again = pass(&app.state, now).await;
    assert_eq!((again.queued, again.sent), (0, 0), "{again}");
    assert_eq!(outbox_files(&app).len(), 1);

    // A crash between writing the file and recording it leaves the row unsent (and claimed).
    outbox::Entity::update_many()
        .col_expr(
            outbox::Column::SentAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .exec(&app.state.store.db)
        .await
        .unwrap();
    // While the dead run's claim lasts, nobody delivers it …
    let held = pass(&app.state, now).await;
    assert_eq!((held.sent, held.already_written), (0, 0), "{held}");
    // … and once it has lapsed, the next run — a new process, `junction reminders send` on the
    // same data directory and database — finds the file written and only records it.
    outbox::Entity::update_many()
        .col_expr(
            outbox::Column::ClaimedUntil,
            Expr::value(Some(now - Duration::seconds(1))),
        )
        .exec(&app.state.store.db)
        .await
        .unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_junction"));
    cmd.args(["reminders", "send"])
        .env("JUNCTION_DATA_DIR", app.dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("JUNCTION_SMTP_URL")
        .env("JUNCTION_LOG", "warn");
    if let Some(url) = &app.state.config.database_url {
        cmd.env("DATABASE_URL", url);
    }
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout.trim(),
        "queued 0, last calls 0, deadline reminders 0, decision reminders 0, sent 0, already written 1, failed 0, emails purged 0"
    );
    assert_eq!(outbox_files(&app).len(), 1, "exactly one .eml");
    let row = outbox::Entity::find()
        .one(&app.state.store.db)
        .await
        .unwrap()
        .unwrap();
    assert!(row.sent_at.is_some());
    assert_eq!(row.attempts, 2);
    let later = now + Duration::minutes(10);

    // The mail: to the editor, with both links; nothing for the other organisation's editor
    // or the moderator.
    let mails: Vec<(String, String)> = mail(&app)
        .into_iter()
        .filter(|(_, t)| t.contains("still correct"))
        .collect();
    assert_eq!(mails.len(), 1);
    let (to, text) = &mails[0];
    assert_eq!(to, "ed@example.org");
    assert!(text.contains("Oakfield Warm Welcome"), "{text}");
    let still = link_in(text, "http://127.0.0.1:8080/review/service/");
    let still = still.trim_start_matches("http://127.0.0.1:8080").to_owned();
    assert!(still.contains("/still-correct?"), "{still}");
    let rest = &text[text.find("/still-correct?").unwrap()..];
    let update = link_in(rest, "http://127.0.0.1:8080/review/");
    assert!(update.contains("/update?"), "{update}");
    let update = update
        .trim_start_matches("http://127.0.0.1:8080")
        .to_owned();

    // The "still correct" link, with no session: a question, then a button.
    let before: Service = app.state.store.get(svc).await.unwrap().unwrap();
    let changes = app.change_count().await;
    let page = get(&app, &still, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body
            .contains("Is Oakfield Warm Welcome still correct?"),
        "{}",
        page.body
    );
    let (path, _) = still.split_once('?').unwrap();
    let fields = query_pairs(&still);
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let done = post(&app, path, &fields, None).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(
        done.body.contains("is marked as checked today"),
        "{}",
        done.body
    );
    let after: Service = app.state.store.get(svc).await.unwrap().unwrap();
    assert!(after.last_verified_at.unwrap() > checked + Duration::days(200));
    assert_eq!(after.version, before.version, "a check is not an edit");
    assert_eq!(after.updated_at, before.updated_at);
    assert_eq!(after.phone, before.phone);
    assert_eq!(app.change_count().await, changes + 1);
    let history = app
        .state
        .store
        .history(RecordKind::Service, svc)
        .await
        .unwrap();
    assert_eq!(history[0].op, "verify");
    assert_eq!(history[0].actor, format!("user:{} (reminder link)", ed.id));

    // Used once: both the page and the button now say so, and nothing moves.
    let twice = get(&app, &still, None).await;
    assert_eq!(twice.status, StatusCode::GONE);
    assert!(
        twice
            .body
            .contains("This link has expired or has been used")
    );
    let again = post(&app, path, &fields, None).await;
    assert_eq!(again.status, StatusCode::GONE);
    let still_after: Service = app.state.store.get(svc).await.unwrap().unwrap();
    assert_eq!(still_after.last_verified_at, after.last_verified_at);
    assert_eq!(app.change_count().await, changes + 1);
    // A link changed by hand is refused too.
    let forged = still.replace(&svc.to_string(), &org.to_string());
    assert_eq!(get(&app, &forged, None).await.status, StatusCode::GONE);

    // Checked: no longer due, so no new reminder.
    assert_eq!(pass(&app.state, later).await.queued, 0);

    // "Update it": through the sign-in page to the record's admin page.
    let anonymous = get(&app, &update, None).await;
    assert_eq!(
        anonymous.status,
        StatusCode::SEE_OTHER,
        "{}",
        anonymous.body
    );
    assert_eq!(
        anonymous.location(),
        format!("/login?next=%2Fadmin%2Frecords%2Fservice%2F{svc}")
    );
    let signed_in = get(&app, &update, Some(&editor)).await;
    assert_eq!(
        signed_in.location(),
        format!("/admin/records/service/{svc}")
    );

    app.finish().await;
}
both_backends!(a_due_reminder_is_sent_exactly_once_across_a_crash);

/// A record left overdue gets a second reminder, once, two weeks before it leaves default
/// search — never in the same pass as the first; a record further from that day gets none.
async fn a_record_left_overdue_gets_one_last_call(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (org, loc, svc) = app.seed().await;
    let (org, svc): (Uuid, Uuid) = (org.parse().unwrap(), svc.parse().unwrap());
    let other = app
        .post(
            "/api/v1/services",
            serde_json::json!({"name": "Oakfield Toddler Group", "description": "Songs and play for under-fives",
                               "organisation_id": org, "location_ids": [loc]}),
        )
        .await;
    let other: Uuid = other.json["id"].as_str().unwrap().parse().unwrap();
    invite_and_sign_in(&app, "ed@example.org", Role::Editor, &[org]).await;
    let now = Utc::now();
    // Due 6 months after its check, out of search 3 months later: in 10 days.
    let checked = now.checked_sub_months(chrono::Months::new(9)).unwrap() + Duration::days(10);
    set_checked(&app, svc, checked).await;
    // Due, but 30 days from leaving search.
    set_checked(&app, other, now - Duration::days(240)).await;

    let first = pass(&app.state, now).await;
    assert_eq!((first.queued, first.last_calls), (2, 0), "{first}");
    let second = pass(&app.state, now).await;
    assert_eq!((second.queued, second.last_calls), (0, 1), "{second}");
    let third = pass(&app.state, now + Duration::days(1)).await;
    assert_eq!((third.queued, third.last_calls), (0, 0), "{third}");

    let last = queued_with(&app, "review-last-call:").await;
    assert_eq!(last.len(), 1, "{last:?}");
    let (key, to, subject, body) = &last[0];
    assert!(
        key.starts_with(&format!("review-last-call:service:{svc}:")),
        "{key}"
    );
    assert_eq!(to, "ed@example.org");
    let day = (checked.checked_add_months(chrono::Months::new(9)).unwrap())
        .with_timezone(&chrono_tz::Europe::London)
        .format("%-d %B %Y")
        .to_string();
    assert_eq!(
        subject,
        &format!("\"Oakfield Warm Welcome\" leaves search on {day} unless it is checked")
    );
    assert!(body.contains("This is a second reminder"), "{body}");
    assert!(body.contains("/still-correct?"), "{body}");
}
both_backends!(a_record_left_overdue_gets_one_last_call);

async fn closed_suggestions_lose_their_email_after_30_days(backend: Backend) {
    let app = TestApp::new(backend).await;
    let (_, _, svc) = app.seed().await;
    let svc: Uuid = svc.parse().unwrap();
    let t0: DateTime<Utc> = "2026-01-01T12:00:00Z".parse().unwrap();
    let draft = Draft {
        field: "phone".into(),
        suggested_value: "0161 496 0000".into(),
        message: String::new(),
        contact_email: Some("resident@example.net".into()),
    };
    let store = &app.state.store;
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(
            store
                .create_suggestion(RecordKind::Service, svc, &draft, t0)
                .await
                .unwrap(),
        );
    }
    let moderator = Uuid::new_v4();
    // Closed on 1 January and on 5 January; the third stays open.
    store
        .reject_suggestion(ids[0], "wrong", moderator, t0)
        .await
        .unwrap();
    store
        .reject_suggestion(ids[1], "wrong", moderator, t0 + Duration::days(4))
        .await
        .unwrap();
    // 31 January, 12:00: exactly 30 days after the first was closed.
    let summary = pass(&app.state, t0 + Duration::days(30)).await;
    assert_eq!(summary.purged, 1);
    let email = |i: usize| {
        let id = ids[i];
        async move { store.suggestion(id).await.unwrap().unwrap().contact_email }
    };
    assert_eq!(email(0).await, None);
    assert_eq!(email(1).await.as_deref(), Some("resident@example.net"));
    assert_eq!(email(2).await.as_deref(), Some("resident@example.net"));
    let summary = pass(&app.state, t0 + Duration::days(34)).await;
    assert_eq!(summary.purged, 1);
    assert_eq!(email(1).await, None);
    // An open suggestion keeps it however old.
    assert_eq!(pass(&app.state, t0 + Duration::days(400)).await.purged, 0);
    assert_eq!(email(2).await.as_deref(), Some("resident@example.net"));
    app.finish().await;
}
both_backends!(closed_suggestions_lose_their_email_after_30_days);

/// The outbox rows whose dedupe key starts with `prefix`: (key, recipient, subject, body).
async fn queued_with(app: &TestApp, prefix: &str) -> Vec<(String, String, String, String)> {
    let mut rows: Vec<_> = outbox::Entity::find()
        .all(&app.state.store.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.dedupe_key.starts_with(prefix))
        .map(|r| (r.dedupe_key, r.recipient, r.subject, r.body))
        .collect();
    rows.sort();
    rows
}

/// An organisation and a published asset offered for transfer; returns the asset id.
async fn offered_asset(app: &TestApp, name: &str) -> String {
    let org = app
        .post(
            "/api/v1/organisations",
            serde_json::json!({"name": "Millbrook Council", "description": "A council", "org_type": "council"}),
        )
        .await;
    let a = app
        .post(
            "/api/v1/assets",
            serde_json::json!({"name": name, "owner_organisation_id": org.json["id"],
                "community_use": "offered_for_transfer", "address_1": "1 Park Road",
                "town": "Millbrook", "postcode": "OL4 2QB", "latitude": 53.54, "longitude": -2.09}),
        )
        .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json);
    a.json["id"].as_str().unwrap().to_owned()
}

const APPLICANT: &str = "Marjorie Pettigrew-Okafor";
const APPLICANT_EMAIL: &str = "marjorie.p@oakfield-friends.example";
const APPLICANT_PHONE: &str = "01632 960 417";

/// A case on `asset` moved to "availability confirmed" on 1 March 2026 with `deadline` and
/// `officer`; returns its id.
async fn case_with_deadline(app: &TestApp, asset: &str, deadline: &str, officer: &str) -> String {
    let r = app
        .post(
            &format!("/api/v1/assets/{asset}/transfer-cases"),
            serde_json::json!({"group_name": "Friends of Oakfield Park", "contact_name": APPLICANT,
                "contact_email": APPLICANT_EMAIL, "contact_phone": APPLICANT_PHONE,
                "proposal": "A community garden"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
    let id = r.json["id"].as_str().unwrap().to_owned();
    let r = app
        .post(
            &format!("/api/v1/transfer-cases/{id}/stages"),
            serde_json::json!({"stage": "availability-confirmed", "entered_on": "2026-03-01",
                "deadline": deadline, "officer": officer}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);
    id
}

async fn transfer_deadlines_are_reminded_exactly_once(backend: Backend) {
    let app = TestApp::new(backend).await;
    invite_and_sign_in(&app, "admin@council.example", Role::Admin, &[]).await;
    invite_and_sign_in(&app, "mod@council.example", Role::Moderator, &[]).await;
    invite_and_sign_in(&app, "Officer@Council.example", Role::Moderator, &[]).await;
    let (org, _, _) = app.seed().await;
    invite_and_sign_in(
        &app,
        "ed@example.org",
        Role::Editor,
        &[org.parse().unwrap()],
    )
    .await;
    let asset = offered_asset(&app, "Oakfield Park Pavilion").await;

    // Due in 4 days, no officer with an account: every administrator and moderator.
    let soon = case_with_deadline(&app, &asset, "2026-03-06", "P. Okonjo, Estates").await;
    // Due in 3 days, the officer has an account: only them (their email in any case).
    let mine = case_with_deadline(&app, &asset, "2026-03-05", "officer@council.example").await;
    // Due in 18 days: nothing yet.
    let later = case_with_deadline(&app, &asset, "2026-03-20", "P. Okonjo, Estates").await;
    // Due in 2 days but declined: nothing.
    let closed = case_with_deadline(&app, &asset, "2026-03-04", "P. Okonjo, Estates").await;
    let r = app
        .post(
            &format!("/api/v1/transfer-cases/{closed}/close"),
            serde_json::json!({"outcome": "declined", "reason": "Not viable"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);

    let now: DateTime<Utc> = "2026-03-02T12:00:00Z".parse().unwrap();
    let first = pass(&app.state, now).await;
    assert_eq!(first.deadlines, 4, "{first}");
    assert_eq!(first.queued, 0, "{first}");
    let rows = queued_with(&app, "transfer-deadline:").await;
    let mut to: Vec<(String, &str)> = rows
        .iter()
        .map(|(k, r, _, _)| (k.split(':').nth(1).unwrap().to_owned(), r.as_str()))
        .collect();
    to.sort();
    // The named officer is a moderator too: for `soon` they get it as one of the staff.
    let mut expected = vec![
        (soon.clone(), "admin@council.example"),
        (soon.clone(), "mod@council.example"),
        (soon.clone(), "Officer@Council.example"),
        (mine.clone(), "Officer@Council.example"),
    ];
    expected.sort();
    assert_eq!(to, expected);
    assert!(rows.iter().all(|(k, ..)| k.ends_with(":soon")));
    assert!(
        rows.iter()
            .all(|(k, ..)| !k.contains(&later) && !k.contains(&closed))
    );
    let (key, _, subject, body) = rows
        .iter()
        .find(|(k, r, ..)| k.contains(&soon) && r == "admin@council.example")
        .unwrap();
    assert!(key.contains(":availability-confirmed:2026-03-06:"), "{key}");
    assert!(subject.contains("Oakfield Park Pavilion"), "{subject}");
    for text in [
        "Oakfield Park Pavilion",
        "Availability confirmed",
        "6 March 2026",
        "in 4 days",
        &format!("http://127.0.0.1:8080/admin/transfer-cases/{soon}"),
    ] {
        assert!(body.contains(text), "{text} not in {body}");
    }
    for private in [
        APPLICANT,
        APPLICANT_EMAIL,
        APPLICANT_PHONE,
        "Friends of Oakfield Park",
    ] {
        assert!(
            rows.iter()
                .all(|(_, _, s, b)| !b.contains(private) && !s.contains(private)),
            "{private} mailed"
        );
    }
    assert_eq!(first.sent, 4, "{first}");

    // The same day again: nothing new.
    let again = pass(&app.state, now).await;
    assert_eq!((again.deadlines, again.sent), (0, 0), "{again}");
    assert_eq!(queued_with(&app, "transfer-deadline:").await.len(), 4);

    // 7 March: both deadlines have passed, one "overdue" reminder each; 20 March is still
    // 13 days off.
    let overdue_day: DateTime<Utc> = "2026-03-07T09:00:00Z".parse().unwrap();
    let overdue = pass(&app.state, overdue_day).await;
    assert_eq!(overdue.deadlines, 4, "{overdue}");
    let rows = queued_with(&app, "transfer-deadline:").await;
    assert_eq!(rows.len(), 8);
    let (_, _, subject, body) = rows
        .iter()
        .find(|(k, r, ..)| {
            k.contains(&mine) && k.ends_with(":overdue") && r == "Officer@Council.example"
        })
        .unwrap();
    assert!(subject.starts_with("Transfer deadline passed"), "{subject}");
    assert!(body.contains("2 days ago"), "{body}");
    assert_eq!(pass(&app.state, overdue_day).await.deadlines, 0);
    assert!(
        queued_with(&app, "transfer-deadline:")
            .await
            .iter()
            .all(|(k, r, ..)| !k.contains(&later) && !k.contains(&closed) && r != "ed@example.org")
    );
    app.finish().await;
}
both_backends!(transfer_deadlines_are_reminded_exactly_once);

async fn acv_decisions_due_are_reminded_exactly_once(backend: Backend) {
    let app = TestApp::new(backend).await;
    invite_and_sign_in(&app, "admin@council.example", Role::Admin, &[]).await;
    invite_and_sign_in(&app, "mod@council.example", Role::Moderator, &[]).await;
    let contact = "Jo Private, 07700 900999, jo.private@example.org";
    let nominate = |reference: &'static str, name: &'static str, received: &'static str| {
        let app = &app;
        async move {
            let r = app
                .post(
                    "/api/v1/acv",
                    serde_json::json!({"reference": reference, "name": name,
                        "nominating_group": "Chapel Friends", "nominator_contact": contact,
                        "received": received, "reasons": "Concerts"}),
                )
                .await;
            assert_eq!(r.status, StatusCode::CREATED, "{}", r.json);
            r.json["id"].as_str().unwrap().to_owned()
        }
    };
    // Received 5 January: the decision is due on 1 March (8 weeks beginning with that day).
    let due = nominate("ACV/2026/01", "Hollins Chapel", "2026-01-05").await;
    // Received 20 February: due 16 April, too far off.
    let later = nominate("ACV/2026/02", "Mill Lane Field", "2026-02-20").await;
    // Received 6 January but decided: nothing.
    let decided = nominate("ACV/2026/03", "The Plough Inn", "2026-01-06").await;
    let r = app
        .post(
            &format!("/api/v1/acv/{decided}/decision"),
            serde_json::json!({"decision": "listed", "decided": "2026-02-02"}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json);

    // Four days before: one reminder per administrator and moderator.
    let now: DateTime<Utc> = "2026-02-25T08:00:00Z".parse().unwrap();
    let first = pass(&app.state, now).await;
    assert_eq!(first.decisions, 2, "{first}");
    let rows = queued_with(&app, "acv-decision:").await;
    let mut recipients: Vec<&str> = rows.iter().map(|(_, r, ..)| r.as_str()).collect();
    recipients.sort();
    assert_eq!(recipients, ["admin@council.example", "mod@council.example"]);
    for (key, _, subject, body) in &rows {
        assert!(
            key.starts_with(&format!("acv-decision:{due}:2026-03-01:")),
            "{key}"
        );
        assert!(subject.contains("Hollins Chapel"), "{subject}");
        for text in [
            "Hollins Chapel",
            "ACV/2026/01",
            "5 January 2026",
            "1 March 2026",
            &format!("http://127.0.0.1:8080/admin/acv/{due}"),
        ] {
            assert!(body.contains(text), "{text} not in {body}");
        }
        assert!(
            !body.contains("jo.private") && !body.contains("07700"),
            "{body}"
        );
        assert!(!key.contains(&later) && !key.contains(&decided));
    }
    // Again, and after the date has passed: one reminder per nomination and person only.
    assert_eq!(pass(&app.state, now).await.decisions, 0);
    let after: DateTime<Utc> = "2026-03-10T08:00:00Z".parse().unwrap();
    assert_eq!(pass(&app.state, after).await.decisions, 0);
    assert_eq!(queued_with(&app, "acv-decision:").await.len(), 2);
    // The later nomination's turn comes a week before 16 April.
    let april: DateTime<Utc> = "2026-04-09T08:00:00Z".parse().unwrap();
    assert_eq!(pass(&app.state, april).await.decisions, 2);
    assert!(
        queued_with(&app, "acv-decision:")
            .await
            .iter()
            .all(|(k, ..)| !k.contains(&decided))
    );
    app.finish().await;
}
both_backends!(acv_decisions_due_are_reminded_exactly_once);
