//! Cluster-quality measures, each checked against scikit-learn. SKELETON.

use ndarray::ArrayView2;

/// Silhouette of each row of `x` given its label (scikit-learn's `silhouette_samples`: 0 for a
/// row alone in its cluster). `k` = number of labels.
pub fn silhouette_samples(x: ArrayView2<'_, f64>, labels: &[u32], k: usize) -> Vec<f64> {
    let _ = (x, labels, k);
    todo!()
}

/// Mean of [`silhouette_samples`].
pub fn silhouette_score(x: ArrayView2<'_, f64>, labels: &[u32], k: usize) -> f64 {
    let _ = (x, labels, k);
    todo!()
}

/// Calinski-Harabasz index (between / within dispersion ratio), as scikit-learn.
pub fn calinski_harabasz(x: ArrayView2<'_, f64>, labels: &[u32], k: usize) -> f64 {
    let _ = (x, labels, k);
    todo!()
}

/// Adjusted Rand index between two labelings of the same rows, as scikit-learn.
pub fn adjusted_rand_index(a: &[u32], b: &[u32]) -> f64 {
    let _ = (a, b);
    todo!()
}

/// A seeded sample of `size` distinct indices of `0..n`, sorted (all of them when `size >= n`).
pub fn sample_indices(n: usize, size: usize, seed: u64) -> Vec<usize> {
    let _ = (n, size, seed);
    todo!()
}
