//! The periods of the Act and the Regulations, counted as the module notes of `acv` say.

use chrono::{Datelike, Days, NaiveDate};

/// The last day of `n` weeks beginning with `start`.
pub fn weeks_beginning_with(start: NaiveDate, n: u32) -> NaiveDate {
    start
        .checked_add_days(Days::new(7 * u64::from(n)))
        .and_then(|d| d.pred_opt())
        // Only for dates near the end of chrono's range, which validation keeps out.
        .unwrap_or(NaiveDate::MAX)
}

/// The last day of `n` months beginning with `start` (see the module notes for months that
/// lack the corresponding day).
pub fn months_beginning_with(start: NaiveDate, n: u32) -> NaiveDate {
    let total = start.year() * 12 + start.month0() as i32 + n as i32;
    let (year, month) = (total.div_euclid(12), total.rem_euclid(12) as u32 + 1);
    match NaiveDate::from_ymd_opt(year, month, start.day()) {
        // The day before the corresponding day.
        Some(corresponding) => corresponding.pred_opt(),
        // No corresponding day: the 1st of the next month stands for it, so the period ends
        // on the last day of this month.
        None => last_day_of_month(year, month),
    }
    .unwrap_or(NaiveDate::MAX)
}

fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

/// The last day the authority has to decide a nomination received on `received`: 8 weeks
/// beginning with that day (reg. 7).
pub fn decision_due(received: NaiveDate) -> NaiveDate {
    weeks_beginning_with(received, 8)
}

/// The last day land entered on the list on `entered` stays listed: 5 years beginning with
/// the date of entry (s. 87(3), reg. 2).
pub fn listing_ends(entered: NaiveDate) -> NaiveDate {
    months_beginning_with(entered, 5 * 12)
}

/// The last day an unsuccessful nomination decided on `decided` stays on the list of
/// unsuccessful nominations (s. 93): 5 years beginning with the decision.
pub fn unsuccessful_ends(decided: NaiveDate) -> NaiveDate {
    months_beginning_with(decided, 5 * 12)
}

/// The last day of the interim moratorium: 6 weeks beginning with the day the authority
/// received the owner's notice (s. 95(6)(a)).
pub fn interim_moratorium_ends(notice_received: NaiveDate) -> NaiveDate {
    weeks_beginning_with(notice_received, 6)
}

/// The last day of the full moratorium: 6 months beginning with the day the authority
/// received the owner's notice (s. 95(6)(b)).
pub fn full_moratorium_ends(notice_received: NaiveDate) -> NaiveDate {
    months_beginning_with(notice_received, 6)
}

/// The last day of the protected period: 18 months beginning with the day the authority
/// received the owner's notice (s. 95(6)(c)).
pub fn protected_period_ends(notice_received: NaiveDate) -> NaiveDate {
    months_beginning_with(notice_received, 18)
}
