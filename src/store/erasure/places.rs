//! Each place personal data lives, as one function that finds a person's data there and, when
//! asked, removes it (see the parent module for the list and what removing means in each).

use chrono::{DateTime, Utc};
use sea_orm::{
    ConnectionTrait, DatabaseTransaction, DbBackend, FromQueryResult, Statement, Value as DbValue,
};
use serde_json::Value;
use uuid::Uuid;

use super::Finding;
use crate::domain::erasure::{REDACTED, Subject};
use crate::domain::{RecordKind, Service, Space};
use crate::error::{AppError, Result};
use crate::store::records::{Stored, get_in};
use crate::store::{Actor, Store};

/// How a table's rows are keyed.
#[derive(Clone, Copy)]
enum Key {
    /// `id`, a UUID.
    Uuid,
    /// `id`, a number.
    Int,
    /// A shortlist item: `shortlist_code` and `record_id`.
    ShortlistItem,
}

/// Free-text columns that may mention a person: (table, key, column, what it is).
const TEXT_COLUMNS: &[(&str, Key, &str, &str)] = &[
    (
        "suggestions",
        Key::Int,
        "suggested_value",
        "Suggested value",
    ),
    ("suggestions", Key::Int, "message", "Message"),
    ("suggestions", Key::Int, "reason", "Moderator's reason"),
    ("transfer_cases", Key::Uuid, "proposal", "Proposal"),
    ("transfer_case_stages", Key::Uuid, "notes", "Stage notes"),
    (
        "acv_entries",
        Key::Uuid,
        "nominator_contact",
        "Nominator's contact",
    ),
    ("acv_entries", Key::Uuid, "notes", "Notes"),
    (
        "shortlist_items",
        Key::ShortlistItem,
        "note",
        "Shortlist note",
    ),
];

/// Change-log rows are read in batches of this many.
const BATCH: u64 = 500;

/// Finds the person's data; with `erasure` set, removes it too, inside `txn`.
pub(super) async fn scan(
    store: &Store,
    txn: &DatabaseTransaction,
    subject: &Subject,
    erasure: Option<Uuid>,
    actor: &Actor,
) -> Result<Vec<Finding>> {
    let apply = erasure.is_some();
    let mut found = Vec::new();
    contact_persons::<Service>(store, txn, subject, apply, actor, &mut found).await?;
    contact_persons::<Space>(store, txn, subject, apply, actor, &mut found).await?;
    change_log(txn, subject, apply, &mut found).await?;
    suggestion_emails(txn, subject, apply, &mut found).await?;
    transfer_contacts(txn, subject, apply, &mut found).await?;
    for &(table, key, column, what) in TEXT_COLUMNS {
        text_column(txn, subject, apply, table, key, column, what, &mut found).await?;
    }
    accounts(txn, subject, apply, &mut found).await?;
    outbox(txn, subject, apply, &mut found).await?;
    import_reviews(txn, subject, apply, &mut found).await?;
    Ok(found)
}

/// A record kind with a contact person.
trait HasContact: Stored {
    fn contact(&mut self) -> &mut Option<crate::domain::ContactPerson>;
}

impl HasContact for Service {
    fn contact(&mut self) -> &mut Option<crate::domain::ContactPerson> {
        &mut self.contact_person
    }
}

impl HasContact for Space {
    fn contact(&mut self) -> &mut Option<crate::domain::ContactPerson> {
        &mut self.contact_person
    }
}

async fn contact_persons<R: HasContact>(
    store: &Store,
    txn: &DatabaseTransaction,
    subject: &Subject,
    apply: bool,
    actor: &Actor,
    found: &mut Vec<Finding>,
) -> Result<()> {
    #[derive(FromQueryResult)]
    struct Row {
        id: Uuid,
        name: String,
        version: i32,
        person: String,
    }
    let sql = format!(
        "SELECT id, name, version, CAST(contact_person AS TEXT) AS person \
         FROM {} WHERE contact_person IS NOT NULL",
        R::TABLE
    );
    let rows = Row::find_by_statement(statement(txn.get_database_backend(), &sql, vec![]))
        .all(txn)
        .await?;
    for row in rows {
        let Ok(person) = serde_json::from_str::<Value>(&row.person) else {
            continue;
        };
        if !subject.is_person(&person) {
            continue;
        }
        let id = row.id;
        found.push(Finding {
            place: R::TABLE,
            row_key: id.to_string(),
            field: "contact_person".into(),
            what: format!("Contact person of the {} “{}”", R::KIND.label(), row.name),
        });
        if apply {
            let mut record: R = get_in::<R, _>(txn, id)
                .await?
                .ok_or_else(|| AppError::NotFound(format!("{} {id}", R::KIND.label())))?;
            *record.contact() = None;
            store.update_in(txn, id, row.version, record, actor).await?;
        }
    }
    Ok(())
}

/// Earlier versions in the change log: contact persons of services and spaces, and mentions
/// in Assets of Community Value entries.
async fn change_log(
    txn: &DatabaseTransaction,
    subject: &Subject,
    apply: bool,
    found: &mut Vec<Finding>,
) -> Result<()> {
    #[derive(FromQueryResult)]
    struct Row {
        seq: i64,
        record_kind: String,
        at: DateTime<Utc>,
        record: String,
    }
    let backend = txn.get_database_backend();
    let mut after = 0i64;
    loop {
        let sql = format!(
            "SELECT seq, record_kind, at, CAST(record AS TEXT) AS record FROM changes \
             WHERE seq > ? AND record IS NOT NULL AND record_kind IN ('service', 'space', '{}') \
             ORDER BY seq LIMIT {BATCH}",
            crate::store::acv::CHANGE_KIND
        );
        let rows = Row::find_by_statement(statement(backend, &sql, vec![after.into()]))
            .all(txn)
            .await?;
        let Some(last) = rows.last() else { break };
        after = last.seq;
        for row in rows {
            let Ok(mut record) = serde_json::from_str::<Value>(&row.record) else {
                continue;
            };
            let name = record
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            let mut fields = Vec::new();
            if let Some(person) = record.get_mut("contact_person")
                && !person.is_null()
                && subject.is_person(person)
            {
                *person = Value::Null;
                fields.push("contact_person".to_owned());
            }
            for key in ["nominator_contact", "notes"] {
                if let Some(Value::String(text)) = record.get_mut(key)
                    && let Some(clean) = subject.redact_text(text)
                {
                    *text = clean;
                    fields.push(key.to_owned());
                }
            }
            if fields.is_empty() {
                continue;
            }
            let kind_label = RecordKind::parse(&row.record_kind)
                .map_or("Asset of Community Value entry", RecordKind::label);
            for field in &fields {
                found.push(Finding {
                    place: "changes",
                    row_key: row.seq.to_string(),
                    field: field.clone(),
                    what: format!(
                        "Version of {} “{name}” saved {} (change #{})",
                        kind_label,
                        row.at.format("%-d %B %Y"),
                        row.seq
                    ),
                });
            }
            if apply {
                let json = serde_json::to_value(&record).map_err(anyhow::Error::from)?;
                let value = json_value(backend, json);
                exec(
                    txn,
                    "UPDATE changes SET record = ? WHERE seq = ?",
                    vec![value, row.seq.into()],
                )
                .await?;
            }
        }
    }
    Ok(())
}

async fn suggestion_emails(
    txn: &DatabaseTransaction,
    subject: &Subject,
    apply: bool,
    found: &mut Vec<Finding>,
) -> Result<()> {
    let Some(email) = subject.email() else {
        return Ok(());
    };
    #[derive(FromQueryResult)]
    struct Row {
        id: i64,
    }
    let rows = Row::find_by_statement(statement(
        txn.get_database_backend(),
        "SELECT id FROM suggestions WHERE LOWER(contact_email) = ?",
        vec![email.into()],
    ))
    .all(txn)
    .await?;
    for row in rows {
        found.push(Finding {
            place: "suggestions",
            row_key: row.id.to_string(),
            field: "contact_email".into(),
            what: format!("Email address on suggestion #{}", row.id),
        });
        if apply {
            exec(
                txn,
                "UPDATE suggestions SET contact_email = NULL WHERE id = ?",
                vec![row.id.into()],
            )
            .await?;
        }
    }
    Ok(())
}

async fn transfer_contacts(
    txn: &DatabaseTransaction,
    subject: &Subject,
    apply: bool,
    found: &mut Vec<Finding>,
) -> Result<()> {
    #[derive(FromQueryResult)]
    struct Row {
        id: Uuid,
        group_name: String,
        contact_name: String,
        contact_email: String,
        contact_phone: Option<String>,
    }
    let rows = Row::find_by_statement(statement(
        txn.get_database_backend(),
        "SELECT id, group_name, contact_name, contact_email, contact_phone \
         FROM transfer_cases WHERE contact_name <> ?",
        vec![REDACTED.into()],
    ))
    .all(txn)
    .await?;
    for row in rows {
        if !(subject.email_is(Some(&row.contact_email))
            || subject.phone_is(row.contact_phone.as_deref())
            || subject.name_is(Some(&row.contact_name)))
        {
            continue;
        }
        found.push(Finding {
            place: "transfer_cases",
            row_key: row.id.to_string(),
            field: "contact".into(),
            what: format!(
                "Contact for {}'s community asset transfer case",
                row.group_name
            ),
        });
        if apply {
            exec(
                txn,
                "UPDATE transfer_cases SET contact_name = ?, contact_email = ?, \
                 contact_phone = NULL WHERE id = ?",
                vec![REDACTED.into(), REDACTED.into(), row.id.into()],
            )
            .await?;
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn text_column(
    txn: &DatabaseTransaction,
    subject: &Subject,
    apply: bool,
    table: &'static str,
    key: Key,
    column: &str,
    what: &str,
    found: &mut Vec<Finding>,
) -> Result<()> {
    let backend = txn.get_database_backend();
    let (key_columns, key_where) = match key {
        Key::Uuid | Key::Int => ("id", "id = ?"),
        Key::ShortlistItem => (
            "shortlist_code, record_id",
            "shortlist_code = ? AND record_id = ?",
        ),
    };
    let sql = format!("SELECT {key_columns}, {column} FROM {table} WHERE {column} IS NOT NULL");
    let rows = txn.query_all_raw(statement(backend, &sql, vec![])).await?;
    for row in rows {
        let text: String = row.try_get("", column)?;
        let Some(clean) = subject.redact_text(&text) else {
            continue;
        };
        let (row_key, mut values): (String, Vec<DbValue>) = match key {
            Key::Uuid => {
                let id: Uuid = row.try_get("", "id")?;
                (id.to_string(), vec![id.into()])
            }
            Key::Int => {
                let id: i64 = row.try_get("", "id")?;
                (id.to_string(), vec![id.into()])
            }
            Key::ShortlistItem => {
                let code: String = row.try_get("", "shortlist_code")?;
                let id: Uuid = row.try_get("", "record_id")?;
                (format!("{code}/{id}"), vec![code.into(), id.into()])
            }
        };
        found.push(Finding {
            place: table,
            row_key,
            field: column.to_owned(),
            what: format!("{what} ({})", place_label(table)),
        });
        if apply {
            values.insert(0, clean.into());
            exec(
                txn,
                &format!("UPDATE {table} SET {column} = ? WHERE {key_where}"),
                values,
            )
            .await?;
        }
    }
    Ok(())
}

fn place_label(table: &str) -> &'static str {
    match table {
        "suggestions" => "a public suggestion",
        "transfer_cases" | "transfer_case_stages" => "a community asset transfer case",
        "acv_entries" => "an Asset of Community Value entry",
        "shortlist_items" => "a shortlist",
        _ => "other",
    }
}

async fn accounts(
    txn: &DatabaseTransaction,
    subject: &Subject,
    apply: bool,
    found: &mut Vec<Finding>,
) -> Result<()> {
    let Some(email) = subject.email() else {
        return Ok(());
    };
    #[derive(FromQueryResult)]
    struct Row {
        id: Uuid,
        role: String,
    }
    let key = crate::store::users::email_key(email);
    let rows = Row::find_by_statement(statement(
        txn.get_database_backend(),
        "SELECT id, role FROM users WHERE email_key = ?",
        vec![key.clone().into()],
    ))
    .all(txn)
    .await?;
    for row in rows {
        found.push(Finding {
            place: "users",
            row_key: row.id.to_string(),
            field: "email".into(),
            what: format!(
                "Staff account ({})",
                crate::domain::Role::parse(&row.role).map_or(row.role.as_str(), |r| r.label())
            ),
        });
        if apply {
            let placeholder = format!("erased-{}@erased.invalid", row.id);
            exec(
                txn,
                "UPDATE users SET email = ?, email_key = ?, password_hash = NULL, \
                 disabled_at = ?, updated_at = ? WHERE id = ?",
                vec![
                    placeholder.clone().into(),
                    placeholder.into(),
                    Utc::now().into(),
                    Utc::now().into(),
                    row.id.into(),
                ],
            )
            .await?;
            for table in ["sessions", "password_tokens"] {
                exec(
                    txn,
                    &format!("DELETE FROM {table} WHERE user_id = ?"),
                    vec![row.id.into()],
                )
                .await?;
            }
        }
    }
    // Failed sign-ins are counted under a hash of the address: pseudonymous, still theirs.
    let failure_key = crate::store::sign_in_failures::ThrottleKey::account(email).key;
    if apply {
        exec(
            txn,
            "DELETE FROM sign_in_failures WHERE key = ?",
            vec![failure_key.into()],
        )
        .await?;
    }
    Ok(())
}

async fn outbox(
    txn: &DatabaseTransaction,
    subject: &Subject,
    apply: bool,
    found: &mut Vec<Finding>,
) -> Result<()> {
    #[derive(FromQueryResult)]
    struct Row {
        id: i64,
        recipient: String,
        subject: String,
        body: String,
        sent_at: Option<DateTime<Utc>>,
    }
    let rows = Row::find_by_statement(statement(
        txn.get_database_backend(),
        "SELECT id, recipient, subject, body, sent_at FROM outbox WHERE recipient <> ?",
        vec![REDACTED.into()],
    ))
    .all(txn)
    .await?;
    for row in rows {
        let to_them = subject.email_is(Some(&row.recipient));
        let body = subject.redact_text(&row.body);
        if !to_them && body.is_none() {
            continue;
        }
        let sent = row.sent_at.is_some();
        found.push(Finding {
            place: "outbox",
            row_key: row.id.to_string(),
            field: if to_them { "recipient" } else { "body" }.into(),
            what: format!(
                "{} “{}”",
                if sent {
                    "Email sent"
                } else {
                    "Email waiting to be sent"
                },
                row.subject
            ),
        });
        if !apply {
            continue;
        }
        if to_them && !sent {
            exec(txn, "DELETE FROM outbox WHERE id = ?", vec![row.id.into()]).await?;
        } else if to_them {
            exec(
                txn,
                "UPDATE outbox SET recipient = ?, body = ? WHERE id = ?",
                vec![REDACTED.into(), REDACTED.into(), row.id.into()],
            )
            .await?;
        } else if let Some(body) = body {
            exec(
                txn,
                "UPDATE outbox SET body = ? WHERE id = ?",
                vec![body.into(), row.id.into()],
            )
            .await?;
        }
    }
    Ok(())
}

/// Records an import held back for review: their payload is the incoming record.
async fn import_reviews(
    txn: &DatabaseTransaction,
    subject: &Subject,
    apply: bool,
    found: &mut Vec<Finding>,
) -> Result<()> {
    #[derive(FromQueryResult)]
    struct Row {
        id: i64,
        source_key: String,
        payload: String,
    }
    let backend = txn.get_database_backend();
    let rows = Row::find_by_statement(statement(
        backend,
        "SELECT id, source_key, CAST(payload AS TEXT) AS payload FROM import_reviews",
        vec![],
    ))
    .all(txn)
    .await?;
    for row in rows {
        let Ok(mut payload) = serde_json::from_str::<Value>(&row.payload) else {
            continue;
        };
        let Some(person) = payload.get_mut("contact_person") else {
            continue;
        };
        if person.is_null() || !subject.is_person(person) {
            continue;
        }
        *person = Value::Null;
        found.push(Finding {
            place: "import_reviews",
            row_key: row.id.to_string(),
            field: "contact_person".into(),
            what: format!(
                "Contact person in an import from {} awaiting review",
                row.source_key
            ),
        });
        if apply {
            let value = json_value(backend, payload);
            exec(
                txn,
                "UPDATE import_reviews SET payload = ? WHERE id = ?",
                vec![value, row.id.into()],
            )
            .await?;
        }
    }
    Ok(())
}

/// A JSON column's value: `jsonb` on PostgreSQL, text on SQLite.
fn json_value(backend: DbBackend, json: Value) -> DbValue {
    if backend == DbBackend::Postgres {
        json.into()
    } else {
        json.to_string().into()
    }
}

/// A statement with `?` placeholders, numbered `$1, $2, ...` for PostgreSQL.
pub(super) fn statement(backend: DbBackend, sql: &str, values: Vec<DbValue>) -> Statement {
    let sql = if backend == DbBackend::Postgres {
        let mut out = String::with_capacity(sql.len() + 8);
        let mut n = 0;
        for c in sql.chars() {
            if c == '?' {
                n += 1;
                out.push_str(&format!("${n}"));
            } else {
                out.push(c);
            }
        }
        out
    } else {
        sql.to_owned()
    };
    Statement::from_sql_and_values(backend, sql, values)
}

pub(super) async fn exec(txn: &DatabaseTransaction, sql: &str, values: Vec<DbValue>) -> Result<()> {
    txn.execute_raw(statement(txn.get_database_backend(), sql, values))
        .await?;
    Ok(())
}
