//! `/admin/acv` (administrators and moderators): Assets of Community Value for council staff.
//! The list shows every entry with every date the rules compute (decision due, list end, the
//! current disposal episode's moratorium and protected period) and flags decisions overdue; an
//! entry's page shows everything recorded, the nominator's private contact included, with the
//! forms ([`forms`]) for what can happen next: the decision, an owner's notice of intended
//! disposal, a group's request to be treated as a bidder, and a removal; [`nominate`] is the
//! new-nomination page. Every write goes through the same `Store::acv_*` functions as the API.

mod forms;
mod nominate;

use axum::{
    Router,
    extract::{Path, Query, State},
    http::StatusCode,
    response::Response,
    routing::{get, post},
};
use chrono::NaiveDate;
use maud::{Markup, html};
use serde::Deserialize;
use uuid::Uuid;

use super::{Section, refuse_unless_moderator, shell};
use crate::AppState;
use crate::domain::acv::{AcvEntry, Decision, Stage};
use crate::error::AppError;
use crate::store::acv::{AcvRecord, today};
use crate::web::PageError;
use crate::web::account::SignedIn;
use crate::web::layout::error_summary;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/acv", get(list))
        .route(
            "/admin/acv/new",
            get(nominate::new).post(nominate::nominate),
        )
        .route("/admin/acv/{id}", get(show))
        .route("/admin/acv/{id}/decision", post(forms::decide))
        .route("/admin/acv/{id}/disposals", post(forms::notify_disposal))
        .route(
            "/admin/acv/{id}/bidder-request",
            post(forms::request_to_bid),
        )
        .route("/admin/acv/{id}/removal", post(forms::remove))
}

type Errors = Vec<(String, String)>;
/// What a form shows again when it is sent back with errors: the fields as posted.
type Prev = Vec<(String, String)>;

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

fn entry_href(id: Uuid) -> String {
    format!("/admin/acv/{id}")
}

/// "1 March 2024".
fn day(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

fn stage_label(s: Stage) -> &'static str {
    match s {
        Stage::Nominated => "Nominated, not decided",
        Stage::Listed => "Listed",
        Stage::Unsuccessful => "Unsuccessful",
        Stage::Lapsed => "Five years ended (removal not recorded)",
        Stage::Removed => "Removed",
    }
}

fn overdue_tag() -> Markup {
    html! { " " strong class="tag tag--red" { "Decision overdue" } }
}

/// The current disposal episode's dates, in a line.
fn disposal_line(e: &AcvEntry) -> Markup {
    let Some(d) = e.current_disposal() else {
        return html! {};
    };
    let dates = d.dates();
    html! {
        "Notice " (day(d.notice_received)) "; moratorium until " (day(dates.moratorium_ends))
        @if dates.full_moratorium_ends.is_some() { " (full)" } @else { " (interim)" }
        "; protected period until " (day(dates.protected_period_ends))
    }
}

/// `GET /admin/acv`.
pub async fn list(State(state): State<AppState>, who: SignedIn) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_moderator(&who, Section::Acv) {
        return Ok(r);
    }
    let records = state.store.acv_list().await?;
    let now = today();
    let overdue = records
        .iter()
        .filter(|r| r.entry.decision_overdue(now))
        .count();
    let content = html! {
        h1 class="heading-l" { "Assets of Community Value" }
        p { a class="button" href="/admin/acv/new" { "Record a nomination" } }
        @if records.is_empty() {
            p { "There are no nominations yet." }
        } @else {
            p {
                (records.len()) " entries"
                @if overdue > 0 { ", " strong { (overdue) " with the decision overdue" } }
                ". Dates are computed from the rules: a decision is due 8 weeks beginning with the day the nomination was received; an entry stays on its list for 5 years."
            }
            table class="table" {
                caption class="visually-hidden" { "Assets of Community Value, by name" }
                thead { tr {
                    th scope="col" { "Reference" }
                    th scope="col" { "Name" }
                    th scope="col" { "Stage" }
                    th scope="col" { "Nominated" }
                    th scope="col" { "Decision due" }
                    th scope="col" { "Decided" }
                    th scope="col" { "On the list until" }
                    th scope="col" { "Disposal" }
                } }
                tbody {
                    @for r in &records {
                        @let e = &r.entry;
                        tr {
                            td { a href=(entry_href(e.id)) { (e.reference) } }
                            td { (e.name) }
                            td { (stage_label(e.stage(now))) }
                            td { (day(e.nomination_received)) }
                            td {
                                (day(e.decision_due()))
                                @if e.decision_overdue(now) { (overdue_tag()) }
                            }
                            td { @if let Some(d) = e.decided { (day(d)) } }
                            td { @if let Some(d) = e.list_ends() { (day(d)) } }
                            td { (disposal_line(e)) }
                        }
                    }
                }
            }
        }
    };
    Ok(shell(
        &who,
        "Assets of Community Value",
        Section::Acv,
        StatusCode::OK,
        content,
    ))
}

async fn load(state: &AppState, id: &str) -> Result<AcvRecord, PageError> {
    let not_found = || AppError::NotFound("ACV entry".into());
    let id: Uuid = id.parse().map_err(|_| not_found())?;
    Ok(state.store.acv_get(id).await?.ok_or_else(not_found)?)
}

fn notice(done: Option<&str>) -> Option<&'static str> {
    match done? {
        "nominated" => Some("The nomination was recorded."),
        "decided" => Some("The decision was recorded."),
        "notice" => Some("The owner's notice of intended disposal was recorded."),
        "bidder" => Some("The request to be treated as a bidder was recorded."),
        "removed" => Some("The removal was recorded."),
        _ => None,
    }
}

fn row(key: &str, value: Markup) -> Markup {
    html! {
        div class="summary-list__row" {
            dt class="summary-list__key" { (key) }
            dd class="summary-list__value" { (value) }
        }
    }
}

fn facts(e: &AcvEntry, now: NaiveDate) -> Markup {
    html! {
        dl class="summary-list" {
            (row("Reference", html! { (e.reference) }))
            (row("Stage", html! { strong { (stage_label(e.stage(now))) } }))
            @if let Some(a) = e.asset_id {
                (row("In the register", html! { a href={ "/admin/records/asset/" (a) } { "The asset’s record" } }))
            }
            @if let Some(a) = &e.address_text { (row("Address", html! { (a) })) }
            (row("Nominating group", html! { (e.nominating_group) }))
            @if let Some(c) = &e.nominator_contact {
                (row("Nominator’s contact (staff only)", html! { (c) }))
            }
            (row("Reasons", html! { (e.reasons) }))
            (row("Nomination received", html! { (day(e.nomination_received)) }))
            (row("Decision due", html! {
                (day(e.decision_due()))
                @if e.decision_overdue(now) { (overdue_tag()) }
            }))
            @if let (Some(d), Some(on)) = (e.decision, e.decided) {
                (row("Decision", html! {
                    @match d { Decision::Listed => "Listed", Decision::Unsuccessful => "Unsuccessful" }
                    " on " (day(on))
                    @if let Some(r) = &e.decision_reason { ": " (r) }
                }))
            }
            @if let Some(end) = e.list_ends() {
                (row("On its list until", html! { (day(end)) }))
            }
            @if let (Some(on), Some(why)) = (e.removed, e.removal_reason) {
                (row("Removed", html! {
                    (day(on)) ": " (why.label())
                    @if let Some(n) = &e.removal_note { " (" (n) ")" }
                }))
            }
            @if e.stage(now) == Stage::Listed {
                (row("Today", html! { (e.moratorium_on(now).label()) }))
            }
            @if let Some(n) = &e.notes { (row("Notes", html! { (n) })) }
        }
    }
}

fn disposals(e: &AcvEntry) -> Markup {
    html! {
        @if e.disposals.is_empty() {
            p { "No owner’s notice of intended disposal has been recorded." }
        } @else {
            table class="table" {
                caption class="visually-hidden" { "Disposal episodes, oldest first" }
                thead { tr {
                    th scope="col" { "Notice received" }
                    th scope="col" { "Interim moratorium ends" }
                    th scope="col" { "Request to bid" }
                    th scope="col" { "Full moratorium ends" }
                    th scope="col" { "Protected period" }
                } }
                tbody {
                    @for d in &e.disposals {
                        @let dates = d.dates();
                        tr {
                            td { (day(d.notice_received)) }
                            td { (day(dates.interim_moratorium_ends)) }
                            td { @if let Some(b) = &d.bidder_request { (b.group) ", " (day(b.received)) } }
                            td { @if let Some(f) = dates.full_moratorium_ends { (day(f)) } }
                            td { (day(dates.protected_period_starts)) " to " (day(dates.protected_period_ends)) }
                        }
                    }
                }
            }
        }
    }
}

/// An entry's page; `errors` and `prev` fill the form that was sent back.
fn entry_page(
    who: &SignedIn,
    r: &AcvRecord,
    status: StatusCode,
    errors: &Errors,
    prev: &Prev,
    done: Option<&str>,
) -> Response {
    let e = &r.entry;
    let now = today();
    let content = html! {
        (error_summary(errors))
        @if let Some(n) = notice(done) {
            div class="panel panel--notice" role="status" { p { (n) } }
        }
        span class="caption" { "Asset of Community Value" }
        h1 class="heading-l" { (e.name) }
        p { a href="/admin/acv" { "All entries" } " · " a href="/acv" { "The public register" } }
        (facts(e, now))
        h2 class="heading-m" { "Disposal episodes" }
        (disposals(e))
        (forms::for_entry(who, e, now, errors, prev))
    };
    shell(
        who,
        &format!("Asset of Community Value: {}", e.name),
        Section::Acv,
        status,
        content,
    )
}

/// `GET /admin/acv/{id}`.
pub async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_moderator(&who, Section::Acv) {
        return Ok(r);
    }
    let r = load(&state, &id).await?;
    Ok(entry_page(
        &who,
        &r,
        StatusCode::OK,
        &Vec::new(),
        &Vec::new(),
        q.done.as_deref(),
    ))
}
