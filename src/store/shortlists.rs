//! Signposting shortlists: a few records kept under an unguessable short code, so frontline
//! staff can text, email or print one link for the person they are helping. No login and no
//! personal data: a note per item is checked for the obvious kinds of personal detail, and a
//! shortlist (with its notes) is deleted when it expires, 90 days after it was made or last
//! renewed. Whoever holds the link can change or delete it.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, SqliteTransactionMode, TransactionOptions, TransactionTrait,
    sea_query::{Expr, ExprTrait, Query},
};
use uuid::Uuid;

use super::Store;
use crate::domain::validate::normalise_postcode;
use crate::domain::{FieldError, RecordKind};
use crate::error::{AppError, Result};

/// How long a shortlist lives after it is made or renewed.
pub const LIFETIME_DAYS: i64 = 90;
/// Most records one shortlist holds.
pub const MAX_ITEMS: u64 = 30;
/// Longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 200;
/// Characters in a code: 18 from a 32-letter alphabet is 90 random bits.
const CODE_LEN: usize = 18;
// At least the 80 bits an unguessable link needs.
const _: () = assert!(CODE_LEN * 5 >= 80);
/// Lower-case letters and digits without the look-alikes 0/o and 1/l/i, so a code copied from
/// paper is read right.
const ALPHABET: &[u8; 32] = b"23456789abcdefghjkmnpqrstuvwxyz_";

mod shortlist {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "shortlists")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub code: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
        pub expires_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

mod shortlist_item {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "shortlist_items")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub shortlist_code: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub record_id: Uuid,
        pub record_kind: String,
        pub note: Option<String>,
        pub position: i32,
        pub added_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A live shortlist and its items, in the order they were added.
#[derive(Debug, Clone, PartialEq)]
pub struct Shortlist {
    pub code: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub items: Vec<ShortlistItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ShortlistItem {
    pub kind: RecordKind,
    pub id: Uuid,
    pub note: Option<String>,
}

/// A fresh random code.
pub fn new_code() -> anyhow::Result<String> {
    let mut bytes = [0u8; CODE_LEN];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness available: {e}"))?;
    // 256 is a multiple of 32, so taking each byte modulo 32 keeps every letter equally likely.
    Ok(bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect())
}

/// Whether `s` could be a code (checked before any database look-up).
pub fn is_code(s: &str) -> bool {
    s.len() == CODE_LEN && s.bytes().all(|b| ALPHABET.contains(&b))
}

/// Trims a note and refuses what looks like personal data: an email address, a phone number,
/// a full postcode. `None` for an empty note.
pub fn check_note(raw: &str) -> Result<Option<String>, FieldError> {
    let note = raw.trim();
    if note.is_empty() {
        return Ok(None);
    }
    let field = "note";
    if note.chars().count() > MAX_NOTE_CHARS {
        return Err(FieldError::new(
            field,
            format!("Note must be {MAX_NOTE_CHARS} characters or fewer"),
        ));
    }
    let words: Vec<&str> = note.split_whitespace().collect();
    let bare: Vec<&str> = words
        .iter()
        .map(|w| w.trim_matches(|c: char| !c.is_ascii_alphanumeric()))
        .collect();
    if words
        .iter()
        .any(|w| w.contains('@') && w.rsplit('@').next().is_some_and(|d| d.contains('.')))
    {
        return Err(FieldError::new(
            field,
            "Note must not contain an email address: do not write the person's details",
        ));
    }
    let mut run = 0;
    let mut longest = 0;
    for c in note.chars() {
        if c.is_ascii_digit() {
            run += 1;
            longest = std::cmp::Ord::max(longest, run);
        } else if !(c == ' ' || c == '-' || c == '+' || c == '(' || c == ')') {
            run = 0;
        }
    }
    if longest >= 7 {
        return Err(FieldError::new(
            field,
            "Note must not contain a phone number or other long number: do not write the person's details",
        ));
    }
    let has_postcode = bare
        .windows(2)
        .any(|pair| normalise_postcode(&format!("{}{}", pair[0], pair[1])).is_some())
        || bare.iter().any(|w| normalise_postcode(w).is_some());
    if has_postcode {
        return Err(FieldError::new(
            field,
            "Note must not contain a full postcode: do not write the person's address",
        ));
    }
    Ok(Some(note.to_owned()))
}

/// What adding to a shortlist did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Added {
    /// The shortlist's code: the one asked for, or a new one.
    pub code: String,
    /// A new shortlist was started (none was given, or it had expired).
    pub created: bool,
}

fn full() -> AppError {
    AppError::Validation(FieldError::new(
        "shortlist",
        format!(
            "A shortlist can hold up to {MAX_ITEMS} places and services: remove one first, or start a new shortlist"
        ),
    ))
}

impl Store {
    async fn begin_shortlist_write(&self) -> Result<DatabaseTransaction> {
        Ok(self
            .db
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await?)
    }

    /// A shortlist that exists and has not expired.
    pub async fn shortlist(&self, code: &str) -> Result<Option<Shortlist>> {
        if !is_code(code) {
            return Ok(None);
        }
        let Some(head) = live(&self.db, code).await? else {
            return Ok(None);
        };
        let items = shortlist_item::Entity::find()
            .filter(shortlist_item::Column::ShortlistCode.eq(code))
            .order_by_asc(shortlist_item::Column::Position)
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(|row| {
                Some(ShortlistItem {
                    kind: RecordKind::parse(&row.record_kind)?,
                    id: row.record_id,
                    note: row.note,
                })
            })
            .collect();
        Ok(Some(Shortlist {
            code: head.code,
            created_at: head.created_at,
            updated_at: head.updated_at,
            expires_at: head.expires_at,
            items,
        }))
    }

    /// Adds a record to the shortlist `code`, or to a new shortlist when `code` is `None`, unknown
    /// or expired. Adding a record that is already there changes nothing.
    pub async fn shortlist_add(
        &self,
        code: Option<&str>,
        kind: RecordKind,
        id: Uuid,
    ) -> Result<Added> {
        let now = Utc::now();
        let txn = self.begin_shortlist_write().await?;
        let existing = match code.filter(|c| is_code(c)) {
            Some(c) => live(&txn, c).await?,
            None => None,
        };
        let created = existing.is_none();
        let code = match existing {
            Some(head) => head.code,
            None => {
                purge_expired(&txn, now).await?;
                let code = new_code()?;
                shortlist::Entity::insert(shortlist::ActiveModel {
                    code: Set(code.clone()),
                    created_at: Set(now),
                    updated_at: Set(now),
                    expires_at: Set(now + Duration::days(LIFETIME_DAYS)),
                })
                .exec_without_returning(&txn)
                .await?;
                code
            }
        };
        let items = shortlist_item::Entity::find()
            .filter(shortlist_item::Column::ShortlistCode.eq(code.as_str()))
            .all(&txn)
            .await?;
        if !items.iter().any(|i| i.record_id == id) {
            if items.len() as u64 >= MAX_ITEMS {
                return Err(full());
            }
            let position = items.iter().map(|i| i.position).max().unwrap_or(0) + 1;
            shortlist_item::Entity::insert(shortlist_item::ActiveModel {
                shortlist_code: Set(code.clone()),
                record_id: Set(id),
                record_kind: Set(kind.as_str().to_owned()),
                note: Set(None),
                position: Set(position),
                added_at: Set(now),
            })
            .exec_without_returning(&txn)
            .await?;
            touch(&txn, &code, now).await?;
        }
        txn.commit().await?;
        Ok(Added { code, created })
    }

    /// Takes a record off a live shortlist. False when the shortlist is gone.
    pub async fn shortlist_remove(&self, code: &str, id: Uuid) -> Result<bool> {
        let txn = self.begin_shortlist_write().await?;
        if !is_code(code) || live(&txn, code).await?.is_none() {
            return Ok(false);
        }
        shortlist_item::Entity::delete_many()
            .filter(shortlist_item::Column::ShortlistCode.eq(code))
            .filter(shortlist_item::Column::RecordId.eq(id))
            .exec(&txn)
            .await?;
        touch(&txn, code, Utc::now()).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Sets (or, with an empty note, clears) the note of one item. The note is checked by
    /// [`check_note`]; false when the shortlist or the item is gone.
    pub async fn shortlist_note(&self, code: &str, id: Uuid, note: &str) -> Result<bool> {
        let note = check_note(note)?;
        let txn = self.begin_shortlist_write().await?;
        if !is_code(code) || live(&txn, code).await?.is_none() {
            return Ok(false);
        }
        let res = shortlist_item::Entity::update_many()
            .col_expr(shortlist_item::Column::Note, Expr::value(note))
            .filter(shortlist_item::Column::ShortlistCode.eq(code))
            .filter(shortlist_item::Column::RecordId.eq(id))
            .exec(&txn)
            .await?;
        if res.rows_affected != 1 {
            return Ok(false);
        }
        touch(&txn, code, Utc::now()).await?;
        txn.commit().await?;
        Ok(true)
    }

    /// Keeps a live shortlist for another [`LIFETIME_DAYS`] from now; its new expiry.
    pub async fn shortlist_renew(&self, code: &str) -> Result<Option<DateTime<Utc>>> {
        let now = Utc::now();
        let txn = self.begin_shortlist_write().await?;
        if !is_code(code) || live(&txn, code).await?.is_none() {
            return Ok(None);
        }
        let expires = now + Duration::days(LIFETIME_DAYS);
        shortlist::Entity::update_many()
            .col_expr(shortlist::Column::ExpiresAt, Expr::value(expires))
            .col_expr(shortlist::Column::UpdatedAt, Expr::value(now))
            .filter(shortlist::Column::Code.eq(code))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(Some(expires))
    }

    /// Deletes a shortlist and its notes. False when there was none.
    pub async fn shortlist_delete(&self, code: &str) -> Result<bool> {
        if !is_code(code) {
            return Ok(false);
        }
        let txn = self.begin_shortlist_write().await?;
        shortlist_item::Entity::delete_many()
            .filter(shortlist_item::Column::ShortlistCode.eq(code))
            .exec(&txn)
            .await?;
        let res = shortlist::Entity::delete_many()
            .filter(shortlist::Column::Code.eq(code))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(res.rows_affected == 1)
    }

    /// Deletes every expired shortlist and its notes; how many went.
    pub async fn purge_expired_shortlists(&self) -> Result<u64> {
        let txn = self.begin_shortlist_write().await?;
        let n = purge_expired(&txn, Utc::now()).await?;
        txn.commit().await?;
        Ok(n)
    }

    /// Number of shortlists kept (expired ones included until they are purged).
    pub async fn shortlist_count(&self) -> Result<u64> {
        Ok(shortlist::Entity::find().count(&self.db).await?)
    }
}

async fn live<C: ConnectionTrait>(conn: &C, code: &str) -> Result<Option<shortlist::Model>> {
    Ok(shortlist::Entity::find()
        .filter(shortlist::Column::Code.eq(code))
        .filter(shortlist::Column::ExpiresAt.gt(Utc::now()))
        .one(conn)
        .await?)
}

async fn touch<C: ConnectionTrait>(conn: &C, code: &str, now: DateTime<Utc>) -> Result<()> {
    shortlist::Entity::update_many()
        .col_expr(shortlist::Column::UpdatedAt, Expr::value(now))
        .filter(shortlist::Column::Code.eq(code))
        .exec(conn)
        .await?;
    Ok(())
}

async fn purge_expired<C: ConnectionTrait>(conn: &C, now: DateTime<Utc>) -> Result<u64> {
    let expired = Query::select()
        .column("code")
        .from("shortlists")
        .and_where(Expr::col("expires_at").lte(now))
        .to_owned();
    conn.execute(
        &Query::delete()
            .from_table("shortlist_items")
            .and_where(Expr::col("shortlist_code").in_subquery(expired))
            .to_owned(),
    )
    .await?;
    let res = shortlist::Entity::delete_many()
        .filter(shortlist::Column::ExpiresAt.lte(now))
        .exec(conn)
        .await?;
    Ok(res.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_long_random_and_recognised() {
        let a = new_code().unwrap();
        let b = new_code().unwrap();
        assert_ne!(a, b);
        assert!(is_code(&a), "{a}");
        assert!(!is_code("short"));
        assert!(!is_code(&a.to_uppercase()));
        assert_eq!(a.len(), 18);
    }

    #[test]
    fn notes_refuse_personal_details() {
        assert_eq!(
            check_note("  ask for Sam  ").unwrap().as_deref(),
            Some("ask for Sam")
        );
        assert_eq!(check_note("   ").unwrap(), None);
        assert!(
            check_note("bring ID, open 9:00 to 17:00")
                .unwrap()
                .is_some()
        );
        assert!(check_note("email jo@example.com").is_err());
        assert!(check_note("call 07700 900123").is_err());
        assert!(check_note("lives at OL1 3QA").is_err());
        assert!(check_note("lives at ol13qa").is_err());
        assert!(check_note(&"x".repeat(MAX_NOTE_CHARS + 1)).is_err());
        // A district alone ("OL1") is not an address.
        assert!(check_note("anywhere in OL1").unwrap().is_some());
    }
}
