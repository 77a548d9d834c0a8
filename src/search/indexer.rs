//! Keeps the index in step with the database by tailing the change log. The index records
//! the last seq it applied (in its commit payload); at start-up it catches up from there,
//! or is rebuilt from the database when missing or of another schema version.

use std::{collections::BTreeSet, time::Duration};

use uuid::Uuid;

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

async fn build<R: Stored>(store: &Store, id: Uuid) -> anyhow::Result<IndexOp> {
    let Some(mut record) = store.get::<R>(id).await? else {
        return Ok(IndexOp::Remove(R::KIND, id));
    };
    record.make_public();
    let text = record.search_text();
    let mut points: Vec<(f64, f64)> = record.own_point().into_iter().collect();
    let location_ids = record.location_refs();
    if !location_ids.is_empty() {
        for mut location in store.get_many::<Location>(&location_ids).await? {
            location.make_public();
            points.push(location.lon_lat());
        }
    }
    let category_ids = record.links().map(|l| l.category_ids).unwrap_or_default();
    let categories = store
        .get_many::<TaxonomyTerm>(&category_ids)
        .await?
        .into_iter()
        .map(|t| t.name)
        .collect();
    Ok(IndexOp::Upsert(IndexDoc {
        kind: Some(R::KIND),
        id,
        published: record.publication() == Publication::Published,
        name: text.name,
        categories,
        description: text.description,
        extra: text.extra,
        points,
    }))
}

/// The index operation that brings one record's document up to date.
pub async fn op_for(store: &Store, kind: RecordKind, id: Uuid) -> anyhow::Result<IndexOp> {
    match kind {
        RecordKind::Organisation => build::<Organisation>(store, id).await,
        RecordKind::Location => build::<Location>(store, id).await,
        RecordKind::Service => build::<Service>(store, id).await,
        RecordKind::Space => build::<Space>(store, id).await,
        RecordKind::Asset => build::<Asset>(store, id).await,
        RecordKind::TaxonomyTerm => build::<TaxonomyTerm>(store, id).await,
    }
}

async fn apply(
    index: &SearchIndex,
    ops: Vec<IndexOp>,
    seq: i64,
    clear_first: bool,
) -> anyhow::Result<()> {
    let index = index.clone();
    tokio::task::spawn_blocking(move || index.apply(ops, seq, clear_first)).await?
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
        for change in &changes {
            let Some(kind) = RecordKind::parse(&change.record_kind) else {
                continue;
            };
            touched.insert((kind.as_str(), change.record_id));
            // Services and spaces show their location's point; records show their
            // categories' names: refresh them too.
            let related = match kind {
                RecordKind::Location => links::at_location(&store.db, change.record_id).await?,
                RecordKind::TaxonomyTerm => links::in_category(&store.db, change.record_id).await?,
                _ => Vec::new(),
            };
            touched.extend(related.into_iter().map(|(k, id)| (k.as_str(), id)));
        }
        let mut ops = Vec::with_capacity(touched.len());
        for (kind, id) in touched {
            if let Some(kind) = RecordKind::parse(kind) {
                ops.push(op_for(store, kind, id).await?);
            }
        }
        apply(index, ops, last, false).await?;
        applied += changes.len();
    }
}

/// Rebuilds the whole index from the database. `progress(done, total)` is called as it goes.
pub async fn rebuild(
    store: &Store,
    index: &SearchIndex,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> anyhow::Result<u64> {
    // Read the log position first: anything written while we read is replayed by catch_up.
    let seq = store.last_seq().await?;
    let mut keys: Vec<(RecordKind, Uuid)> = Vec::new();
    keys.extend(
        store
            .all_ids::<Organisation>()
            .await?
            .into_iter()
            .map(|id| (RecordKind::Organisation, id)),
    );
    keys.extend(
        store
            .all_ids::<Location>()
            .await?
            .into_iter()
            .map(|id| (RecordKind::Location, id)),
    );
    keys.extend(
        store
            .all_ids::<Service>()
            .await?
            .into_iter()
            .map(|id| (RecordKind::Service, id)),
    );
    keys.extend(
        store
            .all_ids::<Space>()
            .await?
            .into_iter()
            .map(|id| (RecordKind::Space, id)),
    );
    keys.extend(
        store
            .all_ids::<Asset>()
            .await?
            .into_iter()
            .map(|id| (RecordKind::Asset, id)),
    );
    keys.extend(
        store
            .all_ids::<TaxonomyTerm>()
            .await?
            .into_iter()
            .map(|id| (RecordKind::TaxonomyTerm, id)),
    );
    let total = keys.len() as u64;
    let mut ops = Vec::with_capacity(keys.len());
    for (i, (kind, id)) in keys.into_iter().enumerate() {
        ops.push(op_for(store, kind, id).await?);
        if i % 50 == 0 {
            progress(i as u64, total);
        }
    }
    apply(index, ops, seq, true).await?;
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
