//! Helpers for the accounts tests: forms posted through the real router (optionally from a
//! client address), the mail the file transport wrote, and signing an invited person in.

use std::net::SocketAddr;

use axum::{
    body::Body,
    extract::ConnectInfo,
    http::{HeaderMap, Request, StatusCode},
};
use http_body_util::BodyExt;
use junction::domain::Role;
use sea_orm::{ConnectionTrait, Statement};
use tower::ServiceExt;
use uuid::Uuid;

use super::TestApp;

pub const PASSWORD: &str = "correct horse battery staple";

pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// The value of the shortlist cookie this response sets, if any.
    pub fn shortlist_cookie(&self) -> Option<String> {
        let set = self.headers.get("set-cookie")?.to_str().ok()?;
        let (pair, _) = set.split_once(';')?;
        let (k, v) = pair.split_once('=')?;
        (k == "junction_shortlist").then(|| v.to_owned())
    }

    pub fn set_cookie(&self) -> String {
        self.headers
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    /// The session cookie this response sets, as `name=value`.
    pub fn session(&self) -> String {
        let set = self.set_cookie();
        let pair = set.split(';').next().unwrap_or_default().to_owned();
        assert!(
            pair.starts_with("junction_session="),
            "no session cookie: {set}"
        );
        pair
    }

    /// The CSRF token in the page's forms.
    pub fn csrf(&self) -> String {
        let at = self
            .body
            .find("name=\"csrf_token\" value=\"")
            .expect("a CSRF field");
        self.body[at + 25..at + 25 + 64].to_owned()
    }
}

pub async fn send(app: &TestApp, mut request: Request<Body>, address: Option<&str>) -> Page {
    if let Some(a) = address {
        let addr: SocketAddr = format!("{a}:40000").parse().unwrap();
        request.extensions_mut().insert(ConnectInfo(addr));
    }
    let response = app.router.clone().oneshot(request).await.expect("response");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response
        .into_body()
        .collect()
        .await
        .expect("body")
        .to_bytes();
    Page {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
    }
}

pub async fn get(app: &TestApp, uri: &str, cookie: Option<&str>) -> Page {
    let mut b = Request::builder().uri(uri);
    if let Some(c) = cookie {
        b = b.header("cookie", c);
    }
    send(app, b.body(Body::empty()).unwrap(), None).await
}

pub async fn post_from(
    app: &TestApp,
    uri: &str,
    fields: &[(&str, &str)],
    cookie: Option<&str>,
    address: Option<&str>,
) -> Page {
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    let mut b = Request::builder()
        .method("POST")
        .uri(uri)
        .header("content-type", "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        b = b.header("cookie", c);
    }
    send(app, b.body(Body::from(body)).unwrap(), address).await
}

pub async fn post(app: &TestApp, uri: &str, fields: &[(&str, &str)], cookie: Option<&str>) -> Page {
    post_from(app, uri, fields, cookie, None).await
}

/// Every message the file transport wrote, decoded (quoted-printable), with its recipient.
pub fn mail(app: &TestApp) -> Vec<(String, String)> {
    let dir = app.dir.path().join("mail");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    entries
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .map(|raw| {
            let text = raw
                .replace("=\r\n", "")
                .replace("=\n", "")
                .replace("=3D", "=");
            let to = text
                .lines()
                .find_map(|l| l.strip_prefix("To: "))
                .unwrap_or_default()
                .to_owned();
            (to, text)
        })
        .collect()
}

/// The tokens of every link mailed to `to`.
pub fn mailed_tokens(app: &TestApp, to: &str) -> Vec<String> {
    mail(app)
        .iter()
        .filter(|(t, _)| t == to)
        .filter_map(|(_, text)| {
            let at = text.find("/password/new?token=")?;
            Some(text[at + 20..at + 84].to_owned())
        })
        .collect()
}

/// The one link mailed to `to` that still works (after `seen` messages were already there).
pub async fn link_token(app: &TestApp, to: &str, seen: usize) -> String {
    assert!(mail(app).len() > seen, "no new mail (had {seen})");
    let mut open = Vec::new();
    for t in mailed_tokens(app, to) {
        if app
            .state
            .store
            .open_password_token(&t)
            .await
            .unwrap()
            .is_some()
        {
            open.push(t);
        }
    }
    assert_eq!(open.len(), 1, "one open link mailed to {to}");
    open.pop().unwrap()
}

/// Creates an account the way `junction user create` and the users page do (emailing the
/// link), sets its password through that link and signs in; returns the session cookie.
pub async fn invite_and_sign_in(app: &TestApp, email: &str, role: Role, orgs: &[Uuid]) -> String {
    let s = &app.state;
    let before = mail(app).len();
    let (user, link) = junction::auth::invite(&s.store, &s.mailer, &s.config, email, role, orgs)
        .await
        .expect("invite");
    assert_eq!(user.role, role);
    let token = link_token(app, email, before).await;
    assert!(link.ends_with(&token), "the printed link is the mailed one");
    let form = get(app, &format!("/password/new?token={token}"), None).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let set = choose_password(app, &token, PASSWORD, PASSWORD).await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
    assert_eq!(set.location(), "/login?done=password");
    sign_in(app, email).await
}

pub async fn sign_in(app: &TestApp, email: &str) -> String {
    let page = login(app, email, PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.session()
}

pub async fn count(app: &TestApp, sql: &str) -> i64 {
    let row = app
        .state
        .store
        .db
        .query_one_raw(Statement::from_string(app.state.store.backend(), sql))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

/// Posts the "choose your password" form of a link.
pub async fn choose_password(app: &TestApp, token: &str, password: &str, confirm: &str) -> Page {
    let fields = [
        ("token", token),
        ("password", password),
        ("confirm", confirm),
    ];
    post(app, "/password/new", &fields, None).await
}

/// Posts the sign-in form.
pub async fn login(app: &TestApp, email: &str, password: &str) -> Page {
    post(
        app,
        "/login",
        &[("email", email), ("password", password)],
        None,
    )
    .await
}
