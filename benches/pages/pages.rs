//! The page types, the requests drawn for each, and the timing: every request goes through the
//! real router in-process (`tower::ServiceExt::oneshot`) and is timed until its body is read.

use std::time::{Duration, Instant};

use anyhow::bail;
use axum::{
    Router,
    body::Body,
    http::{Request, StatusCode},
};
use http_body_util::BodyExt;
use junction::{AppState, domain::RecordKind};
use tower::ServiceExt;
use uuid::Uuid;

use crate::data::Vocab;
use crate::register::Samples;
use crate::rng::Rng;

/// The budget for rendering any page.
const BUDGET: Duration = Duration::from_millis(20);
/// The limit for a results page, before map tiles.
const RESULTS_LIMIT: usize = 100 * 1024;
/// Different requests drawn per page type (they are then cycled through).
const DRAWN: usize = 200;
/// Untimed requests first, per page type.
const WARMUP: usize = 20;

/// One page type and the paths that exercise it.
pub struct Case {
    pub label: &'static str,
    pub paths: Vec<String>,
    /// Results pages must stay under [`RESULTS_LIMIT`].
    pub results_page: bool,
}

fn enc(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn near(rng: &mut Rng, samples: &Samples) -> String {
    let (lon, lat) = *rng.pick(&samples.points);
    format!("{lat:.4}%2C{lon:.4}")
}

fn draw(n: usize, mut f: impl FnMut(usize) -> String) -> Vec<String> {
    (0..n).map(&mut f).collect()
}

/// Makes shortlists of five (two services, a space, an organisation, an asset; two notes).
async fn shortlists(
    state: &AppState,
    samples: &Samples,
    rng: &mut Rng,
) -> anyhow::Result<Vec<String>> {
    let mut codes = Vec::new();
    for _ in 0..20 {
        let items: [(RecordKind, Uuid); 5] = [
            (RecordKind::Service, *rng.pick(&samples.services)),
            (RecordKind::Service, *rng.pick(&samples.services)),
            (RecordKind::Space, *rng.pick(&samples.spaces)),
            (RecordKind::Organisation, *rng.pick(&samples.organisations)),
            (RecordKind::Asset, *rng.pick(&samples.assets)),
        ];
        let mut code: Option<String> = None;
        for (kind, id) in items {
            let added = state.store.shortlist_add(code.as_deref(), kind, id).await?;
            code = Some(added.code);
        }
        if let Some(code) = code {
            for (i, (_, id)) in items.iter().take(2).enumerate() {
                let note = ["Ask for the duty worker", "Bring ID and a recent letter"][i];
                state.store.shortlist_note(&code, *id, note).await?;
            }
            codes.push(code);
        }
    }
    Ok(codes)
}

/// Every page type, with paths drawn from the register.
pub async fn cases(
    state: &AppState,
    samples: &Samples,
    vocab: &Vocab,
    seed: u64,
) -> anyhow::Result<Vec<Case>> {
    let mut rng = Rng::new(seed ^ 0x5eed);
    let rng = &mut rng;
    anyhow::ensure!(
        !samples.services.is_empty()
            && !samples.spaces.is_empty()
            && !samples.organisations.is_empty()
            && !samples.assets.is_empty(),
        "the register is too small to have every kind of record"
    );
    let codes = shortlists(state, samples, rng).await?;
    let words: Vec<&String> = vocab.common_words.iter().chain(&vocab.pairs).collect();
    let tops: Vec<&str> = vocab.tops.iter().map(|t| t.slug.as_str()).collect();
    let terms: Vec<&str> = vocab.terms.iter().map(|t| t.slug.as_str()).collect();
    let access: Vec<&str> = vocab
        .accessibility
        .iter()
        .map(|(a, _)| a.as_str())
        .collect();
    let record = |base: &str, ids: &[Uuid], rng: &mut Rng| {
        draw(DRAWN, |_| format!("/{base}/{}", rng.pick(ids)))
    };
    let case = |label, paths| Case {
        label,
        paths,
        results_page: false,
    };
    let results = |label, paths| Case {
        label,
        paths,
        results_page: true,
    };
    Ok(vec![
        case("home", vec!["/".to_owned()]),
        results(
            "results: words near a point (5 km)",
            draw(DRAWN, |_| {
                format!(
                    "/search?q={}&near={}",
                    enc(rng.pick(&words).as_str()),
                    near(rng, samples)
                )
            }),
        ),
        results(
            "results: filters near a point (10 km)",
            draw(DRAWN, |i| {
                let filter = match i % 3 {
                    0 => "open_now=true".to_owned(),
                    1 => "free=true".to_owned(),
                    _ => format!("accessibility={}", rng.pick(&access)),
                };
                format!(
                    "/search?near={}&radius=10000&kind=service&category={}&{filter}",
                    near(rng, samples),
                    rng.pick(&tops)
                )
            }),
        ),
        results(
            "results: the whole register, pages 1-10",
            draw(DRAWN, |i| match i % 10 {
                0 => "/search".to_owned(),
                p => format!("/search?page={}", p + 1),
            }),
        ),
        case("service", record("services", &samples.services, rng)),
        case("space", record("spaces", &samples.spaces, rng)),
        case(
            "organisation",
            record("organisations", &samples.organisations, rng),
        ),
        case("asset", record("assets", &samples.assets, rng)),
        case("categories", vec!["/categories".to_owned()]),
        case(
            "category (top level or child)",
            draw(DRAWN, |i| {
                let slug = if i % 2 == 0 {
                    rng.pick(&tops)
                } else {
                    rng.pick(&terms)
                };
                format!("/categories/{slug}")
            }),
        ),
        case(
            "map (10 km, with or without words)",
            draw(DRAWN, |i| {
                let q = if i % 2 == 0 {
                    format!("q={}&", enc(rng.pick(&words).as_str()))
                } else {
                    String::new()
                };
                format!("/map?{q}near={}&radius=10000", near(rng, samples))
            }),
        ),
        case(
            "shortlist (5 items)",
            codes.iter().map(|c| format!("/shortlist/{c}")).collect(),
        ),
        case(
            "shortlist print (5 items, 6 QR codes)",
            codes
                .iter()
                .map(|c| format!("/shortlist/{c}/print"))
                .collect(),
        ),
    ])
}

/// One request, timed from sending it to having the whole body.
async fn fetch(router: &Router, path: &str) -> anyhow::Result<(Duration, usize)> {
    let request = Request::builder().uri(path).body(Body::empty())?;
    let started = Instant::now();
    let response = router.clone().oneshot(request).await?;
    let status = response.status();
    let body = response.into_body().collect().await?.to_bytes();
    let elapsed = started.elapsed();
    if status != StatusCode::OK {
        bail!(
            "{path} answered {status}: {}",
            String::from_utf8_lossy(&body[..body.len().min(400)])
        );
    }
    Ok((elapsed, body.len()))
}

/// What one page type measured.
pub struct Measured {
    pub label: &'static str,
    pub results_page: bool,
    pub times: Vec<Duration>,
    pub sizes: Vec<usize>,
}

impl Measured {
    fn percentile(&self, p: f64) -> Duration {
        let i = ((p / 100.0) * self.times.len() as f64).ceil() as usize;
        self.times[i.clamp(1, self.times.len()) - 1]
    }
}

/// Times `requests` requests of each page type, one at a time.
pub async fn run(
    router: &Router,
    cases: &[Case],
    requests: usize,
) -> anyhow::Result<Vec<Measured>> {
    let mut out = Vec::new();
    for case in cases {
        eprintln!("timing {}", case.label);
        for path in case.paths.iter().cycle().take(WARMUP) {
            fetch(router, path).await?;
        }
        let mut m = Measured {
            label: case.label,
            results_page: case.results_page,
            times: Vec::with_capacity(requests),
            sizes: Vec::with_capacity(requests),
        };
        for path in case.paths.iter().cycle().take(requests) {
            let (t, size) = fetch(router, path).await?;
            m.times.push(t);
            m.sizes.push(size);
        }
        m.times.sort();
        m.sizes.sort_unstable();
        out.push(m);
    }
    Ok(out)
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

fn kb(bytes: usize) -> String {
    format!("{:.1}", bytes as f64 / 1024.0)
}

/// The table, and whether each page meets the budgets. `assets` is the size of the files a
/// results page loads besides its HTML (the stylesheet and the search-as-you-type script).
pub fn print(results: &[Measured], assets: usize) {
    println!(
        "\n| page | requests | p50 ms | p95 ms | p99 ms | max ms | median KB | max KB | p95 ≤ 20 ms | p99 ≤ 20 ms |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | :---: | :---: |");
    let yes = |ok: bool| if ok { "yes" } else { "**no**" };
    for m in results {
        let (p95, p99) = (m.percentile(95.0), m.percentile(99.0));
        println!(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            m.label,
            m.times.len(),
            ms(m.percentile(50.0)),
            ms(p95),
            ms(p99),
            ms(m.times[m.times.len() - 1]),
            kb(m.sizes[m.sizes.len() / 2]),
            kb(m.sizes[m.sizes.len() - 1]),
            yes(p95 <= BUDGET),
            yes(p99 <= BUDGET),
        );
    }
    let slowest = results.iter().max_by_key(|m| m.percentile(99.0));
    if let Some(m) = slowest {
        println!(
            "\nslowest at p99: {} ({} ms); every page p99 ≤ 20 ms: {}",
            m.label,
            ms(m.percentile(99.0)),
            yes(results.iter().all(|m| m.percentile(99.0) <= BUDGET))
        );
    }
    let largest = results
        .iter()
        .filter(|m| m.results_page)
        .filter_map(|m| m.sizes.last())
        .max()
        .copied()
        .unwrap_or(0);
    println!(
        "largest results page: {} KB of HTML, {} KB with its stylesheet and script (uncompressed, \
         before map tiles); under 100 KB: {}",
        kb(largest),
        kb(largest + assets),
        yes(largest + assets < RESULTS_LIMIT)
    );
}
