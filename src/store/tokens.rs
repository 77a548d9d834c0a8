//! API tokens. A token is shown once, when created; only its SHA-256 hash is stored.

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{Store, entities::api_token};
use crate::domain::Role;

/// Prefix that makes Junction tokens recognisable (e.g. to secret scanners).
const PREFIX: &str = "jct_";

/// A token holder, as seen by the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenHolder {
    pub id: Uuid,
    pub name: String,
    pub role: Role,
    pub organisation_id: Option<Uuid>,
}

fn hash(token: &str) -> String {
    super::secrets::sha256_hex(token)
}

fn new_secret() -> anyhow::Result<String> {
    Ok(format!("{PREFIX}{}", super::secrets::random_hex()?))
}

impl Store {
    /// Creates a token and returns its secret, which is not stored anywhere.
    pub async fn create_token(
        &self,
        name: &str,
        role: Role,
        organisation_id: Option<Uuid>,
    ) -> anyhow::Result<String> {
        let secret = new_secret()?;
        api_token::Entity::insert(api_token::ActiveModel {
            id: Set(Uuid::new_v4()),
            name: Set(name.to_owned()),
            token_hash: Set(hash(&secret)),
            role: Set(role.as_str().to_owned()),
            organisation_id: Set(organisation_id),
            created_at: Set(Utc::now()),
            revoked_at: Set(None),
        })
        .exec_without_returning(&self.db)
        .await?;
        Ok(secret)
    }

    /// The holder of a presented token, if it is known and not revoked.
    pub async fn token_holder(&self, token: &str) -> Result<Option<TokenHolder>, sea_orm::DbErr> {
        if !token.starts_with(PREFIX) {
            return Ok(None);
        }
        let row = api_token::Entity::find()
            .filter(api_token::Column::TokenHash.eq(hash(token)))
            .filter(api_token::Column::RevokedAt.is_null())
            .one(&self.db)
            .await?;
        let Some(t) = row else { return Ok(None) };
        let Some(role) = Role::parse(&t.role) else {
            // Only `junction token create` writes tokens, with a checked role.
            tracing::warn!(token = %t.id, "an API token with an unknown role was refused");
            return Ok(None);
        };
        Ok(Some(TokenHolder {
            id: t.id,
            name: t.name,
            role,
            organisation_id: t.organisation_id,
        }))
    }
}
