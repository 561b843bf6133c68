//! "Run this where your data lives": the warehouse SQL of the per-customer summary, written by the
//! worker from the mapped column names and a few settings, shown for the user to copy. The query
//! holds no data; the summary it returns is read back as a summary file.

use leptos::prelude::*;

use super::{client, tr, AppState};
use crate::engine::calendar::parse_iso_day;
use crate::engine::clv::TimeUnit;
use crate::engine::ingest::ColumnRole;
use crate::engine::session as msg;
use crate::engine::warehouse::{Dialect, SqlParams};
use crate::i18n::{t, unit_name};
use crate::protocol::{Request, Response};

/// The dialects as the select lists them (brand names, the same in every language).
const DIALECTS: [(Dialect, &str); 5] = [
    (Dialect::DuckDb, "DuckDB"),
    (Dialect::Spark, "Spark SQL / Databricks"),
    (Dialect::BigQuery, "BigQuery"),
    (Dialect::Postgres, "PostgreSQL"),
    (Dialect::Snowflake, "Snowflake"),
];

impl AppState {
    /// Asks the worker for the summary query over the mapped columns; the text lands in `out`.
    fn write_sql(
        self,
        dialect: Dialect,
        table: String,
        as_of: Option<i32>,
        unit: TimeUnit,
        out: RwSignal<Option<String>>,
    ) {
        let names = self
            .preview
            .with_untracked(|p| p.as_ref().map(|p| p.columns.clone()));
        let mapping = self
            .ingest
            .with_untracked(|p| p.as_ref().map(|p| p.mapping.clone()));
        let (Some(names), Some(mapping)) = (names, mapping) else {
            return;
        };
        let name = |role| {
            mapping
                .get(role)
                .and_then(|c| names.get(c).cloned())
                .unwrap_or_default()
        };
        let mut params = SqlParams::new(
            table,
            name(ColumnRole::CustomerId),
            name(ColumnRole::Date),
            name(ColumnRole::Amount),
        )
        .time_unit(unit);
        if let Some(order) = mapping
            .get(ColumnRole::OrderId)
            .and_then(|c| names.get(c).cloned())
        {
            params = params.order(order);
        }
        if let Some(day) = as_of {
            params = params.as_of(day);
        }
        self.error.set(None);
        let request = Request::Warehouse(msg::warehouse::Request::Sql { dialect, params });
        client::send(&request, None, move |response, _| match response {
            Response::Warehouse(msg::warehouse::Response::Sql { text }) => out.set(Some(text)),
            Response::Failed { error } => {
                out.set(None);
                self.fail(error);
            }
            other => self.unexpected(&other),
        });
    }
}

/// The panel under the mapping of a transactions file.
#[component]
pub fn SqlPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let lang = state.lang;
    let dialect = RwSignal::new(Dialect::DuckDb);
    let table = RwSignal::new("transactions".to_string());
    let as_of = RwSignal::new(None::<i32>);
    let unit = RwSignal::new(TimeUnit::Days);
    let text = RwSignal::new(None::<String>);
    let write = move |_| {
        state.write_sql(
            dialect.get_untracked(),
            table.get_untracked(),
            as_of.get_untracked(),
            unit.get_untracked(),
            text,
        )
    };
    view! {
        <details class="sql-panel" data-testid="sql-panel">
            <summary>{tr(state, t::SQL_TITLE)}</summary>
            <p class="hint">{tr(state, t::SQL_HELP)}</p>
            <div class="controls">
                <label>
                    {tr(state, t::SQL_DIALECT)}
                    <select data-testid="sql-dialect" on:change=move |ev| {
                        if let Some(d) = Dialect::from_key(&event_target_value(&ev)) { dialect.set(d) }
                    }>
                        {DIALECTS.into_iter().map(|(d, label)| view! {
                            <option value=d.key() selected=move || dialect.get() == d>{label}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    {tr(state, t::SQL_TABLE)}
                    <input type="text" data-testid="sql-table" prop:value=move || table.get()
                        on:input=move |ev| table.set(event_target_value(&ev))/>
                </label>
                <label>
                    {tr(state, t::SQL_AS_OF)}
                    <input type="date" data-testid="sql-as-of" on:change=move |ev| as_of.set(parse_iso_day(&event_target_value(&ev)))/>
                </label>
                <label>
                    {tr(state, t::SUMMARY_UNIT)}
                    <select data-testid="sql-unit" on:change=move |ev| unit.set(if event_target_value(&ev) == "weeks" { TimeUnit::Weeks } else { TimeUnit::Days })>
                        <option value="days">{move || unit_name(lang.get(), TimeUnit::Days)}</option>
                        <option value="weeks">{move || unit_name(lang.get(), TimeUnit::Weeks)}</option>
                    </select>
                </label>
                <button class="button" data-testid="sql-write" on:click=write>{tr(state, t::SQL_WRITE)}</button>
            </div>
            <Show when=move || text.with(Option::is_some)>
                <textarea class="sql-text" data-testid="sql-text" readonly rows="18" spellcheck="false"
                    prop:value=move || text.get().unwrap_or_default()></textarea>
                <p class="hint">{tr(state, t::SQL_COPY_HINT)}" "{tr(state, t::SQL_TESTED)}</p>
            </Show>
        </details>
    }
}
