//! `/login` and `/logout`. The sign-in form never says whether it was the email or the
//! password that was wrong; after repeated failures it says how long to wait.

use axum::{
    body::Bytes,
    extract::{Query, State},
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use maud::{Markup, html};
use serde::Deserialize;

use super::{CsrfForm, clear_cookie, client_address, safe_next, session_cookie};
use crate::AppState;
use crate::auth::{self, SignIn, wait_words};
use crate::web::PageError;
use crate::web::layout::{Badge, Head, error_summary, field_error, has_error, page};

#[derive(Debug, Default, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    /// Set after a password was set or a reset link sent, to say so.
    done: Option<String>,
}

struct Filled<'a> {
    email: &'a str,
    next: &'a str,
    notice: Option<&'static str>,
}

fn form(filled: &Filled, errors: &[(String, String)]) -> Markup {
    let email_class = if has_error(errors, "email") {
        "input input--error"
    } else {
        "input"
    };
    let password_class = if has_error(errors, "password") {
        "input input--error"
    } else {
        "input"
    };
    html! {
        (error_summary(errors))
        @if let Some(n) = filled.notice {
            div class="panel panel--notice" role="status" { p { (n) } }
        }
        h1 class="heading-l" { "Sign in" }
        p { "For council staff and the organisations that keep their records in the register." }
        form method="post" action="/login" novalidate {
            input type="hidden" name="next" value=(filled.next);
            div class={ "form-group" @if has_error(errors, "email") { " form-group--error" } } {
                label class="label" for="email" { "Email address" }
                (field_error(errors, "email"))
                input class=(email_class) id="email" name="email" type="email" autocomplete="username" spellcheck="false" value=(filled.email);
            }
            div class={ "form-group" @if has_error(errors, "password") { " form-group--error" } } {
                label class="label" for="password" { "Password" }
                (field_error(errors, "password"))
                input class=(password_class) id="password" name="password" type="password" autocomplete="current-password";
            }
            button type="submit" class="button" { "Sign in" }
        }
        p { a href="/password-reset" { "Forgotten your password?" } }
    }
}

fn render(status: StatusCode, filled: &Filled, errors: &[(String, String)]) -> Response {
    let title = if errors.is_empty() {
        "Sign in".to_owned()
    } else {
        "Error: Sign in".to_owned()
    };
    let head = Head {
        noindex: true,
        ..Head::titled(title)
    };
    (status, page(head, &Badge::default(), form(filled, errors))).into_response()
}

pub async fn show(Query(q): Query<LoginQuery>) -> Response {
    let notice = match q.done.as_deref() {
        Some("password") => Some("Your password has been set. Sign in with it."),
        Some("signed-out") => Some("You have signed out."),
        _ => None,
    };
    let next = safe_next(q.next.as_deref());
    render(
        StatusCode::OK,
        &Filled {
            email: "",
            next: &next,
            notice,
        },
        &[],
    )
}

pub async fn submit(
    State(state): State<AppState>,
    extensions: axum::http::Extensions,
    body: Bytes,
) -> Result<Response, PageError> {
    let field = |name: &str| {
        form_urlencoded::parse(&body)
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    let (email, password) = (field("email"), field("password"));
    let next = safe_next(Some(&field("next")));
    let email = email.trim();
    let filled = Filled {
        email,
        next: &next,
        notice: None,
    };
    let mut errors = Vec::new();
    if email.is_empty() {
        errors.push(("email".to_owned(), "Enter your email address".to_owned()));
    }
    if password.is_empty() {
        errors.push(("password".to_owned(), "Enter your password".to_owned()));
    }
    if !errors.is_empty() {
        return Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &filled, &errors));
    }
    let address = client_address(&extensions);
    match auth::sign_in(&state.store, email, &password, &address).await? {
        SignIn::Ok(_, session) => {
            let mut response = Redirect::to(&next).into_response();
            if let Some(c) = session_cookie(&state, &session.secret) {
                response.headers_mut().insert(header::SET_COOKIE, c);
            }
            Ok(response)
        }
        SignIn::Wrong => Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &filled,
            &[("email".to_owned(), "Email or password is wrong".to_owned())],
        )),
        SignIn::Locked(until) => {
            let message = format!(
                "Too many failed attempts to sign in. Try again {}.",
                wait_words(until, chrono::Utc::now())
            );
            Ok(render(
                StatusCode::TOO_MANY_REQUESTS,
                &filled,
                &[("email".to_owned(), message)],
            ))
        }
    }
}

/// Ends the session (deleted from the database, not just forgotten by the browser).
pub async fn logout(State(state): State<AppState>, form: CsrfForm) -> Result<Response, PageError> {
    state.store.end_session(&form.who.0.id_hash).await?;
    tracing::info!(user = %form.who.user().id, "signed out");
    let mut response = Redirect::to("/login?done=signed-out").into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, clear_cookie(&state));
    Ok(response)
}
