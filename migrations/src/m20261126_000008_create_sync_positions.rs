//! Where each `junction sync` got to in each feed it follows, so the next run continues from
//! there: an RPDE feed's `afterTimestamp` / `afterId` and the `next` URL to ask for, or an ORUK
//! API's last `modified_after`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("sync_positions")
                    // The feed (an RPDE feed of one kind, or an ORUK API's base URL).
                    .col(string_len("feed_url", 2000).primary_key())
                    // `rpde` or `oruk`.
                    .col(string_len("protocol", 16))
                    // RPDE: the last item's `modified` and `id`; ORUK: the newest
                    // `last_modified` seen, as RFC 3339, in `after_timestamp`.
                    .col(string_len_null("after_timestamp", 64))
                    .col(string_len_null("after_id", 200))
                    // RPDE: the page to ask for next.
                    .col(text_null("next_url"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table("sync_positions").to_owned())
            .await
    }
}
