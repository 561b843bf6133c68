//! Fitting parameters of the BG/NBD, Pareto/NBD and Gamma-Gamma models (linfa shape: params → `check()` →
//! valid params → `fit`).

use serde::{Deserialize, Serialize};

use super::ClvError;

fn check_common(max_iterations: usize, gradient_tolerance: f64) -> Result<(), ClvError> {
    if max_iterations == 0 {
        return Err(ClvError::ZeroIterations);
    }
    if !(gradient_tolerance.is_finite() && gradient_tolerance > 0.0) {
        return Err(ClvError::InvalidTolerance {
            value: gradient_tolerance,
        });
    }
    Ok(())
}

fn check_positive(names: &[&str], values: &[f64]) -> Result<(), ClvError> {
    for (name, value) in names.iter().zip(values) {
        if !(value.is_finite() && *value > 0.0) {
            return Err(ClvError::InvalidInitialParameter {
                name: (*name).to_string(),
                value: *value,
            });
        }
    }
    Ok(())
}

/// Settings of the BG/NBD maximum-likelihood fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BgNbdParams {
    max_iterations: usize,
    gradient_tolerance: f64,
    initial: [f64; 4],
    /// Threads the likelihood may use (natively); not a setting of the fit, which is the same
    /// bits with any number.
    #[serde(skip, default = "one_thread")]
    threads: usize,
}

fn one_thread() -> usize {
    1
}

/// Checked [`BgNbdParams`]; call [`fit`](BgNbdValidParams::fit).
#[derive(Debug, Clone, PartialEq)]
pub struct BgNbdValidParams {
    pub(crate) max_iterations: usize,
    pub(crate) gradient_tolerance: f64,
    pub(crate) initial: [f64; 4],
    pub(crate) threads: usize,
}

impl Default for BgNbdParams {
    fn default() -> Self {
        Self::new()
    }
}

impl BgNbdParams {
    /// Defaults: `max_iterations` 500; `gradient_tolerance` 1e-8 (Euclidean norm of the gradient of
    /// the mean negative log-likelihood with respect to the log-parameters); initial parameters
    /// r = alpha = a = b = 1 on a time scale where the longest T is 1 (as `lifetimes`).
    pub fn new() -> Self {
        BgNbdParams {
            max_iterations: 500,
            gradient_tolerance: 1e-8,
            initial: [1.0; 4],
            threads: 1,
        }
    }

    /// Threads the likelihood may use, natively (default 1; the browser's worker has one). Each
    /// evaluation's terms are computed in parallel and summed in the same order, so the fit is the
    /// same bits with any number.
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }

    /// Iteration cap of the optimiser.
    pub fn max_iterations(mut self, max_iterations: usize) -> Self {
        self.max_iterations = max_iterations;
        self
    }

    /// Stop when the gradient norm falls below this.
    pub fn gradient_tolerance(mut self, gradient_tolerance: f64) -> Self {
        self.gradient_tolerance = gradient_tolerance;
        self
    }

    /// Starting point; `alpha` is on the rescaled time axis (longest T = 1).
    pub fn initial_parameters(mut self, r: f64, alpha: f64, a: f64, b: f64) -> Self {
        self.initial = [r, alpha, a, b];
        self
    }

    /// Validates the settings.
    pub fn check(&self) -> Result<BgNbdValidParams, ClvError> {
        check_common(self.max_iterations, self.gradient_tolerance)?;
        check_positive(&["r", "alpha", "a", "b"], &self.initial)?;
        Ok(BgNbdValidParams {
            max_iterations: self.max_iterations,
            gradient_tolerance: self.gradient_tolerance,
            initial: self.initial,
            threads: self.threads,
        })
    }
}

/// Settings of the Pareto/NBD maximum-likelihood fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParetoNbdParams {
    max_iterations: usize,
    gradient_tolerance: f64,
    initial: [f64; 4],
}

/// Checked [`ParetoNbdParams`]; call [`fit`](ParetoNbdValidParams::fit).
#[derive(Debug, Clone, PartialEq)]
pub struct ParetoNbdValidParams {
    pub(crate) max_iterations: usize,
    pub(crate) gradient_tolerance: f64,
    pub(crate) initial: [f64; 4],
}

impl Default for ParetoNbdParams {
    fn default() -> Self {
        Self::new()
    }
}

impl ParetoNbdParams {
    /// Defaults (those of [`BgNbdParams`]): `max_iterations` 500; `gradient_tolerance` 1e-8
    /// (Euclidean norm of the gradient of the mean negative log-likelihood with respect to the
    /// log-parameters); initial parameters r = alpha = s = beta = 1 on a time scale where the
    /// longest T is 1 (as `lifetimes`).
    pub fn new() -> Self {
        ParetoNbdParams {
            max_iterations: 500,
            gradient_tolerance: 1e-8,
            initial: [1.0; 4],
        }
    }

    /// Iteration cap of the optimiser.
    pub fn max_iterations(mut self, max_iterations: usize) -> Self {
        self.max_iterations = max_iterations;
        self
    }

    /// Stop when the gradient norm falls below this.
    pub fn gradient_tolerance(mut self, gradient_tolerance: f64) -> Self {
        self.gradient_tolerance = gradient_tolerance;
        self
    }

    /// Starting point; `alpha` and `beta` are on the rescaled time axis (longest T = 1).
    pub fn initial_parameters(mut self, r: f64, alpha: f64, s: f64, beta: f64) -> Self {
        self.initial = [r, alpha, s, beta];
        self
    }

    /// Validates the settings.
    pub fn check(&self) -> Result<ParetoNbdValidParams, ClvError> {
        check_common(self.max_iterations, self.gradient_tolerance)?;
        check_positive(&["r", "alpha", "s", "beta"], &self.initial)?;
        Ok(ParetoNbdValidParams {
            max_iterations: self.max_iterations,
            gradient_tolerance: self.gradient_tolerance,
            initial: self.initial,
        })
    }
}

/// Settings of the Gamma-Gamma maximum-likelihood fit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaParams {
    max_iterations: usize,
    gradient_tolerance: f64,
    initial: [f64; 3],
    /// Threads the likelihood may use (natively); not a setting of the fit, which is the same
    /// bits with any number.
    #[serde(skip, default = "one_thread")]
    threads: usize,
}

/// Checked [`GammaGammaParams`]; call [`fit`](GammaGammaValidParams::fit).
#[derive(Debug, Clone, PartialEq)]
pub struct GammaGammaValidParams {
    pub(crate) max_iterations: usize,
    pub(crate) gradient_tolerance: f64,
    pub(crate) initial: [f64; 3],
    pub(crate) threads: usize,
}

impl Default for GammaGammaParams {
    fn default() -> Self {
        Self::new()
    }
}

impl GammaGammaParams {
    /// Defaults: `max_iterations` 500; `gradient_tolerance` 1e-6 (looser than BG/NBD's because
    /// this likelihood sums terms of size `(px+q) ln(xm+v)`: on 50k–100k customers the mean
    /// objective's rounding noise stops progress near a gradient norm of 2e-7, where p, q and v
    /// already agree to 7 digits with fits at 1e-9; a tighter default would report a finished fit
    /// as "not converged"); initial p = q = 1 and v = the mean repeat spend (so the spend scale
    /// starts in the right place).
    pub fn new() -> Self {
        GammaGammaParams {
            max_iterations: 500,
            gradient_tolerance: 1e-6,
            initial: [1.0, 1.0, f64::NAN],
            threads: 1,
        }
    }

    /// Threads the likelihood may use, natively (default 1): the fit is the same bits with any
    /// number, as [`BgNbdParams::threads`].
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = threads.max(1);
        self
    }

    /// Iteration cap of the optimiser.
    pub fn max_iterations(mut self, max_iterations: usize) -> Self {
        self.max_iterations = max_iterations;
        self
    }

    /// Stop when the gradient norm falls below this.
    pub fn gradient_tolerance(mut self, gradient_tolerance: f64) -> Self {
        self.gradient_tolerance = gradient_tolerance;
        self
    }

    /// Starting point.
    pub fn initial_parameters(mut self, p: f64, q: f64, v: f64) -> Self {
        self.initial = [p, q, v];
        self
    }

    /// Validates the settings (a NaN initial `v` means "the mean repeat spend").
    pub fn check(&self) -> Result<GammaGammaValidParams, ClvError> {
        check_common(self.max_iterations, self.gradient_tolerance)?;
        let [p, q, v] = self.initial;
        check_positive(&["p", "q"], &[p, q])?;
        if !v.is_nan() {
            check_positive(&["v"], &[v])?;
        }
        Ok(GammaGammaValidParams {
            max_iterations: self.max_iterations,
            gradient_tolerance: self.gradient_tolerance,
            initial: self.initial,
            threads: self.threads,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_iterations_are_refused() {
        assert_eq!(
            BgNbdParams::new().max_iterations(0).check(),
            Err(ClvError::ZeroIterations)
        );
        assert_eq!(
            GammaGammaParams::new().max_iterations(0).check(),
            Err(ClvError::ZeroIterations)
        );
    }

    #[test]
    fn a_non_positive_tolerance_is_refused() {
        assert!(matches!(
            BgNbdParams::new().gradient_tolerance(0.0).check(),
            Err(ClvError::InvalidTolerance { .. })
        ));
        assert!(matches!(
            GammaGammaParams::new().gradient_tolerance(f64::NAN).check(),
            Err(ClvError::InvalidTolerance { .. })
        ));
    }

    #[test]
    fn a_non_positive_initial_parameter_is_refused() {
        assert!(matches!(
            BgNbdParams::new().initial_parameters(1.0, -1.0, 1.0, 1.0).check(),
            Err(ClvError::InvalidInitialParameter { name, .. }) if name == "alpha"
        ));
        assert!(matches!(
            ParetoNbdParams::new().initial_parameters(1.0, 1.0, 1.0, f64::NAN).check(),
            Err(ClvError::InvalidInitialParameter { name, .. }) if name == "beta"
        ));
        assert!(matches!(
            GammaGammaParams::new().initial_parameters(1.0, 1.0, 0.0).check(),
            Err(ClvError::InvalidInitialParameter { name, .. }) if name == "v"
        ));
    }

    #[test]
    fn defaults_check() {
        assert!(BgNbdParams::default().check().is_ok());
        assert!(ParetoNbdParams::default().check().is_ok());
        assert_eq!(
            ParetoNbdParams::new().max_iterations(0).check(),
            Err(ClvError::ZeroIterations)
        );
        assert!(GammaGammaParams::default().check().is_ok());
    }
}
