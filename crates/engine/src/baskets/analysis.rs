//! The rules run: baskets → itemsets (with the explosion guard) → rules → report.

use super::{
    itemsets::{itemset_bound, mine, safe_min_count, MAX_ITEMSETS},
    rules::rules,
    BasketError, BasketParams, BasketReport, BasketTimings, Itemsets, Rule, Transactions,
};

/// A finished rules run: what the rule table pages and the exports read.
#[derive(Debug, Clone, PartialEq)]
pub struct BasketAnalysis {
    /// Settings used.
    pub params: BasketParams,
    /// The frequent itemsets.
    pub itemsets: Itemsets,
    /// The rules, in the analysis's order (lift, count, items).
    pub rules: Vec<Rule>,
    /// Baskets the supports are shares of.
    pub baskets: usize,
    /// The report.
    pub report: BasketReport,
}

impl BasketAnalysis {
    /// Mines `t` with `params`. `baskets_ms` is the time already spent building `t`;
    /// `has_categories` whether the file has a category column (for the many-items warning).
    pub fn run(
        t: &Transactions,
        params: &BasketParams,
        baskets_ms: f64,
        has_categories: bool,
        now_ms: &mut dyn FnMut() -> f64,
    ) -> Result<Self, BasketError> {
        let valid = params.check()?;
        let n = t.len();
        if n < 2 {
            return Err(BasketError::TooFewBaskets { baskets: n as u64 });
        }
        if t.item_occurrences() == n {
            return Err(BasketError::AllSingleItem { baskets: n as u64 });
        }
        let min_count = valid.min_count(n);
        let share = |count: u32| f64::from(count) / n as f64;
        let started = now_ms();
        let itemsets = match mine(t, min_count, valid.max_length, MAX_ITEMSETS) {
            Ok(itemsets) => itemsets,
            Err(exploded) => {
                let suggested = safe_min_count(t, min_count, valid.max_length, MAX_ITEMSETS as f64);
                return Err(BasketError::TooManyItemsets {
                    min_support: share(min_count),
                    min_count,
                    found: exploded.found,
                    limit: MAX_ITEMSETS,
                    estimate: itemset_bound(t, min_count, valid.max_length),
                    suggested_support: suggested.map(share),
                });
            }
        };
        if itemsets.by_length().get(1).copied().unwrap_or(0) == 0 {
            return Err(BasketError::NoFrequentPairs {
                min_support: share(min_count),
                best_pair_support: best_pair_support(t),
            });
        }
        let mined = now_ms();
        let (rules, pruned) = rules(&itemsets, n, &valid)?;
        let done = now_ms();
        let timings = BasketTimings {
            baskets_ms,
            mine_ms: mined - started,
            rules_ms: done - mined,
        };
        let report = BasketReport::new(
            t,
            &itemsets,
            &rules,
            pruned,
            min_count,
            timings,
            has_categories,
        );
        Ok(Self {
            params: params.clone(),
            itemsets,
            rules,
            baskets: n,
            report,
        })
    }
}

/// The support of the most frequent pair (mining pairs at count 1 would be too costly on a big
/// file, so it is the best pair among the 200 most frequent items).
fn best_pair_support(t: &Transactions) -> f64 {
    let mut top: Vec<usize> = (0..t.items.len()).collect();
    top.sort_by_key(|&i| {
        (
            std::cmp::Reverse(t.item_baskets.get(i).copied().unwrap_or(0)),
            i,
        )
    });
    top.truncate(200);
    let mut slot = vec![usize::MAX; t.items.len()];
    for (s, &i) in top.iter().enumerate() {
        if let Some(x) = slot.get_mut(i) {
            *x = s;
        }
    }
    let k = top.len();
    let mut together = vec![0u32; k * k];
    let mut here = Vec::new();
    for b in 0..t.len() {
        here.clear();
        here.extend(
            t.basket(b)
                .iter()
                .filter_map(|&i| slot.get(i as usize).copied().filter(|&s| s != usize::MAX)),
        );
        for (x, &a) in here.iter().enumerate() {
            for &c in here.get(x + 1..).unwrap_or_default() {
                if let Some(n) = together.get_mut(a.min(c) * k + a.max(c)) {
                    *n += 1;
                }
            }
        }
    }
    f64::from(together.iter().copied().max().unwrap_or(0)) / t.len().max(1) as f64
}
