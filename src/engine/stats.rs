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
}
