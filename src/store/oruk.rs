//! Queries the ORUK API needs: which published services match its filters (in one SQL query,
//! ordered by name then id so pages never repeat or skip), the (service, location) pairs
//! behind service-at-locations, and the related records a page of services points at, loaded
//! once per page in their public view.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ConnectionTrait,
    sea_query::{Expr, ExprTrait, Order, Query, SelectStatement},
};
use uuid::Uuid;

use super::Store;
use crate::domain::{Location, Organisation, Publication, Record, Service, TaxonomyTerm};
use crate::error::Result;
use crate::oruk::hsds::Related;

/// The ORUK service filters the database answers. All combine with AND.
#[derive(Debug, Clone, Default)]
pub struct ServiceFilter {
    /// Only these services (e.g. the matches of a text search).
    pub ids: Option<Vec<Uuid>>,
    pub organisation_id: Option<Uuid>,
    /// Filed under this term or one of its descendants.
    pub taxonomy_term_id: Option<Uuid>,
    /// Filed under any term of this taxonomy.
    pub taxonomy_id: Option<Uuid>,
    /// Services whose minimum age is at least this.
    pub minimum_age: Option<i32>,
    /// Services whose maximum age is at most this.
    pub maximum_age: Option<i32>,
    /// Changed at or after this time.
    pub modified_after: Option<DateTime<Utc>>,
}

fn published() -> sea_orm::sea_query::SimpleExpr {
    Expr::col("publication").eq(Publication::Published.as_str())
}

fn published_ids(table: &str) -> SelectStatement {
    Query::select()
        .column("id")
        .from(table.to_owned())
        .and_where(published())
        .to_owned()
}

fn categorised_under(term_ids: Vec<Uuid>) -> SelectStatement {
    Query::select()
        .column("record_id")
        .from("record_categories")
        .and_where(Expr::col("record_kind").eq("service"))
        .and_where(Expr::col("term_id").is_in(term_ids))
        .to_owned()
}

impl Store {
    /// Ids of the published services matching `f`, by name then id.
    pub async fn oruk_service_ids(&self, f: &ServiceFilter) -> Result<Vec<Uuid>> {
        let mut q = Query::select()
            .column("id")
            .from("services")
            .and_where(published())
            .order_by("name", Order::Asc)
            .order_by("id", Order::Asc)
            .to_owned();
        if let Some(ids) = &f.ids {
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            q.and_where(Expr::col("id").is_in(ids.iter().copied()));
        }
        if let Some(org) = f.organisation_id {
            q.and_where(Expr::col("organisation_id").eq(org));
        }
        if let Some(term) = f.taxonomy_term_id {
            let terms = self.term_and_descendants(term).await?;
            q.and_where(Expr::col("id").in_subquery(categorised_under(terms)));
        }
        if let Some(taxonomy) = f.taxonomy_id {
            let terms = Query::select()
                .column("id")
                .from("taxonomy_terms")
                .and_where(Expr::col("taxonomy_id").eq(taxonomy))
                .to_owned();
            let records = Query::select()
                .column("record_id")
                .from("record_categories")
                .and_where(Expr::col("record_kind").eq("service"))
                .and_where(Expr::col("term_id").in_subquery(terms))
                .to_owned();
            q.and_where(Expr::col("id").in_subquery(records));
        }
        if let Some(min) = f.minimum_age {
            q.and_where(Expr::col("min_age").gte(min));
        }
        if let Some(max) = f.maximum_age {
            q.and_where(Expr::col("max_age").lte(max));
        }
        if let Some(after) = f.modified_after {
            q.and_where(Expr::col("updated_at").gte(after));
        }
        self.ids(&q).await
    }

    /// The `id` column of a query's rows.
    async fn ids(&self, q: &SelectStatement) -> Result<Vec<Uuid>> {
        let rows = self.db.query_all(q).await?;
        Ok(rows
            .iter()
            .filter_map(|r| r.try_get::<Uuid>("", "id").ok())
            .collect())
    }

    /// A term and every term below it.
    async fn term_and_descendants(&self, term: Uuid) -> Result<Vec<Uuid>> {
        let rows = self
            .db
            .query_all(
                &Query::select()
                    .columns(["id", "parent_id"])
                    .from("taxonomy_terms")
                    .to_owned(),
            )
            .await?;
        let mut children: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for r in &rows {
            if let (Ok(id), Ok(Some(parent))) = (
                r.try_get::<Uuid>("", "id"),
                r.try_get::<Option<Uuid>>("", "parent_id"),
            ) {
                children.entry(parent).or_default().push(id);
            }
        }
        let mut out = vec![term];
        let mut i = 0;
        while i < out.len() {
            if let Some(kids) = children.get(&out[i]) {
                out.extend(
                    kids.iter()
                        .filter(|k| !out.contains(k))
                        .copied()
                        .collect::<Vec<_>>(),
                );
            }
            i += 1;
        }
        Ok(out)
    }

    /// (service, location) pairs of published services at published locations, for the
    /// given services (all when `None`), in the order of `services` then the service's own
    /// location order.
    pub async fn oruk_service_locations(
        &self,
        services: Option<&[Uuid]>,
    ) -> Result<Vec<(Uuid, Uuid)>> {
        let mut q = Query::select()
            .columns(["service_id", "location_id", "position"])
            .from("service_locations")
            .and_where(Expr::col("service_id").in_subquery(published_ids("services")))
            .and_where(Expr::col("location_id").in_subquery(published_ids("locations")))
            .order_by("service_id", Order::Asc)
            .order_by("position", Order::Asc)
            .to_owned();
        if let Some(ids) = services {
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            q.and_where(Expr::col("service_id").is_in(ids.iter().copied()));
        }
        let rows = self.db.query_all(&q).await?;
        let mut by_service: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        let mut order: Vec<Uuid> = Vec::new();
        for r in &rows {
            if let (Ok(s), Ok(l)) = (
                r.try_get::<Uuid>("", "service_id"),
                r.try_get::<Uuid>("", "location_id"),
            ) {
                let entry = by_service.entry(s).or_default();
                if entry.is_empty() {
                    order.push(s);
                }
                entry.push(l);
            }
        }
        if let Some(ids) = services {
            order = ids.to_vec();
        }
        Ok(order
            .into_iter()
            .flat_map(|s| {
                by_service
                    .remove(&s)
                    .unwrap_or_default()
                    .into_iter()
                    .map(move |l| (s, l))
            })
            .collect())
    }

    /// The (service, location) pair published as service-at-location `id`, when both are
    /// published: one look-up on the id stored with the link.
    pub async fn oruk_service_location(&self, id: Uuid) -> Result<Option<(Uuid, Uuid)>> {
        let q = Query::select()
            .columns(["service_id", "location_id"])
            .from("service_locations")
            .and_where(Expr::col("service_at_location_id").eq(id))
            .and_where(Expr::col("service_id").in_subquery(published_ids("services")))
            .and_where(Expr::col("location_id").in_subquery(published_ids("locations")))
            .to_owned();
        Ok(self.db.query_one(&q).await?.and_then(|r| {
            Some((
                r.try_get::<Uuid>("", "service_id").ok()?,
                r.try_get::<Uuid>("", "location_id").ok()?,
            ))
        }))
    }

    /// Gives every service-location link made before links carried their ORUK id its id.
    /// Run at start-up; a no-op once every link has one.
    pub async fn fill_service_at_location_ids(&self) -> Result<u64> {
        let rows = self
            .db
            .query_all(
                &Query::select()
                    .columns(["service_id", "location_id"])
                    .from("service_locations")
                    .and_where(Expr::col("service_at_location_id").is_null())
                    .to_owned(),
            )
            .await?;
        let mut filled = 0;
        for r in &rows {
            let (Ok(s), Ok(l)) = (
                r.try_get::<Uuid>("", "service_id"),
                r.try_get::<Uuid>("", "location_id"),
            ) else {
                continue;
            };
            let update = Query::update()
                .table("service_locations")
                .value(
                    "service_at_location_id",
                    crate::oruk::service_at_location_id(s, l),
                )
                .and_where(Expr::col("service_id").eq(s))
                .and_where(Expr::col("location_id").eq(l))
                .to_owned();
            filled += self.db.execute(&update).await?.rows_affected();
        }
        Ok(filled)
    }

    /// Published records by id in their public view; unpublished or missing ones are left out.
    pub async fn public_many<R: super::Stored>(&self, ids: &[Uuid]) -> Result<Vec<R>> {
        let mut records = self.get_many::<R>(ids).await?;
        records.retain(|r| r.publication() == Publication::Published);
        records.iter_mut().for_each(Record::make_public);
        Ok(records)
    }

    /// Everything a page of (public) services points at, in its public view.
    pub async fn oruk_related(&self, services: &[Service], public_url: &str) -> Result<Related> {
        let mut org_ids: Vec<Uuid> = services.iter().map(|s| s.organisation_id).collect();
        org_ids.sort();
        org_ids.dedup();
        let mut loc_ids: Vec<Uuid> = services
            .iter()
            .flat_map(|s| s.location_ids.iter().copied())
            .collect();
        loc_ids.sort();
        loc_ids.dedup();
        let mut term_ids: Vec<Uuid> = services
            .iter()
            .flat_map(|s| s.categories.iter().filter_map(|c| c.parse().ok()))
            .collect();
        term_ids.sort();
        term_ids.dedup();
        Ok(Related {
            organisations: self
                .public_many::<Organisation>(&org_ids)
                .await?
                .into_iter()
                .map(|o| (o.id, o))
                .collect(),
            locations: self
                .public_many::<Location>(&loc_ids)
                .await?
                .into_iter()
                .map(|l| (l.id, l))
                .collect(),
            terms: self
                .public_many::<TaxonomyTerm>(&term_ids)
                .await?
                .into_iter()
                .map(|t| (t.id, t))
                .collect(),
            ..self.oruk_term_context(public_url).await?
        })
    }

    /// Ids of every published record of a kind, by name then id.
    pub async fn published_ids<R: super::Stored>(&self) -> Result<Vec<Uuid>> {
        let q = published_ids(R::TABLE)
            .order_by("name", Order::Asc)
            .order_by("id", Order::Asc)
            .to_owned();
        self.ids(&q).await
    }

    /// What taxonomy terms are written with: the taxonomies and the public URL.
    pub async fn oruk_term_context(&self, public_url: &str) -> Result<Related> {
        Ok(Related {
            taxonomies: self
                .taxonomies()
                .await?
                .into_iter()
                .map(|t| (t.id, t))
                .collect(),
            public_url: public_url.to_owned(),
            ..Related::default()
        })
    }

    /// Ids of every published taxonomy term, by name then id, optionally only one taxonomy's,
    /// one parent's children, or the top level.
    pub async fn oruk_term_ids(
        &self,
        taxonomy_id: Option<Uuid>,
        parent_id: Option<Uuid>,
        top_only: bool,
    ) -> Result<Vec<Uuid>> {
        let mut q = Query::select()
            .column("id")
            .from("taxonomy_terms")
            .and_where(published())
            .order_by("name", Order::Asc)
            .order_by("id", Order::Asc)
            .to_owned();
        if let Some(t) = taxonomy_id {
            q.and_where(Expr::col("taxonomy_id").eq(t));
        }
        if let Some(p) = parent_id {
            q.and_where(Expr::col("parent_id").eq(p));
        }
        if top_only {
            q.and_where(Expr::col("parent_id").is_null());
        }
        self.ids(&q).await
    }
}
