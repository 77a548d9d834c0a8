//! Staff reminders in the reminder pass: a community asset transfer case's current-stage
//! deadline, and an Asset of Community Value nomination's decision, falling due within
//! [`WINDOW_DAYS`] days or already passed (days are UK days, Europe/London).
//!
//! Exactly once, through the outbox's dedupe keys:
//! - `transfer-deadline:{case}:{stage}:{deadline}:{user}:{soon|overdue}` — a deadline is
//!   reminded once as it approaches and once more after it has passed; a new stage or a moved
//!   deadline is a new key.
//! - `acv-decision:{entry}:{decision due}:{user}` — once per nomination and person.
//!
//! Recipients: for a case, its officer when the stage's officer text is the email of an enabled
//! administrator or moderator, otherwise every enabled administrator and moderator; for a
//! nomination, all of them. The mails name the asset, the stage or nomination and the date and
//! link to the staff pages; they never carry the applicant's or nominator's contact details.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::Config;
use crate::domain::transfer::TransferCase;
use crate::store::Store;
use crate::store::acv::AcvRecord;
use crate::store::outbox::Queued;

/// How many days ahead a date counts as "soon".
pub const WINDOW_DAYS: i64 = 7;

/// Where a date stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Today or within [`WINDOW_DAYS`] days.
    Soon,
    /// Before today.
    Overdue,
}

impl Due {
    pub fn as_str(self) -> &'static str {
        match self {
            Due::Soon => "soon",
            Due::Overdue => "overdue",
        }
    }
}

/// Whether `date` is due soon or overdue on `today`; `None` while it is further off.
pub fn due_on(date: NaiveDate, today: NaiveDate) -> Option<Due> {
    if date < today {
        Some(Due::Overdue)
    } else if (date - today).num_days() <= WINDOW_DAYS {
        Some(Due::Soon)
    } else {
        None
    }
}

/// The UK day of `now`.
pub fn uk_day(now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&chrono_tz::Europe::London).date_naive()
}

fn day(d: NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

/// "today", "in 3 days", "1 day ago".
fn relative(date: NaiveDate, today: NaiveDate) -> String {
    let n = (date - today).num_days();
    let days = |n: i64| {
        if n == 1 {
            "1 day".to_owned()
        } else {
            format!("{n} days")
        }
    };
    match n {
        0 => "today".to_owned(),
        n if n > 0 => format!("in {}", days(n)),
        n => format!("{} ago", days(-n)),
    }
}

/// The dedupe key of a deadline reminder.
pub fn deadline_key(case: Uuid, stage: &str, deadline: NaiveDate, user: Uuid, due: Due) -> String {
    format!(
        "transfer-deadline:{case}:{stage}:{deadline}:{user}:{}",
        due.as_str()
    )
}

/// The dedupe key of a decision reminder.
pub fn decision_key(entry: Uuid, due: NaiveDate, user: Uuid) -> String {
    format!("acv-decision:{entry}:{due}:{user}")
}

/// The staff account a stage's officer text names, if it is the email of an enabled
/// administrator or moderator.
async fn officer_account(
    store: &Store,
    officer: Option<&str>,
) -> anyhow::Result<Option<(Uuid, String)>> {
    let Some(text) = officer.map(str::trim).filter(|t| t.contains('@')) else {
        return Ok(None);
    };
    Ok(store
        .user_by_email(text)
        .await?
        .filter(|u| u.role.sees_all_records() && !u.is_disabled())
        .map(|u| (u.id, u.email)))
}

/// Queues a reminder for each open case whose current-stage deadline is due soon or has passed.
pub async fn queue_transfer_deadlines(
    store: &Store,
    config: &Config,
    now: DateTime<Utc>,
) -> anyhow::Result<u64> {
    let today = uk_day(now);
    let stages = config.transfer_stages();
    let mut staff: Option<Vec<(Uuid, String)>> = None;
    let mut queued = 0;
    for listing in store.open_transfer_cases(&stages).await? {
        let case = &listing.case;
        let Some(deadline) = case.current_deadline() else {
            continue;
        };
        let Some(due) = due_on(deadline, today) else {
            continue;
        };
        let officer = case.history.last().and_then(|h| h.officer.as_deref());
        let (recipients, named) = match officer_account(store, officer).await? {
            Some(account) => (vec![account], true),
            None => {
                if staff.is_none() {
                    staff = Some(store.staff_recipients().await?);
                }
                (staff.clone().unwrap_or_default(), false)
            }
        };
        for (user, email) in recipients {
            let message = deadline_mail(
                config,
                case,
                &listing.asset_name,
                (deadline, due, today),
                (user, &email),
                named,
            );
            if store.queue_mail(&message, now).await? {
                queued += 1;
            }
        }
    }
    Ok(queued)
}

fn deadline_mail(
    config: &Config,
    case: &TransferCase,
    asset_name: &str,
    (deadline, due, today): (NaiveDate, Due, NaiveDate),
    (user, email): (Uuid, &str),
    named: bool,
) -> Queued {
    let site = config.public_url();
    let (subject, state) = match due {
        Due::Soon => ("Transfer deadline soon", "falls due"),
        Due::Overdue => ("Transfer deadline passed", "passed"),
    };
    let why = if named {
        "You get this email because you are the officer named on this stage.".to_owned()
    } else {
        format!(
            "You get this email because you are an administrator or moderator of the Junction \
             register at {site}, and this stage names no officer with an account."
        )
    };
    let body = format!(
        "Hello,\n\n\
         The community asset transfer case for \"{asset_name}\" is at the stage \"{stage}\", \
         whose deadline {state} {relative}: {deadline}.\n\n\
         The case (you will be asked to sign in first):\n\n{site}/admin/transfer-cases/{id}\n\n\
         {why}\n",
        stage = case.stage_label,
        relative = relative(deadline, today),
        deadline = day(deadline),
        id = case.id,
    );
    Queued {
        dedupe_key: deadline_key(case.id, &case.stage, deadline, user, due),
        recipient: email.to_owned(),
        subject: format!("{subject}: {asset_name}, {}", case.stage_label),
        body,
    }
}

/// Queues a reminder, for every administrator and moderator, of each undecided nomination
/// whose decision is due soon or overdue.
pub async fn queue_acv_decisions(
    store: &Store,
    config: &Config,
    now: DateTime<Utc>,
) -> anyhow::Result<u64> {
    let today = uk_day(now);
    let pending: Vec<AcvRecord> = store
        .acv_list()
        .await?
        .into_iter()
        .filter(|r| r.entry.decision.is_none() && r.entry.removed.is_none())
        .filter(|r| due_on(r.entry.decision_due(), today).is_some())
        .collect();
    if pending.is_empty() {
        return Ok(0);
    }
    let staff = store.staff_recipients().await?;
    let mut queued = 0;
    for record in &pending {
        for (user, email) in &staff {
            let message = decision_mail(config, record, today, *user, email);
            if store.queue_mail(&message, now).await? {
                queued += 1;
            }
        }
    }
    Ok(queued)
}

fn decision_mail(
    config: &Config,
    record: &AcvRecord,
    today: NaiveDate,
    user: Uuid,
    email: &str,
) -> Queued {
    let site = config.public_url();
    let e = &record.entry;
    let due = e.decision_due();
    let state = if due < today { "was due" } else { "is due" };
    let body = format!(
        "Hello,\n\n\
         The nomination of \"{name}\" ({reference}) as an Asset of Community Value by {group}, \
         received on {received}, has no decision yet. The decision {state} {relative}: {due_day} \
         (8 weeks beginning with the day it was received).\n\n\
         Record the decision here (you will be asked to sign in first):\n\n{site}/admin/acv/{id}\n\n\
         You get this email because you are an administrator or moderator of the Junction \
         register at {site}.\n",
        name = e.name,
        reference = e.reference,
        group = e.nominating_group,
        received = day(e.nomination_received),
        relative = relative(due, today),
        due_day = day(due),
        id = e.id,
    );
    Queued {
        dedupe_key: decision_key(e.id, due, user),
        recipient: email.to_owned(),
        subject: format!("ACV decision due {}: {}", day(due), e.name),
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_date_is_due_within_seven_days_and_overdue_after_it() {
        let today = d(2026, 3, 1);
        assert_eq!(due_on(d(2026, 3, 9), today), None);
        assert_eq!(due_on(d(2026, 3, 8), today), Some(Due::Soon));
        assert_eq!(due_on(today, today), Some(Due::Soon));
        assert_eq!(due_on(d(2026, 2, 28), today), Some(Due::Overdue));
    }

    #[test]
    fn the_uk_day_is_used_not_utc() {
        // 23:30 UTC on 30 June is already 1 July in London (BST).
        let now: DateTime<Utc> = "2026-06-30T23:30:00Z".parse().unwrap();
        assert_eq!(uk_day(now), d(2026, 7, 1));
    }

    #[test]
    fn relative_days_read_naturally() {
        let today = d(2026, 3, 10);
        assert_eq!(relative(today, today), "today");
        assert_eq!(relative(d(2026, 3, 11), today), "in 1 day");
        assert_eq!(relative(d(2026, 3, 7), today), "3 days ago");
    }
}
