//! Keeps the index in step with the database by tailing the change log. The index records
//! the last seq it applied (in its commit payload); at start-up it catches up from there,
//! or is rebuilt from the database when missing or of another schema version.

use std::{
    collections::{BTreeSet, HashMap},
    time::Duration,
};

use uuid::Uuid;

use super::card::{Ask, Card, summarise};
use super::{IndexDoc, IndexOp, SearchIndex};
use crate::domain::{
    Asset, Location, Organisation, Publication, Record, RecordKind, Service, Space, TaxonomyTerm,
};
use crate::store::{Store, Stored, links};

/// How many changes are read and applied per index commit while catching up.
const BATCH: u64 = 1000;

/// How often the indexer looks at the log even without a local write (writes made by
/// other nodes or processes sharing the database).
const POLL: Duration = Duration::from_millis(500);

/// A term as the indexer needs it: slug, name and parent.
type TermEntry = (String, String, Option<Uuid>);

/// The taxonomy as the indexer needs it.
#[derive(Default)]
pub struct TermTree {
    terms: HashMap<Uuid, TermEntry>,
}

impl TermTree {
    pub async fn load(store: &Store) -> anyhow::Result<TermTree> {
        let ids = store.all_ids::<TaxonomyTerm>().await?;
        let terms = store
            .get_many::<TaxonomyTerm>(&ids)
            .await?
            .into_iter()
            .map(|t| (t.id, (t.slug, t.name, t.parent_id)))
            .collect();
        Ok(TermTree { terms })
    }

    /// The term and its ancestors, nearest first (loops cut off).
    fn lineage(&self, id: Uuid) -> Vec<(Uuid, &TermEntry)> {
        let mut out = Vec::new();
        let mut cursor = Some(id);
        while let Some(c) = cursor {
            if out.len() > 20 || out.iter().any(|(seen, _)| *seen == c) {
                break;
            }
            let Some(t) = self.terms.get(&c) else { break };
            out.push((c, t));
            cursor = t.2;
        }
        out
    }
}

fn strings(v: &serde_json::Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(|a| a.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

async fn build<R: Stored>(store: &Store, terms: &TermTree, id: Uuid) -> anyhow::Result<IndexOp> {
    let Some(mut record) = store.get::<R>(id).await? else {
        return Ok(IndexOp::Remove(R::KIND, id));
    };
    record.make_public();
    let text = record.search_text();
    let json = serde_json::to_value(&record)?;
    let mut points: Vec<[f64; 2]> = record
        .own_point()
        .map(|(lon, lat)| [lon, lat])
        .into_iter()
        .collect();
    let mut accessibility = strings(&json, "accessibility");
    let location_ids = record.location_refs();
    for mut location in store.get_many::<Location>(&location_ids).await? {
        location.make_public();
        let (lon, lat) = location.lon_lat();
        points.push([lon, lat]);
        accessibility.extend(location.accessibility.iter().map(|a| a.as_str().to_owned()));
    }
    accessibility.sort();
    accessibility.dedup();
    let mut category_names = Vec::new();
    let mut category_keys = Vec::new();
    let mut top_categories = Vec::new();
    for term_id in record.links().map(|l| l.category_ids).unwrap_or_default() {
        let lineage = terms.lineage(term_id);
        if let Some((_, (_, name, _))) = lineage.first() {
            category_names.push(name.clone());
        }
        for (tid, (slug, _, _)) in &lineage {
            category_keys.push(tid.to_string());
            category_keys.push(slug.clone());
        }
        if let Some((_, (slug, _, _))) = lineage.last()
            && !top_categories.contains(slug)
        {
            top_categories.push(slug.clone());
        }
    }
    // A term's own document is filed under itself, so `category=` finds it too.
    if R::KIND == RecordKind::TaxonomyTerm {
        for (tid, (slug, _, _)) in terms.lineage(id) {
            category_keys.push(tid.to_string());
            category_keys.push(slug.clone());
        }
    }
    // Boundaries from the public points, so a hidden address is placed no more exactly than
    // it is shown.
    let mut boundaries: Vec<String> = {
        let index = crate::geo::boundaries::read(&store.boundaries);
        points
            .iter()
            .flat_map(|[lon, lat]| index.codes_at(*lon, *lat))
            .collect()
    };
    // Service areas: known boundaries by code, other polygons kept on the card.
    let mut area_codes = Vec::new();
    let mut area_extents = Vec::new();
    for area in json
        .get("service_areas")
        .and_then(|a| a.as_array())
        .into_iter()
        .flatten()
    {
        if let Some(code) = area.get("boundary_code").and_then(|c| c.as_str()) {
            area_codes.push(code.to_owned());
        } else if let Some(extent) = area.get("extent") {
            area_extents.push(extent.clone());
        }
    }
    boundaries.extend(area_codes.iter().cloned());
    boundaries.sort();
    boundaries.dedup();
    let access = strings(&json, "access");
    let remote = R::KIND == RecordKind::Service
        && points.is_empty()
        && area_codes.is_empty()
        && area_extents.is_empty();
    let int = |key: &str| {
        json.get(key)
            .and_then(serde_json::Value::as_i64)
            .and_then(|n| i32::try_from(n).ok())
    };
    let mut usage = Usage::of(R::KIND, id, &json);
    if R::KIND == RecordKind::Asset {
        usage.add_spaces(store, id).await?;
    }
    let card = Card {
        kind: R::KIND.as_str().to_owned(),
        id,
        name: text.name.clone(),
        summary: summarise(&text.description),
        points,
        top_categories,
        accessibility,
        free: json
            .get("free")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(false),
        opening_hours: json
            .get("opening_hours")
            .and_then(|h| h.as_str())
            .map(str::to_owned),
        status: json
            .get("status")
            .and_then(|s| s.as_str())
            .map(str::to_owned),
        min_age: int("min_age"),
        max_age: int("max_age"),
        remote: remote
            && (access.is_empty() || access.iter().any(|a| a == "online" || a == "phone")),
        // A record never checked counts its creation as its check (`domain::freshness`).
        last_verified_at: record
            .meta()
            .map(|m| m.last_verified_at.unwrap_or(m.created_at)),
        area_codes,
        area_extents,
        capacity: usage.capacity,
        facilities: usage.facilities,
        hourly_rate: usage.hourly_rate,
        ask: usage.ask,
    };
    Ok(IndexOp::Upsert(Box::new(IndexDoc {
        card,
        published: record.publication() == Publication::Published,
        category_names,
        category_keys,
        description: text.description,
        extra: text.extra,
        languages: strings(&json, "languages"),
        boundaries,
    })))
}

/// What searching for a space needs of a space or an asset: how many it holds, its
/// facilities, its rate and how to ask to use it.
#[derive(Default)]
struct Usage {
    capacity: Option<i32>,
    facilities: Vec<String>,
    hourly_rate: Option<f64>,
    ask: Option<Ask>,
}

impl Usage {
    fn of(kind: RecordKind, id: Uuid, json: &serde_json::Value) -> Usage {
        let text = |key: &str| {
            json.get(key)
                .and_then(|v| v.as_str())
                .filter(|s| !s.is_empty())
        };
        let ask = |action: &str, label: &str, url: Option<String>| {
            Some(Ask {
                action: action.to_owned(),
                label: label.to_owned(),
                url,
            })
        };
        let ask = match kind {
            RecordKind::Space => match text("booking_url") {
                Some(url) => ask("book", "Book online", Some(url.to_owned())),
                None if ["email", "phone", "how_to_book"]
                    .iter()
                    .any(|k| text(k).is_some()) =>
                {
                    ask("hire_enquiry", "Ask to hire it", None)
                }
                None => None,
            },
            RecordKind::Asset => match text("community_use") {
                Some("offered_for_transfer") => ask(
                    "expression_of_interest",
                    "Express interest in taking it on",
                    Some(format!("/assets/{id}/interest")),
                ),
                Some("spaces_for_hire") => {
                    ask("hire_enquiry", "Ask to hire one of its spaces", None)
                }
                Some("available") => ask("enquiry", "Ask the owner about using it", None),
                _ => None,
            },
            _ => return Usage::default(),
        };
        let mut facilities = strings(json, "facilities");
        facilities.sort();
        facilities.dedup();
        Usage {
            capacity: json
                .get("capacity")
                .and_then(serde_json::Value::as_i64)
                .and_then(|n| i32::try_from(n).ok()),
            facilities,
            hourly_rate: json.get("hourly_rate").and_then(serde_json::Value::as_f64),
            ask,
        }
    }

    /// An asset matches a space search through its own figures or its published spaces': the
    /// largest capacity, every facility, the cheapest rate (0 when one is free). Each is taken
    /// separately, so "holds 100, free" can match an asset whose big hall costs and whose small
    /// room is free; its result lists the spaces to choose from.
    async fn add_spaces(&mut self, store: &Store, asset_id: Uuid) -> anyhow::Result<()> {
        let ids: Vec<Uuid> = links::spaces_of_asset(&store.db, asset_id)
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect();
        let spaces: Vec<Space> = store
            .get_many::<Space>(&ids)
            .await?
            .into_iter()
            .filter(|s| s.publication() == Publication::Published)
            .collect();
        for s in &spaces {
            self.capacity = self.capacity.max(s.capacity);
            self.facilities
                .extend(s.facilities.iter().map(|f| f.as_str().to_owned()));
            let rate = if s.free { Some(0.0) } else { s.hourly_rate };
            self.hourly_rate = match (self.hourly_rate, rate) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
        self.facilities.sort();
        self.facilities.dedup();
        if self.ask.is_none() && !spaces.is_empty() {
            self.ask = Some(Ask {
                action: "hire_enquiry".to_owned(),
                label: "Ask to hire one of its spaces".to_owned(),
                url: None,
            });
        }
        Ok(())
    }
}

/// The assets a change to a space touches: the one it is part of now and the one it was part
/// of before (its previous version in the log), so a space moved or deleted leaves no figures
/// behind on its old asset.
async fn assets_of_space(
    store: &Store,
    change: &crate::store::Change,
) -> anyhow::Result<Vec<Uuid>> {
    let asset = |record: Option<&serde_json::Value>| {
        record
            .and_then(|r| r.get("asset_id"))
            .and_then(|a| a.as_str())
            .and_then(|a| a.parse::<Uuid>().ok())
    };
    let before = store
        .history(RecordKind::Space, change.record_id)
        .await?
        .into_iter()
        .find(|c| c.seq < change.seq);
    let mut out: Vec<Uuid> = [
        asset(change.record.as_ref()),
        asset(before.and_then(|c| c.record).as_ref()),
    ]
    .into_iter()
    .flatten()
    .collect();
    out.dedup();
    Ok(out)
}

/// The index operation that brings one record's document up to date.
pub async fn op_for(
    store: &Store,
    terms: &TermTree,
    kind: RecordKind,
    id: Uuid,
) -> anyhow::Result<IndexOp> {
    match kind {
        RecordKind::Organisation => build::<Organisation>(store, terms, id).await,
        RecordKind::Location => build::<Location>(store, terms, id).await,
        RecordKind::Service => build::<Service>(store, terms, id).await,
        RecordKind::Space => build::<Space>(store, terms, id).await,
        RecordKind::Asset => build::<Asset>(store, terms, id).await,
        RecordKind::TaxonomyTerm => build::<TaxonomyTerm>(store, terms, id).await,
    }
}

async fn apply(index: &SearchIndex, ops: Vec<IndexOp>, seq: i64) -> anyhow::Result<()> {
    let index = index.clone();
    tokio::task::spawn_blocking(move || index.apply(ops, seq)).await?
}

/// Applies every change after the index's seq. Returns how many changes were applied.
pub async fn catch_up(store: &Store, index: &SearchIndex) -> anyhow::Result<usize> {
    let mut applied = 0;
    loop {
        let from = index.applied_seq();
        let changes = store.changes_after(from, BATCH).await?;
        let Some(last) = changes.last().map(|c| c.seq) else {
            return Ok(applied);
        };
        // Each record once per batch; its current state in the database is what counts.
        let mut touched: BTreeSet<(&'static str, Uuid)> = BTreeSet::new();
        if changes.iter().any(|c| c.record_kind == BOUNDARIES_CHANGED) {
            // New boundaries (perhaps imported by another process): load them and re-place
            // every record.
            store.reload_boundaries().await?;
            for (kind, id) in store.all_record_keys().await? {
                touched.insert((kind.as_str(), id));
            }
        }
        for change in &changes {
            let Some(kind) = RecordKind::parse(&change.record_kind) else {
                continue;
            };
            touched.insert((kind.as_str(), change.record_id));
            // Services and spaces show their location's point; records show their
            // categories' names: refresh them too.
            // Assets show their spaces' capacity, facilities and rates.
            let related = match kind {
                RecordKind::Location => links::at_location(&store.db, change.record_id).await?,
                RecordKind::TaxonomyTerm => links::in_category(&store.db, change.record_id).await?,
                RecordKind::Space => assets_of_space(store, change)
                    .await?
                    .into_iter()
                    .map(|id| (RecordKind::Asset, id))
                    .collect(),
                _ => Vec::new(),
            };
            touched.extend(related.into_iter().map(|(k, id)| (k.as_str(), id)));
        }
        let terms = TermTree::load(store).await?;
        let mut ops = Vec::with_capacity(touched.len());
        for (kind, id) in touched {
            if let Some(kind) = RecordKind::parse(kind) {
                ops.push(op_for(store, &terms, kind, id).await?);
            }
        }
        apply(index, ops, last).await?;
        applied += changes.len();
    }
}

/// The `record_kind` of the change-log row a boundary import appends: every index (in every
/// process) reloads the boundaries and re-places its records when it reads one.
pub const BOUNDARIES_CHANGED: &str = "boundaries";

/// Rebuilds the whole index from the database. `progress(done, total)` is called as it goes.
pub async fn rebuild(
    store: &Store,
    index: &SearchIndex,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> anyhow::Result<u64> {
    // Read the log position first: anything written while we read is replayed by catch_up.
    let seq = store.last_seq().await?;
    let keys = store.all_record_keys().await?;
    let total = keys.len() as u64;
    let terms = TermTree::load(store).await?;
    let mut docs = Vec::with_capacity(keys.len());
    for (i, (kind, id)) in keys.into_iter().enumerate() {
        // A record deleted since the keys were read has none.
        if let IndexOp::Upsert(doc) = op_for(store, &terms, kind, id).await? {
            docs.push(*doc);
        }
        if i % 50 == 0 {
            progress(i as u64, total);
        }
    }
    // In place order, merged into one segment at the end (see `search::bulk`).
    let loading = index.clone();
    tokio::task::spawn_blocking(move || {
        let mut load = loading.bulk_load()?;
        load.add(docs)?;
        load.finish(seq)
    })
    .await??;
    progress(total, total);
    catch_up(store, index).await?;
    Ok(total)
}

/// Runs the indexer until the process ends: wakes on every local write and polls for others.
pub fn spawn(store: Store, index: SearchIndex) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            if let Err(err) = catch_up(&store, &index).await {
                tracing::error!(error = ?err, "search index update failed; retrying");
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            tokio::select! {
                _ = store.changed.notified() => {}
                _ = tokio::time::sleep(POLL) => {}
            }
        }
    })
}
