//! `/categories` and `/categories/{slug}`: browse the taxonomy, and the records filed under a
//! category (and its sub-categories), from the search index.

use axum::{
    Router,
    extract::{Path, State},
    routing::get,
};
use maud::{Markup, html};
use uuid::Uuid;

use super::layout::{Breadcrumbs, Head, enc, page};
use super::results::{ResultOptions, result_list};
use super::{PageError, Visitor};
use crate::AppState;
use crate::domain::TaxonomyTerm;
use crate::error::AppError;
use crate::store::ListQuery;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/categories", get(index))
        .route("/categories/{slug}", get(category))
}

/// The published taxonomy terms, for names and the tree.
pub struct Terms(pub Vec<TaxonomyTerm>);

impl Terms {
    pub async fn load(state: &AppState) -> Result<Terms, AppError> {
        let (terms, _) = state
            .store
            .list::<TaxonomyTerm>(ListQuery {
                page: 1,
                per_page: 5000,
                unpublished: crate::store::Unpublished::None,
            })
            .await?;
        Ok(Terms(terms))
    }

    pub fn by_slug(&self, slug: &str) -> Option<&TaxonomyTerm> {
        self.0.iter().find(|t| t.slug == slug)
    }

    pub fn by_id(&self, id: Uuid) -> Option<&TaxonomyTerm> {
        self.0.iter().find(|t| t.id == id)
    }

    /// A slug or id as people read it.
    pub fn name<'a>(&'a self, key: &'a str) -> &'a str {
        let term = match key.parse::<Uuid>() {
            Ok(id) => self.by_id(id),
            Err(_) => self.by_slug(key),
        };
        term.map_or(key, |t| t.name.as_str())
    }

    pub fn top(&self) -> Vec<&TaxonomyTerm> {
        self.0.iter().filter(|t| t.parent_id.is_none()).collect()
    }

    pub fn children(&self, id: Uuid) -> Vec<&TaxonomyTerm> {
        self.0.iter().filter(|t| t.parent_id == Some(id)).collect()
    }
}

async fn index(State(state): State<AppState>, visitor: Visitor) -> Result<Markup, PageError> {
    let terms = Terms::load(&state).await?;
    let content = html! {
        h1 class="heading-l" { "Browse by category" }
        p class="lead" { "Services, groups and spaces in the register, by what they help with." }
        div class="category-grid" {
            @for top in terms.top() {
                section class="category-card" {
                    h2 class="heading-s" { a href={ "/categories/" (top.slug) } { (top.name) } }
                    ul class="plain-list" {
                        @for child in terms.children(top.id) {
                            li { a href={ "/categories/" (child.slug) } { (child.name) } }
                        }
                    }
                }
            }
        }
    };
    let head = Head {
        canonical: Some(format!("{}/categories", state.config.public_url())),
        ..Head::titled("Browse by category")
    };
    Ok(page(head, &visitor.badge(), content))
}

async fn category(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(slug): Path<String>,
) -> Result<Markup, PageError> {
    let terms = Terms::load(&state).await?;
    let Some(term) = terms.by_slug(&slug) else {
        return Err(AppError::NotFound(format!("category {slug}")).into());
    };
    let query = format!("category={}&sort=name&per_page=50", enc(&term.slug));
    let (body, _) = crate::api::search::run(&state, Some(query)).await?;
    let parent = term.parent_id.and_then(|p| terms.by_id(p));
    let children = terms.children(term.id);
    let mut crumbs: Vec<(&str, String)> =
        vec![("Home", "/".into()), ("Categories", "/categories".into())];
    if let Some(p) = parent {
        crumbs.push((p.name.as_str(), format!("/categories/{}", p.slug)));
    }
    let crumb_refs: Vec<(&str, &str)> = crumbs.iter().map(|(a, b)| (*a, b.as_str())).collect();
    let search_href = format!("/search?category={}", enc(&term.slug));
    let content = html! {
        (Breadcrumbs(&crumb_refs))
        h1 class="heading-l" { (term.name) }
        @if let Some(d) = &term.description { p class="lead" { (d) } }
        @if !children.is_empty() {
            h2 class="heading-m" { "In this category" }
            ul class="plain-list columns" {
                @for c in &children {
                    li { a href={ "/categories/" (c.slug) } { (c.name) } }
                }
            }
        }
        h2 class="heading-m" { (body.total) " " (if body.total == 1 { "listing" } else { "listings" }) }
        p {
            a href=(search_href) { "Search " (term.name.to_lowercase()) " near you, with filters" }
            " · "
            a href={ "/map?category=" (enc(&term.slug)) } { "See them on a map" }
        }
        @if body.items.is_empty() {
            p { "Nothing is listed here yet. Try " a href="/categories" { "another category" } "." }
        } @else {
            (result_list(&body.items, &terms, &visitor, &ResultOptions { return_to: format!("/categories/{}", term.slug) }))
            @if body.total > body.items.len() as u64 {
                p { a href=(search_href) { "See all " (body.total) " in search results" } }
            }
        }
    };
    let head = Head {
        canonical: Some(format!(
            "{}/categories/{}",
            state.config.public_url(),
            term.slug
        )),
        ..Head::titled(format!("{} – Categories", term.name))
    };
    Ok(page(head, &visitor.badge(), content))
}
