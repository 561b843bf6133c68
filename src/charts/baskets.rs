//! The baskets view's charts as one enum, like [`super::ClusterChartKind`]: the rules on support
//! × confidence coloured by lift, the lift between the most frequent items, the items' share of
//! baskets, the recommendations against the most-popular baseline and the groups' preference
//! index. The page draws through [`draw_basket_chart`] on a canvas; native tests and the CLI can
//! do the same on SVG. [`basket_readout`] turns a hover position into the readout line, so the
//! component only forwards the mouse.
//!
//! The three reports come from three runs (rules, recommendations, regions), any of which may be
//! missing: [`BasketChartData`] holds what there is, and a chart whose report is missing draws
//! its "no data" text.

mod evaluation;
mod grid;
mod items;
mod scatter;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::util::{text_style, LABEL_PX, TITLE_PX};
use super::{ChartLabels, ChartResult, ChartTheme, ClusterLayout};
use crate::engine::baskets::{BasketReport, MethodScores, RecommendReport, RegionReport};
use crate::format::{grouped, percent, plain};
use crate::i18n::{fill, support_text, t, Lang, Text};

use evaluation::draw_evaluation;
use grid::{draw_grid, Grid};
use items::draw_items;
use scatter::draw_scatter;

/// The baskets view's charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BasketChartKind {
    /// Each rule (up to [`crate::engine::baskets::report::SCATTER_RULES`]) at its support and
    /// confidence, coloured by lift.
    Scatter,
    /// Lift between each pair of the most frequent items.
    LiftHeatmap,
    /// The most frequent items' share of baskets.
    ItemFrequency,
    /// The recommendations' hidden-basket scores against the most-popular baseline.
    Evaluation,
    /// Each group's preference index for the most frequent items (100 = average).
    Regions,
}

impl BasketChartKind {
    /// All charts, in page order.
    pub const ALL: [BasketChartKind; 5] = [
        Self::Scatter,
        Self::LiftHeatmap,
        Self::ItemFrequency,
        Self::Evaluation,
        Self::Regions,
    ];

    /// The chart's title.
    pub fn title(self) -> Text {
        match self {
            Self::Scatter => t::CHART_BASKETS_SCATTER,
            Self::LiftHeatmap => t::CHART_BASKETS_HEATMAP,
            Self::ItemFrequency => t::CHART_BASKETS_ITEMS,
            Self::Evaluation => t::CHART_BASKETS_EVALUATION,
            Self::Regions => t::CHART_BASKETS_REGIONS,
        }
    }

    /// Stable short name (`data-testid="chart-{name}"`, PNG file names).
    pub fn name(self) -> &'static str {
        match self {
            Self::Scatter => "baskets-scatter",
            Self::LiftHeatmap => "baskets-heatmap",
            Self::ItemFrequency => "baskets-items",
            Self::Evaluation => "baskets-evaluation",
            Self::Regions => "baskets-regions",
        }
    }
}

/// The reports the baskets charts draw from; each is `None` until its run has answered.
/// [`BasketChartKind::Scatter`], [`BasketChartKind::LiftHeatmap`] and
/// [`BasketChartKind::ItemFrequency`] read `rules`, [`BasketChartKind::Evaluation`] reads
/// `recommendations`, [`BasketChartKind::Regions`] reads `regions`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BasketChartData<'a> {
    /// The rules run.
    pub rules: Option<&'a BasketReport>,
    /// The recommendations run.
    pub recommendations: Option<&'a RecommendReport>,
    /// The regional (or channel) preferences run.
    pub regions: Option<&'a RegionReport>,
}

/// The evaluation's metrics in chart order: hit rate, precision, recall, NDCG, coverage.
const METRICS: usize = 5;

/// Metric `index` (in [`METRICS`] order) of `scores`.
fn metric(scores: &MethodScores, index: usize) -> Option<f64> {
    match index {
        0 => Some(scores.hit_rate),
        1 => Some(scores.precision),
        2 => Some(scores.recall),
        3 => Some(scores.ndcg),
        4 => Some(scores.coverage),
        _ => None,
    }
}

/// The name of metric `index` (in [`METRICS`] order) at `k` recommendations, in `lang`.
fn metric_name(index: usize, k: usize, lang: Lang) -> String {
    let k = k.to_string();
    match index {
        0 => fill(lang, t::RECS_COL_HIT, &[&k]),
        1 => fill(lang, t::RECS_COL_PRECISION, &[&k]),
        2 => fill(lang, t::RECS_COL_RECALL, &[&k]),
        3 => fill(lang, t::RECS_COL_NDCG, &[&k]),
        _ => t::RECS_COL_COVERAGE.get(lang).to_string(),
    }
}

/// The lift of the pair (`row`, `col`) of the heatmap: finite and not negative, else `None`
/// (the diagonal, a missing cell).
fn pair_lift(report: &BasketReport, row: usize, col: usize) -> Option<f64> {
    let lift = (*report.heatmap.lift.get(row)?.get(col)?)?;
    (lift.is_finite() && lift >= 0.0 && row != col).then_some(lift)
}

/// The index of group `group` for item `item` of the regions report, when finite.
fn region_index(report: &RegionReport, group: usize, item: usize) -> Option<f64> {
    report
        .index
        .get(group)?
        .get(item)
        .copied()
        .filter(|v| v.is_finite())
}

/// Lift in a readout or a legend: two decimals, grouped.
fn lift_text(lift: f64) -> String {
    grouped(lift, 2, ',')
}

/// Draws one baskets chart of `data` in `lang`. The title is left to the caller unless
/// `with_title`.
///
/// Each chart draws its "no data" text when the report it reads is missing or holds nothing to
/// plot (no rule, fewer than two items, no evaluation, no group), and skips NaN and infinite
/// values. Returns the hover layout (see [`ClusterLayout`]; [`basket_readout`] reads it): the
/// scatter's targets are the rules by position in [`BasketReport::scatter`] (found by distance),
/// the heatmaps' are cells `row × columns + column` (found under the mouse), the item bars' the
/// rows of [`crate::engine::baskets::BasketSummary::top_by_baskets`] (by y) and the evaluation's
/// the five metrics (by x).
pub fn draw_basket_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    kind: BasketChartKind,
    data: &BasketChartData<'_>,
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
    let base = ChartLabels::new(title).no_data(l(t::NO_DATA));
    let empty = |labels: &ChartLabels| -> ChartResult<ClusterLayout> {
        super::util::begin(area, labels, theme, true)?;
        Ok(ClusterLayout::default())
    };
    match kind {
        BasketChartKind::Scatter => {
            let Some(report) = data.rules else {
                return empty(&base);
            };
            let labels = base
                .x_axis(l(t::CHART_BASKETS_AXIS_SUPPORT))
                .y_axis(l(t::CHART_BASKETS_AXIS_CONFIDENCE));
            let scale = |lo: f64, hi: f64| {
                fill(
                    lang,
                    t::CHART_BASKETS_LIFT_SCALE,
                    &[&lift_text(lo), &lift_text(hi)],
                )
            };
            draw_scatter(area, &report.scatter, &labels, &scale, theme)
        }
        BasketChartKind::LiftHeatmap => {
            let Some(report) = data.rules else {
                return empty(&base);
            };
            let items = &report.heatmap.items;
            let value = |r: usize, c: usize| pair_lift(report, r, c);
            // Log scale centred on lift 1, symmetric, at least 1/2 … 2 wide.
            let span = (0..items.len())
                .flat_map(|r| (0..items.len()).map(move |c| (r, c)))
                .filter_map(|(r, c)| value(r, c))
                .filter(|v| *v > 0.0)
                .map(|v| v.ln().abs())
                .fold(2f64.ln(), f64::max);
            let position = |v: f64| if v > 0.0 { v.ln() / span } else { -1.0 };
            let legend = fill(
                lang,
                t::CHART_BASKETS_LIFT_SCALE,
                &[&lift_text((-span).exp()), &lift_text(span.exp())],
            );
            let grid = Grid {
                rows: items,
                cols: items,
                value: &value,
                position: &position,
                cell_text: &|v| plain(v, 1),
            };
            draw_grid(area, &grid, &base, &legend, theme)
        }
        BasketChartKind::ItemFrequency => {
            let Some(report) = data.rules else {
                return empty(&base);
            };
            let labels = base.x_axis(l(t::CHART_BASKETS_AXIS_SHARE));
            draw_items(area, &report.summary.top_by_baskets, &labels, theme)
        }
        BasketChartKind::Evaluation => {
            let Some(evaluation) = data.recommendations.and_then(|r| r.evaluation.as_ref()) else {
                return empty(&base);
            };
            let metrics: Vec<(String, f64, f64)> = (0..METRICS)
                .map(|i| {
                    (
                        metric_name(i, evaluation.k, lang),
                        metric(&evaluation.model, i).unwrap_or(f64::NAN),
                        metric(&evaluation.popular, i).unwrap_or(f64::NAN),
                    )
                })
                .collect();
            let labels = base
                .x_axis(l(t::CHART_BASKETS_AXIS_METRIC))
                .y_axis(l(t::CHART_BASKETS_AXIS_VALUE))
                .series([l(t::RECS_METHOD_MODEL), l(t::RECS_METHOD_POPULAR)]);
            draw_evaluation(area, &metrics, &labels, theme)
        }
        BasketChartKind::Regions => {
            let Some(report) = data.regions else {
                return empty(&base);
            };
            let groups: Vec<String> = report.groups.iter().map(|g| g.name.clone()).collect();
            let value = |g: usize, i: usize| region_index(report, g, i).filter(|v| *v >= 0.0);
            // Log scale centred on 100, symmetric, at least 67 … 150 wide.
            let span = (0..groups.len())
                .flat_map(|g| (0..report.items.len()).map(move |i| (g, i)))
                .filter_map(|(g, i)| value(g, i))
                .filter(|v| *v > 0.0)
                .map(|v| (v / 100.0).ln().abs())
                .fold(1.5f64.ln(), f64::max);
            let position = |v: f64| {
                if v > 0.0 {
                    (v / 100.0).ln() / span
                } else {
                    -1.0
                }
            };
            let legend = fill(
                lang,
                t::CHART_BASKETS_INDEX_SCALE,
                &[
                    &grouped(100.0 * (-span).exp(), 0, ','),
                    &grouped(100.0 * span.exp(), 0, ','),
                ],
            );
            let grid = Grid {
                rows: &groups,
                cols: &report.items,
                value: &value,
                position: &position,
                cell_text: &|v| grouped(v, 0, ','),
            };
            draw_grid(area, &grid, &base, &legend, theme)
        }
    }
}

/// The hover readout of `kind` at (`x_px`, `y_px`) on a chart of `data` drawn with `layout`, in
/// `lang`:
///
/// - Scatter: "Rule 12: support 1.5 %, confidence 40.0%, lift 2.31" for the nearest rule (its
///   number in rule order, as in the rules table sorted by lift);
/// - LiftHeatmap: both items of the cell, their lift and the baskets holding both;
/// - ItemFrequency: the item of the row under the mouse, its share of baskets and its baskets;
/// - Evaluation: the metric under the mouse for the model and the baseline;
/// - Regions: the group and item of the cell and the index.
///
/// `None` when the mouse is off every target (or on the heatmap's blank diagonal).
pub fn basket_readout(
    kind: BasketChartKind,
    data: &BasketChartData<'_>,
    layout: &ClusterLayout,
    (x_px, y_px): (f64, f64),
    lang: Lang,
) -> Option<String> {
    let index = layout.nearest(x_px, y_px)?;
    match kind {
        BasketChartKind::Scatter => {
            let point = data.rules?.scatter.get(index)?;
            Some(fill(
                lang,
                t::READOUT_BASKETS_RULE,
                &[
                    &grouped((index + 1) as f64, 0, ','),
                    &support_text(point.support),
                    &percent(point.confidence),
                    &lift_text(point.lift),
                ],
            ))
        }
        BasketChartKind::LiftHeatmap => {
            let report = data.rules?;
            let k = report.heatmap.items.len();
            let (row, col) = (index / k.max(1), index % k.max(1));
            let lift = pair_lift(report, row, col)?;
            let together = report
                .heatmap
                .together
                .get(row)
                .and_then(|r| r.get(col))
                .copied()
                .unwrap_or(0);
            Some(fill(
                lang,
                t::READOUT_BASKETS_PAIR,
                &[
                    report.heatmap.items.get(row)?,
                    report.heatmap.items.get(col)?,
                    &lift_text(lift),
                    &grouped(together as f64, 0, ','),
                ],
            ))
        }
        BasketChartKind::ItemFrequency => {
            let item = data.rules?.summary.top_by_baskets.get(index)?;
            Some(fill(
                lang,
                t::READOUT_BASKETS_ITEM,
                &[
                    &item.name,
                    &support_text(item.support),
                    &grouped(item.baskets as f64, 0, ','),
                ],
            ))
        }
        BasketChartKind::Evaluation => {
            let evaluation = data.recommendations?.evaluation.as_ref()?;
            Some(fill(
                lang,
                t::READOUT_BASKETS_METRIC,
                &[
                    &metric_name(index, evaluation.k, lang),
                    &percent(metric(&evaluation.model, index)?),
                    &percent(metric(&evaluation.popular, index)?),
                ],
            ))
        }
        BasketChartKind::Regions => {
            let report = data.regions?;
            let k = report.items.len();
            let (group, item) = (index / k.max(1), index % k.max(1));
            let value = region_index(report, group, item)?;
            Some(fill(
                lang,
                t::READOUT_BASKETS_REGION,
                &[
                    &report.groups.get(group)?.name,
                    report.items.get(item)?,
                    &grouped(value, 0, ','),
                ],
            ))
        }
    }
}

/// How a legend entry shows its series.
#[derive(Debug, Clone)]
pub(super) enum Key {
    /// A filled square (bars).
    Bar(RGBColor),
    /// A colour ramp, low to high (a colour scale).
    Ramp(Vec<RGBColor>),
}

/// Height of the title row, pixels.
const TITLE_ROW_PX: u32 = 30;
/// Height of the legend row, pixels.
const LEGEND_ROW_PX: u32 = 22;
/// Width of a bar swatch, pixels.
const SWATCH_PX: i32 = 14;
/// Steps of a ramp swatch.
const RAMP_STEPS: usize = 16;
/// Width of one ramp step, pixels.
const RAMP_STEP_PX: i32 = 3;
/// Gap between a swatch and its name, pixels.
const GAP_PX: i32 = 6;
/// Gap between two legend entries, pixels.
const SPACING_PX: i32 = 18;

/// `RAMP_STEPS` colours of `color` at evenly spaced positions from `from` to `to`.
pub(super) fn ramp(color: &dyn Fn(f64) -> RGBColor, from: f64, to: f64) -> Vec<RGBColor> {
    (0..RAMP_STEPS)
        .map(|i| color(from + (to - from) * i as f64 / (RAMP_STEPS - 1) as f64))
        .collect()
}

/// Draws `title` (when not empty) and a one-row centred legend (entries with an empty name are
/// left out) across the top of `area`; returns the area below them for the plot. The cohort
/// heatmap uses it too.
pub(super) fn header<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    legend: &[(String, Key)],
    theme: &ChartTheme,
) -> ChartResult<DrawingArea<DB, Shift>> {
    let legend: Vec<&(String, Key)> = legend.iter().filter(|(name, _)| !name.is_empty()).collect();
    let title_h = if title.is_empty() { 0 } else { TITLE_ROW_PX };
    let legend_h = if legend.is_empty() { 0 } else { LEGEND_ROW_PX };
    if title_h + legend_h == 0 {
        return Ok(area.clone());
    }
    let (head, body) = area.split_vertically(title_h + legend_h + 2);
    let (w, _) = head.dim_in_pixel();
    let w = i32::try_from(w).unwrap_or(i32::MAX);
    if !title.is_empty() {
        let style = text_style(theme, TITLE_PX).pos(Pos::new(HPos::Center, VPos::Top));
        head.draw_text(title, &style, (w / 2, 8))?;
    }
    if legend.is_empty() {
        return Ok(body);
    }
    let style = text_style(theme, LABEL_PX).pos(Pos::new(HPos::Left, VPos::Center));
    let swatch_w = |key: &Key| match key {
        Key::Bar(_) => SWATCH_PX,
        Key::Ramp(colors) => RAMP_STEP_PX * colors.len() as i32,
    };
    let mut widths = Vec::with_capacity(legend.len());
    for (name, key) in &legend {
        let (tw, _) = head.estimate_text_size(name, &style)?;
        widths.push(swatch_w(key) + GAP_PX + i32::try_from(tw).unwrap_or(0));
    }
    let total = widths.iter().sum::<i32>() + SPACING_PX * (widths.len() as i32 - 1);
    let mut x = ((w - total) / 2).max(0);
    let y = i32::try_from(title_h + legend_h / 2).unwrap_or(0);
    for ((name, key), width) in legend.iter().zip(widths) {
        match key {
            Key::Bar(c) => head.draw(&Rectangle::new(
                [(x, y - 5), (x + SWATCH_PX, y + 5)],
                c.filled(),
            ))?,
            Key::Ramp(colors) => {
                for (i, c) in colors.iter().enumerate() {
                    let x0 = x + RAMP_STEP_PX * i as i32;
                    head.draw(&Rectangle::new(
                        [(x0, y - 5), (x0 + RAMP_STEP_PX, y + 5)],
                        c.filled(),
                    ))?;
                }
                head.draw(&Rectangle::new(
                    [(x, y - 5), (x + swatch_w(key), y + 5)],
                    theme.axis.stroke_width(1),
                ))?;
            }
        }
        head.draw_text(name, &style, (x + swatch_w(key) + GAP_PX, y))?;
        x += width + SPACING_PX;
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_are_read_in_chart_order_and_named_with_k() {
        let scores = MethodScores {
            hit_rate: 0.1,
            precision: 0.2,
            recall: 0.3,
            ndcg: 0.4,
            coverage: 0.5,
        };
        let read: Vec<Option<f64>> = (0..=METRICS).map(|i| metric(&scores, i)).collect();
        assert_eq!(
            read,
            [Some(0.1), Some(0.2), Some(0.3), Some(0.4), Some(0.5), None]
        );
        assert_eq!(metric_name(0, 10, Lang::En), "Hit rate@10");
        assert_eq!(metric_name(3, 5, Lang::Zh), "NDCG@5");
        assert_eq!(metric_name(4, 5, Lang::En), "Catalogue coverage");
    }

    #[test]
    fn ramps_run_from_the_first_to_the_last_position() {
        let theme = ChartTheme::light();
        let r = ramp(&|t| super::super::heat(&theme, t), 0.0, 1.0);
        assert_eq!(r.len(), RAMP_STEPS);
        assert_eq!(r.first(), Some(&theme.heat_low));
        assert_eq!(r.last(), Some(&theme.heat_high));
    }
}
