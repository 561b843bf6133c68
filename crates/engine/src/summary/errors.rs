//! What can go wrong summarising transactions or reading a summary back.

use serde::{Deserialize, Serialize};

/// A summary that cannot be made or read. Each variant says where.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum SummaryError {
    /// No customer has a purchase on or before the as-of day.
    #[error("no customer has a purchase on or before the as-of date")]
    NoPurchase,
    /// The RFM totals could not be computed (the RFM error's text).
    #[error("{0}")]
    Rfm(String),
    /// The header lacks a column a summary needs.
    #[error("the summary has no '{column}' column (the columns are: {columns})")]
    MissingColumn {
        /// The column looked for.
        column: String,
        /// The file's header.
        columns: String,
    },
    /// Without first-order dates the as-of date cannot be worked out: the user must give it.
    #[error(
        "the summary has no first_order dates: choose the as-of date (the day its T is counted to)"
    )]
    AsOfRequired,
    /// The analysis needs transaction lines; the data is a per-customer summary. `analysis` is
    /// the analysis' stable key (`baskets`, `cohorts`, `repurchase`, `sendtime`, `tiers`,
    /// `forecast`, `contacts`).
    #[error("{analysis} needs transaction lines; the data is a per-customer summary")]
    NeedsTransactions {
        /// The analysis' key.
        analysis: String,
    },
    /// The file is not a readable table (binary, a CSV error).
    #[error("line {line}: {message}")]
    Parse {
        /// 1-based line.
        line: u64,
        /// What the reader said.
        message: String,
    },
    /// Every data row was left out (see the dropped rows).
    #[error("no usable row: {dropped} rows were left out (first: line {line}, column '{column}', value '{value}')")]
    NoUsableRow {
        /// Rows left out.
        dropped: u64,
        /// The first one's line.
        line: u64,
        /// Its column.
        column: String,
        /// Its value.
        value: String,
    },
}
