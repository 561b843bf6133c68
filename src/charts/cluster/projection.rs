//! The sampled customers on the first two principal components, coloured by segment, with the
//! segment centres.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::legend::{header, Mark};
use super::{padded_span, tick_label, ClusterLayout, HoverAxis};
use crate::charts::util::{
    begin, builder, nice_ticks, plot_layout, text_style, ticked, AXIS_TITLE_PX, LABEL_PX,
};
use crate::charts::{ChartLabels, ChartResult, ChartTheme};
use crate::engine::cluster::Projection;

/// Radius of a customer point, pixels: smaller when there are many.
const POINT_PX: [i32; 2] = [3, 2];
/// From this many points on, the smaller radius.
const MANY_POINTS: usize = 1500;
/// Opacity of a customer point (overlaps show density).
const POINT_OPACITY: f64 = 0.7;
/// Radius of a segment centre, pixels.
const CENTRE_PX: i32 = 7;

/// Draws each finite point of `projection` as a small dot in its segment's
/// [`ChartTheme::cluster_color`], then each segment centre ([`Projection::centroids`], index =
/// segment number) as a larger dot in the same colour outlined in `theme.text`.
///
/// `segments` are the legend entries (segment number and display name). Labels: `title`,
/// `x_axis` (PC1), `y_axis` (PC2), `series[0]` (the centre marker, for the legend), `no_data`
/// (drawn when there is neither a finite point nor a finite centre). `note` is written under the
/// legend (the sample size). Returns each point's pixel position (NaN when not drawn), index =
/// position in [`Projection::points`], found by distance.
pub(super) fn draw_projection<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    projection: &Projection,
    segments: &[(u32, String)],
    labels: &ChartLabels,
    note: &str,
    theme: &ChartTheme,
) -> ChartResult<ClusterLayout> {
    let point = |p: &crate::engine::cluster::ProjectedPoint| {
        let (x, y) = (f64::from(p.x), f64::from(p.y));
        (x.is_finite() && y.is_finite()).then_some((x, y))
    };
    let centres: Vec<(usize, (f64, f64))> = projection
        .centroids
        .iter()
        .enumerate()
        .filter(|(_, c)| c[0].is_finite() && c[1].is_finite())
        .map(|(i, c)| (i, (c[0], c[1])))
        .collect();
    let shown = projection.points.iter().filter_map(point).count();
    if begin(area, labels, theme, shown == 0 && centres.is_empty())? {
        return Ok(ClusterLayout::default());
    }
    let xs = projection
        .points
        .iter()
        .filter_map(point)
        .map(|p| p.0)
        .chain(centres.iter().map(|c| c.1 .0));
    let ys = projection
        .points
        .iter()
        .filter_map(point)
        .map(|p| p.1)
        .chain(centres.iter().map(|c| c.1 .1));
    let (x_lo, x_hi) = padded_span(xs, 0.04);
    let (y_lo, y_hi) = padded_span(ys, 0.06);
    let x_ticks = nice_ticks(x_lo, x_hi, 8);
    let y_ticks = nice_ticks(y_lo, y_hi, 6);
    let step = |ticks: &[f64]| match ticks {
        [a, b, ..] => b - a,
        _ => 1.0,
    };
    let (x_step, y_step) = (step(&x_ticks), step(&y_ticks));

    let mut legend: Vec<(String, Mark)> = segments
        .iter()
        .map(|(s, name)| (name.clone(), Mark::Dot(theme.cluster_color(*s as usize))))
        .collect();
    legend.push((labels.series_name(0).to_string(), Mark::Ring(theme.text)));
    let body = header(area, &labels.title, &legend, &[note], theme)?;
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

    let radius = if shown >= MANY_POINTS {
        POINT_PX[1]
    } else {
        POINT_PX[0]
    };
    chart.draw_series(projection.points.iter().filter_map(|p| {
        let color = theme.cluster_color(p.segment as usize);
        Some(Circle::new(
            point(p)?,
            radius,
            color.mix(POINT_OPACITY).filled(),
        ))
    }))?;
    // Centres: a halo in the background colour keeps them apart from the points under them.
    chart.draw_series(
        centres
            .iter()
            .map(|(_, c)| Circle::new(*c, CENTRE_PX + 2, theme.background.filled())),
    )?;
    chart.draw_series(
        centres
            .iter()
            .map(|(s, c)| Circle::new(*c, CENTRE_PX, theme.cluster_color(*s).filled())),
    )?;
    chart.draw_series(
        centres
            .iter()
            .map(|(_, c)| Circle::new(*c, CENTRE_PX, theme.text.stroke_width(2))),
    )?;

    let mut plot = plot_layout(&chart);
    let (point_x_px, point_y_px) = projection
        .points
        .iter()
        .map(|p| match point(p) {
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
