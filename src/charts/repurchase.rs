//! The lifecycle view's repurchase curves: for the top items of a
//! [`RepurchaseReport`], the Kaplan–Meier share of customers who have not yet bought the item
//! again, by days since their last purchase of it. The page draws through
//! [`draw_repurchase_chart`] on a canvas; native tests and the CLI can do the same on SVG.
//! [`repurchase_readout`] turns a hover position into the readout line, so the component only
//! forwards the mouse.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::cluster::legend::{header, Mark};
use super::util::{
    begin, builder, nice_ticks, plot_layout, text_style, ticked, AXIS_TITLE_PX, LABEL_PX,
};
use super::{ChartLabels, ChartResult, ChartTheme, ClusterLayout, HoverAxis};
use crate::engine::repurchase::RepurchaseReport;
use crate::format::grouped;
use crate::i18n::{fill, t, Lang, Text};

/// Items whose curves the chart draws (the report's first ones: the most repeat purchases).
pub const REPURCHASE_CHART_ITEMS: usize = 8;

/// The share (in percent) where the dashed median line runs.
const MEDIAN_PERCENT: f64 = 50.0;

/// One item's curve as drawn: its name and its finite points (days ≥ 0, share clamped to
/// 0..=1), by day.
struct Curve<'a> {
    name: &'a str,
    points: Vec<(f64, f64)>,
}

impl Curve<'_> {
    /// The last day the curve reaches (0 without points).
    fn last_day(&self) -> f64 {
        self.points.last().map_or(0.0, |p| p.0)
    }

    /// The share not yet bought again at `day`: 1 before the first step, then the value of the
    /// last step at or before `day`; `None` past the curve's last day.
    fn share_at(&self, day: f64) -> Option<f64> {
        if day > self.last_day() {
            return None;
        }
        Some(
            self.points
                .iter()
                .take_while(|p| p.0 <= day)
                .last()
                .map_or(1.0, |p| p.1),
        )
    }

    /// The step function in plotted units (days, percent): from (0, 100 %), at each point
    /// across at the previous share, then down to the point's.
    fn steps(&self) -> Vec<(f64, f64)> {
        let mut out = vec![(0.0, 100.0)];
        let mut prev = 100.0;
        for &(day, share) in &self.points {
            let y = share * 100.0;
            out.push((day, prev));
            out.push((day, y));
            prev = y;
        }
        out
    }
}

/// The curves of the first [`REPURCHASE_CHART_ITEMS`] items, non-finite or negative-day points
/// left out.
fn curves(report: &RepurchaseReport) -> Vec<Curve<'_>> {
    report
        .items
        .iter()
        .take(REPURCHASE_CHART_ITEMS)
        .map(|item| {
            let mut points: Vec<(f64, f64)> = item
                .curve
                .iter()
                .filter(|(d, s)| d.is_finite() && s.is_finite() && *d >= 0.0)
                .map(|&(d, s)| (d, s.clamp(0.0, 1.0)))
                .collect();
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            Curve {
                name: &item.item,
                points,
            }
        })
        .collect()
}

/// The hover targets: day 0 and every distinct day any curve steps at, ascending.
fn hover_days(curves: &[Curve<'_>]) -> Vec<f64> {
    let mut days: Vec<f64> = std::iter::once(0.0)
        .chain(curves.iter().flat_map(|c| c.points.iter().map(|p| p.0)))
        .collect();
    days.sort_by(f64::total_cmp);
    days.dedup();
    days
}

/// A share in a readout: "62%".
fn share_text(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}

/// Draws the repurchase curves of `report` in `lang`; the title is left to the caller unless
/// `with_title`.
///
/// One Kaplan–Meier step curve per item for the first [`REPURCHASE_CHART_ITEMS`] items of
/// [`RepurchaseReport::items`], in the theme's series colours, with a legend of the item names
/// (long ones end with "…"): x = days since the last purchase of the item, y = the share of
/// customers who have not yet bought it again (0–100 %). Each curve starts at (0, 100 %), runs
/// across and then down at each of its points, and ends at its last point; a dashed line marks
/// 50 % (where each curve crosses it is the item's median). Non-finite points are skipped.
///
/// Draws the "no data" text when `report` is `None` or none of its first items has a point.
/// Returns the hover layout (see [`ClusterLayout`]; [`repurchase_readout`] reads it): the
/// targets are day 0 and every day a curve steps at, ascending, found by x.
pub fn draw_repurchase_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: Option<&RepurchaseReport>,
    lang: Lang,
    theme: &ChartTheme,
    with_title: bool,
) -> ChartResult<ClusterLayout> {
    let l = |text: Text| text.get(lang).to_string();
    let title = if with_title {
        l(t::CHART_REPURCHASE_TITLE)
    } else {
        String::new()
    };
    let labels = ChartLabels::new(title)
        .no_data(l(t::NO_DATA))
        .x_axis(l(t::CHART_REPURCHASE_AXIS_DAYS))
        .y_axis(l(t::CHART_REPURCHASE_AXIS_SHARE));
    let curves = report.map(curves).unwrap_or_default();
    if begin(
        area,
        &labels,
        theme,
        curves.iter().all(|c| c.points.is_empty()),
    )? {
        return Ok(ClusterLayout::default());
    }
    let color = |i: usize| theme.series_color(i);
    let legend: Vec<(String, Mark)> = curves
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name.to_string(), Mark::Line(color(i))))
        .collect();
    let body = header(area, &labels.title, &legend, &[], theme)?;

    let last = curves.iter().map(Curve::last_day).fold(0.0, f64::max);
    let x_max = last.max(1.0);
    // Whole days only.
    let x_ticks: Vec<f64> = nice_ticks(0.0, x_max, 10)
        .into_iter()
        .filter(|v| v.fract() == 0.0)
        .collect();
    let x_pad = x_max * 0.02;
    let y_ticks = vec![0.0, 25.0, 50.0, 75.0, 100.0];
    let mut chart = builder(&body)
        .x_label_area_size(46)
        .y_label_area_size(60)
        .build_cartesian_2d(
            ticked(-x_pad..x_max + x_pad, x_ticks),
            ticked(-2.0..104.0, y_ticks),
        )?;
    chart
        .configure_mesh()
        .max_light_lines(0)
        .bold_line_style(theme.grid)
        .axis_style(theme.axis)
        .label_style(text_style(theme, LABEL_PX))
        .axis_desc_style(text_style(theme, AXIS_TITLE_PX))
        .x_desc(labels.x_axis.as_str())
        .y_desc(labels.y_axis.as_str())
        .x_label_formatter(&|v: &f64| grouped(*v, 0, ','))
        .y_label_formatter(&|v: &f64| format!("{v:.0}"))
        .draw()?;

    chart.draw_series(DashedLineSeries::new(
        vec![(0.0, MEDIAN_PERCENT), (x_max, MEDIAN_PERCENT)],
        6,
        4,
        theme.axis.stroke_width(1),
    ))?;
    // The first item (most repeat purchases) last, on top.
    for (i, curve) in curves.iter().enumerate().rev() {
        if curve.points.is_empty() {
            continue;
        }
        chart.draw_series(LineSeries::new(curve.steps(), color(i).stroke_width(2)))?;
    }

    let mut plot = plot_layout(&chart);
    plot.point_x_px = hover_days(&curves)
        .into_iter()
        .map(|d| f64::from(chart.backend_coord(&(d, 0.0)).0))
        .collect();
    Ok(ClusterLayout {
        plot,
        point_y_px: Vec::new(),
        hover: HoverAxis::X,
    })
}

/// The hover readout at (`x_px`, `y_px`) on a chart of `report` drawn with `layout`, in `lang`:
/// "day 30: Milk 62% · Bread 40%" for the nearest day any curve steps at (or day 0), each item
/// whose curve reaches that day with its share not yet bought again. `None` off the plot, when
/// nothing was drawn, or when no curve reaches the day.
pub fn repurchase_readout(
    report: Option<&RepurchaseReport>,
    layout: &ClusterLayout,
    (x_px, y_px): (f64, f64),
    lang: Lang,
) -> Option<String> {
    let curves = curves(report?);
    let index = layout.nearest(x_px, y_px)?;
    let day = *hover_days(&curves).get(index)?;
    let values: Vec<String> = curves
        .iter()
        .filter(|c| !c.points.is_empty())
        .filter_map(|c| Some(format!("{} {}", c.name, share_text(c.share_at(day)?))))
        .collect();
    if values.is_empty() {
        return None;
    }
    Some(fill(
        lang,
        t::READOUT_REPURCHASE,
        &[&grouped(day, 0, ','), &values.join(" · ")],
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curve(points: &[(f64, f64)]) -> Curve<'static> {
        Curve {
            name: "A",
            points: points.to_vec(),
        }
    }

    #[test]
    fn steps_start_at_100_percent_and_go_across_then_down() {
        let c = curve(&[(10.0, 0.8), (30.0, 0.5)]);
        assert_eq!(
            c.steps(),
            vec![
                (0.0, 100.0),
                (10.0, 100.0),
                (10.0, 80.0),
                (30.0, 80.0),
                (30.0, 50.0)
            ]
        );
        assert_eq!(curve(&[]).steps(), vec![(0.0, 100.0)]);
    }

    #[test]
    fn share_at_holds_each_step_until_the_next_and_ends_at_the_last_day() {
        let c = curve(&[(10.0, 0.8), (30.0, 0.5)]);
        assert_eq!(c.share_at(0.0), Some(1.0));
        assert_eq!(c.share_at(9.0), Some(1.0));
        assert_eq!(c.share_at(10.0), Some(0.8));
        assert_eq!(c.share_at(29.0), Some(0.8));
        assert_eq!(c.share_at(30.0), Some(0.5));
        assert_eq!(c.share_at(31.0), None);
        assert_eq!(share_text(0.62), "62%");
    }
}
