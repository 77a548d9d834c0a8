//! Page benchmark: server render time and size of every kind of website page on a register of
//! 100k records (issue 4, item 6: "server render time of any page ≤ 20 ms at 100k records";
//! "results page under 100 KB before map tiles").
//!
//! ```sh
//! cargo bench --bench pages                      # 100k records
//! cargo bench --bench pages -- --size 10000      # a quicker look
//! ```
//!
//! The register is the search benchmark's synthetic one, written through `Store::create` into
//! SQLite and indexed from the database (`register.rs`). Each page is requested through the real
//! router (`junction::app`) in-process with tower's `oneshot`, one request at a time, and timed
//! from the request to the last byte of the body: routing, database reads, search, rendering;
//! no network. Options: `--size N`, `--requests N` (timed per page type, default 300),
//! `--seed N`, `--outcodes CSV`, `--keep DIR` (write the register into DIR and, on later runs
//! with the same size and seed, time it again without rewriting it), `--only TEXT` (time only
//! the page types whose label contains TEXT). See BENCHMARKS.md.

// The search benchmark's generator, used as it is.
#[path = "../search/data.rs"]
#[allow(dead_code)]
mod data;
#[path = "../search/machine.rs"]
mod machine;
#[path = "../search/rng.rs"]
#[allow(dead_code)]
mod rng;
#[path = "../search/synth.rs"]
#[allow(dead_code)]
mod synth;

mod pages;
mod register;

use std::{
    path::{Path, PathBuf},
    time::Instant,
};

use anyhow::{Context, bail};
use junction::Config;

use data::{Geo, Vocab};
use rng::Rng;

struct Args {
    size: usize,
    requests: usize,
    seed: u64,
    outcodes: PathBuf,
    keep: Option<PathBuf>,
    only: Option<String>,
}

impl Args {
    fn parse(root: &Path) -> anyhow::Result<Args> {
        let mut args = Args {
            size: 100_000,
            requests: 300,
            seed: 42,
            outcodes: root.join("../shared/data/postcodes/outcode_centroids_gb_codepoint2014.csv"),
            keep: None,
            only: None,
        };
        let mut it = std::env::args().skip(1);
        while let Some(arg) = it.next() {
            let mut value = || it.next().with_context(|| format!("{arg} needs a value"));
            match arg.as_str() {
                "--size" => args.size = value()?.replace('_', "").parse()?,
                "--requests" => args.requests = value()?.parse::<usize>()?.max(1),
                "--seed" => args.seed = value()?.parse()?,
                "--outcodes" => args.outcodes = value()?.into(),
                "--keep" => args.keep = Some(value()?.into()),
                "--only" => args.only = Some(value()?),
                // cargo bench passes --bench to every bench binary.
                "--bench" => {}
                other => bail!("unknown option {other} (see benches/pages/main.rs)"),
            }
        }
        Ok(args)
    }
}

fn main() -> anyhow::Result<()> {
    let started = Instant::now();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let args = Args::parse(root)?;
    println!("Junction page benchmark on {}", machine::machine());
    println!(
        "{} records, {} timed requests per page type, seed {}",
        args.size, args.requests, args.seed
    );
    let vocab = Vocab::load(root)?;
    let mut rng = Rng::new(args.seed);
    let geo = Geo::load(&args.outcodes, &vocab.localities, &mut rng)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let temp = tempfile::Builder::new()
            .prefix("junction-bench-pages-")
            .tempdir()?;
        let dir = args.keep.clone().unwrap_or_else(|| temp.path().to_owned());
        std::fs::create_dir_all(&dir)?;
        // A kept register is reused only when it was written with the same size and seed.
        let saved = dir.join(format!("samples-{}-{}.json", args.size, args.seed));
        let had_database = dir.join("junction.db").exists();
        let state = junction::start(Config::for_data_dir(&dir), false).await?;
        let samples = match std::fs::read(&saved) {
            Ok(bytes) if args.keep.is_some() => {
                eprintln!("timing the register kept in {}", dir.display());
                serde_json::from_slice(&bytes)?
            }
            _ => {
                if had_database {
                    bail!(
                        "{} holds another register: give --keep an empty directory",
                        dir.display()
                    );
                }
                eprintln!("writing the register");
                let samples = register::build(&state, args.size, args.seed, &geo, &vocab).await?;
                if args.keep.is_some() {
                    std::fs::write(&saved, serde_json::to_vec(&samples)?)?;
                }
                samples
            }
        };
        let db_bytes: u64 = std::fs::read_dir(&dir)?
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with("junction.db"))
            .filter_map(|e| e.metadata().ok())
            .map(|m| m.len())
            .sum();
        println!(
            "register: {} searchable records ({} rows with their locations) written through \
             Store::create in {:.0} s; index rebuilt from the database in {:.0} s; \
             {} documents; SQLite files {:.0} MiB",
            args.size,
            samples.written,
            samples.write_secs,
            samples.index_secs,
            state.search.num_docs(),
            db_bytes as f64 / (1024.0 * 1024.0)
        );
        let mut cases = pages::cases(&state, &samples, &vocab, args.seed).await?;
        if let Some(only) = &args.only {
            cases.retain(|c| c.label.contains(only.as_str()));
        }
        let router = junction::app(state.clone());
        let results = pages::run(&router, &cases, args.requests).await?;
        let assets = ["static/junction.css", "static/suggest.js"]
            .iter()
            .map(|f| std::fs::metadata(root.join(f)).map(|m| m.len() as usize))
            .sum::<Result<usize, _>>()?;
        pages::print(&results, assets);
        anyhow::Ok(())
    })?;
    println!("\nwhole run: {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}
