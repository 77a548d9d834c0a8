//! The links in review reminders, which work without signing in (see
//! [`crate::reminders::links`]): `/review/{kind}/{id}/still-correct` asks "is it still
//! correct?" and a button marks it so (a GET never changes anything, so a mail scanner that
//! follows links can't use one up); `/review/{kind}/{id}/update` leads to the record's admin
//! page through the sign-in page. A link that has expired, been used, or been overtaken by
//! another check gets a page that says so (410).

use axum::{
    Router,
    body::Bytes,
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use chrono::Utc;
use maud::{Markup, html};
use uuid::Uuid;

use super::PageError;
use super::account::{SignedIn, ToLogin};
use super::kinds::{admin_record_path, for_kind, owner_of};
use super::layout::{Badge, Head, enc, page};
use crate::AppState;
use crate::auth::signing::LinkKey;
use crate::domain::RecordKind;
use crate::reminders::links::{Checked, LinkQuery, check_still_correct, check_update};
use crate::store::verify::{Verified, check_stamp};
use crate::store::{Actor, Stored};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/review/{kind}/{id}/still-correct",
            get(still_correct).post(confirm),
        )
        .route("/review/{kind}/{id}/update", get(update))
}

fn respond(status: StatusCode, title: &str, content: Markup) -> Response {
    let head = Head {
        noindex: true,
        // The address holds a signature: send it nowhere.
        no_referrer: true,
        ..Head::titled(title)
    };
    (status, page(head, &Badge::default(), content)).into_response()
}

fn gone() -> Response {
    respond(
        StatusCode::GONE,
        "This link has expired or has been used",
        html! {
            h1 class="heading-l" { "This link has expired or has been used" }
            p { "Links in review reminders work for 30 days, and a \"still correct\" link works once. This record may already have been checked." }
            p { "To check or update it, " a href="/login" { "sign in" } " and open it from your records." }
        },
    )
}

fn parse(kind: &str, id: &str) -> Option<(RecordKind, Uuid)> {
    Some((RecordKind::parse(kind)?, id.parse().ok()?))
}

/// The record's name, if the link is good for it: signed, in time, still bound to the
/// record's last check, and its person still an enabled editor of the record's organisation.
async fn usable<R: Stored>(
    state: &AppState,
    id: Uuid,
    link: Checked,
) -> Result<Option<String>, PageError> {
    let Some(record) = state.store.get::<R>(id).await? else {
        return Ok(None);
    };
    let Some(meta) = record.meta() else {
        return Ok(None);
    };
    if link
        .stamp
        .is_some_and(|s| s != check_stamp(meta.last_verified_at))
    {
        return Ok(None);
    }
    let json = serde_json::to_value(&record).map_err(anyhow::Error::from)?;
    let Some(user) = state.store.user(link.user).await? else {
        return Ok(None);
    };
    if user.is_disabled() || !user.may_edit(owner_of(R::KIND, &json)) {
        return Ok(None);
    }
    Ok(Some(record.name().to_owned()))
}

fn key(state: &AppState) -> Result<LinkKey, PageError> {
    Ok(LinkKey::for_config(&state.config)?)
}

/// `GET /review/{kind}/{id}/still-correct?…`: the question, with one button.
pub async fn still_correct(
    State(state): State<AppState>,
    Path((kind, id)): Path<(String, String)>,
    Query(q): Query<LinkQuery>,
) -> Result<Response, PageError> {
    let Some((kind, id)) = parse(&kind, &id) else {
        return Ok(gone());
    };
    let Some(link) = check_still_correct(&key(&state)?, kind, id, &q, Utc::now()) else {
        return Ok(gone());
    };
    let name = for_kind!(kind, R => usable::<R>(&state, id, link).await?);
    let Some(name) = name else {
        return Ok(gone());
    };
    let content = html! {
        span class="caption" { "Review" }
        h1 class="heading-l" { "Is " (name) " still correct?" }
        p { "If everything in this " (kind.label()) " is still right, say so. Nothing in it changes; the register records that it was checked today." }
        form method="post" action={ "/review/" (kind.as_str()) "/" (id) "/still-correct" } {
            @for (k, v) in [("u", &q.u), ("e", &q.e), ("v", &q.v), ("s", &q.s)] {
                input type="hidden" name=(k) value=(v.as_deref().unwrap_or_default());
            }
            button type="submit" class="button" { "Yes, it is still correct" }
        }
        p { "If something has changed, use the \"update it\" link in the email instead." }
    };
    Ok(respond(StatusCode::OK, "Is it still correct?", content))
}

/// `POST /review/{kind}/{id}/still-correct`: marks the record checked, once.
pub async fn confirm(
    State(state): State<AppState>,
    Path((kind, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, PageError> {
    let field = |name: &str| {
        form_urlencoded::parse(&body)
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    let q = LinkQuery {
        u: field("u"),
        e: field("e"),
        v: field("v"),
        s: field("s"),
    };
    let Some((kind, id)) = parse(&kind, &id) else {
        return Ok(gone());
    };
    let now = Utc::now();
    let Some(link) = check_still_correct(&key(&state)?, kind, id, &q, now) else {
        return Ok(gone());
    };
    let actor = Actor::new(format!("user:{} (reminder link)", link.user));
    let outcome = for_kind!(kind, R => {
        if usable::<R>(&state, id, link).await?.is_none() {
            return Ok(gone());
        }
        state.store.mark_still_correct::<R>(id, link.stamp, &actor, now).await?
    });
    let Verified::Done(name) = outcome else {
        return Ok(gone());
    };
    tracing::info!(user = %link.user, kind = kind.as_str(), %id, "checked through a reminder link");
    let public = match kind {
        RecordKind::Location | RecordKind::TaxonomyTerm => None,
        k => Some(format!("/{}/{id}", k.resource())),
    };
    let content = html! {
        div class="panel" {
            h1 class="heading-l" { "Thank you" }
            p { (name) " is marked as checked today." }
        }
        p { "We will ask again when its next review is due." }
        @if let Some(path) = public { p { a href=(path) { "See its public page" } } }
    };
    Ok(respond(StatusCode::OK, "Thank you", content))
}

/// `GET /review/{kind}/{id}/update?…`: to the record's admin page, signing in first.
pub async fn update(
    State(state): State<AppState>,
    Path((kind, id)): Path<(String, String)>,
    Query(q): Query<LinkQuery>,
    who: Result<SignedIn, ToLogin>,
) -> Result<Response, PageError> {
    let Some((kind, id)) = parse(&kind, &id) else {
        return Ok(gone());
    };
    let Some(link) = check_update(&key(&state)?, kind, id, &q, Utc::now()) else {
        return Ok(gone());
    };
    if for_kind!(kind, R => usable::<R>(&state, id, link).await?).is_none() {
        return Ok(gone());
    }
    let target = admin_record_path(kind, id);
    Ok(match who {
        Ok(_) => Redirect::to(&target),
        Err(_) => Redirect::to(&format!("/login?next={}", enc(&target))),
    }
    .into_response())
}
