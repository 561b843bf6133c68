//! One drawing function per chart, generic over plotters' `DrawingBackend`: the page draws on a
//! canvas, native tests and the CLI draw SVG. Colours live only in [`theme`].
//!
//! Every `draw_*` function takes the drawing area, the report slice it shows, the caller's
//! already-localised [`ChartLabels`] (no chart writes words of its own, only numbers) and a
//! [`ChartTheme`]. Empty input draws [`ChartLabels::no_data`] and returns `Ok`; NaN and infinite
//! values are treated as missing, never as a reason to panic.
//!
//! Charts with hover return a [`PlotLayout`]: the plot rectangle and the pixel x of each data
//! point, in the backend's pixel space (for a canvas: canvas pixels, so the UI scales CSS pixels
//! by `canvas.width / rect.width` first). [`nearest_point`] maps a mouse x to a data index, and
//! [`lorenz_at`] reads the Lorenz curve at any customer share.

mod baskets;
mod cluster;
mod clv;
mod cohorts;
mod dashboard;
mod error;
mod experiment;
mod forecast;
mod heatmap;
mod histogram;
mod labels;
mod layout;
mod lorenz;
mod repurchase;
mod segments;
mod sendtime;
pub mod theme;
mod tiers;
mod trend;
mod util;

pub use baskets::{basket_readout, draw_basket_chart, BasketChartData, BasketChartKind};
pub use cluster::{
    cluster_readout, cluster_segment_name, draw_cluster_chart, ClusterChartKind, ClusterLayout,
    HoverAxis, HOVER_RADIUS_PX,
};
pub use clv::{draw_clv_chart, ClvChartKind};
pub use cohorts::{cohort_readout, draw_cohort_chart, CohortChartKind, CohortMetric};
pub use dashboard::{draw_dashboard_chart, ChartKind};
pub use error::{ChartError, ChartResult};
pub use experiment::{
    draw_forest_chart, draw_gain_chart, draw_qini_chart, forest_readout, gain_readout, qini_readout,
};
pub use forecast::{draw_forecast_chart, forecast_readout};
pub use heatmap::draw_rf_heatmap;
pub use histogram::{draw_histogram, histogram_log_y, LOG_Y_SKEW_RATIO};
pub use labels::ChartLabels;
pub use layout::{nearest_point, PlotLayout};
pub use lorenz::{draw_lorenz, lorenz_at};
pub use repurchase::{draw_repurchase_chart, repurchase_readout, REPURCHASE_CHART_ITEMS};
pub use segments::draw_segments;
pub use sendtime::{draw_sendtime_chart, sendtime_readout};
pub use theme::{diverging, heat, ChartTheme};
pub use tiers::{draw_tier_chart, tier_readout};
pub use trend::draw_monthly_trend;
