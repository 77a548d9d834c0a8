//! Writes mapped objects: each in one transaction (a savepoint inside one outer transaction
//! that is rolled back, for a dry run), so an object is written whole or not at all, and an
//! import stopped part-way is completed by running it again.
//!
//! For each object, by its source identifier:
//! - already imported, and the source says the same (content hash): **unchanged**, nothing
//!   written;
//! - already imported, the source says something new: its records are **updated**;
//! - merged by a review into a record that already existed: **unchanged** while the source
//!   says the same; **flagged** again for review when it changes (an import never writes
//!   through a merge);
//! - held for review and the source says the same: **unchanged** (still held, noted);
//! - new: if a record of its kind is likely the same place ([`super::dedupe`]) it is
//!   **flagged** and held for review, otherwise **created** — unless a review said it is
//!   distinct, when it is created without the check.

use std::collections::{HashMap, HashSet};

use sea_orm::{ConnectionTrait, DatabaseTransaction, TransactionTrait, sea_query::Query};
use uuid::Uuid;

use super::{Entry, Object, Part, Place, Primary, Report, Status, dedupe};
use crate::domain::{Location, Organisation, RecordKind};
use crate::error::{AppError, Result};
use crate::store::reviews::{self, Hold, Resolution};
use crate::store::sources::{self, Outcome, SourceRef, content_hash};
use crate::store::{Actor, Store, Stored, links};

/// How to run an import.
#[derive(Debug, Clone)]
pub struct Options {
    pub source: SourceRef,
    /// Do everything, then roll back: the report says what would have happened.
    pub dry_run: bool,
    pub actor: Actor,
}

/// What writing one object did.
struct Done {
    status: Status,
    reason: Option<String>,
    notes: Vec<String>,
}

impl Done {
    fn status(status: Status) -> Self {
        Done {
            status,
            reason: None,
            notes: Vec::new(),
        }
    }
}

/// Writes every object of `parsed` and reports on each, in input order.
pub async fn write_all(store: &Store, parsed: super::Parsed, opts: &Options) -> Result<Report> {
    let mut report = Report {
        input: parsed.input,
        dry_run: opts.dry_run,
        warnings: parsed.warnings,
        entries: Vec::with_capacity(parsed.items.len()),
    };
    let slugs = known_slugs(&store.db).await?;
    let outer = if opts.dry_run {
        Some(store.begin_write().await?)
    } else {
        None
    };
    match &outer {
        Some(txn) => sources::upsert_source_in(txn, &opts.source).await?,
        None => store.upsert_source(&opts.source).await?,
    }
    let mut seen: HashMap<String, Place> = HashMap::new();
    for item in parsed.items {
        let mut object = match item {
            Ok(object) => object,
            Err(rejected) => {
                report.entries.push(Entry {
                    place: rejected.place,
                    source_id: rejected.source_id,
                    status: Status::Rejected,
                    reason: Some(rejected.reason),
                    notes: Vec::new(),
                });
                continue;
            }
        };
        let mut entry = Entry {
            place: object.place.clone(),
            source_id: Some(object.source_id.clone()),
            status: Status::Rejected,
            reason: None,
            notes: std::mem::take(&mut object.notes),
        };
        if let Some(first) = seen.get(&object.source_id) {
            entry.reason = Some(format!(
                "the source id '{}' was used before, by {first}: one of the two must change",
                object.source_id
            ));
            report.entries.push(entry);
            continue;
        }
        seen.insert(object.source_id.clone(), object.place.clone());
        keep_known_categories(&mut object, &slugs, &mut entry.notes);
        let txn = match &outer {
            Some(parent) => parent.begin().await?,
            None => store.begin_write().await?,
        };
        match write_one(store, &txn, &object, opts).await {
            Ok(done) => {
                txn.commit().await?;
                entry.status = done.status;
                entry.reason = done.reason;
                entry.notes.extend(done.notes);
            }
            Err(err) => {
                txn.rollback().await?;
                entry.reason = Some(reason_of(&err));
            }
        }
        report.entries.push(entry);
    }
    match outer {
        Some(txn) => txn.rollback().await?,
        None => store.changed.notify_one(),
    }
    Ok(report)
}

/// The message for a rejected object: a rule that failed names its field; an internal error
/// keeps its cause, since the operator running the import is the one who must act on it.
fn reason_of(err: &AppError) -> String {
    match err {
        AppError::Validation(e) => e.to_string(),
        AppError::Internal(e) => format!("{e:#}"),
        other => other.to_string(),
    }
}

async fn known_slugs<C: ConnectionTrait>(conn: &C) -> Result<HashSet<String>> {
    let q = Query::select()
        .column("slug")
        .from("taxonomy_terms")
        .to_owned();
    Ok(conn
        .query_all(&q)
        .await?
        .iter()
        .filter_map(|r| r.try_get::<String>("", "slug").ok())
        .collect())
}

/// Categories must be terms of the register's taxonomy; others are left out with a note
/// rather than failing the object.
fn keep_known_categories(object: &mut Object, slugs: &HashSet<String>, notes: &mut Vec<String>) {
    let categories = match &mut object.primary {
        Primary::Service(s) => &mut s.categories,
        Primary::Space(s) => &mut s.categories,
        _ => return,
    };
    categories.retain(|c| {
        let known = slugs.contains(&c.to_lowercase()) || c.parse::<Uuid>().is_ok();
        if !known {
            notes.push(format!(
                "left out category '{c}': not in the register's taxonomy"
            ));
        }
        known
    });
}

async fn write_one(
    store: &Store,
    txn: &DatabaseTransaction,
    object: &Object,
    opts: &Options,
) -> Result<Done> {
    let key = opts.source.key.as_str();
    let hash = content_hash(object)?;
    if let Some(link) = sources::find_link(txn, key, &object.source_id).await? {
        if link.merged {
            let name = links::name_of(txn, link.kind, link.record_id).await?;
            if link.content_hash == hash {
                let mut done = Done::status(Status::Unchanged);
                done.notes.push(format!(
                    "merged into {} '{}' ({})",
                    link.kind.label(),
                    name.unwrap_or_default(),
                    link.record_id
                ));
                return Ok(done);
            }
            let reason = format!(
                "changed at the source since it was merged into {} '{}' ({})",
                link.kind.label(),
                name.unwrap_or_default(),
                link.record_id
            );
            return hold(txn, object, key, &hash, (link.kind, link.record_id), reason).await;
        }
        if link.content_hash == hash {
            return Ok(Done::status(Status::Unchanged));
        }
        return write_records(store, txn, object, &hash, opts).await;
    }
    let latest = reviews::latest_for(txn, key, &object.source_id).await?;
    let distinct = match &latest {
        Some(r) if r.resolved_at.is_none() && r.content_hash == hash => {
            let mut done = Done::status(Status::Unchanged);
            done.notes.push(format!(
                "still held for review {} (junction import merge {} / distinct {})",
                r.id, r.id, r.id
            ));
            return Ok(done);
        }
        Some(r) => r.resolution == Some(Resolution::Distinct),
        None => false,
    };
    if !distinct {
        let at = object.whereabouts();
        let kind = object.primary.kind();
        if let Some(c) = dedupe::find(txn, kind, object.primary.name(), &at).await? {
            return hold(txn, object, key, &hash, (c.kind, c.id), c.reason()).await;
        }
    }
    write_records(store, txn, object, &hash, opts).await
}

async fn hold(
    txn: &DatabaseTransaction,
    object: &Object,
    key: &str,
    hash: &str,
    candidate: (RecordKind, Uuid),
    reason: String,
) -> Result<Done> {
    let payload = serde_json::to_value(object).map_err(anyhow::Error::from)?;
    let id = reviews::hold(
        txn,
        Hold {
            source_key: key,
            source_id: &object.source_id,
            candidate,
            payload,
            content_hash: hash,
            reason: &reason,
        },
    )
    .await?;
    Ok(Done {
        status: Status::Flagged,
        reason: Some(format!(
            "{reason}; held as review {id} (junction import merge {id})"
        )),
        notes: Vec::new(),
    })
}

/// Upserts the organisation, the locations and then the primary record.
async fn write_records(
    store: &Store,
    txn: &DatabaseTransaction,
    object: &Object,
    hash: &str,
    opts: &Options,
) -> Result<Done> {
    let key = opts.source.key.as_str();
    let actor = &opts.actor;
    let mut changed = false;
    let mut organisation_id = None;
    if let Some(part) = &object.organisation {
        let (outcome, id) = upsert_organisation(store, txn, key, part, actor).await?;
        changed |= outcome != Outcome::Unchanged;
        organisation_id = Some(id);
    }
    let mut location_ids = Vec::with_capacity(object.locations.len());
    for part in &object.locations {
        let mut location: Location = part.record.clone();
        if organisation_id.is_some() {
            location.organisation_id = organisation_id;
        }
        let (outcome, id) = upsert(
            store,
            txn,
            key,
            &part.source_id,
            location,
            None,
            part.preferred_id,
            actor,
        )
        .await?;
        changed |= outcome != Outcome::Unchanged;
        location_ids.push(id);
    }
    let org = organisation_id.unwrap_or_default();
    let first_location = location_ids.first().copied().unwrap_or_default();
    let (sid, pid) = (object.source_id.as_str(), object.preferred_id);
    let hash = Some(hash);
    let outcome = match object.primary.clone() {
        Primary::Organisation(r) => upsert(store, txn, key, sid, r, hash, pid, actor).await?.0,
        Primary::Space(mut r) => {
            r.organisation_id = org;
            r.location_id = first_location;
            upsert(store, txn, key, sid, r, hash, pid, actor).await?.0
        }
        Primary::Service(mut r) => {
            r.organisation_id = org;
            r.location_ids = location_ids;
            upsert(store, txn, key, sid, r, hash, pid, actor).await?.0
        }
        Primary::Asset(mut r) => {
            // A reader may name the owner itself (an existing record) instead of a part.
            if organisation_id.is_some() || r.owner_organisation_id.is_nil() {
                r.owner_organisation_id = org;
            }
            upsert(store, txn, key, sid, r, hash, pid, actor).await?.0
        }
    };
    Ok(Done::status(match outcome {
        Outcome::Created => Status::Created,
        Outcome::Updated => Status::Updated,
        Outcome::Unchanged if changed => Status::Updated,
        Outcome::Unchanged => Status::Unchanged,
    }))
}

/// An organisation the input names may already be in the register under the same name
/// (normalised): then it is linked to that one, as a merge, and never written to.
async fn upsert_organisation(
    store: &Store,
    txn: &DatabaseTransaction,
    key: &str,
    part: &Part<Organisation>,
    actor: &Actor,
) -> Result<(Outcome, Uuid)> {
    if part.reuse_by_name
        && sources::find_link(txn, key, &part.source_id)
            .await?
            .is_none()
        && let Some(existing) = dedupe::by_name(txn, &part.record.name).await?
    {
        let hash = content_hash(&part.record)?;
        sources::link_in(
            txn,
            key,
            &part.source_id,
            RecordKind::Organisation,
            existing.id,
            &hash,
            true,
        )
        .await?;
        return Ok((Outcome::Unchanged, existing.id));
    }
    upsert(
        store,
        txn,
        key,
        &part.source_id,
        part.record.clone(),
        None,
        part.preferred_id,
        actor,
    )
    .await
}

/// One record through the store's upsert; `hash` defaults to the record's own.
#[allow(clippy::too_many_arguments)]
async fn upsert<R: Stored>(
    store: &Store,
    txn: &DatabaseTransaction,
    key: &str,
    source_id: &str,
    record: R,
    hash: Option<&str>,
    preferred_id: Option<Uuid>,
    actor: &Actor,
) -> Result<(Outcome, Uuid)> {
    let own;
    let hash = match hash {
        Some(h) => h,
        None => {
            own = content_hash(&record)?;
            own.as_str()
        }
    };
    let (outcome, record) = store
        .upsert_from_source_in(txn, key, source_id, record, hash, preferred_id, actor)
        .await?;
    let id = record
        .meta()
        .map(|m| m.id)
        .ok_or_else(|| anyhow::anyhow!("a stored record without an id"))?;
    Ok((outcome, id))
}
