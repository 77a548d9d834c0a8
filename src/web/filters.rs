//! The results page's filters: an ordinary form (kind, category, distance, open now, free,
//! accessibility) joined to the search form, each choice with its facet count.

use maud::{Markup, html};

use super::categories::Terms;
use super::layout::field_error;
use super::params::Params;
use super::results::{FORM_ID, KINDS, RADII};
use crate::api::search::SearchBody;
use crate::domain::vocab::{Accessibility, Facility};

fn checkbox(
    name: &str,
    value: &str,
    id: &str,
    label: &str,
    count: Option<u64>,
    checked: bool,
) -> Markup {
    html! {
        div class="checkboxes__item" {
            input class="checkboxes__input" type="checkbox" id=(id) name=(name) value=(value) checked[checked] form=(FORM_ID);
            label class="checkboxes__label" for=(id) {
                (label)
                @if let Some(n) = count { " " span class="count" { "(" (n) ")" } }
            }
        }
    }
}

pub fn filters(
    params: &Params,
    body: Option<&SearchBody>,
    terms: &Terms,
    errors: &[(String, String)],
) -> Markup {
    let facets = body.and_then(|b| b.facets.as_ref());
    let kind_count = |k: &str| facets.map(|f| f.kind.get(k).copied().unwrap_or(0));
    let radius = params.get("radius").unwrap_or("5000");
    let place = params.get("near").is_some_and(|n| !n.trim().is_empty())
        || errors.iter().any(|(field, _)| field == "radius");
    let mut categories: Vec<(String, String, u64)> = terms
        .top()
        .iter()
        .map(|t| {
            let n = facets
                .and_then(|f| f.category.get(&t.slug).copied())
                .unwrap_or(0);
            (t.slug.clone(), t.name.clone(), n)
        })
        .filter(|(slug, _, n)| *n > 0 || params.has("category", slug))
        .collect();
    // A sub-category chosen elsewhere (a category page) stays visible and ticked.
    for c in params.all("category") {
        if !categories.iter().any(|(s, _, _)| s == c) {
            categories.push((c.to_owned(), terms.name(c).to_owned(), 0));
        }
    }
    let access: Vec<(&str, &str, u64)> = Accessibility::ALL
        .iter()
        .map(|a| {
            let n = facets
                .and_then(|f| f.accessibility.get(a.as_str()).copied())
                .unwrap_or(0);
            (a.as_str(), a.label(), n)
        })
        .filter(|(a, _, n)| *n > 0 || params.has("accessibility", a))
        .collect();
    // Size, facilities and price, for people looking for a space to use: shown when they
    // ask for spaces or assets, or have already used one of these filters.
    let space_filters = params.has("kind", "space")
        || params.has("kind", "asset")
        || SPACE_PARAMS.iter().any(|p| params.get(p).is_some());
    html! {
        div class="filters" {
            h2 class="heading-m" { "Filter results" }
            a class="skip-to-results" href="#results" { "Skip to results" }
            div class="form-group" {
                fieldset class="fieldset" id="filter-kind" {
                    legend class="fieldset__legend" { "Type" }
                    div class="checkboxes checkboxes--small" {
                        @for (k, label, _) in KINDS {
                            (checkbox("kind", k, &format!("kind-{k}"), label, kind_count(k), params.has("kind", k)))
                        }
                    }
                }
            }
            // A distance means something only from a place.
            @if place {
                div class="form-group" {
                    label class="label" for="radius" { "Distance" }
                    div class="hint" id="radius-hint" { "From the place you searched" }
                    (field_error(errors, "radius"))
                    select class="select" id="radius" name="radius" aria-describedby="radius-hint" form=(FORM_ID) {
                        @for (m, label) in RADII {
                            option value=(m) selected[radius == m.to_string()] { "Within " (label) }
                        }
                    }
                }
            }
            div class="form-group" {
                fieldset class="fieldset" id="filter-open_now" {
                    legend class="fieldset__legend" { "When and cost" }
                    div class="checkboxes checkboxes--small" {
                        (checkbox("open_now", "true", "open_now", "Open now", None, params.flag("open_now")))
                        (checkbox("free", "true", "free", "Free", facets.map(|f| f.free), params.flag("free")))
                    }
                }
            }
            @if space_filters {
                (space_fieldset(params, errors))
            }
            @if !categories.is_empty() {
                div class="form-group" {
                    fieldset class="fieldset" id="filter-category" {
                        legend class="fieldset__legend" { "Category" }
                        div class="checkboxes checkboxes--small" {
                            @for (slug, name, n) in &categories {
                                (checkbox("category", slug, &format!("category-{slug}"), name, Some(*n), params.has("category", slug)))
                            }
                        }
                    }
                }
            }
            @if !access.is_empty() {
                div class="form-group" {
                    fieldset class="fieldset" id="filter-accessibility" {
                        legend class="fieldset__legend" { "Accessibility" }
                        div class="hint" { "Show only places with all of these" }
                        div class="checkboxes checkboxes--small" {
                            @for (a, label, n) in &access {
                                (checkbox("accessibility", a, &format!("accessibility-{a}"), label, Some(*n), params.has("accessibility", a)))
                            }
                        }
                    }
                }
            }
            div class="form-group" {
                label class="label" for="sort" { "Order" }
                (field_error(errors, "sort"))
                select class="select" id="sort" name="sort" form=(FORM_ID) {
                    @for (v, label) in [("relevance", "Best match"), ("distance", "Nearest first"), ("name", "Name, A to Z"), ("recently_verified", "Most recently checked")] {
                        option value=(v) selected[params.get("sort") == Some(v)] { (label) }
                    }
                }
            }
            button class="button button--secondary" type="submit" form=(FORM_ID) { "Apply filters" }
        }
    }
}

/// The parameters of the space filters.
pub const SPACE_PARAMS: [&str; 3] = ["capacity", "facility", "max_price"];

/// How many people, which facilities, and how much it may cost an hour.
fn space_fieldset(params: &Params, errors: &[(String, String)]) -> Markup {
    let group = |field: &str| {
        if errors.iter().any(|(f, _)| f == field) {
            "form-group form-group--error"
        } else {
            "form-group"
        }
    };
    html! {
        div class=(group("filter-capacity")) {
            label class="label" for="filter-capacity" { "Room for at least" }
            div class="hint" id="capacity-hint" { "Number of people" }
            (field_error(errors, "filter-capacity"))
            input class="input input--width-4" type="number" inputmode="numeric" min="1" id="filter-capacity" name="capacity"
                value=[params.get("capacity")] aria-describedby="capacity-hint" form=(FORM_ID);
        }
        div class="form-group" {
            fieldset class="fieldset" id="filter-facility" {
                legend class="fieldset__legend" { "Facilities" }
                div class="hint" { "Show only spaces with all of these" }
                div class="checkboxes checkboxes--small" {
                    @for x in Facility::ALL {
                        (checkbox("facility", x.as_str(), &format!("facility-{}", x.as_str()), x.label(), None, params.has("facility", x.as_str())))
                    }
                }
            }
        }
        div class=(group("filter-max_price")) {
            label class="label" for="filter-max_price" { "Costs at most (£ an hour)" }
            div class="hint" id="max-price-hint" { "Free spaces are always included. Leave empty for any price." }
            (field_error(errors, "filter-max_price"))
            input class="input input--width-4" type="number" inputmode="decimal" min="0" step="any" id="filter-max_price" name="max_price"
                value=[params.get("max_price")] aria-describedby="max-price-hint" form=(FORM_ID);
        }
    }
}
