//! Shared numerics.

/// Linear-interpolated quantile (type 7, as NumPy's default) of sorted data; `None` when empty.
pub fn quantile_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    let n = sorted.len();
    let last = *sorted.last()?;
    if n == 1 {
        return Some(last);
    }
    let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    let a = *sorted.get(lo)?;
    let b = *sorted.get(hi)?;
    Some(a + (h - lo as f64) * (b - a))
}

/// Pearson correlation of two equally long columns; `None` when shorter than 2, of unequal length,
/// or when either column is constant.
pub fn pearson(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len();
    if n < 2 || y.len() != n {
        return None;
    }
    let mean_x = x.iter().sum::<f64>() / n as f64;
    let mean_y = y.iter().sum::<f64>() / n as f64;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        let (dx, dy) = (a - mean_x, b - mean_y);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    let r = sxy / (sxx * syy).sqrt();
    (sxx > 0.0 && syy > 0.0 && r.is_finite()).then(|| r.clamp(-1.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_numpy_linear() {
        // numpy.quantile([1, 2, 3, 4, 10], [0, .25, .5, .75, 1]) = [1, 2, 3, 4, 10]
        let v = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert_eq!(quantile_sorted(&v, 0.25), Some(2.0));
        assert_eq!(quantile_sorted(&v, 0.5), Some(3.0));
        // numpy.quantile([1, 2, 3, 4], 0.1) = 1.3
        assert!((quantile_sorted(&[1.0, 2.0, 3.0, 4.0], 0.1).unwrap() - 1.3).abs() < 1e-12);
        assert_eq!(quantile_sorted(&[], 0.5), None);
    }

    #[test]
    fn pearson_matches_numpy_corrcoef() {
        // numpy.corrcoef([1, 2, 3, 4], [2, 4, 5, 9])[0, 1] = 0.9647638212377321
        let r = pearson(&[1.0, 2.0, 3.0, 4.0], &[2.0, 4.0, 5.0, 9.0]).unwrap();
        assert!((r - 0.964_763_821_237_732_1).abs() < 1e-12);
        assert_eq!(pearson(&[1.0, 2.0], &[3.0, 3.0]), None);
        assert_eq!(pearson(&[1.0], &[3.0]), None);
    }
}
