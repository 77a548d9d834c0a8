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

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{FieldError, validate as v};

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

impl AcvEntry {
    /// The last day of its list: a listing's 5 years, or an unsuccessful nomination's.
    pub fn list_ends(&self) -> Option<NaiveDate> {
        match (self.decision?, self.decided?) {
            (Decision::Listed, d) => Some(listing_ends(d)),
            (Decision::Unsuccessful, d) => Some(unsuccessful_ends(d)),
        }
    }

    pub fn decision_due(&self) -> NaiveDate {
        decision_due(self.nomination_received)
    }

    /// Undecided after the day the decision was due.
    pub fn decision_overdue(&self, today: NaiveDate) -> bool {
        self.decision.is_none() && today > self.decision_due()
    }

    pub fn stage(&self, today: NaiveDate) -> Stage {
        match (self.decision, self.removed) {
            (None, _) => Stage::Nominated,
            (Some(_), Some(_)) => Stage::Removed,
            (Some(d), None) => {
                if self.list_ends().is_some_and(|end| today > end) {
                    Stage::Lapsed
                } else if d == Decision::Listed {
                    Stage::Listed
                } else {
                    Stage::Unsuccessful
                }
            }
        }
    }

    /// The day the entry ended: its removal, or the end of its 5 years once they are over.
    pub fn ended(&self, today: NaiveDate) -> Option<NaiveDate> {
        self.removed
            .or_else(|| self.list_ends().filter(|end| today > *end))
    }

    /// The latest disposal episode.
    pub fn current_disposal(&self) -> Option<&Disposal> {
        self.disposals.last()
    }

    /// The moratorium on `today`: only listed land still on the list has one.
    pub fn moratorium_on(&self, today: NaiveDate) -> Moratorium {
        if self.stage(today) != Stage::Listed {
            return Moratorium::None;
        }
        self.current_disposal()
            .map_or(Moratorium::None, |d| d.moratorium_on(today))
    }

    /// Records the decision.
    pub fn decide(&mut self, mut input: DecisionInput, today: NaiveDate) -> Result<(), Refusal> {
        if let Some(d) = self.decision {
            return Err(conflict(
                "decision",
                format!(
                    "this nomination was already decided ({}) on {}",
                    d.as_str(),
                    self.decided.map(|d| d.to_string()).unwrap_or_default()
                ),
            ));
        }
        check_date("decided", input.decided, today)?;
        not_before(
            "decided",
            input.decided,
            self.nomination_received,
            "the nomination was received",
        )?;
        v::optional("reason", &mut input.reason, 5_000)?;
        if input.decision == Decision::Unsuccessful && input.reason.is_none() {
            return Err(Refusal::Invalid(FieldError::new(
                "reason",
                "reason is required when a nomination is unsuccessful",
            )));
        }
        self.decision = Some(input.decision);
        self.decided = Some(input.decided);
        self.decision_reason = input.reason;
        Ok(())
    }

    /// Starts a disposal episode with the owner's notice.
    pub fn notify_disposal(
        &mut self,
        input: NoticeInput,
        id: Uuid,
        today: NaiveDate,
    ) -> Result<(), Refusal> {
        let field = "received";
        let (Some(Decision::Listed), Some(listed)) = (self.decision, self.decided) else {
            return Err(conflict(
                "decision",
                "only listed land has disposal notices: this entry is not listed",
            ));
        };
        if let Some(removed) = self.removed {
            return Err(conflict(
                "removed",
                format!("this entry was removed from the list on {removed}"),
            ));
        }
        check_date(field, input.received, today)?;
        not_before(field, input.received, listed, "the land was listed")?;
        let ends = listing_ends(listed);
        if input.received > ends {
            return Err(Refusal::Invalid(FieldError::new(
                field,
                format!("the listing ended on {ends}, before this notice"),
            )));
        }
        if let Some(last) = self.current_disposal() {
            let protected = last.dates().protected_period_ends;
            if input.received <= protected {
                return Err(conflict(
                    field,
                    format!(
                        "the protected period of the notice received on {} runs until {protected}: a new notice starts a new episode only after it",
                        last.notice_received
                    ),
                ));
            }
        }
        self.disposals.push(Disposal {
            id,
            notice_received: input.received,
            bidder_request: None,
        });
        Ok(())
    }

    /// Records a group's request to be treated as a bidder on the episode `disposal_id`.
    pub fn request_to_bid(
        &mut self,
        disposal_id: Uuid,
        mut input: BidderRequestInput,
        today: NaiveDate,
    ) -> Result<(), Refusal> {
        let field = "received";
        v::required("group", &mut input.group, 200)?;
        check_date(field, input.received, today)?;
        let Some(episode) = self.disposals.iter_mut().find(|d| d.id == disposal_id) else {
            return Err(Refusal::Invalid(FieldError::new(
                "disposal_id",
                format!("this entry has no disposal notice {disposal_id}"),
            )));
        };
        if let Some(existing) = &episode.bidder_request {
            return Err(conflict(
                "group",
                format!(
                    "{} already asked on {} to be treated as a bidder: the full moratorium applies",
                    existing.group, existing.received
                ),
            ));
        }
        not_before(
            field,
            input.received,
            episode.notice_received,
            "the owner's notice was received",
        )?;
        let interim = interim_moratorium_ends(episode.notice_received);
        if input.received > interim {
            return Err(Refusal::Invalid(FieldError::new(
                field,
                format!(
                    "the interim moratorium ended on {interim}: a request received after it does not start the full moratorium"
                ),
            )));
        }
        episode.bidder_request = Some(BidderRequest {
            received: input.received,
            group: input.group,
        });
        Ok(())
    }

    /// Removes the entry from its list.
    pub fn remove(&mut self, mut input: RemovalInput, today: NaiveDate) -> Result<(), Refusal> {
        let field = "removed";
        let (Some(decision), Some(decided)) = (self.decision, self.decided) else {
            return Err(conflict(
                "decision",
                "this nomination is not decided yet: nothing to remove",
            ));
        };
        if let Some(removed) = self.removed {
            return Err(conflict(
                field,
                format!("this entry was already removed on {removed}"),
            ));
        }
        if decision == Decision::Unsuccessful && input.reason != RemovalReason::Expired {
            return Err(Refusal::Invalid(FieldError::new(
                "reason",
                "an unsuccessful nomination leaves its list only when its five years end (reason expired)",
            )));
        }
        check_date(field, input.removed, today)?;
        not_before(field, input.removed, decided, "the decision")?;
        if input.reason == RemovalReason::Expired
            && let Some(end) = self.list_ends()
            && input.removed <= end
        {
            return Err(Refusal::Invalid(FieldError::new(
                field,
                format!(
                    "the entry's five years run until {end}: it cannot have expired on {}",
                    input.removed
                ),
            )));
        }
        v::optional("note", &mut input.note, 2_000)?;
        self.removed = Some(input.removed);
        self.removal_reason = Some(input.reason);
        self.removal_note = input.note;
        Ok(())
    }

    /// The land's point as WKT, `POINT(lon lat)`.
    pub fn point_wkt(&self) -> Option<String> {
        Some(format!("POINT({} {})", self.longitude?, self.latitude?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("a real date")
    }

    fn nomination(received: NaiveDate) -> Nomination {
        Nomination {
            reference: None,
            asset_id: None,
            name: " The Plough ".into(),
            address_text: Some("1 High Street, Millbrook".into()),
            latitude: Some(53.54),
            longitude: Some(-2.11),
            nominating_group: "Friends of the Plough".into(),
            nominator_contact: Some("Jo Bloggs, 07700 900123".into()),
            received,
            reasons: "The village's last pub, home of the darts league".into(),
            notes: None,
        }
    }

    fn listed_on(day: NaiveDate, today: NaiveDate) -> AcvEntry {
        let mut e = nomination(day)
            .into_entry(Uuid::new_v4(), today)
            .expect("valid nomination");
        e.decide(
            DecisionInput {
                decision: Decision::Listed,
                decided: day,
                reason: None,
            },
            today,
        )
        .expect("listed");
        e
    }

    #[test]
    fn six_weeks_beginning_with_1_march_end_on_11_april() {
        assert_eq!(interim_moratorium_ends(d(2026, 3, 1)), d(2026, 4, 11));
        assert_eq!(weeks_beginning_with(d(2026, 3, 1), 1), d(2026, 3, 7));
    }

    #[test]
    fn decision_is_due_8_weeks_beginning_with_receipt() {
        // 56 days counting the day of receipt.
        assert_eq!(decision_due(d(2026, 1, 5)), d(2026, 3, 1));
        assert_eq!(decision_due(d(2025, 12, 10)), d(2026, 2, 3));
    }

    #[test]
    fn overdue_only_after_the_due_day_and_only_while_undecided() {
        let e = nomination(d(2026, 1, 5))
            .into_entry(Uuid::new_v4(), d(2026, 1, 5))
            .expect("valid");
        assert!(
            !e.decision_overdue(d(2026, 3, 1)),
            "the due day itself is in time"
        );
        assert!(e.decision_overdue(d(2026, 3, 2)));
        assert_eq!(e.stage(d(2026, 3, 2)), Stage::Nominated);
        let mut decided = e.clone();
        decided
            .decide(
                DecisionInput {
                    decision: Decision::Listed,
                    decided: d(2026, 3, 5),
                    reason: None,
                },
                d(2026, 3, 5),
            )
            .expect("a late decision is still a decision");
        assert!(!decided.decision_overdue(d(2026, 6, 1)));
    }

    #[test]
    fn a_listing_ends_the_day_before_the_fifth_anniversary() {
        assert_eq!(listing_ends(d(2024, 3, 1)), d(2029, 2, 28));
        assert_eq!(listing_ends(d(2021, 6, 15)), d(2026, 6, 14));
        assert_eq!(listing_ends(d(2023, 1, 1)), d(2027, 12, 31));
        let e = listed_on(d(2021, 6, 15), d(2026, 1, 1));
        assert_eq!(e.list_ends(), Some(d(2026, 6, 14)));
        assert_eq!(e.stage(d(2026, 6, 14)), Stage::Listed);
        assert_eq!(e.stage(d(2026, 6, 15)), Stage::Lapsed);
        assert_eq!(e.ended(d(2026, 6, 15)), Some(d(2026, 6, 14)));
        assert_eq!(e.ended(d(2026, 6, 14)), None);
    }

    #[test]
    fn a_listing_on_29_february_ends_on_28_february_five_years_on() {
        // 2029 has no 29 February: the anniversary falls on 1 March, so the listing's last
        // day is 28 February 2029.
        assert_eq!(listing_ends(d(2024, 2, 29)), d(2029, 2, 28));
        // Into a leap year the anniversary exists.
        assert_eq!(
            months_beginning_with(d(2024, 2, 29), 4 * 12),
            d(2028, 2, 28)
        );
        assert_eq!(listing_ends(d(2023, 2, 28)), d(2028, 2, 27));
        assert_eq!(listing_ends(d(2023, 3, 1)), d(2028, 2, 29));
    }

    #[test]
    fn unsuccessful_nominations_stay_listed_as_such_for_5_years() {
        let mut e = nomination(d(2024, 1, 10))
            .into_entry(Uuid::new_v4(), d(2024, 3, 1))
            .expect("valid");
        let refused = e.decide(
            DecisionInput {
                decision: Decision::Unsuccessful,
                decided: d(2024, 3, 1),
                reason: None,
            },
            d(2024, 3, 1),
        );
        assert!(
            matches!(&refused, Err(Refusal::Invalid(f)) if f.field == "reason"),
            "{refused:?}"
        );
        e.decide(
            DecisionInput {
                decision: Decision::Unsuccessful,
                decided: d(2024, 3, 1),
                reason: Some("Its main use is not for the community".into()),
            },
            d(2024, 3, 1),
        )
        .expect("decided");
        assert_eq!(e.list_ends(), Some(d(2029, 2, 28)));
        assert_eq!(e.stage(d(2029, 2, 28)), Stage::Unsuccessful);
        assert_eq!(e.stage(d(2029, 3, 1)), Stage::Lapsed);
        assert_eq!(e.moratorium_on(d(2025, 1, 1)), Moratorium::None);
    }

    #[test]
    fn interim_then_free_sale_when_no_group_asks() {
        let mut e = listed_on(d(2024, 1, 10), d(2026, 3, 1));
        e.notify_disposal(
            NoticeInput {
                received: d(2026, 3, 1),
            },
            Uuid::new_v4(),
            d(2026, 3, 1),
        )
        .expect("notice");
        let dates = e.disposals[0].dates();
        assert_eq!(dates.interim_moratorium_ends, d(2026, 4, 11));
        assert_eq!(dates.full_moratorium_ends, None);
        assert_eq!(dates.moratorium_ends, d(2026, 4, 11));
        assert_eq!(dates.protected_period_starts, d(2026, 3, 1));
        assert_eq!(dates.protected_period_ends, d(2027, 8, 31));
        assert_eq!(e.moratorium_on(d(2026, 2, 28)), Moratorium::None);
        assert_eq!(e.moratorium_on(d(2026, 4, 11)), Moratorium::Interim);
        assert_eq!(e.moratorium_on(d(2026, 4, 12)), Moratorium::Protected);
        assert_eq!(e.moratorium_on(d(2027, 8, 31)), Moratorium::Protected);
        assert_eq!(e.moratorium_on(d(2027, 9, 1)), Moratorium::None);
    }

    #[test]
    fn a_request_in_time_brings_the_full_moratorium() {
        let mut e = listed_on(d(2024, 1, 10), d(2026, 3, 1));
        let id = Uuid::new_v4();
        e.notify_disposal(
            NoticeInput {
                received: d(2026, 3, 1),
            },
            id,
            d(2026, 3, 1),
        )
        .expect("notice");
        // The last day of the interim period is still in time.
        e.request_to_bid(
            id,
            BidderRequestInput {
                received: d(2026, 4, 11),
                group: "Plough Community Pub Ltd".into(),
            },
            d(2026, 4, 11),
        )
        .expect("in time");
        let dates = e.disposals[0].dates();
        // 6 months beginning with the notice, not with the end of the interim period.
        assert_eq!(dates.full_moratorium_ends, Some(d(2026, 8, 31)));
        assert_eq!(dates.moratorium_ends, d(2026, 8, 31));
        assert_eq!(dates.protected_period_ends, d(2027, 8, 31));
        // From the day of the request the full moratorium is the one in force.
        assert_eq!(e.moratorium_on(d(2026, 4, 10)), Moratorium::Interim);
        assert_eq!(e.moratorium_on(d(2026, 4, 11)), Moratorium::Full);
        assert_eq!(e.moratorium_on(d(2026, 4, 12)), Moratorium::Full);
        assert_eq!(e.moratorium_on(d(2026, 8, 31)), Moratorium::Full);
        assert_eq!(e.moratorium_on(d(2026, 9, 1)), Moratorium::Protected);
        // A second group's request is not recorded over the first.
        let again = e.request_to_bid(
            id,
            BidderRequestInput {
                received: d(2026, 4, 1),
                group: "Another group".into(),
            },
            d(2026, 4, 20),
        );
        assert!(matches!(again, Err(Refusal::Conflict(_))), "{again:?}");
    }

    #[test]
    fn a_late_request_is_refused() {
        let mut e = listed_on(d(2024, 1, 10), d(2026, 5, 1));
        let id = Uuid::new_v4();
        e.notify_disposal(
            NoticeInput {
                received: d(2026, 3, 1),
            },
            id,
            d(2026, 5, 1),
        )
        .expect("notice");
        let late = e.request_to_bid(
            id,
            BidderRequestInput {
                received: d(2026, 4, 12),
                group: "Too Late Group".into(),
            },
            d(2026, 5, 1),
        );
        assert!(
            matches!(&late, Err(Refusal::Invalid(f)) if f.field == "received" && f.message.contains("2026-04-11")),
            "{late:?}"
        );
        assert_eq!(e.disposals[0].bidder_request, None);
    }

    #[test]
    fn a_notice_period_across_29_february() {
        // Notice received 20 January 2024: the six weeks cross the leap day.
        assert_eq!(interim_moratorium_ends(d(2024, 1, 20)), d(2024, 3, 1));
        assert_eq!(interim_moratorium_ends(d(2025, 1, 20)), d(2025, 3, 2));
        // Received on 29 February 2024 itself.
        assert_eq!(interim_moratorium_ends(d(2024, 2, 29)), d(2024, 4, 10));
        assert_eq!(full_moratorium_ends(d(2024, 2, 29)), d(2024, 8, 28));
        assert_eq!(protected_period_ends(d(2024, 2, 29)), d(2025, 8, 28));
        // Six months beginning with 31 August end with February, leap or not.
        assert_eq!(full_moratorium_ends(d(2023, 8, 31)), d(2024, 2, 29));
        assert_eq!(full_moratorium_ends(d(2025, 8, 31)), d(2026, 2, 28));
        assert_eq!(full_moratorium_ends(d(2023, 9, 1)), d(2024, 2, 29));
    }

    #[test]
    fn a_second_disposal_episode_after_the_first_protected_period() {
        let mut e = listed_on(d(2022, 5, 3), d(2026, 1, 1));
        let first = Uuid::new_v4();
        e.notify_disposal(
            NoticeInput {
                received: d(2023, 1, 16),
            },
            first,
            d(2026, 1, 1),
        )
        .expect("first notice");
        assert_eq!(e.disposals[0].dates().protected_period_ends, d(2024, 7, 15));
        // Inside the first protected period a new notice starts nothing.
        let early = e.notify_disposal(
            NoticeInput {
                received: d(2024, 7, 15),
            },
            Uuid::new_v4(),
            d(2026, 1, 1),
        );
        assert!(
            matches!(&early, Err(Refusal::Conflict(f)) if f.field == "received"),
            "{early:?}"
        );
        let second = Uuid::new_v4();
        e.notify_disposal(
            NoticeInput {
                received: d(2024, 7, 16),
            },
            second,
            d(2026, 1, 1),
        )
        .expect("second notice, the day after the protected period");
        e.request_to_bid(
            second,
            BidderRequestInput {
                received: d(2024, 8, 1),
                group: "Friends of the Plough".into(),
            },
            d(2026, 1, 1),
        )
        .expect("in time");
        assert_eq!(e.disposals.len(), 2);
        let dates = e.disposals[1].dates();
        assert_eq!(dates.interim_moratorium_ends, d(2024, 8, 26));
        assert_eq!(dates.full_moratorium_ends, Some(d(2025, 1, 15)));
        assert_eq!(dates.protected_period_ends, d(2026, 1, 15));
        // The first episode keeps its own dates, without a full moratorium.
        assert_eq!(e.disposals[0].dates().full_moratorium_ends, None);
        assert_eq!(e.moratorium_on(d(2024, 12, 1)), Moratorium::Full);
        assert_eq!(e.moratorium_on(d(2025, 6, 1)), Moratorium::Protected);
    }

    #[test]
    fn notices_need_a_listing_still_in_force() {
        let mut e = nomination(d(2024, 1, 10))
            .into_entry(Uuid::new_v4(), d(2024, 2, 1))
            .expect("valid");
        let r = e.notify_disposal(
            NoticeInput {
                received: d(2024, 2, 1),
            },
            Uuid::new_v4(),
            d(2024, 2, 1),
        );
        assert!(matches!(r, Err(Refusal::Conflict(_))), "{r:?}");
        let mut e = listed_on(d(2019, 1, 10), d(2026, 1, 1));
        let r = e.notify_disposal(
            NoticeInput {
                received: d(2024, 1, 10),
            },
            Uuid::new_v4(),
            d(2026, 1, 1),
        );
        assert!(
            matches!(&r, Err(Refusal::Invalid(f)) if f.message.contains("2024-01-09")),
            "{r:?}"
        );
    }

    #[test]
    fn removals_are_checked_against_the_rules() {
        let mut e = listed_on(d(2019, 1, 10), d(2026, 1, 1));
        let too_soon = e.remove(
            RemovalInput {
                reason: RemovalReason::Expired,
                removed: d(2024, 1, 9),
                note: None,
            },
            d(2026, 1, 1),
        );
        assert!(matches!(too_soon, Err(Refusal::Invalid(_))), "{too_soon:?}");
        e.remove(
            RemovalInput {
                reason: RemovalReason::Expired,
                removed: d(2024, 1, 10),
                note: None,
            },
            d(2026, 1, 1),
        )
        .expect("expired the day after its last day");
        assert_eq!(e.stage(d(2026, 1, 1)), Stage::Removed);
        assert_eq!(e.ended(d(2026, 1, 1)), Some(d(2024, 1, 10)));
        let twice = e.remove(
            RemovalInput {
                reason: RemovalReason::Disposal,
                removed: d(2025, 1, 1),
                note: None,
            },
            d(2026, 1, 1),
        );
        assert!(matches!(twice, Err(Refusal::Conflict(_))), "{twice:?}");

        let mut upheld = listed_on(d(2025, 6, 1), d(2026, 1, 1));
        upheld
            .remove(
                RemovalInput {
                    reason: RemovalReason::ReviewUpheld,
                    removed: d(2025, 8, 1),
                    note: Some("Mainly used by the owner's private members".into()),
                },
                d(2026, 1, 1),
            )
            .expect("review upheld");
        assert_eq!(upheld.moratorium_on(d(2026, 1, 1)), Moratorium::None);
    }

    #[test]
    fn dates_in_the_future_or_before_receipt_are_refused() {
        let r = nomination(d(2026, 5, 2)).into_entry(Uuid::new_v4(), d(2026, 5, 1));
        assert!(
            matches!(&r, Err(Refusal::Invalid(f)) if f.field == "received"),
            "{r:?}"
        );
        let mut e = nomination(d(2026, 5, 1))
            .into_entry(Uuid::new_v4(), d(2026, 5, 1))
            .expect("valid");
        let r = e.decide(
            DecisionInput {
                decision: Decision::Listed,
                decided: d(2026, 4, 30),
                reason: None,
            },
            d(2026, 5, 1),
        );
        assert!(
            matches!(&r, Err(Refusal::Invalid(f)) if f.field == "decided"),
            "{r:?}"
        );
        let mut blank = nomination(d(2026, 5, 1));
        blank.nominating_group = "  ".into();
        let r = blank.into_entry(Uuid::new_v4(), d(2026, 5, 1));
        assert!(
            matches!(&r, Err(Refusal::Invalid(f)) if f.field == "nominating_group"),
            "{r:?}"
        );
    }

    #[test]
    fn the_point_is_wkt_longitude_first() {
        let e = listed_on(d(2025, 6, 1), d(2026, 1, 1));
        assert_eq!(e.point_wkt().as_deref(), Some("POINT(-2.11 53.54)"));
    }
}
