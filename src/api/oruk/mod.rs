//! The Open Referral UK 3.0 API under `/oruk` (or the configured `JUNCTION_ORUK_PATH`): public, read-only, no authentication, CORS `*`
//! on every response. Pages are ORUK's `Page` (`total_items`, `total_pages`, `page_number`,
//! `size`, `first_page`, `last_page`, `empty`, `contents`); `format=ndjson` streams every
//! match instead, one object a line; `minimal=true` lists only ids and modified dates.
//! The objects themselves are written by `crate::oruk::hsds` from public views.

mod locations;
mod params;
mod services;
mod taxonomies;

use axum::{
    Json, Router,
    http::{HeaderValue, header},
    routing::get,
};
use serde_json::{Value, json};
use tower_http::set_header::SetResponseHeaderLayer;
use uuid::Uuid;

use crate::AppState;
use crate::error::{AppError, Result};
use crate::oruk;

/// Records loaded at once while filtering by schedule or streaming.
const BATCH: usize = 200;

/// The ORUK API mounted at `mount` (`Config::oruk_mount`, `/oruk` by default).
pub fn routes(mount: &str) -> Router<AppState> {
    let at = |path: &str| format!("{mount}{path}");
    Router::new()
        .route(mount, get(meta))
        .route(&at("/"), get(meta))
        .route(&at("/services"), get(services::services))
        .route(&at("/services/{id}"), get(services::service))
        .route(
            &at("/service_at_locations"),
            get(locations::service_at_locations),
        )
        .route(
            &at("/service_at_locations/{id}"),
            get(locations::service_at_location),
        )
        .route(&at("/taxonomies"), get(taxonomies::taxonomies))
        .route(&at("/taxonomies/{id}"), get(taxonomies::taxonomy))
        .route(&at("/taxonomy_terms"), get(taxonomies::taxonomy_terms))
        .route(&at("/taxonomy_terms/{id}"), get(taxonomies::taxonomy_term))
        .route(
            &at("/{*rest}"),
            get(|| async { AppError::NotFound("no such ORUK endpoint".into()) }),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ))
}

async fn meta() -> Json<Value> {
    Json(json!({
        "version": "3.0",
        "profile": oruk::PROFILE_URI,
        "openapi_url": oruk::OPENAPI_URL,
    }))
}

fn parse_id(kind: &str, raw: &str) -> Result<Uuid> {
    raw.parse()
        .map_err(|_| AppError::NotFound(format!("{kind} '{raw}'")))
}

/// The ORUK paths for the OpenAPI document; their bodies are described by the ORUK 3.0 API
/// description this implements.
pub fn document_paths(doc: &mut utoipa::openapi::OpenApi, mount: &str) {
    use utoipa::openapi::{
        ContentBuilder, HttpMethod, ObjectBuilder, ResponseBuilder, Type, path::OperationBuilder,
    };
    for (path, summary) in [
        (
            "/",
            "API version, profile and the ORUK 3.0 description it implements",
        ),
        (
            "/services",
            "Page of services (one-to-one fields and organisation)",
        ),
        ("/services/{id}", "Fully nested service"),
        ("/service_at_locations", "Page of services at locations"),
        (
            "/service_at_locations/{id}",
            "Fully nested service at a location",
        ),
        ("/taxonomies", "Page of taxonomies"),
        ("/taxonomies/{id}", "One taxonomy"),
        ("/taxonomy_terms", "Page of taxonomy terms"),
        ("/taxonomy_terms/{id}", "One taxonomy term"),
    ] {
        let op = OperationBuilder::new()
            .tag("Open Referral UK 3.0")
            .summary(Some(summary))
            .description(Some(format!(
                "Open Referral UK 3.0; parameters and bodies as in {}",
                oruk::OPENAPI_URL
            )))
            .response(
                "200",
                ResponseBuilder::new().description(summary).content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(ObjectBuilder::new().schema_type(Type::Object)))
                        .build(),
                ),
            );
        let full = if path == "/" {
            format!("{mount}/")
        } else {
            format!("{mount}{path}")
        };
        doc.paths
            .add_path_operation(full, vec![HttpMethod::Get], op);
    }
}
