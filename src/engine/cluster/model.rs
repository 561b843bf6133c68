//! The saved segmentation: features, transforms, centroids, names; no customer rows. SKELETON.

use serde::{Deserialize, Serialize};

use super::transform::FittedTransform;
use super::{ClusterError, FeatureKey, NameTrait};

/// Format version written and read.
pub const MODEL_FORMAT_VERSION: u32 = 1;

/// A segmentation that can score another file (nearest centroid).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentationModel {
    /// [`MODEL_FORMAT_VERSION`].
    pub format_version: u32,
    /// The chosen features.
    pub features: Vec<FeatureKey>,
    /// The transforms (with category levels), fitted on the original base.
    pub transform: FittedTransform,
    /// `k` centroids in the transformed space.
    pub centroids: Vec<Vec<f64>>,
    /// Automatic names.
    pub name_traits: Vec<Vec<NameTrait>>,
    /// The user's names ("" = use the automatic one).
    pub names: Vec<String>,
}

impl SegmentationModel {
    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        todo!()
    }

    /// Reads [`Self::to_json`], checking the version and shapes.
    pub fn from_json(text: &str) -> Result<Self, ClusterError> {
        let _ = text;
        todo!()
    }
}
