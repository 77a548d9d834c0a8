//! `/api/v1/search.geojson` and `/api/v1/search.csv`: the same search and page as
//! `/api/v1/search`, as an RFC 7946 FeatureCollection or as CSV.

use axum::{
    extract::{RawQuery, State},
    response::{IntoResponse, Response},
};

use super::search::run;
use crate::AppState;
use crate::domain::RecordKind;
use crate::error::Result;

/// The same search as an RFC 7946 FeatureCollection; records without a point are left out.
pub async fn search_geojson(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response> {
    let (body, _) = run(&state, raw).await?;
    let features: Vec<serde_json::Value> = body
        .items
        .into_iter()
        .filter_map(|item| {
            let [lon, lat] = item.point?;
            let mut properties = serde_json::to_value(&item).ok()?;
            if let Some(p) = properties.as_object_mut() {
                p.remove("point");
            }
            Some(serde_json::json!({
                "type": "Feature",
                "id": item.id,
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": properties,
            }))
        })
        .collect();
    let collection = serde_json::json!({
        "type": "FeatureCollection",
        "features": features,
        "total": body.total,
        "notices": body.notices,
    });
    Ok((
        [(axum::http::header::CONTENT_TYPE, "application/geo+json")],
        collection.to_string(),
    )
        .into_response())
}

/// The same search as CSV (RFC 4180, UTF-8, a header row), one row per result on the page.
pub async fn search_csv(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response> {
    let (body, _) = run(&state, raw).await?;
    let mut out = csv::Writer::from_writer(Vec::new());
    let header = [
        "kind",
        "id",
        "name",
        "summary",
        "distance_m",
        "open_now",
        "opening_hours",
        "status",
        "free",
        "categories",
        "accessibility",
        "longitude",
        "latitude",
        "last_verified_at",
        "url",
    ];
    out.write_record(header).map_err(anyhow::Error::from)?;
    let base = state.config.public_url();
    for item in body.items {
        let kind = RecordKind::parse(&item.kind);
        let url = kind.map_or(String::new(), |k| {
            format!("{base}/api/v1/{}/{}", k.resource(), item.id)
        });
        let opt = |v: Option<String>| v.unwrap_or_default();
        out.write_record([
            item.kind.clone(),
            item.id.to_string(),
            item.name,
            item.summary,
            opt(item.distance_m.map(|d| d.to_string())),
            opt(item.open_now.map(|b| b.to_string())),
            opt(item.opening_hours),
            opt(item.status),
            item.free.to_string(),
            item.categories.join(";"),
            item.accessibility.join(";"),
            opt(item.point.map(|p| p[0].to_string())),
            opt(item.point.map(|p| p[1].to_string())),
            opt(item.last_verified_at.map(|t| t.to_rfc3339())),
            url,
        ])
        .map_err(anyhow::Error::from)?;
    }
    let bytes = out.into_inner().map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok((
        [(axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8")],
        bytes,
    )
        .into_response())
}
