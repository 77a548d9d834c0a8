//! `/admin/records/{kind}/…`: one page per record to check it ("Still correct") and change it,
//! and a form to add one, for every kind (`kind` is `organisation`, `location`, `service`,
//! `space`, `asset` or `taxonomy_term`). The forms are generic ([`fields`]: a field list per
//! kind). Every write goes through the store's scoped writes, so an editor gets the same 403
//! here as through the API, and nothing changes. The form carries the version it was opened
//! at: saving over a newer version shows each field's value as sent and as it now is, and saves
//! nothing.

mod fields;
mod view;

use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use self::fields::{Choices, Errors, Input, all_fields};
use self::view::{Conflict, Form, forbidden, record_page};
use crate::AppState;
use crate::api::extract::parse_json;
use crate::domain::scope::owner_in;
use crate::domain::{
    Asset, Location, Organisation, Record, RecordKind, Role, Scope, Service, Space, TaxonomyTerm,
};
use crate::error::AppError;
use crate::store::{Actor, Stored};
use crate::web::PageError;
use crate::web::account::{CsrfForm, SignedIn, safe_next};

/// What a signed-in person may change.
pub fn scope_of(who: &SignedIn) -> Scope {
    let user = who.user();
    Scope {
        role: user.role,
        organisations: user.organisations.clone(),
    }
}

fn actor_of(who: &SignedIn) -> Actor {
    Actor::new(format!("user:{}", who.user().id))
}

/// Whether `scope` may add records of `kind` at all (which organisation is checked on save).
pub fn may_create(scope: &Scope, kind: RecordKind) -> bool {
    match scope.role {
        Role::Admin => true,
        Role::Moderator => kind != RecordKind::TaxonomyTerm,
        Role::Editor => !matches!(kind, RecordKind::Organisation | RecordKind::TaxonomyTerm),
    }
}

fn parse_kind(raw: &str) -> Result<RecordKind, PageError> {
    RecordKind::parse(raw).ok_or_else(|| AppError::NotFound(format!("record kind {raw}")).into())
}

fn parse_id(raw: &str) -> Result<Uuid, PageError> {
    raw.parse()
        .map_err(|_| AppError::NotFound(format!("record {raw}")).into())
}

/// Calls `$f::<R>(args)` for the record type of `$kind`.
macro_rules! by_kind {
    ($kind:expr, $f:ident($($arg:expr),*)) => {
        match $kind {
            RecordKind::Organisation => $f::<Organisation>($($arg),*).await,
            RecordKind::Location => $f::<Location>($($arg),*).await,
            RecordKind::Service => $f::<Service>($($arg),*).await,
            RecordKind::Space => $f::<Space>($($arg),*).await,
            RecordKind::Asset => $f::<Asset>($($arg),*).await,
            RecordKind::TaxonomyTerm => $f::<TaxonomyTerm>($($arg),*).await,
        }
    };
}

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

impl DoneQuery {
    pub fn done(&self) -> Option<&str> {
        self.done.as_deref()
    }
}

fn to_map<R: Record>(record: &R) -> Result<Map<String, Value>, PageError> {
    match serde_json::to_value(record).map_err(anyhow::Error::from)? {
        Value::Object(m) => Ok(m),
        _ => Err(anyhow::anyhow!("a record is not a JSON object").into()),
    }
}

/// The owner of a record as the scope rule reads it (an organisation owns itself).
fn owner_of(kind: RecordKind, id: Option<Uuid>, json: &Map<String, Value>) -> Option<Uuid> {
    match (kind, id) {
        (RecordKind::Organisation, Some(id)) => Some(id),
        (RecordKind::Organisation, None) => None,
        _ => owner_in(kind, &Value::Object(json.clone())),
    }
}

/// The organisations, locations and terms the form of `kind` offers: an editor's own
/// organisations and their locations, plus whatever `record` already points at (so a save
/// never drops a link the editor cannot see as an option).
async fn choices(
    state: &AppState,
    kind: RecordKind,
    scope: &Scope,
    record: &Map<String, Value>,
) -> Result<Choices, PageError> {
    let own = (!scope.role.sees_all_records()).then_some(scope.organisations.as_slice());
    let inputs: Vec<Input> = all_fields(kind).map(|f| f.input).collect();
    let has = |want: fn(&Input) -> bool| inputs.iter().any(want);
    let store = &state.store;
    let mut c = Choices::default();
    if has(|i| matches!(i, Input::Organisation)) {
        c.organisations = store.record_choices(RecordKind::Organisation, own).await?;
    }
    if has(|i| matches!(i, Input::Location | Input::Locations)) {
        c.locations = store.record_choices(RecordKind::Location, own).await?;
        let linked: Vec<Uuid> = ["location_id", "location_ids"]
            .iter()
            .filter_map(|k| record.get(*k))
            .flat_map(|v| match v {
                Value::Array(a) => a.clone(),
                other => vec![other.clone()],
            })
            .filter_map(|v| v.as_str().and_then(|s| s.parse().ok()))
            .collect();
        for id in linked {
            if !c.locations.iter().any(|(l, _)| *l == id)
                && let Some(name) = store.name_of(RecordKind::Location, id).await?
            {
                c.locations.push((id, name));
            }
        }
    }
    if has(|i| matches!(i, Input::Categories | Input::ParentTerm)) {
        c.terms = store.record_choices(RecordKind::TaxonomyTerm, None).await?;
    }
    Ok(c)
}

/// `GET /admin/records/{kind}/{id}`: the record's page: where it stands, "Still correct", and
/// the form to change it.
pub async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Path((kind, id)): Path<(String, String)>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let kind = parse_kind(&kind)?;
    let id = parse_id(&id)?;
    by_kind!(kind, show_kind(&state, &who, id, q.done.as_deref()))
}

async fn show_kind<R: Stored>(
    state: &AppState,
    who: &SignedIn,
    id: Uuid,
    done: Option<&str>,
) -> Result<Response, PageError> {
    let record: R = state
        .store
        .get(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("{} {id}", R::KIND.label())))?;
    let json = to_map(&record)?;
    let scope = scope_of(who);
    if !scope.covers(R::KIND, owner_of(R::KIND, Some(id), &json)) {
        return Ok(forbidden(who, R::KIND));
    }
    let choices = choices(state, R::KIND, &scope, &json).await?;
    Ok(record_page(
        state,
        who,
        &Form {
            kind: R::KIND,
            id: Some(id),
            stored: Some(&json),
            shown: &json,
            choices: &choices,
            errors: &Vec::new(),
            conflict: None,
            done,
        },
        StatusCode::OK,
    ))
}

/// `POST /admin/records/{kind}/{id}`: saves the form, provided the record is still at the
/// version the form was opened at.
pub async fn save(
    State(state): State<AppState>,
    Path((kind, id)): Path<(String, String)>,
    form: CsrfForm,
) -> Result<Response, PageError> {
    let kind = parse_kind(&kind)?;
    let id = parse_id(&id)?;
    by_kind!(kind, save_kind(&state, &form, id))
}

async fn save_kind<R: Stored>(
    state: &AppState,
    form: &CsrfForm,
    id: Uuid,
) -> Result<Response, PageError> {
    let who = &form.who;
    let scope = scope_of(who);
    let Some(current) = state.store.get::<R>(id).await? else {
        return Err(AppError::NotFound(format!("{} {id}", R::KIND.label())).into());
    };
    let stored = to_map(&current)?;
    if !scope.covers(R::KIND, owner_of(R::KIND, Some(id), &stored)) {
        return Ok(forbidden(who, R::KIND));
    }
    let mut shown = stored.clone();
    let mut errors: Errors = fields::read(R::KIND, form, &mut shown);
    let version = form
        .get("version")
        .and_then(|v| v.trim().parse::<i32>().ok());
    if version.is_none() {
        errors.push((
            "version".into(),
            "The form did not say which version it changes: reload the page and try again".into(),
        ));
    }
    let mut outcome = None;
    if let (true, Some(version)) = (errors.is_empty(), version) {
        match parse_json::<R>(&serde_json::to_vec(&shown).map_err(anyhow::Error::from)?) {
            Err(e) => outcome = Some(Err(e)),
            Ok(record) => {
                outcome = Some(
                    state
                        .store
                        .update_as(id, version, record, &scope, &actor_of(who))
                        .await,
                );
            }
        }
    }
    let mut conflict = None;
    let mut current_json = stored;
    match outcome {
        Some(Ok(_)) => {
            tracing::info!(kind = R::KIND.as_str(), %id, by = %who.user().id, "record saved from the admin form");
            return Ok(Redirect::to(&format!(
                "/admin/records/{}/{id}?done=saved",
                R::KIND.as_str()
            ))
            .into_response());
        }
        Some(Err(AppError::VersionMismatch { .. })) => {
            // Someone saved since the form was opened: show both, save nothing.
            let now: R = state
                .store
                .get(id)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("{} {id}", R::KIND.label())))?;
            current_json = to_map(&now)?;
            let last = state.store.history(R::KIND, id).await?.into_iter().next();
            conflict = Some(Conflict {
                by: last.as_ref().map(|c| c.actor.clone()),
                at: last.map(|c| c.at),
            });
            errors.push((
                "conflict".into(),
                "This record was changed by someone else after you opened it. Nothing was saved: check the differences below".into(),
            ));
        }
        Some(Err(AppError::Forbidden { .. })) => return Ok(forbidden(who, R::KIND)),
        Some(Err(e)) => errors.extend(page_errors(e)?),
        None => {}
    }
    // Re-shown at the current version: saving again is a choice made with the differences in view.
    if let Some(v) = current_json.get("version").cloned() {
        shown.insert("version".into(), v);
    }
    let choices = choices(state, R::KIND, &scope, &shown).await?;
    let status = if conflict.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(record_page(
        state,
        who,
        &Form {
            kind: R::KIND,
            id: Some(id),
            stored: Some(&current_json),
            shown: &shown,
            choices: &choices,
            errors: &errors,
            conflict: conflict.as_ref(),
            done: None,
        },
        status,
    ))
}

/// A store error as form errors, or the error itself when it is not about the form.
fn page_errors(e: AppError) -> Result<Errors, PageError> {
    match e {
        AppError::Validation(f) => Ok(vec![(f.field, capitalise(&f.message))]),
        AppError::Conflict { message, field } => {
            Ok(vec![(field.unwrap_or_else(|| "name".into()), message)])
        }
        AppError::BadRequest { message, field, .. } => {
            Ok(vec![(field.unwrap_or_else(|| "name".into()), message)])
        }
        e @ AppError::Mirrored { .. } => Ok(vec![("name".into(), e.to_string())]),
        other => Err(other.into()),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// `GET /admin/records/{kind}/new`: the empty form.
pub async fn new(
    State(state): State<AppState>,
    who: SignedIn,
    Path(kind): Path<String>,
) -> Result<Response, PageError> {
    let kind = parse_kind(&kind)?;
    let scope = scope_of(&who);
    if !may_create(&scope, kind) {
        return Ok(forbidden(&who, kind));
    }
    let mut json = Map::new();
    json.insert("publication".into(), Value::from("draft"));
    // An editor of one organisation has only one to choose.
    if let (Role::Editor, [only]) = (scope.role, scope.organisations.as_slice())
        && let Some(field) = crate::domain::scope::owner_field(kind)
    {
        json.insert(field.into(), Value::from(only.to_string()));
    }
    let choices = choices(&state, kind, &scope, &json).await?;
    Ok(record_page(
        &state,
        &who,
        &Form {
            kind,
            id: None,
            stored: None,
            shown: &json,
            choices: &choices,
            errors: &Vec::new(),
            conflict: None,
            done: None,
        },
        StatusCode::OK,
    ))
}

/// `POST /admin/records/{kind}/new`: creates the record.
pub async fn create(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    form: CsrfForm,
) -> Result<Response, PageError> {
    let kind = parse_kind(&kind)?;
    by_kind!(kind, create_kind(&state, &form))
}

async fn create_kind<R: Stored>(state: &AppState, form: &CsrfForm) -> Result<Response, PageError> {
    let who = &form.who;
    let scope = scope_of(who);
    if !may_create(&scope, R::KIND) {
        return Ok(forbidden(who, R::KIND));
    }
    let mut shown = Map::new();
    let mut errors = fields::read(R::KIND, form, &mut shown);
    if errors.is_empty() {
        let result =
            match parse_json::<R>(&serde_json::to_vec(&shown).map_err(anyhow::Error::from)?) {
                Ok(record) => state.store.create_as(record, &scope, &actor_of(who)).await,
                Err(e) => Err(e),
            };
        match result {
            Ok(created) => {
                let id = created.meta().map(|m| m.id).unwrap_or_default();
                tracing::info!(kind = R::KIND.as_str(), %id, by = %who.user().id, "record created from the admin form");
                return Ok(Redirect::to(&format!(
                    "/admin/records/{}/{id}?done=created",
                    R::KIND.as_str()
                ))
                .into_response());
            }
            Err(AppError::Forbidden { .. }) => return Ok(forbidden(who, R::KIND)),
            Err(e) => errors.extend(page_errors(e)?),
        }
    }
    let choices = choices(state, R::KIND, &scope, &shown).await?;
    Ok(record_page(
        state,
        who,
        &Form {
            kind: R::KIND,
            id: None,
            stored: None,
            shown: &shown,
            choices: &choices,
            errors: &errors,
            conflict: None,
            done: None,
        },
        StatusCode::UNPROCESSABLE_ENTITY,
    ))
}

/// `POST /admin/records/{kind}/{id}/verify`: "Still correct". Returns to `return_to` (a path
/// on this site: the review queue) or the record's page.
pub async fn verify(
    State(state): State<AppState>,
    Path((kind, id)): Path<(String, String)>,
    form: CsrfForm,
) -> Result<Response, PageError> {
    let kind = parse_kind(&kind)?;
    let id = parse_id(&id)?;
    by_kind!(kind, verify_kind(&state, &form, id))
}

async fn verify_kind<R: Stored>(
    state: &AppState,
    form: &CsrfForm,
    id: Uuid,
) -> Result<Response, PageError> {
    let who = &form.who;
    match state
        .store
        .verify_as::<R>(id, &scope_of(who), &actor_of(who))
        .await
    {
        Ok(_) => {}
        Err(AppError::Forbidden { .. }) => return Ok(forbidden(who, R::KIND)),
        Err(e) => return Err(e.into()),
    }
    tracing::info!(kind = R::KIND.as_str(), %id, by = %who.user().id, "record checked: still correct");
    let back = match form.get("return_to") {
        Some(r) => safe_next(Some(r)),
        None => format!("/admin/records/{}/{id}", R::KIND.as_str()),
    };
    let sep = if back.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(&format!("{back}{sep}done=verified")).into_response())
}

/// `GET /admin/categories`: the taxonomy terms, for administrators to change.
pub async fn terms(State(state): State<AppState>, who: SignedIn) -> Result<Response, PageError> {
    if who.user().role != Role::Admin {
        return Ok(forbidden(&who, RecordKind::TaxonomyTerm));
    }
    let terms = state
        .store
        .record_choices(RecordKind::TaxonomyTerm, None)
        .await?;
    let content = maud::html! {
        h1 class="heading-l" { "Categories" }
        p { a class="button" href="/admin/records/taxonomy_term/new" { "Add a category" } }
        ul class="list-bullet" {
            @for (id, name) in &terms {
                li { a href={ "/admin/records/taxonomy_term/" (id) } { (name) } }
            }
        }
    };
    Ok(super::shell(
        &who,
        "Categories",
        super::Section::Categories,
        StatusCode::OK,
        content,
    ))
}
