//! Timing of the passes that group a run's lines by customer and into orders (the RFM run, the
//! tag table, the segment features and profiles, the customer page) on a generated dataset.
//!
//! `cargo test --release -p segscope-engine --test lines_bench -- --ignored --nocapture`
//! (env `BENCH_LINES`, default 2,000,000 lines; one customer per 10 lines).
#![cfg(not(target_arch = "wasm32"))]
// Test helpers outside `#[test]` functions unwrap too (clippy.toml only exempts the tests).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use rand::{Rng as _, SeedableRng as _};
use rand_pcg::Pcg64Mcg;

use segscope_engine::cluster::{
    BehaviourFeature, ClusterAnalysis, ClusterInput, ClusterSettings, ClusterStage, FeatureKey,
    FeatureTable, KChoice,
};
use segscope_engine::customers::{customer_profile, TagTable};
use segscope_engine::rfm::{analyze, RfmParams};
use segscope_engine::{Dataset, Interned};

/// CPU time of this thread in seconds (Linux), so the figure is fair on a busy machine.
fn thread_cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(nanos / 1e9)
}

/// Best thread-CPU seconds of `runs` calls of `f`, printed; returns the last result.
fn best_of<T>(what: &str, runs: usize, mut f: impl FnMut() -> T) -> T {
    let (mut best, mut best_wall) = (f64::MAX, f64::MAX);
    let mut out = None;
    for _ in 0..runs {
        let cpu_start = thread_cpu_seconds();
        let start = Instant::now();
        out = Some(f());
        let wall = start.elapsed().as_secs_f64();
        let cpu = thread_cpu_seconds()
            .zip(cpu_start)
            .map_or(wall, |(end, start)| end - start);
        best = best.min(cpu);
        best_wall = best_wall.min(wall);
    }
    println!(
        "{what}: best of {runs} {:.1} ms thread CPU, {:.1} ms wall",
        best * 1e3,
        best_wall * 1e3
    );
    out.unwrap()
}

fn names(prefix: &str, n: usize) -> Interned {
    Interned {
        values: (0..n).map(|i| format!("{prefix}{i}")).collect(),
    }
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
            d.product.push(d.product[last]);
            d.quantity.push(d.quantity[last]);
            d.region.push(d.region[last]);
            d.channel.push(d.channel[last]);
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

#[test]
#[ignore = "timing; run in release"]
fn lines_by_customer_and_orders() {
    let lines = std::env::var("BENCH_LINES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000_000);
    let dataset = generate(lines);
    println!("--- {lines} lines, {} customers", dataset.customer_count());
    let params = RfmParams {
        remove_duplicates: Some(true),
        ..RfmParams::default()
    };
    let rfm = best_of("rfm::analyze", 5, || analyze(&dataset, &params).unwrap());
    let tags = best_of("TagTable::build (no clv, no cluster)", 5, || {
        TagTable::build(&dataset, &rfm, None, None)
    });
    let input = ClusterInput {
        dataset: &dataset,
        rfm: &rfm,
        clv: None,
        attributes: None,
    };
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
    best_of("FeatureTable::build (7 behaviour features)", 5, || {
        FeatureTable::build(&input, &features).unwrap()
    });
    let settings = ClusterSettings {
        k: KChoice::Fixed(4),
        sweep: false,
        restarts: 1,
        bootstrap_resamples: 0,
        ..ClusterSettings::default()
    };
    let mut profiles_ms = f64::MAX;
    for _ in 0..3 {
        let mut profiles_start = None;
        ClusterAnalysis::run(
            &input,
            &settings,
            &mut |stage, _, _| {
                if stage == ClusterStage::Profiles && profiles_start.is_none() {
                    profiles_start = Some(thread_cpu_seconds().unwrap_or(0.0));
                }
            },
            &mut || 0.0,
        )
        .unwrap();
        let end = thread_cpu_seconds().unwrap_or(0.0);
        profiles_ms = profiles_ms.min((end - profiles_start.unwrap_or(end)) * 1e3);
    }
    println!("ClusterAnalysis::run k=4, Profiles stage: best of 3 {profiles_ms:.1} ms thread CPU");
    let id = dataset
        .customer_ids
        .get(*rfm.customers.customer.first().unwrap())
        .to_string();
    let profile = best_of("customer_profile (one customer)", 5, || {
        customer_profile(&dataset, &rfm, None, Some(&tags), &id).unwrap()
    });
    assert!(profile.orders > 0);
}
