//! OpenStreetMap-derived places (an Overpass extract as CSV with `addr:*` columns, or as
//! GeoJSON with the tags as properties). Tags decide the kind and the categories:
//!
//! | tags | becomes | categories |
//! | --- | --- | --- |
//! | `amenity=place_of_worship` | space | faith; churches / mosques / gurdwaras-and-temples by `religion` |
//! | `amenity=community_centre`, `community_hall`, `townhall`, `events_venue`, `conference_centre`, `scout_hut` | space (hall, meeting room) | community-centres, halls-for-hire, community-spaces, meeting-rooms, uniformed-groups |
//! | `amenity=library`, `arts_centre`, `theatre` | space | libraries, arts-and-culture, theatre-and-dance |
//! | `leisure=sports_centre`, `sports_hall`, `fitness_centre`, `swimming_pool`, `pitch`, `park`, `garden`, `playground` | space | gym-and-fitness, sport-and-activity, swimming, parks, community-gardens, play-areas |
//! | `amenity=kindergarten`, `childcare` | service | childcare |
//! | `amenity=social_facility` (+ `social_facility=*`), `amenity=food_bank` | service | food-banks, community-meals, homelessness, day-centres, housing |
//! | `office=charity`, `ngo`, `association` | organisation | — |
//!
//! A place's location needs a point and a town (`addr:city`, `addr:town` or `addr:village`);
//! rows without them are rejected. Its postcode (`addr:postcode`) is kept when there is one;
//! a place without one is still listed, found by its point. The first address line is
//! `addr:housename`, else `addr:housenumber addr:street`, else the place's name. The
//! `operator` becomes the organisation (shared by every place it operates, and the register's
//! own organisation of that name when there is one); a place with no operator stands for its
//! own organisation.

use super::fields::{self, Fields};
use super::{Object, Parsed, Part, Primary, Rejected, tidy::tidy};
use crate::domain::vocab::{Accessibility, OrgType, SpaceType};
use crate::domain::{Location, Organisation, Service, Space};

/// What an OSM feature becomes.
enum Class {
    Space(SpaceType, Vec<&'static str>),
    Service(Vec<&'static str>),
    Organisation(OrgType),
}

/// Reads a CSV (`.csv`) or GeoJSON (anything else) OpenStreetMap extract.
pub fn read(bytes: &[u8], is_csv: bool, input: &str) -> anyhow::Result<Parsed> {
    let (rows, what) = if is_csv {
        let (rows, encoding, _) = fields::from_csv(bytes)?;
        (rows, format!("{input} (OpenStreetMap CSV, {encoding:?})"))
    } else {
        (
            fields::from_geojson(bytes)?,
            format!("{input} (OpenStreetMap GeoJSON)"),
        )
    };
    Ok(Parsed {
        input: what,
        items: rows.iter().map(map_row).collect(),
        ..Parsed::default()
    })
}

fn osm_id(f: &Fields) -> Option<String> {
    ["osm_id", "@id", "id"].iter().find_map(|k| f.get(k))
}

fn classify(f: &Fields) -> Option<(Class, String)> {
    use SpaceType::{Garden, Hall, MeetingRoom, Other, Pitch, SportsHall};
    let amenity = f.get("amenity").unwrap_or_default();
    let religion_category = match f.get("religion").as_deref() {
        Some("christian") => vec!["faith", "churches"],
        Some("muslim") => vec!["faith", "mosques"],
        Some("sikh" | "hindu" | "buddhist" | "jain") => vec!["faith", "gurdwaras-and-temples"],
        _ => vec!["faith"],
    };
    let class = match amenity.as_str() {
        "place_of_worship" => Class::Space(Other, religion_category),
        "community_centre" => Class::Space(Hall, vec!["community-centres"]),
        "community_hall" | "events_venue" => Class::Space(Hall, vec!["halls-for-hire"]),
        "townhall" => Class::Space(Hall, vec!["community-spaces"]),
        "conference_centre" => Class::Space(MeetingRoom, vec!["meeting-rooms"]),
        "scout_hut" => Class::Space(Hall, vec!["uniformed-groups"]),
        "library" => Class::Space(Other, vec!["libraries"]),
        "arts_centre" => Class::Space(Other, vec!["arts-and-culture"]),
        "theatre" => Class::Space(Other, vec!["theatre-and-dance"]),
        "kindergarten" | "childcare" => Class::Service(vec!["childcare"]),
        "food_bank" => Class::Service(vec!["food-banks"]),
        "social_facility" => Class::Service(match f.get("social_facility").as_deref() {
            Some("food_bank") => vec!["food-banks"],
            Some("soup_kitchen") => vec!["community-meals"],
            Some("shelter" | "outreach") => vec!["homelessness"],
            Some("day_care") => vec!["day-centres"],
            Some(
                "group_home" | "assisted_living" | "nursing_home" | "care_home"
                | "Retirement housing",
            ) => vec!["housing"],
            _ => vec![],
        }),
        _ => match (f.get("leisure").as_deref(), f.get("office").as_deref()) {
            (Some("sports_centre" | "fitness_centre"), _) => {
                Class::Space(SportsHall, vec!["gym-and-fitness"])
            }
            (Some("sports_hall"), _) => Class::Space(SportsHall, vec!["sport-and-activity"]),
            (Some("swimming_pool"), _) => Class::Space(Other, vec!["swimming"]),
            (Some("pitch"), _) => Class::Space(Pitch, vec!["sport-and-activity"]),
            (Some("park"), _) => Class::Space(Other, vec!["parks"]),
            (Some("garden"), _) => Class::Space(Garden, vec!["community-gardens"]),
            (Some("playground"), _) => Class::Space(Other, vec!["play-areas"]),
            (_, Some("charity")) => Class::Organisation(OrgType::Charity),
            (_, Some("ngo" | "association")) => Class::Organisation(OrgType::CommunityGroup),
            _ => return None,
        },
    };
    let tag = [
        ("amenity", f.get("amenity")),
        ("leisure", f.get("leisure")),
        ("office", f.get("office")),
    ]
    .into_iter()
    .find_map(|(k, v)| v.map(|v| format!("{k}={v}")))
    .unwrap_or_default();
    Some((class, tag))
}

/// A tag's value, or the same tag under `contact:`.
fn contact(f: &Fields, tag: &str) -> Option<String> {
    f.get(tag).or_else(|| f.get(&format!("contact:{tag}")))
}

fn label(tag: &str) -> String {
    let value = tag
        .split_once('=')
        .map_or(tag, |(_, v)| v)
        .replace('_', " ");
    let mut chars = value.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn map_row(f: &Fields) -> Result<Object, Rejected> {
    let id = osm_id(f);
    let reject = |reason: String| Rejected::new(f.place.clone(), id.clone(), reason);
    let Some(source_id) = id.clone() else {
        return Err(reject("no OpenStreetMap id (osm_id or id)".into()));
    };
    let Some((class, tag)) = classify(f) else {
        let tags = ["amenity", "leisure", "office"]
            .iter()
            .filter_map(|k| f.get(k).map(|v| format!("{k}={v}")))
            .collect::<Vec<_>>()
            .join(", ");
        return Err(reject(format!(
            "no kind for the tags '{tags}': see `junction import osm --help` for those read"
        )));
    };
    let Some(name) = f.get("name") else {
        return Err(reject(format!("{tag} has no name")));
    };
    let mut notes = Vec::new();
    let mut check = |r: Result<Vec<String>, String>| match r {
        Ok(n) => {
            notes.extend(n);
            Ok(())
        }
        Err(e) => Err(reject(e)),
    };
    if let Class::Organisation(org_type) = class {
        let mut org = organisation(f, &name, org_type);
        check(tidy(&mut org))?;
        return Ok(Object {
            place: f.place.clone(),
            source_id,
            preferred_id: None,
            organisation: None,
            locations: Vec::new(),
            primary: Primary::Organisation(org),
            notes,
        });
    }
    let mut location = location(f, &name).map_err(reject)?;
    check(tidy(&mut location))?;
    let mut runner = match f.get("operator") {
        Some(operator) => {
            let mut part = Part::new(
                format!("operator:{operator}"),
                organisation_named(&operator, org_type_of(&operator, &class)),
            );
            part.reuse_by_name = true;
            part
        }
        None => Part::new(format!("{source_id}#organisation"), {
            let mut org = organisation_named(&name, org_type_of(&name, &class));
            org.description = format!(
                "Runs {name}. OpenStreetMap records no operator, so the place stands for its own organisation."
            );
            org
        }),
    };
    check(tidy(&mut runner.record))?;
    let description = f.get("description");
    let primary = match class {
        Class::Space(space_type, categories) => {
            let mut space: Space = serde_json::from_value(serde_json::json!({
                "organisation_id": uuid::Uuid::nil(),
                "location_id": uuid::Uuid::nil(),
                "name": name,
                "description": description,
                "space_type": space_type,
                "categories": categories,
                "phone": contact(f, "phone"),
                "email": contact(f, "email"),
                "booking_url": serde_json::Value::Null,
                "opening_hours": f.get("opening_hours"),
            }))
            .map_err(|e| reject(e.to_string()))?;
            space.accessibility = location.accessibility.clone();
            check(tidy(&mut space))?;
            Primary::Space(space)
        }
        Class::Service(categories) => {
            let description = description.unwrap_or_else(|| {
                format!(
                    "{} at {}, {}.",
                    label(&tag),
                    location.address_1.clone().unwrap_or_default(),
                    location.town
                )
            });
            let mut service: Service = serde_json::from_value(serde_json::json!({
                "organisation_id": uuid::Uuid::nil(),
                "name": name,
                "description": description,
                "categories": categories,
                "phone": contact(f, "phone"),
                "email": contact(f, "email"),
                "website": contact(f, "website").or_else(|| f.get("url")),
                "opening_hours": f.get("opening_hours"),
                "min_age": f.get("min_age").and_then(|v| v.parse::<i32>().ok()),
                "max_age": f.get("max_age").and_then(|v| v.parse::<i32>().ok()),
            }))
            .map_err(|e| reject(e.to_string()))?;
            check(tidy(&mut service))?;
            Primary::Service(service)
        }
        Class::Organisation(_) => return Err(reject("unreachable".into())),
    };
    Ok(Object {
        place: f.place.clone(),
        locations: vec![Part::new(format!("{source_id}#location"), location)],
        source_id,
        preferred_id: None,
        organisation: Some(runner),
        primary,
        notes,
    })
}

fn org_type_of(name: &str, class: &Class) -> OrgType {
    let lower = name.to_lowercase();
    if lower.contains("council") {
        OrgType::Council
    } else if lower.contains("school") || lower.contains("university") {
        OrgType::Education
    } else if matches!(class, Class::Space(_, c) if c.first() == Some(&"faith")) {
        OrgType::FaithGroup
    } else if lower.contains("trust") || lower.contains("charity") {
        OrgType::Charity
    } else {
        OrgType::Other
    }
}

fn organisation_named(name: &str, org_type: OrgType) -> Organisation {
    super::organisation(
        name,
        format!("{name}, named as an operator in OpenStreetMap."),
        org_type,
    )
}

fn organisation(f: &Fields, name: &str, org_type: OrgType) -> Organisation {
    let mut org = organisation_named(name, org_type);
    org.description = f
        .get("description")
        .unwrap_or_else(|| format!("{name}, from OpenStreetMap."));
    org.website = contact(f, "website");
    org.email = contact(f, "email");
    org.phone = contact(f, "phone");
    org
}

fn location(f: &Fields, name: &str) -> Result<Location, String> {
    // A postcode is optional: the place has a point (checked below), which locates it.
    let postcode = f.get("addr:postcode").unwrap_or_default();
    let town = ["addr:city", "addr:town", "addr:village"]
        .iter()
        .find_map(|k| f.get(k))
        .ok_or("no town (addr:city, addr:town or addr:village): a place's location needs one")?;
    let (latitude, longitude) = match (f.get("latitude"), f.get("longitude")) {
        (Some(lat), Some(lon)) => (
            lat.parse::<f64>()
                .map_err(|_| format!("latitude '{lat}' is not a number"))?,
            lon.parse::<f64>()
                .map_err(|_| format!("longitude '{lon}' is not a number"))?,
        ),
        _ => f.point.ok_or_else(|| {
            f.geometry_note
                .clone()
                .unwrap_or_else(|| "no latitude and longitude".to_owned())
        })?,
    };
    let street = match (f.get("addr:housenumber"), f.get("addr:street")) {
        (Some(n), Some(s)) => Some(format!("{n} {s}")),
        (None, Some(s)) => Some(s),
        _ => None,
    };
    let (address_1, address_2) = match (f.get("addr:housename"), street) {
        (Some(house), street) => (house, street),
        (None, Some(street)) => (street, None),
        (None, None) => (name.to_owned(), None),
    };
    let mut accessibility = Vec::new();
    if f.get("wheelchair").as_deref() == Some("yes") {
        accessibility.push(Accessibility::StepFreeAccess);
    }
    if ["toilets:wheelchair", "toilets:disabled"]
        .iter()
        .any(|k| f.get(k).as_deref() == Some("yes"))
    {
        accessibility.push(Accessibility::AccessibleToilet);
    }
    if f.get("parking:disabled").as_deref() == Some("yes") {
        accessibility.push(Accessibility::AccessibleParking);
    }
    serde_json::from_value(serde_json::json!({
        "name": name,
        "address_1": address_1,
        "address_2": address_2,
        "town": town,
        "postcode": postcode,
        "latitude": latitude,
        "longitude": longitude,
        "accessibility": accessibility,
    }))
    .map_err(|e| e.to_string())
}
