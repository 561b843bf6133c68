//! Association rules from frequent itemsets, with mlxtend's metrics, Fisher's exact test and
//! Benjamini–Hochberg adjusted p-values.

use serde::{Deserialize, Serialize};

use super::{BasketError, BasketValidParams, Itemsets};
use crate::stats::{benjamini_hochberg, hypergeometric_upper_tail};

/// Most rules kept; past it, the analysis asks for a higher confidence or support.
pub const MAX_RULES: u64 = 1_000_000;

/// Antecedent ⇒ consequent, as counts (the metrics follow from them and the basket count).
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// Items on the left, ascending (name order).
    pub antecedent: Vec<u32>,
    /// Items on the right, ascending (name order).
    pub consequent: Vec<u32>,
    /// Baskets holding both sides.
    pub count: u32,
    /// Baskets holding the antecedent.
    pub antecedent_count: u32,
    /// Baskets holding the consequent.
    pub consequent_count: u32,
    /// Fisher's exact test, one-sided (a positive association), of the rule's 2×2 table.
    pub p_value: f64,
    /// `p_value` adjusted by Benjamini–Hochberg over every rule that passed the thresholds.
    pub p_value_adjusted: f64,
}

/// A rule's metrics, as mlxtend's `association_rules` defines them (supports are shares).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RuleMetrics {
    /// Share of baskets with the antecedent.
    pub antecedent_support: f64,
    /// Share of baskets with the consequent.
    pub consequent_support: f64,
    /// Share of baskets with both.
    pub support: f64,
    /// support / antecedent support.
    pub confidence: f64,
    /// confidence / consequent support.
    pub lift: f64,
    /// support − antecedent support × consequent support.
    pub leverage: f64,
    /// (1 − consequent support) / (1 − confidence); `None` (infinite) when confidence is 1.
    pub conviction: Option<f64>,
    /// Zhang's metric, in [−1, 1].
    pub zhangs_metric: f64,
    /// support / (antecedent support + consequent support − support).
    pub jaccard: f64,
    /// The mean of the two confidences.
    pub kulczynski: f64,
}

impl Rule {
    /// The metrics over `baskets` baskets.
    pub fn metrics(&self, baskets: usize) -> RuleMetrics {
        let n = baskets.max(1) as f64;
        let s_a = f64::from(self.antecedent_count) / n;
        let s_c = f64::from(self.consequent_count) / n;
        let s = f64::from(self.count) / n;
        let confidence = s / s_a;
        let leverage = s - s_a * s_c;
        let denominator = (s * (1.0 - s_a)).max(s_a * (s_c - s));
        RuleMetrics {
            antecedent_support: s_a,
            consequent_support: s_c,
            support: s,
            confidence,
            lift: confidence / s_c,
            leverage,
            conviction: (confidence < 1.0).then(|| (1.0 - s_c) / (1.0 - confidence)),
            zhangs_metric: if denominator == 0.0 {
                0.0
            } else {
                leverage / denominator
            },
            jaccard: s / (s_a + s_c - s),
            kulczynski: 0.5 * (s / s_a + s / s_c),
        }
    }
}

/// The rules of `itemsets` over `baskets` baskets that pass `params`' confidence and lift, with
/// their p-values, and how many of them the redundancy pruning dropped. Sorted by lift
/// (descending), count (descending), antecedent, consequent.
pub fn rules(
    itemsets: &Itemsets,
    baskets: usize,
    params: &BasketValidParams,
) -> Result<(Vec<Rule>, u64), BasketError> {
    let n = baskets.max(1) as f64;
    let mut out: Vec<Rule> = Vec::new();
    let (mut antecedent, mut consequent) = (Vec::new(), Vec::new());
    for s in 0..itemsets.len() {
        let items = itemsets.items(s);
        let len = items.len();
        if len < 2 {
            continue;
        }
        let count = itemsets.count(s);
        for mask in 1u32..((1u32 << len) - 1) {
            if mask.count_ones() as usize > params.max_consequent {
                continue;
            }
            antecedent.clear();
            consequent.clear();
            for (bit, &item) in items.iter().enumerate() {
                if mask & (1 << bit) != 0 {
                    consequent.push(item);
                } else {
                    antecedent.push(item);
                }
            }
            // Every subset of a frequent itemset is frequent.
            let (Some(count_a), Some(count_c)) = (
                itemsets.count_of(&antecedent),
                itemsets.count_of(&consequent),
            ) else {
                continue;
            };
            let (s_a, s_c, s_ac) = (
                f64::from(count_a) / n,
                f64::from(count_c) / n,
                f64::from(count) / n,
            );
            let confidence = s_ac / s_a;
            if confidence < params.min_confidence || confidence / s_c < params.min_lift {
                continue;
            }
            if out.len() as u64 >= MAX_RULES {
                return Err(BasketError::TooManyRules {
                    limit: MAX_RULES,
                    min_confidence: params.min_confidence,
                });
            }
            out.push(Rule {
                antecedent: antecedent.clone(),
                consequent: consequent.clone(),
                count,
                antecedent_count: count_a,
                consequent_count: count_c,
                p_value: hypergeometric_upper_tail(
                    u64::from(count),
                    u64::from(count_a),
                    u64::from(count_c),
                    baskets as u64,
                ),
                p_value_adjusted: 1.0,
            });
        }
    }
    let p: Vec<f64> = out.iter().map(|r| r.p_value).collect();
    for (rule, q) in out.iter_mut().zip(benjamini_hochberg(&p)) {
        rule.p_value_adjusted = q;
    }
    let before = out.len();
    if params.prune_redundant {
        out.retain(|rule| !is_redundant(rule, itemsets));
    }
    let pruned = (before - out.len()) as u64;
    out.sort_by(|a, b| {
        let (la, lb) = (lift(a, n), lift(b, n));
        lb.total_cmp(&la)
            .then(b.count.cmp(&a.count))
            .then_with(|| a.antecedent.cmp(&b.antecedent))
            .then_with(|| a.consequent.cmp(&b.consequent))
    });
    Ok((out, pruned))
}

fn lift(rule: &Rule, n: f64) -> f64 {
    (f64::from(rule.count) / f64::from(rule.antecedent_count))
        / (f64::from(rule.consequent_count) / n)
}

/// Whether a rule with a smaller (non-empty) antecedent and the same consequent has at least this
/// rule's confidence.
fn is_redundant(rule: &Rule, itemsets: &Itemsets) -> bool {
    let len = rule.antecedent.len();
    if len < 2 {
        return false;
    }
    let confidence = f64::from(rule.count) / f64::from(rule.antecedent_count);
    let mut general = Vec::with_capacity(len);
    let mut union = Vec::with_capacity(len + rule.consequent.len());
    for mask in 1u32..((1u32 << len) - 1) {
        general.clear();
        general.extend(
            rule.antecedent
                .iter()
                .enumerate()
                .filter(|(bit, _)| mask & (1 << bit) != 0)
                .map(|(_, &i)| i),
        );
        union.clear();
        union.extend_from_slice(&general);
        union.extend_from_slice(&rule.consequent);
        union.sort_unstable();
        if let (Some(both), Some(left)) = (itemsets.count_of(&union), itemsets.count_of(&general)) {
            if f64::from(both) / f64::from(left) >= confidence {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::baskets::{itemsets::mine, BasketParams, MinSupport};

    #[test]
    fn metrics_follow_mlxtend_on_a_hand_computed_rule() {
        // 10 baskets, A in 4, C in 5, both in 3.
        let rule = Rule {
            antecedent: vec![0],
            consequent: vec![1],
            count: 3,
            antecedent_count: 4,
            consequent_count: 5,
            p_value: 0.0,
            p_value_adjusted: 0.0,
        };
        let m = rule.metrics(10);
        assert!((m.confidence - 0.75).abs() < 1e-12);
        assert!((m.lift - 1.5).abs() < 1e-12);
        assert!((m.leverage - 0.1).abs() < 1e-12);
        assert!((m.conviction.unwrap() - 2.0).abs() < 1e-12);
        // max(0.3 * 0.6, 0.4 * 0.2) = 0.18; 0.1 / 0.18
        assert!((m.zhangs_metric - 0.1 / 0.18).abs() < 1e-12);
        assert!((m.jaccard - 0.5).abs() < 1e-12);
        assert!((m.kulczynski - 0.5 * (0.75 + 0.6)).abs() < 1e-12);
    }

    #[test]
    fn pruning_drops_a_rule_a_smaller_antecedent_explains() {
        // c always comes with a: {a, b} ⇒ c is no better than a ⇒ c.
        let t = crate::baskets::itemsets::tests_support::transactions(&[
            &[0, 1, 2],
            &[0, 2],
            &[0, 1, 2],
            &[1],
            &[1, 3],
        ]);
        let sets = mine(&t, 1, 3, 1000).unwrap();
        let mut p = BasketParams::new();
        p.min_support = MinSupport::Count(1);
        p.min_confidence = 0.9;
        p.max_length = 3;
        let (all, _) = rules(&sets, t.len(), &p.check().unwrap()).unwrap();
        assert!(all
            .iter()
            .any(|r| r.antecedent == [0, 1] && r.consequent == [2]));
        p.prune_redundant = true;
        let (kept, pruned) = rules(&sets, t.len(), &p.check().unwrap()).unwrap();
        assert!(!kept
            .iter()
            .any(|r| r.antecedent == [0, 1] && r.consequent == [2]));
        assert!(kept
            .iter()
            .any(|r| r.antecedent == [0] && r.consequent == [2]));
        assert!(pruned >= 1);
        // Sorted by lift, descending.
        let n = t.len() as f64;
        assert!(kept.windows(2).all(|w| lift(&w[0], n) >= lift(&w[1], n)));
    }
}
