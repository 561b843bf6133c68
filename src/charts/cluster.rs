//! The segmentation (k-means) view's charts as one enum, like [`super::ClvChartKind`]: the k
//! sweep ("elbow"), the segments on the first two principal components, the segment profiles
//! (snake plot) and the segment sizes. The page draws through [`draw_cluster_chart`] on a canvas;
//! native tests and the CLI can do the same on SVG. [`cluster_readout`] turns a hover position
//! into the readout line, so the component only forwards the mouse.

mod elbow;
pub(super) mod legend;
mod profile;
mod projection;
mod sizes;

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingBackend};

use super::{nearest_point, ChartLabels, ChartResult, ChartTheme, PlotLayout};
use crate::engine::cluster::{ClusterReport, FeatureInfo};
use crate::format::{grouped, percent, plain};
use crate::i18n::{feature_label, fill, t, Lang, Text};

use elbow::draw_elbow;
use profile::draw_profile;
use projection::draw_projection;
use sizes::draw_sizes;

/// Largest distance from the mouse to a scatter point that still reads it, pixels.
pub const HOVER_RADIUS_PX: f64 = 16.0;

/// Legend and category names longer than this (pixels at the label size) end with "…".
const NAME_MAX_PX: f64 = 180.0;

/// The segmentation view's charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClusterChartKind {
    /// Inertia and mean silhouette for each k of the sweep, with the chosen and suggested k.
    Elbow,
    /// The sampled customers on the first two principal components, coloured by segment.
    Projection,
    /// Snake plot: each segment's standardised mean per input column.
    Profile,
    /// Share of customers and share of revenue per segment.
    Sizes,
}

impl ClusterChartKind {
    /// All charts, in page order.
    pub const ALL: [ClusterChartKind; 4] =
        [Self::Elbow, Self::Projection, Self::Profile, Self::Sizes];

    /// The chart's title.
    pub fn title(self) -> Text {
        match self {
            Self::Elbow => t::CHART_CLUSTER_ELBOW,
            Self::Projection => t::CHART_CLUSTER_PROJECTION,
            Self::Profile => t::CHART_CLUSTER_PROFILE,
            Self::Sizes => t::CHART_CLUSTER_SIZES,
        }
    }

    /// Stable short name (`data-testid="chart-{name}"`, PNG file names).
    pub fn name(self) -> &'static str {
        match self {
            Self::Elbow => "cluster-elbow",
            Self::Projection => "cluster-projection",
            Self::Profile => "cluster-profile",
            Self::Sizes => "cluster-sizes",
        }
    }
}

/// How [`ClusterLayout::nearest`] finds the hovered target.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum HoverAxis {
    /// By pixel x alone (a k of the sweep, an input column).
    #[default]
    X,
    /// By pixel y alone (a row of bars).
    Y,
    /// By distance in both directions, within [`HOVER_RADIUS_PX`] (a scatter point).
    Both,
    /// By distance in both directions without a radius, inside the plot: the targets are the
    /// centres of a regular grid's cells, so the nearest is the cell under the mouse (a heatmap,
    /// whose target index is `row × columns + column`).
    Cell,
}

/// Where a segmentation chart put its hover targets, in the backend's pixel space (for a canvas:
/// canvas pixels). What a target is depends on the chart: a point of the sweep
/// ([`crate::engine::cluster::Sweep::points`]), a scatter point
/// ([`crate::engine::cluster::Projection::points`]), an input column
/// ([`ClusterReport::features`]) or a segment ([`ClusterReport::segments`]), by index.
///
/// A default (empty) layout is returned when a chart had nothing to plot; every lookup on it
/// answers `None`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClusterLayout {
    /// The plot rectangle; `point_x_px` holds each target's pixel x (NaN when not drawn).
    pub plot: PlotLayout,
    /// Each target's pixel y, same order as `plot.point_x_px` (NaN when not drawn); empty for
    /// [`HoverAxis::X`].
    pub point_y_px: Vec<f64>,
    /// How the nearest target is found.
    pub hover: HoverAxis,
}

impl ClusterLayout {
    /// The index of the target nearest to the mouse at (`x_px`, `y_px`): by x within the plot's
    /// width ([`HoverAxis::X`], as [`nearest_point`]), by y within the plot's height
    /// ([`HoverAxis::Y`], the mouse may be over the row labels), or by distance within
    /// [`HOVER_RADIUS_PX`] inside the plot ([`HoverAxis::Both`]). `None` off target or when
    /// nothing was drawn.
    pub fn nearest(&self, x_px: f64, y_px: f64) -> Option<usize> {
        let plot = &self.plot;
        let within_y = y_px.is_finite()
            && plot.plot_bottom_px > plot.plot_top_px
            && (plot.plot_top_px..=plot.plot_bottom_px).contains(&y_px);
        let closest = |distance: &dyn Fn(usize) -> Option<f64>| {
            (0..plot.point_x_px.len())
                .filter_map(|i| distance(i).filter(|d| d.is_finite()).map(|d| (i, d)))
                .fold(None, |best: Option<(usize, f64)>, (i, d)| match best {
                    Some((_, bd)) if bd <= d => best,
                    _ => Some((i, d)),
                })
        };
        match self.hover {
            HoverAxis::X => nearest_point(plot, x_px),
            HoverAxis::Y => {
                if !within_y {
                    return None;
                }
                closest(&|i| Some((self.point_y_px.get(i)? - y_px).abs())).map(|(i, _)| i)
            }
            HoverAxis::Both => {
                if !within_y || !plot.contains_x(x_px) {
                    return None;
                }
                closest(&|i| {
                    let dx = plot.point_x_px.get(i)? - x_px;
                    let dy = self.point_y_px.get(i)? - y_px;
                    Some(dx.hypot(dy))
                })
                .filter(|(_, d)| *d <= HOVER_RADIUS_PX)
                .map(|(i, _)| i)
            }
            HoverAxis::Cell => {
                if !within_y || !plot.contains_x(x_px) {
                    return None;
                }
                closest(&|i| {
                    let dx = plot.point_x_px.get(i)? - x_px;
                    let dy = self.point_y_px.get(i)? - y_px;
                    Some(dx.hypot(dy))
                })
                .map(|(i, _)| i)
            }
        }
    }
}

/// The display name of segment number `segment`: `names[segment]` when given and not blank,
/// else "Segment {n}" (1-based) in `lang`.
pub fn cluster_segment_name(names: &[String], segment: u32, lang: Lang) -> String {
    usize::try_from(segment)
        .ok()
        .and_then(|i| names.get(i))
        .filter(|n| !n.trim().is_empty())
        .cloned()
        .unwrap_or_else(|| {
            fill(
                lang,
                t::CHART_CLUSTER_SEGMENT_N,
                &[&(u64::from(segment) + 1).to_string()],
            )
        })
}

/// Draws one segmentation chart of `report` in `lang`. `names` are the segments' display names
/// indexed by segment number, already localised by the caller (a missing or blank one reads
/// "Segment {n}"); long names end with "…". The title is left to the caller unless
/// `with_title`.
///
/// Each chart draws its "no data" text when it has nothing to plot (no sweep, no finite point,
/// no segment), and skips NaN and infinite values. Returns the hover layout (see
/// [`ClusterLayout`]; [`cluster_readout`] reads it).
pub fn draw_cluster_chart<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    kind: ClusterChartKind,
    report: &ClusterReport,
    names: &[String],
    lang: Lang,
    theme: &ChartTheme,
    with_title: bool,
) -> ChartResult<ClusterLayout> {
    let l = |text: Text| text.get(lang).to_string();
    let title = if with_title {
        l(kind.title())
    } else {
        String::new()
    };
    let base = ChartLabels::new(title).no_data(l(t::NO_DATA));
    let name = |segment: u32| cluster_segment_name(names, segment, lang);
    match kind {
        ClusterChartKind::Elbow => {
            let k = report.k.to_string();
            let (chosen, suggested) = match &report.sweep {
                Some(sweep) if sweep.suggested_k == report.k => (
                    fill(lang, t::CHART_CLUSTER_LEGEND_CHOSEN_SUGGESTED, &[&k]),
                    None,
                ),
                Some(sweep) => (
                    fill(lang, t::CHART_CLUSTER_LEGEND_CHOSEN, &[&k]),
                    Some(fill(
                        lang,
                        t::CHART_CLUSTER_LEGEND_SUGGESTED,
                        &[&sweep.suggested_k.to_string()],
                    )),
                ),
                None => (String::new(), None),
            };
            let labels = base
                .x_axis(l(t::CHART_CLUSTER_AXIS_K))
                .y_axis(l(t::CHART_CLUSTER_AXIS_INERTIA))
                .secondary_y_axis(l(t::CHART_CLUSTER_AXIS_SILHOUETTE))
                .series([
                    l(t::CHART_CLUSTER_LEGEND_INERTIA),
                    l(t::CHART_CLUSTER_LEGEND_SILHOUETTE),
                    chosen,
                    suggested.unwrap_or_default(),
                ]);
            // Sampled when the sample is smaller than the customers segmented.
            let note = report
                .sweep
                .as_ref()
                .filter(|s| {
                    s.silhouette_sample_size > 0
                        && (s.silhouette_sample_size as u64) < report.customers
                })
                .map(|s| {
                    fill(
                        lang,
                        t::CHART_CLUSTER_SILHOUETTE_SAMPLE,
                        &[&grouped(s.silhouette_sample_size as f64, 0, ',')],
                    )
                })
                .unwrap_or_default();
            draw_elbow(area, report.sweep.as_ref(), report.k, &labels, &note, theme)
        }
        ClusterChartKind::Projection => {
            let projection = &report.projection;
            let axis = |component: usize| {
                let number = (component + 1).to_string();
                match projection.explained_variance.get(component) {
                    Some(share) if share.is_finite() => {
                        fill(lang, t::CHART_CLUSTER_AXIS_PC, &[&number, &percent(*share)])
                    }
                    _ => fill(lang, t::CHART_CLUSTER_AXIS_PC_PLAIN, &[&number]),
                }
            };
            let shown = projection
                .points
                .iter()
                .filter(|p| p.x.is_finite() && p.y.is_finite())
                .count() as u64;
            let customers = projection.customers.max(shown);
            let note = fill(
                lang,
                t::CHART_CLUSTER_SAMPLE_SHOWN,
                &[
                    &grouped(shown as f64, 0, ','),
                    &grouped(customers as f64, 0, ','),
                ],
            );
            let legend = legend_segments(report, &name);
            let labels = base
                .x_axis(axis(0))
                .y_axis(axis(1))
                .series([l(t::CHART_CLUSTER_LEGEND_CENTRE)]);
            draw_projection(area, projection, &legend, &labels, &note, theme)
        }
        ClusterChartKind::Profile => {
            let segment_names: Vec<String> =
                report.segments.iter().map(|s| name(s.segment)).collect();
            let labels = base
                .x_axis(l(t::CHART_CLUSTER_AXIS_COLUMN))
                .y_axis(l(t::CHART_CLUSTER_AXIS_STANDARDISED))
                .series([l(t::CHART_CLUSTER_LEGEND_BASE)]);
            // Column labels in words ("Recency (days)", "age"), like the page's tables.
            let features: Vec<FeatureInfo> = report
                .features
                .iter()
                .map(|f| FeatureInfo {
                    label: feature_label(lang, &f.label),
                    ..f.clone()
                })
                .collect();
            draw_profile(
                area,
                &features,
                &report.segments,
                &segment_names,
                &labels,
                theme,
            )
        }
        ClusterChartKind::Sizes => {
            let segment_names: Vec<String> =
                report.segments.iter().map(|s| name(s.segment)).collect();
            let labels = base.x_axis(l(t::CHART_CLUSTER_AXIS_SHARE)).series([
                l(t::CHART_CLUSTER_LEGEND_CUSTOMER_SHARE),
                l(t::CHART_CLUSTER_LEGEND_REVENUE_SHARE),
                l(t::CHART_CLUSTER_LEGEND_TINY),
            ]);
            draw_sizes(area, &report.segments, &segment_names, &labels, theme)
        }
    }
}

/// The legend of the scatter: the report's segments in order, else (a report without profiles)
/// the segment numbers found among the points, ascending.
fn legend_segments(report: &ClusterReport, name: &dyn Fn(u32) -> String) -> Vec<(u32, String)> {
    let mut segments: Vec<u32> = report.segments.iter().map(|s| s.segment).collect();
    if segments.is_empty() {
        segments = report.projection.points.iter().map(|p| p.segment).collect();
        segments.sort_unstable();
        segments.dedup();
    }
    segments.into_iter().map(|s| (s, name(s))).collect()
}

/// The hover readout of `kind` at (`x_px`, `y_px`) on a chart drawn with `layout`, in `lang`:
///
/// - Elbow: "k = 5: inertia 1,234, silhouette 0.412" for the nearest k;
/// - Projection: the nearest point's segment name and coordinates (within [`HOVER_RADIUS_PX`]);
/// - Profile: the nearest column's label and each segment's standardised mean;
/// - Sizes: the segment of the row under the mouse with both shares (and "tiny segment").
///
/// `None` when the mouse is off every target.
pub fn cluster_readout(
    kind: ClusterChartKind,
    report: &ClusterReport,
    names: &[String],
    layout: &ClusterLayout,
    (x_px, y_px): (f64, f64),
    lang: Lang,
) -> Option<String> {
    let index = layout.nearest(x_px, y_px)?;
    let name = |segment: u32| cluster_segment_name(names, segment, lang);
    match kind {
        ClusterChartKind::Elbow => {
            let point = report.sweep.as_ref()?.points.get(index)?;
            Some(fill(
                lang,
                t::CHART_CLUSTER_READOUT_ELBOW,
                &[
                    &point.k.to_string(),
                    &readout_number(point.inertia),
                    &readout_fixed(point.silhouette, 3),
                ],
            ))
        }
        ClusterChartKind::Projection => {
            let point = report.projection.points.get(index)?;
            Some(fill(
                lang,
                t::CHART_CLUSTER_READOUT_POINT,
                &[
                    &name(point.segment),
                    &readout_fixed(f64::from(point.x), 2),
                    &readout_fixed(f64::from(point.y), 2),
                ],
            ))
        }
        ClusterChartKind::Profile => {
            let feature = report.features.get(index)?;
            let values = report
                .segments
                .iter()
                .filter_map(|s| {
                    let v = s.centroid.get(index).filter(|v| v.is_finite())?;
                    Some(format!("{} {}", name(s.segment), readout_fixed(*v, 2)))
                })
                .collect::<Vec<_>>()
                .join(" · ");
            Some(fill(
                lang,
                t::CHART_CLUSTER_READOUT_PROFILE,
                &[&feature_label(lang, &feature.label), &values],
            ))
        }
        ClusterChartKind::Sizes => {
            let segment = report.segments.get(index)?;
            let mut text = fill(
                lang,
                t::CHART_CLUSTER_READOUT_SIZES,
                &[
                    &name(segment.segment),
                    &percent(segment.share),
                    &percent(segment.revenue_share),
                ],
            );
            if segment.tiny {
                text.push_str(" · ");
                text.push_str(t::CHART_CLUSTER_READOUT_TINY.get(lang));
            }
            Some(text)
        }
    }
}

/// A number for a readout: grouped whole number from 100 up, else 2 decimals; "–" when not
/// finite.
fn readout_number(value: f64) -> String {
    if value.abs() >= 100.0 {
        grouped(value, 0, ',')
    } else {
        readout_fixed(value, 2)
    }
}

/// `value` with `decimals` decimals (trailing zeros kept, so columns line up); "–" when not
/// finite.
fn readout_fixed(value: f64, decimals: usize) -> String {
    if value.is_finite() {
        format!("{value:.decimals$}")
    } else {
        "–".to_string()
    }
}

/// A tick label for a linear axis with ticks `step` apart: as many decimals as the step needs.
pub(super) fn tick_label(value: f64, step: f64) -> String {
    let decimals = if step.is_finite() && step > 0.0 && step < 1.0 {
        (-step.log10()).ceil().clamp(0.0, 6.0) as usize
    } else {
        0
    };
    plain(value, decimals)
}

/// `text` cut to about `max_px` pixels at `size_px` (as estimated by
/// [`super::util::text_width_px`]), ending with "…" when cut.
pub(super) fn ellipsize(text: &str, max_px: f64, size_px: f64) -> String {
    use super::util::text_width_px;
    if text_width_px(text, size_px) <= max_px {
        return text.to_string();
    }
    let budget = max_px - text_width_px("…", size_px);
    let mut out = String::new();
    let mut used = 0.0;
    for c in text.chars() {
        let w = text_width_px(c.encode_utf8(&mut [0; 4]), size_px);
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    let mut out = out.trim_end().to_string();
    out.push('…');
    out
}

/// Splits a polyline at its missing points: each run of consecutive `Some` becomes one line.
fn runs(points: impl IntoIterator<Item = Option<(f64, f64)>>) -> Vec<Vec<(f64, f64)>> {
    let mut out: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for p in points {
        match p {
            Some(p) => {
                if let Some(run) = out.last_mut() {
                    run.push(p);
                }
            }
            None => {
                if out.last().is_some_and(|r| !r.is_empty()) {
                    out.push(Vec::new());
                }
            }
        }
    }
    out.retain(|r| !r.is_empty());
    out
}

/// `(low, high)` of the finite `values`, padded by `pad` of the span on each side; ±1 around
/// the value when they are all equal, `(-1, 1)` when there is none.
fn padded_span(values: impl IntoIterator<Item = f64>, pad: f64) -> (f64, f64) {
    let (lo, hi) = values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo > hi {
        return (-1.0, 1.0);
    }
    let span = hi - lo;
    if !span.is_finite() {
        return (lo, hi);
    }
    if span <= f64::EPSILON * lo.abs().max(1.0) {
        return (lo - 1.0, hi + 1.0);
    }
    (lo - span * pad, hi + span * pad)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(hover: HoverAxis) -> ClusterLayout {
        ClusterLayout {
            plot: PlotLayout {
                plot_left_px: 50.0,
                plot_right_px: 450.0,
                plot_top_px: 20.0,
                plot_bottom_px: 300.0,
                point_x_px: vec![100.0, 200.0, f64::NAN, 300.0],
            },
            point_y_px: vec![50.0, 150.0, 100.0, 250.0],
            hover,
        }
    }

    #[test]
    fn nearest_by_x_matches_nearest_point() {
        let l = layout(HoverAxis::X);
        assert_eq!(l.nearest(190.0, 0.0), Some(1));
        assert_eq!(l.nearest(290.0, 999.0), Some(3));
        assert_eq!(l.nearest(10.0, 100.0), None);
    }

    #[test]
    fn nearest_by_y_works_over_the_row_labels_but_not_above_the_plot() {
        let l = layout(HoverAxis::Y);
        assert_eq!(l.nearest(0.0, 140.0), Some(1));
        // A point not drawn in x can still be a row (the y is what counts).
        assert_eq!(l.nearest(0.0, 105.0), Some(2));
        assert_eq!(l.nearest(300.0, 10.0), None);
        assert_eq!(l.nearest(300.0, f64::NAN), None);
    }

    #[test]
    fn nearest_in_two_dimensions_needs_the_mouse_close_to_a_drawn_point() {
        let l = layout(HoverAxis::Both);
        assert_eq!(l.nearest(105.0, 55.0), Some(0));
        assert_eq!(l.nearest(300.0, 240.0), Some(3));
        // (200, 100) is the undrawn point's place: nothing there within the radius.
        assert_eq!(l.nearest(200.0, 100.0), None);
        assert_eq!(l.nearest(40.0, 50.0), None);
        assert_eq!(ClusterLayout::default().nearest(0.0, 0.0), None);
    }

    #[test]
    fn nearest_cell_is_the_one_under_the_mouse_however_far_from_its_centre() {
        // A 2 × 2 grid of 200 × 140 px cells.
        let l = ClusterLayout {
            plot: PlotLayout {
                plot_left_px: 50.0,
                plot_right_px: 450.0,
                plot_top_px: 20.0,
                plot_bottom_px: 300.0,
                point_x_px: vec![150.0, 350.0, 150.0, 350.0],
            },
            point_y_px: vec![90.0, 90.0, 230.0, 230.0],
            hover: HoverAxis::Cell,
        };
        assert_eq!(l.nearest(60.0, 25.0), Some(0));
        assert_eq!(l.nearest(440.0, 150.0), Some(1));
        assert_eq!(l.nearest(245.0, 295.0), Some(2));
        assert_eq!(l.nearest(449.0, 299.0), Some(3));
        assert_eq!(l.nearest(40.0, 100.0), None);
        assert_eq!(l.nearest(100.0, 301.0), None);
    }

    #[test]
    fn ellipsize_cuts_long_names_only() {
        assert_eq!(ellipsize("Loyal", 100.0, 12.0), "Loyal");
        let cut = ellipsize("High value · Frequent · Big baskets", 100.0, 12.0);
        assert!(cut.ends_with('…') && cut.chars().count() < 20, "{cut}");
        let zh = ellipsize("高价值·高频·大额订单·忠诚客户·最近购买", 80.0, 12.0);
        assert!(zh.ends_with('…') && zh.chars().count() <= 7, "{zh}");
    }

    #[test]
    fn runs_split_at_missing_points() {
        let r = runs([
            Some((0.0, 1.0)),
            Some((1.0, 2.0)),
            None,
            None,
            Some((3.0, 0.0)),
        ]);
        assert_eq!(r, vec![vec![(0.0, 1.0), (1.0, 2.0)], vec![(3.0, 0.0)]]);
        assert!(runs([None, None]).is_empty());
    }

    #[test]
    fn padded_span_is_never_empty() {
        assert_eq!(padded_span([1.0, 3.0], 0.5), (0.0, 4.0));
        assert_eq!(padded_span([2.0, 2.0, f64::NAN], 0.1), (1.0, 3.0));
        assert_eq!(padded_span([], 0.1), (-1.0, 1.0));
        assert_eq!(padded_span([f64::INFINITY], 0.1), (-1.0, 1.0));
    }

    #[test]
    fn tick_labels_use_the_decimals_of_the_step() {
        assert_eq!(tick_label(0.5, 0.5), "0.5");
        assert_eq!(tick_label(0.25, 0.05), "0.25");
        assert_eq!(tick_label(2000.0, 500.0), "2000");
    }

    #[test]
    fn missing_or_blank_names_fall_back_to_the_segment_number() {
        let names = vec!["Loyal".to_string(), " ".to_string()];
        assert_eq!(cluster_segment_name(&names, 0, Lang::En), "Loyal");
        assert_eq!(cluster_segment_name(&names, 1, Lang::En), "Segment 2");
        assert_eq!(cluster_segment_name(&names, 7, Lang::Zh), "分群 8");
    }
}
