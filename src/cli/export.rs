//! `junction export datapackage FILE.zip`: the same export as
//! `/api/v1/export/datapackage.zip`, written to a file.

use std::path::PathBuf;

use crate::Config;
use crate::export::{self, datapackage};

#[derive(Debug, clap::Subcommand)]
pub enum ExportCommand {
    /// The published register as the HSDS 3.0 tabular datapackage (a zip of
    /// datapackage.json and CSV files).
    Datapackage {
        /// The zip file to write; it appears only once the export is complete.
        file: PathBuf,
    },
}

pub async fn run(config: Config, cmd: ExportCommand) -> anyhow::Result<()> {
    let store = super::open_store(&config).await?;
    match cmd {
        ExportCommand::Datapackage { file } => {
            let pieces = datapackage::spawn(store, datapackage::PackageInfo::new(&config));
            let bytes = export::to_file(pieces, &file).await?;
            println!("Wrote {} ({bytes} bytes)", file.display());
        }
    }
    Ok(())
}
