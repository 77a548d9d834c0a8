//! A space's usual hourly rate as a number, so "free or cheap" can be searched. The `price`
//! text stays what people read ("£20 an hour; community groups £10").

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("spaces")
                    .add_column(double_null("hourly_rate"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table("spaces")
                    .drop_column("hourly_rate")
                    .to_owned(),
            )
            .await
    }
}
