//! Single-use links for setting a password: `set` for a new account, `reset` when someone has
//! forgotten theirs. The link carries a random token; only its hash is stored. Using a link
//! sets the password, spends every other open link of that account and signs it out everywhere,
//! all in one transaction.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use uuid::Uuid;

use super::Store;
use super::entities::{password_token, session, user};
use super::secrets::{is_secret_shape, random_hex, sha256_hex};
use crate::error::Result;

/// What a link is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// A new account's first password.
    Set,
    /// "Forgotten your password?"
    Reset,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Set => "set",
            Purpose::Reset => "reset",
        }
    }

    /// How long a link stays usable: a reset link an hour, a new account's link three days.
    pub fn lifetime(self) -> Duration {
        match self {
            Purpose::Set => Duration::days(3),
            Purpose::Reset => Duration::hours(1),
        }
    }
}

/// A link that can still be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenLink {
    pub user_id: Uuid,
    pub expires_at: DateTime<Utc>,
}

impl Store {
    /// Makes a link token for `user_id`; the token is returned, only its hash kept.
    pub async fn issue_password_token(&self, user_id: Uuid, purpose: Purpose) -> Result<String> {
        let token = random_hex()?;
        let now = Utc::now();
        password_token::Entity::insert(password_token::ActiveModel {
            token_hash: Set(sha256_hex(&token)),
            user_id: Set(user_id),
            purpose: Set(purpose.as_str().to_owned()),
            created_at: Set(now),
            expires_at: Set(now + purpose.lifetime()),
            used_at: Set(None),
        })
        .exec_without_returning(&self.db)
        .await?;
        Ok(token)
    }

    /// The link's account, if the token is known, unused and unexpired (and the account enabled).
    pub async fn open_password_token(&self, token: &str) -> Result<Option<OpenLink>> {
        if !is_secret_shape(token) {
            return Ok(None);
        }
        let Some(row) = password_token::Entity::find_by_id(sha256_hex(token))
            .filter(password_token::Column::UsedAt.is_null())
            .filter(password_token::Column::ExpiresAt.gt(Utc::now()))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let enabled = self
            .user(row.user_id)
            .await?
            .is_some_and(|u| !u.is_disabled());
        Ok(enabled.then_some(OpenLink {
            user_id: row.user_id,
            expires_at: row.expires_at,
        }))
    }

    /// Spends the link and sets the account's password to `password_hash` (argon2id). `None`
    /// when the link is unknown, used, expired or its account disabled: nothing changes then.
    pub async fn redeem_password_token(
        &self,
        token: &str,
        password_hash: &str,
    ) -> Result<Option<Uuid>> {
        let Some(link) = self.open_password_token(token).await? else {
            return Ok(None);
        };
        let txn = self.begin_write().await?;
        let now = Utc::now();
        // The conditional update is what makes the link single-use under concurrency.
        let spent = password_token::Entity::update_many()
            .col_expr(password_token::Column::UsedAt, Expr::value(now))
            .filter(password_token::Column::TokenHash.eq(sha256_hex(token)))
            .filter(password_token::Column::UsedAt.is_null())
            .filter(password_token::Column::ExpiresAt.gt(now))
            .exec(&txn)
            .await?;
        if spent.rows_affected != 1 {
            return Ok(None);
        }
        let set = user::Entity::update_many()
            .set(user::ActiveModel {
                password_hash: Set(Some(password_hash.to_owned())),
                updated_at: Set(now),
                ..Default::default()
            })
            .filter(user::Column::Id.eq(link.user_id))
            .filter(user::Column::DisabledAt.is_null())
            .exec(&txn)
            .await?;
        if set.rows_affected != 1 {
            return Ok(None);
        }
        // Every other open link of this account stops working, and every session ends.
        password_token::Entity::update_many()
            .col_expr(password_token::Column::UsedAt, Expr::value(now))
            .filter(password_token::Column::UserId.eq(link.user_id))
            .filter(password_token::Column::UsedAt.is_null())
            .exec(&txn)
            .await?;
        session::Entity::delete_many()
            .filter(session::Column::UserId.eq(link.user_id))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(Some(link.user_id))
    }
}
