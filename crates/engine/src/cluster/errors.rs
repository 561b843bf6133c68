//! Segmentation errors: settings, data, attributes file and saved model, each saying where.

use serde::{Deserialize, Serialize};

/// Why a segmentation could not be set up, fitted, loaded or applied.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum ClusterError {
    /// No feature was chosen.
    #[error("choose at least one feature")]
    NoFeatures,
    /// k outside `MIN_K..=MAX_K`.
    #[error("k must be between 2 and 20, got {k}")]
    InvalidK {
        /// The rejected k.
        k: usize,
    },
    /// The sweep range is empty or outside `MIN_K..=MAX_K`.
    #[error("the k sweep must run within 2..=20 with k_min <= k_max, got {k_min}..={k_max}")]
    InvalidSweep {
        /// Smallest k asked for.
        k_min: usize,
        /// Largest k asked for.
        k_max: usize,
    },
    /// Another setting is out of range.
    #[error("setting {name} is out of range: {value}")]
    InvalidSetting {
        /// Setting name.
        name: String,
        /// The rejected value, as text.
        value: String,
    },
    /// Fewer customers (distinct points) than segments.
    #[error("{customers} customers cannot form {k} segments")]
    TooFewCustomers {
        /// Customers with features.
        customers: usize,
        /// Segments asked for.
        k: usize,
    },
    /// Fewer distinct feature vectors than segments (e.g. everybody bought once for the same amount).
    #[error("only {distinct} distinct customers (feature vectors) for {k} segments")]
    TooFewDistinct {
        /// Distinct rows of the feature matrix.
        distinct: usize,
        /// Segments asked for.
        k: usize,
    },
    /// Every chosen feature is constant, so there is nothing to separate.
    #[error("every chosen feature is constant ({names})")]
    AllFeaturesConstant {
        /// The features, comma-separated.
        names: String,
    },
    /// A feature needs data the run does not have (a column, the predictions, the attributes).
    #[error("feature {feature} is unavailable: {reason}")]
    FeatureUnavailable {
        /// The feature's name ([`super::FeatureKey::name`]).
        feature: String,
        /// What is missing.
        reason: Unavailable,
    },
    /// A value of the feature matrix is not finite (a bug or an overflow).
    #[error("feature {feature} of customer {customer_id} is not finite")]
    NonFiniteFeature {
        /// Feature name.
        feature: String,
        /// The customer.
        customer_id: String,
    },
    /// The attributes file is empty or has only a header.
    #[error("the attributes file has no rows")]
    AttributesEmpty,
    /// The attributes file could not be read as CSV.
    #[error("attributes file, line {line}: {message}")]
    AttributesParse {
        /// One-based line of the file.
        line: u64,
        /// The reader's message.
        message: String,
    },
    /// The chosen id column is not in the attributes file.
    #[error("the attributes file has no column {column}")]
    AttributesNoIdColumn {
        /// The asked-for column.
        column: String,
    },
    /// No attribute row matched a customer of the transactions.
    #[error("none of the {rows} attribute rows matches a customer id of the transactions (e.g. {example})")]
    AttributesNoneMatched {
        /// Rows of the attributes file.
        rows: usize,
        /// One unmatched id.
        example: String,
    },
    /// The saved segmentation is not valid JSON of the expected shape.
    #[error("the segmentation file is invalid: {message}")]
    ModelInvalid {
        /// The parser's message.
        message: String,
    },
    /// The saved segmentation was written by another format version.
    #[error("the segmentation file has format version {found}, this version reads {expected}")]
    ModelVersion {
        /// Version in the file.
        found: u32,
        /// Version this build reads.
        expected: u32,
    },
    /// The saved segmentation needs a feature this data cannot provide.
    #[error("the segmentation uses {feature}, which this data cannot provide: {reason}")]
    ModelFeatureUnavailable {
        /// Feature name.
        feature: String,
        /// Why (as in [`ClusterError::FeatureUnavailable`]).
        reason: Unavailable,
    },
    /// Nothing has been segmented yet (e.g. a tag filter on the cluster before a run).
    #[error("no segmentation has been run")]
    NotRun,
}

/// Why a feature cannot be computed on this data: a typed value the adapters word (its
/// `Display` and serde name are the snake_case code the CLI prints).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unavailable {
    /// The file has no product column (category shares, main category).
    NoProductColumn,
    /// The file has no region column.
    NoRegionColumn,
    /// The file has no channel column.
    NoChannelColumn,
    /// The feature needs a prediction run (CLV, probability alive).
    NoPredictions,
    /// The feature needs an attributes file.
    NoAttributes,
    /// The attributes file has no such column.
    NoSuchAttribute,
    /// A saved segmentation's column is not in this data.
    MissingColumn,
    /// A saved segmentation's column is numeric here and categorical there, or the reverse.
    ColumnTypeChanged,
}

impl std::fmt::Display for Unavailable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::NoProductColumn => "no_product_column",
            Self::NoRegionColumn => "no_region_column",
            Self::NoChannelColumn => "no_channel_column",
            Self::NoPredictions => "no_predictions",
            Self::NoAttributes => "no_attributes",
            Self::NoSuchAttribute => "no_such_attribute",
            Self::MissingColumn => "missing_column",
            Self::ColumnTypeChanged => "column_type_changed",
        })
    }
}
