//! Baskets from the lines an RFM run used: one basket per purchase order (the order id, or a
//! customer's day without one), holding the distinct items of its lines with a non-negative
//! amount. Items are products or categories, numbered in name order, so every "ties by name"
//! rule is "ties by index".

use crate::{lines::RunLines, rfm::Analysis, Dataset, Day, Interned};

use super::{BasketError, GroupBy, ItemLevel};

/// Marks "no group" in [`Transactions::group_of`].
pub const NO_GROUP: u32 = u32::MAX;

/// Two items bought together: `item_a < item_b` (indexes into [`Transactions::items`], so the
/// names are in byte order) and the baskets holding both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PairCount {
    /// The first item.
    pub item_a: u32,
    /// The second item (after `item_a`).
    pub item_b: u32,
    /// Baskets holding both.
    pub baskets: u32,
}

/// The baskets of a run, in compressed rows, ordered by customer, then day, then first line.
#[derive(Debug, Clone, PartialEq)]
pub struct Transactions {
    /// What an item is.
    pub level: ItemLevel,
    /// Item names, sorted; an item is its index here.
    pub items: Vec<String>,
    start: Vec<u32>,
    basket_items: Vec<u32>,
    /// The customer (dataset index) of each basket.
    pub customer: Vec<u32>,
    /// The day of each basket (its earliest line).
    pub day: Vec<Day>,
    /// The first line (file order) of each basket.
    pub first_line: Vec<u32>,
    /// Baskets holding each item.
    pub item_baskets: Vec<u32>,
    /// Amount of the non-negative lines of each item (its sales).
    pub item_revenue: Vec<f64>,
    /// Purchase lines without an item (an empty product or category cell).
    pub lines_without_item: u64,
}

impl Transactions {
    /// The baskets of `analysis`'s run on `dataset` at `level`.
    pub fn build(
        dataset: &Dataset,
        analysis: &Analysis,
        level: ItemLevel,
    ) -> Result<Self, BasketError> {
        Self::from_lines(dataset, analysis.lines(dataset), level)
    }

    pub(crate) fn from_lines(
        dataset: &Dataset,
        run: RunLines<'_>,
        level: ItemLevel,
    ) -> Result<Self, BasketError> {
        let (column, names) = match level {
            ItemLevel::Product => (&dataset.product, &dataset.products),
            ItemLevel::Category => (&dataset.category, &dataset.categories),
        };
        if column.is_empty() {
            return Err(BasketError::NoItemColumn { level });
        }
        let (items, rank) = ranked_names(names);
        let mut by_customer = run.by_customer();
        let mut t = Self {
            level,
            item_baskets: vec![0; items.len()],
            item_revenue: vec![0.0; items.len()],
            items,
            start: vec![0],
            basket_items: Vec::new(),
            customer: Vec::new(),
            day: Vec::new(),
            first_line: Vec::new(),
            lines_without_item: 0,
        };
        let mut orders: Vec<(Day, u32, Vec<u32>)> = Vec::new();
        for c in 0..by_customer.groups() {
            orders.clear();
            let lines = by_customer.of_mut(c);
            run.for_each_order(lines, |order, total| {
                if !total.purchase {
                    return;
                }
                let mut basket = Vec::with_capacity(order.len());
                for &line in order {
                    let i = line as usize;
                    let amount = dataset.amount.get(i).copied().unwrap_or(0.0);
                    if amount < 0.0 {
                        continue;
                    }
                    match column.get(i).and_then(|raw| rank.get(raw as usize)) {
                        Some(&Some(item)) => {
                            basket.push(item);
                            if let Some(r) = t.item_revenue.get_mut(item as usize) {
                                *r += amount;
                            }
                        }
                        _ => t.lines_without_item += 1,
                    }
                }
                basket.sort_unstable();
                basket.dedup();
                if !basket.is_empty() {
                    let first = order.first().copied().unwrap_or(0);
                    orders.push((total.day, first, basket));
                }
            });
            orders.sort_unstable_by_key(|(day, first, _)| (*day, *first));
            for (day, first, basket) in orders.drain(..) {
                for &item in &basket {
                    if let Some(n) = t.item_baskets.get_mut(item as usize) {
                        *n += 1;
                    }
                }
                t.basket_items.extend_from_slice(&basket);
                t.start.push(t.basket_items.len() as u32);
                t.customer.push(c as u32);
                t.day.push(day);
                t.first_line.push(first);
            }
        }
        Ok(t)
    }

    /// Transactions from their parts (tests of the miners).
    #[cfg(test)]
    pub(crate) fn from_parts(
        level: ItemLevel,
        items: Vec<String>,
        start: Vec<u32>,
        basket_items: Vec<u32>,
        item_baskets: Vec<u32>,
    ) -> Self {
        let n = start.len().saturating_sub(1);
        Self {
            level,
            item_revenue: vec![0.0; items.len()],
            items,
            start,
            basket_items,
            customer: (0..n as u32).collect(),
            day: vec![0; n],
            first_line: (0..n as u32).collect(),
            item_baskets,
            lines_without_item: 0,
        }
    }

    /// Baskets with at least one item.
    pub fn len(&self) -> usize {
        self.customer.len()
    }

    /// Whether there is no basket.
    pub fn is_empty(&self) -> bool {
        self.customer.is_empty()
    }

    /// The items of basket `b`, ascending (empty past the last).
    pub fn basket(&self, b: usize) -> &[u32] {
        match (self.start.get(b), self.start.get(b + 1)) {
            (Some(&from), Some(&to)) => self
                .basket_items
                .get(from as usize..to as usize)
                .unwrap_or_default(),
            _ => &[],
        }
    }

    /// Items in all baskets together (the sum of basket sizes).
    pub fn item_occurrences(&self) -> usize {
        self.basket_items.len()
    }

    /// The region or channel (index into the dataset's names) of each basket: that of its first
    /// line ([`NO_GROUP`] for an empty cell); `None` without the column.
    pub fn group_of<'d>(
        &self,
        dataset: &'d Dataset,
        by: GroupBy,
    ) -> Option<(Vec<u32>, &'d Interned)> {
        let (column, names) = match by {
            GroupBy::Region => (&dataset.region, &dataset.regions),
            GroupBy::Channel => (&dataset.channel, &dataset.channels),
        };
        if column.is_empty() {
            return None;
        }
        let groups = self
            .first_line
            .iter()
            .map(|&line| match column.get(line as usize) {
                Some(g) if !names.get(g).is_empty() => g,
                _ => NO_GROUP,
            })
            .collect();
        Some((groups, names))
    }

    /// Every pair of items bought together in at least `min_count` baskets (0 counts as 1),
    /// sorted by baskets (most first), then `item_a`, then `item_b` (the warehouse pair query's
    /// order).
    pub fn pair_counts(&self, min_count: u32) -> Vec<PairCount> {
        let mut counts: std::collections::HashMap<(u32, u32), u32> = Default::default();
        for b in 0..self.len() {
            let items = self.basket(b);
            for (i, &a) in items.iter().enumerate() {
                for &other in items.iter().skip(i + 1) {
                    *counts.entry((a, other)).or_default() += 1;
                }
            }
        }
        let mut pairs: Vec<PairCount> = counts
            .into_iter()
            .filter(|&(_, baskets)| baskets >= min_count.max(1))
            .map(|((item_a, item_b), baskets)| PairCount {
                item_a,
                item_b,
                baskets,
            })
            .collect();
        pairs.sort_unstable_by(|x, y| {
            y.baskets
                .cmp(&x.baskets)
                .then(x.item_a.cmp(&y.item_a))
                .then(x.item_b.cmp(&y.item_b))
        });
        pairs
    }

    /// The baskets' sizes, ascending.
    pub fn sorted_sizes(&self) -> Vec<u32> {
        let mut sizes: Vec<u32> = self.start.windows(2).map(|w| w[1] - w[0]).collect();
        sizes.sort_unstable();
        sizes
    }
}

/// The non-empty names in sorted order, and for each interned index its rank (`None` for `""`).
fn ranked_names(names: &Interned) -> (Vec<String>, Vec<Option<u32>>) {
    let mut order: Vec<u32> = (0..names.len() as u32)
        .filter(|&i| !names.get(i).is_empty())
        .collect();
    order.sort_unstable_by(|&a, &b| names.get(a).cmp(names.get(b)));
    let mut rank = vec![None; names.len()];
    let mut items = Vec::with_capacity(order.len());
    for (r, &i) in order.iter().enumerate() {
        if let Some(slot) = rank.get_mut(i as usize) {
            *slot = Some(r as u32);
        }
        items.push(names.get(i).to_string());
    }
    (items, rank)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Customer a: order 1 (milk, bread, a return of eggs), order 2 (milk); customer b: order 3
    /// (bread, an empty product), order 4 (a return only).
    pub(crate) fn dataset() -> Dataset {
        Dataset {
            customer_ids: Interned::from(vec!["a", "b"]),
            customer: vec![0, 0, 0, 0, 1, 1, 1],
            day: vec![1, 1, 1, 2, 1, 1, 3],
            amount: vec![2.0, 3.0, -1.0, 2.0, 3.0, 1.0, -3.0],
            order_hash: vec![1, 1, 1, 2, 3, 3, 4],
            product: vec![0, 1, 2, 0, 1, 3, 1].into(),
            products: Interned::from(vec!["milk", "bread", "eggs", ""]),
            is_exact_duplicate: vec![false; 7],
            ..Dataset::default()
        }
    }

    #[test]
    fn a_basket_is_a_purchase_order_of_its_non_negative_lines_items() {
        let d = dataset();
        let t =
            Transactions::from_lines(&d, RunLines::new(&d, 10, true), ItemLevel::Product).unwrap();
        assert_eq!(t.items, vec!["bread", "eggs", "milk"]);
        assert_eq!(t.len(), 3);
        assert_eq!(t.basket(0), &[0, 2]);
        assert_eq!(t.basket(1), &[2]);
        assert_eq!(t.basket(2), &[0]);
        assert_eq!(t.item_baskets, vec![2, 0, 2]);
        assert_eq!(t.item_revenue, vec![6.0, 0.0, 4.0]);
        assert_eq!(t.lines_without_item, 1);
        assert_eq!(t.sorted_sizes(), vec![1, 1, 2]);
        assert_eq!(
            t.pair_counts(1),
            vec![PairCount {
                item_a: 0,
                item_b: 2,
                baskets: 1
            }]
        );
        assert_eq!(t.pair_counts(2), vec![]);
        assert_eq!(
            Transactions::from_lines(&d, RunLines::new(&d, 10, true), ItemLevel::Category),
            Err(BasketError::NoItemColumn {
                level: ItemLevel::Category
            })
        );
    }
}
