//! What an entry on either list says on a given day, and how each fact recorded against it
//! (a decision, an owner's notice, a request to bid, a removal) changes it, checked against
//! the rules.

use chrono::NaiveDate;

use super::*;

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
