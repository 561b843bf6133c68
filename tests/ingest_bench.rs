//! Timing of `ingest` on the 1M-row benchmark file (generated elsewhere, not committed).
//!
//! `cargo test --release --test ingest_bench -- --ignored --nocapture`
#![cfg(not(target_arch = "wasm32"))]
// reads a file from disk

// Test helpers outside `#[test]` functions unwrap too (clippy.toml only exempts the tests).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use segscope::engine::ingest::{ingest, preview, IngestParams, PreviewParams};

const BENCH_FILE: &str = "/tmp/bench-data/tx_1m.csv";

/// CPU time of this thread in seconds (Linux), so the figure is fair on a busy machine.
fn thread_cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(nanos / 1e9)
}

#[test]
#[ignore = "needs /tmp/bench-data/tx_1m.csv; run in release"]
fn ingest_one_million_rows() {
    let bytes = std::fs::read(BENCH_FILE).expect("benchmark file");
    let head = &bytes[..bytes.len().min(1 << 20)];
    let shape = preview(head, &PreviewParams::default()).unwrap();
    let params = IngestParams {
        encoding: shape.encoding,
        delimiter: shape.delimiter,
        has_header: shape.has_header,
        date_order: shape.date_order,
        mapping: shape.mapping.clone(),
    };
    println!("preview: {shape:?}");
    let mut params = params;
    if std::env::var("BENCH_REQUIRED_ONLY").is_ok() {
        params.mapping.product = None;
        params.mapping.region = None;
        params.mapping.channel = None;
        params.mapping.order_id = None;
    }
    let mut best = f64::MAX;
    let mut best_cpu = f64::MAX;
    for _ in 0..5 {
        let mut calls = 0u32;
        let cpu_start = thread_cpu_seconds();
        let start = Instant::now();
        let (dataset, report) =
            ingest(&bytes[..], bytes.len() as u64, &params, &mut |_| calls += 1).unwrap();
        let seconds = start.elapsed().as_secs_f64();
        let cpu = thread_cpu_seconds()
            .zip(cpu_start)
            .map_or(seconds, |(end, start)| end - start);
        best = best.min(seconds);
        best_cpu = best_cpu.min(cpu);
        assert_eq!(dataset.len() as u64, report.rows_kept);
        assert!(calls > 100);
        println!(
            "ingest: {} rows, {} customers, {} orders, {} products in {:.3} s wall, {:.3} s CPU",
            report.rows_kept, report.customers, report.orders, report.products, seconds, cpu
        );
    }
    let rows = bytes.iter().filter(|&&b| b == b'\n').count() - 1;
    for (what, t) in [("wall", best), ("CPU", best_cpu)] {
        println!(
            "best of 5 ({what}): {:.3} s = {:.2} M rows/s, {:.0} MB/s",
            t,
            rows as f64 / t / 1e6,
            bytes.len() as f64 / t / 1e6
        );
    }
}
