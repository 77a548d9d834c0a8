//! The mail outbox. A message is queued once per dedupe key (`INSERT … ON CONFLICT DO
//! NOTHING`), so a reminder pass that runs again — after a restart, on another node — never
//! queues it twice. Delivery claims a row for a while before sending it (a conditional
//! `UPDATE`), so two runs never send the same row at once; a run that dies holding a claim
//! leaves it to be retried once the claim lapses.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, OnConflict},
};

use super::Store;
use super::entities::outbox;
use crate::error::Result;

/// How long a delivery run holds a claimed row.
pub const CLAIM: Duration = Duration::minutes(5);
/// Deliveries tried before a message is left alone (its last error kept).
pub const MAX_ATTEMPTS: i32 = 10;

/// A message for the outbox.
#[derive(Debug, Clone)]
pub struct Queued {
    pub dedupe_key: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

/// Queues `message` unless a message with its dedupe key exists; returns whether it was added.
pub async fn queue_in<C: ConnectionTrait>(
    conn: &C,
    message: &Queued,
    now: DateTime<Utc>,
) -> Result<bool> {
    let res = outbox::Entity::insert(outbox::ActiveModel {
        id: NotSet,
        dedupe_key: Set(message.dedupe_key.clone()),
        recipient: Set(message.recipient.clone()),
        subject: Set(message.subject.clone()),
        body: Set(message.body.clone()),
        created_at: Set(now),
        sent_at: Set(None),
        attempts: Set(0),
        claimed_until: Set(None),
        last_error: Set(None),
    })
    .on_conflict(
        OnConflict::column(outbox::Column::DedupeKey)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(res == 1)
}

impl Store {
    /// Queues a message (see [`queue_in`]).
    pub async fn queue_mail(&self, message: &Queued, now: DateTime<Utc>) -> Result<bool> {
        queue_in(&self.db, message, now).await
    }

    /// Claims up to `limit` unsent messages that no live claim holds, oldest first.
    pub async fn claim_unsent(&self, now: DateTime<Utc>, limit: u64) -> Result<Vec<outbox::Model>> {
        let candidates = outbox::Entity::find()
            .filter(outbox::Column::SentAt.is_null())
            .filter(outbox::Column::Attempts.lt(MAX_ATTEMPTS))
            .filter(
                outbox::Column::ClaimedUntil
                    .is_null()
                    .or(outbox::Column::ClaimedUntil.lte(now)),
            )
            .order_by_asc(outbox::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?;
        let mut claimed = Vec::with_capacity(candidates.len());
        for row in candidates {
            // Only the run whose update still finds the row unclaimed owns it.
            let res = outbox::Entity::update_many()
                .col_expr(outbox::Column::ClaimedUntil, Expr::value(now + CLAIM))
                .col_expr(
                    outbox::Column::Attempts,
                    Expr::col(outbox::Column::Attempts).add(1),
                )
                .filter(outbox::Column::Id.eq(row.id))
                .filter(outbox::Column::SentAt.is_null())
                .filter(outbox::Column::Attempts.eq(row.attempts))
                .exec(&self.db)
                .await?;
            if res.rows_affected == 1 {
                claimed.push(row);
            }
        }
        Ok(claimed)
    }

    /// Records that message `id` was delivered.
    pub async fn mark_sent(&self, id: i64, now: DateTime<Utc>) -> Result<()> {
        outbox::Entity::update_many()
            .col_expr(outbox::Column::SentAt, Expr::value(now))
            .col_expr(
                outbox::Column::LastError,
                Expr::value(Option::<String>::None),
            )
            .filter(outbox::Column::Id.eq(id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Records why delivering message `id` failed; it is tried again once its claim lapses.
    pub async fn mark_failed(&self, id: i64, error: &str) -> Result<()> {
        let error: String = error.chars().take(500).collect();
        outbox::Entity::update_many()
            .col_expr(outbox::Column::LastError, Expr::value(error))
            .filter(outbox::Column::Id.eq(id))
            .exec(&self.db)
            .await?;
        Ok(())
    }
}
