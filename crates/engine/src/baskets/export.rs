//! The basket exports, written once into a [`TableSink`] (CSV and `.xlsx` from the same rows).

use serde::{Deserialize, Serialize};

use super::{BasketAnalysis, GroupBy, Preferences, Recommender, Transactions};
use crate::table_out::TableSink;
use crate::Dataset;

/// Items in one cell are joined by this.
pub const ITEM_JOIN: &str = " & ";

/// The header of the rules export.
pub const RULES_HEADER: [&str; 15] = [
    "antecedent",
    "consequent",
    "antecedent_support",
    "consequent_support",
    "count",
    "support",
    "confidence",
    "lift",
    "leverage",
    "conviction",
    "p_value",
    "p_value_adjusted",
    "zhangs_metric",
    "jaccard",
    "kulczynski",
];

/// The header of the item-pair export ([`Transactions::export_pairs`]), the warehouse pair
/// query's columns.
pub const PAIRS_HEADER: [&str; 6] = [
    "item_a",
    "item_b",
    "baskets",
    "item_a_baskets",
    "item_b_baskets",
    "total_baskets",
];

impl Transactions {
    /// One row per pair of items bought together in at least `min_count` baskets
    /// ([`Transactions::pair_counts`], in its order), with the baskets holding each item and
    /// every basket. Returns the rows written.
    pub fn export_pairs(&self, min_count: u32, sink: &mut dyn TableSink) -> u64 {
        sink.header(&PAIRS_HEADER);
        let name = |i: u32| self.items.get(i as usize).map_or("", String::as_str);
        let baskets_of =
            |i: u32| i64::from(self.item_baskets.get(i as usize).copied().unwrap_or(0));
        let pairs = self.pair_counts(min_count);
        for pair in &pairs {
            sink.text(name(pair.item_a));
            sink.text(name(pair.item_b));
            sink.integer(i64::from(pair.baskets));
            sink.integer(baskets_of(pair.item_a));
            sink.integer(baskets_of(pair.item_b));
            sink.integer(self.len() as i64);
            sink.end_row();
        }
        pairs.len() as u64
    }
}

impl BasketAnalysis {
    /// One row per rule, in the analysis's order; conviction is `inf` when confidence is 1.
    /// Returns the rows written.
    pub fn export_rules(&self, items: &[String], sink: &mut dyn TableSink) -> u64 {
        sink.header(&RULES_HEADER);
        let join = |side: &[u32]| {
            side.iter()
                .map(|&i| items.get(i as usize).map_or("", String::as_str))
                .collect::<Vec<_>>()
                .join(ITEM_JOIN)
        };
        for rule in &self.rules {
            let m = rule.metrics(self.baskets);
            sink.text(&join(&rule.antecedent));
            sink.text(&join(&rule.consequent));
            sink.real(m.antecedent_support);
            sink.real(m.consequent_support);
            sink.integer(i64::from(rule.count));
            sink.real(m.support);
            sink.real(m.confidence);
            sink.real(m.lift);
            sink.real(m.leverage);
            match m.conviction {
                Some(c) => sink.real(c),
                None => sink.text("inf"),
            }
            sink.real(rule.p_value);
            sink.real(rule.p_value_adjusted);
            sink.real(m.zhangs_metric);
            sink.real(m.jaccard);
            sink.real(m.kulczynski);
            sink.end_row();
        }
        self.rules.len() as u64
    }
}

/// The words of a recommendation's reason, in the user's language: `together` with `{item}` and
/// `{customers}` in it, `popular` for a fill from the most popular items.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReasonWords {
    /// E.g. "bought together with {item} by {customers} customers".
    pub together: String,
    /// E.g. "popular with all customers".
    pub popular: String,
}

/// The header of the recommendations export.
pub const RECOMMENDATIONS_HEADER: [&str; 7] = [
    "customer_id",
    "rank",
    "item",
    "score",
    "reason",
    "because_of",
    "customers_together",
];

impl Recommender {
    /// One row per customer and rank (customers in id order). Returns the rows written.
    pub fn export(
        &self,
        t: &Transactions,
        dataset: &Dataset,
        words: &ReasonWords,
        sink: &mut dyn TableSink,
    ) -> u64 {
        sink.header(&RECOMMENDATIONS_HEADER);
        let name = |i: u32| t.items.get(i as usize).map_or("", String::as_str);
        let ids = &dataset.customer_ids;
        let mut order: Vec<u32> = (0..ids.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| ids.get(a).cmp(ids.get(b)));
        let mut rows = 0u64;
        self.for_customers(order, |c, recs| {
            for (rank, r) in recs.iter().enumerate() {
                sink.text(ids.get(c));
                sink.integer(rank as i64 + 1);
                sink.text(name(r.item));
                sink.real(r.score);
                match r.because {
                    Some((item, together)) => {
                        sink.text(
                            &words
                                .together
                                .replace("{item}", name(item))
                                .replace("{customers}", &together.to_string()),
                        );
                        sink.text(name(item));
                        sink.integer(i64::from(together));
                    }
                    None => {
                        sink.text(&words.popular);
                        sink.empty();
                        sink.empty();
                    }
                }
                sink.end_row();
                rows += 1;
            }
        });
        rows
    }
}

impl Preferences {
    /// One row per group × item (groups and items by name). Returns the rows written.
    pub fn export(&self, t: &Transactions, sink: &mut dyn TableSink) -> u64 {
        let group_header = match self.by {
            GroupBy::Region => "region",
            GroupBy::Channel => "channel",
        };
        sink.header(&[
            group_header,
            "item",
            "baskets",
            "group_baskets",
            "item_baskets",
            "index",
            "p_value",
            "p_value_adjusted",
            "min_expected",
        ]);
        for cell in &self.cells {
            let group = self.groups.get(cell.group as usize);
            sink.text(group.map_or("", |g| g.name.as_str()));
            sink.text(t.items.get(cell.item as usize).map_or("", String::as_str));
            sink.integer(cell.baskets as i64);
            sink.integer(group.map_or(0, |g| g.baskets) as i64);
            sink.integer(
                self.item_baskets
                    .get(cell.item as usize)
                    .copied()
                    .unwrap_or(0) as i64,
            );
            sink.real(cell.index);
            sink.real(cell.p_value);
            sink.real(cell.p_value_adjusted);
            sink.real(cell.min_expected);
            sink.end_row();
        }
        self.cells.len() as u64
    }
}
