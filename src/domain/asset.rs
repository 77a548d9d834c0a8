//! An asset: land or a building in the public asset register. A later issue completes its
//! Transparency Code fields, transfer cases and Assets of Community Value.

use uuid::Uuid;

use super::vocab::{CommunityUse, Tenure};
use super::{
    FieldError, Record, RecordKind, Reference, SearchText, record_accessors, record_struct,
    validate as v,
};

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
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub town: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub postcode: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub latitude: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub longitude: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub tenure: Option<Tenure>,
        /// What it is used for now, e.g. "Library".
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub current_use: Option<String>,
        #[serde(default)]
        pub community_use: CommunityUse,
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
        v::optional("town", &mut self.town, 100)?;
        v::postcode_opt("postcode", &mut self.postcode)?;
        v::point_opt(self.latitude, self.longitude)?;
        v::optional("current_use", &mut self.current_use, 500)?;
        Ok(())
    }

    fn references(&self) -> Vec<Reference> {
        vec![Reference {
            field: "owner_organisation_id".into(),
            kind: RecordKind::Organisation,
            id: self.owner_organisation_id,
        }]
    }

    fn own_point(&self) -> Option<(f64, f64)> {
        Some((self.longitude?, self.latitude?))
    }

    fn search_text(&self) -> SearchText {
        let mut extra: Vec<String> = [
            &self.address_1,
            &self.address_2,
            &self.town,
            &self.postcode,
            &self.current_use,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
        extra.push(self.community_use.label().to_owned());
        SearchText {
            name: self.name.clone(),
            description: self.description.clone().unwrap_or_default(),
            extra,
        }
    }
}
