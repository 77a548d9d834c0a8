//! Signing in and out, and setting a password: `/login`, `/logout`, `/password-reset` and
//! `/password/new`. Also the two extractors every page of the signed-in area starts from:
//! [`SignedIn`] (a live session, or a redirect to `/login?next=…`) and [`CsrfForm`] (a posted
//! form whose CSRF token matches the session's, or a 403 page).

mod csrf;
mod login;
mod password;

use axum::{
    Router,
    extract::{ConnectInfo, FromRequestParts},
    http::{HeaderValue, header, request::Parts},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};

use crate::AppState;
use crate::store::sessions::{ABSOLUTE, LiveSession};

pub use csrf::{CsrfForm, csrf_field};

/// The session cookie: a random secret (only its hash is stored), nothing else.
pub const SESSION_COOKIE: &str = "junction_session";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login::show).post(login::submit))
        .route("/logout", axum::routing::post(login::logout))
        .route("/password-reset", get(password::ask).post(password::send))
        .route("/password/new", get(password::choose).post(password::set))
}

/// A live session: who is signed in and their CSRF token.
#[derive(Debug, Clone)]
pub struct SignedIn(pub LiveSession);

impl SignedIn {
    pub fn user(&self) -> &crate::store::users::User {
        &self.0.user
    }
}

/// The session secret in a request's cookies, if there is one of the right shape.
fn session_secret(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == SESSION_COOKIE)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| crate::store::secrets::is_secret_shape(v))
}

/// Not signed in: go to the sign-in page, and come back here afterwards.
pub struct ToLogin(Response);

impl IntoResponse for ToLogin {
    fn into_response(self) -> Response {
        self.0
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = ToLogin;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ToLogin> {
        let back = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/admin".into());
        let to_login = || {
            ToLogin(
                Redirect::to(&format!("/login?next={}", crate::web::layout::enc(&back)))
                    .into_response(),
            )
        };
        let Some(secret) = session_secret(parts) else {
            return Err(to_login());
        };
        match state.store.session(&secret).await {
            Ok(Some(live)) => Ok(SignedIn(live)),
            Ok(None) => Err(to_login()),
            Err(e) => Err(ToLogin(crate::web::PageError::from(e).into_response())),
        }
    }
}

/// Where to go after signing in: `next` when it is a path on this site, else the dashboard.
/// Anything that a browser could read as another site (`//evil`, `/\evil`, `https://…`) is
/// refused.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(char::is_control)
                && n.len() <= 2000 =>
        {
            n.to_owned()
        }
        _ => "/admin".to_owned(),
    }
}

/// The `Set-Cookie` that starts a session: HttpOnly, SameSite=Lax, Path=/, Secure over https,
/// and no longer-lived than a session can be.
pub fn session_cookie(state: &AppState, secret: &str) -> Option<HeaderValue> {
    let secure = if state.config.is_https() {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={secret}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{secure}",
        ABSOLUTE.num_seconds()
    ))
    .ok()
}

/// The `Set-Cookie` that forgets the session.
pub fn clear_cookie(state: &AppState) -> HeaderValue {
    let secure = if state.config.is_https() {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("junction_session=; Path=/; Max-Age=0"))
}

/// The client's address, for the per-address sign-in limit: the connection's peer. (Behind a
/// reverse proxy every client shares the proxy's address; see README.)
pub fn client_address(parts: &axum::http::Extensions) -> String {
    parts
        .get::<ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_must_stay_on_this_site() {
        assert_eq!(safe_next(Some("/admin/users?x=1")), "/admin/users?x=1");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "evil",
            "/a\nb",
        ] {
            assert_eq!(safe_next(Some(bad)), "/admin", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/admin");
    }
}
