//! Pareto/NBD purchase model (Schmittlein, Morrison and Colombo 1987), fitted by maximum
//! likelihood, in the form of Fader, Hardie and Lee's note "A Note on Deriving the Pareto/NBD Model
//! and Related Expressions" (2005) and of `lifetimes`' `ParetoNBDFitter`.
//!
//! Log-likelihood of one customer with `x` repeat purchases, recency `t_x` and age `T` (note eq. 18):
//! `LL = A1 + ln(e^L1 + e^L2)` with `A1 = lnΓ(r+x) − lnΓ(r) + r ln α + s ln β`,
//! `L1 = −(r+x) ln(α+T) − s ln(β+T)` (alive throughout) and
//! `L2 = ln s − ln(r+s+x) + ln A0` (died between `t_x` and `T`), where
//! `A0 = H(t_x) − H(T)` and `H(y) = (r+s+x) ∫_y^∞ (α+τ)^−(r+x) (β+τ)^−(s+1) dτ`, which is the note's
//! `2F1(r+s+x, s+1; r+s+x+1; (α−β)/(α+y)) / (α+y)^(r+s+x)` for `α ≥ β` (with `r+x` in place of `s+1`
//! and the roles of α and β swapped for `α < β`).
//!
//! Numerics: Euler's transformation turns that 2F1 into `2F1(1, P; r+s+x+1; z)` with `P` = `r+x`
//! (`α ≥ β`) or `s+1` (`α < β`), so in log space
//! `ln H(y) = −(r+x) ln(α+y) − s ln(β+y) + ln 2F1(1, r+x; r+s+x+1; (α−β)/(α+y))` for `α ≥ β` and
//! `ln H(y) = −(r+x−1) ln(α+y) − (s+1) ln(β+y) + ln 2F1(1, s+1; r+s+x+1; (β−α)/(β+y))` for `α < β`,
//! with no overflow for large `x` or `T`. The 2F1 comes from a continued fraction that converges for
//! every `z < 1` ([`ln_hyp2f1_one_with_gradient`]), with its derivatives, so the gradient is
//! analytic. `ln A0 = ln H(t_x) + ln(−expm1(ln H(T) − ln H(t_x)))`, and `A0 = 0` when `t_x = T`.

use super::portable::PortableMath as _;
use serde::{Deserialize, Serialize};

use super::bg_nbd::validate_row;
use super::bg_nbd::{diagonal_roots, unscale};
use super::boundary::{classify, near_bounds, Boundary, Side};
use super::optimize::{covariance, maximise_over_log_parameters};
use super::purchase::{check_prediction_input, finite_prediction};
use super::special::{digamma, ln_gamma, ln_hyp2f1_one_with_gradient};
use super::{
    ClvError, Convergence, CustomerSummary, InputProblem, ParetoNbdValidParams, PurchaseModel,
    TimeUnit,
};

const NAME: &str = "Pareto/NBD";

/// Fitted (or given) Pareto/NBD parameters and the per-customer predictions they imply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ParetoNbdModel {
    r: f64,
    alpha: f64,
    s: f64,
    beta: f64,
    time_unit: TimeUnit,
    log_likelihood: Option<f64>,
    convergence: Option<Convergence>,
    /// Standard errors of (r, alpha, s, beta) from the observed information; `None` for given
    /// parameters or a singular information matrix.
    #[serde(default)]
    standard_errors: Option<[f64; 4]>,
    /// Covariance of (r, alpha, s, beta), row-major 4 × 4 (alpha and beta in `time_unit`).
    #[serde(default)]
    covariance: Option<Vec<f64>>,
    /// Limits of the parameter space the fit reached (empty for given parameters).
    #[serde(default)]
    boundaries: Vec<Boundary>,
}

/// Bounds of (r, alpha, s, beta) while fitting, alpha and beta on the rescaled time axis (longest
/// T = 1): see [`maximise_over_log_parameters`] and [`super::boundary`].
const BOUNDS: [(f64, f64); 4] = [(1e-4, 1e4), (1e-6, 1e6), (1e-4, 1e4), (1e-6, 1e6)];

/// The limits a fit at the scaled `params` reached: `r` high is one purchase rate, `s` low or `β`
/// high is no dropout, `s` high is one dropout rate.
fn boundaries_of(params: [f64; 4]) -> Vec<Boundary> {
    classify(
        ["r", "alpha", "s", "beta"],
        near_bounds(params, BOUNDS),
        &[
            (0, Side::High, Boundary::NoRateHeterogeneity),
            (2, Side::Low, Boundary::NoDropout),
            (2, Side::High, Boundary::NoDropoutHeterogeneity),
            (3, Side::High, Boundary::NoDropout),
        ],
        &[
            (1, Side::High, 0, Side::High),
            (3, Side::High, 2, Side::High),
            (3, Side::High, 2, Side::Low),
            (3, Side::Low, 2, Side::Low),
        ],
    )
}

/// Distinct `(x, t_x, T)` patterns with their customer counts. `H` depends on `(x, y)` only, so it
/// is evaluated once per distinct `(x, y)` point, `y` being a recency or an age, and `ln(α+y)`,
/// `ln(β+y)` once per distinct `y` (on 100k customers in days: 68k patterns, 21k points, 700 `y`).
struct Patterns {
    /// Distinct recencies and ages, sorted.
    times: Vec<f64>,
    /// (x, index of y in `times`) where `ln H` is needed, sorted and distinct.
    points: Vec<(f64, usize)>,
    /// Sorted by x.
    rows: Vec<Row>,
    /// (x, weight) per distinct x.
    by_frequency: Vec<(f64, f64)>,
    total_weight: f64,
}

impl Patterns {
    /// Total log-likelihood in the original time unit, from patterns built with `time_scale` and
    /// parameters `[r, alpha, s, beta]` in the original unit. Rescaling time by `c` divides each
    /// customer's density of `x` purchase times by `c^x` and leaves the rest unchanged, so
    /// `LL = LL_scaled + ln c · Σx` (this saves building the patterns again).
    fn unscaled_log_likelihood(&self, params: [f64; 4], time_scale: f64) -> f64 {
        let [r, alpha, s, beta] = params;
        let scaled = [r, alpha * time_scale, s, beta * time_scale];
        let purchases: f64 = self.by_frequency.iter().map(|(x, w)| x * w).sum();
        self.log_likelihood(scaled, &mut [0.0; 4]) + time_scale.ln_p() * purchases
    }
}

struct Row {
    x: f64,
    weight: f64,
    /// Index of (x, t_x) in `points`.
    at_recency: usize,
    /// Index of (x, T) in `points`.
    at_age: usize,
    /// Index of T in `times`.
    age: usize,
    /// t_x = T: alive at T for certain (no dropout term).
    recency_is_age: bool,
}

/// `ln(α+y)`, `ln(β+y)`, `1/(α+y)`, `1/(β+y)`.
#[derive(Clone, Copy)]
struct TimeTerms {
    ln_alpha: f64,
    ln_beta: f64,
    inv_alpha: f64,
    inv_beta: f64,
}

impl TimeTerms {
    fn new(alpha: f64, beta: f64, y: f64) -> Self {
        TimeTerms {
            ln_alpha: (alpha + y).ln_p(),
            ln_beta: (beta + y).ln_p(),
            inv_alpha: 1.0 / (alpha + y),
            inv_beta: 1.0 / (beta + y),
        }
    }
}

impl Patterns {
    fn new(summary: &CustomerSummary, time_scale: f64) -> Result<Self, ClvError> {
        let mut triples = Vec::with_capacity(summary.len());
        for row in 0..summary.len() {
            let (x, recency, age) = validate_row(summary, row)?;
            triples.push((x, recency * time_scale, age * time_scale, 1.0));
        }
        triples.sort_unstable_by(|p, q| {
            p.0.total_cmp(&q.0)
                .then(p.1.total_cmp(&q.1))
                .then(p.2.total_cmp(&q.2))
        });
        triples.dedup_by(|later, kept| {
            let same = later.0 == kept.0 && later.1 == kept.1 && later.2 == kept.2;
            if same {
                kept.3 += later.3;
            }
            same
        });
        let mut times: Vec<f64> = triples.iter().flat_map(|t| [t.1, t.2]).collect();
        times.sort_unstable_by(f64::total_cmp);
        times.dedup();
        let time_index = |y: f64| {
            times
                .binary_search_by(|probe| probe.total_cmp(&y))
                .unwrap_or(0)
        };
        // A point (x, y) as one integer key (x is a whole number; see `validate_row`).
        let span = times.len() as u64;
        let key = |x: f64, at: usize| (x as u64).saturating_mul(span) + at as u64;
        let indexed: Vec<(usize, usize)> = triples
            .iter()
            .map(|t| (time_index(t.1), time_index(t.2)))
            .collect();
        let mut keys: Vec<u64> = triples
            .iter()
            .zip(&indexed)
            .flat_map(|(t, &(at_recency, at_age))| [key(t.0, at_recency), key(t.0, at_age)])
            .collect();
        keys.sort_unstable();
        keys.dedup();
        let point_of = |x: f64, at: usize| keys.binary_search(&key(x, at)).unwrap_or(0);
        let rows = triples
            .iter()
            .zip(&indexed)
            .map(|(&(x, recency, age, weight), &(at_recency, at_age))| Row {
                x,
                weight,
                at_recency: point_of(x, at_recency),
                at_age: point_of(x, at_age),
                age: at_age,
                recency_is_age: recency >= age,
            })
            .collect();
        let points = keys
            .iter()
            .map(|k| ((k / span.max(1)) as f64, (k % span.max(1)) as usize))
            .collect();
        let mut by_frequency: Vec<(f64, f64)> = Vec::new();
        for &(x, _, _, w) in &triples {
            match by_frequency.last_mut() {
                Some(last) if last.0 == x => last.1 += w,
                _ => by_frequency.push((x, w)),
            }
        }
        let total_weight = triples.iter().map(|p| p.3).sum();
        Ok(Patterns {
            times,
            points,
            rows,
            by_frequency,
            total_weight,
        })
    }

    /// Total log-likelihood at `[r, alpha, s, beta]` and its gradient with respect to them.
    fn log_likelihood(&self, params: [f64; 4], gradient: &mut [f64; 4]) -> f64 {
        let [r, alpha, s, beta] = params;
        *gradient = [0.0; 4];
        let (ln_alpha, ln_beta, lg_r, psi_r) = (alpha.ln_p(), beta.ln_p(), ln_gamma(r), digamma(r));
        let mut total = self.total_weight * (r * ln_alpha + s * ln_beta);
        gradient[0] += self.total_weight * ln_alpha;
        gradient[1] += self.total_weight * r / alpha;
        gradient[2] += self.total_weight * ln_beta;
        gradient[3] += self.total_weight * s / beta;
        for &(x, w) in &self.by_frequency {
            total += w * (ln_gamma(r + x) - lg_r);
            gradient[0] += w * (digamma(r + x) - psi_r);
        }
        let terms: Vec<TimeTerms> = self
            .times
            .iter()
            .map(|&y| TimeTerms::new(alpha, beta, y))
            .collect();
        let ln_h: Vec<(f64, [f64; 4])> = self
            .points
            .iter()
            .map(|&(x, y)| match terms.get(y) {
                Some(t) => ln_h_with_gradient(params, x, *t),
                None => (f64::NAN, [f64::NAN; 4]),
            })
            .collect();
        let ln_s = s.ln_p();
        let mut last_x = f64::NAN;
        let mut ln_rsx = f64::NAN;
        for row in &self.rows {
            let (x, w) = (row.x, row.weight);
            let (Some(t), Some(h_recency), Some(h_age)) = (
                terms.get(row.age),
                ln_h.get(row.at_recency),
                ln_h.get(row.at_age),
            ) else {
                return f64::NAN;
            };
            let l1 = -(r + x) * t.ln_alpha - s * t.ln_beta;
            let dl1 = [
                -t.ln_alpha,
                -(r + x) * t.inv_alpha,
                -t.ln_beta,
                -s * t.inv_beta,
            ];
            if row.recency_is_age {
                total += w * l1;
                for i in 0..4 {
                    gradient[i] += w * dl1[i];
                }
                continue;
            }
            if x != last_x {
                last_x = x;
                ln_rsx = (r + s + x).ln_p();
            }
            let (ln_a0, dln_a0) = ln_a0(*h_recency, *h_age);
            let inv_rsx = 1.0 / (r + s + x);
            let l2 = ln_s - ln_rsx + ln_a0;
            let dl2 = [
                -inv_rsx + dln_a0[0],
                dln_a0[1],
                1.0 / s - inv_rsx + dln_a0[2],
                dln_a0[3],
            ];
            // ln(e^l1 + e^l2) and the weights of the two terms.
            let (top, other) = if l1 >= l2 { (l1, l2) } else { (l2, l1) };
            let e = (other - top).exp_p();
            total += w * (top + e.ln_1p_p());
            let w_top = 1.0 / (1.0 + e);
            let (w1, w2) = if l1 >= l2 {
                (w_top, e * w_top)
            } else {
                (e * w_top, w_top)
            };
            for i in 0..4 {
                gradient[i] += w * (w1 * dl1[i] + w2 * dl2[i]);
            }
        }
        total
    }
}

/// `ln H(y)` (see the module documentation) and its gradient in `[r, alpha, s, beta]`.
fn ln_h_with_gradient(params: [f64; 4], x: f64, t: TimeTerms) -> (f64, [f64; 4]) {
    let [r, alpha, s, beta] = params;
    let q = r + s + x + 1.0;
    if alpha >= beta {
        // z = (α−β)/(α+y); ∂z/∂α = (β+y)/(α+y)², ∂z/∂β = −1/(α+y).
        let z = (alpha - beta) * t.inv_alpha;
        let (g, [g_p, g_q, g_z]) = ln_hyp2f1_one_with_gradient(r + x, q, z);
        let value = -(r + x) * t.ln_alpha - s * t.ln_beta + g;
        let gradient = [
            -t.ln_alpha + g_p + g_q,
            -(r + x) * t.inv_alpha + g_z * t.inv_alpha * t.inv_alpha / t.inv_beta,
            -t.ln_beta + g_q,
            -s * t.inv_beta - g_z * t.inv_alpha,
        ];
        (value, gradient)
    } else {
        // z = (β−α)/(β+y); ∂z/∂α = −1/(β+y), ∂z/∂β = (α+y)/(β+y)².
        let z = (beta - alpha) * t.inv_beta;
        let (g, [g_p, g_q, g_z]) = ln_hyp2f1_one_with_gradient(s + 1.0, q, z);
        let value = -(r + x - 1.0) * t.ln_alpha - (s + 1.0) * t.ln_beta + g;
        let gradient = [
            -t.ln_alpha + g_q,
            -(r + x - 1.0) * t.inv_alpha - g_z * t.inv_beta,
            -t.ln_beta + g_p + g_q,
            -(s + 1.0) * t.inv_beta + g_z * t.inv_beta * t.inv_beta / t.inv_alpha,
        ];
        (value, gradient)
    }
}

/// `ln A0 = ln(H(t_x) − H(T))` from `ln H` at `t_x` and at `T` (`t_x < T`), and its gradient.
fn ln_a0(at_recency: (f64, [f64; 4]), at_age: (f64, [f64; 4])) -> (f64, [f64; 4]) {
    let (ln_h_recency, d_recency) = at_recency;
    let (ln_h_age, d_age) = at_age;
    let difference = ln_h_age - ln_h_recency; // < 0: H decreases in y
    let ratio = difference.exp_p();
    // 1 − ratio is exact enough unless ratio is close to 1.
    let one_minus_ratio = if ratio < 0.5 {
        1.0 - ratio
    } else {
        -difference.exp_m1_p()
    };
    let value = ln_h_recency + one_minus_ratio.ln_p();
    let mut gradient = [0.0; 4];
    for i in 0..4 {
        gradient[i] = (d_recency[i] - ratio * d_age[i]) / one_minus_ratio;
    }
    (value, gradient)
}

fn describe(params: [f64; 4]) -> String {
    let [r, alpha, s, beta] = params;
    format!("r={r}, alpha={alpha}, s={s}, beta={beta}")
}

fn positive_finite(values: &[f64]) -> bool {
    values.iter().all(|v| v.is_finite() && *v > 0.0)
}

fn non_finite(params: [f64; 4]) -> ClvError {
    ClvError::NonFiniteLikelihood {
        model: NAME.to_string(),
        parameters: describe(params),
    }
}

impl ParetoNbdValidParams {
    /// Fits the model to `summary` by maximum likelihood over the log-parameters (BFGS, analytic
    /// gradient). Time is rescaled so the longest T is 1 while optimising (as `lifetimes` does);
    /// `alpha` and `beta` are reported in `summary.time_unit`.
    ///
    /// Errors: fewer than 2 customers, nobody with a repeat purchase (as for BG/NBD: the likelihood
    /// can be written down without repeats, but then the purchase and dropout rates cannot be told
    /// apart and the optimum runs off to a boundary), an invalid summary row, or a likelihood that
    /// is not finite at the start or the end.
    pub fn fit(&self, summary: &CustomerSummary) -> Result<ParetoNbdModel, ClvError> {
        let time_scale = super::summary::fit_time_scale(summary)?;
        let scaled = Patterns::new(summary, time_scale)?;
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
        .ok_or_else(|| non_finite(self.initial))?;
        let theta = &minimum.point;
        let mut model = ParetoNbdModel::from_parameters(
            theta[0].exp_p(),
            theta[1].exp_p() / time_scale,
            theta[2].exp_p(),
            theta[3].exp_p() / time_scale,
            summary.time_unit,
        )?;
        let log_likelihood = scaled.unscaled_log_likelihood(model.params(), time_scale);
        if !log_likelihood.is_finite() {
            return Err(non_finite(model.params()));
        }
        model.log_likelihood = Some(log_likelihood);
        let scaled_params = [
            theta[0].exp_p(),
            theta[1].exp_p(),
            theta[2].exp_p(),
            theta[3].exp_p(),
        ];
        model.boundaries = boundaries_of(scaled_params);
        model.convergence = Some(Convergence {
            iterations: minimum.iterations,
            gradient_norm: minimum.gradient_norm,
            converged: minimum.converged,
        });
        // As for BG/NBD: central differences of the analytic gradient on the rescaled time axis,
        // where alpha and beta are alpha·time_scale and beta·time_scale (a linear change of
        // variable, so their standard errors scale back the same way).
        model.covariance = covariance(
            |point, out| {
                let mut gradient = [0.0; 4];
                scaled.log_likelihood([point[0], point[1], point[2], point[3]], &mut gradient);
                out.copy_from_slice(&gradient);
            },
            &scaled_params,
        )
        .map(|c| unscale(&c, &[1.0, 1.0 / time_scale, 1.0, 1.0 / time_scale]));
        model.standard_errors = model.covariance.as_deref().and_then(diagonal_roots);
        Ok(model)
    }
}

impl ParetoNbdModel {
    /// A model with given parameters (for scoring with known parameters, or checking a
    /// likelihood); `alpha` and `beta` are in `time_unit`. Errors when a parameter is not positive
    /// and finite.
    pub fn from_parameters(
        r: f64,
        alpha: f64,
        s: f64,
        beta: f64,
        time_unit: TimeUnit,
    ) -> Result<Self, ClvError> {
        if !positive_finite(&[r, alpha, s, beta]) {
            return Err(non_finite([r, alpha, s, beta]));
        }
        Ok(ParetoNbdModel {
            r,
            alpha,
            s,
            beta,
            time_unit,
            log_likelihood: None,
            convergence: None,
            standard_errors: None,
            covariance: None,
            boundaries: Vec::new(),
        })
    }

    /// Standard errors of (r, alpha, s, beta) (alpha and beta in `time_unit()`), from the
    /// inverse observed information at the fit; `None` for given parameters.
    pub fn standard_errors(&self) -> Option<[f64; 4]> {
        self.standard_errors
    }

    /// Covariance of (r, alpha, s, beta), row-major 4 × 4; `None` for given parameters.
    pub fn covariance(&self) -> Option<&[f64]> {
        self.covariance.as_deref()
    }

    /// Shape of the Gamma distribution of purchase rates.
    pub fn r(&self) -> f64 {
        self.r
    }
    /// Rate (scale) of the Gamma distribution of purchase rates, in `time_unit()`.
    pub fn alpha(&self) -> f64 {
        self.alpha
    }
    /// Shape of the Gamma distribution of dropout rates.
    pub fn s(&self) -> f64 {
        self.s
    }
    /// Rate (scale) of the Gamma distribution of dropout rates, in `time_unit()`.
    pub fn beta(&self) -> f64 {
        self.beta
    }
    /// Unit of `alpha`, `beta`, recency, T and horizons.
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
    /// Limits of the parameter space the fit reached (see [`Boundary`]); empty for given
    /// parameters and for an interior optimum.
    pub fn boundaries(&self) -> &[Boundary] {
        &self.boundaries
    }

    fn params(&self) -> [f64; 4] {
        [self.r, self.alpha, self.s, self.beta]
    }

    /// Total log-likelihood of `summary` (in its time unit, assumed equal to the model's) at this
    /// model's parameters.
    pub fn log_likelihood_of(&self, summary: &CustomerSummary) -> Result<f64, ClvError> {
        let patterns = Patterns::new(summary, 1.0)?;
        let ll = patterns.log_likelihood(self.params(), &mut [0.0; 4]);
        if ll.is_finite() {
            Ok(ll)
        } else {
            Err(non_finite(self.params()))
        }
    }

    /// `L2 − L1`: log-odds that the customer dropped out between the last purchase and T.
    fn log_odds_dead(&self, frequency: f64, recency: f64, t: f64) -> Result<f64, ClvError> {
        if recency >= t {
            return Ok(f64::NEG_INFINITY);
        }
        let (r, alpha, s, beta, x) = (self.r, self.alpha, self.s, self.beta, frequency);
        let params = self.params();
        let (ln_a0, _) = ln_a0(
            ln_h_with_gradient(params, x, TimeTerms::new(alpha, beta, recency)),
            ln_h_with_gradient(params, x, TimeTerms::new(alpha, beta, t)),
        );
        let l1 = -(r + x) * (alpha + t).ln_p() - s * (beta + t).ln_p();
        let l2 = s.ln_p() - (r + s + x).ln_p() + ln_a0;
        let mut odds = l2 - l1;
        if odds.is_nan() {
            odds = self.log_odds_dead_by_quadrature(frequency, recency, t);
        }
        if odds.is_nan() {
            Err(ClvError::InvalidPredictionInput {
                frequency,
                recency,
                age: t,
                horizon: 0.0,
                reason: InputProblem::HypergeometricDiverged,
            })
        } else {
            Ok(odds)
        }
    }

    /// The log-odds of [`log_odds_dead`](Self::log_odds_dead) from their integral, for where the
    /// continued fraction of its 2F1 does not converge (`1 − z` near 1e-7 with large `s`: the
    /// fit held at the no-dropout-heterogeneity limit with `β ≫ α`; 5 of the 100 random files
    /// of `tests/clv_properties.rs`). Dying at `τ` in `(t_x, T]` against surviving to `T`:
    /// `odds = ∫_{t_x}^T s/(β+τ) · ((α+T)/(α+τ))^(r+x) · ((β+T)/(β+τ))^s dτ`, integrated in
    /// `u = τ − t_x` with the largest factor (at `u = 0`) taken out in logs, by adaptive Simpson
    /// (hand-written: no quadrature crate in the tree). Checked against the 2F1 form where that
    /// converges.
    fn log_odds_dead_by_quadrature(&self, frequency: f64, recency: f64, t: f64) -> f64 {
        let (k, s) = (self.r + frequency, self.s);
        let (a0, b0, span) = (self.alpha + recency, self.beta + recency, t - recency);
        let top = k * (span / a0).ln_1p_p() + s * (span / b0).ln_1p_p();
        let integrand =
            |u: f64| s / (b0 + u) * (-k * (u / a0).ln_1p_p() - s * (u / b0).ln_1p_p()).exp_p();
        top + adaptive_simpson(&integrand, 0.0, span, 1e-13 * span * s / b0).ln_p()
    }

    /// Probability that a customer with `frequency` repeat purchases, `recency` and age `t`
    /// (T; all in `time_unit()`) is still active at the calibration end (note eq. 36–37;
    /// `lifetimes`' `conditional_probability_alive`). 1 when `recency = t`.
    pub fn probability_alive(&self, frequency: f64, recency: f64, t: f64) -> Result<f64, ClvError> {
        check_prediction_input(frequency, recency, t, 0.0)?;
        let odds = self.log_odds_dead(frequency, recency, t)?;
        Ok(1.0 / (1.0 + odds.exp_p()))
    }

    /// Expected purchases in the next `horizon` time units of a customer with `frequency`, `recency`
    /// and age `t` (note eq. 41; `lifetimes`'
    /// `conditional_expected_number_of_purchases_up_to_time`):
    /// `P(alive) · (r+x)(β+T) / ((α+T)(s−1)) · (1 − ((β+T)/(β+T+horizon))^(s−1))`, the last factor
    /// by `expm1` (its limit `ln(1 + horizon/(β+T))` at `s = 1`).
    pub fn expected_purchases(
        &self,
        horizon: f64,
        frequency: f64,
        recency: f64,
        t: f64,
    ) -> Result<f64, ClvError> {
        check_prediction_input(frequency, recency, t, horizon)?;
        let (r, alpha, s, beta, x) = (self.r, self.alpha, self.s, self.beta, frequency);
        let alive = 1.0 / (1.0 + self.log_odds_dead(frequency, recency, t)?.exp_p());
        let log_growth = (horizon / (beta + t)).ln_1p_p();
        let lifetime = if s == 1.0 {
            log_growth
        } else {
            -(-(s - 1.0) * log_growth).exp_m1_p() / (s - 1.0)
        };
        let expected = alive * (r + x) * (beta + t) / (alpha + t) * lifetime;
        finite_prediction(expected, [frequency, recency, t, horizon]).map(|v| v.max(0.0))
    }

    /// Probability of at least one purchase in the next `horizon` time units of a customer with
    /// `frequency`, `recency` and age `t` ([`PurchaseModel::probability_purchase_within`]).
    ///
    /// Alive now, the customer's purchase rate is Gamma(r + x, α + T) and dropout rate
    /// Gamma(s, β + T), independent. The first purchase after T comes at a time `u` with
    /// survival `G(u) = (A/(A+u))^(r+x)`, `A = α + T`, if the customer stays; the remaining
    /// lifetime survives as `S(u) = (B/(B+u))^s`, `B = β + T`. So
    /// `P(purchase in horizon | alive) = ∫₀^h −G′(u) S(u) du = ∫₀^Z e^(−z) S(A·expm1(z/(r+x))) dz`
    /// with `z = −ln G(u)` and `Z = −ln G(h)`. Hand-written quadrature (the closed form is a
    /// two-point Appell-type function, and no quadrature crate is in the tree): 8-point
    /// Gauss–Legendre on panels in `z` of doubling length up to 4 (`[0, ½], [½, 1], [1, 2],
    /// [2, 4], [4, 8], [8, 12], …`, cut at `Z`; past `z = 36` the rest, under e^(−36), is left
    /// out). Checked against a fine Simpson rule in another variable and its no-dropout limit in
    /// the tests, and in `tests/clv_purchase_chance.rs` against simulated customers and against
    /// `lifetimes`' closed form of `P(X(T, T+t) = 0)` (within 1e-10).
    pub fn probability_purchase_within(
        &self,
        horizon: f64,
        frequency: f64,
        recency: f64,
        t: f64,
    ) -> Result<f64, ClvError> {
        check_prediction_input(frequency, recency, t, horizon)?;
        let alive = self.probability_alive(frequency, recency, t)?;
        let k = self.r + frequency;
        let (a_t, b_t) = (self.alpha + t, self.beta + t);
        let end = k * (horizon / a_t).ln_1p_p();
        let integrand = |z: f64| {
            let u = (a_t * (z / k).exp_m1_p()).min(horizon);
            (-z - self.s * (u / b_t).ln_1p_p()).exp_p()
        };
        let within = gauss_legendre_doubling(integrand, end.min(Z_MAX));
        let chance = alive * within.clamp(0.0, -(-end).exp_m1_p());
        finite_prediction(chance, [frequency, recency, t, horizon])
    }
}

/// `∫_a^b f` by adaptive Simpson with Richardson's correction, to an absolute `tolerance`
/// (halved at each split; at most [`SIMPSON_DEPTH`] levels).
fn adaptive_simpson(f: &dyn Fn(f64) -> f64, a: f64, b: f64, tolerance: f64) -> f64 {
    fn step(
        f: &dyn Fn(f64) -> f64,
        (a, fa): (f64, f64),
        (m, fm): (f64, f64),
        (b, fb): (f64, f64),
        whole: f64,
        tolerance: f64,
        depth: u32,
    ) -> f64 {
        let (left_mid, right_mid) = ((a + m) / 2.0, (m + b) / 2.0);
        let (fl, fr) = (f(left_mid), f(right_mid));
        let left = (m - a) / 6.0 * (fa + 4.0 * fl + fm);
        let right = (b - m) / 6.0 * (fm + 4.0 * fr + fb);
        let error = left + right - whole;
        if depth == 0 || error.abs() <= 15.0 * tolerance || !error.is_finite() {
            return left + right + error / 15.0;
        }
        step(
            f,
            (a, fa),
            (left_mid, fl),
            (m, fm),
            left,
            tolerance / 2.0,
            depth - 1,
        ) + step(
            f,
            (m, fm),
            (right_mid, fr),
            (b, fb),
            right,
            tolerance / 2.0,
            depth - 1,
        )
    }
    let (fa, fb, m) = (f(a), f(b), (a + b) / 2.0);
    let fm = f(m);
    let whole = (b - a) / 6.0 * (fa + 4.0 * fm + fb);
    step(
        f,
        (a, fa),
        (m, fm),
        (b, fb),
        whole,
        tolerance,
        SIMPSON_DEPTH,
    )
}

/// Deepest split of [`adaptive_simpson`].
const SIMPSON_DEPTH: u32 = 40;

/// Where [`ParetoNbdModel::probability_purchase_within`] stops integrating (e^(−36) ≈ 2e−16).
const Z_MAX: f64 = 36.0;

/// Longest panel of [`gauss_legendre_doubling`]: 8 nodes integrate e^(−z) over 4 to about 3e−9
/// of its value there (over 16 only to 10 %).
const PANEL_MAX: f64 = 4.0;

/// The 8-point Gauss–Legendre rule on [−1, 1] (Abramowitz and Stegun, table 25.4): positive
/// nodes and their weights.
const GAUSS_LEGENDRE_8: [(f64, f64); 4] = [
    (0.183_434_642_495_649_8, 0.362_683_783_378_362),
    (0.525_532_409_916_329, 0.313_706_645_877_887_3),
    (0.796_666_477_413_626_7, 0.222_381_034_453_374_5),
    (0.960_289_856_497_536_3, 0.101_228_536_290_376_3),
];

/// `∫₀^end f(z) dz` by 8-point Gauss–Legendre on `[0, ½], [½, 1], [1, 2], [2, 4]`, then panels
/// of [`PANEL_MAX`], cut at `end`.
fn gauss_legendre_doubling(f: impl Fn(f64) -> f64, end: f64) -> f64 {
    let mut total = 0.0;
    let (mut low, mut length) = (0.0, 0.5_f64);
    while low < end {
        let high = (low + length).min(end);
        let (mid, half) = ((low + high) / 2.0, (high - low) / 2.0);
        for (node, weight) in GAUSS_LEGENDRE_8 {
            total += weight * half * (f(mid - half * node) + f(mid + half * node));
        }
        low = high;
        length = if low < 1.0 {
            low
        } else {
            (2.0 * length).min(PANEL_MAX)
        };
    }
    total
}

impl PurchaseModel for ParetoNbdModel {
    fn name(&self) -> &'static str {
        NAME
    }
    fn time_unit(&self) -> TimeUnit {
        ParetoNbdModel::time_unit(self)
    }
    fn probability_alive(&self, frequency: f64, recency: f64, t: f64) -> Result<f64, ClvError> {
        ParetoNbdModel::probability_alive(self, frequency, recency, t)
    }
    fn expected_purchases(
        &self,
        horizon: f64,
        frequency: f64,
        recency: f64,
        t: f64,
    ) -> Result<f64, ClvError> {
        ParetoNbdModel::expected_purchases(self, horizon, frequency, recency, t)
    }
    fn probability_purchase_within(
        &self,
        horizon: f64,
        frequency: f64,
        recency: f64,
        t: f64,
    ) -> Result<f64, ClvError> {
        ParetoNbdModel::probability_purchase_within(self, horizon, frequency, recency, t)
    }
    fn expected_rate_if_alive(&self, frequency: f64, t: f64) -> f64 {
        (self.r + frequency) / (self.alpha + t)
    }
    fn parameters(&self) -> [f64; 4] {
        self.params()
    }
    fn parameter_covariance(&self) -> Option<&[f64]> {
        self.covariance()
    }
    fn with_parameters(&self, p: [f64; 4]) -> Result<Box<dyn PurchaseModel>, ClvError> {
        let model = ParetoNbdModel::from_parameters(p[0], p[1], p[2], p[3], self.time_unit)?;
        Ok(Box::new(model))
    }
    /// `lifetimes`' `expected_number_of_purchases_up_to_time`:
    /// `r·β / (α·(s−1)) · [1 − (β/(β+t))^(s−1)]`, and its limit `(r·β/α) · ln(1 + t/β)` at s = 1.
    fn expected_purchases_new_customer(&self, t: f64) -> f64 {
        let (r, alpha, s, beta) = (self.r(), self.alpha(), self.s(), self.beta());
        if t <= 0.0 {
            return 0.0;
        }
        let value = if (s - 1.0).abs() < 1e-9 {
            r * beta / alpha * (t / beta).ln_1p_p()
        } else {
            -r * beta / (alpha * (s - 1.0)) * ((s - 1.0) * (beta / (beta + t)).ln_p()).exp_m1_p()
        };
        if value.is_finite() {
            value.max(0.0)
        } else {
            0.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clv::optimize::assert_gradient_matches_finite_differences;

    /// The chance of a purchase in the horizon given alive, by a fine composite Simpson rule of
    /// `∫₀^h (r+x)/(A+u) (A/(A+u))^(r+x) (B/(B+u))^s du` in `v = ln(1 + u/A)` (another
    /// variable and rule than the code's).
    fn chance_if_alive_simpson(m: &ParetoNbdModel, horizon: f64, x: f64, t: f64) -> f64 {
        let (k, a_t, b_t) = (m.r + x, m.alpha + t, m.beta + t);
        let end = (horizon / a_t).ln_1p();
        let n = 200_000;
        let h = end / f64::from(n);
        let f = |v: f64| k * (-k * v).exp() * (b_t / (b_t + a_t * v.exp_m1())).powf(m.s);
        let inner: f64 = (1..n)
            .map(|i| f(f64::from(i) * h) * if i % 2 == 1 { 4.0 } else { 2.0 })
            .sum();
        (f(0.0) + inner + f(end)) * h / 3.0
    }

    #[test]
    fn purchase_chance_matches_a_fine_simpson_rule() {
        let mut worst: f64 = 0.0;
        for (r, alpha, s, beta) in [
            (0.55, 10.6, 0.61, 11.7),
            (0.24, 4.4, 0.6, 82.2),
            (2.0, 30.0, 9989.0, 1.16e6),
            (0.8, 60.0, 0.9, 200.0),
            (50.0, 5.0, 0.1, 1000.0),
        ] {
            let m = ParetoNbdModel::from_parameters(r, alpha, s, beta, TimeUnit::Days).unwrap();
            for (x, t) in [
                (0.0, 30.0),
                (0.0, 500.0),
                (3.0, 200.0),
                (40.0, 120.0),
                (200.0, 700.0),
            ] {
                for horizon in [1.0, 30.0, 180.0, 3650.0] {
                    let alive = m.probability_alive(x, t, t).unwrap();
                    let got = m.probability_purchase_within(horizon, x, t, t).unwrap() / alive;
                    let want = chance_if_alive_simpson(&m, horizon, x, t);
                    worst = worst.max((got - want).abs());
                    assert!(
                        (got - want).abs() < 1e-9,
                        "r {r} α {alpha} s {s} β {beta}, x {x} T {t} h {horizon}: {got} vs {want}"
                    );
                }
            }
        }
        assert!(worst > 0.0);
    }

    /// The probability alive from its integral equals the 2F1 form where both work, and stands in
    /// where the 2F1's continued fraction gives up (parameters of a random file's fit).
    #[test]
    fn probability_alive_by_quadrature_matches_the_2f1_form() {
        for (r, alpha, s, beta) in [
            (0.55, 10.6, 0.61, 11.7),
            (0.24, 4.4, 0.6, 82.2),
            (0.8, 60.0, 0.9, 200.0),
            (2.0, 30.0, 40.0, 9000.0),
            (0.7, 300.0, 2.0, 20.0),
        ] {
            let m = ParetoNbdModel::from_parameters(r, alpha, s, beta, TimeUnit::Days).unwrap();
            for (x, tx, t) in [
                (0.0, 0.0, 30.0),
                (0.0, 0.0, 500.0),
                (1.0, 20.0, 300.0),
                (3.0, 190.0, 200.0),
                (40.0, 100.0, 400.0),
                (200.0, 650.0, 700.0),
            ] {
                let closed = m.log_odds_dead(x, tx, t).unwrap();
                let quadrature = m.log_odds_dead_by_quadrature(x, tx, t);
                let (p, q) = (1.0 / (1.0 + closed.exp()), 1.0 / (1.0 + quadrature.exp()));
                assert!(
                    (p - q).abs() < 1e-9 && (closed - quadrature).abs() < 1e-7 * closed.abs().max(1.0),
                    "r {r} α {alpha} s {s} β {beta}, x {x} t_x {tx} T {t}: {closed} vs {quadrature}"
                );
            }
        }
        let m = ParetoNbdModel::from_parameters(
            0.816_278_945_755_077,
            5.525_125_226_598_567,
            103.558_845_219_720_92,
            6_138_366.132_281_446,
            TimeUnit::Days,
        )
        .unwrap();
        let p = m.probability_alive(0.0, 0.0, 17.0).unwrap();
        // Near that limit dropout is one rate μ = s/β for everyone, and the odds of having died
        // are about μ ∫₀^T ((α+T)/(α+τ))^r dτ = μ (α+T)^r ((α+T)^(1−r) − α^(1−r)) / (1 − r).
        let (r, alpha, t) = (0.816_278_945_755_077_f64, 5.525_125_226_598_567_f64, 17.0);
        let mu = 103.558_845_219_720_92 / 6_138_366.132_281_446;
        let integral =
            (alpha + t).powf(r) * ((alpha + t).powf(1.0 - r) - alpha.powf(1.0 - r)) / (1.0 - r);
        let limit = 1.0 / (1.0 + mu * integral);
        assert!((p - limit).abs() < 1e-6, "{p} vs {limit}");
    }

    /// Without dropout (s → 0) the chance is the NBD's `1 − (A/(A+h))^(r+x)`; it grows with the
    /// horizon and never passes the probability alive.
    #[test]
    fn purchase_chance_limits_and_order() {
        let m = ParetoNbdModel::from_parameters(0.7, 50.0, 1e-12, 100.0, TimeUnit::Days).unwrap();
        let (x, tx, t, h) = (2.0, 100.0, 300.0, 90.0);
        let nbd = 1.0 - (350.0_f64 / 440.0).powf(2.7);
        let alive = m.probability_alive(x, tx, t).unwrap();
        assert!((alive - 1.0).abs() < 1e-9);
        let got = m.probability_purchase_within(h, x, tx, t).unwrap();
        assert!((got - nbd).abs() < 1e-9, "{got} vs {nbd}");

        let m = ParetoNbdModel::from_parameters(0.7, 50.0, 0.8, 100.0, TimeUnit::Days).unwrap();
        let mut previous = 0.0;
        for h in [0.0, 1.0, 10.0, 100.0, 1000.0, 1e5] {
            let p = m.probability_purchase_within(h, x, tx, t).unwrap();
            assert!(
                p >= previous && p <= m.probability_alive(x, tx, t).unwrap(),
                "{h}: {p}"
            );
            previous = p;
        }
        assert!(m.probability_purchase_within(-1.0, x, tx, t).is_err());
    }

    fn summary() -> CustomerSummary {
        CustomerSummary::from_columns(
            vec![0.0, 2.0, 5.0, 1.0, 3.0, 0.0],
            vec![0.0, 10.0, 30.0, 3.0, 20.0, 0.0],
            vec![40.0, 38.0, 35.0, 20.0, 20.0, 0.0],
            vec![0.0; 6],
            TimeUnit::Days,
        )
    }

    #[test]
    fn analytic_gradient_matches_finite_differences() {
        let p = Patterns::new(&summary(), 1.0).unwrap();
        // alpha > beta, alpha < beta, alpha = beta (z = 0), and z close to 1.
        for base in [
            [0.7, 8.0, 0.6, 2.2],
            [0.55, 3.0, 1.4, 12.0],
            [1.3, 5.0, 0.8, 5.0],
            [2.5, 0.01, 0.4, 300.0],
        ] {
            assert_gradient_matches_finite_differences(
                |params, gradient| p.log_likelihood(params, gradient),
                base,
            );
        }
    }

    #[test]
    fn the_likelihood_on_a_rescaled_time_axis_converts_back() {
        let s = summary();
        let m = ParetoNbdModel::from_parameters(0.7, 8.0, 0.6, 22.0, TimeUnit::Days).unwrap();
        let direct = m.log_likelihood_of(&s).unwrap();
        let scaled = Patterns::new(&s, 1.0 / 40.0).unwrap();
        let converted = scaled.unscaled_log_likelihood(m.params(), 1.0 / 40.0);
        assert!(
            (direct - converted).abs() < 1e-12 * direct.abs(),
            "{direct} {converted}"
        );
    }

    #[test]
    fn ln_h_is_the_integral_it_stands_for() {
        // H(y) = (r+s+x) ∫_y^∞ (α+τ)^−(r+x) (β+τ)^−(s+1) dτ; closed form when α = β:
        // (α+y)^−(r+s+x).
        let at = |params: [f64; 4]| {
            ln_h_with_gradient(params, 3.0, TimeTerms::new(params[1], params[3], 2.5))
        };
        let (value, _) = at([0.8, 4.0, 1.7, 4.0]);
        assert!((value - -(0.8 + 1.7 + 3.0) * 6.5_f64.ln_p()).abs() < 1e-13);
        // Both branches agree as α crosses β.
        let below = at([0.8, 4.0 - 1e-9, 1.7, 4.0]);
        let above = at([0.8, 4.0 + 1e-9, 1.7, 4.0]);
        assert!((below.0 - above.0).abs() < 1e-8);
        for i in 0..4 {
            assert!((below.1[i] - above.1[i]).abs() < 1e-6, "{i}");
        }
    }

    #[test]
    fn predictions_refuse_inputs_outside_the_domain() {
        let m = ParetoNbdModel::from_parameters(0.5, 10.0, 0.8, 12.0, TimeUnit::Days).unwrap();
        assert!(m.probability_alive(2.0, 50.0, 40.0).is_err());
        assert!(m.expected_purchases(-1.0, 2.0, 5.0, 40.0).is_err());
        assert!(m.expected_purchases(30.0, f64::NAN, 5.0, 40.0).is_err());
        assert_eq!(m.probability_alive(0.0, 0.0, 0.0), Ok(1.0));
        assert_eq!(m.probability_alive(4.0, 40.0, 40.0), Ok(1.0));
        assert_eq!(m.expected_purchases(0.0, 3.0, 5.0, 40.0), Ok(0.0));
        assert!(ParetoNbdModel::from_parameters(0.5, 0.0, 0.8, 12.0, TimeUnit::Days).is_err());
        // s = 1 takes the logarithmic limit; it is continuous there.
        let at = |s: f64| {
            ParetoNbdModel::from_parameters(0.5, 10.0, s, 12.0, TimeUnit::Days)
                .unwrap()
                .expected_purchases(30.0, 2.0, 5.0, 40.0)
                .unwrap()
        };
        assert!((at(1.0) - at(1.0 + 1e-9)).abs() < 1e-7);
    }

    #[test]
    fn the_purchase_model_trait_forwards() {
        let m = ParetoNbdModel::from_parameters(0.5, 10.0, 0.8, 12.0, TimeUnit::Weeks).unwrap();
        let dynamic: &dyn PurchaseModel = &m;
        assert_eq!(dynamic.name(), "Pareto/NBD");
        assert_eq!(dynamic.time_unit(), TimeUnit::Weeks);
        assert_eq!(
            dynamic.probability_alive(2.0, 5.0, 30.0),
            m.probability_alive(2.0, 5.0, 30.0)
        );
        assert!((dynamic.expected_rate_if_alive(2.0, 30.0) - 2.5 / 40.0).abs() < 1e-15);
    }
}
