//! The lifecycle page's forecast: weekly or monthly revenue and orders with ETS, 80 % and 95 %
//! intervals, the backtest against the seasonal-naive forecast, the existing customers' expected
//! orders beside it when predictions have run, the export.

use leptos::prelude::*;

use super::section_head;
use crate::app::chart::ForecastChart;
use crate::app::{tr, AppState};
use crate::engine::forecast::{
    ForecastPeriod, ForecastReport, SeriesKind, SeriesReport, MAX_HORIZON,
};
use crate::format::{grouped, plain};
use crate::i18n::{fill, t, Lang};

/// A series' value as shown: money without decimals, orders with one when fractional.
fn value_text(kind: SeriesKind, v: f64) -> String {
    match kind {
        SeriesKind::Revenue => grouped(v, 0, ','),
        SeriesKind::Orders => grouped(v, if v.fract().abs() < 1e-9 { 0 } else { 1 }, ','),
    }
}

fn series(r: &ForecastReport, kind: SeriesKind) -> &SeriesReport {
    match kind {
        SeriesKind::Revenue => &r.revenue,
        SeriesKind::Orders => &r.orders,
    }
}

fn summary(lang: Lang, r: &ForecastReport, kind: SeriesKind) -> String {
    let s = series(r, kind);
    let first = s.history.first().map_or("", |h| h.label.as_str());
    let last = s.history.last().map_or("", |h| h.label.as_str());
    let season = if r.season > 1 {
        r.season.to_string()
    } else {
        t::FORECAST_NO_SEASON.get(lang).to_string()
    };
    fill(
        lang,
        t::FORECAST_SUMMARY,
        &[
            &s.model,
            &s.history.len().to_string(),
            &format!("{first} – {last}"),
            &season,
        ],
    )
}

fn backtest_text(lang: Lang, s: &SeriesReport) -> (String, bool) {
    let Some(b) = s.backtest.as_ref() else {
        return (t::FORECAST_NO_BACKTEST.get(lang).to_string(), false);
    };
    let pct = |v: Option<f64>| v.map_or_else(|| "–".to_string(), |v| format!("{} %", plain(v, 1)));
    let num = |v: Option<f64>| v.map_or_else(|| "–".to_string(), |v| plain(v, 2));
    let worse = matches!((b.model_mase, b.naive_mase), (Some(m), Some(n)) if m >= n);
    (
        fill(
            lang,
            t::FORECAST_BACKTEST,
            &[
                &b.origins.to_string(),
                &b.horizon.to_string(),
                &pct(b.model_mape),
                &pct(b.naive_mape),
                &num(b.model_mase),
                &num(b.naive_mase),
            ],
        ),
        worse,
    )
}

#[component]
pub(super) fn ForecastSection() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let s = state.lifecycle;
    let params = s.forecast_params;
    let report = s.forecast;
    let kind = s.forecast_series;
    let has_report = move || report.with(Option::is_some);
    let rows = move || {
        report.with(|r| {
            r.as_ref()
                .map(|r| {
                    let k = kind.get();
                    let existing = (k == SeriesKind::Orders)
                        .then(|| r.existing_customer_orders.clone())
                        .flatten();
                    series(r, k)
                        .forecast
                        .iter()
                        .enumerate()
                        .map(|(i, p)| {
                            (p.clone(), existing.as_ref().and_then(|e| e.get(i).copied()))
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let existing_note = move || {
        report.with(|r| {
            let r = r.as_ref()?;
            Some(match &r.existing_customer_orders {
                Some(e) => fill(
                    lang.get(),
                    t::FORECAST_EXISTING,
                    &[
                        &grouped(e.iter().sum::<f64>(), 0, ','),
                        &grouped(
                            r.orders.forecast.iter().map(|p| p.mean).sum::<f64>(),
                            0,
                            ',',
                        ),
                    ],
                ),
                None => t::FORECAST_EXISTING_NONE.get(lang.get()).to_string(),
            })
        })
    };
    let backtest = move || {
        report.with(|r| {
            r.as_ref()
                .map(|r| backtest_text(lang.get(), series(r, kind.get())))
        })
    };
    let has_existing = move || {
        kind.get() == SeriesKind::Orders
            && report.with(|r| {
                r.as_ref()
                    .is_some_and(|r| r.existing_customer_orders.is_some())
            })
    };
    view! {
        <section class="card forecast" data-testid="forecast">
            {section_head(state, t::FORECAST_TITLE, t::FORECAST_HELP, has_report, ("export-forecast", t::EXPORT_FORECAST, t::EXPORT_FORECAST_XLSX), move |f| state.export_forecast(f))}
            <div class="controls">
                <label>{tr(state, t::FORECAST_PERIOD)}" "
                    <select data-testid="forecast-period" on:change=move |ev| {
                        let p = if event_target_value(&ev) == "week" { ForecastPeriod::Week } else { ForecastPeriod::Month };
                        params.update(|x| x.period = p)
                    }>
                        <option value="month" selected=move || params.with(|p| p.period == ForecastPeriod::Month)>{tr(state, t::COHORTS_PERIOD_MONTH)}</option>
                        <option value="week" selected=move || params.with(|p| p.period == ForecastPeriod::Week)>{tr(state, t::COHORTS_PERIOD_WEEK)}</option>
                    </select>
                </label>
                <label>{tr(state, t::FORECAST_HORIZON)}" "
                    // Unparsable text becomes 0, which the engine refuses naming the range.
                    <input type="number" min="1" max=MAX_HORIZON data-testid="forecast-horizon"
                        prop:value=move || params.with(|p| p.horizon.to_string())
                        on:change=move |ev| { let v = event_target_value(&ev).trim().parse().unwrap_or(0); params.update(|p| p.horizon = v) }/>
                </label>
                <button class="button primary" data-testid="forecast-run" disabled=move || state.busy.get() on:click=move |_| state.run_forecast()>
                    {tr(state, t::FORECAST_RUN)}
                </button>
                <Show when=has_report>
                    <label>{tr(state, t::FORECAST_SERIES)}" "
                        <select data-testid="forecast-series" on:change=move |ev| kind.set(if event_target_value(&ev) == "orders" { SeriesKind::Orders } else { SeriesKind::Revenue })>
                            <option value="revenue" selected=move || kind.get() == SeriesKind::Revenue>{tr(state, t::FORECAST_REVENUE)}</option>
                            <option value="orders" selected=move || kind.get() == SeriesKind::Orders>{tr(state, t::FORECAST_ORDERS)}</option>
                        </select>
                    </label>
                </Show>
            </div>
            <Show when=has_report>
                <p class="muted" data-testid="forecast-summary"
                    data-model=move || report.with(|r| r.as_ref().map(|r| series(r, kind.get()).model.clone()).unwrap_or_default())
                    data-elapsed=move || plain(s.forecast_ms.get(), 1)>
                    {move || report.with(|r| r.as_ref().map(|r| summary(lang.get(), r, kind.get())).unwrap_or_default())}
                </p>
                {move || report.with(|r| r.as_ref().and_then(|r| r.partial_period.clone())).map(|p| view! {
                    <p class="muted" data-testid="forecast-partial">{fill(lang.get(), t::FORECAST_PARTIAL, &[&p])}</p>
                })}
                {move || backtest().map(|(text, worse)| view! {
                    <p class="muted" data-testid="forecast-backtest">{text}</p>
                    {worse.then(|| view! { <p class="warning" data-testid="forecast-worse">{tr(state, t::FORECAST_BACKTEST_WORSE)}</p> })}
                })}
                <p class="muted" data-testid="forecast-existing">{existing_note}</p>
                <div class="charts">
                    <ForecastChart report=Signal::derive(move || report.get()) series=Signal::derive(move || kind.get())/>
                </div>
                <div class="table-wrap">
                    <table data-testid="forecast-table">
                        <thead><tr>
                            <th>{tr(state, t::FORECAST_COL_PERIOD)}</th>
                            <th class="num">{tr(state, t::FORECAST_COL_MEAN)}</th>
                            <th class="num">{tr(state, t::FORECAST_COL_80)}</th>
                            <th class="num">{tr(state, t::FORECAST_COL_95)}</th>
                            <Show when=has_existing><th class="num">{tr(state, t::FORECAST_COL_EXISTING)}</th></Show>
                        </tr></thead>
                        <tbody>
                            <For each=rows key=|(p, e)| (p.label.clone(), p.mean.to_bits(), e.map(f64::to_bits)) let:row>
                                {
                                    let (p, e) = row;
                                    let k = kind.get_untracked();
                                    view! {
                                        <tr data-period=p.label.clone() data-mean=plain(p.mean, 2)>
                                            <td>{p.label.clone()}</td>
                                            <td class="num">{value_text(k, p.mean)}</td>
                                            <td class="num">{format!("{} – {}", value_text(k, p.lo80), value_text(k, p.hi80))}</td>
                                            <td class="num">{format!("{} – {}", value_text(k, p.lo95), value_text(k, p.hi95))}</td>
                                            {e.map(|e| view! { <td class="num">{grouped(e, 0, ',')}</td> })}
                                        </tr>
                                    }
                                }
                            </For>
                        </tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}
