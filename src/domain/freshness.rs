//! When a record is due for review: six months after it was last checked ("still correct",
//! or its creation, which counts as a check), or after it was created if it never was. An edit
//! alone does not move the date: `last_verified_at` is kept by the store on update.

use chrono::{DateTime, Months, Utc};

/// Months between reviews. (Per-kind intervals come with the review queue.)
pub const REVIEW_INTERVAL_MONTHS: u32 = 6;

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
