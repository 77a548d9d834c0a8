//! Postcode points and outward-code centroids: look-ups for the API and for search ("near
//! OL1 1AA", "in OL4"), and the upserts the importer and the demo register write with.

use sea_orm::{
    ConnectionTrait, DbErr,
    sea_query::{Asterisk, Expr, ExprTrait, Func, OnConflict, Query},
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::validate::{is_outward_code, normalise_postcode, postcode_district};
use crate::error::Result;
use crate::store::Store;

/// A postcode's point and the areas the source file placed it in.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PostcodePoint {
    /// Normalised, e.g. `OL1 1AA`.
    pub postcode: String,
    /// WGS84 latitude.
    pub latitude: f64,
    /// WGS84 longitude.
    pub longitude: f64,
    /// GSS code of the electoral ward, e.g. `E05000735`, when the source gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ward_code: Option<String>,
    /// GSS code of the local authority district, e.g. `E08000004`, when the source gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub la_code: Option<String>,
}

impl PostcodePoint {
    /// The point as `(longitude, latitude)`.
    pub fn lon_lat(&self) -> (f64, f64) {
        (self.longitude, self.latitude)
    }
}

/// One row for the `postcodes` table.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PostcodeRow {
    pub point: PostcodePoint,
    pub source: &'static str,
}

/// Normalises an outward code (`ol4` → `OL4`), or `None` when it isn't one.
pub fn normalise_outward(raw: &str) -> Option<String> {
    let s: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    is_outward_code(&s).then_some(s)
}

impl Store {
    /// The point of a postcode, written in any spacing or case (`ol11aa`, ` OL1  1AA`).
    /// `None` when it is unknown or not a postcode at all.
    pub async fn postcode(&self, raw: &str) -> Result<Option<PostcodePoint>> {
        let Some(postcode) = normalise_postcode(raw) else {
            return Ok(None);
        };
        let q = Query::select()
            .columns(["postcode", "latitude", "longitude", "ward_code", "la_code"])
            .from("postcodes")
            .and_where(Expr::col("postcode").eq(postcode.as_str()))
            .to_owned();
        let Some(row) = self.db.query_one(&q).await? else {
            return Ok(None);
        };
        Ok(Some(PostcodePoint {
            postcode: row.try_get("", "postcode")?,
            latitude: row.try_get("", "latitude")?,
            longitude: row.try_get("", "longitude")?,
            ward_code: row.try_get("", "ward_code")?,
            la_code: row.try_get("", "la_code")?,
        }))
    }

    /// The centre of an outward code (`OL4`) as `(longitude, latitude)`: from the imported
    /// outward-code centroids, else the mean of that district's postcode points.
    pub async fn outcode(&self, raw: &str) -> Result<Option<(f64, f64)>> {
        let Some(outward) = normalise_outward(raw) else {
            return Ok(None);
        };
        let q = Query::select()
            .columns(["latitude", "longitude"])
            .from("outcodes")
            .and_where(Expr::col("outward").eq(outward.as_str()))
            .to_owned();
        if let Some(row) = self.db.query_one(&q).await? {
            let lat: f64 = row.try_get("", "latitude")?;
            let lon: f64 = row.try_get("", "longitude")?;
            return Ok(Some((lon, lat)));
        }
        let q = Query::select()
            .expr_as(Func::avg(Expr::col("latitude")), "lat")
            .expr_as(Func::avg(Expr::col("longitude")), "lon")
            .from("postcodes")
            .and_where(Expr::col("outward").eq(outward.as_str()))
            .to_owned();
        let Some(row) = self.db.query_one(&q).await? else {
            return Ok(None);
        };
        let lat: Option<f64> = row.try_get("", "lat")?;
        let lon: Option<f64> = row.try_get("", "lon")?;
        Ok(lat.zip(lon).map(|(lat, lon)| (lon, lat)))
    }

    /// How many postcodes and outward-code centroids are loaded.
    pub async fn postcode_counts(&self) -> Result<(u64, u64)> {
        let count = |table: &'static str| {
            Query::select()
                .expr_as(Func::count(Expr::col(Asterisk)), "n")
                .from(table)
                .to_owned()
        };
        let mut out = [0u64; 2];
        for (slot, table) in out.iter_mut().zip(["postcodes", "outcodes"]) {
            if let Some(row) = self.db.query_one(&count(table)).await? {
                *slot = u64::try_from(row.try_get::<i64>("", "n")?).unwrap_or(0);
            }
        }
        Ok((out[0], out[1]))
    }
}

/// Records a postcode's point unless the postcode is already known (imported data wins over
/// it). Used by the demo register so its postcodes resolve without an import. Returns whether
/// a row was written; a string that isn't a postcode writes nothing.
pub async fn remember_postcode<C: ConnectionTrait>(
    conn: &C,
    postcode: &str,
    latitude: f64,
    longitude: f64,
    source: &str,
) -> Result<bool> {
    let Some(postcode) = normalise_postcode(postcode) else {
        return Ok(false);
    };
    if !super::is_wgs84(longitude, latitude) {
        return Ok(false);
    }
    let stmt = Query::insert()
        .into_table("postcodes")
        .columns(["postcode", "outward", "latitude", "longitude", "source"])
        .values([
            postcode.as_str().into(),
            postcode_district(&postcode).into(),
            latitude.into(),
            longitude.into(),
            source.into(),
        ])
        .map_err(anyhow::Error::from)?
        .on_conflict(OnConflict::column("postcode").do_nothing().to_owned())
        .to_owned();
    Ok(conn.execute(&stmt).await?.rows_affected() > 0)
}

/// Inserts or replaces postcode rows in one statement. Duplicates in `rows` must already be
/// removed (PostgreSQL refuses to update a row twice in one statement).
pub(crate) async fn upsert_postcodes<C: ConnectionTrait>(
    conn: &C,
    rows: &[PostcodeRow],
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    let columns = [
        "postcode",
        "outward",
        "latitude",
        "longitude",
        "ward_code",
        "la_code",
        "source",
    ];
    let mut stmt = Query::insert();
    stmt.into_table("postcodes").columns(columns);
    for row in rows {
        let p = &row.point;
        stmt.values([
            p.postcode.as_str().into(),
            postcode_district(&p.postcode).into(),
            p.latitude.into(),
            p.longitude.into(),
            p.ward_code.clone().into(),
            p.la_code.clone().into(),
            row.source.into(),
        ])
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    }
    stmt.on_conflict(
        OnConflict::column("postcode")
            .update_columns(columns.into_iter().skip(1))
            .to_owned(),
    );
    conn.execute(&stmt).await?;
    Ok(())
}

/// Inserts or replaces outward-code centroids `(outward, longitude, latitude)`.
pub(crate) async fn upsert_outcodes<C: ConnectionTrait>(
    conn: &C,
    rows: &[(String, f64, f64)],
    source: &str,
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    let columns = ["outward", "latitude", "longitude", "source"];
    let mut stmt = Query::insert();
    stmt.into_table("outcodes").columns(columns);
    for (outward, lon, lat) in rows {
        stmt.values([
            outward.as_str().into(),
            (*lat).into(),
            (*lon).into(),
            source.into(),
        ])
        .map_err(|e| DbErr::Custom(e.to_string()))?;
    }
    stmt.on_conflict(
        OnConflict::column("outward")
            .update_columns(columns.into_iter().skip(1))
            .to_owned(),
    );
    conn.execute(&stmt).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outward_codes_normalise() {
        assert_eq!(normalise_outward(" ol4 ").as_deref(), Some("OL4"));
        assert_eq!(normalise_outward("sw1a").as_deref(), Some("SW1A"));
        assert_eq!(normalise_outward("OL1 1AA"), None);
        assert_eq!(normalise_outward("4OL"), None);
    }
}
