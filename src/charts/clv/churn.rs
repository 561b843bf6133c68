//! Customers per churn-risk band, by RFM segment, as horizontal stacked bars.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::charts::util::{
    begin, builder, header, nice_ticks, text_style, text_width_px, ticked, Swatch, AXIS_TITLE_PX,
    LABEL_PX,
};
use crate::charts::{ChartLabels, ChartResult, ChartTheme};
use crate::engine::clv::SegmentChurn;
use crate::format::compact;

/// Draws one row per entry of `rows` (first at the top): a bar of its customers split into the
/// low-, medium- and high-risk bands (left to right, `theme.risk`), with the total at its end.
///
/// `segment_names` are the localised names indexed by [`crate::engine::rfm::Segment::index`]; a
/// missing name shows the segment's 1-based position. Labels: `title`, `x_axis` (customers),
/// `y_axis`, `series[0..3]` (the bands, for the legend), `no_data` (drawn when no row has a
/// customer). Rows without customers are left out.
pub(super) fn draw_churn_by_segment<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[SegmentChurn],
    segment_names: &[String],
    labels: &ChartLabels,
    theme: &ChartTheme,
) -> ChartResult<()> {
    let total = |r: &SegmentChurn| r.customers.iter().map(|c| *c as f64).sum::<f64>();
    let rows: Vec<&SegmentChurn> = rows.iter().filter(|r| total(r) > 0.0).collect();
    if begin(area, labels, theme, rows.is_empty())? {
        return Ok(());
    }
    let n = rows.len();
    let names: Vec<String> = rows
        .iter()
        .map(|r| {
            let i = r.segment.index();
            segment_names
                .get(i)
                .cloned()
                .unwrap_or_else(|| (i + 1).to_string())
        })
        .collect();
    let name_px = names
        .iter()
        .map(|s| text_width_px(s, LABEL_PX))
        .fold(0.0, f64::max);
    let y_area =
        (name_px + 16.0).clamp(40.0, 220.0) as u32 + if labels.y_axis.is_empty() { 0 } else { 20 };

    let max = rows.iter().map(|r| total(r)).fold(0.0, f64::max);
    // Room on the right for the totals.
    let hi = max * 1.12;
    let keys: Vec<f64> = (0..n).map(|i| i as f64 + 0.5).collect();
    let row_label = |y: &f64| -> String {
        let from_top = n as f64 - 1.0 - y.floor();
        if from_top < 0.0 {
            return String::new();
        }
        names.get(from_top as usize).cloned().unwrap_or_default()
    };

    let legend: Vec<(&str, Swatch)> = (0..3)
        .map(|k| (labels.series_name(k), Swatch::Bar(theme.risk[k])))
        .collect();
    let body = header(area, labels, theme, &legend)?;
    let mut chart = builder(&body)
        .x_label_area_size(if labels.x_axis.is_empty() { 28 } else { 46 })
        .y_label_area_size(y_area)
        .build_cartesian_2d(
            ticked(0.0..hi, nice_ticks(0.0, max, 6)),
            ticked(0.0..n as f64, keys),
        )?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .max_light_lines(0)
        .bold_line_style(theme.grid)
        .axis_style(theme.axis)
        .label_style(text_style(theme, LABEL_PX))
        .axis_desc_style(text_style(theme, AXIS_TITLE_PX))
        .x_desc(labels.x_axis.as_str())
        .y_desc(labels.y_axis.as_str())
        .x_label_formatter(&|v: &f64| compact(*v))
        .y_label_formatter(&row_label)
        .draw()?;

    for (band, color) in theme.risk.iter().enumerate() {
        let bars = rows.iter().enumerate().filter_map(|(i, row)| {
            let before: f64 = row.customers.iter().take(band).map(|c| *c as f64).sum();
            let count = row.customers.get(band).copied().unwrap_or(0);
            if count == 0 {
                return None;
            }
            let base = (n - 1 - i) as f64;
            Some(Rectangle::new(
                [(before, base + 0.18), (before + count as f64, base + 0.82)],
                color.filled(),
            ))
        });
        chart.draw_series(bars)?;
    }
    let style = text_style(theme, LABEL_PX).pos(Pos::new(HPos::Left, VPos::Center));
    chart.draw_series(rows.iter().enumerate().map(|(i, row)| {
        let base = (n - 1 - i) as f64;
        let sum = total(row);
        Text::new(compact(sum), (sum + max * 0.01, base + 0.5), style.clone())
    }))?;
    Ok(())
}
