//! The signed-in area under `/admin`: the dashboard of records and their review dates
//! ([`dashboard`]), each record's page and form ([`records`]), the review queue ([`reviews`]),
//! for administrators the users pages ([`users`]), and for administrators and moderators the
//! community asset transfer cases ([`transfer_cases`]) and Assets of Community Value ([`acv`]);
//! for administrators erasure requests ([`erasure`]). Every page needs a
//! live session ([`SignedIn`]), every form a CSRF token ([`CsrfForm`]), and every response is
//! sent with `Cache-Control: no-store`.

mod acv;
mod dashboard;
mod erasure;
mod history;
mod records;
mod reviews;
mod suggestions;
mod transfer_cases;
mod user_form;
mod users;

use axum::{
    Router,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use maud::{Markup, html};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::AppState;
use crate::domain::Role;
use crate::web::account::{SignedIn, csrf_field};
use crate::web::layout::{Badge, Head, page};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(dashboard::show))
        .route("/admin/users", get(users::list))
        .route("/admin/users/new", get(users::new).post(users::create))
        .route("/admin/users/{id}", get(users::edit).post(users::update))
        .route("/admin/users/{id}/disable", post(users::disable))
        .route("/admin/users/{id}/enable", post(users::enable))
        .route("/admin/users/{id}/send-link", post(users::send_link))
        .route("/admin/transfer-cases", get(transfer_cases::list))
        .route("/admin/transfer-cases/{id}", get(transfer_cases::show))
        .route(
            "/admin/transfer-cases/{id}/advance",
            post(transfer_cases::advance),
        )
        .route(
            "/admin/transfer-cases/{id}/close",
            post(transfer_cases::close),
        )
        .route(
            "/admin/transfer-cases/{id}/documents",
            post(transfer_cases::upload),
        )
        .route(
            "/admin/transfer-cases/{id}/documents/{doc}",
            get(transfer_cases::download),
        )
        .merge(acv::routes())
        .route("/admin/reviews", get(reviews::show))
        .route("/admin/categories", get(records::terms))
        .route(
            "/admin/records/{kind}/new",
            get(records::new).post(records::create),
        )
        .route(
            "/admin/records/{kind}/{id}",
            get(records::show).post(records::save),
        )
        .route("/admin/records/{kind}/{id}/verify", post(records::verify))
        .route("/admin/suggestions", get(suggestions::queue))
        .route("/admin/suggestions/{n}/accept", post(suggestions::accept))
        .route("/admin/suggestions/{n}/reject", post(suggestions::reject))
        .route("/admin/suggestions/{n}/forward", post(suggestions::forward))
        .route("/admin/history/{kind}/{id}", get(history::show))
        .route("/admin/history/{kind}/{id}/restore", post(history::restore))
        .route("/admin/erasure", get(erasure::show).post(erasure::erase))
        .route("/admin/erasure/find", post(erasure::find))
}

/// `Cache-Control: no-store` for the signed-in area and the sign-in pages: nothing of them is
/// kept by the browser or a shared cache.
pub fn no_store() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))
}

/// Which section of the signed-in area a page belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Dashboard,
    Reviews,
    Categories,
    Users,
    TransferCases,
    Acv,
    Suggestions,
    History,
    Erasure,
}

/// A page of the signed-in area: the account bar (who, where, sign out), then `content`.
fn shell(
    who: &SignedIn,
    title: &str,
    section: Section,
    status: StatusCode,
    content: Markup,
) -> Response {
    let user = who.user();
    let bar = html! {
        nav class="account-nav" aria-label="Account" {
            ul class="account-nav__list" {
                li { a href="/admin" aria-current=[(section == Section::Dashboard).then_some("page")] { "My records" } }
                li { a href="/admin/reviews" aria-current=[(section == Section::Reviews).then_some("page")] { "Reviews" } }
                @if user.role == Role::Admin {
                    li { a href="/admin/categories" aria-current=[(section == Section::Categories).then_some("page")] { "Categories" } }
                }
                @if user.role == Role::Admin {
                    li { a href="/admin/users" aria-current=[(section == Section::Users).then_some("page")] { "Users" } }
                    li { a href="/admin/erasure" aria-current=[(section == Section::Erasure).then_some("page")] { "Erasure requests" } }
                }
                @if user.role.sees_all_records() {
                    li { a href="/admin/transfer-cases" aria-current=[(section == Section::TransferCases).then_some("page")] { "Transfer cases" } }
                    li { a href="/admin/acv" aria-current=[(section == Section::Acv).then_some("page")] { "Assets of Community Value" } }
                    li { a href="/admin/suggestions" aria-current=[(section == Section::Suggestions).then_some("page")] { "Suggestions" } }
                }
            }
            p class="account-nav__who" { "Signed in as " (user.email) " (" (user.role.label()) ")" }
            form method="post" action="/logout" class="account-nav__logout" {
                (csrf_field(who))
                button type="submit" class="button button--secondary button--small" { "Sign out" }
            }
        }
    };
    let head = Head {
        noindex: true,
        ..Head::titled(title)
    };
    (
        status,
        page(head, &Badge::default(), html! { (bar) (content) }),
    )
        .into_response()
}

/// Administrators and moderators only: for anyone else, the 403 page to send instead.
fn refuse_unless_moderator(who: &SignedIn, section: Section) -> Option<Response> {
    if who.user().role.sees_all_records() {
        return None;
    }
    let content = html! {
        h1 class="heading-l" { "You cannot see this page" }
        p { "Only moderators and administrators can do this." }
        p { a href="/admin" { "Go to your records" } }
    };
    Some(shell(
        who,
        "You cannot see this page",
        section,
        StatusCode::FORBIDDEN,
        content,
    ))
}

/// Administrators only: for anyone else, the 403 page to send instead.
fn refuse_unless_admin(who: &SignedIn) -> Option<Response> {
    if who.user().role == Role::Admin {
        return None;
    }
    let content = html! {
        h1 class="heading-l" { "You cannot see this page" }
        p { "Only administrators can manage users." }
        p { a href="/admin" { "Go to your records" } }
    };
    Some(shell(
        who,
        "You cannot see this page",
        Section::Users,
        StatusCode::FORBIDDEN,
        content,
    ))
}
