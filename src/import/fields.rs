//! One shape for a CSV row and a GeoJSON feature: named values, a point, and where in the
//! file it came from. The OpenStreetMap and mapping-file readers work on this.

use std::collections::HashMap;

use anyhow::{Context, bail};
use serde_json::Value;

use super::Place;
use super::table::{Encoding, Table};

/// A row or feature's values by lower-case name, and its point.
#[derive(Debug, Clone)]
pub struct Fields {
    pub place: Place,
    values: HashMap<String, String>,
    /// (latitude, longitude) of a GeoJSON Point geometry.
    pub point: Option<(f64, f64)>,
    /// Why a feature has no point, when it has a geometry that isn't one.
    pub geometry_note: Option<String>,
}

impl Fields {
    /// The raw value of a column or property (case-insensitive), as in the file.
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.values
            .get(&name.trim().to_lowercase())
            .map(String::as_str)
    }

    /// A value trimmed, with an empty one as missing.
    pub fn get(&self, name: &str) -> Option<String> {
        super::non_empty(self.raw(name))
    }

    /// Whether the input has this column or property at all.
    pub fn has(&self, name: &str) -> bool {
        self.values.contains_key(&name.trim().to_lowercase())
    }
}

/// Reads a CSV file into fields; returns the encoding it was read in.
pub fn from_csv(bytes: &[u8]) -> anyhow::Result<(Vec<Fields>, Encoding, Vec<String>)> {
    let table = Table::parse(bytes)?;
    let names: Vec<(String, usize)> = table
        .names()
        .map(|(name, i)| (name.to_owned(), i))
        .collect();
    let rows = table
        .rows
        .iter()
        .map(|row| Fields {
            place: Place::row(row.number, row.line),
            values: names
                .iter()
                .filter_map(|(name, i)| row.cells.get(*i).map(|v| (name.clone(), v.clone())))
                .collect(),
            point: None,
            geometry_note: None,
        })
        .collect();
    Ok((rows, table.encoding, table.headers.clone()))
}

/// Reads a GeoJSON FeatureCollection (or a single Feature) into fields. The feature's own
/// `id`, when it has one, is the property `@id` unless a property already has that name.
pub fn from_geojson(bytes: &[u8]) -> anyhow::Result<Vec<Fields>> {
    let json: Value = serde_json::from_slice(bytes).context("the file is not JSON")?;
    let features = match json.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => json
            .get("features")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default(),
        Some("Feature") => vec![json.clone()],
        _ => bail!("the file is not a GeoJSON FeatureCollection or Feature"),
    };
    if let Some(crs) = json.pointer("/crs/properties/name").and_then(Value::as_str)
        && !(crs.contains("CRS84") || crs.ends_with("4326"))
    {
        bail!("the file's coordinates are in {crs}; GeoJSON must be WGS84 longitude/latitude");
    }
    Ok(features
        .iter()
        .enumerate()
        .map(|(i, feature)| {
            let mut values: HashMap<String, String> = HashMap::new();
            if let Some(props) = feature.get("properties").and_then(Value::as_object) {
                for (k, v) in props {
                    if let Some(text) = scalar_text(v) {
                        values.insert(k.to_lowercase(), text);
                    }
                }
            }
            if let Some(id) = feature.get("id").and_then(scalar_text) {
                values.entry("@id".to_owned()).or_insert(id);
            }
            let (point, geometry_note) = point_of(feature.get("geometry"));
            Fields {
                place: Place::nth("feature", i + 1),
                values,
                point,
                geometry_note,
            }
        })
        .collect())
}

/// A JSON scalar as text; arrays and objects are not values a field can take.
fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn point_of(geometry: Option<&Value>) -> (Option<(f64, f64)>, Option<String>) {
    let Some(g) = geometry.filter(|g| !g.is_null()) else {
        return (None, Some("the feature has no geometry".to_owned()));
    };
    match g.get("type").and_then(Value::as_str) {
        Some("Point") => {
            let c = g.get("coordinates").and_then(Value::as_array);
            let lon = c.and_then(|c| c.first()).and_then(Value::as_f64);
            let lat = c.and_then(|c| c.get(1)).and_then(Value::as_f64);
            match (lat, lon) {
                (Some(lat), Some(lon)) => (Some((lat, lon)), None),
                _ => (None, Some("the Point has no coordinates".to_owned())),
            }
        }
        Some(other) => (
            None,
            Some(format!("the geometry is a {other}: only Points are read")),
        ),
        None => (None, Some("the geometry has no type".to_owned())),
    }
}
