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

fn field<'a>(s: &'a serde_json::Value, key: &str) -> Option<&'a str> {
    s.get(key).and_then(|v| v.as_str()).map(str::trim)
}

/// HSDS schedules → OSM hours, the way back for mirrors: weekly schedules with `byday`,
/// `opens_at` and `closes_at` become rules (`MO,TU` 09:00–17:00 → `Mo,Tu 09:00-17:00`), with
/// the times of the same days in one rule, and a note about bank holidays becomes `PH off`.
/// A schedule given only as a description (hours that weren't weekly) is taken as OSM text.
/// `None` when no schedule says when.
pub fn to_osm(schedules: &[serde_json::Value]) -> Option<String> {
    let mut rules: Vec<(String, Vec<String>)> = Vec::new();
    let mut closed_on_bank_holidays = false;
    for s in schedules {
        closed_on_bank_holidays |=
            field(s, "notes").is_some_and(|n| n.to_lowercase().contains("bank holiday"));
        let weekly = field(s, "freq").is_none_or(|f| f.eq_ignore_ascii_case("weekly"));
        let (Some(byday), Some(opens), Some(closes)) = (
            field(s, "byday"),
            field(s, "opens_at"),
            field(s, "closes_at"),
        ) else {
            if let Some(text) = field(s, "description").filter(|_| field(s, "byday").is_none())
                && rules.is_empty()
                && schedules.len() == 1
            {
                return Some(text.to_owned());
            }
            continue;
        };
        let days: Option<Vec<usize>> = byday
            .split(',')
            .map(|d| {
                let d = d.trim().to_uppercase();
                DAYS.iter().position(|(_, code)| *code == d)
            })
            .collect();
        let (Some(days), Some(opens), Some(closes), true) = (
            days,
            parse_time_param(opens),
            parse_time_param(closes),
            weekly,
        ) else {
            continue;
        };
        let days = osm_days(&days);
        let range = format!("{opens}-{closes}");
        match rules.iter_mut().find(|(d, _)| *d == days) {
            Some((_, ranges)) => ranges.push(range),
            None => rules.push((days, vec![range])),
        }
    }
    if rules.is_empty() {
        return None;
    }
    let mut out: Vec<String> = rules
        .into_iter()
        .map(|(days, ranges)| format!("{days} {}", ranges.join(",")))
        .collect();
    if closed_on_bank_holidays {
        out.push("PH off".into());
    }
    Some(out.join("; "))
}

/// Day indexes as OSM writes them: runs of three or more as ranges (`Mo-Fr`), others listed.
fn osm_days(days: &[usize]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < days.len() {
        let mut j = i;
        while j + 1 < days.len() && days[j + 1] == days[j] + 1 {
            j += 1;
        }
        if j - i >= 2 {
            parts.push(format!("{}-{}", DAYS[days[i]].0, DAYS[days[j]].0));
        } else {
            parts.extend(days[i..=j].iter().map(|d| DAYS[*d].0.to_owned()));
        }
        i = j + 1;
    }
    parts.join(",")
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
    fn schedules_become_osm_hours_again() {
        use serde_json::json;
        let schedules = vec![
            json!({"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "09:00", "closes_at": "12:00", "notes": "Closed on bank holidays"}),
            json!({"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "13:00", "closes_at": "17:00"}),
            json!({"freq": "WEEKLY", "byday": "SA", "opens_at": "10:00:00", "closes_at": "12:00"}),
        ];
        let osm = to_osm(&schedules).unwrap();
        assert_eq!(osm, "Mo-Fr 09:00-12:00,13:00-17:00; Sa 10:00-12:00; PH off");
        assert_eq!(osm_days(&[0, 2, 4, 5]), "Mo,We,Fr,Sa");
        assert!(matches!(from_osm(&osm), Some(Hours::Weekly { .. })));
        let text = vec![json!({"description": "Jan-Mar Mo 10:00-12:00"})];
        assert_eq!(to_osm(&text).as_deref(), Some("Jan-Mar Mo 10:00-12:00"));
        assert_eq!(
            to_osm(&[json!({"description": "Ring first"}), json!({})]),
            None
        );
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
