//! Junction's schema, one migration per file. The same migrations run unchanged on SQLite
//! and PostgreSQL: only the `SchemaManager` DSL, foreign keys declared inside `create_table`
//! (SQLite cannot add them later). Never edit a migration after it has landed.

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_create_register;
mod m20261125_000002_create_changes;
mod m20261125_000003_create_api_tokens;
mod m20261125_000004_create_geography;
mod m20261125_000005_add_service_areas;
mod m20261125_000006_create_shortlists;
mod m20261126_000007_create_record_sources;
mod m20261126_000008_create_sync_positions;
mod m20261126_000009_add_service_at_location_ids;
mod m20261126_000010_create_accounts;
mod m20261126_000011_extend_assets;
mod m20261126_000012_create_acv;
mod m20261126_000014_create_outbox_and_suggestions;
mod m20261126_000015_create_transfer_cases;
mod m20261126_000016_add_space_hourly_rate;
mod m20261126_000017_create_erasures;

/// Runs every migration in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_create_register::Migration),
            Box::new(m20261125_000002_create_changes::Migration),
            Box::new(m20261125_000003_create_api_tokens::Migration),
            Box::new(m20261125_000004_create_geography::Migration),
            Box::new(m20261125_000005_add_service_areas::Migration),
            Box::new(m20261125_000006_create_shortlists::Migration),
            Box::new(m20261126_000007_create_record_sources::Migration),
            Box::new(m20261126_000008_create_sync_positions::Migration),
            Box::new(m20261126_000009_add_service_at_location_ids::Migration),
            Box::new(m20261126_000010_create_accounts::Migration),
            Box::new(m20261126_000011_extend_assets::Migration),
            Box::new(m20261126_000012_create_acv::Migration),
            Box::new(m20261126_000014_create_outbox_and_suggestions::Migration),
            Box::new(m20261126_000015_create_transfer_cases::Migration),
            Box::new(m20261126_000016_add_space_hourly_rate::Migration),
            Box::new(m20261126_000017_create_erasures::Migration),
        ]
    }
}

/// Columns every register record carries: optimistic-concurrency version, publication
/// state and the three timestamps (an edit and a "still correct" check are different).
pub(crate) fn with_record_meta(table: &mut TableCreateStatement) -> &mut TableCreateStatement {
    use sea_orm_migration::schema::*;
    table
        .col(integer("version"))
        .col(string_len("publication", 16))
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("updated_at"))
        .col(timestamp_with_time_zone_null("last_verified_at"))
}

/// A foreign key that refuses to delete the row it points at: dependants are reported, never
/// removed silently.
pub(crate) fn restrict_fk(
    from_table: &'static str,
    column: &'static str,
    to_table: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_{column}"))
        .from(from_table, column)
        .to(to_table, "id")
        .on_delete(ForeignKeyAction::Restrict)
        .on_update(ForeignKeyAction::Restrict)
        .to_owned()
}
