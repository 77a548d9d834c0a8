//! The signposting shortlist, without JavaScript: "Add to shortlist" buttons on results and
//! record pages post a form; the shortlist lives on the server under an unguessable code
//! (`/shortlist/{code}`), remembered on this device by a cookie holding only that code. Whoever
//! has the link can add notes, renew, print (`/print`, A4, with QR codes) or delete it.
//!
//! [`edit`] has the forms' handlers (add, remove, note, renew, use here, delete), [`view`] the
//! shortlist page, [`print`] the A4 view, [`items`] what both show of each record.

mod edit;
mod form;
mod items;
mod print;
mod view;

use axum::{
    Router,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use maud::{Markup, html};
use uuid::Uuid;

use crate::AppState;
use crate::store::shortlists::LIFETIME_DAYS;
use crate::web::Visitor;
use crate::web::layout::{Head, page};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/shortlist", get(about))
        .route("/shortlist/add", post(edit::add))
        .route("/shortlist/{code}", get(view::show))
        .route("/shortlist/{code}/print", get(print::print))
        .route("/shortlist/{code}/remove", post(edit::remove))
        .route("/shortlist/{code}/note", post(edit::note))
        .route("/shortlist/{code}/renew", post(edit::renew))
        .route("/shortlist/{code}/use", post(edit::use_here))
        .route(
            "/shortlist/{code}/delete",
            get(edit::confirm_delete).post(edit::delete),
        )
}

/// "Add to shortlist", or "On your shortlist" with a remove button, for one record.
pub fn toggle(visitor: &Visitor, kind: &str, id: Uuid, name: &str, return_to: &str) -> Markup {
    html! {
        div class="shortlist-toggle" id={ "sl-" (id) } {
            @if let (true, Some(code)) = (visitor.has(id), visitor.code()) {
                form method="post" action={ "/shortlist/" (code) "/remove" } class="inline-form" {
                    p class="shortlist-toggle__on" {
                        strong { "On your shortlist" } " · "
                        a href={ "/shortlist/" (code) } { "View shortlist" }
                    }
                    input type="hidden" name="id" value=(id);
                    input type="hidden" name="return_to" value=(return_to);
                    button type="submit" class="button button--secondary button--small" {
                        "Remove" span class="visually-hidden" { " " (name) " from your shortlist" }
                    }
                }
            } @else {
                form method="post" action="/shortlist/add" class="inline-form" {
                    input type="hidden" name="kind" value=(kind);
                    input type="hidden" name="id" value=(id);
                    input type="hidden" name="return_to" value=(return_to);
                    button type="submit" class="button button--secondary button--small" {
                        "Add to shortlist" span class="visually-hidden" { ": " (name) }
                    }
                }
            }
        }
    }
}

async fn about(visitor: Visitor) -> Response {
    if let Some(code) = visitor.code() {
        return Redirect::to(&format!("/shortlist/{code}")).into_response();
    }
    let content = html! {
        h1 class="heading-l" { "Shortlists" }
        p class="lead" { "A shortlist is a list of services and places you can share with one link." }
        p { "Use it when you are helping someone find support: add services as you talk, then text, email or print the link for them. No account is needed." }
        h2 class="heading-m" { "How it works" }
        ol class="list-number" {
            li { a href="/search" { "Search" } " or " a href="/categories" { "browse" } " for what the person needs." }
            li { "Select ‘Add to shortlist’ on each service or place." }
            li { "Open your shortlist to add a short note to each item, such as ‘ask for Sam’ or ‘bring ID’." }
            li { "Share the link, or print the list: each item has a QR code to its page." }
        }
        h2 class="heading-m" { "Keeping it private" }
        p { "Do not write the person’s name or any details about them on a shortlist. Anyone with the link can see, change or delete it." }
        p { "A shortlist and its notes are deleted " (LIFETIME_DAYS) " days after it was made, unless someone keeps it for longer." }
        p { "You have no shortlist on this device yet." }
    };
    page(Head::titled("Shortlists"), &visitor.badge(), content).into_response()
}
