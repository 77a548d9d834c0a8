//! Geography reference data: boundaries (wards, districts) and postcode points, loaded with
//! `junction import`. Read-only and public.

use axum::{
    Json, Router,
    extract::{Path, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
    routing::get,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::extract::ApiQuery;
use crate::AppState;
use crate::domain::validate::normalise_postcode;
use crate::error::{AppError, Result};
use crate::geo::boundary_store::BoundarySummary;
use crate::geo::postcodes::PostcodePoint;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/boundaries", get(list))
        .route("/api/v1/boundaries/{code}", get(feature))
        .route("/api/v1/postcodes/{postcode}", get(postcode))
}

/// Filters of `GET /api/v1/boundaries`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BoundaryQuery {
    /// Only boundaries of this type, e.g. `ward`.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub boundary_type: Option<String>,
}

/// Every boundary, without geometries.
#[derive(Debug, Serialize, ToSchema)]
pub struct BoundaryList {
    pub items: Vec<BoundarySummary>,
    pub total: u64,
}

async fn list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<BoundaryQuery>,
) -> Result<Json<BoundaryList>> {
    let wanted = query
        .boundary_type
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let items = state.store.boundary_summaries(wanted).await?;
    let total = items.len() as u64;
    Ok(Json(BoundaryList { items, total }))
}

async fn feature(State(state): State<AppState>, Path(code): Path<String>) -> Result<Response> {
    let feature = state
        .store
        .boundary_feature(code.trim())
        .await?
        .ok_or_else(|| AppError::NotFound(format!("boundary '{}'", code.trim())))?;
    let mut response = Json(feature).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/geo+json"),
    );
    Ok(response)
}

async fn postcode(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> Result<Json<PostcodePoint>> {
    let Some(postcode) = normalise_postcode(&raw) else {
        return Err(AppError::bad_request(
            "invalid_postcode",
            format!(
                "'{}' is not a UK postcode (expected a form like 'OL1 1AA')",
                raw.trim()
            ),
            Some("postcode"),
        ));
    };
    state
        .store
        .postcode(&postcode)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::NotFound(format!("postcode {postcode}")))
}
