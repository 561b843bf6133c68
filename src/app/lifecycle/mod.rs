//! The lifecycle page: cohorts by first purchase (settings, the matrix as a heatmap and a table,
//! the groups' average curves, the export). Every number comes from the worker.

use leptos::prelude::*;

mod forecast;
mod sendtime;
pub mod state;
mod tiers;

use super::chart::{CohortChart, CohortChartKind, CohortMetric, RepurchaseChart};
use super::{tr, AppState};
use crate::engine::baskets::ItemLevel;
use crate::engine::cohorts::{CohortPeriod, CohortReport, CohortSplit};
use crate::format::{grouped, percent, plain};
use crate::i18n::{fill, t, Lang, Text};

/// The whole lifecycle page.
#[component]
pub fn Lifecycle() -> impl IntoView {
    view! {
        <CohortsSection/>
        <RepurchaseSection/>
        <sendtime::SendTimeSection/>
        <tiers::TiersSection/>
        <forecast::ForecastSection/>
    }
}

fn split_key(s: CohortSplit) -> &'static str {
    match s {
        CohortSplit::None => "none",
        CohortSplit::FirstItem(ItemLevel::Product) => "product",
        CohortSplit::FirstItem(ItemLevel::Category) => "category",
        CohortSplit::FirstRegion => "region",
        CohortSplit::FirstChannel => "channel",
    }
}

fn split_of(key: &str) -> CohortSplit {
    match key {
        "product" => CohortSplit::FirstItem(ItemLevel::Product),
        "category" => CohortSplit::FirstItem(ItemLevel::Category),
        "region" => CohortSplit::FirstRegion,
        "channel" => CohortSplit::FirstChannel,
        _ => CohortSplit::None,
    }
}

fn period_of(key: &str) -> CohortPeriod {
    match key {
        "week" => CohortPeriod::Week,
        "quarter" => CohortPeriod::Quarter,
        _ => CohortPeriod::Month,
    }
}

fn metric_key(m: CohortMetric) -> &'static str {
    match m {
        CohortMetric::ActiveShare => "active",
        CohortMetric::RevenuePerCustomer => "revenue",
        CohortMetric::CumulativeRevenuePerCustomer => "ltv",
    }
}

/// The groups' display names, localised: everybody, a split's values, "other".
fn group_names(lang: Lang, report: &CohortReport) -> Vec<String> {
    report
        .groups
        .iter()
        .map(|g| match (&g.name, g.other) {
            (Some(name), _) => name.clone(),
            (None, true) => t::COHORTS_OTHER.get(lang).to_string(),
            (None, false) => t::COHORTS_ALL.get(lang).to_string(),
        })
        .collect()
}

#[component]
fn CohortsSection() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let s = state.lifecycle;
    let params = s.params;
    let report = s.report;
    let has_report = move || report.with(Option::is_some);
    let summary = move || {
        report.with(|r| {
            r.as_ref()
                .map(|r| {
                    let customers = r.groups.get(r.shown_group).map_or(0, |g| g.customers);
                    fill(
                        lang.get(),
                        t::COHORTS_SUMMARY,
                        &[
                            &r.matrix.len().to_string(),
                            &grouped(customers as f64, 0, ','),
                            &r.last_period,
                            &grouped(s.elapsed_ms.get(), 0, ','),
                        ],
                    )
                })
                .unwrap_or_default()
        })
    };
    let notes = move || {
        report.with(|r| {
            let Some(r) = r.as_ref() else {
                return Vec::new();
            };
            let mut notes = Vec::new();
            if r.customers_without_purchase > 0 {
                notes.push(fill(
                    lang.get(),
                    t::COHORTS_WITHOUT,
                    &[&grouped(r.customers_without_purchase as f64, 0, ',')],
                ));
            }
            if r.customers_in_older_cohorts > 0 {
                notes.push(fill(
                    lang.get(),
                    t::COHORTS_OLDER,
                    &[
                        &grouped(r.customers_in_older_cohorts as f64, 0, ','),
                        &crate::engine::cohorts::MAX_PERIODS.to_string(),
                    ],
                ));
            }
            notes
        })
    };
    let names = Signal::derive(move || {
        report.with(|r| {
            r.as_ref()
                .map(|r| group_names(lang.get(), r))
                .unwrap_or_default()
        })
    });
    let report_signal = Signal::derive(move || report.get());
    let metric = Signal::derive(move || s.metric.get());
    view! {
        <section class="card cohorts" data-testid="cohorts">
            {section_head(state, t::COHORTS_TITLE, t::COHORTS_HELP, has_report, ("export-cohorts", t::EXPORT_COHORTS, t::EXPORT_COHORTS_XLSX), move |f| state.export_cohorts(f))}
            <div class="controls">
                <label>{tr(state, t::COHORTS_PERIOD)}" "
                    <select data-testid="cohorts-period" on:change=move |ev| { let p = period_of(&event_target_value(&ev)); params.update(|x| x.period = p) }>
                        <option value="month" selected=move || params.with(|p| p.period == CohortPeriod::Month)>{tr(state, t::COHORTS_PERIOD_MONTH)}</option>
                        <option value="week" selected=move || params.with(|p| p.period == CohortPeriod::Week)>{tr(state, t::COHORTS_PERIOD_WEEK)}</option>
                        <option value="quarter" selected=move || params.with(|p| p.period == CohortPeriod::Quarter)>{tr(state, t::COHORTS_PERIOD_QUARTER)}</option>
                    </select>
                </label>
                <label>{tr(state, t::COHORTS_SPLIT)}" "
                    <select data-testid="cohorts-split" on:change=move |ev| { let v = split_of(&event_target_value(&ev)); params.update(|x| x.split = v) }>
                        {[
                            (CohortSplit::None, t::COHORTS_SPLIT_NONE),
                            (CohortSplit::FirstItem(ItemLevel::Product), t::COHORTS_SPLIT_PRODUCT),
                            (CohortSplit::FirstItem(ItemLevel::Category), t::COHORTS_SPLIT_CATEGORY),
                            (CohortSplit::FirstRegion, t::COHORTS_SPLIT_REGION),
                            (CohortSplit::FirstChannel, t::COHORTS_SPLIT_CHANNEL),
                        ].into_iter().map(|(split, label)| view! {
                            <option value=split_key(split) selected=move || params.with(|p| p.split == split)>{tr(state, label)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button class="button primary" data-testid="cohorts-run" disabled=move || state.busy.get() on:click=move |_| state.form_cohorts()>
                    {tr(state, t::COHORTS_RUN)}
                </button>
            </div>
            <Show when=has_report>
                <p class="muted" data-testid="cohorts-summary" data-elapsed=move || plain(s.elapsed_ms.get(), 1)>{summary}</p>
                <For each=notes key=|n| n.clone() let:n>
                    <p class="muted" data-testid="cohorts-note">{n}</p>
                </For>
                <div class="controls">
                    <label>{tr(state, t::COHORTS_METRIC)}" "
                        <select data-testid="cohorts-metric" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            let m = CohortMetric::ALL.into_iter().find(|m| metric_key(*m) == v).unwrap_or(CohortMetric::ActiveShare);
                            s.metric.set(m);
                        }>
                            <option value="active" selected=move || s.metric.get() == CohortMetric::ActiveShare>{tr(state, t::COHORTS_METRIC_ACTIVE)}</option>
                            <option value="revenue" selected=move || s.metric.get() == CohortMetric::RevenuePerCustomer>{tr(state, t::COHORTS_METRIC_REVENUE)}</option>
                            <option value="ltv" selected=move || s.metric.get() == CohortMetric::CumulativeRevenuePerCustomer>{tr(state, t::COHORTS_METRIC_LTV)}</option>
                        </select>
                    </label>
                    <Show when=move || report.with(|r| r.as_ref().is_some_and(|r| r.groups.len() > 1))>
                        <label>{tr(state, t::COHORTS_GROUP)}" "
                            <select data-testid="cohorts-group" on:change=move |ev| {
                                if let Ok(g) = event_target_value(&ev).parse::<usize>() { state.show_cohort_group(g) }
                            }>
                                {move || names.get().into_iter().enumerate().map(|(i, name)| view! {
                                    <option value=i.to_string() selected=move || report.with(|r| r.as_ref().is_some_and(|r| r.shown_group == i))>{name}</option>
                                }).collect_view()}
                            </select>
                        </label>
                    </Show>
                </div>
                <div class="charts">
                    <CohortChart kind=CohortChartKind::Heatmap report=report_signal metric=metric group_names=names/>
                    <CohortChart kind=CohortChartKind::Curves report=report_signal metric=metric group_names=names/>
                </div>
                <CohortTable/>
            </Show>
        </section>
    }
}

/// The matrix as a table (the metric chosen), with the weighted average row.
#[component]
fn CohortTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    let s = state.lifecycle;
    let report = s.report;
    let show = move |share: f64, money: f64| match s.metric.get() {
        CohortMetric::ActiveShare => percent(share),
        _ => grouped(money, 2, ','),
    };
    let width = move || {
        report.with(|r| {
            r.as_ref().map_or(0, |r| {
                r.matrix.iter().map(|c| c.cells.len()).max().unwrap_or(0)
            })
        })
    };
    let rows = move || report.with(|r| r.as_ref().map(|r| r.matrix.clone()).unwrap_or_default());
    let average = move || {
        report.with(|r| {
            r.as_ref()
                .and_then(|r| r.groups.get(r.shown_group).map(|g| g.average.clone()))
                .unwrap_or_default()
        })
    };
    view! {
        <div class="table-wrap">
            <table data-testid="cohort-table">
                <thead><tr>
                    <th>{tr(state, t::COHORTS_COL_COHORT)}</th>
                    <th class="num">{tr(state, t::COHORTS_COL_CUSTOMERS)}</th>
                    {move || (0..width()).map(|p| view! { <th class="num">{fill(state.lang.get(), t::COHORTS_COL_PERIOD, &[&p.to_string()])}</th> }).collect_view()}
                </tr></thead>
                <tbody>
                    <For each=rows key=|c| (c.label.clone(), c.customers, c.cells.len()) let:c>
                        <tr data-cohort=c.label.clone() data-customers=c.customers.to_string()>
                            <td>{
                                let label = c.label.clone();
                                view! {
                                    <button class="link" data-testid="cohort-open" title=tr(state, t::COHORTS_OPEN)
                                        on:click=move |_| state.show_band(crate::engine::customers::cohorts::COHORT, vec![label.clone()])>{c.label.clone()}</button>
                                }
                            }</td>
                            <td class="num">{grouped(c.customers as f64, 0, ',')}</td>
                            {c.cells.iter().map(|cell| {
                                let cell = *cell;
                                view! {
                                    <td class="num" data-active=cell.active_customers.to_string() data-revenue=plain(cell.revenue, 2)>
                                        {move || show(cell.active_share, match s.metric.get() {
                                            CohortMetric::CumulativeRevenuePerCustomer => cell.cumulative_revenue_per_customer,
                                            _ => cell.revenue_per_customer,
                                        })}
                                    </td>
                                }
                            }).collect_view()}
                        </tr>
                    </For>
                    <tr data-testid="cohort-average">
                        <td>{tr(state, t::COHORTS_AVERAGE)}</td>
                        <td></td>
                        {move || average().into_iter().map(|a| view! {
                            <td class="num" data-value=plain(a.active_share, 6)>{move || show(a.active_share, match s.metric.get() {
                                CohortMetric::CumulativeRevenuePerCustomer => a.cumulative_revenue_per_customer,
                                _ => a.revenue_per_customer,
                            })}</td>
                        }).collect_view()}
                    </tr>
                </tbody>
            </table>
        </div>
    }
}

/// Days as people read them ("—" when the curve never gets there).
fn days_text(lang: Lang, d: Option<f64>) -> String {
    d.map_or_else(
        || t::REPURCHASE_NEVER.get(lang).to_string(),
        |d| plain(d, 0),
    )
}

#[component]
fn RepurchaseSection() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let s = state.lifecycle;
    let params = s.repurchase_params;
    let report = s.repurchase;
    let has_report = move || report.with(Option::is_some);
    let summary = move || {
        report.with(|r| {
            r.as_ref()
                .map(|r| {
                    fill(
                        lang.get(),
                        t::REPURCHASE_SUMMARY,
                        &[
                            &grouped(r.items_with_repeats as f64, 0, ','),
                            &grouped(r.expected as f64, 0, ','),
                            &grouped(r.due as f64, 0, ','),
                            &r.params.window_days.to_string(),
                            &crate::engine::calendar::iso_day(r.as_of_day),
                        ],
                    )
                })
                .unwrap_or_default()
        })
    };
    let items = move || report.with(|r| r.as_ref().map(|r| r.items.clone()).unwrap_or_default());
    let due = move || report.with(|r| r.as_ref().map(|r| r.due_rows.clone()).unwrap_or_default());
    let more = move || {
        report.with(|r| {
            r.as_ref()
                .filter(|r| r.due > r.due_rows.len() as u64)
                .map(|r| {
                    fill(
                        lang.get(),
                        t::REPURCHASE_DUE_MORE,
                        &[
                            &r.due_rows.len().to_string(),
                            &grouped(r.due as f64, 0, ','),
                        ],
                    )
                })
        })
    };
    let report_signal = Signal::derive(move || report.get());
    view! {
        <section class="card repurchase" data-testid="repurchase">
            {section_head(state, t::REPURCHASE_TITLE, t::REPURCHASE_HELP, has_report, ("export-due", t::EXPORT_DUE, t::EXPORT_DUE_XLSX), move |f| state.export_due(f))}
            <div class="controls">
                <label>{tr(state, t::BASKETS_LEVEL)}" "
                    <select data-testid="repurchase-level" on:change=move |ev| {
                        let level = if event_target_value(&ev) == "category" { ItemLevel::Category } else { ItemLevel::Product };
                        params.update(|p| p.level = level)
                    }>
                        <option value="product" selected=move || params.with(|p| p.level == ItemLevel::Product)>{tr(state, t::BASKETS_LEVEL_PRODUCT)}</option>
                        <option value="category" selected=move || params.with(|p| p.level == ItemLevel::Category)>{tr(state, t::BASKETS_LEVEL_CATEGORY)}</option>
                    </select>
                </label>
                <label>{tr(state, t::REPURCHASE_WINDOW)}" "
                    // Unparsable text becomes 366, which the engine refuses naming the window.
                    <input type="number" min="0" max="365" data-testid="repurchase-window"
                        on:change=move |ev| { let v = event_target_value(&ev).trim().parse().unwrap_or(366); params.update(|p| p.window_days = v) }
                        prop:value=move || params.with(|p| p.window_days.to_string())/>
                </label>
                <button class="button primary" data-testid="repurchase-run" disabled=move || state.busy.get() on:click=move |_| state.find_due()>
                    {tr(state, t::REPURCHASE_RUN)}
                </button>
            </div>
            <Show when=has_report>
                <p class="muted" data-testid="repurchase-summary"
                    data-due=move || report.with(|r| r.as_ref().map(|r| r.due.to_string()).unwrap_or_default())
                    data-elapsed=move || report.with(|r| r.as_ref().map(|r| plain(r.elapsed_ms, 1)).unwrap_or_default())>{summary}</p>
                <div class="charts">
                    <RepurchaseChart report=report_signal/>
                </div>
                <div class="table-wrap">
                    <table data-testid="repurchase-items">
                        <thead><tr>
                            <th>{tr(state, t::REPURCHASE_COL_ITEM)}</th>
                            <th class="num">{tr(state, t::REPURCHASE_COL_CUSTOMERS)}</th>
                            <th class="num">{tr(state, t::REPURCHASE_COL_REPEATS)}</th>
                            <th class="num">{tr(state, t::REPURCHASE_COL_Q25)}</th>
                            <th class="num">{tr(state, t::REPURCHASE_COL_MEDIAN)}</th>
                            <th class="num">{tr(state, t::REPURCHASE_COL_Q75)}</th>
                        </tr></thead>
                        <tbody>
                            <For each=items key=|i| i.item.clone() let:i>
                                <tr data-item=i.item.clone() data-median=i.median_days.map(|d| plain(d, 1)).unwrap_or_default()>
                                    <td>{i.item.clone()}</td>
                                    <td class="num">{grouped(i.customers as f64, 0, ',')}</td>
                                    <td class="num">{grouped(i.events as f64, 0, ',')}</td>
                                    <td class="num">{move || days_text(lang.get(), i.q25_days)}</td>
                                    <td class="num">{move || days_text(lang.get(), i.median_days)}</td>
                                    <td class="num">{move || days_text(lang.get(), i.q75_days)}</td>
                                </tr>
                            </For>
                        </tbody>
                    </table>
                </div>
                <h3>{tr(state, t::REPURCHASE_DUE_TITLE)}</h3>
                {move || more().map(|text| view! { <p class="muted">{text}</p> })}
                <p><button class="link" data-testid="due-open-table" disabled=move || report.with(|r| r.as_ref().is_none_or(|r| r.due == 0))
                    on:click=move |_| state.show_band(
                        crate::engine::customers::repurchase::REPURCHASE_DUE,
                        crate::engine::customers::repurchase::DUE_CODES.iter().map(|c| c.to_string()).collect(),
                    )>{tr(state, t::REPURCHASE_OPEN_TABLE)}</button></p>
                <div class="table-wrap">
                    <table data-testid="due-table">
                        <thead><tr>
                            <th>{tr(state, t::REPURCHASE_COL_CUSTOMER)}</th>
                            <th>{tr(state, t::REPURCHASE_COL_ITEM)}</th>
                            <th>{tr(state, t::REPURCHASE_COL_LAST)}</th>
                            <th>{tr(state, t::REPURCHASE_COL_EXPECTED)}</th>
                            <th class="num">{tr(state, t::REPURCHASE_COL_OVERDUE)}</th>
                            <th class="num">{tr(state, t::REPURCHASE_COL_OWN)}</th>
                        </tr></thead>
                        <tbody>
                            <For each=due key=|d| (d.customer_id.clone(), d.item.clone()) let:d>
                                <tr data-customer=d.customer_id.clone() data-item=d.item.clone()>
                                    <td>{d.customer_id.clone()}</td>
                                    <td>{d.item.clone()}</td>
                                    <td>{crate::engine::calendar::iso_day(d.last_day)}</td>
                                    <td>{crate::engine::calendar::iso_day(d.expected_day.floor() as i32)}</td>
                                    <td class="num">{plain(d.days_overdue, 1)}</td>
                                    <td class="num">{d.own_intervals}</td>
                                </tr>
                            </For>
                        </tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}

/// A lifecycle section's head: its title, its export buttons once it has a result, its help.
pub(super) fn section_head(
    state: AppState,
    title: Text,
    help: Text,
    shown: impl Fn() -> bool + Send + Sync + 'static,
    export: (&'static str, Text, Text),
    on_export: impl Fn(crate::engine::table_out::ExportFormat) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let (testid, csv, xlsx) = export;
    view! {
        <div class="card-head">
            <h2>{tr(state, title)}</h2>
            <Show when=shown>{move || super::export_buttons(state, testid, csv, xlsx, on_export)}</Show>
        </div>
        <p class="muted">{tr(state, help)}</p>
    }
}
