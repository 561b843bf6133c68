//! Tier errors; the catalog words them.

use serde::{Deserialize, Serialize};

/// Why the tiers could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum TierError {
    /// A threshold is not above the one before it.
    #[error("threshold {position} ({value}) is not above threshold {} ({previous})", position - 1)]
    ThresholdsOutOfOrder {
        /// 1-based position of the rejected threshold.
        position: usize,
        /// Its value.
        value: f64,
        /// The value before it.
        previous: f64,
    },
    /// A threshold is not a positive number.
    #[error("threshold {position} must be a positive number, got {value}")]
    InvalidThreshold {
        /// 1-based position.
        position: usize,
        /// The value (0 for a non-number).
        value: f64,
    },
    /// More thresholds than tiers allowed.
    #[error("at most {max} thresholds, got {thresholds}")]
    TooManyTiers {
        /// Thresholds given.
        thresholds: usize,
        /// The most allowed.
        max: usize,
    },
    /// The points rate is not a positive number.
    #[error("points per unit must be a positive number, got {rate}")]
    InvalidRate {
        /// The rate (0 for a non-number).
        rate: f64,
    },
    /// The window is out of range.
    #[error("the window must be 1..=36 months, got {months}")]
    InvalidWindow {
        /// The rejected window.
        months: u32,
    },
    /// Nobody spent anything in the current window: no threshold can be suggested.
    #[error("no customer has a purchase in the last window")]
    NoSpend,
}
