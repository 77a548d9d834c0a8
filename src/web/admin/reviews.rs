//! `/admin/reviews`: the review queue. Records whose review is overdue or falls due within the
//! next 30 days, soonest first — every record for moderators and administrators, their
//! organisations' for editors — each with a "Still correct" button and a link to change it.

use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::Response,
};
use chrono::{Duration, Utc};
use maud::html;

use super::records::DoneQuery;
use super::{Section, shell};
use crate::AppState;
use crate::domain::freshness::Standing;
use crate::web::PageError;
use crate::web::account::{SignedIn, csrf_field};
use crate::web::layout::date;

/// How far ahead the queue looks.
const AHEAD_DAYS: i64 = 30;
/// Lines shown.
const LIMIT: u64 = 200;

pub async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let user = who.user();
    let scope = (!user.role.sees_all_records()).then_some(user.organisations.as_slice());
    let policy = state.config.reviews();
    let now = Utc::now();
    let (lines, total) = state
        .store
        .review_queue(scope, &policy, now + Duration::days(AHEAD_DAYS), LIMIT)
        .await?;
    let content = html! {
        @if q.done() == Some("verified") {
            div class="panel panel--notice" role="status" { p { "Thank you: the record is marked as checked today." } }
        }
        h1 class="heading-l" { "Reviews" }
        p class="lead" {
            "Records due for review in the next " (AHEAD_DAYS) " days or overdue, soonest first. "
            "A record overdue for more than " (policy.grace_months) " months is left out of search until someone checks it."
        }
        @if lines.is_empty() {
            p { "Nothing is due for review." }
        } @else {
            p { (total) " records due" @if total > LIMIT { " (the first " (LIMIT) " are shown)" } "." }
            table class="table" {
                caption class="visually-hidden" { "Records due for review, soonest first" }
                thead { tr {
                    th scope="col" { "Kind" }
                    th scope="col" { "Name" }
                    th scope="col" { "Last checked" }
                    th scope="col" { "Review due" }
                    th scope="col" { span class="visually-hidden" { "Action" } }
                } }
                tbody {
                    @for line in &lines {
                        @let r = &line.record;
                        @let checked = r.last_verified_at.unwrap_or(r.created_at);
                        tr {
                            td { (line.kind.label()) }
                            td { a href={ "/admin/records/" (line.kind.as_str()) "/" (r.id) } { (r.name) } }
                            td { (date(checked)) }
                            td {
                                (date(line.due))
                                @match policy.standing(line.kind, checked, now) {
                                    Standing::Fresh => {}
                                    Standing::Overdue => { " " strong class="tag tag--red" { "Overdue" } }
                                    Standing::Stale => { " " strong class="tag tag--red" { "Overdue: left out of search" } }
                                }
                            }
                            td {
                                form method="post" action={ "/admin/records/" (line.kind.as_str()) "/" (r.id) "/verify" } class="inline-form" {
                                    (csrf_field(&who))
                                    input type="hidden" name="return_to" value="/admin/reviews";
                                    button type="submit" class="button button--secondary button--small" {
                                        "Still correct" span class="visually-hidden" { ": " (r.name) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(shell(
        &who,
        "Reviews",
        Section::Reviews,
        StatusCode::OK,
        content,
    ))
}
