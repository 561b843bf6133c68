//! The customer table: sorting, filtering and paging happen in the worker; only the visible page
//! crosses to the UI.

use std::time::Duration;

use leptos::prelude::*;

use super::tags::{cluster_names, tag_badges, TagFilters};
use super::{tr, AppState};
use crate::engine::calendar::iso_day;
use crate::engine::clv::ChurnRisk;
use crate::engine::customers::{CustomerQuery, SortKey};
use crate::engine::rfm::Segment;
use crate::format::{grouped, percent, plain};
use crate::i18n::{churn_name, fill, segment_name, t, Text};

const PAGE_SIZE: usize = 50;
const SEARCH_DEBOUNCE: Duration = Duration::from_millis(250);

/// Table, filters, pager and export.
#[component]
pub fn Customers() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let change = move |f: &dyn Fn(&mut CustomerQuery)| {
        let mut q = state.query.get_untracked();
        f(&mut q);
        q.limit = PAGE_SIZE;
        state.set_query(q);
    };
    let search_timer = StoredValue::new_local(None::<leptos::prelude::TimeoutHandle>);
    let on_search = move |ev: web_sys::Event| {
        let text = event_target_value(&ev);
        if let Some(h) = search_timer.get_value() {
            h.clear();
        }
        let handle = set_timeout_with_handle(
            move || {
                let mut q = state.query.get_untracked();
                q.search = text.clone();
                q.offset = 0;
                q.limit = PAGE_SIZE;
                state.set_query(q);
            },
            SEARCH_DEBOUNCE,
        )
        .ok();
        search_timer.set_value(handle);
    };
    let on_segment = move |ev: web_sys::Event| {
        let seg = Segment::from_name(&event_target_value(&ev));
        change(&|q| {
            q.segments = seg.into_iter().collect();
            q.offset = 0;
        });
    };
    let on_churn = move |ev: web_sys::Event| {
        let value = event_target_value(&ev);
        let risk = ChurnRisk::ALL.into_iter().find(|r| r.name() == value);
        change(&|q| {
            q.churn_risks = risk.into_iter().collect();
            q.offset = 0;
        });
    };
    // "High value, probably churning": the high-risk band, highest CLV first.
    let at_risk_value = move |_| {
        change(&|q| {
            q.churn_risks = vec![ChurnRisk::High];
            q.sort = SortKey::Clv;
            q.descending = true;
            q.offset = 0;
        })
    };
    let predicted = move || state.clv_report.with(Option::is_some);
    let header = move |label: Text, key: SortKey, numeric: bool| {
        let sort = move |_| {
            change(&|q| {
                if q.sort == key {
                    q.descending = !q.descending;
                } else {
                    q.sort = key;
                    q.descending = numeric;
                }
                q.offset = 0;
            })
        };
        let arrow = move || {
            state.query.with(|q| {
                if q.sort == key {
                    if q.descending {
                        " ▼"
                    } else {
                        " ▲"
                    }
                } else {
                    ""
                }
            })
        };
        view! {
            <th class:num=numeric data-sort=format!("{key:?}")>
                <button class="link sort" on:click=sort>{tr(state, label)}{arrow}</button>
            </th>
        }
    };
    let page = state.page;
    let range = move || {
        let p = page.get();
        let first = if p.matching == 0 { 0 } else { p.offset + 1 };
        let last = p.offset + p.rows.len();
        fill(
            lang.get(),
            t::PAGE_OF,
            &[
                &grouped(first as f64, 0, ','),
                &grouped(last as f64, 0, ','),
                &grouped(p.matching as f64, 0, ','),
            ],
        )
    };
    let can_prev = move || page.with(|p| p.offset > 0);
    let can_next = move || page.with(|p| (p.offset + p.rows.len()) < p.matching as usize);
    view! {
        <section class="card customers" data-testid="customers">
            <div class="card-head">
                <h2>{tr(state, t::CUSTOMERS_TITLE)}</h2>
                <button class="button primary" data-testid="export-button" disabled=move || state.busy.get() on:click=move |_| state.export()>
                    {tr(state, t::EXPORT)}
                </button>
            </div>
            <div class="controls">
                <input type="search" data-testid="customer-search" placeholder=tr(state, t::SEARCH_ID) on:input=on_search
                    prop:value=move || state.query.with(|q| q.search.clone())/>
                <label>
                    {tr(state, t::FILTER_SEGMENT)}" "
                    <select data-testid="segment-filter" on:change=on_segment>
                        <option value="" selected=move || state.query.with(|q| q.segments.is_empty())>{tr(state, t::ALL_SEGMENTS)}</option>
                        {Segment::ALL.into_iter().map(|s| view! {
                            <option value=s.name() selected=move || state.query.with(|q| q.segments == [s])>{move || segment_name(lang.get(), s)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <Show when=predicted>
                    <label>
                        {tr(state, t::FILTER_CHURN)}" "
                        <select data-testid="churn-filter" on:change=on_churn>
                            <option value="" selected=move || state.query.with(|q| q.churn_risks.is_empty())>{tr(state, t::ALL_SEGMENTS)}</option>
                            {ChurnRisk::ALL.into_iter().map(|r| view! {
                                <option value=r.name() selected=move || state.query.with(|q| q.churn_risks == [r])>{move || churn_name(lang.get(), r)}</option>
                            }).collect_view()}
                        </select>
                    </label>
                    <button class="button" data-testid="preset-at-risk-value" on:click=at_risk_value>{tr(state, t::PRESET_AT_RISK_VALUE)}</button>
                    <Show when=move || state.clv_report.with(|r| r.as_ref().is_some_and(crate::engine::clv::ClvReport::dropout_not_identified))>
                        <span class="warning" data-testid="dropout-caveat">{tr(state, t::DROPOUT_CAVEAT)}</span>
                    </Show>
                </Show>
                <span class="muted" data-testid="customer-count" data-value=move || page.with(|p| p.matching.to_string())>{range}</span>
            </div>
            <TagFilters change=Callback::new(move |mut q: CustomerQuery| {
                q.limit = PAGE_SIZE;
                state.set_query(q);
            })/>
            <div class="table-wrap">
                <table data-testid="customer-table">
                    <thead><tr>
                        {header(t::COL_CUSTOMER_ID, SortKey::CustomerId, false)}
                        {header(t::COL_RECENCY, SortKey::RecencyDays, true)}
                        {header(t::COL_FREQUENCY, SortKey::Frequency, true)}
                        {header(t::COL_MONETARY, SortKey::Monetary, true)}
                        {header(t::COL_AOV, SortKey::AverageOrderValue, true)}
                        {header(t::COL_RFM, SortKey::RfmScore, true)}
                        {header(t::COL_SEGMENT, SortKey::Segment, false)}
                        <th>{tr(state, t::COL_LAST_ORDER)}</th>
                        <Show when=predicted>
                            {header(t::COL_P_ALIVE, SortKey::ProbabilityAlive, true)}
                            {header(t::COL_EXPECTED, SortKey::ExpectedPurchases, true)}
                            {header(t::COL_CLV, SortKey::Clv, true)}
                            <th>{tr(state, t::COL_CHURN)}</th>
                            <th>{tr(state, t::COL_NEXT_PURCHASE)}</th>
                        </Show>
                        <th>{tr(state, t::TAG_COLUMN)}</th>
                    </tr></thead>
                    <tbody>
                        <For each=move || page.get().rows key=|r| (r.customer_id.clone(), r.segment, r.recency_days, r.monetary.to_bits(), r.r_score, r.f_score, r.m_score, r.prediction.as_ref().map(|p| (p.probability_alive.to_bits(), p.clv.map(f64::to_bits))), r.tags.as_ref().map(|t| (t.cluster, t.value_tier as u8, t.purchase_cycle as u8))) let:row>
                            <tr data-customer=row.customer_id.clone()>
                                <td>{
                                    let id = row.customer_id.clone();
                                    let title = {
                                        let id = id.clone();
                                        move || fill(lang.get(), t::PROFILE_OPEN, &[&id])
                                    };
                                    let open = {
                                        let id = id.clone();
                                        move |_| state.show_profile(id.clone())
                                    };
                                    view! { <button class="link" data-testid="open-profile" title=title on:click=open>{id}</button> }
                                }</td>
                                <td class="num">{row.recency_days.to_string()}</td>
                                <td class="num">{row.frequency.to_string()}</td>
                                <td class="num" data-value=plain(row.monetary, 2)>{grouped(row.monetary, 2, ',')}</td>
                                <td class="num">{grouped(row.average_order_value, 2, ',')}</td>
                                <td class="num">{format!("{} {} {}", row.r_score, row.f_score, row.m_score)}</td>
                                <td>{move || segment_name(lang.get(), row.segment)}</td>
                                <td>{iso_day(row.last_day)}</td>
                                {row.prediction.clone().map(|p| view! {
                                    <td class="num" data-testid="cell-p-alive" data-value=plain(p.probability_alive, 4)>{percent(p.probability_alive)}</td>
                                    <td class="num">{plain(p.expected_purchases, 2)}</td>
                                    <td class="num" data-testid="cell-clv" data-value=p.clv.map(|v| plain(v, 2)).unwrap_or_default()>{p.clv.map_or("—".to_string(), |v| grouped(v, 2, ','))}</td>
                                    <td data-testid="cell-churn" data-value=p.churn_risk.name() class=format!("risk risk-{}", p.churn_risk.name())>{move || churn_name(lang.get(), p.churn_risk)}</td>
                                    <td>{p.next_purchase_day.map_or("—".to_string(), iso_day)}</td>
                                })}
                                <td class="tags" data-testid="cell-tags">{
                                    let tags = row.tags.clone();
                                    move || {
                                        let lang = lang.get();
                                        let clusters = cluster_names(state, lang);
                                        tags.as_ref().map(|tg| tag_badges(lang, tg, &clusters)).unwrap_or_default()
                                            .into_iter().map(|b| view! { <span class="tag">{b}</span> }).collect_view()
                                    }
                                }</td>
                            </tr>
                        </For>
                    </tbody>
                </table>
            </div>
            <Show when=move || page.with(|p| p.matching == 0)>
                <p class="muted">{tr(state, t::NO_MATCH)}</p>
            </Show>
            <div class="pager">
                <button class="button" data-testid="page-prev" disabled=move || !can_prev() on:click=move |_| change(&|q| q.offset = q.offset.saturating_sub(PAGE_SIZE))>{tr(state, t::PREV)}</button>
                <button class="button" data-testid="page-next" disabled=move || !can_next() on:click=move |_| change(&|q| q.offset += PAGE_SIZE)>{tr(state, t::NEXT)}</button>
            </div>
        </section>
    }
}
