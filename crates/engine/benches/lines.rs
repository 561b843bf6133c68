//! The passes that group a run's lines by customer and into orders (the RFM run, the tag table,
//! the segment features and profiles, the customer profile) on a generated dataset.
//!
//! `cargo bench -p segscope-engine --bench lines`
//!
//! Env `BENCH_LINES` sets the size (default 2,000,000 lines; one customer per 10 lines), e.g.
//! `BENCH_LINES=200000 cargo bench -p segscope-engine --bench lines` for a quick run. The tag table
//! of a million customers (4M lines) is benched too (`tag_table_1m_customers`).
//!
//! The Profiles stage of a k = 4 segmentation is timed from the run's progress callback (thread CPU
//! on Linux, so the figure is fair on a busy machine) and printed after divan's table.

// Bench helpers unwrap: the data is ours and a failure should stop the run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{LazyLock, Mutex};

use divan::Bencher;
use rand::{Rng as _, SeedableRng as _};
use rand_pcg::Pcg64Mcg;

use segscope_engine::calendar::parse_iso_day;
use segscope_engine::cluster::{
    BehaviourFeature, ClusterAnalysis, ClusterInput, ClusterSettings, ClusterStage, FeatureKey,
    FeatureTable, KChoice,
};
use segscope_engine::customers::{customer_profile, TagTable};
use segscope_engine::rfm::{analyze, Analysis, RfmParams};
use segscope_engine::{Dataset, Interned};

/// CPU time of this thread in seconds (Linux), so the figure is fair on a busy machine.
fn thread_cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(nanos / 1e9)
}

/// Best thread-CPU seconds of the Profiles stage over the `cluster_run_k4` samples.
static PROFILES_BEST_SECONDS: Mutex<Option<f64>> = Mutex::new(None);

fn main() {
    let (dataset, _) = &*DATA;
    println!(
        "--- {} lines, {} customers",
        dataset.customer.len(),
        dataset.customer_count()
    );
    divan::main();
    if let Some(best) = *PROFILES_BEST_SECONDS.lock().unwrap() {
        println!(
            "ClusterAnalysis::run k=4, Profiles stage: best {:.1} ms thread CPU",
            best * 1e3
        );
    }
}

fn names(prefix: &str, n: usize) -> Interned {
    (0..n).map(|i| format!("{prefix}{i}")).collect()
}

/// `lines` lines of `lines / 10` customers: orders of one to four lines (one day, one order id),
/// 5 % returns, 1 % exact duplicates, products, regions, channels and quantities.
fn generate(lines: usize) -> Dataset {
    let customers = (lines / 10).max(1);
    let mut rng = Pcg64Mcg::seed_from_u64(42);
    let mut d = Dataset {
        customer_ids: names("C", customers),
        products: names("P", 500),
        regions: names("R", 5),
        channels: names("H", 4),
        ..Dataset::default()
    };
    let base = 19_000;
    let mut open: Vec<(u64, i32, u32)> = vec![(0, 0, 0); customers];
    let mut next_order = 1u64;
    while d.customer.len() < lines {
        if rng.random_bool(0.01) && !d.customer.is_empty() {
            let last = d.customer.len() - 1;
            d.customer.push(d.customer[last]);
            d.day.push(d.day[last]);
            d.amount.push(d.amount[last]);
            d.order_hash.push(d.order_hash[last]);
            d.product.push(d.product.get(last).unwrap_or(0));
            d.quantity.push(d.quantity[last]);
            d.region.push(d.region.get(last).unwrap_or(0));
            d.channel.push(d.channel.get(last).unwrap_or(0));
            d.is_exact_duplicate.push(true);
            continue;
        }
        let c = rng.random_range(0..customers);
        let slot = &mut open[c];
        if slot.2 == 0 {
            *slot = (
                next_order.wrapping_mul(0x9E37_79B9_7F4A_7C15),
                base + rng.random_range(0..730),
                rng.random_range(1..=4),
            );
            next_order += 1;
        }
        slot.2 -= 1;
        let amount: f64 = rng.random_range(5.0..200.0);
        d.customer.push(c as u32);
        d.day.push(slot.1);
        d.amount.push(if rng.random_bool(0.05) {
            -amount
        } else {
            amount
        });
        d.order_hash.push(slot.0);
        d.product.push(rng.random_range(0..500));
        d.quantity.push(f64::from(rng.random_range(1..5)));
        d.region.push(rng.random_range(0..5));
        d.channel.push(rng.random_range(0..4));
        d.is_exact_duplicate.push(false);
    }
    d
}

fn rfm_params() -> RfmParams {
    RfmParams {
        remove_duplicates: Some(true),
        ..RfmParams::default()
    }
}

/// The generated dataset (`BENCH_LINES` lines) and its RFM run.
static DATA: LazyLock<(Dataset, Analysis)> = LazyLock::new(|| {
    let lines = std::env::var("BENCH_LINES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000_000);
    let dataset = generate(lines);
    let rfm = analyze(&dataset, &rfm_params()).unwrap();
    (dataset, rfm)
});

fn input() -> ClusterInput<'static> {
    let (dataset, rfm) = &*DATA;
    ClusterInput {
        dataset,
        rfm,
        clv: None,
        attributes: None,
    }
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn rfm_analyze(bencher: Bencher) {
    let (dataset, _) = &*DATA;
    let params = rfm_params();
    bencher.bench_local(|| analyze(dataset, &params).unwrap());
}

/// `TagTable::build` without CLV or segments.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn tag_table_build(bencher: Bencher) {
    let (dataset, rfm) = &*DATA;
    bencher.bench_local(|| TagTable::build(dataset, rfm, None, None));
}

/// `FeatureTable::build` with 7 behaviour features.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn feature_table_build(bencher: Bencher) {
    let features: Vec<FeatureKey> = [
        BehaviourFeature::RecencyDays,
        BehaviourFeature::Frequency,
        BehaviourFeature::Monetary,
        BehaviourFeature::InterPurchaseDays,
        BehaviourFeature::CategoryShares,
        BehaviourFeature::MainRegion,
        BehaviourFeature::MainChannel,
    ]
    .into_iter()
    .map(FeatureKey::Behaviour)
    .collect();
    let input = input();
    bencher.bench_local(|| FeatureTable::build(&input, &features).unwrap());
}

/// `ClusterAnalysis::run` with k = 4, no sweep, one restart, no bootstrap; the Profiles stage
/// alone is printed after the table.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn cluster_run_k4(bencher: Bencher) {
    let settings = ClusterSettings {
        k: KChoice::Fixed(4),
        sweep: false,
        restarts: 1,
        bootstrap_resamples: 0,
        ..ClusterSettings::default()
    };
    let input = input();
    bencher.bench_local(|| {
        let mut profiles_start = None;
        let run = ClusterAnalysis::run(
            &input,
            &settings,
            &mut |stage, _, _| {
                if stage == ClusterStage::Profiles && profiles_start.is_none() {
                    profiles_start = thread_cpu_seconds();
                }
            },
            &mut || 0.0,
        )
        .unwrap();
        if let Some((start, end)) = profiles_start.zip(thread_cpu_seconds()) {
            let mut best = PROFILES_BEST_SECONDS.lock().unwrap();
            *best = Some(best.map_or(end - start, |b| b.min(end - start)));
        }
        run
    });
}

/// `customer_profile` of one customer.
#[divan::bench(sample_count = 5, sample_size = 1)]
fn customer_profile_one(bencher: Bencher) {
    let (dataset, rfm) = &*DATA;
    let tags = TagTable::build(dataset, rfm, None, None);
    let id = dataset
        .customer_ids
        .get(*rfm.customers.customer.first().unwrap())
        .to_string();
    bencher.bench_local(|| customer_profile(dataset, rfm, &[], Some(&tags), &id).unwrap());
}

/// `TagTable::build` for a million customers of 4 lines each (was the ignored test
/// `builds_for_a_million_customers` in `tests/tags.rs`).
#[divan::bench(sample_count = 3, sample_size = 1)]
fn tag_table_1m_customers(bencher: Bencher) {
    let customers = 1_000_000u32;
    let mut ds = Dataset {
        customer_ids: (0..customers).map(|c| format!("C{c:07}")).collect(),
        products: (0..200).map(|p| format!("P{p}")).collect(),
        regions: (0..30).map(|r| format!("R{r}")).collect(),
        channels: Interned::from(vec!["web", "store", "app"]),
        ..Dataset::default()
    };
    let base = parse_iso_day("2023-01-01").unwrap();
    let mut seed = 42u64;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as u32
    };
    for line in 0..4_000_000u32 {
        let c = line % customers;
        ds.customer.push(c);
        ds.day.push(base + (next() % 700) as i32);
        ds.amount.push(f64::from(next() % 10_000) / 100.0);
        ds.order_hash.push(u64::from(next()));
        ds.product.push(next() % 200);
        ds.region.push(next() % 30);
        ds.channel.push(next() % 3);
        ds.is_exact_duplicate.push(false);
    }
    let a = analyze(&ds, &RfmParams::default()).unwrap();
    bencher.bench_local(|| TagTable::build(&ds, &a, None, None));
}
