//! What one size's run measured, and how it is printed: a table per size, where the time
//! goes, and the targets.

use crate::cases::Type;
use crate::stats::{Samples, Summary, mib, ms};

/// Everything measured at one size.
#[derive(Default)]
pub struct Report {
    pub junction: Vec<(Type, Samples)>,
    pub count_only: Vec<(Type, Samples)>,
    pub top_k: Vec<(Type, Samples)>,
    pub snippets: Vec<(Type, Samples)>,
    pub card_us: Option<f64>,
    pub card_read_us: Option<f64>,
    /// µs per opening-hours evaluation, and the share of records with hours.
    pub hours: Option<(f64, f64)>,
    pub http: Option<Samples>,
    /// The HTTP queries as the API builds them, run in-process.
    pub api_inproc: Option<Samples>,
    pub postgis: Vec<(Type, Samples)>,
    pub build: String,
    pub pg_load: Option<String>,
    pub build_secs: f64,
    pub peak_rss: u64,
}

pub fn find(v: &[(Type, Samples)], t: Type) -> Option<&Samples> {
    v.iter().find(|(x, _)| *x == t).map(|(_, s)| s)
}

/// The Junction columns of a table row: n, p50, p95, p99, q/s.
fn cols(s: &Summary) -> String {
    format!(
        "{:>4} {:>7} {:>7} {:>7} {:>7.0}",
        s.n,
        ms(s.p50),
        ms(s.p95),
        ms(s.p99),
        s.qps
    )
}

impl Report {
    /// Prints the tables for one size.
    pub fn print(&self, size: usize) {
        let r = self;
        println!("\n=== {size} records ===");
        println!("Junction: {}", r.build);
        if let Some(load) = &r.pg_load {
            println!("PostGIS:  {load}");
        }
        let head = format!(
            "{:>4} {:>7} {:>7} {:>7} {:>7}",
            "n", "p50", "p95", "p99", "q/s"
        );
        println!(
            "\n{:<17} {:>13} | {head} | {head} | {:>5}",
            "ms", "matches", "J/PG"
        );
        println!(
            "{:<17} {:>13} | {:^36} | {:^36} | {:>5}",
            "", "J/PG", "Junction in-process", "PostGIS", "p50"
        );
        for (t, j) in &r.junction {
            let j = j.summary();
            let pg = find(&r.postgis, *t).map(Samples::summary);
            let (matches, pg_cols, ratio) = match &pg {
                Some(p) => (
                    format!("{:.0}/{:.0}", j.mean_total, p.mean_total),
                    cols(p),
                    format!("{:.2}", j.p50 / p.p50),
                ),
                None => (
                    format!("{:.0}/-", j.mean_total),
                    format!("{:^36}", "skipped"),
                    "-".to_owned(),
                ),
            };
            println!(
                "{:<17} {matches:>13} | {} | {pg_cols} | {ratio:>5}",
                t.label(),
                cols(&j)
            );
        }
        if let (Some(h), Some(a)) = (&r.http, &r.api_inproc) {
            let (h, a) = (h.summary(), a.summary());
            println!(
                "{:<17} {:>13} | {} | GET /api/v1/search?q=..&near=lat,lon&radius=5000&sort=distance",
                "b over HTTP",
                format!("{:.0}", h.mean_total),
                cols(&h)
            );
            println!(
                "{:<17} {:>13} | {} | the same query in-process (the API adds kind and remote clauses)",
                "b as the API asks",
                format!("{:.0}", a.mean_total),
                cols(&a)
            );
        }
        if !r.count_only.is_empty() {
            r.print_breakdown();
        }
        print_targets(r);
    }

    fn print_breakdown(&self) {
        let r = self;
        println!(
            "\nwhere the time goes (Junction in-process, p50 ms). 'gathered': documents the tantivy query\n\
             matches, each of which the search checks exactly from fast fields; then tantivy alone on\n\
             the same query: count only | top 20 by score | top 20 + reading their stored documents;\n\
             the full search; and a least-squares fit of its latency to the documents gathered:"
        );
        println!(
            "  {:<17} {:>9} | {:>8} | {:>8} | {:>8} | {:>8} | fit",
            "", "gathered", "count", "top 20", "+ docs", "full"
        );
        for (t, j) in &r.junction {
            let count = find(&r.count_only, *t);
            let p50 =
                |v: &[(Type, Samples)]| find(v, *t).map_or("-".into(), |s| ms(s.summary().p50));
            let fit = count
                .and_then(|c| j.fit(&c.totals))
                .map_or("-".to_owned(), |(fixed, per)| {
                    format!("{fixed:.2} ms + {per:.1} µs per gathered document")
                });
            println!(
                "  {:<17} {:>9.0} | {:>8} | {:>8} | {:>8} | {:>8} | {fit}",
                t.label(),
                count.map_or(f64::NAN, |c| c.summary().mean_total),
                p50(&r.count_only),
                p50(&r.top_k),
                p50(&r.snippets),
                ms(j.summary().p50),
            );
        }
        if let Some(us) = r.card_read_us {
            println!("  reading one stored document (card, description): {us:.2} µs");
        }
        if let Some(us) = r.card_us {
            println!("  decoding one JSON card: {us:.2} µs");
        }
        if let Some((us, share)) = r.hours {
            println!(
                "  evaluating one opening-hours string: {us:.1} µs ({:.0}% of records have hours; \
                 once per distinct text per segment when filtering, and for each hit shown)",
                share * 100.0
            );
        }
    }
}

fn print_targets(r: &Report) {
    let mut lines = Vec::new();
    let ok = |b: bool| if b { "met" } else { "NOT met" };
    for (t, j) in &r.junction {
        let s = j.summary();
        lines.push(format!(
            "{}: p50 {} ms ≤ 0.5 {}, p99 {} ms ≤ 2 {}",
            t.label(),
            ms(s.p50),
            ok(s.p50 <= 0.5),
            ms(s.p99),
            ok(s.p99 <= 2.0)
        ));
        if let Some(p) = find(&r.postgis, *t) {
            let speedup = p.summary().p50 / s.p50;
            lines.push(format!(
                "{}: {speedup:.1}× PostGIS at p50, ≥ 10× {}",
                t.label(),
                ok(speedup >= 10.0)
            ));
        }
    }
    if let Some(h) = &r.http {
        let p50 = h.summary().p50;
        lines.push(format!("HTTP p50 {} ms ≤ 1 {}", ms(p50), ok(p50 <= 1.0)));
    }
    lines.push(format!(
        "bulk build {:.1} s ≤ 30 {}",
        r.build_secs,
        ok(r.build_secs <= 30.0)
    ));
    lines.push(format!(
        "peak RSS {} ≤ 1 GiB {}",
        mib(r.peak_rss),
        ok(r.peak_rss <= 1 << 30)
    ));
    println!("\ntargets (set for 1M records):");
    for l in lines {
        println!("  {l}");
    }
}
