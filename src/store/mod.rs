//! Storage: sea-orm over SQLite (embedded default) or PostgreSQL, the change log, tokens,
//! accounts and sessions, and the default taxonomy. Every write goes through [`Store`] so none can bypass the change log.

pub mod acv;
pub mod changes;
pub mod choices;
pub mod due;
pub mod entities;
pub mod erasure;
pub mod feeds;
pub mod links;
pub mod my_records;
pub mod oruk;
pub mod outbox;
pub mod password_tokens;
pub mod provenance;
pub mod records;
pub mod reviews;
pub mod secrets;
pub mod sessions;
pub mod shortlists;
pub mod sign_in_failures;
pub mod sources;
pub mod suggestions;
pub mod taxonomy;
pub mod tokens;
pub mod transfer_cases;
pub mod users;
pub mod verify;

use std::{str::FromStr, sync::Arc, time::Duration};

use anyhow::Context;
use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
    sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous},
};
use tokio::sync::Notify;

use crate::geo::boundaries::SharedBoundaries;

pub use changes::Change;
pub use records::{ListQuery, Stored, Unpublished};
pub use shortlists::{Shortlist, ShortlistItem};
pub use sources::{Outcome, RecordSource, SourceRef};

/// Who made a change, as written in the change log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor(pub String);

impl Actor {
    pub fn new(s: impl Into<String>) -> Self {
        Actor(s.into())
    }
}

/// The database handle plus the signal the indexer waits on after each committed write.
#[derive(Clone)]
pub struct Store {
    pub db: DatabaseConnection,
    /// Woken after every committed change so the index catches up at once.
    pub changed: Arc<Notify>,
    /// The boundaries (wards, districts) in memory. Every location write places the location
    /// in them inside its transaction; `AppState::boundaries` is the same index.
    pub boundaries: SharedBoundaries,
}

/// What [`Store::connect`] found: whether the database had to be created from scratch.
pub struct Opened {
    pub store: Store,
    /// True when this start-up created the schema (a brand-new database).
    pub fresh: bool,
}

impl Store {
    /// Connects to `url` (`sqlite://…` or `postgres://…`) and runs pending migrations.
    pub async fn connect(url: &str) -> anyhow::Result<Opened> {
        let mut opts = ConnectOptions::new(url.to_owned());
        opts.sqlx_logging(false)
            .acquire_timeout(Duration::from_secs(10))
            .max_connections(if url.starts_with("sqlite:") { 8 } else { 16 });
        if url.starts_with("sqlite:") {
            // Check the URL here so a bad one is reported plainly, not as a pool error.
            SqliteConnectOptions::from_str(url).context("the SQLite URL is not valid")?;
            opts.map_sqlx_sqlite_opts(|o| {
                o.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
            });
        }
        let db = Database::connect(opts).await?;
        let applied = Migrator::get_applied_migrations(&db)
            .await
            .unwrap_or_default();
        let fresh = applied.is_empty();
        Migrator::up(&db, None)
            .await
            .context("running database migrations")?;
        let store = Store {
            db,
            changed: Arc::new(Notify::new()),
            boundaries: SharedBoundaries::default(),
        };
        // Loaded here, not by each caller, so no command can write a location unplaced.
        store
            .reload_boundaries()
            .await
            .context("loading the boundaries")?;
        store
            .fill_service_at_location_ids()
            .await
            .context("giving service-location links their ORUK ids")?;
        Ok(Opened { store, fresh })
    }

    pub fn backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    /// A trivial query: is the database answering?
    pub async fn ping(&self) -> anyhow::Result<()> {
        self.db
            .execute_raw(Statement::from_string(self.backend(), "SELECT 1"))
            .await?;
        Ok(())
    }
}
