//! Cohorts by first purchase: for each cohort and each period since, the customers active, their
//! orders and revenue (the matrix), and the cohorts' average curves.
//!
//! Definitions (mirrored by `tests/fixtures/cohorts/make_reference.py`, checked against pandas):
//! - Orders are the RFM run's orders ([`crate::lines`]); a purchase is [`crate::lines::is_purchase`].
//! - A customer's cohort is the period of their first purchase; customers without a purchase
//!   belong to none (counted).
//! - Period `p` of a cohort holds the orders `p` whole periods after the cohort's period.
//!   Active customers: those with a purchase in it; orders: the purchases; revenue: the net of
//!   every order in it, returns included (returns dated before the first purchase are left out).
//! - Cells run from period 0 to the period of the run's last order; the latest
//!   [`MAX_PERIODS`] cohorts are kept (older ones are counted, not shown).

use serde::{Deserialize, Serialize};

use super::{CohortError, CohortParams, CohortSplit};
use crate::baskets::ItemLevel;
use crate::lines::RunLines;
use crate::rfm::Analysis;
use crate::{Dataset, Day};

/// Most periods (and cohorts) kept: three years of weeks, thirteen of months.
pub const MAX_PERIODS: usize = 156;
/// Groups of a split shown apart (the rest are one "other" group).
pub const MAX_GROUPS: usize = 10;

/// One cohort × period cell.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct CohortCell {
    /// Cohort customers with a purchase in the period.
    pub active_customers: u64,
    /// `active_customers / customers`.
    pub active_share: f64,
    /// Purchases in the period.
    pub orders: u64,
    /// Net revenue in the period (returns included).
    pub revenue: f64,
    /// `orders / customers`.
    pub orders_per_customer: f64,
    /// `revenue / customers`.
    pub revenue_per_customer: f64,
    /// Revenue of periods 0..=this one, per cohort customer (the LTV curve).
    pub cumulative_revenue_per_customer: f64,
}

/// One cohort: its customers and its cells from period 0 on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortRow {
    /// The cohort's period (`2024-03`).
    pub label: String,
    /// Customers whose first purchase fell in it.
    pub customers: u64,
    /// Periods 0, 1, … up to the run's last.
    pub cells: Vec<CohortCell>,
}

/// The cohorts' average at one period since the first purchase, weighted by cohort size, over
/// the cohorts that reached it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AverageCell {
    /// Periods since the first purchase.
    pub period: u32,
    /// Customers of the cohorts that reached this period.
    pub customers: u64,
    /// Share of them active.
    pub active_share: f64,
    /// Revenue per customer in the period.
    pub revenue_per_customer: f64,
    /// Cumulative revenue per customer up to the period (the mean LTV curve).
    pub cumulative_revenue_per_customer: f64,
}

/// One group of a split (or everybody).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortGroup {
    /// The first purchase's item, region or channel; `None` for everybody (no split) or for
    /// the rest of a split ([`Self::other`]).
    pub name: Option<String>,
    /// The customers of a split beyond its [`MAX_GROUPS`] largest groups.
    pub other: bool,
    /// Its customers (with a cohort).
    pub customers: u64,
    /// Its cohorts, oldest first.
    pub cohorts: Vec<CohortRow>,
    /// Its average curve.
    pub average: Vec<AverageCell>,
}

/// A cohort run.
#[derive(Debug, Clone, PartialEq)]
pub struct CohortAnalysis {
    /// Settings used.
    pub params: CohortParams,
    /// The groups: everybody first, then a split's groups by size, then "other".
    pub groups: Vec<CohortGroup>,
    /// Customers without a purchase (no cohort).
    pub customers_without_purchase: u64,
    /// Customers of cohorts older than the [`MAX_PERIODS`] kept.
    pub customers_in_older_cohorts: u64,
    /// The label of the run's last period.
    pub last_period: String,
    /// The cohorts' labels, oldest kept first (the customer table's cohort band codes).
    pub cohort_labels: Vec<String>,
    /// (customer index, cohort: an index into `cohort_labels`) of every customer in a kept
    /// cohort, by customer index.
    pub customer_cohorts: Vec<(u32, u8)>,
}

/// Running sums of one cell.
#[derive(Clone, Copy, Default)]
struct Sums {
    active: u64,
    orders: u64,
    revenue: f64,
}

/// The cells of one group, dense: cohort `c` (0 = the oldest kept) × period `p`.
struct Grid {
    customers: Vec<u64>,
    cells: Vec<Sums>,
}

impl CohortAnalysis {
    /// The cohorts of `analysis`'s run on `dataset`.
    pub fn run(
        dataset: &Dataset,
        analysis: &Analysis,
        params: CohortParams,
    ) -> Result<Self, CohortError> {
        Self::from_lines(dataset, analysis.lines(dataset), params)
    }

    pub(crate) fn from_lines(
        dataset: &Dataset,
        run: RunLines<'_>,
        params: CohortParams,
    ) -> Result<Self, CohortError> {
        let period = params.period;
        let split_column: Option<(&crate::Codes, &crate::Interned)> = match params.split {
            CohortSplit::None => None,
            CohortSplit::FirstItem(ItemLevel::Product) => {
                Some((&dataset.product, &dataset.products))
            }
            CohortSplit::FirstItem(ItemLevel::Category) => {
                Some((&dataset.category, &dataset.categories))
            }
            CohortSplit::FirstRegion => Some((&dataset.region, &dataset.regions)),
            CohortSplit::FirstChannel => Some((&dataset.channel, &dataset.channels)),
        };
        if split_column.is_some_and(|(c, _)| c.is_empty()) {
            return Err(CohortError::NoSplitColumn {
                split: params.split,
            });
        }
        // Pass 1: each customer's orders, sorted by day; the first purchase's period and split
        // value; the run's last day.
        let mut by_customer = run.by_customer();
        struct Customer {
            index: u32,
            cohort: i64,
            value: u32,
            orders: Vec<(Day, f64, bool)>,
        }
        let mut customers: Vec<Customer> = Vec::new();
        let mut without_purchase = 0u64;
        let mut last_day = Day::MIN;
        let mut orders: Vec<(Day, f64, bool, u32)> = Vec::new();
        for c in 0..by_customer.groups() {
            orders.clear();
            run.for_each_order(by_customer.of_mut(c), |lines, total| {
                // The first line with a non-negative amount names the order's item, region or
                // channel.
                let first = lines
                    .iter()
                    .copied()
                    .find(|&l| dataset.amount.get(l as usize).is_some_and(|&a| a >= 0.0))
                    .or_else(|| lines.first().copied())
                    .unwrap_or(0);
                orders.push((total.day, total.net, total.purchase, first));
            });
            if orders.is_empty() {
                continue;
            }
            orders.sort_by(|a, b| a.0.cmp(&b.0).then(a.3.cmp(&b.3)));
            for o in &orders {
                last_day = last_day.max(o.0);
            }
            let Some(&(first_day, _, _, first_line)) = orders.iter().find(|o| o.2) else {
                without_purchase += 1;
                continue;
            };
            let value = split_column
                .and_then(|(column, _)| column.get(first_line as usize))
                .unwrap_or(u32::MAX);
            customers.push(Customer {
                index: c as u32,
                cohort: period.index(first_day),
                value,
                orders: orders.iter().map(|&(d, n, p, _)| (d, n, p)).collect(),
            });
        }
        if customers.is_empty() {
            return Err(CohortError::NoPurchases);
        }
        let last = period.index(last_day);
        let first = customers.iter().map(|c| c.cohort).min().unwrap_or(last);
        if first == last {
            return Err(CohortError::OnePeriod {
                period,
                label: period.label(last),
            });
        }
        let oldest = first.max(last - MAX_PERIODS as i64 + 1);
        let n = usize::try_from(last - oldest + 1).unwrap_or(1);
        // Groups: everybody, then the split's largest values, then the rest.
        let mut group_of_value: std::collections::HashMap<u32, usize> = Default::default();
        let mut names: Vec<(Option<String>, bool)> = vec![(None, false)];
        if let Some((_, interned)) = split_column {
            let mut counts: std::collections::HashMap<u32, u64> = Default::default();
            for c in customers.iter().filter(|c| c.cohort >= oldest) {
                *counts.entry(c.value).or_default() += 1;
            }
            let mut values: Vec<(u32, u64)> = counts.into_iter().collect();
            values.sort_by(|a, b| {
                b.1.cmp(&a.1)
                    .then_with(|| interned.get(a.0).cmp(interned.get(b.0)))
            });
            for (v, _) in values.iter().take(MAX_GROUPS) {
                group_of_value.insert(*v, names.len());
                names.push((Some(interned.get(*v).to_string()), false));
            }
            if values.len() > MAX_GROUPS {
                names.push((None, true));
            }
        }
        let other = names.len() - 1;
        let mut grids: Vec<Grid> = names
            .iter()
            .map(|_| Grid {
                customers: vec![0; n],
                cells: vec![Sums::default(); n * n],
            })
            .collect();
        let mut older = 0u64;
        for c in &customers {
            if c.cohort < oldest {
                older += 1;
                continue;
            }
            let row = (c.cohort - oldest) as usize;
            let mut targets = vec![0usize];
            if split_column.is_some() {
                targets.push(group_of_value.get(&c.value).copied().unwrap_or(other));
            }
            let mut last_active: Option<i64> = None;
            for &t in &targets {
                if let Some(g) = grids.get_mut(t) {
                    if let Some(x) = g.customers.get_mut(row) {
                        *x += 1;
                    }
                }
            }
            for &(day, net, purchase) in &c.orders {
                let p = period.index(day) - c.cohort;
                if p < 0 {
                    continue;
                }
                let active = purchase && last_active != Some(p);
                if purchase {
                    last_active = Some(p);
                }
                let at = row * n + p as usize;
                for &t in &targets {
                    if let Some(cell) = grids.get_mut(t).and_then(|g| g.cells.get_mut(at)) {
                        cell.active += u64::from(active);
                        cell.orders += u64::from(purchase);
                        cell.revenue += net;
                    }
                }
            }
        }
        let groups = names
            .into_iter()
            .zip(grids)
            .map(|((name, is_other), grid)| group(name, is_other, &grid, n, oldest, period))
            .collect();
        // MAX_PERIODS (156) cohorts at most: a cohort's index fits a band's u8.
        let customer_cohorts = customers
            .iter()
            .filter(|c| c.cohort >= oldest)
            .filter_map(|c| Some((c.index, u8::try_from(c.cohort - oldest).ok()?)))
            .collect();
        Ok(Self {
            params,
            groups,
            customers_without_purchase: without_purchase,
            customers_in_older_cohorts: older,
            last_period: period.label(last),
            cohort_labels: (oldest..=last).map(|i| period.label(i)).collect(),
            customer_cohorts,
        })
    }
}

/// One group's rows (cohorts without customers left out) and average curve.
fn group(
    name: Option<String>,
    other: bool,
    grid: &Grid,
    n: usize,
    oldest: i64,
    period: super::CohortPeriod,
) -> CohortGroup {
    let mut cohorts = Vec::new();
    let mut totals = vec![(0u64, 0u64, 0.0f64); n];
    for row in 0..n {
        let customers = grid.customers.get(row).copied().unwrap_or(0);
        if customers == 0 {
            continue;
        }
        let size = customers as f64;
        let mut cumulative = 0.0;
        let cells: Vec<CohortCell> = (0..n - row)
            .map(|p| {
                let s = grid.cells.get(row * n + p).copied().unwrap_or_default();
                cumulative += s.revenue;
                if let Some(t) = totals.get_mut(p) {
                    t.0 += customers;
                    t.1 += s.active;
                    t.2 += s.revenue;
                }
                CohortCell {
                    active_customers: s.active,
                    active_share: s.active as f64 / size,
                    orders: s.orders,
                    revenue: s.revenue,
                    orders_per_customer: s.orders as f64 / size,
                    revenue_per_customer: s.revenue / size,
                    cumulative_revenue_per_customer: cumulative / size,
                }
            })
            .collect();
        cohorts.push(CohortRow {
            label: period.label(oldest + row as i64),
            customers,
            cells,
        });
    }
    let mut cumulative = 0.0;
    let average = totals
        .iter()
        .enumerate()
        .take_while(|(_, t)| t.0 > 0)
        .map(|(p, &(customers, active, revenue))| {
            let size = customers as f64;
            cumulative += revenue / size;
            AverageCell {
                period: p as u32,
                customers,
                active_share: active as f64 / size,
                revenue_per_customer: revenue / size,
                cumulative_revenue_per_customer: cumulative,
            }
        })
        .collect();
    CohortGroup {
        name,
        other,
        customers: grid.customers.iter().sum(),
        cohorts,
        average,
    }
}
