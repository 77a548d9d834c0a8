//! The pieces every record page is built from: paragraphs, summary rows, contact links,
//! opening hours, a location with its small map, "last checked", categories, the nearby list,
//! and schema.org addresses. Pure functions of plain values.

use chrono::Utc;
use maud::{Markup, html};
use serde_json::json;
use uuid::Uuid;

use crate::AppState;
use crate::api::search::SearchItem;
use crate::domain::Location;
use crate::store::RecordSource;
use crate::web::categories::Terms;
use crate::web::layout::date;
use crate::web::results::{ResultOptions, result_list};
use crate::web::{Visitor, hours};

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

pub fn paragraphs(text: &str) -> Markup {
    html! {
        @for p in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
            p { (p) }
        }
    }
}

pub fn row(key: &str, value: Markup) -> Markup {
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

pub fn location_block(state: &AppState, loc: &Location) -> Markup {
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

/// When a record was last checked ("still correct", or its creation) and, when its review is
/// overdue, for how many whole months.
#[derive(Debug, Clone, Copy)]
pub struct Checked {
    pub at: chrono::DateTime<Utc>,
    pub overdue_months: Option<u32>,
}

/// How `record` stands against its kind's review interval now.
pub fn checked<R: crate::domain::Record>(state: &AppState, record: &R) -> Option<Checked> {
    use crate::domain::freshness::{Standing, months_since};
    let meta = record.meta()?;
    let at = meta.last_verified_at.unwrap_or(meta.created_at);
    let now = Utc::now();
    let overdue = state.config.reviews().standing(R::KIND, at, now) != Standing::Fresh;
    Some(Checked {
        at,
        overdue_months: overdue.then(|| months_since(at, now)),
    })
}

/// "Last checked": the date, and for an overdue record a prominent warning of how long ago.
pub fn last_checked(checked: Option<Checked>) -> Markup {
    html! {
        @match checked {
            Some(Checked { at, overdue_months: Some(months) }) => {
                div class="warning last-checked last-checked--overdue" {
                    strong { "Last checked " (months) " month" @if months != 1 { "s" } " ago" }
                    " (" (date(at)) "). This information may be out of date: check with them before you travel."
                }
            }
            Some(Checked { at, overdue_months: None }) => {
                p class="last-checked" { "Last checked: " strong { (date(at)) } ". Check with them before you travel." }
            }
            None => {
                p class="last-checked" { "Not yet checked. Check with them before you travel." }
            }
        }
    }
}

/// Licences the register's own: a source under one of these needs no separate credit here.
const REGISTER_LICENCES: &[&str] = &["OGL-UK-3.0", "OGL-3.0", "Open Government Licence v3.0"];

/// Where an imported record came from, when its licence differs from the register's own:
/// the source, its licence and the credit it asks for.
pub fn source_credit(sources: &[RecordSource]) -> Markup {
    let shown: Vec<&RecordSource> = sources
        .iter()
        .filter(|s| {
            s.source
                .licence
                .as_deref()
                .is_some_and(|l| !REGISTER_LICENCES.iter().any(|r| r.eq_ignore_ascii_case(l)))
        })
        .collect();
    html! {
        @for s in shown {
            p class="source-credit" {
                "Source: " (s.source.name)
                @if let Some(l) = &s.source.licence { ", licence " (l) }
                @if let Some(a) = &s.source.attribution { ". " (a) }
                ". " a href="/data" { "About the data" }
            }
        }
    }
}

/// The side column of a service or space page: hours, when it was last checked, and its
/// source's credit.
pub fn record_side(
    opening_hours_text: Option<&str>,
    verified: Option<Checked>,
    sources: &[RecordSource],
) -> Markup {
    html! {
        div class="record-layout__side" {
            h2 class="heading-m" { "Opening hours" }
            (opening_hours(opening_hours_text))
            (last_checked(verified))
            (source_credit(sources))
        }
    }
}

pub fn categories_line(terms: &Terms, categories: &[String]) -> Markup {
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

pub fn related_block(
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

pub fn postal_address(loc: &Location) -> serde_json::Value {
    let mut a =
        json!({"@type": "PostalAddress", "addressLocality": loc.town, "addressCountry": "GB"});
    if !loc.postcode.is_empty() {
        a["postalCode"] = json!(loc.postcode);
    }
    if let Some(street) = &loc.address_1 {
        a["streetAddress"] = json!(street);
    }
    a
}

pub fn place_ld(loc: &Location) -> serde_json::Value {
    json!({
        "@type": "Place",
        "name": loc.name,
        "address": postal_address(loc),
        "geo": {"@type": "GeoCoordinates", "latitude": loc.latitude, "longitude": loc.longitude},
    })
}
