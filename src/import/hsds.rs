//! HSDS 3.0 services into Junction records: the inverse of `crate::oruk::hsds`. Input is a
//! single service, an array of services, or an ORUK page (`{"contents": [...]}`), each with its
//! `organization` (nested, or by `organization_id` when the caller knows the organisations) and
//! its `service_at_locations[].location` with `addresses`.
//!
//! Junction's records are stricter than HSDS: a location needs a UK postcode, a town and a
//! WGS84 point. A location that lacks one is left out of the service with a note saying why,
//! and the service is imported without it; a service with no usable organisation is rejected.
//! Weekly schedules become opening hours (`byday` + `opens_at`/`closes_at`); taxonomy terms
//! (`attributes[].taxonomy_term`, or `taxonomy_terms`) become categories when their code or
//! name is a category of the register's taxonomy.

use std::collections::HashMap;

use anyhow::{Context, bail};
use serde_json::{Value, json};
use uuid::Uuid;

use super::{Object, Parsed, Part, Place, Primary, Rejected, tidy::tidy};
use crate::domain::validate::slugify;
use crate::domain::{Location, Organisation, Service};

/// Reads HSDS JSON: one service, an array, or an ORUK page.
pub fn read(bytes: &[u8], input: &str) -> anyhow::Result<Parsed> {
    let json: Value = serde_json::from_slice(bytes).context("the file is not JSON")?;
    let (services, what) = match &json {
        Value::Array(items) => (items.clone(), "services"),
        Value::Object(o) if o.contains_key("contents") => (
            o.get("contents")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            "an ORUK page",
        ),
        Value::Object(o) if o.contains_key("name") => (vec![json.clone()], "a service"),
        _ => bail!("expected an HSDS service, an array of services or an ORUK page"),
    };
    Ok(services_of(
        &services,
        &format!("{input} (HSDS 3.0 JSON, {what})"),
    ))
}

/// Maps services already read (a file's, or every page of an ORUK API's), one object each.
pub fn services_of(services: &[Value], input: &str) -> Parsed {
    Parsed {
        input: input.to_owned(),
        items: services
            .iter()
            .enumerate()
            .map(|(i, s)| service(s, &HashMap::new(), Place::nth("service", i + 1)))
            .collect(),
        ..Parsed::default()
    }
}

/// A value as trimmed text: strings, and numbers as written.
pub fn text(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => super::non_empty(Some(s)),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn number(v: &Value, key: &str) -> Option<f64> {
    match v.get(key)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn list<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// A phone number as HSDS examples write it, without stray quotes.
fn phone(v: &Value) -> Option<String> {
    list(v, "phones")
        .iter()
        .find_map(|p| text(p, "number"))
        .map(|n| n.trim_matches('"').trim().to_owned())
}

/// Maps one HSDS service. `organizations` are the known organisations by id, for services
/// that name theirs by `organization_id` only.
pub fn service(
    s: &Value,
    organizations: &HashMap<String, Value>,
    place: Place,
) -> Result<Object, Rejected> {
    let id = text(s, "id");
    let reject = |reason: String| Rejected::new(place.clone(), id.clone(), reason);
    let Some(source_id) = id.clone() else {
        return Err(reject("the service has no id".into()));
    };
    let org_json = s
        .get("organization")
        .filter(|o| o.is_object())
        .or_else(|| text(s, "organization_id").and_then(|oid| organizations.get(&oid)));
    let Some(org_json) = org_json else {
        return Err(reject("the service has no organization".into()));
    };
    let mut notes = Vec::new();
    let mut org = organisation_part(org_json).map_err(&reject)?;
    notes.extend(tidy(&mut org.record).map_err(|e| reject(format!("organization: {e}")))?);

    let mut locations = Vec::new();
    let mut schedules: Vec<&Value> = list(s, "schedules").iter().collect();
    for sal in list(s, "service_at_locations") {
        schedules.extend(list(sal, "schedules"));
        let Some(l) = sal.get("location").filter(|l| l.is_object()) else {
            continue;
        };
        match location(l) {
            Ok(part) => locations.push(part),
            Err(why) => notes.push(format!(
                "left out location '{}': {why}",
                text(l, "name").unwrap_or_default()
            )),
        }
    }
    let (hours, hour_notes) = opening_hours(&schedules);
    notes.extend(hour_notes);
    let status = text(s, "status").map(|st| st.to_lowercase().replace(' ', "_"));
    let status = match status.as_deref() {
        Some(st @ ("active" | "inactive" | "defunct" | "temporarily_closed")) => st.to_owned(),
        _ => "active".to_owned(),
    };
    let mut record: Service = serde_json::from_value(json!({
        "organisation_id": Uuid::nil(),
        "name": text(s, "name").ok_or_else(|| reject("the service has no name".into()))?,
        "description": text(s, "description").ok_or_else(|| reject("the service has no description".into()))?,
        "status": status,
        "website": text(s, "url"),
        "email": text(s, "email"),
        "phone": phone(s),
        "eligibility": text(s, "eligibility_description"),
        "cost": text(s, "fees_description").or_else(|| text(s, "fees")),
        "min_age": number(s, "minimum_age").map(|n| n.round() as i32),
        "max_age": number(s, "maximum_age").map(|n| n.round() as i32),
        "languages": list(s, "languages").iter().filter_map(|l| text(l, "code")).collect::<Vec<_>>(),
        "opening_hours": hours,
        "categories": categories(s),
    }))
    .map_err(|e| reject(e.to_string()))?;
    notes.extend(tidy(&mut record).map_err(&reject)?);
    Ok(Object {
        place,
        preferred_id: source_id.parse().ok(),
        source_id,
        organisation: Some(org),
        locations,
        primary: Primary::Service(record),
        notes,
    })
}

/// An HSDS organization on its own (one no service names), as an object to import.
pub fn organisation_object(o: &Value, place: Place) -> Result<Object, Rejected> {
    let id = text(o, "id");
    let reject = |reason: String| Rejected::new(place.clone(), id.clone(), reason);
    let mut part = organisation_part(o).map_err(&reject)?;
    let notes = tidy(&mut part.record).map_err(&reject)?;
    Ok(Object {
        place,
        source_id: part.source_id,
        preferred_id: part.preferred_id,
        organisation: None,
        locations: Vec::new(),
        primary: Primary::Organisation(part.record),
        notes,
    })
}

fn organisation_part(o: &Value) -> Result<Part<Organisation>, String> {
    let name = text(o, "name").ok_or("the organization has no name")?;
    let source_id = text(o, "id").unwrap_or_else(|| format!("organization:{name}"));
    let mut record = super::organisation(
        &name,
        text(o, "description").unwrap_or_else(|| name.clone()),
        Default::default(),
    );
    record.email = text(o, "email");
    record.website = text(o, "website").or_else(|| text(o, "url"));
    record.phone = phone(o);
    record.identifier = list(o, "organization_identifiers")
        .iter()
        .find_map(|i| text(i, "identifier"));
    let mut part = Part::new(source_id, record);
    part.preferred_id = text(o, "id").and_then(|id| id.parse().ok());
    part.reuse_by_name = true;
    Ok(part)
}

fn location(l: &Value) -> Result<Part<Location>, String> {
    let source_id = text(l, "id").ok_or("it has no id")?;
    let addresses = list(l, "addresses");
    let address = addresses
        .iter()
        .find(|a| text(a, "address_type").as_deref() == Some("physical"))
        .or_else(|| addresses.first())
        .ok_or("it has no address")?;
    let (Some(lat), Some(lon)) = (number(l, "latitude"), number(l, "longitude")) else {
        return Err("it has no latitude and longitude".into());
    };
    let uprn = match text(l, "external_identifier_type") {
        Some(t) if t.eq_ignore_ascii_case("uprn") => text(l, "external_identifier"),
        _ => None,
    };
    let mut record: Location = serde_json::from_value(json!({
        "name": text(l, "name").or_else(|| text(address, "address_1")).ok_or("it has no name")?,
        "description": text(l, "description"),
        "address_1": text(address, "address_1"),
        "address_2": text(address, "address_2"),
        "town": text(address, "city").ok_or("its address has no city")?,
        "county": text(address, "state_province"),
        "postcode": text(address, "postal_code").ok_or("its address has no postal code")?,
        "uprn": uprn,
        "latitude": lat,
        "longitude": lon,
    }))
    .map_err(|e| e.to_string())?;
    tidy(&mut record)?;
    let mut part = Part::new(source_id, record);
    part.preferred_id = part.source_id.parse().ok();
    Ok(part)
}

/// Category slugs from a service's taxonomy terms: the term's code, or its name as a slug.
fn categories(s: &Value) -> Vec<String> {
    let terms = list(s, "attributes")
        .iter()
        .filter_map(|a| a.get("taxonomy_term"))
        .chain(list(s, "taxonomy_terms"));
    let mut out = Vec::new();
    for t in terms {
        let slug = text(t, "code")
            .map(|c| slugify(&c))
            .filter(|c| !c.is_empty())
            .or_else(|| text(t, "name").map(|n| slugify(&n)));
        if let Some(slug) = slug
            && !out.contains(&slug)
        {
            out.push(slug);
        }
    }
    out
}

/// Weekly schedules as OpenStreetMap opening hours, e.g. `Th,Fr 10:00-18:00`.
fn opening_hours(schedules: &[&Value]) -> (Option<String>, Vec<String>) {
    let mut rules = Vec::new();
    let mut notes = Vec::new();
    for s in schedules {
        let weekly = text(s, "freq").is_none_or(|f| f.eq_ignore_ascii_case("weekly"));
        let days = text(s, "byday");
        let (Some(opens), Some(closes)) = (text(s, "opens_at"), text(s, "closes_at")) else {
            continue;
        };
        let days = match (weekly, days) {
            (true, Some(days)) => days
                .split(',')
                .map(|d| {
                    let d = d.trim();
                    let mut c = d.chars();
                    c.next()
                        .map(|f| {
                            f.to_uppercase()
                                .chain(c.flat_map(char::to_lowercase))
                                .collect::<String>()
                        })
                        .unwrap_or_default()
                })
                .collect::<Vec<_>>()
                .join(","),
            _ => {
                notes.push("left out a schedule that is not a weekly one with days".to_owned());
                continue;
            }
        };
        let hm = |t: &str| t.get(..5).unwrap_or(t).to_owned();
        let rule = format!("{days} {}-{}", hm(&opens), hm(&closes));
        if !rules.contains(&rule) {
            rules.push(rule);
        }
    }
    ((!rules.is_empty()).then(|| rules.join("; ")), notes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_schedules_become_opening_hours() {
        let s = json!({"freq": "WEEKLY", "byday": "TH,FR", "opens_at": "10:00:00", "closes_at": "18:00:00"});
        let (hours, notes) = opening_hours(&[&s, &s]);
        assert_eq!(hours.as_deref(), Some("Th,Fr 10:00-18:00"));
        assert!(notes.is_empty());
    }
}
