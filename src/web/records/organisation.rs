//! `/organisations/{id}`: who they are, how to contact them, and their services, spaces and
//! land or buildings.

use axum::extract::{Path, State};
use maud::{Markup, html};
use serde_json::json;
use uuid::Uuid;

use super::parts::{checked, contact, last_checked, paragraphs, source_credit};
use super::{head_for, load_public, public_many};
use crate::AppState;
use crate::domain::{Asset, Organisation, RecordKind, Service, Space};
use crate::web::layout::{Breadcrumbs, page};
use crate::web::results::record_href;
use crate::web::{PageError, Visitor};

/// `GET /organisations/{id}`: the page of a published organisation, or "page not found".
pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let o: Organisation = load_public(&state, &id).await?;
    let sources = state
        .store
        .source_of(crate::domain::RecordKind::Organisation, o.id)
        .await?;
    let dependants =
        crate::store::records::dependants_of(&state.store, RecordKind::Organisation, o.id).await?;
    let ids = |kind: RecordKind| -> Vec<Uuid> {
        dependants
            .iter()
            .filter(|d| d.kind == kind)
            .map(|d| d.id)
            .collect()
    };
    let services = public_many::<Service>(&state, &ids(RecordKind::Service)).await?;
    let spaces = public_many::<Space>(&state, &ids(RecordKind::Space)).await?;
    let assets = public_many::<Asset>(&state, &ids(RecordKind::Asset)).await?;
    let path = record_href("organisation", o.id);
    let mut ld = json!({
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": o.name,
        "description": o.description,
        "url": format!("{}{path}", state.config.public_url()),
    });
    if let Some(w) = &o.website {
        ld["sameAs"] = json!(w);
    }
    if let Some(p) = &o.phone {
        ld["telephone"] = json!(p);
    }
    if let Some(e) = &o.email {
        ld["email"] = json!(e);
    }
    let list = |items: Vec<(String, String, String)>| {
        html! {
            ul class="record-list" {
                @for (href, name, extra) in &items {
                    li { a href=(href) { (name) } @if !extra.is_empty() { span class="record-list__extra" { " – " (extra) } } }
                }
            }
        }
    };
    let content = html! {
        (Breadcrumbs(&[("Home", "/"), ("Organisations", "/search?kind=organisation")]))
        span class="caption" { (o.org_type.label()) }
        h1 class="heading-l" { (o.name) }
        (crate::web::shortlist::toggle(&visitor, "organisation", o.id, &o.name, &path))
        (paragraphs(&o.description))
        @if let Some(i) = &o.identifier { p { "Registration number: " (i) } }
        h2 class="heading-m" { "Contact" }
        (contact(o.phone.as_deref(), o.email.as_deref(), o.website.as_deref()))
        @if !services.is_empty() {
            h2 class="heading-m" { "Services (" (services.len()) ")" }
            (list(services.iter().map(|s| (record_href("service", s.id), s.name.clone(), crate::search::card::summarise(&s.description).chars().take(90).collect::<String>())).collect()))
        }
        @if !spaces.is_empty() {
            h2 class="heading-m" { "Spaces (" (spaces.len()) ")" }
            (list(spaces.iter().map(|s| (record_href("space", s.id), s.name.clone(), s.space_type.label().to_owned())).collect()))
        }
        @if !assets.is_empty() {
            h2 class="heading-m" { "Land and buildings (" (assets.len()) ")" }
            (list(assets.iter().map(|a| (record_href("asset", a.id), a.name.clone(), a.community_use.label().to_owned())).collect()))
        }
        (last_checked(checked(&state, &o)))
        (source_credit(&sources))
        (crate::web::suggest::link(crate::domain::RecordKind::Organisation, o.id))
    };
    Ok(page(
        head_for(&state, &o.name, &path, ld),
        &visitor.badge(),
        content,
    ))
}
