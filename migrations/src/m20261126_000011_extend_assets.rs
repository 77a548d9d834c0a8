//! Assets in full (issue 7): the Transparency Code's street number and name and the National
//! Grid reference as published, the site outline, tenure detail and the values as published,
//! holding type, size, services, reason for holding, running cost, maintenance backlog, energy
//! rating, facilities, capacity, the transfer closing date and the transfer itself; and the link
//! from a space to the asset it is part of (`spaces.asset_id`).
//!
//! Every column is nullable, so rows written before stay valid. SQLite can add only one column
//! per `ALTER TABLE`, and no foreign key after the table exists: `spaces.asset_id` is indexed and
//! checked by the application (a space's references, an asset's dependants) instead.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The asset columns this migration adds, in order.
fn asset_columns() -> Vec<ColumnDef> {
    vec![
        string_null("street_number"),
        string_null("street_name"),
        double_null("easting"),
        double_null("northing"),
        json_null("site_outline"),
        string_null("tenure_as_published"),
        string_len_null("tenure_detail", 32),
        string_null("tenure_detail_as_published"),
        string_null("holding_type"),
        json_null("size"),
        text_null("services_delivered"),
        text_null("reason_for_holding"),
        big_integer_null("annual_running_cost"),
        big_integer_null("maintenance_backlog"),
        string_len_null("energy_rating", 8),
        json_null("facilities"),
        integer_null("capacity"),
        date_null("transfer_closing_date"),
        json_null("transfer"),
    ]
}

const ASSET_COLUMNS: [&str; 19] = [
    "street_number",
    "street_name",
    "easting",
    "northing",
    "site_outline",
    "tenure_as_published",
    "tenure_detail",
    "tenure_detail_as_published",
    "holding_type",
    "size",
    "services_delivered",
    "reason_for_holding",
    "annual_running_cost",
    "maintenance_backlog",
    "energy_rating",
    "facilities",
    "capacity",
    "transfer_closing_date",
    "transfer",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in asset_columns() {
            manager
                .alter_table(Table::alter().table("assets").add_column(column).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table("spaces")
                    .add_column(uuid_null("asset_id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_spaces_asset_id")
                    .table("spaces")
                    .col("asset_id")
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_spaces_asset_id")
                    .table("spaces")
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table("spaces")
                    .drop_column("asset_id")
                    .to_owned(),
            )
            .await?;
        for column in ASSET_COLUMNS.iter().rev() {
            manager
                .alter_table(
                    Table::alter()
                        .table("assets")
                        .drop_column(*column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
