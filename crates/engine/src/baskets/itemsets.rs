//! Frequent itemsets by depth-first occurrence delivery (the counting step of Uno et al.'s LCM,
//! without the closedness check): a prefix's baskets are scanned once, and every item after the
//! prefix's last item collects the baskets it occurs in, which are then its extension's baskets.
//! Hand-written: no maintained Rust crate mines itemsets for wasm32 without a dense matrix.
//! Measured against FP-growth (rusket) in the README.
//!
//! Items are renumbered in ascending basket count before mining (the rare items carry the long
//! extension lists over their short basket lists), and back to name order afterwards.

use rustc_hash::FxHashMap;

use super::Transactions;

/// Most itemsets kept; past it, mining stops and says so.
pub const MAX_ITEMSETS: u64 = 1_000_000;

/// Frequent itemsets: itemset `s` holds `items[offsets[s]..offsets[s + 1]]` (item indices in name
/// order, ascending) and occurs in `counts[s]` baskets. Sorted by length, then items.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Itemsets {
    offsets: Vec<u32>,
    items: Vec<u32>,
    counts: Vec<u32>,
    index: FxHashMap<Box<[u32]>, u32>,
}

impl Itemsets {
    /// Number of itemsets.
    pub fn len(&self) -> usize {
        self.counts.len()
    }
    /// Whether none was found.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
    /// The items of itemset `s`.
    pub fn items(&self, s: usize) -> &[u32] {
        match (self.offsets.get(s), self.offsets.get(s + 1)) {
            (Some(&a), Some(&b)) => self.items.get(a as usize..b as usize).unwrap_or_default(),
            _ => &[],
        }
    }
    /// The basket count of itemset `s`.
    pub fn count(&self, s: usize) -> u32 {
        self.counts.get(s).copied().unwrap_or(0)
    }
    /// The basket count of `items` (ascending) when it is frequent.
    pub fn count_of(&self, items: &[u32]) -> Option<u32> {
        self.index.get(items).map(|&s| self.count(s as usize))
    }
    /// Itemsets per length (index 0 = one item).
    pub fn by_length(&self) -> Vec<u64> {
        let mut out = Vec::new();
        for s in 0..self.len() {
            let n = self.items(s).len();
            if out.len() < n {
                out.resize(n, 0);
            }
            if let Some(slot) = n.checked_sub(1).and_then(|i| out.get_mut(i)) {
                *slot += 1;
            }
        }
        out
    }
}

/// Why mining stopped early.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exploded {
    /// Itemsets found before stopping.
    pub found: u64,
}

/// An upper bound on the number of frequent itemsets of at most `max_length` items with at least
/// `min_count` baskets: every such itemset is a subset of at least `min_count` baskets, so their
/// number is at most Σ over baskets of the subsets (of frequent items, of length 1..=max_length)
/// divided by `min_count`. Cheap (one pass over the baskets) and exact when baskets are small.
pub fn itemset_bound(t: &Transactions, min_count: u32, max_length: usize) -> f64 {
    let mut total = 0.0;
    for b in 0..t.len() {
        let s = t
            .basket(b)
            .iter()
            .filter(|&&i| t.item_baskets.get(i as usize).copied().unwrap_or(0) >= min_count)
            .count();
        // Σ_{k=1..L} C(s, k), in floating point (large baskets overflow integers).
        let (mut c, mut sum) = (1.0f64, 0.0);
        for k in 1..=max_length.min(s) {
            c = c * (s + 1 - k) as f64 / k as f64;
            sum += c;
        }
        total += sum;
    }
    total / f64::from(min_count.max(1))
}

/// The smallest basket count at or above `from` whose [`itemset_bound`] stays within `limit`;
/// `None` when even every basket (support 100 %) does not.
pub fn safe_min_count(t: &Transactions, from: u32, max_length: usize, limit: f64) -> Option<u32> {
    let (mut lo, mut hi) = (
        from.max(1),
        u32::try_from(t.len()).unwrap_or(u32::MAX).max(1),
    );
    if itemset_bound(t, lo, max_length) <= limit {
        return Some(lo);
    }
    if lo >= hi || itemset_bound(t, hi, max_length) > limit {
        return None;
    }
    while lo + 1 < hi {
        let mid = lo + (hi - lo) / 2;
        if itemset_bound(t, mid, max_length) <= limit {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

/// One depth of the search: for each item, the baskets (of the current prefix) holding it.
#[derive(Default)]
struct Level {
    occ: Vec<Vec<u32>>,
    touched: Vec<u32>,
}

impl Level {
    fn clear(&mut self) {
        for &i in &self.touched {
            if let Some(list) = self.occ.get_mut(i as usize) {
                list.clear();
            }
        }
        self.touched.clear();
    }
}

struct Miner<'a> {
    /// Baskets of frequent items only, in mining numbers (ascending count), ascending.
    start: Vec<u32>,
    items: Vec<u32>,
    /// Mining number → item (name order).
    item_of: &'a [u32],
    min_count: u32,
    max_length: usize,
    limit: u64,
    /// Found itemsets in mining numbers: (items, count).
    found: Vec<(Vec<u32>, u32)>,
}

impl Miner<'_> {
    fn basket(&self, b: u32) -> &[u32] {
        let (from, to) = (
            self.start.get(b as usize).copied().unwrap_or(0),
            self.start.get(b as usize + 1).copied().unwrap_or(0),
        );
        self.items
            .get(from as usize..to as usize)
            .unwrap_or_default()
    }

    /// Delivers the baskets `tids` into `next` for every item after `last`.
    fn deliver(&self, tids: &[u32], last: Option<u32>, next: &mut Level) {
        for &b in tids {
            let basket = self.basket(b);
            let from = match last {
                Some(last) => basket.partition_point(|&i| i <= last),
                None => 0,
            };
            for &i in basket.get(from..).unwrap_or_default() {
                if let Some(list) = next.occ.get_mut(i as usize) {
                    if list.is_empty() {
                        next.touched.push(i);
                    }
                    list.push(b);
                }
            }
        }
    }

    /// Emits every frequent extension of `prefix` found in `levels[0]`, recursing below.
    fn grow(&mut self, prefix: &mut Vec<u32>, levels: &mut [Level]) -> Result<(), Exploded> {
        let Some((current, deeper)) = levels.split_first_mut() else {
            return Ok(());
        };
        let mut extensions: Vec<u32> = current
            .touched
            .iter()
            .copied()
            .filter(|&i| {
                current
                    .occ
                    .get(i as usize)
                    .is_some_and(|l| l.len() >= self.min_count as usize)
            })
            .collect();
        extensions.sort_unstable();
        for e in extensions {
            let tids = current
                .occ
                .get(e as usize)
                .map(Vec::as_slice)
                .unwrap_or_default();
            prefix.push(e);
            self.found.push((prefix.clone(), tids.len() as u32));
            if self.found.len() as u64 > self.limit {
                return Err(Exploded {
                    found: self.found.len() as u64,
                });
            }
            if prefix.len() < self.max_length {
                if let Some(next) = deeper.first_mut() {
                    self.deliver(tids, Some(e), next);
                    let result = self.grow(prefix, deeper);
                    if let Some(next) = deeper.first_mut() {
                        next.clear();
                    }
                    result?;
                }
            }
            prefix.pop();
        }
        Ok(())
    }
}

/// The itemsets of at most `max_length` items in at least `min_count` baskets; stops after
/// `limit` itemsets.
pub fn mine(
    t: &Transactions,
    min_count: u32,
    max_length: usize,
    limit: u64,
) -> Result<Itemsets, Exploded> {
    let min_count = min_count.max(1);
    // Frequent items in ascending count (ties by name).
    let mut order: Vec<u32> = (0..t.items.len() as u32)
        .filter(|&i| t.item_baskets.get(i as usize).copied().unwrap_or(0) >= min_count)
        .collect();
    order.sort_unstable_by_key(|&i| (t.item_baskets.get(i as usize).copied().unwrap_or(0), i));
    let mut number = vec![u32::MAX; t.items.len()];
    for (n, &i) in order.iter().enumerate() {
        if let Some(slot) = number.get_mut(i as usize) {
            *slot = n as u32;
        }
    }
    let mut start = Vec::with_capacity(t.len() + 1);
    let mut items = Vec::with_capacity(t.item_occurrences());
    start.push(0u32);
    for b in 0..t.len() {
        let from = items.len();
        items.extend(
            t.basket(b)
                .iter()
                .filter_map(|&i| number.get(i as usize).copied().filter(|&n| n != u32::MAX)),
        );
        if let Some(tail) = items.get_mut(from..) {
            tail.sort_unstable();
        }
        start.push(items.len() as u32);
    }
    let mut miner = Miner {
        start,
        items,
        item_of: &order,
        min_count,
        max_length,
        limit,
        found: Vec::new(),
    };
    let mut levels: Vec<Level> = (0..max_length)
        .map(|_| Level {
            occ: vec![Vec::new(); order.len()],
            touched: Vec::new(),
        })
        .collect();
    let all: Vec<u32> = (0..t.len() as u32).collect();
    if let Some(root) = levels.first_mut() {
        miner.deliver(&all, None, root);
    }
    drop(all);
    miner.grow(&mut Vec::new(), &mut levels)?;
    drop(levels);
    // Back to name order; sorted by length, then items.
    let mut found: Vec<(Vec<u32>, u32)> = std::mem::take(&mut miner.found)
        .into_iter()
        .map(|(set, count)| {
            let mut named: Vec<u32> = set
                .iter()
                .filter_map(|&n| miner.item_of.get(n as usize).copied())
                .collect();
            named.sort_unstable();
            (named, count)
        })
        .collect();
    found.sort_unstable_by(|a, b| a.0.len().cmp(&b.0.len()).then_with(|| a.0.cmp(&b.0)));
    let mut out = Itemsets {
        offsets: Vec::with_capacity(found.len() + 1),
        items: Vec::new(),
        counts: Vec::with_capacity(found.len()),
        index: FxHashMap::default(),
    };
    out.index.reserve(found.len());
    out.offsets.push(0);
    for (s, (set, count)) in found.into_iter().enumerate() {
        out.items.extend_from_slice(&set);
        out.offsets.push(out.items.len() as u32);
        out.counts.push(count);
        out.index.insert(set.into_boxed_slice(), s as u32);
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests_support {
    use crate::baskets::{ItemLevel, Transactions};

    /// Baskets from lists of item indices (names "a".."e"), one customer each.
    pub(crate) fn transactions(baskets: &[&[u32]]) -> Transactions {
        let items: Vec<String> = ["a", "b", "c", "d", "e"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut item_baskets = vec![0; items.len()];
        let mut start = vec![0];
        let mut basket_items = Vec::new();
        for b in baskets {
            for &i in *b {
                item_baskets[i as usize] += 1;
            }
            basket_items.extend_from_slice(b);
            start.push(basket_items.len() as u32);
        }
        Transactions::from_parts(ItemLevel::Product, items, start, basket_items, item_baskets)
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::transactions;
    use super::*;

    /// Every subset's count by brute force.
    fn brute(t: &Transactions, min: u32, max_len: usize) -> Vec<(Vec<u32>, u32)> {
        let n = t.items.len();
        let mut out = Vec::new();
        for mask in 1u32..(1 << n) {
            let set: Vec<u32> = (0..n as u32).filter(|i| mask & (1 << i) != 0).collect();
            if set.len() > max_len {
                continue;
            }
            let count = (0..t.len())
                .filter(|&b| set.iter().all(|i| t.basket(b).contains(i)))
                .count() as u32;
            if count >= min {
                out.push((set, count));
            }
        }
        out.sort_by(|a, b| a.0.len().cmp(&b.0.len()).then_with(|| a.0.cmp(&b.0)));
        out
    }

    #[test]
    fn mining_finds_exactly_the_brute_force_itemsets() {
        let t = transactions(&[
            &[0, 1, 2],
            &[0, 1],
            &[1, 2, 3],
            &[0, 1, 2, 3, 4],
            &[2, 4],
            &[0, 2, 4],
            &[1],
        ]);
        for min in 1..=4 {
            for max_len in 1..=5 {
                let got = mine(&t, min, max_len, MAX_ITEMSETS).unwrap();
                let got: Vec<(Vec<u32>, u32)> = (0..got.len())
                    .map(|s| (got.items(s).to_vec(), got.count(s)))
                    .collect();
                assert_eq!(got, brute(&t, min, max_len), "min {min} max_len {max_len}");
            }
        }
    }

    #[test]
    fn mining_stops_at_the_limit_and_the_bound_holds() {
        let t = transactions(&[&[0, 1, 2, 3, 4], &[0, 1, 2, 3, 4]]);
        assert_eq!(mine(&t, 1, 5, 10), Err(Exploded { found: 11 }));
        let all = mine(&t, 2, 5, MAX_ITEMSETS).unwrap();
        assert_eq!(all.len(), 31);
        assert!(itemset_bound(&t, 2, 5) >= 31.0);
        assert_eq!(all.count_of(&[1, 3]), Some(2));
        assert_eq!(all.by_length(), vec![5, 10, 10, 5, 1]);
        assert_eq!(safe_min_count(&t, 1, 5, 31.0), Some(2));
        assert_eq!(safe_min_count(&t, 1, 5, 30.0), None);
    }
}
