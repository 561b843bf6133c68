//! Settings of a campaign analysis: where the outcomes come from, which groups and metrics, and
//! the test's conventions (GrowthBook's defaults: α = 0.05, two-sided, lift relative to control).

use serde::{Deserialize, Serialize};

use super::stats::{Difference, MetricKind};
use super::ExperimentError;
use crate::Day;

/// Largest number of groups (control included).
pub const MAX_GROUPS: usize = 20;
/// Largest number of metrics.
pub const MAX_METRICS: usize = 20;
/// Longest outcome window, in days.
pub const MAX_WINDOW_DAYS: u32 = 3_660;

/// How the p-values of several variants or metrics are adjusted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Correction {
    /// None (each comparison at α).
    #[default]
    None,
    /// Holm–Bonferroni (family-wise error rate).
    Holm,
    /// Benjamini–Hochberg (false discovery rate).
    Bh,
}

/// One outcome column of a results file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricChoice {
    /// Its header.
    pub column: String,
    /// Binomial (0/1) or mean; `None`: binomial when every value is 0 or 1.
    #[serde(default)]
    pub kind: Option<MetricKind>,
    /// The header of its pre-period column (CUPED covariate), if any.
    #[serde(default)]
    pub covariate: Option<String>,
}

/// Where each customer's outcomes come from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum OutcomeSource {
    /// The attached file holds them: one row per customer with its group and outcome columns.
    Results {
        /// The outcome columns; empty: every numeric column but the group's (each `x` with a
        /// column `x_pre` or `pre_x` as its covariate).
        #[serde(default)]
        metrics: Vec<MetricChoice>,
    },
    /// The attached file is a contact list (customer id, group, optionally the contact date);
    /// the outcomes come from the loaded transactions: converted (any purchase in the window),
    /// orders and revenue in the window, each over the same length before the start as its
    /// CUPED covariate.
    Contacts {
        /// The first day of the window; `None`: each contact's own date (the contact-date
        /// column; without one the analysis asks for a start).
        #[serde(default)]
        start_day: Option<Day>,
        /// The window's length in days (1..=[`MAX_WINDOW_DAYS`]).
        window_days: u32,
        /// The header of the contact-date column; `None`: guessed (a header with "date", 日期,
        /// 时间), else no dates.
        #[serde(default)]
        date_column: Option<String>,
    },
}

/// Campaign economics for the ROI card.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RoiParams {
    /// Cost of one contact (currency units).
    pub cost_per_contact: f64,
    /// Fixed cost of the campaign.
    pub fixed_cost: f64,
    /// Gross margin on revenue, 0..=100 %.
    pub margin_percent: f64,
}

/// Settings of one campaign analysis.
///
/// Defaults ([`ExperimentParams::new`]): group column guessed, control guessed (a group named
/// control, holdout, 对照 …, else the first in sort order), equal intended weights, α = 0.05,
/// relative lift, no correction, fixed-horizon test (no sequential), no ROI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExperimentParams {
    /// Outcomes from the file or from the transactions.
    pub source: OutcomeSource,
    /// The header of the customer-id column; `None`: guessed.
    #[serde(default)]
    pub id_column: Option<String>,
    /// The header of the group (variant) column; `None`: guessed.
    #[serde(default)]
    pub group_column: Option<String>,
    /// The control group's name; `None`: guessed.
    #[serde(default)]
    pub control: Option<String>,
    /// Intended traffic weights, in the order of the groups sorted with control first; empty:
    /// equal.
    #[serde(default)]
    pub weights: Vec<f64>,
    /// Significance level (0 < α < 0.5).
    pub alpha: f64,
    /// Relative or absolute difference.
    pub difference: Difference,
    /// Adjustment of the p-values for several variants × metrics.
    #[serde(default)]
    pub correction: Correction,
    /// `Some(τ)`: sequential testing (confidence sequences) with tuning parameter τ.
    #[serde(default)]
    pub sequential_tuning: Option<f64>,
    /// The ROI card's economics.
    #[serde(default)]
    pub roi: Option<RoiParams>,
}

impl ExperimentParams {
    /// The defaults for outcomes from `source`.
    pub fn new(source: OutcomeSource) -> Self {
        Self {
            source,
            id_column: None,
            group_column: None,
            control: None,
            weights: Vec::new(),
            alpha: 0.05,
            difference: Difference::Relative,
            correction: Correction::None,
            sequential_tuning: None,
            roi: None,
        }
    }

    /// Checks the settings that do not depend on the file.
    pub fn check(&self) -> Result<(), ExperimentError> {
        if !(self.alpha > 0.0 && self.alpha < 0.5) {
            return Err(ExperimentError::InvalidAlpha {
                alpha: finite(self.alpha),
            });
        }
        if let Some(tau) = self.sequential_tuning {
            if !(tau.is_finite() && tau >= 1.0) {
                return Err(ExperimentError::InvalidTuning {
                    tuning: finite(tau),
                });
            }
        }
        if let Some((position, value)) = self
            .weights
            .iter()
            .enumerate()
            .find(|(_, w)| !(w.is_finite() && **w >= 0.0))
        {
            return Err(ExperimentError::InvalidWeight {
                position: position + 1,
                value: finite(*value),
            });
        }
        if !self.weights.is_empty() && self.weights.iter().all(|w| *w == 0.0) {
            return Err(ExperimentError::InvalidWeight {
                position: 1,
                value: 0.0,
            });
        }
        match &self.source {
            OutcomeSource::Contacts { window_days, .. } => {
                if *window_days == 0 || *window_days > MAX_WINDOW_DAYS {
                    return Err(ExperimentError::InvalidWindow { days: *window_days });
                }
            }
            OutcomeSource::Results { metrics } => {
                if metrics.len() > MAX_METRICS {
                    return Err(ExperimentError::TooManyMetrics {
                        metrics: metrics.len(),
                        max: MAX_METRICS,
                    });
                }
            }
        }
        if let Some(roi) = &self.roi {
            let fields = [
                ("cost_per_contact", roi.cost_per_contact),
                ("fixed_cost", roi.fixed_cost),
            ];
            for (field, value) in fields {
                if !(value.is_finite() && value >= 0.0) {
                    return Err(ExperimentError::InvalidRoi {
                        field: field.into(),
                        value: finite(value),
                    });
                }
            }
            if !(roi.margin_percent.is_finite() && (0.0..=100.0).contains(&roi.margin_percent)) {
                return Err(ExperimentError::InvalidRoi {
                    field: "margin_percent".into(),
                    value: finite(roi.margin_percent),
                });
            }
        }
        Ok(())
    }
}

/// A value fit for an error message (a non-number becomes 0, as elsewhere in the engine).
fn finite(v: f64) -> f64 {
    if v.is_finite() {
        v
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn results() -> ExperimentParams {
        ExperimentParams::new(OutcomeSource::Results {
            metrics: Vec::new(),
        })
    }

    #[test]
    fn defaults_pass() {
        assert_eq!(results().check(), Ok(()));
    }

    #[test]
    fn alpha_outside_zero_half_is_refused() {
        for alpha in [0.0, 0.5, -1.0, f64::NAN] {
            let p = ExperimentParams { alpha, ..results() };
            assert!(
                matches!(p.check(), Err(ExperimentError::InvalidAlpha { .. })),
                "{alpha}"
            );
        }
    }

    #[test]
    fn negative_or_all_zero_weights_are_refused() {
        let p = ExperimentParams {
            weights: vec![1.0, -1.0],
            ..results()
        };
        assert_eq!(
            p.check(),
            Err(ExperimentError::InvalidWeight {
                position: 2,
                value: -1.0
            })
        );
        let p = ExperimentParams {
            weights: vec![0.0, 0.0],
            ..results()
        };
        assert!(p.check().is_err());
    }

    #[test]
    fn window_is_bounded() {
        for days in [0, MAX_WINDOW_DAYS + 1] {
            let p = ExperimentParams::new(OutcomeSource::Contacts {
                start_day: None,
                window_days: days,
                date_column: None,
            });
            assert_eq!(p.check(), Err(ExperimentError::InvalidWindow { days }));
        }
    }

    #[test]
    fn tuning_and_roi_are_checked() {
        let p = ExperimentParams {
            sequential_tuning: Some(0.0),
            ..results()
        };
        assert!(matches!(
            p.check(),
            Err(ExperimentError::InvalidTuning { .. })
        ));
        let roi = RoiParams {
            cost_per_contact: 0.1,
            fixed_cost: 0.0,
            margin_percent: 140.0,
        };
        let p = ExperimentParams {
            roi: Some(roi),
            ..results()
        };
        assert!(matches!(p.check(), Err(ExperimentError::InvalidRoi { .. })));
    }
}
