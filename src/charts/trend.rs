//! Monthly revenue bars with the orders line on a secondary axis.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::util::{
    begin, builder, finite_or, header, nice_ticks, plot_layout, text_style, thinned, ticked,
    Swatch, AXIS_TITLE_PX, LABEL_PX,
};
use super::{ChartLabels, ChartResult, ChartTheme, PlotLayout};
use crate::engine::rfm::MonthPoint;
use crate::format::compact;

/// Pixels one `YYYY-MM` tick label needs, gap included.
const MONTH_LABEL_PX: u32 = 64;

/// Draws monthly revenue as bars (left axis) and orders as a line with markers (right axis);
/// the x axis shows `YYYY-MM`, thinned to fit the width.
///
/// Labels: `title`, `x_axis`, `y_axis` (revenue), `secondary_y_axis` (orders), `series[0]`
/// (revenue) and `series[1]` (orders) for the legend, `no_data`. A non-finite revenue draws no
/// bar. Returns the plot area and each month's bar centre for [`super::nearest_point`] (index =
/// position in `months`); an empty layout when `months` is empty.
pub fn draw_monthly_trend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    months: &[MonthPoint],
    labels: &ChartLabels,
    theme: &ChartTheme,
) -> ChartResult<PlotLayout> {
    if begin(area, labels, theme, months.is_empty())? {
        return Ok(PlotLayout::default());
    }
    let n = months.len();
    let revenues: Vec<f64> = months.iter().map(|m| finite_or(m.revenue, 0.0)).collect();
    let orders: Vec<f64> = months.iter().map(|m| m.orders as f64).collect();

    let (rev_lo, rev_hi) = padded_range(&revenues);
    let (_, orders_hi) = padded_range(&orders);
    let orders_max = orders.iter().copied().fold(0.0, f64::max);
    // Orders are whole numbers: no 0.5-order ticks.
    let orders_ticks: Vec<f64> = nice_ticks(0.0, orders_max.max(1.0), 5)
        .into_iter()
        .filter(|v| v.fract() == 0.0)
        .collect();

    let (width, _) = area.dim_in_pixel();
    let max_labels = (width.saturating_sub(140) / MONTH_LABEL_PX).max(1) as usize;
    let keys: Vec<f64> = month_ticks(months, max_labels)
        .into_iter()
        .map(|i| i as f64)
        .collect();
    let x_range = -0.5..(n as f64 - 0.5);
    let month_label = |x: &f64| -> String {
        let i = x.round();
        if i < 0.0 {
            return String::new();
        }
        months
            .get(i as usize)
            .map(|m| format!("{:04}-{:02}", m.year, m.month))
            .unwrap_or_default()
    };

    let body = header(
        area,
        labels,
        theme,
        &[
            (labels.series_name(0), Swatch::Bar(theme.accent)),
            (labels.series_name(1), Swatch::Line(theme.accent2)),
        ],
    )?;
    let mut chart = builder(&body)
        .x_label_area_size(if labels.x_axis.is_empty() { 28 } else { 46 })
        .y_label_area_size(if labels.y_axis.is_empty() { 52 } else { 70 })
        .right_y_label_area_size(if labels.secondary_y_axis.is_empty() {
            44
        } else {
            62
        })
        .build_cartesian_2d(
            ticked(x_range.clone(), keys.clone()),
            ticked(rev_lo..rev_hi, nice_ticks(rev_lo, rev_hi, 6)),
        )?
        .set_secondary_coord(ticked(x_range, keys), ticked(0.0..orders_hi, orders_ticks));

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
        .x_label_formatter(&month_label)
        .y_label_formatter(&|v: &f64| compact(*v))
        .draw()?;
    chart
        .configure_secondary_axes()
        .axis_style(theme.axis)
        .label_style(text_style(theme, LABEL_PX))
        .axis_desc_style(text_style(theme, AXIS_TITLE_PX))
        .y_desc(labels.secondary_y_axis.as_str())
        .y_label_formatter(&|v: &f64| compact(*v))
        .draw()?;

    let bar_style = theme.accent.filled();
    let bars = months
        .iter()
        .enumerate()
        .filter(|(_, m)| m.revenue.is_finite())
        .map(|(i, m)| {
            let x = i as f64;
            Rectangle::new([(x - 0.35, 0.0), (x + 0.35, m.revenue)], bar_style)
        });
    chart.draw_series(bars)?;

    let line_style = theme.accent2.stroke_width(2);
    let points: Vec<(f64, f64)> = orders
        .iter()
        .enumerate()
        .map(|(i, o)| (i as f64, *o))
        .collect();
    chart.draw_secondary_series(LineSeries::new(points.iter().copied(), line_style))?;
    chart.draw_secondary_series(
        points
            .iter()
            .map(|p| Circle::new(*p, 3, theme.accent2.filled())),
    )?;

    let mut layout = plot_layout(&chart);
    layout.point_x_px = (0..n)
        .map(|i| f64::from(chart.backend_coord(&(i as f64, 0.0)).0))
        .collect();
    Ok(layout)
}

/// Indices of the months to label: every month when they fit, else every 2, 3, 4, 6 or 12
/// months (or whole multiples of a year), aligned to the calendar (quarters start in January).
fn month_ticks(months: &[MonthPoint], max_labels: usize) -> Vec<usize> {
    let n = months.len();
    let needed = n.div_ceil(max_labels.max(1)).max(1);
    let step = [1, 2, 3, 4, 6, 12, 24, 36, 60, 120]
        .into_iter()
        .find(|s| *s >= needed)
        .unwrap_or_else(|| needed.next_multiple_of(12));
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    let aligned: Vec<usize> = months
        .iter()
        .enumerate()
        .filter(|(_, m)| {
            let k = i64::from(m.year) * 12 + i64::from(m.month) - 1;
            k.rem_euclid(step) == 0
        })
        .map(|(i, _)| i)
        .collect();
    if aligned.is_empty() || aligned.len() > max_labels.max(1) {
        thinned(n, max_labels)
    } else {
        aligned
    }
}

/// `(low, high)` for an axis over `values`: includes 0, 8% headroom above, never empty.
pub(crate) fn padded_range(values: &[f64]) -> (f64, f64) {
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let lo = finite.clone().fold(0.0_f64, f64::min);
    let hi = finite.fold(0.0_f64, f64::max);
    if hi - lo <= f64::EPSILON {
        return (lo, lo + 1.0);
    }
    // Infinite when the values span more than f64 can hold: then no headroom.
    let pad = finite_or((hi - lo) * 0.08, 0.0);
    let lo = if lo < 0.0 {
        finite_or(lo - pad, lo)
    } else {
        lo
    };
    let hi = if hi > 0.0 {
        finite_or(hi + pad, hi)
    } else {
        hi
    };
    (lo, hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_ticks_align_to_the_calendar() {
        let months: Vec<MonthPoint> = (0..48)
            .map(|i| MonthPoint {
                year: 2021 + i / 12,
                month: (i % 12) as u32 + 1,
                revenue: 1.0,
                orders: 1,
                customers: 1,
            })
            .collect();
        assert_eq!(month_ticks(&months[..5], 10), vec![0, 1, 2, 3, 4]);
        // 48 months in at most 10 labels: every 6 months from January.
        assert_eq!(month_ticks(&months, 10), vec![0, 6, 12, 18, 24, 30, 36, 42]);
        // Starting in March: quarters fall on Apr, Jul, Oct, Jan.
        assert_eq!(month_ticks(&months[2..14], 4), vec![1, 4, 7, 10]);
        assert!(month_ticks(&[], 10).is_empty());
    }

    #[test]
    fn padded_range_includes_zero_and_is_never_empty() {
        assert_eq!(padded_range(&[]), (0.0, 1.0));
        assert_eq!(padded_range(&[0.0, 0.0]), (0.0, 1.0));
        assert_eq!(padded_range(&[f64::NAN, f64::INFINITY]), (0.0, 1.0));
        let (lo, hi) = padded_range(&[10.0, 100.0]);
        assert_eq!(lo, 0.0);
        assert!((hi - 108.0).abs() < 1e-9);
        let (lo, hi) = padded_range(&[f64::MAX, -f64::MAX]);
        assert!(lo.is_finite() && hi.is_finite() && lo < hi);
        let (lo, hi) = padded_range(&[-50.0, 50.0]);
        assert!(lo < -50.0 && hi > 50.0);
    }
}
