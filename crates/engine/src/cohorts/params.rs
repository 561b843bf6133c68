//! What the user chooses for the cohort analysis.

use serde::{Deserialize, Serialize};

use crate::baskets::ItemLevel;
use crate::calendar::{iso_day, year_month};
use crate::Day;

/// The length of a cohort period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum CohortPeriod {
    /// Calendar months (`2024-03`).
    #[default]
    Month,
    /// ISO weeks, Monday to Sunday, named by their Monday (`2024-03-04`).
    Week,
    /// Calendar quarters (`2024-Q1`).
    Quarter,
}

/// Day 4 after 1970-01-01 (a Thursday) is the Monday 1970-01-05.
const FIRST_MONDAY: Day = 4;

impl CohortPeriod {
    /// Stable name (CLI `--period`, JSON).
    pub fn key(self) -> &'static str {
        match self {
            Self::Month => "month",
            Self::Week => "week",
            Self::Quarter => "quarter",
        }
    }

    /// The period holding `day`, as a running number (consecutive periods differ by 1).
    pub fn index(self, day: Day) -> i64 {
        match self {
            Self::Week => i64::from(day - FIRST_MONDAY).div_euclid(7),
            Self::Month | Self::Quarter => {
                let (y, m) = year_month(day).unwrap_or((1970, 1));
                let months = i64::from(y) * 12 + i64::from(m) - 1;
                if self == Self::Month {
                    months
                } else {
                    months.div_euclid(3)
                }
            }
        }
    }

    /// The first day of period number `index` (the inverse of [`Self::index`]); `None` off the
    /// calendar.
    pub fn start_day(self, index: i64) -> Option<Day> {
        let first_of_month = |months: i64| {
            crate::calendar::day_from_ymd(
                i32::try_from(months.div_euclid(12)).ok()?,
                u32::try_from(months.rem_euclid(12) + 1).ok()?,
                1,
            )
        };
        match self {
            Self::Week => i32::try_from(index * 7 + i64::from(FIRST_MONDAY)).ok(),
            Self::Month => first_of_month(index),
            Self::Quarter => first_of_month(index * 3),
        }
    }

    /// The name of period number `index` (`2024-03`, `2024-03-04`, `2024-Q1`).
    pub fn label(self, index: i64) -> String {
        match self {
            Self::Week => {
                let monday = index * 7 + i64::from(FIRST_MONDAY);
                i32::try_from(monday).map_or_else(|_| index.to_string(), iso_day)
            }
            Self::Month => format!(
                "{:04}-{:02}",
                index.div_euclid(12),
                index.rem_euclid(12) + 1
            ),
            Self::Quarter => format!("{:04}-Q{}", index.div_euclid(4), index.rem_euclid(4) + 1),
        }
    }
}

/// How the customers are split before their cohorts are formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum CohortSplit {
    /// All customers together.
    #[default]
    None,
    /// By the product (or category) of their first purchase.
    FirstItem(ItemLevel),
    /// By the region of their first purchase.
    FirstRegion,
    /// By the channel of their first purchase.
    FirstChannel,
}

/// Cohort settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct CohortParams {
    /// Period length (default months).
    pub period: CohortPeriod,
    /// Split (default none).
    pub split: CohortSplit,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::day_from_ymd;

    #[test]
    fn periods_number_and_name_calendar_months_quarters_and_iso_weeks() {
        let d = |y, m, dd| day_from_ymd(y, m, dd).unwrap();
        let m = CohortPeriod::Month;
        assert_eq!(m.index(d(2024, 3, 31)) - m.index(d(2023, 12, 1)), 3);
        assert_eq!(m.label(m.index(d(2024, 3, 5))), "2024-03");
        let q = CohortPeriod::Quarter;
        assert_eq!(q.label(q.index(d(2024, 6, 30))), "2024-Q2");
        assert_eq!(q.index(d(2024, 1, 1)) - q.index(d(2023, 12, 31)), 1);
        let w = CohortPeriod::Week;
        // 2024-03-04 is a Monday; Sunday 2024-03-10 is in its week, Monday 2024-03-11 is not.
        assert_eq!(w.label(w.index(d(2024, 3, 10))), "2024-03-04");
        assert_eq!(w.index(d(2024, 3, 11)) - w.index(d(2024, 3, 10)), 1);
        assert_eq!(w.label(w.index(d(1969, 12, 31))), "1969-12-29");
    }
}
