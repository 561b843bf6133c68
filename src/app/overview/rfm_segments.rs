//! The segment table and the editable (R, F, M) → segment grid.

use leptos::prelude::*;

use crate::app::{tr, AppState};
use crate::engine::rfm::{RfmParams, Segment, SegmentGrid};
use crate::format::{grouped, percent, plain};
use crate::i18n::{segment_action, segment_name, t};

/// Segment table and grid editor.
#[component]
pub fn Segments() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let rows = move || {
        state
            .overview
            .report
            .with(|r| r.as_ref().map(|r| r.segments.clone()).unwrap_or_default())
    };
    let filter_to = move |segment: Segment| {
        let mut q = state.customers.query.get_untracked();
        q.segments = vec![segment];
        q.offset = 0;
        state.set_query(q);
        crate::app::routes::navigate(state, crate::app::routes::Route::Customers);
    };
    view! {
        <section class="card segments">
            <h2>{tr(state, t::SEGMENTS_TITLE)}</h2>
            <div class="table-wrap">
                <table data-testid="segment-table">
                    <thead><tr>
                        <th>{tr(state, t::COL_SEGMENT)}</th>
                        <th class="num">{tr(state, t::COL_CUSTOMERS)}</th>
                        <th class="num">{tr(state, t::COL_CUSTOMER_SHARE)}</th>
                        <th class="num">{tr(state, t::COL_REVENUE)}</th>
                        <th class="num">{tr(state, t::COL_REVENUE_SHARE)}</th>
                        <th class="num">{tr(state, t::COL_MEAN_RECENCY)}</th>
                        <th class="num">{tr(state, t::COL_MEAN_FREQUENCY)}</th>
                        <th class="num">{tr(state, t::COL_MEAN_MONETARY)}</th>
                        <th>{tr(state, t::COL_ACTION)}</th>
                    </tr></thead>
                    <tbody>
                        <For each=rows key=|r| (r.segment, r.customers, r.revenue.to_bits(), r.mean_recency_days.to_bits()) let:row>
                            <tr data-segment=row.segment.name() data-customers=row.customers.to_string() data-revenue=plain(row.revenue, 2)>
                                <td>
                                    <span class=format!("swatch seg-{}", row.segment.index())></span>
                                    <button class="link" on:click=move |_| filter_to(row.segment)>{move || segment_name(lang.get(), row.segment)}</button>
                                </td>
                                <td class="num">{grouped(row.customers as f64, 0, ',')}</td>
                                <td class="num">{percent(row.customer_share)}</td>
                                <td class="num">{grouped(row.revenue, 2, ',')}</td>
                                <td class="num">{percent(row.revenue_share)}</td>
                                <td class="num">{grouped(row.mean_recency_days, 0, ',')}</td>
                                <td class="num">{grouped(row.mean_frequency, 2, ',')}</td>
                                <td class="num">{grouped(row.mean_monetary, 2, ',')}</td>
                                <td class="action">{move || segment_action(lang.get(), row.segment)}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
            <GridEditor/>
        </section>
    }
}

/// R × F grid of segment pickers for one M score (or all five at once).
#[component]
fn GridEditor() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    // 0 = all five M layers at once.
    let m_layer = RwSignal::new(0u8);
    let set_cell = move |r: u8, f: u8, segment: Segment| {
        let mut rfm: RfmParams = state.overview.rfm.get_untracked();
        let layers: Vec<u8> = match m_layer.get_untracked() {
            0 => (1..=5).collect(),
            m => vec![m],
        };
        for m in layers {
            rfm.grid.set(r, f, m, segment);
        }
        state.set_rfm(rfm);
    };
    let shown = move |r: u8, f: u8| {
        let m = match m_layer.get() {
            0 => 3,
            m => m,
        };
        state.overview.rfm.with(|p| p.grid.segment(r, f, m))
    };
    view! {
        <details class="grid-editor" data-testid="segment-grid">
            <summary>{tr(state, t::GRID_TITLE)}</summary>
            <p class="hint">{tr(state, t::GRID_HELP)}</p>
            <label>
                {tr(state, t::GRID_M)}" "
                <select data-testid="grid-m-select" on:change=move |ev| m_layer.set(event_target_value(&ev).parse().unwrap_or(0))>
                    <option value="0">{tr(state, t::GRID_ALL_M)}</option>
                    {(1..=5u8).map(|m| view! { <option value=m.to_string()>{m.to_string()}</option> }).collect_view()}
                </select>
            </label>
            <button class="link" on:click=move |_| state.set_rfm(RfmParams { grid: SegmentGrid::default(), ..state.overview.rfm.get_untracked() })>
                {tr(state, t::GRID_RESET)}
            </button>
            <table class="grid">
                <thead><tr><th>"R \\ F"</th>{(1..=5u8).map(|f| view! { <th>{f.to_string()}</th> }).collect_view()}</tr></thead>
                <tbody>
                    {(1..=5u8).rev().map(|r| view! {
                        <tr>
                            <th>{r.to_string()}</th>
                            {(1..=5u8).map(|f| view! {
                                <td class=move || format!("seg-bg-{}", shown(r, f).map_or(0, Segment::index))>
                                    <select data-testid=format!("grid-cell-{r}-{f}") on:change=move |ev| {
                                        if let Some(s) = Segment::from_name(&event_target_value(&ev)) { set_cell(r, f, s); }
                                    }>
                                        {Segment::ALL.into_iter().map(|s| view! {
                                            <option value=s.name() selected=move || shown(r, f) == Some(s)>{move || segment_name(lang.get(), s)}</option>
                                        }).collect_view()}
                                    </select>
                                </td>
                            }).collect_view()}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </details>
    }
}
