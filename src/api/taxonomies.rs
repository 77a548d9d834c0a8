//! Read-only list of taxonomies (their terms are the `taxonomy-terms` resource).

use axum::{Json, Router, extract::State, routing::get};

use super::extract::ListBody;
use crate::AppState;
use crate::domain::Taxonomy;
use crate::error::Result;

pub fn routes() -> Router<AppState> {
    Router::new().route("/api/v1/taxonomies", get(list))
}

async fn list(State(state): State<AppState>) -> Result<Json<ListBody<Taxonomy>>> {
    let items = state.store.taxonomies().await?;
    let total = items.len() as u64;
    Ok(Json(ListBody {
        items,
        page: 1,
        per_page: total.max(1),
        total,
    }))
}
