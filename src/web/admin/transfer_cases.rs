//! `/admin/transfer-cases` (administrators and moderators): community asset transfer cases.
//! The list flags cases whose current deadline has passed; a case's page shows the applicant's
//! contact details, the proposal, every stage with its notes, and the documents, with forms to
//! move the case on (date, officer, notes, deadline; terms when it completes), to end it as
//! withdrawn or declined with a reason, and to upload a document.

use axum::{
    extract::{Path, Query, Request, State},
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use chrono::NaiveDate;
use maud::{Markup, html};
use serde::Deserialize;
use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::{Section, shell};
use crate::AppState;
use crate::domain::FieldError;
use crate::domain::transfer::{
    CaseState, Closing, StageList, StageStep, TransferCase, TransferTerms, today,
};
use crate::error::AppError;
use crate::store::Actor;
use crate::web::PageError;
use crate::web::account::{CsrfForm, SignedIn, csrf_field};
use crate::web::layout::{error_summary, field_error, has_error};
use crate::web::results::record_href;
use crate::web::transfer::{day, documents, history, read_upload, upload_form};

type Errors = Vec<(String, String)>;

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

/// Council staff only: for anyone else, the 403 page to send instead.
fn refuse_unless_staff(who: &SignedIn) -> Option<Response> {
    if who.user().role.sees_all_records() {
        return None;
    }
    let content = html! {
        h1 class="heading-l" { "You cannot see this page" }
        p { "Only council staff (administrators and moderators) can see community asset transfer cases." }
        p { a href="/admin" { "Go to your records" } }
    };
    Some(shell(
        who,
        "You cannot see this page",
        Section::TransferCases,
        StatusCode::FORBIDDEN,
        content,
    ))
}

fn actor(who: &SignedIn) -> Actor {
    Actor::new(format!("user:{}", who.user().id))
}

fn case_href(id: Uuid) -> String {
    format!("/admin/transfer-cases/{id}")
}

/// `GET /admin/transfer-cases`.
pub async fn list(State(state): State<AppState>, who: SignedIn) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_staff(&who) {
        return Ok(r);
    }
    let stages = state.config.transfer_stages();
    let cases = state.store.transfer_cases(&stages).await?;
    let now = today();
    let overdue = cases.iter().filter(|c| c.case.is_overdue(now)).count();
    let content = html! {
        h1 class="heading-l" { "Community asset transfer cases" }
        @if cases.is_empty() {
            p { "There are no cases yet. They start when a community group expresses interest in an asset offered for transfer." }
        } @else {
            p { (cases.len()) " cases" @if overdue > 0 { ", " strong { (overdue) " overdue" } } "." }
            table class="table" {
                caption class="visually-hidden" { "Cases, open ones first" }
                thead { tr {
                    th scope="col" { "Asset" }
                    th scope="col" { "Group" }
                    th scope="col" { "Stage" }
                    th scope="col" { "Deadline" }
                    th scope="col" { "Received" }
                } }
                tbody {
                    @for l in &cases {
                        tr {
                            td { a href=(case_href(l.case.id)) { (l.asset_name) } }
                            td { (l.case.group_name) }
                            td { (l.case.stage_label) }
                            td {
                                @if let Some(d) = l.case.current_deadline() {
                                    (day(d))
                                    @if l.case.is_overdue(now) { " " strong class="tag tag--red" { "Overdue" } }
                                }
                            }
                            td { (day(l.case.created_at.date_naive())) }
                        }
                    }
                }
            }
        }
    };
    Ok(shell(
        &who,
        "Transfer cases",
        Section::TransferCases,
        StatusCode::OK,
        content,
    ))
}

async fn load(state: &AppState, id: &str) -> Result<TransferCase, PageError> {
    let id: Uuid = id
        .parse()
        .map_err(|_| AppError::NotFound("transfer case".into()))?;
    let stages = state.config.transfer_stages();
    Ok(state
        .store
        .transfer_case(id, &stages)
        .await?
        .ok_or_else(|| AppError::NotFound("transfer case".into()))?)
}

fn notice(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "advanced" => Some("The case moved on to its new stage."),
        "completed" => Some("The transfer is complete: the asset is now marked as transferred."),
        "closed" => Some("The case was closed."),
        "uploaded" => Some("The document was uploaded."),
        _ => None,
    }
}

/// What the forms show: as posted, when one is shown again with errors.
type Prev = Vec<(String, String)>;

pub(super) fn prev<'a>(p: &'a Prev, key: &str) -> &'a str {
    p.iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

pub(super) fn group(errors: &Errors, name: &str, label: &str, inner: Markup) -> Markup {
    html! {
        div class={ "form-group" @if has_error(errors, name) { " form-group--error" } } {
            label class="label" for=(name) { (label) }
            (field_error(errors, name))
            (inner)
        }
    }
}

pub(super) fn input_class(errors: &Errors, name: &str) -> &'static str {
    if has_error(errors, name) {
        "input input--error"
    } else {
        "input"
    }
}

fn advance_form(
    who: &SignedIn,
    case: &TransferCase,
    stages: &StageList,
    errors: &Errors,
    p: &Prev,
) -> Markup {
    let later = stages.after(&case.stage);
    let chosen = prev(p, "stage");
    let last = &stages.last().key;
    html! {
        @if !later.is_empty() {
            h2 class="heading-m" { "Move the case on" }
            form method="post" action={ (case_href(case.id)) "/advance" } novalidate {
                (csrf_field(who))
                (group(errors, "stage", "Next stage", html! {
                    select class=(input_class(errors, "stage")) id="stage" name="stage" {
                        @for (i, s) in later.iter().enumerate() {
                            @let selected = if chosen.is_empty() { i == 0 } else { chosen == s.key };
                            option value=(s.key) selected[selected] { (s.label) }
                        }
                    }
                }))
                (group(errors, "entered_on", "Date entered (leave empty for today)", html! {
                    input class=(input_class(errors, "entered_on")) id="entered_on" name="entered_on" type="date" value=(prev(p, "entered_on"));
                }))
                (group(errors, "officer", "Officer responsible", html! {
                    input class=(input_class(errors, "officer")) id="officer" name="officer" type="text" value=(prev(p, "officer"));
                }))
                (group(errors, "deadline", "Deadline for this stage (optional)", html! {
                    input class=(input_class(errors, "deadline")) id="deadline" name="deadline" type="date" value=(prev(p, "deadline"));
                }))
                (group(errors, "notes", "Notes", html! {
                    textarea class=(input_class(errors, "notes")) id="notes" name="notes" rows="4" { (prev(p, "notes")) }
                }))
                div class="checkboxes" {
                    div class="checkboxes__item" {
                        input class="checkboxes__input" type="checkbox" id="notes_public" name="notes_public" value="yes" checked[prev(p, "notes_public") == "yes"];
                        label class="checkboxes__label" for="notes_public" { "Show these notes to the applicant (never on public pages)" }
                    }
                }
                @if later.iter().any(|s| &s.key == last) {
                    (group(errors, "terms", "Terms, when this completes the transfer", html! {
                        select class=(input_class(errors, "terms")) id="terms" name="terms" {
                            option value="" { "Choose terms" }
                            @for t in TransferTerms::ALL {
                                option value=(t.as_str()) selected[prev(p, "terms") == t.as_str()] { (t.label()) }
                            }
                        }
                    }))
                    (group(errors, "terms_detail", "Terms in detail (e.g. 25 years)", html! {
                        input class=(input_class(errors, "terms_detail")) id="terms_detail" name="terms_detail" type="text" value=(prev(p, "terms_detail"));
                    }))
                }
                button type="submit" class="button" { "Move the case on" }
            }
        }
    }
}

fn close_form(who: &SignedIn, case: &TransferCase, errors: &Errors, p: &Prev) -> Markup {
    html! {
        h2 class="heading-m" { "Close the case" }
        form method="post" action={ (case_href(case.id)) "/close" } novalidate {
            (csrf_field(who))
            div class={ "form-group" @if has_error(errors, "outcome") { " form-group--error" } } {
                fieldset class="fieldset" id="outcome" {
                    legend class="fieldset__legend" { "Outcome" }
                    (field_error(errors, "outcome"))
                    div class="checkboxes" {
                        @for (value, label) in [("declined", "Declined by the council"), ("withdrawn", "Withdrawn by the applicant")] {
                            div class="checkboxes__item" {
                                input class="checkboxes__input" type="radio" id={ "outcome-" (value) } name="outcome" value=(value) checked[prev(p, "outcome") == value];
                                label class="checkboxes__label" for={ "outcome-" (value) } { (label) }
                            }
                        }
                    }
                }
            }
            (group(errors, "reason", "Reason (shown to the applicant, never on public pages)", html! {
                textarea class=(input_class(errors, "reason")) id="reason" name="reason" rows="4" { (prev(p, "reason")) }
            }))
            (group(errors, "close_officer", "Officer responsible", html! {
                input class=(input_class(errors, "close_officer")) id="close_officer" name="close_officer" type="text" value=(prev(p, "close_officer"));
            }))
            button type="submit" class="button button--warning" { "Close the case" }
        }
    }
}

async fn case_page(
    state: &AppState,
    who: &SignedIn,
    case: &TransferCase,
    status: StatusCode,
    errors: &Errors,
    p: &Prev,
    done: Option<&str>,
) -> Result<Response, PageError> {
    let stages = state.config.transfer_stages();
    let asset_name = state
        .store
        .name_of(crate::domain::RecordKind::Asset, case.asset_id)
        .await?
        .unwrap_or_else(|| "(asset removed)".into());
    let now = today();
    let id = case.id;
    let doc_href = move |doc: Uuid| format!("{}/documents/{doc}", case_href(id));
    let content = html! {
        (error_summary(errors))
        @if let Some(n) = notice(done) {
            div class="panel panel--notice" role="status" { p { (n) } }
        }
        span class="caption" { "Transfer case" }
        h1 class="heading-l" { (asset_name) ": " (case.group_name) }
        p { a href=(record_href("asset", case.asset_id)) { "The asset’s public page" } " · " a href="/admin/transfer-cases" { "All cases" } }
        dl class="summary-list" {
            div class="summary-list__row" { dt class="summary-list__key" { "Stage" } dd class="summary-list__value" {
                strong { (case.stage_label) } " (" (case.state.label()) ")"
                @if case.is_overdue(now) { " " strong class="tag tag--red" { "Overdue" } }
            } }
            div class="summary-list__row" { dt class="summary-list__key" { "Contact" } dd class="summary-list__value" {
                (case.contact_name) br; (case.contact_email)
                @if let Some(ph) = &case.contact_phone { br; (ph) }
            } }
            @if let Some(t) = case.terms {
                div class="summary-list__row" { dt class="summary-list__key" { "Terms" } dd class="summary-list__value" {
                    (t.label()) @if let Some(d) = &case.terms_detail { " (" (d) ")" }
                } }
            }
        }
        h2 class="heading-m" { "Proposal" }
        p { (case.proposal) }
        h2 class="heading-m" { "Stages" }
        (history(case, true, now))
        h2 class="heading-m" { "Documents" }
        (documents(case, Some(&doc_href)))
        @if case.state == CaseState::Open {
            (upload_form(&format!("{}/documents", case_href(case.id)), csrf_field(who), errors))
            (advance_form(who, case, &stages, errors, p))
            (close_form(who, case, errors, p))
        }
    };
    Ok(shell(
        who,
        &format!("Transfer case: {asset_name}"),
        Section::TransferCases,
        status,
        content,
    ))
}

/// `GET /admin/transfer-cases/{id}`.
pub async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_staff(&who) {
        return Ok(r);
    }
    let case = load(&state, &id).await?;
    case_page(
        &state,
        &who,
        &case,
        StatusCode::OK,
        &Vec::new(),
        &Vec::new(),
        q.done.as_deref(),
    )
    .await
}

pub(super) fn date_field(form: &CsrfForm, name: &str, errors: &mut Errors) -> Option<NaiveDate> {
    let raw = form.get(name).unwrap_or_default().trim();
    if raw.is_empty() {
        return None;
    }
    match NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push((name.into(), "Enter a real date, like 2027-03-31".into()));
            None
        }
    }
}

pub(super) fn text(form: &CsrfForm, name: &str) -> Option<String> {
    form.get(name)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
}

/// A store error on a form, or the error itself when it is not about a field.
fn field_errors(e: AppError, rename: &[(&str, &str)]) -> Result<Errors, PageError> {
    let name = |f: String| {
        rename
            .iter()
            .find(|(from, _)| *from == f)
            .map(|(_, to)| (*to).to_owned())
            .unwrap_or(f)
    };
    match e {
        AppError::Validation(FieldError { field, message }) => Ok(vec![(name(field), message)]),
        AppError::Conflict {
            message,
            field: Some(field),
        } => Ok(vec![(name(field), message)]),
        other => Err(other.into()),
    }
}

/// `POST /admin/transfer-cases/{id}/advance`.
pub async fn advance(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: CsrfForm,
) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_staff(&form.who) {
        return Ok(r);
    }
    let case = load(&state, &id).await?;
    let mut errors = Vec::new();
    let entered_on = date_field(&form, "entered_on", &mut errors);
    let deadline = date_field(&form, "deadline", &mut errors);
    let terms = match text(&form, "terms") {
        None => None,
        Some(t) => match TransferTerms::parse(&t) {
            Some(t) => Some(t),
            None => {
                errors.push(("terms".into(), "Choose the terms from the list".into()));
                None
            }
        },
    };
    if errors.is_empty() {
        let step = StageStep {
            stage: text(&form, "stage"),
            entered_on,
            officer: text(&form, "officer"),
            notes: text(&form, "notes"),
            notes_public: form.get("notes_public") == Some("yes"),
            deadline,
            terms,
            terms_detail: text(&form, "terms_detail"),
        };
        let stages = state.config.transfer_stages();
        match state
            .store
            .advance_transfer_case(case.id, step, &stages, &actor(&form.who))
            .await
        {
            Ok(updated) => {
                let done = if updated.state == CaseState::Completed {
                    "completed"
                } else {
                    "advanced"
                };
                tracing::info!(case = %case.id, by = %form.who.user().id, stage = %updated.stage, "transfer case moved on");
                return Ok(
                    Redirect::to(&format!("{}?done={done}", case_href(case.id))).into_response()
                );
            }
            Err(e) => errors = field_errors(e, &[])?,
        }
    }
    case_page(
        &state,
        &form.who,
        &case,
        StatusCode::UNPROCESSABLE_ENTITY,
        &errors,
        &form.fields,
        None,
    )
    .await
}

/// `POST /admin/transfer-cases/{id}/close`.
pub async fn close(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: CsrfForm,
) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_staff(&form.who) {
        return Ok(r);
    }
    let case = load(&state, &id).await?;
    let mut errors = Vec::new();
    let outcome = match form.get("outcome") {
        Some("declined") => Some(CaseState::Declined),
        Some("withdrawn") => Some(CaseState::Withdrawn),
        _ => {
            errors.push(("outcome".into(), "Choose declined or withdrawn".into()));
            None
        }
    };
    let reason = text(&form, "reason");
    if reason.is_none() {
        errors.push(("reason".into(), "Give the reason".into()));
    }
    if let (Some(outcome), Some(reason), true) = (outcome, reason, errors.is_empty()) {
        let closing = Closing {
            outcome,
            reason,
            entered_on: None,
            officer: text(&form, "close_officer"),
        };
        let stages = state.config.transfer_stages();
        match state
            .store
            .close_transfer_case(case.id, closing, &stages, &actor(&form.who))
            .await
        {
            Ok(_) => {
                tracing::info!(case = %case.id, by = %form.who.user().id, "transfer case closed");
                return Ok(
                    Redirect::to(&format!("{}?done=closed", case_href(case.id))).into_response()
                );
            }
            Err(e) => errors = field_errors(e, &[("officer", "close_officer")])?,
        }
    }
    case_page(
        &state,
        &form.who,
        &case,
        StatusCode::UNPROCESSABLE_ENTITY,
        &errors,
        &form.fields,
        None,
    )
    .await
}

/// `POST /admin/transfer-cases/{id}/documents`: a multipart form, its CSRF token checked here
/// (the `CsrfForm` extractor reads only URL-encoded forms).
pub async fn upload(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_staff(&who) {
        return Ok(r);
    }
    let case = load(&state, &id).await?;
    let (parts, body) = request.into_parts();
    let result = read_upload(&parts.headers, body).await;
    let sent = match &result {
        Ok(u) => u.parts.text("csrf_token"),
        Err(r) => r.parts.text("csrf_token"),
    }
    .unwrap_or_default();
    let expected = who.0.csrf_token.as_bytes();
    // A body too large or unreadable has no token to check; it is refused without a write.
    let token_ok = !sent.is_empty() && bool::from(sent.as_bytes().ct_eq(expected));
    let upload = match result {
        Ok(u) if token_ok => u,
        Ok(_) => {
            tracing::warn!(user = %who.user().id, "an upload without a valid CSRF token was refused");
            return Ok(StatusCode::FORBIDDEN.into_response());
        }
        Err(refused) => {
            let errors = vec![("document".to_owned(), refused.message)];
            return case_page(
                &state,
                &who,
                &case,
                refused.status,
                &errors,
                &Vec::new(),
                None,
            )
            .await;
        }
    };
    if case.state != CaseState::Open {
        let errors = vec![(
            "document".to_owned(),
            "This case is closed: it takes no more documents".to_owned(),
        )];
        return case_page(
            &state,
            &who,
            &case,
            StatusCode::CONFLICT,
            &errors,
            &Vec::new(),
            None,
        )
        .await;
    }
    state
        .store
        .add_transfer_document(
            case.id,
            &upload.accepted,
            &upload.data,
            &format!("user:{}", who.user().id),
            &state.config.transfer_documents_dir(),
        )
        .await?;
    Ok(Redirect::to(&format!("{}?done=uploaded", case_href(case.id))).into_response())
}

/// `GET /admin/transfer-cases/{id}/documents/{doc}`: the file, as an attachment.
pub async fn download(
    State(state): State<AppState>,
    who: SignedIn,
    Path((id, doc)): Path<(String, String)>,
) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_staff(&who) {
        return Ok(r);
    }
    let not_found = || PageError::from(AppError::NotFound("document".into()));
    let case: Uuid = id.parse().map_err(|_| not_found())?;
    let doc: Uuid = doc.parse().map_err(|_| not_found())?;
    let stored = state
        .store
        .transfer_document(case, doc, &state.config.transfer_documents_dir())
        .await?
        .ok_or_else(not_found)?;
    let bytes = tokio::fs::read(&stored.path)
        .await
        .map_err(|e| AppError::Internal(anyhow::anyhow!("reading a stored document: {e}")))?;
    let encoded: String =
        form_urlencoded::byte_serialize(stored.info.file_name.as_bytes()).collect();
    let disposition = format!(
        "attachment; filename*=UTF-8''{}",
        encoded.replace('+', "%20")
    );
    Ok((
        [
            (header::CONTENT_TYPE, stored.info.content_type.clone()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
