//! Community asset transfer cases over the API.
//!
//! - `POST /api/v1/assets/{id}/transfer-cases` (no token): an expression of interest; the
//!   answer carries the applicant's private link, once.
//! - `GET /api/v1/assets/{id}/transfer-status` (public): what the asset's page shows.
//! - Staff (tokens with the admin or moderator role): `GET /api/v1/assets/{id}/transfer-cases`,
//!   `GET /api/v1/transfer-cases`, `GET /api/v1/transfer-cases/{id}`,
//!   `POST /api/v1/transfer-cases/{id}/stages` (move on) and `POST …/{id}/close`.

use axum::{
    Json, Router,
    extract::{FromRequestParts, Path, State},
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::extract::{ApiJson, Editor};
use crate::AppState;
use crate::domain::Record;
use crate::domain::transfer::{Closing, NewCase, PublicTransferStatus, StageStep, TransferCase};
use crate::error::{AppError, ErrorBody, ErrorDetail};
use crate::store::Actor;
use crate::store::tokens::TokenHolder;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/assets/{id}/transfer-cases",
            post(create).get(of_asset),
        )
        .route("/api/v1/assets/{id}/transfer-status", get(status))
        .route("/api/v1/transfer-cases", get(list))
        .route("/api/v1/transfer-cases/{id}", get(one))
        .route("/api/v1/transfer-cases/{id}/stages", post(advance))
        .route("/api/v1/transfer-cases/{id}/close", post(close))
}

/// The answer to an expression of interest.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedCase {
    pub id: Uuid,
    pub asset_id: Uuid,
    pub stage: String,
    pub stage_label: String,
    /// The applicant's private link to follow the case. Shown once: only its hash is kept.
    pub private_link: String,
}

/// A list of cases or statuses.
#[derive(Debug, Serialize)]
pub struct Items<T> {
    pub items: Vec<T>,
}

fn parse_id(raw: &str, what: &str) -> Result<Uuid, AppError> {
    raw.parse()
        .map_err(|_| AppError::NotFound(format!("{what} {raw}")))
}

async fn create(
    State(state): State<AppState>,
    Path(id): Path<String>,
    ApiJson(new): ApiJson<NewCase>,
) -> Result<Response, AppError> {
    let asset_id = parse_id(&id, "asset")?;
    let done = crate::transfer::express_interest(&state, asset_id, new).await?;
    let body = CreatedCase {
        id: done.case.id,
        asset_id,
        stage: done.case.stage,
        stage_label: done.case.stage_label,
        private_link: done.link,
    };
    Ok((
        StatusCode::CREATED,
        [(header::CACHE_CONTROL, "no-store")],
        Json(body),
    )
        .into_response())
}

async fn status(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<Items<PublicTransferStatus>>, AppError> {
    let asset_id = parse_id(&id, "asset")?;
    // Only for a published asset: a draft's cases say nothing to the public.
    let published = state
        .store
        .get::<crate::domain::Asset>(asset_id)
        .await?
        .is_some_and(|a| a.publication() == crate::domain::Publication::Published);
    if !published {
        return Err(AppError::NotFound(format!("asset {asset_id}")));
    }
    Ok(Json(Items {
        items: crate::transfer::public_statuses(&state, asset_id).await?,
    }))
}

/// A caller with an admin or moderator token: council staff. Anyone else is refused — 401
/// without a valid token, 403 `forbidden` with an editor's.
pub struct Staff(pub TokenHolder);

impl Staff {
    fn actor(&self) -> Actor {
        Actor::new(format!("token:{}", self.0.name))
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let Editor(holder) = Editor::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        if !holder.role.sees_all_records() {
            let body = ErrorBody {
                error: ErrorDetail {
                    code: "forbidden".into(),
                    message: "only council staff (an admin or moderator token) may see or change transfer cases".into(),
                    field: None,
                    dependants: None,
                },
            };
            return Err((StatusCode::FORBIDDEN, Json(body)).into_response());
        }
        Ok(Staff(holder))
    }
}

async fn of_asset(
    State(state): State<AppState>,
    _staff: Staff,
    Path(id): Path<String>,
) -> Result<Json<Items<TransferCase>>, AppError> {
    let asset_id = parse_id(&id, "asset")?;
    let stages = state.config.transfer_stages();
    Ok(Json(Items {
        items: state
            .store
            .transfer_cases_of_asset(asset_id, &stages)
            .await?,
    }))
}

async fn list(
    State(state): State<AppState>,
    _staff: Staff,
) -> Result<Json<Items<TransferCase>>, AppError> {
    let stages = state.config.transfer_stages();
    Ok(Json(Items {
        items: state
            .store
            .transfer_cases(&stages)
            .await?
            .into_iter()
            .map(|l| l.case)
            .collect(),
    }))
}

async fn one(
    State(state): State<AppState>,
    _staff: Staff,
    Path(id): Path<String>,
) -> Result<Json<TransferCase>, AppError> {
    let id = parse_id(&id, "transfer case")?;
    let stages = state.config.transfer_stages();
    state
        .store
        .transfer_case(id, &stages)
        .await?
        .map(Json)
        .ok_or_else(|| AppError::NotFound("transfer case".into()))
}

async fn advance(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    ApiJson(step): ApiJson<StageStep>,
) -> Result<Json<TransferCase>, AppError> {
    let id = parse_id(&id, "transfer case")?;
    let stages = state.config.transfer_stages();
    Ok(Json(
        state
            .store
            .advance_transfer_case(id, step, &stages, &staff.actor())
            .await?,
    ))
}

async fn close(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    ApiJson(closing): ApiJson<Closing>,
) -> Result<Json<TransferCase>, AppError> {
    let id = parse_id(&id, "transfer case")?;
    let stages = state.config.transfer_stages();
    Ok(Json(
        state
            .store
            .close_transfer_case(id, closing, &stages, &staff.actor())
            .await?,
    ))
}

/// The OpenAPI paths of this module.
pub fn document_paths(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{
        ArrayBuilder, ContentBuilder, HttpMethod, ObjectBuilder, Ref, Required, ResponseBuilder,
        Type,
        path::{OperationBuilder, ParameterBuilder, ParameterIn},
        request_body::RequestBodyBuilder,
        security::SecurityRequirement,
    };
    let json = |schema: &str| {
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name(schema)))
            .build()
    };
    let items = |schema: &str| {
        ContentBuilder::new()
            .schema(Some(
                ObjectBuilder::new()
                    .property(
                        "items",
                        ArrayBuilder::new().items(Ref::from_schema_name(schema)),
                    )
                    .required("items"),
            ))
            .build()
    };
    let error = |d: &str| {
        ResponseBuilder::new()
            .description(d)
            .content("application/json", json("ErrorBody"))
            .build()
    };
    let id = || {
        ParameterBuilder::new()
            .name("id")
            .parameter_in(ParameterIn::Path)
            .required(Required::True)
            .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
            .build()
    };
    let body = |schema: &str| {
        Some(
            RequestBodyBuilder::new()
                .required(Some(Required::True))
                .content("application/json", json(schema))
                .build(),
        )
    };
    let bearer = || SecurityRequirement::new("bearer", Vec::<String>::new());
    let staff = |op: OperationBuilder| {
        op.tag("transfer-cases")
            .security(bearer())
            .response("401", error("No valid token"))
            .response(
                "403",
                error("The token is not an admin's or moderator's (`forbidden`)"),
            )
    };
    let paths = &mut doc.paths;
    paths.add_path_operation(
        "/api/v1/assets/{id}/transfer-cases",
        vec![HttpMethod::Post],
        OperationBuilder::new()
            .tag("transfer-cases")
            .operation_id(Some("create_transfer_case"))
            .summary(Some("Express interest in an asset offered for community asset transfer (no token needed)"))
            .parameter(id())
            .request_body(body("NewCase"))
            .response(
                "201",
                ResponseBuilder::new()
                    .description("The case, at its first stage; `private_link` is shown once and emailed to `contact_email`")
                    .content("application/json", json("CreatedCase")),
            )
            .response("404", error("No such published asset"))
            .response("409", error("The asset is not offered for transfer (`conflict`, field `asset_id`), or its `transfer_closing_date` has passed in the UK (`interest_closed`, field `asset`; the closing date itself still counts)"))
            .response("422", error("A field failed validation; `field` names it")),
    );
    paths.add_path_operation(
        "/api/v1/assets/{id}/transfer-cases",
        vec![HttpMethod::Get],
        staff(
            OperationBuilder::new()
                .operation_id(Some("list_asset_transfer_cases"))
                .summary(Some("Staff: every transfer case of an asset, in full"))
                .parameter(id())
                .response(
                    "200",
                    ResponseBuilder::new()
                        .description("The cases")
                        .content("application/json", items("TransferCase")),
                ),
        ),
    );
    paths.add_path_operation(
        "/api/v1/assets/{id}/transfer-status",
        vec![HttpMethod::Get],
        OperationBuilder::new()
            .tag("transfer-cases")
            .operation_id(Some("get_asset_transfer_status"))
            .summary(Some("What the public may know of an asset's transfer cases: under consideration, transferred (to whom, on what terms, when) or declined — never contact details, notes or documents"))
            .parameter(id())
            .response(
                "200",
                ResponseBuilder::new()
                    .description("The statuses, oldest case first")
                    .content("application/json", items("PublicTransferStatus")),
            )
            .response("404", error("No such published asset")),
    );
    paths.add_path_operation(
        "/api/v1/transfer-cases",
        vec![HttpMethod::Get],
        staff(
            OperationBuilder::new()
                .operation_id(Some("list_transfer_cases"))
                .summary(Some("Staff: every transfer case, open ones first"))
                .response(
                    "200",
                    ResponseBuilder::new()
                        .description("The cases")
                        .content("application/json", items("TransferCase")),
                ),
        ),
    );
    paths.add_path_operation(
        "/api/v1/transfer-cases/{id}",
        vec![HttpMethod::Get],
        staff(
            OperationBuilder::new()
                .operation_id(Some("get_transfer_case"))
                .summary(Some("Staff: one case with its history and documents"))
                .parameter(id())
                .response(
                    "200",
                    ResponseBuilder::new()
                        .description("The case")
                        .content("application/json", json("TransferCase")),
                )
                .response("404", error("No such case")),
        ),
    );
    paths.add_path_operation(
        "/api/v1/transfer-cases/{id}/stages",
        vec![HttpMethod::Post],
        staff(
            OperationBuilder::new()
                .operation_id(Some("advance_transfer_case"))
                .summary(Some("Staff: move a case on to a later stage (the next when `stage` is left out); reaching the last completes it and marks the asset transferred"))
                .parameter(id())
                .request_body(body("StageStep"))
                .response(
                    "200",
                    ResponseBuilder::new()
                        .description("The case")
                        .content("application/json", json("TransferCase")),
                )
                .response("404", error("No such case"))
                .response("409", error("The case is already closed"))
                .response("422", error("A field failed validation (`stage`, `terms`, `deadline`…)")),
        ),
    );
    paths.add_path_operation(
        "/api/v1/transfer-cases/{id}/close",
        vec![HttpMethod::Post],
        staff(
            OperationBuilder::new()
                .operation_id(Some("close_transfer_case"))
                .summary(Some(
                    "Staff: end a case as withdrawn or declined, with the reason",
                ))
                .parameter(id())
                .request_body(body("Closing"))
                .response(
                    "200",
                    ResponseBuilder::new()
                        .description("The case")
                        .content("application/json", json("TransferCase")),
                )
                .response("404", error("No such case"))
                .response("409", error("The case is already closed"))
                .response("422", error("A field failed validation")),
        ),
    );
}
