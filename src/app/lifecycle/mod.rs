//! The lifecycle page: cohorts by first purchase (settings, the matrix as a heatmap and a table,
//! the groups' average curves, the export). Every number comes from the worker.

use leptos::prelude::*;

pub mod state;

use super::chart::{CohortChart, CohortChartKind, CohortMetric};
use super::{export_buttons, tr, AppState};
use crate::engine::baskets::ItemLevel;
use crate::engine::cohorts::{CohortPeriod, CohortReport, CohortSplit};
use crate::format::{grouped, percent, plain};
use crate::i18n::{fill, t, Lang};

/// The whole lifecycle page.
#[component]
pub fn Lifecycle() -> impl IntoView {
    view! { <CohortsSection/> }
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
            <div class="card-head">
                <h2>{tr(state, t::COHORTS_TITLE)}</h2>
                <Show when=has_report>
                    {export_buttons(state, "export-cohorts", t::EXPORT_COHORTS, t::EXPORT_COHORTS_XLSX, move |f| state.export_cohorts(f))}
                </Show>
            </div>
            <p class="muted">{tr(state, t::COHORTS_HELP)}</p>
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
                            <td>{c.label.clone()}</td>
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
