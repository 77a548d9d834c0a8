//! Failed sign-ins, counted per account and per client address in the database (so a restart
//! does not forgive them), and the temporary lock they lead to. An account's key is a hash of
//! its lower-cased email, counted whether or not an account has that email, so the lock says
//! nothing about which addresses have accounts.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::Store;
use super::entities::sign_in_failure;
use super::secrets::sha256_hex;
use super::users::email_key;
use crate::error::Result;

/// Failures are counted over this window, from the first one.
pub const WINDOW: Duration = Duration::minutes(15);
/// How long a lock lasts.
pub const LOCK: Duration = Duration::minutes(15);
/// Wrong passwords for one account, within [`WINDOW`], that lock it.
pub const ACCOUNT_LIMIT: i32 = 10;
/// Failures from one client address, within [`WINDOW`], that lock it out (higher: an office
/// may share one address).
pub const ADDRESS_LIMIT: i32 = 50;
/// Public suggestions from one client address, within [`WINDOW`], before it must wait
/// [`LOCK`] (the same counters serve this rate limit).
pub const SUGGESTION_LIMIT: i32 = 10;

/// Password-reset requests from one client address, within [`WINDOW`], before it must wait.
pub const RESET_ADDRESS_LIMIT: i32 = 10;
/// Password-reset requests for one email address, within [`WINDOW`], before it must wait (each
/// one can send a mail to that address).
pub const RESET_ACCOUNT_LIMIT: i32 = 3;

/// What failures are counted against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThrottleKey {
    pub(crate) key: String,
    limit: i32,
}

impl ThrottleKey {
    pub fn account(email: &str) -> ThrottleKey {
        ThrottleKey {
            key: format!("account:{}", sha256_hex(&email_key(email))),
            limit: ACCOUNT_LIMIT,
        }
    }

    /// Public suggestions sent from a client address.
    pub fn suggestions(address: &str) -> ThrottleKey {
        ThrottleKey {
            key: format!("suggest:{}", address.chars().take(80).collect::<String>()),
            limit: SUGGESTION_LIMIT,
        }
    }

    /// Password-reset requests from a client address.
    pub fn resets_from(address: &str) -> ThrottleKey {
        ThrottleKey {
            key: format!("reset:{}", address.chars().take(80).collect::<String>()),
            limit: RESET_ADDRESS_LIMIT,
        }
    }

    /// Password-reset requests for an email address (a hash of it, whether or not it has an
    /// account, so the limit says nothing about which addresses have accounts).
    pub fn resets_for(email: &str) -> ThrottleKey {
        ThrottleKey {
            key: format!("reset-account:{}", sha256_hex(&email_key(email))),
            limit: RESET_ACCOUNT_LIMIT,
        }
    }

    pub fn address(address: &str) -> ThrottleKey {
        ThrottleKey {
            key: format!("address:{}", address.chars().take(80).collect::<String>()),
            limit: ADDRESS_LIMIT,
        }
    }
}

impl Store {
    /// The latest time any of `keys` is locked until, if one is locked now.
    pub async fn locked_until(&self, keys: &[ThrottleKey]) -> Result<Option<DateTime<Utc>>> {
        let now = Utc::now();
        let rows = sign_in_failure::Entity::find()
            .filter(sign_in_failure::Column::Key.is_in(keys.iter().map(|k| k.key.clone())))
            .filter(sign_in_failure::Column::LockedUntil.gt(now))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().filter_map(|r| r.locked_until).max())
    }

    /// Counts one failure against each key; returns the lock it set off, if any.
    pub async fn record_sign_in_failure(
        &self,
        keys: &[ThrottleKey],
    ) -> Result<Option<DateTime<Utc>>> {
        let txn = self.begin_write().await?;
        let now = Utc::now();
        let mut locked = None;
        for k in keys {
            sign_in_failure::Entity::insert(sign_in_failure::ActiveModel {
                key: Set(k.key.clone()),
                failures: Set(0),
                first_at: Set(now),
                locked_until: Set(None),
            })
            .on_conflict_do_nothing()
            .exec_without_returning(&txn)
            .await?;
            // Row-locked on PostgreSQL; SQLite's write transaction already serialises writers.
            let Some(row) = sign_in_failure::Entity::find_by_id(k.key.clone())
                .lock_exclusive()
                .one(&txn)
                .await?
            else {
                continue;
            };
            let lock_over = row.locked_until.is_some_and(|t| t <= now);
            let (failures, first_at) = if row.first_at + WINDOW <= now || lock_over {
                (1, now)
            } else {
                (row.failures + 1, row.first_at)
            };
            let locked_until = if failures >= k.limit {
                Some(now + LOCK)
            } else {
                row.locked_until.filter(|t| *t > now)
            };
            sign_in_failure::Entity::update_many()
                .set(sign_in_failure::ActiveModel {
                    failures: Set(if failures >= k.limit { 0 } else { failures }),
                    first_at: Set(first_at),
                    locked_until: Set(locked_until),
                    ..Default::default()
                })
                .filter(sign_in_failure::Column::Key.eq(k.key.clone()))
                .exec(&txn)
                .await?;
            locked = locked.max(locked_until);
        }
        txn.commit().await?;
        Ok(locked)
    }

    /// Forgets an account's failures (after a good sign-in or a password reset).
    pub async fn clear_sign_in_failures(&self, key: &ThrottleKey) -> Result<()> {
        sign_in_failure::Entity::delete_by_id(key.key.clone())
            .exec(&self.db)
            .await?;
        Ok(())
    }
}
