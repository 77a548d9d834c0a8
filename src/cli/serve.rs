//! `junction serve`: open (and on first run create) the register, then serve it.

use tokio::net::TcpListener;

use crate::{Config, app, search, start};

#[derive(Debug, Default, clap::Args)]
pub struct ServeArgs {
    /// Don't load the demo register into a brand-new embedded database.
    #[arg(long)]
    pub no_demo: bool,
}

pub async fn run(config: Config, args: ServeArgs) -> anyhow::Result<()> {
    let addr = config.addr;
    let state = start(config, !args.no_demo).await?;
    let _indexer = search::indexer::spawn(state.store.clone(), state.search.clone());
    let schedules = state.config.sync_schedules()?;
    for s in &schedules {
        tracing::info!(kind = s.kind.as_str(), url = %s.url, every = ?s.every, "scheduled sync");
    }
    let _syncs = crate::sync::spawn_schedules(&state.store, schedules);
    let _reminders = match state.config.reminders_period()? {
        Some(every) => {
            tracing::info!(?every, "review reminders");
            Some(crate::reminders::spawn(
                state.store.clone(),
                state.mailer.clone(),
                state.config.clone(),
                crate::auth::signing::LinkKey::for_config(&state.config)?,
                every,
            ))
        }
        None => None,
    };
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr} (JUNCTION_ADDR): {e}"))?;
    tracing::info!(url = %state.config.public_url(), "Junction is serving");
    println!("Junction is serving at http://{addr}");
    // The peer address feeds the per-address sign-in limit.
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        tokio::signal::ctrl_c().await.ok();
    })
    .await?;
    Ok(())
}
