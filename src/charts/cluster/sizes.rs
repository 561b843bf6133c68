//! Share of customers and share of revenue per segment, as horizontal grouped bars.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::legend::{header, Mark};
use super::{ellipsize, ClusterLayout, HoverAxis, NAME_MAX_PX};
use crate::charts::theme::toward_background;
use crate::charts::util::{
    begin, builder, nice_ticks, plot_layout, text_style, text_width_px, ticked, AXIS_TITLE_PX,
    LABEL_PX,
};
use crate::charts::{ChartLabels, ChartResult, ChartTheme};
use crate::engine::cluster::SegmentProfile;
use crate::format::percent;

/// How far a tiny segment's bars fade towards the background.
const TINY_FADE: f64 = 0.6;
/// Up to this many rows, the shares are written at the bar ends.
const MAX_ROWS_WITH_VALUES: usize = 10;
/// Diameter of the colour dot before each name, pixels.
const KEY_PX: i32 = 9;
/// What marks a tiny segment's name.
const TINY_MARK: &str = "! ";

/// Draws one row per segment (first at the top), each with two bars on a percent axis: share of
/// customers ([`SegmentProfile::share`], upper, `theme.accent`) and share of revenue
/// ([`SegmentProfile::revenue_share`], lower, `theme.accent2`). A dot in the segment's
/// [`ChartTheme::cluster_color`] precedes its name, as on the scatter (a dot, not a square, so
/// it is not read as a bar colour). Tiny segments
/// ([`SegmentProfile::tiny`]) have pale outlined bars and a "!" before the name. With few rows
/// the shares are written at the bar ends; with many the names get smaller.
///
/// `names` are the display names aligned with `segments` (long ones end with "…"). Labels:
/// `title`, `x_axis`, `y_axis`, `series[0]` customers, `series[1]` revenue, `series[2]` the tiny
/// mark (listed only when a segment is tiny), `no_data` (drawn when `segments` is empty). A
/// non-finite share draws no bar. Returns each row's pixel y (index = position in `segments`),
/// found by y.
pub(super) fn draw_sizes<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    segments: &[SegmentProfile],
    names: &[String],
    labels: &ChartLabels,
    theme: &ChartTheme,
) -> ChartResult<ClusterLayout> {
    if begin(area, labels, theme, segments.is_empty())? {
        return Ok(ClusterLayout::default());
    }
    let n = segments.len();
    let any_tiny = segments.iter().any(|s| s.tiny);
    let mut legend = vec![
        (labels.series_name(0).to_string(), Mark::Bar(theme.accent)),
        (labels.series_name(1).to_string(), Mark::Bar(theme.accent2)),
    ];
    if any_tiny {
        legend.push((labels.series_name(2).to_string(), Mark::Pale(theme.axis)));
    }
    let body = header(area, &labels.title, &legend, &[], theme)?;

    // Names shrink to fit their rows (12 px down to 9 px).
    let x_area: u32 = if labels.x_axis.is_empty() { 28 } else { 46 };
    let (_, body_h) = body.dim_in_pixel();
    let row_px = f64::from(body_h.saturating_sub(x_area + 20)) / n as f64;
    let name_px = (row_px - 2.0).clamp(9.0, LABEL_PX);
    let texts: Vec<String> = segments
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let name = names.get(i).map_or("", String::as_str);
            let name = ellipsize(name, NAME_MAX_PX, name_px);
            if s.tiny {
                format!("{TINY_MARK}{name}")
            } else {
                name
            }
        })
        .collect();
    let widest = texts
        .iter()
        .map(|s| text_width_px(s, name_px))
        .fold(0.0, f64::max);
    let key_room = KEY_PX + 6;
    let y_area = (widest + 14.0).clamp(40.0, NAME_MAX_PX + 30.0) as u32
        + u32::try_from(key_room).unwrap_or(0)
        + if labels.y_axis.is_empty() { 0 } else { 20 };

    let max = segments
        .iter()
        .flat_map(|s| [s.share, s.revenue_share])
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let with_values = n <= MAX_ROWS_WITH_VALUES;
    // Room on the right for the values.
    let hi = if max > 0.0 {
        max * if with_values { 1.16 } else { 1.05 }
    } else {
        1.0
    };
    let lo = segments
        .iter()
        .flat_map(|s| [s.share, s.revenue_share])
        .filter(|v| v.is_finite())
        .fold(0.0, f64::min);

    let keys: Vec<f64> = (0..n).map(|i| i as f64 + 0.5).collect();
    let mut chart = builder(&body)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(
            ticked(lo..hi, nice_ticks(lo, max.max(f64::EPSILON), 6)),
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
        // The names are drawn below, left-aligned after their colour keys.
        .y_label_formatter(&|_: &f64| String::new())
        .draw()?;

    let value_style = text_style(theme, 11.0).pos(Pos::new(HPos::Left, VPos::Center));
    for series in 0..2 {
        let color = if series == 0 {
            theme.accent
        } else {
            theme.accent2
        };
        let pale = toward_background(theme, color, TINY_FADE);
        for (i, s) in segments.iter().enumerate() {
            let share = if series == 0 {
                s.share
            } else {
                s.revenue_share
            };
            if !share.is_finite() {
                continue;
            }
            let base = (n - 1 - i) as f64;
            // Customers above the middle of the row, revenue below it.
            let (y0, y1) = if series == 0 {
                (base + 0.5, base + 0.88)
            } else {
                (base + 0.12, base + 0.5)
            };
            let corners = [(0.0, y0), (share, y1)];
            if s.tiny {
                chart.draw_series([
                    Rectangle::new(corners, pale.filled()),
                    Rectangle::new(corners, color.stroke_width(1)),
                ])?;
            } else {
                chart.draw_series([Rectangle::new(corners, color.filled())])?;
            }
            if with_values {
                chart.draw_series([Text::new(
                    percent(share),
                    (share.max(0.0) + max * 0.01, (y0 + y1) / 2.0),
                    value_style.clone(),
                )])?;
            }
        }
    }

    // Each name, left-aligned after its colour dot, in the label area.
    let plot = plot_layout(&chart);
    // Backend pixels → pixels of `body`.
    let (base_x, base_y) = body.get_base_pixel();
    let title_room = if labels.y_axis.is_empty() { 0 } else { 20 };
    let key_x = plot.plot_left_px as i32 - base_x - y_area as i32 + 4 + title_room;
    let name_style = text_style(theme, name_px).pos(Pos::new(HPos::Left, VPos::Center));
    let mut point_y_px = Vec::with_capacity(n);
    for (i, (s, text)) in segments.iter().zip(&texts).enumerate() {
        let (_, y) = chart.backend_coord(&(lo, (n - 1 - i) as f64 + 0.5));
        point_y_px.push(f64::from(y));
        let y = y - base_y;
        body.draw(&Circle::new(
            (key_x + KEY_PX / 2, y),
            KEY_PX / 2,
            theme.cluster_color(s.segment as usize).filled(),
        ))?;
        body.draw_text(text, &name_style, (key_x + key_room, y))?;
    }
    // Rows are found by y; the x of each row is the plot's left edge.
    let mut plot = plot;
    plot.point_x_px = vec![plot.plot_left_px; n];
    Ok(ClusterLayout {
        plot,
        point_y_px,
        hover: HoverAxis::Y,
    })
}
