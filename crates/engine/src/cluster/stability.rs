//! Bootstrap stability: refit on resamples, compare with the reference partition.
//!
//! A seeded subsample of at most `max_rows` rows is the reference. Each resample draws
//! `min(n, max_rows)` rows of `x` with replacement, refits k-means (same settings, a seed per
//! resample), and assigns the reference rows to the refit's nearest centroid. Agreement is the
//! adjusted Rand index with the reference labels (overall) and, per reference segment, the best
//! Jaccard overlap with any refit cluster (Hennig's clusterwise stability; ≥ 0.75 is commonly
//! read as stable, ≤ 0.5 as dissolved).

use ndarray::ArrayView2;
use rand::{Rng as _, SeedableRng as _};
use rand_pcg::Pcg64Mcg;

use super::kmeans::{self, KMeansParams};
use super::metrics::{adjusted_rand_index, sample_indices};
use super::ClusterError;

/// Agreement of a partition with its bootstrap refits.
#[derive(Debug, Clone, PartialEq)]
pub struct Stability {
    /// Mean adjusted Rand index between the reference labels and each refit's labels (the refit's
    /// centroids assign every row).
    pub mean_ari: f64,
    /// Per reference segment: mean over resamples of the best Jaccard overlap with a refit cluster.
    pub jaccard: Vec<f64>,
    /// Resamples run.
    pub resamples: usize,
}

/// Refits `params` on `resamples` bootstrap samples of `x` (of at most `max_rows` rows each, seeded).
///
/// `labels` are the reference segments of every row of `x` (`< params.k`). A resample whose
/// refit fails because it drew fewer than `k` distinct rows is skipped (so
/// [`Stability::resamples`] can be below `resamples`); if all fail the last error is returned.
/// A segment with no row in the reference subsample gets a Jaccard of 0.
///
/// Errors: `resamples == 0`, `max_rows < k` or `labels` not one per row
/// ([`ClusterError::InvalidSetting`]); the [`KMeansParams::check`] errors; non-finite values.
pub fn bootstrap(
    x: ArrayView2<'_, f64>,
    labels: &[u32],
    params: &KMeansParams,
    resamples: usize,
    max_rows: usize,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Stability, ClusterError> {
    let setting = |name: &str, value: String| ClusterError::InvalidSetting {
        name: name.to_string(),
        value,
    };
    if resamples == 0 {
        return Err(setting("bootstrap_resamples", "0".to_string()));
    }
    if max_rows < params.k {
        return Err(setting("max_rows", max_rows.to_string()));
    }
    let rows = x.nrows();
    let cols = x.ncols();
    if labels.len() != rows {
        return Err(setting(
            "labels",
            format!("{} labels for {rows} rows", labels.len()),
        ));
    }
    params.check(rows)?;
    let data = kmeans::flat_rows(x)?;
    let k = params.k;
    let width = labels
        .iter()
        .map(|&l| l as usize + 1)
        .max()
        .unwrap_or(0)
        .max(k);

    let reference_rows = sample_indices(rows, max_rows, params.seed ^ 0x00b0_075e);
    let mut reference_data = Vec::with_capacity(reference_rows.len() * cols);
    let mut reference_labels = Vec::with_capacity(reference_rows.len());
    for &i in &reference_rows {
        reference_data.extend_from_slice(&data[i * cols..(i + 1) * cols]);
        reference_labels.push(labels[i]);
    }
    let mut reference_sizes = vec![0usize; width];
    for &l in &reference_labels {
        reference_sizes[l as usize] += 1;
    }

    let draw = rows.min(max_rows);
    let mut rng = Pcg64Mcg::seed_from_u64(params.seed ^ 0xb007_5742);
    let mut resample = Vec::with_capacity(draw * cols);
    let mut ari_sum = 0.0;
    let mut jaccard_sums = vec![0.0; width];
    let mut run = 0usize;
    let mut last_error = None;
    for r in 0..resamples {
        resample.clear();
        for _ in 0..draw {
            // u64 draw: the same rows on wasm32 and native.
            let i = rng.random_range(0..rows as u64) as usize;
            resample.extend_from_slice(&data[i * cols..(i + 1) * cols]);
        }
        let refit_params = KMeansParams {
            seed: params.seed.wrapping_add(1 + r as u64),
            ..params.clone()
        };
        match kmeans::fit_flat(&resample, cols, &refit_params) {
            Ok(refit) => {
                let centres: Vec<f64> = refit.centroids.iter().copied().collect();
                let predicted = kmeans::assign_nearest(&reference_data, cols, &centres);
                ari_sum += adjusted_rand_index(&reference_labels, &predicted);
                // Contingency of reference segment × refit cluster.
                let refit_k = refit.centroids.nrows();
                let mut table = vec![0usize; width * refit_k];
                let mut predicted_sizes = vec![0usize; refit_k];
                for (&a, &b) in reference_labels.iter().zip(&predicted) {
                    table[a as usize * refit_k + b as usize] += 1;
                    predicted_sizes[b as usize] += 1;
                }
                for (segment, sum) in jaccard_sums.iter_mut().enumerate() {
                    let own = reference_sizes[segment];
                    let best = (0..refit_k)
                        .map(|t| {
                            let both = table[segment * refit_k + t];
                            let either = own + predicted_sizes[t] - both;
                            if either == 0 {
                                0.0
                            } else {
                                both as f64 / either as f64
                            }
                        })
                        .fold(0.0f64, f64::max);
                    *sum += best;
                }
                run += 1;
            }
            Err(error @ ClusterError::TooFewDistinct { .. }) => last_error = Some(error),
            Err(error) => return Err(error),
        }
        progress(r + 1, resamples);
    }
    if run == 0 {
        return Err(last_error.unwrap_or(ClusterError::TooFewDistinct { distinct: 0, k }));
    }
    Ok(Stability {
        mean_ari: ari_sum / run as f64,
        jaccard: jaccard_sums.iter().map(|s| s / run as f64).collect(),
        resamples: run,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use ndarray::Array2;

    use super::*;

    #[test]
    fn separated_blobs_are_stable() {
        let mut x = Array2::zeros((300, 2));
        for i in 0..300 {
            let c = (i % 3) as f64 * 10.0;
            x[[i, 0]] = c + (i as f64 * 0.7).sin();
            x[[i, 1]] = (i as f64 * 1.1).cos();
        }
        let params = KMeansParams::new(3);
        let model = kmeans::fit(x.view(), &params).unwrap();
        let mut calls = 0;
        let s = bootstrap(x.view(), &model.labels, &params, 5, 200, &mut |_, _| {
            calls += 1
        })
        .unwrap();
        assert_eq!(calls, 5);
        assert_eq!(s.resamples, 5);
        assert!((s.mean_ari - 1.0).abs() < 1e-12, "{s:?}");
        assert_eq!(s.jaccard.len(), 3);
        assert!(s.jaccard.iter().all(|&j| (j - 1.0).abs() < 1e-12));
    }

    #[test]
    fn rejects_bad_arguments() {
        let x = Array2::<f64>::zeros((10, 1));
        let p = KMeansParams::new(2);
        assert!(bootstrap(x.view(), &[0; 10], &p, 0, 100, &mut |_, _| {}).is_err());
        assert!(bootstrap(x.view(), &[0; 9], &p, 3, 100, &mut |_, _| {}).is_err());
        // All rows identical: every refit fails.
        assert!(matches!(
            bootstrap(x.view(), &[0; 10], &p, 3, 100, &mut |_, _| {}),
            Err(ClusterError::TooFewDistinct { .. })
        ));
    }
}
