//! Community asset transfer (CAT) cases: the configurable list of stages a case moves
//! through, what an applicant sends, what staff record at each step, and what of a case the
//! public may see. Pure rules, no I/O; storage is `store::transfer_cases`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::FieldError;
use super::validate as v;

/// The stages of a case when `JUNCTION_TRANSFER_STAGES` is not set, in order. A case starts at
/// the first and is completed when it reaches the last.
pub const DEFAULT_STAGES: &[&str] = &[
    "Expression of interest",
    "Availability confirmed",
    "Business case submitted",
    "Assessment",
    "Decision",
    "Heads of terms agreed",
    "Completed",
];

/// The keys of the two ways a case can end without completing; no configured stage may use
/// them.
pub const WITHDRAWN: &str = "withdrawn";
pub const DECLINED: &str = "declined";

/// One configured stage: a key derived from its label (`business-case-submitted`) and the label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    pub key: String,
    pub label: String,
}

/// The ordered stages of a case, checked: at least two, labels unique, none named like a
/// terminal alternative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageList(Vec<Stage>);

impl Default for StageList {
    fn default() -> Self {
        StageList(
            DEFAULT_STAGES
                .iter()
                .map(|l| Stage {
                    key: v::slugify(l),
                    label: (*l).to_owned(),
                })
                .collect(),
        )
    }
}

impl StageList {
    /// Reads `Label; Label; …` (the form of `JUNCTION_TRANSFER_STAGES`). The message says
    /// what is wrong, for the start-up error.
    pub fn parse(text: &str) -> Result<StageList, String> {
        let mut stages: Vec<Stage> = Vec::new();
        for raw in text.split(';') {
            let label = raw.trim();
            if label.is_empty() {
                continue;
            }
            if label.chars().count() > 100 {
                return Err(format!("the stage '{label}' is longer than 100 characters"));
            }
            let key = v::slugify(label);
            if key.is_empty() {
                return Err(format!(
                    "the stage '{label}' needs at least one letter or digit"
                ));
            }
            if key == WITHDRAWN || key == DECLINED {
                return Err(format!(
                    "'{label}' is not a stage: withdrawn and declined are always available as ways a case ends"
                ));
            }
            if stages.iter().any(|s| s.key == key) {
                return Err(format!("the stage '{label}' is listed twice"));
            }
            stages.push(Stage {
                key,
                label: label.to_owned(),
            });
        }
        if stages.len() < 2 {
            return Err(
                "list at least two stages separated by ';': the first is where an expression of interest starts, the last means the transfer is complete".into(),
            );
        }
        Ok(StageList(stages))
    }

    pub fn all(&self) -> &[Stage] {
        &self.0
    }

    /// Where every case starts.
    pub fn first(&self) -> &Stage {
        &self.0[0]
    }

    /// Reaching it completes the case.
    pub fn last(&self) -> &Stage {
        &self.0[self.0.len() - 1]
    }

    pub fn position(&self, key: &str) -> Option<usize> {
        self.0.iter().position(|s| s.key == key)
    }

    pub fn get(&self, key: &str) -> Option<&Stage> {
        self.0.iter().find(|s| s.key == key)
    }

    /// The stages a case at `current` may move on to: every later one.
    pub fn after(&self, current: &str) -> &[Stage] {
        match self.position(current) {
            Some(i) => &self.0[i + 1..],
            // A stage no longer configured: any configured stage except the first.
            None => &self.0[1..],
        }
    }
}

/// Where a case is: open, or ended one of three ways.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    Open,
    Completed,
    Withdrawn,
    Declined,
}

impl CaseState {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseState::Open => "open",
            CaseState::Completed => "completed",
            CaseState::Withdrawn => "withdrawn",
            CaseState::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<CaseState> {
        [
            CaseState::Open,
            CaseState::Completed,
            CaseState::Withdrawn,
            CaseState::Declined,
        ]
        .into_iter()
        .find(|c| c.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseState::Open => "Open",
            CaseState::Completed => "Completed",
            CaseState::Withdrawn => "Withdrawn",
            CaseState::Declined => "Declined",
        }
    }
}

/// On what terms an asset was transferred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TransferTerms {
    Freehold,
    Lease,
    Licence,
    ManagementAgreement,
}

impl TransferTerms {
    pub const ALL: [TransferTerms; 4] = [
        TransferTerms::Freehold,
        TransferTerms::Lease,
        TransferTerms::Licence,
        TransferTerms::ManagementAgreement,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TransferTerms::Freehold => "freehold",
            TransferTerms::Lease => "lease",
            TransferTerms::Licence => "licence",
            TransferTerms::ManagementAgreement => "management_agreement",
        }
    }

    pub fn parse(s: &str) -> Option<TransferTerms> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// As in "Transferred to X on a lease".
    pub fn label(self) -> &'static str {
        match self {
            TransferTerms::Freehold => "the freehold",
            TransferTerms::Lease => "a lease",
            TransferTerms::Licence => "a licence",
            TransferTerms::ManagementAgreement => "a management agreement",
        }
    }
}

/// An expression of interest, as an applicant sends it (the public form or
/// `POST /api/v1/assets/{id}/transfer-cases`).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCase {
    /// The community group applying. Published once the case is decided.
    pub group_name: String,
    /// The person to contact. Private: never published.
    pub contact_name: String,
    /// Where the private link and updates are sent. Private.
    pub contact_email: String,
    /// Private.
    #[serde(default)]
    pub contact_phone: Option<String>,
    /// What the group proposes to do with the asset.
    pub proposal: String,
}

impl NewCase {
    pub fn validate(&mut self) -> Result<(), FieldError> {
        v::required("group_name", &mut self.group_name, 200)?;
        v::required("contact_name", &mut self.contact_name, 200)?;
        let mut email = Some(std::mem::take(&mut self.contact_email));
        v::email("contact_email", &mut email)?;
        self.contact_email =
            email.ok_or_else(|| FieldError::new("contact_email", "contact_email is required"))?;
        v::phone("contact_phone", &mut self.contact_phone)?;
        v::required("proposal", &mut self.proposal, 10_000)?;
        Ok(())
    }
}

/// A step staff record: moving a case on to a later stage.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageStep {
    /// The stage's key; the next stage when left out.
    #[serde(default)]
    pub stage: Option<String>,
    /// When the case entered the stage; today when left out.
    #[serde(default)]
    pub entered_on: Option<NaiveDate>,
    /// The officer responsible.
    #[serde(default)]
    pub officer: Option<String>,
    #[serde(default)]
    pub notes: Option<String>,
    /// Whether the applicant sees the notes (never the public).
    #[serde(default)]
    pub notes_public: bool,
    /// When what this stage waits for is due.
    #[serde(default)]
    pub deadline: Option<NaiveDate>,
    /// Required when the step completes the transfer.
    #[serde(default)]
    pub terms: Option<TransferTerms>,
    /// E.g. "25 years" for a lease.
    #[serde(default)]
    pub terms_detail: Option<String>,
}

impl StageStep {
    /// Checks the step against the stages and the case's current stage; returns the stage
    /// it moves to.
    pub fn validate<'a>(
        &mut self,
        stages: &'a StageList,
        current: &str,
    ) -> Result<&'a Stage, FieldError> {
        v::optional("officer", &mut self.officer, 200)?;
        v::optional("notes", &mut self.notes, 10_000)?;
        v::optional("terms_detail", &mut self.terms_detail, 200)?;
        let later = stages.after(current);
        let target = match self
            .stage
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => later
                .first()
                .ok_or_else(|| FieldError::new("stage", "the case is already at its last stage"))?,
            Some(key) => later.iter().find(|s| s.key == key).ok_or_else(|| {
                let names: Vec<&str> = later.iter().map(|s| s.key.as_str()).collect();
                FieldError::new(
                    "stage",
                    format!(
                        "'{key}' is not a later stage of this case; it can move to: {}",
                        names.join(", ")
                    ),
                )
            })?,
        };
        if target.key == stages.last().key && self.terms.is_none() {
            return Err(FieldError::new(
                "terms",
                "say on what terms the asset is transferred: freehold, lease, licence or management agreement",
            ));
        }
        if let (Some(entered), Some(deadline)) = (self.entered_on, self.deadline)
            && deadline < entered
        {
            return Err(FieldError::new(
                "deadline",
                "the deadline must be on or after the date the stage was entered",
            ));
        }
        Ok(target)
    }
}

/// Staff ending a case without a transfer.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Closing {
    /// `withdrawn` (by the applicant) or `declined` (by the council).
    pub outcome: CaseState,
    /// Why: shown to the applicant, never on public pages.
    pub reason: String,
    #[serde(default)]
    pub entered_on: Option<NaiveDate>,
    #[serde(default)]
    pub officer: Option<String>,
}

impl Closing {
    pub fn validate(&mut self) -> Result<(), FieldError> {
        if !matches!(self.outcome, CaseState::Withdrawn | CaseState::Declined) {
            return Err(FieldError::new(
                "outcome",
                "outcome must be withdrawn or declined (a transfer completes by reaching the last stage)",
            ));
        }
        v::required("reason", &mut self.reason, 10_000)?;
        v::optional("officer", &mut self.officer, 200)?;
        Ok(())
    }
}

/// One step in a case's history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StageEntry {
    pub stage: String,
    pub stage_label: String,
    pub entered_on: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub officer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    pub notes_public: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deadline: Option<NaiveDate>,
    pub recorded_at: DateTime<Utc>,
}

/// A document attached to a case (its content is never served publicly).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CaseDocument {
    pub id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// `applicant` or the member of staff.
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
}

/// A whole case, as staff see it (and, through the private link, its applicant).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TransferCase {
    pub id: Uuid,
    pub asset_id: Uuid,
    pub group_name: String,
    pub contact_name: String,
    pub contact_email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_phone: Option<String>,
    pub proposal: String,
    /// The current stage's key (or `withdrawn` / `declined`).
    pub stage: String,
    pub stage_label: String,
    pub state: CaseState,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terms: Option<TransferTerms>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terms_detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Oldest first.
    pub history: Vec<StageEntry>,
    pub documents: Vec<CaseDocument>,
}

impl TransferCase {
    /// The deadline of the stage the case is at, if it set one.
    pub fn current_deadline(&self) -> Option<NaiveDate> {
        if self.state != CaseState::Open {
            return None;
        }
        self.history.last().and_then(|h| h.deadline)
    }

    /// Whether the current stage's deadline has passed (on `today`, in UK time).
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.current_deadline().is_some_and(|d| d < today)
    }

    /// What the public may know of this case, if anything: withdrawn cases say nothing.
    pub fn public_status(&self) -> Option<PublicTransferStatus> {
        let since = self
            .history
            .first()
            .map(|h| h.entered_on)
            .unwrap_or_else(|| self.created_at.date_naive());
        let (status, group, stage) = match self.state {
            CaseState::Open => (
                PublicStatus::UnderConsideration,
                None,
                Some(self.stage_label.clone()),
            ),
            CaseState::Completed => (
                PublicStatus::Transferred,
                Some(self.group_name.clone()),
                None,
            ),
            CaseState::Declined => (PublicStatus::Declined, None, None),
            CaseState::Withdrawn => return None,
        };
        Some(PublicTransferStatus {
            status,
            stage_label: stage,
            since,
            group_name: group,
            terms: self.terms.filter(|_| status == PublicStatus::Transferred),
            terms_detail: self
                .terms_detail
                .clone()
                .filter(|_| status == PublicStatus::Transferred),
            decided_on: self.decided_on,
        })
    }
}

/// What the public sees of a case on the asset's page and in the API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PublicStatus {
    UnderConsideration,
    Transferred,
    Declined,
}

/// A case's public face: no contact details, notes or documents; the group's name only once
/// the asset has been transferred to it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublicTransferStatus {
    pub status: PublicStatus,
    /// While under consideration: the stage it has reached.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage_label: Option<String>,
    /// When the expression of interest was received.
    pub since: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terms: Option<TransferTerms>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub terms_detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<NaiveDate>,
}

impl PublicTransferStatus {
    /// One sentence for the asset's page.
    pub fn sentence(&self) -> String {
        let date = |d: NaiveDate| d.format("%-d %B %Y").to_string();
        match self.status {
            PublicStatus::UnderConsideration => {
                "Under consideration for community asset transfer".to_owned()
            }
            PublicStatus::Transferred => {
                let mut s = format!(
                    "Transferred to {} on {}",
                    self.group_name.as_deref().unwrap_or("a community group"),
                    self.terms
                        .map(TransferTerms::label)
                        .unwrap_or("agreed terms")
                );
                if let Some(d) = &self.terms_detail {
                    s.push_str(&format!(" ({d})"));
                }
                if let Some(d) = self.decided_on {
                    s.push_str(&format!(", {}", date(d)));
                }
                s
            }
            PublicStatus::Declined => match self.decided_on {
                Some(d) => format!(
                    "Declined: an expression of interest was not taken forward, {}",
                    date(d)
                ),
                None => "Declined: an expression of interest was not taken forward".to_owned(),
            },
        }
    }
}

/// The closing date that has passed on `today` (a UK date), if any: expressions of interest are
/// taken up to and including the closing date itself, and refused from the day after.
pub fn interest_closed_on(closing: Option<NaiveDate>, today: NaiveDate) -> Option<NaiveDate> {
    closing.filter(|d| *d < today)
}

/// Today in the UK, for stage dates and deadlines.
pub fn today() -> NaiveDate {
    Utc::now()
        .with_timezone(&chrono_tz::Europe::London)
        .date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interest_is_taken_on_the_closing_date_and_refused_the_day_after() {
        let closing = NaiveDate::from_ymd_opt(2026, 3, 12);
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
        assert_eq!(interest_closed_on(closing, day(11)), None);
        assert_eq!(interest_closed_on(closing, day(12)), None);
        assert_eq!(interest_closed_on(closing, day(13)), closing);
        assert_eq!(interest_closed_on(None, day(13)), None);
        let refusal = crate::error::AppError::InterestClosed { closed_on: day(12) };
        assert_eq!(
            refusal.to_string(),
            "Expressions of interest for this asset closed on 12 March 2026"
        );
        assert_eq!(refusal.code(), "interest_closed");
        assert_eq!(refusal.body().error.field.as_deref(), Some("asset"));
    }

    #[test]
    fn default_stages_run_from_interest_to_completion() {
        let s = StageList::default();
        assert_eq!(s.first().key, "expression-of-interest");
        assert_eq!(s.last().key, "completed");
        assert_eq!(s.after("decision")[0].key, "heads-of-terms-agreed");
        assert!(s.after("completed").is_empty());
    }

    #[test]
    fn configured_stages_are_checked() {
        let s = StageList::parse(" Interest ; Survey; Done ;").unwrap();
        assert_eq!(s.all().len(), 3);
        assert_eq!(s.last().label, "Done");
        for bad in ["Only one", "A; a", "A; Withdrawn", "A; ;; ", "A; ---"] {
            assert!(StageList::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_step_must_move_forward_and_completion_needs_terms() {
        let s = StageList::default();
        let mut step = StageStep::default();
        assert_eq!(
            step.validate(&s, "expression-of-interest").unwrap().key,
            "availability-confirmed"
        );
        let mut back = StageStep {
            stage: Some("expression-of-interest".into()),
            ..Default::default()
        };
        assert_eq!(back.validate(&s, "assessment").unwrap_err().field, "stage");
        let mut last = StageStep::default();
        assert_eq!(
            last.validate(&s, "heads-of-terms-agreed")
                .unwrap_err()
                .field,
            "terms"
        );
        last.terms = Some(TransferTerms::Lease);
        assert_eq!(
            last.validate(&s, "heads-of-terms-agreed").unwrap().key,
            "completed"
        );
    }

    #[test]
    fn new_cases_name_the_field_at_fault() {
        let mut c = NewCase {
            group_name: "Friends of the Park".into(),
            contact_name: "A Person".into(),
            contact_email: "not-an-address".into(),
            contact_phone: None,
            proposal: "A community garden".into(),
        };
        assert_eq!(c.validate().unwrap_err().field, "contact_email");
        c.contact_email = " a@example.org ".into();
        c.validate().unwrap();
        assert_eq!(c.contact_email, "a@example.org");
    }
}
