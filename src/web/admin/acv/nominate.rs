//! `/admin/acv/new`: the staff form for a new Asset of Community Value nomination. It writes
//! through `Store::acv_nominate`, the API's write, and shows itself again with an error summary
//! and the message at each field when something is missing or refused.

use axum::{
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use maud::html;
use uuid::Uuid;

use super::super::transfer_cases::text;
use super::super::{Section, refuse_unless_moderator, shell};
use super::forms::{actor, input, refusal, required_date, textarea};
use super::{Errors, Prev, entry_href};
use crate::AppState;
use crate::domain::acv::Nomination;
use crate::store::acv::today;
use crate::web::PageError;
use crate::web::account::{CsrfForm, SignedIn, csrf_field};
use crate::web::layout::error_summary;

fn nomination_page(who: &SignedIn, status: StatusCode, errors: &Errors, p: &Prev) -> Response {
    let content = html! {
        (error_summary(errors))
        span class="caption" { "Assets of Community Value" }
        h1 class="heading-l" { "Record a nomination" }
        p { "The decision is due 8 weeks beginning with the day the nomination was received." }
        form method="post" action="/admin/acv/new" novalidate {
            (csrf_field(who))
            (input(errors, p, "reference", "Reference (optional: made up when left empty)", "text"))
            (input(errors, p, "asset_id", "The asset in the register, if it is there: its id or the address of its page (optional)", "text"))
            (input(errors, p, "name", "Name of the land or building (may be left empty when the asset is given)", "text"))
            (input(errors, p, "address_text", "Address (optional)", "text"))
            (input(errors, p, "nominating_group", "Nominating group (public)", "text"))
            (input(errors, p, "nominator_contact", "How to reach the nominator (staff only, never published)", "text"))
            (input(errors, p, "received", "Date the nomination was received", "date"))
            (textarea(errors, p, "reasons", "Why the group says it is of community value"))
            (textarea(errors, p, "notes", "Notes (optional; public)"))
            button type="submit" class="button" { "Record the nomination" }
        }
        p { a href="/admin/acv" { "All entries" } }
    };
    shell(who, "Record a nomination", Section::Acv, status, content)
}

/// `GET /admin/acv/new`.
pub async fn new(who: SignedIn) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_moderator(&who, Section::Acv) {
        return Ok(r);
    }
    Ok(nomination_page(
        &who,
        StatusCode::OK,
        &Vec::new(),
        &Vec::new(),
    ))
}

/// An asset id as typed: the id itself or a page address ending with it.
fn asset_id(raw: &str) -> Option<Uuid> {
    raw.trim()
        .trim_end_matches('/')
        .rsplit('/')
        .next()?
        .parse()
        .ok()
}

/// `POST /admin/acv/new`.
pub async fn nominate(
    State(state): State<AppState>,
    form: CsrfForm,
) -> Result<Response, PageError> {
    if let Some(r) = refuse_unless_moderator(&form.who, Section::Acv) {
        return Ok(r);
    }
    let mut errors = Vec::new();
    let asset = match text(&form, "asset_id") {
        None => None,
        Some(raw) => {
            let id = asset_id(&raw);
            if id.is_none() {
                errors.push((
                    "asset_id".into(),
                    "Enter the asset’s id (or the address of its page), or leave this empty".into(),
                ));
            }
            id
        }
    };
    if asset.is_none() && text(&form, "name").is_none() {
        errors.push((
            "name".into(),
            "Enter the name of the land or building".into(),
        ));
    }
    for (field, message) in [
        ("nominating_group", "Enter the nominating group"),
        ("reasons", "Say why the group says it is of community value"),
    ] {
        if text(&form, field).is_none() {
            errors.push((field.into(), message.into()));
        }
    }
    let received = required_date(
        &form,
        "received",
        "Enter the date the nomination was received",
        &mut errors,
    );
    let (Some(received), true) = (received, errors.is_empty()) else {
        return Ok(nomination_page(
            &form.who,
            StatusCode::UNPROCESSABLE_ENTITY,
            &errors,
            &form.fields,
        ));
    };
    let nomination = Nomination {
        reference: text(&form, "reference"),
        asset_id: asset,
        name: text(&form, "name").unwrap_or_default(),
        address_text: text(&form, "address_text"),
        latitude: None,
        longitude: None,
        nominating_group: text(&form, "nominating_group").unwrap_or_default(),
        nominator_contact: text(&form, "nominator_contact"),
        received,
        reasons: text(&form, "reasons").unwrap_or_default(),
        notes: text(&form, "notes"),
    };
    match state
        .store
        .acv_nominate(nomination, &actor(&form.who), today())
        .await
    {
        Ok(r) => {
            tracing::info!(entry = %r.entry.id, by = %form.who.user().id, "ACV nomination recorded");
            Ok(Redirect::to(&format!("{}?done=nominated", entry_href(r.entry.id))).into_response())
        }
        Err(e) => {
            let (status, errors) = refusal(e, &[], "reference")?;
            Ok(nomination_page(&form.who, status, &errors, &form.fields))
        }
    }
}
