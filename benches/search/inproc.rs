//! Junction in-process: bulk-build the index through `SearchIndex::bulk_load` in a temporary
//! directory (as `junction reindex` does), then time `SearchIndex::search`.

use std::{
    path::Path,
    time::{Duration, Instant},
};

use anyhow::Context;
use junction::search::{Card, IndexDoc, SearchIndex, SearchQuery, card::summarise, spatial};

use crate::cases::Case;
use crate::data::{Geo, Vocab};
use crate::stats::{self, Limits, Samples};
use crate::synth::{Generator, Record};

/// The index document Junction's indexer would build for `r` (see `src/search/indexer.rs`).
/// When every generated record was last checked: a month before the run.
static CHECKED: std::sync::LazyLock<chrono::DateTime<chrono::Utc>> =
    std::sync::LazyLock::new(|| chrono::Utc::now() - chrono::Duration::days(30));

pub fn index_doc(r: &Record, vocab: &Vocab) -> IndexDoc {
    IndexDoc {
        card: Card {
            kind: r.kind.to_owned(),
            id: r.id,
            name: r.name.clone(),
            summary: summarise(&r.description),
            points: vec![[r.lon, r.lat]],
            top_categories: r.top_categories(vocab),
            accessibility: r.accessibility.clone(),
            free: r.free,
            opening_hours: r.opening_hours.clone(),
            status: (r.kind == "service").then(|| "active".to_owned()),
            // Checked within the review interval, as a register kept up to date is: the API
            // leaves records past their review's grace period out of default search.
            last_verified_at: Some(*CHECKED),
            ..Card::default()
        },
        published: true,
        category_names: r.category_names(vocab),
        category_keys: r.category_keys(vocab),
        description: r.description.clone(),
        extra: r.extra.clone(),
        languages: Vec::new(),
        boundaries: vec![r.ward.clone()],
    }
}

/// A built index and what building it cost.
pub struct Built {
    pub index: SearchIndex,
    pub dir: tempfile::TempDir,
    /// Time in `apply` (generating records excluded).
    pub index_secs: f64,
    /// Of which merging the segments into one at the end.
    pub merge_secs: f64,
    pub generate_secs: f64,
    /// Time from the last commit until background merges stopped changing the index.
    pub settle_secs: f64,
    pub size_bytes: u64,
    pub segments: usize,
    pub peak_rss: u64,
}

/// Builds an index of `size` records, `batch` operations per commit.
pub fn build(
    size: usize,
    batch: usize,
    seed: u64,
    geo: &Geo,
    vocab: &Vocab,
) -> anyhow::Result<Built> {
    let dir = tempfile::Builder::new()
        .prefix("junction-bench-index-")
        .tempdir()?;
    stats::reset_peak_rss();
    let index = SearchIndex::open(dir.path())?.index;
    let mut generator = Generator::new(seed, geo, vocab);
    // As a rebuild adds them (`search::bulk`): in place order. The rebuild sorts documents it
    // holds; here each record's point is drawn first, the order sorted (timed as part of the
    // build), then the records drawn in it a batch at a time.
    let t = Instant::now();
    let mut order: Vec<(u64, u64)> = (0..size as u64)
        .map(|i| {
            let (lon, lat) = generator.point(i);
            (spatial::key(lon, lat), i)
        })
        .collect();
    let mut generate = t.elapsed();
    let t = Instant::now();
    order.sort_unstable();
    let mut apply = t.elapsed();
    let mut load = index.bulk_load()?;
    for batch in order.chunks(batch) {
        let t = Instant::now();
        let docs: Vec<IndexDoc> = batch
            .iter()
            .map(|&(_, i)| index_doc(&generator.record(i), vocab))
            .collect();
        generate += t.elapsed();
        let t = Instant::now();
        load.add(docs)?;
        apply += t.elapsed();
    }
    // Merging into one segment is part of the bulk build, as `junction reindex` does it.
    let t = Instant::now();
    load.finish(1)?;
    let merge = t.elapsed();
    apply += merge;
    let settle = settle(dir.path())?;
    index.reload()?;
    anyhow::ensure!(
        index.num_docs() == size as u64,
        "the index holds {} documents, expected {size}",
        index.num_docs()
    );
    Ok(Built {
        segments: segments(dir.path())?,
        size_bytes: stats::dir_size(dir.path()),
        peak_rss: stats::peak_rss(),
        index,
        dir,
        index_secs: apply.as_secs_f64(),
        merge_secs: merge.as_secs_f64(),
        generate_secs: generate.as_secs_f64(),
        settle_secs: settle.as_secs_f64(),
    })
}

fn meta(dir: &Path) -> anyhow::Result<String> {
    std::fs::read_to_string(dir.join("meta.json")).context("reading the index's meta.json")
}

/// Number of segments in the index's last commit.
fn segments(dir: &Path) -> anyhow::Result<usize> {
    let meta: serde_json::Value = serde_json::from_str(&meta(dir)?)?;
    Ok(meta["segments"].as_array().map_or(0, Vec::len))
}

/// Waits until tantivy's background merges leave `meta.json` alone for two seconds (at most
/// five minutes), so merging does not compete with the timed queries for the two cores.
fn settle(dir: &Path) -> anyhow::Result<Duration> {
    let start = Instant::now();
    let mut last = meta(dir)?;
    let mut quiet_since = Instant::now();
    while quiet_since.elapsed() < Duration::from_secs(2)
        && start.elapsed() < Duration::from_secs(300)
    {
        std::thread::sleep(Duration::from_millis(100));
        let now = meta(dir)?;
        if now != last {
            last = now;
            quiet_since = Instant::now();
        }
    }
    Ok(start.elapsed().saturating_sub(Duration::from_secs(2)))
}

/// Times `SearchIndex::search` over `cases`, each made into a query by `query`.
pub fn run(
    index: &SearchIndex,
    cases: &[Case],
    query: fn(&Case) -> SearchQuery,
    limits: Limits,
) -> anyhow::Result<Samples> {
    limits.time(cases, |case| {
        let results = index.search(&query(case))?;
        Ok(results.total)
    })
}
