//! A binned distribution (recency, frequency, monetary), with log axes where they help.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::util::{
    begin, builder, header, nice_ticks, plot_layout, text_style, thinned, ticked, AXIS_TITLE_PX,
    LABEL_PX,
};
use super::{ChartLabels, ChartResult, ChartTheme, PlotLayout};
use crate::engine::rfm::{Histogram, HistogramBin};
use crate::format::{compact, compact_small};

/// The y axis goes logarithmic when the fullest bin holds more than this many times the median
/// count of the non-empty bins: at that skew a linear axis leaves most bars a few pixels tall.
pub const LOG_Y_SKEW_RATIO: f64 = 50.0;

/// Where log-scaled bars start (below a count of 1, so single-customer bins stay visible).
const LOG_Y_BASE: f64 = 0.5;

/// Pixels one x tick label needs, gap included.
const EDGE_LABEL_PX: u32 = 56;

/// Whether [`draw_histogram`] puts the y axis on a log scale for `hist`: the largest bin count
/// exceeds [`LOG_Y_SKEW_RATIO`] × the median count of the non-empty bins (lower median for an
/// even number of them). False with fewer than two non-empty bins.
pub fn histogram_log_y(hist: &Histogram) -> bool {
    let mut counts: Vec<u64> = valid_bins(hist)
        .map(|b| b.count)
        .filter(|&c| c > 0)
        .collect();
    if counts.len() < 2 {
        return false;
    }
    counts.sort_unstable();
    let median = counts.get((counts.len() - 1) / 2).copied().unwrap_or(0);
    let max = counts.last().copied().unwrap_or(0);
    median > 0 && max as f64 > LOG_Y_SKEW_RATIO * median as f64
}

/// Draws one bar per non-empty bin from its lower to its upper edge.
///
/// The x axis is logarithmic when `hist.log_x` is set and every lower edge is positive (otherwise
/// linear), labelled with bin edges in compact form ("1.2k"), thinned to fit. The y axis is
/// logarithmic when [`histogram_log_y`] says so (ticks at powers of ten), and then its title is
/// `labels.y_axis_log_scale` (falling back to `y_axis`) so the reader is told.
///
/// Labels: `title`, `x_axis`, `y_axis`, `y_axis_log_scale`, `no_data` (drawn when no bin has a
/// finite range and a customer). Bins with non-finite or reversed edges are skipped. Returns the
/// plot area and each bin's centre pixel x (NaN for a skipped bin), index = position in
/// `hist.bins`, for [`super::nearest_point`].
pub fn draw_histogram<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    hist: &Histogram,
    labels: &ChartLabels,
    theme: &ChartTheme,
) -> ChartResult<PlotLayout> {
    let bins: Vec<&HistogramBin> = valid_bins(hist).collect();
    let max_count = bins.iter().map(|b| b.count).max().unwrap_or(0);
    if begin(area, labels, theme, max_count == 0)? {
        return Ok(PlotLayout::default());
    }
    let log_x = hist.log_x && bins.iter().all(|b| b.lower > 0.0);
    let log_y = histogram_log_y(hist);
    let tx = |v: f64| if log_x { v.log10() } else { v };
    let ty = |v: f64| if log_y { v.log10() } else { v };

    // x: from the first lower edge to the last upper edge, in (maybe log) space.
    let x_lo = bins
        .iter()
        .map(|b| tx(b.lower))
        .fold(f64::INFINITY, f64::min);
    let x_hi = bins
        .iter()
        .map(|b| tx(b.upper))
        .fold(f64::NEG_INFINITY, f64::max);
    let (x_lo, x_hi) = if x_hi - x_lo > f64::EPSILON {
        (x_lo, x_hi)
    } else {
        (x_lo - 0.5, x_lo + 0.5)
    };
    let mut edges: Vec<f64> = bins.iter().flat_map(|b| [b.lower, b.upper]).collect();
    edges.sort_by(f64::total_cmp);
    edges.dedup();
    let (width, _) = area.dim_in_pixel();
    let max_labels = (width.saturating_sub(100) / EDGE_LABEL_PX).max(2) as usize;
    let x_keys: Vec<f64> = thinned(edges.len(), max_labels)
        .into_iter()
        .filter_map(|i| edges.get(i).map(|e| tx(*e)))
        .collect();

    // y: counts, or log10(counts) starting just below 1.
    let max = max_count as f64;
    let (y_lo, y_hi, y_keys) = if log_y {
        let top = max.log10().ceil().max(1.0) as i32;
        let keys = (0..=top).map(f64::from).collect();
        (LOG_Y_BASE.log10(), (max * 1.6).log10(), keys)
    } else {
        (0.0, max * 1.08, nice_ticks(0.0, max, 6))
    };
    let y_title = if log_y && !labels.y_axis_log_scale.is_empty() {
        labels.y_axis_log_scale.as_str()
    } else {
        labels.y_axis.as_str()
    };

    let untx = |v: f64| if log_x { 10f64.powf(v) } else { v };
    let unty = |v: f64| if log_y { 10f64.powf(v) } else { v };
    let x_label = |v: &f64| {
        if log_x {
            compact_small(untx(*v))
        } else {
            compact(untx(*v))
        }
    };
    let y_label = |v: &f64| compact(unty(*v).round());

    let body = header(area, labels, theme, &[])?;
    let mut chart = builder(&body)
        .x_label_area_size(if labels.x_axis.is_empty() { 28 } else { 46 })
        .y_label_area_size(if y_title.is_empty() { 52 } else { 70 })
        .build_cartesian_2d(ticked(x_lo..x_hi, x_keys), ticked(y_lo..y_hi, y_keys))?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .bold_line_style(theme.grid)
        .axis_style(theme.axis)
        .label_style(text_style(theme, LABEL_PX))
        .axis_desc_style(text_style(theme, AXIS_TITLE_PX))
        .x_desc(labels.x_axis.as_str())
        .y_desc(y_title)
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .draw()?;

    let base = if log_y { LOG_Y_BASE.log10() } else { 0.0 };
    let style = theme.accent.filled();
    chart.draw_series(bins.iter().filter(|b| b.count > 0).map(|b| {
        let (l, u) = (tx(b.lower), tx(b.upper));
        let gap = (u - l) * 0.04;
        Rectangle::new([(l + gap, base), (u - gap, ty(b.count as f64))], style)
    }))?;

    let mut layout = plot_layout(&chart);
    layout.point_x_px = hist
        .bins
        .iter()
        .map(|b| {
            if is_valid(b) && (!log_x || b.lower > 0.0) {
                let centre = (tx(b.lower) + tx(b.upper)) / 2.0;
                f64::from(chart.backend_coord(&(centre, base)).0)
            } else {
                f64::NAN
            }
        })
        .collect();
    Ok(layout)
}

/// Bins with finite edges in order (`lower <= upper`).
fn valid_bins(hist: &Histogram) -> impl Iterator<Item = &HistogramBin> + Clone {
    hist.bins.iter().filter(|b| is_valid(b))
}

fn is_valid(b: &HistogramBin) -> bool {
    b.lower.is_finite() && b.upper.is_finite() && b.lower <= b.upper
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hist(counts: &[u64]) -> Histogram {
        let bins = counts
            .iter()
            .enumerate()
            .map(|(i, &count)| HistogramBin {
                lower: i as f64,
                upper: i as f64 + 1.0,
                count,
            })
            .collect();
        Histogram { bins, log_x: false }
    }

    #[test]
    fn log_y_only_when_the_fullest_bin_dwarfs_the_median() {
        assert!(!histogram_log_y(&hist(&[])));
        assert!(!histogram_log_y(&hist(&[1000])));
        assert!(!histogram_log_y(&hist(&[10, 20, 30, 500])), "500 / 20 = 25");
        assert!(histogram_log_y(&hist(&[10, 10, 10, 501])), "501 / 10 > 50");
        // Empty bins do not drag the median down.
        assert!(
            !histogram_log_y(&hist(&[0, 0, 0, 0, 0, 10, 400])),
            "400 / 10 = 40"
        );
        assert!(!histogram_log_y(&hist(&[0, 0, 0])));
    }
}
