//! What the user chooses: features, k, seed. Defaults are documented on each field.

use serde::{Deserialize, Serialize};

use super::{ClusterError, MAX_K, MIN_K};

/// A feature computed from the transactions (and, for the last two, the prediction run).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum BehaviourFeature {
    /// Days from the last order to the as-of day (RFM recency).
    RecencyDays,
    /// Orders with a positive net (RFM frequency).
    Frequency,
    /// Net revenue (RFM monetary).
    Monetary,
    /// `monetary / frequency`.
    AverageOrderValue,
    /// Days from the first order to the as-of day.
    TenureDays,
    /// Mean days between consecutive orders; customers with one order get the base median
    /// (imputed, counted in a warning).
    InterPurchaseDays,
    /// Share of the customer's spend per product category: one column per top category (at most
    /// [`super::features::MAX_CATEGORY_COLUMNS`], the rest as "other"). Categories are the
    /// products when the file has no category column. Needs a product column.
    CategoryShares,
    /// The region the customer spent most in (categorical, one-hot). Needs a region column.
    MainRegion,
    /// The channel the customer spent most in (categorical, one-hot). Needs a channel column.
    MainChannel,
    /// Discounted CLV from the prediction run. Needs predictions.
    Clv,
    /// Probability alive from the prediction run. Needs predictions.
    ProbabilityAlive,
}

impl BehaviourFeature {
    /// All, in the order the page lists them.
    pub const ALL: [BehaviourFeature; 11] = [
        Self::RecencyDays,
        Self::Frequency,
        Self::Monetary,
        Self::AverageOrderValue,
        Self::TenureDays,
        Self::InterPurchaseDays,
        Self::CategoryShares,
        Self::MainRegion,
        Self::MainChannel,
        Self::Clv,
        Self::ProbabilityAlive,
    ];

    /// Stable snake_case name (CLI `--features`, JSON, CSV headers).
    pub fn key(self) -> &'static str {
        match self {
            Self::RecencyDays => "recency_days",
            Self::Frequency => "frequency",
            Self::Monetary => "monetary",
            Self::AverageOrderValue => "average_order_value",
            Self::TenureDays => "tenure_days",
            Self::InterPurchaseDays => "inter_purchase_days",
            Self::CategoryShares => "category_shares",
            Self::MainRegion => "main_region",
            Self::MainChannel => "main_channel",
            Self::Clv => "clv",
            Self::ProbabilityAlive => "probability_alive",
        }
    }

    /// The inverse of [`Self::key`].
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.key() == key)
    }
}

/// One chosen input: a behavioural feature or a column of the attributes file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum FeatureKey {
    /// Computed from the transactions.
    Behaviour(BehaviourFeature),
    /// A column of the attributes file, by its header.
    Attribute(String),
}

impl FeatureKey {
    /// The CLI/JSON name: the behaviour key, or `attr:<header>`.
    pub fn name(&self) -> String {
        match self {
            Self::Behaviour(f) => f.key().to_string(),
            Self::Attribute(h) => format!("attr:{h}"),
        }
    }

    /// Parses [`Self::name`].
    pub fn parse(name: &str) -> Option<Self> {
        if let Some(h) = name.strip_prefix("attr:") {
            return (!h.is_empty()).then(|| Self::Attribute(h.to_string()));
        }
        BehaviourFeature::from_key(name).map(Self::Behaviour)
    }
}

/// How k is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KChoice {
    /// Run the sweep over `k_min..=k_max` and use its suggested k.
    Auto,
    /// Use this k (the sweep still runs when `sweep` is set, for the elbow chart).
    Fixed(usize),
}

/// Settings of one segmentation run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterSettings {
    /// The inputs. Default: recency, frequency, monetary.
    pub features: Vec<FeatureKey>,
    /// k. Default: [`KChoice::Auto`].
    pub k: KChoice,
    /// Run the sweep even with a fixed k (the elbow/silhouette chart). Default: true.
    pub sweep: bool,
    /// Smallest k of the sweep. Default 2.
    pub k_min: usize,
    /// Largest k of the sweep. Default 10.
    pub k_max: usize,
    /// Seeded k-means++ restarts per fit; the lowest inertia is kept. Default 10 (scikit-learn's
    /// classic `n_init`).
    pub restarts: usize,
    /// Seed of every random choice (seeding, samples, bootstrap). Default 42.
    pub seed: u64,
    /// Silhouettes are computed on a seeded sample of at most this many customers. Default 10 000.
    pub silhouette_sample: usize,
    /// Bootstrap resamples for stability; 0 = skip. Default 10.
    pub bootstrap_resamples: usize,
    /// Points in the 2-D scatter (a seeded sample). Default 5 000.
    pub projection_sample: usize,
    /// A segment with a smaller share of customers is flagged tiny. Default 0.02.
    pub tiny_share: f64,
}

impl Default for ClusterSettings {
    fn default() -> Self {
        Self {
            features: vec![
                FeatureKey::Behaviour(BehaviourFeature::RecencyDays),
                FeatureKey::Behaviour(BehaviourFeature::Frequency),
                FeatureKey::Behaviour(BehaviourFeature::Monetary),
            ],
            k: KChoice::Auto,
            sweep: true,
            k_min: MIN_K,
            k_max: 10,
            restarts: 10,
            seed: 42,
            silhouette_sample: 10_000,
            bootstrap_resamples: 10,
            projection_sample: 5_000,
            tiny_share: 0.02,
        }
    }
}

impl ClusterSettings {
    /// Checks the ranges (not the data): k and the sweep within `MIN_K..=MAX_K`, at least one
    /// restart and one feature, a share in [0, 1).
    pub fn validate(&self) -> Result<(), ClusterError> {
        if self.features.is_empty() {
            return Err(ClusterError::NoFeatures);
        }
        if let KChoice::Fixed(k) = self.k {
            if !(MIN_K..=MAX_K).contains(&k) {
                return Err(ClusterError::InvalidK { k });
            }
        }
        if self.k_min < MIN_K || self.k_max > MAX_K || self.k_min > self.k_max {
            return Err(ClusterError::InvalidSweep {
                k_min: self.k_min,
                k_max: self.k_max,
            });
        }
        let setting = |name: &str, value: String| ClusterError::InvalidSetting {
            name: name.to_string(),
            value,
        };
        if self.restarts == 0 || self.restarts > 100 {
            return Err(setting("restarts", self.restarts.to_string()));
        }
        if self.silhouette_sample < 100 {
            return Err(setting(
                "silhouette_sample",
                self.silhouette_sample.to_string(),
            ));
        }
        if self.bootstrap_resamples > 100 {
            return Err(setting(
                "bootstrap_resamples",
                self.bootstrap_resamples.to_string(),
            ));
        }
        if !(0.0..1.0).contains(&self.tiny_share) {
            return Err(setting("tiny_share", self.tiny_share.to_string()));
        }
        Ok(())
    }
}
