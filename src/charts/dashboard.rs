//! The dashboard's charts as one enum: which report slice each draws, with which localised
//! labels. The page and the browser tests draw through [`draw_dashboard_chart`] on a canvas; native
//! tests and the CLI can do the same on SVG.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::{
    draw_histogram, draw_lorenz, draw_monthly_trend, draw_rf_heatmap, draw_segments, ChartLabels,
    ChartResult, ChartTheme, PlotLayout,
};
use crate::engine::rfm::{Report, Segment};
use crate::i18n::{segment_name, t, Lang, Text};

/// The dashboard's charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChartKind {
    /// Monthly revenue and orders.
    Trend,
    /// Customers and revenue per segment.
    Segments,
    /// R-by-F heatmap.
    Heatmap,
    /// Lorenz curve.
    Lorenz,
    /// Recency histogram.
    Recency,
    /// Frequency histogram.
    Frequency,
    /// Monetary histogram.
    Monetary,
}

impl ChartKind {
    /// All charts, in dashboard order.
    pub const ALL: [ChartKind; 7] = [
        Self::Trend,
        Self::Segments,
        Self::Heatmap,
        Self::Lorenz,
        Self::Recency,
        Self::Frequency,
        Self::Monetary,
    ];

    /// The chart's title.
    pub fn title(self) -> Text {
        match self {
            Self::Trend => t::CHART_TREND,
            Self::Segments => t::CHART_SEGMENTS,
            Self::Heatmap => t::CHART_HEATMAP,
            Self::Lorenz => t::CHART_LORENZ,
            Self::Recency => t::CHART_RECENCY,
            Self::Frequency => t::CHART_FREQUENCY,
            Self::Monetary => t::CHART_MONETARY,
        }
    }

    /// Stable short name (`data-testid="chart-{name}"`, PNG file names).
    pub fn name(self) -> &'static str {
        match self {
            Self::Trend => "trend",
            Self::Segments => "segments",
            Self::Heatmap => "heatmap",
            Self::Lorenz => "lorenz",
            Self::Recency => "recency",
            Self::Frequency => "frequency",
            Self::Monetary => "monetary",
        }
    }
}

/// Draws one dashboard chart of `report` in `lang`. The title is left to the caller (the page
/// shows it above the canvas) unless `with_title`. Returns the hover layout where the chart has one.
pub fn draw_dashboard_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    kind: ChartKind,
    report: &Report,
    lang: Lang,
    theme: &ChartTheme,
    with_title: bool,
) -> ChartResult<Option<PlotLayout>> {
    let l = |text: Text| text.get(lang).to_string();
    let title = if with_title {
        l(kind.title())
    } else {
        String::new()
    };
    let base = ChartLabels::new(title).no_data(l(t::NO_DATA));
    match kind {
        ChartKind::Trend => {
            let labels = base
                .x_axis(l(t::AXIS_MONTH))
                .y_axis(l(t::AXIS_REVENUE))
                .secondary_y_axis(l(t::AXIS_ORDERS))
                .series([l(t::LEGEND_REVENUE), l(t::AXIS_ORDERS)]);
            draw_monthly_trend(area, &report.monthly, &labels, theme).map(Some)
        }
        ChartKind::Segments => {
            let names: Vec<String> = Segment::ALL
                .into_iter()
                .map(|s| segment_name(lang, s).to_string())
                .collect();
            let labels = base
                .x_axis(l(t::AXIS_SHARE))
                .series([l(t::LEGEND_CUSTOMERS), l(t::LEGEND_REVENUE)]);
            draw_segments(area, &report.segments, &names, &labels, theme).map(|()| None)
        }
        ChartKind::Heatmap => {
            let labels = base.x_axis(l(t::AXIS_F_SCORE)).y_axis(l(t::AXIS_R_SCORE));
            draw_rf_heatmap(area, &report.rf_heatmap, &labels, theme).map(|()| None)
        }
        ChartKind::Lorenz => {
            let labels = base
                .x_axis(l(t::AXIS_CUSTOMER_SHARE))
                .y_axis(l(t::AXIS_REVENUE_SHARE));
            draw_lorenz(area, &report.pareto, &labels, theme).map(Some)
        }
        ChartKind::Recency | ChartKind::Frequency | ChartKind::Monetary => {
            let (hist, x_axis) = match kind {
                ChartKind::Recency => (&report.recency_histogram, l(t::AXIS_RECENCY_DAYS)),
                ChartKind::Frequency => {
                    let h = &report.frequency_histogram;
                    let has_tail = h.bins.last().is_some_and(|b| b.lower >= 20.0);
                    (
                        h,
                        l(if has_tail {
                            t::AXIS_FREQUENCY_TAIL
                        } else {
                            t::AXIS_FREQUENCY
                        }),
                    )
                }
                _ if report.monetary_histogram.log_x => {
                    (&report.monetary_histogram, l(t::AXIS_MONETARY))
                }
                _ => (&report.monetary_histogram, l(t::AXIS_MONETARY_LINEAR)),
            };
            let labels = base
                .x_axis(x_axis)
                .y_axis(l(t::AXIS_CUSTOMERS))
                .y_axis_log_scale(l(t::AXIS_CUSTOMERS_LOG));
            draw_histogram(area, hist, &labels, theme).map(Some)
        }
    }
}
