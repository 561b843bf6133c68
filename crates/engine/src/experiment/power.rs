//! The sample-size calculator: customers per variation for a two-proportion test (Evan Miller's
//! formula) or a test of means, at a minimum detectable effect, α and power.

use serde::{Deserialize, Serialize};

use super::stats::{sample_size_means, sample_size_proportions};

/// What is measured.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PowerMetric {
    /// A conversion rate.
    Proportion {
        /// Control's rate, 0..1.
        baseline_rate: f64,
    },
    /// A mean (revenue per customer …).
    Mean {
        /// Control's mean.
        baseline_mean: f64,
        /// The per-customer standard deviation.
        std_dev: f64,
    },
}

/// The calculator's inputs.
///
/// Defaults ([`PowerParams::new`]): α = 0.05 (two-sided), power 80 %, absolute MDE, two
/// variations.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PowerParams {
    /// What is measured.
    pub metric: PowerMetric,
    /// The smallest effect worth detecting.
    pub mde: f64,
    /// Whether `mde` is relative to the baseline (0.1 = +10 %) rather than absolute.
    pub mde_relative: bool,
    /// Significance level.
    pub alpha: f64,
    /// Power (1 − β).
    pub power: f64,
    /// Groups, control included (2..=20).
    pub variations: u32,
}

impl PowerParams {
    /// The defaults for `metric` and `mde`.
    pub fn new(metric: PowerMetric, mde: f64) -> Self {
        Self {
            metric,
            mde,
            mde_relative: false,
            alpha: 0.05,
            power: 0.8,
            variations: 2,
        }
    }
}

/// Why the calculator cannot answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PowerError {
    /// The baseline rate is not strictly between 0 and 1.
    #[error("the baseline rate must be between 0 and 1")]
    BaselineRate,
    /// Baseline + effect leaves 0..1.
    #[error("the baseline rate plus the effect must stay between 0 and 1")]
    EffectOutOfRange,
    /// The effect is 0 or not a number.
    #[error("the minimum detectable effect must be a non-zero number")]
    Effect,
    /// The standard deviation is not positive.
    #[error("the standard deviation must be positive")]
    StdDev,
    /// α is outside (0, 0.5).
    #[error("the significance level must be between 0 and 0.5")]
    Alpha,
    /// Power is outside (0, 1) or below α.
    #[error("power must be between 0.5 and 1")]
    Power,
    /// Variations outside 2..=20.
    #[error("2 to 20 variations")]
    Variations,
}

/// The calculator's answer.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PowerReport {
    /// The inputs.
    pub params: PowerParams,
    /// The effect as an absolute difference.
    pub mde_absolute: f64,
    /// Customers per variation (the formula's value rounded to the nearest whole customer, as
    /// Evan Miller's calculator shows it).
    pub per_variation: u64,
    /// Customers in all.
    pub total: u64,
}

/// Answers the calculator.
pub fn sample_size(params: &PowerParams) -> Result<PowerReport, PowerError> {
    if !(params.alpha > 0.0 && params.alpha < 0.5) {
        return Err(PowerError::Alpha);
    }
    if !(params.power >= 0.5 && params.power < 1.0) {
        return Err(PowerError::Power);
    }
    if !(2..=20).contains(&params.variations) {
        return Err(PowerError::Variations);
    }
    if !(params.mde.is_finite() && params.mde != 0.0) {
        return Err(PowerError::Effect);
    }
    let (n, mde_absolute) = match params.metric {
        PowerMetric::Proportion { baseline_rate } => {
            if !(baseline_rate > 0.0 && baseline_rate < 1.0) {
                return Err(PowerError::BaselineRate);
            }
            let delta = if params.mde_relative {
                params.mde * baseline_rate
            } else {
                params.mde
            };
            let target = baseline_rate + delta;
            if !(target > 0.0 && target < 1.0) {
                return Err(PowerError::EffectOutOfRange);
            }
            let n = sample_size_proportions(baseline_rate, delta, params.alpha, params.power)
                .ok_or(PowerError::EffectOutOfRange)?;
            (n, delta)
        }
        PowerMetric::Mean {
            baseline_mean,
            std_dev,
        } => {
            if !(std_dev.is_finite() && std_dev > 0.0) {
                return Err(PowerError::StdDev);
            }
            let delta = if params.mde_relative {
                params.mde * baseline_mean
            } else {
                params.mde
            };
            if !(delta.is_finite() && delta != 0.0) {
                return Err(PowerError::Effect);
            }
            let n = sample_size_means(std_dev, delta, params.alpha, params.power)
                .ok_or(PowerError::Effect)?;
            (n, delta)
        }
    };
    if !n.is_finite() || n > 1e15 {
        return Err(PowerError::Effect);
    }
    let per_variation = n.round().max(2.0) as u64;
    Ok(PowerReport {
        params: *params,
        mde_absolute,
        per_variation,
        total: per_variation.saturating_mul(u64::from(params.variations)),
    })
}
