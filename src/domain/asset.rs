//! An asset: land or a building in the public asset register, with the Local Government
//! Transparency Code's fields (UPRN, the owner's reference, address, National Grid reference,
//! tenure and its detail), what it is, costs and holds, and its community use: offered for
//! community asset transfer (with a closing date) or transferred (to whom, when, on what terms).
//!
//! Every field is public: running cost and maintenance backlog are published under the
//! Transparency Code, and nothing here is about a person. Spaces inside an asset point at it
//! (`Space::asset_id`), so an asset's spaces are found from the spaces.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::vocab::{
    CommunityUse, EnergyRating, Facility, SizeUnit, Tenure, TenureDetail, TransferTerms,
};
use super::{
    FieldError, Record, RecordKind, Reference, SearchText, record_accessors, record_struct,
    validate as v,
};

/// How big an asset is: a floor or site area.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssetSize {
    pub value: f64,
    pub unit: SizeUnit,
}

/// To whom, when and on what terms an asset was transferred to the community.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    /// The group or body it went to, by name.
    pub recipient: String,
    /// The recipient's record in the register, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recipient_organisation_id: Option<Uuid>,
    /// When the transfer completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_on: Option<NaiveDate>,
    pub terms: TransferTerms,
    /// The length of the lease in years; only for `lease`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease_years: Option<i32>,
}

impl Transfer {
    fn validate(&mut self) -> Result<(), FieldError> {
        v::required("transfer.recipient", &mut self.recipient, 200)?;
        match (self.terms, self.lease_years) {
            (TransferTerms::Lease, None) => Err(FieldError::new(
                "transfer.lease_years",
                "a transfer on a lease needs the lease's term in years",
            )),
            (TransferTerms::Lease, years) => v::range("transfer.lease_years", years, 1, 999),
            (_, Some(_)) => Err(FieldError::new(
                "transfer.lease_years",
                "lease_years is only for a transfer on a lease",
            )),
            (_, None) => Ok(()),
        }
    }
}

/// Reads a missing or null list as empty (a column added after rows existed is null).
fn null_as_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(d)?.unwrap_or_default())
}

/// Most money an asset's yearly figures may hold, in pounds.
const MAX_POUNDS: i64 = 1_000_000_000_000;

record_struct! {
    /// Land or a building held by a public body or partner.
    pub struct Asset {
        pub owner_organisation_id: Uuid,
        pub name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
        /// Unique Property Reference Number, as text (leading zeros matter).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub uprn: Option<String>,
        /// The owner's own reference for the asset.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub asset_reference: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub address_1: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub address_2: Option<String>,
        /// The street number, as the Transparency Code lists it apart from the street.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub street_number: Option<String>,
        /// The street, as the Transparency Code lists it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub street_name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub town: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub postcode: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub latitude: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub longitude: Option<f64>,
        /// British National Grid easting (metres) as the owner published it, kept so an export
        /// gives back the same figure rather than one converted twice.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub easting: Option<f64>,
        /// British National Grid northing, kept like `easting`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub northing: Option<f64>,
        /// The site's outline: a GeoJSON Polygon or MultiPolygon in WGS84.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schema(value_type = Object)]
        pub site_outline: Option<serde_json::Value>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tenure: Option<Tenure>,
        /// The tenure as the owner's register wrote it (e.g. `Freehold`, or `Chattel`, which
        /// is no tenure Junction knows), kept as imported.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tenure_as_published: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tenure_detail: Option<TenureDetail>,
        /// The tenure detail as the owner's register wrote it (e.g. `Leashold`), kept as imported.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tenure_detail_as_published: Option<String>,
        /// The owner's class of holding, e.g. "Land and Building", "Car Parks".
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub holding_type: Option<String>,
        /// What it is used for now, e.g. "Library".
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub current_use: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub size: Option<AssetSize>,
        /// Services delivered from it, in words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub services_delivered: Option<String>,
        /// Why the owner holds it, in words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub reason_for_holding: Option<String>,
        /// What it costs to run each year, in whole pounds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub annual_running_cost: Option<i64>,
        /// The cost of the repairs it is waiting for, in whole pounds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub maintenance_backlog: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub energy_rating: Option<EnergyRating>,
        #[serde(default, deserialize_with = "null_as_empty")]
        pub facilities: Vec<Facility>,
        /// How many people it holds, where known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub capacity: Option<i32>,
        #[serde(default)]
        pub community_use: CommunityUse,
        /// The last day for expressions of interest, while it is offered for community asset
        /// transfer.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub transfer_closing_date: Option<NaiveDate>,
        /// Once transferred: to whom, when and on what terms.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub transfer: Option<Transfer>,
    }
}

impl Asset {
    /// The street address on one line: `address_1`, else the street number and name.
    pub fn street_line(&self) -> Option<String> {
        if let Some(a) = &self.address_1 {
            return Some(a.clone());
        }
        let parts: Vec<&str> = [&self.street_number, &self.street_name]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect();
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

impl Record for Asset {
    const KIND: RecordKind = RecordKind::Asset;
    record_accessors!();

    fn validate(&mut self) -> Result<(), FieldError> {
        v::required("name", &mut self.name, 200)?;
        v::optional("description", &mut self.description, 10_000)?;
        v::uprn("uprn", &mut self.uprn)?;
        v::optional("asset_reference", &mut self.asset_reference, 100)?;
        v::optional("address_1", &mut self.address_1, 200)?;
        v::optional("address_2", &mut self.address_2, 200)?;
        v::optional("street_number", &mut self.street_number, 40)?;
        v::optional("street_name", &mut self.street_name, 200)?;
        v::optional("town", &mut self.town, 100)?;
        v::postcode_opt("postcode", &mut self.postcode)?;
        v::point_opt(self.latitude, self.longitude)?;
        grid_reference(self.easting, self.northing)?;
        if let Some(outline) = &self.site_outline {
            let geometry: geojson::Geometry =
                serde_json::from_value(outline.clone()).map_err(|e| {
                    FieldError::new(
                        "site_outline",
                        format!("the site outline is not a GeoJSON geometry: {e}"),
                    )
                })?;
            crate::geo::boundaries::multipolygon_from_geojson(&geometry.value)
                .map_err(|e| FieldError::new("site_outline", e))?;
        }
        v::optional("tenure_as_published", &mut self.tenure_as_published, 100)?;
        v::optional(
            "tenure_detail_as_published",
            &mut self.tenure_detail_as_published,
            100,
        )?;
        v::optional("holding_type", &mut self.holding_type, 200)?;
        v::optional("current_use", &mut self.current_use, 500)?;
        if let Some(size) = self.size
            && !(size.value.is_finite() && size.value > 0.0 && size.value < 1e9)
        {
            return Err(FieldError::new(
                "size.value",
                "size.value must be a number above 0",
            ));
        }
        v::optional("services_delivered", &mut self.services_delivered, 2_000)?;
        v::optional("reason_for_holding", &mut self.reason_for_holding, 2_000)?;
        pounds("annual_running_cost", self.annual_running_cost)?;
        pounds("maintenance_backlog", self.maintenance_backlog)?;
        v::dedupe(&mut self.facilities);
        v::range("capacity", self.capacity, 1, 100_000)?;
        if self.transfer_closing_date.is_some()
            && !matches!(
                self.community_use,
                CommunityUse::OfferedForTransfer | CommunityUse::Transferred
            )
        {
            return Err(FieldError::new(
                "transfer_closing_date",
                "a transfer closing date is for an asset offered for community asset transfer",
            ));
        }
        if let Some(transfer) = self.transfer.as_mut() {
            if self.community_use != CommunityUse::Transferred {
                return Err(FieldError::new(
                    "transfer",
                    "transfer details are for an asset whose community use is 'transferred'",
                ));
            }
            transfer.validate()?;
        }
        Ok(())
    }

    fn references(&self) -> Vec<Reference> {
        let mut refs = vec![Reference {
            field: "owner_organisation_id".into(),
            kind: RecordKind::Organisation,
            id: self.owner_organisation_id,
        }];
        if let Some(id) = self
            .transfer
            .as_ref()
            .and_then(|t| t.recipient_organisation_id)
        {
            refs.push(Reference {
                field: "transfer.recipient_organisation_id".into(),
                kind: RecordKind::Organisation,
                id,
            });
        }
        refs
    }

    fn own_point(&self) -> Option<(f64, f64)> {
        Some((self.longitude?, self.latitude?))
    }

    fn search_text(&self) -> SearchText {
        let mut extra: Vec<String> = [
            &self.address_1,
            &self.address_2,
            &self.street_name,
            &self.town,
            &self.postcode,
            &self.current_use,
            &self.holding_type,
            &self.services_delivered,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
        extra.push(self.community_use.label().to_owned());
        extra.extend(self.facilities.iter().map(|f| f.label().to_owned()));
        SearchText {
            name: self.name.clone(),
            description: self.description.clone().unwrap_or_default(),
            extra,
        }
    }
}

/// An easting and northing on the British National Grid, both or neither.
fn grid_reference(easting: Option<f64>, northing: Option<f64>) -> Result<(), FieldError> {
    match (easting, northing) {
        (Some(e), Some(n)) => {
            if !(e.is_finite() && (0.0..=700_000.0).contains(&e)) {
                return Err(FieldError::new(
                    "easting",
                    "easting must be between 0 and 700000 metres (British National Grid)",
                ));
            }
            if !(n.is_finite() && (0.0..=1_300_000.0).contains(&n)) {
                return Err(FieldError::new(
                    "northing",
                    "northing must be between 0 and 1300000 metres (British National Grid)",
                ));
            }
            Ok(())
        }
        (None, None) => Ok(()),
        (Some(_), None) => Err(FieldError::new(
            "northing",
            "northing is required when easting is given",
        )),
        (None, Some(_)) => Err(FieldError::new(
            "easting",
            "easting is required when northing is given",
        )),
    }
}

fn pounds(field: &str, value: Option<i64>) -> Result<(), FieldError> {
    match value {
        Some(v) if !(0..=MAX_POUNDS).contains(&v) => Err(FieldError::new(
            field,
            format!("{field} must be a whole number of pounds from 0 to {MAX_POUNDS}"),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asset(extra: serde_json::Value) -> Asset {
        let mut json = serde_json::json!({
            "owner_organisation_id": Uuid::nil(), "name": "Old depot",
        });
        if let (Some(o), Some(e)) = (json.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        serde_json::from_value(json).unwrap()
    }

    fn field_of(extra: serde_json::Value) -> String {
        asset(extra).validate().unwrap_err().field
    }

    #[test]
    fn every_new_field_names_itself_when_wrong() {
        let square = serde_json::json!({"type": "Polygon", "coordinates": [[
            [-2.1, 53.5], [-2.09, 53.5], [-2.09, 53.51], [-2.1, 53.51], [-2.1, 53.5]
        ]]});
        let mut good = asset(serde_json::json!({
            "site_outline": square, "size": {"value": 420.5, "unit": "square_metres"},
            "annual_running_cost": 12000, "maintenance_backlog": 0, "energy_rating": "c",
            "facilities": ["kitchen", "toilets", "kitchen"], "capacity": 80,
            "easting": 392_000.0, "northing": 405_000.0, "tenure_detail": "ground_leasehold",
            "community_use": "transferred", "transfer_closing_date": "2026-03-31",
            "transfer": {"recipient": "Fernlea Community Association", "completed_on": "2026-06-01",
                         "terms": "lease", "lease_years": 25}
        }));
        good.validate().unwrap();
        assert_eq!(good.facilities, vec![Facility::Kitchen, Facility::Toilets]);

        let line =
            serde_json::json!({"type": "LineString", "coordinates": [[0.0, 0.0], [1.0, 1.0]]});
        assert_eq!(
            field_of(serde_json::json!({"site_outline": line})),
            "site_outline"
        );
        assert_eq!(
            field_of(serde_json::json!({"site_outline": {"type": "Polygon"}})),
            "site_outline"
        );
        assert_eq!(
            field_of(serde_json::json!({"size": {"value": -1.0, "unit": "hectares"}})),
            "size.value"
        );
        assert_eq!(
            field_of(serde_json::json!({"annual_running_cost": -5})),
            "annual_running_cost"
        );
        assert_eq!(
            field_of(serde_json::json!({"maintenance_backlog": -1})),
            "maintenance_backlog"
        );
        assert_eq!(field_of(serde_json::json!({"capacity": 0})), "capacity");
        assert_eq!(
            field_of(serde_json::json!({"easting": 392_000.0})),
            "northing"
        );
        assert_eq!(
            field_of(serde_json::json!({"easting": -4.0, "northing": 400_000.0})),
            "easting"
        );
        assert_eq!(
            field_of(serde_json::json!({"transfer_closing_date": "2026-01-01"})),
            "transfer_closing_date"
        );
        let transfer = serde_json::json!({"recipient": "A group", "terms": "licence"});
        assert_eq!(
            field_of(serde_json::json!({"transfer": transfer})),
            "transfer"
        );
        assert_eq!(
            field_of(serde_json::json!({"community_use": "transferred",
                "transfer": {"recipient": "A group", "terms": "lease"}})),
            "transfer.lease_years"
        );
        assert_eq!(
            field_of(serde_json::json!({"community_use": "transferred",
                "transfer": {"recipient": "A group", "terms": "freehold", "lease_years": 5}})),
            "transfer.lease_years"
        );
        assert_eq!(
            field_of(serde_json::json!({"community_use": "transferred",
                "transfer": {"recipient": " ", "terms": "freehold"}})),
            "transfer.recipient"
        );
    }

    #[test]
    fn a_transfer_recipient_in_the_register_is_a_reference() {
        let id = Uuid::from_u128(7);
        let a = asset(serde_json::json!({"community_use": "transferred",
            "transfer": {"recipient": "A group", "recipient_organisation_id": id, "terms": "management_agreement"}}));
        let refs = a.references();
        assert_eq!(refs.len(), 2);
        assert_eq!(refs[1].field, "transfer.recipient_organisation_id");
        assert_eq!(refs[1].id, id);
    }

    #[test]
    fn the_street_line_falls_back_to_number_and_street() {
        let a = asset(serde_json::json!({"street_number": "12", "street_name": "Mill Lane"}));
        assert_eq!(a.street_line().as_deref(), Some("12 Mill Lane"));
        let b = asset(serde_json::json!({"address_1": "Town Hall", "street_name": "Mill Lane"}));
        assert_eq!(b.street_line().as_deref(), Some("Town Hall"));
    }
}
