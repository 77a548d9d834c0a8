//! The HSDS 3.0 tabular datapackage as a zip: `datapackage.json` and one CSV per table in
//! [`TABLES`] (HSDS's, and `record_licences.csv` for records whose licence differs from the
//! register's), with the same values as the ORUK API (the rows are cut from the HSDS objects
//! `crate::oruk::hsds` writes, from published records in their public view).
//!
//! Streaming: a zip entry must be written in one piece, but one service gives rows to many
//! tables, so each table is written by its own walk over the records it comes from, 200 at
//! a time. The zip is written in stream mode (sizes and CRCs in data descriptors after each
//! entry, so nothing is ever rewritten) into a small buffer that is drained into a bounded
//! channel after every batch. Memory holds one batch and a few pieces in the channel;
//! a client that reads slowly holds the writer back, and one that leaves stops it.

use std::io::{self, Write};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use chrono::{SecondsFormat, Utc};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use uuid::Uuid;
use zip::{CompressionMethod, ZipWriter, write::SimpleFileOptions};

use super::Pieces;
use super::tables::{self, TABLES, Table, Walk};
use crate::domain::{Location, Organisation, RecordKind, Service, TaxonomyTerm};
use crate::oruk::hsds;
use crate::store::{Store, oruk::ServiceFilter};

/// Records loaded and written at once.
const BATCH: usize = 200;
/// Pieces waiting for the reader before the writer waits.
const PIECES_AHEAD: usize = 4;

/// What the package says about the register.
#[derive(Debug, Clone)]
pub struct PackageInfo {
    pub public_url: String,
    pub licence: String,
    pub attribution: String,
}

impl PackageInfo {
    pub fn new(config: &crate::Config) -> PackageInfo {
        PackageInfo {
            public_url: config.public_url(),
            licence: config.licence().to_owned(),
            attribution: config.data_attribution.clone(),
        }
    }
}

/// `datapackage.json`: a Frictionless tabular data package describing every CSV.
pub fn descriptor(info: &PackageInfo) -> Value {
    json!({
        "profile": "tabular-data-package",
        "name": "junction-register",
        "title": "Community services, spaces and organisations (HSDS 3.0)",
        "homepage": info.public_url,
        "created": Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true),
        "licenses": [{"path": info.licence, "title": info.attribution}],
        "sources": [{"title": "Junction", "path": info.public_url}],
        "resources": TABLES.iter().map(Table::resource).collect::<Vec<_>>(),
    })
}

/// Starts writing the package; its bytes arrive in order on the returned channel.
pub fn spawn(store: Store, info: PackageInfo) -> Pieces {
    let (tx, rx) = mpsc::channel(PIECES_AHEAD);
    tokio::spawn(async move {
        if let Err(e) = write(&store, &info, &tx).await {
            if tx.is_closed() {
                tracing::debug!("datapackage export stopped: the reader went away");
            } else {
                tracing::error!(error = ?e, "datapackage export failed");
                tx.send(Err(io::Error::other("the export failed")))
                    .await
                    .ok();
            }
        }
    });
    rx
}

/// The zip's output: bytes written but not yet sent.
#[derive(Clone, Default)]
struct Pending(Arc<Mutex<Vec<u8>>>);

impl Write for Pending {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| io::Error::other("export buffer poisoned"))?
            .extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Pending {
    /// Sends what has been written so far.
    async fn send(&self, tx: &mpsc::Sender<io::Result<Bytes>>) -> anyhow::Result<()> {
        let bytes = std::mem::take(
            &mut *self
                .0
                .lock()
                .map_err(|_| anyhow::anyhow!("export buffer poisoned"))?,
        );
        if !bytes.is_empty() {
            tx.send(Ok(Bytes::from(bytes)))
                .await
                .map_err(|_| anyhow::anyhow!("the reader went away"))?;
        }
        Ok(())
    }
}

async fn write(
    store: &Store,
    info: &PackageInfo,
    tx: &mpsc::Sender<io::Result<Bytes>>,
) -> anyhow::Result<()> {
    let pending = Pending::default();
    let mut zip = ZipWriter::new_stream(pending.clone());
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    zip.start_file("datapackage.json", options)?;
    zip.write_all(&serde_json::to_vec_pretty(&descriptor(info))?)?;
    pending.send(tx).await?;
    for table in TABLES {
        zip.start_file(table.path, options)?;
        zip.write_all(&csv_rows(std::iter::once(table.columns()))?)?;
        for from in table.from {
            let ids = walk_ids(store, from.walk).await?;
            for chunk in ids.chunks(BATCH) {
                let objects = objects(store, info, from.walk, chunk).await?;
                let rows = objects.iter().flat_map(|o| tables::rows(o, from.path));
                zip.write_all(&csv_rows(
                    rows.map(|row| table.columns().map(|c| tables::cell(row, c))),
                )?)?;
                pending.send(tx).await?;
            }
        }
    }
    zip.finish()?;
    pending.send(tx).await
}

/// CSV lines (RFC 4180, quoted where needed) for `rows`.
fn csv_rows<R, I>(rows: R) -> anyhow::Result<Vec<u8>>
where
    R: IntoIterator<Item = I>,
    I: IntoIterator,
    I::Item: AsRef<[u8]>,
{
    let mut out = csv::Writer::from_writer(Vec::new());
    for row in rows {
        out.write_record(row)?;
    }
    out.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}

/// The records a walk visits, in order: published ones only.
async fn walk_ids(store: &Store, walk: Walk) -> anyhow::Result<Vec<Uuid>> {
    Ok(match walk {
        Walk::Organisations => store.published_ids::<Organisation>().await?,
        Walk::Locations => store.published_ids::<Location>().await?,
        Walk::Services => store.oruk_service_ids(&ServiceFilter::default()).await?,
        Walk::Terms => store.published_ids::<TaxonomyTerm>().await?,
        Walk::Taxonomies => store.taxonomies().await?.iter().map(|t| t.id).collect(),
    })
}

/// The HSDS objects of a batch of records, as the ORUK API writes them, each with the rows of
/// `record_licences.csv` that belong to it.
async fn objects(
    store: &Store,
    info: &PackageInfo,
    walk: Walk,
    ids: &[Uuid],
) -> anyhow::Result<Vec<Value>> {
    let mut objects = hsds_objects(store, info, walk, ids).await?;
    let (kind, record_type) = match walk {
        Walk::Organisations => (RecordKind::Organisation, "organization"),
        Walk::Locations => (RecordKind::Location, "location"),
        Walk::Services => (RecordKind::Service, "service"),
        Walk::Terms | Walk::Taxonomies => return Ok(objects),
    };
    let licences = store.other_licences(kind, ids, &info.licence).await?;
    for object in &mut objects {
        let Some(id) = object["id"].as_str().and_then(|s| s.parse::<Uuid>().ok()) else {
            continue;
        };
        if let Some(source) = licences.get(&id) {
            object[tables::LICENCES] = json!([{
                "id": crate::oruk::derived_id("record_licence", &[id.as_bytes()]),
                "record_id": id,
                "record_type": record_type,
                "licence": source.licence,
                "attribution": source.attribution,
                "source": source.name,
            }]);
        }
    }
    Ok(objects)
}

async fn hsds_objects(
    store: &Store,
    info: &PackageInfo,
    walk: Walk,
    ids: &[Uuid],
) -> anyhow::Result<Vec<Value>> {
    Ok(match walk {
        Walk::Organisations => store
            .public_many::<Organisation>(ids)
            .await?
            .iter()
            .map(hsds::organisation_full)
            .collect(),
        Walk::Locations => store
            .public_many::<Location>(ids)
            .await?
            .iter()
            .map(hsds::location_full)
            .collect(),
        Walk::Services => {
            let services = store.public_many::<Service>(ids).await?;
            let related = store.oruk_related(&services, &info.public_url).await?;
            services
                .iter()
                .map(|s| hsds::service_full(s, &related))
                .collect()
        }
        Walk::Terms => {
            let related = store.oruk_term_context(&info.public_url).await?;
            store
                .public_many::<TaxonomyTerm>(ids)
                .await?
                .iter()
                .map(|t| hsds::taxonomy_term(t, &related))
                .collect()
        }
        Walk::Taxonomies => store
            .taxonomies()
            .await?
            .iter()
            .filter(|t| ids.contains(&t.id))
            .map(hsds::taxonomy)
            .collect(),
    })
}
