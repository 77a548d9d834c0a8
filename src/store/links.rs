//! Join tables (service ↔ location, record ↔ category) and the reverse look-ups a delete
//! needs: which records still point at this one.

use std::collections::HashMap;

use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait, Query},
};
use uuid::Uuid;

use super::entities::{record_category, service_location};
use crate::domain::{FieldError, Links, Record, RecordKind, RecordRef};
use crate::error::Result;

pub(super) fn table_of(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Organisation => "organisations",
        RecordKind::Location => "locations",
        RecordKind::Service => "services",
        RecordKind::Space => "spaces",
        RecordKind::Asset => "assets",
        RecordKind::TaxonomyTerm => "taxonomy_terms",
    }
}

/// Fills in the join-table links of `records` (all of one kind) with two queries.
pub(super) async fn load<R: Record, C: ConnectionTrait>(conn: &C, records: &mut [R]) -> Result<()> {
    if records.is_empty() || records[0].links().is_none() {
        return Ok(());
    }
    let ids: Vec<Uuid> = records
        .iter()
        .filter_map(|r| r.meta().map(|m| m.id))
        .collect();
    let mut links: HashMap<Uuid, Links> = ids.iter().map(|id| (*id, Links::default())).collect();
    if R::KIND == RecordKind::Service {
        let rows = service_location::Entity::find()
            .filter(service_location::Column::ServiceId.is_in(ids.clone()))
            .order_by_asc(service_location::Column::Position)
            .all(conn)
            .await?;
        for row in rows {
            if let Some(l) = links.get_mut(&row.service_id) {
                l.location_ids.push(row.location_id);
            }
        }
    }
    let rows = record_category::Entity::find()
        .filter(record_category::Column::RecordKind.eq(R::KIND.as_str()))
        .filter(record_category::Column::RecordId.is_in(ids))
        .order_by_asc(record_category::Column::Position)
        .all(conn)
        .await?;
    for row in rows {
        if let Some(l) = links.get_mut(&row.record_id) {
            l.category_ids.push(row.term_id);
        }
    }
    for record in records {
        if let Some(id) = record.meta().map(|m| m.id)
            && let Some(l) = links.remove(&id)
        {
            record.set_links(l);
        }
    }
    Ok(())
}

/// Replaces the stored links of one record with those it carries now.
pub(super) async fn save<R: Record, C: ConnectionTrait>(conn: &C, record: &R) -> Result<()> {
    let (Some(links), Some(meta)) = (record.links(), record.meta()) else {
        return Ok(());
    };
    remove(conn, R::KIND, meta.id).await?;
    if R::KIND == RecordKind::Service && !links.location_ids.is_empty() {
        let rows = links
            .location_ids
            .iter()
            .enumerate()
            .map(|(i, location_id)| service_location::ActiveModel {
                service_id: Set(meta.id),
                location_id: Set(*location_id),
                position: Set(i as i32),
                service_at_location_id: Set(Some(crate::oruk::service_at_location_id(
                    meta.id,
                    *location_id,
                ))),
            });
        service_location::Entity::insert_many(rows)
            .exec_without_returning(conn)
            .await?;
    }
    if !links.category_ids.is_empty() {
        let rows = links.category_ids.iter().enumerate().map(|(i, term_id)| {
            record_category::ActiveModel {
                record_kind: Set(R::KIND.as_str().to_owned()),
                record_id: Set(meta.id),
                term_id: Set(*term_id),
                position: Set(i as i32),
            }
        });
        record_category::Entity::insert_many(rows)
            .exec_without_returning(conn)
            .await?;
    }
    Ok(())
}

/// Removes the join-table rows that belong to a record (not rows that point at it).
pub(super) async fn remove<C: ConnectionTrait>(conn: &C, kind: RecordKind, id: Uuid) -> Result<()> {
    if kind == RecordKind::Service {
        service_location::Entity::delete_many()
            .filter(service_location::Column::ServiceId.eq(id))
            .exec(conn)
            .await?;
    }
    record_category::Entity::delete_many()
        .filter(record_category::Column::RecordKind.eq(kind.as_str()))
        .filter(record_category::Column::RecordId.eq(id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Turns category slugs or ids into term ids, in place. An unknown one is a validation
/// error naming its position.
pub(super) async fn resolve_categories<C: ConnectionTrait>(
    conn: &C,
    categories: &mut Vec<String>,
) -> Result<()> {
    let mut resolved: Vec<String> = Vec::with_capacity(categories.len());
    for (i, c) in categories.iter().enumerate() {
        let by_id = c.parse::<Uuid>().ok();
        let mut q = Query::select()
            .column("id")
            .from("taxonomy_terms")
            .limit(1)
            .to_owned();
        match by_id {
            Some(id) => q.and_where(Expr::col("id").eq(id)),
            None => q.and_where(Expr::col("slug").eq(c.to_lowercase())),
        };
        let row = conn.query_one(&q).await?;
        let id: Option<Uuid> = row.and_then(|r| r.try_get("", "id").ok());
        match id {
            Some(id) => {
                let s = id.to_string();
                if !resolved.contains(&s) {
                    resolved.push(s);
                }
            }
            None => {
                return Err(FieldError::new(
                    format!("categories[{i}]"),
                    format!("there is no category with id or slug '{c}'"),
                )
                .into());
            }
        }
    }
    *categories = resolved;
    Ok(())
}

/// Every boundary a service area names must be one the register knows.
pub(super) async fn check_service_areas<C: ConnectionTrait>(
    conn: &C,
    areas: &[crate::domain::ServiceArea],
) -> Result<()> {
    for (i, area) in areas.iter().enumerate() {
        let Some(code) = &area.boundary_code else {
            continue;
        };
        let q = Query::select()
            .column("code")
            .from("boundaries")
            .and_where(Expr::col("code").eq(code.as_str()))
            .to_owned();
        if conn.query_one(&q).await?.is_none() {
            return Err(FieldError::new(
                format!("service_areas[{i}].boundary_code"),
                format!("there is no boundary with code '{code}': see /api/v1/boundaries"),
            )
            .into());
        }
    }
    Ok(())
}

/// The name of a record of any kind, or `None` when it doesn't exist.
pub async fn name_of<C: ConnectionTrait>(
    conn: &C,
    kind: RecordKind,
    id: Uuid,
) -> Result<Option<String>> {
    let q = Query::select()
        .column("name")
        .from(table_of(kind))
        .and_where(Expr::col("id").eq(id))
        .to_owned();
    let row = conn.query_one(&q).await?;
    Ok(row.and_then(|r| r.try_get::<String>("", "name").ok()))
}

async fn refs_where<C: ConnectionTrait>(
    conn: &C,
    kind: RecordKind,
    column: &'static str,
    id: Uuid,
    out: &mut Vec<RecordRef>,
) -> Result<()> {
    let q = Query::select()
        .columns(["id", "name"])
        .from(table_of(kind))
        .and_where(Expr::col(column).eq(id))
        .order_by("name", sea_orm::Order::Asc)
        .to_owned();
    for row in conn.query_all(&q).await? {
        if let (Ok(id), Ok(name)) = (
            row.try_get::<Uuid>("", "id"),
            row.try_get::<String>("", "name"),
        ) {
            out.push(RecordRef { kind, id, name });
        }
    }
    Ok(())
}

async fn refs_in<C: ConnectionTrait>(
    conn: &C,
    kind: RecordKind,
    ids: Vec<Uuid>,
    out: &mut Vec<RecordRef>,
) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let q = Query::select()
        .columns(["id", "name"])
        .from(table_of(kind))
        .and_where(Expr::col("id").is_in(ids))
        .order_by("name", sea_orm::Order::Asc)
        .to_owned();
    for row in conn.query_all(&q).await? {
        if let (Ok(id), Ok(name)) = (
            row.try_get::<Uuid>("", "id"),
            row.try_get::<String>("", "name"),
        ) {
            out.push(RecordRef { kind, id, name });
        }
    }
    Ok(())
}

/// Every record that points at (`kind`, `id`) and would be left dangling by its delete.
pub(super) async fn dependants<C: ConnectionTrait>(
    conn: &C,
    kind: RecordKind,
    id: Uuid,
) -> Result<Vec<RecordRef>> {
    let mut out = Vec::new();
    match kind {
        RecordKind::Organisation => {
            refs_where(conn, RecordKind::Location, "organisation_id", id, &mut out).await?;
            refs_where(conn, RecordKind::Service, "organisation_id", id, &mut out).await?;
            refs_where(conn, RecordKind::Space, "organisation_id", id, &mut out).await?;
            refs_where(
                conn,
                RecordKind::Asset,
                "owner_organisation_id",
                id,
                &mut out,
            )
            .await?;
        }
        RecordKind::Location => {
            let services: Vec<Uuid> = service_location::Entity::find()
                .filter(service_location::Column::LocationId.eq(id))
                .all(conn)
                .await?
                .into_iter()
                .map(|r| r.service_id)
                .collect();
            refs_in(conn, RecordKind::Service, services, &mut out).await?;
            refs_where(conn, RecordKind::Space, "location_id", id, &mut out).await?;
        }
        RecordKind::TaxonomyTerm => {
            refs_where(conn, RecordKind::TaxonomyTerm, "parent_id", id, &mut out).await?;
            let rows = record_category::Entity::find()
                .filter(record_category::Column::TermId.eq(id))
                .all(conn)
                .await?;
            for k in [RecordKind::Service, RecordKind::Space] {
                let ids = rows
                    .iter()
                    .filter(|r| r.record_kind == k.as_str())
                    .map(|r| r.record_id)
                    .collect();
                refs_in(conn, k, ids, &mut out).await?;
            }
        }
        RecordKind::Asset => {
            refs_where(conn, RecordKind::Space, "asset_id", id, &mut out).await?;
        }
        RecordKind::Service | RecordKind::Space => {}
    }
    Ok(out)
}

/// The spaces that say they are part of an asset (`spaces.asset_id`), by name.
pub async fn spaces_of_asset<C: ConnectionTrait>(
    conn: &C,
    asset_id: Uuid,
) -> Result<Vec<RecordRef>> {
    let mut out = Vec::new();
    refs_where(conn, RecordKind::Space, "asset_id", asset_id, &mut out).await?;
    Ok(out)
}

/// Ids of services delivered at a location and spaces at it: their indexed points come from
/// the location, so they are reindexed with it.
pub async fn at_location<C: ConnectionTrait>(
    conn: &C,
    location_id: Uuid,
) -> Result<Vec<(RecordKind, Uuid)>> {
    let mut out: Vec<(RecordKind, Uuid)> = service_location::Entity::find()
        .filter(service_location::Column::LocationId.eq(location_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (RecordKind::Service, r.service_id))
        .collect();
    let mut spaces = Vec::new();
    refs_where(
        conn,
        RecordKind::Space,
        "location_id",
        location_id,
        &mut spaces,
    )
    .await?;
    out.extend(spaces.into_iter().map(|r| (r.kind, r.id)));
    Ok(out)
}

/// Records filed under a term, reindexed when the term's name changes.
pub async fn in_category<C: ConnectionTrait>(
    conn: &C,
    term_id: Uuid,
) -> Result<Vec<(RecordKind, Uuid)>> {
    Ok(record_category::Entity::find()
        .filter(record_category::Column::TermId.eq(term_id))
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|r| RecordKind::parse(&r.record_kind).map(|k| (k, r.record_id)))
        .collect())
}
