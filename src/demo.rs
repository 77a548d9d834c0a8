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
    Ok(n)
}
