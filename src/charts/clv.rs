//! The predictive-scoring (CLV) tab's charts as one enum, like [`super::ChartKind`] for the
//! dashboard: the model matrices, the CLV distribution, churn risk by segment and the holdout
//! validation. The page draws through [`draw_clv_chart`] on a canvas; native tests and the CLI
//! can do the same on SVG.

mod churn;
mod holdout;
mod matrix;

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::util::begin;
use super::{draw_histogram, ChartLabels, ChartResult, ChartTheme, PlotLayout};
use crate::engine::clv::{ClvReport, HoldoutComparison, TimeUnit};
use crate::engine::rfm::Segment;
use crate::i18n::{fill, segment_name, t, Lang, Text};

use churn::draw_churn_by_segment;
use holdout::{draw_holdout_by_frequency, draw_holdout_cumulative};
use matrix::{draw_model_matrix, MatrixValues};

/// The predictions tab's charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClvChartKind {
    /// Probability alive over frequency × recency (heatmap).
    ProbabilityAlive,
    /// Expected purchases in the user's horizon over frequency × recency (heatmap).
    ExpectedPurchases,
    /// Distribution of positive CLV values (histogram).
    ClvDistribution,
    /// Customers per churn-risk band, by RFM segment (stacked bars).
    ChurnBySegment,
    /// Holdout purchases per customer by calibration frequency, actual vs each model.
    HoldoutByFrequency,
    /// Cumulative repeat purchases over time, actual vs each model.
    HoldoutCumulative,
}

impl ClvChartKind {
    /// All charts, in page order.
    pub const ALL: [ClvChartKind; 6] = [
        Self::ProbabilityAlive,
        Self::ExpectedPurchases,
        Self::ClvDistribution,
        Self::ChurnBySegment,
        Self::HoldoutByFrequency,
        Self::HoldoutCumulative,
    ];

    /// The chart's title.
    pub fn title(self) -> Text {
        match self {
            Self::ProbabilityAlive => t::CHART_CLV_P_ALIVE,
            Self::ExpectedPurchases => t::CHART_CLV_EXPECTED,
            Self::ClvDistribution => t::CHART_CLV_DISTRIBUTION,
            Self::ChurnBySegment => t::CHART_CLV_CHURN,
            Self::HoldoutByFrequency => t::CHART_CLV_HOLDOUT_FREQUENCY,
            Self::HoldoutCumulative => t::CHART_CLV_HOLDOUT_CUMULATIVE,
        }
    }

    /// Stable short name (`data-testid="chart-{name}"`, PNG file names).
    pub fn name(self) -> &'static str {
        match self {
            Self::ProbabilityAlive => "p-alive",
            Self::ExpectedPurchases => "expected-purchases",
            Self::ClvDistribution => "clv-distribution",
            Self::ChurnBySegment => "churn-by-segment",
            Self::HoldoutByFrequency => "holdout-frequency",
            Self::HoldoutCumulative => "holdout-cumulative",
        }
    }

    /// Whether the chart draws the holdout validation (and so needs one).
    pub fn needs_validation(self) -> bool {
        matches!(self, Self::HoldoutByFrequency | Self::HoldoutCumulative)
    }
}

/// Draws one predictions chart in `lang`: the matrices, distribution and churn chart from
/// `report`, the holdout charts from `validation` (their "no data" text when it is `None`). The
/// title is left to the caller unless `with_title`.
///
/// Returns the hover layout of the charts that have one: the CLV distribution (bin centres, as
/// [`draw_histogram`]) and the cumulative holdout curve (one x per [`HoldoutComparison::cumulative`]
/// point; an empty layout when there is nothing to draw). The other charts return `None`.
pub fn draw_clv_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    kind: ClvChartKind,
    report: &ClvReport,
    validation: Option<&HoldoutComparison>,
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
    let unit = match report.time_unit {
        TimeUnit::Days => t::UNIT_DAYS,
        TimeUnit::Weeks => t::CLV_UNIT_WEEKS,
    };
    let matrix_labels = |legend: String| {
        base.clone()
            .x_axis(l(t::AXIS_CLV_FREQUENCY))
            .y_axis(fill(lang, t::AXIS_CLV_RECENCY, &[unit.get(lang)]))
            .series([legend])
    };
    match kind {
        ClvChartKind::ProbabilityAlive => {
            let labels = matrix_labels(l(t::LEGEND_CLV_P_ALIVE));
            draw_model_matrix(
                area,
                &report.probability_alive_matrix,
                MatrixValues::Probability,
                &labels,
                theme,
            )
            .map(|()| None)
        }
        ClvChartKind::ExpectedPurchases => {
            let horizon = report.settings.horizon_days.to_string();
            let labels = matrix_labels(fill(lang, t::LEGEND_CLV_EXPECTED, &[&horizon]));
            draw_model_matrix(
                area,
                &report.expected_purchases_matrix,
                MatrixValues::Count,
                &labels,
                theme,
            )
            .map(|()| None)
        }
        ClvChartKind::ClvDistribution => {
            let hist = &report.clv_histogram;
            let x_axis = if hist.log_x {
                t::AXIS_CLV_VALUE
            } else {
                t::AXIS_CLV_VALUE_LINEAR
            };
            let labels = base
                .x_axis(l(x_axis))
                .y_axis(l(t::AXIS_CUSTOMERS))
                .y_axis_log_scale(l(t::AXIS_CUSTOMERS_LOG));
            draw_histogram(area, hist, &labels, theme).map(Some)
        }
        ClvChartKind::ChurnBySegment => {
            let names: Vec<String> = Segment::ALL
                .into_iter()
                .map(|s| segment_name(lang, s).to_string())
                .collect();
            let labels = base.x_axis(l(t::AXIS_CUSTOMERS)).series([
                l(t::LEGEND_CLV_RISK_LOW),
                l(t::LEGEND_CLV_RISK_MEDIUM),
                l(t::LEGEND_CLV_RISK_HIGH),
            ]);
            draw_churn_by_segment(area, &report.churn_by_segment, &names, &labels, theme)
                .map(|()| None)
        }
        ClvChartKind::HoldoutByFrequency => {
            let labels = base
                .x_axis(l(t::AXIS_CLV_CALIBRATION_FREQUENCY))
                .y_axis(l(t::AXIS_CLV_HOLDOUT_MEAN));
            let Some(validation) = validation else {
                begin(area, &labels, theme, true)?;
                return Ok(None);
            };
            let labels = labels.series(
                std::iter::once(l(t::LEGEND_CLV_ACTUAL)).chain(validation.models.iter().cloned()),
            );
            draw_holdout_by_frequency(area, validation, &labels, theme).map(|()| None)
        }
        ClvChartKind::HoldoutCumulative => {
            let labels = base
                .x_axis(l(t::AXIS_CLV_DATE))
                .y_axis(l(t::AXIS_CLV_CUMULATIVE));
            let Some(validation) = validation else {
                begin(area, &labels, theme, true)?;
                return Ok(Some(PlotLayout::default()));
            };
            let labels = labels.series(
                std::iter::once(l(t::LEGEND_CLV_ACTUAL))
                    .chain(validation.models.iter().cloned())
                    .chain(std::iter::once(l(t::LEGEND_CLV_CALIBRATION_END))),
            );
            draw_holdout_cumulative(area, validation, &labels, theme).map(Some)
        }
    }
}

/// Colour of series `k` of the holdout charts: 0 = actual (`accent`), 1 = the first model
/// (`accent2`), then series colours chosen to stay apart from both.
fn holdout_color(theme: &ChartTheme, k: usize) -> plotters::style::RGBColor {
    const MORE: [usize; 4] = [8, 3, 6, 0];
    match k {
        0 => theme.accent,
        1 => theme.accent2,
        _ => theme.series_color(MORE[(k - 2) % MORE.len()]),
    }
}
