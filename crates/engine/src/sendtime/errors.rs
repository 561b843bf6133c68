//! Send-timing errors; the catalog words them.

use serde::{Deserialize, Serialize};

/// Why the send timing could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum SendTimeError {
    /// The run has no purchase order (nothing to learn a time from).
    #[error("no purchase order to learn send times from")]
    NoPurchases,
    /// A given prior strength is not a finite number in (0, [`super::MAX_PRIOR_ORDERS`]].
    #[error("the prior strength must be a positive number of orders, got {value}")]
    InvalidPriorStrength {
        /// The rejected strength, in orders.
        value: f64,
    },
    /// The minimum orders is out of 1..=[`super::MAX_MIN_ORDERS`].
    #[error(
        "the minimum orders must be 1..={}, got {value}",
        super::MAX_MIN_ORDERS
    )]
    InvalidMinOrders {
        /// The rejected minimum.
        value: u32,
    },
}
