//! `junction import boundaries FILE.geojson`: loads areas (wards, districts) from a GeoJSON
//! FeatureCollection in WGS84. Each feature is checked on its own: a bad one is reported with
//! its reason and the others load. Boundaries are upserted by code, so re-importing a file
//! replaces them; afterwards the shared index is rebuilt and every location is placed again.

use std::{collections::HashMap, path::Path};

use anyhow::{Context, bail};
use chrono::Utc;
use sea_orm::{
    ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait, OnConflict, Query},
};
use serde_json::Value;
use uuid::Uuid;

use super::boundaries::{Boundary, multipolygon_from_geojson};
use super::boundary_store::public_point;
use crate::domain::Location;
use crate::store::{Store, entities};

/// Features per transaction (geometries can be large).
const BATCH: usize = 100;
/// Locations placed per transaction.
const LOCATION_BATCH: usize = 500;

/// What a boundary import did. `rejected` holds `(feature index from 0, reason)`.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundaryImportReport {
    pub loaded: u64,
    pub rejected: Vec<(usize, String)>,
    /// Boundaries known after the import (this file's and any loaded before).
    pub boundaries_total: usize,
    /// Locations that lie in at least one boundary after the import.
    pub locations_placed: u64,
}

/// Which properties name a feature, and what kind of area the file holds.
struct Naming<'a> {
    code_property: &'a str,
    name_property: &'a str,
}

/// A feature that passed every check, ready to store.
struct Checked {
    boundary: Boundary,
    geometry_json: String,
    bbox: (f64, f64, f64, f64),
}

fn property(props: Option<&serde_json::Map<String, Value>>, key: &str) -> Result<String, String> {
    let value = props.and_then(|p| p.get(key));
    let text = match value {
        Some(Value::String(s)) => s.trim().to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    if !text.is_empty() {
        return Ok(text);
    }
    let mut has: Vec<&str> = props
        .map(|p| p.keys().map(String::as_str).collect())
        .unwrap_or_default();
    has.truncate(12);
    Err(format!(
        "the feature has no property '{key}' (its properties: {})",
        if has.is_empty() {
            "none".to_owned()
        } else {
            has.join(", ")
        }
    ))
}

fn check(feature: Value, naming: &Naming<'_>, boundary_type: &str) -> Result<Checked, String> {
    let feature: geojson::Feature =
        serde_json::from_value(feature).map_err(|e| format!("not a GeoJSON Feature: {e}"))?;
    let code = property(feature.properties.as_ref(), naming.code_property)?;
    if code.chars().count() > 32 {
        return Err(format!("the code '{code}' is longer than 32 characters"));
    }
    let name = property(feature.properties.as_ref(), naming.name_property)?;
    if name.chars().count() > 200 {
        return Err(format!("the name of {code} is longer than 200 characters"));
    }
    let geometry = feature
        .geometry
        .ok_or_else(|| format!("{code} has no geometry"))?;
    let multipolygon =
        multipolygon_from_geojson(&geometry.value).map_err(|e| format!("{code}: {e}"))?;
    let boundary = Boundary {
        code,
        name,
        boundary_type: boundary_type.to_owned(),
        geometry: multipolygon,
    };
    let bbox = boundary
        .bbox()
        .ok_or_else(|| format!("{}: the geometry is empty", boundary.code))?;
    // Store the geometry alone, without any bbox or foreign members the file carried.
    let geometry_json = serde_json::to_string(&geojson::Geometry::new(geometry.value))
        .map_err(|e| e.to_string())?;
    Ok(Checked {
        boundary,
        geometry_json,
        bbox,
    })
}

/// Refuses a file whose declared coordinate system is not WGS84 longitude/latitude.
fn check_crs(root: &Value) -> anyhow::Result<()> {
    let Some(name) = root.pointer("/crs/properties/name").and_then(Value::as_str) else {
        return Ok(());
    };
    if name.contains("CRS84") || name.ends_with(":4326") || name.ends_with("::4326") {
        return Ok(());
    }
    bail!(
        "the file's coordinates are in {name}; Junction needs WGS84 longitude/latitude (convert it, e.g. `ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson`)"
    )
}

async fn upsert<C: ConnectionTrait>(conn: &C, batch: &[Checked]) -> anyhow::Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let columns = [
        "code",
        "name",
        "boundary_type",
        "geometry",
        "min_lon",
        "min_lat",
        "max_lon",
        "max_lat",
        "created_at",
    ];
    let now = Utc::now();
    let mut stmt = Query::insert();
    stmt.into_table("boundaries").columns(columns);
    for c in batch {
        let b = &c.boundary;
        stmt.values([
            b.code.as_str().into(),
            b.name.as_str().into(),
            b.boundary_type.as_str().into(),
            c.geometry_json.as_str().into(),
            c.bbox.0.into(),
            c.bbox.1.into(),
            c.bbox.2.into(),
            c.bbox.3.into(),
            now.into(),
        ])?;
    }
    // `created_at` keeps the first import's time.
    stmt.on_conflict(
        OnConflict::column("code")
            .update_columns(columns[1..8].iter().copied())
            .to_owned(),
    );
    conn.execute(&stmt).await?;
    Ok(())
}

/// Imports boundaries from a GeoJSON FeatureCollection. `progress(done, total)` is called
/// after each transaction. Fails only when the file can't be read or is not a WGS84
/// FeatureCollection.
pub async fn import_boundaries(
    store: &Store,
    path: &Path,
    code_property: &str,
    name_property: &str,
    boundary_type: &str,
    progress: &(dyn Fn(u64, u64) + Sync),
) -> anyhow::Result<BoundaryImportReport> {
    let boundary_type = boundary_type.trim();
    if boundary_type.is_empty() || boundary_type.chars().count() > 32 {
        bail!("the boundary type must be 1 to 32 characters (got '{boundary_type}')");
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut root: Value =
        serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))?;
    drop(text);
    if root.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        bail!(
            "{} is not a GeoJSON FeatureCollection (its \"type\" is {})",
            path.display(),
            root.get("type").unwrap_or(&Value::Null)
        );
    }
    check_crs(&root).with_context(|| path.display().to_string())?;
    let Some(Value::Array(features)) = root.get_mut("features").map(Value::take) else {
        bail!("{} has no \"features\" array", path.display());
    };
    let naming = Naming {
        code_property,
        name_property,
    };
    let total = features.len() as u64;
    let mut report = BoundaryImportReport {
        loaded: 0,
        rejected: Vec::new(),
        boundaries_total: 0,
        locations_placed: 0,
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut batch: Vec<Checked> = Vec::with_capacity(BATCH);
    for (i, feature) in features.into_iter().enumerate() {
        match check(feature, &naming, boundary_type) {
            Ok(c) => {
                if let Some(first) = seen.get(&c.boundary.code) {
                    report.rejected.push((
                        i,
                        format!(
                            "the code {} was already used by feature {first}",
                            c.boundary.code
                        ),
                    ));
                    continue;
                }
                seen.insert(c.boundary.code.clone(), i);
                batch.push(c);
            }
            Err(reason) => report.rejected.push((i, reason)),
        }
        if batch.len() >= BATCH {
            write_batch(store, &mut batch, &mut report).await?;
            progress(i as u64 + 1, total);
        }
    }
    write_batch(store, &mut batch, &mut report).await?;
    progress(total, total);
    report.boundaries_total = store.reload_boundaries().await?;
    report.locations_placed = recompute_location_boundaries(store).await?;
    // Tell every index, in this process or another, to reload the boundaries and re-place
    // its records: through the change log, like every other change.
    store.announce_boundaries_changed(report.loaded).await?;
    Ok(report)
}

async fn write_batch(
    store: &Store,
    batch: &mut Vec<Checked>,
    report: &mut BoundaryImportReport,
) -> anyhow::Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let txn = super::begin_write(&store.db).await?;
    upsert(&txn, batch).await?;
    txn.commit().await?;
    report.loaded += batch.len() as u64;
    batch.clear();
    Ok(())
}

/// Works out again which boundaries every location lies in, from the store's current index
/// (hidden addresses from their public, coarsened point). Each batch of locations is read and
/// rewritten in one transaction, so a location edited meanwhile is never overwritten with
/// rows for its old point. Returns how many locations lie in at least one boundary.
pub async fn recompute_location_boundaries(store: &Store) -> anyhow::Result<u64> {
    let ids = store.all_ids::<Location>().await?;
    let mut placed = 0;
    for chunk in ids.chunks(LOCATION_BATCH) {
        let txn = super::begin_write(&store.db).await?;
        let models = entities::location::Entity::find()
            .filter(Expr::col("id").is_in(chunk.iter().copied()))
            .all(&txn)
            .await?;
        let mut rows: Vec<(Uuid, String)> = Vec::new();
        {
            let index = super::boundaries::read(&store.boundaries);
            for model in models {
                let location: Location = serde_json::from_value(serde_json::to_value(model)?)?;
                if let Some((lon, lat)) = public_point(&location) {
                    let codes = index.codes_at(lon, lat);
                    placed += u64::from(!codes.is_empty());
                    rows.extend(codes.into_iter().map(|c| (location.id, c)));
                }
            }
        }
        txn.execute(
            &Query::delete()
                .from_table("location_boundaries")
                .and_where(Expr::col("location_id").is_in(chunk.iter().copied()))
                .to_owned(),
        )
        .await?;
        for part in rows.chunks(1000) {
            let mut insert = Query::insert();
            insert
                .into_table("location_boundaries")
                .columns(["location_id", "boundary_code"]);
            for (id, code) in part {
                insert.values([(*id).into(), code.as_str().into()])?;
            }
            txn.execute(&insert).await?;
        }
        txn.commit().await?;
    }
    Ok(placed)
}
