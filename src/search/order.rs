//! How survivors of a search are ordered, and what is kept of each: relevance (text score
//! blended with distance near a point), distance, name or last check, ties broken on the
//! document address so pages never repeat or skip a record.

use std::cmp::Ordering;

use tantivy::{DocAddress, Score};

use super::query::{DISTANCE_HALF_SCORE_M, Sort};

/// How survivors are ordered: the sort asked for, resolved (no text → by distance or name).
#[derive(Debug, Clone, Copy)]
pub struct Order {
    pub sort: Sort,
    pub has_text: bool,
    pub near: bool,
}

impl Order {
    /// Relevance near a point: text score blended with distance.
    pub fn rank(&self, s: &Survivor) -> f64 {
        let score = if self.has_text {
            f64::from(s.score)
        } else {
            1.0
        };
        match s.distance_m {
            Some(d) => score / (1.0 + d / DISTANCE_HALF_SCORE_M),
            // Remote records have no distance: they rank by text alone, below local ties.
            None if self.near => score / 2.0,
            None => score,
        }
    }

    /// Best first. Ties break on the document address: stable for one index snapshot, so
    /// pages of the same search never repeat or skip a record.
    pub fn cmp(&self, a: &Survivor, b: &Survivor) -> Ordering {
        let primary = match self.sort {
            Sort::Relevance => self.rank(b).total_cmp(&self.rank(a)),
            Sort::Distance => match (a.distance_m, b.distance_m) {
                (Some(x), Some(y)) => x.total_cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            }
            .then_with(|| b.score.total_cmp(&a.score)),
            // Within a segment term ordinals sort as the names do; across segments the kept
            // survivors carry their names.
            Sort::Name => match (&a.name, &b.name) {
                (Some(x), Some(y)) => x.cmp(y),
                _ => a.name_ord.cmp(&b.name_ord),
            },
            Sort::RecentlyVerified => b.verified.cmp(&a.verified),
        };
        primary.then_with(|| a.address.cmp(&b.address))
    }

    /// Keeps the best `keep` of `survivors`, in no particular order.
    pub fn keep_best(&self, survivors: &mut Vec<Survivor>, keep: usize) {
        if survivors.len() > keep {
            if keep == 0 {
                survivors.clear();
            } else {
                survivors.select_nth_unstable_by(keep - 1, |a, b| self.cmp(a, b));
                survivors.truncate(keep);
            }
        }
    }
}

/// A match that passed every check.
#[derive(Debug, Clone)]
pub struct Survivor {
    pub score: Score,
    pub address: DocAddress,
    pub distance_m: Option<f64>,
    pub covers_area: bool,
    /// Ordinal of the normalised name in its segment, when sorting by name.
    pub name_ord: u64,
    /// The normalised name, filled in for the survivors a segment keeps.
    pub name: Option<String>,
    pub verified: i64,
}
