//! One canvas per chart: an `Effect` draws the current report with plotters-canvas (the only
//! place the page touches a canvas) and redraws on resize, theme and language; a hover readout
//! and a PNG download sit beside it.

use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea as _;
use plotters_canvas::CanvasBackend;

use super::{browser, dashboard::DrawnCharts, tr, AppState};
use crate::charts::{
    draw_clv_chart, draw_dashboard_chart, lorenz_at, nearest_point, ChartResult, ChartTheme,
    PlotLayout,
};
pub use crate::charts::{
    BasketChartKind, ChartKind, ClusterChartKind, ClvChartKind, CohortChartKind, CohortMetric,
};
use crate::format::{grouped, percent};
use crate::i18n::{fill, t};

/// Canvas height in CSS pixels (the width follows the card).
const CHART_HEIGHT_PX: u32 = 320;
/// Canvas height of the segmentation charts in CSS pixels: taller, so a legend of up to 20
/// segments leaves the plot its room.
const CLUSTER_CHART_HEIGHT_PX: u32 = 360;
/// Canvas height of the baskets charts in CSS pixels: taller still, so a 20 × 20 lift heatmap
/// keeps readable rows under its column names.
const BASKET_CHART_HEIGHT_PX: u32 = 440;
/// Canvas height of the cohort heatmap in CSS pixels: up to 156 cohorts (three years of weeks)
/// keep rows of a couple of pixels, and a year of months rows tall enough for their values.
const COHORT_HEATMAP_HEIGHT_PX: u32 = 480;
/// Canvas height of the tier migration in CSS pixels: seven bars a column (five tiers) with
/// their labels apart, under a legend of up to seven movements.
const TIER_CHART_HEIGHT_PX: u32 = 400;

/// A chart card.
#[component]
pub fn Chart(kind: ChartKind) -> impl IntoView {
    let state = expect_context::<AppState>();
    let drawn = expect_context::<DrawnCharts>().0;
    let canvas: NodeRef<leptos::html::Canvas> = NodeRef::new();
    let layout = StoredValue::new(None::<PlotLayout>);
    let readout = RwSignal::new(String::new());

    Effect::new(move |_| {
        state.redraw.track();
        let lang = state.lang.get();
        let theme = if state.dark.get() {
            ChartTheme::dark()
        } else {
            ChartTheme::light()
        };
        let Some(el) = canvas.get() else { return };
        let drawn_layout = draw_on_canvas(el, |area| {
            state.overview.report.with(|r| {
                r.as_ref()
                    .map(|r| draw_dashboard_chart(area, kind, r, lang, &theme, false))
            })
        });
        layout.set_value(keep_layout(kind.name(), drawn_layout));
        readout.set(String::new());
        drawn.update(|n| *n += 1);
    });

    let on_move = move |ev: web_sys::MouseEvent| {
        let Some(el) = canvas.get_untracked() else {
            return;
        };
        // Canvas pixels per CSS pixel (the layout is in canvas pixels).
        let scale = f64::from(el.width()) / f64::from(el.client_width().max(1));
        let x = f64::from(ev.offset_x()) * scale;
        let lang = state.lang.get_untracked();
        let text = layout.with_value(|l| {
            let l = l.as_ref()?;
            state.overview.report.with_untracked(|r| {
                let r = r.as_ref()?;
                match kind {
                    ChartKind::Trend => {
                        let m = r.monthly.get(nearest_point(l, x)?)?;
                        Some(fill(
                            lang,
                            t::READOUT_MONTH,
                            &[
                                &format!("{}-{:02}", m.year, m.month),
                                &grouped(m.revenue, 2, ','),
                                &grouped(m.orders as f64, 0, ','),
                                &grouped(m.customers as f64, 0, ','),
                            ],
                        ))
                    }
                    ChartKind::Lorenz => {
                        let share = l.x_fraction(x)?;
                        Some(fill(
                            lang,
                            t::READOUT_LORENZ,
                            &[&percent(share), &percent(lorenz_at(&r.pareto, share))],
                        ))
                    }
                    _ => None,
                }
            })
        });
        readout.set(text.unwrap_or_default());
    };
    let download = move |_| download_png(canvas, kind.name());
    let has_readout = matches!(kind, ChartKind::Trend | ChartKind::Lorenz);
    view! {
        <figure class="chart" data-testid=format!("chart-{}", kind.name())>
            <div class="chart-head">
                <h3>{tr(state, kind.title())}</h3>
                <button class="link" data-testid=format!("png-{}", kind.name()) title=tr(state, t::DOWNLOAD_PNG_TITLE) on:click=download>
                    "⤓ "{tr(state, t::DOWNLOAD_PNG)}
                </button>
            </div>
            <canvas node_ref=canvas on:mousemove=on_move on:mouseleave=move |_| readout.set(String::new())></canvas>
            {has_readout.then(|| view! { <div class="readout" data-testid=format!("readout-{}", kind.name())>{move || readout.get()}</div> })}
        </figure>
    }
}

/// Sizes `el` to its card and draws on it with `draw`.
fn draw_on_canvas<T>(
    el: web_sys::HtmlCanvasElement,
    draw: impl FnOnce(
        &plotters::prelude::DrawingArea<CanvasBackend, plotters::coord::Shift>,
    ) -> Option<ChartResult<T>>,
) -> Option<ChartResult<T>> {
    draw_on_canvas_sized(el, CHART_HEIGHT_PX, draw)
}

/// Sizes `el` to its card's width and `height_px`, and draws on it with `draw`.
fn draw_on_canvas_sized<T>(
    el: web_sys::HtmlCanvasElement,
    height_px: u32,
    draw: impl FnOnce(
        &plotters::prelude::DrawingArea<CanvasBackend, plotters::coord::Shift>,
    ) -> Option<ChartResult<T>>,
) -> Option<ChartResult<T>> {
    let width = u32::try_from(el.client_width()).unwrap_or(0).max(320);
    el.set_width(width);
    el.set_height(height_px);
    let backend = CanvasBackend::with_canvas_object(el)?;
    let area = backend.into_drawing_area();
    let drawn = draw(&area);
    let _ = area.present();
    drawn
}

/// The hover layout of a drawn chart; a drawing error is logged (the canvas shows what was drawn).
fn keep_layout<L>(name: &str, drawn: Option<ChartResult<Option<L>>>) -> Option<L> {
    match drawn {
        Some(Ok(layout)) => layout,
        Some(Err(e)) => {
            web_sys::console::warn_1(&format!("chart {name}: {e}").into());
            None
        }
        None => None,
    }
}

fn download_png(canvas: NodeRef<leptos::html::Canvas>, name: &str) {
    let Some(el) = canvas.get_untracked() else {
        return;
    };
    if let Ok(url) = el.to_data_url() {
        browser::download_url(&url, &format!("segscope-{name}.png"));
    }
}

/// A predictions chart card (probability-alive and expected-purchase matrices, CLV distribution,
/// churn by segment, holdout comparisons).
#[component]
pub fn ClvChart(kind: ClvChartKind) -> impl IntoView {
    let state = expect_context::<AppState>();
    let canvas: NodeRef<leptos::html::Canvas> = NodeRef::new();
    let layout = StoredValue::new(None::<PlotLayout>);
    let readout = RwSignal::new(String::new());
    Effect::new(move |_| {
        state.redraw.track();
        let lang = state.lang.get();
        let theme = if state.dark.get() {
            ChartTheme::dark()
        } else {
            ChartTheme::light()
        };
        let Some(el) = canvas.get() else { return };
        let drawn = draw_on_canvas(el, |area| {
            state.predictions.validation.with(|validation| {
                state.predictions.report.with(|r| {
                    r.as_ref().map(|r| {
                        draw_clv_chart(area, kind, r, validation.as_ref(), lang, &theme, false)
                    })
                })
            })
        });
        layout.set_value(keep_layout(kind.name(), drawn));
        readout.set(String::new());
    });
    let on_move = move |ev: web_sys::MouseEvent| {
        let Some(el) = canvas.get_untracked() else {
            return;
        };
        let scale = f64::from(el.width()) / f64::from(el.client_width().max(1));
        let x = f64::from(ev.offset_x()) * scale;
        let lang = state.lang.get_untracked();
        let text = layout.with_value(|l| {
            let index = nearest_point(l.as_ref()?, x)?;
            state.predictions.validation.with_untracked(|v| {
                let point = v.as_ref()?.cumulative.get(index)?;
                let models = &v.as_ref()?.models;
                let predicted = models
                    .iter()
                    .zip(&point.predicted)
                    .map(|(m, p)| format!("{m} {}", grouped(*p, 1, ',')))
                    .collect::<Vec<_>>()
                    .join(" · ");
                Some(fill(
                    lang,
                    t::READOUT_CUMULATIVE,
                    &[
                        &crate::engine::calendar::iso_day(point.day),
                        &grouped(point.actual, 0, ','),
                        &predicted,
                    ],
                ))
            })
        });
        readout.set(text.unwrap_or_default());
    };
    let has_readout = kind == ClvChartKind::HoldoutCumulative;
    view! {
        <figure class="chart" data-testid=format!("chart-{}", kind.name())>
            <div class="chart-head">
                <h3>{tr(state, kind.title())}</h3>
                <button class="link" data-testid=format!("png-{}", kind.name()) title=tr(state, t::DOWNLOAD_PNG_TITLE) on:click=move |_| download_png(canvas, kind.name())>
                    "⤓ "{tr(state, t::DOWNLOAD_PNG)}
                </button>
            </div>
            <canvas node_ref=canvas on:mousemove=on_move on:mouseleave=move |_| readout.set(String::new())></canvas>
            {has_readout.then(|| view! { <div class="readout" data-testid=format!("readout-{}", kind.name())>{move || readout.get()}</div> })}
        </figure>
    }
}

pub use layout_cards::SendTimeChart;
pub use layout_cards::{BasketChart, ClusterChart, CohortChart};
pub use layout_cards::{RepurchaseChart, TierChart};

pub use layout_cards::ForestChart;

pub use layout_cards::{GainChart, QiniChart};

pub use layout_cards::ForecastChart;

/// The chart cards whose charts report a [`crate::charts::ClusterLayout`] (segments, baskets,
/// cohorts, repurchase curves, tier migration, a campaign's lift by segment and its models' gain and
/// Qini curves): one card, [`layout_card`], and one thin component per analysis that says what to
/// draw and what the hover reads.
mod layout_cards {
    use leptos::prelude::*;
    use plotters::coord::Shift;
    use plotters::prelude::DrawingArea;
    use plotters_canvas::CanvasBackend;

    use super::{
        download_png, draw_on_canvas_sized, keep_layout, tr, AppState, BasketChartKind,
        ChartResult, ClusterChartKind, CohortChartKind, CohortMetric, BASKET_CHART_HEIGHT_PX,
        CLUSTER_CHART_HEIGHT_PX, COHORT_HEATMAP_HEIGHT_PX, TIER_CHART_HEIGHT_PX,
    };
    use crate::charts::{
        basket_readout, cluster_readout, cohort_readout, draw_basket_chart, draw_cluster_chart,
        draw_cohort_chart, draw_repurchase_chart, draw_tier_chart, repurchase_readout,
        tier_readout, BasketChartData, ChartTheme, ClusterLayout,
    };
    use crate::engine::baskets::{BasketReport, RecommendReport, RegionReport};
    use crate::engine::cluster::ClusterReport;
    use crate::engine::cohorts::CohortReport;
    use crate::engine::repurchase::RepurchaseReport;
    use crate::engine::tiers::TierReport;
    use crate::i18n::{t, Lang, Text};

    /// A chart card: a canvas that `draw` paints (`None`: left blank) in an `Effect` (so it redraws
    /// whenever a signal `draw` reads changes, and on resize, theme and language), a hover readout
    /// from `readout`, and a PNG download. The figure carries `data-chart` (the chart's name) and
    /// `data-drawn` (how many times the canvas was drawn, for browser tests to wait on).
    fn layout_card(
        name: &'static str,
        title: Text,
        height_px: u32,
        draw: impl Fn(
                &DrawingArea<CanvasBackend, Shift>,
                Lang,
                &ChartTheme,
            ) -> Option<ChartResult<ClusterLayout>>
            + 'static,
        readout: impl Fn(&ClusterLayout, (f64, f64), Lang) -> Option<String> + 'static,
    ) -> impl IntoView {
        let state = expect_context::<AppState>();
        let canvas: NodeRef<leptos::html::Canvas> = NodeRef::new();
        let layout = StoredValue::new(None::<ClusterLayout>);
        let text = RwSignal::new(String::new());
        let drawn = RwSignal::new(0u32);
        Effect::new(move |_| {
            state.redraw.track();
            let lang = state.lang.get();
            let theme = if state.dark.get() {
                ChartTheme::dark()
            } else {
                ChartTheme::light()
            };
            let Some(el) = canvas.get() else { return };
            let drawn_layout = draw_on_canvas_sized(el, height_px, |area| {
                draw(area, lang, &theme).map(|r| r.map(Some))
            });
            layout.set_value(keep_layout(name, drawn_layout));
            text.set(String::new());
            drawn.update(|n| *n += 1);
        });
        let on_move = move |ev: web_sys::MouseEvent| {
            let Some(el) = canvas.get_untracked() else {
                return;
            };
            // Canvas pixels per CSS pixel, both ways (the layout is in canvas pixels).
            let scale_x = f64::from(el.width()) / f64::from(el.client_width().max(1));
            let scale_y = f64::from(el.height()) / f64::from(el.client_height().max(1));
            let at = (
                f64::from(ev.offset_x()) * scale_x,
                f64::from(ev.offset_y()) * scale_y,
            );
            let lang = state.lang.get_untracked();
            let read = layout.with_value(|l| readout(l.as_ref()?, at, lang));
            text.set(read.unwrap_or_default());
        };
        view! {
            <figure class="chart" data-testid=format!("chart-{name}") data-chart=name data-drawn=move || drawn.get()>
                <div class="chart-head">
                    <h3>{tr(state, title)}</h3>
                    <button class="link" data-testid=format!("png-{name}") title=tr(state, t::DOWNLOAD_PNG_TITLE) on:click=move |_| download_png(canvas, name)>
                        "⤓ "{tr(state, t::DOWNLOAD_PNG)}
                    </button>
                </div>
                <canvas node_ref=canvas on:mousemove=on_move on:mouseleave=move |_| text.set(String::new())></canvas>
                <div class="readout" data-testid=format!("readout-{name}")>{move || text.get()}</div>
            </figure>
        }
    }

    /// A segmentation chart card (k sweep, PCA scatter, segment profiles, segment sizes), with a
    /// hover readout on every kind; blank without a segmentation.
    #[component]
    pub fn ClusterChart(
        /// Which chart.
        kind: ClusterChartKind,
        /// The segmentation to draw; `None` leaves the canvas blank.
        #[prop(into)]
        report: Signal<Option<ClusterReport>>,
        /// Display name per segment number, already localised (a missing one reads "Segment n").
        #[prop(into)]
        names: Signal<Vec<String>>,
    ) -> impl IntoView {
        layout_card(
            kind.name(),
            kind.title(),
            CLUSTER_CHART_HEIGHT_PX,
            move |area, lang, theme| {
                names.with(|names| {
                    report.with(|r| {
                        r.as_ref()
                            .map(|r| draw_cluster_chart(area, kind, r, names, lang, theme, false))
                    })
                })
            },
            move |l, at, lang| {
                names.with_untracked(|names| {
                    report
                        .with_untracked(|r| cluster_readout(kind, r.as_ref()?, names, l, at, lang))
                })
            },
        )
    }

    /// A baskets chart card (rules scatter, lift heatmap, item frequency, recommendation
    /// evaluation, regional preferences); a chart whose report is `None` shows its "no data"
    /// text.
    #[component]
    pub fn BasketChart(
        /// Which chart.
        kind: BasketChartKind,
        /// The rules run (scatter, lift heatmap, item frequency).
        #[prop(into)]
        rules: Signal<Option<BasketReport>>,
        /// The recommendations run (evaluation).
        #[prop(into)]
        recommendations: Signal<Option<RecommendReport>>,
        /// The regional (or channel) preferences run (regions).
        #[prop(into)]
        regions: Signal<Option<RegionReport>>,
    ) -> impl IntoView {
        // The three reports, read (tracked or not) as one `BasketChartData`.
        let with_data = move |tracked: bool, f: &mut dyn FnMut(&BasketChartData<'_>)| {
            let read = |rules: &Option<BasketReport>,
                        recommendations: &Option<RecommendReport>,
                        regions: &Option<RegionReport>,
                        f: &mut dyn FnMut(&BasketChartData<'_>)| {
                f(&BasketChartData {
                    rules: rules.as_ref(),
                    recommendations: recommendations.as_ref(),
                    regions: regions.as_ref(),
                });
            };
            if tracked {
                rules.with(|a| recommendations.with(|b| regions.with(|c| read(a, b, c, f))));
            } else {
                rules.with_untracked(|a| {
                    recommendations.with_untracked(|b| regions.with_untracked(|c| read(a, b, c, f)))
                });
            }
        };
        layout_card(
            kind.name(),
            kind.title(),
            BASKET_CHART_HEIGHT_PX,
            move |area, lang, theme| {
                let mut out = None;
                with_data(true, &mut |data| {
                    out = Some(draw_basket_chart(area, kind, data, lang, theme, false));
                });
                out
            },
            move |l, at, lang| {
                let mut out = None;
                with_data(false, &mut |data| {
                    out = basket_readout(kind, data, l, at, lang)
                });
                out
            },
        )
    }

    /// A cohort chart card (cohorts × periods heatmap, average curves by group); without a
    /// report it shows the "no data" text.
    #[component]
    pub fn CohortChart(
        /// Which chart.
        kind: CohortChartKind,
        /// The cohort run (its matrix is the shown group's).
        #[prop(into)]
        report: Signal<Option<CohortReport>>,
        /// What the cells and curves show.
        #[prop(into)]
        metric: Signal<CohortMetric>,
        /// Display name per group, in the report's group order, already localised ("All
        /// customers", a product, "other").
        #[prop(into)]
        group_names: Signal<Vec<String>>,
    ) -> impl IntoView {
        let height_px = match kind {
            CohortChartKind::Heatmap => COHORT_HEATMAP_HEIGHT_PX,
            CohortChartKind::Curves => CLUSTER_CHART_HEIGHT_PX,
        };
        layout_card(
            kind.name(),
            kind.title(),
            height_px,
            move |area, lang, theme| {
                let metric = metric.get();
                group_names.with(|names| {
                    report.with(|r| {
                        Some(draw_cohort_chart(
                            area,
                            kind,
                            r.as_ref(),
                            metric,
                            names,
                            lang,
                            theme,
                            false,
                        ))
                    })
                })
            },
            move |l, at, lang| {
                let metric = metric.get_untracked();
                group_names.with_untracked(|names| {
                    report.with_untracked(|r| {
                        cohort_readout(kind, r.as_ref(), metric, names, l, at, lang)
                    })
                })
            },
        )
    }

    /// The send-timing card: the shares of orders by weekday × hour (or by weekday, without
    /// times) of the store or one RFM segment; without a report it shows the "no data" text.
    #[component]
    pub fn SendTimeChart(
        /// The send-timing run.
        #[prop(into)]
        report: Signal<Option<crate::engine::sendtime::SendTimeReport>>,
        /// The grid shown: 0 = the whole store's, `i + 1` = the report's `segments[i]`.
        #[prop(into)]
        view: Signal<usize>,
    ) -> impl IntoView {
        use crate::charts::{draw_sendtime_chart, sendtime_readout};
        layout_card(
            "sendtime-heatmap",
            t::SENDTIME_CHART_CARD,
            CLUSTER_CHART_HEIGHT_PX,
            move |area, lang, theme| {
                let view = view.get();
                report.with(|r| Some(draw_sendtime_chart(area, r.as_ref(), view, lang, theme)))
            },
            move |l, at, lang| {
                let view = view.get_untracked();
                report.with_untracked(|r| sendtime_readout(r.as_ref(), view, l, at, lang))
            },
        )
    }

    #[component]
    pub fn RepurchaseChart(
        /// The repurchase run.
        #[prop(into)]
        report: Signal<Option<RepurchaseReport>>,
    ) -> impl IntoView {
        layout_card(
            "repurchase-curves",
            t::CHART_REPURCHASE_TITLE,
            CLUSTER_CHART_HEIGHT_PX,
            move |area, lang, theme| {
                report.with(|r| Some(draw_repurchase_chart(area, r.as_ref(), lang, theme, false)))
            },
            move |l, at, lang| {
                report.with_untracked(|r| repurchase_readout(r.as_ref(), l, at, lang))
            },
        )
    }

    /// The forecast card: one series' history, point forecast and 80 % / 95 % bands (for orders
    /// also the existing customers' expected orders), with the hover reading the period under the
    /// mouse; without a report it shows the "no data" text.
    #[component]
    pub fn ForecastChart(
        /// The forecast run.
        #[prop(into)]
        report: Signal<Option<crate::engine::forecast::ForecastReport>>,
        /// Which series to show.
        #[prop(into)]
        series: Signal<crate::engine::forecast::SeriesKind>,
    ) -> impl IntoView {
        use crate::charts::{draw_forecast_chart, forecast_readout};
        layout_card(
            "forecast",
            t::FORECAST_CHART,
            CLUSTER_CHART_HEIGHT_PX,
            move |area, lang, theme| {
                let series = series.get();
                report.with(|r| {
                    Some(draw_forecast_chart(
                        area,
                        r.as_ref(),
                        series,
                        lang,
                        theme,
                        false,
                    ))
                })
            },
            move |l, at, lang| {
                let series = series.get_untracked();
                report.with_untracked(|r| forecast_readout(r.as_ref(), series, l, at, lang))
            },
        )
    }

    /// The tier migration card: a Sankey of the tiers one window earlier and now, with the hover
    /// naming the band or bar under the mouse; without a report it shows the "no data" text.
    #[component]
    pub fn TierChart(
        /// The tiers run.
        #[prop(into)]
        report: Signal<Option<TierReport>>,
    ) -> impl IntoView {
        layout_card(
            "tier-migration",
            t::TIERS_CHART,
            TIER_CHART_HEIGHT_PX,
            move |area, lang, theme| {
                report.with(|r| Some(draw_tier_chart(area, r.as_ref(), lang, theme, false)))
            },
            move |l, at, lang| report.with_untracked(|r| tier_readout(r.as_ref(), l, at, lang)),
        )
    }

    pub use forest::ForestChart;

    /// The campaign's forest plot card.
    mod forest {
        use leptos::prelude::*;

        use super::layout_card;
        use crate::charts::{draw_forest_chart, forest_readout};
        use crate::engine::experiment::SegmentUplift;
        use crate::i18n::t;

        /// Canvas height in CSS pixels: up to about 24 rows (eleven RFM segments, or the found
        /// segments and "not in the transactions", times a couple of variants) keep rows of a
        /// dozen pixels under a legend of the variants.
        const FOREST_CHART_HEIGHT_PX: u32 = 440;

        /// The campaign's lift by segment: a forest plot of `rows` (one dimension's segments,
        /// every variant), with the hover naming the row under the mouse (also over its label);
        /// without rows it shows the "no data" text.
        #[component]
        pub fn ForestChart(
            /// The segment breakdown rows to draw (one dimension, all variants), top to bottom.
            #[prop(into)]
            rows: Signal<Vec<SegmentUplift>>,
            /// Whether the lifts are relative (percent axis) or absolute differences.
            #[prop(into)]
            relative: Signal<bool>,
        ) -> impl IntoView {
            layout_card(
                "campaign-forest",
                t::CAMP_FOREST,
                FOREST_CHART_HEIGHT_PX,
                move |area, lang, theme| {
                    let relative = relative.get();
                    rows.with(|r| Some(draw_forest_chart(area, r, relative, lang, theme, false)))
                },
                move |l, at, lang| {
                    let relative = relative.get_untracked();
                    rows.with_untracked(|r| forest_readout(r, relative, l, at, lang))
                },
            )
        }
    }

    pub use models::{GainChart, QiniChart};

    /// The campaign's model cards: the response model's gain chart and the uplift model's Qini
    /// curve.
    mod models {
        use leptos::prelude::*;

        use super::{layout_card, CLUSTER_CHART_HEIGHT_PX};
        use crate::charts::{draw_gain_chart, draw_qini_chart, gain_readout, qini_readout};
        use crate::engine::experiment::response::Decile;
        use crate::engine::experiment::UpliftReport;
        use crate::i18n::t;

        /// Canvas height of the gain chart in CSS pixels: two panels (lift, cumulative gain)
        /// under one legend.
        const GAIN_CHART_HEIGHT_PX: u32 = 400;

        /// The response model's lift and cumulative gain by decile (held-out customers), with
        /// the hover naming the decile under the mouse; without deciles it shows the "no data"
        /// text.
        #[component]
        pub fn GainChart(
            /// The response model's held-out deciles (1 = highest scores).
            #[prop(into)]
            deciles: Signal<Vec<Decile>>,
        ) -> impl IntoView {
            layout_card(
                "campaign-gain",
                t::CAMP_GAIN,
                GAIN_CHART_HEIGHT_PX,
                move |area, lang, theme| {
                    deciles.with(|d| Some(draw_gain_chart(area, d, lang, theme, false)))
                },
                move |l, at, lang| deciles.with_untracked(|d| gain_readout(d, l, at, lang)),
            )
        }

        /// The uplift model's Qini curve (held-out customers) with the random line, the Qini
        /// coefficient in the legend and the hover reading the share targeted under the mouse;
        /// without a report it shows the "no data" text.
        #[component]
        pub fn QiniChart(
            /// The uplift model's report; `None` (no model) shows the "no data" text.
            #[prop(into)]
            report: Signal<Option<UpliftReport>>,
        ) -> impl IntoView {
            layout_card(
                "campaign-qini",
                t::CAMP_QINI,
                CLUSTER_CHART_HEIGHT_PX,
                move |area, lang, theme| {
                    report.with(|r| Some(draw_qini_chart(area, r.as_ref(), lang, theme, false)))
                },
                move |l, at, lang| report.with_untracked(|r| qini_readout(r.as_ref(), l, at, lang)),
            )
        }
    }
}
