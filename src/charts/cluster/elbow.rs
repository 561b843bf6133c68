//! The k sweep: inertia (left axis) and mean silhouette (right axis) for each k, with the chosen
//! and the suggested k marked.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::legend::{header, Mark};
use super::{runs, tick_label, ClusterLayout, HoverAxis};
use crate::charts::trend::padded_range;
use crate::charts::util::{
    begin, builder, nice_ticks, plot_layout, text_style, thinned, ticked, AXIS_TITLE_PX, LABEL_PX,
};
use crate::charts::{ChartLabels, ChartResult, ChartTheme};
use crate::engine::cluster::Sweep;
use crate::format::compact;

/// Radius of the ring around the chosen k's points, pixels.
const RING_PX: i32 = 8;

/// Draws the sweep: inertia as a line with dots (`theme.accent`, left axis), the mean
/// silhouette as a line with smaller dots (`theme.accent2`, right axis), a solid vertical line
/// and rings at `chosen_k`, and a dashed vertical line at [`Sweep::suggested_k`] when it differs.
///
/// Labels: `title`, `x_axis` (k), `y_axis` (inertia), `secondary_y_axis` (silhouette),
/// `series[0]` inertia, `series[1]` silhouette, `series[2]` the chosen k, `series[3]` the
/// suggested k (empty when it is the chosen one), `no_data` (drawn without a sweep or without any
/// finite value). `note` is written under the legend (the silhouette sample). Non-finite values
/// are skipped (the line breaks there). Returns one pixel x per [`Sweep::points`] entry (NaN when
/// neither of its values was drawn), found by x.
pub(super) fn draw_elbow<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    sweep: Option<&Sweep>,
    chosen_k: usize,
    labels: &ChartLabels,
    note: &str,
    theme: &ChartTheme,
) -> ChartResult<ClusterLayout> {
    let points = sweep.map_or(&[][..], |s| s.points.as_slice());
    let finite = |v: f64| v.is_finite().then_some(v);
    let drawn: Vec<bool> = points
        .iter()
        .map(|p| p.inertia.is_finite() || p.silhouette.is_finite())
        .collect();
    if begin(area, labels, theme, !drawn.contains(&true))? {
        return Ok(ClusterLayout::default());
    }
    let suggested_k = sweep.map_or(chosen_k, |s| s.suggested_k);
    let ks = points
        .iter()
        .zip(&drawn)
        .filter(|(_, d)| **d)
        .map(|(p, _)| p.k)
        .chain([chosen_k, suggested_k].into_iter().filter(|k| *k > 0));
    let k_lo = ks.clone().min().unwrap_or(1);
    let k_hi = ks.max().unwrap_or(k_lo).max(k_lo);
    let (x_lo, x_hi) = (k_lo as f64 - 0.5, k_hi as f64 + 0.5);
    let (width, _) = area.dim_in_pixel();
    let k_count = k_hi - k_lo + 1;
    let x_keys: Vec<f64> = thinned(k_count, (width.saturating_sub(160) / 28).max(2) as usize)
        .into_iter()
        .map(|i| (k_lo + i) as f64)
        .collect();

    let inertias: Vec<f64> = points.iter().filter_map(|p| finite(p.inertia)).collect();
    let silhouettes: Vec<f64> = points.iter().filter_map(|p| finite(p.silhouette)).collect();
    let (i_lo, i_hi) = padded_range(&inertias);
    let (s_lo, s_hi) = padded_range(&silhouettes);
    let s_ticks = nice_ticks(s_lo, s_hi, 5);
    let s_step = match s_ticks.as_slice() {
        [a, b, ..] => b - a,
        _ => 1.0,
    };

    let mut legend = vec![
        (labels.series_name(0).to_string(), Mark::Line(theme.accent)),
        (labels.series_name(1).to_string(), Mark::Line(theme.accent2)),
        (labels.series_name(2).to_string(), Mark::Ring(theme.text)),
    ];
    if suggested_k != chosen_k {
        legend.push((labels.series_name(3).to_string(), Mark::Dashed(theme.axis)));
    }
    let body = header(area, &labels.title, &legend, &[note], theme)?;
    let mut chart = builder(&body)
        .x_label_area_size(if labels.x_axis.is_empty() { 28 } else { 46 })
        .y_label_area_size(if labels.y_axis.is_empty() { 52 } else { 70 })
        .right_y_label_area_size(if labels.secondary_y_axis.is_empty() {
            44
        } else {
            62
        })
        .build_cartesian_2d(
            ticked(x_lo..x_hi, x_keys.clone()),
            ticked(i_lo..i_hi, nice_ticks(i_lo, i_hi, 5)),
        )?
        .set_secondary_coord(ticked(x_lo..x_hi, x_keys), ticked(s_lo..s_hi, s_ticks));
    chart
        .configure_mesh()
        .disable_x_mesh()
        .max_light_lines(0)
        .bold_line_style(theme.grid)
        .axis_style(theme.axis)
        .label_style(text_style(theme, LABEL_PX))
        .axis_desc_style(text_style(theme, AXIS_TITLE_PX))
        .x_desc(labels.x_axis.as_str())
        .y_desc(labels.y_axis.as_str())
        .x_label_formatter(&|v: &f64| format!("{v:.0}"))
        .y_label_formatter(&|v: &f64| compact(*v))
        .draw()?;
    chart
        .configure_secondary_axes()
        .axis_style(theme.axis)
        .label_style(text_style(theme, LABEL_PX))
        .axis_desc_style(text_style(theme, AXIS_TITLE_PX))
        .y_desc(labels.secondary_y_axis.as_str())
        .y_label_formatter(&|v: &f64| tick_label(*v, s_step))
        .draw()?;

    // The k markers first, under the data.
    if suggested_k != chosen_k && suggested_k > 0 {
        let x = suggested_k as f64;
        chart.draw_series(DashedLineSeries::new(
            [(x, i_lo), (x, i_hi)],
            5,
            4,
            theme.axis.stroke_width(2),
        ))?;
    }
    if chosen_k > 0 {
        let x = chosen_k as f64;
        chart.draw_series(LineSeries::new(
            [(x, i_lo), (x, i_hi)],
            theme.grid.stroke_width(3),
        ))?;
    }

    let inertia =
        |p: &crate::engine::cluster::SweepPoint| finite(p.inertia).map(|v| (p.k as f64, v));
    let silhouette =
        |p: &crate::engine::cluster::SweepPoint| finite(p.silhouette).map(|v| (p.k as f64, v));
    for run in runs(points.iter().map(inertia)) {
        chart.draw_series(LineSeries::new(run, theme.accent.stroke_width(2)))?;
    }
    chart.draw_series(
        points
            .iter()
            .filter_map(inertia)
            .map(|p| Circle::new(p, 4, theme.accent.filled())),
    )?;
    for run in runs(points.iter().map(silhouette)) {
        chart.draw_secondary_series(LineSeries::new(run, theme.accent2.stroke_width(2)))?;
    }
    chart.draw_secondary_series(
        points
            .iter()
            .filter_map(silhouette)
            .map(|p| Circle::new(p, 3, theme.accent2.filled())),
    )?;
    // Rings on the chosen k's points.
    let ring = theme.text.stroke_width(2);
    chart.draw_series(
        points
            .iter()
            .filter(|p| p.k == chosen_k)
            .filter_map(inertia)
            .map(|p| Circle::new(p, RING_PX, ring)),
    )?;
    chart.draw_secondary_series(
        points
            .iter()
            .filter(|p| p.k == chosen_k)
            .filter_map(silhouette)
            .map(|p| Circle::new(p, RING_PX, ring)),
    )?;

    let mut layout = plot_layout(&chart);
    layout.point_x_px = points
        .iter()
        .zip(&drawn)
        .map(|(p, drawn)| {
            if *drawn {
                f64::from(chart.backend_coord(&(p.k as f64, i_lo)).0)
            } else {
                f64::NAN
            }
        })
        .collect();
    Ok(ClusterLayout {
        plot: layout,
        point_y_px: Vec::new(),
        hover: HoverAxis::X,
    })
}
