//! `GET /api/v1/export/datapackage.zip`: the whole published register as the HSDS 3.0
//! tabular datapackage, streamed as it is written (see `crate::export::datapackage`).

use axum::{
    Router,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
    routing::get,
};

use crate::AppState;
use crate::export::{self, datapackage};

pub const DATAPACKAGE_PATH: &str = "/api/v1/export/datapackage.zip";

pub fn routes() -> Router<AppState> {
    Router::new().route(DATAPACKAGE_PATH, get(datapackage_zip))
}

async fn datapackage_zip(State(state): State<AppState>) -> Response {
    let pieces = datapackage::spawn(
        state.store.clone(),
        datapackage::PackageInfo::new(&state.config),
    );
    (
        [
            (header::CONTENT_TYPE, "application/zip"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"datapackage.zip\"",
            ),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        export::body(pieces),
    )
        .into_response()
}

/// The export paths for the OpenAPI document.
pub fn document_paths(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{
        ContentBuilder, HttpMethod, ObjectBuilder, ResponseBuilder, Type, path::OperationBuilder,
    };
    let zip = ObjectBuilder::new()
        .schema_type(Type::String)
        .content_media_type("application/zip");
    let op = OperationBuilder::new()
        .tag("exports")
        .operation_id(Some("export_datapackage"))
        .summary(Some("The published register as the HSDS 3.0 tabular datapackage"))
        .description(Some(
            "A zip of datapackage.json and one CSV per HSDS table Junction fills (organizations, services, locations, service_at_location, addresses, phones, schedules, contacts, languages, cost_options, service_areas, attributes, accessibility, taxonomies, taxonomy_terms, organization_identifiers), with the same values as the ORUK API: published records only, hidden addresses coarsened, no contact persons. Streamed as it is written.",
        ))
        .response(
            "200",
            ResponseBuilder::new()
                .description("The datapackage zip")
                .content(
                    "application/zip",
                    ContentBuilder::new().schema(Some(zip)).build(),
                ),
        );
    doc.paths
        .add_path_operation(DATAPACKAGE_PATH, vec![HttpMethod::Get], op);
}
