//! Pareto/NBD against independent references: golden values from the Python `lifetimes` package
//! (tests/fixtures/clv/make_golden_pareto.py) and the published CDNOW estimates (Fader, Hardie and
//! Lee 2005). Everything computed at given parameters must agree to 1e-4 relative.
//!
//! Fitted parameters are compared more loosely: `lifetimes`' `ParetoNBDFitter.fit` runs
//! Nelder-Mead with `tol=1e-4`, which stops once the simplex is that small, short of the optimum of
//! a flat likelihood; our BFGS runs to a gradient norm of 1e-8. So the fitted log-likelihoods must
//! agree to 1e-6 relative (ours at least as high), the parameters to 1e-3 relative.

// Test helpers outside #[test] functions unwrap too (fixture data is ours).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use segscope::engine::clv::{
    ClvError, CustomerSummary, ParetoNbdModel, ParetoNbdParams, PurchaseModel, TimeUnit,
};
use serde_json::Value;

const GOLDEN: &str = include_str!("fixtures/clv/golden_pareto.json");

fn golden() -> Value {
    serde_json::from_str(GOLDEN).unwrap()
}

fn num(v: &Value, key: &str) -> f64 {
    v[key]
        .as_f64()
        .unwrap_or_else(|| panic!("missing number {key}"))
}

#[track_caller]
fn assert_rel(actual: f64, expected: f64, rel: f64, what: &str) {
    let err = (actual - expected).abs() / expected.abs().max(1e-12);
    assert!(
        err <= rel,
        "{what}: {actual} vs lifetimes {expected} (rel {err:.2e} > {rel:.0e})"
    );
}

fn summary_of(block: &Value) -> CustomerSummary {
    let rows = block["rows"].as_array().unwrap();
    let col = |k: &str| rows.iter().map(|r| num(r, k)).collect::<Vec<_>>();
    let unit = match block["time_unit"].as_str() {
        Some("weeks") => TimeUnit::Weeks,
        _ => TimeUnit::Days,
    };
    let n = rows.len();
    CustomerSummary::from_columns(
        col("frequency"),
        col("recency"),
        col("T"),
        vec![0.0; n],
        unit,
    )
}

fn fit(summary: &CustomerSummary) -> Result<ParetoNbdModel, ClvError> {
    ParetoNbdParams::new().check().unwrap().fit(summary)
}

fn check_block(block: &Value) {
    let summary = summary_of(block);
    for at in block["ll_at"].as_array().unwrap() {
        let m = ParetoNbdModel::from_parameters(
            num(at, "r"),
            num(at, "alpha"),
            num(at, "s"),
            num(at, "beta"),
            summary.time_unit,
        )
        .unwrap();
        assert_rel(
            m.log_likelihood_of(&summary).unwrap(),
            num(at, "log_likelihood"),
            1e-4,
            &format!("log-likelihood at {at}"),
        );
    }
    let f = &block["fitted"];
    let given = ParetoNbdModel::from_parameters(
        num(f, "r"),
        num(f, "alpha"),
        num(f, "s"),
        num(f, "beta"),
        summary.time_unit,
    )
    .unwrap();
    assert_rel(
        given.log_likelihood_of(&summary).unwrap(),
        num(f, "log_likelihood"),
        1e-10,
        "log-likelihood at lifetimes' fitted parameters",
    );
    let horizons: Vec<f64> = block["horizons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_f64().unwrap())
        .collect();
    for p in block["predictions"].as_array().unwrap() {
        let (x, rec, t) = (num(p, "frequency"), num(p, "recency"), num(p, "T"));
        assert_rel(
            given.probability_alive(x, rec, t).unwrap(),
            num(p, "probability_alive"),
            1e-4,
            &format!("probability alive of {p}"),
        );
        for (h, expected) in horizons.iter().zip(p["expected"].as_array().unwrap()) {
            assert_rel(
                given.expected_purchases(*h, x, rec, t).unwrap(),
                expected.as_f64().unwrap(),
                1e-4,
                &format!("expected purchases in {h} of {p}"),
            );
        }
    }
    let fitted = fit(&summary).unwrap();
    let conv = fitted.convergence().unwrap();
    assert!(conv.converged, "{conv:?}");
    assert_rel(fitted.r(), num(f, "r"), 1e-3, "fitted r");
    assert_rel(fitted.alpha(), num(f, "alpha"), 1e-3, "fitted alpha");
    assert_rel(fitted.s(), num(f, "s"), 1e-3, "fitted s");
    assert_rel(fitted.beta(), num(f, "beta"), 1e-3, "fitted beta");
    let ll = fitted.log_likelihood().unwrap();
    assert_rel(ll, num(f, "log_likelihood"), 1e-6, "fitted log-likelihood");
    // Ours must be at least as good an optimum.
    assert!(ll >= num(f, "log_likelihood") - 1e-6);
}

#[test]
fn pareto_nbd_agrees_with_lifetimes_on_the_sample() {
    check_block(&golden()["sample"]);
}

#[test]
fn pareto_nbd_agrees_with_lifetimes_on_cdnow() {
    check_block(&golden()["cdnow"]);
}

#[test]
fn pareto_nbd_reproduces_the_published_cdnow_estimates() {
    // Fader, Hardie and Lee (2005), CDNOW 1/10th sample, weeks: r = 0.55, alpha = 10.58, s = 0.61,
    // beta = 11.67, LL = −9594.98.
    let summary = summary_of(&golden()["cdnow"]);
    let m = fit(&summary).unwrap();
    // Published to two decimals: ours must round to the same figures.
    let two_decimals = |x: f64, published: f64, what: &str| {
        assert!(
            (x - published).abs() <= 0.005,
            "{what}: {x} vs published {published}"
        );
    };
    two_decimals(m.r(), 0.55, "r");
    two_decimals(m.alpha(), 10.58, "alpha");
    two_decimals(m.s(), 0.61, "s");
    two_decimals(m.beta(), 11.67, "beta");
    assert!(
        (m.log_likelihood().unwrap() - -9594.98).abs() < 0.01,
        "{m:?}"
    );
}

// Degenerate data: typed errors or finite numbers, never NaN or a panic.

fn days_summary(rows: &[(f64, f64, f64)]) -> CustomerSummary {
    CustomerSummary::from_columns(
        rows.iter().map(|r| r.0).collect(),
        rows.iter().map(|r| r.1).collect(),
        rows.iter().map(|r| r.2).collect(),
        vec![0.0; rows.len()],
        TimeUnit::Days,
    )
}

#[test]
fn one_customer_is_a_typed_error() {
    let s = days_summary(&[(3.0, 10.0, 20.0)]);
    assert_eq!(fit(&s), Err(ClvError::TooFewCustomers { count: 1 }));
    assert_eq!(
        fit(&days_summary(&[])),
        Err(ClvError::TooFewCustomers { count: 0 })
    );
}

#[test]
fn nobody_repeating_is_a_typed_error() {
    let s = days_summary(&[(0.0, 0.0, 20.0), (0.0, 0.0, 5.0), (0.0, 0.0, 9.0)]);
    assert_eq!(fit(&s), Err(ClvError::NoRepeatCustomers));
}

#[test]
fn an_invalid_summary_row_is_reported_with_its_position() {
    let s = days_summary(&[(1.0, 5.0, 20.0), (2.0, 30.0, 20.0)]);
    assert!(matches!(
        fit(&s),
        Err(ClvError::InvalidSummaryRow { row: 1, .. })
    ));
}

#[test]
fn everybody_repeating_daily_gives_finite_results() {
    let rows: Vec<_> = (10..40)
        .map(|d| (f64::from(d), f64::from(d), f64::from(d)))
        .collect();
    let s = days_summary(&rows);
    match fit(&s) {
        Ok(m) => {
            for v in [
                m.r(),
                m.alpha(),
                m.s(),
                m.beta(),
                m.log_likelihood().unwrap(),
            ] {
                assert!(v.is_finite(), "{m:?}");
            }
            for &(x, rec, t) in &rows {
                // Last purchase today: certainly alive.
                assert_eq!(m.probability_alive(x, rec, t), Ok(1.0));
                let e = m.expected_purchases(30.0, x, rec, t).unwrap();
                // Everyone buys every day, so about 30 purchases in the next 30 days (fewer if the
                // fit leaves some dropout in).
                assert!(e.is_finite() && (20.0..=31.0).contains(&e), "{e} {m:?}");
                // Someone who stopped 10 days ago is less likely alive, but still a number.
                let p = m.probability_alive(x, rec - 10.0, t).unwrap();
                assert!(p.is_finite() && (0.0..1.0).contains(&p), "{p}");
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

#[test]
fn boundary_fits_give_finite_results() {
    // Nobody drops out but purchase rates differ (the fit sends s → 0 and beta/alpha → 1e7, so the
    // 2F1 argument is within ~1e-7 of 1); one repeat buyer among zeros; everyone bought a few times
    // early and never again; identical customers. Each ends at a boundary of the parameter space.
    let varied: Vec<_> = (0..60)
        .map(|i| {
            let gap = f64::from(1 + i % 7);
            let t = f64::from(100 + i);
            let x = (t / gap).floor();
            (x, x * gap, t)
        })
        .collect();
    let mut one_repeat: Vec<_> = (0..50).map(|i| (0.0, 0.0, f64::from(10 + i))).collect();
    one_repeat.push((1.0, 5.0, 30.0));
    let all_gone: Vec<_> = (0..50)
        .map(|i| (f64::from(1 + i % 3), 2.0, f64::from(300 + i)))
        .collect();
    let identical = vec![(2.0, 10.0, 40.0); 50];
    for rows in [varied, one_repeat, all_gone, identical] {
        let m = fit(&days_summary(&rows)).unwrap();
        for v in [
            m.r(),
            m.alpha(),
            m.s(),
            m.beta(),
            m.log_likelihood().unwrap(),
        ] {
            assert!(v.is_finite(), "{m:?}");
        }
        for &(x, rec, t) in &rows {
            let p = m.probability_alive(x, rec, t).unwrap();
            let e = m.expected_purchases(30.0, x, rec, t).unwrap();
            assert!(
                (0.0..=1.0).contains(&p) && e.is_finite() && e >= 0.0,
                "{p} {e} {m:?}"
            );
        }
    }
}

#[test]
fn the_model_serves_as_a_purchase_model() {
    let m = ParetoNbdModel::from_parameters(0.55, 10.58, 0.61, 11.67, TimeUnit::Weeks).unwrap();
    let value =
        segscope::engine::clv::customer_lifetime_value(&m, 20.0, 2.0, 30.43, 38.86, 12, 0.01)
            .unwrap();
    assert!(value.is_finite() && value > 0.0);
    assert_eq!(PurchaseModel::name(&m), "Pareto/NBD");
}
