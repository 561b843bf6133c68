//! The lifecycle view's send-timing heatmap: the shares of orders by weekday (rows, Monday at
//! the top) × hour of day (columns 0..23) of a [`SendTimeReport`], for the whole store or one RFM
//! segment; without times of day, one bar per weekday. The page draws through
//! [`draw_sendtime_chart`] on a canvas; native tests and the CLI can do the same on SVG.
//! [`sendtime_readout`] turns a hover position into the readout line, so the component only
//! forwards the mouse.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::baskets::{header, ramp, Key};
use super::theme::heat;
use super::util::{
    begin, builder, plot_layout, text_style, text_width_px, ticked, AXIS_TITLE_PX, LABEL_PX,
};
use super::{ChartLabels, ChartResult, ChartTheme, ClusterLayout, HoverAxis};
use crate::engine::sendtime::SendTimeReport;
use crate::format::percent;
use crate::i18n::{fill, hour_text, segment_name, t, weekday_name, Lang};

/// Rows of the heatmap: the weekdays, Monday first.
const ROWS: usize = 7;
/// Hours between two labelled columns (more when they would not fit).
const HOUR_LABEL_STEP: usize = 3;
/// Gap around each cell, in cells (it holds the highest cell's outline).
const CELL_GAP: f64 = 0.06;
/// Room per hour label: its width plus this, pixels.
const LABEL_GAP_PX: f64 = 6.0;
/// Width of the highest cell's (or bar's) outline, pixels.
const OUTLINE_PX: u32 = 2;
/// The weekday bars' axis runs this much past the longest bar (room for its percent).
const BAR_HEADROOM: f64 = 1.3;

/// The outline of the rectangle between `corners`, as a closed path (SVG keeps its width, which
/// it drops for an unfilled rectangle).
fn frame(corners: [(f64, f64); 2], style: ShapeStyle) -> PathElement<(f64, f64)> {
    let [(x0, y0), (x1, y1)] = corners;
    PathElement::new(
        vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)],
        style,
    )
}

/// The grid shown by `view` (0 = the store's, `i + 1` = `report.segments[i]`'s), if any.
fn view_grid(report: &SendTimeReport, view: usize) -> Option<&[Vec<f64>]> {
    match view {
        0 => Some(&report.grid),
        i => report.segments.get(i - 1).map(|s| s.grid.as_slice()),
    }
}

/// The name of `view` in `lang`: "The whole store" or the segment's name.
fn view_name(report: &SendTimeReport, view: usize, lang: Lang) -> String {
    match view.checked_sub(1) {
        None => t::SENDTIME_STORE.get(lang).to_string(),
        Some(i) => report
            .segments
            .get(i)
            .map(|s| segment_name(lang, s.segment).to_string())
            .unwrap_or_default(),
    }
}

/// The grid's columns (its longest row: 24 hours, or 1 without times).
fn columns(grid: &[Vec<f64>]) -> usize {
    grid.iter().take(ROWS).map(Vec::len).max().unwrap_or(0)
}

/// The finite share at weekday `row`, column `col`.
fn share(grid: &[Vec<f64>], row: usize, col: usize) -> Option<f64> {
    grid.get(row)?.get(col).copied().filter(|v| v.is_finite())
}

/// Draws the send timing of `report` for `view` (0 = the whole store's grid, `i + 1` =
/// `report.segments[i]`'s), in `lang`, with its title ("Orders by weekday and hour", or "Orders
/// by weekday" without times) and a colour-scale legend named after the view ("The whole
/// store: 0.0% – 4.2%").
///
/// - With hours: 7 rows (Monday at the top, labelled with the weekday names) × 24 columns (hours
///   0..23, labelled "00:00", "03:00", … every 3 hours, or fewer when they would not fit), each
///   cell on the theme's [`heat`] ramp from 0 to the highest share, the highest cell outlined.
/// - Without times (one column): one horizontal bar per weekday (Monday at the top), as long as
///   its share and on the same ramp, its percent written beside it, the longest outlined.
///
/// Draws the "no data" text when `report` is `None`, `view` is past the segments, or the grid
/// holds no positive finite share (non-finite shares count as missing). Returns the hover layout
/// ([`sendtime_readout`] reads it): with hours the cells `weekday × 24 + hour`, found under the
/// mouse ([`HoverAxis::Cell`]); without, the weekdays, found by y ([`HoverAxis::Y`]).
pub fn draw_sendtime_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: Option<&SendTimeReport>,
    view: usize,
    lang: Lang,
    theme: &ChartTheme,
) -> ChartResult<ClusterLayout> {
    let grid = report.and_then(|r| view_grid(r, view)).unwrap_or(&[]);
    let (rows, cols) = (grid.len().min(ROWS), columns(grid));
    // Hours unless the grid has a single column (or, with no grid, the file has no times).
    let hours = if cols > 0 {
        cols > 1
    } else {
        report.is_none_or(|r| r.has_times)
    };
    let title = if hours {
        t::SENDTIME_CHART
    } else {
        t::SENDTIME_CHART_WEEKDAYS
    };
    let mut labels = ChartLabels::new(title.get(lang)).no_data(t::NO_DATA.get(lang));
    if hours {
        labels = labels.x_axis(t::SENDTIME_HOUR_AXIS.get(lang));
    }
    let cells = || (0..rows).flat_map(move |r| (0..cols).map(move |c| (r, c)));
    // The highest share (the first such cell, in reading order).
    let highest = cells()
        .filter_map(|(r, c)| Some((r, c, share(grid, r, c)?)))
        .fold(None, |best: Option<(usize, usize, f64)>, cell| match best {
            Some(b) if b.2 >= cell.2 => best,
            _ => Some(cell),
        })
        .filter(|b| b.2 > 0.0);
    let (Some(report), Some((top_r, top_c, top))) = (report, highest) else {
        begin(area, &labels, theme, true)?;
        return Ok(ClusterLayout::default());
    };
    begin(area, &labels, theme, false)?;
    let color = |v: Option<f64>| match v {
        Some(v) => heat(theme, v / top),
        None => theme.grid,
    };
    let scale = fill(
        lang,
        t::CHART_COHORTS_SCALE,
        &[&view_name(report, view, lang), &percent(0.0), &percent(top)],
    );
    let legend = [(scale, Key::Ramp(ramp(&|t| heat(theme, t), 0.0, 1.0)))];
    let body = header(area, &labels.title, &legend, theme)?;
    let body_w = f64::from(body.dim_in_pixel().0);

    let row_names: Vec<&str> = (0..rows)
        .map(|r| weekday_name(lang, u8::try_from(r).unwrap_or(0)))
        .collect();
    let row_widest = row_names
        .iter()
        .map(|n| text_width_px(n, LABEL_PX))
        .fold(0.0, f64::max);
    let y_area = (row_widest + 14.0).clamp(40.0, (body_w / 3.0).max(40.0));
    let x_area = if hours { 46.0 } else { 8.0 };
    // The builder's margins: 12 left and bottom, 24 right, 8 top.
    let plot_w = (body_w - 36.0 - y_area).max(1.0);
    // Row r is drawn from the top.
    let bottom = |r: usize| (rows - 1 - r) as f64;
    let index_of = |v: f64, len: usize| {
        let i = v.floor();
        (i >= 0.0 && (i as usize) < len).then_some(i as usize)
    };
    let row_label = |v: &f64| {
        index_of(*v, rows)
            .and_then(|b| row_names.get(rows - 1 - b))
            .map(|n| n.to_string())
            .unwrap_or_default()
    };
    let y_keys: Vec<f64> = (0..rows).map(|r| bottom(r) + 0.5).collect();
    let outline = theme.text.stroke_width(OUTLINE_PX);

    if !hours {
        // One bar per weekday, its share written beside it.
        let x_max = top * BAR_HEADROOM;
        let mut chart = builder(&body)
            .x_label_area_size(x_area as u32)
            .y_label_area_size(y_area as u32)
            .build_cartesian_2d(
                ticked(0.0..x_max, Vec::new()),
                ticked(0.0..rows as f64, y_keys),
            )?;
        chart
            .configure_mesh()
            .disable_mesh()
            .axis_style(theme.axis)
            .label_style(text_style(theme, LABEL_PX))
            .y_label_formatter(&row_label)
            .draw()?;
        let bar = |r: usize, v: f64| [(0.0, bottom(r) + 0.18), (v, bottom(r) + 0.82)];
        chart.draw_series((0..rows).filter_map(|r| {
            let v = share(grid, r, 0)?;
            Some(Rectangle::new(bar(r, v.max(0.0)), color(Some(v)).filled()))
        }))?;
        // The outline sits just outside the longest bar, against the background.
        let [(_, y0), (_, y1)] = bar(top_r, top);
        let around = [(0.0, y0 - 0.06), (top + x_max * 0.004, y1 + 0.06)];
        chart.draw_series(std::iter::once(frame(around, outline)))?;
        let style = text_style(theme, LABEL_PX).pos(Pos::new(HPos::Left, VPos::Center));
        chart.draw_series((0..rows).filter_map(|r| {
            let v = share(grid, r, 0)?;
            let at = (v.max(0.0) + x_max * 0.015, bottom(r) + 0.5);
            Some(Text::new(percent(v), at, style.clone()))
        }))?;
        let mut plot = plot_layout(&chart);
        let (point_x_px, point_y_px) = (0..rows)
            .map(|r| {
                let v = share(grid, r, 0).unwrap_or(0.0).max(0.0);
                let (x, y) = chart.backend_coord(&(v, bottom(r) + 0.5));
                (f64::from(x), f64::from(y))
            })
            .unzip();
        plot.point_x_px = point_x_px;
        return Ok(ClusterLayout {
            plot,
            point_y_px,
            hover: HoverAxis::Y,
        });
    }

    // Hour labels every 3 hours, or every 6, 12 when those would crowd.
    let label_w = text_width_px(&hour_text(0), LABEL_PX) + LABEL_GAP_PX;
    let col_px = plot_w / cols as f64;
    let x_step = [HOUR_LABEL_STEP, 6, 12, 24]
        .into_iter()
        .find(|step| col_px * *step as f64 >= label_w)
        .unwrap_or(24);
    let x_keys: Vec<f64> = (0..cols).step_by(x_step).map(|c| c as f64 + 0.5).collect();
    let col_label = |v: &f64| {
        index_of(*v, cols)
            .and_then(|c| u8::try_from(c).ok())
            .map(hour_text)
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
        .x_label_formatter(&col_label)
        .y_label_formatter(&row_label)
        .draw()?;
    chart.draw_series(cells().map(|(r, c)| {
        let (x, y) = (c as f64, bottom(r));
        Rectangle::new(
            [
                (x + CELL_GAP, y + CELL_GAP),
                (x + 1.0 - CELL_GAP, y + 1.0 - CELL_GAP),
            ],
            color(share(grid, r, c)).filled(),
        )
    }))?;
    let (x, y) = (top_c as f64, bottom(top_r));
    chart.draw_series(std::iter::once(frame(
        [(x, y), (x + 1.0, y + 1.0)],
        outline,
    )))?;
    let mut plot = plot_layout(&chart);
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

/// The hover readout at (`x_px`, `y_px`) on a chart of `report` and `view` drawn with `layout`,
/// in `lang`: "Tuesday 09:00: 4.2% of orders" for the cell under the mouse, "Tuesday: 16.0% of
/// orders" for a weekday's bar without times. `None` off every target or on a missing share.
pub fn sendtime_readout(
    report: Option<&SendTimeReport>,
    view: usize,
    layout: &ClusterLayout,
    (x_px, y_px): (f64, f64),
    lang: Lang,
) -> Option<String> {
    let grid = view_grid(report?, view)?;
    let cols = columns(grid);
    if cols == 0 {
        return None;
    }
    let index = layout.nearest(x_px, y_px)?;
    let (row, col) = match layout.hover {
        HoverAxis::Y => (index, 0),
        _ => (index / cols, index % cols),
    };
    if row >= ROWS {
        return None;
    }
    let value = share(grid, row, col)?;
    let weekday = weekday_name(lang, u8::try_from(row).ok()?);
    Some(if layout.hover == HoverAxis::Y {
        fill(lang, t::SENDTIME_HOVER_WEEKDAY, &[weekday, &percent(value)])
    } else {
        let hour = hour_text(u8::try_from(col).ok()?);
        fill(lang, t::SENDTIME_HOVER, &[weekday, &hour, &percent(value)])
    })
}
