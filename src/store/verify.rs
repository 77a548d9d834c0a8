//! "Still correct": a check that moves a record's `last_verified_at` without an edit (its
//! version, `updated_at` and content stay), logged in the change log as op `verify` with the
//! record as it now is, so the index, the feeds and the history see the new date.

use chrono::{DateTime, Utc};
use sea_orm::{
    EntityTrait, QueryFilter, QuerySelect,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::records::{Stored, get_in};
use super::{Actor, Store, changes, changes::Op};
use crate::error::{AppError, Result};

/// What a "still correct" check came to.
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

impl Store {
    /// Marks a record still correct at `now`, provided its last check is still `expected`
    /// (a [`check_stamp`]): so a "still correct" link works once — the check it made moves the
    /// stamp it was bound to. The row is locked for the check (PostgreSQL; SQLite's write
    /// transaction is already alone), so two clicks at once verify once.
    pub async fn mark_still_correct<R: Stored>(
        &self,
        id: Uuid,
        expected: Option<i64>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Verified> {
        let txn = self.begin_write().await?;
        R::Entity::find()
            .filter(Expr::col("id").eq(id))
            .lock_exclusive()
            .one(&txn)
            .await?;
        let Some(mut record) = get_in::<R, _>(&txn, id).await? else {
            return Err(AppError::NotFound(format!("{} {id}", R::KIND.label())));
        };
        let Some(mut meta) = record.meta() else {
            return Err(anyhow::anyhow!("stored record without meta").into());
        };
        if expected.is_some_and(|e| e != check_stamp(meta.last_verified_at)) {
            return Ok(Verified::Stale);
        }
        R::Entity::update_many()
            .col_expr("last_verified_at", Expr::value(now))
            .filter(Expr::col("id").eq(id))
            .exec(&txn)
            .await?;
        meta.last_verified_at = Some(now);
        record.set_meta(meta);
        let json = serde_json::to_value(&record).map_err(anyhow::Error::from)?;
        changes::append(&txn, R::KIND, id, Op::Verify, actor, Some(json)).await?;
        txn.commit().await?;
        self.changed.notify_one();
        Ok(Verified::Done(record.name().to_owned()))
    }
}
