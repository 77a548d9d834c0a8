//! Service-at-location ids: the ORUK API publishes each (service, location) link under a UUID
//! derived from the pair. Stored on the link (filled in by the application, which owns the
//! derivation) so `/service_at_locations/{id}` is one indexed look-up.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("service_locations")
                    .add_column(uuid_null("service_at_location_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_service_locations_service_at_location_id")
                    .table("service_locations")
                    .col("service_at_location_id")
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_service_locations_service_at_location_id")
                    .table("service_locations")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("service_locations")
                    .drop_column("service_at_location_id")
                    .to_owned(),
            )
            .await
    }
}
