//! The recommendations' hidden-basket scores against the most-popular baseline, as grouped bars.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{header, Key};
use crate::charts::cluster::{ellipsize, tick_label};
use crate::charts::util::{
    begin, builder, nice_ticks, plot_layout, text_style, text_width_px, ticked, AXIS_TITLE_PX,
    LABEL_PX,
};
use crate::charts::{ChartLabels, ChartResult, ChartTheme, ClusterLayout, HoverAxis};
use crate::format::percent;

/// Size of the values written above the bars, pixels.
const VALUE_PX: f64 = 11.0;

/// Draws one group per metric (`(name, model, baseline)`, shares 0..=1, left to right), each with
/// the model's bar (`theme.accent`) and the baseline's (`theme.accent2`) in percent, the values
/// written above the bars when they fit. Metric names longer than their slot end with "…".
///
/// Labels: `title`, `x_axis`, `y_axis`, `series[0]` the model, `series[1]` the baseline,
/// `no_data` (drawn when no value is finite). Returns each group's pixel x (index = position in
/// `metrics`), found by x.
pub(super) fn draw_evaluation<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    metrics: &[(String, f64, f64)],
    labels: &ChartLabels,
    theme: &ChartTheme,
) -> ChartResult<ClusterLayout> {
    let values = || {
        metrics
            .iter()
            .flat_map(|(_, a, b)| [*a, *b])
            .filter(|v| v.is_finite())
    };
    if begin(area, labels, theme, values().next().is_none())? {
        return Ok(ClusterLayout::default());
    }
    let n = metrics.len();
    let series = [theme.accent, theme.accent2];
    let legend = [
        (labels.series_name(0).to_string(), Key::Bar(series[0])),
        (labels.series_name(1).to_string(), Key::Bar(series[1])),
    ];
    let body = header(area, &labels.title, &legend, theme)?;

    let max = values().map(|v| v * 100.0).fold(0.0, f64::max);
    let lo = values().map(|v| v * 100.0).fold(0.0, f64::min);
    let hi = if max > 0.0 { max * 1.15 } else { 1.0 };
    let ticks = nice_ticks(lo, if max > 0.0 { max } else { 1.0 }, 5);
    let step = match ticks.as_slice() {
        [a, b, ..] => b - a,
        _ => 1.0,
    };
    let y_area: u32 = if labels.y_axis.is_empty() { 44 } else { 62 };
    let (body_w, _) = body.dim_in_pixel();
    let slot_px = f64::from(body_w.saturating_sub(y_area + 36)) / n.max(1) as f64;
    let names: Vec<String> = metrics
        .iter()
        .map(|(name, _, _)| ellipsize(name, (slot_px - 6.0).max(24.0), LABEL_PX))
        .collect();
    let keys: Vec<f64> = (0..n).map(|i| i as f64 + 0.5).collect();
    let name_at = |v: &f64| {
        let i = v.floor();
        if i >= 0.0 {
            names.get(i as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    let mut chart = builder(&body)
        .x_label_area_size(if labels.x_axis.is_empty() { 28 } else { 46 })
        .y_label_area_size(y_area)
        .build_cartesian_2d(ticked(0.0..n as f64, keys), ticked(lo..hi, ticks))?;
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
        .x_label_formatter(&name_at)
        .y_label_formatter(&|v: &f64| tick_label(*v, step))
        .draw()?;

    // Values fit above the bars when the widest is narrower than a bar.
    let bar_px = slot_px * 0.36;
    let with_values = values().all(|v| text_width_px(&percent(v), VALUE_PX) <= bar_px + 8.0);
    let value_style = text_style(theme, VALUE_PX).pos(Pos::new(HPos::Center, VPos::Bottom));
    for (s, color) in series.iter().enumerate() {
        let bars: Vec<(f64, f64, f64)> = metrics
            .iter()
            .enumerate()
            .filter_map(|(i, (_, model, baseline))| {
                let v = if s == 0 { *model } else { *baseline };
                let x0 = i as f64 + if s == 0 { 0.14 } else { 0.5 };
                v.is_finite().then_some((x0, x0 + 0.36, v))
            })
            .collect();
        chart
            .draw_series(bars.iter().map(|&(x0, x1, v)| {
                Rectangle::new([(x0, 0.0), (x1, v * 100.0)], color.filled())
            }))?;
        if with_values {
            chart.draw_series(bars.iter().map(|&(x0, x1, v)| {
                Text::new(
                    percent(v),
                    ((x0 + x1) / 2.0, v.max(0.0) * 100.0 + hi * 0.01),
                    value_style.clone(),
                )
            }))?;
        }
    }

    let mut plot = plot_layout(&chart);
    plot.point_x_px = (0..n)
        .map(|i| f64::from(chart.backend_coord(&(i as f64 + 0.5, 0.0)).0))
        .collect();
    Ok(ClusterLayout {
        plot,
        point_y_px: Vec::new(),
        hover: HoverAxis::X,
    })
}
