//! Erasure requests (UK GDPR art. 17): find everything the register holds about one person and
//! remove it, in one transaction, leaving a record that a redaction happened but not what was
//! redacted.
//!
//! Where personal data lives, and what erasing it does:
//! - **contact persons** of services and spaces: removed from the record by a normal edit (a new
//!   version, so the index, feeds and sync see it), acted by `erasure:<reference>`;
//! - **the change log**: each earlier version holding the person has the value removed in place
//!   (`contact_person` set to null, free text with [`REDACTED`] in place of each mention); the
//!   rest of the version, and the version itself, stay, so the audit history is intact;
//! - **suggestions**: the submitter's email deleted; mentions in the suggested value, message
//!   and moderator's reason redacted;
//! - **community asset transfer cases**: the contact's name, email and phone replaced; mentions
//!   in the proposal and in stage notes redacted;
//! - **Assets of Community Value**: mentions in the nominator's contact line and notes redacted
//!   (the entry's change-log versions too);
//! - **staff accounts** with the email address: the address replaced by a placeholder, the
//!   password removed, the account disabled, its sessions, password links and sign-in failure
//!   counts deleted;
//! - **the outbox**: unsent mail to the address deleted; sent mail's recipient and body replaced;
//! - **import review payloads** and **shortlist notes**: contact persons and mentions removed.
//!
//! [`Store::find_personal_data`] reports the same findings without writing, so a person can
//! check them before erasing (a name alone may be someone else's too).

use chrono::{DateTime, Utc};
use sea_orm::{FromQueryResult, TransactionTrait};
use uuid::Uuid;

mod places;

use super::{Actor, Store};
use crate::domain::erasure::Subject;
use crate::error::{AppError, Result};
use places::{exec, scan, statement};

/// One piece of personal data found (and, by [`Store::erase`], removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The table: `changes`, `services`, `suggestions`, ...
    pub place: &'static str,
    /// The row in it: a change seq, a record id, a suggestion number.
    pub row_key: String,
    pub field: String,
    /// What a person reads: "Contact person of the service “Drop-in advice”".
    pub what: String,
}

/// An erasure carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erasure {
    pub id: Uuid,
    pub reference: String,
    pub performed_by: String,
    pub performed_at: DateTime<Utc>,
    /// How many values were removed.
    pub redacted: i32,
}

/// A change-log version's redaction, as the history page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRedaction {
    pub field: String,
    pub reference: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, FromQueryResult)]
struct ErasureRow {
    id: Uuid,
    reference: String,
    performed_by: String,
    performed_at: DateTime<Utc>,
    redacted: i32,
}

impl From<ErasureRow> for Erasure {
    fn from(r: ErasureRow) -> Self {
        Erasure {
            id: r.id,
            reference: r.reference,
            performed_by: r.performed_by,
            performed_at: r.performed_at,
            redacted: r.redacted,
        }
    }
}

/// Checks the council's reference for an erasure: required, short, and not an email address
/// (it is kept for good, so it must not be the person's own details).
pub fn check_reference(raw: &str) -> std::result::Result<String, crate::domain::FieldError> {
    let mut r = raw.to_owned();
    crate::domain::validate::required("reference", &mut r, 100)?;
    if r.contains('@') {
        return Err(crate::domain::FieldError::new(
            "reference",
            "use the council's own reference for the request, not the person's email address",
        ));
    }
    Ok(r)
}
impl Store {
    /// Everything the register holds about `subject`, without changing anything.
    pub async fn find_personal_data(&self, subject: &Subject) -> Result<Vec<Finding>> {
        let txn = self.db.begin().await?;
        let actor = Actor::new("erasure:preview");
        let found = scan(self, &txn, subject, None, &actor).await?;
        txn.rollback().await?;
        Ok(found)
    }

    /// Erases everything [`Store::find_personal_data`] finds, records the erasure under the
    /// council's `reference`, and returns it with what was removed. All or nothing: one
    /// transaction.
    pub async fn erase(
        &self,
        subject: &Subject,
        reference: &str,
        performed_by: &str,
    ) -> Result<(Erasure, Vec<Finding>)> {
        let reference = check_reference(reference).map_err(AppError::Validation)?;
        let txn = self.begin_write().await?;
        let actor = Actor::new(format!("erasure:{reference}"));
        let id = Uuid::new_v4();
        let found = scan(self, &txn, subject, Some(id), &actor).await?;
        let erasure = Erasure {
            id,
            reference,
            performed_by: performed_by.to_owned(),
            performed_at: Utc::now(),
            redacted: i32::try_from(found.len()).unwrap_or(i32::MAX),
        };
        exec(
            &txn,
            "INSERT INTO erasures (id, reference, performed_by, performed_at, redacted) \
             VALUES (?, ?, ?, ?, ?)",
            vec![
                erasure.id.into(),
                erasure.reference.clone().into(),
                erasure.performed_by.clone().into(),
                erasure.performed_at.into(),
                erasure.redacted.into(),
            ],
        )
        .await?;
        for f in &found {
            exec(
                &txn,
                "INSERT INTO redactions (erasure_id, place, row_key, field) VALUES (?, ?, ?, ?)",
                vec![
                    id.into(),
                    f.place.into(),
                    f.row_key.clone().into(),
                    f.field.clone().into(),
                ],
            )
            .await?;
        }
        txn.commit().await?;
        self.changed.notify_one();
        Ok((erasure, found))
    }

    /// Erasures carried out, newest first.
    pub async fn erasures(&self) -> Result<Vec<Erasure>> {
        let rows = ErasureRow::find_by_statement(statement(
            self.db.get_database_backend(),
            "SELECT id, reference, performed_by, performed_at, redacted FROM erasures \
             ORDER BY performed_at DESC",
            vec![],
        ))
        .all(&self.db)
        .await?;
        Ok(rows.into_iter().map(Erasure::from).collect())
    }

    /// The redactions made in these change-log versions (by seq).
    pub async fn change_redactions(
        &self,
        seqs: &[i64],
    ) -> Result<std::collections::HashMap<i64, Vec<ChangeRedaction>>> {
        #[derive(FromQueryResult)]
        struct Row {
            row_key: String,
            field: String,
            reference: String,
            performed_at: DateTime<Utc>,
        }
        let mut out: std::collections::HashMap<i64, Vec<ChangeRedaction>> = Default::default();
        for chunk in seqs.chunks(200) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let sql = format!(
                "SELECT r.row_key, r.field, e.reference, e.performed_at FROM redactions r \
                 JOIN erasures e ON e.id = r.erasure_id \
                 WHERE r.place = 'changes' AND r.row_key IN ({marks}) ORDER BY r.id"
            );
            let values = chunk.iter().map(|s| s.to_string().into()).collect();
            let rows =
                Row::find_by_statement(statement(self.db.get_database_backend(), &sql, values))
                    .all(&self.db)
                    .await?;
            for r in rows {
                if let Ok(seq) = r.row_key.parse() {
                    out.entry(seq).or_default().push(ChangeRedaction {
                        field: r.field,
                        reference: r.reference,
                        at: r.performed_at,
                    });
                }
            }
        }
        Ok(out)
    }
}
