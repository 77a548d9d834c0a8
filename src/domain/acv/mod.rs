//! Assets of Community Value (Localism Act 2011, Part 5 Chapter 3, ss. 87–108, and the Assets
//! of Community Value (England) Regulations 2012): nominations, the list of assets of
//! community value, the list of unsuccessful nominations, owners' notices of intended disposal
//! and the moratoria they start. Pure: every date is computed here from the rules, given the
//! facts recorded and a `today`; no I/O.
//!
//! # How periods are counted
//!
//! The Act and the Regulations give every period as so many weeks, months or years
//! *beginning with* a day, so the first day counts as day one:
//!
//! - *n weeks beginning with D* ends on D + 7n − 1 days (6 weeks beginning with 1 March end on
//!   11 April).
//! - *n months (or years) beginning with D* ends on the day before the corresponding day n
//!   months later (5 years beginning with 1 March 2024 end on 28 February 2029). When that
//!   month has no corresponding day (D is the 29th–31st, or 29 February and the year is not a
//!   leap year) the corresponding day is taken as the 1st of the next month, as for a 29
//!   February birthday, so the period ends on the last day of that month: 5 years beginning
//!   with 29 February 2024 end on 28 February 2029, 6 months beginning with 31 August 2025
//!   on 28 February 2026.
//!
//! Every "ends" date below is the **last day inside** the period.
//!
//! # The periods, as Junction reads them
//!
//! - **Decision due** ([`decision_due`]): the authority must decide a nomination within
//!   8 weeks beginning with the day it received it (Regulations, reg. 7). Undecided after that
//!   day, the nomination is *overdue*.
//! - **Listing** ([`listing_ends`]): land stays on the list for 5 years beginning with the date
//!   of its entry (s. 87(3) and reg. 2), unless removed sooner. Junction takes the date of entry
//!   to be the decision date of a successful nomination.
//! - **Unsuccessful nominations** ([`unsuccessful_ends`]): land nominated unsuccessfully is kept
//!   on that list (s. 93) for 5 years beginning with the decision, counted like a listing.
//! - **Interim moratorium** ([`interim_moratorium_ends`]): 6 weeks beginning with the day the
//!   authority receives the owner's notice of intended disposal (s. 95(6)(a)).
//! - **Full moratorium** ([`full_moratorium_ends`]): 6 months beginning with that same day
//!   (s. 95(6)(b)) — not from the end of the interim one — and only when a community interest
//!   group has asked in writing, *within the interim period*, to be treated as a potential
//!   bidder (s. 95(3)). A request after the interim period has no effect and is refused.
//! - **Protected period** ([`protected_period_ends`]): 18 months beginning with the day the
//!   notice was received (s. 95(6)(c)). Once the applicable moratorium is over the owner may
//!   dispose of the land to anyone until it ends; after it, a disposal needs a fresh notice,
//!   which starts a new [`Disposal`] episode with new moratoria. A second notice inside a
//!   running protected period starts nothing new, so it is refused.
//! - **Removal** ([`RemovalReason`]): at the end of the 5 years (`expired`), when the owner's
//!   review (s. 92) or appeal to the First-tier Tribunal (reg. 11) is upheld, after a relevant
//!   disposal (`disposal`), or when the land no longer meets s. 88 (`no_longer_qualifies`).
//!   Only `expired` applies to an unsuccessful nomination.
//!
//! The date arithmetic is in `periods`; what an entry says and how each recorded fact
//! changes it, in `entry`.

mod entry;
mod periods;

pub use periods::*;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{FieldError, validate as v};

/// The authority's decision on a nomination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Entered on the list of assets of community value.
    Listed,
    /// Not listed; entered on the list of unsuccessful nominations.
    Unsuccessful,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Listed => "listed",
            Decision::Unsuccessful => "unsuccessful",
        }
    }

    pub fn parse(s: &str) -> Option<Decision> {
        [Decision::Listed, Decision::Unsuccessful]
            .into_iter()
            .find(|d| d.as_str() == s)
    }
}

/// Why an entry left its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RemovalReason {
    /// Its 5 years ended.
    Expired,
    /// The owner's review of the listing (s. 92) was upheld.
    ReviewUpheld,
    /// The owner's appeal to the First-tier Tribunal was upheld.
    AppealUpheld,
    /// Removed after a relevant disposal of the land.
    Disposal,
    /// The land no longer meets the test of s. 88.
    NoLongerQualifies,
}

impl RemovalReason {
    pub const ALL: [RemovalReason; 5] = [
        RemovalReason::Expired,
        RemovalReason::ReviewUpheld,
        RemovalReason::AppealUpheld,
        RemovalReason::Disposal,
        RemovalReason::NoLongerQualifies,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RemovalReason::Expired => "expired",
            RemovalReason::ReviewUpheld => "review_upheld",
            RemovalReason::AppealUpheld => "appeal_upheld",
            RemovalReason::Disposal => "disposal",
            RemovalReason::NoLongerQualifies => "no_longer_qualifies",
        }
    }

    pub fn parse(s: &str) -> Option<RemovalReason> {
        RemovalReason::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// As people read it.
    pub fn label(self) -> &'static str {
        match self {
            RemovalReason::Expired => "Its five years ended",
            RemovalReason::ReviewUpheld => "The owner's review was upheld",
            RemovalReason::AppealUpheld => "The owner's appeal was upheld",
            RemovalReason::Disposal => "The land was sold or otherwise disposed of",
            RemovalReason::NoLongerQualifies => "It no longer qualifies as of community value",
        }
    }
}

/// A community interest group's written request to be treated as a potential bidder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BidderRequest {
    /// The day the authority received the request.
    pub received: NaiveDate,
    /// The group's name (an organisation's name: public).
    pub group: String,
}

/// One disposal episode: the owner's notice of intended disposal and what followed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Disposal {
    pub id: Uuid,
    /// The day the authority received the owner's notice (s. 95(2)).
    pub notice_received: NaiveDate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bidder_request: Option<BidderRequest>,
}

/// The dates of one disposal episode, computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct DisposalDates {
    pub interim_moratorium_ends: NaiveDate,
    /// Present when a group asked in time to be treated as a bidder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_moratorium_ends: Option<NaiveDate>,
    /// The last day the owner may not dispose of the land: the full moratorium's end when one
    /// applies, else the interim one's. (While the interim period runs and no request has
    /// come, this is the interim end; a request can still extend it.)
    pub moratorium_ends: NaiveDate,
    /// The protected period begins with the day the notice was received (s. 95(6)(c)).
    pub protected_period_starts: NaiveDate,
    pub protected_period_ends: NaiveDate,
}

impl Disposal {
    pub fn dates(&self) -> DisposalDates {
        let n = self.notice_received;
        let interim = interim_moratorium_ends(n);
        let full = self
            .bidder_request
            .as_ref()
            .map(|_| full_moratorium_ends(n));
        DisposalDates {
            interim_moratorium_ends: interim,
            full_moratorium_ends: full,
            moratorium_ends: full.unwrap_or(interim),
            protected_period_starts: n,
            protected_period_ends: protected_period_ends(n),
        }
    }

    /// Where this episode stands on `today`.
    pub fn moratorium_on(&self, today: NaiveDate) -> Moratorium {
        let d = self.dates();
        // Once a group has asked (in time), the full moratorium — which also began with the
        // notice — is the one in force, the interim weeks included.
        let full_from_request = self
            .bidder_request
            .as_ref()
            .zip(d.full_moratorium_ends)
            .is_some_and(|(request, full)| request.received <= today && today <= full);
        if today < self.notice_received || today > d.protected_period_ends {
            Moratorium::None
        } else if full_from_request {
            Moratorium::Full
        } else if today <= d.interim_moratorium_ends {
            Moratorium::Interim
        } else {
            Moratorium::Protected
        }
    }
}

/// Whether the owner may dispose of listed land on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Moratorium {
    /// No notice in force: the owner must notify the authority before disposing.
    None,
    /// The interim moratorium: no disposal; groups may ask to be treated as bidders.
    Interim,
    /// The full moratorium: no disposal except to a community interest group.
    Full,
    /// The moratorium is over and the protected period runs: the owner may dispose freely.
    Protected,
}

impl Moratorium {
    pub fn label(self) -> &'static str {
        match self {
            Moratorium::None => "No disposal notice in force",
            Moratorium::Interim => "Interim moratorium: the owner may not sell",
            Moratorium::Full => "Full moratorium: the owner may sell only to a community group",
            Moratorium::Protected => "Protected period: the owner may sell to anyone",
        }
    }
}

/// Where an entry stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Nominated, not yet decided.
    Nominated,
    /// On the list of assets of community value.
    Listed,
    /// On the list of unsuccessful nominations.
    Unsuccessful,
    /// Its 5 years have ended but no removal has been recorded.
    Lapsed,
    /// Removed (a removal is recorded).
    Removed,
}

/// A nomination and everything decided and recorded about it since.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AcvEntry {
    pub id: Uuid,
    /// The authority's reference for the entry.
    pub reference: String,
    /// The asset in the register, when the land is there.
    pub asset_id: Option<Uuid>,
    pub name: String,
    pub address_text: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// The nominating community group (an organisation's name: public).
    pub nominating_group: String,
    /// How to reach the person who sent the nomination. Private: never published.
    pub nominator_contact: Option<String>,
    pub nomination_received: NaiveDate,
    /// Why the group says the land is of community value.
    pub reasons: String,
    pub decision: Option<Decision>,
    pub decided: Option<NaiveDate>,
    pub decision_reason: Option<String>,
    pub removed: Option<NaiveDate>,
    pub removal_reason: Option<RemovalReason>,
    pub removal_note: Option<String>,
    pub notes: Option<String>,
    /// Oldest first.
    pub disposals: Vec<Disposal>,
}

/// Why a change to an entry was refused: a field is wrong (422), or the entry is not in a
/// state that allows it (409). Both name the field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    Invalid(FieldError),
    Conflict(FieldError),
}

impl From<FieldError> for Refusal {
    fn from(e: FieldError) -> Self {
        Refusal::Invalid(e)
    }
}

fn conflict(field: &str, message: impl Into<String>) -> Refusal {
    Refusal::Conflict(FieldError::new(field, message))
}

/// Dates must be real days in a sensible range and not in the future.
fn check_date(field: &str, date: NaiveDate, today: NaiveDate) -> Result<(), FieldError> {
    if date.year() < 1990 {
        return Err(FieldError::new(
            field,
            format!("{field} {date} is before 1990"),
        ));
    }
    if date > today {
        return Err(FieldError::new(
            field,
            format!("{field} {date} is in the future (today is {today})"),
        ));
    }
    Ok(())
}

fn not_before(
    field: &str,
    date: NaiveDate,
    earlier: NaiveDate,
    what: &str,
) -> Result<(), FieldError> {
    if date < earlier {
        return Err(FieldError::new(
            field,
            format!("{field} {date} is before {what} ({earlier})"),
        ));
    }
    Ok(())
}

/// A nomination as sent.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Nomination {
    /// The authority's reference; made from the id when left out.
    #[serde(default)]
    pub reference: Option<String>,
    /// The asset in the register this land is, if it is there. Its name, address and point
    /// fill those left out here.
    #[serde(default)]
    pub asset_id: Option<Uuid>,
    /// Required unless `asset_id` is given.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub address_text: Option<String>,
    #[serde(default)]
    pub latitude: Option<f64>,
    #[serde(default)]
    pub longitude: Option<f64>,
    /// The nominating group: a parish council or community group (public).
    pub nominating_group: String,
    /// Private: how to reach the person who sent the nomination. Never published.
    #[serde(default)]
    pub nominator_contact: Option<String>,
    /// The day the authority received the nomination (YYYY-MM-DD).
    pub received: NaiveDate,
    /// Why the group says the land is of community value.
    pub reasons: String,
    /// Public notes.
    #[serde(default)]
    pub notes: Option<String>,
}

impl Nomination {
    /// Normalises and checks a nomination, and makes the entry.
    pub fn into_entry(mut self, id: Uuid, today: NaiveDate) -> Result<AcvEntry, Refusal> {
        v::optional("reference", &mut self.reference, 100)?;
        v::required("name", &mut self.name, 200)?;
        v::optional("address_text", &mut self.address_text, 500)?;
        v::point_opt(self.latitude, self.longitude)?;
        v::required("nominating_group", &mut self.nominating_group, 200)?;
        v::optional("nominator_contact", &mut self.nominator_contact, 500)?;
        check_date("received", self.received, today)?;
        v::required("reasons", &mut self.reasons, 10_000)?;
        v::optional("notes", &mut self.notes, 2_000)?;
        Ok(AcvEntry {
            id,
            reference: self
                .reference
                .unwrap_or_else(|| format!("ACV-{}", &id.simple().to_string()[..8])),
            asset_id: self.asset_id,
            name: self.name,
            address_text: self.address_text,
            latitude: self.latitude,
            longitude: self.longitude,
            nominating_group: self.nominating_group,
            nominator_contact: self.nominator_contact,
            nomination_received: self.received,
            reasons: self.reasons,
            decision: None,
            decided: None,
            decision_reason: None,
            removed: None,
            removal_reason: None,
            removal_note: None,
            notes: self.notes,
            disposals: Vec::new(),
        })
    }
}

/// The authority's decision, as sent.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    pub decision: Decision,
    /// The day of the decision; for a listing, the date of entry on the list.
    pub decided: NaiveDate,
    /// Required when unsuccessful; optional when listed. Public.
    #[serde(default)]
    pub reason: Option<String>,
}

/// The owner's notice of intended disposal, as sent.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeInput {
    /// The day the authority received the notice.
    pub received: NaiveDate,
}

/// A community interest group's request to be treated as a potential bidder, as sent.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BidderRequestInput {
    /// The day the authority received the request.
    pub received: NaiveDate,
    /// The group's name (public).
    pub group: String,
}

/// A removal from the list, as sent.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RemovalInput {
    pub reason: RemovalReason,
    /// The day the entry left the list.
    pub removed: NaiveDate,
    /// Public.
    #[serde(default)]
    pub note: Option<String>,
}

#[cfg(test)]
mod tests;
