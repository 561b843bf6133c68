//! Chart snapshot-style tests: each chart drawn into an SVG string from small hand-made inputs,
//! asserting on what the SVG contains (bars, texts, paths) rather than on exact bytes.
#![cfg(not(target_arch = "wasm32"))] // SVG output is native-only

use plotters::coord::Shift;
use plotters::prelude::*;
use segscope::charts::{
    draw_histogram, draw_lorenz, draw_monthly_trend, draw_rf_heatmap, draw_segments, heat,
    nearest_point, ChartLabels, ChartTheme,
};
use segscope::engine::rfm::{
    Histogram, HistogramBin, MonthPoint, Pareto, RfHeatmapCell, Segment, SegmentRow,
};

const W: u32 = 800;
const H: u32 = 400;

/// Draws with `draw` into an 800×400 SVG; returns the SVG text and what `draw` returned.
fn render<T>(draw: impl FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> T) -> (String, T) {
    let mut svg = String::new();
    let out;
    {
        let root = SVGBackend::with_string(&mut svg, (W, H)).into_drawing_area();
        out = draw(&root);
        if let Err(err) = root.present() {
            panic!("svg present failed: {err}");
        }
    }
    if let Some(dir) = std::env::var_os("SEGSCOPE_CHART_DUMP") {
        // Debug aid: SEGSCOPE_CHART_DUMP=/tmp/charts cargo test --test charts
        let n = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(std::path::Path::new(&dir).join(format!("{n}.svg")), &svg);
    }
    (svg, out)
}

fn hex(c: RGBColor) -> String {
    format!("#{:02X}{:02X}{:02X}", c.0, c.1, c.2)
}

/// The `<tag …/>` elements of `svg`, attribute text only.
fn elements<'a>(svg: &'a str, tag: &str) -> Vec<&'a str> {
    let open = format!("<{tag} ");
    svg.split(open.as_str())
        .skip(1)
        .filter_map(|rest| rest.split_once('>').map(|(attrs, _)| attrs))
        .collect()
}

fn rects_filled(svg: &str, color: RGBColor) -> usize {
    let fill = format!("fill=\"{}\"", hex(color));
    elements(svg, "rect")
        .iter()
        .filter(|a| a.contains(&fill))
        .count()
}

fn has_text(svg: &str, text: &str) -> bool {
    // plotters-svg writes `<text …>\nTEXT\n</text>`.
    svg.contains(&format!(">\n{text}\n</text>")) || svg.contains(&format!(">{text}</text>"))
}

fn month(year: i32, month: u32, revenue: f64, orders: u64) -> MonthPoint {
    MonthPoint {
        year,
        month,
        revenue,
        orders,
        customers: orders,
    }
}

fn trend_labels() -> ChartLabels {
    ChartLabels::new("月度营收")
        .x_axis("月份")
        .y_axis("营收")
        .secondary_y_axis("订单")
        .no_data("暂无数据")
}

// --- monthly trend -------------------------------------------------------------------------

#[test]
fn trend_draws_one_bar_per_month_and_the_orders_line() {
    let theme = ChartTheme::light();
    let months = [
        month(2024, 1, 1200.0, 10),
        month(2024, 2, 800.0, 7),
        month(2024, 3, 1500.0, 12),
    ];
    let (svg, layout) = render(|a| draw_monthly_trend(a, &months, &trend_labels(), &theme));
    let layout = layout.expect("drawn");

    assert_eq!(
        rects_filled(&svg, theme.accent),
        3,
        "one revenue bar per month"
    );
    for text in [
        "月度营收",
        "月份",
        "营收",
        "订单",
        "2024-01",
        "2024-02",
        "2024-03",
    ] {
        assert!(has_text(&svg, text), "missing {text}");
    }
    let line_stroke = format!("stroke=\"{}\"", hex(theme.accent2));
    assert!(elements(&svg, "polyline")
        .iter()
        .any(|p| p.contains(&line_stroke)));
    let accent2_fill = format!("fill=\"{}\"", hex(theme.accent2));
    assert_eq!(
        elements(&svg, "circle")
            .iter()
            .filter(|c| c.contains(&accent2_fill))
            .count(),
        3
    );

    // Layout: three increasing centres inside the plot; hover maps back to them.
    assert_eq!(layout.point_x_px.len(), 3);
    assert!(layout.plot_left_px < layout.point_x_px[0]);
    assert!(layout.point_x_px.windows(2).all(|w| w[0] < w[1]));
    assert!(layout.point_x_px[2] < layout.plot_right_px);
    assert!(layout.plot_top_px < layout.plot_bottom_px);
    for (i, x) in layout.point_x_px.iter().enumerate() {
        assert_eq!(nearest_point(&layout, *x), Some(i));
        assert_eq!(nearest_point(&layout, *x + 3.0), Some(i));
    }
    assert_eq!(nearest_point(&layout, layout.plot_left_px - 1.0), None);
}

#[test]
fn trend_legend_uses_the_callers_series_names() {
    let theme = ChartTheme::light();
    let months = [month(2024, 1, 100.0, 1), month(2024, 2, 200.0, 2)];
    let labels = trend_labels().series(["Revenue", "Orders"]);
    let (svg, _) = render(|a| draw_monthly_trend(a, &months, &labels, &theme));
    assert!(has_text(&svg, "Revenue") && has_text(&svg, "Orders"));
    // Two bars plus the legend swatch.
    assert_eq!(rects_filled(&svg, theme.accent), 3);
}

#[test]
fn trend_thins_month_labels_when_there_are_many() {
    let theme = ChartTheme::light();
    let months: Vec<MonthPoint> = (0..48)
        .map(|i| month(2021 + i / 12, (i % 12) as u32 + 1, 100.0 + f64::from(i), 3))
        .collect();
    let (svg, layout) = render(|a| draw_monthly_trend(a, &months, &trend_labels(), &theme));
    assert_eq!(layout.expect("drawn").point_x_px.len(), 48);
    assert_eq!(rects_filled(&svg, theme.accent), 48);
    let shown = months
        .iter()
        .filter(|m| has_text(&svg, &format!("{:04}-{:02}", m.year, m.month)))
        .count();
    assert!(has_text(&svg, "2021-01"));
    assert!((2..=12).contains(&shown), "{shown} month labels on 800 px");
}

#[test]
fn trend_survives_a_single_month_zeros_and_non_finite_revenue() {
    let theme = ChartTheme::light();
    let one = [month(2024, 5, 0.0, 0)];
    let (svg, layout) = render(|a| draw_monthly_trend(a, &one, &trend_labels(), &theme));
    assert!(has_text(&svg, "2024-05"));
    assert_eq!(layout.expect("drawn").point_x_px.len(), 1);

    let odd = [
        month(2024, 1, f64::NAN, 1),
        month(2024, 2, f64::INFINITY, 2),
        month(2024, 3, -50.0, 0),
        month(2024, 4, 75.0, u64::MAX),
    ];
    let (svg, layout) = render(|a| draw_monthly_trend(a, &odd, &trend_labels(), &theme));
    assert_eq!(layout.expect("drawn").point_x_px.len(), 4);
    assert_eq!(
        rects_filled(&svg, theme.accent),
        2,
        "non-finite revenue draws no bar"
    );
}

// --- segments ------------------------------------------------------------------------------

fn segment_rows() -> Vec<SegmentRow> {
    Segment::ALL
        .iter()
        .enumerate()
        .map(|(i, &segment)| SegmentRow {
            segment,
            customers: 10 + i as u64,
            customer_share: (i as f64 + 1.0) / 66.0,
            revenue: 100.0,
            revenue_share: (11.0 - i as f64) / 66.0,
            mean_recency_days: 10.0,
            mean_frequency: 2.0,
            mean_monetary: 50.0,
        })
        .collect()
}

fn segment_names() -> Vec<String> {
    [
        "冠军客户",
        "忠诚客户",
        "潜力客户",
        "新客户",
        "有希望",
        "需关注",
        "即将沉睡",
        "有风险",
        "不能失去",
        "休眠",
        "流失",
    ]
    .map(String::from)
    .to_vec()
}

#[test]
fn segments_draw_two_bars_per_segment_with_names_and_legend() {
    let theme = ChartTheme::light();
    let labels = ChartLabels::new("客群分布")
        .x_axis("占比")
        .series(["客户占比", "营收占比"])
        .no_data("暂无数据");
    let (svg, res) =
        render(|a| draw_segments(a, &segment_rows(), &segment_names(), &labels, &theme));
    res.expect("drawn");
    // 11 bars each plus one legend swatch each.
    assert_eq!(rects_filled(&svg, theme.accent), 12);
    assert_eq!(rects_filled(&svg, theme.accent2), 12);
    for name in segment_names() {
        assert!(has_text(&svg, &name), "missing {name}");
    }
    for text in ["客群分布", "占比", "客户占比", "营收占比"] {
        assert!(has_text(&svg, text), "missing {text}");
    }
    assert!(svg.contains('%'), "percent tick labels");
}

#[test]
fn segments_without_names_show_positions_and_skip_non_finite_shares() {
    let theme = ChartTheme::light();
    let mut rows = segment_rows();
    rows[0].customer_share = f64::NAN;
    rows[1].revenue_share = f64::NEG_INFINITY;
    let (svg, res) = render(|a| draw_segments(a, &rows, &[], &ChartLabels::default(), &theme));
    res.expect("drawn");
    assert_eq!(rects_filled(&svg, theme.accent), 10);
    assert_eq!(rects_filled(&svg, theme.accent2), 10);
    assert!(has_text(&svg, "1") && has_text(&svg, "11"));

    let zeros: Vec<SegmentRow> = segment_rows()
        .into_iter()
        .map(|r| SegmentRow {
            customer_share: 0.0,
            revenue_share: 0.0,
            ..r
        })
        .collect();
    let (_, res) = render(|a| draw_segments(a, &zeros, &[], &ChartLabels::default(), &theme));
    res.expect("all-zero shares draw");
}

// --- heatmap -------------------------------------------------------------------------------

fn heat_cells() -> Vec<RfHeatmapCell> {
    (1..=5u8)
        .flat_map(|r| {
            (1..=5u8).map(move |f| RfHeatmapCell {
                r_score: r,
                f_score: f,
                customers: u64::from((r - 1) * 5 + f) * 7, // 7, 14, …, 175: all distinct
                mean_monetary: 1000.0 * f64::from(f) + 12_000.0 * f64::from(r - 1),
            })
        })
        .collect()
}

#[test]
fn heatmap_shows_every_count_and_colours_by_customers() {
    let theme = ChartTheme::light();
    let labels = ChartLabels::new("R×F")
        .x_axis("F 分")
        .y_axis("R 分")
        .no_data("—");
    let (svg, res) = render(|a| draw_rf_heatmap(a, &heat_cells(), &labels, &theme));
    res.expect("drawn");
    for cell in heat_cells() {
        assert!(
            has_text(&svg, &cell.customers.to_string()),
            "missing count {}",
            cell.customers
        );
    }
    assert!(has_text(&svg, "49.0k"), "compact mean monetary of r=5, f=1");
    for text in ["R×F", "F 分", "R 分", "1", "5"] {
        assert!(has_text(&svg, text), "missing {text}");
    }
    // 25 cells: the fullest in heat_high, the emptiest a light tint near heat_low.
    let cell_rects = elements(&svg, "rect")
        .iter()
        .filter(|a| !a.contains(&format!("fill=\"{}\"", hex(theme.background))))
        .count();
    assert_eq!(cell_rects, 25);
    assert_eq!(rects_filled(&svg, theme.heat_high), 1);
    assert_eq!(rects_filled(&svg, heat(&theme, 7.0 / 175.0)), 1);
}

#[test]
fn heatmap_with_no_customers_draws_the_no_data_text() {
    let theme = ChartTheme::light();
    let labels = ChartLabels::new("R×F").no_data("暂无数据");
    let empty_cells: Vec<RfHeatmapCell> = heat_cells()
        .into_iter()
        .map(|c| RfHeatmapCell { customers: 0, ..c })
        .collect();
    for cells in [vec![], empty_cells] {
        let (svg, res) = render(|a| draw_rf_heatmap(a, &cells, &labels, &theme));
        res.expect("no-data is not an error");
        assert!(has_text(&svg, "暂无数据"));
        assert!(has_text(&svg, "R×F"));
    }
}

// --- Lorenz --------------------------------------------------------------------------------

fn pareto() -> Pareto {
    Pareto {
        lorenz: vec![(0.0, 0.0), (0.5, 0.1), (0.8, 0.2), (1.0, 1.0)],
        top_shares: vec![(20.0, 0.8)],
        gini: 0.5,
        customer_share_for_80_percent: 0.2,
    }
}

/// The `points` attribute of a polyline as pixel pairs.
fn polyline_points(attrs: &str) -> Vec<(f64, f64)> {
    let Some((_, rest)) = attrs.split_once("points=\"") else {
        return vec![];
    };
    let Some((pts, _)) = rest.split_once('"') else {
        return vec![];
    };
    pts.split_whitespace()
        .filter_map(|p| p.split_once(','))
        .filter_map(|(x, y)| Some((x.parse().ok()?, y.parse().ok()?)))
        .collect()
}

#[test]
fn lorenz_draws_the_curve_through_its_points_the_diagonal_and_the_80_percent_marker() {
    let theme = ChartTheme::light();
    let labels = ChartLabels::new("洛伦兹曲线")
        .x_axis("客户占比")
        .y_axis("营收占比")
        .series(["曲线", "均等线"])
        .no_data("—");
    let (svg, layout) = render(|a| draw_lorenz(a, &pareto(), &labels, &theme));
    let layout = layout.expect("drawn");

    let stroke = format!("stroke=\"{}\"", hex(theme.accent));
    let curve: Vec<Vec<(f64, f64)>> = elements(&svg, "polyline")
        .into_iter()
        .filter(|a| a.contains(&stroke))
        .map(polyline_points)
        .filter(|p| p.len() > 2)
        .collect();
    assert_eq!(curve.len(), 1, "one curve polyline");
    let curve = &curve[0];
    assert_eq!(curve.len(), 4, "the curve passes through each point");
    let (l, r, t, b) = (
        layout.plot_left_px,
        layout.plot_right_px,
        layout.plot_top_px,
        layout.plot_bottom_px,
    );
    let near = |a: f64, e: f64| (a - e).abs() <= 1.5;
    assert!(
        near(curve[0].0, l) && near(curve[0].1, b),
        "starts at (0,0): {:?}",
        curve[0]
    );
    assert!(
        near(curve[3].0, r) && near(curve[3].1, t),
        "ends at (1,1): {:?}",
        curve[3]
    );
    // (0.5, 0.1): halfway across, 10% up.
    assert!(near(curve[1].0, l + (r - l) * 0.5), "{:?}", curve[1]);
    assert!(near(curve[1].1, b - (b - t) * 0.1), "{:?}", curve[1]);
    for (i, &(x, _)) in curve.iter().enumerate() {
        assert!(near(layout.point_x_px[i], x));
    }

    // The top 20% bring 80%: the marker sits at (80% of customers, 20% of revenue).
    assert!(has_text(&svg, "(80.0%, 20.0%)"), "80% marker annotation");
    let marker_fill = format!("fill=\"{}\"", hex(theme.accent2));
    assert_eq!(
        elements(&svg, "circle")
            .iter()
            .filter(|c| c.contains(&marker_fill))
            .count(),
        1
    );
    for text in [
        "洛伦兹曲线",
        "客户占比",
        "营收占比",
        "曲线",
        "均等线",
        "50.0%",
        "100.0%",
    ] {
        assert!(has_text(&svg, text), "missing {text}");
    }
    // The dashed diagonal is drawn in the axis colour.
    let diag = format!("stroke=\"{}\"", hex(theme.axis));
    assert!(
        elements(&svg, "polyline")
            .iter()
            .filter(|a| a.contains(&diag))
            .count()
            > 3
    );
}

#[test]
fn lorenz_with_too_few_points_draws_no_data_and_skips_bad_points() {
    let theme = ChartTheme::light();
    let labels = ChartLabels::default().no_data("No data yet");
    for lorenz in [
        vec![],
        vec![(0.0, 0.0)],
        vec![(f64::NAN, 0.0), (1.0, f64::INFINITY)],
    ] {
        let p = Pareto { lorenz, ..pareto() };
        let (svg, layout) = render(|a| draw_lorenz(a, &p, &labels, &theme));
        assert!(layout.expect("ok").point_x_px.is_empty());
        assert!(has_text(&svg, "No data yet"));
    }
    let p = Pareto {
        lorenz: vec![(0.0, 0.0), (f64::NAN, 0.3), (1.0, 1.0)],
        customer_share_for_80_percent: f64::NAN,
        ..pareto()
    };
    let (_, layout) = render(|a| draw_lorenz(a, &p, &labels, &theme));
    let layout = layout.expect("drawn");
    assert_eq!(layout.point_x_px.len(), 3);
    assert!(layout.point_x_px[1].is_nan());
    assert_eq!(nearest_point(&layout, layout.point_x_px[2]), Some(2));
}

// --- histogram -----------------------------------------------------------------------------

fn bins(edges: &[f64], counts: &[u64]) -> Vec<HistogramBin> {
    edges
        .windows(2)
        .zip(counts)
        .map(|(e, &count)| HistogramBin {
            lower: e[0],
            upper: e[1],
            count,
        })
        .collect()
}

#[test]
fn histogram_draws_a_bar_per_non_empty_bin_on_linear_axes() {
    let theme = ChartTheme::light();
    let hist = Histogram {
        bins: bins(&[0.0, 30.0, 60.0, 90.0, 120.0], &[4, 0, 9, 2]),
        log_x: false,
    };
    let labels = ChartLabels::new("最近一次购买")
        .x_axis("天数")
        .y_axis("客户数")
        .y_axis_log_scale("客户数（对数）")
        .no_data("—");
    let (svg, layout) = render(|a| draw_histogram(a, &hist, &labels, &theme));
    let layout = layout.expect("drawn");
    assert_eq!(
        rects_filled(&svg, theme.accent),
        3,
        "the empty bin draws no bar"
    );
    for text in ["最近一次购买", "天数", "客户数", "0", "30", "120"] {
        assert!(has_text(&svg, text), "missing {text}");
    }
    assert!(
        !has_text(&svg, "客户数（对数）"),
        "linear y axis keeps the plain title"
    );
    assert_eq!(layout.point_x_px.len(), 4);
    assert_eq!(nearest_point(&layout, layout.point_x_px[2] + 2.0), Some(2));
}

#[test]
fn histogram_goes_log_on_skewed_counts_and_log_spaced_bins() {
    let theme = ChartTheme::dark();
    let hist = Histogram {
        bins: bins(
            &[1.0, 10.0, 100.0, 1000.0, 10_000.0, 100_000.0],
            &[5, 5, 5, 2000, 1],
        ),
        log_x: true,
    };
    let labels = ChartLabels::new("")
        .x_axis("客户营收")
        .y_axis("客户数")
        .y_axis_log_scale("客户数（对数）");
    let (svg, layout) = render(|a| draw_histogram(a, &hist, &labels, &theme));
    let layout = layout.expect("drawn");
    assert_eq!(rects_filled(&svg, theme.accent), 5);
    assert!(has_text(&svg, "客户数（对数）"));
    assert!(!has_text(&svg, "客户数"));
    // Edges compactly on x; powers of ten on y.
    for text in ["1", "10", "100", "1,000", "10.0k", "100k"] {
        assert!(has_text(&svg, text), "missing {text}");
    }
    // Log-spaced bins sit evenly apart.
    let gaps: Vec<f64> = layout.point_x_px.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps.iter().all(|g| (g - gaps[0]).abs() <= 1.5), "{gaps:?}");
}

#[test]
fn histogram_empty_zero_or_broken_bins_draw_no_data_or_skip() {
    let theme = ChartTheme::light();
    let labels = ChartLabels::default().no_data("Nothing to show");
    let cases = [
        Histogram::default(),
        Histogram {
            bins: bins(&[0.0, 1.0, 2.0], &[0, 0]),
            log_x: false,
        },
        Histogram {
            bins: bins(&[f64::NAN, 1.0, f64::INFINITY], &[3, 4]),
            log_x: true,
        },
    ];
    for hist in cases {
        let (svg, layout) = render(|a| draw_histogram(a, &hist, &labels, &theme));
        assert!(layout.expect("ok").point_x_px.is_empty());
        assert!(has_text(&svg, "Nothing to show"));
    }
    // log_x with a zero edge falls back to a linear axis; a reversed bin is skipped.
    let mut odd = bins(&[0.0, 5.0, 50.0], &[1, 2]);
    odd.push(HistogramBin {
        lower: 80.0,
        upper: 60.0,
        count: 7,
    });
    let hist = Histogram {
        bins: odd,
        log_x: true,
    };
    let (svg, layout) = render(|a| draw_histogram(a, &hist, &labels, &theme));
    let layout = layout.expect("drawn");
    assert_eq!(rects_filled(&svg, theme.accent), 2);
    assert!(layout.point_x_px[2].is_nan());
}

// --- all charts ----------------------------------------------------------------------------

#[test]
fn every_chart_draws_the_no_data_text_on_empty_input() {
    let theme = ChartTheme::light();
    let labels = ChartLabels::new("标题").no_data("暂无数据");
    let svgs = [
        render(|a| draw_monthly_trend(a, &[], &labels, &theme).map(|_| ())).0,
        render(|a| draw_segments(a, &[], &segment_names(), &labels, &theme)).0,
        render(|a| draw_rf_heatmap(a, &[], &labels, &theme)).0,
        render(|a| draw_lorenz(a, &Pareto::default(), &labels, &theme).map(|_| ())).0,
        render(|a| draw_histogram(a, &Histogram::default(), &labels, &theme).map(|_| ())).0,
    ];
    for svg in svgs {
        assert!(has_text(&svg, "暂无数据"));
        assert!(has_text(&svg, "标题"));
    }
}

#[test]
fn dark_and_light_themes_paint_different_backgrounds() {
    let months = [month(2024, 1, 10.0, 1)];
    let (light, dark) = (ChartTheme::light(), ChartTheme::dark());
    let draw = |theme: &ChartTheme| {
        render(|a| draw_monthly_trend(a, &months, &trend_labels(), theme).map(|_| ())).0
    };
    let (svg_light, svg_dark) = (draw(&light), draw(&dark));
    assert_ne!(svg_light, svg_dark);
    assert!(rects_filled(&svg_light, light.background) >= 1);
    assert_eq!(rects_filled(&svg_light, dark.background), 0);
    assert!(rects_filled(&svg_dark, dark.background) >= 1);
    assert_eq!(rects_filled(&svg_dark, light.background), 0);
    let text_fill = format!("fill=\"{}\"", hex(dark.text));
    assert!(elements(&svg_dark, "text")
        .iter()
        .any(|t| t.contains(&text_fill)));
}

#[test]
fn extreme_values_draw_without_panicking() {
    let theme = ChartTheme::dark();
    let labels = ChartLabels::new("x").no_data("-");
    let months = [
        month(2024, 1, f64::MAX, u64::MAX),
        month(2024, 2, -f64::MAX, 0),
    ];
    let (_, res) = render(|a| draw_monthly_trend(a, &months, &labels, &theme));
    assert_eq!(res.expect("drawn").point_x_px.len(), 2);

    let mut rows = segment_rows();
    rows[0].customer_share = f64::MAX;
    rows[1].revenue_share = -f64::MAX;
    let (_, res) = render(|a| draw_segments(a, &rows, &segment_names(), &labels, &theme));
    res.expect("drawn");

    let cells = [RfHeatmapCell {
        r_score: 3,
        f_score: 3,
        customers: u64::MAX,
        mean_monetary: f64::MAX,
    }];
    let (svg, res) = render(|a| draw_rf_heatmap(a, &cells, &labels, &theme));
    res.expect("drawn");
    assert!(has_text(&svg, "0"), "empty cells still show their count");

    let hist = Histogram {
        bins: bins(&[-f64::MAX, 0.0, f64::MAX], &[u64::MAX, 1]),
        log_x: false,
    };
    let (_, res) = render(|a| draw_histogram(a, &hist, &labels, &theme));
    res.expect("drawn");
}

// --- predictive scoring (CLV) --------------------------------------------------------------

mod clv {
    use super::{elements, has_text, hex, nearest_point, rects_filled, render, ChartTheme};
    use segscope::charts::{draw_clv_chart, heat, ClvChartKind, PlotLayout};
    use segscope::engine::calendar::day_from_ymd;
    use segscope::engine::clv::{
        ClvKpis, ClvReport, ClvSettings, CumulativePoint, FrequencyBucket, HoldoutComparison,
        ModelMatrix, SegmentChurn, TimeUnit,
    };
    use segscope::engine::rfm::{Histogram, HistogramBin, Segment};
    use segscope::engine::Day;
    use segscope::i18n::Lang;

    /// The texts of `svg`, trimmed.
    fn texts(svg: &str) -> Vec<String> {
        svg.split("<text ")
            .skip(1)
            .filter_map(|rest| rest.split_once('>'))
            .filter_map(|(_, rest)| rest.split_once("</text>"))
            .map(|(text, _)| text.trim().to_string())
            .collect()
    }

    fn day(y: i32, m: u32, d: u32) -> Day {
        day_from_ymd(y, m, d).unwrap_or_else(|| panic!("invalid date {y}-{m}-{d}"))
    }

    fn p_alive() -> ModelMatrix {
        ModelMatrix {
            frequencies: vec![0, 1, 2, 3],
            recencies: vec![5.0, 15.0, 25.0],
            t: 30.0,
            values: vec![
                vec![0.1, 0.2, 0.3, 0.4],
                vec![0.1, 0.5, 0.6, 0.7],
                vec![0.1, 0.8, 0.9, f64::NAN],
            ],
        }
    }

    fn report() -> ClvReport {
        ClvReport {
            settings: ClvSettings::default(),
            calibration_end_day: day(2024, 2, 15),
            time_unit: TimeUnit::Days,
            scoring_model: "BG/NBD".into(),
            fits: vec![],
            warnings: vec![],
            spend_correlation: None,
            kpis: ClvKpis::default(),
            probability_alive_matrix: p_alive(),
            expected_purchases_matrix: ModelMatrix {
                frequencies: vec![0, 1, 2],
                recencies: vec![1.5, 4.5],
                t: 6.0,
                values: vec![vec![0.05, 1.234, 2.5], vec![0.05, 3.456, 4.75]],
            },
            clv_histogram: Histogram {
                bins: vec![
                    HistogramBin {
                        lower: 10.0,
                        upper: 100.0,
                        count: 40,
                    },
                    HistogramBin {
                        lower: 100.0,
                        upper: 1000.0,
                        count: 12,
                    },
                ],
                log_x: true,
            },
            top_customers: vec![],
            churn_by_segment: vec![
                SegmentChurn {
                    segment: Segment::Champions,
                    customers: [10, 5, 0],
                    clv: [1000.0, 200.0, 0.0],
                },
                SegmentChurn {
                    segment: Segment::AtRisk,
                    customers: [1, 2, 30],
                    clv: [10.0, 20.0, 30.0],
                },
                SegmentChurn {
                    segment: Segment::Hibernating,
                    customers: [0, 0, 0],
                    clv: [0.0; 3],
                },
            ],
        }
    }

    fn validation() -> HoldoutComparison {
        let start = day(2024, 1, 1);
        HoldoutComparison {
            calibration_end_day: day(2024, 2, 15),
            holdout_end_day: day(2024, 3, 26),
            time_unit: TimeUnit::Days,
            calibration_customers: 100,
            calibration_repeat_customers: 40,
            models: vec!["BG/NBD".into()],
            fits: vec![],
            by_frequency: (0..=7)
                .map(|f| FrequencyBucket {
                    calibration_frequency: f,
                    customers: 10,
                    actual_mean: f64::from(f) * 0.5,
                    predicted_mean: vec![f64::from(f) * 0.45],
                })
                .collect(),
            cumulative: (0..12)
                .map(|i| CumulativePoint {
                    day: start + i * 7,
                    actual: f64::from(i * 3),
                    predicted: vec![f64::from(i) * 2.8],
                })
                .collect(),
            actual_holdout_purchases: 33.0,
            predicted_holdout_purchases: vec![30.8],
            mean_absolute_error: vec![0.4],
            bucket_mean_absolute_error: vec![0.2],
            warnings: vec![],
        }
    }

    fn draw(
        kind: ClvChartKind,
        report: &ClvReport,
        validation: Option<&HoldoutComparison>,
        lang: Lang,
        theme: &ChartTheme,
    ) -> (String, Option<PlotLayout>) {
        let (svg, res) = render(|a| draw_clv_chart(a, kind, report, validation, lang, theme, true));
        (svg, res.unwrap_or_else(|e| panic!("{kind:?}: {e}")))
    }

    #[test]
    fn kinds_have_distinct_names_and_titles() {
        let mut names: Vec<&str> = ClvChartKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(names[0], "p-alive");
        assert_eq!(names[5], "holdout-cumulative");
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 6);
        for kind in ClvChartKind::ALL {
            assert!(!kind.title().en.contains('{') && !kind.title().zh.contains('{'));
        }
    }

    #[test]
    fn probability_alive_matrix_colours_every_finite_cell_and_writes_percentages() {
        let theme = ChartTheme::light();
        let (svg, layout) = draw(
            ClvChartKind::ProbabilityAlive,
            &report(),
            None,
            Lang::En,
            &theme,
        );
        assert_eq!(layout, None);
        // Column 0 holds 0.1 three times; the NaN cell draws nothing.
        assert_eq!(rects_filled(&svg, heat(&theme, 0.1)), 3);
        assert_eq!(rects_filled(&svg, heat(&theme, 0.9)), 1);
        let texts = texts(&svg);
        assert_eq!(texts.iter().filter(|t| *t == "10%").count(), 3);
        for text in ["20%", "50%", "90%", "0%", "100%"] {
            assert!(texts.iter().any(|t| t == text), "missing {text}");
        }
        // 11 cells + the two ends of the colour scale.
        assert_eq!(texts.iter().filter(|t| t.ends_with('%')).count(), 13);
        for text in [
            "Probability alive by frequency and recency",
            "Probability alive",
            "Repeat purchases (frequency)",
            "Recency: days from first to last purchase",
            "15",
            "25",
            "3",
        ] {
            assert!(has_text(&svg, text), "missing {text}");
        }
    }

    #[test]
    fn matrix_cells_too_small_for_numbers_stay_blank_and_weeks_name_the_unit() {
        let theme = ChartTheme::dark();
        let mut report = report();
        report.time_unit = TimeUnit::Weeks;
        report.probability_alive_matrix = ModelMatrix {
            frequencies: (0..=30).collect(),
            recencies: (0..24).map(|k| f64::from(k) + 0.5).collect(),
            t: 24.0,
            values: (0..24)
                .map(|r| (0..=30).map(|c| f64::from(r * c % 100) / 100.0).collect())
                .collect(),
        };
        let (svg, _) = draw(
            ClvChartKind::ProbabilityAlive,
            &report,
            None,
            Lang::Zh,
            &theme,
        );
        let percents = texts(&svg).into_iter().filter(|t| t.ends_with('%')).count();
        assert_eq!(percents, 2, "only the colour scale's ends");
        assert!(has_text(&svg, "最近购买：首购至末次购买的间隔（周）"));
        assert!(has_text(&svg, "存活概率"));
        // 744 cells, each a rect.
        assert!(elements(&svg, "rect").len() >= 31 * 24);
    }

    #[test]
    fn expected_purchases_matrix_writes_two_decimals_and_the_horizon() {
        let theme = ChartTheme::light();
        let mut report = report();
        report.settings.horizon_days = 90;
        let (svg, _) = draw(
            ClvChartKind::ExpectedPurchases,
            &report,
            None,
            Lang::En,
            &theme,
        );
        for text in [
            "1.23",
            "3.46",
            "4.75",
            "0.05",
            "0",
            "Expected purchases in the next 90 days",
        ] {
            assert!(has_text(&svg, text), "missing {text}");
        }
        // The scale runs 0..4.75: the fullest cell gets the top colour.
        assert_eq!(rects_filled(&svg, heat(&theme, 1.0)), 2, "cell + scale end");
    }

    #[test]
    fn empty_or_non_finite_matrix_draws_no_data() {
        let theme = ChartTheme::light();
        let mut report = report();
        report.probability_alive_matrix = ModelMatrix::default();
        report.expected_purchases_matrix.values = vec![vec![f64::NAN; 3], vec![f64::INFINITY; 3]];
        for kind in [
            ClvChartKind::ProbabilityAlive,
            ClvChartKind::ExpectedPurchases,
        ] {
            let (svg, _) = draw(kind, &report, None, Lang::Zh, &theme);
            assert!(has_text(&svg, "暂无数据"), "{kind:?}");
        }
    }

    #[test]
    fn clv_distribution_reuses_the_histogram() {
        let theme = ChartTheme::light();
        let (svg, layout) = draw(
            ClvChartKind::ClvDistribution,
            &report(),
            None,
            Lang::En,
            &theme,
        );
        assert_eq!(rects_filled(&svg, theme.accent), 2);
        assert!(has_text(&svg, "Customer lifetime value (log scale)"));
        assert_eq!(layout.expect("hover layout").point_x_px.len(), 2);

        let mut report = report();
        report.clv_histogram = Histogram::default();
        let (svg, _) = draw(
            ClvChartKind::ClvDistribution,
            &report,
            None,
            Lang::En,
            &theme,
        );
        assert!(has_text(&svg, "No data"));
    }

    #[test]
    fn churn_by_segment_stacks_the_bands_per_segment() {
        let theme = ChartTheme::light();
        let (svg, layout) = draw(
            ClvChartKind::ChurnBySegment,
            &report(),
            None,
            Lang::En,
            &theme,
        );
        assert_eq!(layout, None);
        // Bars with customers, plus one legend swatch per band; Hibernating (empty) is left out.
        assert_eq!(rects_filled(&svg, theme.risk[0]), 2 + 1);
        assert_eq!(rects_filled(&svg, theme.risk[1]), 2 + 1);
        assert_eq!(rects_filled(&svg, theme.risk[2]), 1 + 1);
        for text in [
            "Churn risk by segment",
            "Low risk",
            "Medium risk",
            "High risk",
            "Champions",
            "At Risk",
            "15",
            "33",
            "Customers",
        ] {
            assert!(has_text(&svg, text), "missing {text}");
        }
        assert!(!has_text(&svg, "Hibernating"));

        let (svg, _) = draw(
            ClvChartKind::ChurnBySegment,
            &report(),
            None,
            Lang::Zh,
            &theme,
        );
        for text in ["低风险", "中风险", "高风险"] {
            assert!(has_text(&svg, text), "missing {text}");
        }

        let mut report = report();
        report.churn_by_segment.truncate(0);
        let (svg, _) = draw(
            ClvChartKind::ChurnBySegment,
            &report,
            None,
            Lang::En,
            &theme,
        );
        assert!(has_text(&svg, "No data"));
    }

    #[test]
    fn holdout_by_frequency_draws_actual_and_model_bars_per_bucket() {
        let theme = ChartTheme::light();
        let v = validation();
        let (svg, layout) = draw(
            ClvChartKind::HoldoutByFrequency,
            &report(),
            Some(&v),
            Lang::En,
            &theme,
        );
        assert_eq!(layout, None);
        // Eight buckets: bucket 0 has zero-height bars, still drawn; plus the legend swatch.
        assert_eq!(rects_filled(&svg, theme.accent), 8 + 1);
        assert_eq!(rects_filled(&svg, theme.accent2), 8 + 1);
        for text in ["0", "6", "7+", "Actual", "BG/NBD"] {
            assert!(has_text(&svg, text), "missing {text}");
        }
        assert!(!has_text(&svg, "7"), "the last bucket reads 7+");

        // A second model gets its own bars; a non-finite mean draws none.
        let mut v2 = validation();
        v2.models.push("Pareto/NBD".into());
        for b in &mut v2.by_frequency {
            b.predicted_mean.push(1.0);
        }
        v2.by_frequency[3].actual_mean = f64::NAN;
        let (svg, _) = draw(
            ClvChartKind::HoldoutByFrequency,
            &report(),
            Some(&v2),
            Lang::Zh,
            &theme,
        );
        assert_eq!(rects_filled(&svg, theme.accent), 7 + 1);
        assert!(has_text(&svg, "Pareto/NBD") && has_text(&svg, "实际"));
    }

    #[test]
    fn holdout_cumulative_draws_the_curves_the_calibration_line_and_a_hover_layout() {
        let theme = ChartTheme::light();
        let v = validation();
        let (svg, layout) = draw(
            ClvChartKind::HoldoutCumulative,
            &report(),
            Some(&v),
            Lang::En,
            &theme,
        );
        let layout = layout.expect("hover layout");
        let stroke = |c| format!("stroke=\"{}\"", hex(c));
        let polylines = elements(&svg, "polyline");
        let solid = polylines
            .iter()
            .filter(|p| p.contains(&stroke(theme.accent)))
            .count();
        assert_eq!(solid, 2, "one solid actual line and its legend swatch");
        let dashes = polylines
            .iter()
            .filter(|p| p.contains(&stroke(theme.accent2)))
            .count();
        assert!(dashes > 3, "the model line is dashed");
        assert!(
            polylines.iter().any(|p| p.contains(&stroke(theme.axis))),
            "calibration-end line"
        );
        for text in [
            "Actual",
            "BG/NBD",
            "Calibration end",
            "2024-01",
            "2024-02",
            "2024-03",
            "Cumulative repeat purchases",
        ] {
            assert!(has_text(&svg, text), "missing {text}");
        }

        assert_eq!(layout.point_x_px.len(), 12);
        assert!(layout.point_x_px.windows(2).all(|w| w[0] < w[1]));
        for (i, x) in layout.point_x_px.iter().enumerate() {
            assert_eq!(nearest_point(&layout, *x), Some(i));
        }

        let mut v2 = validation();
        v2.cumulative[4].actual = f64::NAN;
        v2.cumulative[4].predicted = vec![f64::INFINITY];
        let (svg, layout) = draw(
            ClvChartKind::HoldoutCumulative,
            &report(),
            Some(&v2),
            Lang::Zh,
            &theme,
        );
        assert!(layout.expect("layout").point_x_px[4].is_nan());
        assert!(has_text(&svg, "校准截止"));
    }

    #[test]
    fn holdout_charts_without_validation_or_points_draw_no_data() {
        let theme = ChartTheme::light();
        let mut empty = validation();
        empty.by_frequency.clear();
        empty.cumulative.clear();
        for v in [None, Some(&empty)] {
            let (svg, layout) = draw(
                ClvChartKind::HoldoutByFrequency,
                &report(),
                v,
                Lang::Zh,
                &theme,
            );
            assert!(has_text(&svg, "暂无数据"));
            assert_eq!(layout, None);
            let (svg, layout) = draw(
                ClvChartKind::HoldoutCumulative,
                &report(),
                v,
                Lang::En,
                &theme,
            );
            assert!(has_text(&svg, "No data"));
            assert_eq!(layout, Some(PlotLayout::default()));
        }
    }

    #[test]
    fn every_clv_chart_draws_in_both_themes_and_languages() {
        let v = validation();
        let reports = [report(), {
            let mut r = report();
            r.probability_alive_matrix.values[0][0] = f64::MAX;
            r.expected_purchases_matrix.values[0][0] = -f64::MAX;
            r.expected_purchases_matrix.values[1][2] = f64::MAX;
            r.churn_by_segment[0].customers = [u64::MAX, u64::MAX, 1];
            r
        }];
        for report in &reports {
            for theme in [ChartTheme::light(), ChartTheme::dark()] {
                for lang in [Lang::En, Lang::Zh] {
                    for kind in ClvChartKind::ALL {
                        for with_title in [true, false] {
                            let (svg, res) = render(|a| {
                                draw_clv_chart(a, kind, report, Some(&v), lang, &theme, with_title)
                            });
                            let layout = res.unwrap_or_else(|e| panic!("{kind:?}: {e}"));
                            assert_eq!(
                                layout.is_some(),
                                matches!(
                                    kind,
                                    ClvChartKind::ClvDistribution | ClvChartKind::HoldoutCumulative
                                ),
                                "{kind:?}"
                            );
                            assert_eq!(
                                has_text(&svg, kind.title().get(lang)),
                                with_title,
                                "{kind:?}"
                            );
                            assert!(rects_filled(&svg, theme.background) >= 1);
                        }
                    }
                }
            }
        }
    }
}

// --- segmentation (k-means) -------------------------------------------------------------------

mod cluster {
    use super::{elements, has_text, hex, rects_filled, render, ChartTheme};
    use segscope::charts::{
        cluster_readout, draw_cluster_chart, ClusterChartKind, ClusterLayout, HoverAxis,
    };
    use segscope::engine::cluster::{
        BehaviourFeature, ClusterReport, FeatureInfo, FeatureKey, ProjectedPoint, Projection,
        SegmentProfile, Sweep, SweepPoint, TransformKind,
    };
    use segscope::i18n::{t, Lang};

    fn feature(label: &str, transform: TransformKind) -> FeatureInfo {
        FeatureInfo {
            key: FeatureKey::Behaviour(BehaviourFeature::Monetary),
            label: label.to_string(),
            transform,
            skewness: None,
            raw_mean: 1.0,
            raw_median: None,
            imputed: 0,
        }
    }

    fn segment(number: u32, share: f64, revenue_share: f64, centroid: Vec<f64>) -> SegmentProfile {
        SegmentProfile {
            segment: number,
            name_traits: vec![],
            name_ordinal: 0,
            customers: (share * 1000.0) as u64,
            share,
            revenue: revenue_share * 1e5,
            revenue_share,
            tiny: share < 0.05,
            silhouette: 0.4,
            stability: None,
            raw_means: vec![],
            index: vec![],
            centroid,
            distinctive: vec![],
            top_products: vec![],
            top_regions: vec![],
            top_channels: vec![],
        }
    }

    /// 1,000 customers in three segments (the third tiny), a k = 2..6 sweep suggesting 4 while
    /// 3 was chosen, and 300 of them on the scatter.
    fn report() -> ClusterReport {
        let points = (0..300)
            .map(|i| {
                let segment = (i % 3) as u32;
                let f = i as f32;
                ProjectedPoint {
                    x: segment as f32 * 3.0 + (f * 0.37).sin(),
                    y: (f * 0.11).cos() - segment as f32,
                    segment,
                }
            })
            .collect();
        ClusterReport {
            customers: 1000,
            features: vec![
                feature("recency_days", TransformKind::LogStandardise),
                feature("frequency", TransformKind::LogStandardise),
                feature("monetary", TransformKind::LogStandardise),
                feature("category_share:Garden", TransformKind::Standardise),
                feature("main_region=North", TransformKind::OneHot),
            ],
            sweep: Some(Sweep {
                points: (2..=6)
                    .map(|k| SweepPoint {
                        k,
                        inertia: 5000.0 / k as f64,
                        silhouette: [0.31, 0.38, 0.42, 0.35, 0.30][k - 2],
                        calinski_harabasz: 100.0,
                    })
                    .collect(),
                suggested_k: 4,
                silhouette_sample_size: 500,
            }),
            k: 3,
            inertia: 1666.0,
            silhouette: 0.38,
            silhouette_sample_size: 500,
            calinski_harabasz: 100.0,
            stability_ari: None,
            bootstrap_resamples: 0,
            iterations: 7,
            segments: vec![
                segment(0, 0.6, 0.3, vec![-0.5, -0.4, -0.6, 0.1, 0.2]),
                segment(1, 0.37, 0.5, vec![0.3, 0.9, 1.2, -0.2, 0.9]),
                segment(2, 0.03, 0.2, vec![1.8, 2.5, 2.9, 0.4, 0.0]),
            ],
            projection: Projection {
                points,
                customers: 1000,
                explained_variance: [0.412, 0.187],
                centroids: vec![[0.0, 0.0], [3.0, -1.0], [6.0, -2.0]],
            },
            attributes: None,
            warnings: vec![],
            timings_ms: vec![],
        }
    }

    fn names() -> Vec<String> {
        vec![
            "Occasional".into(),
            "Loyal regulars".into(),
            "Big spenders".into(),
        ]
    }

    fn draw(
        kind: ClusterChartKind,
        report: &ClusterReport,
        names: &[String],
        lang: Lang,
        theme: &ChartTheme,
    ) -> (String, ClusterLayout) {
        let (svg, res) = render(|a| draw_cluster_chart(a, kind, report, names, lang, theme, true));
        (svg, res.unwrap_or_else(|e| panic!("{kind:?}: {e}")))
    }

    /// `<circle>` elements of radius `r` filled with `color`.
    fn circles(svg: &str, color: plotters::style::RGBColor, r: u32) -> usize {
        let fill = format!("fill=\"{}\"", hex(color));
        let radius = format!("r=\"{r}\"");
        elements(svg, "circle")
            .iter()
            .filter(|a| a.contains(&fill) && a.contains(&radius))
            .count()
    }

    /// `<circle>` outlines (no fill) of radius `r` in `color`.
    fn rings(svg: &str, color: plotters::style::RGBColor, r: u32) -> usize {
        let stroke = format!("stroke=\"{}\"", hex(color));
        let radius = format!("r=\"{r}\"");
        elements(svg, "circle")
            .iter()
            .filter(|a| a.contains(&stroke) && a.contains(&radius) && a.contains("fill=\"none\""))
            .count()
    }

    fn contains_text(svg: &str, part: &str) -> bool {
        svg.split("<text ")
            .skip(1)
            .filter_map(|rest| rest.split_once("</text>"))
            .any(|(text, _)| text.contains(part))
    }

    #[test]
    fn kinds_have_distinct_names_and_titles_in_both_languages() {
        let names: Vec<&str> = ClusterChartKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(
            names,
            [
                "cluster-elbow",
                "cluster-projection",
                "cluster-profile",
                "cluster-sizes"
            ]
        );
        for kind in ClusterChartKind::ALL {
            assert!(!kind.title().en.is_empty() && !kind.title().zh.is_empty());
            assert_ne!(kind.title().en, kind.title().zh);
        }
    }

    #[test]
    fn elbow_draws_both_curves_marks_the_chosen_and_suggested_k_and_notes_the_sample() {
        let theme = ChartTheme::light();
        let r = report();
        let (svg, layout) = draw(ClusterChartKind::Elbow, &r, &names(), Lang::En, &theme);
        assert!(has_text(&svg, t::CHART_CLUSTER_ELBOW.en));
        // Five inertia dots (r = 4) and five silhouette dots (r = 3).
        assert_eq!(circles(&svg, theme.accent, 4), 5);
        assert_eq!(circles(&svg, theme.accent2, 3), 5);
        // The chosen k (3) is ringed on both curves.
        assert_eq!(rings(&svg, theme.text, 8), 2);
        for text in [
            "Chosen k = 3",
            "Suggested k = 4",
            "Silhouette on a sample of 500 customers",
            "Number of segments (k)",
            "Mean silhouette",
        ] {
            assert!(has_text(&svg, text), "{text}");
        }
        // One x per k, left to right, found by x.
        assert_eq!(layout.hover, HoverAxis::X);
        let xs = &layout.plot.point_x_px;
        assert_eq!(xs.len(), 5);
        assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");
        let text = cluster_readout(
            ClusterChartKind::Elbow,
            &r,
            &names(),
            &layout,
            (xs[3] + 2.0, 100.0),
            Lang::En,
        );
        assert_eq!(
            text.as_deref(),
            Some("k = 5: inertia 1,000, silhouette 0.350")
        );
        let zh = cluster_readout(
            ClusterChartKind::Elbow,
            &r,
            &names(),
            &layout,
            (xs[0], 100.0),
            Lang::Zh,
        );
        assert_eq!(zh.as_deref(), Some("k = 2：惯性 2,500，轮廓系数 0.310"));
    }

    #[test]
    fn elbow_without_sampling_has_no_note_and_merges_chosen_with_suggested() {
        let mut r = report();
        r.k = 4;
        if let Some(s) = r.sweep.as_mut() {
            s.silhouette_sample_size = 1000;
        }
        let (svg, _) = draw(
            ClusterChartKind::Elbow,
            &r,
            &names(),
            Lang::Zh,
            &ChartTheme::dark(),
        );
        assert!(has_text(&svg, "选定 k = 4（即建议值）"));
        assert!(!contains_text(&svg, "建议 k ="));
        assert!(!contains_text(&svg, "抽样"));
        assert!(has_text(&svg, "平均轮廓系数"));
    }

    #[test]
    fn elbow_without_a_sweep_or_with_only_broken_values_draws_no_data() {
        let mut r = report();
        r.sweep = None;
        let (svg, layout) = draw(
            ClusterChartKind::Elbow,
            &r,
            &names(),
            Lang::En,
            &ChartTheme::light(),
        );
        assert!(has_text(&svg, "No data"));
        assert_eq!(layout, ClusterLayout::default());

        let mut r = report();
        if let Some(s) = r.sweep.as_mut() {
            for p in &mut s.points {
                p.inertia = f64::NAN;
                p.silhouette = f64::INFINITY;
            }
        }
        let (svg, _) = draw(
            ClusterChartKind::Elbow,
            &r,
            &names(),
            Lang::Zh,
            &ChartTheme::light(),
        );
        assert!(has_text(&svg, "暂无数据"));

        // One broken k: its dots are skipped, the others drawn, its x is NaN.
        let theme = ChartTheme::light();
        let mut r = report();
        if let Some(s) = r.sweep.as_mut() {
            s.points[1].inertia = f64::NAN;
            s.points[1].silhouette = f64::NEG_INFINITY;
        }
        let (svg, layout) = draw(ClusterChartKind::Elbow, &r, &names(), Lang::En, &theme);
        assert_eq!(circles(&svg, theme.accent, 4), 4);
        assert!(layout.plot.point_x_px[1].is_nan());
        assert!(!has_text(&svg, "No data"));
    }

    #[test]
    fn projection_draws_every_point_in_its_segment_colour_the_centres_and_the_sample_note() {
        let theme = ChartTheme::light();
        let r = report();
        let (svg, layout) = draw(ClusterChartKind::Projection, &r, &names(), Lang::En, &theme);
        assert!(has_text(&svg, t::CHART_CLUSTER_PROJECTION.en));
        // 300 points (r = 3 below 1,500 points), 100 per segment; centres (r = 7) on top.
        for s in 0..3 {
            let color = theme.cluster_color(s);
            assert_eq!(circles(&svg, color, 3), 100, "segment {s}");
            assert_eq!(circles(&svg, color, 7), 1, "segment {s} centre");
        }
        assert_eq!(rings(&svg, theme.text, 7), 3);
        for text in [
            "300 of 1,000 customers shown",
            "PC1 (41.2% of variance)",
            "PC2 (18.7% of variance)",
            "Occasional",
            "Loyal regulars",
            "Big spenders",
            "Segment centre",
        ] {
            assert!(has_text(&svg, text), "{text}");
        }
        // Hover finds a point by distance.
        assert_eq!(layout.hover, HoverAxis::Both);
        assert_eq!(layout.plot.point_x_px.len(), 300);
        let at = (layout.plot.point_x_px[4], layout.point_y_px[4]);
        let text = cluster_readout(
            ClusterChartKind::Projection,
            &r,
            &names(),
            &layout,
            at,
            Lang::En,
        )
        .unwrap_or_default();
        assert!(text.starts_with("Loyal regulars (PC1 "), "{text}");
    }

    #[test]
    fn projection_in_chinese_skips_non_finite_points_and_uses_small_dots_for_many() {
        let theme = ChartTheme::dark();
        let mut r = report();
        r.projection.points = (0..5000)
            .map(|i| ProjectedPoint {
                x: if i % 1000 == 0 {
                    f32::NAN
                } else {
                    (i % 71) as f32
                },
                y: if i == 1 {
                    f32::INFINITY
                } else {
                    (i % 37) as f32
                },
                segment: (i % 3) as u32,
            })
            .collect();
        r.projection.customers = 20_000;
        r.projection.explained_variance = [f64::NAN, 0.25];
        let (svg, layout) = draw(ClusterChartKind::Projection, &r, &names(), Lang::Zh, &theme);
        let drawn: usize = (0..3)
            .map(|s| circles(&svg, theme.cluster_color(s), 2))
            .sum();
        assert_eq!(drawn, 4994);
        assert!(has_text(&svg, "显示 20,000 位客户中的 4,994 位"));
        assert!(has_text(&svg, "主成分1"));
        assert!(has_text(&svg, "主成分2（解释 25.0% 的方差）"));
        assert!(has_text(&svg, "分群中心"));
        assert!(layout.plot.point_x_px[0].is_nan() && layout.point_y_px[1].is_nan());
    }

    #[test]
    fn profile_draws_one_line_per_segment_over_the_columns_and_the_zero_line() {
        let theme = ChartTheme::light();
        let r = report();
        let (svg, layout) = draw(ClusterChartKind::Profile, &r, &names(), Lang::En, &theme);
        assert!(has_text(&svg, t::CHART_CLUSTER_PROFILE.en));
        for (s, seg) in r.segments.iter().enumerate() {
            let color = theme.cluster_color(seg.segment as usize);
            assert_eq!(circles(&svg, color, 3), 5, "segment {s}: a dot per column");
            let stroke = format!("stroke=\"{}\"", hex(color));
            assert!(
                elements(&svg, "polyline")
                    .iter()
                    .any(|a| a.contains(&stroke)),
                "segment {s} line"
            );
        }
        // The long share label turns the labels upright and loses its prefix.
        assert!(svg.contains("rotate("));
        assert!(contains_text(&svg, "North"));
        assert!(contains_text(&svg, "Recency"), "column labels in words");
        for text in [
            "Garden",
            "Base average",
            "Standardised mean (0 = base average)",
            "Occasional",
            "Big spenders",
        ] {
            assert!(has_text(&svg, text), "{text}");
        }
        assert_eq!(layout.plot.point_x_px.len(), 5);
        let x = layout.plot.point_x_px[2];
        let text = cluster_readout(
            ClusterChartKind::Profile,
            &r,
            &names(),
            &layout,
            (x, 0.0),
            Lang::En,
        );
        assert_eq!(
            text.as_deref(),
            Some("Column Revenue: Occasional -0.60 · Loyal regulars 1.20 · Big spenders 2.90")
        );
    }

    #[test]
    fn profile_shortens_and_turns_crowded_column_labels() {
        let mut r = report();
        r.features = (0..24)
            .map(|i| {
                feature(
                    &format!("attr:preferred_store_location=Store number {i}"),
                    TransformKind::OneHot,
                )
            })
            .collect();
        for s in &mut r.segments {
            s.centroid = (0..24).map(|i| f64::from(i % 2)).collect();
        }
        let (svg, layout) = draw(
            ClusterChartKind::Profile,
            &r,
            &names(),
            Lang::En,
            &ChartTheme::light(),
        );
        assert!(!contains_text(&svg, "attr:preferred"));
        let cut = svg
            .split("<text ")
            .filter_map(|t| t.split_once("</text>"))
            .filter(|(t, _)| t.contains("preferred_st") && t.contains('…'))
            .count();
        assert_eq!(cut, 24, "every column labelled, shortened");
        assert!(svg.contains("rotate("), "crowded labels are turned");
        assert_eq!(layout.plot.point_x_px.len(), 24);
    }

    #[test]
    fn sizes_draw_two_bars_per_segment_and_flag_tiny_segments() {
        let theme = ChartTheme::light();
        let r = report();
        let (svg, layout) = draw(ClusterChartKind::Sizes, &r, &names(), Lang::En, &theme);
        assert!(has_text(&svg, t::CHART_CLUSTER_SIZES.en));
        // Two full bars for each of the two regular segments, plus the legend swatches.
        assert_eq!(rects_filled(&svg, theme.accent), 2 + 1);
        assert_eq!(rects_filled(&svg, theme.accent2), 2 + 1);
        // The tiny one is pale and flagged.
        assert!(has_text(&svg, "! Big spenders"));
        assert!(has_text(&svg, "! Tiny segment"));
        assert!(has_text(&svg, "Occasional") && has_text(&svg, "Loyal regulars"));
        for value in ["60.0%", "30.0%", "3.0%", "20.0%"] {
            assert!(has_text(&svg, value), "{value}");
        }
        // A colour dot per segment.
        for s in 0..3 {
            assert_eq!(circles(&svg, theme.cluster_color(s), 4), 1);
        }
        assert_eq!(layout.hover, HoverAxis::Y);
        let ys = &layout.point_y_px;
        assert!(
            ys[0] < ys[1] && ys[1] < ys[2],
            "first segment at the top: {ys:?}"
        );
        let read = |lang| {
            cluster_readout(
                ClusterChartKind::Sizes,
                &r,
                &names(),
                &layout,
                (0.0, ys[2]),
                lang,
            )
        };
        assert_eq!(
            read(Lang::En).as_deref(),
            Some("Big spenders: 3.0% of customers, 20.0% of revenue · tiny segment")
        );
        assert_eq!(
            read(Lang::Zh).as_deref(),
            Some("Big spenders：客户占比 3.0%，销售额占比 20.0% · 过小的分群")
        );
    }

    #[test]
    fn twenty_segments_with_long_names_get_distinct_colours_and_cut_names() {
        let theme = ChartTheme::light();
        let mut r = report();
        r.k = 20;
        r.segments = (0..20)
            .map(|s| segment(s, 0.05, 0.05, vec![f64::from(s) / 10.0; 5]))
            .collect();
        r.projection.points = (0..2000)
            .map(|i| ProjectedPoint {
                x: (i % 20) as f32 + (i as f32 * 0.1).sin(),
                y: (i as f32 * 0.07).cos(),
                segment: (i % 20) as u32,
            })
            .collect();
        r.projection.centroids = (0..20).map(|s| [f64::from(s), 0.0]).collect();
        let names: Vec<String> = (0..20)
            .map(|s| format!("High value · Frequent · Big baskets · Recent number {s}"))
            .collect();
        let (svg, _) = draw(ClusterChartKind::Projection, &r, &names, Lang::En, &theme);
        for s in 0..20 {
            assert_eq!(circles(&svg, theme.cluster_color(s), 2), 100, "segment {s}");
        }
        assert!(!contains_text(&svg, "Recent number"), "long names are cut");
        let legend = svg
            .split("<text ")
            .filter_map(|t| t.split_once("</text>"))
            .filter(|(t, _)| t.contains("High value") && t.contains('…'))
            .count();
        assert_eq!(legend, 20, "every segment in the legend, cut");
        for kind in ClusterChartKind::ALL {
            let (svg, _) = draw(kind, &r, &names, Lang::Zh, &theme);
            assert!(has_text(&svg, kind.title().zh), "{kind:?}");
            assert!(!contains_text(&svg, "Recent number"), "{kind:?}");
        }
    }

    #[test]
    fn missing_names_fall_back_to_numbered_segments() {
        let (svg, _) = draw(
            ClusterChartKind::Sizes,
            &report(),
            &[],
            Lang::Zh,
            &ChartTheme::light(),
        );
        assert!(has_text(&svg, "分群 1") && has_text(&svg, "分群 2") && has_text(&svg, "! 分群 3"));
    }

    /// Reports a chart must survive: empty, one segment, every point on one spot, non-finite
    /// values everywhere, and extreme magnitudes.
    fn degenerate_reports() -> Vec<(&'static str, ClusterReport)> {
        let empty = ClusterReport {
            customers: 0,
            features: vec![],
            sweep: None,
            k: 0,
            inertia: f64::NAN,
            silhouette: f64::NAN,
            silhouette_sample_size: 0,
            calinski_harabasz: f64::NAN,
            stability_ari: None,
            bootstrap_resamples: 0,
            iterations: 0,
            segments: vec![],
            projection: Projection::default(),
            attributes: None,
            warnings: vec![],
            timings_ms: vec![],
        };
        let mut one = report();
        one.k = 1;
        one.segments.truncate(1);
        one.segments[0].share = 1.0;
        one.segments[0].revenue_share = 1.0;
        for p in &mut one.projection.points {
            p.segment = 0;
        }
        one.projection.centroids.truncate(1);
        let mut same = report();
        for p in &mut same.projection.points {
            (p.x, p.y) = (2.0, 2.0);
        }
        same.projection.centroids = vec![[2.0, 2.0]; 3];
        for s in &mut same.segments {
            s.centroid = vec![0.0; 5];
            s.share = 0.0;
            s.revenue_share = 0.0;
        }
        if let Some(sw) = same.sweep.as_mut() {
            for p in &mut sw.points {
                (p.inertia, p.silhouette) = (7.0, 0.0);
            }
        }
        let mut broken = report();
        for p in &mut broken.projection.points {
            p.x = f32::NAN;
        }
        broken.projection.centroids = vec![[f64::INFINITY, 0.0]];
        broken.projection.explained_variance = [f64::NAN, f64::INFINITY];
        for s in &mut broken.segments {
            s.centroid = vec![f64::NAN; 3];
            s.share = f64::NAN;
            s.revenue_share = f64::INFINITY;
        }
        let mut extreme = report();
        if let Some(sw) = extreme.sweep.as_mut() {
            sw.points[0].inertia = f64::MAX;
            sw.points[1].silhouette = -f64::MAX;
            sw.suggested_k = 999;
        }
        extreme.projection.points[0].x = f32::MAX;
        extreme.projection.points[1].y = f32::MIN;
        extreme.projection.points[2].segment = u32::MAX;
        extreme.segments[0].centroid[0] = f64::MAX;
        extreme.segments[1].segment = u32::MAX;
        extreme.segments[2].share = 1e300;
        vec![
            ("empty", empty),
            ("one segment", one),
            ("one spot", same),
            ("non-finite", broken),
            ("extreme", extreme),
        ]
    }

    #[test]
    fn degenerate_reports_draw_without_panicking_in_both_languages_and_themes() {
        for (what, r) in degenerate_reports() {
            for lang in [Lang::En, Lang::Zh] {
                for theme in [ChartTheme::light(), ChartTheme::dark()] {
                    for kind in ClusterChartKind::ALL {
                        for with_title in [true, false] {
                            let (svg, res) = render(|a| {
                                draw_cluster_chart(a, kind, &r, &names(), lang, &theme, with_title)
                            });
                            let layout = res.unwrap_or_else(|e| panic!("{what} {kind:?}: {e}"));
                            assert_eq!(
                                has_text(&svg, kind.title().get(lang)),
                                with_title,
                                "{what} {kind:?}"
                            );
                            assert!(rects_filled(&svg, theme.background) >= 1);
                            // Hovering anywhere answers without panicking.
                            for x in [0.0, 150.0, 400.0, 700.0, f64::NAN] {
                                for y in [0.0, 120.0, 300.0] {
                                    let _ =
                                        cluster_readout(kind, &r, &names(), &layout, (x, y), lang);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn degenerate_reports_say_no_data_only_where_nothing_can_be_drawn() {
        let reports = degenerate_reports();
        let no_data = |what: &str, kind| {
            let r = &reports
                .iter()
                .find(|(w, _)| *w == what)
                .map(|(_, r)| r.clone());
            let r = r.as_ref().unwrap_or_else(|| panic!("{what}"));
            let (svg, _) = draw(kind, r, &names(), Lang::En, &ChartTheme::light());
            has_text(&svg, "No data")
        };
        for kind in ClusterChartKind::ALL {
            assert!(no_data("empty", kind), "empty {kind:?}");
            assert!(!no_data("one segment", kind), "one segment {kind:?}");
            assert!(!no_data("one spot", kind), "one spot {kind:?}");
        }
        assert!(no_data("non-finite", ClusterChartKind::Projection));
        assert!(no_data("non-finite", ClusterChartKind::Profile));
        // Bars with no finite share still list the segments (nothing to fill).
        assert!(!no_data("non-finite", ClusterChartKind::Sizes));
    }
}

// --- baskets (rules, recommendations, regions) ------------------------------------------------

mod baskets {
    use super::{elements, has_text, hex, rects_filled, render, ChartTheme};
    use segscope::charts::{
        basket_readout, draw_basket_chart, heat, BasketChartData, BasketChartKind, ClusterLayout,
        HoverAxis,
    };
    use segscope::engine::baskets::report::{
        BasketSummary, BasketTimings, GroupPreferences, ItemStat, LiftHeatmap, ScatterPoint,
    };
    use segscope::engine::baskets::{
        BasketReport, Evaluation, GroupBy, ItemLevel, MethodScores, RecommendReport, RegionReport,
    };
    use segscope::i18n::{t, Lang};

    const LONG_NAME: &str = "Extra large stoneware casserole dish with a glazed lid and handles";

    fn item(name: &str, baskets: u64) -> ItemStat {
        ItemStat {
            name: name.to_string(),
            baskets,
            support: baskets as f64 / 1000.0,
            revenue: baskets as f64 * 3.0,
        }
    }

    /// 1,000 baskets; four rules (the last with a missing support), three items in the heatmap
    /// (the third with a long name) and three in the frequency list.
    fn rules() -> BasketReport {
        let point = |support, confidence, lift| ScatterPoint {
            support,
            confidence,
            lift,
        };
        let top = vec![item("Milk", 400), item("Bread", 300), item("Eggs", 50)];
        BasketReport {
            summary: BasketSummary {
                level: ItemLevel::Product,
                baskets: 1000,
                items: 3,
                customers: 200,
                mean_size: 2.1,
                median_size: 2.0,
                single_item_share: 0.3,
                lines_without_item: 0,
                top_by_baskets: top.clone(),
                top_by_revenue: top,
            },
            min_support: 0.01,
            min_count: 10,
            itemsets: 7,
            itemsets_by_length: vec![3, 3, 1],
            rules: 4,
            rules_pruned: 0,
            rules_significant: 2,
            scatter: vec![
                point(0.05, 0.3, 1.2),
                point(0.12, 0.6, 2.5),
                point(0.08, 0.9, 4.0),
                point(f64::NAN, 0.5, 1.5),
            ],
            heatmap: LiftHeatmap {
                items: vec!["Bread".into(), "Butter".into(), LONG_NAME.into()],
                lift: vec![
                    vec![None, Some(2.0), Some(0.5)],
                    vec![Some(2.0), None, Some(1.0)],
                    vec![Some(0.5), Some(1.0), None],
                ],
                together: vec![vec![0, 30, 5], vec![30, 0, 12], vec![5, 12, 0]],
            },
            warnings: vec![],
            timings: BasketTimings::default(),
        }
    }

    fn scores(values: [f64; 5]) -> MethodScores {
        MethodScores {
            hit_rate: values[0],
            precision: values[1],
            recall: values[2],
            ndcg: values[3],
            coverage: values[4],
        }
    }

    fn recommendations() -> RecommendReport {
        RecommendReport {
            level: ItemLevel::Product,
            k: 10,
            customers: 200,
            repeat_purchases: false,
            evaluation_unavailable: false,
            heavy_customers: 0,
            evaluation: Some(Evaluation {
                k: 10,
                held_out: 120,
                evaluated: 100,
                skipped_nothing_new: 20,
                model: scores([0.3, 0.05, 0.2, 0.15, 0.4]),
                popular: scores([0.2, 0.03, 0.12, 0.1, 0.1]),
            }),
            bought_together: vec![],
            elapsed_ms: 1.0,
        }
    }

    fn group(name: &str) -> GroupPreferences {
        GroupPreferences {
            name: name.to_string(),
            baskets: 500,
            over_indexed: vec![],
        }
    }

    fn regions() -> RegionReport {
        RegionReport {
            by: GroupBy::Region,
            level: ItemLevel::Product,
            baskets: 1000,
            baskets_without_group: 0,
            cells: 6,
            significant_cells: 2,
            groups: vec![group("North"), group("South")],
            items: vec!["Milk".into(), "Bread".into(), "Eggs".into()],
            index: vec![vec![150.0, 100.0, 50.0], vec![80.0, 120.0, f64::NAN]],
            elapsed_ms: 1.0,
        }
    }

    fn draw(
        kind: BasketChartKind,
        data: &BasketChartData<'_>,
        lang: Lang,
        theme: &ChartTheme,
    ) -> (String, ClusterLayout) {
        let (svg, res) = render(|a| draw_basket_chart(a, kind, data, lang, theme, true));
        (svg, res.unwrap_or_else(|e| panic!("{kind:?}: {e}")))
    }

    fn circles(svg: &str, color: plotters::style::RGBColor) -> usize {
        let fill = format!("fill=\"{}\"", hex(color));
        elements(svg, "circle")
            .iter()
            .filter(|a| a.contains(&fill))
            .count()
    }

    fn contains_text(svg: &str, part: &str) -> bool {
        svg.split("<text ")
            .skip(1)
            .filter_map(|rest| rest.split_once("</text>"))
            .any(|(text, _)| text.contains(part))
    }

    /// The centre of target `index` of a layout.
    fn centre(layout: &ClusterLayout, index: usize) -> (f64, f64) {
        (layout.plot.point_x_px[index], layout.point_y_px[index])
    }

    #[test]
    fn kinds_have_distinct_names_and_titles_in_both_languages() {
        let names: Vec<&str> = BasketChartKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(
            names,
            [
                "baskets-scatter",
                "baskets-heatmap",
                "baskets-items",
                "baskets-evaluation",
                "baskets-regions"
            ]
        );
        for kind in BasketChartKind::ALL {
            assert!(!kind.title().en.is_empty() && !kind.title().zh.is_empty());
            assert_ne!(kind.title().en, kind.title().zh);
        }
    }

    #[test]
    fn scatter_colours_rules_by_lift_and_reads_the_nearest_rule() {
        let theme = ChartTheme::light();
        let r = rules();
        let data = BasketChartData {
            rules: Some(&r),
            ..Default::default()
        };
        let (svg, layout) = draw(BasketChartKind::Scatter, &data, Lang::En, &theme);
        for text in [
            t::CHART_BASKETS_SCATTER.en,
            t::CHART_BASKETS_AXIS_SUPPORT.en,
            t::CHART_BASKETS_AXIS_CONFIDENCE.en,
            "Lift 1.20 – 4.00",
        ] {
            assert!(has_text(&svg, text), "{text}");
        }
        // Three finite rules; the highest lift at the top of the heat ramp.
        assert_eq!(elements(&svg, "circle").len(), 3);
        assert_eq!(circles(&svg, heat(&theme, 1.0)), 1);
        assert_eq!(layout.hover, HoverAxis::Both);
        assert_eq!(layout.plot.point_x_px.len(), 4);
        assert!(layout.plot.point_x_px[3].is_nan());
        let (x, y) = centre(&layout, 1);
        let text = basket_readout(
            BasketChartKind::Scatter,
            &data,
            &layout,
            (x + 3.0, y - 2.0),
            Lang::En,
        );
        assert_eq!(
            text.as_deref(),
            Some("Rule 2: support 12 %, confidence 60.0%, lift 2.50")
        );
        let (x, y) = centre(&layout, 2);
        let zh = basket_readout(BasketChartKind::Scatter, &data, &layout, (x, y), Lang::Zh);
        assert_eq!(
            zh.as_deref(),
            Some("规则 3：支持度 8 %，置信度 90.0%，提升度 4.00")
        );
        // Far from every point: nothing.
        let (x0, y0) = (
            layout.plot.plot_left_px + 2.0,
            layout.plot.plot_top_px + 2.0,
        );
        assert_eq!(
            basket_readout(BasketChartKind::Scatter, &data, &layout, (x0, y0), Lang::En),
            None
        );
    }

    #[test]
    fn lift_heatmap_diverges_around_one_and_reads_the_cell_under_the_mouse() {
        let theme = ChartTheme::light();
        let r = rules();
        let data = BasketChartData {
            rules: Some(&r),
            ..Default::default()
        };
        let (svg, layout) = draw(BasketChartKind::LiftHeatmap, &data, Lang::En, &theme);
        assert!(has_text(&svg, t::CHART_BASKETS_HEATMAP.en));
        assert!(has_text(&svg, "Lift 0.50 – 2.00"));
        // Lift 2 (twice) is full blue, 0.5 (twice) full orange, plus each end of the ramp; the
        // diagonal is blank.
        assert_eq!(rects_filled(&svg, theme.accent), 3);
        assert_eq!(rects_filled(&svg, theme.accent2), 3);
        assert_eq!(rects_filled(&svg, theme.grid), 3);
        // Names on both axes, the long one cut; the values fit in the cells.
        assert!(has_text(&svg, "Butter"));
        assert!(!contains_text(&svg, LONG_NAME));
        assert!(contains_text(&svg, "Extra large") && contains_text(&svg, "…"));
        assert!(has_text(&svg, "0.5"));
        assert_eq!(layout.hover, HoverAxis::Cell);
        assert_eq!(layout.plot.point_x_px.len(), 9);
        // Row 0, column 1, near the cell's corner.
        let (x, y) = centre(&layout, 1);
        let (x1, _) = centre(&layout, 2);
        let (_, y1) = centre(&layout, 4);
        let corner = (x + (x1 - x) * 0.45, y + (y1 - y) * 0.45);
        let text = basket_readout(
            BasketChartKind::LiftHeatmap,
            &data,
            &layout,
            corner,
            Lang::En,
        );
        assert_eq!(
            text.as_deref(),
            Some("Bread & Butter: lift 2.00, 30 baskets together")
        );
        let (x, y) = centre(&layout, 7);
        let zh = basket_readout(
            BasketChartKind::LiftHeatmap,
            &data,
            &layout,
            (x, y),
            Lang::Zh,
        );
        assert_eq!(
            zh.as_deref(),
            Some(format!("{LONG_NAME} 与 Butter：提升度 1.00，共同出现 12 个篮子").as_str())
        );
        // The diagonal reads nothing.
        let (x, y) = centre(&layout, 4);
        assert_eq!(
            basket_readout(
                BasketChartKind::LiftHeatmap,
                &data,
                &layout,
                (x, y),
                Lang::En
            ),
            None
        );
    }

    #[test]
    fn item_bars_show_each_share_and_read_by_row() {
        let theme = ChartTheme::dark();
        let r = rules();
        let data = BasketChartData {
            rules: Some(&r),
            ..Default::default()
        };
        let (svg, layout) = draw(BasketChartKind::ItemFrequency, &data, Lang::En, &theme);
        assert!(has_text(&svg, t::CHART_BASKETS_ITEMS.en));
        assert!(has_text(&svg, t::CHART_BASKETS_AXIS_SHARE.en));
        assert_eq!(rects_filled(&svg, theme.accent), 3);
        for text in ["Milk", "Bread", "Eggs", "40.0%", "30.0%", "5.0%"] {
            assert!(has_text(&svg, text), "{text}");
        }
        assert_eq!(layout.hover, HoverAxis::Y);
        let ys = &layout.point_y_px;
        assert!(ys.windows(2).all(|w| w[0] < w[1]), "{ys:?}");
        // Over the row's name, left of the plot.
        let text = basket_readout(
            BasketChartKind::ItemFrequency,
            &data,
            &layout,
            (10.0, ys[1] + 2.0),
            Lang::En,
        );
        assert_eq!(text.as_deref(), Some("Bread: 30 % of baskets (300)"));
    }

    #[test]
    fn evaluation_bars_compare_the_model_with_the_baseline_per_metric() {
        let theme = ChartTheme::light();
        let recs = recommendations();
        let data = BasketChartData {
            recommendations: Some(&recs),
            ..Default::default()
        };
        let (svg, layout) = draw(BasketChartKind::Evaluation, &data, Lang::En, &theme);
        for text in [
            t::CHART_BASKETS_EVALUATION.en,
            t::RECS_METHOD_MODEL.en,
            t::RECS_METHOD_POPULAR.en,
            t::CHART_BASKETS_AXIS_VALUE.en,
            "Hit rate@10",
            "NDCG@10",
            "30.0%",
            "10.0%",
        ] {
            assert!(has_text(&svg, text), "{text}");
        }
        // Five bars per method and a legend swatch each.
        assert_eq!(rects_filled(&svg, theme.accent), 6);
        assert_eq!(rects_filled(&svg, theme.accent2), 6);
        assert_eq!(layout.hover, HoverAxis::X);
        let xs = &layout.plot.point_x_px;
        assert_eq!(xs.len(), 5);
        let at = |i: usize, lang| {
            basket_readout(
                BasketChartKind::Evaluation,
                &data,
                &layout,
                (xs[i] + 5.0, 200.0),
                lang,
            )
        };
        assert_eq!(
            at(0, Lang::En).as_deref(),
            Some("Hit rate@10: model 30.0%, baseline 20.0%")
        );
        assert_eq!(
            at(4, Lang::En).as_deref(),
            Some("Catalogue coverage: model 40.0%, baseline 10.0%")
        );
        assert_eq!(
            at(3, Lang::Zh).as_deref(),
            Some("NDCG@10：模型 15.0%，基线 10.0%")
        );
    }

    #[test]
    fn regions_heatmap_diverges_around_100_and_reads_group_and_item() {
        let theme = ChartTheme::light();
        let reg = regions();
        let data = BasketChartData {
            regions: Some(&reg),
            ..Default::default()
        };
        let (svg, layout) = draw(BasketChartKind::Regions, &data, Lang::En, &theme);
        assert!(has_text(&svg, t::CHART_BASKETS_REGIONS.en));
        assert!(has_text(&svg, "Index 50 – 200"));
        for text in ["North", "South", "Milk", "Eggs", "150", "120"] {
            assert!(has_text(&svg, text), "{text}");
        }
        // 50 is full orange (and the ramp's low end); the missing cell is blank.
        assert_eq!(rects_filled(&svg, theme.accent2), 2);
        assert_eq!(rects_filled(&svg, theme.grid), 1);
        assert_eq!(layout.hover, HoverAxis::Cell);
        assert_eq!(layout.point_y_px.len(), 6);
        let (x, y) = centre(&layout, 4);
        let text = basket_readout(BasketChartKind::Regions, &data, &layout, (x, y), Lang::En);
        assert_eq!(text.as_deref(), Some("South × Bread: index 120"));
        let (x, y) = centre(&layout, 0);
        let zh = basket_readout(BasketChartKind::Regions, &data, &layout, (x, y), Lang::Zh);
        assert_eq!(zh.as_deref(), Some("North × Milk：指数 150"));
        let (x, y) = centre(&layout, 5);
        assert_eq!(
            basket_readout(BasketChartKind::Regions, &data, &layout, (x, y), Lang::En),
            None
        );
    }

    #[test]
    fn missing_or_empty_reports_draw_the_no_data_text() {
        let mut r = rules();
        r.scatter.clear();
        r.heatmap = LiftHeatmap::default();
        r.summary.top_by_baskets.clear();
        let mut recs = recommendations();
        recs.evaluation = None;
        let mut reg = regions();
        reg.groups.clear();
        reg.index.clear();
        let empty = BasketChartData {
            rules: Some(&r),
            recommendations: Some(&recs),
            regions: Some(&reg),
        };
        for data in [BasketChartData::default(), empty] {
            for lang in [Lang::En, Lang::Zh] {
                for kind in BasketChartKind::ALL {
                    let (svg, layout) = draw(kind, &data, lang, &ChartTheme::light());
                    assert!(has_text(&svg, t::NO_DATA.get(lang)), "{kind:?}");
                    assert!(has_text(&svg, kind.title().get(lang)), "{kind:?}");
                    assert_eq!(layout, ClusterLayout::default());
                    assert_eq!(
                        basket_readout(kind, &data, &layout, (400.0, 200.0), lang),
                        None
                    );
                }
            }
        }
    }

    #[test]
    fn odd_values_draw_without_panicking_in_both_languages_and_themes() {
        let mut r = rules();
        r.scatter = vec![
            ScatterPoint {
                support: 0.5,
                confidence: 0.5,
                lift: f64::INFINITY,
            },
            ScatterPoint {
                support: 1e-9,
                confidence: 1.0,
                lift: 0.0,
            },
        ];
        r.heatmap.lift[0][1] = Some(f64::NAN);
        r.heatmap.lift[1][2] = Some(0.0);
        r.heatmap.lift[2][0] = Some(1e300);
        r.heatmap.lift.pop();
        r.summary.top_by_baskets[0].support = f64::NAN;
        r.summary.top_by_baskets[1].name = LONG_NAME.into();
        let mut recs = recommendations();
        if let Some(e) = recs.evaluation.as_mut() {
            e.model = scores([f64::NAN, 0.0, 1.0, -0.1, f64::INFINITY]);
            e.popular = scores([0.0; 5]);
        }
        let mut reg = regions();
        reg.index = vec![vec![0.0, f64::INFINITY], vec![1e9]];
        reg.groups.push(group(LONG_NAME));
        let data = BasketChartData {
            rules: Some(&r),
            recommendations: Some(&recs),
            regions: Some(&reg),
        };
        for lang in [Lang::En, Lang::Zh] {
            for theme in [ChartTheme::light(), ChartTheme::dark()] {
                for kind in BasketChartKind::ALL {
                    for with_title in [true, false] {
                        let (svg, res) =
                            render(|a| draw_basket_chart(a, kind, &data, lang, &theme, with_title));
                        let layout = res.unwrap_or_else(|e| panic!("{kind:?}: {e}"));
                        assert_eq!(has_text(&svg, kind.title().get(lang)), with_title);
                        for x in [0.0, 150.0, 400.0, 700.0, f64::NAN] {
                            for y in [0.0, 120.0, 300.0, f64::INFINITY] {
                                let _ = basket_readout(kind, &data, &layout, (x, y), lang);
                            }
                        }
                    }
                }
            }
        }
    }

    fn long_names(n: usize, what: &str) -> Vec<String> {
        (0..n)
            .map(|i| format!("{what} {i} with a fairly long descriptive name"))
            .collect()
    }

    #[test]
    fn twenty_items_and_groups_read_the_cell_at_every_centre() {
        let items = long_names(20, "Item");
        let mut heatmap_report = None;
        for (kind, k_rows) in [
            (BasketChartKind::LiftHeatmap, 20),
            (BasketChartKind::Regions, 12),
        ] {
            let lift = |r: usize, c: usize| 0.2 + ((r * 7 + c * 3) % 11) as f64 * 0.4;
            let heatmap = LiftHeatmap {
                items: items.clone(),
                lift: (0..20)
                    .map(|r| (0..20).map(|c| (r != c).then(|| lift(r, c))).collect())
                    .collect(),
                together: vec![vec![3; 20]; 20],
            };
            let regions = RegionReport {
                by: GroupBy::Channel,
                level: ItemLevel::Category,
                baskets: 100,
                baskets_without_group: 0,
                cells: 240,
                significant_cells: 0,
                groups: long_names(k_rows, "Group")
                    .into_iter()
                    .map(|name| GroupPreferences {
                        name,
                        baskets: 10,
                        over_indexed: vec![],
                    })
                    .collect(),
                items: items.clone(),
                index: (0..k_rows)
                    .map(|g| (0..20).map(|i| lift(g, i) * 100.0).collect())
                    .collect(),
                elapsed_ms: 0.0,
            };
            let mut rules = rules();
            rules.heatmap = heatmap;
            heatmap_report.replace(rules);
            let data = BasketChartData {
                rules: heatmap_report.as_ref(),
                recommendations: None,
                regions: Some(&regions),
            };
            for theme in [ChartTheme::light(), ChartTheme::dark()] {
                let (svg, res) =
                    render(|a| draw_basket_chart(a, kind, &data, Lang::En, &theme, true));
                let layout = res.unwrap_or_else(|e| panic!("{kind:?}: {e}"));
                assert!(has_text(&svg, kind.title().en));
                assert_eq!(layout.plot.point_x_px.len(), k_rows * 20);
                for r in 0..k_rows {
                    for c in 0..20 {
                        let i = r * 20 + c;
                        let at = (layout.plot.point_x_px[i], layout.point_y_px[i]);
                        let text = basket_readout(kind, &data, &layout, at, Lang::En);
                        if kind == BasketChartKind::LiftHeatmap && r == c {
                            assert_eq!(text, None);
                            continue;
                        }
                        let text = text.unwrap_or_else(|| panic!("{kind:?} {r} {c}"));
                        let row = if kind == BasketChartKind::Regions {
                            format!("Group {r} with")
                        } else {
                            format!("Item {r} with")
                        };
                        assert!(text.starts_with(&row), "{text}");
                        assert!(
                            text.contains(&format!("Item {c} with")),
                            "{kind:?} {r} {c}: {text}"
                        );
                    }
                }
            }
        }
    }
}

// --- cohorts (lifecycle) -------------------------------------------------------------------------

mod cohorts {
    use super::{elements, has_text, hex, rects_filled, render, ChartTheme};
    use segscope::charts::{
        cohort_readout, draw_cohort_chart, heat, ClusterLayout, CohortChartKind, CohortMetric,
        HoverAxis,
    };
    use segscope::engine::cohorts::{
        AverageCell, CohortCell, CohortParams, CohortReport, CohortRow, GroupSummary,
    };
    use segscope::i18n::{t, Lang};

    fn cell(share: f64, revenue: f64, cumulative: f64) -> CohortCell {
        CohortCell {
            active_share: share,
            revenue_per_customer: revenue,
            cumulative_revenue_per_customer: cumulative,
            ..CohortCell::default()
        }
    }

    fn average(period: u32, share: f64, revenue: f64, cumulative: f64) -> AverageCell {
        AverageCell {
            period,
            customers: 100,
            active_share: share,
            revenue_per_customer: revenue,
            cumulative_revenue_per_customer: cumulative,
        }
    }

    fn group(name: Option<&str>, other: bool, average: Vec<AverageCell>) -> GroupSummary {
        GroupSummary {
            name: name.map(str::to_string),
            other,
            customers: 100,
            cohorts: 3,
            average,
        }
    }

    /// Three monthly cohorts of 3, 2 and 1 cells; everybody, "Milk" and the rest.
    fn report() -> CohortReport {
        let row = |label: &str, customers, cells| CohortRow {
            label: label.to_string(),
            customers,
            cells,
        };
        CohortReport {
            params: CohortParams::default(),
            groups: vec![
                group(
                    None,
                    false,
                    vec![
                        average(0, 1.0, 45.3, 45.3),
                        average(1, 0.3667, 18.33, 63.63),
                        average(2, 0.25, 10.0, 80.0),
                    ],
                ),
                group(
                    Some("Milk"),
                    false,
                    vec![average(0, 1.0, 42.0, 42.0), average(1, 0.5, 20.0, 62.0)],
                ),
                group(None, true, vec![average(0, 1.0, 30.0, 30.0)]),
            ],
            shown_group: 0,
            matrix: vec![
                row(
                    "2024-01",
                    100,
                    vec![
                        cell(1.0, 50.0, 50.0),
                        cell(0.4, 20.0, 70.0),
                        cell(0.25, 10.0, 80.0),
                    ],
                ),
                row(
                    "2024-02",
                    50,
                    vec![cell(1.0, 40.0, 40.0), cell(0.3, 15.0, 55.0)],
                ),
                row("2024-03", 20, vec![cell(1.0, 30.0, 30.0)]),
            ],
            customers_without_purchase: 0,
            customers_in_older_cohorts: 0,
            last_period: "2024-03".to_string(),
        }
    }

    fn names() -> Vec<String> {
        ["All customers", "Milk", "other"]
            .map(String::from)
            .to_vec()
    }

    fn draw(
        kind: CohortChartKind,
        report: Option<&CohortReport>,
        metric: CohortMetric,
        lang: Lang,
        theme: &ChartTheme,
    ) -> (String, ClusterLayout) {
        let names = names();
        let (svg, res) =
            render(|a| draw_cohort_chart(a, kind, report, metric, &names, lang, theme, true));
        (svg, res.unwrap_or_else(|e| panic!("{kind:?}: {e}")))
    }

    fn read(
        kind: CohortChartKind,
        report: &CohortReport,
        metric: CohortMetric,
        layout: &ClusterLayout,
        at: (f64, f64),
        lang: Lang,
    ) -> Option<String> {
        cohort_readout(kind, Some(report), metric, &names(), layout, at, lang)
    }

    /// The centre of cell `index` of a heatmap layout.
    fn centre(layout: &ClusterLayout, index: usize) -> (f64, f64) {
        (layout.plot.point_x_px[index], layout.point_y_px[index])
    }

    #[test]
    fn kinds_and_metrics_have_distinct_names_and_titles_in_both_languages() {
        let names: Vec<&str> = CohortChartKind::ALL.iter().map(|k| k.name()).collect();
        assert_eq!(names, ["cohorts-heatmap", "cohorts-curves"]);
        for title in CohortChartKind::ALL
            .map(CohortChartKind::title)
            .into_iter()
            .chain(CohortMetric::ALL.map(CohortMetric::title))
        {
            assert!(!title.en.is_empty() && !title.zh.is_empty());
            assert_ne!(title.en, title.zh);
        }
        let metrics: Vec<&str> = CohortMetric::ALL.iter().map(|m| m.name()).collect();
        assert_eq!(metrics, ["active", "revenue", "ltv"]);
        assert_eq!(
            CohortMetric::from_name("ltv"),
            Some(CohortMetric::CumulativeRevenuePerCustomer)
        );
    }

    #[test]
    fn heatmap_colours_the_triangle_and_reads_the_cell_under_the_mouse() {
        let theme = ChartTheme::light();
        let r = report();
        let kind = CohortChartKind::Heatmap;
        let share = CohortMetric::ActiveShare;
        let (svg, layout) = draw(kind, Some(&r), share, Lang::En, &theme);
        for text in [
            t::CHART_COHORTS_HEATMAP.en,
            t::CHART_COHORTS_AXIS_PERIOD.en,
            t::COHORTS_COL_COHORT.en,
            // The scale runs to the highest share from +1 on (+0 is 100% by definition).
            "Share active: 0.0% – 40.0%",
            "2024-01",
            "2024-03",
            "+0",
            "+2",
            "100.0%",
            "40.0%",
            "25.0%",
        ] {
            assert!(has_text(&svg, text), "{text}");
        }
        // The three +0 cells, the 40% cell and the ramp's top; the lowest share is paler.
        assert_eq!(rects_filled(&svg, heat(&theme, 1.0)), 5);
        assert_eq!(rects_filled(&svg, heat(&theme, 0.25 / 0.4)), 1);
        assert_eq!(layout.hover, HoverAxis::Cell);
        assert_eq!(layout.plot.point_x_px.len(), 9);
        // Row 0, column 1, near the cell's corner.
        let (x, y) = centre(&layout, 1);
        let (x1, _) = centre(&layout, 2);
        let (_, y1) = centre(&layout, 4);
        let corner = (x + (x1 - x) * 0.45, y + (y1 - y) * 0.45);
        let at = |i, lang| read(kind, &r, share, &layout, centre(&layout, i), lang);
        assert_eq!(
            read(kind, &r, share, &layout, corner, Lang::En).as_deref(),
            Some("2024-01, +1: 40.0%")
        );
        assert_eq!(at(4, Lang::En).as_deref(), Some("2024-02, +1: 30.0%"));
        assert_eq!(at(6, Lang::Zh).as_deref(), Some("2024-03，+0：100.0%"));
        // Past a cohort's last period: nothing.
        for i in [5, 7, 8] {
            assert_eq!(at(i, Lang::En), None, "cell {i}");
        }
        // Outside the plot: nothing.
        let off = (layout.plot.plot_left_px - 5.0, y);
        assert_eq!(read(kind, &r, share, &layout, off, Lang::En), None);

        // Money: the scale from 0 to the highest value, compact values in the cells.
        let money = CohortMetric::CumulativeRevenuePerCustomer;
        let (svg, layout) = draw(kind, Some(&r), money, Lang::En, &theme);
        for text in [
            "Cumulative revenue per customer (LTV): 0 – 80",
            "50",
            "80",
            "55",
        ] {
            assert!(has_text(&svg, text), "{text}");
        }
        assert_eq!(rects_filled(&svg, heat(&theme, 1.0)), 2);
        assert_eq!(
            read(kind, &r, money, &layout, centre(&layout, 2), Lang::En).as_deref(),
            Some("2024-01, +2: 80.00")
        );
    }

    #[test]
    fn curves_draw_one_line_per_group_and_read_each_group_at_the_period() {
        let theme = ChartTheme::light();
        let r = report();
        let kind = CohortChartKind::Curves;
        let share = CohortMetric::ActiveShare;
        let (svg, layout) = draw(kind, Some(&r), share, Lang::En, &theme);
        for text in [
            t::CHART_COHORTS_CURVES.en,
            t::CHART_COHORTS_AXIS_PERIOD.en,
            t::CHART_COHORTS_AXIS_SHARE.en,
            "All customers",
            "Milk",
            "other",
            "+0",
            "+2",
        ] {
            assert!(has_text(&svg, text), "{text}");
        }
        // Everybody's line is the thicker one, in the first segment colour.
        let stroke = format!("stroke=\"{}\"", hex(theme.cluster_color(0)));
        assert!(elements(&svg, "polyline")
            .iter()
            .any(|a| a.contains(&stroke) && a.contains("stroke-width=\"3\"")));
        assert_eq!(layout.hover, HoverAxis::X);
        let xs = layout.plot.point_x_px.clone();
        assert_eq!(xs.len(), 3);
        assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");
        let at = |i: usize, metric, lang| read(kind, &r, metric, &layout, (xs[i] + 4.0, 0.0), lang);
        assert_eq!(
            at(1, share, Lang::En).as_deref(),
            Some("+1: All customers 36.7% · Milk 50.0%")
        );
        assert_eq!(
            at(0, share, Lang::En).as_deref(),
            Some("+0: All customers 100.0% · Milk 100.0% · other 100.0%")
        );
        assert_eq!(
            at(2, CohortMetric::RevenuePerCustomer, Lang::Zh).as_deref(),
            Some("+2：All customers 10.00")
        );
        assert_eq!(read(kind, &r, share, &layout, (1.0, 100.0), Lang::En), None);

        // Without the page's names, the groups' own names (and "All customers", "other").
        let (svg, _) =
            render(|a| draw_cohort_chart(a, kind, Some(&r), share, &[], Lang::Zh, &theme, false));
        for text in [t::COHORTS_ALL.zh, "Milk", t::COHORTS_OTHER.zh] {
            assert!(has_text(&svg, text), "{text}");
        }
        assert!(!has_text(&svg, t::CHART_COHORTS_CURVES.zh));
    }

    #[test]
    fn missing_or_empty_reports_draw_the_no_data_text() {
        let mut empty = report();
        empty.matrix.clear();
        empty.groups.clear();
        let mut no_values = report();
        for row in &mut no_values.matrix {
            row.cells
                .iter_mut()
                .for_each(|c| *c = cell(f64::NAN, f64::NAN, f64::NAN));
        }
        for g in &mut no_values.groups {
            g.average.clear();
        }
        for report in [None, Some(&empty), Some(&no_values)] {
            for lang in [Lang::En, Lang::Zh] {
                for kind in CohortChartKind::ALL {
                    for metric in CohortMetric::ALL {
                        let (svg, layout) = draw(kind, report, metric, lang, &ChartTheme::light());
                        assert!(has_text(&svg, t::NO_DATA.get(lang)), "{kind:?}");
                        assert!(has_text(&svg, kind.title().get(lang)), "{kind:?}");
                        assert_eq!(layout, ClusterLayout::default());
                        let text = cohort_readout(
                            kind,
                            report,
                            metric,
                            &names(),
                            &layout,
                            (400.0, 200.0),
                            lang,
                        );
                        assert_eq!(text, None);
                    }
                }
            }
        }
    }

    #[test]
    fn odd_values_draw_without_panicking_in_both_languages_and_themes() {
        let mut r = report();
        r.matrix[0].cells[1] = cell(f64::NAN, f64::INFINITY, -5.0);
        r.matrix[1].cells[0] = cell(0.0, -20.0, 1e300);
        r.matrix[2].label = "A cohort label far longer than any period name would ever be".into();
        r.groups[1].average[1] = average(3, f64::NAN, -1.0, f64::NEG_INFINITY);
        r.groups[2].average.clear();
        for lang in [Lang::En, Lang::Zh] {
            for theme in [ChartTheme::light(), ChartTheme::dark()] {
                for kind in CohortChartKind::ALL {
                    for metric in CohortMetric::ALL {
                        for with_title in [true, false] {
                            let (svg, res) = render(|a| {
                                draw_cohort_chart(
                                    a,
                                    kind,
                                    Some(&r),
                                    metric,
                                    &[],
                                    lang,
                                    &theme,
                                    with_title,
                                )
                            });
                            let layout = res.unwrap_or_else(|e| panic!("{kind:?}: {e}"));
                            assert_eq!(has_text(&svg, kind.title().get(lang)), with_title);
                            for x in [0.0, 150.0, 400.0, 700.0, f64::NAN] {
                                for y in [0.0, 120.0, 300.0, f64::INFINITY] {
                                    let _ = read(kind, &r, metric, &layout, (x, y), lang);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn three_years_of_weeks_stay_legible_and_read_the_triangle() {
        const N: usize = 156;
        let mut r = report();
        r.matrix = (0..N)
            .map(|i| CohortRow {
                label: format!("W{i:03}"),
                customers: 10,
                cells: (0..N - i)
                    .map(|p| {
                        let share = if p == 0 { 1.0 } else { 0.5 / p as f64 };
                        cell(share, share * 40.0, 40.0 + p as f64)
                    })
                    .collect(),
            })
            .collect();
        r.groups[0].average = (0..N as u32)
            .map(|p| average(p, 1.0 / f64::from(p + 1), 10.0, 10.0 * f64::from(p + 1)))
            .collect();
        let theme = ChartTheme::dark();
        let kind = CohortChartKind::Heatmap;
        let share = CohortMetric::ActiveShare;
        let (svg, layout) = draw(kind, Some(&r), share, Lang::En, &theme);
        assert_eq!(layout.plot.point_x_px.len(), N * N);
        // Only some rows and columns are labelled, and no value is written in the cells.
        let texts = elements(&svg, "text").len();
        assert!(texts < 80, "{texts} texts");
        assert!(has_text(&svg, "W000") && has_text(&svg, "+0"));
        assert!(!has_text(&svg, "W001") && !has_text(&svg, "+1"));
        assert!(!has_text(&svg, "100.0%"));
        for (row, col, expected) in [
            (0, 0, Some("W000, +0: 100.0%")),
            (0, N - 1, Some("W000, +155: 0.3%")),
            (100, 55, Some("W100, +55: 0.9%")),
            (N - 1, 0, Some("W155, +0: 100.0%")),
            (100, 56, None),
            (N - 1, 1, None),
        ] {
            let at = centre(&layout, row * N + col);
            assert_eq!(
                read(kind, &r, share, &layout, at, Lang::En).as_deref(),
                expected,
                "{row} {col}"
            );
        }
        let (svg, layout) = draw(CohortChartKind::Curves, Some(&r), share, Lang::En, &theme);
        assert_eq!(layout.plot.point_x_px.len(), N);
        assert!(elements(&svg, "text").len() < 80);
        let x = layout.plot.point_x_px[100];
        assert_eq!(
            read(
                CohortChartKind::Curves,
                &r,
                share,
                &layout,
                (x, 0.0),
                Lang::En
            )
            .as_deref(),
            Some("+100: All customers 1.0%")
        );
    }
}

// --- send timing (lifecycle) ---------------------------------------------------------------------

mod sendtime {
    use super::{elements, has_text, hex, rects_filled, render, ChartTheme};
    use segscope::charts::{draw_sendtime_chart, heat, sendtime_readout, ClusterLayout, HoverAxis};
    use segscope::engine::rfm::Segment;
    use segscope::engine::sendtime::{
        DimensionSummary, PriorFit, PriorSource, SegmentGrid, SendTimeParams, SendTimeReport,
    };
    use segscope::i18n::{segment_name, t, weekday_name, Lang};

    fn summary(cells: usize) -> DimensionSummary {
        DimensionSummary {
            prior: PriorFit {
                orders: 4.0,
                source: PriorSource::Estimated,
                at_bound: false,
                informing_customers: 10,
            },
            best_customers: vec![1; cells],
            mostly_own: 3,
            mostly_store: 7,
            mean_confidence: Some(0.4),
        }
    }

    /// Counts as 7 rows of shares of their sum.
    fn shares(counts: &[Vec<f64>]) -> Vec<Vec<f64>> {
        let total: f64 = counts.iter().flatten().sum();
        counts
            .iter()
            .map(|row| row.iter().map(|c| c / total).collect())
            .collect()
    }

    /// With hours: the store's orders peak on Tuesday at 09:00 (100 of 1,000), the rest mostly 5
    /// per hour (Saturday 0 at night, Sunday 3); Champions peak on Friday 20:00.
    fn report() -> SendTimeReport {
        let mut counts = vec![vec![0.0; 24]; 7];
        for (r, row) in counts.iter_mut().enumerate() {
            for (c, v) in row.iter_mut().enumerate() {
                *v = match (r, c) {
                    (6, _) => 3.0,
                    (5, 0..=5) => 0.0,
                    _ => 5.0,
                };
            }
        }
        counts[1][9] = 100.0;
        // Up to 1,000 orders (so shares are round), below the peak.
        counts[2][12] = 75.0;
        counts[3][12] = 78.0;
        let mut champions = vec![vec![1.0; 24]; 7];
        champions[4][20] = 32.0;
        SendTimeReport {
            params: SendTimeParams::default(),
            has_times: true,
            columns: 24,
            customers: 50,
            orders: 1000,
            timed_orders: 1000,
            grid: shares(&counts),
            weekday_shares: vec![1.0 / 7.0; 7],
            hour_shares: vec![1.0 / 24.0; 24],
            segments: vec![
                SegmentGrid {
                    segment: Segment::Champions,
                    customers: 10,
                    orders: 199,
                    grid: shares(&champions),
                },
                SegmentGrid {
                    segment: Segment::Hibernating,
                    customers: 0,
                    orders: 0,
                    grid: vec![vec![0.0; 24]; 7],
                },
            ],
            weekday: summary(7),
            hour: Some(summary(24)),
        }
    }

    /// Without times: one column, Saturday the busiest (25%).
    fn weekday_report() -> SendTimeReport {
        let shares = [0.1, 0.1, 0.15, 0.15, 0.2, 0.25, 0.05];
        let grid: Vec<Vec<f64>> = shares.iter().map(|s| vec![*s]).collect();
        SendTimeReport {
            has_times: false,
            columns: 1,
            timed_orders: 0,
            grid: grid.clone(),
            weekday_shares: shares.to_vec(),
            hour_shares: Vec::new(),
            segments: vec![SegmentGrid {
                segment: Segment::AtRisk,
                customers: 5,
                orders: 20,
                grid,
            }],
            hour: None,
            ..report()
        }
    }

    fn draw(
        report: Option<&SendTimeReport>,
        view: usize,
        lang: Lang,
        theme: &ChartTheme,
    ) -> (String, ClusterLayout) {
        let (svg, res) = render(|a| draw_sendtime_chart(a, report, view, lang, theme));
        let layout = res.unwrap_or_else(|e| panic!("view {view}: {e}"));
        assert!(!svg.contains("NaN"), "NaN in the SVG");
        (svg, layout)
    }

    /// The centre of target `index` of a layout.
    fn centre(layout: &ClusterLayout, index: usize) -> (f64, f64) {
        (layout.plot.point_x_px[index], layout.point_y_px[index])
    }

    /// Whether `svg` outlines something with the theme's text colour, 2 pixels wide.
    fn outlined(svg: &str, theme: &ChartTheme) -> usize {
        let stroke = format!("stroke=\"{}\"", hex(theme.text));
        elements(svg, "polyline")
            .iter()
            .filter(|a| a.contains(&stroke) && a.contains("stroke-width=\"2\""))
            .count()
    }

    #[test]
    fn sendtime_heatmap_names_weekdays_and_hours_and_reads_the_cell_under_the_mouse() {
        let theme = ChartTheme::light();
        let r = report();
        let (svg, layout) = draw(Some(&r), 0, Lang::En, &theme);
        for w in 0..7 {
            assert!(has_text(&svg, weekday_name(Lang::En, w)), "weekday {w}");
        }
        for h in (0..24).step_by(3) {
            assert!(has_text(&svg, &format!("{h:02}:00")), "hour {h}");
        }
        assert!(!has_text(&svg, "01:00"));
        for text in [
            t::SENDTIME_CHART.en,
            t::SENDTIME_HOUR_AXIS.en,
            "The whole store: 0.0% – 10.0%",
        ] {
            assert!(has_text(&svg, text), "{text}");
        }
        // The peak cell and the ramp's top step in the highest colour, the cells of 5 orders in
        // theirs; the peak outlined.
        assert_eq!(rects_filled(&svg, heat(&theme, 1.0)), 2);
        assert_eq!(rects_filled(&svg, heat(&theme, 0.05)), 5 * 24 - 3 + 18);
        assert_eq!(outlined(&svg, &theme), 1);
        assert_eq!(layout.hover, HoverAxis::Cell);
        assert_eq!(layout.plot.point_x_px.len(), 7 * 24);
        // Monday at the top, hours left to right.
        assert!(centre(&layout, 0).1 < centre(&layout, 24).1);
        assert!(centre(&layout, 0).0 < centre(&layout, 1).0);
        let read = |at, lang| sendtime_readout(Some(&r), 0, &layout, at, lang);
        assert_eq!(
            read(centre(&layout, 24 + 9), Lang::En).as_deref(),
            Some("Tuesday 09:00: 10.0% of orders")
        );
        // Near a cell's corner, still that cell.
        let (x, y) = centre(&layout, 6 * 24 + 23);
        let (x0, y0) = centre(&layout, 5 * 24 + 22);
        let corner = (x + (x0 - x) * 0.45, y + (y0 - y) * 0.45);
        assert_eq!(
            read(corner, Lang::En).as_deref(),
            Some("Sunday 23:00: 0.3% of orders")
        );
        assert_eq!(
            read(centre(&layout, 5 * 24), Lang::Zh).as_deref(),
            Some("星期六 00:00：占订单 0.0%")
        );
        // Outside the plot: nothing.
        assert_eq!(read((layout.plot.plot_left_px - 5.0, y), Lang::En), None);
        assert_eq!(read((x, layout.plot.plot_bottom_px + 5.0), Lang::En), None);

        // A segment's grid, named in the legend; in Chinese.
        let (svg, layout) = draw(Some(&r), 1, Lang::Zh, &ChartTheme::dark());
        let champions = segment_name(Lang::Zh, Segment::Champions);
        assert!(has_text(&svg, &format!("{champions}：0.0% – 16.1%")));
        assert!(has_text(&svg, t::SENDTIME_CHART.zh));
        assert!(has_text(&svg, weekday_name(Lang::Zh, 6)) && has_text(&svg, "21:00"));
        assert_eq!(outlined(&svg, &ChartTheme::dark()), 1);
        assert_eq!(
            sendtime_readout(Some(&r), 1, &layout, centre(&layout, 4 * 24 + 20), Lang::En)
                .as_deref(),
            Some("Friday 20:00: 16.1% of orders")
        );
    }

    #[test]
    fn sendtime_without_times_draws_one_bar_per_weekday_with_its_percent() {
        let theme = ChartTheme::light();
        let r = weekday_report();
        let (svg, layout) = draw(Some(&r), 0, Lang::En, &theme);
        assert!(has_text(&svg, t::SENDTIME_CHART_WEEKDAYS.en));
        assert!(!has_text(&svg, t::SENDTIME_CHART.en));
        assert!(!has_text(&svg, t::SENDTIME_HOUR_AXIS.en) && !has_text(&svg, "00:00"));
        for w in 0..7 {
            assert!(has_text(&svg, weekday_name(Lang::En, w)), "weekday {w}");
        }
        for text in ["10.0%", "15.0%", "20.0%", "25.0%", "5.0%"] {
            assert!(has_text(&svg, text), "{text}");
        }
        // Seven bars from the plot's left edge, Saturday's in the ramp's top colour (as is the
        // ramp's last step), the longest outlined.
        let left = format!("x=\"{}\"", layout.plot.plot_left_px as i64);
        let bars = elements(&svg, "rect")
            .into_iter()
            .filter(|a| a.contains(&left) && !a.contains("fill=\"none\""))
            .count();
        assert_eq!(bars, 7);
        assert_eq!(rects_filled(&svg, heat(&theme, 1.0)), 2);
        assert_eq!(outlined(&svg, &theme), 1);
        assert_eq!(layout.hover, HoverAxis::Y);
        assert_eq!(layout.point_y_px.len(), 7);
        assert!(layout.point_y_px.windows(2).all(|w| w[0] < w[1]));
        let read = |i: usize, lang| {
            let at = (layout.plot.plot_left_px + 2.0, layout.point_y_px[i]);
            sendtime_readout(Some(&r), 0, &layout, at, lang)
        };
        assert_eq!(
            read(5, Lang::En).as_deref(),
            Some("Saturday: 25.0% of orders")
        );
        assert_eq!(read(0, Lang::Zh).as_deref(), Some("星期一：占订单 10.0%"));
        // The segment view, named in the legend.
        let (svg, _) = draw(Some(&r), 1, Lang::En, &theme);
        let at_risk = segment_name(Lang::En, Segment::AtRisk);
        assert!(has_text(&svg, &format!("{at_risk}: 0.0% – 25.0%")));
    }

    #[test]
    fn sendtime_missing_or_empty_reports_draw_the_no_data_text() {
        let r = report();
        let mut empty = report();
        empty.grid.clear();
        let mut broken = report();
        broken.grid = vec![vec![f64::NAN; 24]; 7];
        let cases = [
            (None, 0),
            (Some(&r), 2), // Hibernating: no orders, zeros
            (Some(&r), 3), // past the segments
            (Some(&empty), 0),
            (Some(&broken), 0),
        ];
        for (report, view) in cases {
            for lang in [Lang::En, Lang::Zh] {
                let (svg, layout) = draw(report, view, lang, &ChartTheme::light());
                assert!(has_text(&svg, t::NO_DATA.get(lang)), "view {view}");
                assert!(has_text(&svg, t::SENDTIME_CHART.get(lang)), "view {view}");
                assert_eq!(layout, ClusterLayout::default());
                assert_eq!(
                    sendtime_readout(report, view, &layout, (400.0, 200.0), lang),
                    None
                );
            }
        }
    }

    #[test]
    fn sendtime_odd_values_draw_without_nan_or_panic() {
        let mut r = report();
        r.grid[0][0] = f64::NAN;
        r.grid[1][1] = f64::INFINITY;
        r.grid[2][2] = -0.5;
        r.grid[3].truncate(10);
        r.grid.push(vec![0.5; 24]);
        let mut w = weekday_report();
        w.grid[2][0] = f64::NAN;
        w.grid[3][0] = -0.1;
        w.grid.truncate(5);
        for report in [&r, &w] {
            for lang in [Lang::En, Lang::Zh] {
                for theme in [ChartTheme::light(), ChartTheme::dark()] {
                    for view in 0..3 {
                        let (_, layout) = draw(Some(report), view, lang, &theme);
                        for x in [0.0, 150.0, 400.0, 700.0, f64::NAN] {
                            for y in [0.0, 120.0, 300.0, f64::INFINITY] {
                                let _ = sendtime_readout(Some(report), view, &layout, (x, y), lang);
                            }
                        }
                    }
                }
            }
        }
        // A missing or non-finite share reads as nothing.
        let (_, layout) = draw(Some(&r), 0, Lang::En, &ChartTheme::light());
        assert_eq!(
            sendtime_readout(Some(&r), 0, &layout, centre(&layout, 0), Lang::En),
            None
        );
        assert_eq!(
            sendtime_readout(Some(&r), 0, &layout, centre(&layout, 3 * 24 + 15), Lang::En),
            None
        );
    }
}

// --- repurchase curves (lifecycle) ---------------------------------------------------------------

mod repurchase {
    use super::{elements, has_text, hex, render, ChartTheme};
    use segscope::charts::{
        draw_repurchase_chart, repurchase_readout, ClusterLayout, HoverAxis, REPURCHASE_CHART_ITEMS,
    };
    use segscope::engine::repurchase::{ItemCycle, RepurchaseParams, RepurchaseReport};
    use segscope::i18n::{t, Lang};

    fn item(name: &str, curve: Vec<(f64, f64)>) -> ItemCycle {
        ItemCycle {
            item: name.to_string(),
            customers: 10,
            events: 8,
            spells: 12,
            median_days: None,
            q25_days: None,
            q75_days: None,
            curve,
        }
    }

    /// Milk steps down at days 10, 30 and 60; Bread at 20 and 40.
    fn report() -> RepurchaseReport {
        RepurchaseReport {
            params: RepurchaseParams::default(),
            as_of_day: 20_000,
            items_with_repeats: 2,
            items: vec![
                item("Milk", vec![(10.0, 0.8), (30.0, 0.5), (60.0, 0.2)]),
                item("Bread", vec![(20.0, 0.75), (40.0, 0.4)]),
            ],
            expected: 0,
            due: 0,
            due_rows: Vec::new(),
            elapsed_ms: 1.0,
        }
    }

    fn draw(
        report: Option<&RepurchaseReport>,
        lang: Lang,
        theme: &ChartTheme,
        with_title: bool,
    ) -> (String, ClusterLayout) {
        let (svg, res) = render(|a| draw_repurchase_chart(a, report, lang, theme, with_title));
        (svg, res.unwrap_or_else(|e| panic!("{e}")))
    }

    #[test]
    fn draws_one_step_curve_per_item_and_reads_every_item_at_the_day() {
        let theme = ChartTheme::light();
        let r = report();
        let (svg, layout) = draw(Some(&r), Lang::En, &theme, true);
        for text in [
            t::CHART_REPURCHASE_TITLE.en,
            t::CHART_REPURCHASE_AXIS_DAYS.en,
            t::CHART_REPURCHASE_AXIS_SHARE.en,
            "Milk",
            "Bread",
            "0",
            "50",
            "100",
        ] {
            assert!(has_text(&svg, text), "{text}");
        }
        // One step curve per item in its series colour (besides its legend swatch): from
        // (0, 100%) across then down at each point, so 1 + 2 × points vertices.
        let points = |attrs: &str| -> Vec<(i32, i32)> {
            let list = attrs.split("points=\"").nth(1).unwrap_or("");
            list.split_whitespace()
                .filter_map(|p| {
                    let (x, y) = p.split_once(',')?;
                    Some((x.parse().ok()?, y.parse().ok()?))
                })
                .collect()
        };
        for (i, n) in [(0, 3), (1, 2)] {
            let stroke = format!("stroke=\"{}\"", hex(theme.series_color(i)));
            let curves: Vec<Vec<(i32, i32)>> = elements(&svg, "polyline")
                .into_iter()
                .filter(|a| a.contains(&stroke))
                .map(points)
                .filter(|p| p.len() > 2)
                .collect();
            assert_eq!(curves.len(), 1, "item {i}");
            let c = &curves[0];
            assert_eq!(c.len(), 1 + 2 * n, "item {i}: {c:?}");
            for (k, w) in c.windows(2).enumerate() {
                if k % 2 == 0 {
                    assert_eq!(w[0].1, w[1].1, "item {i}: across at {k}");
                    assert!(w[0].0 <= w[1].0, "item {i}: rightwards at {k}");
                } else {
                    assert_eq!(w[0].0, w[1].0, "item {i}: down at {k}");
                    assert!(w[0].1 < w[1].1, "item {i}: downwards at {k}");
                }
            }
        }
        // Day 0 and each day a curve steps at.
        assert_eq!(layout.hover, HoverAxis::X);
        let xs = layout.plot.point_x_px.clone();
        assert_eq!(xs.len(), 6);
        assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");
        let at = |i: usize, lang| repurchase_readout(Some(&r), &layout, (xs[i] + 2.0, 0.0), lang);
        assert_eq!(
            at(0, Lang::En).as_deref(),
            Some("day 0: Milk 100% · Bread 100%")
        );
        assert_eq!(
            at(2, Lang::En).as_deref(),
            Some("day 20: Milk 80% · Bread 75%")
        );
        assert_eq!(
            at(3, Lang::En).as_deref(),
            Some("day 30: Milk 50% · Bread 75%")
        );
        assert_eq!(
            at(4, Lang::Zh).as_deref(),
            Some("第 40 天：Milk 50% · Bread 40%")
        );
        // Past Bread's last step only Milk reads.
        assert_eq!(at(5, Lang::En).as_deref(), Some("day 60: Milk 20%"));
        // Outside the plot: nothing.
        let off = (layout.plot.plot_left_px - 5.0, 100.0);
        assert_eq!(repurchase_readout(Some(&r), &layout, off, Lang::En), None);

        // Without the title; in Chinese.
        let (svg, _) = draw(Some(&r), Lang::Zh, &theme, false);
        assert!(!has_text(&svg, t::CHART_REPURCHASE_TITLE.zh));
        assert!(has_text(&svg, t::CHART_REPURCHASE_AXIS_DAYS.zh));
    }

    #[test]
    fn draws_at_most_eight_items_with_long_names_cut() {
        let mut r = report();
        r.items = (0..12)
            .map(|i| {
                let name = if i == 0 {
                    "A product name far longer than any legend could ever hold in one piece".into()
                } else {
                    format!("Item {i}")
                };
                item(&name, vec![(f64::from(i + 1), 0.5), (50.0, 0.1)])
            })
            .collect();
        let (svg, layout) = draw(Some(&r), Lang::En, &ChartTheme::dark(), true);
        assert_eq!(REPURCHASE_CHART_ITEMS, 8);
        assert!(has_text(&svg, "Item 7") && !has_text(&svg, "Item 8"));
        assert!(!has_text(&svg, &r.items[0].item));
        assert!(svg.contains('…'));
        let x = layout.plot.point_x_px[1];
        let text = repurchase_readout(Some(&r), &layout, (x, 0.0), Lang::En).unwrap_or_default();
        assert!(
            text.starts_with("day 1: A product name far longer"),
            "{text}"
        );
        assert!(
            text.contains("Item 7 100%") && !text.contains("Item 8"),
            "{text}"
        );
    }

    #[test]
    fn missing_or_empty_reports_draw_the_no_data_text() {
        let mut empty = report();
        empty.items.clear();
        let mut no_points = report();
        for i in &mut no_points.items {
            i.curve = vec![(f64::NAN, 0.5), (3.0, f64::INFINITY)];
        }
        for report in [None, Some(&empty), Some(&no_points)] {
            for lang in [Lang::En, Lang::Zh] {
                let (svg, layout) = draw(report, lang, &ChartTheme::light(), true);
                assert!(has_text(&svg, t::NO_DATA.get(lang)));
                assert!(has_text(&svg, t::CHART_REPURCHASE_TITLE.get(lang)));
                assert_eq!(layout, ClusterLayout::default());
                assert_eq!(
                    repurchase_readout(report, &layout, (400.0, 200.0), lang),
                    None
                );
            }
        }
    }

    #[test]
    fn odd_values_draw_without_panicking() {
        let mut r = report();
        r.items[0].curve = vec![(5.0, f64::NAN), (-3.0, 0.5), (0.0, 1.5), (1e9, -0.2)];
        r.items[1].curve = vec![(40.0, 0.4), (20.0, 0.75)];
        for lang in [Lang::En, Lang::Zh] {
            for theme in [ChartTheme::light(), ChartTheme::dark()] {
                let (_, layout) = draw(Some(&r), lang, &theme, true);
                for x in [0.0, 150.0, 400.0, 700.0, f64::NAN] {
                    for y in [0.0, 120.0, f64::INFINITY] {
                        let _ = repurchase_readout(Some(&r), &layout, (x, y), lang);
                    }
                }
            }
        }
    }
}

// --- tier migration (lifecycle) -------------------------------------------------------------------

mod tiers {
    use super::{elements, has_text, hex, render, ChartTheme};
    use segscope::charts::{draw_tier_chart, tier_readout, ClusterLayout, HoverAxis};
    use segscope::engine::calendar::iso_day;
    use segscope::engine::tiers::{Movement, TierParams, TierReport, TierRow};
    use segscope::i18n::{t, Lang};

    fn row(tier: u8) -> TierRow {
        TierRow {
            tier,
            lower: f64::from(tier) * 100.0,
            upper: (tier < 2).then(|| f64::from(tier + 1) * 100.0),
            customers_now: 0,
            spend_now: 0.0,
            customer_share_now: 0.0,
            spend_share_now: 0.0,
            customers_before: 0,
            spend_before: 0.0,
        }
    }

    /// Three tiers (Member, Silver, Gold). Rows: not yet, no purchase, Member, Silver, Gold;
    /// columns: no purchase, Member, Silver, Gold. Gold → Member is empty.
    fn report() -> TierReport {
        TierReport {
            params: TierParams::default(),
            suggested: Vec::new(),
            as_of_day: 20_000,
            earlier_day: 19_635,
            earlier_window_partial: false,
            customers: 681,
            active_now: 348,
            active_before: 317,
            tiers: (0..3).map(row).collect(),
            matrix: vec![
                vec![0, 40, 7, 2],
                vec![300, 12, 3, 0],
                vec![25, 150, 18, 1],
                vec![6, 9, 60, 11],
                vec![2, 0, 5, 30],
            ],
            movements: Vec::new(),
            elapsed_ms: 1.0,
        }
    }

    fn draw(
        report: Option<&TierReport>,
        lang: Lang,
        theme: &ChartTheme,
        with_title: bool,
    ) -> (String, ClusterLayout) {
        let (svg, res) = render(|a| draw_tier_chart(a, report, lang, theme, with_title));
        (svg, res.unwrap_or_else(|e| panic!("{e}")))
    }

    fn at(r: &TierReport, layout: &ClusterLayout, i: usize, lang: Lang) -> Option<String> {
        let p = (layout.plot.point_x_px[i], layout.point_y_px[i]);
        tier_readout(Some(r), layout, p, lang)
    }

    #[test]
    fn draws_both_columns_with_names_and_counts_and_reads_every_band_and_bar() {
        let theme = ChartTheme::light();
        let r = report();
        let (svg, layout) = draw(Some(&r), Lang::En, &theme, true);
        assert!(!svg.contains("NaN"));
        for text in [
            t::TIERS_CHART.en,
            // Earlier (left) and now (right).
            "Gold 37",
            "Silver 86",
            "Member 194",
            "No purchase 315",
            "Not yet a customer 49",
            "Gold 44",
            "Silver 93",
            "Member 211",
            "No purchase 333",
            &iso_day(19_635),
            &iso_day(20_000),
        ] {
            assert!(has_text(&svg, text), "{text}");
        }
        // Every movement has a band here, so every one is in the legend.
        for m in Movement::ALL {
            assert!(
                has_text(&svg, segscope::i18n::movement_name(Lang::En, m)),
                "{m:?}"
            );
        }
        // Up bands in the accent, down bands in the second accent.
        let polygons = elements(&svg, "polygon");
        for c in [theme.accent, theme.accent2] {
            let fill = format!("fill=\"{}\"", hex(c));
            assert!(polygons.iter().any(|a| a.contains(&fill)), "{}", hex(c));
        }

        // 17 non-empty bands (earlier state, then state now, top to bottom), 5 + 4 bars.
        assert_eq!(layout.hover, HoverAxis::Both);
        assert_eq!(layout.plot.point_x_px.len(), 17 + 5 + 4);
        assert_eq!(layout.point_y_px.len(), 17 + 5 + 4);
        assert!(layout
            .plot
            .point_x_px
            .iter()
            .chain(&layout.point_y_px)
            .all(|v| v.is_finite()));
        let bands: Vec<String> = (0..17)
            .map(|i| at(&r, &layout, i, Lang::En).unwrap_or_default())
            .collect();
        let expected = [
            "Gold → Gold: 30 customers",
            "Gold → Silver: 5 customers",
            "Gold → No purchase: 2 customers",
            "Silver → Gold: 11 customers",
            "Silver → Silver: 60 customers",
            "Silver → Member: 9 customers",
            "Silver → No purchase: 6 customers",
            "Member → Gold: 1 customers",
            "Member → Silver: 18 customers",
            "Member → Member: 150 customers",
            "Member → No purchase: 25 customers",
            "No purchase → Silver: 3 customers",
            "No purchase → Member: 12 customers",
            "No purchase → No purchase: 300 customers",
            "Not yet a customer → Gold: 2 customers",
            "Not yet a customer → Silver: 7 customers",
            "Not yet a customer → Member: 40 customers",
        ];
        assert_eq!(bands, expected);
        assert_eq!(
            at(&r, &layout, 17, Lang::En).as_deref(),
            Some("Gold, one window earlier: 37 customers")
        );
        assert_eq!(
            at(&r, &layout, 21, Lang::En).as_deref(),
            Some("Not yet a customer, one window earlier: 49 customers")
        );
        assert_eq!(
            at(&r, &layout, 22, Lang::En).as_deref(),
            Some("Gold now: 44 customers")
        );
        assert_eq!(
            at(&r, &layout, 25, Lang::En).as_deref(),
            Some("No purchase now: 333 customers")
        );
        assert_eq!(
            at(&r, &layout, 1, Lang::Zh).as_deref(),
            Some("金卡 → 银卡：5 位客户")
        );
        assert_eq!(
            at(&r, &layout, 22, Lang::Zh).as_deref(),
            Some("当前金卡：44 位客户")
        );
        let mid_x = (layout.plot.plot_left_px + layout.plot.plot_right_px) / 2.0;
        // Over the labels, above and below the plot: nothing.
        let plot = &layout.plot;
        let mid_y = (plot.plot_top_px + plot.plot_bottom_px) / 2.0;
        for p in [
            (plot.plot_left_px - 30.0, mid_y),
            (plot.plot_right_px + 30.0, mid_y),
            (mid_x, plot.plot_top_px - 5.0),
            (mid_x, plot.plot_bottom_px + 5.0),
            (f64::NAN, mid_y),
        ] {
            assert_eq!(tier_readout(Some(&r), &layout, p, Lang::En), None, "{p:?}");
        }

        // Without the title; in Chinese.
        let (svg, _) = draw(Some(&r), Lang::Zh, &ChartTheme::dark(), false);
        assert!(!has_text(&svg, t::TIERS_CHART.zh));
        assert!(has_text(&svg, "金卡 37") && has_text(&svg, "尚未成为客户 49"));
        assert!(!svg.contains("NaN"));
    }

    #[test]
    fn empty_states_are_thin_ticks_and_empty_cells_draw_no_band() {
        let mut r = report();
        // Nobody was Gold one window earlier, nobody is Silver now.
        r.matrix[4] = vec![0, 0, 0, 0];
        for row in &mut r.matrix {
            row[2] = 0;
        }
        let (svg, layout) = draw(Some(&r), Lang::En, &ChartTheme::light(), true);
        assert!(has_text(&svg, "Gold 0") && has_text(&svg, "Silver 0"));
        assert!(!svg.contains("NaN"));
        let bands = layout.plot.point_x_px.len() - 9;
        assert_eq!(bands, 10);
        for i in 0..bands {
            let text = at(&r, &layout, i, Lang::En).unwrap_or_default();
            assert!(
                !text.starts_with("Gold →") && !text.contains("→ Silver"),
                "{text}"
            );
        }
        // The empty bars still read, as 0.
        assert_eq!(
            at(&r, &layout, bands, Lang::En).as_deref(),
            Some("Gold, one window earlier: 0 customers")
        );
        assert_eq!(
            at(&r, &layout, bands + 5 + 1, Lang::En).as_deref(),
            Some("Silver now: 0 customers")
        );
    }

    #[test]
    fn missing_or_empty_reports_draw_the_no_data_text() {
        let mut zeros = report();
        for row in &mut zeros.matrix {
            row.iter_mut().for_each(|c| *c = 0);
        }
        let mut no_matrix = report();
        no_matrix.matrix.clear();
        let mut no_tiers = report();
        no_tiers.tiers.clear();
        no_tiers.matrix = vec![vec![0], vec![0]];
        for report in [None, Some(&zeros), Some(&no_matrix), Some(&no_tiers)] {
            for lang in [Lang::En, Lang::Zh] {
                let (svg, layout) = draw(report, lang, &ChartTheme::light(), true);
                assert!(has_text(&svg, t::NO_DATA.get(lang)));
                assert!(has_text(&svg, t::TIERS_CHART.get(lang)));
                assert!(!svg.contains("NaN"));
                assert_eq!(layout, ClusterLayout::default());
                assert_eq!(tier_readout(report, &layout, (400.0, 200.0), lang), None);
            }
        }
    }

    #[test]
    fn odd_reports_and_tiny_areas_draw_without_panicking() {
        let mut ragged = report();
        ragged.matrix = vec![vec![1], vec![], vec![3, 4, 5, 6, 7, 8], vec![u64::MAX, 1]];
        let mut five = report();
        five.tiers = (0..5).map(row).collect();
        five.matrix = (0..7)
            .map(|i| (0..6).map(|j| (i * 7 + j * 3) % 5).collect())
            .collect();
        let mut many = report();
        many.tiers = (0..40).map(|i| row(i % 5)).collect();
        for r in [ragged, five, many] {
            for lang in [Lang::En, Lang::Zh] {
                let (svg, layout) = draw(Some(&r), lang, &ChartTheme::dark(), true);
                assert!(!svg.contains("NaN"));
                for x in [0.0, 150.0, 400.0, 700.0, f64::NAN] {
                    for y in [0.0, 120.0, 300.0, f64::INFINITY] {
                        let _ = tier_readout(Some(&r), &layout, (x, y), lang);
                    }
                }
                for i in 0..layout.plot.point_x_px.len() {
                    assert!(at(&r, &layout, i, lang).is_some(), "target {i}");
                }
            }
        }
        // A tiny canvas.
        let r = report();
        for (w, h) in [(60u32, 40u32), (200, 80), (1, 1)] {
            let mut svg = String::new();
            {
                use plotters::prelude::*;
                let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
                let layout = draw_tier_chart(&root, Some(&r), Lang::En, &ChartTheme::light(), true)
                    .unwrap_or_else(|e| panic!("{e}"));
                let _ = tier_readout(Some(&r), &layout, (30.0, 20.0), Lang::En);
                root.present().unwrap_or_else(|e| panic!("{e}"));
            }
            assert!(!svg.contains("NaN"));
        }
    }
}

// --- revenue / orders forecast (lifecycle) -------------------------------------------------------

mod forecast {
    use super::{elements, has_text, hex, render, ChartTheme};
    use plotters::style::RGBColor;
    use segscope::charts::{
        draw_forecast_chart, forecast_readout, theme::toward_background, ClusterLayout, HoverAxis,
    };
    use segscope::engine::forecast::{
        ForecastParams, ForecastPoint, ForecastReport, HistoryPoint, SeriesKind, SeriesReport,
    };
    use segscope::i18n::{t, Lang};

    /// "2023-01" for period 0, by month.
    fn label(i: usize) -> String {
        format!("{}-{:02}", 2023 + i / 12, i % 12 + 1)
    }

    /// `history` values, then forecasts whose 80 % interval is ±`spread` and 95 % ±2 × `spread`
    /// around each mean.
    fn series(kind: SeriesKind, history: &[f64], means: &[f64], spread: f64) -> SeriesReport {
        let n = history.len();
        SeriesReport {
            kind,
            history: history
                .iter()
                .enumerate()
                .map(|(i, &value)| HistoryPoint {
                    label: label(i),
                    value,
                })
                .collect(),
            forecast: means
                .iter()
                .enumerate()
                .map(|(h, &mean)| ForecastPoint {
                    label: label(n + h),
                    mean,
                    lo80: mean - spread,
                    hi80: mean + spread,
                    lo95: mean - 2.0 * spread,
                    hi95: mean + 2.0 * spread,
                })
                .collect(),
            model: "ETS(A,N,N)".into(),
            aicc: 100.0,
            alpha: 0.3,
            beta: 0.0,
            gamma: 0.0,
            phi: 1.0,
            backtest: None,
            season_strength: None,
        }
    }

    /// Twelve months of history (2023) and six of forecast (2024-01 to 2024-06).
    fn report(existing: Option<Vec<f64>>) -> ForecastReport {
        let revenue: Vec<f64> = (0..12).map(|i| 10_000.0 + 250.3 * f64::from(i)).collect();
        let orders: Vec<f64> = (0..12).map(|i| 100.0 + f64::from(i)).collect();
        ForecastReport {
            params: ForecastParams {
                horizon: 6,
                ..ForecastParams::default()
            },
            season: 1,
            partial_period: None,
            older_orders: 0,
            revenue: series(SeriesKind::Revenue, &revenue, &[13_000.4; 6], 1_000.2),
            orders: series(
                SeriesKind::Orders,
                &orders,
                &[112.34, 113.0, 113.5, 114.0, 114.5, 115.0],
                6.0,
            ),
            existing_customer_orders: existing,
        }
    }

    fn draw(
        report: Option<&ForecastReport>,
        series: SeriesKind,
        lang: Lang,
        theme: &ChartTheme,
    ) -> (String, ClusterLayout) {
        let (svg, res) = render(|a| draw_forecast_chart(a, report, series, lang, theme, true));
        (svg, res.unwrap_or_else(|e| panic!("{e}")))
    }

    fn read(
        r: &ForecastReport,
        series: SeriesKind,
        layout: &ClusterLayout,
        i: usize,
        lang: Lang,
    ) -> Option<String> {
        let x = layout.plot.point_x_px[i];
        forecast_readout(Some(r), series, layout, (x, 100.0), lang)
    }

    /// Elements (any tag) stroked in `color`.
    fn stroked(svg: &str, color: RGBColor) -> usize {
        let stroke = format!("stroke=\"{}\"", hex(color));
        ["polyline", "path", "line"]
            .iter()
            .flat_map(|tag| elements(svg, tag))
            .filter(|a| a.contains(&stroke))
            .count()
    }

    /// Polygons filled with `color`, as their points.
    fn polygons(svg: &str, color: RGBColor) -> Vec<Vec<(f64, f64)>> {
        let fill = format!("fill=\"{}\"", hex(color));
        elements(svg, "polygon")
            .into_iter()
            .filter(|a| a.contains(&fill))
            .map(|a| {
                let list = a.split("points=\"").nth(1).unwrap_or("");
                list.split('"')
                    .next()
                    .unwrap_or("")
                    .split_whitespace()
                    .filter_map(|p| {
                        let (x, y) = p.split_once(',')?;
                        Some((x.parse().ok()?, y.parse().ok()?))
                    })
                    .collect()
            })
            .collect()
    }

    fn bands(theme: &ChartTheme) -> (RGBColor, RGBColor) {
        // The 95 % band paler than the 80 % one, both from the forecast colour.
        (
            toward_background(theme, theme.accent2, 0.82),
            toward_background(theme, theme.accent2, 0.6),
        )
    }

    #[test]
    fn draws_history_forecast_bands_and_legend_and_reads_each_period() {
        let theme = ChartTheme::light();
        let r = report(Some(vec![50.0; 6]));
        let (svg, layout) = draw(Some(&r), SeriesKind::Revenue, Lang::En, &theme);
        for text in [
            t::FORECAST_CHART.en,
            t::FORECAST_LEGEND_HISTORY.en,
            t::FORECAST_LEGEND_FORECAST.en,
            t::FORECAST_LEGEND_80.en,
            t::FORECAST_LEGEND_95.en,
            t::FORECAST_REVENUE.en,
            // Period labels, every other month at this width; history and forecast.
            "2023-01",
            "2023-03",
            "2024-01",
            "2024-05",
            // Money in compact numbers.
            "10.0k",
        ] {
            assert!(has_text(&svg, text), "{text}");
        }
        assert!(!has_text(&svg, "2023-02"));
        // The existing customers are for orders only.
        assert!(!has_text(&svg, t::FORECAST_LEGEND_EXISTING.en));
        assert_eq!(stroked(&svg, theme.cluster_color(2)), 0);
        assert!(!svg.contains("NaN"));

        // One polygon per band (the legend swatches are rects), starting at the last history
        // point: 1 + 6 points along the top and back along the bottom.
        let (c95, c80) = bands(&theme);
        for color in [c95, c80] {
            let p = polygons(&svg, color);
            assert_eq!(p.len(), 1, "{}", hex(color));
            assert_eq!(p[0].len(), 14, "{:?}", p[0]);
        }
        let (p95, p80) = (&polygons(&svg, c95)[0], &polygons(&svg, c80)[0]);
        // The 95 % band is wider than the 80 % one at each forecast period.
        for k in 1..7 {
            let h95 = p95[13 - k].1 - p95[k].1;
            let h80 = p80[13 - k].1 - p80[k].1;
            assert!(h95 > h80 && h80 > 0.0, "period {k}: {h95} vs {h80}");
        }
        // History solid, forecast dashed (many short pieces), and the divider.
        assert!(stroked(&svg, theme.accent) >= 2);
        assert!(stroked(&svg, theme.accent2) > 6);

        assert_eq!(layout.hover, HoverAxis::X);
        let xs = &layout.plot.point_x_px;
        assert_eq!(xs.len(), 18);
        assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");
        let at = |i, lang| read(&r, SeriesKind::Revenue, &layout, i, lang);
        assert_eq!(at(2, Lang::En).as_deref(), Some("2023-03: 10,501"));
        assert_eq!(
            at(12, Lang::En).as_deref(),
            Some("2024-01: 13,000 (80 %: 12,000 – 14,001; 95 %: 11,000 – 15,001)")
        );
        assert_eq!(
            at(17, Lang::Zh).as_deref(),
            Some("2024-06：13,000（80%：12,000 – 14,001；95%：11,000 – 15,001）")
        );
        assert_eq!(at(0, Lang::Zh).as_deref(), Some("2023-01：10,000"));
        // Off the plot: nothing.
        let off = (layout.plot.plot_left_px - 5.0, 100.0);
        assert_eq!(
            forecast_readout(Some(&r), SeriesKind::Revenue, &layout, off, Lang::En),
            None
        );
    }

    #[test]
    fn orders_show_the_existing_customers_only_when_predictions_ran() {
        let theme = ChartTheme::light();
        let existing = report(Some(vec![40.04, 38.5, 37.0, 35.5, 34.0, 32.5]));
        let (svg, layout) = draw(Some(&existing), SeriesKind::Orders, Lang::En, &theme);
        assert!(has_text(&svg, t::FORECAST_LEGEND_EXISTING.en));
        assert!(has_text(&svg, t::FORECAST_ORDERS.en));
        // Dotted: many short pieces besides the three of the legend swatch.
        assert!(stroked(&svg, theme.cluster_color(2)) > 6);
        assert!(!svg.contains("NaN"));
        let at = |r, i, lang| read(r, SeriesKind::Orders, &layout, i, lang);
        assert_eq!(at(&existing, 11, Lang::En).as_deref(), Some("2023-12: 111"));
        assert_eq!(
            at(&existing, 12, Lang::En).as_deref(),
            Some(
                "2024-01: 112.3 (80 %: 106.3 – 118.3; 95 %: 100.3 – 124.3); \
                 existing customers: 40.0"
            )
        );
        assert_eq!(
            at(&existing, 13, Lang::Zh).as_deref(),
            Some("2024-02：113.0（80%：107.0 – 119.0；95%：101.0 – 125.0）；现有客户：38.5")
        );

        // Without predictions: no third line, no legend entry, no figure in the readout.
        let plain = report(None);
        let (svg, layout) = draw(Some(&plain), SeriesKind::Orders, Lang::Zh, &theme);
        assert!(!has_text(&svg, t::FORECAST_LEGEND_EXISTING.zh));
        assert!(has_text(&svg, t::FORECAST_LEGEND_HISTORY.zh));
        assert!(has_text(&svg, t::FORECAST_LEGEND_95.zh));
        assert_eq!(stroked(&svg, theme.cluster_color(2)), 0);
        assert_eq!(
            read(&plain, SeriesKind::Orders, &layout, 12, Lang::En).as_deref(),
            Some("2024-01: 112.3 (80 %: 106.3 – 118.3; 95 %: 100.3 – 124.3)")
        );
        // Fewer existing values than periods: the rest read without.
        let short = report(Some(vec![40.0]));
        let (_, layout) = draw(Some(&short), SeriesKind::Orders, Lang::En, &theme);
        let text = read(&short, SeriesKind::Orders, &layout, 13, Lang::En).unwrap_or_default();
        assert!(
            text.starts_with("2024-02: 113.0") && !text.contains("existing"),
            "{text}"
        );
    }

    #[test]
    fn missing_or_empty_reports_draw_the_no_data_text() {
        let mut empty = report(None);
        for s in [&mut empty.revenue, &mut empty.orders] {
            s.history.clear();
            s.forecast.clear();
        }
        let mut broken = report(None);
        for s in [&mut broken.revenue, &mut broken.orders] {
            s.history.iter_mut().for_each(|p| p.value = f64::NAN);
            s.forecast.iter_mut().for_each(|p| p.mean = f64::INFINITY);
        }
        for report in [None, Some(&empty), Some(&broken)] {
            for series in [SeriesKind::Revenue, SeriesKind::Orders] {
                for lang in [Lang::En, Lang::Zh] {
                    let (svg, layout) = draw(report, series, lang, &ChartTheme::light());
                    assert!(has_text(&svg, t::NO_DATA.get(lang)));
                    assert!(has_text(&svg, t::FORECAST_CHART.get(lang)));
                    assert!(!svg.contains("NaN"));
                    assert_eq!(layout, ClusterLayout::default());
                    assert_eq!(
                        forecast_readout(report, series, &layout, (400.0, 200.0), lang),
                        None
                    );
                }
            }
        }
    }

    #[test]
    fn negative_lower_bounds_are_drawn_below_zero() {
        let theme = ChartTheme::dark();
        let mut r = report(None);
        r.orders = series(
            SeriesKind::Orders,
            &[3.0, 1.0, 0.0, 2.0],
            &[1.5, 1.2, 1.0],
            2.0,
        );
        let (svg, layout) = draw(Some(&r), SeriesKind::Orders, Lang::En, &theme);
        assert!(!svg.contains("NaN"));
        // The axis reaches below zero.
        assert!(has_text(&svg, "-2") || has_text(&svg, "-3"), "{svg}");
        let (c95, _) = bands(&theme);
        let p = &polygons(&svg, c95)[0];
        let bottom = layout.plot.plot_bottom_px;
        assert!(
            p.iter().all(|&(_, y)| y <= bottom + 1.0),
            "{p:?} below {bottom}"
        );
        assert_eq!(
            read(&r, SeriesKind::Orders, &layout, 4, Lang::En).as_deref(),
            Some("2023-05: 1.5 (80 %: -0.5 – 3.5; 95 %: -2.5 – 5.5)")
        );
    }

    #[test]
    fn long_weekly_histories_thin_their_labels() {
        let mut r = report(None);
        let history: Vec<f64> = (0..156).map(|i| 500.0 + f64::from(i % 13)).collect();
        r.revenue = series(SeriesKind::Revenue, &history, &[510.0; 52], 30.0);
        let s = &mut r.revenue;
        let labels = s.history.iter_mut().map(|p| &mut p.label);
        for (i, label) in labels
            .chain(s.forecast.iter_mut().map(|p| &mut p.label))
            .enumerate()
        {
            *label = format!("2021-W{i:03}");
        }
        let (svg, layout) = draw(
            Some(&r),
            SeriesKind::Revenue,
            Lang::En,
            &ChartTheme::light(),
        );
        let shown = (0..208)
            .filter(|i| has_text(&svg, &format!("2021-W{i:03}")))
            .count();
        assert!((3..=12).contains(&shown), "{shown} labels");
        assert!(has_text(&svg, "2021-W000"));
        assert_eq!(layout.plot.point_x_px.len(), 208);
        // No dots on this many periods.
        assert!(elements(&svg, "circle").len() < 10);
        assert_eq!(
            read(&r, SeriesKind::Revenue, &layout, 160, Lang::En).as_deref(),
            Some("2021-W160: 510 (80 %: 480 – 540; 95 %: 450 – 570)")
        );
    }

    #[test]
    fn odd_reports_and_tiny_areas_draw_without_panicking() {
        let mut r = report(Some(vec![f64::NAN, 3.0]));
        r.orders.history[3].value = f64::NAN;
        r.orders.forecast[1].lo95 = f64::NEG_INFINITY;
        r.orders.forecast[2].mean = f64::NAN;
        r.revenue.forecast.clear();
        r.revenue.history.truncate(1);
        for series in [SeriesKind::Revenue, SeriesKind::Orders] {
            for lang in [Lang::En, Lang::Zh] {
                let (svg, layout) = draw(Some(&r), series, lang, &ChartTheme::dark());
                assert!(!svg.contains("NaN"));
                for x in [0.0, 150.0, 400.0, 700.0, f64::NAN] {
                    for y in [0.0, 120.0, f64::INFINITY] {
                        let _ = forecast_readout(Some(&r), series, &layout, (x, y), lang);
                    }
                }
            }
        }
        assert_eq!(read_at(&r, 3), None);
        for (w, h) in [(60u32, 40u32), (200, 80), (1, 1)] {
            let mut svg = String::new();
            {
                use plotters::prelude::*;
                let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
                let drawn = draw_forecast_chart(
                    &root,
                    Some(&r),
                    SeriesKind::Orders,
                    Lang::En,
                    &ChartTheme::light(),
                    true,
                );
                if let Ok(layout) = drawn {
                    let _ = forecast_readout(
                        Some(&r),
                        SeriesKind::Orders,
                        &layout,
                        (30.0, 20.0),
                        Lang::En,
                    );
                }
                let _ = root.present();
            }
            assert!(!svg.contains("NaN"));
        }
    }

    /// The orders readout at period `i` of `r` drawn at the default size.
    fn read_at(r: &ForecastReport, i: usize) -> Option<String> {
        let (_, layout) = draw(Some(r), SeriesKind::Orders, Lang::En, &ChartTheme::light());
        read(r, SeriesKind::Orders, &layout, i, Lang::En)
    }
}

mod forest {
    use super::{elements, has_text, hex, render, ChartTheme};
    use segscope::charts::{draw_forest_chart, forest_readout, ClusterLayout, HoverAxis};
    use segscope::engine::experiment::stats::Degenerate;
    use segscope::engine::experiment::{SegmentDimension, SegmentLabel, SegmentUplift};
    use segscope::engine::rfm::Segment;
    use segscope::i18n::{degenerate_text, segment_name, t, Lang};

    fn row(segment: Segment, variant: &str, lift: f64, ci: (f64, f64)) -> SegmentUplift {
        SegmentUplift {
            dimension: SegmentDimension::Rfm,
            segment: SegmentLabel::Rfm(segment),
            variant: variant.to_string(),
            control_users: 1_180,
            users: 1_200,
            control_mean: 0.1,
            mean: 0.1 * (1.0 + lift),
            lift,
            ci_low: ci.0,
            ci_high: ci.1,
            p_value: 0.03,
            small: false,
            degenerate: None,
        }
    }

    /// Champions (a clear lift), At Risk (small) and New Customers (no test: control's mean 0),
    /// one variant.
    fn rows() -> Vec<SegmentUplift> {
        let mut small = row(Segment::AtRisk, "B", -0.05, (-0.3, 0.2));
        small.small = true;
        small.users = 60;
        small.control_users = 55;
        let mut degenerate = row(Segment::NewCustomers, "B", 0.0, (0.0, 0.0));
        degenerate.degenerate = Some(Degenerate::BaselineZero);
        vec![
            row(Segment::Champions, "B", 0.12, (0.02, 0.22)),
            small,
            degenerate,
        ]
    }

    fn draw(
        rows: &[SegmentUplift],
        relative: bool,
        lang: Lang,
        theme: &ChartTheme,
        with_title: bool,
    ) -> (String, ClusterLayout) {
        let (svg, res) = render(|a| draw_forest_chart(a, rows, relative, lang, theme, with_title));
        (svg, res.unwrap_or_else(|e| panic!("{e}")))
    }

    fn stroked(svg: &str, tag: &str, color: plotters::style::RGBColor) -> usize {
        let stroke = format!("stroke=\"{}\"", hex(color));
        elements(svg, tag)
            .iter()
            .filter(|a| a.contains(&stroke))
            .count()
    }

    fn circles(svg: &str, color: plotters::style::RGBColor, r: u32) -> usize {
        let fill = format!("fill=\"{}\"", hex(color));
        let radius = format!("r=\"{r}\"");
        elements(svg, "circle")
            .iter()
            .filter(|a| a.contains(&fill) && a.contains(&radius))
            .count()
    }

    fn rings(svg: &str, color: plotters::style::RGBColor, r: u32) -> usize {
        let stroke = format!("stroke=\"{}\"", hex(color));
        let radius = format!("r=\"{r}\"");
        elements(svg, "circle")
            .iter()
            .filter(|a| a.contains(&stroke) && a.contains(&radius) && a.contains("fill=\"none\""))
            .count()
    }

    #[test]
    fn draws_a_row_per_segment_marks_the_small_one_and_leaves_the_degenerate_without_a_whisker() {
        let theme = ChartTheme::light();
        let r = rows();
        let (svg, layout) = draw(&r, true, Lang::En, &theme, true);
        let small_label = format!("{} (small)", segment_name(Lang::En, Segment::AtRisk));
        for text in [
            t::CAMP_FOREST.en,
            t::CAMP_COL_LIFT.en,
            t::CAMP_SMALL.en,
            segment_name(Lang::En, Segment::Champions),
            &small_label,
            segment_name(Lang::En, Segment::NewCustomers),
            "0.0%",
        ] {
            assert!(has_text(&svg, text), "{text}");
        }
        // One variant: no variant in the names, no variant legend.
        assert!(!svg.contains(" · B"));
        assert!(!has_text(&svg, "B"));
        // Points: Champions and the degenerate row filled, the small one hollow; the legend's
        // ring marks "small".
        assert_eq!(circles(&svg, theme.accent, 5), 2);
        assert_eq!(rings(&svg, theme.accent, 5), 1);
        assert_eq!(rings(&svg, theme.axis, 5), 1);
        // Champions' whisker and its two caps in the accent colour; the small one's faded (three
        // more polylines in another colour); the degenerate row none.
        assert_eq!(stroked(&svg, "polyline", theme.accent), 3);
        let faded = elements(&svg, "polyline")
            .iter()
            .filter(|a| a.contains("stroke-width=\"2\""))
            .count();
        assert_eq!(faded, 6);

        // Hover by row, also over the labels.
        assert_eq!(layout.hover, HoverAxis::Y);
        let ys = layout.point_y_px.clone();
        assert_eq!(ys.len(), 3);
        assert!(ys.windows(2).all(|w| w[0] < w[1]), "{ys:?}");
        let read = |x: f64, y: f64, lang| forest_readout(&r, true, &layout, (x, y), lang);
        let champions = "Champions, B: 12.0% [2.0%, 22.0%], 1,200 vs 1,180 customers";
        assert_eq!(read(5.0, ys[0] + 2.0, Lang::En).as_deref(), Some(champions));
        assert_eq!(read(600.0, ys[0], Lang::En).as_deref(), Some(champions));
        assert_eq!(
            read(5.0, ys[1] - 2.0, Lang::En).as_deref(),
            Some("At Risk (small), B: -5.0% [-30.0%, 20.0%], 60 vs 55 customers")
        );
        let degenerate = read(300.0, ys[2], Lang::Zh).unwrap_or_default();
        assert!(
            degenerate.ends_with(&degenerate_text(Lang::Zh, Degenerate::BaselineZero)),
            "{degenerate}"
        );
        assert!(degenerate.starts_with(segment_name(Lang::Zh, Segment::NewCustomers)));
        // Above the rows: nothing; with other rows: nothing.
        assert_eq!(read(300.0, layout.plot.plot_top_px - 5.0, Lang::En), None);
        assert_eq!(
            forest_readout(&r[..2], true, &layout, (5.0, ys[0]), Lang::En),
            None
        );

        // Without the title; in Chinese.
        let (svg, _) = draw(&r, true, Lang::Zh, &theme, false);
        assert!(!has_text(&svg, t::CAMP_FOREST.zh));
        assert!(has_text(&svg, t::CAMP_COL_LIFT.zh));
        let small_zh = format!("{}（样本少）", segment_name(Lang::Zh, Segment::AtRisk));
        assert!(has_text(&svg, &small_zh));
    }

    #[test]
    fn several_variants_name_and_colour_each_row_and_absolute_lifts_read_as_numbers() {
        let theme = ChartTheme::dark();
        let r = vec![
            row(Segment::Champions, "B", 0.012, (0.004, 0.02)),
            row(Segment::Champions, "C", -0.01, (-0.03, 0.01)),
            SegmentUplift {
                segment: SegmentLabel::Cluster(1),
                dimension: SegmentDimension::Cluster,
                ..row(Segment::Champions, "B", 0.005, (-0.002, 0.012))
            },
            SegmentUplift {
                segment: SegmentLabel::NotInTransactions,
                ..row(Segment::Champions, "C", 0.0, (-0.004, 0.004))
            },
        ];
        let (svg, layout) = draw(&r, false, Lang::En, &theme, true);
        for text in [
            "Champions · B",
            "Champions · C",
            "Segment 2 · B",
            &format!("{} · C", t::CAMP_NOT_IN_TRANSACTIONS.en),
            "B",
            "C",
        ] {
            assert!(has_text(&svg, text), "{text}");
        }
        assert!(!has_text(&svg, t::CAMP_SMALL.en));
        // Two rows per variant in its colour (legend dots are smaller).
        assert_eq!(circles(&svg, theme.cluster_color(0), 5), 2);
        assert_eq!(circles(&svg, theme.cluster_color(1), 5), 2);
        assert_eq!(circles(&svg, theme.cluster_color(0), 4), 1);
        assert_eq!(stroked(&svg, "polyline", theme.cluster_color(1)), 6);
        // Plain numbers on the axis and in the readout.
        assert!(!svg.contains('%'));
        let y = layout.point_y_px[1];
        assert_eq!(
            forest_readout(&r, false, &layout, (10.0, y), Lang::En).as_deref(),
            Some("Champions, C: -0.01 [-0.03, 0.01], 1,200 vs 1,180 customers")
        );
    }

    #[test]
    fn empty_or_non_finite_rows_draw_no_data_and_odd_values_do_not_panic() {
        let nan = row(Segment::Promising, "B", f64::NAN, (f64::NAN, f64::INFINITY));
        for rows in [Vec::new(), vec![nan.clone(), nan.clone()]] {
            for lang in [Lang::En, Lang::Zh] {
                let (svg, layout) = draw(&rows, true, lang, &ChartTheme::light(), true);
                assert!(has_text(&svg, t::NO_DATA.get(lang)));
                assert!(has_text(&svg, t::CAMP_FOREST.get(lang)));
                assert_eq!(layout, ClusterLayout::default());
                assert_eq!(
                    forest_readout(&rows, true, &layout, (400.0, 200.0), lang),
                    None
                );
            }
        }
        // A NaN row among finite ones keeps its label but draws no mark; huge, reversed and
        // all-zero intervals draw too; 24 rows fit.
        let mut odd = rows();
        odd.push(nan);
        odd.push(row(Segment::Hibernating, "B", 1e300, (-1e300, f64::MAX)));
        odd.push(row(Segment::Lost, "B", 0.1, (0.3, -0.2)));
        let zeros = vec![row(Segment::Champions, "B", 0.0, (0.0, 0.0))];
        let many: Vec<SegmentUplift> = (0..24)
            .map(|i| SegmentUplift {
                segment: SegmentLabel::Cluster(i),
                ..row(Segment::Champions, "B", f64::from(i) / 100.0, (-0.1, 0.3))
            })
            .collect();
        for rows in [odd, zeros, many] {
            for lang in [Lang::En, Lang::Zh] {
                for theme in [ChartTheme::light(), ChartTheme::dark()] {
                    for relative in [true, false] {
                        let (svg, layout) = draw(&rows, relative, lang, &theme, true);
                        assert!(!has_text(&svg, t::NO_DATA.get(lang)));
                        assert_eq!(layout.point_y_px.len(), rows.len());
                        for x in [0.0, 400.0, f64::NAN] {
                            for y in [0.0, 200.0, f64::INFINITY] {
                                let _ = forest_readout(&rows, relative, &layout, (x, y), lang);
                            }
                        }
                    }
                }
            }
        }
    }
}

mod gain {
    use super::{elements, has_text, hex, rects_filled, render, ChartTheme};
    use segscope::charts::{draw_gain_chart, gain_readout, ClusterLayout, HoverAxis};
    use segscope::engine::experiment::response::Decile;
    use segscope::i18n::{t, Lang};

    fn decile(decile: u8, lift: f64, cumulative_gain: f64) -> Decile {
        Decile {
            decile,
            customers: 100,
            responders: (lift * 10.0).round() as u64,
            response_rate: lift * 0.1,
            lift,
            cumulative_responders: (cumulative_gain * 100.0).round() as u64,
            cumulative_gain,
            cumulative_lift: 1.0,
            min_score: 0.1,
            max_score: 0.9,
        }
    }

    /// Ten deciles, lifts falling from 3 to 0.2 (they sum to 10, so the gains reach 100 %).
    fn deciles() -> Vec<Decile> {
        let lifts = [3.0, 2.0, 1.5, 1.0, 0.8, 0.6, 0.4, 0.3, 0.2, 0.2];
        let mut gain = 0.0;
        lifts
            .iter()
            .enumerate()
            .map(|(i, lift)| {
                gain += lift / 10.0;
                decile(i as u8 + 1, *lift, gain)
            })
            .collect()
    }

    fn draw(
        deciles: &[Decile],
        lang: Lang,
        theme: &ChartTheme,
        title: bool,
    ) -> (String, ClusterLayout) {
        let (svg, res) = render(|a| draw_gain_chart(a, deciles, lang, theme, title));
        (svg, res.unwrap_or_else(|e| panic!("{e}")))
    }

    fn circles(svg: &str, color: plotters::style::RGBColor) -> usize {
        let fill = format!("fill=\"{}\"", hex(color));
        elements(svg, "circle")
            .iter()
            .filter(|a| a.contains(&fill))
            .count()
    }

    #[test]
    fn draws_a_lift_bar_and_a_gain_point_per_decile_and_reads_the_decile_under_the_mouse() {
        let theme = ChartTheme::light();
        let d = deciles();
        let (svg, layout) = draw(&d, Lang::En, &theme, true);
        for text in [
            t::CAMP_GAIN.en,
            t::CAMP_GAIN_AXIS_X.en,
            t::CAMP_GAIN_AXIS_LIFT.en,
            t::CAMP_GAIN_AXIS_GAIN.en,
            t::CAMP_GAIN_BARS.en,
            t::CAMP_GAIN_CUMULATIVE.en,
            t::CAMP_CURVE_RANDOM.en,
            "10%",
            "100%",
        ] {
            assert!(has_text(&svg, text), "{text}");
        }
        assert!(!has_text(&svg, t::NO_DATA.en));
        // Ten bars and the legend's swatch; ten gain points.
        assert_eq!(rects_filled(&svg, theme.accent), 11);
        assert_eq!(circles(&svg, theme.accent2), 10);

        assert_eq!(layout.hover, HoverAxis::X);
        let xs = layout.plot.point_x_px.clone();
        assert_eq!(xs.len(), 10);
        assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");
        let read = |x: f64, y: f64| gain_readout(&d, &layout, (x, y), Lang::En);
        let third = "Decile 3 (20%–30% of customers by score): response rate 15.0%, lift 1.50, \
                     cumulative gain 65.0%";
        // By x alone, over either panel.
        let (top, bottom) = (layout.plot.plot_top_px, layout.plot.plot_bottom_px);
        assert_eq!(read(xs[2], top + 5.0).as_deref(), Some(third));
        assert_eq!(read(xs[2] + 3.0, bottom - 5.0).as_deref(), Some(third));
        assert!(read(xs[0], 200.0).is_some_and(|r| r.starts_with("Decile 1 (0%–10%")));
        assert!(read(xs[9], 200.0).is_some_and(|r| r.starts_with("Decile 10 (90%–100%")));
        // Off the plot, or with other deciles: nothing.
        assert_eq!(read(layout.plot.plot_left_px - 5.0, 200.0), None);
        assert_eq!(
            gain_readout(&d[..9], &layout, (xs[2], 200.0), Lang::En),
            None
        );

        // Without the title; in Chinese.
        let (svg, layout) = draw(&d, Lang::Zh, &ChartTheme::dark(), false);
        assert!(!has_text(&svg, t::CAMP_GAIN.zh));
        assert!(has_text(&svg, t::CAMP_GAIN_CUMULATIVE.zh));
        let zh = gain_readout(&d, &layout, (layout.plot.point_x_px[0], 200.0), Lang::Zh)
            .unwrap_or_default();
        assert!(zh.starts_with("第 1 个十分位"), "{zh}");
    }

    #[test]
    fn empty_or_non_finite_deciles_draw_no_data_and_odd_ones_do_not_panic() {
        let nan = decile(2, f64::NAN, f64::NAN);
        for d in [
            Vec::new(),
            vec![nan.clone()],
            vec![decile(0, 1.0, 0.5), decile(11, 2.0, 0.6)],
        ] {
            for lang in [Lang::En, Lang::Zh] {
                let (svg, layout) = draw(&d, lang, &ChartTheme::light(), true);
                assert!(has_text(&svg, t::NO_DATA.get(lang)));
                assert!(has_text(&svg, t::CAMP_GAIN.get(lang)));
                assert_eq!(layout, ClusterLayout::default());
                assert_eq!(gain_readout(&d, &layout, (400.0, 200.0), lang), None);
            }
        }
        // Gaps (fewer than ten customers), a NaN decile, huge, negative and out-of-range values,
        // all-zero lifts (nobody responded).
        let odd = vec![
            decile(1, 1e300, 0.4),
            nan,
            decile(4, f64::MAX, f64::INFINITY),
            decile(7, -0.5, 1.7),
            decile(10, 0.0, -0.2),
        ];
        let zeros: Vec<Decile> = (1..=10).map(|k| decile(k, 0.0, 0.0)).collect();
        for d in [odd, zeros] {
            for lang in [Lang::En, Lang::Zh] {
                for theme in [ChartTheme::light(), ChartTheme::dark()] {
                    let (svg, layout) = draw(&d, lang, &theme, true);
                    assert!(!has_text(&svg, t::NO_DATA.get(lang)));
                    assert_eq!(layout.plot.point_x_px.len(), d.len());
                    for x in [0.0, 100.0, 400.0, 790.0, f64::NAN] {
                        for y in [0.0, 200.0, f64::INFINITY] {
                            let _ = gain_readout(&d, &layout, (x, y), lang);
                        }
                    }
                }
            }
        }
    }
}

mod qini {
    use super::{elements, has_text, hex, render, ChartTheme};
    use segscope::charts::{draw_qini_chart, qini_readout, ClusterLayout, HoverAxis};
    use segscope::engine::experiment::uplift::CurvePoint;
    use segscope::engine::experiment::UpliftReport;
    use segscope::i18n::{t, Lang};

    const QINI: [f64; 11] = [
        0.0, 20.0, 35.0, 45.0, 52.0, 56.0, 58.0, 58.0, 56.0, 53.0, 50.0,
    ];

    fn curve(values: &[f64], scale: f64) -> Vec<CurvePoint> {
        values
            .iter()
            .enumerate()
            .map(|(i, v)| CurvePoint {
                targeted: i as u64 * 100,
                share: i as f64 / 10.0,
                value: v * scale,
            })
            .collect()
    }

    /// 1,000 held-out customers; the uplift curve at `uplift_scale` times the Qini curve.
    fn report(uplift_scale: f64, coefficient: Option<f64>) -> UpliftReport {
        UpliftReport {
            metric: "converted".into(),
            test_customers: 1_000,
            qini_coefficient: coefficient,
            uplift_auc: Some(0.02),
            qini: curve(&QINI, 1.0),
            uplift: curve(&QINI, uplift_scale),
            top_shares: Vec::new(),
        }
    }

    fn draw(
        report: Option<&UpliftReport>,
        lang: Lang,
        theme: &ChartTheme,
        title: bool,
    ) -> (String, ClusterLayout) {
        let (svg, res) = render(|a| draw_qini_chart(a, report, lang, theme, title));
        (svg, res.unwrap_or_else(|e| panic!("{e}")))
    }

    fn stroked(svg: &str, color: plotters::style::RGBColor) -> usize {
        let stroke = format!("stroke=\"{}\"", hex(color));
        elements(svg, "polyline")
            .iter()
            .filter(|a| a.contains(&stroke))
            .count()
    }

    #[test]
    fn draws_the_qini_and_uplift_curves_with_the_coefficient_and_reads_the_share_under_the_mouse() {
        let theme = ChartTheme::light();
        let r = report(1.8, Some(0.1234));
        let (svg, layout) = draw(Some(&r), Lang::En, &theme, true);
        for text in [
            t::CAMP_QINI.en,
            t::CAMP_QINI_AXIS_X.en,
            t::CAMP_QINI_AXIS_Y.en,
            t::CAMP_QINI_CURVE.en,
            "Qini coefficient 0.123",
            t::CAMP_UPLIFT_CURVE.en,
            t::CAMP_CURVE_RANDOM.en,
            "0%",
            "100%",
        ] {
            assert!(has_text(&svg, text), "{text}");
        }
        // Each curve and its legend swatch.
        assert_eq!(stroked(&svg, theme.accent), 2);
        assert_eq!(stroked(&svg, theme.accent2), 2);

        assert_eq!(layout.hover, HoverAxis::X);
        let xs = layout.plot.point_x_px.clone();
        assert_eq!(xs.len(), 11);
        assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");
        let read =
            |x: f64, r: &UpliftReport, lang| qini_readout(Some(r), &layout, (x, 200.0), lang);
        assert_eq!(
            read(xs[3] + 2.0, &r, Lang::En).as_deref(),
            Some(
                "Top 30.0% (300 customers): 45.0 incremental responders (random targeting 15.0) \
                 · uplift curve 81.0"
            )
        );
        assert!(read(xs[0], &r, Lang::En).is_some_and(|s| s.starts_with("Top 0.0% (0 customers)")));
        assert!(
            read(xs[10], &r, Lang::Zh).is_some_and(|s| s.starts_with("前 100.0%（1,000 位客户）"))
        );
        assert_eq!(read(layout.plot.plot_right_px + 5.0, &r, Lang::En), None);
        assert_eq!(qini_readout(None, &layout, (xs[3], 200.0), Lang::En), None);
        let mut shorter = r.clone();
        shorter.qini.pop();
        assert_eq!(read(xs[3], &shorter, Lang::En), None);

        // Without the title; in Chinese; no coefficient.
        let (svg, _) = draw(Some(&report(1.8, None)), Lang::Zh, &theme, false);
        assert!(!has_text(&svg, t::CAMP_QINI.zh));
        assert!(has_text(&svg, t::CAMP_QINI_CURVE.zh));
        assert!(has_text(&svg, t::CAMP_UPLIFT_CURVE.zh));
        assert!(!svg.contains("Qini 系数"));
    }

    #[test]
    fn an_uplift_curve_off_the_qini_scale_is_left_out() {
        let theme = ChartTheme::dark();
        let r = report(5.0, Some(f64::NAN));
        let (svg, layout) = draw(Some(&r), Lang::En, &theme, true);
        assert!(!has_text(&svg, t::CAMP_UPLIFT_CURVE.en));
        assert!(has_text(&svg, t::CAMP_QINI_CURVE.en));
        assert!(!svg.contains("Qini coefficient"));
        assert_eq!(stroked(&svg, theme.accent2), 0);
        assert_eq!(stroked(&svg, theme.accent), 2);
        let text = qini_readout(
            Some(&r),
            &layout,
            (layout.plot.point_x_px[5], 100.0),
            Lang::En,
        )
        .unwrap_or_default();
        assert_eq!(
            text,
            "Top 50.0% (500 customers): 56.0 incremental responders (random targeting 25.0)"
        );
    }

    #[test]
    fn no_report_or_no_finite_point_draws_no_data_and_odd_curves_do_not_panic() {
        let mut empty = report(1.0, Some(0.1));
        empty.qini.clear();
        let mut nan = report(1.0, None);
        for p in &mut nan.qini {
            p.value = f64::NAN;
        }
        for r in [None, Some(&empty), Some(&nan)] {
            for lang in [Lang::En, Lang::Zh] {
                let (svg, layout) = draw(r, lang, &ChartTheme::light(), true);
                assert!(has_text(&svg, t::NO_DATA.get(lang)));
                assert!(has_text(&svg, t::CAMP_QINI.get(lang)));
                assert_eq!(layout, ClusterLayout::default());
                assert_eq!(qini_readout(r, &layout, (400.0, 200.0), lang), None);
            }
        }
        // Only the start point; negative, huge and unsorted values; shares out of 0..=1.
        let mut start = report(1.0, None);
        start.qini.truncate(1);
        let mut odd = report(2.0, Some(-0.4));
        odd.qini.reverse();
        if let [a, b, c, ..] = odd.qini.as_mut_slice() {
            a.value = -1e300;
            b.value = f64::MAX;
            c.share = 1.7;
        }
        let mut zeros = report(0.0, Some(0.0));
        for p in &mut zeros.qini {
            p.value = 0.0;
        }
        for r in [start, odd, zeros] {
            for lang in [Lang::En, Lang::Zh] {
                for theme in [ChartTheme::light(), ChartTheme::dark()] {
                    let (svg, layout) = draw(Some(&r), lang, &theme, true);
                    assert!(!has_text(&svg, t::NO_DATA.get(lang)));
                    for x in [0.0, 100.0, 400.0, 790.0, f64::NAN] {
                        for y in [0.0, 200.0, f64::INFINITY] {
                            let _ = qini_readout(Some(&r), &layout, (x, y), lang);
                        }
                    }
                }
            }
        }
    }
}
