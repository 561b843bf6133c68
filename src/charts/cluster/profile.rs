//! The snake plot: each segment's standardised mean (its centroid) per input column.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

use super::legend::{header, Mark};
use super::{ellipsize, padded_span, runs, tick_label, ClusterLayout, HoverAxis};
use crate::charts::util::{
    begin, builder, nice_ticks, plot_layout, text_style, text_width_px, thinned, ticked,
    AXIS_TITLE_PX, LABEL_PX,
};
use crate::charts::{ChartLabels, ChartResult, ChartTheme};
use crate::engine::cluster::{FeatureInfo, SegmentProfile};

/// Longest column label written upright or rotated, pixels; longer ones are shortened.
const COLUMN_LABEL_MAX_PX: f64 = 110.0;
/// Pixels one rotated column label needs across, gap included.
const ROTATED_LABEL_PX: u32 = 16;

/// Draws one line per segment across the input columns (x = [`FeatureInfo::label`], in
/// `features` order; y = [`SegmentProfile::centroid`], the mean of the transformed values), in
/// the segment's [`ChartTheme::cluster_color`], with a dot per column and a dashed zero line (the
/// base average). Standardised columns read in standard deviations from the base mean; one-hot
/// columns are not rescaled, so their value is the segment's 0..=1 share with that level and is
/// plotted as is (0 is then "nobody", not "average").
///
/// Column labels are written level when every one fits its column; otherwise all are turned to
/// read upwards, shortened to a quarter of the height (the part after `category_share:` /
/// `attr:`, then "…") and thinned when even so they crowd each other. `names` are the segments'
/// display names, aligned with `segments`. Labels: `title`, `x_axis`, `y_axis`, `series[0]` (the
/// zero line, for the legend), `no_data` (drawn when there are no columns or no finite value).
/// Non-finite values break the line. Returns one pixel x per column (NaN when no segment has a
/// finite value there), found by x.
pub(super) fn draw_profile<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    features: &[FeatureInfo],
    segments: &[SegmentProfile],
    names: &[String],
    labels: &ChartLabels,
    theme: &ChartTheme,
) -> ChartResult<ClusterLayout> {
    let columns = features.len();
    let value = |s: &SegmentProfile, c: usize| s.centroid.get(c).copied().filter(|v| v.is_finite());
    let drawn: Vec<bool> = (0..columns)
        .map(|c| segments.iter().any(|s| value(s, c).is_some()))
        .collect();
    if begin(area, labels, theme, !drawn.contains(&true))? {
        return Ok(ClusterLayout::default());
    }
    let (y_lo, y_hi) = padded_span(
        segments
            .iter()
            .flat_map(|s| (0..columns).filter_map(move |c| value(s, c)))
            .chain([0.0]),
        0.08,
    );
    let y_ticks = nice_ticks(y_lo, y_hi, 6);
    let y_step = match y_ticks.as_slice() {
        [a, b, ..] => b - a,
        _ => 1.0,
    };

    let legend: Vec<(String, Mark)> = segments
        .iter()
        .zip(names)
        .map(|(s, name)| {
            (
                name.clone(),
                Mark::Line(theme.cluster_color(s.segment as usize)),
            )
        })
        .chain([(labels.series_name(0).to_string(), Mark::Dashed(theme.axis))])
        .collect();
    let body = header(area, &labels.title, &legend, &[], theme)?;

    // Column labels: upright when they fit their slot, else rotated (and thinned past what fits).
    let (width, _) = body.dim_in_pixel();
    let plot_px = f64::from(width.saturating_sub(110).max(60));
    let slot_px = plot_px / columns.max(1) as f64;
    // Rotated labels take at most a quarter of the height.
    let (_, height) = area.dim_in_pixel();
    let label_max_px = (f64::from(height) * 0.25).clamp(50.0, COLUMN_LABEL_MAX_PX);
    let fits_upright = features
        .iter()
        .all(|f| text_width_px(&f.label, LABEL_PX) + 8.0 <= slot_px);
    let rotated = !fits_upright;
    let texts: Vec<String> = features
        .iter()
        .map(|f| {
            if rotated {
                short_label(&f.label, label_max_px)
            } else {
                f.label.clone()
            }
        })
        .collect();
    let max_labels = if rotated {
        (plot_px as u32 / ROTATED_LABEL_PX).max(2) as usize
    } else {
        columns
    };
    let x_keys: Vec<f64> = thinned(columns, max_labels)
        .into_iter()
        .map(|i| i as f64)
        .collect();
    let label_area = if rotated {
        // The backend's own measure (the estimate above errs on the wide side).
        let style = text_style(theme, LABEL_PX);
        let mut measured = 0;
        for text in &texts {
            measured = measured.max(body.estimate_text_size(text, &style)?.0);
        }
        measured.min(label_max_px as u32) + 16
    } else {
        24
    } + if labels.x_axis.is_empty() { 4 } else { 22 };
    // Rotated labels are drawn below (plotters would centre them on the axis line).
    let column_label = |x: &f64| -> String {
        let i = x.round();
        if i < 0.0 || rotated {
            return String::new();
        }
        texts.get(i as usize).cloned().unwrap_or_default()
    };

    let x_range = -0.5..columns as f64 - 0.5;
    let mut chart = builder(&body)
        .x_label_area_size(label_area)
        .y_label_area_size(if labels.y_axis.is_empty() { 44 } else { 62 })
        .build_cartesian_2d(
            ticked(x_range.clone(), x_keys.clone()),
            ticked(y_lo..y_hi, y_ticks),
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
        .x_label_formatter(&column_label)
        .y_label_formatter(&|v: &f64| tick_label(*v, y_step))
        .draw()?;

    if rotated {
        // Read bottom to top, ending just under the axis.
        let style = text_style(theme, LABEL_PX)
            .transform(FontTransform::Rotate270)
            .pos(Pos::new(HPos::Right, VPos::Center));
        let (base_x, base_y) = body.get_base_pixel();
        for x in &x_keys {
            let Some(text) = texts.get(*x as usize) else {
                continue;
            };
            let (px, py) = chart.backend_coord(&(*x, y_lo));
            body.draw_text(text, &style, (px - base_x, py - base_y + 8))?;
        }
    }
    chart.draw_series(DashedLineSeries::new(
        [(x_range.start, 0.0), (x_range.end, 0.0)],
        6,
        4,
        theme.axis.stroke_width(2),
    ))?;
    for s in segments {
        let color = theme.cluster_color(s.segment as usize);
        let points = (0..columns).map(|c| value(s, c).map(|v| (c as f64, v)));
        for run in runs(points.clone()) {
            chart.draw_series(LineSeries::new(run, color.stroke_width(2)))?;
        }
        chart.draw_series(points.flatten().map(|p| Circle::new(p, 3, color.filled())))?;
    }

    let mut plot = plot_layout(&chart);
    plot.point_x_px = drawn
        .iter()
        .enumerate()
        .map(|(c, drawn)| {
            if *drawn {
                f64::from(chart.backend_coord(&(c as f64, 0.0)).0)
            } else {
                f64::NAN
            }
        })
        .collect();
    Ok(ClusterLayout {
        plot,
        point_y_px: Vec::new(),
        hover: HoverAxis::X,
    })
}

/// A column label in at most about `max_px`: as is when it fits, else without its
/// `category_share:` / `attr:` prefix, then cut with "…".
fn short_label(label: &str, max_px: f64) -> String {
    if text_width_px(label, LABEL_PX) <= max_px {
        return label.to_string();
    }
    let tail = label
        .split_once(':')
        .map_or(label, |(_, tail)| tail.trim_start());
    ellipsize(tail, max_px, LABEL_PX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_labels_drop_the_prefix_before_cutting() {
        assert_eq!(short_label("recency_days", 110.0), "recency_days");
        assert_eq!(short_label("category_share:Garden", 110.0), "Garden");
        let cut = short_label("attr:favourite_store_location=Shanghai Pudong", 96.0);
        assert!(cut.starts_with("favourite") && cut.ends_with('…'), "{cut}");
    }
}
