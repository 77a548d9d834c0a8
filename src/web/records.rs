//! Record pages: `/services/{id}`, `/spaces/{id}`, `/organisations/{id}`, `/assets/{id}`.
//! Everything a person needs to act — how to get there, book, refer or contact; opening hours
//! with "open now"; accessibility; cost; who runs it; when it was last checked; a small map;
//! related records nearby — from the record's public view only, with schema.org JSON-LD.

use axum::{
    Router,
    extract::{Path, State},
    routing::get,
};
use chrono::Utc;
use maud::{Markup, html};
use serde_json::json;
use uuid::Uuid;

use super::categories::Terms;
use super::layout::{Breadcrumbs, Head, date, enc, page};
use super::results::{ResultOptions, record_href, result_list};
use super::{PageError, Visitor, hours};
use crate::AppState;
use crate::api::search::SearchItem;
use crate::domain::{
    Asset, Location, Organisation, Publication, Record, RecordKind, Service, Space,
};
use crate::error::AppError;
use crate::store::Stored;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/services/{id}", get(service_page))
        .route("/spaces/{id}", get(space_page))
        .route("/organisations/{id}", get(organisation_page))
        .route("/assets/{id}", get(asset_page))
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

async fn organisation_of(state: &AppState, id: Uuid) -> Result<Option<Organisation>, PageError> {
    Ok(public_many::<Organisation>(state, &[id]).await?.pop())
}

/// Lines of a location's public address. A hidden address has only its postcode district.
pub fn address_lines(loc: &Location) -> Vec<String> {
    [&loc.address_1, &loc.address_2]
        .into_iter()
        .flatten()
        .cloned()
        .chain([loc.town.clone(), loc.postcode.clone()])
        .filter(|s| !s.is_empty())
        .collect()
}

fn paragraphs(text: &str) -> Markup {
    html! {
        @for p in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            p { (p) }
        }
    }
}

fn row(key: &str, value: Markup) -> Markup {
    html! {
        div class="summary-list__row" {
            dt class="summary-list__key" { (key) }
            dd class="summary-list__value" { (value) }
        }
    }
}

/// Phone, email and website as links.
pub fn contact(phone: Option<&str>, email: Option<&str>, website: Option<&str>) -> Markup {
    html! {
        @if phone.is_some() || email.is_some() || website.is_some() {
            dl class="summary-list" {
                @if let Some(p) = phone {
                    (row("Phone", html! { a href={ "tel:" (p.replace(' ', "")) } { (p) } }))
                }
                @if let Some(e) = email {
                    (row("Email", html! { a href={ "mailto:" (e) } { (e) } }))
                }
                @if let Some(w) = website {
                    (row("Website", html! { a href=(w) { (w.trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/')) } }))
                }
            }
        }
    }
}

/// Opening hours: open now / opens at, then the week.
pub fn opening_hours(raw: Option<&str>) -> Markup {
    let now = Utc::now();
    html! {
        @if let Some(raw) = raw {
            @if let Some(s) = hours::status(raw, now) {
                p class={ "open-status open-status--large " @if s.open { "open-status--open" } @else { "open-status--closed" } } { (s.text) }
            }
            @match hours::week_grouped(raw, now) {
                Some(week) => {
                    table class="hours-table" {
                        caption class="visually-hidden" { "Opening hours" }
                        tbody {
                            @for (day, text) in &week {
                                tr { th scope="row" { (day) } td { (text) } }
                            }
                        }
                    }
                    @if let Some(ph) = hours::bank_holidays(raw) { p { (ph) } }
                }
                None => p { (raw) },
            }
        } @else {
            p { "Opening hours are not listed. Contact them before you go." }
        }
    }
}

/// The small map of a point, drawn by the map script; a link to OpenStreetMap without it.
pub fn mini_map(
    state: &AppState,
    (lon, lat): (f64, f64),
    label: &str,
    approximate: bool,
) -> Markup {
    let zoom = if approximate { 13 } else { 16 };
    html! {
        div class="mini-map" data-map-point={ (lon) "," (lat) } data-map-label=(label) data-map-zoom=(zoom)
            data-tiles=[state.config.tiles()] data-attribution=(state.config.tile_attribution) {
            p {
                a href={ "https://www.openstreetmap.org/?mlat=" (lat) "&mlon=" (lon) "#map=" (zoom) "/" (lat) "/" (lon) } {
                    "See " (label) " on OpenStreetMap"
                }
                @if approximate { " (approximate area)" }
            }
        }
    }
}

fn location_block(state: &AppState, loc: &Location) -> Markup {
    html! {
        div class="location" {
            h3 class="heading-s" { (loc.name) }
            @if loc.hide_address {
                p { "The exact address is not published, to keep the people who use it safe. Area: " (address_lines(loc).join(", ")) "." }
                p { "Contact them to find out how to get there." }
            } @else {
                p class="address" {
                    @for (i, line) in address_lines(loc).iter().enumerate() {
                        @if i > 0 { br; }
                        (line)
                    }
                }
                p { a href={ "https://www.openstreetmap.org/directions?to=" (loc.latitude) "%2C" (loc.longitude) } { "Directions to " (loc.name) } }
            }
            @if !loc.accessibility.is_empty() {
                h4 class="heading-xs" { "Accessibility" }
                ul class="list-bullet" {
                    @for a in &loc.accessibility { li { (a.label()) } }
                }
            }
            (mini_map(state, loc.lon_lat(), &loc.name, loc.hide_address))
        }
    }
}

fn last_checked(at: Option<chrono::DateTime<Utc>>) -> Markup {
    html! {
        p class="last-checked" {
            @match at {
                Some(at) => { "Last checked: " strong { (date(at)) } ". Check with them before you travel." }
                None => { "Not yet checked. Check with them before you travel." }
            }
        }
    }
}

fn categories_line(terms: &Terms, categories: &[String]) -> Markup {
    html! {
        @if !categories.is_empty() {
            ul class="tag-list" aria-label="Categories" {
                @for c in categories {
                    @let slug = c.parse::<Uuid>().ok().and_then(|id| terms.by_id(id)).map_or(c.as_str(), |t| t.slug.as_str());
                    li { a class="tag tag--link" href={ "/categories/" (slug) } { (terms.name(c)) } }
                }
            }
        }
    }
}

/// Up to five other records near `point`, in the first category when there is one.
async fn nearby(
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

fn related_block(
    items: &[SearchItem],
    terms: &Terms,
    visitor: &Visitor,
    return_to: &str,
) -> Markup {
    html! {
        @if !items.is_empty() {
            section class="related" aria-labelledby="related" {
                h2 class="heading-m" id="related" { "Nearby" }
                (result_list(items, terms, visitor, &ResultOptions { return_to: return_to.to_owned() }))
            }
        }
    }
}

fn head_for(state: &AppState, title: &str, path: &str, ld: serde_json::Value) -> Head {
    Head {
        canonical: Some(format!("{}{path}", state.config.public_url())),
        json_ld: Some(ld),
        map_script: true,
        ..Head::titled(title)
    }
}

fn postal_address(loc: &Location) -> serde_json::Value {
    let mut a = json!({"@type": "PostalAddress", "addressLocality": loc.town, "postalCode": loc.postcode, "addressCountry": "GB"});
    if let Some(street) = &loc.address_1 {
        a["streetAddress"] = json!(street);
    }
    a
}

fn place_ld(loc: &Location) -> serde_json::Value {
    json!({
        "@type": "Place",
        "name": loc.name,
        "address": postal_address(loc),
        "geo": {"@type": "GeoCoordinates", "latitude": loc.latitude, "longitude": loc.longitude},
    })
}

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

async fn service_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let s: Service = load_public(&state, &id).await?;
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
        (super::shortlist::toggle(&visitor, "service", s.id, &s.name, &path))
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
            div class="record-layout__side" {
                h2 class="heading-m" { "Opening hours" }
                (opening_hours(s.opening_hours.as_deref()))
                (last_checked(s.last_verified_at))
            }
        }
        (related_block(&related, &terms, &visitor, &path))
    };
    Ok(page(
        head_for(&state, &s.name, &path, ld),
        &visitor.badge(),
        content,
    ))
}

async fn space_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let s: Space = load_public(&state, &id).await?;
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
        (super::shortlist::toggle(&visitor, "space", s.id, &s.name, &path))
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
                h2 class="heading-m" { "How to book" }
                @if let Some(h) = &s.how_to_book { p { (h) } }
                @if let Some(u) = &s.booking_url { p { a class="button" href=(u) { "Book online" } } }
                (contact(s.phone.as_deref(), s.email.as_deref(), None))
                h2 class="heading-m" { "Where" }
                @if let Some(l) = &location { (location_block(&state, l)) }
            }
            div class="record-layout__side" {
                h2 class="heading-m" { "Opening hours" }
                (opening_hours(s.opening_hours.as_deref()))
                (last_checked(s.last_verified_at))
            }
        }
        (related_block(&related, &terms, &visitor, &path))
    };
    Ok(page(
        head_for(&state, &s.name, &path, ld),
        &visitor.badge(),
        content,
    ))
}

async fn organisation_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let o: Organisation = load_public(&state, &id).await?;
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
        (super::shortlist::toggle(&visitor, "organisation", o.id, &o.name, &path))
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
        (last_checked(o.last_verified_at))
    };
    Ok(page(
        head_for(&state, &o.name, &path, ld),
        &visitor.badge(),
        content,
    ))
}

async fn asset_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Markup, PageError> {
    let a: Asset = load_public(&state, &id).await?;
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
        (super::shortlist::toggle(&visitor, "asset", a.id, &a.name, &path))
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
        (related_block(&related, &terms, &visitor, &path))
    };
    Ok(page(
        head_for(&state, &a.name, &path, ld),
        &visitor.badge(),
        content,
    ))
}
