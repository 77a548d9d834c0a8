//! `/shortlist/{code}`: the items with their notes, how long it is kept, and ways to share it.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use maud::html;

use super::items::{item_views, live_or_gone};
use crate::AppState;
use crate::store::Shortlist;
use crate::store::shortlists::{LIFETIME_DAYS, MAX_NOTE_CHARS};
use crate::web::layout::{Head, date, enc, error_summary, field_error, has_error, page};
use crate::web::records::contact;
use crate::web::results::{kind_label, record_href};
use crate::web::{PageError, Visitor, hours};

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let list = match live_or_gone(&state, &code, &visitor).await? {
        Ok(l) => l,
        Err(r) => return Ok(r),
    };
    render(&state, &visitor, &list, &[], StatusCode::OK).await
}

pub async fn render(
    state: &AppState,
    visitor: &Visitor,
    list: &Shortlist,
    errors: &[(String, String)],
    status: StatusCode,
) -> Result<Response, PageError> {
    let items = item_views(state, list).await?;
    let url = format!("{}/shortlist/{}", state.config.public_url(), list.code);
    let path = format!("/shortlist/{}", list.code);
    let mine = visitor.code() == Some(list.code.as_str());
    let share_text = format!("Services and places to contact: {url}");
    let content = html! {
        (error_summary(errors))
        h1 class="heading-l" { "Shortlist" }
        p class="lead" {
            @match items.len() { 0 => "Nothing on this shortlist yet.", 1 => "1 service or place.", n => { (n) " services and places." } }
        }
        div class="inset-text" {
            p { "Anyone with the link can see, change or delete this shortlist. Do not write the person’s name or any details about them." }
            p { "It will be deleted on " strong { (date(list.expires_at)) } " unless you keep it for longer." }
            form method="post" action={ (path) "/renew" } class="inline-form" {
                button type="submit" class="button button--secondary button--small" { "Keep for " (LIFETIME_DAYS) " more days" }
            }
        }
        @if !mine {
            form method="post" action={ (path) "/use" } class="inline-form" {
                p { "To add more to this shortlist from this device, make it your shortlist here." }
                button type="submit" class="button button--secondary button--small" { "Add to this shortlist from this device" }
            }
        }
        section class="share" aria-labelledby="share" {
            h2 class="heading-m" id="share" { "Share it" }
            div class="form-group" {
                label class="label" for="share-link" { "Link to this shortlist" }
                input class="input" type="text" id="share-link" readonly value=(url);
            }
            ul class="share__actions" {
                li { a class="button" href={ (path) "/print" } { "Print view" } }
                li { a href={ "mailto:?subject=" (enc("Services and places to contact")) "&body=" (enc(&share_text)) } { "Email the link" } }
                li { a href={ "sms:?&body=" (enc(&share_text)) } { "Text the link" } }
            }
        }
        h2 class="heading-m" { "On this shortlist" }
        @if items.is_empty() {
            p { a href="/search" { "Search" } " and select ‘Add to shortlist’ to add services and places." }
        }
        ol class="shortlist" {
            @for item in &items {
                @let note_id = format!("note-{}", item.id);
                li class="shortlist__item" id={ "sl-" (item.id) } {
                    @if item.live {
                        h3 class="heading-s" { a href=(record_href(item.kind.as_str(), item.id)) { (item.name) } }
                        p class="caption" { (kind_label(item.kind.as_str())) }
                        @if !item.address.is_empty() {
                            p class="address" { (item.address.join(", ")) @if item.hidden_address { " (exact address not published)" } }
                        }
                        (contact(item.phone.as_deref(), item.email.as_deref(), item.website.as_deref()))
                        @if let Some(s) = item.hours.as_deref().and_then(|h| hours::status(h, chrono::Utc::now())) {
                            p class={ "open-status " @if s.open { "open-status--open" } @else { "open-status--closed" } } { (s.text) }
                        }
                    } @else {
                        h3 class="heading-s" { "No longer listed" }
                        p { "This service or place has been removed from the register." }
                    }
                    form method="post" action={ (path) "/note" } class={ "form-group note-form" @if has_error(errors, &note_id) { " form-group--error" } } {
                        input type="hidden" name="id" value=(item.id);
                        label class="label label--s" for=(note_id) { "Note" span class="visually-hidden" { " for " (item.name) } " (optional)" }
                        div class="hint" id={ (note_id) "-hint" } { "For example: ask for Sam, bring ID. Do not write the person’s name or details. Up to " (MAX_NOTE_CHARS) " characters." }
                        (field_error(errors, &note_id))
                        input class="input" type="text" id=(note_id) name="note" maxlength=(MAX_NOTE_CHARS) value=[item.note.as_deref()]
                            aria-describedby={ (note_id) "-hint" @if has_error(errors, &note_id) { " " (note_id) "-error" } };
                        button type="submit" class="button button--secondary button--small" { "Save note" span class="visually-hidden" { " for " (item.name) } }
                    }
                    form method="post" action={ (path) "/remove" } class="inline-form" {
                        input type="hidden" name="id" value=(item.id);
                        input type="hidden" name="return_to" value=(path);
                        button type="submit" class="button button--warning button--small" { "Remove" span class="visually-hidden" { " " (item.name) } }
                    }
                }
            }
        }
        p { a href={ (path) "/delete" } class="link-warning" { "Delete this shortlist" } }
    };
    let title = if errors.is_empty() {
        "Shortlist".to_owned()
    } else {
        "Error: Shortlist".to_owned()
    };
    let head = Head {
        noindex: true,
        no_referrer: true,
        ..Head::titled(title)
    };
    Ok((status, page(head, &visitor.badge(), content)).into_response())
}
