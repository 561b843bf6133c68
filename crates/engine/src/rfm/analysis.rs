//! Dataset → orders → per-customer RFM → report.
//!
//! The pipeline, in one pass each, with no per-line hash map:
//!
//! 1. **Lines → orders.** The lines the run uses are bucketed by customer with a counting sort
//!    (customer ids are dense `u32`s). Within one customer, lines with the same order key form one
//!    order: the key is the order id hash when the file has order ids, else the day (so same-day
//!    lines of one customer without order id are one order). Both rules are written once, in
//!    `crate::lines`. The order day is its earliest line day; its net value is the sum of its
//!    line amounts (negative lines are returns, netted per order).
//! 2. **Outliers.** Over the positive order nets, Q1 and Q3 of `ln(value)` give the far-out fence
//!    `exp(Q3 + 3 × IQR)`; orders above it are flagged and, with `cap_outliers`, valued at the fence.
//! 3. **Customers.** Frequency = purchase orders ([`lines::is_purchase`]: a positive net, or a
//!    net of exactly 0 without a return line, such as a free sample); monetary = the sum of *all*
//!    the customer's order nets (so a return booked under its own order id reduces revenue, and a
//!    customer whose orders were all free has monetary 0); recency = as-of day − last purchase
//!    day. Customers with only returns are not scored, nor are customers without a line on or
//!    before the as-of day; the report counts both ([`super::Report::customers_without_purchase`],
//!    [`super::Report::customers_after_as_of`]).
//! 4. **Scores** 1..=5 by quintiles with ties kept together (see [`quintile_scores`]), then the
//!    segment from the grid, then the [`Report`](super::Report).
//!
//! Lines dated after the as-of day are ignored: the analysis sees the data as it stood that day.
//! Lines with a non-finite amount (never produced by ingest) are ignored too.

use std::cmp::Ordering;

use super::{summary, Report, RfmError, RfmParams, Segment};
use crate::lines::{self, RunLines};
use crate::{stats, Dataset, Day};

/// Per-customer results, columnar; entry `i` describes customer `customer[i]` (an index into
/// `Dataset::customer_ids`), sorted by that index. Only customers with a purchase are present.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomerScores {
    /// Customer index into `Dataset::customer_ids`.
    pub customer: Vec<u32>,
    /// Days from the last order to the as-of day.
    pub recency_days: Vec<i32>,
    /// Purchase orders (a positive net, or worth exactly 0 without a return line).
    pub frequency: Vec<u32>,
    /// Net revenue.
    pub monetary: Vec<f64>,
    /// First order day.
    pub first_day: Vec<Day>,
    /// Last order day.
    pub last_day: Vec<Day>,
    /// Recency score 1..=5 (5 = most recent).
    pub r_score: Vec<u8>,
    /// Frequency score 1..=5.
    pub f_score: Vec<u8>,
    /// Monetary score 1..=5.
    pub m_score: Vec<u8>,
    /// Named segment.
    pub segment: Vec<Segment>,
}

impl CustomerScores {
    /// Number of scored customers.
    pub fn len(&self) -> usize {
        self.customer.len()
    }
    /// True when nobody was scored.
    pub fn is_empty(&self) -> bool {
        self.customer.is_empty()
    }
}

/// The result of one analysis run.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysis {
    /// Per-customer scores.
    pub customers: CustomerScores,
    /// The dashboard report.
    pub report: Report,
}

impl Analysis {
    /// The lines of `dataset` this run used, grouped into orders as it grouped them (same as-of
    /// day and duplicate handling).
    pub(crate) fn lines<'a>(&self, dataset: &'a Dataset) -> RunLines<'a> {
        RunLines::new(
            dataset,
            self.report.as_of_day,
            self.report.duplicates_were_removed,
        )
    }
}

/// Runs orders → RFM → segments → report.
///
/// Lines dated after the as-of day are ignored (the data as it stood that day), so recency is
/// never negative.
///
/// Fails with [`RfmError::NoCustomers`] for an empty dataset or when no customer has an order
/// with a positive net amount, and with the errors of [`RfmParams::check`].
pub fn analyze(dataset: &Dataset, params: &RfmParams) -> Result<Analysis, RfmError> {
    analyze_on(dataset, params, 1)
}

/// [`analyze`] with `threads` threads (natively; the browser's worker has one): the customers'
/// orders are grouped in two halves at once. The result is the same with any number.
pub fn analyze_on(
    dataset: &Dataset,
    params: &RfmParams,
    threads: usize,
) -> Result<Analysis, RfmError> {
    let lines = lines::line_count(dataset);
    let day_range = dataset
        .day
        .get(..lines)
        .and_then(|days| Some((*days.iter().min()?, *days.iter().max()?)))
        .ok_or(RfmError::NoCustomers)?;
    // A summary's data runs to its as-of day, whatever day its last synthetic line has.
    let day_range = match dataset.summary_as_of {
        Some(as_of) => (day_range.0, day_range.1.max(as_of)),
        None => day_range,
    };
    let mut valid = params.check(day_range, dataset.has_order_ids())?;
    if dataset.is_summary() {
        // A summary's lines flagged as duplicates are the purchase models' alone (see
        // `crate::summary`), and its orders' values are not real: no outlier fence either.
        valid.remove_duplicates = true;
        valid.cap_outliers = false;
    }

    let run = RunLines::new(dataset, valid.as_of_day, valid.remove_duplicates);
    let mut orders = Orders::build(&run, threads, dataset.order_count);
    let outliers = if dataset.is_summary() {
        super::OutlierSummary::default()
    } else {
        orders.apply_outlier_fence(valid.cap_outliers)
    };
    let totals = orders.customer_totals(valid.as_of_day);
    if totals.customers.is_empty() {
        return Err(RfmError::NoCustomers);
    }
    // What the report needs of the orders, taken now: they are freed before the scores are
    // made, whose buffers then reuse their memory (the 1M-row run's peak RSS, two threads:
    // ≈ 2 MiB lower).
    // A summary has no months: its synthetic order days are not real.
    let monthly = if dataset.is_summary() {
        Vec::new()
    } else {
        orders.monthly()
    };
    let fully_returned_orders = orders.purchase.iter().filter(|p| !**p).count() as u64;
    let duplicates_removed = orders.duplicates_removed;
    drop(orders);

    let c = totals.customers;
    let r_score = counted_quintile_scores(&c.recency_days, Better::Lower)
        .unwrap_or_else(|| quintile_scores(&c.recency_days, |a, b| b.cmp(a)));
    let f_score = counted_quintile_scores(&c.frequency, Better::Higher)
        .unwrap_or_else(|| quintile_scores(&c.frequency, Ord::cmp));
    // One sort of the monetary values for the M scores, the Pareto figures and the histogram.
    let by_monetary = sorted_with_index(&c.monetary, f64::total_cmp);
    let m_score = scores_of_sorted(&by_monetary, f64::total_cmp);
    let sorted_monetary: Vec<f64> = by_monetary.iter().map(|(m, _)| *m).collect();
    drop(by_monetary);
    let segment = r_score
        .iter()
        .zip(&f_score)
        .zip(&m_score)
        // Scores are 1..=5 and `check` verified the grid is complete, so `segment` is `Some`.
        .map(|((r, f), m)| valid.grid.segment(*r, *f, *m).unwrap_or(Segment::Lost))
        .collect();
    let customers = CustomerScores {
        r_score,
        f_score,
        m_score,
        segment,
        ..c
    };

    let report = Report {
        as_of_day: valid.as_of_day,
        first_day: customers
            .first_day
            .iter()
            .min()
            .copied()
            .unwrap_or(valid.as_of_day),
        last_day: customers
            .last_day
            .iter()
            .max()
            .copied()
            .unwrap_or(valid.as_of_day),
        kpis: summary::kpis(&customers),
        monthly,
        segments: summary::segment_rows(&customers),
        rf_heatmap: summary::rf_heatmap(&customers),
        pareto: summary::pareto_of_sorted(&sorted_monetary),
        recency_histogram: summary::recency_histogram(&customers.recency_days),
        frequency_histogram: summary::frequency_histogram(&customers.frequency),
        monetary_histogram: summary::monetary_histogram_of_sorted(&sorted_monetary),
        outliers,
        // A summary's flagged lines are the purchase models' alone, not duplicates of the file.
        duplicates_removed: if dataset.is_summary() {
            0
        } else {
            duplicates_removed
        },
        duplicates_were_removed: valid.remove_duplicates,
        fully_returned_orders,
        customers_without_purchase: totals.without_purchase,
        customers_after_as_of: totals.without_lines,
    };
    Ok(Analysis { customers, report })
}

/// Scores 1..=5 by quintiles, deterministic under ties.
///
/// `cmp` orders values from worst to best (ascending for frequency and monetary, descending for
/// recency, where fewer days is better). For each customer, `below` = the number of scored
/// customers whose value is strictly worse (for F and M: strictly smaller; for R: strictly larger
/// recency), and
///
/// `score = 1 + floor(5 × below / n)`.
///
/// Equal values therefore always get equal scores, the worst value always scores 1, and a score
/// reaches 5 only when at least 80% of the customers are strictly worse. Sorting once makes it
/// O(n log n): `below` is the position of the first value of each run of equal values.
pub(super) fn quintile_scores<T: Copy>(values: &[T], cmp: impl Fn(&T, &T) -> Ordering) -> Vec<u8> {
    scores_of_sorted(&sorted_with_index(values, &cmp), cmp)
}

/// Each value with its index, sorted from worst to best by `cmp` (equal values in no particular
/// order). The values are copied beside their index: sorting references read the values at
/// random in every comparison (1M customers' monetary values in wasm, V8 in node: 43–53 ms).
fn sorted_with_index<T: Copy>(values: &[T], cmp: impl Fn(&T, &T) -> Ordering) -> Vec<(T, usize)> {
    let mut order: Vec<(T, usize)> = values.iter().copied().zip(0..).collect();
    order.sort_unstable_by(|a, b| cmp(&a.0, &b.0));
    order
}

/// [`quintile_scores`] of the values as [`sorted_with_index`] sorted them.
fn scores_of_sorted<T>(order: &[(T, usize)], cmp: impl Fn(&T, &T) -> Ordering) -> Vec<u8> {
    let n = order.len();
    let mut scores = vec![1u8; n];
    let mut below = 0;
    let mut previous: Option<&T> = None;
    for (position, (value, index)) in order.iter().enumerate() {
        if previous.is_some_and(|p| cmp(p, value) != Ordering::Equal) {
            below = position;
        }
        previous = Some(value);
        if let Some(score) = scores.get_mut(*index) {
            // below < n, so this is 1..=5.
            *score = 1 + (5 * below / n) as u8;
        }
    }
    scores
}

/// Which end of a score's values is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Better {
    /// Fewer is better (recency in days).
    Lower,
    /// More is better (frequency).
    Higher,
}

/// [`quintile_scores`] of whole numbers in a range of at most a few values per customer (days
/// of recency, order counts), by counting instead of sorting: `below` is the count of values
/// strictly worse, a running sum over the counts. The same scores in O(n + range); `None` when
/// the range is wider (the caller sorts then). In the page's wasm profile (100,000 customers)
/// the analysis's sorts were ≈ 25 ms, three of them sorts of every customer's value.
fn counted_quintile_scores<T: Copy + Into<i64>>(values: &[T], better: Better) -> Option<Vec<u8>> {
    let n = values.len();
    let (min, max) = values.iter().map(|&v| v.into()).fold(
        None,
        |range: Option<(i64, i64)>, v| match range {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        },
    )?;
    let span = usize::try_from(max.checked_sub(min)?)
        .ok()?
        .checked_add(1)?;
    if span > n.saturating_mul(4).max(1024) {
        return None;
    }
    let slot = |v: T| usize::try_from(v.into() - min).unwrap_or(0);
    let mut below = vec![0usize; span];
    for &v in values {
        if let Some(count) = below.get_mut(slot(v)) {
            *count += 1;
        }
    }
    // Counts → the number of values strictly worse than each value.
    let mut running = 0;
    let mut turn = |count: &mut usize| {
        let here = *count;
        *count = running;
        running += here;
    };
    match better {
        Better::Higher => below.iter_mut().for_each(&mut turn),
        Better::Lower => below.iter_mut().rev().for_each(&mut turn),
    }
    Some(
        values
            .iter()
            .map(|&v| {
                let worse = below.get(slot(v)).copied().unwrap_or(0);
                // worse < n, so this is 1..=5.
                1 + (5 * worse / n) as u8
            })
            .collect(),
    )
}

/// The type-7 quantiles `qs` of `ln(v)` over the positive values `v` of `values` (as
/// [`stats::quantile_sorted`] over the sorted logs; `None` without a positive value). `ln` is
/// increasing, so the order statistics of the logs are the logs of the order statistics: only
/// two logarithms a quantile are taken.
///
/// The order statistics are found without a copy of the values: a positive `f64`'s bits, read
/// as an integer, order as the number does, so one pass counts the values by their top 16 bits,
/// and the buckets holding the wanted ranks are then copied and selected in. Hand-written: it
/// replaced a copy of the positive values (8 bytes an order, 40 MB for the 10M-row file, while
/// the orders are alive) and two selections over it.
fn log_quantiles<const Q: usize>(values: &[f64], qs: [f64; Q]) -> Option<[f64; Q]> {
    const TOP: u32 = 48;
    let bucket = |v: f64| (v.to_bits() >> TOP) as usize;
    let positive = || values.iter().copied().filter(|v| *v > 0.0);
    let mut counts = vec![0usize; 1 << (64 - TOP)];
    for v in positive() {
        if let Some(count) = counts.get_mut(bucket(v)) {
            *count += 1;
        }
    }
    let n: usize = counts.iter().sum();
    if n == 0 {
        return None;
    }
    // For each quantile, the two ranks it interpolates between (the second one the next value,
    // or the same at the end).
    let place = |q: f64| {
        let h = (n - 1) as f64 * q.clamp(0.0, 1.0);
        let lo = (h.floor() as usize).min(n - 1);
        (h - lo as f64, [lo, (lo + 1).min(n - 1)])
    };
    let mut ranks: Vec<usize> = qs.iter().flat_map(|&q| place(q).1).collect();
    ranks.sort_unstable();
    ranks.dedup();
    // The bucket of each wanted rank, and the rank within it.
    let mut below = 0;
    let mut wanted: Vec<(usize, usize, usize)> = Vec::new(); // (rank, bucket, rank in bucket)
    let mut next = ranks.iter().peekable();
    for (b, &count) in counts.iter().enumerate() {
        while let Some(&&rank) = next.peek() {
            if rank >= below + count {
                break;
            }
            wanted.push((rank, b, rank - below));
            next.next();
        }
        below += count;
    }
    drop(counts);
    let mut buckets: Vec<(usize, Vec<f64>)> = Vec::new();
    for &(_, b, _) in &wanted {
        if !buckets.iter().any(|(seen, _)| *seen == b) {
            buckets.push((b, Vec::new()));
        }
    }
    for v in positive() {
        let b = bucket(v);
        if let Some((_, bucket_values)) = buckets.iter_mut().find(|(seen, _)| *seen == b) {
            bucket_values.push(v);
        }
    }
    let mut statistic = |rank: usize| -> Option<f64> {
        let &(_, b, within) = wanted.iter().find(|w| w.0 == rank)?;
        let (_, bucket_values) = buckets.iter_mut().find(|(seen, _)| *seen == b)?;
        let (_, value, _) = bucket_values
            .get_mut(..)?
            .select_nth_unstable_by(within, f64::total_cmp);
        Some(*value)
    };
    let mut out = [0.0; Q];
    for (slot, &q) in out.iter_mut().zip(&qs) {
        let (fraction, [lo, hi]) = place(q);
        let (a, b) = (statistic(lo)?, statistic(hi)?);
        // One value is its own quantile (as `quantile_sorted` of one value: no interpolation,
        // which would make NaN of an infinite one).
        let logs = [a.ln(), b.ln()];
        let logs = logs.get(..if n == 1 { 1 } else { 2 })?;
        *slot = stats::quantile_sorted(logs, fraction)?;
    }
    Some(out)
}

/// Fewer customers are grouped into orders on one thread (a thread costs more than it saves;
/// the tests split every run of two customers or more).
#[cfg(all(not(target_arch = "wasm32"), not(test)))]
const MIN_CUSTOMERS_IN_HALVES: usize = 20_000;
#[cfg(all(not(target_arch = "wasm32"), test))]
const MIN_CUSTOMERS_IN_HALVES: usize = 2;

/// All orders, grouped by customer (columnar).
#[derive(Debug, Default)]
struct Orders {
    /// Orders of customer `c` are `start[c]..start[c + 1]`.
    start: Vec<usize>,
    /// Order day (earliest line day).
    day: Vec<Day>,
    /// Net order value (capped at the fence when capping).
    net: Vec<f64>,
    /// Whether the order is a purchase ([`lines::is_purchase`]).
    purchase: Vec<bool>,
    /// Exact duplicate lines skipped.
    duplicates_removed: u64,
}

/// One half's orders ([`Orders::build`] with two threads): written into its part of the
/// shared columns while they have room, then into `spilled`.
#[cfg(not(target_arch = "wasm32"))]
struct HalfOrders<'a> {
    day: &'a mut [Day],
    net: &'a mut [f64],
    purchase: &'a mut [bool],
    /// Orders written into the shared columns.
    len: usize,
    spilled: Orders,
    /// Where each customer's orders start, counted from the half's first order.
    start: Vec<usize>,
}

#[cfg(not(target_arch = "wasm32"))]
impl HalfOrders<'_> {
    fn push(&mut self, order: lines::OrderTotal) {
        let slot = (
            self.day.get_mut(self.len),
            self.net.get_mut(self.len),
            self.purchase.get_mut(self.len),
        );
        if let (Some(day), Some(net), Some(purchase)) = slot {
            *day = order.day;
            *net = order.net;
            *purchase = order.purchase;
            self.len += 1;
        } else {
            self.spilled.push(order);
        }
    }

    /// Orders pushed.
    fn count(&self) -> usize {
        self.len + self.spilled.day.len()
    }
}

/// Per-customer totals before scoring.
struct CustomerTotals {
    /// Scored customers (scores and segments still empty).
    customers: CustomerScores,
    /// Customers with orders but no purchase (only returns).
    without_purchase: u64,
    /// Customers of the dataset without a line in the run (all dated after the as-of day).
    without_lines: u64,
}

/// Lines gathered at once when grouping orders with one thread
/// ([`RunLines::for_each_customer_orders`]): an eighth of the lines, at least 2¹⁸ (6 MiB) and at
/// most 2²⁰ (24 MiB), against the 4 bytes a line of the index it replaces. At most 8 passes over
/// the customer column until 8M lines (10M rows: 10); at 2¹⁹ lines the 10M run made 20 passes
/// and took 1.77 s against 1.38. At 2²⁰ for 1M rows the native one-thread `rfm` peaked at 83 MB
/// against 65 with the index (now 66).
fn gather_lines(lines: usize) -> usize {
    (lines / 8).clamp(1 << 18, 1 << 20)
}

impl Orders {
    /// Groups the lines `run` uses into orders, customer by customer ([`crate::lines`]); with
    /// `threads` ≥ 2 and enough customers (natively), each half of the customers on a thread,
    /// the second half's orders then moved to follow the first's (the same orders in the same
    /// order).
    ///
    /// `order_count`, the ingest's count of the dataset's orders, sizes the room reserved for
    /// them (at most one per line; a run with an earlier as-of day has fewer orders and leaves
    /// some of it unused; with two threads, orders beyond a half's room are kept aside and
    /// joined by copying): in wasm, growing by doubling left up to twice the room in the heap
    /// (the 10M-row run's 4.6M orders in 8.4M places, the run's and so the page's peak), and
    /// natively each step copied the orders in the heap.
    fn build(run: &RunLines<'_>, threads: usize, order_count: Option<u64>) -> Self {
        #[cfg(not(target_arch = "wasm32"))]
        if threads >= 2 && run.customer_groups() >= MIN_CUSTOMERS_IN_HALVES {
            let mut by_customer = run.by_customer();
            let customers = by_customer.groups();
            let duplicates_removed = by_customer.removed_duplicates();
            let [mut low, mut high] = by_customer.halves_mut(customers / 2);
            // One set of columns for both halves' orders, the first half writing from the start,
            // the second from its estimated place (each half's share of the lines' orders, with
            // 1/32 of them to spare on each side); the second half's are then moved down to
            // follow the first's. Appending a second set instead wrote its orders twice: ≈ 3 MiB
            // more peak RSS for the 1M-row file. The columns are zeroed, so the room never
            // written costs no memory (fresh pages; without a count the room is the lines',
            // mostly never written), and they are made on the calling thread: what the other
            // thread allocated would be freed into its own allocator arena, which glibc keeps
            // resident and this thread does not reuse (only the orders spilled past a half's
            // room, when the shares misjudge them, are allocated on the thread).
            let all_lines = (low.lines() + high.lines()).max(1);
            let orders_bound = order_count
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(all_lines)
                .min(all_lines);
            let spare = orders_bound / 32;
            let first_share =
                (orders_bound as u128 * low.lines() as u128 / all_lines as u128) as usize;
            let first_room = first_share + spare;
            let room = first_room + (orders_bound - first_share) + spare;
            let mut day: Vec<Day> = vec![0; room];
            let mut net = vec![0.0f64; room];
            let mut purchase = vec![false; room];
            let (day_low, day_high) = day.split_at_mut(first_room);
            let (net_low, net_high) = net.split_at_mut(first_room);
            let (purchase_low, purchase_high) = purchase.split_at_mut(first_room);
            let low_half = HalfOrders {
                day: day_low,
                net: net_low,
                purchase: purchase_low,
                len: 0,
                spilled: Orders::default(),
                start: Vec::with_capacity(customers + 1),
            };
            let high_half = HalfOrders {
                day: day_high,
                net: net_high,
                purchase: purchase_high,
                len: 0,
                spilled: Orders::default(),
                start: Vec::with_capacity(high.groups()),
            };
            let part = |groups: &mut lines::GroupsMut<'_>, mut half: HalfOrders<'_>| {
                for c in 0..groups.groups() {
                    half.start.push(half.count());
                    run.for_each_order(groups.of_mut(c), |_, order| half.push(order));
                }
                (half.len, half.spilled, half.start)
            };
            let ((low_len, low_spilled, mut start), (high_len, high_spilled, high_start)) =
                crate::parallel::join(|| part(&mut low, low_half), || part(&mut high, high_half));
            let low_count = low_len + low_spilled.day.len();
            let total = low_count + high_len + high_spilled.day.len();
            let mut orders = if low_spilled.day.is_empty() && high_spilled.day.is_empty() {
                let moved = first_room..first_room + high_len;
                day.copy_within(moved.clone(), low_len);
                net.copy_within(moved.clone(), low_len);
                purchase.copy_within(moved, low_len);
                day.truncate(total);
                net.truncate(total);
                purchase.truncate(total);
                Orders {
                    day,
                    net,
                    purchase,
                    ..Orders::default()
                }
            } else {
                // A half had more orders than its room (the lines' shares misjudged them):
                // joined by copying, in order.
                let mut orders = Orders::default();
                orders.reserve(total);
                let pieces = [
                    (0..low_len, low_spilled),
                    (first_room..first_room + high_len, high_spilled),
                ];
                for (range, spilled) in pieces {
                    orders
                        .day
                        .extend(day.get(range.clone()).unwrap_or_default());
                    orders
                        .net
                        .extend(net.get(range.clone()).unwrap_or_default());
                    orders
                        .purchase
                        .extend(purchase.get(range).unwrap_or_default());
                    orders.day.extend(spilled.day);
                    orders.net.extend(spilled.net);
                    orders.purchase.extend(spilled.purchase);
                }
                orders
            };
            start.extend(high_start.iter().map(|s| s + low_count));
            start.push(total);
            orders.start = start;
            orders.duplicates_removed = duplicates_removed;
            return orders;
        }
        let _ = threads;
        // Room for the ingest's count of orders (one per line would cost real memory in wasm).
        let mut orders = Orders::default();
        if let Some(count) = order_count.and_then(|n| usize::try_from(n).ok()) {
            orders.reserve(count.min(run.len()));
        }
        let mut next = 0;
        let (customers, duplicates_removed) =
            run.for_each_customer_orders(gather_lines(run.len()), |c, order| {
                while next <= c {
                    orders.start.push(orders.day.len());
                    next += 1;
                }
                orders.push(order);
            });
        while next < customers {
            orders.start.push(orders.day.len());
            next += 1;
        }
        orders.start.push(orders.day.len());
        orders.duplicates_removed = duplicates_removed;
        orders
    }

    /// Room for exactly `orders` more orders.
    fn reserve(&mut self, orders: usize) {
        self.day.reserve_exact(orders);
        self.net.reserve_exact(orders);
        self.purchase.reserve_exact(orders);
    }

    fn push(&mut self, order: lines::OrderTotal) {
        self.day.push(order.day);
        self.net.push(order.net);
        self.purchase.push(order.purchase);
    }

    /// Flags (and with `cap`, caps) positive order values above `exp(Q3 + 3 × IQR)` of the log
    /// order values. The comparison is made on the log scale, so orders that all have the same
    /// value are never flagged.
    fn apply_outlier_fence(&mut self, cap: bool) -> super::OutlierSummary {
        let Some([q1, q3]) = log_quantiles(&self.net, [0.25, 0.75]) else {
            return super::OutlierSummary {
                capped: cap,
                ..Default::default()
            };
        };
        let log_fence = q3 + 3.0 * (q3 - q1);
        let fence = log_fence.exp();
        let mut summary = super::OutlierSummary {
            fence,
            capped: cap,
            ..Default::default()
        };
        // Cheap pre-check on the linear scale, exact check on the log scale.
        let candidate = fence * (1.0 - 1e-9);
        for net in &mut self.net {
            if *net > candidate && net.ln() > log_fence {
                summary.flagged_orders += 1;
                summary.flagged_revenue += *net;
                if cap {
                    *net = fence;
                }
            }
        }
        summary
    }

    /// Frequency, monetary, first/last day and recency of every customer with a purchase.
    fn customer_totals(&self, as_of_day: Day) -> CustomerTotals {
        let mut customers = CustomerScores::default();
        let (mut without_purchase, mut without_lines) = (0u64, 0u64);
        for (c, bounds) in self.start.windows(2).enumerate() {
            let (Some(&from), Some(&to)) = (bounds.first(), bounds.get(1)) else {
                continue;
            };
            if from == to {
                without_lines += 1;
                continue;
            }
            let (Some(days), Some(nets), Some(purchases)) = (
                self.day.get(from..to),
                self.net.get(from..to),
                self.purchase.get(from..to),
            ) else {
                continue;
            };
            let mut frequency = 0u32;
            let mut monetary = 0.0;
            let mut first = Day::MAX;
            let mut last = Day::MIN;
            for ((d, net), purchase) in days.iter().zip(nets).zip(purchases) {
                monetary += net;
                if *purchase {
                    frequency += 1;
                    first = first.min(*d);
                    last = last.max(*d);
                }
            }
            if frequency == 0 {
                without_purchase += 1;
                continue;
            }
            customers.customer.push(c as u32);
            customers.recency_days.push(as_of_day.saturating_sub(last));
            customers.frequency.push(frequency);
            customers.monetary.push(lines::net_of(monetary));
            customers.first_day.push(first);
            customers.last_day.push(last);
        }
        CustomerTotals {
            customers,
            without_purchase,
            without_lines,
        }
    }

    /// The monthly series over purchase orders; see [`summary::monthly`].
    fn monthly(&self) -> Vec<super::MonthPoint> {
        summary::monthly(&self.start, &self.day, &self.net, &self.purchase)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::calendar::day_from_ymd;
    use crate::Interned;

    /// One hand-written line: (customer id, ISO date, amount, order id or "").
    pub(crate) type Line<'a> = (&'a str, &'a str, f64, &'a str);

    /// Builds a Dataset from hand-written lines, flagging exact duplicates like ingest does.
    pub(crate) fn dataset(lines: &[Line]) -> Dataset {
        let with_orders = lines.iter().any(|l| !l.3.is_empty());
        let mut ds = Dataset::default();
        let mut ids: Vec<String> = Vec::new();
        let mut seen: Vec<Line> = Vec::new();
        for line in lines {
            let (id, date, amount, order) = *line;
            let c = match ids.iter().position(|x| x == id) {
                Some(p) => p,
                None => {
                    ids.push(id.to_string());
                    ids.len() - 1
                }
            };
            ds.customer.push(c as u32);
            let (y, m, d) = (&date[0..4], &date[5..7], &date[8..10]);
            ds.day.push(
                day_from_ymd(y.parse().unwrap(), m.parse().unwrap(), d.parse().unwrap()).unwrap(),
            );
            ds.amount.push(amount);
            if with_orders {
                ds.order_hash
                    .push(order.bytes().fold(1469598103934665603u64, |h, b| {
                        (h ^ u64::from(b)).wrapping_mul(1099511628211)
                    }));
            }
            ds.is_exact_duplicate.push(seen.contains(line));
            seen.push(*line);
        }
        ds.customer_ids = Interned::from(ids);
        ds
    }

    pub(crate) fn day(iso: &str) -> Day {
        crate::calendar::parse_iso_day(iso).unwrap()
    }

    /// Scores of customer `id`: (recency, frequency, monetary, r, f, m, segment).
    pub(crate) fn row(
        ds: &Dataset,
        a: &Analysis,
        id: &str,
    ) -> (i32, u32, f64, u8, u8, u8, Segment) {
        let c = ds.customer_ids.position(id).unwrap() as u32;
        let i = a
            .customers
            .customer
            .iter()
            .position(|x| *x == c)
            .expect("customer is scored");
        let s = &a.customers;
        (
            s.recency_days[i],
            s.frequency[i],
            s.monetary[i],
            s.r_score[i],
            s.f_score[i],
            s.m_score[i],
            s.segment[i],
        )
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    /// Five customers without order ids, as-of 2024-04-01:
    ///
    /// - A: 01-05 (10 + 5, same day = one order of 15), 02-10 (20), 03-20 (30) → F 3, M 65, last 03-20
    /// - B: 03-25 (100) → F 1, M 100, last 03-25
    /// - C: 01-15 (50), 01-15 (-50) same day → fully returned order; not scored
    /// - D: 02-01 (40), 03-01 (40) → F 2, M 80, last 03-01
    /// - E: 01-20 (5), 03-31 (5), 03-31 (-2) → F 2, M 8, last 03-31
    fn small() -> Dataset {
        dataset(&[
            ("A", "2024-01-05", 10.0, ""),
            ("A", "2024-01-05", 5.0, ""),
            ("C", "2024-01-15", 50.0, ""),
            ("C", "2024-01-15", -50.0, ""),
            ("E", "2024-01-20", 5.0, ""),
            ("D", "2024-02-01", 40.0, ""),
            ("A", "2024-02-10", 20.0, ""),
            ("D", "2024-03-01", 40.0, ""),
            ("A", "2024-03-20", 30.0, ""),
            ("B", "2024-03-25", 100.0, ""),
            ("E", "2024-03-31", 5.0, ""),
            ("E", "2024-03-31", -2.0, ""),
        ])
    }

    #[test]
    fn recency_frequency_monetary_and_tied_scores_by_hand() {
        let ds = small();
        let a = analyze(&ds, &RfmParams::default()).unwrap();
        // As-of = day after the last line (03-31) = 04-01.
        assert_eq!(a.report.as_of_day, day("2024-04-01"));
        assert_eq!(a.customers.len(), 4);
        assert_eq!(a.report.customers_without_purchase, 1);
        assert_eq!(a.report.fully_returned_orders, 1);
        // n = 4. Recency: A 12, B 7, D 31, E 1. below (strictly larger recency):
        //   D 0 → 1, A 1 → 1 + floor(5/4) = 2, B 2 → 1 + floor(10/4) = 3, E 3 → 1 + floor(15/4) = 4.
        // Frequency: A 3, B 1, D 2, E 2 (tie). below (strictly smaller):
        //   B 0 → 1, D and E 1 → 2 (tie kept together), A 3 → 4.
        // Monetary: A 65, B 100, D 80, E 8. E 0 → 1, A 1 → 2, D 2 → 3, B 3 → 4.
        // Segments (R × FM, FM = ceil((F + M) / 2)):
        //   A r2 fm3 → At Risk; B r3 fm3 → Need Attention; D r1 fm3 → At Risk;
        //   E r4 fm2 (1.5 rounds up) → Potential Loyalists.
        assert_eq!(row(&ds, &a, "A"), (12, 3, 65.0, 2, 4, 2, Segment::AtRisk));
        assert_eq!(
            row(&ds, &a, "B"),
            (7, 1, 100.0, 3, 1, 4, Segment::NeedAttention)
        );
        assert_eq!(row(&ds, &a, "D"), (31, 2, 80.0, 1, 2, 3, Segment::AtRisk));
        assert_eq!(
            row(&ds, &a, "E"),
            (1, 2, 8.0, 4, 2, 1, Segment::PotentialLoyalists)
        );
        let i = a.customers.customer.iter().position(|c| *c == 0).unwrap();
        assert_eq!(a.customers.first_day[i], day("2024-01-05"));
        assert_eq!(a.customers.last_day[i], day("2024-03-20"));
    }

    #[test]
    fn kpis_and_segments_by_hand() {
        let a = analyze(&small(), &RfmParams::default()).unwrap();
        let k = &a.report.kpis;
        assert_eq!(k.customers, 4);
        assert_eq!(k.orders, 8);
        assert!(close(k.revenue, 253.0));
        assert!(close(k.average_order_value, 253.0 / 8.0));
        assert!(close(k.repeat_customer_rate, 0.75));
        assert_eq!(a.report.segments.len(), 11);
        let order: Vec<Segment> = a.report.segments.iter().map(|r| r.segment).collect();
        assert_eq!(order, Segment::ALL.to_vec());
        let at_risk = &a.report.segments[Segment::AtRisk.index()];
        assert_eq!(at_risk.customers, 2);
        assert!(close(at_risk.customer_share, 0.5));
        assert!(close(at_risk.revenue, 145.0));
        assert!(close(at_risk.revenue_share, 145.0 / 253.0));
        assert!(close(at_risk.mean_recency_days, 21.5));
        assert!(close(at_risk.mean_frequency, 2.5));
        assert!(close(at_risk.mean_monetary, 72.5));
        let champions = &a.report.segments[Segment::Champions.index()];
        assert_eq!((champions.customers, champions.mean_monetary), (0, 0.0));
        // Heatmap: r-major, cell (r, f) at (r - 1) * 5 + (f - 1).
        assert_eq!(a.report.rf_heatmap.len(), 25);
        let cell = &a.report.rf_heatmap[5 + 3]; // r 2, f 4: A
        assert_eq!((cell.r_score, cell.f_score, cell.customers), (2, 4, 1));
        assert!(close(cell.mean_monetary, 65.0));
        assert_eq!(
            a.report.rf_heatmap.iter().map(|c| c.customers).sum::<u64>(),
            4
        );
        assert_eq!(a.report.first_day, day("2024-01-05"));
        assert_eq!(a.report.last_day, day("2024-03-31"));
    }

    #[test]
    fn monthly_series_includes_zero_months_and_only_positive_orders() {
        let ds = dataset(&[
            ("A", "2024-01-31", 10.0, ""),
            ("B", "2024-01-02", 5.0, ""),
            ("B", "2024-01-02", -1.0, ""),
            ("A", "2024-02-10", 7.0, ""),
            ("A", "2024-02-10", -7.0, ""), // fully returned: not in the series
            ("A", "2024-04-01", 3.0, ""),
            ("B", "2024-04-30", 2.0, ""),
            ("B", "2024-04-30", 2.0, ""), // kept: no order ids → duplicates kept by default
        ]);
        let a = analyze(&ds, &RfmParams::default()).unwrap();
        let m: Vec<(i32, u32, f64, u64, u64)> = a
            .report
            .monthly
            .iter()
            .map(|p| (p.year, p.month, p.revenue, p.orders, p.customers))
            .collect();
        assert_eq!(
            m,
            vec![
                (2024, 1, 14.0, 2, 2),
                (2024, 2, 0.0, 0, 0),
                (2024, 3, 0.0, 0, 0),
                (2024, 4, 7.0, 2, 2),
            ]
        );
        assert_eq!(a.report.fully_returned_orders, 1);
        assert_eq!(a.report.duplicates_removed, 0);
        assert!(!a.report.duplicates_were_removed);
    }

    #[test]
    fn order_ids_group_lines_and_separate_returns_reduce_monetary() {
        // X: order o1 on two days (day = earliest), o2 positive, o3 is a return booked on its own.
        let ds = dataset(&[
            ("X", "2024-05-02", 30.0, "o1"),
            ("X", "2024-05-01", 20.0, "o1"),
            ("X", "2024-05-03", 10.0, "o2"),
            ("X", "2024-05-03", 15.0, "o2b"),
            ("X", "2024-05-20", -25.0, "o3"),
            ("Y", "2024-05-10", 10.0, "o4"),
            ("Y", "2024-05-10", 10.0, "o4"), // exact duplicate line: removed by default
        ]);
        let a = analyze(&ds, &RfmParams::default()).unwrap();
        assert!(a.report.duplicates_were_removed);
        assert_eq!(a.report.duplicates_removed, 1);
        assert_eq!(a.report.fully_returned_orders, 1);
        // As-of 05-21. X: orders o1 (50, day 05-01), o2 (10), o2b (15) → F 3, M 75 - 25 = 50.
        let (r, f, m, ..) = row(&ds, &a, "X");
        assert_eq!((r, f), (18, 3));
        assert!(close(m, 50.0));
        let (r, f, m, ..) = row(&ds, &a, "Y");
        assert_eq!((r, f, m), (11, 1, 10.0));
        let i = a.customers.customer.iter().position(|c| *c == 0).unwrap();
        assert_eq!(a.customers.first_day[i], day("2024-05-01"));
        assert!(close(a.report.kpis.revenue, 60.0));
        assert_eq!(a.report.kpis.orders, 4);

        // Keeping duplicates counts the repeated line.
        let keep = RfmParams {
            remove_duplicates: Some(false),
            ..Default::default()
        };
        let a = analyze(&ds, &keep).unwrap();
        assert_eq!(a.report.duplicates_removed, 0);
        assert!(!a.report.duplicates_were_removed);
        assert_eq!(row(&ds, &a, "Y").2, 20.0);
    }

    #[test]
    fn duplicate_removal_without_order_ids_is_opt_in() {
        let ds = dataset(&[("A", "2024-01-01", 10.0, ""), ("A", "2024-01-01", 10.0, "")]);
        let a = analyze(&ds, &RfmParams::default()).unwrap();
        assert_eq!(row(&ds, &a, "A").2, 20.0);
        let remove = RfmParams {
            remove_duplicates: Some(true),
            ..Default::default()
        };
        let a = analyze(&ds, &remove).unwrap();
        assert_eq!(row(&ds, &a, "A").2, 10.0);
        assert_eq!(a.report.duplicates_removed, 1);
    }

    /// Orders 1, 2, 4, 8, 16 and 10 000 (one customer each).
    /// ln values 0, ln2, 2ln2, 3ln2, 4ln2, ln 10^4; sorted, type-7 quantiles over 6 values:
    /// Q1 at h = 1.25 → 1.25 ln2, Q3 at h = 3.75 → 3.75 ln2; IQR = 2.5 ln2;
    /// fence = exp(3.75 ln2 + 7.5 ln2) = 2^11.25 ≈ 2435.5; only 10 000 is above it.
    fn outlier_case() -> Dataset {
        dataset(&[
            ("a", "2024-01-01", 1.0, ""),
            ("b", "2024-01-01", 2.0, ""),
            ("c", "2024-01-01", 4.0, ""),
            ("d", "2024-01-01", 8.0, ""),
            ("e", "2024-01-01", 16.0, ""),
            ("f", "2024-01-01", 10_000.0, ""),
        ])
    }

    #[test]
    fn outlier_fence_flags_by_hand() {
        let a = analyze(&outlier_case(), &RfmParams::default()).unwrap();
        let o = &a.report.outliers;
        assert!(close(o.fence, 2f64.powf(11.25)), "{}", o.fence);
        assert_eq!(o.flagged_orders, 1);
        assert!(close(o.flagged_revenue, 10_000.0));
        assert!(!o.capped);
        assert!(close(a.report.kpis.revenue, 10_031.0));
    }

    #[test]
    fn capping_values_outliers_at_the_fence() {
        let ds = outlier_case();
        let p = RfmParams {
            cap_outliers: true,
            ..Default::default()
        };
        let a = analyze(&ds, &p).unwrap();
        let fence = 2f64.powf(11.25);
        assert!(a.report.outliers.capped);
        assert!(close(row(&ds, &a, "f").2, fence));
        assert!(close(a.report.kpis.revenue, 31.0 + fence));
        assert!(close(a.report.monthly[0].revenue, 31.0 + fence));
        // The flagged revenue is the original value.
        assert!(close(a.report.outliers.flagged_revenue, 10_000.0));
    }

    #[test]
    fn equal_order_values_are_never_outliers() {
        let ds = dataset(&[
            ("a", "2024-01-01", 19.99, ""),
            ("b", "2024-01-02", 19.99, ""),
            ("c", "2024-01-03", 19.99, ""),
        ]);
        let a = analyze(&ds, &RfmParams::default()).unwrap();
        assert_eq!(a.report.outliers.flagged_orders, 0);
        // All tied: everybody scores 1 on F and M.
        assert!(a
            .customers
            .f_score
            .iter()
            .chain(&a.customers.m_score)
            .all(|s| *s == 1));
    }

    #[test]
    fn lines_after_the_as_of_day_are_ignored() {
        let ds = small();
        let p = RfmParams {
            as_of_day: Some(day("2024-02-15")),
            ..Default::default()
        };
        let a = analyze(&ds, &p).unwrap();
        // A: 01-05 (15), 02-10 (20); D: 02-01; E: 01-20; B only has 03-25 → absent.
        assert_eq!(a.customers.len(), 3);
        assert_eq!(row(&ds, &a, "A").0, 5);
        assert_eq!(row(&ds, &a, "A").2, 35.0);
        assert!(a.customers.recency_days.iter().all(|r| *r >= 0));
        assert_eq!(a.report.last_day, day("2024-02-10"));
    }

    #[test]
    fn nothing_to_score_is_an_error() {
        assert_eq!(
            analyze(&Dataset::default(), &RfmParams::default()),
            Err(RfmError::NoCustomers)
        );
        let ds = dataset(&[
            ("A", "2024-01-01", 10.0, ""),
            ("A", "2024-01-01", -10.0, ""),
        ]);
        assert_eq!(
            analyze(&ds, &RfmParams::default()),
            Err(RfmError::NoCustomers)
        );
        let p = RfmParams {
            as_of_day: Some(day("2023-12-31")),
            ..Default::default()
        };
        assert!(matches!(
            analyze(&ds, &p),
            Err(RfmError::AsOfBeforeData { .. })
        ));
    }

    #[test]
    fn log_quantiles_match_quantile_sorted_over_sorted_logs() {
        let values = [3.0, 1.0, 7.5, 2.0, 100.0, 2.0, 0.5, 42.0, -4.0, 0.0];
        let mut logs: Vec<f64> = values
            .iter()
            .filter(|v| **v > 0.0)
            .map(|v: &f64| v.ln())
            .collect();
        logs.sort_by(f64::total_cmp);
        let qs = [0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0];
        let got = log_quantiles(&values, qs).unwrap();
        for (q, got) in qs.iter().zip(got) {
            let expected = stats::quantile_sorted(&logs, *q).unwrap();
            assert!((got - expected).abs() < 1e-12, "q {q}: {got} vs {expected}");
        }
        assert_eq!(log_quantiles(&[], [0.5]), None);
        assert_eq!(log_quantiles(&[-1.0, 0.0], [0.5]), None);
        assert_eq!(log_quantiles(&[5.0], [0.75]), Some([5f64.ln()]));
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// Against the sorted logs' quantiles, bit for bit, on values that share buckets (equal
        /// top bits), straddle them, repeat, are infinite, or are all one value.
        #[test]
        fn log_quantiles_are_the_sorted_logs_quantiles(
            values in proptest::collection::vec(
                proptest::prop_oneof![
                    -50.0f64..1e5,
                    (16.0f64..16.001),
                    proptest::strategy::Strategy::prop_map(1u32..40, f64::from),
                    proptest::strategy::Just(f64::INFINITY),
                ],
                0..300,
            ),
            q1 in 0.0f64..=1.0,
            q2 in 0.0f64..=1.0,
        ) {
            let mut logs: Vec<f64> = values.iter().filter(|v| **v > 0.0).map(|v| v.ln()).collect();
            logs.sort_by(f64::total_cmp);
            let expected = [q1, q2].map(|q| stats::quantile_sorted(&logs, q));
            let got = log_quantiles(&values, [q1, q2]);
            match got {
                None => proptest::prop_assert!(logs.is_empty()),
                Some(got) => {
                    for (g, e) in got.iter().zip(expected) {
                        let e = e.unwrap();
                        // The same bits (or NaN both, interpolating between two infinities).
                        proptest::prop_assert!(
                            g.to_bits() == e.to_bits() || (g.is_nan() && e.is_nan()),
                            "{} vs {}", g, e
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn quintile_scores_follow_the_tie_rule() {
        // n = 10, values 1..=10 → below = 0..=9 → 1,1,2,2,3,3,4,4,5,5.
        let v: Vec<u32> = (1..=10).collect();
        assert_eq!(
            quintile_scores(&v, Ord::cmp),
            vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
        );
        // Ties: [5, 1, 1, 1, 3, 3, 9]; n = 7; below: 1 → 0, 3 → 3, 5 → 5, 9 → 6.
        // scores: 1 + floor(5·below/7): 0 → 1, 3 → 3, 5 → 4, 6 → 5.
        let v = [5u32, 1, 1, 1, 3, 3, 9];
        assert_eq!(quintile_scores(&v, Ord::cmp), vec![4, 1, 1, 1, 3, 3, 5]);
        // Lower is better (recency): reversed comparison.
        let r = [10i32, 0, 10, 30];
        // strictly larger: 30 → 0, 10 → 1 (both), 0 → 3; n = 4 → 1, 2, 2, 4.
        assert_eq!(quintile_scores(&r, |a, b| b.cmp(a)), vec![2, 4, 2, 1]);
        assert!(quintile_scores::<u32>(&[], Ord::cmp).is_empty());
        // The counted scores give the same on the same values.
        let v: Vec<u32> = (1..=10).collect();
        assert_eq!(
            counted_quintile_scores(&v, Better::Higher),
            Some(vec![1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
        );
        let v = [5u32, 1, 1, 1, 3, 3, 9];
        assert_eq!(
            counted_quintile_scores(&v, Better::Higher),
            Some(vec![4, 1, 1, 1, 3, 3, 5])
        );
        assert_eq!(
            counted_quintile_scores(&r, Better::Lower),
            Some(vec![2, 4, 2, 1])
        );
        assert_eq!(counted_quintile_scores::<u32>(&[], Better::Higher), None);
        // Too wide a range for counting: the caller sorts.
        assert_eq!(
            counted_quintile_scores(&[0i32, 1 << 20], Better::Lower),
            None
        );
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Counting gives the sorted scores wherever it answers: days (negative ones too) and
        /// order counts, narrow and wide ranges.
        #[test]
        fn counted_quintiles_agree_with_sorted_ones(
            days in proptest::collection::vec(-40i32..4000, 1..3000),
            counts in proptest::collection::vec(0u32..60, 1..3000),
            wide in proptest::collection::vec(proptest::prelude::any::<i32>(), 1..50),
        ) {
            for values in [&days, &wide] {
                if let Some(counted) = counted_quintile_scores(values, Better::Lower) {
                    proptest::prop_assert_eq!(counted, quintile_scores(values, |a, b| b.cmp(a)));
                }
            }
            proptest::prop_assert_eq!(
                counted_quintile_scores(&counts, Better::Higher),
                Some(quintile_scores(&counts, Ord::cmp))
            );
        }
    }

    /// A synthetic dataset: `lines` lines over `customers` customers, dates over two years,
    /// customers interleaved (as in a file sorted by date), some returns and duplicates.
    pub(crate) fn synthetic(lines: usize, customers: u32, order_ids: bool) -> Dataset {
        let mut ds = Dataset {
            customer_ids: (0..customers).map(|c| format!("C{c:07}")).collect(),
            ..Dataset::default()
        };
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let start = day("2023-01-01");
        for i in 0..lines {
            let r = next();
            // Skewed customer choice: low ids buy more often.
            let c = ((r % u64::from(customers)) * ((r >> 32) % 1000) / 1000) as u32;
            let d = start + (i * 730 / lines) as i32;
            let amount = if r % 50 == 0 {
                -10.0
            } else {
                5.0 + ((r >> 20) % 20_000) as f64 / 100.0
            };
            ds.customer.push(c);
            ds.day.push(d);
            ds.amount.push(amount);
            if order_ids {
                ds.order_hash
                    .push(u64::from(c) << 20 | (d as u64 & 0xFFFFF));
            }
            ds.is_exact_duplicate.push(r % 97 == 0);
        }
        ds
    }

    #[test]
    fn synthetic_runs_are_consistent() {
        let ds = synthetic(20_000, 2_000, true);
        let a = analyze(&ds, &RfmParams::default()).unwrap();
        let c = &a.customers;
        assert_eq!(a.report.kpis.customers as usize, c.len());
        assert_eq!(
            a.report.kpis.orders,
            c.frequency.iter().map(|f| u64::from(*f)).sum::<u64>()
        );
        let monthly_orders: u64 = a.report.monthly.iter().map(|p| p.orders).sum();
        assert_eq!(monthly_orders, a.report.kpis.orders);
        assert!(c.customer.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            a.report.segments.iter().map(|s| s.customers).sum::<u64>(),
            c.len() as u64
        );
        assert_eq!(
            analyze(&ds, &RfmParams::default()).unwrap(),
            a,
            "deterministic"
        );
    }

    /// Two threads group the same orders in the same order as one: the whole analysis is the
    /// same bits (`{:?}`), with and without order ids, duplicates removed or kept, capped or not.
    #[test]
    fn two_threads_give_the_same_analysis_as_one() {
        for (orders, remove_duplicates, cap_outliers) in [
            (true, None, true),
            (false, Some(true), false),
            (true, Some(true), false),
        ] {
            let ds = synthetic(20_000, 2_001, orders);
            let params = RfmParams {
                remove_duplicates,
                cap_outliers,
                ..RfmParams::default()
            };
            let one = analyze_on(&ds, &params, 1).unwrap();
            let two = analyze_on(&ds, &params, 2).unwrap();
            assert_eq!(
                format!("{two:?}"),
                format!("{one:?}"),
                "{orders} {remove_duplicates:?}"
            );
            assert!(one.report.kpis.orders > 2_001);
        }
    }

    /// The ingest's order count only sizes the room for the orders: a count that is right, too
    /// small, too large or absent gives the same analysis (with two threads, a count too small
    /// leaves orders beyond a half's room, joined by copying; a right one moves the second
    /// half's orders down to follow the first's).
    #[test]
    fn the_order_count_reserves_room_and_changes_nothing() {
        let mut ds = synthetic(20_000, 2_001, true);
        let params = RfmParams::default();
        let unknown = format!("{:?}", analyze_on(&ds, &params, 1).unwrap());
        let orders = analyze_on(&ds, &params, 1).unwrap().report.kpis.orders;
        for count in [Some(orders), Some(1), Some(0), Some(u64::MAX), None] {
            ds.order_count = count;
            for threads in [1, 2] {
                let analysis = format!("{:?}", analyze_on(&ds, &params, threads).unwrap());
                assert_eq!(analysis, unknown, "{count:?} {threads}");
            }
        }
        // Two threads where the second half holds nearly every line: its share of a huge count
        // is cut at its lines (it overflowed before the count was cut at all the lines).
        let mut lines: Vec<Line> = vec![("a", "2024-01-01", 5.0, "a1")];
        let orders: Vec<String> = (0..40).map(|i| format!("b{i}")).collect();
        lines.extend(orders.iter().map(|o| ("b", "2024-02-01", 7.0, o.as_str())));
        let mut ds = dataset(&lines);
        let unknown = format!("{:?}", analyze_on(&ds, &params, 1).unwrap());
        for count in [Some(u64::MAX), Some(41), Some(3), None] {
            ds.order_count = count;
            for threads in [1, 2] {
                let analysis = format!("{:?}", analyze_on(&ds, &params, threads).unwrap());
                assert_eq!(analysis, unknown, "{count:?} {threads}");
            }
        }
    }

    #[test]
    fn scores_are_monotone_and_tie_consistent_on_synthetic_data() {
        let ds = synthetic(30_000, 3_000, false);
        let a = analyze(&ds, &RfmParams::default()).unwrap();
        let c = &a.customers;
        let n = c.len();
        // Sort by value; scores must never decrease (R: by decreasing recency), equal values
        // share a score, and the exact rule holds for every customer.
        let check = |key: &dyn Fn(usize) -> f64, score: &[u8]| {
            let mut idx: Vec<usize> = (0..n).collect();
            idx.sort_by(|x, y| key(*x).total_cmp(&key(*y)));
            for w in idx.windows(2) {
                assert!(score[w[0]] <= score[w[1]]);
                if key(w[0]) == key(w[1]) {
                    assert_eq!(score[w[0]], score[w[1]]);
                }
            }
            for i in (0..n).step_by(97) {
                let below = (0..n).filter(|j| key(*j) < key(i)).count();
                assert_eq!(usize::from(score[i]), 1 + 5 * below / n);
            }
        };
        check(&|i| -f64::from(c.recency_days[i]), &c.r_score);
        check(&|i| f64::from(c.frequency[i]), &c.f_score);
        check(&|i| c.monetary[i], &c.m_score);
    }
}
