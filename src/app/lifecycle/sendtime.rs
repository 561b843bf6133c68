//! The lifecycle page's send timing: each customer's best weekday and hour (shrunk toward the
//! store's pattern), the weekday × hour heatmap of the store or a segment, how many customers are
//! best reached at each hour and weekday (each opens the customer table filtered on it), the
//! export.

use leptos::prelude::*;

use super::section_head;
use crate::app::chart::SendTimeChart;
use crate::app::{tr, AppState};
use crate::engine::customers::sendtime::{SEND_HOUR, SEND_WEEKDAY};
use crate::engine::sendtime::{weekday_key, SendTimeReport};
use crate::format::{grouped, plain};
use crate::i18n::{fill, hour_text, segment_name, t, weekday_name, Lang};

fn summary(lang: Lang, r: &SendTimeReport) -> String {
    let orders = |v: f64| grouped(v, 1, ',');
    let Some(hour) = r.hour.as_ref().filter(|_| r.has_times) else {
        return fill(
            lang,
            t::SENDTIME_SUMMARY_WEEKDAYS,
            &[
                &grouped(r.customers as f64, 0, ','),
                &grouped(r.orders as f64, 0, ','),
                &orders(r.weekday.prior.orders),
                &grouped(r.weekday.mostly_own as f64, 0, ','),
            ],
        );
    };
    fill(
        lang,
        t::SENDTIME_SUMMARY,
        &[
            &grouped(r.customers as f64, 0, ','),
            &grouped(r.orders as f64, 0, ','),
            &grouped(r.timed_orders as f64, 0, ','),
            &r.hour
                .as_ref()
                .map_or_else(|| "–".to_string(), |h| orders(h.prior.orders)),
            &orders(r.weekday.prior.orders),
            &grouped(hour.mostly_own as f64, 0, ','),
        ],
    )
}

#[component]
pub(super) fn SendTimeSection() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let s = state.lifecycle;
    let report = s.sendtime;
    let view_index = s.sendtime_view;
    let has_report = move || report.with(Option::is_some);
    let no_times = move || report.with(|r| r.as_ref().is_some_and(|r| !r.has_times));
    let segments = move || {
        report.with(|r| {
            r.as_ref()
                .map(|r| r.segments.iter().map(|g| g.segment).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    };
    // (hour, customers) and (weekday, customers) best reached there, only the non-empty ones.
    let best_hours = move || {
        report.with(|r| {
            r.as_ref()
                .and_then(|r| r.hour.as_ref())
                .map(|h| {
                    h.best_customers
                        .iter()
                        .enumerate()
                        .filter(|(_, &n)| n > 0)
                        .map(|(i, &n)| (i as u8, n))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let best_weekdays = move || {
        report.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.weekday
                        .best_customers
                        .iter()
                        .enumerate()
                        .map(|(i, &n)| (i as u8, n))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let report_signal = Signal::derive(move || report.get());
    let view_signal = Signal::derive(move || view_index.get());
    view! {
        <section class="card sendtime" data-testid="sendtime">
            {section_head(state, t::SENDTIME_TITLE, t::SENDTIME_HELP, has_report, ("export-sendtime", t::EXPORT_SENDTIME, t::EXPORT_SENDTIME_XLSX), move |f| state.export_send_times(f))}
            <div class="controls">
                <button class="button primary" data-testid="sendtime-run" disabled=move || state.busy.get() on:click=move |_| state.find_send_times()>
                    {tr(state, t::SENDTIME_RUN)}
                </button>
                <Show when=has_report>
                    <label>{tr(state, t::SENDTIME_VIEW)}" "
                        <select data-testid="sendtime-view" on:change=move |ev| view_index.set(event_target_value(&ev).parse().unwrap_or(0))>
                            <option value="0" selected=move || view_index.get() == 0>{tr(state, t::SENDTIME_STORE)}</option>
                            {move || segments().into_iter().enumerate().map(|(i, seg)| view! {
                                <option value=(i + 1).to_string() selected=move || view_index.get() == i + 1>{move || segment_name(lang.get(), seg)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                </Show>
            </div>
            <Show when=has_report>
                <Show when=no_times>
                    <p class="warning" data-testid="sendtime-no-times">{tr(state, t::SENDTIME_NO_TIMES)}</p>
                </Show>
                <p class="muted" data-testid="sendtime-summary"
                    data-has-times=move || report.with(|r| r.as_ref().map(|r| r.has_times.to_string()).unwrap_or_default())
                    data-elapsed=move || plain(s.sendtime_ms.get(), 1)>
                    {move || report.with(|r| r.as_ref().map(|r| summary(lang.get(), r)).unwrap_or_default())}
                </p>
                <div class="charts">
                    <SendTimeChart report=report_signal view=view_signal/>
                </div>
                <Show when=move || !no_times()>
                    <h3>{tr(state, t::SENDTIME_BEST_HOURS)}</h3>
                    <div class="movements" data-testid="sendtime-hours">
                        <For each=best_hours key=|h| *h let:h>
                            <button class="button movement" data-hour=h.0 data-count=h.1
                                on:click=move |_| state.show_band(SEND_HOUR, vec![format!("{:02}", h.0)])>
                                {hour_text(h.0)}": "{grouped(h.1 as f64, 0, ',')}
                            </button>
                        </For>
                    </div>
                </Show>
                <h3>{tr(state, t::SENDTIME_BEST_WEEKDAYS)}</h3>
                <div class="movements" data-testid="sendtime-weekdays">
                    <For each=best_weekdays key=|w| *w let:w>
                        <button class="button movement" data-weekday=weekday_key(w.0) data-count=w.1 disabled=move || w.1 == 0
                            on:click=move |_| state.show_band(SEND_WEEKDAY, vec![weekday_key(w.0).to_string()])>
                            {move || weekday_name(lang.get(), w.0)}": "{grouped(w.1 as f64, 0, ',')}
                        </button>
                    </For>
                </div>
            </Show>
        </section>
    }
}
