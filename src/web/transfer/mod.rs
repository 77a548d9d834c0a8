//! Community asset transfer on the public site:
//!
//! - [`interest`]: `/assets/{id}/interest`, the "Express interest" form of an asset offered
//!   for transfer, and the confirmation page that shows the private link once;
//! - [`applicant`]: `/transfer-cases/{token}`, the applicant's private view of their case
//!   (stages, dates, deadlines, notes marked for them) with a document upload form;
//! - [`asset_section`]: the "Community asset transfer" block of the asset's page — under
//!   consideration, or the outcome — from the cases' public status only.
//!
//! Staff pages are in `web::admin::transfer_cases`.

mod applicant;
mod interest;
pub mod multipart;

use axum::{
    Router,
    routing::{get, post},
};
use maud::{Markup, html};

use crate::AppState;
use crate::domain::Asset;
use crate::domain::transfer::{PublicStatus, interest_closed_on, today};
use crate::domain::vocab::CommunityUse;
use crate::web::PageError;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/assets/{id}/interest",
            get(interest::show).post(interest::submit),
        )
        .route("/transfer-cases/{token}", get(applicant::show))
        .route("/transfer-cases/{token}/documents", post(applicant::upload))
}

/// The body of an upload form may be this much bigger than the file it carries.
pub const FORM_OVERHEAD: usize = 64 * 1024;

/// The asset page's "Community asset transfer" block: the public status of each case that
/// has one, and the way to express interest while the asset is on offer. Empty when there is
/// nothing to say.
pub async fn asset_section(state: &AppState, asset: &Asset) -> Result<Markup, PageError> {
    let statuses = crate::transfer::public_statuses(state, asset.id).await?;
    let offered = asset.community_use == CommunityUse::OfferedForTransfer;
    if statuses.is_empty() && !offered {
        return Ok(html! {});
    }
    let closed_on = interest_closed_on(asset.transfer_closing_date, today());
    let open = statuses
        .iter()
        .any(|s| s.status == PublicStatus::UnderConsideration);
    Ok(html! {
        section class="transfer-status" aria-labelledby="transfer-heading" {
            h2 class="heading-m" id="transfer-heading" { "Community asset transfer" }
            @for s in &statuses {
                p {
                    strong { (s.sentence()) }
                    @if let Some(stage) = &s.stage_label {
                        " (expression of interest received " (day(s.since)) "; stage: " (stage) ")"
                    }
                }
            }
            @if offered {
                @match closed_on {
                    Some(d) => {
                        p { "This land or building was offered for community asset transfer. Expressions of interest closed on " (day(d)) "." }
                    }
                    None => {
                        p {
                            "This land or building is offered for community asset transfer: a community group can ask to take it on."
                            @if open { " Other groups may still express interest." }
                        }
                        p { a class="button" href={ "/assets/" (asset.id) "/interest" } { "Express interest" } }
                    }
                }
            }
        }
    })
}

/// "3 March 2027".
pub fn day(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// A case's stages as a table: stage, date entered, officer, deadline and notes. The
/// applicant sees only notes marked for them (`staff` false); staff see every note, marked.
pub fn history(
    case: &crate::domain::transfer::TransferCase,
    staff: bool,
    today: chrono::NaiveDate,
) -> Markup {
    let last = case.history.len().saturating_sub(1);
    html! {
        table class="table" {
            caption class="visually-hidden" { "Stages of the case" }
            thead { tr {
                th scope="col" { "Stage" }
                th scope="col" { "Date" }
                th scope="col" { "Officer" }
                th scope="col" { "Deadline" }
                th scope="col" { "Notes" }
            } }
            tbody {
                @for (i, h) in case.history.iter().enumerate() {
                    tr {
                        td { (h.stage_label) }
                        td { (day(h.entered_on)) }
                        td { @if let Some(o) = &h.officer { (o) } }
                        td {
                            @if let Some(d) = h.deadline {
                                (day(d))
                                @if i == last && case.is_overdue(today) {
                                    " " strong class="tag tag--red" { "Overdue" }
                                }
                            }
                        }
                        td {
                            @if let Some(n) = &h.notes {
                                @if h.notes_public || staff {
                                    (n)
                                    @if staff && !h.notes_public { " " strong class="tag" { "Staff only" } }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The documents of a case; with `link`, each name links to its download (staff only).
pub fn documents(
    case: &crate::domain::transfer::TransferCase,
    link: Option<&dyn Fn(uuid::Uuid) -> String>,
) -> Markup {
    html! {
        @if case.documents.is_empty() {
            p { "No documents yet." }
        } @else {
            ul class="list-bullet" {
                @for d in &case.documents {
                    li {
                        @if let Some(href) = link {
                            a href=(href(d.id)) { (d.file_name) }
                        } @else {
                            (d.file_name)
                        }
                        " (" (crate::domain::upload::size_words(d.size_bytes)) ", "
                        @if d.uploaded_by == "applicant" { "from the applicant" } @else { "from the council" }
                        ", " (crate::web::layout::date(d.uploaded_at)) ")"
                    }
                }
            }
        }
    }
}

/// The document upload form (`multipart/form-data`); `hidden` adds fields such as the CSRF
/// token.
pub fn upload_form(action: &str, hidden: Markup, errors: &[(String, String)]) -> Markup {
    use crate::web::layout::{field_error, has_error};
    html! {
        form method="post" action=(action) enctype="multipart/form-data" novalidate {
            (hidden)
            div class={ "form-group" @if has_error(errors, "document") { " form-group--error" } } {
                label class="label" for="document" { "Upload a document" }
                div class="hint" id="document-hint" {
                    "A " (crate::domain::upload::ALLOWED) ", up to 10 MB."
                }
                (field_error(errors, "document"))
                input class={ "input" @if has_error(errors, "document") { " input--error" } } id="document" name="document" type="file"
                    accept=".pdf,.docx,.odt,.png,.jpg,.jpeg" aria-describedby="document-hint";
            }
            button type="submit" class="button button--secondary" { "Upload" }
        }
    }
}

/// A checked upload: the form's other fields, the file's tidied name and type, its bytes.
pub struct Upload {
    pub parts: multipart::Parts,
    pub accepted: crate::domain::upload::Accepted,
    pub data: Vec<u8>,
}

/// A refused upload: the status to answer with, the form's fields (for its CSRF token), and
/// the message for the form's `document` field.
pub struct UploadRefused {
    pub status: axum::http::StatusCode,
    pub parts: multipart::Parts,
    pub message: String,
}

/// Reads an upload form's file and checks it against the size limit and the allow-list.
pub async fn read_upload(
    headers: &axum::http::HeaderMap,
    body: axum::body::Body,
) -> Result<Upload, UploadRefused> {
    use crate::domain::upload::{MAX_BYTES, check};
    use axum::http::StatusCode;
    let refuse = |status, parts, message: &str| UploadRefused {
        status,
        parts,
        message: message.to_owned(),
    };
    let parts = match multipart::read(headers, body, MAX_BYTES + FORM_OVERHEAD).await {
        Ok(p) => p,
        Err(multipart::Refused::TooLarge) => {
            return Err(refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                multipart::Parts::default(),
                "The file is larger than 10 MB: the largest allowed is 10 MB",
            ));
        }
        Err(multipart::Refused::Malformed) => {
            return Err(refuse(
                StatusCode::BAD_REQUEST,
                multipart::Parts::default(),
                "The upload could not be read: choose the file again and send the form",
            ));
        }
    };
    let (name, data) = match parts.file("document") {
        Some(f) => (f.file_name.clone().unwrap_or_default(), f.data.clone()),
        None => (String::new(), Vec::new()),
    };
    match check("document", &name, &data) {
        Ok(accepted) => Ok(Upload {
            parts,
            accepted,
            data,
        }),
        Err(e) => Err(UploadRefused {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            parts,
            message: e.message,
        }),
    }
}
