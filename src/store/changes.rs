//! The append-only change log. Every write appends exactly one row here inside its own
//! transaction; readers (index, audit history, later the public feed) tail it by `seq`.
//!
//! Gap safety: on PostgreSQL a `seq` value is drawn from a sequence before commit, so two
//! writers could commit out of order and a reader that has seen seq 11 might never see a
//! seq 10 committed later. Each append therefore first takes a transaction-scoped advisory
//! lock that is held until commit: appends are serialised, and seq order is commit order.
//! SQLite needs no lock: write transactions start `IMMEDIATE`, so there is one writer at once.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Statement, TransactionTrait,
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{Actor, Store, entities::change};
use crate::domain::RecordKind;

/// Arbitrary, fixed key of the advisory lock that serialises change-log appends.
const CHANGE_LOG_LOCK: i64 = 0x6a75_6e63_7469_6f6e; // "junction"

/// What happened to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    Create,
    Update,
    Delete,
    /// "Still correct": `last_verified_at` moved, nothing else (no new version).
    Verify,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Create => "create",
            Op::Update => "update",
            Op::Delete => "delete",
            Op::Verify => "verify",
        }
    }
}

/// One row of the change log.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Change {
    pub seq: i64,
    pub record_kind: String,
    pub record_id: Uuid,
    /// `create`, `update`, `delete`, or `verify` (marked "still correct": only
    /// `last_verified_at` moved).
    pub op: String,
    pub actor: String,
    pub at: DateTime<Utc>,
    /// The full record after the change; absent for a delete.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<serde_json::Value>,
}

impl From<change::Model> for Change {
    fn from(m: change::Model) -> Self {
        Change {
            seq: m.seq,
            record_kind: m.record_kind,
            record_id: m.record_id,
            op: m.op,
            actor: m.actor,
            at: m.at,
            record: m.record,
        }
    }
}

/// Appends one change inside the caller's transaction and returns its seq.
pub(crate) async fn append<C: ConnectionTrait>(
    txn: &C,
    kind: RecordKind,
    id: Uuid,
    op: Op,
    actor: &Actor,
    record: Option<serde_json::Value>,
) -> Result<i64, sea_orm::DbErr> {
    append_row(txn, kind.as_str(), id, op, actor, record).await
}

/// Appends one change for something kept beside the register records (an Assets of
/// Community Value entry, `kind` = `acv_entry`). Record readers (the index, the feeds, record
/// history) skip kinds they don't know.
pub(crate) async fn append_other<C: ConnectionTrait>(
    txn: &C,
    kind: &str,
    id: Uuid,
    op: Op,
    actor: &Actor,
    record: Option<serde_json::Value>,
) -> Result<i64, sea_orm::DbErr> {
    append_row(txn, kind, id, op, actor, record).await
}

async fn append_row<C: ConnectionTrait>(
    txn: &C,
    kind: &str,
    id: Uuid,
    op: Op,
    actor: &Actor,
    record: Option<serde_json::Value>,
) -> Result<i64, sea_orm::DbErr> {
    if txn.get_database_backend() == DbBackend::Postgres {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [CHANGE_LOG_LOCK.into()],
        ))
        .await?;
    }
    let row = change::ActiveModel {
        seq: NotSet,
        record_kind: Set(kind.to_owned()),
        record_id: Set(id),
        op: Set(op.as_str().to_owned()),
        actor: Set(actor.0.clone()),
        at: Set(Utc::now()),
        record: Set(record),
    };
    let res = change::Entity::insert(row).exec(txn).await?;
    Ok(res.last_insert_id)
}

impl Store {
    /// Records in the log that the boundaries changed (an import): indexes reload them and
    /// re-place their records. Readers of record changes skip this kind.
    pub async fn announce_boundaries_changed(&self, loaded: u64) -> Result<i64, sea_orm::DbErr> {
        let txn = self.db.begin().await?;
        let seq = append_row(
            &txn,
            crate::search::indexer::BOUNDARIES_CHANGED,
            Uuid::nil(),
            Op::Update,
            &Actor::new("system:boundary-import"),
            Some(serde_json::json!({ "loaded": loaded })),
        )
        .await?;
        txn.commit().await?;
        self.changed.notify_one();
        Ok(seq)
    }

    /// Changes with `seq` greater than `after`, oldest first, at most `limit`.
    pub async fn changes_after(
        &self,
        after: i64,
        limit: u64,
    ) -> Result<Vec<Change>, sea_orm::DbErr> {
        Ok(change::Entity::find()
            .filter(change::Column::Seq.gt(after))
            .order_by_asc(change::Column::Seq)
            .limit(limit)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Change::from)
            .collect())
    }

    /// The highest seq in the log (0 when empty).
    pub async fn last_seq(&self) -> Result<i64, sea_orm::DbErr> {
        let last = change::Entity::find()
            .order_by_desc(change::Column::Seq)
            .limit(1)
            .one(&self.db)
            .await?;
        Ok(last.map_or(0, |c| c.seq))
    }

    /// One record's history, newest first.
    pub async fn history(&self, kind: RecordKind, id: Uuid) -> Result<Vec<Change>, sea_orm::DbErr> {
        Ok(change::Entity::find()
            .filter(change::Column::RecordKind.eq(kind.as_str()))
            .filter(change::Column::RecordId.eq(id))
            .order_by_desc(change::Column::Seq)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Change::from)
            .collect())
    }
}
