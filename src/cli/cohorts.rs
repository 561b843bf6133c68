//! `segscope cohorts`: cohorts by first purchase, as a matrix of periods since.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::session::CliSession;
use super::InputArgs;
use super::{path, print_line, run_error, to_json, CliResult};
use crate::engine::baskets::ItemLevel;
use crate::engine::cohorts::{CohortParams, CohortPeriod, CohortReport, CohortSplit};
use crate::engine::session::{cohorts, Request, Response};
use crate::format;
use crate::i18n::{t, Lang};

pub(super) const HELP: &str = "\
segscope cohorts — cohorts by first purchase: who comes back, and what they spend

Usage: segscope cohorts FILE [options]

A customer's cohort is the period of their first purchase. For each cohort and each period since:
the customers active (with a purchase), their purchases, the net revenue (returns included) and
the cumulative revenue per customer (the LTV curve).

Input options: --sheet NAME, --column ROLE=HEADER, --encoding NAME, --delimiter C,
               --date-order ORDER, --keep-far-dates, as for segscope rfm

Options:
  --period month|week|quarter   the cohort period (default month; a week starts on Monday)
  --split none|product|category|region|channel
                                split the customers by their first purchase's value (the 10
                                largest groups, then \"other\")
  --out PATH                    write cohort, period, customers, active_customers, active_share,
                                orders, revenue, orders_per_customer, revenue_per_customer,
                                cumulative_revenue_per_customer (and group, with --split), one
                                row per cohort and period (CSV, or .xlsx)
  --json                        print {period, last_period, groups, matrix, ...}
  -h, --help                    this help";

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Period {
    Month,
    Week,
    Quarter,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Split {
    None,
    Product,
    Category,
    Region,
    Channel,
}

/// `segscope cohorts FILE [options]`.
#[derive(Debug, Args)]
pub(super) struct CohortsArgs {
    #[command(flatten)]
    input: InputArgs,
    #[arg(long, value_enum)]
    period: Option<Period>,
    #[arg(long, value_enum)]
    split: Option<Split>,
    #[arg(long, value_name = "PATH", allow_hyphen_values = true, value_parser = path())]
    out: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

impl CohortsArgs {
    pub(super) fn run(&self) -> CliResult<()> {
        let file = &self.input.file;
        let mut cli = CliSession::load_analysed(&self.input)?;
        let params = CohortParams {
            period: match self.period {
                Some(Period::Week) => CohortPeriod::Week,
                Some(Period::Quarter) => CohortPeriod::Quarter,
                _ => CohortPeriod::Month,
            },
            split: match self.split {
                Some(Split::Product) => CohortSplit::FirstItem(ItemLevel::Product),
                Some(Split::Category) => CohortSplit::FirstItem(ItemLevel::Category),
                Some(Split::Region) => CohortSplit::FirstRegion,
                Some(Split::Channel) => CohortSplit::FirstChannel,
                _ => CohortSplit::None,
            },
        };
        let reply = cli.ask_about(
            file,
            Request::Cohorts(cohorts::Request::Run { params, group: 0 }),
            None,
        )?;
        let Response::Cohorts(cohorts::Response::Cohorts { report, .. }) = reply.response else {
            return Err(run_error(format!("{}: no cohorts", file.display())));
        };
        if let Some(out) = &self.out {
            let Some(analysis) = cli.session().cohorts() else {
                return Err(run_error(format!("{}: no cohorts", file.display())));
            };
            let other = t::COHORTS_OTHER.get(Lang::En);
            super::write_export(out, "cohorts", |sink| analysis.export(other, sink))?;
        }
        let text = if self.json {
            to_json(&report)?
        } else {
            human(&report)
        };
        print_line(&text)
    }
}

fn human(r: &CohortReport) -> String {
    let n = |v: u64| format::grouped(v as f64, 0, ',');
    let all = r.groups.first();
    let mut lines = vec![format!(
        "{} cohorts ({}s) of {} customers, up to {}",
        r.matrix.len(),
        r.params.period.key(),
        n(all.map_or(0, |g| g.customers)),
        r.last_period
    )];
    if r.customers_without_purchase > 0 {
        lines.push(format!(
            "{} customers without a purchase belong to no cohort",
            n(r.customers_without_purchase)
        ));
    }
    lines.push("Share active by periods since the first purchase:".to_string());
    let width = r
        .matrix
        .iter()
        .map(|c| c.cells.len())
        .max()
        .unwrap_or(0)
        .min(13);
    let mut head = format!("  {:<10} {:>9}", "cohort", "customers");
    for p in 0..width {
        head.push_str(&format!(" {:>6}", format!("+{p}")));
    }
    lines.push(head);
    for c in &r.matrix {
        let mut line = format!("  {:<10} {:>9}", c.label, n(c.customers));
        for cell in c.cells.iter().take(width) {
            line.push_str(&format!(" {:>6}", format::percent(cell.active_share)));
        }
        lines.push(line);
    }
    if let Some(g) = all {
        let mut line = format!("  {:<10} {:>9}", "average", "");
        for a in g.average.iter().take(width) {
            line.push_str(&format!(" {:>6}", format::percent(a.active_share)));
        }
        lines.push(line);
    }
    lines.join("\n")
}
