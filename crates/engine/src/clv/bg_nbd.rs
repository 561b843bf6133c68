//! BG/NBD purchase model (Fader, Hardie and Lee 2005, "Counting Your Customers the Easy Way"),
//! fitted by maximum likelihood.
//!
//! Log-likelihood of one customer with `x` repeat purchases, recency `t_x` and age `T` (their
//! eq. 6, in the log-space form of `lifetimes`' `BetaGeoFitter._negative_log_likelihood`):
//! `A1 = lnΓ(r+x) − lnΓ(r) + r ln α`, `A2 = lnΓ(a+b) + lnΓ(b+x) − lnΓ(b) − lnΓ(a+b+x)`,
//! `A3 = −(r+x) ln(α+T)`, `A4 = ln a − ln(b+x−1) − (r+x) ln(α+t_x)` (only when `x > 0`),
//! `LL = A1 + A2 + ln(e^A3 + [x>0] e^A4)`, the last term by log-sum-exp.

use serde::{Deserialize, Serialize};

use super::optimize::{maximise_over_log_parameters, standard_errors};
use super::purchase::check_prediction_input;
use super::special::{digamma, ln_gamma, ln_hyp2f1};
use super::{BgNbdValidParams, ClvError, CustomerSummary, TimeUnit};

/// How the optimiser finished.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Convergence {
    /// Quasi-Newton iterations taken.
    pub iterations: usize,
    /// Norm of the gradient of the mean negative log-likelihood (w.r.t. log-parameters) at the end.
    pub gradient_norm: f64,
    /// True when the gradient norm fell below the tolerance; false means the iteration cap or a
    /// stalled line search stopped the fit (parameters may sit near a boundary of the space).
    pub converged: bool,
}

/// Fitted (or given) BG/NBD parameters and the per-customer predictions they imply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BgNbdModel {
    r: f64,
    alpha: f64,
    a: f64,
    b: f64,
    time_unit: TimeUnit,
    log_likelihood: Option<f64>,
    convergence: Option<Convergence>,
    /// Standard errors of (r, alpha, a, b), alpha's in `time_unit`.
    #[serde(default)]
    standard_errors: Option<[f64; 4]>,
}

/// Distinct `(x, t_x, T)` patterns with their customer counts, plus per-`x` totals.
struct Patterns {
    /// (x, t_x, T, weight), x > 0 or x = 0.
    rows: Vec<(f64, f64, f64, f64)>,
    /// (x, weight) per distinct x.
    by_frequency: Vec<(f64, f64)>,
    total_weight: f64,
}

pub(crate) fn validate_row(
    summary: &CustomerSummary,
    row: usize,
) -> Result<(f64, f64, f64), ClvError> {
    let get = |column: &[f64]| column.get(row).copied().unwrap_or(f64::NAN);
    let (x, recency, age) = (
        get(&summary.frequency),
        get(&summary.recency),
        get(&summary.age),
    );
    let reason = if !(x.is_finite() && recency.is_finite() && age.is_finite()) {
        Some("values must be finite")
    } else if x < 0.0 || x.fract() != 0.0 {
        Some("frequency must be a whole number ≥ 0")
    } else if recency < 0.0 || recency > age {
        Some("recency must lie between 0 and T")
    } else if x == 0.0 && recency != 0.0 {
        Some("recency must be 0 when frequency is 0")
    } else {
        None
    };
    match reason {
        None => Ok((x, recency, age)),
        Some(reason) => Err(ClvError::InvalidSummaryRow {
            row,
            frequency: x,
            recency,
            age,
            monetary: get(&summary.monetary),
            reason: reason.to_string(),
        }),
    }
}

impl Patterns {
    fn new(summary: &CustomerSummary, time_scale: f64) -> Result<Self, ClvError> {
        let mut rows = Vec::with_capacity(summary.len());
        for row in 0..summary.len() {
            let (x, recency, age) = validate_row(summary, row)?;
            rows.push((x, recency * time_scale, age * time_scale, 1.0));
        }
        rows.sort_unstable_by(|p, q| {
            p.0.total_cmp(&q.0)
                .then(p.1.total_cmp(&q.1))
                .then(p.2.total_cmp(&q.2))
        });
        rows.dedup_by(|later, kept| {
            let same = later.0 == kept.0 && later.1 == kept.1 && later.2 == kept.2;
            if same {
                kept.3 += later.3;
            }
            same
        });
        let mut by_frequency: Vec<(f64, f64)> = Vec::new();
        for &(x, _, _, w) in &rows {
            match by_frequency.last_mut() {
                Some(last) if last.0 == x => last.1 += w,
                _ => by_frequency.push((x, w)),
            }
        }
        let total_weight = rows.iter().map(|p| p.3).sum();
        Ok(Patterns {
            rows,
            by_frequency,
            total_weight,
        })
    }

    /// Total log-likelihood at `[r, alpha, a, b]` and its gradient with respect to them.
    fn log_likelihood(&self, params: [f64; 4], gradient: &mut [f64; 4]) -> f64 {
        let [r, alpha, a, b] = params;
        *gradient = [0.0; 4];
        let (ln_alpha, psi_r, psi_ab) = (alpha.ln(), digamma(r), digamma(a + b));
        let (lg_r, lg_ab, lg_b, psi_b) = (ln_gamma(r), ln_gamma(a + b), ln_gamma(b), digamma(b));
        let mut total = 0.0;
        // Terms that depend on x only.
        for &(x, w) in &self.by_frequency {
            let a1 = ln_gamma(r + x) - lg_r + r * ln_alpha;
            let a2 = lg_ab + ln_gamma(b + x) - lg_b - ln_gamma(a + b + x);
            total += w * (a1 + a2);
            let psi_abx = digamma(a + b + x);
            gradient[0] += w * (digamma(r + x) - psi_r + ln_alpha);
            gradient[1] += w * r / alpha;
            gradient[2] += w * (psi_ab - psi_abx);
            gradient[3] += w * (psi_ab + digamma(b + x) - psi_b - psi_abx);
        }
        let ln_a = a.ln();
        for &(x, recency, age, w) in &self.rows {
            let ln_alpha_age = (alpha + age).ln();
            let a3 = -(r + x) * ln_alpha_age;
            if x > 0.0 {
                let ln_alpha_recency = (alpha + recency).ln();
                let a4 = ln_a - (b + x - 1.0).ln() - (r + x) * ln_alpha_recency;
                let top = a3.max(a4);
                let (e3, e4) = ((a3 - top).exp(), (a4 - top).exp());
                let sum = e3 + e4;
                total += w * (top + sum.ln());
                let (w3, w4) = (e3 / sum, e4 / sum);
                gradient[0] -= w * (w3 * ln_alpha_age + w4 * ln_alpha_recency);
                gradient[1] -= w * (r + x) * (w3 / (alpha + age) + w4 / (alpha + recency));
                gradient[2] += w * w4 / a;
                gradient[3] -= w * w4 / (b + x - 1.0);
            } else {
                total += w * a3;
                gradient[0] -= w * ln_alpha_age;
                gradient[1] -= w * (r + x) / (alpha + age);
            }
        }
        total
    }
}

fn describe(params: [f64; 4]) -> String {
    let [r, alpha, a, b] = params;
    format!("r={r}, alpha={alpha}, a={a}, b={b}")
}

fn positive_finite(values: &[f64]) -> bool {
    values.iter().all(|v| v.is_finite() && *v > 0.0)
}

impl BgNbdValidParams {
    /// Fits the model to `summary` by maximum likelihood over the log-parameters (BFGS, analytic
    /// gradient). Time is rescaled so the longest T is 1 while optimising (as `lifetimes` does);
    /// `alpha` is reported in `summary.time_unit`.
    ///
    /// Errors: fewer than 2 customers, nobody with a repeat purchase, an invalid summary row, or a
    /// likelihood that is not finite at the start or the end.
    pub fn fit(&self, summary: &CustomerSummary) -> Result<BgNbdModel, ClvError> {
        let time_scale = super::summary::fit_time_scale(summary)?;
        let scaled = Patterns::new(summary, time_scale)?;
        if scaled.by_frequency.iter().all(|(x, _)| *x == 0.0) {
            return Err(ClvError::NoRepeatCustomers);
        }
        let minimum = maximise_over_log_parameters(
            |params, gradient| scaled.log_likelihood(params, gradient),
            scaled.total_weight,
            self.initial,
            self.max_iterations,
            self.gradient_tolerance,
        )
        .ok_or_else(|| ClvError::NonFiniteLikelihood {
            model: "BG/NBD".to_string(),
            parameters: describe(self.initial),
        })?;
        let theta = &minimum.point;
        let params = [
            theta[0].exp(),
            theta[1].exp() / time_scale,
            theta[2].exp(),
            theta[3].exp(),
        ];
        let mut model = BgNbdModel::from_parameters(
            params[0],
            params[1],
            params[2],
            params[3],
            summary.time_unit,
        )?;
        let log_likelihood = model.log_likelihood_of(summary)?;
        model.log_likelihood = Some(log_likelihood);
        model.convergence = Some(Convergence {
            iterations: minimum.iterations,
            gradient_norm: minimum.gradient_norm,
            converged: minimum.converged,
        });
        // On the rescaled time axis alpha is alpha·time_scale, a linear change of variable, so
        // its standard error scales back the same way.
        let scaled_point = [params[0], params[1] * time_scale, params[2], params[3]];
        model.standard_errors = standard_errors(
            |point, out| {
                let mut gradient = [0.0; 4];
                let point = [point[0], point[1], point[2], point[3]];
                scaled.log_likelihood(point, &mut gradient);
                out.copy_from_slice(&gradient);
            },
            &scaled_point,
        )
        .map(|se| [se[0], se[1] / time_scale, se[2], se[3]]);
        Ok(model)
    }
}

impl BgNbdModel {
    /// A model with given parameters (for scoring with known parameters, or checking a
    /// likelihood); `alpha` is in `time_unit`. Errors when a parameter is not positive and finite.
    pub fn from_parameters(
        r: f64,
        alpha: f64,
        a: f64,
        b: f64,
        time_unit: TimeUnit,
    ) -> Result<Self, ClvError> {
        if !positive_finite(&[r, alpha, a, b]) {
            return Err(ClvError::NonFiniteLikelihood {
                model: "BG/NBD".to_string(),
                parameters: describe([r, alpha, a, b]),
            });
        }
        Ok(BgNbdModel {
            r,
            alpha,
            a,
            b,
            time_unit,
            log_likelihood: None,
            convergence: None,
            standard_errors: None,
        })
    }

    /// Shape of the Gamma distribution of purchase rates.
    pub fn r(&self) -> f64 {
        self.r
    }
    /// Rate (scale) of the Gamma distribution of purchase rates, in `time_unit()`.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }
    /// First shape of the Beta distribution of dropout probabilities.
    pub fn a(&self) -> f64 {
        self.a
    }
    /// Second shape of the Beta distribution of dropout probabilities.
    pub fn b(&self) -> f64 {
        self.b
    }
    /// Unit of `alpha`, recency, T and horizons.
    pub fn time_unit(&self) -> TimeUnit {
        self.time_unit
    }
    /// Total log-likelihood of the fitted data; `None` for a model built from given parameters.
    pub fn log_likelihood(&self) -> Option<f64> {
        self.log_likelihood
    }
    /// How the fit finished; `None` for a model built from given parameters.
    pub fn convergence(&self) -> Option<&Convergence> {
        self.convergence.as_ref()
    }
    /// Asymptotic standard errors of `[r, alpha, a, b]` (alpha's in `time_unit()`): square
    /// roots of the diagonal of the inverse observed information (minus the Hessian of the total
    /// log-likelihood in these parameters, by central differences of the analytic gradient) at
    /// the fitted point. `None` for a model built from given parameters, or when the information
    /// is not positive definite there (a fit stopped on a boundary of the parameter space).
    pub fn standard_errors(&self) -> Option<[f64; 4]> {
        self.standard_errors
    }

    /// Total log-likelihood of `summary` (in its time unit, assumed equal to the model's) at this
    /// model's parameters.
    pub fn log_likelihood_of(&self, summary: &CustomerSummary) -> Result<f64, ClvError> {
        let patterns = Patterns::new(summary, 1.0)?;
        let params = [self.r, self.alpha, self.a, self.b];
        let ll = patterns.log_likelihood(params, &mut [0.0; 4]);
        if ll.is_finite() {
            Ok(ll)
        } else {
            Err(ClvError::NonFiniteLikelihood {
                model: "BG/NBD".to_string(),
                parameters: describe(params),
            })
        }
    }

    /// Probability that a customer with `frequency` repeat purchases, `recency` and age `t`
    /// (T; all in `time_unit()`) is still active at the calibration end (eq. 13 of the paper;
    /// `lifetimes`' `conditional_probability_alive`). 1 for a customer without repeat purchases.
    pub fn probability_alive(&self, frequency: f64, recency: f64, t: f64) -> Result<f64, ClvError> {
        check_prediction_input(frequency, recency, t, 0.0)?;
        if frequency == 0.0 {
            return Ok(1.0);
        }
        let log_odds_dead = (self.r + frequency) * ((self.alpha + t) / (self.alpha + recency)).ln()
            + (self.a / (self.b + frequency - 1.0)).ln();
        Ok(1.0 / (1.0 + log_odds_dead.exp()))
    }

    /// Expected purchases in the next `horizon` time units of a customer with `frequency`, `recency`
    /// and age `t` (eq. 10 of the paper; `lifetimes`'
    /// `conditional_expected_number_of_purchases_up_to_time`).
    ///
    /// Uses `2F1(r+x, b+x; a+b+x−1; z)` with `z = horizon/(alpha+t+horizon)` in `[0, 1)`, summed
    /// by [`ln_hyp2f1`]; its domain needs `a + b + x − 1 > 0` and `a ≠ 1` (else an error, as the
    /// formula is undefined there).
    pub fn expected_purchases(
        &self,
        horizon: f64,
        frequency: f64,
        recency: f64,
        t: f64,
    ) -> Result<f64, ClvError> {
        check_prediction_input(frequency, recency, t, horizon)?;
        let (r, alpha, a, b, x) = (self.r, self.alpha, self.a, self.b, frequency);
        let domain_error = |reason: &str| ClvError::InvalidPredictionInput {
            frequency,
            recency,
            age: t,
            horizon,
            reason: reason.to_string(),
        };
        let c = a + b + x - 1.0;
        if c <= 0.0 {
            return Err(domain_error("a + b + frequency − 1 must be > 0 for 2F1"));
        }
        let z = horizon / (alpha + t + horizon);
        let ln_hyp = ln_hyp2f1(r + x, b + x, c, z);
        let first = c / (a - 1.0);
        let second = -(ln_hyp + (r + x) * ((alpha + t) / (alpha + t + horizon)).ln()).exp_m1();
        let numerator = first * second;
        let denominator = if x > 0.0 {
            1.0 + (a / (b + x - 1.0)) * ((r + x) * ((alpha + t) / (alpha + recency)).ln()).exp()
        } else {
            1.0
        };
        let expected = numerator / denominator;
        if expected.is_finite() {
            Ok(expected.max(0.0))
        } else {
            Err(domain_error(
                "the expectation is not finite at these parameters (a = 1?)",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analytic_gradient_matches_finite_differences() {
        let s = CustomerSummary::from_columns(
            vec![0.0, 2.0, 5.0, 1.0],
            vec![0.0, 10.0, 30.0, 3.0],
            vec![40.0, 38.0, 35.0, 20.0],
            vec![0.0; 4],
            TimeUnit::Days,
        );
        let p = Patterns::new(&s, 1.0).unwrap();
        crate::clv::optimize::assert_gradient_matches_finite_differences(
            |params, gradient| p.log_likelihood(params, gradient),
            [0.7, 8.0, 0.6, 2.2],
        );
    }

    #[test]
    fn predictions_refuse_inputs_outside_the_domain() {
        let m = BgNbdModel::from_parameters(0.5, 10.0, 0.8, 2.5, TimeUnit::Days).unwrap();
        assert!(m.probability_alive(2.0, 50.0, 40.0).is_err());
        assert!(m.expected_purchases(-1.0, 2.0, 5.0, 40.0).is_err());
        assert!(m.expected_purchases(30.0, f64::NAN, 5.0, 40.0).is_err());
        assert_eq!(m.probability_alive(0.0, 0.0, 40.0), Ok(1.0));
        assert_eq!(m.expected_purchases(0.0, 3.0, 5.0, 40.0), Ok(0.0));
    }
}
