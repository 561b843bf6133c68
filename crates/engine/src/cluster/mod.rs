//! Segments found in the data: behavioural features (and an optional attributes file) →
//! transforms (log for skewed, standardise, one-hot) → k-means with k-means++ seeding and seeded
//! restarts → a k sweep (inertia, silhouette, Calinski-Harabasz) → evaluated, named profiles (the
//! per-customer tags that show a customer's segment are in [`crate::customers`]).
//!
//! - [`features`]: the per-customer [`FeatureTable`] from the transactions, the RFM run, the
//!   predictions and the attributes.
//! - [`attributes`]: parse a customer attributes CSV ([`AttributeTable`]) and join it on the id.
//! - [`transform`]: [`FittedTransform`] (what was done to each column, shown to the user).
//! - [`kmeans`]: [`KMeansParams`] → `check` → `fit(&x)` → [`KMeansModel`] (`predict`).
//! - [`metrics`]: silhouette, Calinski-Harabasz, adjusted Rand index (checked against
//!   scikit-learn, `tests/cluster_kmeans.rs`).
//! - [`sweep`]: k = 2..10 with a suggested k. [`pca`]: the 2-D projection for the scatter.
//! - [`stability`]: bootstrap agreement (ARI overall, Jaccard per segment).
//! - [`profile`]: segment profiles (index vs the base, top products/regions/channels, a name).
//! - [`model`]: the saved segmentation ([`SegmentationModel`], JSON, no customer rows) that scores
//!   next month's file.
//! - [`analysis`]: [`ClusterSettings`] → [`ClusterAnalysis::run`] → [`ClusterReport`].

pub mod analysis;
pub mod attributes;
mod errors;
pub mod features;
pub mod kmeans;
pub mod metrics;
pub mod model;
mod params;
pub mod pca;
pub mod profile;
mod report;
pub mod stability;
pub mod sweep;
pub mod transform;

pub use analysis::{ClusterAnalysis, ClusterInput};
pub use attributes::{AttributeColumn, AttributeTable};
pub use errors::{ClusterError, Unavailable};
pub use features::{FeatureColumn, FeatureTable, FeatureValues};
pub use kmeans::{KMeansModel, KMeansParams};
pub use model::SegmentationModel;
pub use params::{BehaviourFeature, ClusterSettings, FeatureKey, KChoice};
pub use report::{
    AttributeColumnInfo, AttributeJoin, ClusterReport, ClusterStage, ClusterWarning, FeatureInfo,
    NameTrait, ProjectedPoint, Projection, SegmentProfile, Share, Sweep, SweepPoint, TransformKind,
    MAX_K, MIN_K,
};
