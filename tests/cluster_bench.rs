//! Timing of the k sweep and of one k-means fit on 100k and 1M customers × 3 features.
//!
//! The matrices are standardized `log1p(recency_days, frequency, monetary)` of the customers of
//! `/tmp/bench-data/tx_1m.csv` (100k customers) and `tx_10m.csv` (1M), made by
//! `tests/fixtures/cluster/bench_peer_kmeans.py --make` (not committed); the same script times
//! the scikit-learn peer on the same matrices.
//!
//! `cargo test --release --test cluster_bench -- --ignored --nocapture --test-threads 1`
#![cfg(not(target_arch = "wasm32"))]
// reads files from disk

// Test helpers outside `#[test]` functions unwrap too (clippy.toml only exempts the tests).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use ndarray::Array2;

use segscope::engine::cluster::kmeans::{self, KMeansParams};
use segscope::engine::cluster::metrics::{sample_indices, silhouette_score};
use segscope::engine::cluster::sweep::{sweep, SweepParams};

const MATRIX_100K: &str = "/tmp/kmeans-bench/rfm_100k.f64";
const MATRIX_1M: &str = "/tmp/kmeans-bench/rfm_1m.f64";

/// CPU time of this thread in seconds (Linux), so the figure is fair on a busy machine.
fn thread_cpu_seconds() -> Option<f64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = text.split_whitespace().next()?.parse().ok()?;
    Some(nanos / 1e9)
}

/// Runs `f`, printing wall and thread-CPU seconds; returns its result.
fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let cpu_start = thread_cpu_seconds();
    let start = Instant::now();
    let out = f();
    let wall = start.elapsed().as_secs_f64();
    let cpu = thread_cpu_seconds()
        .zip(cpu_start)
        .map_or(wall, |(end, start)| end - start);
    println!("{what}: {wall:.3} s wall, {cpu:.3} s CPU");
    out
}

fn load(path: &str) -> Array2<f64> {
    let bytes = std::fs::read(path).expect("matrix file (see the module doc)");
    let values: Vec<f64> = bytes
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes(b.try_into().unwrap()))
        .collect();
    Array2::from_shape_vec((values.len() / 3, 3), values).unwrap()
}

fn run(path: &str, fit_k5: bool) {
    let x = load(path);
    let rows = x.nrows();
    println!("--- {rows} customers × 3 features");
    let mut params = SweepParams::new(2, 10);
    if let Some(r) = std::env::var("BENCH_RESTARTS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        params.restarts = r;
    }
    if let Some(f) = std::env::var("BENCH_FIT_SAMPLE")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        params.fit_sample = f;
    }
    let (result, models) = timed(
        &format!(
            "sweep k=2..10 ({} restarts, fit sample {}, silhouette sample {})",
            params.restarts, params.fit_sample, params.silhouette_sample
        ),
        || sweep(x.view(), &params, &mut |_, _| {}).unwrap(),
    );
    for (p, m) in result.points.iter().zip(&models) {
        println!(
            "  k={:2} inertia {:12.2} silhouette {:.4} CH {:10.1} iterations {:3} sizes {:?}",
            p.k,
            p.inertia,
            p.silhouette,
            p.calinski_harabasz,
            m.iterations,
            m.sizes()
        );
    }
    println!("  suggested k = {}", result.suggested_k);

    let sample = sample_indices(rows, 10_000, 1);
    let xs = x.select(ndarray::Axis(0), &sample);
    let labels: Vec<u32> = sample.iter().map(|&i| models[3].labels[i]).collect();
    timed(
        "silhouette_score on 10k rows, one k (×9 in the sweep)",
        || silhouette_score(xs.view(), &labels, 5),
    );

    if fit_k5 {
        let model = timed("kmeans::fit k=5, 10 restarts, all rows", || {
            kmeans::fit(x.view(), &KMeansParams::new(5)).unwrap()
        });
        println!(
            "  inertia {:.2}, iterations {}, sizes {:?}",
            model.inertia,
            model.iterations,
            model.sizes()
        );
    }
}

#[test]
#[ignore = "needs /tmp/kmeans-bench/rfm_100k.f64; run in release"]
fn sweep_100k_customers() {
    run(MATRIX_100K, true);
}

#[test]
#[ignore = "needs /tmp/kmeans-bench/rfm_1m.f64; run in release"]
fn sweep_1m_customers() {
    run(MATRIX_1M, std::env::var("BENCH_FIT_1M").is_ok());
}

/// The whole segmentation request as the worker runs it (features → sweep → fit → stability →
/// profiles) on a transactions file, with the default settings (RFM features, auto k).
///
/// `SEGSCOPE_BENCH_CSV=/tmp/bench-data/tx_1m.csv cargo test --release --test cluster_bench -- --ignored --nocapture whole_run`
#[test]
#[ignore = "needs SEGSCOPE_BENCH_CSV (a transactions file); run in release"]
fn whole_run_on_a_transactions_file() {
    use segscope::engine::cluster::{ClusterAnalysis, ClusterInput, ClusterSettings};
    use segscope::engine::customers::{query_tagged, CustomerQuery, TagTable};
    use segscope::engine::ingest::{ingest, preview, IngestParams, PreviewParams};
    use segscope::engine::rfm::{analyze, RfmParams};
    let path = std::env::var("SEGSCOPE_BENCH_CSV").expect("SEGSCOPE_BENCH_CSV");
    let bytes = std::fs::read(&path).expect("benchmark file");
    let head = &bytes[..bytes.len().min(1 << 20)];
    let shape = preview(head, &PreviewParams::default()).unwrap();
    let params = IngestParams {
        encoding: shape.encoding,
        delimiter: shape.delimiter,
        has_header: shape.has_header,
        date_order: shape.date_order,
        mapping: shape.mapping.clone(),
    };
    let (dataset, _) = ingest(&mut &bytes[..], bytes.len() as u64, &params, &mut |_| {}).unwrap();
    let rfm = analyze(&dataset, &RfmParams::default()).unwrap();
    let input = ClusterInput {
        dataset: &dataset,
        rfm: &rfm,
        clv: None,
        attributes: None,
    };
    let start = Instant::now();
    let mut clock = move || start.elapsed().as_secs_f64() * 1000.0;
    let cpu0 = thread_cpu_seconds();
    let run = ClusterAnalysis::run(
        &input,
        &ClusterSettings::default(),
        &mut |_, _, _| {},
        &mut clock,
    )
    .unwrap();
    let cpu = thread_cpu_seconds().zip(cpu0).map(|(b, a)| b - a);
    println!(
        "{} customers: k = {}, stages {:?}, wall {:.2} s, thread CPU {:?} s",
        run.report.customers,
        run.report.k,
        run.report.timings_ms,
        start.elapsed().as_secs_f64(),
        cpu
    );

    // What the worker does after the run (`cluster_with`): tags, the first page, the chips, the
    // report serialised.
    let tags = timed("TagTable::build with the cluster", || {
        TagTable::build(&dataset, &rfm, None, Some(&run))
    });
    let page = timed("customers::query_tagged, a 50-row page", || {
        query_tagged(&dataset, &rfm, None, Some(&tags), &CustomerQuery::default())
    });
    let counts = timed("TagTable::tag_values", || tags.tag_values());
    let json = timed("ClusterReport as JSON", || {
        serde_json::to_string(&run.report).unwrap()
    });
    println!(
        "  page of {} rows ({} matching), {} tag kinds, report JSON {} bytes",
        page.rows.len(),
        page.matching,
        counts.kinds.len(),
        json.len()
    );
}
