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

/// P(X ≥ `a`) for X hypergeometric: `draws` draws without replacement from `population` items of
/// which `successes` are marked. It is Fisher's exact test, one-sided ("greater"), of the 2×2
/// table [[a, draws − a], [successes − a, rest]] (scipy's `fisher_exact(..., "greater")`).
/// Terms are summed away from the mode, starting from the log-pmf (libm's `lgamma`), and stop
/// once they no longer change the sum: above the mode the upper tail itself, at or below it one
/// minus the lower tail (summing upward from a count far below the mode would start from an
/// underflowed 0 and answer 0 for a strongly negative association).
pub fn hypergeometric_upper_tail(a: u64, draws: u64, successes: u64, population: u64) -> f64 {
    let (n, k, m) = (population, successes, draws);
    if k > n || m > n {
        return f64::NAN;
    }
    let lowest = (k + m).saturating_sub(n);
    let highest = k.min(m);
    if a <= lowest {
        return 1.0;
    }
    if a > highest {
        return 0.0;
    }
    let ln_choose = |n: u64, r: u64| {
        libm::lgamma(n as f64 + 1.0)
            - libm::lgamma(r as f64 + 1.0)
            - libm::lgamma((n - r) as f64 + 1.0)
    };
    let pmf = |x: u64| libm::exp(ln_choose(k, x) + ln_choose(n - k, m - x) - ln_choose(n, m));
    let mode = ((m + 1) as f64 * (k + 1) as f64 / (n + 2) as f64).floor() as u64;
    if a > mode {
        // Upper tail: pmf(x + 1) / pmf(x) = (k − x)(m − x) / ((x + 1)(n − k − m + x + 1)).
        let mut term = pmf(a);
        let mut sum = term;
        let mut x = a;
        while x < highest {
            let ratio =
                ((k - x) as f64 * (m - x) as f64) / ((x + 1) as f64 * (n + x + 1 - k - m) as f64);
            term *= ratio;
            sum += term;
            x += 1;
            if term <= sum * 1e-17 {
                break;
            }
        }
        sum.min(1.0)
    } else {
        // Lower tail P(X ≤ a − 1), downward: pmf(x − 1) / pmf(x) = x(n − k − m + x) / ((k − x + 1)(m − x + 1)).
        let mut x = a - 1;
        let mut term = pmf(x);
        let mut sum = term;
        while x > lowest {
            let ratio =
                (x as f64 * (n + x - k - m) as f64) / ((k - x + 1) as f64 * (m - x + 1) as f64);
            term *= ratio;
            sum += term;
            x -= 1;
            if term <= sum * 1e-17 {
                break;
            }
        }
        (1.0 - sum).clamp(0.0, 1.0)
    }
}

/// The p-value of Pearson's χ² test (no continuity correction, 1 degree of freedom) of the 2×2
/// table [[a, b], [c, d]] (scipy's `chi2_contingency(..., correction=False)`); 1 when a row or a
/// column is empty.
pub fn chi_square_2x2(a: u64, b: u64, c: u64, d: u64) -> f64 {
    let (a, b, c, d) = (a as f64, b as f64, c as f64, d as f64);
    let (r1, r2, c1, c2) = (a + b, c + d, a + c, b + d);
    if r1 == 0.0 || r2 == 0.0 || c1 == 0.0 || c2 == 0.0 {
        return 1.0;
    }
    let n = r1 + r2;
    let diff = a * d - b * c;
    let chi2 = n * diff * diff / (r1 * r2 * c1 * c2);
    libm::erfc(libm::sqrt(chi2 / 2.0)).clamp(0.0, 1.0)
}

/// Benjamini–Hochberg adjusted p-values, in the input order (step-up, monotone, capped at 1).
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&i, &j| p[i].total_cmp(&p[j]).then(i.cmp(&j)));
    let mut adjusted = vec![1.0; m];
    let mut running = 1.0f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        let value = p.get(i).copied().unwrap_or(1.0) * m as f64 / (rank + 1) as f64;
        running = running.min(value);
        if let Some(slot) = adjusted.get_mut(i) {
            *slot = running.min(1.0);
        }
    }
    adjusted
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
    #[test]
    fn fisher_greater_matches_scipy() {
        // scipy.stats.fisher_exact([[8, 2], [1, 5]], alternative="greater")[1] = 0.024475524475524483
        let p = hypergeometric_upper_tail(8, 10, 9, 16);
        assert!((p - 0.024_475_524_475_524_483).abs() < 1e-15, "{p}");
        // fisher_exact([[3, 1], [1, 3]], "greater")[1] = 0.24285714285714283
        assert!((hypergeometric_upper_tail(3, 4, 4, 8) - 0.242_857_142_857_142_83).abs() < 1e-15);
        assert_eq!(hypergeometric_upper_tail(0, 4, 4, 8), 1.0);
        // A strongly negative association is nowhere near significant:
        // fisher_exact([[40000, 60000], [460000, 440000]], "greater")[1] = 1.0
        assert!(hypergeometric_upper_tail(40_000, 100_000, 500_000, 1_000_000) > 1.0 - 1e-12);
        // Just below the mode: fisher_exact([[2, 8], [8, 82]], "greater")[1] = 0.2615284665839846
        let p = hypergeometric_upper_tail(2, 10, 10, 100);
        assert!((p - 0.261_528_466_583_984_6).abs() < 1e-12, "{p}");
        // fisher_exact([[1, 9], [9, 81]], "greater")[1] = 0.6695237889132749 (a = 1 at the mode)
        let p = hypergeometric_upper_tail(1, 10, 10, 100);
        assert!((p - 0.669_523_788_913_274_9).abs() < 1e-12, "{p}");
        assert_eq!(hypergeometric_upper_tail(5, 4, 4, 8), 0.0);
    }

    #[test]
    fn chi_square_matches_scipy() {
        // scipy.stats.chi2_contingency([[10, 20], [30, 40]], correction=False)[1] = 0.37299848361348686
        let p = chi_square_2x2(10, 20, 30, 40);
        assert!((p - 0.372_998_483_613_486_86).abs() < 1e-12, "{p}");
        assert_eq!(chi_square_2x2(0, 0, 3, 4), 1.0);
    }

    #[test]
    fn benjamini_hochberg_matches_statsmodels() {
        // By hand, as statsmodels multipletests([0.01, 0.04, 0.03, 0.2], method="fdr_bh")[1]:
        //   = [0.04, 0.05333333, 0.05333333, 0.2]
        let q = benjamini_hochberg(&[0.01, 0.04, 0.03, 0.2]);
        let want = [
            0.04,
            0.053_333_333_333_333_33,
            0.053_333_333_333_333_33,
            0.2,
        ];
        for (a, b) in q.iter().zip(want) {
            assert!((a - b).abs() < 1e-12, "{q:?}");
        }
    }
}
