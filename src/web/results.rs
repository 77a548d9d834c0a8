//! `/search`: the search API's query string as a page. A search box (what and where), filters
//! as an ordinary form with facet counts, a results count, the list, pagination, and — when
//! nothing matches — what to try next. A mistake in the form (a place we can't find) comes
//! back as an error summary above the form, never as an error page.

use axum::{
    Router,
    extract::{RawQuery, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
};
use chrono::Utc;
use maud::{Markup, PreEscaped, html};

use super::categories::Terms;
use super::layout::{Head, distance, error_summary, field_error, has_error, page};
use super::params::Params;
use super::{PageError, Visitor, hours};
use crate::AppState;
use crate::api::search::{SearchBody, SearchItem};
use crate::domain::vocab::{Accessibility, Facility};
use crate::error::AppError;

pub fn routes() -> Router<AppState> {
    Router::new().route("/search", get(search))
}

/// Distances offered in the filters, in metres.
pub const RADII: [(u32, &str); 6] = [
    (1000, "1 km"),
    (2000, "2 km"),
    (5000, "5 km"),
    (10_000, "10 km"),
    (25_000, "25 km"),
    (100_000, "100 km"),
];

pub(super) const KINDS: [(&str, &str, &str); 4] = [
    ("service", "Services", "Service"),
    ("space", "Spaces to use or hire", "Space"),
    ("organisation", "Organisations and groups", "Organisation"),
    ("asset", "Public land and buildings", "Public asset"),
];

/// The page path of a record: `/services/{id}`.
pub fn record_href(kind: &str, id: uuid::Uuid) -> String {
    let base = match kind {
        "service" => "services",
        "space" => "spaces",
        "organisation" => "organisations",
        _ => "assets",
    };
    format!("/{base}/{id}")
}

pub fn kind_label(kind: &str) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _, _)| *k == kind)
        .map_or("Record", |(_, _, l)| l)
}

/// What a search came to: results, or a mistake to show in the form.
pub enum Outcome {
    Found(SearchBody),
    /// (field, message) to show in the error summary.
    Invalid(Vec<(String, String)>),
}

/// Runs the search for a page. A 400 becomes a form error on its field.
pub async fn run(state: &AppState, params: &Params) -> Result<Outcome, PageError> {
    match crate::api::search::run(state, Some(params.encode())).await {
        Ok((body, _)) => Ok(Outcome::Found(body)),
        Err(AppError::BadRequest { field, message, .. }) => {
            let field = match field.as_deref() {
                Some("near" | "radius" | "q" | "sort") => field.unwrap_or_default(),
                Some(other) => format!("filter-{other}"),
                None => "q".to_owned(),
            };
            Ok(Outcome::Invalid(vec![(field, message)]))
        }
        Err(e) => Err(e.into()),
    }
}

async fn search(
    State(state): State<AppState>,
    visitor: Visitor,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    let params = Params::from_raw(raw.as_deref().unwrap_or_default());
    let terms = Terms::load(&state).await?;
    let outcome = run(&state, &params).await?;
    let (errors, body) = match outcome {
        Outcome::Found(b) => (Vec::new(), Some(b)),
        Outcome::Invalid(e) => (e, None),
    };
    let title = match (params.get("q"), params.get("near")) {
        (Some(q), Some(n)) => format!("{q} near {n}"),
        (Some(q), None) => q.to_owned(),
        (None, Some(n)) => format!("Near {n}"),
        (None, None) => "Everything in the register".to_owned(),
    };
    let prefix = if errors.is_empty() { "" } else { "Error: " };
    let head = Head {
        noindex: true,
        suggest_script: true,
        ..Head::titled(format!("{prefix}{title} – Search results"))
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    let content = html! {
        (error_summary(&errors))
        h1 class="heading-l" { "Search results" }
        // The filters sit beside the results but belong to this form (the `form` attribute), so
        // the results' own "Add to shortlist" forms are never nested inside it.
        form method="get" action="/search" id=(FORM_ID) class="search-page" novalidate {
            (search_box(&params, &errors))
        }
        div class="search-layout" {
            div class="search-layout__filters" {
                (super::filters::filters(&params, body.as_ref(), &terms, &errors))
            }
            div class="search-layout__results" id="results" {
                @if let Some(body) = &body {
                    (results(&params, body, &terms, &visitor))
                } @else {
                    p { "Correct the problem above to see results." }
                }
            }
        }
    };
    Ok((status, page(head, &visitor.badge(), content)).into_response())
}

/// The id of the results page's form; the filters join it with `form=`.
pub(super) const FORM_ID: &str = "search-form";

/// What and where, with the Search button.
pub fn search_box(params: &Params, errors: &[(String, String)]) -> Markup {
    let near_error = has_error(errors, "near");
    let q_error = has_error(errors, "q");
    html! {
        div class="search-box" {
            div class={ "form-group" @if q_error { " form-group--error" } } {
                label class="label" for="q" { "What are you looking for?" }
                div class="hint" id="q-hint" { "For example: food bank, debt advice, hall to hire" }
                (field_error(errors, "q"))
                // `data-suggest`: static/suggest.js offers records as the person types.
                input class="input" type="search" id="q" name="q" value=[params.get("q")]
                    aria-describedby="q-hint" autocomplete="off" data-suggest;
            }
            div class={ "form-group" @if near_error { " form-group--error" } } {
                label class="label" for="near" { "Where?" }
                div class="hint" id="near-hint" { "A postcode, or the name of a town or area" }
                (field_error(errors, "near"))
                input class={ "input input--postcode" @if near_error { " input--error" } } type="text" id="near" name="near"
                    value=[params.get("near")] autocomplete="postal-code"
                    aria-describedby={ "near-hint" @if near_error { " near-error" } };
            }
            button class="button" type="submit" { "Search" }
        }
    }
}

/// Where the list's "Add to shortlist" buttons send people back to.
pub struct ResultOptions {
    pub return_to: String,
}

/// The list of results, shared by search, category and map pages.
pub fn result_list(
    items: &[SearchItem],
    terms: &Terms,
    visitor: &Visitor,
    opts: &ResultOptions,
) -> Markup {
    let now = Utc::now();
    html! {
        ol class="results" {
            @for item in items {
                @let href = record_href(&item.kind, item.id);
                @let status = item.opening_hours.as_deref().and_then(|h| hours::status(h, now));
                li class="result" id={ "r-" (item.id) } {
                    h3 class="result__title" { a href=(href) { (item.name) } }
                    p class="result__meta" {
                        strong class="tag" { (kind_label(&item.kind)) }
                        @if item.covers_area { span { "Covers this area" } }
                        @else if let Some(d) = item.distance_m { span { (distance(d)) " away" } }
                        @else if item.remote { span { "By phone or online" } }
                        @if let Some(s) = &status {
                            span class={ "open-status " @if s.open { "open-status--open" } @else { "open-status--closed" } } { (s.text) }
                        }
                        @if item.free { span class="tag tag--green" { "Free" } }
                        @if let Some(st) = &item.status { span class="tag tag--red" { (st.replace('_', " ")) } }
                    }
                    p class="result__summary" {
                        @match &item.summary_html {
                            // Highlighted by the index, already HTML-escaped.
                            Some(h) => (PreEscaped(h)),
                            None => (item.summary),
                        }
                    }
                    (space_line(item))
                    @if !item.categories.is_empty() {
                        p class="result__categories" {
                            span class="visually-hidden" { "Categories: " }
                            @for (i, c) in item.categories.iter().enumerate() {
                                @if i > 0 { ", " }
                                a href={ "/categories/" (c) } { (terms.name(c)) }
                            }
                        }
                    }
                    @if let Some(at) = item.last_verified_at {
                        p class="result__checked" { "Last checked " (super::layout::date(at)) }
                    }
                    (super::shortlist::toggle(visitor, &item.kind, item.id, &item.name, &opts.return_to))
                }
            }
        }
    }
}

/// For a space or an asset: how many it holds, what it costs, its facilities, and how to ask
/// to use it.
fn space_line(item: &SearchItem) -> Markup {
    let facilities: Vec<&str> = item
        .facilities
        .iter()
        .filter_map(|x| Facility::ALL.iter().find(|f| f.as_str() == x))
        .map(|f| f.label())
        .collect();
    let cost = match (item.free, item.hourly_rate) {
        (true, _) => None,
        (false, Some(r)) if r.fract() == 0.0 => Some(format!("£{r:.0} an hour")),
        (false, Some(r)) => Some(format!("£{r:.2} an hour")),
        (false, None) => None,
    };
    html! {
        @if item.capacity.is_some() || cost.is_some() || !facilities.is_empty() {
            p class="result__space" {
                @if let Some(c) = item.capacity { span { "Holds up to " (c) } }
                @if let Some(c) = &cost { span { (c) } }
                @if !facilities.is_empty() { span { (facilities.join(", ")) } }
            }
        }
        @if let Some(ask) = &item.how_to_ask {
            p class="result__ask" {
                @match &ask.url {
                    Some(url) => a href=(url) { (ask.label) },
                    // A space's page says how to book it; an asset's says who owns it.
                    None if item.kind == "space" => a href={ (record_href(&item.kind, item.id)) "#how-to-book" } { (ask.label) },
                    None => a href=(record_href(&item.kind, item.id)) { (ask.label) },
                }
            }
        }
    }
}

fn results(params: &Params, body: &SearchBody, terms: &Terms, visitor: &Visitor) -> Markup {
    let per_page = body.per_page.max(1);
    let pages = body.total.div_ceil(per_page).max(1);
    let first = (body.page - 1) * per_page + 1;
    let last = (first + body.items.len() as u64).saturating_sub(1);
    let return_to = params.href("/search");
    html! {
        p class="results-count" id="results-count" {
            @if body.total == 1 { "1 result" } @else { (body.total) " results" }
            @if let Some(q) = params.get("q") { " for ‘" (q) "’" }
            @if let Some(n) = params.get("near") {
                " within " (radius_label(params.get("radius"))) " of " (n)
            }
        }
        @for n in &body.notices {
            div class="inset-text" { (n) }
        }
        (active_filters(params, terms))
        @if body.items.is_empty() {
            (no_results(params, terms))
        } @else {
            p class="results-links" {
                a href=(params.href("/map")) { "See these results on a map" }
            }
            (result_list(&body.items, terms, visitor, &ResultOptions { return_to }))
            @if pages > 1 {
                p class="results-range" { "Showing " (first) " to " (last) " of " (body.total) }
                (pagination(params, body.page, pages))
            }
        }
    }
}

fn radius_label(radius: Option<&str>) -> String {
    let m: u32 = radius.and_then(|r| r.parse().ok()).unwrap_or(5000);
    RADII
        .iter()
        .find(|(r, _)| *r == m)
        .map_or_else(|| distance(f64::from(m)), |(_, l)| (*l).to_owned())
}

/// Each chosen filter, with a link that removes it.
fn active_filters(params: &Params, terms: &Terms) -> Markup {
    let mut chosen: Vec<(String, String)> = Vec::new();
    for k in params.all("kind") {
        chosen.push((
            kind_label(k).to_owned(),
            params.without("kind", Some(k)).href("/search"),
        ));
    }
    for c in params.all("category") {
        chosen.push((
            terms.name(c).to_owned(),
            params.without("category", Some(c)).href("/search"),
        ));
    }
    for a in params.all("accessibility") {
        let label = Accessibility::ALL
            .iter()
            .find(|x| x.as_str() == a)
            .map_or(a, |x| x.label());
        chosen.push((
            label.to_owned(),
            params.without("accessibility", Some(a)).href("/search"),
        ));
    }
    if params.flag("open_now") {
        chosen.push((
            "Open now".into(),
            params.without("open_now", None).href("/search"),
        ));
    }
    if params.flag("free") {
        chosen.push(("Free".into(), params.without("free", None).href("/search")));
    }
    if let Some(n) = params.get("capacity") {
        chosen.push((
            format!("Room for {n}"),
            params.without("capacity", None).href("/search"),
        ));
    }
    for x in params.all("facility") {
        let label = Facility::ALL
            .iter()
            .find(|f| f.as_str() == x)
            .map_or(x, |f| f.label());
        chosen.push((
            label.to_owned(),
            params.without("facility", Some(x)).href("/search"),
        ));
    }
    if let Some(p) = params.get("max_price") {
        chosen.push((
            format!("Up to £{p} an hour"),
            params.without("max_price", None).href("/search"),
        ));
    }
    html! {
        @if !chosen.is_empty() {
            div class="active-filters" {
                h2 class="heading-s" { "Filters you chose" }
                ul class="active-filters__list" {
                    @for (label, href) in &chosen {
                        li { a class="active-filters__link" href=(href) { span class="visually-hidden" { "Remove filter: " } (label) " ×" } }
                    }
                }
            }
        }
    }
}

/// What to try when nothing matches.
fn no_results(params: &Params, terms: &Terms) -> Markup {
    let radius: u32 = params
        .get("radius")
        .and_then(|r| r.parse().ok())
        .unwrap_or(5000);
    let wider = RADII.iter().find(|(r, _)| *r > radius);
    let has_filters = ["kind", "category", "accessibility", "open_now", "free"]
        .iter()
        .chain(super::filters::SPACE_PARAMS.iter())
        .any(|k| params.get(k).is_some());
    let chosen_categories = params.all("category");
    let related: Vec<(&str, &str)> = if chosen_categories.is_empty() {
        terms
            .top()
            .iter()
            .take(8)
            .map(|t| (t.slug.as_str(), t.name.as_str()))
            .collect()
    } else {
        // Neighbours of the chosen category: its parent and the parent's other children.
        chosen_categories
            .iter()
            .filter_map(|c| terms.by_slug(c))
            .flat_map(|t| {
                let parent = t.parent_id.and_then(|p| terms.by_id(p));
                let mut v: Vec<(&str, &str)> = parent
                    .map(|p| (p.slug.as_str(), p.name.as_str()))
                    .into_iter()
                    .collect();
                if let Some(p) = parent {
                    v.extend(
                        terms
                            .children(p.id)
                            .into_iter()
                            .filter(|s| s.id != t.id)
                            .map(|s| (s.slug.as_str(), s.name.as_str())),
                    );
                }
                v
            })
            .take(8)
            .collect()
    };
    html! {
        div class="no-results" {
            h2 class="heading-m" { "No results found" }
            p { "You could:" }
            ul class="list-bullet" {
                @if has_filters {
                    li { a href=(strip_filters(params).href("/search")) { "remove the filters" } ", or remove one at a time above" }
                }
                @if params.get("near").is_some() {
                    @if let Some((r, label)) = wider {
                        li { a href=(params.with("radius", &r.to_string()).without("page", None).href("/search")) { "search a wider area (within " (label) ")" } }
                    }
                }
                @if params.get("q").is_some() {
                    li { "check the spelling, or use a more general word" }
                    li { a href=(params.without("q", None).href("/search")) { "search without your words" } }
                }
                li { a href="/categories" { "browse all categories" } }
            }
            @if !related.is_empty() {
                h3 class="heading-s" { "Related categories" }
                ul class="plain-list columns" {
                    @for (slug, name) in &related {
                        li { a href={ "/categories/" (slug) } { (name) } }
                    }
                }
            }
        }
    }
}

fn strip_filters(params: &Params) -> Params {
    ["kind", "category", "accessibility", "open_now", "free"]
        .iter()
        .fold(params.clone(), |p, k| p.without(k, None))
}

fn pagination(params: &Params, page: u64, pages: u64) -> Markup {
    let href = |n: u64| {
        if n == 1 {
            params.without("page", None).href("/search")
        } else {
            params.with("page", &n.to_string()).href("/search")
        }
    };
    let shown: Vec<u64> = (1..=pages)
        .filter(|n| *n == 1 || *n == pages || n.abs_diff(page) <= 2)
        .collect();
    html! {
        nav class="pagination" aria-label="Results pages" {
            @if page > 1 {
                a class="pagination__prev" href=(href(page - 1)) rel="prev" { "Previous" span class="visually-hidden" { " page" } }
            }
            ul class="pagination__list" {
                @for (i, n) in shown.iter().enumerate() {
                    @if i > 0 && shown[i - 1] + 1 != *n { li class="pagination__ellipsis" { "…" } }
                    li class="pagination__item" {
                        @if *n == page {
                            a class="pagination__link pagination__link--current" href=(href(*n)) aria-current="page" aria-label={ "Page " (n) } { (n) }
                        } @else {
                            a class="pagination__link" href=(href(*n)) aria-label={ "Page " (n) } { (n) }
                        }
                    }
                }
            }
            @if page < pages {
                a class="pagination__next" href=(href(page + 1)) rel="next" { "Next" span class="visually-hidden" { " page" } }
            }
        }
    }
}
