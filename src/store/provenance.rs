//! What the sources of records mean for readers and writers: a record mirrored by
//! `junction sync` is owned by its source (local edits are refused), and a record whose
//! source's licence differs from the register's carries that licence in the feeds and the
//! exports. Reads `sources` / `record_sources` (see `sources.rs`).

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::Store;
use super::sources::{SourceRef, record_source, source};
use crate::domain::RecordKind;
use crate::error::{AppError, Result};

/// Keys of sources that `junction sync` mirrors start with this.
pub const MIRROR_PREFIX: &str = "sync:";

/// The sources of records, by record id, for one kind: each record's (unmerged) links.
async fn sources_by_record<C: ConnectionTrait>(
    conn: &C,
    kind: RecordKind,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<SourceRef>>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let links = record_source::Entity::find()
        .filter(record_source::Column::RecordKind.eq(kind.as_str()))
        .filter(record_source::Column::RecordId.is_in(ids.iter().copied()))
        .filter(record_source::Column::MergedAt.is_null())
        .all(conn)
        .await?;
    let mut keys: Vec<String> = links.iter().map(|l| l.source_key.clone()).collect();
    keys.sort();
    keys.dedup();
    let sources: HashMap<String, SourceRef> = source::Entity::find()
        .filter(source::Column::Key.is_in(keys))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.key.clone(), SourceRef::from(s)))
        .collect();
    let mut out: HashMap<Uuid, Vec<SourceRef>> = HashMap::new();
    for link in links {
        if let Some(s) = sources.get(&link.source_key) {
            out.entry(link.record_id).or_default().push(s.clone());
        }
    }
    Ok(out)
}

/// Refuses a local change to a record a sync mirrors (409 `mirrored_record`, naming the source).
pub(super) async fn refuse_if_mirrored<C: ConnectionTrait>(
    conn: &C,
    kind: RecordKind,
    id: Uuid,
) -> Result<()> {
    let sources = sources_by_record(conn, kind, &[id]).await?;
    if let Some(mirror) = sources
        .get(&id)
        .into_iter()
        .flatten()
        .find(|s| s.key.starts_with(MIRROR_PREFIX))
    {
        return Err(AppError::Mirrored {
            kind: kind.label(),
            origin: mirror.name.clone(),
        });
    }
    Ok(())
}

impl Store {
    /// For each of `ids` that came from a source with a licence other than `register_licence`,
    /// that source (the first such, when a record has several).
    pub async fn other_licences(
        &self,
        kind: RecordKind,
        ids: &[Uuid],
        register_licence: &str,
    ) -> Result<HashMap<Uuid, SourceRef>> {
        Ok(sources_by_record(&self.db, kind, ids)
            .await?
            .into_iter()
            .filter_map(|(id, sources)| {
                let other = sources.into_iter().find(|s| {
                    s.licence
                        .as_deref()
                        .is_some_and(|l| !l.trim().is_empty() && l.trim() != register_licence)
                })?;
                Some((id, other))
            })
            .collect())
    }
}
