//! Facet counts over one segment's survivors: by kind, top-level category, accessibility
//! feature, and free.
//!
//! Two ways to count, chosen per segment by how much of it survived:
//! - **by document**: read each survivor's keyword ordinals from the fast columns. Costs a few
//!   column reads per survivor, so it suits narrow searches.
//! - **by posting list**: mark the survivors in a bitset, then walk each facet term's posting
//!   list (a kind, a category, a feature, `free`) a block of 128 documents at a time and count
//!   the marked ones. Costs about one bit test per posting whatever the search, so it suits
//!   broad ones: the whole register, a top-level category, a common word.

use std::collections::BTreeMap;

use tantivy::{
    BitSet, DocId, SegmentReader,
    columnar::Column,
    schema::{Field, IndexRecordOption},
};

use super::query::Facets;
use super::segments::Keywords;

/// Counts the terms of `keywords` over `docs`, by term ordinal.
fn count_into(keywords: &Keywords, docs: &[DocId], into: &mut BTreeMap<String, u64>) {
    let mut counts = vec![0u64; keywords.names.len()];
    for &doc in docs {
        for ord in keywords.column.ords().values_for_doc(doc) {
            if let Some(n) = counts.get_mut(ord as usize) {
                *n += 1;
            }
        }
    }
    for (ord, n) in counts.into_iter().enumerate() {
        if n > 0
            && let Some(s) = keywords.names.get(ord)
        {
            *into.entry(s.clone()).or_default() += n;
        }
    }
}

/// Survivors per document of the segment above which counting by posting list is cheaper:
/// one in this many. Counting by document reads three keyword columns per survivor; by posting
/// list tests a bit per posting, and the facet fields hold about four postings per document.
const BY_POSTINGS_FROM: u32 = 16;

/// The fields facets are counted from.
#[derive(Clone, Copy)]
pub struct FacetFields {
    pub kind: Field,
    pub top_category: Field,
    pub access: Field,
    pub free: Field,
}

/// One segment's survivors, kept for counting once the segment is done.
pub struct SegmentFacets {
    /// Survivors before kinds not asked for are dropped: the kind facet counts these.
    pub before_kinds: Vec<DocId>,
    /// Survivors: every other facet counts these.
    pub survivors: Vec<DocId>,
    /// Whether kinds are dropped after counting (otherwise `before_kinds` stays empty and the
    /// kind facet counts `survivors`).
    pub kinds_dropped: bool,
}

impl SegmentFacets {
    pub fn new(kinds_dropped: bool) -> SegmentFacets {
        SegmentFacets {
            before_kinds: Vec::new(),
            survivors: Vec::new(),
            kinds_dropped,
        }
    }

    /// Counts the facets of this segment's survivors, by posting list for broad searches.
    pub fn count(&self, reader: &SegmentReader, columns: &FacetColumns) -> tantivy::Result<Facets> {
        let max_doc = reader.max_doc();
        self.count_by(reader, columns, &|docs: &[DocId]| {
            docs.len() as u64 * u64::from(BY_POSTINGS_FROM) >= u64::from(max_doc)
        })
    }

    /// Counts by posting list the survivor sets `broad` says yes to, by document the others.
    fn count_by(
        &self,
        reader: &SegmentReader,
        columns: &FacetColumns,
        broad: &dyn Fn(&[DocId]) -> bool,
    ) -> tantivy::Result<Facets> {
        let fields = columns.fields;
        let kind_docs = if self.kinds_dropped {
            &self.before_kinds
        } else {
            &self.survivors
        };
        let mut facets = Facets::default();
        let max_doc = reader.max_doc();
        if broad(kind_docs) {
            let marked = mark(kind_docs, max_doc);
            by_postings(reader, fields.kind, &marked, &mut facets.kind)?;
        } else if let Some(k) = &columns.kind {
            count_into(k, kind_docs, &mut facets.kind);
        }
        let docs = &self.survivors;
        if broad(docs) {
            let marked = mark(docs, max_doc);
            by_postings(reader, fields.top_category, &marked, &mut facets.category)?;
            by_postings(reader, fields.access, &marked, &mut facets.accessibility)?;
            let mut free = BTreeMap::new();
            by_postings(reader, fields.free, &marked, &mut free)?;
            facets.free = free.get(FREE_TERM).copied().unwrap_or(0);
        } else {
            if let Some(k) = &columns.top {
                count_into(k, docs, &mut facets.category);
            }
            if let Some(k) = &columns.access {
                count_into(k, docs, &mut facets.accessibility);
            }
            facets.free = docs
                .iter()
                .filter(|&&d| {
                    columns
                        .flags
                        .first(d)
                        .is_some_and(|f| f & columns.free_flag != 0)
                })
                .count() as u64;
        }
        Ok(facets)
    }
}

/// The term of the `free` field that marks a free record.
pub const FREE_TERM: &str = "yes";

/// What counting by document reads: the keyword columns and the flags.
pub struct FacetColumns {
    pub fields: FacetFields,
    pub kind: Option<Keywords>,
    pub top: Option<Keywords>,
    pub access: Option<Keywords>,
    pub flags: Column<u64>,
    /// The bit of `flags` that marks a free record.
    pub free_flag: u64,
}

fn mark(docs: &[DocId], max_doc: u32) -> BitSet {
    let mut set = BitSet::with_max_value(max_doc);
    for &d in docs {
        set.insert(d);
    }
    set
}

/// Counts, for each term of `field`, how many of its documents are marked.
fn by_postings(
    reader: &SegmentReader,
    field: Field,
    marked: &BitSet,
    into: &mut BTreeMap<String, u64>,
) -> tantivy::Result<()> {
    let inverted = reader.inverted_index(field)?;
    let mut terms = inverted.terms().stream()?;
    while terms.advance() {
        let mut postings =
            inverted.read_block_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)?;
        let mut n = 0u64;
        loop {
            let docs = postings.docs();
            if docs.is_empty() {
                break;
            }
            n += docs.iter().filter(|&&d| marked.contains(d)).count() as u64;
            postings.advance();
        }
        if n > 0 {
            let name = String::from_utf8_lossy(terms.key()).into_owned();
            *into.entry(name).or_default() += n;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use tantivy::{
        Index, TantivyDocument,
        schema::{FAST, STRING, Schema},
    };

    use super::*;

    /// Both ways of counting give the same facets, for narrow and broad survivor sets, with
    /// kinds dropped after counting or not, over several segments.
    #[test]
    fn counting_by_document_and_by_posting_list_agree() -> tantivy::Result<()> {
        let mut b = Schema::builder();
        let fields = FacetFields {
            kind: b.add_text_field("kind", STRING | FAST),
            top_category: b.add_text_field("top", STRING | FAST),
            access: b.add_text_field("access", STRING | FAST),
            free: b.add_text_field("free", STRING),
        };
        let flags = b.add_u64_field("flags", FAST);
        let index = Index::create_in_ram(b.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000)?;
        let kinds = ["service", "space", "organisation", "asset"];
        let tops = ["food", "health", "money", "housing", "learning"];
        let features = ["step_free_access", "hearing_loop", "accessible_toilet"];
        for i in 0..3000u64 {
            let mut d = TantivyDocument::default();
            d.add_text(fields.kind, kinds[(i % 4) as usize]);
            for t in 0..(i % 3) {
                d.add_text(fields.top_category, tops[((i / 3 + t) % 5) as usize]);
            }
            for (n, f) in features.iter().enumerate() {
                if (i >> n) & 1 == 1 {
                    d.add_text(fields.access, f);
                }
            }
            let free = i % 7 == 0;
            if free {
                d.add_text(fields.free, FREE_TERM);
            }
            d.add_u64(flags, u64::from(free));
            writer.add_document(d)?;
            if i % 1000 == 999 {
                writer.commit()?;
            }
        }
        writer.commit()?;
        let searcher = index.reader()?.searcher();
        for reader in searcher.segment_readers() {
            let columns = FacetColumns {
                fields,
                kind: Keywords::open(reader, "kind")?,
                top: Keywords::open(reader, "top")?,
                access: Keywords::open(reader, "access")?,
                flags: reader.fast_fields().u64("flags")?,
                free_flag: 1,
            };
            for step in [1, 2, 5, 40] {
                for kinds_dropped in [false, true] {
                    let mut f = SegmentFacets::new(kinds_dropped);
                    for doc in (0..reader.max_doc()).step_by(step) {
                        if kinds_dropped {
                            f.before_kinds.push(doc);
                        }
                        if !kinds_dropped || doc % 4 != 1 {
                            f.survivors.push(doc);
                        }
                    }
                    let by_doc = f.count_by(reader, &columns, &|_| false)?;
                    let by_postings = f.count_by(reader, &columns, &|_| true)?;
                    assert_eq!(
                        by_doc, by_postings,
                        "every {step}th, kinds dropped {kinds_dropped}"
                    );
                    let n = f.survivors.len() as u64;
                    assert_eq!(by_doc.category.values().sum::<u64>() > 0, n > 0);
                    assert!(by_doc.free > 0 && by_doc.free < n);
                    assert_eq!(f.count(reader, &columns)?, by_doc);
                }
            }
        }
        Ok(())
    }
}
