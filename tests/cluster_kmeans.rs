//! k-means, the cluster metrics and PCA against scikit-learn (golden values from
//! `tests/fixtures/cluster/make_golden_kmeans.py`), plus determinism and degenerate data.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use ndarray::Array2;
use serde_json::Value;

use segscope::engine::cluster::kmeans::{self, KMeansParams};
use segscope::engine::cluster::metrics::{
    adjusted_rand_index, calinski_harabasz, sample_indices, silhouette_samples, silhouette_score,
};
use segscope::engine::cluster::pca;
use segscope::engine::cluster::ClusterError;

fn golden() -> Value {
    serde_json::from_str(include_str!("fixtures/cluster/golden_kmeans.json")).unwrap()
}

fn matrix(points: &Value) -> Array2<f64> {
    let rows = points.as_array().unwrap();
    let cols = rows[0].as_array().unwrap().len();
    let flat: Vec<f64> = rows
        .iter()
        .flat_map(|r| r.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()))
        .collect();
    Array2::from_shape_vec((rows.len(), cols), flat).unwrap()
}

fn labels(values: &Value) -> Vec<u32> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap() as u32)
        .collect()
}

fn floats(values: &Value) -> Vec<f64> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect()
}

#[test]
fn separated_blobs_match_sklearn() {
    let g = golden();
    let blobs = &g["blobs"];
    let x = matrix(&blobs["points"]);
    let model = kmeans::fit(x.view(), &KMeansParams::new(5)).unwrap();
    let reference = labels(&blobs["labels"]);
    let ari = adjusted_rand_index(&model.labels, &reference);
    let sklearn_inertia = blobs["inertia"].as_f64().unwrap();
    println!(
        "blobs: ARI {ari}, inertia {} vs sklearn {sklearn_inertia}",
        model.inertia
    );
    assert!(ari >= 0.99, "ARI vs sklearn {ari}");
    assert!(
        model.inertia <= 1.01 * sklearn_inertia,
        "inertia {} vs sklearn {sklearn_inertia}",
        model.inertia
    );
    assert!(model.converged);
    assert_eq!(model.predict(x.view()), model.labels);
}

#[test]
fn realistic_rfm_inertia_matches_sklearn_best() {
    let g = golden();
    let x = matrix(&g["rfm"]["points"]);
    for k in 3..=6 {
        let best = g["rfm"]["best_inertia"][k.to_string()].as_f64().unwrap();
        let model = kmeans::fit(x.view(), &KMeansParams::new(k)).unwrap();
        println!(
            "rfm k={k}: inertia {} vs sklearn best {best}",
            model.inertia
        );
        assert!(
            model.inertia <= 1.01 * best,
            "k={k}: inertia {} vs sklearn best {best}",
            model.inertia
        );
        // Reported inertia is the inertia of the returned labels and centroids.
        let mut recomputed = 0.0;
        for (row, &label) in x.rows().into_iter().zip(&model.labels) {
            let centre = model.centroids.row(label as usize);
            recomputed += row
                .iter()
                .zip(centre.iter())
                .map(|(a, b)| (a - b) * (a - b))
                .sum::<f64>();
        }
        assert!((recomputed - model.inertia).abs() <= 1e-9 * model.inertia);
        assert_eq!(model.predict(x.view()), model.labels, "k={k}");
    }
}

#[test]
fn silhouette_and_calinski_harabasz_equal_sklearn() {
    let g = golden();
    let m = &g["metrics"];
    let x = matrix(&m["points"]);
    let given = labels(&m["labels"]);
    let k = m["k"].as_u64().unwrap() as usize;
    let ours = silhouette_samples(x.view(), &given, k);
    let reference = floats(&m["silhouette_samples"]);
    assert_eq!(ours.len(), reference.len());
    for (i, (a, b)) in ours.iter().zip(&reference).enumerate() {
        assert!((a - b).abs() <= 1e-9, "row {i}: {a} vs {b}");
    }
    assert_eq!(ours[5], 0.0, "a row alone in its cluster has silhouette 0");
    let score = silhouette_score(x.view(), &given, k);
    assert!((score - m["silhouette_score"].as_f64().unwrap()).abs() <= 1e-9);
    let ch = calinski_harabasz(x.view(), &given, k);
    let ch_reference = m["calinski_harabasz"].as_f64().unwrap();
    assert!(
        (ch - ch_reference).abs() <= 1e-9 * ch_reference.abs().max(1.0),
        "{ch} vs {ch_reference}"
    );
}

#[test]
fn adjusted_rand_index_equals_sklearn_including_edge_cases() {
    let g = golden();
    for case in g["metrics"]["ari"].as_array().unwrap() {
        let a = labels(&case["a"]);
        let b = labels(&case["b"]);
        let expected = case["ari"].as_f64().unwrap();
        let ours = adjusted_rand_index(&a, &b);
        assert!(
            (ours - expected).abs() <= 1e-12,
            "{a:?} {b:?}: {ours} vs {expected}"
        );
    }
}

#[test]
fn pca_matches_sklearn() {
    let g = golden();
    let p = &g["pca"];
    let x = matrix(&p["points"]);
    let fitted = pca::fit(x.view());
    let ratio = floats(&p["explained_variance_ratio"]);
    for (a, b) in fitted.explained_variance.iter().zip(&ratio) {
        assert!((a - b).abs() <= 1e-9, "{a} vs {b}");
    }
    for (axis, reference) in p["components"].as_array().unwrap().iter().enumerate() {
        for (a, b) in fitted.axes.row(axis).iter().zip(floats(reference)) {
            assert!((a.abs() - b.abs()).abs() <= 1e-9, "axis {axis}: {a} vs {b}");
        }
        // Our sign rule: the largest |loading| is positive.
        let largest = fitted.axes.row(axis).iter().copied().fold(0.0f64, |m, v| {
            if v.abs() > m.abs() {
                v
            } else {
                m
            }
        });
        assert!(largest > 0.0);
    }
}

fn rfm_points() -> Array2<f64> {
    matrix(&golden()["rfm"]["points"])
}

#[test]
fn same_seed_same_labels_and_labels_numbered_by_size() {
    let x = rfm_points();
    let params = KMeansParams::new(4);
    let a = kmeans::fit(x.view(), &params).unwrap();
    let b = kmeans::fit(x.view(), &params).unwrap();
    assert_eq!(a, b);
    let sizes = a.sizes();
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
    let other_seed = kmeans::fit(
        x.view(),
        &KMeansParams {
            seed: 7,
            ..params.clone()
        },
    )
    .unwrap();
    // Another seed reaches (nearly) the same optimum on this data.
    assert!(adjusted_rand_index(&a.labels, &other_seed.labels) > 0.9);
}

#[test]
fn equal_sizes_are_numbered_by_first_row() {
    // Two clusters of two rows each; the cluster of row 0 is segment 0.
    let x = Array2::from_shape_vec((4, 1), vec![10.0, 0.0, 10.1, 0.1]).unwrap();
    let model = kmeans::fit(x.view(), &KMeansParams::new(2)).unwrap();
    assert_eq!(model.labels, vec![0, 1, 0, 1]);
    assert!((model.centroids[[0, 0]] - 10.05).abs() < 1e-12);
}

#[test]
fn fewer_rows_than_k_is_a_typed_error() {
    let x = Array2::from_shape_vec((2, 1), vec![0.0, 1.0]).unwrap();
    assert_eq!(
        kmeans::fit(x.view(), &KMeansParams::new(3)),
        Err(ClusterError::TooFewCustomers { customers: 2, k: 3 })
    );
    let empty = Array2::<f64>::zeros((0, 3));
    assert!(matches!(
        kmeans::fit(empty.view(), &KMeansParams::new(2)),
        Err(ClusterError::TooFewCustomers { customers: 0, .. })
    ));
}

#[test]
fn identical_rows_are_too_few_distinct() {
    let x = Array2::from_elem((50, 3), 1.5);
    assert_eq!(
        kmeans::fit(x.view(), &KMeansParams::new(2)),
        Err(ClusterError::TooFewDistinct { distinct: 1, k: 2 })
    );
    let mut three = Array2::zeros((60, 2));
    for i in 0..60 {
        three[[i, 0]] = (i % 3) as f64;
    }
    assert_eq!(
        kmeans::fit(three.view(), &KMeansParams::new(4)),
        Err(ClusterError::TooFewDistinct { distinct: 3, k: 4 })
    );
    let no_columns = Array2::<f64>::zeros((5, 0));
    assert!(matches!(
        kmeans::fit(no_columns.view(), &KMeansParams::new(2)),
        Err(ClusterError::TooFewDistinct { .. })
    ));
}

#[test]
fn constant_column_is_harmless() {
    let mut x = rfm_points();
    x.column_mut(1).fill(3.0);
    let model = kmeans::fit(x.view(), &KMeansParams::new(3)).unwrap();
    assert!(model
        .centroids
        .column(1)
        .iter()
        .all(|&c| (c - 3.0).abs() < 1e-9));
    assert_eq!(model.predict(x.view()), model.labels);
}

#[test]
fn k_equal_to_rows_puts_each_row_alone() {
    let x = Array2::from_shape_vec((4, 2), vec![0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 5.0, 5.0]).unwrap();
    let model = kmeans::fit(x.view(), &KMeansParams::new(4)).unwrap();
    assert_eq!(model.labels, vec![0, 1, 2, 3]);
    assert_eq!(model.inertia, 0.0);
}

#[test]
fn non_finite_values_are_reported_with_their_place() {
    let mut x = rfm_points();
    x[[17, 2]] = f64::NAN;
    assert_eq!(
        kmeans::fit(x.view(), &KMeansParams::new(3)),
        Err(ClusterError::NonFiniteFeature {
            feature: "column 2".to_string(),
            customer_id: "row 17".to_string()
        })
    );
}

#[test]
fn iteration_cap_is_reported() {
    let x = rfm_points();
    let model = kmeans::fit(
        x.view(),
        &KMeansParams {
            max_iterations: 1,
            restarts: 1,
            ..KMeansParams::new(6)
        },
    )
    .unwrap();
    assert_eq!(model.iterations, 1);
    assert!(!model.converged);
    // The labels still belong to the returned centroids.
    assert_eq!(model.predict(x.view()), model.labels);
}

#[test]
fn sample_indices_cover_and_differ_by_seed() {
    let s = sample_indices(100, 100, 1);
    assert_eq!(s, (0..100).collect::<Vec<_>>());
    let a = sample_indices(100_000, 1000, 1);
    assert_eq!(a.len(), 1000);
    assert!(a.windows(2).all(|w| w[0] < w[1]));
    // Spread over the range, not clustered at the start.
    assert!(a[0] < 1000 && *a.last().unwrap() > 99_000);
}

/// The seeded k = 6 result on the golden RFM-like points, pinned so that `tests/web.rs` can check
/// that wasm32 takes the same seeded path (same draws, same local optimum) as native.
#[test]
fn seeded_k6_inertia_is_pinned_for_the_wasm_comparison() {
    let g = golden();
    let x = matrix(&g["rfm"]["points"]);
    let model = kmeans::fit(x.view(), &KMeansParams::new(6)).unwrap();
    let pinned = 1643.897862753891;
    assert!(
        (model.inertia - pinned).abs() <= 1e-9 * pinned,
        "k=6 inertia {} (pinned {pinned})",
        model.inertia
    );
}
