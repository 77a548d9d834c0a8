//! Any CSV or GeoJSON with a mapping file: a small TOML file that says what kind of record
//! each row is, which column (or property) holds which field, and where the data comes from.
//! See `docs/import-mappings.md` for the format and `examples/mappings/` for working files.
//!
//! A field is given as a column name (`"PostCode"`, `"Organisation#2"` for the second column
//! of that name, `"#5"` for the fifth column), a list of columns of which the first non-empty
//! one is used, or a table: `{ value = "Cheltenham" }`, `{ join = ["A", "B"], sep = ", " }` or
//! `{ template = "{HoldingType}: {TenureDetail}" }`.

use anyhow::{Context, bail};
use serde::Deserialize;

use super::fields::{self, Fields};
use super::{Object, Parsed, Part, Primary, Rejected, bng, one_line, tidy::tidy};
use crate::domain::{Asset, Location, Organisation, Service, Space};
use crate::store::SourceRef;

/// What each row becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Space,
    Service,
    Organisation,
    Asset,
}

/// A mapping file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    pub kind: Kind,
    /// Cell values that mean "no value", e.g. `N/A`, compared after trimming, any case.
    #[serde(default)]
    pub null_values: Vec<String>,
    pub source: Option<SourceSpec>,
    pub fields: FieldMap,
}

/// The `[source]` table: who published the data and under which licence.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    pub key: String,
    pub name: String,
    pub licence: Option<String>,
    pub attribution: Option<String>,
    pub url: Option<String>,
}

/// The `[fields]` table. `id` and `name` are required; the rest as the kind needs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldMap {
    /// The source's identifier for the row, stable across re-imports.
    pub id: Spec,
    pub name: Spec,
    pub description: Option<Spec>,
    /// The organisation that runs (space, service) or owns (asset) it, by name.
    pub organisation: Option<Spec>,
    pub address_1: Option<Spec>,
    pub address_2: Option<Spec>,
    pub town: Option<Spec>,
    pub county: Option<Spec>,
    pub postcode: Option<Spec>,
    pub latitude: Option<Spec>,
    pub longitude: Option<Spec>,
    /// British National Grid (EPSG:27700), converted to WGS84.
    pub easting: Option<Spec>,
    pub northing: Option<Spec>,
    pub phone: Option<Spec>,
    pub email: Option<Spec>,
    pub website: Option<Spec>,
    /// Category slugs, separated by `;` or `,`.
    pub categories: Option<Spec>,
    pub opening_hours: Option<Spec>,
    pub uprn: Option<Spec>,
    pub space_type: Option<Spec>,
    pub tenure: Option<Spec>,
    pub asset_reference: Option<Spec>,
    pub current_use: Option<Spec>,
}

/// Where a field's value comes from.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Spec {
    Column(String),
    /// The first of these columns that has a value.
    First(Vec<String>),
    Rule(Rule),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub value: Option<String>,
    pub join: Option<Vec<String>>,
    pub sep: Option<String>,
    pub template: Option<String>,
}

impl Mapping {
    pub fn parse(text: &str) -> anyhow::Result<Mapping> {
        toml::from_str(text).context("reading the mapping file")
    }

    /// The source the file names, if it names one.
    pub fn source_ref(&self) -> Option<SourceRef> {
        self.source.as_ref().map(|s| SourceRef {
            key: s.key.clone(),
            name: s.name.clone(),
            licence: s.licence.clone(),
            attribution: s.attribution.clone(),
            url: s.url.clone(),
        })
    }

    /// Every column the mapping names.
    fn columns(&self) -> Vec<String> {
        let f = &self.fields;
        let specs = [
            Some(&f.id),
            Some(&f.name),
            f.description.as_ref(),
            f.organisation.as_ref(),
            f.address_1.as_ref(),
            f.address_2.as_ref(),
            f.town.as_ref(),
            f.county.as_ref(),
            f.postcode.as_ref(),
            f.latitude.as_ref(),
            f.longitude.as_ref(),
            f.easting.as_ref(),
            f.northing.as_ref(),
            f.phone.as_ref(),
            f.email.as_ref(),
            f.website.as_ref(),
            f.categories.as_ref(),
            f.opening_hours.as_ref(),
            f.uprn.as_ref(),
            f.space_type.as_ref(),
            f.tenure.as_ref(),
            f.asset_reference.as_ref(),
            f.current_use.as_ref(),
        ];
        specs
            .into_iter()
            .flatten()
            .flat_map(Spec::columns)
            .collect()
    }
}

impl Spec {
    fn columns(&self) -> Vec<String> {
        match self {
            Spec::Column(c) => vec![c.clone()],
            Spec::First(cs) => cs.clone(),
            Spec::Rule(r) => {
                let mut cs = r.join.clone().unwrap_or_default();
                if let Some(t) = &r.template {
                    cs.extend(placeholders(t));
                }
                cs
            }
        }
    }
}

/// The `{Column}` names in a template.
fn placeholders(template: &str) -> Vec<String> {
    template
        .split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

/// Reads `bytes` (CSV, or GeoJSON when `is_csv` is false) with `mapping`.
pub fn read(bytes: &[u8], is_csv: bool, mapping: &Mapping, input: &str) -> anyhow::Result<Parsed> {
    let (rows, what) = if is_csv {
        let (rows, encoding, headers) = fields::from_csv(bytes)?;
        if let Some(first) = rows.first() {
            let missing: Vec<String> = mapping
                .columns()
                .into_iter()
                .filter(|c| !first.has(c))
                .collect();
            if !missing.is_empty() {
                bail!(
                    "the mapping names columns the file does not have: {} (the file's columns: {})",
                    missing.join(", "),
                    headers.join(", ")
                );
            }
        }
        (rows, format!("{input} (CSV, {encoding:?})"))
    } else {
        (fields::from_geojson(bytes)?, format!("{input} (GeoJSON)"))
    };
    let reader = Reader { mapping };
    Ok(Parsed {
        input: what,
        items: rows.iter().map(|f| reader.map_row(f)).collect(),
        source: mapping.source_ref(),
        ..Parsed::default()
    })
}

struct Reader<'a> {
    mapping: &'a Mapping,
}

impl Reader<'_> {
    /// A column's value, trimmed, on one line, with null values as missing.
    fn cell(&self, f: &Fields, column: &str) -> Option<String> {
        let v = one_line(f.raw(column)?);
        let null = v.is_empty()
            || self
                .mapping
                .null_values
                .iter()
                .any(|n| n.trim().eq_ignore_ascii_case(&v));
        (!null).then_some(v)
    }

    fn eval(&self, f: &Fields, spec: Option<&Spec>) -> Option<String> {
        match spec? {
            Spec::Column(c) => self.cell(f, c),
            Spec::First(cs) => cs.iter().find_map(|c| self.cell(f, c)),
            Spec::Rule(r) => {
                if let Some(v) = &r.value {
                    return Some(v.clone());
                }
                if let Some(cs) = &r.join {
                    let parts: Vec<String> = cs.iter().filter_map(|c| self.cell(f, c)).collect();
                    let sep = r.sep.as_deref().unwrap_or(", ");
                    return (!parts.is_empty()).then(|| parts.join(sep));
                }
                let template = r.template.as_ref()?;
                let mut out = template.clone();
                let mut any = false;
                for name in placeholders(template) {
                    let v = self.cell(f, &name);
                    any |= v.is_some();
                    out = out.replace(&format!("{{{name}}}"), &v.unwrap_or_default());
                }
                any.then(|| out.split_whitespace().collect::<Vec<_>>().join(" "))
            }
        }
    }

    fn number(&self, f: &Fields, spec: Option<&Spec>, what: &str) -> Result<Option<f64>, String> {
        match self.eval(f, spec) {
            None => Ok(None),
            Some(v) => v
                .replace(',', "")
                .parse::<f64>()
                .map(Some)
                .map_err(|_| format!("{what} '{v}' is not a number")),
        }
    }

    /// The row's WGS84 point: latitude/longitude, else easting/northing, else the geometry.
    fn point(&self, f: &Fields) -> Result<Option<(f64, f64)>, String> {
        let m = &self.mapping.fields;
        let lat = self.number(f, m.latitude.as_ref(), "latitude")?;
        let lon = self.number(f, m.longitude.as_ref(), "longitude")?;
        if let (Some(lat), Some(lon)) = (lat, lon) {
            return Ok(Some((lat, lon)));
        }
        let e = self.number(f, m.easting.as_ref(), "easting")?;
        let n = self.number(f, m.northing.as_ref(), "northing")?;
        if let (Some(e), Some(n)) = (e, n) {
            return match bng::to_wgs84(e, n) {
                Some(p) => Ok(Some(p)),
                None => Err(format!(
                    "easting {e}, northing {n} is not on the British National Grid"
                )),
            };
        }
        Ok(f.point)
    }

    fn map_row(&self, f: &Fields) -> Result<Object, Rejected> {
        let m = &self.mapping.fields;
        let id = self.eval(f, Some(&m.id));
        let reject = |reason: String| Rejected::new(f.place.clone(), id.clone(), reason);
        let Some(source_id) = id.clone() else {
            return Err(reject("no id".into()));
        };
        let Some(name) = self.eval(f, Some(&m.name)) else {
            return Err(reject("no name".into()));
        };
        let get = |spec: &Option<Spec>| self.eval(f, spec.as_ref());
        let mut notes = Vec::new();
        let point = match self.point(f) {
            Ok(p) => p,
            Err(e) if self.mapping.kind == Kind::Asset => {
                notes.push(format!("no point: {e}"));
                None
            }
            Err(e) => return Err(reject(e)),
        };
        let organisation = get(&m.organisation).map(|org| {
            let mut part = Part::new(
                format!("organisation:{org}"),
                super::organisation(
                    &org,
                    format!("{org}, named in {}.", self.source_name()),
                    Default::default(),
                ),
            );
            part.reuse_by_name = true;
            part
        });
        let categories: Vec<String> = get(&m.categories)
            .map(|c| {
                c.split([';', ','])
                    .map(|s| s.trim().to_lowercase())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let description = self.description(f);
        let nil = uuid::Uuid::nil();
        let mut location = None;
        let needs_location = matches!(self.mapping.kind, Kind::Space | Kind::Service);
        if needs_location {
            match (get(&m.postcode), get(&m.town), point) {
                (Some(postcode), Some(town), Some((lat, lon))) => {
                    let json = serde_json::json!({
                        "name": name, "address_1": get(&m.address_1).unwrap_or_else(|| name.clone()),
                        "address_2": get(&m.address_2), "town": town, "county": get(&m.county),
                        "postcode": postcode, "uprn": get(&m.uprn), "latitude": lat, "longitude": lon,
                    });
                    let mut loc: Location =
                        serde_json::from_value(json).map_err(|e| reject(e.to_string()))?;
                    notes.extend(tidy(&mut loc).map_err(&reject)?);
                    location = Some(Part::new(format!("{source_id}#location"), loc));
                }
                _ if self.mapping.kind == Kind::Space => {
                    return Err(reject(
                        "a space needs a postcode, a town and a point for its location".into(),
                    ));
                }
                _ => notes.push("no location: it needs a postcode, a town and a point".into()),
            }
        }
        if (needs_location || self.mapping.kind == Kind::Asset) && organisation.is_none() {
            return Err(reject(
                "no organisation: a space, service or asset needs one".into(),
            ));
        }
        let json = match self.mapping.kind {
            Kind::Organisation => serde_json::json!({
                "name": name, "description": description.unwrap_or_else(|| format!("{name}, from {}.", self.source_name())),
                "phone": get(&m.phone), "email": get(&m.email), "website": get(&m.website),
            }),
            Kind::Space => serde_json::json!({
                "organisation_id": nil, "location_id": nil, "name": name, "description": description,
                "space_type": get(&m.space_type).map(|s| s.to_lowercase().replace(' ', "_")).unwrap_or_else(|| "other".into()),
                "categories": categories, "phone": get(&m.phone), "email": get(&m.email),
                "opening_hours": get(&m.opening_hours),
            }),
            Kind::Service => serde_json::json!({
                "organisation_id": nil, "name": name,
                "description": description.ok_or_else(|| reject("no description: a service needs one".into()))?,
                "categories": categories, "phone": get(&m.phone), "email": get(&m.email),
                "website": get(&m.website), "opening_hours": get(&m.opening_hours),
            }),
            Kind::Asset => {
                let tenure = get(&m.tenure).map(|t| t.to_lowercase());
                let tenure = match tenure.as_deref() {
                    None => None,
                    Some(t) if t == "freehold" || t == "leasehold" => Some(t.to_owned()),
                    Some(t) => {
                        notes.push(format!("left out tenure '{t}': not freehold or leasehold"));
                        None
                    }
                };
                serde_json::json!({
                    "owner_organisation_id": nil, "name": name, "description": description,
                    "uprn": get(&m.uprn), "asset_reference": get(&m.asset_reference),
                    "address_1": get(&m.address_1), "address_2": get(&m.address_2),
                    "town": get(&m.town), "postcode": get(&m.postcode),
                    "latitude": point.map(|p| p.0), "longitude": point.map(|p| p.1),
                    "tenure": tenure, "current_use": get(&m.current_use),
                })
            }
        };
        let primary = build(self.mapping.kind, json, &mut notes).map_err(reject)?;
        Ok(Object {
            place: f.place.clone(),
            source_id,
            preferred_id: None,
            organisation: if self.mapping.kind == Kind::Organisation {
                None
            } else {
                organisation
            },
            locations: location.into_iter().collect(),
            primary,
            notes,
        })
    }

    /// A description keeps its line breaks (each line trimmed), unlike every other field.
    fn description(&self, f: &Fields) -> Option<String> {
        match self.mapping.fields.description.as_ref()? {
            Spec::Column(c) => {
                self.cell(f, c)?;
                let raw = f.raw(c)?;
                let lines: Vec<&str> = raw
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect();
                Some(lines.join("\n"))
            }
            other => self.eval(f, Some(other)),
        }
    }

    fn source_name(&self) -> String {
        self.mapping
            .source
            .as_ref()
            .map_or_else(|| "imported data".to_owned(), |s| s.name.clone())
    }
}

/// Deserialises the mapped JSON as the kind's record and tidies it.
fn build(kind: Kind, json: serde_json::Value, notes: &mut Vec<String>) -> Result<Primary, String> {
    fn one<R: crate::domain::Record>(
        json: serde_json::Value,
        notes: &mut Vec<String>,
    ) -> Result<R, String> {
        let mut r: R = serde_json::from_value(json).map_err(|e| e.to_string())?;
        notes.extend(tidy(&mut r)?);
        Ok(r)
    }
    Ok(match kind {
        Kind::Organisation => Primary::Organisation(one::<Organisation>(json, notes)?),
        Kind::Space => Primary::Space(one::<Space>(json, notes)?),
        Kind::Service => Primary::Service(one::<Service>(json, notes)?),
        Kind::Asset => Primary::Asset(one::<Asset>(json, notes)?),
    })
}
