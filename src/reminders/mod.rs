//! The reminder pass: queue a review reminder for every editor of the organisation owning each
//! record whose review is due, queue staff reminders of transfer case deadlines and ACV
//! decisions falling due ([`staff`]), deliver the outbox, and delete closed suggestions' contact
//! emails once they are 30 days old. `serve` runs it on an interval (`JUNCTION_REMINDERS_EVERY`)
//! and `junction reminders send` runs it once (cron, tests).
//!
//! Exactly once: each reminder's outbox row has the dedupe key
//! `review:{kind}:{id}:{due date}:{user id}` and is inserted only if absent, so reruns, restarts
//! and other nodes never queue it again; delivery is described in [`crate::mail::Mailer::deliver`]
//! (the file transport writes each row's file once; SMTP may resend a message if the process
//! dies between the server accepting it and the outbox recording that).

pub mod links;
pub mod staff;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::Config;
use crate::auth::signing::LinkKey;
use crate::domain::RecordKind;
use crate::domain::freshness::ReviewPolicy;
use crate::mail::{Delivered, Email, Mailer};
use crate::store::Store;
use crate::store::due::DueRecord;
use crate::store::outbox::Queued;
use crate::store::verify::check_stamp;

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Review reminders newly queued.
    pub queued: u64,
    /// Second ("last call") review reminders newly queued: the record leaves search soon.
    pub last_calls: u64,
    /// Transfer case deadline reminders newly queued.
    pub deadlines: u64,
    /// ACV decision-due reminders newly queued.
    pub decisions: u64,
    /// Messages delivered now.
    pub sent: u64,
    /// Messages the file transport had written before (a crashed run), now recorded as sent.
    pub already_written: u64,
    /// Messages whose delivery failed (tried again later).
    pub failed: u64,
    /// Closed suggestions whose submitter's email was deleted.
    pub purged: u64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "queued {}, last calls {}, deadline reminders {}, decision reminders {}, sent {}, already written {}, failed {}, emails purged {}",
            self.queued,
            self.last_calls,
            self.deadlines,
            self.decisions,
            self.sent,
            self.already_written,
            self.failed,
            self.purged
        )
    }
}

/// Runs the whole pass at `now`.
pub async fn run_pass(
    store: &Store,
    mailer: &Mailer,
    config: &Config,
    key: &LinkKey,
    now: DateTime<Utc>,
) -> anyhow::Result<Summary> {
    let (queued, last_calls) = queue_due(store, config, key, now).await?;
    let mut summary = Summary {
        queued,
        last_calls,
        deadlines: staff::queue_transfer_deadlines(store, config, now).await?,
        decisions: staff::queue_acv_decisions(store, config, now).await?,
        ..Summary::default()
    };
    deliver(store, mailer, now, &mut summary).await?;
    summary.purged = store
        .purge_suggestion_emails(now - crate::store::suggestions::KEEP_EMAIL)
        .await?;
    Ok(summary)
}

/// How long before an overdue record leaves default search its editors get a second reminder.
pub const LAST_CALL: chrono::Duration = chrono::Duration::days(14);

/// The day an overdue record leaves default search (its due date plus the grace period); `None`
/// when there is no grace period (it leaves search when it falls due).
pub fn leaves_search(policy: &ReviewPolicy, record: &DueRecord) -> Option<DateTime<Utc>> {
    (policy.grace_months > 0).then(|| {
        record
            .due
            .checked_add_months(chrono::Months::new(policy.grace_months))
            .unwrap_or(record.due)
    })
}

/// Queues a reminder for each due record and each of its organisation's editors, and a second
/// one, once, when the record is [`LAST_CALL`] from leaving default search (never in the same
/// pass as the first, so someone who first hears of it late does not get both at once).
/// Returns (first reminders, last calls) newly queued.
pub async fn queue_due(
    store: &Store,
    config: &Config,
    key: &LinkKey,
    now: DateTime<Utc>,
) -> anyhow::Result<(u64, u64)> {
    let policy = config.reviews();
    let due = store.due_for_review(&policy, now).await?;
    let mut last_calls = 0;
    let mut editors: std::collections::HashMap<Uuid, Vec<(Uuid, String)>> =
        std::collections::HashMap::new();
    let mut queued = 0;
    for record in &due {
        if let std::collections::hash_map::Entry::Vacant(e) = editors.entry(record.organisation_id)
        {
            e.insert(store.editors_of(record.organisation_id).await?);
        }
        let org_name = store
            .name_of(RecordKind::Organisation, record.organisation_id)
            .await?
            .unwrap_or_default();
        let leaves = leaves_search(&policy, record).filter(|day| now >= *day - LAST_CALL);
        for (user, email) in editors.get(&record.organisation_id).into_iter().flatten() {
            let message = reminder(config, key, record, &org_name, *user, email, now, None);
            if store.queue_mail(&message, now).await? {
                queued += 1;
            } else if let Some(day) = leaves {
                let last = reminder(config, key, record, &org_name, *user, email, now, Some(day));
                if store.queue_mail(&last, now).await? {
                    last_calls += 1;
                }
            }
        }
    }
    Ok((queued, last_calls))
}

/// The dedupe key of a reminder: one per record, due date and person.
pub fn dedupe_key(record: &DueRecord, user: Uuid) -> String {
    format!(
        "review:{}:{}:{}:{user}",
        record.kind.as_str(),
        record.id,
        record.due.date_naive()
    )
}

/// A review reminder; with `leaves_search`, the second one ("last call").
#[allow(clippy::too_many_arguments)]
fn reminder(
    config: &Config,
    key: &LinkKey,
    record: &DueRecord,
    org_name: &str,
    user: Uuid,
    email: &str,
    now: DateTime<Utc>,
    leaves_search: Option<DateTime<Utc>>,
) -> Queued {
    let site = config.public_url();
    let expires = links::expiry(now);
    let still = links::still_correct_path(
        key,
        record.kind,
        record.id,
        user,
        expires,
        check_stamp(record.last_verified_at),
    );
    let update = links::update_path(key, record.kind, record.id, user, expires);
    let checked = record.last_verified_at.unwrap_or(record.created_at);
    let public = match record.kind {
        RecordKind::Location | RecordKind::TaxonomyTerm => String::new(),
        kind => format!(
            "Its public page: {site}/{}/{}\n\n",
            kind.resource(),
            record.id
        ),
    };
    let uk_day = |t: DateTime<Utc>| {
        t.with_timezone(&chrono_tz::Europe::London)
            .format("%-d %B %Y")
            .to_string()
    };
    let (opening, subject, dedupe) = match leaves_search {
        None => (
            String::new(),
            format!("Is \"{}\" still correct?", record.name),
            dedupe_key(record, user),
        ),
        Some(day) if day > now => (
            format!(
                "This is a second reminder. Unless someone checks it, it will no longer show in searches from {}.\n\n",
                uk_day(day)
            ),
            format!(
                "\"{}\" leaves search on {} unless it is checked",
                record.name,
                uk_day(day)
            ),
            last_call_key(record, user),
        ),
        Some(day) => (
            format!(
                "This is a second reminder. Because nobody has checked it, it no longer shows in searches (since {}); its page is still there, and it comes back as soon as it is checked.\n\n",
                uk_day(day)
            ),
            format!("\"{}\" has left search until it is checked", record.name),
            last_call_key(record, user),
        ),
    };
    let body = format!(
        "Hello,\n\n\
         The {kind} \"{name}\" in the Junction register at {site} is due for review: it was last checked on {checked}.\n\n\
         {opening}\
         {public}\
         If everything in it is still right, say so here (no need to sign in):\n\n{site}{still}\n\n\
         If something has changed, update it here (you will be asked to sign in first):\n\n{site}{update}\n\n\
         Both links work for {days} days; the \"still correct\" link works once.\n\n\
         You get this email because you keep the records of {org_name} in the register.\n",
        kind = record.kind.label(),
        name = record.name,
        checked = checked
            .with_timezone(&chrono_tz::Europe::London)
            .format("%-d %B %Y"),
        days = links::LINK_DAYS,
    );
    Queued {
        dedupe_key: dedupe,
        recipient: email.to_owned(),
        subject,
        body,
    }
}

/// The dedupe key of the second reminder for a due date.
pub fn last_call_key(record: &DueRecord, user: Uuid) -> String {
    format!(
        "review-last-call:{}:{}:{}:{user}",
        record.kind.as_str(),
        record.id,
        record.due.date_naive()
    )
}

/// Delivers every unsent message that no other run holds, a batch at a time.
pub async fn deliver(
    store: &Store,
    mailer: &Mailer,
    now: DateTime<Utc>,
    summary: &mut Summary,
) -> anyhow::Result<()> {
    loop {
        let batch = store.claim_unsent(now, 100).await?;
        if batch.is_empty() {
            return Ok(());
        }
        for row in batch {
            let email = Email {
                to: row.recipient.clone(),
                subject: row.subject.clone(),
                text: row.body.clone(),
            };
            match mailer.deliver(row.id, &email).await {
                Ok(outcome) => {
                    store.mark_sent(row.id, Utc::now()).await?;
                    match outcome {
                        Delivered::Sent => summary.sent += 1,
                        Delivered::AlreadyWritten => summary.already_written += 1,
                    }
                }
                Err(e) => {
                    // The error names neither the recipient nor the content.
                    tracing::warn!(outbox = row.id, error = %e, "delivering a message failed");
                    store.mark_failed(row.id, &e.to_string()).await?;
                    summary.failed += 1;
                }
            }
        }
    }
}

/// Runs the pass every `every` until the task is dropped (missed ticks are delayed; a failed
/// pass is logged and the next one tries again).
pub fn spawn(
    store: Store,
    mailer: Mailer,
    config: std::sync::Arc<Config>,
    key: LinkKey,
    every: std::time::Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            match run_pass(&store, &mailer, &config, &key, Utc::now()).await {
                Ok(s) if s == Summary::default() => {}
                Ok(s) => tracing::info!(summary = %s, "reminder pass"),
                Err(e) => tracing::error!(error = ?e, "the reminder pass failed"),
            }
        }
    })
}
