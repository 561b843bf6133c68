//! The rules on support × confidence, each point coloured by its lift.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::{header, ramp, Key};
use crate::charts::cluster::tick_label;
use crate::charts::theme::heat;
use crate::charts::util::{
    begin, builder, nice_ticks, plot_layout, text_style, ticked, AXIS_TITLE_PX, LABEL_PX,
};
use crate::charts::{ChartLabels, ChartResult, ChartTheme, ClusterLayout, HoverAxis};
use crate::engine::baskets::report::ScatterPoint;

/// Radius of a rule's point, pixels: smaller when there are many.
const POINT_PX: [i32; 2] = [4, 3];
/// From this many points on, the smaller radius.
const MANY_POINTS: usize = 400;
/// Opacity of a point (overlaps show density).
const POINT_OPACITY: f64 = 0.85;
/// Where the colour scale starts on the heat ramp: its palest end would vanish into the
/// background.
const HEAT_FROM: f64 = 0.3;

/// Draws each rule with a finite support, confidence and lift as a dot at (support %,
/// confidence %), coloured on the theme's heat ramp by lift (log scale when every lift is
/// positive), the highest lifts drawn last (on top). The legend is a colour ramp named
/// `scale(lowest lift, highest lift)`.
///
/// Labels: `title`, `x_axis`, `y_axis`, `no_data` (drawn when no rule is finite). Returns each
/// point's pixel position (NaN when not drawn), index = position in `points`, found by distance.
pub(super) fn draw_scatter<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    points: &[ScatterPoint],
    labels: &ChartLabels,
    scale: &dyn Fn(f64, f64) -> String,
    theme: &ChartTheme,
) -> ChartResult<ClusterLayout> {
    let at = |p: &ScatterPoint| {
        (p.support.is_finite() && p.confidence.is_finite() && p.lift.is_finite())
            .then_some((p.support * 100.0, p.confidence * 100.0))
    };
    let mut shown: Vec<usize> = (0..points.len())
        .filter(|&i| points.get(i).and_then(at).is_some())
        .collect();
    if begin(area, labels, theme, shown.is_empty())? {
        return Ok(ClusterLayout::default());
    }
    let lift = |i: usize| points.get(i).map_or(f64::NAN, |p| p.lift);
    let (lo, hi) = shown
        .iter()
        .map(|&i| lift(i))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    let log = lo > 0.0;
    let position = |v: f64| {
        let (v, lo, hi) = if log {
            (v.ln(), lo.ln(), hi.ln())
        } else {
            (v, lo, hi)
        };
        let t = if hi > lo { (v - lo) / (hi - lo) } else { 1.0 };
        HEAT_FROM + (1.0 - HEAT_FROM) * t
    };
    let color = |v: f64| heat(theme, position(v));
    let legend = [(
        scale(lo, hi),
        Key::Ramp(ramp(&|t| heat(theme, t), HEAT_FROM, 1.0)),
    )];
    let body = header(area, &labels.title, &legend, theme)?;

    // From 0 (or the lowest value, were one negative) to a little above the highest.
    let span = |f: &dyn Fn(&ScatterPoint) -> f64| {
        let (lo, hi) = shown
            .iter()
            .filter_map(|&i| points.get(i).map(f))
            .fold((0.0, 0.0), |(lo, hi): (f64, f64), v| (lo.min(v), hi.max(v)));
        (lo * 1.06, if hi > 0.0 { hi * 1.06 } else { 1.0 })
    };
    let (x_lo, x_hi) = span(&|p| p.support * 100.0);
    let (y_lo, y_hi) = span(&|p| p.confidence * 100.0);
    let x_ticks = nice_ticks(x_lo, x_hi, 8);
    let y_ticks = nice_ticks(y_lo, y_hi, 6);
    let step = |ticks: &[f64]| match ticks {
        [a, b, ..] => b - a,
        _ => 1.0,
    };
    let (x_step, y_step) = (step(&x_ticks), step(&y_ticks));
    let mut chart = builder(&body)
        .x_label_area_size(if labels.x_axis.is_empty() { 28 } else { 46 })
        .y_label_area_size(if labels.y_axis.is_empty() { 44 } else { 62 })
        .build_cartesian_2d(ticked(x_lo..x_hi, x_ticks), ticked(y_lo..y_hi, y_ticks))?;
    chart
        .configure_mesh()
        .max_light_lines(0)
        .bold_line_style(theme.grid)
        .axis_style(theme.axis)
        .label_style(text_style(theme, LABEL_PX))
        .axis_desc_style(text_style(theme, AXIS_TITLE_PX))
        .x_desc(labels.x_axis.as_str())
        .y_desc(labels.y_axis.as_str())
        .x_label_formatter(&|v: &f64| tick_label(*v, x_step))
        .y_label_formatter(&|v: &f64| tick_label(*v, y_step))
        .draw()?;

    let radius = if shown.len() >= MANY_POINTS {
        POINT_PX[1]
    } else {
        POINT_PX[0]
    };
    // Highest lift last, so the interesting rules are never hidden under the others.
    shown.sort_by(|&a, &b| lift(a).total_cmp(&lift(b)).then(a.cmp(&b)));
    chart.draw_series(shown.iter().filter_map(|&i| {
        let p = points.get(i)?;
        Some(Circle::new(
            at(p)?,
            radius,
            color(p.lift).mix(POINT_OPACITY).filled(),
        ))
    }))?;

    let mut plot = plot_layout(&chart);
    let (point_x_px, point_y_px) = points
        .iter()
        .map(|p| match at(p) {
            Some(xy) => {
                let (px, py) = chart.backend_coord(&xy);
                (f64::from(px), f64::from(py))
            }
            None => (f64::NAN, f64::NAN),
        })
        .unzip();
    plot.point_x_px = point_x_px;
    Ok(ClusterLayout {
        plot,
        point_y_px,
        hover: HoverAxis::Both,
    })
}
