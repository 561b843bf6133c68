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
        reason: String,
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
        reason: String,
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
}
