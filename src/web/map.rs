//! `/map?…`: any result set on a map. The page is the list (the primary view, and all there
//! is without JavaScript) plus a map that `static/map.js` draws from `/api/v1/search.geojson`
//! with the same parameters: tiles from the configured tile server, clustered markers that
//! are buttons, popups that link to record pages. Without tiles (offline) the markers still
//! show on a plain background.

use axum::{
    Router,
    extract::{RawQuery, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
};
use maud::html;

use super::categories::Terms;
use super::layout::{Head, error_summary, page};
use super::params::Params;
use super::results::{Outcome, ResultOptions, result_list, run};
use super::{PageError, Visitor};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/map", get(map_page))
}

/// Most records the map asks for at once (the API's page size limit).
const MAP_LIMIT: &str = "200";

async fn map_page(
    State(state): State<AppState>,
    visitor: Visitor,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let params = Params::from_raw(raw.as_deref().unwrap_or_default());
    let terms = Terms::load(&state).await?;
    let outcome = run(&state, &params).await?;
    let geojson = params
        .without("per_page", None)
        .with("per_page", MAP_LIMIT)
        .href("/api/v1/search.geojson");
    let list_href = params.href("/search");
    let (status, content) = match outcome {
        Outcome::Invalid(errors) => (
            StatusCode::BAD_REQUEST,
            html! {
                (error_summary(&errors))
                h1 class="heading-l" { "Map" }
                p { a href=(list_href) { "Go back to the search to correct it" } }
            },
        ),
        Outcome::Found(body) => (
            StatusCode::OK,
            html! {
                h1 class="heading-l" { "Map of results" }
                p class="results-count" {
                    @if body.total == 1 { "1 result" } @else { (body.total) " results" }
                    @if let Some(n) = params.get("near") { " near " (n) }
                    " · " a href=(list_href) { "Back to the list and filters" }
                }
                @if body.total > 200 {
                    p class="inset-text" { "The map shows the first 200. Narrow the search to see the rest on the map." }
                }
                div class="map" id="map" data-geojson=(geojson)
                    data-tiles=[state.config.tiles()] data-attribution=(state.config.tile_attribution) {
                    p class="map__fallback" { "The map needs JavaScript. The list below has the same results." }
                }
                p class="hint map-help" {
                    "On the map: use Tab to move between places, Enter to open one, arrow keys to move the map, and + or − to zoom."
                }
                h2 class="heading-m" { "The same results as a list" }
                (result_list(&body.items, &terms, &visitor, &ResultOptions { return_to: params.href("/map") }))
                @if body.total > body.items.len() as u64 {
                    p { a href=(list_href) { "See all " (body.total) " results in the list" } }
                }
            },
        ),
    };
    let head = Head {
        noindex: true,
        map_script: true,
        ..Head::titled("Map of results")
    };
    Ok((status, page(head, &visitor.badge(), content)).into_response())
}
