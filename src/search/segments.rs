//! What the collector reads of each segment — its fast columns and the names of its keyword
//! terms — opened once per segment and kept while the segment lives.
//!
//! Opening a column looks its name up in the segment's column directory and reads the
//! column's header; for a keyword column it also decodes the dictionary. Segments never change
//! once written, so doing that on every search (six columns and three dictionaries in each of a
//! dozen segments of a large index) was pure overhead: about a millisecond per search at a
//! million records. Entries for segments merged away are dropped when the reader reloads.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use tantivy::{
    SegmentReader,
    columnar::{Column, StrColumn},
    index::SegmentId,
    schema::Field,
};

use super::dense::TermBits;
use super::fast::{FLAGS, HOURS_KEY, MAX_AGE, MIN_AGE, POINT, TOP_CATEGORY, VERIFIED};
use super::tally::TallyCache;

/// A keyword column read by term ordinal, with its terms' names by ordinal.
#[derive(Clone)]
pub struct Keywords {
    pub column: StrColumn,
    pub names: Arc<Vec<String>>,
}

impl Keywords {
    pub fn open(reader: &SegmentReader, field: &str) -> tantivy::Result<Option<Keywords>> {
        let Some(column) = reader.fast_fields().str(field)? else {
            return Ok(None);
        };
        let ords: Vec<u64> = (0..column.num_terms() as u64).collect();
        let mut names = Vec::with_capacity(ords.len());
        column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
            names.push(String::from_utf8_lossy(bytes).into_owned());
        })?;
        Ok(Some(Keywords {
            column,
            names: Arc::new(names),
        }))
    }
}

/// One segment's columns. Cloning shares them.
#[derive(Clone)]
pub struct SegmentColumns {
    pub flags: Column<u64>,
    pub point: Column<u64>,
    pub min_age: Column<i64>,
    pub max_age: Column<i64>,
    pub verified: Column<i64>,
    pub hours_key: Column<u64>,
    /// Place keys, ascending (see `spatial`).
    pub place: Column<u64>,
    /// Normalised names, for sorting by name (term ordinals sort as the names do).
    pub name: Option<StrColumn>,
    pub kind: Option<Keywords>,
    pub top: Option<Keywords>,
    pub access: Option<Keywords>,
}

/// The fields whose keyword columns are read by name (the others have fixed names).
#[derive(Clone, Copy)]
pub struct ColumnFields {
    pub kind: Field,
    pub access: Field,
    pub name_exact: Field,
}

impl SegmentColumns {
    fn open(reader: &SegmentReader, fields: ColumnFields) -> tantivy::Result<SegmentColumns> {
        let ff = reader.fast_fields();
        let name_of = |f: Field| reader.schema().get_field_name(f).to_owned();
        Ok(SegmentColumns {
            flags: ff.u64(FLAGS)?,
            point: ff.u64(POINT)?,
            min_age: ff.i64(MIN_AGE)?,
            max_age: ff.i64(MAX_AGE)?,
            verified: ff.i64(VERIFIED)?,
            hours_key: ff.u64(HOURS_KEY)?,
            place: ff.u64(super::spatial::KEY)?,
            name: ff.str(&name_of(fields.name_exact))?,
            kind: Keywords::open(reader, &name_of(fields.kind))?,
            top: Keywords::open(reader, TOP_CATEGORY)?,
            access: Keywords::open(reader, &name_of(fields.access))?,
        })
    }
}

/// Every live segment's columns, opened on first use. Cheap to clone (shared).
#[derive(Clone)]
pub struct SegmentCache {
    fields: ColumnFields,
    segments: Arc<Mutex<HashMap<SegmentId, Arc<SegmentColumns>>>>,
    /// Common words' bitsets (see `dense`), kept and dropped with their segments.
    pub bits: TermBits,
    /// What counting plain text keeps (see `tally`).
    pub tally: TallyCache,
}

impl SegmentCache {
    pub fn new(fields: ColumnFields) -> SegmentCache {
        SegmentCache {
            fields,
            segments: Arc::default(),
            bits: TermBits::default(),
            tally: TallyCache::default(),
        }
    }

    /// The columns of `reader`'s segment, opening them if this is the first search to ask.
    pub fn get(&self, reader: &SegmentReader) -> tantivy::Result<Arc<SegmentColumns>> {
        let id = reader.segment_id();
        if let Some(cols) = self.segments.lock().ok().and_then(|m| m.get(&id).cloned()) {
            return Ok(cols);
        }
        // Opened outside the lock: two searches may both open a new segment; one copy stays.
        let cols = Arc::new(SegmentColumns::open(reader, self.fields)?);
        if let Ok(mut m) = self.segments.lock() {
            m.entry(id).or_insert_with(|| Arc::clone(&cols));
        }
        Ok(cols)
    }

    /// Forgets segments that are no longer in the index.
    pub fn retain(&self, live: &[SegmentId]) {
        if let Ok(mut m) = self.segments.lock() {
            m.retain(|id, _| live.contains(id));
        }
        self.bits.retain(live);
        self.tally.retain(live);
    }
}
