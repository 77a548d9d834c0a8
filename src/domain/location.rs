//! A location: a physical place with an address and a point.

use uuid::Uuid;

use super::vocab::Accessibility;
use super::{
    FieldError, Record, RecordKind, Reference, SearchText, record_accessors, record_struct,
    validate as v,
};

record_struct! {
    /// A physical place: address, postcode, WGS84 point and accessibility.
    pub struct Location {
        /// The organisation the location belongs to, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub organisation_id: Option<Uuid>,
        pub name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
        /// First line of the address. Required; left out of the public view when the address
        /// is hidden.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub address_1: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub address_2: Option<String>,
        pub town: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub county: Option<String>,
        /// A UK postcode, normalised to the `OL1 1AA` form. Only the district (`OL1`) is public
        /// when the address is hidden. Optional (empty when unknown): every location has a
        /// point, which is how it is found and placed.
        #[serde(default)]
        pub postcode: String,
        /// Unique Property Reference Number, as text (1 to 12 digits).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub uprn: Option<String>,
        /// WGS84 latitude. Coarsened to about a kilometre in the public view when hidden.
        pub latitude: f64,
        /// WGS84 longitude. Coarsened like `latitude`.
        pub longitude: f64,
        #[serde(default)]
        pub accessibility: Vec<Accessibility>,
        /// When set (e.g. a refuge), only the postcode district and a coarsened point are
        /// ever published.
        #[serde(default)]
        pub hide_address: bool,
    }
}

/// Coarsening grid for hidden addresses, in degrees: 0.01° is about 1.1 km north–south.
const COARSE_GRID: f64 = 0.01;

fn coarsen(value: f64) -> f64 {
    // Snap to the centre of a grid cell so the true point can't be recovered by rounding.
    let cell = (value / COARSE_GRID).floor();
    ((cell + 0.5) * COARSE_GRID * 1e6).round() / 1e6
}

impl Location {
    /// The point as GeoJSON orders it: `[longitude, latitude]`.
    pub fn lon_lat(&self) -> (f64, f64) {
        (self.longitude, self.latitude)
    }

    /// The point (lon, lat) anyone may see of a location at `lon_lat`: coarsened when its
    /// address is hidden, as [`Record::make_public`] does, for code that reads the columns
    /// without loading the record.
    pub fn public_point((lon, lat): (f64, f64), hide_address: bool) -> (f64, f64) {
        if hide_address {
            (coarsen(lon), coarsen(lat))
        } else {
            (lon, lat)
        }
    }
}

impl Record for Location {
    const KIND: RecordKind = RecordKind::Location;
    record_accessors!();

    fn validate(&mut self) -> Result<(), FieldError> {
        v::required("name", &mut self.name, 200)?;
        v::optional("description", &mut self.description, 10_000)?;
        v::optional("address_2", &mut self.address_2, 200)?;
        v::required("town", &mut self.town, 100)?;
        v::optional("county", &mut self.county, 100)?;
        v::required_opt("address_1", &mut self.address_1, 200)?;
        let district = self.postcode.trim().to_ascii_uppercase();
        if district.is_empty() {
            // No postcode: the point (required below) places it.
            self.postcode = district;
        } else if self.hide_address && v::is_outward_code(&district) {
            // A hidden address may be known only by its district: that is all its public
            // view, and so a mirror of another register, has.
            self.postcode = district;
        } else {
            v::postcode("postcode", &mut self.postcode)?;
        }
        v::uprn("uprn", &mut self.uprn)?;
        v::point(self.latitude, self.longitude)?;
        v::dedupe(&mut self.accessibility);
        Ok(())
    }

    fn references(&self) -> Vec<Reference> {
        self.organisation_id
            .map(|id| Reference {
                field: "organisation_id".into(),
                kind: RecordKind::Organisation,
                id,
            })
            .into_iter()
            .collect()
    }

    fn make_public(&mut self) {
        if self.hide_address {
            self.address_1 = None;
            self.address_2 = None;
            self.uprn = None;
            self.postcode = v::postcode_district(&self.postcode);
            self.latitude = coarsen(self.latitude);
            self.longitude = coarsen(self.longitude);
        }
    }

    fn own_point(&self) -> Option<(f64, f64)> {
        Some(self.lon_lat())
    }

    fn search_text(&self) -> SearchText {
        let mut extra: Vec<String> = [&self.address_1, &self.address_2]
            .into_iter()
            .flatten()
            .cloned()
            .collect();
        extra.push(self.town.clone());
        if !self.postcode.is_empty() {
            extra.push(self.postcode.clone());
        }
        extra.extend(self.accessibility.iter().map(|a| a.label().to_owned()));
        SearchText {
            name: self.name.clone(),
            description: self.description.clone().unwrap_or_default(),
            extra,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hidden_address_may_have_only_its_district() {
        let mut hidden = refuge();
        hidden.postcode = "ol1".into();
        assert!(hidden.validate().is_ok());
        assert_eq!(hidden.postcode, "OL1");
        let mut shown = refuge();
        shown.hide_address = false;
        shown.postcode = "OL1".into();
        assert_eq!(shown.validate().unwrap_err().field, "postcode");
    }

    fn refuge() -> Location {
        serde_json::from_value(serde_json::json!({
            "name": "Safe house", "address_1": "1 Secret Street", "town": "Millbrook",
            "postcode": "ol1 3qa", "latitude": 53.54321, "longitude": -2.11987,
            "uprn": "123456789", "hide_address": true
        }))
        .unwrap()
    }

    #[test]
    fn hidden_addresses_publish_only_the_district_and_a_coarse_point() {
        let mut loc = refuge();
        loc.validate().unwrap();
        assert_eq!(loc.postcode, "OL1 3QA");
        loc.make_public();
        assert_eq!(loc.postcode, "OL1");
        assert_eq!(loc.address_1, None);
        assert_eq!(loc.uprn, None);
        assert!((loc.latitude - 53.545).abs() < 1e-9, "{}", loc.latitude);
        assert!((loc.longitude - -2.115).abs() < 1e-9, "{}", loc.longitude);
        let json = serde_json::to_string(&loc).unwrap();
        assert!(!json.contains("Secret"));
        assert!(!json.contains("3QA"));
        // Idempotent: a second pass changes nothing.
        let once = loc.clone();
        loc.make_public();
        assert_eq!(loc, once);
    }
}
