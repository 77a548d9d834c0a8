//! `junction sync oruk BASE_URL`: mirror an Open Referral UK 3.0 API.
//!
//! Walks `BASE_URL/services` page by page (only those changed since the last run, by
//! `modified_after`), reads each service fully nested from `/services/{id}` when the list
//! doesn't give it so, and writes its organisation, locations and the service itself
//! (`hsds_in`). The newest `last_modified` seen is stored only when a walk completes: the list
//! is ordered by name, not by date, so a walk that stops part-way starts again from the same
//! point next time. ORUK publishes no deletions: each run then walks the complete list of ids
//! and deletes what is no longer there (`oruk_deletes`).

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::Value;

use super::state::{self, Position};
use super::{Client, Report, hsds_in, known_categories, reason, upsert};
use crate::config::SyncKind;
use crate::domain::{Location, Organisation, Service};
use crate::store::{SourceRef, Store};

/// Services asked for per page.
const PER_PAGE: u32 = 100;
/// Pages one run reads at most.
const MAX_PAGES: u32 = 100_000;

/// The source every record mirrored from an ORUK API belongs to.
pub fn source_for(base: &str) -> SourceRef {
    SourceRef {
        key: format!("{}oruk:{base}", super::MIRROR_PREFIX),
        name: format!("Open Referral UK API at {base}"),
        licence: None,
        attribution: None,
        url: Some(base.to_owned()),
    }
}

/// Mirrors the ORUK API at `url` once.
pub async fn sync(store: &Store, client: &Client, url: &str) -> anyhow::Result<Report> {
    let base = url.trim_end_matches('/');
    let source = source_for(base);
    let since = state::load(store, base)
        .await?
        .and_then(|p| p.after_timestamp)
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc));
    let mut newest = since;
    let mut report = Report::default();
    let mut walk = Walk::new(client, base, since);
    while let Some(services) = walk.next_page().await? {
        report.pages += 1;
        for full in services {
            let modified = full["last_modified"]
                .as_str()
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.with_timezone(&Utc));
            newest = newest.max(modified);
            apply(store, &source, &full, &mut report).await;
        }
    }
    let position = Position {
        after_timestamp: newest.map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true)),
        ..Position::default()
    };
    state::save(store, base, SyncKind::Oruk, &position).await?;
    super::oruk_deletes::delete_unlisted(store, client, base, &source, &mut report).await?;
    Ok(report)
}

/// A walk through an ORUK API's `/services`, page by page, each service read fully nested
/// (from `/services/{id}` when the list doesn't give it so).
pub struct Walk<'a> {
    client: &'a Client,
    base: String,
    since: Option<DateTime<Utc>>,
    page: u32,
    done: bool,
}

impl<'a> Walk<'a> {
    /// A walk of every service at `base`, or of those changed since `since`.
    pub fn new(client: &'a Client, base: &str, since: Option<DateTime<Utc>>) -> Self {
        Walk {
            client,
            base: base.trim_end_matches('/').to_owned(),
            since,
            page: 0,
            done: false,
        }
    }

    /// The next page's services, fully nested; `None` once the last page has been read. An
    /// error (a page or a service that can't be read) ends the walk.
    pub async fn next_page(&mut self) -> anyhow::Result<Option<Vec<Value>>> {
        if self.done {
            return Ok(None);
        }
        self.page += 1;
        if self.page > MAX_PAGES {
            anyhow::bail!(
                "{}/services: gave up after {MAX_PAGES} pages without reaching the last",
                self.base
            );
        }
        let mut list = format!(
            "{}/services?page={}&per_page={PER_PAGE}",
            self.base, self.page
        );
        if let Some(since) = self.since {
            let at = since.to_rfc3339_opts(SecondsFormat::Millis, true);
            list.push_str("&modified_after=");
            list.extend(form_urlencoded::byte_serialize(at.as_bytes()));
        }
        let body = self.client.json(&list).await?;
        let contents = page_contents(&body, &list)?;
        let mut services = Vec::with_capacity(contents.len());
        for item in contents {
            if item.get("service_at_locations").is_some() {
                services.push(item.clone());
            } else {
                let id = item["id"].as_str().unwrap_or_default();
                let one = format!("{}/services/{id}", self.base);
                services.push(self.client.json(&one).await?);
            }
        }
        self.done = is_last(&body, self.page);
        Ok(Some(services))
    }
}

/// The `contents` of an ORUK page; an error naming `url` when it isn't one.
pub(super) fn page_contents<'v>(body: &'v Value, url: &str) -> anyhow::Result<&'v Vec<Value>> {
    body["contents"]
        .as_array()
        .ok_or_else(|| anyhow::anyhow!("{url}: not an ORUK page (no contents)"))
}

/// Whether `body`, page number `page`, is the last page.
pub(super) fn is_last(body: &Value, page: u32) -> bool {
    body["last_page"].as_bool().unwrap_or(true)
        || body["contents"].as_array().is_none_or(Vec::is_empty)
        || body["total_pages"]
            .as_u64()
            .is_some_and(|n| u64::from(page) >= n)
}

/// Writes one nested service: its organisation, its locations, then the service.
async fn apply(store: &Store, source: &SourceRef, full: &Value, report: &mut Report) {
    let label = format!("service {}", full["id"].as_str().unwrap_or_default());
    let mut mapped = match hsds_in::service(full) {
        Ok(m) => m,
        Err(why) => return report.fail(format!("{label}: {why}")),
    };
    for note in mapped.notes.drain(..) {
        report.leave_off(format!("{label}: {note}"));
    }
    let (org_id, org) = mapped.organisation;
    match upsert::<Organisation>(store, source, org_id, org).await {
        Ok(outcome) => report.count(outcome),
        Err(e) => return report.fail(format!("{label}: organisation {org_id}: {}", reason(e))),
    }
    let mut placed = Vec::new();
    for (location_id, location) in mapped.locations {
        match upsert::<Location>(store, source, location_id, location).await {
            Ok(outcome) => {
                report.count(outcome);
                placed.push(Value::String(location_id.to_string()));
            }
            Err(e) => report.fail(format!("{label}: location {location_id}: {}", reason(e))),
        }
    }
    let (service_id, mut service) = mapped.service;
    service["location_ids"] = Value::Array(placed);
    let slugs = service["categories"]
        .as_array()
        .map(|c| {
            c.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    match known_categories(store, slugs, &label, report).await {
        Ok(kept) => service["categories"] = Value::Array(kept),
        Err(e) => return report.fail(format!("{label}: {}", reason(e))),
    }
    match upsert::<Service>(store, source, service_id, service).await {
        Ok(outcome) => report.count(outcome),
        Err(e) => report.fail(format!("{label}: {}", reason(e))),
    }
}
