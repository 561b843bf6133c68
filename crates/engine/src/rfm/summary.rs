//! The report's building blocks, each a pure function of the per-customer columns (or the
//! orders, for the monthly series).

use super::{
    CustomerScores, Histogram, HistogramBin, Kpis, MonthPoint, Pareto, RfHeatmapCell, Segment,
    SegmentRow,
};
use crate::calendar;
use crate::{stats, Day};

/// Number of bins of the recency and monetary histograms (and the most of the frequency one).
const BINS: usize = 20;
/// The Lorenz curve keeps at most this many points.
const LORENZ_POINTS: usize = 201;

fn ratio(numerator: f64, denominator: f64) -> f64 {
    if denominator == 0.0 {
        0.0
    } else {
        numerator / denominator
    }
}

/// Headline figures: revenue is the sum of the scored customers' monetary values.
pub(super) fn kpis(c: &CustomerScores) -> Kpis {
    let orders: u64 = c.frequency.iter().map(|f| u64::from(*f)).sum();
    let revenue: f64 = c.monetary.iter().sum();
    let repeat = c.frequency.iter().filter(|f| **f >= 2).count();
    Kpis {
        customers: c.len() as u64,
        orders,
        revenue,
        average_order_value: ratio(revenue, orders as f64),
        repeat_customer_rate: ratio(repeat as f64, c.len() as f64),
    }
}

/// Every calendar month from the first to the last purchase order, months without orders
/// included as zeros.
///
/// Only purchase orders count (`purchase`, [`crate::lines::is_purchase`]): `revenue` is the sum
/// of their nets (returns inside an order are netted; outliers are capped when capping), `orders`
/// their number (orders worth 0 included) and `customers` the distinct customers who placed one.
/// Fully returned orders (e.g. a return booked under its own order id) are left out of all
/// three: the series shows what was sold each month, so its revenue sums to the KPI revenue plus
/// the absolute value of those separately booked returns of scored customers.
///
/// `start[c]..start[c + 1]` are the orders of customer `c` in `day`/`net`/`purchase`.
pub(super) fn monthly(
    start: &[usize],
    day: &[Day],
    net: &[f64],
    purchase: &[bool],
) -> Vec<MonthPoint> {
    let positive_days = day
        .iter()
        .zip(purchase)
        .filter(|(_, p)| **p)
        .map(|(d, _)| *d);
    let (Some(first), Some(last)) = (positive_days.clone().min(), positive_days.max()) else {
        return Vec::new();
    };
    let (Some((mut year, mut month)), Some(end)) =
        (calendar::year_month(first), calendar::year_month(last))
    else {
        return Vec::new();
    };
    // First day of each month, ascending; order days are located by binary search.
    let mut month_starts: Vec<Day> = Vec::new();
    let mut points: Vec<MonthPoint> = Vec::new();
    while (year, month) <= end {
        let Some(first_day) = calendar::day_from_ymd(year, month, 1) else {
            return Vec::new();
        };
        month_starts.push(first_day);
        points.push(MonthPoint {
            year,
            month,
            revenue: 0.0,
            orders: 0,
            customers: 0,
        });
        (year, month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
    }
    // Month of each day offset from `first` (a small table: the data spans few years), or a
    // binary search over the month starts for an implausibly long span.
    let span = usize::try_from(i64::from(last) - i64::from(first) + 1).unwrap_or(usize::MAX);
    let month_of_offset: Vec<u32> = if span <= 1 << 16 {
        (0..span)
            .map(|offset| {
                let d = first.saturating_add(offset as Day);
                month_starts.partition_point(|s| *s <= d).saturating_sub(1) as u32
            })
            .collect()
    } else {
        Vec::new()
    };
    let month_of = |d: Day| -> usize {
        let offset = usize::try_from(i64::from(d) - i64::from(first)).unwrap_or(usize::MAX);
        match month_of_offset.get(offset) {
            Some(m) => *m as usize,
            None => month_starts.partition_point(|s| *s <= d).saturating_sub(1),
        }
    };
    // Last customer counted in each month, so each customer counts once per month.
    let mut counted = vec![usize::MAX; points.len()];
    for (c, bounds) in start.windows(2).enumerate() {
        let (Some(&from), Some(&to)) = (bounds.first(), bounds.get(1)) else {
            continue;
        };
        let (Some(days), Some(nets), Some(purchases)) =
            (day.get(from..to), net.get(from..to), purchase.get(from..to))
        else {
            continue;
        };
        for ((d, n), p) in days.iter().zip(nets).zip(purchases) {
            if !*p {
                continue;
            }
            let m = month_of(*d);
            let (Some(point), Some(last_counted)) = (points.get_mut(m), counted.get_mut(m)) else {
                continue;
            };
            point.revenue += n;
            point.orders += 1;
            if *last_counted != c {
                *last_counted = c;
                point.customers += 1;
            }
        }
    }
    points
}

/// The segment table, all 11 segments in [`Segment::ALL`] order.
pub(super) fn segment_rows(c: &CustomerScores) -> Vec<SegmentRow> {
    #[derive(Default, Clone, Copy)]
    struct Sums {
        customers: u64,
        revenue: f64,
        recency: f64,
        frequency: f64,
    }
    let mut sums = [Sums::default(); 11];
    for (((s, r), f), m) in c
        .segment
        .iter()
        .zip(&c.recency_days)
        .zip(&c.frequency)
        .zip(&c.monetary)
    {
        if let Some(sum) = sums.get_mut(s.index()) {
            sum.customers += 1;
            sum.revenue += m;
            sum.recency += f64::from(*r);
            sum.frequency += f64::from(*f);
        }
    }
    let total_customers = c.len() as f64;
    let total_revenue: f64 = c.monetary.iter().sum();
    Segment::ALL
        .iter()
        .zip(sums)
        .map(|(segment, s)| {
            let n = s.customers as f64;
            SegmentRow {
                segment: *segment,
                customers: s.customers,
                customer_share: ratio(n, total_customers),
                revenue: s.revenue,
                revenue_share: ratio(s.revenue, total_revenue),
                mean_recency_days: ratio(s.recency, n),
                mean_frequency: ratio(s.frequency, n),
                mean_monetary: ratio(s.revenue, n),
            }
        })
        .collect()
}

/// The R-by-F heatmap: 25 cells, r-major (index `(r - 1) * 5 + (f - 1)`).
pub(super) fn rf_heatmap(c: &CustomerScores) -> Vec<RfHeatmapCell> {
    let mut counts = [0u64; 25];
    let mut revenue = [0.0f64; 25];
    for ((r, f), m) in c.r_score.iter().zip(&c.f_score).zip(&c.monetary) {
        let cell = usize::from(r.saturating_sub(1)) * 5 + usize::from(f.saturating_sub(1));
        if let (Some(n), Some(sum)) = (counts.get_mut(cell), revenue.get_mut(cell)) {
            *n += 1;
            *sum += m;
        }
    }
    (0..25)
        .map(|cell| {
            let n = counts.get(cell).copied().unwrap_or(0);
            RfHeatmapCell {
                r_score: (cell / 5 + 1) as u8,
                f_score: (cell % 5 + 1) as u8,
                customers: n,
                mean_monetary: ratio(revenue.get(cell).copied().unwrap_or(0.0), n as f64),
            }
        })
        .collect()
}

/// [`pareto_of_sorted`] of unsorted monetary values (the tests' way in).
#[cfg(test)]
pub(super) fn pareto(monetary: &[f64]) -> Pareto {
    let mut sorted = monetary.to_vec();
    sorted.sort_unstable_by(f64::total_cmp);
    pareto_of_sorted(&sorted)
}

/// Concentration of customer revenue; negative customer revenue counts as 0.
///
/// - Lorenz: points `(k / n, S_k / S)` for the `k` smallest customers, `k = 0..=n`; when there
///   are more than 200 customers, `k = round(j · n / 200)` for `j = 0..=200` (exact at both ends).
///   With zero total revenue the curve is the diagonal.
/// - Top shares: the top `ceil(p · n / 100)` customers' share, for p = 1, 5, 10, 20.
/// - Gini over the ascending values `x_1..x_n` (1-based ranks), the n-normalised formula
///   `G = 2 Σ i·x_i / (n Σ x_i) − (n + 1) / n` (so `[0, 0, 0, 10]` → 0.75); 0 when the total is 0.
/// - Customer share for 80%: the smallest `k / n` whose top-k customers bring at least 80% of the
///   revenue (0 when the total is 0).
///
/// `sorted`: the customers' monetary values, ascending (`f64::total_cmp`).
pub(super) fn pareto_of_sorted(sorted: &[f64]) -> Pareto {
    // max(0) keeps the order: negative revenue counts as 0.
    let values: Vec<f64> = sorted.iter().map(|m| m.max(0.0)).collect();
    let n = values.len();
    if n == 0 {
        return Pareto::default();
    }
    let nf = n as f64;
    // cumulative[k] = sum of the k smallest values.
    let mut cumulative = Vec::with_capacity(n + 1);
    let mut running = 0.0;
    cumulative.push(0.0);
    for v in &values {
        running += v;
        cumulative.push(running);
    }
    let total = running;
    let share_of = |k: usize| -> f64 {
        if total > 0.0 {
            cumulative
                .get(k)
                .map_or(0.0, |s| (s / total).clamp(0.0, 1.0))
        } else {
            k as f64 / nf
        }
    };
    let lorenz_at = |k: usize| (k as f64 / nf, share_of(k));
    let lorenz: Vec<(f64, f64)> = if n < LORENZ_POINTS {
        (0..=n).map(lorenz_at).collect()
    } else {
        let steps = LORENZ_POINTS - 1;
        (0..=steps)
            .map(|j| lorenz_at((j * n + steps / 2) / steps))
            .collect()
    };
    // Top-k sum = total − sum of the n − k smallest.
    let top_share = |k: usize| -> f64 {
        if total > 0.0 {
            let rest = cumulative.get(n - k.min(n)).copied().unwrap_or(0.0);
            ((total - rest) / total).clamp(0.0, 1.0)
        } else {
            0.0
        }
    };
    let top_shares = [1usize, 5, 10, 20]
        .iter()
        .map(|p| (*p as f64, top_share((p * n).div_ceil(100))))
        .collect();
    let gini = if total > 0.0 {
        let weighted: f64 = values
            .iter()
            .enumerate()
            .map(|(i, v)| (i + 1) as f64 * v)
            .sum();
        (2.0 * weighted / (nf * total) - (nf + 1.0) / nf).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let customer_share_for_80_percent = if total > 0.0 {
        // Tolerance for rounding in the running sums.
        let target = 0.8 * total * (1.0 - 1e-12);
        let k = (1..=n)
            .find(|k| total - cumulative.get(n - k).copied().unwrap_or(0.0) >= target)
            .unwrap_or(n);
        k as f64 / nf
    } else {
        0.0
    };
    Pareto {
        lorenz,
        top_shares,
        gini,
        customer_share_for_80_percent,
    }
}

/// Recency: equal-width bins of whole days over `0..=max`: width `w = ceil((max + 1) / 20)`
/// days, bin `k` = `[k·w, (k + 1)·w)`, at most 20 bins.
pub(super) fn recency_histogram(recency_days: &[i32]) -> Histogram {
    let max = recency_days.iter().copied().max().unwrap_or(0).max(0);
    let span = u64::from(max.unsigned_abs()) + 1;
    let width = span.div_ceil(BINS as u64).max(1);
    let bins = span.div_ceil(width) as usize;
    let mut counts = vec![0u64; bins];
    for r in recency_days {
        let k = (u64::from(r.max(&0).unsigned_abs()) / width) as usize;
        if let Some(count) = counts.get_mut(k.min(bins - 1)) {
            *count += 1;
        }
    }
    let bins = counts
        .into_iter()
        .enumerate()
        .map(|(k, count)| HistogramBin {
            lower: (k as u64 * width) as f64,
            upper: ((k as u64 + 1) * width) as f64,
            count,
        })
        .collect();
    Histogram { bins, log_x: false }
}

/// Orders per customer: one bin per count, `[1, 2)`, `[2, 3)`, … When somebody has 20 orders or
/// more, the 20th bin `[20, 21)` is a tail holding everyone with ≥ 20 orders (drawn as wide as the
/// others, so its height is not mistaken for a density); otherwise the bins stop at the largest
/// count.
pub(super) fn frequency_histogram(frequency: &[u32]) -> Histogram {
    let max = frequency.iter().copied().max().unwrap_or(0);
    if max == 0 {
        return Histogram::default();
    }
    let bins = (max as usize).min(BINS);
    let mut counts = vec![0u64; bins];
    for f in frequency {
        let k = (f.max(&1) - 1) as usize;
        if let Some(count) = counts.get_mut(k.min(bins - 1)) {
            *count += 1;
        }
    }
    let bins = counts
        .into_iter()
        .enumerate()
        .map(|(k, count)| {
            let lower = (k + 1) as f64;
            HistogramBin {
                lower,
                upper: lower + 1.0,
                count,
            }
        })
        .collect();
    Histogram { bins, log_x: false }
}

/// Net revenue of customers with a positive net (non-positive ones cannot sit on a log axis and
/// are left out). Skewed data (max / median > 20): 20 log-spaced bins from the smallest to the
/// largest value (`log_x`); otherwise 20 equal-width bins over `0..=max`.
pub(crate) fn monetary_histogram(monetary: &[f64]) -> Histogram {
    let mut positive: Vec<f64> = monetary.iter().copied().filter(|m| *m > 0.0).collect();
    positive.sort_unstable_by(f64::total_cmp);
    monetary_histogram_of_sorted(&positive)
}

/// [`monetary_histogram`] of the monetary values already sorted ascending (`f64::total_cmp`).
pub(super) fn monetary_histogram_of_sorted(sorted: &[f64]) -> Histogram {
    let first_positive = sorted.partition_point(|m| *m <= 0.0);
    let positive = sorted.get(first_positive..).unwrap_or_default();
    let (Some(&min), Some(&max), Some(median)) = (
        positive.first(),
        positive.last(),
        stats::quantile_sorted(positive, 0.5),
    ) else {
        return Histogram::default();
    };
    let log_x = max / median > 20.0;
    let edge = |k: usize| -> f64 {
        let t = k as f64 / BINS as f64;
        if log_x {
            min * (max / min).powf(t)
        } else {
            max * t
        }
    };
    let log_span = (max / min).ln();
    let bin_of = |v: f64| -> usize {
        let t = if log_x {
            (v / min).ln() / log_span
        } else {
            v / max
        };
        ((t * BINS as f64).floor().max(0.0) as usize).min(BINS - 1)
    };
    // The values are sorted and `bin_of` never decreases with the value, so each bin's values
    // are a run, found by binary search: 20 × log₂(n) logarithms instead of one a customer (in
    // wasm a logarithm is a library call: ≈ 37 ms a run for 1M customers, V8 in node).
    let mut counts = [0u64; BINS];
    let mut from = 0;
    for (k, count) in counts.iter_mut().enumerate() {
        let rest = positive.get(from..).unwrap_or_default();
        let end = from + rest.partition_point(|v| bin_of(*v) <= k);
        *count = (end - from) as u64;
        from = end;
    }
    let bins = counts
        .iter()
        .enumerate()
        .map(|(k, count)| HistogramBin {
            lower: if k == 0 && log_x { min } else { edge(k) },
            upper: if k + 1 == BINS { max } else { edge(k + 1) },
            count: *count,
        })
        .collect();
    Histogram { bins, log_x }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bins' counts one value at a time, as the histogram counted them before.
    #[cfg(not(target_arch = "wasm32"))]
    fn counted_one_by_one(sorted: &[f64]) -> Vec<u64> {
        let positive: Vec<f64> = sorted.iter().copied().filter(|m| *m > 0.0).collect();
        let (min, max) = (positive[0], positive[positive.len() - 1]);
        let median = stats::quantile_sorted(&positive, 0.5).unwrap();
        let log_x = max / median > 20.0;
        let mut counts = vec![0u64; BINS];
        for v in &positive {
            let t = if log_x {
                (v / min).ln() / (max / min).ln()
            } else {
                v / max
            };
            counts[((t * BINS as f64).floor().max(0.0) as usize).min(BINS - 1)] += 1;
        }
        counts
    }

    #[cfg(not(target_arch = "wasm32"))]
    use proptest::prelude::*;

    #[cfg(not(target_arch = "wasm32"))]
    proptest! {
        #[test]
        fn monetary_bins_found_by_search_are_the_counted_ones(
            mut values in proptest::collection::vec(
                prop_oneof![
                    -100.0f64..1e6,
                    (0.0f64..12.0).prop_map(f64::exp),
                    (1u32..50).prop_map(f64::from),
                ],
                1..400,
            ),
        ) {
            values.sort_unstable_by(f64::total_cmp);
            prop_assume!(values.iter().any(|v| *v > 0.0));
            let counts: Vec<u64> =
                monetary_histogram_of_sorted(&values).bins.iter().map(|b| b.count).collect();
            prop_assert_eq!(counts, counted_one_by_one(&values));
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn gini_lorenz_and_shares_by_hand() {
        // [0, 0, 0, 10]: G = 2·(4·10) / (4·10) − 5/4 = 0.75 (n-normalised formula).
        let p = pareto(&[0.0, 10.0, 0.0, 0.0]);
        assert!(close(p.gini, 0.75));
        assert_eq!(
            p.lorenz,
            vec![(0.0, 0.0), (0.25, 0.0), (0.5, 0.0), (0.75, 0.0), (1.0, 1.0)]
        );
        // ceil(p·4/100) = 1 customer for every p: the top customer has everything.
        assert_eq!(
            p.top_shares,
            vec![(1.0, 1.0), (5.0, 1.0), (10.0, 1.0), (20.0, 1.0)]
        );
        assert!(close(p.customer_share_for_80_percent, 0.25));
    }

    #[test]
    fn pareto_of_equal_values_is_flat() {
        let p = pareto(&[5.0; 5]);
        assert!(close(p.gini, 0.0));
        // Top 4 of 5 bring exactly 80%.
        assert!(close(p.customer_share_for_80_percent, 0.8));
        // ceil(20·5/100) = 1 → 1/5.
        assert!(close(p.top_shares[3].1, 0.2));
    }

    #[test]
    fn pareto_counts_negative_revenue_as_zero_and_handles_zero_total() {
        let p = pareto(&[-5.0, 10.0]);
        assert_eq!(p.lorenz, vec![(0.0, 0.0), (0.5, 0.0), (1.0, 1.0)]);
        assert!(close(p.gini, 0.5));
        let z = pareto(&[0.0, 0.0]);
        assert_eq!((z.gini, z.customer_share_for_80_percent), (0.0, 0.0));
        assert_eq!(z.lorenz.first(), Some(&(0.0, 0.0)));
        assert_eq!(z.lorenz.last(), Some(&(1.0, 1.0)));
    }

    #[test]
    fn lorenz_is_downsampled_to_201_points_exact_at_the_ends() {
        // 1..=1000: top 20% = 801..=1000 → (sum 181 100) / 500 500.
        let v: Vec<f64> = (1..=1000).map(f64::from).collect();
        let p = pareto(&v);
        assert_eq!(p.lorenz.len(), 201);
        assert_eq!(p.lorenz[0], (0.0, 0.0));
        assert_eq!(p.lorenz[200], (1.0, 1.0));
        assert!(close(p.lorenz[100].0, 0.5));
        assert!(close(p.top_shares[3].1, 180_100.0 / 500_500.0));
        // Gini of 1..=n = (n − 1) / (3n).
        assert!(close(p.gini, 999.0 / 3000.0));
    }

    #[test]
    fn frequency_bins_end_in_a_tail() {
        let h = frequency_histogram(&[1, 1, 2, 3]);
        let b: Vec<(f64, f64, u64)> = h.bins.iter().map(|b| (b.lower, b.upper, b.count)).collect();
        assert_eq!(b, vec![(1.0, 2.0, 2), (2.0, 3.0, 1), (3.0, 4.0, 1)]);
        let h = frequency_histogram(&[1, 19, 20, 25, 40]);
        assert_eq!(h.bins.len(), 20);
        let last = h.bins.last().unwrap();
        assert_eq!((last.lower, last.upper, last.count), (20.0, 21.0, 3));
        assert_eq!(h.bins[18].count, 1);
    }

    #[test]
    fn recency_bins_are_whole_days() {
        // max 39 → span 40 → width 2 → 20 bins.
        let h = recency_histogram(&[0, 1, 2, 39]);
        assert_eq!(h.bins.len(), 20);
        assert_eq!(
            (h.bins[0].lower, h.bins[0].upper, h.bins[0].count),
            (0.0, 2.0, 2)
        );
        assert_eq!(h.bins[19].count, 1);
        // max 4 → width 1 → 5 bins.
        assert_eq!(recency_histogram(&[4]).bins.len(), 5);
    }

    #[test]
    fn monetary_bins_go_log_when_skewed() {
        let h = monetary_histogram(&[10.0, 20.0, 30.0, -5.0]);
        assert!(!h.log_x);
        assert_eq!(h.bins.len(), 20);
        assert_eq!(h.bins.iter().map(|b| b.count).sum::<u64>(), 3);
        assert_eq!(h.bins[19].upper, 30.0);
        let h = monetary_histogram(&[1.0, 2.0, 3.0, 10_000.0]);
        assert!(h.log_x);
        assert_eq!(h.bins[0].lower, 1.0);
        assert_eq!(h.bins[19].upper, 10_000.0);
        assert_eq!(h.bins[19].count, 1);
        assert_eq!(h.bins.iter().map(|b| b.count).sum::<u64>(), 4);
    }
}
