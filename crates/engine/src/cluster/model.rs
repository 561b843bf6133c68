//! The saved segmentation: features, transforms, centroids, names; no customer rows.

use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

use super::transform::FittedTransform;
use super::{ClusterError, FeatureKey, NameTrait, MAX_K, MIN_K};

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

/// Only the version, read before the rest so an old or newer file says so instead of failing on
/// its shape.
#[derive(Deserialize)]
struct VersionProbe {
    format_version: u32,
}

impl SegmentationModel {
    /// Segments.
    pub fn k(&self) -> usize {
        self.centroids.len()
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        // Cannot fail: every map key is a string and every number is finite (checked by
        // `from_json` and produced finite by the fit).
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads [`Self::to_json`], checking the version and shapes.
    ///
    /// Fails with [`ClusterError::ModelInvalid`] (not JSON of this shape, with serde's line and
    /// column; or inconsistent sizes), [`ClusterError::ModelVersion`] (another format version).
    pub fn from_json(text: &str) -> Result<Self, ClusterError> {
        let invalid = |e: serde_json::Error| ClusterError::ModelInvalid {
            message: format!("line {}, column {}: {e}", e.line(), e.column()),
        };
        let probe: VersionProbe = serde_json::from_str(text).map_err(invalid)?;
        if probe.format_version != MODEL_FORMAT_VERSION {
            return Err(ClusterError::ModelVersion {
                found: probe.format_version,
                expected: MODEL_FORMAT_VERSION,
            });
        }
        let model: Self = serde_json::from_str(text).map_err(invalid)?;
        model.check()?;
        Ok(model)
    }

    /// Shape checks: `MIN_K..=MAX_K` centroids of the transform's width, finite; one name and
    /// one trait list per centroid; one parameter set per transform column; some feature.
    pub fn check(&self) -> Result<(), ClusterError> {
        let shape = |message: String| Err(ClusterError::ModelInvalid { message });
        let k = self.centroids.len();
        let width = self.transform.columns.len();
        if self.features.is_empty() {
            return shape("no features".to_string());
        }
        if !(MIN_K..=MAX_K).contains(&k) {
            return shape(format!("{k} centroids, expected {MIN_K} to {MAX_K}"));
        }
        if width == 0 || self.transform.params.len() != width {
            return shape(format!(
                "{} transform columns with {} parameter sets",
                width,
                self.transform.params.len()
            ));
        }
        for (s, centroid) in self.centroids.iter().enumerate() {
            if centroid.len() != width {
                return shape(format!(
                    "centroid {s} has {} values, the transform has {width} columns",
                    centroid.len()
                ));
            }
            if centroid.iter().any(|v| !v.is_finite()) {
                return shape(format!("centroid {s} has a value that is not finite"));
            }
        }
        if self.names.len() != k || self.name_traits.len() != k {
            return shape(format!(
                "{} names and {} automatic names for {k} segments",
                self.names.len(),
                self.name_traits.len()
            ));
        }
        if self
            .transform
            .params
            .iter()
            .any(|p| !(p.sd.is_finite() && p.sd > 0.0 && p.mean.is_finite()))
        {
            return shape("a transform has a non-positive or non-finite scale".to_string());
        }
        Ok(())
    }

    /// Nearest centroid (squared Euclidean distance; ties to the lower segment) of each row of
    /// `x`, which must have the transform's columns.
    pub fn assign(&self, x: ArrayView2<'_, f64>) -> Vec<u32> {
        x.rows()
            .into_iter()
            .map(|row| {
                let mut best = (0u32, f64::INFINITY);
                for (s, centroid) in self.centroids.iter().enumerate() {
                    let d: f64 = row
                        .iter()
                        .zip(centroid)
                        .map(|(a, b)| (a - b) * (a - b))
                        .sum();
                    if d < best.1 {
                        best = (s as u32, d);
                    }
                }
                best.0
            })
            .collect()
    }

    /// Sum of squared distances of the rows of `x` to their assigned centroids.
    pub fn inertia(&self, x: ArrayView2<'_, f64>, labels: &[u32]) -> f64 {
        x.rows()
            .into_iter()
            .zip(labels)
            .map(|(row, s)| {
                self.centroids.get(*s as usize).map_or(0.0, |centroid| {
                    row.iter()
                        .zip(centroid)
                        .map(|(a, b)| (a - b) * (a - b))
                        .sum::<f64>()
                })
            })
            .sum()
    }
}
