//! Segmentation: the k sweep and one k-means fit on 100k and 1M customers × 3 features, the whole
//! "Find segments" request on a transactions file, and the feature stage on 1M customers.
//!
//! `cargo bench -p segscope-engine --bench cluster`
//!
//! The matrices are standardized `log1p(recency_days, frequency, monetary)` of the customers of
//! `/tmp/bench-data/tx_1m.csv` (100k customers, `/tmp/kmeans-bench/rfm_100k.f64`) and `tx_10m.csv`
//! (1M, `/tmp/kmeans-bench/rfm_1m.f64`), made by `tests/fixtures/cluster/bench_peer_kmeans.py
//! --make` (not committed); the same script times the scikit-learn peer on the same matrices.
//! The whole request reads `SEGSCOPE_BENCH_CSV` (default `/tmp/bench-data/tx_1m.csv`). Each
//! benchmark whose file is absent is skipped with a note; the feature-stage one generates its
//! data. Env: `BENCH_RESTARTS` and `BENCH_FIT_SAMPLE` set the sweep's restarts and fit sample.

// Bench helpers unwrap: the data is ours and a failure should stop the run.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::sync::LazyLock;

use divan::Bencher;
use ndarray::Array2;

use segscope_engine::cluster::kmeans::{self, KMeansParams};
use segscope_engine::cluster::metrics::{sample_indices, silhouette_score};
use segscope_engine::cluster::sweep::{sweep, SweepParams};
use segscope_engine::cluster::transform::FittedTransform;
use segscope_engine::cluster::{
    BehaviourFeature, ClusterAnalysis, ClusterInput, ClusterSettings, FeatureKey, FeatureTable,
};
use segscope_engine::ingest::{ingest, preview, IngestParams, PreviewParams};
use segscope_engine::rfm::{analyze, Analysis, RfmParams};
use segscope_engine::Dataset;

const MATRIX_100K: &str = "/tmp/kmeans-bench/rfm_100k.f64";
const MATRIX_1M: &str = "/tmp/kmeans-bench/rfm_1m.f64";
const BENCH_CSV: &str = "/tmp/bench-data/tx_1m.csv";

fn bench_csv() -> String {
    std::env::var("SEGSCOPE_BENCH_CSV").unwrap_or_else(|_| BENCH_CSV.to_string())
}

fn main() {
    let mut runner = divan::Divan::from_args();
    for (path, benches) in [
        (MATRIX_100K.to_string(), "100k"),
        (MATRIX_1M.to_string(), "1m_customers"),
        (bench_csv(), "whole_run"),
    ] {
        if !Path::new(&path).exists() {
            println!("cluster benches matching '{benches}' skipped: {path} not found");
            runner = runner.skip_regex(benches);
        }
    }
    runner.main();
}

fn load(path: &str) -> Array2<f64> {
    let bytes = std::fs::read(path).expect("matrix file (see the module doc)");
    let values: Vec<f64> = bytes
        .chunks_exact(8)
        .map(|b| f64::from_le_bytes(b.try_into().unwrap()))
        .collect();
    Array2::from_shape_vec((values.len() / 3, 3), values).unwrap()
}

static X_100K: LazyLock<Array2<f64>> = LazyLock::new(|| load(MATRIX_100K));
static X_1M: LazyLock<Array2<f64>> = LazyLock::new(|| load(MATRIX_1M));

fn sweep_params() -> SweepParams {
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
    params
}

/// The k = 2…10 sweep (default: 3 restarts on a 50k sample, silhouette on a 10k sample).
fn bench_sweep(bencher: Bencher, x: &Array2<f64>) {
    let params = sweep_params();
    bencher.bench_local(|| sweep(x.view(), &params, &mut |_, _| {}).unwrap());
}

/// `silhouette_score` on a 10k-row sample, one k (the sweep runs it 9 times).
fn bench_silhouette(bencher: Bencher, x: &Array2<f64>) {
    let model = kmeans::fit(x.view(), &KMeansParams::new(5)).unwrap();
    let sample = sample_indices(x.nrows(), 10_000, 1);
    let xs = x.select(ndarray::Axis(0), &sample);
    let labels: Vec<u32> = sample.iter().map(|&i| model.labels[i]).collect();
    bencher.bench_local(|| silhouette_score(xs.view(), &labels, 5));
}

/// One k = 5 fit, 10 restarts, every row.
fn bench_fit_k5(bencher: Bencher, x: &Array2<f64>) {
    let params = KMeansParams::new(5);
    bencher.bench_local(|| kmeans::fit(x.view(), &params).unwrap());
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn sweep_100k(bencher: Bencher) {
    bench_sweep(bencher, &X_100K);
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn silhouette_10k_sample_100k(bencher: Bencher) {
    bench_silhouette(bencher, &X_100K);
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn kmeans_fit_k5_100k(bencher: Bencher) {
    bench_fit_k5(bencher, &X_100K);
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn sweep_1m_customers(bencher: Bencher) {
    bench_sweep(bencher, &X_1M);
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn silhouette_10k_sample_1m_customers(bencher: Bencher) {
    bench_silhouette(bencher, &X_1M);
}

/// Slow (≈5 s a sample); `--skip kmeans_fit_k5_1m` leaves it out.
#[divan::bench(sample_count = 2, sample_size = 1)]
fn kmeans_fit_k5_1m_customers(bencher: Bencher) {
    bench_fit_k5(bencher, &X_1M);
}

/// The file's dataset and RFM run, for the whole request.
static FILE_RUN: LazyLock<(Dataset, Analysis)> = LazyLock::new(|| {
    let bytes = std::fs::read(bench_csv()).expect("benchmark file");
    let head = &bytes[..bytes.len().min(1 << 20)];
    let shape = preview(head, &PreviewParams::default()).unwrap();
    let params = IngestParams {
        encoding: shape.encoding,
        delimiter: shape.delimiter,
        has_header: shape.has_header,
        date_order: shape.date_order,
        mapping: shape.mapping.clone(),
        keep_far_dates: false,
    };
    let (dataset, _) = ingest(&bytes[..], bytes.len() as u64, &params, &mut |_| {}).unwrap();
    let rfm = analyze(&dataset, &RfmParams::default()).unwrap();
    (dataset, rfm)
});

/// The whole segmentation request as the worker runs it (features → sweep → fit → stability →
/// profiles), default settings (RFM features, auto k). The stages of the last sample are printed.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn whole_run(bencher: Bencher) {
    let (dataset, rfm) = &*FILE_RUN;
    let input = ClusterInput {
        dataset,
        rfm,
        clv: None,
        attributes: None,
    };
    let settings = ClusterSettings::default();
    let mut last = None;
    bencher.bench_local(|| {
        let start = std::time::Instant::now();
        let mut clock = move || start.elapsed().as_secs_f64() * 1000.0;
        let run = ClusterAnalysis::run(&input, &settings, &mut |_, _, _| {}, &mut clock).unwrap();
        last = Some((
            run.report.customers,
            run.report.k,
            run.report.timings_ms.clone(),
        ));
    });
    if let Some((customers, k, stages)) = last {
        println!("whole_run: {customers} customers, k = {k}, stages (ms) {stages:?}");
    }
}

/// One default run on the file, for what the worker does after it (`cluster_with`).
static FILE_CLUSTERS: LazyLock<ClusterAnalysis> = LazyLock::new(|| {
    let (dataset, rfm) = &*FILE_RUN;
    let input = ClusterInput {
        dataset,
        rfm,
        clv: None,
        attributes: None,
    };
    ClusterAnalysis::run(
        &input,
        &ClusterSettings::default(),
        &mut |_, _, _| {},
        &mut || 0.0,
    )
    .unwrap()
});

/// After the whole run, as the worker does: tags, the first page, the chips, the report as JSON.
#[divan::bench_group(sample_count = 5, sample_size = 1)]
mod whole_run_then {
    use super::*;
    use segscope_engine::customers::{query_tagged, CustomerQuery, TagTable};

    #[divan::bench]
    fn tag_table_with_segments(bencher: Bencher) {
        let (dataset, rfm) = &*FILE_RUN;
        let run = &*FILE_CLUSTERS;
        bencher.bench_local(|| TagTable::build(dataset, rfm, None, Some(run)));
    }

    #[divan::bench]
    fn first_page_tagged(bencher: Bencher) {
        let (dataset, rfm) = &*FILE_RUN;
        let tags = TagTable::build(dataset, rfm, None, Some(&*FILE_CLUSTERS));
        let q = CustomerQuery::default();
        bencher.bench_local(|| query_tagged(dataset, rfm, &[], Some(&tags), &q));
    }

    #[divan::bench]
    fn tag_values(bencher: Bencher) {
        let (dataset, rfm) = &*FILE_RUN;
        let tags = TagTable::build(dataset, rfm, None, Some(&*FILE_CLUSTERS));
        bencher.bench_local(|| tags.tag_values());
    }

    #[divan::bench]
    fn report_json(bencher: Bencher) {
        let report = &FILE_CLUSTERS.report;
        bencher.bench_local(|| serde_json::to_string(report).unwrap());
    }
}

/// The feature stage (build, then fit and apply the transforms) for 1M customers × 3 lines,
/// generated (was the ignored test `feature_table_for_a_million_customers`).
#[divan::bench(sample_count = 3, sample_size = 1)]
fn feature_stage_1m_generated(bencher: Bencher) {
    let d = million_customers();
    let a = analyze(&d, &RfmParams::default()).unwrap();
    let input = ClusterInput {
        dataset: &d,
        rfm: &a,
        clv: None,
        attributes: None,
    };
    let features: Vec<FeatureKey> = BehaviourFeature::ALL
        .into_iter()
        .filter(|f| {
            !matches!(
                f,
                BehaviourFeature::Clv | BehaviourFeature::ProbabilityAlive
            )
        })
        .map(FeatureKey::Behaviour)
        .collect();
    bencher.bench_local(|| {
        let (t, _) = FeatureTable::build(&input, &features).unwrap();
        let (fitted, _) = FittedTransform::fit(&t).unwrap();
        fitted.apply(&t).unwrap()
    });
}

/// 1M customers × 3 lines over 2024-ish days, 500 products, 30 regions, 3 channels.
fn million_customers() -> Dataset {
    let customers = 1_000_000u32;
    let mut d = Dataset::default();
    let mut state = 1u64;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    for p in 0..500 {
        d.products.push(&format!("p{p}"));
    }
    for r in 0..30 {
        d.regions.push(&format!("r{r}"));
    }
    d.channels = segscope_engine::Interned::from(vec!["web", "shop", "app"]);
    for c in 0..customers {
        d.customer_ids.push(&format!("c{c}"));
        for _ in 0..3 {
            d.customer.push(c);
            d.day.push(19_000 + (next() * 365.0) as i32);
            d.amount.push(1.0 + next() * 100.0);
            d.product.push((next() * 500.0) as u32);
            d.region.push((next() * 30.0) as u32);
            d.channel.push((next() * 3.0) as u32);
        }
    }
    d
}
