//! Boundaries in the database: reading them for the API and into a [`BoundaryIndex`], and
//! keeping `location_boundaries` (which areas each location lies in) up to date. A location's
//! rows are rewritten inside the transaction of every location create and update, from its
//! *public* point, so a hidden address is never placed more precisely than it is published.

use std::sync::RwLock;

use sea_orm::{
    ConnectionTrait, DbErr, QueryResult,
    sea_query::{Expr, ExprTrait, Order, Query},
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::boundaries::{self, Boundary, BoundaryIndex, multipolygon_from_geojson};
use crate::domain::{Record, RecordKind};
use crate::error::Result;
use crate::store::Store;

/// A boundary without its geometry, as listed by `GET /api/v1/boundaries`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BoundarySummary {
    /// GSS code, e.g. `E05000735`.
    pub code: String,
    pub name: String,
    /// What kind of area: `ward`, `district`, … (as given when imported).
    #[serde(rename = "type")]
    pub boundary_type: String,
    /// `[min_lon, min_lat, max_lon, max_lat]` in WGS84.
    #[schema(min_items = 4, max_items = 4)]
    pub bbox: [f64; 4],
}

/// The properties of a [`BoundaryFeature`].
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BoundaryProperties {
    pub code: String,
    pub name: String,
    #[serde(rename = "type")]
    pub boundary_type: String,
}

/// The GeoJSON `type` of a feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub enum FeatureType {
    Feature,
}

/// One boundary as a GeoJSON Feature, for `GET /api/v1/boundaries/{code}`.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct BoundaryFeature {
    #[serde(rename = "type")]
    pub feature_type: FeatureType,
    /// `[min_lon, min_lat, max_lon, max_lat]` in WGS84.
    #[schema(min_items = 4, max_items = 4)]
    pub bbox: [f64; 4],
    /// A GeoJSON Polygon or MultiPolygon in WGS84, as imported.
    #[schema(value_type = Object)]
    pub geometry: serde_json::Value,
    pub properties: BoundaryProperties,
}

const SUMMARY_COLUMNS: [&str; 7] = [
    "code",
    "name",
    "boundary_type",
    "min_lon",
    "min_lat",
    "max_lon",
    "max_lat",
];

fn summary(row: &QueryResult) -> Result<BoundarySummary, DbErr> {
    Ok(BoundarySummary {
        code: row.try_get("", "code")?,
        name: row.try_get("", "name")?,
        boundary_type: row.try_get("", "boundary_type")?,
        bbox: [
            row.try_get("", "min_lon")?,
            row.try_get("", "min_lat")?,
            row.try_get("", "max_lon")?,
            row.try_get("", "max_lat")?,
        ],
    })
}

impl Store {
    /// Every boundary (of one type, when given), by name.
    pub async fn boundary_summaries(
        &self,
        boundary_type: Option<&str>,
    ) -> Result<Vec<BoundarySummary>> {
        let mut q = Query::select()
            .columns(SUMMARY_COLUMNS)
            .from("boundaries")
            .order_by("name", Order::Asc)
            .order_by("code", Order::Asc)
            .to_owned();
        if let Some(t) = boundary_type {
            q.and_where(Expr::col("boundary_type").eq(t));
        }
        let rows = self.db.query_all(&q).await?;
        Ok(rows.iter().map(summary).collect::<Result<_, _>>()?)
    }

    /// One boundary as a GeoJSON Feature.
    pub async fn boundary_feature(&self, code: &str) -> Result<Option<BoundaryFeature>> {
        let q = Query::select()
            .columns(SUMMARY_COLUMNS)
            .column("geometry")
            .from("boundaries")
            .and_where(Expr::col("code").eq(code))
            .to_owned();
        let Some(row) = self.db.query_one(&q).await? else {
            return Ok(None);
        };
        let s = summary(&row)?;
        let text: String = row.try_get("", "geometry")?;
        let geometry = serde_json::from_str(&text).map_err(anyhow::Error::from)?;
        Ok(Some(BoundaryFeature {
            feature_type: FeatureType::Feature,
            bbox: s.bbox,
            geometry,
            properties: BoundaryProperties {
                code: s.code,
                name: s.name,
                boundary_type: s.boundary_type,
            },
        }))
    }

    /// Reads every boundary from the database into a new index. A stored geometry that no
    /// longer parses is logged and left out rather than stopping start-up.
    pub async fn load_boundaries(&self) -> anyhow::Result<BoundaryIndex> {
        let q = Query::select()
            .columns(["code", "name", "boundary_type", "geometry"])
            .from("boundaries")
            .to_owned();
        let mut out = Vec::new();
        for row in self.db.query_all(&q).await? {
            let code: String = row.try_get("", "code")?;
            let text: String = row.try_get("", "geometry")?;
            let geometry = serde_json::from_str::<geojson::Geometry>(&text)
                .map_err(|e| e.to_string())
                .and_then(|g| multipolygon_from_geojson(&g.value));
            match geometry {
                Ok(geometry) => out.push(Boundary {
                    code,
                    name: row.try_get("", "name")?,
                    boundary_type: row.try_get("", "boundary_type")?,
                    geometry,
                }),
                Err(e) => tracing::warn!(%code, error = %e, "skipping a stored boundary"),
            }
        }
        Ok(BoundaryIndex::new(out))
    }

    /// Replaces the shared index with the boundaries now in the database; returns how many.
    pub async fn reload_boundaries(&self) -> anyhow::Result<usize> {
        let index = self.load_boundaries().await?;
        let n = index.len();
        boundaries::replace(&self.boundaries, index);
        Ok(n)
    }

    /// The codes of the boundaries a location lies in, sorted.
    pub async fn location_boundaries(&self, location_id: Uuid) -> Result<Vec<String>> {
        let q = Query::select()
            .column("boundary_code")
            .from("location_boundaries")
            .and_where(Expr::col("location_id").eq(location_id))
            .order_by("boundary_code", Order::Asc)
            .to_owned();
        let rows = self.db.query_all(&q).await?;
        Ok(rows
            .iter()
            .map(|r| r.try_get::<String>("", "boundary_code"))
            .collect::<Result<_, _>>()?)
    }
}

/// Replaces a location's boundary rows with `codes`. Codes no longer in the `boundaries`
/// table are skipped, so an index that is a moment out of date (an import by another
/// process) can never make a location write fail.
pub async fn set_location_boundaries<C: ConnectionTrait>(
    conn: &C,
    location_id: Uuid,
    codes: &[String],
) -> Result<(), DbErr> {
    conn.execute(
        &Query::delete()
            .from_table("location_boundaries")
            .and_where(Expr::col("location_id").eq(location_id))
            .to_owned(),
    )
    .await?;
    if codes.is_empty() {
        return Ok(());
    }
    let existing = Query::select()
        .expr(Expr::val(location_id))
        .column("code")
        .from("boundaries")
        .and_where(Expr::col("code").is_in(codes.iter().map(String::as_str)))
        .to_owned();
    let insert = Query::insert()
        .into_table("location_boundaries")
        .columns(["location_id", "boundary_code"])
        .select_from(existing)
        .map_err(|e| DbErr::Custom(e.to_string()))?
        .to_owned();
    conn.execute(&insert).await?;
    Ok(())
}

/// Rewrites a location's boundary rows for the point `(lon, lat)`.
pub async fn refresh_location_boundaries<C: ConnectionTrait>(
    conn: &C,
    location_id: Uuid,
    lon: f64,
    lat: f64,
    index: &BoundaryIndex,
) -> Result<(), DbErr> {
    let codes = index.codes_at(lon, lat);
    set_location_boundaries(conn, location_id, &codes).await
}

/// The point a record is published at: a hidden address's coarsened point, else its own.
pub fn public_point<R: Record>(record: &R) -> Option<(f64, f64)> {
    let mut public = record.clone();
    public.make_public();
    public.own_point()
}

/// The store's hook: after a location is written, inside the same transaction, rewrite its
/// boundary rows. Other kinds are left alone.
pub(crate) async fn after_write<R: Record, C: ConnectionTrait>(
    conn: &C,
    shared: &RwLock<BoundaryIndex>,
    record: &R,
) -> Result<()> {
    if R::KIND != RecordKind::Location {
        return Ok(());
    }
    let (Some(meta), Some((lon, lat))) = (record.meta(), public_point(record)) else {
        return Ok(());
    };
    // The lock guard must be gone before the first await.
    let codes = boundaries::read(shared).codes_at(lon, lat);
    Ok(set_location_boundaries(conn, meta.id, &codes).await?)
}
