//! `segscope summarize`: transactions → the per-customer summary
//! (`customer_id, frequency, recency, T, monetary_value, orders, revenue, first_order, last_order`).

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use super::session::CliSession;
use super::{day, path, print_line, run_error, to_json, CliResult, InputArgs};
use crate::engine::calendar;
use crate::engine::clv::TimeUnit;
use crate::engine::rfm::RfmParams;
use crate::engine::summary::{summarize, SummaryParams, SummaryTable};
use crate::engine::Day;
use crate::format;

pub(super) const HELP: &str = "\
segscope summarize — the per-customer summary of a transactions file

Usage: segscope summarize FILE --out summary.csv [options]

Writes one row per customer with a purchase:
  customer_id,frequency,recency,T,monetary_value,orders,revenue,first_order,last_order
frequency, recency, T and monetary_value are the purchase models' columns (the shape lifetimes
and PyMC-Marketing read: purchase days merged, returns netted, frequency = purchase days - 1,
recency = last - first purchase day, T = as-of - first purchase day, monetary_value = the mean
repeat purchase day); orders, revenue, first_order and last_order are RFM's (purchase orders, net
revenue, first and last purchase order dates). docs/summary.md defines every column.
The page and `segscope rfm`, `clv` and `cluster` read the result as input.

Input options: as `segscope rfm` (--sheet, --column ROLE=HEADER, --encoding, --delimiter,
--date-order, --keep-far-dates).

Summary options:
  --as-of YYYY-MM-DD       the observation end, inclusive: lines after it are ignored and T
                           runs to it (default: the last date in the file)
  --time-unit UNIT         days (default) or weeks: the unit of recency and T
  --remove-duplicates      leave exact duplicate lines out of the RFM columns (the default when
                           the file has order ids); the purchase-model columns keep them, as
                           lifetimes does
  --keep-duplicates        keep them in the RFM columns too

Output options:
  --out PATH               the summary (CSV, or an Excel workbook when PATH ends in .xlsx)
  --json                   print {customers, as_of, time_unit, ...} as JSON
  -h, --help               this help";

/// `segscope summarize FILE --out PATH [options]`.
#[derive(Debug, Args)]
pub(super) struct SummarizeArgs {
    #[command(flatten)]
    input: InputArgs,
    /// `--as-of YYYY-MM-DD`: the observation end, inclusive.
    #[arg(long = "as-of", value_name = "YYYY-MM-DD", allow_hyphen_values = true, value_parser = day("--as-of"))]
    as_of_day: Option<Day>,
    /// `--time-unit days|weeks`.
    #[arg(long = "time-unit", value_name = "UNIT", value_parser = super::clv::time_unit)]
    time_unit: Option<TimeUnit>,
    /// `--remove-duplicates`.
    #[arg(long, conflicts_with = "keep_duplicates")]
    remove_duplicates: bool,
    /// `--keep-duplicates`.
    #[arg(long)]
    keep_duplicates: bool,
    /// `--out PATH`.
    #[arg(long, value_name = "PATH", allow_hyphen_values = true, value_parser = path())]
    out: Option<PathBuf>,
    /// `--json`.
    #[arg(long)]
    json: bool,
}

/// `--json`: what was written.
#[derive(Serialize)]
struct SummarizeJson {
    customers: usize,
    as_of: String,
    time_unit: &'static str,
    duplicates_removed: bool,
    customers_without_purchase: u64,
    customers_after_as_of: u64,
    rows_read: u64,
    rows_kept: u64,
}

impl SummarizeArgs {
    pub(super) fn run(&self) -> CliResult<()> {
        let remove_duplicates = match (self.remove_duplicates, self.keep_duplicates) {
            (true, _) => Some(true),
            (false, true) => Some(false),
            (false, false) => None,
        };
        let rfm = RfmParams {
            remove_duplicates,
            ..RfmParams::default()
        };
        let (cli, analysed) = CliSession::load(&self.input, rfm)?;
        let quality = analysed?;
        let dataset = cli
            .session()
            .dataset()
            .ok_or_else(|| run_error(format!("{}: nothing read", cli.path().display())))?;
        if dataset.is_summary() {
            return Err(run_error(format!(
                "{}: this is already a per-customer summary (use --transactions to read it as transactions)",
                cli.path().display()
            )));
        }
        let params = SummaryParams {
            as_of_day: self.as_of_day,
            time_unit: self.time_unit.unwrap_or_default(),
            remove_duplicates,
        };
        let table = summarize(dataset, &params)
            .map_err(|e| run_error(format!("{}: {e}", cli.path().display())))?;
        if let Some(out) = &self.out {
            super::write_export(out, "summary", |sink| table.write(sink))?;
        }
        let text = if self.json {
            to_json(&SummarizeJson {
                customers: table.rows.len(),
                as_of: calendar::iso_day(table.as_of_day),
                time_unit: unit_name(table.time_unit),
                duplicates_removed: table.duplicates_removed,
                customers_without_purchase: table.customers_without_purchase,
                customers_after_as_of: table.customers_after_as_of,
                rows_read: quality.rows_read,
                rows_kept: quality.rows_kept,
            })?
        } else {
            human(&table, quality.rows_kept, self.out.as_deref())
        };
        print_line(&text)
    }
}

fn unit_name(unit: TimeUnit) -> &'static str {
    match unit {
        TimeUnit::Days => "days",
        TimeUnit::Weeks => "weeks",
    }
}

fn human(table: &SummaryTable, lines: u64, out: Option<&std::path::Path>) -> String {
    let n = |v: u64| format::grouped(v as f64, 0, ',');
    let mut text = vec![format!(
        "{} customers from {} lines, as of {} (recency and T in {}; exact duplicates {} in the RFM columns)",
        n(table.rows.len() as u64),
        n(lines),
        calendar::iso_day(table.as_of_day),
        unit_name(table.time_unit),
        if table.duplicates_removed { "removed" } else { "kept" }
    )];
    if table.customers_without_purchase + table.customers_after_as_of > 0 {
        text.push(format!(
            "Not in the summary: {} customers with only returns, {} whose every line is after the as-of date",
            n(table.customers_without_purchase),
            n(table.customers_after_as_of)
        ));
    }
    if let Some(out) = out {
        text.push(format!("Wrote {}", out.display()));
    }
    text.join("\n")
}
