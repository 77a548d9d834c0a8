//! The JSON API under `/api/v1`, plus `/healthz`, `/readyz` and `/api/openapi.json`.
//! Handlers are thin: extract, call the store or search, return JSON.

mod acv;
mod export;
pub(crate) mod extract;
mod feeds;
mod geography;
mod health;
pub mod openapi;
mod oruk;
pub(crate) mod places;
mod records;
pub(crate) mod search;
mod search_formats;
mod search_openapi;
mod taxonomies;
pub(crate) mod transfer_cases;
mod transparency;

use axum::Router;

use crate::AppState;
use crate::domain::{Asset, Location, Organisation, Service, Space, TaxonomyTerm};

pub use extract::{Auth, Editor, Page, PageQuery, Staff};

/// Every API route; the ORUK API at `config.oruk_mount()`.
pub fn router(config: &crate::Config) -> Router<AppState> {
    Router::new()
        .merge(records::routes::<Organisation>())
        .merge(records::routes::<Location>())
        .merge(records::routes::<Service>())
        .merge(records::routes::<Space>())
        .merge(records::routes::<Asset>())
        .merge(records::routes::<TaxonomyTerm>())
        .merge(taxonomies::routes())
        .merge(transfer_cases::routes())
        .merge(search::routes())
        .merge(export::routes())
        .merge(transparency::routes())
        .merge(acv::routes())
        .merge(geography::routes())
        .merge(oruk::routes(config.oruk_mount()))
        .merge(feeds::routes())
        .merge(health::routes())
        .merge(openapi::routes())
        .fallback(|| async { crate::AppError::NotFound("no such page or API route".into()) })
}
