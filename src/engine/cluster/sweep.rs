//! The k sweep: inertia (elbow), sampled silhouette, Calinski-Harabasz, and a suggested k.
//! SKELETON.

use ndarray::ArrayView2;

use super::{ClusterError, KMeansModel, Sweep};

/// Sweep settings.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepParams {
    /// Smallest k.
    pub k_min: usize,
    /// Largest k.
    pub k_max: usize,
    /// Restarts per k.
    pub restarts: usize,
    /// Seed.
    pub seed: u64,
    /// Silhouette sample size.
    pub silhouette_sample: usize,
}

/// Runs k-means for each k; `progress(done, total)` after each k. Returns the sweep and the
/// fitted model of each k (ascending), so the chosen k need not be refitted.
pub fn sweep(
    x: ArrayView2<'_, f64>,
    params: &SweepParams,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<(Sweep, Vec<KMeansModel>), ClusterError> {
    let _ = (x, params, progress);
    todo!()
}
