//! Assets of Community Value for council staff (tokens with the role `admin` or `moderator`):
//! nominations, decisions, owners' disposal notices, groups' requests to be treated as
//! bidders, removals — each answered with the entry and every date computed from the rules
//! (`domain::acv`). And the public CSV at `/exports/acv.csv`.

use axum::{
    Json, Router,
    extract::{Path, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::extract::{ApiJson, Staff};
use crate::AppState;
use crate::domain::acv::{
    BidderRequest, BidderRequestInput, Decision, DecisionInput, Moratorium, Nomination,
    NoticeInput, RemovalInput, RemovalReason, Stage,
};
use crate::error::{AppError, Result};
use crate::store::acv::{AcvRecord, today};

pub const BASE: &str = "/api/v1/acv";
pub const CSV_PATH: &str = "/exports/acv.csv";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(BASE, get(list).post(nominate))
        .route(&format!("{BASE}/{{id}}"), get(read))
        .route(&format!("{BASE}/{{id}}/decision"), post(decide))
        .route(&format!("{BASE}/{{id}}/disposals"), post(notify_disposal))
        .route(
            &format!("{BASE}/{{id}}/disposals/{{disposal_id}}/bidder-request"),
            post(request_to_bid),
        )
        .route(&format!("{BASE}/{{id}}/removal"), post(remove))
        .route(CSV_PATH, get(csv))
}

/// One disposal episode with its computed dates.
#[derive(Debug, Serialize, ToSchema)]
pub struct AcvDisposalView {
    pub id: Uuid,
    /// The day the authority received the owner's notice of intended disposal.
    pub notice_received: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bidder_request: Option<BidderRequest>,
    /// Last day of the interim moratorium: 6 weeks beginning with the notice.
    pub interim_moratorium_ends: NaiveDate,
    /// Last day of the full moratorium (6 months beginning with the notice), when a group
    /// asked in time to be treated as a bidder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_moratorium_ends: Option<NaiveDate>,
    /// The last day the owner may not dispose of the land (to anyone but a community group,
    /// in a full moratorium).
    pub moratorium_ends: NaiveDate,
    /// The protected period begins with the day the notice was received.
    pub protected_period_starts: NaiveDate,
    /// Last day of the protected period: 18 months beginning with the notice.
    pub protected_period_ends: NaiveDate,
}

/// An ACV entry as staff see it: what was recorded, and every date computed from it as of
/// `today` (Europe/London).
#[derive(Debug, Serialize, ToSchema)]
pub struct AcvView {
    pub id: Uuid,
    pub reference: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asset_id: Option<Uuid>,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    pub nominating_group: String,
    /// Private: never published on `/acv` or in the CSV.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nominator_contact: Option<String>,
    pub nomination_received: NaiveDate,
    pub reasons: String,
    /// Last day for the decision: 8 weeks beginning with the day the nomination was received.
    pub decision_due: NaiveDate,
    /// Undecided after `decision_due`.
    pub decision_overdue: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<Decision>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision_reason: Option<String>,
    /// Last day on its list: 5 years beginning with the decision (listed or unsuccessful).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list_ends: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removed: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removal_reason: Option<RemovalReason>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub removal_note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    pub stage: Stage,
    /// The moratorium today, from the latest disposal episode.
    pub moratorium: Moratorium,
    /// Oldest first.
    pub disposals: Vec<AcvDisposalView>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl AcvView {
    pub fn new(r: AcvRecord, today: NaiveDate) -> AcvView {
        let e = r.entry;
        AcvView {
            decision_due: e.decision_due(),
            decision_overdue: e.decision_overdue(today),
            list_ends: e.list_ends(),
            stage: e.stage(today),
            moratorium: e.moratorium_on(today),
            disposals: e
                .disposals
                .iter()
                .map(|d| {
                    let dates = d.dates();
                    AcvDisposalView {
                        id: d.id,
                        notice_received: d.notice_received,
                        bidder_request: d.bidder_request.clone(),
                        interim_moratorium_ends: dates.interim_moratorium_ends,
                        full_moratorium_ends: dates.full_moratorium_ends,
                        moratorium_ends: dates.moratorium_ends,
                        protected_period_starts: dates.protected_period_starts,
                        protected_period_ends: dates.protected_period_ends,
                    }
                })
                .collect(),
            id: e.id,
            reference: e.reference,
            asset_id: e.asset_id,
            name: e.name,
            address_text: e.address_text,
            latitude: e.latitude,
            longitude: e.longitude,
            nominating_group: e.nominating_group,
            nominator_contact: e.nominator_contact,
            nomination_received: e.nomination_received,
            reasons: e.reasons,
            decision: e.decision,
            decided: e.decided,
            decision_reason: e.decision_reason,
            removed: e.removed,
            removal_reason: e.removal_reason,
            removal_note: e.removal_note,
            notes: e.notes,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// Every entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct AcvList {
    pub items: Vec<AcvView>,
    pub total: usize,
}

fn parse_id(raw: &str, what: &str) -> Result<Uuid> {
    raw.parse()
        .map_err(|_| AppError::NotFound(format!("{what} '{raw}'")))
}

fn view(r: AcvRecord) -> Json<AcvView> {
    Json(AcvView::new(r, today()))
}

async fn list(State(state): State<AppState>, _staff: Staff) -> Result<Json<AcvList>> {
    let today = today();
    let items: Vec<AcvView> = state
        .store
        .acv_list()
        .await?
        .into_iter()
        .map(|r| AcvView::new(r, today))
        .collect();
    Ok(Json(AcvList {
        total: items.len(),
        items,
    }))
}

async fn read(
    State(state): State<AppState>,
    _staff: Staff,
    Path(id): Path<String>,
) -> Result<Json<AcvView>> {
    let id = parse_id(&id, "ACV entry")?;
    let r = state
        .store
        .acv_get(id)
        .await?
        .ok_or_else(|| AppError::NotFound(format!("ACV entry {id}")))?;
    Ok(view(r))
}

async fn nominate(
    State(state): State<AppState>,
    staff: Staff,
    ApiJson(body): ApiJson<Nomination>,
) -> Result<Response> {
    let r = state
        .store
        .acv_nominate(body, &staff.actor(), today())
        .await?;
    let location = format!("{BASE}/{}", r.entry.id);
    let mut response = (StatusCode::CREATED, view(r)).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    Ok(response)
}

async fn decide(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DecisionInput>,
) -> Result<Json<AcvView>> {
    let id = parse_id(&id, "ACV entry")?;
    let r = state
        .store
        .acv_decide(id, body, &staff.actor(), today())
        .await?;
    Ok(view(r))
}

async fn notify_disposal(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<NoticeInput>,
) -> Result<(StatusCode, Json<AcvView>)> {
    let id = parse_id(&id, "ACV entry")?;
    let r = state
        .store
        .acv_notify_disposal(id, body, &staff.actor(), today())
        .await?;
    Ok((StatusCode::CREATED, view(r)))
}

async fn request_to_bid(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, disposal_id)): Path<(String, String)>,
    ApiJson(body): ApiJson<BidderRequestInput>,
) -> Result<Json<AcvView>> {
    let id = parse_id(&id, "ACV entry")?;
    let disposal_id = parse_id(&disposal_id, "disposal notice")?;
    let r = state
        .store
        .acv_request_to_bid(id, disposal_id, body, &staff.actor(), today())
        .await?;
    Ok(view(r))
}

async fn remove(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RemovalInput>,
) -> Result<Json<AcvView>> {
    let id = parse_id(&id, "ACV entry")?;
    let r = state
        .store
        .acv_remove(id, body, &staff.actor(), today())
        .await?;
    Ok(view(r))
}

/// `GET /exports/acv.csv`: public, every decided entry (see `export::acv_csv`).
async fn csv(State(state): State<AppState>) -> Result<Response> {
    let records = state.store.acv_list().await?;
    let bytes = crate::export::acv_csv::write(&records, today())?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"acv.csv\"",
            ),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        bytes,
    )
        .into_response())
}

/// The ACV paths and schemas for the OpenAPI document.
pub fn document_paths(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{
        ContentBuilder, HttpMethod, ObjectBuilder, Ref, RefOr, Required, ResponseBuilder, Schema,
        Type,
        path::{OperationBuilder, ParameterBuilder, ParameterIn},
        request_body::RequestBodyBuilder,
        security::SecurityRequirement,
    };
    use utoipa::{PartialSchema, ToSchema};

    let json = |schema: &str| {
        ContentBuilder::new()
            .schema(Some(Ref::from_schema_name(schema)))
            .build()
    };
    let error = |description: &str| {
        ResponseBuilder::new()
            .description(description)
            .content("application/json", json("ErrorBody"))
            .build()
    };
    let uuid_param = |name: &str| {
        ParameterBuilder::new()
            .name(name)
            .parameter_in(ParameterIn::Path)
            .required(Required::True)
            .schema(Some(ObjectBuilder::new().schema_type(Type::String).format(
                Some(utoipa::openapi::SchemaFormat::KnownFormat(
                    utoipa::openapi::KnownFormat::Uuid,
                )),
            )))
            .build()
    };
    let staff = |op: OperationBuilder| {
        op.tag("acv")
            .security(SecurityRequirement::new("bearer", Vec::<String>::new()))
            .response("401", error("No valid token"))
            .response(
                "403",
                error("The token's role is not admin or moderator (`forbidden`)"),
            )
    };
    let entry = |status: &str, description: &str| {
        (
            status.to_owned(),
            ResponseBuilder::new()
                .description(description)
                .content("application/json", json("AcvView"))
                .build(),
        )
    };
    let write = |id: &str,
                 summary: &str,
                 body: &str,
                 params: &[&str],
                 ok: (String, utoipa::openapi::Response)| {
        let mut op = staff(OperationBuilder::new())
            .operation_id(Some(id))
            .summary(Some(summary))
            .request_body(Some(
                RequestBodyBuilder::new()
                    .required(Some(Required::True))
                    .content("application/json", json(body))
                    .build(),
            ))
            .response(ok.0, ok.1)
            .response("400", error("The body is not JSON"))
            .response("404", error("No such entry"))
            .response(
                "409",
                error("The entry is not in a state that allows this; `field` says which"),
            )
            .response(
                "422",
                error("A field is wrong (a date in the future, a late request…); `field` names it"),
            );
        for p in params {
            op = op.parameter(uuid_param(p));
        }
        op
    };
    let item = format!("{BASE}/{{id}}");
    doc.paths.add_path_operation(
        BASE,
        vec![HttpMethod::Get],
        staff(OperationBuilder::new())
            .operation_id(Some("list_acv"))
            .summary(Some("Every ACV entry with its computed dates"))
            .response(
                "200",
                ResponseBuilder::new()
                    .description("The entries, by name")
                    .content("application/json", json("AcvList")),
            ),
    );
    doc.paths.add_path_operation(
        BASE,
        vec![HttpMethod::Post],
        write(
            "nominate_acv",
            "Record a nomination (the decision is due 8 weeks beginning with `received`)",
            "Nomination",
            &[],
            entry("201", "Recorded; `Location` names the entry"),
        ),
    );
    doc.paths.add_path_operation(
        &item,
        vec![HttpMethod::Get],
        staff(OperationBuilder::new())
            .operation_id(Some("get_acv"))
            .summary(Some("One ACV entry with its computed dates"))
            .parameter(uuid_param("id"))
            .response("200", entry("200", "The entry").1)
            .response("404", error("No such entry")),
    );
    for (path, id, summary, body, params, status) in [
        (
            format!("{item}/decision"),
            "decide_acv",
            "Record the decision: listed (5 years beginning with the decision) or unsuccessful (with a reason)",
            "DecisionInput",
            vec!["id"],
            "200",
        ),
        (
            format!("{item}/disposals"),
            "notify_acv_disposal",
            "Record the owner's notice of intended disposal: a new episode with its moratoria",
            "NoticeInput",
            vec!["id"],
            "201",
        ),
        (
            format!("{item}/disposals/{{disposal_id}}/bidder-request"),
            "request_acv_bid",
            "Record a community group's request, within the interim moratorium, to be treated as a bidder",
            "BidderRequestInput",
            vec!["id", "disposal_id"],
            "200",
        ),
        (
            format!("{item}/removal"),
            "remove_acv",
            "Record a removal from the list, with its reason",
            "RemovalInput",
            vec!["id"],
            "200",
        ),
    ] {
        doc.paths.add_path_operation(
            path,
            vec![HttpMethod::Post],
            write(
                id,
                summary,
                body,
                &params,
                entry(status, "The entry, changed"),
            ),
        );
    }
    let text = ObjectBuilder::new()
        .schema_type(Type::String)
        .content_media_type("text/csv");
    doc.paths.add_path_operation(
        CSV_PATH,
        vec![HttpMethod::Get],
        OperationBuilder::new()
            .tag("exports")
            .operation_id(Some("export_acv_csv"))
            .summary(Some(
                "The Assets of Community Value list in the draft national data standard's fields",
            ))
            .description(Some(format!(
                "Public. One row per decided entry, columns in this order: {}. Dates are YYYY-MM-DD, `point` is WKT `POINT(lon lat)` in WGS84. The disposal columns describe the latest episode; every episode is also in `notes`. Nominators' contact details are never included.",
                crate::export::acv_csv::FIELDS.join(", ")
            )))
            .response(
                "200",
                ResponseBuilder::new().description("The CSV").content(
                    "text/csv",
                    ContentBuilder::new().schema(Some(text)).build(),
                ),
            ),
    );
    let components = doc.components.get_or_insert_with(Default::default);
    let schemas: [(std::borrow::Cow<'static, str>, RefOr<Schema>); 13] = [
        (AcvView::name(), AcvView::schema()),
        (AcvList::name(), AcvList::schema()),
        (AcvDisposalView::name(), AcvDisposalView::schema()),
        (Nomination::name(), Nomination::schema()),
        (DecisionInput::name(), DecisionInput::schema()),
        (NoticeInput::name(), NoticeInput::schema()),
        (BidderRequestInput::name(), BidderRequestInput::schema()),
        (RemovalInput::name(), RemovalInput::schema()),
        (BidderRequest::name(), BidderRequest::schema()),
        (Decision::name(), Decision::schema()),
        (RemovalReason::name(), RemovalReason::schema()),
        (Stage::name(), Stage::schema()),
        (Moratorium::name(), Moratorium::schema()),
    ];
    for (name, schema) in schemas {
        components.schemas.insert(name.into_owned(), schema);
    }
}
