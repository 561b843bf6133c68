//! Timing of `ingest` on the 1M-row benchmark file (generated elsewhere, not committed).
//!
//! `cargo test --release --test ingest_bench -- --ignored --nocapture`

use std::time::Instant;

use segscope::engine::ingest::{ingest, preview, IngestParams, PreviewParams};

const BENCH_FILE: &str = "/tmp/bench-data/tx_1m.csv";

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
    let mut best = f64::MAX;
    for _ in 0..5 {
        let mut calls = 0u32;
        let start = Instant::now();
        let (dataset, report) =
            ingest(&bytes[..], bytes.len() as u64, &params, &mut |_| calls += 1).unwrap();
        let seconds = start.elapsed().as_secs_f64();
        best = best.min(seconds);
        assert_eq!(dataset.len() as u64, report.rows_kept);
        assert!(calls > 100);
        println!(
            "ingest: {} rows, {} customers, {} orders, {} products in {:.3} s",
            report.rows_kept, report.customers, report.orders, report.products, seconds
        );
    }
    let rows = bytes.iter().filter(|&&b| b == b'\n').count() - 1;
    println!(
        "best of 5: {:.3} s = {:.2} M rows/s, {:.0} MB/s",
        best,
        rows as f64 / best / 1e6,
        bytes.len() as f64 / best / 1e6
    );
}
