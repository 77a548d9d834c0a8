//! The OpenAPI 3.1 document at `/api/openapi.json`. Schemas are derived from the same Rust
//! types the handlers read and write; paths come from the same list of record kinds the
//! router mounts, so the document and the server cannot drift apart.

use axum::{Json, Router, extract::State, routing::get};
use utoipa::{
    OpenApi,
    openapi::{
        self, ArrayBuilder, ContentBuilder, HttpMethod, ObjectBuilder, Ref, RefOr, Required,
        ResponseBuilder, Schema, Type,
        path::{OperationBuilder, ParameterBuilder, ParameterIn},
        request_body::RequestBodyBuilder,
        security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme},
    },
};

use super::geography::BoundaryList;
use super::health::Health;
use super::records::KINDS;
use crate::AppState;
use crate::domain::{
    Asset, AssetSize, ContactPerson, Location, Organisation, Publication, RecordKind, RecordRef,
    Service, ServiceArea, Space, Taxonomy, TaxonomyTerm, Transfer, transfer, vocab,
};
use crate::error::{ErrorBody, ErrorDetail};
use crate::geo::boundary_store::{
    BoundaryFeature, BoundaryProperties, BoundarySummary, FeatureType,
};
use crate::geo::postcodes::PostcodePoint;
use crate::store::Change;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Junction API",
        description = "A place's public register of community spaces, services, community groups and publicly owned assets.",
    ),
    components(schemas(
        Organisation,
        Location,
        Service,
        Space,
        Asset,
        TaxonomyTerm,
        Taxonomy,
        ContactPerson,
        ServiceArea,
        Publication,
        RecordKind,
        RecordRef,
        Change,
        ErrorBody,
        ErrorDetail,
        Health,
        vocab::OrgType,
        vocab::Accessibility,
        vocab::ServiceStatus,
        vocab::AccessMethod,
        vocab::SpaceType,
        vocab::Facility,
        vocab::Tenure,
        vocab::CommunityUse,
        vocab::TenureDetail,
        vocab::SizeUnit,
        vocab::EnergyRating,
        vocab::TransferTerms,
        AssetSize,
        Transfer,
        BoundaryList,
        BoundarySummary,
        BoundaryFeature,
        BoundaryProperties,
        FeatureType,
        PostcodePoint,
        transfer::NewCase,
        transfer::StageStep,
        transfer::Closing,
        transfer::TransferCase,
        transfer::StageEntry,
        transfer::CaseDocument,
        transfer::CaseState,
        transfer::TransferTerms,
        transfer::PublicTransferStatus,
        transfer::PublicStatus,
        super::transfer_cases::CreatedCase,
    ))
)]
struct ApiDoc;

pub fn routes() -> Router<AppState> {
    Router::new().route(
        "/api/openapi.json",
        get(|State(state): State<AppState>| async move { Json(document(&state.config)) }),
    )
}

fn schema_name(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Organisation => "Organisation",
        RecordKind::Location => "Location",
        RecordKind::Service => "Service",
        RecordKind::Space => "Space",
        RecordKind::Asset => "Asset",
        RecordKind::TaxonomyTerm => "TaxonomyTerm",
    }
}

fn json_content(schema: impl Into<RefOr<Schema>>) -> openapi::Content {
    ContentBuilder::new().schema(Some(schema)).build()
}

fn page_of(item: &str) -> Schema {
    let integer = || {
        ObjectBuilder::new()
            .schema_type(Type::Integer)
            .minimum(Some(0))
    };
    ObjectBuilder::new()
        .property(
            "items",
            ArrayBuilder::new().items(Ref::from_schema_name(item)),
        )
        .property("page", integer())
        .property("per_page", integer())
        .property("total", integer())
        .required("items")
        .required("page")
        .required("per_page")
        .required("total")
        .into()
}

fn error(description: &str) -> openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            json_content(Ref::from_schema_name("ErrorBody")),
        )
        .build()
}

fn record_response(description: &str, name: &str) -> openapi::Response {
    ResponseBuilder::new()
        .description(description)
        .header(
            "ETag",
            openapi::header::Header::new(ObjectBuilder::new().schema_type(Type::String)),
        )
        .content(
            "application/json",
            json_content(Ref::from_schema_name(name)),
        )
        .build()
}

fn query_param(name: &str, description: &str, integer: bool) -> openapi::path::Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(description))
        .schema(Some(ObjectBuilder::new().schema_type(if integer {
            Type::Integer
        } else {
            Type::String
        })))
        .build()
}

fn id_param() -> openapi::path::Parameter {
    ParameterBuilder::new()
        .name("id")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .schema(Some(ObjectBuilder::new().schema_type(Type::String).format(
            Some(openapi::SchemaFormat::KnownFormat(
                openapi::KnownFormat::Uuid,
            )),
        )))
        .build()
}

fn bearer() -> SecurityRequirement {
    SecurityRequirement::new("bearer", Vec::<String>::new())
}

/// Builds the document for a server configured as `config` (the ORUK API's mount).
pub fn document(config: &crate::Config) -> openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    for kind in KINDS {
        let name = schema_name(kind);
        let label = kind.label();
        let base = format!("/api/v1/{}", kind.resource());
        let body = || {
            Some(
                RequestBodyBuilder::new()
                    .required(Some(Required::True))
                    .content(
                        "application/json",
                        json_content(Ref::from_schema_name(name)),
                    )
                    .build(),
            )
        };
        let list = OperationBuilder::new()
            .tag(kind.resource())
            .operation_id(Some(format!("list_{}", kind.as_str())))
            .summary(Some(format!(
                "List {label} records (published only without a token)"
            )))
            .description(Some("Published records in their public view; drafts and archived records too for administrators' and moderators' tokens, and an editor's token's own organisation's (in full). With `q`, only administrators and moderators see unpublished records."))
            .parameter(query_param(
                "q",
                "Full-text search over name, description and categories",
                false,
            ))
            .parameter(query_param("page", "Page number, from 1", true))
            .parameter(query_param(
                "per_page",
                "Items per page, 1 to 200 (default 20)",
                true,
            ))
            .response(
                "200",
                ResponseBuilder::new()
                    .description("A page")
                    .content("application/json", json_content(page_of(name))),
            )
            .response("400", error("A paging parameter is out of range"))
            .response("401", error("A token was sent but is not valid"));
        let create = OperationBuilder::new()
            .tag(kind.resource())
            .operation_id(Some(format!("create_{}", kind.as_str())))
            .summary(Some(format!("Create a {label}")))
            .request_body(body())
            .security(bearer())
            .response(
                "201",
                record_response("Created; `Location` names the new record", name),
            )
            .response("400", error("The body is not JSON"))
            .response("401", error("No valid token"))
            .response("403", error("The token's role or organisation does not cover this record (`forbidden`, `field` names the owner field); nothing was written"))
            .response("422", error("A field failed validation; `field` names it"));
        doc.paths
            .add_path_operation(&base, vec![HttpMethod::Get], list);
        doc.paths
            .add_path_operation(&base, vec![HttpMethod::Post], create);

        let item = format!("{base}/{{id}}");
        let read = OperationBuilder::new()
            .tag(kind.resource())
            .operation_id(Some(format!("get_{}", kind.as_str())))
            .summary(Some(format!(
                "One {label}: the public view, or the full record with a token that covers it"
            )))
            .description(Some("Without a token, or with an organisation editor's token for another organisation's record, a published record in its public view (no contact person, hidden addresses coarsened) and 404 for a draft. Administrators' and moderators' tokens, and an editor's token for its own organisation's records, get the full record, drafts included."))
            .parameter(id_param())
            .response(
                "200",
                record_response("The record; `ETag` carries its version", name),
            )
            .response("404", error("No such record"));
        let update = OperationBuilder::new()
            .tag(kind.resource())
            .operation_id(Some(format!("update_{}", kind.as_str())))
            .summary(Some(format!("Replace a {label}'s editable fields")))
            .description(Some("Send the body a GET returned, edited, with `If-Match` set to its ETag. Read-only fields are ignored."))
            .parameter(id_param())
            .parameter(
                ParameterBuilder::new()
                    .name("If-Match")
                    .parameter_in(ParameterIn::Header)
                    .required(Required::True)
                    .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                    .build(),
            )
            .request_body(body())
            .security(bearer())
            .response("200", record_response("Updated", name))
            .response("401", error("No valid token"))
            .response("403", error("The token's role or organisation does not cover the stored record or the new owner (`forbidden`); nothing was written"))
            .response("404", error("No such record"))
            .response("412", error("The record changed since the version in If-Match; nothing was written"))
            .response("422", error("A field failed validation"))
            .response("428", error("If-Match is missing"));
        let delete = OperationBuilder::new()
            .tag(kind.resource())
            .operation_id(Some(format!("delete_{}", kind.as_str())))
            .summary(Some(format!("Delete a {label}")))
            .parameter(id_param())
            .security(bearer())
            .response("204", ResponseBuilder::new().description("Deleted").build())
            .response("401", error("No valid token"))
            .response("403", error("The token's role or organisation does not cover this record (`forbidden`); nothing was deleted"))
            .response("404", error("No such record"))
            .response(
                "409",
                error("Other records still point at this one; `dependants` lists them"),
            );
        doc.paths
            .add_path_operation(&item, vec![HttpMethod::Get], read);
        doc.paths
            .add_path_operation(&item, vec![HttpMethod::Put], update);
        doc.paths
            .add_path_operation(&item, vec![HttpMethod::Delete], delete);

        let history = OperationBuilder::new()
            .tag(kind.resource())
            .operation_id(Some(format!("history_{}", kind.as_str())))
            .summary(Some(format!(
                "A {label}'s change-log entries, newest first"
            )))
            .description(Some("Every earlier version in full. Administrators' and moderators' tokens read any record's history; an organisation editor's token its own organisation's records' only. Values removed by an erasure request are null (contact persons) or `[redacted]` in text."))
            .parameter(id_param())
            .security(bearer())
            .response(
                "200",
                ResponseBuilder::new()
                    .description("The history")
                    .content("application/json", json_content(page_of("Change"))),
            )
            .response("401", error("No valid token"))
            .response("403", error("An editor's token for another organisation's record (`forbidden`)"))
            .response("404", error("No such record"));
        doc.paths
            .add_path_operation(format!("{item}/history"), vec![HttpMethod::Get], history);

        let verify = OperationBuilder::new()
            .tag(kind.resource())
            .operation_id(Some(format!("verify_{}", kind.as_str())))
            .summary(Some(format!(
                "\"Still correct\": mark a {label} as checked now"
            )))
            .description(Some("Sets `last_verified_at` to now without an edit: the version (and ETag) and `updated_at` stay, and the change log gets a row of op `verify`. The record's next review falls due one interval (per kind, default 6 months) later."))
            .parameter(id_param())
            .security(bearer())
            .response("200", record_response("The record as it now is", name))
            .response("401", error("No valid token"))
            .response("403", error("The token's role or organisation does not cover this record (`forbidden`)"))
            .response("404", error("No such record"));
        doc.paths
            .add_path_operation(format!("{item}/verify"), vec![HttpMethod::Post], verify);
    }
    doc.paths.add_path_operation(
        "/api/v1/taxonomies",
        vec![HttpMethod::Get],
        OperationBuilder::new()
            .tag("taxonomies")
            .operation_id(Some("list_taxonomies"))
            .response(
                "200",
                ResponseBuilder::new()
                    .description("Every taxonomy")
                    .content("application/json", json_content(page_of("Taxonomy"))),
            ),
    );
    add_geography(&mut doc);
    super::search_openapi::document_paths(&mut doc);
    super::oruk::document_paths(&mut doc, config.oruk_mount());
    super::feeds::document_paths(&mut doc);
    super::export::document_paths(&mut doc);
    super::transparency::document_paths(&mut doc);
    super::transfer_cases::document_paths(&mut doc);
    super::acv::document_paths(&mut doc);
    for (path, what) in [
        ("/healthz", "The process is up"),
        ("/readyz", "The database and the search index are reachable"),
    ] {
        doc.paths.add_path_operation(
            path,
            vec![HttpMethod::Get],
            OperationBuilder::new()
                .tag("health")
                .summary(Some(what))
                .response(
                    "200",
                    ResponseBuilder::new().description(what).content(
                        "application/json",
                        json_content(Ref::from_schema_name("Health")),
                    ),
                )
                .response("503", error("Not ready")),
        );
    }
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "bearer",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some("A token from `junction token create`"))
                .build(),
        ),
    );
    doc
}

fn path_param(name: &str, description: &str) -> openapi::path::Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(description))
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .build()
}

/// Boundaries and postcodes (`api::geography`).
fn add_geography(doc: &mut openapi::OpenApi) {
    let ok = |description: &str, content_type: &str, schema: &str| {
        ResponseBuilder::new()
            .description(description)
            .content(content_type, json_content(Ref::from_schema_name(schema)))
    };
    doc.paths.add_path_operation(
        "/api/v1/boundaries",
        vec![HttpMethod::Get],
        OperationBuilder::new()
            .tag("geography")
            .operation_id(Some("list_boundaries"))
            .summary(Some(
                "Every boundary (ward, district, …), without geometries",
            ))
            .parameter(query_param(
                "type",
                "Only boundaries of this type, e.g. `ward`",
                false,
            ))
            .response(
                "200",
                ok(
                    "The boundaries, by name",
                    "application/json",
                    "BoundaryList",
                ),
            )
            .response("400", error("The query string could not be read")),
    );
    doc.paths.add_path_operation(
        "/api/v1/boundaries/{code}",
        vec![HttpMethod::Get],
        OperationBuilder::new()
            .tag("geography")
            .operation_id(Some("get_boundary"))
            .summary(Some("One boundary as a GeoJSON Feature"))
            .parameter(path_param("code", "The boundary's code, e.g. `E05000735`"))
            .response(
                "200",
                ok("The boundary", "application/geo+json", "BoundaryFeature"),
            )
            .response("404", error("No boundary has this code")),
    );
    doc.paths.add_path_operation(
        "/api/v1/postcodes/{postcode}",
        vec![HttpMethod::Get],
        OperationBuilder::new()
            .tag("geography")
            .operation_id(Some("get_postcode"))
            .summary(Some("A postcode's point, in any spacing or case"))
            .parameter(path_param("postcode", "A full UK postcode, e.g. `OL1 1AA`"))
            .response(
                "200",
                ok("The postcode's point", "application/json", "PostcodePoint"),
            )
            .response(
                "400",
                error("Not a UK postcode (`invalid_postcode`, field `postcode`)"),
            )
            .response("404", error("The postcode is not loaded")),
    );
}
