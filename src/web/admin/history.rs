//! `/admin/history/{kind}/{id}`: a record's change log, newest first — who, when, and field by
//! field what changed from the version before. Moderators and administrators see every
//! record's history and can restore any earlier version (a new change with that version's
//! content, made through the store's update like any edit); editors see their organisations'.

use std::collections::{BTreeSet, HashMap};

use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use super::{Section, shell};
use crate::AppState;
use crate::domain::RecordKind;
use crate::error::AppError;
use crate::store::{Actor, Change};
use crate::web::PageError;
use crate::web::account::{CsrfForm, SignedIn, csrf_field};
use crate::web::kinds::{for_kind, owner_of};
use crate::web::layout::error_summary;

/// Bookkeeping that changes with every write and says nothing a person would look for.
const SKIPPED: [&str; 4] = ["id", "version", "created_at", "updated_at"];

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

/// One field that differs between two versions: (field, before, after).
pub type FieldChange = (String, Option<Value>, Option<Value>);

/// The fields that differ between `before` and `after` (both record JSON), in name order.
pub fn diff(before: Option<&Value>, after: Option<&Value>) -> Vec<FieldChange> {
    let empty = serde_json::Map::new();
    let b = before.and_then(Value::as_object).unwrap_or(&empty);
    let a = after.and_then(Value::as_object).unwrap_or(&empty);
    let keys: BTreeSet<&String> = b.keys().chain(a.keys()).collect();
    keys.into_iter()
        .filter(|k| !SKIPPED.contains(&k.as_str()))
        .filter_map(|k| {
            let (x, y) = (
                b.get(k).filter(|v| !v.is_null()),
                a.get(k).filter(|v| !v.is_null()),
            );
            (x != y).then(|| (k.clone(), x.cloned(), y.cloned()))
        })
        .collect()
}

fn shown(v: &Option<Value>) -> String {
    match v {
        None => "(empty)".to_owned(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn parse(kind: &str, id: &str) -> Result<(RecordKind, Uuid), PageError> {
    let not_found = || PageError::from(AppError::NotFound("history".into()));
    Ok((
        RecordKind::parse(kind).ok_or_else(not_found)?,
        id.parse().map_err(|_| not_found())?,
    ))
}

fn refused(who: &SignedIn) -> Response {
    let content = html! {
        h1 class="heading-l" { "You cannot see this page" }
        p { "You can see the history of your organisations' records only." }
        p { a href="/admin" { "Go to your records" } }
    };
    shell(
        who,
        "You cannot see this page",
        Section::History,
        StatusCode::FORBIDDEN,
        content,
    )
}

/// "Ada (ada@example.org)" for `user:<id> …` actors; other actors (tokens, imports, syncs)
/// as written.
async fn who_did(state: &AppState, actors: &[&str]) -> Result<HashMap<String, String>, PageError> {
    let mut names = HashMap::new();
    for actor in actors {
        if names.contains_key(*actor) {
            continue;
        }
        let shown = match actor.strip_prefix("user:") {
            Some(rest) => {
                let (id, note) = rest.split_once(' ').unwrap_or((rest, ""));
                match id.parse::<Uuid>().ok() {
                    Some(uid) => match state.store.user(uid).await? {
                        Some(u) => format!("{} {note}", u.email).trim().to_owned(),
                        None => (*actor).to_owned(),
                    },
                    None => (*actor).to_owned(),
                }
            }
            None => match actor.strip_prefix("erasure:") {
                Some(reference) => format!("the erasure request {reference}"),
                None => (*actor).to_owned(),
            },
        };
        names.insert((*actor).to_owned(), shown);
    }
    Ok(names)
}

fn op_words(op: &str) -> &'static str {
    match op {
        "create" => "Created",
        "update" => "Changed",
        "delete" => "Deleted",
        "verify" => "Checked: still correct",
        _ => "Changed",
    }
}

async fn render(
    state: &AppState,
    who: &SignedIn,
    kind: RecordKind,
    id: Uuid,
    errors: &[(String, String)],
    done: Option<&str>,
) -> Result<Response, PageError> {
    let changes: Vec<Change> = state.store.history(kind, id).await?;
    let Some(latest) = changes.iter().find_map(|c| c.record.as_ref()) else {
        return Err(AppError::NotFound("history".into()).into());
    };
    if !who.user().may_edit(owner_of(kind, latest)) {
        return Ok(refused(who));
    }
    let current =
        for_kind!(kind, R => state.store.get::<R>(id).await?.map(|r| serde_json::to_value(&r)))
            .transpose()
            .map_err(anyhow::Error::from)?;
    let version = current.as_ref().and_then(|c| c["version"].as_i64());
    let name = latest["name"].as_str().unwrap_or_default().to_owned();
    let actors: Vec<&str> = changes.iter().map(|c| c.actor.as_str()).collect();
    let names = who_did(state, &actors).await?;
    // A deleted record can be restored too: it comes back, with its id, as a new record.
    let may_restore = who.user().role.sees_all_records();
    let seqs: Vec<i64> = changes.iter().map(|c| c.seq).collect();
    let redactions = state.store.change_redactions(&seqs).await?;
    let rows: Vec<Markup> = changes
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let before = changes[i + 1..].iter().find_map(|p| p.record.as_ref());
            let fields = if c.op == "delete" { Vec::new() } else { diff(before, c.record.as_ref()) };
            let at = c.at.with_timezone(&chrono_tz::Europe::London).format("%H:%M on %-d %B %Y");
            html! {
                li class="history__item" id={ "change-" (c.seq) } {
                    h2 class="heading-s" { (op_words(&c.op)) ", " (at) }
                    p { "By " (names.get(&c.actor).map(String::as_str).unwrap_or(&c.actor)) " · change #" (c.seq) }
                    @for r in redactions.get(&c.seq).into_iter().flatten() {
                        p class="history__redacted" {
                            "Personal data removed from " code { (r.field) } " in this version on "
                            (r.at.with_timezone(&chrono_tz::Europe::London).format("%-d %B %Y"))
                            " (erasure request " (r.reference) ")."
                        }
                    }
                    @if !fields.is_empty() && c.op != "create" {
                        table class="table" {
                            caption class="visually-hidden" { "What changed in change #" (c.seq) }
                            thead { tr { th scope="col" { "Field" } th scope="col" { "Before" } th scope="col" { "After" } } }
                            tbody {
                                @for (f, b, a) in &fields {
                                    tr { td { (f) } td { (shown(b)) } td { (shown(a)) } }
                                }
                            }
                        }
                    }
                    @if may_restore && i > 0 && c.record.is_some() && c.op != "verify" {
                        form method="post" action={ "/admin/history/" (kind.as_str()) "/" (id) "/restore" } {
                            (csrf_field(who))
                            input type="hidden" name="seq" value=(c.seq);
                            @match version {
                                Some(v) => input type="hidden" name="version" value=(v);,
                                None => input type="hidden" name="version" value="deleted";,
                            }
                            button type="submit" class="button button--secondary button--small" {
                                @if version.is_some() { "Restore this version" } @else { "Bring the record back as this version" }
                            }
                        }
                    }
                }
            }
        })
        .collect();
    let content = html! {
        (error_summary(errors))
        @if done == Some("restored") {
            div class="panel panel--notice" role="status" { p { "The earlier version was restored as a new change." } }
        }
        span class="caption" { (kind.label()) }
        h1 class="heading-l" id="history" { "History of " (name) }
        @if current.is_none() { p { strong { "This record has been deleted." } } }
        ol class="history" { @for r in &rows { (r) } }
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(shell(
        who,
        &format!("History of {name}"),
        Section::History,
        status,
        content,
    ))
}

pub async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path((kind, id)): Path<(String, String)>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let (kind, id) = parse(&kind, &id)?;
    render(&state, &who, kind, id, &[], q.done.as_deref()).await
}

pub async fn restore(
    State(state): State<AppState>,
    Path((kind, id)): Path<(String, String)>,
    form: CsrfForm,
) -> Result<Response, PageError> {
    let (kind, id) = parse(&kind, &id)?;
    if !form.who.user().role.sees_all_records() {
        return Ok(refused(&form.who));
    }
    let seq: Option<i64> = form.get("seq").and_then(|s| s.parse().ok());
    // A version number, or `deleted` to bring a deleted record back.
    let version: Option<Option<i32>> = match form.get("version") {
        Some("deleted") => Some(None),
        other => other.and_then(|s| s.parse().ok()).map(Some),
    };
    let (Some(seq), Some(version)) = (seq, version) else {
        return Err(AppError::bad_request(
            "invalid_form",
            "the form is missing the version to restore",
            None,
        )
        .into());
    };
    let changes = state.store.history(kind, id).await?;
    let Some(old) = changes
        .iter()
        .find(|c| c.seq == seq)
        .and_then(|c| c.record.clone())
    else {
        return Err(AppError::NotFound("change".into()).into());
    };
    let actor = Actor::new(format!(
        "user:{} (restored change #{seq})",
        form.who.user().id
    ));
    let scope = super::records::scope_of(&form.who);
    let result = for_kind!(kind, R => {
        match (serde_json::from_value::<R>(old), version) {
            (Ok(record), Some(version)) => state.store.update_as::<R>(id, version, record, &scope, &actor).await.map(|_| ()),
            (Ok(record), None) => match state.store.get::<R>(id).await {
                // Brought back meanwhile: restoring over it needs its version.
                Ok(Some(_)) => Err(AppError::VersionMismatch { sent: 0, current: 1 }),
                Ok(None) => match scope.check(kind, &[crate::domain::scope::owner_in(kind, &serde_json::to_value(&record).unwrap_or_default())]) {
                    Ok(()) => state.store.create::<R>(record, Some(id), &actor).await.map(|_| ()),
                    Err(denied) => Err(AppError::from(denied)),
                },
                Err(e) => Err(e),
            },
            (Err(e), _) => Err(AppError::from(anyhow::Error::from(e))),
        }
    });
    let message = match result {
        Ok(()) => {
            tracing::info!(user = %form.who.user().id, kind = kind.as_str(), %id, seq, "restored an earlier version");
            return Ok(Redirect::to(&format!("/admin/history/{}/{id}?done=restored", kind.as_str())).into_response());
        }
        Err(AppError::VersionMismatch { .. }) => "The record has changed since this page was opened: look at its history again before restoring".to_owned(),
        Err(AppError::Validation(f)) => format!("This version can no longer be saved: {}: {}", f.field, f.message),
        Err(AppError::Conflict { message, .. }) => message,
        Err(AppError::Forbidden { message, .. }) => format!("You cannot restore this version: {message}"),
        Err(other) => return Err(other.into()),
    };
    let errors = [("history".to_owned(), message)];
    render(&state, &form.who, kind, id, &errors, None).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn diff_names_each_changed_field_and_skips_bookkeeping() {
        let a = json!({"id": "x", "version": 1, "name": "A", "phone": null, "free": false});
        let b = json!({"id": "x", "version": 2, "name": "B", "phone": "1", "free": false, "cost": null});
        let d = diff(Some(&a), Some(&b));
        assert_eq!(
            d,
            vec![
                ("name".to_owned(), Some(json!("A")), Some(json!("B"))),
                ("phone".to_owned(), None, Some(json!("1"))),
            ]
        );
        // A creation: every field with a value is new.
        assert_eq!(diff(None, Some(&a)).len(), 2);
    }
}
