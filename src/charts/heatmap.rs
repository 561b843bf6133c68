//! The recency-by-frequency heatmap.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::theme::{heat, text_on};
use super::util::{begin, builder, centered, header, text_style, ticked, AXIS_TITLE_PX, LABEL_PX};
use super::{ChartLabels, ChartResult, ChartTheme};
use crate::engine::rfm::RfHeatmapCell;
use crate::format::compact;

/// Scores run 1..=5 on both axes.
const SCORES: usize = 5;

/// Customers and summed monetary value of one (R, F) cell.
#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    customers: u64,
    monetary_sum: f64,
}

/// Draws the 5×5 grid: x = F score 1..5 (left to right), y = R score 1..5 (5 at the top), each
/// cell coloured by its customers (`theme.heat_low` for none to `theme.heat_high` for the
/// fullest) and annotated with its customer count and, when not empty, its mean monetary value
/// (compact). Cells with a score outside 1..=5 are ignored; repeated cells are merged.
///
/// Labels: `title`, `x_axis` (F score), `y_axis` (R score), `no_data` (drawn when no cell holds
/// a customer). No colour legend: the counts are written in the cells.
pub fn draw_rf_heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    cells: &[RfHeatmapCell],
    labels: &ChartLabels,
    theme: &ChartTheme,
) -> ChartResult<()> {
    let grid = collect(cells);
    let max = grid
        .iter()
        .flatten()
        .map(|c| c.customers)
        .max()
        .unwrap_or(0);
    if begin(area, labels, theme, max == 0)? {
        return Ok(());
    }

    let keys: Vec<f64> = (0..SCORES).map(|i| i as f64 + 0.5).collect();
    let score_label = |v: &f64| format!("{}", v.floor() + 1.0);
    let body = header(area, labels, theme, &[])?;
    let mut chart = builder(&body)
        .x_label_area_size(if labels.x_axis.is_empty() { 28 } else { 46 })
        .y_label_area_size(if labels.y_axis.is_empty() { 28 } else { 46 })
        .build_cartesian_2d(
            ticked(0.0..SCORES as f64, keys.clone()),
            ticked(0.0..SCORES as f64, keys),
        )?;
    chart
        .configure_mesh()
        .disable_mesh()
        .axis_style(theme.axis)
        .label_style(text_style(theme, LABEL_PX))
        .axis_desc_style(text_style(theme, AXIS_TITLE_PX))
        .x_desc(labels.x_axis.as_str())
        .y_desc(labels.y_axis.as_str())
        .x_label_formatter(&score_label)
        .y_label_formatter(&score_label)
        .draw()?;

    let placed = || {
        grid.iter().enumerate().flat_map(|(r, row)| {
            row.iter()
                .enumerate()
                .map(move |(f, cell)| (r as f64, f as f64, *cell))
        })
    };
    let fill_of = |cell: Cell| heat(theme, cell.customers as f64 / max as f64);
    chart.draw_series(placed().map(|(r, f, cell)| {
        Rectangle::new(
            [(f + 0.02, r + 0.02), (f + 0.98, r + 0.98)],
            fill_of(cell).filled(),
        )
    }))?;
    chart.draw_series(placed().map(|(r, f, cell)| {
        let mut style = centered(text_style(theme, 14.0));
        style.color = text_on(theme, fill_of(cell)).to_backend_color();
        let y = if cell.customers > 0 {
            r + 0.62
        } else {
            r + 0.5
        };
        Text::new(compact(cell.customers as f64), (f + 0.5, y), style)
    }))?;
    chart.draw_series(
        placed()
            .filter(|(_, _, cell)| cell.customers > 0)
            .map(|(r, f, cell)| {
                let mut style = centered(text_style(theme, 11.0));
                style.color = text_on(theme, fill_of(cell)).to_backend_color();
                let mean = cell.monetary_sum / cell.customers as f64;
                Text::new(compact(mean), (f + 0.5, r + 0.32), style)
            }),
    )?;
    Ok(())
}

/// `grid[r-1][f-1]`: the cells by score, merged, with non-finite monetary means counted as 0.
fn collect(cells: &[RfHeatmapCell]) -> [[Cell; SCORES]; SCORES] {
    let mut grid = [[Cell::default(); SCORES]; SCORES];
    for c in cells {
        let (Some(r), Some(f)) = (
            usize::from(c.r_score).checked_sub(1),
            usize::from(c.f_score).checked_sub(1),
        ) else {
            continue;
        };
        let Some(slot) = grid.get_mut(r).and_then(|row| row.get_mut(f)) else {
            continue;
        };
        slot.customers = slot.customers.saturating_add(c.customers);
        if c.mean_monetary.is_finite() {
            slot.monetary_sum += c.mean_monetary * c.customers as f64;
        }
    }
    grid
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(r: u8, f: u8, customers: u64, mean_monetary: f64) -> RfHeatmapCell {
        RfHeatmapCell {
            r_score: r,
            f_score: f,
            customers,
            mean_monetary,
        }
    }

    #[test]
    fn collect_places_merges_and_ignores_bad_scores() {
        let grid = collect(&[
            cell(5, 1, 3, 10.0),
            cell(5, 1, 1, 50.0),
            cell(0, 2, 9, 1.0),
            cell(6, 2, 9, 1.0),
            cell(1, 5, 2, f64::NAN),
        ]);
        assert_eq!(grid[4][0].customers, 4);
        assert!((grid[4][0].monetary_sum - 80.0).abs() < 1e-9);
        assert_eq!(grid[0][4].customers, 2);
        assert_eq!(grid[0][4].monetary_sum, 0.0);
        let total: u64 = grid.iter().flatten().map(|c| c.customers).sum();
        assert_eq!(total, 6);
    }
}
