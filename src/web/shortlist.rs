//! The signposting shortlist, without JavaScript: "Add to shortlist" buttons on results and
//! record pages post a form; the shortlist lives on the server under an unguessable code
//! (`/shortlist/{code}`), remembered on this device by a cookie holding only that code. Whoever
//! has the link can add notes, renew, print (`/print`, A4, with QR codes) or delete it.

use axum::{
    Router,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use maud::{Markup, PreEscaped, html};
use qrcode::{EcLevel, QrCode, render::svg};
use uuid::Uuid;

use super::layout::{Head, date, enc, error_summary, field_error, has_error, page};
use super::records::{address_lines, contact, load_public, public_many};
use super::results::{kind_label, record_href};
use super::{COOKIE, PageError, Visitor, hours};
use crate::AppState;
use crate::domain::{Asset, Location, Organisation, RecordKind, Service, Space};
use crate::error::AppError;
use crate::store::Shortlist;
use crate::store::shortlists::{LIFETIME_DAYS, MAX_NOTE_CHARS};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/shortlist", get(about))
        .route("/shortlist/add", post(add))
        .route("/shortlist/{code}", get(show))
        .route("/shortlist/{code}/print", get(print))
        .route("/shortlist/{code}/remove", post(remove))
        .route("/shortlist/{code}/note", post(note))
        .route("/shortlist/{code}/renew", post(renew))
        .route("/shortlist/{code}/use", post(use_here))
        .route("/shortlist/{code}/delete", get(confirm_delete).post(delete))
}

/// "Add to shortlist", or "On your shortlist" with a remove button, for one record.
pub fn toggle(visitor: &Visitor, kind: &str, id: Uuid, name: &str, return_to: &str) -> Markup {
    html! {
        div class="shortlist-toggle" id={ "sl-" (id) } {
            @if let (true, Some(code)) = (visitor.has(id), visitor.code()) {
                form method="post" action={ "/shortlist/" (code) "/remove" } class="inline-form" {
                    p class="shortlist-toggle__on" {
                        strong { "On your shortlist" } " · "
                        a href={ "/shortlist/" (code) } { "View shortlist" }
                    }
                    input type="hidden" name="id" value=(id);
                    input type="hidden" name="return_to" value=(return_to);
                    button type="submit" class="button button--secondary button--small" {
                        "Remove" span class="visually-hidden" { " " (name) " from your shortlist" }
                    }
                }
            } @else {
                form method="post" action="/shortlist/add" class="inline-form" {
                    input type="hidden" name="kind" value=(kind);
                    input type="hidden" name="id" value=(id);
                    input type="hidden" name="return_to" value=(return_to);
                    button type="submit" class="button button--secondary button--small" {
                        "Add to shortlist" span class="visually-hidden" { ": " (name) }
                    }
                }
            }
        }
    }
}

/// The fields of a submitted form.
struct Form(Vec<(String, String)>);

impl Form {
    fn read(body: &Bytes) -> Form {
        Form(
            form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect(),
        )
    }

    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn id(&self) -> Result<Uuid, PageError> {
        self.get("id")
            .and_then(|v| v.trim().parse().ok())
            .ok_or_else(|| {
                AppError::bad_request(
                    "invalid_form",
                    "The form did not say which record: go back and try again.",
                    Some("id"),
                )
                .into()
            })
    }

    /// Where to go back to: a path on this site only.
    fn return_to(&self, fallback: &str) -> String {
        match self.get("return_to") {
            Some(r) if r.starts_with('/') && !r.starts_with("//") && !r.contains('\\') => {
                r.to_owned()
            }
            _ => fallback.to_owned(),
        }
    }
}

fn with_fragment(path: &str, id: Uuid) -> String {
    format!("{path}#sl-{id}")
}

fn set_cookie(state: &AppState, code: &str) -> Option<HeaderValue> {
    let secure = if state.config.public_url().starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let max_age = LIFETIME_DAYS * 24 * 3600;
    HeaderValue::from_str(&format!(
        "{COOKIE}={code}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    ))
    .ok()
}

fn redirect_with_cookie(state: &AppState, to: &str, code: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    if let Some(c) = set_cookie(state, code) {
        response.headers_mut().insert(header::SET_COOKIE, c);
    }
    response
}

async fn is_public(state: &AppState, kind: RecordKind, id: Uuid) -> Result<bool, PageError> {
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

async fn add(
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

async fn about(visitor: Visitor) -> Response {
    if let Some(code) = visitor.code() {
        return Redirect::to(&format!("/shortlist/{code}")).into_response();
    }
    let content = html! {
        h1 class="heading-l" { "Shortlists" }
        p class="lead" { "A shortlist is a list of services and places you can share with one link." }
        p { "Use it when you are helping someone find support: add services as you talk, then text, email or print the link for them. No account is needed." }
        h2 class="heading-m" { "How it works" }
        ol class="list-number" {
            li { a href="/search" { "Search" } " or " a href="/categories" { "browse" } " for what the person needs." }
            li { "Select ‘Add to shortlist’ on each service or place." }
            li { "Open your shortlist to add a short note to each item, such as ‘ask for Sam’ or ‘bring ID’." }
            li { "Share the link, or print the list: each item has a QR code to its page." }
        }
        h2 class="heading-m" { "Keeping it private" }
        p { "Do not write the person’s name or any details about them on a shortlist. Anyone with the link can see, change or delete it." }
        p { "A shortlist and its notes are deleted " (LIFETIME_DAYS) " days after it was made, unless someone keeps it for longer." }
        p { "You have no shortlist on this device yet." }
    };
    page(Head::titled("Shortlists"), &visitor.badge(), content).into_response()
}

/// One item as the shortlist and print pages show it.
struct ItemView {
    kind: RecordKind,
    id: Uuid,
    name: String,
    /// None when the record is no longer published.
    live: bool,
    address: Vec<String>,
    hidden_address: bool,
    phone: Option<String>,
    email: Option<String>,
    website: Option<String>,
    hours: Option<String>,
    note: Option<String>,
}

async fn item_views(state: &AppState, list: &Shortlist) -> Result<Vec<ItemView>, PageError> {
    let mut views = Vec::with_capacity(list.items.len());
    for item in &list.items {
        let raw = item.id.to_string();
        let mut v = ItemView {
            kind: item.kind,
            id: item.id,
            name: String::new(),
            live: true,
            address: Vec::new(),
            hidden_address: false,
            phone: None,
            email: None,
            website: None,
            hours: None,
            note: item.note.clone(),
        };
        let gone = |e: PageError| match e.error {
            AppError::NotFound(_) => Ok(()),
            other => Err(PageError::from(other)),
        };
        match item.kind {
            RecordKind::Service => match load_public::<Service>(state, &raw).await {
                Ok(s) => {
                    let locs = public_many::<Location>(state, &s.location_ids).await?;
                    if let Some(l) = locs.first() {
                        v.address = address_lines(l);
                        v.hidden_address = l.hide_address;
                    }
                    (v.name, v.phone, v.email, v.website, v.hours) =
                        (s.name, s.phone, s.email, s.website, s.opening_hours);
                }
                Err(e) => {
                    gone(e)?;
                    v.live = false;
                }
            },
            RecordKind::Space => match load_public::<Space>(state, &raw).await {
                Ok(s) => {
                    if let Some(l) = public_many::<Location>(state, &[s.location_id])
                        .await?
                        .first()
                    {
                        v.address = address_lines(l);
                        v.hidden_address = l.hide_address;
                    }
                    (v.name, v.phone, v.email, v.website, v.hours) =
                        (s.name, s.phone, s.email, s.booking_url, s.opening_hours);
                }
                Err(e) => {
                    gone(e)?;
                    v.live = false;
                }
            },
            RecordKind::Organisation => match load_public::<Organisation>(state, &raw).await {
                Ok(o) => {
                    (v.name, v.phone, v.email, v.website) = (o.name, o.phone, o.email, o.website)
                }
                Err(e) => {
                    gone(e)?;
                    v.live = false;
                }
            },
            RecordKind::Asset => match load_public::<Asset>(state, &raw).await {
                Ok(a) => {
                    v.address = [a.address_1, a.address_2, a.town, a.postcode]
                        .into_iter()
                        .flatten()
                        .collect();
                    v.name = a.name;
                }
                Err(e) => {
                    gone(e)?;
                    v.live = false;
                }
            },
            _ => v.live = false,
        }
        views.push(v);
    }
    Ok(views)
}

async fn live_or_gone(
    state: &AppState,
    code: &str,
    visitor: &Visitor,
) -> Result<Result<Shortlist, Response>, PageError> {
    match state.store.shortlist(code).await? {
        Some(s) => Ok(Ok(s)),
        None => {
            let content = html! {
                h1 class="heading-l" { "This shortlist has expired or been deleted" }
                p { "Shortlists are deleted " (LIFETIME_DAYS) " days after they are made, unless someone keeps them for longer, or when someone with the link deletes them." }
                p { "Ask the person who gave you the link to make a new one, or " a href="/search" { "search the register" } "." }
            };
            let head = Head {
                noindex: true,
                no_referrer: true,
                ..Head::titled("Shortlist not found")
            };
            Ok(Err((
                StatusCode::NOT_FOUND,
                page(head, &visitor.badge(), content),
            )
                .into_response()))
        }
    }
}

async fn show(
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

async fn render(
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

async fn remove(
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

async fn note(
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

async fn renew(
    State(state): State<AppState>,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    match state.store.shortlist_renew(&code).await? {
        Some(_) => Ok(Redirect::to(&format!("/shortlist/{code}")).into_response()),
        None => Err(AppError::NotFound("shortlist".into()).into()),
    }
}

async fn use_here(
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

async fn confirm_delete(
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

async fn delete(
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

/// An SVG QR code for `url`, for print; hidden from screen readers, which get the link text.
fn qr(url: &str) -> Markup {
    match QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M) {
        Ok(code) => {
            let svg = code
                .render::<svg::Color>()
                .min_dimensions(120, 120)
                .quiet_zone(true)
                .build();
            let svg = svg
                .split_once("?>")
                .map_or(svg.as_str(), |(_, rest)| rest)
                .replacen(
                    "<svg ",
                    "<svg class=\"qr\" aria-hidden=\"true\" focusable=\"false\" ",
                    1,
                );
            PreEscaped(svg)
        }
        Err(_) => html! {},
    }
}

async fn print(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let list = match live_or_gone(&state, &code, &visitor).await? {
        Ok(l) => l,
        Err(r) => return Ok(r),
    };
    let items = item_views(&state, &list).await?;
    let base = state.config.public_url();
    let url = format!("{base}/shortlist/{}", list.code);
    let now = chrono::Utc::now();
    let content = html! {
        div class="print-actions no-print" {
            p { a href={ "/shortlist/" (list.code) } { "Back to the shortlist" } }
            p { "Use your browser’s print command (Ctrl and P, or Cmd and P) to print this page." }
            button type="button" class="button" data-print hidden { "Print this page" }
        }
        h1 class="heading-l print-title" { "Services and places to contact" }
        div class="print-intro" {
            div {
                p { "Printed " (date(now)) ". Check with each one before you travel: details can change." }
                p { "See this list online, with any changes: " br; span class="print-url" { (url) } }
            }
            (qr(&url))
        }
        ol class="print-list" {
            @for item in items.iter().filter(|i| i.live) {
                @let page_url = format!("{base}{}", record_href(item.kind.as_str(), item.id));
                li class="print-item" {
                    div class="print-item__text" {
                        h2 class="print-item__name" { (item.name) }
                        @if let Some(n) = &item.note { p class="print-item__note" { strong { "Note: " } (n) } }
                        @if !item.address.is_empty() {
                            p { strong { "Address: " } (item.address.join(", ")) @if item.hidden_address { " (contact them for the address)" } }
                        }
                        @if let Some(p) = &item.phone { p { strong { "Phone: " } (p) } }
                        @if let Some(e) = &item.email { p { strong { "Email: " } (e) } }
                        @if let Some(w) = &item.website { p { strong { "Website: " } (w) } }
                        @if let Some(h) = &item.hours {
                            @if let Some(week) = hours::week_grouped(h, now) {
                                p { strong { "Opening hours:" } }
                                ul class="print-hours" {
                                    @for (day, text) in week.iter().filter(|(_, t)| t != "closed") {
                                        li { (day) ": " (text) }
                                    }
                                }
                                @if let Some(ph) = hours::bank_holidays(h) { p { (ph) } }
                            }
                        }
                        p class="print-url" { (page_url) }
                    }
                    div class="print-item__qr" {
                        (qr(&page_url))
                        p class="print-item__qr-caption" { "Scan for the latest details" }
                    }
                }
            }
        }
    };
    let head = Head {
        noindex: true,
        no_referrer: true,
        map_script: true,
        body_class: Some("print-view"),
        ..Head::titled("Print your shortlist")
    };
    Ok(page(head, &visitor.badge(), content).into_response())
}
