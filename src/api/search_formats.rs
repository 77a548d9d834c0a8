//! `/api/v1/search.geojson` and `/api/v1/search.csv`: the same search and page as
//! `/api/v1/search`, as an RFC 7946 FeatureCollection or as CSV; with `all=true`, every match
//! of the search in the same order, streamed a chunk at a time (`search::export`) so a large
//! export never holds the whole set in memory.

use axum::{
    body::Body,
    extract::{RawQuery, State},
    http::header,
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};

use super::search::{SearchItem, bad, flag, parse, run};
use crate::AppState;
use crate::domain::RecordKind;
use crate::error::Result;
use crate::search::export::Export;

/// Cards read per chunk of an export.
const CHUNK: usize = 200;

const CSV_HEADER: [&str; 15] = [
    "kind",
    "id",
    "name",
    "summary",
    "distance_m",
    "open_now",
    "opening_hours",
    "status",
    "free",
    "categories",
    "accessibility",
    "longitude",
    "latitude",
    "last_verified_at",
    "url",
];

const GEOJSON: &str = "application/geo+json";
const CSV: &str = "text/csv; charset=utf-8";

#[derive(Clone, Copy)]
enum Format {
    Csv,
    GeoJson,
}

/// The same search as an RFC 7946 FeatureCollection; records without a point are left out.
pub async fn search_geojson(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response> {
    let (all, raw) = split_all(raw)?;
    if all {
        return export(&state, raw, Format::GeoJson).await;
    }
    let (body, _) = run(&state, raw).await?;
    let features: Vec<Value> = body.items.into_iter().filter_map(feature).collect();
    let collection = json!({
        "type": "FeatureCollection",
        "features": features,
        "total": body.total,
        "notices": body.notices,
    });
    Ok(([(header::CONTENT_TYPE, GEOJSON)], collection.to_string()).into_response())
}

/// The same search as CSV (RFC 4180, UTF-8, a header row), one row per result on the page.
pub async fn search_csv(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response> {
    let (all, raw) = split_all(raw)?;
    if all {
        return export(&state, raw, Format::Csv).await;
    }
    let (body, _) = run(&state, raw).await?;
    let base = state.config.public_url();
    let bytes = csv_rows(true, body.items, &base)?;
    Ok(([(header::CONTENT_TYPE, CSV)], bytes).into_response())
}

/// Takes `all` out of the query string: the search itself doesn't know it. With `all=true`,
/// `page` and `per_page` mean nothing, so asking for both is an error.
fn split_all(raw: Option<String>) -> Result<(bool, Option<String>)> {
    let raw = raw.unwrap_or_default();
    let mut all = false;
    let mut rest = form_urlencoded::Serializer::new(String::new());
    let mut paged = None;
    for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
        match key.as_ref() {
            "all" => all = flag("all", value.trim())?,
            "page" | "per_page" => {
                paged = Some(key.clone().into_owned());
                rest.append_pair(&key, &value);
            }
            _ => {
                rest.append_pair(&key, &value);
            }
        }
    }
    if let (true, Some(p)) = (all, paged) {
        return Err(bad(
            "all",
            format!("all=true exports every match: leave out {p}"),
        ));
    }
    Ok((all, Some(rest.finish())))
}

/// Every match of the search, streamed: the search runs once on one index snapshot, then
/// each chunk's cards are read and written as the client takes them.
async fn export(state: &AppState, raw: Option<String>, format: Format) -> Result<Response> {
    let parsed = parse(state, raw.as_deref().unwrap_or_default()).await?;
    let near = parsed.query.near;
    let mut query = parsed.query;
    query.skip_facets = true;
    let search = state.search.clone();
    let exported = tokio::task::spawn_blocking(move || search.export(&query))
        .await
        .map_err(anyhow::Error::from)??;
    let base = state.config.public_url();
    let mut notices = parsed.notices;
    notices.extend(exported.notices.iter().cloned());
    let head = match format {
        Format::Csv => csv_rows(true, Vec::new(), &base)?,
        Format::GeoJson => {
            // `features` last, so the count and notices can come first.
            let opening = json!({
                "type": "FeatureCollection",
                "total": exported.total,
                "notices": notices,
            })
            .to_string();
            let mut head = opening.trim_end_matches('}').to_owned();
            head.push_str(",\"features\":[");
            head.into_bytes()
        }
    };
    let progress = Progress {
        head: Some(head),
        export: Some(exported),
        first: true,
    };
    let body =
        futures_util::stream::unfold(progress, move |p| next_chunk(p, format, near, base.clone()));
    let content_type = match format {
        Format::Csv => CSV,
        Format::GeoJson => GEOJSON,
    };
    Ok((
        [(header::CONTENT_TYPE, content_type)],
        Body::from_stream(body),
    )
        .into_response())
}

/// Where a streamed export has got to.
struct Progress {
    /// The header row, or the collection's opening, not yet sent.
    head: Option<Vec<u8>>,
    /// `None` once every match is written (or reading failed).
    export: Option<Export>,
    /// No feature written yet (GeoJSON separates them with commas).
    first: bool,
}

/// The next piece of an export's body: the head, then a chunk of rows or features at a time,
/// then (GeoJSON) the closing brackets. A failure part-way is logged and ends the body short:
/// the status is already sent.
async fn next_chunk(
    mut p: Progress,
    format: Format,
    near: Option<(f64, f64)>,
    base: String,
) -> Option<(std::io::Result<Vec<u8>>, Progress)> {
    if let Some(head) = p.head.take() {
        return Some((Ok(head), p));
    }
    let mut export = p.export.take()?;
    let read = tokio::task::spawn_blocking(move || {
        let hits = export.next_chunk(CHUNK);
        (export, hits)
    })
    .await;
    let (export, hits) = match read {
        Ok((export, Ok(hits))) => (export, hits),
        Ok((_, Err(e))) => return Some((Err(failed(&e)), p)),
        Err(e) => return Some((Err(failed(&anyhow::Error::from(e))), p)),
    };
    if hits.is_empty() {
        return match format {
            Format::Csv => None,
            Format::GeoJson => Some((Ok(b"]}".to_vec()), p)),
        };
    }
    let items: Vec<SearchItem> = hits
        .into_iter()
        .map(|h| SearchItem::from_hit(h, near))
        .collect();
    let bytes = match format {
        Format::Csv => csv_rows(false, items, &base).map_err(|e| failed(&e)),
        Format::GeoJson => {
            let mut out = Vec::new();
            for f in items.into_iter().filter_map(feature) {
                if !p.first {
                    out.push(b',');
                }
                p.first = false;
                out.extend_from_slice(f.to_string().as_bytes());
            }
            Ok(out)
        }
    };
    p.export = Some(export);
    Some((bytes, p))
}

fn failed(e: &anyhow::Error) -> std::io::Error {
    tracing::error!(error = %format!("{e:#}"), "search export failed part-way");
    std::io::Error::other("search export failed")
}

/// One result as a GeoJSON Feature; `None` for a record without a point.
fn feature(item: SearchItem) -> Option<Value> {
    let [lon, lat] = item.point?;
    let mut properties = serde_json::to_value(&item).ok()?;
    if let Some(p) = properties.as_object_mut() {
        p.remove("point");
    }
    Some(json!({
        "type": "Feature",
        "id": item.id,
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": properties,
    }))
}

/// Results as CSV rows, after the header row when `header`.
fn csv_rows(header: bool, items: Vec<SearchItem>, base: &str) -> anyhow::Result<Vec<u8>> {
    let mut out = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    if header {
        out.write_record(CSV_HEADER)?;
    }
    for item in items {
        let kind = RecordKind::parse(&item.kind);
        let url = kind.map_or(String::new(), |k| {
            format!("{base}/api/v1/{}/{}", k.resource(), item.id)
        });
        let opt = |v: Option<String>| v.unwrap_or_default();
        out.write_record([
            item.kind.clone(),
            item.id.to_string(),
            item.name,
            item.summary,
            opt(item.distance_m.map(|d| d.to_string())),
            opt(item.open_now.map(|b| b.to_string())),
            opt(item.opening_hours),
            opt(item.status),
            item.free.to_string(),
            item.categories.join(";"),
            item.accessibility.join(";"),
            opt(item.point.map(|p| p[0].to_string())),
            opt(item.point.map(|p| p[1].to_string())),
            opt(item.last_verified_at.map(|t| t.to_rfc3339())),
            url,
        ])?;
    }
    out.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}
