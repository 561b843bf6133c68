//! Tier settings.

use serde::{Deserialize, Serialize};

use super::TierError;

/// At most this many thresholds (five tiers).
pub const MAX_THRESHOLDS: usize = 4;

/// Tier settings: `TierParams` → [`check`](TierParams::check) → use.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TierParams {
    /// Lower bounds of tiers 1.. (tier 0 is below the first), strictly increasing, in the
    /// value's unit (money, or points when [`Self::points_per_unit`] is set). Empty: suggested
    /// from the quantiles of the current spend (see [`super::TierReport::suggested`]).
    pub thresholds: Vec<f64>,
    /// Points per unit of money; `None` ranks on spend itself.
    pub points_per_unit: Option<f64>,
    /// The trailing window, in calendar months (1..=36).
    pub window_months: u32,
}

impl Default for TierParams {
    /// Suggested thresholds, spend (no points), a 12-month window.
    fn default() -> Self {
        Self {
            thresholds: Vec::new(),
            points_per_unit: None,
            window_months: 12,
        }
    }
}

impl TierParams {
    /// Checks the settings: thresholds finite, positive, strictly increasing and at most
    /// [`MAX_THRESHOLDS`]; a finite positive rate; a window of 1..=36 months.
    pub fn check(&self) -> Result<(), TierError> {
        if !(1..=36).contains(&self.window_months) {
            return Err(TierError::InvalidWindow {
                months: self.window_months,
            });
        }
        if let Some(rate) = self.points_per_unit {
            if !(rate.is_finite() && rate > 0.0) {
                return Err(TierError::InvalidRate {
                    rate: finite_or_zero(rate),
                });
            }
        }
        if self.thresholds.len() > MAX_THRESHOLDS {
            return Err(TierError::TooManyTiers {
                thresholds: self.thresholds.len(),
                max: MAX_THRESHOLDS,
            });
        }
        for (i, &t) in self.thresholds.iter().enumerate() {
            if !(t.is_finite() && t > 0.0) {
                return Err(TierError::InvalidThreshold {
                    position: i + 1,
                    value: finite_or_zero(t),
                });
            }
            if let Some(&previous) = i.checked_sub(1).and_then(|p| self.thresholds.get(p)) {
                if t <= previous {
                    return Err(TierError::ThresholdsOutOfOrder {
                        position: i + 1,
                        value: t,
                        previous,
                    });
                }
            }
        }
        Ok(())
    }
}

/// A value fit for an error (errors travel as JSON, which has no NaN).
fn finite_or_zero(v: f64) -> f64 {
    if v.is_finite() {
        v
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_names_the_bad_threshold() {
        let p = |t: Vec<f64>| TierParams {
            thresholds: t,
            ..TierParams::default()
        };
        assert_eq!(p(vec![100.0, 500.0, 2000.0]).check(), Ok(()));
        assert_eq!(
            p(vec![100.0, 500.0, 400.0]).check(),
            Err(TierError::ThresholdsOutOfOrder {
                position: 3,
                value: 400.0,
                previous: 500.0
            })
        );
        assert_eq!(
            p(vec![100.0, 100.0]).check(),
            Err(TierError::ThresholdsOutOfOrder {
                position: 2,
                value: 100.0,
                previous: 100.0
            })
        );
        assert_eq!(
            p(vec![0.0]).check(),
            Err(TierError::InvalidThreshold {
                position: 1,
                value: 0.0
            })
        );
        assert_eq!(
            p(vec![f64::NAN]).check(),
            Err(TierError::InvalidThreshold {
                position: 1,
                value: 0.0
            })
        );
        assert!(matches!(
            p(vec![1.0, 2.0, 3.0, 4.0, 5.0]).check(),
            Err(TierError::TooManyTiers { thresholds: 5, .. })
        ));
        let window = TierParams {
            window_months: 0,
            ..TierParams::default()
        };
        assert_eq!(window.check(), Err(TierError::InvalidWindow { months: 0 }));
        let rate = TierParams {
            points_per_unit: Some(-1.0),
            ..TierParams::default()
        };
        assert_eq!(rate.check(), Err(TierError::InvalidRate { rate: -1.0 }));
    }
}
