//! Basket errors, each saying what is wrong and where; the catalog words them.

use serde::{Deserialize, Serialize};

use super::{GroupBy, ItemLevel};

/// Why a basket analysis could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum BasketError {
    /// A setting is out of range.
    #[error("setting {name} is out of range: {value}")]
    InvalidSetting {
        /// Setting name.
        name: String,
        /// The rejected value, as text.
        value: String,
    },
    /// The file has no column for this item level (no product, or no category, column).
    #[error("the file has no {} column", level.key())]
    NoItemColumn {
        /// The level asked for.
        level: ItemLevel,
    },
    /// Fewer than two baskets hold an item.
    #[error("{baskets} basket(s) with items: at least 2 are needed")]
    TooFewBaskets {
        /// Baskets with at least one item.
        baskets: u64,
    },
    /// Every basket holds one item, so nothing is bought together.
    #[error("every one of the {baskets} baskets holds a single item")]
    AllSingleItem {
        /// Baskets.
        baskets: u64,
    },
    /// The settings would produce more itemsets than the analysis holds.
    #[error("support {min_support} would give more than {limit} itemsets (at least {found} found); try {suggested_support:?}")]
    TooManyItemsets {
        /// The support asked for, as a share of the baskets.
        min_support: f64,
        /// The minimum basket count it meant.
        min_count: u32,
        /// The itemsets found before mining stopped (a lower bound).
        found: u64,
        /// The most itemsets kept.
        limit: u64,
        /// An upper bound on the itemset count at this support, from the basket sizes.
        estimate: f64,
        /// A support (share) that stays within the limit; `None` when none does at this
        /// itemset length (the baskets hold too many items together: fewer items per set are
        /// needed).
        suggested_support: Option<f64>,
    },
    /// More rules than the analysis holds.
    #[error("more than {limit} rules at confidence {min_confidence}")]
    TooManyRules {
        /// The most rules kept.
        limit: u64,
        /// The confidence asked for.
        min_confidence: f64,
    },
    /// No frequent pair: the support is above every pair's.
    #[error("no two items reach support {min_support}")]
    NoFrequentPairs {
        /// The support asked for, as a share.
        min_support: f64,
        /// The highest pair support in the data, as a share (0 when no basket has two items).
        best_pair_support: f64,
    },
    /// The file has no region (or channel) column.
    #[error("the file has no {} column", by.key())]
    NoGroupColumn {
        /// Region or channel.
        by: GroupBy,
    },
    /// The region (or channel) column has a single value, so there is nothing to compare.
    #[error("the {} column has one value: {value}", by.key())]
    OneGroup {
        /// Region or channel.
        by: GroupBy,
        /// Its only value.
        value: String,
    },
    /// Too many group × item cells to compare (e.g. a "region" column of store codes).
    #[error("{groups} {} values × {items} items is more than {limit} cells", by.key())]
    TooManyCells {
        /// Region or channel.
        by: GroupBy,
        /// Distinct values of the column.
        groups: u64,
        /// Distinct items.
        items: u64,
        /// The most cells compared.
        limit: u64,
    },
    /// Too few customers with two baskets to evaluate recommendations.
    #[error("no customer has two baskets with a new item, so recommendations cannot be evaluated")]
    NothingToEvaluate,
}
