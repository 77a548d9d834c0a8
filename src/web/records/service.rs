//! `/services/{id}`: how to get help (who it is for, cost, languages), contact, where, opening
//! hours, and other services nearby in the same category.

use axum::extract::{Path, State};
use maud::{Markup, html};
use serde_json::json;
use uuid::Uuid;

use super::parts::{
    categories_line, checked, contact, location_block, paragraphs, place_ld, record_side,
    related_block, row,
};
use super::{head_for, load_public, nearby, organisation_of, public_many};
use crate::AppState;
use crate::domain::{Location, Service};
use crate::web::categories::Terms;
use crate::web::layout::{Breadcrumbs, page};
use crate::web::results::record_href;
use crate::web::{PageError, Visitor};

fn language_name(code: &str) -> &str {
    match code {
        "en" => "English",
        "ur" => "Urdu",
        "pl" => "Polish",
        "bn" => "Bengali",
        "pa" => "Punjabi",
        "ar" => "Arabic",
        "so" => "Somali",
        "ro" => "Romanian",
        "cy" => "Welsh",
        "gu" => "Gujarati",
        "zh" => "Chinese",
        "ku" => "Kurdish",
        "fa" => "Persian (Farsi)",
        "ti" => "Tigrinya",
        "uk" => "Ukrainian",
        "ps" => "Pashto",
        "es" => "Spanish",
        "fr" => "French",
        "pt" => "Portuguese",
        other => other,
    }
}

/// `GET /services/{id}`: the page of a published service, or "page not found".
pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let s: Service = load_public(&state, &id).await?;
    let sources = state
        .store
        .source_of(crate::domain::RecordKind::Service, s.id)
        .await?;
    let terms = Terms::load(&state).await?;
    let org = organisation_of(&state, s.organisation_id).await?;
    let locations = public_many::<Location>(&state, &s.location_ids).await?;
    let path = record_href("service", s.id);
    let first_category = s
        .categories
        .first()
        .and_then(|c| c.parse::<Uuid>().ok())
        .and_then(|id| terms.by_id(id));
    let related = match locations.first() {
        Some(l) => {
            nearby(
                &state,
                l.lon_lat(),
                first_category.map(|t| t.slug.as_str()),
                s.id,
            )
            .await
        }
        None => Vec::new(),
    };
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "Service",
        "name": s.name,
        "description": s.description,
        "url": format!("{}{path}", state.config.public_url()),
    });
    if let Some(o) = &org {
        ld["provider"] = json!({"@type": "Organization", "name": o.name, "url": format!("{}{}", state.config.public_url(), record_href("organisation", o.id))});
    }
    if !locations.is_empty() {
        ld["availableChannel"] = json!(
            locations
                .iter()
                .map(|l| json!({"@type": "ServiceChannel", "serviceLocation": place_ld(l)}))
                .collect::<Vec<_>>()
        );
    }
    if let Some(p) = &s.phone {
        ld["telephone"] = json!(p);
    }
    if s.free {
        ld["isAccessibleForFree"] = json!(true);
    }
    let crumbs: Vec<(&str, String)> = match first_category {
        Some(t) => vec![
            ("Home", "/".into()),
            ("Categories", "/categories".into()),
            (t.name.as_str(), format!("/categories/{}", t.slug)),
        ],
        None => vec![("Home", "/".into()), ("Search", "/search".into())],
    };
    let crumb_refs: Vec<(&str, &str)> = crumbs.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let ages = match (s.min_age, s.max_age) {
        (Some(a), Some(b)) => Some(format!("Ages {a} to {b}")),
        (Some(a), None) => Some(format!("Ages {a} and over")),
        (None, Some(b)) => Some(format!("Up to age {b}")),
        (None, None) => None,
    };
    let content = html! {
        (Breadcrumbs(&crumb_refs))
        span class="caption" { "Service" }
        h1 class="heading-l" { (s.name) }
        @if let Some(o) = &org {
            p class="run-by" { "Run by " a href=(record_href("organisation", o.id)) { (o.name) } }
        }
        @if s.status.as_str() != "active" {
            div class="warning" { strong { "This service is " (s.status.label().to_lowercase()) "." } }
        }
        (crate::web::shortlist::toggle(&visitor, "service", s.id, &s.name, &path))
        div class="record-layout" {
            div class="record-layout__main" {
                (paragraphs(&s.description))
                (categories_line(&terms, &s.categories))
                h2 class="heading-m" { "How to get help" }
                dl class="summary-list" {
                    @if !s.access.is_empty() {
                        (row("How to use it", html! { (s.access.iter().map(|a| a.label()).collect::<Vec<_>>().join(", ")) }))
                    }
                    @if let Some(e) = &s.eligibility { (row("Who it is for", html! { (e) })) }
                    @if let Some(a) = &ages { (row("Ages", html! { (a) })) }
                    (row("Cost", html! {
                        @if s.free { "Free" @if let Some(c) = &s.cost { ". " (c) } }
                        @else if let Some(c) = &s.cost { (c) }
                        @else { "Ask about costs" }
                    }))
                    @if !s.languages.is_empty() || s.bsl || s.interpreting {
                        (row("Languages", html! {
                            (s.languages.iter().map(|l| language_name(l)).collect::<Vec<_>>().join(", "))
                            @if s.bsl { br; "British Sign Language" }
                            @if s.interpreting { br; "Interpreters can be arranged" }
                        }))
                    }
                }
                h2 class="heading-m" { "Contact" }
                (contact(s.phone.as_deref(), s.email.as_deref(), s.website.as_deref()))
                @if s.phone.is_none() && s.email.is_none() && s.website.is_none() {
                    p { "Contact " @if let Some(o) = &org { a href=(record_href("organisation", o.id)) { (o.name) } } @else { "the organisation" } "." }
                }
                h2 class="heading-m" { "Where" }
                @if locations.is_empty() && s.service_areas.is_empty() {
                    p { "By phone or online: you can use it from anywhere." }
                }
                @if !s.service_areas.is_empty() {
                    p { "Covers: " (s.service_areas.iter().map(|a| a.name.clone().or_else(|| a.boundary_code.clone()).unwrap_or_default()).collect::<Vec<_>>().join(", ")) }
                }
                @for loc in &locations { (location_block(&state, loc)) }
            }
            (record_side(s.opening_hours.as_deref(), checked(&state, &s), &sources))
        }
        (crate::web::suggest::link(crate::domain::RecordKind::Service, s.id))
        (related_block(&related, &terms, &visitor, &path))
    };
    Ok(page(
        head_for(&state, &s.name, &path, ld),
        &visitor.badge(),
        content,
    ))
}
