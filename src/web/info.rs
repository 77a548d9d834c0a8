//! Pages every UK public-sector website needs — the accessibility statement and the privacy
//! notice — plus data attribution, and what search engines read: `sitemap.xml` and
//! `robots.txt`.

use axum::{
    Router,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
    routing::get,
};
use maud::{Markup, html};

use super::categories::Terms;
use super::layout::{Head, page};
use super::results::record_href;
use super::{PageError, Visitor};
use crate::AppState;
use crate::domain::RecordKind;
use crate::search::{SearchQuery, Sort};
use crate::store::shortlists::LIFETIME_DAYS;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/accessibility", get(accessibility))
        .route("/privacy", get(privacy))
        .route("/data", get(data))
        .route("/sitemap.xml", get(sitemap))
        .route("/robots.txt", get(robots))
}

fn simple(state: &AppState, visitor: &Visitor, title: &str, path: &str, content: Markup) -> Markup {
    let head = Head {
        canonical: Some(format!("{}{path}", state.config.public_url())),
        ..Head::titled(title)
    };
    page(head, &visitor.badge(), content)
}

async fn accessibility(State(state): State<AppState>, visitor: Visitor) -> Markup {
    let content = html! {
        h1 class="heading-l" { "Accessibility statement" }
        p { "This accessibility statement applies to this website, the public register of community spaces, services, groups and public assets." }
        p { "We want as many people as possible to be able to use this website. For example, that means you should be able to:" }
        ul class="list-bullet" {
            li { "change colours, contrast levels and fonts using browser or device settings" }
            li { "zoom in up to 400% without the text spilling off the screen" }
            li { "navigate the whole website using just a keyboard or speech recognition software" }
            li { "listen to the website using a screen reader" }
            li { "use every page with JavaScript switched off" }
        }
        p { "We have also made the text as simple as possible to understand." }
        h2 class="heading-m" { "How accessible this website is" }
        p { "We know some parts of this website are not fully accessible:" }
        ul class="list-bullet" {
            li { "the map background is a set of images from OpenStreetMap with no text alternative; the list beside every map has the same places and information" }
            li { "descriptions are written by the organisations that run each service, and some may not be in plain English" }
        }
        h2 class="heading-m" { "Feedback and contact information" }
        p { "If you find a problem or need information on this website in a different format, contact the organisation that runs this register for your area. Tell us the web address of the page and what the problem is." }
        h2 class="heading-m" { "Enforcement procedure" }
        p {
            "The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018. If you are not happy with how we respond to your complaint, contact the "
            a href="https://www.equalityadvisoryservice.com/" { "Equality Advisory and Support Service (EASS)" } "."
        }
        h2 class="heading-m" { "Technical information about this website’s accessibility" }
        p { "This website is partially compliant with the " a href="https://www.w3.org/TR/WCAG22/" { "Web Content Accessibility Guidelines version 2.2" } " AA standard, due to the non-compliances listed above." }
        h2 class="heading-m" { "How we tested this website" }
        p { "Every page type (home, search results, record pages, shortlists and the print view) is checked automatically with axe-core in a browser on every change, at 320 and 1280 pixels wide, and the route from search to a printed shortlist is tested with the keyboard only." }
    };
    simple(
        &state,
        &visitor,
        "Accessibility statement",
        "/accessibility",
        content,
    )
}

async fn privacy(State(state): State<AppState>, visitor: Visitor) -> Markup {
    let content = html! {
        h1 class="heading-l" { "Privacy notice" }
        p { "This notice explains what this website does with information about you." }
        h2 class="heading-m" { "Searching" }
        p { "You do not need an account. What you search for and the place you search near are used to answer your search and are not stored with anything that identifies you. Our server keeps short technical logs (the page asked for and when) to keep the service running and secure." }
        h2 class="heading-m" { "Shortlists" }
        p { "A shortlist is a list of services and places kept under a random link. It holds no name, no contact details and nothing about the person it is for. Notes on a shortlist must not contain personal details; the website refuses notes that contain an email address, a phone number or a full postcode." }
        p { "Anyone with the link can see, change or delete the shortlist. A shortlist and its notes are deleted " (LIFETIME_DAYS) " days after it was made, unless someone with the link keeps it for longer." }
        h2 class="heading-m" { "Cookies" }
        p { "This website sets one cookie, " code { "junction_shortlist" } ", only when you add something to a shortlist. It holds the shortlist’s random code so that what you add next goes on the same list. It is essential to that feature, so we do not ask for consent. It expires after " (LIFETIME_DAYS) " days. We use no analytics or advertising cookies." }
        h2 class="heading-m" { "Maps" }
        p { "Map images are loaded from the map tile server, which sees your internet address when your browser asks for them, as it would for any website. Pages work without the map." }
        h2 class="heading-m" { "People named in the register" }
        p { "Organisations may give the name of a contact person. That is never published on this website or in the open data: only the organisation’s own contact details are." }
        h2 class="heading-m" { "Your rights" }
        p { "You can ask the organisation that runs this register for your area what information it holds about you, and ask for it to be corrected or deleted. If you are unhappy, you can complain to the " a href="https://ico.org.uk/make-a-complaint/" { "Information Commissioner’s Office" } "." }
    };
    simple(&state, &visitor, "Privacy notice", "/privacy", content)
}

async fn data(State(state): State<AppState>, visitor: Visitor) -> Result<Markup, PageError> {
    let sources = state.store.sources().await?;
    let content = html! {
        h1 class="heading-l" { "Data sources and attribution" }
        p { "The register is written by the organisations that run the services, spaces and groups in it, and by the council for its land and buildings. It is open data: see the " a href="/api/openapi.json" { "API description" } "." }
        h2 class="heading-m" { "Licence" }
        p {
            "You may re-use the register's data under the "
            a href=(state.config.licence()) { (licence_name(state.config.licence())) }
            ". Please credit it as: " (state.config.data_attribution)
        }
        p { "Records mirrored or imported from another directory keep that directory's licence; where it differs, the change feeds and the exports say so on the record." }
        h2 class="heading-m" { "Maps" }
        p { "Map tiles and map data: " (state.config.tile_attribution) ". OpenStreetMap data is available under the " a href="https://www.openstreetmap.org/copyright" { "Open Database Licence" } "." }
        h2 class="heading-m" { "Postcodes and boundaries" }
        p { "Contains OS data © Crown copyright and database right. Contains Royal Mail data © Royal Mail copyright and database right. Source: Office for National Statistics licensed under the Open Government Licence v3.0." }
        @if !sources.is_empty() {
            h2 class="heading-m" { "Imported data" }
            p { "Some records were imported from these sources, under their own licences. A record from one of them says so on its page." }
            dl class="summary-list" {
                @for s in &sources {
                    div class="summary-list__row" {
                        dt class="summary-list__key" {
                            @if let Some(url) = &s.url { a href=(url) { (s.name) } } @else { (s.name) }
                        }
                        dd class="summary-list__value" {
                            "Licence: " (s.licence.as_deref().unwrap_or("not stated"))
                            @if let Some(a) = &s.attribution { ". " (a) }
                        }
                    }
                }
            }
        }
    };
    Ok(simple(
        &state,
        &visitor,
        "Data sources and attribution",
        "/data",
        content,
    ))
}

/// A licence's name when it is one of the usual open data licences, else its URL.
fn licence_name(url: &str) -> &str {
    if url == crate::config::DEFAULT_DATA_LICENCE {
        "Open Government Licence v3.0"
    } else {
        url
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The sitemaps protocol allows 50,000 URLs in one file.
const SITEMAP_MAX: usize = 50_000;

async fn sitemap(State(state): State<AppState>) -> Result<Response, PageError> {
    let base = state.config.public_url();
    let terms = Terms::load(&state).await?;
    let search = state.search.clone();
    let query = SearchQuery {
        kinds: vec![
            RecordKind::Service,
            RecordKind::Space,
            RecordKind::Organisation,
            RecordKind::Asset,
        ],
        include_closed: true,
        sort: Sort::Name,
        limit: SITEMAP_MAX,
        ..SearchQuery::default()
    };
    let results = tokio::task::spawn_blocking(move || search.search(&query))
        .await
        .map_err(anyhow::Error::from)??;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for path in ["/", "/categories", "/accessibility", "/privacy", "/data"] {
        xml.push_str(&format!(
            "<url><loc>{}</loc></url>\n",
            xml_escape(&format!("{base}{path}"))
        ));
    }
    for t in &terms.0 {
        xml.push_str(&format!(
            "<url><loc>{}</loc></url>\n",
            xml_escape(&format!("{base}/categories/{}", t.slug))
        ));
    }
    for hit in results
        .hits
        .iter()
        .take(SITEMAP_MAX - 5 - terms.0.len().min(SITEMAP_MAX - 5))
    {
        let loc = xml_escape(&format!(
            "{base}{}",
            record_href(&hit.card.kind, hit.card.id)
        ));
        match hit.card.last_verified_at {
            Some(at) => xml.push_str(&format!(
                "<url><loc>{loc}</loc><lastmod>{}</lastmod></url>\n",
                at.format("%Y-%m-%d")
            )),
            None => xml.push_str(&format!("<url><loc>{loc}</loc></url>\n")),
        }
    }
    xml.push_str("</urlset>\n");
    Ok((
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        xml,
    )
        .into_response())
}

async fn robots(State(state): State<AppState>) -> Response {
    let body = format!(
        "User-agent: *\nDisallow: /shortlist/\nDisallow: /search\nDisallow: /map\nDisallow: /api/\n\nSitemap: {}/sitemap.xml\n",
        state.config.public_url()
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}
