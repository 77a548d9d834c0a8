//! A bulk load: a rebuild from the database (and the benchmark's build) adds every record in
//! place-key order, so that the final merge into one segment lays the segments end to end.
//!
//! The index is sorted by place key (`spatial`). When every segment's keys lie after the
//! previous one's, tantivy merges them by stacking: the stored documents' compressed blocks
//! are copied as they are and the fast columns are concatenated. Otherwise it works out a
//! new order for every document and rewrites the stores and columns in it, which was about
//! 40% of a bulk build at 1M records (BENCHMARKS.md).
//!
//! So a load sorts the records by key and adds them in rounds. Each round goes to the writer
//! as two groups of operations, one per indexing thread (tantivy puts a group into a single
//! segment), and is committed, which closes every open segment. Each segment then holds one
//! run of keys, and no two runs overlap. Those commits carry a payload marked `partial`: an
//! index a crash leaves half-loaded is built again at the next start. Searches keep seeing
//! what they saw before until [`BulkLoad::finish`] merges and commits the whole.
//!
//! The load holds the writer for its whole length, so no other change lands in between.

use std::sync::{MutexGuard, atomic::Ordering};

use anyhow::Context;
use tantivy::{
    IndexWriter,
    indexer::{LogMergePolicy, NoMergePolicy, UserOperation},
};

use super::{IndexDoc, Payload, SearchIndex, spatial};

/// Records per round: two segments of half this each.
const ROUND: usize = 50_000;

/// A bulk load in progress: see the module documentation. Dropping it unfinished (after an
/// error) leaves the usual merge policy back and, once it has committed, an index whose
/// every later commit is marked partial, so the next start builds it again.
pub struct BulkLoad<'a> {
    index: &'a SearchIndex,
    writer: MutexGuard<'a, IndexWriter>,
    cleared: bool,
    /// Records per round (smaller in tests, to get several rounds from a few records).
    pub(super) round: usize,
}

impl SearchIndex {
    /// Starts a bulk load that replaces everything the index holds: no background merges
    /// until [`BulkLoad::finish`], so the cores index instead of merging segments that will
    /// be merged again anyway.
    pub fn bulk_load(&self) -> anyhow::Result<BulkLoad<'_>> {
        let writer = self.locked_writer()?;
        writer.set_merge_policy(Box::new(NoMergePolicy));
        Ok(BulkLoad {
            index: self,
            writer,
            cleared: false,
            round: ROUND,
        })
    }

    /// Merges every segment into one and waits for it. A search opens and looks its terms
    /// up in every segment, so one segment answers fastest.
    pub(super) fn merge_all(&self, writer: &mut IndexWriter) -> anyhow::Result<()> {
        let segments = self.index.searchable_segment_ids()?;
        if segments.len() > 1 {
            writer
                .merge(&segments)
                .wait()
                .context("merging the index's segments")?;
        }
        Ok(())
    }
}

impl BulkLoad<'_> {
    /// Adds `docs`, records not yet in the load. Each call's records should sort at or after
    /// the previous call's (a rebuild passes them all at once); they are sorted by key here.
    /// Records out of that order are still indexed and found, but the final merge then
    /// reorders instead of stacking.
    pub fn add(&mut self, mut docs: Vec<IndexDoc>) -> anyhow::Result<()> {
        if !self.cleared {
            self.writer.delete_all_documents()?;
            self.cleared = true;
        }
        docs.sort_by_cached_key(|d| spatial::record_key(&d.card.points));
        let half = self.round.div_ceil(2).max(1);
        let mut groups = docs.chunks(half);
        // The next group is turned into documents while the indexing threads work on the
        // groups before it, and sent once the commit before it is done.
        let Some(first) = groups.next() else {
            return Ok(());
        };
        let mut next = Some(self.documents(first)?);
        while let Some(a) = next.take() {
            self.writer.run(a)?;
            if let Some(b) = groups.next() {
                let b = self.documents(b)?;
                self.writer.run(b)?;
            }
            next = groups.next().map(|g| self.documents(g)).transpose()?;
            self.index.partial.store(true, Ordering::Relaxed);
            let partial = Payload {
                partial: true,
                ..Payload::at(0)
            };
            SearchIndex::commit_payload(&mut self.writer, partial)?;
        }
        Ok(())
    }

    fn documents(&self, docs: &[IndexDoc]) -> anyhow::Result<Vec<UserOperation>> {
        docs.iter()
            .map(|d| Ok(UserOperation::Add(self.index.to_document(d)?)))
            .collect()
    }

    /// Ends the load: merges every segment into one, commits the whole with `seq` (the change
    /// log's position when the records were read) and shows it to searches. An empty load
    /// empties the index.
    pub fn finish(mut self, seq: i64) -> anyhow::Result<()> {
        if self.cleared {
            // What was added is committed, and nothing else: one segment of it.
            self.index.merge_all(&mut self.writer)?;
        } else {
            // Nothing was added: the commit below empties the index (the segments it held
            // are not the writer's to merge any more).
            self.writer.delete_all_documents()?;
        }
        self.writer
            .set_merge_policy(Box::new(LogMergePolicy::default()));
        SearchIndex::commit_payload(&mut self.writer, Payload::at(seq))?;
        self.index.partial.store(false, Ordering::Relaxed);
        let index = self.index;
        drop(self);
        index.reload()
    }
}

impl Drop for BulkLoad<'_> {
    fn drop(&mut self) {
        self.writer
            .set_merge_policy(Box::new(LogMergePolicy::default()));
    }
}
