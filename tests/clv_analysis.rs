//! The scoring layer (CLV, churn bands, next purchase, holdout comparison) against `lifetimes`
//! (tests/fixtures/clv/make_golden_clv.py) and hand-checkable cases.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{assert_rel, dataset_from_csv, day};
use segscope::engine::clv::{
    customer_lifetime_value, customer_lifetime_value_with_spend_model, BgNbdModel, ChurnRisk,
    ClvAnalysis, ClvError, ClvReport, ClvSettings, ClvWarning, FittedModels, GammaGammaModel,
    HoldoutComparison, PurchaseModel, PurchaseModelKind, TimeUnit,
};
use serde_json::Value;

const GOLDEN: &str = include_str!("fixtures/clv/golden_clv.json");
const SAMPLE_CSV: &str = include_str!("fixtures/clv/tx_sample.csv");

fn golden() -> Value {
    serde_json::from_str(GOLDEN).unwrap()
}

fn f(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap()
}

fn no_clock() -> impl FnMut() -> f64 {
    || 0.0
}

fn lifetimes_models(g: &Value) -> (BgNbdModel, GammaGammaModel) {
    let b = &g["bgnbd"];
    let gg = &g["gamma_gamma"];
    (
        BgNbdModel::from_parameters(
            f(b, "r"),
            f(b, "alpha"),
            f(b, "a"),
            f(b, "b"),
            TimeUnit::Days,
        )
        .unwrap(),
        GammaGammaModel::from_parameters(f(gg, "p"), f(gg, "q"), f(gg, "v")).unwrap(),
    )
}

#[test]
fn clv_at_lifetimes_parameters_agrees_with_lifetimes() {
    let g = golden();
    let (bg, gg) = lifetimes_models(&g);
    let ds = dataset_from_csv(SAMPLE_CSV);
    let analysis = ClvAnalysis::run(
        &ds,
        &ClvSettings {
            calibration_end_day: Some(day("2024-06-30")),
            ..ClvSettings::default()
        },
        &mut no_clock(),
    )
    .unwrap();
    let s = &analysis.summary;
    let expected = g["clv"].as_object().unwrap();
    assert_eq!(s.len(), expected.len());
    for row in 0..s.len() {
        let id = ds.customer_ids.get(s.customer[row]);
        let clv = customer_lifetime_value_with_spend_model(
            &bg,
            &gg,
            s.frequency[row],
            s.recency[row],
            s.age[row],
            s.monetary[row],
            12,
            0.01,
        )
        .unwrap();
        assert_rel(clv, expected[id].as_f64().unwrap(), 1e-4, id);
    }
}

#[test]
fn fitted_run_scores_agree_with_lifetimes_to_the_fit_tolerance() {
    // Our own fit lands within ~1e-3 of lifetimes' parameters (tests/clv.rs), so the CLVs of the
    // whole run agree to a few 1e-3; the total to 1e-3.
    let g = golden();
    let ds = dataset_from_csv(SAMPLE_CSV);
    let analysis = ClvAnalysis::run(
        &ds,
        &ClvSettings {
            calibration_end_day: Some(day("2024-06-30")),
            ..ClvSettings::default()
        },
        &mut no_clock(),
    )
    .unwrap();
    let clv = analysis.scores.clv.as_ref().unwrap();
    let total: f64 = clv.iter().sum();
    let expected_total: f64 = g["clv"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_f64().unwrap())
        .sum();
    assert_rel(total, expected_total, 2e-3, "total CLV");
    assert_eq!(analysis.fits.len(), 3, "{:?}", analysis.warnings);
}

#[test]
fn unconditional_expected_purchases_agree_with_lifetimes() {
    let g = golden();
    let (bg, _) = lifetimes_models(&g);
    for point in g["unconditional"].as_array().unwrap() {
        let t = f(point, "t");
        assert_rel(
            bg.expected_purchases_new_customer(t),
            f(point, "expected"),
            1e-4,
            &format!("E[X({t})]"),
        );
    }
}

#[test]
fn holdout_actuals_and_buckets_agree_with_lifetimes() {
    let g = golden();
    let h = &g["holdout"];
    let ds = dataset_from_csv(SAMPLE_CSV);
    let comparison = HoldoutComparison::run(
        &ds,
        day("2024-03-31"),
        Some(day("2024-06-30")),
        TimeUnit::Days,
        &mut no_clock(),
    )
    .unwrap();
    assert_eq!(comparison.models[0], "BG/NBD");
    let buckets = h["by_frequency"].as_array().unwrap();
    assert_eq!(comparison.by_frequency.len(), buckets.len());
    for (ours, theirs) in comparison.by_frequency.iter().zip(buckets) {
        assert_eq!(
            u64::from(ours.calibration_frequency),
            theirs["bucket"].as_u64().unwrap()
        );
        assert_eq!(ours.customers, theirs["customers"].as_u64().unwrap());
        // Actual counts are exact.
        assert_rel(
            ours.actual_mean,
            f(theirs, "actual_mean"),
            1e-12,
            "actual mean",
        );
        // Predictions come from our own calibration fit (within 1e-3 of lifetimes' parameters).
        assert_rel(
            ours.predicted_mean[0],
            f(theirs, "predicted_mean"),
            5e-3,
            &format!("bucket {}", ours.calibration_frequency),
        );
    }
    let actual_total: f64 = h["frequency_holdout"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_f64().unwrap())
        .sum();
    assert_eq!(comparison.actual_holdout_purchases, actual_total);
    // The cumulative curve ends at the holdout end with every repeat purchase of the cohort, and
    // passes through the calibration end.
    let last = comparison.cumulative.last().unwrap();
    assert_eq!(last.day, day("2024-06-30"));
    assert!(comparison
        .cumulative
        .iter()
        .any(|p| p.day == day("2024-03-31")));
    let calibration_repeats: f64 = comparison
        .by_frequency
        .iter()
        .map(|b| f64::from(b.calibration_frequency) * b.customers as f64)
        .sum();
    // Bucket 7 holds "7 or more", so the calibration repeats are at least this.
    let at_split = comparison
        .cumulative
        .iter()
        .find(|p| p.day == day("2024-03-31"))
        .unwrap();
    assert!(at_split.actual >= calibration_repeats);
    assert_eq!(last.actual, at_split.actual + actual_total);
    // In-sample, the model's cumulative expectation tracks the actual within 10 %.
    assert_rel(
        at_split.predicted[0],
        at_split.actual,
        0.1,
        "cumulative at split",
    );
}

#[test]
fn scores_bands_and_next_purchase_are_consistent() {
    let ds = dataset_from_csv(SAMPLE_CSV);
    let settings = ClvSettings {
        calibration_end_day: Some(day("2024-06-30")),
        horizon_days: 60,
        ..ClvSettings::default()
    };
    let a = ClvAnalysis::run(&ds, &settings, &mut no_clock()).unwrap();
    let s = &a.scores;
    for i in 0..a.summary.len() {
        let p = s.probability_alive[i];
        assert!((0.0..=1.0).contains(&p));
        // The band is read from the chance of a purchase in the horizon, which an alive
        // customer may still miss.
        let chance = s.purchase_chance_horizon[i];
        assert!((0.0..=p).contains(&chance), "{chance} > {p}");
        assert_eq!(s.churn_risk[i], settings.churn_risk(chance));
        assert!(s.expected_purchases_30_days[i] <= s.expected_purchases_horizon[i] + 1e-12);
        assert!(s.expected_purchases_horizon[i] <= s.expected_purchases_90_days[i] + 1e-12);
        assert!(s.expected_purchases_90_days[i] <= s.expected_purchases_365_days[i] + 1e-12);
        match s.next_purchase_day[i] {
            Some(d) => assert!(d > a.calibration_end_day && s.churn_risk[i] != ChurnRisk::High),
            None => assert_eq!(s.churn_risk[i], ChurnRisk::High),
        }
    }
    // A customer with a long gap since their last repeat purchase is less likely alive than one
    // who bought at the calibration end (same x and T).
    let m = a.bg_nbd.as_ref().unwrap();
    assert!(
        m.probability_alive(5.0, 100.0, 400.0).unwrap()
            < m.probability_alive(5.0, 390.0, 400.0).unwrap()
    );

    let report = ClvReport::new(&ds, &a, None);
    assert_eq!(report.kpis.customers as usize, a.summary.len());
    assert_eq!(
        report.kpis.churn_customers.iter().sum::<u64>() as usize,
        a.summary.len()
    );
    assert_eq!(report.top_customers.len(), 20);
    assert!(report
        .top_customers
        .windows(2)
        .all(|w| w[0].clv >= w[1].clv));
    let matrix = &report.probability_alive_matrix;
    assert_eq!(matrix.values.len(), matrix.recencies.len());
    // Probability alive rises with recency at fixed frequency.
    let column = 3;
    assert!(matrix.values.first().unwrap()[column] < matrix.values.last().unwrap()[column]);

    let csv = a.export_scores_csv(&ds);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(reader.headers().unwrap().len(), 15);
    assert_eq!(&reader.headers().unwrap()[9], "expected_purchases_60d");
    assert_eq!(&reader.headers().unwrap()[12], "purchase_chance_60d");
    assert_eq!(reader.records().count(), a.summary.len());
}

#[test]
fn settings_and_dates_are_checked() {
    let ds = dataset_from_csv(SAMPLE_CSV);
    let run = |settings: ClvSettings| ClvAnalysis::run(&ds, &settings, &mut no_clock());
    assert!(matches!(
        run(ClvSettings {
            horizon_days: 0,
            ..ClvSettings::default()
        }),
        Err(ClvError::InvalidHorizon { .. })
    ));
    assert!(matches!(
        run(ClvSettings {
            discount_monthly: -0.1,
            ..ClvSettings::default()
        }),
        Err(ClvError::InvalidDiscountRate { .. })
    ));
    assert!(matches!(
        run(ClvSettings {
            churn_high_below: 0.8,
            churn_low_from: 0.5,
            ..ClvSettings::default()
        }),
        Err(ClvError::InvalidChurnThresholds { .. })
    ));
    assert!(matches!(
        run(ClvSettings {
            calibration_end_day: Some(day("2030-01-01")),
            ..ClvSettings::default()
        }),
        Err(ClvError::CalibrationEndOutsideData { .. })
    ));
    assert!(matches!(
        HoldoutComparison::run(
            &ds,
            day("2024-03-31"),
            Some(day("2024-03-01")),
            TimeUnit::Days,
            &mut no_clock()
        ),
        Err(ClvError::HoldoutEndBeforeCalibrationEnd { .. })
    ));
}

#[test]
fn equal_spend_is_a_warning_not_a_failure() {
    // Everyone spends exactly 10: Gamma-Gamma has no spread to fit; the run still scores purchases.
    let mut text = String::from("customer_id,date,amount\n");
    for c in 0..40 {
        for k in 0..(c % 5 + 1) {
            text.push_str(&format!("C{c},2024-01-{:02},10\n", 1 + k * 5 + c % 3));
        }
    }
    let ds = dataset_from_csv(&text);
    let a = ClvAnalysis::run(&ds, &ClvSettings::default(), &mut no_clock()).unwrap();
    assert!(a.scores.probability_alive.iter().all(|p| p.is_finite()));
    match &a.scores.clv {
        None => assert!(a
            .warnings
            .iter()
            .any(|w| matches!(w, ClvWarning::SpendModelFailed { .. }))),
        Some(clv) => assert!(clv.iter().all(|v| v.is_finite())),
    }
}

#[test]
fn customer_table_filters_by_churn_risk_and_sorts_by_clv() {
    use segscope::engine::customers::{
        self, predictions as columns, BandFilter, Cell, CustomerColumns, CustomerQuery,
        Predictions, SortKey,
    };
    use segscope::engine::rfm::{self, RfmParams};
    let ds = dataset_from_csv(SAMPLE_CSV);
    let rfm_analysis = rfm::analyze(&ds, &RfmParams::default()).unwrap();
    let clv = ClvAnalysis::run(&ds, &ClvSettings::default(), &mut no_clock()).unwrap();
    let predictions = Predictions::new(&clv);
    // "High value, probably churning": the high-risk band, highest CLV first.
    let q = CustomerQuery {
        bands: vec![BandFilter {
            column: columns::CHURN_RISK.to_string(),
            values: vec!["high".to_string()],
        }],
        sort: SortKey::Column(columns::CLV.to_string()),
        descending: true,
        limit: 1000,
        ..CustomerQuery::default()
    };
    let sources: [&dyn CustomerColumns; 1] = [&predictions];
    let page = customers::query(&ds, &rfm_analysis, &sources, &q);
    let at = |key: &str| page.columns.iter().position(|c| c.key == key).unwrap();
    let (risk, next, clv_at) = (
        at(columns::CHURN_RISK),
        at(columns::NEXT_PURCHASE),
        at(columns::CLV),
    );
    let high = clv
        .scores
        .churn_risk
        .iter()
        .filter(|r| **r == ChurnRisk::High)
        .count();
    assert!(high > 0);
    assert_eq!(page.matching as usize, high);
    let values: Vec<f64> = page
        .rows
        .iter()
        .map(|r| {
            assert_eq!(
                r.cells[risk],
                Some(Cell::Band(ChurnRisk::High.index() as u8))
            );
            assert_eq!(r.cells[next], None);
            match r.cells[clv_at] {
                Some(Cell::Number(v)) => v,
                other => panic!("CLV cell {other:?}"),
            }
        })
        .collect();
    assert!(values.windows(2).all(|w| w[0] >= w[1]), "{values:?}");
    // Without predictions the filter matches nobody rather than everybody.
    assert_eq!(customers::query(&ds, &rfm_analysis, &[], &q).matching, 0);

    let csv = customers::export_csv(&ds, &rfm_analysis, &sources, &q);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    assert_eq!(header.len(), 17);
    assert_eq!(&header[12], "expected_purchases_180d");
    assert_eq!(&header[14], "purchase_chance_180d");
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), high);
    assert!(records
        .iter()
        .all(|r| &r[15] == "high" && r[16].is_empty() && r[14].parse::<f64>().unwrap() < 0.3));
}

#[test]
fn pareto_unconditional_expected_purchases_agree_with_lifetimes() {
    // lifetimes 0.11.3 ParetoNBDFitter.expected_number_of_purchases_up_to_time at the published
    // CDNOW estimates (weeks).
    let m = segscope::engine::clv::ParetoNbdModel::from_parameters(
        0.5534,
        10.5802,
        0.6061,
        11.6562,
        TimeUnit::Weeks,
    )
    .unwrap();
    for (t, expected) in [
        (1.0, 0.051_004_534_002_316_95),
        (39.0, 1.213_117_711_861_513_3),
        (78.0, 1.909_365_996_931_509_5),
    ] {
        assert_rel(
            m.expected_purchases_new_customer(t),
            expected,
            1e-10,
            "E[X(t)]",
        );
    }
}

/// "Native = wasm": the demo's fits and score sums, pinned here and in `tests/web.rs` (headless
/// Chromium) against the same values (the CLV maths uses `libm`, so both give the same bits).
#[test]
fn demo_predictions_are_pinned_for_the_wasm_comparison() {
    common::assert_demo_predictions_pinned();
}

/// Regression ("Numbers you can trust"): a 4-month file gave a mean probability alive of 98.5 %
/// and a whole "Lost" segment at low churn risk, with no word of doubt. A window of fewer than
/// three median purchase gaps now carries `DropoutNotIdentified`; the two-year demo does not.
#[test]
fn a_window_too_short_to_identify_dropout_is_said() {
    // 300 customers who each bought every 30–60 days over four months.
    let mut text = String::from("customer_id,date,amount\n");
    for c in 0..300_u32 {
        let gap = 30 + (c % 31) as i64;
        let start = i64::from(c % 20);
        let mut d = start;
        while d <= 120 {
            let date =
                chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap() + chrono::Duration::days(d);
            text.push_str(&format!("C{c},{date},{}\n", 20 + c % 7));
            d += gap;
        }
    }
    let short = dataset_from_csv(&text);
    let run = ClvAnalysis::run(&short, &ClvSettings::default(), &mut no_clock()).unwrap();
    let warning = run
        .warnings
        .iter()
        .find_map(|w| match w {
            ClvWarning::DropoutNotIdentified {
                window_days,
                median_gap_days,
                ..
            } => Some((*window_days, *median_gap_days)),
            _ => None,
        })
        .expect("a short window is said");
    assert!(warning.0 <= 121 && warning.1 >= 30.0, "{warning:?}");

    let csv = include_str!("../public/demo/transactions.csv");
    let lines: String = csv
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            format!("{},{},{}\n", f[0], f[2], f[3])
        })
        .collect();
    let demo = dataset_from_csv(&lines);
    let run = ClvAnalysis::run(&demo, &ClvSettings::default(), &mut no_clock()).unwrap();
    assert!(
        !run.warnings
            .iter()
            .any(|w| matches!(w, ClvWarning::DropoutNotIdentified { .. })),
        "{:?}",
        run.warnings
    );
}

/// Fitting only the scoring model (the command line's default) scores every customer with the
/// same bits as fitting both; the model table and the warnings lose only the other model.
#[test]
fn fitting_only_the_scoring_model_gives_the_same_scores() {
    let ds = dataset_from_csv(SAMPLE_CSV);
    for kind in [PurchaseModelKind::BgNbd, PurchaseModelKind::ParetoNbd] {
        let run = |models: FittedModels| {
            ClvAnalysis::run(
                &ds,
                &ClvSettings {
                    calibration_end_day: Some(day("2024-03-31")),
                    purchase_model: kind,
                    models,
                    ..ClvSettings::default()
                },
                &mut no_clock(),
            )
            .unwrap()
        };
        let (both, one) = (run(FittedModels::Compare), run(FittedModels::ScoringOnly));
        assert_eq!(one.scores, both.scores, "{kind:?}");
        assert_eq!(one.scoring, both.scoring, "{kind:?}");
        assert_eq!(one.gamma_gamma, both.gamma_gamma, "{kind:?}");
        let scoring = kind.name();
        let names: Vec<&str> = one.fits.iter().map(|f| f.model.as_str()).collect();
        assert_eq!(names, [scoring, "Gamma-Gamma"], "{kind:?}");
        let kept: Vec<_> = both
            .fits
            .iter()
            .filter(|f| {
                f.model != PurchaseModelKind::BgNbd.name() || kind == PurchaseModelKind::BgNbd
            })
            .filter(|f| {
                f.model != PurchaseModelKind::ParetoNbd.name()
                    || kind == PurchaseModelKind::ParetoNbd
            })
            .collect();
        assert_eq!(one.fits.iter().collect::<Vec<_>>(), kept, "{kind:?}");
        match kind {
            PurchaseModelKind::BgNbd => {
                assert!(one.pareto_nbd.is_none());
                assert_eq!(one.bg_nbd, both.bg_nbd);
                // The warnings of the other model's fit go with it.
                let other = |w: &&ClvWarning| !matches!(w, ClvWarning::AtBoundary { model, .. } | ClvWarning::NotConverged { model } if model == "Pareto/NBD");
                assert_eq!(
                    one.warnings,
                    both.warnings
                        .iter()
                        .filter(other)
                        .cloned()
                        .collect::<Vec<_>>()
                );
            }
            PurchaseModelKind::ParetoNbd => {
                assert!(one.bg_nbd.is_none());
                assert_eq!(one.pareto_nbd, both.pareto_nbd);
            }
        }
    }
}

/// The scores are each model call's value: the CLV's month ends that equal a horizon of the
/// expected purchases are computed once, with the same bits (days: 30, 90 and 180 days are month
/// ends; weeks: none is).
#[test]
fn scores_are_the_model_calls_bit_for_bit() {
    let ds = dataset_from_csv(SAMPLE_CSV);
    for time_unit in [TimeUnit::Days, TimeUnit::Weeks] {
        for kind in [PurchaseModelKind::BgNbd, PurchaseModelKind::ParetoNbd] {
            let settings = ClvSettings {
                calibration_end_day: Some(day("2024-03-31")),
                time_unit,
                purchase_model: kind,
                ..ClvSettings::default()
            };
            let a = ClvAnalysis::run(&ds, &settings, &mut no_clock()).unwrap();
            let model = a.scoring_model();
            let spend = a.gamma_gamma.as_ref().unwrap();
            let unit = time_unit.days_per_unit();
            let s = &a.summary;
            for i in 0..s.len() {
                let (x, tx, t) = (s.frequency[i], s.recency[i], s.age[i]);
                let expected = |days: f64| model.expected_purchases(days / unit, x, tx, t).unwrap();
                let c = &a.scores;
                assert_eq!(
                    c.probability_alive[i],
                    model.probability_alive(x, tx, t).unwrap()
                );
                assert_eq!(c.expected_purchases_30_days[i], expected(30.0));
                assert_eq!(c.expected_purchases_90_days[i], expected(90.0));
                assert_eq!(c.expected_purchases_365_days[i], expected(365.0));
                assert_eq!(c.expected_purchases_horizon[i], expected(180.0));
                let clv = customer_lifetime_value_with_spend_model(
                    model,
                    spend,
                    x,
                    tx,
                    t,
                    s.monetary[i],
                    settings.clv_horizon_months,
                    settings.discount_monthly,
                )
                .unwrap();
                let per_purchase = customer_lifetime_value(model, 1.0, x, tx, t, 12, 0.01).unwrap();
                let value = spend.expected_average_value(x, s.monetary[i]).unwrap();
                assert_eq!(c.clv.as_ref().unwrap()[i], value * per_purchase, "{i}");
                assert!((c.clv.as_ref().unwrap()[i] - clv).abs() <= 1e-9 * clv.abs().max(1.0));
            }
        }
    }
}

/// Natively the summary, the fits' likelihoods and the scoring split their work over two threads:
/// the results are the same bits as on one (45,000 customers of a BG/NBD process, enough for each
/// part to split).
#[test]
fn two_threads_give_the_same_bits_as_one() {
    let mut csv = String::from("customer_id,date,amount\n");
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut uniform = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    for customer in 0..45_000 {
        // Purchase rates of one in 10 to 100 days; a dropout chance of 5–25 % after each one.
        let rate = 0.01 + 0.09 * uniform();
        let dropout = 0.05 + 0.2 * uniform();
        let mut day = (600.0 * uniform()).floor();
        while day < 730.0 {
            let cents = 500 + (20_000.0 * uniform()) as u64;
            let date = day_text(day as u64);
            csv.push_str(&format!(
                "C{customer},{date},{}.{:02}\n",
                cents / 100,
                cents % 100
            ));
            if uniform() < dropout {
                break;
            }
            day += (-(1.0 - uniform()).ln() / rate).ceil();
        }
    }
    let ds = dataset_from_csv(&csv);
    let settings = ClvSettings {
        calibration_end_day: Some(day("2024-12-30")),
        ..ClvSettings::default()
    };
    let one = ClvAnalysis::run_on(&ds, &settings, 1, &mut no_clock()).unwrap();
    let two = ClvAnalysis::run_on(&ds, &settings, 2, &mut no_clock()).unwrap();
    let bg = one.bg_nbd.as_ref().unwrap();
    let s = &one.summary;
    let patterns: std::collections::HashSet<_> = (0..s.len())
        .map(|i| {
            (
                s.frequency[i].to_bits(),
                s.recency[i].to_bits(),
                s.age[i].to_bits(),
            )
        })
        .collect();
    // Each part splits: the summary from 200,000 lines, the likelihoods from 20,000 patterns or
    // repeat customers and the scoring from 40,000 customers.
    assert!(
        ds.customer.len() >= 200_000
            && s.len() >= 40_000
            && patterns.len() >= 20_000
            && bg.boundaries().is_empty(),
        "{} lines, {} customers, {} patterns, {bg:?}",
        ds.customer.len(),
        s.len(),
        patterns.len()
    );
    assert!(one.repeat_customers >= 20_000, "{}", one.repeat_customers);
    // Bit for bit: `{:?}` writes every f64 so that it reads back the same (−0.0 included), and
    // the CSV export of one equals the other's.
    let bits = |a: &ClvAnalysis| {
        format!(
            "{:?} {:?} {:?} {:?}",
            a.summary, a.bg_nbd, a.gamma_gamma, a.scores
        )
    };
    assert_eq!(bits(&one), bits(&two));
    assert_eq!(one.export_scores_csv(&ds), two.export_scores_csv(&ds));
}

/// `2023-01-01` plus `days`, as ISO text.
fn day_text(days: u64) -> String {
    let (mut year, mut day) = (2023, days);
    while day >= 365 {
        day -= 365;
        year += 1;
    }
    const MONTHS: [u64; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut month = 0;
    while day >= MONTHS[month] {
        day -= MONTHS[month];
        month += 1;
    }
    format!("{year}-{:02}-{:02}", month + 1, day + 1)
}
