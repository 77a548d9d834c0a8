//! The six record resources (`organisations`, `locations`, `services`, `spaces`, `assets`,
//! `taxonomy-terms`) share one set of generic handlers: list, read, create, update, delete and
//! history, and "still correct" (`verify`). Writes are checked against the token's role and
//! organisation (`domain::scope`), and so are reads of the full record: administrators' and
//! moderators' tokens see every record in full, drafts included, an organisation editor's
//! token its own organisation's records (so a GET → edit → PUT round trip never loses private
//! fields), and everyone else published records in their public view. History, which holds
//! every earlier version in full, follows the same rule.

use axum::{
    Json, Router,
    extract::{Path, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use uuid::Uuid;

use super::extract::{ApiJson, ApiQuery, Auth, Editor, ListBody, PageQuery, etag, if_match};
use crate::AppState;
use crate::domain::{Publication, Record, RecordKind};
use crate::error::{AppError, Result};
use crate::search::SearchQuery;
use crate::store::{Change, ListQuery, Stored};

pub fn routes<R: Stored>() -> Router<AppState> {
    let base = format!("/api/v1/{}", R::KIND.resource());
    Router::new()
        .route(&base, get(list::<R>).post(create::<R>))
        .route(
            &format!("{base}/{{id}}"),
            get(read::<R>).put(update::<R>).delete(remove::<R>),
        )
        .route(&format!("{base}/{{id}}/history"), get(history::<R>))
        .route(
            &format!("{base}/{{id}}/verify"),
            axum::routing::post(verify::<R>),
        )
}

fn parse_id<R: Record>(raw: &str) -> Result<Uuid> {
    raw.parse()
        .map_err(|_| AppError::NotFound(format!("{} '{raw}'", R::KIND.label())))
}

/// What this caller may see of a record: `None` when it must look absent.
fn visible<R: Record>(mut record: R, auth: &Auth) -> Option<R> {
    if auth.0.is_some() {
        let owner = serde_json::to_value(&record)
            .ok()
            .and_then(|json| crate::domain::scope::owner_in(R::KIND, &json));
        if auth.sees_in_full(R::KIND, owner) {
            return Some(record);
        }
    }
    if record.publication() != Publication::Published {
        return None;
    }
    record.make_public();
    Some(record)
}

fn with_etag<R: Record>(status: StatusCode, record: R, location: Option<String>) -> Response {
    let version = record.meta().map_or(0, |m| m.version);
    let mut response = (status, Json(record)).into_response();
    if let Ok(v) = HeaderValue::from_str(&etag(version)) {
        response.headers_mut().insert(header::ETAG, v);
    }
    if let Some(loc) = location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        response.headers_mut().insert(header::LOCATION, loc);
    }
    response
}

async fn list<R: Stored>(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> Result<Json<ListBody<R>>> {
    let page = query.page()?;
    let unpublished = auth.unpublished();
    let (records, total) = match query.text() {
        None => {
            let (records, total) = state
                .store
                .list::<R>(ListQuery {
                    page: page.page,
                    per_page: page.per_page,
                    unpublished: unpublished.clone(),
                })
                .await?;
            (records, total)
        }
        Some(text) => {
            let results = state.search.search(&SearchQuery {
                text: Some(text.to_owned()),
                kinds: vec![R::KIND],
                // The index cannot tell an editor's drafts apart: full-text lists show them
                // published records only, except to administrators and moderators.
                include_unpublished: unpublished == crate::store::Unpublished::All,
                // Lists show every record, whatever its operational status.
                include_closed: true,
                offset: ((page.page - 1) * page.per_page) as usize,
                limit: page.per_page as usize,
                ..SearchQuery::default()
            })?;
            let ids: Vec<Uuid> = results.hits.into_iter().map(|h| h.card.id).collect();
            (state.store.get_many::<R>(&ids).await?, results.total as u64)
        }
    };
    let items = records
        .into_iter()
        .filter_map(|r| visible(r, &auth))
        .collect();
    Ok(Json(ListBody {
        items,
        page: page.page,
        per_page: page.per_page,
        total,
    }))
}

async fn read<R: Stored>(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
) -> Result<Response> {
    let id = parse_id::<R>(&id)?;
    let record = state
        .store
        .get::<R>(id)
        .await?
        .and_then(|r| visible(r, &auth))
        .ok_or_else(|| AppError::NotFound(format!("{} {id}", R::KIND.label())))?;
    Ok(with_etag(StatusCode::OK, record, None))
}

async fn create<R: Stored>(
    State(state): State<AppState>,
    editor: Editor,
    ApiJson(record): ApiJson<R>,
) -> Result<Response> {
    let actor = editor.actor();
    let created = state
        .store
        .create_as(record, &editor.scope(), &actor)
        .await?;
    let id = created.meta().map(|m| m.id).unwrap_or_default();
    let location = format!(
        "{}/api/v1/{}/{id}",
        state.config.public_url(),
        R::KIND.resource()
    );
    Ok(with_etag(StatusCode::CREATED, created, Some(location)))
}

async fn update<R: Stored>(
    State(state): State<AppState>,
    editor: Editor,
    Path(id): Path<String>,
    headers: HeaderMap,
    ApiJson(record): ApiJson<R>,
) -> Result<Response> {
    let actor = editor.actor();
    let id = parse_id::<R>(&id)?;
    let expected = if_match(&headers)?;
    let updated = state
        .store
        .update_as(id, expected, record, &editor.scope(), &actor)
        .await?;
    Ok(with_etag(StatusCode::OK, updated, None))
}

async fn remove<R: Stored>(
    State(state): State<AppState>,
    editor: Editor,
    Path(id): Path<String>,
) -> Result<StatusCode> {
    let actor = editor.actor();
    let id = parse_id::<R>(&id)?;
    state
        .store
        .delete_as::<R>(id, &editor.scope(), &actor)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// "Still correct": sets `last_verified_at` to now without an edit (the version and `ETag`
/// stay), for a token whose scope covers the record.
async fn verify<R: Stored>(
    State(state): State<AppState>,
    editor: Editor,
    Path(id): Path<String>,
) -> Result<Response> {
    let actor = editor.actor();
    let id = parse_id::<R>(&id)?;
    let record: R = state.store.verify_as(id, &editor.scope(), &actor).await?;
    Ok(with_etag(StatusCode::OK, record, None))
}

async fn history<R: Stored>(
    State(state): State<AppState>,
    editor: Editor,
    Path(id): Path<String>,
) -> Result<Json<ListBody<Change>>> {
    let id = parse_id::<R>(&id)?;
    let changes = state.store.history(R::KIND, id).await?;
    if changes.is_empty() {
        return Err(AppError::NotFound(format!("{} {id}", R::KIND.label())));
    }
    // Earlier versions hold private fields: an editor's token reads its own organisation's
    // records' history only (the owner as the latest version records it).
    let owner = changes
        .iter()
        .find_map(|c| c.record.as_ref())
        .and_then(|json| crate::domain::scope::owner_in(R::KIND, json));
    let auth = Auth(Some(editor.0.clone()));
    if !auth.sees_in_full(R::KIND, owner) {
        return Err(AppError::Forbidden {
            message: "this token may read the history of its own organisation's records only"
                .to_owned(),
            field: Some(
                crate::domain::scope::owner_field(R::KIND)
                    .unwrap_or("kind")
                    .to_owned(),
            ),
        });
    }
    let total = changes.len() as u64;
    Ok(Json(ListBody {
        items: changes,
        page: 1,
        per_page: total,
        total,
    }))
}

/// The kinds served here, for the OpenAPI document.
pub const KINDS: [RecordKind; 6] = RecordKind::ALL;
