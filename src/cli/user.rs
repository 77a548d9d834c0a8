//! `junction user create`: make an account (the first administrator, typically). Its
//! set-password link is emailed (or written to `<data-dir>/mail/` without SMTP) and printed
//! once, as the last line: it works once and expires in 3 days.

use uuid::Uuid;

use crate::Config;
use crate::domain::Role;

#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Create an account and print its one-time set-password link.
    Create {
        /// The person's email address (unique, whatever its case).
        #[arg(long)]
        email: String,
        /// What they may do.
        #[arg(long, value_enum)]
        role: Role,
        /// An organisation whose records an editor may edit (repeat for several).
        #[arg(long = "organisation")]
        organisations: Vec<Uuid>,
    },
}

pub async fn run(config: Config, cmd: UserCommand) -> anyhow::Result<()> {
    match cmd {
        UserCommand::Create {
            email,
            role,
            organisations,
        } => {
            let store = super::open_store(&config).await?;
            let mailer = crate::mail::Mailer::from_config(&config)?;
            let user = store
                .create_user(&email, role, &organisations)
                .await
                .map_err(|e| anyhow::anyhow!("{}", cli_message(&e)))?;
            let link = match crate::auth::send_set_password(&store, &mailer, &config, &user).await {
                Ok(link) => link,
                Err(e) => {
                    // The account exists; a link that was not mailed is still printed.
                    eprintln!(
                        "The email could not be sent ({e}); give the person this link yourself."
                    );
                    let token = store
                        .issue_password_token(user.id, crate::store::password_tokens::Purpose::Set)
                        .await?;
                    crate::auth::password_link(&config, &token)
                }
            };
            let where_ = if mailer.is_file() {
                format!("written to {}", config.mail_dir().display())
            } else {
                "emailed".to_owned()
            };
            eprintln!(
                "Created {} ({}). A set-password link was {where_}; it works once and expires in 3 days:",
                user.email,
                user.role.label()
            );
            println!("{link}");
            Ok(())
        }
    }
}

/// A store error as a command-line message (which field, and what is wrong).
pub(super) fn cli_message(e: &crate::error::AppError) -> String {
    match e {
        crate::error::AppError::Validation(f) => {
            let flag = if f.field == "organisations" {
                "--organisation"
            } else {
                "--email"
            };
            format!("{flag}: {}", f.message)
        }
        crate::error::AppError::Conflict { message, .. } => format!("--email: {message}"),
        other => other.to_string(),
    }
}
