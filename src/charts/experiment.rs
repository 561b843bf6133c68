//! The campaign page's "lift by segment" forest plot: one row per [`SegmentUplift`] (a segment
//! against control for one variant), a point at its lift and a whisker over its interval, around
//! a vertical line at zero. The page draws through [`draw_forest_chart`] on a canvas; native
//! tests and the CLI can do the same on SVG. [`forest_readout`] turns a hover position into the
//! readout line, so the component only forwards the mouse.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::cluster::ellipsize;
use super::cluster::legend::{header, Mark};
use super::theme::toward_background;
use super::util::{
    begin, builder, nice_ticks, plot_layout, text_style, text_width_px, ticked, AXIS_TITLE_PX,
    LABEL_PX,
};
use super::{ChartLabels, ChartResult, ChartTheme, ClusterLayout, HoverAxis};
use crate::engine::experiment::{SegmentLabel, SegmentUplift};
use crate::format::{compact_small, grouped, percent, plain};
use crate::i18n::{degenerate_text, fill, segment_name, t, Lang, Text};

/// Longest row name (before the "small" mark), pixels at the label size; longer ones end with
/// "…".
const NAME_MAX_PX: f64 = 200.0;
/// The row labels take at most this share of the chart's width.
const LABEL_MAX_SHARE: f64 = 0.45;
/// Radius of a row's point, pixels.
const POINT_PX: i32 = 5;
/// How far a small segment's whisker fades towards the background.
const SMALL_FADE: f64 = 0.55;
/// Half the height of a whisker's end caps, in rows (at most [`CAP_MAX_PX`]).
const CAP_ROWS: f64 = 0.18;
/// Half the height of a whisker's end caps at most, pixels.
const CAP_MAX_PX: f64 = 5.0;
/// Space between a row label and the plot, pixels.
const LABEL_PAD_PX: i32 = 8;

/// The distinct variants of `rows`, in order of first appearance.
fn variants(rows: &[SegmentUplift]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for r in rows {
        if !out.contains(&r.variant.as_str()) {
            out.push(&r.variant);
        }
    }
    out
}

/// A segment's display name: the RFM segment's, "Segment {n}" (1-based) for a segment found in
/// the data, or "Not in the transactions".
fn label_name(lang: Lang, label: &SegmentLabel) -> String {
    match label {
        SegmentLabel::Rfm(s) => segment_name(lang, *s).to_string(),
        SegmentLabel::Cluster(n) => {
            fill(lang, t::CAMP_CLUSTER, &[&(u64::from(*n) + 1).to_string()])
        }
        SegmentLabel::NotInTransactions => t::CAMP_NOT_IN_TRANSACTIONS.get(lang).to_string(),
    }
}

/// `name` with the "small" mark when `small`: "Champions (small)".
fn with_small_mark(lang: Lang, name: String, small: bool) -> String {
    if small {
        fill(
            lang,
            t::CAMP_FOREST_SMALL_ROW,
            &[&name, t::CAMP_SMALL.get(lang)],
        )
    } else {
        name
    }
}

/// A lift as written on the axis and in the readout: a percentage when `relative` ("12.3%"),
/// else the plain difference ("0.0123"); "–" when not finite.
fn lift_text(value: f64, relative: bool) -> String {
    if relative {
        percent(value)
    } else if value.is_finite() {
        plain(value, 4)
    } else {
        "–".to_string()
    }
}

/// A customer count: "1,234".
fn count_text(count: u64) -> String {
    grouped(count as f64, 0, ',')
}

/// The finite values a row draws: its lift, and its interval unless degenerate.
fn drawn_values(row: &SegmentUplift) -> impl Iterator<Item = f64> {
    let interval = if row.degenerate.is_none() {
        [row.ci_low, row.ci_high]
    } else {
        [f64::NAN, f64::NAN]
    };
    std::iter::once(row.lift)
        .chain(interval)
        .filter(|v| v.is_finite())
}

/// Draws the lift of each of `rows` by segment in `lang`; the title ([`t::CAMP_FOREST`]) is left
/// to the caller unless `with_title`.
///
/// One row per element of `rows`, the first at the top, labelled with the segment's name (RFM
/// segments by [`segment_name`], segments found in the data "Segment {n}", 1-based), followed by
/// " · variant" when `rows` hold several variants (which then get a colour each from
/// [`ChartTheme::cluster_color`] and a legend; one variant is drawn in `theme.accent`). Each row
/// has a point at [`SegmentUplift::lift`] and a whisker with end caps from `ci_low` to
/// `ci_high`; a vertical line marks zero. The x axis ([`t::CAMP_COL_LIFT`]) reads percentages when
/// `relative`, else plain numbers. Small segments ([`SegmentUplift::small`]) have a hollow point,
/// a faded whisker, a greyed label ending with "(small)" and a legend entry; degenerate rows (no
/// test could be made) have no whisker. Non-finite values draw nothing (the row keeps its label).
///
/// Draws the "no data" text when `rows` is empty or no row has a finite value. Returns the hover
/// layout (see [`ClusterLayout`]; [`forest_readout`] reads it): one target per row, found by y
/// ([`HoverAxis::Y`]), so the readout also works over the row labels.
pub fn draw_forest_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[SegmentUplift],
    relative: bool,
    lang: Lang,
    theme: &ChartTheme,
    with_title: bool,
) -> ChartResult<ClusterLayout> {
    let l = |text: Text| text.get(lang).to_string();
    let title = if with_title {
        l(t::CAMP_FOREST)
    } else {
        String::new()
    };
    let labels = ChartLabels::new(title)
        .no_data(l(t::NO_DATA))
        .x_axis(l(t::CAMP_COL_LIFT));
    let values: Vec<f64> = rows.iter().flat_map(drawn_values).collect();
    if begin(area, &labels, theme, values.is_empty())? {
        return Ok(ClusterLayout::default());
    }
    let n = rows.len();

    let variants = variants(rows);
    let several = variants.len() > 1;
    let color_of = |row: &SegmentUplift| {
        if several {
            let i = variants.iter().position(|v| *v == row.variant).unwrap_or(0);
            theme.cluster_color(i)
        } else {
            theme.accent
        }
    };
    let mut legend: Vec<(String, Mark)> = if several {
        variants
            .iter()
            .enumerate()
            .map(|(i, v)| (v.to_string(), Mark::Dot(theme.cluster_color(i))))
            .collect()
    } else {
        Vec::new()
    };
    if rows.iter().any(|r| r.small) {
        legend.push((l(t::CAMP_SMALL), Mark::Ring(theme.axis)));
    }
    let body = header(area, &labels.title, &legend, &[], theme)?;

    // Names shrink to fit their rows (12 px down to 9 px).
    let x_area: u32 = 46;
    let (body_w, body_h) = body.dim_in_pixel();
    let row_px = f64::from(body_h.saturating_sub(x_area + 20)) / n as f64;
    let name_px = (row_px - 2.0).clamp(9.0, LABEL_PX);
    let texts: Vec<String> = rows
        .iter()
        .map(|r| {
            let name = label_name(lang, &r.segment);
            let name = if several {
                format!("{name} · {}", r.variant)
            } else {
                name
            };
            with_small_mark(lang, ellipsize(&name, NAME_MAX_PX, name_px), r.small)
        })
        .collect();
    let widest = texts
        .iter()
        .map(|s| text_width_px(s, name_px))
        .fold(0.0, f64::max);
    let y_area = (widest + 16.0).clamp(40.0, (f64::from(body_w) * LABEL_MAX_SHARE).max(40.0));

    // The x range: every drawn value and zero, padded.
    let (lo, hi) = values
        .iter()
        .fold((0.0f64, 0.0f64), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    let span = hi - lo;
    let (lo, hi) = if span > 0.0 && span.is_finite() {
        (lo - span * 0.06, hi + span * 0.06)
    } else if span > 0.0 {
        // Wider than f64 can measure: the ends as they are.
        (lo, hi)
    } else {
        // Only zeros: a small symmetric range.
        let half = if relative { 0.1 } else { 1.0 };
        (lo - half, hi + half)
    };

    let keys: Vec<f64> = (0..n).map(|i| i as f64 + 0.5).collect();
    let mut chart = builder(&body)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area as u32)
        .build_cartesian_2d(
            ticked(lo..hi, nice_ticks(lo, hi, 6)),
            ticked(0.0..n as f64, keys),
        )?;
    let x_format = |v: &f64| {
        if relative {
            percent(*v)
        } else {
            compact_small(*v)
        }
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .max_light_lines(0)
        .bold_line_style(theme.grid)
        .axis_style(theme.axis)
        .label_style(text_style(theme, LABEL_PX))
        .axis_desc_style(text_style(theme, AXIS_TITLE_PX))
        .x_desc(labels.x_axis.as_str())
        .x_label_formatter(&x_format)
        // The names are drawn below, right-aligned against the plot.
        .y_label_formatter(&|_: &f64| String::new())
        .draw()?;

    // Zero: no effect.
    chart.draw_series(LineSeries::new(
        vec![(0.0, 0.0), (0.0, n as f64)],
        theme.axis.stroke_width(1),
    ))?;

    let plot = plot_layout(&chart);
    let row_px = (plot.plot_bottom_px - plot.plot_top_px) / n as f64;
    let cap = if row_px > 0.0 {
        CAP_ROWS.min(CAP_MAX_PX / row_px)
    } else {
        CAP_ROWS
    };
    for (i, row) in rows.iter().enumerate() {
        let y = (n - 1 - i) as f64 + 0.5;
        let color = color_of(row);
        let whisker = if row.small {
            toward_background(theme, color, SMALL_FADE)
        } else {
            color
        };
        if row.degenerate.is_none() && row.ci_low.is_finite() && row.ci_high.is_finite() {
            let style = whisker.stroke_width(2);
            let (a, b) = (row.ci_low, row.ci_high);
            chart.draw_series([
                PathElement::new(vec![(a, y), (b, y)], style),
                PathElement::new(vec![(a, y - cap), (a, y + cap)], style),
                PathElement::new(vec![(b, y - cap), (b, y + cap)], style),
            ])?;
        }
        if row.lift.is_finite() {
            let point = (row.lift, y);
            if row.small {
                chart.draw_series([
                    Circle::new(point, POINT_PX, theme.background.filled()),
                    Circle::new(point, POINT_PX, color.stroke_width(2)),
                ])?;
            } else {
                chart.draw_series([Circle::new(point, POINT_PX, color.filled())])?;
            }
        }
    }

    // Each row's name, right-aligned against the plot's left edge.
    let mut plot = plot;
    // Backend pixels → pixels of `body`.
    let (base_x, base_y) = body.get_base_pixel();
    let name_x = plot.plot_left_px as i32 - base_x - LABEL_PAD_PX;
    let name_style = text_style(theme, name_px).pos(Pos::new(HPos::Right, VPos::Center));
    let small_style = name_style.clone().color(&theme.axis);
    let mut point_y_px = Vec::with_capacity(n);
    for (i, (row, text)) in rows.iter().zip(&texts).enumerate() {
        let (_, y) = chart.backend_coord(&(lo, (n - 1 - i) as f64 + 0.5));
        point_y_px.push(f64::from(y));
        let style = if row.small { &small_style } else { &name_style };
        body.draw_text(text, style, (name_x, y - base_y))?;
    }
    // Rows are found by y; the x of each row is the plot's left edge.
    plot.point_x_px = vec![plot.plot_left_px; n];
    Ok(ClusterLayout {
        plot,
        point_y_px,
        hover: HoverAxis::Y,
    })
}

/// The hover readout at (`x_px`, `y_px`) on a chart of `rows` drawn with `layout` (the same
/// `rows` and `relative`), in `lang`: the row under the mouse as "Champions, B: 12.3% [2.0%,
/// 22.6%], 1,200 vs 1,180 customers" ([`t::CAMP_FOREST_HOVER`]; a small segment's name ends
/// with "(small)"), followed by why no test could be made for a degenerate row. `None` above or
/// below the rows, or when nothing was drawn.
pub fn forest_readout(
    rows: &[SegmentUplift],
    relative: bool,
    layout: &ClusterLayout,
    (x_px, y_px): (f64, f64),
    lang: Lang,
) -> Option<String> {
    if layout.point_y_px.len() != rows.len() {
        // Drawn from other rows (or not at all).
        return None;
    }
    let row = rows.get(layout.nearest(x_px, y_px)?)?;
    let name = with_small_mark(lang, label_name(lang, &row.segment), row.small);
    let text = fill(
        lang,
        t::CAMP_FOREST_HOVER,
        &[
            &name,
            &row.variant,
            &lift_text(row.lift, relative),
            &lift_text(row.ci_low, relative),
            &lift_text(row.ci_high, relative),
            &count_text(row.users),
            &count_text(row.control_users),
        ],
    );
    Some(match row.degenerate {
        Some(d) => format!("{text} · {}", degenerate_text(lang, d)),
        None => text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifts_read_as_percentages_or_plain_numbers() {
        assert_eq!(lift_text(0.123, true), "12.3%");
        assert_eq!(lift_text(-0.05, true), "-5.0%");
        assert_eq!(lift_text(0.012_34, false), "0.0123");
        assert_eq!(lift_text(f64::NAN, false), "–");
        assert_eq!(lift_text(f64::INFINITY, true), "–");
    }

    #[test]
    fn segment_names_number_found_segments_from_one() {
        assert_eq!(label_name(Lang::En, &SegmentLabel::Cluster(0)), "Segment 1");
        assert_eq!(
            label_name(Lang::En, &SegmentLabel::NotInTransactions),
            t::CAMP_NOT_IN_TRANSACTIONS.en
        );
        assert_eq!(
            with_small_mark(Lang::Zh, "细分 2".into(), true),
            "细分 2（样本少）"
        );
        assert_eq!(with_small_mark(Lang::En, "A".into(), false), "A");
    }
}
