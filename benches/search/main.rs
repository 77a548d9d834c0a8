//! Search benchmark: synthetic registers of community services, spaces, organisations and
//! assets spread over Great Britain by population, indexed by Junction and timed in-process,
//! over HTTP and against a PostgreSQL 15 + PostGIS baseline loaded with the same records.
//!
//! ```sh
//! cargo bench --bench search                                   # 10k and 100k records
//! cargo bench --bench search -- --sizes 10000,100000,1000000   # the full run
//! ```
//!
//! Options: `--sizes N,N,..`, `--queries N` (timed per query type, default 500),
//! `--budget SECONDS` (at most per query type and system, default 20), `--batch N`
//! (operations per index commit, default 50000), `--seed N`, `--outcodes CSV`,
//! `--no-postgis`, `--no-http`, `--no-breakdown`, `--types a,b,..` (only those query types,
//! for profiling one), `--slowest N` (list each type's N slowest in-process queries). See BENCHMARKS.md for the figures.

// A benchmark is a tool run by hand, not request-serving code: a missing input file or a
// failed step should stop it with a message, which `anyhow` in `main` does; nothing here
// unwraps.

mod breakdown;
mod cases;
mod data;
mod http;
mod inproc;
mod machine;
mod postgis;
mod report;
mod rng;
mod stats;
mod synth;

use std::{
    path::{Path, PathBuf},
    time::{Duration, Instant},
};

use anyhow::{Context, bail};

use cases::{Case, Type};
use data::{Geo, Vocab};
use report::Report;
use rng::Rng;
use stats::{Limits, mib};

/// Command-line options.
struct Args {
    sizes: Vec<usize>,
    queries: usize,
    budget: Duration,
    batch: usize,
    seed: u64,
    outcodes: PathBuf,
    postgis: bool,
    http: bool,
    breakdown: bool,
    /// Query types to run, by letter (a–e); all when empty.
    types: String,
    /// How many of each type's slowest in-process queries to list (none by default).
    slowest: usize,
}

impl Args {
    fn parse(root: &Path) -> anyhow::Result<Args> {
        let mut args = Args {
            sizes: vec![10_000, 100_000],
            queries: 500,
            budget: Duration::from_secs(20),
            batch: 50_000,
            seed: 42,
            outcodes: root.join("../shared/data/postcodes/outcode_centroids_gb_codepoint2014.csv"),
            postgis: true,
            http: true,
            breakdown: true,
            types: String::new(),
            slowest: 0,
        };
        let mut it = std::env::args().skip(1);
        while let Some(arg) = it.next() {
            let mut value = || it.next().with_context(|| format!("{arg} needs a value"));
            match arg.as_str() {
                "--sizes" => {
                    args.sizes = value()?
                        .split(',')
                        .map(|s| s.trim().replace('_', "").parse())
                        .collect::<Result<_, _>>()
                        .context("--sizes takes numbers separated by commas")?;
                }
                "--queries" => args.queries = value()?.parse()?,
                "--budget" => args.budget = Duration::from_secs_f64(value()?.parse()?),
                "--batch" => args.batch = value()?.parse::<usize>()?.max(1),
                "--seed" => args.seed = value()?.parse()?,
                "--outcodes" => args.outcodes = value()?.into(),
                "--no-postgis" => args.postgis = false,
                "--no-http" => args.http = false,
                "--no-breakdown" => args.breakdown = false,
                "--types" => args.types = value()?,
                "--slowest" => args.slowest = value()?.parse()?,
                // cargo bench passes --bench to every bench binary.
                "--bench" => {}
                other => bail!("unknown option {other} (see benches/search/main.rs)"),
            }
        }
        Ok(args)
    }

    fn limits(&self) -> Limits {
        Limits {
            warmup: 30,
            queries: self.queries,
            budget: self.budget,
        }
    }

    /// Smaller limits for the breakdown passes.
    fn breakdown_limits(&self) -> Limits {
        Limits {
            warmup: 10,
            queries: self.queries.min(200),
            budget: self.budget / 4,
        }
    }
}

struct Bench<'a> {
    args: &'a Args,
    geo: &'a Geo,
    vocab: &'a Vocab,
    cases: Vec<(Type, Vec<Case>)>,
    runtime: tokio::runtime::Runtime,
    baseline: Option<postgis::Baseline>,
}

impl Bench<'_> {
    fn run_size(&self, size: usize) -> anyhow::Result<Report> {
        let (args, geo, vocab) = (self.args, self.geo, self.vocab);
        let mut report = Report::default();
        eprintln!("[{size}] building the Junction index");
        let built = inproc::build(size, args.batch, args.seed, geo, vocab)?;
        report.build_secs = built.index_secs;
        for (t, cases) in &self.cases {
            eprintln!("[{size}] Junction in-process: {}", t.label());
            let samples = inproc::run(&built.index, cases, Case::search_query, args.limits())?;
            for (latency, total, i) in samples.slowest(args.slowest) {
                eprintln!(
                    "    {:8.3} ms {total:7} matches  {:?}",
                    latency.as_secs_f64() * 1e3,
                    cases[i]
                );
            }
            report.junction.push((*t, samples));
        }
        report.peak_rss = built.peak_rss.max(stats::peak_rss());
        report.build = format!(
            "build {:.1} s (of which {:.1} s merging into one segment; + {:.1} s generating \
             records; merges settled {:.1} s after), index {} in {} segments, peak RSS {} \
             (build + in-process queries)",
            built.index_secs,
            built.merge_secs,
            built.generate_secs,
            built.settle_secs,
            mib(built.size_bytes),
            built.segments,
            mib(report.peak_rss),
        );
        if args.breakdown {
            let matcher = breakdown::Matcher::open(built.dir.path())?;
            for (t, cases) in &self.cases {
                eprintln!("[{size}] tantivy alone: {}", t.label());
                let limits = args.breakdown_limits();
                report.count_only.push((*t, matcher.count(cases, limits)?));
                report
                    .top_k
                    .push((*t, matcher.top_k(cases, limits, false)?));
                report
                    .snippets
                    .push((*t, matcher.top_k(cases, limits, true)?));
            }
            let mut generator = synth::Generator::new(args.seed, geo, vocab);
            let cards: Vec<_> = (0..1000)
                .map(|_| inproc::index_doc(&generator.next_record(), vocab).card)
                .collect();
            report.card_us = Some(breakdown::card_decode_us(&cards)?);
            report.card_read_us = Some(matcher.card_read_us()?);
            let with_hours = cards.iter().filter(|c| c.opening_hours.is_some()).count();
            report.hours = Some((
                breakdown::hours_eval_us(&vocab.hours),
                with_hours as f64 / cards.len() as f64,
            ));
        }
        if args.http {
            eprintln!("[{size}] Junction over HTTP");
            let text_near = self.cases_of(Type::TextNear);
            report.api_inproc = Some(inproc::run(
                &built.index,
                text_near,
                Case::api_search_query,
                args.limits(),
            )?);
            let index = built.index.clone();
            report.http = Some(self.runtime.block_on(async {
                let server = http::serve(index).await?;
                http::run(server.addr, text_near, args.limits()).await
            })?);
        }
        drop(built);
        if let Some(pg) = &self.baseline {
            eprintln!("[{size}] PostGIS: loading");
            let loaded = self
                .runtime
                .block_on(pg.load(size, args.seed, geo, vocab))?;
            report.pg_load = Some(format!(
                "COPY {:.1} s, indexes + VACUUM ANALYZE {:.1} s, table + indexes {}",
                loaded.copy_secs,
                loaded.index_secs,
                mib(loaded.size_bytes)
            ));
            for (t, cases) in &self.cases {
                eprintln!("[{size}] PostGIS: {}", t.label());
                let samples = self.runtime.block_on(pg.run(cases, args.limits()))?;
                report.postgis.push((*t, samples));
            }
        }
        Ok(report)
    }

    fn cases_of(&self, t: Type) -> &[Case] {
        self.cases
            .iter()
            .find(|(x, _)| *x == t)
            .map_or(&[], |(_, c)| c.as_slice())
    }
}

fn main() -> anyhow::Result<()> {
    let started = Instant::now();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let args = Args::parse(root)?;
    println!("Junction search benchmark on {}", machine::machine());
    println!(
        "sizes {:?}, up to {} timed queries per type (at most {:.0} s each), seed {}",
        args.sizes,
        args.queries,
        args.budget.as_secs_f64(),
        args.seed
    );
    let vocab = Vocab::load(root)?;
    let mut rng = Rng::new(args.seed);
    let geo = Geo::load(&args.outcodes, &vocab.localities, &mut rng)?;
    println!(
        "inputs: {} outcodes, {} record templates, {} child categories, {} two-word queries, \
         common words {:?}",
        geo.outcodes.len(),
        vocab.templates.iter().map(Vec::len).sum::<usize>(),
        vocab.terms.len(),
        vocab.pairs.len(),
        vocab.common_words
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let baseline = match args.postgis.then(|| postgis::setup(root)).flatten() {
        Some(url) => match runtime.block_on(postgis::Baseline::connect(&url)) {
            Ok(b) => Some(b),
            Err(e) => {
                eprintln!("PostGIS baseline skipped: {e:#}");
                None
            }
        },
        None => None,
    };
    let cases = Type::ALL
        .iter()
        .filter(|t| args.types.is_empty() || args.types.contains(&t.label()[..1]))
        .map(|&t| (t, cases::generate(t, 400, args.seed, &geo, &vocab)))
        .collect();
    let bench = Bench {
        args: &args,
        geo: &geo,
        vocab: &vocab,
        cases,
        runtime,
        baseline,
    };
    for &size in &args.sizes {
        let size_started = Instant::now();
        let report = bench.run_size(size)?;
        report.print(size);
        println!(
            "({size} records took {:.0} s)",
            size_started.elapsed().as_secs_f64()
        );
    }
    println!("\nwhole run: {:.0} s", started.elapsed().as_secs_f64());
    Ok(())
}
