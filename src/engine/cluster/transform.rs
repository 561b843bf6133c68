//! Transforms fitted on the base and re-applied to new data. SKELETON.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

use super::{ClusterError, ClusterWarning, FeatureInfo, FeatureTable};

/// The fitted transforms of every input column (serialised in the saved segmentation).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedTransform {
    /// One per output column, in matrix column order.
    pub columns: Vec<FeatureInfo>,
}

impl FittedTransform {
    /// Fits on `table`: log for skewed non-negative numeric columns, standardise, one-hot.
    pub fn fit(table: &FeatureTable) -> Result<(Self, Vec<ClusterWarning>), ClusterError> {
        let _ = table;
        todo!()
    }

    /// The transformed matrix (rows = `table.customers`).
    pub fn apply(&self, table: &FeatureTable) -> Result<Array2<f64>, ClusterError> {
        let _ = table;
        todo!()
    }
}
