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
