//! `segscope sendtime`: each customer's best weekday and hour to send a message.

use std::path::PathBuf;

use clap::Args;

use super::session::CliSession;
use super::InputArgs;
use super::{path, print_line, run_error, to_json, CliResult};
use crate::engine::sendtime::{weekday_key, SendTimeParams, SendTimeReport};
use crate::engine::session::{sendtime, Request, Response};
use crate::format;

pub(super) const HELP: &str = "\
segscope sendtime — each customer's best weekday and hour (一对一发送时机)

Usage: segscope sendtime FILE [options]

From the weekday and time of day of each customer's purchase orders: their best weekday and hour,
shrunk toward the store's own pattern (empirical Bayes: the store's pattern weighs as much as a
number of orders estimated from the data), with a confidence (the chance that the hour shown really
is the customer's best). A file whose dates have no times gets weekdays only.

Input options: --sheet NAME, --column ROLE=HEADER, --encoding NAME, --delimiter C,
               --date-order ORDER, --keep-far-dates, as for segscope rfm

Options:
  --min-orders N        customers with fewer purchase orders get no row (default 1)
  --hour-prior N        the store's weight for hours, in orders (default: estimated)
  --weekday-prior N     the same for weekdays (default: estimated)
  --out PATH            write customer_id, segment, orders, timed_orders, best_weekday,
                        weekday_confidence, best_hour, hour_confidence, one row per customer
                        (CSV, or .xlsx)
  --json                print {has_times, grid, weekday_shares, hour_shares, segments, ...}
  -h, --help            this help";

/// `segscope sendtime FILE [options]`.
#[derive(Debug, Args)]
pub(super) struct SendTimeArgs {
    #[command(flatten)]
    input: InputArgs,
    #[arg(long, default_value_t = 1)]
    min_orders: u32,
    #[arg(long, allow_hyphen_values = true)]
    hour_prior: Option<f64>,
    #[arg(long, allow_hyphen_values = true)]
    weekday_prior: Option<f64>,
    #[arg(long, value_name = "PATH", allow_hyphen_values = true, value_parser = path())]
    out: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

impl SendTimeArgs {
    pub(super) fn run(&self) -> CliResult<()> {
        let file = &self.input.file;
        let mut cli = CliSession::load_analysed(&self.input)?;
        let params = SendTimeParams {
            hour_prior_orders: self.hour_prior,
            weekday_prior_orders: self.weekday_prior,
            min_orders: self.min_orders,
        };
        let reply = cli.ask_about(
            file,
            Request::SendTime(sendtime::Request::Run { params }),
            None,
        )?;
        let Response::SendTime(sendtime::Response::SendTimes { report, .. }) = reply.response
        else {
            return Err(run_error(format!("{}: no send times", file.display())));
        };
        if let Some(out) = &self.out {
            let (Some(d), Some(s)) = (cli.session().dataset(), cli.session().sendtime()) else {
                return Err(run_error(format!("{}: no send times", file.display())));
            };
            super::write_export(out, "sendtime", |sink| s.export(d, sink))?;
        }
        let text = if self.json {
            to_json(&report)?
        } else {
            human(&report)
        };
        print_line(&text)
    }
}

fn human(r: &SendTimeReport) -> String {
    let n = |v: u64| format::grouped(v as f64, 0, ',');
    let mut lines = vec![format!(
        "{} customers, {} purchase orders ({} with a time of day)",
        n(r.customers),
        n(r.orders),
        n(r.timed_orders)
    )];
    if !r.has_times {
        lines.push("the dates have no time of day: weekdays only".into());
    }
    let weekday = r
        .weekday_shares
        .iter()
        .enumerate()
        .map(|(w, s)| format!("{} {}", &weekday_key(w as u8)[..3], format::percent(*s)))
        .collect::<Vec<_>>()
        .join(", ");
    lines.push(format!("Orders by weekday: {weekday}"));
    if let Some(h) = &r.hour {
        let best = r
            .hour_shares
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map_or(0, |(i, _)| i);
        lines.push(format!(
            "Busiest hour {best:02}:00 ({}); the store's pattern weighs as {:.1} orders for hours, {:.1} for weekdays; {} customers are led by their own orders",
            format::percent(r.hour_shares.get(best).copied().unwrap_or(0.0)),
            h.prior.orders,
            r.weekday.prior.orders,
            n(h.mostly_own)
        ));
    }
    lines.join("\n")
}
