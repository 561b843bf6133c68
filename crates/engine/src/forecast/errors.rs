//! Forecast errors; the catalog words them.

use serde::{Deserialize, Serialize};

/// Why the forecast could not be made.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum ForecastError {
    /// No order of the run is a purchase.
    #[error("no purchase to forecast from")]
    NoPurchases,
    /// Too few complete periods of history.
    #[error("{periods} complete {}s of history, {needed} needed", period.key())]
    TooShort {
        /// Complete periods in the history.
        periods: u32,
        /// Periods needed.
        needed: u32,
        /// The period length asked for.
        period: super::ForecastPeriod,
    },
    /// The horizon is longer than the history.
    #[error("horizon of {horizon} periods for a history of {history}")]
    HorizonTooLong {
        /// Periods asked for.
        horizon: u32,
        /// Complete periods in the history.
        history: u32,
    },
    /// The horizon is 0 or above the maximum.
    #[error("horizon {horizon} outside 1..={max}")]
    HorizonOutOfRange {
        /// Periods asked for.
        horizon: u32,
        /// The maximum.
        max: u32,
    },
    /// More backtest origins than allowed.
    #[error("{origins} backtest origins, at most {max}")]
    TooManyOrigins {
        /// Origins asked for.
        origins: u32,
        /// The maximum.
        max: u32,
    },
    /// No model could be fitted to a series (not expected with a valid history).
    #[error("no model fits the {} series", series.key())]
    NoFit {
        /// Which series.
        series: super::SeriesKind,
    },
}
