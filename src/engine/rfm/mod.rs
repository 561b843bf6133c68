//! Orders, RFM scores, the eleven named segments, Pareto figures and the dashboard report.
//!
//! [`RfmParams`] → [`RfmParams::check`] → [`analyze`] → [`Analysis`] (per-customer columns plus a
//! bounded, chart-ready [`Report`]); [`query`] pages/sorts/filters the customer table and
//! [`export_csv`] writes the campaign target list.

mod analysis;
mod errors;
mod params;
mod query;
mod report;
mod segments;
mod summary;

pub use analysis::{analyze, Analysis, CustomerScores};
pub use errors::RfmError;
pub use params::{RfmParams, RfmValidParams};
pub use query::{
    export_csv, neutralize_formula, query, CustomerPage, CustomerPrediction, CustomerQuery,
    CustomerRow, Predictions, SortKey, EXPORT_HEADER,
};
pub use report::{
    Histogram, HistogramBin, Kpis, MonthPoint, OutlierSummary, Pareto, Report, RfHeatmapCell,
    SegmentRow,
};
pub use segments::{Segment, SegmentGrid};
/// Histogram of the positive values of a column (log-spaced bins when skewed), as the monetary
/// histogram; reused for the CLV distribution.
pub(crate) use summary::monetary_histogram as positive_value_histogram;
