//! `/admin`: "My records". An editor sees the records of their organisations; administrators
//! and moderators see every record. Each line says its kind, name, status, when it was last
//! checked and whether its review is due, most overdue first.

use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::Response,
};
use chrono::Utc;
use maud::html;
use serde::Deserialize;

use super::{Section, shell};
use crate::AppState;
use crate::domain::RecordKind;
use crate::domain::freshness::Standing;
use crate::web::PageError;
use crate::web::account::SignedIn;
use crate::web::layout::date;

const PER_PAGE: u64 = 50;

/// Kinds the dashboard offers to add (taxonomy terms are added from the categories page).
const ADDABLE: [RecordKind; 5] = [
    RecordKind::Organisation,
    RecordKind::Location,
    RecordKind::Service,
    RecordKind::Space,
    RecordKind::Asset,
];

#[derive(Debug, Default, Deserialize)]
pub struct DashboardQuery {
    page: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Query(q): Query<DashboardQuery>,
) -> Result<Response, PageError> {
    let user = who.user();
    let page = q
        .page
        .as_deref()
        .and_then(|p| p.parse::<u64>().ok())
        .filter(|p| (1..=100_000).contains(p))
        .unwrap_or(1);
    let scope = (!user.role.sees_all_records()).then_some(user.organisations.as_slice());
    let (lines, total) = state.store.my_records(scope, page, PER_PAGE).await?;
    let now = Utc::now();
    let policy = state.config.reviews();
    let due = lines
        .iter()
        .filter(|(kind, r)| {
            policy.standing(*kind, r.last_verified_at.unwrap_or(r.created_at), now)
                != Standing::Fresh
        })
        .count();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let content = html! {
        h1 class="heading-l" { "My records" }
        p class="lead" {
            @if user.role.sees_all_records() { "Every record in the register." }
            @else { "The records of your organisations." }
            " Records are due for review 6 months after they were last checked (unless configured otherwise for their kind)."
        }
        @let scope = super::records::scope_of(&who);
        @let addable: Vec<RecordKind> = ADDABLE.into_iter().filter(|k| super::records::may_create(&scope, *k)).collect();
        @if !addable.is_empty() {
            ul class="plain-list" aria-label="Add a record" {
                @for k in &addable {
                    li { a href={ "/admin/records/" (k.as_str()) "/new" } { "Add " (if k.label().starts_with('o') || k.label().starts_with('a') { "an" } else { "a" }) " " (k.label()) } }
                }
            }
        }
        @if lines.is_empty() {
            p { "There are no records to show." }
        } @else {
            p { (total) " records" @if due > 0 { ", " (due) " due for review on this page" } "." }
            table class="table" {
                caption class="visually-hidden" { "Records, most overdue for review first" }
                thead {
                    tr {
                        th scope="col" { "Kind" }
                        th scope="col" { "Name" }
                        th scope="col" { "Status" }
                        th scope="col" { "Last checked" }
                        th scope="col" { "Review" }
                    }
                }
                tbody {
                    @for (kind, r) in &lines {
                        tr {
                            td { (capitalised(kind.label())) }
                            td { a href={ "/admin/records/" (kind.as_str()) "/" (r.id) } { (r.name) } }
                            td { (r.publication) }
                            td { (date(r.last_verified_at.unwrap_or(r.created_at))) }
                            td {
                                @let checked = r.last_verified_at.unwrap_or(r.created_at);
                                @if policy.standing(*kind, checked, now) != Standing::Fresh {
                                    strong class="tag tag--red" { "Review due" }
                                } @else if let Some(due) = policy.due(*kind, checked) {
                                    "Due " (date(due))
                                }
                            }
                        }
                    }
                }
            }
            @if pages > 1 {
                nav class="pagination" aria-label="Pages" {
                    ul class="pagination__list" {
                        @if page > 1 { li { a class="pagination__link" href={ "/admin?page=" (page - 1) } { "Previous page" } } }
                        li { "Page " (page) " of " (pages) }
                        @if page < pages { li { a class="pagination__link" href={ "/admin?page=" (page + 1) } { "Next page" } } }
                    }
                }
            }
        }
    };
    Ok(shell(
        &who,
        "My records",
        Section::Dashboard,
        StatusCode::OK,
        content,
    ))
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
