//! `junction token create`: make an API token. The token is printed once, as the last line.

use uuid::Uuid;

use crate::Config;
use crate::domain::Role;

#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it (only its hash is stored).
    Create {
        /// What the token is for, e.g. "import script".
        #[arg(long)]
        name: String,
        /// Role the token acts with.
        #[arg(long, value_enum, default_value_t = Role::Admin)]
        role: Role,
        /// Limit the token to one organisation's records (used with role editor).
        #[arg(long)]
        organisation: Option<Uuid>,
    },
}

pub async fn run(config: Config, cmd: TokenCommand) -> anyhow::Result<()> {
    match cmd {
        TokenCommand::Create {
            name,
            role,
            organisation,
        } => {
            let name = name.trim();
            if name.is_empty() || name.chars().count() > 100 {
                anyhow::bail!("--name must be 1 to 100 characters");
            }
            let store = super::open_store(&config).await?;
            let token = store.create_token(name, role, organisation).await?;
            eprintln!("Created token '{name}' ({role}). Keep it secret: it is not shown again.");
            println!("{token}");
            Ok(())
        }
    }
}
