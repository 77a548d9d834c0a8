//! Reading an import's input from an http(s) URL rather than a file, with the sync's HTTP
//! client (and the credential it carries, if any). The bytes then go through the same
//! readers as a file's. An HSDS URL that is an ORUK API (its base, whose root document names
//! the API version, or its `/services` list) is walked page by page, every service read.
//!
//! Anything that can't be read — an unreachable host, a status other than 2xx, JSON that
//! isn't — is an error before anything is written.

use std::collections::HashMap;

use anyhow::{Context, bail};
use reqwest::Url;
use serde_json::Value;

use super::datapackage::{self, TABLES, TableFile};
use super::{Parsed, hsds};
use crate::store::SourceRef;
use crate::sync::Client;
use crate::sync::oruk::Walk;

/// Whether `input` names a URL to read rather than a file.
pub fn is_url(input: &str) -> bool {
    input.starts_with("http://") || input.starts_with("https://")
}

/// Lower-case letters and digits, everything else a dash: a source key's part.
pub fn slug(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

/// A URL's host and path without the scheme, query or extension, as a slug:
/// `https://example.org/data/places.csv` → `example-org-data-places`.
pub fn url_slug(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let rest = rest.split(['?', '#']).next().unwrap_or(rest);
    let rest = rest.trim_end_matches('/');
    let rest = rest
        .rsplit_once('.')
        .filter(|(_, ext)| !ext.contains('/'))
        .map_or(rest, |(s, _)| s);
    slug(rest)
}

/// The body at `url`, read whole.
pub async fn bytes(client: &Client, url: &str) -> anyhow::Result<Vec<u8>> {
    Ok(client.get(url, "*/*").await?.bytes)
}

/// Whether an OpenStreetMap extract at `url` is CSV: by the path's extension, else the
/// media type, else whether the body looks like JSON.
pub async fn osm_bytes(client: &Client, url: &str) -> anyhow::Result<(Vec<u8>, bool)> {
    let fetched = client
        .get(url, "text/csv, application/geo+json, */*")
        .await?;
    let path = Url::parse(url)?.path().to_ascii_lowercase();
    let is_csv = if path.ends_with(".csv") {
        true
    } else if path.ends_with(".geojson") || path.ends_with(".json") {
        false
    } else if let Some(t) = &fetched.content_type {
        t.contains("csv") || !t.contains("json")
    } else {
        fetched.bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{')
    };
    Ok((fetched.bytes, is_csv))
}

/// HSDS services from `url`: an ORUK API (its base or its `/services` list, every page
/// walked), or one document (a service, an array of services, one page).
pub async fn hsds(client: &Client, url: &str) -> anyhow::Result<Parsed> {
    let trimmed = url.trim_end_matches('/');
    let parsed = Url::parse(trimmed)?;
    let base = if parsed.query().is_none() && parsed.path().ends_with("/services") {
        Some(trimmed.trim_end_matches("/services").to_owned())
    } else {
        let json = client.json(url).await?;
        if is_api_root(&json) {
            Some(trimmed.to_owned())
        } else {
            let bytes = serde_json::to_vec(&json)?;
            return hsds::read(&bytes, url);
        }
    };
    let Some(base) = base else {
        bail!("{url}: not an ORUK API");
    };
    let mut services = Vec::new();
    let mut pages = 0;
    let mut walk = Walk::new(client, &base, None);
    while let Some(page) = walk.next_page().await? {
        pages += 1;
        services.extend(page);
    }
    let mut parsed = hsds::services_of(
        &services,
        &format!("{base} (ORUK API, {pages} pages of services)"),
    );
    // One source however the API was named (its base or its list).
    parsed.source = Some(SourceRef {
        key: format!("hsds-{}", url_slug(&base)),
        name: format!("Open Referral UK API at {base}"),
        licence: None,
        attribution: None,
        url: Some(base),
    });
    Ok(parsed)
}

/// The root document of an ORUK API (`{"version": "3.0", "profile": …}`), not a service.
fn is_api_root(json: &Value) -> bool {
    json.get("version").is_some()
        && json.get("name").is_none()
        && json.get("contents").is_none()
        && (json.get("openapi_url").is_some() || json.get("profile").is_some())
}

/// A tabular datapackage at `url`: its `datapackage.json`, or the folder holding it. Tables
/// are found as for a folder — the descriptor's resources, else the standard file names
/// (a name the server doesn't have is skipped). Resources on another host are not fetched,
/// so a credential never goes anywhere but the host named.
pub async fn datapackage(client: &Client, url: &str) -> anyhow::Result<Parsed> {
    let descriptor = if url.ends_with(".json") {
        Url::parse(url)?
    } else {
        Url::parse(&format!("{}/datapackage.json", url.trim_end_matches('/')))?
    };
    let dir = descriptor.join(".")?;
    let mut warnings = Vec::new();
    let resources: HashMap<String, String> = match client
        .get_optional(descriptor.as_str(), "application/json")
        .await?
    {
        Some(f) => match serde_json::from_slice::<Value>(&f.bytes) {
            Ok(json) => datapackage::resource_paths(&json),
            Err(_) => HashMap::new(),
        },
        None => HashMap::new(),
    };
    if resources.is_empty() {
        warnings.push(format!(
            "{descriptor} lists no resources: reading the HSDS tables by their standard file names"
        ));
    }
    let mut files = Vec::new();
    for (name, standard) in TABLES {
        let candidates: Vec<String> = match resources.get(*name) {
            Some(path) => vec![path.clone()],
            None => standard.iter().map(|s| (*s).to_owned()).collect(),
        };
        for path in candidates {
            let table = dir
                .join(&path)
                .with_context(|| format!("resource {name}: '{path}'"))?;
            if table.origin() != descriptor.origin() {
                warnings.push(format!(
                    "resource {name} is on another host ({table}): not fetched"
                ));
                continue;
            }
            if let Some(f) = client.get_optional(table.as_str(), "text/csv").await? {
                files.push(TableFile {
                    name,
                    label: table.to_string(),
                    bytes: f.bytes,
                });
                break;
            }
        }
    }
    datapackage::assemble(files, warnings, dir.as_str())
}
