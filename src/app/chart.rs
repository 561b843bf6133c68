//! One canvas per chart: an `Effect` draws the current report with plotters-canvas (the only
//! place the page touches a canvas) and redraws on resize, theme and language; a hover readout
//! and a PNG download sit beside it.

use leptos::prelude::*;
use plotters::prelude::IntoDrawingArea as _;
use plotters_canvas::CanvasBackend;

use super::{browser, dashboard::DrawnCharts, tr, AppState};
pub use crate::charts::ChartKind;
use crate::charts::{draw_dashboard_chart, lorenz_at, nearest_point, ChartTheme, PlotLayout};
use crate::format::{grouped, percent};
use crate::i18n::{fill, t};

/// Canvas height in CSS pixels (the width follows the card).
const CHART_HEIGHT_PX: u32 = 320;

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
        let width = u32::try_from(el.client_width()).unwrap_or(0).max(320);
        el.set_width(width);
        el.set_height(CHART_HEIGHT_PX);
        let Some(backend) = CanvasBackend::with_canvas_object(el) else {
            return;
        };
        let area = backend.into_drawing_area();
        let drawn_layout = state.report.with(|r| {
            r.as_ref()
                .map(|r| draw_dashboard_chart(&area, kind, r, lang, &theme, false))
        });
        let _ = area.present();
        match drawn_layout {
            Some(Ok(l)) => layout.set_value(l),
            Some(Err(e)) => {
                web_sys::console::warn_1(&format!("chart {}: {e}", kind.name()).into());
                layout.set_value(None);
            }
            None => layout.set_value(None),
        }
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
            state.report.with_untracked(|r| {
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
    let download = move |_| {
        let Some(el) = canvas.get_untracked() else {
            return;
        };
        if let Ok(url) = el.to_data_url() {
            browser::download_url(&url, &format!("segscope-{}.png", kind.name()));
        }
    };
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
