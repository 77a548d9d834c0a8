//! Where imported records come from: the sources (an OpenStreetMap extract, a council's CSV, an
//! ORUK feed) with their licence and attribution, which record each source identifier became,
//! and the rows an import held back as likely duplicates for someone to review.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("sources")
                    // e.g. `osm-norwich`, or the URL of a feed.
                    .col(string_len("key", 500).primary_key())
                    .col(string_len("name", 500))
                    .col(string_len_null("licence", 500))
                    .col(text_null("attribution"))
                    .col(string_len_null("url", 2000))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("record_sources")
                    .col(string_len("source_key", 500))
                    // The source's own identifier: stable across re-imports.
                    .col(string_len("source_id", 500))
                    .col(string_len("record_kind", 32))
                    .col(uuid("record_id"))
                    // SHA-256 of what the source last said, as mapped: equal means unchanged.
                    .col(string_len("content_hash", 64))
                    .col(timestamp_with_time_zone("imported_at"))
                    // Set when a review merged this source id into a record that already
                    // existed: the import then never writes to that record through it.
                    .col(timestamp_with_time_zone_null("merged_at"))
                    .primary_key(Index::create().col("source_key").col("source_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_record_sources_source_key")
                            .from("record_sources", "source_key")
                            .to("sources", "key")
                            .on_delete(ForeignKeyAction::Restrict)
                            .on_update(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_record_sources_record")
                    .table("record_sources")
                    .col("record_kind")
                    .col("record_id")
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table("import_reviews")
                    .col(big_pk_auto("id"))
                    .col(string_len("source_key", 500))
                    .col(string_len("source_id", 500))
                    .col(string_len("candidate_kind", 32))
                    .col(uuid("candidate_id"))
                    // The object as mapped from the source, and its content hash.
                    .col(json("payload"))
                    .col(string_len("content_hash", 64))
                    .col(text("reason"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("resolved_at"))
                    // `merged` or `dismissed` once resolved.
                    .col(string_len_null("resolution", 16))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_import_reviews_source_key")
                            .from("import_reviews", "source_key")
                            .to("sources", "key")
                            .on_delete(ForeignKeyAction::Restrict)
                            .on_update(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_import_reviews_source")
                    .table("import_reviews")
                    .col("source_key")
                    .col("source_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["import_reviews", "record_sources", "sources"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
