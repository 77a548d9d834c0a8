//! `/assets/{id}`: a publicly owned building or piece of land, its community use and owner.

use axum::extract::{Path, State};
use maud::{Markup, html};
use serde_json::json;

use super::parts::{last_checked, mini_map, paragraphs, related_block, row, source_credit};
use super::{head_for, load_public, nearby, organisation_of};
use crate::AppState;
use crate::domain::{Asset, Record};
use crate::web::categories::Terms;
use crate::web::layout::{Breadcrumbs, page};
use crate::web::results::record_href;
use crate::web::{PageError, Visitor};

/// `GET /assets/{id}`: the page of a published asset, or "page not found".
pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let a: Asset = load_public(&state, &id).await?;
    let sources = state
        .store
        .source_of(crate::domain::RecordKind::Asset, a.id)
        .await?;
    let terms = Terms::load(&state).await?;
    let owner = organisation_of(&state, a.owner_organisation_id).await?;
    let path = record_href("asset", a.id);
    let point = a.own_point();
    let related = match point {
        Some(p) => nearby(&state, p, None, a.id).await,
        None => Vec::new(),
    };
    let lines: Vec<&String> = [&a.address_1, &a.address_2, &a.town, &a.postcode]
        .into_iter()
        .flatten()
        .collect();
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "Place",
        "name": a.name,
        "url": format!("{}{path}", state.config.public_url()),
    });
    if let Some(d) = &a.description {
        ld["description"] = json!(d);
    }
    if let Some((lon, lat)) = point {
        ld["geo"] = json!({"@type": "GeoCoordinates", "latitude": lat, "longitude": lon});
    }
    if let Some(pc) = &a.postcode {
        ld["address"] = json!({"@type": "PostalAddress", "streetAddress": a.address_1, "addressLocality": a.town, "postalCode": pc, "addressCountry": "GB"});
    }
    let content = html! {
        (Breadcrumbs(&[("Home", "/"), ("Land and buildings", "/search?kind=asset")]))
        span class="caption" { "Public land or building" }
        h1 class="heading-l" { (a.name) }
        @if let Some(o) = &owner {
            p class="run-by" { "Owned by " a href=(record_href("organisation", o.id)) { (o.name) } }
        }
        (crate::web::shortlist::toggle(&visitor, "asset", a.id, &a.name, &path))
        @if let Some(d) = &a.description { (paragraphs(d)) }
        dl class="summary-list" {
            (row("Community use", html! { (a.community_use.label()) }))
            @if let Some(u) = &a.current_use { (row("Used as", html! { (u) })) }
            @if let Some(t) = a.tenure { (row("Tenure", html! { (t.label()) })) }
            @if !lines.is_empty() {
                (row("Address", html! { @for (i, l) in lines.iter().enumerate() { @if i > 0 { br; } (l) } }))
            }
            @if let Some(u) = &a.uprn { (row("UPRN", html! { (u) })) }
            @if let Some(r) = &a.asset_reference { (row("Owner's reference", html! { (r) })) }
        }
        @if let Some(p) = point { (mini_map(&state, p, &a.name, false)) }
        (last_checked(a.last_verified_at))
        (source_credit(&sources))
        (crate::web::suggest::link(crate::domain::RecordKind::Asset, a.id))
        (related_block(&related, &terms, &visitor, &path))
    };
    Ok(page(
        head_for(&state, &a.name, &path, ld),
        &visitor.badge(),
        content,
    ))
}
