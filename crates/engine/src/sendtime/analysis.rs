//! Send timing per customer, shrunk toward the store's profile.
//!
//! Definitions:
//! - Orders are the RFM run's purchase orders ([`crate::lines`], [`crate::lines::is_purchase`]) of
//!   its scored customers; returns are left out.
//! - An order's moment is the earliest (day, time) among its lines that carry a time of day
//!   ([`Dataset::minute_of_day`]); such an order is *timed*, its hour is that time's hour
//!   (0..=23). An order without a timed line has its earliest line day and no hour. Its weekday
//!   ([`weekday_of`], 0 = Monday) is that of its moment's day.
//! - The store's profiles: the shares of all purchase orders over the 7 weekdays, and of the
//!   timed ones over the 24 hours and the 7 × 24 grid.
//! - Shrinkage (empirical Bayes), separately for weekdays (7 cells, all orders) and hours (24
//!   cells, timed orders): a customer's cell probabilities θ get a Dirichlet prior centred on the
//!   store's shares p with strength κ (in orders), so the posterior mean is
//!   `(n_k + κ p_k) / (N + κ)` for a customer with `n_k` of their `N` orders in cell `k`. κ is
//!   the maximum of the Dirichlet-multinomial marginal likelihood of every customer's counts
//!   (customers with one order carry no information about κ and drop out), searched over
//!   [[`MIN_PRIOR_ORDERS`], [`MAX_PRIOR_ORDERS`]] on a log grid refined by golden section; a
//!   given strength overrides it; with no customer of two orders it is
//!   [`super::FALLBACK_PRIOR_ORDERS`]. A customer's best cell is the posterior mean's argmax (ties:
//!   the earlier cell), and `N / (N + κ)` is the weight of their own orders.
//! - Confidence: the posterior probability that the best cell really is the customer's most
//!   likely one, bounded from below: each difference `θ_best − θ_k` is taken as normal with the
//!   Dirichlet posterior's mean and variance, and the product of `P(θ_best − θ_k > 0)` over the
//!   other cells is a lower bound of the probability that all are positive (Slepian's
//!   inequality: the differences share `θ_best`, so they are positively correlated). In [0, 1];
//!   near 0 when the store's profile decides, near 1 for a customer whose own orders cluster.

use serde::{Deserialize, Serialize};

use super::{SendTimeError, SendTimeParams, FALLBACK_PRIOR_ORDERS};
use crate::dataset::NO_TIME;
use crate::rfm::{Analysis, Segment};
use crate::{Dataset, Day};

/// Weekdays (Monday = 0 … Sunday = 6).
pub const WEEKDAYS: usize = 7;
/// Hours of the day (0..=23).
pub const HOURS: usize = 24;
/// The smallest prior strength the estimate may take, in orders.
pub const MIN_PRIOR_ORDERS: f64 = 0.05;
/// The largest prior strength the estimate (or a given one) may take, in orders: beyond it every
/// customer gets the store's profile anyway.
pub const MAX_PRIOR_ORDERS: f64 = 10_000.0;

/// The hour code of an order without a time (the codes are `weekday * 25 + hour`).
const NO_HOUR: u8 = 24;
/// Hour codes per weekday (24 hours and "none").
const HOUR_CODES: u8 = 25;
/// Counts per cell below this are tallied densely for the κ fit; larger ones are listed.
const DENSE_COUNTS: usize = 256;

/// The weekday of `day` (days since 1970-01-01), 0 = Monday … 6 = Sunday (1970-01-01 was a
/// Thursday).
pub fn weekday_of(day: Day) -> u8 {
    // rem_euclid(7) is in 0..7.
    (i64::from(day) + 3).rem_euclid(7) as u8
}

/// Stable English key of weekday `w` (0 = `monday`), for exports and JSON; `""` past 6.
pub fn weekday_key(w: u8) -> &'static str {
    match w {
        0 => "monday",
        1 => "tuesday",
        2 => "wednesday",
        3 => "thursday",
        4 => "friday",
        5 => "saturday",
        6 => "sunday",
        _ => "",
    }
}

/// Where a prior strength came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PriorSource {
    /// Estimated from the data (Dirichlet-multinomial maximum likelihood).
    Estimated,
    /// Given in the settings.
    Given,
    /// No customer has two orders to compare: [`super::FALLBACK_PRIOR_ORDERS`].
    Fallback,
}

/// One dimension's prior (weekdays or hours).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PriorFit {
    /// κ: the weight of the store's profile in a customer's estimate, in orders.
    pub orders: f64,
    /// Where κ came from.
    pub source: PriorSource,
    /// Whether the estimate sits at a bound of its search range (at the top: customers are
    /// indistinguishable from the store; at the bottom: each keeps to their own habit).
    pub at_bound: bool,
    /// Customers with two or more orders in this dimension (those the estimate learns from).
    pub informing_customers: u64,
}

/// One customer's send timing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CustomerSendTime {
    /// Customer index into `Dataset::customer_ids`.
    pub customer: u32,
    /// Their RFM segment.
    pub segment: Segment,
    /// Purchase orders.
    pub orders: u32,
    /// Purchase orders with a time of day.
    pub timed_orders: u32,
    /// Best weekday, 0 = Monday … 6 = Sunday.
    pub best_weekday: u8,
    /// Confidence in the best weekday, in [0, 1] (module doc).
    pub weekday_confidence: f64,
    /// Weight of their own orders in the weekday estimate, `orders / (orders + κ)`, in [0, 1).
    pub weekday_own_weight: f64,
    /// Best hour (0..=23, the hour starting then); `None` when the file has no times.
    pub best_hour: Option<u8>,
    /// Confidence in the best hour, in [0, 1]; `None` when the file has no times.
    pub hour_confidence: Option<f64>,
    /// Weight of their own timed orders in the hour estimate; `None` when the file has no times.
    pub hour_own_weight: Option<f64>,
}

/// A send-timing run.
#[derive(Debug, Clone, PartialEq)]
pub struct SendTimeAnalysis {
    /// Settings used.
    pub params: SendTimeParams,
    /// Whether the file carries times of day (else weekdays only).
    pub has_times: bool,
    /// Customers with at least `min_orders` purchase orders, by customer index.
    pub customers: Vec<CustomerSendTime>,
    /// Purchase orders of all scored customers.
    pub orders: u64,
    /// Those with a time of day.
    pub timed_orders: u64,
    /// Purchase orders per weekday (Monday first).
    pub weekday_counts: [u64; WEEKDAYS],
    /// Timed purchase orders per hour (all zero without times).
    pub hour_counts: [u64; HOURS],
    /// The store's heatmap: orders per weekday × hour, weekday-major (`w * columns + h`); timed
    /// orders with times (24 columns), all orders without (1 column).
    pub grid: Vec<u64>,
    /// Per RFM segment present (in [`Segment::ALL`] order): the segment, its customers, and its
    /// grid as [`Self::grid`].
    pub segment_grids: Vec<(Segment, u64, Vec<u64>)>,
    /// The weekday prior.
    pub weekday_prior: PriorFit,
    /// The hour prior (`None` without times).
    pub hour_prior: Option<PriorFit>,
}

impl SendTimeAnalysis {
    /// Columns of the heatmaps: 24 hours, or 1 without times.
    pub fn columns(&self) -> usize {
        if self.has_times {
            HOURS
        } else {
            1
        }
    }

    /// The send timing of `analysis`'s run on `dataset`.
    ///
    /// Fails with [`SendTimeError::NoPurchases`] when the run has no purchase order, and with the
    /// errors of [`SendTimeParams::check`]. A file without times is no error (weekdays only).
    pub fn run(
        dataset: &Dataset,
        analysis: &Analysis,
        params: SendTimeParams,
    ) -> Result<Self, SendTimeError> {
        let valid = params.check()?;
        let run = analysis.lines(dataset);
        let minutes = &dataset.minute_of_day;
        let has_times = !minutes.is_empty();
        let columns = if has_times { HOURS } else { 1 };
        let scores = &analysis.customers;

        // Pass 1: every scored customer's purchase orders as one code each (weekday × hour), the
        // store's counts and the segments' grids.
        let mut by_customer = run.by_customer();
        let mut codes: Vec<u8> = Vec::with_capacity(run.len() / 2);
        let mut start: Vec<usize> = Vec::with_capacity(scores.len() + 1);
        start.push(0);
        let mut weekday_counts = [0u64; WEEKDAYS];
        let mut hour_counts = [0u64; HOURS];
        let mut grid = vec![0u64; WEEKDAYS * columns];
        let mut segment_cells = vec![0u64; Segment::ALL.len() * WEEKDAYS * columns];
        let mut segment_customers = [0u64; Segment::ALL.len()];
        let mut timed_orders = 0u64;
        for (row, &c) in scores.customer.iter().enumerate() {
            let segment = scores.segment.get(row).map_or(usize::MAX, |s| s.index());
            if let Some(n) = segment_customers.get_mut(segment) {
                *n += 1;
            }
            let segment_grid = segment_cells
                .get_mut(segment.saturating_mul(WEEKDAYS * columns)..)
                .unwrap_or_default();
            run.for_each_order(by_customer.of_mut(c as usize), |lines, total| {
                if !total.purchase {
                    return;
                }
                let mut moment: Option<(Day, u16)> = None;
                if has_times {
                    for &line in lines {
                        let i = line as usize;
                        if let (Some(&m), Some(&d)) = (minutes.get(i), dataset.day.get(i)) {
                            if m != NO_TIME && moment.is_none_or(|earliest| (d, m) < earliest) {
                                moment = Some((d, m));
                            }
                        }
                    }
                }
                let (day, hour) = match moment {
                    // Minutes are below 1440; min(23) keeps a bad one in range.
                    Some((d, m)) => (d, (m / 60).min(23) as u8),
                    None => (total.day, NO_HOUR),
                };
                let w = weekday_of(day);
                codes.push(w * HOUR_CODES + hour);
                if let Some(n) = weekday_counts.get_mut(usize::from(w)) {
                    *n += 1;
                }
                let cell = if has_times {
                    if hour == NO_HOUR {
                        return;
                    }
                    timed_orders += 1;
                    if let Some(n) = hour_counts.get_mut(usize::from(hour)) {
                        *n += 1;
                    }
                    usize::from(w) * HOURS + usize::from(hour)
                } else {
                    usize::from(w)
                };
                if let Some(n) = grid.get_mut(cell) {
                    *n += 1;
                }
                if let Some(n) = segment_grid.get_mut(cell) {
                    *n += 1;
                }
            });
            start.push(codes.len());
        }
        drop(by_customer);
        let orders = codes.len() as u64;
        if orders == 0 {
            return Err(SendTimeError::NoPurchases);
        }

        // The store's shares and the priors.
        let weekday_p = shares(&weekday_counts);
        let hour_p = shares(&hour_counts);
        let customer_codes = |row: usize| -> &[u8] {
            match (start.get(row), start.get(row + 1)) {
                (Some(&a), Some(&b)) => codes.get(a..b).unwrap_or_default(),
                _ => &[],
            }
        };
        let rows = scores.len();
        let weekday_prior = fit_prior(
            &weekday_p,
            valid.weekday_prior_orders,
            (0..rows).map(|r| weekday_cells(customer_codes(r))),
        );
        let hour_prior = has_times.then(|| {
            fit_prior(
                &hour_p,
                valid.hour_prior_orders,
                (0..rows).map(|r| hour_cells(customer_codes(r))),
            )
        });

        // Pass 2: each customer's posterior.
        let mut customers = Vec::new();
        for (row, &c) in scores.customer.iter().enumerate() {
            let own = customer_codes(row);
            let n_orders = own.len() as u32;
            if n_orders < valid.min_orders {
                continue;
            }
            let wd = weekday_cells(own);
            let (best_weekday, weekday_confidence, weekday_own_weight) =
                posterior(&wd, &weekday_p, weekday_prior.orders);
            let hours = hour_cells(own);
            let timed: u32 = hours.iter().sum();
            let hour = hour_prior.map(|prior| posterior(&hours, &hour_p, prior.orders));
            customers.push(CustomerSendTime {
                customer: c,
                segment: scores.segment.get(row).copied().unwrap_or(Segment::Lost),
                orders: n_orders,
                timed_orders: timed,
                best_weekday: best_weekday as u8,
                weekday_confidence,
                weekday_own_weight,
                best_hour: hour.map(|h| h.0 as u8),
                hour_confidence: hour.map(|h| h.1),
                hour_own_weight: hour.map(|h| h.2),
            });
        }
        let cells = WEEKDAYS * columns;
        let segment_grids = Segment::ALL
            .iter()
            .zip(segment_customers)
            .enumerate()
            .filter(|(_, (_, n))| *n > 0)
            .map(|(i, (s, n))| {
                let g = segment_cells
                    .get(i * cells..(i + 1) * cells)
                    .unwrap_or_default()
                    .to_vec();
                (*s, n, g)
            })
            .collect();
        Ok(Self {
            params,
            has_times,
            customers,
            orders,
            timed_orders,
            weekday_counts,
            hour_counts,
            grid,
            segment_grids,
            weekday_prior,
            hour_prior,
        })
    }
}

/// Counts as shares of their sum (all zero when the sum is).
fn shares<const N: usize>(counts: &[u64; N]) -> [f64; N] {
    let total: u64 = counts.iter().sum();
    let mut out = [0.0; N];
    if total > 0 {
        for (o, &c) in out.iter_mut().zip(counts) {
            *o = c as f64 / total as f64;
        }
    }
    out
}

/// A customer's orders per weekday, from their codes.
fn weekday_cells(codes: &[u8]) -> [u32; WEEKDAYS] {
    let mut n = [0u32; WEEKDAYS];
    for &code in codes {
        if let Some(x) = n.get_mut(usize::from(code / HOUR_CODES)) {
            *x += 1;
        }
    }
    n
}

/// A customer's timed orders per hour, from their codes.
fn hour_cells(codes: &[u8]) -> [u32; HOURS] {
    let mut n = [0u32; HOURS];
    for &code in codes {
        // The "no hour" code (24) is past the end.
        if let Some(x) = n.get_mut(usize::from(code % HOUR_CODES)) {
            *x += 1;
        }
    }
    n
}

/// The posterior of one customer's `counts` under a Dirichlet prior of strength `kappa` centred
/// on `p`: (best cell, confidence, own weight). See the module doc.
fn posterior<const N: usize>(counts: &[u32; N], p: &[f64; N], kappa: f64) -> (usize, f64, f64) {
    let mut alpha = [0.0f64; N];
    let (mut best, mut best_alpha) = (0, f64::NEG_INFINITY);
    for (k, (a, (&n, &pk))) in alpha.iter_mut().zip(counts.iter().zip(p)).enumerate() {
        *a = f64::from(n) + kappa * pk;
        if *a > best_alpha {
            (best, best_alpha) = (k, *a);
        }
    }
    let total: f64 = counts.iter().map(|&n| f64::from(n)).sum();
    let own_weight = total / (total + kappa);
    (best, best_cell_confidence(&alpha, best), own_weight)
}

/// Slepian lower bound of P(cell `best` has the largest θ) under Dirichlet(`alpha`), with each
/// difference θ_best − θ_k taken as normal (module doc). Hand-written: statrs is no dependency,
/// and the normal CDF is one `libm::erfc`.
fn best_cell_confidence(alpha: &[f64], best: usize) -> f64 {
    let a0: f64 = alpha.iter().sum();
    let ab = alpha.get(best).copied().unwrap_or(0.0);
    if a0.is_nan() || a0 <= 0.0 {
        return 0.0;
    }
    let denominator = a0 * a0 * (a0 + 1.0);
    let mut product = 1.0;
    for (k, &ak) in alpha.iter().enumerate() {
        if k == best {
            continue;
        }
        let mean = (ab - ak) / a0;
        let variance = (ab * (a0 - ab) + ak * (a0 - ak) + 2.0 * ab * ak) / denominator;
        let p = if variance > 0.0 {
            let z = mean / libm::sqrt(variance);
            if z > 8.5 {
                continue; // Φ(z) is 1 to double precision.
            }
            0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
        } else if mean > 0.0 {
            1.0
        } else {
            0.5
        };
        product *= p;
        if product < 1e-12 {
            return 0.0;
        }
    }
    product.clamp(0.0, 1.0)
}

/// Σ_{j<n} ln(a + j) = ln Γ(a + n) − ln Γ(a): directly for small `n` (more exact), by `lgamma`
/// beyond. Hand-written log-likelihood terms: statrs is no dependency; libm gives the same bits
/// natively and on wasm32.
fn ln_rising(a: f64, n: u32) -> f64 {
    if n <= 8 {
        (0..n).map(|j| libm::log(a + f64::from(j))).sum()
    } else {
        libm::lgamma(a + f64::from(n)) - libm::lgamma(a)
    }
}

/// The customers' counts in one dimension, tallied for the Dirichlet-multinomial likelihood:
/// (cell, count, customers with that count in that cell) and (total, customers with that total),
/// over customers with two orders or more.
struct Tally {
    cells: Vec<(usize, u32, u64)>,
    totals: Vec<(u32, u64)>,
    informing: u64,
}

impl Tally {
    fn new<const N: usize>(customers: impl Iterator<Item = [u32; N]>) -> Self {
        let mut dense_cells = vec![0u64; N * DENSE_COUNTS];
        let mut dense_totals = vec![0u64; DENSE_COUNTS];
        let mut cells = Vec::new();
        let mut totals = Vec::new();
        let mut informing = 0;
        for counts in customers {
            let total: u32 = counts.iter().sum();
            if total < 2 {
                continue; // One order says nothing about κ (its likelihood is p_k whatever κ).
            }
            informing += 1;
            match dense_totals.get_mut(total as usize) {
                Some(x) => *x += 1,
                None => totals.push((total, 1)),
            }
            for (k, &n) in counts.iter().enumerate() {
                if n == 0 {
                    continue;
                }
                match dense_cells.get_mut(k * DENSE_COUNTS + n as usize) {
                    Some(x) if (n as usize) < DENSE_COUNTS => *x += 1,
                    _ => cells.push((k, n, 1)),
                }
            }
        }
        for (i, &m) in dense_cells.iter().enumerate() {
            if m > 0 {
                cells.push((i / DENSE_COUNTS, (i % DENSE_COUNTS) as u32, m));
            }
        }
        for (n, &m) in dense_totals.iter().enumerate() {
            if m > 0 {
                totals.push((n as u32, m));
            }
        }
        Self {
            cells,
            totals,
            informing,
        }
    }

    /// The Dirichlet-multinomial log-likelihood (up to a constant) at strength `kappa`.
    fn log_likelihood(&self, p: &[f64], kappa: f64) -> f64 {
        let mut sum = 0.0;
        for &(k, n, m) in &self.cells {
            let pk = p.get(k).copied().unwrap_or(0.0);
            sum += m as f64 * ln_rising(kappa * pk, n);
        }
        for &(n, m) in &self.totals {
            sum -= m as f64 * ln_rising(kappa, n);
        }
        sum
    }
}

/// κ for one dimension: given, else the maximum likelihood over a log grid of
/// [`MIN_PRIOR_ORDERS`]..=[`MAX_PRIOR_ORDERS`] refined by golden section, else the fallback.
fn fit_prior<const N: usize>(
    p: &[f64; N],
    given: Option<f64>,
    customers: impl Iterator<Item = [u32; N]>,
) -> PriorFit {
    let tally = Tally::new(customers);
    let informing_customers = tally.informing;
    if let Some(orders) = given {
        return PriorFit {
            orders,
            source: PriorSource::Given,
            at_bound: false,
            informing_customers,
        };
    }
    if informing_customers == 0 {
        return PriorFit {
            orders: FALLBACK_PRIOR_ORDERS,
            source: PriorSource::Fallback,
            at_bound: false,
            informing_customers,
        };
    }
    let (lo, hi) = (libm::log(MIN_PRIOR_ORDERS), libm::log(MAX_PRIOR_ORDERS));
    const STEPS: usize = 60;
    let step = (hi - lo) / STEPS as f64;
    let f = |t: f64| {
        let v = tally.log_likelihood(p, libm::exp(t));
        if v.is_finite() {
            v
        } else {
            f64::NEG_INFINITY
        }
    };
    let mut best = (0usize, f64::NEG_INFINITY);
    for i in 0..=STEPS {
        let v = f(lo + step * i as f64);
        if v > best.1 {
            best = (i, v);
        }
    }
    // Golden section between the best grid point's neighbours.
    let (mut a, mut b) = (
        lo + step * best.0.saturating_sub(1) as f64,
        lo + step * (best.0 + 1).min(STEPS) as f64,
    );
    let ratio = (libm::sqrt(5.0) - 1.0) / 2.0;
    let (mut x1, mut x2) = (b - ratio * (b - a), a + ratio * (b - a));
    let (mut f1, mut f2) = (f(x1), f(x2));
    for _ in 0..40 {
        if f1 >= f2 {
            b = x2;
            (x2, f2) = (x1, f1);
            x1 = b - ratio * (b - a);
            f1 = f(x1);
        } else {
            a = x1;
            (x1, f1) = (x2, f2);
            x2 = a + ratio * (b - a);
            f2 = f(x2);
        }
    }
    let t = (a + b) / 2.0;
    let (t, value) = if f(t) >= best.1 {
        (t, f(t))
    } else {
        (lo + step * best.0 as f64, best.1)
    };
    let orders = libm::exp(t).clamp(MIN_PRIOR_ORDERS, MAX_PRIOR_ORDERS);
    let at_bound = value.is_finite() && (t <= lo + step / 2.0 || t >= hi - step / 2.0);
    PriorFit {
        orders,
        source: PriorSource::Estimated,
        at_bound,
        informing_customers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weekdays_start_on_monday() {
        assert_eq!(weekday_of(0), 3); // 1970-01-01, a Thursday.
        assert_eq!(weekday_of(4), 0); // 1970-01-05, a Monday.
        assert_eq!(weekday_of(-1), 2); // 1969-12-31, a Wednesday.
        let d = crate::calendar::day_from_ymd(2024, 3, 10).unwrap_or_default();
        assert_eq!(weekday_key(weekday_of(d)), "sunday");
    }

    #[test]
    fn ln_rising_agrees_both_ways() {
        for &(a, n) in &[(0.3, 9u32), (2.5, 20), (0.01, 12)] {
            let direct: f64 = (0..n).map(|j| (a + f64::from(j)).ln()).sum();
            assert!((ln_rising(a, n) - direct).abs() < 1e-9 * direct.abs().max(1.0));
        }
    }

    #[test]
    fn the_prior_strength_is_recovered_from_dirichlet_multinomial_counts() {
        use rand::{Rng, SeedableRng};
        // Customers drawn from Dirichlet(κ p) by normalised gammas (shape ≥ 1 via the
        // Marsaglia–Tsang method with the u^(1/a) boost), then 12 orders each.
        let p = [0.4, 0.3, 0.2, 0.1];
        let kappa = 6.0;
        let mut rng = rand_pcg::Pcg64::seed_from_u64(7);
        let gamma = |a: f64, rng: &mut rand_pcg::Pcg64| -> f64 {
            let (d, c) = (
                a + 1.0 - 1.0 / 3.0,
                1.0 / (9.0 * (a + 1.0 - 1.0 / 3.0)).sqrt(),
            );
            let g = loop {
                let (u1, u2): (f64, f64) = (rng.random(), rng.random());
                let x = (-2.0 * u1.max(1e-300).ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
                let v = (1.0 + c * x).powi(3);
                let u: f64 = rng.random();
                if v > 0.0 && u.ln() < 0.5 * x * x + d - d * v + d * v.ln() {
                    break d * v;
                }
            };
            let u: f64 = rng.random();
            g * u.powf(1.0 / a)
        };
        let mut customers = Vec::new();
        for _ in 0..3000 {
            let g: Vec<f64> = p.iter().map(|&pk| gamma(kappa * pk, &mut rng)).collect();
            let s: f64 = g.iter().sum();
            let mut n = [0u32; 4];
            for _ in 0..12 {
                let mut u: f64 = rng.random::<f64>() * s;
                let mut k = 0;
                while k < 3 && u >= g[k] {
                    u -= g[k];
                    k += 1;
                }
                n[k] += 1;
            }
            customers.push(n);
        }
        let fit = fit_prior(&p, None, customers.into_iter());
        assert_eq!(fit.source, PriorSource::Estimated);
        assert!(
            (fit.orders - kappa).abs() < 1.0,
            "κ {} vs {kappa}",
            fit.orders
        );
    }

    #[test]
    fn without_two_orders_anywhere_the_fallback_is_used_and_overrides_win() {
        let p = [0.5, 0.5];
        let fit = fit_prior(&p, None, [[1u32, 0], [0, 1]].into_iter());
        assert_eq!(fit.source, PriorSource::Fallback);
        assert_eq!(fit.orders, FALLBACK_PRIOR_ORDERS);
        let fit = fit_prior(&p, Some(3.0), [[2u32, 0]].into_iter());
        assert_eq!((fit.source, fit.orders), (PriorSource::Given, 3.0));
    }

    #[test]
    fn identical_customers_push_kappa_to_the_top_bound() {
        // Every customer exactly at the store's shares: no heterogeneity.
        let p = [0.5, 0.5];
        let fit = fit_prior(&p, None, std::iter::repeat_n([10u32, 10], 500));
        assert!(fit.at_bound && fit.orders > 1000.0, "{fit:?}");
    }

    #[test]
    fn confidence_rises_with_consistent_orders_and_stays_in_range() {
        let p = [0.3, 0.3, 0.2, 0.2];
        let mut last = -1.0;
        for n in [0u32, 1, 2, 5, 10, 40] {
            let (best, conf, w) = posterior(&[0, 0, n, 0], &p, 4.0);
            assert!((0.0..=1.0).contains(&conf) && (0.0..1.0).contains(&w));
            if n >= 2 {
                assert_eq!(best, 2);
            }
            assert!(conf >= last, "{n}: {conf} < {last}");
            last = conf;
        }
        assert!(last > 0.99);
        // No own orders: the store's first mode, little confidence.
        let (best, conf, w) = posterior(&[0, 0, 0, 0], &p, 4.0);
        assert_eq!((best, w), (0, 0.0));
        assert!(conf < 0.5);
    }
}
