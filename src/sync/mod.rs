//! `junction sync rpde|oruk URL`: mirror another directory into this register, incrementally.
//!
//! Mirrored records keep the other directory as their owner. Each is linked to its source
//! (`record_sources`, through [`Store::upsert_from_source_in`]) under a source whose key starts
//! with [`MIRROR_PREFIX`]; the API refuses local edits and deletes of such records with 409
//! `mirrored_record`, and only a later sync changes them. Records keep the origin's UUIDs
//! when they are free here, so links between them resolve as they did there.
//!
//! Each feed's position is stored after every page (`state`), so a sync that stops part-way,
//! or the next scheduled run, continues where the last whole page left off.

pub mod client;
mod hsds_in;
pub mod oruk;
mod oruk_deletes;
pub mod rpde;
pub mod state;

use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::config::{SyncKind, SyncSchedule};
use crate::error::{AppError, Result};
use crate::store::{Actor, Outcome, SourceRef, Store, Stored, sources};

pub use crate::store::provenance::MIRROR_PREFIX;
pub use client::Client;

/// What one sync run did.
#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct Report {
    pub pages: u64,
    pub created: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub deleted: u64,
    /// Items that could not be applied, with the reason (kept short).
    pub failed: Vec<String>,
    /// Parts of applied items that were left off (a category this register lacks, a location
    /// that can't be placed), with the reason.
    pub left_off: Vec<String>,
}

impl Report {
    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Created => self.created += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
    }

    fn fail(&mut self, what: String) {
        tracing::warn!(item = %what, "sync: item not applied");
        self.failed.push(what);
    }

    fn leave_off(&mut self, what: String) {
        tracing::info!(item = %what, "sync: part of an item left off");
        self.left_off.push(what);
    }

    /// One line for people: `created N, updated N, unchanged N, deleted N, failed N`.
    pub fn summary(&self) -> String {
        format!(
            "created {}, updated {}, unchanged {}, deleted {}, failed {}",
            self.created,
            self.updated,
            self.unchanged,
            self.deleted,
            self.failed.len()
        )
    }
}

/// Mirrors the directory at `url` once.
pub async fn run(store: &Store, kind: SyncKind, url: &str) -> anyhow::Result<Report> {
    let client = Client::new()?;
    match kind {
        SyncKind::Rpde => rpde::sync(store, &client, url).await,
        SyncKind::Oruk => oruk::sync(store, &client, url).await,
    }
}

/// Runs each schedule in the background, forever: one run at start-up, then one every period
/// (a run that fails is logged and tried again at the next).
pub fn spawn_schedules(
    store: &Store,
    schedules: Vec<SyncSchedule>,
) -> Vec<tokio::task::JoinHandle<()>> {
    schedules
        .into_iter()
        .map(|s| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut tick = tokio::time::interval(s.every);
                tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
                loop {
                    tick.tick().await;
                    match run(&store, s.kind, &s.url).await {
                        Ok(report) => tracing::info!(
                            kind = s.kind.as_str(),
                            url = %s.url,
                            summary = %report.summary(),
                            "scheduled sync done"
                        ),
                        Err(e) => tracing::error!(
                            kind = s.kind.as_str(),
                            url = %s.url,
                            error = %format!("{e:#}"),
                            "scheduled sync failed"
                        ),
                    }
                }
            })
        })
        .collect()
}

/// A failed item's reason, for the report (an internal error's cause chain, which is ours).
fn reason(e: AppError) -> String {
    match e {
        AppError::Internal(e) => format!("{e:#}"),
        AppError::Validation(f) => format!("{}: {}", f.field, f.message),
        e => e.to_string(),
    }
}

/// Who the change log says made a mirror's changes.
fn actor(source: &SourceRef) -> Actor {
    Actor::new(source.key.clone())
}

/// The local id of the record `source` calls `origin_id`: the one linked to it, else the same
/// id (a mirrored record keeps the origin's UUID when it is free).
async fn local_id(store: &Store, source: &SourceRef, origin_id: Uuid) -> Result<Uuid> {
    Ok(
        sources::find_link(&store.db, &source.key, &origin_id.to_string())
            .await?
            .map_or(origin_id, |link| link.record_id),
    )
}

/// Points every `*_id` / `*_ids` reference in a record's JSON at the local records the origin's
/// ids were mirrored as.
async fn relink(store: &Store, source: &SourceRef, data: &mut Value) -> Result<()> {
    let Some(object) = data.as_object_mut() else {
        return Ok(());
    };
    for (key, value) in object.iter_mut() {
        if key == "id" || !(key.ends_with("_id") || key.ends_with("_ids")) {
            continue;
        }
        let ids: Vec<&mut Value> = match value {
            Value::Array(items) => items.iter_mut().collect(),
            other => vec![other],
        };
        for v in ids {
            if let Some(origin) = v.as_str().and_then(|s| s.parse::<Uuid>().ok()) {
                *v = Value::String(local_id(store, source, origin).await?.to_string());
            }
        }
    }
    Ok(())
}

/// Creates or updates the mirror of one origin record (its JSON as the origin's API writes
/// it), keeping the origin's id when it is free here. One transaction with the source link.
async fn upsert<R: Stored>(
    store: &Store,
    source: &SourceRef,
    origin_id: Uuid,
    mut data: Value,
) -> Result<Outcome> {
    relink(store, source, &mut data).await?;
    let record: R = serde_json::from_value(data).map_err(|e| {
        AppError::bad_request(
            "invalid_record",
            format!("not a {}: {e}", R::KIND.label()),
            None,
        )
    })?;
    let hash = sources::content_hash(&record)?;
    let txn = store.begin_write().await?;
    sources::upsert_source_in(&txn, source).await?;
    let (outcome, _) = store
        .upsert_from_source_in(
            &txn,
            &source.key,
            &origin_id.to_string(),
            record,
            &hash,
            Some(origin_id),
            &actor(source),
        )
        .await?;
    txn.commit().await?;
    if outcome != Outcome::Unchanged {
        store.changed.notify_one();
    }
    Ok(outcome)
}

/// The categories of `slugs` this register has, as JSON; the others are reported and left off.
async fn known_categories(
    store: &Store,
    slugs: Vec<String>,
    label: &str,
    report: &mut Report,
) -> Result<Vec<Value>> {
    let mut kept = Vec::new();
    for slug in slugs {
        if store.term_id_by_slug(&slug).await?.is_some() {
            kept.push(Value::String(slug));
        } else {
            report.leave_off(format!(
                "{label}: category '{slug}' is not in this register; left off"
            ));
        }
    }
    Ok(kept)
}

/// Deletes the mirror of a record the origin has deleted; nothing when this source never gave
/// us that record. `Ok(false)` when something here still points at it (try again later).
async fn delete<R: Stored>(store: &Store, source: &SourceRef, origin_id: &str) -> Result<bool> {
    let link = sources::find_link(&store.db, &source.key, origin_id).await?;
    let Some(link) = link.filter(|l| l.kind == R::KIND && !l.merged) else {
        return Ok(true);
    };
    match store
        .delete_mirrored::<R>(link.record_id, &actor(source))
        .await
    {
        Ok(()) | Err(AppError::NotFound(_)) => Ok(true),
        Err(AppError::HasDependants { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}
