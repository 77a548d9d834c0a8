//! Opening hours: OpenStreetMap `opening_hours` syntax evaluated in Europe/London, with
//! England & Wales bank holidays standing for `PH`.

use std::sync::{Arc, LazyLock};

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};
use chrono_tz::Europe::London;
use compact_calendar::CompactCalendar;
use opening_hours::{Context, ContextHolidays, OpeningHours};

/// Years for which bank holidays are computed.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Easter Sunday (Gregorian; the anonymous "Meeus/Jones/Butcher" algorithm).
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

fn first_monday(year: i32, month: u32) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 1)
}

fn last_monday(year: i32, month: u32) -> Option<NaiveDate> {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    let mut day = next - Duration::days(1);
    while day.weekday() != Weekday::Mon {
        day -= Duration::days(1);
    }
    Some(day)
}

/// Moves a holiday that falls at a weekend to the next free weekday ("substitute day").
fn substitute(date: NaiveDate, taken: &[NaiveDate]) -> NaiveDate {
    let mut d = date;
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) || taken.contains(&d) {
        d += Duration::days(1);
    }
    d
}

/// The bank holidays of England and Wales in `year`, by the standing rules plus the one-off
/// days proclaimed since 2000.
pub fn bank_holidays(year: i32) -> Vec<NaiveDate> {
    let mut days: Vec<NaiveDate> = Vec::new();
    if let Some(d) = NaiveDate::from_ymd_opt(year, 1, 1) {
        days.push(substitute(d, &days));
    }
    if let Some(easter) = easter_sunday(year) {
        days.push(easter - Duration::days(2));
        days.push(easter + Duration::days(1));
    }
    // Early May: moved to Friday 8 May for VE Day in 2020.
    match year {
        2020 => days.extend(NaiveDate::from_ymd_opt(2020, 5, 8)),
        _ => days.extend(first_monday(year, 5)),
    }
    // Spring: moved for the jubilees of 2002, 2012 and 2022.
    match year {
        2002 => days.extend(NaiveDate::from_ymd_opt(2002, 6, 4)),
        2012 => days.extend(NaiveDate::from_ymd_opt(2012, 6, 4)),
        2022 => days.extend(NaiveDate::from_ymd_opt(2022, 6, 2)),
        _ => days.extend(last_monday(year, 5)),
    }
    days.extend(last_monday(year, 8));
    if let (Some(christmas), Some(boxing)) = (
        NaiveDate::from_ymd_opt(year, 12, 25),
        NaiveDate::from_ymd_opt(year, 12, 26),
    ) {
        let c = substitute(christmas, &days);
        days.push(c);
        let b = substitute(boxing, &days);
        days.push(b);
    }
    // One-off days.
    let one_off: &[(i32, u32, u32)] = &[
        (2002, 6, 3),
        (2011, 4, 29),
        (2012, 6, 5),
        (2022, 6, 3),
        (2022, 9, 19),
        (2023, 5, 8),
    ];
    for (y, m, d) in one_off {
        if *y == year {
            days.extend(NaiveDate::from_ymd_opt(*y, *m, *d));
        }
    }
    days.sort();
    days.dedup();
    days
}

static HOLIDAYS: LazyLock<ContextHolidays> = LazyLock::new(|| {
    let mut public = CompactCalendar::default();
    for year in YEARS {
        for day in bank_holidays(year) {
            public.insert(day);
        }
    }
    ContextHolidays::new(Arc::new(public), Arc::new(CompactCalendar::default()))
});

/// Parsed opening hours with England & Wales bank holidays.
pub fn parse(raw: &str) -> Option<OpeningHours> {
    let oh: OpeningHours = raw.parse().ok()?;
    Some(oh.with_context(Context::default().with_holidays(HOLIDAYS.clone())))
}

/// Whether `raw` hours are open at `at`, in London local time. `None` when the hours can't be
/// read or say "unknown" for that moment.
pub fn is_open_at(raw: &str, at: DateTime<Utc>) -> Option<bool> {
    let oh = parse(raw)?;
    let local = London.from_utc_datetime(&at.naive_utc()).naive_local();
    if oh.is_unknown(local) {
        return None;
    }
    Some(oh.is_open(local))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn london(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        London
            .with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn bank_holidays_follow_the_rules() {
        let h2026 = bank_holidays(2026);
        let expect: Vec<NaiveDate> = [
            (1, 1),
            (4, 3),
            (4, 6),
            (5, 4),
            (5, 25),
            (8, 31),
            (12, 25),
            (12, 28),
        ]
        .iter()
        .map(|(m, d)| NaiveDate::from_ymd_opt(2026, *m, *d).unwrap())
        .collect();
        assert_eq!(h2026, expect);
        // 2022: Christmas on a Sunday → Tuesday 27th; jubilee and state funeral.
        let h2022 = bank_holidays(2022);
        assert!(h2022.contains(&NaiveDate::from_ymd_opt(2022, 12, 27).unwrap()));
        assert!(h2022.contains(&NaiveDate::from_ymd_opt(2022, 6, 3).unwrap()));
        assert!(h2022.contains(&NaiveDate::from_ymd_opt(2022, 9, 19).unwrap()));
        assert_eq!(easter_sunday(2025), NaiveDate::from_ymd_opt(2025, 4, 20));
    }

    #[test]
    fn open_now_weekday_weekend_bank_holiday_and_overnight() {
        let office = "Mo-Fr 09:00-17:00; PH off";
        // Wednesday 25 November 2026, 10:00 and 18:00 London time.
        assert_eq!(is_open_at(office, london(2026, 11, 25, 10, 0)), Some(true));
        assert_eq!(is_open_at(office, london(2026, 11, 25, 18, 0)), Some(false));
        // Saturday.
        assert_eq!(is_open_at(office, london(2026, 11, 28, 10, 0)), Some(false));
        // Easter Monday 2026 is a weekday but a bank holiday.
        assert_eq!(is_open_at(office, london(2026, 4, 6, 10, 0)), Some(false));
        // Overnight hours run past midnight.
        let night = "Fr 22:00-02:00";
        assert_eq!(is_open_at(night, london(2026, 11, 27, 23, 30)), Some(true));
        assert_eq!(is_open_at(night, london(2026, 11, 28, 1, 30)), Some(true));
        assert_eq!(is_open_at(night, london(2026, 11, 28, 2, 30)), Some(false));
        // Summer time: 09:30 BST is 08:30 UTC.
        assert_eq!(is_open_at(office, london(2026, 7, 1, 9, 30)), Some(true));
        assert_eq!(is_open_at("24/7", london(2026, 12, 25, 3, 0)), Some(true));
        assert_eq!(is_open_at("not hours", london(2026, 12, 25, 3, 0)), None);
    }
}
