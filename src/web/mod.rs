//! Server-rendered pages (maud) and static files. The public website is built out by a later
//! issue; for now the home page says what this is and where the API lives.

use axum::{Router, extract::State, routing::get};
use maud::{DOCTYPE, Markup, html};
use tower_http::services::ServeDir;

use crate::AppState;
use crate::domain::{Organisation, Service, Space};
use crate::store::ListQuery;

/// Where the served assets live (the repository's `static/`).
const STATIC_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/static");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .nest_service("/static", ServeDir::new(STATIC_DIR))
}

/// The frame every page shares.
pub fn page(title: &str, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " – Junction" }
                link rel="stylesheet" href="/static/junction.css";
            }
            body {
                header class="site-header" { a href="/" { "Junction" } }
                main id="main-content" { (content) }
                footer class="site-footer" {
                    p { "Junction: the place register of community spaces, services, groups and public assets." }
                }
            }
        }
    }
}

async fn home(State(state): State<AppState>) -> Markup {
    let q = ListQuery {
        page: 1,
        per_page: 1,
        include_unpublished: false,
    };
    let services = state
        .store
        .list::<Service>(q)
        .await
        .map(|(_, n)| n)
        .unwrap_or(0);
    let spaces = state
        .store
        .list::<Space>(q)
        .await
        .map(|(_, n)| n)
        .unwrap_or(0);
    let organisations = state
        .store
        .list::<Organisation>(q)
        .await
        .map(|(_, n)| n)
        .unwrap_or(0);
    page(
        "Find community spaces and services",
        html! {
            h1 { "Find community spaces and services" }
            p { "This register lists " (services) " services and " (spaces) " spaces run by " (organisations) " organisations." }
            p { "The website is being built. Meanwhile the register is open as data:" }
            ul {
                li { a href="/api/v1/services" { "Services (JSON)" } }
                li { a href="/api/v1/spaces" { "Spaces (JSON)" } }
                li { a href="/api/v1/organisations" { "Organisations (JSON)" } }
                li { a href="/api/openapi.json" { "API description (OpenAPI 3.1)" } }
            }
        },
    )
}
