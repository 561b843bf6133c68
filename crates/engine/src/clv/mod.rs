//! Predictive customer-base models: the BG/NBD and Pareto/NBD purchase models and the Gamma-Gamma
//! spend model, fitted by maximum likelihood on the per-customer [`CustomerSummary`].
//!
//! [`CustomerSummary::from_dataset`] → [`BgNbdParams`] → [`BgNbdParams::check`] →
//! [`BgNbdValidParams::fit`] → [`BgNbdModel`] (`probability_alive`, `expected_purchases`); likewise
//! [`ParetoNbdParams`] → [`ParetoNbdModel`] and [`GammaGammaParams`] → [`GammaGammaModel`]
//! (`expected_average_value`). Checked against the Python `lifetimes` package (`tests/clv.rs`,
//! `tests/clv_pareto.rs` and the `make_golden*.py` scripts in `tests/fixtures/clv/`).

mod analysis;
mod bg_nbd;
mod boundary;
mod errors;
mod gamma_gamma;
mod holdout;
mod in_order;
mod optimize;
mod params;
mod pareto_nbd;
mod portable;
mod purchase;
mod report;
pub mod special;
mod summary;

pub use analysis::{
    fit_chosen_models, fit_models, ChurnRisk, ClvAnalysis, ClvScores, ClvSettings, ClvWarning,
    FittedModels, ModelFit, ParameterEstimate, PurchaseModelKind, ScoringModel, Uncertainty,
    DROPOUT_PER_PURCHASE_FLOOR, DROPOUT_WINDOW_GAPS, DROPOUT_WINDOW_MODEL_GAPS, INTERVAL_Z,
    MAX_CLV_HORIZON_MONTHS, MAX_HORIZON_DAYS, SPEND_CORRELATION_WARNING, SPEND_MEAN_WARNING_RATIO,
};
pub use bg_nbd::{BgNbdModel, Convergence};
pub use boundary::{Boundary, NEAR_BOUND};
pub use errors::{ClvError, HorizonUnit, InputProblem};
pub use gamma_gamma::GammaGammaModel;
pub use holdout::{CumulativePoint, FrequencyBucket, HoldoutComparison, FREQUENCY_BUCKETS};
pub use params::{
    BgNbdParams, BgNbdValidParams, GammaGammaParams, GammaGammaValidParams, ParetoNbdParams,
    ParetoNbdValidParams,
};
pub use pareto_nbd::ParetoNbdModel;
pub use purchase::{
    customer_lifetime_value, customer_lifetime_value_with_spend_model, units_per_month,
    PurchaseModel,
};
pub use report::{ClvKpis, ClvReport, ModelMatrix, SegmentChurn, TopCustomer, TOP_CUSTOMERS};
pub use summary::{CustomerSummary, TimeUnit};
