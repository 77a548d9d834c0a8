//! `/`: one search form (what and where), the top categories, and the way in for people who
//! need a space and for staff who signpost.

use axum::{Router, extract::State, routing::get};
use maud::{Markup, html};

use super::categories::Terms;
use super::layout::{Head, page};
use super::params::Params;
use super::{PageError, Visitor};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

async fn home(State(state): State<AppState>, visitor: Visitor) -> Result<Markup, PageError> {
    let terms = Terms::load(&state).await?;
    let content = html! {
        h1 class="heading-xl" { "Find support, groups and spaces near you" }
        p class="lead" { "Services, community groups, places to meet and public buildings, checked by the people who run them." }
        form method="get" action="/search" class="home-search" {
            (super::results::search_box(&Params::default(), &[]))
        }
        div class="home-columns" {
            section class="home-columns__main" aria-labelledby="browse" {
                h2 class="heading-m" id="browse" { "Browse by category" }
                ul class="plain-list columns" {
                    @for t in terms.top() {
                        li { a href={ "/categories/" (t.slug) } { (t.name) } }
                    }
                }
            }
            aside class="home-columns__side" {
                section aria-labelledby="spaces" {
                    h2 class="heading-m" id="spaces" { "Find a space" }
                    p { "Halls, meeting rooms, kitchens, gardens and pitches that groups and residents can use or hire." }
                    p { a href="/search?kind=space" class="button button--secondary" { "Find a space" } }
                }
                section aria-labelledby="staff" {
                    h2 class="heading-m" id="staff" { "Helping someone?" }
                    p { "Add services to a shortlist as you talk, then text, email or print one link for the person you are helping. No account needed." }
                    p { a href="/shortlist" { "How shortlists work" } }
                }
            }
        }
    };
    let head = Head {
        suggest_script: true,
        canonical: Some(format!("{}/", state.config.public_url())),
        json_ld: Some(serde_json::json!({
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": "Junction",
            "url": format!("{}/", state.config.public_url()),
            "potentialAction": {
                "@type": "SearchAction",
                "target": format!("{}/search?q={{q}}", state.config.public_url()),
                "query-input": "required name=q"
            }
        })),
        ..Head::titled("Find support, groups and spaces near you")
    };
    Ok(page(head, &visitor.badge(), content))
}
