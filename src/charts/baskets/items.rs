//! The most frequent items' share of baskets, as horizontal bars.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::header;
use crate::charts::cluster::{ellipsize, tick_label};
use crate::charts::util::{
    begin, builder, nice_ticks, plot_layout, text_style, text_width_px, ticked, AXIS_TITLE_PX,
    LABEL_PX,
};
use crate::charts::{ChartLabels, ChartResult, ChartTheme, ClusterLayout, HoverAxis};
use crate::engine::baskets::report::ItemStat;
use crate::format::percent;

/// Item names longer than this (pixels at their size) end with "…".
const NAME_MAX_PX: f64 = 150.0;
/// Up to this many rows, the shares are written at the bar ends.
const MAX_ROWS_WITH_VALUES: usize = 20;

/// Draws one bar per item (first at the top) of its share of baskets ([`ItemStat::support`], in
/// percent) in `theme.accent`, the share written at the bar end, the name (cut with "…")
/// right-aligned before it; with many rows the names get smaller.
///
/// Labels: `title`, `x_axis`, `no_data` (drawn when `items` is empty). A non-finite share draws
/// no bar. Returns each row's pixel y (index = position in `items`), found by y.
pub(super) fn draw_items<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    items: &[ItemStat],
    labels: &ChartLabels,
    theme: &ChartTheme,
) -> ChartResult<ClusterLayout> {
    if begin(area, labels, theme, items.is_empty())? {
        return Ok(ClusterLayout::default());
    }
    let n = items.len();
    let body = header(area, &labels.title, &[], theme)?;

    // Names shrink to fit their rows (12 px down to 8 px).
    let x_area: u32 = if labels.x_axis.is_empty() { 28 } else { 46 };
    let (_, body_h) = body.dim_in_pixel();
    let row_px = f64::from(body_h.saturating_sub(x_area + 20)) / n as f64;
    let name_px = (row_px - 2.0).clamp(8.0, LABEL_PX);
    let names: Vec<String> = items
        .iter()
        .map(|item| ellipsize(&item.name, NAME_MAX_PX, name_px))
        .collect();
    let widest = names
        .iter()
        .map(|s| text_width_px(s, name_px))
        .fold(0.0, f64::max);
    let y_area = (widest + 14.0).clamp(40.0, NAME_MAX_PX + 20.0) as u32;

    let share = |item: &ItemStat| item.support * 100.0;
    let max = items
        .iter()
        .map(share)
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let with_values = n <= MAX_ROWS_WITH_VALUES;
    // Room on the right for the values.
    let hi = if max > 0.0 {
        max * if with_values { 1.18 } else { 1.05 }
    } else {
        1.0
    };
    let ticks = nice_ticks(0.0, if max > 0.0 { max } else { 1.0 }, 6);
    let step = match ticks.as_slice() {
        [a, b, ..] => b - a,
        _ => 1.0,
    };
    let keys: Vec<f64> = (0..n).map(|i| i as f64 + 0.5).collect();
    let mut chart = builder(&body)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(ticked(0.0..hi, ticks), ticked(0.0..n as f64, keys))?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .max_light_lines(0)
        .bold_line_style(theme.grid)
        .axis_style(theme.axis)
        .label_style(text_style(theme, LABEL_PX))
        .axis_desc_style(text_style(theme, AXIS_TITLE_PX))
        .x_desc(labels.x_axis.as_str())
        .x_label_formatter(&|v: &f64| tick_label(*v, step))
        // The names are drawn below, at the size that fits the rows.
        .y_label_formatter(&|_: &f64| String::new())
        .draw()?;

    let bar_gap = if n > 12 { 0.12 } else { 0.2 };
    chart.draw_series(items.iter().enumerate().filter_map(|(i, item)| {
        let v = share(item);
        let base = (n - 1 - i) as f64;
        v.is_finite().then(|| {
            Rectangle::new(
                [(0.0, base + bar_gap), (v, base + 1.0 - bar_gap)],
                theme.accent.filled(),
            )
        })
    }))?;
    if with_values {
        let style =
            text_style(theme, (name_px - 1.0).max(8.0)).pos(Pos::new(HPos::Left, VPos::Center));
        chart.draw_series(items.iter().enumerate().filter_map(|(i, item)| {
            let v = share(item);
            let y = (n - 1 - i) as f64 + 0.5;
            v.is_finite()
                .then(|| Text::new(percent(item.support), (v + max * 0.01, y), style.clone()))
        }))?;
    }

    let mut plot = plot_layout(&chart);
    let (base_x, base_y) = body.get_base_pixel();
    let name_style = text_style(theme, name_px).pos(Pos::new(HPos::Right, VPos::Center));
    let mut point_y_px = Vec::with_capacity(n);
    for (i, name) in names.iter().enumerate() {
        let (_, y) = chart.backend_coord(&(0.0, (n - 1 - i) as f64 + 0.5));
        point_y_px.push(f64::from(y));
        body.draw_text(
            name,
            &name_style,
            (plot.plot_left_px as i32 - base_x - 6, y - base_y),
        )?;
    }
    // Rows are found by y; the x of each row is the plot's left edge.
    plot.point_x_px = vec![plot.plot_left_px; n];
    Ok(ClusterLayout {
        plot,
        point_y_px,
        hover: HoverAxis::Y,
    })
}
