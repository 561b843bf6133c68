//! `segscope tiers`: membership tiers on trailing spend, and how customers moved between them.

use std::path::PathBuf;

use clap::Args;

use super::session::CliSession;
use super::InputArgs;
use super::{path, print_line, run_error, to_json, CliResult};
use crate::engine::session::{tiers, Request, Response};
use crate::engine::tiers::{TierParams, TierReport, TierWords};
use crate::format;
use crate::i18n::{movement_name, tier_name, Lang};

pub(super) const HELP: &str = "\
segscope tiers — membership tiers (会员等级) on trailing spend, and who moved up or down

Usage: segscope tiers FILE [options]

A customer's value is their net spend (returns deducted) over the trailing window, at the as-of
date and one window earlier; their tier is the number of thresholds it reaches. Customers with no
purchase in a window have no tier there. Movements: new, up, same, down, lapsed, reactivated,
dormant.

Input options: --sheet NAME, --column ROLE=HEADER, --encoding NAME, --delimiter C,
               --date-order ORDER, --keep-far-dates, as for segscope rfm

Options:
  --thresholds A,B,...     tier lower bounds, increasing (at most 4; default: the 50 %, 80 %
                           and 95 % quantiles of the current spend, rounded)
  --points-per-unit R      rank on points = spend x R (the thresholds are then in points)
  --window-months N        the trailing window (1..36, default 12)
  --out PATH               write customer_id, spend_before, tier_before, spend_now, tier_now,
                           movement, one row per customer (CSV, or .xlsx)
  --json                   print {params, suggested, tiers, matrix, movements, ...}
  -h, --help               this help";

/// `segscope tiers FILE [options]`.
#[derive(Debug, Args)]
pub(super) struct TiersArgs {
    #[command(flatten)]
    input: InputArgs,
    #[arg(long, value_delimiter = ',', allow_hyphen_values = true)]
    thresholds: Vec<f64>,
    #[arg(long, allow_hyphen_values = true)]
    points_per_unit: Option<f64>,
    #[arg(long, default_value_t = 12)]
    window_months: u32,
    #[arg(long, value_name = "PATH", allow_hyphen_values = true, value_parser = path())]
    out: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

impl TiersArgs {
    pub(super) fn run(&self) -> CliResult<()> {
        let file = &self.input.file;
        let mut cli = CliSession::load_analysed(&self.input)?;
        let params = TierParams {
            thresholds: self.thresholds.clone(),
            points_per_unit: self.points_per_unit,
            window_months: self.window_months,
        };
        let reply = cli.ask_about(file, Request::Tiers(tiers::Request::Run { params }), None)?;
        let Response::Tiers(tiers::Response::Tiers { report }) = reply.response else {
            return Err(run_error(format!("{}: no tiers", file.display())));
        };
        if let Some(out) = &self.out {
            let (Some(d), Some(t)) = (cli.session().dataset(), cli.session().tiers()) else {
                return Err(run_error(format!("{}: no tiers", file.display())));
            };
            let words = TierWords::default();
            super::write_export(out, "tiers", |sink| {
                t.analysis.export(d, &t.base, &words, sink)
            })?;
        }
        let text = if self.json {
            to_json(&report)?
        } else {
            human(&report)
        };
        print_line(&text)
    }
}

fn human(r: &TierReport) -> String {
    let n = |v: u64| format::grouped(v as f64, 0, ',');
    let money = |v: f64| format::grouped(v, 0, ',');
    let day = crate::engine::calendar::iso_day;
    let mut lines = vec![format!(
        "{} of {} customers have a tier on {} ({} months of spend); {} had one on {}",
        n(r.active_now),
        n(r.customers),
        day(r.as_of_day),
        r.params.window_months,
        n(r.active_before),
        day(r.earlier_day)
    )];
    if r.earlier_window_partial {
        lines.push(
            "note: the file starts inside the earlier window, so the earlier tiers undercount spend"
                .into(),
        );
    }
    lines.push(format!(
        "  {:<10} {:>16} {:>10} {:>7} {:>14} {:>7} {:>10}",
        "tier", "from", "customers", "share", "spend", "share", "before"
    ));
    for t in r.tiers.iter().rev() {
        lines.push(format!(
            "  {:<10} {:>16} {:>10} {:>7} {:>14} {:>7} {:>10}",
            tier_name(Lang::En, t.tier),
            money(t.lower),
            n(t.customers_now),
            format::percent(t.customer_share_now),
            money(t.spend_now),
            format::percent(t.spend_share_now),
            n(t.customers_before)
        ));
    }
    lines.push(format!(
        "Movements: {}",
        r.movements
            .iter()
            .map(|(m, c)| format!("{} {}", movement_name(Lang::En, *m).to_lowercase(), n(*c)))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    lines.join("\n")
}
