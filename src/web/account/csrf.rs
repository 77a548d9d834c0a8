//! CSRF protection for the signed-in area: every form carries the session's token in a hidden
//! field, and [`CsrfForm`] refuses a POST whose token is missing or wrong (compared in
//! constant time) with a 403 page that says what to do.

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use maud::{Markup, html};
use subtle::ConstantTimeEq;

use super::SignedIn;
use crate::AppState;
use crate::web::layout::{Badge, Head, page};

/// The hidden field's name.
pub const FIELD: &str = "csrf_token";

/// The hidden field for a form of the signed-in area.
pub fn csrf_field(who: &SignedIn) -> Markup {
    html! { input type="hidden" name=(FIELD) value=(who.0.csrf_token); }
}

/// A posted form from a signed-in person, its CSRF token checked.
pub struct CsrfForm {
    pub who: SignedIn,
    pub fields: Vec<(String, String)>,
}

impl CsrfForm {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeated field (checkboxes).
    pub fn all(&self, key: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

fn refused() -> Response {
    let content = html! {
        h1 class="heading-l" { "Your form could not be sent" }
        p { "It did not carry this session's security code. This happens when a form was open from before you signed in again, or came from another site." }
        p { "Go back, reload the page and try again." }
        p { a href="/admin" { "Go to your dashboard" } }
    };
    let head = Head {
        noindex: true,
        ..Head::titled("Your form could not be sent")
    };
    (
        StatusCode::FORBIDDEN,
        page(head, &Badge::default(), content),
    )
        .into_response()
}

impl FromRequest<AppState> for CsrfForm {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let who = SignedIn::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let req = Request::from_parts(parts, body);
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let fields: Vec<(String, String)> = form_urlencoded::parse(&bytes)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let sent = fields
            .iter()
            .find(|(k, _)| k == FIELD)
            .map(|(_, v)| v.as_bytes())
            .unwrap_or_default();
        let expected = who.0.csrf_token.as_bytes();
        if sent.is_empty() || !bool::from(sent.ct_eq(expected)) {
            tracing::warn!(user = %who.user().id, "a form without a valid CSRF token was refused");
            return Err(refused());
        }
        Ok(CsrfForm { who, fields })
    }
}
