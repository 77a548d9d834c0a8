//! The `junction` command line: one file per subcommand.

pub mod check;
mod demo;
mod erase;
mod export;
mod import;
mod import_records;
mod reindex;
mod reminders;
mod serve;
mod sync;
pub mod token;
mod user;

use clap::{Parser, Subcommand};

use crate::Config;

/// Junction: a place's public register of community spaces, services, groups and assets.
#[derive(Debug, Parser)]
#[command(name = "junction", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the website and API (the default).
    Serve(serve::ServeArgs),
    /// The demo register of the fictional town of Millbrook.
    #[command(subcommand)]
    Demo(demo::DemoCommand),
    /// API tokens.
    #[command(subcommand)]
    Token(token::TokenCommand),
    /// Accounts for the signed-in area.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Rebuild the search index from the database.
    Reindex,
    /// Compare the database with the search index; exits non-zero when they disagree.
    Check,
    /// Load geography reference data (postcodes, boundaries) and import records from HSDS,
    /// datapackages, OpenStreetMap, CSV and GeoJSON.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Export the published register.
    #[command(subcommand)]
    Export(export::ExportCommand),
    /// Mirror another directory into this register, from where the last sync of it stopped.
    #[command(subcommand)]
    Sync(sync::SyncCommand),
    /// Review reminders and the mail outbox.
    #[command(subcommand)]
    Reminders(reminders::RemindersCommand),
    /// Carry out an erasure request: list what the register holds about a person, and with
    /// `--apply` remove it everywhere, the change log included.
    Erase(erase::EraseArgs),
}

/// Runs the parsed command line.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    cli.config.validate()?;
    match cli.command {
        None => serve::run(cli.config, serve::ServeArgs::default()).await,
        Some(Command::Serve(args)) => serve::run(cli.config, args).await,
        Some(Command::Demo(cmd)) => demo::run(cli.config, cmd).await,
        Some(Command::Token(cmd)) => token::run(cli.config, cmd).await,
        Some(Command::User(cmd)) => user::run(cli.config, cmd).await,
        Some(Command::Reindex) => reindex::run(cli.config).await,
        Some(Command::Check) => check::run(cli.config).await,
        Some(Command::Import(cmd)) => import::run(cli.config, cmd).await,
        Some(Command::Export(cmd)) => export::run(cli.config, cmd).await,
        Some(Command::Sync(cmd)) => sync::run(cli.config, cmd).await,
        Some(Command::Reminders(cmd)) => reminders::run(cli.config, cmd).await,
        Some(Command::Erase(args)) => erase::run(cli.config, args).await,
    }
}

/// Opens just the database, for commands that do not serve.
async fn open_store(config: &Config) -> anyhow::Result<crate::store::Store> {
    std::fs::create_dir_all(&config.data_dir)?;
    let opened = crate::store::Store::connect(&config.database_url()).await?;
    opened.store.ensure_default_taxonomy().await?;
    Ok(opened.store)
}
