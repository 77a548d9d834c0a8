//! Likely duplicates an import held back. Instead of creating a second record for a place the
//! register already has, an import writes a review: the source identifier, the existing
//! record it looks like, the object as mapped, and why. Someone then merges it (the source
//! identifier is linked to the existing record, which keeps both sources' identifiers) or
//! marks it distinct (the next import creates it).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::{NotSet, Set},
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
    sea_query::Expr,
};
use serde::Serialize;
use uuid::Uuid;

use super::{Store, links, sources};
use crate::domain::RecordKind;
use crate::error::{AppError, Result};

mod import_review {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "import_reviews")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub source_key: String,
        pub source_id: String,
        pub candidate_kind: String,
        pub candidate_id: Uuid,
        #[sea_orm(column_type = "Json")]
        pub payload: Json,
        pub content_hash: String,
        pub reason: String,
        pub created_at: DateTimeUtc,
        pub resolved_at: Option<DateTimeUtc>,
        pub resolution: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// How a review was settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// The source identifier now points at the existing record.
    Merged,
    /// Not a duplicate: the next import of this source identifier creates it.
    Distinct,
}

impl Resolution {
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Merged => "merged",
            Resolution::Distinct => "distinct",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        match s {
            "merged" => Some(Resolution::Merged),
            "distinct" => Some(Resolution::Distinct),
            _ => None,
        }
    }
}

/// A likely duplicate held back by an import.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    pub id: i64,
    pub source_key: String,
    pub source_id: String,
    pub candidate_kind: RecordKind,
    pub candidate_id: Uuid,
    pub payload: serde_json::Value,
    pub content_hash: String,
    pub reason: String,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub resolution: Option<Resolution>,
}

impl Review {
    fn from_model(m: import_review::Model) -> Option<Self> {
        Some(Review {
            id: m.id,
            source_key: m.source_key,
            source_id: m.source_id,
            candidate_kind: RecordKind::parse(&m.candidate_kind)?,
            candidate_id: m.candidate_id,
            payload: m.payload,
            content_hash: m.content_hash,
            reason: m.reason,
            created_at: m.created_at,
            resolved_at: m.resolved_at,
            resolution: m.resolution.as_deref().and_then(Resolution::parse),
        })
    }
}

/// The latest review of a source identifier, settled or not.
pub async fn latest_for<C: ConnectionTrait>(
    conn: &C,
    source_key: &str,
    source_id: &str,
) -> Result<Option<Review>> {
    Ok(import_review::Entity::find()
        .filter(import_review::Column::SourceKey.eq(source_key))
        .filter(import_review::Column::SourceId.eq(source_id))
        .order_by_desc(import_review::Column::Id)
        .one(conn)
        .await?
        .and_then(Review::from_model))
}

/// What a new or renewed review holds.
pub struct Hold<'a> {
    pub source_key: &'a str,
    pub source_id: &'a str,
    pub candidate: (RecordKind, Uuid),
    pub payload: serde_json::Value,
    pub content_hash: &'a str,
    pub reason: &'a str,
}

/// Holds an object back for review and returns the review's id. An open review of the same
/// source identifier is brought up to date rather than repeated.
pub async fn hold<C: ConnectionTrait>(conn: &C, hold: Hold<'_>) -> Result<i64> {
    let open = latest_for(conn, hold.source_key, hold.source_id)
        .await?
        .filter(|r| r.resolved_at.is_none());
    let (kind, id) = hold.candidate;
    if let Some(open) = open {
        import_review::Entity::update_many()
            .col_expr(
                import_review::Column::CandidateKind,
                Expr::value(kind.as_str()),
            )
            .col_expr(import_review::Column::CandidateId, Expr::value(id))
            .col_expr(import_review::Column::Payload, Expr::value(hold.payload))
            .col_expr(
                import_review::Column::ContentHash,
                Expr::value(hold.content_hash),
            )
            .col_expr(import_review::Column::Reason, Expr::value(hold.reason))
            .filter(import_review::Column::Id.eq(open.id))
            .exec(conn)
            .await?;
        return Ok(open.id);
    }
    let res = import_review::Entity::insert(import_review::ActiveModel {
        id: NotSet,
        source_key: Set(hold.source_key.to_owned()),
        source_id: Set(hold.source_id.to_owned()),
        candidate_kind: Set(kind.as_str().to_owned()),
        candidate_id: Set(id),
        payload: Set(hold.payload),
        content_hash: Set(hold.content_hash.to_owned()),
        reason: Set(hold.reason.to_owned()),
        created_at: Set(Utc::now()),
        resolved_at: Set(None),
        resolution: Set(None),
    })
    .exec(conn)
    .await?;
    Ok(res.last_insert_id)
}

impl Store {
    /// Reviews, newest first; only open ones unless `all`.
    pub async fn reviews(&self, all: bool) -> Result<Vec<Review>> {
        let mut find = import_review::Entity::find();
        if !all {
            find = find.filter(import_review::Column::ResolvedAt.is_null());
        }
        Ok(find
            .order_by_desc(import_review::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(Review::from_model)
            .collect())
    }

    /// One review.
    pub async fn review(&self, id: i64) -> Result<Option<Review>> {
        Ok(import_review::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .and_then(Review::from_model))
    }

    /// Settles an open review. `Merged` links its source identifier to the existing record
    /// (which keeps its other source identifiers too); later imports of that identifier leave
    /// the record alone while the source says the same. `Distinct` lets the next import create
    /// the object as a record of its own.
    pub async fn resolve_review(&self, id: i64, resolution: Resolution) -> Result<Review> {
        let txn = self.db.begin().await?;
        let review = import_review::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .and_then(Review::from_model)
            .ok_or_else(|| AppError::NotFound(format!("review {id}")))?;
        if let (Some(_), Some(done)) = (review.resolved_at, review.resolution) {
            return Err(AppError::Conflict {
                message: format!("review {id} was already settled ({})", done.as_str()),
                field: None,
            });
        }
        if resolution == Resolution::Merged {
            if links::name_of(&txn, review.candidate_kind, review.candidate_id)
                .await?
                .is_none()
            {
                return Err(AppError::NotFound(format!(
                    "{} {} (the record this review would merge into)",
                    review.candidate_kind.label(),
                    review.candidate_id
                )));
            }
            if let Some(link) =
                sources::find_link(&txn, &review.source_key, &review.source_id).await?
            {
                return Err(AppError::Conflict {
                    message: format!(
                        "source id '{}' is already linked to {} {}",
                        review.source_id,
                        link.kind.label(),
                        link.record_id
                    ),
                    field: None,
                });
            }
            sources::link_in(
                &txn,
                &review.source_key,
                &review.source_id,
                review.candidate_kind,
                review.candidate_id,
                &review.content_hash,
                true,
            )
            .await?;
        }
        let now = Utc::now();
        import_review::Entity::update_many()
            .col_expr(import_review::Column::ResolvedAt, Expr::value(now))
            .col_expr(
                import_review::Column::Resolution,
                Expr::value(resolution.as_str()),
            )
            .filter(import_review::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(Review {
            resolved_at: Some(now),
            resolution: Some(resolution),
            ..review
        })
    }
}
