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

/// A fresh directory for one test.
fn temp_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("segscope-cli-{}-{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
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
        "--encoding",
        "--delimiter",
        "--date-order",
        "--keep-duplicates",
        "--remove-duplicates",
        "--cap-outliers",
        "--out",
        "--json",
        "customer_id, date, amount, order_id, product, quantity, region, channel",
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
