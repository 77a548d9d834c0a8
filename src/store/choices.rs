//! The options of the record forms' selects and checkboxes: organisations, locations and
//! taxonomy terms as (id, name), by name — for an editor only their organisations' own.

use sea_orm::{
    ConnectionTrait,
    sea_query::{Alias, Expr, ExprTrait, Order, Query},
};
use uuid::Uuid;

use super::Store;
use crate::domain::{RecordKind, scope::owner_field};
use crate::error::Result;

impl Store {
    /// Every record of `kind` as (id, name), by name; with `scope`, only those owned by one
    /// of these organisations.
    pub async fn record_choices(
        &self,
        kind: RecordKind,
        scope: Option<&[Uuid]>,
    ) -> Result<Vec<(Uuid, String)>> {
        let mut q = Query::select();
        q.columns([Alias::new("id"), Alias::new("name")])
            .from(Alias::new(super::links::table_of(kind)))
            .order_by(Alias::new("name"), Order::Asc)
            .order_by(Alias::new("id"), Order::Asc);
        if let (Some(orgs), Some(column)) = (scope, owner_field(kind)) {
            q.and_where(Expr::col(Alias::new(column)).is_in(orgs.iter().copied()));
        }
        let rows = self.db.query_all(&q).await?;
        Ok(rows
            .iter()
            .filter_map(|r| {
                Some((
                    r.try_get::<Uuid>("", "id").ok()?,
                    r.try_get::<String>("", "name").ok()?,
                ))
            })
            .collect())
    }
}
