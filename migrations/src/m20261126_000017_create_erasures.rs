//! Erasure requests (UK GDPR art. 17): one row per erasure carried out, and one row per value
//! it removed — which table, which row, which field — so the audit history shows that
//! something was redacted, when and on whose request, without keeping the personal data.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("erasures")
                    .col(uuid("id").primary_key())
                    // The council's own reference for the request (e.g. `DSAR-2026-014`); never
                    // the person's name or address.
                    .col(string_len("reference", 100))
                    .col(string_len("performed_by", 200))
                    .col(timestamp_with_time_zone("performed_at"))
                    .col(integer("redacted"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("redactions")
                    .col(big_pk_auto("id"))
                    .col(uuid("erasure_id"))
                    // `changes`, `services`, `spaces`, `suggestions`, `transfer_cases`, ...
                    .col(string_len("place", 32))
                    // The row: a change seq, a record id, a suggestion number.
                    .col(string_len("row_key", 64))
                    .col(string_len("field", 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_redactions_place_row")
                    .table("redactions")
                    .col("place")
                    .col("row_key")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("redactions").to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table("erasures").to_owned())
            .await
    }
}
