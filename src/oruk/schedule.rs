//! OpenStreetMap `opening_hours` → HSDS 3.0 schedules (RFC 5545-style weekly rules).
//!
//! Junction keeps hours in the OSM syntax; HSDS wants one schedule per (days, opening time,
//! closing time). The common weekly forms are translated (`Mo-Fr 09:00-17:00; Sa 10:00-12:00;
//! PH off`, `Mo,We 18:00-21:00`, `24/7`); anything richer (months, week numbers, comments) is
//! published as one schedule whose `description` is the OSM text, so nothing is invented.

/// One weekly opening, as HSDS describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Weekly {
    /// RFC 5545 day codes, e.g. `["MO", "TU"]`.
    pub days: Vec<&'static str>,
    /// `HH:MM`.
    pub opens_at: String,
    /// `HH:MM`.
    pub closes_at: String,
    /// The OSM rule this came from.
    pub rule: String,
}

/// What the hours say, in HSDS terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hours {
    Weekly {
        openings: Vec<Weekly>,
        /// `PH off`: closed on bank holidays.
        closed_on_bank_holidays: bool,
    },
    /// Hours this translation can't express as weekly rules: published as text.
    Text(String),
}

const DAYS: [(&str, &str); 7] = [
    ("Mo", "MO"),
    ("Tu", "TU"),
    ("We", "WE"),
    ("Th", "TH"),
    ("Fr", "FR"),
    ("Sa", "SA"),
    ("Su", "SU"),
];

fn day_index(osm: &str) -> Option<usize> {
    DAYS.iter().position(|(d, _)| *d == osm)
}

fn parse_days(spec: &str) -> Option<Vec<&'static str>> {
    let mut out = Vec::new();
    for part in spec.split(',') {
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (day_index(a)?, day_index(b)?);
                if a > b {
                    return None;
                }
                out.extend((a..=b).map(|i| DAYS[i].1));
            }
            None => out.push(DAYS[day_index(part)?].1),
        }
    }
    Some(out)
}

fn parse_time(t: &str) -> Option<String> {
    let (h, m) = t.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    // 24:00 is a valid OSM closing time; HSDS times are times of day.
    if h == 24 && m == 0 {
        return Some("23:59".into());
    }
    (h < 24 && m < 60).then(|| format!("{h:02}:{m:02}"))
}

/// Translates OSM hours; `None` for empty input.
pub fn from_osm(raw: &str) -> Option<Hours> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let text = || Some(Hours::Text(raw.to_owned()));
    if raw == "24/7" {
        return Some(Hours::Weekly {
            openings: vec![Weekly {
                days: DAYS.iter().map(|(_, d)| *d).collect(),
                opens_at: "00:00".into(),
                closes_at: "23:59".into(),
                rule: raw.to_owned(),
            }],
            closed_on_bank_holidays: false,
        });
    }
    let mut openings = Vec::new();
    let mut closed_on_bank_holidays = false;
    for rule in raw.split(';').map(str::trim).filter(|r| !r.is_empty()) {
        if rule == "PH off" || rule == "PH closed" {
            closed_on_bank_holidays = true;
            continue;
        }
        let Some((days, times)) = rule.split_once(' ') else {
            return text();
        };
        let Some(days) = parse_days(days) else {
            return text();
        };
        for range in times.trim().split(',') {
            let Some((open, close)) = range.trim().split_once('-') else {
                return text();
            };
            let (Some(opens_at), Some(closes_at)) = (parse_time(open), parse_time(close)) else {
                return text();
            };
            // Past midnight doesn't fit one day's opens/closes pair.
            if closes_at <= opens_at {
                return text();
            }
            openings.push(Weekly {
                days: days.clone(),
                opens_at,
                closes_at,
                rule: rule.to_owned(),
            });
        }
    }
    if openings.is_empty() {
        return text();
    }
    Some(Hours::Weekly {
        openings,
        closed_on_bank_holidays,
    })
}

/// Whether hours match an ORUK `day` / `start_time` / `end_time` filter: some opening on
/// `day` (when given) that opens at or after `start` and closes at or before `end`.
pub fn matches(
    hours: Option<&Hours>,
    day: Option<&str>,
    start: Option<&str>,
    end: Option<&str>,
) -> bool {
    let Some(Hours::Weekly { openings, .. }) = hours else {
        return false;
    };
    openings.iter().any(|o| {
        day.is_none_or(|d| o.days.contains(&d))
            && start.is_none_or(|s| o.opens_at.as_str() >= s)
            && end.is_none_or(|e| o.closes_at.as_str() <= e)
    })
}

/// Reads an ORUK `day` parameter (`MO`, `Monday`, `mon`) as an RFC 5545 code.
pub fn parse_day(raw: &str) -> Option<&'static str> {
    let lower = raw.trim().to_lowercase();
    const NAMES: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    NAMES
        .iter()
        .position(|n| lower.len() >= 2 && n.starts_with(&lower))
        .map(|i| DAYS[i].1)
}

/// Reads an ORUK time parameter (`09:00`, `9:00`, `09:00:00`) as `HH:MM`.
pub fn parse_time_param(raw: &str) -> Option<String> {
    let raw = raw.trim();
    let hm = match raw.matches(':').count() {
        1 => raw,
        2 => raw.rsplit_once(':')?.0,
        _ => return None,
    };
    parse_time(hm)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekly_hours_become_schedules() {
        let Some(Hours::Weekly {
            openings,
            closed_on_bank_holidays,
        }) = from_osm("Mo-Fr 09:00-17:00; Sa 10:00-12:00,13:00-16:00; PH off")
        else {
            panic!("not weekly");
        };
        assert!(closed_on_bank_holidays);
        assert_eq!(openings.len(), 3);
        assert_eq!(openings[0].days, vec!["MO", "TU", "WE", "TH", "FR"]);
        assert_eq!(openings[0].opens_at, "09:00");
        assert_eq!(openings[2].days, vec!["SA"]);
        assert_eq!(openings[2].closes_at, "16:00");
        let Some(Hours::Weekly { openings, .. }) = from_osm("Mo,We,Fr 10:00-14:00") else {
            panic!("not weekly");
        };
        assert_eq!(openings[0].days, vec!["MO", "WE", "FR"]);
    }

    #[test]
    fn what_cannot_be_translated_stays_text() {
        assert_eq!(
            from_osm("Fr 22:00-02:00"),
            Some(Hours::Text("Fr 22:00-02:00".into()))
        );
        assert_eq!(
            from_osm("Jan-Mar Mo 10:00-12:00"),
            Some(Hours::Text("Jan-Mar Mo 10:00-12:00".into()))
        );
        assert_eq!(from_osm("  "), None);
    }

    #[test]
    fn filters_match_day_and_times() {
        let h = from_osm("Mo-Fr 09:00-17:00; Sa 10:00-12:00");
        assert!(matches(h.as_ref(), Some("SA"), None, None));
        assert!(!matches(h.as_ref(), Some("SU"), None, None));
        assert!(matches(
            h.as_ref(),
            Some("MO"),
            Some("09:00"),
            Some("17:00")
        ));
        assert!(!matches(h.as_ref(), Some("MO"), Some("09:30"), None));
        assert!(matches(h.as_ref(), None, Some("09:30"), Some("12:00")));
        assert_eq!(parse_day("Tuesday"), Some("TU"));
        assert_eq!(parse_day("su"), Some("SU"));
        assert_eq!(parse_day("x"), None);
        assert_eq!(parse_time_param("9:05"), Some("09:05".into()));
        assert_eq!(parse_time_param("25:00"), None);
    }
}
