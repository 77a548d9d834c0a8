//! What the reminder pass reads: published records whose review is due, with their owning
//! organisation, the editors of an organisation (the people a reminder goes to), and the staff
//! (administrators and moderators) who get transfer deadline and ACV decision reminders.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    sea_query::{Alias, Expr, ExprTrait, Func, Order, Query},
};
use uuid::Uuid;

use super::Store;
use super::entities::{user, user_organisation};
use crate::domain::freshness::ReviewPolicy;
use crate::domain::{Publication, RecordKind, Role};
use crate::error::Result;

/// The kinds that have an owning organisation, with their table and the column naming it
/// (an organisation owns itself).
pub const OWNED_KINDS: [(RecordKind, &str, &str); 5] = [
    (RecordKind::Organisation, "organisations", "id"),
    (RecordKind::Service, "services", "organisation_id"),
    (RecordKind::Space, "spaces", "organisation_id"),
    (RecordKind::Location, "locations", "organisation_id"),
    (RecordKind::Asset, "assets", "owner_organisation_id"),
];

/// A record whose review is due.
#[derive(Debug, Clone, PartialEq)]
pub struct DueRecord {
    pub kind: RecordKind,
    pub id: Uuid,
    pub name: String,
    pub organisation_id: Uuid,
    pub created_at: DateTime<Utc>,
    pub last_verified_at: Option<DateTime<Utc>>,
    pub due: DateTime<Utc>,
}

#[derive(Debug, FromQueryResult)]
struct Row {
    id: Uuid,
    name: String,
    owner: Option<Uuid>,
    created_at: DateTime<Utc>,
    last_verified_at: Option<DateTime<Utc>>,
}

const BATCH: u64 = 500;

impl Store {
    /// Every published record with an owner whose review is due at `now` (by `policy`, the
    /// kind's interval from its last check or its creation), oldest check first. Rows are read in that order a batch at a time and
    /// the walk stops at the first one not yet due, so only due records (and one batch) are read.
    pub async fn due_for_review(
        &self,
        policy: &ReviewPolicy,
        now: DateTime<Utc>,
    ) -> Result<Vec<DueRecord>> {
        let backend = self.backend();
        let mut due = Vec::new();
        for (kind, table, owner) in OWNED_KINDS {
            let mut offset = 0;
            'kind: loop {
                let q = Query::select()
                    .from(Alias::new(table))
                    .column(Alias::new("id"))
                    .column(Alias::new("name"))
                    .expr_as(Expr::col(Alias::new(owner)), Alias::new("owner"))
                    .column(Alias::new("created_at"))
                    .column(Alias::new("last_verified_at"))
                    .and_where(
                        Expr::col(Alias::new("publication")).eq(Publication::Published.as_str()),
                    )
                    .and_where(Expr::col(Alias::new(owner)).is_not_null())
                    .order_by_expr(
                        Func::coalesce([Expr::col("last_verified_at"), Expr::col("created_at")])
                            .into(),
                        Order::Asc,
                    )
                    .order_by(Alias::new("id"), Order::Asc)
                    .limit(BATCH)
                    .offset(offset)
                    .to_owned();
                let rows = Row::find_by_statement(backend.build(&q))
                    .all(&self.db)
                    .await?;
                let n = rows.len() as u64;
                for r in rows {
                    let Some(at) = policy.due(kind, r.last_verified_at.unwrap_or(r.created_at))
                    else {
                        break 'kind;
                    };
                    if at > now {
                        break 'kind;
                    }
                    let Some(organisation_id) = r.owner else {
                        continue;
                    };
                    due.push(DueRecord {
                        kind,
                        id: r.id,
                        name: r.name,
                        organisation_id,
                        created_at: r.created_at,
                        last_verified_at: r.last_verified_at,
                        due: at,
                    });
                }
                if n < BATCH {
                    break;
                }
                offset += BATCH;
            }
        }
        Ok(due)
    }

    /// The organisation's editors who can be written to: (user id, email), enabled accounts
    /// with the editor role linked to it.
    pub async fn editors_of(&self, organisation: Uuid) -> Result<Vec<(Uuid, String)>> {
        let ids: Vec<Uuid> = user_organisation::Entity::find()
            .filter(user_organisation::Column::OrganisationId.eq(organisation))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|l| l.user_id)
            .collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(user::Entity::find()
            .filter(user::Column::Id.is_in(ids))
            .filter(user::Column::Role.eq(Role::Editor.as_str()))
            .filter(user::Column::DisabledAt.is_null())
            .all(&self.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.email))
            .collect())
    }

    /// Everyone who can be written to about staff work: (user id, email) of the enabled
    /// administrators and moderators, by email.
    pub async fn staff_recipients(&self) -> Result<Vec<(Uuid, String)>> {
        Ok(user::Entity::find()
            .filter(user::Column::Role.is_in([Role::Admin.as_str(), Role::Moderator.as_str()]))
            .filter(user::Column::DisabledAt.is_null())
            .order_by_asc(user::Column::EmailKey)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.email))
            .collect())
    }
}
