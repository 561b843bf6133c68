//! The engine's error type: one enum per module, composed here.

use serde::{Deserialize, Serialize};

use crate::cohorts::CohortError;
use crate::experiment::ExperimentError;
use crate::forecast::ForecastError;
use crate::repurchase::RepurchaseError;
use crate::sendtime::SendTimeError;
use crate::summary::SummaryError;
use crate::tiers::TierError;
use crate::warehouse::WarehouseError;

use super::{
    baskets::BasketError, cluster::ClusterError, clv::ClvError, ingest::IngestError, rfm::RfmError,
};

/// Any engine failure. Each variant carries its module's typed error, which says where.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum EngineError {
    /// Reading or cleaning the file failed.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// Scoring failed (bad parameters, nothing to score).
    #[error(transparent)]
    Rfm(#[from] RfmError),
    /// Predictive scoring failed (bad settings, too little data, a fit that broke down).
    #[error(transparent)]
    Clv(#[from] ClvError),
    /// Segmentation failed (bad settings, too few customers, a bad attributes or model file).
    #[error(transparent)]
    Cluster(#[from] ClusterError),
    /// A basket analysis failed (no item column, too few baskets, settings that explode).
    #[error(transparent)]
    Baskets(#[from] BasketError),
    /// The cohorts could not be formed (no purchase, one period, a split without its column).
    #[error(transparent)]
    Cohorts(#[from] CohortError),
    /// The repurchase cycles could not be computed (no item column, nobody buying again).
    #[error(transparent)]
    Repurchase(#[from] RepurchaseError),
    /// The membership tiers could not be computed (thresholds out of order, no spend).
    #[error(transparent)]
    Tiers(#[from] TierError),
    /// The send timing could not be computed (no purchase order, bad settings).
    #[error(transparent)]
    SendTime(#[from] SendTimeError),
    /// The forecast could not be made (too short a history, a horizon longer than it).
    #[error(transparent)]
    Forecast(#[from] ForecastError),
    /// A campaign could not be analysed (a file without groups, settings out of range).
    #[error(transparent)]
    Experiment(#[from] ExperimentError),
    /// A per-customer summary could not be made or read, or an analysis needs the lines a
    /// summary does not have.
    #[error(transparent)]
    Summary(#[from] SummaryError),
    /// The warehouse SQL could not be written (an empty or unsafe name, two roles on a column).
    #[error(transparent)]
    Warehouse(#[from] WarehouseError),
}

/// Engine result alias.
pub type Result<T> = std::result::Result<T, EngineError>;
