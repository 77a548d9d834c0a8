//! Assets of Community Value: each nomination with its decision and removal (`acv_entries`),
//! and the owner's notices of intended disposal, one row per episode (`acv_disposals`).
//! Dates the law counts from are kept as dates; every date computed from them (decision due,
//! listing end, moratoria, protected period) is computed by the code, never stored.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("acv_entries")
                    .col(pk_uuid("id"))
                    // The authority's reference, e.g. `ACV/2024/03`: unique.
                    .col(string_len_uniq("reference", 100))
                    // The asset in the register, when the land is there. No foreign key: the
                    // statutory list outlives a register record (the entry keeps its own
                    // name, address and point), and a building may be nominated before it
                    // is in the register.
                    .col(uuid_null("asset_id"))
                    .col(string_len("name", 200))
                    .col(string_len_null("address_text", 500))
                    .col(double_null("latitude"))
                    .col(double_null("longitude"))
                    .col(string_len("nominating_group", 200))
                    // Private: how to reach the person who nominated. Never published.
                    .col(string_len_null("nominator_contact", 500))
                    .col(date("nomination_received"))
                    .col(text("reasons"))
                    // `listed` or `unsuccessful`; none until decided.
                    .col(string_len_null("decision", 16))
                    .col(date_null("decided"))
                    .col(text_null("decision_reason"))
                    .col(date_null("removed"))
                    .col(string_len_null("removal_reason", 32))
                    .col(text_null("removal_note"))
                    .col(text_null("notes"))
                    .col(integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_acv_entries_asset_id")
                    .table("acv_entries")
                    .col("asset_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("acv_disposals")
                    .col(pk_uuid("id"))
                    .col(uuid("entry_id"))
                    .col(date("notice_received"))
                    // A community interest group's request to be treated as a bidder.
                    .col(date_null("bidder_request_received"))
                    .col(string_len_null("interested_group", 200))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_acv_disposals_entry_id")
                            .from("acv_disposals", "entry_id")
                            .to("acv_entries", "id")
                            .on_delete(ForeignKeyAction::Restrict)
                            .on_update(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_acv_disposals_entry_id")
                    .table("acv_disposals")
                    .col("entry_id")
                    .col("notice_received")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["acv_disposals", "acv_entries"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
