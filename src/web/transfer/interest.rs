//! `/assets/{id}/interest`: a community group's expression of interest in an asset offered
//! for community asset transfer. The form re-renders with an error summary; success shows the
//! private link once (and emails it). No account is needed; like the rest of the public site
//! the form carries no session, and a hidden field people never see keeps out the simplest
//! form-filling robots.

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::NaiveDate;
use maud::{Markup, html};

use crate::AppState;
use crate::domain::transfer::{NewCase, interest_closed_on, today};
use crate::domain::vocab::CommunityUse;
use crate::domain::{Asset, FieldError};
use crate::error::AppError;
use crate::web::PageError;
use crate::web::Visitor;
use crate::web::layout::{Breadcrumbs, Head, error_summary, field_error, has_error, page};
use crate::web::records::load_public;
use crate::web::results::record_href;
use crate::web::transfer::day;

type Errors = Vec<(String, String)>;

/// The trap field: hidden from people (and assistive technology), filled only by robots.
const TRAP: &str = "website";

fn head(title: &str) -> Head {
    Head {
        noindex: true,
        ..Head::titled(title)
    }
}

fn not_offered(visitor: &Visitor, a: &Asset) -> Response {
    let content = html! {
        h1 class="heading-l" { "This land or building is not offered for transfer" }
        p { (a.name) " is not offered for community asset transfer at the moment, so it takes no expressions of interest." }
        p { a href=(record_href("asset", a.id)) { "Back to " (a.name) } }
    };
    (
        StatusCode::CONFLICT,
        page(head("Not offered for transfer"), &visitor.badge(), content),
    )
        .into_response()
}

/// The page shown instead of the form once the closing date has passed.
fn interest_closed(visitor: &Visitor, a: &Asset, closed_on: NaiveDate) -> Response {
    let content = html! {
        h1 class="heading-l" { "Expressions of interest have closed" }
        p { "Expressions of interest for " (a.name) " closed on " (day(closed_on)) ", so it takes no more." }
        p { a href=(record_href("asset", a.id)) { "Back to " (a.name) } }
    };
    page(
        head("Expressions of interest closed"),
        &visitor.badge(),
        content,
    )
    .into_response()
}

/// The closing date that has passed today (UK), if any.
fn closed_on(a: &Asset) -> Option<NaiveDate> {
    interest_closed_on(a.transfer_closing_date, today())
}

struct Filled {
    group_name: String,
    contact_name: String,
    contact_email: String,
    contact_phone: String,
    proposal: String,
}

fn text_field(
    errors: &Errors,
    name: &str,
    label: &str,
    hint: Option<&str>,
    value: &str,
    kind: &str,
    autocomplete: &str,
) -> Markup {
    let class = if has_error(errors, name) {
        "input input--error"
    } else {
        "input"
    };
    html! {
        div class={ "form-group" @if has_error(errors, name) { " form-group--error" } } {
            label class="label" for=(name) { (label) }
            @if let Some(h) = hint { div class="hint" id={ (name) "-hint" } { (h) } }
            (field_error(errors, name))
            input class=(class) id=(name) name=(name) type=(kind) autocomplete=(autocomplete)
                aria-describedby=[hint.map(|_| format!("{name}-hint"))] value=(value);
        }
    }
}

fn form_page(visitor: &Visitor, a: &Asset, f: &Filled, errors: &Errors) -> Response {
    let title = if errors.is_empty() {
        format!("Express interest in {}", a.name)
    } else {
        format!("Error: Express interest in {}", a.name)
    };
    let asset_path = record_href("asset", a.id);
    let content = html! {
        (Breadcrumbs(&[("Home", "/"), ("Land and buildings", "/search?kind=asset"), (a.name.as_str(), asset_path.as_str())]))
        (error_summary(errors))
        span class="caption" { "Community asset transfer" }
        h1 class="heading-l" id="asset" { "Express interest in " (a.name) }
        @if let Some(d) = a.transfer_closing_date {
            p { strong { "Expressions of interest close on " (day(d)) "." } }
        }
        p { "Tell the council that your community group would like to take on this land or building. This starts a case: the council will contact you about the next steps." }
        p { "We publish your group’s name only if the transfer goes ahead. Your name, email address and phone number are never published." }
        form method="post" action={ "/assets/" (a.id) "/interest" } novalidate {
            (text_field(errors, "group_name", "Name of your community group", None, &f.group_name, "text", "organization"))
            (text_field(errors, "contact_name", "Your name", Some("The person the council should contact."), &f.contact_name, "text", "name"))
            (text_field(errors, "contact_email", "Email address", Some("We will email you a private link to follow your case."), &f.contact_email, "email", "email"))
            (text_field(errors, "contact_phone", "Phone number (optional)", None, &f.contact_phone, "tel", "tel"))
            div class={ "form-group" @if has_error(errors, "proposal") { " form-group--error" } } {
                label class="label" for="proposal" { "What would your group do with it?" }
                div class="hint" id="proposal-hint" { "A short summary: who it would serve and how. You can send a full business case later." }
                (field_error(errors, "proposal"))
                textarea class={ "input" @if has_error(errors, "proposal") { " input--error" } } id="proposal" name="proposal" rows="8" aria-describedby="proposal-hint" { (f.proposal) }
            }
            div hidden {
                label for=(TRAP) { "Leave this field empty" }
                input id=(TRAP) name=(TRAP) type="text" tabindex="-1" autocomplete="off";
            }
            button type="submit" class="button" { "Send expression of interest" }
        }
        p { a href=(asset_path) { "Back to " (a.name) } }
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else if has_error(errors, "asset") {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, page(head(&title), &visitor.badge(), content)).into_response()
}

async fn offered_asset(state: &AppState, id: &str) -> Result<Asset, PageError> {
    load_public::<Asset>(state, id).await
}

/// `GET /assets/{id}/interest`.
pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let a = offered_asset(&state, &id).await?;
    if a.community_use != CommunityUse::OfferedForTransfer {
        return Ok(not_offered(&visitor, &a));
    }
    if let Some(d) = closed_on(&a) {
        return Ok(interest_closed(&visitor, &a, d));
    }
    let empty = Filled {
        group_name: String::new(),
        contact_name: String::new(),
        contact_email: String::new(),
        contact_phone: String::new(),
        proposal: String::new(),
    };
    Ok(form_page(&visitor, &a, &empty, &Vec::new()))
}

/// `POST /assets/{id}/interest`.
pub async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let a = offered_asset(&state, &id).await?;
    if a.community_use != CommunityUse::OfferedForTransfer {
        return Ok(not_offered(&visitor, &a));
    }
    let fields: Vec<(String, String)> = form_urlencoded::parse(&body)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let get = |k: &str| {
        fields
            .iter()
            .find(|(f, _)| f == k)
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_default()
    };
    let filled = Filled {
        group_name: get("group_name"),
        contact_name: get("contact_name"),
        contact_email: get("contact_email"),
        contact_phone: get("contact_phone"),
        proposal: get("proposal"),
    };
    let mut errors: Errors = Vec::new();
    if !get(TRAP).is_empty() {
        tracing::warn!(asset = %a.id, "an expression of interest filled the hidden trap field and was refused");
        errors.push((
            "group_name".into(),
            "Your form could not be sent: please try again".into(),
        ));
        return Ok(form_page(&visitor, &a, &filled, &errors));
    }
    // A form opened before the closing date and sent after it: said before anything else.
    if let Some(closed_on) = closed_on(&a) {
        let refusal = AppError::InterestClosed { closed_on };
        return Ok(form_page(
            &visitor,
            &a,
            &filled,
            &vec![("asset".into(), refusal.to_string())],
        ));
    }
    for (field, message) in [
        ("group_name", "Enter the name of your community group"),
        ("contact_name", "Enter your name"),
        ("contact_email", "Enter your email address"),
        ("proposal", "Say what your group would do with it"),
    ] {
        if get(field).is_empty() {
            errors.push((field.into(), message.into()));
        }
    }
    if !errors.is_empty() {
        return Ok(form_page(&visitor, &a, &filled, &errors));
    }
    let new = NewCase {
        group_name: filled.group_name.clone(),
        contact_name: filled.contact_name.clone(),
        contact_email: filled.contact_email.clone(),
        contact_phone: Some(filled.contact_phone.clone()),
        proposal: filled.proposal.clone(),
    };
    let done = match crate::transfer::express_interest(&state, a.id, new).await {
        Ok(d) => d,
        Err(AppError::Validation(FieldError { field, message })) => {
            let message = match field.as_str() {
                "contact_email" => {
                    "Enter an email address in the correct format, like name@example.com".into()
                }
                "contact_phone" => {
                    "Enter a phone number, like 01632 960 001 or +44 7700 900 982".into()
                }
                _ => message,
            };
            return Ok(form_page(&visitor, &a, &filled, &vec![(field, message)]));
        }
        Err(e @ AppError::InterestClosed { .. }) => {
            return Ok(form_page(
                &visitor,
                &a,
                &filled,
                &vec![("asset".into(), e.to_string())],
            ));
        }
        Err(AppError::Conflict { .. }) => return Ok(not_offered(&visitor, &a)),
        Err(e) => return Err(e.into()),
    };
    let content = html! {
        div class="panel panel--notice" role="status" {
            h1 class="heading-l" { "Expression of interest sent" }
            p { "Your interest in " (done.asset_name) " has been recorded." }
        }
        h2 class="heading-m" { "Your private link" }
        p { "Use this link to follow your case, see its stages and deadlines, and send documents such as your business case:" }
        p { a href=(done.link) id="private-link" { (done.link) } }
        div class="warning" {
            p { strong { "Keep this link private and save it now." } " Anyone with it can see your case. This page will not show it again." }
        }
        @if done.mailed {
            p { "We have also emailed it to " (done.case.contact_email) "." }
        } @else {
            p { "We could not email it to you, so please save it now." }
        }
        p { a href=(record_href("asset", a.id)) { "Back to " (a.name) } }
    };
    let head = Head {
        noindex: true,
        no_referrer: true,
        ..Head::titled("Expression of interest sent")
    };
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        page(head, &visitor.badge(), content),
    )
        .into_response())
}
