//! `/admin/erasure`: erasure requests (UK GDPR art. 17), for administrators. Find what the
//! register holds about a person (by email, phone or name), check the list, give the council's
//! reference, and erase it all in one go ([`crate::store::erasure`]); the page lists the
//! erasures carried out, with their reference and how many values each removed, never whose.

use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use maud::{Markup, html};
use serde::Deserialize;
use uuid::Uuid;

use super::{Section, refuse_unless_admin, shell};
use crate::AppState;
use crate::domain::erasure::Subject;
use crate::error::AppError;
use crate::store::erasure::{Finding, check_reference};
use crate::web::PageError;
use crate::web::account::{CsrfForm, SignedIn, csrf_field};
use crate::web::layout::{error_summary, field_error, has_error};

type Errors = [(String, String)];

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<Uuid>,
}

/// The identifiers as typed, shown back in the forms.
#[derive(Debug, Default)]
struct Typed {
    email: String,
    phone: String,
    name: String,
    reference: String,
}

impl Typed {
    fn from_form(form: &CsrfForm) -> Typed {
        let get = |k: &str| form.get(k).unwrap_or_default().trim().to_owned();
        Typed {
            email: get("email"),
            phone: get("phone"),
            name: get("name"),
            reference: get("reference"),
        }
    }

    fn subject(&self) -> Result<Subject, (String, String)> {
        let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
        Subject::new(some(&self.email), some(&self.phone), some(&self.name))
            .map_err(|e| (e.field, e.message))
    }
}

fn input_class(errors: &Errors, name: &str) -> &'static str {
    if has_error(errors, name) {
        "input input--error"
    } else {
        "input"
    }
}

fn person_fields(typed: &Typed, errors: &Errors) -> Markup {
    html! {
        @for (name, label, hint, kind, value) in [
            ("email", "Email address", "Matched whatever its case.", "email", &typed.email),
            ("phone", "Phone number", "Matched by its digits: spaces and +44 do not matter.", "tel", &typed.phone),
            ("name", "Full name", "Matched as whole words. A name alone may be someone else's too: check the list before erasing.", "text", &typed.name),
        ] {
            div class={ "form-group" @if has_error(errors, name) { " form-group--error" } } {
                label class="label" for=(name) { (label) }
                div class="hint" id={ (name) "-hint" } { (hint) }
                (field_error(errors, name))
                input class=(input_class(errors, name)) id=(name) name=(name) type=(kind) spellcheck="false" autocomplete="off" aria-describedby={ (name) "-hint" } value=(value);
            }
        }
    }
}

/// The start page: the search form and the erasures carried out.
pub async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_admin(&who) {
        return Ok(r);
    }
    start_page(&state, &who, &Typed::default(), &[], q.done, StatusCode::OK).await
}

async fn start_page(
    state: &AppState,
    who: &SignedIn,
    typed: &Typed,
    errors: &Errors,
    done: Option<Uuid>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let erasures = state.store.erasures().await?;
    let done = done.and_then(|id| erasures.iter().find(|e| e.id == id));
    let content = html! {
        @if let Some(e) = done {
            div class="panel panel--notice" role="status" {
                p { "Erasure " strong { (e.reference) } " is done: " (e.redacted) " value(s) removed." }
            }
        }
        (error_summary(errors))
        h1 class="heading-l" { "Erasure requests" }
        p { "When someone asks for their personal data to be erased, find everything the register holds about them: contact persons on services and spaces and every earlier version of those records, suggestions they sent, transfer cases and Asset of Community Value nominations they are named in, their staff account and emails to them." }
        p { "You will see the list before anything is changed. Published details of a service itself (its own phone number or email address) are not personal data and are not touched." }
        form method="post" action="/admin/erasure/find" novalidate {
            (csrf_field(who))
            (person_fields(typed, errors))
            button type="submit" class="button" { "Find their data" }
        }
        h2 class="heading-m" { "Erasures carried out" }
        @if erasures.is_empty() {
            p { "None yet." }
        } @else {
            table class="table" {
                caption class="visually-hidden" { "Erasures carried out" }
                thead { tr {
                    th scope="col" { "Reference" }
                    th scope="col" { "When" }
                    th scope="col" { "By" }
                    th scope="col" { "Values removed" }
                } }
                tbody {
                    @for e in &erasures {
                        tr {
                            td { (e.reference) }
                            td { (e.performed_at.format("%-d %B %Y %H:%M")) }
                            td { (performed_by(state, &e.performed_by).await) }
                            td { (e.redacted) }
                        }
                    }
                }
            }
        }
    };
    Ok(shell(
        who,
        "Erasure requests",
        Section::Erasure,
        status,
        content,
    ))
}

/// "user:<id>" as that user's email address (the CLI as "command line").
async fn performed_by(state: &AppState, actor: &str) -> String {
    let Some(id) = actor.strip_prefix("user:").and_then(|s| s.parse().ok()) else {
        return "command line".to_owned();
    };
    match state.store.user(id).await {
        Ok(Some(u)) => u.email,
        _ => "a removed account".to_owned(),
    }
}

/// `POST /admin/erasure/find`: what would be erased, and the form to erase it.
pub async fn find(State(state): State<AppState>, form: CsrfForm) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_admin(&form.who) {
        return Ok(r);
    }
    let typed = Typed::from_form(&form);
    match typed.subject() {
        Err(e) => {
            start_page(
                &state,
                &form.who,
                &typed,
                &[e],
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Ok(subject) => {
            let found = state.store.find_personal_data(&subject).await?;
            Ok(found_page(&form.who, &typed, &found, &[], StatusCode::OK))
        }
    }
}

fn found_page(
    who: &SignedIn,
    typed: &Typed,
    found: &[Finding],
    errors: &Errors,
    status: StatusCode,
) -> Response {
    let content = html! {
        (error_summary(errors))
        h1 class="heading-l" { "What the register holds about them" }
        p {
            "Searched for "
            @for (i, (label, v)) in [("email", &typed.email), ("phone", &typed.phone), ("name", &typed.name)].into_iter().filter(|(_, v)| !v.is_empty()).enumerate() {
                @if i > 0 { ", " }
                (label) " " strong { (v) }
            }
            "."
        }
        @if found.is_empty() {
            p { "Nothing was found. Mail files of the development mail folder are checked when you erase." }
            p { a href="/admin/erasure" { "Search again" } }
        } @else {
            table class="table" {
                caption class="visually-hidden" { "Personal data found" }
                thead { tr { th scope="col" { "What" } th scope="col" { "Field" } } }
                tbody {
                    @for f in found {
                        tr { td { (f.what) } td { code { (f.field) } } }
                    }
                }
            }
            form method="post" action="/admin/erasure" novalidate {
                (csrf_field(who))
                input type="hidden" name="email" value=(typed.email);
                input type="hidden" name="phone" value=(typed.phone);
                input type="hidden" name="name" value=(typed.name);
                div class={ "form-group" @if has_error(errors, "reference") { " form-group--error" } } {
                    label class="label" for="reference" { "Your reference for this request" }
                    div class="hint" id="reference-hint" { "Kept with the record of the erasure, for example DSAR-2026-014. Not the person's name or email address." }
                    (field_error(errors, "reference"))
                    input class=(input_class(errors, "reference")) id="reference" name="reference" type="text" autocomplete="off" aria-describedby="reference-hint" value=(typed.reference);
                }
                p { strong { "This cannot be undone. " (found.len()) " value(s) will be removed for good, earlier versions of records included." } }
                button type="submit" class="button button--warning" { "Erase " (found.len()) " value(s)" }
            }
            p { a href="/admin/erasure" { "Cancel" } }
        }
    };
    shell(
        who,
        "What the register holds about them",
        Section::Erasure,
        status,
        content,
    )
}

/// `POST /admin/erasure`: erase, then back to the start page with the result.
pub async fn erase(State(state): State<AppState>, form: CsrfForm) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_admin(&form.who) {
        return Ok(r);
    }
    let typed = Typed::from_form(&form);
    let subject = match typed.subject() {
        Ok(s) => s,
        Err(e) => {
            return start_page(
                &state,
                &form.who,
                &typed,
                &[e],
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    if let Err(e) = check_reference(&typed.reference) {
        let found = state.store.find_personal_data(&subject).await?;
        return Ok(found_page(
            &form.who,
            &typed,
            &found,
            &[(e.field, e.message)],
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    let actor = format!("user:{}", form.who.user().id);
    let (erasure, found) = state
        .store
        .erase(&subject, &typed.reference, &actor)
        .await?;
    let files = state
        .mailer
        .forget(&subject)
        .map_err(|e| AppError::from(anyhow::anyhow!("deleting mail files: {e}")))?;
    // Never the person's identifiers: only the reference and counts.
    tracing::info!(
        erasure = %erasure.id,
        reference = %erasure.reference,
        redacted = found.len(),
        mail_files = files,
        user = %form.who.user().id,
        "erasure carried out"
    );
    Ok(Redirect::to(&format!("/admin/erasure?done={}", erasure.id)).into_response())
}
