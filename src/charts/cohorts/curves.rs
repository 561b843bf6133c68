//! Each group's average curve over the periods since the first purchase, as lines.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::CohortMetric;
use crate::charts::cluster::legend::{header, Mark};
use crate::charts::cluster::tick_label;
use crate::charts::util::{
    begin, builder, nice_ticks, plot_layout, text_style, ticked, AXIS_TITLE_PX, LABEL_PX,
};
use crate::charts::{ChartLabels, ChartResult, ChartTheme, ClusterLayout, HoverAxis};
use crate::format::compact;

/// Up to this many periods, each point of a curve is marked with a dot.
const MAX_PERIODS_WITH_DOTS: u32 = 40;

/// One line: its name and its points (period since the first purchase, value as plotted).
pub(super) struct Curve {
    /// The group's display name.
    pub name: String,
    /// (period, value); non-finite values are gaps.
    pub points: Vec<(u32, f64)>,
}

/// Splits a curve at its gaps: each run of finite values becomes one line.
fn runs(points: &[(u32, f64)]) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut last: Option<u32> = None;
    for &(period, value) in points {
        if !value.is_finite() {
            last = None;
            continue;
        }
        let continues = last.is_some_and(|p| p + 1 == period);
        match out.last_mut() {
            Some(run) if continues => run.push((f64::from(period), value)),
            _ => out.push(vec![(f64::from(period), value)]),
        }
        last = Some(period);
    }
    out
}

/// Draws each curve as a line in the theme's segment colours (by position in `curves`), the
/// first (everybody) thicker and on top when there are several; dots on the points up to
/// [`MAX_PERIODS_WITH_DOTS`] periods; a missing period breaks the line. x runs over the periods
/// 0 to the last any curve reached ("+0", "+1", …), y from 0 (or the lowest value) to a little
/// above the highest (shares already in percent; money in compact numbers). The legend wraps
/// onto as many rows as it needs.
///
/// Labels: `title`, `x_axis`, `y_axis`, `no_data` (drawn when no value is finite). Returns the
/// pixel x of each period 0, 1, … (index = period), found by x.
pub(super) fn draw_curves<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    curves: &[Curve],
    metric: CohortMetric,
    labels: &ChartLabels,
    theme: &ChartTheme,
) -> ChartResult<ClusterLayout> {
    let values = || {
        curves
            .iter()
            .flat_map(|c| c.points.iter().map(|p| p.1))
            .filter(|v| v.is_finite())
    };
    if begin(area, labels, theme, values().next().is_none())? {
        return Ok(ClusterLayout::default());
    }
    let color = |i: usize| theme.cluster_color(i);
    let legend: Vec<(String, Mark)> = curves
        .iter()
        .enumerate()
        .map(|(i, c)| (c.name.clone(), Mark::Line(color(i))))
        .collect();
    let body = header(area, &labels.title, &legend, &[], theme)?;

    let last = curves
        .iter()
        .flat_map(|c| c.points.iter().map(|p| p.0))
        .max()
        .unwrap_or(0);
    let x_ticks: Vec<f64> = nice_ticks(0.0, f64::from(last.max(1)), 10)
        .into_iter()
        .filter(|v| v.fract() == 0.0 && *v <= f64::from(last))
        .collect();
    let x_pad = (f64::from(last) * 0.02).max(0.3);
    let lo = values().fold(0.0, f64::min);
    let max = values().fold(0.0, f64::max);
    let hi = if max > 0.0 { max * 1.08 } else { 1.0 };
    let lo = if lo < 0.0 { lo * 1.08 } else { 0.0 };
    let y_ticks = nice_ticks(lo, if max > 0.0 { max } else { 1.0 }, 6);
    let y_step = match y_ticks.as_slice() {
        [a, b, ..] => b - a,
        _ => 1.0,
    };
    let y_label = |v: &f64| {
        if metric.is_share() {
            tick_label(*v, y_step)
        } else if v.abs() >= 1e4 {
            compact(*v)
        } else {
            tick_label(*v, y_step)
        }
    };
    let mut chart = builder(&body)
        .x_label_area_size(if labels.x_axis.is_empty() { 28 } else { 46 })
        .y_label_area_size(if labels.y_axis.is_empty() { 50 } else { 68 })
        .build_cartesian_2d(
            ticked(-x_pad..f64::from(last) + x_pad, x_ticks),
            ticked(lo..hi, y_ticks),
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
        .x_label_formatter(&|v: &f64| format!("+{}", v.round()))
        .y_label_formatter(&y_label)
        .draw()?;

    // Everybody last, on top.
    let emphasise = curves.len() > 1;
    for (i, curve) in curves.iter().enumerate().rev() {
        let width = if i == 0 && emphasise { 3 } else { 2 };
        let style = color(i).stroke_width(width);
        for run in runs(&curve.points) {
            if last <= MAX_PERIODS_WITH_DOTS {
                chart.draw_series(
                    run.iter()
                        .map(|&p| Circle::new(p, width + 1, color(i).filled())),
                )?;
            }
            chart.draw_series(LineSeries::new(run, style))?;
        }
    }

    let mut plot = plot_layout(&chart);
    plot.point_x_px = (0..=last)
        .map(|p| f64::from(chart.backend_coord(&(f64::from(p), lo)).0))
        .collect();
    Ok(ClusterLayout {
        plot,
        point_y_px: Vec::new(),
        hover: HoverAxis::X,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_break_at_missing_values_and_skipped_periods() {
        let r = runs(&[(0, 1.0), (1, 2.0), (2, f64::NAN), (3, 4.0), (5, 6.0)]);
        assert_eq!(
            r,
            vec![
                vec![(0.0, 1.0), (1.0, 2.0)],
                vec![(3.0, 4.0)],
                vec![(5.0, 6.0)]
            ]
        );
        assert!(runs(&[(0, f64::INFINITY)]).is_empty());
    }
}
