//! The native CLI: the browser app's engine over a file on disk, for batch use and benchmarks.
//!
//! `segscope rfm FILE` previews the head of the file (encoding, delimiter, header, column roles,
//! date order), applies the command-line overrides, streams the file through the ingest and runs
//! the RFM analysis. `segscope clv FILE` scores predictions; `segscope cluster FILE` finds k-means
//! segments (or scores FILE with a saved one). `segscope bench FILE` times the same phases.
//! Arguments are parsed with std only. Exit codes: 0 success, 1 the file or the analysis failed, 2 bad command line.

use std::fs::File;
use std::io::{BufReader, Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use segscope::engine::calendar;
use segscope::engine::cluster::{
    profile::trait_names_en, AttributeTable, BehaviourFeature, ClusterAnalysis, ClusterInput,
    ClusterSettings, FeatureKey, KChoice, SegmentationModel, TransformKind, MAX_K, MIN_K,
};
use segscope::engine::clv::{
    ClvAnalysis, ClvKpis, ClvSettings, HoldoutComparison, ModelFit, PurchaseModelKind, TimeUnit,
    FREQUENCY_BUCKETS, MAX_CLV_HORIZON_MONTHS, MAX_HORIZON_DAYS,
};
use segscope::engine::ingest::{
    self, ColumnRole, DateOrder, IngestParams, Preview, PreviewParams, QualityReport, TextEncoding,
};
use segscope::engine::rfm::{self, Analysis, CustomerQuery, RfmParams, SortKey};
use segscope::engine::{Dataset, Day};
use segscope::format;

const MAIN_HELP: &str = "\
segscope — private customer analytics (RFM segments, Pareto) on a transactions CSV

Usage:
  segscope rfm FILE [options]      score customers and print a summary, JSON or a customer CSV
  segscope clv FILE --calibration-end YYYY-MM-DD [options]
                                   fit BG/NBD, Pareto/NBD and Gamma-Gamma; score CLV and churn
  segscope cluster FILE --k N|auto [options]
                                   k-means segments with profiles and automatic names
  segscope bench FILE [options]    time preview, ingest and analysis on FILE
  segscope --help                  this help (also: segscope rfm --help, segscope bench --help)
  segscope --version               print the version

Exit status: 0 success, 1 the file or the analysis failed, 2 bad command line.";

const RFM_HELP: &str = "\
segscope rfm — RFM analysis of a transactions CSV

Usage: segscope rfm FILE [options]

The first megabyte is previewed to detect the encoding, delimiter, header and column roles;
the options below override the detection. Then the whole file is streamed and analysed.

Input options:
  --column ROLE=HEADER     map a column to a role (repeatable). ROLE is one of
                           customer_id, date, amount, order_id, product, quantity, region, channel.
                           HEADER is a column name as in the file (exact match first, then
                           ignoring case). An empty HEADER (--column order_id=) unmaps a role.
  --encoding NAME          utf-8, utf-16le, utf-16be or gb18030 (also gbk); default: detect
  --delimiter C            field delimiter: one character, or tab; default: detect
  --date-order ORDER       ymd, dmy or mdy for numeric dates like 03/05/2024; default: detect

Analysis options:
  --as-of YYYY-MM-DD       day recency is measured from (default: the day after the last
                           transaction); lines after it are ignored
  --remove-duplicates      drop lines that repeat an earlier line exactly (the default when
                           the file has order ids)
  --keep-duplicates        keep them (the default without order ids)
  --cap-outliers           value orders above the outlier fence at the fence (default: flag only)

Output options:
  --out PATH               write one row per customer, sorted by customer id, with the header
                           customer_id,recency_days,frequency,monetary,r_score,f_score,m_score,segment
  --json                   print one JSON object {quality, segments, pareto, kpis, as_of}
                           instead of the human summary
  -h, --help               this help";

const CLV_HELP: &str = "\
segscope clv — predictive scoring: probability alive, expected purchases, CLV, churn risk

Usage: segscope clv FILE --calibration-end YYYY-MM-DD [options]

Fits BG/NBD, Pareto/NBD and Gamma-Gamma by maximum likelihood on the purchases up to the
calibration end (purchases on one day count as one; frequency = repeat purchase days) and scores
every customer as of that day. With --holdout-end, the purchases after the calibration end up to
that day are compared with the models' predictions.

Input options: --column ROLE=HEADER, --encoding NAME, --delimiter C, --date-order ORDER
                           as for segscope rfm

Model options:
  --calibration-end DAY    last day of the calibration period (required)
  --holdout-end DAY        last day of the holdout period (default: no holdout comparison)
  --time-unit UNIT         days or weeks (default days): the unit of recency, T and the rates
  --model MODEL            bgnbd or pareto: which model scores the customers (default bgnbd)
  --horizon-days N         the custom horizon of expected purchases, 1..=3650 (default 180)
  --clv-months N           CLV horizon in months, 1..=120 (default 12)
  --discount-monthly R     monthly discount rate of the CLV, 0..=1 (default 0.01)

Output options:
  --out PATH               write the per-customer scores CSV (highest CLV first)
  --json                   print {bgnbd, pareto_nbd, gamma_gamma, calibration, holdout, warnings}
  -h, --help               this help";

const CLUSTER_HELP: &str = "\
segscope cluster — customer segments found by k-means, profiled and named

Usage: segscope cluster FILE --k N|auto [options]
       segscope cluster FILE --model model.json [options]

Builds per-customer features (from the transactions, the predictions and an optional attributes
file), logs skewed ones (skewness above 1), standardises them, one-hot encodes categories, runs
k-means (k-means++ seeding, seeded restarts) for k = 2..10 and profiles the segments. With
--model, FILE is scored with a saved segmentation instead (nearest centroid, same transforms).

Input options: --column ROLE=HEADER, --encoding NAME, --delimiter C, --date-order ORDER
                           as for segscope rfm

Segmentation options:
  --k N|auto               segments, 2..=20, or auto: the k of the sweep with the best mean
                           silhouette (default auto)
  --features LIST          comma-separated: recency_days, frequency, monetary,
                           average_order_value, tenure_days, inter_purchase_days, category_shares,
                           main_region, main_channel, clv, probability_alive, attr:HEADER
                           (default recency_days,frequency,monetary)
  --attributes FILE        a customer attributes CSV (any encoding/delimiter the transactions
                           accept), joined on the customer id
  --attributes-id COLUMN   its id column (default: a customer-id header, else the first column)
  --seed S                 seed of every random choice (default 42)
  --restarts N             k-means++ restarts per fit, 1..=100 (default 10)
  --model PATH             score FILE with a saved segmentation (no sweep, no refit)

Output options:
  --out PATH               write customer_id,segment,segment_name for every customer
  --save-model PATH        save the segmentation (features, transforms, centroids, names; no
                           customer rows) as JSON
  --json                   print {customers, k, suggested_k, sweep, segments, features,
                           warnings, ...} instead of the human summary
  -h, --help               this help";

const BENCH_HELP: &str = "\
segscope bench — time preview, ingest and analysis

Usage: segscope bench FILE [--runs N] [input options of segscope rfm]

Runs preview + ingest + analysis N times (default 5) and prints the median time of each phase,
rows per second, and the peak resident memory of the process (VmHWM from /proc/self/status).

Options:
  --runs N                 number of runs (1..=1000, default 5)
  --column ROLE=HEADER, --encoding NAME, --delimiter C, --date-order ORDER
                           as for segscope rfm
  -h, --help               this help";

/// A failure, with the exit code it maps to.
#[derive(Debug)]
enum CliError {
    /// Bad command line: exit 2.
    Usage(String),
    /// The file or the analysis failed: exit 1.
    Run(String),
}

type CliResult<T> = Result<T, CliError>;

fn usage(message: impl Into<String>) -> CliError {
    CliError::Usage(message.into())
}

fn run_error(message: impl Into<String>) -> CliError {
    CliError::Run(message.into())
}

/// What to read and how to override the detection.
#[derive(Debug, Default)]
struct InputArgs {
    file: PathBuf,
    columns: Vec<(ColumnRole, String)>,
    encoding: Option<TextEncoding>,
    delimiter: Option<u8>,
    date_order: Option<DateOrder>,
}

#[derive(Debug, Default)]
struct RfmArgs {
    input: InputArgs,
    as_of_day: Option<Day>,
    remove_duplicates: Option<bool>,
    cap_outliers: bool,
    out: Option<PathBuf>,
    json: bool,
}

#[derive(Debug, Default)]
struct ClvArgs {
    input: InputArgs,
    settings: ClvSettings,
    holdout_end_day: Option<Day>,
    out: Option<PathBuf>,
    json: bool,
}

#[derive(Debug, Default)]
struct ClusterArgs {
    input: InputArgs,
    settings: ClusterSettings,
    attributes: Option<PathBuf>,
    attributes_id: Option<String>,
    model: Option<PathBuf>,
    save_model: Option<PathBuf>,
    out: Option<PathBuf>,
    json: bool,
}

#[derive(Debug)]
struct BenchArgs {
    input: InputArgs,
    runs: usize,
}

#[derive(Debug)]
enum Command {
    Help(&'static str),
    Version,
    Rfm(RfmArgs),
    Clv(ClvArgs),
    Cluster(Box<ClusterArgs>),
    Bench(BenchArgs),
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = parse_command(&args).and_then(|command| match command {
        Command::Help(text) => {
            println!("{text}");
            Ok(())
        }
        Command::Version => {
            println!("segscope {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        Command::Rfm(args) => run_rfm(&args),
        Command::Clv(args) => run_clv(&args),
        Command::Cluster(args) => run_cluster(&args),
        Command::Bench(args) => run_bench(&args),
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Usage(message)) => {
            eprintln!("segscope: {message} (see segscope --help)");
            ExitCode::from(2)
        }
        Err(CliError::Run(message)) => {
            eprintln!("segscope: error: {message}");
            ExitCode::from(1)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Command line

fn parse_command(args: &[String]) -> CliResult<Command> {
    let Some((first, rest)) = args.split_first() else {
        return Err(usage("missing command: rfm, clv, cluster or bench"));
    };
    match first.as_str() {
        "-h" | "--help" | "help" => Ok(Command::Help(MAIN_HELP)),
        "-V" | "--version" => Ok(Command::Version),
        "rfm" => parse_rfm(rest),
        "clv" => parse_clv(rest),
        "cluster" => parse_cluster(rest),
        "bench" => parse_bench(rest),
        other => Err(usage(format!(
            "unknown command '{other}': expected rfm, clv, cluster or bench"
        ))),
    }
}

/// Splits `--flag=value` / `--flag value`; `None` for arguments that are not options.
struct ArgCursor<'a> {
    args: &'a [String],
    position: usize,
}

impl<'a> ArgCursor<'a> {
    fn new(args: &'a [String]) -> Self {
        Self { args, position: 0 }
    }

    /// The next argument as (flag, inline value), or a positional argument as (arg, None) with
    /// `is_flag` false.
    fn next(&mut self) -> Option<(&'a str, Option<&'a str>, bool)> {
        let arg = self.args.get(self.position)?;
        self.position += 1;
        if arg.starts_with("--") {
            match arg.split_once('=') {
                Some((flag, value)) => Some((flag, Some(value), true)),
                None => Some((arg.as_str(), None, true)),
            }
        } else if arg.starts_with('-') && arg.len() > 1 {
            Some((arg.as_str(), None, true))
        } else {
            Some((arg.as_str(), None, false))
        }
    }

    fn value(&mut self, flag: &str, inline: Option<&'a str>) -> CliResult<&'a str> {
        if let Some(value) = inline {
            return Ok(value);
        }
        let value = self
            .args
            .get(self.position)
            .ok_or_else(|| usage(format!("{flag} needs a value")))?;
        self.position += 1;
        Ok(value)
    }
}

/// Parses one input option; `Ok(false)` when `flag` is not an input option.
fn parse_input_option<'a>(
    input: &mut InputArgs,
    cursor: &mut ArgCursor<'a>,
    flag: &str,
    inline: Option<&'a str>,
) -> CliResult<bool> {
    match flag {
        "--column" => {
            let spec = cursor.value(flag, inline)?;
            let Some((role, header)) = spec.split_once('=') else {
                return Err(usage(format!("--column expects ROLE=HEADER, got '{spec}'")));
            };
            let role = ColumnRole::from_name(role).ok_or_else(|| {
                let roles: Vec<&str> = ColumnRole::ALL.iter().map(|r| r.name()).collect();
                usage(format!(
                    "unknown role '{role}' in --column; roles: {}",
                    roles.join(", ")
                ))
            })?;
            input.columns.push((role, header.to_string()));
        }
        "--encoding" => {
            let name = cursor.value(flag, inline)?;
            input.encoding = Some(TextEncoding::from_name(name).ok_or_else(|| {
                usage(format!(
                    "unknown encoding '{name}': use utf-8, utf-16le, utf-16be or gb18030"
                ))
            })?);
        }
        "--delimiter" => {
            let text = cursor.value(flag, inline)?;
            input.delimiter = Some(match text {
                "tab" | "\\t" | "\t" => b'\t',
                _ if text.len() == 1 && text.is_ascii() => {
                    text.as_bytes().first().copied().unwrap_or(b',')
                }
                _ => {
                    return Err(usage(format!(
                        "--delimiter expects one ASCII character or tab, got '{text}'"
                    )))
                }
            });
        }
        "--date-order" => {
            let text = cursor.value(flag, inline)?;
            input.date_order = Some(match text.to_ascii_lowercase().as_str() {
                "ymd" => DateOrder::Ymd,
                "dmy" => DateOrder::Dmy,
                "mdy" => DateOrder::Mdy,
                _ => {
                    return Err(usage(format!(
                        "--date-order expects ymd, dmy or mdy, got '{text}'"
                    )))
                }
            });
        }
        _ => return Ok(false),
    }
    Ok(true)
}

fn set_file(input: &mut InputArgs, arg: &str) -> CliResult<()> {
    if !input.file.as_os_str().is_empty() {
        return Err(usage(format!("unexpected argument '{arg}': only one FILE")));
    }
    input.file = PathBuf::from(arg);
    Ok(())
}

fn parse_rfm(args: &[String]) -> CliResult<Command> {
    let mut parsed = RfmArgs::default();
    let mut cursor = ArgCursor::new(args);
    while let Some((arg, inline, is_flag)) = cursor.next() {
        if !is_flag {
            set_file(&mut parsed.input, arg)?;
            continue;
        }
        if parse_input_option(&mut parsed.input, &mut cursor, arg, inline)? {
            continue;
        }
        let no_value = |flag: &str| match inline {
            Some(_) => Err(usage(format!("{flag} takes no value"))),
            None => Ok(()),
        };
        match arg {
            "-h" | "--help" => return Ok(Command::Help(RFM_HELP)),
            "--as-of" => {
                let text = cursor.value(arg, inline)?;
                parsed.as_of_day =
                    Some(calendar::parse_iso_day(text).ok_or_else(|| {
                        usage(format!("--as-of expects YYYY-MM-DD, got '{text}'"))
                    })?);
            }
            "--keep-duplicates" | "--remove-duplicates" => {
                no_value(arg)?;
                let remove = arg == "--remove-duplicates";
                if parsed.remove_duplicates.is_some_and(|r| r != remove) {
                    return Err(usage(
                        "--keep-duplicates and --remove-duplicates exclude each other",
                    ));
                }
                parsed.remove_duplicates = Some(remove);
            }
            "--cap-outliers" => {
                no_value(arg)?;
                parsed.cap_outliers = true;
            }
            "--out" => parsed.out = Some(PathBuf::from(cursor.value(arg, inline)?)),
            "--json" => {
                no_value(arg)?;
                parsed.json = true;
            }
            _ => return Err(usage(format!("unknown option '{arg}' for rfm"))),
        }
    }
    if parsed.input.file.as_os_str().is_empty() {
        return Err(usage("rfm needs a FILE"));
    }
    Ok(Command::Rfm(parsed))
}

fn parse_day(flag: &str, text: &str) -> CliResult<Day> {
    calendar::parse_iso_day(text)
        .ok_or_else(|| usage(format!("{flag} expects YYYY-MM-DD, got '{text}'")))
}

fn parse_number<T: std::str::FromStr + PartialOrd + std::fmt::Display>(
    flag: &str,
    text: &str,
    range: std::ops::RangeInclusive<T>,
) -> CliResult<T> {
    text.parse::<T>()
        .ok()
        .filter(|v| range.contains(v))
        .ok_or_else(|| {
            usage(format!(
                "{flag} expects a number from {} to {}, got '{text}'",
                range.start(),
                range.end()
            ))
        })
}

fn parse_clv(args: &[String]) -> CliResult<Command> {
    let mut parsed = ClvArgs::default();
    let mut cursor = ArgCursor::new(args);
    while let Some((arg, inline, is_flag)) = cursor.next() {
        if !is_flag {
            set_file(&mut parsed.input, arg)?;
            continue;
        }
        if parse_input_option(&mut parsed.input, &mut cursor, arg, inline)? {
            continue;
        }
        match arg {
            "-h" | "--help" => return Ok(Command::Help(CLV_HELP)),
            "--calibration-end" => {
                parsed.settings.calibration_end_day =
                    Some(parse_day(arg, cursor.value(arg, inline)?)?);
            }
            "--holdout-end" => {
                parsed.holdout_end_day = Some(parse_day(arg, cursor.value(arg, inline)?)?);
            }
            "--time-unit" => {
                parsed.settings.time_unit = match cursor.value(arg, inline)? {
                    "days" | "day" | "d" => TimeUnit::Days,
                    "weeks" | "week" | "w" => TimeUnit::Weeks,
                    other => {
                        return Err(usage(format!(
                            "--time-unit expects days or weeks, got '{other}'"
                        )))
                    }
                };
            }
            "--model" => {
                parsed.settings.purchase_model = match cursor.value(arg, inline)? {
                    "bgnbd" | "bg-nbd" | "bg/nbd" => PurchaseModelKind::BgNbd,
                    "pareto" | "pareto-nbd" | "pareto/nbd" => PurchaseModelKind::ParetoNbd,
                    other => {
                        return Err(usage(format!(
                            "--model expects bgnbd or pareto, got '{other}'"
                        )))
                    }
                };
            }
            "--horizon-days" => {
                parsed.settings.horizon_days =
                    parse_number(arg, cursor.value(arg, inline)?, 1..=MAX_HORIZON_DAYS)?;
            }
            "--clv-months" => {
                parsed.settings.clv_horizon_months =
                    parse_number(arg, cursor.value(arg, inline)?, 1..=MAX_CLV_HORIZON_MONTHS)?;
            }
            "--discount-monthly" => {
                parsed.settings.discount_monthly =
                    parse_number(arg, cursor.value(arg, inline)?, 0.0..=1.0)?;
            }
            "--out" => parsed.out = Some(PathBuf::from(cursor.value(arg, inline)?)),
            "--json" => {
                if inline.is_some() {
                    return Err(usage("--json takes no value"));
                }
                parsed.json = true;
            }
            _ => return Err(usage(format!("unknown option '{arg}' for clv"))),
        }
    }
    if parsed.input.file.as_os_str().is_empty() {
        return Err(usage("clv needs a FILE"));
    }
    if parsed.settings.calibration_end_day.is_none() {
        return Err(usage("clv needs --calibration-end YYYY-MM-DD"));
    }
    Ok(Command::Clv(parsed))
}

fn parse_cluster(args: &[String]) -> CliResult<Command> {
    let mut parsed = ClusterArgs::default();
    let mut cursor = ArgCursor::new(args);
    while let Some((arg, inline, is_flag)) = cursor.next() {
        if !is_flag {
            set_file(&mut parsed.input, arg)?;
            continue;
        }
        if parse_input_option(&mut parsed.input, &mut cursor, arg, inline)? {
            continue;
        }
        match arg {
            "-h" | "--help" => return Ok(Command::Help(CLUSTER_HELP)),
            "--k" => {
                let text = cursor.value(arg, inline)?;
                parsed.settings.k = if text.eq_ignore_ascii_case("auto") {
                    KChoice::Auto
                } else {
                    KChoice::Fixed(parse_number(arg, text, MIN_K..=MAX_K)?)
                };
            }
            "--features" => {
                let list = cursor.value(arg, inline)?;
                let mut features = Vec::new();
                for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    features.push(FeatureKey::parse(name).ok_or_else(|| {
                        let known: Vec<&str> =
                            BehaviourFeature::ALL.iter().map(|f| f.key()).collect();
                        usage(format!(
                            "unknown feature '{name}' in --features; features: {}, attr:HEADER",
                            known.join(", ")
                        ))
                    })?);
                }
                if features.is_empty() {
                    return Err(usage("--features needs at least one feature"));
                }
                parsed.settings.features = features;
            }
            "--attributes" => {
                parsed.attributes = Some(PathBuf::from(cursor.value(arg, inline)?));
            }
            "--attributes-id" => {
                parsed.attributes_id = Some(cursor.value(arg, inline)?.to_string());
            }
            "--seed" => {
                parsed.settings.seed = parse_number(arg, cursor.value(arg, inline)?, 0..=u64::MAX)?;
            }
            "--restarts" => {
                parsed.settings.restarts = parse_number(arg, cursor.value(arg, inline)?, 1..=100)?;
            }
            "--model" => parsed.model = Some(PathBuf::from(cursor.value(arg, inline)?)),
            "--save-model" => parsed.save_model = Some(PathBuf::from(cursor.value(arg, inline)?)),
            "--out" => parsed.out = Some(PathBuf::from(cursor.value(arg, inline)?)),
            "--json" => {
                if inline.is_some() {
                    return Err(usage("--json takes no value"));
                }
                parsed.json = true;
            }
            _ => return Err(usage(format!("unknown option '{arg}' for cluster"))),
        }
    }
    if parsed.input.file.as_os_str().is_empty() {
        return Err(usage("cluster needs a FILE"));
    }
    Ok(Command::Cluster(Box::new(parsed)))
}

fn parse_bench(args: &[String]) -> CliResult<Command> {
    let mut input = InputArgs::default();
    let mut runs = 5;
    let mut cursor = ArgCursor::new(args);
    while let Some((arg, inline, is_flag)) = cursor.next() {
        if !is_flag {
            set_file(&mut input, arg)?;
            continue;
        }
        if parse_input_option(&mut input, &mut cursor, arg, inline)? {
            continue;
        }
        match arg {
            "-h" | "--help" => return Ok(Command::Help(BENCH_HELP)),
            "--runs" => {
                let text = cursor.value(arg, inline)?;
                runs = text
                    .parse()
                    .ok()
                    .filter(|n| (1..=1000).contains(n))
                    .ok_or_else(|| {
                        usage(format!("--runs expects a number 1..=1000, got '{text}'"))
                    })?;
            }
            _ => return Err(usage(format!("unknown option '{arg}' for bench"))),
        }
    }
    if input.file.as_os_str().is_empty() {
        return Err(usage("bench needs a FILE"));
    }
    Ok(Command::Bench(BenchArgs { input, runs }))
}

// ---------------------------------------------------------------------------------------------
// Loading

/// The head of the file read for the preview.
const PREVIEW_BYTES: u64 = 1 << 20;

fn open(path: &Path) -> CliResult<File> {
    File::open(path).map_err(|e| run_error(format!("cannot open {}: {e}", path.display())))
}

/// Reads the first megabyte and previews it with the command-line overrides.
fn preview_file(input: &InputArgs) -> CliResult<Preview> {
    let file = open(&input.file)?;
    let mut head = Vec::new();
    file.take(PREVIEW_BYTES)
        .read_to_end(&mut head)
        .map_err(|e| run_error(format!("cannot read {}: {e}", input.file.display())))?;
    let params = PreviewParams {
        encoding: input.encoding,
        delimiter: input.delimiter,
        has_header: None,
    };
    ingest::preview(&head, &params).map_err(|e| run_error(format!("{}: {e}", input.file.display())))
}

/// The preview's detections with the command-line overrides applied.
fn ingest_params(preview: &Preview, input: &InputArgs) -> CliResult<IngestParams> {
    let mut mapping = preview.mapping.clone();
    for (role, header) in &input.columns {
        if header.is_empty() {
            mapping.set(*role, None);
            continue;
        }
        let column = preview
            .columns
            .iter()
            .position(|c| c == header)
            .or_else(|| {
                preview
                    .columns
                    .iter()
                    .position(|c| c.to_lowercase() == header.to_lowercase())
            })
            .ok_or_else(|| {
                run_error(format!(
                    "--column {}={header}: no such column; the columns are: {}",
                    role.name(),
                    preview.columns.join(", ")
                ))
            })?;
        // A column plays one role: a detected role on that column gives way, unless the user
        // asked for it too (then ingest reports the conflict).
        if let Some(other) = mapping.role_of(column) {
            let explicit = input.columns.iter().any(|(r, _)| *r == other);
            if other != *role && !explicit {
                mapping.set(other, None);
            }
        }
        mapping.set(*role, Some(column));
    }
    if let Some(role) = ColumnRole::ALL
        .into_iter()
        .find(|r| r.is_required() && mapping.get(*r).is_none())
    {
        return Err(run_error(format!(
            "{}: no column was recognised as {}; choose one with --column {}=HEADER (the columns are: {})",
            input.file.display(),
            role.name(),
            role.name(),
            preview.columns.join(", ")
        )));
    }
    let date_order = match input.date_order {
        Some(order) => order,
        None => {
            if preview.date_order_ambiguous {
                eprintln!(
                    "segscope: warning: the dates fit both day/month/year and month/day/year; \
                     assuming {:?} (choose with --date-order)",
                    preview.date_order
                );
            }
            preview.date_order
        }
    };
    Ok(IngestParams {
        encoding: preview.encoding,
        delimiter: preview.delimiter,
        has_header: preview.has_header,
        date_order,
        mapping,
    })
}

/// Streams the whole file through the ingest.
fn ingest_file(path: &Path, params: &IngestParams) -> CliResult<(Dataset, QualityReport)> {
    let mut file = open(path)?;
    let total_bytes = file.metadata().map(|m| m.len()).unwrap_or(0);
    file.seek(SeekFrom::Start(0))
        .map_err(|e| run_error(format!("cannot read {}: {e}", path.display())))?;
    let reader = BufReader::with_capacity(1 << 16, file);
    ingest::ingest(reader, total_bytes, params, &mut |_| {})
        .map_err(|e| run_error(format!("{}: {e}", path.display())))
}

// ---------------------------------------------------------------------------------------------
// rfm

fn run_rfm(args: &RfmArgs) -> CliResult<()> {
    let preview = preview_file(&args.input)?;
    let params = ingest_params(&preview, &args.input)?;
    let (dataset, quality) = ingest_file(&args.input.file, &params)?;
    let rfm_params = RfmParams {
        as_of_day: args.as_of_day,
        remove_duplicates: args.remove_duplicates,
        cap_outliers: args.cap_outliers,
        ..Default::default()
    };
    let analysis = rfm::analyze(&dataset, &rfm_params).map_err(|e| run_error(e.to_string()))?;
    if let Some(out) = &args.out {
        write_customers(out, &dataset, &analysis)?;
    }
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    let text = if args.json {
        json_summary(&quality, &analysis)?
    } else {
        human_summary(&quality, &analysis, args.out.as_deref())
    };
    writeln!(stdout, "{text}").map_err(|e| run_error(format!("cannot write output: {e}")))
}

/// One row per customer, sorted by customer id ascending.
fn write_customers(path: &Path, dataset: &Dataset, analysis: &Analysis) -> CliResult<()> {
    let all = CustomerQuery {
        sort: SortKey::CustomerId,
        descending: false,
        offset: 0,
        limit: usize::MAX,
        ..Default::default()
    };
    let page = rfm::query(dataset, analysis, None, &all);
    let failed =
        |e: &dyn std::fmt::Display| run_error(format!("cannot write {}: {e}", path.display()));
    let file = File::create(path).map_err(|e| failed(&e))?;
    let mut out = csv::Writer::from_writer(std::io::BufWriter::new(file));
    out.write_record([
        "customer_id",
        "recency_days",
        "frequency",
        "monetary",
        "r_score",
        "f_score",
        "m_score",
        "segment",
    ])
    .map_err(|e| failed(&e))?;
    for row in &page.rows {
        out.write_record([
            segscope::engine::csv_out::neutralize_formula(&row.customer_id).as_ref(),
            &row.recency_days.to_string(),
            &row.frequency.to_string(),
            &format::plain(row.monetary, 2),
            &row.r_score.to_string(),
            &row.f_score.to_string(),
            &row.m_score.to_string(),
            row.segment.name(),
        ])
        .map_err(|e| failed(&e))?;
    }
    out.flush().map_err(|e| failed(&e))
}

fn json_summary(quality: &QualityReport, analysis: &Analysis) -> CliResult<String> {
    let report = &analysis.report;
    let value = serde_json::json!({
        "quality": quality,
        "segments": report.segments,
        "pareto": report.pareto,
        "kpis": report.kpis,
        "as_of": calendar::iso_day(report.as_of_day),
    });
    serde_json::to_string_pretty(&value).map_err(|e| run_error(format!("cannot encode JSON: {e}")))
}

fn human_summary(quality: &QualityReport, analysis: &Analysis, out: Option<&Path>) -> String {
    let r = &analysis.report;
    let k = &r.kpis;
    let n = |v: u64| format::grouped(v as f64, 0, ',');
    let money = |v: f64| format::grouped(v, 2, ',');
    let mut lines = Vec::new();
    let dropped: u64 = quality.dropped.iter().map(|d| d.count).sum();
    lines.push(format!(
        "Rows: {} read, {} kept, {} dropped; {} exact duplicates ({})",
        n(quality.rows_read),
        n(quality.rows_kept),
        n(dropped),
        n(quality.exact_duplicates),
        if r.duplicates_were_removed {
            format!("{} removed", n(r.duplicates_removed))
        } else {
            "kept".to_string()
        }
    ));
    for d in &quality.dropped {
        let example = d.examples.first().map_or(String::new(), |(line, value)| {
            format!(", e.g. line {line}: '{value}'")
        });
        lines.push(format!(
            "  dropped {} × {:?} in '{}'{example}",
            n(d.count),
            d.reason,
            d.column
        ));
    }
    lines.push(format!(
        "As of {}; orders from {} to {}",
        calendar::iso_day(r.as_of_day),
        calendar::iso_day(r.first_day),
        calendar::iso_day(r.last_day)
    ));
    lines.push(format!(
        "Customers {}  Orders {}  Revenue {}  Average order {}  Repeat customers {}",
        n(k.customers),
        n(k.orders),
        money(k.revenue),
        money(k.average_order_value),
        format::percent(k.repeat_customer_rate)
    ));
    if r.customers_without_purchase > 0 || r.fully_returned_orders > 0 {
        lines.push(format!(
            "Fully returned orders {} (not counted); customers with nothing left to score {}",
            n(r.fully_returned_orders),
            n(r.customers_without_purchase)
        ));
    }
    let top20 = r
        .pareto
        .top_shares
        .iter()
        .find(|(p, _)| *p == 20.0)
        .map_or(0.0, |(_, s)| *s);
    lines.push(format!(
        "Top 20% of customers bring {} of revenue; 80% of revenue comes from {} of customers; Gini {:.2}",
        format::percent(top20),
        format::percent(r.pareto.customer_share_for_80_percent),
        r.pareto.gini
    ));
    let o = &r.outliers;
    lines.push(format!(
        "Outlier orders above {}: {} worth {} ({})",
        money(o.fence),
        n(o.flagged_orders),
        money(o.flagged_revenue),
        if o.capped {
            "capped at the fence"
        } else {
            "flagged, not capped"
        }
    ));
    lines.push(String::new());
    lines.push(format!(
        "{:<22}{:>11}{:>8}{:>16}{:>8}{:>10}{:>8}",
        "segment", "customers", "share", "revenue", "share", "recency", "orders"
    ));
    for s in &r.segments {
        lines.push(format!(
            "{:<22}{:>11}{:>8}{:>16}{:>8}{:>10.0}{:>8.1}",
            s.segment.name(),
            n(s.customers),
            format::percent(s.customer_share),
            money(s.revenue),
            format::percent(s.revenue_share),
            s.mean_recency_days,
            s.mean_frequency
        ));
    }
    if let Some(out) = out {
        lines.push(String::new());
        lines.push(format!(
            "Wrote {} customers to {}",
            n(k.customers),
            out.display()
        ));
    }
    lines.join("\n")
}

// ---------------------------------------------------------------------------------------------
// clv

fn run_clv(args: &ClvArgs) -> CliResult<()> {
    let preview = preview_file(&args.input)?;
    let params = ingest_params(&preview, &args.input)?;
    let (dataset, _quality) = ingest_file(&args.input.file, &params)?;
    let started = Instant::now();
    let mut clock = || started.elapsed().as_secs_f64() * 1000.0;
    let analysis = ClvAnalysis::run(&dataset, &args.settings, &mut clock)
        .map_err(|e| clv_error(&args.input.file, &e))?;
    let holdout = match args.holdout_end_day {
        Some(end) => Some(
            HoldoutComparison::run(
                &dataset,
                analysis.calibration_end_day,
                Some(end),
                args.settings.time_unit,
                &mut clock,
            )
            .map_err(|e| clv_error(&args.input.file, &e))?,
        ),
        None => None,
    };
    if let Some(out) = &args.out {
        std::fs::write(out, analysis.export_scores_csv(&dataset))
            .map_err(|e| run_error(format!("cannot write {}: {e}", out.display())))?;
    }
    let text = if args.json {
        clv_json(&analysis, holdout.as_ref())?
    } else {
        clv_human(&analysis, holdout.as_ref(), args.out.as_deref())
    };
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    writeln!(stdout, "{text}").map_err(|e| run_error(format!("cannot write output: {e}")))
}

/// A CLV failure in the page's English wording (dates as dates).
fn clv_error(file: &Path, e: &segscope::engine::clv::ClvError) -> CliError {
    run_error(format!(
        "{}: {}",
        file.display(),
        segscope::i18n::describe_clv_error(segscope::i18n::Lang::En, e)
    ))
}

fn fit_json(fit: Option<&ModelFit>) -> serde_json::Value {
    let Some(fit) = fit else {
        return serde_json::Value::Null;
    };
    let mut object = serde_json::Map::new();
    for p in &fit.parameters {
        object.insert(p.name.clone(), serde_json::json!(p.value));
    }
    object.insert(
        "log_likelihood".into(),
        serde_json::json!(fit.log_likelihood),
    );
    object.insert("customers".into(), serde_json::json!(fit.customers));
    object.insert("converged".into(), serde_json::json!(fit.converged));
    object.insert("boundaries".into(), serde_json::json!(fit.boundaries));
    object.insert("iterations".into(), serde_json::json!(fit.iterations));
    object.insert("fit_ms".into(), serde_json::json!(fit.fit_ms));
    serde_json::Value::Object(object)
}

fn clv_json(analysis: &ClvAnalysis, holdout: Option<&HoldoutComparison>) -> CliResult<String> {
    let fit = |name: &str| analysis.fits.iter().find(|f| f.model == name);
    let holdout = holdout.map(|h| {
        serde_json::json!({
            "calibration_end": calendar::iso_day(h.calibration_end_day),
            "holdout_end": calendar::iso_day(h.holdout_end_day),
            "models": h.models,
            "actual_purchases": h.actual_holdout_purchases,
            "predicted_purchases": h.predicted_holdout_purchases,
            "mean_absolute_error": h.mean_absolute_error,
            "bucket_mean_absolute_error": h.bucket_mean_absolute_error,
            "by_frequency": h.by_frequency,
            "cumulative": h.cumulative.iter().map(|p| serde_json::json!({
                "date": calendar::iso_day(p.day), "actual": p.actual, "predicted": p.predicted,
            })).collect::<Vec<_>>(),
        })
    });
    let report = ClvKpis::of(analysis);
    let value = serde_json::json!({
        "time_unit": match analysis.settings.time_unit { TimeUnit::Days => "days", TimeUnit::Weeks => "weeks" },
        "scoring_model": analysis.scoring_model().name(),
        "bgnbd": fit_json(fit("BG/NBD")),
        "pareto_nbd": fit_json(fit("Pareto/NBD")),
        "gamma_gamma": fit_json(fit("Gamma-Gamma")),
        "spend_correlation": analysis.gamma_gamma.as_ref().and_then(|g| g.frequency_monetary_correlation()),
        "calibration": {
            "end": calendar::iso_day(analysis.calibration_end_day),
            "customers": analysis.summary.len(),
            "repeat_customers": analysis.repeat_customers,
        },
        "kpis": report,
        "holdout": holdout,
        "warnings": analysis.warnings,
    });
    serde_json::to_string_pretty(&value).map_err(|e| run_error(format!("cannot encode JSON: {e}")))
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
            segscope::i18n::clv_warning_text(segscope::i18n::Lang::En, warning)
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
        "Churn risk: low {}, medium {}, high {}",
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

// ---------------------------------------------------------------------------------------------
// cluster

fn run_cluster(args: &ClusterArgs) -> CliResult<()> {
    let file = &args.input.file;
    let model = match &args.model {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| run_error(format!("cannot read {}: {e}", path.display())))?;
            Some(SegmentationModel::from_json(&text).map_err(|e| cluster_error(path, &e))?)
        }
        None => None,
    };
    let attributes = match &args.attributes {
        Some(path) => {
            let bytes = std::fs::read(path)
                .map_err(|e| run_error(format!("cannot open {}: {e}", path.display())))?;
            Some(
                AttributeTable::parse(&bytes, args.attributes_id.as_deref())
                    .map_err(|e| cluster_error(path, &e))?,
            )
        }
        None => None,
    };
    let preview = preview_file(&args.input)?;
    let params = ingest_params(&preview, &args.input)?;
    let (dataset, _quality) = ingest_file(file, &params)?;
    let rfm = rfm::analyze(&dataset, &RfmParams::default())
        .map_err(|e| run_error(format!("{}: {e}", file.display())))?;
    let started = Instant::now();
    let mut clock = || started.elapsed().as_secs_f64() * 1000.0;
    let features = model
        .as_ref()
        .map_or(&args.settings.features, |m| &m.features);
    let needs_predictions = features.iter().any(|f| {
        matches!(
            f,
            FeatureKey::Behaviour(BehaviourFeature::Clv | BehaviourFeature::ProbabilityAlive)
        )
    });
    let clv = if needs_predictions {
        Some(
            ClvAnalysis::run(&dataset, &ClvSettings::default(), &mut clock)
                .map_err(|e| clv_error(file, &e))?,
        )
    } else {
        None
    };
    let input = ClusterInput {
        dataset: &dataset,
        rfm: &rfm,
        clv: clv.as_ref(),
        attributes: attributes.as_ref(),
    };
    let analysis = match &model {
        Some(model) => ClusterAnalysis::apply(&input, model, &mut clock),
        None => ClusterAnalysis::run(&input, &args.settings, &mut |_, _, _| {}, &mut clock),
    }
    .map_err(|e| cluster_error(file, &e))?;
    if let Some(path) = &args.save_model {
        std::fs::write(path, analysis.model.to_json())
            .map_err(|e| run_error(format!("cannot write {}: {e}", path.display())))?;
    }
    if let Some(path) = &args.out {
        std::fs::write(path, analysis.export_csv(&dataset))
            .map_err(|e| run_error(format!("cannot write {}: {e}", path.display())))?;
    }
    let text = if args.json {
        cluster_json(&analysis)?
    } else {
        cluster_human(&analysis, args)
    };
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    writeln!(stdout, "{text}").map_err(|e| run_error(format!("cannot write output: {e}")))
}

/// A segmentation failure in the page's English wording.
fn cluster_error(file: &Path, e: &segscope::engine::cluster::ClusterError) -> CliError {
    run_error(format!(
        "{}: {}",
        file.display(),
        segscope::i18n::describe_cluster_error(segscope::i18n::Lang::En, e)
    ))
}

fn transform_name(kind: TransformKind) -> &'static str {
    match kind {
        TransformKind::Standardise => "standardise",
        TransformKind::LogStandardise => "log+standardise",
        TransformKind::OneHot => "one-hot",
    }
}

fn cluster_json(analysis: &ClusterAnalysis) -> CliResult<String> {
    let r = &analysis.report;
    let labels: Vec<&str> = r.features.iter().map(|f| f.label.as_str()).collect();
    let by_label = |values: Vec<serde_json::Value>| {
        let map: serde_json::Map<String, serde_json::Value> = labels
            .iter()
            .map(|l| (*l).to_string())
            .zip(values)
            .collect();
        serde_json::Value::Object(map)
    };
    let segments: Vec<serde_json::Value> = r
        .segments
        .iter()
        .map(|s| {
            serde_json::json!({
                "segment": s.segment,
                "name": analysis.segment_name(s.segment),
                "name_traits": s.name_traits,
                "customers": s.customers,
                "share": s.share,
                "revenue": s.revenue,
                "revenue_share": s.revenue_share,
                "tiny": s.tiny,
                "silhouette": s.silhouette,
                "stability": s.stability,
                "centroid_original_units": by_label(s.raw_means.iter().map(|v| serde_json::json!(v)).collect()),
                "index": by_label(s.index.iter().map(|v| serde_json::json!(v)).collect()),
                "distinctive": s.distinctive.iter().filter_map(|j| labels.get(*j)).collect::<Vec<_>>(),
                "top_products": s.top_products,
                "top_regions": s.top_regions,
                "top_channels": s.top_channels,
            })
        })
        .collect();
    let features: Vec<serde_json::Value> = r
        .features
        .iter()
        .map(|f| {
            serde_json::json!({
                "label": f.label,
                "feature": f.key.name(),
                "transform": transform_name(f.transform),
                "skewness": f.skewness,
                "raw_mean": f.raw_mean,
                "raw_median": f.raw_median,
                "imputed": f.imputed,
            })
        })
        .collect();
    let value = serde_json::json!({
        "customers": r.customers,
        "k": r.k,
        "suggested_k": r.sweep.as_ref().map(|s| s.suggested_k),
        "sweep": r.sweep.as_ref().map(|s| &s.points),
        "inertia": r.inertia,
        "silhouette": r.silhouette,
        "silhouette_sample_size": r.silhouette_sample_size,
        "calinski_harabasz": r.calinski_harabasz,
        "stability_ari": r.stability_ari,
        "bootstrap_resamples": r.bootstrap_resamples,
        "iterations": r.iterations,
        "features": features,
        "segments": segments,
        "attributes": r.attributes,
        "warnings": r.warnings,
        "timings_ms": r.timings_ms,
    });
    serde_json::to_string_pretty(&value).map_err(|e| run_error(format!("cannot encode JSON: {e}")))
}

fn cluster_human(analysis: &ClusterAnalysis, args: &ClusterArgs) -> String {
    let r = &analysis.report;
    let n = |v: f64| format::grouped(v, 0, ',');
    let features: Vec<String> = r
        .features
        .iter()
        .map(|f| match f.transform {
            TransformKind::Standardise => f.label.clone(),
            TransformKind::LogStandardise => format!("{} (log)", f.label),
            TransformKind::OneHot => format!("{} (0/1)", f.label),
        })
        .collect();
    let mut lines = vec![
        format!("Customers {}", n(r.customers as f64)),
        format!("Features: {}", features.join(", ")),
    ];
    if let Some(model) = &args.model {
        lines.push(format!(
            "Scored with the saved segmentation {}",
            model.display()
        ));
    }
    if let Some(join) = &r.attributes {
        lines.push(format!(
            "Attributes: {} rows, {} matched, {} not in the transactions{}, {} customers without a row, {} repeated ids",
            n(join.rows as f64),
            n(join.matched as f64),
            n(join.unmatched as f64),
            join.unmatched_examples
                .first()
                .map_or(String::new(), |e| format!(" (e.g. {e})")),
            n(join.customers_without_row as f64),
            n(join.duplicate_ids as f64)
        ));
    }
    if let Some(sweep) = &r.sweep {
        lines.push(String::new());
        lines.push(format!(
            "{:>4}{:>16}{:>12}{:>20}",
            "k", "inertia", "silhouette", "Calinski-Harabasz"
        ));
        for p in &sweep.points {
            lines.push(format!(
                "{:>4}{:>16.2}{:>12.3}{:>20.1}{}",
                p.k,
                p.inertia,
                p.silhouette,
                p.calinski_harabasz,
                if p.k == sweep.suggested_k {
                    "  <- suggested"
                } else {
                    ""
                }
            ));
        }
    }
    lines.push(String::new());
    lines.push(format!(
        "k = {}{}: silhouette {:.3} (sample of {}), Calinski-Harabasz {:.1}{}",
        r.k,
        match (&r.sweep, analysis.settings.k) {
            (Some(_), KChoice::Auto) => " (auto)".to_string(),
            (Some(s), KChoice::Fixed(_)) => format!(" (suggested {})", s.suggested_k),
            (None, _) => String::new(),
        },
        r.silhouette,
        n(r.silhouette_sample_size as f64),
        r.calinski_harabasz,
        r.stability_ari.map_or(String::new(), |a| format!(
            ", stability ARI {a:.2} ({} resamples)",
            r.bootstrap_resamples
        ))
    ));
    lines.push(String::new());
    lines.push(format!(
        "{:>3}  {:<32}{:>11}{:>8}{:>9}{:>11}{:>10}  {}",
        "#", "name", "customers", "share", "revenue", "silhouette", "stability", "key indexes"
    ));
    for s in &r.segments {
        let key: Vec<String> = s
            .distinctive
            .iter()
            .filter_map(|j| {
                let label = r.features.get(*j)?.label.as_str();
                let index = s.index.get(*j).copied().flatten()?;
                Some(format!("{label} {index:.0}"))
            })
            .collect();
        let name = analysis.segment_name(s.segment);
        lines.push(format!(
            "{:>3}  {:<32}{:>11}{:>8}{:>9}{:>11.3}{:>10}  {}{}",
            s.segment,
            if name.is_empty() {
                trait_names_en(&s.name_traits)
            } else {
                name
            },
            n(s.customers as f64),
            format::percent(s.share),
            format::percent(s.revenue_share),
            s.silhouette,
            s.stability.map_or("-".to_string(), |v| format!("{v:.2}")),
            key.join(", "),
            if s.tiny { " (tiny)" } else { "" }
        ));
    }
    for warning in &r.warnings {
        lines.push(format!(
            "warning: {}",
            segscope::i18n::cluster_warning_text(
                segscope::i18n::Lang::En,
                warning,
                analysis.settings.tiny_share
            )
        ));
    }
    if let Some(out) = &args.out {
        lines.push(format!(
            "Wrote {} customers to {}",
            n(r.customers as f64),
            out.display()
        ));
    }
    if let Some(path) = &args.save_model {
        lines.push(format!("Saved the segmentation to {}", path.display()));
    }
    lines.join("\n")
}

// ---------------------------------------------------------------------------------------------
// bench

fn median(times: &mut [Duration]) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

/// Peak resident set size in kB (VmHWM), when /proc is available.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Nanoseconds the current thread has spent on a CPU (Linux `/proc/thread-self/schedstat`), so
/// figures stay meaningful on a busy machine.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace()
        .next()?
        .parse()
        .ok()
        .map(Duration::from_nanos)
}

/// Wall and CPU time of one phase, over all runs.
#[derive(Default)]
struct PhaseTimes {
    wall: Vec<Duration>,
    cpu: Vec<Duration>,
}

impl PhaseTimes {
    fn time<T>(&mut self, phase: impl FnOnce() -> CliResult<T>) -> CliResult<T> {
        let (start, cpu_start) = (Instant::now(), thread_cpu());
        let result = phase()?;
        self.wall.push(start.elapsed());
        if let (Some(before), Some(after)) = (cpu_start, thread_cpu()) {
            self.cpu.push(after.saturating_sub(before));
        }
        Ok(result)
    }

    /// (median wall, median CPU if measured).
    fn medians(&mut self) -> (Duration, Option<Duration>) {
        let cpu = (!self.cpu.is_empty()).then(|| median(&mut self.cpu));
        (median(&mut self.wall), cpu)
    }
}

fn run_bench(args: &BenchArgs) -> CliResult<()> {
    let (mut preview_times, mut ingest_times, mut analyze_times) = (
        PhaseTimes::default(),
        PhaseTimes::default(),
        PhaseTimes::default(),
    );
    let mut rows = (0u64, 0u64, 0u64);
    for _ in 0..args.runs {
        let params = preview_times.time(|| {
            let preview = preview_file(&args.input)?;
            ingest_params(&preview, &args.input)
        })?;
        let (dataset, quality) = ingest_times.time(|| ingest_file(&args.input.file, &params))?;
        let analysis = analyze_times.time(|| {
            rfm::analyze(&dataset, &RfmParams::default()).map_err(|e| run_error(e.to_string()))
        })?;
        rows = (
            quality.rows_read,
            quality.rows_kept,
            analysis.report.kpis.customers,
        );
    }
    let bytes = std::fs::metadata(&args.input.file)
        .map(|m| m.len())
        .unwrap_or(0);
    let phases = [
        ("preview", preview_times.medians(), None),
        ("ingest", ingest_times.medians(), Some(rows.0)),
        ("analyze", analyze_times.medians(), Some(rows.1)),
    ];
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1e3);
    let per_second = |count: u64, time: Duration| {
        format::grouped(count as f64 / time.as_secs_f64().max(1e-9), 0, ',')
    };
    println!(
        "{}: {:.1} MB, {} rows read, {} kept, {} customers scored; median of {} runs",
        args.input.file.display(),
        bytes as f64 / 1e6,
        format::grouped(rows.0 as f64, 0, ','),
        format::grouped(rows.1 as f64, 0, ','),
        format::grouped(rows.2 as f64, 0, ','),
        args.runs
    );
    println!(
        "  {:<8}{:>12}{:>16}{:>12}",
        "phase", "wall", "rows/s (wall)", "thread CPU"
    );
    let (mut total_wall, mut total_cpu) = (Duration::ZERO, Some(Duration::ZERO));
    for (name, (wall, cpu), count) in phases {
        total_wall += wall;
        total_cpu = total_cpu.zip(cpu).map(|(a, b)| a + b);
        println!(
            "  {name:<8}{:>12}{:>16}{:>12}",
            ms(wall),
            count.map_or(String::new(), |n| per_second(n, wall)),
            cpu.map_or("–".to_string(), ms)
        );
    }
    println!(
        "  {:<8}{:>12}{:>16}{:>12}",
        "total",
        ms(total_wall),
        per_second(rows.0, total_wall),
        total_cpu.map_or("–".to_string(), ms)
    );
    println!(
        "  ingest throughput {:.1} MB/s",
        bytes as f64 / 1e6 / ingest_times.medians().0.as_secs_f64().max(1e-9)
    );
    match peak_rss_kb() {
        Some(kb) => println!("  peak RSS {:.1} MB (VmHWM)", kb as f64 / 1024.0),
        None => println!("  peak RSS unavailable (no /proc/self/status)"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn parses_rfm_options() {
        let command = parse_command(&args(&[
            "rfm",
            "t.csv",
            "--as-of=2024-03-05",
            "--column",
            "amount=实付金额",
            "--delimiter",
            "tab",
            "--date-order",
            "dmy",
            "--remove-duplicates",
            "--cap-outliers",
            "--out",
            "c.csv",
            "--json",
        ]))
        .unwrap();
        let Command::Rfm(a) = command else {
            panic!("rfm expected")
        };
        assert_eq!(a.input.file, PathBuf::from("t.csv"));
        assert_eq!(a.as_of_day, calendar::day_from_ymd(2024, 3, 5));
        assert_eq!(
            a.input.columns,
            vec![(ColumnRole::Amount, "实付金额".to_string())]
        );
        assert_eq!(a.input.delimiter, Some(b'\t'));
        assert_eq!(a.input.date_order, Some(DateOrder::Dmy));
        assert_eq!(a.remove_duplicates, Some(true));
        assert!(a.cap_outliers && a.json);
        assert_eq!(a.out, Some(PathBuf::from("c.csv")));
    }

    #[test]
    fn usage_errors_are_reported() {
        let bad = [
            &["rfm"][..],
            &["rfm", "a.csv", "b.csv"],
            &["rfm", "a.csv", "--as-of", "2024-13-01"],
            &["rfm", "a.csv", "--column", "colour=x"],
            &["rfm", "a.csv", "--column", "amount"],
            &["rfm", "a.csv", "--keep-duplicates", "--remove-duplicates"],
            &["rfm", "a.csv", "--delimiter", ";;"],
            &["rfm", "a.csv", "--json=yes"],
            &["rfm", "a.csv", "--out"],
            &["bench", "a.csv", "--runs", "0"],
            &["frobnicate"],
            &[],
        ];
        for list in bad {
            assert!(
                matches!(parse_command(&args(list)), Err(CliError::Usage(_))),
                "{list:?}"
            );
        }
    }
}
