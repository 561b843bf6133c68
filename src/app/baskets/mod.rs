//! The baskets page: association rules (settings, summary, charts, the rule table paged in the
//! worker, cross-sell lists), cross-sell recommendations with their evaluation, and regional
//! preferences. Every number comes from the worker.

use leptos::prelude::*;

pub mod state;

use super::chart::{BasketChart, BasketChartKind};
use super::{export_buttons, tr, AppState};
use crate::engine::baskets::{
    GroupBy, ItemLevel, MinSupport, RuleQuery, RuleRow, RuleSort, MAX_K, MAX_LENGTH,
};
use crate::format::{grouped, percent, plain};
use crate::i18n::{basket_warning_text, fill, support_text, t};

/// The whole baskets page.
#[component]
pub fn Baskets() -> impl IntoView {
    view! {
        <RulesSection/>
        <RecommendSection/>
        <RegionsSection/>
    }
}

fn level_of(value: &str) -> ItemLevel {
    if value == "category" {
        ItemLevel::Category
    } else {
        ItemLevel::Product
    }
}

/// A percentage typed by the user as a share. Unparsable or empty text becomes −1, which the
/// engine refuses with a message naming the setting (a NaN could not cross to the worker: JSON
/// has no NaN).
fn share_of(text: &str) -> f64 {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|p| p.is_finite())
        .map_or(-1.0, |p| p / 100.0)
}

/// A number typed by the user; unparsable or empty text becomes −1 (see [`share_of`]).
fn number_of(text: &str) -> f64 {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .unwrap_or(-1.0)
}

#[component]
fn RulesSection() -> impl IntoView {
    let state = expect_context::<AppState>();
    let has_report = move || state.baskets.report.with(Option::is_some);
    view! {
        <section class="card baskets" data-testid="baskets">
            <div class="card-head">
                <h2>{tr(state, t::BASKETS_TITLE)}</h2>
                <Show when=has_report>
                    {export_buttons(state, "export-rules", t::EXPORT_RULES, t::EXPORT_RULES_XLSX, move |f| state.export_rules(f))}
                </Show>
            </div>
            <p class="muted">{tr(state, t::BASKETS_HELP)}</p>
            <RuleSettings/>
            <Show when=has_report>
                <RulesReport/>
            </Show>
        </section>
    }
}

#[component]
fn RuleSettings() -> impl IntoView {
    let state = expect_context::<AppState>();
    let params = state.baskets.params;
    let support_pct = move || {
        params.with(|p| match p.min_support {
            MinSupport::Share(s) => plain(s * 100.0, 4),
            MinSupport::Count(_) => String::new(),
        })
    };
    let run_label = move || {
        if state.baskets.report.with(Option::is_some) {
            t::BASKETS_RERUN.get(state.lang.get())
        } else {
            t::BASKETS_RUN.get(state.lang.get())
        }
    };
    view! {
        <div class="controls basket-settings">
            <label>{tr(state, t::BASKETS_LEVEL)}" "
                <select data-testid="baskets-level" on:change=move |ev| { let l = level_of(&event_target_value(&ev)); params.update(|p| p.level = l) }>
                    <option value="product" selected=move || params.with(|p| p.level == ItemLevel::Product)>{tr(state, t::BASKETS_LEVEL_PRODUCT)}</option>
                    <option value="category" selected=move || params.with(|p| p.level == ItemLevel::Category)>{tr(state, t::BASKETS_LEVEL_CATEGORY)}</option>
                </select>
            </label>
            <label>{tr(state, t::BASKETS_MIN_SUPPORT)}" "
                <input type="number" min="0" max="100" step="0.01" data-testid="baskets-support"
                    on:change=move |ev| { let s = share_of(&event_target_value(&ev)); params.update(|p| p.min_support = MinSupport::Share(s)) }
                    prop:value=support_pct/>
            </label>
            <label>{tr(state, t::BASKETS_MIN_CONFIDENCE)}" "
                <input type="number" min="0" max="100" step="1" data-testid="baskets-confidence"
                    on:change=move |ev| { let s = share_of(&event_target_value(&ev)); params.update(|p| p.min_confidence = s) }
                    prop:value=move || params.with(|p| plain(p.min_confidence * 100.0, 2))/>
            </label>
            <label>{tr(state, t::BASKETS_MIN_LIFT)}" "
                <input type="number" min="0" step="0.1" data-testid="baskets-lift"
                    on:change=move |ev| { let v = number_of(&event_target_value(&ev)); params.update(|p| p.min_lift = v) }
                    prop:value=move || params.with(|p| plain(p.min_lift, 2))/>
            </label>
            <label>{tr(state, t::BASKETS_MAX_LENGTH)}" "
                <input type="number" min="2" max=MAX_LENGTH.to_string() data-testid="baskets-max-length"
                    on:change=move |ev| { let v = event_target_value(&ev).trim().parse().unwrap_or(0); params.update(|p| p.max_length = v) }
                    prop:value=move || params.with(|p| p.max_length.to_string())/>
            </label>
            <label>{tr(state, t::BASKETS_MAX_CONSEQUENT)}" "
                <input type="number" min="1" max=(MAX_LENGTH - 1).to_string() data-testid="baskets-max-consequent"
                    on:change=move |ev| { let v = event_target_value(&ev).trim().parse().unwrap_or(0); params.update(|p| p.max_consequent = v) }
                    prop:value=move || params.with(|p| p.max_consequent.to_string())/>
            </label>
            <label class="check">
                <input type="checkbox" data-testid="baskets-prune"
                    prop:checked=move || params.with(|p| p.prune_redundant)
                    on:change=move |ev| { let on = event_target_checked(&ev); params.update(|p| p.prune_redundant = on) }/>
                " "{tr(state, t::BASKETS_PRUNE)}
            </label>
            <button class="button primary" data-testid="baskets-run" disabled=move || state.busy.get() on:click=move |_| state.mine_rules()>
                {run_label}
            </button>
        </div>
    }
}

#[component]
fn RulesReport() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let report = state.baskets.report;
    let figure = move |f: fn(&crate::engine::baskets::BasketReport) -> (String, String)| {
        move || report.with(|r| r.as_ref().map(f).unwrap_or_default())
    };
    fn count(v: u64) -> (String, String) {
        (v.to_string(), grouped(v as f64, 0, ','))
    }
    let baskets = figure(|r| count(r.summary.baskets));
    let items = figure(|r| count(r.summary.items));
    let mean = figure(|r| (plain(r.summary.mean_size, 4), plain(r.summary.mean_size, 2)));
    let median = figure(|r| {
        (
            plain(r.summary.median_size, 1),
            plain(r.summary.median_size, 1),
        )
    });
    let single = figure(|r| {
        (
            plain(r.summary.single_item_share, 4),
            percent(r.summary.single_item_share),
        )
    });
    let rules = figure(|r| count(r.rules));
    let significant = figure(|r| count(r.rules_significant));
    let warnings = move || {
        report.with(|r| {
            r.as_ref()
                .map(|r| {
                    r.warnings
                        .iter()
                        .map(|w| basket_warning_text(lang.get(), w))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let mined = move || {
        report.with(|r| {
            r.as_ref()
                .map(|r| {
                    fill(
                        lang.get(),
                        t::BASKETS_MINED,
                        &[
                            &grouped(r.itemsets as f64, 0, ','),
                            &support_text(r.min_support),
                            &grouped(f64::from(r.min_count), 0, ','),
                            &grouped(r.rules as f64, 0, ','),
                            &grouped(r.rules_pruned as f64, 0, ','),
                            &grouped(r.timings.baskets_ms, 0, ','),
                            &grouped(r.timings.mine_ms, 0, ','),
                            &grouped(r.timings.rules_ms, 0, ','),
                        ],
                    )
                })
                .unwrap_or_default()
        })
    };
    let without_item = move || {
        report.with(|r| {
            r.as_ref()
                .filter(|r| r.summary.lines_without_item > 0)
                .map(|r| {
                    fill(
                        lang.get(),
                        t::BASKETS_WITHOUT_ITEM,
                        &[&grouped(r.summary.lines_without_item as f64, 0, ',')],
                    )
                })
        })
    };
    let rules_signal = Signal::derive(move || report.get());
    let recs_signal = Signal::derive(move || state.baskets.recommendations.get());
    let regions_signal = Signal::derive(move || state.baskets.regions.get());
    view! {
        <For each=warnings key=|w| w.clone() let:w>
            <p class="warning" data-testid="baskets-warning">{w}</p>
        </For>
        <div class="kpis">
            <div class="figure" data-testid="kpi-baskets" data-value=move || baskets().0>
                <span class="figure-label">{tr(state, t::BASKETS_KPI_BASKETS)}</span>
                <span class="figure-value">{move || baskets().1}</span>
            </div>
            <div class="figure" data-testid="kpi-items" data-value=move || items().0>
                <span class="figure-label">{tr(state, t::BASKETS_KPI_ITEMS)}</span>
                <span class="figure-value">{move || items().1}</span>
            </div>
            <div class="figure" data-testid="kpi-mean-size" data-value=move || mean().0>
                <span class="figure-label">{tr(state, t::BASKETS_KPI_MEAN_SIZE)}</span>
                <span class="figure-value">{move || mean().1}</span>
            </div>
            <div class="figure" data-testid="kpi-median-size" data-value=move || median().0>
                <span class="figure-label">{tr(state, t::BASKETS_KPI_MEDIAN_SIZE)}</span>
                <span class="figure-value">{move || median().1}</span>
            </div>
            <div class="figure" data-testid="kpi-single-share" data-value=move || single().0>
                <span class="figure-label">{tr(state, t::BASKETS_KPI_SINGLE)}</span>
                <span class="figure-value">{move || single().1}</span>
            </div>
            <div class="figure" data-testid="kpi-rules" data-value=move || rules().0>
                <span class="figure-label">{tr(state, t::BASKETS_KPI_RULES)}</span>
                <span class="figure-value">{move || rules().1}</span>
            </div>
            <div class="figure" data-testid="kpi-significant" data-value=move || significant().0>
                <span class="figure-label">{tr(state, t::BASKETS_KPI_SIGNIFICANT)}</span>
                <span class="figure-value">{move || significant().1}</span>
            </div>
        </div>
        <p class="muted" data-testid="baskets-mined"
            data-elapsed=move || plain(state.baskets.elapsed_ms.get(), 1)
            data-mine-ms=move || report.with(|r| r.as_ref().map(|r| plain(r.timings.mine_ms, 1)).unwrap_or_default())>{mined}</p>
        {move || without_item().map(|text| view! { <p class="muted" data-testid="baskets-without-item">{text}</p> })}
        <div class="charts">
            <BasketChart kind=BasketChartKind::Scatter rules=rules_signal recommendations=recs_signal regions=regions_signal/>
            <BasketChart kind=BasketChartKind::LiftHeatmap rules=rules_signal recommendations=recs_signal regions=regions_signal/>
            <BasketChart kind=BasketChartKind::ItemFrequency rules=rules_signal recommendations=recs_signal regions=regions_signal/>
        </div>
        <TopItems/>
        <RuleTable/>
    }
}

#[component]
fn TopItems() -> impl IntoView {
    let state = expect_context::<AppState>();
    let report = state.baskets.report;
    let list = move |by_revenue: bool| {
        move || {
            report.with(|r| {
                r.as_ref()
                    .map(|r| {
                        if by_revenue {
                            r.summary.top_by_revenue.clone()
                        } else {
                            r.summary.top_by_baskets.clone()
                        }
                    })
                    .unwrap_or_default()
                    .into_iter()
                    .take(10)
                    .collect::<Vec<_>>()
            })
        }
    };
    let table = move |title: crate::i18n::Text, testid: &'static str, by_revenue: bool| {
        view! {
            <div class="table-wrap">
                <h3>{tr(state, title)}</h3>
                <table data-testid=testid>
                    <thead><tr>
                        <th>{tr(state, t::BASKETS_COL_ITEM)}</th>
                        <th class="num">{tr(state, t::BASKETS_COL_BASKETS)}</th>
                        <th class="num">{tr(state, t::BASKETS_COL_SUPPORT)}</th>
                        <th class="num">{tr(state, t::BASKETS_COL_REVENUE)}</th>
                    </tr></thead>
                    <tbody>
                        <For each=list(by_revenue) key=|i| i.name.clone() let:item>
                            <tr>
                                <td>{item.name.clone()}</td>
                                <td class="num">{grouped(item.baskets as f64, 0, ',')}</td>
                                <td class="num">{support_text(item.support)}</td>
                                <td class="num" data-value=plain(item.revenue, 2)>{grouped(item.revenue, 2, ',')}</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
        }
    };
    view! {
        <div class="side-by-side">
            {table(t::BASKETS_TOP_BY_BASKETS, "top-by-baskets", false)}
            {table(t::BASKETS_TOP_BY_REVENUE, "top-by-revenue", true)}
        </div>
    }
}

fn sort_key(s: RuleSort) -> &'static str {
    match s {
        RuleSort::Lift => "lift",
        RuleSort::Confidence => "confidence",
        RuleSort::Support => "support",
        RuleSort::Leverage => "leverage",
        RuleSort::Conviction => "conviction",
        RuleSort::PValue => "p",
    }
}

fn sort_of(key: &str) -> RuleSort {
    [
        RuleSort::Lift,
        RuleSort::Confidence,
        RuleSort::Support,
        RuleSort::Leverage,
        RuleSort::Conviction,
        RuleSort::PValue,
    ]
    .into_iter()
    .find(|s| sort_key(*s) == key)
    .unwrap_or_default()
}

#[component]
fn RuleTable() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let query = state.baskets.query;
    let page = state.baskets.page;
    let ask = move |f: &dyn Fn(&mut RuleQuery)| {
        let mut q = query.get_untracked();
        f(&mut q);
        state.set_rule_query(q);
    };
    let items = move || {
        state.baskets.report.with(|r| {
            let mut names: Vec<String> = r
                .as_ref()
                .map(|r| {
                    r.summary
                        .top_by_baskets
                        .iter()
                        .map(|i| i.name.clone())
                        .collect()
                })
                .unwrap_or_default();
            names.sort();
            names
        })
    };
    let showing = move || {
        page.with(|p| {
            if p.total == 0 {
                t::RULES_NONE.get(lang.get()).to_string()
            } else {
                let from = p.offset + 1;
                let to = p.offset + p.rows.len();
                fill(
                    lang.get(),
                    t::RULES_SHOWING,
                    &[
                        &grouped(from as f64, 0, ','),
                        &grouped(to as f64, 0, ','),
                        &grouped(p.total as f64, 0, ','),
                    ],
                )
            }
        })
    };
    let rows = move || {
        page.with(|p| {
            p.rows
                .iter()
                .cloned()
                .enumerate()
                .map(|(i, r)| (p.offset + i, r))
                .collect::<Vec<_>>()
        })
    };
    let has_prev = move || query.with(|q| q.offset > 0);
    let has_next = move || page.with(|p| (p.offset + p.rows.len()) < p.total as usize);
    view! {
        <h3>{tr(state, t::RULES_TITLE)}</h3>
        <div class="controls rule-filters">
            <label>{tr(state, t::RULES_FILTER_ITEM)}" "
                <select data-testid="rules-item" on:change=move |ev| { let v = event_target_value(&ev); ask(&|q| { q.item = v.clone(); q.offset = 0; }) }>
                    <option value="" selected=move || query.with(|q| q.item.is_empty())>{tr(state, t::RULES_FILTER_ANY)}</option>
                    <For each=items key=|n| n.clone() let:name>
                        <option value=name.clone() selected={ let n = name.clone(); move || query.with(|q| q.item == n) }>{name.clone()}</option>
                    </For>
                </select>
            </label>
            <label>{tr(state, t::RULES_SEARCH)}" "
                <input type="search" data-testid="rules-search" prop:value=move || query.with(|q| q.search.clone())
                    on:change=move |ev| { let v = event_target_value(&ev); ask(&|q| { q.search = v.clone(); q.offset = 0; }) }/>
            </label>
            <label>{tr(state, t::RULES_SORT)}" "
                <select data-testid="rules-sort" on:change=move |ev| { let s = sort_of(&event_target_value(&ev)); ask(&|q| { q.sort = s; q.descending = s != RuleSort::PValue; q.offset = 0; }) }>
                    <option value="lift">{tr(state, t::RULES_COL_LIFT)}</option>
                    <option value="confidence">{tr(state, t::RULES_COL_CONFIDENCE)}</option>
                    <option value="support">{tr(state, t::RULES_COL_SUPPORT)}</option>
                    <option value="leverage">{tr(state, t::RULES_COL_LEVERAGE)}</option>
                    <option value="conviction">{tr(state, t::RULES_COL_CONVICTION)}</option>
                    <option value="p">{tr(state, t::RULES_COL_P)}</option>
                </select>
            </label>
            <label class="check">
                <input type="checkbox" data-testid="rules-significant" prop:checked=move || query.with(|q| q.significant_only)
                    on:change=move |ev| { let on = event_target_checked(&ev); ask(&|q| { q.significant_only = on; q.offset = 0; }) }/>
                " "{tr(state, t::RULES_SIGNIFICANT_ONLY)}
            </label>
        </div>
        <p class="muted" data-testid="rules-showing" data-total=move || page.with(|p| p.total.to_string())>{showing}</p>
        <div class="table-wrap">
            <table data-testid="rules-table">
                <thead><tr>
                    <th>{tr(state, t::RULES_COL_IF)}</th>
                    <th>{tr(state, t::RULES_COL_THEN)}</th>
                    <th class="num">{tr(state, t::RULES_COL_COUNT)}</th>
                    <th class="num">{tr(state, t::RULES_COL_SUPPORT)}</th>
                    <th class="num">{tr(state, t::RULES_COL_CONFIDENCE)}</th>
                    <th class="num">{tr(state, t::RULES_COL_LIFT)}</th>
                    <th class="num">{tr(state, t::RULES_COL_LEVERAGE)}</th>
                    <th class="num">{tr(state, t::RULES_COL_CONVICTION)}</th>
                    <th class="num">{tr(state, t::RULES_COL_P)}</th>
                    <th>{tr(state, t::RULES_COL_TARGET)}</th>
                </tr></thead>
                <tbody>
                    <For each=rows key=|(i, r)| (*i, r.antecedent.clone(), r.consequent.clone()) let:row>
                        <RuleLine row=row.1/>
                    </For>
                </tbody>
            </table>
        </div>
        <div class="pager">
            <button class="button" data-testid="rules-prev" disabled=move || !has_prev() || state.busy.get()
                on:click=move |_| ask(&|q| q.offset = q.offset.saturating_sub(q.limit))>{tr(state, t::RULES_PREV)}</button>
            <button class="button" data-testid="rules-next" disabled=move || !has_next() || state.busy.get()
                on:click=move |_| ask(&|q| q.offset += q.limit)>{tr(state, t::RULES_NEXT)}</button>
        </div>
    }
}

/// A p-value as people read them: 3 decimals, or `1.2e-45` below 0.001.
fn p_text(p: f64) -> String {
    if p >= 0.001 {
        plain(p, 3)
    } else {
        format!("{p:.1e}")
    }
}

#[component]
fn RuleLine(row: RuleRow) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let m = row.metrics;
    let (left, right) = (row.antecedent.join(" & "), row.consequent.join(" & "));
    let (bought, not_bought) = (row.antecedent.clone(), row.consequent.clone());
    let label = {
        let (left, right) = (left.clone(), right.clone());
        move || fill(lang.get(), t::RULES_TARGET, &[&left, &right])
    };
    view! {
        <tr data-rule=format!("{left} => {right}")>
            <td>{left.clone()}</td>
            <td>{right.clone()}</td>
            <td class="num">{grouped(row.count as f64, 0, ',')}</td>
            <td class="num" data-value=plain(m.support, 6)>{support_text(m.support)}</td>
            <td class="num" data-value=plain(m.confidence, 6)>{percent(m.confidence)}</td>
            <td class="num" data-value=plain(m.lift, 6)>{plain(m.lift, 2)}</td>
            <td class="num">{plain(m.leverage, 4)}</td>
            <td class="num">{m.conviction.map_or_else(|| t::RULES_INFINITE.get(lang.get_untracked()).to_string(), |c| plain(c, 2))}</td>
            <td class="num" data-value=format!("{:e}", row.p_value_adjusted)>{p_text(row.p_value_adjusted)}</td>
            <td>
                <button class="link" data-testid="rule-target" title=tr(state, t::RULES_TARGET_TITLE)
                    on:click=move |_| state.show_cross_sell(bought.clone(), not_bought.clone())>{label}</button>
            </td>
        </tr>
    }
}

#[component]
fn RecommendSection() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let params = state.baskets.rec_params;
    let report = state.baskets.recommendations;
    let has_report = move || report.with(Option::is_some);
    let customers = move || {
        report.with(|r| {
            r.as_ref()
                .map(|r| {
                    fill(
                        lang.get(),
                        t::RECS_CUSTOMERS,
                        &[&grouped(r.customers as f64, 0, ','), &r.k.to_string()],
                    )
                })
                .unwrap_or_default()
        })
    };
    let rules_signal = Signal::derive(move || state.baskets.report.get());
    let recs_signal = Signal::derive(move || report.get());
    let regions_signal = Signal::derive(move || state.baskets.regions.get());
    view! {
        <section class="card recommendations" data-testid="recommendations">
            <div class="card-head">
                <h2>{tr(state, t::RECS_TITLE)}</h2>
                <Show when=has_report>
                    {export_buttons(state, "export-recommendations", t::EXPORT_RECS, t::EXPORT_RECS_XLSX, move |f| state.export_recommendations(f))}
                </Show>
            </div>
            <p class="muted">{tr(state, t::RECS_HELP)}</p>
            <div class="controls">
                <label>{tr(state, t::BASKETS_LEVEL)}" "
                    <select data-testid="recs-level" on:change=move |ev| { let l = level_of(&event_target_value(&ev)); params.update(|p| p.level = l) }>
                        <option value="product" selected=move || params.with(|p| p.level == ItemLevel::Product)>{tr(state, t::BASKETS_LEVEL_PRODUCT)}</option>
                        <option value="category" selected=move || params.with(|p| p.level == ItemLevel::Category)>{tr(state, t::BASKETS_LEVEL_CATEGORY)}</option>
                    </select>
                </label>
                <label>{tr(state, t::RECS_K)}" "
                    <input type="number" min="1" max=MAX_K.to_string() data-testid="recs-k"
                        on:change=move |ev| { let v = event_target_value(&ev).trim().parse().unwrap_or(0); params.update(|p| p.k = v) }
                        prop:value=move || params.with(|p| p.k.to_string())/>
                </label>
                <label class="check">
                    <input type="checkbox" data-testid="recs-repeat" prop:checked=move || params.with(|p| p.repeat_purchases)
                        on:change=move |ev| { let on = event_target_checked(&ev); params.update(|p| p.repeat_purchases = on) }/>
                    " "{tr(state, t::RECS_REPEAT)}
                </label>
                <label class="check">
                    <input type="checkbox" data-testid="recs-evaluate" prop:checked=move || params.with(|p| p.evaluate)
                        on:change=move |ev| { let on = event_target_checked(&ev); params.update(|p| p.evaluate = on) }/>
                    " "{tr(state, t::RECS_EVALUATE)}
                </label>
                <button class="button primary" data-testid="recs-run" disabled=move || state.busy.get() on:click=move |_| state.recommend()>
                    {tr(state, t::RECS_RUN)}
                </button>
            </div>
            <Show when=has_report>
                <p class="muted" data-testid="recs-customers"
                    data-customers=move || report.with(|r| r.as_ref().map(|r| r.customers.to_string()).unwrap_or_default())
                    data-elapsed=move || report.with(|r| r.as_ref().map(|r| plain(r.elapsed_ms, 1)).unwrap_or_default())>{customers}</p>
                {move || report.with(|r| r.as_ref().filter(|r| r.evaluation_unavailable).map(|_| view! {
                    <p class="warning" data-testid="recs-eval-unavailable">{tr(state, t::RECS_EVAL_UNAVAILABLE)}</p>
                }))}
                {move || report.with(|r| r.as_ref().filter(|r| r.heavy_customers > 0).map(|r| {
                    let text = fill(lang.get(), t::RECS_HEAVY, &[&grouped(r.heavy_customers as f64, 0, ',')]);
                    view! { <p class="muted" data-testid="recs-heavy">{text}</p> }
                }))}
                <Evaluation/>
                <div class="charts">
                    <BasketChart kind=BasketChartKind::Evaluation rules=rules_signal recommendations=recs_signal regions=regions_signal/>
                </div>
                <BoughtTogether/>
            </Show>
        </section>
    }
}

#[component]
fn Evaluation() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let evaluation = move || {
        state
            .baskets
            .recommendations
            .with(|r| r.as_ref().and_then(|r| r.evaluation.clone()))
    };
    move || {
        evaluation().map(|e| {
            let k = e.k.to_string();
            let verdict = if e.beats_baseline() { t::RECS_BEATS } else { t::RECS_LOSES };
            let counts = fill(
                lang.get(),
                t::RECS_EVAL_COUNTS,
                &[&grouped(e.held_out as f64, 0, ','), &grouped(e.evaluated as f64, 0, ','), &grouped(e.skipped_nothing_new as f64, 0, ',')],
            );
            let line = |name: crate::i18n::Text, testid: &'static str, s: crate::engine::baskets::MethodScores| {
                view! {
                    <tr data-testid=testid data-hit-rate=plain(s.hit_rate, 6)>
                        <td>{tr(state, name)}</td>
                        <td class="num">{percent(s.hit_rate)}</td>
                        <td class="num">{percent(s.precision)}</td>
                        <td class="num">{percent(s.recall)}</td>
                        <td class="num">{plain(s.ndcg, 4)}</td>
                        <td class="num">{percent(s.coverage)}</td>
                    </tr>
                }
            };
            view! {
                <h3>{tr(state, t::RECS_EVAL_TITLE)}</h3>
                <p class="muted" data-testid="recs-eval-counts">{counts}</p>
                <div class="table-wrap">
                    <table data-testid="recs-evaluation">
                        <thead><tr>
                            <th>{tr(state, t::RECS_COL_METHOD)}</th>
                            <th class="num">{fill(lang.get(), t::RECS_COL_HIT, &[&k])}</th>
                            <th class="num">{fill(lang.get(), t::RECS_COL_PRECISION, &[&k])}</th>
                            <th class="num">{fill(lang.get(), t::RECS_COL_RECALL, &[&k])}</th>
                            <th class="num">{fill(lang.get(), t::RECS_COL_NDCG, &[&k])}</th>
                            <th class="num">{tr(state, t::RECS_COL_COVERAGE)}</th>
                        </tr></thead>
                        <tbody>
                            {line(t::RECS_METHOD_MODEL, "recs-model", e.model)}
                            {line(t::RECS_METHOD_POPULAR, "recs-popular", e.popular)}
                        </tbody>
                    </table>
                </div>
                <p class=if e.beats_baseline() { "muted" } else { "warning" } data-testid="recs-verdict" data-beats=e.beats_baseline().to_string()>{tr(state, verdict)}</p>
            }
        })
    }
}

#[component]
fn BoughtTogether() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let lists = move || {
        state.baskets.recommendations.with(|r| {
            r.as_ref()
                .map(|r| r.bought_together.clone())
                .unwrap_or_default()
        })
    };
    view! {
        <h3>{tr(state, t::RECS_TOGETHER_TITLE)}</h3>
        <ul class="bought-together" data-testid="bought-together">
            <For each=lists key=|b| b.item.clone() let:b>
                <li>
                    <strong>{b.item.clone()}</strong>" → "
                    {move || b.partners.iter().map(|p| fill(lang.get(), t::RECS_TOGETHER_ROW, &[&p.item, &grouped(p.together as f64, 0, ',')])).collect::<Vec<_>>().join(" · ")}
                </li>
            </For>
        </ul>
    }
}

#[component]
fn RegionsSection() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let params = state.baskets.region_params;
    let report = state.baskets.regions;
    let has_report = move || report.with(Option::is_some);
    let summary = move || {
        report.with(|r| {
            r.as_ref()
                .map(|r| {
                    fill(
                        lang.get(),
                        t::REGIONS_SUMMARY,
                        &[
                            &r.groups.len().to_string(),
                            &grouped(r.baskets as f64, 0, ','),
                            &grouped(r.significant_cells as f64, 0, ','),
                            &grouped(r.cells as f64, 0, ','),
                        ],
                    )
                })
                .unwrap_or_default()
        })
    };
    let without = move || {
        report.with(|r| {
            r.as_ref().filter(|r| r.baskets_without_group > 0).map(|r| {
                fill(
                    lang.get(),
                    t::REGIONS_WITHOUT,
                    &[&grouped(r.baskets_without_group as f64, 0, ',')],
                )
            })
        })
    };
    let groups = move || report.with(|r| r.as_ref().map(|r| r.groups.clone()).unwrap_or_default());
    let rules_signal = Signal::derive(move || state.baskets.report.get());
    let recs_signal = Signal::derive(move || state.baskets.recommendations.get());
    let regions_signal = Signal::derive(move || report.get());
    view! {
        <section class="card regions" data-testid="regions">
            <div class="card-head">
                <h2>{tr(state, t::REGIONS_TITLE)}</h2>
                <Show when=has_report>
                    {export_buttons(state, "export-regions", t::EXPORT_REGIONS, t::EXPORT_REGIONS_XLSX, move |f| state.export_regions(f))}
                </Show>
            </div>
            <p class="muted">{tr(state, t::REGIONS_HELP)}</p>
            <div class="controls">
                <label>{tr(state, t::REGIONS_BY)}" "
                    <select data-testid="regions-by" on:change=move |ev| { let by = if event_target_value(&ev) == "channel" { GroupBy::Channel } else { GroupBy::Region }; params.update(|p| p.by = by) }>
                        <option value="region" selected=move || params.with(|p| p.by == GroupBy::Region)>{tr(state, t::REGIONS_BY_REGION)}</option>
                        <option value="channel" selected=move || params.with(|p| p.by == GroupBy::Channel)>{tr(state, t::REGIONS_BY_CHANNEL)}</option>
                    </select>
                </label>
                <label>{tr(state, t::BASKETS_LEVEL)}" "
                    <select data-testid="regions-level" on:change=move |ev| { let l = level_of(&event_target_value(&ev)); params.update(|p| p.level = l) }>
                        <option value="product" selected=move || params.with(|p| p.level == ItemLevel::Product)>{tr(state, t::BASKETS_LEVEL_PRODUCT)}</option>
                        <option value="category" selected=move || params.with(|p| p.level == ItemLevel::Category)>{tr(state, t::BASKETS_LEVEL_CATEGORY)}</option>
                    </select>
                </label>
                <button class="button primary" data-testid="regions-run" disabled=move || state.busy.get() on:click=move |_| state.compare_regions()>
                    {tr(state, t::REGIONS_RUN)}
                </button>
            </div>
            <Show when=has_report>
                <p class="muted" data-testid="regions-summary">{summary}</p>
                {move || without().map(|text| view! { <p class="muted">{text}</p> })}
                <div class="table-wrap">
                    <table data-testid="regions-table">
                        <thead><tr>
                            <th>{move || report.with(|r| if r.as_ref().is_some_and(|r| r.by == GroupBy::Channel) { t::REGIONS_BY_CHANNEL } else { t::REGIONS_BY_REGION }).get(lang.get())}</th>
                            <th class="num">{tr(state, t::BASKETS_COL_BASKETS)}</th>
                            <th>{tr(state, t::REGIONS_OVER)}</th>
                        </tr></thead>
                        <tbody>
                            <For each=groups key=|g| g.name.clone() let:g>
                                <tr data-group=g.name.clone()>
                                    <td>{g.name.clone()}</td>
                                    <td class="num">{grouped(g.baskets as f64, 0, ',')}</td>
                                    <td>{move || if g.over_indexed.is_empty() {
                                        t::REGIONS_NONE.get(lang.get()).to_string()
                                    } else {
                                        g.over_indexed.iter().map(|p| fill(lang.get(), t::REGIONS_ITEM_INDEX, &[&p.item, &plain(p.index, 0)])).collect::<Vec<_>>().join(", ")
                                    }}</td>
                                </tr>
                            </For>
                        </tbody>
                    </table>
                </div>
                <div class="charts">
                    <BasketChart kind=BasketChartKind::Regions rules=rules_signal recommendations=recs_signal regions=regions_signal/>
                </div>
            </Show>
        </section>
    }
}
