//! The lifecycle page's membership tiers: thresholds (typed, or suggested from quantiles; every
//! edit re-assigns at once over the spends the worker keeps), the tier table, the movements, the
//! migration matrix and chart, the export. Every list opens the customer table filtered on it.

use leptos::prelude::set_timeout_with_handle;
use leptos::prelude::*;

use super::section_head;
use crate::app::chart::TierChart;
use crate::app::{tr, AppState};
use crate::engine::customers::tiers::{tier_code, TIER, TIER_MOVEMENT};
use crate::engine::tiers::{TierReport, MAX_THRESHOLDS};
use crate::format::{grouped, percent, plain};
use crate::i18n::{fill, movement_name, t, tier_name, Lang};

/// Milliseconds after the last keystroke before the tiers are re-assigned.
const EDIT_DEBOUNCE_MS: u64 = 300;

/// A tier's range in words: "from 500" / "100 – 500".
fn range_text(lower: f64, upper: Option<f64>) -> String {
    match upper {
        Some(u) => format!("{} – {}", grouped(lower, 0, ','), grouped(u, 0, ',')),
        None => format!("≥ {}", grouped(lower, 0, ',')),
    }
}

/// A state of the migration matrix in words: row `r` (0 not yet, 1 inactive, 2.. tiers) or,
/// with `column`, column `r` (0 inactive, 1.. tiers).
fn state_name(lang: Lang, index: usize, column: bool) -> String {
    let tier_start = if column { 1 } else { 2 };
    if !column && index == 0 {
        t::TIER_NOT_YET.get(lang).to_string()
    } else if index + 1 == tier_start {
        t::TIER_INACTIVE.get(lang).to_string()
    } else {
        tier_name(lang, (index - tier_start) as u8).to_string()
    }
}

fn summary(lang: Lang, r: &TierReport) -> String {
    fill(
        lang,
        t::TIERS_SUMMARY,
        &[
            &grouped(r.active_now as f64, 0, ','),
            &crate::engine::calendar::iso_day(r.as_of_day),
            &grouped(r.customers as f64, 0, ','),
            &grouped(r.active_before as f64, 0, ','),
            &crate::engine::calendar::iso_day(r.earlier_day),
        ],
    )
}

#[component]
pub(super) fn TiersSection() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let s = state.lifecycle;
    let params = s.tier_params;
    let texts = s.tier_thresholds;
    let report = s.tiers;
    let has_report = move || report.with(Option::is_some);
    let timer = StoredValue::new_local(None::<leptos::prelude::TimeoutHandle>);
    // Each edit re-assigns shortly after the typing stops (the worker keeps the spends).
    let reassign = move || {
        if let Some(h) = timer.get_value() {
            h.clear();
        }
        let handle = set_timeout_with_handle(
            move || state.assign_tiers(),
            std::time::Duration::from_millis(EDIT_DEBOUNCE_MS),
        )
        .ok();
        timer.set_value(handle);
    };
    let tier_rows =
        move || report.with(|r| r.as_ref().map(|r| r.tiers.clone()).unwrap_or_default());
    let movements =
        move || report.with(|r| r.as_ref().map(|r| r.movements.clone()).unwrap_or_default());
    let matrix = move || report.with(|r| r.as_ref().map(|r| r.matrix.clone()).unwrap_or_default());
    let points = move || params.with(|p| p.points_per_unit.is_some());
    let threshold_inputs = move || {
        let n = texts.with(Vec::len);
        (0..n)
            .map(|i| {
                let value = move || texts.with(|v| v.get(i).cloned().unwrap_or_default());
                view! {
                    <label>{move || tier_name(lang.get(), (i + 1) as u8)}" "{tr(state, t::TIERS_THRESHOLD)}" "
                        <input type="text" inputmode="decimal" size="8" data-testid=format!("tier-threshold-{}", i + 1)
                            prop:value=value
                            on:input=move |ev| {
                                let text = event_target_value(&ev);
                                texts.update(|v| if let Some(slot) = v.get_mut(i) { *slot = text });
                                reassign();
                            }/>
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card tiers" data-testid="tiers">
            {section_head(state, t::TIERS_TITLE, t::TIERS_HELP, has_report, ("export-tiers", t::EXPORT_TIERS, t::EXPORT_TIERS_XLSX), move |f| state.export_tiers(f))}
            <div class="controls">
                <label>{tr(state, t::TIERS_BASIS)}" "
                    <select data-testid="tier-basis" on:change=move |ev| {
                        let rate = (event_target_value(&ev) == "points").then_some(1.0);
                        params.update(|p| p.points_per_unit = rate);
                        texts.set(Vec::new());
                    }>
                        <option value="spend" selected=move || !points()>{tr(state, t::TIERS_BASIS_SPEND)}</option>
                        <option value="points" selected=points>{tr(state, t::TIERS_BASIS_POINTS)}</option>
                    </select>
                </label>
                <Show when=points>
                    <label>{tr(state, t::TIERS_RATE)}" "
                        // Unparsable text becomes 0, which the engine refuses naming the rate.
                        <input type="text" inputmode="decimal" size="5" data-testid="tier-rate"
                            prop:value=move || params.with(|p| p.points_per_unit.map(|r| plain(r, 4)).unwrap_or_default())
                            on:change=move |ev| {
                                let v = event_target_value(&ev).trim().parse::<f64>().ok().filter(|v| v.is_finite()).unwrap_or(0.0);
                                params.update(|p| p.points_per_unit = Some(v));
                                texts.set(Vec::new());
                            }/>
                    </label>
                </Show>
                <label>{tr(state, t::TIERS_WINDOW)}" "
                    <input type="number" min="1" max="36" data-testid="tier-window"
                        prop:value=move || params.with(|p| p.window_months.to_string())
                        on:change=move |ev| { let v = event_target_value(&ev).trim().parse().unwrap_or(0); params.update(|p| p.window_months = v) }/>
                </label>
                <button class="button primary" data-testid="tiers-run" disabled=move || state.busy.get() on:click=move |_| state.assign_tiers()>
                    {tr(state, t::TIERS_RUN)}
                </button>
            </div>
            <Show when=has_report>
                <div class="controls" data-testid="tier-thresholds">
                    {threshold_inputs}
                    <button class="button" data-testid="tier-add" disabled=move || texts.with(|v| v.len() >= MAX_THRESHOLDS)
                        on:click=move |_| {
                            texts.update(|v| {
                                let last = v.last().and_then(|t| t.trim().parse::<f64>().ok()).unwrap_or(0.0);
                                v.push(plain((last * 2.0).max(1.0), 0));
                            });
                            reassign();
                        }>{tr(state, t::TIERS_ADD)}</button>
                    <button class="button" data-testid="tier-remove" disabled=move || texts.with(|v| v.len() <= 1)
                        on:click=move |_| { texts.update(|v| { v.pop(); }); reassign(); }>{tr(state, t::TIERS_REMOVE)}</button>
                    <button class="button" data-testid="tier-suggest" on:click=move |_| state.suggest_tiers()>{tr(state, t::TIERS_SUGGEST)}</button>
                </div>
                <p class="muted" data-testid="tiers-summary"
                    data-active=move || report.with(|r| r.as_ref().map(|r| r.active_now.to_string()).unwrap_or_default())
                    data-elapsed=move || report.with(|r| r.as_ref().map(|r| plain(r.elapsed_ms, 1)).unwrap_or_default())>
                    {move || report.with(|r| r.as_ref().map(|r| summary(lang.get(), r)).unwrap_or_default())}
                    " "
                    {move || report.with(|r| r.as_ref().map(|r| fill(lang.get(), t::TIERS_SUGGESTED, &[&r.suggested.iter().map(|v| grouped(*v, 0, ',')).collect::<Vec<_>>().join(" / ")])).unwrap_or_default())}
                </p>
                <Show when=move || report.with(|r| r.as_ref().is_some_and(|r| r.earlier_window_partial))>
                    <p class="warning" data-testid="tiers-partial">{tr(state, t::TIERS_PARTIAL)}</p>
                </Show>
                <div class="table-wrap">
                    <table data-testid="tier-table">
                        <thead><tr>
                            <th>{tr(state, t::TIERS_COL_TIER)}</th>
                            <th class="num">{tr(state, t::TIERS_COL_RANGE)}</th>
                            <th class="num">{tr(state, t::TIERS_COL_NOW)}</th>
                            <th class="num">{tr(state, t::TIERS_COL_SHARE)}</th>
                            <th class="num">{tr(state, t::TIERS_COL_SPEND)}</th>
                            <th class="num">{tr(state, t::TIERS_COL_SPEND_SHARE)}</th>
                            <th class="num">{tr(state, t::TIERS_COL_BEFORE)}</th>
                            <th></th>
                        </tr></thead>
                        <tbody>
                            <For each=move || tier_rows().into_iter().rev() key=|r| (r.tier, r.customers_now, r.lower.to_bits()) let:r>
                                <tr data-tier=r.tier data-customers=r.customers_now>
                                    <td>{move || tier_name(lang.get(), r.tier)}</td>
                                    <td class="num">{range_text(r.lower, r.upper)}</td>
                                    <td class="num">{grouped(r.customers_now as f64, 0, ',')}</td>
                                    <td class="num">{percent(r.customer_share_now)}</td>
                                    <td class="num">{grouped(r.spend_now, 0, ',')}</td>
                                    <td class="num">{percent(r.spend_share_now)}</td>
                                    <td class="num">{grouped(r.customers_before as f64, 0, ',')}</td>
                                    <td><button class="link" data-testid=format!("tier-open-{}", r.tier)
                                        on:click=move |_| state.show_band(TIER, vec![tier_code(Some(r.tier))])>{tr(state, t::TIERS_OPEN)}</button></td>
                                </tr>
                            </For>
                        </tbody>
                    </table>
                </div>
                <h3>{tr(state, t::TIERS_MOVEMENTS)}</h3>
                <div class="movements" data-testid="tier-movements">
                    <For each=movements key=|m| (m.0.code(), m.1) let:m>
                        <button class="button movement" data-movement=m.0.code() data-count=m.1 disabled=move || m.1 == 0
                            title=tr(state, t::TIERS_OPEN)
                            on:click=move |_| state.show_band(TIER_MOVEMENT, vec![m.0.code().to_string()])>
                            {move || movement_name(lang.get(), m.0)}": "{grouped(m.1 as f64, 0, ',')}
                        </button>
                    </For>
                </div>
                <div class="charts">
                    <TierChart report=Signal::derive(move || report.get())/>
                </div>
                <h3>{tr(state, t::TIERS_MATRIX)}</h3>
                <div class="table-wrap">
                    <table data-testid="tier-matrix">
                        <thead><tr>
                            <th></th>
                            {move || matrix().first().map(|row| (0..row.len()).map(|c| view! { <th class="num">{state_name(lang.get(), c, true)}</th> }).collect_view())}
                        </tr></thead>
                        <tbody>
                            {move || matrix().into_iter().enumerate().map(|(r, row)| view! {
                                <tr>
                                    <th>{state_name(lang.get(), r, false)}</th>
                                    {row.into_iter().map(|n| view! { <td class="num">{grouped(n as f64, 0, ',')}</td> }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </Show>
        </section>
    }
}
