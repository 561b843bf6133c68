//! Bootstrap stability: refit on resamples, compare with the reference partition. SKELETON.

use ndarray::ArrayView2;

use super::{ClusterError, KMeansParams};

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
pub fn bootstrap(
    x: ArrayView2<'_, f64>,
    labels: &[u32],
    params: &KMeansParams,
    resamples: usize,
    max_rows: usize,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Stability, ClusterError> {
    let _ = (x, labels, params, resamples, max_rows, progress);
    todo!()
}
