//! Suggested corrections from the public and their moderation: stored as sent, listed open by
//! record for moderators, closed once (accepted, rejected with a reason, or forwarded to the
//! owning organisation). Accepting applies the value through [`Store::update_in`], so it is a
//! normal edit with its own change-log row. A submitter's email is deleted 30 days after their
//! suggestion is closed ([`Store::purge_suggestion_emails`], run by the reminder pass).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    sea_query::Expr,
};
use uuid::Uuid;

use super::entities::suggestion;
use super::records::{Stored, get_in};
use super::{Actor, Store};
use crate::domain::suggestion::{Draft, Status, apply};
use crate::domain::{FieldError, RecordKind};
use crate::error::{AppError, Result};

/// How long a closed suggestion keeps its submitter's email.
pub const KEEP_EMAIL: Duration = Duration::days(30);

/// One suggestion.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    pub id: i64,
    pub kind: RecordKind,
    pub record_id: Uuid,
    pub field: String,
    pub suggested_value: String,
    pub message: String,
    pub contact_email: Option<String>,
    pub status: Status,
    pub reason: Option<String>,
    pub handled_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

fn to_suggestion(m: suggestion::Model) -> Option<Suggestion> {
    Some(Suggestion {
        id: m.id,
        kind: RecordKind::parse(&m.record_kind)?,
        record_id: m.record_id,
        field: m.field,
        suggested_value: m.suggested_value,
        message: m.message,
        contact_email: m.contact_email,
        status: Status::parse(&m.status)?,
        reason: m.reason,
        handled_by: m.handled_by,
        created_at: m.created_at,
        closed_at: m.closed_at,
    })
}

/// Closes an open suggestion; false when it was no longer open (someone else got there first).
async fn close_in<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    status: Status,
    reason: Option<String>,
    by: Uuid,
    now: DateTime<Utc>,
) -> Result<bool> {
    let res = suggestion::Entity::update_many()
        .col_expr(suggestion::Column::Status, Expr::value(status.as_str()))
        .col_expr(suggestion::Column::Reason, Expr::value(reason))
        .col_expr(suggestion::Column::HandledBy, Expr::value(by))
        .col_expr(suggestion::Column::UpdatedAt, Expr::value(now))
        .col_expr(suggestion::Column::ClosedAt, Expr::value(now))
        .filter(suggestion::Column::Id.eq(id))
        .filter(suggestion::Column::Status.eq(Status::Open.as_str()))
        .exec(conn)
        .await?;
    Ok(res.rows_affected == 1)
}

fn no_longer_open(id: i64) -> AppError {
    AppError::Conflict {
        message: format!("suggestion #{id} has already been dealt with"),
        field: None,
    }
}

impl Store {
    /// Stores a suggestion for a record; returns its number.
    pub async fn create_suggestion(
        &self,
        kind: RecordKind,
        record_id: Uuid,
        draft: &Draft,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let res = suggestion::Entity::insert(suggestion::ActiveModel {
            id: NotSet,
            record_kind: Set(kind.as_str().to_owned()),
            record_id: Set(record_id),
            field: Set(draft.field.clone()),
            suggested_value: Set(draft.suggested_value.clone()),
            message: Set(draft.message.clone()),
            contact_email: Set(draft.contact_email.clone()),
            status: Set(Status::Open.as_str().to_owned()),
            reason: Set(None),
            handled_by: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            closed_at: Set(None),
        })
        .exec(&self.db)
        .await?;
        Ok(res.last_insert_id)
    }

    pub async fn suggestion(&self, id: i64) -> Result<Option<Suggestion>> {
        Ok(suggestion::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .and_then(to_suggestion))
    }

    /// Every open suggestion, by record, oldest first within each.
    pub async fn open_suggestions(&self) -> Result<Vec<Suggestion>> {
        Ok(suggestion::Entity::find()
            .filter(suggestion::Column::Status.eq(Status::Open.as_str()))
            .order_by_asc(suggestion::Column::RecordKind)
            .order_by_asc(suggestion::Column::RecordId)
            .order_by_asc(suggestion::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(to_suggestion)
            .collect())
    }

    /// Rejects an open suggestion with the moderator's reason.
    pub async fn reject_suggestion(
        &self,
        id: i64,
        reason: &str,
        by: Uuid,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !close_in(
            &self.db,
            id,
            Status::Rejected,
            Some(reason.to_owned()),
            by,
            now,
        )
        .await?
        {
            return Err(no_longer_open(id));
        }
        Ok(())
    }

    /// Marks an open suggestion forwarded to the owning organisation, inside `txn` (which also
    /// queues the mail).
    pub async fn forward_suggestion_in<C: ConnectionTrait>(
        &self,
        conn: &C,
        id: i64,
        by: Uuid,
        now: DateTime<Utc>,
    ) -> Result<()> {
        if !close_in(conn, id, Status::Forwarded, None, by, now).await? {
            return Err(no_longer_open(id));
        }
        Ok(())
    }

    /// Accepts an open suggestion: its value goes into the record as a normal edit (one
    /// transaction: the record, its change-log row crediting the suggestion and `actor`, and
    /// the suggestion closed). A value the record's rules refuse is a validation error on
    /// `value`, and nothing changes.
    pub async fn accept_suggestion<R: Stored>(
        &self,
        s: &Suggestion,
        by: Uuid,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<R> {
        let txn = self.begin_write().await?;
        super::provenance::refuse_if_mirrored(&txn, R::KIND, s.record_id).await?;
        let current: R = get_in::<R, _>(&txn, s.record_id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("{} {}", R::KIND.label(), s.record_id)))?;
        let version = current.meta().map(|m| m.version).unwrap_or_default();
        let mut json = serde_json::to_value(&current).map_err(anyhow::Error::from)?;
        apply(R::KIND, &mut json, &s.field, &s.suggested_value).ok_or_else(|| {
            FieldError::new(
                "value",
                "this suggestion cannot be applied as it stands: make the change by editing the record, then reject or forward it",
            )
        })?;
        let record: R = serde_json::from_value(json).map_err(anyhow::Error::from)?;
        let record = self
            .update_in(&txn, s.record_id, version, record, actor)
            .await
            .map_err(|e| match e {
                AppError::Validation(f) => AppError::Validation(FieldError::new(
                    "value",
                    format!("the suggested value does not fit the record: {}", f.message),
                )),
                other => other,
            })?;
        if !close_in(&txn, s.id, Status::Accepted, None, by, now).await? {
            return Err(no_longer_open(s.id));
        }
        txn.commit().await?;
        self.changed.notify_one();
        Ok(record)
    }

    /// Deletes the submitter's email from every suggestion closed at or before `closed_before`;
    /// returns how many.
    pub async fn purge_suggestion_emails(&self, closed_before: DateTime<Utc>) -> Result<u64> {
        let res = suggestion::Entity::update_many()
            .col_expr(
                suggestion::Column::ContactEmail,
                Expr::value(Option::<String>::None),
            )
            .filter(suggestion::Column::ContactEmail.is_not_null())
            .filter(suggestion::Column::ClosedAt.lte(closed_before))
            .exec(&self.db)
            .await?;
        Ok(res.rows_affected)
    }
}
