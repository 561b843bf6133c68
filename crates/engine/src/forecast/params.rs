//! What the user chooses for the revenue forecast.

use serde::{Deserialize, Serialize};

use super::ForecastError;
use crate::cohorts::CohortPeriod;
use crate::Day;

/// Most periods forecast ahead (two years of months, a year of weeks… both capped here).
pub const MAX_HORIZON: u32 = 104;
/// Most backtest origins.
pub const MAX_ORIGINS: u32 = 12;

/// The length of a forecast period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum ForecastPeriod {
    /// Calendar months (`2024-03`); season 12.
    #[default]
    Month,
    /// ISO weeks, Monday to Sunday, named by their Monday (`2024-03-04`); season 52.
    Week,
}

impl ForecastPeriod {
    /// Stable name (CLI `--period`, JSON).
    pub fn key(self) -> &'static str {
        match self {
            Self::Month => "month",
            Self::Week => "week",
        }
    }

    /// Periods in a year: the season length used when the history holds two full years.
    pub fn season(self) -> usize {
        match self {
            Self::Month => 12,
            Self::Week => 52,
        }
    }

    /// The same calendar as the cohorts' periods (one definition of months and ISO weeks).
    pub fn cohort(self) -> CohortPeriod {
        match self {
            Self::Month => CohortPeriod::Month,
            Self::Week => CohortPeriod::Week,
        }
    }

    /// The period holding `day`, as a running number (consecutive periods differ by 1).
    pub fn index(self, day: Day) -> i64 {
        self.cohort().index(day)
    }

    /// The name of period number `index` (`2024-03`, `2024-03-04`).
    pub fn label(self, index: i64) -> String {
        self.cohort().label(index)
    }

    /// The first day of period number `index` (the inverse of [`Self::index`]); `None` off the
    /// calendar.
    pub fn start_day(self, index: i64) -> Option<Day> {
        self.cohort().start_day(index)
    }
}

/// Forecast settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForecastParams {
    /// Period length (default months).
    pub period: ForecastPeriod,
    /// Periods forecast after the last complete one, 1..=[`MAX_HORIZON`] (default 12).
    pub horizon: u32,
    /// Rolling-origin backtest origins, 0..=[`MAX_ORIGINS`] (default 5; 0: no backtest). Each
    /// origin refits the chosen model on the history up to it and forecasts up to `horizon`
    /// periods after it.
    pub backtest_origins: u32,
}

impl Default for ForecastParams {
    fn default() -> Self {
        Self {
            period: ForecastPeriod::Month,
            horizon: 12,
            backtest_origins: 5,
        }
    }
}

impl ForecastParams {
    /// The settings when valid: a horizon in 1..=[`MAX_HORIZON`], origins at most
    /// [`MAX_ORIGINS`]. (A horizon longer than the history is found by the run.)
    pub fn check(self) -> Result<Self, ForecastError> {
        if self.horizon == 0 || self.horizon > MAX_HORIZON {
            return Err(ForecastError::HorizonOutOfRange {
                horizon: self.horizon,
                max: MAX_HORIZON,
            });
        }
        if self.backtest_origins > MAX_ORIGINS {
            return Err(ForecastError::TooManyOrigins {
                origins: self.backtest_origins,
                max: MAX_ORIGINS,
            });
        }
        Ok(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_bad_values_are_named() {
        assert_eq!(
            ForecastParams::default().check(),
            Ok(ForecastParams::default())
        );
        let zero = ForecastParams {
            horizon: 0,
            ..ForecastParams::default()
        };
        assert_eq!(
            zero.check(),
            Err(ForecastError::HorizonOutOfRange {
                horizon: 0,
                max: MAX_HORIZON
            })
        );
        let origins = ForecastParams {
            backtest_origins: 13,
            ..ForecastParams::default()
        };
        assert!(matches!(
            origins.check(),
            Err(ForecastError::TooManyOrigins { .. })
        ));
        assert_eq!(
            ForecastPeriod::Week.label(ForecastPeriod::Week.index(19_787)),
            "2024-03-04"
        );
    }
}
