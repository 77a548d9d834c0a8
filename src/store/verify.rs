//! "Still correct": someone who may change a record confirms it is right as it stands (from
//! its admin page, the review queue, the API, or a reminder's signed link). That moves
//! `last_verified_at` to now and nothing else — no new version, no `updated_at` — and appends
//! one change-log row of op `verify` with the record as it now is, so the index (and the
//! record's review date) follow and the audit history says who checked it and when.

use chrono::{DateTime, Utc};
use sea_orm::{
    DatabaseTransaction, EntityTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::records::{Stored, check_stored_scope, get_in};
use super::{Actor, Store, changes, changes::Op};
use crate::domain::Scope;
use crate::error::{AppError, Result};

/// What a "still correct" check from a reminder link came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verified {
    /// Done: the record's name.
    Done(String),
    /// The record has been checked (or re-created) since the check was offered.
    Stale,
}

/// A record's last check as a number that survives a round trip through either database:
/// microseconds since 1970, 0 for never.
pub fn check_stamp(at: Option<DateTime<Utc>>) -> i64 {
    at.map_or(0, |t| t.timestamp_micros())
}

/// The check, inside a write transaction: locks the row (PostgreSQL; SQLite's write
/// transaction is already alone, so two clicks at once verify once), and unless its last check
/// is no longer `expected` (then `None`), moves `last_verified_at` and logs op `verify`.
async fn check_in<R: Stored>(
    txn: &DatabaseTransaction,
    id: Uuid,
    expected: Option<i64>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Option<R>> {
    R::Entity::find()
        .filter(Expr::col("id").eq(id))
        .lock_exclusive()
        .one(txn)
        .await?;
    let Some(mut record) = get_in::<R, _>(txn, id).await? else {
        return Err(AppError::NotFound(format!("{} {id}", R::KIND.label())));
    };
    let Some(mut meta) = record.meta() else {
        return Err(anyhow::anyhow!("stored record without meta").into());
    };
    if expected.is_some_and(|e| e != check_stamp(meta.last_verified_at)) {
        return Ok(None);
    }
    R::Entity::update_many()
        .col_expr("last_verified_at", Expr::value(now))
        .filter(Expr::col("id").eq(id))
        .exec(txn)
        .await?;
    meta.last_verified_at = Some(now);
    record.set_meta(meta);
    let json = serde_json::to_value(&record).map_err(anyhow::Error::from)?;
    changes::append(txn, R::KIND, id, Op::Verify, actor, Some(json)).await?;
    Ok(Some(record))
}

impl Store {
    /// Marks record `id` as checked now, for someone acting within `scope` (403 when it is
    /// not theirs, 404 when there is none). Returns the record as it now is.
    pub async fn verify_as<R: Stored>(&self, id: Uuid, scope: &Scope, actor: &Actor) -> Result<R> {
        let txn = self.begin_write().await?;
        check_stored_scope::<R>(&txn, id, scope, None).await?;
        let record = check_in::<R>(&txn, id, None, actor, Utc::now())
            .await?
            .ok_or_else(|| anyhow::anyhow!("a check without an expected stamp always applies"))?;
        txn.commit().await?;
        self.changed.notify_one();
        Ok(record)
    }

    /// Marks a record still correct at `now`, provided its last check is still `expected`
    /// (a [`check_stamp`]): so a "still correct" link works once — the check it made moves the
    /// stamp it was bound to.
    pub async fn mark_still_correct<R: Stored>(
        &self,
        id: Uuid,
        expected: Option<i64>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Verified> {
        let txn = self.begin_write().await?;
        let Some(record) = check_in::<R>(&txn, id, expected, actor, now).await? else {
            return Ok(Verified::Stale);
        };
        txn.commit().await?;
        self.changed.notify_one();
        Ok(Verified::Done(record.name().to_owned()))
    }
}
