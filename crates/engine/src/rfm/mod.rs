//! Orders, RFM scores, the eleven named segments, Pareto figures and the dashboard report.
//!
//! [`RfmParams`] → [`RfmParams::check`] → [`analyze`] → [`Analysis`] (per-customer columns plus a
//! bounded, chart-ready [`Report`]). The customer table, its export and the customer page built
//! on these scores are in [`crate::customers`].

mod analysis;
mod errors;
mod params;
mod report;
mod segments;
mod summary;

/// Hand-made and synthetic datasets for the unit tests of the modules built on the RFM run.
#[cfg(test)]
pub(crate) use analysis::tests as fixtures;
pub use analysis::{analyze, analyze_on, Analysis, CustomerScores};
pub use errors::RfmError;
pub use params::{RfmParams, RfmValidParams};
pub use report::{
    Histogram, HistogramBin, Kpis, MonthPoint, OutlierSummary, Pareto, Report, RfHeatmapCell,
    SegmentRow,
};
pub use segments::{Segment, SegmentGrid};
/// Histogram of the positive values of a column (log-spaced bins when skewed), as the monetary
/// histogram; reused for the CLV distribution.
pub(crate) use summary::monetary_histogram as positive_value_histogram;
