//! Open-at answers remembered per opening-hours text and minute: searches ask the same few
//! opening-hours texts at the same minute over and over, and parsing one costs more than the
//! rest of a result page.

use std::{
    collections::HashMap,
    sync::{LazyLock, Mutex},
};

use chrono::{DateTime, Utc};

/// A stable 64-bit hash (FNV-1a) of opening-hours text.
pub fn hours_key(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

type OpenCache = Mutex<HashMap<(u64, i64), Option<bool>>>;
/// Open-at answers by hours key and minute: searches ask the same few opening-hours texts at
/// the same minute over and over, and parsing one costs more than the rest of a result page.
static OPEN: LazyLock<OpenCache> = LazyLock::new(OpenCache::default);

fn minute(at: DateTime<Utc>) -> i64 {
    at.timestamp().div_euclid(60)
}

/// Whether the hours with `key` were open at `at`'s minute, if that has been worked out.
pub fn remembered_open(key: u64, at: DateTime<Utc>) -> Option<Option<bool>> {
    OPEN.lock().ok()?.get(&(key, minute(at))).copied()
}

pub fn remember_open(key: u64, at: DateTime<Utc>, open: Option<bool>) {
    if let Ok(mut c) = OPEN.lock() {
        if c.len() >= 4096 {
            c.clear();
        }
        c.insert((key, minute(at)), open);
    }
}
