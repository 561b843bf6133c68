//! Gamma-Gamma spend model (Fader, Hardie and Lee 2005, "RFM and CLV: Using Iso-Value Curves";
//! Fader and Hardie, "The Gamma-Gamma Model of Monetary Value", 2013), fitted by maximum likelihood
//! on the customers with at least one repeat purchase.
//!
//! Log-likelihood of a customer with `x` repeat purchases of mean value `m` (as `lifetimes`'
//! `GammaGammaFitter._negative_log_likelihood`, with the sign flipped):
//! `lnΓ(px+q) − lnΓ(px) − lnΓ(q) + q ln v + (px−1) ln m + px ln x − (px+q) ln(xm+v)`.

use super::portable::PortableMath as _;
use serde::{Deserialize, Serialize};

use super::bg_nbd::validate_row;
use super::boundary::{classify, near_bounds, Boundary, Side};
use super::optimize::{covariance, maximise_over_log_parameters};
use super::special::{digamma, digamma_difference, ln_gamma, ln_gamma_ratio};
use super::{ClvError, Convergence, CustomerSummary, GammaGammaValidParams, InputProblem};
use crate::stats::pearson;

/// Fitted (or given) Gamma-Gamma parameters and the expected spend they imply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaModel {
    p: f64,
    q: f64,
    v: f64,
    log_likelihood: Option<f64>,
    convergence: Option<Convergence>,
    frequency_monetary_correlation: Option<f64>,
    repeat_customers: usize,
    /// Standard errors of (p, q, v).
    #[serde(default)]
    standard_errors: Option<[f64; 3]>,
    /// Covariance of (p, q, v), row-major 3 × 3; `None` for given parameters.
    #[serde(default)]
    covariance: Option<Vec<f64>>,
    /// Limits of the parameter space the fit reached (empty for given parameters).
    #[serde(default)]
    boundaries: Vec<Boundary>,
}

/// Repeat customers grouped by frequency.
struct Spends {
    /// (x, m) per repeat customer.
    rows: Vec<(f64, f64)>,
    /// (x, count, sum of ln m) per distinct x.
    by_frequency: Vec<(f64, f64, f64)>,
    /// Threads an evaluation may use (natively).
    threads: usize,
    /// The second thread's terms, kept across evaluations (natively).
    scratch: std::sync::Mutex<Vec<[f64; 4]>>,
}

impl Spends {
    fn new(summary: &CustomerSummary) -> Result<Self, ClvError> {
        let mut rows = Vec::new();
        for row in 0..summary.len() {
            let (x, _, _) = validate_row(summary, row)?;
            let m = summary.monetary.get(row).copied().unwrap_or(f64::NAN);
            // A repeat customer whose repeat purchases were all free (monetary exactly 0) tells
            // the spend model nothing about spend levels: left out of the fit, as `lifetimes`'
            // documentation filters `monetary_value > 0`. Such customers are still scored.
            if x > 0.0 && m != 0.0 {
                if !(m.is_finite() && m > 0.0) {
                    return Err(ClvError::InvalidSummaryRow {
                        row,
                        frequency: x,
                        recency: summary.recency.get(row).copied().unwrap_or(f64::NAN),
                        age: summary.age.get(row).copied().unwrap_or(f64::NAN),
                        monetary: m,
                        reason: InputProblem::MonetaryNotPositive,
                    });
                }
                rows.push((x, m));
            }
        }
        rows.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        let mut by_frequency: Vec<(f64, f64, f64)> = Vec::new();
        for &(x, m) in &rows {
            match by_frequency.last_mut() {
                Some(last) if last.0 == x => {
                    last.1 += 1.0;
                    last.2 += m.ln_p();
                }
                _ => by_frequency.push((x, 1.0, m.ln_p())),
            }
        }
        Ok(Spends {
            rows,
            by_frequency,
            threads: 1,
            scratch: std::sync::Mutex::default(),
        })
    }

    /// Total log-likelihood at `[p, q, v]` and its gradient with respect to them.
    ///
    /// Written for the limit `q, v → ∞` (spend that hardly varies between customers), where the
    /// textbook form `lnΓ(px+q) − lnΓ(q) + q ln v − (px+q) ln(xm+v)` subtracts numbers of size
    /// `q ln q` and lost every digit (at q = 1e42 it gave a log-likelihood of +1e34, which the
    /// optimiser then chased): `q ln v − (px+q) ln(xm+v) = −px ln v − (px+q) ln(1 + xm/v)`, the
    /// log-gamma difference by [`ln_gamma_ratio`] and the digamma difference by
    /// [`digamma_difference`].
    fn log_likelihood(&self, params: [f64; 3], gradient: &mut [f64; 3]) -> f64 {
        let [p, q, v] = params;
        *gradient = [0.0; 3];
        let ln_v = v.ln_p();
        let mut total = 0.0;
        for &(x, count, sum_ln_m) in &self.by_frequency {
            let px = p * x;
            let ln_x = x.ln_p();
            total += count * (ln_gamma_ratio(q, px) - ln_gamma(px) - px * ln_v + px * ln_x)
                + (px - 1.0) * sum_ln_m;
            gradient[0] += count * x * (digamma(px + q) - digamma(px) + ln_x - ln_v) + x * sum_ln_m;
            gradient[1] += count * digamma_difference(q, px);
            gradient[2] -= count * px / v;
        }
        // Natively on two threads, with the same bits.
        super::in_order::add_in_order(
            self.rows.len(),
            self.threads,
            &self.scratch,
            |i| {
                let (x, m) = self.rows.get(i).copied().unwrap_or_default();
                let spend = x * m;
                let ln_growth = (spend / v).ln_1p_p();
                let px_q = p * x + q;
                [
                    px_q * ln_growth,
                    x * ln_growth,
                    ln_growth,
                    px_q * spend / (v * (v + spend)),
                ]
            },
            |term| {
                total -= term[0];
                gradient[0] -= term[1];
                gradient[1] -= term[2];
                gradient[2] += term[3];
            },
        );
        total
    }
}

/// Bounds of (p, q, v / mean repeat spend) while fitting: see
/// [`super::optimize::maximise_over_log_parameters`] and [`super::boundary`].
const BOUNDS: [(f64, f64); 3] = [(1e-4, 1e4), (1e-4, 1e4), (1e-6, 1e8)];

/// The limits a fit at `[p, q, v / mean spend]` reached: `q` high (v following) is one spend scale.
fn boundaries_of(params: [f64; 3]) -> Vec<Boundary> {
    classify(
        ["p", "q", "v"],
        near_bounds(params, BOUNDS),
        &[(1, Side::High, Boundary::NoSpendHeterogeneity)],
        &[(2, Side::High, 1, Side::High)],
    )
}

fn describe(params: [f64; 3]) -> String {
    let [p, q, v] = params;
    format!("p={p}, q={q}, v={v}")
}

impl GammaGammaValidParams {
    /// Fits the model on the customers of `summary` with `frequency > 0` (BFGS over the
    /// log-parameters, analytic gradient), and records the Pearson correlation of frequency and
    /// monetary value among them (the model assumes they are independent).
    ///
    /// Errors: fewer than 2 repeat customers, an invalid row (a repeat customer's monetary value
    /// must be positive), or a likelihood that is not finite.
    pub fn fit(&self, summary: &CustomerSummary) -> Result<GammaGammaModel, ClvError> {
        let mut spends = Spends::new(summary)?;
        spends.threads = self.threads;
        let n = spends.rows.len();
        if n < 2 {
            return Err(ClvError::TooFewCustomers { count: n });
        }
        let mean_spend = spends.rows.iter().map(|r| r.1).sum::<f64>() / n as f64;
        let [p0, q0, v0] = self.initial;
        let initial = [p0, q0, if v0.is_nan() { mean_spend } else { v0 }];
        let minimum = maximise_over_log_parameters(
            |params, gradient| spends.log_likelihood(params, gradient),
            n as f64,
            initial,
            [
                BOUNDS[0],
                BOUNDS[1],
                (BOUNDS[2].0 * mean_spend, BOUNDS[2].1 * mean_spend),
            ],
            self.max_iterations,
            self.gradient_tolerance,
        )
        .ok_or_else(|| ClvError::NonFiniteLikelihood {
            model: "Gamma-Gamma".to_string(),
            parameters: describe(initial),
        })?;
        let theta = &minimum.point;
        let params = [theta[0].exp_p(), theta[1].exp_p(), theta[2].exp_p()];
        let mut model = GammaGammaModel::from_parameters(params[0], params[1], params[2])?;
        let ll = spends.log_likelihood(params, &mut [0.0; 3]);
        if !ll.is_finite() {
            return Err(ClvError::NonFiniteLikelihood {
                model: "Gamma-Gamma".to_string(),
                parameters: describe(params),
            });
        }
        let (frequency, monetary): (Vec<f64>, Vec<f64>) = spends.rows.iter().copied().unzip();
        model.log_likelihood = Some(ll);
        model.convergence = Some(Convergence {
            iterations: minimum.iterations,
            gradient_norm: minimum.gradient_norm,
            converged: minimum.converged,
        });
        model.frequency_monetary_correlation = pearson(&frequency, &monetary);
        model.repeat_customers = n;
        model.boundaries = boundaries_of([params[0], params[1], params[2] / mean_spend]);
        model.covariance = covariance(
            |point, out| {
                let mut gradient = [0.0; 3];
                spends.log_likelihood([point[0], point[1], point[2]], &mut gradient);
                out.copy_from_slice(&gradient);
            },
            &params,
        );
        model.standard_errors = model
            .covariance
            .as_deref()
            .and_then(super::bg_nbd::diagonal_roots);
        Ok(model)
    }
}

impl GammaGammaModel {
    /// A model with given parameters; errors when one is not positive and finite.
    pub fn from_parameters(p: f64, q: f64, v: f64) -> Result<Self, ClvError> {
        if ![p, q, v].iter().all(|x| x.is_finite() && *x > 0.0) {
            return Err(ClvError::NonFiniteLikelihood {
                model: "Gamma-Gamma".to_string(),
                parameters: describe([p, q, v]),
            });
        }
        Ok(GammaGammaModel {
            p,
            q,
            v,
            log_likelihood: None,
            convergence: None,
            frequency_monetary_correlation: None,
            repeat_customers: 0,
            standard_errors: None,
            covariance: None,
            boundaries: Vec::new(),
        })
    }

    /// Shape of the Gamma distribution of one transaction's value.
    pub fn p(&self) -> f64 {
        self.p
    }
    /// Shape of the Gamma distribution of the customers' scale parameter.
    pub fn q(&self) -> f64 {
        self.q
    }
    /// Rate of the Gamma distribution of the customers' scale parameter (currency units).
    pub fn v(&self) -> f64 {
        self.v
    }
    /// Total log-likelihood of the repeat customers it was fitted on; `None` for given parameters.
    pub fn log_likelihood(&self) -> Option<f64> {
        self.log_likelihood
    }
    /// How the fit finished; `None` for given parameters.
    pub fn convergence(&self) -> Option<&Convergence> {
        self.convergence.as_ref()
    }
    /// Asymptotic standard errors of `[p, q, v]`: square roots of the diagonal of the inverse
    /// observed information (minus the Hessian of the total log-likelihood of the repeat customers
    /// in these parameters, by central differences of the analytic gradient) at the fitted point.
    /// `None` for given parameters, or when the information is not positive definite there.
    pub fn standard_errors(&self) -> Option<[f64; 3]> {
        self.standard_errors
    }

    /// Covariance of (p, q, v), row-major 3 × 3; `None` for given parameters.
    pub fn covariance(&self) -> Option<&[f64]> {
        self.covariance.as_deref()
    }
    /// Limits of the parameter space the fit reached (see [`Boundary`]); empty for given
    /// parameters and for an interior optimum.
    pub fn boundaries(&self) -> &[Boundary] {
        &self.boundaries
    }
    /// Repeat customers the model was fitted on (0 for given parameters).
    pub fn repeat_customers(&self) -> usize {
        self.repeat_customers
    }
    /// Pearson correlation of frequency and mean spend among the repeat customers fitted on: the
    /// model assumes independence, so a value far from 0 (say |ρ| > 0.3) is a warning sign. `None`
    /// when either column is constant or for given parameters.
    pub fn frequency_monetary_correlation(&self) -> Option<f64> {
        self.frequency_monetary_correlation
    }

    /// Expected mean transaction value of a customer with `frequency` repeat purchases of mean
    /// value `monetary` (`lifetimes`' `conditional_expected_average_profit`): a weighted average
    /// of the population mean `vp/(q−1)` and `monetary`. Needs `q > 1`.
    pub fn expected_average_value(&self, frequency: f64, monetary: f64) -> Result<f64, ClvError> {
        if self.q <= 1.0 {
            return Err(ClvError::UndefinedMeanSpend { q: self.q });
        }
        if !(frequency.is_finite() && frequency >= 0.0 && monetary.is_finite()) {
            return Err(ClvError::InvalidPredictionInput {
                frequency,
                recency: 0.0,
                age: 0.0,
                horizon: 0.0,
                reason: if frequency.is_finite() && frequency >= 0.0 {
                    InputProblem::MonetaryNotFinite
                } else {
                    InputProblem::NegativeFrequency
                },
            });
        }
        let (p, q, v) = (self.p, self.q, self.v);
        let individual_weight = p * frequency / (p * frequency + q - 1.0);
        let population_mean = v * p / (q - 1.0);
        Ok((1.0 - individual_weight) * population_mean + individual_weight * monetary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clv::TimeUnit;

    #[test]
    fn analytic_gradient_matches_finite_differences() {
        let s = CustomerSummary::from_columns(
            vec![1.0, 2.0, 2.0, 7.0, 0.0],
            vec![3.0, 10.0, 12.0, 30.0, 0.0],
            vec![40.0; 5],
            vec![20.0, 35.5, 18.0, 60.0, 0.0],
            TimeUnit::Days,
        );
        let spends = Spends::new(&s).unwrap();
        crate::clv::optimize::assert_gradient_matches_finite_differences(
            |params, gradient| spends.log_likelihood(params, gradient),
            [3.0, 4.0, 25.0],
        );
    }

    #[test]
    fn expected_value_needs_q_above_one() {
        let m = GammaGammaModel::from_parameters(2.0, 0.9, 10.0).unwrap();
        assert_eq!(
            m.expected_average_value(3.0, 20.0),
            Err(ClvError::UndefinedMeanSpend { q: 0.9 })
        );
    }
}
