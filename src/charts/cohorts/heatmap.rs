//! The cohorts × periods since the first purchase, as a triangle of cells on the heat ramp.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{columns, CohortMetric};
use crate::charts::baskets::{header, ramp, Key};
use crate::charts::cluster::ellipsize;
use crate::charts::theme::{heat, text_on};
use crate::charts::util::{
    begin, builder, plot_layout, text_style, text_width_px, ticked, AXIS_TITLE_PX, LABEL_PX,
};
use crate::charts::{ChartLabels, ChartResult, ChartTheme, ClusterLayout, HoverAxis};
use crate::engine::cohorts::CohortRow;

/// Up to this many columns, the values are written in the cells (when they fit).
const MAX_COLUMNS_WITH_VALUES: usize = 25;
/// Sizes tried for the values in the cells, largest first, pixels.
const VALUE_PX: [f64; 3] = [10.0, 9.0, 8.0];
/// Gap around each cell, in cells (only when cells are at least [`MIN_GAP_CELL_PX`] wide and
/// high: smaller cells would be all gap).
const CELL_GAP: f64 = 0.04;
/// Smallest cell, pixels, that keeps a gap around it.
const MIN_GAP_CELL_PX: f64 = 8.0;
/// Cohort labels longer than this (pixels at the label size) end with "…".
const ROW_NAME_MAX_PX: f64 = 120.0;
/// Room per axis label: its height (rows) or its width (columns) plus this, pixels.
const LABEL_GAP_PX: f64 = 6.0;

/// The smallest step of 1, 2, 5, 10, 20, 50, … that labels at most `max_labels` of `len` rows
/// or columns.
fn label_step(len: usize, max_labels: usize) -> usize {
    let needed = len.div_ceil(max_labels.max(1)).max(1);
    let mut magnitude = 1;
    loop {
        for m in [1, 2, 5] {
            if m * magnitude >= needed {
                return m * magnitude;
            }
        }
        magnitude *= 10;
    }
}

/// Draws one row per cohort of `matrix` (oldest at the top, labelled on the left) and one
/// column per period since the first purchase (+0, +1, …, labelled below): each cell of a
/// cohort filled on the theme's [`heat`] ramp by its `metric` from 0 to the scale's top (the
/// highest value; for the share active the highest from +1 on, as +0 is 100% by definition; at
/// least 0.0…1 when nothing is positive), higher values at the top colour; a non-finite value
/// in `theme.grid`; cells past a cohort's last period not drawn. Values are written in the cells
/// when there are at most [`MAX_COLUMNS_WITH_VALUES`] columns and every value fits (at a
/// smaller size or shorter, "13%" for "12.5%", if need be). With many rows or columns only
/// every 2nd, 5th, 10th, … is labelled. The legend is a colour ramp named `scale(0, top)`.
///
/// Labels: `title`, `x_axis`, `y_axis`, `no_data` (drawn when there is no cohort or no finite
/// value). Returns each cell's centre, the whole rows × columns grid (index = row × columns +
/// column, columns = the longest cohort's cells), found under the mouse.
pub(super) fn draw_heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    matrix: &[CohortRow],
    metric: CohortMetric,
    labels: &ChartLabels,
    scale: &dyn Fn(f64, f64) -> String,
    theme: &ChartTheme,
) -> ChartResult<ClusterLayout> {
    let (rows, cols) = (matrix.len(), columns(matrix));
    let value = |r: usize, c: usize| -> Option<f64> {
        let cell = matrix.get(r)?.cells.get(c)?;
        Some(metric.of_cell(cell)).filter(|v| v.is_finite())
    };
    let drawn = || {
        matrix
            .iter()
            .enumerate()
            .flat_map(|(r, row)| (0..row.cells.len()).map(move |c| (r, c)))
    };
    let any = drawn().any(|(r, c)| value(r, c).is_some());
    if begin(area, labels, theme, !any)? {
        return Ok(ClusterLayout::default());
    }
    let highest = |from: usize| {
        drawn()
            .filter(|(_, c)| *c >= from)
            .filter_map(|(r, c)| value(r, c))
            .fold(0.0, f64::max)
    };
    let from = usize::from(metric.is_share() && cols > 1);
    let top = [highest(from), highest(0), 1.0]
        .into_iter()
        .find(|v| *v > 0.0)
        .unwrap_or(1.0);
    let color = |v: Option<f64>| match v {
        Some(v) => heat(theme, v / top),
        None => theme.grid,
    };
    let legend = [(
        scale(0.0, top),
        Key::Ramp(ramp(&|t| heat(theme, t), 0.0, 1.0)),
    )];
    let body = header(area, &labels.title, &legend, theme)?;
    let (body_w, body_h) = body.dim_in_pixel();
    let (body_w, body_h) = (f64::from(body_w), f64::from(body_h));

    // Label areas from the widest labels; at most a third of the width for the cohorts.
    let row_names: Vec<String> = matrix
        .iter()
        .map(|r| ellipsize(&r.label, ROW_NAME_MAX_PX, LABEL_PX))
        .collect();
    let row_widest = row_names
        .iter()
        .map(|n| text_width_px(n, LABEL_PX))
        .fold(0.0, f64::max);
    let y_desc_px = if labels.y_axis.is_empty() { 0.0 } else { 22.0 };
    let y_area = (row_widest + 14.0 + y_desc_px).clamp(40.0, (body_w / 3.0).max(40.0));
    let x_area = if labels.x_axis.is_empty() { 28.0 } else { 46.0 };
    // The builder's margins: 12 left and bottom, 24 right, 8 top.
    let plot_w = (body_w - 36.0 - y_area).max(1.0);
    let plot_h = (body_h - 20.0 - x_area).max(1.0);
    let col_widest = text_width_px(&format!("+{}", cols.saturating_sub(1)), LABEL_PX);
    let x_step = label_step(cols, (plot_w / (col_widest + LABEL_GAP_PX)) as usize);
    let y_step = label_step(rows, (plot_h / (LABEL_PX + LABEL_GAP_PX)) as usize);
    // Row r is drawn from the top.
    let bottom = |r: usize| (rows - 1 - r) as f64;
    let x_keys: Vec<f64> = (0..cols).step_by(x_step).map(|c| c as f64 + 0.5).collect();
    let y_keys: Vec<f64> = (0..rows).step_by(y_step).map(|r| bottom(r) + 0.5).collect();
    let index_of = |v: f64, len: usize| {
        let i = v.floor();
        (i >= 0.0 && (i as usize) < len).then_some(i as usize)
    };
    let col_label = |v: &f64| {
        index_of(*v, cols)
            .map(|c| format!("+{c}"))
            .unwrap_or_default()
    };
    let row_label = |v: &f64| {
        index_of(*v, rows)
            .and_then(|b| row_names.get(rows - 1 - b))
            .cloned()
            .unwrap_or_default()
    };
    let mut chart = builder(&body)
        .x_label_area_size(x_area as u32)
        .y_label_area_size(y_area as u32)
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
        .x_label_formatter(&col_label)
        .y_label_formatter(&row_label)
        .draw()?;

    let mut plot = plot_layout(&chart);
    let col_px = (plot.plot_right_px - plot.plot_left_px) / cols as f64;
    let row_px = (plot.plot_bottom_px - plot.plot_top_px) / rows as f64;
    let gap = if col_px >= MIN_GAP_CELL_PX && row_px >= MIN_GAP_CELL_PX {
        CELL_GAP
    } else {
        0.0
    };
    chart.draw_series(drawn().map(|(r, c)| {
        let (x, y) = (c as f64, bottom(r));
        Rectangle::new(
            [(x + gap, y + gap), (x + 1.0 - gap, y + 1.0 - gap)],
            color(value(r, c)).filled(),
        )
    }))?;

    if cols <= MAX_COLUMNS_WITH_VALUES {
        let texts = |short: bool| -> Vec<(usize, usize, String)> {
            drawn()
                .filter_map(|(r, c)| Some((r, c, metric.cell_text(value(r, c)?, short))))
                .collect()
        };
        let fitting = VALUE_PX
            .into_iter()
            .filter(|size| row_px >= size + 3.0)
            .flat_map(|size| [(size, false), (size, true)])
            .find_map(|(size, short)| {
                let texts = texts(short);
                texts
                    .iter()
                    .all(|(_, _, text)| text_width_px(text, size) + 4.0 <= col_px)
                    .then_some((size, texts))
            });
        if let Some((size, texts)) = fitting {
            chart.draw_series(texts.into_iter().map(|(r, c, text)| {
                let mut style = text_style(theme, size).pos(Pos::new(HPos::Center, VPos::Center));
                style.color = text_on(theme, color(value(r, c))).to_backend_color();
                Text::new(text, (c as f64 + 0.5, bottom(r) + 0.5), style)
            }))?;
        }
    }

    let (point_x_px, point_y_px) = (0..rows)
        .flat_map(|r| (0..cols).map(move |c| (r, c)))
        .map(|(r, c)| {
            let (x, y) = chart.backend_coord(&(c as f64 + 0.5, bottom(r) + 0.5));
            (f64::from(x), f64::from(y))
        })
        .unzip();
    plot.point_x_px = point_x_px;
    Ok(ClusterLayout {
        plot,
        point_y_px,
        hover: HoverAxis::Cell,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_steps_are_round_and_keep_labels_within_the_room() {
        assert_eq!(label_step(10, 20), 1);
        assert_eq!(label_step(13, 10), 2);
        assert_eq!(label_step(156, 20), 10);
        assert_eq!(label_step(156, 0), 200);
        assert_eq!(label_step(0, 5), 1);
        assert_eq!(label_step(156, 40), 5);
    }
}
