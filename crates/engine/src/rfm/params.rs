//! RFM parameters.

use serde::{Deserialize, Serialize};

use super::{RfmError, SegmentGrid};
use crate::Day;

/// Parameters of [`analyze`](super::analyze).
///
/// Defaults: as-of date = the day after the last transaction; exact duplicate lines removed when
/// the file has order ids (a repeated order line is an export error) and kept otherwise (two
/// identical purchases on one day are real); outliers flagged, not capped; the default
/// [`SegmentGrid`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RfmParams {
    /// Day recency is measured from; `None` = day after the last transaction.
    pub as_of_day: Option<Day>,
    /// Remove exact duplicate lines; `None` = the default rule above.
    pub remove_duplicates: Option<bool>,
    /// Cap order values above the outlier fence at the fence.
    pub cap_outliers: bool,
    /// Segment assignment of each (R, F, M) triple.
    pub grid: SegmentGrid,
}

/// Checked parameters, resolved against the dataset.
#[derive(Debug, Clone, PartialEq)]
pub struct RfmValidParams {
    /// Resolved as-of day.
    pub as_of_day: Day,
    /// Resolved duplicate rule.
    pub remove_duplicates: bool,
    /// Cap outliers.
    pub cap_outliers: bool,
    /// The grid.
    pub grid: SegmentGrid,
}

impl RfmParams {
    /// Validates against the data's day range `(first, last)` and whether it has order ids.
    pub fn check(
        &self,
        day_range: (Day, Day),
        has_order_ids: bool,
    ) -> Result<RfmValidParams, RfmError> {
        if !self.grid.is_complete() {
            return Err(RfmError::IncompleteGrid);
        }
        let (first, last) = day_range;
        let as_of_day = self.as_of_day.unwrap_or(last.saturating_add(1));
        if as_of_day < first {
            return Err(RfmError::AsOfBeforeData {
                as_of: crate::calendar::iso_day(as_of_day),
                first: crate::calendar::iso_day(first),
            });
        }
        Ok(RfmValidParams {
            as_of_day,
            remove_duplicates: self.remove_duplicates.unwrap_or(has_order_ids),
            cap_outliers: self.cap_outliers,
            grid: self.grid.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_of_defaults_to_the_day_after_the_last_transaction() {
        let p = RfmParams::default().check((100, 200), false).unwrap();
        assert_eq!(p.as_of_day, 201);
        assert!(!p.remove_duplicates);
        assert!(
            RfmParams::default()
                .check((100, 200), true)
                .unwrap()
                .remove_duplicates
        );
    }

    #[test]
    fn as_of_before_the_data_is_refused() {
        let p = RfmParams {
            as_of_day: Some(99),
            ..Default::default()
        };
        assert!(matches!(
            p.check((100, 200), false),
            Err(RfmError::AsOfBeforeData { .. })
        ));
    }
}
