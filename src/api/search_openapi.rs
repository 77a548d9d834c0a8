//! The search endpoints' part of the OpenAPI document: parameters and response schemas,
//! from the same types `api::search` returns.

use super::search::{SearchBody, SearchItem};
use crate::search::{Ask, Facets};

/// The search paths and schemas for the OpenAPI document.
pub fn document_paths(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{
        ContentBuilder, HttpMethod, ObjectBuilder, Ref, Required, ResponseBuilder, Type,
        path::{OperationBuilder, ParameterBuilder, ParameterIn},
    };
    use utoipa::{PartialSchema, ToSchema};
    let params: [(&str, &str, Type); 23] = [
        (
            "q",
            "Free text. The last word matches as a prefix unless the text ends with a space.",
            Type::String,
        ),
        (
            "kind",
            "service, space, organisation or asset; repeatable (OR). Default: all four.",
            Type::String,
        ),
        (
            "category",
            "Taxonomy term id or slug, including its sub-terms; repeatable (OR).",
            Type::String,
        ),
        (
            "near",
            "A UK postcode, a postcode district (OL1), 'lat,lon', or a boundary or town name.",
            Type::String,
        ),
        (
            "radius",
            "Metres around near, 1 to 100000 (default 5000).",
            Type::Number,
        ),
        (
            "within",
            "A boundary code, e.g. the ward E05000735.",
            Type::String,
        ),
        ("bbox", "minLon,minLat,maxLon,maxLat (WGS84).", Type::String),
        (
            "open_now",
            "true: only records open now (Europe/London), by their opening hours.",
            Type::Boolean,
        ),
        (
            "open_at",
            "RFC 3339 time: only records open then.",
            Type::String,
        ),
        ("free", "true: only free records.", Type::Boolean),
        (
            "accessibility",
            "An accessibility feature, e.g. step_free_access; repeatable (AND).",
            Type::String,
        ),
        (
            "age",
            "Only records whose age limits include this age.",
            Type::Integer,
        ),
        (
            "language",
            "ISO 639 code of a language spoken; repeatable (OR).",
            Type::String,
        ),
        (
            "capacity",
            "Spaces (and assets through their own figure or their largest space) that hold at least this many people.",
            Type::Integer,
        ),
        (
            "facility",
            "A facility, e.g. kitchen; repeatable (AND). Assets match through their own facilities and their spaces'.",
            Type::String,
        ),
        (
            "max_price",
            "Free, or at most this many pounds an hour (the space's `hourly_rate`; an asset: its cheapest space's).",
            Type::Number,
        ),
        (
            "sort",
            "relevance (default), distance, name or recently_verified.",
            Type::String,
        ),
        (
            "include_closed",
            "true: include inactive, defunct and temporarily closed services (marked by status).",
            Type::Boolean,
        ),
        (
            "include_stale",
            "true: include records overdue for review by more than the grace period (JUNCTION_REVIEW_GRACE_MONTHS, default 3, after the kind's review interval, default 6 months), which default search leaves out until someone checks them. Records overdue by less are always included but rank below equally relevant checked ones.",
            Type::Boolean,
        ),
        (
            "remote",
            "false: leave out phone and online services with no site when searching near a point.",
            Type::Boolean,
        ),
        (
            "facets",
            "false: leave out the facet counts (the response has no `facets`); the search only counts and ranks, which is faster for broad searches.",
            Type::Boolean,
        ),
        ("page", "Page number, from 1.", Type::Integer),
        (
            "per_page",
            "Items per page, 1 to 200 (default 20).",
            Type::Integer,
        ),
    ];
    let operation = |summary: &str,
                     content_type: &str,
                     schema: utoipa::openapi::RefOr<utoipa::openapi::Schema>| {
        let mut op = OperationBuilder::new().tag("search").summary(Some(summary));
        for (name, description, ty) in &params {
            op = op.parameter(
                ParameterBuilder::new()
                    .name(*name)
                    .parameter_in(ParameterIn::Query)
                    .required(Required::False)
                    .description(Some(*description))
                    .schema(Some(ObjectBuilder::new().schema_type(ty.clone()))),
            );
        }
        op.response(
            "200",
            ResponseBuilder::new().description("Results").content(
                content_type,
                ContentBuilder::new().schema(Some(schema)).build(),
            ),
        )
        .response(
            "400",
            ResponseBuilder::new()
                .description("A parameter is wrong; `field` names it")
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                ),
        )
    };
    doc.paths.add_path_operation(
        "/api/v1/search",
        vec![HttpMethod::Get],
        operation(
            "Search services, spaces, organisations and assets by what and where",
            "application/json",
            Ref::from_schema_name("SearchBody").into(),
        ),
    );
    let all = || {
        ParameterBuilder::new()
            .name("all")
            .parameter_in(ParameterIn::Query)
            .required(Required::False)
            .description(Some(
                "true: export every match of the search, in the same order as the pages, \
                 streamed (leave out `page` and `per_page`; facets are not counted). \
                 Default false: one page, as `/api/v1/search`.",
            ))
            .schema(Some(ObjectBuilder::new().schema_type(Type::Boolean)))
            .build()
    };
    let mut geojson = operation(
        "The same search as a GeoJSON FeatureCollection (records with a point); all=true exports every match",
        "application/geo+json",
        ObjectBuilder::new().schema_type(Type::Object).into(),
    )
    .build();
    geojson.parameters.get_or_insert_with(Vec::new).push(all());
    doc.paths
        .add_path_operation("/api/v1/search.geojson", vec![HttpMethod::Get], geojson);
    let mut csv = operation(
        "The same search as CSV, one row per result on the page; all=true exports every match",
        "text/csv",
        ObjectBuilder::new().schema_type(Type::String).into(),
    )
    .build();
    csv.parameters.get_or_insert_with(Vec::new).push(all());
    doc.paths
        .add_path_operation("/api/v1/search.csv", vec![HttpMethod::Get], csv);
    let components = doc.components.get_or_insert_with(Default::default);
    for (name, schema) in [
        (SearchBody::name(), SearchBody::schema()),
        (SearchItem::name(), SearchItem::schema()),
        (Facets::name(), Facets::schema()),
        (Ask::name(), Ask::schema()),
    ] {
        components.schemas.insert(name.into_owned(), schema);
    }
}
