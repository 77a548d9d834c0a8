//! `junction import hsds|datapackage|geojson|csv|osm`: register records from other people's
//! data, with a report on every input row or object; and `junction import reviews|merge|distinct`
//! for the likely duplicates an import held back.

use std::path::Path;

use anyhow::{Context, bail};

use crate::Config;
use crate::domain::Organisation;
use crate::import::{self, Options, Parsed, Status, mapping::Mapping, remote};
use crate::store::reviews::Resolution;
use crate::store::{Actor, SourceRef};
use crate::sync::{Client, client};

/// Flags every record import takes.
#[derive(Debug, Clone, clap::Args)]
pub struct ImportFlags {
    /// Do everything except commit: the report says what would happen.
    #[arg(long)]
    pub dry_run: bool,
    /// Exit non-zero when any row or object is rejected.
    #[arg(long)]
    pub strict: bool,
    /// The source's key, which its identifiers are remembered under (default: the format and
    /// file name, e.g. `osm-norwich`; a mapping file's `[source]` key).
    #[arg(long = "source")]
    pub source_key: Option<String>,
    /// The source's name, as credited on the site.
    #[arg(long)]
    pub source_name: Option<String>,
    /// The licence the data comes under, e.g. `ODbL-1.0`, `OGL-UK-3.0`.
    #[arg(long)]
    pub licence: Option<String>,
    /// The credit the licence asks for.
    #[arg(long)]
    pub attribution: Option<String>,
    /// Where the data was published.
    #[arg(long)]
    pub source_url: Option<String>,
    /// A header to send when reading from a URL, as `'Name: value'` (repeatable), e.g. an
    /// API key. Prefer --token-env for secrets: this one stays in shell history.
    #[arg(long = "header", value_name = "'NAME: VALUE'")]
    pub headers: Vec<String>,
    /// Read a bearer token from this environment variable and send it as
    /// `Authorization: Bearer …` when reading from a URL. It is never printed or logged.
    #[arg(long, value_name = "VAR")]
    pub token_env: Option<String>,
}

/// The record formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Hsds,
    Datapackage,
    Geojson,
    Csv,
    Osm,
    Transparency,
}

impl Format {
    fn as_str(self) -> &'static str {
        match self {
            Format::Hsds => "hsds",
            Format::Datapackage => "datapackage",
            Format::Geojson => "geojson",
            Format::Csv => "csv",
            Format::Osm => "osm",
            Format::Transparency => "transparency-csv",
        }
    }
}

/// Reads, maps and writes one input; prints the report (its last line the summary).
pub async fn run(
    config: &Config,
    format: Format,
    input: &str,
    mapping: Option<&Path>,
    flags: ImportFlags,
) -> anyhow::Result<()> {
    let parsed = if remote::is_url(input) {
        let client =
            Client::with_headers(client::headers(&flags.headers, flags.token_env.as_deref())?)?;
        read_url(&client, format, input, mapping).await?
    } else {
        if !flags.headers.is_empty() || flags.token_env.is_some() {
            bail!("--header and --token-env are for reading from a URL");
        }
        read(format, Path::new(input), mapping)?
    };
    let source = source(format, input, &parsed, &flags);
    let store = super::open_store(config).await?;
    let opts = Options {
        actor: Actor::new(format!("import:{}", source.key)),
        source,
        dry_run: flags.dry_run,
    };
    let report = import::write_all(&store, parsed, &opts).await?;
    println!("{report}");
    let rejected = report.count(Status::Rejected);
    if flags.strict && rejected > 0 {
        bail!("--strict: {rejected} rejected");
    }
    Ok(())
}

/// `junction import transparency-csv FILE [--organisation ID-OR-NAME]`: like [`run`], with the
/// owner resolved in the register first when `--organisation` names one.
pub async fn run_transparency(
    config: &Config,
    input: &str,
    organisation: Option<&str>,
    flags: ImportFlags,
) -> anyhow::Result<()> {
    let bytes = if remote::is_url(input) {
        let client =
            Client::with_headers(client::headers(&flags.headers, flags.token_env.as_deref())?)?;
        remote::bytes(&client, input).await?
    } else {
        if !flags.headers.is_empty() || flags.token_env.is_some() {
            bail!("--header and --token-env are for reading from a URL");
        }
        std::fs::read(input).with_context(|| format!("reading {input}"))?
    };
    let store = super::open_store(config).await?;
    let owner = match organisation {
        Some(o) => Some(find_organisation(&store, o).await?),
        None => None,
    };
    let parsed = import::transparency::read(&bytes, input, owner.as_ref())?;
    let source = source(Format::Transparency, input, &parsed, &flags);
    let opts = Options {
        actor: Actor::new(format!("import:{}", source.key)),
        source,
        dry_run: flags.dry_run,
    };
    let report = import::write_all(&store, parsed, &opts).await?;
    println!("{report}");
    let rejected = report.count(Status::Rejected);
    if flags.strict && rejected > 0 {
        bail!("--strict: {rejected} rejected");
    }
    Ok(())
}

/// An organisation of the register by id, or by name (compared as imports compare names).
async fn find_organisation(
    store: &crate::store::Store,
    wanted: &str,
) -> anyhow::Result<import::transparency::FixedOwner> {
    let id = match wanted.trim().parse::<uuid::Uuid>() {
        Ok(id) => Some(id),
        Err(_) => import::dedupe::by_name(&store.db, wanted)
            .await?
            .map(|c| c.id),
    };
    let found = match id {
        Some(id) => store.get::<Organisation>(id).await?,
        None => None,
    };
    let org = found.with_context(|| {
        format!("--organisation: no organisation '{wanted}' in the register (give its id or name, or leave the flag out to use the file's Organisation column)")
    })?;
    Ok(import::transparency::FixedOwner {
        id: org.id,
        name: org.name,
    })
}

/// Reads an input from a URL: the same readers as for a file.
async fn read_url(
    client: &Client,
    format: Format,
    url: &str,
    mapping: Option<&Path>,
) -> anyhow::Result<Parsed> {
    match format {
        Format::Datapackage => remote::datapackage(client, url).await,
        Format::Hsds => remote::hsds(client, url).await,
        Format::Transparency => {
            import::transparency::read(&remote::bytes(client, url).await?, url, None)
        }
        Format::Osm => {
            let (bytes, is_csv) = remote::osm_bytes(client, url).await?;
            import::osm::read(&bytes, is_csv, url)
        }
        Format::Csv | Format::Geojson => {
            let mapping = read_mapping(mapping)?;
            let bytes = remote::bytes(client, url).await?;
            import::mapping::read(&bytes, format == Format::Csv, &mapping, url)
        }
    }
}

fn read_mapping(path: Option<&Path>) -> anyhow::Result<Mapping> {
    let path = path.context("--mapping FILE is required")?;
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    Mapping::parse(&text)
}

fn read(format: Format, input: &Path, mapping: Option<&Path>) -> anyhow::Result<Parsed> {
    let shown = input.display().to_string();
    let bytes = || std::fs::read(input).with_context(|| format!("reading {shown}"));
    let is_csv = input
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    match format {
        Format::Datapackage => import::datapackage::read(input),
        Format::Hsds => import::hsds::read(&bytes()?, &shown),
        Format::Transparency => import::transparency::read(&bytes()?, &shown, None),
        Format::Osm => import::osm::read(&bytes()?, is_csv, &shown),
        Format::Csv | Format::Geojson => {
            let mapping = read_mapping(mapping)?;
            import::mapping::read(&bytes()?, format == Format::Csv, &mapping, &shown)
        }
    }
}

/// The source: the flags, else what the input says (a mapping's `[source]`), else defaults by
/// format and file name (for a URL: its host and path, e.g. `hsds-example-org-oruk`).
fn source(format: Format, input: &str, parsed: &Parsed, flags: &ImportFlags) -> SourceRef {
    let (file, stem) = if remote::is_url(input) {
        (input.to_owned(), remote::url_slug(input))
    } else {
        let path = Path::new(input);
        let file = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = path
            .file_stem()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        (file, remote::slug(&stem))
    };
    let mut s = parsed.source.clone().unwrap_or_else(|| match format {
        // One source for every file, whatever it is called: the natural key carries the owner.
        Format::Transparency => import::transparency::default_source(),
        Format::Osm => SourceRef {
            key: format!("osm-{stem}"),
            name: format!("OpenStreetMap ({file})"),
            licence: Some("ODbL-1.0".into()),
            attribution: Some("© OpenStreetMap contributors".into()),
            url: Some("https://www.openstreetmap.org/copyright".into()),
        },
        other => SourceRef {
            key: format!("{}-{stem}", other.as_str()),
            name: file.clone(),
            licence: None,
            attribution: None,
            url: remote::is_url(input).then(|| input.to_owned()),
        },
    });
    if let Some(k) = &flags.source_key {
        s.key = k.clone();
    }
    if let Some(n) = &flags.source_name {
        s.name = n.clone();
    }
    if flags.licence.is_some() {
        s.licence = flags.licence.clone();
    }
    if flags.attribution.is_some() {
        s.attribution = flags.attribution.clone();
    }
    if flags.source_url.is_some() {
        s.url = flags.source_url.clone();
    }
    s
}

/// `junction import reviews [--all]`.
pub async fn list_reviews(config: &Config, all: bool) -> anyhow::Result<()> {
    let store = super::open_store(config).await?;
    let reviews = store.reviews(all).await?;
    if reviews.is_empty() {
        println!("No {}reviews.", if all { "" } else { "open " });
    }
    for r in reviews {
        let state = r.resolution.map_or("open", Resolution::as_str);
        println!(
            "review {} ({state}): {} [{}] — {}",
            r.id, r.source_key, r.source_id, r.reason
        );
    }
    Ok(())
}

/// `junction import merge ID` / `junction import distinct ID`.
pub async fn resolve(config: &Config, id: i64, resolution: Resolution) -> anyhow::Result<()> {
    let store = super::open_store(config).await?;
    let review = store.resolve_review(id, resolution).await?;
    match resolution {
        Resolution::Merged => println!(
            "Merged: {} [{}] is now {} {}, which keeps its other source identifiers.",
            review.source_key,
            review.source_id,
            review.candidate_kind.label(),
            review.candidate_id
        ),
        Resolution::Distinct => println!(
            "Marked distinct: the next import of {} [{}] creates it.",
            review.source_key, review.source_id
        ),
    }
    Ok(())
}
