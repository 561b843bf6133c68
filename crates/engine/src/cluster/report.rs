//! What the page, the CLI and the charts get from a segmentation run: plain serde types, all
//! small (no per-customer rows except the sampled scatter).

use serde::{Deserialize, Serialize};

use super::FeatureKey;

/// Smallest k anywhere (a sweep or a fixed k).
pub const MIN_K: usize = 2;
/// Largest k anywhere.
pub const MAX_K: usize = 20;

/// Stages of a segmentation run, for the progress bar (`done` of `total` within the stage).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClusterStage {
    /// Building the feature table and transforms.
    Features,
    /// The k sweep (`done` = ks finished).
    Sweep,
    /// The final fit.
    Fit,
    /// Bootstrap resamples (`done` = resamples finished).
    Stability,
    /// Profiles, projection, tags.
    Profiles,
}

/// How an input column was transformed before clustering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TransformKind {
    /// Standardised: `(x - mean) / sd`.
    Standardise,
    /// `ln(1 + x - min)` (skewness above 1, so logged), then standardised.
    LogStandardise,
    /// One 0/1 column per level (categorical), not rescaled.
    OneHot,
}

/// One input column as the user sees it ("the transformations are shown").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeatureInfo {
    /// The feature it comes from.
    pub key: FeatureKey,
    /// Column label: the feature key, `category_share:<name>`, `main_region=<name>`,
    /// `attr:<header>` or `attr:<header>=<level>`.
    pub label: String,
    /// What was done to it.
    pub transform: TransformKind,
    /// Skewness of the raw values (numeric columns).
    pub skewness: Option<f64>,
    /// Mean of the raw values over the base (for one-hot: the share with that level).
    pub raw_mean: f64,
    /// Median of the raw values (numeric columns).
    pub raw_median: Option<f64>,
    /// Values that were missing and imputed with the median (numeric) or left all-zero (one-hot).
    pub imputed: u64,
}

/// One k of the sweep.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    /// Segments.
    pub k: usize,
    /// Within-cluster sum of squares over all customers (transformed space).
    pub inertia: f64,
    /// Mean silhouette on the seeded sample.
    pub silhouette: f64,
    /// Calinski-Harabasz index over all customers.
    pub calinski_harabasz: f64,
}

/// The k sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    /// One point per k, ascending.
    pub points: Vec<SweepPoint>,
    /// The k the rule picks: the highest mean silhouette, ties to the smaller k.
    pub suggested_k: usize,
    /// Customers in the silhouette sample (all customers when fewer).
    pub silhouette_sample_size: usize,
}

/// A name part, rendered in the user's language by the page (EN/ZH catalog).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NameTrait {
    /// Monetary index ≥ 150.
    HighValue,
    /// Monetary index ≤ 50.
    LowValue,
    /// Frequency index ≥ 150.
    Frequent,
    /// Mostly one order.
    OneTimers,
    /// Recency index ≤ 50 (bought lately).
    Recent,
    /// Recency index ≥ 150.
    Lapsed,
    /// Average order value index ≥ 150.
    BigBaskets,
    /// Tenure index ≤ 50.
    New,
    /// Tenure index ≥ 150.
    Loyal,
    /// Nothing stands out.
    Average,
}

/// A name, a product, region or channel with its share of the segment and the index against the
/// whole base (100 = same share as the base).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Share {
    /// The value.
    pub name: String,
    /// Share of the segment's revenue (products) or customers (regions, channels), 0..=1.
    pub share: f64,
    /// `share / base share × 100`.
    pub index: f64,
}

/// One segment, evaluated and profiled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SegmentProfile {
    /// Segment number, 0-based; segments are numbered by size, largest first.
    pub segment: u32,
    /// The automatic name: one to three traits, most distinctive first.
    pub name_traits: Vec<NameTrait>,
    /// 0 when the automatic name is unique; else this segment's number among the segments that
    /// share it (1, 2, …), shown after the name ("Low value 2") so that names stay distinct.
    #[serde(default)]
    pub name_ordinal: u32,
    /// Customers.
    pub customers: u64,
    /// Share of customers, 0..=1.
    pub share: f64,
    /// Net revenue of the segment's customers.
    pub revenue: f64,
    /// Share of revenue, 0..=1.
    pub revenue_share: f64,
    /// Share below [`super::ClusterSettings::tiny_share`].
    pub tiny: bool,
    /// Mean silhouette of the segment's sampled customers.
    pub silhouette: f64,
    /// Mean Jaccard agreement over bootstrap resamples (Hennig's cluster-wise stability); `None`
    /// when resampling was off.
    pub stability: Option<f64>,
    /// Per input column (as in [`ClusterReport::features`]): the mean in original units.
    pub raw_means: Vec<f64>,
    /// Per input column: mean / base mean × 100 (100 = average; `None` when the base mean is 0).
    pub index: Vec<Option<f64>>,
    /// Per input column: mean of the transformed values (the centroid), for the snake plot.
    pub centroid: Vec<f64>,
    /// Input columns by how far the segment sits from the base (|centroid| descending), at most 3:
    /// "how it differs from the whole base".
    pub distinctive: Vec<usize>,
    /// Top products by revenue share (at most 5).
    pub top_products: Vec<Share>,
    /// Top regions by customer share (at most 5).
    pub top_regions: Vec<Share>,
    /// Top channels by customer share (at most 5).
    pub top_channels: Vec<Share>,
}

/// One sampled customer on the first two principal components.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ProjectedPoint {
    /// First component.
    pub x: f32,
    /// Second component.
    pub y: f32,
    /// Segment.
    pub segment: u32,
}

/// The scatter: a seeded sample on the first two principal components of the transformed matrix.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Projection {
    /// The points (at most `projection_sample`).
    pub points: Vec<ProjectedPoint>,
    /// Customers in all (the sample is `points.len()` of these).
    pub customers: u64,
    /// Share of variance of each component.
    pub explained_variance: [f64; 2],
    /// Centroids on the same components.
    pub centroids: Vec<[f64; 2]>,
}

/// How the attributes file joined the transactions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeJoin {
    /// Rows of the attributes file (header excluded).
    pub rows: u64,
    /// Rows whose id is a customer of the transactions.
    pub matched: u64,
    /// Rows whose id is not (up to 20 examples in `unmatched_examples`).
    pub unmatched: u64,
    /// Examples of unmatched ids, in file order.
    pub unmatched_examples: Vec<String>,
    /// Customers of the transactions with no attribute row.
    pub customers_without_row: u64,
    /// Rows whose id repeats an earlier row (the first is kept).
    pub duplicate_ids: u64,
}

/// One column of the attributes file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributeColumnInfo {
    /// The header.
    pub name: String,
    /// True when every non-empty value parses as a number.
    pub numeric: bool,
    /// Distinct non-empty values (capped at 1 000 when counting).
    pub distinct: u64,
    /// Empty values.
    pub missing: u64,
}

/// A partial failure, shown beside the results.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ClusterWarning {
    /// Some segments are below the tiny share.
    TinySegments {
        /// Their numbers.
        segments: Vec<u32>,
    },
    /// A constant column was left out.
    ConstantFeatureDropped {
        /// Its label.
        label: String,
    },
    /// Missing values were imputed.
    Imputed {
        /// Column label.
        label: String,
        /// Values imputed.
        count: u64,
    },
    /// A categorical column had too many levels; the rarest were merged into "other".
    LevelsMerged {
        /// Column label.
        label: String,
        /// Levels kept.
        kept: usize,
        /// Levels merged.
        merged: usize,
    },
    /// The final fit hit the iteration cap on its best restart.
    NotConverged {
        /// Iterations run.
        iterations: usize,
    },
    /// Attribute rows with ids not in the transactions.
    AttributesUnmatched {
        /// How many.
        rows: u64,
    },
}

/// Everything the segmentation view draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterReport {
    /// Customers segmented.
    pub customers: u64,
    /// Input columns with their transforms.
    pub features: Vec<FeatureInfo>,
    /// The sweep, when it ran.
    pub sweep: Option<Sweep>,
    /// The k used.
    pub k: usize,
    /// Within-cluster sum of squares of the final fit.
    pub inertia: f64,
    /// Mean silhouette of the final fit on the sample.
    pub silhouette: f64,
    /// Customers in the silhouette sample.
    pub silhouette_sample_size: usize,
    /// Calinski-Harabasz of the final fit.
    pub calinski_harabasz: f64,
    /// Mean adjusted Rand index between the fit and the bootstrap refits; `None` when off.
    pub stability_ari: Option<f64>,
    /// Resamples behind it.
    pub bootstrap_resamples: usize,
    /// Iterations of the best restart.
    pub iterations: usize,
    /// The segments, by size.
    pub segments: Vec<SegmentProfile>,
    /// The scatter.
    pub projection: Projection,
    /// The attributes join, when a file was given.
    pub attributes: Option<AttributeJoin>,
    /// Partial failures.
    pub warnings: Vec<ClusterWarning>,
    /// Milliseconds (features, sweep, fit, stability, profiles), for the benchmark line.
    pub timings_ms: Vec<(ClusterStage, f64)>,
}
