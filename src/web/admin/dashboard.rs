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
use crate::domain::freshness::{is_review_due, review_due};
use crate::web::PageError;
use crate::web::account::SignedIn;
use crate::web::layout::date;
use crate::web::results::record_href;

const PER_PAGE: u64 = 50;

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
    let due = lines
        .iter()
        .filter(|(_, r)| is_review_due(r.last_verified_at, r.created_at, now))
        .count();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let content = html! {
        h1 class="heading-l" { "My records" }
        p class="lead" {
            @if user.role.sees_all_records() { "Every record in the register." }
            @else { "The records of your organisations." }
            " Records are due for review 6 months after they were last checked."
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
                            td {
                                // Only published records have a public page (locations none).
                                @if *kind != RecordKind::Location && r.publication == "published" {
                                    a href=(record_href(kind.as_str(), r.id)) { (r.name) }
                                } @else { (r.name) }
                            }
                            td { (r.publication) }
                            td { (date(r.last_verified_at.unwrap_or(r.created_at))) }
                            td {
                                @if is_review_due(r.last_verified_at, r.created_at, now) {
                                    strong class="tag tag--red" { "Review due" }
                                } @else {
                                    "Due " (date(review_due(r.last_verified_at, r.created_at)))
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
