//! The per-customer summary the BG/NBD and Gamma-Gamma papers work from.

use serde::{Deserialize, Serialize};

use crate::{Dataset, Day};

/// Unit of `recency`, `age` and prediction horizons.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum TimeUnit {
    /// Whole days.
    #[default]
    Days,
    /// Weeks of seven days (day counts divided by 7, as `lifetimes` with `freq_multiplier=7`).
    Weeks,
}

impl TimeUnit {
    /// Days in one unit.
    pub fn days_per_unit(self) -> f64 {
        match self {
            TimeUnit::Days => 1.0,
            TimeUnit::Weeks => 7.0,
        }
    }
}

/// One row per customer with a purchase on or before the calibration end, in customer index order.
///
/// Conventions (those of `lifetimes.utils.summary_data_from_transaction_data` with `freq='D'`):
/// lines after the calibration end are ignored; a customer's lines on one day form one purchase
/// whose value is their sum, and days that are not purchases by [`crate::lines::is_purchase`]
/// (a negative net, or a sale and its return netting to 0) are dropped, while a day worth exactly
/// 0 without a return line (a free sample, a 100 % coupon) is a purchase, as in the papers' CDNOW
/// data (2,357 customers, 8 of them with one purchase of $0.00);
/// `frequency` = purchase days − 1; `recency` = last − first purchase day; `age` (the papers' T) =
/// calibration end − first purchase day; `monetary` = mean value of the repeat purchase days
/// (0 when `frequency` is 0). Exact duplicate lines are kept (as `lifetimes` does).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerSummary {
    /// Customer index into the dataset's `customer_ids`.
    pub customer: Vec<u32>,
    /// Repeat purchases (x in the papers); a whole number.
    pub frequency: Vec<f64>,
    /// Time from the first to the last purchase (t_x), in `time_unit`.
    pub recency: Vec<f64>,
    /// Time from the first purchase to the calibration end (T), in `time_unit`.
    pub age: Vec<f64>,
    /// Mean value of the repeat purchases, in the file's currency; 0 without repeats.
    pub monetary: Vec<f64>,
    /// Unit of `recency` and `age`.
    pub time_unit: TimeUnit,
}

/// The purchases of the papers' convention up to and including `until`: one per customer and day
/// (the day's lines summed), days that are not purchases dropped, as `(customer, day, net value)`
/// sorted by customer then day.
pub(crate) fn purchase_days(dataset: &Dataset, until: Day) -> Vec<(u32, Day, f64)> {
    let mut purchases = Vec::new();
    let mut days = Vec::new();
    for_each_customer(
        dataset,
        until,
        0..customer_count(dataset),
        &mut days,
        |customer, days| {
            purchases.extend(days.iter().map(|&(day, net)| (customer, day, net)));
        },
    );
    purchases
}

/// One more than the largest customer index of `dataset`'s lines.
fn customer_count(dataset: &Dataset) -> u32 {
    dataset
        .customer
        .iter()
        .map(|c| c.saturating_add(1))
        .max()
        .unwrap_or(0)
}

/// Calls `each(customer, purchase days)` for every customer of `customers` with a line up to and
/// including `until`, in index order, with the customer's purchases of the papers' convention as
/// `(day, net value)` by day (in `days`, reused).
fn for_each_customer(
    dataset: &Dataset,
    until: Day,
    customers: std::ops::Range<u32>,
    days: &mut Vec<(Day, f64)>,
    mut each: impl FnMut(u32, &[(Day, f64)]),
) {
    // By customer and day, then amount: a day's lines are then summed in an order that depends
    // on them alone (an unstable sort by customer and day would sum a day of three or more lines
    // in an order that depends on the rest of the file, so the same customer could get a
    // different last bit in a file read whole and in one read in parts). Lines equal in all
    // three are interchangeable, so any sort to this order gives the same list: the customers
    // are grouped by counting (their indexes are dense), then each one's lines sorted.
    let kept = || {
        dataset
            .customer
            .iter()
            .zip(&dataset.day)
            .zip(&dataset.amount)
            .filter(|((customer, day), _)| **day <= until && customers.contains(customer))
            .map(|((customer, day), amount)| (*customer - customers.start, *day, *amount))
    };
    // starts[c]..starts[c + 1]: the lines of customer `customers.start + c`.
    let mut starts = vec![0usize; customers.len() + 1];
    for (customer, _, _) in kept() {
        if let Some(count) = starts.get_mut(customer as usize + 1) {
            *count += 1;
        }
    }
    for c in 1..starts.len() {
        starts[c] += starts[c - 1];
    }
    let total = starts.last().copied().unwrap_or(0);
    let mut lines: Vec<(Day, f64)> = vec![(0, 0.0); total];
    let mut next = starts.clone();
    for (customer, day, amount) in kept() {
        if let Some(slot) = next.get_mut(customer as usize).and_then(|at| {
            let here = *at;
            *at += 1;
            lines.get_mut(here)
        }) {
            *slot = (day, amount);
        }
    }
    for (offset, window) in starts.windows(2).enumerate() {
        let Some(customer_lines) = lines.get_mut(window[0]..window[1]) else {
            continue;
        };
        if customer_lines.is_empty() {
            continue;
        }
        customer_lines.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        // (day, net, has a return line) per day, then the purchases.
        days.clear();
        let mut current: Option<(Day, f64, bool)> = None;
        for &(day, amount) in customer_lines.iter() {
            match &mut current {
                Some(last) if last.0 == day => {
                    last.1 += amount;
                    last.2 |= amount < 0.0;
                }
                _ => {
                    if let Some((day, net, has_return)) = current {
                        if crate::lines::is_purchase(net, has_return) {
                            days.push((day, crate::lines::net_of(net)));
                        }
                    }
                    current = Some((day, amount, amount < 0.0));
                }
            }
        }
        if let Some((day, net, has_return)) = current {
            if crate::lines::is_purchase(net, has_return) {
                days.push((day, crate::lines::net_of(net)));
            }
        }
        if !days.is_empty() {
            each(customers.start + offset as u32, days);
        }
    }
}

/// The factor that rescales time so the longest T is 1 while a purchase model is optimised (as
/// `lifetimes` does; parameters are better conditioned), after checking there are at least 2
/// customers to fit.
pub(crate) fn fit_time_scale(summary: &CustomerSummary) -> Result<f64, super::ClvError> {
    if summary.len() < 2 {
        return Err(super::ClvError::TooFewCustomers {
            count: summary.len(),
        });
    }
    let longest_age = summary.age.iter().copied().fold(0.0_f64, f64::max);
    Ok(if longest_age > 0.0 {
        1.0 / longest_age
    } else {
        1.0
    })
}

impl CustomerSummary {
    /// Summarises `dataset` up to and including `calibration_end_day`.
    pub fn from_dataset(dataset: &Dataset, calibration_end_day: Day, time_unit: TimeUnit) -> Self {
        Self::from_dataset_on(dataset, calibration_end_day, time_unit, 1)
    }

    /// [`Self::from_dataset`] with up to `threads` threads (natively): with two, each summarises
    /// half of the customers (by index), so the result is the same bits.
    pub fn from_dataset_on(
        dataset: &Dataset,
        calibration_end_day: Day,
        time_unit: TimeUnit,
        threads: usize,
    ) -> Self {
        let customers = customer_count(dataset);
        let part = |range: std::ops::Range<u32>| {
            Self::of_customers(dataset, calibration_end_day, time_unit, range)
        };
        /// Fewer lines are summarised on one thread (a thread costs more than it saves).
        const MIN_LINES_IN_PARTS: usize = 200_000;
        #[cfg(not(target_arch = "wasm32"))]
        if threads >= 2 && dataset.customer.len() >= MIN_LINES_IN_PARTS {
            let middle = customers / 2;
            let (mut first, second) =
                crate::parallel::join(|| part(0..middle), || part(middle..customers));
            first.customer.extend(second.customer);
            first.frequency.extend(second.frequency);
            first.recency.extend(second.recency);
            first.age.extend(second.age);
            first.monetary.extend(second.monetary);
            return first;
        }
        let _ = (threads, MIN_LINES_IN_PARTS);
        part(0..customers)
    }

    /// The summary rows of the customers `customers`.
    fn of_customers(
        dataset: &Dataset,
        calibration_end_day: Day,
        time_unit: TimeUnit,
        customers: std::ops::Range<u32>,
    ) -> Self {
        let mut summary = CustomerSummary {
            time_unit,
            ..Default::default()
        };
        let days_per_unit = time_unit.days_per_unit();
        let mut scratch = Vec::new();
        let each = |customer: u32, days: &[(Day, f64)]| {
            let Some(&(first_day, _)) = days.first() else {
                return;
            };
            let repeats = days.get(1..).unwrap_or_default();
            let last_day = days.last().map_or(first_day, |p| p.0);
            summary.customer.push(customer);
            summary.frequency.push(repeats.len() as f64);
            summary
                .recency
                .push(f64::from(last_day - first_day) / days_per_unit);
            summary
                .age
                .push(f64::from(calibration_end_day - first_day) / days_per_unit);
            summary.monetary.push(if repeats.is_empty() {
                0.0
            } else {
                repeats.iter().map(|p| p.1).sum::<f64>() / repeats.len() as f64
            });
        };
        for_each_customer(dataset, calibration_end_day, customers, &mut scratch, each);
        summary
    }

    /// Number of customers.
    pub fn len(&self) -> usize {
        self.customer.len()
    }

    /// True when no customer has a purchase in the calibration period.
    pub fn is_empty(&self) -> bool {
        self.customer.is_empty()
    }

    /// A summary from columns (for data summarised elsewhere); `customer` is numbered 0..n.
    pub fn from_columns(
        frequency: Vec<f64>,
        recency: Vec<f64>,
        age: Vec<f64>,
        monetary: Vec<f64>,
        time_unit: TimeUnit,
    ) -> Self {
        CustomerSummary {
            customer: (0..frequency.len() as u32).collect(),
            frequency,
            recency,
            age,
            monetary,
            time_unit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dataset(lines: &[(u32, Day, f64)]) -> Dataset {
        Dataset {
            customer: lines.iter().map(|l| l.0).collect(),
            day: lines.iter().map(|l| l.1).collect(),
            amount: lines.iter().map(|l| l.2).collect(),
            ..Default::default()
        }
    }

    #[test]
    fn same_day_lines_merge_returns_drop_and_late_lines_are_ignored() {
        let d = dataset(&[
            (0, 10, 5.0),
            (0, 10, 7.0), // same day: one purchase of 12
            (0, 17, 20.0),
            (0, 24, -3.0), // a return day: dropped
            (0, 31, 40.0),
            (0, 40, 99.0), // after the calibration end
            (1, 30, 8.0),
        ]);
        let s = CustomerSummary::from_dataset(&d, 38, TimeUnit::Days);
        assert_eq!(s.customer, vec![0, 1]);
        assert_eq!(s.frequency, vec![2.0, 0.0]);
        assert_eq!(s.recency, vec![21.0, 0.0]);
        assert_eq!(s.age, vec![28.0, 8.0]);
        assert_eq!(s.monetary, vec![30.0, 0.0]);
        let w = CustomerSummary::from_dataset(&d, 38, TimeUnit::Weeks);
        assert_eq!(w.recency, vec![3.0, 0.0]);
        assert_eq!(w.age, vec![4.0, 8.0 / 7.0]);
    }

    #[test]
    fn customers_without_a_calibration_purchase_are_left_out() {
        let d = dataset(&[(0, 50, 5.0), (1, 10, -5.0)]);
        assert!(CustomerSummary::from_dataset(&d, 38, TimeUnit::Days).is_empty());
    }
}
