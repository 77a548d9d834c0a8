//! "Still correct": someone who may change a record confirms it is right as it stands. That
//! moves `last_verified_at` to now and nothing else — no new version, no `updated_at` — and
//! appends one change-log row of op `verify` with the record as it now is, so the index (and
//! the record's review date) follow and the audit history says who checked it and when.

use chrono::Utc;
use sea_orm::{
    ConnectionTrait,
    sea_query::{Alias, Expr, ExprTrait, Query},
};
use uuid::Uuid;

use super::records::{check_stored_scope, get_in};
use super::{Actor, Store, Stored, changes, changes::Op};
use crate::domain::Scope;
use crate::error::{AppError, Result};

impl Store {
    /// Marks record `id` as checked now, for someone acting within `scope` (403 when it is
    /// not theirs, 404 when there is none). Returns the record as it now is.
    pub async fn verify_as<R: Stored>(&self, id: Uuid, scope: &Scope, actor: &Actor) -> Result<R> {
        let txn = self.begin_write().await?;
        check_stored_scope::<R>(&txn, id, scope, None).await?;
        let mut record: R = get_in::<R, _>(&txn, id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("{} {id}", R::KIND.label())))?;
        let mut meta = record
            .meta()
            .ok_or_else(|| anyhow::anyhow!("stored record without meta"))?;
        let now = Utc::now();
        txn.execute(
            &Query::update()
                .table(Alias::new(R::TABLE))
                .value(Alias::new("last_verified_at"), now)
                .and_where(Expr::col(Alias::new("id")).eq(id))
                .to_owned(),
        )
        .await?;
        meta.last_verified_at = Some(now);
        record.set_meta(meta);
        let json = serde_json::to_value(&record).map_err(anyhow::Error::from)?;
        changes::append(&txn, R::KIND, id, Op::Verify, actor, Some(json)).await?;
        txn.commit().await?;
        self.changed.notify_one();
        Ok(record)
    }
}
