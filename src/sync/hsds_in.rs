//! HSDS 3.0 → Junction records, for mirroring an ORUK API: a fully nested service
//! (`service.json`) becomes its organisation, its locations and the service itself, as the
//! JSON of Junction's own records (what `/api/v1` reads and writes). Pure: no I/O.
//!
//! Only what HSDS says is carried over, and what Junction requires but HSDS leaves optional
//! is filled honestly or the object is left out with a reason: a missing description is the
//! name; a location without coordinates or an address with a postcode is left out, since
//! Junction can't place it.

use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::domain::vocab::{AccessMethod, Accessibility};
use crate::oruk::schedule;

/// A service and what it points at, mapped.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapped {
    pub organisation: (Uuid, Value),
    pub locations: Vec<(Uuid, Value)>,
    pub service: (Uuid, Value),
    /// What was left out, and why.
    pub notes: Vec<String>,
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn id(v: &Value) -> Option<Uuid> {
    v.get("id")?.as_str()?.parse().ok()
}

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// Drops `null`s so optional fields are simply absent.
fn object(fields: Value) -> Value {
    match fields {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .collect::<Map<_, _>>(),
        ),
        other => other,
    }
}

/// A fully nested HSDS service, mapped; `Err` when the service itself can't be.
pub fn service(s: &Value) -> Result<Mapped, String> {
    let service_id = id(s).ok_or("the service has no UUID id")?;
    let org = s
        .get("organization")
        .ok_or("the service has no organization object")?;
    let org_id = id(org).ok_or("the organization has no UUID id")?;
    let mut notes = Vec::new();
    let mut locations = Vec::new();
    for sal in list(s, "service_at_locations") {
        let Some(l) = sal.get("location") else {
            continue;
        };
        match location(l) {
            Ok(mapped) => locations.push(mapped),
            Err(why) => notes.push(format!(
                "location {}: {why}",
                text(l, "id").unwrap_or_default()
            )),
        }
    }
    let name = text(s, "name").ok_or("the service has no name")?;
    let fees = text(s, "fees_description").or_else(|| text(s, "fees"));
    let costs = list(s, "cost_options");
    let free = fees
        .as_deref()
        .is_some_and(|f| f.eq_ignore_ascii_case("free"))
        || costs.iter().any(|c| {
            text(c, "option").is_some_and(|o| o.eq_ignore_ascii_case("free"))
                || c.get("amount").and_then(Value::as_f64) == Some(0.0)
        });
    let cost = costs
        .iter()
        .find_map(|c| text(c, "amount_description"))
        .or(fees.filter(|f| !f.eq_ignore_ascii_case("free")));
    let access: Vec<&str> = text(s, "application_process")
        .unwrap_or_default()
        .split(';')
        .filter_map(|part| {
            AccessMethod::ALL
                .iter()
                .find(|a| a.label().eq_ignore_ascii_case(part.trim()))
                .map(|a| a.as_str())
        })
        .collect();
    let status = match text(s, "status").as_deref() {
        Some("inactive") => "inactive",
        Some("defunct") => "defunct",
        Some("temporarily closed") => "temporarily_closed",
        _ => "active",
    };
    let age = |key: &str| s.get(key).and_then(Value::as_f64).map(|a| a.floor() as i64);
    let categories: Vec<String> = list(s, "attributes")
        .iter()
        .filter_map(|a| a.get("taxonomy_term").and_then(|t| text(t, "code")))
        .collect();
    let service = object(json!({
        "organisation_id": org_id,
        "location_ids": locations.iter().map(|(id, _)| id).collect::<Vec<_>>(),
        "name": name,
        "description": text(s, "description").unwrap_or_else(|| name.clone()),
        "categories": categories,
        "status": status,
        "min_age": age("minimum_age"),
        "max_age": age("maximum_age"),
        "eligibility": text(s, "eligibility_description"),
        "free": free,
        "cost": cost,
        "access": access,
        "languages": list(s, "languages").iter().filter_map(|l| text(l, "code")).collect::<Vec<_>>(),
        "email": text(s, "email"),
        "phone": list(s, "phones").iter().find_map(|p| text(p, "number")),
        "website": text(s, "url"),
        "opening_hours": schedule::to_osm(list(s, "schedules")),
        "service_areas": list(s, "service_areas").iter().filter_map(service_area).collect::<Vec<_>>(),
    }));
    Ok(Mapped {
        organisation: (org_id, organisation(org)),
        locations,
        service: (service_id, service),
        notes,
    })
}

fn organisation(o: &Value) -> Value {
    let name = text(o, "name").unwrap_or_default();
    object(json!({
        "description": text(o, "description").unwrap_or_else(|| name.clone()),
        "name": name,
        "identifier": list(o, "organization_identifiers").iter().find_map(|i| text(i, "identifier")),
        "website": text(o, "website"),
        "email": text(o, "email"),
        "phone": list(o, "phones").iter().find_map(|p| text(p, "number")),
    }))
}

/// A location, without its organisation: a location shared by services of several
/// organisations must map the same whichever service brings it, or every sync would rewrite it.
fn location(l: &Value) -> Result<(Uuid, Value), String> {
    let location_id = id(l).ok_or("no UUID id")?;
    let (Some(latitude), Some(longitude)) = (
        l.get("latitude").and_then(Value::as_f64),
        l.get("longitude").and_then(Value::as_f64),
    ) else {
        return Err("no coordinates".into());
    };
    let address = list(l, "addresses")
        .iter()
        .find(|a| text(a, "address_type").is_none_or(|t| t == "physical"))
        .ok_or("no physical address (a hidden address is not published)")?;
    let postcode = text(address, "postal_code").ok_or("the address has no postcode")?;
    let town = text(address, "city").ok_or("the address has no city")?;
    let uprn = (text(l, "external_identifier_type").as_deref() == Some("uprn"))
        .then(|| text(l, "external_identifier"))
        .flatten();
    let accessibility: Vec<&str> = list(l, "accessibility")
        .iter()
        .filter_map(|a| {
            let d = text(a, "description")?;
            Accessibility::ALL
                .iter()
                .find(|x| x.label().eq_ignore_ascii_case(&d))
                .map(|x| x.as_str())
        })
        .collect();
    let name = text(l, "name")
        .or_else(|| text(address, "address_1"))
        .unwrap_or_else(|| town.clone());
    Ok((
        location_id,
        object(json!({
            "name": name,
            "description": text(l, "description"),
            "address_1": text(address, "address_1"),
            "address_2": text(address, "address_2"),
            "town": town,
            "county": text(address, "state_province"),
            "postcode": postcode,
            "uprn": uprn,
            "latitude": latitude,
            "longitude": longitude,
            "accessibility": accessibility,
        })),
    ))
}

/// A service area: a GeoJSON extent, or a boundary named by a `…/boundaries/{code}` URI.
fn service_area(a: &Value) -> Option<Value> {
    let name = text(a, "name");
    if let Some(extent) = text(a, "extent")
        .filter(|_| text(a, "extent_type").is_none_or(|t| t.eq_ignore_ascii_case("geojson")))
        && let Ok(geometry) = serde_json::from_str::<Value>(&extent)
    {
        return Some(object(json!({"name": name, "extent": geometry})));
    }
    let code = text(a, "uri")?
        .split_once("/boundaries/")?
        .1
        .trim_end_matches('/')
        .to_owned();
    Some(object(json!({"name": name, "boundary_code": code})))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nested_service_maps_to_three_kinds_of_record() {
        let org = Uuid::new_v4();
        let loc = Uuid::new_v4();
        let svc = Uuid::new_v4();
        let hsds = json!({
            "id": svc, "name": "Lunch club", "status": "temporarily closed",
            "fees_description": "Free", "application_process": "Drop in; By referral",
            "organization": {"id": org, "name": "Age Friendly Millbrook", "phones": [{"number": "0161 000 0000"}]},
            "service_at_locations": [
                {"location": {"id": loc, "name": "Hall", "latitude": 53.5, "longitude": -2.1, "organization_id": org,
                    "addresses": [{"address_1": "1 High St", "city": "Millbrook", "postal_code": "OL1 1AA", "address_type": "physical"}],
                    "accessibility": [{"description": "Step-free access"}]}},
                {"location": {"id": Uuid::new_v4(), "latitude": 53.5, "longitude": -2.1}},
            ],
            "schedules": [{"freq": "WEEKLY", "byday": "MO", "opens_at": "12:00", "closes_at": "14:00"}],
            "attributes": [{"taxonomy_term": {"code": "food"}}],
            "service_areas": [{"name": "Ward", "uri": "http://x/api/v1/boundaries/E05000735"}],
        });
        let m = service(&hsds).unwrap();
        assert_eq!(m.organisation.0, org);
        assert_eq!(m.organisation.1["description"], "Age Friendly Millbrook");
        assert_eq!(m.organisation.1["phone"], "0161 000 0000");
        assert_eq!(m.locations.len(), 1);
        assert_eq!(m.notes.len(), 1, "the location without an address is noted");
        assert_eq!(m.locations[0].1["postcode"], "OL1 1AA");
        assert!(m.locations[0].1.get("organisation_id").is_none());
        assert_eq!(
            m.locations[0].1["accessibility"],
            json!(["step_free_access"])
        );
        let s = &m.service.1;
        assert_eq!(s["status"], "temporarily_closed");
        assert_eq!(s["free"], true);
        assert!(s.get("cost").is_none());
        assert_eq!(s["access"], json!(["drop_in", "referral"]));
        assert_eq!(s["opening_hours"], "Mo 12:00-14:00");
        assert_eq!(s["categories"], json!(["food"]));
        assert_eq!(s["location_ids"], json!([loc]));
        assert_eq!(s["service_areas"][0]["boundary_code"], "E05000735");
        assert!(service(&json!({"id": svc, "name": "x"})).is_err());
    }
}
