//! `segscope forecast`: weekly or monthly revenue and orders ahead, with intervals and a backtest.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::session::CliSession;
use super::InputArgs;
use super::{path, print_line, run_error, to_json, CliResult};
use crate::engine::forecast::{ForecastParams, ForecastPeriod, ForecastReport, SeriesReport};
use crate::engine::session::{forecast, Request, Response};
use crate::format;

pub(super) const HELP: &str = "\
segscope forecast — revenue and orders ahead (ETS), with 80 % and 95 % intervals

Usage: segscope forecast FILE [options]

Weekly or monthly revenue (purchase orders' net) and orders, forecast with exponential smoothing:
the ETS model (error, trend, season) with the lowest AICc, a 12-month (or 52-week) season when the
history holds two. A rolling-origin backtest compares its errors (MAPE, MASE) with the seasonal
naive forecast. The as-of date's period, when incomplete, is left out of the history.

Input options: --sheet NAME, --column ROLE=HEADER, --encoding NAME, --delimiter C,
               --date-order ORDER, --keep-far-dates, as for segscope rfm

Options:
  --period month|week   the period (default month; a week starts on Monday)
  --horizon N           periods ahead (1..104, at most the history's length; default 12)
  --origins N           backtest origins (0..12, default 5)
  --out PATH            write period, kind (history|forecast), revenue, revenue_lo80, revenue_hi80,
                        revenue_lo95, revenue_hi95, orders, orders_lo80, ... (CSV, or .xlsx)
  --json                print {params, season, partial_period, revenue, orders}
  -h, --help            this help";

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Period {
    Month,
    Week,
}

/// `segscope forecast FILE [options]`.
#[derive(Debug, Args)]
pub(super) struct ForecastArgs {
    #[command(flatten)]
    input: InputArgs,
    #[arg(long, value_enum)]
    period: Option<Period>,
    #[arg(long, default_value_t = 12)]
    horizon: u32,
    #[arg(long, default_value_t = 5)]
    origins: u32,
    #[arg(long, value_name = "PATH", allow_hyphen_values = true, value_parser = path())]
    out: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

impl ForecastArgs {
    pub(super) fn run(&self) -> CliResult<()> {
        let file = &self.input.file;
        let mut cli = CliSession::load_analysed(&self.input)?;
        let params = ForecastParams {
            period: match self.period {
                Some(Period::Week) => ForecastPeriod::Week,
                _ => ForecastPeriod::Month,
            },
            horizon: self.horizon,
            backtest_origins: self.origins,
        };
        let reply = cli.ask_about(
            file,
            Request::Forecast(forecast::Request::Run { params }),
            None,
        )?;
        let Response::Forecast(forecast::Response::Forecast { report, .. }) = reply.response else {
            return Err(run_error(format!("{}: no forecast", file.display())));
        };
        if let Some(out) = &self.out {
            let Some(f) = cli.session().forecast() else {
                return Err(run_error(format!("{}: no forecast", file.display())));
            };
            super::write_export(out, "forecast", |sink| f.export(sink))?;
        }
        let text = if self.json {
            to_json(&report)?
        } else {
            human(&report)
        };
        print_line(&text)
    }
}

fn series_lines(name: &str, s: &SeriesReport, lines: &mut Vec<String>) {
    let v = |x: f64| format::grouped(x, 0, ',');
    lines.push(format!(
        "{name}: {} on {} periods ({} – {})",
        s.model,
        s.history.len(),
        s.history.first().map_or("", |h| h.label.as_str()),
        s.history.last().map_or("", |h| h.label.as_str())
    ));
    if let Some(b) = &s.backtest {
        let o = |x: Option<f64>, d: usize| x.map_or_else(|| "-".into(), |x| format!("{x:.d$}"));
        lines.push(format!(
            "  backtest ({} origins): MAPE {} % (seasonal naive {} %), MASE {} (seasonal naive {})",
            b.origins,
            o(b.model_mape, 1),
            o(b.naive_mape, 1),
            o(b.model_mase, 2),
            o(b.naive_mase, 2)
        ));
    }
    for p in &s.forecast {
        lines.push(format!(
            "  {:<10} {:>14}   80 % {:>12} – {:<12}   95 % {:>12} – {}",
            p.label,
            v(p.mean),
            v(p.lo80),
            v(p.hi80),
            v(p.lo95),
            v(p.hi95)
        ));
    }
}

fn human(r: &ForecastReport) -> String {
    let mut lines = Vec::new();
    if let Some(p) = &r.partial_period {
        lines.push(format!(
            "the as-of period {p} is incomplete and left out of the history"
        ));
    }
    series_lines("Revenue", &r.revenue, &mut lines);
    series_lines("Orders", &r.orders, &mut lines);
    lines.join("\n")
}
