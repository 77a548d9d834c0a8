//! `/exports/acv.csv`: the Assets of Community Value list in the field names, and order, of
//! the draft national data standard (planning.data.gov.uk's *asset-of-community-value*).
//!
//! - One row per **decided** entry: listed and unsuccessful nominations, including those that
//!   have since been removed or whose five years are over (they carry an `end-date`).
//!   Nominations not yet decided are not published.
//! - Dates are ISO 8601 days (`2026-03-01`); `point` is WKT in WGS84, longitude first:
//!   `POINT(-2.1259 53.5437)`, as the standard's `point` datatype.
//! - `decision` is `listed` or `unsuccessful`; `decision-date` the day of the decision, which
//!   for a listing is its date of entry; `expiry-date` the last day of its five years on its
//!   list (computed, see `domain::acv`).
//! - **Several disposal episodes**: the row has one set of disposal columns, so
//!   `notification-to-sell-date`, `interested-group` and `protected-period-start-date` describe
//!   the **latest** episode (the protected period begins with the day the notice was received,
//!   s. 95(6), so those two dates are equal). Every episode, earlier ones included, is also
//!   written out in `notes` with its computed moratorium and protected-period ends.
//! - `notes`: the public notes, the reason of an unsuccessful decision, the removal and its
//!   reason, and the episodes. The nominator's contact details are never written.
//! - `entry-date` is the day the entry last changed in this register; `start-date` the day it
//!   went on its list (the decision); `end-date` the day it was removed, or the last day of its
//!   five years once they are over, else empty.

use chrono::NaiveDate;
use chrono_tz::Europe::London;

use crate::domain::acv::{AcvEntry, Decision, Disposal};
use crate::store::acv::AcvRecord;

/// The draft standard's fields, in its order.
pub const FIELDS: [&str; 16] = [
    "reference",
    "name",
    "address-text",
    "point",
    "nomination-date",
    "nominating-group",
    "decision",
    "decision-date",
    "expiry-date",
    "notification-to-sell-date",
    "interested-group",
    "protected-period-start-date",
    "notes",
    "entry-date",
    "start-date",
    "end-date",
];

fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// One episode in words, for `notes`.
fn episode(d: &Disposal) -> String {
    let dates = d.dates();
    let mut s = format!(
        "Owner's notice received {}: interim moratorium to {}",
        d.notice_received, dates.interim_moratorium_ends
    );
    if let (Some(request), Some(full)) = (&d.bidder_request, dates.full_moratorium_ends) {
        s.push_str(&format!(
            "; {} asked to bid on {}, full moratorium to {full}",
            request.group, request.received
        ));
    }
    s.push_str(&format!(
        "; protected period to {}.",
        dates.protected_period_ends
    ));
    s
}

/// The `notes` cell.
pub fn notes(e: &AcvEntry) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(n) = &e.notes {
        parts.push(n.clone());
    }
    if e.decision == Some(Decision::Unsuccessful)
        && let Some(r) = &e.decision_reason
    {
        parts.push(format!("Not listed: {r}"));
    }
    parts.extend(e.disposals.iter().map(episode));
    if let (Some(on), Some(reason)) = (e.removed, e.removal_reason) {
        let mut s = format!("Removed {on}: {}.", reason.label());
        if let Some(n) = &e.removal_note {
            s.push_str(&format!(" {n}"));
        }
        parts.push(s);
    }
    parts.join(" ")
}

/// The CSV of every decided entry, as of `today`.
pub fn write(records: &[AcvRecord], today: NaiveDate) -> anyhow::Result<Vec<u8>> {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record(FIELDS)?;
    for r in records {
        let e = &r.entry;
        let Some(decision) = e.decision else { continue };
        let latest = e.current_disposal();
        let row: [String; 16] = [
            e.reference.clone(),
            e.name.clone(),
            e.address_text.clone().unwrap_or_default(),
            e.point_wkt().unwrap_or_default(),
            day(Some(e.nomination_received)),
            e.nominating_group.clone(),
            decision.as_str().to_owned(),
            day(e.decided),
            day(e.list_ends()),
            day(latest.map(|d| d.notice_received)),
            latest
                .and_then(|d| d.bidder_request.as_ref())
                .map(|b| b.group.clone())
                .unwrap_or_default(),
            day(latest.map(|d| d.dates().protected_period_starts)),
            notes(e),
            day(Some(r.updated_at.with_timezone(&London).date_naive())),
            day(e.decided),
            day(e.ended(today)),
        ];
        out.write_record(&row)?;
    }
    out.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}
