//! `/shortlist/{code}/print`: an A4 page with each item's details and a QR code to its page.

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Response},
};
use maud::{Markup, PreEscaped, html};
use qrcode::{EcLevel, QrCode, render::svg};

use super::items::{item_views, live_or_gone};
use crate::AppState;
use crate::web::layout::{Head, date, page};
use crate::web::results::record_href;
use crate::web::{PageError, Visitor, hours};

/// An SVG QR code for `url`, for print; hidden from screen readers, which get the link text.
pub fn qr(url: &str) -> Markup {
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

pub async fn print(
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
