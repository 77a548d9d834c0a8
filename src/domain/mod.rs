//! Record types and their rules: validation, normalisation and the public view. No I/O here.

pub mod acv;
mod asset;
pub mod erasure;
pub mod freshness;
pub mod hours;
mod location;
mod organisation;
mod role;
pub mod scope;
mod service;
mod space;
pub mod suggestion;
mod taxonomy;
pub mod transfer;
pub mod upload;
pub mod validate;
pub mod vocab;

pub use asset::{Asset, AssetSize, Transfer};
pub use location::Location;
pub use organisation::Organisation;
pub use role::Role;
pub use scope::Scope;
pub use service::{ContactPerson, Service, ServiceArea};
pub use space::Space;
pub use taxonomy::{Taxonomy, TaxonomyTerm};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use utoipa::ToSchema;
use uuid::Uuid;

/// The kinds of record in the register. `as_str` is the stable name used in the change log,
/// the search index and error bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Organisation,
    Location,
    Service,
    Space,
    Asset,
    TaxonomyTerm,
}

impl RecordKind {
    pub const ALL: [RecordKind; 6] = [
        RecordKind::Organisation,
        RecordKind::Location,
        RecordKind::Service,
        RecordKind::Space,
        RecordKind::Asset,
        RecordKind::TaxonomyTerm,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Organisation => "organisation",
            RecordKind::Location => "location",
            RecordKind::Service => "service",
            RecordKind::Space => "space",
            RecordKind::Asset => "asset",
            RecordKind::TaxonomyTerm => "taxonomy_term",
        }
    }

    pub fn parse(s: &str) -> Option<RecordKind> {
        RecordKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The API collection name, e.g. `/api/v1/taxonomy-terms`.
    pub fn resource(self) -> &'static str {
        match self {
            RecordKind::Organisation => "organisations",
            RecordKind::Location => "locations",
            RecordKind::Service => "services",
            RecordKind::Space => "spaces",
            RecordKind::Asset => "assets",
            RecordKind::TaxonomyTerm => "taxonomy-terms",
        }
    }

    /// A label for messages: "organisation", "taxonomy term".
    pub fn label(self) -> &'static str {
        match self {
            RecordKind::TaxonomyTerm => "taxonomy term",
            other => other.as_str(),
        }
    }
}

/// Whether a record is shown to the public. Separate from a service's operational status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Publication {
    Draft,
    #[default]
    Published,
    Archived,
}

impl Publication {
    pub fn as_str(self) -> &'static str {
        match self {
            Publication::Draft => "draft",
            Publication::Published => "published",
            Publication::Archived => "archived",
        }
    }
}

/// A validation failure: which field, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// A pointer to another record, as listed in a `has_dependants` error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct RecordRef {
    pub kind: RecordKind,
    pub id: Uuid,
    pub name: String,
}

/// A field of one record that names another record, checked to exist before a write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    pub field: String,
    pub kind: RecordKind,
    pub id: Uuid,
}

/// The bookkeeping every record carries, maintained by the store and never taken from input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meta {
    pub id: Uuid,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_verified_at: Option<DateTime<Utc>>,
}

/// Words and points a record contributes to the search index.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchText {
    pub name: String,
    pub description: String,
    /// Lower-boost text: addresses, vocabulary labels, organisation types.
    pub extra: Vec<String>,
}

/// What every kind of register record can do. Implemented by the structs in this module.
pub trait Record: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {
    const KIND: RecordKind;

    fn name(&self) -> &str;
    fn publication(&self) -> Publication;
    fn meta(&self) -> Option<Meta>;
    fn set_meta(&mut self, meta: Meta);

    /// Normalise (trim, canonical postcode...) and check every rule that needs no I/O.
    /// The first failing field is returned.
    fn validate(&mut self) -> Result<(), FieldError>;

    /// Other records this one names; the store checks they exist.
    fn references(&self) -> Vec<Reference> {
        Vec::new()
    }

    /// Turn the full record into what the public may see. Idempotent.
    fn make_public(&mut self) {}

    fn search_text(&self) -> SearchText;

    /// The record's own WGS84 point as (longitude, latitude), if it has one.
    fn own_point(&self) -> Option<(f64, f64)> {
        None
    }

    /// Locations whose points stand for this record on a map (services, spaces).
    fn location_refs(&self) -> Vec<Uuid> {
        Vec::new()
    }

    /// The record's links held in join tables (services and spaces); `None` for kinds
    /// that have none.
    fn links(&self) -> Option<Links> {
        None
    }

    /// Puts links loaded from the join tables back on the record.
    fn set_links(&mut self, _links: Links) {}
}

/// Links a record keeps in join tables rather than in its own row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    pub location_ids: Vec<Uuid>,
    /// Resolved taxonomy term ids, in order.
    pub category_ids: Vec<Uuid>,
}

/// Declares a record struct with the bookkeeping fields every record has, and implements the
/// meta accessors of [`Record`] for it.
macro_rules! record_struct {
    ($(#[$attr:meta])* pub struct $name:ident { $($body:tt)* }) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// Junction's id for the record. Read-only: ignored when sent.
            #[serde(default)]
            #[schema(read_only)]
            pub id: uuid::Uuid,
            $($body)*
            /// `published` records are public; `draft` and `archived` ones only reach token holders.
            #[serde(default)]
            pub publication: $crate::domain::Publication,
            /// Incremented by every change; the `ETag`. Read-only.
            #[serde(default)]
            #[schema(read_only)]
            pub version: i32,
            /// Read-only.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[schema(read_only)]
            pub created_at: Option<chrono::DateTime<chrono::Utc>>,
            /// Last edit. Read-only.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[schema(read_only)]
            pub updated_at: Option<chrono::DateTime<chrono::Utc>>,
            /// Last time someone confirmed the record is still correct (distinct from an edit).
            /// Read-only.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            #[schema(read_only)]
            pub last_verified_at: Option<chrono::DateTime<chrono::Utc>>,
        }

        impl $name {
            #[doc(hidden)]
            pub fn meta_of(&self) -> Option<$crate::domain::Meta> {
                Some($crate::domain::Meta {
                    id: self.id,
                    version: self.version,
                    created_at: self.created_at?,
                    updated_at: self.updated_at?,
                    last_verified_at: self.last_verified_at,
                })
            }

            #[doc(hidden)]
            pub fn set_meta_of(&mut self, meta: $crate::domain::Meta) {
                self.id = meta.id;
                self.version = meta.version;
                self.created_at = Some(meta.created_at);
                self.updated_at = Some(meta.updated_at);
                self.last_verified_at = meta.last_verified_at;
            }
        }
    };
}
pub(crate) use record_struct;

/// Implements the accessor half of [`Record`] that is the same for every kind.
macro_rules! record_accessors {
    () => {
        fn name(&self) -> &str {
            &self.name
        }
        fn publication(&self) -> $crate::domain::Publication {
            self.publication
        }
        fn meta(&self) -> Option<$crate::domain::Meta> {
            self.meta_of()
        }
        fn set_meta(&mut self, meta: $crate::domain::Meta) {
            self.set_meta_of(meta)
        }
    };
}
pub(crate) use record_accessors;
