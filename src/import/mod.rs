//! Importing records from other people's data: HSDS 3.0 JSON and tabular datapackages,
//! OpenStreetMap extracts, and any CSV or GeoJSON with a small mapping file.
//!
//! Each format's reader turns its input into [`Object`]s — a primary record (service, space,
//! asset or organisation) with the organisation and locations it needs, every one carrying
//! the source's own identifier — or a rejection with the row and the reason. The
//! [`writer`] then writes each object in one transaction through the store's source-tracking
//! upsert, after looking for a likely duplicate. Readers do no I/O on the database.

pub mod bng;
pub mod datapackage;
pub mod dedupe;
pub mod fields;
pub mod hsds;
pub mod mapping;
pub mod osm;
pub mod remote;
pub mod report;
pub mod table;
pub mod tenure;
pub mod tidy;
pub mod transparency;
pub mod writer;

use serde::Serialize;
use uuid::Uuid;

use crate::domain::{Asset, Location, Organisation, Record, RecordKind, Service, Space};
use crate::store::SourceRef;

pub use report::{Entry, Place, Report, Status};
pub use writer::{Options, write_all};

/// A record the primary one needs, with its own source identifier.
#[derive(Debug, Clone, Serialize)]
pub struct Part<R> {
    pub source_id: String,
    pub record: R,
    /// Use this as the record's id when creating it, if no record has it yet (HSDS ids).
    #[serde(skip)]
    pub preferred_id: Option<Uuid>,
    /// An organisation the input names (an operator, an owner) may be the one the register
    /// already has under the same name; a place's own stand-in organisation may not.
    #[serde(skip)]
    pub reuse_by_name: bool,
}

impl<R> Part<R> {
    pub fn new(source_id: impl Into<String>, record: R) -> Self {
        Part {
            source_id: source_id.into(),
            record,
            preferred_id: None,
            reuse_by_name: false,
        }
    }
}

/// The record an input row or object stands for. References to the organisation and
/// locations are filled in by the writer (readers leave them nil).
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", content = "record", rename_all = "snake_case")]
pub enum Primary {
    Organisation(Organisation),
    Space(Space),
    Service(Service),
    Asset(Asset),
}

impl Primary {
    pub fn kind(&self) -> RecordKind {
        match self {
            Primary::Organisation(_) => RecordKind::Organisation,
            Primary::Space(_) => RecordKind::Space,
            Primary::Service(_) => RecordKind::Service,
            Primary::Asset(_) => RecordKind::Asset,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Primary::Organisation(r) => r.name(),
            Primary::Space(r) => r.name(),
            Primary::Service(r) => r.name(),
            Primary::Asset(r) => r.name(),
        }
    }
}

/// One input row or object, mapped.
#[derive(Debug, Clone, Serialize)]
pub struct Object {
    #[serde(skip)]
    pub place: Place,
    /// The primary record's identifier in the source.
    pub source_id: String,
    #[serde(skip)]
    pub preferred_id: Option<Uuid>,
    pub organisation: Option<Part<Organisation>>,
    pub locations: Vec<Part<Location>>,
    pub primary: Primary,
    /// What the reader left out, and why.
    #[serde(skip)]
    pub notes: Vec<String>,
}

impl Object {
    /// Where the object is for the duplicate check: its own point (an asset) or its first
    /// location's, with the postcode and UPRN.
    pub fn whereabouts(&self) -> dedupe::Whereabouts {
        if let Primary::Asset(a) = &self.primary {
            return dedupe::Whereabouts {
                point: a.latitude.zip(a.longitude),
                postcode: a.postcode.clone(),
                uprn: a.uprn.clone(),
            };
        }
        match self.locations.first() {
            Some(l) => dedupe::Whereabouts {
                point: Some((l.record.latitude, l.record.longitude)),
                postcode: Some(l.record.postcode.clone()),
                uprn: l.record.uprn.clone(),
            },
            None => dedupe::Whereabouts::default(),
        }
    }
}

/// An input row or object that could not be mapped.
#[derive(Debug, Clone)]
pub struct Rejected {
    pub place: Place,
    pub source_id: Option<String>,
    pub reason: String,
}

impl Rejected {
    pub fn new(place: Place, source_id: Option<String>, reason: impl Into<String>) -> Self {
        Rejected {
            place,
            source_id,
            reason: reason.into(),
        }
    }
}

/// What a reader made of its input.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// What was read, for the report's first line.
    pub input: String,
    pub warnings: Vec<String>,
    pub items: Vec<Result<Object, Rejected>>,
    /// The source the input says it is from, when it says (a mapping file's `[source]`).
    pub source: Option<SourceRef>,
}

/// An organisation with just a name, a description and a type: the stand-in for one the
/// input names but does not describe.
pub fn organisation(
    name: &str,
    description: String,
    org_type: crate::domain::vocab::OrgType,
) -> Organisation {
    Organisation {
        id: Uuid::nil(),
        name: name.to_owned(),
        description,
        org_type,
        identifier: None,
        website: None,
        email: None,
        phone: None,
        publication: Default::default(),
        version: 0,
        created_at: None,
        updated_at: None,
        last_verified_at: None,
    }
}

/// Trims a cell and treats an empty one as missing.
pub fn non_empty(value: Option<&str>) -> Option<String> {
    value
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// One line of text from a cell that may hold line breaks: the non-empty lines, trimmed,
/// joined with ", " ("Land At\rLeckhampton Hill\r \r" → "Land At, Leckhampton Hill").
pub fn one_line(value: &str) -> String {
    value
        .split(['\r', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_with_line_breaks_become_one_line() {
        assert_eq!(
            one_line("Land At\rLeckhampton Hill\r \r \r\r"),
            "Land At, Leckhampton Hill"
        );
        assert_eq!(one_line(" \nGL50 4RN"), "GL50 4RN");
        assert_eq!(non_empty(Some("  ")), None);
    }
}
