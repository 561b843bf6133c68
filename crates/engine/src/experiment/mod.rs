//! Campaigns: A/B tests with GrowthBook's conventions (Welch t-test on the lift with the delta
//! method, Bayesian chance to win and risk, CUPED, sample-ratio mismatch, Holm and
//! Benjamini–Hochberg corrections, sequential confidence sequences), the effect per segment,
//! the ROI card and the sample-size calculator, from a results file or a contact list joined
//! with the transactions; a regularised logistic response model ([`response`]) and a two-model
//! uplift model with Qini and uplift curves ([`uplift`]).

mod analysis;
mod data;
mod errors;
mod models;
mod params;
mod power;
mod report;
pub mod response;
pub mod stats;
pub mod uplift;

pub use analysis::{analyze, SegmentInput};
pub use data::{better_id_column, ContactSummary, DataWarning, ExperimentData, MetricData};
pub use errors::ExperimentError;
pub use models::{
    fit_models, ModelProblem, ModelReport, Models, ResponseReport, TopShare, UpliftReport,
    FEATURES, MIN_MODEL_CUSTOMERS, MIN_MODEL_RESPONDERS,
};
pub use params::{
    Correction, ExperimentParams, MetricChoice, OutcomeSource, RoiParams, MAX_GROUPS, MAX_METRICS,
    MAX_WINDOW_DAYS,
};
pub use power::{sample_size, PowerError, PowerMetric, PowerParams, PowerReport};
pub use report::{
    segment_key, Estimate, ExperimentReport, MetricInfo, MetricResult, RoiReport, RoiVariant,
    SegmentDimension, SegmentLabel, SegmentUplift, VariantSummary, SMALL_SEGMENT_USERS,
    SRM_THRESHOLD,
};
