//! The experiment models against their references: scikit-learn's `LogisticRegression`,
//! `roc_auc_score` and `calibration_curve`, a pandas decile table, and scikit-uplift's Qini and
//! uplift curves and scores. Fixtures and expected values come from
//! `tests/fixtures/experiment/make_models_reference.py`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use ndarray::Array2;
use segscope_engine::experiment::response::{
    auc, calibration_table, decile_table, LogisticParams, ModelError,
};
use segscope_engine::experiment::uplift::{
    downsample, qini_coefficient, qini_curve, uplift_auc, uplift_curve, CurvePoint, UpliftParams,
};
use serde_json::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/experiment/");

/// A CSV of numbers as named columns.
fn read_csv(name: &str) -> (Vec<String>, Vec<Vec<f64>>) {
    let mut reader = csv::Reader::from_path(format!("{DIR}{name}")).unwrap();
    let headers: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let mut columns = vec![Vec::new(); headers.len()];
    for record in reader.records() {
        for (column, cell) in columns.iter_mut().zip(record.unwrap().iter()) {
            column.push(cell.parse::<f64>().unwrap());
        }
    }
    (headers, columns)
}

fn column<'a>(table: &'a (Vec<String>, Vec<Vec<f64>>), name: &str) -> &'a [f64] {
    let i = table.0.iter().position(|h| h == name).unwrap();
    &table.1[i]
}

fn matrix(table: &(Vec<String>, Vec<Vec<f64>>), names: &[&str]) -> Array2<f64> {
    let n = column(table, names[0]).len();
    Array2::from_shape_fn((n, names.len()), |(i, j)| column(table, names[j])[i])
}

fn bools(values: &[f64]) -> Vec<bool> {
    values.iter().map(|v| *v == 1.0).collect()
}

fn json(name: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(format!("{DIR}{name}")).unwrap()).unwrap()
}

fn floats(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect()
}

fn close(actual: f64, expected: f64, tolerance: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= tolerance * expected.abs().max(1.0),
        "{what}: {actual} vs {expected}"
    );
}

#[test]
fn logistic_matches_sklearn_on_standardised_features() {
    let data = read_csv("response.csv");
    let expected = json("response_expected.json");
    let x = matrix(&data, &["x1", "x2", "x3", "x4"]);
    let y = bools(column(&data, "y"));
    let weight = column(&data, "weight");
    for fit in expected["fits"].as_array().unwrap() {
        let penalty = fit["l2_penalty"].as_f64().unwrap();
        let weights = fit["weighted"].as_bool().unwrap().then_some(weight);
        let model = LogisticParams::new()
            .l2_penalty(penalty)
            .check()
            .unwrap()
            .fit(x.view(), &y, weights)
            .unwrap();
        let what = format!("λ = {penalty}, weighted {}", weights.is_some());
        for (m, e) in model.means().iter().zip(floats(&expected["means"])) {
            close(*m, e, 1e-12, "mean");
        }
        for (s, e) in model.scales().iter().zip(floats(&expected["scales"])) {
            close(*s, e, 1e-12, "scale");
        }
        close(
            model.intercept(),
            fit["intercept"].as_f64().unwrap(),
            1e-5,
            &what,
        );
        for (c, e) in model
            .coefficients()
            .iter()
            .zip(floats(&fit["coefficients"]))
        {
            close(*c, e, 1e-5, &what);
        }
        // The constant column (scale 1, centred to ~0) carries no weight.
        assert!(model.coefficients()[3].abs() < 1e-9);
        let p = model.predict_probability(x.view()).unwrap();
        let reference = floats(&fit["probabilities"]);
        assert!(!reference.is_empty());
        for (a, e) in p.iter().zip(&reference) {
            assert!((a - e).abs() <= 1e-6, "{what}: probability {a} vs {e}");
        }
        // The original-scale parameters give the same probabilities on the raw features.
        let row = x.row(10);
        let eta = model.intercept_original_scale()
            + model
                .coefficients_original_scale()
                .iter()
                .zip(row.iter())
                .map(|(w, v)| w * v)
                .sum::<f64>();
        close(1.0 / (1.0 + (-eta).exp()), p[10], 1e-9, "original scale");
        assert!(
            model.iterations() < 30,
            "{what}: {} iterations",
            model.iterations()
        );
    }
}

#[test]
fn logistic_recovers_the_planted_direction() {
    // The fixture's response was drawn from σ(−1 − 0.9 z₁ + 0.6 z₂ + 0.4 z₃): signs survive.
    let data = read_csv("response.csv");
    let x = matrix(&data, &["x1", "x2", "x3", "x4"]);
    let y = bools(column(&data, "y"));
    let model = LogisticParams::new()
        .l2_penalty(0.01)
        .check()
        .unwrap()
        .fit(x.view(), &y, None)
        .unwrap();
    let c = model.coefficients();
    assert!(c[0] < -0.5 && c[1] > 0.3 && c[2] > 0.2, "{c:?}");
    let err = LogisticParams::new()
        .check()
        .unwrap()
        .fit(x.view(), &vec![false; y.len()], None);
    assert_eq!(err.unwrap_err(), ModelError::OneClass);
}

#[test]
fn auc_matches_roc_auc_score() {
    let data = read_csv("response.csv");
    let expected = json("response_expected.json");
    let score = column(&data, "score");
    let y = bools(column(&data, "y"));
    close(
        auc(score, &y).unwrap(),
        expected["auc"].as_f64().unwrap(),
        1e-12,
        "auc",
    );
    close(
        auc(&score[..100], &y[..100]).unwrap(),
        expected["auc_first_100"].as_f64().unwrap(),
        1e-12,
        "auc 100",
    );
}

#[test]
fn deciles_match_pandas_qcut_on_rank() {
    let data = read_csv("response.csv");
    let expected = json("response_expected.json");
    let score = column(&data, "score");
    let y = bools(column(&data, "y"));
    for (key, n) in [
        ("deciles", score.len()),
        ("deciles_901", 901),
        ("deciles_23", 23),
        ("deciles_7", 7),
    ] {
        let table = decile_table(&score[..n], &y[..n]);
        let reference = expected[key].as_array().unwrap();
        assert_eq!(table.len(), reference.len(), "{key}");
        for (d, e) in table.iter().zip(reference) {
            let int = |k: &str| e[k].as_u64().unwrap();
            let float = |k: &str| e[k].as_f64().unwrap();
            assert_eq!(u64::from(d.decile), int("decile"), "{key}");
            assert_eq!(d.customers, int("customers"), "{key} decile {}", d.decile);
            assert_eq!(d.responders, int("responders"), "{key} decile {}", d.decile);
            assert_eq!(
                d.cumulative_responders,
                int("cumulative_responders"),
                "{key}"
            );
            close(d.response_rate, float("response_rate"), 1e-12, key);
            close(d.lift, float("lift"), 1e-12, key);
            close(d.cumulative_gain, float("cumulative_gain"), 1e-12, key);
            close(d.cumulative_lift, float("cumulative_lift"), 1e-12, key);
            assert_eq!(d.min_score, float("min_score"), "{key}");
            assert_eq!(d.max_score, float("max_score"), "{key}");
        }
    }
    let full = decile_table(score, &y);
    assert_eq!(full.len(), 10);
    assert!(full.windows(2).all(|w| w[0].min_score >= w[1].max_score));
    assert_eq!(full.last().unwrap().cumulative_gain, 1.0);
    assert!(decile_table(&[0.5, f64::NAN], &[true, false]).is_empty());
}

#[test]
fn calibration_matches_sklearn_quantile_strategy() {
    let data = read_csv("response.csv");
    let expected = json("response_expected.json");
    let score = column(&data, "score");
    let y = bools(column(&data, "y"));
    for (key, bins) in [("calibration_10", 10_u8), ("calibration_7", 7)] {
        let table = calibration_table(score, &y, bins);
        let observed = floats(&expected[key]["observed_rate"]);
        let predicted = floats(&expected[key]["mean_predicted"]);
        assert_eq!(table.len(), observed.len(), "{key}");
        for ((b, o), p) in table.iter().zip(&observed).zip(&predicted) {
            close(b.observed_rate, *o, 1e-12, key);
            close(b.mean_predicted, *p, 1e-12, key);
        }
        assert_eq!(
            table.iter().map(|b| b.customers).sum::<u64>(),
            score.len() as u64
        );
    }
}

fn compare_curve(actual: &[CurvePoint], xs: &Value, ys: &Value, what: &str) {
    let xs: Vec<u64> = xs
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    let ys = floats(ys);
    assert_eq!(actual.len(), xs.len(), "{what}");
    let n = *xs.last().unwrap() as f64;
    for ((p, x), y) in actual.iter().zip(&xs).zip(&ys) {
        assert_eq!(p.targeted, *x, "{what}");
        close(p.value, *y, 1e-9, what);
        close(p.share, *x as f64 / n, 1e-15, what);
    }
}

#[test]
fn curves_and_scores_match_scikit_uplift() {
    let data = read_csv("uplift.csv");
    let expected = json("uplift_expected.json");
    let score = column(&data, "score");
    let t = bools(column(&data, "t"));
    for outcome in ["y", "y_null"] {
        let y = bools(column(&data, outcome));
        let e = &expected[if outcome == "y" { "effect" } else { "null" }];
        compare_curve(
            &qini_curve(score, &y, &t),
            &e["qini_x"],
            &e["qini_y"],
            "qini",
        );
        compare_curve(
            &uplift_curve(score, &y, &t),
            &e["uplift_x"],
            &e["uplift_y"],
            "uplift",
        );
        let q = qini_coefficient(score, &y, &t).unwrap();
        close(
            q,
            e["qini_auc_score"].as_f64().unwrap(),
            1e-9,
            "qini_auc_score",
        );
        let a = uplift_auc(score, &y, &t).unwrap();
        close(
            a,
            e["uplift_auc_score"].as_f64().unwrap(),
            1e-9,
            "uplift_auc_score",
        );
    }
    let y = bools(column(&data, "y"));
    let full = qini_curve(score, &y, &t);
    let small = downsample(&full, 20);
    assert_eq!(small.len(), 20);
    assert_eq!((small[0], small[19]), (full[0], *full.last().unwrap()));
}

/// The planted uplift of each row: σ(control logit + effect) − σ(control logit).
fn planted_uplift(x: &Array2<f64>, planted: &Value) -> Vec<f64> {
    let sigmoid = |z: f64| 1.0 / (1.0 + (-z).exp());
    let base = floats(&planted["base"]);
    let effect = floats(&planted["effect"]);
    let b0 = planted["base_intercept"].as_f64().unwrap();
    let e0 = planted["effect_intercept"].as_f64().unwrap();
    x.rows()
        .into_iter()
        .map(|row| {
            let control = b0 + row.iter().zip(&base).map(|(v, c)| v * c).sum::<f64>();
            let lift = e0 + row.iter().zip(&effect).map(|(v, c)| v * c).sum::<f64>();
            sigmoid(control + lift) - sigmoid(control)
        })
        .collect()
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

#[test]
fn two_model_uplift_recovers_the_planted_effect() {
    let data = read_csv("uplift.csv");
    let expected = json("uplift_expected.json");
    let x = matrix(&data, &["x1", "x2", "x3"]);
    let t = bools(column(&data, "t"));
    let truth = planted_uplift(&x, &expected["planted"]);
    let params = UpliftParams::new()
        .test_share(0.3)
        .seed(11)
        .check()
        .unwrap();

    let y = bools(column(&data, "y"));
    let model = params.fit(x.view(), &y, &t).unwrap();
    assert_eq!(model.test_rows().len(), 900);
    assert_eq!(model.train_rows().len() + model.test_rows().len(), 3000);
    let test_x = x.select(ndarray::Axis(0), model.test_rows());
    let predicted = model.predict_uplift(test_x.view()).unwrap();
    assert!(predicted
        .iter()
        .all(|u| u.is_finite() && (-1.0..=1.0).contains(u)));
    let test_truth: Vec<f64> = model.test_rows().iter().map(|i| truth[*i]).collect();
    let r = pearson(&predicted, &test_truth);
    assert!(r > 0.8, "correlation with the planted uplift {r}");
    let evaluation = model.evaluation().unwrap();
    let q = evaluation.qini_coefficient.unwrap();
    assert!(q > 0.08, "Qini coefficient with an effect {q}");
    assert_eq!(evaluation.qini.len(), evaluation.uplift.len());
    assert_eq!(evaluation.qini.last().unwrap().targeted, 900);
    // Deterministic: the same seed gives the same model.
    assert_eq!(params.fit(x.view(), &y, &t).unwrap(), model);

    // Without an effect the held-out Qini coefficient is sampling noise around 0 (about ±0.05 on
    // 900 rows): averaged over five splits it is near 0, and each stays well below the effect's.
    let y_null = bools(column(&data, "y_null"));
    let mut null_scores = Vec::new();
    for seed in 1..=5 {
        let split = UpliftParams::new()
            .test_share(0.3)
            .seed(seed)
            .check()
            .unwrap();
        let null_model = split.fit(x.view(), &y_null, &t).unwrap();
        null_scores.push(null_model.evaluation().unwrap().qini_coefficient.unwrap());
    }
    let mean_null = null_scores.iter().sum::<f64>() / 5.0;
    println!(
        "r = {r:.4}, Qini {q:.4}, Qini without effect {null_scores:.4?} (mean {mean_null:.4})"
    );
    assert!(
        mean_null.abs() < 0.04,
        "Qini coefficients without an effect {null_scores:?}"
    );
    assert!(
        null_scores.iter().all(|v| v.abs() < 0.1 && *v < q),
        "{null_scores:?}"
    );
}

#[test]
fn uplift_errors() {
    let x = Array2::<f64>::zeros((4, 1));
    let params = UpliftParams::new().test_share(0.0).check().unwrap();
    assert_eq!(
        params.fit(x.view(), &[true, false, true, false], &[true; 4]),
        Err(ModelError::EmptyGroup { treated: false })
    );
    assert!(matches!(
        UpliftParams::new().test_share(1.0).check(),
        Err(ModelError::InvalidTestShare { .. })
    ));
    assert_eq!(
        params.fit(x.view(), &[true], &[true; 4]),
        Err(ModelError::ShapeMismatch {
            expected: 4,
            found: 1
        })
    );
    let model = params
        .fit(
            x.view(),
            &[true, false, true, false],
            &[true, true, false, false],
        )
        .unwrap();
    assert!(model.evaluation().is_none());
    assert!(model
        .predict_uplift(x.view())
        .unwrap()
        .iter()
        .all(|u| u.abs() < 1e-12));
}
