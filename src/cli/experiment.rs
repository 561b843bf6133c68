//! `segscope experiment`: a campaign's A/B test (GrowthBook's conventions) from a results file or
//! a contact list joined with the transactions; `segscope power`: the sample-size calculator.

use std::path::PathBuf;

use clap::Args;
use serde::Serialize;

use super::session::CliSession;
use super::{day, number, path, print_line, run_error, to_json, usage, CliResult, InputArgs};
use crate::engine::experiment::stats::{Difference, MetricKind};
use crate::engine::experiment::{
    Correction, ExperimentParams, ExperimentReport, MetricChoice, OutcomeSource, PowerMetric,
    PowerParams, PowerReport, RoiParams,
};
use crate::engine::session::{experiment, FileSource, Request, Response};
use crate::engine::Day;
use crate::format;

pub(super) const HELP: &str = "\
segscope experiment — a campaign's A/B test: lift, confidence interval, p-value, chance to win,
risk, CUPED, sample-ratio mismatch (GrowthBook's conventions)

Usage: segscope experiment RESULTS [options]
       segscope experiment TRANSACTIONS --contacts LIST --window-days N [--start DATE] [options]

RESULTS has one row per customer: an id, a group column and outcome columns (0/1 conversions,
revenue, any number). A contact list has an id, a group and optionally a contact date; the
outcomes are then computed from TRANSACTIONS: converted (any purchase in the window), orders
and revenue in the window, each over the same length before the start as its CUPED covariate.
Contacts without any transaction count as non-converters with zero revenue.

Options:
  --group COL              the group column (default: a header such as group, variant, 分组)
  --control NAME           the control group (default: control, holdout, 对照 …, else the first)
  --id COL                 the customer-id column (default: guessed, else the first)
  --metric COL[:binomial|mean]
                           an outcome column (repeatable; default: every numeric column, 0/1
                           columns binomial)
  --covariate METRIC=COL   COL is METRIC's pre-period value (CUPED; default: METRIC_pre)
  --weights W,W,...        intended split, control first then the others in sort order
                           (default: equal)
  --alpha A                significance level (default 0.05, two-sided)
  --correction none|holm|bh
                           p-value adjustment over variants and metrics (default none)
  --absolute               absolute differences instead of relative lift
  --sequential TAU         sequential testing (confidence sequences), tuning parameter TAU
                           (GrowthBook's default 5000)
  --contacts LIST          the contact list (FILE is then the transactions; input options
                           --column, --encoding … apply to it)
  --start YYYY-MM-DD       the window's first day (default: each contact's own date)
  --window-days N          the outcome window (1..3660)
  --cost-per-contact C, --fixed-cost F, --margin PCT
                           the ROI card (incremental conversions, revenue, profit, ROI)
  --out PATH               write the results table (CSV, or .xlsx)
  --json                   print {srm_p_value, variants, metrics, segments, roi, models, ...}
  -h, --help               this help";

pub(super) const RESPONSE_HELP: &str = "\
segscope response — whom to target next: a response model and an uplift model from a campaign

Usage: segscope response TRANSACTIONS --contacts LIST --window-days N [--start DATE] [options]
       segscope response TRANSACTIONS --results FILE [options]

The campaign's customers are looked up in TRANSACTIONS; each gets features from their history
before the campaign (the start for a contact list, the day after the last transaction for a
results file): purchases, average order value, days since the last and the first purchase.
A regularised logistic regression learns the first 0/1 outcome (converted) of the treated
customers; a second pair of models (treated, control) estimates each customer's uplift. Both
are evaluated on 30 % held-out customers. Every customer of TRANSACTIONS is then scored.

Options:
  --contacts LIST, --start YYYY-MM-DD, --window-days N
                           a contact list and its outcome window (as segscope experiment)
  --results FILE           a results file (customer id, group, a 0/1 outcome)
  --group COL, --control NAME, --id COL
                           as segscope experiment
  --top-deciles N          deciles of the target list (1..10, default 3)
  --out PATH               write the target list: customer_id, response_score, decile
  --json                   print the models' evaluation {response, uplift, features_day}
  -h, --help               this help";

pub(super) const POWER_HELP: &str = "\
segscope power — sample size per variation for an A/B test

Usage: segscope power --baseline-rate P --mde D [options]
       segscope power --baseline-mean M --std-dev S --mde D [options]

Options:
  --baseline-rate P        control's conversion rate (0..1); two-proportion test, Evan Miller's
                           formula (20 % baseline, +5 points, 80 % power: 1,030 per variation)
  --baseline-mean M, --std-dev S
                           control's mean and the per-customer standard deviation (test of means)
  --mde D                  the minimum detectable effect (absolute, or relative with --relative)
  --relative               D is relative to the baseline (0.1 = +10 %)
  --alpha A                significance level, two-sided (default 0.05)
  --power P                power (default 0.8)
  --variations N           groups, control included (default 2)
  --json                   print {per_variation, total, mde_absolute, params}
  -h, --help               this help";

/// `segscope experiment FILE [options]`.
#[derive(Debug, Args)]
pub(super) struct ExperimentArgs {
    #[command(flatten)]
    input: InputArgs,
    #[arg(long, allow_hyphen_values = true)]
    group: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    control: Option<String>,
    #[arg(long, allow_hyphen_values = true)]
    id: Option<String>,
    #[arg(long = "metric", allow_hyphen_values = true)]
    metrics: Vec<String>,
    #[arg(long = "covariate", allow_hyphen_values = true)]
    covariates: Vec<String>,
    #[arg(long, value_delimiter = ',', allow_hyphen_values = true)]
    weights: Vec<f64>,
    #[arg(long, default_value_t = 0.05, value_parser = number("--alpha", 0.0..=0.5))]
    alpha: f64,
    #[arg(long, default_value = "none")]
    correction: String,
    #[arg(long)]
    absolute: bool,
    #[arg(long, value_parser = number("--sequential", 1.0..=1e12))]
    sequential: Option<f64>,
    #[arg(long, value_name = "LIST", value_parser = path())]
    contacts: Option<PathBuf>,
    /// `segscope response` only: the results file.
    #[arg(long, value_name = "FILE", value_parser = path(), hide = true)]
    results: Option<PathBuf>,
    /// `segscope response` only: the target list's deciles.
    #[arg(long = "top-deciles", default_value_t = 3, value_parser = number("--top-deciles", 1u8..=10), hide = true)]
    top_deciles: u8,
    #[arg(long, value_name = "YYYY-MM-DD", allow_hyphen_values = true, value_parser = day("--start"))]
    start: Option<Day>,
    #[arg(long = "window-days", value_parser = number("--window-days", 1u32..=3660))]
    window_days: Option<u32>,
    #[arg(long = "cost-per-contact", allow_hyphen_values = true)]
    cost_per_contact: Option<f64>,
    #[arg(long = "fixed-cost", allow_hyphen_values = true)]
    fixed_cost: Option<f64>,
    #[arg(long, allow_hyphen_values = true)]
    margin: Option<f64>,
    #[arg(long, value_name = "PATH", allow_hyphen_values = true, value_parser = path())]
    out: Option<PathBuf>,
    #[arg(long)]
    json: bool,
}

/// `--json` of `segscope experiment`.
#[derive(Serialize)]
struct Output<'a> {
    srm_p_value: f64,
    srm_suspect: bool,
    group_column: &'a str,
    variants: Vec<VariantOut<'a>>,
    metrics: &'a [crate::engine::experiment::MetricResult],
    segments: &'a [crate::engine::experiment::SegmentUplift],
    roi: Option<&'a crate::engine::experiment::RoiReport>,
    contacts: Option<crate::engine::experiment::ContactSummary>,
    models: Option<&'a crate::engine::experiment::ModelReport>,
    warnings: &'a [crate::engine::experiment::DataWarning],
    customers: u64,
}

#[derive(Serialize)]
struct VariantOut<'a> {
    name: &'a str,
    users: u64,
    observed_share: f64,
    intended_share: f64,
}

impl ExperimentArgs {
    fn params(&self) -> CliResult<ExperimentParams> {
        let correction = match self.correction.as_str() {
            "none" => Correction::None,
            "holm" => Correction::Holm,
            "bh" => Correction::Bh,
            other => {
                return Err(usage(format!(
                    "--correction expects none, holm or bh, got '{other}'"
                )))
            }
        };
        let source = match &self.contacts {
            Some(_) => {
                if !self.metrics.is_empty() || !self.covariates.is_empty() {
                    return Err(usage(
                        "--metric and --covariate are for a results file, not with --contacts",
                    ));
                }
                let window_days = self
                    .window_days
                    .ok_or_else(|| usage("experiment --contacts needs --window-days N"))?;
                OutcomeSource::Contacts {
                    start_day: self.start,
                    window_days,
                    date_column: None,
                }
            }
            None => {
                if self.start.is_some() || self.window_days.is_some() {
                    if self.results.is_some() {
                        return Err(usage("--start and --window-days are for --contacts"));
                    }
                    return Err(usage("--start and --window-days need --contacts"));
                }
                let mut metrics = Vec::new();
                for spec in &self.metrics {
                    let (column, kind) = match spec.rsplit_once(':') {
                        Some((c, "binomial")) => (c, Some(MetricKind::Binomial)),
                        Some((c, "mean")) => (c, Some(MetricKind::Mean)),
                        _ => (spec.as_str(), None),
                    };
                    metrics.push(MetricChoice {
                        column: column.to_string(),
                        kind,
                        covariate: None,
                    });
                }
                for spec in &self.covariates {
                    let Some((metric, column)) = spec.split_once('=') else {
                        return Err(usage(format!(
                            "--covariate expects METRIC=COL, got '{spec}'"
                        )));
                    };
                    match metrics.iter_mut().find(|m| m.column == metric) {
                        Some(m) => m.covariate = Some(column.to_string()),
                        None => metrics.push(MetricChoice {
                            column: metric.to_string(),
                            kind: None,
                            covariate: Some(column.to_string()),
                        }),
                    }
                }
                OutcomeSource::Results { metrics }
            }
        };
        let roi = match (self.cost_per_contact, self.fixed_cost, self.margin) {
            (None, None, None) => None,
            (c, f, m) => Some(RoiParams {
                cost_per_contact: c.unwrap_or(0.0),
                fixed_cost: f.unwrap_or(0.0),
                margin_percent: m.unwrap_or(100.0),
            }),
        };
        Ok(ExperimentParams {
            id_column: self.id.clone(),
            group_column: self.group.clone(),
            control: self.control.clone(),
            weights: self.weights.clone(),
            alpha: self.alpha,
            difference: if self.absolute {
                Difference::Absolute
            } else {
                Difference::Relative
            },
            correction,
            sequential_tuning: self.sequential,
            roi,
            ..ExperimentParams::new(source)
        })
    }

    /// `segscope response`: the models of a campaign over TRANSACTIONS, and the target list.
    pub(super) fn run_response(&self) -> CliResult<()> {
        let campaign = match (&self.contacts, &self.results) {
            (Some(list), None) => list.clone(),
            (None, Some(results)) => results.clone(),
            _ => return Err(usage("response needs --contacts LIST or --results FILE")),
        };
        let params = self.params()?;
        let mut cli = CliSession::load_analysed(&self.input)?;
        let report = analyse(&mut cli, &campaign, params)?;
        let Some(models) = report.models.as_ref() else {
            return Err(run_error(format!(
                "{}: none of its customers is in {}",
                campaign.display(),
                self.input.file.display()
            )));
        };
        if let Some(out) = &self.out {
            let request = Request::Experiment(experiment::Request::Export {
                format: crate::engine::table_out::ExportFormat::Csv,
                table: experiment::ExperimentTable::Targets,
                segment_words: Vec::new(),
                top_deciles: self.top_deciles,
            });
            let reply = cli.ask_about(&campaign, request, None)?;
            let Some(download) = reply.download else {
                return Err(run_error(format!("{}: no target list", campaign.display())));
            };
            std::fs::write(out, download.bytes)
                .map_err(|e| run_error(format!("cannot write {}: {e}", out.display())))?;
        }
        let text = if self.json {
            to_json(models)?
        } else {
            human_models(models)
        };
        print_line(&text)
    }

    pub(super) fn run(&self) -> CliResult<()> {
        if self.results.is_some() {
            return Err(usage("--results is for segscope response"));
        }
        let params = self.params()?;
        let (mut cli, campaign) = match &self.contacts {
            Some(list) => (CliSession::load_analysed(&self.input)?, list.clone()),
            None => (
                CliSession::without_transactions(&self.input.file),
                self.input.file.clone(),
            ),
        };
        let report = analyse(&mut cli, &campaign, params)?;
        if let Some(out) = &self.out {
            super::write_export(out, "results", |sink| report.export_results(sink))?;
        }
        let text = if self.json {
            to_json(&Output {
                srm_p_value: report.srm_p_value,
                srm_suspect: report.srm_suspect,
                group_column: &report.group_column,
                variants: report
                    .variants
                    .iter()
                    .map(|v| VariantOut {
                        name: &v.name,
                        users: v.users,
                        observed_share: v.observed_share,
                        intended_share: v.intended_share,
                    })
                    .collect(),
                metrics: &report.results,
                segments: &report.segments,
                roi: report.roi.as_ref(),
                contacts: report.contacts,
                models: report.models.as_ref(),
                warnings: &report.warnings,
                customers: report.customers,
            })?
        } else {
            human(&report)
        };
        print_line(&text)
    }
}

/// Gives the session the campaign file and analyses it.
fn analyse(
    cli: &mut CliSession,
    campaign: &std::path::Path,
    params: ExperimentParams,
) -> CliResult<ExperimentReport> {
    let source = FileSource::open(campaign)
        .map_err(|e| run_error(format!("cannot open {}: {e}", campaign.display())))?;
    cli.ask_about(
        campaign,
        Request::Experiment(experiment::Request::Open),
        Some(source),
    )?;
    let reply = cli.ask_about(
        campaign,
        Request::Experiment(experiment::Request::Run { params }),
        None,
    )?;
    match reply.response {
        Response::Experiment(experiment::Response::Analyzed { report }) => Ok(report),
        _ => Err(run_error(format!("{}: no results", campaign.display()))),
    }
}

fn human_models(m: &crate::engine::experiment::ModelReport) -> String {
    use crate::engine::experiment::ModelProblem;
    let why = |p: &ModelProblem| match p {
        ModelProblem::NoBinaryMetric => "no 0/1 outcome to model".to_string(),
        ModelProblem::TooFew {
            customers,
            responders,
        } => format!(
            "too few customers ({customers}) or responders ({responders}) in the transactions"
        ),
        ModelProblem::Fit(e) => e.to_string(),
    };
    let mut lines = vec![format!(
        "features as of {}{}",
        crate::engine::calendar::iso_day(m.features_day),
        if m.with_predictions {
            " (with the predictions)"
        } else {
            ""
        }
    )];
    match &m.response {
        Ok(r) => {
            lines.push(format!(
                "response model ({}): {} treated customers fitted, {} held out, AUC {}",
                r.metric,
                r.train_customers,
                r.test_customers,
                r.auc.map_or("–".into(), |a| format!("{a:.3}"))
            ));
            lines.push(format!(
                "  {:>6} {:>9} {:>10} {:>8} {:>6} {:>8}",
                "decile", "customers", "responders", "rate", "lift", "gain"
            ));
            for d in &r.deciles {
                lines.push(format!(
                    "  {:>6} {:>9} {:>10} {:>8} {:>6.2} {:>8}",
                    d.decile,
                    d.customers,
                    d.responders,
                    format::percent(d.response_rate),
                    d.lift,
                    format::percent(d.cumulative_gain)
                ));
            }
        }
        Err(p) => lines.push(format!("response model: not fitted: {}", why(p))),
    }
    match &m.uplift {
        Ok(u) => {
            lines.push(format!(
                "uplift model ({}): {} held out, Qini coefficient {}",
                u.metric,
                u.test_customers,
                u.qini_coefficient.map_or("–".into(), |q| format!("{q:.3}"))
            ));
            for t in &u.top_shares {
                lines.push(format!(
                    "  contact the top {:>4}: {:+.1} incremental conversions",
                    format::percent(t.share),
                    t.incremental_conversions
                ));
            }
        }
        Err(p) => lines.push(format!("uplift model: not fitted: {}", why(p))),
    }
    lines.join("\n")
}

fn pct(v: f64) -> String {
    format!("{:+.2} %", v * 100.0)
}

fn human(r: &ExperimentReport) -> String {
    let n = |v: u64| format::grouped(v as f64, 0, ',');
    let mut lines = Vec::new();
    let split: Vec<String> = r
        .variants
        .iter()
        .map(|v| {
            format!(
                "{} {} ({})",
                v.name,
                n(v.users),
                format::percent(v.observed_share)
            )
        })
        .collect();
    lines.push(format!(
        "{} customers by {}: {}",
        n(r.customers),
        r.group_column,
        split.join(", ")
    ));
    lines.push(format!("sample-ratio mismatch p = {:.4}", r.srm_p_value));
    if r.srm_suspect {
        lines.push("WARNING: the split differs from the intended weights (p < 0.001): the results are not trustworthy".into());
    }
    if let Some(c) = &r.contacts {
        lines.push(format!(
            "{} contacts, {} in the transactions, {} without any transaction (counted as non-converters)",
            n(c.contacts),
            n(c.matched),
            n(c.without_transactions)
        ));
    }
    let relative = r.params.difference == Difference::Relative;
    lines.push(format!(
        "  {:<16} {:<12} {:>6} {:>12} {:>12} {:>10} {:>22} {:>9} {:>8}",
        "metric", "variant", "cuped", "control", "variant", "lift", "CI", "p", "win"
    ));
    for m in &r.results {
        let (lift, low, high) = if relative {
            (pct(m.relative_lift), pct(m.ci_low), pct(m.ci_high))
        } else {
            (
                format!("{:+.4}", m.relative_lift),
                format!("{:+.4}", m.ci_low),
                format!("{:+.4}", m.ci_high),
            )
        };
        lines.push(format!(
            "  {:<16} {:<12} {:>6} {:>12.4} {:>12.4} {:>10} {:>22} {:>9.4} {:>8}",
            m.metric,
            m.variant,
            if m.cuped { "yes" } else { "" },
            m.control_mean,
            m.mean,
            lift,
            format!("[{low}, {high}]"),
            m.p_value_adjusted,
            format::percent(m.chance_to_win)
        ));
    }
    lines.join("\n")
}

/// `segscope power [options]`.
#[derive(Debug, Args)]
pub(super) struct PowerArgs {
    #[arg(long = "baseline-rate", value_parser = number("--baseline-rate", 0.0..=1.0))]
    baseline_rate: Option<f64>,
    #[arg(long = "baseline-mean", allow_hyphen_values = true)]
    baseline_mean: Option<f64>,
    #[arg(long = "std-dev")]
    std_dev: Option<f64>,
    #[arg(long, allow_hyphen_values = true)]
    mde: f64,
    #[arg(long)]
    relative: bool,
    #[arg(long, default_value_t = 0.05, value_parser = number("--alpha", 0.0..=0.5))]
    alpha: f64,
    #[arg(long, default_value_t = 0.8, value_parser = number("--power", 0.0..=1.0))]
    power: f64,
    #[arg(long, default_value_t = 2, value_parser = number("--variations", 2u32..=20))]
    variations: u32,
    #[arg(long)]
    json: bool,
}

impl PowerArgs {
    pub(super) fn run(&self) -> CliResult<()> {
        let metric = match (self.baseline_rate, self.baseline_mean, self.std_dev) {
            (Some(baseline_rate), None, None) => PowerMetric::Proportion { baseline_rate },
            (None, Some(baseline_mean), Some(std_dev)) => PowerMetric::Mean {
                baseline_mean,
                std_dev,
            },
            _ => {
                return Err(usage(
                    "power needs --baseline-rate P, or --baseline-mean M with --std-dev S",
                ))
            }
        };
        let params = PowerParams {
            mde_relative: self.relative,
            alpha: self.alpha,
            power: self.power,
            variations: self.variations,
            ..PowerParams::new(metric, self.mde)
        };
        let here = PathBuf::from("power");
        let mut cli = CliSession::without_transactions(&here);
        let reply = cli.ask_about(
            &here,
            Request::Experiment(experiment::Request::Power { params }),
            None,
        )?;
        let Response::Experiment(experiment::Response::Power { report }) = reply.response else {
            return Err(run_error("power: no answer"));
        };
        let text = if self.json {
            to_json(&report)?
        } else {
            human_power(&report)
        };
        print_line(&text)
    }
}

fn human_power(r: &PowerReport) -> String {
    let n = |v: u64| format::grouped(v as f64, 0, ',');
    format!(
        "{} per variation, {} in all ({} variations), to detect {:+} at α = {} with {} power",
        n(r.per_variation),
        n(r.total),
        r.params.variations,
        r.mde_absolute,
        r.params.alpha,
        format::percent(r.params.power)
    )
}
