//! Monthly revenue bars with the orders line on a secondary axis.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::util::{
    begin, builder, finite_or, plot_layout, text_style, thinned, ticked, AXIS_TITLE_PX, LABEL_PX,
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

    let (width, _) = area.dim_in_pixel();
    let max_labels = (width.saturating_sub(140) / MONTH_LABEL_PX).max(1) as usize;
    let keys: Vec<f64> = thinned(n, max_labels)
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

    let mut chart = builder(area, labels, theme)
        .x_label_area_size(if labels.x_axis.is_empty() { 28 } else { 46 })
        .y_label_area_size(if labels.y_axis.is_empty() { 52 } else { 70 })
        .right_y_label_area_size(if labels.secondary_y_axis.is_empty() {
            44
        } else {
            62
        })
        .build_cartesian_2d(ticked(x_range.clone(), keys.clone()), rev_lo..rev_hi)?
        .set_secondary_coord(ticked(x_range, keys), 0.0..orders_hi);

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
    let anno = chart.draw_series(bars)?;
    if !labels.series_name(0).is_empty() {
        anno.label(labels.series_name(0))
            .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], bar_style));
    }

    let line_style = theme.accent2.stroke_width(2);
    let points: Vec<(f64, f64)> = orders
        .iter()
        .enumerate()
        .map(|(i, o)| (i as f64, *o))
        .collect();
    let anno = chart.draw_secondary_series(LineSeries::new(points.iter().copied(), line_style))?;
    if !labels.series_name(1).is_empty() {
        anno.label(labels.series_name(1))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 12, y)], line_style));
    }
    chart.draw_secondary_series(
        points
            .iter()
            .map(|p| Circle::new(*p, 3, theme.accent2.filled())),
    )?;

    if !labels.series.iter().all(String::is_empty) {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(theme.background.mix(0.85))
            .border_style(theme.grid)
            .label_font(text_style(theme, LABEL_PX))
            .draw()?;
    }

    let mut layout = plot_layout(&chart);
    layout.point_x_px = (0..n)
        .map(|i| f64::from(chart.backend_coord(&(i as f64, 0.0)).0))
        .collect();
    Ok(layout)
}

/// `(low, high)` for an axis over `values`: includes 0, 8% headroom above, never empty.
pub(crate) fn padded_range(values: &[f64]) -> (f64, f64) {
    let finite = values.iter().copied().filter(|v| v.is_finite());
    let lo = finite.clone().fold(0.0_f64, f64::min);
    let hi = finite.fold(0.0_f64, f64::max);
    if hi - lo <= f64::EPSILON {
        return (lo, lo + 1.0);
    }
    let pad = (hi - lo) * 0.08;
    (
        if lo < 0.0 { lo - pad } else { lo },
        if hi > 0.0 { hi + pad } else { hi },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_range_includes_zero_and_is_never_empty() {
        assert_eq!(padded_range(&[]), (0.0, 1.0));
        assert_eq!(padded_range(&[0.0, 0.0]), (0.0, 1.0));
        assert_eq!(padded_range(&[f64::NAN, f64::INFINITY]), (0.0, 1.0));
        let (lo, hi) = padded_range(&[10.0, 100.0]);
        assert_eq!(lo, 0.0);
        assert!((hi - 108.0).abs() < 1e-9);
        let (lo, hi) = padded_range(&[-50.0, 50.0]);
        assert!(lo < -50.0 && hi > 50.0);
    }
}
