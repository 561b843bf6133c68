//! Dataset → orders → per-customer RFM → report. (Interface fixed; implementation by the RFM work.)

use super::{Report, RfmError, RfmParams, Segment};
use crate::engine::{Dataset, Day};

/// Per-customer results, columnar; entry `i` describes customer `customer[i]` (an index into
/// `Dataset::customer_ids`), sorted by that index. Only customers with a purchase are present.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerScores {
    /// Customer index into `Dataset::customer_ids`.
    pub customer: Vec<u32>,
    /// Days from the last order to the as-of day.
    pub recency_days: Vec<i32>,
    /// Orders with a positive net amount.
    pub frequency: Vec<u32>,
    /// Net revenue.
    pub monetary: Vec<f64>,
    /// First order day.
    pub first_day: Vec<Day>,
    /// Last order day.
    pub last_day: Vec<Day>,
    /// Recency score 1..=5 (5 = most recent).
    pub r_score: Vec<u8>,
    /// Frequency score 1..=5.
    pub f_score: Vec<u8>,
    /// Monetary score 1..=5.
    pub m_score: Vec<u8>,
    /// Named segment.
    pub segment: Vec<Segment>,
}

impl CustomerScores {
    /// Number of scored customers.
    pub fn len(&self) -> usize {
        self.customer.len()
    }
    /// True when nobody was scored.
    pub fn is_empty(&self) -> bool {
        self.customer.is_empty()
    }
}

/// The result of one analysis run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysis {
    /// Per-customer scores.
    pub customers: CustomerScores,
    /// The dashboard report.
    pub report: Report,
}

/// Runs orders → RFM → segments → report.
pub fn analyze(dataset: &Dataset, params: &RfmParams) -> Result<Analysis, RfmError> {
    let _ = (dataset, params);
    Err(RfmError::NoCustomers)
}
