//! The frame every page shares (skip link, header, footer with the accessibility statement,
//! privacy notice and data attribution) and the small components pages are built from. Pure
//! functions of plain values: no database handles here.

use chrono::{DateTime, Utc};
use chrono_tz::Europe::London;
use maud::{DOCTYPE, Markup, PreEscaped, Render, html};

use super::assets;

/// What the frame needs to know about the person's shortlist: its code and size.
#[derive(Debug, Clone, Default)]
pub struct Badge {
    pub code: Option<String>,
    pub count: usize,
}

/// The head of a page and what the frame should add.
#[derive(Debug, Default)]
pub struct Head {
    /// Says where you are; " – Junction" is added.
    pub title: String,
    /// Absolute canonical URL, for pages that have one.
    pub canonical: Option<String>,
    /// schema.org description of the page's subject.
    pub json_ld: Option<serde_json::Value>,
    /// Keep out of search engines (shortlists, errors).
    pub noindex: bool,
    /// Send no Referer from this page (shortlists: the link is the key).
    pub no_referrer: bool,
    /// Load the map script.
    pub map_script: bool,
    /// Load the search-as-you-type script (pages with the "what" box).
    pub suggest_script: bool,
    /// Extra class on `<body>` (e.g. the print view).
    pub body_class: Option<&'static str>,
}

impl Head {
    pub fn titled(title: impl Into<String>) -> Head {
        Head {
            title: title.into(),
            ..Head::default()
        }
    }
}

/// A `<script type="application/ld+json">` body: JSON with `<` escaped so no string in it can
/// close the element.
fn json_ld(value: &serde_json::Value) -> PreEscaped<String> {
    PreEscaped(value.to_string().replace('<', "\\u003c"))
}

/// The whole page.
pub fn page(head: Head, badge: &Badge, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (head.title) " – Junction" }
                meta name="theme-color" content="#0b0c0c";
                @if head.noindex { meta name="robots" content="noindex, nofollow"; }
                @if head.no_referrer { meta name="referrer" content="no-referrer"; }
                @if let Some(c) = &head.canonical { link rel="canonical" href=(c); }
                link rel="stylesheet" href=(assets::url("junction.css"));
                @if let Some(ld) = &head.json_ld {
                    script type="application/ld+json" { (json_ld(ld)) }
                }
                @if head.map_script {
                    script src=(assets::url("map.js")) defer {}
                }
                @if head.suggest_script {
                    script src=(assets::url("suggest.js")) defer {}
                }
            }
            body class=[head.body_class] {
                a href="#main-content" class="skip-link" { "Skip to main content" }
                header class="site-header" {
                    div class="width-container site-header__inner" {
                        a href="/" class="site-header__name" { "Junction" }
                        span class="site-header__tagline" { "Community spaces and services" }
                        nav class="site-nav" aria-label="Main" {
                            ul {
                                li { a href="/search" { "Search" } }
                                li { a href="/categories" { "Categories" } }
                                li { a href="/map" { "Map" } }
                                li {
                                    @match &badge.code {
                                        Some(code) => a href={ "/shortlist/" (code) } {
                                            "Your shortlist (" (badge.count) ")"
                                        },
                                        None => a href="/shortlist" { "Shortlist" },
                                    }
                                }
                            }
                        }
                    }
                }
                div class="width-container" {
                    main id="main-content" class="main" tabindex="-1" { (content) }
                }
                (footer())
            }
        }
    }
}

fn footer() -> Markup {
    html! {
        footer class="site-footer" {
            div class="width-container" {
                h2 class="visually-hidden" { "Support links" }
                ul class="site-footer__links" {
                    li { a href="/accessibility" { "Accessibility statement" } }
                    li { a href="/privacy" { "Privacy notice" } }
                    li { a href="/data" { "Data sources and attribution" } }
                    li { a href="/acv" { "Assets of Community Value" } }
                    li { a href="/api/openapi.json" { "Open data API" } }
                }
                p {
                    "Maps and place data: © "
                    a href="https://www.openstreetmap.org/copyright" { "OpenStreetMap contributors" }
                    ". Postcodes and boundaries contain OS data © Crown copyright and database right, and ONS data licensed under the "
                    a href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/" { "Open Government Licence v3.0" }
                    "."
                }
                p { "Junction is free software. The register is open data." }
            }
        }
    }
}

/// A GOV.UK-style error summary: a heading, then each problem as a link to its field.
/// `errors` are (field id, message).
pub fn error_summary(errors: &[(String, String)]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div class="error-summary" data-module="error-summary" {
                div role="alert" {
                    h2 class="error-summary__title" { "There is a problem" }
                    ul class="error-summary__list" {
                        @for (field, message) in errors {
                            li { a href={ "#" (field) } { (message) } }
                        }
                    }
                }
            }
        }
    }
}

/// The message under a field's label when it is in error.
pub fn field_error(errors: &[(String, String)], field: &str) -> Markup {
    html! {
        @for (f, m) in errors {
            @if f == field {
                p class="error-message" id={ (field) "-error" } {
                    span class="visually-hidden" { "Error: " } (m)
                }
            }
        }
    }
}

pub fn has_error(errors: &[(String, String)], field: &str) -> bool {
    errors.iter().any(|(f, _)| f == field)
}

/// A date as people write it: "3 November 2026".
pub fn date(at: DateTime<Utc>) -> String {
    at.with_timezone(&London).format("%-d %B %Y").to_string()
}

/// Breadcrumbs: (label, href) pairs, the current page last without a link.
pub struct Breadcrumbs<'a>(pub &'a [(&'a str, &'a str)]);

impl Render for Breadcrumbs<'_> {
    fn render(&self) -> Markup {
        html! {
            nav class="breadcrumbs" aria-label="Breadcrumb" {
                ol {
                    @for (label, href) in self.0 {
                        li { a href=(href) { (label) } }
                    }
                }
            }
        }
    }
}

/// Distance for people: "350 metres", "1.2 km".
pub fn distance(m: f64) -> String {
    if m < 1000.0 {
        format!("{} metres", (m / 10.0).round() * 10.0)
    } else {
        format!("{:.1} km", m / 1000.0)
    }
}

/// Percent-encodes a query string value.
pub fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
