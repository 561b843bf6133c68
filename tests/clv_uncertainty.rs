//! Per-customer 90 % intervals of probability alive and CLV (`ClvAnalysis::uncertainty`), checked
//! by recovery of planted parameters: transactions are simulated from known BG/NBD and
//! Gamma-Gamma parameters, the models are fitted, and across replications the intervals must
//! contain each customer's figure at the *true* parameters about 90 % of the time.
//!
//! The intervals carry the parameters' uncertainty only (the delta method through the fits'
//! covariance), so this is what they must cover: the score the model would give with the
//! population's real parameters.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::random::gamma;
use rand::{Rng as _, SeedableRng as _};
use rand_pcg::Pcg64Mcg;
use segscope::engine::clv::{
    customer_lifetime_value, BgNbdModel, ClvAnalysis, ClvSettings, GammaGammaModel, TimeUnit,
};
use segscope::engine::Dataset;

const TRUE_BG: [f64; 4] = [0.6, 40.0, 0.7, 3.0]; // r, alpha (days), a, b
const TRUE_GG: [f64; 3] = [6.0, 4.0, 15.0]; // p, q, v
const CUSTOMERS: usize = 1_500;
const REPLICATIONS: u64 = 24;

/// A file of BG/NBD customers (first purchase on day 0 of their own, then Poisson purchases at
/// rate λ ~ Gamma(r, α), dropping out after each repeat purchase with p ~ Beta(a, b)), each
/// purchase worth Gamma(p, ν) with ν ~ Gamma(q, v). Ages spread over 200–600 days.
fn simulate(seed: u64) -> Dataset {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let [r, alpha, a, b] = TRUE_BG;
    let [p, q, v] = TRUE_GG;
    let end = 20_000; // the calibration end, days since 1970
    let mut d = Dataset::default();
    for c in 0..CUSTOMERS {
        d.customer_ids.push(&format!("c{c}"));
        let age = rng.random_range(200..600);
        let lambda = gamma(&mut rng, r, alpha);
        let x = gamma(&mut rng, a, 1.0);
        let dropout = x / (x + gamma(&mut rng, b, 1.0));
        let nu = gamma(&mut rng, q, v);
        let mut push = |day: i32, rng: &mut Pcg64Mcg| {
            d.customer.push(c as u32);
            d.day.push(day);
            d.amount
                .push((gamma(rng, p, nu) * 100.0).round() / 100.0 + 0.01);
        };
        let first = end - age;
        push(first, &mut rng);
        let mut t = 0.0;
        loop {
            let u: f64 = rng.random::<f64>().max(1e-300);
            t += -u.ln() / lambda;
            if t > f64::from(age) {
                break;
            }
            push(first + t as i32, &mut rng);
            if rng.random::<f64>() < dropout {
                break;
            }
        }
    }
    d
}

#[test]
fn intervals_cover_the_scores_at_the_true_parameters() {
    let truth_bg = BgNbdModel::from_parameters(
        TRUE_BG[0],
        TRUE_BG[1],
        TRUE_BG[2],
        TRUE_BG[3],
        TimeUnit::Days,
    )
    .unwrap();
    let truth_gg = GammaGammaModel::from_parameters(TRUE_GG[0], TRUE_GG[1], TRUE_GG[2]).unwrap();
    let settings = ClvSettings::default();
    let (mut alive_in, mut alive_n, mut clv_in, mut clv_n) = (0u64, 0u64, 0u64, 0u64);
    let mut widths = Vec::new();
    for replication in 0..REPLICATIONS {
        let dataset = simulate(1_000 + replication);
        let analysis = ClvAnalysis::run(&dataset, &settings, &mut || 0.0).unwrap();
        let s = &analysis.summary;
        for row in 0..s.len() {
            let (x, tx, age, m) = (
                s.frequency[row],
                s.recency[row],
                s.age[row],
                s.monetary[row],
            );
            let u = analysis
                .uncertainty(row)
                .expect("an interval for every customer");
            let (lo, hi) = u.probability_alive;
            assert!(0.0 <= lo && lo <= hi && hi <= 1.0, "{lo} {hi}");
            let point = analysis.scores.probability_alive[row];
            assert!(lo <= point + 1e-12 && point <= hi + 1e-12);
            if x > 0.0 {
                let truth = truth_bg.probability_alive(x, tx, age).unwrap();
                alive_n += 1;
                alive_in += u64::from(lo <= truth && truth <= hi);
                widths.push(hi - lo);
            }
            if let (Some((lo, hi)), true) = (u.clv, x > 0.0) {
                let value = truth_gg.expected_average_value(x, m).unwrap();
                let truth = customer_lifetime_value(
                    &truth_bg,
                    value,
                    x,
                    tx,
                    age,
                    settings.clv_horizon_months,
                    settings.discount_monthly,
                )
                .unwrap();
                clv_n += 1;
                clv_in += u64::from(lo <= truth && truth <= hi);
            }
        }
    }
    let alive = alive_in as f64 / alive_n as f64;
    let clv = clv_in as f64 / clv_n as f64;
    widths.sort_by(f64::total_cmp);
    let median_width = widths[widths.len() / 2];
    println!(
        "coverage of the true-parameter P(alive): {alive:.3} ({alive_n} repeat customers); \
         CLV: {clv:.3} ({clv_n}); median P(alive) interval width {median_width:.3}"
    );
    // Nominal 0.90. The replications' parameter errors are shared by all customers of a file, so
    // the coverage varies by whole files: 24 files give about ±0.06.
    assert!((0.78..=0.99).contains(&alive), "P(alive) coverage {alive}");
    assert!((0.78..=0.99).contains(&clv), "CLV coverage {clv}");
    // Informative, not vacuous: a 1,500-customer file pins P(alive) to within a few points.
    assert!(
        median_width > 0.001 && median_width < 0.25,
        "{median_width}"
    );
}

#[test]
fn a_model_with_given_parameters_has_no_interval() {
    let dataset = simulate(7);
    let analysis = ClvAnalysis::run(&dataset, &ClvSettings::default(), &mut || 0.0).unwrap();
    assert!(analysis.uncertainty(0).is_some());
    assert!(analysis.uncertainty(analysis.summary.len()).is_none());
    let given = BgNbdModel::from_parameters(0.5, 10.0, 0.8, 2.5, TimeUnit::Days).unwrap();
    assert!(segscope::engine::clv::PurchaseModel::parameter_covariance(&given).is_none());
}
