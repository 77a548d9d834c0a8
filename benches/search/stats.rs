//! Latency samples, their percentiles, and a little arithmetic on where the time goes.

use std::time::{Duration, Instant};

use crate::cases::Case;

/// Timed queries of one type on one system.
#[derive(Default)]
pub struct Samples {
    pub latencies: Vec<Duration>,
    /// Matches each query reported (its `total`).
    pub totals: Vec<usize>,
    /// Which case of the list each sample ran.
    pub cases: Vec<usize>,
    /// Wall time of the timed loop (for the budget; rates come from the latencies).
    pub elapsed: Duration,
}

impl Samples {
    pub fn push(&mut self, latency: Duration, total: usize) {
        self.latencies.push(latency);
        self.totals.push(total);
    }

    pub fn summary(&self) -> Summary {
        let mut ms: Vec<f64> = self
            .latencies
            .iter()
            .map(|d| d.as_secs_f64() * 1e3)
            .collect();
        ms.sort_by(f64::total_cmp);
        let n = ms.len();
        // Nearest rank: the smallest sample with at least p of all samples at or below it.
        let pct = |p: f64| {
            if n == 0 {
                f64::NAN
            } else {
                ms[((p * n as f64).ceil() as usize).clamp(1, n) - 1]
            }
        };
        let secs: f64 = self.latencies.iter().map(Duration::as_secs_f64).sum();
        Summary {
            n,
            p50: pct(0.50),
            p95: pct(0.95),
            p99: pct(0.99),
            qps: if secs > 0.0 {
                n as f64 / secs
            } else {
                f64::NAN
            },
            mean_total: self.totals.iter().sum::<usize>() as f64 / n.max(1) as f64,
        }
    }

    /// The `n` slowest samples: (latency, matches, index of the case), slowest first.
    pub fn slowest(&self, n: usize) -> Vec<(Duration, usize, usize)> {
        let mut all: Vec<(Duration, usize, usize)> = self
            .latencies
            .iter()
            .zip(&self.totals)
            .zip(&self.cases)
            .map(|((l, t), c)| (*l, *t, *c))
            .collect();
        all.sort_by_key(|s| std::cmp::Reverse(s.0));
        all.truncate(n);
        all
    }

    /// Least-squares fit of latency (ms) against `xs[i]`, a size for the query that sample
    /// `i` ran (queries run in list order): (fixed ms, µs per unit).
    pub fn fit(&self, xs: &[usize]) -> Option<(f64, f64)> {
        let pairs = self.latencies.len().min(xs.len());
        let n = pairs as f64;
        if pairs < 3 {
            return None;
        }
        let xs: Vec<f64> = xs[..pairs].iter().map(|&t| t as f64).collect();
        let ys: Vec<f64> = self.latencies[..pairs]
            .iter()
            .map(|d| d.as_secs_f64() * 1e3)
            .collect();
        let mx = xs.iter().sum::<f64>() / n;
        let my = ys.iter().sum::<f64>() / n;
        let sxx: f64 = xs.iter().map(|x| (x - mx).powi(2)).sum();
        let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mx) * (y - my)).sum();
        if sxx == 0.0 {
            return None;
        }
        let slope = sxy / sxx;
        Some((my - slope * mx, slope * 1e3))
    }
}

/// How many queries to time, and for how long at most.
#[derive(Clone, Copy)]
pub struct Limits {
    pub warmup: usize,
    pub queries: usize,
    pub budget: Duration,
}

impl Limits {
    /// Runs `one(case)` (returning the number of matches) over `cases`: a warm-up from the
    /// end of the list, then timed queries from its start until `queries` or the budget.
    pub fn time<F>(self, cases: &[Case], mut one: F) -> anyhow::Result<Samples>
    where
        F: FnMut(&Case) -> anyhow::Result<usize>,
    {
        let warm = Instant::now();
        for case in cases.iter().rev().take(self.warmup) {
            one(case)?;
            if warm.elapsed() > self.budget / 4 {
                break;
            }
        }
        let mut samples = Samples::default();
        let start = Instant::now();
        for (i, case) in cases.iter().enumerate().cycle().take(self.queries) {
            let t = Instant::now();
            let total = one(case)?;
            samples.push(t.elapsed(), total);
            samples.cases.push(i);
            if start.elapsed() > self.budget {
                break;
            }
        }
        samples.elapsed = start.elapsed();
        Ok(samples)
    }
    /// [`Limits::time`] for an async `one`.
    pub async fn time_async<F>(self, cases: &[Case], mut one: F) -> anyhow::Result<Samples>
    where
        F: AsyncFnMut(&Case) -> anyhow::Result<usize>,
    {
        let warm = Instant::now();
        for case in cases.iter().rev().take(self.warmup) {
            one(case).await?;
            if warm.elapsed() > self.budget / 4 {
                break;
            }
        }
        let mut samples = Samples::default();
        let start = Instant::now();
        for (i, case) in cases.iter().enumerate().cycle().take(self.queries) {
            let t = Instant::now();
            let total = one(case).await?;
            samples.push(t.elapsed(), total);
            samples.cases.push(i);
            if start.elapsed() > self.budget {
                break;
            }
        }
        samples.elapsed = start.elapsed();
        Ok(samples)
    }
}

/// Percentiles in milliseconds; `qps` is queries per second on one thread.
pub struct Summary {
    pub n: usize,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub qps: f64,
    pub mean_total: f64,
}

/// Milliseconds, with sensible precision.
pub fn ms(v: f64) -> String {
    if v.is_nan() {
        "-".into()
    } else if v < 10.0 {
        format!("{v:.3}")
    } else if v < 100.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.0}")
    }
}

/// Bytes as MiB.
pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

/// Peak resident set size of this process since the last [`reset_peak_rss`], in bytes.
pub fn peak_rss() -> u64 {
    proc_status_kib("VmHWM:") * 1024
}

fn proc_status_kib(key: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// Resets the peak RSS to the current RSS (Linux: `echo 5 > /proc/self/clear_refs`).
pub fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Total size of the files under `dir`.
pub fn dir_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}
