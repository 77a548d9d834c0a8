//! The ORUK API's query parameters, read and checked (every mistake is a 400 naming the
//! parameter), and its page envelope.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::error::{AppError, Result};
use crate::oruk::schedule;
use crate::store::oruk::ServiceFilter;

/// Default and largest page sizes.
const DEFAULT_PER_PAGE: u64 = 50;
const MAX_PER_PAGE: u64 = 1000;

pub(super) fn bad(field: &str, message: impl Into<String>) -> AppError {
    AppError::bad_request("invalid_parameter", message, Some(field))
}

/// The query string as name → value (the last value wins).
pub(super) struct Params(HashMap<String, String>);

impl Params {
    pub(super) fn read(raw: Option<String>) -> Params {
        Params(
            form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
                .map(|(k, v)| (k.into_owned(), v.trim().to_owned()))
                .filter(|(_, v)| !v.is_empty())
                .collect(),
        )
    }

    pub(super) fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    pub(super) fn uuid(&self, name: &str) -> Result<Option<Uuid>> {
        self.get(name)
            .map(|v| {
                v.parse()
                    .map_err(|_| bad(name, format!("{name} must be a UUID (got '{v}')")))
            })
            .transpose()
    }

    pub(super) fn number<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>> {
        self.get(name)
            .map(|v| {
                v.parse()
                    .map_err(|_| bad(name, format!("{name} must be a number (got '{v}')")))
            })
            .transpose()
    }

    pub(super) fn flag(&self, name: &str) -> Result<bool> {
        match self.get(name) {
            None | Some("false") | Some("0") => Ok(false),
            Some("true") | Some("1") => Ok(true),
            Some(v) => Err(bad(
                name,
                format!("{name} must be true or false (got '{v}')"),
            )),
        }
    }

    pub(super) fn paging(&self) -> Result<(u64, u64)> {
        let page = self.number::<u64>("page")?.unwrap_or(1);
        if page == 0 {
            return Err(bad("page", "page numbers start at 1"));
        }
        let per_page = self.number::<u64>("per_page")?.unwrap_or(DEFAULT_PER_PAGE);
        if !(1..=MAX_PER_PAGE).contains(&per_page) {
            return Err(bad(
                "per_page",
                format!("per_page must be from 1 to {MAX_PER_PAGE}"),
            ));
        }
        Ok((page, per_page))
    }

    pub(super) fn ndjson(&self) -> Result<bool> {
        match self.get("format") {
            None | Some("json") => Ok(false),
            Some("ndjson") => Ok(true),
            Some(v) => Err(bad(
                "format",
                format!("format must be json or ndjson (got '{v}')"),
            )),
        }
    }
}

/// One ORUK page around `contents`.
pub(super) fn page(contents: Vec<Value>, total: usize, page: u64, per_page: u64) -> Value {
    let total = total as u64;
    let total_pages = total.div_ceil(per_page).max(1);
    json!({
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": per_page,
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": contents.is_empty(),
        "contents": contents,
    })
}

pub(super) fn page_slice<T: Clone>(all: &[T], page: u64, per_page: u64) -> Vec<T> {
    let start = ((page - 1) * per_page) as usize;
    all.iter()
        .skip(start)
        .take(per_page as usize)
        .cloned()
        .collect()
}

/// The service filters of `/services` and `/service_at_locations`, checked.
pub(super) struct ServiceParams {
    pub(super) filter: ServiceFilter,
    pub(super) text: Option<String>,
    pub(super) day: Option<&'static str>,
    pub(super) start_time: Option<String>,
    pub(super) end_time: Option<String>,
}

impl ServiceParams {
    pub(super) fn read(p: &Params) -> Result<ServiceParams> {
        let modified_after = p
            .get("modified_after")
            .map(|v| {
                DateTime::parse_from_rfc3339(v)
                    .map(|d| d.with_timezone(&Utc))
                    .or_else(|_| {
                        chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
                            .map(|d| d.and_time(chrono::NaiveTime::MIN).and_utc())
                    })
                    .map_err(|_| {
                        bad(
                            "modified_after",
                            format!(
                                "modified_after must be an RFC 3339 date-time or a date (got '{v}')"
                            ),
                        )
                    })
            })
            .transpose()?;
        let time = |name: &str| -> Result<Option<String>> {
            p.get(name)
                .map(|v| {
                    schedule::parse_time_param(v).ok_or_else(|| {
                        bad(
                            name,
                            format!("{name} must be a time like 09:30 (got '{v}')"),
                        )
                    })
                })
                .transpose()
        };
        let day = p
            .get("day")
            .map(|v| {
                schedule::parse_day(v).ok_or_else(|| {
                    bad(
                        "day",
                        format!("day must be a day of the week like MO or Monday (got '{v}')"),
                    )
                })
            })
            .transpose()?;
        let age = |name: &str| -> Result<Option<i32>> {
            Ok(p.number::<f64>(name)?.map(|a| a.floor() as i32))
        };
        Ok(ServiceParams {
            filter: ServiceFilter {
                ids: None,
                organisation_id: p.uuid("organization_id")?,
                taxonomy_term_id: p.uuid("taxonomy_term_id")?,
                taxonomy_id: p.uuid("taxonomy_id")?,
                minimum_age: age("minimum_age")?,
                maximum_age: age("maximum_age")?,
                modified_after,
            },
            text: p.get("search").map(str::to_owned),
            day,
            start_time: time("start_time")?,
            end_time: time("end_time")?,
        })
    }

    pub(super) fn filters_hours(&self) -> bool {
        self.day.is_some() || self.start_time.is_some() || self.end_time.is_some()
    }
}
