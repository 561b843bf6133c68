//! The `segscope` binary end to end: real preview, ingest and analysis on small CSV files.
#![cfg(not(target_arch = "wasm32"))] // runs a native binary

// Helpers outside #[test] functions are test code too.
#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// Five customers with order ids; one exact duplicate line (carol's), one return booked under
/// its own order id (=cmd's). The expected figures are worked out by hand in
/// `src/engine/rfm/query.rs` (fixture) and below.
const TRANSACTIONS: &str = "\
Customer ID,Order Date,Amount,Order No
alice,2024-01-10,100.00,o1
Bob,2024-02-01,20,o3
dave,2024-01-01,5,o7
dave,2024-02-01,5,o8
alice,2024-03-01,50,o2
dave,2024-03-01,5,o9
=cmd,2024-03-05,10,o4
=cmd,2024-03-06,-30,o5
carol,2024-03-10,20,o6
carol,2024-03-10,20,o6
";

/// A fresh directory for one test, removed when the test ends (each run used to leave its
/// directories in the system's temp folder).
fn temp_dir(test: &str) -> TempDir {
    let dir = std::env::temp_dir().join(format!("segscope-cli-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    TempDir(dir)
}

/// A directory removed on drop.
struct TempDir(PathBuf);

impl std::ops::Deref for TempDir {
    type Target = std::path::Path;
    fn deref(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn write_csv(dir: &std::path::Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn segscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_segscope"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn help_documents_every_flag() {
    let o = segscope(&["--help"]);
    assert_eq!(o.status.code(), Some(0));
    for word in ["segscope rfm FILE", "segscope bench FILE", "--help"] {
        assert!(stdout(&o).contains(word), "main help lacks {word}");
    }
    let o = segscope(&["rfm", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    for flag in [
        "--as-of",
        "--column ROLE=HEADER",
        "--sheet NAME",
        "--encoding",
        "--delimiter",
        "--date-order",
        "--keep-duplicates",
        "--remove-duplicates",
        "--cap-outliers",
        "--out",
        "--json",
        "customer_id, date, amount, order_id, product, category, quantity, region,",
    ] {
        assert!(stdout(&o).contains(flag), "rfm help lacks {flag}");
    }
    let o = segscope(&["bench", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("--runs N"));
}

#[test]
fn usage_errors_exit_2_with_one_line() {
    for args in [
        &[][..],
        &["frobnicate"],
        &["rfm"],
        &["rfm", "a.csv", "--as-of", "05/03/2024"],
        &["rfm", "a.csv", "--column", "colour=x"],
        &["rfm", "a.csv", "--keep-duplicates", "--remove-duplicates"],
        &["rfm", "a.csv", "--no-such-flag"],
        &["bench", "a.csv", "--runs", "many"],
    ] {
        let o = segscope(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&o).lines().count(), 1, "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).starts_with("segscope: "));
    }
}

#[test]
fn run_errors_exit_1_and_name_the_problem() {
    let dir = temp_dir("errors");
    let o = segscope(&["rfm", dir.join("missing.csv").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("cannot open"), "{}", stderr(&o));

    let csv = write_csv(&dir, "t.csv", TRANSACTIONS);
    let o = segscope(&["rfm", csv.to_str().unwrap(), "--column", "amount=Price"]);
    assert_eq!(o.status.code(), Some(1));
    let message = stderr(&o);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("Price"), "{message}");
    assert!(
        message.contains("Customer ID, Order Date, Amount, Order No"),
        "{message}"
    );

    let o = segscope(&["rfm", csv.to_str().unwrap(), "--column", "amount="]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("--column amount=HEADER"),
        "{}",
        stderr(&o)
    );

    let o = segscope(&["rfm", csv.to_str().unwrap(), "--as-of", "2023-01-01"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("before the first transaction"),
        "{}",
        stderr(&o)
    );
}

/// A workbook is read like a CSV (issue "Real-world exports"): the sheet with the most rows by
/// default, another with `--sheet`, and an unknown sheet is named with the workbook's sheets.
#[test]
fn workbooks_are_read_and_a_sheet_can_be_chosen() {
    let xlsx = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/ingest/workbooks/orders_openpyxl.xlsx"
    );
    let v = json_of(&["rfm", xlsx, "--json"]);
    // C001–C004; C005's only line has #N/A as its amount.
    assert_eq!(v["kpis"]["customers"], 4);
    assert_eq!(v["quality"]["rows_read"], 8);
    assert_eq!(v["quality"]["dropped"][0]["examples"][0][1], "#N/A");
    let v = json_of(&["rfm", xlsx, "--json", "--sheet", "订单明细"]);
    assert_eq!(v["kpis"]["customers"], 4);
    let o = segscope(&["rfm", xlsx, "--sheet", "Sheet9"]);
    assert_eq!(o.status.code(), Some(1));
    let message = stderr(&o);
    assert!(
        message.contains("Sheet9") && message.contains("订单明细"),
        "{message}"
    );
}

/// `--out` ending in `.xlsx` writes an Excel workbook (a zip) with the same rows.
#[test]
fn out_ending_in_xlsx_writes_a_workbook() {
    let dir = temp_dir("out-xlsx");
    let csv = write_csv(&dir, "t.csv", TRANSACTIONS);
    let out = dir.join("customers.XLSX");
    let o = segscope(&["rfm", csv.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"PK\x03\x04"));
    // Read back as a transactions-like table through the engine's workbook reader.
    let (text, book) = segscope::engine::ingest::sheet_as_csv(&bytes, None).unwrap();
    assert_eq!(book.sheets, ["customers"]);
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.starts_with("customer_id,recency_days,frequency,monetary,"),
        "{text}"
    );
    assert_eq!(text.lines().count(), 6, "{text}");
}

#[test]
fn out_writes_one_row_per_customer_sorted_by_id() {
    let dir = temp_dir("out");
    let csv = write_csv(&dir, "t.csv", TRANSACTIONS);
    let out = dir.join("customers.csv");
    let o = segscope(&["rfm", csv.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("Customers 5"), "{}", stdout(&o));
    // Order ids → the duplicate line of carol is removed by default.
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "\
customer_id,recency_days,frequency,monetary,r_score,f_score,m_score,segment
'=cmd,6,1,-20,4,1,1,promising
Bob,39,1,20,1,1,3,lost
alice,10,2,150,2,4,5,cant_lose_them
carol,1,1,20,5,1,3,potential_loyalists
dave,10,3,15,2,5,2,at_risk
"
    );

    // Keeping duplicates doubles carol's only order: 40 (m score 4, FM 3 → potential loyalist).
    let o = segscope(&[
        "rfm",
        csv.to_str().unwrap(),
        "--keep-duplicates",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("\ncarol,1,1,40,5,1,4,potential_loyalists\n"),
        "{text}"
    );
}

#[test]
fn json_has_the_documented_keys() {
    let dir = temp_dir("json");
    let csv = write_csv(&dir, "t.csv", TRANSACTIONS);
    let o = segscope(&["rfm", csv.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    for key in ["quality", "segments", "pareto", "kpis", "as_of"] {
        assert!(keys.contains(&key), "missing {key} in {keys:?}");
    }
    assert_eq!(v["as_of"], "2024-03-11");
    assert_eq!(v["kpis"]["customers"], 5);
    assert_eq!(v["kpis"]["orders"], 8);
    assert_eq!(v["kpis"]["revenue"], 185.0);
    assert_eq!(v["segments"].as_array().unwrap().len(), 11);
    assert_eq!(v["quality"]["rows_read"], 10);
    assert_eq!(v["quality"]["exact_duplicates"], 1);
    assert!(v["pareto"]["lorenz"].as_array().unwrap().len() == 6);

    let o = segscope(&[
        "rfm",
        csv.to_str().unwrap(),
        "--json",
        "--as-of",
        "2024-03-31",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["as_of"], "2024-03-31");
}

#[test]
fn column_overrides_match_headers_ignoring_case() {
    let dir = temp_dir("columns");
    // Semicolons, unhelpful headers, a decoy numeric column the overrides steer around.
    let csv = write_csv(
        &dir,
        "odd.csv",
        "who;when;score;paid\n\
         a;2024-01-01;7;10\n\
         b;2024-01-02;8;20\n\
         a;2024-01-05;9;30\n",
    );
    let o = segscope(&[
        "rfm",
        csv.to_str().unwrap(),
        "--delimiter",
        ";",
        "--column",
        "customer_id=WHO",
        "--column",
        "date=When",
        "--column",
        "amount=paid",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["kpis"]["customers"], 2);
    assert_eq!(v["kpis"]["revenue"], 60.0);
}

#[test]
fn bench_reports_phases_and_peak_memory() {
    let dir = temp_dir("bench");
    let csv = write_csv(&dir, "t.csv", TRANSACTIONS);
    let o = segscope(&["bench", csv.to_str().unwrap(), "--runs", "2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let text = stdout(&o);
    for word in [
        "preview",
        "ingest",
        "analyze",
        "rows/s",
        "peak RSS",
        "median of 2 runs",
    ] {
        assert!(text.contains(word), "{word} missing in {text}");
    }
}

/// `clv` reads only the columns its predictions use: product, quantity, region, channel and
/// category columns (here full of formulas, quotes, commas and Chinese text, the same on equal
/// lines so the exact duplicates stay duplicates) give the same scores, byte for byte, as the
/// file without them.
#[test]
fn clv_scores_do_not_depend_on_the_other_columns() {
    let dir = temp_dir("clv-columns");
    let sample = include_str!("fixtures/clv/tx_sample.csv");
    let mut wide =
        String::from("customer_id,date,amount,product,quantity,region,channel,category\n");
    for line in sample.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let (customer, date, amount) = (cells[0], cells[1], cells[2]);
        wide.push_str(&format!(
            "{line},\"=P{customer}, \"\"x\"\"\",{amount},地区{date},'+{customer},\"类,{amount}\"\n"
        ));
    }
    let narrow = write_csv(&dir, "narrow.csv", sample);
    let wide = write_csv(&dir, "wide.csv", &wide);
    let scores = |input: &PathBuf, name: &str| {
        let out = dir.join(name);
        let o = segscope(&[
            "clv",
            input.to_str().unwrap(),
            "--calibration-end",
            "2024-03-31",
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        (stdout(&o), std::fs::read(&out).unwrap())
    };
    let (narrow_text, narrow_scores) = scores(&narrow, "narrow_scores.csv");
    let (wide_text, wide_scores) = scores(&wide, "wide_scores.csv");
    assert!(narrow_scores.len() > 10_000, "{}", narrow_scores.len());
    assert!(narrow_scores == wide_scores, "the scores differ");
    // The same text but for the fits' times ("… 21 iterations  1 ms").
    let untimed = |text: &str| {
        let words: Vec<&str> = text.split_whitespace().collect();
        let timed = |i: usize| words.get(i) == Some(&"ms") || words.get(i + 1) == Some(&"ms");
        (0..words.len())
            .filter(|&i| !timed(i))
            .map(|i| words[i])
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(
        untimed(&narrow_text.replace("narrow_scores", "wide_scores")),
        untimed(&wide_text)
    );
}

#[test]
fn clv_json_has_the_documented_keys_and_lifetimes_parameters() {
    let dir = temp_dir("clv");
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/clv/tx_sample.csv"
    );
    let out = dir.join("scores.csv");
    let o = segscope(&[
        "clv",
        sample,
        "--calibration-end",
        "2024-03-31",
        "--holdout-end",
        "2024-06-30",
        "--compare-models",
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    for key in ["r", "alpha", "a", "b", "log_likelihood"] {
        assert!(v["bgnbd"][key].is_number(), "bgnbd.{key}");
    }
    for key in ["p", "q", "v", "log_likelihood"] {
        assert!(v["gamma_gamma"][key].is_number(), "gamma_gamma.{key}");
    }
    for key in ["r", "alpha", "s", "beta", "log_likelihood"] {
        assert!(v["pareto_nbd"][key].is_number(), "pareto_nbd.{key}");
    }
    // lifetimes' calibration fit on the same sample (tests/fixtures/clv/golden_clv.json).
    let golden: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/clv/golden_clv.json")).unwrap();
    for key in ["r", "alpha", "a", "b"] {
        let (ours, theirs) = (
            v["bgnbd"][key].as_f64().unwrap(),
            golden["holdout"]["bgnbd"][key].as_f64().unwrap(),
        );
        assert!(
            (ours / theirs - 1.0).abs() < 1e-3,
            "{key}: {ours} vs {theirs}"
        );
    }
    assert_eq!(v["calibration"]["end"], "2024-03-31");
    assert!(v["calibration"]["customers"].as_u64().unwrap() > 400);
    let buckets = v["holdout"]["by_frequency"].as_array().unwrap();
    assert_eq!(buckets.len(), 8);
    assert_eq!(buckets[7]["customers"], 65);
    let scores = std::fs::read_to_string(&out).unwrap();
    assert!(scores
        .starts_with("customer_id,frequency,recency_days,t_days,monetary_value,probability_alive"));
    assert_eq!(
        scores.lines().count() as u64,
        v["calibration"]["customers"].as_u64().unwrap() + 1
    );

    for args in [
        &["clv", sample][..],
        &["clv", sample, "--calibration-end", "31/03/2024"],
        &[
            "clv",
            sample,
            "--calibration-end",
            "2024-03-31",
            "--time-unit",
            "months",
        ],
        &[
            "clv",
            sample,
            "--calibration-end",
            "2024-03-31",
            "--discount-monthly",
            "2",
        ],
    ] {
        let o = segscope(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&o).lines().count(), 1, "{args:?}: {}", stderr(&o));
    }
    let o = segscope(&["clv", sample, "--calibration-end", "2030-01-01"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("calibration end"), "{}", stderr(&o));
}

#[test]
fn cluster_fits_saves_and_scores_with_a_saved_model() {
    let dir = temp_dir("cluster");
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/public/demo/transactions.csv");
    let attributes = concat!(env!("CARGO_MANIFEST_DIR"), "/public/demo/customers.csv");
    let (out, model) = (dir.join("segments.csv"), dir.join("model.json"));
    let o = segscope(&[
        "cluster",
        demo,
        "--k",
        "3",
        "--features",
        "recency_days,frequency,monetary,attr:age",
        "--attributes",
        attributes,
        "--restarts",
        "3",
        "--out",
        out.to_str().unwrap(),
        "--save-model",
        model.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    for key in [
        "customers",
        "k",
        "suggested_k",
        "sweep",
        "silhouette",
        "calinski_harabasz",
        "features",
        "segments",
        "attributes",
        "warnings",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    assert_eq!(v["k"], 3);
    assert_eq!(v["customers"], 2000);
    assert_eq!(v["sweep"].as_array().unwrap().len(), 9); // k = 2..=10
    assert!(v["sweep"][0]["inertia"].as_f64().unwrap() > 0.0);
    let segments = v["segments"].as_array().unwrap();
    assert_eq!(segments.len(), 3);
    assert!(
        segments[0]["centroid_original_units"]["monetary"]
            .as_f64()
            .unwrap()
            > 0.0
    );
    assert!(segments[0]["name"].as_str().unwrap().len() > 3);
    assert_eq!(v["features"][3]["label"], "attr:age");
    let csv = std::fs::read_to_string(&out).unwrap();
    assert_eq!(csv.lines().count(), 2001);
    assert!(csv.starts_with("customer_id,segment,segment_name\n"));

    // Scoring the same file with the saved model: same assignment, human output.
    let again = dir.join("again.csv");
    let o = segscope(&[
        "cluster",
        demo,
        "--model",
        model.to_str().unwrap(),
        "--attributes",
        attributes,
        "--out",
        again.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("Scored with the saved segmentation"));
    assert!(stdout(&o).contains("key indexes"));
    assert_eq!(std::fs::read_to_string(&again).unwrap(), csv);

    // Human output of a fit shows the sweep table.
    let o = segscope(&["cluster", demo, "--k", "auto", "--restarts", "2"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("<- suggested"), "{}", stdout(&o));
}

#[test]
fn cluster_errors_are_reported_like_the_other_commands() {
    let dir = temp_dir("cluster-errors");
    let csv = write_csv(&dir, "t.csv", TRANSACTIONS);
    let path = csv.to_str().unwrap();
    for args in [
        &["cluster"][..],
        &["cluster", path, "--k", "1"],
        &["cluster", path, "--k", "many"],
        &["cluster", path, "--features", "colour"],
        &["cluster", path, "--restarts", "0"],
    ] {
        let o = segscope(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&o).lines().count(), 1, "{args:?}: {}", stderr(&o));
        assert!(stderr(&o).starts_with("segscope: "));
    }
    // Five customers cannot form 6 segments; an attribute feature needs the file.
    let o = segscope(&["cluster", path, "--k", "6"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("5 customers cannot form 6 segments"),
        "{}",
        stderr(&o)
    );
    let o = segscope(&["cluster", path, "--features", "monetary,attr:age"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("add an attributes file first"),
        "{}",
        stderr(&o)
    );
    let bad = write_csv(&dir, "model.json", "{\"format_version\": 9}");
    let o = segscope(&["cluster", path, "--model", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("format version 9"), "{}", stderr(&o));
    let o = segscope(&["cluster", "--help"]);
    assert_eq!(o.status.code(), Some(0));
    for flag in [
        "--k N|auto",
        "--features",
        "--attributes",
        "--attributes-id",
        "--seed",
        "--restarts",
        "--out",
        "--json",
        "--save-model",
        "--model",
    ] {
        assert!(stdout(&o).contains(flag), "cluster help lacks {flag}");
    }
}

// ---------------------------------------------------------------------------------------------
// The command line's contract, for scripts. The expectations below were captured from the
// hand-written parser and `json!` output (before the CLI moved to clap and typed output, commit
// c9c6d96) and checked against that binary: they pin what scripts may depend on.

/// The keys of a JSON object, sorted.
fn keys(v: &serde_json::Value) -> Vec<&str> {
    let mut keys: Vec<&str> = v
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {v}"))
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

/// Runs `args` expecting exit 0 and JSON on stdout.
fn json_of(args: &[&str]) -> serde_json::Value {
    let o = segscope(args);
    assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

#[test]
fn rfm_json_key_sets_are_unchanged() {
    let dir = temp_dir("rfm-keys");
    let csv = write_csv(&dir, "t.csv", TRANSACTIONS);
    let v = json_of(&["rfm", csv.to_str().unwrap(), "--json"]);
    assert_eq!(keys(&v), ["as_of", "kpis", "pareto", "quality", "segments"]);
    assert_eq!(
        keys(&v["kpis"]),
        [
            "average_order_value",
            "customers",
            "orders",
            "repeat_customer_rate",
            "revenue"
        ]
    );
    assert_eq!(
        keys(&v["pareto"]),
        [
            "customer_share_for_80_percent",
            "gini",
            "lorenz",
            "top_shares"
        ]
    );
    assert_eq!(
        keys(&v["quality"]),
        [
            "customers",
            "date_range",
            "delimiter",
            "dropped",
            "duplicate_examples",
            "encoding",
            "exact_duplicates",
            // Added with "Numbers you can trust": lines dated far from the others (null if none).
            "far_dates",
            "missing",
            "notes",
            "orders",
            "products",
            // Added with "Numbers you can trust": where a never-closed quote was read again.
            "quote_repairs",
            "replaced_characters",
            "returns",
            "rows_kept",
            "rows_read"
        ]
    );
    assert_eq!(
        keys(&v["segments"][0]),
        [
            "customer_share",
            "customers",
            "mean_frequency",
            "mean_monetary",
            "mean_recency_days",
            "revenue",
            "revenue_share",
            "segment"
        ]
    );
}

#[test]
fn json_keys_are_printed_sorted_at_every_level() {
    // The old output went through `serde_json::Value` (a sorted map): scripts diffing the
    // output byte for byte see keys in alphabetical order at every depth.
    let dir = temp_dir("sorted");
    let csv = write_csv(&dir, "t.csv", TRANSACTIONS);
    let o = segscope(&["rfm", csv.to_str().unwrap(), "--json"]);
    let text = stdout(&o);
    let top: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  \"") && !l.starts_with("   "))
        .collect();
    assert_eq!(top.len(), 5, "{text}");
    assert!(top[0].starts_with("  \"as_of\": \"2024-03-11\""), "{text}");
    assert!(text
        .contains("  \"kpis\": {\n    \"average_order_value\": 23.125,\n    \"customers\": 5,\n"));
}

#[test]
fn clv_json_key_sets_are_unchanged() {
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/clv/tx_sample.csv"
    );
    let v = json_of(&[
        "clv",
        sample,
        "--calibration-end=2024-03-31",
        "--holdout-end",
        "2024-06-30",
        "--compare-models",
        "--json",
    ]);
    assert_eq!(
        keys(&v),
        [
            "bgnbd",
            "calibration",
            "gamma_gamma",
            "holdout",
            "kpis",
            "pareto_nbd",
            "scoring_model",
            "spend_correlation",
            "time_unit",
            "warnings"
        ]
    );
    let fit = [
        // Added with "Numbers you can trust": the limits a fit was held at.
        "boundaries",
        "converged",
        "customers",
        "fit_ms",
        "iterations",
        "log_likelihood",
    ];
    for (model, parameters) in [
        ("bgnbd", &["a", "alpha", "b", "r"][..]),
        ("pareto_nbd", &["alpha", "beta", "r", "s"]),
        ("gamma_gamma", &["p", "q", "v"]),
    ] {
        let mut expected: Vec<&str> = fit.iter().chain(parameters).copied().collect();
        expected.sort_unstable();
        assert_eq!(keys(&v[model]), expected, "{model}");
    }
    assert_eq!(
        keys(&v["calibration"]),
        ["customers", "end", "repeat_customers"]
    );
    assert_eq!(
        keys(&v["kpis"]),
        [
            "churn_clv",
            "churn_customers",
            "customers",
            "expected_purchases_horizon",
            "mean_probability_alive",
            "mean_purchase_chance",
            "repeat_customers",
            "total_clv"
        ]
    );
    assert_eq!(
        keys(&v["holdout"]),
        [
            "actual_purchases",
            "bucket_mean_absolute_error",
            "by_frequency",
            "calibration_end",
            "cumulative",
            "holdout_end",
            "mean_absolute_error",
            "models",
            "predicted_purchases"
        ]
    );
    assert_eq!(
        keys(&v["holdout"]["cumulative"][0]),
        ["actual", "date", "predicted"]
    );
    assert_eq!(v["time_unit"], "days");
    assert_eq!(v["scoring_model"], "BG/NBD");
    // Without --holdout-end the key stays, as null.
    let v = json_of(&["clv", sample, "--json", "--calibration-end", "2024-03-31"]);
    assert!(v["holdout"].is_null());
    assert!(v["spend_correlation"].is_number());
    // Without --compare-models only the scoring model is fitted: the other one's key stays, as
    // null, and the scores are those of the run that fits both.
    assert!(v["pareto_nbd"].is_null());
    let both = json_of(&[
        "clv",
        sample,
        "--json",
        "--calibration-end",
        "2024-03-31",
        "--compare-models",
    ]);
    assert_eq!(keys(&v["bgnbd"]), keys(&both["bgnbd"]));
    assert_eq!(v["kpis"], both["kpis"]);
    assert_eq!(v["gamma_gamma"]["p"], both["gamma_gamma"]["p"]);
    assert_eq!(v["bgnbd"]["r"], both["bgnbd"]["r"]);
    let pareto = json_of(&[
        "clv",
        sample,
        "--json",
        "--calibration-end",
        "2024-03-31",
        "--model",
        "pareto",
    ]);
    let pareto_both = json_of(&[
        "clv",
        sample,
        "--json",
        "--calibration-end",
        "2024-03-31",
        "--model",
        "pareto",
        "--compare-models",
    ]);
    assert!(pareto["bgnbd"].is_null());
    assert_eq!(keys(&pareto["pareto_nbd"]), keys(&both["pareto_nbd"]));
    assert_eq!(pareto["pareto_nbd"]["r"], pareto_both["pareto_nbd"]["r"]);
    assert_eq!(pareto["kpis"], pareto_both["kpis"]);
    assert_eq!(keys(&pareto), keys(&both));
}

#[test]
fn cluster_json_key_sets_are_unchanged() {
    let dir = temp_dir("cluster-keys");
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/public/demo/transactions.csv");
    let attributes = concat!(env!("CARGO_MANIFEST_DIR"), "/public/demo/customers.csv");
    let model = dir.join("model.json");
    let v = json_of(&[
        "cluster",
        demo,
        "--k=3",
        "--features",
        "recency_days,frequency,monetary,attr:age",
        "--attributes",
        attributes,
        "--restarts",
        "2",
        "--save-model",
        model.to_str().unwrap(),
        "--json",
    ]);
    let top = [
        "attributes",
        "bootstrap_resamples",
        "calinski_harabasz",
        "customers",
        "features",
        "inertia",
        "iterations",
        "k",
        "segments",
        "silhouette",
        "silhouette_sample_size",
        "stability_ari",
        "suggested_k",
        "sweep",
        "timings_ms",
        "warnings",
    ];
    assert_eq!(keys(&v), top);
    assert_eq!(
        keys(&v["segments"][0]),
        [
            "centroid_original_units",
            "customers",
            "distinctive",
            "index",
            "name",
            "name_traits",
            "revenue",
            "revenue_share",
            "segment",
            "share",
            "silhouette",
            "stability",
            "tiny",
            "top_channels",
            "top_products",
            "top_regions"
        ]
    );
    assert_eq!(
        keys(&v["segments"][0]["centroid_original_units"]),
        ["attr:age", "frequency", "monetary", "recency_days"]
    );
    assert_eq!(
        keys(&v["features"][0]),
        [
            "feature",
            "imputed",
            "label",
            "raw_mean",
            "raw_median",
            "skewness",
            "transform"
        ]
    );
    assert_eq!(
        keys(&v["attributes"]),
        [
            "customers_without_row",
            "duplicate_ids",
            "matched",
            "rows",
            "unmatched",
            "unmatched_examples"
        ]
    );
    assert_eq!(
        keys(&v["sweep"][0]),
        ["calinski_harabasz", "inertia", "k", "silhouette"]
    );
    // Scoring with a saved model: no sweep, the keys stay (null).
    let v = json_of(&[
        "cluster",
        demo,
        "--model",
        model.to_str().unwrap(),
        "--attributes",
        attributes,
        "--json",
    ]);
    assert_eq!(keys(&v), top);
    assert!(v["sweep"].is_null() && v["suggested_k"].is_null());
}

#[test]
fn usage_errors_keep_their_exact_one_line_messages() {
    for (args, message) in [
        (&[][..], "missing command: rfm, clv, cluster or bench"),
        (
            &["frobnicate"],
            "unknown command 'frobnicate': expected rfm, clv, cluster, baskets, recommend, regions, cohorts, due, sendtime, tiers, forecast, experiment, response, power, summarize, sql or bench",
        ),
        (
            &["--json", "rfm"],
            "unknown command '--json': expected rfm, clv, cluster, baskets, recommend, regions, cohorts, due, sendtime, tiers, forecast, experiment, response, power, summarize, sql or bench",
        ),
        (&["rfm"], "rfm needs a FILE"),
        (&["rfm", "--json"], "rfm needs a FILE"),
        (
            &["rfm", "a.csv", "b.csv"],
            "unexpected argument 'b.csv': only one FILE",
        ),
        (
            &["rfm", "a.csv", "-"],
            "unexpected argument '-': only one FILE",
        ),
        (&["rfm", ""], "rfm needs a FILE"),
        (
            &["rfm", "a.csv", "--no-such-flag"],
            "unknown option '--no-such-flag' for rfm",
        ),
        (&["rfm", "a.csv", "--jso"], "unknown option '--jso' for rfm"),
        (&["rfm", "a.csv", "-q"], "unknown option '-q' for rfm"),
        (
            &["rfm", "a.csv", "--version"],
            "unknown option '--version' for rfm",
        ),
        (&["rfm", "a.csv", "--json=yes"], "--json takes no value"),
        (
            &["rfm", "a.csv", "--cap-outliers=1"],
            "--cap-outliers takes no value",
        ),
        (&["rfm", "a.csv", "--out"], "--out needs a value"),
        (
            &["rfm", "a.csv", "--as-of=2024-13-01"],
            "--as-of expects YYYY-MM-DD, got '2024-13-01'",
        ),
        (
            &["rfm", "a.csv", "--column", "amount"],
            "--column expects ROLE=HEADER, got 'amount'",
        ),
        (
            &["rfm", "a.csv", "--remove-duplicates", "--keep-duplicates"],
            "--keep-duplicates and --remove-duplicates exclude each other",
        ),
        (
            &["rfm", "a.csv", "--delimiter", ";;"],
            "--delimiter expects one ASCII character or tab, got ';;'",
        ),
        (
            &["rfm", "a.csv", "--encoding", "ebcdic"],
            "unknown encoding 'ebcdic': use utf-8, utf-16le, utf-16be, gb18030 or windows-1252",
        ),
        (
            &["rfm", "a.csv", "--date-order", "ydm"],
            "--date-order expects ymd, dmy or mdy, got 'ydm'",
        ),
        (&["clv", "a.csv"], "clv needs --calibration-end YYYY-MM-DD"),
        (
            &["clv", "--calibration-end", "2024-03-31"],
            "clv needs a FILE",
        ),
        (
            &[
                "clv",
                "a.csv",
                "--calibration-end",
                "2024-03-31",
                "--horizon-days",
                "-1",
            ],
            "--horizon-days expects a number from 1 to 3650, got '-1'",
        ),
        (
            &[
                "clv",
                "a.csv",
                "--calibration-end",
                "2024-03-31",
                "--model",
                "gamma",
            ],
            "--model expects bgnbd or pareto, got 'gamma'",
        ),
        (
            &["cluster", "a.csv", "--k", "many"],
            "--k expects a number from 2 to 20, got 'many'",
        ),
        (
            &["cluster", "a.csv", "--features", ",,"],
            "--features needs at least one feature",
        ),
        (
            &["cluster", "a.csv", "--seed", "-1"],
            "--seed expects a number from 0 to 18446744073709551615, got '-1'",
        ),
        (
            &["bench", "a.csv", "--runs", "0"],
            "--runs expects a number 1..=1000, got '0'",
        ),
        (
            &["bench", "a.csv", "--json"],
            "unknown option '--json' for bench",
        ),
    ] {
        let o = segscope(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(
            stderr(&o),
            format!("segscope: {message} (see segscope --help)\n"),
            "{args:?}"
        );
        assert!(o.stdout.is_empty(), "{args:?}");
    }
}

#[test]
fn flags_take_inline_values_repeat_and_come_in_any_order() {
    let dir = temp_dir("any-order");
    let csv = write_csv(&dir, "t.csv", TRANSACTIONS);
    let path = csv.to_str().unwrap();
    let out = dir.join("c.csv");
    let reference = json_of(&[
        "rfm",
        path,
        "--as-of",
        "2024-03-31",
        "--keep-duplicates",
        "--json",
    ]);
    // Options before FILE, `--flag=value`, a repeated flag (the last value wins), a repeated switch.
    let v = json_of(&[
        "rfm",
        "--json",
        "--as-of",
        "2024-03-20",
        "--keep-duplicates",
        &format!("--out={}", out.display()),
        path,
        "--as-of=2024-03-31",
        "--keep-duplicates",
        "--json",
    ]);
    assert_eq!(v, reference);
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .starts_with("customer_id,"));
    // Value aliases.
    let sample = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/clv/tx_sample.csv"
    );
    let v = json_of(&[
        "clv",
        sample,
        "--calibration-end",
        "2024-03-31",
        "--time-unit",
        "w",
        "--model",
        "pareto/nbd",
        "--json",
    ]);
    assert_eq!(v["time_unit"], "weeks");
    assert_eq!(v["scoring_model"], "Pareto/NBD");
}

#[test]
fn help_and_version_print_on_stdout_and_exit_0() {
    let main_help = stdout(&segscope(&["--help"]));
    assert!(main_help.starts_with("segscope — private customer analytics"));
    // `help`, `-h`, and anything after them print the same help.
    for args in [
        &["-h"][..],
        &["help"],
        &["help", "rfm"],
        &["--help", "bogus"],
    ] {
        let o = segscope(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}");
        assert_eq!(stdout(&o), main_help, "{args:?}");
    }
    let rfm_help = stdout(&segscope(&["rfm", "--help"]));
    assert!(rfm_help.starts_with("segscope rfm — RFM analysis"));
    assert!(rfm_help.ends_with("  -h, --help               this help\n"));
    // --help wins when it comes before a bad option, not after.
    let o = segscope(&["rfm", "-h", "--bogus"]);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), rfm_help.clone()));
    assert_eq!(
        segscope(&["rfm", "--bogus", "--help"]).status.code(),
        Some(2)
    );
    // The hand-written parser ignored a value given to --help.
    let o = segscope(&["rfm", "--help=x"]);
    assert_eq!((o.status.code(), stdout(&o)), (Some(0), rfm_help));
    for args in [&["--version"][..], &["-V"]] {
        let o = segscope(args);
        assert_eq!(o.status.code(), Some(0));
        assert_eq!(
            stdout(&o),
            format!("segscope {}\n", env!("CARGO_PKG_VERSION"))
        );
    }
}

#[test]
fn clap_stays_out_of_the_wasm_bundle() {
    // clap is a native-only dependency: the page and the worker never carry it.
    let out = Command::new(env!("CARGO"))
        .args(["tree", "--offline", "-p", "segscope", "-e", "normal,build"])
        .args(["--prefix", "none", "--target", "wasm32-unknown-unknown"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let tree = stdout(&out);
    assert!(tree.contains("leptos"), "{tree}");
    assert!(
        !tree.lines().any(|l| l.starts_with("clap")),
        "clap in the wasm32 tree:\n{tree}"
    );
}

#[test]
fn double_dash_ends_the_options() {
    // Accepted change with clap: `--` was an unknown option (exit 2); now what follows it is FILE.
    let dir = temp_dir("double-dash");
    let csv = write_csv(&dir, "t.csv", TRANSACTIONS);
    let o = segscope(&["rfm", "--json", "--", csv.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

const BASKETS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/baskets/tx_baskets.csv"
);

#[test]
fn baskets_prints_json_and_writes_the_rules() {
    let dir = temp_dir("baskets_json");
    let out = dir.join("rules.csv");
    let o = segscope(&[
        "baskets",
        BASKETS,
        "--min-support",
        "0.01",
        "--max-length",
        "3",
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    for key in [
        "transactions",
        "items",
        "itemsets",
        "rules",
        "top_rules",
        "timings_ms",
    ] {
        assert!(json.get(key).is_some(), "no {key} in {json}");
    }
    assert_eq!(json["transactions"], 4701);
    assert_eq!(json["rules"], 15);
    let rules = std::fs::read_to_string(&out).unwrap();
    assert!(rules.starts_with("antecedent,consequent,antecedent_support,consequent_support,count,support,confidence,lift,leverage,conviction,p_value,p_value_adjusted"));
    assert_eq!(rules.lines().count(), 16);
}

#[test]
fn recommend_evaluates_and_regions_compare() {
    let o = segscope(&["recommend", BASKETS, "--evaluate", "--k", "5", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["evaluation"]["evaluated"], 674);
    assert!(json["evaluation"]["popular"]["hit_rate"].as_f64().unwrap() > 0.4);
    let o = segscope(&["regions", BASKETS, "--by", "channel"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("channels"));
}

#[test]
fn baskets_without_a_product_column_fail_in_words_and_bad_flags_are_usage_errors() {
    let dir = temp_dir("baskets_no_product");
    let file = write_csv(&dir, "t.csv", TRANSACTIONS);
    let o = segscope(&["baskets", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("no product column"), "{err}");
    let o = segscope(&["baskets", file.to_str().unwrap(), "--min-support", "2"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--min-support expects a number"));
}

#[test]
fn cohorts_write_the_matrix_and_fail_in_words_on_one_month() {
    let dir = temp_dir("cohorts");
    let out = dir.join("cohorts.csv");
    let small = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/cohorts/small.csv"
    );
    let o = segscope(&["cohorts", small, "--out", out.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["last_period"], "2024-04");
    assert_eq!(json["matrix"].as_array().unwrap().len(), 2);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with("cohort,period,customers,active_customers,active_share,orders,revenue")
    );
    let o = segscope(&["cohorts", small, "--period", "week"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("cohorts (weeks)"));
    let one = write_csv(
        &dir,
        "one.csv",
        "customer_id,date,amount\na,2024-01-01,5\nb,2024-01-09,6\n",
    );
    let o = segscope(&["cohorts", one.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("one month"));
}

#[test]
fn due_lists_who_is_due_and_names_a_file_without_products() {
    let dir = temp_dir("due");
    let out = dir.join("due.csv");
    let small = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/repurchase/small.csv"
    );
    let o = segscope(&["due", small, "--out", out.to_str().unwrap(), "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["due"], 2);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.starts_with("customer_id,item,last_purchase,expected_date,days_overdue,own_intervals")
    );
    let file = write_csv(&dir, "t.csv", TRANSACTIONS);
    let o = segscope(&["due", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no product column"));
}

#[test]
fn tiers_report_the_hand_checked_movements_and_refuse_thresholds_out_of_order() {
    let dir = temp_dir("tiers");
    let out = dir.join("tiers.csv");
    let hand = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/tiers/hand.csv");
    let o = segscope(&[
        "tiers",
        hand,
        "--thresholds",
        "100,500",
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // See tests/tiers.rs for the hand count.
    assert_eq!(json["active_now"], 7);
    assert_eq!(json["movements"][3], serde_json::json!(["Down", 1]));
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("F,0,inactive,1000,tier_2,reactivated"),
        "{text}"
    );
    let o = segscope(&["tiers", hand, "--thresholds", "500,100"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr)
        .contains("threshold 2 (100) is not above threshold 1 (500)"));
}

#[test]
fn sendtime_finds_planted_hours_and_says_when_a_file_has_no_times() {
    let dir = temp_dir("sendtime");
    // Customer a always buys around 09:00 on Mondays, b around 20:00 on Saturdays.
    let mut text = String::from("customer_id,order_id,date,amount\n");
    for week in 0..12 {
        let monday = 19_723 + 7 * week; // 2024-01-01 was a Monday
        let date = |d: i32| segscope::engine::calendar::iso_day(d);
        text.push_str(&format!("a,a{week},{} 09:{:02},10\n", date(monday), week));
        text.push_str(&format!(
            "b,b{week},{} 20:{:02},10\n",
            date(monday + 5),
            week
        ));
    }
    let file = write_csv(&dir, "times.csv", &text);
    let out = dir.join("sendtime.csv");
    let o = segscope(&[
        "sendtime",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["has_times"], true);
    let rows = std::fs::read_to_string(&out).unwrap();
    let row = |id: &str| {
        rows.lines()
            .find(|l| {
                l.trim_start_matches('\u{feff}')
                    .starts_with(&format!("{id},"))
            })
            .unwrap()
            .split(',')
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert!(rows.trim_start_matches('\u{feff}').starts_with("customer_id,segment,orders,timed_orders,best_weekday,weekday_confidence,best_hour,hour_confidence"), "{rows}");
    assert_eq!(
        (row("a")[4].as_str(), row("a")[6].as_str()),
        ("monday", "9")
    );
    assert_eq!(
        (row("b")[4].as_str(), row("b")[6].as_str()),
        ("saturday", "20")
    );
    let o = segscope(&[
        "sendtime",
        write_csv(&dir, "t.csv", TRANSACTIONS).to_str().unwrap(),
    ]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("weekdays only"), "{}", stdout(&o));
}

#[test]
fn forecast_prints_intervals_and_names_a_short_history_and_a_long_horizon() {
    let dir = temp_dir("forecast");
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/public/demo/transactions.csv");
    let out = dir.join("forecast.csv");
    let o = segscope(&[
        "forecast",
        demo,
        "--horizon",
        "6",
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let forecast = json["revenue"]["forecast"].as_array().unwrap();
    assert_eq!(forecast.len(), 6);
    for p in forecast {
        let (lo95, lo80, mean, hi80, hi95) = (
            p["lo95"].as_f64().unwrap(),
            p["lo80"].as_f64().unwrap(),
            p["mean"].as_f64().unwrap(),
            p["hi80"].as_f64().unwrap(),
            p["hi95"].as_f64().unwrap(),
        );
        assert!(
            lo95 <= lo80 && lo80 <= mean && mean <= hi80 && hi80 <= hi95,
            "{p}"
        );
    }
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(
        text.lines().count(),
        1 + 24 + 6,
        "header, 24 months of history, 6 ahead"
    );
    let o = segscope(&["forecast", demo, "--horizon", "40"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("horizon of 40 periods for a history of 24"),
        "{}",
        stderr(&o)
    );
    let one = write_csv(
        &dir,
        "one.csv",
        "customer_id,date,amount\na,2024-01-01,5\nb,2024-01-09,6\n",
    );
    let o = segscope(&["forecast", one.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("complete months of history"),
        "{}",
        stderr(&o)
    );
}

/// `segscope experiment`: the documented JSON keys (CUPED results apart), the results export, a
/// file with one group is a run error, a bad correction a usage error; `segscope power` gives
/// Evan Miller's 1,030; `segscope response` writes the target list.
#[test]
fn experiment_power_and_response_have_their_documented_outputs() {
    let dir = temp_dir("experiment");
    let campaign = concat!(env!("CARGO_MANIFEST_DIR"), "/public/demo/campaign.csv");
    let demo = concat!(env!("CARGO_MANIFEST_DIR"), "/public/demo/transactions.csv");
    let out = dir.join("results.csv");
    let o = segscope(&[
        "experiment",
        campaign,
        "--correction",
        "holm",
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(json["srm_p_value"].as_f64().is_some());
    let variants = json["variants"].as_array().unwrap();
    assert_eq!(variants[0]["name"], "control");
    assert!(variants.iter().all(|v| v["users"].as_u64().is_some()));
    let metrics = json["metrics"].as_array().unwrap();
    for key in [
        "metric",
        "variant",
        "cuped",
        "mean",
        "relative_lift",
        "ci_low",
        "ci_high",
        "p_value",
        "p_value_adjusted",
        "chance_to_win",
        "risk",
    ] {
        assert!(metrics.iter().all(|m| m.get(key).is_some()), "{key}");
    }
    assert!(metrics.iter().any(|m| m["cuped"] == true));
    assert!(metrics
        .iter()
        .all(|m| m["p_value_adjusted"].as_f64() >= m["p_value"].as_f64()));
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().count(), 1 + metrics.len());

    let one = write_csv(&dir, "one.csv", "id,group,converted\n1,a,0\n2,a,1\n");
    let o = segscope(&["experiment", one.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("only one group"), "{}", stderr(&o));
    let o = segscope(&["experiment", campaign, "--correction", "bonferroni"]);
    assert_eq!(o.status.code(), Some(2));

    let o = segscope(&["power", "--baseline-rate", "0.2", "--mde", "0.05", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["per_variation"], 1030);
    let o = segscope(&["power", "--baseline-rate", "0.99", "--mde", "0.05"]);
    assert_eq!(o.status.code(), Some(1));

    let targets = dir.join("targets.csv");
    let o = segscope(&[
        "response",
        demo,
        "--results",
        campaign,
        "--out",
        targets.to_str().unwrap(),
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(json["response"]["Ok"]["auc"].as_f64().is_some(), "{json}");
    assert!(json["uplift"]["Ok"]["qini_coefficient"].as_f64().is_some());
    let text = std::fs::read_to_string(&targets).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().map(|l| l.trim_start_matches('\u{feff}')),
        Some("customer_id,response_score,decile")
    );
    // The top 3 deciles of the demo's 2,000 customers.
    assert_eq!(lines.count(), 600);
}

/// `summarize` writes the per-customer summary; `rfm` reads it back as input and scores every
/// customer as from the transactions (a net refund and an id a spreadsheet would run included).
#[test]
fn summarize_writes_a_summary_that_rfm_reads_back() {
    let dir = temp_dir("summarize");
    let csv = write_csv(&dir, "t.csv", TRANSACTIONS);
    let summary = dir.join("summary.csv");
    let o = segscope(&[
        "summarize",
        csv.to_str().unwrap(),
        "--out",
        summary.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("5 customers from 10 lines"),
        "{}",
        stdout(&o)
    );
    assert_eq!(
        std::fs::read_to_string(&summary).unwrap(),
        "\
customer_id,frequency,recency,T,monetary_value,orders,revenue,first_order,last_order
alice,1,51,60,50,2,150,2024-01-10,2024-03-01
Bob,0,0,38,0,1,20,2024-02-01,2024-02-01
dave,2,60,69,5,3,15,2024-01-01,2024-03-01
'=cmd,0,0,5,0,1,-20,2024-03-05,2024-03-05
carol,0,0,0,0,1,20,2024-03-10,2024-03-10
"
    );
    let (from_lines, from_summary) = (dir.join("a.csv"), dir.join("b.csv"));
    for (input, out) in [(&csv, &from_lines), (&summary, &from_summary)] {
        let o = segscope(&[
            "rfm",
            input.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    assert_eq!(
        std::fs::read_to_string(&from_lines).unwrap(),
        std::fs::read_to_string(&from_summary).unwrap()
    );
    // A summary is not summarised again.
    let o = segscope(&["summarize", summary.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("already a per-customer summary"),
        "{}",
        stderr(&o)
    );
}
