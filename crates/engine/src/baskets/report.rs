//! What the Baskets page and the CLI show: bounded, chart-ready, sorted, finite numbers only.

use serde::{Deserialize, Serialize};

use super::{
    Evaluation, GroupBy, ItemLevel, Itemsets, Preferences, Recommender, Rule, RuleMetrics,
    Transactions,
};
use crate::stats::quantile_sorted;

/// Items in the top lists and the heatmaps.
pub const TOP_ITEMS: usize = 20;
/// Rules drawn in the scatter.
pub const SCATTER_RULES: usize = 2000;
/// Distinct items above which the page suggests the category level.
pub const MANY_ITEMS: usize = 10_000;

/// One item's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemStat {
    /// Its name.
    pub name: String,
    /// Baskets holding it.
    pub baskets: u64,
    /// Their share of all baskets.
    pub support: f64,
    /// Its sales (non-negative lines).
    pub revenue: f64,
}

/// The baskets before any mining.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BasketSummary {
    /// What an item is.
    pub level: ItemLevel,
    /// Baskets with at least one item.
    pub baskets: u64,
    /// Distinct items bought.
    pub items: u64,
    /// Customers with a basket.
    pub customers: u64,
    /// Mean items per basket.
    pub mean_size: f64,
    /// Median items per basket.
    pub median_size: f64,
    /// Share of baskets holding one item.
    pub single_item_share: f64,
    /// Purchase lines without an item (an empty cell), left out.
    pub lines_without_item: u64,
    /// The most frequent items ([`TOP_ITEMS`]), by baskets, then name.
    pub top_by_baskets: Vec<ItemStat>,
    /// The best-selling items ([`TOP_ITEMS`]), by revenue, then name.
    pub top_by_revenue: Vec<ItemStat>,
}

impl BasketSummary {
    /// The summary of `t`.
    pub fn of(t: &Transactions) -> Self {
        let n = t.len();
        let sizes = t.sorted_sizes();
        let sizes_f: Vec<f64> = sizes.iter().map(|&s| f64::from(s)).collect();
        let stat = |i: usize| ItemStat {
            name: t.items.get(i).cloned().unwrap_or_default(),
            baskets: u64::from(t.item_baskets.get(i).copied().unwrap_or(0)),
            support: f64::from(t.item_baskets.get(i).copied().unwrap_or(0)) / n.max(1) as f64,
            revenue: t.item_revenue.get(i).copied().unwrap_or(0.0),
        };
        let bought: Vec<usize> = (0..t.items.len())
            .filter(|&i| t.item_baskets.get(i).is_some_and(|&c| c > 0))
            .collect();
        let mut by_baskets = bought.clone();
        by_baskets.sort_by_key(|&i| {
            (
                std::cmp::Reverse(t.item_baskets.get(i).copied().unwrap_or(0)),
                i,
            )
        });
        let mut by_revenue = bought.clone();
        by_revenue.sort_by(|&a, &b| {
            let (ra, rb) = (
                t.item_revenue.get(a).copied().unwrap_or(0.0),
                t.item_revenue.get(b).copied().unwrap_or(0.0),
            );
            rb.total_cmp(&ra).then(a.cmp(&b))
        });
        let mut customers: Vec<u32> = t.customer.clone();
        customers.dedup();
        Self {
            level: t.level,
            baskets: n as u64,
            items: bought.len() as u64,
            customers: customers.len() as u64,
            mean_size: if n == 0 {
                0.0
            } else {
                t.item_occurrences() as f64 / n as f64
            },
            median_size: quantile_sorted(&sizes_f, 0.5).unwrap_or(0.0),
            single_item_share: if n == 0 {
                0.0
            } else {
                sizes.iter().filter(|&&s| s == 1).count() as f64 / n as f64
            },
            lines_without_item: t.lines_without_item,
            top_by_baskets: by_baskets.into_iter().take(TOP_ITEMS).map(stat).collect(),
            top_by_revenue: by_revenue.into_iter().take(TOP_ITEMS).map(stat).collect(),
        }
    }
}

/// One rule in the scatter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ScatterPoint {
    /// Support (share).
    pub support: f64,
    /// Confidence.
    pub confidence: f64,
    /// Lift.
    pub lift: f64,
}

/// Lift between the most frequent items.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct LiftHeatmap {
    /// The items ([`TOP_ITEMS`] most frequent), rows and columns.
    pub items: Vec<String>,
    /// `lift[r][c]` between items `r` and `c`; `None` on the diagonal.
    pub lift: Vec<Vec<Option<f64>>>,
    /// Baskets holding both.
    pub together: Vec<Vec<u64>>,
}

impl LiftHeatmap {
    fn of(t: &Transactions, top: &[usize]) -> Self {
        let n = t.len().max(1) as f64;
        let k = top.len();
        let mut slot = vec![usize::MAX; t.items.len()];
        for (s, &i) in top.iter().enumerate() {
            if let Some(x) = slot.get_mut(i) {
                *x = s;
            }
        }
        let mut together = vec![vec![0u64; k]; k];
        let mut here = Vec::new();
        for b in 0..t.len() {
            here.clear();
            here.extend(
                t.basket(b)
                    .iter()
                    .filter_map(|&i| slot.get(i as usize).copied().filter(|&s| s != usize::MAX)),
            );
            for &x in &here {
                for &y in &here {
                    if x != y {
                        if let Some(cell) = together.get_mut(x).and_then(|r| r.get_mut(y)) {
                            *cell += 1;
                        }
                    }
                }
            }
        }
        let count = |i: usize| {
            f64::from(
                top.get(i)
                    .and_then(|&it| t.item_baskets.get(it))
                    .copied()
                    .unwrap_or(0),
            )
        };
        let lift = (0..k)
            .map(|r| {
                (0..k)
                    .map(|c| {
                        (r != c).then(|| {
                            let both = together
                                .get(r)
                                .and_then(|row| row.get(c))
                                .copied()
                                .unwrap_or(0) as f64;
                            both * n / (count(r) * count(c)).max(1.0)
                        })
                    })
                    .collect()
            })
            .collect();
        Self {
            items: top
                .iter()
                .map(|&i| t.items.get(i).cloned().unwrap_or_default())
                .collect(),
            lift,
            together,
        }
    }
}

/// Something the user should know about a run that still finished.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum BasketWarning {
    /// Very many distinct items: few reach any support; the category level may say more.
    ManyItems {
        /// Distinct items bought.
        items: u64,
        /// Items reaching the support.
        frequent: u64,
        /// Whether the file has a category column to try.
        has_categories: bool,
    },
    /// Most baskets hold one item, so few baskets inform the rules.
    MostlySingleItem {
        /// Share of single-item baskets.
        share: f64,
    },
    /// No rule passed the thresholds.
    NoRules,
}

/// Milliseconds per stage.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, Default)]
pub struct BasketTimings {
    /// Building the baskets from the lines.
    pub baskets_ms: f64,
    /// Mining the itemsets.
    pub mine_ms: f64,
    /// Rules, metrics and p-values.
    pub rules_ms: f64,
}

/// The rules run, for the page and the CLI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BasketReport {
    /// The baskets.
    pub summary: BasketSummary,
    /// The support used, as a share.
    pub min_support: f64,
    /// The minimum basket count it meant.
    pub min_count: u32,
    /// Frequent itemsets found.
    pub itemsets: u64,
    /// Itemsets per length (index 0 = one item).
    pub itemsets_by_length: Vec<u64>,
    /// Rules kept.
    pub rules: u64,
    /// Rules dropped as redundant.
    pub rules_pruned: u64,
    /// Rules kept with an adjusted p-value below 0.05.
    pub rules_significant: u64,
    /// The first [`SCATTER_RULES`] rules in rule order.
    pub scatter: Vec<ScatterPoint>,
    /// Lift between the most frequent items.
    pub heatmap: LiftHeatmap,
    /// What the user should know.
    pub warnings: Vec<BasketWarning>,
    /// Time per stage.
    pub timings: BasketTimings,
}

impl BasketReport {
    pub(crate) fn new(
        t: &Transactions,
        itemsets: &Itemsets,
        rules: &[Rule],
        pruned: u64,
        min_count: u32,
        timings: BasketTimings,
        has_categories: bool,
    ) -> Self {
        let summary = BasketSummary::of(t);
        let n = t.len();
        let frequent = itemsets.by_length().first().copied().unwrap_or(0);
        let mut warnings = Vec::new();
        if summary.items as usize > MANY_ITEMS {
            warnings.push(BasketWarning::ManyItems {
                items: summary.items,
                frequent,
                has_categories: has_categories && t.level == ItemLevel::Product,
            });
        }
        if summary.single_item_share > 0.8 {
            warnings.push(BasketWarning::MostlySingleItem {
                share: summary.single_item_share,
            });
        }
        if rules.is_empty() {
            warnings.push(BasketWarning::NoRules);
        }
        let top: Vec<usize> = summary
            .top_by_baskets
            .iter()
            .filter_map(|s| t.items.binary_search(&s.name).ok())
            .collect();
        Self {
            min_support: f64::from(min_count) / n.max(1) as f64,
            min_count,
            itemsets: itemsets.len() as u64,
            itemsets_by_length: itemsets.by_length(),
            rules: rules.len() as u64,
            rules_pruned: pruned,
            rules_significant: rules.iter().filter(|r| r.p_value_adjusted < 0.05).count() as u64,
            scatter: rules
                .iter()
                .take(SCATTER_RULES)
                .map(|r| {
                    let m = r.metrics(n);
                    ScatterPoint {
                        support: m.support,
                        confidence: m.confidence,
                        lift: m.lift,
                    }
                })
                .collect(),
            heatmap: LiftHeatmap::of(t, &top),
            warnings,
            timings,
            summary,
        }
    }
}

/// The column a rule table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum RuleSort {
    /// The analysis's order: lift, count, items.
    #[default]
    Lift,
    /// Confidence.
    Confidence,
    /// Support.
    Support,
    /// Leverage.
    Leverage,
    /// Conviction (infinite last when ascending, first when descending).
    Conviction,
    /// The adjusted p-value.
    PValue,
}

/// A page of the rule table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleQuery {
    /// Sort column.
    pub sort: RuleSort,
    /// Descending (ties keep the analysis's order).
    pub descending: bool,
    /// Only rules with this item on either side (exact name); empty = all.
    pub item: String,
    /// Only rules with an item containing this text (case-insensitive); empty = all.
    pub search: String,
    /// Only rules with an adjusted p-value below 0.05.
    pub significant_only: bool,
    /// First row.
    pub offset: usize,
    /// Rows.
    pub limit: usize,
}

impl Default for RuleQuery {
    fn default() -> Self {
        Self {
            sort: RuleSort::Lift,
            descending: true,
            item: String::new(),
            search: String::new(),
            significant_only: false,
            offset: 0,
            limit: 25,
        }
    }
}

/// One rule, named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleRow {
    /// Left-hand items.
    pub antecedent: Vec<String>,
    /// Right-hand items.
    pub consequent: Vec<String>,
    /// Baskets holding both sides.
    pub count: u64,
    /// The metrics.
    pub metrics: RuleMetrics,
    /// Fisher's exact test (one-sided).
    pub p_value: f64,
    /// Benjamini–Hochberg adjusted.
    pub p_value_adjusted: f64,
}

/// A page of rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RulePage {
    /// Rules matching the filters.
    pub total: u64,
    /// The first row's position.
    pub offset: usize,
    /// The rows.
    pub rows: Vec<RuleRow>,
}

/// The rows of `rules` the query keeps, in its order (indices into `rules`).
pub fn select_rules(
    rules: &[Rule],
    items: &[String],
    baskets: usize,
    query: &RuleQuery,
) -> Vec<usize> {
    let wanted = (!query.item.is_empty()).then(|| items.binary_search(&query.item).ok());
    let search = query.search.to_lowercase();
    let matches_search: Vec<bool> = if search.is_empty() {
        Vec::new()
    } else {
        items
            .iter()
            .map(|name| name.to_lowercase().contains(&search))
            .collect()
    };
    let mut rows: Vec<usize> = (0..rules.len())
        .filter(|&r| {
            let Some(rule) = rules.get(r) else {
                return false;
            };
            let sides = || rule.antecedent.iter().chain(&rule.consequent);
            let item_ok = match wanted {
                None => true,
                Some(None) => false,
                Some(Some(i)) => sides().any(|&x| x as usize == i),
            };
            let search_ok = matches_search.is_empty()
                || sides().any(|&x| matches_search.get(x as usize).copied().unwrap_or(false));
            item_ok && search_ok && (!query.significant_only || rule.p_value_adjusted < 0.05)
        })
        .collect();
    let key = |r: usize| -> f64 {
        let Some(rule) = rules.get(r) else { return 0.0 };
        let m = rule.metrics(baskets);
        match query.sort {
            RuleSort::Lift => m.lift,
            RuleSort::Confidence => m.confidence,
            RuleSort::Support => m.support,
            RuleSort::Leverage => m.leverage,
            RuleSort::Conviction => m.conviction.unwrap_or(f64::INFINITY),
            RuleSort::PValue => rule.p_value_adjusted,
        }
    };
    if !(query.sort == RuleSort::Lift && query.descending) {
        // Each key once (not twice per comparison).
        let mut keyed: Vec<(f64, usize)> = rows.iter().map(|&r| (key(r), r)).collect();
        keyed.sort_by(|a, b| {
            let o = a.0.total_cmp(&b.0);
            (if query.descending { o.reverse() } else { o }).then(a.1.cmp(&b.1))
        });
        rows = keyed.into_iter().map(|(_, r)| r).collect();
    }
    rows
}

/// A page of `rules` for `query`.
pub fn rule_page(rules: &[Rule], items: &[String], baskets: usize, query: &RuleQuery) -> RulePage {
    let rows = select_rules(rules, items, baskets, query);
    let name = |x: &u32| items.get(*x as usize).cloned().unwrap_or_default();
    RulePage {
        total: rows.len() as u64,
        offset: query.offset,
        rows: rows
            .iter()
            .skip(query.offset)
            .take(query.limit.min(500))
            .filter_map(|&r| rules.get(r))
            .map(|rule| RuleRow {
                antecedent: rule.antecedent.iter().map(name).collect(),
                consequent: rule.consequent.iter().map(name).collect(),
                count: u64::from(rule.count),
                metrics: rule.metrics(baskets),
                p_value: rule.p_value,
                p_value_adjusted: rule.p_value_adjusted,
            })
            .collect(),
    }
}

/// An item's most similar items (frequently bought together).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoughtTogether {
    /// The item.
    pub item: String,
    /// Customers who bought it.
    pub customers: u64,
    /// Up to 5 partners, most similar first.
    pub partners: Vec<Partner>,
}

/// A partner item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partner {
    /// Its name.
    pub item: String,
    /// Customers who bought both.
    pub together: u64,
    /// Cosine similarity.
    pub cosine: f64,
}

/// The recommendation run, for the page and the CLI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecommendReport {
    /// What an item is.
    pub level: ItemLevel,
    /// Recommendations per customer.
    pub k: usize,
    /// Customers with recommendations.
    pub customers: u64,
    /// Whether already-bought items may be recommended.
    pub repeat_purchases: bool,
    /// The evaluation on hidden last baskets, when asked for.
    pub evaluation: Option<Evaluation>,
    /// The evaluation was asked for, but no customer has a later basket with a new item.
    pub evaluation_unavailable: bool,
    /// Customers with so many distinct items that they were left out of the co-occurrence
    /// counts.
    pub heavy_customers: u64,
    /// "Frequently bought together" for the [`TOP_ITEMS`] items most customers bought.
    pub bought_together: Vec<BoughtTogether>,
    /// Milliseconds.
    pub elapsed_ms: f64,
}

impl RecommendReport {
    pub(crate) fn new(t: &Transactions, r: &Recommender, elapsed_ms: f64) -> Self {
        let m = &r.model;
        let mut items: Vec<u32> = (0..m.customers_with.len() as u32)
            .filter(|&i| m.customers_with.get(i as usize).is_some_and(|&n| n > 0))
            .collect();
        items.sort_by_key(|&i| {
            (
                std::cmp::Reverse(m.customers_with.get(i as usize).copied().unwrap_or(0)),
                i,
            )
        });
        let name = |i: u32| t.items.get(i as usize).cloned().unwrap_or_default();
        Self {
            level: t.level,
            k: r.params.k,
            customers: r.customers(),
            repeat_purchases: r.params.repeat_purchases,
            evaluation: r.evaluation.clone(),
            evaluation_unavailable: r.evaluation_unavailable,
            heavy_customers: r.heavy_customers,
            bought_together: items
                .into_iter()
                .take(TOP_ITEMS)
                .map(|i| BoughtTogether {
                    item: name(i),
                    customers: u64::from(m.customers_with.get(i as usize).copied().unwrap_or(0)),
                    partners: m
                        .neighbours(i)
                        .take(5)
                        .map(|(j, cosine, together)| Partner {
                            item: name(j),
                            together: u64::from(together),
                            cosine,
                        })
                        .collect(),
                })
                .collect(),
            elapsed_ms,
        }
    }
}

/// One group × item cell, named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PreferenceRow {
    /// The item.
    pub item: String,
    /// The group's baskets holding it.
    pub baskets: u64,
    /// 100 × share in the group / share in all baskets.
    pub index: f64,
    /// Adjusted p-value.
    pub p_value_adjusted: f64,
}

/// One group's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupPreferences {
    /// The group's name.
    pub name: String,
    /// Its baskets.
    pub baskets: u64,
    /// Items it over-indexes on (index > 100, adjusted p < 0.05, every expected count of the
    /// test's table at least 5), highest index first (at most 10).
    pub over_indexed: Vec<PreferenceRow>,
}

/// The regional (or channel) preferences, for the page and the CLI.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionReport {
    /// Region or channel.
    pub by: GroupBy,
    /// What an item is.
    pub level: ItemLevel,
    /// Baskets with a group.
    pub baskets: u64,
    /// Baskets without one.
    pub baskets_without_group: u64,
    /// Group × item cells tested.
    pub cells: u64,
    /// Cells with an adjusted p-value below 0.05 and every expected count at least 5.
    pub significant_cells: u64,
    /// Every group, by name.
    pub groups: Vec<GroupPreferences>,
    /// The heatmap columns: up to half of [`TOP_ITEMS`] from the groups' significant
    /// over-indexes (each group's strongest in turn), then the most frequent items.
    pub items: Vec<String>,
    /// `index[g][i]` of group `g` for item `i` of `items`.
    pub index: Vec<Vec<f64>>,
    /// Milliseconds.
    pub elapsed_ms: f64,
}

impl RegionReport {
    pub(crate) fn new(t: &Transactions, p: &Preferences, elapsed_ms: f64) -> Self {
        // Heatmap columns: each group's strongest significant over-indexes in turn (what sets
        // the groups apart), then the most frequent items, up to [`TOP_ITEMS`].
        let index_of = |g: u32, i: u32| {
            p.cells
                .binary_search_by_key(&(g, i), |c| (c.group, c.item))
                .ok()
                .and_then(|at| p.cells.get(at))
                .map_or(0.0, |c| c.index)
        };
        let mut by_group: Vec<Vec<u32>> = vec![Vec::new(); p.groups.len()];
        for c in p.cells.iter().filter(|c| c.is_over_index()) {
            if let Some(list) = by_group.get_mut(c.group as usize) {
                list.push(c.item);
            }
        }
        for (g, list) in by_group.iter_mut().enumerate() {
            list.sort_by(|&a, &b| {
                index_of(g as u32, b)
                    .total_cmp(&index_of(g as u32, a))
                    .then(a.cmp(&b))
            });
        }
        let mut top: Vec<u32> = Vec::new();
        for rank in 0..TOP_ITEMS {
            for list in &by_group {
                if let Some(&i) = list.get(rank) {
                    if top.len() < TOP_ITEMS / 2 && !top.contains(&i) {
                        top.push(i);
                    }
                }
            }
        }
        let mut frequent: Vec<u32> = (0..p.item_baskets.len() as u32)
            .filter(|&i| p.item_baskets.get(i as usize).is_some_and(|&n| n > 0))
            .collect();
        frequent.sort_by_key(|&i| {
            (
                std::cmp::Reverse(p.item_baskets.get(i as usize).copied().unwrap_or(0)),
                i,
            )
        });
        for i in frequent {
            if top.len() >= TOP_ITEMS {
                break;
            }
            if !top.contains(&i) {
                top.push(i);
            }
        }
        let name = |i: u32| t.items.get(i as usize).cloned().unwrap_or_default();
        let groups = p
            .groups
            .iter()
            .enumerate()
            .map(|(g, summary)| {
                // The cells are sorted by group: this group's are one slice.
                let from = p.cells.partition_point(|c| (c.group as usize) < g);
                let to = p.cells.partition_point(|c| (c.group as usize) <= g);
                let mut over: Vec<&super::PreferenceCell> = p
                    .cells
                    .get(from..to)
                    .unwrap_or_default()
                    .iter()
                    .filter(|c| c.is_over_index())
                    .collect();
                over.sort_by(|a, b| b.index.total_cmp(&a.index).then(a.item.cmp(&b.item)));
                GroupPreferences {
                    name: summary.name.clone(),
                    baskets: summary.baskets,
                    over_indexed: over
                        .into_iter()
                        .take(10)
                        .map(|c| PreferenceRow {
                            item: name(c.item),
                            baskets: c.baskets,
                            index: c.index,
                            p_value_adjusted: c.p_value_adjusted,
                        })
                        .collect(),
                }
            })
            .collect();
        let index = (0..p.groups.len())
            .map(|g| {
                top.iter()
                    .map(|&i| {
                        p.cells
                            .binary_search_by_key(&(g as u32, i), |c| (c.group, c.item))
                            .ok()
                            .and_then(|at| p.cells.get(at))
                            .map_or(0.0, |c| c.index)
                    })
                    .collect()
            })
            .collect();
        Self {
            by: p.by,
            level: t.level,
            baskets: p.baskets,
            baskets_without_group: p.baskets_without_group,
            cells: p.cells.len() as u64,
            significant_cells: p
                .cells
                .iter()
                .filter(|c| c.reliable() && c.p_value_adjusted < 0.05)
                .count() as u64,
            groups,
            items: top.iter().map(|&i| name(i)).collect(),
            index,
            elapsed_ms,
        }
    }
}
