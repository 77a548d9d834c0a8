//! `/spaces/{id}`: a room, hall or pitch — what it holds, what it costs, how to book, where.

use axum::extract::{Path, State};
use maud::{Markup, html};
use serde_json::json;

use super::parts::{
    categories_line, checked, contact, location_block, paragraphs, postal_address, record_side,
    related_block, row,
};
use super::{head_for, load_public, nearby, organisation_of, public_many};
use crate::AppState;
use crate::domain::{Location, Space};
use crate::web::categories::Terms;
use crate::web::layout::{Breadcrumbs, page};
use crate::web::results::record_href;
use crate::web::{PageError, Visitor};

/// `GET /spaces/{id}`: the page of a published space, or "page not found".
pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let s: Space = load_public(&state, &id).await?;
    let sources = state
        .store
        .source_of(crate::domain::RecordKind::Space, s.id)
        .await?;
    let terms = Terms::load(&state).await?;
    let org = organisation_of(&state, s.organisation_id).await?;
    let location = public_many::<Location>(&state, &[s.location_id])
        .await?
        .pop();
    let path = record_href("space", s.id);
    let related = match &location {
        Some(l) => nearby(&state, l.lon_lat(), None, s.id).await,
        None => Vec::new(),
    };
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "Place",
        "name": s.name,
        "url": format!("{}{path}", state.config.public_url()),
    });
    if let Some(d) = &s.description {
        ld["description"] = json!(d);
    }
    if let Some(l) = &location {
        ld["address"] = postal_address(l);
        ld["geo"] =
            json!({"@type": "GeoCoordinates", "latitude": l.latitude, "longitude": l.longitude});
    }
    if let Some(c) = s.capacity {
        ld["maximumAttendeeCapacity"] = json!(c);
    }
    if let Some(p) = &s.phone {
        ld["telephone"] = json!(p);
    }
    let content = html! {
        (Breadcrumbs(&[("Home", "/"), ("Spaces", "/search?kind=space")]))
        span class="caption" { (s.space_type.label()) }
        h1 class="heading-l" { (s.name) }
        @if let Some(o) = &org {
            p class="run-by" { "Run by " a href=(record_href("organisation", o.id)) { (o.name) } }
        }
        (crate::web::shortlist::toggle(&visitor, "space", s.id, &s.name, &path))
        div class="record-layout" {
            div class="record-layout__main" {
                @if let Some(d) = &s.description { (paragraphs(d)) }
                (categories_line(&terms, &s.categories))
                h2 class="heading-m" { "About the space" }
                dl class="summary-list" {
                    @if let Some(c) = s.capacity { (row("Holds", html! { "Up to " (c) " people" })) }
                    (row("Cost", html! {
                        @if s.free { "Free to use" } @else if let Some(p) = &s.price { (p) } @else { "Ask about prices" }
                    }))
                    @if !s.facilities.is_empty() {
                        (row("Facilities", html! { (s.facilities.iter().map(|f| f.label()).collect::<Vec<_>>().join(", ")) }))
                    }
                    @if !s.accessibility.is_empty() {
                        (row("Accessibility", html! { (s.accessibility.iter().map(|a| a.label()).collect::<Vec<_>>().join(", ")) }))
                    }
                }
                h2 class="heading-m" id="how-to-book" { "How to book" }
                @if let Some(h) = &s.how_to_book { p { (h) } }
                @if let Some(u) = &s.booking_url { p { a class="button" href=(u) { "Book online" } } }
                (contact(s.phone.as_deref(), s.email.as_deref(), None))
                h2 class="heading-m" { "Where" }
                @if let Some(l) = &location { (location_block(&state, l)) }
            }
            (record_side(s.opening_hours.as_deref(), checked(&state, &s), &sources))
        }
        (crate::web::suggest::link(crate::domain::RecordKind::Space, s.id))
        (related_block(&related, &terms, &visitor, &path))
    };
    Ok(page(
        head_for(&state, &s.name, &path, ld),
        &visitor.badge(),
        content,
    ))
}
