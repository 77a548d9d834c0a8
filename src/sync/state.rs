//! Where each sync got to, per feed (`sync_positions`): read before a run, written after every
//! page a run has applied, so a run that stops part-way continues from its last whole page.

use chrono::Utc;
use sea_orm::{
    ConnectionTrait,
    sea_query::{Expr, ExprTrait, OnConflict, Query},
};

use crate::config::SyncKind;
use crate::error::Result;
use crate::store::Store;

/// A feed's stored position.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Position {
    /// RPDE: the last applied item's `modified`; ORUK: the newest `last_modified` seen.
    pub after_timestamp: Option<String>,
    /// RPDE: the last applied item's `id`.
    pub after_id: Option<String>,
    /// RPDE: the page to ask for next.
    pub next_url: Option<String>,
}

const TABLE: &str = "sync_positions";

/// The position stored for `feed_url`, if it has been synced before.
pub async fn load(store: &Store, feed_url: &str) -> Result<Option<Position>> {
    let q = Query::select()
        .columns(["after_timestamp", "after_id", "next_url"])
        .from(TABLE)
        .and_where(Expr::col("feed_url").eq(feed_url))
        .to_owned();
    let Some(row) = store.db.query_one(&q).await? else {
        return Ok(None);
    };
    Ok(Some(Position {
        after_timestamp: row.try_get("", "after_timestamp")?,
        after_id: row.try_get("", "after_id")?,
        next_url: row.try_get("", "next_url")?,
    }))
}

/// Stores `position` for `feed_url`, replacing what was there.
pub async fn save(
    store: &Store,
    feed_url: &str,
    protocol: SyncKind,
    position: &Position,
) -> Result<()> {
    let mut q = Query::insert();
    q.into_table(TABLE)
        .columns([
            "feed_url",
            "protocol",
            "after_timestamp",
            "after_id",
            "next_url",
            "updated_at",
        ])
        .values([
            feed_url.into(),
            protocol.as_str().into(),
            position.after_timestamp.clone().into(),
            position.after_id.clone().into(),
            position.next_url.clone().into(),
            Utc::now().into(),
        ])
        .map_err(|e| anyhow::anyhow!("sync position: {e}"))?
        .on_conflict(
            OnConflict::column("feed_url")
                .update_columns(["after_timestamp", "after_id", "next_url", "updated_at"])
                .to_owned(),
        );
    store.db.execute(&q).await?;
    Ok(())
}
