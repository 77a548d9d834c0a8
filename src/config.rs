//! One typed configuration, from command-line flags and `JUNCTION_*` environment variables,
//! checked at start-up with messages that name the variable at fault.

use std::{net::SocketAddr, path::PathBuf, time::Duration};

use anyhow::bail;

/// Settings shared by every subcommand.
#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Where Junction keeps its SQLite database and search index.
    #[arg(
        long,
        env = "JUNCTION_DATA_DIR",
        default_value = "./junction-data",
        global = true
    )]
    pub data_dir: PathBuf,

    /// PostgreSQL (`postgres://user@host/db`) or SQLite (`sqlite://path`) URL. When unset,
    /// Junction uses the embedded SQLite database `<data-dir>/junction.db`.
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,

    /// Address to listen on.
    #[arg(
        long,
        env = "JUNCTION_ADDR",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub addr: SocketAddr,

    /// Base of every absolute URL Junction writes (feeds, sitemap, QR codes, emails).
    /// Defaults to `http://<addr>`. Never taken from a request's Host header.
    #[arg(long, env = "JUNCTION_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,

    /// Map tiles for the website's maps: a URL template with `{z}`, `{x}` and `{y}`. Empty to
    /// draw maps without tiles (markers and attribution only).
    #[arg(
        long,
        env = "JUNCTION_TILE_URL",
        default_value = DEFAULT_TILE_URL,
        global = true
    )]
    pub tile_url: String,

    /// The credit the tile provider asks for, shown on every map.
    #[arg(
        long,
        env = "JUNCTION_TILE_ATTRIBUTION",
        default_value = DEFAULT_TILE_ATTRIBUTION,
        global = true
    )]
    pub tile_attribution: String,

    /// Where the Open Referral UK 3.0 API is mounted: a path such as `/oruk` or
    /// `/openreferral/v3`.
    #[arg(
        long,
        env = "JUNCTION_ORUK_PATH",
        default_value = DEFAULT_ORUK_PATH,
        global = true
    )]
    pub oruk_path: String,

    /// The licence the register's own data is published under (a URL), given in the change
    /// feeds, the exports and on the data sources page.
    #[arg(
        long,
        env = "JUNCTION_DATA_LICENCE",
        default_value = DEFAULT_DATA_LICENCE,
        global = true
    )]
    pub data_licence: String,

    /// The credit re-users of the register's data are asked to give.
    #[arg(
        long,
        env = "JUNCTION_DATA_ATTRIBUTION",
        default_value = DEFAULT_DATA_ATTRIBUTION,
        global = true
    )]
    pub data_attribution: String,

    /// Directories to mirror on a schedule while serving: `KIND:URL@EVERY`, where KIND is
    /// `rpde` or `oruk` and EVERY a period such as `30s`, `15m` or `6h` (default `15m`).
    /// Several are separated by spaces.
    #[arg(
        long = "sync",
        env = "JUNCTION_SYNC",
        value_delimiter = ' ',
        global = true
    )]
    pub sync: Vec<String>,

    /// The mail server for password links (and, later, review reminders), as
    /// `smtps://user:pass@host:465` or `smtp://user:pass@host:587?tls=required`. When unset,
    /// mail is written as `.eml` files into `<data-dir>/mail/` (for development).
    #[arg(long, env = "JUNCTION_SMTP_URL", global = true, hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// Months between reviews of a kind of record, where it differs from the default of 6:
    /// `KIND=MONTHS` for organisation, location, service, space or asset, several separated
    /// by spaces (`asset=12 organisation=12`).
    #[arg(
        long = "review-interval",
        env = "JUNCTION_REVIEW_INTERVALS",
        value_delimiter = ' ',
        global = true
    )]
    pub review_intervals: Vec<String>,

    /// Months a record may stay overdue for review (shown as "last checked N months ago" and
    /// ranked lower) before it leaves default search until someone checks it.
    #[arg(
        long,
        env = "JUNCTION_REVIEW_GRACE_MONTHS",
        default_value_t = crate::domain::freshness::GRACE_MONTHS,
        global = true
    )]
    pub review_grace_months: u32,

    /// The sender of the mail Junction sends.
    #[arg(
        long,
        env = "JUNCTION_MAIL_FROM",
        default_value = DEFAULT_MAIL_FROM,
        global = true
    )]
    pub mail_from: String,

    /// The stages of a community asset transfer case, in order, separated by `;`: cases start
    /// at the first and are complete at the last (withdrawn and declined are always there).
    /// Unset: expression of interest → availability confirmed → business case submitted →
    /// assessment → decision → heads of terms agreed → completed.
    #[arg(long, env = "JUNCTION_TRANSFER_STAGES", global = true)]
    pub transfer_stages: Option<String>,

    /// The secret that signs the links in review reminders ("still correct", "update it") and
    /// the public suggestion form's timestamp. When unset, one is made on first use and kept in
    /// `<data-dir>/link-secret`; nodes sharing one PostgreSQL must share one value.
    #[arg(
        long,
        env = "JUNCTION_LINK_SECRET",
        global = true,
        hide_env_values = true
    )]
    pub link_secret: Option<Secret>,

    /// How often `serve` runs the reminder pass (queue review reminders, deliver the outbox,
    /// purge closed suggestions' emails): `30s`, `15m`, `1h`, `1d`, or `off`.
    #[arg(
        long,
        env = "JUNCTION_REMINDERS_EVERY",
        default_value = DEFAULT_REMINDERS_EVERY,
        global = true
    )]
    pub reminders_every: String,
}

/// A secret setting: its `Debug` never shows the value, so no log of the config can leak it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub String);

impl From<String> for Secret {
    fn from(s: String) -> Self {
        Secret(s)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(hidden)")
    }
}

/// The reminder pass runs hourly unless configured.
pub const DEFAULT_REMINDERS_EVERY: &str = "1h";

/// OpenStreetMap's standard raster tiles (their usage policy asks for the attribution below).
pub const DEFAULT_TILE_URL: &str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
pub const DEFAULT_TILE_ATTRIBUTION: &str = "© OpenStreetMap contributors";
pub const DEFAULT_ORUK_PATH: &str = "/oruk";
/// The Open Government Licence v3.0, the usual licence of UK public-sector open data.
pub const DEFAULT_DATA_LICENCE: &str =
    "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/";
pub const DEFAULT_MAIL_FROM: &str = "Junction <junction@localhost>";
pub const DEFAULT_DATA_ATTRIBUTION: &str =
    "Contains public sector information licensed under the Open Government Licence v3.0.";

impl Config {
    /// A configuration for the given data directory with every other setting at its default.
    pub fn for_data_dir(data_dir: impl Into<PathBuf>) -> Config {
        Config {
            data_dir: data_dir.into(),
            database_url: None,
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            tile_url: DEFAULT_TILE_URL.to_owned(),
            tile_attribution: DEFAULT_TILE_ATTRIBUTION.to_owned(),
            oruk_path: DEFAULT_ORUK_PATH.to_owned(),
            data_licence: DEFAULT_DATA_LICENCE.to_owned(),
            data_attribution: DEFAULT_DATA_ATTRIBUTION.to_owned(),
            sync: Vec::new(),
            smtp_url: None,
            mail_from: DEFAULT_MAIL_FROM.to_owned(),
            transfer_stages: None,
            review_intervals: Vec::new(),
            review_grace_months: crate::domain::freshness::GRACE_MONTHS,
            link_secret: None,
            reminders_every: DEFAULT_REMINDERS_EVERY.to_owned(),
        }
    }

    /// Checks the settings; every message names the flag or variable to fix.
    pub fn validate(&self) -> anyhow::Result<()> {
        if let Some(url) = &self.database_url {
            let scheme_ok = ["postgres://", "postgresql://", "sqlite:"]
                .iter()
                .any(|s| url.starts_with(s));
            if !scheme_ok {
                bail!(
                    "DATABASE_URL is not usable: it must start with postgres://, postgresql:// or sqlite: (got a value starting '{}')",
                    url.chars().take(12).collect::<String>()
                );
            }
        }
        if let Some(public) = &self.public_url
            && !(public.starts_with("http://") || public.starts_with("https://"))
        {
            bail!(
                "JUNCTION_PUBLIC_URL (--public-url) must start with http:// or https:// (got '{public}')"
            );
        }
        let tiles = self.tile_url.trim();
        if !tiles.is_empty() {
            let scheme_ok = tiles.starts_with("https://")
                || tiles.starts_with("http://")
                || tiles.starts_with('/');
            let placeholders = ["{z}", "{x}", "{y}"].iter().all(|p| tiles.contains(p));
            if !scheme_ok || !placeholders {
                bail!(
                    "JUNCTION_TILE_URL (--tile-url) must be an http(s) URL or a path with {{z}}, {{x}} and {{y}}, e.g. {DEFAULT_TILE_URL} (got '{tiles}'); leave it empty for maps without tiles"
                );
            }
        }
        let mount = self.oruk_path.trim_end_matches('/');
        let mount_ok = mount.starts_with('/')
            && mount.len() > 1
            && mount[1..].split('/').all(|seg| {
                !seg.is_empty()
                    && seg
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
            });
        if !mount_ok {
            bail!(
                "JUNCTION_ORUK_PATH (--oruk-path) must be a path like /oruk: a leading slash and segments of letters, digits, '-', '_' or '.' (got '{}')",
                self.oruk_path
            );
        }
        if ["/api", "/feeds", "/static"]
            .iter()
            .any(|taken| mount == *taken || mount.starts_with(&format!("{taken}/")))
        {
            bail!(
                "JUNCTION_ORUK_PATH (--oruk-path) '{mount}' is inside a path Junction already serves (/api, /feeds, /static)"
            );
        }
        let licence = self.data_licence.trim();
        if !(licence.starts_with("https://") || licence.starts_with("http://")) {
            bail!(
                "JUNCTION_DATA_LICENCE (--data-licence) must be the licence's http(s) URL (got '{licence}')"
            );
        }
        self.sync_schedules()?;
        self.review_policy()?;
        if let Some(smtp) = &self.smtp_url
            && !(smtp.starts_with("smtp://") || smtp.starts_with("smtps://"))
        {
            // The URL may hold a password: name the variable, not the value.
            bail!("JUNCTION_SMTP_URL (--smtp-url) must start with smtp:// or smtps://");
        }
        self.reminders_period()?;
        if let Some(secret) = &self.link_secret
            && secret.0.trim().len() < 32
        {
            bail!("JUNCTION_LINK_SECRET (--link-secret) must be at least 32 characters");
        }
        if self.mail_from.parse::<lettre::message::Mailbox>().is_err() {
            bail!(
                "JUNCTION_MAIL_FROM (--mail-from) must be an email address, optionally with a name: 'Junction <junction@example.org>' (got '{}')",
                self.mail_from
            );
        }
        if let Some(stages) = &self.transfer_stages {
            crate::domain::transfer::StageList::parse(stages).map_err(|e| {
                anyhow::anyhow!("JUNCTION_TRANSFER_STAGES (--transfer-stages): {e}")
            })?;
        }
        Ok(())
    }

    /// The stages of a transfer case: the configured list (checked by [`Config::validate`]
    /// at start-up) or the default one.
    pub fn transfer_stages(&self) -> crate::domain::transfer::StageList {
        self.transfer_stages
            .as_deref()
            .and_then(|s| crate::domain::transfer::StageList::parse(s).ok())
            .unwrap_or_default()
    }

    /// Where documents attached to transfer cases are kept (never served publicly).
    pub fn transfer_documents_dir(&self) -> PathBuf {
        self.data_dir.join("transfer-documents")
    }

    /// Whether sign-in cookies must be `Secure` (the public URL is https).
    pub fn is_https(&self) -> bool {
        self.public_url().starts_with("https://")
    }

    /// Where the development mail transport writes `.eml` files.
    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }

    /// How often `serve` runs the reminder pass; `None` when it is `off`.
    pub fn reminders_period(&self) -> anyhow::Result<Option<Duration>> {
        let text = self.reminders_every.trim();
        if text == "off" {
            return Ok(None);
        }
        match parse_period(text) {
            Some(d) if d >= Duration::from_secs(1) => Ok(Some(d)),
            _ => bail!(
                "JUNCTION_REMINDERS_EVERY (--reminders-every) must be a period such as 30s, 15m, 1h or 1d, or off (got '{text}')"
            ),
        }
    }

    /// Where the secret that signs reminder links is kept when `JUNCTION_LINK_SECRET` is unset.
    pub fn link_secret_file(&self) -> PathBuf {
        self.data_dir.join("link-secret")
    }

    /// The ORUK API's mount path, without a trailing slash.
    pub fn oruk_mount(&self) -> &str {
        self.oruk_path.trim_end_matches('/')
    }

    /// The register's data licence URL.
    pub fn licence(&self) -> &str {
        self.data_licence.trim()
    }

    /// Review intervals per kind (`JUNCTION_REVIEW_INTERVALS`) and the grace period, checked.
    pub fn review_policy(&self) -> anyhow::Result<crate::domain::freshness::ReviewPolicy> {
        use crate::domain::RecordKind;
        let usage = "write each as KIND=MONTHS, e.g. asset=12, for organisation, location, service, space or asset";
        let mut policy = crate::domain::freshness::ReviewPolicy::default();
        policy.grace_months = self.review_grace_months;
        if self.review_grace_months > 120 {
            bail!("JUNCTION_REVIEW_GRACE_MONTHS (--review-grace-months) must be at most 120");
        }
        for entry in self
            .review_intervals
            .iter()
            .map(|e| e.trim())
            .filter(|e| !e.is_empty())
        {
            let Some((kind, months)) = entry.split_once('=') else {
                bail!(
                    "JUNCTION_REVIEW_INTERVALS (--review-interval): '{entry}' is not KIND=MONTHS; {usage}"
                );
            };
            let kind = RecordKind::parse(kind.trim())
                .filter(|k| *k != RecordKind::TaxonomyTerm)
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "JUNCTION_REVIEW_INTERVALS (--review-interval): unknown kind '{kind}' in '{entry}'; {usage}"
                    )
                })?;
            let months: u32 = months
                .trim()
                .parse()
                .ok()
                .filter(|m| (1..=120).contains(m))
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "JUNCTION_REVIEW_INTERVALS (--review-interval): '{entry}' needs a whole number of months from 1 to 120"
                    )
                })?;
            policy = policy.with_interval(kind, months);
        }
        Ok(policy)
    }

    /// The review policy, or the default if the settings are bad (they are checked at
    /// start-up, so a running server never sees bad ones).
    pub fn reviews(&self) -> crate::domain::freshness::ReviewPolicy {
        self.review_policy().unwrap_or_default()
    }

    /// The scheduled syncs in `JUNCTION_SYNC`, checked.
    pub fn sync_schedules(&self) -> anyhow::Result<Vec<SyncSchedule>> {
        self.sync
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(|s| SyncSchedule::parse(s.trim()))
            .collect()
    }

    /// The tile URL template, or `None` when maps are drawn without tiles.
    pub fn tiles(&self) -> Option<&str> {
        Some(self.tile_url.trim()).filter(|t| !t.is_empty())
    }

    /// True when Junction runs on its embedded SQLite database (no DATABASE_URL).
    pub fn is_embedded(&self) -> bool {
        self.database_url.is_none()
    }

    /// The database URL to connect to.
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("junction.db").display()
            ),
        }
    }

    pub fn index_dir(&self) -> PathBuf {
        self.data_dir.join("index")
    }

    /// The public base URL without a trailing slash.
    pub fn public_url(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.addr),
        }
    }
}

/// What a directory speaks, for `junction sync`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncKind {
    /// RPDE 1.0 change feeds (another Junction's `/feeds`).
    Rpde,
    /// An Open Referral UK 3.0 API.
    Oruk,
}

impl SyncKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SyncKind::Rpde => "rpde",
            SyncKind::Oruk => "oruk",
        }
    }
}

/// One scheduled sync from `JUNCTION_SYNC`: mirror `url` every `every`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncSchedule {
    pub kind: SyncKind,
    pub url: String,
    pub every: Duration,
}

/// How often a scheduled sync runs when `@EVERY` is left out.
const DEFAULT_SYNC_EVERY: Duration = Duration::from_secs(15 * 60);

impl SyncSchedule {
    /// Reads `KIND:URL@EVERY` (`rpde:https://example.org/feeds@15m`).
    pub fn parse(text: &str) -> anyhow::Result<SyncSchedule> {
        let usage = "write each as KIND:URL@EVERY, e.g. rpde:https://example.org/feeds@15m";
        let Some((kind, rest)) = text.split_once(':') else {
            bail!("JUNCTION_SYNC (--sync): '{text}' names no kind; {usage}");
        };
        let kind = match kind {
            "rpde" => SyncKind::Rpde,
            "oruk" => SyncKind::Oruk,
            other => bail!(
                "JUNCTION_SYNC (--sync): unknown kind '{other}' in '{text}'; it must be rpde or oruk"
            ),
        };
        // The period comes after the last '@', if what follows it reads as one (a URL may
        // hold an '@' of its own).
        let (url, every) = match rest
            .rsplit_once('@')
            .and_then(|(u, e)| Some((u, parse_period(e)?)))
        {
            Some((url, every)) => (url, every),
            None => (rest, DEFAULT_SYNC_EVERY),
        };
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            bail!("JUNCTION_SYNC (--sync): '{url}' is not an http(s) URL; {usage}");
        }
        if every < Duration::from_secs(1) {
            bail!("JUNCTION_SYNC (--sync): the period in '{text}' must be at least 1s");
        }
        Ok(SyncSchedule {
            kind,
            url: url.to_owned(),
            every,
        })
    }
}

/// `30s`, `15m`, `6h`, `1d`.
fn parse_period(text: &str) -> Option<Duration> {
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (n, unit) = text.split_at(split);
    let n: u64 = n.parse().ok()?;
    let secs = match unit {
        "s" => n,
        "m" => n.checked_mul(60)?,
        "h" => n.checked_mul(3600)?,
        "d" => n.checked_mul(86_400)?,
        _ => return None,
    };
    Some(Duration::from_secs(secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_database_url_names_the_variable() {
        let mut c = Config::for_data_dir("/tmp/x");
        c.database_url = Some("mysql://root@localhost/x".into());
        let err = c.validate().unwrap_err().to_string();
        assert!(err.contains("DATABASE_URL"), "{err}");
    }

    #[test]
    fn tile_url_needs_its_placeholders() {
        let mut c = Config::for_data_dir("/tmp/x");
        assert!(c.validate().is_ok());
        assert!(c.tiles().is_some());
        c.tile_url = "https://tiles.example/{z}/{x}.png".into();
        let err = c.validate().unwrap_err().to_string();
        assert!(err.contains("JUNCTION_TILE_URL"), "{err}");
        c.tile_url = String::new();
        assert!(c.validate().is_ok());
        assert_eq!(c.tiles(), None);
    }

    #[test]
    fn public_url_defaults_to_the_listen_address() {
        let c = Config::for_data_dir("/tmp/x");
        assert_eq!(c.public_url(), "http://127.0.0.1:8080");
        assert!(c.database_url().starts_with("sqlite://"));
    }

    #[test]
    fn oruk_path_and_licence_are_checked() {
        let mut c = Config::for_data_dir("/tmp/x");
        assert_eq!(c.oruk_mount(), "/oruk");
        c.oruk_path = "/openreferral/v3/".into();
        assert!(c.validate().is_ok());
        assert_eq!(c.oruk_mount(), "/openreferral/v3");
        for bad in ["oruk", "/", "/api/oruk", "/a b"] {
            c.oruk_path = bad.into();
            let err = c.validate().unwrap_err().to_string();
            assert!(err.contains("JUNCTION_ORUK_PATH"), "{bad}: {err}");
        }
        c.oruk_path = "/oruk".into();
        c.data_licence = "ODbL".into();
        let err = c.validate().unwrap_err().to_string();
        assert!(err.contains("JUNCTION_DATA_LICENCE"), "{err}");
    }

    #[test]
    fn mail_settings_are_checked_without_echoing_the_smtp_password() {
        let mut c = Config::for_data_dir("/tmp/x");
        c.smtp_url = Some("http://user:hunter2@mail.example".into());
        let err = c.validate().unwrap_err().to_string();
        assert!(err.contains("JUNCTION_SMTP_URL"), "{err}");
        assert!(!err.contains("hunter2"), "{err}");
        c.smtp_url = Some("smtps://user:hunter2@mail.example".into());
        assert!(c.validate().is_ok());
        c.mail_from = "not an address".into();
        let err = c.validate().unwrap_err().to_string();
        assert!(err.contains("JUNCTION_MAIL_FROM"), "{err}");
    }

    #[test]
    fn transfer_stages_are_checked_at_start_up() {
        let mut c = Config::for_data_dir("/tmp/x");
        assert_eq!(c.transfer_stages().first().label, "Expression of interest");
        c.transfer_stages = Some("Interest; Survey; Done".into());
        assert!(c.validate().is_ok());
        assert_eq!(c.transfer_stages().last().key, "done");
        c.transfer_stages = Some("Interest; Declined".into());
        let err = c.validate().unwrap_err().to_string();
        assert!(err.contains("JUNCTION_TRANSFER_STAGES"), "{err}");
    }

    #[test]
    fn review_intervals_are_read_per_kind() {
        use crate::domain::RecordKind;
        let mut c = Config::for_data_dir("/tmp/x");
        assert_eq!(c.reviews().interval(RecordKind::Asset), Some(6));
        c.review_intervals = vec!["asset=12".into(), "organisation=24".into()];
        c.review_grace_months = 1;
        let p = c.review_policy().unwrap();
        assert_eq!(p.interval(RecordKind::Asset), Some(12));
        assert_eq!(p.interval(RecordKind::Organisation), Some(24));
        assert_eq!(p.interval(RecordKind::Service), Some(6));
        assert_eq!(p.grace_months, 1);
        for bad in [
            "asset",
            "assets=12",
            "asset=0",
            "taxonomy_term=3",
            "asset=x",
        ] {
            c.review_intervals = vec![bad.into()];
            let err = c.validate().unwrap_err().to_string();
            assert!(err.contains("JUNCTION_REVIEW_INTERVALS"), "{bad}: {err}");
        }
    }

    #[test]
    fn sync_schedules_read_kind_url_and_period() {
        let s = SyncSchedule::parse("rpde:http://a.example/feeds@30s").unwrap();
        assert_eq!(s.kind, SyncKind::Rpde);
        assert_eq!(s.url, "http://a.example/feeds");
        assert_eq!(s.every, Duration::from_secs(30));
        let s = SyncSchedule::parse("oruk:https://u:p@b.example/oruk").unwrap();
        assert_eq!(s.url, "https://u:p@b.example/oruk");
        assert_eq!(s.every, DEFAULT_SYNC_EVERY);
        assert_eq!(
            SyncSchedule::parse("oruk:https://b.example@6h")
                .unwrap()
                .every,
            Duration::from_secs(6 * 3600)
        );
        for bad in [
            "ftp://x",
            "csv:http://x",
            "rpde:x.example/feeds@15m",
            "rpde:http://x@0s",
        ] {
            let err = SyncSchedule::parse(bad).unwrap_err().to_string();
            assert!(err.contains("JUNCTION_SYNC"), "{bad}: {err}");
        }
    }
}
