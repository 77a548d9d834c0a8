//! The card: what search needs to know about a record to filter, facet, rank and show it
//! without going back to the database. Built from the record's public view only, kept in a
//! fast field of its index document.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A record as search sees it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub kind: String,
    pub id: Uuid,
    pub name: String,
    /// The start of the description, for result lists.
    pub summary: String,
    /// Public WGS84 points as `[longitude, latitude]` (coarsened where the address is hidden).
    #[serde(default)]
    pub points: Vec<[f64; 2]>,
    /// Slugs of the top-level categories the record is filed under.
    #[serde(default)]
    pub top_categories: Vec<String>,
    #[serde(default)]
    pub accessibility: Vec<String>,
    #[serde(default)]
    pub free: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opening_hours: Option<String>,
    /// A service's operational status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_age: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age: Option<i32>,
    /// Phone, online or national: no site, available anywhere.
    #[serde(default)]
    pub remote: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_verified_at: Option<DateTime<Utc>>,
    /// How many people a space holds (an asset: its own figure or its largest space's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<i32>,
    /// Facilities (an asset: its own and its spaces').
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub facilities: Vec<String>,
    /// The usual rate in pounds an hour (an asset: its cheapest space's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hourly_rate: Option<f64>,
    /// How to ask to use a space or an asset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ask: Option<Ask>,
    /// Codes of the boundaries a service covers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub area_codes: Vec<String>,
    /// Other areas it covers, as GeoJSON Polygon or MultiPolygon geometries.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub area_extents: Vec<serde_json::Value>,
}

/// How to ask to use a space or an asset, as a result says it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Ask {
    /// `book` (online booking), `hire_enquiry` (contact the owner to hire it), `enquiry` (ask
    /// the owner about community use) or `expression_of_interest` (offered for community asset
    /// transfer).
    pub action: String,
    /// What to do, in words: "Book online".
    pub label: String,
    /// Where to do it: the booking page, or the expression-of-interest form.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// Summaries are cut at a word boundary near this many characters.
pub const SUMMARY_CHARS: usize = 200;

/// The first `SUMMARY_CHARS` characters of `text`, cut at a word, with an ellipsis if cut.
pub fn summarise(text: &str) -> String {
    if text.chars().count() <= SUMMARY_CHARS {
        return text.to_owned();
    }
    let cut: String = text.chars().take(SUMMARY_CHARS).collect();
    let at_word = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", at_word.trim_end_matches([',', ';', ':', '.']))
}

impl Card {
    /// Whether the record is eligible for someone of `age`.
    pub fn fits_age(&self, age: i32) -> bool {
        self.min_age.is_none_or(|min| min <= age) && self.max_age.is_none_or(|max| age <= max)
    }

    /// Whether one of the card's service areas covers `(lon, lat)`; `near_boundaries` are the
    /// codes of the boundaries that contain the point.
    pub fn covers(&self, (lon, lat): (f64, f64), near_boundaries: &[String]) -> bool {
        use geo::Contains;
        self.area_codes.iter().any(|c| near_boundaries.contains(c))
            || self.area_extents.iter().any(|extent| {
                serde_json::from_value::<geojson::Geometry>(extent.clone())
                    .ok()
                    .and_then(|g| crate::geo::boundaries::multipolygon_from_geojson(&g.value).ok())
                    .is_some_and(|mp| mp.contains(&geo::Point::new(lon, lat)))
            })
    }

    /// The shortest distance in metres from `from` (lon, lat) to any of the card's points.
    pub fn distance_m(&self, from: (f64, f64)) -> Option<f64> {
        self.points
            .iter()
            .map(|p| crate::geo::haversine_m(from, (p[0], p[1])))
            .min_by(f64::total_cmp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_cut_at_a_word() {
        let long = "word ".repeat(100);
        let s = summarise(&long);
        assert!(s.ends_with('…'));
        assert!(s.chars().count() <= SUMMARY_CHARS + 1);
        assert_eq!(summarise("short"), "short");
    }

    #[test]
    fn age_limits() {
        let c = Card {
            min_age: Some(11),
            max_age: Some(19),
            ..Card::default()
        };
        assert!(c.fits_age(11) && c.fits_age(19));
        assert!(!c.fits_age(10) && !c.fits_age(20));
        assert!(Card::default().fits_age(99));
    }
}
