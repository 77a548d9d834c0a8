//! "Forgotten your password?" (`/password-reset`) and choosing a password through an emailed
//! link (`/password/new?token=…`). The reset form answers the same whether or not the address
//! has an account.

use axum::{
    body::Bytes,
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use maud::{Markup, html};
use serde::Deserialize;

use crate::AppState;
use crate::auth;
use crate::store::sign_in_failures::ThrottleKey;
use crate::store::users::normalise_email;
use crate::web::PageError;
use crate::web::layout::{Badge, Head, error_summary, field_error, has_error, page};

fn field(body: &Bytes, name: &str) -> String {
    form_urlencoded::parse(body)
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

fn respond(
    status: StatusCode,
    title: &str,
    errors: &[(String, String)],
    content: Markup,
) -> Response {
    let title = if errors.is_empty() {
        title.to_owned()
    } else {
        format!("Error: {title}")
    };
    let head = Head {
        noindex: true,
        // The page's address may hold a link token: send it nowhere.
        no_referrer: true,
        ..Head::titled(title)
    };
    (status, page(head, &Badge::default(), content)).into_response()
}

fn input_class(errors: &[(String, String)], name: &str) -> &'static str {
    if has_error(errors, name) {
        "input input--error"
    } else {
        "input"
    }
}

fn ask_form(email: &str, errors: &[(String, String)]) -> Markup {
    html! {
        (error_summary(errors))
        h1 class="heading-l" { "Reset your password" }
        p { "Enter the email address of your account. We will send it a link to choose a new password. The link works once, for 1 hour." }
        form method="post" action="/password-reset" novalidate {
            div class={ "form-group" @if has_error(errors, "email") { " form-group--error" } } {
                label class="label" for="email" { "Email address" }
                (field_error(errors, "email"))
                input class=(input_class(errors, "email")) id="email" name="email" type="email" autocomplete="username" spellcheck="false" value=(email);
            }
            button type="submit" class="button" { "Send the link" }
        }
        p { a href="/login" { "Back to sign in" } }
    }
}

pub async fn ask() -> Response {
    respond(
        StatusCode::OK,
        "Reset your password",
        &[],
        ask_form("", &[]),
    )
}

pub async fn send(
    State(state): State<AppState>,
    extensions: axum::http::Extensions,
    body: Bytes,
) -> Result<Response, PageError> {
    let email = field(&body, "email");
    let email = email.trim();
    if email.is_empty() {
        let errors = [("email".to_owned(), "Enter your email address".to_owned())];
        return Ok(respond(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Reset your password",
            &errors,
            ask_form(email, &errors),
        ));
    }
    if normalise_email("email", email).is_err() {
        let errors = [(
            "email".to_owned(),
            "Enter an email address in the correct format, like name@example.com".to_owned(),
        )];
        return Ok(respond(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Reset your password",
            &errors,
            ask_form(email, &errors),
        ));
    }
    // Each request may send a mail: limited per client address and per email address.
    let throttle = [
        ThrottleKey::resets_from(&super::client_address(&extensions)),
        ThrottleKey::resets_for(email),
    ];
    if let Some(until) = state.store.locked_until(&throttle).await? {
        let content = html! {
            h1 class="heading-l" { "Too many requests" }
            p { "We have had several requests for a new password link for this address or from your connection. Try again " (auth::wait_words(until, chrono::Utc::now())) "." }
            p { "If you asked for a link a few minutes ago, check your email (and your spam folder) for it." }
        };
        return Ok(respond(
            StatusCode::TOO_MANY_REQUESTS,
            "Too many requests",
            &[],
            content,
        ));
    }
    state.store.record_sign_in_failure(&throttle).await?;
    if let Err(e) = auth::request_reset(&state.store, &state.mailer, &state.config, email).await {
        // Logged, not shown: showing it would say the address has an account.
        tracing::error!(error = ?e, "sending a password reset link failed");
    }
    let content = html! {
        div class="panel" { h1 class="heading-l" { "Check your email" } }
        p { "If " strong { (email) } " has an account, we have sent it a link to choose a new password. The link works once, for 1 hour." }
        p { "If nothing arrives in a few minutes, check your spam folder, or " a href="/password-reset" { "ask for another link" } "." }
        p { a href="/login" { "Back to sign in" } }
    };
    Ok(respond(StatusCode::OK, "Check your email", &[], content))
}

#[derive(Debug, Default, Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

fn expired() -> Response {
    let content = html! {
        h1 class="heading-l" { "This link has expired or has been used" }
        p { "Links to choose a password work once, and only for a while." }
        p { a href="/password-reset" { "Ask for a new link" } }
    };
    respond(
        StatusCode::GONE,
        "This link has expired or has been used",
        &[],
        content,
    )
}

fn choose_form(token: &str, errors: &[(String, String)]) -> Markup {
    html! {
        (error_summary(errors))
        h1 class="heading-l" { "Choose your password" }
        form method="post" action="/password/new" novalidate {
            input type="hidden" name="token" value=(token);
            div class={ "form-group" @if has_error(errors, "password") { " form-group--error" } } {
                label class="label" for="password" { "New password" }
                div class="hint" id="password-hint" { "At least " (auth::password::MIN_LENGTH) " characters. A few unrelated words make a strong password that is easy to remember." }
                (field_error(errors, "password"))
                input class=(input_class(errors, "password")) id="password" name="password" type="password" autocomplete="new-password" aria-describedby="password-hint";
            }
            div class={ "form-group" @if has_error(errors, "confirm") { " form-group--error" } } {
                label class="label" for="confirm" { "Type the new password again" }
                (field_error(errors, "confirm"))
                input class=(input_class(errors, "confirm")) id="confirm" name="confirm" type="password" autocomplete="new-password";
            }
            button type="submit" class="button" { "Save password" }
        }
    }
}

pub async fn choose(
    State(state): State<AppState>,
    Query(q): Query<TokenQuery>,
) -> Result<Response, PageError> {
    let token = q.token.unwrap_or_default();
    if state.store.open_password_token(&token).await?.is_none() {
        return Ok(expired());
    }
    Ok(respond(
        StatusCode::OK,
        "Choose your password",
        &[],
        choose_form(&token, &[]),
    ))
}

pub async fn set(State(state): State<AppState>, body: Bytes) -> Result<Response, PageError> {
    let token = field(&body, "token");
    if state.store.open_password_token(&token).await?.is_none() {
        return Ok(expired());
    }
    let (password, confirm) = (field(&body, "password"), field(&body, "confirm"));
    if let Err(e) = auth::password::check_new(&password, &confirm) {
        let errors = [(e.field, e.message)];
        return Ok(respond(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Choose your password",
            &errors,
            choose_form(&token, &errors),
        ));
    }
    match auth::set_password(&state.store, &token, &password).await? {
        Some(_) => Ok(Redirect::to("/login?done=password").into_response()),
        None => Ok(expired()),
    }
}
