//! Reading the shortlist forms, and the redirects and cookie that answer them.

use axum::{
    body::Bytes,
    http::{HeaderValue, header},
    response::{IntoResponse, Redirect, Response},
};
use uuid::Uuid;

use crate::AppState;
use crate::error::AppError;
use crate::store::shortlists::LIFETIME_DAYS;
use crate::web::{COOKIE, PageError};

/// The fields of a submitted form.
pub struct Form(Vec<(String, String)>);

impl Form {
    pub fn read(body: &Bytes) -> Form {
        Form(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    pub fn id(&self) -> Result<Uuid, PageError> {
        self.get("id")
            .and_then(|v| v.trim().parse().ok())
            .ok_or_else(|| {
                AppError::bad_request(
                    "invalid_form",
                    "The form did not say which record: go back and try again.",
                    Some("id"),
                )
                .into()
            })
    }

    /// Where to go back to: a path on this site only.
    pub fn return_to(&self, fallback: &str) -> String {
        match self.get("return_to") {
            Some(r) if r.starts_with('/') && !r.starts_with("//") && !r.contains('\\') => {
                r.to_owned()
            }
            _ => fallback.to_owned(),
        }
    }
}

pub fn with_fragment(path: &str, id: Uuid) -> String {
    format!("{path}#sl-{id}")
}

pub fn set_cookie(state: &AppState, code: &str) -> Option<HeaderValue> {
    let secure = if state.config.public_url().starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let max_age = LIFETIME_DAYS * 24 * 3600;
    HeaderValue::from_str(&format!(
        "{COOKIE}={code}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    ))
    .ok()
}

pub fn redirect_with_cookie(state: &AppState, to: &str, code: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    if let Some(c) = set_cookie(state, code) {
        response.headers_mut().insert(header::SET_COOKIE, c);
    }
    response
}
