//! The shortlist's forms: add (starting a shortlist when there is none), remove, note,
//! renew, "use on this device" and delete. Each posts, changes the store, and redirects (303)
//! back to where the person was, or shows the form again with an error summary.

use axum::{
    body::Bytes,
    extract::{Path, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use maud::html;
use uuid::Uuid;

use super::form::{Form, redirect_with_cookie, with_fragment};
use super::items::live_or_gone;
use super::view::render;
use crate::AppState;
use crate::domain::{Asset, Organisation, RecordKind, Service, Space};
use crate::error::AppError;
use crate::web::layout::{Head, error_summary, page};
use crate::web::records::load_public;
use crate::web::results::record_href;
use crate::web::{PageError, Visitor};

pub async fn is_public(state: &AppState, kind: RecordKind, id: Uuid) -> Result<bool, PageError> {
    let raw = id.to_string();
    let found = match kind {
        RecordKind::Service => load_public::<Service>(state, &raw).await.map(|_| ()),
        RecordKind::Space => load_public::<Space>(state, &raw).await.map(|_| ()),
        RecordKind::Organisation => load_public::<Organisation>(state, &raw).await.map(|_| ()),
        RecordKind::Asset => load_public::<Asset>(state, &raw).await.map(|_| ()),
        _ => return Ok(false),
    };
    match found {
        Ok(()) => Ok(true),
        Err(PageError {
            error: AppError::NotFound(_),
            ..
        }) => Ok(false),
        Err(e) => Err(e),
    }
}

pub async fn add(
    State(state): State<AppState>,
    visitor: Visitor,
    body: Bytes,
) -> Result<Response, PageError> {
    let form = Form::read(&body);
    let id = form.id()?;
    let kind = form
        .get("kind")
        .and_then(RecordKind::parse)
        .filter(|k| {
            matches!(
                k,
                RecordKind::Service
                    | RecordKind::Space
                    | RecordKind::Organisation
                    | RecordKind::Asset
            )
        })
        .ok_or_else(|| {
            PageError::from(AppError::bad_request(
                "invalid_form",
                "Only services, spaces, organisations and land or buildings can go on a shortlist.",
                Some("kind"),
            ))
        })?;
    if !is_public(&state, kind, id).await? {
        return Err(AppError::NotFound(format!("{} {id}", kind.label())).into());
    }
    let back = form.return_to(&record_href(kind.as_str(), id));
    match state.store.shortlist_add(visitor.code(), kind, id).await {
        Ok(added) => Ok(redirect_with_cookie(
            &state,
            &with_fragment(&back, id),
            &added.code,
        )),
        Err(AppError::Validation(e)) => {
            // Full: say so, with the way out.
            let errors = vec![("shortlist-link".to_owned(), e.message)];
            let content = html! {
                (error_summary(&errors))
                h1 class="heading-l" { "Your shortlist is full" }
                @if let Some(code) = visitor.code() {
                    p { a id="shortlist-link" href={ "/shortlist/" (code) } { "Open your shortlist to remove something" } }
                }
                p { a href=(back) { "Go back" } }
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(
                    Head {
                        noindex: true,
                        ..Head::titled("Error: your shortlist is full")
                    },
                    &visitor.badge(),
                    content,
                ),
            )
                .into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn remove(
    State(state): State<AppState>,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let form = Form::read(&body);
    let id = form.id()?;
    if !state.store.shortlist_remove(&code, id).await? {
        return Err(AppError::NotFound("shortlist".into()).into());
    }
    let back = form.return_to(&format!("/shortlist/{code}"));
    Ok(Redirect::to(&with_fragment(&back, id)).into_response())
}

pub async fn note(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Response, PageError> {
    let form = Form::read(&body);
    let id = form.id()?;
    match state
        .store
        .shortlist_note(&code, id, form.get("note").unwrap_or_default())
        .await
    {
        Ok(true) => Ok(Redirect::to(&format!("/shortlist/{code}#sl-{id}")).into_response()),
        Ok(false) => Err(AppError::NotFound("shortlist".into()).into()),
        Err(AppError::Validation(e)) => {
            let list = match live_or_gone(&state, &code, &visitor).await? {
                Ok(l) => l,
                Err(r) => return Ok(r),
            };
            // Show what they typed, so they can correct it.
            let mut shown = list.clone();
            if let Some(item) = shown.items.iter_mut().find(|i| i.id == id) {
                item.note = form.get("note").map(str::to_owned);
            }
            render(
                &state,
                &visitor,
                &shown,
                &[(format!("note-{id}"), e.message)],
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn renew(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    match state.store.shortlist_renew(&code).await? {
        Some(_) => Ok(Redirect::to(&format!("/shortlist/{code}")).into_response()),
        None => Err(AppError::NotFound("shortlist".into()).into()),
    }
}

pub async fn use_here(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    if state.store.shortlist(&code).await?.is_none() {
        return Err(AppError::NotFound("shortlist".into()).into());
    }
    Ok(redirect_with_cookie(
        &state,
        &format!("/shortlist/{code}"),
        &code,
    ))
}

pub async fn confirm_delete(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let list = match live_or_gone(&state, &code, &visitor).await? {
        Ok(l) => l,
        Err(r) => return Ok(r),
    };
    let content = html! {
        h1 class="heading-l" { "Delete this shortlist?" }
        p { "The shortlist and its notes will be deleted for everyone who has the link. This cannot be undone." }
        form method="post" action={ "/shortlist/" (list.code) "/delete" } {
            button type="submit" class="button button--warning" { "Yes, delete it" }
        }
        p { a href={ "/shortlist/" (list.code) } { "No, go back to the shortlist" } }
    };
    let head = Head {
        noindex: true,
        no_referrer: true,
        ..Head::titled("Delete this shortlist?")
    };
    Ok(page(head, &visitor.badge(), content).into_response())
}

pub async fn delete(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let deleted = state.store.shortlist_delete(&code).await?;
    let content = html! {
        div class="panel" {
            h1 class="heading-l" { @if deleted { "Shortlist deleted" } @else { "There was no shortlist to delete" } }
        }
        p { "The link no longer works, and the notes have been deleted." }
        p { a href="/search" { "Search the register" } }
    };
    let head = Head {
        noindex: true,
        no_referrer: true,
        ..Head::titled("Shortlist deleted")
    };
    let mut response = page(head, &Visitor::default().badge(), content).into_response();
    if visitor.code() == Some(code.as_str()) || visitor.shortlist.is_none() {
        // Forget it on this device too.
        response.headers_mut().insert(
            header::SET_COOKIE,
            HeaderValue::from_static(
                "junction_shortlist=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax",
            ),
        );
    }
    Ok(response)
}
