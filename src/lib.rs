//! Junction: a place's public register of community spaces, services, community groups and
//! publicly owned assets. `app(state)` builds the whole HTTP service; `main.rs` only parses
//! the command line and calls into [`cli`].

pub mod api;
pub mod auth;
pub mod cli;
pub mod config;
pub mod demo;
pub mod domain;
pub mod error;
pub mod export;
pub mod geo;
pub mod import;
pub mod mail;
pub mod oruk;
pub mod reminders;
pub mod search;
pub mod store;
pub mod sync;
pub mod transfer;
mod web;

use std::sync::Arc;

use axum::Router;
use tower_http::trace::TraceLayer;

pub use config::Config;
pub use error::{AppError, Result};
use search::SearchIndex;
use store::Store;

/// Everything a request handler needs. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub search: SearchIndex,
    pub config: Arc<Config>,
    /// Boundaries (wards, districts) for point-in-area look-ups: the same index as
    /// `store.boundaries`, loaded when the store opens and replaced by boundary imports.
    pub boundaries: crate::geo::boundaries::SharedBoundaries,
    /// Password links now, review reminders later.
    pub mailer: mail::Mailer,
}

/// The whole HTTP service.
pub fn app(state: AppState) -> Router {
    let headers = web::SecurityHeaders::new(&state.config);
    Router::new()
        .merge(api::router(&state.config))
        .merge(web::router())
        // People get an HTML "page not found"; `/api/` paths keep the JSON error.
        .fallback(web::fallback)
        // nosniff everywhere; a Content-Security-Policy and Referrer-Policy on HTML pages.
        .layer(axum::middleware::from_fn_with_state(
            headers,
            web::security_headers,
        ))
        // Spans name the path, never the query string: a set-password link's token travels there.
        .layer(TraceLayer::new_for_http().make_span_with(
            |request: &axum::http::Request<axum::body::Body>| {
                tracing::debug_span!(
                    "request",
                    method = %request.method(),
                    path = %request.uri().path(),
                )
            },
        ))
        .with_state(state)
}

/// Opens the database and index for `config`, loading the default taxonomy (and, on a
/// brand-new embedded database unless `load_demo` is false, the demo register), and brings
/// the index up to date. The returned state is ready to serve.
pub async fn start(mut config: Config, load_demo: bool) -> anyhow::Result<AppState> {
    config.validate()?;
    std::fs::create_dir_all(&config.data_dir).map_err(|e| {
        anyhow::anyhow!(
            "cannot create the data directory {} (JUNCTION_DATA_DIR): {e}",
            config.data_dir.display()
        )
    })?;
    // The key that signs reminder links, read (or made) once.
    config.link_secret = Some(auth::signing::secret_for(&config)?);
    let opened = Store::connect(&config.database_url()).await.map_err(|e| {
        if config.is_embedded() {
            e.context(format!(
                "opening the SQLite database in {}",
                config.data_dir.display()
            ))
        } else {
            e.context("connecting to DATABASE_URL")
        }
    })?;
    let store = opened.store;
    store.ensure_default_taxonomy().await?;
    if opened.fresh && load_demo && config.is_embedded() {
        let n = demo::load(&store).await?;
        tracing::info!(
            records = n,
            "loaded the demo register into the new database"
        );
    }
    let opened_index = SearchIndex::open(&config.index_dir())?;
    let search = opened_index.index;
    if opened_index.needs_rebuild {
        tracing::info!("building the search index from the database");
        search::indexer::rebuild(&store, &search, &|_, _| {}).await?;
    } else {
        let n = search::indexer::catch_up(&store, &search).await?;
        tracing::info!(changes = n, "search index caught up");
    }
    let mailer = mail::Mailer::from_config(&config)?;
    let boundaries = store.boundaries.clone();
    tracing::info!(
        boundaries = crate::geo::boundaries::read(&boundaries).len(),
        "boundaries loaded"
    );
    Ok(AppState {
        mailer,
        boundaries,
        store,
        search,
        config: Arc::new(config),
    })
}
