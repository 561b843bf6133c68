//! A small BFGS minimiser with an Armijo backtracking line search, for the 3- and 4-parameter
//! likelihoods here.
//!
//! Why hand-written rather than `argmin`: the problems are tiny (dense 4×4 inverse Hessian), the
//! gradients are analytic, and a dependency-free 100 lines keep the wasm bundle and the build
//! unchanged; `argmin` 0.11's wasm32 build and size impact were not evaluated in this first cut.

use super::portable::PortableMath as _;

/// Where a minimisation stopped.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Minimum {
    /// The last accepted point.
    pub point: Vec<f64>,
    /// Objective value there.
    pub value: f64,
    /// Euclidean norm of the gradient there.
    pub gradient_norm: f64,
    /// BFGS iterations taken.
    pub iterations: usize,
    /// True when the gradient norm fell below the tolerance (whatever stopped the iterations:
    /// the tolerance, the cap, a failed line search, or three iterations of rounding-level
    /// progress), or when no further progress was possible at rounding level with the gradient
    /// norm below [`NOISE_FLOOR_GRADIENT`].
    pub converged: bool,
}

/// A fit that can make no more progress at rounding level (the line search fails or three
/// iterations gain nothing) with a gradient norm below this is converged: the objective's own
/// rounding noise is then larger than what a smaller gradient would gain. Without it the flag
/// depended on the last bits of `ln` and `exp`, which differ between the native C library and the
/// wasm32 one: the same file was "converged" in the CLI and "not converged" on the page.
pub(crate) const NOISE_FLOOR_GRADIENT: f64 = 1e-5;

fn dot(x: &[f64], y: &[f64]) -> f64 {
    x.iter().zip(y).map(|(a, b)| a * b).sum()
}

/// Weight of the bound penalty (per customer, per squared unit of log-parameter beyond a bound).
pub(crate) const BOUND_PENALTY: f64 = 1.0;

/// Maximises a total log-likelihood over positive parameters: BFGS on the mean negative
/// log-likelihood over `θ = ln(params)` (chain rule `∂/∂θ = params · ∂/∂params`), from `initial`.
/// `log_likelihood(params, gradient_out)` returns the total over `weight` customers. `None` when
/// it is not finite at the start.
///
/// `bounds` are `(lowest, highest)` per parameter. Inside them the objective is the likelihood
/// alone, so an interior optimum is unchanged; beyond them the penalty
/// [`BOUND_PENALTY`]` · (ln(param/bound))²` is added to the mean negative log-likelihood. Where the
/// likelihood keeps rising towards a limit of the parameter space (r, α → ∞ when purchase rates
/// do not vary, a → 0 when nobody drops out, q → ∞ when spend does not vary), its slope in `θ`
/// fades, so the penalty stops the parameter just past its bound, a finite point where the model
/// is the limiting model for all practical purposes (a Gamma shape of 1e4 varies by 1 %), instead
/// of a walk to 1e12 that ends wherever rounding stops it. The callers detect such fits and report
/// the limit.
pub(crate) fn maximise_over_log_parameters<const N: usize>(
    log_likelihood: impl Fn([f64; N], &mut [f64; N]) -> f64,
    weight: f64,
    initial: [f64; N],
    bounds: [(f64, f64); N],
    max_iterations: usize,
    gradient_tolerance: f64,
) -> Option<Minimum> {
    let log_bounds = bounds.map(|(low, high)| (low.ln_p(), high.ln_p()));
    let objective = |theta: &[f64], out: &mut [f64]| {
        let mut params = [0.0; N];
        for (p, t) in params.iter_mut().zip(theta) {
            *p = t.exp_p();
        }
        let mut gradient = [0.0; N];
        let ll = log_likelihood(params, &mut gradient);
        let mut penalty = 0.0;
        for (((o, g), p), (t, (low, high))) in out
            .iter_mut()
            .zip(gradient)
            .zip(params)
            .zip(theta.iter().zip(log_bounds))
        {
            let excess = if *t > high {
                t - high
            } else if *t < low {
                t - low
            } else {
                0.0
            };
            penalty += BOUND_PENALTY * excess * excess;
            *o = -g * p / weight + 2.0 * BOUND_PENALTY * excess;
        }
        -ll / weight + penalty
    };
    let start: Vec<f64> = initial.iter().map(|v| v.ln_p()).collect();
    bfgs(objective, &start, max_iterations, gradient_tolerance)
}

/// Minimises `objective(x, gradient_out) -> value` from `start`. Non-finite values are treated as
/// +∞ by the line search, so the search backs away from overflow. Returns `None` when the objective
/// is not finite at the start.
pub(crate) fn bfgs<F>(
    mut objective: F,
    start: &[f64],
    max_iterations: usize,
    gradient_tolerance: f64,
) -> Option<Minimum>
where
    F: FnMut(&[f64], &mut [f64]) -> f64,
{
    let n = start.len();
    let mut x = start.to_vec();
    let mut g = vec![0.0; n];
    let mut f = objective(&x, &mut g);
    if !f.is_finite() || g.iter().any(|v| !v.is_finite()) {
        return None;
    }
    // Inverse Hessian approximation, row-major.
    let mut h = vec![0.0; n * n];
    for i in 0..n {
        h[i * n + i] = 1.0;
    }
    let mut x_new = vec![0.0; n];
    let mut g_new = vec![0.0; n];
    let mut direction = vec![0.0; n];
    let mut iterations = 0;
    // Iterations in a row whose decrease was at rounding level: the objective's noise floor is
    // reached (the line search then accepts noise), so stop instead of spinning to the cap.
    let mut stalled = 0;
    let mut at_noise_floor = false;
    while iterations < max_iterations {
        if dot(&g, &g).sqrt() <= gradient_tolerance {
            break;
        }
        iterations += 1;
        for i in 0..n {
            direction[i] = -dot(&h[i * n..(i + 1) * n], &g);
        }
        let mut slope = dot(&direction, &g);
        if slope >= 0.0 {
            // Not a descent direction (lost curvature): restart from steepest descent.
            h.iter_mut().for_each(|v| *v = 0.0);
            for i in 0..n {
                h[i * n + i] = 1.0;
                direction[i] = -g[i];
            }
            slope = -dot(&g, &g);
        }
        // Armijo backtracking from the full quasi-Newton step.
        let mut step = 1.0;
        let mut accepted = None;
        for _ in 0..60 {
            for i in 0..n {
                x_new[i] = x[i] + step * direction[i];
            }
            let f_new = objective(&x_new, &mut g_new);
            if f_new.is_finite()
                && g_new.iter().all(|v| v.is_finite())
                && f_new <= f + 1e-4 * step * slope
            {
                accepted = Some(f_new);
                break;
            }
            step *= 0.5;
        }
        let Some(f_new) = accepted else {
            at_noise_floor = true;
            break; // no progress possible at machine precision
        };
        let s: Vec<f64> = (0..n).map(|i| x_new[i] - x[i]).collect();
        let y: Vec<f64> = (0..n).map(|i| g_new[i] - g[i]).collect();
        let sy = dot(&s, &y);
        if sy > 1e-300 {
            if iterations == 1 {
                // Scale the initial inverse Hessian to the observed curvature (Nocedal & Wright 6.20).
                let scale = sy / dot(&y, &y);
                h.iter_mut().for_each(|v| *v *= scale);
            }
            let hy: Vec<f64> = (0..n).map(|i| dot(&h[i * n..(i + 1) * n], &y)).collect();
            let yhy = dot(&y, &hy);
            let rho = 1.0 / sy;
            for i in 0..n {
                for j in 0..n {
                    h[i * n + j] +=
                        rho * ((1.0 + rho * yhy) * s[i] * s[j] - hy[i] * s[j] - s[i] * hy[j]);
                }
            }
        }
        if f - f_new <= 1e-14 * f.abs().max(1.0) {
            stalled += 1;
        } else {
            stalled = 0;
        }
        x.copy_from_slice(&x_new);
        g.copy_from_slice(&g_new);
        f = f_new;
        if stalled >= 3 {
            at_noise_floor = true;
            break;
        }
    }
    let gradient_norm = dot(&g, &g).sqrt();
    Some(Minimum {
        point: x,
        value: f,
        gradient_norm,
        iterations,
        converged: gradient_norm <= gradient_tolerance
            || (at_noise_floor && gradient_norm <= NOISE_FLOOR_GRADIENT),
    })
}

/// The covariance of maximum-likelihood estimates at `point` (row-major, n × n): the inverse
/// observed information, i.e. of minus the Hessian of the total log-likelihood in the parameters
/// as given (natural parameters, not the optimiser's log-parameters); the standard errors are
/// the square roots of its diagonal.
///
/// `gradient(x, out)` writes the gradient of the total log-likelihood (not its negative, not a
/// mean) at `x`. The Hessian is taken by central differences of that gradient with relative steps
/// of 1e-5 and symmetrised. Returns `None` when a gradient is not finite or the information is not
/// positive definite (the point is not a proper maximum, e.g. a fit that stopped on a boundary).
pub(crate) fn covariance<F>(mut gradient: F, point: &[f64]) -> Option<Vec<f64>>
where
    F: FnMut(&[f64], &mut [f64]),
{
    let n = point.len();
    if n == 0 || point.iter().any(|v| !v.is_finite()) {
        return None;
    }
    // Minus the Hessian, row-major; column j from the gradients at point ± h_j e_j.
    let mut information = vec![0.0; n * n];
    let mut x = point.to_vec();
    let (mut up, mut down) = (vec![0.0; n], vec![0.0; n]);
    for j in 0..n {
        let step = 1e-5 * point[j].abs().max(1e-3);
        x[j] = point[j] + step;
        let step_up = x[j] - point[j]; // the step actually taken, after rounding
        gradient(&x, &mut up);
        x[j] = point[j] - step;
        let step_down = point[j] - x[j];
        gradient(&x, &mut down);
        x[j] = point[j];
        for i in 0..n {
            information[i * n + j] = -(up[i] - down[i]) / (step_up + step_down);
        }
    }
    if information.iter().any(|v| !v.is_finite()) {
        return None;
    }
    for i in 0..n {
        for j in 0..i {
            let mean = 0.5 * (information[i * n + j] + information[j * n + i]);
            information[i * n + j] = mean;
            information[j * n + i] = mean;
        }
    }
    // Cholesky factor L (lower, row-major) of the information; fails unless positive definite.
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let partial = information[i * n + j] - dot(&l[i * n..i * n + j], &l[j * n..j * n + j]);
            if i == j {
                if !(partial > 0.0 && partial.is_finite()) {
                    return None;
                }
                l[i * n + i] = partial.sqrt();
            } else {
                l[i * n + j] = partial / l[j * n + j];
            }
        }
    }
    // inverse(information) = L⁻ᵀ L⁻¹, so its diagonal entry i is the squared norm of column i of
    // L⁻¹ (lower triangular, by forward substitution).
    let mut l_inverse = vec![0.0; n * n];
    for column in 0..n {
        for i in column..n {
            let known: f64 = (column..i)
                .map(|k| l[i * n + k] * l_inverse[k * n + column])
                .sum();
            let identity = if i == column { 1.0 } else { 0.0 };
            l_inverse[i * n + column] = (identity - known) / l[i * n + i];
        }
    }
    // inverse(information) = L⁻ᵀ L⁻¹: entry (i, j) is the dot product of columns i and j of
    // L⁻¹, whose rows below max(i, j) are the only non-zero ones.
    let mut covariance = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..n {
            covariance[i * n + j] = (i.max(j)..n)
                .map(|k| l_inverse[k * n + i] * l_inverse[k * n + j])
                .sum::<f64>();
        }
    }
    covariance
        .iter()
        .all(|v| v.is_finite())
        .then_some(covariance)
}

/// Test helper: asserts that `f`'s analytic gradient (written into its second argument) matches
/// central finite differences at `base`, to 1e-6 relative.
#[cfg(test)]
pub(crate) fn assert_gradient_matches_finite_differences<const N: usize>(
    f: impl Fn([f64; N], &mut [f64; N]) -> f64,
    base: [f64; N],
) {
    let mut g = [0.0; N];
    f(base, &mut g);
    for i in 0..N {
        let h = 1e-6 * base[i];
        let (mut up, mut down) = (base, base);
        up[i] += h;
        down[i] -= h;
        let numeric = (f(up, &mut [0.0; N]) - f(down, &mut [0.0; N])) / (2.0 * h);
        assert!(
            (numeric - g[i]).abs() < 1e-6 * g[i].abs().max(1.0),
            "{i}: {numeric} vs {}",
            g[i]
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bfgs_finds_the_rosenbrock_minimum() {
        let rosen = |x: &[f64], g: &mut [f64]| {
            let (a, b) = (x[0], x[1]);
            g[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
            g[1] = 200.0 * (b - a * a);
            (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
        };
        let m = bfgs(rosen, &[-1.2, 1.0], 500, 1e-10).unwrap();
        assert!(m.converged, "{m:?}");
        assert!((m.point[0] - 1.0).abs() < 1e-8 && (m.point[1] - 1.0).abs() < 1e-8);
    }

    /// Normal sample with unknown mean and standard deviation: at the maximum the observed
    /// information is diag(n/σ², 2n/σ²), so the standard errors are σ/√n and σ/√(2n).
    #[test]
    fn covariance_of_the_normal_mean_and_deviation() {
        let data = [2.1, 3.4, 1.9, 5.2, 4.4, 3.3, 2.8, 3.9];
        let n = data.len() as f64;
        let mean = data.iter().sum::<f64>() / n;
        let sigma = (data.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt();
        let gradient = |p: &[f64], g: &mut [f64]| {
            let (mu, s) = (p[0], p[1]);
            let squares: f64 = data.iter().map(|x| (x - mu).powi(2)).sum();
            g[0] = data.iter().map(|x| x - mu).sum::<f64>() / (s * s);
            g[1] = -n / s + squares / s.powi(3);
        };
        // For the normal model the mean and the deviation are uncorrelated.
        let cov = covariance(gradient, &[mean, sigma]).unwrap();
        assert!(cov[1].abs() < 1e-8 * cov[0] && cov[1] == cov[2], "{cov:?}");
        let se = [cov[0].sqrt(), cov[3].sqrt()];
        assert!((se[0] - sigma / n.sqrt()).abs() < 1e-8 * se[0], "{se:?}");
        assert!(
            (se[1] - sigma / (2.0 * n).sqrt()).abs() < 1e-8 * se[1],
            "{se:?}"
        );
    }

    /// A correlated quadratic log-likelihood −½ xᵀAx: the information is A, so the covariance
    /// is A⁻¹ (checked against the cofactor formula, off-diagonal entries included); at a minimum
    /// (−A) or a saddle there is none.
    #[test]
    fn covariance_needs_a_maximum() {
        let a = [[4.0, 1.5, 0.5], [1.5, 3.0, -0.7], [0.5, -0.7, 2.0]];
        let quadratic = |sign: f64| {
            move |p: &[f64], g: &mut [f64]| {
                for i in 0..3 {
                    g[i] = -sign * (0..3).map(|j| a[i][j] * p[j]).sum::<f64>();
                }
            }
        };
        let cov = covariance(quadratic(1.0), &[1.0, 2.0, 3.0]).unwrap();
        // A⁻¹ by cofactors.
        let det: f64 = 4.0 * (3.0 * 2.0 - 0.49) - 1.5 * (1.5 * 2.0 + 0.35) + 0.5 * (-1.05 - 1.5);
        let expected: [f64; 9] = [
            (3.0 * 2.0 - 0.49) / det,
            -(1.5 * 2.0 + 0.7 * 0.5) / det,
            (1.5 * -0.7 - 3.0 * 0.5) / det,
            -(1.5 * 2.0 + 0.7 * 0.5) / det,
            (4.0 * 2.0 - 0.25) / det,
            -(4.0 * -0.7 - 0.5 * 1.5) / det,
            (1.5 * -0.7 - 3.0 * 0.5) / det,
            -(4.0 * -0.7 - 0.5 * 1.5) / det,
            (4.0 * 3.0 - 2.25) / det,
        ];
        for i in 0..9 {
            assert!((cov[i] - expected[i]).abs() < 1e-8, "{cov:?} {expected:?}");
        }
        assert_eq!(covariance(quadratic(-1.0), &[1.0, 2.0, 3.0]), None);
        let saddle = |p: &[f64], g: &mut [f64]| {
            g[0] = -p[0];
            g[1] = p[1];
        };
        assert_eq!(covariance(saddle, &[1.0, 1.0]), None);
        assert_eq!(covariance(saddle, &[f64::NAN, 1.0]), None);
    }

    #[test]
    fn bfgs_refuses_a_non_finite_start() {
        assert!(bfgs(|_: &[f64], _: &mut [f64]| f64::NAN, &[0.0], 10, 1e-8).is_none());
    }
}
