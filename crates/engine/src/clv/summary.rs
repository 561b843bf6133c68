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
            .filter(|((_, day), _)| **day <= until)
            .map(|((customer, day), amount)| (*customer, *day, *amount))
    };
    let customers = dataset
        .customer
        .iter()
        .map(|c| *c as usize + 1)
        .max()
        .unwrap_or(0);
    // starts[c]..starts[c + 1]: customer c's lines.
    let mut starts = vec![0usize; customers + 1];
    for (customer, _, _) in kept() {
        if let Some(count) = starts.get_mut(customer as usize + 1) {
            *count += 1;
        }
    }
    for c in 1..starts.len() {
        starts[c] += starts[c - 1];
    }
    let total = starts.last().copied().unwrap_or(0);
    let mut lines: Vec<(u32, Day, f64)> = vec![(0, 0, 0.0); total];
    let mut next = starts.clone();
    for line in kept() {
        if let Some(slot) = next.get_mut(line.0 as usize).and_then(|at| {
            let here = *at;
            *at += 1;
            lines.get_mut(here)
        }) {
            *slot = line;
        }
    }
    for window in starts.windows(2) {
        if let Some(customer_lines) = lines.get_mut(window[0]..window[1]) {
            customer_lines.sort_unstable_by(|a, b| a.1.cmp(&b.1).then(a.2.total_cmp(&b.2)));
        }
    }
    // (customer, day, net, has a return line) per customer and day.
    let mut days: Vec<(u32, Day, f64, bool)> = Vec::with_capacity(lines.len());
    for (customer, day, amount) in lines {
        match days.last_mut() {
            Some(last) if last.0 == customer && last.1 == day => {
                last.2 += amount;
                last.3 |= amount < 0.0;
            }
            _ => days.push((customer, day, amount, amount < 0.0)),
        }
    }
    days.into_iter()
        .filter(|(_, _, net, has_return)| crate::lines::is_purchase(*net, *has_return))
        .map(|(customer, day, net, _)| (customer, day, crate::lines::net_of(net)))
        .collect()
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
        let mut summary = CustomerSummary {
            time_unit,
            ..Default::default()
        };
        let days_per_unit = time_unit.days_per_unit();
        let purchase_days = purchase_days(dataset, calibration_end_day);

        let mut start = 0;
        while let Some(&(customer, first_day, _)) = purchase_days.get(start) {
            let end = purchase_days[start..]
                .iter()
                .position(|p| p.0 != customer)
                .map_or(purchase_days.len(), |offset| start + offset);
            let days = &purchase_days[start..end];
            let repeats = days.get(1..).unwrap_or_default();
            let last_day = days.last().map_or(first_day, |p| p.1);
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
                repeats.iter().map(|p| p.2).sum::<f64>() / repeats.len() as f64
            });
            start = end;
        }
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
