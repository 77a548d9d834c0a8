//! Likely duplicates at import. Before an object is created, the register is searched for a
//! record of the same kind that is in the same place — within [`RADIUS_M`] metres, or at the
//! same postcode — and has a similar name: Jaro-Winkler similarity of at least [`THRESHOLD`]
//! between the two names normalised by [`normalise`]. Names with different numbers in them
//! never match, nor do two records with different UPRNs (the same UPRN is not enough on its
//! own: a council lists many parts of one site under it). Organisations have no place of
//! their own, so an organisation is a likely duplicate only of one whose normalised name is
//! equal.
//!
//! The threshold was chosen on the Norwich OpenStreetMap extract: a church and its church hall
//! a few metres apart ("Methodist Church" / "Methodist Hall", 0.895; "Saint Mark's" / "St
//! Mark's Hall", 0.938) are different places and stay below it, while the same place spelled
//! two ways ("St Peter's Church" / "Saint Peters Church", 1.0 once normalised; "Norwich
//! Foodbank" / "Norwich Food Bank", 0.98) is caught.

use sea_orm::{
    ConnectionTrait,
    sea_query::{Condition, Expr, ExprTrait, Func, Query, SelectStatement},
};
use uuid::Uuid;

use crate::domain::{RecordKind, validate::normalise_postcode};
use crate::error::Result;

/// Lowest Jaro-Winkler similarity of normalised names that counts as the same name.
pub const THRESHOLD: f64 = 0.94;
/// Farthest apart, in metres, two records can be and still be the same place.
pub const RADIUS_M: f64 = 100.0;

/// Words that say nothing about which place it is.
const STOP_WORDS: &[&str] = &["the", "and", "of", "a", "an", "at", "in", "for", "on"];

/// Lower case; `&` is "and"; "St"/"St." is "saint"; possessive `'s` and all other punctuation
/// dropped; stop words dropped; single spaces.
pub fn normalise(name: &str) -> String {
    let lower = name
        .to_lowercase()
        .replace('&', " and ")
        .replace(['\u{2019}', '\u{2018}', '`'], "'")
        .replace("'s ", "s ");
    let lower = lower
        .strip_suffix("'s")
        .map_or(lower.clone(), |s| format!("{s}s"));
    let cleaned: String = lower
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect();
    cleaned
        .split_whitespace()
        .map(|w| match w {
            "st" => "saint",
            "ctr" | "center" => "centre",
            other => other,
        })
        .filter(|w| !STOP_WORDS.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Jaro-Winkler similarity of two names after [`normalise`]; 0 when they carry different
/// numbers ("1 Berkeley Mews" and "12 Berkeley Mews" are neighbours, not one place).
pub fn similarity(a: &str, b: &str) -> f64 {
    let (a, b) = (normalise(a), normalise(b));
    let numbers = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .map(str::to_owned)
            .collect()
    };
    if numbers(&a) != numbers(&b) {
        return 0.0;
    }
    strsim::jaro_winkler(&a, &b)
}

/// Metres between two (latitude, longitude) points: equirectangular, good to well under a
/// metre at these distances.
pub fn metres((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
    let mean = ((lat1 + lat2) / 2.0).to_radians();
    let dx = (lon2 - lon1).to_radians() * mean.cos();
    let dy = (lat2 - lat1).to_radians();
    6_371_000.0 * (dx * dx + dy * dy).sqrt()
}

/// An existing record an incoming one looks like.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub kind: RecordKind,
    pub id: Uuid,
    pub name: String,
    pub similarity: f64,
    pub distance_m: Option<f64>,
    pub same_postcode: bool,
}

impl Candidate {
    /// Why the two look like one place, for the report.
    pub fn reason(&self) -> String {
        let place = match (self.distance_m, self.same_postcode) {
            (Some(d), _) => format!("{d:.0} m away"),
            (None, true) => "at the same postcode".to_owned(),
            (None, false) => "an organisation".to_owned(),
        };
        format!(
            "likely duplicate of {} '{}' ({}): {place}, names {:.2} alike",
            self.kind.label(),
            self.name,
            self.id,
            self.similarity
        )
    }
}

/// Where an incoming record is, for the check.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Whereabouts {
    /// (latitude, longitude).
    pub point: Option<(f64, f64)>,
    pub postcode: Option<String>,
    /// Two records with different UPRNs are different places, whatever their names.
    pub uprn: Option<String>,
}

/// The most similar existing record of `kind` that is likely the same as an incoming one
/// called `name` at `at`.
pub async fn find<C: ConnectionTrait>(
    conn: &C,
    kind: RecordKind,
    name: &str,
    at: &Whereabouts,
) -> Result<Option<Candidate>> {
    let point = at.point;
    let postcode = at.postcode.as_deref();
    let postcode = postcode.and_then(normalise_postcode);
    if kind == RecordKind::Organisation {
        return by_name(conn, name).await;
    }
    if point.is_none() && postcode.is_none() {
        return Ok(None);
    }
    let Some(mut query) = nearby_query(kind) else {
        return Ok(None);
    };
    let mut near = Condition::any();
    if let Some((lat, lon)) = point {
        let dlat = RADIUS_M / 111_000.0;
        let dlon = dlat / lat.to_radians().cos().max(0.01);
        near = near.add(
            Expr::col(("locations", "latitude"))
                .between(lat - dlat, lat + dlat)
                .and(Expr::col(("locations", "longitude")).between(lon - dlon, lon + dlon)),
        );
    }
    if let Some(pc) = &postcode {
        near = near.add(Expr::col(("locations", "postcode")).eq(pc.as_str()));
    }
    query.cond_where(near);
    let mut best: Option<Candidate> = None;
    for row in conn.query_all(&query).await? {
        let (Ok(id), Ok(other)) = (
            row.try_get::<Uuid>("", "id"),
            row.try_get::<String>("", "name"),
        ) else {
            continue;
        };
        let there = row
            .try_get::<Option<f64>>("", "latitude")
            .ok()
            .flatten()
            .zip(row.try_get::<Option<f64>>("", "longitude").ok().flatten());
        let their_postcode = row.try_get::<Option<String>>("", "postcode").ok().flatten();
        let their_uprn = row.try_get::<Option<String>>("", "uprn").ok().flatten();
        if at.uprn.is_some() && their_uprn.is_some() && at.uprn != their_uprn {
            continue;
        }
        let distance_m = point.zip(there).map(|(a, b)| metres(a, b));
        let same_postcode = postcode.is_some() && their_postcode == postcode;
        if !(distance_m.is_some_and(|d| d <= RADIUS_M) || same_postcode) {
            continue;
        }
        let score = similarity(name, &other);
        if score < THRESHOLD || best.as_ref().is_some_and(|b| b.similarity >= score) {
            continue;
        }
        best = Some(Candidate {
            kind,
            id,
            name: other,
            similarity: score,
            distance_m,
            same_postcode,
        });
    }
    Ok(best)
}

/// Records of `kind` with a point and postcode, the point's table always called `locations`.
fn nearby_query(kind: RecordKind) -> Option<SelectStatement> {
    let mut q = Query::select();
    match kind {
        RecordKind::Space => {
            q.expr_as(Expr::col(("spaces", "id")), "id")
                .expr_as(Expr::col(("spaces", "name")), "name")
                .from("spaces")
                .inner_join(
                    "locations",
                    Expr::col(("locations", "id")).equals(("spaces", "location_id")),
                );
        }
        RecordKind::Service => {
            q.expr_as(Expr::col(("services", "id")), "id")
                .expr_as(Expr::col(("services", "name")), "name")
                .from("services")
                .inner_join(
                    "service_locations",
                    Expr::col(("service_locations", "service_id")).equals(("services", "id")),
                )
                .inner_join(
                    "locations",
                    Expr::col(("locations", "id")).equals(("service_locations", "location_id")),
                );
        }
        RecordKind::Asset => {
            // An asset keeps its own point and postcode: its table goes by `locations` here
            // so the conditions below read the same for every kind.
            q.expr_as(Expr::col(("locations", "id")), "id")
                .expr_as(Expr::col(("locations", "name")), "name")
                .from_as("assets", "locations");
        }
        _ => return None,
    }
    q.expr_as(Expr::col(("locations", "latitude")), "latitude")
        .expr_as(Expr::col(("locations", "longitude")), "longitude")
        .expr_as(Expr::col(("locations", "postcode")), "postcode")
        .expr_as(Expr::col(("locations", "uprn")), "uprn");
    Some(q.to_owned())
}

/// An organisation whose normalised name equals `name`'s.
pub async fn by_name<C: ConnectionTrait>(conn: &C, name: &str) -> Result<Option<Candidate>> {
    let want = normalise(name);
    if want.is_empty() {
        return Ok(None);
    }
    // Names are compared normalised, so the database narrows by the first letter only.
    let first: String = name.trim().chars().take(1).collect();
    let q = Query::select()
        .columns(["id", "name"])
        .from("organisations")
        .and_where(
            Expr::expr(Func::lower(Expr::col("name"))).like(format!("{}%", first.to_lowercase())),
        )
        .to_owned();
    for row in conn.query_all(&q).await? {
        let (Ok(id), Ok(other)) = (
            row.try_get::<Uuid>("", "id"),
            row.try_get::<String>("", "name"),
        ) else {
            continue;
        };
        if normalise(&other) == want {
            return Ok(Some(Candidate {
                kind: RecordKind::Organisation,
                id,
                name: other,
                similarity: 1.0,
                distance_m: None,
                same_postcode: false,
            }));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_normalised_before_comparing() {
        assert_eq!(
            normalise("St. Peter's Church & Hall"),
            "saint peters church hall"
        );
        assert_eq!(normalise("The Friends of the Park"), "friends park");
        assert_eq!(similarity("St Peter's Church", "Saint Peters Church"), 1.0);
        assert!(similarity("Norwich Foodbank", "Norwich Food Bank") >= THRESHOLD);
        // A church and its hall are different places.
        assert!(similarity("Methodist Church", "Methodist Hall") < THRESHOLD);
        assert!(similarity("Saint Mark's", "St Mark's Hall") < THRESHOLD);
        assert_eq!(similarity("1 Berkeley Mews", "12 Berkeley Mews"), 0.0);
    }

    #[test]
    fn distances_are_in_metres() {
        let d = metres((52.6277, 1.2909), (52.6286, 1.2909));
        assert!((d - 100.0).abs() < 1.0, "{d}");
    }
}
