//! The signed-in dashboard's list of records: every organisation, location, service, space and
//! asset (or, for an editor, those of their organisations), most overdue for review first.

use chrono::{DateTime, Utc};
use sea_orm::{
    ConnectionTrait, FromQueryResult,
    sea_query::{Alias, Expr, ExprTrait, Func, Order, Query, SelectStatement},
};
use uuid::Uuid;

use super::Store;
use crate::domain::RecordKind;
use crate::domain::freshness::ReviewPolicy;
use crate::error::Result;

/// One line of the dashboard.
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
pub struct RecordLine {
    pub id: Uuid,
    pub name: String,
    pub publication: String,
    pub created_at: DateTime<Utc>,
    pub last_verified_at: Option<DateTime<Utc>>,
}

/// The kinds listed, each with its table and the column naming its organisation.
const KINDS: [(RecordKind, &str, &str); 5] = [
    (RecordKind::Organisation, "organisations", "id"),
    (RecordKind::Service, "services", "organisation_id"),
    (RecordKind::Space, "spaces", "organisation_id"),
    (RecordKind::Location, "locations", "organisation_id"),
    (RecordKind::Asset, "assets", "owner_organisation_id"),
];

fn checked() -> Expr {
    Func::coalesce([Expr::col("last_verified_at"), Expr::col("created_at")]).into()
}

fn select(table: &str, org_column: &str, scope: Option<&[Uuid]>) -> SelectStatement {
    let mut q = Query::select();
    q.from(Alias::new(table));
    if let Some(orgs) = scope {
        q.and_where(Expr::col(Alias::new(org_column)).is_in(orgs.iter().copied()));
    }
    q
}

impl Store {
    /// A page of records (`scope`: only these organisations'; `None`: all), ordered by the
    /// date they were last checked, oldest first, with the total.
    pub async fn my_records(
        &self,
        scope: Option<&[Uuid]>,
        page: u64,
        per_page: u64,
    ) -> Result<(Vec<(RecordKind, RecordLine)>, u64)> {
        let backend = self.backend();
        let upto = page.saturating_mul(per_page);
        let mut all = Vec::new();
        let mut total = 0u64;
        for (kind, table, org_column) in KINDS {
            let mut count = select(table, org_column, scope);
            count.expr_as(Expr::col("id").count(), Alias::new("n"));
            if let Some(row) = self.db.query_one(&count).await? {
                total += u64::try_from(row.try_get::<i64>("", "n")?).unwrap_or(0);
            }
            let mut q = select(table, org_column, scope);
            q.columns(
                [
                    "id",
                    "name",
                    "publication",
                    "created_at",
                    "last_verified_at",
                ]
                .map(Alias::new),
            )
            .order_by_expr(checked(), Order::Asc)
            .order_by(Alias::new("id"), Order::Asc)
            .limit(upto);
            let rows = RecordLine::find_by_statement(backend.build(&q))
                .all(&self.db)
                .await?;
            all.extend(rows.into_iter().map(|r| (kind, r)));
        }
        all.sort_by(|(_, a), (_, b)| {
            let key = |r: &RecordLine| r.last_verified_at.unwrap_or(r.created_at);
            key(a).cmp(&key(b)).then(a.id.cmp(&b.id))
        });
        let skip = page.saturating_sub(1).saturating_mul(per_page) as usize;
        let items = all.into_iter().skip(skip).take(per_page as usize).collect();
        Ok((items, total))
    }
}

/// One line of the review queue: the record and the date its review falls due.
#[derive(Debug, Clone, PartialEq)]
pub struct DueLine {
    pub kind: RecordKind,
    pub record: RecordLine,
    pub due: DateTime<Utc>,
}

impl Store {
    /// The review queue: records (`scope`: only these organisations') whose review falls due
    /// by `until`, soonest (most overdue) first, at most `limit`, with how many there are.
    /// Each kind's interval comes from `policy`; within a kind the due date follows the last
    /// check, so one query per kind, ordered by it, merges into the whole order.
    pub async fn review_queue(
        &self,
        scope: Option<&[Uuid]>,
        policy: &ReviewPolicy,
        until: DateTime<Utc>,
        limit: u64,
    ) -> Result<(Vec<DueLine>, u64)> {
        let backend = self.backend();
        let mut all = Vec::new();
        let mut total = 0u64;
        for (kind, table, org_column) in KINDS {
            let Some(cutoff) = policy.overdue_before(kind, until) else {
                continue;
            };
            let mut count = select(table, org_column, scope);
            count
                .and_where(checked().lte(cutoff))
                .expr_as(Expr::col("id").count(), Alias::new("n"));
            if let Some(row) = self.db.query_one(&count).await? {
                total += u64::try_from(row.try_get::<i64>("", "n")?).unwrap_or(0);
            }
            let mut q = select(table, org_column, scope);
            q.columns(
                [
                    "id",
                    "name",
                    "publication",
                    "created_at",
                    "last_verified_at",
                ]
                .map(Alias::new),
            )
            .and_where(checked().lte(cutoff))
            .order_by_expr(checked(), Order::Asc)
            .order_by(Alias::new("id"), Order::Asc)
            .limit(limit);
            let rows = RecordLine::find_by_statement(backend.build(&q))
                .all(&self.db)
                .await?;
            for record in rows {
                let checked_at = record.last_verified_at.unwrap_or(record.created_at);
                if let Some(due) = policy.due(kind, checked_at) {
                    all.push(DueLine { kind, record, due });
                }
            }
        }
        all.sort_by(|a, b| a.due.cmp(&b.due).then(a.record.id.cmp(&b.record.id)));
        all.truncate(limit as usize);
        Ok((all, total))
    }
}
