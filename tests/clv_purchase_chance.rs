//! The chance of a purchase within a horizon (`PurchaseModel::probability_purchase_within`, the
//! figure the churn-risk band is read from), checked by recovery of planted truth: customers are
//! simulated in continuous time from known BG/NBD and Pareto/NBD parameters, each is scored with
//! the *true* parameters from their calibration history, and the predicted chances must match the
//! share of customers who really bought in the horizon after it, overall and in each fifth of the
//! predictions. Pareto/NBD's is also checked against `lifetimes`' closed form (within 1e-10).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::random::{beta, exponential, gamma};
use rand::{Rng as _, SeedableRng as _};
use rand_pcg::Pcg64Mcg;
use segscope::engine::clv::{BgNbdModel, ParetoNbdModel, PurchaseModel, TimeUnit};

const CUSTOMERS: usize = 40_000;
const HORIZON_DAYS: f64 = 90.0;

/// One simulated customer: the calibration history and whether a purchase came in the horizon.
struct Customer {
    frequency: f64,
    recency: f64,
    age: f64,
    bought_in_horizon: bool,
}

/// Purchase times after the first (at 0) of a customer buying at `rate` until `death`, up to
/// `until`.
fn purchases(rng: &mut Pcg64Mcg, rate: f64, death: f64, until: f64) -> Vec<f64> {
    let mut times = Vec::new();
    let mut now = 0.0;
    loop {
        now += exponential(rng, rate);
        if now > death || now > until {
            return times;
        }
        times.push(now);
    }
}

/// The history up to `age` and the horizon after it, from the purchase times after the first.
fn customer(times: &[f64], age: f64) -> Customer {
    let before: Vec<f64> = times.iter().copied().filter(|t| *t <= age).collect();
    Customer {
        frequency: before.len() as f64,
        recency: before.last().copied().unwrap_or(0.0),
        age,
        bought_in_horizon: times.iter().any(|t| *t > age && *t <= age + HORIZON_DAYS),
    }
}

/// BG/NBD customers: λ ~ Gamma(r, α); after each repeat purchase they drop out with
/// p ~ Beta(a, b). Ages 60–400 days.
fn simulate_bg_nbd(seed: u64, [r, alpha, a, b]: [f64; 4]) -> Vec<Customer> {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    (0..CUSTOMERS)
        .map(|_| {
            let rate = gamma(&mut rng, r, alpha);
            let p = beta(&mut rng, a, b);
            let age = rng.random_range(60.0..400.0);
            let mut times = Vec::new();
            let mut now = 0.0;
            loop {
                now += exponential(&mut rng, rate);
                if now > age + HORIZON_DAYS {
                    break;
                }
                times.push(now);
                if rng.random::<f64>() < p {
                    break;
                }
            }
            customer(&times, age)
        })
        .collect()
}

/// Pareto/NBD customers: λ ~ Gamma(r, α), lifetime ~ Exp(μ) with μ ~ Gamma(s, β). Ages 60–400
/// days.
fn simulate_pareto_nbd(seed: u64, [r, alpha, s, b]: [f64; 4]) -> Vec<Customer> {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    (0..CUSTOMERS)
        .map(|_| {
            let rate = gamma(&mut rng, r, alpha);
            let dropout = gamma(&mut rng, s, b);
            let death = exponential(&mut rng, dropout);
            let age = rng.random_range(60.0..400.0);
            customer(&purchases(&mut rng, rate, death, age + HORIZON_DAYS), age)
        })
        .collect()
}

/// Predicted chance against the simulated share, overall and per fifth of the predictions: each
/// within 3 binomial standard errors plus 0.005.
fn assert_calibrated(model: &dyn PurchaseModel, customers: &[Customer]) {
    let mut pairs: Vec<(f64, f64)> = customers
        .iter()
        .map(|c| {
            let p = model
                .probability_purchase_within(HORIZON_DAYS, c.frequency, c.recency, c.age)
                .unwrap();
            assert!((0.0..=1.0).contains(&p), "{p}");
            (p, f64::from(u8::from(c.bought_in_horizon)))
        })
        .collect();
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let check = |group: &[(f64, f64)], what: &str| {
        let n = group.len() as f64;
        let predicted = group.iter().map(|g| g.0).sum::<f64>() / n;
        let actual = group.iter().map(|g| g.1).sum::<f64>() / n;
        let se = (predicted * (1.0 - predicted) / n).sqrt();
        assert!(
            (predicted - actual).abs() < 3.0 * se + 0.005,
            "{} {what}: predicted {predicted:.4}, simulated {actual:.4} (n {n}, se {se:.4})",
            model.name()
        );
    };
    check(&pairs, "all");
    let fifth = pairs.len() / 5;
    for (i, group) in pairs.chunks(fifth).enumerate() {
        check(group, &format!("fifth {}", i + 1));
    }
}

#[test]
fn bg_nbd_chance_matches_simulated_customers() {
    let truth = [0.5, 20.0, 0.8, 2.5];
    let model = BgNbdModel::from_parameters(0.5, 20.0, 0.8, 2.5, TimeUnit::Days).unwrap();
    assert_calibrated(&model, &simulate_bg_nbd(11, truth));
}

#[test]
fn pareto_nbd_chance_matches_simulated_customers() {
    for (seed, truth) in [
        (21, [0.5, 20.0, 0.6, 90.0]),
        // Quick dropout and frequent buyers.
        (22, [3.0, 30.0, 2.0, 60.0]),
    ] {
        let [r, alpha, s, b] = truth;
        let model = ParetoNbdModel::from_parameters(r, alpha, s, b, TimeUnit::Days).unwrap();
        assert_calibrated(&model, &simulate_pareto_nbd(seed, truth));
    }
}

/// The old reading of churn risk, against the same simulation: one minus the probability alive
/// is no chance of buying soon. Under BG/NBD the customers without a repeat purchase are all
/// alive, yet far fewer than all of them buy in the horizon.
#[test]
fn probability_alive_is_not_the_chance_of_buying_soon() {
    let customers = simulate_bg_nbd(11, [0.5, 20.0, 0.8, 2.5]);
    let model = BgNbdModel::from_parameters(0.5, 20.0, 0.8, 2.5, TimeUnit::Days).unwrap();
    let one_timers: Vec<&Customer> = customers.iter().filter(|c| c.frequency == 0.0).collect();
    let n = one_timers.len() as f64;
    let alive = one_timers
        .iter()
        .map(|c| model.probability_alive(0.0, 0.0, c.age).unwrap())
        .sum::<f64>()
        / n;
    let bought = one_timers.iter().filter(|c| c.bought_in_horizon).count() as f64 / n;
    assert_eq!(alive, 1.0);
    assert!(bought < 0.3, "{bought}");
}

/// Pareto/NBD's chance against `lifetimes` 0.11.3, which computes P(X(T, T+t) = 0) in closed form
/// with 2F1 (tests/fixtures/clv/make_golden_chance.py): the published CDNOW parameters and a set
/// with α > β, seven histories, horizons from 1 to 200 weeks.
#[test]
fn pareto_nbd_chance_matches_lifetimes() {
    let golden: serde_json::Value =
        serde_json::from_str(include_str!("fixtures/clv/golden_chance.json")).unwrap();
    let mut compared = 0;
    for set in golden["pareto_nbd"].as_array().unwrap() {
        let p = &set["parameters"];
        let number = |v: &serde_json::Value, key: &str| v[key].as_f64().unwrap();
        let model = ParetoNbdModel::from_parameters(
            number(p, "r"),
            number(p, "alpha"),
            number(p, "s"),
            number(p, "beta"),
            TimeUnit::Weeks,
        )
        .unwrap();
        for row in set["rows"].as_array().unwrap() {
            let (x, tx, t, h) = (
                number(row, "frequency"),
                number(row, "recency"),
                number(row, "T"),
                number(row, "horizon"),
            );
            let ours = model.probability_purchase_within(h, x, tx, t).unwrap();
            let theirs = number(row, "chance");
            assert!(
                (ours - theirs).abs() < 1e-10,
                "x {x} t_x {tx} T {t} horizon {h}: ours {ours}, lifetimes {theirs}"
            );
            compared += 1;
        }
    }
    assert_eq!(compared, 70);
}
