//! When a record is due for review: an interval (six months unless configured per kind) after
//! it was last checked ("still correct", or its creation, which counts as a check), or after it
//! was created if it never was. An edit alone does not move the date: `last_verified_at` is
//! kept by the store on update. A record overdue for longer than the grace period is **stale**:
//! it leaves default search until someone checks it. Taxonomy terms are not reviewed.

use chrono::{DateTime, Months, Utc};

use super::RecordKind;

/// Months between reviews by default.
pub const REVIEW_INTERVAL_MONTHS: u32 = 6;

/// Months a record may be overdue before it leaves default search, by default.
pub const GRACE_MONTHS: u32 = 3;

/// How often each kind is reviewed, and for how long an overdue record stays in search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewPolicy {
    /// Months between reviews, per kind (`RecordKind::ALL` order); 0 for kinds not reviewed.
    intervals: [u32; 6],
    pub grace_months: u32,
}

impl Default for ReviewPolicy {
    fn default() -> Self {
        let mut intervals = [REVIEW_INTERVAL_MONTHS; 6];
        intervals[index(RecordKind::TaxonomyTerm)] = 0;
        ReviewPolicy {
            intervals,
            grace_months: GRACE_MONTHS,
        }
    }
}

fn index(kind: RecordKind) -> usize {
    RecordKind::ALL
        .iter()
        .position(|k| *k == kind)
        .unwrap_or_default()
}

/// Where a record stands against its review date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Checked within its interval.
    Fresh,
    /// Past its review date, within the grace period: shown, flagged and ranked lower.
    Overdue,
    /// Overdue for longer than the grace period: left out of default search.
    Stale,
}

impl ReviewPolicy {
    /// The policy with `kind` reviewed every `months` (at least 1).
    pub fn with_interval(mut self, kind: RecordKind, months: u32) -> Self {
        if kind != RecordKind::TaxonomyTerm {
            self.intervals[index(kind)] = months.max(1);
        }
        self
    }

    /// Months between reviews of `kind`; `None` for kinds that are not reviewed.
    pub fn interval(&self, kind: RecordKind) -> Option<u32> {
        Some(self.intervals[index(kind)]).filter(|m| *m > 0)
    }

    /// The date a record of `kind` checked at `checked` is due for review.
    pub fn due(&self, kind: RecordKind, checked: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let months = self.interval(kind)?;
        Some(
            checked
                .checked_add_months(Months::new(months))
                .unwrap_or(checked),
        )
    }

    /// Records of `kind` checked at or before this are overdue at `now`. (Subtracting from
    /// `now` rather than adding to each check gives one cut-off for the search index to compare
    /// with; the two differ by a day at most at the ends of months.)
    pub fn overdue_before(&self, kind: RecordKind, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let months = self.interval(kind)?;
        Some(now.checked_sub_months(Months::new(months)).unwrap_or(now))
    }

    /// Records of `kind` checked at or before this are stale at `now`.
    pub fn stale_before(&self, kind: RecordKind, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let months = self.interval(kind)?.saturating_add(self.grace_months);
        Some(now.checked_sub_months(Months::new(months)).unwrap_or(now))
    }

    /// Where a record of `kind` last checked at `checked` stands at `now`.
    pub fn standing(
        &self,
        kind: RecordKind,
        checked: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Standing {
        match (self.stale_before(kind, now), self.overdue_before(kind, now)) {
            (Some(stale), _) if checked <= stale => Standing::Stale,
            (_, Some(overdue)) if checked <= overdue => Standing::Overdue,
            _ => Standing::Fresh,
        }
    }
}

/// Whole months from `from` to `now` (0 when `now` is earlier), as "last checked N months ago"
/// says it.
pub fn months_since(from: DateTime<Utc>, now: DateTime<Utc>) -> u32 {
    let mut months = 0;
    while months < 12 * 200
        && from
            .checked_add_months(Months::new(months + 1))
            .is_some_and(|d| d <= now)
    {
        months += 1;
    }
    months
}

/// The date from which a review is due.
pub fn review_due(
    last_verified_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
) -> DateTime<Utc> {
    let from = last_verified_at.unwrap_or(created_at);
    from.checked_add_months(Months::new(REVIEW_INTERVAL_MONTHS))
        .unwrap_or(from)
}

/// Whether a review is due at `now`.
pub fn is_review_due(
    last_verified_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    review_due(last_verified_at, created_at) <= now
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn overdue_then_stale_by_kind() {
        let policy = ReviewPolicy::default().with_interval(RecordKind::Asset, 12);
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 9, 0, 0).unwrap();
        let months_ago = |m: u32| now.checked_sub_months(Months::new(m)).unwrap();
        let s = RecordKind::Service;
        assert_eq!(policy.standing(s, months_ago(5), now), Standing::Fresh);
        assert_eq!(policy.standing(s, months_ago(7), now), Standing::Overdue);
        assert_eq!(policy.standing(s, months_ago(9), now), Standing::Stale);
        assert_eq!(
            policy.standing(RecordKind::Asset, months_ago(9), now),
            Standing::Fresh
        );
        assert_eq!(
            policy.standing(RecordKind::Asset, months_ago(13), now),
            Standing::Overdue
        );
        assert_eq!(
            policy.standing(RecordKind::TaxonomyTerm, months_ago(100), now),
            Standing::Fresh
        );
        assert_eq!(policy.interval(RecordKind::TaxonomyTerm), None);
        assert_eq!(months_since(months_ago(8), now), 8);
        assert_eq!(
            months_since(months_ago(8) + chrono::Duration::days(1), now),
            7
        );
        assert_eq!(months_since(now, months_ago(1)), 0);
    }

    #[test]
    fn due_six_months_after_the_last_check_or_creation() {
        let created = Utc.with_ymd_and_hms(2026, 1, 10, 9, 0, 0).unwrap();
        let checked = Utc.with_ymd_and_hms(2026, 3, 31, 9, 0, 0).unwrap();
        assert_eq!(
            review_due(None, created),
            Utc.with_ymd_and_hms(2026, 7, 10, 9, 0, 0).unwrap()
        );
        // 31 March + 6 months is the last day of September.
        assert_eq!(
            review_due(Some(checked), created),
            Utc.with_ymd_and_hms(2026, 9, 30, 9, 0, 0).unwrap()
        );
        let june = Utc.with_ymd_and_hms(2026, 6, 1, 0, 0, 0).unwrap();
        assert!(!is_review_due(None, created, june));
        assert!(is_review_due(
            None,
            created,
            june + chrono::Duration::days(60)
        ));
    }
}
