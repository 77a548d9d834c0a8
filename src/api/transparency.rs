//! `GET /exports/transparency.csv`: the published assets as the Local Government Transparency
//! Code 2015 land and building assets CSV (see `crate::export::transparency`).

use axum::{
    Router,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
    routing::get,
};

use crate::AppState;
use crate::error::Result;
use crate::export::transparency;

pub const TRANSPARENCY_PATH: &str = "/exports/transparency.csv";

pub fn routes() -> Router<AppState> {
    Router::new().route(TRANSPARENCY_PATH, get(transparency_csv))
}

async fn transparency_csv(State(state): State<AppState>) -> Result<Response> {
    let body = transparency::csv(&state.store).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"transparency.csv\"",
            ),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        body,
    )
        .into_response())
}

/// The path for the OpenAPI document.
pub fn document_paths(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{
        ContentBuilder, HttpMethod, ObjectBuilder, ResponseBuilder, Type, path::OperationBuilder,
    };
    let csv = ObjectBuilder::new()
        .schema_type(Type::String)
        .content_media_type("text/csv");
    let op = OperationBuilder::new()
        .tag("exports")
        .operation_id(Some("export_transparency_csv"))
        .summary(Some(
            "The published assets as the Transparency Code land and building assets CSV",
        ))
        .description(Some(format!(
            "Local Government Transparency Code 2015 land and building assets, one row per published asset, UTF-8, with the header {}. Eastings, northings and tenures are written as the owner published them while they still describe the asset, so importing the file again (`junction import transparency-csv`) changes nothing.",
            transparency::HEADER.join(",")
        )))
        .response(
            "200",
            ResponseBuilder::new()
                .description("The CSV file")
                .content("text/csv", ContentBuilder::new().schema(Some(csv)).build()),
        );
    doc.paths
        .add_path_operation(TRANSPARENCY_PATH, vec![HttpMethod::Get], op);
}
