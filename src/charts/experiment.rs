//! The campaign page's charts: the "lift by segment" forest plot (one row per [`SegmentUplift`],
//! a segment against control for one variant: a point at its lift and a whisker over its
//! interval, around a vertical line at zero), the response model's lift and cumulative gain by
//! decile, and the uplift model's Qini curve. The page draws through [`draw_forest_chart`],
//! [`draw_gain_chart`] and [`draw_qini_chart`] on a canvas; native tests and the CLI can do the
//! same on SVG. [`forest_readout`], [`gain_readout`] and [`qini_readout`] turn a hover position
//! into the readout line, so the component only forwards the mouse.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::cluster::ellipsize;
use super::cluster::legend::{header, Mark};
use super::theme::toward_background;
use super::util::{
    begin, builder, finite_or, nice_ticks, plot_layout, text_style, text_width_px, ticked,
    AXIS_TITLE_PX, LABEL_PX,
};
use super::{ChartLabels, ChartResult, ChartTheme, ClusterLayout, HoverAxis};
use crate::engine::experiment::response::Decile;
use crate::engine::experiment::uplift::CurvePoint;
use crate::engine::experiment::{SegmentLabel, SegmentUplift, UpliftReport};
use crate::format::{compact_small, grouped, percent, plain};
use crate::i18n::{degenerate_text, fill, t, Lang, Text};

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

/// A segment's display name (the catalog's).
fn label_name(lang: Lang, label: &SegmentLabel) -> String {
    crate::i18n::campaign_segment_name(lang, label)
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

/// The deciles the gain chart draws: 1 (highest scores) to this.
const DECILES: u8 = 10;
/// Space on each side of a decile's bar, in percent of the customers.
const BAR_GAP: f64 = 1.2;
/// Share of the gain chart's height (below the legend) given to the lift panel; the cumulative
/// gain panel takes the rest.
const LIFT_PANEL_SHARE: f64 = 0.5;
/// Radius of a cumulative gain point, pixels.
const GAIN_POINT_PX: i32 = 3;
/// Width of the y label areas, pixels (the same in both panels, so their x axes line up).
const Y_AREA_PX: u32 = 60;
/// The uplift curve is drawn beside the Qini curve only when its largest |value| is at most this
/// many times the Qini curve's (else it would flatten the Qini curve).
const UPLIFT_SCALE_MAX: f64 = 3.0;

/// Where decile `d` sits on the gain chart's x axis, in percent of the customers by score:
/// `(d − 1) · 10 … d · 10`; `None` for a decile outside 1..=10.
fn decile_span(d: &Decile) -> Option<(f64, f64)> {
    (1..=DECILES).contains(&d.decile).then(|| {
        let k = f64::from(d.decile);
        ((k - 1.0) * 10.0, k * 10.0)
    })
}

/// Whether the gain chart draws anything for `d`: a decile in 1..=10 with a finite lift or
/// cumulative gain.
fn gain_drawn(d: &Decile) -> bool {
    decile_span(d).is_some() && (d.lift.is_finite() || d.cumulative_gain.is_finite())
}

/// A percentage of the x axis: "30%".
fn axis_percent(v: f64) -> String {
    format!("{v:.0}%")
}

/// Draws the response model's held-out `deciles` in `lang`; the title ([`t::CAMP_GAIN`]) is left
/// to the caller unless `with_title`.
///
/// Two panels over one x axis, the customers by score, highest first (0–100 %, decile `d` from
/// `(d − 1) · 10 %` to `d · 10 %`): above, a bar per decile at its [`Decile::lift`] (y axis
/// [`t::CAMP_GAIN_AXIS_LIFT`]) with a dashed line at 1 (random targeting); below, the cumulative
/// gain (the share of all responders captured by deciles 1 to `d`, 0–100 %) as a line from
/// (0, 0) through a point at the end of each decile, with the dashed diagonal of random
/// targeting. A legend names the bars, the gain line and the random line. Deciles outside 1..=10
/// are left out; a non-finite lift draws no bar and a non-finite gain no point.
///
/// Draws the "no data" text when no decile has anything to draw. Returns the hover layout (see
/// [`ClusterLayout`]; [`gain_readout`] reads it): one target per element of `deciles` at its
/// bar's centre (NaN when not drawn), found by x ([`HoverAxis::X`]) anywhere over both panels.
pub fn draw_gain_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    deciles: &[Decile],
    lang: Lang,
    theme: &ChartTheme,
    with_title: bool,
) -> ChartResult<ClusterLayout> {
    let l = |text: Text| text.get(lang).to_string();
    let title = if with_title {
        l(t::CAMP_GAIN)
    } else {
        String::new()
    };
    let labels = ChartLabels::new(title)
        .no_data(l(t::NO_DATA))
        .x_axis(l(t::CAMP_GAIN_AXIS_X));
    if begin(area, &labels, theme, !deciles.iter().any(gain_drawn))? {
        return Ok(ClusterLayout::default());
    }
    let (bar_color, gain_color) = (theme.accent, theme.accent2);
    let legend = vec![
        (l(t::CAMP_GAIN_BARS), Mark::Bar(bar_color)),
        (l(t::CAMP_GAIN_CUMULATIVE), Mark::Line(gain_color)),
        (l(t::CAMP_CURVE_RANDOM), Mark::Dashed(theme.axis)),
    ];
    let body = header(area, &labels.title, &legend, &[], theme)?;
    let (_, body_h) = body.dim_in_pixel();
    let (top, bottom) = body.split_vertically((f64::from(body_h) * LIFT_PANEL_SHARE) as u32);
    let x_ticks: Vec<f64> = (0..=DECILES).map(|k| f64::from(k) * 10.0).collect();

    // Above: each decile's lift, from zero (or the lowest lift) to past 1 and the highest.
    let lifts: Vec<f64> = deciles
        .iter()
        .filter(|d| decile_span(d).is_some() && d.lift.is_finite())
        .map(|d| d.lift)
        .collect();
    let low = lifts.iter().copied().fold(0.0, f64::min);
    let high = lifts.iter().copied().fold(1.0, f64::max);
    let (low, high) = (finite_or(low * 1.08, low), finite_or(high * 1.08, high));
    let mut lift_chart = builder(&top)
        .x_label_area_size(4)
        .y_label_area_size(Y_AREA_PX)
        .build_cartesian_2d(
            ticked(0.0..100.0, x_ticks.clone()),
            ticked(low..high, nice_ticks(low, high, 4)),
        )?;
    lift_chart
        .configure_mesh()
        .max_light_lines(0)
        .bold_line_style(theme.grid)
        .axis_style(theme.axis)
        .label_style(text_style(theme, LABEL_PX))
        .axis_desc_style(text_style(theme, AXIS_TITLE_PX))
        .y_desc(l(t::CAMP_GAIN_AXIS_LIFT))
        // The shares are written under the panel below.
        .x_label_formatter(&|_: &f64| String::new())
        .y_label_formatter(&|v: &f64| compact_small(*v))
        .draw()?;
    lift_chart.draw_series(deciles.iter().filter_map(|d| {
        let (a, b) = decile_span(d)?;
        d.lift.is_finite().then(|| {
            Rectangle::new(
                [(a + BAR_GAP, 0.0f64.max(low)), (b - BAR_GAP, d.lift)],
                bar_color.filled(),
            )
        })
    }))?;
    // Lift 1: as good as random targeting.
    lift_chart.draw_series(DashedLineSeries::new(
        vec![(0.0, 1.0), (100.0, 1.0)],
        6,
        4,
        theme.axis.stroke_width(1),
    ))?;

    // Below: the cumulative gain against the diagonal.
    let mut gain_chart = builder(&bottom)
        .x_label_area_size(46)
        .y_label_area_size(Y_AREA_PX)
        .build_cartesian_2d(
            ticked(0.0..100.0, x_ticks),
            ticked(-2.0..104.0, vec![0.0, 25.0, 50.0, 75.0, 100.0]),
        )?;
    gain_chart
        .configure_mesh()
        .max_light_lines(0)
        .bold_line_style(theme.grid)
        .axis_style(theme.axis)
        .label_style(text_style(theme, LABEL_PX))
        .axis_desc_style(text_style(theme, AXIS_TITLE_PX))
        .x_desc(labels.x_axis.as_str())
        .y_desc(l(t::CAMP_GAIN_AXIS_GAIN))
        .x_label_formatter(&|v: &f64| axis_percent(*v))
        .y_label_formatter(&|v: &f64| format!("{v:.0}"))
        .draw()?;
    gain_chart.draw_series(DashedLineSeries::new(
        vec![(0.0, 0.0), (100.0, 100.0)],
        6,
        4,
        theme.axis.stroke_width(1),
    ))?;
    let mut points: Vec<(u8, f64, f64)> = deciles
        .iter()
        .filter(|d| d.cumulative_gain.is_finite())
        .filter_map(|d| {
            let (_, b) = decile_span(d)?;
            Some((d.decile, b, d.cumulative_gain.clamp(0.0, 1.0) * 100.0))
        })
        .collect();
    points.sort_by_key(|p| p.0);
    let line: Vec<(f64, f64)> = std::iter::once((0.0, 0.0))
        .chain(points.iter().map(|p| (p.1, p.2)))
        .collect();
    gain_chart.draw_series(LineSeries::new(line, gain_color.stroke_width(2)))?;
    gain_chart.draw_series(
        points
            .iter()
            .map(|p| Circle::new((p.1, p.2), GAIN_POINT_PX, gain_color.filled())),
    )?;

    // One target per decile, at its bar's centre; the hover spans both panels.
    let top_px = plot_layout(&lift_chart).plot_top_px;
    let mut plot = plot_layout(&gain_chart);
    plot.plot_top_px = top_px;
    plot.point_x_px = deciles
        .iter()
        .map(|d| match decile_span(d) {
            Some((a, b)) if gain_drawn(d) => {
                f64::from(gain_chart.backend_coord(&((a + b) / 2.0, 0.0)).0)
            }
            _ => f64::NAN,
        })
        .collect();
    Ok(ClusterLayout {
        plot,
        point_y_px: Vec::new(),
        hover: HoverAxis::X,
    })
}

/// The hover readout at (`x_px`, `y_px`) on a chart of `deciles` drawn with `layout`, in `lang`:
/// the decile under the mouse as "Decile 3 (20%–30% of customers by score): response rate 8.0%,
/// lift 1.60, cumulative gain 62.0%" ([`t::CAMP_GAIN_HOVER`]). `None` off the plot, when nothing
/// was drawn, or when `layout` was drawn from other deciles.
pub fn gain_readout(
    deciles: &[Decile],
    layout: &ClusterLayout,
    (x_px, y_px): (f64, f64),
    lang: Lang,
) -> Option<String> {
    if layout.plot.point_x_px.len() != deciles.len() {
        return None;
    }
    let d = deciles.get(layout.nearest(x_px, y_px)?)?;
    let (a, b) = decile_span(d)?;
    Some(fill(
        lang,
        t::CAMP_GAIN_HOVER,
        &[
            &d.decile.to_string(),
            &axis_percent(a),
            &axis_percent(b),
            &percent(d.response_rate),
            &grouped(d.lift, 2, ','),
            &percent(d.cumulative_gain),
        ],
    ))
}

/// The curves of an uplift report as the Qini chart draws them.
struct QiniCurves {
    /// The Qini curve's finite points, by share.
    qini: Vec<CurvePoint>,
    /// The uplift curve's finite points, by share; empty when it would not fit the Qini curve's
    /// scale (see [`UPLIFT_SCALE_MAX`]) or there is no Qini curve.
    uplift: Vec<CurvePoint>,
}

/// The finite points of a curve (share clamped to 0..=1), by share, then customers targeted.
fn finite_points(points: &[CurvePoint]) -> Vec<CurvePoint> {
    let mut out: Vec<CurvePoint> = points
        .iter()
        .filter(|p| p.share.is_finite() && p.value.is_finite())
        .map(|p| CurvePoint {
            share: p.share.clamp(0.0, 1.0),
            ..*p
        })
        .collect();
    out.sort_by(|a, b| {
        a.share
            .total_cmp(&b.share)
            .then(a.targeted.cmp(&b.targeted))
    });
    out
}

/// The largest |value| of `points` (0 without points).
fn max_abs(points: &[CurvePoint]) -> f64 {
    points.iter().map(|p| p.value.abs()).fold(0.0, f64::max)
}

/// The curves of `report` the Qini chart draws.
fn qini_curves(report: &UpliftReport) -> QiniCurves {
    let qini = finite_points(&report.qini);
    let uplift = finite_points(&report.uplift);
    let q = max_abs(&qini);
    let fits = !qini.is_empty() && (q == 0.0 || max_abs(&uplift) <= q * UPLIFT_SCALE_MAX);
    QiniCurves {
        qini,
        uplift: if fits { uplift } else { Vec::new() },
    }
}

/// The random line's value at `share`: the straight line from (0, 0) to the Qini curve's last
/// point; `None` without points or when the last point is at share 0.
fn random_at(qini: &[CurvePoint], share: f64) -> Option<f64> {
    let last = qini.last()?;
    (last.share > 0.0).then(|| last.value * share / last.share)
}

/// Draws the uplift model's held-out Qini curve of `report` in `lang`; the title
/// ([`t::CAMP_QINI`]) is left to the caller unless `with_title`.
///
/// x = the share of customers targeted, highest predicted uplift first (0–100 %), y = the
/// incremental responders among them ([`UpliftReport::qini`]). The Qini curve is drawn in
/// `theme.accent`, with the dashed random line from (0, 0) to its last point; the uplift curve
/// ([`UpliftReport::uplift`], the same unit) in `theme.accent2` beneath it when its largest
/// |value| is at most [`UPLIFT_SCALE_MAX`] times the Qini curve's (else it is left out, legend
/// included). The legend names the curves; a line under it gives the Qini coefficient when there
/// is one ("Qini coefficient 0.123"). A solid line marks zero when the curves go below it.
/// Non-finite points are skipped; shares are clamped to 0..=1.
///
/// Draws the "no data" text when `report` is `None` or its Qini curve has no finite point.
/// Returns the hover layout (see [`ClusterLayout`]; [`qini_readout`] reads it): one target per
/// finite Qini point, by share, found by x ([`HoverAxis::X`]).
pub fn draw_qini_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: Option<&UpliftReport>,
    lang: Lang,
    theme: &ChartTheme,
    with_title: bool,
) -> ChartResult<ClusterLayout> {
    let l = |text: Text| text.get(lang).to_string();
    let title = if with_title {
        l(t::CAMP_QINI)
    } else {
        String::new()
    };
    let labels = ChartLabels::new(title)
        .no_data(l(t::NO_DATA))
        .x_axis(l(t::CAMP_QINI_AXIS_X))
        .y_axis(l(t::CAMP_QINI_AXIS_Y));
    let drawn = report.map(|r| (r, qini_curves(r)));
    let Some((report, curves)) = drawn.filter(|(_, c)| !c.qini.is_empty()) else {
        begin(area, &labels, theme, true)?;
        return Ok(ClusterLayout::default());
    };
    begin(area, &labels, theme, false)?;
    let (qini_color, uplift_color) = (theme.accent, theme.accent2);
    // The coefficient on its own line under the legend (a legend name that long would be cut).
    let coefficient = report
        .qini_coefficient
        .filter(|c| c.is_finite())
        .map(|c| fill(lang, t::CAMP_QINI_COEFFICIENT, &[&plain(c, 3)]))
        .unwrap_or_default();
    let mut legend = vec![(l(t::CAMP_QINI_CURVE), Mark::Line(qini_color))];
    if !curves.uplift.is_empty() {
        legend.push((l(t::CAMP_UPLIFT_CURVE), Mark::Line(uplift_color)));
    }
    legend.push((l(t::CAMP_CURVE_RANDOM), Mark::Dashed(theme.axis)));
    let body = header(area, &labels.title, &legend, &[&coefficient], theme)?;

    // y: every value and zero, padded.
    let (lo, hi) = curves
        .qini
        .iter()
        .chain(&curves.uplift)
        .fold((0.0f64, 0.0f64), |(lo, hi), p| {
            (lo.min(p.value), hi.max(p.value))
        });
    let span = hi - lo;
    let (lo, hi) = if span > 0.0 && span.is_finite() {
        (lo - span * 0.06, hi + span * 0.06)
    } else if span > 0.0 {
        (lo, hi)
    } else {
        (lo - 1.0, hi + 1.0)
    };
    let mut chart = builder(&body)
        .x_label_area_size(46)
        .y_label_area_size(Y_AREA_PX)
        .build_cartesian_2d(
            ticked(-2.0..102.0, nice_ticks(0.0, 100.0, 5)),
            ticked(lo..hi, nice_ticks(lo, hi, 6)),
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
        .x_label_formatter(&|v: &f64| axis_percent(*v))
        .y_label_formatter(&|v: &f64| compact_small(*v))
        .draw()?;
    if lo < 0.0 {
        chart.draw_series(LineSeries::new(
            vec![(0.0, 0.0), (100.0, 0.0)],
            theme.axis.stroke_width(1),
        ))?;
    }
    let xy = |p: &CurvePoint| (p.share * 100.0, p.value);
    if let Some(last) = curves.qini.last().filter(|p| p.share > 0.0) {
        chart.draw_series(DashedLineSeries::new(
            vec![(0.0, 0.0), xy(last)],
            6,
            4,
            theme.axis.stroke_width(1),
        ))?;
    }
    if !curves.uplift.is_empty() {
        chart.draw_series(LineSeries::new(
            curves.uplift.iter().map(xy),
            uplift_color.stroke_width(2),
        ))?;
    }
    chart.draw_series(LineSeries::new(
        curves.qini.iter().map(xy),
        qini_color.stroke_width(2),
    ))?;

    let mut plot = plot_layout(&chart);
    plot.point_x_px = curves
        .qini
        .iter()
        .map(|p| f64::from(chart.backend_coord(&xy(p)).0))
        .collect();
    Ok(ClusterLayout {
        plot,
        point_y_px: Vec::new(),
        hover: HoverAxis::X,
    })
}

/// The hover readout at (`x_px`, `y_px`) on a chart of `report` drawn with `layout`, in `lang`:
/// the Qini point nearest the mouse by x as "Top 30.0% (300 customers): 42.5 incremental
/// responders (random targeting 20.0)" ([`t::CAMP_QINI_HOVER`]), followed by the uplift curve's
/// value at the same number of customers when the chart draws it
/// ([`t::CAMP_QINI_HOVER_UPLIFT`]). `None` off the plot, when nothing was drawn, or when `layout`
/// was drawn from another report.
pub fn qini_readout(
    report: Option<&UpliftReport>,
    layout: &ClusterLayout,
    (x_px, y_px): (f64, f64),
    lang: Lang,
) -> Option<String> {
    let curves = qini_curves(report?);
    if layout.plot.point_x_px.len() != curves.qini.len() {
        return None;
    }
    let p = curves.qini.get(layout.nearest(x_px, y_px)?)?;
    let random = random_at(&curves.qini, p.share).unwrap_or(f64::NAN);
    let text = fill(
        lang,
        t::CAMP_QINI_HOVER,
        &[
            &percent(p.share),
            &count_text(p.targeted),
            &grouped(p.value, 1, ','),
            &grouped(random, 1, ','),
        ],
    );
    Some(
        match curves.uplift.iter().find(|u| u.targeted == p.targeted) {
            Some(u) => fill(
                lang,
                t::CAMP_QINI_HOVER_UPLIFT,
                &[&text, &grouped(u.value, 1, ',')],
            ),
            None => text,
        },
    )
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

    fn point(targeted: u64, share: f64, value: f64) -> CurvePoint {
        CurvePoint {
            targeted,
            share,
            value,
        }
    }

    #[test]
    fn curves_keep_finite_points_by_share_and_the_uplift_curve_only_when_it_fits() {
        let report = |uplift: Vec<CurvePoint>| UpliftReport {
            metric: "converted".into(),
            test_customers: 100,
            qini_coefficient: None,
            uplift_auc: None,
            qini: vec![
                point(50, 0.5, 10.0),
                point(0, 0.0, 0.0),
                point(70, f64::NAN, 1.0),
                point(100, 1.2, 8.0),
            ],
            uplift,
            top_shares: Vec::new(),
        };
        let c = qini_curves(&report(vec![point(50, 0.5, 25.0)]));
        let shares: Vec<f64> = c.qini.iter().map(|p| p.share).collect();
        assert_eq!(shares, vec![0.0, 0.5, 1.0]);
        assert_eq!(c.uplift.len(), 1);
        assert!(qini_curves(&report(vec![point(50, 0.5, 31.0)]))
            .uplift
            .is_empty());
        assert_eq!(random_at(&c.qini, 0.5), Some(4.0));
        assert_eq!(random_at(&[], 0.5), None);
        assert_eq!(random_at(&[point(0, 0.0, 0.0)], 0.0), None);
    }

    #[test]
    fn deciles_sit_in_tenths_of_the_customers() {
        let d = |decile: u8| Decile {
            decile,
            customers: 10,
            responders: 1,
            response_rate: 0.1,
            lift: 1.0,
            cumulative_responders: 1,
            cumulative_gain: 0.1,
            cumulative_lift: 1.0,
            min_score: 0.0,
            max_score: 1.0,
        };
        assert_eq!(decile_span(&d(1)), Some((0.0, 10.0)));
        assert_eq!(decile_span(&d(10)), Some((90.0, 100.0)));
        assert_eq!(decile_span(&d(0)), None);
        assert_eq!(decile_span(&d(11)), None);
    }
}
