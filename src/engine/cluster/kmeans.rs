//! k-means (Lloyd) with k-means++ seeding and seeded restarts; the lowest inertia is kept.
//! SKELETON: signatures fixed, bodies to write.

use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

use super::ClusterError;

/// k-means settings. Defaults: 10 restarts, 300 iterations, tolerance 1e-4, seed 42.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KMeansParams {
    /// Segments.
    pub k: usize,
    /// Seeded k-means++ restarts; the lowest inertia is kept.
    pub restarts: usize,
    /// Lloyd iterations per restart at most.
    pub max_iterations: usize,
    /// Converged when the centroids move less than this (squared Frobenius norm of the shift,
    /// relative to the mean per-column variance, as scikit-learn).
    pub tolerance: f64,
    /// Seed.
    pub seed: u64,
}

impl KMeansParams {
    /// Defaults for `k`.
    pub fn new(k: usize) -> Self {
        Self {
            k,
            restarts: 10,
            max_iterations: 300,
            tolerance: 1e-4,
            seed: 42,
        }
    }

    /// Checks the settings against the data shape.
    pub fn check(&self, rows: usize) -> Result<(), ClusterError> {
        let _ = rows;
        todo!()
    }
}

/// A fitted k-means.
#[derive(Debug, Clone, PartialEq)]
pub struct KMeansModel {
    /// `k × columns`, in the transformed space; row `s` is segment `s`.
    pub centroids: Array2<f64>,
    /// Segment of each row; segments are numbered by size, largest first (ties by lowest first
    /// row), so outputs are deterministic.
    pub labels: Vec<u32>,
    /// Within-cluster sum of squared distances.
    pub inertia: f64,
    /// Iterations of the kept restart.
    pub iterations: usize,
    /// Whether the kept restart met the tolerance before the cap.
    pub converged: bool,
}

/// Fits k-means on `x` (rows = customers).
pub fn fit(x: ArrayView2<'_, f64>, params: &KMeansParams) -> Result<KMeansModel, ClusterError> {
    let _ = (x, params);
    todo!()
}

impl KMeansModel {
    /// Nearest centroid of each row of `x` (same columns as the fit).
    pub fn predict(&self, x: ArrayView2<'_, f64>) -> Vec<u32> {
        let _ = x;
        todo!()
    }
}
