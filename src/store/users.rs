//! People who sign in: their email (unique whatever its case), role, the organisations an
//! editor may edit, and whether the account is disabled. Password hashes are read only by
//! sign-in ([`Store::sign_in_candidate`]) and never leave this module otherwise.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder,
};
use uuid::Uuid;

use super::Store;
use super::entities::{organisation, session, user, user_organisation};
use crate::domain::{FieldError, Role, validate};
use crate::error::{AppError, Result};

/// An account, without its password hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: Uuid,
    pub email: String,
    pub role: Role,
    /// For editors: the organisations whose records they may edit.
    pub organisations: Vec<Uuid>,
    pub created_at: DateTime<Utc>,
    pub disabled_at: Option<DateTime<Utc>>,
    /// False until the person has used their set-password link.
    pub has_password: bool,
}

impl User {
    pub fn is_disabled(&self) -> bool {
        self.disabled_at.is_some()
    }

    /// Whether this person may work on a record owned by `organisation`.
    pub fn may_edit(&self, organisation: Option<Uuid>) -> bool {
        self.role.sees_all_records()
            || organisation.is_some_and(|o| self.organisations.contains(&o))
    }
}

/// The email as typed (trimmed) and its lower-cased key. `field` names the form field.
pub fn normalise_email(field: &str, raw: &str) -> Result<(String, String), FieldError> {
    let mut value = Some(raw.trim().to_owned());
    validate::email(field, &mut value)?;
    let email = value.ok_or_else(|| FieldError::new(field, "Enter an email address"))?;
    let key = email.to_lowercase();
    Ok((email, key))
}

/// The key an email is stored and looked up by.
pub fn email_key(raw: &str) -> String {
    raw.trim().to_lowercase()
}

/// Checks an editor's organisations (at least one, each existing); other roles keep none.
async fn checked_organisations<C: ConnectionTrait>(
    conn: &C,
    role: Role,
    organisations: &[Uuid],
) -> Result<Vec<Uuid>> {
    if role != Role::Editor {
        return Ok(Vec::new());
    }
    let mut ids = organisations.to_vec();
    validate::dedupe(&mut ids);
    if ids.is_empty() {
        return Err(FieldError::new(
            "organisations",
            "Select at least one organisation the editor may edit",
        )
        .into());
    }
    let found = organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids.clone()))
        .count(conn)
        .await?;
    if found != ids.len() as u64 {
        return Err(
            FieldError::new("organisations", "An organisation selected does not exist").into(),
        );
    }
    Ok(ids)
}

async fn set_organisations<C: ConnectionTrait>(
    conn: &C,
    user_id: Uuid,
    ids: &[Uuid],
) -> Result<()> {
    user_organisation::Entity::delete_many()
        .filter(user_organisation::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    if !ids.is_empty() {
        user_organisation::Entity::insert_many(ids.iter().map(|&organisation_id| {
            user_organisation::ActiveModel {
                user_id: Set(user_id),
                organisation_id: Set(organisation_id),
            }
        }))
        .exec_without_returning(conn)
        .await?;
    }
    Ok(())
}

async fn organisations_of<C: ConnectionTrait>(
    conn: &C,
    user_ids: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>> {
    Ok(user_organisation::Entity::find()
        .filter(user_organisation::Column::UserId.is_in(user_ids.to_vec()))
        .all(conn)
        .await?
        .into_iter()
        .map(|l| (l.user_id, l.organisation_id))
        .collect())
}

fn to_user(row: user::Model, links: &[(Uuid, Uuid)]) -> Result<User> {
    let role = Role::parse(&row.role)
        .ok_or_else(|| anyhow::anyhow!("user {} has an unknown role", row.id))?;
    Ok(User {
        organisations: links
            .iter()
            .filter(|(u, _)| *u == row.id)
            .map(|(_, o)| *o)
            .collect(),
        id: row.id,
        email: row.email,
        role,
        created_at: row.created_at,
        disabled_at: row.disabled_at,
        has_password: row.password_hash.is_some(),
    })
}

impl Store {
    /// Creates an account with no password yet (the person sets one through a link).
    /// 409 `conflict` on `email` when an account already has that address, in any case.
    pub async fn create_user(
        &self,
        email: &str,
        role: Role,
        organisations: &[Uuid],
    ) -> Result<User> {
        let (email, key) = normalise_email("email", email)?;
        let txn = self.begin_write().await?;
        let taken = user::Entity::find()
            .filter(user::Column::EmailKey.eq(key.clone()))
            .count(&txn)
            .await?;
        if taken > 0 {
            return Err(AppError::Conflict {
                message: "An account with this email address already exists".into(),
                field: Some("email".into()),
            });
        }
        let organisations = checked_organisations(&txn, role, organisations).await?;
        let now = Utc::now();
        let id = Uuid::new_v4();
        user::Entity::insert(user::ActiveModel {
            id: Set(id),
            email: Set(email),
            email_key: Set(key),
            password_hash: Set(None),
            role: Set(role.as_str().to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
            disabled_at: Set(None),
        })
        .exec_without_returning(&txn)
        .await?;
        set_organisations(&txn, id, &organisations).await?;
        txn.commit().await?;
        self.user(id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the new user is missing").into())
    }

    /// One account by id.
    pub async fn user(&self, id: Uuid) -> Result<Option<User>> {
        let Some(row) = user::Entity::find_by_id(id).one(&self.db).await? else {
            return Ok(None);
        };
        let links = organisations_of(&self.db, &[id]).await?;
        Ok(Some(to_user(row, &links)?))
    }

    /// One account by email, in any case.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<User>> {
        Ok(self.sign_in_candidate(email).await?.map(|(u, _)| u))
    }

    /// The account for an email with its password hash, for sign-in only.
    pub async fn sign_in_candidate(&self, email: &str) -> Result<Option<(User, Option<String>)>> {
        let Some(row) = user::Entity::find()
            .filter(user::Column::EmailKey.eq(email_key(email)))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let hash = row.password_hash.clone();
        let links = organisations_of(&self.db, &[row.id]).await?;
        Ok(Some((to_user(row, &links)?, hash)))
    }

    /// Every account, by email.
    pub async fn users(&self) -> Result<Vec<User>> {
        let rows = user::Entity::find()
            .order_by_asc(user::Column::EmailKey)
            .all(&self.db)
            .await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let links = organisations_of(&self.db, &ids).await?;
        rows.into_iter().map(|r| to_user(r, &links)).collect()
    }

    /// Changes an account's role and organisations.
    pub async fn update_user(&self, id: Uuid, role: Role, organisations: &[Uuid]) -> Result<User> {
        let txn = self.begin_write().await?;
        let organisations = checked_organisations(&txn, role, organisations).await?;
        let res = user::Entity::update_many()
            .set(user::ActiveModel {
                role: Set(role.as_str().to_owned()),
                updated_at: Set(Utc::now()),
                ..Default::default()
            })
            .filter(user::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        if res.rows_affected != 1 {
            return Err(AppError::NotFound("user".into()));
        }
        set_organisations(&txn, id, &organisations).await?;
        txn.commit().await?;
        self.user(id)
            .await?
            .ok_or_else(|| AppError::NotFound("user".into()))
    }

    /// Disables (signing the person out everywhere) or re-enables an account.
    pub async fn set_user_disabled(&self, id: Uuid, disabled: bool) -> Result<()> {
        let txn = self.begin_write().await?;
        let now = Utc::now();
        let res = user::Entity::update_many()
            .set(user::ActiveModel {
                disabled_at: Set(disabled.then_some(now)),
                updated_at: Set(now),
                ..Default::default()
            })
            .filter(user::Column::Id.eq(id))
            .exec(&txn)
            .await?;
        if res.rows_affected != 1 {
            return Err(AppError::NotFound("user".into()));
        }
        if disabled {
            session::Entity::delete_many()
                .filter(session::Column::UserId.eq(id))
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(())
    }
}

impl Store {
    /// Every organisation's id and name, by name: the choices on the users form.
    pub async fn organisation_choices(&self) -> Result<Vec<(Uuid, String)>> {
        Ok(organisation::Entity::find()
            .order_by_asc(organisation::Column::Name)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|o| (o.id, o.name))
            .collect())
    }
}
