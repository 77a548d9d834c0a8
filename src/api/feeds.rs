//! RPDE 1.0 change feeds at `/feeds/{kind}` (`services`, `spaces`, `organisations`,
//! `locations`, `assets`), read from the change log through the public view.
//!
//! - `modified` is the seq of the record's latest change (an integer), items are ordered by
//!   (modified, id), and `afterTimestamp` / `afterId` page through them.
//! - Each record appears once, at its latest state: `updated` with its public view as `data`,
//!   or `deleted` with no `data` when it was deleted, or is no longer published.
//! - A record that came from a source whose licence differs from the register's carries it
//!   in `data.licence`: `{id, attribution?, source}`.
//! - The last page has `items: []` and `next` equal to its own URL; pages with items are
//!   cacheable for an hour, the last page for 8 seconds (the spec's recommendation).

use axum::{
    Json, Router,
    extract::{Path, RawQuery, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
    routing::get,
};
use serde_json::{Value, json};
use tower_http::set_header::SetResponseHeaderLayer;
use uuid::Uuid;

use crate::AppState;
use crate::domain::{
    Asset, Location, Organisation, Publication, Record, RecordKind, Service, Space,
};
use crate::error::{AppError, Result};
use crate::store::{Change, SourceRef};

/// Items per page, by default and at most.
const DEFAULT_LIMIT: u64 = 500;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/feeds/{kind}", get(feed))
        .layer(SetResponseHeaderLayer::overriding(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        ))
}

/// The kinds with a feed, by the name in its URL.
pub fn kind_of(name: &str) -> Option<RecordKind> {
    match name {
        "services" => Some(RecordKind::Service),
        "spaces" => Some(RecordKind::Space),
        "organisations" => Some(RecordKind::Organisation),
        "locations" => Some(RecordKind::Location),
        "assets" => Some(RecordKind::Asset),
        _ => None,
    }
}

fn bad(field: &str, message: impl Into<String>) -> AppError {
    AppError::bad_request("invalid_parameter", message, Some(field))
}

/// The public view of a record as logged, or `None` when the public may not see it.
fn public<R: Record>(json: &Value) -> Option<Value> {
    let mut record: R = serde_json::from_value(json.clone()).ok()?;
    if record.publication() != Publication::Published {
        return None;
    }
    record.make_public();
    serde_json::to_value(record).ok()
}

fn public_data(kind: RecordKind, json: &Value) -> Option<Value> {
    match kind {
        RecordKind::Service => public::<Service>(json),
        RecordKind::Space => public::<Space>(json),
        RecordKind::Organisation => public::<Organisation>(json),
        RecordKind::Location => public::<Location>(json),
        RecordKind::Asset => public::<Asset>(json),
        RecordKind::TaxonomyTerm => None,
    }
}

/// A record's licence in its feed item, when its source's differs from the register's.
pub fn licence_field(source: &SourceRef) -> Value {
    crate::oruk::prune_owned(json!({
        "id": source.licence,
        "attribution": source.attribution,
        "source": source.name,
    }))
}

fn item(kind: RecordKind, change: &Change, licence: Option<&SourceRef>) -> Value {
    let data = change
        .record
        .as_ref()
        .filter(|_| change.op != "delete")
        .and_then(|r| public_data(kind, r))
        .map(|mut data| {
            if let (Some(source), Some(fields)) = (licence, data.as_object_mut()) {
                fields.insert("licence".into(), licence_field(source));
            }
            data
        });
    match data {
        Some(data) => json!({
            "state": "updated",
            "kind": kind.as_str(),
            "id": change.record_id,
            "modified": change.seq,
            "data": data,
        }),
        None => json!({
            "state": "deleted",
            "kind": kind.as_str(),
            "id": change.record_id,
            "modified": change.seq,
        }),
    }
}

struct Cursor {
    after_seq: i64,
    after_id: Option<Uuid>,
    limit: u64,
    given: bool,
}

fn cursor(raw: Option<String>) -> Result<Cursor> {
    let mut c = Cursor {
        after_seq: 0,
        after_id: None,
        limit: DEFAULT_LIMIT,
        given: false,
    };
    let mut has_ts = false;
    for (k, v) in form_urlencoded::parse(raw.unwrap_or_default().as_bytes()) {
        match k.as_ref() {
            "afterTimestamp" => {
                c.after_seq = v.trim().parse().map_err(|_| {
                    bad("afterTimestamp", format!("afterTimestamp must be a whole number (the `modified` of an item), got '{v}'"))
                })?;
                has_ts = true;
                c.given = true;
            }
            "afterId" => {
                c.after_id = Some(v.trim().parse().map_err(|_| {
                    bad(
                        "afterId",
                        format!("afterId must be the UUID of an item, got '{v}'"),
                    )
                })?);
            }
            "limit" => {
                c.limit = v
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| (1..=DEFAULT_LIMIT).contains(n))
                    .ok_or_else(|| {
                        bad("limit", format!("limit must be from 1 to {DEFAULT_LIMIT}"))
                    })?;
            }
            _ => {}
        }
    }
    if c.after_id.is_some() && !has_ts {
        return Err(bad("afterId", "afterId needs afterTimestamp"));
    }
    Ok(c)
}

fn url(base: &str, seq: i64, id: Option<Uuid>, limit: u64, given: bool) -> String {
    let mut params = Vec::new();
    if given {
        params.push(format!("afterTimestamp={seq}"));
        if let Some(id) = id {
            params.push(format!("afterId={id}"));
        }
    }
    if limit != DEFAULT_LIMIT {
        params.push(format!("limit={limit}"));
    }
    if params.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", params.join("&"))
    }
}

async fn feed(
    State(state): State<AppState>,
    Path(name): Path<String>,
    RawQuery(raw): RawQuery,
) -> Result<Response> {
    let kind = kind_of(&name).ok_or_else(|| {
        AppError::NotFound(format!(
            "feed '{name}' (feeds: services, spaces, organisations, locations, assets)"
        ))
    })?;
    let c = cursor(raw)?;
    let changes = state
        .store
        .latest_changes(kind, c.after_seq, c.after_id, c.limit)
        .await?;
    let base = format!("{}/feeds/{name}", state.config.public_url());
    let ids: Vec<Uuid> = changes.iter().map(|ch| ch.record_id).collect();
    let licences = state
        .store
        .other_licences(kind, &ids, state.config.licence())
        .await?;
    let items: Vec<Value> = changes
        .iter()
        .map(|ch| item(kind, ch, licences.get(&ch.record_id)))
        .collect();
    let (next, cache) = match changes.last() {
        Some(last) => (
            url(&base, last.seq, Some(last.record_id), c.limit, true),
            "public, max-age=3600",
        ),
        None => (
            url(&base, c.after_seq, c.after_id, c.limit, c.given),
            "public, max-age=8",
        ),
    };
    Ok((
        [(header::CACHE_CONTROL, cache)],
        Json(json!({ "next": next, "items": items, "license": state.config.licence() })),
    )
        .into_response())
}

/// The feed paths for the OpenAPI document.
pub fn document_paths(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{
        ContentBuilder, HttpMethod, ObjectBuilder, Required, ResponseBuilder, Type,
        path::{OperationBuilder, ParameterBuilder, ParameterIn},
    };
    let mut op = OperationBuilder::new()
        .summary(Some(
            "RPDE 1.0 change feed of one kind: services, spaces, organisations, locations or assets",
        ))
        .description(Some(
            "Each record once, at its latest change: `{state: updated|deleted, kind, id, modified, data?}`; `modified` is the seq of the record's latest change. Follow `next` until `items` is empty.",
        ))
        .parameter(
            ParameterBuilder::new()
                .name("kind")
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .schema(Some(ObjectBuilder::new().schema_type(Type::String))),
        );
    for (name, ty, description) in [
        (
            "afterTimestamp",
            Type::Integer,
            "the `modified` of the last item seen",
        ),
        ("afterId", Type::String, "the `id` of the last item seen"),
        ("limit", Type::Integer, "items per page, 1 to 500"),
    ] {
        op = op.parameter(
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Query)
                .required(Required::False)
                .description(Some(description))
                .schema(Some(ObjectBuilder::new().schema_type(ty))),
        );
    }
    let page = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("next", ObjectBuilder::new().schema_type(Type::String))
        .property(
            "items",
            utoipa::openapi::ArrayBuilder::new()
                .items(ObjectBuilder::new().schema_type(Type::Object)),
        )
        .property("license", ObjectBuilder::new().schema_type(Type::String))
        .required("next")
        .required("items")
        .required("license");
    let op = op.response(
        "200",
        ResponseBuilder::new()
            .description("One page of the feed")
            .content(
                "application/json",
                ContentBuilder::new().schema(Some(page)).build(),
            ),
    );
    doc.paths
        .add_path_operation("/feeds/{kind}", vec![HttpMethod::Get], op);
}
