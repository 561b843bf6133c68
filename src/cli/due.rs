//! `segscope due`: repurchase cycles per item and the customers due to buy again.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::session::CliSession;
use super::InputArgs;
use super::{number, path, print_line, run_error, to_json, CliResult};
use crate::engine::baskets::ItemLevel;
use crate::engine::calendar::iso_day;
use crate::engine::repurchase::{RepurchaseParams, RepurchaseReport};
use crate::engine::session::{repurchase, Request, Response};
use crate::format;

pub(super) const HELP: &str = "\
segscope due — repurchase cycles, and who is due to buy again

Usage: segscope due FILE [options]

For each item, the days customers take to buy it again (Kaplan-Meier, censored at the as-of day:
the day after the last purchase); each customer's expected next purchase of each item (the
item's median, or their own mean cycle shrunk toward it after 3 repeat purchases); the
customers whose expected day falls within the window around the as-of day.

Input options: --sheet NAME, --column ROLE=HEADER, --encoding NAME, --delimiter C,
               --date-order ORDER, --keep-far-dates, as for segscope rfm

Options:
  --level product|category  what an item is (default product)
  --window DAYS             days either side of the as-of day, 0..=365 (default 14)
  --out PATH                write the due list: customer_id, item, last_purchase, expected_date,
                            days_overdue, own_intervals (CSV, or .xlsx)
  --json                    print {as_of_day, items, expected, due, due_rows, ...}
  -h, --help                this help";

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Level {
    Product,
    Category,
}

/// `segscope due FILE [options]`.
#[derive(Debug, Args)]
pub(super) struct DueArgs {
    #[command(flatten)]
    input: InputArgs,
    #[arg(long, value_enum)]
    level: Option<Level>,
    #[arg(long, value_name = "DAYS", allow_hyphen_values = true, value_parser = number("--window", 0..=365u32))]
    window: Option<u32>,
    #[arg(long, value_name = "PATH", allow_hyphen_values = true, value_parser = path())]
    out: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

impl DueArgs {
    pub(super) fn run(&self) -> CliResult<()> {
        let file = &self.input.file;
        let mut cli = CliSession::load_analysed(&self.input)?;
        let params = RepurchaseParams {
            level: match self.level {
                Some(Level::Category) => ItemLevel::Category,
                _ => ItemLevel::Product,
            },
            window_days: self
                .window
                .unwrap_or(RepurchaseParams::default().window_days),
        };
        let reply = cli.ask_about(
            file,
            Request::Repurchase(repurchase::Request::Run { params }),
            None,
        )?;
        let Response::Repurchase(repurchase::Response::Cycles { report }) = reply.response else {
            return Err(run_error(format!("{}: no cycles", file.display())));
        };
        if let Some(out) = &self.out {
            let Some(analysis) = cli.session().repurchase() else {
                return Err(run_error(format!("{}: no cycles", file.display())));
            };
            super::write_export(out, "due", |sink| analysis.export_due(sink))?;
        }
        let text = if self.json {
            to_json(&report)?
        } else {
            human(&report)
        };
        print_line(&text)
    }
}

fn human(r: &RepurchaseReport) -> String {
    let n = |v: u64| format::grouped(v as f64, 0, ',');
    let days = |d: Option<f64>| d.map_or_else(|| "-".to_string(), |d| format::plain(d, 0));
    let mut lines = vec![format!(
        "As of {}: {} items bought again; {} customer x item pairs with an expected next purchase; {} due within {} days",
        iso_day(r.as_of_day),
        n(r.items_with_repeats),
        n(r.expected),
        n(r.due),
        r.params.window_days
    )];
    lines.push(format!(
        "  {:<20} {:>9} {:>8} {:>7} {:>5} {:>5}",
        "item", "customers", "repeats", "median", "25%", "75%"
    ));
    for i in &r.items {
        lines.push(format!(
            "  {:<20} {:>9} {:>8} {:>7} {:>5} {:>5}",
            i.item,
            n(i.customers),
            n(i.events),
            days(i.median_days),
            days(i.q25_days),
            days(i.q75_days)
        ));
    }
    if !r.due_rows.is_empty() {
        lines.push("Most overdue:".to_string());
    }
    for d in r.due_rows.iter().take(20) {
        lines.push(format!(
            "  {} {} last {} expected {} ({} days overdue)",
            d.customer_id,
            d.item,
            iso_day(d.last_day),
            iso_day(d.expected_day.floor() as i32),
            format::plain(d.days_overdue, 1)
        ));
    }
    lines.join("\n")
}
