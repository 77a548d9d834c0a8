//! "Report a problem or suggest a change" on every public record page:
//! `/services/{id}/suggest` (and spaces, organisations, assets). A form says what is wrong (a
//! field of the record, or something else), the correct information, why, and optionally an
//! email for questions. Spam is kept out without a puzzle: a hidden honeypot field people
//! never fill, a signed timestamp that must be at least [`MIN_FILL`] seconds old (and no more
//! than a day), and at most `SUGGESTION_LIMIT` suggestions per client address in 15 minutes
//! (counted like failed sign-ins). The email never appears on a public page, in an API or in a log.

use axum::{
    Router,
    body::Bytes,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
};
use chrono::{Duration, Utc};
use maud::{Markup, html};
use uuid::Uuid;

use super::PageError;
use super::account::client_address;
use super::layout::{Badge, Head, error_summary, field_error, has_error, page};
use super::records::load_public;
use crate::AppState;
use crate::auth::signing::{LinkKey, form_stamp, stamp_time};
use crate::domain::suggestion::{self, OTHER, fields};
use crate::domain::{Asset, Organisation, RecordKind, Service, Space};
use crate::store::Stored;
use crate::store::sign_in_failures::ThrottleKey;

/// A form sent sooner than this after it was shown is taken for a robot's.
pub const MIN_FILL: i64 = 3;
/// A form older than this is shown again to be sent afresh.
pub const MAX_AGE: Duration = Duration::days(1);
/// The honeypot: a field hidden from people (and from screen readers), which robots fill in.
pub const HONEYPOT: &str = "homepage";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/services/{id}/suggest",
            get(show::<Service>).post(send::<Service>),
        )
        .route(
            "/spaces/{id}/suggest",
            get(show::<Space>).post(send::<Space>),
        )
        .route(
            "/organisations/{id}/suggest",
            get(show::<Organisation>).post(send::<Organisation>),
        )
        .route(
            "/assets/{id}/suggest",
            get(show::<Asset>).post(send::<Asset>),
        )
}

fn form_path(kind: RecordKind, id: Uuid) -> String {
    format!("/{}/{id}/suggest", kind.resource())
}

/// The link on a record's public page.
pub fn link(kind: RecordKind, id: Uuid) -> Markup {
    html! {
        p class="suggest-link" {
            a href=(form_path(kind, id)) { "Report a problem or suggest a change" }
        }
    }
}

/// What the form's signed timestamp is bound to: this form, for this record.
pub fn stamp_purpose(kind: RecordKind, id: Uuid) -> String {
    format!("suggest:{}:{id}", kind.as_str())
}

#[derive(Default)]
struct Filled {
    field: String,
    value: String,
    message: String,
    email: String,
}

type Errors = Vec<(String, String)>;

fn class(errors: &Errors, name: &str, base: &str) -> String {
    if has_error(errors, name) {
        format!("{base} {base}--error")
    } else {
        base.to_owned()
    }
}

fn group(errors: &Errors, name: &str) -> &'static str {
    if has_error(errors, name) {
        "form-group form-group--error"
    } else {
        "form-group"
    }
}

fn form_page(
    kind: RecordKind,
    id: Uuid,
    name: &str,
    stamp: &str,
    filled: &Filled,
    errors: &Errors,
) -> Response {
    let public = format!("/{}/{id}", kind.resource());
    let content = html! {
        (error_summary(errors))
        span class="caption" { (name) }
        h1 class="heading-l" { "Report a problem or suggest a change" }
        p { "Tell us what is wrong with this " (kind.label()) "'s page. A moderator checks every suggestion before anything changes." }
        form method="post" action=(form_path(kind, id)) novalidate {
            input type="hidden" name="stamp" value=(stamp);
            div class=(group(errors, "field")) {
                fieldset class="fieldset" id="field" {
                    legend class="fieldset__legend" { "What is wrong?" }
                    (field_error(errors, "field"))
                    div class="checkboxes" {
                        @for f in fields(kind).iter().map(|f| (f.name, f.label)).chain([(OTHER, "Something else")]) {
                            div class="checkboxes__item" {
                                input class="checkboxes__input" type="radio" id={ "field-" (f.0) } name="field" value=(f.0) checked[filled.field == f.0];
                                label class="checkboxes__label" for={ "field-" (f.0) } { (f.1) }
                            }
                        }
                    }
                }
            }
            div class=(group(errors, "value")) {
                label class="label" for="value" { "What should it say?" }
                div class="hint" id="value-hint" { "The correct information, as it should appear. Leave it empty if something should be removed." }
                (field_error(errors, "value"))
                textarea class=(class(errors, "value", "input")) id="value" name="value" rows="3" aria-describedby="value-hint" { (filled.value) }
            }
            div class=(group(errors, "message")) {
                label class="label" for="message" { "Anything else we should know (optional)" }
                div class="hint" id="message-hint" { "For example how you know. Do not include personal details." }
                (field_error(errors, "message"))
                textarea class=(class(errors, "message", "input")) id="message" name="message" rows="5" aria-describedby="message-hint" { (filled.message) }
            }
            div class=(group(errors, "email")) {
                label class="label" for="email" { "Your email address (optional)" }
                div class="hint" id="email-hint" { "Only if you are happy for a moderator to ask you about it. It is never published, and it is deleted 30 days after we have dealt with your suggestion." }
                (field_error(errors, "email"))
                input class=(class(errors, "email", "input")) id="email" name="email" type="email" autocomplete="email" spellcheck="false" aria-describedby="email-hint" value=(filled.email);
            }
            div class="visually-hidden" aria-hidden="true" {
                label for=(HONEYPOT) { "Leave this empty" }
                input id=(HONEYPOT) name=(HONEYPOT) type="text" tabindex="-1" autocomplete="off";
            }
            button type="submit" class="button" { "Send" }
        }
        p { a href=(public) { "Back to " (name) } }
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let title = if errors.is_empty() {
        "Report a problem or suggest a change".to_owned()
    } else {
        "Error: Report a problem or suggest a change".to_owned()
    };
    let head = Head {
        noindex: true,
        ..Head::titled(title)
    };
    (status, page(head, &Badge::default(), content)).into_response()
}

/// `GET /{kind}s/{id}/suggest`: the form, for a published record.
pub async fn show<R: Stored>(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let record: R = load_public(&state, &id).await?;
    let id = record.meta().map(|m| m.id).unwrap_or_default();
    let stamp = form_stamp(
        &LinkKey::for_config(&state.config)?,
        &stamp_purpose(R::KIND, id),
        Utc::now(),
    );
    Ok(form_page(
        R::KIND,
        id,
        record.name(),
        &stamp,
        &Filled::default(),
        &Vec::new(),
    ))
}

fn thanks(kind: RecordKind, id: Uuid, name: &str) -> Response {
    let content = html! {
        div class="panel" {
            h1 class="heading-l" { "Thank you for your suggestion" }
        }
        p { "A moderator will check it. If it is right, the page of " (name) " will be corrected." }
        p { a href={ "/" (kind.resource()) "/" (id) } { "Back to " (name) } }
    };
    let head = Head {
        noindex: true,
        ..Head::titled("Thank you for your suggestion")
    };
    (StatusCode::OK, page(head, &Badge::default(), content)).into_response()
}

/// `POST /{kind}s/{id}/suggest`.
pub async fn send<R: Stored>(
    State(state): State<AppState>,
    Path(id): Path<String>,
    extensions: axum::http::Extensions,
    body: Bytes,
) -> Result<Response, PageError> {
    let record: R = load_public(&state, &id).await?;
    let (kind, id, name) = (
        R::KIND,
        record.meta().map(|m| m.id).unwrap_or_default(),
        record.name().to_owned(),
    );
    let field = |n: &str| {
        form_urlencoded::parse(&body)
            .find(|(k, _)| k == n)
            .map(|(_, v)| v.into_owned())
            .unwrap_or_default()
    };
    let filled = Filled {
        field: field("field"),
        value: field("value"),
        message: field("message"),
        email: field("email"),
    };
    let throttle = [ThrottleKey::suggestions(&client_address(&extensions))];
    if let Some(until) = state.store.locked_until(&throttle).await? {
        let content = html! {
            h1 class="heading-l" { "Too many suggestions" }
            p { "We have had a lot of suggestions from your connection. Try again " (crate::auth::wait_words(until, Utc::now())) "." }
        };
        let head = Head {
            noindex: true,
            ..Head::titled("Too many suggestions")
        };
        return Ok((
            StatusCode::TOO_MANY_REQUESTS,
            page(head, &Badge::default(), content),
        )
            .into_response());
    }
    let key = LinkKey::for_config(&state.config)?;
    let now = Utc::now();
    if !field(HONEYPOT).is_empty() {
        // A robot: thanked, and nothing kept.
        tracing::info!(kind = kind.as_str(), %id, "a suggestion was dropped: the honeypot was filled");
        return Ok(thanks(kind, id, &name));
    }
    let purpose = stamp_purpose(kind, id);
    let fresh = form_stamp(&key, &purpose, now);
    let shown = stamp_time(&key, &purpose, &field("stamp"));
    let stamp_problem = match shown {
        None => Some("This form could not be read. Check your suggestion and send it again"),
        Some(t) if now.timestamp() - t > MAX_AGE.num_seconds() => {
            Some("This form was open for too long. Check your suggestion and send it again")
        }
        Some(t) if now.timestamp() - t < MIN_FILL => {
            Some("That was very quick. Check your suggestion and send it again")
        }
        Some(_) => None,
    };
    let checked = suggestion::check(
        kind,
        &filled.field,
        &filled.value,
        &filled.message,
        &filled.email,
    );
    let mut errors: Errors = match &checked {
        Ok(_) => Vec::new(),
        Err(errs) => errs
            .iter()
            .map(|e| (e.field.clone(), e.message.clone()))
            .collect(),
    };
    if let Some(problem) = stamp_problem {
        errors.insert(0, ("field".to_owned(), problem.to_owned()));
    }
    let draft = match checked {
        Ok(d) if errors.is_empty() => d,
        _ => return Ok(form_page(kind, id, &name, &fresh, &filled, &errors)),
    };
    state.store.record_sign_in_failure(&throttle).await?;
    let number = state.store.create_suggestion(kind, id, &draft, now).await?;
    // Never the email or the text: they may be personal.
    tracing::info!(suggestion = number, kind = kind.as_str(), %id, "suggestion received");
    Ok(thanks(kind, id, &name))
}
