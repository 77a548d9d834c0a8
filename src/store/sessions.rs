//! Signed-in sessions. The cookie holds a random secret; the table holds its hash, the
//! account, the per-session CSRF token and when it was made and last used. A session ends after
//! [`IDLE`] without use or [`ABSOLUTE`] after sign-in, whichever comes first, or at logout.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, ExprTrait, QueryFilter, sea_query::Expr,
};
use uuid::Uuid;

use super::Store;
use super::entities::session;
use super::secrets::{is_secret_shape, random_hex, sha256_hex};
use super::users::User;
use crate::error::Result;

/// A session unused this long has ended.
pub const IDLE: Duration = Duration::hours(2);
/// No session outlives this, however busy.
pub const ABSOLUTE: Duration = Duration::hours(12);
/// `last_seen_at` is written at most this often, not on every request.
const TOUCH_EVERY: Duration = Duration::minutes(1);

/// A new session: the cookie's secret (not stored) and the CSRF token.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub secret: String,
    pub csrf_token: String,
}

/// A live session and its account.
#[derive(Debug, Clone)]
pub struct LiveSession {
    pub user: User,
    pub csrf_token: String,
    /// The hash the session is stored under (to end it), never the secret.
    pub id_hash: String,
}

fn live_at(row: &session::Model, now: DateTime<Utc>) -> bool {
    row.last_seen_at + IDLE > now && row.created_at + ABSOLUTE > now
}

impl Store {
    /// Starts a session for `user_id`.
    pub async fn create_session(&self, user_id: Uuid) -> Result<NewSession> {
        let secret = random_hex()?;
        let csrf_token = random_hex()?;
        let now = Utc::now();
        session::Entity::insert(session::ActiveModel {
            id_hash: Set(sha256_hex(&secret)),
            user_id: Set(user_id),
            csrf_token: Set(csrf_token.clone()),
            created_at: Set(now),
            last_seen_at: Set(now),
        })
        .exec_without_returning(&self.db)
        .await?;
        Ok(NewSession { secret, csrf_token })
    }

    /// The session a cookie's secret names, if it is live and its account enabled. Using it
    /// keeps it alive; an ended one is deleted.
    pub async fn session(&self, secret: &str) -> Result<Option<LiveSession>> {
        if !is_secret_shape(secret) {
            return Ok(None);
        }
        let id_hash = sha256_hex(secret);
        let Some(row) = session::Entity::find_by_id(id_hash.clone())
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let now = Utc::now();
        if !live_at(&row, now) {
            self.end_session(&id_hash).await?;
            return Ok(None);
        }
        let Some(user) = self.user(row.user_id).await?.filter(|u| !u.is_disabled()) else {
            return Ok(None);
        };
        if now - row.last_seen_at > TOUCH_EVERY {
            session::Entity::update_many()
                .col_expr(session::Column::LastSeenAt, Expr::value(now))
                .filter(session::Column::IdHash.eq(id_hash.clone()))
                .exec(&self.db)
                .await?;
        }
        Ok(Some(LiveSession {
            user,
            csrf_token: row.csrf_token,
            id_hash,
        }))
    }

    /// Ends a session (logout).
    pub async fn end_session(&self, id_hash: &str) -> Result<()> {
        session::Entity::delete_by_id(id_hash.to_owned())
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Deletes every ended session (called at sign-in, so the table stays small).
    pub async fn sweep_sessions(&self) -> Result<u64> {
        let now = Utc::now();
        let res = session::Entity::delete_many()
            .filter(
                session::Column::LastSeenAt
                    .lte(now - IDLE)
                    .or(session::Column::CreatedAt.lte(now - ABSOLUTE)),
            )
            .exec(&self.db)
            .await?;
        Ok(res.rows_affected)
    }
}
