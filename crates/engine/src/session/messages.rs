//! The typed requests a [`super::Session`] answers and its replies: the page's worker protocol
//! and the CLI speak these. The wire framing (envelope, JSON, version) is the root crate's
//! `protocol` module.

use serde::{Deserialize, Serialize};

use super::{
    baskets, cohorts, customers, experiment, file, forecast, overview, predictions, repurchase,
    segments, sendtime, tiers, warehouse,
};

use crate::{
    cluster::{AttributeColumnInfo, AttributeJoin, ClusterStage},
    ingest::IngestError,
    EngineError,
};

/// What the page asks for: one variant per feature, each with its own request enum
/// (`session/<feature>.rs`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)]
pub enum Request {
    /// The file: open it, preview it with other detections, parse it with the confirmed mapping.
    File(file::Request),
    /// The overview: the RFM analysis of the parsed file.
    Overview(overview::Request),
    /// The customer table, its tags, exports and the customer profile.
    Customers(customers::Request),
    /// Predictions: fits, scores, validation and the scores export.
    Predictions(predictions::Request),
    /// Segments found in the data: attributes, segmentation runs, saved segmentations.
    Segments(segments::Request),
    /// Baskets: rules, recommendations, regional preferences and their exports.
    Baskets(baskets::Request),
    /// Cohorts by first purchase and their export.
    Cohorts(cohorts::Request),
    /// Repurchase cycles, the customers due now and their export.
    Repurchase(repurchase::Request),
    /// Membership tiers, their migrations and the per-customer export.
    Tiers(tiers::Request),
    /// Send timing: each customer's best weekday and hour, the heatmaps, the export.
    SendTime(sendtime::Request),
    /// Revenue and orders forecast and its export.
    Forecast(forecast::Request),
    /// Campaigns: the campaign file, the A/B analysis, its exports, the sample-size calculator.
    Experiment(experiment::Request),
    /// Warehouse SQL: the per-customer summary as a query for the user's warehouse.
    Warehouse(warehouse::Request),
}

/// What the page shows about a loaded attributes file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttributesSummary {
    /// Every header of the file (for the id-column choice).
    pub headers: Vec<String>,
    /// The id column used.
    pub id_column: String,
    /// The other columns.
    pub columns: Vec<AttributeColumnInfo>,
    /// How the ids joined the transactions.
    pub join: AttributeJoin,
}

/// Stages of a long job, for the progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    /// Reading and parsing the file.
    Reading,
    /// Scoring customers and building the report.
    Scoring,
    /// Writing an export.
    Exporting,
    /// Fitting the prediction models.
    Fitting,
    /// Segmenting customers, at this step.
    Clustering(ClusterStage),
    /// Building baskets and mining them (rules, recommendations, preferences).
    Mining,
    /// Following customers through their lifecycle (cohorts).
    Lifecycle,
    /// Testing a campaign's groups.
    Testing,
}

/// What the session (through the worker) answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[allow(clippy::large_enum_variant)]
pub enum Response {
    /// Sent once at start-up (id 0).
    Ready {
        /// The worker's protocol version (the root crate's `protocol::PROTOCOL_VERSION`).
        protocol_version: u32,
    },
    /// Progress of a long request: `done` of `total` units (bytes when reading).
    Progress {
        /// The stage.
        stage: Stage,
        /// Units done.
        done: u64,
        /// Units in all.
        total: u64,
    },
    /// The export Blob is attached.
    Exported {
        /// Customers written.
        rows: u64,
    },
    /// The file: open it, preview it with other detections, parse it with the confirmed mapping.
    File(file::Response),
    /// The overview: the RFM analysis of the parsed file.
    Overview(overview::Response),
    /// The customer table, its tags, exports and the customer profile.
    Customers(customers::Response),
    /// Predictions: fits, scores, validation and the scores export.
    Predictions(predictions::Response),
    /// Segments found in the data: attributes, segmentation runs, saved segmentations.
    Segments(segments::Response),
    /// Baskets: rules, recommendations, regional preferences.
    Baskets(baskets::Response),
    /// Cohorts by first purchase.
    Cohorts(cohorts::Response),
    /// Repurchase cycles.
    Repurchase(repurchase::Response),
    /// Membership tiers.
    Tiers(tiers::Response),
    /// Send timing.
    SendTime(sendtime::Response),
    /// Forecast.
    Forecast(forecast::Response),
    /// Campaigns.
    Experiment(experiment::Response),
    /// Warehouse SQL.
    Warehouse(warehouse::Response),
    /// The request failed; nothing the page holds is invalidated.
    Failed {
        /// Why.
        error: SessionError,
    },
}

/// A failure of a request, as the page and the CLI see it.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum SessionError {
    /// The engine refused the data or the parameters (typed, says where).
    #[error(transparent)]
    Engine(#[from] EngineError),
    /// The request needs a file or dataset the session does not hold (e.g. a worker restarted after a cancel).
    #[error("the worker holds no {what}")]
    NothingLoaded {
        /// "file" or "dataset" or "analysis".
        what: String,
    },
    /// The browser failed to read the file.
    #[error("could not read the file: {message}")]
    Read {
        /// The browser's message.
        message: String,
    },
    /// The worker panicked or died; the page restarts it.
    #[error("the worker stopped: {message}")]
    Crashed {
        /// The panic or error text.
        message: String,
    },
    /// A message that could not be decoded (version skew or a bug), or a result that could not
    /// be encoded (a number that is not finite).
    #[error("bad message: {message}")]
    BadMessage {
        /// The decoder's message.
        message: String,
    },
    /// A result held a number that is not finite (NaN or ∞), which no screen, file or message may
    /// show; the request failed instead of showing it.
    #[error("a result held a number that is not finite ({message})")]
    NotFinite {
        /// Where the encoder found it.
        message: String,
    },
    /// An `.xlsx` export would have more rows than an Excel sheet holds (1,048,576 with the
    /// header); CSV has no such limit.
    #[error("{rows} rows do not fit in one Excel sheet (1,048,575 at most); export CSV instead")]
    TooManyRowsForExcel {
        /// Rows the export would have.
        rows: u64,
    },
    /// The spreadsheet writer failed, or this build has none.
    #[error("the export could not be written: {message}")]
    ExportFailed {
        /// Why.
        message: String,
    },
    /// The request was stopped by its cancel flag before it finished; the session keeps what it
    /// held before the request.
    #[error("cancelled")]
    Cancelled,
    /// The request belongs to an older file than the one the session holds (the user opened
    /// another file since); its answer would describe the wrong data.
    #[error("request for file generation {request}, session holds generation {current}")]
    Stale {
        /// The request's generation.
        request: u64,
        /// The session's generation.
        current: u64,
    },
}

impl From<IngestError> for SessionError {
    fn from(e: IngestError) -> Self {
        Self::Engine(EngineError::Ingest(e))
    }
}
