//! What the user chooses for the send timing.

use serde::{Deserialize, Serialize};

use super::{SendTimeError, MAX_PRIOR_ORDERS};

/// Largest accepted [`SendTimeParams::min_orders`].
pub const MAX_MIN_ORDERS: u32 = 10_000;

/// The prior strength used when it cannot be estimated (no customer has two orders to compare),
/// in orders: the store's profile then weighs as much as five of the customer's own orders.
pub const FALLBACK_PRIOR_ORDERS: f64 = 5.0;

/// Send-timing settings.
///
/// Defaults: both prior strengths estimated from the data (empirical Bayes), every customer with
/// a purchase order in the per-customer results (`min_orders` 1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SendTimeParams {
    /// The weight of the store's hour profile in a customer's estimate, in orders (κ of the
    /// hour prior); `None` = estimated from the data.
    pub hour_prior_orders: Option<f64>,
    /// The same for weekdays; `None` = estimated from the data.
    pub weekday_prior_orders: Option<f64>,
    /// Customers with fewer purchase orders are left out of the per-customer results and the
    /// export (their orders still make the store's profile and the heatmaps); 1..=10 000.
    pub min_orders: u32,
}

impl Default for SendTimeParams {
    fn default() -> Self {
        Self {
            hour_prior_orders: None,
            weekday_prior_orders: None,
            min_orders: 1,
        }
    }
}

/// Checked settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SendTimeValidParams {
    /// Hour prior strength in orders, `None` = estimate.
    pub hour_prior_orders: Option<f64>,
    /// Weekday prior strength in orders, `None` = estimate.
    pub weekday_prior_orders: Option<f64>,
    /// Minimum purchase orders for a customer's row.
    pub min_orders: u32,
}

impl SendTimeParams {
    /// Validates: prior strengths finite in (0, [`MAX_PRIOR_ORDERS`]], `min_orders` in
    /// 1..=[`MAX_MIN_ORDERS`].
    pub fn check(&self) -> Result<SendTimeValidParams, SendTimeError> {
        for value in [self.hour_prior_orders, self.weekday_prior_orders]
            .into_iter()
            .flatten()
        {
            if !(value.is_finite() && value > 0.0 && value <= MAX_PRIOR_ORDERS) {
                return Err(SendTimeError::InvalidPriorStrength { value });
            }
        }
        if !(1..=MAX_MIN_ORDERS).contains(&self.min_orders) {
            return Err(SendTimeError::InvalidMinOrders {
                value: self.min_orders,
            });
        }
        Ok(SendTimeValidParams {
            hour_prior_orders: self.hour_prior_orders,
            weekday_prior_orders: self.weekday_prior_orders,
            min_orders: self.min_orders,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_settings_are_typed_errors() {
        assert!(SendTimeParams::default().check().is_ok());
        let bad = SendTimeParams {
            hour_prior_orders: Some(f64::NAN),
            ..SendTimeParams::default()
        };
        assert!(matches!(
            bad.check(),
            Err(SendTimeError::InvalidPriorStrength { .. })
        ));
        let bad = SendTimeParams {
            weekday_prior_orders: Some(0.0),
            ..SendTimeParams::default()
        };
        assert!(matches!(
            bad.check(),
            Err(SendTimeError::InvalidPriorStrength { .. })
        ));
        let bad = SendTimeParams {
            min_orders: 0,
            ..SendTimeParams::default()
        };
        assert_eq!(
            bad.check(),
            Err(SendTimeError::InvalidMinOrders { value: 0 })
        );
    }
}
