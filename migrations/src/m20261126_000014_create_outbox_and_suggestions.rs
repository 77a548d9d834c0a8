//! The mail outbox (review reminders and forwarded suggestions: one row per message, its dedupe
//! key unique so a rerun never queues the same message twice) and the public's suggested
//! corrections with their moderation state.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("outbox")
                    .col(big_pk_auto("id"))
                    // e.g. `review:service:<id>:2026-11-26:<user id>`: inserted only if absent.
                    .col(string_len_uniq("dedupe_key", 200))
                    .col(string_len("recipient", 254))
                    .col(string_len("subject", 300))
                    .col(text("body"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("sent_at"))
                    // Claims by a delivery run (counted when claimed, so a crash counts too).
                    .col(integer("attempts").default(0))
                    // Until when a delivery run holds the row; another run leaves it alone.
                    .col(timestamp_with_time_zone_null("claimed_until"))
                    // Why the last attempt failed (never the recipient or the content).
                    .col(string_len_null("last_error", 500))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_unsent")
                    .table("outbox")
                    .col("sent_at")
                    .col("id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("suggestions")
                    // "Suggestion #N".
                    .col(big_pk_auto("id"))
                    .col(string_len("record_kind", 32))
                    .col(uuid("record_id"))
                    // The field the person says is wrong, or `other`.
                    .col(string_len("field", 64))
                    .col(text("suggested_value"))
                    .col(text("message"))
                    // Optional; deleted 30 days after the suggestion is closed.
                    .col(string_len_null("contact_email", 254))
                    // open, accepted, rejected or forwarded.
                    .col(string_len("status", 16))
                    // The moderator's reason for a rejection.
                    .col(text_null("reason"))
                    // The user (id) who closed it.
                    .col(uuid_null("handled_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(timestamp_with_time_zone_null("closed_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_suggestions_status_record")
                    .table("suggestions")
                    .col("status")
                    .col("record_kind")
                    .col("record_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["suggestions", "outbox"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
