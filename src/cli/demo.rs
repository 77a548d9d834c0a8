//! `junction demo load`: load the demo register into the configured database.

use crate::Config;

#[derive(Debug, clap::Subcommand)]
pub enum DemoCommand {
    /// Load the demo register (refuses if it is already there).
    Load,
}

pub async fn run(config: Config, cmd: DemoCommand) -> anyhow::Result<()> {
    match cmd {
        DemoCommand::Load => {
            let store = super::open_store(&config).await?;
            if crate::demo::is_loaded(&store).await? {
                println!("The demo register is already loaded; nothing to do.");
                return Ok(());
            }
            let n = crate::demo::load(&store).await?;
            println!("Loaded {n} demo records. A running server indexes them within a second.");
            Ok(())
        }
    }
}
