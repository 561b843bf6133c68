//! The Lorenz curve of customer revenue.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::util::{
    begin, builder, header, plot_layout, text_style, ticked, Swatch, AXIS_TITLE_PX, LABEL_PX,
};
use super::{ChartLabels, ChartResult, ChartTheme, PlotLayout};
use crate::engine::rfm::Pareto;
use crate::format::percent;

/// Draws the Lorenz curve (share of customers, poorest first → share of revenue) over a shaded
/// area, the equality diagonal (dashed), and a marker where the top
/// `customer_share_for_80_percent` of customers bring 80% of revenue, annotated
/// with its coordinates "(x%, y%)". Both axes are 0..100%.
///
/// Labels: `title`, `x_axis` (customer share), `y_axis` (revenue share), `series[0]` (curve) and
/// `series[1]` (equality line) for the legend, `no_data` (drawn when fewer than two curve points
/// are finite). Returns the plot area and each curve point's pixel x (NaN for a non-finite point)
/// for [`super::nearest_point`]; for a continuous readout use [`PlotLayout::x_fraction`] and
/// [`lorenz_at`].
pub fn draw_lorenz<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    pareto: &Pareto,
    labels: &ChartLabels,
    theme: &ChartTheme,
) -> ChartResult<PlotLayout> {
    let points = finite_points(pareto);
    if begin(area, labels, theme, points.len() < 2)? {
        return Ok(PlotLayout::default());
    }

    let body = header(
        area,
        labels,
        theme,
        &[
            (labels.series_name(0), Swatch::Line(theme.accent)),
            (labels.series_name(1), Swatch::Dashed(theme.axis)),
        ],
    )?;
    let mut chart = builder(&body)
        .x_label_area_size(if labels.x_axis.is_empty() { 28 } else { 46 })
        .y_label_area_size(if labels.y_axis.is_empty() { 52 } else { 70 })
        .build_cartesian_2d(ticked(0.0..1.0, quarters()), ticked(0.0..1.0, quarters()))?;
    chart
        .configure_mesh()
        .bold_line_style(theme.grid)
        .axis_style(theme.axis)
        .label_style(text_style(theme, LABEL_PX))
        .axis_desc_style(text_style(theme, AXIS_TITLE_PX))
        .x_desc(labels.x_axis.as_str())
        .y_desc(labels.y_axis.as_str())
        .x_label_formatter(&|v: &f64| percent(*v))
        .y_label_formatter(&|v: &f64| percent(*v))
        .draw()?;

    let diagonal = theme.axis.stroke_width(1);
    chart.draw_series(DashedLineSeries::new(
        [(0.0, 0.0), (1.0, 1.0)],
        6,
        5,
        diagonal,
    ))?;

    chart.draw_series(AreaSeries::new(
        points.iter().copied(),
        0.0,
        theme.accent.mix(0.15),
    ))?;
    let curve = theme.accent.stroke_width(2);
    chart.draw_series(LineSeries::new(points.iter().copied(), curve))?;

    let top_share = pareto.customer_share_for_80_percent;
    if top_share.is_finite() && top_share > 0.0 && top_share <= 1.0 {
        let x = 1.0 - top_share;
        let y = lorenz_at(pareto, x);
        if y.is_finite() {
            chart.draw_series(std::iter::once(Circle::new(
                (x, y),
                5,
                theme.accent2.filled(),
            )))?;
            // The point's own coordinates, as on the axes; the page states the 80% sentence.
            let text = format!("({}, {})", percent(x), percent(y));
            let style = text_style(theme, LABEL_PX).pos(Pos::new(HPos::Right, VPos::Bottom));
            let at = chart.backend_coord(&(x, y));
            area.draw_text(&text, &style, relative(area, (at.0 - 8, at.1 - 8)))?;
        }
    }

    let mut layout = plot_layout(&chart);
    layout.point_x_px = pareto
        .lorenz
        .iter()
        .map(|&(x, y)| {
            if x.is_finite() && y.is_finite() {
                f64::from(chart.backend_coord(&(x.clamp(0.0, 1.0), 0.0)).0)
            } else {
                f64::NAN
            }
        })
        .collect();
    Ok(layout)
}

/// The revenue share of the poorest `customer_share` (0..=1, clamped) of customers, linearly
/// interpolated on `pareto.lorenz` (non-finite points skipped; before the first or after the
/// last point the end value holds). NaN when `customer_share` is NaN or the curve has no finite
/// point.
pub fn lorenz_at(pareto: &Pareto, customer_share: f64) -> f64 {
    if customer_share.is_nan() {
        return f64::NAN;
    }
    let s = customer_share.clamp(0.0, 1.0);
    let points = finite_points(pareto);
    let (Some(&first), Some(&last)) = (points.first(), points.last()) else {
        return f64::NAN;
    };
    if s <= first.0 {
        return first.1;
    }
    if s >= last.0 {
        return last.1;
    }
    for pair in points.windows(2) {
        let [(x0, y0), (x1, y1)] = pair else { continue };
        if s >= *x0 && s <= *x1 {
            let dx = x1 - x0;
            return if dx <= 0.0 {
                *y1
            } else {
                y0 + (y1 - y0) * (s - x0) / dx
            };
        }
    }
    last.1
}

/// Ticks at 0, 25, 50, 75 and 100%.
fn quarters() -> Vec<f64> {
    vec![0.0, 0.25, 0.5, 0.75, 1.0]
}

/// The curve's finite points, clamped to the unit square.
fn finite_points(pareto: &Pareto) -> Vec<(f64, f64)> {
    pareto
        .lorenz
        .iter()
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .map(|&(x, y)| (x.clamp(0.0, 1.0), y.clamp(0.0, 1.0)))
        .collect()
}

/// An absolute backend pixel turned into one relative to `area`.
fn relative<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, at: (i32, i32)) -> (i32, i32) {
    let base = area.get_base_pixel();
    (at.0 - base.0, at.1 - base.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pareto(lorenz: Vec<(f64, f64)>) -> Pareto {
        Pareto {
            lorenz,
            ..Pareto::default()
        }
    }

    #[test]
    fn lorenz_at_interpolates_between_points() {
        let p = pareto(vec![(0.0, 0.0), (0.5, 0.1), (0.8, 0.3), (1.0, 1.0)]);
        assert_eq!(lorenz_at(&p, 0.0), 0.0);
        assert_eq!(lorenz_at(&p, 0.5), 0.1);
        assert!((lorenz_at(&p, 0.25) - 0.05).abs() < 1e-12);
        assert!((lorenz_at(&p, 0.65) - 0.2).abs() < 1e-12);
        assert!((lorenz_at(&p, 0.9) - 0.65).abs() < 1e-12);
        assert_eq!(lorenz_at(&p, 1.0), 1.0);
    }

    #[test]
    fn lorenz_at_clamps_and_handles_missing_values() {
        let p = pareto(vec![(0.0, 0.0), (f64::NAN, 0.5), (1.0, 1.0)]);
        assert_eq!(lorenz_at(&p, -2.0), 0.0);
        assert_eq!(lorenz_at(&p, 5.0), 1.0);
        assert_eq!(lorenz_at(&p, f64::INFINITY), 1.0);
        assert!((lorenz_at(&p, 0.4) - 0.4).abs() < 1e-12);
        assert!(lorenz_at(&p, f64::NAN).is_nan());
        assert!(lorenz_at(&Pareto::default(), 0.5).is_nan());
        // At a repeated x (a vertical step) the lower value holds.
        let step = pareto(vec![(0.0, 0.0), (0.5, 0.2), (0.5, 0.6), (1.0, 1.0)]);
        assert!((lorenz_at(&step, 0.5) - 0.2).abs() < 1e-12);
        assert!((lorenz_at(&step, 0.75) - 0.8).abs() < 1e-12);
    }
}
