//! Generic create, read, update and delete for every record kind. Each write runs in one
//! transaction that also appends the change-log row, so a crash can never leave a record
//! without its log entry or the other way round.

use std::future::Future;

use chrono::Utc;
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    FromQueryResult, IntoActiveModel, ModelTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, SqliteTransactionMode, TransactionOptions, TransactionTrait,
    sea_query::{Expr, ExprTrait, Order, Query},
};
use serde::{Serialize, de::DeserializeOwned};
use uuid::Uuid;

use super::{Actor, Store, changes, changes::Op, entities, links};
use crate::domain::scope::owner_in;
use crate::domain::{
    Asset, FieldError, Location, Meta, Organisation, Publication, Record, RecordKind, RecordRef,
    Scope, Service, Space, TaxonomyTerm,
};
use crate::error::{AppError, Result};

/// A record kind with a table. The model converts to and from the record by field name.
pub trait Stored: Record {
    type Entity: EntityTrait<Model = Self::Model, ActiveModel = Self::Active>;
    type Model: ModelTrait<Entity = Self::Entity>
        + FromQueryResult
        + Serialize
        + DeserializeOwned
        + IntoActiveModel<Self::Active>
        + Send
        + Sync;
    type Active: ActiveModelTrait<Entity = Self::Entity>
        + ActiveModelBehavior
        + Send
        + Sync
        + From<Self::Model>;
    const TABLE: &'static str;

    /// Kind-specific preparation inside the write transaction, after validation: resolving
    /// category slugs, defaults that need the database, uniqueness checks.
    fn prepare<'a>(
        &'a mut self,
        _txn: &'a DatabaseTransaction,
    ) -> impl Future<Output = Result<()>> + Send + 'a {
        async { Ok(()) }
    }
}

macro_rules! stored {
    ($record:ident, $module:ident, $table:literal) => {
        impl Stored for $record {
            type Entity = entities::$module::Entity;
            type Model = entities::$module::Model;
            type Active = entities::$module::ActiveModel;
            const TABLE: &'static str = $table;
            stored!(@prepare $record);
        }
    };
    (@prepare Service) => {
        fn prepare<'a>(&'a mut self, txn: &'a DatabaseTransaction) -> impl Future<Output = Result<()>> + Send + 'a {
            async move {
                links::resolve_categories(txn, &mut self.categories).await?;
                links::check_service_areas(txn, &self.service_areas).await
            }
        }
    };
    (@prepare Space) => {
        fn prepare<'a>(&'a mut self, txn: &'a DatabaseTransaction) -> impl Future<Output = Result<()>> + Send + 'a {
            async move { links::resolve_categories(txn, &mut self.categories).await }
        }
    };
    (@prepare TaxonomyTerm) => {
        fn prepare<'a>(&'a mut self, txn: &'a DatabaseTransaction) -> impl Future<Output = Result<()>> + Send + 'a {
            super::taxonomy::prepare_term(txn, self)
        }
    };
    (@prepare $other:ident) => {};
}

stored!(Organisation, organisation, "organisations");
stored!(Location, location, "locations");
stored!(Service, service, "services");
stored!(Space, space, "spaces");
stored!(Asset, asset, "assets");
stored!(TaxonomyTerm, taxonomy_term, "taxonomy_terms");

fn to_model<R: Stored>(record: &R) -> Result<R::Model> {
    let json = serde_json::to_value(record).map_err(anyhow::Error::from)?;
    Ok(serde_json::from_value(json).map_err(anyhow::Error::from)?)
}

fn from_model<R: Stored>(model: R::Model) -> Result<R> {
    let json = serde_json::to_value(model).map_err(anyhow::Error::from)?;
    Ok(serde_json::from_value(json).map_err(anyhow::Error::from)?)
}

fn id_is(id: Uuid) -> sea_orm::sea_query::SimpleExpr {
    Expr::col("id").eq(id)
}

/// Paging and visibility for a list read.
#[derive(Debug, Clone)]
pub struct ListQuery {
    pub page: u64,
    pub per_page: u64,
    /// Which drafts and archived records to include besides the published ones.
    pub unpublished: Unpublished,
}

/// Which unpublished (draft, archived) records a list read includes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Unpublished {
    /// None: the public's view.
    #[default]
    None,
    /// Those owned by these organisations (an organisation editor's).
    OwnedBy(Vec<Uuid>),
    /// All of them (administrators and moderators).
    All,
}

impl Store {
    /// A write transaction (`IMMEDIATE` on SQLite, so writers queue instead of failing).
    pub async fn begin_write(&self) -> Result<DatabaseTransaction> {
        Ok(self
            .db
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await?)
    }

    /// One record by id, whatever its publication state, with its links loaded.
    pub async fn get<R: Stored>(&self, id: Uuid) -> Result<Option<R>> {
        get_in::<R, _>(&self.db, id).await
    }

    /// Records by id, in the order asked for; ids that no longer exist are skipped.
    pub async fn get_many<R: Stored>(&self, ids: &[Uuid]) -> Result<Vec<R>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let models = R::Entity::find()
            .filter(Expr::col("id").is_in(ids.iter().copied()))
            .all(&self.db)
            .await?;
        let mut records = models
            .into_iter()
            .map(from_model::<R>)
            .collect::<Result<Vec<R>>>()?;
        links::load(&self.db, &mut records).await?;
        let mut ordered = Vec::with_capacity(records.len());
        for id in ids {
            if let Some(pos) = records
                .iter()
                .position(|r| r.meta().is_some_and(|m| m.id == *id))
            {
                ordered.push(records.swap_remove(pos));
            }
        }
        Ok(ordered)
    }

    /// A page of records ordered by name, and the total.
    pub async fn list<R: Stored>(&self, q: ListQuery) -> Result<(Vec<R>, u64)> {
        let mut find = R::Entity::find();
        let published = Expr::col("publication").eq(Publication::Published.as_str());
        match (&q.unpublished, crate::domain::scope::owner_field(R::KIND)) {
            (Unpublished::All, _) => {}
            (Unpublished::OwnedBy(orgs), Some(owner)) if !orgs.is_empty() => {
                find = find.filter(
                    sea_orm::Condition::any()
                        .add(published)
                        .add(Expr::col(owner).is_in(orgs.iter().copied())),
                );
            }
            _ => find = find.filter(published),
        }
        let total = find.clone().count(&self.db).await?;
        let models = find
            .order_by(Expr::col("name"), Order::Asc)
            .order_by(Expr::col("id"), Order::Asc)
            .offset((q.page.saturating_sub(1)) * q.per_page)
            .limit(q.per_page)
            .all(&self.db)
            .await?;
        let mut records = models
            .into_iter()
            .map(from_model::<R>)
            .collect::<Result<Vec<R>>>()?;
        links::load(&self.db, &mut records).await?;
        Ok((records, total))
    }

    /// Every record of a kind, for reindexing and checks, in id batches.
    pub async fn all_ids<R: Stored>(&self) -> Result<Vec<Uuid>> {
        let rows = self
            .db
            .query_all(
                &Query::select()
                    .column("id")
                    .from(R::TABLE)
                    .order_by("id", Order::Asc)
                    .to_owned(),
            )
            .await?;
        Ok(rows
            .iter()
            .filter_map(|row| row.try_get::<Uuid>("", "id").ok())
            .collect())
    }

    /// (kind, id) of every record of every kind.
    pub async fn all_record_keys(&self) -> Result<Vec<(RecordKind, Uuid)>> {
        let mut keys = Vec::new();
        macro_rules! add {
            ($($t:ty),+) => {$(
                keys.extend(self.all_ids::<$t>().await?.into_iter().map(|id| (<$t as Record>::KIND, id)));
            )+};
        }
        add!(Organisation, Location, Service, Space, Asset, TaxonomyTerm);
        Ok(keys)
    }

    /// Creates a record. `id` is taken from `with_id` when given (imports, the demo register)
    /// and otherwise made fresh.
    pub async fn create<R: Stored>(
        &self,
        record: R,
        with_id: Option<Uuid>,
        actor: &Actor,
    ) -> Result<R> {
        let txn = self.begin_write().await?;
        let record = self.create_in(&txn, record, with_id, actor).await?;
        txn.commit().await?;
        self.changed.notify_one();
        Ok(record)
    }

    /// [`Store::create`] inside the caller's transaction, so several writes (an imported
    /// service with its organisation and location) commit or roll back together. The caller
    /// commits and then calls `changed.notify_one()`.
    pub async fn create_in<R: Stored>(
        &self,
        txn: &DatabaseTransaction,
        mut record: R,
        with_id: Option<Uuid>,
        actor: &Actor,
    ) -> Result<R> {
        let now = Utc::now();
        record.set_meta(Meta {
            id: with_id.unwrap_or_else(Uuid::new_v4),
            version: 1,
            created_at: now,
            updated_at: now,
            // Whoever creates a record has just checked it.
            last_verified_at: Some(now),
        });
        record.validate()?;
        record.prepare(txn).await?;
        check_references(txn, &record).await?;
        let model = to_model(&record)?;
        let active: R::Active = R::Active::from(model).reset_all();
        R::Entity::insert(active)
            .exec_without_returning(txn)
            .await
            .map_err(|e| conflict_or_internal(e, "a record with this id already exists"))?;
        links::save(txn, &record).await?;
        crate::geo::boundary_store::after_write(txn, &self.boundaries, &record).await?;
        let id = record.meta().map(|m| m.id).unwrap_or_default();
        let json = serde_json::to_value(&record).map_err(anyhow::Error::from)?;
        changes::append(txn, R::KIND, id, Op::Create, actor, Some(json)).await?;
        Ok(record)
    }

    /// Replaces a record's editable fields, provided it is still at `expected_version`.
    pub async fn update<R: Stored>(
        &self,
        id: Uuid,
        expected_version: i32,
        record: R,
        actor: &Actor,
    ) -> Result<R> {
        self.update_as(id, expected_version, record, &Scope::admin(), actor)
            .await
    }

    /// [`Store::create`] for someone acting within `scope`: 403 `forbidden` naming the owner
    /// field when the new record's organisation is not theirs, and nothing written.
    pub async fn create_as<R: Stored>(&self, record: R, scope: &Scope, actor: &Actor) -> Result<R> {
        // A new organisation is nobody's yet; other kinds name their owner.
        let owner = match R::KIND {
            RecordKind::Organisation => None,
            kind => owner_in(
                kind,
                &serde_json::to_value(&record).map_err(anyhow::Error::from)?,
            ),
        };
        scope.check(R::KIND, &[owner])?;
        self.create(record, None, actor).await
    }

    /// [`Store::update`] within `scope`: both the stored record's organisation and the new one
    /// must be covered (a record cannot be moved away from, or over to, an organisation the
    /// writer does not edit for). Checked inside the write transaction, before anything is
    /// written.
    pub async fn update_as<R: Stored>(
        &self,
        id: Uuid,
        expected_version: i32,
        record: R,
        scope: &Scope,
        actor: &Actor,
    ) -> Result<R> {
        let txn = self.begin_write().await?;
        // A record mirrored from another directory is changed only by its sync (`update_in`).
        super::provenance::refuse_if_mirrored(&txn, R::KIND, id).await?;
        check_stored_scope::<R>(&txn, id, scope, Some(&record)).await?;
        let record = self
            .update_in(&txn, id, expected_version, record, actor)
            .await?;
        txn.commit().await?;
        self.changed.notify_one();
        Ok(record)
    }

    /// [`Store::update`] inside the caller's transaction; the caller commits and notifies.
    pub async fn update_in<R: Stored>(
        &self,
        txn: &DatabaseTransaction,
        id: Uuid,
        expected_version: i32,
        mut record: R,
        actor: &Actor,
    ) -> Result<R> {
        let current: R = get_in::<R, _>(txn, id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("{} {id}", R::KIND.label())))?;
        let meta = current
            .meta()
            .ok_or_else(|| anyhow::anyhow!("stored record without meta"))?;
        if meta.version != expected_version {
            return Err(AppError::VersionMismatch {
                sent: expected_version,
                current: meta.version,
            });
        }
        record.set_meta(Meta {
            id,
            version: meta.version + 1,
            created_at: meta.created_at,
            updated_at: Utc::now(),
            last_verified_at: meta.last_verified_at,
        });
        record.validate()?;
        record.prepare(txn).await?;
        check_references(txn, &record).await?;
        let model = to_model(&record)?;
        let active: R::Active = R::Active::from(model).reset_all();
        let res = R::Entity::update_many()
            .set(active)
            .filter(id_is(id))
            .filter(Expr::col("version").eq(expected_version))
            .exec(txn)
            .await?;
        if res.rows_affected != 1 {
            return Err(AppError::VersionMismatch {
                sent: expected_version,
                current: expected_version + 1,
            });
        }
        links::save(txn, &record).await?;
        crate::geo::boundary_store::after_write(txn, &self.boundaries, &record).await?;
        let json = serde_json::to_value(&record).map_err(anyhow::Error::from)?;
        changes::append(txn, R::KIND, id, Op::Update, actor, Some(json)).await?;
        Ok(record)
    }

    /// Deletes a record that nothing else points at; otherwise 409 listing the dependants.
    /// A record mirrored from another directory is refused (409 `mirrored_record`).
    pub async fn delete<R: Stored>(&self, id: Uuid, actor: &Actor) -> Result<()> {
        self.delete_checked::<R>(id, actor, true, &Scope::admin())
            .await
    }

    /// [`Store::delete`] within `scope`: the stored record's organisation must be covered.
    pub async fn delete_as<R: Stored>(&self, id: Uuid, scope: &Scope, actor: &Actor) -> Result<()> {
        self.delete_checked::<R>(id, actor, true, scope).await
    }

    /// [`Store::delete`] for `junction sync`, which owns the mirrored records it deletes.
    pub async fn delete_mirrored<R: Stored>(&self, id: Uuid, actor: &Actor) -> Result<()> {
        self.delete_checked::<R>(id, actor, false, &Scope::admin())
            .await
    }

    async fn delete_checked<R: Stored>(
        &self,
        id: Uuid,
        actor: &Actor,
        refuse_mirrored: bool,
        scope: &Scope,
    ) -> Result<()> {
        let txn = self.begin_write().await?;
        check_stored_scope::<R>(&txn, id, scope, None).await?;
        if refuse_mirrored {
            super::provenance::refuse_if_mirrored(&txn, R::KIND, id).await?;
        }
        // An asset keeps its community asset transfer cases' history: refused while it has any.
        super::transfer_cases::refuse_delete_with_cases(&txn, R::KIND, id).await?;
        let dependants = links::dependants(&txn, R::KIND, id).await?;
        if !dependants.is_empty() {
            let n = dependants.len();
            return Err(AppError::HasDependants {
                message: format!(
                    "this {} is still used by {n} other record{}: change or delete {} first",
                    R::KIND.label(),
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "it" } else { "them" },
                ),
                dependants,
            });
        }
        links::remove(&txn, R::KIND, id).await?;
        // The record's source identifiers go with it: a later import of the same source id
        // creates the record again rather than pointing at nothing.
        super::sources::forget(&txn, R::KIND, id).await?;
        R::Entity::delete_many()
            .filter(id_is(id))
            .exec(&txn)
            .await?;
        changes::append(&txn, R::KIND, id, Op::Delete, actor, None).await?;
        txn.commit().await?;
        self.changed.notify_one();
        Ok(())
    }

    /// The name of any record, for messages.
    pub async fn name_of(&self, kind: RecordKind, id: Uuid) -> Result<Option<String>> {
        links::name_of(&self.db, kind, id).await
    }
}

pub(super) async fn get_in<R: Stored, C: ConnectionTrait>(conn: &C, id: Uuid) -> Result<Option<R>> {
    let Some(model) = R::Entity::find().filter(id_is(id)).one(conn).await? else {
        return Ok(None);
    };
    let mut records = vec![from_model::<R>(model)?];
    links::load(conn, &mut records).await?;
    Ok(records.pop())
}

/// Refuses (403) a write to the stored record `id` that `scope` does not cover, checking the
/// stored owner and, for an update, the owner `new` names. 404 when there is no such record.
pub(super) async fn check_stored_scope<R: Stored>(
    txn: &DatabaseTransaction,
    id: Uuid,
    scope: &Scope,
    new: Option<&R>,
) -> Result<()> {
    let current: R = get_in::<R, _>(txn, id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("{} {id}", R::KIND.label())))?;
    let owner = |r: &R| -> Result<Option<Uuid>> {
        Ok(match R::KIND {
            // An organisation is its own owner, whatever id a body carries.
            RecordKind::Organisation => Some(id),
            kind => owner_in(kind, &serde_json::to_value(r).map_err(anyhow::Error::from)?),
        })
    };
    let mut owners = vec![owner(&current)?];
    if let Some(new) = new {
        owners.push(owner(new)?);
    }
    scope.check(R::KIND, &owners)?;
    Ok(())
}

async fn check_references<R: Record>(txn: &DatabaseTransaction, record: &R) -> Result<()> {
    for reference in record.references() {
        if links::name_of(txn, reference.kind, reference.id)
            .await?
            .is_none()
        {
            return Err(FieldError::new(
                reference.field,
                format!(
                    "there is no {} with id {}",
                    reference.kind.label(),
                    reference.id
                ),
            )
            .into());
        }
    }
    Ok(())
}

fn conflict_or_internal(err: sea_orm::DbErr, message: &str) -> AppError {
    let text = err.to_string().to_lowercase();
    if text.contains("unique") || text.contains("duplicate") {
        AppError::Conflict {
            message: message.to_owned(),
            field: Some("id".into()),
        }
    } else {
        err.into()
    }
}

/// Lists what still points at a record; used by delete and by `junction check`.
pub async fn dependants_of(store: &Store, kind: RecordKind, id: Uuid) -> Result<Vec<RecordRef>> {
    links::dependants(&store.db, kind, id).await
}
