//! Warehouse SQL against `segscope summarize`: the query `segscope sql` prints, run on DuckDB
//! (the table as text, and typed by DuckDB's CSV detection), on Spark (pyspark, `local[2]`) and,
//! when `initdb` is on the PATH, on a throwaway PostgreSQL server, must give the summary
//! `segscope summarize` writes for the same file, row for row: ids as text, integers exact,
//! revenue and monetary_value to the cent, recency and T to 1e-9, dates as text.
//!
//! Data: tests/fixtures/warehouse/edge_cases.csv (every edge case of the definition, with headers
//! that need quoting; its summary computed by hand in edge_cases.expected.csv) and the CLV
//! generator's files (tests/fixtures/clv/gen_transactions.py) with 1,000 customers (~10k lines)
//! and 100,000 customers (~1M lines). BigQuery, Snowflake and Postgres texts are also checked
//! with sqlglot (tests/warehouse/check_dialects.py).
//!
//! Needs Python 3 with numpy, pandas, duckdb, pyspark (Java 17) and sqlglot: `./test` installs
//! them into `target/pyenv` (scripts/ensure-tools test) and runs
//! `SEGSCOPE_PYTHON=target/pyenv/bin/python cargo test --test warehouse_sql -- --ignored`.
//! Timings are printed (`--nocapture`).
#![cfg(not(target_arch = "wasm32"))] // runs Python processes

// Helpers outside #[test] functions are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const RUN_SQL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/warehouse/run_sql.py");
const CHECK_DIALECTS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/warehouse/check_dialects.py"
);
const GENERATOR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/clv/gen_transactions.py"
);
const EDGE_CASES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/warehouse/edge_cases.csv"
);
const EDGE_CASES_EXPECTED: &str = include_str!("fixtures/warehouse/edge_cases.expected.csv");

/// The summary's columns, in order.
const COLUMNS: [&str; 9] = [
    "customer_id",
    "frequency",
    "recency",
    "T",
    "monetary_value",
    "orders",
    "revenue",
    "first_order",
    "last_order",
];

/// The edge-case file's column mapping (its headers are not the role names).
const EDGE_COLUMNS: [&str; 4] = [
    "customer_id=客户 ID",
    "order_id=order \"no\"",
    "date=下单日期",
    "amount=金额 (¥)",
];

fn python() -> String {
    std::env::var("SEGSCOPE_PYTHON").unwrap_or_else(|_| "python3".to_string())
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `segscope args…`; panics with its stderr unless it succeeds; returns its stdout.
fn segscope(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_segscope"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "segscope {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Runs `python script args…`, panicking with its stderr on failure; returns its stderr (the
/// scripts' timing lines).
fn run_python(script: &str, args: &[&str]) -> String {
    let python = python();
    let output = Command::new(&python)
        .arg(script)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python} (set SEGSCOPE_PYTHON): {e}"));
    assert!(
        output.status.success(),
        "{python} {script} {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// One summary setting, as both commands spell it.
#[derive(Debug, Clone, Copy, Default)]
struct Settings {
    as_of: Option<&'static str>,
    weeks: bool,
    /// `Some(true)`: remove exact duplicates; `Some(false)`: keep; `None`: the default.
    remove_duplicates: Option<bool>,
}

impl Settings {
    fn sql_args(self) -> Vec<&'static str> {
        let mut args = Vec::new();
        if let Some(day) = self.as_of {
            args.extend(["--as-of", day]);
        }
        if self.weeks {
            args.extend(["--time-unit", "weeks"]);
        }
        match self.remove_duplicates {
            Some(true) => args.push("--remove-duplicates"),
            Some(false) => args.push("--keep-duplicates"),
            None => {}
        }
        args
    }

    /// `segscope summarize` spells the duplicate rule as `segscope rfm` does.
    fn summarize_args(self) -> Vec<&'static str> {
        let mut args = Vec::new();
        if let Some(day) = self.as_of {
            args.extend(["--as-of", day]);
        }
        if self.weeks {
            args.extend(["--time-unit", "weeks"]);
        }
        match self.remove_duplicates {
            Some(true) => args.push("--remove-duplicates"),
            Some(false) => args.push("--keep-duplicates"),
            None => {}
        }
        args
    }
}

/// `--column ROLE=HEADER` pairs.
fn column_args(columns: &[&'static str]) -> Vec<&'static str> {
    columns.iter().flat_map(|c| ["--column", c]).collect()
}

/// Writes the query for `dialect` into `dir/<dialect>.sql`; returns its path.
fn write_sql(
    dir: &Path,
    dialect: &str,
    table: &str,
    csv: &Path,
    columns: &[&'static str],
    settings: Settings,
) -> PathBuf {
    let mut args = vec!["sql", "--dialect", dialect, "--table", table];
    let csv = csv.to_str().unwrap();
    if columns.is_empty() {
        args.extend(["--file", csv]);
    }
    args.extend(column_args(columns));
    args.extend(settings.sql_args());
    let path = dir.join(format!("{dialect}.sql"));
    std::fs::write(&path, segscope(&args)).unwrap();
    path
}

/// Runs `sql` on `csv` in `mode` (run_sql.py); returns the result's path.
fn run_sql(mode: &str, csv: &Path, sql: &Path, table: &str, dir: &Path) -> PathBuf {
    let out = dir.join(format!("{mode}.out.csv"));
    let started = Instant::now();
    let log = run_python(
        RUN_SQL,
        &[
            mode,
            csv.to_str().unwrap(),
            sql.to_str().unwrap(),
            table,
            out.to_str().unwrap(),
        ],
    );
    // The runner's own line (Spark prints its banner on stderr too).
    let line = log
        .lines()
        .filter(|l| l.starts_with("run_sql.py"))
        .collect::<Vec<_>>();
    println!(
        "{} ({:.1} s in all)",
        line.join("; "),
        started.elapsed().as_secs_f64()
    );
    out
}

/// `segscope summarize csv --out …`; returns the summary's path.
fn summarize(csv: &Path, columns: &[&'static str], settings: Settings, dir: &Path) -> PathBuf {
    let out = dir.join("summarize.csv");
    let mut args = vec!["summarize", csv.to_str().unwrap()];
    args.extend(column_args(columns));
    args.extend(settings.summarize_args());
    let out_arg = out.to_str().unwrap().to_string();
    args.extend(["--out", &out_arg]);
    let started = Instant::now();
    segscope(&args);
    println!(
        "segscope summarize: {:.1} s",
        started.elapsed().as_secs_f64()
    );
    out
}

/// A summary CSV's rows (the header checked), as text cells.
fn read_summary(label: &str, text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header, COLUMNS, "{label}: the header");
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

fn read_summary_file(label: &str, path: &Path) -> Vec<Vec<String>> {
    read_summary(label, &std::fs::read_to_string(path).unwrap())
}

/// `segscope summarize`'s rows sorted by customer id as text (byte order), so the values are
/// compared whatever its row order (it writes customers in order of first appearance; the SQL
/// sorts by id; docs/summary.md).
fn by_customer_id(mut rows: Vec<Vec<String>>) -> Vec<Vec<String>> {
    rows.sort_by(|a, b| a.first().cmp(&b.first()));
    rows
}

fn number(label: &str, column: &str, cell: &str) -> f64 {
    cell.parse()
        .unwrap_or_else(|_| panic!("{label}: {column} '{cell}' is not a number"))
}

/// Whether two cells of `column` agree by the summary's rules.
fn cells_agree(label: &str, column: &str, expected: &str, actual: &str) -> bool {
    match column {
        "customer_id" | "first_order" | "last_order" => expected == actual,
        "frequency" | "orders" => {
            let whole = |cell: &str| -> i64 {
                cell.parse()
                    .unwrap_or_else(|_| panic!("{label}: {column} '{cell}' is not an integer"))
            };
            whole(expected) == whole(actual)
        }
        "recency" | "T" => {
            (number(label, column, expected) - number(label, column, actual)).abs() <= 1e-9
        }
        // To the cent; a value on a half cent may round either way after a last-bit difference.
        _ => {
            let (e, a) = (
                number(label, column, expected),
                number(label, column, actual),
            );
            (e * 100.0).round() == (a * 100.0).round() || (e - a).abs() <= 1e-9 * e.abs().max(1.0)
        }
    }
}

/// Asserts `actual` equals `expected` row for row; the message lists the first differences.
fn assert_same(label: &str, expected: &[Vec<String>], actual: &[Vec<String>]) {
    let mut differences = Vec::new();
    for (row, (e, a)) in expected.iter().zip(actual).enumerate() {
        for ((column, ec), ac) in COLUMNS.iter().zip(e).zip(a) {
            if !cells_agree(label, column, ec, ac) {
                differences.push(format!(
                    "row {} (customer {}): {column} expected {ec}, got {ac}",
                    row + 1,
                    e.first().map_or("?", String::as_str)
                ));
            }
        }
    }
    assert!(
        differences.is_empty() && expected.len() == actual.len(),
        "{label}: {} rows expected, {} got; {} differences, the first:\n{}",
        expected.len(),
        actual.len(),
        differences.len(),
        differences
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Whether a PostgreSQL server can be started here (initdb on the PATH).
fn has_postgres() -> bool {
    Command::new("initdb").arg("--version").output().is_ok()
}

/// The edge-case file under `settings`, through the engines in `modes`; returns each result.
fn edge_results(dir: &Path, settings: Settings, modes: &[&str]) -> Vec<(String, Vec<Vec<String>>)> {
    let csv = Path::new(EDGE_CASES);
    let table = "edge tx";
    let mut results = Vec::new();
    for mode in modes {
        let dialect = match *mode {
            "duckdb" | "duckdb-typed" => "duckdb",
            other => other,
        };
        let sql = write_sql(dir, dialect, table, csv, &EDGE_COLUMNS, settings);
        let out = run_sql(mode, csv, &sql, table, dir);
        results.push((mode.to_string(), read_summary_file(mode, &out)));
    }
    results
}

#[test]
#[ignore = "needs python3 with duckdb and pyspark (Java 17): ./test runs it"]
fn the_sql_gives_the_hand_computed_summary_of_the_edge_cases() {
    let dir = scratch("warehouse_sql_edge");
    let settings = Settings {
        as_of: Some("2024-01-15"),
        ..Settings::default()
    };
    let expected = read_summary("edge_cases.expected.csv", EDGE_CASES_EXPECTED);
    let mut modes = vec!["duckdb", "duckdb-typed", "spark"];
    if has_postgres() {
        modes.push("postgres");
    } else {
        println!("no initdb on the PATH: PostgreSQL not run");
    }
    for (mode, rows) in edge_results(&dir, settings, &modes) {
        assert_same(&format!("edge cases, {mode}"), &expected, &rows);
    }
}

#[test]
#[ignore = "needs python3 with duckdb and sqlglot: ./test runs it"]
fn bigquery_snowflake_and_postgres_texts_parse_and_mean_the_same_to_sqlglot() {
    let csv = Path::new(EDGE_CASES);
    for (name, settings) in [
        (
            "as-of, days",
            Settings {
                as_of: Some("2024-01-15"),
                ..Settings::default()
            },
        ),
        (
            "last date, weeks, duplicates kept",
            Settings {
                weeks: true,
                remove_duplicates: Some(false),
                ..Settings::default()
            },
        ),
    ] {
        let dir = scratch("warehouse_sql_dialects");
        for dialect in ["duckdb", "spark", "bigquery", "postgres", "snowflake"] {
            write_sql(&dir, dialect, "sales.edge tx", csv, &EDGE_COLUMNS, settings);
        }
        let log = run_python(
            CHECK_DIALECTS,
            &[dir.to_str().unwrap(), EDGE_CASES, "sales.edge tx"],
        );
        println!("{name}:\n{}", log.trim());
    }
}

#[test]
#[ignore = "needs segscope summarize and python3 with duckdb and pyspark: ./test runs it"]
fn the_sql_gives_summarizes_summary_of_the_edge_cases() {
    let dir = scratch("warehouse_sql_edge_summarize");
    let variants = [
        (
            "as-of 2024-01-15, days",
            Settings {
                as_of: Some("2024-01-15"),
                ..Settings::default()
            },
            &["duckdb", "spark"][..],
        ),
        (
            "as-of 2024-01-15, weeks, duplicates kept",
            Settings {
                as_of: Some("2024-01-15"),
                weeks: true,
                remove_duplicates: Some(false),
            },
            &["duckdb"][..],
        ),
        (
            "the last date, duplicates removed",
            Settings {
                remove_duplicates: Some(true),
                ..Settings::default()
            },
            &["duckdb"][..],
        ),
    ];
    let hand = read_summary("edge_cases.expected.csv", EDGE_CASES_EXPECTED);
    for (name, settings, modes) in variants {
        let cli = summarize(Path::new(EDGE_CASES), &EDGE_COLUMNS, settings, &dir);
        let cli = by_customer_id(read_summary_file("summarize", &cli));
        if name.starts_with("as-of 2024-01-15, days") {
            assert_same("edge cases, summarize vs by hand", &hand, &cli);
        }
        for (mode, rows) in edge_results(&dir, settings, modes) {
            assert_same(&format!("edge cases ({name}), {mode}"), &cli, &rows);
        }
    }
}

#[test]
#[ignore = "needs segscope summarize and python3 with numpy, pandas, duckdb and pyspark: ./test runs it"]
fn the_sql_gives_summarizes_summary_of_generated_transactions() {
    for (customers, label) in [(1_000, "10k lines"), (100_000, "1M lines")] {
        let dir = scratch(&format!("warehouse_sql_{customers}"));
        let csv = dir.join("tx.csv");
        let started = Instant::now();
        run_python(
            GENERATOR,
            &[
                "--customers",
                &customers.to_string(),
                "--seed",
                "16",
                "--out",
                csv.to_str().unwrap(),
                "--no-customer-truth",
            ],
        );
        println!(
            "{label}: generated in {:.1} s",
            started.elapsed().as_secs_f64()
        );
        let settings = Settings::default();
        let cli = summarize(&csv, &[], settings, &dir);
        let cli = by_customer_id(read_summary_file("summarize", &cli));
        assert_eq!(cli.len(), customers, "{label}: summarize's rows");
        let table = "transactions";
        for mode in ["duckdb", "duckdb-typed", "spark"] {
            let dialect = if mode == "spark" { "spark" } else { "duckdb" };
            // The columns from the file's header, as `segscope rfm FILE` detects them.
            let sql = write_sql(&dir, dialect, table, &csv, &[], settings);
            let out = run_sql(mode, &csv, &sql, table, &dir);
            assert_same(
                &format!("{label}, {mode}"),
                &cli,
                &read_summary_file(mode, &out),
            );
        }
    }
}

/// The summary definition sorts rows by customer id as text; the SQL does (ORDER BY), and the
/// comparisons above sort `segscope summarize`'s rows first, so this is the one check of its order.
/// Z's lines 0.10 + 0.20 − 0.30 net to exactly 0 with a negative line: a return by the
/// definition, so Z is not a row and Y is the only one. Binary floating point sums them to
/// 5.55e-17 (> 0: a purchase); the SQL reads amounts as decimals.
const FLOAT_NETTING: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/warehouse/float_netting.csv"
);
const FLOAT_NETTING_EXPECTED: &str =
    "customer_id,frequency,recency,T,monetary_value,orders,revenue,first_order,last_order
Y,0,0,0,0,1,5.00,2024-01-02,2024-01-02
";

#[test]
#[ignore = "needs python3 with duckdb: ./test runs it"]
fn the_sql_nets_cents_exactly() {
    let dir = scratch("warehouse_sql_float_sql");
    let csv = Path::new(FLOAT_NETTING);
    let sql = write_sql(&dir, "duckdb", "t", csv, &[], Settings::default());
    let out = run_sql("duckdb", csv, &sql, "t", &dir);
    let expected = read_summary("expected", FLOAT_NETTING_EXPECTED);
    assert_same(
        "float netting, duckdb",
        &expected,
        &read_summary_file("duckdb", &out),
    );
}

#[test]
#[ignore = "checks segscope summarize against the definition (the warehouse step of ./test runs it)"]
fn summarize_nets_cents_exactly() {
    let dir = scratch("warehouse_sql_float_summarize");
    let out = summarize(Path::new(FLOAT_NETTING), &[], Settings::default(), &dir);
    let expected = read_summary("expected", FLOAT_NETTING_EXPECTED);
    assert_same(
        "float netting, summarize",
        &expected,
        &read_summary_file("summarize", &out),
    );
}

#[test]
fn agreement_rules_round_money_to_cents_and_times_to_1e_9() {
    assert!(cells_agree("t", "revenue", "10.004999999", "10.00"));
    assert!(cells_agree(
        "t",
        "monetary_value",
        "10.005",
        "10.004999999999999"
    ));
    assert!(!cells_agree("t", "revenue", "10.01", "10.02"));
    assert!(cells_agree("t", "T", "3.0", "3"));
    assert!(!cells_agree("t", "recency", "0.14285714", "0.142857142857"));
    assert!(cells_agree("t", "first_order", "", ""));
    assert!(!cells_agree("t", "customer_id", "01", "1"));
}
