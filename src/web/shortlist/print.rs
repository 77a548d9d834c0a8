//! `/shortlist/{code}/print`: an A4 page with each item's details and a QR code to its page.

use axum::{
    extract::{Path, State},
    response::{IntoResponse, Response},
};
use maud::{Markup, PreEscaped, html};
use std::{
    collections::HashMap,
    fmt::Write,
    sync::{Arc, LazyLock, Mutex},
};

use qrcode::{Color, EcLevel, QrCode};

use super::items::{item_views, live_or_gone};
use crate::AppState;
use crate::web::layout::{Head, date, page};
use crate::web::results::record_href;
use crate::web::{PageError, Visitor, hours};

/// QR codes already drawn, by URL: a print view draws one per item, and the same records are
/// printed again and again. Bounded: cleared when full.
static QR_CACHE: LazyLock<Mutex<HashMap<String, Arc<str>>>> = LazyLock::new(Default::default);
const QR_CACHE_MAX: usize = 2048;
/// Modules of blank margin around the code, as the QR specification asks.
const QUIET_ZONE: usize = 4;

/// An SVG QR code for `url`, for print; hidden from screen readers, which get the link text.
pub fn qr(url: &str) -> Markup {
    let cached = QR_CACHE.lock().ok().and_then(|c| c.get(url).cloned());
    let svg = match cached {
        Some(svg) => svg,
        None => {
            let Some(svg) = draw_qr(url) else {
                return html! {};
            };
            let svg: Arc<str> = svg.into();
            if let Ok(mut c) = QR_CACHE.lock() {
                if c.len() >= QR_CACHE_MAX {
                    c.clear();
                }
                c.insert(url.to_owned(), Arc::clone(&svg));
            }
            svg
        }
    };
    PreEscaped(svg.to_string())
}

/// Draws the code as one SVG path, a horizontal run of dark modules per segment, on a
/// viewBox of whole modules so it scales sharply to any print size.
fn draw_qr(url: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
    let width = code.width();
    let colors = code.to_colors();
    let size = width + 2 * QUIET_ZONE;
    let mut d = String::with_capacity(width * width);
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                let _ = write!(
                    d,
                    "M{} {}h{}v1h-{}z",
                    start + QUIET_ZONE,
                    y + QUIET_ZONE,
                    x - start,
                    x - start
                );
            } else {
                x += 1;
            }
        }
    }
    Some(format!(
        "<svg class=\"qr\" aria-hidden=\"true\" focusable=\"false\" xmlns=\"http://www.w3.org/2000/svg\" \
         viewBox=\"0 0 {size} {size}\" width=\"120\" height=\"120\" shape-rendering=\"crispEdges\">\
         <rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{d}\"/></svg>"
    ))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_drawn_code_has_every_dark_module_and_no_more() {
        let url = "https://example.org/services/7a1c2e3f-0000-4000-8000-000000000001";
        let svg = draw_qr(url).unwrap();
        let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).unwrap();
        let width = code.width();
        let dark: Vec<(usize, usize)> = code
            .to_colors()
            .iter()
            .enumerate()
            .filter(|(_, c)| **c == Color::Dark)
            .map(|(i, _)| (i % width + QUIET_ZONE, i / width + QUIET_ZONE))
            .collect();
        let d = svg.split("d=\"").nth(1).unwrap().split('"').next().unwrap();
        let mut drawn = Vec::new();
        for seg in d.split('M').filter(|s| !s.is_empty()) {
            let (xy, rest) = seg.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            let run: usize = rest.split_once('v').unwrap().0.parse().unwrap();
            drawn.extend((x..x + run).map(|x| (x, y)));
        }
        drawn.sort_unstable_by_key(|&(x, y)| (y, x));
        assert_eq!(drawn, dark);
        let size = width + 2 * QUIET_ZONE;
        assert!(svg.contains(&format!("viewBox=\"0 0 {size} {size}\"")));
        assert_eq!(
            qr(url).into_string(),
            svg,
            "cached answer is the same drawing"
        );
    }
}
