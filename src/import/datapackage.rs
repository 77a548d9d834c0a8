//! The HSDS 3.0 tabular datapackage: `datapackage.json` and one CSV per HSDS table. Rows are
//! joined back into nested HSDS services (organisation, locations with addresses, phones,
//! schedules, languages, taxonomy terms) and mapped by [`super::hsds`]. Every service row is
//! one object in the report, and so is every organisation row no service names.
//!
//! Tables are found by the descriptor's `resources` (`name` and `path`); when the descriptor
//! can't be read or lists none (HSDS's own example ships `datapackage.json` as a link to the
//! schema package), the standard file names (`services.csv`, `organizations.csv`, ...) in the
//! same folder are used, and the report says so.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde_json::{Map, Value};

use super::table::Table;
use super::{Parsed, Place, hsds};

/// The HSDS tables read, by resource name, with their standard file names.
pub const TABLES: &[(&str, &[&str])] = &[
    ("services", &["services.csv"]),
    ("organizations", &["organizations.csv"]),
    ("locations", &["locations.csv"]),
    ("addresses", &["addresses.csv"]),
    (
        "service_at_locations",
        &["service_at_location.csv", "service_at_locations.csv"],
    ),
    ("phones", &["phones.csv"]),
    ("schedules", &["schedules.csv"]),
    ("languages", &["languages.csv"]),
    ("attributes", &["attributes.csv"]),
    ("taxonomy_terms", &["taxonomy_terms.csv"]),
    (
        "organization_identifiers",
        &["organization_identifiers.csv"],
    ),
];

/// Rows of one table as JSON objects of text values.
type Rows = Vec<Map<String, Value>>;

/// Reads a datapackage from its `datapackage.json` or its folder.
pub fn read(path: &Path) -> anyhow::Result<Parsed> {
    let (dir, descriptor) = if path.is_dir() {
        (path.to_path_buf(), path.join("datapackage.json"))
    } else {
        (
            path.parent().map(Path::to_path_buf).unwrap_or_default(),
            path.to_path_buf(),
        )
    };
    let mut warnings = Vec::new();
    let resources = match resources(&descriptor) {
        Ok(r) if !r.is_empty() => r,
        Ok(_) => {
            warnings.push(format!(
                "{} lists no resources: reading the HSDS tables by their standard file names",
                descriptor.display()
            ));
            HashMap::new()
        }
        Err(e) => {
            warnings.push(format!(
                "{} could not be read ({e:#}): reading the HSDS tables by their standard file names",
                descriptor.display()
            ));
            HashMap::new()
        }
    };
    let mut files = Vec::new();
    for (name, standard) in TABLES {
        let file = resources
            .get(*name)
            .cloned()
            .or_else(|| standard.iter().map(|f| dir.join(f)).find(|p| p.exists()));
        let Some(file) = file else { continue };
        let bytes = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
        files.push(TableFile {
            name,
            label: file.display().to_string(),
            bytes,
        });
    }
    assemble(files, warnings, &dir.display().to_string())
}

/// One table's file, read whole: its resource name, where it came from, its bytes.
pub struct TableFile {
    pub name: &'static str,
    pub label: String,
    pub bytes: Vec<u8>,
}

/// Joins the tables read from a datapackage at `location` (a folder or a URL) into objects.
pub fn assemble(
    files: Vec<TableFile>,
    warnings: Vec<String>,
    location: &str,
) -> anyhow::Result<Parsed> {
    let mut tables: HashMap<&str, Rows> = HashMap::new();
    for file in files {
        let table = Table::parse(&file.bytes).with_context(|| format!("reading {}", file.label))?;
        tables.insert(file.name, rows(&table));
    }
    let Some(services) = tables.get("services") else {
        bail!("no services table (services.csv) in {location}");
    };
    let nested = Nested::new(&tables);
    let mut items: Vec<_> = services
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let place = Place(format!("services.csv row {}", i + 1));
            hsds::service(&nested.service(row), &nested.organizations, place)
        })
        .collect();
    let named: HashSet<String> = services
        .iter()
        .filter_map(|s| {
            s.get("organization_id")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .collect();
    for (i, row) in tables
        .get("organizations")
        .into_iter()
        .flatten()
        .enumerate()
    {
        let id = row.get("id").and_then(Value::as_str).unwrap_or_default();
        if !named.contains(id) {
            let place = Place(format!("organizations.csv row {}", i + 1));
            let org = nested.organization(row);
            items.push(hsds::organisation_object(&org, place));
        }
    }
    Ok(Parsed {
        input: format!("{location} (HSDS 3.0 datapackage)"),
        warnings,
        items,
        ..Parsed::default()
    })
}

/// Resource name → file, from the descriptor.
fn resources(descriptor: &Path) -> anyhow::Result<HashMap<String, PathBuf>> {
    let text = std::fs::read_to_string(descriptor)?;
    let json: Value = serde_json::from_str(&text).context("it is not JSON")?;
    let dir = descriptor.parent().unwrap_or(Path::new("."));
    Ok(resource_paths(&json)
        .into_iter()
        .map(|(name, path)| (name, dir.join(path)))
        .collect())
}

/// Resource name → path as the descriptor writes it (relative to the descriptor).
pub fn resource_paths(descriptor: &Value) -> HashMap<String, String> {
    descriptor
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|r| {
            let name = r.get("name")?.as_str()?.to_owned();
            let path = r.get("path")?.as_str()?.to_owned();
            Some((name, path))
        })
        .collect()
}

fn rows(table: &Table) -> Rows {
    table
        .rows
        .iter()
        .map(|row| {
            table
                .headers
                .iter()
                .zip(&row.cells)
                .filter(|(_, v)| !v.trim().is_empty())
                .map(|(h, v)| (h.clone(), Value::String(v.clone())))
                .collect()
        })
        .collect()
}

/// The tables indexed for joining rows back into nested objects.
struct Nested<'a> {
    tables: &'a HashMap<&'a str, Rows>,
    organizations: HashMap<String, Value>,
}

impl<'a> Nested<'a> {
    fn new(tables: &'a HashMap<&'a str, Rows>) -> Self {
        let mut nested = Nested {
            tables,
            organizations: HashMap::new(),
        };
        let orgs: Vec<(String, Value)> = tables
            .get("organizations")
            .into_iter()
            .flatten()
            .filter_map(|o| {
                let id = o.get("id")?.as_str()?.to_owned();
                Some((id, nested.organization(o)))
            })
            .collect();
        nested.organizations = orgs.into_iter().collect();
        nested
    }

    /// Rows of `table` whose `column` is `id`.
    fn children(&self, table: &str, column: &str, id: &str) -> Vec<Value> {
        self.tables
            .get(table)
            .into_iter()
            .flatten()
            .filter(|r| r.get(column).and_then(Value::as_str) == Some(id))
            .map(|r| Value::Object(r.clone()))
            .collect()
    }

    fn organization(&self, row: &Map<String, Value>) -> Value {
        let mut o = row.clone();
        let id = text(row, "id");
        o.insert(
            "phones".into(),
            self.children("phones", "organization_id", &id).into(),
        );
        o.insert(
            "organization_identifiers".into(),
            self.children("organization_identifiers", "organization_id", &id)
                .into(),
        );
        Value::Object(o)
    }

    fn service(&self, row: &Map<String, Value>) -> Value {
        let mut s = row.clone();
        let id = text(row, "id");
        if let Some(org) = self.organizations.get(&text(row, "organization_id")) {
            s.insert("organization".into(), org.clone());
        }
        // Phones and schedules of the service itself, not of one of its locations.
        let own = |table: &str| -> Vec<Value> {
            self.children(table, "service_id", &id)
                .into_iter()
                .filter(|r| r.get("service_at_location_id").is_none() || table == "phones")
                .collect()
        };
        s.insert("phones".into(), own("phones").into());
        s.insert("schedules".into(), own("schedules").into());
        s.insert(
            "languages".into(),
            self.children("languages", "service_id", &id).into(),
        );
        let terms: Vec<Value> = self
            .children("attributes", "link_id", &id)
            .into_iter()
            .filter_map(|a| {
                let term_id = a.get("taxonomy_term_id")?.as_str()?.to_owned();
                let term = self
                    .children("taxonomy_terms", "id", &term_id)
                    .into_iter()
                    .next()?;
                Some(serde_json::json!({ "taxonomy_term": term }))
            })
            .collect();
        s.insert("attributes".into(), terms.into());
        let sals: Vec<Value> = self
            .children("service_at_locations", "service_id", &id)
            .into_iter()
            .map(|sal| {
                let mut sal = sal.as_object().cloned().unwrap_or_default();
                let sal_id = text(&sal, "id");
                let location_id = text(&sal, "location_id");
                if let Some(mut l) = self
                    .children("locations", "id", &location_id)
                    .into_iter()
                    .next()
                    .and_then(|l| l.as_object().cloned())
                {
                    l.insert(
                        "addresses".into(),
                        self.children("addresses", "location_id", &location_id)
                            .into(),
                    );
                    sal.insert("location".into(), Value::Object(l));
                }
                sal.insert(
                    "schedules".into(),
                    self.children("schedules", "service_at_location_id", &sal_id)
                        .into(),
                );
                Value::Object(sal)
            })
            .collect();
        s.insert("service_at_locations".into(), sals.into());
        Value::Object(s)
    }
}

fn text(row: &Map<String, Value>, key: &str) -> String {
    row.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}
