//! Orders, RFM scores, the eleven named segments, Pareto figures and the dashboard report.
//!
//! [`RfmParams`] → [`RfmParams::check`] → [`analyze`] → [`Analysis`] (per-customer columns plus a
//! bounded, chart-ready [`Report`]); [`query`] pages/sorts/filters the customer table and
//! [`export_csv`] writes the campaign target list ([`query_tagged`] / [`export_csv_tagged`] add
//! the per-customer tags of [`crate::cluster::TagTable`]); [`customer_profile`] is the
//! customer page (profile and purchase timeline) and [`suggest_ids`] its search box.

mod analysis;
mod customer;
mod errors;
mod params;
mod query;
mod report;
mod segments;
mod summary;

pub use analysis::{analyze, Analysis, CustomerScores};
pub(crate) use customer::mean_days_between;
pub use customer::{
    customer_profile, suggest_ids, CustomerProfile, ProductSpend, TimelineOrder,
    FAVOURITE_PRODUCTS_MAX, ORDER_PRODUCTS_MAX, TIMELINE_MAX_ORDERS,
};
pub use errors::RfmError;
pub use params::{RfmParams, RfmValidParams};
pub use query::{
    export_csv, export_csv_tagged, query, query_tagged, CustomerPage, CustomerPrediction,
    CustomerQuery, CustomerRow, Predictions, SortKey, EXPORT_HEADER, TAG_EXPORT_HEADER,
};
pub use report::{
    Histogram, HistogramBin, Kpis, MonthPoint, OutlierSummary, Pareto, Report, RfHeatmapCell,
    SegmentRow,
};
pub use segments::{Segment, SegmentGrid};
/// Histogram of the positive values of a column (log-spaced bins when skewed), as the monetary
/// histogram; reused for the CLV distribution.
pub(crate) use summary::monetary_histogram as positive_value_histogram;
