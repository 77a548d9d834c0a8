//! Turning what someone typed as "where" into a point: `lat,lon`, a full postcode (falling
//! back to its district), an outward code, or the name of a boundary or town the register
//! knows. Anything else is a 400 that suggests close matches.

use geo::Centroid;
use sea_orm::{ConnectionTrait, Statement};

use crate::AppState;
use crate::domain::Location;
use crate::domain::validate::{is_outward_code, normalise_postcode, postcode_district};
use crate::error::{AppError, Result};

fn bad(message: impl Into<String>) -> AppError {
    AppError::bad_request("invalid_near", message, Some("near"))
}

/// `53.54,-2.11` → (lon, lat).
fn parse_lat_lon(text: &str) -> Option<(f64, f64)> {
    let (a, b) = text.split_once(',')?;
    let lat: f64 = a.trim().parse().ok()?;
    let lon: f64 = b.trim().parse().ok()?;
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lon, lat))
}

/// The mean of the public points of the register's published locations in a town. A hidden
/// address counts only at its coarsened point, as it is published: otherwise a town whose one
/// location is a refuge would resolve to the refuge's door.
async fn town(state: &AppState, name: &str) -> Result<Option<(f64, f64)>> {
    let backend = state.store.backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => {
            "SELECT longitude, latitude, hide_address FROM locations WHERE LOWER(town) = LOWER($1) AND publication = 'published'"
        }
        _ => {
            "SELECT longitude, latitude, hide_address FROM locations WHERE LOWER(town) = LOWER(?) AND publication = 'published'"
        }
    };
    let rows = state
        .store
        .db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [name.trim().into()],
        ))
        .await?;
    let mut sum = (0.0, 0.0);
    let mut n = 0u32;
    for row in &rows {
        let lon: f64 = row.try_get("", "longitude")?;
        let lat: f64 = row.try_get("", "latitude")?;
        let hidden: bool = row.try_get("", "hide_address")?;
        let (lon, lat) = Location::public_point((lon, lat), hidden);
        sum = (sum.0 + lon, sum.1 + lat);
        n += 1;
    }
    Ok((n > 0).then(|| (sum.0 / f64::from(n), sum.1 / f64::from(n))))
}

/// Towns in the register whose name contains `text`, for suggestions.
async fn towns_like(state: &AppState, text: &str) -> Result<Vec<String>> {
    let backend = state.store.backend();
    let sql = match backend {
        sea_orm::DbBackend::Postgres => {
            "SELECT DISTINCT town FROM locations WHERE LOWER(town) LIKE $1 ORDER BY town LIMIT 5"
        }
        _ => "SELECT DISTINCT town FROM locations WHERE LOWER(town) LIKE ? ORDER BY town LIMIT 5",
    };
    let pattern = format!("%{}%", text.trim().to_lowercase().replace(['%', '_'], ""));
    let rows = state
        .store
        .db
        .query_all_raw(Statement::from_sql_and_values(
            backend,
            sql,
            [pattern.into()],
        ))
        .await?;
    Ok(rows
        .iter()
        .filter_map(|r| r.try_get::<String>("", "town").ok())
        .collect())
}

/// Resolves `text` to a point (lon, lat) and, when it had to fall back, a notice.
pub async fn resolve(state: &AppState, text: &str) -> Result<((f64, f64), Option<String>)> {
    let text = text.trim();
    if let Some(p) = parse_lat_lon(text) {
        return Ok((p, None));
    }
    if let Some(postcode) = normalise_postcode(text) {
        if let Some(p) = state.store.postcode(&postcode).await? {
            return Ok(((p.longitude, p.latitude), None));
        }
        let district = postcode_district(&postcode);
        if let Some(p) = state.store.outcode(&district).await? {
            return Ok((
                p,
                Some(format!(
                    "We don't know the postcode {postcode}, so we searched around {district} instead."
                )),
            ));
        }
        return Err(bad(format!(
            "We don't know the postcode {postcode} or its district {district}."
        )));
    }
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if is_outward_code(&compact) {
        if let Some(p) = state.store.outcode(&compact).await? {
            return Ok((p, None));
        }
        return Err(bad(format!(
            "We don't know the postcode district {compact}."
        )));
    }
    let named = {
        let index = crate::geo::boundaries::read(&state.boundaries);
        index
            .find_by_name(text)
            .first()
            .and_then(|b| b.geometry.centroid())
            .map(|c| (c.x(), c.y()))
    };
    if let Some(p) = named {
        return Ok((p, None));
    }
    if let Some(p) = town(state, text).await? {
        return Ok((p, None));
    }
    let mut suggestions: Vec<String> = {
        let index = crate::geo::boundaries::read(&state.boundaries);
        index
            .suggest(text)
            .into_iter()
            .take(5)
            .map(|b| b.name.clone())
            .collect()
    };
    suggestions.extend(towns_like(state, text).await?);
    suggestions.dedup();
    let hint = if suggestions.is_empty() {
        "Try a postcode (like OL1 1AA), a postcode district (like OL1), or latitude,longitude."
            .to_owned()
    } else {
        format!("Did you mean: {}?", suggestions.join(", "))
    };
    Err(bad(format!(
        "We couldn't find a place called '{text}'. {hint}"
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lat_lon_pairs() {
        assert_eq!(parse_lat_lon("53.54, -2.11"), Some((-2.11, 53.54)));
        assert_eq!(parse_lat_lon("95,1"), None);
        assert_eq!(parse_lat_lon("OL1 1AA"), None);
    }
}
