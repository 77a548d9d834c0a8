//! Geography: postcode points, outward-code centroids, area boundaries (wards, districts) and
//! which boundaries each location lies in. All of it is reference data loaded by
//! `junction import`, not register records: it has no change log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("postcodes")
                    // Normalised, e.g. `OL1 1AA`.
                    .col(string_len("postcode", 8).primary_key())
                    .col(string_len("outward", 4))
                    .col(double("latitude"))
                    .col(double("longitude"))
                    .col(string_len_null("ward_code", 32))
                    .col(string_len_null("la_code", 32))
                    .col(string_len("source", 32))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_postcodes_outward")
                    .table("postcodes")
                    .col("outward")
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("outcodes")
                    .col(string_len("outward", 4).primary_key())
                    .col(double("latitude"))
                    .col(double("longitude"))
                    .col(string_len("source", 32))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("boundaries")
                    .col(string_len("code", 32).primary_key())
                    .col(string_len("name", 200))
                    .col(string_len("boundary_type", 32))
                    // A GeoJSON Polygon or MultiPolygon geometry in WGS84.
                    .col(text("geometry"))
                    // Its bounding box, so lists and coarse filters need not parse the geometry.
                    .col(double("min_lon"))
                    .col(double("min_lat"))
                    .col(double("max_lon"))
                    .col(double("max_lat"))
                    .col(timestamp_with_time_zone("created_at"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_boundaries_name")
                    .table("boundaries")
                    .col("name")
                    .to_owned(),
            )
            .await?;

        // Derived from the locations' points and the boundaries; rewritten whenever either
        // changes, so both foreign keys cascade.
        manager
            .create_table(
                Table::create()
                    .table("location_boundaries")
                    .col(uuid("location_id"))
                    .col(string_len("boundary_code", 32))
                    .primary_key(Index::create().col("location_id").col("boundary_code"))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_location_boundaries_location_id")
                            .from("location_boundaries", "location_id")
                            .to("locations", "id")
                            .on_delete(ForeignKeyAction::Cascade)
                            .on_update(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_location_boundaries_boundary_code")
                            .from("location_boundaries", "boundary_code")
                            .to("boundaries", "code")
                            .on_delete(ForeignKeyAction::Cascade)
                            .on_update(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_location_boundaries_boundary_code")
                    .table("location_boundaries")
                    .col("boundary_code")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["location_boundaries", "boundaries", "outcodes", "postcodes"] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
