//! The record page of the signed-in area: where the record stands (status, version, last
//! check, review date), "Still correct", any conflict with a newer version, and the form.
//! A pure function of plain values.

use axum::{http::StatusCode, response::Response};
use chrono::{DateTime, Utc};
use maud::{Markup, html};
use serde_json::{Map, Value};
use uuid::Uuid;

use super::fields::{self, Choices, Errors, all_fields};
use crate::AppState;
use crate::domain::RecordKind;
use crate::domain::freshness::Standing;
use crate::web::account::{SignedIn, csrf_field};
use crate::web::admin::{Section, shell};
use crate::web::layout::{date, error_summary};
use crate::web::results::record_href;

/// Who saved the version a form ran into, and when.
pub struct Conflict {
    pub by: Option<String>,
    pub at: Option<DateTime<Utc>>,
}

/// Everything the page shows.
pub struct Form<'a> {
    pub kind: RecordKind,
    /// `None` for a new record.
    pub id: Option<Uuid>,
    /// The record as stored now (none for a new one).
    pub stored: Option<&'a Map<String, Value>>,
    /// What the form shows: the stored record, or what was sent.
    pub shown: &'a Map<String, Value>,
    pub choices: &'a Choices,
    pub errors: &'a Errors,
    pub conflict: Option<&'a Conflict>,
    pub done: Option<&'a str>,
}

fn a_or_an(label: &str) -> &'static str {
    if label.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn time_of(json: &Map<String, Value>, key: &str) -> Option<DateTime<Utc>> {
    serde_json::from_value(json.get(key)?.clone()).ok()
}

fn notice(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "saved" => Some("Your changes were saved."),
        "created" => Some("The record was created."),
        "verified" => Some("Thank you: the record is marked as checked today."),
        _ => None,
    }
}

/// The 403 page for a record (or kind) the person may not change.
pub fn forbidden(who: &SignedIn, kind: RecordKind) -> Response {
    let content = html! {
        h1 class="heading-l" { "You cannot change this record" }
        p { "This " (kind.label()) " belongs to an organisation you do not edit for, or only administrators may change it. Nothing was changed." }
        p { a href="/admin" { "Go to your records" } }
    };
    shell(
        who,
        "You cannot change this record",
        Section::Dashboard,
        StatusCode::FORBIDDEN,
        content,
    )
}

fn standing_of(state: &AppState, kind: RecordKind, stored: &Map<String, Value>) -> Markup {
    let Some(checked) =
        time_of(stored, "last_verified_at").or_else(|| time_of(stored, "created_at"))
    else {
        return html! {};
    };
    let policy = state.config.reviews();
    let now = Utc::now();
    html! {
        (date(checked))
        @match (policy.standing(kind, checked, now), policy.due(kind, checked)) {
            (_, None) => {}
            (Standing::Fresh, Some(due)) => { ". Next review due " (date(due)) "." }
            (Standing::Overdue, Some(due)) => { " " strong class="tag tag--red" { "Review overdue since " (date(due)) } }
            (Standing::Stale, Some(due)) => {
                " " strong class="tag tag--red" { "Review overdue since " (date(due)) ": left out of search until checked" }
            }
        }
    }
}

/// The whole page.
pub fn record_page(state: &AppState, who: &SignedIn, f: &Form, status: StatusCode) -> Response {
    let label = f.kind.label();
    let name = f
        .stored
        .and_then(|s| s.get("name"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let title = match f.id {
        Some(_) => name.clone(),
        None => format!("Add {} {label}", a_or_an(label)),
    };
    let title = if f.errors.is_empty() {
        title
    } else {
        format!("Error: {title}")
    };
    let action = match f.id {
        Some(id) => format!("/admin/records/{}/{id}", f.kind.as_str()),
        None => format!("/admin/records/{}/new", f.kind.as_str()),
    };
    let published = f
        .stored
        .and_then(|s| s.get("publication"))
        .and_then(Value::as_str)
        == Some("published");
    let public_page = matches!(
        f.kind,
        RecordKind::Service | RecordKind::Space | RecordKind::Organisation | RecordKind::Asset
    );
    let content = html! {
        (error_summary(f.errors))
        @if let Some(n) = notice(f.done) {
            div class="panel panel--notice" role="status" { p { (n) } }
        }
        span class="caption" { (capitalised(label)) }
        h1 class="heading-l" {
            @match f.id { Some(_) => (name), None => { "Add " (a_or_an(label)) " " (label) } }
        }
        @if let (Some(id), Some(stored)) = (f.id, f.stored) {
            dl class="summary-list" {
                div class="summary-list__row" {
                    dt class="summary-list__key" { "Status" }
                    dd class="summary-list__value" { (stored.get("publication").and_then(Value::as_str).unwrap_or_default()) }
                }
                div class="summary-list__row" {
                    dt class="summary-list__key" { "Version" }
                    dd class="summary-list__value" { (stored.get("version").map(Value::to_string).unwrap_or_default()) }
                }
                div class="summary-list__row" {
                    dt class="summary-list__key" { "Last checked" }
                    dd class="summary-list__value" { (standing_of(state, f.kind, stored)) }
                }
            }
            @if published && public_page {
                p { a href=(record_href(f.kind.as_str(), id)) { "View the public page" } }
            }
            form method="post" action={ "/admin/records/" (f.kind.as_str()) "/" (id) "/verify" } class="inline-form" {
                (csrf_field(who))
                p class="hint" { "Everything on this page is still right? Record today as its last check, without changing anything." }
                button type="submit" class="button button--secondary" { "Still correct" }
            }
            h2 class="heading-m" { "Change this " (label) }
        }
        @if let (Some(c), Some(stored)) = (f.conflict, f.stored) {
            (conflict_table(f, c, stored))
        }
        form method="post" action=(action) novalidate {
            (csrf_field(who))
            @if f.id.is_some() {
                input type="hidden" name="version" value=(f.shown.get("version").map(Value::to_string).unwrap_or_default());
            }
            @for field in all_fields(f.kind) {
                (fields::render(field, f.shown, f.choices, f.errors))
            }
            button type="submit" class="button" {
                @if f.id.is_some() { "Save changes" } @else { "Add the " (label) }
            }
        }
        p { a href="/admin" { "Back to your records" } }
    };
    shell(who, &title, Section::Dashboard, status, content)
}

fn conflict_table(f: &Form, c: &Conflict, stored: &Map<String, Value>) -> Markup {
    let rows: Vec<(&str, String, String)> = all_fields(f.kind)
        .filter(|field| !fields::same(f.shown.get(field.name), stored.get(field.name)))
        .map(|field| {
            (
                field.label,
                fields::words(field, f.shown, f.choices),
                fields::words(field, stored, f.choices),
            )
        })
        .collect();
    html! {
        div class="warning" id="conflict" {
            h2 class="heading-m" { "Someone else changed this " (f.kind.label()) }
            p {
                "It was saved again"
                @if let Some(by) = &c.by { " by " (by) }
                @if let Some(at) = c.at { " on " (date(at)) " at " (at.with_timezone(&chrono_tz::Europe::London).format("%H:%M")) }
                " after you opened the form, so your changes were not saved."
            }
            @if rows.is_empty() {
                p { "Your values are the same as the current ones." }
            } @else {
                table class="table" {
                    caption { "Fields where your values differ from the current ones" }
                    thead { tr {
                        th scope="col" { "Field" }
                        th scope="col" { "Your value" }
                        th scope="col" { "Current value" }
                    } }
                    tbody {
                        @for (label, yours, current) in &rows {
                            tr { th scope="row" { (label) } td { (yours) } td { (current) } }
                        }
                    }
                }
            }
            p { "The form below has your values. Save again to replace the current values with yours, or change them first." }
        }
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
