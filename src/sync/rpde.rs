//! `junction sync rpde FEED_URL`: follow another Junction's RPDE change feeds.
//!
//! FEED_URL is one kind's feed (`…/feeds/services`) or their base (`…/feeds`), which means
//! every kind in dependency order: organisations, locations, services, assets, spaces (a space
//! may name the asset it is part of). Each
//! feed is read from where the last run stopped (its stored `next` URL) to the empty last
//! page; `updated` items are created or updated, `deleted` ones deleted when this source gave
//! them to us. Categories travel as the origin's term ids, so they are matched here by slug
//! through the origin's `/api/v1/taxonomy-terms`; a category this register doesn't have is
//! left off the record and reported.

use std::collections::HashMap;

use serde_json::Value;
use uuid::Uuid;

use super::state::{self, Position};
use super::{Client, Report, delete, known_categories, reason, upsert};
use crate::config::SyncKind;
use crate::domain::{Asset, Location, Organisation, RecordKind, Service, Space};
use crate::error::{AppError, Result};
use crate::store::{SourceRef, Store};

/// The feeds of a base URL, in the order their records depend on each other.
const FEEDS: [&str; 5] = ["organisations", "locations", "services", "assets", "spaces"];

/// Pages one run reads from one feed at most: a guard against a feed whose `next` never ends.
const MAX_PAGES: u64 = 100_000;

/// The feeds base and the feeds to follow for `url`.
pub fn feeds_of(url: &str) -> (String, Vec<String>) {
    let url = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .trim_end_matches('/');
    match url.rsplit_once('/') {
        Some((base, last)) if FEEDS.contains(&last) => (base.to_owned(), vec![url.to_owned()]),
        _ => (
            url.to_owned(),
            FEEDS.iter().map(|f| format!("{url}/{f}")).collect(),
        ),
    }
}

/// The source every record mirrored from a feeds base belongs to.
pub fn source_for(base: &str, licence: Option<String>) -> SourceRef {
    SourceRef {
        key: format!("{}rpde:{base}", super::MIRROR_PREFIX),
        name: format!("RPDE feeds at {base}"),
        licence,
        attribution: None,
        url: Some(base.to_owned()),
    }
}

/// Mirrors the feeds at `url` once.
pub async fn sync(store: &Store, client: &Client, url: &str) -> anyhow::Result<Report> {
    let (base, feeds) = feeds_of(url);
    let mut run = Run {
        store,
        client,
        base: base.clone(),
        source: source_for(&base, None),
        terms: None,
        report: Report::default(),
        blocked: Vec::new(),
    };
    for feed in &feeds {
        run.feed(feed).await?;
    }
    // Deletes that waited for their dependants' own updates or deletes, most dependent first.
    let mut blocked = std::mem::take(&mut run.blocked);
    blocked.sort_by_key(|(kind, _)| std::cmp::Reverse(kind_order(*kind)));
    for (kind, id) in blocked {
        match run.delete(kind, &id).await {
            Ok(true) => run.report.deleted += 1,
            Ok(false) => run.report.fail(format!(
                "{} {id}: deleted at the source, but records here still point at it",
                kind.label()
            )),
            Err(e) => run
                .report
                .fail(format!("{} {id}: {}", kind.label(), reason(e))),
        }
    }
    Ok(run.report)
}

/// The kind a feed carries, by the last segment of its URL.
fn kind_of(feed_name: &str) -> Option<RecordKind> {
    RecordKind::ALL
        .into_iter()
        .find(|k| *k != RecordKind::TaxonomyTerm && k.resource() == feed_name)
}

fn kind_order(kind: RecordKind) -> usize {
    FEEDS
        .iter()
        .position(|f| kind_of(f) == Some(kind))
        .unwrap_or(FEEDS.len())
}

fn not_mirrored() -> AppError {
    AppError::bad_request("invalid_record", "taxonomy terms are not mirrored", None)
}

struct Run<'a> {
    store: &'a Store,
    client: &'a Client,
    base: String,
    source: SourceRef,
    /// The origin's term id → slug, fetched when first needed.
    terms: Option<HashMap<String, String>>,
    report: Report,
    /// Deletes refused because records here still pointed at them, to try again at the end.
    blocked: Vec<(RecordKind, String)>,
}

impl Run<'_> {
    async fn feed(&mut self, feed: &str) -> anyhow::Result<()> {
        let kind = feed
            .rsplit('/')
            .next()
            .and_then(kind_of)
            .ok_or_else(|| anyhow::anyhow!("{feed} is not a Junction feed"))?;
        let stored = state::load(self.store, feed).await?;
        let mut url = stored
            .and_then(|p| p.next_url)
            .unwrap_or_else(|| feed.to_owned());
        for _ in 0..MAX_PAGES {
            let page = self.client.json(&url).await?;
            self.report.pages += 1;
            if let Some(licence) = page["license"].as_str() {
                self.source.licence = Some(licence.to_owned());
            }
            let items = page["items"]
                .as_array()
                .ok_or_else(|| anyhow::anyhow!("{url}: not an RPDE page (no items)"))?;
            let next = page["next"]
                .as_str()
                .ok_or_else(|| anyhow::anyhow!("{url}: not an RPDE page (no next)"))?
                .to_owned();
            for item in items {
                self.item(kind, item).await?;
            }
            let position = match items.last() {
                Some(last) => Position {
                    after_timestamp: Some(text(&last["modified"])),
                    after_id: Some(text(&last["id"])),
                    next_url: Some(next.clone()),
                },
                None => Position {
                    next_url: Some(next.clone()),
                    ..state::load(self.store, feed).await?.unwrap_or_default()
                },
            };
            state::save(self.store, feed, SyncKind::Rpde, &position).await?;
            if items.is_empty() || next == url {
                return Ok(());
            }
            url = next;
        }
        anyhow::bail!("{feed}: gave up after {MAX_PAGES} pages without reaching the last")
    }

    async fn item(&mut self, kind: RecordKind, item: &Value) -> anyhow::Result<()> {
        let id = text(&item["id"]);
        let label = format!("{} {id}", kind.label());
        match item["state"].as_str() {
            Some("deleted") => match self.delete(kind, &id).await {
                Ok(true) => self.report.deleted += 1,
                Ok(false) => self.blocked.push((kind, id)),
                Err(e) => self.report.fail(format!("{label}: {}", reason(e))),
            },
            Some("updated") => {
                let Ok(origin_id) = id.parse::<Uuid>() else {
                    self.report.fail(format!("{label}: the id is not a UUID"));
                    return Ok(());
                };
                let mut data = item["data"].clone();
                if let Some(fields) = data.as_object_mut() {
                    // Another source's licence, which this mirror doesn't carry on (its
                    // records are under the feed's licence, kept on the source).
                    fields.remove("licence");
                }
                complete_hidden_address(&mut data);
                self.localise_categories(&mut data, &label).await?;
                match self.upsert(kind, origin_id, data).await {
                    Ok(outcome) => self.report.count(outcome),
                    Err(e) => self.report.fail(format!("{label}: {}", reason(e))),
                }
            }
            other => self
                .report
                .fail(format!("{label}: unknown state {other:?}")),
        }
        Ok(())
    }

    async fn upsert(
        &self,
        kind: RecordKind,
        id: Uuid,
        data: Value,
    ) -> Result<crate::store::Outcome> {
        let (store, source) = (self.store, &self.source);
        match kind {
            RecordKind::Organisation => upsert::<Organisation>(store, source, id, data).await,
            RecordKind::Location => upsert::<Location>(store, source, id, data).await,
            RecordKind::Service => upsert::<Service>(store, source, id, data).await,
            RecordKind::Space => upsert::<Space>(store, source, id, data).await,
            RecordKind::Asset => upsert::<Asset>(store, source, id, data).await,
            RecordKind::TaxonomyTerm => Err(not_mirrored()),
        }
    }

    async fn delete(&self, kind: RecordKind, id: &str) -> Result<bool> {
        let (store, source) = (self.store, &self.source);
        match kind {
            RecordKind::Organisation => delete::<Organisation>(store, source, id).await,
            RecordKind::Location => delete::<Location>(store, source, id).await,
            RecordKind::Service => delete::<Service>(store, source, id).await,
            RecordKind::Space => delete::<Space>(store, source, id).await,
            RecordKind::Asset => delete::<Asset>(store, source, id).await,
            RecordKind::TaxonomyTerm => Err(not_mirrored()),
        }
    }

    /// Replaces the origin's category ids with their slugs; drops (and reports) any this
    /// register doesn't know.
    async fn localise_categories(&mut self, data: &mut Value, label: &str) -> anyhow::Result<()> {
        let Some(categories) = data.get("categories").and_then(Value::as_array).cloned() else {
            return Ok(());
        };
        if categories.is_empty() {
            return Ok(());
        }
        if self.terms.is_none() {
            self.terms = Some(self.origin_terms().await?);
        }
        let terms = self.terms.as_ref();
        let slugs = categories
            .iter()
            .map(|c| {
                let c = text(c);
                terms.and_then(|t| t.get(&c)).cloned().unwrap_or(c)
            })
            .collect();
        data["categories"] =
            Value::Array(known_categories(self.store, slugs, label, &mut self.report).await?);
        Ok(())
    }

    /// The origin's taxonomy terms, id → slug, from its public API beside the feeds.
    async fn origin_terms(&self) -> anyhow::Result<HashMap<String, String>> {
        let root = self.base.strip_suffix("/feeds").unwrap_or(&self.base);
        let mut terms = HashMap::new();
        for page in 1.. {
            let url = format!("{root}/api/v1/taxonomy-terms?per_page=200&page={page}");
            let body = self.client.json(&url).await?;
            let items = body["items"].as_array().cloned().unwrap_or_default();
            for t in &items {
                terms.insert(text(&t["id"]), text(&t["slug"]));
            }
            let total = body["total"].as_u64().unwrap_or(0);
            if items.is_empty() || terms.len() as u64 >= total {
                break;
            }
        }
        Ok(terms)
    }
}

/// What a hidden address is stored with here: the origin publishes no first line for it (and
/// only the postcode district), but a location needs one. Never published: the public view of
/// a hidden address leaves it out.
pub const ADDRESS_NOT_PUBLISHED: &str = "Address not published by the source";

fn complete_hidden_address(data: &mut Value) {
    if data["hide_address"] == Value::Bool(true)
        && data.get("address_1").is_none_or(Value::is_null)
        && let Some(location) = data.as_object_mut()
    {
        location.insert("address_1".into(), ADDRESS_NOT_PUBLISHED.into());
    }
}

/// A JSON string or number as text.
fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_means_every_feed_in_dependency_order() {
        let (base, feeds) = feeds_of("http://a.example:8080/feeds/");
        assert_eq!(base, "http://a.example:8080/feeds");
        assert_eq!(feeds[0], "http://a.example:8080/feeds/organisations");
        assert_eq!(feeds.len(), 5);
        let (base, feeds) = feeds_of("http://a.example/feeds/services?afterTimestamp=3");
        assert_eq!(base, "http://a.example/feeds");
        assert_eq!(feeds, vec!["http://a.example/feeds/services".to_owned()]);
    }
}
