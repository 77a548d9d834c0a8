//! Opening hours for people: a week in words ("Monday: 9am to 5:30pm") and "Open now, closes
//! at 6pm" / "Closed now, opens Monday at 9am". Read from the OpenStreetMap syntax stored on
//! the record, in Europe/London time, with England & Wales bank holidays.

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, NaiveTime, TimeZone, Timelike, Utc};
use chrono_tz::Europe::London;
use opening_hours::{OpeningHours, RuleKind};

use crate::domain::hours;

const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// "9am", "5:30pm", "midnight", "midday".
pub fn clock(t: NaiveTime) -> String {
    let (h, m) = (t.hour(), t.minute());
    match (h, m) {
        (0, 0) => "midnight".to_owned(),
        (12, 0) => "midday".to_owned(),
        _ => {
            let suffix = if h < 12 { "am" } else { "pm" };
            let h12 = match h % 12 {
                0 => 12,
                x => x,
            };
            if m == 0 {
                format!("{h12}{suffix}")
            } else {
                format!("{h12}:{m:02}{suffix}")
            }
        }
    }
}

/// One line per weekday of the current week (bank holidays left aside), e.g.
/// ("Monday", "9am to 12:30pm and 1:30pm to 4:30pm"). `None` when the hours can't be read.
pub fn week(raw: &str, now: DateTime<Utc>) -> Option<Vec<(&'static str, String)>> {
    // Parsed without the holiday calendar: this is the ordinary week.
    let oh: OpeningHours = raw.parse().ok()?;
    let today = London.from_utc_datetime(&now.naive_utc()).date_naive();
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let mut lines = Vec::with_capacity(7);
    for (i, day) in DAYS.iter().enumerate() {
        let start: NaiveDateTime = (monday + Duration::days(i as i64)).and_time(NaiveTime::MIN);
        let end = start + Duration::days(1);
        let mut spans = Vec::new();
        let mut unknown = false;
        for r in oh.iter_range(start, end) {
            match r.kind {
                RuleKind::Open => {
                    let to = if r.range.end >= end {
                        "midnight".to_owned()
                    } else {
                        clock(r.range.end.time())
                    };
                    if r.range.start == start && r.range.end >= end {
                        spans.push("open all day".to_owned());
                    } else {
                        spans.push(format!("{} to {to}", clock(r.range.start.time())));
                    }
                }
                RuleKind::Unknown => unknown = true,
                RuleKind::Closed => {}
            }
        }
        let text = if spans.is_empty() {
            if unknown {
                "ask before you go".to_owned()
            } else {
                "closed".to_owned()
            }
        } else {
            spans.join(" and ")
        };
        lines.push((*day, text));
    }
    Some(lines)
}

/// The week with runs of days that have the same hours joined: ("Monday to Friday", "9am to
/// 5pm"), ("Every day", "open all day").
pub fn week_grouped(raw: &str, now: DateTime<Utc>) -> Option<Vec<(String, String)>> {
    let days = week(raw, now)?;
    if days.iter().all(|(_, t)| *t == days[0].1) {
        return Some(vec![("Every day".to_owned(), days[0].1.clone())]);
    }
    let mut out: Vec<(String, String)> = Vec::new();
    let mut i = 0;
    while i < days.len() {
        let mut j = i;
        while j + 1 < days.len() && days[j + 1].1 == days[i].1 {
            j += 1;
        }
        let label = match j - i {
            0 => days[i].0.to_owned(),
            1 => format!("{} and {}", days[i].0, days[j].0),
            _ => format!("{} to {}", days[i].0, days[j].0),
        };
        out.push((label, days[i].1.clone()));
        i = j + 1;
    }
    Some(out)
}

/// Whether the hours say anything about bank holidays, in words.
pub fn bank_holidays(raw: &str) -> Option<&'static str> {
    let lower = raw.to_lowercase();
    if lower.contains("ph off") || lower.contains("ph closed") {
        Some("Closed on bank holidays.")
    } else if lower.contains("ph") {
        Some("Different hours on bank holidays.")
    } else {
        None
    }
}

/// Open or closed now, and when that changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub open: bool,
    /// e.g. "Open now, closes at 6pm"; "Closed now, opens tomorrow at 9am".
    pub text: String,
}

/// The state at `now` and the next change, in words. `None` when unknown.
pub fn status(raw: &str, now: DateTime<Utc>) -> Option<Status> {
    let oh = hours::parse(raw)?;
    let local = London.from_utc_datetime(&now.naive_utc()).naive_local();
    if oh.is_unknown(local) {
        return None;
    }
    let open = oh.is_open(local);
    let next = oh.next_change(local);
    let when = |t: NaiveDateTime| -> String {
        let days = (t.date() - local.date()).num_days();
        let at = clock(t.time());
        match days {
            0 => format!("at {at}"),
            1 => format!("tomorrow at {at}"),
            2..=6 => format!(
                "{} at {at}",
                DAYS[t.date().weekday().num_days_from_monday() as usize]
            ),
            _ => format!("{} at {at}", t.date().format("%-d %B")),
        }
    };
    let text = match (open, next) {
        (true, Some(t)) => format!("Open now, closes {}", when(t)),
        (true, None) => "Open now".to_owned(),
        (false, Some(t)) => format!("Closed now, opens {}", when(t)),
        (false, None) => "Closed".to_owned(),
    };
    Some(Status { open, text })
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
    fn a_week_in_words() {
        // Wednesday 25 November 2026.
        let now = london(2026, 11, 25, 10, 0);
        let w = week("Mo-Th 09:00-12:30,13:30-16:30; Fr 09:00-12:30", now).unwrap();
        assert_eq!(
            w[0],
            ("Monday", "9am to 12:30pm and 1:30pm to 4:30pm".into())
        );
        assert_eq!(w[4], ("Friday", "9am to 12:30pm".into()));
        assert_eq!(w[6], ("Sunday", "closed".into()));
        let all = week("24/7", now).unwrap();
        assert_eq!(all[2].1, "open all day");
        assert_eq!(
            bank_holidays("Mo-Fr 09:00-17:00; PH off"),
            Some("Closed on bank holidays.")
        );
        let grouped = week_grouped("Mo-Fr 09:00-18:00; Sa 10:00-16:00", now).unwrap();
        assert_eq!(
            grouped,
            vec![
                ("Monday to Friday".to_owned(), "9am to 6pm".to_owned()),
                ("Saturday".to_owned(), "10am to 4pm".to_owned()),
                ("Sunday".to_owned(), "closed".to_owned()),
            ]
        );
        assert_eq!(week_grouped("24/7", now).unwrap()[0].0, "Every day");
    }

    #[test]
    fn open_now_and_opens_at() {
        let office = "Mo-Fr 09:00-17:00; PH off";
        let s = status(office, london(2026, 11, 25, 10, 0)).unwrap();
        assert!(s.open);
        assert_eq!(s.text, "Open now, closes at 5pm");
        let s = status(office, london(2026, 11, 25, 18, 0)).unwrap();
        assert_eq!(s.text, "Closed now, opens tomorrow at 9am");
        // Friday evening: next opening is Monday.
        let s = status(office, london(2026, 11, 27, 18, 0)).unwrap();
        assert_eq!(s.text, "Closed now, opens Monday at 9am");
        assert_eq!(status("not hours", london(2026, 11, 25, 10, 0)), None);
    }
}
