//! `/transfer-cases/{token}`: the applicant's private view of their case, reached only
//! through the link shown once and emailed to them. It shows the stages with their dates and
//! deadlines, the notes the council marked for the applicant, the documents sent so far, and
//! a form to send more. Never indexed, never cached, and sends no Referer.

use axum::{
    extract::{Path, Query, Request, State},
    http::{StatusCode, header},
    response::{IntoResponse, Redirect, Response},
};
use maud::html;
use serde::Deserialize;

use super::{day, documents, history, read_upload, upload_form};
use crate::AppState;
use crate::domain::transfer::{CaseState, TransferCase, today};
use crate::error::AppError;
use crate::web::PageError;
use crate::web::layout::{Badge, Head, error_summary, page};
use crate::web::results::record_href;

#[derive(Debug, Default, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

async fn load(state: &AppState, token: &str) -> Result<TransferCase, PageError> {
    let stages = state.config.transfer_stages();
    Ok(state
        .store
        .transfer_case_by_token(token, &stages)
        .await?
        .ok_or_else(|| AppError::NotFound("transfer case".into()))?)
}

async fn render(
    state: &AppState,
    token: &str,
    case: &TransferCase,
    status: StatusCode,
    errors: &[(String, String)],
    notice: Option<&str>,
) -> Result<Response, PageError> {
    let asset_name = state
        .store
        .name_of(crate::domain::RecordKind::Asset, case.asset_id)
        .await?
        .unwrap_or_default();
    let now = today();
    let content = html! {
        (error_summary(errors))
        @if let Some(n) = notice {
            div class="panel panel--notice" role="status" { p { (n) } }
        }
        span class="caption" { "Your community asset transfer case" }
        h1 class="heading-l" { (asset_name) }
        p { "From " (case.group_name) ", received " (day(case.created_at.date_naive())) ". "
            a href=(record_href("asset", case.asset_id)) { "See the public page of " (asset_name) } }
        dl class="summary-list" {
            div class="summary-list__row" {
                dt class="summary-list__key" { "Where your case is" }
                dd class="summary-list__value" {
                    strong { (case.stage_label) }
                    @if case.state == CaseState::Completed {
                        @if let Some(t) = case.terms { " — transferred on " (t.label()) }
                        @if let Some(d) = &case.terms_detail { " (" (d) ")" }
                    }
                }
            }
            @if let Some(d) = case.current_deadline() {
                div class="summary-list__row" {
                    dt class="summary-list__key" { "Deadline" }
                    dd class="summary-list__value" {
                        (day(d))
                        @if case.is_overdue(now) { " " strong class="tag tag--red" { "Overdue" } }
                    }
                }
            }
        }
        h2 class="heading-m" { "Stages" }
        (history(case, false, now))
        h2 class="heading-m" { "Your proposal" }
        p { (case.proposal) }
        h2 class="heading-m" { "Documents" }
        (documents(case, None))
        @if case.state == CaseState::Open {
            (upload_form(&format!("/transfer-cases/{token}/documents"), html! {}, errors))
        }
        p class="hint" { "Keep this page’s link private: anyone who has it can see your case." }
    };
    let head = Head {
        noindex: true,
        no_referrer: true,
        ..Head::titled(format!("Your case: {asset_name}"))
    };
    Ok((
        status,
        [(header::CACHE_CONTROL, "no-store")],
        page(head, &Badge::default(), content),
    )
        .into_response())
}

/// `GET /transfer-cases/{token}`.
pub async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
    Query(q): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let case = load(&state, &token).await?;
    let notice = (q.done.as_deref() == Some("uploaded")).then_some("Your document was uploaded.");
    render(&state, &token, &case, StatusCode::OK, &[], notice).await
}

/// `POST /transfer-cases/{token}/documents`: the applicant sends a document.
pub async fn upload(
    State(state): State<AppState>,
    Path(token): Path<String>,
    request: Request,
) -> Result<Response, PageError> {
    let case = load(&state, &token).await?;
    if case.state != CaseState::Open {
        let errors = vec![(
            "document".to_owned(),
            "This case is closed: it takes no more documents".to_owned(),
        )];
        return render(&state, &token, &case, StatusCode::CONFLICT, &errors, None).await;
    }
    let (parts, body) = request.into_parts();
    let upload = match read_upload(&parts.headers, body).await {
        Ok(u) => u,
        Err(refused) => {
            let errors = vec![("document".to_owned(), refused.message)];
            return render(&state, &token, &case, refused.status, &errors, None).await;
        }
    };
    state
        .store
        .add_transfer_document(
            case.id,
            &upload.accepted,
            &upload.data,
            "applicant",
            &state.config.transfer_documents_dir(),
        )
        .await?;
    tracing::info!(case = %case.id, "the applicant uploaded a document");
    Ok(Redirect::to(&format!("/transfer-cases/{token}?done=uploaded")).into_response())
}
