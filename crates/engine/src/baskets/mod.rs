//! Baskets: what sells together (association rules), what to offer each customer next
//! (cross-sell recommendations) and what each region or channel prefers.
//!
//! A basket is a purchase order of the lines an RFM run used ([`crate::lines`]): the order id, or
//! a customer's lines on one day when the file has none. Its items are the distinct products (or
//! categories) of its lines with a non-negative amount; a return line adds no item, and an order
//! that is not a purchase is no basket.
//!
//! - [`params`]: [`BasketParams`] → `check` → [`BasketValidParams`]; [`RecommendParams`],
//!   [`RegionParams`].
//! - [`transactions`]: [`Transactions`], the baskets in compressed rows.
//! - [`itemsets`]: frequent itemsets by occurrence delivery, with an explosion guard.
//! - [`rules`]: rules with mlxtend's metrics, Fisher's exact test, Benjamini–Hochberg, pruning.
//! - [`recommend`]: item-to-item collaborative filtering and its evaluation on hidden baskets.
//! - [`regions`]: group × item preference indexes with χ² tests.
//! - [`analysis`]: [`BasketAnalysis::run`]; [`report`]: what the page and the CLI show.

pub mod analysis;
mod errors;
pub mod export;
pub mod itemsets;
mod params;
pub mod recommend;
pub mod regions;
pub mod report;
pub mod rules;
pub mod transactions;

pub use analysis::BasketAnalysis;
pub use errors::BasketError;
pub use export::{ReasonWords, ITEM_JOIN, PAIRS_HEADER, RULES_HEADER};
pub use itemsets::Itemsets;
pub use params::{
    BasketParams, BasketValidParams, GroupBy, ItemLevel, MinSupport, RecommendParams, RegionParams,
    MAX_K, MAX_LENGTH,
};
pub use recommend::{Evaluation, MethodScores, Recommendation, Recommender};
pub use regions::{PreferenceCell, Preferences};
pub use report::{
    BasketReport, BasketSummary, BasketTimings, BasketWarning, RecommendReport, RegionReport,
    RulePage, RuleQuery, RuleRow, RuleSort,
};
pub use rules::{Rule, RuleMetrics};
pub use transactions::{PairCount, Transactions};
