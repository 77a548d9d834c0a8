//! What the shortlist and print pages show of each item: the record's public view (name,
//! address, contact, hours) or "no longer listed", and the note.

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};
use maud::html;
use uuid::Uuid;

use crate::AppState;
use crate::domain::{Asset, Location, Organisation, RecordKind, Service, Space};
use crate::error::AppError;
use crate::store::Shortlist;
use crate::store::shortlists::LIFETIME_DAYS;
use crate::web::layout::{Head, page};
use crate::web::records::{address_lines, load_public, public_many};
use crate::web::{PageError, Visitor};

/// One item as the shortlist and print pages show it.
pub struct ItemView {
    pub kind: RecordKind,
    pub id: Uuid,
    pub name: String,
    /// None when the record is no longer published.
    pub live: bool,
    pub address: Vec<String>,
    pub hidden_address: bool,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub website: Option<String>,
    pub hours: Option<String>,
    pub note: Option<String>,
}

pub async fn item_views(state: &AppState, list: &Shortlist) -> Result<Vec<ItemView>, PageError> {
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

pub async fn live_or_gone(
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
