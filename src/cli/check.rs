//! `junction check`: does the search index hold exactly what the database says it should?
//! Prints a report and exits non-zero when they disagree.

use std::collections::BTreeSet;

use uuid::Uuid;

use crate::Config;
use crate::domain::RecordKind;
use crate::search::SearchIndex;
use crate::store::Store;

/// What `check` found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub database_records: usize,
    pub index_documents: usize,
    pub last_seq: i64,
    pub indexed_seq: i64,
    pub missing_from_index: Vec<(RecordKind, Uuid)>,
    pub stale_in_index: Vec<(RecordKind, Uuid)>,
}

impl Report {
    pub fn consistent(&self) -> bool {
        self.missing_from_index.is_empty()
            && self.stale_in_index.is_empty()
            && self.indexed_seq >= self.last_seq
    }
}

/// Compares the database with the index.
pub async fn compare(store: &Store, index: &SearchIndex) -> anyhow::Result<Report> {
    let last_seq = store.last_seq().await?;
    let db: BTreeSet<(&'static str, Uuid)> = store
        .all_record_keys()
        .await?
        .into_iter()
        .map(|(k, id)| (k.as_str(), id))
        .collect();
    let indexed: BTreeSet<(&'static str, Uuid)> = index
        .all_keys()?
        .into_iter()
        .map(|(k, id)| (k.as_str(), id))
        .collect();
    let to_pairs = |set: Vec<&(&'static str, Uuid)>| -> Vec<(RecordKind, Uuid)> {
        set.into_iter()
            .filter_map(|(k, id)| RecordKind::parse(k).map(|k| (k, *id)))
            .collect()
    };
    Ok(Report {
        database_records: db.len(),
        index_documents: indexed.len(),
        last_seq,
        indexed_seq: index.applied_seq(),
        missing_from_index: to_pairs(db.difference(&indexed).collect()),
        stale_in_index: to_pairs(indexed.difference(&db).collect()),
    })
}

pub async fn run(config: Config) -> anyhow::Result<()> {
    let store = super::open_store(&config).await?;
    let Some(index) = SearchIndex::open_read_only(&config.index_dir())? else {
        println!(
            "No usable search index in {}: run `junction reindex`.",
            config.index_dir().display()
        );
        std::process::exit(1);
    };
    let report = compare(&store, &index).await?;
    println!("database records:   {}", report.database_records);
    println!("index documents:    {}", report.index_documents);
    println!("change log at seq:  {}", report.last_seq);
    println!("index applied seq:  {}", report.indexed_seq);
    for (kind, id) in &report.missing_from_index {
        println!("missing from index: {} {id}", kind.as_str());
    }
    for (kind, id) in &report.stale_in_index {
        println!("in index, not in database: {} {id}", kind.as_str());
    }
    if report.consistent() {
        println!("OK: the index matches the database.");
        Ok(())
    } else {
        println!("MISMATCH: run `junction reindex` (or start the server, which catches up).");
        std::process::exit(1);
    }
}
