//! The register the pages are timed on: the search benchmark's synthetic records
//! (`benches/search/synth.rs`, spread over Great Britain by population), dressed with the
//! fields of a demo record of the same kind (contact details, facilities, prices, hidden
//! addresses, contact people) and written through `Store::create`, the path the API and imports
//! take, into SQLite. The search index is then rebuilt from the database as `junction reindex`
//! does, so every page reads what a real register would give it.

use std::time::Instant;

use anyhow::Context;
use junction::{
    AppState,
    domain::{Asset, Location, Organisation, Service, Space},
    store::{Actor, Store, Stored},
};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::data::{Geo, Vocab};
use crate::rng::Rng;
use crate::synth::{Generator, Record};

/// Ids kept for the timed requests: up to this many per kind.
const KEEP: usize = 2000;

/// What the timed requests are drawn from.
#[derive(Default, serde::Serialize, serde::Deserialize)]
pub struct Samples {
    pub services: Vec<Uuid>,
    pub spaces: Vec<Uuid>,
    pub organisations: Vec<Uuid>,
    pub assets: Vec<Uuid>,
    /// Points (lon, lat) where records are, so searches near them find something.
    pub points: Vec<(f64, f64)>,
    /// Records written, locations included.
    pub written: usize,
    pub write_secs: f64,
    pub index_secs: f64,
}

/// Demo records per kind, as JSON patterns.
struct Patterns {
    organisations: Vec<Value>,
    locations: Vec<Value>,
    services: Vec<Value>,
    spaces: Vec<Value>,
    assets: Vec<Value>,
}

impl Patterns {
    fn load() -> anyhow::Result<Patterns> {
        let register: Value = serde_json::from_str(junction::demo::DEMO_REGISTER)?;
        let list = |key: &str| -> Vec<Value> {
            register[key]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|mut v| {
                    // Identifiers that must be unique, and links to boundaries this database
                    // does not have, are not carried over.
                    if let Some(o) = v.as_object_mut() {
                        for k in [
                            "id",
                            "uprn",
                            "asset_reference",
                            "identifier",
                            "service_areas",
                        ] {
                            o.remove(k);
                        }
                    }
                    v
                })
                .collect()
        };
        Ok(Patterns {
            organisations: list("organisations"),
            locations: list("locations"),
            services: list("services"),
            spaces: list("spaces"),
            assets: list("assets"),
        })
    }
}

fn set(v: &mut Value, key: &str, value: Value) {
    if let Some(o) = v.as_object_mut() {
        o.insert(key.to_owned(), value);
    }
}

fn record<R: DeserializeOwned>(v: Value, what: &str) -> anyhow::Result<R> {
    serde_json::from_value(v).with_context(|| format!("building a synthetic {what}"))
}

/// The outward code nearest to a point, for a plausible address.
fn nearest(geo: &Geo, (lon, lat): (f64, f64)) -> &crate::data::Outcode {
    let d = |o: &crate::data::Outcode| {
        let dx = (o.lon - lon) * lat.to_radians().cos();
        let dy = o.lat - lat;
        dx * dx + dy * dy
    };
    geo.outcodes
        .iter()
        .min_by(|a, b| d(a).total_cmp(&d(b)))
        .unwrap_or(&geo.outcodes[0])
}

const LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";

/// A postcode in the outward code `outcode`: "OL1 4QX".
fn postcode(outcode: &str, rng: &mut Rng) -> String {
    let l = |rng: &mut Rng| LETTERS[rng.below(LETTERS.len())] as char;
    format!("{outcode} {}{}{}", rng.below(10), l(rng), l(rng))
}

struct Writer<'a> {
    store: &'a Store,
    actor: Actor,
    rng: Rng,
    patterns: Patterns,
    geo: &'a Geo,
    vocab: &'a Vocab,
    /// The organisation that runs what comes next in the stream.
    current_org: Option<Uuid>,
    samples: Samples,
}

impl Writer<'_> {
    async fn create<R: Stored>(&mut self, record: R, id: Uuid) -> anyhow::Result<()> {
        let name = record.name().to_owned();
        self.store
            .create(record, Some(id), &self.actor)
            .await
            .map_err(|e| anyhow::anyhow!("writing {} '{name}': {e}", R::KIND.label()))?;
        self.samples.written += 1;
        Ok(())
    }

    fn pattern(&mut self, kind: &str) -> Value {
        let list = match kind {
            "organisation" => &self.patterns.organisations,
            "location" => &self.patterns.locations,
            "service" => &self.patterns.services,
            "space" => &self.patterns.spaces,
            _ => &self.patterns.assets,
        };
        list[self.rng.below(list.len())].clone()
    }

    fn new_id(&mut self) -> Uuid {
        Uuid::from_u128(u128::from(self.rng.next_u64()) << 64 | u128::from(self.rng.next_u64()))
    }

    fn categories(&self, r: &Record) -> Value {
        json!(
            r.categories
                .iter()
                .map(|&c| self.vocab.terms[c].slug.clone())
                .collect::<Vec<_>>()
        )
    }

    async fn organisation(
        &mut self,
        id: Uuid,
        name: &str,
        description: &str,
    ) -> anyhow::Result<()> {
        let mut v = self.pattern("organisation");
        set(&mut v, "name", json!(name));
        set(&mut v, "description", json!(description));
        self.create(record::<Organisation>(v, "organisation")?, id)
            .await?;
        self.current_org = Some(id);
        keep(&mut self.samples.organisations, id);
        Ok(())
    }

    /// The organisation for the next service, space or asset (one is made if none yet).
    async fn org(&mut self) -> anyhow::Result<Uuid> {
        if let Some(id) = self.current_org {
            return Ok(id);
        }
        let id = self.new_id();
        self.organisation(
            id,
            "Community Partnership",
            "A partnership of local groups.",
        )
        .await?;
        Ok(id)
    }

    async fn location(&mut self, r: &Record, org: Uuid) -> anyhow::Result<Uuid> {
        let id = self.new_id();
        let outcode = nearest(self.geo, (r.lon, r.lat));
        let mut v = self.pattern("location");
        let street = v["address_1"]
            .as_str()
            .and_then(|a| a.split_once(' ').map(|(_, s)| s.to_owned()))
            .unwrap_or_else(|| "High Street".to_owned());
        set(&mut v, "organisation_id", json!(org));
        set(&mut v, "name", json!(r.name));
        set(
            &mut v,
            "address_1",
            json!(format!("{} {street}", 1 + self.rng.below(300))),
        );
        set(&mut v, "town", json!(outcode.locality));
        set(
            &mut v,
            "postcode",
            json!(postcode(&outcode.code, &mut self.rng)),
        );
        set(&mut v, "latitude", json!(r.lat));
        set(&mut v, "longitude", json!(r.lon));
        set(&mut v, "accessibility", json!(r.accessibility));
        self.create(record::<Location>(v, "location")?, id).await?;
        Ok(id)
    }

    async fn write(&mut self, r: Record) -> anyhow::Result<()> {
        if self.samples.points.len() < KEEP {
            self.samples.points.push((r.lon, r.lat));
        }
        match r.kind {
            "organisation" => self.organisation(r.id, &r.name, &r.description).await,
            "service" => {
                let org = self.org().await?;
                let location = self.location(&r, org).await?;
                let mut v = self.pattern("service");
                set(&mut v, "organisation_id", json!(org));
                set(&mut v, "location_ids", json!([location]));
                set(&mut v, "name", json!(r.name));
                set(&mut v, "description", json!(r.description));
                set(&mut v, "categories", self.categories(&r));
                set(&mut v, "free", json!(r.free));
                set(&mut v, "opening_hours", json!(r.opening_hours));
                self.create(record::<Service>(v, "service")?, r.id).await?;
                keep(&mut self.samples.services, r.id);
                Ok(())
            }
            "space" => {
                let org = self.org().await?;
                let location = self.location(&r, org).await?;
                let mut v = self.pattern("space");
                set(&mut v, "organisation_id", json!(org));
                set(&mut v, "location_id", json!(location));
                set(&mut v, "name", json!(r.name));
                set(&mut v, "description", json!(r.description));
                set(&mut v, "categories", self.categories(&r));
                set(&mut v, "free", json!(r.free));
                set(&mut v, "accessibility", json!(r.accessibility));
                set(&mut v, "opening_hours", json!(r.opening_hours));
                self.create(record::<Space>(v, "space")?, r.id).await?;
                keep(&mut self.samples.spaces, r.id);
                Ok(())
            }
            _ => {
                let org = self.org().await?;
                let outcode = nearest(self.geo, (r.lon, r.lat));
                let mut v = self.pattern("asset");
                set(&mut v, "owner_organisation_id", json!(org));
                set(&mut v, "name", json!(r.name));
                set(&mut v, "description", json!(r.description));
                set(&mut v, "town", json!(outcode.locality));
                set(
                    &mut v,
                    "postcode",
                    json!(postcode(&outcode.code, &mut self.rng)),
                );
                set(&mut v, "latitude", json!(r.lat));
                set(&mut v, "longitude", json!(r.lon));
                self.create(record::<Asset>(v, "asset")?, r.id).await?;
                keep(&mut self.samples.assets, r.id);
                Ok(())
            }
        }
    }
}

fn keep(list: &mut Vec<Uuid>, id: Uuid) {
    if list.len() < KEEP {
        list.push(id);
    }
}

/// Writes `size` searchable records (services, spaces, organisations, assets; services and
/// spaces each with their own location as well) and rebuilds the index from the database.
pub async fn build(
    state: &AppState,
    size: usize,
    seed: u64,
    geo: &Geo,
    vocab: &Vocab,
) -> anyhow::Result<Samples> {
    let mut writer = Writer {
        store: &state.store,
        actor: Actor::new("system:bench"),
        rng: Rng::new(seed ^ 0x9e37_79b9_7f4a_7c15),
        patterns: Patterns::load()?,
        geo,
        vocab,
        current_org: None,
        samples: Samples::default(),
    };
    let mut generator = Generator::new(seed, geo, vocab);
    let started = Instant::now();
    let mut searchable = 0;
    let mut reported = 0;
    while searchable < size {
        let r = generator.next_record();
        let first = writer.current_org.is_none() && r.kind != "organisation";
        writer.write(r).await?;
        // An organisation made up for the first record counts too.
        searchable += if first { 2 } else { 1 };
        if searchable >= reported + 10_000 {
            reported = searchable;
            eprintln!(
                "  {searchable} records written ({:.0} s)",
                started.elapsed().as_secs_f64()
            );
        }
    }
    let mut samples = writer.samples;
    samples.write_secs = started.elapsed().as_secs_f64();
    let started = Instant::now();
    junction::search::indexer::rebuild(&state.store, &state.search, &|_, _| {}).await?;
    samples.index_secs = started.elapsed().as_secs_f64();
    Ok(samples)
}
