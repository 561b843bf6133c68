//! RFM errors: parameter errors and run errors, kept apart (linfa style).

use serde::{Deserialize, Serialize};

/// Why scoring could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum RfmError {
    /// The as-of date lies before the first transaction.
    #[error("the as-of date {as_of} is before the first transaction ({first})")]
    AsOfBeforeData {
        /// As-of day, ISO text.
        as_of: String,
        /// First transaction day, ISO text.
        first: String,
    },
    /// A segment grid that does not have 125 cells.
    #[error("the segment grid must have 125 cells")]
    IncompleteGrid,
    /// No customer has a positive order left after netting returns.
    #[error("no customer has a purchase to score")]
    NoCustomers,
}
