//! Extractors that turn bad input into Junction's own error format: JSON bodies whose errors
//! name the field, the bearer token, paging parameters and `If-Match`.

use axum::{
    body::Bytes,
    extract::{FromRequest, FromRequestParts, Request},
    http::{HeaderMap, header, request::Parts},
};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::domain::FieldError;
use crate::error::AppError;
use crate::store::tokens::TokenHolder;
use uuid::Uuid;

/// A JSON request body. Syntax errors → 400 `invalid_json`; a missing, unknown or mistyped
/// field → 422 `validation_failed` naming the field.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json") || v.contains("+json"));
        if !is_json {
            return Err(AppError::bad_request(
                "unsupported_media_type",
                "send the body as JSON with 'Content-Type: application/json'",
                None,
            ));
        }
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e| AppError::bad_request("invalid_body", e.body_text(), None))?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Parses JSON, reporting the path of the field at fault.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(&mut de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return AppError::bad_request(
                "invalid_json",
                format!("the body is not valid JSON: {inner}"),
                None,
            );
        }
        let message = inner.to_string();
        // serde names a missing or unknown field in the message, at the parent's path.
        let named = message.split('`').nth(1).filter(|_| {
            message.starts_with("missing field") || message.starts_with("unknown field")
        });
        let field = match (named, path.as_str()) {
            (Some(name), "." | "") => name.to_owned(),
            (Some(name), parent) if message.starts_with("missing field") => {
                format!("{parent}.{name}")
            }
            (_, p) => p.trim_start_matches('.').to_owned(),
        };
        let message = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_owned();
        AppError::Validation(FieldError::new(field, message))
    })
}

/// The caller's API token, if one was sent. A token that was sent but is not valid is
/// refused (401) rather than silently treated as anonymous.
pub struct Auth(pub Option<TokenHolder>);

impl Auth {
    /// Whether this caller sees the full record (drafts, private fields such as contact
    /// persons) of a record of `kind` owned by `owner`: administrators' and moderators' tokens
    /// every record, an organisation editor's token its organisation's records, and nobody
    /// else. Everyone else gets the public view of published records.
    pub fn sees_in_full(&self, kind: crate::domain::RecordKind, owner: Option<Uuid>) -> bool {
        match &self.0 {
            None => false,
            Some(h) if h.role.sees_all_records() => true,
            Some(h) => {
                crate::domain::scope::owner_field(kind).is_some()
                    && owner.is_some()
                    && owner == h.organisation_id
            }
        }
    }

    /// The unpublished records a list read by this caller includes.
    pub fn unpublished(&self) -> crate::store::Unpublished {
        use crate::store::Unpublished;
        match &self.0 {
            None => Unpublished::None,
            Some(h) if h.role.sees_all_records() => Unpublished::All,
            Some(h) => h
                .organisation_id
                .map_or(Unpublished::None, |o| Unpublished::OwnedBy(vec![o])),
        }
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Ok(Auth(None));
        };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .ok_or(AppError::Unauthorized)?;
        let holder = state
            .store
            .token_holder(token)
            .await?
            .ok_or(AppError::Unauthorized)?;
        Ok(Auth(Some(holder)))
    }
}

/// A caller that must hold a valid token (writes, history). Missing or invalid → 401, checked
/// before the body is read.
pub struct Editor(pub TokenHolder);

impl FromRequestParts<AppState> for Editor {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match Auth::from_request_parts(parts, state).await? {
            Auth(Some(holder)) => Ok(Editor(holder)),
            Auth(None) => Err(AppError::Unauthorized),
        }
    }
}

impl Editor {
    /// What this token may change: its role, and for an editor its one organisation.
    pub fn scope(&self) -> crate::domain::Scope {
        crate::domain::Scope {
            role: self.0.role,
            organisations: self.0.organisation_id.into_iter().collect(),
        }
    }

    /// The change-log actor for this caller.
    pub fn actor(&self) -> crate::store::Actor {
        crate::store::Actor::new(format!("token:{}", self.0.name))
    }
}

/// Paging and full-text parameters of list endpoints.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// Page number, from 1.
    pub page: Option<String>,
    /// Items per page, 1 to 200 (default 20).
    pub per_page: Option<String>,
    /// Full-text search over name, description and categories.
    pub q: Option<String>,
}

/// Checked paging.
#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub page: u64,
    pub per_page: u64,
}

pub const MAX_PER_PAGE: u64 = 200;

impl PageQuery {
    pub fn page(&self) -> Result<Page, AppError> {
        let number =
            |field: &str, raw: &Option<String>, default: u64, max: u64| -> Result<u64, AppError> {
                match raw.as_deref().map(str::trim) {
                    None | Some("") => Ok(default),
                    Some(s) => match s.parse::<u64>() {
                        Ok(n) if (1..=max).contains(&n) => Ok(n),
                        _ => Err(AppError::bad_request(
                            "invalid_parameter",
                            format!("{field} must be a whole number from 1 to {max} (got '{s}')"),
                            Some(field),
                        )),
                    },
                }
            };
        Ok(Page {
            page: number("page", &self.page, 1, 1_000_000)?,
            per_page: number("per_page", &self.per_page, 20, MAX_PER_PAGE)?,
        })
    }

    pub fn text(&self) -> Option<&str> {
        self.q.as_deref().map(str::trim).filter(|q| !q.is_empty())
    }
}

/// The query string, parsed into `T` with our error format.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::try_from_uri(&parts.uri)
            .map(|q| ApiQuery(q.0))
            .map_err(|e| AppError::bad_request("invalid_parameter", e.body_text(), None))
    }
}

/// A page of records.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListBody<T> {
    pub items: Vec<T>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

/// The version named by `If-Match` (`"3"`, `W/"3"` or `3`).
pub fn if_match(headers: &HeaderMap) -> Result<i32, AppError> {
    let raw = headers
        .get(header::IF_MATCH)
        .ok_or(AppError::IfMatchRequired)?
        .to_str()
        .map_err(|_| {
            AppError::bad_request(
                "invalid_if_match",
                "If-Match must be the ETag a GET returned, e.g. \"3\"",
                Some("If-Match"),
            )
        })?;
    let first = raw.split(',').next().unwrap_or_default().trim();
    let bare = first.trim_start_matches("W/").trim_matches('"');
    bare.parse::<i32>().map_err(|_| {
        AppError::bad_request(
            "invalid_if_match",
            format!("If-Match must be the ETag a GET returned, e.g. \"3\" (got {first})"),
            Some("If-Match"),
        )
    })
}

/// The ETag for a record version.
pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
}

/// A caller whose token acts for the council's staff: role `admin` or `moderator`. No token
/// or an invalid one → 401; a valid token of another role → 403 `forbidden`.
pub struct Staff(pub TokenHolder);

impl FromRequestParts<AppState> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Editor(holder) = Editor::from_request_parts(parts, state).await?;
        if !holder.role.sees_all_records() {
            return Err(AppError::Forbidden {
                message: format!(
                    "this needs a token with the role admin or moderator (this one is {})",
                    holder.role
                ),
                field: None,
            });
        }
        Ok(Staff(holder))
    }
}

impl Staff {
    /// The change-log actor for this caller.
    pub fn actor(&self) -> crate::store::Actor {
        crate::store::Actor::new(format!("token:{}", self.0.name))
    }
}
