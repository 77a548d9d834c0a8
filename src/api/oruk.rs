//! The Open Referral UK 3.0 API under `/oruk`: public, read-only, no authentication, CORS `*`
//! on every response. Pages are ORUK's `Page` (`total_items`, `total_pages`, `page_number`,
//! `size`, `first_page`, `last_page`, `empty`, `contents`); `format=ndjson` streams every
//! match instead, one object a line; `minimal=true` lists only ids and modified dates.
//! The objects themselves are written by `crate::oruk::hsds` from public views.

use std::collections::HashMap;

use axum::{
    Json, Router,
    body::Body,
    extract::{Path, RawQuery, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
    routing::get,
};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use tower_http::set_header::SetResponseHeaderLayer;
use uuid::Uuid;

use crate::AppState;
use crate::domain::{Location, Service, TaxonomyTerm};
use crate::error::{AppError, Result};
use crate::oruk::{self, hsds, schedule};
use crate::search::SearchQuery;
use crate::store::oruk::ServiceFilter;

/// Where the API is mounted.
pub const BASE: &str = "/oruk";
/// Default and largest page sizes.
const DEFAULT_PER_PAGE: u64 = 50;
const MAX_PER_PAGE: u64 = 1000;
/// Records loaded at once while filtering by schedule or streaming.
const BATCH: usize = 200;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(BASE, get(meta))
        .route(&format!("{BASE}/"), get(meta))
        .route(&format!("{BASE}/services"), get(services))
        .route(&format!("{BASE}/services/{{id}}"), get(service))
        .route(
            &format!("{BASE}/service_at_locations"),
            get(service_at_locations),
        )
        .route(
            &format!("{BASE}/service_at_locations/{{id}}"),
            get(service_at_location),
        )
        .route(&format!("{BASE}/taxonomies"), get(taxonomies))
        .route(&format!("{BASE}/taxonomies/{{id}}"), get(taxonomy))
        .route(&format!("{BASE}/taxonomy_terms"), get(taxonomy_terms))
        .route(&format!("{BASE}/taxonomy_terms/{{id}}"), get(taxonomy_term))
        .route(
            &format!("{BASE}/{{*rest}}"),
            get(|| async { AppError::NotFound("no such ORUK endpoint".into()) }),
        )
        .layer(SetResponseHeaderLayer::overriding(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ))
}

fn bad(field: &str, message: impl Into<String>) -> AppError {
    AppError::bad_request("invalid_parameter", message, Some(field))
}

/// The query string as name → value (the last value wins).
struct Params(HashMap<String, String>);

impl Params {
    fn read(raw: Option<String>) -> Params {
        Params(
            form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
                .map(|(k, v)| (k.into_owned(), v.trim().to_owned()))
                .filter(|(_, v)| !v.is_empty())
                .collect(),
        )
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    fn uuid(&self, name: &str) -> Result<Option<Uuid>> {
        self.get(name)
            .map(|v| {
                v.parse()
                    .map_err(|_| bad(name, format!("{name} must be a UUID (got '{v}')")))
            })
            .transpose()
    }

    fn number<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>> {
        self.get(name)
            .map(|v| {
                v.parse()
                    .map_err(|_| bad(name, format!("{name} must be a number (got '{v}')")))
            })
            .transpose()
    }

    fn flag(&self, name: &str) -> Result<bool> {
        match self.get(name) {
            None | Some("false") | Some("0") => Ok(false),
            Some("true") | Some("1") => Ok(true),
            Some(v) => Err(bad(
                name,
                format!("{name} must be true or false (got '{v}')"),
            )),
        }
    }

    fn paging(&self) -> Result<(u64, u64)> {
        let page = self.number::<u64>("page")?.unwrap_or(1);
        if page == 0 {
            return Err(bad("page", "page numbers start at 1"));
        }
        let per_page = self.number::<u64>("per_page")?.unwrap_or(DEFAULT_PER_PAGE);
        if !(1..=MAX_PER_PAGE).contains(&per_page) {
            return Err(bad(
                "per_page",
                format!("per_page must be from 1 to {MAX_PER_PAGE}"),
            ));
        }
        Ok((page, per_page))
    }

    fn ndjson(&self) -> Result<bool> {
        match self.get("format") {
            None | Some("json") => Ok(false),
            Some("ndjson") => Ok(true),
            Some(v) => Err(bad(
                "format",
                format!("format must be json or ndjson (got '{v}')"),
            )),
        }
    }
}

/// One ORUK page around `contents`.
fn page(contents: Vec<Value>, total: usize, page: u64, per_page: u64) -> Value {
    let total = total as u64;
    let total_pages = total.div_ceil(per_page).max(1);
    json!({
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": per_page,
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": contents.is_empty(),
        "contents": contents,
    })
}

fn page_slice<T: Clone>(all: &[T], page: u64, per_page: u64) -> Vec<T> {
    let start = ((page - 1) * per_page) as usize;
    all.iter()
        .skip(start)
        .take(per_page as usize)
        .cloned()
        .collect()
}

async fn meta() -> Json<Value> {
    Json(json!({
        "version": "3.0",
        "profile": oruk::PROFILE_URI,
        "openapi_url": oruk::OPENAPI_URL,
    }))
}

/// The service filters of `/services` and `/service_at_locations`, checked.
struct ServiceParams {
    filter: ServiceFilter,
    text: Option<String>,
    day: Option<&'static str>,
    start_time: Option<String>,
    end_time: Option<String>,
}

impl ServiceParams {
    fn read(p: &Params) -> Result<ServiceParams> {
        let modified_after = p
            .get("modified_after")
            .map(|v| {
                DateTime::parse_from_rfc3339(v)
                    .map(|d| d.with_timezone(&Utc))
                    .or_else(|_| {
                        chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
                            .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
                    })
                    .map_err(|_| {
                        bad(
                            "modified_after",
                            format!(
                                "modified_after must be an RFC 3339 date-time or a date (got '{v}')"
                            ),
                        )
                    })
            })
            .transpose()?;
        let time = |name: &str| -> Result<Option<String>> {
            p.get(name)
                .map(|v| {
                    schedule::parse_time_param(v).ok_or_else(|| {
                        bad(
                            name,
                            format!("{name} must be a time like 09:30 (got '{v}')"),
                        )
                    })
                })
                .transpose()
        };
        let day = p
            .get("day")
            .map(|v| {
                schedule::parse_day(v).ok_or_else(|| {
                    bad(
                        "day",
                        format!("day must be a day of the week like MO or Monday (got '{v}')"),
                    )
                })
            })
            .transpose()?;
        let age = |name: &str| -> Result<Option<i32>> {
            Ok(p.number::<f64>(name)?.map(|a| a.floor() as i32))
        };
        Ok(ServiceParams {
            filter: ServiceFilter {
                ids: None,
                organisation_id: p.uuid("organization_id")?,
                taxonomy_term_id: p.uuid("taxonomy_term_id")?,
                taxonomy_id: p.uuid("taxonomy_id")?,
                minimum_age: age("minimum_age")?,
                maximum_age: age("maximum_age")?,
                modified_after,
            },
            text: p.get("search").map(str::to_owned),
            day,
            start_time: time("start_time")?,
            end_time: time("end_time")?,
        })
    }

    fn filters_hours(&self) -> bool {
        self.day.is_some() || self.start_time.is_some() || self.end_time.is_some()
    }
}

/// Every published service matching the parameters, in order.
async fn matching_services(state: &AppState, sp: ServiceParams) -> Result<Vec<Uuid>> {
    let mut filter = sp.filter.clone();
    if let Some(text) = &sp.text {
        let search = state.search.clone();
        let text = text.clone();
        let ids = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<Uuid>> {
            let mut q = SearchQuery {
                text: Some(text),
                kinds: vec![crate::domain::RecordKind::Service],
                include_closed: true,
                include_remote: true,
                limit: 1,
                ..SearchQuery::default()
            };
            let total = search.search(&q)?.total;
            q.limit = total.max(1);
            Ok(search
                .search(&q)?
                .hits
                .into_iter()
                .map(|h| h.card.id)
                .collect())
        })
        .await
        .map_err(anyhow::Error::from)??;
        filter.ids = Some(ids);
    }
    let ids = state.store.oruk_service_ids(&filter).await?;
    if !sp.filters_hours() {
        return Ok(ids);
    }
    let mut kept = Vec::new();
    for chunk in ids.chunks(BATCH) {
        for s in state.store.get_many::<Service>(chunk).await? {
            let hours = s.opening_hours.as_deref().and_then(schedule::from_osm);
            if schedule::matches(
                hours.as_ref(),
                sp.day,
                sp.start_time.as_deref(),
                sp.end_time.as_deref(),
            ) {
                kept.push(s.id);
            }
        }
    }
    Ok(kept)
}

/// Public services by id, with what they point at.
async fn load_services(state: &AppState, ids: &[Uuid]) -> Result<(Vec<Service>, hsds::Related)> {
    let services = state.store.public_many::<Service>(ids).await?;
    let related = state
        .store
        .oruk_related(&services, &state.config.public_url())
        .await?;
    Ok((services, related))
}

fn minimal(s: &Service) -> Value {
    oruk::prune_owned(json!({
        "id": s.id,
        "modified_date": s.updated_at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)),
    }))
}

/// Streams `ids` as NDJSON, loading and writing a batch at a time.
fn ndjson<T, F, Fut>(ids: Vec<T>, write: F) -> Response
where
    T: Send + Sync + Clone + 'static,
    F: Fn(Vec<T>) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<Vec<Value>>> + Send,
{
    let chunks: Vec<Vec<T>> = ids.chunks(BATCH).map(<[T]>::to_vec).collect();
    let stream = futures_util::stream::unfold(
        (chunks.into_iter(), write),
        |(mut rest, write)| async move {
            let chunk = rest.next()?;
            let lines = match write(chunk).await {
                Ok(values) => values
                    .into_iter()
                    .map(|v| format!("{v}\n"))
                    .collect::<String>(),
                Err(e) => {
                    // Headers are gone: end the stream early; the client sees a short body.
                    tracing::error!(error = %e, "ORUK NDJSON stream failed");
                    return Some((
                        Err(std::io::Error::other("stream failed")),
                        (Vec::new().into_iter(), write),
                    ));
                }
            };
            Some((Ok::<_, std::io::Error>(lines), (rest, write)))
        },
    );
    (
        [(header::CONTENT_TYPE, "application/x-ndjson")],
        Body::from_stream(stream),
    )
        .into_response()
}

async fn services(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Response> {
    let p = Params::read(raw);
    let (page_number, per_page) = p.paging()?;
    let is_minimal = p.flag("minimal")?;
    let is_ndjson = p.ndjson()?;
    let ids = matching_services(&state, ServiceParams::read(&p)?).await?;
    if is_ndjson {
        let st = state.clone();
        return Ok(ndjson(ids, move |chunk| {
            let st = st.clone();
            async move {
                let (services, rel) = load_services(&st, &chunk).await?;
                Ok(services
                    .iter()
                    .map(|s| {
                        if is_minimal {
                            minimal(s)
                        } else {
                            hsds::service_list_item(s, &rel)
                        }
                    })
                    .collect())
            }
        }));
    }
    let (services, rel) = load_services(&state, &page_slice(&ids, page_number, per_page)).await?;
    let contents = services
        .iter()
        .map(|s| {
            if is_minimal {
                minimal(s)
            } else {
                hsds::service_list_item(s, &rel)
            }
        })
        .collect();
    Ok(Json(page(contents, ids.len(), page_number, per_page)).into_response())
}

fn parse_id(kind: &str, raw: &str) -> Result<Uuid> {
    raw.parse()
        .map_err(|_| AppError::NotFound(format!("{kind} '{raw}'")))
}

async fn service(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>> {
    let id = parse_id("service", &id)?;
    let (services, rel) = load_services(&state, &[id]).await?;
    let s = services
        .first()
        .ok_or_else(|| AppError::NotFound(format!("service {id}")))?;
    Ok(Json(hsds::service_full(s, &rel)))
}

/// The point `postcode` stands for; a place it can't find is `invalid_postcode`, naming the
/// ORUK parameter.
async fn postcode_point(state: &AppState, postcode: &str) -> Result<(f64, f64)> {
    match crate::api::places::resolve(state, postcode).await {
        Ok((point, _)) => Ok(point),
        Err(AppError::BadRequest { message, .. }) => Err(AppError::BadRequest {
            code: "invalid_postcode",
            message,
            field: Some("postcode".into()),
        }),
        Err(e) => Err(e),
    }
}

async fn service_at_locations(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response> {
    let p = Params::read(raw);
    let (page_number, per_page) = p.paging()?;
    let is_ndjson = p.ndjson()?;
    let proximity = p.number::<f64>("proximity")?;
    if proximity.is_some_and(|m| m.is_nan() || m <= 0.0) {
        return Err(bad(
            "proximity",
            "proximity must be a positive number of metres",
        ));
    }
    let near = match p.get("postcode") {
        Some(pc) => Some(postcode_point(&state, pc).await?),
        None if proximity.is_some() => {
            return Err(bad(
                "postcode",
                "proximity needs a postcode to measure from",
            ));
        }
        None => None,
    };
    let services = matching_services(&state, ServiceParams::read(&p)?).await?;
    let mut pairs = state.store.oruk_service_locations(Some(&services)).await?;
    if let Some(point) = near {
        // Nearest first; with `proximity`, only those within it.
        let mut loc_ids: Vec<Uuid> = pairs.iter().map(|(_, l)| *l).collect();
        loc_ids.sort();
        loc_ids.dedup();
        let mut distance: HashMap<Uuid, f64> = HashMap::new();
        for chunk in loc_ids.chunks(BATCH) {
            for l in state.store.public_many::<Location>(chunk).await? {
                distance.insert(l.id, crate::geo::haversine_m(point, l.lon_lat()));
            }
        }
        pairs.retain(|(_, l)| {
            distance
                .get(l)
                .is_some_and(|d| proximity.is_none_or(|max| *d <= max))
        });
        pairs.sort_by(|a, b| {
            let da = distance.get(&a.1).copied().unwrap_or(f64::MAX);
            let db = distance.get(&b.1).copied().unwrap_or(f64::MAX);
            da.total_cmp(&db)
        });
    }
    let write = {
        let st = state.clone();
        move |chunk: Vec<(Uuid, Uuid)>| {
            let st = st.clone();
            async move { sal_list(&st, &chunk).await }
        }
    };
    if is_ndjson {
        return Ok(ndjson(pairs, write));
    }
    let contents = write(page_slice(&pairs, page_number, per_page)).await?;
    Ok(Json(page(contents, pairs.len(), page_number, per_page)).into_response())
}

async fn sal_list(state: &AppState, pairs: &[(Uuid, Uuid)]) -> Result<Vec<Value>> {
    let mut service_ids: Vec<Uuid> = pairs.iter().map(|(s, _)| *s).collect();
    service_ids.sort();
    service_ids.dedup();
    let (services, rel) = load_services(state, &service_ids).await?;
    let by_id: HashMap<Uuid, &Service> = services.iter().map(|s| (s.id, s)).collect();
    Ok(pairs
        .iter()
        .filter_map(|(s, l)| {
            let service = by_id.get(s)?;
            let location = rel.locations.get(l)?;
            Some(hsds::service_at_location_list_item(service, location, &rel))
        })
        .collect())
}

async fn service_at_location(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>> {
    let id = parse_id("service at location", &id)?;
    let pairs = state.store.oruk_service_locations(None).await?;
    let (sid, lid) = pairs
        .into_iter()
        .find(|(s, l)| oruk::service_at_location_id(*s, *l) == id)
        .ok_or_else(|| AppError::NotFound(format!("service at location {id}")))?;
    let (services, rel) = load_services(&state, &[sid]).await?;
    let (Some(s), Some(l)) = (services.first(), rel.locations.get(&lid)) else {
        return Err(AppError::NotFound(format!("service at location {id}")));
    };
    Ok(Json(hsds::service_at_location_full(s, l, &rel)))
}

async fn taxonomies(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Result<Json<Value>> {
    let p = Params::read(raw);
    let (page_number, per_page) = p.paging()?;
    let all = state.store.taxonomies().await?;
    let contents = page_slice(&all, page_number, per_page)
        .iter()
        .map(hsds::taxonomy)
        .collect();
    Ok(Json(page(contents, all.len(), page_number, per_page)))
}

async fn taxonomy(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>> {
    let id = parse_id("taxonomy", &id)?;
    let t = state
        .store
        .taxonomies()
        .await?
        .into_iter()
        .find(|t| t.id == id)
        .ok_or_else(|| AppError::NotFound(format!("taxonomy {id}")))?;
    Ok(Json(hsds::taxonomy(&t)))
}

async fn term_context(state: &AppState) -> Result<hsds::Related> {
    Ok(hsds::Related {
        taxonomies: state
            .store
            .taxonomies()
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect(),
        public_url: state.config.public_url(),
        ..hsds::Related::default()
    })
}

async fn taxonomy_terms(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>> {
    let p = Params::read(raw);
    let (page_number, per_page) = p.paging()?;
    let ids = state
        .store
        .oruk_term_ids(
            p.uuid("taxonomy_id")?,
            p.uuid("parent_id")?,
            p.flag("top_only")?,
        )
        .await?;
    let rel = term_context(&state).await?;
    let terms = state
        .store
        .public_many::<TaxonomyTerm>(&page_slice(&ids, page_number, per_page))
        .await?;
    let contents = terms.iter().map(|t| hsds::taxonomy_term(t, &rel)).collect();
    Ok(Json(page(contents, ids.len(), page_number, per_page)))
}

async fn taxonomy_term(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>> {
    let id = parse_id("taxonomy term", &id)?;
    let rel = term_context(&state).await?;
    let term = state
        .store
        .public_many::<TaxonomyTerm>(&[id])
        .await?
        .pop()
        .ok_or_else(|| AppError::NotFound(format!("taxonomy term {id}")))?;
    Ok(Json(hsds::taxonomy_term(&term, &rel)))
}

/// The ORUK paths for the OpenAPI document; their bodies are described by the ORUK 3.0 API
/// description this implements.
pub fn document_paths(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{
        ContentBuilder, HttpMethod, ObjectBuilder, ResponseBuilder, Type, path::OperationBuilder,
    };
    for (path, summary) in [
        (
            "/",
            "API version, profile and the ORUK 3.0 description it implements",
        ),
        (
            "/services",
            "Page of services (one-to-one fields and organisation)",
        ),
        ("/services/{id}", "Fully nested service"),
        ("/service_at_locations", "Page of services at locations"),
        (
            "/service_at_locations/{id}",
            "Fully nested service at a location",
        ),
        ("/taxonomies", "Page of taxonomies"),
        ("/taxonomies/{id}", "One taxonomy"),
        ("/taxonomy_terms", "Page of taxonomy terms"),
        ("/taxonomy_terms/{id}", "One taxonomy term"),
    ] {
        let op = OperationBuilder::new()
            .tag("Open Referral UK 3.0")
            .summary(Some(summary))
            .description(Some(format!(
                "Open Referral UK 3.0; parameters and bodies as in {}",
                oruk::OPENAPI_URL
            )))
            .response(
                "200",
                ResponseBuilder::new().description(summary).content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(ObjectBuilder::new().schema_type(Type::Object)))
                        .build(),
                ),
            );
        let full = if path == "/" {
            format!("{BASE}/")
        } else {
            format!("{BASE}{path}")
        };
        doc.paths
            .add_path_operation(full, vec![HttpMethod::Get], op);
    }
}
