//! Where imported records come from. A *source* (an OpenStreetMap extract, a council's CSV, an
//! ORUK feed) has a licence and an attribution; each source identifier it uses is linked to the
//! record it became, with a hash of what the source last said. Importing the same identifier
//! again updates that record, or changes nothing at all when the hash is the same.
//!
//! Writes here go through [`Store::create_in`] / [`Store::update_in`], so the change log and
//! boundaries stay right, and run inside the caller's transaction: an imported service commits
//! with its organisation and locations, or not at all.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, sea_query::OnConflict,
};
use serde::Serialize;
use uuid::Uuid;

use super::{Actor, Store, Stored, links, records::get_in};
use crate::domain::RecordKind;
use crate::error::{AppError, Result};

pub(super) mod source {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "sources")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub name: String,
        pub licence: Option<String>,
        pub attribution: Option<String>,
        pub url: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub(super) mod record_source {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "record_sources")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub source_key: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub source_id: String,
        pub record_kind: String,
        pub record_id: Uuid,
        pub content_hash: String,
        pub imported_at: DateTimeUtc,
        pub merged_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A source of records, with the terms its data comes under.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    /// Stable key, e.g. `osm-norwich` or a feed's URL.
    pub key: String,
    pub name: String,
    /// e.g. `ODbL-1.0`, `OGL-UK-3.0`.
    pub licence: Option<String>,
    /// The credit the licence asks for, e.g. "© OpenStreetMap contributors".
    pub attribution: Option<String>,
    pub url: Option<String>,
}

impl From<source::Model> for SourceRef {
    fn from(m: source::Model) -> Self {
        SourceRef {
            key: m.key,
            name: m.name,
            licence: m.licence,
            attribution: m.attribution,
            url: m.url,
        }
    }
}

/// What an upsert did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Created,
    Updated,
    /// The source said the same as last time: nothing was written, not even `version`.
    Unchanged,
}

/// Which record a source identifier became.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLink {
    pub kind: RecordKind,
    pub record_id: Uuid,
    pub content_hash: String,
    /// Linked by merging a likely duplicate into a record that already existed: imports never
    /// write to the record through this link.
    pub merged: bool,
}

/// One of a record's source identifiers, with its source.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordSource {
    pub source: SourceRef,
    pub source_id: String,
    pub imported_at: DateTime<Utc>,
    pub merged: bool,
}

/// Fields the store maintains, left out of a content hash so it depends on the source alone.
const META_FIELDS: [&str; 5] = [
    "id",
    "version",
    "created_at",
    "updated_at",
    "last_verified_at",
];

/// SHA-256 (hex) of a value's JSON with the store's bookkeeping fields removed. Struct fields
/// serialise in declaration order and maps in key order, so equal content gives equal hashes.
pub fn content_hash<T: Serialize>(value: &T) -> Result<String> {
    let mut json = serde_json::to_value(value).map_err(anyhow::Error::from)?;
    if let Some(object) = json.as_object_mut() {
        for field in META_FIELDS {
            object.remove(field);
        }
    }
    let text = serde_json::to_string(&json).map_err(anyhow::Error::from)?;
    Ok(super::secrets::sha256_hex(&text))
}

/// The record a source identifier is linked to, if any.
pub async fn find_link<C: ConnectionTrait>(
    conn: &C,
    source_key: &str,
    source_id: &str,
) -> Result<Option<SourceLink>> {
    let row = record_source::Entity::find()
        .filter(record_source::Column::SourceKey.eq(source_key))
        .filter(record_source::Column::SourceId.eq(source_id))
        .one(conn)
        .await?;
    Ok(row.and_then(|r| {
        Some(SourceLink {
            kind: RecordKind::parse(&r.record_kind)?,
            record_id: r.record_id,
            content_hash: r.content_hash,
            merged: r.merged_at.is_some(),
        })
    }))
}

/// Every source identifier of `kind` that `source_key` has given, with its link (merged ones
/// included: the caller decides what they mean).
pub async fn links_of<C: ConnectionTrait>(
    conn: &C,
    source_key: &str,
    kind: RecordKind,
) -> Result<Vec<(String, SourceLink)>> {
    let rows = record_source::Entity::find()
        .filter(record_source::Column::SourceKey.eq(source_key))
        .filter(record_source::Column::RecordKind.eq(kind.as_str()))
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.source_id,
                SourceLink {
                    kind,
                    record_id: r.record_id,
                    content_hash: r.content_hash,
                    merged: r.merged_at.is_some(),
                },
            )
        })
        .collect())
}

/// Links a source identifier to a record (or moves the link), with the hash of what the source
/// said. `merged` marks a link made by merging into a record that already existed.
pub async fn link_in<C: ConnectionTrait>(
    conn: &C,
    source_key: &str,
    source_id: &str,
    kind: RecordKind,
    record_id: Uuid,
    hash: &str,
    merged: bool,
) -> Result<()> {
    let now = Utc::now();
    record_source::Entity::insert(record_source::ActiveModel {
        source_key: Set(source_key.to_owned()),
        source_id: Set(source_id.to_owned()),
        record_kind: Set(kind.as_str().to_owned()),
        record_id: Set(record_id),
        content_hash: Set(hash.to_owned()),
        imported_at: Set(now),
        merged_at: Set(merged.then_some(now)),
    })
    .on_conflict(
        OnConflict::columns([
            record_source::Column::SourceKey,
            record_source::Column::SourceId,
        ])
        .update_columns([
            record_source::Column::RecordKind,
            record_source::Column::RecordId,
            record_source::Column::ContentHash,
            record_source::Column::ImportedAt,
            record_source::Column::MergedAt,
        ])
        .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Removes every source identifier of a record; called by delete in its transaction.
pub(super) async fn forget<C: ConnectionTrait>(conn: &C, kind: RecordKind, id: Uuid) -> Result<()> {
    record_source::Entity::delete_many()
        .filter(record_source::Column::RecordKind.eq(kind.as_str()))
        .filter(record_source::Column::RecordId.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Adds a source or brings its name, licence and attribution up to date.
pub async fn upsert_source_in<C: ConnectionTrait>(conn: &C, source: &SourceRef) -> Result<()> {
    let now = Utc::now();
    source::Entity::insert(source::ActiveModel {
        key: Set(source.key.clone()),
        name: Set(source.name.clone()),
        licence: Set(source.licence.clone()),
        attribution: Set(source.attribution.clone()),
        url: Set(source.url.clone()),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(source::Column::Key)
            .update_columns([
                source::Column::Name,
                source::Column::Licence,
                source::Column::Attribution,
                source::Column::Url,
                source::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

impl Store {
    /// Adds a source or updates its details.
    pub async fn upsert_source(&self, source: &SourceRef) -> Result<()> {
        upsert_source_in(&self.db, source).await
    }

    /// Every source, by name: for the site's credits.
    pub async fn sources(&self) -> Result<Vec<SourceRef>> {
        Ok(source::Entity::find()
            .order_by_asc(source::Column::Name)
            .order_by_asc(source::Column::Key)
            .all(&self.db)
            .await?
            .into_iter()
            .map(SourceRef::from)
            .collect())
    }

    /// A record's source identifiers with their sources, oldest first: empty for a record
    /// made in Junction. A merged record has one per source.
    pub async fn source_of(&self, kind: RecordKind, id: Uuid) -> Result<Vec<RecordSource>> {
        let links = record_source::Entity::find()
            .filter(record_source::Column::RecordKind.eq(kind.as_str()))
            .filter(record_source::Column::RecordId.eq(id))
            .order_by_asc(record_source::Column::ImportedAt)
            .order_by_asc(record_source::Column::SourceKey)
            .all(&self.db)
            .await?;
        let mut out = Vec::with_capacity(links.len());
        for link in links {
            let Some(source) = source::Entity::find_by_id(link.source_key.clone())
                .one(&self.db)
                .await?
            else {
                continue;
            };
            out.push(RecordSource {
                source: source.into(),
                source_id: link.source_id,
                imported_at: link.imported_at,
                merged: link.merged_at.is_some(),
            });
        }
        Ok(out)
    }

    /// Creates or updates the record a source identifier stands for, in one transaction with
    /// its change-log row and source link. Unchanged (nothing written) when the record's content
    /// hash equals what was imported last time.
    pub async fn upsert_from_source<R: Stored>(
        &self,
        source: &SourceRef,
        source_id: &str,
        record: R,
        actor: &Actor,
    ) -> Result<(Outcome, R)> {
        let hash = content_hash(&record)?;
        let txn = self.begin_write().await?;
        upsert_source_in(&txn, source).await?;
        let done = self
            .upsert_from_source_in(&txn, &source.key, source_id, record, &hash, None, actor)
            .await?;
        txn.commit().await?;
        if done.0 != Outcome::Unchanged {
            self.changed.notify_one();
        }
        Ok(done)
    }

    /// [`Store::upsert_from_source`] inside the caller's transaction, with the caller's content
    /// hash (an import hashes a whole object, e.g. a service with its locations, into its
    /// primary record's link). A new record takes `preferred_id` when that id is free, so a
    /// source's own UUIDs survive. A merged link is never written through: `Unchanged`.
    #[allow(clippy::too_many_arguments)]
    pub async fn upsert_from_source_in<R: Stored>(
        &self,
        txn: &DatabaseTransaction,
        source_key: &str,
        source_id: &str,
        record: R,
        hash: &str,
        preferred_id: Option<Uuid>,
        actor: &Actor,
    ) -> Result<(Outcome, R)> {
        let Some(link) = find_link(txn, source_key, source_id).await? else {
            let with_id = match preferred_id {
                Some(id) if links::name_of(txn, R::KIND, id).await?.is_none() => Some(id),
                _ => None,
            };
            let created = self.create_in(txn, record, with_id, actor).await?;
            let id = created.meta().map(|m| m.id).unwrap_or_default();
            link_in(txn, source_key, source_id, R::KIND, id, hash, false).await?;
            return Ok((Outcome::Created, created));
        };
        if link.kind != R::KIND {
            return Err(AppError::Conflict {
                message: format!(
                    "source id '{source_id}' was imported as a {}, not a {}",
                    link.kind.label(),
                    R::KIND.label()
                ),
                field: None,
            });
        }
        let current: R = get_in::<R, _>(txn, link.record_id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("{} {}", R::KIND.label(), link.record_id)))?;
        if link.merged || link.content_hash == hash {
            return Ok((Outcome::Unchanged, current));
        }
        let version = current.meta().map(|m| m.version).unwrap_or_default();
        let updated = self
            .update_in(txn, link.record_id, version, record, actor)
            .await?;
        link_in(
            txn,
            source_key,
            source_id,
            R::KIND,
            link.record_id,
            hash,
            false,
        )
        .await?;
        Ok((Outcome::Updated, updated))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_ignores_bookkeeping_fields() {
        let a = serde_json::json!({"name": "Hall", "id": "x", "version": 3});
        let b = serde_json::json!({"name": "Hall", "id": "y", "version": 9, "updated_at": "t"});
        let c = serde_json::json!({"name": "Hall 2"});
        assert_eq!(content_hash(&a).unwrap(), content_hash(&b).unwrap());
        assert_ne!(content_hash(&a).unwrap(), content_hash(&c).unwrap());
        assert_eq!(content_hash(&a).unwrap().len(), 64);
    }
}
