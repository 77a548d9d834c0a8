//! Friendly error pages: "Page not found", "This shortlist has expired", and "Sorry, there is a
//! problem with the service" (whose cause is logged, never shown).

use axum::{
    http::{StatusCode, Uri},
    response::{IntoResponse, Response},
};
use maud::{Markup, html};

use super::layout::{Badge, Head, page};
use crate::error::AppError;

/// An error on a page, shown as a page.
#[derive(Debug)]
pub struct PageError {
    pub error: AppError,
    pub badge: Badge,
}

impl From<AppError> for PageError {
    fn from(error: AppError) -> Self {
        PageError {
            error,
            badge: Badge::default(),
        }
    }
}

impl From<sea_orm::DbErr> for PageError {
    fn from(e: sea_orm::DbErr) -> Self {
        AppError::from(e).into()
    }
}

impl From<anyhow::Error> for PageError {
    fn from(e: anyhow::Error) -> Self {
        AppError::from(e).into()
    }
}

/// The not-found page's content.
pub fn not_found_content() -> Markup {
    html! {
        h1 class="heading-l" { "Page not found" }
        p { "If you typed the web address, check it is correct." }
        p { "If you pasted the web address, check you copied the entire address." }
        p {
            "If the page was a service or space, it may have closed or been removed from the register. You can "
            a href="/search" { "search the register" } " or "
            a href="/categories" { "browse by category" } "."
        }
    }
}

fn problem_content() -> Markup {
    html! {
        h1 class="heading-l" { "Sorry, there is a problem with the service" }
        p { "Try again later." }
        p { "Nothing you entered has been saved in a half-finished state: if a change did not go through, make it again." }
        p { a href="/" { "Go to the home page" } }
    }
}

fn bad_request_content(message: &str) -> Markup {
    html! {
        h1 class="heading-l" { "Sorry, we could not understand that request" }
        p { (message) }
        p { a href="/" { "Go to the home page" } }
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.error.status();
        let (title, content) = match &self.error {
            AppError::NotFound(_) => ("Page not found", not_found_content()),
            AppError::Internal(e) => {
                tracing::error!(error = ?e, "internal error on a page");
                (
                    "Sorry, there is a problem with the service",
                    problem_content(),
                )
            }
            AppError::Unavailable(_) => ("Sorry, the service is unavailable", problem_content()),
            AppError::Forbidden { .. } => (
                "You cannot change this record",
                html! {
                    h1 class="heading-l" { "You cannot change this record" }
                    p { "It belongs to an organisation you do not edit for. Nothing was changed." }
                    p { a href="/admin" { "Go to your records" } }
                },
            ),
            other => (
                "Sorry, we could not understand that request",
                bad_request_content(&other.to_string()),
            ),
        };
        let head = Head {
            noindex: true,
            ..Head::titled(title)
        };
        (status, page(head, &self.badge, content)).into_response()
    }
}

/// The app's fallback route.
pub fn not_found_for(uri: &Uri) -> Response {
    let path = uri.path();
    if path.starts_with("/api/") || path == "/api" {
        return AppError::NotFound("no such page or API route".into()).into_response();
    }
    let head = Head {
        noindex: true,
        ..Head::titled("Page not found")
    };
    (
        StatusCode::NOT_FOUND,
        page(head, &Badge::default(), not_found_content()),
    )
        .into_response()
}
