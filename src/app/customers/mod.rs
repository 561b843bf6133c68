//! The customer table: sorting, filtering and paging happen in the worker; only the visible page
//! crosses to the UI.

use std::time::Duration;

use leptos::prelude::*;

mod profile;
pub mod state;
pub mod tags;

use self::tags::{cluster_names, tag_badges, TagFilters};
use super::{tr, AppState};
use crate::engine::calendar::iso_day;
use crate::engine::clv::ChurnRisk;
use crate::engine::customers::{
    predictions, BandFilter, Cell, Column, ColumnKind, CustomerQuery, SortKey,
};
use crate::engine::rfm::Segment;
use crate::engine::table_out::ExportFormat;
use crate::format::{grouped, percent, plain};
use crate::i18n::{band_name, column_title, fill, segment_name, t, Lang, Text};

const PAGE_SIZE: usize = 50;
const SEARCH_DEBOUNCE: Duration = Duration::from_millis(250);

/// The customers page: the table, then the customer page (客户画像).
#[component]
pub fn CustomersPage() -> impl IntoView {
    view! {
        <Customers/>
        <profile::Profile/>
    }
}

/// Table, filters, pager and export.
#[component]
pub fn Customers() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let change = move |f: &dyn Fn(&mut CustomerQuery)| {
        let mut q = state.customers.query.get_untracked();
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
                let mut q = state.customers.query.get_untracked();
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
    // "High value, probably churning": the high-risk band, highest CLV first.
    let at_risk_value = move |_| {
        change(&|q| {
            q.bands = vec![BandFilter {
                column: predictions::CHURN_RISK.to_string(),
                values: vec![ChurnRisk::High.name().to_string()],
            }];
            q.sort = SortKey::Column(predictions::CLV.to_string());
            q.descending = true;
            q.offset = 0;
        })
    };
    let predicted = move || state.predictions.report.with(Option::is_some);
    let header = move |label: Signal<String>, key: SortKey, numeric: bool| {
        let sort = {
            let key = key.clone();
            move |_| {
                change(&|q| {
                    if q.sort == key {
                        q.descending = !q.descending;
                    } else {
                        q.sort = key.clone();
                        q.descending = numeric;
                    }
                    q.offset = 0;
                })
            }
        };
        let data_sort = match &key {
            SortKey::Column(k) => k.clone(),
            other => format!("{other:?}"),
        };
        let arrow = move || {
            state.customers.query.with(|q| {
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
            <th class:num=numeric data-sort=data_sort>
                <button class="link sort" on:click=sort>{label}{arrow}</button>
            </th>
        }
    };
    let title = move |text: Text| Signal::derive(move || text.get(lang.get()).to_string());
    let page = state.customers.page;
    // The columns the analyses registered (predictions today), as the last page brought them.
    let columns = Memo::new(move |_| page.with(|p| p.columns.clone()));
    let on_band = move |column: String, value: String| {
        change(&|q| {
            q.bands.retain(|f| f.column != column);
            if !value.is_empty() {
                q.bands.push(BandFilter {
                    column: column.clone(),
                    values: vec![value.clone()],
                });
            }
            q.offset = 0;
        });
    };
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
                <div class="button-row">
                    <button class="button primary" data-testid="export-button" disabled=move || state.busy.get() on:click=move |_| state.export(ExportFormat::Csv)>
                        {tr(state, t::EXPORT)}
                    </button>
                    <button class="button" data-testid="export-xlsx" disabled=move || state.busy.get() on:click=move |_| state.export(ExportFormat::Xlsx)>
                        {tr(state, t::EXPORT_XLSX)}
                    </button>
                </div>
            </div>
            <div class="controls">
                <input type="search" data-testid="customer-search" placeholder=tr(state, t::SEARCH_ID) on:input=on_search
                    prop:value=move || state.customers.query.with(|q| q.search.clone())/>
                <label>
                    {tr(state, t::FILTER_SEGMENT)}" "
                    <select data-testid="segment-filter" on:change=on_segment>
                        <option value="" selected=move || state.customers.query.with(|q| q.segments.is_empty())>{tr(state, t::ALL_SEGMENTS)}</option>
                        {Segment::ALL.into_iter().map(|s| view! {
                            <option value=s.name() selected=move || state.customers.query.with(|q| q.segments == [s])>{move || segment_name(lang.get(), s)}</option>
                        }).collect_view()}
                    </select>
                </label>
                {move || columns.get().into_iter().filter_map(|c| {
                    let ColumnKind::Band { codes } = c.kind.clone() else { return None };
                    let key = c.key.clone();
                    let shown = move |code: &str| {
                        let key = key.clone();
                        let code = code.to_string();
                        move || state.customers.query.with(|q| q.bands.iter().any(|f| f.column == key && f.values == [code.clone()]))
                    };
                    let none = {
                        let key = c.key.clone();
                        move || state.customers.query.with(|q| !q.bands.iter().any(|f| f.column == key))
                    };
                    let key = c.key.clone();
                    let on_change = move |ev: web_sys::Event| on_band(key.clone(), event_target_value(&ev));
                    let label = c.clone();
                    Some(view! {
                        <label>
                            {move || column_title(lang.get(), &label)}" "
                            <select data-testid=format!("filter-{}", c.key) on:change=on_change>
                                <option value="" selected=none>{tr(state, t::ALL_SEGMENTS)}</option>
                                {codes.into_iter().map(|code| {
                                    let name = { let c = c.clone(); let code = code.clone(); move || band_name(lang.get(), &c, &code) };
                                    view! { <option value=code.clone() selected=shown(&code)>{name}</option> }
                                }).collect_view()}
                            </select>
                        </label>
                    })
                }).collect_view()}
                <Show when=predicted>
                    <button class="button" data-testid="preset-at-risk-value" on:click=at_risk_value>{tr(state, t::PRESET_AT_RISK_VALUE)}</button>
                    <Show when=move || state.predictions.report.with(|r| r.as_ref().is_some_and(crate::engine::clv::ClvReport::dropout_not_identified))>
                        <span class="warning" data-testid="dropout-caveat">{tr(state, t::DROPOUT_CAVEAT)}</span>
                    </Show>
                </Show>
                {move || state.customers.query.with(|q| q.bought.clone()).map(|b| {
                    let text = fill(lang.get(), t::RULES_TARGET, &[&b.bought.join(" & "), &b.not_bought.join(" & ")]);
                    let clear = move |_| {
                        let mut q = state.customers.query.get_untracked();
                        q.bought = None;
                        q.offset = 0;
                        state.set_query(q);
                    };
                    view! {
                        <span class="chip" data-testid="bought-filter">{text}" "
                            <button class="link" data-testid="bought-filter-clear" title=tr(state, t::BOUGHT_FILTER_CLEAR) on:click=clear>"✕"</button>
                        </span>
                    }
                })}
                <span class="muted" data-testid="customer-count" data-value=move || page.with(|p| p.matching.to_string())>{range}</span>
            </div>
            <TagFilters change=Callback::new(move |mut q: CustomerQuery| {
                q.limit = PAGE_SIZE;
                state.set_query(q);
            })/>
            <div class="table-wrap">
                <table data-testid="customer-table">
                    <thead><tr>
                        {header(title(t::COL_CUSTOMER_ID), SortKey::CustomerId, false)}
                        {header(title(t::COL_RECENCY), SortKey::RecencyDays, true)}
                        {header(title(t::COL_FREQUENCY), SortKey::Frequency, true)}
                        {header(title(t::COL_MONETARY), SortKey::Monetary, true)}
                        {header(title(t::COL_AOV), SortKey::AverageOrderValue, true)}
                        {header(title(t::COL_RFM), SortKey::RfmScore, true)}
                        {header(title(t::COL_SEGMENT), SortKey::Segment, false)}
                        <th>{tr(state, t::COL_LAST_ORDER)}</th>
                        {move || columns.get().into_iter().map(|c| {
                            let numeric = !matches!(c.kind, ColumnKind::Band { .. } | ColumnKind::Day);
                            let label = { let c = c.clone(); Signal::derive(move || column_title(lang.get(), &c)) };
                            if c.sortable {
                                header(label, SortKey::Column(c.key.clone()), numeric).into_any()
                            } else {
                                view! { <th>{label}</th> }.into_any()
                            }
                        }).collect_view()}
                        <th>{tr(state, t::TAG_COLUMN)}</th>
                    </tr></thead>
                    <tbody>
                        <For each=move || page.get().rows key=|r| (r.customer_id.clone(), r.segment, r.recency_days, r.monetary.to_bits(), r.r_score, r.f_score, r.m_score, r.cells.iter().map(cell_bits).collect::<Vec<u64>>(), r.tags.as_ref().map(|t| (t.cluster, t.value_tier as u8, t.purchase_cycle as u8))) let:row>
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
                                {
                                    let shown = columns.get_untracked();
                                    shown.into_iter().zip(row.cells.clone()).map(|(column, cell)| {
                                        let value = cell_value(&column, cell);
                                        let class = cell_class(&column, cell);
                                        let testid = format!("cell-{}", column.key);
                                        view! { <td class=class data-testid=testid data-value=value>{move || cell_text(lang.get(), &column, cell)}</td> }
                                    }).collect_view()
                                }
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

/// A cell's identity for the keyed row list (its bits; `u64::MAX` for no value).
fn cell_bits(cell: &Option<Cell>) -> u64 {
    match cell {
        Some(Cell::Number(v)) => v.to_bits(),
        Some(Cell::Day(d)) => u64::from(d.unsigned_abs()) ^ (u64::from(*d < 0) << 63),
        Some(Cell::Band(b)) => u64::from(*b),
        None => u64::MAX,
    }
}

/// A registered column's cell as shown: percent, number, money, date or band name; "—" when
/// the customer has no value.
pub(super) fn cell_text(lang: Lang, column: &Column, cell: Option<Cell>) -> String {
    match (cell, &column.kind) {
        (None, _) => "—".to_string(),
        (Some(Cell::Number(v)), ColumnKind::Probability) => percent(v),
        (Some(Cell::Number(v)), ColumnKind::Number { decimals }) => {
            plain(v, usize::from(*decimals))
        }
        (Some(Cell::Number(v)), _) => grouped(v, 2, ','),
        (Some(Cell::Day(d)), _) => iso_day(d),
        (Some(Cell::Band(b)), ColumnKind::Band { codes }) => {
            let code = codes.get(usize::from(b)).map_or("", String::as_str);
            band_name(lang, column, code)
        }
        (Some(Cell::Band(b)), _) => b.to_string(),
    }
}

/// A cell's machine value (`data-value`): the export's text, as tests read it.
fn cell_value(column: &Column, cell: Option<Cell>) -> String {
    cell.map(|c| c.export_text(&column.kind).into_owned())
        .unwrap_or_default()
}

/// The cell's class: numbers align right; a band carries its code (`band churn_risk-high`).
fn cell_class(column: &Column, cell: Option<Cell>) -> String {
    match (&column.kind, cell) {
        (ColumnKind::Band { codes }, Some(Cell::Band(b))) => format!(
            "band {}-{}",
            column.key,
            codes.get(usize::from(b)).map_or("", String::as_str)
        ),
        (ColumnKind::Band { .. } | ColumnKind::Day, _) => String::new(),
        _ => "num".to_string(),
    }
}
