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
