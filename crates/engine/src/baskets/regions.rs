//! Regional (or channel) preferences: per group and item, the share of the group's baskets
//! holding the item against the share of all baskets, as an index (100 = the base), with a χ²
//! test of the difference and Benjamini–Hochberg adjusted p-values.

use serde::{Deserialize, Serialize};

use super::{transactions::NO_GROUP, BasketError, GroupBy, Transactions};
use crate::stats::{benjamini_hochberg, chi_square_2x2};
use crate::Dataset;

/// One group × item cell.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreferenceCell {
    /// Group index (into [`Preferences::groups`]).
    pub group: u32,
    /// Item index.
    pub item: u32,
    /// The group's baskets holding the item.
    pub baskets: u64,
    /// 100 × (share in the group) / (share in all baskets).
    pub index: f64,
    /// χ² test (1 degree of freedom, no continuity correction) of group vs the rest.
    pub p_value: f64,
    /// Benjamini–Hochberg adjusted over every cell.
    pub p_value_adjusted: f64,
    /// The smallest expected count of the test's 2×2 table (group or rest × with or without the
    /// item). Below [`MIN_EXPECTED`] the χ² approximation is unreliable and the cell is never
    /// called significant (an item bought once, in a group of ten baskets, has index 100,000 and
    /// a χ² p of 0).
    pub min_expected: f64,
}

/// The smallest expected count for a cell to be called significant (Cochran's rule).
pub const MIN_EXPECTED: f64 = 5.0;

/// Most group × item cells (a "region" of store codes × every product would not fit).
pub const MAX_CELLS: usize = 20_000_000;

impl PreferenceCell {
    /// Whether the χ² test is reliable here ([`Self::min_expected`] ≥ [`MIN_EXPECTED`]).
    pub fn reliable(&self) -> bool {
        self.min_expected >= MIN_EXPECTED
    }

    /// A reliable, significant over-index (index > 100, adjusted p < 0.05).
    pub fn is_over_index(&self) -> bool {
        self.reliable() && self.index > 100.0 && self.p_value_adjusted < 0.05
    }
}

/// One group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupSummary {
    /// Its name.
    pub name: String,
    /// Its baskets.
    pub baskets: u64,
}

/// The preferences of every group for every item bought.
#[derive(Debug, Clone, PartialEq)]
pub struct Preferences {
    /// Region or channel.
    pub by: GroupBy,
    /// The groups, by name.
    pub groups: Vec<GroupSummary>,
    /// Baskets with a group.
    pub baskets: u64,
    /// Baskets without one (an empty cell), left out.
    pub baskets_without_group: u64,
    /// Baskets holding each item, among those with a group.
    pub item_baskets: Vec<u64>,
    /// Every group × item cell with the item bought somewhere, by group, then item.
    pub cells: Vec<PreferenceCell>,
}

impl Preferences {
    /// The preferences over `t`'s baskets, grouped by `by`.
    pub fn compute(t: &Transactions, dataset: &Dataset, by: GroupBy) -> Result<Self, BasketError> {
        let (of_basket, names) = t
            .group_of(dataset, by)
            .ok_or(BasketError::NoGroupColumn { by })?;
        // Groups in name order.
        let mut used: Vec<u32> = of_basket
            .iter()
            .copied()
            .filter(|&g| g != NO_GROUP)
            .collect();
        used.sort_unstable();
        used.dedup();
        used.sort_by(|&a, &b| names.get(a).cmp(names.get(b)));
        if used.len() == 1 {
            return Err(BasketError::OneGroup {
                by,
                value: used
                    .first()
                    .map(|&g| names.get(g).to_string())
                    .unwrap_or_default(),
            });
        }
        if used.is_empty() {
            return Err(BasketError::NoGroupColumn { by });
        }
        let mut slot = vec![u32::MAX; names.len()];
        for (s, &g) in used.iter().enumerate() {
            if let Some(x) = slot.get_mut(g as usize) {
                *x = s as u32;
            }
        }
        let (groups, items) = (used.len(), t.items.len());
        let cells = groups.checked_mul(items).filter(|&c| c <= MAX_CELLS);
        let Some(cells) = cells else {
            return Err(BasketError::TooManyCells {
                by,
                groups: groups as u64,
                items: items as u64,
                limit: MAX_CELLS as u64,
            });
        };
        let mut count = vec![0u64; cells];
        let mut group_baskets = vec![0u64; groups];
        let mut item_baskets = vec![0u64; items];
        let mut without = 0u64;
        for (b, &g) in of_basket.iter().enumerate() {
            let Some(&s) = slot.get(g as usize).filter(|&&s| s != u32::MAX) else {
                without += 1;
                continue;
            };
            let s = s as usize;
            if let Some(n) = group_baskets.get_mut(s) {
                *n += 1;
            }
            for &i in t.basket(b) {
                if let Some(n) = count.get_mut(s * items + i as usize) {
                    *n += 1;
                }
                if let Some(n) = item_baskets.get_mut(i as usize) {
                    *n += 1;
                }
            }
        }
        let total: u64 = group_baskets.iter().sum();
        let mut cells = Vec::new();
        for s in 0..groups {
            let n_r = group_baskets.get(s).copied().unwrap_or(0);
            for i in 0..items {
                let c_i = item_baskets.get(i).copied().unwrap_or(0);
                if c_i == 0 {
                    continue;
                }
                let c_ri = count.get(s * items + i).copied().unwrap_or(0);
                let (rest, without) = (total - n_r, total - c_i);
                let min_expected =
                    (n_r.min(rest) as f64) * (c_i.min(without) as f64) / (total.max(1) as f64);
                let index = if n_r == 0 {
                    0.0
                } else {
                    100.0 * (c_ri as f64 / n_r as f64) / (c_i as f64 / total as f64)
                };
                cells.push(PreferenceCell {
                    group: s as u32,
                    item: i as u32,
                    baskets: c_ri,
                    index,
                    p_value: chi_square_2x2(
                        c_ri,
                        n_r - c_ri,
                        c_i - c_ri,
                        total - n_r - (c_i - c_ri),
                    ),
                    p_value_adjusted: 1.0,
                    min_expected,
                });
            }
        }
        let p: Vec<f64> = cells.iter().map(|c| c.p_value).collect();
        for (cell, q) in cells.iter_mut().zip(benjamini_hochberg(&p)) {
            cell.p_value_adjusted = q;
        }
        Ok(Self {
            by,
            groups: used
                .iter()
                .zip(&group_baskets)
                .map(|(&g, &n)| GroupSummary {
                    name: names.get(g).to_string(),
                    baskets: n,
                })
                .collect(),
            baskets: total,
            baskets_without_group: without,
            item_baskets,
            cells,
        })
    }
}
