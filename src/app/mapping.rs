//! The column-mapping screen: the first rows of the file with a role picker over each column, and
//! the detections (encoding, delimiter, header, date order) the user can correct.

use leptos::prelude::*;

use super::{tr, AppState, Phase};
use crate::engine::clv::TimeUnit;
use crate::engine::ingest::{ColumnRole, DateOrder, PreviewParams, TextEncoding};
use crate::i18n::{
    date_order_name, delimiter_name, fill, guess_note_text, role_name, t, unit_name,
};

const DELIMITERS: [u8; 4] = [b',', b';', b'\t', b'|'];

/// Columns shown in the preview table of a wide file: the first ones, plus every mapped column and
/// every column picked from the search; the rest are reached through the search. Rendering a
/// role picker and 20 cells for each of 10,000 columns blocked the main thread for seconds.
const SHOWN_COLUMNS: usize = 30;
/// Search results listed at once.
const SEARCH_RESULTS: usize = 20;

/// Mapping editor and "Analyse".
#[component]
pub fn Mapping() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let working = move || state.phase.get() == Phase::Working;

    let summary_mode = move || state.summary.with(Option::is_some);
    // A summary without first_order dates needs the as-of date before it can be read.
    let as_of_missing = move || {
        state.summary.with(|l| {
            l.as_ref()
                .is_some_and(|l| l.columns.first_order.is_none() && l.as_of_day.is_none())
        })
    };
    let missing_required = move || {
        if summary_mode() {
            return Vec::new();
        }
        state.ingest.with(|p| {
            let Some(p) = p else { return Vec::new() };
            ColumnRole::ALL
                .into_iter()
                .filter(|r| r.is_required() && p.mapping.get(*r).is_none())
                .collect::<Vec<_>>()
        })
    };

    let set_encoding = move |ev: web_sys::Event| {
        let params = PreviewParams {
            encoding: TextEncoding::from_name(&event_target_value(&ev)),
            ..state.preview_params.get_untracked()
        };
        state.repreview(params);
    };
    let set_delimiter = move |ev: web_sys::Event| {
        let params = PreviewParams {
            delimiter: event_target_value(&ev).parse::<u8>().ok(),
            ..state.preview_params.get_untracked()
        };
        state.repreview(params);
    };
    let set_sheet = move |ev: web_sys::Event| {
        let params = PreviewParams {
            sheet: Some(event_target_value(&ev)),
            ..state.preview_params.get_untracked()
        };
        state.repreview(params);
    };
    let is_workbook = move || state.workbook.with(Option::is_some);
    let encoding_doubtful = move || {
        state
            .preview
            .with(|p| p.as_ref().is_some_and(|p| p.encoding_doubtful))
    };
    let sheets = move || {
        state
            .workbook
            .with(|w| w.as_ref().map(|w| w.sheets.clone()).unwrap_or_default())
    };
    let set_header = move |ev: web_sys::Event| {
        let params = PreviewParams {
            has_header: Some(event_target_checked(&ev)),
            ..state.preview_params.get_untracked()
        };
        state.repreview(params);
    };
    let set_date_order = move |ev: web_sys::Event| {
        let order = match event_target_value(&ev).as_str() {
            "dmy" => DateOrder::Dmy,
            "mdy" => DateOrder::Mdy,
            _ => DateOrder::Ymd,
        };
        state.ingest.update(|p| {
            if let Some(p) = p {
                p.date_order = order;
            }
        });
    };

    // Columns picked from the search (a wide file's columns beyond the first ones).
    let picked = RwSignal::new(Vec::<usize>::new());
    let search = RwSignal::new(String::new());
    let width = move || {
        state
            .preview
            .with(|p| p.as_ref().map_or(0, |p| p.columns.len()))
    };
    let is_wide = move || width() > SHOWN_COLUMNS;
    // The columns in the table, in file order.
    let shown = Memo::new(move |_| {
        let n = width();
        let mut shown: Vec<usize> = (0..n.min(SHOWN_COLUMNS)).collect();
        state.ingest.with(|p| {
            if let Some(p) = p {
                shown.extend(ColumnRole::ALL.iter().filter_map(|r| p.mapping.get(*r)));
            }
        });
        shown.extend(picked.get().into_iter().filter(|c| *c < n));
        shown.sort_unstable();
        shown.dedup();
        shown
    });
    let columns = move || {
        let shown = shown.get();
        state.preview.with(|p| {
            p.as_ref()
                .map(|p| {
                    shown
                        .iter()
                        .map(|&c| (c, p.columns.get(c).cloned().unwrap_or_default()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let rows = move || {
        let shown = shown.get();
        state.preview.with(|p| {
            p.as_ref()
                .map(|p| {
                    p.rows
                        .iter()
                        .map(|r| {
                            shown
                                .iter()
                                .map(|&c| r.get(c).cloned().unwrap_or_default())
                                .collect::<Vec<_>>()
                        })
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    // Columns whose name contains the search text (case-insensitive), not already shown.
    let found = move || {
        let needle = search.get().trim().to_lowercase();
        if needle.is_empty() {
            return Vec::new();
        }
        let shown = shown.get();
        state.preview.with(|p| {
            p.as_ref()
                .map(|p| {
                    p.columns
                        .iter()
                        .enumerate()
                        .filter(|(c, name)| {
                            !shown.contains(c) && name.to_lowercase().contains(&needle)
                        })
                        .take(SEARCH_RESULTS)
                        .map(|(c, name)| (c, name.clone()))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let notes = move || {
        state.preview.with(|p| {
            p.as_ref()
                .map(|p| {
                    p.notes
                        .iter()
                        .map(|n| guess_note_text(lang.get(), n, &p.columns))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let ambiguous = move || {
        state
            .preview
            .with(|p| p.as_ref().is_some_and(|p| p.date_order_ambiguous))
    };

    view! {
        <section class="card mapping" data-testid="mapping">
            <div class="card-head">
                <h2>{tr(state, t::MAPPING_TITLE)}</h2>
                <span class="muted">{move || fill(lang.get(), t::FILE_SIZE, &[&state.file_name.get(), &crate::format::bytes(state.file_bytes.get())])}</span>
            </div>
            <p class="hint">{tr(state, t::MAPPING_HELP)}" "{tr(state, t::REQUIRED_LEGEND)}</p>
            <div class="controls">
                <Show when=is_workbook>
                    <label>
                        {tr(state, t::SHEET)}
                        <select data-testid="sheet-select" on:change=set_sheet disabled=working>
                            <For each=sheets key=|s| s.clone() let:sheet>
                                <option value=sheet.clone()
                                    selected={let sheet = sheet.clone(); move || state.workbook.with(|w| w.as_ref().is_some_and(|w| w.sheet == sheet))}>
                                    {sheet.clone()}
                                </option>
                            </For>
                        </select>
                    </label>
                </Show>
                <label class:hidden=is_workbook class:attention=encoding_doubtful>
                    {tr(state, t::ENCODING)}
                    <select data-testid="encoding-select" on:change=set_encoding disabled=working>
                        {TextEncoding::ALL.into_iter().map(|e| view! {
                            <option value=e.name() selected=move || state.preview.with(|p| p.as_ref().is_some_and(|p| p.encoding == e))>{e.name()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class:hidden=is_workbook>
                    {tr(state, t::DELIMITER)}
                    <select data-testid="delimiter-select" on:change=set_delimiter disabled=working>
                        {DELIMITERS.into_iter().map(|d| view! {
                            <option value=d.to_string() selected=move || state.preview.with(|p| p.as_ref().is_some_and(|p| p.delimiter == d))>
                                {move || delimiter_name(lang.get(), d)}
                            </option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="check">
                    <input type="checkbox" data-testid="header-checkbox" on:change=set_header disabled=working
                        prop:checked=move || state.preview.with(|p| p.as_ref().is_some_and(|p| p.has_header))/>
                    {tr(state, t::HAS_HEADER)}
                </label>
                <label class:attention=ambiguous class:hidden=summary_mode>
                    {tr(state, t::DATE_ORDER)}
                    <select data-testid="date-order-select" on:change=set_date_order disabled=working>
                        {[(DateOrder::Ymd, "ymd"), (DateOrder::Dmy, "dmy"), (DateOrder::Mdy, "mdy")].into_iter().map(|(o, v)| view! {
                            <option value=v selected=move || state.ingest.with(|p| p.as_ref().is_some_and(|p| p.date_order == o))>
                                {move || date_order_name(lang.get(), o)}
                            </option>
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <SummaryPanel/>
            <Show when=move || ambiguous() && !summary_mode()>
                <p class="warning" data-testid="date-order-warning">{tr(state, t::DATE_ORDER_AMBIGUOUS)}</p>
            </Show>
            <Show when=move || encoding_doubtful() && !is_workbook()>
                <p class="hint" data-testid="encoding-doubt">
                    {move || fill(lang.get(), t::ENCODING_DOUBT, &[state.preview.with(|p| p.as_ref().map(|p| p.encoding.name()).unwrap_or_default())])}
                </p>
            </Show>
            <For each=notes key=|n| n.clone() let:note>
                <p class="hint" data-testid="guess-note">{note}</p>
            </For>
            <Show when=is_wide>
                <div class="column-search" data-testid="column-search-box">
                    <p class="hint" data-testid="wide-note">
                        {move || fill(lang.get(), t::WIDE_FILE, &[&width().to_string(), &shown.with(Vec::len).to_string()])}
                    </p>
                    <input type="search" data-testid="column-search" placeholder=move || tr(state, t::FIND_COLUMN)()
                        prop:value=move || search.get() on:input=move |ev| search.set(event_target_value(&ev))/>
                    <ul class="column-results">
                        <For each=found key=|(c, _)| *c let:result>
                            <li>
                                <button class="link" data-testid=format!("column-result-{}", result.0)
                                    on:click=move |_| picked.update(|p| p.push(result.0))>
                                    {format!("{} · {}", result.0 + 1, result.1)}
                                </button>
                            </li>
                        </For>
                    </ul>
                </div>
            </Show>
            <div class="table-wrap">
                <table class="preview-table" data-testid="preview-table">
                    <thead>
                        <tr class:hidden=summary_mode>
                            <For each=columns key=|(c, _)| *c let:column>
                                <th><RolePicker column=column.0/></th>
                            </For>
                        </tr>
                        <tr>
                            <For each=columns key=|(c, name)| (*c, name.clone()) let:column>
                                <th class="colname">{column.1}</th>
                            </For>
                        </tr>
                    </thead>
                    <tbody>
                        {move || rows().into_iter().map(|r| view! {
                            <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <Show when=move || !summary_mode()>
                <super::warehouse::SqlPanel/>
            </Show>
            <Show when=move || !missing_required().is_empty()>
                <p class="warning" data-testid="mapping-missing">
                    {move || {
                        let l = lang.get();
                        let names: Vec<&str> = missing_required().into_iter().map(|r| role_name(l, r)).collect();
                        fill(l, t::REQUIRED_MISSING, &[&names.join(", ")])
                    }}
                </p>
            </Show>
            <div class="actions">
                <button class="button primary" data-testid="mapping-confirm"
                    disabled=move || working() || !missing_required().is_empty() || as_of_missing()
                    on:click=move |_| state.confirm_mapping()>
                    {tr(state, t::ANALYSE)}
                </button>
                <button class="button" disabled=working on:click=move |_| state.reset()>{tr(state, t::CHOOSE_ANOTHER)}</button>
            </div>
        </section>
    }
}

/// The offer to read a per-customer summary file as one (when the preview detected its header):
/// the switch, the time unit of recency and T, the as-of date, the columns found.
#[component]
fn SummaryPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let detected = move || {
        state
            .preview
            .with(|p| p.as_ref().and_then(|p| p.summary.clone()))
    };
    let on = move || state.summary.with(Option::is_some);
    let toggle = move |ev: web_sys::Event| {
        let layout = event_target_checked(&ev).then(detected).flatten();
        state.summary.set(layout);
    };
    let set_unit = move |ev: web_sys::Event| {
        let unit = if event_target_value(&ev) == "weeks" {
            TimeUnit::Weeks
        } else {
            TimeUnit::Days
        };
        state.summary.update(|l| {
            if let Some(l) = l {
                l.time_unit = unit;
                l.time_unit_guessed = false;
            }
        });
    };
    let set_as_of = move |ev: web_sys::Event| {
        let day = crate::engine::calendar::parse_iso_day(&event_target_value(&ev));
        state.summary.update(|l| {
            if let Some(l) = l {
                l.as_of_day = day;
            }
        });
    };
    let unit_is = move |unit: TimeUnit| {
        state
            .summary
            .with(|l| l.as_ref().is_some_and(|l| l.time_unit == unit))
    };
    let guessed = move || {
        state
            .summary
            .with(|l| l.as_ref().is_some_and(|l| l.time_unit_guessed))
    };
    let has_dates = move || {
        state
            .summary
            .with(|l| l.as_ref().is_some_and(|l| l.columns.first_order.is_some()))
    };
    let as_of_missing = move || {
        on() && !has_dates()
            && state
                .summary
                .with(|l| l.as_ref().is_some_and(|l| l.as_of_day.is_none()))
    };
    let columns = move || {
        let l = lang.get();
        state.preview.with(|p| {
            let Some(p) = p.as_ref() else {
                return (String::new(), String::new());
            };
            let Some(layout) = p.summary.as_ref() else {
                return (String::new(), String::new());
            };
            let name = |i: usize| p.columns.get(i).cloned().unwrap_or_default();
            let c = &layout.columns;
            let main = fill(
                l,
                t::SUMMARY_COLUMNS,
                &[
                    &name(c.customer_id),
                    &name(c.frequency),
                    &name(c.recency),
                    &name(c.age),
                    &name(c.monetary_value),
                ],
            );
            let optional: Vec<String> = [
                c.orders,
                c.revenue,
                c.first_order,
                c.last_order,
                c.region,
                c.channel,
            ]
            .into_iter()
            .flatten()
            .map(|i| format!("“{}”", name(i)))
            .collect();
            let optional = if optional.is_empty() {
                String::new()
            } else {
                fill(l, t::SUMMARY_OPTIONAL_COLUMNS, &[&optional.join(", ")])
            };
            (main, optional)
        })
    };
    view! {
        <Show when=move || detected().is_some()>
            <div class="summary-offer" data-testid="summary-offer">
                <p class="hint">{tr(state, t::SUMMARY_DETECTED)}</p>
                <label class="check">
                    <input type="checkbox" data-testid="summary-toggle" prop:checked=on on:change=toggle/>
                    {tr(state, t::SUMMARY_READ_AS)}
                </label>
                <Show when=on>
                    <div class="controls">
                        <label class:attention=guessed>
                            {tr(state, t::SUMMARY_UNIT)}
                            <select data-testid="summary-unit" on:change=set_unit>
                                <option value="days" selected=move || unit_is(TimeUnit::Days)>{move || unit_name(lang.get(), TimeUnit::Days)}</option>
                                <option value="weeks" selected=move || unit_is(TimeUnit::Weeks)>{move || unit_name(lang.get(), TimeUnit::Weeks)}</option>
                            </select>
                            <Show when=guessed>
                                <span class="muted">" "{tr(state, t::SUMMARY_UNIT_GUESSED)}</span>
                            </Show>
                        </label>
                        <label class:attention=as_of_missing>
                            {tr(state, t::SUMMARY_AS_OF)}
                            <input type="date" data-testid="summary-as-of" on:change=set_as_of/>
                        </label>
                    </div>
                    <p class="hint">{move || columns().0}" "{move || columns().1}</p>
                    <p class="hint" class:hidden=move || !has_dates()>{tr(state, t::SUMMARY_AS_OF_FROM_DATES)}</p>
                    <Show when=as_of_missing>
                        <p class="warning" data-testid="summary-as-of-needed">{tr(state, t::SUMMARY_AS_OF_NEEDED)}</p>
                    </Show>
                </Show>
            </div>
        </Show>
    }
}

/// The role select above one column. A role belongs to at most one column: choosing it here
/// removes it from any other column.
#[component]
fn RolePicker(column: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let current = move || {
        state
            .ingest
            .with(|p| p.as_ref().and_then(|p| p.mapping.role_of(column)))
    };
    let on_change = move |ev: web_sys::Event| {
        let value = event_target_value(&ev);
        state.ingest.update(|p| {
            let Some(p) = p else { return };
            if let Some(old) = p.mapping.role_of(column) {
                p.mapping.set(old, None);
            }
            if let Some(role) = ColumnRole::from_name(&value) {
                p.mapping.set(role, Some(column));
            }
        });
    };
    view! {
        <select class="role-picker" data-testid=format!("role-select-{column}") data-role=move || current().map(ColumnRole::name).unwrap_or("")
            class:required=move || current().is_some_and(ColumnRole::is_required)
            on:change=on_change>
            <option value="" selected=move || current().is_none()>{tr(state, t::ROLE_NONE)}</option>
            {ColumnRole::ALL.into_iter().map(|r| view! {
                <option value=r.name() selected=move || current() == Some(r)>
                    {move || {
                        let l = lang.get();
                        if r.is_required() { format!("{} {}", role_name(l, r), t::REQUIRED_MARK.get(l)) } else { role_name(l, r).to_string() }
                    }}
                </option>
            }).collect_view()}
        </select>
    }
}
