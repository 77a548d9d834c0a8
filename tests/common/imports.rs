//! Helpers the import tests share: the data files read in place from ../shared, sources, and
//! running an import through the library.
#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};

use junction::import::{self, Options, Parsed, Report, Status};
use junction::store::{Actor, SourceRef, Stored};
use sea_orm::{ConnectionTrait, Statement};

use super::TestApp;

pub fn shared(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(path)
}

pub const NORWICH: &str = "data/community-places/norwich_osm_community_places_2019.csv";
pub const NORWICH_GEOJSON: &str = "data/community-places/norwich_osm_community_places_2019.geojson";
pub const CHELTENHAM_2021: &str = "data/land-assets/cheltenham_land_and_assets_2021.csv";
pub const CHELTENHAM_2023: &str = "data/land-assets/cheltenham_land_and_assets_2023.geojson";
pub const HSDS_PACKAGE: &str = "standards/hsds/3.0/examples/csv";

pub fn mapping_file(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("examples/mappings")
        .join(name)
}

pub fn osm_source() -> SourceRef {
    SourceRef {
        key: "osm-norwich".into(),
        name: "OpenStreetMap: Norwich".into(),
        licence: Some("ODbL-1.0".into()),
        attribution: Some("© OpenStreetMap contributors".into()),
        url: None,
    }
}

pub fn options(source: SourceRef, dry_run: bool) -> Options {
    Options {
        actor: Actor::new(format!("import:{}", source.key)),
        source,
        dry_run,
    }
}

pub async fn run(app: &TestApp, parsed: Parsed, source: SourceRef, dry_run: bool) -> Report {
    import::write_all(&app.state.store, parsed, &options(source, dry_run))
        .await
        .expect("import")
}

pub fn norwich() -> Parsed {
    let bytes = std::fs::read(shared(NORWICH)).unwrap();
    import::osm::read(&bytes, true, "norwich.csv").unwrap()
}

/// Data rows in a CSV file, counted by the csv crate on its own.
pub fn csv_rows(path: &Path) -> usize {
    csv::Reader::from_path(path).unwrap().byte_records().count()
}

pub fn accounted(report: &Report) -> usize {
    [
        Status::Created,
        Status::Updated,
        Status::Unchanged,
        Status::Flagged,
        Status::Rejected,
    ]
    .iter()
    .map(|s| report.count(*s))
    .sum()
}

/// (table, id, version) of every record: a re-import that changes nothing leaves it equal.
pub async fn versions(app: &TestApp) -> Vec<(String, String, i64)> {
    let mut out = Vec::new();
    for table in ["organisations", "locations", "services", "spaces", "assets"] {
        let rows = app
            .state
            .store
            .db
            .query_all_raw(Statement::from_string(
                app.state.store.backend(),
                format!("SELECT id, version FROM {table} ORDER BY id"),
            ))
            .await
            .unwrap();
        for r in rows {
            let id: uuid::Uuid = r.try_get("", "id").unwrap();
            let v: i32 = r.try_get("", "version").unwrap();
            out.push((table.to_owned(), id.to_string(), i64::from(v)));
        }
    }
    out
}

pub async fn find_by_name<R: Stored>(app: &TestApp, name: &str) -> Vec<R> {
    let ids = app.state.store.all_ids::<R>().await.unwrap();
    let all: Vec<R> = app.state.store.get_many(&ids).await.unwrap();
    all.into_iter().filter(|r| r.name() == name).collect()
}
