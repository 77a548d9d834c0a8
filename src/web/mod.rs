//! The public website: server-rendered pages (maud) that work without JavaScript; the map
//! script only enhances. One file per page family, each with its own routes:
//!
//! - [`home`]: `/`; [`results`]: `/search` (the search API's parameters, as a page);
//! - [`records`]: `/services/{id}`, `/spaces/{id}`, `/organisations/{id}`, `/assets/{id}`;
//! - [`categories`]: `/categories`, `/categories/{slug}`; [`map`]: `/map`;
//! - [`shortlist`]: `/shortlist/{code}` and its print view;
//! - [`transfer`]: community asset transfer: `/assets/{id}/interest`, `/transfer-cases/{token}`;
//! - [`acv`]: `/acv`, the register of Assets of Community Value;
//! - [`info`]: accessibility statement, privacy notice, data attribution, sitemap, robots;
//! - [`account`]: `/login`, `/logout`, `/password-reset`, `/password/new`;
//! - [`admin`]: the signed-in area under `/admin` (dashboard, users, suggestions, history);
//! - [`suggest`]: "Report a problem or suggest a change" on every record page;
//! - [`review`]: the "still correct" and "update it" links in review reminders.
//!
//! Everything shown comes from the public view of a record (`make_public`) or from the search
//! index's cards, which are built from it: hidden addresses and contact people never reach a page.
//! [`headers`] adds the Content-Security-Policy and other security headers.

mod account;
mod acv;
mod admin;
mod assets;
mod categories;
mod errors;
mod filters;
mod headers;
mod home;
mod hours;
mod info;
mod kinds;
mod layout;
mod map;
mod params;
mod records;
mod results;
mod review;
mod shortlist;
mod suggest;
mod transfer;

use axum::{
    Router, extract::FromRequestParts, http::request::Parts, response::Response, routing::get,
};

use crate::AppState;

pub use errors::PageError;
pub use headers::{SecurityHeaders, add as security_headers};
use layout::Badge;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(home::routes())
        .merge(results::routes())
        .merge(records::routes())
        .merge(categories::routes())
        .merge(map::routes())
        .merge(shortlist::routes())
        .merge(info::routes())
        .merge(transfer::routes())
        .merge(acv::routes())
        .merge(suggest::routes())
        .merge(review::routes())
        .merge(
            // Signed-in pages and the sign-in pages: never kept by a cache.
            account::routes()
                .merge(admin::routes())
                .layer(admin::no_store()),
        )
        .route("/static/{file}", get(assets::serve))
}

/// The app-wide fallback: an HTML "page not found" for people, the API's JSON error for
/// anything under `/api/`.
pub async fn fallback(uri: axum::http::Uri) -> Response {
    errors::not_found_for(&uri)
}

/// Who is looking: their shortlist (from the `junction_shortlist` cookie), if it is still live.
#[derive(Debug, Clone, Default)]
pub struct Visitor {
    pub shortlist: Option<crate::store::Shortlist>,
}

/// The cookie that remembers which shortlist "Add to shortlist" adds to. It holds only the
/// shortlist's code: no personal data, and it is needed for the service to work.
pub const COOKIE: &str = "junction_shortlist";

impl Visitor {
    pub fn badge(&self) -> Badge {
        match &self.shortlist {
            Some(s) => Badge {
                code: Some(s.code.clone()),
                count: s.items.len(),
            },
            None => Badge::default(),
        }
    }

    /// Whether the record is on this visitor's shortlist.
    pub fn has(&self, id: uuid::Uuid) -> bool {
        self.shortlist
            .as_ref()
            .is_some_and(|s| s.items.iter().any(|i| i.id == id))
    }

    pub fn code(&self) -> Option<&str> {
        self.shortlist.as_ref().map(|s| s.code.as_str())
    }
}

/// The shortlist code in a request's cookies, if it has the shape of one.
pub fn cookie_code(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| crate::store::shortlists::is_code(v))
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(code) = cookie_code(parts) else {
            return Ok(Visitor::default());
        };
        let shortlist = match state.store.shortlist(&code).await {
            Ok(s) => s,
            Err(e) => {
                // The page still works without the badge.
                tracing::warn!(error = %e, "reading the visitor's shortlist");
                None
            }
        };
        Ok(Visitor { shortlist })
    }
}
