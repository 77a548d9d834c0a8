//! `junction token create`: make an API token. The token is printed once, as the last line.

use uuid::Uuid;

use crate::Config;
use crate::domain::{RecordKind, Role};
use crate::store::Store;

#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it (only its hash is stored).
    Create {
        /// What the token is for, e.g. "import script".
        #[arg(long)]
        name: String,
        /// Role the token acts with: admin (everything), moderator (every record but taxonomy
        /// terms), editor (only its organisation's records).
        #[arg(long, value_enum, default_value_t = Role::Admin)]
        role: Role,
        /// The organisation whose records an editor token may change (required with
        /// `--role editor`, refused otherwise).
        #[arg(long)]
        organisation: Option<Uuid>,
    },
}

/// Checks the request and creates the token; returns its secret. An editor token needs an
/// organisation that exists; admin and moderator tokens cover every organisation, so one
/// given to them would mean nothing and is refused rather than ignored.
pub async fn create(
    store: &Store,
    name: &str,
    role: Role,
    organisation: Option<Uuid>,
) -> anyhow::Result<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        anyhow::bail!("--name must be 1 to 100 characters");
    }
    match (role, organisation) {
        (Role::Editor, None) => anyhow::bail!(
            "--organisation is needed with --role editor: the id of the organisation whose records the token may change"
        ),
        (Role::Editor, Some(id)) => {
            if store.name_of(RecordKind::Organisation, id).await?.is_none() {
                anyhow::bail!("--organisation: there is no organisation with id {id}");
            }
        }
        (_, Some(_)) => anyhow::bail!(
            "--organisation is only for editor tokens: {role} tokens may change every organisation's records"
        ),
        (_, None) => {}
    }
    store.create_token(name, role, organisation).await
}

pub async fn run(config: Config, cmd: TokenCommand) -> anyhow::Result<()> {
    match cmd {
        TokenCommand::Create {
            name,
            role,
            organisation,
        } => {
            let store = super::open_store(&config).await?;
            let token = create(&store, &name, role, organisation).await?;
            eprintln!(
                "Created token '{}' ({role}). Keep it secret: it is not shown again.",
                name.trim()
            );
            println!("{token}");
            Ok(())
        }
    }
}
