//! Review freshness at query time. A record whose last check (the `verified` fast column: its
//! last "still correct", or its creation) is older than its kind's review interval is
//! **overdue**: its text score is multiplied by [`OVERDUE_FACTOR`], so it ranks below an equally
//! relevant record that has been checked. One overdue for longer than the grace period as well
//! is **stale**: left out of the search (and its total and facets) unless `include_stale`.
//!
//! Both are decided per match from two fast columns (kind and verified) against cut-offs
//! worked out once per search from the clock and the review policy, so nothing is stored that
//! goes out of date as time passes. The pruned plain-text path (`top`) applies the same factor
//! to the scores it keeps and returns as its threshold: a factor is never above 1, so a block
//! skipped because its best raw score can't beat the threshold can't beat it demoted either,
//! and the pruned page stays exactly the page of ranking every match.

use chrono::{DateTime, Utc};
use tantivy::{
    DocId,
    columnar::{Column, StrColumn},
};

use super::segments::SegmentColumns;
use crate::domain::{RecordKind, freshness::ReviewPolicy};

/// What an overdue record's text score is multiplied by.
pub const OVERDUE_FACTOR: f32 = 0.5;

/// The cut-offs of one search: per kind, records checked at or before `overdue` (seconds
/// since 1970) are overdue, at or before `stale` stale.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Freshness {
    cutoffs: Vec<(String, i64, i64)>,
    /// Keep stale records (staff looking for what needs checking).
    pub include_stale: bool,
}

impl Freshness {
    /// The cut-offs at `now` under `policy`.
    pub fn at(policy: &ReviewPolicy, now: DateTime<Utc>, include_stale: bool) -> Freshness {
        let cutoffs = RecordKind::ALL
            .into_iter()
            .filter_map(|kind| {
                Some((
                    kind.as_str().to_owned(),
                    policy.overdue_before(kind, now)?.timestamp(),
                    policy.stale_before(kind, now)?.timestamp(),
                ))
            })
            .collect();
        Freshness {
            cutoffs,
            include_stale,
        }
    }

    /// The cut-offs by the kind term ordinals of one segment.
    pub(super) fn for_segment(&self, cols: &SegmentColumns) -> SegmentFreshness {
        let (kind, by_ord) = match &cols.kind {
            Some(k) => (
                Some(k.column.clone()),
                k.names
                    .iter()
                    .map(|name| {
                        self.cutoffs
                            .iter()
                            .find(|(kind, _, _)| kind == name)
                            .map_or((i64::MIN, i64::MIN), |(_, o, s)| (*o, *s))
                    })
                    .collect(),
            ),
            None => (None, Vec::new()),
        };
        SegmentFreshness {
            kind,
            by_ord,
            verified: cols.verified.clone(),
            include_stale: self.include_stale,
        }
    }
}

/// One segment's view of a search's cut-offs.
pub(super) struct SegmentFreshness {
    kind: Option<StrColumn>,
    by_ord: Vec<(i64, i64)>,
    verified: Column<i64>,
    include_stale: bool,
}

impl SegmentFreshness {
    /// Records of kind term ordinal `ord` checked at or before this are left out (stale);
    /// `None` when none are (the kind has no review, or stale records are kept).
    pub fn stale_before(&self, ord: usize) -> Option<i64> {
        if self.include_stale {
            return None;
        }
        self.by_ord.get(ord).map(|&(_, stale)| stale)
    }

    /// `None` when the record is left out (stale); otherwise what its score is multiplied by.
    pub fn factor(&self, doc: DocId) -> Option<f32> {
        let Some(ord) = self.kind.as_ref().and_then(|k| k.ords().first(doc)) else {
            return Some(1.0);
        };
        let Some(&(overdue, stale)) = self.by_ord.get(ord as usize) else {
            return Some(1.0);
        };
        let checked = self.verified.first(doc).unwrap_or(0);
        if checked <= stale {
            self.include_stale.then_some(OVERDUE_FACTOR)
        } else if checked <= overdue {
            Some(OVERDUE_FACTOR)
        } else {
            Some(1.0)
        }
    }
}
