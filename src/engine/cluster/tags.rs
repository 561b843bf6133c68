//! Per-customer tags (打标签) and the tag filter of the customer table. SKELETON.

use serde::{Deserialize, Serialize};

use super::ClusterAnalysis;
use crate::engine::clv::{ChurnRisk, ClvAnalysis};
use crate::engine::rfm::{Analysis, Segment};
use crate::engine::Dataset;

/// Value tier by net revenue rank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ValueTier {
    /// The top 20 % of customers by revenue.
    Top,
    /// The next 30 %.
    Middle,
    /// The bottom 50 %.
    Low,
}

/// Purchase-cycle band from the mean days between orders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PurchaseCycle {
    /// Every 35 days or less.
    Monthly,
    /// 36–100 days.
    Quarterly,
    /// 101–400 days.
    Yearly,
    /// More than 400 days.
    Rare,
    /// One order so far.
    OneTime,
}

/// The kinds of tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TagKind {
    /// [`ValueTier`].
    ValueTier,
    /// RFM segment.
    RfmSegment,
    /// Cluster segment (needs a segmentation run).
    Cluster,
    /// Churn-risk band (needs a prediction run).
    ChurnRisk,
    /// Category (or product) with the largest share of the customer's spend.
    PreferredCategory,
    /// Region the customer spent most in.
    Region,
    /// Channel the customer spent most in.
    Channel,
    /// [`PurchaseCycle`].
    PurchaseCycle,
}

/// Keep customers whose tag of `kind` is one of `values` (filters combine with AND, values
/// with OR). Values are the `Debug` names for enums (`Top`, `Champions`, `High`, `Monthly`), the
/// segment number for clusters, the text for categories, regions and channels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TagFilter {
    /// The tag.
    pub kind: TagKind,
    /// Accepted values.
    pub values: Vec<String>,
}

/// One customer's tags.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerTags {
    /// Value tier.
    pub value_tier: ValueTier,
    /// RFM segment.
    pub rfm_segment: Segment,
    /// Cluster segment.
    pub cluster: Option<u32>,
    /// Churn-risk band.
    pub churn_risk: Option<ChurnRisk>,
    /// Preferred category.
    pub preferred_category: Option<String>,
    /// Main region.
    pub region: Option<String>,
    /// Main channel.
    pub channel: Option<String>,
    /// Purchase-cycle band.
    pub purchase_cycle: PurchaseCycle,
}

/// Tags of every scored customer, indexed by customer index.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TagTable {}

impl TagTable {
    /// Computes the tags.
    pub fn build(
        dataset: &Dataset,
        rfm: &Analysis,
        clv: Option<&ClvAnalysis>,
        cluster: Option<&ClusterAnalysis>,
    ) -> Self {
        let _ = (dataset, rfm, clv, cluster);
        todo!()
    }

    /// The tags of customer index `customer`, if scored.
    pub fn tags(&self, customer: u32) -> Option<CustomerTags> {
        let _ = customer;
        todo!()
    }

    /// Whether customer index `customer` passes every filter.
    pub fn matches(&self, customer: u32, filters: &[TagFilter]) -> bool {
        let _ = (customer, filters);
        todo!()
    }
}
