//! Cohort errors; the catalog words them.

use serde::{Deserialize, Serialize};

use super::{CohortPeriod, CohortSplit};

/// Why the cohorts could not be formed.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum CohortError {
    /// No customer has a purchase.
    #[error("no customer has a purchase")]
    NoPurchases,
    /// The purchases fall in one period: there is no "later" to follow.
    #[error("every purchase falls in one {}: {label}", period.key())]
    OnePeriod {
        /// The period length.
        period: CohortPeriod,
        /// That period's name.
        label: String,
    },
    /// The split needs a column the file does not have.
    #[error("the file has no column for this split")]
    NoSplitColumn {
        /// The split asked for.
        split: CohortSplit,
    },
    /// No such group in the last cohort run.
    #[error("no group {group} in the cohorts")]
    NoSuchGroup {
        /// The group asked for.
        group: usize,
    },
}
