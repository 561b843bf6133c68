//! Cohorts by first purchase (month, week or quarter): the share of each cohort active in each
//! period since, their orders and revenue, the LTV curve, split by the first purchase's item,
//! region or channel.
//!
//! - [`params`]: [`CohortParams`] ([`CohortPeriod`], [`CohortSplit`]).
//! - [`analysis`]: [`CohortAnalysis::run`] (the definitions are in its module doc).
//! - [`report`]: [`CohortReport`] (one group's matrix, every group's curve) and the export.

pub mod analysis;
mod errors;
mod params;
pub mod report;

pub use analysis::{
    AverageCell, CohortAnalysis, CohortCell, CohortGroup, CohortRow, MAX_GROUPS, MAX_PERIODS,
};
pub use errors::CohortError;
pub use params::{CohortParams, CohortPeriod, CohortSplit};
pub use report::{CohortReport, GroupSummary, COHORTS_HEADER};
