//! The first two principal components, for the scatter.
//!
//! The covariance matrix of the columns is small (a few dozen columns at most), so it is
//! diagonalised with the cyclic Jacobi method (accurate to rounding, no dependency); the two
//! eigenvectors of largest eigenvalue are the axes. Checked against scikit-learn's `PCA`
//! (`tests/cluster_kmeans.rs`).

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
///
/// Shares are 0 when every column is constant (or there are fewer than two rows); the axes are
/// then the first unit vectors. Non-finite values make the result meaningless but never panic.
pub fn fit(x: ArrayView2<'_, f64>) -> Pca2 {
    let rows = x.nrows();
    let cols = x.ncols();
    let mut mean = vec![0.0; cols];
    for row in x.rows() {
        for (m, v) in mean.iter_mut().zip(row.iter()) {
            *m += v;
        }
    }
    for m in &mut mean {
        *m /= rows.max(1) as f64;
    }
    // Covariance (upper triangle, mirrored), over the centred rows.
    let mut covariance = vec![0.0; cols * cols];
    let mut centred = vec![0.0; cols];
    for row in x.rows() {
        for ((c, v), m) in centred.iter_mut().zip(row.iter()).zip(&mean) {
            *c = v - m;
        }
        for a in 0..cols {
            let ca = centred[a];
            for b in a..cols {
                covariance[a * cols + b] += ca * centred[b];
            }
        }
    }
    let divisor = rows.saturating_sub(1).max(1) as f64;
    for a in 0..cols {
        for b in a..cols {
            let value = covariance[a * cols + b] / divisor;
            covariance[a * cols + b] = value;
            covariance[b * cols + a] = value;
        }
    }
    let (eigenvalues, eigenvectors) = jacobi_eigen(&mut covariance, cols);
    let mut order: Vec<usize> = (0..cols).collect();
    order.sort_by(|&i, &j| eigenvalues[j].total_cmp(&eigenvalues[i]).then(i.cmp(&j)));
    let total: f64 = eigenvalues.iter().map(|v| v.max(0.0)).sum();
    let mut axes = Array2::zeros((2, cols));
    let mut explained_variance = [0.0; 2];
    for (axis, &which) in order.iter().take(2).enumerate() {
        // Column `which` of the eigenvector matrix.
        let mut vector: Vec<f64> = (0..cols).map(|r| eigenvectors[r * cols + which]).collect();
        let largest =
            vector.iter().copied().fold(
                0.0f64,
                |best, v| if v.abs() > best.abs() { v } else { best },
            );
        if largest < 0.0 {
            for v in &mut vector {
                *v = -*v;
            }
        }
        for (slot, v) in axes.row_mut(axis).iter_mut().zip(&vector) {
            *slot = *v;
        }
        if total > 0.0 {
            explained_variance[axis] = eigenvalues[which].max(0.0) / total;
        }
    }
    Pca2 {
        mean,
        axes,
        explained_variance,
    }
}

impl Pca2 {
    /// Projects one row (missing trailing values count as the mean).
    pub fn project(&self, row: &[f64]) -> [f64; 2] {
        let mut out = [0.0; 2];
        for (axis, slot) in self.axes.rows().into_iter().zip(out.iter_mut()) {
            *slot = row
                .iter()
                .zip(&self.mean)
                .zip(axis.iter())
                .map(|((v, m), a)| (v - m) * a)
                .sum();
        }
        out
    }
}

/// Eigenvalues and eigenvectors (columns of the returned row-major `n × n` matrix) of the
/// symmetric `n × n` row-major `matrix` (destroyed), by cyclic Jacobi rotations.
fn jacobi_eigen(matrix: &mut [f64], n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut vectors = vec![0.0; n * n];
    for i in 0..n {
        vectors[i * n + i] = 1.0;
    }
    let scale: f64 = matrix.iter().map(|v| v * v).sum::<f64>().sqrt();
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|p| (p + 1..n).map(move |q| (p, q)))
            .map(|(p, q)| matrix[p * n + q] * matrix[p * n + q])
            .sum::<f64>()
            .sqrt();
        // Also stops on NaN (non-finite input): `partial_cmp` is then `None`.
        if off.partial_cmp(&(f64::EPSILON * 1e-3 * scale)) != Some(std::cmp::Ordering::Greater) {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = matrix[p * n + q];
                if apq == 0.0 {
                    continue;
                }
                let app = matrix[p * n + p];
                let aqq = matrix[q * n + q];
                // Rotation angle that zeroes a_pq (Golub & Van Loan, sym.schur2).
                let tau = (aqq - app) / (2.0 * apq);
                let t = if tau >= 0.0 {
                    1.0 / (tau + (1.0 + tau * tau).sqrt())
                } else {
                    -1.0 / (-tau + (1.0 + tau * tau).sqrt())
                };
                let c = 1.0 / (1.0 + t * t).sqrt();
                let s = t * c;
                for r in 0..n {
                    let arp = matrix[r * n + p];
                    let arq = matrix[r * n + q];
                    matrix[r * n + p] = c * arp - s * arq;
                    matrix[r * n + q] = s * arp + c * arq;
                }
                for r in 0..n {
                    let apr = matrix[p * n + r];
                    let aqr = matrix[q * n + r];
                    matrix[p * n + r] = c * apr - s * aqr;
                    matrix[q * n + r] = s * apr + c * aqr;
                }
                for r in 0..n {
                    let vrp = vectors[r * n + p];
                    let vrq = vectors[r * n + q];
                    vectors[r * n + p] = c * vrp - s * vrq;
                    vectors[r * n + q] = s * vrp + c * vrq;
                }
            }
        }
    }
    let values = (0..n).map(|i| matrix[i * n + i]).collect();
    (values, vectors)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use ndarray::array;

    use super::*;

    #[test]
    fn one_column_gets_a_zero_second_axis() {
        let p = fit(array![[1.0], [2.0], [4.0]].view());
        assert_eq!(p.axes, array![[1.0], [0.0]]);
        assert_eq!(p.explained_variance, [1.0, 0.0]);
        assert_eq!(p.project(&[2.0]), [2.0 - 7.0 / 3.0, 0.0]);
    }

    #[test]
    fn diagonal_data_gives_unit_axes() {
        let x = array![[0.0, 0.0], [2.0, 0.0], [0.0, 1.0], [2.0, 1.0]];
        let p = fit(x.view());
        assert_eq!(p.axes, array![[1.0, 0.0], [0.0, 1.0]]);
        assert!((p.explained_variance[0] - 0.8).abs() < 1e-12);
    }

    #[test]
    fn constant_data_has_zero_shares() {
        let p = fit(array![[1.0, 2.0], [1.0, 2.0]].view());
        assert_eq!(p.explained_variance, [0.0, 0.0]);
    }
}
