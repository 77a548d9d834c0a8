//! `/healthz`: the process is up. `/readyz`: the database answers and the index is open.

use axum::{Json, Router, extract::State, routing::get};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{AppError, Result};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

/// Health report.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indexed_seq: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_seq: Option<i64>,
}

async fn healthz() -> Json<Health> {
    Json(Health {
        status: "ok",
        indexed_seq: None,
        last_seq: None,
    })
}

async fn readyz(State(state): State<AppState>) -> Result<Json<Health>> {
    if let Err(err) = state.store.ping().await {
        tracing::warn!(error = ?err, "readiness: database not answering");
        return Err(AppError::Unavailable(
            "the database is not answering".into(),
        ));
    }
    let last_seq = state.store.last_seq().await?;
    let search = state.search.clone();
    let indexed =
        tokio::task::spawn_blocking(move || search.reload().map(|_| search.applied_seq()))
            .await
            .map_err(anyhow::Error::from)?
            .map_err(|err| {
                tracing::warn!(error = ?err, "readiness: search index not readable");
                AppError::Unavailable("the search index is not readable".into())
            })?;
    Ok(Json(Health {
        status: "ready",
        indexed_seq: Some(indexed),
        last_seq: Some(last_seq),
    }))
}
