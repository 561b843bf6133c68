//! `segscope bench`: times preview, ingest and analysis on a file.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use clap::Args;

use super::session::CliSession;
use super::{BadValue, CliResult, InputArgs};
use crate::engine::rfm::RfmParams;
use crate::engine::session::Stage;
use crate::format;

pub(super) const HELP: &str = "\
segscope bench — time preview, ingest and analysis

Usage: segscope bench FILE [--runs N] [input options of segscope rfm]

Runs preview + ingest + analysis N times (default 5), through the same engine session as the
page and `segscope rfm`, and prints the median time of each phase,
rows per second, and the peak resident memory of the process (VmHWM from /proc/self/status).

Options:
  --runs N                 number of runs (1..=1000, default 5)
  --sheet NAME, --column ROLE=HEADER, --encoding NAME, --delimiter C,
  --date-order ORDER, --keep-far-dates
                           as for segscope rfm
  -h, --help               this help";

fn runs(text: &str) -> Result<usize, BadValue> {
    text.parse()
        .ok()
        .filter(|n| (1..=1000).contains(n))
        .ok_or_else(|| BadValue(format!("--runs expects a number 1..=1000, got '{text}'")))
}

/// `segscope bench FILE [--runs N] [input options]`.
#[derive(Debug, Args)]
pub(super) struct BenchArgs {
    #[command(flatten)]
    input: InputArgs,
    /// `--runs N`: how many times to run every phase.
    #[arg(long, value_name = "N", default_value = "5", allow_hyphen_values = true, value_parser = runs)]
    runs: usize,
}

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

/// A moment: wall clock and thread CPU (when measured).
type Mark = (Instant, Option<Duration>);

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

impl BenchArgs {
    pub(super) fn run(&self) -> CliResult<()> {
        let (input, runs) = (&self.input, self.runs);
        let (mut preview_times, mut ingest_times, mut analyze_times) = (
            PhaseTimes::default(),
            PhaseTimes::default(),
            PhaseTimes::default(),
        );
        let mut rows = (0u64, 0u64, 0u64);
        for _ in 0..runs {
            // Through the engine Session, as `rfm` and the page run it: Open (the preview), then
            // Ingest, whose analysis part starts when the session enters Stage::Scoring.
            let (mut cli, params) = preview_times.time(|| {
                let (cli, preview) = CliSession::open(input)?;
                let params = input.ingest_params(&preview)?;
                Ok((cli, params))
            })?;
            let scoring: Rc<Cell<Option<Mark>>> = Rc::default();
            let mark = Rc::clone(&scoring);
            cli.on_stage(move |stage| {
                if stage == Stage::Scoring && mark.get().is_none() {
                    mark.set(Some((Instant::now(), thread_cpu())));
                }
            });
            let (start, cpu_start) = (Instant::now(), thread_cpu());
            let quality = cli.ingest(params, RfmParams::default(), None)??;
            let (end, cpu_end) = (Instant::now(), thread_cpu());
            let (middle, cpu_middle) = scoring.get().unwrap_or((end, cpu_end));
            ingest_times.wall.push(middle.duration_since(start));
            analyze_times.wall.push(end.duration_since(middle));
            if let (Some(a), Some(b), Some(c)) = (cpu_start, cpu_middle, cpu_end) {
                ingest_times.cpu.push(b.saturating_sub(a));
                analyze_times.cpu.push(c.saturating_sub(b));
            }
            let customers = cli
                .session()
                .analysis()
                .map_or(0, |a| a.report.kpis.customers);
            rows = (quality.rows_read, quality.rows_kept, customers);
        }
        let bytes = std::fs::metadata(&input.file).map(|m| m.len()).unwrap_or(0);
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
            input.file.display(),
            bytes as f64 / 1e6,
            format::grouped(rows.0 as f64, 0, ','),
            format::grouped(rows.1 as f64, 0, ','),
            format::grouped(rows.2 as f64, 0, ','),
            runs
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
}
