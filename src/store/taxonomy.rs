//! Taxonomies: the default one written by the project in `data/taxonomy.json`, loaded into a
//! new database, and the rules a term write needs the database for.

use chrono::Utc;
use sea_orm::{
    ActiveValue::Set,
    ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryOrder,
    sea_query::{Expr, ExprTrait, Query},
};
use serde::Deserialize;
use uuid::Uuid;

use super::{Actor, Store, entities::taxonomy};
use crate::domain::{FieldError, Publication, Taxonomy, TaxonomyTerm};
use crate::error::{AppError, Result};

/// The default taxonomy, embedded in the binary.
pub const DEFAULT_TAXONOMY: &str = include_str!("../../data/taxonomy.json");

#[derive(Deserialize)]
struct TaxonomyFile {
    taxonomy: TaxonomyHeader,
    terms: Vec<TermNode>,
}

#[derive(Deserialize)]
struct TaxonomyHeader {
    name: String,
    description: String,
    uri: Option<String>,
    version: Option<String>,
}

#[derive(Deserialize)]
struct TermNode {
    slug: String,
    name: String,
    description: Option<String>,
    #[serde(default)]
    children: Vec<TermNode>,
}

impl From<taxonomy::Model> for Taxonomy {
    fn from(m: taxonomy::Model) -> Self {
        Taxonomy {
            id: m.id,
            name: m.name,
            description: m.description,
            uri: m.uri,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        }
    }
}

impl Store {
    /// Every taxonomy, oldest first. The first is the default.
    pub async fn taxonomies(&self) -> Result<Vec<Taxonomy>> {
        Ok(taxonomy::Entity::find()
            .order_by_asc(taxonomy::Column::CreatedAt)
            .order_by_asc(taxonomy::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Taxonomy::from)
            .collect())
    }

    /// Loads the default taxonomy when the database has none. Each term is written through
    /// the normal create path, so it is in the change log and the index.
    pub async fn ensure_default_taxonomy(&self) -> anyhow::Result<bool> {
        if taxonomy::Entity::find().count(&self.db).await? > 0 {
            return Ok(false);
        }
        let file: TaxonomyFile = serde_json::from_str(DEFAULT_TAXONOMY)?;
        let now = Utc::now();
        let taxonomy_id = Uuid::new_v4();
        taxonomy::Entity::insert(taxonomy::ActiveModel {
            id: Set(taxonomy_id),
            name: Set(file.taxonomy.name),
            description: Set(file.taxonomy.description),
            uri: Set(file.taxonomy.uri),
            version: Set(file.taxonomy.version),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .exec_without_returning(&self.db)
        .await?;
        let actor = Actor::new("system:default-taxonomy");
        let mut stack: Vec<(Option<Uuid>, TermNode)> =
            file.terms.into_iter().rev().map(|t| (None, t)).collect();
        while let Some((parent_id, node)) = stack.pop() {
            let term = TaxonomyTerm {
                id: Uuid::nil(),
                taxonomy_id,
                parent_id,
                slug: node.slug,
                name: node.name,
                description: node.description,
                publication: Publication::Published,
                version: 0,
                created_at: None,
                updated_at: None,
                last_verified_at: None,
            };
            let created = self
                .create(term, None, &actor)
                .await
                .map_err(|e| anyhow::anyhow!("default taxonomy: {e}"))?;
            stack.extend(
                node.children
                    .into_iter()
                    .rev()
                    .map(|c| (Some(created.id), c)),
            );
        }
        Ok(true)
    }

    /// Term id for a slug.
    pub async fn term_id_by_slug(&self, slug: &str) -> Result<Option<Uuid>> {
        let q = Query::select()
            .column("id")
            .from("taxonomy_terms")
            .and_where(Expr::col("slug").eq(slug))
            .to_owned();
        Ok(self
            .db
            .query_one(&q)
            .await?
            .and_then(|r| r.try_get("", "id").ok()))
    }
}

/// Database rules for a term write: the taxonomy defaults to the first one and must exist,
/// the slug is unique, and the parent chain has no cycle.
pub(super) async fn prepare_term(txn: &DatabaseTransaction, term: &mut TaxonomyTerm) -> Result<()> {
    if term.taxonomy_id.is_nil() {
        let first = taxonomy::Entity::find()
            .order_by_asc(taxonomy::Column::CreatedAt)
            .order_by_asc(taxonomy::Column::Id)
            .one(txn)
            .await?
            .ok_or_else(|| {
                FieldError::new("taxonomy_id", "there is no taxonomy yet to add the term to")
            })?;
        term.taxonomy_id = first.id;
    } else if taxonomy::Entity::find_by_id(term.taxonomy_id)
        .one(txn)
        .await?
        .is_none()
    {
        return Err(FieldError::new(
            "taxonomy_id",
            format!("there is no taxonomy with id {}", term.taxonomy_id),
        )
        .into());
    }
    let clash = Query::select()
        .column("id")
        .from("taxonomy_terms")
        .and_where(Expr::col("slug").eq(term.slug.as_str()))
        .and_where(Expr::col("id").ne(term.id))
        .to_owned();
    if txn.query_one(&clash).await?.is_some() {
        return Err(AppError::Conflict {
            message: format!("another term already has the slug '{}'", term.slug),
            field: Some("slug".into()),
        });
    }
    // Walk up from the parent: reaching this term again would make a loop.
    let mut cursor = term.parent_id;
    let mut steps = 0;
    while let Some(id) = cursor {
        if id == term.id {
            return Err(FieldError::new(
                "parent_id",
                "a term cannot be filed under itself or one of its own sub-terms",
            )
            .into());
        }
        steps += 1;
        if steps > 100 {
            break;
        }
        let q = Query::select()
            .column("parent_id")
            .from("taxonomy_terms")
            .and_where(Expr::col("id").eq(id))
            .to_owned();
        cursor = txn
            .query_one(&q)
            .await?
            .and_then(|r| r.try_get::<Option<Uuid>>("", "parent_id").ok())
            .flatten();
    }
    Ok(())
}
