//! API tokens. A token is shown once, when created; only its SHA-256 hash is stored.

use chrono::Utc;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{Store, entities::api_token};

/// Prefix that makes Junction tokens recognisable (e.g. to secret scanners).
const PREFIX: &str = "jct_";

/// A token holder, as seen by the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenHolder {
    pub id: Uuid,
    pub name: String,
    pub role: String,
    pub organisation_id: Option<Uuid>,
}

fn hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn new_secret() -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness available: {e}"))?;
    Ok(format!(
        "{PREFIX}{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    ))
}

impl Store {
    /// Creates a token and returns its secret, which is not stored anywhere.
    pub async fn create_token(
        &self,
        name: &str,
        role: &str,
        organisation_id: Option<Uuid>,
    ) -> anyhow::Result<String> {
        let secret = new_secret()?;
        api_token::Entity::insert(api_token::ActiveModel {
            id: Set(Uuid::new_v4()),
            name: Set(name.to_owned()),
            token_hash: Set(hash(&secret)),
            role: Set(role.to_owned()),
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
        Ok(row.map(|t| TokenHolder {
            id: t.id,
            name: t.name,
            role: t.role,
            organisation_id: t.organisation_id,
        }))
    }
}
