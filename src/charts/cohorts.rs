//! The lifecycle view's cohort charts as one enum, like [`super::BasketChartKind`]: the shown
//! group's cohorts × periods since the first purchase as a heatmap, and every group's average
//! curve. Both show one [`CohortMetric`] (share active, revenue per customer or its cumulative
//! sum, the LTV curve). The page draws through [`draw_cohort_chart`] on a canvas; native tests and
//! the CLI can do the same on SVG. [`cohort_readout`] turns a hover position into the readout
//! line, so the component only forwards the mouse.

mod curves;
mod heatmap;

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::{ChartLabels, ChartResult, ChartTheme, ClusterLayout};
use crate::engine::cohorts::{AverageCell, CohortCell, CohortReport, CohortRow};
use crate::format::{compact, grouped, percent};
use crate::i18n::{fill, t, Lang, Text};

use curves::{draw_curves, Curve};
use heatmap::draw_heatmap;

/// What the cohort charts show of each cohort (or group) and period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum CohortMetric {
    /// The share of the cohort's customers who bought in the period (in percent).
    #[default]
    ActiveShare,
    /// The period's net revenue per cohort customer.
    RevenuePerCustomer,
    /// The revenue of periods 0 up to this one per cohort customer (the LTV curve).
    CumulativeRevenuePerCustomer,
}

impl CohortMetric {
    /// All metrics, in menu order.
    pub const ALL: [CohortMetric; 3] = [
        Self::ActiveShare,
        Self::RevenuePerCustomer,
        Self::CumulativeRevenuePerCustomer,
    ];

    /// The metric's name (menus, the heatmap's colour scale).
    pub fn title(self) -> Text {
        match self {
            Self::ActiveShare => t::COHORTS_METRIC_ACTIVE,
            Self::RevenuePerCustomer => t::COHORTS_METRIC_REVENUE,
            Self::CumulativeRevenuePerCustomer => t::COHORTS_METRIC_LTV,
        }
    }

    /// Stable short name (`<option value>`, URLs).
    pub fn name(self) -> &'static str {
        match self {
            Self::ActiveShare => "active",
            Self::RevenuePerCustomer => "revenue",
            Self::CumulativeRevenuePerCustomer => "ltv",
        }
    }

    /// The metric named `name` (see [`Self::name`]).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }

    /// Whether the metric is a share (0..=1, shown in percent) rather than money.
    pub fn is_share(self) -> bool {
        self == Self::ActiveShare
    }

    /// The metric of one cohort cell.
    fn of_cell(self, cell: &CohortCell) -> f64 {
        match self {
            Self::ActiveShare => cell.active_share,
            Self::RevenuePerCustomer => cell.revenue_per_customer,
            Self::CumulativeRevenuePerCustomer => cell.cumulative_revenue_per_customer,
        }
    }

    /// The metric of one point of an average curve.
    fn of_average(self, cell: &AverageCell) -> f64 {
        match self {
            Self::ActiveShare => cell.active_share,
            Self::RevenuePerCustomer => cell.revenue_per_customer,
            Self::CumulativeRevenuePerCustomer => cell.cumulative_revenue_per_customer,
        }
    }

    /// A value as plotted: shares in percent, money as is.
    fn plotted(self, value: f64) -> f64 {
        if self.is_share() {
            value * 100.0
        } else {
            value
        }
    }

    /// A value in a readout: "12.3%", "1,234.50"; "–" when not finite.
    fn readout_text(self, value: f64) -> String {
        if self.is_share() {
            percent(value)
        } else {
            grouped(value, 2, ',')
        }
    }

    /// A value written in a heatmap cell, `short` or not: "12.3%" / "12%", "1,234" / "12.3k".
    fn cell_text(self, value: f64, short: bool) -> String {
        match (self.is_share(), short) {
            (true, false) => percent(value),
            (true, true) => format!("{:.0}%", value * 100.0),
            (false, false) => compact(value),
            (false, true) if value.abs() >= 1e4 => compact(value),
            (false, true) => grouped(value, 0, ','),
        }
    }

    /// A value on the colour scale's legend.
    fn scale_text(self, value: f64) -> String {
        if self.is_share() {
            percent(value)
        } else {
            compact(value)
        }
    }
}

/// The lifecycle view's cohort charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CohortChartKind {
    /// The shown group's cohorts (rows, oldest at the top) × periods since the first purchase.
    Heatmap,
    /// Each group's average curve over the periods since the first purchase.
    Curves,
}

impl CohortChartKind {
    /// All charts, in page order.
    pub const ALL: [CohortChartKind; 2] = [Self::Heatmap, Self::Curves];

    /// The chart's title.
    pub fn title(self) -> Text {
        match self {
            Self::Heatmap => t::CHART_COHORTS_HEATMAP,
            Self::Curves => t::CHART_COHORTS_CURVES,
        }
    }

    /// Stable short name (`data-testid="chart-{name}"`, PNG file names).
    pub fn name(self) -> &'static str {
        match self {
            Self::Heatmap => "cohorts-heatmap",
            Self::Curves => "cohorts-curves",
        }
    }
}

/// The heatmap's columns: the longest cohort's cells (the oldest cohort's, in a triangle).
fn columns(matrix: &[CohortRow]) -> usize {
    matrix.iter().map(|r| r.cells.len()).max().unwrap_or(0)
}

/// The display name of group `index`: `names[index]` when given and not blank, else the group's
/// own name, else "other" or "All customers" in `lang`.
fn group_name(report: &CohortReport, names: &[String], index: usize, lang: Lang) -> String {
    if let Some(name) = names.get(index).filter(|n| !n.trim().is_empty()) {
        return name.clone();
    }
    match report.groups.get(index) {
        Some(g) => match (&g.name, g.other) {
            (Some(name), _) => name.clone(),
            (None, true) => t::COHORTS_OTHER.get(lang).to_string(),
            (None, false) => t::COHORTS_ALL.get(lang).to_string(),
        },
        None => String::new(),
    }
}

/// Draws one cohort chart of `report` showing `metric`, in `lang`. `group_names` are the
/// groups' display names in [`CohortReport::groups`] order, already localised by the caller
/// ("All customers", a product, "other"; a missing or blank one falls back to the group's own
/// name). The title is left to the caller unless `with_title`.
///
/// - Heatmap: one row per cohort of [`CohortReport::matrix`] (oldest at the top), one column per
///   period since the first purchase (+0, +1, …), each cell on the theme's heat ramp from 0 to
///   the highest value (for the share active, the highest from +1 on: +0 is 100% by
///   definition), cells past a cohort's last period left blank; values written in the cells
///   when they fit (up to 25 columns); with many rows or columns only some are labelled.
/// - Curves: one line per group (the first, everybody, drawn thicker and on top), x = periods
///   since the first purchase, y = the metric of its average curve (shares in percent), with a
///   legend.
///
/// Each chart draws its "no data" text when `report` is `None` or holds nothing to plot, and
/// skips NaN and infinite values. Returns the hover layout (see [`ClusterLayout`];
/// [`cohort_readout`] reads it): the heatmap's targets are the cells `row × columns + column`
/// (columns = the longest cohort's periods), found under the mouse; the curves' the periods
/// 0, 1, … (by x).
#[allow(clippy::too_many_arguments)]
pub fn draw_cohort_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    kind: CohortChartKind,
    report: Option<&CohortReport>,
    metric: CohortMetric,
    group_names: &[String],
    lang: Lang,
    theme: &ChartTheme,
    with_title: bool,
) -> ChartResult<ClusterLayout> {
    let l = |text: Text| text.get(lang).to_string();
    let title = if with_title {
        l(kind.title())
    } else {
        String::new()
    };
    let base = ChartLabels::new(title)
        .no_data(l(t::NO_DATA))
        .x_axis(l(t::CHART_COHORTS_AXIS_PERIOD));
    let Some(report) = report else {
        super::util::begin(area, &base, theme, true)?;
        return Ok(ClusterLayout::default());
    };
    match kind {
        CohortChartKind::Heatmap => {
            let labels = base.y_axis(l(t::COHORTS_COL_COHORT));
            let scale = |lo: f64, hi: f64| {
                fill(
                    lang,
                    t::CHART_COHORTS_SCALE,
                    &[
                        metric.title().get(lang),
                        &metric.scale_text(lo),
                        &metric.scale_text(hi),
                    ],
                )
            };
            draw_heatmap(area, &report.matrix, metric, &labels, &scale, theme)
        }
        CohortChartKind::Curves => {
            let y_axis = if metric.is_share() {
                t::CHART_COHORTS_AXIS_SHARE
            } else {
                t::CHART_COHORTS_AXIS_MONEY
            };
            let labels = base.y_axis(l(y_axis));
            let curves: Vec<Curve> = report
                .groups
                .iter()
                .enumerate()
                .map(|(i, g)| Curve {
                    name: group_name(report, group_names, i, lang),
                    points: g
                        .average
                        .iter()
                        .map(|a| (a.period, metric.plotted(metric.of_average(a))))
                        .collect(),
                })
                .collect();
            draw_curves(area, &curves, metric, &labels, theme)
        }
    }
}

/// The hover readout of `kind` at (`x_px`, `y_px`) on a chart of `report` drawn with `layout`
/// (and the same `metric`), in `lang`:
///
/// - Heatmap: "2024-03, +2: 12.5%" for the cell under the mouse (cohort, period, value);
///   `None` past the cohort's last period;
/// - Curves: "+2: All customers 12.5% · Milk 10.0%" for the nearest period, each group that
///   reached it with its value.
///
/// `None` when the mouse is off every target.
pub fn cohort_readout(
    kind: CohortChartKind,
    report: Option<&CohortReport>,
    metric: CohortMetric,
    group_names: &[String],
    layout: &ClusterLayout,
    (x_px, y_px): (f64, f64),
    lang: Lang,
) -> Option<String> {
    let report = report?;
    let index = layout.nearest(x_px, y_px)?;
    match kind {
        CohortChartKind::Heatmap => {
            let cols = columns(&report.matrix);
            if cols == 0 {
                return None;
            }
            let (row, col) = (index / cols, index % cols);
            let cohort = report.matrix.get(row)?;
            let cell = cohort.cells.get(col)?;
            Some(fill(
                lang,
                t::READOUT_COHORT_CELL,
                &[
                    &cohort.label,
                    &col.to_string(),
                    &metric.readout_text(metric.of_cell(cell)),
                ],
            ))
        }
        CohortChartKind::Curves => {
            let period = u32::try_from(index).ok()?;
            let values: Vec<String> = report
                .groups
                .iter()
                .enumerate()
                .filter_map(|(i, g)| {
                    let cell = g.average.iter().find(|a| a.period == period)?;
                    let value = metric.of_average(cell);
                    value.is_finite().then(|| {
                        format!(
                            "{} {}",
                            group_name(report, group_names, i, lang),
                            metric.readout_text(value)
                        )
                    })
                })
                .collect();
            if values.is_empty() {
                return None;
            }
            Some(fill(
                lang,
                t::READOUT_COHORT_CURVE,
                &[&period.to_string(), &values.join(" · ")],
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_have_stable_names_and_format_shares_and_money() {
        for m in CohortMetric::ALL {
            assert_eq!(CohortMetric::from_name(m.name()), Some(m));
        }
        assert_eq!(CohortMetric::from_name("nope"), None);
        let share = CohortMetric::ActiveShare;
        assert_eq!(share.readout_text(0.125), "12.5%");
        assert_eq!(share.cell_text(0.126, true), "13%");
        assert_eq!(share.plotted(0.5), 50.0);
        let money = CohortMetric::RevenuePerCustomer;
        assert_eq!(money.readout_text(1234.5), "1,234.50");
        assert_eq!(money.cell_text(1234.4, false), "1,234");
        assert_eq!(money.cell_text(12345.0, true), "12.3k");
        assert_eq!(money.cell_text(f64::NAN, false), "–");
    }
}
