//! A model prediction over frequency × recency, as a heatmap with a colour scale.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::charts::theme::{heat, text_on};
use crate::charts::util::{
    begin, builder, centered, header, text_style, text_width_px, thinned, ticked, AXIS_TITLE_PX,
    LABEL_PX,
};
use crate::charts::{ChartLabels, ChartResult, ChartTheme};
use crate::engine::clv::ModelMatrix;
use crate::format::plain;

/// Size of the numbers written in the cells, pixels: the larger when it fits.
const CELL_TEXT_PX: [f64; 2] = [13.0, 10.0];
/// Height of the colour-scale strip under the title, pixels.
const SCALE_STRIP_PX: u32 = 24;
/// Width of the colour-scale gradient, pixels.
const SCALE_WIDTH_PX: i32 = 140;
/// Steps of the colour-scale gradient.
const SCALE_STEPS: i32 = 28;

/// What the matrix holds, for the colour scale and the cell texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum MatrixValues {
    /// A probability 0..=1: the scale runs 0–100 %, cells read "83%".
    Probability,
    /// A non-negative count (expected purchases): the scale runs from 0 (or the smallest value
    /// when negative) to the largest value; cells read with 2 decimals (1 from 10 up).
    Count,
}

impl MatrixValues {
    fn format(self, value: f64, decimals: usize) -> String {
        match self {
            // Out-of-range values are coloured as 0 or 1; written so too.
            Self::Probability => format!("{:.0}%", (value * 100.0).clamp(0.0, 100.0)),
            Self::Count => format!("{value:.decimals$}"),
        }
    }
}

/// Draws `matrix.values[row][column]` as a grid of cells: x = frequency (one column per
/// `matrix.frequencies` entry, left to right), y = recency (one row per `matrix.recencies`
/// entry, lowest at the bottom), each cell coloured by [`heat`] on the matrix's scale. The
/// value is written in each cell when the cells are large enough to hold it. A colour scale
/// with its end values sits under the title.
///
/// Labels: `title`, `x_axis` (frequency), `y_axis` (recency, with its unit), `series[0]` (what
/// the colour means, written by the scale), `no_data` (drawn when no cell has a finite value).
/// Non-finite and missing values leave their cell empty.
pub(super) fn draw_model_matrix<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    matrix: &ModelMatrix,
    values: MatrixValues,
    labels: &ChartLabels,
    theme: &ChartTheme,
) -> ChartResult<()> {
    let (rows, cols) = (matrix.recencies.len(), matrix.frequencies.len());
    let value = |r: usize, c: usize| -> Option<f64> {
        matrix
            .values
            .get(r)
            .and_then(|row| row.get(c))
            .copied()
            .filter(|v| v.is_finite())
    };
    let cells: Vec<(usize, usize, f64)> = (0..rows)
        .flat_map(|r| (0..cols).filter_map(move |c| value(r, c).map(|v| (r, c, v))))
        .collect();
    if begin(area, labels, theme, cells.is_empty())? {
        return Ok(());
    }

    let (lo, hi) = match values {
        MatrixValues::Probability => (0.0, 1.0),
        MatrixValues::Count => {
            let lo = cells.iter().map(|c| c.2).fold(0.0, f64::min);
            let hi = cells.iter().map(|c| c.2).fold(lo, f64::max);
            // The span must be finite and non-zero for the colour scale.
            if (hi - lo).is_finite() && hi - lo > f64::EPSILON {
                (lo, hi)
            } else if (hi - lo).is_finite() {
                (lo, lo + 1.0)
            } else {
                (0.0, f64::MAX)
            }
        }
    };
    let decimals = if hi.abs().max(lo.abs()) >= 10.0 { 1 } else { 2 };
    let scale = |v: f64| (v - lo) / (hi - lo);

    let body = header(area, labels, theme, &[])?;
    let (strip, body) = body.split_vertically(SCALE_STRIP_PX);
    draw_scale(
        &strip,
        labels.series_name(0),
        values,
        (lo, hi),
        decimals,
        theme,
    )?;

    let (width, height) = body.dim_in_pixel();
    let x_keys: Vec<f64> = thinned(cols, (width.saturating_sub(100) / 26).max(2) as usize)
        .into_iter()
        .map(|i| i as f64 + 0.5)
        .collect();
    let y_keys: Vec<f64> = thinned(rows, (height.saturating_sub(60) / 22).max(2) as usize)
        .into_iter()
        .map(|i| i as f64 + 0.5)
        .collect();
    let index = |v: f64| (v >= 0.0).then(|| v.floor() as usize);
    let x_label = |v: &f64| {
        index(*v)
            .and_then(|i| matrix.frequencies.get(i))
            .map(u32::to_string)
            .unwrap_or_default()
    };
    let y_label = |v: &f64| {
        index(*v)
            .and_then(|i| matrix.recencies.get(i))
            .map(|r| plain(*r, 1))
            .unwrap_or_default()
    };

    let mut chart = builder(&body)
        .x_label_area_size(if labels.x_axis.is_empty() { 28 } else { 46 })
        .y_label_area_size(if labels.y_axis.is_empty() { 48 } else { 66 })
        .build_cartesian_2d(
            ticked(0.0..cols as f64, x_keys),
            ticked(0.0..rows as f64, y_keys),
        )?;
    chart
        .configure_mesh()
        .disable_mesh()
        .axis_style(theme.axis)
        .label_style(text_style(theme, LABEL_PX))
        .axis_desc_style(text_style(theme, AXIS_TITLE_PX))
        .x_desc(labels.x_axis.as_str())
        .y_desc(labels.y_axis.as_str())
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .draw()?;

    let fill_of = |v: f64| heat(theme, scale(v));
    chart.draw_series(cells.iter().map(|&(r, c, v)| {
        let (x, y) = (c as f64, r as f64);
        Rectangle::new([(x, y), (x + 1.0, y + 1.0)], fill_of(v).filled())
    }))?;

    // Numbers only when every one fits its cell.
    let origin = chart.backend_coord(&(0.0, 0.0));
    let corner = chart.backend_coord(&(1.0, 1.0));
    let cell_w = f64::from((corner.0 - origin.0).abs());
    let cell_h = f64::from((corner.1 - origin.1).abs());
    let texts: Vec<String> = cells.iter().map(|c| values.format(c.2, decimals)).collect();
    let fits = |size: f64| {
        let widest = texts
            .iter()
            .map(|s| text_width_px(s, size))
            .fold(0.0, f64::max);
        cell_w >= widest + 6.0 && cell_h >= size + 4.0
    };
    if let Some(size) = CELL_TEXT_PX.into_iter().find(|s| fits(*s)) {
        chart.draw_series(cells.iter().zip(&texts).map(|(&(r, c, v), text)| {
            let mut style = centered(text_style(theme, size));
            style.color = text_on(theme, fill_of(v)).to_backend_color();
            Text::new(text.clone(), (c as f64 + 0.5, r as f64 + 0.5), style)
        }))?;
    }
    Ok(())
}

/// The colour scale: `caption`, the low value, a gradient, the high value, centred in `strip`.
fn draw_scale<DB: DrawingBackend>(
    strip: &DrawingArea<DB, Shift>,
    caption: &str,
    values: MatrixValues,
    (lo, hi): (f64, f64),
    decimals: usize,
    theme: &ChartTheme,
) -> ChartResult<()> {
    const GAP: i32 = 6;
    let style = text_style(theme, LABEL_PX).pos(Pos::new(HPos::Left, VPos::Center));
    let lo_text = values.format(lo, if lo == 0.0 { 0 } else { decimals });
    let hi_text = values.format(hi, decimals);
    let measure = |s: &str| -> ChartResult<i32> {
        if s.is_empty() {
            return Ok(0);
        }
        let (w, _) = strip.estimate_text_size(s, &style)?;
        Ok(i32::try_from(w).unwrap_or(0))
    };
    let (caption_w, lo_w, hi_w) = (measure(caption)?, measure(&lo_text)?, measure(&hi_text)?);
    let caption_gap = if caption.is_empty() { 0 } else { 2 * GAP };
    let total = caption_w + caption_gap + lo_w + GAP + SCALE_WIDTH_PX + GAP + hi_w;
    let (w, h) = strip.dim_in_pixel();
    let (w, h) = (
        i32::try_from(w).unwrap_or(i32::MAX),
        i32::try_from(h).unwrap_or(0),
    );
    let y = h / 2;
    let mut x = ((w - total) / 2).max(0);
    if !caption.is_empty() {
        strip.draw_text(caption, &style, (x, y))?;
        x += caption_w + caption_gap;
    }
    strip.draw_text(&lo_text, &style, (x, y))?;
    x += lo_w + GAP;
    let step_w = SCALE_WIDTH_PX / SCALE_STEPS;
    for k in 0..SCALE_STEPS {
        let color = heat(theme, f64::from(k) / f64::from(SCALE_STEPS - 1));
        let x0 = x + k * step_w;
        strip.draw(&Rectangle::new(
            [(x0, y - 6), (x0 + step_w, y + 6)],
            color.filled(),
        ))?;
    }
    x += SCALE_STEPS * step_w + GAP;
    strip.draw_text(&hi_text, &style, (x, y))?;
    Ok(())
}
