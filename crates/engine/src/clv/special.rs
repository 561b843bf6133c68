//! Special functions for the CLV models: log-gamma, digamma and the log of the Gaussian
//! hypergeometric function 2F1. Hand-written (no `statrs`: it pulls `nalgebra` and `rand` into the
//! wasm bundle for three functions); checked against reference values in the tests below.

use super::portable::PortableMath as _;

/// Lanczos coefficients, g = 7, n = 9 (Numerical Recipes / Boost variant); relative error ~1e-15.
const LANCZOS_G: f64 = 7.0;
const LANCZOS: [f64; 9] = [
    0.999_999_999_999_809_9,
    676.520_368_121_885_1,
    -1_259.139_216_722_402_8,
    771.323_428_777_653_1,
    -176.615_029_162_140_6,
    12.507_343_278_686_905,
    -0.138_571_095_265_720_12,
    9.984_369_578_019_572e-6,
    1.505_632_735_149_311_6e-7,
];

/// `ln Γ(x)` for `x > 0` (NaN otherwise).
pub fn ln_gamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    if x < 0.5 {
        // Γ(x) = Γ(x + 1) / x keeps the Lanczos sum in its accurate range.
        return ln_gamma(x + 1.0) - x.ln_p();
    }
    let z = x - 1.0;
    let mut sum = LANCZOS[0];
    for (k, c) in LANCZOS.iter().enumerate().skip(1) {
        sum += c / (z + k as f64);
    }
    let t = z + LANCZOS_G + 0.5;
    0.5 * (2.0 * std::f64::consts::PI).ln_p() + (z + 0.5) * t.ln_p() - t + sum.ln_p()
}

/// Digamma `ψ(x) = d ln Γ(x) / dx` for `x > 0` (NaN otherwise): upward recurrence to `x ≥ 10`, then
/// the asymptotic series (error ~1e-16 there).
pub fn digamma(x: f64) -> f64 {
    if x.is_nan() || x <= 0.0 {
        return f64::NAN;
    }
    let mut x = x;
    let mut shift = 0.0;
    while x < 10.0 {
        shift -= 1.0 / x;
        x += 1.0;
    }
    let inv = 1.0 / x;
    let inv2 = inv * inv;
    let series = inv2
        * (1.0 / 12.0
            - inv2
                * (1.0 / 120.0
                    - inv2
                        * (1.0 / 252.0
                            - inv2
                                * (1.0 / 240.0
                                    - inv2 * (1.0 / 132.0 - inv2 * (691.0 / 32_760.0))))));
    shift + x.ln_p() - 0.5 * inv - series
}

/// `ln 2F1(a, b; c; z)` for `0 ≤ z < 1` and `c > 0`, where the function is positive.
///
/// Uses Euler's transformation `2F1(a, b; c; z) = (1 − z)^(c − a − b) 2F1(c − a, c − b; c; z)` and
/// sums the second series term by term. In the BG/NBD use (`a = r + x`, `b = b + x`,
/// `c = a + b + x − 1`) the transformed parameters `c − a = a + b − 1 − r` and `c − b = a − 1` do not
/// grow with the purchase count `x`, so the series converges like `z^k` without the huge
/// intermediate terms of the direct series.
///
/// That transformed series alternates in sign when `c − a < 0` and `c − b < 0` do not both hold,
/// and when `(c − a)(c − b) z / c` is large (a large shape `r`: purchase rates that hardly vary)
/// its terms grow to `e^(r z)` before they shrink, so the sum cancels to noise (it gave expected
/// purchases that fell with the horizon, or 0). When more than 4 digits cancel, or the sum is not
/// positive, the direct series is summed instead: for `a, b > 0` all its terms are positive, so it
/// cannot cancel; it is carried in log space so large terms do not overflow.
///
/// Returns NaN outside the domain, or when neither series has converged after 1,000,000 terms
/// (z extremely close to 1).
pub fn ln_hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    if !(0.0..1.0).contains(&z) || c <= 0.0 || !a.is_finite() || !b.is_finite() || !c.is_finite() {
        return f64::NAN;
    }
    let (ta, tb) = (c - a, c - b);
    let mut term = 1.0_f64;
    let mut sum = 1.0_f64;
    let mut largest = 1.0_f64;
    let mut converged = false;
    for k in 0..200_000_u32 {
        let k = f64::from(k);
        term *= (ta + k) * (tb + k) / ((c + k) * (k + 1.0)) * z;
        sum += term;
        largest = largest.max(term.abs());
        if term.abs() <= 1e-17 * sum.abs() || term == 0.0 {
            converged = true;
            break;
        }
        if !term.is_finite() {
            break;
        }
    }
    if converged && sum > 0.0 && sum.is_finite() && largest <= 1e4 * sum {
        return (c - a - b) * (-z).ln_1p_p() + sum.ln_p();
    }
    ln_hyp2f1_positive_series(a, b, c, z)
}

/// `ln 2F1(a, b; c; z)` by the direct series for `a, b, c > 0` and `0 ≤ z < 1`, whose terms are all
/// positive; in log space (the running sum is rescaled when it grows past 1e250). NaN outside that
/// domain or without convergence after 1,000,000 terms.
fn ln_hyp2f1_positive_series(a: f64, b: f64, c: f64, z: f64) -> f64 {
    if !(a > 0.0 && b > 0.0 && c > 0.0 && (0.0..1.0).contains(&z)) {
        return f64::NAN;
    }
    let mut term = 1.0_f64;
    let mut sum = 1.0_f64;
    let mut ln_scale = 0.0_f64;
    for k in 0..1_000_000_u32 {
        let k = f64::from(k);
        let ratio = (a + k) * (b + k) / ((c + k) * (k + 1.0)) * z;
        term *= ratio;
        sum += term;
        if ratio < 1.0 && term <= 1e-17 * sum {
            return ln_scale + sum.ln_p();
        }
        if sum > 1e250 {
            term *= 1e-250;
            sum *= 1e-250;
            ln_scale += 250.0 * std::f64::consts::LN_10;
        }
        if !sum.is_finite() {
            return f64::NAN;
        }
    }
    f64::NAN
}

/// `ln Γ(x + d) − ln Γ(x)` for `x > 0`, `x + d > 0`, without the cancellation of the plain
/// difference when `x` is large (`ln Γ(1e40)` is about 9e41, so the difference of two such values
/// has no correct digit; the Gamma-Gamma likelihood needs it at `q → ∞`). For `x ≥ 1e4` and
/// `|d| < x/2` it uses Stirling's series: `(x − ½) ln(1 + d/x) + d ln(x + d) − d` plus the
/// differences of the `1/(12x) − 1/(360x³)` corrections (truncation error below 1e-22).
pub fn ln_gamma_ratio(x: f64, d: f64) -> f64 {
    if x >= 1e4 && d.abs() < 0.5 * x {
        let y = x + d;
        (x - 0.5) * (d / x).ln_1p_p() + d * y.ln_p() - d + (1.0 / (12.0 * y) - 1.0 / (12.0 * x))
            - (1.0 / (360.0 * y * y * y) - 1.0 / (360.0 * x * x * x))
    } else {
        ln_gamma(x + d) - ln_gamma(x)
    }
}

/// `ψ(x + d) − ψ(x)` for `x > 0`, `x + d > 0`, stable for large `x` (asymptotic series
/// `ln x − 1/(2x) − 1/(12x²) + 1/(120x⁴)` differenced, for `x ≥ 1e4` and `|d| < x/2`).
pub fn digamma_difference(x: f64, d: f64) -> f64 {
    if x >= 1e4 && d.abs() < 0.5 * x {
        let y = x + d;
        (d / x).ln_1p_p() - (0.5 / y - 0.5 / x) - (1.0 / (12.0 * y * y) - 1.0 / (12.0 * x * x))
            + (1.0 / (120.0 * y.powi(4)) - 1.0 / (120.0 * x.powi(4)))
    } else {
        digamma(x + d) - digamma(x)
    }
}

/// Most steps of the continued fraction of [`ln_hyp2f1_one_with_gradient`]: enough for
/// `1 − z` down to about 1e-7 (steps grow like `1/√(1 − z)`). Beyond it the value is NaN, which the
/// Pareto/NBD fit's line search treats as +∞ and backs away from: on files of steady buyers its
/// path visited points with `1 − z` near 1e-12, where 200,000 steps a point made one fit take a
/// minute and a half.
const CONTINUED_FRACTION_STEPS: u32 = 20_000;

/// `ln 2F1(1, p; q; z)` and its partial derivatives with respect to `p`, `q` and `z`, for
/// `0 < p < q` and `0 ≤ z < 1` (NaN outside that domain or when the evaluation does not converge).
///
/// This is the 2F1 of the Pareto/NBD likelihood (after Euler's transformation). Its power series
/// converges like `z^k`, which needs ~36,000 terms at `z = 0.999`, so this evaluates Gauss's
/// continued fraction instead (the case `b = 0` of the ratio `2F1(a, b+1; c+1; z)/2F1(a, b; c; z)`,
/// with `a = p`, `c = q − 1`):
/// `2F1(1, p; q; z) = 1/(1 − k1 z/(1 − k2 z/(1 − …)))` with
/// `k(2m+1) = (p+m)(q−1+m)/((q−1+2m)(q+2m))` and `k(2m) = m(q−1−p+m)/((q+2m−2)(q+2m−1))`.
/// With `0 < p < q` every `k` is positive (a Stieltjes fraction), so it converges for every
/// `z < 1`, at a rate set by `√(1 − z)` rather than `1 − z` (a few hundred steps at `z = 0.999`,
/// about 15 at `z = 0.1`). It is evaluated by the modified Lentz method, carrying the derivatives of
/// every step along (forward-mode differentiation), and stops when the step changes the value and
/// the scaled derivatives (`p ∂/∂p`, `q ∂/∂q`, `z ∂/∂z`) by less than 1e-15 relative.
pub fn ln_hyp2f1_one_with_gradient(p: f64, q: f64, z: f64) -> (f64, [f64; 3]) {
    const NAN: (f64, [f64; 3]) = (f64::NAN, [f64::NAN; 3]);
    if !(p > 0.0 && q > p && q.is_finite() && (0.0..1.0).contains(&z)) {
        return NAN;
    }
    if z == 0.0 {
        // d/dz 2F1(1, p; q; z) at 0 is p/q; the other derivatives vanish.
        return (0.0, [0.0, 0.0, p / q]);
    }
    // T = 1 + a1/(1 + a2/(1 + …)) with a_n = −k_n z, and 2F1 = 1/T. Lentz: C_n = 1 + a_n/C_(n−1)
    // (C_0 = 1), E_n = 1 + a_n/E_(n−1) (E_0 = ∞), T = Π C_n/E_n. Derivatives are in (p, q, z).
    // Lentz's C and E enter only through their reciprocals and log-derivatives, carried between
    // steps (E_0 = ∞, so 1/E_0 = 0); step n's k has the denominator (q+n−2)(q+n−1), whose second
    // factor is the first of step n+1: about four divisions a step.
    let (mut ic, mut ie) = (1.0_f64, 0.0_f64);
    let (mut lc, mut le) = ([0.0_f64; 3], [0.0_f64; 3]);
    let mut inv_w1 = 1.0 / (q - 1.0);
    let mut product = 1.0_f64;
    let mut ln_product = 0.0_f64;
    let mut d_ln = [0.0_f64; 3];
    let scale = [p, q, z];
    for n in 1..CONTINUED_FRACTION_STEPS {
        let m = f64::from(n / 2);
        let inv_w2 = 1.0 / (q + f64::from(n) - 1.0);
        // k_n and its log-derivatives in p and q.
        let (k, dk_p, dk_q) = if n % 2 == 1 {
            let (u, v) = (p + m, q - 1.0 + m);
            (u * v * inv_w1 * inv_w2, 1.0 / u, 1.0 / v - inv_w1 - inv_w2)
        } else {
            let u = q - 1.0 - p + m;
            let iu = 1.0 / u;
            (m * u * inv_w1 * inv_w2, -iu, iu - inv_w1 - inv_w2)
        };
        inv_w1 = inv_w2;
        let a = -k * z;
        let da = [a * dk_p, a * dk_q, -k];
        let c_new = (1.0 + a * ic).max(1e-300);
        let e_new = (1.0 + a * ie).max(1e-300);
        let (ic_new, ie_new) = (1.0 / c_new, 1.0 / e_new);
        let delta = c_new * ie_new;
        let mut change = (delta - 1.0).abs();
        for i in 0..3 {
            // d C_n = (da − a·(dC/C)_(n−1)) / C_(n−1); the same for E.
            let lc_new = (da[i] - a * lc[i]) * ic * ic_new;
            let le_new = (da[i] - a * le[i]) * ie * ie_new;
            let d_ln_delta = lc_new - le_new;
            d_ln[i] += d_ln_delta;
            change += (d_ln_delta * scale[i]).abs();
            lc[i] = lc_new;
            le[i] = le_new;
        }
        ic = ic_new;
        ie = ie_new;
        product *= delta;
        if !(1e-200..=1e200).contains(&product) {
            ln_product += product.ln_p();
            product = 1.0;
        }
        if change <= 1e-15 {
            let ln_t = ln_product + product.ln_p();
            return (-ln_t, [-d_ln[0], -d_ln[1], -d_ln[2]]);
        }
        if !change.is_finite() {
            return NAN;
        }
    }
    NAN
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(x: f64, y: f64, rel: f64) -> bool {
        (x - y).abs() <= rel * y.abs().max(1e-300)
    }

    #[test]
    fn ln_gamma_matches_reference_values() {
        // ln √π, ln 9!, ln Γ(100) (mpmath), ln Γ(1e-8) ≈ -ln(1e-8) - γ·1e-8.
        assert!(close(ln_gamma(0.5), 0.572_364_942_924_700_1, 1e-14));
        assert!(close(ln_gamma(10.0), 12.801_827_480_081_469, 1e-14));
        assert!(close(ln_gamma(100.0), 359.134_205_369_575_4, 1e-14));
        assert!(close(ln_gamma(1e-8), 18.420_680_738_180_21, 1e-12));
        assert!(ln_gamma(1.0).abs() < 1e-14 && ln_gamma(2.0).abs() < 1e-14);
        assert!(ln_gamma(0.0).is_nan() && ln_gamma(-1.0).is_nan());
    }

    #[test]
    fn digamma_matches_reference_values() {
        // ψ(1) = −γ, ψ(1/2) = −γ − 2 ln 2, ψ(10) = H_9 − γ, ψ(0.001) from scipy.special.digamma.
        assert!(close(digamma(1.0), -0.577_215_664_901_532_9, 1e-14));
        assert!(close(digamma(0.5), -1.963_510_026_021_423_5, 1e-14));
        assert!(close(digamma(10.0), 2.251_752_589_066_721, 1e-14));
        assert!(close(digamma(1e-3), -1_000.575_571_931_810_3, 1e-12));
    }

    #[test]
    fn ln_hyp2f1_matches_closed_forms() {
        // 2F1(1, 1; 2; z) = −ln(1 − z)/z; 2F1(a, b; b; z) = (1 − z)^(−a).
        let z: f64 = 0.7;
        assert!(close(
            ln_hyp2f1(1.0, 1.0, 2.0, z),
            (-(1.0 - z).ln_p() / z).ln_p(),
            1e-13
        ));
        assert!(close(
            ln_hyp2f1(3.5, 2.0, 2.0, z),
            -3.5 * (1.0 - z).ln_p(),
            1e-13
        ));
        // Large first parameters, as for a customer with 500 repeat purchases.
        assert!(close(
            ln_hyp2f1(500.3, 502.0, 1_002.0, 0.4),
            ln_hyp2f1(502.0, 500.3, 1_002.0, 0.4),
            1e-13
        ));
        assert!(ln_hyp2f1(1.0, 1.0, 2.0, 1.0).is_nan());
    }
    #[test]
    fn ln_hyp2f1_one_matches_scipy() {
        // (p, q, z, ln scipy.special.hyp2f1(1, p, q, z)) from scipy 1.11.4; each also agrees with
        // quadrature of Euler's integral to ≤ 1.5e-13 (4e-10 for z = 0.9999, where quad struggles).
        let cases = [
            (0.55, 1.6, 0.1, 0.035_928_407_547_504_01),
            (1.0, 2.0, 0.7, 0.542_301_702_801_097_7),
            (3.25, 5.0, 0.5, 0.413_295_522_758_357_85),
            (1.61, 13.16, 0.9, 0.125_523_561_560_323_35),
            (0.3, 1.2, 0.99, 0.967_558_454_819_304_1),
            (2.5, 3.6, 0.999, 2.403_125_947_398_690_3),
            (40.5, 42.1, 0.3, 0.340_666_718_478_337_4),
            (1.5, 1.8, 0.9999, 6.756_555_236_408_246),
            (120.0, 121.7, 0.95, 2.782_023_035_544_728),
        ];
        for (p, q, z, expected) in cases {
            let (value, _) = ln_hyp2f1_one_with_gradient(p, q, z);
            assert!(
                close(value, expected, 1e-13),
                "{p} {q} {z}: {value} vs {expected}"
            );
        }
        // Closed form: 2F1(1, 1; 2; z) = −ln(1 − z)/z.
        let (value, _) = ln_hyp2f1_one_with_gradient(1.0, 2.0, 0.3);
        assert!(close(value, (-(0.7_f64).ln_p() / 0.3).ln_p(), 1e-14));
        assert_eq!(ln_hyp2f1_one_with_gradient(0.3, 1.2, 0.0).0, 0.0);
        assert!(ln_hyp2f1_one_with_gradient(1.0, 1.0, 0.5).0.is_nan());
        assert!(ln_hyp2f1_one_with_gradient(1.0, 2.0, 1.0).0.is_nan());
    }

    #[test]
    fn ln_hyp2f1_one_gradient_matches_finite_differences() {
        for (p, q, z) in [
            (0.55, 1.6, 0.1),
            (3.25, 5.0, 0.5),
            (1.61, 13.16, 0.9),
            (2.5, 3.6, 0.999),
        ] {
            let f = |v: [f64; 3], g: &mut [f64; 3]| {
                let (value, gradient) = ln_hyp2f1_one_with_gradient(v[0], v[1], v[2]);
                *g = gradient;
                value
            };
            crate::clv::optimize::assert_gradient_matches_finite_differences(f, [p, q, z]);
        }
    }
}
