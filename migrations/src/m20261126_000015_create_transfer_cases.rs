//! Community asset transfer cases: a community group's expression of interest in an asset
//! offered for transfer, the stages it moves through (with dates, officer, notes and
//! deadlines) and the documents attached to it. The applicant's private link is stored only
//! as the SHA-256 hash of its token. Cases are not register records: they never enter the
//! change log, so no feed, export or index can carry the applicant's details.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn cascade_to_case(from_table: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_case_id"))
        .from(from_table, "case_id")
        .to("transfer_cases", "id")
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
                    .table("transfer_cases")
                    .col(pk_uuid("id"))
                    // An asset with cases is not deleted: its delete is refused with a 409.
                    .col(uuid("asset_id"))
                    // SHA-256 of the token in the applicant's private link.
                    .col(string_len_uniq("token_hash", 64))
                    // Public once the case is decided; everything below it is private.
                    .col(string_len("group_name", 200))
                    .col(string_len("contact_name", 200))
                    .col(string_len("contact_email", 254))
                    .col(string_len_null("contact_phone", 40))
                    .col(text("proposal"))
                    // The key of the current stage (from the configured list, or
                    // `withdrawn` / `declined`).
                    .col(string_len("stage", 64))
                    // `open`, `completed`, `withdrawn` or `declined`.
                    .col(string_len("state", 16))
                    // On completion: `freehold`, `lease`, `licence` or `management_agreement`,
                    // and its detail (e.g. "25 years").
                    .col(string_len_null("terms", 32))
                    .col(string_len_null("terms_detail", 200))
                    .col(date_null("decided_on"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut crate::restrict_fk(
                        "transfer_cases",
                        "asset_id",
                        "assets",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_transfer_cases_asset_id")
                    .table("transfer_cases")
                    .col("asset_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("transfer_case_stages")
                    .col(pk_uuid("id"))
                    .col(uuid("case_id"))
                    // 0 for the expression of interest, then one more per step.
                    .col(integer("position"))
                    .col(string_len("stage", 64))
                    // The label when it was entered: the configured list may change later.
                    .col(string_len("stage_label", 200))
                    .col(date("entered_on"))
                    .col(string_len_null("officer", 200))
                    .col(text_null("notes"))
                    // Public notes are shown to the applicant; none is shown on public pages.
                    .col(boolean("notes_public"))
                    .col(date_null("deadline"))
                    // `applicant`, `user:<id>` or `token:<name>`.
                    .col(string_len("recorded_by", 200))
                    .col(timestamp_with_time_zone("recorded_at"))
                    .foreign_key(&mut cascade_to_case("transfer_case_stages"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_transfer_case_stages_case")
                    .table("transfer_case_stages")
                    .col("case_id")
                    .col("position")
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("transfer_case_documents")
                    .col(pk_uuid("id"))
                    .col(uuid("case_id"))
                    // The name it was uploaded with (tidied), shown to staff and applicant.
                    .col(string_len("file_name", 255))
                    // The generated file name under `<data-dir>/transfer-documents/`.
                    .col(string_len_uniq("stored_name", 100))
                    .col(string_len("content_type", 100))
                    .col(big_integer("size_bytes"))
                    .col(string_len("uploaded_by", 200))
                    .col(timestamp_with_time_zone("uploaded_at"))
                    .foreign_key(&mut cascade_to_case("transfer_case_documents"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_transfer_case_documents_case")
                    .table("transfer_case_documents")
                    .col("case_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "transfer_case_documents",
            "transfer_case_stages",
            "transfer_cases",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
