//! `junction erase`: carry out an erasure request (UK GDPR art. 17). Without `--apply` it only
//! lists what the register holds about the person; with it, everything listed is removed in
//! one transaction and the erasure is recorded under `--reference` (see `store::erasure`).
//! Mail files written by the file transport that mention the person are deleted too.

use crate::Config;
use crate::domain::erasure::Subject;

#[derive(Debug, clap::Args)]
pub struct EraseArgs {
    /// The person's email address.
    #[arg(long)]
    email: Option<String>,
    /// The person's phone number.
    #[arg(long)]
    phone: Option<String>,
    /// The person's name (matched whole; a name alone may be someone else's too).
    #[arg(long)]
    name: Option<String>,
    /// The council's reference for the request, kept with the record of the erasure.
    #[arg(long)]
    reference: Option<String>,
    /// Erase what is found (without it, only list it).
    #[arg(long)]
    apply: bool,
}

pub async fn run(config: Config, args: EraseArgs) -> anyhow::Result<()> {
    let subject = Subject::new(args.email, args.phone, args.name)
        .map_err(|e| anyhow::anyhow!("--{}: {}", e.field, e.message))?;
    let store = super::open_store(&config).await?;
    if !args.apply {
        let found = store.find_personal_data(&subject).await?;
        for f in &found {
            println!("{}\t{} {}\t{}", f.place, f.row_key, f.field, f.what);
        }
        eprintln!(
            "found {} item(s); nothing changed. Run again with --apply --reference REF to erase them.",
            found.len()
        );
        return Ok(());
    }
    let Some(reference) = args.reference else {
        anyhow::bail!("--reference: give the council's reference for the request with --apply");
    };
    let (erasure, found) = store
        .erase(&subject, &reference, "cli")
        .await
        .map_err(|e| anyhow::anyhow!("{}", super::user::cli_message(&e)))?;
    let mailer = crate::mail::Mailer::from_config(&config)?;
    let files = mailer.forget(&subject)?;
    for f in &found {
        println!("{}\t{} {}\t{}", f.place, f.row_key, f.field, f.what);
    }
    tracing::info!(erasure = %erasure.id, reference = %erasure.reference, redacted = found.len(), "erasure carried out");
    eprintln!(
        "erased {} item(s) and {files} mail file(s); recorded as erasure {} ({})",
        found.len(),
        erasure.id,
        erasure.reference
    );
    Ok(())
}
