//! Imported data is untidy: a phone number with a note in it, opening hours in words, a
//! website without `https://`. Rather than lose a whole place for one such field, an
//! optional field that fails the register's rules is left out, with a note in the report;
//! a required field that fails rejects the row.

use serde_json::Value;

use crate::domain::Record;

/// Fields a record can do without. A failing field outside this list rejects the record.
const OPTIONAL: &[&str] = &[
    "phone",
    "email",
    "website",
    "opening_hours",
    "booking_url",
    "uprn",
    "postcode",
    "min_age",
    "max_age",
    "languages",
    "capacity",
    "identifier",
    "address_2",
    "county",
    "eligibility",
    "cost",
    "price",
    "current_use",
    "asset_reference",
    "how_to_book",
    "street_number",
    "street_name",
    "town",
    "holding_type",
    "tenure_as_published",
    "tenure_detail_as_published",
];

/// Most fields one record may lose before it is given up on.
const MAX_DROPS: usize = 12;

/// Checks `record` against its kind's rules (on a copy: the store normalises on write),
/// leaving out optional fields that fail. Returns the notes, or the reason a required field
/// fails.
pub fn tidy<R: Record>(record: &mut R) -> Result<Vec<String>, String> {
    let mut notes = Vec::new();
    for _ in 0..=MAX_DROPS {
        let mut check = record.clone();
        let err = match check.validate() {
            Ok(()) => return Ok(notes),
            Err(e) => e,
        };
        let top = err
            .field
            .split(['[', '.'])
            .next()
            .unwrap_or_default()
            .to_owned();
        // A point is a pair: drop both halves, or neither.
        let drop: Vec<&str> = match top.as_str() {
            "latitude" | "longitude" if R::KIND == crate::domain::RecordKind::Asset => {
                vec!["latitude", "longitude"]
            }
            "easting" | "northing" if R::KIND == crate::domain::RecordKind::Asset => {
                vec!["easting", "northing"]
            }
            f if OPTIONAL.contains(&f) => vec![f],
            _ => return Err(err.to_string()),
        };
        let mut json = serde_json::to_value(&*record).map_err(|e| e.to_string())?;
        let Some(object) = json.as_object_mut() else {
            return Err(err.to_string());
        };
        for f in &drop {
            object.remove(*f);
        }
        match serde_json::from_value::<R>(Value::Object(object.clone())) {
            Ok(r) => *record = r,
            Err(_) => return Err(err.to_string()),
        }
        notes.push(format!("left out {}: {}", drop.join(" and "), err.message));
    }
    Err("too many fields fail the register's rules".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Location, Organisation};

    #[test]
    fn optional_fields_that_fail_are_left_out_and_required_ones_reject() {
        let mut org: Organisation = serde_json::from_value(serde_json::json!({
            "name": "Hall trust", "description": "Runs the hall",
            "phone": "ring the vicar", "website": "www.example.org"
        }))
        .unwrap();
        let notes = tidy(&mut org).unwrap();
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert_eq!(org.phone, None);
        assert_eq!(org.website, None);

        let mut loc: Location = serde_json::from_value(serde_json::json!({
            "name": "Civic Center", "address_1": "1 Main St", "town": "MyCity",
            "postcode": "ABC 1234", "latitude": 100.0, "longitude": 101.0
        }))
        .unwrap();
        let err = tidy(&mut loc).unwrap_err();
        assert!(
            err.contains("postcode") || err.contains("latitude"),
            "{err}"
        );
    }
}
