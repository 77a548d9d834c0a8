//! Open Referral UK 3.0 / HSDS 3.0: Junction's records written as HSDS objects. Pure
//! functions of records already in their public view; the API (`api::oruk`), the datapackage
//! export and the feeds call them.
//!
//! Rules every writer here follows:
//! - optional fields with no value are left out, never `null` or `""` ([`prune`]);
//! - every object has a UUID: records keep their own, and the HSDS objects Junction has no
//!   row for (addresses, schedules, phones, service-at-locations…) get a stable UUID derived
//!   from what they belong to ([`derived_id`]), so they are the same on every request;
//! - required fields Junction doesn't hold get honest values: `country` "GB",
//!   `state_province` the county (or else the town), `location_type`/`address_type`
//!   "physical".

pub mod hsds;
pub mod schedule;

use serde_json::Value;
use sha2::{Digest, Sha256};
use uuid::Uuid;

/// The UK profile this API follows.
pub const PROFILE_URI: &str = "https://docs.openreferraluk.org/en/latest/";
/// The published ORUK 3.0 API description, which `/oruk` implements.
pub const OPENAPI_URL: &str = "https://openreferraluk.org/specifications/3.0/openapi.json";

/// A stable UUID for an HSDS object Junction keeps no row for: a version 8 (custom) UUID from
/// the SHA-256 of its kind and the ids it belongs to.
pub fn derived_id(kind: &str, parts: &[&[u8]]) -> Uuid {
    let mut hash = Sha256::new();
    hash.update(kind.as_bytes());
    for p in parts {
        hash.update([0u8]);
        hash.update(p);
    }
    let digest = hash.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// The id of the service-at-location pairing `service` with `location`.
pub fn service_at_location_id(service: Uuid, location: Uuid) -> Uuid {
    derived_id(
        "service_at_location",
        &[service.as_bytes(), location.as_bytes()],
    )
}

/// Removes `null`, empty strings, empty arrays and empty objects, recursively.
pub fn prune(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.values_mut().for_each(prune);
            map.retain(|_, v| !is_empty(v));
        }
        Value::Array(items) => {
            items.iter_mut().for_each(prune);
            items.retain(|v| !is_empty(v));
        }
        _ => {}
    }
}

/// [`prune`] on an owned value.
pub fn prune_owned(mut value: Value) -> Value {
    prune(&mut value);
    value
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_uuids() {
        let a = Uuid::new_v4();
        let b = Uuid::new_v4();
        assert_eq!(service_at_location_id(a, b), service_at_location_id(a, b));
        assert_ne!(service_at_location_id(a, b), service_at_location_id(b, a));
        assert_eq!(service_at_location_id(a, b).get_version_num(), 8);
    }

    #[test]
    fn prune_drops_nulls_and_empties() {
        let mut v = serde_json::json!({"a": null, "b": "", "c": [], "d": {"e": null}, "f": 0, "g": [{"h": " "}], "i": "x"});
        prune(&mut v);
        assert_eq!(v, serde_json::json!({"f": 0, "i": "x"}));
    }
}
