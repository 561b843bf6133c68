//! The lifecycle view's tier migration: a two-column Sankey of a [`TierReport`]'s migration
//! matrix. The left column holds the states one window earlier (tiers, highest first, then "no
//! purchase", then "not yet a customer"), the right column the states now (tiers, highest first,
//! then "no purchase"); a band runs from each earlier state to each state now that customers
//! moved between, as wide as their number and coloured by the movement. The page draws through
//! [`draw_tier_chart`] on a canvas; native tests and the CLI can do the same on SVG.
//! [`tier_readout`] turns a hover position into the readout line, so the component only
//! forwards the mouse.
//!
//! The geometry is a pure function of the report and the plot rectangle (bar columns at its left
//! and right edges), so the readout rebuilds it from [`ClusterLayout::plot`] and tests which band
//! or bar lies under the mouse exactly, rather than the nearest point.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::cluster::ellipsize;
use super::cluster::legend::{header, Mark};
use super::theme::{heat, toward_background};
use super::util::{begin, text_style, text_width_px, LABEL_PX};
use super::{ChartLabels, ChartResult, ChartTheme, ClusterLayout, HoverAxis, PlotLayout};
use crate::engine::calendar::iso_day;
use crate::engine::tiers::{Movement, TierReport, TierState, MAX_THRESHOLDS};
use crate::format::grouped;
use crate::i18n::{fill, movement_name, t, tier_name, Lang, Text};

/// Width of a column of node bars, pixels (less on a very narrow plot).
const BAR_PX: f64 = 14.0;
/// Gap between two nodes of a column, pixels (less on a very short plot).
const GAP_PX: f64 = 8.0;
/// Height drawn for a node without customers (a thin tick), pixels.
const TICK_PX: f64 = 2.0;
/// Space between a bar and its label, pixels.
const LABEL_PAD_PX: f64 = 6.0;
/// Least vertical distance between two labels' centres, pixels.
const LABEL_SPACING_PX: f64 = LABEL_PX + 2.0;
/// Each column of labels takes at most this share of the chart's width.
const LABEL_MAX_SHARE: f64 = 0.3;
/// Height of the row of column headings (the two dates), pixels.
const HEADING_PX: f64 = 22.0;
/// Space below the plot, pixels.
const BOTTOM_PX: f64 = 10.0;
/// Straight segments per band edge.
const CURVE_STEPS: usize = 32;
/// Opacity of the bands.
const FLOW_OPACITY: f64 = 0.6;
/// How far outside a band or bar the mouse may be and still read it (thin bands), pixels.
const HIT_SLACK_PX: f64 = 3.0;

/// The tiers drawn: the report's, at most [`MAX_THRESHOLDS`] + 1.
fn tier_count(report: &TierReport) -> usize {
    report.tiers.len().min(MAX_THRESHOLDS + 1)
}

/// The earlier states, top to bottom: tiers highest first, then inactive, then not yet.
fn before_states(tiers: usize) -> Vec<TierState> {
    (0..tiers)
        .rev()
        .map(|t| TierState::Tier(t as u8))
        .chain([TierState::Inactive, TierState::NotYet])
        .collect()
}

/// The states now, top to bottom: tiers highest first, then inactive (`None`).
fn now_states(tiers: usize) -> Vec<Option<u8>> {
    (0..tiers)
        .rev()
        .map(|t| Some(t as u8))
        .chain([None])
        .collect()
}

/// The matrix cell of customers moving from `before` to `now` (0 when the matrix lacks it).
fn cell(report: &TierReport, before: TierState, now: Option<u8>) -> u64 {
    let row = match before {
        TierState::NotYet => 0,
        TierState::Inactive => 1,
        TierState::Tier(t) => 2 + usize::from(t),
    };
    let col = now.map_or(0, |t| 1 + usize::from(t));
    report
        .matrix
        .get(row)
        .and_then(|r| r.get(col))
        .copied()
        .unwrap_or(0)
}

/// The name of an earlier state.
fn before_name(lang: Lang, state: TierState) -> &'static str {
    match state {
        TierState::NotYet => t::TIER_NOT_YET.get(lang),
        TierState::Inactive => t::TIER_INACTIVE.get(lang),
        TierState::Tier(tier) => tier_name(lang, tier),
    }
}

/// The name of a state now.
fn now_name(lang: Lang, state: Option<u8>) -> &'static str {
    state.map_or(t::TIER_INACTIVE.get(lang), |tier| tier_name(lang, tier))
}

/// The sum of `counts`, saturating (absurd counts must not panic).
fn total(counts: impl IntoIterator<Item = u64>) -> u64 {
    counts.into_iter().fold(0, u64::saturating_add)
}

/// A customer count as written on the chart: "1,234".
fn count_text(count: u64) -> String {
    grouped(count as f64, 0, ',')
}

/// The colour of a movement's bands (and legend swatch).
fn movement_color(theme: &ChartTheme, m: Movement) -> RGBColor {
    match m {
        Movement::Up => theme.accent,
        Movement::Down => theme.accent2,
        Movement::Same => theme.axis,
        Movement::New => theme.cluster_color(2),
        Movement::Lapsed => theme.cluster_color(3),
        Movement::Reactivated => theme.cluster_color(6),
        Movement::Dormant => toward_background(theme, theme.axis, 0.5),
    }
}

/// One bar of a column, its pixel span (`bottom == top` without customers).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Node {
    count: u64,
    top: f64,
    bottom: f64,
}

/// One band: which earlier node (left index) to which node now (right index), its customers, and
/// its pixel span at the left and the right column.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Flow {
    from: usize,
    to: usize,
    count: u64,
    left: (f64, f64),
    right: (f64, f64),
}

/// What lies under the mouse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// A band, by index into [`Sankey::flows`].
    Flow(usize),
    /// An earlier node, by left index.
    Before(usize),
    /// A node now, by right index.
    Now(usize),
}

/// The chart's geometry in the backend's pixels.
#[derive(Debug, Clone, PartialEq)]
struct Sankey {
    before: Vec<TierState>,
    now: Vec<Option<u8>>,
    left: Vec<Node>,
    right: Vec<Node>,
    /// Non-empty bands, by left node then right node (top to bottom).
    flows: Vec<Flow>,
    /// Indices into `flows` in drawing order: widest first, so narrow bands stay on top.
    order: Vec<usize>,
    /// Left column's bars: from `x_left` to `x_left + bar`; right column's: `x_right - bar` to
    /// `x_right`.
    x_left: f64,
    x_right: f64,
    bar: f64,
}

/// Where a band edge running from `a` (left) to `b` (right) is at `u` in 0..=1 across: a
/// smoothstep, the shape of a cubic Bézier with horizontal tangents at both ends.
fn edge(a: f64, b: f64, u: f64) -> f64 {
    let u = u.clamp(0.0, 1.0);
    a + (b - a) * u * u * (3.0 - 2.0 * u)
}

/// Stacks `counts` top to bottom in `top..=top + height` at `scale` pixels per customer, `gap`
/// apart, centred vertically.
fn stack(counts: &[u64], scale: f64, gap: f64, top: f64, height: f64) -> Vec<Node> {
    let used =
        total(counts.iter().copied()) as f64 * scale + gap * counts.len().saturating_sub(1) as f64;
    let mut y = top + ((height - used) / 2.0).max(0.0);
    counts
        .iter()
        .map(|&count| {
            let node = Node {
                count,
                top: y,
                bottom: y + count as f64 * scale,
            };
            y = node.bottom + gap;
            node
        })
        .collect()
}

impl Sankey {
    /// The geometry of `report` with the bars at the left and right edges of `plot`; `None`
    /// without customers or room.
    fn new(report: &TierReport, plot: &PlotLayout) -> Option<Self> {
        let (left, right) = (plot.plot_left_px, plot.plot_right_px);
        let (top, bottom) = (plot.plot_top_px, plot.plot_bottom_px);
        let (width, height) = (right - left, bottom - top);
        if !(width.is_finite() && height.is_finite() && width > 12.0 && height > 8.0) {
            return None;
        }
        let tiers = tier_count(report);
        let before = before_states(tiers);
        let now = now_states(tiers);
        let counts: Vec<Vec<u64>> = before
            .iter()
            .map(|&b| now.iter().map(|&n| cell(report, b, n)).collect())
            .collect();
        let left_counts: Vec<u64> = counts
            .iter()
            .map(|row| total(row.iter().copied()))
            .collect();
        let right_counts: Vec<u64> = (0..now.len())
            .map(|j| total(counts.iter().map(|row| row[j])))
            .collect();
        let customers = total(left_counts.iter().copied());
        if customers == 0 {
            return None;
        }
        let gaps = before.len().max(now.len()).saturating_sub(1) as f64;
        let gap = GAP_PX.min(height * 0.25 / gaps.max(1.0));
        let scale = (height - gap * gaps) / customers as f64;
        if !(scale.is_finite() && scale > 0.0) {
            return None;
        }
        let left_nodes = stack(&left_counts, scale, gap, top, height);
        let right_nodes = stack(&right_counts, scale, gap, top, height);

        // Each node's bands stacked top to bottom in the other column's order.
        let mut out_cursor: Vec<f64> = left_nodes.iter().map(|n| n.top).collect();
        let mut in_cursor: Vec<f64> = right_nodes.iter().map(|n| n.top).collect();
        let mut flows = Vec::new();
        for (i, row) in counts.iter().enumerate() {
            for (j, &count) in row.iter().enumerate() {
                if count == 0 {
                    continue;
                }
                let h = count as f64 * scale;
                let l = (out_cursor[i], out_cursor[i] + h);
                out_cursor[i] += h;
                let r = (in_cursor[j], in_cursor[j] + h);
                in_cursor[j] += h;
                flows.push(Flow {
                    from: i,
                    to: j,
                    count,
                    left: l,
                    right: r,
                });
            }
        }
        let mut order: Vec<usize> = (0..flows.len()).collect();
        order.sort_by(|&a, &b| flows[b].count.cmp(&flows[a].count));
        let bar = BAR_PX.min(width / 6.0);
        Some(Self {
            before,
            now,
            left: left_nodes,
            right: right_nodes,
            flows,
            order,
            x_left: left,
            x_right: right,
            bar,
        })
    }

    /// Where the bands start (the left bars' right edge) and end (the right bars' left edge).
    fn band_x(&self) -> (f64, f64) {
        (self.x_left + self.bar, self.x_right - self.bar)
    }

    /// Band `flow`'s top and bottom edge at pixel x `x` (clamped to the band's run).
    fn band_at(&self, flow: &Flow, x: f64) -> (f64, f64) {
        let (x0, x1) = self.band_x();
        let u = if x1 > x0 { (x - x0) / (x1 - x0) } else { 0.5 };
        (
            edge(flow.left.0, flow.right.0, u),
            edge(flow.left.1, flow.right.1, u),
        )
    }

    /// The band's outline as a polygon: along the top edge left to right, back along the bottom.
    fn band_polygon(&self, flow: &Flow) -> Vec<(f64, f64)> {
        let (x0, x1) = self.band_x();
        let xs: Vec<f64> = (0..=CURVE_STEPS)
            .map(|k| x0 + (x1 - x0) * k as f64 / CURVE_STEPS as f64)
            .collect();
        let top = xs.iter().map(|&x| (x, self.band_at(flow, x).0));
        let bottom = xs.iter().rev().map(|&x| (x, self.band_at(flow, x).1));
        top.chain(bottom).collect()
    }

    /// What lies under (`x`, `y`): a bar (or the thin tick of an empty node), else the band drawn
    /// on top there; a band or bar thinner than the mouse is read within [`HIT_SLACK_PX`].
    fn hit(&self, x: f64, y: f64) -> Option<Target> {
        if !(x.is_finite() && y.is_finite()) {
            return None;
        }
        let in_node = |node: &Node| {
            let half = ((node.bottom - node.top) / 2.0).max(TICK_PX / 2.0) + HIT_SLACK_PX;
            ((node.top + node.bottom) / 2.0 - y).abs() <= half
        };
        let slack = HIT_SLACK_PX;
        if x >= self.x_left - slack && x <= self.x_left + self.bar + slack {
            if let Some(i) = self.left.iter().position(in_node) {
                return Some(Target::Before(i));
            }
        }
        if x >= self.x_right - self.bar - slack && x <= self.x_right + slack {
            if let Some(j) = self.right.iter().position(in_node) {
                return Some(Target::Now(j));
            }
        }
        let (x0, x1) = self.band_x();
        if x < x0 || x > x1 {
            return None;
        }
        // The topmost band containing the point, else the closest within the slack.
        let mut best: Option<(usize, f64)> = None;
        for &k in &self.order {
            let (top, bottom) = self.band_at(&self.flows[k], x);
            let distance = if (top..=bottom).contains(&y) {
                0.0
            } else {
                (top - y).abs().min((bottom - y).abs())
            };
            if distance <= slack && best.is_none_or(|(_, d)| distance <= d) {
                best = Some((k, distance));
            }
        }
        best.map(|(k, _)| Target::Flow(k))
    }

    /// A point where the readout names band `k`: the middle of the band at the first of a few
    /// positions across that no band drawn later covers (its middle when all are covered).
    fn flow_anchor(&self, k: usize) -> (f64, f64) {
        let (x0, x1) = self.band_x();
        let flow = &self.flows[k];
        let at = |u: f64| {
            let x = x0 + (x1 - x0) * u;
            let (top, bottom) = self.band_at(flow, x);
            (x, (top + bottom) / 2.0)
        };
        [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9, 0.05, 0.95]
            .into_iter()
            .map(at)
            .find(|&(x, y)| self.hit(x, y) == Some(Target::Flow(k)))
            .unwrap_or_else(|| at(0.5))
    }

    /// The hover targets' pixel points: each band's anchor (in [`Sankey::flows`] order), then the
    /// earlier bars' centres top to bottom, then the bars now.
    fn anchors(&self) -> Vec<(f64, f64)> {
        let mid = |n: &Node| (n.top + n.bottom) / 2.0;
        (0..self.flows.len())
            .map(|k| self.flow_anchor(k))
            .chain(
                self.left
                    .iter()
                    .map(|n| (self.x_left + self.bar / 2.0, mid(n))),
            )
            .chain(
                self.right
                    .iter()
                    .map(|n| (self.x_right - self.bar / 2.0, mid(n))),
            )
            .collect()
    }

    /// The movement of band `flow`.
    fn movement(&self, flow: &Flow) -> Movement {
        Movement::between(self.before[flow.from], self.now[flow.to])
    }
}

/// A node label: "Gold 1,234", the name cut with "…" to fit `max_px` pixels.
fn node_label(name: &str, count: u64, max_px: f64) -> String {
    let count = count_text(count);
    let room = max_px - text_width_px(&count, LABEL_PX) - text_width_px(" ", LABEL_PX);
    format!("{} {count}", ellipsize(name, room.max(LABEL_PX), LABEL_PX))
}

/// Label centres near `wanted` (top to bottom) moved apart to at least [`LABEL_SPACING_PX`],
/// kept within `top..=bottom` where there is room.
fn spread(wanted: &[f64], top: f64, bottom: f64) -> Vec<f64> {
    let mut ys = wanted.to_vec();
    for k in 1..ys.len() {
        ys[k] = ys[k].max(ys[k - 1] + LABEL_SPACING_PX);
    }
    if let Some(last) = ys.last_mut() {
        *last = last.min(bottom);
    }
    for k in (0..ys.len().saturating_sub(1)).rev() {
        ys[k] = ys[k].min(ys[k + 1] - LABEL_SPACING_PX);
    }
    if let Some(first) = ys.first_mut() {
        *first = first.max(top);
    }
    for k in 1..ys.len() {
        ys[k] = ys[k].max(ys[k - 1] + LABEL_SPACING_PX);
    }
    ys
}

/// Draws the tier migration of `report` in `lang`; the title ([`t::TIERS_CHART`]) is left to
/// the caller unless `with_title`.
///
/// Two columns of bars, heights in proportion to customers with small gaps: on the left the
/// states one window earlier ([`TierReport::earlier_day`], its date above), top to bottom the
/// tiers highest first, "no purchase" and "not yet a customer"; on the right the states at
/// [`TierReport::as_of_day`]: the tiers highest first and "no purchase". Tiers are coloured on
/// the heat ramp (higher darker), the other states grey; a state without customers is a thin
/// tick. Each bar is labelled with its name and customers ("Gold 1,234"), outside the columns.
/// A band runs from each earlier state to each state now that customers moved between
/// ([`TierReport::matrix`]), as wide as their number, coloured by the [`Movement`] with a legend
/// of the movements shown; empty cells draw no band.
///
/// Draws the "no data" text when `report` is `None` or its matrix holds no customer. Returns the
/// hover layout (see [`ClusterLayout`]; [`tier_readout`] reads it): the plot rectangle runs from
/// the left bars' left edge to the right bars' right edge; the targets are the bands (by earlier
/// state, then state now, both top to bottom; non-empty ones only), then the earlier bars and the
/// bars now, top to bottom, each at a point where the readout names it ([`HoverAxis::Both`]).
pub fn draw_tier_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    report: Option<&TierReport>,
    lang: Lang,
    theme: &ChartTheme,
    with_title: bool,
) -> ChartResult<ClusterLayout> {
    let l = |text: Text| text.get(lang).to_string();
    let title = if with_title {
        l(t::TIERS_CHART)
    } else {
        String::new()
    };
    let labels = ChartLabels::new(title).no_data(l(t::NO_DATA));
    let customers = report.map_or(0, |r| {
        let tiers = tier_count(r);
        total(
            before_states(tiers)
                .into_iter()
                .flat_map(|b| now_states(tiers).into_iter().map(move |n| (b, n)))
                .map(|(b, n)| cell(r, b, n)),
        )
    });
    let report = match report {
        Some(r) if customers > 0 => r,
        _ => {
            begin(area, &labels, theme, true)?;
            return Ok(ClusterLayout::default());
        }
    };
    begin(area, &labels, theme, false)?;
    let tiers = tier_count(report);

    // Legend: the movements with a band, in the report's order.
    let shown: Vec<Movement> = Movement::ALL
        .into_iter()
        .filter(|&m| {
            before_states(tiers).into_iter().any(|b| {
                now_states(tiers)
                    .into_iter()
                    .any(|n| Movement::between(b, n) == m && cell(report, b, n) > 0)
            })
        })
        .collect();
    let legend: Vec<(String, Mark)> = shown
        .iter()
        .map(|&m| {
            (
                movement_name(lang, m).to_string(),
                Mark::Bar(movement_color(theme, m)),
            )
        })
        .collect();
    let body = header(area, &labels.title, &legend, &[], theme)?;

    // Label columns as wide as their longest label (estimated), within a share of the width.
    let (bx, by) = body.get_base_pixel();
    let (bw, bh) = body.dim_in_pixel();
    let (bx, by, bw, bh) = (f64::from(bx), f64::from(by), f64::from(bw), f64::from(bh));
    let (aw, ah) = area.dim_in_pixel();
    if bw > f64::from(aw) || bh > f64::from(ah) {
        // The header took more than the whole area (a tiny canvas): nothing else fits.
        return Ok(ClusterLayout::default());
    }
    let max_label = bw * LABEL_MAX_SHARE;
    let widest = |names: Vec<(&str, u64)>| {
        names
            .into_iter()
            .map(|(name, count)| text_width_px(&node_label(name, count, max_label), LABEL_PX))
            .fold(0.0, f64::max)
    };
    let before = before_states(tiers);
    let now = now_states(tiers);
    let before_counts: Vec<u64> = before
        .iter()
        .map(|&b| total(now.iter().map(|&n| cell(report, b, n))))
        .collect();
    let now_counts: Vec<u64> = now
        .iter()
        .map(|&n| total(before.iter().map(|&b| cell(report, b, n))))
        .collect();
    let left_w = widest(
        before
            .iter()
            .zip(&before_counts)
            .map(|(&s, &c)| (before_name(lang, s), c))
            .collect(),
    );
    let right_w = widest(
        now.iter()
            .zip(&now_counts)
            .map(|(&s, &c)| (now_name(lang, s), c))
            .collect(),
    );
    let plot = PlotLayout {
        plot_left_px: (bx + 8.0 + left_w + LABEL_PAD_PX).round(),
        plot_right_px: (bx + bw - 8.0 - right_w - LABEL_PAD_PX).round(),
        plot_top_px: (by + HEADING_PX).round(),
        plot_bottom_px: (by + bh - BOTTOM_PX).round(),
        point_x_px: Vec::new(),
    };
    let Some(sankey) = Sankey::new(report, &plot) else {
        // Customers, but no room to draw them.
        return Ok(ClusterLayout::default());
    };

    // Body-local whole pixels.
    let px = |x: f64, y: f64| {
        let at = |v: f64| v.round().clamp(-1e6, 1e6) as i32;
        (at(x - bx), at(y - by))
    };

    // Column headings: the two dates.
    let heading = text_style(theme, LABEL_PX)
        .color(&theme.axis)
        .pos(Pos::new(HPos::Center, VPos::Center));
    let heading_y = by + HEADING_PX / 2.0;
    body.draw_text(
        &iso_day(report.earlier_day),
        &heading,
        px(sankey.x_left + sankey.bar / 2.0, heading_y),
    )?;
    body.draw_text(
        &iso_day(report.as_of_day),
        &heading,
        px(sankey.x_right - sankey.bar / 2.0, heading_y),
    )?;

    // Bands, widest first.
    for &k in &sankey.order {
        let flow = &sankey.flows[k];
        let color = movement_color(theme, sankey.movement(flow));
        let thickness = (flow.left.1 - flow.left.0).min(flow.right.1 - flow.right.0);
        if thickness >= 1.0 {
            let points: Vec<(i32, i32)> = sankey
                .band_polygon(flow)
                .into_iter()
                .map(|(x, y)| px(x, y))
                .collect();
            body.draw(&Polygon::new(points, color.mix(FLOW_OPACITY).filled()))?;
        } else {
            // Thinner than a pixel: its centre line.
            let (x0, x1) = sankey.band_x();
            let line: Vec<(i32, i32)> = (0..=CURVE_STEPS)
                .map(|s| {
                    let x = x0 + (x1 - x0) * s as f64 / CURVE_STEPS as f64;
                    let (top, bottom) = sankey.band_at(flow, x);
                    px(x, (top + bottom) / 2.0)
                })
                .collect();
            body.draw(&PathElement::new(
                line,
                color.mix(FLOW_OPACITY).stroke_width(1),
            ))?;
        }
    }

    // Bars: tiers on the heat ramp, the other states grey; empty ones a thin tick.
    let tier_color = |tier: u8| {
        heat(
            theme,
            0.35 + 0.65 * f64::from(tier) / (tiers.max(2) - 1) as f64,
        )
    };
    let draw_bar = |x: f64, node: &Node, color: RGBColor| -> ChartResult<()> {
        let (top, bottom) = if node.count == 0 {
            let mid = (node.top + node.bottom) / 2.0;
            (mid - TICK_PX / 2.0, mid + TICK_PX / 2.0)
        } else {
            (node.top, node.bottom.max(node.top + 1.0))
        };
        body.draw(&Rectangle::new(
            [px(x, top), px(x + sankey.bar, bottom)],
            color.filled(),
        ))?;
        Ok(())
    };
    for (node, &state) in sankey.left.iter().zip(&sankey.before) {
        let color = match state {
            TierState::Tier(tier) => tier_color(tier),
            _ => theme.axis,
        };
        draw_bar(sankey.x_left, node, color)?;
    }
    for (node, &state) in sankey.right.iter().zip(&sankey.now) {
        let color = state.map_or(theme.axis, tier_color);
        draw_bar(sankey.x_right - sankey.bar, node, color)?;
    }

    // Labels beside the bars, moved apart where bars are close.
    let (label_top, label_bottom) = (plot.plot_top_px + LABEL_PX / 2.0, by + bh - LABEL_PX / 2.0);
    let mid = |n: &Node| (n.top + n.bottom) / 2.0;
    let left_style = text_style(theme, LABEL_PX).pos(Pos::new(HPos::Right, VPos::Center));
    let left_ys = spread(
        &sankey.left.iter().map(mid).collect::<Vec<_>>(),
        label_top,
        label_bottom,
    );
    for ((node, &state), y) in sankey.left.iter().zip(&sankey.before).zip(left_ys) {
        let text = node_label(before_name(lang, state), node.count, max_label);
        body.draw_text(&text, &left_style, px(sankey.x_left - LABEL_PAD_PX, y))?;
    }
    let right_style = text_style(theme, LABEL_PX).pos(Pos::new(HPos::Left, VPos::Center));
    let right_ys = spread(
        &sankey.right.iter().map(mid).collect::<Vec<_>>(),
        label_top,
        label_bottom,
    );
    for ((node, &state), y) in sankey.right.iter().zip(&sankey.now).zip(right_ys) {
        let text = node_label(now_name(lang, state), node.count, max_label);
        body.draw_text(&text, &right_style, px(sankey.x_right + LABEL_PAD_PX, y))?;
    }

    let (xs, ys) = sankey.anchors().into_iter().unzip();
    Ok(ClusterLayout {
        plot: PlotLayout {
            point_x_px: xs,
            ..plot
        },
        point_y_px: ys,
        hover: HoverAxis::Both,
    })
}

/// The hover readout at (`x_px`, `y_px`) on a chart of `report` drawn with `layout`, in `lang`:
/// over a band "Gold → Silver: 123 customers" ([`t::TIERS_HOVER`]); over a bar "Gold, one window
/// earlier: 456 customers" ([`t::TIERS_HOVER_BEFORE`]) or "Gold now: 789 customers"
/// ([`t::TIERS_HOVER_NOW`]). `None` elsewhere, or when nothing was drawn.
pub fn tier_readout(
    report: Option<&TierReport>,
    layout: &ClusterLayout,
    (x_px, y_px): (f64, f64),
    lang: Lang,
) -> Option<String> {
    let sankey = Sankey::new(report?, &layout.plot)?;
    Some(match sankey.hit(x_px, y_px)? {
        Target::Flow(k) => {
            let flow = sankey.flows.get(k)?;
            fill(
                lang,
                t::TIERS_HOVER,
                &[
                    before_name(lang, *sankey.before.get(flow.from)?),
                    now_name(lang, *sankey.now.get(flow.to)?),
                    &count_text(flow.count),
                ],
            )
        }
        Target::Before(i) => fill(
            lang,
            t::TIERS_HOVER_BEFORE,
            &[
                before_name(lang, *sankey.before.get(i)?),
                &count_text(sankey.left.get(i)?.count),
            ],
        ),
        Target::Now(j) => fill(
            lang,
            t::TIERS_HOVER_NOW,
            &[
                now_name(lang, *sankey.now.get(j)?),
                &count_text(sankey.right.get(j)?.count),
            ],
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn band_edges_run_smoothly_from_end_to_end() {
        assert_eq!(edge(10.0, 30.0, 0.0), 10.0);
        assert_eq!(edge(10.0, 30.0, 1.0), 30.0);
        assert_eq!(edge(10.0, 30.0, 0.5), 20.0);
        assert_eq!(edge(10.0, 30.0, -1.0), 10.0);
        assert!(edge(10.0, 30.0, 0.1) < 12.0);
    }

    #[test]
    fn columns_list_tiers_highest_first() {
        assert_eq!(
            before_states(2),
            vec![
                TierState::Tier(1),
                TierState::Tier(0),
                TierState::Inactive,
                TierState::NotYet
            ]
        );
        assert_eq!(now_states(2), vec![Some(1), Some(0), None]);
    }

    #[test]
    fn stacked_nodes_keep_their_gaps_and_centre_the_column() {
        let nodes = stack(&[10, 0, 5], 2.0, 4.0, 0.0, 50.0);
        assert_eq!(
            nodes[0],
            Node {
                count: 10,
                top: 6.0,
                bottom: 26.0
            }
        );
        assert_eq!(
            nodes[1],
            Node {
                count: 0,
                top: 30.0,
                bottom: 30.0
            }
        );
        assert_eq!(
            nodes[2],
            Node {
                count: 5,
                top: 34.0,
                bottom: 44.0
            }
        );
    }

    #[test]
    fn spread_labels_keep_apart_and_inside() {
        let ys = spread(&[50.0, 50.0, 50.0], 0.0, 100.0);
        assert!(ys
            .windows(2)
            .all(|w| w[1] - w[0] >= LABEL_SPACING_PX - 1e-9));
        let ys = spread(&[98.0, 99.0, 100.0], 0.0, 100.0);
        assert!(ys.iter().all(|&y| y <= 100.0), "{ys:?}");
        assert!(ys
            .windows(2)
            .all(|w| w[1] - w[0] >= LABEL_SPACING_PX - 1e-9));
        assert!(spread(&[], 0.0, 10.0).is_empty());
    }
}
