//! ORUK publishes no deletions, so an ORUK mirror finds them the way mature sync tools do:
//! every run, after the changes, walks the origin's complete list of service ids (cheaply,
//! `minimal=true`) and deletes the mirrored services that aren't in it — each only after the
//! origin confirms it is gone (`/services/{id}` answers 404), since a list ordered by name can
//! shift under a walk. Their organisation and locations go too when nothing else uses them.
//! Deletes go through the store's normal delete, so the change log and the RPDE feeds show
//! them. A walk that fails or stops part-way deletes nothing.

use std::collections::HashSet;

use anyhow::Context;
use uuid::Uuid;

use super::{Client, Report, delete, reason};
use crate::domain::{Location, Organisation, RecordKind, Service};
use crate::store::{SourceRef, Store, sources};

/// Ids asked for per page of the id walk.
const PER_PAGE: u32 = 100;
/// Pages the id walk reads at most.
const MAX_PAGES: u32 = 100_000;

/// Deletes this source's services that `base` no longer lists (and what only they used).
pub async fn delete_unlisted(
    store: &Store,
    client: &Client,
    base: &str,
    source: &SourceRef,
    report: &mut Report,
) -> anyhow::Result<()> {
    let listed = listed_ids(client, base, report).await.with_context(|| {
        format!("{base}/services: the full list could not be read, so nothing was deleted")
    })?;
    let mirrored = sources::links_of(&store.db, &source.key, RecordKind::Service).await?;
    let mut gone = Vec::new();
    for (origin_id, link) in mirrored {
        if link.merged || listed.contains(&origin_id) {
            continue;
        }
        let one = format!("{base}/services/{origin_id}");
        match client.get_optional(&one, "application/json").await {
            Ok(None) => gone.push((origin_id, link.record_id)),
            // Still there: the list moved while it was walked.
            Ok(Some(_)) => {}
            Err(e) => report.fail(format!(
                "service {origin_id}: not in the list, but could not confirm it is gone: {e:#}"
            )),
        }
    }
    // Organisations and locations from this source, by local id.
    let mut parts = Vec::new();
    for kind in [RecordKind::Location, RecordKind::Organisation] {
        for (origin_id, link) in sources::links_of(&store.db, &source.key, kind).await? {
            if !link.merged {
                parts.push((link.record_id, (kind, origin_id)));
            }
        }
    }
    let part_of = |id: Uuid| parts.iter().find(|(r, _)| *r == id).map(|(_, p)| p.clone());
    let mut tried = HashSet::new();
    for (origin_id, local) in gone {
        let used: Option<Service> = store.get(local).await?;
        match delete::<Service>(store, source, &origin_id).await {
            Ok(true) => report.deleted += 1,
            Ok(false) => {
                report.fail(format!(
                    "service {origin_id}: gone at the origin, but still used here"
                ));
                continue;
            }
            Err(e) => {
                report.fail(format!("service {origin_id}: {}", reason(e)));
                continue;
            }
        }
        let Some(service) = used else { continue };
        let ids = service
            .location_ids
            .iter()
            .copied()
            .chain([service.organisation_id]);
        for (kind, part_origin) in ids.filter_map(part_of) {
            if !tried.insert(part_origin.clone()) {
                continue;
            }
            // Kept (`Ok(false)`) while another record still uses it.
            let deleted = match kind {
                RecordKind::Location => delete::<Location>(store, source, &part_origin).await,
                _ => delete::<Organisation>(store, source, &part_origin).await,
            };
            match deleted {
                Ok(true) => report.deleted += 1,
                Ok(false) => {}
                Err(e) => report.fail(format!("{} {part_origin}: {}", kind.label(), reason(e))),
            }
        }
    }
    Ok(())
}

/// Every service id `base` lists, walking `minimal=true` pages to the last. An error, a page
/// that isn't one, or a count that doesn't match the list's `total_items` is an error.
async fn listed_ids(
    client: &Client,
    base: &str,
    report: &mut Report,
) -> anyhow::Result<HashSet<String>> {
    let mut ids = HashSet::new();
    let mut total = None;
    for page in 1..=MAX_PAGES {
        let list = format!("{base}/services?minimal=true&page={page}&per_page={PER_PAGE}");
        let body = client.json(&list).await?;
        report.pages += 1;
        let contents = super::oruk::page_contents(&body, &list)?;
        total = body["total_items"].as_u64().or(total);
        for item in contents {
            let id = item["id"]
                .as_str()
                .with_context(|| format!("{list}: an item without an id"))?;
            ids.insert(id.to_owned());
        }
        if super::oruk::is_last(&body, page) {
            if let Some(total) = total
                && total != ids.len() as u64
            {
                anyhow::bail!(
                    "the list says {total} services but {} were read (it changed during the walk)",
                    ids.len()
                );
            }
            return Ok(ids);
        }
    }
    anyhow::bail!("gave up after {MAX_PAGES} pages without reaching the last")
}
