//! The per-customer feature table. SKELETON.

use super::{ClusterError, ClusterInput, ClusterWarning, FeatureKey};

/// Category-share columns at most (the rest of the spend is one "other" column).
pub const MAX_CATEGORY_COLUMNS: usize = 8;

/// A column's values, one per customer of the table.
#[derive(Debug, Clone, PartialEq)]
pub enum FeatureValues {
    /// Numbers; NaN = missing.
    Numeric(Vec<f64>),
    /// Codes into `levels`; `None` = missing.
    Categorical {
        /// Level names.
        levels: Vec<String>,
        /// Level of each customer.
        codes: Vec<Option<u32>>,
    },
}

/// One raw input column (before transforms).
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureColumn {
    /// The feature it comes from.
    pub key: FeatureKey,
    /// Label (see [`super::FeatureInfo::label`]).
    pub label: String,
    /// The values.
    pub values: FeatureValues,
}

/// Raw features, one row per customer scored by the RFM run (its order).
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureTable {
    /// Customer index (into `Dataset::customer_ids`) of each row.
    pub customers: Vec<u32>,
    /// The columns.
    pub columns: Vec<FeatureColumn>,
}

impl FeatureTable {
    /// Builds the columns of `features` for every customer of `input.rfm`.
    pub fn build(
        input: &ClusterInput<'_>,
        features: &[FeatureKey],
    ) -> Result<(Self, Vec<ClusterWarning>), ClusterError> {
        let _ = (input, features);
        todo!()
    }
}
