//! What the user chooses for the basket analyses. Defaults are listed on each `new`.

use serde::{Deserialize, Serialize};

use super::BasketError;

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum ItemLevel {
    /// The product column.
    #[default]
    Product,
    /// The category column.
    Category,
}

impl ItemLevel {
    /// Stable name (CLI `--level`, JSON).
    pub fn key(self) -> &'static str {
        match self {
            Self::Product => "product",
            Self::Category => "category",
        }
    }
}

/// Minimum support: a share of the baskets or a basket count.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub enum MinSupport {
    /// A share of the baskets, in (0, 1].
    Share(f64),
    /// A number of baskets, at least 1.
    Count(u64),
}

/// Itemset and rule settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BasketParams {
    /// What an item is.
    pub level: ItemLevel,
    /// Minimum support of an itemset.
    pub min_support: MinSupport,
    /// Minimum confidence of a rule, in [0, 1].
    pub min_confidence: f64,
    /// Minimum lift of a rule, ≥ 0.
    pub min_lift: f64,
    /// Most items in an itemset (2..=[`MAX_LENGTH`]).
    pub max_length: usize,
    /// Most items on a rule's right-hand side (1..max_length).
    pub max_consequent: usize,
    /// Drop a rule when a rule with a smaller antecedent and the same consequent has at least its
    /// confidence.
    pub prune_redundant: bool,
}

/// The longest itemset mined (rules index consequents with a 16-bit mask).
pub const MAX_LENGTH: usize = 10;

impl Default for BasketParams {
    fn default() -> Self {
        Self::new()
    }
}

impl BasketParams {
    /// Products, support 1 %, confidence 10 %, lift 0 (any), itemsets of up to 4 items,
    /// one-item consequents, no pruning.
    pub fn new() -> Self {
        Self {
            level: ItemLevel::Product,
            min_support: MinSupport::Share(0.01),
            min_confidence: 0.1,
            min_lift: 0.0,
            max_length: 4,
            max_consequent: 1,
            prune_redundant: false,
        }
    }

    /// Checks every setting; the error names the first one out of range.
    pub fn check(&self) -> Result<BasketValidParams, BasketError> {
        let invalid = |name: &str, value: String| BasketError::InvalidSetting {
            name: name.to_string(),
            value,
        };
        match self.min_support {
            MinSupport::Share(s) if !(s > 0.0 && s <= 1.0) => {
                return Err(invalid("min_support", s.to_string()))
            }
            MinSupport::Count(0) => return Err(invalid("min_support", "0".to_string())),
            _ => {}
        }
        if !(0.0..=1.0).contains(&self.min_confidence) {
            return Err(invalid("min_confidence", self.min_confidence.to_string()));
        }
        if !(self.min_lift >= 0.0 && self.min_lift.is_finite()) {
            return Err(invalid("min_lift", self.min_lift.to_string()));
        }
        if !(2..=MAX_LENGTH).contains(&self.max_length) {
            return Err(invalid("max_length", self.max_length.to_string()));
        }
        if self.max_consequent == 0 || self.max_consequent >= self.max_length {
            return Err(invalid("max_consequent", self.max_consequent.to_string()));
        }
        Ok(BasketValidParams(self.clone()))
    }
}

/// Checked [`BasketParams`].
#[derive(Debug, Clone, PartialEq)]
pub struct BasketValidParams(BasketParams);

impl std::ops::Deref for BasketValidParams {
    type Target = BasketParams;
    fn deref(&self) -> &BasketParams {
        &self.0
    }
}

impl BasketValidParams {
    /// The minimum basket count for `baskets` baskets (a share is rounded up, as mlxtend's
    /// `support >= min_support` on `count / baskets` does).
    pub fn min_count(&self, baskets: usize) -> u32 {
        match self.min_support {
            MinSupport::Count(c) => u32::try_from(c).unwrap_or(u32::MAX),
            MinSupport::Share(s) => {
                let exact = s * baskets as f64;
                // Guard against 0.3 * 10 = 3.0000000000000004 asking for 4 baskets.
                let rounded = exact.round();
                let count = if (exact - rounded).abs() < 1e-9 * exact.max(1.0) {
                    rounded
                } else {
                    exact.ceil()
                };
                (count as u32).max(1)
            }
        }
    }
}

/// Cross-sell recommendation settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecommendParams {
    /// What an item is.
    pub level: ItemLevel,
    /// Recommendations per customer (1..=[`MAX_K`]).
    pub k: usize,
    /// Neighbours kept per item (1..=500).
    pub neighbours: usize,
    /// Recommend items the customer already bought (consumables).
    pub repeat_purchases: bool,
    /// Hide each customer's last basket and score the recommendations against it.
    pub evaluate: bool,
}

/// Most recommendations per customer.
pub const MAX_K: usize = 50;

impl Default for RecommendParams {
    fn default() -> Self {
        Self::new()
    }
}

impl RecommendParams {
    /// Products, 10 per customer, 50 neighbours per item, no repeats, with the evaluation.
    pub fn new() -> Self {
        Self {
            level: ItemLevel::Product,
            k: 10,
            neighbours: 50,
            repeat_purchases: false,
            evaluate: true,
        }
    }

    /// Checks every setting.
    pub fn check(&self) -> Result<&Self, BasketError> {
        if !(1..=MAX_K).contains(&self.k) {
            return Err(BasketError::InvalidSetting {
                name: "k".into(),
                value: self.k.to_string(),
            });
        }
        if !(1..=500).contains(&self.neighbours) {
            return Err(BasketError::InvalidSetting {
                name: "neighbours".into(),
                value: self.neighbours.to_string(),
            });
        }
        Ok(self)
    }
}

/// The column whose values are compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum GroupBy {
    /// The region column.
    #[default]
    Region,
    /// The channel column.
    Channel,
}

impl GroupBy {
    /// Stable name (CLI `--by`, JSON).
    pub fn key(self) -> &'static str {
        match self {
            Self::Region => "region",
            Self::Channel => "channel",
        }
    }
}

/// Regional (or channel) preference settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct RegionParams {
    /// What an item is.
    pub level: ItemLevel,
    /// Region or channel.
    pub by: GroupBy,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_becomes_the_smallest_count_that_reaches_it() {
        let mut p = BasketParams::new();
        p.min_support = MinSupport::Share(0.3);
        assert_eq!(p.check().unwrap().min_count(10), 3);
        p.min_support = MinSupport::Share(0.31);
        assert_eq!(p.check().unwrap().min_count(10), 4);
        p.min_support = MinSupport::Share(0.0001);
        assert_eq!(p.check().unwrap().min_count(10), 1);
    }

    #[test]
    fn out_of_range_settings_are_named() {
        let mut p = BasketParams::new();
        p.min_support = MinSupport::Share(1.5);
        assert!(
            matches!(p.check(), Err(BasketError::InvalidSetting { name, .. }) if name == "min_support")
        );
        let mut p = BasketParams::new();
        p.max_consequent = 4;
        assert!(
            matches!(p.check(), Err(BasketError::InvalidSetting { name, .. }) if name == "max_consequent")
        );
        let mut p = BasketParams::new();
        p.min_confidence = f64::NAN;
        assert!(p.check().is_err());
    }
}
