//! CLV errors: parameter errors and run errors in one enum, each variant saying where and what.

use serde::{Deserialize, Serialize};

/// Why a CLV model could not be set up, fitted or evaluated.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum ClvError {
    /// `max_iterations` was zero.
    #[error("max_iterations must be at least 1")]
    ZeroIterations,
    /// The gradient tolerance was not a positive finite number.
    #[error("gradient_tolerance must be positive and finite, got {value}")]
    InvalidTolerance {
        /// The rejected tolerance.
        value: f64,
    },
    /// A starting parameter was not a positive finite number.
    #[error("initial value of {name} must be positive and finite, got {value}")]
    InvalidInitialParameter {
        /// Parameter name (`r`, `alpha`, `a`, `b`, `p`, `q`, `v`).
        name: String,
        /// The rejected value.
        value: f64,
    },
    /// The model needs at least two customers.
    #[error("the model needs at least 2 customers, got {count}")]
    TooFewCustomers {
        /// Customers available to the fit.
        count: usize,
    },
    /// Nobody bought twice, so repeat behaviour cannot be estimated.
    #[error("no customer made a repeat purchase in the calibration period")]
    NoRepeatCustomers,
    /// A summary row breaks the model's assumptions.
    #[error(
        "summary row {row} is invalid (frequency {frequency}, recency {recency}, T {age}, \
         monetary {monetary}): {reason}"
    )]
    InvalidSummaryRow {
        /// Zero-based row of the summary.
        row: usize,
        /// Repeat purchases.
        frequency: f64,
        /// Time from the first to the last purchase.
        recency: f64,
        /// Time from the first purchase to the calibration end (T).
        age: f64,
        /// Mean repeat purchase value.
        monetary: f64,
        /// What is wrong.
        reason: InputProblem,
    },
    /// The log-likelihood was not finite at the given parameters.
    #[error("the {model} log-likelihood is not finite at {parameters}")]
    NonFiniteLikelihood {
        /// `BG/NBD` or `Gamma-Gamma`.
        model: String,
        /// The parameters, as `name=value` text.
        parameters: String,
    },
    /// A per-customer prediction was asked for inputs outside its domain.
    #[error(
        "prediction input outside the domain (frequency {frequency}, recency {recency}, \
         T {age}, horizon {horizon}): {reason}"
    )]
    InvalidPredictionInput {
        /// Repeat purchases.
        frequency: f64,
        /// Time from the first to the last purchase.
        recency: f64,
        /// Time from the first purchase to the calibration end (T).
        age: f64,
        /// Prediction horizon (0 when not applicable).
        horizon: f64,
        /// What is wrong.
        reason: InputProblem,
    },
    /// The Gamma-Gamma population mean spend `vp/(q − 1)` needs `q > 1`.
    #[error("the expected spend is undefined: the fitted q = {q} is not above 1")]
    UndefinedMeanSpend {
        /// The fitted q.
        q: f64,
    },
    /// The monthly discount rate was negative or not finite.
    #[error("the monthly discount rate must be ≥ 0, got {value}")]
    InvalidDiscountRate {
        /// The rejected rate.
        value: f64,
    },
    /// A horizon was zero or too long.
    #[error("the horizon must be between 1 and {max} {unit}, got {value}")]
    InvalidHorizon {
        /// The rejected horizon.
        value: u32,
        /// Days (the prediction horizon) or months (the CLV horizon).
        unit: HorizonUnit,
        /// The longest accepted.
        max: u32,
    },
    /// The churn-risk thresholds were not `0 < high ≤ low ≤ 1`.
    #[error("churn thresholds must satisfy 0 < high ≤ low ≤ 1, got high {high}, low {low}")]
    InvalidChurnThresholds {
        /// Probability alive below which the risk is high.
        high: f64,
        /// Probability alive from which the risk is low.
        low: f64,
    },
    /// The calibration end is not after the first day of the data, or is after its last day.
    #[error(
        "the calibration end (day {calibration_end_day}) must be after the first day \
         ({first_day}) and not after the last day ({last_day}) of the data"
    )]
    CalibrationEndOutsideData {
        /// The requested calibration end (days since 1970-01-01).
        calibration_end_day: i32,
        /// First day of the data.
        first_day: i32,
        /// Last day of the data.
        last_day: i32,
    },
    /// The holdout end is not after the calibration end.
    #[error(
        "the holdout end (day {holdout_end_day}) must be after the calibration end \
         (day {calibration_end_day})"
    )]
    HoldoutEndBeforeCalibrationEnd {
        /// The requested holdout end.
        holdout_end_day: i32,
        /// The calibration end.
        calibration_end_day: i32,
    },
}

/// What is wrong with a customer's summary row or prediction input: a typed value the adapters
/// word in the user's language (its `Display` is the CLI's English).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InputProblem {
    /// A value is NaN or infinite.
    NotFinite,
    /// The repeat-purchase count is negative or not a whole number.
    FrequencyNotWhole,
    /// The repeat-purchase count is negative.
    NegativeFrequency,
    /// Recency is below 0 or above the customer's age T.
    RecencyOutsideAge,
    /// Recency is not 0 for a customer without repeat purchases.
    RecencyWithoutRepeat,
    /// A repeat customer's mean spend is not a positive number.
    MonetaryNotPositive,
    /// The spend is not a finite number.
    MonetaryNotFinite,
    /// The horizon is negative.
    NegativeHorizon,
    /// The Gaussian hypergeometric function 2F1 of the Pareto/NBD did not converge at the fitted
    /// parameters for this customer.
    HypergeometricDiverged,
    /// The expected purchases came out NaN or infinite at the fitted parameters.
    ExpectationNotFinite,
}

impl std::fmt::Display for InputProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::NotFinite => "values must be finite",
            Self::FrequencyNotWhole => "frequency must be a whole number ≥ 0",
            Self::NegativeFrequency => "frequency must be ≥ 0",
            Self::RecencyOutsideAge => "recency must lie between 0 and T",
            Self::RecencyWithoutRepeat => "recency must be 0 when frequency is 0",
            Self::MonetaryNotPositive => "a repeat customer's monetary value must be positive",
            Self::MonetaryNotFinite => "monetary must be finite",
            Self::NegativeHorizon => "horizon must be ≥ 0",
            Self::HypergeometricDiverged => "the 2F1 did not converge at the fitted parameters",
            Self::ExpectationNotFinite => "the expectation is not finite at the fitted parameters",
        })
    }
}

/// The unit of a horizon setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum HorizonUnit {
    /// Days: the expected-purchases horizon.
    Days,
    /// Months: the CLV horizon.
    Months,
}

impl std::fmt::Display for HorizonUnit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Days => "days",
            Self::Months => "months",
        })
    }
}
