//! Accounts: people who sign in (with their role and the organisations an editor may edit),
//! their sessions, the single-use tokens of set-password and reset links, and the sign-in
//! failure counters behind the lockout. Session ids and link tokens are stored only as
//! SHA-256 hashes; passwords only as argon2id hashes.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn cascade_fk(
    from_table: &'static str,
    column: &'static str,
    to_table: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_{column}"))
        .from(from_table, column)
        .to(to_table, "id")
        .on_delete(ForeignKeyAction::Cascade)
        .on_update(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("users")
                    .col(pk_uuid("id"))
                    // As typed (for the greeting and the emails we send) …
                    .col(string_len("email", 254))
                    // … and lower-cased: unique, so two accounts can't differ only in case.
                    .col(string_len_uniq("email_key", 254))
                    // argon2id PHC string; none until the person sets a password.
                    .col(string_len_null("password_hash", 200))
                    .col(string_len("role", 32))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(timestamp_with_time_zone_null("disabled_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("user_organisations")
                    .col(uuid("user_id"))
                    .col(uuid("organisation_id"))
                    .primary_key(Index::create().col("user_id").col("organisation_id"))
                    .foreign_key(&mut cascade_fk("user_organisations", "user_id", "users"))
                    .foreign_key(&mut crate::restrict_fk(
                        "user_organisations",
                        "organisation_id",
                        "organisations",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("sessions")
                    // SHA-256 of the cookie's secret.
                    .col(string_len("id_hash", 64).primary_key())
                    .col(uuid("user_id"))
                    // The per-session token every signed-in form carries.
                    .col(string_len("csrf_token", 64))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("last_seen_at"))
                    .foreign_key(&mut cascade_fk("sessions", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("password_tokens")
                    // SHA-256 of the link's token.
                    .col(string_len("token_hash", 64).primary_key())
                    .col(uuid("user_id"))
                    // `set` (a new account) or `reset`.
                    .col(string_len("purpose", 16))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("used_at"))
                    .foreign_key(&mut cascade_fk("password_tokens", "user_id", "users"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("sign_in_failures")
                    // `account:<sha256 of the lower-cased email>` or `address:<client ip>`.
                    .col(string_len("key", 100).primary_key())
                    .col(integer("failures"))
                    .col(timestamp_with_time_zone("first_at"))
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "sign_in_failures",
            "password_tokens",
            "sessions",
            "user_organisations",
            "users",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
