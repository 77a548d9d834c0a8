//! The register itself: organisations, locations, services, spaces, assets and the taxonomy.

use crate::{restrict_fk, with_record_meta};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                with_record_meta(
                    Table::create()
                        .table("organisations")
                        .col(pk_uuid("id"))
                        .col(string_len("name", 200))
                        .col(text("description"))
                        .col(string_len("org_type", 32))
                        .col(string_len_null("identifier", 100))
                        .col(string_len_null("website", 500))
                        .col(string_len_null("email", 254))
                        .col(string_len_null("phone", 40)),
                )
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                with_record_meta(
                    Table::create()
                        .table("locations")
                        .col(pk_uuid("id"))
                        .col(uuid_null("organisation_id"))
                        .col(string_len("name", 200))
                        .col(text_null("description"))
                        .col(string_len("address_1", 200))
                        .col(string_len_null("address_2", 200))
                        .col(string_len("town", 100))
                        .col(string_len_null("county", 100))
                        .col(string_len("postcode", 8))
                        .col(string_len_null("uprn", 12))
                        .col(double("latitude"))
                        .col(double("longitude"))
                        .col(json("accessibility"))
                        .col(boolean("hide_address"))
                        .foreign_key(&mut restrict_fk(
                            "locations",
                            "organisation_id",
                            "organisations",
                        )),
                )
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                with_record_meta(
                    Table::create()
                        .table("services")
                        .col(pk_uuid("id"))
                        .col(uuid("organisation_id"))
                        .col(string_len("name", 200))
                        .col(text("description"))
                        .col(string_len("status", 32))
                        .col(integer_null("min_age"))
                        .col(integer_null("max_age"))
                        .col(text_null("eligibility"))
                        .col(boolean("free"))
                        .col(text_null("cost"))
                        .col(json("access"))
                        .col(json("languages"))
                        .col(boolean("interpreting"))
                        .col(boolean("bsl"))
                        .col(string_len_null("email", 254))
                        .col(string_len_null("phone", 40))
                        .col(string_len_null("website", 500))
                        .col(json_null("contact_person"))
                        .col(text_null("opening_hours"))
                        .foreign_key(&mut restrict_fk(
                            "services",
                            "organisation_id",
                            "organisations",
                        )),
                )
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("service_locations")
                    .col(uuid("service_id"))
                    .col(uuid("location_id"))
                    .col(integer("position"))
                    .primary_key(Index::create().col("service_id").col("location_id"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_service_locations_service_id")
                            .from("service_locations", "service_id")
                            .to("services", "id")
                            // The link is part of the service: it goes with it.
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut restrict_fk(
                        "service_locations",
                        "location_id",
                        "locations",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_service_locations_location_id")
                    .table("service_locations")
                    .col("location_id")
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                with_record_meta(
                    Table::create()
                        .table("spaces")
                        .col(pk_uuid("id"))
                        .col(uuid("organisation_id"))
                        .col(uuid("location_id"))
                        .col(string_len("name", 200))
                        .col(text_null("description"))
                        .col(string_len("space_type", 32))
                        .col(integer_null("capacity"))
                        .col(json("facilities"))
                        .col(json("accessibility"))
                        .col(boolean("free"))
                        .col(text_null("price"))
                        .col(text_null("how_to_book"))
                        .col(string_len_null("booking_url", 500))
                        .col(string_len_null("email", 254))
                        .col(string_len_null("phone", 40))
                        .col(json_null("contact_person"))
                        .col(text_null("opening_hours"))
                        .foreign_key(&mut restrict_fk(
                            "spaces",
                            "organisation_id",
                            "organisations",
                        ))
                        .foreign_key(&mut restrict_fk("spaces", "location_id", "locations")),
                )
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                with_record_meta(
                    Table::create()
                        .table("assets")
                        .col(pk_uuid("id"))
                        .col(uuid("owner_organisation_id"))
                        .col(string_len("name", 200))
                        .col(text_null("description"))
                        .col(string_len_null("uprn", 12))
                        .col(string_len_null("asset_reference", 100))
                        .col(string_len_null("address_1", 200))
                        .col(string_len_null("address_2", 200))
                        .col(string_len_null("town", 100))
                        .col(string_len_null("postcode", 8))
                        .col(double_null("latitude"))
                        .col(double_null("longitude"))
                        .col(string_len_null("tenure", 32))
                        .col(text_null("current_use"))
                        .col(string_len("community_use", 32))
                        .foreign_key(&mut restrict_fk(
                            "assets",
                            "owner_organisation_id",
                            "organisations",
                        )),
                )
                .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("taxonomies")
                    .col(pk_uuid("id"))
                    .col(string_len("name", 200))
                    .col(text("description"))
                    .col(string_len_null("uri", 500))
                    .col(string_len_null("version", 50))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                with_record_meta(
                    Table::create()
                        .table("taxonomy_terms")
                        .col(pk_uuid("id"))
                        .col(uuid("taxonomy_id"))
                        .col(uuid_null("parent_id"))
                        .col(string_len_uniq("slug", 100))
                        .col(string_len("name", 200))
                        .col(text_null("description"))
                        .foreign_key(&mut restrict_fk(
                            "taxonomy_terms",
                            "taxonomy_id",
                            "taxonomies",
                        ))
                        .foreign_key(&mut restrict_fk(
                            "taxonomy_terms",
                            "parent_id",
                            "taxonomy_terms",
                        )),
                )
                .to_owned(),
            )
            .await?;

        // Categories of services and spaces. `record_id` points at a row of the table named
        // by `record_kind`; the record's own writes keep these rows in step.
        manager
            .create_table(
                Table::create()
                    .table("record_categories")
                    .col(string_len("record_kind", 32))
                    .col(uuid("record_id"))
                    .col(uuid("term_id"))
                    .col(integer("position"))
                    .primary_key(
                        Index::create()
                            .col("record_kind")
                            .col("record_id")
                            .col("term_id"),
                    )
                    .foreign_key(&mut restrict_fk(
                        "record_categories",
                        "term_id",
                        "taxonomy_terms",
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_record_categories_term_id")
                    .table("record_categories")
                    .col("term_id")
                    .to_owned(),
            )
            .await?;

        for (table, column) in [
            ("locations", "organisation_id"),
            ("services", "organisation_id"),
            ("spaces", "organisation_id"),
            ("spaces", "location_id"),
            ("assets", "owner_organisation_id"),
            ("taxonomy_terms", "parent_id"),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(format!("idx_{table}_{column}"))
                        .table(table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        for table in [
            "organisations",
            "locations",
            "services",
            "spaces",
            "assets",
            "taxonomy_terms",
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(format!("idx_{table}_name"))
                        .table(table)
                        .col("name")
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "record_categories",
            "taxonomy_terms",
            "taxonomies",
            "assets",
            "spaces",
            "service_locations",
            "services",
            "locations",
            "organisations",
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
