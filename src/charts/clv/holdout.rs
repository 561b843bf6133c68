//! The holdout validation: predicted versus actual purchases by calibration frequency (grouped
//! bars) and cumulatively over time (lines).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::holdout_color;
use crate::charts::trend::padded_range;
use crate::charts::util::{
    begin, builder, header, nice_ticks, plot_layout, text_style, thinned, ticked, Swatch,
    AXIS_TITLE_PX, LABEL_PX,
};
use crate::charts::{ChartLabels, ChartResult, ChartTheme, PlotLayout};
use crate::engine::calendar::{day_from_ymd, iso_day, year_month};
use crate::engine::clv::{HoldoutComparison, FREQUENCY_BUCKETS};
use crate::engine::Day;
use crate::format::{compact, plain};

/// Pixels one `YYYY-MM` tick label needs, gap included.
const MONTH_LABEL_PX: u32 = 64;

/// Draws one group of bars per frequency bucket (x = calibration frequency, the last bucket
/// "7+"): the actual mean holdout purchases per customer (`theme.accent`) and each model's
/// prediction (`theme.accent2`, then further colours), in [`HoldoutComparison::models`] order.
///
/// Labels: `title`, `x_axis`, `y_axis`, `series[0]` (actual) and `series[1..]` (the models) for
/// the legend, `no_data` (drawn when there are no buckets). A non-finite mean draws no bar.
pub(super) fn draw_holdout_by_frequency<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    validation: &HoldoutComparison,
    labels: &ChartLabels,
    theme: &ChartTheme,
) -> ChartResult<()> {
    let buckets = &validation.by_frequency;
    if begin(area, labels, theme, buckets.is_empty())? {
        return Ok(());
    }
    let n = buckets.len();
    let series = 1 + validation.models.len();
    let value = |b: usize, s: usize| -> Option<f64> {
        let bucket = buckets.get(b)?;
        let v = if s == 0 {
            bucket.actual_mean
        } else {
            *bucket.predicted_mean.get(s - 1)?
        };
        v.is_finite().then_some(v)
    };
    let all: Vec<f64> = (0..n)
        .flat_map(|b| (0..series).filter_map(move |s| value(b, s)))
        .collect();
    let (lo, hi) = padded_range(&all);

    let keys: Vec<f64> = (0..n).map(|i| i as f64).collect();
    let bucket_label = |x: &f64| -> String {
        let i = x.round();
        if i < 0.0 {
            return String::new();
        }
        buckets
            .get(i as usize)
            .map(|b| {
                if b.calibration_frequency >= FREQUENCY_BUCKETS {
                    format!("{FREQUENCY_BUCKETS}+")
                } else {
                    b.calibration_frequency.to_string()
                }
            })
            .unwrap_or_default()
    };

    let legend: Vec<(&str, Swatch)> = (0..series)
        .map(|s| (labels.series_name(s), Swatch::Bar(holdout_color(theme, s))))
        .collect();
    let body = header(area, labels, theme, &legend)?;
    let mut chart = builder(&body)
        .x_label_area_size(if labels.x_axis.is_empty() { 28 } else { 46 })
        .y_label_area_size(if labels.y_axis.is_empty() { 52 } else { 70 })
        .build_cartesian_2d(
            ticked(-0.5..n as f64 - 0.5, keys),
            ticked(lo..hi, nice_ticks(lo, hi, 6)),
        )?;
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
        .x_label_formatter(&bucket_label)
        .y_label_formatter(&|v: &f64| plain(*v, 2))
        .draw()?;

    // A group is 0.8 wide, split evenly between the series.
    let bar_w = 0.8 / series as f64;
    for s in 0..series {
        let style = holdout_color(theme, s).filled();
        let bars = (0..n).filter_map(|b| {
            let v = value(b, s)?;
            let x0 = b as f64 - 0.4 + s as f64 * bar_w;
            Some(Rectangle::new([(x0, 0.0), (x0 + bar_w * 0.92, v)], style))
        });
        chart.draw_series(bars)?;
    }
    Ok(())
}

/// Draws the cumulative repeat purchases over time: the actual curve (solid, `theme.accent`),
/// each model's expectation (dashed, `theme.accent2`, then further colours) and a dashed
/// vertical line at the calibration end (`theme.axis`). The x axis shows `YYYY-MM` at month
/// starts, thinned to fit.
///
/// Labels: `title`, `x_axis`, `y_axis`, `series[0]` (actual), `series[1..=models]` (the models)
/// and `series[models + 1]` (the calibration end) for the legend, `no_data` (drawn when no point
/// has a finite value). Non-finite values are skipped. Returns the plot area and each point's
/// pixel x (NaN for a point with no finite value), index = position in
/// [`HoldoutComparison::cumulative`], for [`crate::charts::nearest_point`].
pub(super) fn draw_holdout_cumulative<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    validation: &HoldoutComparison,
    labels: &ChartLabels,
    theme: &ChartTheme,
) -> ChartResult<PlotLayout> {
    let points = &validation.cumulative;
    let models = validation.models.len();
    let series = 1 + models;
    let value = |p: usize, s: usize| -> Option<f64> {
        let point = points.get(p)?;
        let v = if s == 0 {
            point.actual
        } else {
            *point.predicted.get(s - 1)?
        };
        v.is_finite().then_some(v)
    };
    let drawn: Vec<bool> = (0..points.len())
        .map(|p| (0..series).any(|s| value(p, s).is_some()))
        .collect();
    if begin(area, labels, theme, !drawn.contains(&true))? {
        return Ok(PlotLayout::default());
    }
    let all: Vec<f64> = (0..points.len())
        .flat_map(|p| (0..series).filter_map(move |s| value(p, s)))
        .collect();
    let (y_lo, y_hi) = padded_range(&all);

    let calibration_end = validation.calibration_end_day;
    let days = points.iter().map(|p| p.day).chain([calibration_end]);
    let first = days.clone().min().unwrap_or(calibration_end);
    let last = days.max().unwrap_or(calibration_end);
    let (x_lo, x_hi) = if last > first {
        (f64::from(first), f64::from(last))
    } else {
        (f64::from(first) - 1.0, f64::from(first) + 1.0)
    };

    let (width, _) = area.dim_in_pixel();
    let max_labels = (width.saturating_sub(140) / MONTH_LABEL_PX).max(1) as usize;
    let x_keys: Vec<f64> = month_starts(first, last, max_labels)
        .into_iter()
        .map(f64::from)
        .collect();
    let date_label = |x: &f64| -> String {
        if !x.is_finite() {
            return String::new();
        }
        let text = iso_day(x.round().clamp(f64::from(Day::MIN), f64::from(Day::MAX)) as Day);
        text.get(..7).unwrap_or(&text).to_string()
    };

    let mut legend: Vec<(&str, Swatch)> = vec![(labels.series_name(0), Swatch::Line(theme.accent))];
    legend.extend((1..series).map(|s| {
        (
            labels.series_name(s),
            Swatch::Dashed(holdout_color(theme, s)),
        )
    }));
    legend.push((labels.series_name(series), Swatch::Dashed(theme.axis)));
    let body = header(area, labels, theme, &legend)?;
    let mut chart = builder(&body)
        .x_label_area_size(if labels.x_axis.is_empty() { 28 } else { 46 })
        .y_label_area_size(if labels.y_axis.is_empty() { 52 } else { 70 })
        .build_cartesian_2d(
            ticked(x_lo..x_hi, x_keys),
            ticked(y_lo..y_hi, nice_ticks(y_lo, y_hi, 6)),
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
        .x_label_formatter(&date_label)
        .y_label_formatter(&|v: &f64| compact(*v))
        .draw()?;

    let cal_x = f64::from(calibration_end);
    chart.draw_series(DashedLineSeries::new(
        vec![(cal_x, y_lo), (cal_x, y_hi)],
        4,
        4,
        theme.axis.stroke_width(1),
    ))?;
    for s in (0..series).rev() {
        let line: Vec<(f64, f64)> = (0..points.len())
            .filter_map(|p| Some((f64::from(points.get(p)?.day), value(p, s)?)))
            .collect();
        if s == 0 {
            chart.draw_series(LineSeries::new(line, theme.accent.stroke_width(2)))?;
        } else {
            chart.draw_series(DashedLineSeries::new(
                line,
                6,
                4,
                holdout_color(theme, s).stroke_width(2),
            ))?;
        }
    }

    let mut layout = plot_layout(&chart);
    layout.point_x_px = points
        .iter()
        .zip(&drawn)
        .map(|(p, drawn)| {
            if *drawn {
                f64::from(chart.backend_coord(&(f64::from(p.day), y_lo)).0)
            } else {
                f64::NAN
            }
        })
        .collect();
    Ok(layout)
}

/// The first days of the months in `first..=last` to label: every month when at most
/// `max_labels` fit, else every 2, 3, 4, 6 or 12 months (or whole multiples of a year), aligned
/// to the calendar; just `first` when no month starts in the range.
fn month_starts(first: Day, last: Day, max_labels: usize) -> Vec<Day> {
    let (Some((y0, m0)), Some((y1, m1))) = (year_month(first), year_month(last)) else {
        return Vec::new();
    };
    let k0 = i64::from(y0) * 12 + i64::from(m0) - 1;
    let k1 = i64::from(y1) * 12 + i64::from(m1) - 1;
    // Month starts strictly inside the range (the first month's start only when it is `first`).
    let starts: Vec<(i64, Day)> = (k0..=k1)
        .filter_map(|k| {
            let year = i32::try_from(k.div_euclid(12)).ok()?;
            let month = u32::try_from(k.rem_euclid(12) + 1).ok()?;
            let day = day_from_ymd(year, month, 1)?;
            (first..=last).contains(&day).then_some((k, day))
        })
        .collect();
    if starts.is_empty() {
        // Within one month: label where the range starts.
        return vec![first];
    }
    let max_labels = max_labels.max(1);
    let needed = starts.len().div_ceil(max_labels).max(1);
    let step = [1, 2, 3, 4, 6, 12, 24, 36, 60, 120]
        .into_iter()
        .find(|s| *s >= needed)
        .unwrap_or_else(|| needed.next_multiple_of(12));
    let step = i64::try_from(step).unwrap_or(i64::MAX);
    let aligned: Vec<Day> = starts
        .iter()
        .filter(|(k, _)| k.rem_euclid(step) == 0)
        .map(|(_, d)| *d)
        .collect();
    if aligned.is_empty() || aligned.len() > max_labels {
        thinned(starts.len(), max_labels)
            .into_iter()
            .filter_map(|i| starts.get(i).map(|(_, d)| *d))
            .collect()
    } else {
        aligned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> Day {
        day_from_ymd(y, m, d).unwrap_or(0)
    }

    #[test]
    fn month_starts_are_inside_the_range_and_thinned() {
        let starts = month_starts(day(2024, 1, 15), day(2024, 4, 2), 10);
        assert_eq!(
            starts,
            vec![day(2024, 2, 1), day(2024, 3, 1), day(2024, 4, 1)]
        );
        // Three years in at most 6 labels: every 6 months from January.
        let starts = month_starts(day(2021, 1, 1), day(2023, 12, 31), 6);
        assert_eq!(
            starts,
            vec![
                day(2021, 1, 1),
                day(2021, 7, 1),
                day(2022, 1, 1),
                day(2022, 7, 1),
                day(2023, 1, 1),
                day(2023, 7, 1)
            ]
        );
        assert_eq!(
            month_starts(day(2024, 1, 2), day(2024, 1, 20), 5),
            vec![day(2024, 1, 2)]
        );
        assert!(month_starts(Day::MAX, Day::MAX, 5).is_empty());
    }
}
