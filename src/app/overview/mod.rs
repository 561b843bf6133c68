//! The overview page: data-quality report first, then settings, KPI cards, Pareto figures,
//! charts and the RFM segments.

mod rfm_segments;
pub mod state;

use leptos::prelude::*;

use self::rfm_segments::Segments;
use super::chart::{Chart, ChartKind};
use super::{tr, AppState};
use crate::engine::calendar::{iso_day, parse_iso_day};
use crate::engine::rfm::RfmParams;
use crate::format::{grouped, percent, plain};
use crate::i18n::{drop_reason, fill, role_name, summary_fact_lines, t, Lang, Text};

/// The overview page.
#[component]
pub fn Overview() -> impl IntoView {
    view! {
        <Quality/>
        <Settings/>
        <Kpis/>
        <ParetoCard/>
        <section class="charts">
            {ChartKind::ALL.into_iter().map(|kind| view! { <Chart kind=kind/> }).collect_view()}
        </section>
        <Segments/>
    }
}

fn money(v: f64) -> String {
    grouped(v, 2, ',')
}

fn count(v: u64) -> String {
    grouped(v as f64, 0, ',')
}

/// One labelled figure with a machine-readable value.
#[component]
fn Figure(
    label: Text,
    testid: &'static str,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] shown: Signal<String>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <div class="figure" data-testid=testid data-value=move || value.get()>
            <span class="figure-label">{tr(state, label)}</span>
            <span class="figure-value">{move || shown.get()}</span>
        </div>
    }
}

#[component]
fn Quality() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let is_summary = move || {
        state
            .overview
            .quality
            .with(|q| q.as_ref().is_some_and(|q| q.summary.is_some()))
    };
    let q = move |f: fn(&crate::engine::ingest::QualityReport) -> u64| {
        Signal::derive(move || {
            state
                .overview
                .quality
                .with(|q| q.as_ref().map(f).unwrap_or(0))
        })
    };
    let n = move |s: Signal<u64>| {
        (
            Signal::derive(move || s.get().to_string()),
            Signal::derive(move || count(s.get())),
        )
    };
    let read = n(q(|q| q.rows_read));
    let kept = n(q(|q| q.rows_kept));
    let dropped = n(q(|q| q.dropped.iter().map(|d| d.count).sum()));
    let dups = n(q(|q| q.exact_duplicates));
    let customers = n(q(|q| q.customers));
    let orders = n(q(|q| q.orders));
    let products = n(q(|q| q.products));
    let returns = n(q(|q| q.returns.lines));
    let range = Signal::derive(move || {
        state.overview.quality.with(|q| {
            q.as_ref()
                .and_then(|q| q.date_range)
                .map(|(a, b)| format!("{} – {}", iso_day(a), iso_day(b)))
                .unwrap_or_default()
        })
    });
    let dup_removed = move || {
        state
            .overview
            .report
            .with(|r| r.as_ref().is_some_and(|r| r.duplicates_were_removed))
    };
    let on_dups = move |ev: web_sys::Event| {
        let rfm = RfmParams {
            remove_duplicates: Some(event_target_checked(&ev)),
            ..state.overview.rfm.get_untracked()
        };
        state.set_rfm(rfm);
    };
    let on_cap = move |ev: web_sys::Event| {
        let rfm = RfmParams {
            cap_outliers: event_target_checked(&ev),
            ..state.overview.rfm.get_untracked()
        };
        state.set_rfm(rfm);
    };
    let drops = move || {
        let l = lang.get();
        state.overview.quality.with(|q| {
            q.as_ref().map(|q| q.dropped.iter().map(|d| {
                let examples: Vec<String> = d.examples.iter().take(3).map(|(line, v)| fill(l, t::Q_EXAMPLES, &[&line.to_string(), v])).collect();
                view! {
                    <li data-testid="drop-reason" data-reason=format!("{:?}", d.reason) data-count=d.count.to_string()>
                        <strong>{count(d.count)}</strong>" · "{drop_reason(l, d.reason)}
                        {(!d.column.is_empty()).then(|| format!(" ({})", d.column))}
                        <span class="muted">" — "{examples.join("; ")}</span>
                    </li>
                }
            }).collect_view())
        })
    };
    let missing = move || {
        let l = lang.get();
        state.overview.quality.with(|q| {
            q.as_ref().map(|q| {
                q.missing.iter().filter(|m| m.missing > 0).map(|m| view! {
                <li>{format!("{} ({}): {}", m.column, role_name(l, m.role), count(m.missing))}</li>
            }).collect_view()
            })
        })
    };
    let quote_repairs = move || {
        let l = lang.get();
        state.overview.quality.with(|q| {
            q.as_ref().map(|q| {
                q.quote_repairs.iter().map(|r| view! {
                    <li data-testid="quote-repair" data-line=r.line.to_string() data-lines=r.lines.to_string()>
                        {fill(l, t::Q_QUOTE_REPAIR, &[&count(r.line), &count(r.lines)])}
                    </li>
                }).collect_view()
            })
        })
    };
    view! {
        <section class="card quality" data-testid="quality-report">
            <details open=true>
                <summary><h2>{tr(state, t::QUALITY_TITLE)}</h2></summary>
                <p class="muted">
                    {move || state.overview.quality.with(|q| q.as_ref().map(|q| fill(lang.get(), t::Q_ENCODING_USED, &[q.encoding.name(), &crate::i18n::delimiter_name(lang.get(), q.delimiter)])))}
                    " · "
                    {move || fill(lang.get(), t::Q_TIMING, &[&plain(state.overview.elapsed_ms.get(), 0)])}
                </p>
                <div class="figures">
                    <Figure label=t::Q_ROWS_READ testid="q-rows-read" value=read.0 shown=read.1/>
                    <Figure label=t::Q_ROWS_KEPT testid="q-rows-kept" value=kept.0 shown=kept.1/>
                    <Figure label=t::Q_ROWS_DROPPED testid="q-rows-dropped" value=dropped.0 shown=dropped.1/>
                    <Figure label=t::Q_DUPLICATES testid="q-duplicates" value=dups.0 shown=dups.1/>
                    <Figure label=t::Q_RETURNS testid="q-returns" value=returns.0 shown=returns.1/>
                    <Figure label=t::Q_CUSTOMERS testid="q-customers" value=customers.0 shown=customers.1/>
                    <Figure label=t::Q_ORDERS testid="q-orders" value=orders.0 shown=orders.1/>
                    <Figure label=t::Q_PRODUCTS testid="q-products" value=products.0 shown=products.1/>
                    <Figure label=t::Q_DATE_RANGE testid="q-date-range" value=range shown=range/>
                </div>
                <Show when=move || state.overview.quality.with(|q| q.as_ref().is_some_and(|q| !q.quote_repairs.is_empty()))>
                    <ul class="drops warning-list">{quote_repairs}</ul>
                </Show>
                <Show when=move || state.overview.quality.with(|q| q.as_ref().is_some_and(|q| !q.dropped.is_empty()))>
                    <h3>{tr(state, t::Q_DROP_REASONS)}</h3>
                    <ul class="drops">{drops}</ul>
                </Show>
                <Show when=move || state.overview.quality.with(|q| q.as_ref().is_some_and(|q| q.far_dates.is_some()))>
                    <p class="warning" data-testid="far-dates" data-lines=move || state.overview.quality.with(|q| q.as_ref().and_then(|q| q.far_dates.as_ref()).map(|f| f.lines.to_string()))>
                        {move || state.overview.quality.with(|q| q.as_ref().and_then(|q| q.far_dates.as_ref()).map(|f| fill(lang.get(), t::FAR_DATES_RANGE, &[&iso_day(f.first_day), &iso_day(f.last_day), &count(f.lines)])))}
                        " "
                        <label class="check">
                            <input type="checkbox" data-testid="keep-far-dates" prop:checked=move || state.overview.quality.with(|q| q.as_ref().and_then(|q| q.far_dates.as_ref()).is_some_and(|f| f.kept))
                                on:change=move |ev| state.set_keep_far_dates(event_target_checked(&ev))/>
                            {tr(state, t::FAR_DATES_KEEP)}
                        </label>
                    </p>
                </Show>
                <Show when=move || state.overview.quality.with(|q| q.as_ref().is_some_and(|q| q.missing.iter().any(|m| m.missing > 0)))>
                    <h3>{tr(state, t::Q_MISSING)}</h3>
                    <ul class="drops">{missing}</ul>
                </Show>
                <Show when=is_summary>
                    <ul class="quality-notes" data-testid="summary-facts">
                        {move || state.overview.quality.with(|q| q.as_ref().and_then(|q| q.summary.as_ref()).map(|f| summary_fact_lines(lang.get(), f)).unwrap_or_default().into_iter().map(|line| view! { <li>{line}</li> }).collect_view())}
                        <li class="muted">{tr(state, t::SUMMARY_NO_MONTHS)}</li>
                    </ul>
                </Show>
                <ul class="quality-notes" class:hidden=is_summary>
                    <li>
                        <label class="check">
                            <input type="checkbox" data-testid="dedupe-toggle" prop:checked=dup_removed on:change=on_dups/>
                            {tr(state, t::Q_REMOVE_DUPLICATES)}
                        </label>
                        " — "
                        <span class="muted">{move || if dup_removed() { t::Q_DUP_REMOVED.get(lang.get()) } else { t::Q_DUP_KEPT.get(lang.get()) }}</span>
                    </li>
                    <li>
                        {move || state.overview.quality.with(|q| q.as_ref().map(|q| fill(lang.get(), t::Q_RETURNS_DETAIL, &[&count(q.returns.lines), &money(q.returns.amount)])))}
                        {move || state.overview.report.with(|r| r.as_ref().map(|r| format!(" · {}: {} · {}: {}",
                            t::Q_FULLY_RETURNED.get(lang.get()), count(r.fully_returned_orders),
                            t::Q_NO_PURCHASE.get(lang.get()), count(r.customers_without_purchase))))}
                    </li>
                    <li data-testid="q-outliers" data-value=move || state.overview.report.with(|r| r.as_ref().map(|r| r.outliers.flagged_orders.to_string()))>
                        <strong>{tr(state, t::Q_OUTLIERS)}</strong>": "
                        {move || state.overview.report.with(|r| r.as_ref().map(|r| fill(lang.get(), t::Q_OUTLIER_RULE, &[&count(r.outliers.flagged_orders), &money(r.outliers.fence)])))}
                        " "
                        <label class="check">
                            <input type="checkbox" data-testid="cap-outliers-toggle" prop:checked=move || state.overview.rfm.with(|r| r.cap_outliers) on:change=on_cap/>
                            {tr(state, t::Q_CAP_OUTLIERS)}
                        </label>
                    </li>
                    <Show when=move || state.overview.quality.with(|q| q.as_ref().is_some_and(|q| q.replaced_characters > 0))>
                        <li class="warning">{move || state.overview.quality.with(|q| q.as_ref().map(|q| fill(lang.get(), t::Q_REPLACED, &[q.encoding.name(), &count(q.replaced_characters)])))}</li>
                    </Show>
                </ul>
            </details>
        </section>
    }
}

#[component]
fn Settings() -> impl IntoView {
    let state = expect_context::<AppState>();
    let as_of = move || {
        state
            .overview
            .report
            .with(|r| r.as_ref().map(|r| iso_day(r.as_of_day)).unwrap_or_default())
    };
    let on_as_of = move |ev: web_sys::Event| {
        let value = event_target_value(&ev);
        let day = parse_iso_day(&value);
        if day.is_some() || value.is_empty() {
            state.set_rfm(RfmParams {
                as_of_day: day,
                ..state.overview.rfm.get_untracked()
            });
        }
    };
    view! {
        <section class="card settings">
            <label>
                {tr(state, t::SETTINGS_AS_OF)}
                <input type="date" data-testid="as-of-input" prop:value=as_of on:change=on_as_of/>
            </label>
            <span class="hint">{tr(state, t::SETTINGS_AS_OF_HELP)}</span>
        </section>
    }
}

#[component]
fn Kpis() -> impl IntoView {
    let state = expect_context::<AppState>();
    let k = move |f: fn(&crate::engine::rfm::Kpis) -> f64| {
        Signal::derive(move || {
            state
                .overview
                .report
                .with(|r| r.as_ref().map(|r| f(&r.kpis)).unwrap_or(0.0))
        })
    };
    let customers = k(|k| k.customers as f64);
    let orders = k(|k| k.orders as f64);
    let revenue = k(|k| k.revenue);
    let aov = k(|k| k.average_order_value);
    let repeat = k(|k| k.repeat_customer_rate);
    let card = move |label: Text,
                     testid: &'static str,
                     value: Signal<f64>,
                     decimals: usize,
                     shown: fn(f64) -> String| {
        view! {
            <div class="kpi" data-testid=testid data-value=move || plain(value.get(), decimals)>
                <span class="kpi-label">{tr(state, label)}</span>
                <span class="kpi-value">{move || shown(value.get())}</span>
            </div>
        }
    };
    view! {
        <section class="kpis">
            {card(t::KPI_CUSTOMERS, "kpi-customers", customers, 0, |v| grouped(v, 0, ','))}
            {card(t::KPI_ORDERS, "kpi-orders", orders, 0, |v| grouped(v, 0, ','))}
            {card(t::KPI_REVENUE, "kpi-revenue", revenue, 2, money)}
            {card(t::KPI_AOV, "kpi-aov", aov, 2, money)}
            {card(t::KPI_REPEAT, "kpi-repeat-rate", repeat, 4, percent)}
        </section>
        // Every customer of the file is counted: the ones not scored are said, by reason.
        {move || state.overview.report.with(|r| r.as_ref().and_then(|r| {
            let unscored = r.customers_without_purchase + r.customers_after_as_of;
            (unscored > 0).then(|| {
                let total = r.kpis.customers + unscored;
                view! {
                    <p class="hint unscored" data-testid="customers-unscored" data-value=unscored.to_string()>
                        {fill(state.lang.get(), t::KPI_UNSCORED, &[&count(total), &count(r.kpis.customers),
                            &count(r.customers_without_purchase), &count(r.customers_after_as_of)])}
                    </p>
                }
            })
        }))}
    }
}

#[component]
fn ParetoCard() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    view! {
        <section class="card pareto" data-testid="pareto">
            <p class="pareto-sentence" data-testid="pareto-sentence"
                data-value=move || state.overview.report.with(|r| r.as_ref().map(|r| plain(r.pareto.customer_share_for_80_percent, 4)))>
                {move || state.overview.report.with(|r| r.as_ref().map(|r| fill(lang.get(), t::PARETO_SENTENCE, &[&percent(r.pareto.customer_share_for_80_percent)])))}
            </p>
            <ul class="pareto-tops">
                {move || {
                    let l: Lang = lang.get();
                    state.overview.report.with(|r| r.as_ref().map(|r| r.pareto.top_shares.iter().map(|(p, s)| view! {
                        <li data-testid=format!("pareto-top-{}", plain(*p, 0)) data-value=plain(*s, 4)>{fill(l, t::PARETO_TOP, &[&plain(*p, 0), &percent(*s)])}</li>
                    }).collect_view()))
                }}
                <li data-testid="pareto-gini" data-value=move || state.overview.report.with(|r| r.as_ref().map(|r| plain(r.pareto.gini, 4)))>
                    {move || state.overview.report.with(|r| r.as_ref().map(|r| fill(lang.get(), t::PARETO_GINI, &[&format!("{:.3}", r.pareto.gini)])))}
                </li>
            </ul>
        </section>
    }
}
