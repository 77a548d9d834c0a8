//! `GET /api/v1/search` and `/api/v1/search.geojson`: one search over services, spaces,
//! organisations and assets, by what and where. Parameters are read and checked here (every
//! mistake is a 400 naming the parameter); the search itself is `crate::search::query`.

use axum::{
    Json, Router,
    extract::{RawQuery, State},
    routing::get,
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::extract::MAX_PER_PAGE;
use crate::AppState;
use crate::domain::{
    RecordKind, validate,
    vocab::{Accessibility, Facility},
};
use crate::error::{AppError, Result};
use crate::search::{Facets, SearchHit, SearchQuery, Sort};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/search", get(search_json))
        .route(
            "/api/v1/search.geojson",
            get(super::search_formats::search_geojson),
        )
        .route("/api/v1/search.csv", get(super::search_formats::search_csv))
}

/// Default and largest search radius, in metres.
pub const DEFAULT_RADIUS_M: f64 = 5000.0;
pub const MAX_RADIUS_M: f64 = 100_000.0;

/// The kinds a search covers when `kind` is not given.
const SEARCHABLE: [RecordKind; 4] = [
    RecordKind::Service,
    RecordKind::Space,
    RecordKind::Organisation,
    RecordKind::Asset,
];

pub(crate) fn bad(field: &str, message: impl Into<String>) -> AppError {
    AppError::bad_request("invalid_parameter", message, Some(field))
}

/// A search as asked, checked, with the place resolved.
pub struct Parsed {
    pub query: SearchQuery,
    pub page: u64,
    pub per_page: u64,
    pub notices: Vec<String>,
}

pub(crate) fn flag(field: &str, v: &str) -> Result<bool> {
    match v {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" | "" => Ok(false),
        other => Err(bad(
            field,
            format!("{field} must be true or false (got '{other}')"),
        )),
    }
}

fn number<T: std::str::FromStr>(field: &str, v: &str) -> Result<T> {
    v.trim()
        .parse()
        .map_err(|_| bad(field, format!("{field} must be a number (got '{v}')")))
}

/// Reads the query string. Repeatable parameters may be given several times or
/// comma-separated.
pub async fn parse(state: &AppState, raw: &str) -> Result<Parsed> {
    let mut q = SearchQuery {
        include_remote: true,
        ..SearchQuery::default()
    };
    let mut page = 1u64;
    let mut per_page = 20u64;
    let mut near: Option<String> = None;
    let mut radius: Option<f64> = None;
    let mut open_now = false;
    let mut include_stale = false;
    let mut notices = Vec::new();
    for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
        let v = value.trim();
        let many = || {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        match key.as_ref() {
            "q" => {
                q.typing = !value.ends_with(' ');
                q.text = Some(v.to_owned()).filter(|t| !t.is_empty());
                if v.chars().count() > 200 {
                    return Err(bad("q", "q is too long: use at most 200 characters"));
                }
            }
            "kind" => {
                for k in many() {
                    let kind = RecordKind::parse(&k)
                        .filter(|k| SEARCHABLE.contains(k))
                        .ok_or_else(|| {
                            bad(
                                "kind",
                                format!(
                                    "kind must be service, space, organisation or asset (got '{k}')"
                                ),
                            )
                        })?;
                    q.kinds.push(kind);
                }
            }
            "category" => {
                for c in many() {
                    let known = match c.parse::<uuid::Uuid>() {
                        Ok(id) => state
                            .store
                            .name_of(RecordKind::TaxonomyTerm, id)
                            .await?
                            .is_some(),
                        Err(_) => state
                            .store
                            .term_id_by_slug(&c.to_lowercase())
                            .await?
                            .is_some(),
                    };
                    if !known {
                        return Err(bad(
                            "category",
                            format!("there is no category '{c}': see /api/v1/taxonomy-terms"),
                        ));
                    }
                    q.categories.push(if c.parse::<uuid::Uuid>().is_ok() {
                        c
                    } else {
                        c.to_lowercase()
                    });
                }
            }
            "near" => near = Some(v.to_owned()).filter(|s| !s.is_empty()),
            "radius" => {
                let r: f64 = number("radius", v)?;
                if !(1.0..=MAX_RADIUS_M).contains(&r) {
                    return Err(bad(
                        "radius",
                        format!("radius must be from 1 to {MAX_RADIUS_M} metres"),
                    ));
                }
                radius = Some(r);
            }
            "within" => {
                let code = v.to_uppercase();
                if crate::geo::boundaries::read(&state.boundaries)
                    .get(&code)
                    .is_none()
                {
                    return Err(bad(
                        "within",
                        format!("there is no boundary with code '{v}': see /api/v1/boundaries"),
                    ));
                }
                q.within = Some(code);
            }
            "bbox" => {
                let parts: Vec<f64> = v
                    .split(',')
                    .map(|p| number("bbox", p))
                    .collect::<Result<_>>()?;
                let ok = parts.len() == 4
                    && parts[0] < parts[2]
                    && parts[1] < parts[3]
                    && validate::point(parts[1], parts[0]).is_ok()
                    && validate::point(parts[3], parts[2]).is_ok();
                if !ok {
                    return Err(bad(
                        "bbox",
                        "bbox must be minLon,minLat,maxLon,maxLat in WGS84 degrees",
                    ));
                }
                q.bbox = Some([parts[0], parts[1], parts[2], parts[3]]);
            }
            "open_now" => open_now = flag("open_now", v)?,
            "open_at" => {
                let at = DateTime::parse_from_rfc3339(v).map_err(|_| {
                    bad(
                        "open_at",
                        "open_at must be an RFC 3339 time, e.g. 2026-11-25T10:00:00Z",
                    )
                })?;
                q.open_at = Some(at.with_timezone(&Utc));
            }
            "free" => q.free = flag("free", v)?,
            "accessibility" => {
                for a in many() {
                    if !Accessibility::ALL.iter().any(|x| x.as_str() == a) {
                        let all: Vec<&str> =
                            Accessibility::ALL.iter().map(|x| x.as_str()).collect();
                        return Err(bad(
                            "accessibility",
                            format!(
                                "unknown accessibility feature '{a}'; use one of {}",
                                all.join(", ")
                            ),
                        ));
                    }
                    q.accessibility.push(a);
                }
            }
            "age" => {
                let age: i32 = number("age", v)?;
                if !(0..=130).contains(&age) {
                    return Err(bad("age", "age must be from 0 to 130"));
                }
                q.age = Some(age);
            }
            "capacity" => {
                let n: i32 = number("capacity", v)?;
                if !(1..=100_000).contains(&n) {
                    return Err(bad(
                        "capacity",
                        "capacity is how many people the space must hold: from 1 to 100000",
                    ));
                }
                q.min_capacity = Some(n);
            }
            "facility" => {
                for x in many() {
                    if !Facility::ALL.iter().any(|f| f.as_str() == x) {
                        let all: Vec<&str> = Facility::ALL.iter().map(|f| f.as_str()).collect();
                        return Err(bad(
                            "facility",
                            format!("unknown facility '{x}'; use one of {}", all.join(", ")),
                        ));
                    }
                    q.facilities.push(x);
                }
            }
            "max_price" => {
                let max: f64 = number("max_price", v)?;
                if !(max.is_finite() && (0.0..=10_000.0).contains(&max)) {
                    return Err(bad(
                        "max_price",
                        "max_price is in pounds an hour: from 0 to 10000",
                    ));
                }
                q.max_hourly_rate = Some(max);
            }
            "language" => {
                for l in many() {
                    let mut one = vec![l];
                    validate::languages("language", &mut one)
                        .map_err(|e| bad("language", e.message))?;
                    q.languages.extend(one);
                }
            }
            "sort" => {
                q.sort = match v {
                    "" | "relevance" => Sort::Relevance,
                    "distance" => Sort::Distance,
                    "name" => Sort::Name,
                    "recently_verified" => Sort::RecentlyVerified,
                    other => {
                        return Err(bad(
                            "sort",
                            format!(
                                "sort must be relevance, distance, name or recently_verified (got '{other}')"
                            ),
                        ));
                    }
                }
            }
            "include_closed" => q.include_closed = flag("include_closed", v)?,
            "include_stale" => include_stale = flag("include_stale", v)?,
            "facets" => q.skip_facets = !flag("facets", v)?,
            "remote" => q.include_remote = flag("remote", v)?,
            "page" => {
                page = number("page", v)?;
                if page == 0 {
                    return Err(bad("page", "page starts at 1"));
                }
            }
            "per_page" => {
                per_page = number("per_page", v)?;
                if !(1..=MAX_PER_PAGE).contains(&per_page) {
                    return Err(bad(
                        "per_page",
                        format!("per_page must be from 1 to {MAX_PER_PAGE}"),
                    ));
                }
            }
            other => return Err(bad(other, format!("unknown parameter '{other}'"))),
        }
    }
    // Overdue records rank lower; stale ones (past the grace period) only when asked for.
    q.freshness = Some(crate::search::Freshness::at(
        &state.config.reviews(),
        Utc::now(),
        include_stale,
    ));
    if open_now && q.open_at.is_none() {
        q.open_at = Some(Utc::now());
    }
    if q.kinds.is_empty() {
        q.kinds = SEARCHABLE.to_vec();
    }
    if let Some(place) = near {
        let (point, notice) = super::places::resolve(state, &place).await?;
        notices.extend(notice);
        q.near_boundaries =
            crate::geo::boundaries::read(&state.boundaries).codes_at(point.0, point.1);
        q.near = Some(point);
        q.radius_m = Some(radius.unwrap_or(DEFAULT_RADIUS_M));
    } else if radius.is_some() {
        return Err(bad(
            "radius",
            "radius needs near: say where to measure from",
        ));
    }
    if q.sort == Sort::Distance && q.near.is_none() {
        return Err(bad(
            "sort",
            "sort=distance needs near: say where to measure from",
        ));
    }
    q.offset = usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
    q.limit = per_page as usize;
    Ok(Parsed {
        query: q,
        page,
        per_page,
        notices,
    })
}

/// One search result.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchItem {
    pub kind: String,
    pub id: uuid::Uuid,
    pub name: String,
    /// The start of the description, plain text.
    pub summary: String,
    /// The summary with the matched words in `<mark>` (a synonym's other phrase, such as
    /// "food bank" for `foodbank`, only where its words stand together), HTML-escaped; present
    /// when words matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary_html: Option<String>,
    /// Metres from `near` to the nearest of the record's public points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_m: Option<f64>,
    /// True when it was found because one of its service areas covers `near` (distance 0).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub covers_area: bool,
    /// True for a record with no site (phone, online) that is available anywhere.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub remote: bool,
    /// Whether it is open now (or at `open_at`), when its hours are known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_now: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opening_hours: Option<String>,
    /// A service's operational status, when it is not `active`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    pub free: bool,
    pub categories: Vec<String>,
    pub accessibility: Vec<String>,
    /// Public point `[longitude, latitude]` nearest to `near` (or the first one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub point: Option<[f64; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_verified_at: Option<DateTime<Utc>>,
    /// How many people it holds (a space; an asset: its own figure or its largest space's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity: Option<i32>,
    /// Its facilities (an asset: its own and its spaces').
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub facilities: Vec<String>,
    /// The usual rate in pounds an hour (an asset: its cheapest space's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hourly_rate: Option<f64>,
    /// How to ask to use a space or an asset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub how_to_ask: Option<crate::search::Ask>,
}

impl SearchItem {
    pub(crate) fn from_hit(hit: SearchHit, near: Option<(f64, f64)>) -> SearchItem {
        let c = hit.card;
        let point = match near {
            Some(p) => c
                .points
                .iter()
                .min_by(|a, b| {
                    crate::geo::haversine_m(p, (a[0], a[1]))
                        .total_cmp(&crate::geo::haversine_m(p, (b[0], b[1])))
                })
                .copied(),
            None => c.points.first().copied(),
        };
        SearchItem {
            kind: c.kind,
            id: c.id,
            name: c.name,
            summary: c.summary,
            summary_html: hit.summary_html,
            distance_m: hit.distance_m.map(|d| d.round()),
            covers_area: hit.covers_area,
            remote: c.remote,
            open_now: hit.open_now,
            opening_hours: c.opening_hours,
            status: c.status.filter(|s| s != "active"),
            free: c.free,
            categories: c.top_categories,
            accessibility: c.accessibility,
            point,
            last_verified_at: c.last_verified_at,
            capacity: c.capacity,
            facilities: c.facilities,
            hourly_rate: c.hourly_rate,
            how_to_ask: c.ask,
        }
    }
}

/// A page of search results.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchBody {
    pub items: Vec<SearchItem>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    /// Left out when the search asked for `facets=false`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
    /// Things the person should know: a postcode found only by its district, words left out.
    pub notices: Vec<String>,
}

/// Reads and runs a search: the API's handlers and the website's pages both call this, so a
/// page shows exactly what the API returns for the same query string.
pub(crate) async fn run(
    state: &AppState,
    raw: Option<String>,
) -> Result<(SearchBody, Option<(f64, f64)>)> {
    let parsed = parse(state, raw.as_deref().unwrap_or_default()).await?;
    let near = parsed.query.near;
    let facets = !parsed.query.skip_facets;
    let search = state.search.clone();
    let query = parsed.query;
    let results = tokio::task::spawn_blocking(move || search.search(&query))
        .await
        .map_err(anyhow::Error::from)??;
    let mut notices = parsed.notices;
    notices.extend(results.notices);
    Ok((
        SearchBody {
            items: results
                .hits
                .into_iter()
                .map(|h| SearchItem::from_hit(h, near))
                .collect(),
            total: results.total as u64,
            page: parsed.page,
            per_page: parsed.per_page,
            facets: facets.then_some(results.facets),
            notices,
        },
        near,
    ))
}

async fn search_json(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<SearchBody>> {
    Ok(Json(run(&state, raw).await?.0))
}
