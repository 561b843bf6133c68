//! Helpers shared by the charts: text styles, the "no data" card, layout capture, tick choice.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ChartLabels, ChartResult, ChartTheme, PlotLayout};

/// Caption size, pixels.
pub(crate) const TITLE_PX: f64 = 18.0;
/// Tick label size, pixels.
pub(crate) const LABEL_PX: f64 = 12.0;
/// Axis title size, pixels.
pub(crate) const AXIS_TITLE_PX: f64 = 13.0;

/// Text in the theme's font, colour and this size.
pub(crate) fn text_style(theme: &ChartTheme, size_px: f64) -> TextStyle<'static> {
    (theme.font_family, size_px).into_font().color(&theme.text)
}

/// Text anchored at its centre.
pub(crate) fn centered(style: TextStyle<'static>) -> TextStyle<'static> {
    style.pos(Pos::new(HPos::Center, VPos::Center))
}

/// Fills the background; draws the title and the "no data" message when `empty`.
/// Returns `true` when the chart had nothing to plot (the caller then stops).
pub(crate) fn begin<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: &ChartLabels,
    theme: &ChartTheme,
    empty: bool,
) -> ChartResult<bool> {
    area.fill(&theme.background)?;
    if !empty {
        return Ok(false);
    }
    let (w, h) = area.dim_in_pixel();
    let (w, h) = (
        i32::try_from(w).unwrap_or(i32::MAX),
        i32::try_from(h).unwrap_or(i32::MAX),
    );
    if !labels.title.is_empty() {
        let style = text_style(theme, TITLE_PX).pos(Pos::new(HPos::Center, VPos::Top));
        area.draw_text(&labels.title, &style, (w / 2, 8))?;
    }
    if !labels.no_data.is_empty() {
        area.draw_text(
            &labels.no_data,
            &centered(text_style(theme, 14.0)),
            (w / 2, h / 2),
        )?;
    }
    Ok(true)
}

/// How a legend entry shows its series.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Swatch {
    /// A filled square (bars).
    Bar(RGBColor),
    /// A solid line (line series).
    Line(RGBColor),
    /// A dashed line (reference lines).
    Dashed(RGBColor),
}

/// Draws the title and a one-row legend (entries with an empty name are left out) across the top
/// of `area`, and returns the area below them for the plot. Doing this outside the plot keeps
/// the legend from ever covering data.
pub(crate) fn header<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    labels: &ChartLabels,
    theme: &ChartTheme,
    legend: &[(&str, Swatch)],
) -> ChartResult<DrawingArea<DB, Shift>> {
    let legend: Vec<(&str, Swatch)> = legend
        .iter()
        .copied()
        .filter(|(name, _)| !name.is_empty())
        .collect();
    let title_h: u32 = if labels.title.is_empty() { 0 } else { 30 };
    let legend_h: u32 = if legend.is_empty() { 0 } else { 22 };
    if title_h + legend_h == 0 {
        return Ok(area.clone());
    }
    let (head, body) = area.split_vertically(title_h + legend_h + 2);
    let (w, _) = head.dim_in_pixel();
    let w = i32::try_from(w).unwrap_or(i32::MAX);
    if title_h > 0 {
        let style = text_style(theme, TITLE_PX).pos(Pos::new(HPos::Center, VPos::Top));
        head.draw_text(&labels.title, &style, (w / 2, 8))?;
    }
    if legend.is_empty() {
        return Ok(body);
    }
    const SWATCH: i32 = 14;
    const GAP: i32 = 6;
    const SPACING: i32 = 18;
    let style = text_style(theme, LABEL_PX).pos(Pos::new(HPos::Left, VPos::Center));
    let mut widths = Vec::with_capacity(legend.len());
    for (name, _) in &legend {
        let (tw, _) = head.estimate_text_size(name, &style)?;
        widths.push(i32::try_from(tw).unwrap_or(0));
    }
    let total: i32 = widths.iter().map(|tw| SWATCH + GAP + tw).sum::<i32>()
        + SPACING * (widths.len() as i32 - 1);
    let mut x = ((w - total) / 2).max(0);
    let y = i32::try_from(title_h + legend_h / 2).unwrap_or(0);
    for ((name, swatch), tw) in legend.iter().zip(widths) {
        match *swatch {
            Swatch::Bar(c) => head.draw(&Rectangle::new(
                [(x, y - 5), (x + SWATCH, y + 5)],
                c.filled(),
            ))?,
            Swatch::Line(c) => {
                head.draw(&PathElement::new(
                    vec![(x, y), (x + SWATCH, y)],
                    c.stroke_width(2),
                ))?;
            }
            Swatch::Dashed(c) => {
                for dx in [0, 6, 12] {
                    let seg = vec![(x + dx, y), (x + (dx + 3).min(SWATCH), y)];
                    head.draw(&PathElement::new(seg, c.stroke_width(1)))?;
                }
            }
        }
        head.draw_text(name, &style, (x + SWATCH + GAP, y))?;
        x += SWATCH + GAP + tw + SPACING;
    }
    Ok(body)
}

/// A chart builder on the area below [`header`], with the house margins.
pub(crate) fn builder<'a, 'b, DB: DrawingBackend>(
    body: &'a DrawingArea<DB, Shift>,
) -> ChartBuilder<'a, 'b, DB> {
    let mut b = ChartBuilder::on(body);
    // The right margin leaves room for the last x tick label ("100.0%") to be centred on it.
    b.margin(12).margin_top(8).margin_right(24);
    b
}

/// The plot rectangle of a chart, with no points yet.
pub(crate) fn plot_layout<DB: DrawingBackend, X: Ranged, Y: Ranged>(
    chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
) -> PlotLayout {
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    PlotLayout {
        plot_left_px: f64::from(xs.start),
        plot_right_px: f64::from(xs.end),
        plot_top_px: f64::from(ys.start),
        plot_bottom_px: f64::from(ys.end),
        point_x_px: Vec::new(),
    }
}

/// A linear f64 axis whose ticks (and mesh lines) are exactly the given values, labelled by the
/// chart's own formatter. (plotters' `with_key_points` cannot take a label formatter on f64.)
pub(crate) struct TickedAxis {
    linear: RangedCoordf64,
    ticks: Vec<f64>,
}

/// A [`TickedAxis`] over `range` with ticks at `ticks`.
pub(crate) fn ticked(range: Range<f64>, ticks: Vec<f64>) -> TickedAxis {
    TickedAxis {
        linear: range.into(),
        ticks,
    }
}

impl Ranged for TickedAxis {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.linear.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.linear.range()
    }
}

/// `value` when finite, else `fallback`.
pub(crate) fn finite_or(value: f64, fallback: f64) -> f64 {
    if value.is_finite() {
        value
    } else {
        fallback
    }
}

/// A rough width of `text` in pixels at `size_px` (CJK and other wide characters count double),
/// for sizing label areas; plotters measures the real text when drawing.
pub(crate) fn text_width_px(text: &str, size_px: f64) -> f64 {
    text.chars()
        .map(|c| if c.is_ascii() { 0.6 } else { 1.05 })
        .sum::<f64>()
        * size_px
}

/// At most about `target` round tick values (1, 2 or 5 × 10^k apart) covering `lo..=hi`.
pub(crate) fn nice_ticks(lo: f64, hi: f64, target: usize) -> Vec<f64> {
    if !lo.is_finite() || !hi.is_finite() || hi <= lo || target == 0 {
        return if lo.is_finite() { vec![lo] } else { Vec::new() };
    }
    if !(hi - lo).is_finite() {
        // Wider than f64 can measure: just the ends.
        return vec![lo, hi];
    }
    let raw = (hi - lo) / target as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let first = (lo / step).ceil();
    let mut ticks = Vec::new();
    let mut k = first;
    while k * step <= hi + step * 1e-9 && ticks.len() <= target * 3 {
        // Snap away float noise (0.30000000000000004 → 0.3).
        let v = k * step;
        ticks.push(if v.abs() < step * 1e-9 { 0.0 } else { v });
        k += 1.0;
    }
    ticks
}

/// Every `step`-th index of `0..len` so that at most `max_labels` remain (the last kept only
/// when it falls on the step).
pub(crate) fn thinned(len: usize, max_labels: usize) -> Vec<usize> {
    let step = len.div_ceil(max_labels.max(1)).max(1);
    (0..len).step_by(step).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ticks_are_round_and_cover_the_range() {
        assert_eq!(
            nice_ticks(0.0, 100.0, 5),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(nice_ticks(0.0, 1.0, 4), vec![0.0, 0.5, 1.0]);
        assert_eq!(nice_ticks(0.0, 7.0, 3), vec![0.0, 5.0]);
        assert_eq!(nice_ticks(3.0, 3.0, 5), vec![3.0]);
        assert!(nice_ticks(f64::NAN, 3.0, 5).is_empty());
        assert_eq!(nice_ticks(0.0, f64::INFINITY, 5), vec![0.0]);
        assert_eq!(
            nice_ticks(-f64::MAX, f64::MAX, 5),
            vec![-f64::MAX, f64::MAX]
        );
        let t = nice_ticks(0.0, 0.3, 3);
        assert_eq!(t.len(), 4);
        assert!(t.last().is_some_and(|v| (v - 0.3).abs() < 1e-12));
    }

    #[test]
    fn thinned_keeps_at_most_the_asked_number() {
        assert_eq!(thinned(5, 10), vec![0, 1, 2, 3, 4]);
        assert_eq!(thinned(24, 6), vec![0, 4, 8, 12, 16, 20]);
        assert_eq!(thinned(0, 6), Vec::<usize>::new());
        assert_eq!(thinned(3, 0), vec![0]);
    }

    #[test]
    fn text_width_counts_wide_characters_double() {
        assert!(text_width_px("营收", 10.0) > text_width_px("ab", 10.0) * 1.5);
        assert_eq!(text_width_px("", 12.0), 0.0);
    }
}
