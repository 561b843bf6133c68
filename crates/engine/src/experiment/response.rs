//! The response model: L2-regularised logistic regression on standardised features, solved by
//! Newton's method (IRLS), and its evaluation tables (AUC, deciles with lift and gain,
//! calibration), plus a seeded train/test split.
//!
//! [`LogisticParams::new`] → builder methods → [`LogisticParams::check`] →
//! [`LogisticValidParams::fit`] → [`LogisticModel`] ([`LogisticModel::predict_probability`]).
//! Checked against scikit-learn and pandas in `tests/experiment_models.rs`.

// Counts become f64 exactly below 2^52 rows; views are cheap to pass by value (linfa's shape);
// tied scores are grouped by exact equality on purpose.
#![allow(
    clippy::cast_precision_loss,
    clippy::needless_pass_by_value,
    clippy::float_cmp
)]
use ndarray::{Array2, ArrayView2};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_pcg::Pcg64;
use serde::{Deserialize, Serialize};

/// Why a model could not be set up, fitted or applied.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum ModelError {
    /// No rows, or every row has weight 0.
    #[error("no rows to fit")]
    Empty,
    /// Every (weighted) row is a responder, or none is.
    #[error("all rows have the same outcome")]
    OneClass,
    /// Two inputs that must agree in length (rows, labels, weights) or columns do not.
    #[error("shape mismatch: expected {expected}, found {found}")]
    ShapeMismatch {
        /// The length or column count required.
        expected: usize,
        /// The one given.
        found: usize,
    },
    /// A feature value is NaN or infinite (also after standardisation).
    #[error("non-finite value at row {row}, column {column}")]
    NonFinite {
        /// 0-based row of the matrix given.
        row: usize,
        /// 0-based column.
        column: usize,
    },
    /// A weight is negative, NaN or infinite.
    #[error("invalid weight at row {row}")]
    InvalidWeight {
        /// 0-based row.
        row: usize,
    },
    /// The L2 penalty is not positive and finite.
    #[error("the L2 penalty must be positive and finite, got {value}")]
    InvalidPenalty {
        /// The rejected penalty.
        value: f64,
    },
    /// The tolerance is not positive and finite, or the iteration cap is 0.
    #[error("invalid solver setting {name}: {value}")]
    InvalidSolver {
        /// `tolerance` or `max_iterations`.
        name: String,
        /// The rejected value.
        value: f64,
    },
    /// The test share is outside `[0, 1)`.
    #[error("the test share must be in [0, 1), got {value}")]
    InvalidTestShare {
        /// The rejected share.
        value: f64,
    },
    /// The uplift model's training rows hold no treated (or no control) row.
    #[error("no training row in the {} group", if *treated { "treated" } else { "control" })]
    EmptyGroup {
        /// True for the treated group, false for control.
        treated: bool,
    },
    /// Newton's method did not meet the tolerance within the iteration cap.
    #[error("no convergence in {iterations} iterations")]
    NotConverged {
        /// Iterations run.
        iterations: usize,
    },
}

/// Settings of a logistic regression, unchecked. Defaults ([`LogisticParams::new`]):
/// `l2_penalty` 1.0 (scikit-learn's default `C = 1`), `max_iterations` 100, `tolerance` 1e-10.
///
/// The fit minimises, over the intercept `b` and the coefficients `w` of the standardised
/// features `z`,
///
/// ```text
/// Σᵢ sᵢ · logloss(yᵢ, σ(b + zᵢ·w)) + (l2_penalty / 2) · ‖w‖²
/// ```
///
/// with sample weights `sᵢ` (1 without weights) and an unpenalised intercept. scikit-learn's
/// `LogisticRegression` minimises `½‖w‖² + C · Σᵢ sᵢ · logloss`, the same objective divided by
/// `l2_penalty`: so `l2_penalty = 1 / C`, and both give the same coefficients.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LogisticParams {
    l2_penalty: f64,
    max_iterations: usize,
    tolerance: f64,
}

impl Default for LogisticParams {
    fn default() -> Self {
        Self::new()
    }
}

impl LogisticParams {
    /// The defaults: `l2_penalty` 1.0, `max_iterations` 100, `tolerance` 1e-10.
    #[must_use]
    pub fn new() -> Self {
        Self {
            l2_penalty: 1.0,
            max_iterations: 100,
            tolerance: 1e-10,
        }
    }

    /// The L2 penalty λ on the standardised coefficients (`1 / C` in scikit-learn); must be
    /// positive and finite.
    #[must_use]
    pub fn l2_penalty(mut self, l2_penalty: f64) -> Self {
        self.l2_penalty = l2_penalty;
        self
    }

    /// The cap on Newton iterations (at least 1).
    #[must_use]
    pub fn max_iterations(mut self, max_iterations: usize) -> Self {
        self.max_iterations = max_iterations;
        self
    }

    /// Newton stops when no parameter moves by more than this in one step (positive, finite).
    #[must_use]
    pub fn tolerance(mut self, tolerance: f64) -> Self {
        self.tolerance = tolerance;
        self
    }

    /// Validates the settings.
    ///
    /// # Errors
    /// [`ModelError::InvalidPenalty`] or [`ModelError::InvalidSolver`].
    pub fn check(self) -> Result<LogisticValidParams, ModelError> {
        if !(self.l2_penalty.is_finite() && self.l2_penalty > 0.0) {
            return Err(ModelError::InvalidPenalty {
                value: self.l2_penalty,
            });
        }
        if !(self.tolerance.is_finite() && self.tolerance > 0.0) {
            return Err(ModelError::InvalidSolver {
                name: "tolerance".to_string(),
                value: self.tolerance,
            });
        }
        if self.max_iterations == 0 {
            return Err(ModelError::InvalidSolver {
                name: "max_iterations".to_string(),
                value: 0.0,
            });
        }
        Ok(LogisticValidParams(self))
    }
}

/// Checked [`LogisticParams`]: the only way to fit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LogisticValidParams(LogisticParams);

impl LogisticValidParams {
    /// The L2 penalty.
    #[must_use]
    pub fn l2_penalty(&self) -> f64 {
        self.0.l2_penalty
    }

    /// The iteration cap.
    #[must_use]
    pub fn max_iterations(&self) -> usize {
        self.0.max_iterations
    }

    /// The step tolerance.
    #[must_use]
    pub fn tolerance(&self) -> f64 {
        self.0.tolerance
    }

    /// Fits the model: standardises each column (mean, population standard deviation, as
    /// scikit-learn's `StandardScaler`; a constant column gets scale 1; the standardisation is
    /// unweighted), then runs Newton's method with step halving from all-zero parameters.
    ///
    /// # Errors
    /// [`ModelError::Empty`] (no rows, or all weights 0), [`ModelError::ShapeMismatch`] (`y` or
    /// `weights` not one per row), [`ModelError::NonFinite`], [`ModelError::InvalidWeight`],
    /// [`ModelError::OneClass`] (among rows of positive weight), [`ModelError::NotConverged`].
    pub fn fit(
        &self,
        x: ArrayView2<f64>,
        y: &[bool],
        weights: Option<&[f64]>,
    ) -> Result<LogisticModel, ModelError> {
        let n = x.nrows();
        if y.len() != n {
            return Err(ModelError::ShapeMismatch {
                expected: n,
                found: y.len(),
            });
        }
        let ones;
        let weights = if let Some(w) = weights {
            if w.len() != n {
                return Err(ModelError::ShapeMismatch {
                    expected: n,
                    found: w.len(),
                });
            }
            if let Some(row) = w.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
                return Err(ModelError::InvalidWeight { row });
            }
            w
        } else {
            ones = vec![1.0; n];
            &ones
        };
        check_finite(x)?;
        if n == 0 || weights.iter().sum::<f64>() <= 0.0 {
            return Err(ModelError::Empty);
        }
        let positive = y.iter().zip(weights).filter(|(_, w)| **w > 0.0);
        let (mut any_yes, mut any_no) = (false, false);
        for (label, _) in positive {
            any_yes |= *label;
            any_no |= !*label;
        }
        if !(any_yes && any_no) {
            return Err(ModelError::OneClass);
        }
        let (means, scales) = standardisation(x);
        let z = standardise(x, &means, &scales)?;
        let (intercept, coefficients, iterations) = newton(&z, y, weights, &self.0)?;
        Ok(LogisticModel {
            means,
            scales,
            intercept,
            coefficients,
            iterations,
        })
    }
}

/// A fitted logistic regression: the standardisation and the parameters on the standardised scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LogisticModel {
    means: Vec<f64>,
    scales: Vec<f64>,
    intercept: f64,
    coefficients: Vec<f64>,
    iterations: usize,
}

impl LogisticModel {
    /// Coefficients of the standardised features (one per column).
    #[must_use]
    pub fn coefficients(&self) -> &[f64] {
        &self.coefficients
    }

    /// Intercept on the standardised scale (the log-odds at the mean row).
    #[must_use]
    pub fn intercept(&self) -> f64 {
        self.intercept
    }

    /// Column means used for standardising.
    #[must_use]
    pub fn means(&self) -> &[f64] {
        &self.means
    }

    /// Column scales (population standard deviations; 1 for a constant column).
    #[must_use]
    pub fn scales(&self) -> &[f64] {
        &self.scales
    }

    /// Coefficients on the original feature scale: `coefficient / scale`.
    #[must_use]
    pub fn coefficients_original_scale(&self) -> Vec<f64> {
        self.coefficients
            .iter()
            .zip(&self.scales)
            .map(|(w, s)| w / s)
            .collect()
    }

    /// Intercept on the original feature scale: `intercept − Σ coefficient · mean / scale`.
    #[must_use]
    pub fn intercept_original_scale(&self) -> f64 {
        let shift: f64 = self
            .coefficients
            .iter()
            .zip(&self.scales)
            .zip(&self.means)
            .map(|((w, s), m)| w * m / s)
            .sum();
        self.intercept - shift
    }

    /// Newton iterations the fit took.
    #[must_use]
    pub fn iterations(&self) -> usize {
        self.iterations
    }

    /// P(response) per row of `x` (the same columns as the fit), in `[0, 1]`.
    ///
    /// # Errors
    /// [`ModelError::ShapeMismatch`] (another column count) or [`ModelError::NonFinite`] (a
    /// value NaN or infinite, or overflowing when standardised).
    pub fn predict_probability(&self, x: ArrayView2<f64>) -> Result<Vec<f64>, ModelError> {
        if x.ncols() != self.means.len() {
            return Err(ModelError::ShapeMismatch {
                expected: self.means.len(),
                found: x.ncols(),
            });
        }
        check_finite(x)?;
        let z = standardise(x, &self.means, &self.scales)?;
        Ok(z.rows()
            .into_iter()
            .map(|row| sigmoid(linear(self.intercept, &self.coefficients, row.iter())))
            .collect())
    }
}

fn check_finite(x: ArrayView2<f64>) -> Result<(), ModelError> {
    for (row, values) in x.rows().into_iter().enumerate() {
        if let Some(column) = values.iter().position(|v| !v.is_finite()) {
            return Err(ModelError::NonFinite { row, column });
        }
    }
    Ok(())
}

/// Means and population standard deviations; scikit-learn's constant-feature rule
/// (`var <= n·ε·var + (n·mean·ε)²`) gives scale 1.
fn standardisation(x: ArrayView2<f64>) -> (Vec<f64>, Vec<f64>) {
    let n = x.nrows() as f64;
    let mut means = Vec::with_capacity(x.ncols());
    let mut scales = Vec::with_capacity(x.ncols());
    for column in x.columns() {
        let mean = column.sum() / n;
        let var = column.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n;
        let eps = f64::EPSILON;
        let constant = var <= n * eps * var + (n * mean * eps) * (n * mean * eps);
        let scale = libm::sqrt(var);
        means.push(mean);
        scales.push(if constant || scale <= 0.0 || !scale.is_finite() {
            1.0
        } else {
            scale
        });
    }
    (means, scales)
}

fn standardise(
    x: ArrayView2<f64>,
    means: &[f64],
    scales: &[f64],
) -> Result<Array2<f64>, ModelError> {
    let mut z = x.to_owned();
    for (row, mut values) in z.rows_mut().into_iter().enumerate() {
        for (column, ((v, m), s)) in values.iter_mut().zip(means).zip(scales).enumerate() {
            *v = (*v - m) / s;
            if !v.is_finite() {
                return Err(ModelError::NonFinite { row, column });
            }
        }
    }
    Ok(z)
}

fn linear<'a>(intercept: f64, coefficients: &[f64], row: impl Iterator<Item = &'a f64>) -> f64 {
    intercept
        + coefficients
            .iter()
            .zip(row)
            .map(|(w, v)| w * v)
            .sum::<f64>()
}

/// The logistic function, without overflow.
pub(crate) fn sigmoid(eta: f64) -> f64 {
    if eta >= 0.0 {
        1.0 / (1.0 + libm::exp(-eta))
    } else {
        let e = libm::exp(eta);
        e / (1.0 + e)
    }
}

/// `ln(1 + e^η)` without overflow.
fn softplus(eta: f64) -> f64 {
    eta.max(0.0) + libm::log1p(libm::exp(-eta.abs()))
}

#[allow(clippy::many_single_char_names)] // the formulas' own letters
fn objective(z: &Array2<f64>, y: &[bool], s: &[f64], b: f64, w: &[f64], lambda: f64) -> f64 {
    let loss: f64 = z
        .rows()
        .into_iter()
        .zip(y)
        .zip(s)
        .map(|((row, label), weight)| {
            let eta = linear(b, w, row.iter());
            weight * (softplus(eta) - if *label { eta } else { 0.0 })
        })
        .sum();
    loss + 0.5 * lambda * w.iter().map(|v| v * v).sum::<f64>()
}

/// Newton's method with step halving. Parameters: `[b, w₁, …, w_p]`.
#[allow(clippy::many_single_char_names)] // the formulas' own letters
fn newton(
    z: &Array2<f64>,
    y: &[bool],
    s: &[f64],
    params: &LogisticParams,
) -> Result<(f64, Vec<f64>, usize), ModelError> {
    let p = z.ncols();
    let dim = p + 1;
    let lambda = params.l2_penalty;
    let mut b = 0.0;
    let mut w = vec![0.0; p];
    let mut current = objective(z, y, s, b, &w, lambda);
    for iteration in 1..=params.max_iterations {
        // Gradient and Hessian, with the constant 1 as feature 0 (the intercept).
        let mut gradient = vec![0.0; dim];
        let mut hessian = vec![0.0; dim * dim];
        let mut features = vec![1.0; dim];
        for ((row, label), weight) in z.rows().into_iter().zip(y).zip(s) {
            if *weight == 0.0 {
                continue;
            }
            for (f, v) in features.iter_mut().skip(1).zip(row.iter()) {
                *f = *v;
            }
            let mu = sigmoid(linear(b, &w, row.iter()));
            let residual = weight * (mu - if *label { 1.0 } else { 0.0 });
            let curvature = weight * mu * (1.0 - mu);
            for (g, f) in gradient.iter_mut().zip(&features) {
                *g += residual * f;
            }
            for (h_row, fi) in hessian.chunks_exact_mut(dim).zip(&features) {
                for (h, fj) in h_row.iter_mut().zip(&features) {
                    *h += curvature * fi * fj;
                }
            }
        }
        for (k, wk) in w.iter().enumerate() {
            if let Some(g) = gradient.get_mut(k + 1) {
                *g += lambda * wk;
            }
            if let Some(h) = hessian.get_mut((k + 1) * dim + k + 1) {
                *h += lambda;
            }
        }
        let step = solve_spd(&hessian, &gradient, dim).ok_or(ModelError::NotConverged {
            iterations: iteration,
        })?;
        // Step halving: accept the first step that does not raise the objective.
        let mut t = 1.0;
        let mut accepted = None;
        for _ in 0..60 {
            let (b_new, w_new) = shifted(b, &w, &step, t);
            let value = objective(z, y, s, b_new, &w_new, lambda);
            if value.is_finite() && value <= current {
                accepted = Some((b_new, w_new, value));
                break;
            }
            t *= 0.5;
        }
        let largest_move = step.iter().fold(0.0_f64, |m, d| m.max((t * d).abs()));
        match accepted {
            Some((b_new, w_new, value)) => {
                b = b_new;
                w = w_new;
                current = value;
                if largest_move <= params.tolerance {
                    return Ok((b, w, iteration));
                }
            }
            // No step lowers the objective: the parameters are optimal to machine precision.
            None => return Ok((b, w, iteration)),
        }
    }
    Err(ModelError::NotConverged {
        iterations: params.max_iterations,
    })
}

fn shifted(b: f64, w: &[f64], step: &[f64], t: f64) -> (f64, Vec<f64>) {
    let b_new = b - t * step.first().copied().unwrap_or(0.0);
    let w_new = w
        .iter()
        .zip(step.iter().skip(1))
        .map(|(v, d)| v - t * d)
        .collect();
    (b_new, w_new)
}

/// Solves `A x = r` for a symmetric positive definite `A` (row-major, `dim × dim`) by Cholesky;
/// `None` when `A` is not positive definite.
#[allow(clippy::many_single_char_names)] // the formulas' own letters
fn solve_spd(a: &[f64], r: &[f64], dim: usize) -> Option<Vec<f64>> {
    let at = |i: usize, j: usize| a.get(i * dim + j).copied();
    let mut l = vec![0.0; dim * dim];
    for i in 0..dim {
        for j in 0..=i {
            let mut sum = at(i, j)?;
            for k in 0..j {
                sum -= l.get(i * dim + k)? * l.get(j * dim + k)?;
            }
            let value = if i == j {
                if sum <= 0.0 || !sum.is_finite() {
                    return None;
                }
                libm::sqrt(sum)
            } else {
                sum / l.get(j * dim + j)?
            };
            *l.get_mut(i * dim + j)? = value;
        }
    }
    // L u = r, then Lᵀ x = u.
    let mut u = vec![0.0; dim];
    for i in 0..dim {
        let mut sum = *r.get(i)?;
        for k in 0..i {
            sum -= l.get(i * dim + k)? * u.get(k)?;
        }
        *u.get_mut(i)? = sum / l.get(i * dim + i)?;
    }
    let mut x = vec![0.0; dim];
    for i in (0..dim).rev() {
        let mut sum = *u.get(i)?;
        for k in i + 1..dim {
            sum -= l.get(k * dim + i)? * x.get(k)?;
        }
        *x.get_mut(i)? = sum / l.get(i * dim + i)?;
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// Area under the ROC curve (tied scores count half), as scikit-learn's `roc_auc_score`: the
/// Mann–Whitney U of the positives over `positives × negatives`. `None` when the lengths differ,
/// a score is not finite, or the labels hold one class only.
#[must_use]
pub fn auc(scores: &[f64], labels: &[bool]) -> Option<f64> {
    if scores.len() != labels.len() || scores.iter().any(|s| !s.is_finite()) {
        return None;
    }
    let positives = labels.iter().filter(|l| **l).count();
    let negatives = labels.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|a, b| score_at(scores, *a).total_cmp(&score_at(scores, *b)));
    // Sum of the (1-based, tie-averaged) ranks of the positives.
    let mut rank_sum = 0.0;
    let mut start = 0;
    while start < order.len() {
        let value = score_at(scores, order.get(start).copied().unwrap_or(0));
        let end = order
            .iter()
            .skip(start)
            .position(|i| score_at(scores, *i) != value)
            .map_or(order.len(), |offset| start + offset);
        let average_rank = (start + 1 + end) as f64 / 2.0;
        let tied_positives = order
            .get(start..end)
            .unwrap_or_default()
            .iter()
            .filter(|i| labels.get(**i).copied().unwrap_or(false))
            .count();
        rank_sum += average_rank * tied_positives as f64;
        start = end;
    }
    let (np, nn) = (positives as f64, negatives as f64);
    let u = rank_sum - np * (np + 1.0) / 2.0;
    Some((u / (np * nn)).clamp(0.0, 1.0))
}

fn score_at(scores: &[f64], i: usize) -> f64 {
    scores.get(i).copied().unwrap_or(0.0)
}

/// One row of the decile (gains) table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decile {
    /// 1 = the highest scores … 10 = the lowest.
    pub decile: u8,
    /// Rows in the decile.
    pub customers: u64,
    /// Responders in the decile.
    pub responders: u64,
    /// `responders / customers`.
    pub response_rate: f64,
    /// The decile's response rate over the overall rate (0 when nobody responded).
    pub lift: f64,
    /// Responders in deciles 1 to this one.
    pub cumulative_responders: u64,
    /// Share of all responders captured by deciles 1 to this one (0 when nobody responded).
    pub cumulative_gain: f64,
    /// The response rate of deciles 1 to this one over the overall rate (0 when nobody responded).
    pub cumulative_lift: f64,
    /// Lowest score in the decile.
    pub min_score: f64,
    /// Highest score in the decile.
    pub max_score: f64,
}

/// Rows ordered by descending score, ties by ascending index: the positions `0..n`.
fn descending_order(scores: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|a, b| {
        score_at(scores, *b)
            .partial_cmp(&score_at(scores, *a))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.cmp(b))
    });
    order
}

/// The decile (1..=10) of the row at 0-based position `r` of `n` (descending score order).
/// pandas' `qcut(rank, 10)` rule, in exact integer arithmetic: the edges are the 0 %, 10 %, …,
/// 100 % quantiles (linear interpolation) of the positions, so edge k sits at `r = k·(n−1)/10`;
/// bins are closed on the right and the first also holds `r = 0`. Thus position 0 is decile 1 and
/// position `r ≥ 1` is decile `⌈10·r / (n−1)⌉`.
fn decile_of(r: usize, n: usize) -> u8 {
    if r == 0 || n < 2 {
        return 1;
    }
    let d = (10 * r).div_ceil(n - 1);
    u8::try_from(d.clamp(1, 10)).unwrap_or(10)
}

/// The decile table: rows sorted by descending score (ties broken by ascending row index, so it
/// is deterministic) and cut into ten near-equal groups by pandas' `qcut` on the rank
/// (`score.rank(method="first", ascending=False)`): the row at 0-based position `r` of `n` is in
/// decile 1 when `r = 0`, else in decile `⌈10·r / (n−1)⌉` (the edges are the quantiles of the
/// positions, closed on the right), so sizes differ by at most 1. Only non-empty deciles are listed (fewer than 10 rows give gaps).
/// Empty when the lengths differ, there are no rows, or a score is not finite.
#[must_use]
pub fn decile_table(scores: &[f64], labels: &[bool]) -> Vec<Decile> {
    if scores.len() != labels.len() || scores.is_empty() || scores.iter().any(|s| !s.is_finite()) {
        return Vec::new();
    }
    let n = scores.len();
    let total_responders = labels.iter().filter(|l| **l).count() as u64;
    let overall_rate = total_responders as f64 / n as f64;
    let ratio = |rate: f64| {
        if overall_rate > 0.0 {
            rate / overall_rate
        } else {
            0.0
        }
    };
    let mut table: Vec<Decile> = Vec::new();
    let (mut cumulative_customers, mut cumulative_responders) = (0_u64, 0_u64);
    for (r, i) in descending_order(scores).into_iter().enumerate() {
        let decile = decile_of(r, n);
        let score = score_at(scores, i);
        let responder = u64::from(labels.get(i).copied().unwrap_or(false));
        cumulative_customers += 1;
        cumulative_responders += responder;
        match table.last_mut() {
            Some(last) if last.decile == decile => {
                last.customers += 1;
                last.responders += responder;
                last.min_score = last.min_score.min(score);
                last.max_score = last.max_score.max(score);
            }
            _ => table.push(Decile {
                decile,
                customers: 1,
                responders: responder,
                response_rate: 0.0,
                lift: 0.0,
                cumulative_responders: 0,
                cumulative_gain: 0.0,
                cumulative_lift: 0.0,
                min_score: score,
                max_score: score,
            }),
        }
        if let Some(last) = table.last_mut() {
            last.cumulative_responders = cumulative_responders;
            last.response_rate = last.responders as f64 / last.customers as f64;
            last.lift = ratio(last.response_rate);
            last.cumulative_gain = if total_responders > 0 {
                cumulative_responders as f64 / total_responders as f64
            } else {
                0.0
            };
            last.cumulative_lift =
                ratio(cumulative_responders as f64 / cumulative_customers as f64);
        }
    }
    table
}

/// One bin of the calibration table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalibrationBin {
    /// 1-based bin number (1 = the lowest scores); empty bins are left out, so numbers can skip.
    pub bin: u8,
    /// Rows in the bin.
    pub customers: u64,
    /// Mean score in the bin.
    pub mean_predicted: f64,
    /// Share of responders in the bin.
    pub observed_rate: f64,
}

/// The type-7 quantile (`NumPy`'s default `linear`) of sorted data at `k / bins`, with the
/// position `k·(n−1)/bins` in exact integer arithmetic and `NumPy`'s two-sided interpolation
/// (`a + (b−a)·t` below `t = ½`, `b − (b−a)·(1−t)` from it).
#[allow(clippy::many_single_char_names)] // the formulas' own letters
fn quantile_at(sorted: &[f64], k: usize, bins: usize) -> f64 {
    let n = sorted.len();
    let position = (n - 1) * k;
    let lo = position / bins;
    let t = (position % bins) as f64 / bins as f64;
    let a = sorted.get(lo).copied().unwrap_or(0.0);
    let b = sorted.get((lo + 1).min(n - 1)).copied().unwrap_or(a);
    if t < 0.5 {
        a + (b - a) * t
    } else {
        b - (b - a) * (1.0 - t)
    }
}

/// The calibration table: `bins` bins of near-equal counts, as scikit-learn's
/// `calibration_curve(strategy="quantile")`: the inner edges are the `k / bins` quantiles of the
/// scores (linear interpolation) and a row falls in the bin numbered `1 +` the count of inner
/// edges strictly below its score, so tied scores always share a bin and the counts are equal
/// only up to ties. Empty bins are left out (as scikit-learn does). Unlike scikit-learn the scores
/// need not lie in `[0, 1]`, and the quantile positions are exact (scikit-learn's floating-point
/// positions can differ in the last bit when `k·(n−1)/bins` is a whole number).
/// Empty when the lengths differ, there are no rows, `bins` is 0, or a score is not finite.
#[must_use]
pub fn calibration_table(scores: &[f64], labels: &[bool], bins: u8) -> Vec<CalibrationBin> {
    if scores.len() != labels.len()
        || scores.is_empty()
        || bins == 0
        || scores.iter().any(|s| !s.is_finite())
    {
        return Vec::new();
    }
    let count = usize::from(bins);
    let mut sorted = scores.to_vec();
    sorted.sort_by(f64::total_cmp);
    let edges: Vec<f64> = (1..count).map(|k| quantile_at(&sorted, k, count)).collect();
    let mut totals = vec![(0_u64, 0.0_f64, 0_u64); count];
    for (score, label) in scores.iter().zip(labels) {
        let bin = edges.iter().filter(|e| **e < *score).count();
        if let Some(slot) = totals.get_mut(bin) {
            slot.0 += 1;
            slot.1 += score;
            slot.2 += u64::from(*label);
        }
    }
    totals
        .into_iter()
        .zip(1_u8..)
        .filter(|((customers, _, _), _)| *customers > 0)
        .map(|((customers, sum, responders), bin)| CalibrationBin {
            bin,
            customers,
            mean_predicted: sum / customers as f64,
            observed_rate: responders as f64 / customers as f64,
        })
        .collect()
}

/// A seeded split of the rows `0..n` into `(train, test)`, each sorted ascending: the rows are
/// shuffled with a `Pcg64` seeded by `seed` and the first `⌈test_share · n⌉` go to test (as
/// scikit-learn rounds its test size up). `test_share` is clamped to `[0, 1]` (NaN counts as 0).
#[must_use]
pub fn train_test_split(n: usize, test_share: f64, seed: u64) -> (Vec<usize>, Vec<usize>) {
    let share = if test_share.is_nan() {
        0.0
    } else {
        test_share.clamp(0.0, 1.0)
    };
    let mut rows: Vec<usize> = (0..n).collect();
    let mut rng = Pcg64::seed_from_u64(seed);
    rows.shuffle(&mut rng);
    // Exact for any realistic n (below 2^52); clamped to n.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let test_count = ((share * n as f64).ceil() as usize).min(n);
    let mut train = rows.split_off(test_count);
    let mut test = rows;
    train.sort_unstable();
    test.sort_unstable();
    (train, test)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn decile_rule_matches_qcut_by_hand() {
        // n = 7: the edges sit at positions 0, 0.6, 1.2, …, 6.
        let deciles: Vec<u8> = (0..7).map(|r| decile_of(r, 7)).collect();
        assert_eq!(deciles, vec![1, 2, 4, 5, 7, 9, 10]);
        // n = 11: edge k at position k, right-closed: positions 0 and 1 share decile 1.
        let deciles: Vec<u8> = (0..11).map(|r| decile_of(r, 11)).collect();
        assert_eq!(deciles, vec![1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(decile_of(0, 1), 1);
    }

    #[test]
    fn decile_sizes_differ_by_at_most_one() {
        for n in 10..300 {
            let mut sizes = [0_usize; 10];
            for r in 0..n {
                sizes[usize::from(decile_of(r, n)) - 1] += 1;
            }
            let (lo, hi) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
            assert!(hi - lo <= 1, "n = {n}: {sizes:?}");
        }
    }

    #[test]
    fn auc_with_ties_and_degenerate_inputs() {
        assert_eq!(
            auc(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true]),
            Some(0.75)
        );
        assert_eq!(auc(&[0.5, 0.5], &[false, true]), Some(0.5));
        assert_eq!(auc(&[0.5, 0.5], &[true, true]), None);
        assert_eq!(auc(&[0.5, f64::NAN], &[false, true]), None);
        assert_eq!(auc(&[0.5], &[false, true]), None);
    }

    #[test]
    fn split_is_deterministic_sorted_and_complete() {
        let (train, test) = train_test_split(101, 0.3, 9);
        assert_eq!(test.len(), 31);
        assert_eq!(train_test_split(101, 0.3, 9), (train.clone(), test.clone()));
        assert_ne!(train_test_split(101, 0.3, 10).1, test);
        let mut all: Vec<usize> = train.iter().chain(&test).copied().collect();
        all.sort_unstable();
        assert_eq!(all, (0..101).collect::<Vec<_>>());
        assert!(train.windows(2).all(|w| w[0] < w[1]) && test.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(train_test_split(5, f64::NAN, 1).1, Vec::<usize>::new());
    }

    #[test]
    fn errors_and_no_nan() {
        let x = array![[1.0, 2.0], [2.0, 1.0], [3.0, 5.0]];
        let params = LogisticParams::new().check().unwrap();
        assert_eq!(
            params.fit(x.view(), &[true, true, true], None),
            Err(ModelError::OneClass)
        );
        assert_eq!(
            params.fit(x.view(), &[true, false], None),
            Err(ModelError::ShapeMismatch {
                expected: 3,
                found: 2
            })
        );
        assert_eq!(
            params.fit(x.view(), &[true, false, true], Some(&[1.0, -1.0, 1.0])),
            Err(ModelError::InvalidWeight { row: 1 })
        );
        let bad = array![[1.0, 2.0], [f64::NAN, 1.0]];
        assert_eq!(
            params.fit(bad.view(), &[true, false], None),
            Err(ModelError::NonFinite { row: 1, column: 0 })
        );
        assert!(matches!(
            LogisticParams::new().l2_penalty(0.0).check(),
            Err(ModelError::InvalidPenalty { .. })
        ));
        assert!(matches!(
            LogisticParams::new().tolerance(f64::NAN).check(),
            Err(ModelError::InvalidSolver { .. })
        ));
        // Perfectly separable data: the penalty keeps the fit finite.
        let model = params.fit(x.view(), &[false, false, true], None).unwrap();
        let p = model.predict_probability(x.view()).unwrap();
        assert!(p.iter().all(|v| v.is_finite() && (0.0..=1.0).contains(v)));
        assert!(model.predict_probability(array![[1.0]].view()).is_err());
        // Zero-weight rows are ignored by the one-class check.
        assert_eq!(
            params.fit(x.view(), &[true, true, false], Some(&[1.0, 1.0, 0.0])),
            Err(ModelError::OneClass)
        );
    }

    #[test]
    fn calibration_ties_share_a_bin() {
        let scores = [0.2, 0.2, 0.2, 0.2, 0.9, 0.9];
        let labels = [false, true, false, false, true, true];
        let table = calibration_table(&scores, &labels, 3);
        let total: u64 = table.iter().map(|b| b.customers).sum();
        assert_eq!(total, 6);
        assert!(table.iter().all(|b| b.customers == 4 || b.customers == 2));
        assert!(calibration_table(&scores, &labels, 0).is_empty());
    }
}
