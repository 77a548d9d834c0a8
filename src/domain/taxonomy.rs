//! Taxonomies and their hierarchical terms. Each term has a stable, unique URL slug.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    FieldError, Record, RecordKind, Reference, SearchText, record_accessors, record_struct,
    validate as v,
};

/// A named set of terms, e.g. Junction's default categories.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Taxonomy {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

record_struct! {
    /// A category. Terms form a tree through `parent_id`.
    pub struct TaxonomyTerm {
        /// The taxonomy the term belongs to; the default taxonomy when left out.
        #[serde(default)]
        pub taxonomy_id: Uuid,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub parent_id: Option<Uuid>,
        /// Stable URL name, unique across the register; made from the name when left out.
        #[serde(default)]
        pub slug: String,
        pub name: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub description: Option<String>,
    }
}

impl Record for TaxonomyTerm {
    const KIND: RecordKind = RecordKind::TaxonomyTerm;
    record_accessors!();

    fn validate(&mut self) -> Result<(), FieldError> {
        v::required("name", &mut self.name, 200)?;
        v::optional("description", &mut self.description, 2_000)?;
        self.slug = self.slug.trim().to_owned();
        if self.slug.is_empty() {
            self.slug = v::slugify(&self.name);
        }
        v::slug("slug", &self.slug)?;
        if self.parent_id == Some(self.id) && !self.id.is_nil() {
            return Err(FieldError::new(
                "parent_id",
                "a term cannot be its own parent",
            ));
        }
        Ok(())
    }

    fn references(&self) -> Vec<Reference> {
        self.parent_id
            .map(|id| Reference {
                field: "parent_id".into(),
                kind: RecordKind::TaxonomyTerm,
                id,
            })
            .into_iter()
            .collect()
    }

    fn search_text(&self) -> SearchText {
        SearchText {
            name: self.name.clone(),
            description: self.description.clone().unwrap_or_default(),
            extra: vec![self.slug.replace('-', " ")],
        }
    }
}
