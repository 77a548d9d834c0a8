//! A service: support an organisation offers at locations, online or by phone.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::vocab::{AccessMethod, ServiceStatus};
use super::{
    FieldError, Links, Record, RecordKind, Reference, SearchText, record_accessors, record_struct,
    validate as v,
};

/// A named person to contact. Personal data: never in the public view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactPerson {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

impl ContactPerson {
    pub fn validate(&mut self, field: &str) -> Result<(), FieldError> {
        v::required(&format!("{field}.name"), &mut self.name, 200)?;
        v::optional(&format!("{field}.job_title"), &mut self.job_title, 200)?;
        v::email(&format!("{field}.email"), &mut self.email)?;
        v::phone(&format!("{field}.phone"), &mut self.phone)?;
        Ok(())
    }
}

/// An area a service covers instead of, or as well as, its sites: a boundary the register
/// knows (a ward, a district) or a polygon of its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceArea {
    /// Code of a boundary in `/api/v1/boundaries`, e.g. the ward `E05000735`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub boundary_code: Option<String>,
    /// A name for people, e.g. "All of Oldham".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A GeoJSON Polygon or MultiPolygon in WGS84, for an area that is not a known boundary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Object)]
    pub extent: Option<serde_json::Value>,
}

/// Most areas one service may list.
pub const MAX_SERVICE_AREAS: usize = 100;

impl ServiceArea {
    fn validate(&mut self, field: &str) -> Result<(), FieldError> {
        v::optional(&format!("{field}.name"), &mut self.name, 200)?;
        v::optional(
            &format!("{field}.boundary_code"),
            &mut self.boundary_code,
            32,
        )?;
        if let Some(code) = self.boundary_code.as_mut() {
            *code = code.to_uppercase();
        }
        match (&self.boundary_code, &self.extent) {
            (Some(_), Some(_)) => Err(FieldError::new(
                field,
                "give a boundary_code or an extent, not both",
            )),
            (None, None) => Err(FieldError::new(field, "give a boundary_code or an extent")),
            (None, Some(extent)) => {
                let geometry: geojson::Geometry =
                    serde_json::from_value(extent.clone()).map_err(|e| {
                        FieldError::new(
                            format!("{field}.extent"),
                            format!("the extent is not a GeoJSON geometry: {e}"),
                        )
                    })?;
                crate::geo::boundaries::multipolygon_from_geojson(&geometry.value)
                    .map(|_| ())
                    .map_err(|e| FieldError::new(format!("{field}.extent"), e))
            }
            (Some(_), None) => Ok(()),
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

record_struct! {
    /// Support offered by an organisation, close to an HSDS 3.0 service.
    pub struct Service {
        pub organisation_id: Uuid,
        /// Where the service is delivered; empty for online or phone-only services.
        #[serde(default)]
        pub location_ids: Vec<Uuid>,
        pub name: String,
        pub description: String,
        /// Taxonomy term ids. On input a term's slug is accepted too.
        #[serde(default)]
        pub categories: Vec<String>,
        /// Operational status as HSDS defines it.
        #[serde(default)]
        pub status: ServiceStatus,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub min_age: Option<i32>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub max_age: Option<i32>,
        /// Who can use it, in words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub eligibility: Option<String>,
        #[serde(default)]
        pub free: bool,
        /// What it costs, in words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub cost: Option<String>,
        #[serde(default)]
        pub access: Vec<AccessMethod>,
        /// ISO 639 codes of the languages spoken, e.g. `en`, `ur`.
        #[serde(default)]
        pub languages: Vec<String>,
        /// Interpreting offered for other languages.
        #[serde(default)]
        pub interpreting: bool,
        /// British Sign Language offered.
        #[serde(default)]
        pub bsl: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub email: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub phone: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub website: Option<String>,
        /// A named contact. Private: only token holders see it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub contact_person: Option<ContactPerson>,
        /// OpenStreetMap `opening_hours` syntax, evaluated in Europe/London.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub opening_hours: Option<String>,
        /// Areas the service covers: a search near a point inside one finds it at distance 0.
        #[serde(default, deserialize_with = "null_as_empty")]
        pub service_areas: Vec<ServiceArea>,
    }
}

impl Record for Service {
    const KIND: RecordKind = RecordKind::Service;
    record_accessors!();

    fn validate(&mut self) -> Result<(), FieldError> {
        v::required("name", &mut self.name, 200)?;
        v::required("description", &mut self.description, 10_000)?;
        v::range("min_age", self.min_age, 0, 130)?;
        v::range("max_age", self.max_age, 0, 130)?;
        if let (Some(min), Some(max)) = (self.min_age, self.max_age)
            && min > max
        {
            return Err(FieldError::new(
                "max_age",
                "max_age must not be less than min_age",
            ));
        }
        v::optional("eligibility", &mut self.eligibility, 2_000)?;
        v::optional("cost", &mut self.cost, 2_000)?;
        v::languages("languages", &mut self.languages)?;
        v::email("email", &mut self.email)?;
        v::phone("phone", &mut self.phone)?;
        v::url("website", &mut self.website)?;
        if let Some(person) = self.contact_person.as_mut() {
            person.validate("contact_person")?;
        }
        v::opening_hours("opening_hours", &mut self.opening_hours)?;
        if self.service_areas.len() > MAX_SERVICE_AREAS {
            return Err(FieldError::new(
                "service_areas",
                format!("at most {MAX_SERVICE_AREAS} areas"),
            ));
        }
        for (i, area) in self.service_areas.iter_mut().enumerate() {
            area.validate(&format!("service_areas[{i}]"))?;
        }
        v::dedupe(&mut self.location_ids);
        v::dedupe(&mut self.access);
        for c in &mut self.categories {
            *c = c.trim().to_owned();
        }
        v::dedupe(&mut self.categories);
        Ok(())
    }

    fn references(&self) -> Vec<Reference> {
        let mut refs = vec![Reference {
            field: "organisation_id".into(),
            kind: RecordKind::Organisation,
            id: self.organisation_id,
        }];
        refs.extend(
            self.location_ids
                .iter()
                .enumerate()
                .map(|(i, id)| Reference {
                    field: format!("location_ids[{i}]"),
                    kind: RecordKind::Location,
                    id: *id,
                }),
        );
        refs
    }

    fn make_public(&mut self) {
        self.contact_person = None;
    }

    fn search_text(&self) -> SearchText {
        let mut extra = vec![];
        if let Some(e) = &self.eligibility {
            extra.push(e.clone());
        }
        if let Some(c) = &self.cost {
            extra.push(c.clone());
        }
        extra.extend(self.access.iter().map(|a| a.label().to_owned()));
        SearchText {
            name: self.name.clone(),
            description: self.description.clone(),
            extra,
        }
    }

    fn location_refs(&self) -> Vec<Uuid> {
        self.location_ids.clone()
    }

    fn links(&self) -> Option<Links> {
        Some(Links {
            location_ids: self.location_ids.clone(),
            category_ids: self
                .categories
                .iter()
                .filter_map(|c| c.parse().ok())
                .collect(),
        })
    }

    fn set_links(&mut self, links: Links) {
        self.location_ids = links.location_ids;
        self.categories = links.category_ids.iter().map(Uuid::to_string).collect();
    }
}
