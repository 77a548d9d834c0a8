//! Record pages: `/services/{id}`, `/spaces/{id}`, `/organisations/{id}`, `/assets/{id}`.
//! Everything a person needs to act — how to get there, book, refer or contact; opening hours
//! with "open now"; accessibility; cost; who runs it; when it was last checked; a small map;
//! related records nearby — from the record's public view only, with schema.org JSON-LD.
//!
//! One file per kind of record; [`parts`] has the pieces they share (contact details, opening
//! hours, a location with its small map, JSON-LD addresses).

mod asset;
mod organisation;
pub mod parts;
mod service;
mod space;

use axum::{Router, routing::get};
use uuid::Uuid;

use super::PageError;
use super::layout::{Head, enc};
use crate::AppState;
use crate::api::search::SearchItem;
use crate::domain::{Organisation, Publication};
use crate::error::AppError;
use crate::store::Stored;

pub use parts::{address_lines, contact};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/services/{id}", get(service::show))
        .route("/spaces/{id}", get(space::show))
        .route("/organisations/{id}", get(organisation::show))
        .route("/assets/{id}", get(asset::show))
}

/// A published record in its public view, or "page not found".
pub async fn load_public<R: Stored>(state: &AppState, raw_id: &str) -> Result<R, PageError> {
    let not_found = || PageError::from(AppError::NotFound(format!("{} {raw_id}", R::KIND.label())));
    let id: Uuid = raw_id.parse().map_err(|_| not_found())?;
    let mut record = state.store.get::<R>(id).await?.ok_or_else(not_found)?;
    if record.publication() != Publication::Published {
        return Err(not_found());
    }
    record.make_public();
    Ok(record)
}

/// Published records by id, in their public view.
pub async fn public_many<R: Stored>(state: &AppState, ids: &[Uuid]) -> Result<Vec<R>, PageError> {
    Ok(state
        .store
        .get_many::<R>(ids)
        .await?
        .into_iter()
        .filter(|r| r.publication() == Publication::Published)
        .map(|mut r| {
            r.make_public();
            r
        })
        .collect())
}

pub async fn organisation_of(
    state: &AppState,
    id: Uuid,
) -> Result<Option<Organisation>, PageError> {
    Ok(public_many::<Organisation>(state, &[id]).await?.pop())
}

/// Up to five other records near `point`, in the first category when there is one.
pub async fn nearby(
    state: &AppState,
    point: (f64, f64),
    category: Option<&str>,
    exclude: Uuid,
) -> Vec<SearchItem> {
    let mut query = format!(
        "near={}%2C{}&radius=2000&per_page=6&remote=false",
        point.1, point.0
    );
    if let Some(c) = category {
        query.push_str(&format!("&category={}", enc(c)));
    }
    match crate::api::search::run(state, Some(query)).await {
        Ok((body, _)) => body
            .items
            .into_iter()
            .filter(|i| i.id != exclude)
            .take(5)
            .collect(),
        Err(e) => {
            tracing::warn!(error = %e, "related records");
            Vec::new()
        }
    }
}

pub fn head_for(state: &AppState, title: &str, path: &str, ld: serde_json::Value) -> Head {
    Head {
        canonical: Some(format!("{}{path}", state.config.public_url())),
        json_ld: Some(ld),
        map_script: true,
        ..Head::titled(title)
    }
}
