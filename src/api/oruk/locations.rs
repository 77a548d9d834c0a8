//! `/service_at_locations` (with `postcode` and `proximity`) and `/service_at_locations/{id}`.

use std::collections::HashMap;

use axum::{
    Json,
    extract::{Path, RawQuery, State},
    response::{IntoResponse, Response},
};
use serde_json::Value;
use uuid::Uuid;

use super::params::{Params, ServiceParams, bad, page, page_slice};
use super::services::{load_services, matching_services, ndjson};
use super::{BATCH, parse_id};
use crate::AppState;
use crate::domain::{Location, Service};
use crate::error::{AppError, Result};
use crate::oruk::hsds;

/// The point `postcode` stands for; a place it can't find is `invalid_postcode`, naming the
/// ORUK parameter.
async fn postcode_point(state: &AppState, postcode: &str) -> Result<(f64, f64)> {
    match crate::api::places::resolve(state, postcode).await {
        Ok((point, _)) => Ok(point),
        Err(AppError::BadRequest { message, .. }) => Err(AppError::BadRequest {
            code: "invalid_postcode",
            message,
            field: Some("postcode".into()),
        }),
        Err(e) => Err(e),
    }
}

pub(super) async fn service_at_locations(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response> {
    let p = Params::read(raw);
    let (page_number, per_page) = p.paging()?;
    let is_ndjson = p.ndjson()?;
    let proximity = p.number::<f64>("proximity")?;
    if proximity.is_some_and(|m| m.is_nan() || m <= 0.0) {
        return Err(bad(
            "proximity",
            "proximity must be a positive number of metres",
        ));
    }
    let near = match p.get("postcode") {
        Some(pc) => Some(postcode_point(&state, pc).await?),
        None if proximity.is_some() => {
            return Err(bad(
                "postcode",
                "proximity needs a postcode to measure from",
            ));
        }
        None => None,
    };
    let services = matching_services(&state, ServiceParams::read(&p)?).await?;
    let mut pairs = state.store.oruk_service_locations(Some(&services)).await?;
    if let Some(point) = near {
        // Nearest first; with `proximity`, only those within it.
        let mut loc_ids: Vec<Uuid> = pairs.iter().map(|(_, l)| *l).collect();
        loc_ids.sort();
        loc_ids.dedup();
        let mut distance: HashMap<Uuid, f64> = HashMap::new();
        for chunk in loc_ids.chunks(BATCH) {
            for l in state.store.public_many::<Location>(chunk).await? {
                distance.insert(l.id, crate::geo::haversine_m(point, l.lon_lat()));
            }
        }
        pairs.retain(|(_, l)| {
            distance
                .get(l)
                .is_some_and(|d| proximity.is_none_or(|max| *d <= max))
        });
        pairs.sort_by(|a, b| {
            let da = distance.get(&a.1).copied().unwrap_or(f64::MAX);
            let db = distance.get(&b.1).copied().unwrap_or(f64::MAX);
            da.total_cmp(&db)
        });
    }
    let write = {
        let st = state.clone();
        move |chunk: Vec<(Uuid, Uuid)>| {
            let st = st.clone();
            async move { sal_list(&st, &chunk).await }
        }
    };
    if is_ndjson {
        return Ok(ndjson(pairs, write));
    }
    let contents = write(page_slice(&pairs, page_number, per_page)).await?;
    Ok(Json(page(contents, pairs.len(), page_number, per_page)).into_response())
}

async fn sal_list(state: &AppState, pairs: &[(Uuid, Uuid)]) -> Result<Vec<Value>> {
    let mut service_ids: Vec<Uuid> = pairs.iter().map(|(s, _)| *s).collect();
    service_ids.sort();
    service_ids.dedup();
    let (services, rel) = load_services(state, &service_ids).await?;
    let by_id: HashMap<Uuid, &Service> = services.iter().map(|s| (s.id, s)).collect();
    Ok(pairs
        .iter()
        .filter_map(|(s, l)| {
            let service = by_id.get(s)?;
            let location = rel.locations.get(l)?;
            Some(hsds::service_at_location_list_item(service, location, &rel))
        })
        .collect())
}

pub(super) async fn service_at_location(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>> {
    let id = parse_id("service at location", &id)?;
    let (sid, lid) = state
        .store
        .oruk_service_location(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("service at location {id}")))?;
    let (services, rel) = load_services(&state, &[sid]).await?;
    let (Some(s), Some(l)) = (services.first(), rel.locations.get(&lid)) else {
        return Err(AppError::NotFound(format!("service at location {id}")));
    };
    Ok(Json(hsds::service_at_location_full(s, l, &rel)))
}
