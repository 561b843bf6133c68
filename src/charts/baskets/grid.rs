//! A rows × columns grid of values on a diverging colour scale: the lift between items, the
//! groups' preference index.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

use super::{header, ramp, Key};
use crate::charts::cluster::ellipsize;
use crate::charts::theme::{diverging, text_on};
use crate::charts::util::{begin, builder, plot_layout, text_style, text_width_px, LABEL_PX};
use crate::charts::{ChartLabels, ChartResult, ChartTheme, ClusterLayout, HoverAxis};

/// Row names longer than this (pixels at their size) end with "…".
const ROW_NAME_MAX_PX: f64 = 130.0;
/// Column names (written upwards under the grid) longer than this end with "…".
const COL_NAME_MAX_PX: f64 = 90.0;
/// Smallest name size, pixels.
const MIN_NAME_PX: f64 = 8.0;
/// Gap around each cell, in cells.
const CELL_GAP: f64 = 0.04;
/// Size of the values written in the cells, pixels (when they fit).
const VALUE_PX: f64 = 10.0;

/// What a grid shows.
pub(super) struct Grid<'a> {
    /// Row names, top to bottom.
    pub rows: &'a [String],
    /// Column names, left to right.
    pub cols: &'a [String],
    /// The value of cell (row, column); `None` leaves it blank.
    pub value: &'a dyn Fn(usize, usize) -> Option<f64>,
    /// Where a value sits on the diverging scale, -1..=1 (clamped), 0 = neutral.
    pub position: &'a dyn Fn(f64) -> f64,
    /// A value as written in its cell.
    pub cell_text: &'a dyn Fn(f64) -> String,
}

/// Draws the grid: each cell with a value filled with [`diverging`] at its position, a blank
/// cell in `theme.grid`, the values written in the cells when they fit; row names (cut with
/// "…") right-aligned on the left, column names written upwards under the grid; with many rows
/// or columns the names get smaller. The legend is a colour ramp from -1 to 1 named `legend`.
///
/// Labels: `title`, `no_data` (drawn when there is no row, no column or no value). Returns each
/// cell's centre (index = row × columns + column), found under the mouse.
pub(super) fn draw_grid<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    grid: &Grid<'_>,
    labels: &ChartLabels,
    legend: &str,
    theme: &ChartTheme,
) -> ChartResult<ClusterLayout> {
    let (rows, cols) = (grid.rows.len(), grid.cols.len());
    let cells = || (0..rows).flat_map(move |r| (0..cols).map(move |c| (r, c)));
    let any = cells().any(|(r, c)| (grid.value)(r, c).is_some());
    if begin(area, labels, theme, !any)? {
        return Ok(ClusterLayout::default());
    }
    let legend = [(
        legend.to_string(),
        Key::Ramp(ramp(&|t| diverging(theme, t), -1.0, 1.0)),
    )];
    let body = header(area, &labels.title, &legend, theme)?;
    let (body_w, body_h) = body.dim_in_pixel();
    let (body_w, body_h) = (f64::from(body_w), f64::from(body_h));
    // The builder's margins: 12 left and bottom, 24 right, 8 top.
    let (margin_w, margin_h) = (36.0, 20.0);
    let name_px = |cell_px: f64| (cell_px - 2.0).clamp(MIN_NAME_PX, LABEL_PX);
    // Names cut by the estimate, then measured by the backend (the estimate runs wide).
    let cut = |names: &[String], max_px: f64, size_px: f64| -> ChartResult<(Vec<String>, f64)> {
        let cut: Vec<String> = names
            .iter()
            .map(|n| ellipsize(n, max_px, size_px))
            .collect();
        let style = text_style(theme, size_px);
        let mut widest = 0.0f64;
        for name in &cut {
            let (w, _) = body.estimate_text_size(name, &style)?;
            widest = widest.max(f64::from(w));
        }
        Ok((cut, widest))
    };
    // Row names at a first guess of the row height, then the columns in the width left, then
    // the rows again in the height left (smaller names only get narrower).
    let row_guess = (body_h - margin_h - COL_NAME_MAX_PX * 0.6) / rows as f64;
    let (_, row_widest) = cut(grid.rows, ROW_NAME_MAX_PX, name_px(row_guess))?;
    let y_area = (row_widest + 10.0).max(24.0);
    let col_px = (body_w - margin_w - y_area) / cols as f64;
    let col_name_px = name_px(col_px);
    let (col_names, col_widest) = cut(grid.cols, COL_NAME_MAX_PX, col_name_px)?;
    let x_area = (col_widest + 10.0).max(20.0);
    let row_px = (body_h - margin_h - x_area) / rows as f64;
    let row_name_px = name_px(row_px).min(name_px(row_guess));
    let (row_names, _) = cut(grid.rows, ROW_NAME_MAX_PX, row_name_px)?;

    let mut chart = builder(&body)
        .x_label_area_size(x_area as u32)
        .y_label_area_size(y_area as u32)
        .build_cartesian_2d(0.0..cols as f64, 0.0..rows as f64)?;
    // Row r is drawn from the top.
    let bottom = |r: usize| (rows - 1 - r) as f64;
    let fill_of = |v: Option<f64>| match v {
        Some(v) => diverging(theme, (grid.position)(v)),
        None => theme.grid,
    };
    chart.draw_series(cells().map(|(r, c)| {
        let (x, y) = (c as f64, bottom(r));
        Rectangle::new(
            [
                (x + CELL_GAP, y + CELL_GAP),
                (x + 1.0 - CELL_GAP, y + 1.0 - CELL_GAP),
            ],
            fill_of((grid.value)(r, c)).filled(),
        )
    }))?;
    // A faint outline, so neutral cells (the background's colour) still show as cells.
    chart.draw_series(cells().map(|(r, c)| {
        let (x, y) = (c as f64, bottom(r));
        Rectangle::new(
            [
                (x + CELL_GAP, y + CELL_GAP),
                (x + 1.0 - CELL_GAP, y + 1.0 - CELL_GAP),
            ],
            theme.grid.stroke_width(1),
        )
    }))?;
    if row_px >= VALUE_PX + 3.0 {
        let texts: Vec<(usize, usize, String)> = cells()
            .filter_map(|(r, c)| Some((r, c, (grid.cell_text)((grid.value)(r, c)?))))
            .collect();
        let fits = texts
            .iter()
            .all(|(_, _, text)| text_width_px(text, VALUE_PX) + 4.0 <= col_px);
        if fits {
            chart.draw_series(texts.into_iter().map(|(r, c, text)| {
                let mut style =
                    text_style(theme, VALUE_PX).pos(Pos::new(HPos::Center, VPos::Center));
                style.color = text_on(theme, fill_of((grid.value)(r, c))).to_backend_color();
                Text::new(text, (c as f64 + 0.5, bottom(r) + 0.5), style)
            }))?;
        }
    }

    let mut plot = plot_layout(&chart);
    let (base_x, base_y) = body.get_base_pixel();
    let row_style = text_style(theme, row_name_px).pos(Pos::new(HPos::Right, VPos::Center));
    for (r, name) in row_names.iter().enumerate() {
        let (_, y) = chart.backend_coord(&(0.0, bottom(r) + 0.5));
        body.draw_text(
            name,
            &row_style,
            (plot.plot_left_px as i32 - base_x - 5, y - base_y),
        )?;
    }
    // Upwards, ending just under the grid.
    let col_style = text_style(theme, col_name_px)
        .transform(FontTransform::Rotate270)
        .pos(Pos::new(HPos::Right, VPos::Center));
    for (c, name) in col_names.iter().enumerate() {
        let (x, _) = chart.backend_coord(&(c as f64 + 0.5, 0.0));
        body.draw_text(
            name,
            &col_style,
            (x - base_x, plot.plot_bottom_px as i32 - base_y + 5),
        )?;
    }

    let (point_x_px, point_y_px) = cells()
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
