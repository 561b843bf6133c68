//! The first two principal components, for the scatter. SKELETON.

use ndarray::{Array2, ArrayView2};

/// Two principal axes of a (centred) matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Pca2 {
    /// Column means subtracted before projecting.
    pub mean: Vec<f64>,
    /// `2 × columns`, unit rows, sign fixed so the largest |loading| is positive.
    pub axes: Array2<f64>,
    /// Share of total variance of each axis.
    pub explained_variance: [f64; 2],
}

/// Fits the first two components of `x` (a 1-column matrix gets a zero second axis).
pub fn fit(x: ArrayView2<'_, f64>) -> Pca2 {
    let _ = x;
    todo!()
}

impl Pca2 {
    /// Projects one row.
    pub fn project(&self, row: &[f64]) -> [f64; 2] {
        let _ = row;
        todo!()
    }
}
