//! Customer share and revenue share per segment, as horizontal grouped bars.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::util::{
    begin, builder, finite_or, header, nice_ticks, text_style, text_width_px, ticked, Swatch,
    AXIS_TITLE_PX, LABEL_PX,
};
use super::{ChartLabels, ChartResult, ChartTheme};
use crate::engine::rfm::SegmentRow;
use crate::format::percent;

/// Draws one row per segment (first row at the top), each with two bars: customer share
/// (upper, `theme.accent`) and revenue share (lower, `theme.accent2`), on a percent axis.
///
/// `segment_names` are the localised display names indexed by [`crate::engine::rfm::Segment::index`];
/// a missing name shows the segment's 1-based position. Labels: `title`, `x_axis` (share),
/// `y_axis`, `series[0]` (customer share) and `series[1]` (revenue share) for the legend,
/// `no_data` (drawn when `rows` is empty). A non-finite share draws no bar.
pub fn draw_segments<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[SegmentRow],
    segment_names: &[String],
    labels: &ChartLabels,
    theme: &ChartTheme,
) -> ChartResult<()> {
    if begin(area, labels, theme, rows.is_empty())? {
        return Ok(());
    }
    let n = rows.len();
    let name_of = |row: &SegmentRow| -> String {
        let i = row.segment.index();
        segment_names
            .get(i)
            .cloned()
            .unwrap_or_else(|| (i + 1).to_string())
    };
    let names: Vec<String> = rows.iter().map(name_of).collect();
    let name_px = names
        .iter()
        .map(|s| text_width_px(s, LABEL_PX))
        .fold(0.0, f64::max);
    let y_area =
        (name_px + 16.0).clamp(40.0, 220.0) as u32 + if labels.y_axis.is_empty() { 0 } else { 20 };

    let shares = rows
        .iter()
        .flat_map(|r| [r.customer_share, r.revenue_share]);
    let lo = shares
        .clone()
        .map(|s| finite_or(s, 0.0))
        .fold(0.0, f64::min);
    let hi = shares.map(|s| finite_or(s, 0.0)).fold(0.0, f64::max);
    let (lo, hi) = if hi - lo <= f64::EPSILON {
        (0.0, 1.0)
    } else {
        (lo, finite_or(hi + (hi - lo) * 0.06, hi))
    };

    // Row i occupies y in [n-1-i, n-i]; its label sits at the middle.
    let keys: Vec<f64> = (0..n).map(|i| i as f64 + 0.5).collect();
    let row_label = |y: &f64| -> String {
        let from_top = n as f64 - 1.0 - y.floor();
        if from_top < 0.0 {
            return String::new();
        }
        names.get(from_top as usize).cloned().unwrap_or_default()
    };

    let body = header(
        area,
        labels,
        theme,
        &[
            (labels.series_name(0), Swatch::Bar(theme.accent)),
            (labels.series_name(1), Swatch::Bar(theme.accent2)),
        ],
    )?;
    let mut chart = builder(&body)
        .x_label_area_size(if labels.x_axis.is_empty() { 28 } else { 46 })
        .y_label_area_size(y_area)
        .build_cartesian_2d(
            ticked(lo..hi, nice_ticks(lo, hi, 8)),
            ticked(0.0..n as f64, keys),
        )?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .max_light_lines(0)
        .bold_line_style(theme.grid)
        .axis_style(theme.axis)
        .label_style(text_style(theme, LABEL_PX))
        .axis_desc_style(text_style(theme, AXIS_TITLE_PX))
        .x_desc(labels.x_axis.as_str())
        .y_desc(labels.y_axis.as_str())
        .x_label_formatter(&|v: &f64| percent(*v))
        .y_label_formatter(&row_label)
        .draw()?;

    for (series, color) in [(0, theme.accent), (1, theme.accent2)] {
        let style = color.filled();
        let bars = rows.iter().enumerate().filter_map(|(i, row)| {
            let share = if series == 0 {
                row.customer_share
            } else {
                row.revenue_share
            };
            if !share.is_finite() {
                return None;
            }
            let base = (n - 1 - i) as f64;
            // Customer share above the middle of the row, revenue share below it.
            let (y0, y1) = if series == 0 {
                (base + 0.5, base + 0.86)
            } else {
                (base + 0.14, base + 0.5)
            };
            Some(Rectangle::new([(0.0, y0), (share, y1)], style))
        });
        chart.draw_series(bars)?;
    }

    Ok(())
}
