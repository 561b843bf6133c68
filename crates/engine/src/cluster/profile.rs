//! Segment profiles and automatic names.
//!
//! Each segment is described against the whole base: raw means and their index (segment mean /
//! base mean × 100), the centroid in the transformed space (the snake plot), the most distinctive
//! columns, the products that take a larger share of its revenue, and its main regions and
//! channels.
//!
//! **Names** always describe value, frequency and recency, whichever features were clustered on:
//! the indexes are computed from the RFM scores of the segment's customers. A trait applies when
//! its index passes a threshold; traits are ranked by `|ln(index / 100)|` (how many times above
//! or below the base; OneTimers by the larger of the frequency index's and
//! `ln(one-timer share / base share)`), and the two strongest form the name:
//!
//! | trait | rule |
//! |---|---|
//! | HighValue / LowValue | monetary index ≥ 150 / ≤ 50 |
//! | Frequent | frequency index ≥ 150 |
//! | OneTimers | ≥ 80 % of the segment bought once, and that share ≥ 1.5 × the base's |
//! | Recent / Lapsed | recency-days index ≤ 50 / ≥ 150 |
//! | BigBaskets | average-order-value index ≥ 150 |
//! | New / Loyal | tenure-days index ≤ 50 / ≥ 150 |
//! | Average | none of the above |
//!
//! When two segments get the same name, each gets its next trait (a third strong one, else one
//! passing the weaker thresholds 125 / 80 and 60 % one-timers), so names stay distinct where
//! the data allows.

use ndarray::ArrayView2;

use super::features::{LineView, NO_SEGMENT};
use super::transform::FittedTransform;
use super::{
    ClusterInput, FeatureTable, FeatureValues, NameTrait, SegmentProfile, Share, TransformKind,
};
use crate::{Codes, Interned};

/// Rows of the top-products / regions / channels lists.
pub const TOP_SHARES: usize = 5;
/// Products considered for [`SegmentProfile::top_products`]: the ones with the most base revenue.
pub const PRODUCT_CANDIDATES: usize = 2_000;
/// Columns of [`SegmentProfile::distinctive`] at most.
pub const DISTINCTIVE_COLUMNS: usize = 3;
/// |z| (standardised centroid, or the standardised share difference of a one-hot column) from
/// which a column is distinctive.
pub const DISTINCTIVE_MIN_Z: f64 = 0.25;
/// Index thresholds of the strong traits (see the module table).
const HIGH_INDEX: f64 = 150.0;
const LOW_INDEX: f64 = 50.0;
/// Weaker thresholds, used only to tell two equally named segments apart.
const WEAK_HIGH_INDEX: f64 = 125.0;
const WEAK_LOW_INDEX: f64 = 80.0;
/// One-timer shares of the strong and the weak OneTimers rule.
const ONE_TIMER_SHARE: f64 = 0.8;
const WEAK_ONE_TIMER_SHARE: f64 = 0.6;
/// Traits in a name by default.
const NAME_TRAITS: usize = 2;
/// Traits in a name at most.
const MAX_NAME_TRAITS: usize = 3;

/// What the profiles read.
pub struct ProfileInput<'a> {
    /// The run's input (transactions and RFM scores).
    pub input: &'a ClusterInput<'a>,
    /// The raw features (rows aligned with `labels`).
    pub table: &'a FeatureTable,
    /// The transforms (output columns = profile columns).
    pub transform: &'a FittedTransform,
    /// The transformed matrix.
    pub x: ArrayView2<'a, f64>,
    /// Segment of each row.
    pub labels: &'a [u32],
    /// Segments.
    pub k: usize,
    /// Rows of the silhouette sample.
    pub silhouette_rows: &'a [usize],
    /// Silhouette of each sampled row.
    pub silhouettes: &'a [f64],
    /// Per segment bootstrap Jaccard, when resampling ran.
    pub stability: Option<&'a [f64]>,
    /// Share under which a segment is tiny.
    pub tiny_share: f64,
}

/// RFM-based indexes of one segment, for the name.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TraitIndexes {
    /// Monetary index.
    pub monetary: f64,
    /// Frequency index.
    pub frequency: f64,
    /// Recency-days index.
    pub recency_days: f64,
    /// Average-order-value index.
    pub average_order_value: f64,
    /// Tenure-days index.
    pub tenure_days: f64,
    /// Share of the segment with one order.
    pub one_timer_share: f64,
    /// Share of the base with one order.
    pub base_one_timer_share: f64,
}

/// Profiles of segments `0..k` (names from [`name_segments`]).
pub fn profiles(p: &ProfileInput<'_>) -> Vec<SegmentProfile> {
    let k = p.k;
    let rows = p.labels.len();
    let scores = &p.input.rfm.customers;
    let seg = |row: usize| p.labels.get(row).map_or(usize::MAX, |s| *s as usize);

    let mut customers = vec![0u64; k];
    let mut revenue = vec![0.0f64; k];
    for (row, s) in p.labels.iter().enumerate() {
        if let Some(c) = customers.get_mut(*s as usize) {
            *c += 1;
        }
        if let (Some(r), Some(m)) = (revenue.get_mut(*s as usize), scores.monetary.get(row)) {
            *r += m;
        }
    }
    let total_revenue: f64 = revenue.iter().sum();

    let (raw_means, index) = raw_means_and_index(p, &customers);
    let centroids = centroids(p, &customers);
    let mut silhouette = vec![(0.0f64, 0u64); k];
    for (row, value) in p.silhouette_rows.iter().zip(p.silhouettes) {
        if let Some(slot) = silhouette.get_mut(seg(*row)) {
            slot.0 += value;
            slot.1 += 1;
        }
    }
    // Every pass over the lines reads the segment of each line from one byte array (made once)
    // instead of looking up the customer's row, then its label, per line and per pass. At 1M
    // customers × 9.8M lines (native release) this stage took 2.5–3.5 s: top products
    // 835 ms, grouping the lines by customer (`LineView::by_row`) 813 ms, main region and
    // channel 419 ms each; now 0.58–0.61 s: line segments 57 ms, top products 61 ms, main
    // region + channel ~0.45 s.
    let view = LineView::new(p.input, &p.table.customers);
    let line_segments = view.line_segments(p.labels);
    let top_products = top_products(p, &line_segments);
    let d = p.input.dataset;
    let [top_regions, top_channels] = main_shares(
        p,
        &view,
        &line_segments,
        [(&d.region, &d.regions), (&d.channel, &d.channels)],
    );
    let names = name_segments(&trait_indexes(p.input, p.labels, k));

    let n = rows.max(1) as f64;
    (0..k)
        .map(|s| {
            let share = customers.get(s).copied().unwrap_or(0) as f64 / n;
            let centroid = centroids.get(s).cloned().unwrap_or_default();
            SegmentProfile {
                segment: s as u32,
                name_traits: names.get(s).cloned().unwrap_or_default(),
                name_ordinal: name_ordinals(&names).get(s).copied().unwrap_or(0),
                customers: customers.get(s).copied().unwrap_or(0),
                share,
                revenue: revenue.get(s).copied().unwrap_or(0.0),
                revenue_share: if total_revenue > 0.0 {
                    revenue.get(s).copied().unwrap_or(0.0) / total_revenue
                } else {
                    0.0
                },
                tiny: share < p.tiny_share,
                silhouette: silhouette
                    .get(s)
                    .filter(|(_, count)| *count > 0)
                    .map_or(0.0, |(sum, count)| sum / *count as f64),
                stability: p.stability.and_then(|j| j.get(s).copied()),
                raw_means: raw_means.get(s).cloned().unwrap_or_default(),
                index: index.get(s).cloned().unwrap_or_default(),
                distinctive: distinctive(p.transform, &centroid),
                centroid,
                top_products: top_products.get(s).cloned().unwrap_or_default(),
                top_regions: top_regions.get(s).cloned().unwrap_or_default(),
                top_channels: top_channels.get(s).cloned().unwrap_or_default(),
            }
        })
        .collect()
}

/// [`level_shares`] of the main level of each line column given (empty when the column is).
fn main_shares<const N: usize>(
    p: &ProfileInput<'_>,
    view: &LineView<'_>,
    line_segments: &[u8],
    columns: [(&Codes, &Interned); N],
) -> [Vec<Vec<Share>>; N] {
    let rows = p.labels.len();
    let present: Vec<(&Codes, usize)> = columns
        .iter()
        .filter(|(codes, _)| !codes.is_empty())
        .map(|(codes, names)| (*codes, names.len()))
        .collect();
    let mut mains = view
        .main_levels_blocked(line_segments, rows, &present)
        .unwrap_or_else(|| {
            // Too many levels for the block tables: group the lines by customer.
            let by_customer = view.by_row(rows);
            present
                .iter()
                .map(|(codes, count)| view.main_levels(&by_customer, rows, codes, *count))
                .collect()
        })
        .into_iter();
    columns.map(|(codes, names)| match codes.is_empty() {
        false => mains
            .next()
            .map_or_else(Vec::new, |main| level_shares(p.labels, p.k, &main, names)),
        true => vec![Vec::new(); p.k],
    })
}

/// Per segment and output column: mean in original units (share for one-hot) and its index.
fn raw_means_and_index(
    p: &ProfileInput<'_>,
    customers: &[u64],
) -> (Vec<Vec<f64>>, Vec<Vec<Option<f64>>>) {
    let k = p.k;
    let width = p.transform.params.len();
    let mut means = vec![vec![0.0f64; width]; k];
    let mut index = vec![vec![None; width]; k];
    for (j, (params, info)) in p
        .transform
        .params
        .iter()
        .zip(&p.transform.columns)
        .enumerate()
    {
        let Some(column) = p.table.column(&params.source) else {
            continue;
        };
        let mut sum = vec![0.0f64; k];
        let mut count = vec![0u64; k];
        match (&column.values, &params.level) {
            (FeatureValues::Numeric(values), None) => {
                for (v, s) in values.iter().zip(p.labels) {
                    if v.is_finite() {
                        if let (Some(a), Some(c)) =
                            (sum.get_mut(*s as usize), count.get_mut(*s as usize))
                        {
                            *a += v;
                            *c += 1;
                        }
                    }
                }
            }
            (FeatureValues::Categorical { levels, codes }, Some(level)) => {
                let code = levels.iter().position(|l| l == level).map(|c| c as u32);
                for (c, s) in codes.iter().zip(p.labels) {
                    if let (Some(a), Some(n)) =
                        (sum.get_mut(*s as usize), count.get_mut(*s as usize))
                    {
                        *n += 1;
                        if code.is_some() && *c == code {
                            *a += 1.0;
                        }
                    }
                }
            }
            _ => continue,
        }
        for s in 0..k {
            let (Some(a), Some(c)) = (sum.get(s), count.get(s)) else {
                continue;
            };
            if *c == 0 || customers.get(s).copied().unwrap_or(0) == 0 {
                continue;
            }
            let mean = a / *c as f64;
            if let Some(slot) = means.get_mut(s).and_then(|m| m.get_mut(j)) {
                *slot = mean;
            }
            if info.raw_mean != 0.0 {
                if let Some(slot) = index.get_mut(s).and_then(|m| m.get_mut(j)) {
                    *slot = Some(mean / info.raw_mean * 100.0);
                }
            }
        }
    }
    (means, index)
}

/// Mean transformed row of each segment.
fn centroids(p: &ProfileInput<'_>, customers: &[u64]) -> Vec<Vec<f64>> {
    let width = p.x.ncols();
    let mut sums = vec![vec![0.0f64; width]; p.k];
    for (row, s) in p.x.rows().into_iter().zip(p.labels) {
        if let Some(sum) = sums.get_mut(*s as usize) {
            for (a, v) in sum.iter_mut().zip(row.iter()) {
                *a += v;
            }
        }
    }
    for (sum, n) in sums.iter_mut().zip(customers) {
        if *n > 0 {
            for a in sum.iter_mut() {
                *a /= *n as f64;
            }
        }
    }
    sums
}

/// Up to [`DISTINCTIVE_COLUMNS`] columns by |z| descending (ties by column), |z| ≥
/// [`DISTINCTIVE_MIN_Z`]. For a standardised column z is the centroid; for a one-hot column it is
/// `(share − base share) / sqrt(base share × (1 − base share))`, the same scale.
pub fn distinctive(transform: &FittedTransform, centroid: &[f64]) -> Vec<usize> {
    let mut z: Vec<(usize, f64)> = transform
        .columns
        .iter()
        .zip(centroid)
        .enumerate()
        .map(|(j, (info, c))| {
            let z = match info.transform {
                TransformKind::OneHot => {
                    let base = info.raw_mean;
                    let sd = (base * (1.0 - base)).sqrt();
                    if sd > 0.0 {
                        (c - base) / sd
                    } else {
                        0.0
                    }
                }
                TransformKind::Standardise | TransformKind::LogStandardise => *c,
            };
            (j, z.abs())
        })
        .filter(|(_, z)| *z >= DISTINCTIVE_MIN_Z)
        .collect();
    z.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    z.into_iter()
        .take(DISTINCTIVE_COLUMNS)
        .map(|(j, _)| j)
        .collect()
}

/// Products by share of each segment's net product revenue, with the index against the base.
/// Only the [`PRODUCT_CANDIDATES`] products with the most base revenue are ranked, so memory is
/// `k × PRODUCT_CANDIDATES` whatever the catalogue size.
///
/// Both passes read the lines in file order with their segment from `line_segments` (no
/// per-customer lookup): 835 ms → 61 ms at 9.8M lines (native release), plus 57 ms for
/// `line_segments`, which the main regions and channels reuse.
fn top_products(p: &ProfileInput<'_>, line_segments: &[u8]) -> Vec<Vec<Share>> {
    let d = p.input.dataset;
    let k = p.k;
    if d.product.is_empty() || d.products.is_empty() {
        return vec![Vec::new(); k];
    }
    // Pass 1: base net revenue per product; the candidates are the largest positive ones.
    let mut base_by_code = vec![0.0f64; d.products.len()];
    let lines = || {
        line_segments
            .iter()
            .zip(&d.product)
            .zip(&d.amount)
            .filter(|((segment, _), _)| **segment != NO_SEGMENT)
            .map(|((segment, code), amount)| (*segment as usize, code as usize, *amount))
    };
    for (_, code, amount) in lines() {
        if let Some(slot) = base_by_code.get_mut(code) {
            *slot += amount;
        }
    }
    // Shares are of net revenue, in the segment and in the base alike (so an average segment
    // has index 100).
    let base_total: f64 = base_by_code.iter().sum();
    let mut candidates: Vec<usize> = (0..base_by_code.len())
        .filter(|code| base_by_code.get(*code).is_some_and(|r| *r > 0.0))
        .collect();
    let revenue_of = |code: &usize| base_by_code.get(*code).copied().unwrap_or(0.0);
    candidates.sort_by(|a, b| revenue_of(b).total_cmp(&revenue_of(a)).then(a.cmp(b)));
    candidates.truncate(PRODUCT_CANDIDATES);
    let mut slot_of = vec![usize::MAX; base_by_code.len()];
    for (slot, code) in candidates.iter().enumerate() {
        if let Some(s) = slot_of.get_mut(*code) {
            *s = slot;
        }
    }
    // Pass 2: net revenue per segment and candidate; the segment total over all its products.
    let width = candidates.len().max(1);
    let mut revenue = vec![0.0f64; k * width];
    let mut segment_total = vec![0.0f64; k];
    for (s, code, amount) in lines() {
        if let Some(t) = segment_total.get_mut(s) {
            *t += amount;
        }
        let Some(&slot) = slot_of.get(code) else {
            continue;
        };
        if slot == usize::MAX {
            continue;
        }
        if let Some(r) = revenue.get_mut(s * width + slot) {
            *r += amount;
        }
    }
    revenue
        .chunks(width)
        .zip(&segment_total)
        .map(|(chunk, total)| {
            let shares = chunk.iter().zip(&candidates).filter_map(|(r, code)| {
                let b = base_by_code.get(*code).copied().unwrap_or(0.0);
                (*r > 0.0 && *total > 0.0 && b > 0.0 && base_total > 0.0).then(|| {
                    let share = r / total;
                    (*code, share, share / (b / base_total) * 100.0)
                })
            });
            top(shares, &d.products)
        })
        .collect()
}

/// The [`TOP_SHARES`] largest `(code, share, index)` by share, ties by name.
fn top(shares: impl Iterator<Item = (usize, f64, f64)>, names: &Interned) -> Vec<Share> {
    let mut list: Vec<Share> = shares
        .map(|(code, share, index)| Share {
            name: names.get(code as u32).to_string(),
            share,
            index,
        })
        .collect();
    list.sort_by(|a, b| b.share.total_cmp(&a.share).then(a.name.cmp(&b.name)));
    list.truncate(TOP_SHARES);
    list
}

/// Share of each segment's customers per main level, with the index against the base.
fn level_shares(
    labels: &[u32],
    k: usize,
    main: &[Option<u32>],
    names: &Interned,
) -> Vec<Vec<Share>> {
    let width = names.len();
    let mut counts = vec![0u64; k * width];
    let mut customers = vec![0u64; k];
    for (s, level) in labels.iter().zip(main) {
        if let Some(c) = customers.get_mut(*s as usize) {
            *c += 1;
        }
        if let Some(slot) = level.and_then(|l| counts.get_mut(*s as usize * width + l as usize)) {
            *slot += 1;
        }
    }
    let mut base = vec![0u64; width];
    for chunk in counts.chunks(width) {
        for (b, c) in base.iter_mut().zip(chunk) {
            *b += c;
        }
    }
    let total = labels.len().max(1) as f64;
    counts
        .chunks(width)
        .zip(&customers)
        .map(|(chunk, n)| {
            let shares = chunk.iter().enumerate().filter_map(|(code, c)| {
                let b = base.get(code).copied().unwrap_or(0);
                (*c > 0 && *n > 0 && b > 0).then(|| {
                    let share = *c as f64 / *n as f64;
                    (code, share, share / (b as f64 / total) * 100.0)
                })
            });
            top(shares, names)
        })
        .collect()
}

/// The RFM-based indexes of segments `0..k`.
pub fn trait_indexes(input: &ClusterInput<'_>, labels: &[u32], k: usize) -> Vec<TraitIndexes> {
    let c = &input.rfm.customers;
    let as_of = input.rfm.report.as_of_day;
    // (recency, frequency, monetary, aov, tenure, one-timers) sums per segment, and the base.
    let mut sums = vec![[0.0f64; 6]; k];
    let mut counts = vec![0u64; k];
    let mut base = [0.0f64; 6];
    let rows = labels
        .iter()
        .zip(&c.recency_days)
        .zip(&c.frequency)
        .zip(&c.monetary)
        .zip(&c.first_day);
    for ((((s, r), f), m), first) in rows {
        let f = f64::from(*f);
        let values = [
            f64::from(*r),
            f,
            *m,
            if f > 0.0 { m / f } else { 0.0 },
            f64::from(as_of.saturating_sub(*first)),
            if f <= 1.0 { 1.0 } else { 0.0 },
        ];
        if let (Some(sum), Some(n)) = (sums.get_mut(*s as usize), counts.get_mut(*s as usize)) {
            for (a, v) in sum.iter_mut().zip(values) {
                *a += v;
            }
            *n += 1;
        }
        for (a, v) in base.iter_mut().zip(values) {
            *a += v;
        }
    }
    let n = labels.len().max(1) as f64;
    let base = base.map(|b| b / n);
    let idx = |mean: f64, base: f64| {
        if base.abs() > 0.0 {
            mean / base * 100.0
        } else {
            100.0
        }
    };
    sums.iter()
        .zip(&counts)
        .map(|(sum, count)| {
            let m = |i: usize| sum.get(i).copied().unwrap_or(0.0) / (*count).max(1) as f64;
            let b = |i: usize| base.get(i).copied().unwrap_or(0.0);
            TraitIndexes {
                recency_days: idx(m(0), b(0)),
                frequency: idx(m(1), b(1)),
                monetary: idx(m(2), b(2)),
                average_order_value: idx(m(3), b(3)),
                tenure_days: idx(m(4), b(4)),
                one_timer_share: m(5),
                base_one_timer_share: b(5),
            }
        })
        .collect()
}

/// Traits passing the thresholds `(high, low, one_timer_share)`, strongest first.
fn candidates(t: &TraitIndexes, high: f64, low: f64, one_timers: f64) -> Vec<(NameTrait, f64)> {
    let strength = |index: f64| (index.max(1.0) / 100.0).ln().abs();
    let mut list = Vec::new();
    let mut two_sided = |index: f64, up: NameTrait, down: Option<NameTrait>| {
        if index >= high {
            list.push((up, strength(index)));
        } else if let Some(down) = down.filter(|_| index <= low) {
            list.push((down, strength(index)));
        }
    };
    two_sided(t.monetary, NameTrait::HighValue, Some(NameTrait::LowValue));
    two_sided(t.frequency, NameTrait::Frequent, None);
    two_sided(t.recency_days, NameTrait::Lapsed, Some(NameTrait::Recent));
    two_sided(t.average_order_value, NameTrait::BigBaskets, None);
    two_sided(t.tenure_days, NameTrait::Loyal, Some(NameTrait::New));
    // OneTimers is the low side of frequency, so it ranks by the frequency index too.
    if t.one_timer_share >= one_timers && t.one_timer_share >= 1.5 * t.base_one_timer_share {
        let ratio = t.one_timer_share / t.base_one_timer_share.max(1e-9);
        let by_frequency = if t.frequency < 100.0 {
            strength(t.frequency)
        } else {
            0.0
        };
        list.push((NameTrait::OneTimers, ratio.ln().abs().max(by_frequency)));
    }
    list.sort_by(|a, b| b.1.total_cmp(&a.1));
    list
}

/// Names from the indexes (see the module documentation): the two strongest traits, extended
/// while two segments share a name.
pub fn name_segments(indexes: &[TraitIndexes]) -> Vec<Vec<NameTrait>> {
    // Ranked traits of each segment: the strong ones, then the weak ones not already in.
    let ranked: Vec<(Vec<NameTrait>, usize)> = indexes
        .iter()
        .map(|t| {
            let strong: Vec<NameTrait> = candidates(t, HIGH_INDEX, LOW_INDEX, ONE_TIMER_SHARE)
                .into_iter()
                .map(|(name, _)| name)
                .collect();
            let strong_count = strong.len();
            let mut all = strong;
            for (name, _) in candidates(t, WEAK_HIGH_INDEX, WEAK_LOW_INDEX, WEAK_ONE_TIMER_SHARE) {
                if !all.contains(&name) {
                    all.push(name);
                }
            }
            (all, strong_count)
        })
        .collect();
    let mut used: Vec<usize> = ranked
        .iter()
        .map(|(_, strong)| (*strong).min(NAME_TRAITS))
        .collect();
    let name = |s: usize, used: &[usize]| -> Vec<NameTrait> {
        match (ranked.get(s), used.get(s).copied().unwrap_or(0)) {
            (Some((all, _)), n) if n > 0 => all.iter().take(n).copied().collect(),
            _ => vec![NameTrait::Average],
        }
    };
    for _ in 0..MAX_NAME_TRAITS {
        let names: Vec<Vec<NameTrait>> = (0..ranked.len()).map(|s| name(s, &used)).collect();
        let mut changed = false;
        for (s, mine) in names.iter().enumerate() {
            let clash = names
                .iter()
                .enumerate()
                .any(|(o, other)| o != s && other == mine);
            let available = ranked.get(s).map_or(0, |(all, _)| all.len());
            if let Some(u) = used.get_mut(s) {
                if clash && *u < MAX_NAME_TRAITS.min(available) {
                    *u += 1;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    (0..ranked.len()).map(|s| name(s, &used)).collect()
}

/// For each name, 0 when no other segment has it, else its number among the segments that share
/// it (1, 2, … in segment order): what the data cannot tell apart is told apart by number.
pub fn name_ordinals(names: &[Vec<NameTrait>]) -> Vec<u32> {
    names
        .iter()
        .enumerate()
        .map(|(s, mine)| {
            let same = names.iter().filter(|other| *other == mine).count();
            if same <= 1 {
                0
            } else {
                1 + names.iter().take(s).filter(|other| *other == mine).count() as u32
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    // Regression: automatic names repeated ("Low value" ×4) when the data allowed no further
    // trait; now each shared name carries a number.
    #[test]
    fn shared_names_are_numbered_in_segment_order() {
        use NameTrait::{HighValue, LowValue};
        let names = vec![
            vec![LowValue],
            vec![HighValue],
            vec![LowValue],
            vec![LowValue],
            vec![],
        ];
        assert_eq!(name_ordinals(&names), [1, 0, 2, 3, 0]);
    }
}
