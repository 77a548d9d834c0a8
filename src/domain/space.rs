//! A space: a hall, room, kitchen, garden or pitch people can use or book.

use uuid::Uuid;

use super::service::ContactPerson;
use super::vocab::{Accessibility, Facility, SpaceType};
use super::{
    FieldError, Links, Record, RecordKind, Reference, SearchText, record_accessors, record_struct,
    validate as v,
};

record_struct! {
    /// Something usable at a location, owned or run by an organisation.
    pub struct Space {
        pub organisation_id: Uuid,
        pub location_id: Uuid,
        /// The asset (land or building in the asset register) the space is part of, if any:
        /// the link between an asset and its spaces lives here.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub asset_id: Option<Uuid>,
        pub name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
        #[serde(default)]
        pub space_type: SpaceType,
        /// Taxonomy term ids. On input a term's slug is accepted too.
        #[serde(default)]
        pub categories: Vec<String>,
        /// How many people it holds.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub capacity: Option<i32>,
        #[serde(default)]
        pub facilities: Vec<Facility>,
        #[serde(default)]
        pub accessibility: Vec<Accessibility>,
        #[serde(default)]
        pub free: bool,
        /// What it costs to use, in words.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub price: Option<String>,
        /// The usual rate in pounds an hour, for searching "free or cheap"; `price` says it
        /// in words, with any discounts.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub hourly_rate: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub how_to_book: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub booking_url: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub email: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub phone: Option<String>,
        /// A named contact. Private: only token holders see it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub contact_person: Option<ContactPerson>,
        /// OpenStreetMap `opening_hours` syntax, evaluated in Europe/London.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub opening_hours: Option<String>,
    }
}

impl Record for Space {
    const KIND: RecordKind = RecordKind::Space;
    record_accessors!();

    fn validate(&mut self) -> Result<(), FieldError> {
        v::required("name", &mut self.name, 200)?;
        v::optional("description", &mut self.description, 10_000)?;
        v::range("capacity", self.capacity, 1, 100_000)?;
        v::optional("price", &mut self.price, 2_000)?;
        v::money("hourly_rate", &mut self.hourly_rate, 10_000.0)?;
        v::optional("how_to_book", &mut self.how_to_book, 2_000)?;
        v::url("booking_url", &mut self.booking_url)?;
        v::email("email", &mut self.email)?;
        v::phone("phone", &mut self.phone)?;
        if let Some(person) = self.contact_person.as_mut() {
            person.validate("contact_person")?;
        }
        v::opening_hours("opening_hours", &mut self.opening_hours)?;
        v::dedupe(&mut self.facilities);
        v::dedupe(&mut self.accessibility);
        for c in &mut self.categories {
            *c = c.trim().to_owned();
        }
        v::dedupe(&mut self.categories);
        Ok(())
    }

    fn references(&self) -> Vec<Reference> {
        let mut refs = vec![
            Reference {
                field: "organisation_id".into(),
                kind: RecordKind::Organisation,
                id: self.organisation_id,
            },
            Reference {
                field: "location_id".into(),
                kind: RecordKind::Location,
                id: self.location_id,
            },
        ];
        if let Some(id) = self.asset_id {
            refs.push(Reference {
                field: "asset_id".into(),
                kind: RecordKind::Asset,
                id,
            });
        }
        refs
    }

    fn make_public(&mut self) {
        self.contact_person = None;
    }

    fn search_text(&self) -> SearchText {
        let mut extra = vec![self.space_type.label().to_owned()];
        extra.extend(self.facilities.iter().map(|f| f.label().to_owned()));
        extra.extend(self.accessibility.iter().map(|a| a.label().to_owned()));
        if let Some(p) = &self.price {
            extra.push(p.clone());
        }
        SearchText {
            name: self.name.clone(),
            description: self.description.clone().unwrap_or_default(),
            extra,
        }
    }

    fn location_refs(&self) -> Vec<Uuid> {
        vec![self.location_id]
    }

    fn links(&self) -> Option<Links> {
        Some(Links {
            location_ids: Vec::new(),
            category_ids: self
                .categories
                .iter()
                .filter_map(|c| c.parse().ok())
                .collect(),
        })
    }

    fn set_links(&mut self, links: Links) {
        self.categories = links.category_ids.iter().map(Uuid::to_string).collect();
    }
}
