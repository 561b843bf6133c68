//! A small BFGS minimiser with an Armijo backtracking line search, for the 3- and 4-parameter
//! likelihoods here.
//!
//! Why hand-written rather than `argmin`: the problems are tiny (dense 4×4 inverse Hessian), the
//! gradients are analytic, and a dependency-free 100 lines keep the wasm bundle and the build
//! unchanged; `argmin` 0.11's wasm32 build and size impact were not evaluated in this first cut.

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
    /// progress).
    pub converged: bool,
}

fn dot(x: &[f64], y: &[f64]) -> f64 {
    x.iter().zip(y).map(|(a, b)| a * b).sum()
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
            break;
        }
    }
    let gradient_norm = dot(&g, &g).sqrt();
    Some(Minimum {
        point: x,
        value: f,
        gradient_norm,
        iterations,
        converged: gradient_norm <= gradient_tolerance,
    })
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

    #[test]
    fn bfgs_refuses_a_non_finite_start() {
        assert!(bfgs(|_: &[f64], _: &mut [f64]| f64::NAN, &[0.0], 10, 1e-8).is_none());
    }
}
