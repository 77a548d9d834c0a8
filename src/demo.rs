//! The demo register: a fictional town, Millbrook, written by the project in
//! `data/demo/register.json` (regenerate with `python3 data/demo/generate.py`) and embedded in
//! the binary. Every record goes through the normal create path, so it is validated, in the
//! change log and in the index like any other.

use serde::Deserialize;

use crate::domain::{Asset, Location, Organisation, Service, Space};
use crate::store::{Actor, Store, Stored};

/// The demo register, embedded.
pub const DEMO_REGISTER: &str = include_str!("../data/demo/register.json");

#[derive(Deserialize)]
struct Register {
    organisations: Vec<Organisation>,
    locations: Vec<Location>,
    services: Vec<Service>,
    spaces: Vec<Space>,
    assets: Vec<Asset>,
}

async fn create_all<R: Stored>(
    store: &Store,
    records: Vec<R>,
    actor: &Actor,
) -> anyhow::Result<usize> {
    let n = records.len();
    for record in records {
        let id = record.meta().map(|m| m.id).or_else(|| {
            // The file carries ids so records can point at each other; read them back out.
            serde_json::to_value(&record)
                .ok()?
                .get("id")?
                .as_str()?
                .parse()
                .ok()
        });
        let name = record.name().to_owned();
        store
            .create(record, id, actor)
            .await
            .map_err(|e| anyhow::anyhow!("demo {} '{name}': {e}", R::KIND.label()))?;
    }
    Ok(n)
}

/// Whether the demo register is already in this database.
pub async fn is_loaded(store: &Store) -> anyhow::Result<bool> {
    let register: Register = serde_json::from_str(DEMO_REGISTER)?;
    let Some(first) = register.organisations.first() else {
        return Ok(false);
    };
    Ok(store.get::<Organisation>(first.id).await?.is_some())
}

/// Loads the demo register; returns how many records were written.
pub async fn load(store: &Store) -> anyhow::Result<usize> {
    let register: Register = serde_json::from_str(DEMO_REGISTER)?;
    let actor = Actor::new("system:demo");
    // Demo postcodes resolve without an import. A hidden address's postcode is left out:
    // recording its exact point would publish what the location hides.
    let points: Vec<(String, f64, f64)> = register
        .locations
        .iter()
        .filter(|l| !l.hide_address && !l.postcode.is_empty())
        .map(|l| (l.postcode.clone(), l.latitude, l.longitude))
        .collect();
    let mut n = 0;
    n += create_all(store, register.organisations, &actor).await?;
    n += create_all(store, register.locations, &actor).await?;
    for (postcode, latitude, longitude) in points {
        crate::geo::postcodes::remember_postcode(&store.db, &postcode, latitude, longitude, "demo")
            .await?;
    }
    n += create_all(store, register.services, &actor).await?;
    // Assets before spaces: a space names the asset it is part of.
    n += create_all(store, register.assets, &actor).await?;
    n += create_all(store, register.spaces, &actor).await?;
    n += load_acv(store).await?;
    Ok(n)
}

/// The demo Assets of Community Value, embedded.
pub const DEMO_ACV: &str = include_str!("../data/demo/acv.json");

#[derive(Deserialize)]
struct DemoAcv {
    entries: Vec<DemoAcvEntry>,
}

#[derive(Deserialize)]
struct DemoAcvEntry {
    /// A nomination as the API takes it, without `received`.
    nomination: serde_json::Value,
    received_days_ago: u64,
    #[serde(default)]
    decision: Option<DemoDecision>,
    #[serde(default)]
    disposals: Vec<DemoDisposal>,
}

#[derive(Deserialize)]
struct DemoDecision {
    decision: crate::domain::acv::Decision,
    days_after_received: u64,
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Deserialize)]
struct DemoDisposal {
    notice_days_ago: u64,
    #[serde(default)]
    bidder_request: Option<DemoBidderRequest>,
}

#[derive(Deserialize)]
struct DemoBidderRequest {
    days_after_notice: u64,
    group: String,
}

/// Loads the demo ACV entries (`data/demo/acv.json`, dates counted back from today) through
/// the same calls as the API; returns how many entries were written.
pub async fn load_acv(store: &Store) -> anyhow::Result<usize> {
    use chrono::Days;

    use crate::domain::acv::{BidderRequestInput, DecisionInput, NoticeInput};

    let demo: DemoAcv = serde_json::from_str(DEMO_ACV)?;
    let actor = Actor::new("system:demo");
    let today = crate::store::acv::today();
    let back = |days: u64| {
        today
            .checked_sub_days(Days::new(days))
            .ok_or_else(|| anyhow::anyhow!("demo ACV date out of range"))
    };
    let forward = |from: chrono::NaiveDate, days: u64| {
        from.checked_add_days(Days::new(days))
            .ok_or_else(|| anyhow::anyhow!("demo ACV date out of range"))
    };
    let n = demo.entries.len();
    for e in demo.entries {
        let received = back(e.received_days_ago)?;
        let mut nomination = e.nomination;
        nomination["received"] = serde_json::json!(received);
        let nomination: crate::domain::acv::Nomination = serde_json::from_value(nomination)?;
        let what = nomination
            .reference
            .clone()
            .unwrap_or_else(|| nomination.name.clone());
        let err = |e: crate::AppError| anyhow::anyhow!("demo ACV entry {what}: {e}");
        let id = store
            .acv_nominate(nomination, &actor, today)
            .await
            .map_err(err)?
            .entry
            .id;
        if let Some(d) = e.decision {
            let input = DecisionInput {
                decision: d.decision,
                decided: forward(received, d.days_after_received)?,
                reason: d.reason,
            };
            store
                .acv_decide(id, input, &actor, today)
                .await
                .map_err(err)?;
        }
        for d in e.disposals {
            let notice = back(d.notice_days_ago)?;
            let r = store
                .acv_notify_disposal(id, NoticeInput { received: notice }, &actor, today)
                .await
                .map_err(err)?;
            let (Some(b), Some(episode)) = (d.bidder_request, r.entry.current_disposal()) else {
                continue;
            };
            let input = BidderRequestInput {
                received: forward(notice, b.days_after_notice)?,
                group: b.group,
            };
            store
                .acv_request_to_bid(id, episode.id, input, &actor, today)
                .await
                .map_err(err)?;
        }
    }
    Ok(n)
}
