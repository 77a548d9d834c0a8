//! Accounts through the real router, on SQLite and PostgreSQL: an invited person sets their
//! password through the emailed link (read from the `.eml` the file transport wrote), signs
//! in, sees their dashboard and signs out; forms without the session's CSRF token are refused;
//! `next` never leaves the site; cookies are Secure over https; `junction user create`.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;

use axum::http::StatusCode;
use common::TestApp;
use common::accounts::*;
use junction::domain::Role;

async fn invited_person_sets_password_signs_in_and_out(app: &TestApp) {
    let changes = app.change_count().await;
    let cookie = invite_and_sign_in(app, "Ada.Admin@Example.org", Role::Admin, &[]).await;
    // The link worked once.
    let tokens = mailed_tokens(app, "Ada.Admin@Example.org");
    assert_eq!(tokens.len(), 1);
    let token = tokens[0].clone();
    let again = choose_password(app, &token, PASSWORD, PASSWORD).await;
    assert_eq!(again.status, StatusCode::GONE);
    assert!(
        again
            .body
            .contains("This link has expired or has been used")
    );

    // Email is matched whatever its case; the cookie is HttpOnly, SameSite=Lax, Path=/, and
    // not Secure over plain http.
    let page = login(app, "ada.admin@example.ORG", PASSWORD).await;
    assert_eq!(page.location(), "/admin");
    let set = page.set_cookie();
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(set.contains(flag), "{set}");
    }
    assert!(!set.contains("Secure"), "{set}");

    let dash = get(app, "/admin", Some(&cookie)).await;
    assert_eq!(dash.status, StatusCode::OK);
    assert!(
        dash.body
            .contains("<h1 class=\"heading-l\">My records</h1>"),
        "{}",
        dash.body
    );
    assert_eq!(dash.headers.get("cache-control").unwrap(), "no-store");
    assert_eq!(
        get(app, "/login", None)
            .await
            .headers
            .get("cache-control")
            .unwrap(),
        "no-store"
    );

    // Sign out without the CSRF token: refused, still signed in.
    let refused = post(app, "/logout", &[], Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused.body.contains("Your form could not be sent"),
        "{}",
        refused.body
    );
    assert_eq!(
        get(app, "/admin", Some(&cookie)).await.status,
        StatusCode::OK
    );

    let sessions = count(app, "SELECT COUNT(*) AS n FROM sessions").await;
    let out = post(
        app,
        "/logout",
        &[("csrf_token", &dash.csrf())],
        Some(&cookie),
    )
    .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(out.set_cookie().contains("Max-Age=0"));
    assert_eq!(
        count(app, "SELECT COUNT(*) AS n FROM sessions").await,
        sessions - 1
    );
    let after = get(app, "/admin", Some(&cookie)).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert_eq!(after.location(), "/login?next=%2Fadmin");

    // Accounts are not register records: nothing reached the change log (and so no feed).
    assert_eq!(app.change_count().await, changes);
    // Only hashes are stored.
    let raw = count(
        app,
        &format!("SELECT COUNT(*) AS n FROM password_tokens WHERE token_hash = '{token}'"),
    )
    .await;
    assert_eq!(raw, 0);
}
both_dbs!(invited_person_sets_password_signs_in_and_out);

async fn forms_without_the_csrf_token_are_refused(app: &TestApp) {
    let cookie = invite_and_sign_in(app, "admin@example.org", Role::Admin, &[]).await;
    let form = get(app, "/admin/users/new", Some(&cookie)).await;
    assert_eq!(form.status, StatusCode::OK);
    let users = count(app, "SELECT COUNT(*) AS n FROM users").await;
    let fields = [("email", "mod@example.org"), ("role", "moderator")];
    let missing = post(app, "/admin/users/new", &fields, Some(&cookie)).await;
    assert_eq!(missing.status, StatusCode::FORBIDDEN);
    let wrong_token = "0".repeat(64);
    let wrong = post(
        app,
        "/admin/users/new",
        &[fields[0], fields[1], ("csrf_token", &wrong_token)],
        Some(&cookie),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert_eq!(
        count(app, "SELECT COUNT(*) AS n FROM users").await,
        users,
        "nothing created"
    );

    // With it: created, and the set-password link emailed.
    let before = mail(app).len();
    let csrf = form.csrf();
    let ok = post(
        app,
        "/admin/users/new",
        &[fields[0], fields[1], ("csrf_token", &csrf)],
        Some(&cookie),
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert!(
        ok.location().ends_with("?done=created"),
        "{}",
        ok.location()
    );
    link_token(app, "mod@example.org", before).await;

    // The form comes back with an error summary.
    let bad = post(
        app,
        "/admin/users/new",
        &[
            ("email", "MOD@example.org"),
            ("role", "editor"),
            ("csrf_token", &csrf),
        ],
        Some(&cookie),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("There is a problem"));
    assert!(
        bad.body
            .contains("An account with this email address already exists"),
        "{}",
        bad.body
    );

    // A session's token does not work for another session.
    let other = sign_in(app, "admin@example.org").await;
    let cross = post(
        app,
        "/admin/users/new",
        &[
            ("email", "x@example.org"),
            ("role", "admin"),
            ("csrf_token", &csrf),
        ],
        Some(&other),
    )
    .await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
}
both_dbs!(forms_without_the_csrf_token_are_refused);

async fn next_is_followed_only_within_the_site(app: &TestApp) {
    invite_and_sign_in(app, "admin@example.org", Role::Admin, &[]).await;
    let away = get(app, "/admin/users?page=2", None).await;
    assert_eq!(away.status, StatusCode::SEE_OTHER);
    assert_eq!(away.location(), "/login?next=%2Fadmin%2Fusers%3Fpage%3D2");
    let form = get(app, "/login?next=%2Fadmin%2Fusers", None).await;
    assert!(
        form.body.contains("name=\"next\" value=\"/admin/users\""),
        "{}",
        form.body
    );
    for (next, expected) in [
        ("/admin/users", "/admin/users"),
        ("https://evil.example", "/admin"),
        ("//evil.example/x", "/admin"),
        ("/\\evil.example", "/admin"),
    ] {
        let page = post(
            app,
            "/login",
            &[
                ("email", "admin@example.org"),
                ("password", PASSWORD),
                ("next", next),
            ],
            None,
        )
        .await;
        assert_eq!(page.status, StatusCode::SEE_OTHER);
        assert_eq!(page.location(), expected, "next={next}");
    }
    // A bad-looking evil next on the form is not even echoed.
    let evil = get(app, "/login?next=https%3A%2F%2Fevil.example", None).await;
    assert!(!evil.body.contains("evil.example"));
    // Empty fields: the error summary names each.
    let empty = login(app, "", "").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty.body.contains("Enter your email address")
            && empty.body.contains("Enter your password")
    );
    assert!(empty.body.contains("href=\"#email\""));
}
both_dbs!(next_is_followed_only_within_the_site);

async fn cookies_are_secure_over_https(backend: common::Backend) {
    let app = TestApp::configured(backend, false, |c| {
        c.public_url = Some("https://register.example".into());
    })
    .await;
    let s = &app.state;
    let (_, link) = junction::auth::invite(
        &s.store,
        &s.mailer,
        &s.config,
        "a@example.org",
        Role::Admin,
        &[],
    )
    .await
    .unwrap();
    assert!(
        link.starts_with("https://register.example/password/new?token="),
        "{link}"
    );
    let token = link.rsplit('=').next().unwrap();
    choose_password(&app, token, PASSWORD, PASSWORD).await;
    let page = login(&app, "a@example.org", PASSWORD).await;
    assert!(
        page.set_cookie().contains("; Secure"),
        "{}",
        page.set_cookie()
    );
    app.finish().await;
}
both_backends!(cookies_are_secure_over_https);

/// `junction user create` prints the link it mailed; a second account with the same email in
/// another case is refused, naming the flag.
#[test]
fn user_create_prints_the_mailed_link() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_junction"))
            .args(args)
            .env("JUNCTION_DATA_DIR", dir.path())
            .env_remove("DATABASE_URL")
            .env_remove("JUNCTION_SMTP_URL")
            .env("JUNCTION_LOG", "warn")
            .env("RUST_LOG", "warn")
            .output()
            .unwrap()
    };
    let out = run(&[
        "user",
        "create",
        "--email",
        "First.Admin@example.org",
        "--role",
        "admin",
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let link = stdout.lines().last().unwrap();
    let token = link.rsplit('=').next().unwrap();
    assert_eq!(token.len(), 64, "{link}");
    let mails: Vec<String> = std::fs::read_dir(dir.path().join("mail"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .map(|t| {
            t.replace("=\r\n", "")
                .replace("=\n", "")
                .replace("=3D", "=")
        })
        .collect();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].contains(token));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains(token),
        "the link is printed once, on stdout"
    );

    let again = run(&[
        "user",
        "create",
        "--email",
        "first.admin@EXAMPLE.org",
        "--role",
        "moderator",
    ]);
    assert!(!again.status.success());
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(
        err.contains("--email: An account with this email address already exists"),
        "{err}"
    );
    let editor = run(&[
        "user",
        "create",
        "--email",
        "ed@example.org",
        "--role",
        "editor",
    ]);
    assert!(String::from_utf8_lossy(&editor.stderr).contains("--organisation"));
}
