//! `/taxonomies`, `/taxonomies/{id}`, `/taxonomy_terms` (`taxonomy_id`, `parent_id`,
//! `top_only`) and `/taxonomy_terms/{id}`.

use axum::{
    Json,
    extract::{Path, RawQuery, State},
};
use serde_json::Value;

use super::params::{Params, page, page_slice};
use super::parse_id;
use crate::AppState;
use crate::domain::TaxonomyTerm;
use crate::error::{AppError, Result};
use crate::oruk::hsds;

pub(super) async fn taxonomies(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>> {
    let p = Params::read(raw);
    let (page_number, per_page) = p.paging()?;
    let all = state.store.taxonomies().await?;
    let contents = page_slice(&all, page_number, per_page)
        .iter()
        .map(hsds::taxonomy)
        .collect();
    Ok(Json(page(contents, all.len(), page_number, per_page)))
}

pub(super) async fn taxonomy(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>> {
    let id = parse_id("taxonomy", &id)?;
    let t = state
        .store
        .taxonomies()
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| AppError::NotFound(format!("taxonomy {id}")))?;
    Ok(Json(hsds::taxonomy(&t)))
}

async fn term_context(state: &AppState) -> Result<hsds::Related> {
    state
        .store
        .oruk_term_context(&state.config.public_url())
        .await
}

pub(super) async fn taxonomy_terms(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>> {
    let p = Params::read(raw);
    let (page_number, per_page) = p.paging()?;
    let ids = state
        .store
        .oruk_term_ids(
            p.uuid("taxonomy_id")?,
            p.uuid("parent_id")?,
            p.flag("top_only")?,
        )
        .await?;
    let rel = term_context(&state).await?;
    let terms = state
        .store
        .public_many::<TaxonomyTerm>(&page_slice(&ids, page_number, per_page))
        .await?;
    let contents = terms.iter().map(|t| hsds::taxonomy_term(t, &rel)).collect();
    Ok(Json(page(contents, ids.len(), page_number, per_page)))
}

pub(super) async fn taxonomy_term(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>> {
    let id = parse_id("taxonomy term", &id)?;
    let rel = term_context(&state).await?;
    let term = state
        .store
        .public_many::<TaxonomyTerm>(&[id])
        .await?
        .pop()
        .ok_or_else(|| AppError::NotFound(format!("taxonomy term {id}")))?;
    Ok(Json(hsds::taxonomy_term(&term, &rel)))
}
