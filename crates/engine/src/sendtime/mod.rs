//! Send timing: the weekday and hour each customer tends to order at, shrunk toward the store's
//! own profile (empirical Bayes), with weekday × hour heatmaps for the store and per RFM segment.
//!
//! - [`params`]: [`SendTimeParams`] (prior strengths, minimum orders).
//! - [`analysis`]: [`SendTimeAnalysis::run`] (the definitions are in its module doc).
//! - [`report`]: [`SendTimeReport`] (the heatmaps and the shrinkage summary) and the export.
//!
//! A file whose dates carry no time of day gets weekdays only: [`SendTimeAnalysis::has_times`] is
//! `false`, every best hour is `None` and the heatmaps have one column.

pub mod analysis;
mod errors;
mod params;
pub mod report;

pub use analysis::{
    weekday_key, weekday_of, CustomerSendTime, PriorFit, PriorSource, SendTimeAnalysis, HOURS,
    MAX_PRIOR_ORDERS, MIN_PRIOR_ORDERS, WEEKDAYS,
};
pub use errors::SendTimeError;
pub use params::{SendTimeParams, SendTimeValidParams, FALLBACK_PRIOR_ORDERS, MAX_MIN_ORDERS};
pub use report::{DimensionSummary, SegmentGrid, SendTimeReport};
