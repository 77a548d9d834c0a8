//! One error type for the whole service. Every API error leaves as
//! `{"error": {"code", "message", "field"?, "dependants"?}}` with a stable machine `code`.

use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::{FieldError, RecordRef};

/// Result with [`AppError`] as the default error.
pub type Result<T, E = AppError> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 422: a field failed validation.
    #[error("{}", .0.message)]
    Validation(FieldError),
    /// 400: the request could not be read (bad JSON, bad query string).
    #[error("{message}")]
    BadRequest {
        code: &'static str,
        message: String,
        field: Option<String>,
    },
    /// 401: no token, or a token Junction does not know.
    #[error("a valid API token is required: send 'Authorization: Bearer <token>'")]
    Unauthorized,
    /// 403: the caller's role or organisations do not cover this write; nothing was written.
    #[error("{message}")]
    Forbidden {
        message: String,
        field: Option<String>,
    },
    /// 404: no such record (or not visible to this caller).
    #[error("{0} not found")]
    NotFound(String),
    /// 409: the record has dependants and was not deleted.
    #[error("{message}")]
    HasDependants {
        message: String,
        dependants: Vec<RecordRef>,
    },
    /// 409: the write conflicts with data already there (e.g. a duplicate slug).
    #[error("{message}")]
    Conflict {
        message: String,
        field: Option<String>,
    },
    /// 409: an expression of interest arrived after the asset's transfer closing date (UK
    /// date); field `asset`. Nothing was written.
    #[error("Expressions of interest for this asset closed on {}", .closed_on.format("%-d %B %Y"))]
    InterestClosed { closed_on: chrono::NaiveDate },
    /// 409: the record is mirrored from another directory, which owns it: change it there.
    #[error(
        "this {kind} is mirrored from {origin}, which owns it: change it there (the next sync would overwrite a change made here)"
    )]
    Mirrored { kind: &'static str, origin: String },
    /// 412: `If-Match` names a version that is no longer current.
    #[error("the record has changed since version {sent}; it is now at version {current}")]
    VersionMismatch { sent: i32, current: i32 },
    /// 428: an update was sent without `If-Match`.
    #[error("send 'If-Match' with the ETag of the version you edited")]
    IfMatchRequired,
    /// 503: a dependency (database, index) is not reachable.
    #[error("{0}")]
    Unavailable(String),
    /// 500: anything else. The cause is logged, never sent.
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl From<sea_orm::DbErr> for AppError {
    fn from(err: sea_orm::DbErr) -> Self {
        AppError::Internal(err.into())
    }
}

impl From<crate::domain::scope::Denied> for AppError {
    fn from(d: crate::domain::scope::Denied) -> Self {
        AppError::Forbidden {
            message: d.message,
            field: Some(d.field.to_owned()),
        }
    }
}

impl From<FieldError> for AppError {
    fn from(err: FieldError) -> Self {
        AppError::Validation(err)
    }
}

impl AppError {
    pub fn bad_request(
        code: &'static str,
        message: impl Into<String>,
        field: Option<&str>,
    ) -> Self {
        AppError::BadRequest {
            code,
            message: message.into(),
            field: field.map(str::to_owned),
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden { .. } => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::HasDependants { .. }
            | AppError::Conflict { .. }
            | AppError::InterestClosed { .. }
            | AppError::Mirrored { .. } => StatusCode::CONFLICT,
            AppError::VersionMismatch { .. } => StatusCode::PRECONDITION_FAILED,
            AppError::IfMatchRequired => StatusCode::PRECONDITION_REQUIRED,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "validation_failed",
            AppError::BadRequest { code, .. } => code,
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden { .. } => "forbidden",
            AppError::NotFound(_) => "not_found",
            AppError::HasDependants { .. } => "has_dependants",
            AppError::Conflict { .. } => "conflict",
            AppError::InterestClosed { .. } => "interest_closed",
            AppError::Mirrored { .. } => "mirrored_record",
            AppError::VersionMismatch { .. } => "version_mismatch",
            AppError::IfMatchRequired => "if_match_required",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    pub fn body(&self) -> ErrorBody {
        let (field, dependants) = match self {
            AppError::Validation(e) => (Some(e.field.clone()), None),
            AppError::BadRequest { field, .. }
            | AppError::Conflict { field, .. }
            | AppError::Forbidden { field, .. } => (field.clone(), None),
            AppError::HasDependants { dependants, .. } => (None, Some(dependants.clone())),
            AppError::InterestClosed { .. } => (Some("asset".to_owned()), None),
            _ => (None, None),
        };
        ErrorBody {
            error: ErrorDetail {
                code: self.code().to_owned(),
                message: self.to_string(),
                field,
                dependants,
            },
        }
    }
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `validation_failed`, `not_found`, `version_mismatch`.
    pub code: String,
    /// What went wrong, in words a person can act on.
    pub message: String,
    /// The request field at fault, as a JSON path such as `postcode` or `contact_person.email`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For `has_dependants`: the records that still point at this one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dependants: Option<Vec<RecordRef>>,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(err) = &self {
            tracing::error!(error = ?err, "internal error");
        }
        (self.status(), Json(self.body())).into_response()
    }
}
