//! Repurchase cycles: per item, how long customers take to buy it again (a Kaplan–Meier curve,
//! censored at the as-of day), each customer's expected next purchase of each item, and the
//! customers due now.
//!
//! Definitions (mirrored by `tests/fixtures/repurchase/make_reference.py`, checked against
//! lifelines):
//! - A customer's purchase days of an item: the distinct days of their purchase orders
//!   ([`crate::lines`]) with a line of that item of non-negative amount.
//! - Spells: between consecutive purchase days, an event of that many days; from the last one to
//!   the as-of day, a censored spell.
//! - An item's cycle: the Kaplan–Meier curve of its spells; median and quartiles as lifelines
//!   reads them (the first time S(t) ≤ q).
//! - Expected next purchase: last day + the item's median, or, with [`MIN_OWN_INTERVALS`] or more
//!   of the customer's own intervals, their mean shrunk toward the item's median with the weight
//!   of [`PRIOR_INTERVALS`] intervals: (n·mean + k·median) / (n + k). None when the item's curve
//!   never reaches one half.
//! - Due now: an expected day within the window around the as-of day.

pub mod km;

use serde::{Deserialize, Serialize};

use crate::baskets::ItemLevel;
use crate::rfm::Analysis;
use crate::{Dataset, Day};
pub use km::KaplanMeier;

/// Own intervals needed for a customer's own cycle to count.
pub const MIN_OWN_INTERVALS: u32 = 3;
/// The weight of the item's median, in intervals.
pub const PRIOR_INTERVALS: f64 = 3.0;
/// Items whose curves the report carries.
pub const TOP_ITEMS: usize = 20;
/// Due customers the report carries (the export has all).
pub const DUE_SHOWN: usize = 50;
/// Points per curve in the report.
const CURVE_POINTS: usize = 120;

/// Repurchase settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepurchaseParams {
    /// What an item is.
    pub level: ItemLevel,
    /// Days either side of the as-of day that count as "due now" (0..=365).
    pub window_days: u32,
}

impl Default for RepurchaseParams {
    /// Products, 14 days either side.
    fn default() -> Self {
        Self {
            level: ItemLevel::Product,
            window_days: 14,
        }
    }
}

/// Why the repurchase cycles could not be computed.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum RepurchaseError {
    /// The file has no column for this item level.
    #[error("the file has no {} column", level.key())]
    NoItemColumn {
        /// The level asked for.
        level: ItemLevel,
    },
    /// Nobody bought an item twice.
    #[error("no customer bought the same item twice")]
    NoRepeats,
    /// The window is out of range.
    #[error("the due window must be 0..=365 days, got {days}")]
    InvalidWindow {
        /// The rejected window.
        days: u32,
    },
}

/// One item's cycle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemCycle {
    /// The item.
    pub item: String,
    /// Customers who bought it.
    pub customers: u64,
    /// Repeat purchases (events).
    pub events: u64,
    /// Spells (events and censored).
    pub spells: u64,
    /// Days until half the spells ended in a repurchase.
    pub median_days: Option<f64>,
    /// Days until a quarter did.
    pub q25_days: Option<f64>,
    /// Days until three quarters did.
    pub q75_days: Option<f64>,
    /// The curve, thinned to at most 120 points: (days, share not yet repurchased).
    pub curve: Vec<(f64, f64)>,
}

/// One customer due to buy an item again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DueRow {
    /// The customer's index (into `Dataset::customer_ids`).
    pub customer: u32,
    /// The customer.
    pub customer_id: String,
    /// The item.
    pub item: String,
    /// Their last purchase of it.
    pub last_day: Day,
    /// The expected next purchase (days since 1970-01-01; fractional).
    pub expected_day: f64,
    /// As-of day − expected day (negative: due in that many days).
    pub days_overdue: f64,
    /// Their own intervals of this item (their own cycle counts from [`MIN_OWN_INTERVALS`]).
    pub own_intervals: u32,
}

/// What the page and the CLI show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RepurchaseReport {
    /// Settings used.
    pub params: RepurchaseParams,
    /// The as-of day.
    pub as_of_day: Day,
    /// Items bought again at least once.
    pub items_with_repeats: u64,
    /// The [`TOP_ITEMS`] items with the most repeat purchases.
    pub items: Vec<ItemCycle>,
    /// Customer × item pairs with an expected next purchase.
    pub expected: u64,
    /// Pairs due now.
    pub due: u64,
    /// The most overdue [`DUE_SHOWN`] of them.
    pub due_rows: Vec<DueRow>,
    /// Milliseconds in the worker.
    pub elapsed_ms: f64,
}

/// One customer × item.
struct Pair {
    customer: u32,
    item: u32,
    last: Day,
    intervals: u32,
    sum: f64,
}

/// A finished run: every due pair, and the report.
#[derive(Debug, Clone, PartialEq)]
pub struct RepurchaseAnalysis {
    /// The report.
    pub report: RepurchaseReport,
    /// Every due pair, most overdue first.
    pub due: Vec<DueRow>,
    /// Every item's curve (items someone bought), by name.
    pub curves: Vec<(String, KaplanMeier)>,
}

impl RepurchaseAnalysis {
    /// The cycles of `analysis`'s run on `dataset`.
    pub fn run(
        dataset: &Dataset,
        analysis: &Analysis,
        params: RepurchaseParams,
    ) -> Result<Self, RepurchaseError> {
        if params.window_days > 365 {
            return Err(RepurchaseError::InvalidWindow {
                days: params.window_days,
            });
        }
        let (column, names) = match params.level {
            ItemLevel::Product => (&dataset.product, &dataset.products),
            ItemLevel::Category => (&dataset.category, &dataset.categories),
        };
        if column.is_empty() {
            return Err(RepurchaseError::NoItemColumn {
                level: params.level,
            });
        }
        let as_of = analysis.report.as_of_day;
        let run = analysis.lines(dataset);
        let mut by_customer = run.by_customer();
        let mut spells: Vec<Vec<(u32, bool)>> = vec![Vec::new(); names.len()];
        let mut buyers = vec![0u64; names.len()];
        let mut pairs: Vec<Pair> = Vec::new();
        let mut bought: Vec<(u32, Day)> = Vec::new();
        for c in 0..by_customer.groups() {
            bought.clear();
            run.for_each_order(by_customer.of_mut(c), |lines, total| {
                if !total.purchase {
                    return;
                }
                for &l in lines {
                    let i = l as usize;
                    if dataset.amount.get(i).is_some_and(|&a| a >= 0.0) {
                        if let Some(item) = column.get(i) {
                            if !names.get(item).is_empty() {
                                bought.push((item, total.day));
                            }
                        }
                    }
                }
            });
            bought.sort_unstable();
            bought.dedup();
            let mut rest = &bought[..];
            while let Some(&(item, _)) = rest.first() {
                let end = rest.iter().position(|b| b.0 != item).unwrap_or(rest.len());
                let (days, tail) = rest.split_at(end);
                rest = tail;
                let list = spells.get_mut(item as usize);
                let Some(list) = list else { continue };
                if let Some(n) = buyers.get_mut(item as usize) {
                    *n += 1;
                }
                let mut sum = 0.0;
                for w in days.windows(2) {
                    let gap = (w[1].1 - w[0].1) as u32;
                    list.push((gap, true));
                    sum += f64::from(gap);
                }
                let last = days.last().map_or(as_of, |d| d.1);
                list.push(((as_of - last).max(0) as u32, false));
                pairs.push(Pair {
                    customer: c as u32,
                    item,
                    last,
                    intervals: days.len() as u32 - 1,
                    sum,
                });
            }
        }
        let curves: Vec<Option<KaplanMeier>> = spells
            .iter_mut()
            .map(|s| (!s.is_empty()).then(|| KaplanMeier::fit(s)))
            .collect();
        drop(spells);
        let items_with_repeats = curves.iter().flatten().filter(|k| k.events > 0).count() as u64;
        if items_with_repeats == 0 {
            return Err(RepurchaseError::NoRepeats);
        }
        let median: Vec<Option<f64>> = curves
            .iter()
            .map(|k| k.as_ref().and_then(KaplanMeier::median))
            .collect();
        // Expected next purchases, and the due ones.
        let window = f64::from(params.window_days);
        let mut expected = 0u64;
        let mut due: Vec<DueRow> = Vec::new();
        for p in &pairs {
            let Some(m) = median.get(p.item as usize).copied().flatten() else {
                continue;
            };
            let n = f64::from(p.intervals);
            let interval = if p.intervals >= MIN_OWN_INTERVALS {
                (n * (p.sum / n) + PRIOR_INTERVALS * m) / (n + PRIOR_INTERVALS)
            } else {
                m
            };
            let day = f64::from(p.last) + interval;
            expected += 1;
            let overdue = f64::from(as_of) - day;
            if overdue.abs() <= window {
                due.push(DueRow {
                    customer: p.customer,
                    customer_id: dataset.customer_ids.get(p.customer).to_string(),
                    item: names.get(p.item).to_string(),
                    last_day: p.last,
                    expected_day: day,
                    days_overdue: overdue,
                    own_intervals: p.intervals,
                });
            }
        }
        due.sort_by(|a, b| {
            b.days_overdue
                .total_cmp(&a.days_overdue)
                .then_with(|| a.customer_id.cmp(&b.customer_id))
                .then_with(|| a.item.cmp(&b.item))
        });
        // The items with the most repeat purchases (ties by name).
        let mut order: Vec<usize> = (0..curves.len())
            .filter(|&i| {
                curves
                    .get(i)
                    .and_then(Option::as_ref)
                    .is_some_and(|k| k.events > 0)
            })
            .collect();
        order.sort_by(|&a, &b| {
            let e = |i: usize| {
                curves
                    .get(i)
                    .and_then(Option::as_ref)
                    .map_or(0, |k| k.events)
            };
            e(b).cmp(&e(a))
                .then_with(|| names.get(a as u32).cmp(names.get(b as u32)))
        });
        let items = order
            .into_iter()
            .take(TOP_ITEMS)
            .filter_map(|i| {
                let k = curves.get(i)?.as_ref()?;
                let step = k.times.len().div_ceil(CURVE_POINTS).max(1);
                let mut curve: Vec<(f64, f64)> = k
                    .times
                    .iter()
                    .zip(&k.survival)
                    .step_by(step)
                    .map(|(&t, &s)| (t, s))
                    .collect();
                if let (Some(&t), Some(&s)) = (k.times.last(), k.survival.last()) {
                    if curve.last() != Some(&(t, s)) {
                        curve.push((t, s));
                    }
                }
                Some(ItemCycle {
                    item: names.get(i as u32).to_string(),
                    customers: buyers.get(i).copied().unwrap_or(0),
                    events: k.events,
                    spells: k.spells,
                    median_days: k.median(),
                    q25_days: k.quantile_time(0.75),
                    q75_days: k.quantile_time(0.25),
                    curve,
                })
            })
            .collect();
        Ok(Self {
            report: RepurchaseReport {
                params,
                as_of_day: as_of,
                items_with_repeats,
                items,
                expected,
                due: due.len() as u64,
                due_rows: due.iter().take(DUE_SHOWN).cloned().collect(),
                elapsed_ms: 0.0,
            },
            due,
            curves: {
                let mut named: Vec<(String, KaplanMeier)> = curves
                    .into_iter()
                    .enumerate()
                    .filter_map(|(i, k)| Some((names.get(i as u32).to_string(), k?)))
                    .collect();
                named.sort_by(|a, b| a.0.cmp(&b.0));
                named
            },
        })
    }

    /// The due list: `customer_id, item, last_purchase, expected_date, days_overdue,
    /// own_intervals`, most overdue first. Returns the rows written.
    pub fn export_due(&self, sink: &mut dyn crate::table_out::TableSink) -> u64 {
        sink.header(&[
            "customer_id",
            "item",
            "last_purchase",
            "expected_date",
            "days_overdue",
            "own_intervals",
        ]);
        for r in &self.due {
            sink.text(&r.customer_id);
            sink.text(&r.item);
            sink.day(r.last_day);
            sink.day(r.expected_day.floor() as Day);
            sink.number(r.days_overdue, 1);
            sink.integer(i64::from(r.own_intervals));
            sink.end_row();
        }
        self.due.len() as u64
    }
}
