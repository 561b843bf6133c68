//! The lifecycle view's forecast chart: one series (revenue or orders) of a [`ForecastReport`],
//! its history as a solid line, then the point forecast as a dashed line joined to the last
//! history point, inside its 95 % and 80 % prediction bands; for orders, the existing
//! customers' BG/NBD expected orders as a dotted line when predictions have run. The page draws
//! through [`draw_forecast_chart`] on a canvas; native tests and the CLI can do the same on SVG.
//! [`forecast_readout`] turns a hover position into the readout line, so the component only
//! forwards the mouse.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::cluster::legend::{header, Mark};
use super::theme::toward_background;
use super::trend::padded_range;
use super::util::{
    begin, builder, nice_ticks, plot_layout, text_style, text_width_px, thinned, ticked,
    AXIS_TITLE_PX, LABEL_PX,
};
use super::{ChartLabels, ChartResult, ChartTheme, ClusterLayout, HoverAxis};
use crate::engine::forecast::{ForecastPoint, ForecastReport, SeriesKind, SeriesReport};
use crate::format::{compact, grouped};
use crate::i18n::{fill, series_name, t, Lang, Text};

/// Up to this many periods, each history and forecast point is marked with a dot.
const MAX_PERIODS_WITH_DOTS: usize = 60;
/// Space between two period labels, pixels.
const LABEL_GAP_PX: f64 = 14.0;
/// How far the 95 % band is moved towards the background (lighter than the 80 % band).
const BAND_95_FADE: f64 = 0.82;
/// How far the 80 % band is moved towards the background.
const BAND_80_FADE: f64 = 0.6;

/// The shown series of `report`.
fn series_of(report: &ForecastReport, kind: SeriesKind) -> &SeriesReport {
    match kind {
        SeriesKind::Revenue => &report.revenue,
        SeriesKind::Orders => &report.orders,
    }
}

/// The existing customers' expected orders, one per forecast period, when the orders series is
/// shown and predictions have run (empty otherwise).
fn existing(report: &ForecastReport, kind: SeriesKind) -> &[f64] {
    match (kind, &report.existing_customer_orders) {
        (SeriesKind::Orders, Some(values)) => values,
        _ => &[],
    }
}

/// Whether the series has anything to plot (a finite history value or forecast mean).
fn has_data(s: &SeriesReport) -> bool {
    s.history.iter().any(|p| p.value.is_finite()) || s.forecast.iter().any(|p| p.mean.is_finite())
}

/// A value in a readout: revenue in whole currency units, orders whole in the history and with
/// one decimal in forecasts (`precise`).
fn value_text(kind: SeriesKind, value: f64, precise: bool) -> String {
    let decimals = match kind {
        SeriesKind::Orders if precise => 1,
        _ => 0,
    };
    grouped(value, decimals, ',')
}

/// The band between `lo` and `hi` of each forecast point (period index `n + h`) as one polygon,
/// starting at zero width on the last history point `start`; `None` when fewer than two points
/// are finite.
fn band(
    start: Option<(f64, f64)>,
    upper_lower: impl Iterator<Item = (f64, f64, f64)>,
) -> Option<Vec<(f64, f64)>> {
    let points: Vec<(f64, f64, f64)> = start
        .map(|(x, y)| (x, y, y))
        .into_iter()
        .chain(upper_lower.filter(|(_, lo, hi)| lo.is_finite() && hi.is_finite()))
        .collect();
    if points.len() < 2 {
        return None;
    }
    Some(
        points
            .iter()
            .map(|&(x, _, hi)| (x, hi))
            .chain(points.iter().rev().map(|&(x, lo, _)| (x, lo)))
            .collect(),
    )
}

/// Draws one series of `report` (`series`) in `lang`; the title is left to the caller unless
/// `with_title`.
///
/// x = the periods, history then forecast (labels thinned to fit the width); y = the series'
/// value (compact numbers: money for revenue, counts for orders), from 0 or the lowest lower
/// bound (intervals are not clipped at 0). The history is a solid line with dots in the theme's
/// accent colour; the point forecast a dashed line (and dots) in the second accent, joined to
/// the last history point; behind it the 95 % band (light) and the 80 % band (darker), both
/// starting at the last history point; a dashed vertical line divides history from forecast. For
/// orders, when [`ForecastReport::existing_customer_orders`] is `Some`, the existing customers'
/// expected orders run as a dotted line over the forecast periods. A legend names every line and
/// band drawn; the y axis is titled with the series' name. Non-finite values are skipped.
///
/// Draws the "no data" text when `report` is `None` or the series has no finite value. Returns
/// the hover layout (see [`ClusterLayout`]; [`forecast_readout`] reads it): one target per
/// period, history then forecast, found by x.
pub fn draw_forecast_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: Option<&ForecastReport>,
    series: SeriesKind,
    lang: Lang,
    theme: &ChartTheme,
    with_title: bool,
) -> ChartResult<ClusterLayout> {
    let l = |text: Text| text.get(lang).to_string();
    let title = if with_title {
        l(t::FORECAST_CHART)
    } else {
        String::new()
    };
    let labels = ChartLabels::new(title)
        .no_data(l(t::NO_DATA))
        .y_axis(series_name(lang, series));
    let s = report.map(|r| series_of(r, series));
    let Some((report, s)) = report.zip(s).filter(|(_, s)| has_data(s)) else {
        begin(area, &labels, theme, true)?;
        return Ok(ClusterLayout::default());
    };
    begin(area, &labels, theme, false)?;
    let existing: Vec<(f64, f64)> = existing(report, series)
        .iter()
        .zip(0..s.forecast.len())
        .filter(|(v, _)| v.is_finite())
        .map(|(&v, h)| ((s.history.len() + h) as f64, v))
        .collect();

    let history_color = theme.accent;
    let forecast_color = theme.accent2;
    let band95 = toward_background(theme, forecast_color, BAND_95_FADE);
    let band80 = toward_background(theme, forecast_color, BAND_80_FADE);
    let existing_color = theme.cluster_color(2);
    let has_forecast = s.forecast.iter().any(|p| p.mean.is_finite());
    let mut legend = vec![(l(t::FORECAST_LEGEND_HISTORY), Mark::Line(history_color))];
    if has_forecast {
        legend.extend([
            (l(t::FORECAST_LEGEND_FORECAST), Mark::Dashed(forecast_color)),
            (l(t::FORECAST_LEGEND_80), Mark::Bar(band80)),
            (l(t::FORECAST_LEGEND_95), Mark::Bar(band95)),
        ]);
    }
    if !existing.is_empty() {
        legend.push((l(t::FORECAST_LEGEND_EXISTING), Mark::Dashed(existing_color)));
    }
    let body = header(area, &labels.title, &legend, &[], theme)?;

    let n_history = s.history.len();
    let n = n_history + s.forecast.len();
    let label_of = |i: usize| -> &str {
        match i.checked_sub(n_history) {
            None => s.history.get(i).map_or("", |p| p.label.as_str()),
            Some(h) => s.forecast.get(h).map_or("", |p| p.label.as_str()),
        }
    };
    let values: Vec<f64> = s
        .history
        .iter()
        .map(|p| p.value)
        .chain(
            s.forecast
                .iter()
                .flat_map(|p| [p.mean, p.lo80, p.hi80, p.lo95, p.hi95]),
        )
        .chain(existing.iter().map(|p| p.1))
        .collect();
    let (lo, hi) = padded_range(&values);
    let y_ticks = {
        let ticks = nice_ticks(lo, hi, 6);
        let whole: Vec<f64> = ticks.iter().copied().filter(|v| v.fract() == 0.0).collect();
        // Orders are whole numbers: no half-order ticks unless the axis is that short.
        if series == SeriesKind::Orders && whole.len() >= 2 {
            whole
        } else {
            ticks
        }
    };
    let (width, _) = area.dim_in_pixel();
    let label_px = (0..n)
        .map(|i| text_width_px(label_of(i), LABEL_PX))
        .fold(0.0, f64::max)
        + LABEL_GAP_PX;
    let plot_px = f64::from(width.saturating_sub(110)).max(1.0);
    let max_labels = ((plot_px / label_px) as usize).max(1);
    let x_keys: Vec<f64> = thinned(n, max_labels)
        .into_iter()
        .map(|i| i as f64)
        .collect();
    let x_label = |x: &f64| -> String {
        let i = x.round();
        if i < 0.0 {
            return String::new();
        }
        label_of(i as usize).to_string()
    };
    let mut chart = builder(&body)
        .x_label_area_size(28)
        .y_label_area_size(68)
        .build_cartesian_2d(
            ticked(-0.5..(n as f64 - 0.5).max(0.5), x_keys),
            ticked(lo..hi, y_ticks),
        )?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .max_light_lines(0)
        .bold_line_style(theme.grid)
        .axis_style(theme.axis)
        .label_style(text_style(theme, LABEL_PX))
        .axis_desc_style(text_style(theme, AXIS_TITLE_PX))
        .y_desc(labels.y_axis.as_str())
        .x_label_formatter(&x_label)
        .y_label_formatter(&|v: &f64| compact(*v))
        .draw()?;

    let history: Vec<(f64, f64)> = s
        .history
        .iter()
        .enumerate()
        .filter(|(_, p)| p.value.is_finite())
        .map(|(i, p)| (i as f64, p.value))
        .collect();
    // The last history point, where the forecast line and bands start.
    let start = history
        .last()
        .copied()
        .filter(|p| p.0 as usize + 1 == n_history);
    let at = |h: usize| (n_history + h) as f64;
    let edges = |bounds: fn(&ForecastPoint) -> (f64, f64)| {
        let points = s.forecast.iter().enumerate().map(move |(h, p)| {
            let (lo, hi) = bounds(p);
            (at(h), lo, hi)
        });
        band(start, points)
    };
    // The 95 % band first, the 80 % band on top.
    let bands = [
        (band95, edges(|p| (p.lo95, p.hi95))),
        (band80, edges(|p| (p.lo80, p.hi80))),
    ];
    for (color, polygon) in bands {
        if let Some(polygon) = polygon {
            chart.draw_series(std::iter::once(Polygon::new(polygon, color.filled())))?;
        }
    }
    if has_forecast && n_history > 0 {
        let x = n_history as f64 - 0.5;
        chart.draw_series(DashedLineSeries::new(
            vec![(x, lo), (x, hi)],
            6,
            4,
            theme.axis.stroke_width(1),
        ))?;
    }
    let dots = n <= MAX_PERIODS_WITH_DOTS;
    chart.draw_series(LineSeries::new(
        history.iter().copied(),
        history_color.stroke_width(2),
    ))?;
    if dots {
        chart.draw_series(
            history
                .iter()
                .map(|&p| Circle::new(p, 3, history_color.filled())),
        )?;
    }
    let means: Vec<(f64, f64)> = s
        .forecast
        .iter()
        .enumerate()
        .filter(|(_, p)| p.mean.is_finite())
        .map(|(h, p)| (at(h), p.mean))
        .collect();
    chart.draw_series(DashedLineSeries::new(
        start.into_iter().chain(means.iter().copied()),
        7,
        4,
        forecast_color.stroke_width(2),
    ))?;
    if dots {
        chart.draw_series(
            means
                .iter()
                .map(|&p| Circle::new(p, 3, forecast_color.filled())),
        )?;
    }
    if !existing.is_empty() {
        chart.draw_series(DashedLineSeries::new(
            existing.iter().copied(),
            2,
            4,
            existing_color.stroke_width(2),
        ))?;
    }

    let mut plot = plot_layout(&chart);
    plot.point_x_px = (0..n)
        .map(|i| f64::from(chart.backend_coord(&(i as f64, lo)).0))
        .collect();
    Ok(ClusterLayout {
        plot,
        point_y_px: Vec::new(),
        hover: HoverAxis::X,
    })
}

/// The hover readout at (`x_px`, `y_px`) on a chart of `report`'s `series` drawn with `layout`,
/// in `lang`, for the period nearest the mouse: "2024-03: 12,345" in the history,
/// "2024-09: 13,000 (80 %: 11,000 – 15,000; 95 %: 10,000 – 16,000)" in the forecast, followed
/// for orders by the existing customers' expected orders when predictions have run. Revenue
/// reads in whole currency units, forecast orders with one decimal. `None` off the plot, when
/// nothing was drawn, or when the period's value is not finite.
pub fn forecast_readout(
    report: Option<&ForecastReport>,
    series: SeriesKind,
    layout: &ClusterLayout,
    (x_px, y_px): (f64, f64),
    lang: Lang,
) -> Option<String> {
    let report = report?;
    let s = series_of(report, series);
    let index = layout.nearest(x_px, y_px)?;
    let text = |v: f64| value_text(series, v, true);
    match index.checked_sub(s.history.len()) {
        None => {
            let p = s.history.get(index)?;
            p.value.is_finite().then(|| {
                fill(
                    lang,
                    t::FORECAST_HOVER_HISTORY,
                    &[&p.label, &value_text(series, p.value, false)],
                )
            })
        }
        Some(h) => {
            let p = s.forecast.get(h)?;
            if !p.mean.is_finite() {
                return None;
            }
            let read = fill(
                lang,
                t::FORECAST_HOVER_FORECAST,
                &[
                    &p.label,
                    &text(p.mean),
                    &text(p.lo80),
                    &text(p.hi80),
                    &text(p.lo95),
                    &text(p.hi95),
                ],
            );
            Some(match existing(report, series).get(h) {
                Some(v) if v.is_finite() => {
                    fill(lang, t::FORECAST_HOVER_EXISTING, &[&read, &text(*v)])
                }
                _ => read,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_start_at_the_last_history_point_and_skip_missing_bounds() {
        let edges = vec![(3.0, 1.0, 5.0), (4.0, f64::NAN, 6.0), (5.0, 0.0, 7.0)];
        assert_eq!(
            band(Some((2.0, 3.0)), edges.clone().into_iter()),
            Some(vec![
                (2.0, 3.0),
                (3.0, 5.0),
                (5.0, 7.0),
                (5.0, 0.0),
                (3.0, 1.0),
                (2.0, 3.0)
            ])
        );
        assert_eq!(band(None, edges.into_iter()).map(|b| b.len()), Some(4));
        assert_eq!(band(None, std::iter::once((3.0, 1.0, 5.0))), None);
    }

    #[test]
    fn values_read_whole_except_forecast_orders() {
        assert_eq!(value_text(SeriesKind::Revenue, 12_345.67, true), "12,346");
        assert_eq!(value_text(SeriesKind::Orders, 123.0, false), "123");
        assert_eq!(value_text(SeriesKind::Orders, 12.34, true), "12.3");
        assert_eq!(value_text(SeriesKind::Revenue, -1_500.2, true), "-1,500");
    }
}
