//! Junction records → HSDS 3.0 JSON objects, in the shapes of the compiled schemas
//! (`service_list`, `service`, `service_at_location_list`, `service_at_location`) and the object
//! schemas (`taxonomy`, `taxonomy_term`). Every input must already be in its public view
//! (`Record::make_public`): these functions never see a hidden address or a contact person.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use super::schedule::{self, Hours};
use super::{derived_id, prune_owned, service_at_location_id};
use crate::domain::{
    Location, Organisation, Service, Taxonomy, TaxonomyTerm, vocab::ServiceStatus,
};

/// The records a service points at, loaded once for a page of services. Only published
/// records, already in their public view, belong here: anything missing is left out.
#[derive(Debug, Default, Clone)]
pub struct Related {
    pub organisations: HashMap<Uuid, Organisation>,
    pub locations: HashMap<Uuid, Location>,
    pub terms: HashMap<Uuid, TaxonomyTerm>,
    pub taxonomies: HashMap<Uuid, Taxonomy>,
    /// The register's public URL, for term URIs.
    pub public_url: String,
}

fn time(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(|t| t.to_rfc3339_opts(SecondsFormat::Millis, true))
}

fn status(s: ServiceStatus) -> &'static str {
    match s {
        ServiceStatus::Active => "active",
        ServiceStatus::Inactive => "inactive",
        ServiceStatus::Defunct => "defunct",
        // HSDS spells it with a space.
        ServiceStatus::TemporarilyClosed => "temporarily closed",
    }
}

fn pruned(v: Value) -> Value {
    prune_owned(v)
}

/// The one-to-one fields of a service (`service_list.json`), with its organisation.
pub fn service_list_item(s: &Service, rel: &Related) -> Value {
    let mut v = service_core(s);
    if let Some(org) = rel.organisations.get(&s.organisation_id) {
        v["organization"] = organisation_core(org);
    }
    pruned(v)
}

fn service_core(s: &Service) -> Value {
    let fees = match (&s.cost, s.free) {
        (Some(cost), _) => Some(cost.clone()),
        (None, true) => Some("Free".to_owned()),
        (None, false) => None,
    };
    json!({
        "id": s.id,
        "organization_id": s.organisation_id,
        "name": s.name,
        "description": s.description,
        "url": s.website,
        "email": s.email,
        "status": status(s.status),
        "fees": fees,
        "fees_description": fees,
        "eligibility_description": s.eligibility,
        "application_process": s.access.iter().map(|a| a.label()).collect::<Vec<_>>().join("; "),
        "minimum_age": s.min_age,
        "maximum_age": s.max_age,
        "assured_date": s.last_verified_at.map(|t| t.date_naive().to_string()),
        "last_modified": time(s.updated_at),
    })
}

fn organisation_core(o: &Organisation) -> Value {
    pruned(json!({
        "id": o.id,
        "name": o.name,
        "description": o.description,
        "email": o.email,
        "website": o.website,
    }))
}

/// An organisation with its identifier and phone (`organization.json`).
pub fn organisation_full(o: &Organisation) -> Value {
    let mut v = organisation_core(o);
    if let Some(identifier) = &o.identifier {
        v["organization_identifiers"] = json!([{
            "id": derived_id("organization_identifier", &[o.id.as_bytes()]),
            "organization_id": o.id,
            "identifier_type": "registration number",
            "identifier": identifier,
        }]);
    }
    if let Some(phone) = &o.phone {
        v["phones"] = json!([{
            "id": derived_id("phone", &[o.id.as_bytes()]),
            "organization_id": o.id,
            "number": phone,
        }]);
    }
    pruned(v)
}

/// A location's one-to-one fields (`service_at_location_list.json`'s `location`).
fn location_core(l: &Location) -> Value {
    let (external_identifier, external_identifier_type) = match &l.uprn {
        Some(uprn) => (Some(uprn.clone()), Some("uprn")),
        None => (None, None),
    };
    json!({
        "id": l.id,
        "location_type": "physical",
        "organization_id": l.organisation_id,
        "name": l.name,
        "description": l.description,
        "latitude": l.latitude,
        "longitude": l.longitude,
        "external_identifier": external_identifier,
        "external_identifier_type": external_identifier_type,
    })
}

/// A location with its address and accessibility (`service_at_location.json`'s `location`).
/// A hidden address has no first line in its public view, and HSDS requires one on an
/// address: such a location is published with its coarsened point and no address at all. So is
/// a location with no postcode (an OpenStreetMap place may have none), since HSDS requires
/// `postal_code` on an address.
pub fn location_full(l: &Location) -> Value {
    let mut v = location_core(l);
    if let Some(address_1) = &l.address_1
        && !l.hide_address
        && !l.postcode.is_empty()
    {
        v["addresses"] = json!([{
            "id": derived_id("address", &[l.id.as_bytes()]),
            "location_id": l.id,
            "address_1": address_1,
            "address_2": l.address_2,
            "city": l.town,
            "state_province": l.county.clone().unwrap_or_else(|| l.town.clone()),
            "postal_code": l.postcode,
            "country": "GB",
            "address_type": "physical",
        }]);
    }
    v["accessibility"] = l
        .accessibility
        .iter()
        .map(|a| {
            json!({
                "id": derived_id("accessibility", &[l.id.as_bytes(), a.as_str().as_bytes()]),
                "location_id": l.id,
                "description": a.label(),
            })
        })
        .collect();
    pruned(v)
}

/// A taxonomy (`taxonomy.json`).
pub fn taxonomy(t: &Taxonomy) -> Value {
    pruned(json!({
        "id": t.id,
        "name": t.name,
        "description": t.description,
        "uri": t.uri,
        "version": t.version,
    }))
}

/// A taxonomy term (`taxonomy_term.json`). HSDS requires a description; a term without one
/// is described by its name.
pub fn taxonomy_term(t: &TaxonomyTerm, rel: &Related) -> Value {
    let tax = rel.taxonomies.get(&t.taxonomy_id);
    pruned(json!({
        "id": t.id,
        "code": t.slug,
        "name": t.name,
        "description": t.description.clone().unwrap_or_else(|| t.name.clone()),
        "parent_id": t.parent_id,
        "taxonomy": tax.map(|t| t.name.clone()),
        "taxonomy_id": t.taxonomy_id,
        "term_uri": format!("{}/categories/{}", rel.public_url, t.slug),
    }))
}

fn schedules(hours: Option<&str>, owner: Uuid, field: &str) -> Vec<Value> {
    let Some(hours) = hours.and_then(schedule::from_osm) else {
        return Vec::new();
    };
    match hours {
        Hours::Text(text) => vec![json!({
            "id": derived_id("schedule", &[owner.as_bytes(), b"text"]),
            field: owner,
            "description": text,
            "notes": "Opening hours in OpenStreetMap opening_hours syntax",
        })],
        Hours::Weekly {
            openings,
            closed_on_bank_holidays,
        } => openings
            .iter()
            .enumerate()
            .map(|(i, o)| {
                json!({
                    "id": derived_id("schedule", &[owner.as_bytes(), &i.to_be_bytes()]),
                    field: owner,
                    "freq": "WEEKLY",
                    "byday": o.days.join(","),
                    "opens_at": o.opens_at,
                    "closes_at": o.closes_at,
                    "description": o.rule,
                    "notes": closed_on_bank_holidays.then_some("Closed on bank holidays"),
                })
            })
            .collect(),
    }
}

/// The fully nested service (`service.json`).
pub fn service_full(s: &Service, rel: &Related) -> Value {
    let mut v = service_core(s);
    let id = s.id;
    if let Some(org) = rel.organisations.get(&s.organisation_id) {
        v["organization"] = organisation_full(org);
    }
    v["service_at_locations"] = s
        .location_ids
        .iter()
        .filter_map(|lid| rel.locations.get(lid))
        .map(|l| {
            json!({
                "id": service_at_location_id(id, l.id),
                "service_id": id,
                "location_id": l.id,
                "location": location_full(l),
            })
        })
        .collect();
    v["schedules"] = schedules(s.opening_hours.as_deref(), id, "service_id").into();
    v["phones"] = s
        .phone
        .iter()
        .map(
            |p| json!({"id": derived_id("phone", &[id.as_bytes()]), "service_id": id, "number": p}),
        )
        .collect();
    // A contact with the service's own public details; a named contact person is private
    // and never published.
    if s.email.is_some() || s.phone.is_some() {
        let contact_id = derived_id("contact", &[id.as_bytes()]);
        v["contacts"] = json!([{
            "id": contact_id,
            "service_id": id,
            "email": s.email,
            "phones": s.phone.iter().map(|p| json!({
                "id": derived_id("contact_phone", &[id.as_bytes()]),
                "contact_id": contact_id,
                "number": p,
            })).collect::<Vec<_>>(),
        }]);
    }
    v["languages"] = s
        .languages
        .iter()
        .map(|code| {
            json!({
                "id": derived_id("language", &[id.as_bytes(), code.as_bytes()]),
                "service_id": id,
                "code": code,
            })
        })
        .collect();
    let mut costs = Vec::new();
    if s.free {
        costs.push(json!({
            "id": derived_id("cost_option", &[id.as_bytes(), b"free"]),
            "service_id": id,
            "option": "Free",
            "currency": "GBP",
            "amount": 0,
        }));
    }
    if let Some(cost) = &s.cost {
        costs.push(json!({
            "id": derived_id("cost_option", &[id.as_bytes(), b"cost"]),
            "service_id": id,
            "amount_description": cost,
        }));
    }
    v["cost_options"] = costs.into();
    v["service_areas"] = s
        .service_areas
        .iter()
        .enumerate()
        .map(|(i, a)| {
            json!({
                "id": derived_id("service_area", &[id.as_bytes(), &i.to_be_bytes()]),
                "service_id": id,
                "name": a.name.clone().or_else(|| a.boundary_code.clone()),
                "extent": a.extent.as_ref().map(|e| e.to_string()),
                "extent_type": a.extent.as_ref().map(|_| "geojson"),
                "uri": a.boundary_code.as_ref().map(|c| format!("{}/api/v1/boundaries/{c}", rel.public_url)),
            })
        })
        .collect();
    v["attributes"] = s
        .categories
        .iter()
        .filter_map(|c| c.parse::<Uuid>().ok())
        .filter_map(|tid| rel.terms.get(&tid))
        .map(|t| {
            json!({
                "id": derived_id("attribute", &[id.as_bytes(), t.id.as_bytes()]),
                "link_id": id,
                "link_type": "service",
                "link_entity": "service",
                "taxonomy_term_id": t.id,
                "taxonomy_term": taxonomy_term(t, rel),
            })
        })
        .collect();
    pruned(v)
}

/// One service at one location, as listed (`service_at_location_list.json`).
pub fn service_at_location_list_item(s: &Service, l: &Location, rel: &Related) -> Value {
    pruned(json!({
        "id": service_at_location_id(s.id, l.id),
        "service_id": s.id,
        "location_id": l.id,
        "location": location_core(l),
        "service": service_list_item(s, rel),
    }))
}

/// One service at one location, fully nested (`service_at_location.json`).
pub fn service_at_location_full(s: &Service, l: &Location, rel: &Related) -> Value {
    let mut service = service_full(s, rel);
    if let Some(obj) = service.as_object_mut() {
        // The location is given once, at the top.
        obj.remove("service_at_locations");
    }
    pruned(json!({
        "id": service_at_location_id(s.id, l.id),
        "service_id": s.id,
        "location_id": l.id,
        "location": location_full(l),
        "service": service,
    }))
}
