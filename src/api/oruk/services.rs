//! `/services` and `/services/{id}`: which published services match the filters, and the
//! services written as HSDS, paged, streamed as NDJSON or one at a time.

use axum::{
    Json,
    body::Body,
    extract::{Path, RawQuery, State},
    http::header,
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};
use uuid::Uuid;

use super::params::{Params, ServiceParams, page, page_slice};
use super::{BATCH, parse_id};
use crate::AppState;
use crate::domain::Service;
use crate::error::{AppError, Result};
use crate::oruk::{self, hsds, schedule};
use crate::search::SearchQuery;

/// Every published service matching the parameters, in order.
pub(super) async fn matching_services(state: &AppState, sp: ServiceParams) -> Result<Vec<Uuid>> {
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
pub(super) async fn load_services(
    state: &AppState,
    ids: &[Uuid],
) -> Result<(Vec<Service>, hsds::Related)> {
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
pub(super) fn ndjson<T, F, Fut>(ids: Vec<T>, write: F) -> Response
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

/// Services as `/services` lists them: one-to-one fields, or only ids and dates.
fn list_items(services: &[Service], rel: &hsds::Related, is_minimal: bool) -> Vec<Value> {
    services
        .iter()
        .map(|s| {
            if is_minimal {
                minimal(s)
            } else {
                hsds::service_list_item(s, rel)
            }
        })
        .collect()
}

pub(super) async fn services(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> Result<Response> {
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
                Ok(list_items(&services, &rel, is_minimal))
            }
        }));
    }
    let (services, rel) = load_services(&state, &page_slice(&ids, page_number, per_page)).await?;
    let contents = list_items(&services, &rel, is_minimal);
    Ok(Json(page(contents, ids.len(), page_number, per_page)).into_response())
}

pub(super) async fn service(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Value>> {
    let id = parse_id("service", &id)?;
    let (services, rel) = load_services(&state, &[id]).await?;
    let s = services
        .first()
        .ok_or_else(|| AppError::NotFound(format!("service {id}")))?;
    Ok(Json(hsds::service_full(s, &rel)))
}
