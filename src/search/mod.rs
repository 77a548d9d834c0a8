//! The search index: tantivy, derived from the database through the change log and
//! rebuildable at any time. This module owns the schema; [`indexer`] keeps it in step.

pub mod indexer;

use std::{
    path::{Path, PathBuf},
    sync::{Arc, Mutex},
};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use tantivy::{
    Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term,
    collector::{Count, DocSetCollector, TopDocs},
    query::{AllQuery, BooleanQuery, Occur, Query, QueryParser, TermQuery},
    schema::{
        FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
        Value,
    },
};
use uuid::Uuid;

use crate::domain::RecordKind;

/// Bump when the schema or what goes into a document changes: the index is then rebuilt
/// from the database at start-up.
pub const SCHEMA_VERSION: u32 = 1;

/// Field handles, named once.
#[derive(Clone, Copy)]
pub struct Fields {
    /// `kind:id`, unique per document; used to replace and delete.
    pub key: Field,
    pub kind: Field,
    pub id: Field,
    pub publication: Field,
    pub name: Field,
    pub categories: Field,
    pub description: Field,
    pub extra: Field,
    pub latitude: Field,
    pub longitude: Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer("en_stem")
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        key: b.add_text_field("key", STRING),
        kind: b.add_text_field("kind", STRING | STORED),
        id: b.add_text_field("id", STRING | STORED),
        publication: b.add_text_field("publication", STRING),
        name: b.add_text_field("name", text.clone() | STORED),
        categories: b.add_text_field("categories", text.clone()),
        description: b.add_text_field("description", text.clone()),
        extra: b.add_text_field("extra", text),
        latitude: b.add_f64_field("latitude", FAST | STORED),
        longitude: b.add_f64_field("longitude", FAST | STORED),
    };
    (b.build(), fields)
}

/// What the index stores in its commit payload: how far through the change log it is.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
struct Payload {
    schema: u32,
    seq: i64,
}

/// One record as the index sees it: the public view only.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IndexDoc {
    pub kind: Option<RecordKind>,
    pub id: Uuid,
    pub published: bool,
    pub name: String,
    pub categories: Vec<String>,
    pub description: String,
    pub extra: Vec<String>,
    /// WGS84 points (longitude, latitude), already coarsened where the address is hidden.
    pub points: Vec<(f64, f64)>,
}

/// A change to apply to the index.
#[derive(Debug, Clone, PartialEq)]
pub enum IndexOp {
    Upsert(IndexDoc),
    Remove(RecordKind, Uuid),
}

/// Filters for [`SearchIndex::search`].
#[derive(Debug, Clone)]
pub struct TextQuery<'a> {
    pub kind: Option<RecordKind>,
    pub text: &'a str,
    pub public_only: bool,
    pub offset: usize,
    pub limit: usize,
}

/// The index, its one writer and a reader. Cheap to clone.
#[derive(Clone)]
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Option<Arc<Mutex<IndexWriter>>>,
    fields: Fields,
    path: Option<PathBuf>,
}

/// What [`SearchIndex::open`] found on disk.
pub struct OpenedIndex {
    pub index: SearchIndex,
    /// The index was missing or of another schema version and must be rebuilt.
    pub needs_rebuild: bool,
}

fn key(kind: RecordKind, id: Uuid) -> String {
    format!("{}:{id}", kind.as_str())
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
            payload.is_some_and(|p| p.schema == SCHEMA_VERSION) && index.schema() == schema
        });
        let (index, needs_rebuild) = match existing {
            Some(index) => (index, false),
            None => {
                // Start again: clear whatever is there (an old schema or a torn index).
                std::fs::remove_dir_all(dir).ok();
                std::fs::create_dir_all(dir)?;
                (Index::create_in_dir(dir, schema)?, true)
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
        if index.schema() != schema
            || read_payload(&index).is_none_or(|p| p.schema != SCHEMA_VERSION)
        {
            return Ok(None);
        }
        Self::from_index(index, fields, Some(dir.to_owned()), false).map(Some)
    }

    /// An index held in memory (for tools and tests that need no files).
    pub fn in_memory() -> anyhow::Result<SearchIndex> {
        let (schema, fields) = schema();
        Self::from_index(Index::create_in_ram(schema), fields, None, true)
    }

    fn from_index(
        index: Index,
        fields: Fields,
        path: Option<PathBuf>,
        with_writer: bool,
    ) -> anyhow::Result<SearchIndex> {
        let writer = if with_writer {
            let writer: IndexWriter = index
                .writer_with_num_threads(1, 32_000_000)
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
    /// the change log move in one step. A crash before the commit just replays them.
    pub fn apply(&self, ops: Vec<IndexOp>, seq: i64, clear_first: bool) -> anyhow::Result<()> {
        let writer = self
            .writer
            .as_ref()
            .context("the search index was opened read-only")?;
        let mut writer = writer
            .lock()
            .map_err(|_| anyhow::anyhow!("index writer lock poisoned"))?;
        if clear_first {
            writer.delete_all_documents()?;
        }
        for op in ops {
            match op {
                IndexOp::Remove(kind, id) => {
                    writer.delete_term(Term::from_field_text(self.fields.key, &key(kind, id)));
                }
                IndexOp::Upsert(doc) => {
                    let Some(kind) = doc.kind else { continue };
                    writer.delete_term(Term::from_field_text(self.fields.key, &key(kind, doc.id)));
                    writer.add_document(self.to_document(kind, &doc))?;
                }
            }
        }
        let payload = serde_json::to_string(&Payload {
            schema: SCHEMA_VERSION,
            seq,
        })?;
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(&payload);
        commit.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    fn to_document(&self, kind: RecordKind, doc: &IndexDoc) -> TantivyDocument {
        let f = &self.fields;
        let mut d = TantivyDocument::default();
        d.add_text(f.key, key(kind, doc.id));
        d.add_text(f.kind, kind.as_str());
        d.add_text(f.id, doc.id.to_string());
        d.add_text(
            f.publication,
            if doc.published {
                "published"
            } else {
                "unpublished"
            },
        );
        d.add_text(f.name, &doc.name);
        for c in &doc.categories {
            d.add_text(f.categories, c);
        }
        d.add_text(f.description, &doc.description);
        for e in &doc.extra {
            d.add_text(f.extra, e);
        }
        for (lon, lat) in &doc.points {
            d.add_f64(f.longitude, *lon);
            d.add_f64(f.latitude, *lat);
        }
        d
    }

    /// Full-text search: ids in relevance order for one page, and the total number of hits.
    pub fn search(&self, q: &TextQuery<'_>) -> anyhow::Result<(Vec<(RecordKind, Uuid)>, usize)> {
        let f = &self.fields;
        let mut parser = QueryParser::for_index(
            &self.index,
            vec![f.name, f.categories, f.description, f.extra],
        );
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.name, 4.0);
        parser.set_field_boost(f.categories, 2.0);
        parser.set_field_boost(f.extra, 0.5);
        let (text_query, _errors) = parser.parse_query_lenient(q.text);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, text_query)];
        if let Some(kind) = q.kind {
            clauses.push((Occur::Must, Box::new(term_query(f.kind, kind.as_str()))));
        }
        if q.public_only {
            clauses.push((
                Occur::Must,
                Box::new(term_query(f.publication, "published")),
            ));
        }
        let query = BooleanQuery::new(clauses);
        let searcher = self.reader.searcher();
        let (top, total) = searcher.search(
            &query,
            &(
                TopDocs::with_limit(q.limit.max(1))
                    .and_offset(q.offset)
                    .order_by_score(),
                Count,
            ),
        )?;
        let mut hits = Vec::with_capacity(top.len());
        for (_score, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            if let Some(hit) = self.kind_and_id(&doc) {
                hits.push(hit);
            }
        }
        Ok((hits, total))
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

    /// Number of documents visible to searches now.
    pub fn reload(&self) -> anyhow::Result<()> {
        Ok(self.reader.reload()?)
    }

    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }
}

fn term_query(field: Field, value: &str) -> TermQuery {
    TermQuery::new(
        Term::from_field_text(field, value),
        IndexRecordOption::Basic,
    )
}

fn read_payload(index: &Index) -> Option<Payload> {
    let metas = index.load_metas().ok()?;
    serde_json::from_str(metas.payload.as_deref()?).ok()
}
