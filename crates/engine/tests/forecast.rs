//! The revenue forecast against independent references: statsmodels' `ETSModel` on AirPassengers
//! (`tests/fixtures/forecast/make_reference.py` → `reference.json`), statsmodels' `MSTL` on a
//! synthetic weekly series (`make_mstl_reference.py` → `mstl_reference.json`), planted truths, and the
//! typed errors.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use rand::{Rng as _, SeedableRng as _};
use rand_pcg::Pcg64Mcg;
use serde_json::Value;

use segscope_engine::calendar::day_from_ymd;
use segscope_engine::forecast::ets::{self, ErrorKind, SeasonKind, TrendKind};
use segscope_engine::forecast::mstl;
use segscope_engine::forecast::{
    EtsParams, EtsSpec, ForecastAnalysis, ForecastError, ForecastParams, ForecastPeriod,
};
use segscope_engine::rfm::{analyze, RfmParams};
use segscope_engine::table_out::CsvSink;
use segscope_engine::{Dataset, Day};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/forecast")
}

fn reference() -> Value {
    let text = std::fs::read_to_string(fixtures().join("reference.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// AirPassengers from the CSV fixture (not from the JSON: the two must agree).
fn air() -> Vec<f64> {
    let text = std::fs::read_to_string(fixtures().join("airpassengers.csv")).unwrap();
    let values: Vec<f64> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    let json: Vec<f64> = reference()["values"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect();
    assert_eq!(values, json);
    assert_eq!(values.len(), 144);
    values
}

fn spec_of(model: &Value) -> EtsSpec {
    let kind = |v: &Value| v.as_str().map(str::to_owned);
    EtsSpec {
        error: if model["error"] == "mul" {
            ErrorKind::Multiplicative
        } else {
            ErrorKind::Additive
        },
        trend: match (kind(&model["trend"]).as_deref(), model["damped"].as_bool()) {
            (None, _) => TrendKind::None,
            (Some(_), Some(true)) => TrendKind::Damped,
            (Some(_), _) => TrendKind::Additive,
        },
        season: match kind(&model["seasonal"]).as_deref() {
            None => SeasonKind::None,
            Some("mul") => SeasonKind::Multiplicative,
            Some(_) => SeasonKind::Additive,
        },
        period: model["seasonal_periods"].as_u64().unwrap() as usize,
    }
}

fn params_of(model: &Value) -> EtsParams {
    let p = &model["params"];
    let f = |k: &str| p[k].as_f64().unwrap();
    EtsParams {
        alpha: f("alpha"),
        beta: f("beta"),
        gamma: f("gamma"),
        phi: f("phi"),
        level: f("initial_level"),
        trend: f("initial_trend"),
        season: p["initial_seasonal"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .collect(),
    }
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-12)
}

#[test]
fn with_statsmodels_parameters_likelihood_criteria_forecasts_and_intervals_agree() {
    let y = air();
    let reference = reference();
    for model in reference["models"].as_array().unwrap() {
        let name = model["spec"].as_str().unwrap();
        let spec = spec_of(model);
        let fit = ets::EtsFit::with_params(spec, params_of(model), &y).unwrap();
        let llf = model["llf"].as_f64().unwrap();
        assert!(
            rel(fit.loglik, llf) < 1e-9,
            "{name}: llf {} vs {llf}",
            fit.loglik
        );
        assert_eq!(
            fit.k() as u64,
            model["df_model"].as_u64().unwrap(),
            "{name}: k"
        );
        for (ours, key) in [(fit.aic(), "aic"), (fit.aicc(), "aicc"), (fit.bic(), "bic")] {
            let theirs = model[key].as_f64().unwrap();
            assert!(rel(ours, theirs) < 1e-9, "{name}: {key} {ours} vs {theirs}");
        }
        let mse = model["scale"].as_f64().unwrap();
        assert!(rel(fit.mse, mse) < 1e-9, "{name}: mse {} vs {mse}", fit.mse);
        let expected = floats(&model["forecast"]);
        let ours = fit.forecast(expected.len());
        for (h, (a, b)) in ours.iter().zip(&expected).enumerate() {
            assert!(rel(*a, *b) < 1e-9, "{name}: forecast {h}: {a} vs {b}");
        }
        let steps = fit.forecast_with_intervals(expected.len());
        if let Some(intervals) = model.get("intervals") {
            for key in ["lo80", "hi80", "lo95", "hi95"] {
                for (h, theirs) in floats(&intervals[key]).into_iter().enumerate() {
                    let s = steps[h];
                    let ours = match key {
                        "lo80" => s.lo80,
                        "hi80" => s.hi80,
                        "lo95" => s.lo95,
                        _ => s.hi95,
                    };
                    assert!(
                        rel(ours, theirs) < 1e-9,
                        "{name}: {key}[{h}] {ours} vs {theirs}"
                    );
                }
            }
        } else {
            // Simulated on both sides (different generators, 2000 paths here, 20000 there):
            // every end within 5 % of statsmodels' 95 % width (about 3 Monte Carlo standard
            // errors), and ordered around the forecast.
            let sim = &model["simulated_intervals"];
            let (lo95, hi95) = (floats(&sim["lo95"]), floats(&sim["hi95"]));
            for key in ["lo80", "hi80", "lo95", "hi95"] {
                for (h, theirs) in floats(&sim[key]).into_iter().enumerate() {
                    let s = steps[h];
                    let ours = match key {
                        "lo80" => s.lo80,
                        "hi80" => s.hi80,
                        "lo95" => s.lo95,
                        _ => s.hi95,
                    };
                    let tolerance = 0.05 * (hi95[h] - lo95[h]);
                    assert!(
                        (ours - theirs).abs() <= tolerance,
                        "{name}: {key}[{h}] {ours} vs {theirs} (±{tolerance})"
                    );
                }
            }
            for s in &steps {
                assert!(s.lo95 < s.lo80 && s.lo80 < s.mean && s.mean < s.hi80 && s.hi80 < s.hi95);
            }
        }
    }
}

#[test]
fn our_fits_reach_statsmodels_likelihood() {
    let y = air();
    let reference = reference();
    for model in reference["models"].as_array().unwrap() {
        let name = model["spec"].as_str().unwrap();
        let fit = ets::fit(spec_of(model), &y).unwrap();
        let llf = model["llf"].as_f64().unwrap();
        let aic = model["aic"].as_f64().unwrap();
        eprintln!("{name}: ours {:.4} statsmodels {llf:.4}", fit.loglik);
        assert!(
            fit.loglik >= llf - 0.05,
            "{name}: llf {} < {llf}",
            fit.loglik
        );
        assert!(fit.aic() <= aic + 0.1, "{name}: aic {} > {aic}", fit.aic());
    }
}

#[test]
fn autoets_picks_a_multiplicative_season_for_airpassengers() {
    let y = air();
    let (fit, steps) = ets::auto(&y, 12, 24).unwrap();
    eprintln!("{} aicc {}", fit.spec.name(), fit.aicc());
    assert_eq!(
        fit.spec.season,
        SeasonKind::Multiplicative,
        "{}",
        fit.spec.name()
    );
    // Lower AICc than statsmodels' best fit of the reference specs.
    let best = reference()["models"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["aicc"].as_f64().unwrap())
        .fold(f64::INFINITY, f64::min);
    assert!(fit.aicc() <= best + 0.1, "{} vs {best}", fit.aicc());
    assert_eq!(steps.len(), 24);
    // 1961's July peak above its November trough, as every year of the data.
    assert!(steps[6].mean > steps[10].mean);
}

/// y = 200 + 1.5 t + season(t) + N(0, 2²), 120 months.
fn planted(n: usize, seed: u64) -> (Vec<f64>, impl Fn(usize) -> f64) {
    const SEASON: [f64; 12] = [
        -20.0, -15.0, 0.0, 5.0, 10.0, 25.0, 30.0, 20.0, 5.0, -10.0, -25.0, -25.0,
    ];
    let truth = |t: usize| 200.0 + 1.5 * t as f64 + SEASON[t % 12];
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let y = (0..n)
        .map(|t| {
            // Box–Muller.
            let u1: f64 = 1.0 - rng.random::<f64>();
            let u2: f64 = rng.random();
            truth(t) + 2.0 * (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
        })
        .collect();
    (y, truth)
}

#[test]
fn a_planted_level_trend_and_season_are_recovered() {
    let (y, truth) = planted(120, 7);
    let (fit, steps) = ets::auto(&y, 12, 12).unwrap();
    assert_eq!(fit.spec.season, SeasonKind::Additive, "{}", fit.spec.name());
    assert_ne!(fit.spec.trend, TrendKind::None, "{}", fit.spec.name());
    // Residual sd near the planted 2.
    assert!((fit.mse.sqrt() - 2.0).abs() < 0.5, "sd {}", fit.mse.sqrt());
    // Trend per month near 1.5; forecasts near the truth; the 95 % intervals hold it.
    assert!((fit.trend - 1.5).abs() < 0.3, "trend {}", fit.trend);
    let mut inside = 0;
    for (h, s) in steps.iter().enumerate() {
        let t = truth(120 + h);
        assert!((s.mean - t).abs() < 6.0, "h {h}: {} vs {t}", s.mean);
        inside += usize::from(s.lo95 <= t && t <= s.hi95);
    }
    assert!(inside >= 11, "{inside}");
}

/// One order a day for `days` days from 2020-01-01: revenue 100 + 30·[December] + day/10, one
/// customer per weekday; a return of -5 every tenth day (left out of revenue and orders).
fn daily_dataset(days: i32) -> Dataset {
    let start = day_from_ymd(2020, 1, 1).unwrap();
    let mut d = Dataset {
        customer_ids: (0..7).map(|i| format!("c{i}")).collect(),
        ..Dataset::default()
    };
    for i in 0..days {
        let day = start + i;
        let month = segscope_engine::calendar::year_month(day).unwrap().1;
        let amount = 100.0 + if month == 12 { 30.0 } else { 0.0 } + f64::from(i) / 10.0;
        d.customer.push((i % 7) as u32);
        d.day.push(day);
        d.amount.push(amount);
        if i % 10 == 0 {
            d.customer.push(((i + 3) % 7) as u32);
            d.day.push(day);
            d.amount.push(-5.0);
        }
    }
    d.is_exact_duplicate = vec![false; d.customer.len()];
    d
}

fn run(
    d: &Dataset,
    as_of: Option<Day>,
    params: ForecastParams,
) -> Result<ForecastAnalysis, ForecastError> {
    let analysis = analyze(
        d,
        &RfmParams {
            as_of_day: as_of,
            ..RfmParams::default()
        },
    )
    .unwrap();
    ForecastAnalysis::run(d, &analysis, params)
}

#[test]
fn monthly_series_sum_the_purchases_and_leave_out_the_partial_period() {
    // 2020-01-01 .. 2023-03-15; as-of the day after: March 2023 is partial.
    let days = day_from_ymd(2023, 3, 15).unwrap() - day_from_ymd(2020, 1, 1).unwrap() + 1;
    let d = daily_dataset(days);
    let a = run(&d, None, ForecastParams::default()).unwrap();
    assert_eq!(a.partial_period.as_deref(), Some("2023-03"));
    assert_eq!(a.periods, 38); // 2020-01 .. 2023-02
    assert_eq!(a.season, 12);
    // Independent sums: every positive line is its own order (different customers a day).
    let mut expected = vec![0.0; 38];
    let mut counts = vec![0.0; 38];
    for (&day, &amount) in d.day.iter().zip(&d.amount) {
        let (y, m) = segscope_engine::calendar::year_month(day).unwrap();
        let i = ((y - 2020) * 12 + m as i32 - 1) as usize;
        if amount > 0.0 && i < 38 {
            expected[i] += amount;
            counts[i] += 1.0;
        }
    }
    for (i, (a, b)) in a.revenue.history.iter().zip(&expected).enumerate() {
        assert!((a - b).abs() < 1e-6, "{i}: {a} vs {b}");
    }
    assert_eq!(a.orders.history, counts);
    assert_eq!(a.label(0), "2020-01");
    assert_eq!(a.label(38), "2023-03");
    let report = a.report();
    assert_eq!(report.revenue.forecast.len(), 12);
    assert_eq!(report.revenue.forecast[0].label, "2023-03");
    let b = report.revenue.backtest.unwrap();
    assert!(b.origins >= 1);
    // A complete as-of period: as-of on the last day of February keeps February, no partial.
    let a = run(&d, day_from_ymd(2023, 2, 28), ForecastParams::default()).unwrap();
    assert_eq!(a.partial_period, None);
    assert_eq!(a.periods, 38);
}

#[test]
fn bad_input_gets_typed_errors() {
    // One month of data.
    let d = daily_dataset(31);
    assert_eq!(
        run(&d, None, ForecastParams::default()).unwrap_err(),
        ForecastError::TooShort {
            periods: 1,
            needed: 6,
            period: ForecastPeriod::Month,
        }
    );
    // Ten months, a horizon of twelve.
    let d = daily_dataset(day_from_ymd(2020, 11, 1).unwrap() - day_from_ymd(2020, 1, 1).unwrap());
    assert_eq!(
        run(&d, None, ForecastParams::default()).unwrap_err(),
        ForecastError::HorizonTooLong {
            horizon: 12,
            history: 10
        }
    );
    let ok = run(
        &d,
        None,
        ForecastParams {
            horizon: 3,
            ..ForecastParams::default()
        },
    )
    .unwrap();
    assert_eq!(ok.season, 1);
    assert!(matches!(
        run(
            &d,
            None,
            ForecastParams {
                horizon: 0,
                ..ForecastParams::default()
            }
        ),
        Err(ForecastError::HorizonOutOfRange { .. })
    ));
    // Weekly: 12 weeks of history is fine for a 4-week horizon.
    let d = daily_dataset(7 * 12 + 5);
    let w = run(
        &d,
        None,
        ForecastParams {
            period: ForecastPeriod::Week,
            horizon: 4,
            backtest_origins: 3,
        },
    )
    .unwrap();
    assert_eq!(w.report().orders.forecast.len(), 4);
}

/// Every number of the JSON is finite (serde_json writes NaN and infinities as null) and only
/// the documented optional fields may be null.
fn assert_finite(v: &Value, path: &str) {
    match v {
        Value::Null => {
            let optional = [
                "partial_period",
                "backtest",
                "model_mape",
                "model_mase",
                "naive_mape",
                "naive_mase",
            ];
            assert!(optional.iter().any(|k| path.ends_with(k)), "null at {path}");
        }
        Value::Number(n) => assert!(n.as_f64().is_some_and(f64::is_finite), "{path}"),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| assert_finite(x, &format!("{path}[{i}]"))),
        Value::Object(o) => o
            .iter()
            .for_each(|(k, x)| assert_finite(x, &format!("{path}.{k}"))),
        _ => {}
    }
}

#[test]
fn the_report_holds_only_finite_numbers_and_the_export_one_row_per_period() {
    // A series with zeros (MAPE undefined) and a spike.
    let days = day_from_ymd(2022, 6, 30).unwrap() - day_from_ymd(2020, 1, 1).unwrap() + 1;
    let mut d = daily_dataset(days);
    let july = day_from_ymd(2021, 7, 1).unwrap();
    for (day, amount) in d.day.iter().zip(d.amount.iter_mut()) {
        if (july..july + 31).contains(day) && *amount > 0.0 {
            *amount = 0.0;
        }
    }
    d.customer.push(0);
    d.day.push(day_from_ymd(2021, 3, 3).unwrap());
    d.amount.push(1e6);
    d.is_exact_duplicate.push(false);
    let a = run(&d, None, ForecastParams::default()).unwrap();
    let report = a.report();
    let json = serde_json::to_value(&report).unwrap();
    assert_finite(&json, "report");
    let mut sink = CsvSink::new(100);
    let rows = a.export(&mut sink);
    assert_eq!(rows, a.export_rows());
    assert_eq!(rows, u64::from(a.periods) + 12);
}

/// `cargo test -p segscope-engine --test forecast -- --ignored --nocapture`: times the run on
/// the 1M-line benchmark file (skipped when absent).
#[test]
#[ignore]
fn timing_on_the_1m_line_file() {
    use segscope_engine::ingest::{ingest, preview, IngestParams, PreviewParams};
    let path =
        std::env::var("SEGSCOPE_BENCH_CSV").unwrap_or_else(|_| "/tmp/bench-data/tx_1m.csv".into());
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("no {path}; skipped");
        return;
    };
    let head = &bytes[..bytes.len().min(1 << 20)];
    let shape = preview(head, &PreviewParams::default()).unwrap();
    let params = IngestParams {
        encoding: shape.encoding,
        delimiter: shape.delimiter,
        has_header: shape.has_header,
        date_order: shape.date_order,
        mapping: shape.mapping.clone(),
        keep_far_dates: false,
    };
    let (dataset, _) = ingest(&bytes[..], bytes.len() as u64, &params, &mut |_| {}).unwrap();
    let analysis = analyze(&dataset, &RfmParams::default()).unwrap();
    for period in [ForecastPeriod::Month, ForecastPeriod::Week] {
        let start = std::time::Instant::now();
        let a = ForecastAnalysis::run(
            &dataset,
            &analysis,
            ForecastParams {
                period,
                ..ForecastParams::default()
            },
        )
        .unwrap();
        let r = a.report();
        eprintln!(
            "{period:?}: {:.3} s, {} periods, revenue {} orders {}, backtest {:?}",
            start.elapsed().as_secs_f64(),
            a.periods,
            r.revenue.model,
            r.orders.model,
            r.revenue.backtest
        );
        // The model part alone: AutoETS of both series (the rest is the pass over the lines
        // and the backtest).
        let start = std::time::Instant::now();
        for s in [&a.revenue, &a.orders] {
            ets::auto(&s.history, a.season as usize, 12).unwrap();
        }
        eprintln!(
            "  AutoETS of both series: {:.3} s",
            start.elapsed().as_secs_f64()
        );
    }
}

fn mstl_reference() -> Value {
    let text = std::fs::read_to_string(fixtures().join("mstl_reference.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// stlrs's MSTL (through [`mstl::decompose`]) against statsmodels' `MSTL`/`STL` with stlrs's
/// defaults (`tests/fixtures/forecast/make_mstl_reference.py`): both are the reference STL
/// algorithm, so the components agree to rounding.
#[test]
fn mstl_decomposition_matches_statsmodels() {
    let reference = mstl_reference();
    let text = std::fs::read_to_string(fixtures().join("weekly_synthetic.csv")).unwrap();
    let y: Vec<f64> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap().parse().unwrap())
        .collect();
    assert_eq!(y, floats(&reference["values"]));
    assert_eq!(y.len(), 208);
    let d = mstl::decompose(&y, 52).unwrap();
    let mut worst = (0.0f64, 0.0f64);
    for (key, ours) in [
        ("seasonal", &d.seasonal),
        ("trend", &d.trend),
        ("resid", &d.remainder),
    ] {
        let theirs = floats(&reference[key]);
        assert_eq!(ours.len(), theirs.len());
        for (t, (a, b)) in ours.iter().zip(&theirs).enumerate() {
            assert!((a - b).abs() < 1e-6, "{key}[{t}]: {a} vs {b}");
            worst.0 = worst.0.max((a - b).abs());
        }
    }
    let strength = reference["strength"].as_f64().unwrap();
    worst.1 = (d.strength() - strength).abs();
    eprintln!(
        "largest component difference {:e}, strength difference {:e}",
        worst.0, worst.1
    );
    assert!(worst.1 < 1e-9, "strength {} vs {strength}", d.strength());
}

/// Weekly truth: 1000 + 2t + a yearly wave + a five-week December bump.
fn weekly_truth(t: usize) -> f64 {
    let week = (t % 52) as f64;
    1000.0
        + 2.0 * t as f64
        + 150.0 * (std::f64::consts::TAU * week / 52.0).sin()
        + if (46..=50).contains(&(t % 52)) {
            250.0
        } else {
            0.0
        }
}

/// `weeks` weeks from Monday 2021-01-04: week `t` holds `2 + (7t mod 5)` purchase orders whose
/// net sums to `weekly_truth(t) + N(0, 20²)`.
fn weekly_dataset(weeks: usize, seed: u64) -> (Dataset, Day) {
    let start = day_from_ymd(2021, 1, 4).unwrap();
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut d = Dataset {
        customer_ids: (0..7).map(|i| format!("c{i}")).collect(),
        ..Dataset::default()
    };
    for t in 0..weeks {
        let u1: f64 = 1.0 - rng.random::<f64>();
        let u2: f64 = rng.random();
        let noise = 20.0 * (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
        let value = weekly_truth(t) + noise;
        let k = 2 + (7 * t) % 5;
        for j in 0..k {
            d.customer.push(((t + j) % 7) as u32);
            d.day.push(start + (t * 7 + j) as i32);
            d.amount.push(value / k as f64);
        }
    }
    d.is_exact_duplicate = vec![false; d.customer.len()];
    (d, start + (weeks * 7) as i32 - 1)
}

#[test]
fn weekly_series_with_a_planted_year_take_mstl_and_its_intervals_hold_the_truth() {
    let weeks = 208;
    let (d, as_of) = weekly_dataset(weeks, 11);
    let params = ForecastParams {
        period: ForecastPeriod::Week,
        horizon: 52,
        backtest_origins: 5,
    };
    let a = run(&d, Some(as_of), params).unwrap();
    assert_eq!(a.periods as usize, weeks);
    assert_eq!(a.season, 52);
    assert!(a.partial_period.is_none());
    let s = &a.revenue;
    let choice = s.mstl.as_ref().unwrap();
    eprintln!(
        "{}: strength {:.3}, MASE mstl {:?} plain {:?} (plain {})",
        s.model_name(),
        choice.strength,
        choice.mstl_mase,
        choice.plain_mase,
        ets::auto(&s.history, 52, 52).unwrap().0.spec.name()
    );
    assert!(choice.chosen);
    assert!(choice.strength >= 0.64, "{}", choice.strength);
    let (m, p) = (choice.mstl_mase.unwrap(), choice.plain_mase.unwrap());
    assert!(m < p, "MSTL MASE {m} vs plain ETS {p}");
    let b = s.backtest.unwrap();
    assert_eq!((b.naive_lag, b.origins), (52, 5));
    assert_eq!(b.model_mase, Some(m));
    // The forecasts: the 95 % intervals hold the noise-free truth for most weeks.
    let inside = s
        .forecast
        .iter()
        .enumerate()
        .filter(|(h, f)| {
            let t = weekly_truth(weeks + h);
            f.lo95 <= t && t <= f.hi95
        })
        .count();
    assert!(inside >= 47, "{inside} of 52");
    let report = a.report();
    assert!(
        report.revenue.model.starts_with("MSTL(52) + ETS(")
            && report.revenue.model.ends_with(",N)"),
        "{}",
        report.revenue.model
    );
    assert!(report.revenue.season_strength.is_some());
    let json = serde_json::to_value(&report).unwrap();
    assert_finite(&json, "report");
    // Orders (2..=6 a week, no yearly pattern) are judged too, whichever wins.
    assert!(a.orders.mstl.is_some());
}

#[test]
fn monthly_and_short_weekly_series_do_not_weigh_mstl() {
    let days = day_from_ymd(2022, 12, 31).unwrap() - day_from_ymd(2020, 1, 1).unwrap() + 1;
    let d = daily_dataset(days);
    let a = run(&d, None, ForecastParams::default()).unwrap();
    assert!(a.revenue.mstl.is_none() && a.orders.mstl.is_none());
    assert!(a.report().revenue.model.starts_with("ETS("));
    // 100 weeks: no 52-week season, no MSTL.
    let (d, as_of) = weekly_dataset(100, 3);
    let params = ForecastParams {
        period: ForecastPeriod::Week,
        ..ForecastParams::default()
    };
    let a = run(&d, Some(as_of), params).unwrap();
    assert_eq!(a.season, 1);
    assert!(a.revenue.mstl.is_none());
}
