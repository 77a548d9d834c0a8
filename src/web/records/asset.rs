//! `/assets/{id}`: a publicly owned building or piece of land, its community use and owner,
//! what it is and costs (every asset field is public), and the spaces in it that can be hired.

use axum::extract::{Path, State};
use maud::{Markup, html};
use serde_json::json;

use super::parts::{
    checked, last_checked, mini_map, paragraphs, related_block, row, source_credit,
};
use super::{head_for, load_public, nearby, organisation_of};
use crate::AppState;
use crate::domain::vocab::{CommunityUse, TransferTerms};
use crate::domain::{Asset, Record, Space};
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
    let acv = crate::web::acv::asset_block(&state, a.id).await?;
    let path = record_href("asset", a.id);
    let point = a.own_point();
    let related = match point {
        Some(p) => nearby(&state, p, None, a.id).await,
        None => Vec::new(),
    };
    let street = a.street_line();
    let lines: Vec<&String> = [&street, &a.address_2, &a.town, &a.postcode]
        .into_iter()
        .flatten()
        .collect();
    let space_ids: Vec<uuid::Uuid> = crate::store::links::spaces_of_asset(&state.store.db, a.id)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect();
    let mut spaces: Vec<Space> = super::public_many(&state, &space_ids).await?;
    spaces.sort_by(|x, y| x.name.cmp(&y.name));
    let recipient = match a
        .transfer
        .as_ref()
        .and_then(|t| t.recipient_organisation_id)
    {
        Some(id) => organisation_of(&state, id).await?,
        None => None,
    };
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
        ld["address"] = json!({"@type": "PostalAddress", "streetAddress": street, "addressLocality": a.town, "postalCode": pc, "addressCountry": "GB"});
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
        (details(&a, &lines))
        (community_use(&a, recipient.as_ref()))
        @if !spaces.is_empty() {
            h2 class="heading-m" { "Spaces to hire here" }
            ul class="record-list" {
                @for s in &spaces {
                    li {
                        a href=(record_href("space", s.id)) { (s.name) }
                        @if let Some(c) = s.capacity { span class="record-list__extra" { " – up to " (c) " people" } }
                    }
                }
            }
        }
        (crate::web::transfer::asset_section(&state, &a).await?)
        (acv)
        @if let Some(p) = point { (mini_map(&state, p, &a.name, false)) }
        (last_checked(checked(&state, &a)))
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

/// What the asset is, where, how it is held and what it costs.
fn details(a: &Asset, lines: &[&String]) -> Markup {
    html! {
        dl class="summary-list" {
            (row("Community use", html! { (a.community_use.label()) }))
            @if let Some(u) = &a.current_use { (row("Used as", html! { (u) })) }
            @if let Some(h) = &a.holding_type { (row("Type of holding", html! { (h) })) }
            @if let Some(t) = a.tenure { (row("Tenure", html! { (t.label()) })) }
            @if let Some(d) = a.tenure_detail { (row("Tenure detail", html! { (d.label()) })) }
            @if a.tenure.is_none() {
                @if let Some(p) = &a.tenure_as_published { (row("Tenure as published", html! { (p) })) }
            }
            @if a.tenure_detail.is_none() {
                @if let Some(p) = &a.tenure_detail_as_published { (row("Tenure detail as published", html! { (p) })) }
            }
            @if !lines.is_empty() {
                (row("Address", html! { @for (i, l) in lines.iter().enumerate() { @if i > 0 { br; } (l) } }))
            }
            @if let (Some(e), Some(n)) = (a.easting, a.northing) {
                (row("Grid reference", html! { "Easting " (e.to_string()) ", northing " (n.to_string()) }))
            }
            @if let Some(u) = &a.uprn { (row("UPRN", html! { (u) })) }
            @if let Some(r) = &a.asset_reference { (row("Owner's reference", html! { (r) })) }
            @if let Some(s) = a.size {
                (row("Size", html! { (s.value.to_string()) " " (s.unit.label()) }))
            }
            @if let Some(c) = a.capacity { (row("Capacity", html! { "Up to " (c) " people" })) }
            @if !a.facilities.is_empty() {
                (row("Facilities", html! { (a.facilities.iter().map(|f| f.label()).collect::<Vec<_>>().join(", ")) }))
            }
            @if let Some(s) = &a.services_delivered { (row("Services delivered here", html! { (s) })) }
            @if let Some(r) = &a.reason_for_holding { (row("Why it is held", html! { (r) })) }
            @if let Some(c) = a.annual_running_cost { (row("Running cost a year", html! { (pounds(c)) })) }
            @if let Some(b) = a.maintenance_backlog { (row("Maintenance backlog", html! { (pounds(b)) })) }
            @if let Some(e) = a.energy_rating { (row("Energy rating", html! { (e.label()) })) }
        }
    }
}

/// An offer for community asset transfer and its closing date, or the transfer made.
fn community_use(a: &Asset, recipient: Option<&crate::domain::Organisation>) -> Markup {
    let date = |d: chrono::NaiveDate| d.format("%-d %B %Y").to_string();
    html! {
        @if a.community_use == CommunityUse::OfferedForTransfer {
            div class="inset-text" {
                p { "Offered for community asset transfer."
                    @if let Some(d) = a.transfer_closing_date {
                        @if crate::domain::transfer::interest_closed_on(Some(d), crate::domain::transfer::today()).is_some() {
                            " Expressions of interest closed on " (date(d)) "."
                        } @else {
                            " Expressions of interest close on " (date(d)) "."
                        }
                    }
                }
            }
        }
        @if let Some(t) = &a.transfer {
            div class="inset-text" {
                p {
                    "Transferred to "
                    @match recipient {
                        Some(o) => { a href=(record_href("organisation", o.id)) { (o.name) } }
                        None => { (t.recipient) }
                    }
                    @if let Some(d) = t.completed_on { " on " (date(d)) }
                    ", "
                    @match (t.terms, t.lease_years) {
                        (TransferTerms::Lease, Some(y)) => { "on a " (y) "-year lease" }
                        (terms, _) => { "terms: " (terms.label().to_lowercase()) }
                    }
                    "."
                }
            }
        }
    }
}

/// Whole pounds with thousands separators: 12000 → "£12,000".
fn pounds(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    format!("£{out}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn pounds_have_thousands_separators() {
        assert_eq!(super::pounds(0), "£0");
        assert_eq!(super::pounds(950), "£950");
        assert_eq!(super::pounds(12_000), "£12,000");
        assert_eq!(super::pounds(1_234_567), "£1,234,567");
    }
}
