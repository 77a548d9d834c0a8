//! The search index: tantivy, derived from the database through the change log and
//! rebuildable at any time. This module owns the schema; [`indexer`] keeps it in step and
//! [`query`] answers searches.

mod analyzer;
mod bulk;
pub mod cells;
/// Registers Junction's analyzers on an index opened outside [`SearchIndex`] (tools, benchmarks).
pub use analyzer::register as register_analyzers;
pub mod card;
mod collect;
mod dense;
mod document;
pub mod export;
mod facets;
mod fast;
pub mod freshness;
mod highlight;
pub mod indexer;
mod open_cache;
mod order;
mod page;
pub mod query;
mod segments;
pub mod spatial;
mod tally;
pub mod text;
mod top;

use std::{
    path::{Path, PathBuf},
    sync::{
        Arc, Mutex, MutexGuard,
        atomic::{AtomicBool, Ordering},
    },
};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use tantivy::{
    Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term,
    collector::DocSetCollector,
    query::AllQuery,
    schema::{
        FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
        Value,
    },
};
use uuid::Uuid;

pub use bulk::BulkLoad;
pub use card::{Ask, Card};
pub use freshness::Freshness;
pub use query::{Facets, SearchHit, SearchQuery, SearchResults, Sort};

use crate::domain::RecordKind;

/// Bump when the schema or what goes into a document changes: the index is then rebuilt
/// from the database at start-up.
pub const SCHEMA_VERSION: u32 = 13;

/// The `area` keyword of a document whose service covers a polygon of its own.
pub const AREA_EXTENT: &str = "*extent";

/// Field handles, named once.
#[derive(Clone, Copy)]
pub struct Fields {
    /// `kind:id`, unique per document; used to replace and delete.
    pub key: Field,
    pub kind: Field,
    pub id: Field,
    pub publication: Field,
    pub text: text::TextFields,
    /// Ids and slugs of the record's categories and all their ancestors.
    pub category: Field,
    pub access: Field,
    /// Facilities of a space, or of an asset and its spaces.
    pub facility: Field,
    pub free: Field,
    pub language: Field,
    pub boundary: Field,
    /// "yes" for services that are not active (inactive, defunct, temporarily closed).
    pub closed: Field,
    /// "yes" for records with no site that are available anywhere.
    pub remote: Field,
    /// Codes of boundaries a service covers; `*extent` when it covers a polygon of its own.
    pub area: Field,
    /// Grid cells of the public points (see [`cells`]).
    pub cell: Field,
    /// The card as JSON, in the document store.
    pub card: Field,
    /// Fast-field copies read by the collector for every match (see `collect`).
    pub fast: fast::FastFields,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer::ENGLISH_INDEX)
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    // Keywords that rank (the name's pairs, the exact name) keep their frequencies, though each
    // is 1: tantivy prunes an AND of terms block by block only when every term has them, and
    // `search::top` ranks with such ANDs.
    let ranking_keyword = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("raw")
            .set_index_option(IndexRecordOption::WithFreqs),
    );
    let fields = Fields {
        key: b.add_text_field("key", STRING),
        kind: b.add_text_field("kind", STRING | STORED | FAST),
        // Read back from the stored document only; `key` is the indexed identity.
        id: b.add_text_field("id", STORED),
        publication: b.add_text_field("publication", STRING),
        text: text::TextFields {
            all: b.add_text_field("all", text),
            name_pairs: b.add_text_field("name_pairs", ranking_keyword.clone()),
            name_exact: b.add_text_field("name_exact", ranking_keyword | FAST),
        },
        category: b.add_text_field("category", STRING),
        access: b.add_text_field("access", STRING | FAST),
        facility: b.add_text_field("facility", STRING),
        free: b.add_text_field("free", STRING),
        language: b.add_text_field("language", STRING),
        boundary: b.add_text_field("boundary", STRING),
        closed: b.add_text_field("closed", STRING),
        remote: b.add_text_field("remote", STRING),
        area: b.add_text_field("area", STRING),
        cell: b.add_text_field("cell", STRING),
        card: b.add_bytes_field("card", STORED),
        fast: fast::FastFields {
            top_category: b.add_text_field(fast::TOP_CATEGORY, STRING | FAST),
            point: b.add_u64_field(fast::POINT, FAST),
            flags: b.add_u64_field(fast::FLAGS, FAST),
            min_age: b.add_i64_field(fast::MIN_AGE, FAST),
            max_age: b.add_i64_field(fast::MAX_AGE, FAST),
            verified: b.add_i64_field(fast::VERIFIED, FAST),
            hours_key: b.add_u64_field(fast::HOURS_KEY, FAST),
            capacity: b.add_i64_field(fast::CAPACITY, FAST),
            rate: b.add_i64_field(fast::RATE, FAST),
            place: b.add_u64_field(spatial::KEY, FAST),
        },
    };
    (b.build(), fields)
}

/// Small document-store blocks: a result page reads about twenty documents at random, and
/// each read decompresses the whole block that holds it. Documents are kept in spatial order
/// (see [`spatial`]).
fn index_settings() -> tantivy::IndexSettings {
    tantivy::IndexSettings {
        docstore_blocksize: 4096,
        sort_by_field: Some(tantivy::index::IndexSortByField {
            field: spatial::KEY.to_owned(),
            order: tantivy::Order::Asc,
        }),
        ..tantivy::IndexSettings::default()
    }
}

/// What the index stores in its commit payload: how far through the change log it is, and
/// what it was built with.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
struct Payload {
    schema: u32,
    seq: i64,
    /// The synonym groups' fingerprint: the index marks their phrases, so other groups need
    /// a rebuild.
    #[serde(default)]
    synonyms: u64,
    /// A bulk load committed part of the register and has not finished: the index holds only
    /// some records, so it must be built again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    partial: bool,
}

impl Payload {
    /// What this build writes after applying the change log up to `seq`.
    fn at(seq: i64) -> Payload {
        Payload {
            schema: SCHEMA_VERSION,
            seq,
            synonyms: text::synonyms_fingerprint(),
            partial: false,
        }
    }

    /// Whether an index with this payload was built as this build would build it, and whole.
    fn current(&self) -> bool {
        self.schema == SCHEMA_VERSION
            && self.synonyms == text::synonyms_fingerprint()
            && !self.partial
    }
}

/// One record as the index sees it: built from the public view only.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndexDoc {
    pub card: Card,
    pub published: bool,
    /// Names of the record's categories (searched as text).
    pub category_names: Vec<String>,
    /// Ids and slugs of the record's categories and their ancestors (filters).
    pub category_keys: Vec<String>,
    pub description: String,
    pub extra: Vec<String>,
    pub languages: Vec<String>,
    pub boundaries: Vec<String>,
}

/// A change to apply to the index.
#[derive(Debug, Clone, PartialEq)]
pub enum IndexOp {
    Upsert(Box<IndexDoc>),
    Remove(RecordKind, Uuid),
}

/// The index, its one writer and a reader. Cheap to clone.
#[derive(Clone)]
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Option<Arc<Mutex<IndexWriter>>>,
    fields: Fields,
    path: Option<PathBuf>,
    columns: segments::SegmentCache,
    /// A bulk load committed part of the register and did not finish: every commit says so
    /// (see [`Payload::partial`]) until a load finishes.
    partial: Arc<AtomicBool>,
}

/// What [`SearchIndex::open`] found on disk.
pub struct OpenedIndex {
    pub index: SearchIndex,
    /// The index was missing or of another schema version and must be rebuilt.
    pub needs_rebuild: bool,
}

fn key(kind: &str, id: Uuid) -> String {
    format!("{kind}:{id}")
}

impl SearchIndex {
    /// Opens the index in `dir`, creating it (and asking for a rebuild) when it is missing,
    /// unreadable or built with another schema version.
    pub fn open(dir: &Path) -> anyhow::Result<OpenedIndex> {
        let (schema, fields) = schema();
        std::fs::create_dir_all(dir)
            .with_context(|| format!("creating the index directory {}", dir.display()))?;
        let existing = Index::open_in_dir(dir).ok().filter(|index| {
            let payload = read_payload(index);
            payload.is_some_and(|p| p.current()) && index.schema() == schema
        });
        let (index, needs_rebuild) = match existing {
            Some(index) => (index, false),
            None => {
                // Start again: clear whatever is there (an old schema or a torn index).
                std::fs::remove_dir_all(dir).ok();
                std::fs::create_dir_all(dir)?;
                let index = Index::builder()
                    .schema(schema)
                    .settings(index_settings())
                    .create_in_dir(dir)?;
                (index, true)
            }
        };
        Self::from_index(index, fields, Some(dir.to_owned()), true).map(|index| OpenedIndex {
            index,
            needs_rebuild,
        })
    }

    /// Opens an existing index for reading only, beside a running server that holds the
    /// writer. `None` when there is no usable index.
    pub fn open_read_only(dir: &Path) -> anyhow::Result<Option<SearchIndex>> {
        let (schema, fields) = schema();
        let Ok(index) = Index::open_in_dir(dir) else {
            return Ok(None);
        };
        if index.schema() != schema || read_payload(&index).is_none_or(|p| !p.current()) {
            return Ok(None);
        }
        Self::from_index(index, fields, Some(dir.to_owned()), false).map(Some)
    }

    /// An index held in memory (for tools and benchmarks that need no files).
    pub fn in_memory() -> anyhow::Result<SearchIndex> {
        let (schema, fields) = schema();
        let index = Index::builder()
            .schema(schema)
            .settings(index_settings())
            .create_in_ram()?;
        Self::from_index(index, fields, None, true)
    }

    fn from_index(
        index: Index,
        fields: Fields,
        path: Option<PathBuf>,
        with_writer: bool,
    ) -> anyhow::Result<SearchIndex> {
        analyzer::register(&index);
        let writer = if with_writer {
            // One indexing thread per core (at most two) with 32 MB each: a bulk rebuild keeps
            // both cores busy while the caller turns records into documents.
            let threads = std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .clamp(1, 2);
            let writer: IndexWriter = index
                .writer_with_num_threads(threads, threads * 32_000_000)
                .context("opening the search index for writing (is another Junction using this data directory?)")?;
            Some(Arc::new(Mutex::new(writer)))
        } else {
            None
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            writer,
            fields,
            path,
            columns: segments::SegmentCache::new(segments::ColumnFields {
                kind: fields.kind,
                access: fields.access,
                name_exact: fields.text.name_exact,
            }),
            partial: Arc::default(),
        })
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The last change-log seq whose effect the index holds.
    pub fn applied_seq(&self) -> i64 {
        read_payload(&self.index).map_or(0, |p| p.seq)
    }

    /// Applies `ops` and commits them together with `seq`, so the index and its position in
    /// the change log move in one step. A crash before the commit just replays them. (A
    /// rebuild replaces everything through [`Self::bulk_load`] instead.)
    pub fn apply(&self, ops: Vec<IndexOp>, seq: i64) -> anyhow::Result<()> {
        let writer = self.locked_writer()?;
        for op in ops {
            match op {
                IndexOp::Remove(kind, id) => {
                    writer.delete_term(Term::from_field_text(
                        self.fields.key,
                        &key(kind.as_str(), id),
                    ));
                }
                IndexOp::Upsert(doc) => {
                    writer.delete_term(Term::from_field_text(
                        self.fields.key,
                        &key(&doc.card.kind, doc.card.id),
                    ));
                    writer.add_document(self.to_document(&doc)?)?;
                }
            }
        }
        self.commit(writer, seq)
    }

    fn commit(&self, mut writer: MutexGuard<'_, IndexWriter>, seq: i64) -> anyhow::Result<()> {
        let payload = Payload {
            partial: self.partial.load(Ordering::Relaxed),
            ..Payload::at(seq)
        };
        Self::commit_payload(&mut writer, payload)?;
        drop(writer);
        self.reload()
    }

    /// Commits what `writer` holds with `payload`; searches see it once the reader reloads.
    fn commit_payload(writer: &mut IndexWriter, payload: Payload) -> anyhow::Result<()> {
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&serde_json::to_string(&payload)?);
        commit.commit()?;
        Ok(())
    }

    fn locked_writer(&self) -> anyhow::Result<MutexGuard<'_, IndexWriter>> {
        self.writer
            .as_ref()
            .context("the search index was opened read-only")?
            .lock()
            .map_err(|_| anyhow::anyhow!("index writer lock poisoned"))
    }

    /// The tantivy query a search runs before its exact checks, with the searcher it was
    /// planned on (for the benchmark's breakdown). `None` when the text can match nothing.
    pub fn core_query(
        &self,
        q: &SearchQuery,
    ) -> (tantivy::Searcher, Option<tantivy::query::BooleanQuery>) {
        let searcher = self.reader.searcher();
        let planned = query::plan(self, &searcher, q);
        (searcher, planned.query)
    }

    /// Runs a search. See [`query`].
    pub fn search(&self, q: &SearchQuery) -> anyhow::Result<SearchResults> {
        query::run(self, q)
    }

    fn kind_and_id(&self, doc: &TantivyDocument) -> Option<(RecordKind, Uuid)> {
        let kind = doc
            .get_first(self.fields.kind)
            .and_then(|v| v.as_str())
            .and_then(RecordKind::parse)?;
        let id = doc
            .get_first(self.fields.id)
            .and_then(|v| v.as_str())?
            .parse()
            .ok()?;
        Some((kind, id))
    }

    /// Every (kind, id) in the index, for consistency checks.
    pub fn all_keys(&self) -> anyhow::Result<Vec<(RecordKind, Uuid)>> {
        let searcher = self.reader.searcher();
        let addresses = searcher.search(&AllQuery, &DocSetCollector)?;
        let mut keys = Vec::with_capacity(addresses.len());
        for address in addresses {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(k) = self.kind_and_id(&doc) {
                keys.push(k);
            }
        }
        Ok(keys)
    }

    pub fn reload(&self) -> anyhow::Result<()> {
        self.reader.reload()?;
        let live: Vec<tantivy::index::SegmentId> = self
            .reader
            .searcher()
            .segment_readers()
            .iter()
            .map(|r| r.segment_id())
            .collect();
        self.columns.retain(&live);
        Ok(())
    }

    /// Number of documents visible to searches now.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

fn read_payload(index: &Index) -> Option<Payload> {
    let metas = index.load_metas().ok()?;
    serde_json::from_str(metas.payload.as_deref()?).ok()
}

#[cfg(test)]
mod tests;
