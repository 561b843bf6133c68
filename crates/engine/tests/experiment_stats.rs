//! The A/B-test statistics against GrowthBook's gbstats 0.8.0, scipy and statsmodels: the
//! reference values are computed by `tests/fixtures/experiment/make_reference.py`, which calls
//! those libraries (run it with the peers venv's Python to regenerate the JSON files).
//! Tolerance: 1e-6 relative, or 1e-9 absolute for values near 0 (p-values, zero estimates).

#![allow(clippy::unwrap_used, clippy::expect_used)] // helpers of tests

use segscope_engine::experiment::stats::{
    compare, holm, normal_quantile, pooled_theta, power_proportions, sample_size_means,
    sample_size_proportions, srm_p_value, Arm, Comparison, CupedMoments, Degenerate, Difference,
    MetricKind, Moments, TestSettings,
};
use segscope_engine::stats::benjamini_hochberg;
use serde_json::Value;

const PLAIN: &str = include_str!("fixtures/experiment/plain.json");
const SEQUENTIAL: &str = include_str!("fixtures/experiment/sequential.json");
const CUPED: &str = include_str!("fixtures/experiment/cuped.json");
const RAW: &str = include_str!("fixtures/experiment/raw.json");
const SRM: &str = include_str!("fixtures/experiment/srm.json");
const MULTIPLE: &str = include_str!("fixtures/experiment/multiple.json");
const PLANNING: &str = include_str!("fixtures/experiment/planning.json");

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn assert_close(got: f64, want: f64, what: &str) {
    let diff = (got - want).abs();
    assert!(
        diff <= 1e-6 * want.abs() || diff <= 1e-9,
        "{what}: got {got}, reference {want} (diff {diff:e})"
    );
}

fn moments(v: &Value) -> Moments {
    Moments {
        n: v["n"].as_u64().unwrap(),
        sum: f(&v["sum"]),
        sum_squares: f(&v["sum_squares"]),
    }
}

fn cuped(v: &Value) -> CupedMoments {
    CupedMoments {
        post: moments(&v["post"]),
        pre: moments(&v["pre"]),
        sum_products: f(&v["sum_products"]),
    }
}

fn kind(v: &Value) -> MetricKind {
    serde_json::from_value(v.clone()).unwrap()
}

fn settings(v: &Value) -> TestSettings {
    TestSettings {
        alpha: f(&v["alpha"]),
        difference: serde_json::from_value(v["difference"].clone()).unwrap(),
        sequential_tuning: v["sequential_tuning"].as_f64(),
    }
}

fn assert_all_finite(c: &Comparison, what: &str) {
    for (name, v) in [
        ("estimate", c.estimate),
        ("std_error", c.std_error),
        ("ci_low", c.ci_low),
        ("ci_high", c.ci_high),
        ("p_value", c.p_value),
        ("degrees_of_freedom", c.degrees_of_freedom),
        ("chance_to_win", c.chance_to_win),
        ("risk_control", c.risk_control),
        ("risk_variant", c.risk_variant),
    ] {
        assert!(v.is_finite(), "{what}: {name} = {v}");
    }
}

/// Every figure of `got` against gbstats' results in `want` (the fixture's `expected`).
fn assert_matches(got: &Comparison, want: &Value, what: &str) {
    assert_all_finite(got, what);
    for (name, value) in [
        ("estimate", got.estimate),
        ("std_error", got.std_error),
        ("ci_low", got.ci_low),
        ("ci_high", got.ci_high),
        ("p_value", got.p_value),
        ("chance_to_win", got.chance_to_win),
        ("risk_control", got.risk_control),
        ("risk_variant", got.risk_variant),
        ("degrees_of_freedom", got.degrees_of_freedom),
    ] {
        assert_close(value, f(&want[name]), &format!("{what} {name}"));
    }
    assert_eq!(
        got.degenerate.is_some(),
        !want["frequentist_message"].is_null(),
        "{what}: degenerate {:?}, gbstats {}",
        got.degenerate,
        want["frequentist_message"]
    );
}

fn case_name(c: &Value) -> String {
    format!("{} {}", c["name"].as_str().unwrap(), c["settings"])
}

#[test]
fn plain_comparisons_match_gbstats() {
    let v = parse(PLAIN);
    let cases = v["cases"].as_array().unwrap();
    assert!(cases.len() >= 40);
    for c in cases {
        let k = kind(&c["kind"]);
        let got = compare(
            &Arm::plain(&moments(&c["control"]), k),
            &Arm::plain(&moments(&c["variant"]), k),
            &settings(&c["settings"]),
        );
        assert_matches(&got, &c["expected"], &case_name(c));
    }
}

#[test]
fn sequential_comparisons_match_gbstats() {
    let v = parse(SEQUENTIAL);
    let cases = v["cases"].as_array().unwrap();
    // τ 5000 (gbstats' default) and other values; some significant, some capped at p = 1.
    let taus: Vec<f64> = cases
        .iter()
        .map(|c| f(&c["settings"]["sequential_tuning"]))
        .collect();
    assert!(taus.contains(&5000.0) && taus.iter().any(|&t| t != 5000.0));
    assert!(cases.iter().any(|c| f(&c["expected"]["p_value"]) < 0.05));
    for c in cases {
        let k = kind(&c["kind"]);
        let got = compare(
            &Arm::plain(&moments(&c["control"]), k),
            &Arm::plain(&moments(&c["variant"]), k),
            &settings(&c["settings"]),
        );
        assert_matches(&got, &c["expected"], &case_name(c));
    }
}

/// gbstats sets the pooled θ on both statistics in `BaseABTest.__init__`. Its
/// `EffectBayesianABTest` re-assigns `stat_a`/`stat_b` to the caller's objects afterwards, but
/// those are the very objects whose θ was just set, so the Bayesian test uses the pooled θ too
/// (the fixture records the θ each test ended with). Only when θ is 0 does the re-assignment
/// undo gbstats' switch back to the plain post statistics, which changes nothing: a
/// regression-adjusted statistic with θ = 0 is the post statistic.
#[test]
fn cuped_matches_gbstats_with_the_pooled_theta() {
    let v = parse(CUPED);
    for c in v["cases"].as_array().unwrap() {
        let what = case_name(c);
        let (post, pre) = (kind(&c["post_kind"]), kind(&c["pre_kind"]));
        let (a, b) = (cuped(&c["control"]), cuped(&c["variant"]));
        let theta = pooled_theta(&a, &b, post, pre);
        assert_close(theta, f(&c["theta"]), &format!("{what} theta"));
        assert_close(
            theta,
            f(&c["expected"]["theta_frequentist"]),
            &format!("{what} θ freq"),
        );
        assert_close(
            theta,
            f(&c["expected"]["theta_bayesian"]),
            &format!("{what} θ bayes"),
        );
        let got = compare(
            &Arm::cuped(&a, post, pre, theta),
            &Arm::cuped(&b, post, pre, theta),
            &settings(&c["settings"]),
        );
        assert_matches(&got, &c["expected"], &what);
    }
}

#[test]
fn cuped_narrows_the_interval_of_a_correlated_covariate() {
    let v = parse(CUPED);
    let c = &v["cases"][0];
    let (a, b) = (cuped(&c["control"]), cuped(&c["variant"]));
    let s = settings(&c["settings"]);
    let plain = compare(
        &Arm::plain(&a.post, MetricKind::Mean),
        &Arm::plain(&b.post, MetricKind::Mean),
        &s,
    );
    let theta = pooled_theta(&a, &b, MetricKind::Mean, MetricKind::Mean);
    let adjusted = compare(
        &Arm::cuped(&a, MetricKind::Mean, MetricKind::Mean, theta),
        &Arm::cuped(&b, MetricKind::Mean, MetricKind::Mean, theta),
        &s,
    );
    assert!(
        adjusted.std_error < plain.std_error * 0.8,
        "{adjusted:?} vs {plain:?}"
    );
    // θ = 0 is the plain comparison.
    let zero = compare(
        &Arm::cuped(&a, MetricKind::Mean, MetricKind::Mean, 0.0),
        &Arm::cuped(&b, MetricKind::Mean, MetricKind::Mean, 0.0),
        &s,
    );
    assert_close(zero.estimate, plain.estimate, "θ 0 estimate");
    assert_close(zero.std_error, plain.std_error, "θ 0 std error");
}

/// Raw per-customer values pushed through `Moments`/`CupedMoments` give gbstats' results on the
/// same sums (summed in the same order by the script).
#[test]
fn raw_values_through_moments_match_gbstats() {
    let v = parse(RAW);
    let values = |x: &Value| -> Vec<f64> { x.as_array().unwrap().iter().map(f).collect() };
    for c in v["cases"].as_array().unwrap() {
        let k = kind(&c["kind"]);
        let (mut a, mut b) = (Moments::default(), Moments::default());
        values(&c["control_values"])
            .into_iter()
            .for_each(|x| a.push(x));
        values(&c["variant_values"])
            .into_iter()
            .for_each(|x| b.push(x));
        let got = compare(
            &Arm::plain(&a, k),
            &Arm::plain(&b, k),
            &settings(&c["settings"]),
        );
        assert_matches(&got, &c["expected"], &case_name(c));
    }
    let c = &v["cuped"];
    let (mut a, mut b) = (CupedMoments::default(), CupedMoments::default());
    for (post, pre) in values(&c["control_post"])
        .into_iter()
        .zip(values(&c["control_pre"]))
    {
        a.push(post, pre);
    }
    for (post, pre) in values(&c["variant_post"])
        .into_iter()
        .zip(values(&c["variant_pre"]))
    {
        b.push(post, pre);
    }
    let m = MetricKind::Mean;
    let theta = pooled_theta(&a, &b, m, m);
    assert_close(theta, f(&c["theta"]), "raw cuped theta");
    let got = compare(
        &Arm::cuped(&a, m, m, theta),
        &Arm::cuped(&b, m, m, theta),
        &settings(&c["settings"]),
    );
    assert_matches(&got, &c["expected"], "raw cuped");
}

#[test]
fn srm_matches_gbstats_check_srm() {
    let v = parse(SRM);
    for c in v["cases"].as_array().unwrap() {
        let users: Vec<u64> = c["users"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap())
            .collect();
        let weights: Vec<f64> = c["weights"].as_array().unwrap().iter().map(f).collect();
        assert_close(
            srm_p_value(&users, &weights),
            f(&c["p_value"]),
            &format!("srm {users:?} {weights:?}"),
        );
    }
    // Beyond gbstats' inputs: one arm, missing weights, weights summing to ≤ 0.
    assert_eq!(srm_p_value(&[100], &[1.0]), 1.0);
    assert_eq!(srm_p_value(&[], &[]), 1.0);
    assert_eq!(srm_p_value(&[100, 120], &[0.0, 0.0]), 1.0);
    assert_eq!(srm_p_value(&[100, 120], &[0.5, -0.5]), 1.0);
    assert!(srm_p_value(&[100, 120, 90], &[0.5, 0.5]).is_finite());
}

#[test]
fn holm_and_bh_match_statsmodels() {
    let v = parse(MULTIPLE);
    for c in v["cases"].as_array().unwrap() {
        let p: Vec<f64> = c["p"].as_array().unwrap().iter().map(f).collect();
        for (name, got) in [("holm", holm(&p)), ("fdr_bh", benjamini_hochberg(&p))] {
            let want: Vec<f64> = c[name].as_array().unwrap().iter().map(f).collect();
            assert_eq!(got.len(), want.len());
            for (g, w) in got.iter().zip(&want) {
                assert_close(*g, *w, &format!("{name} {p:?}"));
            }
        }
    }
    assert!(holm(&[]).is_empty());
    assert_eq!(holm(&[f64::NAN, 0.01]), vec![1.0, 0.02]);
}

/// Evan Miller's calculator (evanmiller.org/ab-testing/sample-size.html) shows 1,030 per
/// variation for a 20 % baseline, +5 points absolute, α 0.05 two-sided, 80 % power; the formula
/// gives 1030.2, shown rounded to the nearest unit.
#[test]
fn sample_size_proportions_matches_evan_miller() {
    let n = sample_size_proportions(0.2, 0.05, 0.05, 0.8).unwrap();
    assert!((n - 1030.2).abs() < 0.05, "{n}");
    assert_eq!(n.round(), 1030.0);
    // A drop is as hard to see as a rise of the same size from the mirrored rate.
    let down = sample_size_proportions(0.8, -0.05, 0.05, 0.8).unwrap();
    assert!((down - n).abs() < 1e-9, "{down} vs {n}");
    // Invalid inputs.
    for (p, d, a, pw) in [
        (0.0, 0.05, 0.05, 0.8),
        (1.0, 0.05, 0.05, 0.8),
        (0.2, 0.0, 0.05, 0.8),
        (0.2, 0.85, 0.05, 0.8),
        (0.2, -0.25, 0.05, 0.8),
        (0.2, 0.05, 0.0, 0.8),
        (0.2, 0.05, 1.0, 0.8),
        (0.2, 0.05, 0.05, 1.0),
        (0.2, 0.05, 0.05, 0.0),
        (f64::NAN, 0.05, 0.05, 0.8),
    ] {
        assert_eq!(
            sample_size_proportions(p, d, a, pw),
            None,
            "{p} {d} {a} {pw}"
        );
        if pw > 0.0 && pw < 1.0 {
            assert_eq!(power_proportions(p, d, a, 1000.0), None, "{p} {d} {a}");
        }
    }
    assert_eq!(power_proportions(0.2, 0.05, 0.05, 0.0), None);
    // Power so low that no sample is needed.
    assert_eq!(sample_size_proportions(0.2, 0.05, 0.9, 0.01), Some(0.0));
}

#[test]
fn power_round_trips_with_sample_size() {
    for (p, d, a, power) in [
        (0.2, 0.05, 0.05, 0.8),
        (0.03, 0.006, 0.1, 0.9),
        (0.5, -0.1, 0.01, 0.95),
    ] {
        let n = sample_size_proportions(p, d, a, power).unwrap();
        assert_close(power_proportions(p, d, a, n).unwrap(), power, "round trip");
    }
    let at_1030 = power_proportions(0.2, 0.05, 0.05, 1030.0).unwrap();
    assert!(at_1030 < 0.8 && at_1030 > 0.7999, "{at_1030}");
}

#[test]
fn sample_size_means_matches_statsmodels() {
    let v = parse(PLANNING);
    for c in v["means"].as_array().unwrap() {
        let got = sample_size_means(
            f(&c["std_dev"]),
            f(&c["mde"]),
            f(&c["alpha"]),
            f(&c["power"]),
        )
        .unwrap();
        // NormalIndPower with one tail at α/2 is the closed form: to 1e-6.
        assert_close(
            got,
            f(&c["statsmodels_one_tail_half_alpha"]),
            &format!("means {c}"),
        );
        // Its two-sided solve also counts the far tail: a hair (< 1e-4 relative) smaller.
        let two_sided = f(&c["statsmodels_two_sided"]);
        assert!(
            got >= two_sided && (got - two_sided) / two_sided < 1e-4,
            "{got} vs {two_sided}"
        );
    }
    assert_eq!(sample_size_means(0.0, 1.0, 0.05, 0.8), None);
    assert_eq!(sample_size_means(1.0, 0.0, 0.05, 0.8), None);
    assert_eq!(sample_size_means(1.0, 1.0, 1.5, 0.8), None);
    assert_eq!(sample_size_means(1.0, f64::INFINITY, 0.05, 0.8), None);
}

#[test]
fn normal_quantile_matches_scipy() {
    let v = parse(PLANNING);
    for c in v["normal_quantile"].as_array().unwrap() {
        assert_close(
            normal_quantile(f(&c["p"])),
            f(&c["x"]),
            &format!("norm.ppf {}", c["p"]),
        );
    }
}

fn arm(n: u64, mean: f64, variance: f64) -> Arm {
    Arm {
        n,
        mean,
        unadjusted_mean: mean,
        variance,
    }
}

fn assert_default(c: &Comparison, reason: Degenerate) {
    assert_eq!(c.degenerate, Some(reason), "{c:?}");
    assert_eq!(
        (c.estimate, c.std_error, c.ci_low, c.ci_high, c.p_value),
        (0.0, 0.0, 0.0, 0.0, 1.0)
    );
    assert_eq!(
        (c.chance_to_win, c.risk_control, c.risk_variant),
        (0.5, 0.0, 0.0)
    );
}

#[test]
fn edge_cases_give_the_default_output_never_nan() {
    let s = TestSettings::default();
    let good = arm(100, 5.0, 2.0);
    // Control mean 0: both difference types (gbstats' t-test refuses it for both).
    assert_default(
        &compare(&arm(100, 0.0, 2.0), &good, &s),
        Degenerate::BaselineZero,
    );
    let absolute = TestSettings {
        difference: Difference::Absolute,
        ..s
    };
    assert_default(
        &compare(&arm(100, 0.0, 2.0), &good, &absolute),
        Degenerate::BaselineZero,
    );
    // CUPED-adjusted control mean 0 with a non-zero unadjusted mean: refused as gbstats.
    let adjusted_zero = Arm {
        n: 100,
        mean: 0.0,
        unadjusted_mean: 3.0,
        variance: 2.0,
    };
    assert_default(
        &compare(&adjusted_zero, &good, &s),
        Degenerate::BaselineZero,
    );
    // Zero and negative variance.
    assert_default(
        &compare(&good, &arm(100, 6.0, 0.0), &s),
        Degenerate::ZeroVariance,
    );
    assert_default(
        &compare(&arm(100, 5.0, -1e-12), &good, &s),
        Degenerate::ZeroVariance,
    );
    // Empty arms (either side) and single units (no sample variance, Welch's n − 1 = 0).
    assert_default(&compare(&arm(0, 0.0, 0.0), &good, &s), Degenerate::Empty);
    assert_default(&compare(&good, &arm(0, 0.0, 0.0), &s), Degenerate::Empty);
    assert_default(
        &compare(&good, &arm(1, 4.0, 3.0), &s),
        Degenerate::ZeroVariance,
    );
    assert_default(
        &compare(&arm(1, 4.0, 3.0), &good, &s),
        Degenerate::ZeroVariance,
    );
    // Non-finite inputs and overflow.
    assert_default(
        &compare(&good, &arm(100, f64::NAN, 2.0), &s),
        Degenerate::ZeroVariance,
    );
    assert_default(
        &compare(&good, &arm(100, 5.0, f64::INFINITY), &s),
        Degenerate::ZeroVariance,
    );
    assert_default(
        &compare(&arm(100, 1e-200, 1e200), &good, &s),
        Degenerate::ZeroVariance,
    );
    // Through Moments: an empty arm, a binomial arm with no conversion as control.
    let empty = Arm::plain(&Moments::default(), MetricKind::Mean);
    assert_default(&compare(&good, &empty, &s), Degenerate::Empty);
    let none = Arm::plain(
        &Moments {
            n: 50,
            sum: 0.0,
            sum_squares: 0.0,
        },
        MetricKind::Binomial,
    );
    assert_default(&compare(&none, &good, &s), Degenerate::BaselineZero);
    // Odd settings stay finite.
    for settings in [
        TestSettings { alpha: 0.0, ..s },
        TestSettings { alpha: 1.0, ..s },
        TestSettings {
            alpha: f64::NAN,
            ..s
        },
        TestSettings {
            sequential_tuning: Some(0.0),
            ..s
        },
        TestSettings {
            sequential_tuning: Some(f64::NAN),
            ..s
        },
    ] {
        let c = compare(&good, &arm(120, 5.3, 2.5), &settings);
        assert!(c.degenerate.is_none());
        assert_all_finite(&c, &format!("{settings:?}"));
    }
    // An enormous effect: the sequential e-value would overflow, p is 0.
    let seq = TestSettings {
        sequential_tuning: Some(5000.0),
        ..s
    };
    let c = compare(&arm(1_000_000, 5.0, 1e-6), &arm(1_000_000, 6.0, 1e-6), &seq);
    assert_eq!(c.p_value, 0.0);
    assert_all_finite(&c, "huge sequential effect");
}

#[test]
fn huge_samples_use_the_normal_limit() {
    let s = TestSettings {
        difference: Difference::Absolute,
        ..TestSettings::default()
    };
    let n = 1_000_000_000_000u64;
    let c = compare(&arm(n, 5.0, 4.0), &arm(n, 5.000_003, 4.0), &s);
    assert!(c.degenerate.is_none());
    assert_all_finite(&c, "huge n");
    assert!(c.degrees_of_freedom > 1e12);
    // z = 3e-6 / sqrt(8e-12) = 1.0607: the normal two-sided p-value.
    let z: f64 = 3e-6 / 8e-12_f64.sqrt();
    let want = 1.0 - libm::erf(z / std::f64::consts::SQRT_2);
    assert!((c.p_value - want).abs() < 1e-6, "{} vs {want}", c.p_value);
    let half = c.ci_high - c.estimate;
    assert!((half / c.std_error - normal_quantile(0.975)).abs() < 1e-6);
}

#[test]
fn settings_and_kinds_serialize_in_snake_case() {
    assert_eq!(
        serde_json::to_string(&MetricKind::Binomial).unwrap(),
        "\"binomial\""
    );
    assert_eq!(
        serde_json::to_string(&Difference::Absolute).unwrap(),
        "\"absolute\""
    );
    assert_eq!(
        serde_json::to_string(&Degenerate::BaselineZero).unwrap(),
        "\"baseline_zero\""
    );
    let s = TestSettings::default();
    assert_eq!(
        (s.alpha, s.difference, s.sequential_tuning),
        (0.05, Difference::Relative, None)
    );
}
