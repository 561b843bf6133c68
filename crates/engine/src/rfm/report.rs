//! The dashboard report: bounded in size (no per-customer rows), chart-ready, sorted.

use serde::{Deserialize, Serialize};

use super::Segment;
use crate::Day;

/// Headline figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Kpis {
    /// Scored customers (at least one order with a positive net amount).
    pub customers: u64,
    /// Orders with a positive net amount.
    pub orders: u64,
    /// Net revenue (returns netted).
    pub revenue: f64,
    /// `revenue / orders`.
    pub average_order_value: f64,
    /// Share of customers with two or more orders, 0..=1.
    pub repeat_customer_rate: f64,
}

/// One calendar month of the trend chart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthPoint {
    /// Calendar year.
    pub year: i32,
    /// Month 1..=12.
    pub month: u32,
    /// Net revenue of orders placed that month.
    pub revenue: f64,
    /// Orders placed that month.
    pub orders: u64,
    /// Distinct customers who ordered that month.
    pub customers: u64,
}

/// One row of the segment table, in [`Segment::ALL`] order (all 11, empty ones included).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentRow {
    /// The segment.
    pub segment: Segment,
    /// Customers in it.
    pub customers: u64,
    /// Share of all scored customers, 0..=1.
    pub customer_share: f64,
    /// Their net revenue.
    pub revenue: f64,
    /// Share of net revenue, 0..=1.
    pub revenue_share: f64,
    /// Mean recency in days (0 when empty).
    pub mean_recency_days: f64,
    /// Mean number of orders (0 when empty).
    pub mean_frequency: f64,
    /// Mean net revenue per customer (0 when empty).
    pub mean_monetary: f64,
}

/// One cell of the R-by-F heatmap.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RfHeatmapCell {
    /// Recency score 1..=5.
    pub r_score: u8,
    /// Frequency score 1..=5.
    pub f_score: u8,
    /// Customers in the cell.
    pub customers: u64,
    /// Their mean net revenue (0 when empty).
    pub mean_monetary: f64,
}

/// Value concentration.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Pareto {
    /// Lorenz curve: (share of customers, share of revenue), customers sorted by ascending
    /// revenue, from (0,0) to (1,1), at most 201 points. Negative customer revenue counts as 0.
    pub lorenz: Vec<(f64, f64)>,
    /// Share of revenue from the top 1, 5, 10 and 20 percent of customers: (percent, share 0..=1).
    pub top_shares: Vec<(f64, f64)>,
    /// Gini coefficient of customer revenue, 0..=1.
    pub gini: f64,
    /// Smallest share of customers (0..=1, top spenders first) that brings 80% of revenue.
    pub customer_share_for_80_percent: f64,
}

/// One histogram bin `[lower, upper)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistogramBin {
    /// Lower edge (inclusive).
    pub lower: f64,
    /// Upper edge (exclusive; inclusive for the last bin).
    pub upper: f64,
    /// Customers in the bin.
    pub count: u64,
}

/// A distribution, binned for drawing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    /// Bins in ascending order.
    pub bins: Vec<HistogramBin>,
    /// Whether the bins are spaced logarithmically (draw the x axis on a log scale).
    pub log_x: bool,
}

/// Order-value outliers by a robust rule: net order values above `Q3 + 3 × IQR` of the log order
/// values (a Tukey far-out fence on the log scale) are flagged.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OutlierSummary {
    /// The fence, in currency units.
    pub fence: f64,
    /// Orders above the fence.
    pub flagged_orders: u64,
    /// Their total net value.
    pub flagged_revenue: f64,
    /// Whether they were capped at the fence for this analysis.
    pub capped: bool,
}

/// Everything the dashboard draws, for one dataset and one set of parameters.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Day recency is measured from.
    pub as_of_day: Day,
    /// First and last order day.
    pub first_day: Day,
    /// Last order day.
    pub last_day: Day,
    /// Headline figures.
    pub kpis: Kpis,
    /// Monthly revenue, orders, customers, in time order (months without orders included as 0).
    pub monthly: Vec<MonthPoint>,
    /// Segment table, in [`Segment::ALL`] order.
    pub segments: Vec<SegmentRow>,
    /// R-by-F heatmap, 25 cells, r-major.
    pub rf_heatmap: Vec<RfHeatmapCell>,
    /// Concentration figures.
    pub pareto: Pareto,
    /// Recency in days.
    pub recency_histogram: Histogram,
    /// Orders per customer.
    pub frequency_histogram: Histogram,
    /// Net revenue per customer (log-spaced when skewed).
    pub monetary_histogram: Histogram,
    /// Order-value outliers.
    pub outliers: OutlierSummary,
    /// Exact duplicate lines removed for this analysis (0 when kept).
    pub duplicates_removed: u64,
    /// Whether duplicates were removed.
    pub duplicates_were_removed: bool,
    /// Orders that are not purchases (a negative net, or a sale and its return netting to 0),
    /// not counted as orders.
    pub fully_returned_orders: u64,
    /// Customers with lines on or before the as-of day but only returns among them; not scored.
    pub customers_without_purchase: u64,
    /// Customers of the file whose every line is dated after the as-of day; not scored.
    /// The file's customers = [`Kpis::customers`] + `customers_without_purchase` + this.
    #[serde(default)]
    pub customers_after_as_of: u64,
}
