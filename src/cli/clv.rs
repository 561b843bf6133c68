//! `segscope clv`: the scoring model's (BG/NBD or Pareto/NBD, both with `--compare-models`) and
//! Gamma-Gamma fits; CLV and churn scores.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Args;
use serde::Serialize;

use super::session::CliSession;
use super::InputArgs;
use super::{day, number, path, print_line, run_error, to_json, BadValue, CliResult};
use crate::engine::calendar;
use crate::engine::clv::{
    Boundary, ClvAnalysis, ClvKpis, ClvSettings, ClvWarning, FittedModels, FrequencyBucket,
    HoldoutComparison, ModelFit, PurchaseModelKind, TimeUnit, FREQUENCY_BUCKETS,
    MAX_CLV_HORIZON_MONTHS, MAX_HORIZON_DAYS,
};
use crate::engine::session::{predictions, Request, Response};
use crate::engine::Day;
use crate::format;
use crate::i18n::{self, Lang};

pub(super) const HELP: &str = "\
segscope clv — predictive scoring: probability alive, expected purchases, CLV, churn risk

Usage: segscope clv FILE --calibration-end YYYY-MM-DD [options]

Fits the scoring model (BG/NBD, or Pareto/NBD with --model pareto) and Gamma-Gamma by maximum
likelihood on the purchases up to the calibration end (purchases on one day count as one;
frequency = repeat purchase days) and scores every customer as of that day. With
--compare-models, BG/NBD and Pareto/NBD are both fitted and listed. With --holdout-end, the
purchases after the calibration end up to that day are compared with both models' predictions.

Input options: --sheet NAME, --column ROLE=HEADER, --encoding NAME, --delimiter C,
               --date-order ORDER, --keep-far-dates, as for segscope rfm

Model options:
  --calibration-end DAY    last day of the calibration period (required)
  --holdout-end DAY        last day of the holdout period (default: no holdout comparison)
  --time-unit UNIT         days or weeks (default days): the unit of recency, T and the rates
  --model MODEL            bgnbd or pareto: which model scores the customers (default bgnbd)
  --compare-models         fit both BG/NBD and Pareto/NBD and list both (default: only the
                           scoring model; the other one's JSON entry is null)
  --horizon-days N         the custom horizon of expected purchases, 1..=3650 (default 180);
                           churn risk is read from each customer's chance of a purchase in it
                           (high below 30%, low from 70%)
  --clv-months N           CLV horizon in months, 1..=120 (default 12)
  --discount-monthly R     monthly discount rate of the CLV, 0..=1 (default 0.01)

Output options:
  --out PATH               write the per-customer scores (highest CLV first): CSV, or an
                           Excel workbook when PATH ends in .xlsx
  --json                   print {bgnbd, pareto_nbd, gamma_gamma, calibration, holdout, warnings}
  -h, --help               this help";

pub(super) fn time_unit(text: &str) -> Result<TimeUnit, BadValue> {
    match text {
        "days" | "day" | "d" => Ok(TimeUnit::Days),
        "weeks" | "week" | "w" => Ok(TimeUnit::Weeks),
        other => Err(BadValue(format!(
            "--time-unit expects days or weeks, got '{other}'"
        ))),
    }
}

fn purchase_model(text: &str) -> Result<PurchaseModelKind, BadValue> {
    match text {
        "bgnbd" | "bg-nbd" | "bg/nbd" => Ok(PurchaseModelKind::BgNbd),
        "pareto" | "pareto-nbd" | "pareto/nbd" => Ok(PurchaseModelKind::ParetoNbd),
        other => Err(BadValue(format!(
            "--model expects bgnbd or pareto, got '{other}'"
        ))),
    }
}

/// `segscope clv FILE --calibration-end YYYY-MM-DD [options]`; unset options keep the
/// defaults of [`ClvSettings`].
#[derive(Debug, Args)]
pub(super) struct ClvArgs {
    #[command(flatten)]
    input: InputArgs,
    /// `--calibration-end YYYY-MM-DD` (required).
    #[arg(long = "calibration-end", value_name = "YYYY-MM-DD", allow_hyphen_values = true, value_parser = day("--calibration-end"))]
    calibration_end_day: Day,
    /// `--holdout-end YYYY-MM-DD`: compare the purchases up to this day with the predictions.
    #[arg(long = "holdout-end", value_name = "YYYY-MM-DD", allow_hyphen_values = true, value_parser = day("--holdout-end"))]
    holdout_end_day: Option<Day>,
    /// `--time-unit days|weeks`.
    #[arg(long, value_name = "UNIT", allow_hyphen_values = true, value_parser = time_unit)]
    time_unit: Option<TimeUnit>,
    /// `--model bgnbd|pareto`: which model scores the customers.
    #[arg(long = "model", value_name = "MODEL", allow_hyphen_values = true, value_parser = purchase_model)]
    purchase_model: Option<PurchaseModelKind>,
    /// `--compare-models`: fit both purchase models (default: the scoring model only).
    #[arg(long = "compare-models")]
    compare_models: bool,
    /// `--horizon-days N`.
    #[arg(long, value_name = "N", allow_hyphen_values = true, value_parser = number("--horizon-days", 1..=MAX_HORIZON_DAYS))]
    horizon_days: Option<u32>,
    /// `--clv-months N`.
    #[arg(long = "clv-months", value_name = "N", allow_hyphen_values = true, value_parser = number("--clv-months", 1..=MAX_CLV_HORIZON_MONTHS))]
    clv_horizon_months: Option<u32>,
    /// `--discount-monthly R`.
    #[arg(long, value_name = "R", allow_hyphen_values = true, value_parser = number("--discount-monthly", 0.0..=1.0))]
    discount_monthly: Option<f64>,
    /// `--out PATH`: the per-customer scores CSV.
    #[arg(long, value_name = "PATH", allow_hyphen_values = true, value_parser = path())]
    out: Option<PathBuf>,
    /// `--json`: JSON instead of the human summary.
    #[arg(long)]
    json: bool,
}

/// `--json`.
#[derive(Serialize)]
struct ClvJson<'a> {
    /// "days" or "weeks".
    time_unit: &'static str,
    scoring_model: String,
    bgnbd: Option<FitJson<'a>>,
    pareto_nbd: Option<FitJson<'a>>,
    gamma_gamma: Option<FitJson<'a>>,
    spend_correlation: Option<f64>,
    calibration: CalibrationJson,
    kpis: ClvKpis,
    holdout: Option<HoldoutJson<'a>>,
    warnings: &'a [ClvWarning],
}

/// One model's fit: its parameters by name (`r`, `alpha`, ...) next to the fit figures.
#[derive(Serialize)]
struct FitJson<'a> {
    #[serde(flatten)]
    parameters: BTreeMap<&'a str, f64>,
    log_likelihood: f64,
    customers: usize,
    converged: bool,
    /// The limits of the parameter space the fit was held at (empty for an interior fit).
    boundaries: &'a [Boundary],
    iterations: usize,
    fit_ms: f64,
}

impl<'a> FitJson<'a> {
    fn of(fit: &'a ModelFit) -> Self {
        Self {
            parameters: fit
                .parameters
                .iter()
                .map(|p| (p.name.as_str(), p.value))
                .collect(),
            log_likelihood: fit.log_likelihood,
            customers: fit.customers,
            converged: fit.converged,
            boundaries: &fit.boundaries,
            iterations: fit.iterations,
            fit_ms: fit.fit_ms,
        }
    }
}

#[derive(Serialize)]
struct CalibrationJson {
    /// The calibration end, YYYY-MM-DD.
    end: String,
    customers: usize,
    repeat_customers: usize,
}

#[derive(Serialize)]
struct HoldoutJson<'a> {
    /// YYYY-MM-DD.
    calibration_end: String,
    /// YYYY-MM-DD.
    holdout_end: String,
    models: &'a [String],
    actual_purchases: f64,
    predicted_purchases: &'a [f64],
    mean_absolute_error: &'a [f64],
    bucket_mean_absolute_error: &'a [f64],
    by_frequency: &'a [FrequencyBucket],
    cumulative: Vec<CumulativeJson<'a>>,
}

impl<'a> HoldoutJson<'a> {
    fn of(h: &'a HoldoutComparison) -> Self {
        Self {
            calibration_end: calendar::iso_day(h.calibration_end_day),
            holdout_end: calendar::iso_day(h.holdout_end_day),
            models: &h.models,
            actual_purchases: h.actual_holdout_purchases,
            predicted_purchases: &h.predicted_holdout_purchases,
            mean_absolute_error: &h.mean_absolute_error,
            bucket_mean_absolute_error: &h.bucket_mean_absolute_error,
            by_frequency: &h.by_frequency,
            cumulative: h
                .cumulative
                .iter()
                .map(|p| CumulativeJson {
                    date: calendar::iso_day(p.day),
                    actual: p.actual,
                    predicted: &p.predicted,
                })
                .collect(),
        }
    }
}

#[derive(Serialize)]
struct CumulativeJson<'a> {
    /// YYYY-MM-DD.
    date: String,
    actual: f64,
    predicted: &'a [f64],
}

impl ClvArgs {
    fn settings(&self) -> ClvSettings {
        let defaults = ClvSettings::default();
        ClvSettings {
            calibration_end_day: Some(self.calibration_end_day),
            time_unit: self.time_unit.unwrap_or(defaults.time_unit),
            purchase_model: self.purchase_model.unwrap_or(defaults.purchase_model),
            horizon_days: self.horizon_days.unwrap_or(defaults.horizon_days),
            clv_horizon_months: self
                .clv_horizon_months
                .unwrap_or(defaults.clv_horizon_months),
            discount_monthly: self.discount_monthly.unwrap_or(defaults.discount_monthly),
            models: if self.compare_models {
                FittedModels::Compare
            } else {
                FittedModels::ScoringOnly
            },
            ..defaults
        }
    }

    pub(super) fn run(&self) -> CliResult<()> {
        // The predictions need only the dataset: no RFM analysis.
        let mut cli = CliSession::load_dataset(&self.input)?;
        let settings = self.settings();
        let time_unit = settings.time_unit;
        cli.score(settings)?;
        let holdout = match self.holdout_end_day {
            Some(end) => {
                let calibration_end_day = cli
                    .session()
                    .predictions()
                    .map_or(end, |a| a.calibration_end_day);
                let path = cli.path().to_path_buf();
                let reply = cli.ask_about(
                    &path,
                    Request::Predictions(predictions::Request::Validate {
                        calibration_end_day,
                        holdout_end_day: Some(end),
                        time_unit,
                    }),
                    None,
                )?;
                match reply.response {
                    Response::Predictions(predictions::Response::Validated { comparison }) => {
                        Some(comparison)
                    }
                    _ => None,
                }
            }
            None => None,
        };
        let session = cli.session();
        let (Some(dataset), Some(analysis)) = (session.dataset(), session.predictions()) else {
            return Err(run_error(format!(
                "{}: nothing predicted",
                cli.path().display()
            )));
        };
        if let Some(out) = &self.out {
            let order = analysis.scores_order(dataset);
            super::write_export_in_parts(out, "scores", order.len(), |sink, rows, header| {
                let rows = order.get(rows).unwrap_or_default();
                analysis.export_score_rows(dataset, rows, header, sink)
            })?;
        }
        let text = if self.json {
            to_json(&clv_json(analysis, holdout.as_ref()))?
        } else {
            clv_human(analysis, holdout.as_ref(), self.out.as_deref())
        };
        let printed = print_line(&text);
        // The `segscope` process ends after this command: its memory goes back to the OS whole,
        // faster than freeing the dataset and the scores piece by piece (about 10 ms for a
        // million lines). Not for a caller that runs commands in a loop.
        std::mem::forget(cli);
        printed
    }
}

fn clv_json<'a>(analysis: &'a ClvAnalysis, holdout: Option<&'a HoldoutComparison>) -> ClvJson<'a> {
    let fit = |name: &str| {
        analysis
            .fits
            .iter()
            .find(|f| f.model == name)
            .map(FitJson::of)
    };
    ClvJson {
        time_unit: match analysis.settings.time_unit {
            TimeUnit::Days => "days",
            TimeUnit::Weeks => "weeks",
        },
        scoring_model: analysis.scoring_model().name().to_string(),
        bgnbd: fit("BG/NBD"),
        pareto_nbd: fit("Pareto/NBD"),
        gamma_gamma: fit("Gamma-Gamma"),
        spend_correlation: analysis
            .gamma_gamma
            .as_ref()
            .and_then(|g| g.frequency_monetary_correlation()),
        calibration: CalibrationJson {
            end: calendar::iso_day(analysis.calibration_end_day),
            customers: analysis.summary.len(),
            repeat_customers: analysis.repeat_customers,
        },
        kpis: ClvKpis::of(analysis),
        holdout: holdout.map(HoldoutJson::of),
        warnings: &analysis.warnings,
    }
}
fn clv_human(
    analysis: &ClvAnalysis,
    holdout: Option<&HoldoutComparison>,
    out: Option<&Path>,
) -> String {
    let n = |v: f64| format::grouped(v, 0, ',');
    let mut lines = vec![format!(
        "Calibration end {}: {} customers, {} with repeat purchases; time unit {:?}",
        calendar::iso_day(analysis.calibration_end_day),
        n(analysis.summary.len() as f64),
        n(analysis.repeat_customers as f64),
        analysis.settings.time_unit
    )];
    for fit in &analysis.fits {
        let parameters: Vec<String> = fit
            .parameters
            .iter()
            .map(|p| format!("{} {:.4}", p.name, p.value))
            .collect();
        lines.push(format!(
            "{:<12} {}  log-likelihood {:.2}  {} iterations{}  {:.0} ms",
            fit.model,
            parameters.join("  "),
            fit.log_likelihood,
            fit.iterations,
            if fit.converged {
                ""
            } else {
                " (not converged)"
            },
            fit.fit_ms
        ));
    }
    for warning in &analysis.warnings {
        lines.push(format!(
            "warning: {}",
            i18n::clv_warning_text(Lang::En, warning)
        ));
    }
    let k = ClvKpis::of(analysis);
    lines.push(format!(
        "Scored with {}: expected purchases in {} days {:.1}; mean probability alive {}; total CLV ({} months, {} a month) {}",
        analysis.scoring_model().name(),
        analysis.settings.horizon_days,
        k.expected_purchases_horizon,
        format::percent(k.mean_probability_alive),
        analysis.settings.clv_horizon_months,
        format::percent(analysis.settings.discount_monthly),
        k.total_clv.map_or("n/a".to_string(), |v| format::grouped(v, 2, ','))
    ));
    lines.push(format!(
        "Churn risk (chance of a purchase in {} days, mean {}): low {}, medium {}, high {}",
        analysis.settings.horizon_days,
        format::percent(k.mean_purchase_chance),
        n(k.churn_customers[0] as f64),
        n(k.churn_customers[1] as f64),
        n(k.churn_customers[2] as f64)
    ));
    if let Some(h) = holdout {
        lines.push(String::new());
        lines.push(format!(
            "Holdout {} to {}: actual {:.0} purchases; predicted {}",
            calendar::iso_day(h.calibration_end_day + 1),
            calendar::iso_day(h.holdout_end_day),
            h.actual_holdout_purchases,
            h.models
                .iter()
                .zip(&h.predicted_holdout_purchases)
                .map(|(m, p)| format!("{m} {p:.1}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
        lines.push(format!(
            "{:>10}{:>11}{:>10}{}",
            "frequency",
            "customers",
            "actual",
            h.models
                .iter()
                .map(|m| format!("{m:>12}"))
                .collect::<String>()
        ));
        for b in &h.by_frequency {
            let label = if b.calibration_frequency == FREQUENCY_BUCKETS {
                format!("{}+", b.calibration_frequency)
            } else {
                b.calibration_frequency.to_string()
            };
            lines.push(format!(
                "{label:>10}{:>11}{:>10.3}{}",
                b.customers,
                b.actual_mean,
                b.predicted_mean
                    .iter()
                    .map(|p| format!("{p:>12.3}"))
                    .collect::<String>()
            ));
        }
    }
    if let Some(out) = out {
        lines.push(format!(
            "Wrote {} customers to {}",
            n(analysis.summary.len() as f64),
            out.display()
        ));
    }
    lines.join("\n")
}
