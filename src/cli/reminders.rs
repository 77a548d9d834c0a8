//! `junction reminders send`: one reminder pass, for cron or by hand — queue a reminder for
//! every review that has fallen due, deliver the outbox, delete closed suggestions' emails
//! after 30 days. `serve` runs the same pass every `JUNCTION_REMINDERS_EVERY`.

use crate::Config;
use crate::auth::signing::LinkKey;

#[derive(Debug, clap::Subcommand)]
pub enum RemindersCommand {
    /// Queue due review reminders and deliver every unsent message, once.
    Send,
}

pub async fn run(config: Config, cmd: RemindersCommand) -> anyhow::Result<()> {
    match cmd {
        RemindersCommand::Send => {
            let store = super::open_store(&config).await?;
            let mailer = crate::mail::Mailer::from_config(&config)?;
            let key = LinkKey::for_config(&config)?;
            let summary =
                crate::reminders::run_pass(&store, &mailer, &config, &key, chrono::Utc::now())
                    .await?;
            println!("{summary}");
            if summary.failed > 0 {
                anyhow::bail!(
                    "{} message(s) could not be delivered; they are tried again on the next pass",
                    summary.failed
                );
            }
            Ok(())
        }
    }
}
