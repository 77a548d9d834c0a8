//! The staff forms on an Asset of Community Value's page: the decision, an owner's notice of intended disposal, a group's request to be
//! treated as a bidder and a removal. Each posts with the session's CSRF token, writes through
//! the same `Store::acv_*` function as the API, and on a refusal shows the page again with an
//! error summary and the message at the field (the rules' field names are mapped to the form's,
//! which are unique on the page).

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use chrono::NaiveDate;
use maud::{Markup, html};
use uuid::Uuid;

use super::super::transfer_cases::{date_field, group, input_class, prev, text};
use super::super::{Section, refuse_unless_moderator};
use super::{Errors, Prev, entry_href, entry_page, load};
use crate::AppState;
use crate::domain::FieldError;
use crate::domain::acv::{
    AcvEntry, BidderRequestInput, Decision, DecisionInput, NoticeInput, RemovalInput,
    RemovalReason, Stage,
};
use crate::error::AppError;
use crate::store::Actor;
use crate::store::acv::{AcvRecord, today};
use crate::web::PageError;
use crate::web::account::{CsrfForm, SignedIn, csrf_field};
use crate::web::layout::{field_error, has_error};

pub(super) fn actor(who: &SignedIn) -> Actor {
    Actor::new(format!("user:{}", who.user().id))
}

/// A required date: an error when it is missing or not a real day.
pub(super) fn required_date(
    form: &CsrfForm,
    name: &str,
    missing: &str,
    errors: &mut Errors,
) -> Option<NaiveDate> {
    if text(form, name).is_none() {
        errors.push((name.into(), missing.into()));
        return None;
    }
    date_field(form, name, errors)
}

/// A store refusal as the form's errors and status (422 invalid, 409 not allowed now), with
/// the rules' field names mapped to the form's; `fallback` takes an error without a field.
pub(super) fn refusal(
    e: AppError,
    rename: &[(&str, &str)],
    fallback: &str,
) -> Result<(StatusCode, Errors), PageError> {
    let name = |f: &str| {
        rename
            .iter()
            .find(|(from, _)| *from == f)
            .map_or(f, |(_, to)| *to)
            .to_owned()
    };
    match e {
        AppError::Validation(FieldError { field, message }) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            vec![(name(&field), message)],
        )),
        AppError::Conflict { message, field } => Ok((
            StatusCode::CONFLICT,
            vec![(field.as_deref().map_or(fallback.to_owned(), name), message)],
        )),
        other => Err(other.into()),
    }
}

/// After a write to an entry: to its page with a notice, or its page again with the errors.
fn finish(
    form: &CsrfForm,
    before: &AcvRecord,
    result: Result<AcvRecord, AppError>,
    (rename, fallback): (&[(&str, &str)], &str),
    done: &str,
) -> Result<Response, PageError> {
    match result {
        Ok(r) => {
            tracing::info!(entry = %r.entry.id, by = %form.who.user().id, done, "ACV entry changed");
            Ok(Redirect::to(&format!("{}?done={done}", entry_href(r.entry.id))).into_response())
        }
        Err(e) => {
            let (status, errors) = refusal(e, rename, fallback)?;
            Ok(entry_page(
                &form.who,
                before,
                status,
                &errors,
                &form.fields,
                None,
            ))
        }
    }
}

fn invalid(form: &CsrfForm, before: &AcvRecord, errors: &Errors) -> Response {
    entry_page(
        &form.who,
        before,
        StatusCode::UNPROCESSABLE_ENTITY,
        errors,
        &form.fields,
        None,
    )
}

fn radios(errors: &Errors, p: &Prev, name: &str, legend: &str, options: &[(&str, &str)]) -> Markup {
    html! {
        div class={ "form-group" @if has_error(errors, name) { " form-group--error" } } {
            fieldset class="fieldset" id=(name) {
                legend class="fieldset__legend" { (legend) }
                (field_error(errors, name))
                div class="checkboxes" {
                    @for (value, label) in options {
                        div class="checkboxes__item" {
                            input class="checkboxes__input" type="radio" id={ (name) "-" (value) } name=(name) value=(value) checked[prev(p, name) == *value];
                            label class="checkboxes__label" for={ (name) "-" (value) } { (label) }
                        }
                    }
                }
            }
        }
    }
}

pub(super) fn input(errors: &Errors, p: &Prev, name: &str, label: &str, kind: &str) -> Markup {
    group(
        errors,
        name,
        label,
        html! { input class=(input_class(errors, name)) id=(name) name=(name) type=(kind) value=(prev(p, name)); },
    )
}

pub(super) fn textarea(errors: &Errors, p: &Prev, name: &str, label: &str) -> Markup {
    group(
        errors,
        name,
        label,
        html! { textarea class=(input_class(errors, name)) id=(name) name=(name) rows="4" { (prev(p, name)) } },
    )
}

/// The forms an entry's page offers, for what can happen to it next.
pub(super) fn for_entry(
    who: &SignedIn,
    e: &AcvEntry,
    now: NaiveDate,
    errors: &Errors,
    p: &Prev,
) -> Markup {
    let href = entry_href(e.id);
    let listed = e.stage(now) == Stage::Listed;
    let open_episode = e
        .current_disposal()
        .filter(|d| d.bidder_request.is_none() && listed);
    let reasons: Vec<(&str, &str)> = RemovalReason::ALL
        .iter()
        .map(|r| (r.as_str(), r.label()))
        .collect();
    html! {
        @if e.decision.is_none() {
            h2 class="heading-m" { "Record the decision" }
            form method="post" action={ (href) "/decision" } novalidate {
                (csrf_field(who))
                (radios(errors, p, "decision", "Decision", &[("listed", "Listed as an asset of community value"), ("unsuccessful", "Unsuccessful")]))
                (input(errors, p, "decided", "Date of the decision (for a listing, the date of entry on the list)", "date"))
                (textarea(errors, p, "decision_reason", "Reason (required when unsuccessful; public)"))
                button type="submit" class="button" { "Record the decision" }
            }
        }
        @if listed {
            h2 class="heading-m" { "Record an owner’s notice of intended disposal" }
            p { "The notice starts a 6-week interim moratorium and an 18-month protected period." }
            form method="post" action={ (href) "/disposals" } novalidate {
                (csrf_field(who))
                (input(errors, p, "notice_received", "Date the notice was received", "date"))
                button type="submit" class="button" { "Record the notice" }
            }
        }
        @if let Some(d) = open_episode {
            h2 class="heading-m" { "Record a request to be treated as a bidder" }
            p { "A community interest group’s written request received within the interim moratorium extends it to the full 6-month moratorium." }
            form method="post" action={ (href) "/bidder-request" } novalidate {
                (csrf_field(who))
                input type="hidden" name="disposal_id" value=(d.id);
                (input(errors, p, "bidder_group", "Name of the community interest group (public)", "text"))
                (input(errors, p, "bidder_received", "Date the request was received", "date"))
                button type="submit" class="button" { "Record the request" }
            }
        }
        @if e.decision.is_some() && e.removed.is_none() {
            h2 class="heading-m" { "Record a removal" }
            form method="post" action={ (href) "/removal" } novalidate {
                (csrf_field(who))
                (radios(errors, p, "removal_reason", "Why it leaves its list", &reasons))
                (input(errors, p, "removed", "Date it left the list", "date"))
                (textarea(errors, p, "removal_note", "Note (optional; public)"))
                button type="submit" class="button button--warning" { "Record the removal" }
            }
        }
    }
}

/// `POST /admin/acv/{id}/decision`.
pub async fn decide(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: CsrfForm,
) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_moderator(&form.who, Section::Acv) {
        return Ok(r);
    }
    let before = load(&state, &id).await?;
    let mut errors = Vec::new();
    let decision = form.get("decision").and_then(Decision::parse);
    if decision.is_none() {
        errors.push(("decision".into(), "Choose listed or unsuccessful".into()));
    }
    let decided = required_date(
        &form,
        "decided",
        "Enter the date of the decision",
        &mut errors,
    );
    let (Some(decision), Some(decided), true) = (decision, decided, errors.is_empty()) else {
        return Ok(invalid(&form, &before, &errors));
    };
    let input = DecisionInput {
        decision,
        decided,
        reason: text(&form, "decision_reason"),
    };
    let result = state
        .store
        .acv_decide(before.entry.id, input, &actor(&form.who), today())
        .await;
    finish(
        &form,
        &before,
        result,
        (&[("reason", "decision_reason")], "decision"),
        "decided",
    )
}

/// `POST /admin/acv/{id}/disposals`.
pub async fn notify_disposal(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: CsrfForm,
) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_moderator(&form.who, Section::Acv) {
        return Ok(r);
    }
    let before = load(&state, &id).await?;
    let mut errors = Vec::new();
    let Some(received) = required_date(
        &form,
        "notice_received",
        "Enter the date the notice was received",
        &mut errors,
    ) else {
        return Ok(invalid(&form, &before, &errors));
    };
    if !errors.is_empty() {
        return Ok(invalid(&form, &before, &errors));
    }
    let result = state
        .store
        .acv_notify_disposal(
            before.entry.id,
            NoticeInput { received },
            &actor(&form.who),
            today(),
        )
        .await;
    finish(
        &form,
        &before,
        result,
        (
            &[
                ("received", "notice_received"),
                ("decision", "notice_received"),
                ("removed", "notice_received"),
            ],
            "notice_received",
        ),
        "notice",
    )
}

/// `POST /admin/acv/{id}/bidder-request`.
pub async fn request_to_bid(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: CsrfForm,
) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_moderator(&form.who, Section::Acv) {
        return Ok(r);
    }
    let before = load(&state, &id).await?;
    let mut errors = Vec::new();
    let group = text(&form, "bidder_group");
    if group.is_none() {
        errors.push((
            "bidder_group".into(),
            "Enter the name of the community interest group".into(),
        ));
    }
    let received = required_date(
        &form,
        "bidder_received",
        "Enter the date the request was received",
        &mut errors,
    );
    let disposal_id = form.get("disposal_id").and_then(|d| d.parse::<Uuid>().ok());
    let (Some(group), Some(received), Some(disposal_id), true) =
        (group, received, disposal_id, errors.is_empty())
    else {
        if errors.is_empty() {
            errors.push((
                "bidder_group".into(),
                "The form did not say which notice the request is about: reload the page and try again".into(),
            ));
        }
        return Ok(invalid(&form, &before, &errors));
    };
    let result = state
        .store
        .acv_request_to_bid(
            before.entry.id,
            disposal_id,
            BidderRequestInput { received, group },
            &actor(&form.who),
            today(),
        )
        .await;
    finish(
        &form,
        &before,
        result,
        (
            &[
                ("received", "bidder_received"),
                ("group", "bidder_group"),
                ("disposal_id", "bidder_group"),
            ],
            "bidder_group",
        ),
        "bidder",
    )
}

/// `POST /admin/acv/{id}/removal`.
pub async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: CsrfForm,
) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_moderator(&form.who, Section::Acv) {
        return Ok(r);
    }
    let before = load(&state, &id).await?;
    let mut errors = Vec::new();
    let reason = form.get("removal_reason").and_then(RemovalReason::parse);
    if reason.is_none() {
        errors.push((
            "removal_reason".into(),
            "Choose why it leaves its list".into(),
        ));
    }
    let removed = required_date(
        &form,
        "removed",
        "Enter the date it left the list",
        &mut errors,
    );
    let (Some(reason), Some(removed), true) = (reason, removed, errors.is_empty()) else {
        return Ok(invalid(&form, &before, &errors));
    };
    let input = RemovalInput {
        reason,
        removed,
        note: text(&form, "removal_note"),
    };
    let result = state
        .store
        .acv_remove(before.entry.id, input, &actor(&form.who), today())
        .await;
    finish(
        &form,
        &before,
        result,
        (
            &[
                ("reason", "removal_reason"),
                ("note", "removal_note"),
                ("decision", "removal_reason"),
            ],
            "removal_reason",
        ),
        "removed",
    )
}
