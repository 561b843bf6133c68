//! Fitting the purchase and value models on the 1M-row benchmark file's 100k customers (weeks).
//!
//! `cargo bench -p segscope-engine --bench clv` (`CARGO_PROFILE_BENCH_LTO=false` builds faster;
//! fat LTO barely changes these figures).
//!
//! Seen on the shared 2-core machine (loaded), when these were ignored tests: summary 90 ms, BG/NBD
//! 0.17 s (25 iterations), Gamma-Gamma 15 ms (20 iterations); `lifetimes` 0.11.3 on the same
//! summary in the same minute: 2.84 s + 0.52 s, same parameters to 4 significant figures.
//! Pareto/NBD 0.26 s (23 BFGS iterations; 68k patterns, 16k (x, y) points; each evaluation
//! ~8 ms), r 0.7353, alpha 8.1492, s 0.8242, beta 32.5796, LL −1164672.24316; `lifetimes` 0.11.3
//! on the same summary (days / 7): 44.3 s, r 0.73529, alpha 8.14931, s 0.82422, beta 32.5792,
//! LL −1164672.24317 (Nelder-Mead stops slightly lower).
//!
//! Reads `/tmp/bench-data/tx_1m.csv` (or `SEGSCOPE_BENCH_CSV`: columns customer, order, ISO date,
//! amount) and skips with a note when it is absent. The fitted parameters are printed once, to
//! compare with `lifetimes` on the same summary.

// Bench helpers unwrap: the data is ours and a failure should stop the run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::sync::LazyLock;

use divan::Bencher;
use segscope_engine::calendar::parse_iso_day;
use segscope_engine::clv::{
    BgNbdParams, CustomerSummary, GammaGammaParams, ParetoNbdParams, TimeUnit,
};
use segscope_engine::{Dataset, Day};

const BENCH_FILE: &str = "/tmp/bench-data/tx_1m.csv";

fn bench_file() -> String {
    std::env::var("SEGSCOPE_BENCH_CSV").unwrap_or_else(|_| BENCH_FILE.to_string())
}

fn day(text: &str) -> Day {
    parse_iso_day(text).unwrap()
}

/// The file's customers, days and amounts (read with the csv crate, not `ingest`, as before).
static DATASET: LazyLock<Dataset> = LazyLock::new(|| {
    let text = std::fs::read_to_string(bench_file()).expect("benchmark file");
    let mut d = Dataset::default();
    let mut index = HashMap::new();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    for record in reader.records() {
        let record = record.unwrap();
        let next = index.len() as u32;
        let customer = *index.entry(record[0].to_string()).or_insert_with(|| {
            d.customer_ids.push(&record[0]);
            next
        });
        d.customer.push(customer);
        d.day.push(day(&record[2]));
        d.amount.push(record[3].parse().unwrap());
    }
    d
});

fn summary_of(d: &Dataset) -> CustomerSummary {
    CustomerSummary::from_dataset(d, day("2024-12-30"), TimeUnit::Weeks)
}

static SUMMARY: LazyLock<CustomerSummary> = LazyLock::new(|| summary_of(&DATASET));

fn main() {
    let path = bench_file();
    if !std::path::Path::new(&path).exists() {
        println!("clv bench skipped: {path} not found (make it with the shared generator)");
        return;
    }
    let s = &*SUMMARY;
    let bg = BgNbdParams::new().check().unwrap().fit(s).unwrap();
    let gg = GammaGammaParams::new().check().unwrap().fit(s).unwrap();
    let pareto = ParetoNbdParams::new().check().unwrap().fit(s).unwrap();
    println!(
        "customers {}: BG/NBD r {:.4} alpha {:.4} a {:.4} b {:.4} ({:?}); Gamma-Gamma p {:.4} \
         q {:.4} v {:.4}, corr {:?} ({:?}); Pareto/NBD r {:.4} alpha {:.4} s {:.4} beta {:.4}, \
         LL {:.2} ({:?})",
        s.len(),
        bg.r(),
        bg.alpha(),
        bg.a(),
        bg.b(),
        bg.convergence(),
        gg.p(),
        gg.q(),
        gg.v(),
        gg.frequency_monetary_correlation(),
        gg.convergence(),
        pareto.r(),
        pareto.alpha(),
        pareto.s(),
        pareto.beta(),
        pareto.log_likelihood().unwrap(),
        pareto.convergence()
    );
    divan::main();
}

/// The per-customer summary from the lines.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn summary(bencher: Bencher) {
    let d = &*DATASET;
    bencher.bench_local(|| summary_of(d));
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn bg_nbd_fit(bencher: Bencher) {
    let s = &*SUMMARY;
    let params = BgNbdParams::new().check().unwrap();
    bencher.bench_local(|| params.fit(s).unwrap());
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn gamma_gamma_fit(bencher: Bencher) {
    let s = &*SUMMARY;
    let params = GammaGammaParams::new().check().unwrap();
    bencher.bench_local(|| params.fit(s).unwrap());
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn pareto_nbd_fit(bencher: Bencher) {
    let s = &*SUMMARY;
    let params = ParetoNbdParams::new().check().unwrap();
    bencher.bench_local(|| params.fit(s).unwrap());
}

/// One `log_likelihood_of` (pattern setup + one evaluation) at the fitted parameters.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn pareto_nbd_log_likelihood(bencher: Bencher) {
    let s = &*SUMMARY;
    let m = ParetoNbdParams::new().check().unwrap().fit(s).unwrap();
    bencher.bench_local(|| m.log_likelihood_of(s).unwrap());
}
