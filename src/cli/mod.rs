//! The native command line (`segscope`, native only): the browser app's engine over a file on
//! disk, for batch use and benchmarks.
//!
//! `segscope rfm FILE` previews the head of the file (encoding, delimiter, header, column roles,
//! date order), applies the command-line overrides, streams the file through the ingest and runs
//! the RFM analysis, all through the engine `Session` as the page's worker does
//! (`session.rs`'s `CliSession`). `segscope clv FILE` scores predictions; `segscope cluster FILE` finds k-means
//! segments (or scores FILE with a saved one). `segscope bench FILE` times the same phases.
//!
//! One file per subcommand, each with its clap arguments and its `Serialize` JSON output types;
//! this file holds what they share: the top-level parser, reading and previewing the file, the
//! column overrides, and the errors with their exit codes (0 success, 1 the file or the analysis
//! failed, 2 bad command line). Scripts depend on every flag, JSON key, message and exit status,
//! so the parser keeps the hand-written one's behaviour: clap's errors are reworded into the same
//! one-line messages, and the help texts are the same hand-written ones
//! (`tests/cli.rs`, `scripts/cli-corpus.py`).

mod baskets;
mod bench;
mod cluster;
mod clv;
mod cohorts;
mod due;
mod experiment;
mod forecast;
mod rfm;
mod sendtime;
mod session;
mod sql;
mod summarize;
mod summarize_stream;
mod tiers;

use std::ffi::OsString;
use std::fmt::Display;
use std::io::Write as _;
use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;

use clap::builder::{OsStringValueParser, TypedValueParser as _};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Args, Parser, Subcommand};

use crate::engine::calendar;
use crate::engine::ingest::{
    ColumnRole, DateOrder, GuessNote, IngestParams, Preview, TextEncoding,
};
use crate::engine::summary::SummaryLayout;
use crate::engine::Day;

const MAIN_HELP: &str = "\
segscope — private customer analytics (RFM segments, Pareto) on a transactions CSV

Usage:
  segscope rfm FILE [options]      score customers and print a summary, JSON or a customer CSV
  segscope clv FILE --calibration-end YYYY-MM-DD [options]
                                   fit BG/NBD (or Pareto/NBD) and Gamma-Gamma; score CLV and churn
  segscope cluster FILE --k N|auto [options]
                                   k-means segments with profiles and automatic names
  segscope baskets FILE [options]  association rules: what sells together
  segscope recommend FILE [options]
                                   cross-sell: the next items for each customer (--evaluate)
  segscope regions FILE [options]  what each region (or channel) prefers
  segscope cohorts FILE [options]  cohorts by first purchase: activity and revenue by period
  segscope due FILE [options]      repurchase cycles per item, and who is due to buy again
  segscope sendtime FILE [options] each customer's best weekday and hour to send a message
  segscope tiers FILE [options]    membership tiers on trailing spend, and who moved up or down
  segscope forecast FILE [options] revenue and orders ahead (ETS) with intervals and a backtest
  segscope experiment FILE [options]
                                   a campaign's A/B test: lift, CI, p-value, chance to win, CUPED
  segscope response FILE [options] whom to target next: response and uplift models, target list
  segscope power [options]         sample size per variation for an A/B test
  segscope summarize FILE --out summary.csv
                                   one row per customer (frequency, recency, T, monetary_value,
                                   orders, revenue, first/last order): for the page, rfm, clv,
                                   cluster, or data too big for a browser tab
  segscope sql --dialect D --table NAME [options]
                                   the per-customer summary as SQL for a warehouse table
  segscope bench FILE [options]    time preview, ingest and analysis on FILE
  segscope --help                  this help (also: segscope rfm --help, segscope bench --help)
  segscope --version               print the version

Exit status: 0 success, 1 the file or the analysis failed, 2 bad command line.";

/// The subcommands, as the first argument names them.
const SUBCOMMANDS: [&str; 17] = [
    "rfm",
    "clv",
    "cluster",
    "baskets",
    "recommend",
    "regions",
    "cohorts",
    "due",
    "sendtime",
    "tiers",
    "forecast",
    "experiment",
    "response",
    "power",
    "summarize",
    "sql",
    "bench",
];

/// The whole command line.
#[derive(Debug, Parser)]
#[command(
    name = "segscope",
    version,
    override_help = MAIN_HELP,
    disable_help_subcommand = true
)]
struct Cli {
    #[command(subcommand)]
    task: Option<Task>,
}

/// One subcommand with its arguments.
#[derive(Debug, Subcommand)]
enum Task {
    #[command(override_help = rfm::HELP, args_override_self = true)]
    Rfm(rfm::RfmArgs),
    #[command(override_help = clv::HELP, args_override_self = true)]
    Clv(clv::ClvArgs),
    #[command(override_help = cluster::HELP, args_override_self = true)]
    Cluster(cluster::ClusterArgs),
    #[command(override_help = baskets::HELP, args_override_self = true)]
    Baskets(baskets::BasketsArgs),
    #[command(override_help = baskets::RECOMMEND_HELP, args_override_self = true)]
    Recommend(baskets::RecommendArgs),
    #[command(override_help = baskets::REGIONS_HELP, args_override_self = true)]
    Regions(baskets::RegionsArgs),
    #[command(override_help = cohorts::HELP, args_override_self = true)]
    Cohorts(cohorts::CohortsArgs),
    #[command(override_help = due::HELP, args_override_self = true)]
    Due(due::DueArgs),
    #[command(override_help = tiers::HELP, args_override_self = true)]
    Tiers(tiers::TiersArgs),
    #[command(override_help = sendtime::HELP, args_override_self = true)]
    Sendtime(sendtime::SendTimeArgs),
    #[command(override_help = forecast::HELP, args_override_self = true)]
    Forecast(forecast::ForecastArgs),
    #[command(override_help = experiment::HELP, args_override_self = true)]
    Experiment(experiment::ExperimentArgs),
    #[command(override_help = experiment::RESPONSE_HELP, args_override_self = true)]
    Response(experiment::ExperimentArgs),
    #[command(override_help = experiment::POWER_HELP, args_override_self = true)]
    Power(experiment::PowerArgs),
    #[command(override_help = summarize::HELP, args_override_self = true)]
    Summarize(summarize::SummarizeArgs),
    #[command(override_help = sql::HELP, args_override_self = true)]
    Sql(sql::SqlArgs),
    #[command(override_help = bench::HELP, args_override_self = true)]
    Bench(bench::BenchArgs),
    /// `segscope help [anything]`: the main help, as `segscope --help`.
    #[command(hide = true, disable_help_flag = true)]
    Help {
        #[arg(num_args = 0.., allow_hyphen_values = true, trailing_var_arg = true)]
        ignored: Vec<OsString>,
    },
}

/// What a command line asks for.
#[derive(Debug)]
pub enum Invocation {
    /// Print this text (help or version) on stdout and exit 0.
    Print(String),
    /// Run a subcommand (boxed: the arguments are large next to a string).
    Run(Box<Command>),
}

/// A parsed subcommand, ready to run.
#[derive(Debug)]
pub struct Command(Task);

impl Command {
    /// Runs the subcommand: reads the file, analyses it, prints or writes the results.
    pub fn run(&self) -> CliResult<()> {
        match &self.0 {
            Task::Rfm(args) => args.run(),
            Task::Clv(args) => args.run(),
            Task::Cluster(args) => args.run(),
            Task::Baskets(args) => args.run(),
            Task::Recommend(args) => args.run(),
            Task::Regions(args) => args.run(),
            Task::Cohorts(args) => args.run(),
            Task::Due(args) => args.run(),
            Task::Tiers(args) => args.run(),
            Task::Sendtime(args) => args.run(),
            Task::Forecast(args) => args.run(),
            Task::Experiment(args) => args.run(),
            Task::Response(args) => args.run_response(),
            Task::Power(args) => args.run(),
            Task::Summarize(args) => args.run(),
            Task::Sql(args) => args.run(),
            Task::Bench(args) => args.run(),
            Task::Help { .. } => print(&format!("{MAIN_HELP}\n")),
        }
    }
}

/// A failure, with the exit code it maps to.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad command line: exit 2.
    #[error("segscope: {0} (see segscope --help)")]
    Usage(String),
    /// The file or the analysis failed: exit 1.
    #[error("segscope: error: {0}")]
    Run(String),
}

impl CliError {
    /// 2 for a bad command line, 1 when the file or the analysis failed.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Self::Usage(_) => ExitCode::from(2),
            Self::Run(_) => ExitCode::from(1),
        }
    }
}

/// The CLI's result type.
pub type CliResult<T> = Result<T, CliError>;

fn usage(message: impl Into<String>) -> CliError {
    CliError::Usage(message.into())
}

fn run_error(message: impl Into<String>) -> CliError {
    CliError::Run(message.into())
}

/// Parses a command line (`args` starts with the program name, as `std::env::args_os`).
pub fn parse<I, T>(args: I) -> CliResult<Invocation>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    match Cli::try_parse_from(&args) {
        Ok(Cli { task: None }) => Err(usage("missing command: rfm, clv, cluster or bench")),
        Ok(Cli {
            task: Some(Task::Help { .. }),
        }) => Ok(Invocation::Print(format!("{MAIN_HELP}\n"))),
        Ok(Cli { task: Some(task) }) => Ok(Invocation::Run(Box::new(Command(task)))),
        Err(error) => reword(&error, args.get(1)).map(Invocation::Print),
    }
}

/// Writes help or version text to stdout as is.
pub fn print(text: &str) -> CliResult<()> {
    let stdout = std::io::stdout();
    let mut stdout = stdout.lock();
    stdout
        .write_all(text.as_bytes())
        .map_err(|e| run_error(format!("cannot write output: {e}")))
}

/// Writes one result (a summary or JSON) to stdout, followed by a newline.
/// Writes an export to `path`: an Excel workbook when the path ends in `.xlsx` (any case), else
/// CSV (without a byte-order mark, as the CLI always wrote). `sheet` names the workbook's sheet.
fn write_export(
    path: &std::path::Path,
    sheet: &str,
    write: impl FnOnce(&mut dyn crate::engine::table_out::TableSink) -> u64,
) -> CliResult<()> {
    use crate::engine::table_out::{CsvSink, XLSX_MAX_ROWS};
    let failed = |e: &dyn Display| run_error(format!("cannot write {}: {e}", path.display()));
    let is_xlsx = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if is_xlsx {
        let mut sink = (crate::xlsx::NEW_SHEET)(sheet);
        let rows = write(sink.as_mut());
        if rows >= XLSX_MAX_ROWS {
            return Err(failed(&format!(
                "{rows} rows do not fit in one Excel sheet (1,048,575 at most); write a .csv instead"
            )));
        }
        let bytes = sink.finish().map_err(|e| failed(&e))?;
        std::fs::write(path, bytes).map_err(|e| failed(&e))
    } else {
        // Streamed into the file through a buffer, not built in memory first.
        let file = std::fs::File::create(path).map_err(|e| failed(&e))?;
        let mut sink = CsvSink::to_writer(std::io::BufWriter::with_capacity(1 << 16, file));
        write(&mut sink);
        let mut file = sink.into_writer().map_err(|e| failed(&e))?;
        std::io::Write::flush(&mut file).map_err(|e| failed(&e))
    }
}

/// [`write_export`] of a table whose rows can be written in parts: `write(sink, rows, header)`
/// writes the rows `rows` of `total`, after the header when `header`. A CSV of many rows is
/// written in two halves at once when there are two threads: the second half is formatted into
/// memory on another thread while the first goes to the file, then follows it (the same bytes
/// as in one go).
fn write_export_in_parts(
    path: &std::path::Path,
    sheet: &str,
    total: usize,
    write: impl Fn(&mut dyn crate::engine::table_out::TableSink, std::ops::Range<usize>, bool) -> u64
        + Sync,
) -> CliResult<()> {
    use crate::engine::table_out::CsvSink;
    /// Fewer rows are written in one go (a thread costs more than it saves).
    const MIN_ROWS_IN_PARTS: usize = 20_000;
    let is_csv = !path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !is_csv || total < MIN_ROWS_IN_PARTS || session::threads() < 2 {
        return write_export(path, sheet, |sink| write(sink, 0..total, true));
    }
    let failed = |e: &dyn Display| run_error(format!("cannot write {}: {e}", path.display()));
    let middle = total / 2;
    let file = std::fs::File::create(path).map_err(|e| failed(&e))?;
    let mut sink = CsvSink::to_writer(std::io::BufWriter::with_capacity(1 << 16, file));
    let (_, second) = crate::engine::parallel::join(
        || write(&mut sink, 0..middle, true),
        || {
            let mut part = CsvSink::new(total - middle);
            write(&mut part, middle..total, false);
            part.take_bytes()
        },
    );
    let mut file = sink.into_writer().map_err(|e| failed(&e))?;
    file.write_all(&second).map_err(|e| failed(&e))?;
    file.flush().map_err(|e| failed(&e))
}

fn print_line(text: &str) -> CliResult<()> {
    print(&format!("{text}\n"))
}

/// Pretty JSON of an output type. It goes through `serde_json::Value`, whose map (serde_json
/// without `preserve_order`) sorts keys at every level, as the hand-built `json!` output did:
/// the bytes stay the same for scripts that diff them. Non-finite numbers become `null`.
fn to_json(output: &impl serde::Serialize) -> CliResult<String> {
    serde_json::to_value(output)
        .and_then(|value| serde_json::to_string_pretty(&value))
        .map_err(|e| run_error(format!("cannot encode JSON: {e}")))
}

/// A clap error in the CLI's words: help and version become text to print; everything else one
/// usage line, worded as the hand-written parser did. `first` is the argument after the program.
fn reword(error: &clap::Error, first: Option<&OsString>) -> CliResult<String> {
    if matches!(
        error.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        return Ok(error.render().to_string());
    }
    let first = first.map(|a| a.to_string_lossy().into_owned());
    let Some(command) = first.as_deref().filter(|c| SUBCOMMANDS.contains(c)) else {
        let other = first.unwrap_or_default();
        return Err(usage(format!(
            "unknown command '{other}': expected rfm, clv, cluster, baskets, recommend, regions, cohorts, due, sendtime, tiers, forecast, experiment, response, power, summarize, sql or bench"
        )));
    };
    let strings = |kind| match error.get(kind) {
        Some(ContextValue::String(s)) => vec![s.as_str()],
        Some(ContextValue::Strings(v)) => v.iter().map(String::as_str).collect(),
        _ => Vec::new(),
    };
    // "--out <PATH>" → "--out"; "--json=yes" → "--json".
    let flag = |arg: &str| arg.split([' ', '=']).next().unwrap_or(arg).to_string();
    let invalid = strings(ContextKind::InvalidArg);
    let arg = invalid.first().copied().unwrap_or_default();
    // `--help=x` showed the help, as `--help` (the hand-written parser dropped the value).
    if error.kind() == ErrorKind::TooManyValues && flag(arg) == "--help" {
        let help = match command {
            "clv" => clv::HELP,
            "cluster" => cluster::HELP,
            "baskets" => baskets::HELP,
            "recommend" => baskets::RECOMMEND_HELP,
            "regions" => baskets::REGIONS_HELP,
            "cohorts" => cohorts::HELP,
            "due" => due::HELP,
            "tiers" => tiers::HELP,
            "sendtime" => sendtime::HELP,
            "forecast" => forecast::HELP,
            "experiment" => experiment::HELP,
            "response" => experiment::RESPONSE_HELP,
            "power" => experiment::POWER_HELP,
            "sql" => sql::HELP,
            "bench" => bench::HELP,
            _ => rfm::HELP,
        };
        return Ok(format!("{help}\n"));
    }
    if invalid.iter().any(|a| a.starts_with("<FILE>")) {
        return Err(usage(format!("{command} needs a FILE")));
    }
    let message = match error.kind() {
        // "--calibration-end <YYYY-MM-DD>" → "clv needs --calibration-end YYYY-MM-DD".
        ErrorKind::MissingRequiredArgument => {
            format!("{command} needs {}", arg.replace(['<', '>'], ""))
        }
        // A lone "-" is a file name, as before.
        ErrorKind::UnknownArgument if arg.starts_with('-') && arg != "-" => {
            format!("unknown option '{}' for {command}", flag(arg))
        }
        ErrorKind::UnknownArgument => format!("unexpected argument '{arg}': only one FILE"),
        ErrorKind::InvalidValue => format!("{} needs a value", flag(arg)),
        ErrorKind::TooManyValues | ErrorKind::NoEquals => format!("{} takes no value", flag(arg)),
        ErrorKind::ArgumentConflict => {
            // In a fixed order, whichever came first (--keep-duplicates, --remove-duplicates).
            let prior = strings(ContextKind::PriorArg).concat();
            let mut both = [flag(arg), flag(&prior)];
            both.sort();
            let [first, second] = both;
            format!("{first} and {second} exclude each other")
        }
        _ => match std::error::Error::source(error) {
            // The CLI's own value checks (BadValue) carry the whole message.
            Some(source) => source.to_string(),
            None => {
                let rendered = error.render().to_string();
                let line = rendered.lines().next().unwrap_or_default();
                line.trim_start_matches("error: ").to_string()
            }
        },
    };
    Err(usage(message))
}

// ---------------------------------------------------------------------------------------------
// Values

/// A command-line value the CLI cannot use, worded as the usage line shows it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
struct BadValue(String);

/// A path, empty allowed (opening it then fails like any missing file, as before).
fn path() -> impl clap::builder::TypedValueParser<Value = PathBuf> {
    OsStringValueParser::new().map(PathBuf::from)
}

/// FILE: a path, not empty.
fn file_path() -> impl clap::builder::TypedValueParser<Value = PathBuf> {
    OsStringValueParser::new().try_map(|text| match text.is_empty() {
        true => Err(BadValue("FILE is empty".into())),
        false => Ok(PathBuf::from(text)),
    })
}

/// A day as YYYY-MM-DD.
fn day(flag: &'static str) -> impl Fn(&str) -> Result<Day, BadValue> + Clone + Send + Sync {
    move |text| {
        calendar::parse_iso_day(text)
            .ok_or_else(|| BadValue(format!("{flag} expects YYYY-MM-DD, got '{text}'")))
    }
}

/// A number within `range`.
fn number<T>(
    flag: &'static str,
    range: RangeInclusive<T>,
) -> impl Fn(&str) -> Result<T, BadValue> + Clone + Send + Sync
where
    T: FromStr + PartialOrd + Display + Clone + Send + Sync,
{
    move |text| {
        text.parse::<T>()
            .ok()
            .filter(|v| range.contains(v))
            .ok_or_else(|| {
                BadValue(format!(
                    "{flag} expects a number from {} to {}, got '{text}'",
                    range.start(),
                    range.end()
                ))
            })
    }
}

// ---------------------------------------------------------------------------------------------
// Input

/// `--column ROLE=HEADER`: HEADER as in the file; empty unmaps the role.
#[derive(Debug, Clone, PartialEq)]
struct ColumnOverride {
    role: ColumnRole,
    header: String,
}

fn column_override(spec: &str) -> Result<ColumnOverride, BadValue> {
    let Some((role, header)) = spec.split_once('=') else {
        return Err(BadValue(format!(
            "--column expects ROLE=HEADER, got '{spec}'"
        )));
    };
    let role = ColumnRole::from_name(role).ok_or_else(|| {
        let roles: Vec<&str> = ColumnRole::ALL.iter().map(|r| r.name()).collect();
        BadValue(format!(
            "unknown role '{role}' in --column; roles: {}",
            roles.join(", ")
        ))
    })?;
    Ok(ColumnOverride {
        role,
        header: header.to_string(),
    })
}

fn encoding(name: &str) -> Result<TextEncoding, BadValue> {
    TextEncoding::from_name(name).ok_or_else(|| {
        BadValue(format!(
            "unknown encoding '{name}': use utf-8, utf-16le, utf-16be, gb18030 or windows-1252"
        ))
    })
}

fn delimiter(text: &str) -> Result<u8, BadValue> {
    match (text, text.as_bytes()) {
        ("tab" | "\\t" | "\t", _) => Ok(b'\t'),
        (_, &[byte]) if byte.is_ascii() => Ok(byte),
        _ => Err(BadValue(format!(
            "--delimiter expects one ASCII character or tab, got '{text}'"
        ))),
    }
}

fn date_order(text: &str) -> Result<DateOrder, BadValue> {
    match text.to_ascii_lowercase().as_str() {
        "ymd" => Ok(DateOrder::Ymd),
        "dmy" => Ok(DateOrder::Dmy),
        "mdy" => Ok(DateOrder::Mdy),
        _ => Err(BadValue(format!(
            "--date-order expects ymd, dmy or mdy, got '{text}'"
        ))),
    }
}

/// What to read and how to override the detection (every subcommand takes these).
#[derive(Debug, Clone, Args)]
struct InputArgs {
    /// The transactions file: CSV/TSV text, or an Excel (.xlsx, .xls) or OpenDocument (.ods)
    /// workbook.
    #[arg(value_name = "FILE", value_parser = file_path())]
    file: PathBuf,
    /// `--sheet NAME`: the workbook sheet to read; default: the sheet with the most rows.
    #[arg(long, value_name = "NAME", allow_hyphen_values = true)]
    sheet: Option<String>,
    /// `--column ROLE=HEADER`, repeatable.
    #[arg(long = "column", value_name = "ROLE=HEADER", allow_hyphen_values = true, value_parser = column_override)]
    columns: Vec<ColumnOverride>,
    /// `--encoding NAME`; default: detect.
    #[arg(long, value_name = "NAME", allow_hyphen_values = true, value_parser = encoding)]
    encoding: Option<TextEncoding>,
    /// `--delimiter C`; default: detect.
    #[arg(long, value_name = "C", allow_hyphen_values = true, value_parser = delimiter)]
    delimiter: Option<u8>,
    /// `--date-order ymd|dmy|mdy`; default: detect.
    #[arg(long, value_name = "ORDER", allow_hyphen_values = true, value_parser = date_order)]
    date_order: Option<DateOrder>,
    /// `--keep-far-dates`: keep lines dated far from the file's other dates (default: drop and
    /// list them).
    #[arg(long)]
    keep_far_dates: bool,
    /// `--summary-as-of YYYY-MM-DD`: for a per-customer summary file, the day its T is counted
    /// to (default: first_order + T).
    #[arg(long = "summary-as-of", value_name = "YYYY-MM-DD", allow_hyphen_values = true, value_parser = day("--summary-as-of"))]
    summary_as_of: Option<Day>,
    /// `--summary-unit days|weeks`: the unit of a summary file's recency and T (default: guess).
    #[arg(long = "summary-unit", value_name = "UNIT", value_parser = clv::time_unit)]
    summary_unit: Option<crate::engine::clv::TimeUnit>,
    /// `--transactions`: read the file as transactions even when its header looks like a
    /// per-customer summary's.
    #[arg(long)]
    transactions: bool,
}

impl InputArgs {
    /// The summary layout to read the file with: the preview's detection with the command-line
    /// overrides, `None` for transactions.
    fn summary_layout(&self, preview: &Preview) -> Option<SummaryLayout> {
        let mut layout = preview.summary.clone().filter(|_| !self.transactions)?;
        if let Some(unit) = self.summary_unit {
            layout.time_unit = unit;
            layout.time_unit_guessed = false;
        }
        layout.as_of_day = self.summary_as_of;
        Some(layout)
    }

    /// The preview's detections with the command-line overrides applied.
    fn ingest_params(&self, preview: &Preview) -> CliResult<IngestParams> {
        let mut mapping = preview.mapping.clone();
        for ColumnOverride { role, header } in &self.columns {
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
                let explicit = self.columns.iter().any(|c| c.role == other);
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
                self.file.display(),
                role.name(),
                role.name(),
                preview.columns.join(", ")
            )));
        }
        let chosen = |role: ColumnRole| self.columns.iter().any(|c| c.role == role);
        let name = |c: usize| preview.columns.get(c).map_or("?", String::as_str);
        for note in &preview.notes {
            match note {
                GuessNote::AmountLooksLikeQuantity {
                    quantity_column,
                    amount_column,
                } if !chosen(ColumnRole::Amount) => eprintln!(
                    "segscope: note: \"{}\" holds small whole numbers (a quantity); \"{}\" looks \
                     like money and is taken as the amount (choose with --column amount=HEADER)",
                    name(*quantity_column),
                    name(*amount_column)
                ),
                GuessNote::GuestIdsUseEmail {
                    id_column,
                    email_column,
                } if !chosen(ColumnRole::CustomerId) => eprintln!(
                    "segscope: note: \"{}\" holds a placeholder such as 0 for some customers (guest \
                     checkouts); \"{}\" holds an email on every line and is taken as the customer \
                     id (choose with --column customer_id=HEADER)",
                    name(*id_column),
                    name(*email_column)
                ),
                _ => {}
            }
        }
        let date_order = match self.date_order {
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
            keep_far_dates: self.keep_far_dates,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_args(list: &[&str]) -> CliResult<Invocation> {
        parse(std::iter::once("segscope").chain(list.iter().copied()))
    }

    #[test]
    fn parses_rfm_options() {
        let Ok(Invocation::Run(command)) = parse_args(&[
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
        ]) else {
            panic!("a command expected")
        };
        let Command(Task::Rfm(a)) = *command else {
            panic!("rfm expected")
        };
        assert_eq!(a.input.file, PathBuf::from("t.csv"));
        assert_eq!(a.as_of_day, calendar::day_from_ymd(2024, 3, 5));
        assert_eq!(
            a.input.columns,
            vec![ColumnOverride {
                role: ColumnRole::Amount,
                header: "实付金额".to_string()
            }]
        );
        assert_eq!(a.input.delimiter, Some(b'\t'));
        assert_eq!(a.input.date_order, Some(DateOrder::Dmy));
        assert_eq!(a.remove_duplicates(), Some(true));
        assert!(a.cap_outliers && a.json);
        assert_eq!(a.out, Some(PathBuf::from("c.csv")));
    }

    #[test]
    fn usage_errors_are_reported() {
        let bad = [
            &["rfm"][..],
            &["rfm", ""],
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
                matches!(parse_args(list), Err(CliError::Usage(_))),
                "{list:?}"
            );
        }
    }

    #[test]
    fn json_sorts_keys_and_prints_non_finite_numbers_as_null() {
        #[derive(serde::Serialize)]
        struct Output {
            zeta: f64,
            alpha: f64,
            mid: Option<f64>,
            ratio: f64,
        }
        let output = Output {
            zeta: f64::NAN,
            alpha: f64::INFINITY,
            mid: Some(1.5),
            ratio: 0.1 + 0.2,
        };
        assert_eq!(
            to_json(&output).unwrap(),
            "{\n  \"alpha\": null,\n  \"mid\": 1.5,\n  \"ratio\": 0.30000000000000004,\n  \"zeta\": null\n}"
        );
    }

    #[test]
    fn help_and_version_are_text_to_print() {
        for list in [&["--help"][..], &["help", "x"], &["rfm", "-h"], &["-V"]] {
            assert!(
                matches!(parse_args(list), Ok(Invocation::Print(_))),
                "{list:?}"
            );
        }
    }
}
