//! The header of the segmentation charts and the cohort curves: title, a legend that wraps onto
//! as many rows as it needs (up to 20 segments), and note lines (sample sizes).

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{ellipsize, NAME_MAX_PX};
use crate::charts::theme::toward_background;
use crate::charts::util::{text_style, LABEL_PX, TITLE_PX};
use crate::charts::{ChartResult, ChartTheme};

/// Height of the title row, pixels.
const TITLE_ROW_PX: u32 = 30;
/// Height of one legend row, pixels.
const LEGEND_ROW_PX: u32 = 18;
/// Height of one note line, pixels.
const NOTE_ROW_PX: u32 = 16;
/// Size of the note text, pixels.
const NOTE_PX: f64 = 11.5;
/// Width of a legend swatch, pixels.
const SWATCH_PX: i32 = 14;
/// Gap between a swatch and its name, pixels.
const GAP_PX: i32 = 5;
/// Gap between two legend entries, pixels.
const SPACING_PX: i32 = 16;
/// From this many entries on, names are cut at [`CROWDED_NAME_MAX_PX`].
const CROWDED_LEGEND: usize = 10;
/// Longest name in a crowded legend, pixels (estimated).
const CROWDED_NAME_MAX_PX: f64 = 110.0;
/// Free space kept at each side of the legend, pixels.
const SIDE_PX: i32 = 12;

/// How a legend entry shows its series.
#[derive(Debug, Clone, Copy)]
pub(in crate::charts) enum Mark {
    /// A filled square (bars).
    Bar(RGBColor),
    /// A pale square with an outline (de-emphasised bars: tiny segments).
    Pale(RGBColor),
    /// A solid line.
    Line(RGBColor),
    /// A dashed line (reference lines).
    Dashed(RGBColor),
    /// A filled dot (scatter points).
    Dot(RGBColor),
    /// A ring (highlighted points, centres).
    Ring(RGBColor),
}

/// Draws `title` (when not empty), the `legend` entries (those with an empty name are left out;
/// long names end with "…") wrapped into centred rows, and the non-empty `notes`, one per line,
/// across the top of `area`. Returns the area below them for the plot.
pub(in crate::charts) fn header<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    legend: &[(String, Mark)],
    notes: &[&str],
    theme: &ChartTheme,
) -> ChartResult<DrawingArea<DB, Shift>> {
    let style = text_style(theme, LABEL_PX).pos(Pos::new(HPos::Left, VPos::Center));
    let count = legend.iter().filter(|(name, _)| !name.is_empty()).count();
    // Many entries: shorter names, so more fit a row and the plot keeps its height.
    let name_max_px = if count > CROWDED_LEGEND {
        CROWDED_NAME_MAX_PX
    } else {
        NAME_MAX_PX
    };
    let entries: Vec<(String, Mark)> = legend
        .iter()
        .filter(|(name, _)| !name.is_empty())
        .map(|(name, mark)| (ellipsize(name, name_max_px, LABEL_PX), *mark))
        .collect();
    let notes: Vec<&str> = notes.iter().copied().filter(|n| !n.is_empty()).collect();

    let (w, _) = area.dim_in_pixel();
    let w = i32::try_from(w).unwrap_or(i32::MAX);
    let mut widths = Vec::with_capacity(entries.len());
    for (name, _) in &entries {
        let (tw, _) = area.estimate_text_size(name, &style)?;
        widths.push(SWATCH_PX + GAP_PX + i32::try_from(tw).unwrap_or(0));
    }
    // Rows of entry indices, each as wide as fits.
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut row_w = 0;
    for (i, ew) in widths.iter().enumerate() {
        match rows.last_mut() {
            Some(row) if row_w + SPACING_PX + ew <= w - 2 * SIDE_PX => {
                row.push(i);
                row_w += SPACING_PX + ew;
            }
            _ => {
                rows.push(vec![i]);
                row_w = *ew;
            }
        }
    }

    let title_h = if title.is_empty() { 0 } else { TITLE_ROW_PX };
    let legend_h = LEGEND_ROW_PX * rows.len() as u32;
    let notes_h = NOTE_ROW_PX * notes.len() as u32;
    let total = title_h + legend_h + notes_h;
    if total == 0 {
        return Ok(area.clone());
    }
    let (head, body) = area.split_vertically(total + 4);
    if !title.is_empty() {
        let style = text_style(theme, TITLE_PX).pos(Pos::new(HPos::Center, VPos::Top));
        head.draw_text(title, &style, (w / 2, 8))?;
    }
    let mut y = i32::try_from(title_h).unwrap_or(0) + i32::try_from(LEGEND_ROW_PX / 2).unwrap_or(0);
    for row in &rows {
        let row_w: i32 = row.iter().filter_map(|i| widths.get(*i)).sum::<i32>()
            + SPACING_PX * (row.len() as i32 - 1);
        let mut x = ((w - row_w) / 2).max(0);
        for i in row {
            let (Some((name, mark)), Some(ew)) = (entries.get(*i), widths.get(*i)) else {
                continue;
            };
            draw_mark(&head, *mark, (x, y), theme)?;
            head.draw_text(name, &style, (x + SWATCH_PX + GAP_PX, y))?;
            x += ew + SPACING_PX;
        }
        y += i32::try_from(LEGEND_ROW_PX).unwrap_or(0);
    }
    let note_style = text_style(theme, NOTE_PX)
        .color(&theme.axis)
        .pos(Pos::new(HPos::Center, VPos::Center));
    let mut y = i32::try_from(title_h + legend_h + NOTE_ROW_PX / 2).unwrap_or(0);
    for note in notes {
        head.draw_text(note, &note_style, (w / 2, y))?;
        y += i32::try_from(NOTE_ROW_PX).unwrap_or(0);
    }
    Ok(body)
}

/// One swatch, its left edge at `x`, centred on `y`.
fn draw_mark<DB: DrawingBackend>(
    head: &DrawingArea<DB, Shift>,
    mark: Mark,
    (x, y): (i32, i32),
    theme: &ChartTheme,
) -> ChartResult<()> {
    let mid = x + SWATCH_PX / 2;
    match mark {
        Mark::Bar(c) => head.draw(&Rectangle::new(
            [(x, y - 5), (x + SWATCH_PX, y + 5)],
            c.filled(),
        ))?,
        Mark::Pale(c) => {
            head.draw(&Rectangle::new(
                [(x, y - 5), (x + SWATCH_PX, y + 5)],
                toward_background(theme, c, 0.6).filled(),
            ))?;
            head.draw(&Rectangle::new(
                [(x, y - 5), (x + SWATCH_PX, y + 5)],
                c.stroke_width(1),
            ))?;
        }
        Mark::Line(c) => head.draw(&PathElement::new(
            vec![(x, y), (x + SWATCH_PX, y)],
            c.stroke_width(2),
        ))?,
        Mark::Dashed(c) => {
            for dx in [0, 6, 12] {
                let seg = vec![(x + dx, y), (x + (dx + 3).min(SWATCH_PX), y)];
                head.draw(&PathElement::new(seg, c.stroke_width(2)))?;
            }
        }
        Mark::Dot(c) => head.draw(&Circle::new((mid, y), 4, c.filled()))?,
        Mark::Ring(c) => head.draw(&Circle::new((mid, y), 5, c.stroke_width(2)))?,
    }
    Ok(())
}
