//! Parameter recovery: transactions simulated from known BG/NBD and Gamma-Gamma parameters
//! (tests/fixtures/clv/gen_transactions.py, vendored from the shared bench kit), read through the
//! app's own preview + ingest as the CLI does, summarised in weeks up to the generator's last
//! window day and fitted. Every fitted parameter must lie within 3 of its standard errors of the
//! truth, except that r and alpha get a stated one-sided allowance for a known bias of the data
//! (see [`SAME_DAY_MERGE_ALLOWANCE`]).
//!
//! Needs Python 3 with numpy and pandas (the generator writes its CSV with pandas): `./test`
//! makes `target/pyenv` (scripts/ensure-tools test) and runs
//! `SEGSCOPE_PYTHON=target/pyenv/bin/python cargo test --test clv_recovery -- --ignored`.
//! By hand (`SEGSCOPE_PYTHON` defaults to `python3`):
//! `SEGSCOPE_PYTHON=/path/to/python cargo test --test clv_recovery -- --ignored --nocapture`.
#![cfg(not(target_arch = "wasm32"))] // runs a Python process

// Helpers outside #[test] functions are test code too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs::File;
use std::io::{BufReader, Read as _};
use std::path::Path;
use std::process::Command;

use segscope::engine::calendar::parse_iso_day;
use segscope::engine::clv::{BgNbdParams, CustomerSummary, GammaGammaParams, TimeUnit};
use segscope::engine::ingest::{self, IngestParams, PreviewParams};
use segscope::engine::Dataset;
use serde_json::Value;

const GENERATOR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/clv/gen_transactions.py"
);
const CUSTOMERS: usize = 50_000;
const SEED: u64 = 20_240;

/// Upward bias of r and alpha allowed for beyond 3 standard errors, relative to the truth.
///
/// The generator's purchases are a continuous-time BG/NBD process; the CSV has calendar days, and
/// the summary (like `lifetimes`' `summary_data_from_transaction_data`) merges a customer's
/// same-day orders into one purchase. That thins the heaviest buyers' counts (here 3,714 of
/// 229,351 orders, from 5% of customers), narrowing the purchase-rate distribution, so r and alpha
/// come out high. tests/fixtures/clv/day_rounding_bias.py fits `lifetimes` on the same simulation
/// (this seed, 50k customers) summarised four ways:
///
/// | summary                                    | r               | alpha           |
/// |--------------------------------------------|-----------------|-----------------|
/// | continuous time                            | 0.4055 ± 0.0031 | 3.5029 ± 0.0430 |
/// | times floored to days, no merge            | 0.4056 ± 0.0031 | 3.5040 ± 0.0430 |
/// | floored + same-day merge (= the CSV's)     | 0.4121 ± 0.0031 | 3.7056 ± 0.0453 |
/// | floored + merge, calibration end 1 day on  | 0.4119 ± 0.0031 | 3.7040 ± 0.0453 |
///
/// so the merge alone moves r by +1.6% and alpha by +5.8% (+2 and +4.5 standard errors at this
/// size; more with more customers, as the standard errors shrink and the bias does not), while a,
/// b and the Gamma-Gamma parameters stay within 3 standard errors. Our fit of the CSV equals
/// `lifetimes`' fit of the merged summary to 4 decimals. The allowance is one-sided and a little
/// above that measured bias.
const SAME_DAY_MERGE_ALLOWANCE: [(&str, f64); 2] = [("r", 0.03), ("alpha", 0.08)];

/// Runs the generator into `dir`; returns the CSV path and the parsed truth sidecar.
fn generate(dir: &Path) -> (std::path::PathBuf, Value) {
    let python = std::env::var("SEGSCOPE_PYTHON").unwrap_or_else(|_| "python3".to_string());
    let csv = dir.join("tx.csv");
    let output = Command::new(&python)
        .arg(GENERATOR)
        .args(["--customers", &CUSTOMERS.to_string()])
        .args(["--seed", &SEED.to_string()])
        .arg("--out")
        .arg(&csv)
        .arg("--no-customer-truth")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {python} (set SEGSCOPE_PYTHON): {e}"));
    assert!(
        output.status.success(),
        "{python} {GENERATOR} failed (it needs numpy and pandas):\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let truth = std::fs::read_to_string(dir.join("tx.truth.json")).unwrap();
    (csv, serde_json::from_str(&truth).unwrap())
}

/// Preview the head and ingest the whole file with the preview's detections, as `segscope rfm`
/// does without overrides.
fn ingest_csv(path: &Path) -> Dataset {
    let mut head = Vec::new();
    File::open(path)
        .unwrap()
        .take(1 << 20)
        .read_to_end(&mut head)
        .unwrap();
    let preview = ingest::preview(&head, &PreviewParams::default()).unwrap();
    assert!(!preview.date_order_ambiguous, "{preview:?}");
    let params = IngestParams::from_preview(&preview);
    let file = File::open(path).unwrap();
    let bytes = file.metadata().unwrap().len();
    let (dataset, quality) =
        ingest::ingest(BufReader::new(file), bytes, &params, &mut |_| {}).unwrap();
    assert_eq!(dataset.customer_count(), CUSTOMERS, "{quality:?}");
    dataset
}

fn number(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("truth.json: no number {key}"))
}

#[test]
#[ignore = "needs python3 with numpy and pandas: ./test runs it"]
fn bg_nbd_and_gamma_gamma_recover_the_generators_parameters() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("clv_recovery");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (csv, truth) = generate(&dir);
    assert_eq!(truth["window"]["time_unit_of_params"], "weeks");
    let last_day = parse_iso_day(truth["window"]["last_day"].as_str().unwrap()).unwrap();

    let dataset = ingest_csv(&csv);
    let summary = CustomerSummary::from_dataset(&dataset, last_day, TimeUnit::Weeks);
    assert_eq!(summary.len(), CUSTOMERS);
    let bg = BgNbdParams::new().check().unwrap().fit(&summary).unwrap();
    let gg = GammaGammaParams::new()
        .check()
        .unwrap()
        .fit(&summary)
        .unwrap();
    let bg_se = bg.standard_errors().expect("BG/NBD standard errors");
    let gg_se = gg.standard_errors().expect("Gamma-Gamma standard errors");

    let (tb, tg) = (&truth["bgnbd"], &truth["gamma_gamma"]);
    let rows = [
        ("r", bg.r(), bg_se[0], number(tb, "r")),
        ("alpha", bg.alpha(), bg_se[1], number(tb, "alpha")),
        ("a", bg.a(), bg_se[2], number(tb, "a")),
        ("b", bg.b(), bg_se[3], number(tb, "b")),
        ("p", gg.p(), gg_se[0], number(tg, "p")),
        ("q", gg.q(), gg_se[1], number(tg, "q")),
        ("v", gg.v(), gg_se[2], number(tg, "v")),
    ];
    println!(
        "{CUSTOMERS} customers (seed {SEED}), {} lines, {} repeat customers; calibration end {}",
        dataset.len(),
        gg.repeat_customers(),
        truth["window"]["last_day"]
    );
    println!("param     fitted ±      se      truth   (fitted−truth)/se");
    for (name, fitted, se, true_value) in rows {
        let note = if SAME_DAY_MERGE_ALLOWANCE.iter().any(|(n, _)| *n == name) {
            "   (same-day merge bias allowed)"
        } else {
            ""
        };
        println!(
            "{name:<6} {fitted:>9.4} ± {se:>7.4} {true_value:>9.4}   {:>+6.2}{note}",
            (fitted - true_value) / se
        );
    }
    println!("BG/NBD {:?}", bg.convergence());
    println!("Gamma-Gamma {:?}", gg.convergence());
    assert!(bg.convergence().unwrap().converged, "{bg:?}");
    // On these data the Gamma-Gamma objective's rounding floor is a gradient norm of about 2.2e-7,
    // above the default tolerance of 1e-7, so the fit stalls there and says "not converged";
    // with tolerances of 1e-6, 3e-7 and 1e-9 it lands on the same p, q, v to 7 digits. Require a
    // gradient small enough that the distance to the optimum is far below a standard error.
    assert!(gg.convergence().unwrap().gradient_norm < 1e-6, "{gg:?}");
    for (name, fitted, se, true_value) in rows {
        let allowance = SAME_DAY_MERGE_ALLOWANCE
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(0.0, |(_, share)| share * true_value);
        assert!(
            fitted >= true_value - 3.0 * se && fitted <= true_value + allowance + 3.0 * se,
            "{name}: fitted {fitted} ± {se} is outside [truth − 3 se, truth + {allowance} + 3 se] \
             (truth {true_value})"
        );
    }
}
