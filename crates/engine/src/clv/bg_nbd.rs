//! BG/NBD purchase model (Fader, Hardie and Lee 2005, "Counting Your Customers the Easy Way"),
//! fitted by maximum likelihood.
//!
//! Log-likelihood of one customer with `x` repeat purchases, recency `t_x` and age `T` (their
//! eq. 6, in the log-space form of `lifetimes`' `BetaGeoFitter._negative_log_likelihood`):
//! `A1 = lnΓ(r+x) − lnΓ(r) + r ln α`, `A2 = lnΓ(a+b) + lnΓ(b+x) − lnΓ(b) − lnΓ(a+b+x)`,
//! `A3 = −(r+x) ln(α+T)`, `A4 = ln a − ln(b+x−1) − (r+x) ln(α+t_x)` (only when `x > 0`),
//! `LL = A1 + A2 + ln(e^A3 + [x>0] e^A4)`, the last term by log-sum-exp.

use super::portable::PortableMath as _;
use serde::{Deserialize, Serialize};

use super::boundary::{classify, near_bounds, Boundary, Side};
use super::optimize::{covariance, maximise_over_log_parameters};
use super::purchase::{check_prediction_input, finite_prediction};
use super::special::{digamma, ln_gamma, ln_hyp2f1};
use super::{BgNbdValidParams, ClvError, CustomerSummary, InputProblem, TimeUnit};

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
    /// Covariance of (r, alpha, a, b) (row-major 4 × 4, alpha in `time_unit`): the inverse
    /// observed information; `None` for given parameters.
    #[serde(default)]
    covariance: Option<Vec<f64>>,
    /// Limits of the parameter space the fit reached (empty for given parameters).
    #[serde(default)]
    boundaries: Vec<Boundary>,
}

/// Bounds of (r, alpha, a, b) while fitting, alpha on the rescaled time axis (longest T = 1):
/// see [`maximise_over_log_parameters`] and [`super::boundary`].
pub(crate) const BOUNDS: [(f64, f64); 4] = [(1e-4, 1e4), (1e-6, 1e6), (1e-4, 1e4), (1e-4, 1e4)];

/// The limits a fit at the scaled `params` reached: `r` high is one purchase rate (α follows it),
/// `a` low is no dropout (whatever `b` does), `b` high with `a` not low is one dropout
/// probability.
fn boundaries_of(params: [f64; 4]) -> Vec<Boundary> {
    classify(
        ["r", "alpha", "a", "b"],
        near_bounds(params, BOUNDS),
        &[
            (0, Side::High, Boundary::NoRateHeterogeneity),
            (2, Side::Low, Boundary::NoDropout),
            (3, Side::High, Boundary::NoDropoutHeterogeneity),
        ],
        &[
            (1, Side::High, 0, Side::High),
            (2, Side::High, 3, Side::High),
            (3, Side::Low, 2, Side::Low),
            (3, Side::High, 2, Side::Low),
        ],
    )
}

/// Distinct `(x, t_x, T)` patterns with their customer counts, plus per-`x` totals, and the
/// distinct recencies and ages the patterns index into: a file of 100,000 customers over two
/// years has ~68,000 patterns but only ~730 recencies, ~365 ages and ~100 frequencies, so the
/// logarithms of the likelihood are taken once per distinct value, not per pattern.
struct Patterns {
    /// (x, t_x, T, weight), x > 0 or x = 0, sorted.
    rows: Vec<(f64, f64, f64, f64)>,
    /// Per row: the index of its x in `by_frequency`, of its t_x in `recencies` and of its T in
    /// `ages`.
    at: Vec<[u32; 3]>,
    /// (x, weight) per distinct x, ascending.
    by_frequency: Vec<(f64, f64)>,
    /// The distinct t_x, ascending.
    recencies: Vec<f64>,
    /// The distinct T, ascending.
    ages: Vec<f64>,
    total_weight: f64,
    /// Threads an evaluation may use (natively).
    threads: usize,
    /// The second thread's terms, kept across evaluations (natively).
    scratch: std::sync::Mutex<Vec<([f64; 5], bool)>>,
}

/// The sorted distinct values of `values`.
fn distinct(values: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut values: Vec<f64> = values.collect();
    values.sort_unstable_by(f64::total_cmp);
    values.dedup();
    values
}

/// The index of `value` in the sorted distinct `values` it was taken from (found with `<`, as
/// [`distinct`] merges with `==`: −0.0 and 0.0 are one value).
fn index_of(values: &[f64], value: f64) -> u32 {
    values.partition_point(|v| *v < value) as u32
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
        Some(InputProblem::NotFinite)
    } else if x < 0.0 || x.fract() != 0.0 {
        Some(InputProblem::FrequencyNotWhole)
    } else if recency < 0.0 || recency > age {
        Some(InputProblem::RecencyOutsideAge)
    } else if x == 0.0 && recency != 0.0 {
        Some(InputProblem::RecencyWithoutRepeat)
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
            reason,
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
        let recencies = distinct(rows.iter().map(|p| p.1));
        let ages = distinct(rows.iter().map(|p| p.2));
        let frequencies: Vec<f64> = by_frequency.iter().map(|p| p.0).collect();
        let at = rows
            .iter()
            .map(|&(x, recency, age, _)| {
                [
                    index_of(&frequencies, x),
                    index_of(&recencies, recency),
                    index_of(&ages, age),
                ]
            })
            .collect();
        Ok(Patterns {
            rows,
            at,
            by_frequency,
            recencies,
            ages,
            total_weight,
            threads: 1,
            scratch: std::sync::Mutex::default(),
        })
    }

    /// `Patterns::new(summary, time_scale)` (`self` being `Patterns::new(summary, 1.0)`), without
    /// sorting again when no two distinct times round to one when multiplied by `time_scale` (> 0):
    /// then the order and the merged rows are the same. Times from a file (whole days, or days
    /// over 7) never do; other summaries are sorted again when they do.
    fn scaled(&self, summary: &CustomerSummary, time_scale: f64) -> Result<Patterns, ClvError> {
        let scale =
            |values: &[f64]| -> Vec<f64> { values.iter().map(|v| v * time_scale).collect() };
        let (recencies, ages) = (scale(&self.recencies), scale(&self.ages));
        let merged = |values: &[f64]| values.windows(2).any(|w| matches!(w, [a, b] if a == b));
        if merged(&recencies) || merged(&ages) {
            let mut scaled = Patterns::new(summary, time_scale)?;
            scaled.threads = self.threads;
            return Ok(scaled);
        }
        Ok(Patterns {
            rows: self
                .rows
                .iter()
                .map(|&(x, recency, age, w)| (x, recency * time_scale, age * time_scale, w))
                .collect(),
            at: self.at.clone(),
            by_frequency: self.by_frequency.clone(),
            recencies,
            ages,
            total_weight: self.total_weight,
            threads: self.threads,
            scratch: std::sync::Mutex::default(),
        })
    }

    /// Total log-likelihood at `[r, alpha, a, b]` and its gradient with respect to them.
    fn log_likelihood(&self, params: [f64; 4], gradient: &mut [f64; 4]) -> f64 {
        let [r, alpha, a, b] = params;
        *gradient = [0.0; 4];
        let (ln_alpha, psi_r, psi_ab) = (alpha.ln_p(), digamma(r), digamma(a + b));
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
        // Per distinct value: (ln(α + v), α + v) of each recency and age, and
        // (ln a − ln(b + x − 1), b + x − 1) of each x. The same operations on the same values as
        // per pattern, so the same bits: a fit that stops on a flat ridge stops where it did.
        let terms = |values: &[f64]| -> Vec<(f64, f64)> {
            values
                .iter()
                .map(|v| ((alpha + v).ln_p(), alpha + v))
                .collect()
        };
        let (recency_terms, age_terms) = (terms(&self.recencies), terms(&self.ages));
        let ln_a = a.ln_p();
        let frequency_terms: Vec<(f64, f64)> = self
            .by_frequency
            .iter()
            .map(|&(x, _)| (ln_a - (b + x - 1.0).ln_p(), b + x - 1.0))
            .collect();
        let terms = PatternTerms {
            r,
            a,
            recency: &recency_terms,
            age: &age_terms,
            frequency: &frequency_terms,
        };
        let mut add = |(term, dropout): ([f64; 5], bool)| {
            total += term[0];
            gradient[0] -= term[1];
            gradient[1] -= term[2];
            if dropout {
                gradient[2] += term[3];
                gradient[3] -= term[4];
            }
        };
        // Natively on two threads, with the same bits.
        super::in_order::add_in_order(
            self.rows.len(),
            self.threads,
            &self.scratch,
            |i| match (self.rows.get(i), self.at.get(i)) {
                (Some(row), Some(at)) => terms.of(row, at),
                _ => ([0.0; 5], false),
            },
            &mut add,
        );
        total
    }
}

/// What one evaluation of the likelihood shares across patterns: the parameters and the terms
/// taken once per distinct value.
struct PatternTerms<'t> {
    r: f64,
    a: f64,
    /// (ln(α + t_x), α + t_x) per distinct recency.
    recency: &'t [(f64, f64)],
    /// (ln(α + T), α + T) per distinct age.
    age: &'t [(f64, f64)],
    /// (ln a − ln(b + x − 1), b + x − 1) per distinct x.
    frequency: &'t [(f64, f64)],
}

impl PatternTerms<'_> {
    /// One pattern's weighted terms: its log-likelihood, then what it takes from the gradient in
    /// r and α and adds in a and takes in b; the last two only when the flag is set (x > 0).
    #[inline]
    fn of(
        &self,
        &(x, _, _, w): &(f64, f64, f64, f64),
        &[ix, ir, it]: &[u32; 3],
    ) -> ([f64; 5], bool) {
        let (r, a) = (self.r, self.a);
        let at = |terms: &[(f64, f64)], i: u32| terms.get(i as usize).copied().unwrap_or_default();
        let (ln_alpha_age, alpha_age) = at(self.age, it);
        let a3 = -(r + x) * ln_alpha_age;
        if x > 0.0 {
            let (ln_alpha_recency, alpha_recency) = at(self.recency, ir);
            let (ln_dropout, bx) = at(self.frequency, ix);
            let a4 = ln_dropout - (r + x) * ln_alpha_recency;
            // ln(e^A3 + e^A4) = max + ln(1 + e^−|A3−A4|): one exp (the larger term's is 1).
            let small = (-(a3 - a4).abs()).exp_p();
            let sum = 1.0 + small;
            let (larger, smaller) = (1.0 / sum, small / sum);
            let (w3, w4) = if a3 >= a4 {
                (larger, smaller)
            } else {
                (smaller, larger)
            };
            (
                [
                    w * (a3.max(a4) + sum.ln_p()),
                    w * (w3 * ln_alpha_age + w4 * ln_alpha_recency),
                    w * (r + x) * (w3 / alpha_age + w4 / alpha_recency),
                    w * w4 / a,
                    w * w4 / bx,
                ],
                true,
            )
        } else {
            (
                [w * a3, w * ln_alpha_age, w * (r + x) / alpha_age, 0.0, 0.0],
                false,
            )
        }
    }
}

fn describe(params: [f64; 4]) -> String {
    let [r, alpha, a, b] = params;
    format!("r={r}, alpha={alpha}, a={a}, b={b}")
}

/// `covariance` (row-major, n × n) of parameters rescaled by `scale`: entry (i, j) times
/// scale_i · scale_j (a linear change of variable per parameter).
pub(super) fn unscale(covariance: &[f64], scale: &[f64]) -> Vec<f64> {
    let n = scale.len();
    covariance
        .iter()
        .enumerate()
        .map(|(k, v)| v * scale.get(k / n).unwrap_or(&1.0) * scale.get(k % n).unwrap_or(&1.0))
        .collect()
}

/// The square roots of the diagonal of an N × N covariance: the standard errors; `None` unless
/// all are finite.
pub(super) fn diagonal_roots<const N: usize>(covariance: &[f64]) -> Option<[f64; N]> {
    let mut roots = [0.0; N];
    for (i, slot) in roots.iter_mut().enumerate() {
        *slot = covariance.get(i * N + i)?.sqrt();
    }
    roots.iter().all(|v| v.is_finite()).then_some(roots)
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
        // The patterns in the summary's time unit (for the final likelihood) and rescaled.
        let mut patterns = Patterns::new(summary, 1.0)?;
        patterns.threads = self.threads;
        let scaled = patterns.scaled(summary, time_scale)?;
        if scaled.by_frequency.iter().all(|(x, _)| *x == 0.0) {
            return Err(ClvError::NoRepeatCustomers);
        }
        let minimum = maximise_over_log_parameters(
            |params, gradient| scaled.log_likelihood(params, gradient),
            scaled.total_weight,
            self.initial,
            BOUNDS,
            self.max_iterations,
            self.gradient_tolerance,
        )
        .ok_or_else(|| ClvError::NonFiniteLikelihood {
            model: "BG/NBD".to_string(),
            parameters: describe(self.initial),
        })?;
        let theta = &minimum.point;
        let params = [
            theta[0].exp_p(),
            theta[1].exp_p() / time_scale,
            theta[2].exp_p(),
            theta[3].exp_p(),
        ];
        let mut model = BgNbdModel::from_parameters(
            params[0],
            params[1],
            params[2],
            params[3],
            summary.time_unit,
        )?;
        let log_likelihood = model.log_likelihood_with(&patterns)?;
        model.log_likelihood = Some(log_likelihood);
        model.boundaries = boundaries_of([params[0], params[1] * time_scale, params[2], params[3]]);
        model.convergence = Some(Convergence {
            iterations: minimum.iterations,
            gradient_norm: minimum.gradient_norm,
            converged: minimum.converged,
        });
        // On the rescaled time axis alpha is alpha·time_scale, a linear change of variable, so
        // its standard error scales back the same way.
        let scaled_point = [params[0], params[1] * time_scale, params[2], params[3]];
        model.covariance = covariance(
            |point, out| {
                let mut gradient = [0.0; 4];
                let point = [point[0], point[1], point[2], point[3]];
                scaled.log_likelihood(point, &mut gradient);
                out.copy_from_slice(&gradient);
            },
            &scaled_point,
        )
        .map(|c| unscale(&c, &[1.0, 1.0 / time_scale, 1.0, 1.0]));
        model.standard_errors = model.covariance.as_deref().and_then(diagonal_roots);
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
            covariance: None,
            boundaries: Vec::new(),
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

    /// Covariance of (r, alpha, a, b), row-major 4 × 4 (alpha in `time_unit()`); `None` for
    /// given parameters.
    pub fn covariance(&self) -> Option<&[f64]> {
        self.covariance.as_deref()
    }
    /// Limits of the parameter space the fit reached (see [`Boundary`]); empty for given
    /// parameters and for an interior optimum.
    pub fn boundaries(&self) -> &[Boundary] {
        &self.boundaries
    }

    /// Total log-likelihood of `summary` (in its time unit, assumed equal to the model's) at this
    /// model's parameters.
    pub fn log_likelihood_of(&self, summary: &CustomerSummary) -> Result<f64, ClvError> {
        self.log_likelihood_with(&Patterns::new(summary, 1.0)?)
    }

    fn log_likelihood_with(&self, patterns: &Patterns) -> Result<f64, ClvError> {
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
    /// In log-odds, with `ln((α+T)/(α+t_x))` as `ln_1p((T−t_x)/(α+t_x))` so that a large `α`
    /// (purchase rates that hardly vary) loses no digits.
    pub fn probability_alive(&self, frequency: f64, recency: f64, t: f64) -> Result<f64, ClvError> {
        check_prediction_input(frequency, recency, t, 0.0)?;
        if frequency == 0.0 {
            return Ok(1.0);
        }
        let log_odds_dead = (self.r + frequency)
            * ((t - recency) / (self.alpha + recency)).ln_1p_p()
            + self.a.ln_p()
            - (self.b + frequency - 1.0).ln_p();
        Ok(1.0 / (1.0 + log_odds_dead.exp_p()))
    }

    /// Expected purchases in the next `horizon` time units of a customer with `frequency`, `recency`
    /// and age `t` (eq. 10 of the paper; `lifetimes`'
    /// `conditional_expected_number_of_purchases_up_to_time`): the probability alive times
    /// [`expected_purchases_if_alive`] at the posterior parameters `(r+x, α+T, a, b+x)`.
    pub fn expected_purchases(
        &self,
        horizon: f64,
        frequency: f64,
        recency: f64,
        t: f64,
    ) -> Result<f64, ClvError> {
        let mut out = [0.0];
        self.expected_purchases_at(&[horizon], frequency, recency, t, &mut out)?;
        let [expected] = out;
        Ok(expected)
    }

    /// [`Self::expected_purchases`] for several horizons of one customer (into `out`, in order),
    /// with the probability alive computed once: the same values and the same first error.
    pub fn expected_purchases_at(
        &self,
        horizons: &[f64],
        frequency: f64,
        recency: f64,
        t: f64,
        out: &mut [f64],
    ) -> Result<(), ClvError> {
        self.expected_purchases_with(horizons, frequency, recency, t, out, |_, horizon| {
            self.posterior_expected_if_alive(horizon, frequency, t)
        })
    }

    /// The expected purchases at each of `horizons` into `out`: the probability alive (computed
    /// once, after the first horizon's inputs are checked) times `if_alive(k, horizons[k])`.
    fn expected_purchases_with(
        &self,
        horizons: &[f64],
        frequency: f64,
        recency: f64,
        t: f64,
        out: &mut [f64],
        if_alive: impl Fn(usize, f64) -> f64,
    ) -> Result<(), ClvError> {
        let mut alive = None;
        for (k, (slot, &horizon)) in out.iter_mut().zip(horizons).enumerate() {
            check_prediction_input(frequency, recency, t, horizon)?;
            let p = match alive {
                Some(p) => p,
                None => *alive.insert(self.probability_alive(frequency, recency, t)?),
            };
            let expected = p * if_alive(k, horizon);
            *slot = finite_prediction(expected, [frequency, recency, t, horizon])
                .map(|v| v.max(0.0))?;
        }
        Ok(())
    }

    /// Expected purchases in the next `horizon` of a customer with `frequency` and age `t` who is
    /// alive now: [`expected_purchases_if_alive`] at the posterior parameters. The expected
    /// purchases are the probability alive times this, which does not depend on the recency.
    pub(crate) fn posterior_expected_if_alive(&self, horizon: f64, frequency: f64, t: f64) -> f64 {
        let (r, alpha, a, b, x) = (self.r, self.alpha, self.a, self.b, frequency);
        expected_purchases_if_alive(r + x, alpha + t, a, b + x, horizon)
    }

    /// [`Self::expected_purchases_at`] in two steps, for scoring many customers: first the
    /// expected purchases if alive of each horizon (`if_alive`, by
    /// [`PurchaseModel::expected_purchases_if_alive_at`], once per distinct frequency and T),
    /// then this: the same values, bits and errors as [`Self::expected_purchases_at`].
    ///
    /// [`PurchaseModel::expected_purchases_if_alive_at`]: super::PurchaseModel::expected_purchases_if_alive_at
    pub fn expected_purchases_from(
        &self,
        if_alive: &[f64],
        horizons: &[f64],
        frequency: f64,
        recency: f64,
        t: f64,
        out: &mut [f64],
    ) -> Result<(), ClvError> {
        self.expected_purchases_with(horizons, frequency, recency, t, out, |k, _| {
            if_alive.get(k).copied().unwrap_or(f64::NAN)
        })
    }

    /// Probability of at least one purchase in the next `horizon` time units of a customer with
    /// `frequency`, `recency` and age `t` ([`PurchaseModel::probability_purchase_within`]):
    /// `P(alive) · (1 − ((α+T)/(α+T+horizon))^(r+x))`. Exact: a BG/NBD customer drops out only
    /// at a purchase, so one who is alive now makes the next purchase before any dropout, at a
    /// Gamma(r + x, α + T)-mixed Poisson rate. `1 − (…)^(r+x)` is taken as
    /// `−expm1(−(r+x) ln_1p(horizon/(α+T)))` so that short horizons keep their digits.
    ///
    /// [`PurchaseModel::probability_purchase_within`]: super::PurchaseModel::probability_purchase_within
    pub fn probability_purchase_within(
        &self,
        horizon: f64,
        frequency: f64,
        recency: f64,
        t: f64,
    ) -> Result<f64, ClvError> {
        check_prediction_input(frequency, recency, t, horizon)?;
        let alive = self.probability_alive(frequency, recency, t)?;
        let log_stay = -(self.r + frequency) * (horizon / (self.alpha + t)).ln_1p_p();
        let chance = alive * -log_stay.exp_m1_p();
        finite_prediction(chance, [frequency, recency, t, horizon]).map(|v| v.clamp(0.0, 1.0))
    }
}

/// Width around `a = 1` where [`expected_purchases_if_alive`] interpolates (see there).
const A_NEAR_ONE: f64 = 1e-4;

/// Expected purchases in the next `horizon` of a customer who is active now, whose purchase rate
/// is Gamma(`r`, `alpha`) and whose dropout probability after each purchase is Beta(`a`, `b`)
/// (eq. 9 of the paper for a new customer; with the posterior parameters, eq. 10 over P(alive)):
/// `(a+b−1)/(a−1) · [1 − (α/(α+h))^r · 2F1(r, b; a+b−1; h/(α+h))]`, which is
/// `E_p[(1 − (1 + p h/α)^(−r)) / p]` over `p ~ Beta(a, b)`, finite for every `a, b > 0`.
///
/// The closed form is used with these limits:
/// - `a = 1`: the form is 0/0; within [`A_NEAR_ONE`] of 1 the value is interpolated linearly
///   between `a = 1 ± 2·A_NEAR_ONE` (the function is smooth in `a`; error ~1e-8 relative).
/// - `a + b ≤ 1` (possible for a customer without repeat purchases): `2F1` has no series at
///   `c = a+b−1 ≤ 0`, so the Beta identity `p^(a−1)(1−p)^(b−1) = p^(a−1)(1−p)^b + p^a(1−p)^(b−1)`
///   splits the expectation into `b/(a+b) · E(a, b+1) + a/(a+b) · E(a+1, b)`, both with `c > 0`.
/// - large `r` (no rate heterogeneity): [`ln_hyp2f1`] switches to its cancellation-free series, and
///   `(α/(α+h))^r` is taken as `exp(−r ln_1p(h/α))`.
pub(crate) fn expected_purchases_if_alive(r: f64, alpha: f64, a: f64, b: f64, horizon: f64) -> f64 {
    if horizon <= 0.0 {
        return 0.0;
    }
    let c = a + b - 1.0;
    if c <= 1e-3 {
        let total = a + b;
        return b / total * expected_purchases_if_alive(r, alpha, a, b + 1.0, horizon)
            + a / total * expected_purchases_if_alive(r, alpha, a + 1.0, b, horizon);
    }
    if (a - 1.0).abs() < A_NEAR_ONE {
        let (low, high) = (1.0 - 2.0 * A_NEAR_ONE, 1.0 + 2.0 * A_NEAR_ONE);
        let at_low = expected_purchases_if_alive(r, alpha, low, b, horizon);
        let at_high = expected_purchases_if_alive(r, alpha, high, b, horizon);
        return at_low + (at_high - at_low) * (a - low) / (high - low);
    }
    let z = horizon / (alpha + horizon);
    let ln_hyp = ln_hyp2f1(r, b, c, z);
    let second = -(ln_hyp - r * (horizon / alpha).ln_1p_p()).exp_m1_p();
    c / (a - 1.0) * second
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The log-likelihood customer by customer, from the paper's terms (eq. 6 in log form), as
    /// the per-pattern code was before the terms were taken per distinct value.
    fn per_customer(s: &CustomerSummary, [r, alpha, a, b]: [f64; 4]) -> f64 {
        (0..s.len())
            .map(|i| {
                let (x, tx, t) = (s.frequency[i], s.recency[i], s.age[i]);
                let a1 = ln_gamma(r + x) - ln_gamma(r) + r * alpha.ln();
                let a2 = ln_gamma(a + b) + ln_gamma(b + x) - ln_gamma(b) - ln_gamma(a + b + x);
                let a3 = -(r + x) * (alpha + t).ln();
                let a4 = a.ln() - (b + x - 1.0).ln() - (r + x) * (alpha + tx).ln();
                a1 + a2
                    + if x > 0.0 {
                        (a3.exp() + a4.exp()).ln()
                    } else {
                        a3
                    }
            })
            .sum()
    }

    /// −0.0 and 0.0 are one time (the distinct values are merged with `==`, and looked up so):
    /// each customer's terms are their own, as a customer-by-customer sum says.
    #[test]
    fn negative_zero_times_take_their_own_terms() {
        let s = CustomerSummary::from_columns(
            vec![0.0, 0.0, 1.0, 2.0, 0.0],
            vec![-0.0, 0.0, 0.0, 5.0, -0.0],
            vec![0.0, -0.0, 7.0, 9.0, 3.0],
            vec![0.0; 5],
            TimeUnit::Days,
        );
        let params = [0.8, 3.0, 0.7, 2.5];
        let ll = Patterns::new(&s, 1.0)
            .unwrap()
            .log_likelihood(params, &mut [0.0; 4]);
        let reference = per_customer(&s, params);
        assert!(
            (ll - reference).abs() <= 1e-12 * reference.abs(),
            "{ll} vs {reference}"
        );
    }

    /// Rescaling the patterns equals building them from the rescaled times, bit for bit, also
    /// when two distinct times become one (here two neighbouring floats scaled into the
    /// subnormals).
    #[test]
    fn scaled_patterns_are_the_rescaled_summarys() {
        let next = f64::from_bits(1.0f64.to_bits() + 1);
        for (recency, scale) in [([1.0, 4.0], 0.25), ([1.0, next], 1e-320)] {
            let s = CustomerSummary::from_columns(
                vec![1.0, 1.0, 0.0],
                vec![recency[0], recency[1], 0.0],
                vec![6.0, 6.0, 2.0],
                vec![0.0; 3],
                TimeUnit::Days,
            );
            let scaled = Patterns::new(&s, 1.0).unwrap().scaled(&s, scale).unwrap();
            let built = Patterns::new(&s, scale).unwrap();
            assert_eq!(scaled.rows.len(), built.rows.len());
            let params = [0.8, 3.0 * scale, 0.7, 2.5];
            let (mut g1, mut g2) = ([0.0; 4], [0.0; 4]);
            let (l1, l2) = (
                scaled.log_likelihood(params, &mut g1),
                built.log_likelihood(params, &mut g2),
            );
            assert_eq!(
                (l1.to_bits(), g1.map(f64::to_bits)),
                (l2.to_bits(), g2.map(f64::to_bits))
            );
        }
    }

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

    /// `E_p[(1 − (1 + p h/α)^(−r)) / p]` over `p ~ Beta(a, b)` by the midpoint rule on both halves
    /// of (0, 1), with `p = w^(1/a)` on the left and `1 − p = v^(1/b)` on the right so the Beta
    /// density's end points are smooth: a slow but independent reference.
    fn expected_by_quadrature(r: f64, alpha: f64, a: f64, b: f64, h: f64) -> f64 {
        let g = |p: f64| {
            if p == 0.0 {
                r * h / alpha
            } else {
                -(-r * (p * h / alpha).ln_1p_p()).exp_m1_p() / p
            }
        };
        let n = 400_000;
        let ln_beta = ln_gamma(a) + ln_gamma(b) - ln_gamma(a + b);
        let (left_end, right_end) = (0.5_f64.powf(a), 0.5_f64.powf(b));
        let mut total = 0.0;
        for i in 0..n {
            let u = (f64::from(i) + 0.5) / f64::from(n);
            let w = u * left_end;
            let p = w.powf(1.0 / a);
            total += left_end / f64::from(n) / a * g(p) * (1.0 - p).powf(b - 1.0);
            let v = u * right_end;
            let q = v.powf(1.0 / b);
            total += right_end / f64::from(n) / b * g(1.0 - q) * (1.0 - q).powf(a - 1.0);
        }
        total / ln_beta.exp_p()
    }

    /// Regression: the closed form failed (NaN or an error) at `a = 1` and at `a + b ≤ 1`, and
    /// cancelled to noise for a large `r` (the no-rate-heterogeneity boundary), where customers
    /// expected fewer purchases in 90 days than in 30.
    #[test]
    fn expected_purchases_if_alive_holds_at_the_limits() {
        for (r, alpha, a, b, h) in [
            (0.8, 10.0, 0.6, 2.5, 30.0),
            (0.8, 10.0, 1.0, 2.5, 30.0),
            (0.8, 10.0, 1.00003, 2.5, 30.0),
            (2.0, 5.0, 0.3, 0.4, 90.0),
            (2.0, 5.0, 0.01, 0.02, 365.0),
            (1e4, 1e4 / 0.5, 0.02, 3.0, 365.0),
            (5e3, 5e3 / 0.2, 0.05, 0.5, 30.0),
            (3.0, 0.5, 2.0, 1e-3, 100.0),
        ] {
            let ours = expected_purchases_if_alive(r, alpha, a, b, h);
            let reference = expected_by_quadrature(r, alpha, a, b, h);
            assert!(
                (ours - reference).abs() <= 1e-5 * reference,
                "{r} {alpha} {a} {b} {h}: {ours} vs {reference}"
            );
        }
        // No dropout (a → 0) and one Poisson rate 0.2 (r → ∞): about 0.2 · 30 purchases.
        let near_poisson = expected_purchases_if_alive(5e3, 5e3 / 0.2, 1e-4, 0.5, 30.0);
        assert!((5.99..6.0).contains(&near_poisson), "{near_poisson}");
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
