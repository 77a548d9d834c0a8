//! `junction sync rpde FEED_URL` and `junction sync oruk BASE_URL`: mirror another directory
//! once, from where the last sync of it stopped. `serve` runs the same on a schedule
//! (`JUNCTION_SYNC`).

use crate::Config;
use crate::config::SyncKind;

#[derive(Debug, clap::Subcommand)]
pub enum SyncCommand {
    /// Follow RPDE change feeds: another Junction's `…/feeds` (every kind, in dependency
    /// order) or one kind's feed such as `…/feeds/services`.
    Rpde {
        /// The feeds base or one feed.
        feed_url: String,
    },
    /// Walk an Open Referral UK 3.0 API's services, such as `https://example.org/oruk`.
    Oruk {
        /// The API's base URL.
        base_url: String,
    },
}

/// How many failed items the summary lists.
const SHOWN_FAILURES: usize = 20;

pub async fn run(config: Config, cmd: SyncCommand) -> anyhow::Result<()> {
    let store = super::open_store(&config).await?;
    let (kind, url) = match cmd {
        SyncCommand::Rpde { feed_url } => (SyncKind::Rpde, feed_url),
        SyncCommand::Oruk { base_url } => (SyncKind::Oruk, base_url),
    };
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        anyhow::bail!("'{url}' is not an http(s) URL");
    }
    let report = crate::sync::run(&store, kind, &url).await?;
    println!("Synced {url} ({} pages)", report.pages);
    for (what, lines) in [
        ("not applied", &report.failed),
        ("left off", &report.left_off),
    ] {
        for line in lines.iter().take(SHOWN_FAILURES) {
            println!("  {what}: {line}");
        }
        if lines.len() > SHOWN_FAILURES {
            println!("  … and {} more {what}", lines.len() - SHOWN_FAILURES);
        }
    }
    println!("{}", report.summary());
    Ok(())
}
