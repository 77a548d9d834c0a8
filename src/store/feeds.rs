//! The RPDE change feed's query: each record of a kind once, at its latest change, ordered by
//! that change's `seq`. Because the change log is gap-safe (seq order is commit order), a
//! reader that has seen seq N will never later find a change with a seq at or below N, so
//! `modified` = the latest seq is a cursor clocks and late commits cannot break.

use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Query},
};
use uuid::Uuid;

use super::{Change, Store, entities::change};
use crate::domain::RecordKind;
use crate::error::Result;

impl Store {
    /// Up to `limit` records of `kind` whose latest change comes after `(after_seq,
    /// after_id)`, each as that latest change, in (seq, id) order.
    pub async fn latest_changes(
        &self,
        kind: RecordKind,
        after_seq: i64,
        after_id: Option<Uuid>,
        limit: u64,
    ) -> Result<Vec<Change>> {
        let later = Query::select()
            .expr(Expr::val(1))
            .from_as("changes", "later")
            .and_where(Expr::col(("later", "record_kind")).equals(("changes", "record_kind")))
            .and_where(Expr::col(("later", "record_id")).equals(("changes", "record_id")))
            .and_where(Expr::col(("later", "seq")).gt(Expr::col(("changes", "seq"))))
            .to_owned();
        // seq is unique, so (seq, id) ordering is seq ordering; afterId only matters for a
        // client that repeats the cursor of a record it has already seen.
        let after = match after_id {
            Some(id) => {
                Expr::col(("changes", "seq"))
                    .gt(after_seq)
                    .or(Expr::col(("changes", "seq"))
                        .eq(after_seq)
                        .and(Expr::col(("changes", "record_id")).gt(id)))
            }
            None => Expr::col(("changes", "seq")).gt(after_seq),
        };
        Ok(change::Entity::find()
            .filter(change::Column::RecordKind.eq(kind.as_str()))
            .filter(after)
            .filter(Expr::exists(later).not())
            .order_by_asc(change::Column::Seq)
            .order_by_asc(change::Column::RecordId)
            .limit(limit)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Change::from)
            .collect())
    }
}
