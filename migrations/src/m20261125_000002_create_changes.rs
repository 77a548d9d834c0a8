//! The append-only change log: one row per create, update or delete of any record, written
//! in the same transaction as the write. Readers tail it by `seq`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("changes")
                    .col(big_pk_auto("seq"))
                    .col(string_len("record_kind", 32))
                    .col(uuid("record_id"))
                    .col(string_len("op", 16))
                    .col(string_len("actor", 200))
                    .col(timestamp_with_time_zone("at"))
                    .col(json_null("record"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_changes_record")
                    .table("changes")
                    .col("record_kind")
                    .col("record_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("changes").to_owned())
            .await
    }
}
