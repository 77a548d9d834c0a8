//! Signposting shortlists: a short list of records kept under an unguessable code, with an
//! optional note per item. No login and no personal data; a shortlist and its notes expire.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("shortlists")
                    // The code in the shared link: random, URL-safe.
                    .col(string_len("code", 32).primary_key())
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_shortlists_expires_at")
                    .table("shortlists")
                    .col("expires_at")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("shortlist_items")
                    .col(string_len("shortlist_code", 32))
                    .col(string_len("record_kind", 32))
                    .col(uuid("record_id"))
                    .col(string_len_null("note", 400))
                    .col(integer("position"))
                    .col(timestamp_with_time_zone("added_at"))
                    .primary_key(Index::create().col("shortlist_code").col("record_id"))
                    // A deleted or expired shortlist takes its notes with it. Items do not
                    // point at the records: a record deleted later shows as "no longer listed".
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_shortlist_items_shortlist_code")
                            .from("shortlist_items", "shortlist_code")
                            .to("shortlists", "code")
                            .on_delete(ForeignKeyAction::Cascade)
                            .on_update(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("shortlist_items").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("shortlists").to_owned())
            .await
    }
}
