//! The two links in a review reminder, signed so they work without signing in:
//!
//! - "still correct": `/review/{kind}/{id}/still-correct?u=USER&e=EXPIRES&v=CHECKED&s=SIG`,
//!   where `v` is the record's last check when the mail was written ([`check_stamp`]). Using it
//!   moves that check, so the same link never works twice (no used-marker table needed), and a
//!   record checked some other way also retires it.
//! - "update it": `/review/{kind}/{id}/update?u=USER&e=EXPIRES&s=SIG`, which leads to the
//!   sign-in page and then the record's admin page.
//!
//! `SIG` is HMAC-SHA256 over the purpose, kind, id, user, expiry (and `v`), under the server's
//! link key. Both expire [`LINK_DAYS`] days after the mail was written.

use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::signing::LinkKey;
use crate::domain::RecordKind;

/// How long reminder links work.
pub const LINK_DAYS: i64 = 30;

/// The query string of a reminder link, as sent back.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct LinkQuery {
    pub u: Option<String>,
    pub e: Option<String>,
    pub v: Option<String>,
    pub s: Option<String>,
}

/// A link whose signature and expiry check out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    pub user: Uuid,
    pub expires: i64,
    /// "still correct" links: the last check they are bound to.
    pub stamp: Option<i64>,
}

fn still_message(kind: RecordKind, id: Uuid, user: Uuid, expires: i64, stamp: i64) -> String {
    format!(
        "still-correct\n{}\n{id}\n{user}\n{expires}\n{stamp}",
        kind.as_str()
    )
}

fn update_message(kind: RecordKind, id: Uuid, user: Uuid, expires: i64) -> String {
    format!("update\n{}\n{id}\n{user}\n{expires}", kind.as_str())
}

/// The path (with query) of a "still correct" link.
pub fn still_correct_path(
    key: &LinkKey,
    kind: RecordKind,
    id: Uuid,
    user: Uuid,
    expires: DateTime<Utc>,
    stamp: i64,
) -> String {
    let e = expires.timestamp();
    let s = key.sign(&still_message(kind, id, user, e, stamp));
    format!(
        "/review/{}/{id}/still-correct?u={user}&e={e}&v={stamp}&s={s}",
        kind.as_str()
    )
}

/// The path (with query) of an "update it" link.
pub fn update_path(
    key: &LinkKey,
    kind: RecordKind,
    id: Uuid,
    user: Uuid,
    expires: DateTime<Utc>,
) -> String {
    let e = expires.timestamp();
    let s = key.sign(&update_message(kind, id, user, e));
    format!("/review/{}/{id}/update?u={user}&e={e}&s={s}", kind.as_str())
}

/// When links written at `now` expire.
pub fn expiry(now: DateTime<Utc>) -> DateTime<Utc> {
    now + Duration::days(LINK_DAYS)
}

fn parts(q: &LinkQuery) -> Option<(Uuid, i64, &str)> {
    Some((
        q.u.as_deref()?.parse().ok()?,
        q.e.as_deref()?.parse().ok()?,
        q.s.as_deref()?,
    ))
}

/// Checks a "still correct" link: signed by us, for this record, not expired.
pub fn check_still_correct(
    key: &LinkKey,
    kind: RecordKind,
    id: Uuid,
    q: &LinkQuery,
    now: DateTime<Utc>,
) -> Option<Checked> {
    let (user, expires, sig) = parts(q)?;
    let stamp: i64 = q.v.as_deref()?.parse().ok()?;
    (expires > now.timestamp() && key.verify(&still_message(kind, id, user, expires, stamp), sig))
        .then_some(Checked {
            user,
            expires,
            stamp: Some(stamp),
        })
}

/// Checks an "update it" link.
pub fn check_update(
    key: &LinkKey,
    kind: RecordKind,
    id: Uuid,
    q: &LinkQuery,
    now: DateTime<Utc>,
) -> Option<Checked> {
    let (user, expires, sig) = parts(q)?;
    (expires > now.timestamp() && key.verify(&update_message(kind, id, user, expires), sig))
        .then_some(Checked {
            user,
            expires,
            stamp: None,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(path: &str) -> LinkQuery {
        let (_, q) = path.split_once('?').unwrap();
        let get = |k: &str| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(n, _)| n == k)
                .map(|(_, v)| v.into_owned())
        };
        LinkQuery {
            u: get("u"),
            e: get("e"),
            v: get("v"),
            s: get("s"),
        }
    }

    #[test]
    fn links_check_out_only_unchanged_and_in_time() {
        let key = LinkKey::from_bytes(b"0123456789abcdef0123456789abcdef");
        let (id, user, now) = (Uuid::new_v4(), Uuid::new_v4(), Utc::now());
        let path = still_correct_path(&key, RecordKind::Service, id, user, expiry(now), 42);
        let q = query(&path);
        let ok = check_still_correct(&key, RecordKind::Service, id, &q, now).unwrap();
        assert_eq!((ok.user, ok.stamp), (user, Some(42)));
        // Another record, another kind, a changed stamp, a late click: refused.
        assert!(check_still_correct(&key, RecordKind::Service, Uuid::new_v4(), &q, now).is_none());
        assert!(check_still_correct(&key, RecordKind::Space, id, &q, now).is_none());
        let mut moved = q.clone();
        moved.v = Some("43".into());
        assert!(check_still_correct(&key, RecordKind::Service, id, &moved, now).is_none());
        let late = now + Duration::days(LINK_DAYS) + Duration::seconds(1);
        assert!(check_still_correct(&key, RecordKind::Service, id, &q, late).is_none());
        // An update link is not a still-correct link, and the other way round.
        let update = query(&update_path(
            &key,
            RecordKind::Service,
            id,
            user,
            expiry(now),
        ));
        assert!(check_update(&key, RecordKind::Service, id, &update, now).is_some());
        assert!(check_update(&key, RecordKind::Service, id, &q, now).is_none());
        assert!(check_still_correct(&key, RecordKind::Service, id, &update, now).is_none());
    }
}
