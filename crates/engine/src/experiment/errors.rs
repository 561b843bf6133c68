//! Campaign-analysis errors; the catalog words them.

use serde::{Deserialize, Serialize};

/// Why a campaign could not be analysed. Each says where: the setting, the column, the line.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum ExperimentError {
    /// α is not between 0 and 0.5.
    #[error("the significance level must be between 0 and 0.5, got {alpha}")]
    InvalidAlpha {
        /// The rejected value (0 for a non-number).
        alpha: f64,
    },
    /// The sequential tuning parameter is not a number of at least 1.
    #[error("the sequential tuning parameter must be at least 1, got {tuning}")]
    InvalidTuning {
        /// The rejected value.
        tuning: f64,
    },
    /// An intended weight is negative or not a number, or all are 0.
    #[error("intended weight {position} must be a non-negative number (not all 0), got {value}")]
    InvalidWeight {
        /// 1-based position.
        position: usize,
        /// The value.
        value: f64,
    },
    /// As many weights as groups are needed.
    #[error("{weights} intended weights for {groups} groups")]
    WeightsCount {
        /// Weights given.
        weights: usize,
        /// Groups in the file.
        groups: usize,
    },
    /// The outcome window is out of range.
    #[error("the outcome window must be 1..=3660 days, got {days}")]
    InvalidWindow {
        /// The rejected length.
        days: u32,
    },
    /// Too many outcome columns.
    #[error("at most {max} metrics, got {metrics}")]
    TooManyMetrics {
        /// Metrics asked for.
        metrics: usize,
        /// The most allowed.
        max: usize,
    },
    /// A cost or margin of the ROI card is out of range.
    #[error("{field} is out of range: {value}")]
    InvalidRoi {
        /// Which input (`cost_per_contact`, `fixed_cost`, `margin_percent`).
        field: String,
        /// The value.
        value: f64,
    },
    /// The file has no data row.
    #[error("the campaign file has no data row")]
    Empty,
    /// The file could not be read as CSV.
    #[error("the campaign file cannot be read at line {line}: {message}")]
    Parse {
        /// 1-based line.
        line: u64,
        /// The reader's words.
        message: String,
    },
    /// A named column is not in the file.
    #[error("the campaign file has no column {column:?}")]
    NoColumn {
        /// The header asked for.
        column: String,
    },
    /// No group column was named and none looks like one.
    #[error("no group column: name it (a column such as group, variant, 分组)")]
    NoGroupColumn,
    /// A metric column holds text.
    #[error("metric column {column:?} is not numeric: data row {row} holds {value:?}")]
    MetricNotNumeric {
        /// Its header.
        column: String,
        /// 1-based data row (the header not counted) of the first text value.
        row: u64,
        /// That value.
        value: String,
    },
    /// No numeric outcome column to test.
    #[error("the campaign file has no numeric outcome column")]
    NoMetrics,
    /// Fewer than two groups.
    #[error("only one group ({group:?}): a test needs a control and a variant")]
    OneGroup {
        /// The group found.
        group: String,
    },
    /// Too many groups.
    #[error("{groups} groups; at most {max}")]
    TooManyGroups {
        /// Groups found.
        groups: usize,
        /// The most allowed.
        max: usize,
    },
    /// The named control is not a group of the file.
    #[error("no group named {control:?} (groups: {})", groups.join(", "))]
    NoControl {
        /// The name given.
        control: String,
        /// The groups found (at most the first 20).
        groups: Vec<String>,
    },
    /// A contact date cannot be read.
    #[error("contact date {value:?} at data row {row} is not a date")]
    InvalidContactDate {
        /// 1-based data row (the header not counted).
        row: u64,
        /// The cell.
        value: String,
    },
    /// A contact list without a start date and without contact dates.
    #[error("choose the campaign start: the contact list has no dates")]
    NoStart,
    /// The sample-size calculator's inputs are out of range.
    #[error(transparent)]
    Power(#[from] super::PowerError),
}
