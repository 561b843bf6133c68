//! `ingest` on the 1M-row benchmark file (made by the shared generator, not committed).
//!
//! `cargo bench -p segscope-engine --bench ingest`
//!
//! Reads `/tmp/bench-data/tx_1m.csv` (or the file named by `SEGSCOPE_BENCH_CSV`) and skips with a
//! note when it is absent. `BENCH_REQUIRED_ONLY=1` maps only the required columns. Divan reports
//! rows/s (items) and MB/s (bytes) beside the times.

// Bench helpers unwrap: the data is ours and a failure should stop the run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::LazyLock;

use divan::counter::{BytesCount, ItemsCount};
use divan::Bencher;
use segscope_engine::ingest::{ingest, preview, IngestParams, PreviewParams};

const BENCH_FILE: &str = "/tmp/bench-data/tx_1m.csv";

fn bench_file() -> String {
    std::env::var("SEGSCOPE_BENCH_CSV").unwrap_or_else(|_| BENCH_FILE.to_string())
}

/// The file's bytes and the parameters the preview suggests.
static INPUT: LazyLock<(Vec<u8>, IngestParams)> = LazyLock::new(|| {
    let bytes = std::fs::read(bench_file()).expect("benchmark file");
    let head = &bytes[..bytes.len().min(1 << 20)];
    let shape = preview(head, &PreviewParams::default()).unwrap();
    let mut params = IngestParams {
        encoding: shape.encoding,
        delimiter: shape.delimiter,
        has_header: shape.has_header,
        date_order: shape.date_order,
        mapping: shape.mapping.clone(),
        keep_far_dates: false,
    };
    if std::env::var("BENCH_REQUIRED_ONLY").is_ok() {
        params.mapping.product = None;
        params.mapping.region = None;
        params.mapping.channel = None;
        params.mapping.order_id = None;
    }
    (bytes, params)
});

fn main() {
    let path = bench_file();
    if !std::path::Path::new(&path).exists() {
        println!("ingest bench skipped: {path} not found (make it with the shared generator)");
        return;
    }
    divan::main();
}

/// The whole file, as the worker ingests it (best of 5 is divan's "fastest").
#[divan::bench(sample_count = 5, sample_size = 1)]
fn ingest_file(bencher: Bencher) {
    let (bytes, params) = &*INPUT;
    let rows = bytes
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        .saturating_sub(1);
    bencher
        .counter(ItemsCount::new(rows))
        .counter(BytesCount::new(bytes.len()))
        .bench_local(|| {
            let mut calls = 0u32;
            let (dataset, report) =
                ingest(&bytes[..], bytes.len() as u64, params, &mut |_| calls += 1).unwrap();
            assert_eq!(dataset.len() as u64, report.rows_kept);
            (dataset, report)
        });
}
