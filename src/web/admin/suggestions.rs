//! `/admin/suggestions` (moderators and administrators): the public's open suggestions, grouped
//! by record, each with the record's current value beside the suggested one. A moderator
//! accepts one (its value goes into the record as a normal edit, credited in the change log as
//! `user:<moderator id> (suggestion #N)`), rejects it with a reason, or forwards it to the
//! editors of the record's organisation by email (through the outbox). Every form carries the
//! session's CSRF token.

use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use chrono::Utc;
use maud::html;
use serde::Deserialize;

use super::{Section, refuse_unless_moderator, shell};
use crate::AppState;
use crate::domain::RecordKind;
use crate::domain::suggestion::{OTHER, label};
use crate::error::AppError;
use crate::mail::Mailer;
use crate::store::outbox::{Queued, queue_in};
use crate::store::suggestions::Suggestion;
use crate::store::{Actor, Store};
use crate::web::PageError;
use crate::web::account::{CsrfForm, SignedIn, csrf_field};
use crate::web::kinds::{admin_record_path, for_kind, owner_of};
use crate::web::layout::{date, error_summary, field_error};

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

type Errors = Vec<(String, String)>;

/// One record's open suggestions, with what the queue shows of the record.
struct Group {
    kind: RecordKind,
    id: uuid::Uuid,
    name: String,
    record: Option<serde_json::Value>,
    items: Vec<Suggestion>,
}

async fn record_json(
    state: &AppState,
    kind: RecordKind,
    id: uuid::Uuid,
) -> Result<Option<serde_json::Value>, PageError> {
    let record =
        for_kind!(kind, R => state.store.get::<R>(id).await?.map(|r| serde_json::to_value(&r)));
    Ok(record.transpose().map_err(anyhow::Error::from)?)
}

fn shown(value: Option<&serde_json::Value>) -> String {
    match value {
        None | Some(serde_json::Value::Null) => "(empty)".to_owned(),
        Some(serde_json::Value::String(s)) if s.is_empty() => "(empty)".to_owned(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn notice(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "accepted" => Some("The suggestion was accepted and the record changed."),
        "rejected" => Some("The suggestion was rejected."),
        "forwarded" => Some("The suggestion was emailed to the organisation's editors."),
        _ => None,
    }
}

async fn render(
    state: &AppState,
    who: &SignedIn,
    errors: &Errors,
    done: Option<&str>,
) -> Result<Response, PageError> {
    let open = state.store.open_suggestions().await?;
    let mut groups: Vec<Group> = Vec::new();
    for s in open {
        match groups.last_mut() {
            Some(g) if g.kind == s.kind && g.id == s.record_id => g.items.push(s),
            _ => {
                let record = record_json(state, s.kind, s.record_id).await?;
                let name = record
                    .as_ref()
                    .and_then(|r| r["name"].as_str())
                    .unwrap_or("(deleted record)")
                    .to_owned();
                groups.push(Group {
                    kind: s.kind,
                    id: s.record_id,
                    name,
                    record,
                    items: vec![s],
                });
            }
        }
    }
    let total: usize = groups.iter().map(|g| g.items.len()).sum();
    let content = html! {
        (error_summary(errors))
        @if let Some(n) = notice(done) {
            div class="panel panel--notice" role="status" { p { (n) } }
        }
        h1 class="heading-l" { "Suggestions" }
        @if groups.is_empty() {
            p { "There are no open suggestions." }
        } @else {
            p { (total) " open suggestion" @if total != 1 { "s" } " for " (groups.len()) " record" @if groups.len() != 1 { "s" } ", oldest first." }
        }
        @for g in &groups {
            section class="suggestion-group" {
                h2 class="heading-m" {
                    (g.name) " "
                    span class="caption" { "(" (g.kind.label()) ")" }
                }
                p {
                    @if g.record.is_some() && !matches!(g.kind, RecordKind::Location | RecordKind::TaxonomyTerm) {
                        a href={ "/" (g.kind.resource()) "/" (g.id) } { "Public page" } " · "
                    }
                    a href={ "/admin/history/" (g.kind.as_str()) "/" (g.id) } { "History" }
                }
                @for s in &g.items {
                    div class="suggestion" id={ "suggestion-" (s.id) } {
                        h3 class="heading-s" { "Suggestion #" (s.id) ", " (date(s.created_at)) }
                        dl class="summary-list" {
                            div class="summary-list__row" { dt class="summary-list__key" { "What is wrong" } dd class="summary-list__value" { (label(s.kind, &s.field)) } }
                            @if s.field != OTHER {
                                div class="summary-list__row" { dt class="summary-list__key" { "Now" } dd class="summary-list__value" { (shown(g.record.as_ref().and_then(|r| r.get(&s.field)))) } }
                            }
                            div class="summary-list__row" { dt class="summary-list__key" { "Suggested" } dd class="summary-list__value" { (shown(Some(&serde_json::Value::String(s.suggested_value.clone())))) } }
                            @if !s.message.is_empty() {
                                div class="summary-list__row" { dt class="summary-list__key" { "Explanation" } dd class="summary-list__value" { (s.message) } }
                            }
                            @if let Some(e) = &s.contact_email {
                                div class="summary-list__row" { dt class="summary-list__key" { "Contact" } dd class="summary-list__value" { a href={ "mailto:" (e) } { (e) } } }
                            }
                        }
                        @if g.record.is_some() {
                            @if s.field != OTHER {
                                form method="post" action={ "/admin/suggestions/" (s.id) "/accept" } {
                                    (csrf_field(who))
                                    button type="submit" class="button" { "Accept and change the record" }
                                }
                            }
                            form method="post" action={ "/admin/suggestions/" (s.id) "/forward" } {
                                (csrf_field(who))
                                button type="submit" class="button button--secondary" { "Forward to the organisation's editors" }
                            }
                        }
                        form method="post" action={ "/admin/suggestions/" (s.id) "/reject" } {
                            (csrf_field(who))
                            div class="form-group" {
                                label class="label" for={ "reason-" (s.id) } { "Reason for rejecting" }
                                (field_error(errors, &format!("reason-{}", s.id)))
                                textarea class="input" id={ "reason-" (s.id) } name="reason" rows="2" {}
                            }
                            button type="submit" class="button button--warning" { "Reject" }
                        }
                    }
                }
            }
        }
    };
    let (status, title) = if errors.is_empty() {
        (StatusCode::OK, "Suggestions")
    } else {
        (StatusCode::UNPROCESSABLE_ENTITY, "Error: Suggestions")
    };
    Ok(shell(who, title, Section::Suggestions, status, content))
}

pub async fn queue(
    State(state): State<AppState>,
    who: SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_moderator(&who, Section::Suggestions) {
        return Ok(r);
    }
    render(&state, &who, &Vec::new(), q.done.as_deref()).await
}

async fn load(state: &AppState, n: &str) -> Result<Suggestion, PageError> {
    let n: i64 = n
        .parse()
        .map_err(|_| AppError::NotFound("suggestion".into()))?;
    Ok(state
        .store
        .suggestion(n)
        .await?
        .ok_or_else(|| AppError::NotFound("suggestion".into()))?)
}

fn done(what: &str) -> Response {
    Redirect::to(&format!("/admin/suggestions?done={what}")).into_response()
}

/// A store error as a message beside the suggestion, or the error itself.
fn as_field_error(e: AppError, anchor: String) -> Result<Errors, PageError> {
    match e {
        AppError::Validation(f) => Ok(vec![(anchor, f.message)]),
        AppError::Conflict { message, .. } => Ok(vec![(anchor, message)]),
        other => Err(other.into()),
    }
}

pub async fn accept(
    State(state): State<AppState>,
    Path(n): Path<String>,
    form: CsrfForm,
) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_moderator(&form.who, Section::Suggestions) {
        return Ok(r);
    }
    let s = load(&state, &n).await?;
    let by = form.who.user().id;
    let actor = Actor::new(format!("user:{by} (suggestion #{})", s.id));
    let result = for_kind!(s.kind, R => state
        .store
        .accept_suggestion::<R>(&s, by, &actor, Utc::now())
        .await
        .map(|_| ()));
    if let Err(e) = result {
        let errors = as_field_error(e, format!("suggestion-{}", s.id))?;
        return render(&state, &form.who, &errors, None).await;
    }
    tracing::info!(suggestion = s.id, by = %by, "suggestion accepted");
    Ok(done("accepted"))
}

pub async fn reject(
    State(state): State<AppState>,
    Path(n): Path<String>,
    form: CsrfForm,
) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_moderator(&form.who, Section::Suggestions) {
        return Ok(r);
    }
    let s = load(&state, &n).await?;
    let reason = form.get("reason").unwrap_or_default().trim().to_owned();
    let anchor = format!("reason-{}", s.id);
    if reason.is_empty() {
        let errors = vec![(
            anchor,
            format!("Enter why suggestion #{} is rejected", s.id),
        )];
        return render(&state, &form.who, &errors, None).await;
    }
    let by = form.who.user().id;
    if let Err(e) = state
        .store
        .reject_suggestion(s.id, &reason, by, Utc::now())
        .await
    {
        let errors = as_field_error(e, anchor)?;
        return render(&state, &form.who, &errors, None).await;
    }
    tracing::info!(suggestion = s.id, by = %by, "suggestion rejected");
    Ok(done("rejected"))
}

pub async fn forward(
    State(state): State<AppState>,
    Path(n): Path<String>,
    form: CsrfForm,
) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_moderator(&form.who, Section::Suggestions) {
        return Ok(r);
    }
    let s = load(&state, &n).await?;
    let anchor = format!("suggestion-{}", s.id);
    let by = form.who.user().id;
    match forward_to_editors(&state, &s, by).await {
        Ok(()) => {}
        Err(e) => {
            let errors = as_field_error(e, anchor)?;
            return render(&state, &form.who, &errors, None).await;
        }
    }
    tracing::info!(suggestion = s.id, by = %by, "suggestion forwarded");
    deliver_now(&state.store, &state.mailer).await;
    Ok(done("forwarded"))
}

/// Queues the suggestion for each editor of the record's organisation and closes it, in one
/// transaction. The submitter's email is not passed on.
async fn forward_to_editors(
    state: &AppState,
    s: &Suggestion,
    by: uuid::Uuid,
) -> Result<(), AppError> {
    let record = record_json(state, s.kind, s.record_id)
        .await
        .map_err(|e| e.error)?
        .ok_or_else(|| AppError::NotFound("record".into()))?;
    let name = record["name"].as_str().unwrap_or_default().to_owned();
    let Some(org) = owner_of(s.kind, &record) else {
        return Err(AppError::Conflict {
            message: "this record has no organisation to forward the suggestion to".into(),
            field: None,
        });
    };
    let editors = state.store.editors_of(org).await?;
    if editors.is_empty() {
        return Err(AppError::Conflict {
            message: "the organisation has no editors to forward the suggestion to: accept or reject it here".into(),
            field: None,
        });
    }
    let site = state.config.public_url();
    let body = format!(
        "Hello,\n\n\
         Someone suggested a change to the {kind} \"{name}\" in the Junction register at {site}. A moderator has passed it to you, as your organisation keeps this record up to date.\n\n\
         What is wrong: {what}\n\
         What it should say: {value}\n\
         {message}\n\
         If it is right, update the record (sign in first):\n\n{site}{path}\n",
        kind = s.kind.label(),
        what = label(s.kind, &s.field),
        value = if s.suggested_value.is_empty() {
            "(nothing: remove it)"
        } else {
            &s.suggested_value
        },
        message = if s.message.is_empty() {
            String::new()
        } else {
            format!("Explanation: {}\n", s.message)
        },
        path = admin_record_path(s.kind, s.record_id),
    );
    let now = Utc::now();
    let txn = state.store.begin_write().await?;
    for (user, email) in &editors {
        let message = Queued {
            dedupe_key: format!("forward:suggestion:{}:{user}", s.id),
            recipient: email.clone(),
            subject: format!("Suggested change to \"{name}\""),
            body: body.clone(),
        };
        queue_in(&txn, &message, now).await?;
    }
    state
        .store
        .forward_suggestion_in(&txn, s.id, by, now)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Delivers the outbox now rather than at the next pass; a failure is logged and left for it.
async fn deliver_now(store: &Store, mailer: &Mailer) {
    let mut summary = crate::reminders::Summary::default();
    if let Err(e) = crate::reminders::deliver(store, mailer, Utc::now(), &mut summary).await {
        tracing::warn!(error = ?e, "delivering the outbox failed; the next pass tries again");
    }
}
