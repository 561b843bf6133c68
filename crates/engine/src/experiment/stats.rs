//! The statistics of an A/B test, matched to GrowthBook's gbstats 0.8.0 (`frequentist/tests.py`,
//! `bayesian/tests.py`, `models/statistics.py`, `utils.py`) to 1e-6 by reference fixtures
//! (`tests/fixtures/experiment/make_reference.py` calls gbstats, scipy and statsmodels).
//!
//! A metric is reduced per arm to its sufficient statistics ([`Moments`], or [`CupedMoments`]
//! with a pre-period covariate), then to what a comparison needs of an arm ([`Arm`]), and
//! [`compare`] sets a variant against control: the frequentist figures (two-sided Welch t-test,
//! gbstats' `TwoSidedTTest`, or its sequential test, `SequentialTwoSidedTTest`) and the Bayesian
//! ones (chance to win and risk of gbstats' `EffectBayesianABTest` with its default flat prior).
//!
//! Where the output would be meaningless (an empty arm, a control mean of 0, no variance) the
//! comparison is gbstats' default output with the reason in [`Comparison::degenerate`]; no
//! figure is ever NaN or infinite.
//!
//! Distributions come from `statrs` (Student's t, χ²) and `libm` (the normal, through `erfc`).

use serde::{Deserialize, Serialize};
use statrs::distribution::{ChiSquared, ContinuousCDF, StudentsT};

/// How a metric's per-customer values are distributed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MetricKind {
    /// 0/1 values (converted or not): variance p(1 − p), as gbstats' `ProportionStatistic`.
    Binomial,
    /// Any numeric values: the sample variance with n − 1, as gbstats' `SampleMeanStatistic`.
    Mean,
}

/// Sufficient statistics of one metric in one arm.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Moments {
    /// Number of units (customers) in the arm, those with a value of 0 included.
    pub n: u64,
    /// Sum of the values.
    pub sum: f64,
    /// Sum of the squared values.
    pub sum_squares: f64,
}

impl Moments {
    /// Adds one unit's value.
    pub fn push(&mut self, value: f64) {
        self.n += 1;
        self.sum += value;
        self.sum_squares += value * value;
    }

    /// The mean; 0 when there is no unit.
    #[must_use]
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.sum / self.n as f64
        }
    }

    /// The variance as gbstats computes it: p(1 − p) of the mean for [`MetricKind::Binomial`]
    /// (0 when empty); for [`MetricKind::Mean`] the sample variance
    /// (Σx² − (Σx)²/n)/(n − 1), 0 when n ≤ 1 (it may come out a hair below 0 from rounding
    /// when all values are equal; [`compare`] treats that as no variance, as gbstats does).
    #[must_use]
    pub fn variance(&self, kind: MetricKind) -> f64 {
        match kind {
            MetricKind::Binomial => {
                let p = self.mean();
                p * (1.0 - p)
            }
            MetricKind::Mean => {
                if self.n <= 1 {
                    return 0.0;
                }
                let n = self.n as f64;
                (self.sum_squares - self.sum * self.sum / n) / (n - 1.0)
            }
        }
    }

    /// Sample covariance with another column over the same units (gbstats'
    /// `RegressionAdjustedStatistic.covariance`): (Σxy − Σx·Σy/n)/(n − 1), 0 when n ≤ 1.
    fn covariance(&self, other: &Moments, sum_products: f64) -> f64 {
        if self.n <= 1 {
            return 0.0;
        }
        let n = self.n as f64;
        (sum_products - self.sum * other.sum / n) / (n - 1.0)
    }

    /// Two arms' statistics pooled (gbstats' `create_joint_statistic`).
    fn pooled(&self, other: &Moments) -> Moments {
        Moments {
            n: self.n + other.n,
            sum: self.sum + other.sum,
            sum_squares: self.sum_squares + other.sum_squares,
        }
    }
}

/// A metric with a pre-period covariate (CUPED), in one arm.
///
/// Every unit contributes one post and one pre value (0 when it had none), so `post.n` and
/// `pre.n` agree; `post.n` is the arm's n.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct CupedMoments {
    /// The metric during the experiment.
    pub post: Moments,
    /// The same metric (or another covariate) before the experiment.
    pub pre: Moments,
    /// Σ post·pre over the units.
    pub sum_products: f64,
}

impl CupedMoments {
    /// Adds one unit's post and pre values.
    pub fn push(&mut self, post: f64, pre: f64) {
        self.post.push(post);
        self.pre.push(pre);
        self.sum_products += post * pre;
    }
}

/// θ pooled over the two arms as gbstats' `compute_theta`: the pooled covariance of post and pre
/// over the pooled variance of pre, each with its kind's variance (so p(1 − p) for a binomial
/// column, next to a covariance with n − 1, as gbstats). 0 when the pooled pre or post variance
/// is 0 (gbstats then falls back to the plain post metric, which is [`Arm::cuped`] with θ = 0);
/// also 0, where gbstats would divide by it, when that variance is negative from rounding or
/// anything is not finite.
#[must_use]
pub fn pooled_theta(
    control: &CupedMoments,
    variant: &CupedMoments,
    post_kind: MetricKind,
    pre_kind: MetricKind,
) -> f64 {
    let post = control.post.pooled(&variant.post);
    let pre = control.pre.pooled(&variant.pre);
    let var_post = post.variance(post_kind);
    let var_pre = pre.variance(pre_kind);
    if var_pre <= 0.0 || var_post <= 0.0 || !var_pre.is_finite() || !var_post.is_finite() {
        return 0.0;
    }
    let covariance = post.covariance(&pre, control.sum_products + variant.sum_products);
    let theta = covariance / var_pre;
    if theta.is_finite() {
        theta
    } else {
        0.0
    }
}

/// What a comparison needs of one arm.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Arm {
    /// Number of units.
    pub n: u64,
    /// The mean compared (CUPED-adjusted for [`Arm::cuped`]).
    pub mean: f64,
    /// The mean without adjustment: the denominator of a relative difference (control's) and the
    /// means in the relative variance, as gbstats.
    pub unadjusted_mean: f64,
    /// The per-unit variance (not yet divided by n).
    pub variance: f64,
}

impl Arm {
    /// An arm from plain moments.
    #[must_use]
    pub fn plain(m: &Moments, kind: MetricKind) -> Self {
        let mean = m.mean();
        Self {
            n: m.n,
            mean,
            unadjusted_mean: mean,
            variance: m.variance(kind),
        }
    }

    /// Regression-adjusted with θ (gbstats `RegressionAdjustedStatistic`: mean = post mean −
    /// θ·pre mean; variance = var_post + θ²·var_pre − 2θ·cov, 0 when n ≤ 1). Pass the same θ
    /// for both arms, [`pooled_theta`], as gbstats does for its frequentist and its Bayesian test
    /// alike.
    #[must_use]
    pub fn cuped(
        c: &CupedMoments,
        post_kind: MetricKind,
        pre_kind: MetricKind,
        theta: f64,
    ) -> Self {
        let post_mean = c.post.mean();
        let variance = if c.post.n <= 1 {
            0.0
        } else {
            c.post.variance(post_kind) + theta * theta * c.pre.variance(pre_kind)
                - 2.0 * theta * c.post.covariance(&c.pre, c.sum_products)
        };
        Self {
            n: c.post.n,
            mean: post_mean - theta * c.pre.mean(),
            unadjusted_mean: post_mean,
            variance,
        }
    }
}

/// Relative (lift over control's unadjusted mean) or absolute difference.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Difference {
    /// (variant mean − control mean) / control's unadjusted mean, with the delta-method variance.
    Relative,
    /// Variant mean − control mean.
    Absolute,
}

/// Why a comparison could not be made (gbstats' default output: lift 0, CI [0, 0], p 1, chance
/// to win 0.5, risk 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Degenerate {
    /// Control's mean (adjusted or not) is 0. gbstats' t-tests refuse it for both difference
    /// types (its Bayesian test only for the relative one); so does [`compare`], for both.
    BaselineZero,
    /// An arm's variance is 0 or negative, an arm has a single unit (no sample variance), or the
    /// figures are not finite (input NaN or infinite, or overflow).
    ZeroVariance,
    /// An arm has no unit.
    Empty,
}

/// How to compare.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TestSettings {
    /// Significance level of the two-sided test and its confidence interval (gbstats default
    /// 0.05). Values outside (0, 1) are clamped into [1e-12, 1 − 1e-12] (NaN: 0.05).
    pub alpha: f64,
    /// Relative or absolute difference, for the frequentist and the Bayesian figures alike.
    pub difference: Difference,
    /// `Some(τ)`: gbstats' sequential two-sided test (asymptotic confidence sequences,
    /// Waudby-Smith et al.) with tuning parameter τ (gbstats default 5000); a τ that is not
    /// positive and finite is taken as 5000. `None`: the fixed-horizon Welch t-test.
    pub sequential_tuning: Option<f64>,
}

impl Default for TestSettings {
    /// α 0.05, relative difference, fixed-horizon test.
    fn default() -> Self {
        Self {
            alpha: 0.05,
            difference: Difference::Relative,
            sequential_tuning: None,
        }
    }
}

/// One variant against control.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The difference (relative or absolute, per [`TestSettings::difference`]).
    pub estimate: f64,
    /// Its standard error.
    pub std_error: f64,
    /// Lower end of the confidence interval (of the confidence sequence when sequential).
    pub ci_low: f64,
    /// Upper end of the confidence interval.
    pub ci_high: f64,
    /// Two-sided p-value (the always-valid one when sequential).
    pub p_value: f64,
    /// Welch–Satterthwaite degrees of freedom (also reported for the sequential test, which does
    /// not use them); `f64::MAX` when they overflow (the normal distribution is then used);
    /// 0 when degenerate.
    pub degrees_of_freedom: f64,
    /// Bayesian (gbstats `EffectBayesianABTest`, flat improper prior, same difference type):
    /// P(variant better).
    pub chance_to_win: f64,
    /// Expected loss of choosing control (gbstats `get_risk`, `risk_ctrl`).
    pub risk_control: f64,
    /// Expected loss of choosing the variant (gbstats `get_risk`, `risk_trt`).
    pub risk_variant: f64,
    /// `Some` when no comparison could be made; the figures are then gbstats' default output.
    pub degenerate: Option<Degenerate>,
}

impl Comparison {
    /// gbstats' default output (frequentist and Bayesian), with the reason.
    fn degenerate(reason: Degenerate) -> Self {
        Self {
            estimate: 0.0,
            std_error: 0.0,
            ci_low: 0.0,
            ci_high: 0.0,
            p_value: 1.0,
            degrees_of_freedom: 0.0,
            chance_to_win: 0.5,
            risk_control: 0.0,
            risk_variant: 0.0,
            degenerate: Some(reason),
        }
    }

    fn all_finite(&self) -> bool {
        [
            self.estimate,
            self.std_error,
            self.ci_low,
            self.ci_high,
            self.p_value,
            self.degrees_of_freedom,
            self.chance_to_win,
            self.risk_control,
            self.risk_variant,
        ]
        .iter()
        .all(|v| v.is_finite())
    }
}

/// gbstats' default sequential tuning parameter τ.
const DEFAULT_SEQUENTIAL_TUNING: f64 = 5000.0;

/// Two-sided Welch t-test (gbstats `TwoSidedTTest`) or the sequential test
/// (`SequentialTwoSidedTTest`), plus the Bayesian figures (`EffectBayesianABTest`, flat prior).
///
/// Checks, in this order: an empty arm ([`Degenerate::Empty`]), control's mean or unadjusted mean
/// 0 ([`Degenerate::BaselineZero`]), a variance ≤ 0, n ≤ 1 or a non-finite input
/// ([`Degenerate::ZeroVariance`]). The t distribution becomes the normal when the degrees of
/// freedom are not finite.
#[must_use]
pub fn compare(control: &Arm, variant: &Arm, settings: &TestSettings) -> Comparison {
    match compare_checked(control, variant, settings) {
        Ok(c) if c.all_finite() => c,
        Ok(_) => Comparison::degenerate(Degenerate::ZeroVariance),
        Err(reason) => Comparison::degenerate(reason),
    }
}

fn compare_checked(
    control: &Arm,
    variant: &Arm,
    settings: &TestSettings,
) -> Result<Comparison, Degenerate> {
    if control.n == 0 || variant.n == 0 {
        return Err(Degenerate::Empty);
    }
    if control.mean == 0.0 || control.unadjusted_mean == 0.0 {
        return Err(Degenerate::BaselineZero);
    }
    let usable = |a: &Arm| {
        a.n > 1
            && a.mean.is_finite()
            && a.unadjusted_mean.is_finite()
            && a.variance.is_finite()
            && a.variance > 0.0
    };
    if !usable(control) || !usable(variant) {
        return Err(Degenerate::ZeroVariance);
    }
    let (n_a, n_b) = (control.n as f64, variant.n as f64);
    let (var_a, var_b) = (control.variance, variant.variance);
    // gbstats' frequentist_diff / frequentist_variance (the Bayesian test uses the same two).
    let (estimate, variance) = match settings.difference {
        Difference::Relative => {
            let base = control.unadjusted_mean;
            let mean_b = variant.unadjusted_mean;
            (
                (variant.mean - control.mean) / base,
                var_b / (base * base * n_b) + var_a * mean_b * mean_b / (base.powi(4) * n_a),
            )
        }
        Difference::Absolute => (variant.mean - control.mean, var_b / n_b + var_a / n_a),
    };
    if !(variance > 0.0 && variance.is_finite() && estimate.is_finite()) {
        return Err(Degenerate::ZeroVariance);
    }
    let std_error = variance.sqrt();

    // Welch–Satterthwaite, on the per-unit variances (adjusted ones for CUPED), as gbstats.
    let dof = (var_b / n_b + var_a / n_a).powi(2)
        / (var_b * var_b / (n_b * n_b * (n_b - 1.0)) + var_a * var_a / (n_a * n_a * (n_a - 1.0)));
    let dof = if dof.is_finite() && dof > 0.0 {
        dof
    } else {
        f64::INFINITY
    };

    let alpha = clamp_alpha(settings.alpha);
    let (half_width, p_value) = match settings.sequential_tuning {
        None => {
            let width = t_quantile(1.0 - alpha / 2.0, dof) * std_error;
            let p = 2.0 * t_sf((estimate / std_error).abs(), dof);
            (width, p.min(1.0))
        }
        Some(tuning) => {
            let tuning = if tuning.is_finite() && tuning > 0.0 {
                tuning
            } else {
                DEFAULT_SEQUENTIAL_TUNING
            };
            sequential(estimate, variance, n_a + n_b, alpha, tuning)
        }
    };

    // Flat prior: the posterior of the difference is N(estimate, variance).
    let z = estimate / std_error;
    let density = normal_pdf(z);
    let risk_control = (estimate * normal_cdf(z) + std_error * density).max(0.0);
    let risk_variant = (std_error * density - estimate * normal_cdf(-z)).max(0.0);

    Ok(Comparison {
        estimate,
        std_error,
        ci_low: estimate - half_width,
        ci_high: estimate + half_width,
        p_value,
        degrees_of_freedom: if dof.is_finite() { dof } else { f64::MAX },
        chance_to_win: normal_cdf(z),
        risk_control,
        risk_variant,
        degenerate: None,
    })
}

/// gbstats' `SequentialTwoSidedTTest`: the half-width of the confidence sequence (eq. 9 of
/// Waudby-Smith et al. 2023) and the p-value (1/e-value, eq. 155, at most 1); `total` = n_a + n_b.
fn sequential(estimate: f64, variance: f64, total: f64, alpha: f64, tuning: f64) -> (f64, f64) {
    let log_alpha = alpha.ln();
    let rho2 = (-2.0 * log_alpha + (-2.0 * log_alpha + 1.0).ln()) / tuning;
    let tr2p1 = total * rho2 + 1.0;
    let s2 = variance * total;
    let width = (s2 * 2.0 * tr2p1 * (tr2p1.sqrt() / alpha).ln() / (total * total * rho2)).sqrt();
    let st2 = estimate * estimate * total / variance;
    // e-value = exp(ρ²·st²/(2(Nρ² + 1))) / sqrt(Nρ² + 1), taken in logs (no overflow).
    let log_e = rho2 * st2 / (2.0 * tr2p1) - 0.5 * tr2p1.ln();
    (width, (-log_e).exp().min(1.0))
}

fn clamp_alpha(alpha: f64) -> f64 {
    if alpha.is_nan() {
        0.05
    } else {
        alpha.clamp(1e-12, 1.0 - 1e-12)
    }
}

/// Sample-ratio mismatch: the χ² p-value of observed users against intended weights (gbstats
/// `utils.check_srm`). Arms with a weight ≤ 0 add nothing to χ² but still count in the degrees of
/// freedom (number of arms − 1), as gbstats; 1 when there is no user, fewer than two arms, or
/// the weights do not sum to a positive number. A missing weight (shorter `weights`) counts as 0.
#[must_use]
pub fn srm_p_value(users: &[u64], weights: &[f64]) -> f64 {
    let total_observed: u64 = users.iter().sum();
    if total_observed == 0 || users.len() < 2 {
        return 1.0;
    }
    let total_weight: f64 = weights.iter().take(users.len()).sum();
    if !(total_weight > 0.0 && total_weight.is_finite()) {
        return 1.0;
    }
    let mut x = 0.0;
    for (i, &observed) in users.iter().enumerate() {
        let weight = weights.get(i).copied().unwrap_or(0.0);
        if weight <= 0.0 || weight.is_nan() {
            continue;
        }
        let expected = weight / total_weight * total_observed as f64;
        let diff = observed as f64 - expected;
        x += diff * diff / expected;
    }
    let dof = (users.len() - 1) as f64;
    match ChiSquared::new(dof) {
        Ok(chi2) if x.is_finite() => chi2.sf(x).clamp(0.0, 1.0),
        _ => 1.0,
    }
}

/// Holm–Bonferroni adjusted p-values in input order (statsmodels `multipletests(..., "holm")`):
/// the k-th smallest times (m − k + 1), made non-decreasing in that order, capped at 1.
/// A NaN p-value is taken as 1.
#[must_use]
pub fn holm(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let clean = |v: f64| if v.is_nan() { 1.0 } else { v.clamp(0.0, 1.0) };
    let mut order: Vec<(usize, f64)> = p.iter().map(|&v| clean(v)).enumerate().collect();
    order.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    let mut adjusted = vec![1.0; m];
    let mut running = 0.0f64;
    for (rank, &(i, value)) in order.iter().enumerate() {
        running = running.max(value * (m - rank) as f64);
        if let Some(slot) = adjusted.get_mut(i) {
            *slot = running.min(1.0);
        }
    }
    adjusted
}

/// Units per variation to detect an absolute change `mde_absolute` of a conversion rate
/// `baseline_rate` with a two-sided test at `alpha` and the given `power`: Evan Miller's formula,
/// n = (z_{1−α/2}·√(2p(1−p)) + z_{power}·√(p(1−p) + (p+δ)(1−p−δ)))² / δ², unrounded.
///
/// Display it rounded to the nearest unit, as Evan Miller's calculator shows it (20 % baseline,
/// +5 points, α 0.05, 80 % power: 1030.2 → "1,030"; rounding up would show 1,031).
/// `None` on invalid input: a rate outside (0, 1), baseline + mde outside (0, 1), an mde of 0,
/// alpha or power outside (0, 1). `Some(0.0)` when the power asked for is so low that any
/// sample reaches it (the bracket is ≤ 0).
#[must_use]
pub fn sample_size_proportions(
    baseline_rate: f64,
    mde_absolute: f64,
    alpha: f64,
    power: f64,
) -> Option<f64> {
    let (sd1, sd2) = proportion_spreads(baseline_rate, mde_absolute)?;
    if !(in_unit(alpha) && in_unit(power)) {
        return None;
    }
    let bracket = normal_quantile(1.0 - alpha / 2.0) * sd1 + normal_quantile(power) * sd2;
    if bracket <= 0.0 {
        return Some(0.0);
    }
    Some(bracket * bracket / (mde_absolute * mde_absolute))
}

/// Units per variation to detect an absolute change `mde_absolute` of a mean whose per-unit
/// standard deviation is `std_dev`, two-sided at `alpha`: 2σ²(z_{1−α/2} + z_{power})²/δ²,
/// unrounded (the normal approximation; statsmodels' `NormalIndPower` with one tail at α/2
/// gives exactly this, its two-sided solve counts the far tail too and is a hair smaller).
/// `None` when σ ≤ 0, δ = 0, anything is not finite, or alpha or power is outside (0, 1);
/// `Some(0.0)` when z_{1−α/2} + z_{power} ≤ 0.
#[must_use]
pub fn sample_size_means(std_dev: f64, mde_absolute: f64, alpha: f64, power: f64) -> Option<f64> {
    let valid = positive_finite(std_dev)
        && mde_absolute != 0.0
        && mde_absolute.is_finite()
        && in_unit(alpha)
        && in_unit(power);
    if !valid {
        return None;
    }
    let z = normal_quantile(1.0 - alpha / 2.0) + normal_quantile(power);
    if z <= 0.0 {
        return Some(0.0);
    }
    Some(2.0 * std_dev * std_dev * z * z / (mde_absolute * mde_absolute))
}

/// The power of a two-sided test at `alpha` with `per_variation` units per arm to detect an
/// absolute change `mde_absolute` of the rate `baseline_rate`: Evan Miller's formula solved for
/// the power, Φ((|δ|·√n − z_{1−α/2}·√(2p(1−p))) / √(p(1−p) + (p+δ)(1−p−δ))), the inverse of
/// [`sample_size_proportions`]. `None` on the same invalid inputs, or `per_variation` not
/// positive and finite.
#[must_use]
pub fn power_proportions(
    baseline_rate: f64,
    mde_absolute: f64,
    alpha: f64,
    per_variation: f64,
) -> Option<f64> {
    let (sd1, sd2) = proportion_spreads(baseline_rate, mde_absolute)?;
    if !(in_unit(alpha) && positive_finite(per_variation)) {
        return None;
    }
    let z_power = (mde_absolute.abs() * per_variation.sqrt()
        - normal_quantile(1.0 - alpha / 2.0) * sd1)
        / sd2;
    Some(normal_cdf(z_power))
}

/// √(2p(1−p)) and √(p(1−p) + (p+δ)(1−p−δ)) of Evan Miller's formula, or `None` when invalid.
fn proportion_spreads(p: f64, delta: f64) -> Option<(f64, f64)> {
    let q = p + delta;
    if !(in_unit(p) && in_unit(q)) || delta == 0.0 {
        return None;
    }
    Some((
        (2.0 * p * (1.0 - p)).sqrt(),
        (p * (1.0 - p) + q * (1.0 - q)).sqrt(),
    ))
}

fn in_unit(x: f64) -> bool {
    x > 0.0 && x < 1.0
}

fn positive_finite(x: f64) -> bool {
    x > 0.0 && x.is_finite()
}

/// The standard normal quantile Φ⁻¹(p) (scipy's `norm.ppf`): −∞ at 0, +∞ at 1, NaN outside
/// [0, 1] or for NaN.
#[must_use]
pub fn normal_quantile(p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    -std::f64::consts::SQRT_2 * statrs::function::erf::erfc_inv(2.0 * p)
}

/// Φ(x), accurate in both tails (erfc, not 1 − erf).
fn normal_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x / std::f64::consts::SQRT_2)
}

fn normal_pdf(x: f64) -> f64 {
    (-0.5 * x * x).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// Above this many degrees of freedom the t distribution is taken through R's large-ν
/// approximation (`pt`: Φ(x(1 − 1/(4ν))/√(1 + x²/(2ν))), error O(ν⁻²)): statrs' regularized
/// incomplete beta loses about ν·ε to the cancellation of its log-gamma terms (1e-6 relative at
/// ν = 1e9, against scipy).
const LARGE_DOF: f64 = 4e5;

/// P(T > x) for Student's t with `dof` degrees of freedom; the normal when `dof` is not finite.
fn t_sf(x: f64, dof: f64) -> f64 {
    if dof > LARGE_DOF {
        let quarter = 1.0 / (4.0 * dof);
        return normal_cdf(-x * (1.0 - quarter) / (1.0 + x * x * 2.0 * quarter).sqrt());
    }
    match StudentsT::new(0.0, 1.0, dof) {
        Ok(t) => t.sf(x),
        Err(_) => normal_cdf(-x),
    }
}

/// The t quantile at `p` in (0, 1); the normal one when `dof` is not finite.
fn t_quantile(p: f64, dof: f64) -> f64 {
    if !in_unit(p) {
        return normal_quantile(p);
    }
    if dof > LARGE_DOF {
        // The inverse of t_sf's approximation: z = x·c/√(1 + x²/(2ν)), c = 1 − 1/(4ν).
        let z = normal_quantile(p);
        let c = 1.0 - 1.0 / (4.0 * dof);
        return z / (c * c - z * z / (2.0 * dof)).sqrt();
    }
    match StudentsT::new(0.0, 1.0, dof) {
        Ok(t) => t.inverse_cdf(p),
        Err(_) => normal_quantile(p),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    const PLANNING: &str = include_str!("../../tests/fixtures/experiment/planning.json");

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1.0)
    }

    #[test]
    fn t_and_normal_match_scipy() {
        let v: Value = serde_json::from_str(PLANNING).unwrap();
        for c in v["t_sf"].as_array().unwrap() {
            let (x, dof, want) = (
                c["x"].as_f64().unwrap(),
                c["dof"].as_f64().unwrap(),
                c["sf"].as_f64().unwrap(),
            );
            let got = t_sf(x, dof);
            assert!(
                (got - want).abs() <= 1e-6 * want,
                "t sf({x}, {dof}) = {got}, scipy {want}"
            );
        }
        for c in v["t_quantile"].as_array().unwrap() {
            let (p, dof, want) = (
                c["p"].as_f64().unwrap(),
                c["dof"].as_f64().unwrap(),
                c["x"].as_f64().unwrap(),
            );
            let got = t_quantile(p, dof);
            assert!(
                close(got, want, 1e-9),
                "t ppf({p}, {dof}) = {got}, scipy {want}"
            );
        }
        for c in v["normal_quantile"].as_array().unwrap() {
            let (p, want) = (c["p"].as_f64().unwrap(), c["x"].as_f64().unwrap());
            let got = normal_quantile(p);
            assert!(
                close(got, want, 1e-12),
                "norm ppf({p}) = {got}, scipy {want}"
            );
        }
        assert_eq!(t_sf(1.96, f64::INFINITY), normal_cdf(-1.96));
        assert_eq!(t_quantile(0.975, f64::INFINITY), normal_quantile(0.975));
    }

    #[test]
    fn normal_quantile_edges() {
        assert_eq!(normal_quantile(0.0), f64::NEG_INFINITY);
        assert_eq!(normal_quantile(1.0), f64::INFINITY);
        assert!(normal_quantile(-0.1).is_nan());
        assert!(normal_quantile(f64::NAN).is_nan());
        assert_eq!(normal_quantile(0.5), 0.0);
    }

    #[test]
    fn moments_follow_gbstats_conventions() {
        let mut m = Moments::default();
        assert_eq!(m.mean(), 0.0);
        assert_eq!(m.variance(MetricKind::Mean), 0.0);
        assert_eq!(m.variance(MetricKind::Binomial), 0.0);
        m.push(3.0);
        assert_eq!(m.variance(MetricKind::Mean), 0.0);
        for v in [1.0, 0.0, 1.0] {
            m.push(v);
        }
        // values 3, 1, 0, 1: mean 1.25, sample variance (11 − 6.25)/3.
        assert!((m.variance(MetricKind::Mean) - 4.75 / 3.0).abs() < 1e-15);
        let mut b = Moments::default();
        for v in [1.0, 0.0, 0.0, 1.0, 0.0] {
            b.push(v);
        }
        assert!((b.variance(MetricKind::Binomial) - 0.24).abs() < 1e-15);
    }

    #[test]
    fn sequential_p_value_does_not_overflow() {
        // A huge z: the e-value's exp would overflow; in logs the p-value is 0.
        let (width, p) = sequential(1.0, 1e-12, 1e6, 0.05, 5000.0);
        assert!(width.is_finite());
        assert_eq!(p, 0.0);
    }
}
